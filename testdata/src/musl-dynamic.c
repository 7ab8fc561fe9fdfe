/* musl-dynamic: musl-gcc, dynamic: PT_INTERP /lib/ld-musl-x86_64.so.1, DT_NEEDED libc.so.
   No distroless image ships the musl loader, so nothing but a musl-based image runs it. */
#include <stdio.h>
int main(void) { puts("ok musl-dynamic"); return 0; }
