/* c-rpath: like c-origin but the search path $ORIGIN/lib is in the older DT_RPATH
   (-Wl,--disable-new-dtags). Needs out/lib/libfoo.so.1. */
#include <stdio.h>
const char *foo_name(void);
int main(void) { printf("ok c-rpath (%s)\n", foo_name()); return 0; }
