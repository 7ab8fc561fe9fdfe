/* c-origin-two: needs two libraries beside it through DT_RUNPATH $ORIGIN/lib, libchain.so.1
   (which needs libbar.so.1) and libfoo.so.1. Used with only some of them copied beside it:
   whichbase reads the libraries beside a program only when all it names are there. */
#include <stdio.h>
const char *chain_name(void);
const char *foo_name(void);
int main(void) { printf("ok c-origin-two (%s %s)\n", chain_name(), foo_name()); return 0; }
