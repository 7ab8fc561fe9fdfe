// Runs postject's inject() (its dist/api.js, pure JS/wasm) without its CLI, which needs the
// commander package: node postject-inject.js API_JS EXECUTABLE RESOURCE_NAME BLOB SENTINEL_FUSE
"use strict";
const fs = require("fs");
const path = require("path");
const [api, exe, name, blob, fuse] = process.argv.slice(2);
if (!fuse) {
  console.error("usage: postject-inject.js API_JS EXECUTABLE RESOURCE_NAME BLOB SENTINEL_FUSE");
  process.exit(2);
}
require(path.resolve(api))
  .inject(exe, name, fs.readFileSync(blob), { sentinelFuse: fuse })
  .catch((e) => {
    console.error(`postject: ${e.message}`);
    process.exit(1);
  });
