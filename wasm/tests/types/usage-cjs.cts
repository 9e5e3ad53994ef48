// The types through `require` (index.d.cts).
import rustomize = require("rustomize");

const yaml: string = rustomize.build({ "kustomization.yaml": "resources: []\n" });
const err: unknown = null;
if (rustomize.isRustomizeError(err)) {
  const kind: rustomize.ErrorKind = err.kind;
  console.log(kind);
}
console.log(yaml);
