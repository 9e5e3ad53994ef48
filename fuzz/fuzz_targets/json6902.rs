//! A YAML target and a JSON patch (JSON text starting with `[`, else YAML), separated by a
//! `@@@` line. The patch is applied to each target document; nothing may panic and the
//! result can be emitted.
#![no_main]

#[path = "common.rs"]
mod common;

use libfuzzer_sys::fuzz_target;
use rustomize::patch::{apply_json6902, Json6902Patch};
use rustomize::yaml::emit::{to_string, try_to_string};
use rustomize::yaml::load::{load_one_with, LoadOptions};

fuzz_target!(|data: &[u8]| {
    let Some((targets, p)) = common::targets_and_patch(data) else {
        return;
    };
    let patch = Json6902Patch::parse(p);
    // The same operations through the node API, when the patch is YAML.
    let ops = load_one_with(p, &LoadOptions::kustomization())
        .ok()
        .flatten();
    for target in targets.iter().take(4) {
        if let Ok(patch) = &patch {
            let mut t = target.clone();
            if patch.apply(&mut t).is_ok() {
                let _ = try_to_string(&t);
                let _ = to_string(&t);
            }
        }
        if let Some(ops) = &ops {
            let mut t = target.clone();
            let _ = apply_json6902(&mut t, ops);
        }
    }
});
