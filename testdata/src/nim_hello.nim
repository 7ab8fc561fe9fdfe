# nim-hello: Nim (Debian's nim) hello world, `nim c -d:release` (the file is nim_hello.nim:
# a Nim module name must be an identifier). Nim compiles to C and links with gcc, so the
# program is a glibc dynamic one; only NimMain and Nim's runtime strings tell.
echo "ok nim-hello"
