# crystal-hello: Crystal (Debian's crystal) hello world, `crystal build`: LLVM code linked with
# cc against libgc (Boehm GC), libevent, libm and glibc, all dynamic (no libpcre: no regex used).
# Crystal links with -rdynamic, so every function, __crystal_main included, is in .dynsym.
puts "ok crystal-hello"
