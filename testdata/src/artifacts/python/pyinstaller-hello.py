# python/pyinstaller-hello: a PyInstaller one-file bundle of this script.
print("ok pyinstaller-hello")
