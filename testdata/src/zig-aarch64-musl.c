/* zig-aarch64-musl: built by `zig cc -target aarch64-linux-musl`: a static arm64 musl
   program (EM_AARCH64, no PT_INTERP). Runs on linux/arm64 scratch; cannot run on amd64. */
#include <stdio.h>
int main(void) { puts("ok zig-aarch64-musl"); return 0; }
