/* wasm/hello-wasi.wasm: a WASI command (imports wasi_snapshot_preview1, exports _start). */
#include <stdio.h>

int main(void) {
    puts("ok hello-wasi.wasm");
    return 0;
}
