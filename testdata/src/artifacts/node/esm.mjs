// node/esm.mjs: an ES module (import syntax; .mjs).
import { basename } from 'node:path';
console.log(`ok ${basename(new URL(import.meta.url).pathname)}`);
