//! Arbitrary text through the YAML loader (every `LoadOptions` preset), then the emitter, then
//! the loader again. Nothing may panic, and emitting is idempotent: a document emitted,
//! reloaded and emitted again gives the same text.
//!
//! Not checked for texts holding U+0085, U+2028 or U+2029: go-yaml reads these as line breaks
//! (YAML 1.1) where our parser reads them as ordinary characters (YAML 1.2), a known
//! difference (see fuzz/README.md), so the emitter's output (which, like kustomize's, can hold
//! them raw) does not load back to the same value.
#![no_main]

#[path = "common.rs"]
mod common;

use libfuzzer_sys::fuzz_target;
use rustomize::yaml::emit::{to_string, to_string_stream, try_to_string};
use rustomize::yaml::load::{load_documents_with, LoadOptions};

fuzz_target!(|data: &[u8]| {
    let Some((src, presets)) = common::text_and_presets(data) else {
        return;
    };
    for opts in presets {
        let Ok(docs) = load_documents_with(src, &opts) else {
            continue;
        };
        let _ = to_string_stream(docs.iter());
        for doc in &docs {
            let lenient = to_string(doc);
            if let Ok(strict) = try_to_string(doc) {
                assert_eq!(strict, lenient, "try_to_string and to_string differ");
            }
            // The emitted text is a plain stream of one document.
            match load_documents_with(&lenient, &LoadOptions::stream()) {
                Ok(again) => {
                    assert_eq!(
                        again.len(),
                        1,
                        "emitted text is not one document:\n{lenient}"
                    );
                    if !lenient.contains(['\u{85}', '\u{2028}', '\u{2029}']) {
                        let second = to_string(&again[0]);
                        assert_eq!(second, lenient, "emit(load(emit(x))) != emit(x)");
                    }
                }
                Err(e) => panic!("emitted text does not load again: {e}\n---\n{lenient}"),
            }
        }
    }
});
