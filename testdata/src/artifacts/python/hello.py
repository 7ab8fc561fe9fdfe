#!/usr/bin/env python3
# python/hello.py: a script run through `env python3` (the file has the exec bit).
print("ok hello.py")
