// wasm/add.wasm: a WebAssembly module without WASI or an entry point, exporting add().
export fn add(a: i32, b: i32) i32 {
    return a + b;
}
