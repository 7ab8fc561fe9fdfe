#!/usr/bin/env -S python3 -u
# scripts/env-s.sh: a Python program behind `env -S` (split arguments), despite its .sh name.
print("ok env-s.sh")
