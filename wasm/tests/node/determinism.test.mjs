// The same input gives the same bytes through the npm package: 100 builds in a row, and 8
// worker threads (each with its own WebAssembly instance) building at once, over rich golden
// cases (overlays and components, generators with hash suffixes, patches, replacements).
//
//   node --test tests/node/determinism.test.mjs
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { build } from "rustomize";

const testdata = fileURLToPath(new URL("../../../testdata/", import.meta.url));
const RICH = ["app/production", "generators/refs_across_overlay_merge", "patches/combined_overlay", "replacements/generated_configmap_hash"];

function readTree(dir, rel = "", files = {}) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const key = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) readTree(join(dir, e.name), key, files);
    else files[key] = new Uint8Array(readFileSync(join(dir, e.name)));
  }
  return files;
}

function load(name) {
  const toml = readFileSync(join(testdata, name, "case.toml"), "utf8");
  const dir = /^dir\s*=\s*"([^"]*)"/m.exec(toml)?.[1] ?? ".";
  assert.ok(!/^flags\s*=/m.test(toml), `${name}: no flags`);
  return {
    name,
    files: readTree(join(testdata, name, "input")),
    root: `/${dir.replace(/^\.\/?/, "")}`,
    expected: readFileSync(join(testdata, name, "expected.yaml"), "utf8"),
  };
}

const cases = RICH.map(load);

test("100 builds in a row", () => {
  for (const c of cases) {
    for (let i = 0; i < 100; i++) assert.ok(build(c.files, c.root, { onWarning: () => {} }) === c.expected, `${c.name}: build ${i}`);
  }
});

test("8 worker threads at once", async () => {
  const worker = new URL("../determinism_worker.mjs", import.meta.url);
  const trees = cases.map(({ files, root }) => ({ files, root }));
  const runs = Array.from(
    { length: 8 },
    (_, t) =>
      new Promise((resolve, reject) => {
        // Each worker starts at another case.
        const mine = trees.slice(t % trees.length).concat(trees.slice(0, t % trees.length));
        const w = new Worker(worker, { workerData: { trees: mine, rounds: 5 } });
        w.once("message", (outs) => resolve({ t, outs }));
        w.once("error", reject);
      }),
  );
  for (const { t, outs } of await Promise.all(runs)) {
    assert.equal(outs.length, 5 * cases.length);
    outs.forEach((out, i) => {
      const c = cases[(i + t) % cases.length];
      assert.ok(out === c.expected, `worker ${t}, build ${i} (${c.name})`);
    });
  }
});
