//! The `rustomize` binary over the bad-input corpus (testdata/bad/) and over generated hostile
//! input: every error case exits non-zero with `Error: ...` naming the case's file on stderr,
//! nothing on stdout, no panic; every ok case prints expected.yaml. Each run has a time limit.

mod common;

use common::{area, run};
use std::time::Duration;

const LIMIT: Duration = Duration::from_secs(60);

#[test]
fn bad_corpus() {
    let cases = area("bad");
    assert!(cases.iter().filter(|c| !c.expect_ok && !c.pending).count() >= 50, "fewer than 50 error cases in testdata/bad");
    let mut checked = 0;
    for c in cases.iter().filter(|c| !c.pending) {
        let dir = c.build_dir();
        let mut args: Vec<&str> = vec!["build"];
        args.extend(c.flags.iter().map(String::as_str));
        let dir_s = dir.to_string_lossy().into_owned();
        args.push(&dir_s);
        let out = run(&args, LIMIT);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!stderr.contains("panicked") && !stderr.contains("internal error"), "{}: {}", c.name, stderr);
        if c.expect_ok {
            assert!(out.status.success(), "{}: exit {:?}\n{}", c.name, out.status, stderr);
            let expected = std::fs::read(c.path.join("expected.yaml")).unwrap();
            assert!(out.stdout == expected, "{}: output differs from expected.yaml", c.name);
        } else {
            assert_eq!(out.status.code(), Some(1), "{}: exit {:?}\n{}", c.name, out.status, stderr);
            assert!(out.stdout.is_empty(), "{}: output on stdout", c.name);
            assert!(stderr.starts_with("Error: ") || stderr.contains("\nError: "), "{}: {}", c.name, stderr);
            let file = c.error_file.as_deref().unwrap().trim_start_matches('/');
            assert!(stderr.contains(file), "{}: stderr does not name {}: {}", c.name, file, stderr);
        }
        checked += 1;
    }
    assert!(checked > 100);
}

/// Generated input too big or too odd for the corpus, through the binary.
#[test]
fn generated_hostile_input() {
    let tmp = std::env::temp_dir().join(format!("rustomize-cli-hostile-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&tmp);
    let write = |rel: &str, data: &[u8]| {
        let p = tmp.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, data).unwrap();
    };
    let mut bomb = String::from("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: lol\ndata:\n  a: &a [lol,lol,lol,lol,lol,lol,lol,lol,lol]\n");
    for i in 0..8u8 {
        let (me, prev) = ((b'b' + i) as char, (b'a' + i) as char);
        bomb.push_str(&format!("  {me}: &{me} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n"));
    }
    let deep = format!("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  a: {}{}\n", "[".repeat(10_000), "]".repeat(10_000));
    let garbage: Vec<u8> = (0..4096u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect();
    for (name, body) in [("bomb", bomb.into_bytes()), ("deep", deep.into_bytes()), ("garbage", garbage)] {
        write(&format!("{}/kustomization.yaml", name), b"resources:\n- r.yaml\n");
        write(&format!("{}/r.yaml", name), &body);
        let dir = tmp.join(name).to_string_lossy().into_owned();
        let out = run(&["build", &dir], LIMIT);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{}: {}", name, stderr);
        assert!(stderr.starts_with("Error: ") && stderr.contains("r.yaml") && !stderr.contains("panicked"), "{}: {}", name, stderr);
    }
    // A chain of 1,000 bases: refused (nesting limit), not a stack overflow.
    for i in 0..1000 {
        write(&format!("chain/b{}/kustomization.yaml", i), format!("resources:\n- ../b{}\n", i + 1).as_bytes());
    }
    write("chain/b1000/kustomization.yaml", b"resources: []\n");
    let out = run(&["build", &tmp.join("chain/b0").to_string_lossy()], LIMIT);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{}", stderr);
    assert!(stderr.contains("nested more than") && stderr.contains("b50"), "{}", stderr);
    let _ = std::fs::remove_dir_all(&tmp);
}

/// A secretGenerator value does not show in the CLI's error.
#[test]
fn secret_not_in_error() {
    let tmp = std::env::temp_dir().join(format!("rustomize-cli-secret-{}", std::process::id()));
    std::fs::create_dir_all(&tmp).unwrap();
    std::fs::write(tmp.join("kustomization.yaml"), "secretGenerator:\n- name: s\n  literals:\n  - password=S3CR3T-VALUE-xyz\n  - oops\n").unwrap();
    let out = run(&["build", &tmp.to_string_lossy()], LIMIT);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{}", stderr);
    assert!(stderr.contains("kustomization.yaml") && stderr.contains("invalid literal source"), "{}", stderr);
    assert!(!stderr.contains("S3CR3T"), "{}", stderr);
    let _ = std::fs::remove_dir_all(&tmp);
}
