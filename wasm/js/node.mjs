// Entry point for Node.js's `import`: the CommonJS build (index.cjs), so that `import` and
// `require` share one instance and neither needs top-level await.
import cjs from "./index.cjs";

export const { build, buildResources, version, kustomizeVersion, isRustomizeError } = cjs;
