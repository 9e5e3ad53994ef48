//! Shared by the CLI tests: the golden corpus (testdata/, see testdata/README.md) and running
//! the built `rustomize` binary with a time limit.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

pub fn testdata() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join("testdata")
}

pub struct Case {
    pub name: String,
    pub path: PathBuf,
    pub dir: String,
    pub flags: Vec<String>,
    pub expect_ok: bool,
    pub error_file: Option<String>,
    pub pending: bool,
}

impl Case {
    /// The directory to build, on disk.
    pub fn build_dir(&self) -> PathBuf {
        self.path.join("input").join(self.dir.trim_start_matches("./"))
    }
}

/// The quoted strings of a case.toml value (`"a"` or `["a", "b"]`); the corpus's strings have
/// no escaped quotes in the keys read here.
fn strings(value: &str) -> Vec<String> {
    value.split('"').skip(1).step_by(2).map(str::to_string).collect()
}

pub fn load_case(name: &str, path: &Path) -> Case {
    let toml = std::fs::read_to_string(path.join("case.toml")).unwrap();
    let get = |key: &str| {
        toml.lines().find_map(|l| {
            let (k, v) = l.split_once('=')?;
            (k.trim() == key).then(|| strings(v))
        })
    };
    let first = |key: &str| get(key).and_then(|v| v.into_iter().next());
    Case {
        name: name.to_string(),
        path: path.to_path_buf(),
        dir: first("dir").unwrap_or_else(|| ".".into()),
        flags: get("flags").unwrap_or_default(),
        expect_ok: first("expect").as_deref() == Some("ok"),
        error_file: first("error_file"),
        pending: get("pending").is_some(),
    }
}

/// The cases of one area (`bad`), sorted by name.
pub fn area(area: &str) -> Vec<Case> {
    let root = testdata().join(area);
    let mut names: Vec<String> = std::fs::read_dir(&root)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.path().join("case.toml").is_file())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names.iter().map(|n| load_case(&format!("{}/{}", area, n), &root.join(n))).collect()
}

pub fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_rustomize")
}

/// Runs `rustomize args...`; fails the test if it takes longer than `limit`.
pub fn run(args: &[&str], limit: Duration) -> Output {
    let start = Instant::now();
    let mut child = Command::new(bin())
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("running the rustomize binary");
    // Read the pipes on threads, so that a big output cannot block the child.
    let mut so = child.stdout.take().unwrap();
    let mut se = child.stderr.take().unwrap();
    let out_t = std::thread::spawn(move || {
        let mut v = Vec::new();
        std::io::Read::read_to_end(&mut so, &mut v).ok();
        v
    });
    let err_t = std::thread::spawn(move || {
        let mut v = Vec::new();
        std::io::Read::read_to_end(&mut se, &mut v).ok();
        v
    });
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!("rustomize {:?} did not finish within {:?}", args, limit);
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    Output { status, stdout: out_t.join().unwrap(), stderr: err_t.join().unwrap() }
}
