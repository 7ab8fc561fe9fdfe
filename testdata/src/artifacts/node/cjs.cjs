// node/cjs.cjs: a CommonJS module (require; .cjs).
const path = require('path');
console.log(`ok ${path.basename(__filename)}`);
