// Builds off the main thread. Messages in: { id, files, root, options }; out: { type: "ready",
// version, kustomizeVersion } once, then { type: "result", id, ok, yaml | error, warnings, ms }.
const loaded = import("../pkg/index.js");

loaded.then(
  (m) => postMessage({ type: "ready", version: m.version(), kustomizeVersion: m.kustomizeVersion() }),
  (e) => postMessage({ type: "fatal", message: `cannot load the WebAssembly module (run wasm/build.sh): ${e}` }),
);

function plainError(e) {
  if (e && e.name === "RustomizeError") {
    const { name, kind, message, detail, path, line, column, chain } = e;
    return { name, kind, message, detail, path, line, column, chain };
  }
  return { name: e?.name ?? "Error", kind: null, message: String(e?.message ?? e), detail: String(e?.message ?? e), path: null, line: null, column: null, chain: [] };
}

self.onmessage = async (event) => {
  const { id, files, root, options } = event.data;
  const m = await loaded;
  const warnings = [];
  const start = performance.now();
  try {
    const yaml = m.build(files, root, { ...options, onWarning: (w) => warnings.push(w) });
    postMessage({ type: "result", id, ok: true, yaml, warnings, ms: performance.now() - start });
  } catch (e) {
    postMessage({ type: "result", id, ok: false, error: plainError(e), warnings, ms: performance.now() - start });
  }
};
