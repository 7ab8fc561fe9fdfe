/* zig-i386, zig-armhf, zig-riscv64, zig-s390x, zig-ppc64le: the same dynamic glibc program
   cross-built by Zig for linux/386 (which distroless does not publish), linux/arm/v7,
   linux/riscv64 (only debian13 images exist), linux/s390x (big-endian) and linux/ppc64le.
   Cannot run on amd64 without qemu-user. */
#include <stdio.h>
int main(void) { puts("ok zig-cross"); return 0; }
