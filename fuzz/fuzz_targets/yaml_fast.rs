//! The loader's fast path (`yaml/fast.rs`) against the event parser: for arbitrary text and
//! every `LoadOptions` preset, each text (kyaml piece) the fast path reads must give exactly
//! the documents the event parser gives for it, and the whole result (documents or error)
//! must be the same with and without the fast path.
#![no_main]

#[path = "common.rs"]
mod common;

use libfuzzer_sys::fuzz_target;
use rustomize::yaml::load::{load_documents_checked, load_documents_event_parser};

fuzz_target!(|data: &[u8]| {
    let Some((src, presets)) = common::text_and_presets(data) else {
        return;
    };
    for opts in presets {
        let (fast, stats) = load_documents_checked(src, &opts, true);
        assert!(
            stats.mismatches.is_empty(),
            "fast path and event parser differ:\n{}",
            stats.mismatches.join("\n")
        );
        if stats.accepted == 0 {
            // The event parser read everything: nothing to compare (and alias bombs, which
            // the fast path leaves alone, are not expanded twice).
            continue;
        }
        let slow = load_documents_event_parser(src, &opts);
        assert!(
            fast == slow,
            "results differ for {:?} ({:?}):\nwith the fast path: {:?}\nevent parser only: {:?}",
            src,
            opts,
            fast.as_ref().map_err(|e| e.to_string()),
            slow.as_ref().map_err(|e| e.to_string())
        );
    }
});
