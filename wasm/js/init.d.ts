// `rustomize/init`: the API of `rustomize`, without top-level await. Call `init()` or
// `initSync()` first.
export * from "./index.js";

export type InitInput = RequestInfo | URL | Response | BufferSource | WebAssembly.Module;
export type SyncInitInput = BufferSource | WebAssembly.Module;

/** Fetches (by default `web/rustomize_bg.wasm`, next to this module) and instantiates the module. */
export default function init(options?: { module_or_path?: InitInput | Promise<InitInput> }): Promise<unknown>;

/** Instantiates the module from its bytes or a compiled `WebAssembly.Module`. */
export function initSync(options: { module: SyncInitInput }): unknown;
