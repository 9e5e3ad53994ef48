// The package's API through its entry points: `import` (node.mjs), `require` (index.cjs), and
// `rustomize/init` (the web target, instantiated with initSync, as a bundler or browser would).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { describe, test } from "node:test";
import * as esm from "rustomize";
import * as web from "rustomize/init";

const require = createRequire(import.meta.url);
const cjs = require("rustomize");

const files = {
  "base/kustomization.yaml": "resources: [cm.yaml]\n",
  "base/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\ndata:\n  a: x\n",
  "overlay/kustomization.yaml": "resources: [../base]\nnamePrefix: prod-\n",
};
const overlayYaml = "apiVersion: v1\ndata:\n  a: x\nkind: ConfigMap\nmetadata:\n  name: prod-cfg\n";

web.initSync({ module: readFileSync(require.resolve("rustomize/rustomize_bg.wasm")) });

function thrown(f) {
  try {
    f();
  } catch (e) {
    return e;
  }
  assert.fail("did not throw");
}

for (const [entry, m] of [
  ["import", esm],
  ["require", cjs],
  ["rustomize/init", web],
]) {
  describe(`${entry}`, () => {
    test("exports the API", () => {
      for (const f of ["build", "buildResources", "version", "kustomizeVersion", "isRustomizeError"]) {
        assert.equal(typeof m[f], "function", f);
      }
      assert.equal(m.kustomizeVersion(), "v5.5.0");
      assert.match(m.version(), /^\d+\.\d+\.\d+/);
      assert.equal(m.version(), require("rustomize/package.json").version);
      assert.equal(m.start, undefined);
      assert.equal(m._panicForTests, undefined);
    });

    test("build: root, default root, relative and absolute paths", () => {
      assert.equal(m.build(files, "overlay"), overlayYaml);
      assert.equal(m.build(files, "/overlay/"), overlayYaml);
      const flat = { "kustomization.yaml": "resources: [cm.yaml]\n", "/cm.yaml": files["base/cm.yaml"] };
      assert.equal(m.build(flat), m.build(files, "base"));
      assert.equal(m.build(flat, null, null), m.build(flat, undefined, undefined));
    });

    test("files as a Map and as bytes", () => {
      assert.equal(m.build(new Map(Object.entries(files)), "overlay"), overlayYaml);
      const bytes = Object.fromEntries(Object.entries(files).map(([k, v]) => [k, new TextEncoder().encode(v)]));
      assert.equal(m.build(bytes, "overlay"), overlayYaml);
      assert.equal(m.build({ ...files, "overlay/kustomization.yaml": Buffer.from(files["overlay/kustomization.yaml"]) }, "overlay"), overlayYaml);
    });

    test("buildResources: objects typed as the YAML reads", () => {
      const tree = {
        "kustomization.yaml": "resources: [cm.yaml]\n",
        "cm.yaml":
          "apiVersion: v1\nkind: Thing\nmetadata:\n  name: t\nspec:\n  i: 3\n  neg: -7\n  f: 1.5\n  b: true\n  n: null\n" +
          "  s: '3'\n  big: 12345678901234567890\n  safe: 9007199254740991\n  list: [1, two]\n  __proto__: p\n  t: 2001-12-14t21:59:43.10-05:00\n",
      };
      const [r] = m.buildResources(tree);
      assert.equal(r.kind, "Thing");
      assert.equal(r.metadata.name, "t");
      const s = r.spec;
      assert.equal(s.i, 3);
      assert.equal(s.neg, -7);
      assert.equal(s.f, 1.5);
      assert.equal(s.b, true);
      assert.equal(s.n, null);
      assert.equal(s.s, "3");
      assert.equal(s.big, 12345678901234567890n);
      assert.equal(s.safe, 9007199254740991);
      assert.deepEqual(s.list, [1, "two"]);
      assert.equal(Object.getPrototypeOf(s), Object.prototype);
      assert.ok(Object.hasOwn(s, "__proto__"));
      assert.equal(Object.getOwnPropertyDescriptor(s, "__proto__").value, "p");
      assert.equal(typeof s.t, "string");
      // Keys in output order (as `build` prints them).
      assert.deepEqual(Object.keys(r), ["apiVersion", "kind", "metadata", "spec"]);
      assert.deepEqual(m.buildResources(files, "overlay"), [
        { apiVersion: "v1", data: { a: "x" }, kind: "ConfigMap", metadata: { name: "prod-cfg" } },
      ]);
    });

    test("options: named, flags, and both", () => {
      const tree = {
        "kustomization.yaml": "resources: [svc.yaml, ns.yaml]\n",
        "svc.yaml": "apiVersion: v1\nkind: Service\nmetadata:\n  name: s\n",
        "ns.yaml": "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: n\n",
      };
      const kinds = (opts) => m.buildResources(tree, "/", opts).map((r) => r.kind);
      assert.deepEqual(kinds(), ["Namespace", "Service"]);
      assert.deepEqual(kinds({ reorder: "none" }), ["Service", "Namespace"]);
      assert.deepEqual(kinds({ flags: ["--reorder", "none"] }), ["Service", "Namespace"]);
      assert.deepEqual(kinds({ flags: ["--reorder=none"], reorder: "legacy" }), ["Namespace", "Service"]);
      assert.deepEqual(kinds({ reorder: undefined, loadRestrictor: "none" }), ["Namespace", "Service"]);
      const labelled = m.buildResources(tree, "/", { enableManagedbyLabel: true });
      assert.match(labelled[0].metadata.labels["app.kubernetes.io/managed-by"], /^kustomize-/);
    });

    test("warnings go to onWarning", () => {
      const tree = {
        "kustomization.yaml": "resources: [cm.yaml]\nsortOptions:\n  order: fifo\n",
        "cm.yaml": files["base/cm.yaml"],
      };
      const warnings = [];
      m.build(tree, "/", { reorder: "legacy", onWarning: (w) => warnings.push(w) });
      assert.equal(warnings.length, 1);
      assert.match(warnings[0], /sortOptions/);
      const boom = new Error("from onWarning");
      assert.equal(thrown(() => m.build(tree, "/", { reorder: "legacy", onWarning: () => { throw boom; } })), boom);
    });

    test("build errors are RustomizeErrors", () => {
      const e = thrown(() => m.build({ "kustomization.yaml": "resources:\n- a.yaml\n- [b\n" }));
      assert.ok(e instanceof Error);
      assert.ok(m.isRustomizeError(e));
      assert.equal(e.name, "RustomizeError");
      assert.equal(e.kind, "yaml");
      assert.equal(e.path, "/kustomization.yaml");
      assert.equal(typeof e.line, "number");
      assert.equal(typeof e.column, "number");
      assert.ok(e.message.startsWith(`/kustomization.yaml:${e.line}:${e.column}: `), e.message);
      assert.ok(e.message.includes(e.detail));
      assert.ok(typeof e.stack === "string");

      const nf = thrown(() => m.build(files, "missing"));
      assert.equal(nf.kind, "not_found");
      assert.equal(nf.line, null);
      assert.equal(nf.column, null);

      const chained = thrown(() => m.build({ ...files, "base/cm.yaml": "kind: [" }, "overlay"));
      assert.equal(chained.kind, "yaml");
      assert.equal(chained.path, "/base/cm.yaml");
      assert.ok(chained.chain.length >= 1);
      assert.ok(chained.message.includes("\n  in kustomization "));
      assert.equal(m.isRustomizeError(new Error("x")), false);
      assert.equal(m.isRustomizeError(null), false);
    });

    test("bad arguments", () => {
      for (const bad of [undefined, null, 5, "x", ["a"], () => {}]) {
        const e = thrown(() => m.build(bad));
        assert.ok(e instanceof TypeError, `${e}`);
        assert.match(e.message, /^files must be an object/);
      }
      assert.ok(thrown(() => m.build({ "a.yaml": 5 })) instanceof TypeError);
      assert.ok(thrown(() => m.build(files, 5)) instanceof TypeError);
      assert.ok(thrown(() => m.build(files, "overlay", 5)) instanceof TypeError);
      assert.ok(thrown(() => m.build(files, "overlay", { enableHelm: "yes" })) instanceof TypeError);
      assert.ok(thrown(() => m.build(files, "overlay", { flags: "--reorder none" })) instanceof TypeError);
      assert.ok(thrown(() => m.build(files, "overlay", { onWarning: 1 })) instanceof TypeError);
      for (const [opts, re] of [
        [{ reOrder: "none" }, /unknown option "reOrder"/],
        [{ reorder: "sorted" }, /invalid reorder "sorted"/],
        [{ loadRestrictor: "some" }, /invalid loadRestrictor/],
        [{ flags: ["--bogus"] }, /unknown flag: --bogus/],
        [{ flags: ["--reorder"] }, /flag needs an argument/],
      ]) {
        const e = thrown(() => m.build(files, "overlay", opts));
        assert.ok(m.isRustomizeError(e), `${e}`);
        assert.equal(e.kind, "usage");
        assert.match(e.message, re);
      }
      const empty = thrown(() => m.build({ "": "x" }));
      assert.equal(empty.kind, "usage");
    });

    test("an empty directory", () => {
      const e = thrown(() => m.build({ "kustomization.yaml": "resources: [empty]\n", "empty/": "" }));
      assert.equal(e.kind, "not_found");
      assert.match(e.message, /empty/);
    });
  });
}

test("import and require share one instance", () => {
  assert.equal(esm.build, cjs.build);
});

test("a panic becomes an internal error, and the next build works (nodejs target)", () => {
  const internals = require("../../pkg/node/rustomize.js");
  for (let i = 0; i < 3; i++) {
    const e = thrown(() => internals._panicForTests());
    assert.ok(cjs.isRustomizeError(e), `${e}`);
    assert.equal(e.kind, "internal");
    assert.match(e.message, /^internal error \(please report\): test panic at /);
    assert.equal(cjs.build(files, "overlay"), overlayYaml);
  }
});

test("a panic becomes an internal error, and the next build works (web target)", async () => {
  const internals = await import("../../pkg/web/rustomize.js");
  for (let i = 0; i < 3; i++) {
    const e = thrown(() => internals._panicForTests());
    assert.equal(e.kind, "internal");
    assert.equal(web.build(files, "overlay"), overlayYaml);
  }
});
