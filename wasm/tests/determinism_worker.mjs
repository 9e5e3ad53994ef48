// Worker of tests/node/determinism.test.mjs: builds each given tree `rounds` times with its own
// instance of the package and posts the outputs back.
import { parentPort, workerData } from "node:worker_threads";
import { build } from "rustomize";

const outs = [];
for (let r = 0; r < workerData.rounds; r++) {
  for (const { files, root } of workerData.trees) outs.push(build(files, root, { onWarning: () => {} }));
}
parentPort.postMessage(outs);
