//! A batch of 200 JSON 6902 operations (test, replace, add, remove, copy, move) applied to the
//! large Deployment (50 containers x 40 env vars, 20 ports, 30 volume mounts; 60 volumes).
//! The patch is parsed once; the target is cloned outside the timed section per iteration.

use divan::{black_box, Bencher};
use rustomize::patch::Json6902Patch;
use rustomize_benches::{deployment, json6902_patch_yaml, LARGE};

fn main() {
    divan::main();
}

#[divan::bench]
fn apply_200_ops(bencher: Bencher) {
    let target = deployment(LARGE);
    let patch = Json6902Patch::parse(&json6902_patch_yaml()).unwrap();
    bencher
        .with_inputs(|| target.clone())
        .bench_local_refs(|t| black_box(&patch).apply(t).unwrap());
}

/// Decoding the patch text alone (YAML, typed as sigs.k8s.io/yaml would).
#[divan::bench]
fn parse_200_ops(bencher: Bencher) {
    let text = json6902_patch_yaml();
    bencher.bench_local(|| Json6902Patch::parse(black_box(&text)).unwrap());
}
