//! Helpers shared by the fuzz targets (included with `#[path]`, not a target itself).
#![allow(dead_code)]

/// The line separating the two parts of a two-part input (`target` and `patch`).
pub const SEP: &str = "\n@@@\n";

/// Splits a two-part input at the first `\n@@@\n` line; `None` when there is none.
pub fn split2(text: &str) -> Option<(&str, &str)> {
    let i = text.find(SEP)?;
    Some((&text[..i + 1], &text[i + SEP.len()..]))
}

/// A two-part input: the target documents (loaded as kustomize loads resources) and the
/// patch text; `None` when the input is not UTF-8, has no separator or its targets don't load.
pub fn targets_and_patch(data: &[u8]) -> Option<(Vec<rustomize::yaml::Node>, &str)> {
    let text = std::str::from_utf8(data).ok()?;
    let (t, p) = split2(text)?;
    let targets = rustomize::yaml::load::load_documents(t).ok()?;
    Some((targets, p))
}

/// The input as text, with every loader preset (`resources`, `kustomization`, `stream`);
/// `None` when the input is not UTF-8.
pub fn text_and_presets(data: &[u8]) -> Option<(&str, [rustomize::yaml::load::LoadOptions; 3])> {
    use rustomize::yaml::load::LoadOptions;
    let text = std::str::from_utf8(data).ok()?;
    Some((text, [LoadOptions::resources(), LoadOptions::kustomization(), LoadOptions::stream()]))
}

/// Keeps the fuzzer away from the network and from other programs: the build runs `git`
/// (remote bases) and `curl` (http resources) by name, so an empty `PATH` makes them fail
/// fast with an error instead. Called at the start of every input (cheap and idempotent).
pub fn no_external_programs() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        // libFuzzer runs the inputs on one thread, so nothing reads the environment meanwhile.
        std::env::set_var("PATH", "/nonexistent-rustomize-fuzz");
    });
}
