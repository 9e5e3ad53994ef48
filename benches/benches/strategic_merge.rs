//! Strategic merge of a patch touching a few containers, env vars, mounts, ports and volumes
//! into a Deployment with long lists (50 containers x 40 env vars, 20 ports, 30 volume
//! mounts; 60 volumes). The target is cloned outside the timed section for every iteration.

use divan::{black_box, Bencher};
use rustomize::patch::merge_patch;
use rustomize_benches::{deployment, strategic_merge_patch, LARGE};

fn main() {
    divan::main();
}

#[divan::bench]
fn merge_into_large_deployment(bencher: Bencher) {
    let target = deployment(LARGE);
    let patch = strategic_merge_patch();
    bencher
        .with_inputs(|| target.clone())
        .bench_local_refs(|t| merge_patch(t, black_box(&patch), None).unwrap());
}
