//! Hostile input that the golden corpus (testdata/bad/) cannot hold: symlinks and absolute
//! paths (a real directory, DiskFs), inputs generated at test time (a big scalar, a mapping
//! with many keys, an alias bomb, deep nesting), each built in a child process whose peak
//! memory is measured. Every build ends with output or an `Error` naming the file: no panic,
//! no abort, no hang.
//!
//! The outcome of each case was checked against `kubectl kustomize` (v5.5.0); where it differs
//! in kind of failure (kustomize hangs or exhausts memory), the comment says so.

use rustomize::{build, DiskFs, ErrorKind, MemFs, Options};
use std::path::PathBuf;
use std::time::{Duration, Instant};

const CM: &str = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\n";

/// A temporary directory, removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> TempDir {
        let p = std::env::temp_dir().join(format!("rustomize-hostile-{}-{}", std::process::id(), name));
        let _ = std::fs::remove_dir_all(&p);
        std::fs::create_dir_all(&p).unwrap();
        // The canonical path: builds report paths with symlinks of the temp dir resolved.
        TempDir(std::fs::canonicalize(&p).unwrap())
    }
    fn path(&self, rel: &str) -> PathBuf {
        self.0.join(rel)
    }
    fn write(&self, rel: &str, data: &str) {
        let p = self.path(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, data).unwrap();
    }
    #[cfg(unix)]
    fn symlink(&self, target: &str, rel: &str) {
        let p = self.path(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::os::unix::fs::symlink(target, p).unwrap();
    }
    fn dir(&self, rel: &str) -> String {
        self.path(rel).to_string_lossy().into_owned()
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn build_disk(dir: &str, flags: &[&str]) -> Result<String, rustomize::Error> {
    build(&DiskFs, dir, &Options::from_flags(flags).unwrap())
}

fn expect_err(r: Result<String, rustomize::Error>, kind: ErrorKind, names: &str) {
    match r {
        Ok(out) => panic!("expected a {:?} error naming {}, got output:\n{}", kind, names, out),
        Err(e) => {
            assert_eq!(e.kind(), kind, "{}", e);
            assert!(e.to_string().contains(names), "error does not name {}: {}", names, e);
        }
    }
}

// ------------------------------------------------------------------------------------------
// Symlinks and absolute paths under the default load restriction (LoadRestrictionsRootOnly).

#[cfg(unix)]
#[test]
fn symlinks() {
    let t = TempDir::new("symlinks");
    // A file symlink pointing outside the root: refused (kubectl: "security; file ... is not in
    // or below ...").
    t.write("s1/outside/cm.yaml", CM);
    t.symlink("../outside/cm.yaml", "s1/app/cm.yaml");
    t.write("s1/app/kustomization.yaml", "resources:\n- cm.yaml\n");
    expect_err(build_disk(&t.dir("s1/app"), &[]), ErrorKind::LoadRestriction, "cm.yaml");
    // ... accepted without the restriction (kubectl too).
    assert!(build_disk(&t.dir("s1/app"), &["--load-restrictor", "LoadRestrictionsNone"]).unwrap().contains("name: cfg"));

    // A directory symlink to a base outside the root: bases are not restricted (kubectl
    // builds it).
    t.write("s2/outside/cm.yaml", CM);
    t.write("s2/outside/kustomization.yaml", "resources:\n- cm.yaml\n");
    t.symlink("../outside", "s2/app/base");
    t.write("s2/app/kustomization.yaml", "resources:\n- base\n");
    assert!(build_disk(&t.dir("s2/app"), &[]).unwrap().contains("name: cfg"));

    // A secretGenerator file symlinked to outside the root: refused, and the secret stays out
    // of the message.
    t.write("s3/secret.txt", "S3CR3T-VALUE-xyz");
    t.symlink("../secret.txt", "s3/app/pw.txt");
    t.write("s3/app/kustomization.yaml", "secretGenerator:\n- name: s\n  files:\n  - pw.txt\n");
    let e = build_disk(&t.dir("s3/app"), &[]).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::LoadRestriction, "{}", e);
    assert!(e.to_string().contains("pw.txt") && !e.to_string().contains("S3CR3T"), "{}", e);

    // A symlink loop (kubectl: "EvalSymlinks: too many links").
    t.symlink("b", "s4/app/a");
    t.symlink("a", "s4/app/b");
    t.write("s4/app/kustomization.yaml", "resources:\n- a\n");
    expect_err(build_disk(&t.dir("s4/app"), &[]), ErrorKind::NotFound, "s4/app/a");

    // kustomization.yaml itself a symlink to a file outside the root (kubectl: "unable to find
    // one of 'kustomization.yaml', ...").
    t.write("s5/k.yaml", "namePrefix: x-\n");
    t.symlink("../k.yaml", "s5/app/kustomization.yaml");
    expect_err(build_disk(&t.dir("s5/app"), &[]), ErrorKind::LoadRestriction, "kustomization.yaml");

    // A symlink inside the root to a file inside the root: fine.
    t.write("s6/app/real/cm.yaml", CM);
    t.symlink("real/cm.yaml", "s6/app/cm.yaml");
    t.write("s6/app/kustomization.yaml", "resources:\n- cm.yaml\n");
    assert!(build_disk(&t.dir("s6/app"), &[]).unwrap().contains("name: cfg"));

    // A patch symlinked to outside the root.
    t.write("s10/app/cm.yaml", CM);
    t.write("s10/p.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\ndata:\n  a: b\n");
    t.symlink("../p.yaml", "s10/app/p.yaml");
    t.write("s10/app/kustomization.yaml", "resources:\n- cm.yaml\npatches:\n- path: p.yaml\n");
    expect_err(build_disk(&t.dir("s10/app"), &[]), ErrorKind::LoadRestriction, "p.yaml");

    // A dangling symlink.
    t.symlink("nowhere.yaml", "s11/app/cm.yaml");
    t.write("s11/app/kustomization.yaml", "resources:\n- cm.yaml\n");
    expect_err(build_disk(&t.dir("s11/app"), &[]), ErrorKind::NotFound, "cm.yaml");

    // The kustomization root is itself a symlink: fine.
    t.write("s12/real/cm.yaml", CM);
    t.write("s12/real/kustomization.yaml", "resources:\n- cm.yaml\n");
    t.symlink("real", "s12/app");
    assert!(build_disk(&t.dir("s12/app"), &[]).unwrap().contains("name: cfg"));
}

#[cfg(unix)]
#[test]
fn absolute_paths() {
    let t = TempDir::new("absolute");
    let outside = t.path("outside.yaml");
    t.write("outside.yaml", CM);
    // An absolute path to a file outside the root: refused.
    t.write("a/app/kustomization.yaml", &format!("resources:\n- {}\n", outside.display()));
    expect_err(build_disk(&t.dir("a/app"), &[]), ErrorKind::LoadRestriction, "outside.yaml");
    // An absolute path to a file inside the root: accepted (kubectl too).
    t.write("b/app/cm.yaml", CM);
    t.write("b/app/kustomization.yaml", &format!("resources:\n- {}\n", t.path("b/app/cm.yaml").display()));
    assert!(build_disk(&t.dir("b/app"), &[]).unwrap().contains("name: cfg"));
    // An absolute path to a base directory, even inside the root: kustomize refuses it ("new
    // root '...' cannot be absolute").
    t.write("c/app/base/cm.yaml", CM);
    t.write("c/app/base/kustomization.yaml", "resources:\n- cm.yaml\n");
    t.write("c/app/kustomization.yaml", &format!("resources:\n- {}\n", t.path("c/app/base").display()));
    let e = build_disk(&t.dir("c/app"), &[]).unwrap_err();
    assert!(e.to_string().contains("cannot be absolute") && e.to_string().contains("c/app/base"), "{}", e);
    // An absolute env file of a generator outside the root.
    t.write("d/x.env", "A=1\n");
    t.write("d/app/kustomization.yaml", &format!("configMapGenerator:\n- name: c\n  envs:\n  - {}\n", t.path("d/x.env").display()));
    expect_err(build_disk(&t.dir("d/app"), &[]), ErrorKind::LoadRestriction, "x.env");
    // The same in memory: an absolute path outside the root is refused, inside accepted.
    let mut fs = MemFs::new();
    fs.add("/app/kustomization.yaml", "resources:\n- /other/cm.yaml\n");
    fs.add("/other/cm.yaml", CM);
    expect_err(build(&fs, "/app", &Options::default()), ErrorKind::LoadRestriction, "/other/cm.yaml");
    fs.add("/app/kustomization.yaml", "resources:\n- /app/cm.yaml\n");
    fs.add("/app/cm.yaml", CM);
    assert!(build(&fs, "/app", &Options::default()).unwrap().contains("name: cfg"));
}

// ------------------------------------------------------------------------------------------
// Generated inputs, built in a child process (this test binary, run again on one case) whose
// peak resident memory is measured, with a time limit.

/// Sizes: the full ones in an optimized build; smaller in a debug build (a debug build of the
/// parser and emitter is ~15 times slower), so that `cargo test` stays quick.
fn big(full: usize, debug: usize) -> usize {
    if cfg!(debug_assertions) {
        debug
    } else {
        full
    }
}

fn one_resource(body: &str) -> MemFs {
    let mut fs = MemFs::new();
    fs.add("/kustomization.yaml", "resources:\n- big.yaml\n");
    fs.add("/big.yaml", body.to_string());
    fs
}

/// Runs the case `name` in this process (the child). Returns the input size in bytes.
fn run_case(name: &str) -> usize {
    match name {
        // One scalar of 50 MB (8 MB in a debug build): built, and the output holds it.
        "big_scalar" => {
            let n = big(50 << 20, 8 << 20);
            let mut s = String::with_capacity(n + 100);
            s.push_str("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\ndata:\n  a: ");
            s.extend(std::iter::repeat_n('x', n));
            s.push('\n');
            let len = s.len();
            let out = build(&one_resource(&s), "/", &Options::default()).unwrap();
            drop(s);
            assert_eq!(out.len(), n + "apiVersion: v1\ndata:\n  a: \nkind: ConfigMap\nmetadata:\n  name: big\n".len());
            len
        }
        // A mapping of 200,000 keys (50,000 in a debug build); kubectl takes more than ten
        // minutes on it (kyaml is quadratic in the keys of a mapping).
        "many_keys" => {
            let n = big(200_000, 50_000);
            let mut s = String::from("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\ndata:\n");
            for i in 0..n {
                s.push_str(&format!("  k{}: v{}\n", i, i));
            }
            let out = build(&one_resource(&s), "/", &Options::default()).unwrap();
            assert_eq!(out.matches('\n').count(), n + 5);
            s.len()
        }
        // Billion laughs: nine levels of nine aliases. kubectl grows without bound (4.8 GB
        // after 16 s); rustomize refuses it at once.
        "alias_bomb" => {
            let mut s = String::from("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: lol\ndata:\n  a: &a [lol,lol,lol,lol,lol,lol,lol,lol,lol]\n");
            for i in 0..8u8 {
                let (me, prev) = ((b'b' + i) as char, (b'a' + i) as char);
                s.push_str(&format!("  {me}: &{me} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n"));
            }
            let e = build(&one_resource(&s), "/", &Options::default()).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::Yaml, "{}", e);
            assert!(e.to_string().contains("/big.yaml") && e.message().contains("excessive aliasing"), "{}", e);
            s.len()
        }
        // 10,000 nested flow sequences (kubectl: "exceeded max depth of 10000" at 9999 and up).
        "deep_flow" => {
            let n = 10_000;
            let s = format!("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  a: {}{}\n", "[".repeat(n), "]".repeat(n));
            let e = build(&one_resource(&s), "/", &Options::default()).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::Yaml, "{}", e);
            assert!(e.to_string().contains("/big.yaml") && e.message().contains("depth"), "{}", e);
            s.len()
        }
        // 10,000 nested block sequences (`- - - ... x`).
        "deep_block" => {
            let n = 10_000;
            let s = format!("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\nspec:\n  a:\n  {}x\n", "- ".repeat(n));
            let e = build(&one_resource(&s), "/", &Options::default()).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::Yaml, "{}", e);
            assert!(e.to_string().contains("/big.yaml") && e.message().contains("depth"), "{}", e);
            s.len()
        }
        // A chain of bases, each the only resource of the one above: 50 kustomizations build
        // (within the 2 MiB stack of a test thread, in a debug build), 1,000 are refused
        // (rustomize's nesting limit; kubectl builds them).
        "deep_bases" => {
            let chain = |n: usize| {
                let mut fs = MemFs::new();
                for i in 0..n {
                    fs.add(&format!("/b{}/kustomization.yaml", i), format!("resources:\n- ../b{}\n", i + 1));
                }
                fs.add(&format!("/b{}/kustomization.yaml", n), "resources:\n- cm.yaml\n");
                fs.add(&format!("/b{}/cm.yaml", n), CM);
                build(&fs, "/b0", &Options::default())
            };
            assert_eq!(chain(49).unwrap(), CM);
            let e = chain(1000).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::Kustomization, "{}", e);
            assert!(e.to_string().contains("../b50") && e.message().contains("nested more than 50 deep"), "{}", e);
            1000 * 30
        }
        other => panic!("unknown case {}", other),
    }
}

/// Peak resident memory of this process in KiB (Linux), else None.
fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

const CHILD_ENV: &str = "RUSTOMIZE_HOSTILE_CASE";

/// The child's entry point: does nothing unless the parent set RUSTOMIZE_HOSTILE_CASE.
#[test]
fn child_entry() {
    let Ok(name) = std::env::var(CHILD_ENV) else { return };
    let input = run_case(&name);
    println!("HOSTILE input={} peak_kib={}", input, peak_rss_kib().map(|k| k as i64).unwrap_or(-1));
}

/// Runs `name` in a child process; returns (input bytes, peak resident KiB if known, seconds).
fn in_child(name: &str) -> (usize, Option<u64>, f64) {
    let exe = std::env::current_exe().unwrap();
    let start = Instant::now();
    let mut child = std::process::Command::new(exe)
        .args(["child_entry", "--exact", "--nocapture", "--test-threads=1", "-q"])
        .env(CHILD_ENV, name)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let limit = Duration::from_secs(120);
    loop {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            panic!("{}: no result after {:?}", name, limit);
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let out = child.wait_with_output().unwrap();
    let secs = start.elapsed().as_secs_f64();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{}: child failed ({}):\n{}\n{}", name, out.status, stdout, stderr);
    assert!(!stderr.contains("panicked") || stdout.contains("test result: ok"), "{}:\n{}", name, stderr);
    let line = stdout.lines().find(|l| l.starts_with("HOSTILE ")).unwrap_or_else(|| panic!("{}: no result line:\n{}", name, stdout));
    let field = |k: &str| line.split_whitespace().find_map(|w| w.strip_prefix(k)).and_then(|v| v.parse::<i64>().ok()).unwrap();
    let peak = field("peak_kib=");
    (field("input=") as usize, (peak >= 0).then_some(peak as u64), secs)
}

/// `name` ends well, with a peak memory of at most `per_byte` times its input plus `base_mib`
/// MiB (the test harness, the generated input and its copy in the in-memory file system are
/// counted).
fn bounded(name: &str, per_byte: u64, base_mib: u64) {
    let (input, peak, secs) = in_child(name);
    eprintln!("{}: input {} bytes, peak {:?} KiB, {:.1} s", name, input, peak, secs);
    if let Some(kib) = peak {
        let limit = (input as u64 * per_byte) / 1024 + base_mib * 1024;
        assert!(kib <= limit, "{}: peak memory {} KiB over the bound {} KiB (input {} bytes)", name, kib, limit, input);
    }
}

#[test]
fn big_scalar_bounded() {
    bounded("big_scalar", 12, 32);
}

#[test]
fn many_keys_bounded() {
    bounded("many_keys", 40, 32);
}

#[test]
fn alias_bomb_bounded() {
    bounded("alias_bomb", 0, 256);
}

#[test]
fn deep_flow_nesting_bounded() {
    bounded("deep_flow", 0, 64);
}

#[test]
fn deep_block_nesting_bounded() {
    bounded("deep_block", 0, 64);
}

#[test]
fn deep_bases_bounded() {
    bounded("deep_bases", 0, 64);
}
