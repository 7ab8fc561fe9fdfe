/* c-static-pie: gcc -static-pie: ET_DYN with PT_DYNAMIC but no PT_INTERP and no
   DT_NEEDED (it relocates itself); runs on scratch. */
#include <stdio.h>
int main(void) { puts("ok c-static-pie"); return 0; }
