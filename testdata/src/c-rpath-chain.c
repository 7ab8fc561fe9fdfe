/* c-rpath-chain and c-runpath-chain: need libchain.so.1, which needs libbar.so.1; both are in
   out/lib/. Built twice from this source: with $ORIGIN/lib in DT_RPATH (runs: libchain's own
   lookup of libbar inherits the program's RPATH) and in DT_RUNPATH (fails to start: libbar.so.1
   is not found, because a RUNPATH applies to the program's own DT_NEEDED only). */
#include <stdio.h>
#ifndef NAME
#define NAME "c-rpath-chain"
#endif
const char *chain_name(void);
int main(void) { printf("ok %s (%s)\n", NAME, chain_name()); return 0; }
