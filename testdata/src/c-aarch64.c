/* c-aarch64: cross-built with aarch64-linux-gnu-gcc: an EM_AARCH64 glibc dynamic program
   (interpreter /lib/ld-linux-aarch64.so.1, DT_NEEDED libc.so.6). Cannot run on amd64. */
#include <stdio.h>
int main(void) { puts("ok c-aarch64"); return 0; }
