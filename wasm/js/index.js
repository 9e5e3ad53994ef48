// Entry point for browsers, bundlers and other ES module runtimes (Deno, Bun): the module is
// fetched next to this file (`import.meta.url`) and instantiated with top-level await.
// `rustomize/init` does the same without top-level await.
import init from "./web/rustomize.js";

await init({ module_or_path: new URL("./web/rustomize_bg.wasm", import.meta.url) });

export { build, buildResources, version, kustomizeVersion } from "./web/rustomize.js";
export { isRustomizeError } from "./shared.js";
