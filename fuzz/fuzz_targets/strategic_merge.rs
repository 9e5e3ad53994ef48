//! Two YAML texts separated by a `@@@` line: targets and strategic-merge patches (loaded as
//! kustomize loads resources). Every patch is applied to every target in turn; nothing may
//! panic, a failed merge leaves the target unchanged, and the result can be emitted.
#![no_main]

#[path = "common.rs"]
mod common;

use libfuzzer_sys::fuzz_target;
use rustomize::patch::{merge_patch, SmOutcome};
use rustomize::yaml::emit::{to_string, try_to_string};
use rustomize::yaml::load::load_documents;

fuzz_target!(|data: &[u8]| {
    let Some((targets, p)) = common::targets_and_patch(data) else {
        return;
    };
    let Ok(patches) = load_documents(p) else {
        return;
    };
    for mut target in targets.into_iter().take(4) {
        for patch in patches.iter().take(4) {
            let before = target.clone();
            match merge_patch(&mut target, patch, None) {
                Ok(SmOutcome::Merged) => {
                    let _ = try_to_string(&target);
                    let _ = to_string(&target);
                }
                Ok(SmOutcome::Deleted) => break,
                Err(_) => assert!(target == before, "a failed merge changed the target"),
            }
        }
    }
});
