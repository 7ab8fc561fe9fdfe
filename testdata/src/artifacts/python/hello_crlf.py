#!/usr/bin/env python3
# python/hello_crlf.py: fetch.sh writes this with CRLF line endings, so the kernel looks for
# "python3\r"; `python3 hello_crlf.py` still runs it.
print("ok hello_crlf.py")
