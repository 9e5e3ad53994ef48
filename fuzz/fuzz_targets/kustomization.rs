//! Arbitrary text as a kustomization file (and as a replacements file). Nothing may panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rustomize::kustomization;

fuzz_target!(|data: &[u8]| {
    let Ok(src) = std::str::from_utf8(data) else {
        return;
    };
    let mut warnings = Vec::new();
    if let Ok(k) = kustomization::load_collecting(src, "/app", &mut warnings) {
        let _ = k.check_kind(false, "/app");
        let _ = k.check_kind(true, "/app");
    }
    let _ = kustomization::parse_replacements(src);
});
