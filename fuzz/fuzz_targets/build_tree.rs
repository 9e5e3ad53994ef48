//! A small file tree built with `rustomize::build`. The input is cut at lines starting with
//! `@@ `: the text before the first such line is `/app/kustomization.yaml` (left out when the
//! input starts with a `@@ ` line), and each `@@ <name>` line starts the file `<name>`,
//! relative to `/app` (so `../base/kustomization.yaml` is a base beside it). An optional first
//! line `#! <flags>` gives build flags (`--reorder none`, `--load-restrictor none`,
//! `--enable-managedby-label`). Nothing may panic, no error may be `Internal` (a panic
//! caught by `render`), and building twice gives the same result (the build reads
//! `resources:` on several threads).
#![no_main]

#[path = "common.rs"]
mod common;

use libfuzzer_sys::fuzz_target;
use rustomize::{build, ErrorKind, MemFs, Options};

const ROOT: &str = "/app";
const MAX_FILES: usize = 16;

/// Keeps the characters of a file name that make sense in a path; `None` if nothing is left.
fn file_name(raw: &[u8]) -> Option<String> {
    let name: String = raw
        .iter()
        .take(80)
        .map(|&b| b as char)
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '/'))
        .collect();
    let name = name.trim_matches('/');
    if name.is_empty()
        || name
            .split('/')
            .all(|s| s == "." || s == ".." || s.is_empty())
    {
        return None;
    }
    Some(name.to_string())
}

fn options(line: &[u8]) -> Options {
    let text = String::from_utf8_lossy(line);
    let flags: Vec<&str> = text.split_whitespace().collect();
    let mut o = Options::from_flags(&flags).unwrap_or_default();
    // Never run other programs.
    o.enable_exec = false;
    o.enable_helm = false;
    o.enable_alpha_plugins = false;
    o.helm_command = None;
    o
}

fuzz_target!(|data: &[u8]| {
    common::no_external_programs();
    let mut data = data;
    let mut opts = Options::default();
    if let Some(rest) = data.strip_prefix(b"#!") {
        let end = rest.iter().position(|&b| b == b'\n').unwrap_or(rest.len());
        opts = options(&rest[..end]);
        data = rest.get(end + 1..).unwrap_or(&[]);
    }
    let mut fs = MemFs::new();
    fs.add_dir(ROOT);
    let mut files: Vec<(Option<String>, &[u8])> = Vec::new();
    let mut name = Some("kustomization.yaml".to_string());
    let mut start = 0;
    let mut line_start = 0;
    for line in data.split(|&b| b == b'\n') {
        if let Some(raw) = line.strip_prefix(b"@@ ") {
            if line_start > 0 {
                files.push((name, &data[start..line_start]));
            }
            name = file_name(raw);
            start = (line_start + line.len() + 1).min(data.len());
        }
        line_start += line.len() + 1;
    }
    files.push((name, &data[start..]));
    for (name, body) in files.into_iter().take(MAX_FILES) {
        if let Some(name) = name {
            fs.add(&format!("{ROOT}/{name}"), body.to_vec());
        }
    }
    let first = build(&fs, ROOT, &opts);
    if let Err(e) = &first {
        assert!(e.kind() != ErrorKind::Internal, "internal error: {e}");
    }
    let second = build(&fs, ROOT, &opts);
    match (&first, &second) {
        (Ok(a), Ok(b)) => assert!(a == b, "two builds differ"),
        (Err(a), Err(b)) => assert!(
            a.to_string() == b.to_string(),
            "two builds fail differently: {a} / {b}"
        ),
        _ => panic!(
            "one build fails, the other not: {:?} / {:?}",
            first.as_ref().err(),
            second.as_ref().err()
        ),
    }
});
