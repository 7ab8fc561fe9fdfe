#!/bin/sh
# scripts/shebang-crlf.sh: fetch.sh writes this with CRLF line endings, so the interpreter
# the kernel looks for is "/bin/sh\r".
echo "ok shebang-crlf.sh"
