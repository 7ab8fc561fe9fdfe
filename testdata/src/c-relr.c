/* c-relr: built with -Wl,-z,pack-relative-relocs, so it has DT_RELR and needs the
   glibc marker version GLIBC_ABI_DT_RELR (glibc >= 2.36). The pointer table gives the
   linker relative relocations to pack. */
#include <stdio.h>
static const char *words[] = { "ok", "c-relr" };
int main(void) { printf("%s %s\n", words[0], words[1]); return 0; }
