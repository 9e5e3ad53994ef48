// The TypeScript types of the package (index.d.ts, index.d.cts, init.d.ts) type-check a user's
// code (tests/types/), through `import` and `require`.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { test } from "node:test";
import { fileURLToPath } from "node:url";

const tsc = fileURLToPath(new URL("../../node_modules/typescript/bin/tsc", import.meta.url));
const project = fileURLToPath(new URL("../types/tsconfig.json", import.meta.url));

test("tsc --noEmit tests/types", { skip: existsSync(tsc) ? false : "typescript is not installed (npm ci)" }, () => {
  const r = spawnSync(process.execPath, [tsc, "-p", project], { encoding: "utf8" });
  assert.equal(r.status, 0, `tsc failed:\n${r.stdout}${r.stderr}`);
});
