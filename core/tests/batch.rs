//! `build_many`: every golden case without flags built as one batch from disk, on 1, 2 and 4
//! threads, gives exactly what building each case alone gives (output or error), in order.
//! Also: the public types are `Send + Sync`.

use rustomize::{build, build_many_with_jobs, DiskFs, Options};
use std::path::{Path, PathBuf};

/// `dir = "..."` of a case.toml (default "."); `None` for cases with flags or pending.
fn case_root(case: &Path) -> Option<PathBuf> {
    let toml = std::fs::read_to_string(case.join("case.toml")).ok()?;
    let mut dir = ".".to_string();
    for line in toml.lines() {
        let line = line.trim();
        if line.starts_with("flags") || line.starts_with("pending") {
            return None;
        }
        if let Some(v) = line.strip_prefix("dir") {
            let v = v.trim_start().strip_prefix('=')?.trim();
            dir = v.trim_matches('"').to_string();
        }
    }
    Some(case.join("input").join(dir))
}

fn roots() -> Vec<String> {
    let testdata = Path::new(env!("CARGO_MANIFEST_DIR")).join("../testdata");
    let mut out = Vec::new();
    let mut areas: Vec<PathBuf> = std::fs::read_dir(&testdata).unwrap().flatten().map(|e| e.path()).filter(|p| p.is_dir()).collect();
    areas.sort();
    for area in areas {
        let mut cases: Vec<PathBuf> = std::fs::read_dir(&area).unwrap().flatten().map(|e| e.path()).collect();
        cases.sort();
        for case in cases {
            // Hostile inputs are tested on their own (core/tests/hostile.rs).
            if area.ends_with("bad") {
                continue;
            }
            if let Some(root) = case_root(&case) {
                let abs = std::fs::canonicalize(&root).unwrap_or(root);
                out.push(abs.to_string_lossy().into_owned());
            }
        }
    }
    out
}

#[test]
fn batch_equals_separate_builds() {
    let roots = roots();
    assert!(roots.len() > 250, "found only {} golden roots", roots.len());
    let opts = Options::default();
    let alone: Vec<Result<String, String>> = roots.iter().map(|r| build(&DiskFs, r, &opts).map_err(|e| e.to_string())).collect();
    assert!(alone.iter().filter(|r| r.is_ok()).count() > 200);
    for jobs in [1, 2, 4] {
        let batch = build_many_with_jobs(&DiskFs, &roots, &opts, jobs);
        assert_eq!(batch.len(), roots.len());
        for ((root, a), b) in roots.iter().zip(&alone).zip(batch) {
            assert_eq!(a, &b.map_err(|e| e.to_string()), "{} with {} jobs", root, jobs);
        }
    }
}

#[test]
fn public_types_are_send_and_sync() {
    fn check<T: Send + Sync>() {}
    check::<rustomize::Options>();
    check::<rustomize::Error>();
    check::<rustomize::Rendered>();
    check::<rustomize::resource::Resource>();
    check::<rustomize::resource::ResourceList>();
    check::<rustomize::yaml::Node>();
    check::<rustomize::MemFs>();
    check::<rustomize::DiskFs>();
    check::<rustomize::kustomization::Kustomization>();
    check::<rustomize::fieldspec::Config>();
}
