//! A whole `kustomize build` of an overlay on an in-memory file system: a base of 200
//! resources (40 apps x Deployment, Service, ConfigMap, HPA, Ingress) and an overlay with
//! namePrefix, namespace, labels, commonAnnotations, images, replicas, strategic-merge and
//! JSON 6902 patches and a configMapGenerator. Output is the YAML text, as the CLI prints it.

use divan::{black_box, Bencher};
use rustomize::{build, Options};
use rustomize_benches::{overlay_fs, OVERLAY_DIR};

fn main() {
    divan::main();
}

#[divan::bench]
fn overlay_200_resources(bencher: Bencher) {
    let fs = overlay_fs();
    let options = Options::default();
    bencher.bench_local(|| build(black_box(&fs), OVERLAY_DIR, &options).unwrap());
}
