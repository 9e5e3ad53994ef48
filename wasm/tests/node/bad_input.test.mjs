// Hostile and broken input through the npm package: every error case of testdata/bad/ throws
// a RustomizeError (never kind "internal") whose message names the case's error_file;
// generated input (an alias bomb, 10,000-deep nesting, binary garbage, a big scalar, 1,000
// nested bases) fails or builds without crashing the WebAssembly instance; secretGenerator
// values stay out of messages.
//
//   node --test tests/node/bad_input.test.mjs
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { build, isRustomizeError } from "rustomize";

const bad = fileURLToPath(new URL("../../../testdata/bad/", import.meta.url));

/** The quoted strings of a case.toml value (`"a"` or `["a", "b"]`). */
function strings(value) {
  return value.split('"').filter((_, i) => i % 2 === 1);
}

function caseToml(text) {
  const out = {};
  for (const line of text.split("\n")) {
    const eq = line.indexOf("=");
    if (eq < 0 || line.trim().startsWith("#")) continue;
    out[line.slice(0, eq).trim()] = strings(line.slice(eq + 1));
  }
  return out;
}

function readTree(dir, rel = "", files = {}) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const key = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) readTree(join(dir, e.name), key, files);
    else files[key] = new Uint8Array(readFileSync(join(dir, e.name)));
  }
  return files;
}

/** Runs f, which must throw a RustomizeError naming `names`; returns the error. */
function throwsNamed(f, names) {
  const start = Date.now();
  let err;
  assert.throws(f, (e) => {
    err = e;
    return true;
  });
  assert.ok(Date.now() - start < 60_000, "took too long");
  assert.ok(isRustomizeError(err), `a RustomizeError, got ${err}`);
  assert.notEqual(err.kind, "internal", err.message);
  assert.ok(err.message.includes(names), `${JSON.stringify(err.message)} names ${names}`);
  return err;
}

const cases = readdirSync(bad)
  .filter((n) => statSync(join(bad, n, "case.toml"), { throwIfNoEntry: false })?.isFile())
  .sort()
  .map((name) => ({ name, spec: caseToml(readFileSync(join(bad, name, "case.toml"), "utf8")) }))
  .filter(({ spec }) => !spec.pending && spec.expect[0] === "error");

test("testdata/bad has at least 50 error cases", () => {
  assert.ok(cases.length >= 50, `${cases.length}`);
});

for (const { name, spec } of cases) {
  test(`bad/${name}`, () => {
    const files = readTree(join(bad, name, "input"));
    const dir = spec.dir ? `/${spec.dir[0].replace(/^\.\/?/, "")}` : "/";
    const err = throwsNamed(() => build(files, dir, { flags: spec.flags ?? [] }), spec.error_file[0]);
    assert.equal(err.kind, spec.error_kind[0], err.message);
  });
}

function bomb() {
  let s = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: lol\ndata:\n  a: &a [lol,lol,lol,lol,lol,lol,lol,lol,lol]\n";
  for (let i = 0; i < 8; i++) {
    const me = String.fromCharCode(98 + i);
    const prev = String.fromCharCode(97 + i);
    s += `  ${me}: &${me} [${Array(9).fill(`*${prev}`).join(",")}]\n`;
  }
  return s;
}

const generated = {
  alias_bomb: bomb(),
  deep_flow: `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  a: ${"[".repeat(10000)}${"]".repeat(10000)}\n`,
  deep_block: `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\nspec:\n  a:\n  ${"- ".repeat(10000)}x\n`,
  binary: Uint8Array.from({ length: 4096 }, (_, i) => (Math.imul(i, 2654435761) >>> 13) & 0xff),
  invalid_utf8: Uint8Array.from([...new TextEncoder().encode("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: "), 0xff, 0xfe, 10]),
};

for (const [name, body] of Object.entries(generated)) {
  test(`generated: ${name}`, () => {
    const err = throwsNamed(() => build({ "kustomization.yaml": "resources:\n- r.yaml\n", "r.yaml": body }), "r.yaml");
    assert.equal(err.kind, "yaml", err.message);
  });
}

test("generated: a scalar of 8 MB builds", () => {
  const n = 8 << 20;
  const body = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\ndata:\n  a: ${"x".repeat(n)}\n`;
  const out = build({ "kustomization.yaml": "resources:\n- r.yaml\n", "r.yaml": body });
  assert.equal(out.length, n + "apiVersion: v1\ndata:\n  a: \nkind: ConfigMap\nmetadata:\n  name: big\n".length);
});

test("generated: 1,000 nested bases are refused, not a stack overflow", () => {
  const files = { "b1000/kustomization.yaml": "resources: []\n" };
  for (let i = 0; i < 1000; i++) files[`b${i}/kustomization.yaml`] = `resources:\n- ../b${i + 1}\n`;
  const err = throwsNamed(() => build(files, "b0"), "../b50");
  assert.equal(err.kind, "kustomization");
  assert.match(err.message, /nested more than 50 deep/);
  // 50 deep builds.
  const ok = { "b49/kustomization.yaml": "resources: []\n" };
  for (let i = 0; i < 49; i++) ok[`b${i}/kustomization.yaml`] = `resources:\n- ../b${i + 1}\n`;
  assert.equal(build(ok, "b0"), "");
  // And the instance still works afterwards.
  assert.equal(build({ "kustomization.yaml": "resources: []\n" }), "");
});

const SECRET = "S3CR3T-VALUE-xyz";
const SECRET_B64 = "UzNDUjNULVZBTFVFLXh5eg==";

test("secretGenerator values stay out of error messages", () => {
  const trees = [
    { "kustomization.yaml": `secretGenerator:\n- name: s\n  literals:\n  - password=${SECRET}\n  - novalue\n` },
    {
      "kustomization.yaml": "secretGenerator:\n- name: s\n  envs:\n  - x.env\n",
      "x.env": Uint8Array.from([...new TextEncoder().encode(`PASSWORD=${SECRET}\nBAD=`), 0xff, ...new TextEncoder().encode(`${SECRET}\n`)]),
    },
    {
      "kustomization.yaml":
        `secretGenerator:\n- name: s\n  literals:\n  - password=${SECRET}\n` +
        "replacements:\n- source:\n    kind: Secret\n    name: s\n    fieldPath: data.password\n" +
        "  targets:\n  - select:\n      kind: Secret\n    fieldPaths:\n    - data.password.x\n",
    },
  ];
  for (const files of trees) {
    const err = throwsNamed(() => build(files), "kustomization.yaml");
    for (const text of [err.message, err.detail, String(err), JSON.stringify(err)]) {
      assert.ok(!text.includes(SECRET) && !text.includes(SECRET_B64), text);
    }
  }
});
