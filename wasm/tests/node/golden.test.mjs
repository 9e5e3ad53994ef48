// Every case of the golden corpus (testdata/, see testdata/README.md) built through the npm
// package, as core/tests/golden.rs builds it through the crate: ok cases must print
// expected.yaml byte for byte, error cases must throw a RustomizeError of `error_kind` whose
// message names `error_file`. Cases marked `pending` are skipped.
//
//   node --test tests/node/golden.test.mjs
//   GOLDEN_FILTER=names/ node --test tests/node/golden.test.mjs
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { build, buildResources, isRustomizeError } from "rustomize";

const testdata = fileURLToPath(new URL("../../../testdata/", import.meta.url));
const ERROR_KINDS = ["yaml", "kustomization", "not_found", "load_restriction", "cycle", "resource", "id_conflict", "transform", "unsupported"];
const KNOWN_KEYS = ["dir", "flags", "expect", "error_kind", "error_file", "description", "pending"];

/** case.toml: `key = "string"` or `key = ["a", ...]`, one a line, `#` comments. */
export function parseCaseToml(text) {
  const out = {};
  text.split("\n").forEach((raw, n) => {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) return;
    const fail = (m) => {
      throw new Error(`case.toml line ${n + 1}: ${m}`);
    };
    const eq = line.indexOf("=");
    if (eq < 0) fail("expected `key = value`");
    const key = line.slice(0, eq).trim();
    let i = eq + 1;
    const ws = () => {
      while (line[i] === " " || line[i] === "\t") i++;
    };
    const str = () => {
      let s = "";
      i++; // opening quote
      for (;;) {
        const c = line[i++];
        if (c === undefined) fail("unterminated string");
        if (c === '"') return s;
        if (c === "\\") {
          const e = line[i++];
          const m = { '"': '"', "\\": "\\", n: "\n", t: "\t", r: "\r" }[e];
          if (m === undefined) fail(`bad escape \\${e}`);
          s += m;
        } else s += c;
      }
    };
    ws();
    let value;
    if (line[i] === '"') value = str();
    else if (line[i] === "[") {
      value = [];
      i++;
      ws();
      while (line[i] !== "]") {
        if (line[i] !== '"') fail("expected a string in list");
        value.push(str());
        ws();
        if (line[i] === ",") {
          i++;
          ws();
        } else if (line[i] !== "]") fail("expected `,` or `]` in list");
      }
      i++;
    } else fail("expected a string or a list of strings");
    ws();
    if (i < line.length && line[i] !== "#") fail("trailing characters");
    if (key in out) fail(`duplicate key ${key}`);
    out[key] = value;
  });
  return out;
}

/** Every folder below testdata/ that holds a case.toml, sorted by name. */
function findCases(dir = testdata, name = "") {
  if (statSync(join(dir, "case.toml"), { throwIfNoEntry: false })?.isFile()) return [name];
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort()
    .flatMap((d) => findCases(join(dir, d), name ? `${name}/${d}` : d));
}

const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** input/ as { path: contents }: a string where the file is UTF-8, else its bytes. */
function readTree(input, asBytes) {
  const files = {};
  const walk = (dir, rel) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, e.name);
      const key = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(path, key);
      else {
        const bytes = readFileSync(path);
        let text = null;
        if (!asBytes) {
          try {
            text = utf8.decode(bytes);
          } catch {
            text = null;
          }
        }
        files[key] = text ?? new Uint8Array(bytes);
      }
    }
  };
  walk(input, "");
  return files;
}

/** `dir` of case.toml as a path in the in-memory tree. */
function buildDir(dir) {
  const d = dir.replace(/^\.\//, "").replace(/^\/+|\/+$/g, "");
  return d === "" || d === "." ? "/" : `/${d}`;
}

function documents(yaml) {
  return yaml === "" ? 0 : yaml.split(/^---$/m).length;
}

const filter = process.env.GOLDEN_FILTER;
const names = findCases().filter((n) => !filter || n.includes(filter));
assert.ok(filter || names.length > 100, `only ${names.length} golden cases found in ${testdata}`);

for (const name of names) {
  const caseDir = join(testdata, name);
  const spec = parseCaseToml(readFileSync(join(caseDir, "case.toml"), "utf8"));
  for (const k of Object.keys(spec)) assert.ok(KNOWN_KEYS.includes(k), `${name}: unknown key ${k}`);
  const skip = spec.pending ? `pending: ${spec.pending}` : false;
  test(name, { skip }, () => {
    const root = buildDir(spec.dir ?? ".");
    const warnings = [];
    const options = { flags: spec.flags ?? [], onWarning: (w) => warnings.push(w) };
    const files = readTree(join(caseDir, "input"), false);
    if (spec.expect === "ok") {
      const expected = readFileSync(join(caseDir, "expected.yaml"));
      const out = build(files, root, options);
      assert.equal(out, expected.toString("utf8"));
      assert.equal(Buffer.compare(Buffer.from(out, "utf8"), expected), 0, "not byte-identical");
      // The same tree given as bytes builds the same.
      assert.equal(build(readTree(join(caseDir, "input"), true), root, options), out);
      const resources = buildResources(files, root, options);
      assert.ok(Array.isArray(resources));
      assert.equal(resources.length, documents(out), "one resource per document");
      for (const r of resources) assert.equal(typeof r, "object");
    } else {
      assert.equal(spec.expect, "error", `${name}: expect must be ok or error`);
      assert.ok(ERROR_KINDS.includes(spec.error_kind), `${name}: bad error_kind`);
      let thrown;
      assert.throws(() => build(files, root, options), (e) => {
        thrown = e;
        return true;
      });
      assert.ok(thrown instanceof Error, "an Error");
      assert.ok(isRustomizeError(thrown), `a RustomizeError, got ${thrown}`);
      assert.equal(thrown.name, "RustomizeError");
      assert.equal(thrown.kind, spec.error_kind, thrown.message);
      assert.ok(thrown.message.includes(spec.error_file), `message ${JSON.stringify(thrown.message)} names ${spec.error_file}`);
      assert.ok(thrown.path === null || typeof thrown.path === "string");
      assert.ok(thrown.line === null || Number.isInteger(thrown.line));
      assert.ok(thrown.column === null || Number.isInteger(thrown.column));
      assert.ok(thrown.message.includes(thrown.detail));
      assert.ok(Array.isArray(thrown.chain));
      // buildResources fails the same way.
      assert.throws(() => buildResources(files, root, options), (e) => e.kind === spec.error_kind && e.message === thrown.message);
    }
  });
}
