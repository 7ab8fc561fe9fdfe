/* c-tinfo: calls tigetnum() from libtinfo, so it needs libtinfo.so.6 with the symbol version
 * NCURSES6_TINFO_5.0.19991023: a library of the debian:N-slim images (libtinfo6), outside
 * distroless, whose versions the catalog records. */
#include <stdio.h>
#include <term.h>
int main(void) {
    int err = 0;
    /* No terminal in a chroot: setupterm fails and tigetnum is still called. */
    setupterm("dumb", 1, &err);
    printf("ok c-tinfo (cols %d)\n", tigetnum("cols"));
    return 0;
}
