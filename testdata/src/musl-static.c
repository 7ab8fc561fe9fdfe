/* musl-static: musl-gcc -static: no PT_INTERP, no DT_NEEDED; runs on scratch. */
#include <stdio.h>
int main(void) { puts("ok musl-static"); return 0; }
