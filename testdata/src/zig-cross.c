/* zig-i386, zig-armhf, zig-riscv64: the same dynamic glibc program cross-built by Zig for
   linux/386 (which distroless does not publish), linux/arm/v7 and linux/riscv64 (which only
   debian13 images exist for). Cannot run on amd64. */
#include <stdio.h>
int main(void) { puts("ok zig-cross"); return 0; }
