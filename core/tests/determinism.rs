//! The same input gives the same bytes: 100 builds in a row, and 8 threads building at once,
//! over rich golden cases (bases, overlays and components; generators with hash suffixes and
//! behaviors; patches; replacements; sortOptions), from memory and from disk. Each output
//! is also the reference's (expected.yaml).

use rustomize::{build, render, DiskFs, MemFs, Options};
use std::path::{Path, PathBuf};

const CASES: &[&str] = &[
    "app/production",
    "app/production_eu",
    "generators/refs_across_overlay_merge",
    "generators/secret_behavior_merge",
    "generators/generator_options_global",
    "generators/secret_long_value",
    "patches/combined_overlay",
    "patches/sm_patches_applied_in_order",
    "replacements/generated_configmap_hash",
    "replacements/multiple_fieldpaths_and_targets",
    "sort/sort_options_custom_legacy",
    "sort/sort_options_fifo",
];

struct Case {
    name: &'static str,
    input: PathBuf,
    fs: MemFs,
    dir: String,
    options: Options,
    expected: String,
}

fn testdata() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join("testdata")
}

/// The quoted strings of a case.toml value (`"a"` or `["a", "b"]`).
fn strings(value: &str) -> Vec<String> {
    value.split('"').skip(1).step_by(2).map(str::to_string).collect()
}

fn load(name: &'static str) -> Case {
    let path = testdata().join(name);
    let toml = std::fs::read_to_string(path.join("case.toml")).unwrap();
    let get = |key: &str| {
        toml.lines().find_map(|l| l.strip_prefix(key).map(str::trim_start).and_then(|r| r.strip_prefix('=')).map(strings))
    };
    let dir = get("dir").and_then(|v| v.into_iter().next()).unwrap_or_else(|| ".".into());
    let flags = get("flags").unwrap_or_default();
    assert!(get("pending").is_none() && toml.contains("expect = \"ok\""), "{}: not an ok case", name);
    let input = path.join("input");
    let mut fs = MemFs::new();
    fn walk(base: &Path, dir: &Path, fs: &mut MemFs) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(base, &p, fs);
            } else {
                let rel = p.strip_prefix(base).unwrap().to_string_lossy().replace('\\', "/");
                fs.add(&format!("/{}", rel), std::fs::read(&p).unwrap());
            }
        }
    }
    walk(&input, &input, &mut fs);
    let d = dir.trim_start_matches("./").trim_matches('/');
    let dir = if d.is_empty() || d == "." { "/".to_string() } else { format!("/{}", d) };
    Case {
        name,
        input,
        fs,
        dir,
        options: Options::from_flags(&flags).unwrap(),
        expected: std::fs::read_to_string(path.join("expected.yaml")).unwrap(),
    }
}

fn cases() -> Vec<Case> {
    CASES.iter().map(|n| load(n)).collect()
}

/// The richest cases, built 100 times in a row (every case 10 times).
const HUNDRED: &[&str] = &["app/production", "generators/refs_across_overlay_merge", "patches/combined_overlay", "replacements/generated_configmap_hash"];

#[test]
fn hundred_builds_in_a_row() {
    for c in cases() {
        let n = if HUNDRED.contains(&c.name) { 100 } else { 10 };
        let first = render(&c.fs, &c.dir, &c.options).unwrap();
        for i in 0..n {
            let out = build(&c.fs, &c.dir, &c.options).unwrap();
            assert!(out == c.expected, "{}: build {} differs from expected.yaml", c.name, i);
            if i % 10 == 0 {
                let again = render(&c.fs, &c.dir, &c.options).unwrap();
                assert_eq!(again.warnings, first.warnings, "{}: warnings of build {}", c.name, i);
            }
        }
    }
}

#[test]
fn eight_threads_at_once() {
    let cases = cases();
    std::thread::scope(|s| {
        let handles: Vec<_> = (0..8)
            .map(|t| {
                let cases = &cases;
                s.spawn(move || {
                    // Each thread starts at another case, so different builds overlap.
                    for round in 0..3 {
                        for k in 0..cases.len() {
                            let c = &cases[(k + t + round) % cases.len()];
                            let out = build(&c.fs, &c.dir, &c.options).unwrap();
                            assert!(out == c.expected, "{}: thread {} round {} differs from expected.yaml", c.name, t, round);
                        }
                    }
                })
            })
            .collect();
        for h in handles {
            h.join().unwrap();
        }
    });
}

/// From disk (DiskFs: directory listings, file reads), in a row and from 8 threads.
#[test]
fn from_disk() {
    let cases = cases();
    for c in &cases {
        let dir = c.input.join(c.dir.trim_start_matches('/'));
        let dir = dir.to_string_lossy().replace('\\', "/");
        for _ in 0..3 {
            assert!(build(&DiskFs, &dir, &c.options).unwrap() == c.expected, "{}: from disk", c.name);
        }
    }
    std::thread::scope(|s| {
        for t in 0..8 {
            let cases = &cases;
            s.spawn(move || {
                for k in 0..cases.len() {
                    let c = &cases[(k + t) % cases.len()];
                    let dir = c.input.join(c.dir.trim_start_matches('/')).to_string_lossy().replace('\\', "/");
                    assert!(build(&DiskFs, &dir, &c.options).unwrap() == c.expected, "{}: from disk, thread {}", c.name, t);
                }
            });
        }
    });
}
