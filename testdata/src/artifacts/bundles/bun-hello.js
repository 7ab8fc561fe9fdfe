// Compiled by `bun build --compile` into bundles/bun-hello.
console.log("ok bun-hello");
