/* c-nix-interp: a glibc program whose interpreter is a Nix store path, as Nix builds are.
   No image has /nix/store, so whichbase must say none and suggest patchelf --set-interpreter. */
#include <stdio.h>
int main(void) { puts("ok c-nix-interp"); return 0; }
