// Entry point without top-level await: call `init()` (or `initSync()`) before anything else.
//
//   import init, { build } from "rustomize/init";
//   await init();                                   // fetches web/rustomize_bg.wasm
//   await init({ module_or_path: "/assets/rustomize_bg.wasm" });
//   initSync({ module: bytesOrCompiledModule });
export { default, initSync, build, buildResources, version, kustomizeVersion } from "./web/rustomize.js";
export { isRustomizeError } from "./shared.js";
