// The playground's parts that run outside a browser: its presets build, and its links (share.js)
// round-trip a state, compressed and plain.
import assert from "node:assert/strict";
import { test } from "node:test";
import { build, isRustomizeError } from "rustomize";
import { defaultPreset, presets } from "../../playground/presets.js";
import { decodeState, encodeState } from "../../playground/share.js";

test("the default preset is a base with production and staging overlays", () => {
  const p = presets[defaultPreset];
  assert.equal(p.root, "overlays/production");
  assert.match(build(p.files, "overlays/production"), /name: prod-web\n/);
  assert.match(build(p.files, "overlays/staging"), /name: staging-web\n/);
  assert.match(build(p.files, "base"), /name: web\n/);
});

for (const [id, p] of Object.entries(presets)) {
  test(`preset ${id} ${id === "error" ? "fails at its file and line" : "builds"}`, () => {
    if (id === "error") {
      let err;
      assert.throws(() => build(p.files, p.root), (e) => (err = e) && isRustomizeError(e));
      assert.equal(err.kind, "yaml");
      assert.equal(err.path, "/base/service.yaml");
      assert.equal(err.line, 8);
    } else {
      const out = build(p.files, p.root);
      assert.ok(out.length > 0);
    }
  });
}

test("links round-trip the state", async () => {
  const state = { files: { ...presets.overlays.files, "ünïcödé.yaml": "a: 😀\n" }, root: "overlays/staging", options: { reorder: "none" }, selected: "base/service.yaml" };
  const z = await encodeState(state);
  assert.match(z, /^z=[A-Za-z0-9_-]+$/);
  assert.deepEqual(await decodeState(`#${z}`), state);
  const j = await encodeState(state, { compress: false });
  assert.match(j, /^j=[A-Za-z0-9_-]+$/);
  assert.deepEqual(await decodeState(j), state);
  assert.ok(z.length < j.length / 2, `compressed ${z.length} vs ${j.length}`);
  assert.equal(await decodeState(""), null);
  assert.equal(await decodeState("#section"), null);
});
