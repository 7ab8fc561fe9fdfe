# python/app.pyz: made with `python3 -m zipapp -p '/usr/bin/env python3'` from this folder.
print("ok app.pyz")
