//! The binary prints the same bytes every time: 100 runs in a row, and 8 processes at once,
//! on a rich golden case (base, overlays, components, generators with hash suffixes).

mod common;

use common::{load_case, run, testdata};
use std::time::Duration;

const LIMIT: Duration = Duration::from_secs(60);
const CASES: &[&str] = &["app/production", "generators/refs_across_overlay_merge", "replacements/generated_configmap_hash"];

fn expected_and_dir(name: &str) -> (Vec<u8>, String) {
    let c = load_case(name, &testdata().join(name));
    assert!(c.expect_ok && c.flags.is_empty());
    (std::fs::read(c.path.join("expected.yaml")).unwrap(), c.build_dir().to_string_lossy().into_owned())
}

#[test]
fn hundred_runs_in_a_row() {
    let (expected, dir) = expected_and_dir(CASES[0]);
    for i in 0..100 {
        let out = run(&["build", &dir], LIMIT);
        assert!(out.status.success(), "run {}: {}", i, String::from_utf8_lossy(&out.stderr));
        assert!(out.stdout == expected, "run {} differs from expected.yaml", i);
    }
}

#[test]
fn eight_processes_at_once() {
    let cases: Vec<(Vec<u8>, String)> = CASES.iter().map(|n| expected_and_dir(n)).collect();
    std::thread::scope(|s| {
        for t in 0..8 {
            let cases = &cases;
            s.spawn(move || {
                for round in 0..4 {
                    let (expected, dir) = &cases[(t + round) % cases.len()];
                    let out = run(&["build", dir], LIMIT);
                    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
                    assert!(&out.stdout == expected, "process {} round {}: {} differs", t, round, dir);
                }
            });
        }
    });
}
