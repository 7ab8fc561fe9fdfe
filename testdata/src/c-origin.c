/* c-origin: needs libfoo.so.1, found only through DT_RUNPATH $ORIGIN/lib
   (-Wl,--enable-new-dtags). The library is out/lib/libfoo.so.1 next to the program. */
#include <stdio.h>
const char *foo_name(void);
int main(void) { printf("ok c-origin (%s)\n", foo_name()); return 0; }
