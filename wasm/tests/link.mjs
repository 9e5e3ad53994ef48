// Makes the built package (pkg/, see build.sh) importable by its name from the tests, as a
// dependency would be: node_modules/rustomize -> ../pkg. Run after `npm ci`, which clears
// node_modules.
import { existsSync, lstatSync, mkdirSync, readlinkSync, rmSync, symlinkSync } from "node:fs";
import { fileURLToPath } from "node:url";

const wasmDir = fileURLToPath(new URL("..", import.meta.url));
const pkg = `${wasmDir}pkg`;
const link = `${wasmDir}node_modules/rustomize`;

if (!existsSync(`${pkg}/package.json`)) {
  console.error("tests/link.mjs: wasm/pkg is missing: run wasm/build.sh first");
  process.exit(1);
}
mkdirSync(`${wasmDir}node_modules`, { recursive: true });
let stale = true;
try {
  stale = !lstatSync(link).isSymbolicLink() || readlinkSync(link) !== "../pkg";
} catch {
  stale = true;
}
if (stale) {
  rmSync(link, { recursive: true, force: true });
  symlinkSync("../pkg", link, "dir");
}
