// Type-checked (not run) by tests/node/types.test.mjs: the package's types as a user sees them.
import { build, buildResources, isRustomizeError, kustomizeVersion, version } from "rustomize";
import type { BuildOptions, ErrorKind, Files, Resource, RustomizeError } from "rustomize";
import init, { initSync, build as buildAfterInit } from "rustomize/init";

const files: Files = { "kustomization.yaml": "resources: [cm.yaml]\n", "cm.yaml": new Uint8Array() };
const options: BuildOptions = { reorder: "none", flags: ["--enable-managedby-label"], onWarning: (w: string) => console.log(w) };
const text: string = build(files);
build(new Map([["kustomization.yaml", "resources: []\n"]]), "/", options);
build(files, null, null);
const resources: Resource[] = buildResources(files, "overlays/prod");
const name: string | undefined = resources[0]?.metadata?.name;
const versions: string[] = [version(), kustomizeVersion()];

try {
  build(files);
} catch (e) {
  if (isRustomizeError(e)) {
    const err: RustomizeError = e;
    const kind: ErrorKind = err.kind;
    const where: [string | null, number | null, number | null] = [err.path, err.line, err.column];
    const chain: string[] = err.chain;
    console.log(kind, where, chain, err.message, err.detail);
  }
}

async function main(): Promise<void> {
  await init();
  await init({ module_or_path: "/rustomize_bg.wasm" });
  initSync({ module: new Uint8Array() });
  console.log(buildAfterInit(files), text, name, versions);
}
void main;

// @ts-expect-error: unknown reorder value
build(files, "/", { reorder: "sorted" });
// @ts-expect-error: files must be strings or bytes
build({ "a.yaml": 5 });
