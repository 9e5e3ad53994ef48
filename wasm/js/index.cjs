// Entry point for Node.js (`require("rustomize")`; `import` goes through node.mjs to this same
// instance). The module is read from disk and instantiated synchronously on load.
"use strict";
const wasm = require("./node/rustomize.js");

exports.build = wasm.build;
exports.buildResources = wasm.buildResources;
exports.version = wasm.version;
exports.kustomizeVersion = wasm.kustomizeVersion;
exports.isRustomizeError = function isRustomizeError(e) {
  return e instanceof Error && e.name === "RustomizeError" && typeof e.kind === "string";
};
