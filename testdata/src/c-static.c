/* c-static: gcc -static: ET_EXEC, no PT_INTERP, no PT_DYNAMIC; runs on scratch. */
#include <stdio.h>
int main(void) { puts("ok c-static"); return 0; }
