/* c-dynamic: plain C linked dynamically against glibc; DT_NEEDED is only libc.so.6. */
#include <stdio.h>
int main(void) { puts("ok c-dynamic"); return 0; }
