// The main script of the Node.js single executable application bundles/node-sea.
console.log("ok node-sea");
