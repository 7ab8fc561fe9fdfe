# python/noexec.py: no shebang and mode 0644: only `python3 noexec.py` runs it.
print("ok noexec.py")
