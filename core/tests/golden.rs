//! Golden tests: every case under `testdata/<area>/<case>/` (see testdata/README.md) is built
//! from an in-memory copy of its `input/` tree and compared with the reference's output.
//!
//!     cargo test -p rustomize --test golden                      # every case
//!     cargo test -p rustomize --test golden -- names/ yaml/crlf  # names containing a filter
//!     cargo test -p rustomize --test golden -- --include-pending # also the `pending` cases
//!
//! Other options: `--exact` (filters are whole names), `--skip S`, `--list`, `--quiet`,
//! `--timeout SECS` (per case, default 60). Options of the libtest harness that make no sense
//! here (`--nocapture`, `--test-threads N`, ...) are accepted and ignored. The environment
//! variable `GOLDEN_INCLUDE_PENDING=1` has the effect of `--include-pending`.
//!
//! Output: one line per case, `test <area>/<case> ... ok|FAILED|skipped`, details of the
//! failures, and last `N passed, N failed` (`, N skipped` when some were skipped). The exit
//! status is non-zero if a case failed.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

const ERROR_KINDS: &[&str] = &[
    "yaml",
    "kustomization",
    "not_found",
    "load_restriction",
    "cycle",
    "resource",
    "id_conflict",
    "transform",
    "unsupported",
];
const KNOWN_KEYS: &[&str] = &["dir", "flags", "expect", "error_kind", "error_file", "description", "pending"];
const MAX_DIFF_LINES: usize = 60;

// ------------------------------------------------------------------------------------------
// case.toml: `key = "string"` or `key = ["a", "b"]`, one a line, `#` comments.

#[derive(Clone, Debug, PartialEq)]
enum Value {
    Str(String),
    List(Vec<String>),
}

fn parse_string(s: &[char], mut i: usize) -> Result<(String, usize), String> {
    debug_assert_eq!(s[i], '"');
    i += 1;
    let mut out = String::new();
    while i < s.len() {
        match s[i] {
            '"' => return Ok((out, i + 1)),
            '\\' => {
                let e = s.get(i + 1).ok_or("unterminated escape")?;
                out.push(match e {
                    '"' => '"',
                    '\\' => '\\',
                    'n' => '\n',
                    't' => '\t',
                    'r' => '\r',
                    _ => return Err(format!("bad escape \\{}", e)),
                });
                i += 2;
            }
            c => {
                out.push(c);
                i += 1;
            }
        }
    }
    Err("unterminated string".into())
}

fn skip_ws(s: &[char], mut i: usize) -> usize {
    while i < s.len() && (s[i] == ' ' || s[i] == '\t') {
        i += 1;
    }
    i
}

fn parse_value(s: &[char], i: usize) -> Result<(Value, usize), String> {
    match s.get(i) {
        Some('"') => parse_string(s, i).map(|(v, j)| (Value::Str(v), j)),
        Some('[') => {
            let mut items = Vec::new();
            let mut i = skip_ws(s, i + 1);
            loop {
                match s.get(i) {
                    Some(']') => return Ok((Value::List(items), i + 1)),
                    Some('"') => {
                        let (item, j) = parse_string(s, i)?;
                        items.push(item);
                        i = skip_ws(s, j);
                        match s.get(i) {
                            Some(',') => i = skip_ws(s, i + 1),
                            Some(']') => {}
                            _ => return Err("expected `,` or `]` in list".into()),
                        }
                    }
                    _ => return Err("expected a string in list".into()),
                }
            }
        }
        _ => Err("expected a string or a list of strings".into()),
    }
}

fn parse_case_toml(text: &str) -> Result<BTreeMap<String, Value>, String> {
    let mut out = BTreeMap::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let err = |m: &str| format!("case.toml line {}: {}", n + 1, m);
        let eq = line.find('=').ok_or_else(|| err("expected `key = value`"))?;
        let key = line[..eq].trim();
        if key.is_empty() || !key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-') {
            return Err(err("bad key"));
        }
        let chars: Vec<char> = line[eq + 1..].chars().collect();
        let start = skip_ws(&chars, 0);
        let (value, end) = parse_value(&chars, start).map_err(|m| err(&m))?;
        let rest = skip_ws(&chars, end);
        if rest < chars.len() && chars[rest] != '#' {
            return Err(err("trailing characters"));
        }
        if out.insert(key.to_string(), value).is_some() {
            return Err(err(&format!("duplicate key `{}`", key)));
        }
    }
    Ok(out)
}

#[derive(Debug)]
enum Expect {
    Ok,
    Error { kind: String, file: String },
}

#[derive(Debug)]
struct Case {
    name: String,
    path: PathBuf,
    dir: String,
    flags: Vec<String>,
    expect: Expect,
    pending: Option<String>,
}

fn load_case(name: &str, path: &Path) -> Result<Case, String> {
    let text = fs::read_to_string(path.join("case.toml")).map_err(|e| format!("reading case.toml: {}", e))?;
    let map = parse_case_toml(&text)?;
    for k in map.keys() {
        if !KNOWN_KEYS.contains(&k.as_str()) {
            return Err(format!("case.toml: unknown key `{}`", k));
        }
    }
    let string = |k: &str| -> Result<Option<String>, String> {
        match map.get(k) {
            None => Ok(None),
            Some(Value::Str(s)) => Ok(Some(s.clone())),
            Some(Value::List(_)) => Err(format!("case.toml: `{}` must be a string", k)),
        }
    };
    let flags = match map.get("flags") {
        None => Vec::new(),
        Some(Value::List(l)) => l.clone(),
        Some(Value::Str(_)) => return Err("case.toml: `flags` must be a list of strings".into()),
    };
    let expect = match string("expect")?.as_deref() {
        Some("ok") => {
            if map.contains_key("error_kind") || map.contains_key("error_file") {
                return Err("case.toml: error_kind/error_file in an ok case".into());
            }
            Expect::Ok
        }
        Some("error") => {
            let kind = string("error_kind")?.ok_or("case.toml: error case without error_kind")?;
            if !ERROR_KINDS.contains(&kind.as_str()) {
                return Err(format!("case.toml: unknown error_kind `{}`", kind));
            }
            let file = string("error_file")?.ok_or("case.toml: error case without error_file")?;
            Expect::Error { kind, file }
        }
        _ => return Err("case.toml: `expect` must be \"ok\" or \"error\"".into()),
    };
    let dir = string("dir")?.unwrap_or_else(|| ".".to_string());
    string("description")?;
    Ok(Case { name: name.to_string(), path: path.to_path_buf(), dir, flags, expect, pending: string("pending")? })
}

/// Every folder below `root` that holds a case.toml, as (name, path), sorted by name.
fn find_cases(root: &Path) -> Vec<(String, PathBuf)> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<(String, PathBuf)>) {
        if dir.join("case.toml").is_file() {
            let rel = dir.strip_prefix(root).unwrap_or(dir);
            let name = rel.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect::<Vec<_>>();
            out.push((name.join("/"), dir.to_path_buf()));
            return; // input/ trees are not searched for cases
        }
        let Ok(rd) = fs::read_dir(dir) else { return };
        let mut subdirs: Vec<PathBuf> = rd.filter_map(|e| e.ok()).map(|e| e.path()).filter(|p| p.is_dir()).collect();
        subdirs.sort();
        for d in subdirs {
            walk(root, &d, out);
        }
    }
    let mut out = Vec::new();
    walk(root, root, &mut out);
    out.sort();
    out
}

// ------------------------------------------------------------------------------------------
// Running a case.

/// The files of `input/`, as (path below input/ with `/` separators, bytes), sorted.
fn read_tree(input: &Path) -> Result<Vec<(String, Vec<u8>)>, String> {
    fn walk(base: &Path, dir: &Path, out: &mut Vec<(String, Vec<u8>)>) -> Result<(), String> {
        let rd = fs::read_dir(dir).map_err(|e| format!("reading {}: {}", dir.display(), e))?;
        for entry in rd {
            let entry = entry.map_err(|e| e.to_string())?;
            let path = entry.path();
            if path.is_dir() {
                walk(base, &path, out)?;
            } else {
                let rel = path.strip_prefix(base).map_err(|e| e.to_string())?;
                let rel = rel.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect::<Vec<_>>();
                let data = fs::read(&path).map_err(|e| format!("reading {}: {}", path.display(), e))?;
                out.push((rel.join("/"), data));
            }
        }
        Ok(())
    }
    let mut out = Vec::new();
    walk(input, input, &mut out)?;
    out.sort();
    Ok(out)
}

/// `dir` of case.toml as an absolute path in the in-memory file system.
fn build_dir(dir: &str) -> String {
    let d = dir.trim_start_matches("./").trim_matches('/');
    if d.is_empty() || d == "." {
        "/".to_string()
    } else {
        format!("/{}", d)
    }
}

fn run_build(files: Vec<(String, Vec<u8>)>, dir: String, flags: Vec<String>) -> Result<String, rustomize::Error> {
    let mut fs = rustomize::MemFs::new();
    for (path, data) in files {
        fs.add(&format!("/{}", path), data);
    }
    let opts = rustomize::Options::from_flags(flags.as_slice())?;
    rustomize::build(&fs, &dir, &opts)
}

enum Outcome {
    Output(String),
    Error { kind: String, display: String },
    Panic(String),
    Timeout,
}

fn run_case(case: &Case, timeout: Duration) -> Result<Outcome, String> {
    let files = read_tree(&case.path.join("input"))?;
    let dir = build_dir(&case.dir);
    let flags = case.flags.clone();
    let (tx, rx) = mpsc::channel();
    // A thread per case, so that a hanging build is reported instead of blocking the run.
    std::thread::Builder::new()
        .name(case.name.clone())
        .spawn(move || {
            let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| run_build(files, dir, flags)));
            let outcome = match r {
                Ok(Ok(out)) => Outcome::Output(out),
                Ok(Err(e)) => Outcome::Error { kind: e.kind().as_str().to_string(), display: e.to_string() },
                Err(p) => Outcome::Panic(
                    p.downcast_ref::<&str>()
                        .map(|s| s.to_string())
                        .or_else(|| p.downcast_ref::<String>().cloned())
                        .unwrap_or_else(|| "(non-string panic payload)".to_string()),
                ),
            };
            let _ = tx.send(outcome);
        })
        .map_err(|e| format!("spawning a thread: {}", e))?;
    Ok(rx.recv_timeout(timeout).unwrap_or(Outcome::Timeout))
}

/// None if the case passes, else the explanation.
fn check_case(case: &Case, timeout: Duration) -> Option<String> {
    let outcome = match run_case(case, timeout) {
        Ok(o) => o,
        Err(e) => return Some(e),
    };
    match (&case.expect, outcome) {
        (_, Outcome::Panic(msg)) => Some(format!("panicked: {}", msg)),
        (_, Outcome::Timeout) => Some(format!("timed out after {}s", timeout.as_secs())),
        (Expect::Ok, Outcome::Output(out)) => {
            let expected = match fs::read(case.path.join("expected.yaml")) {
                Ok(b) => b,
                Err(e) => return Some(format!("cannot read expected.yaml ({}); run tools/regen_testdata.py", e)),
            };
            if out.as_bytes() == expected.as_slice() {
                None
            } else {
                Some(diff(&String::from_utf8_lossy(&expected), &out))
            }
        }
        (Expect::Ok, Outcome::Error { kind, display }) => {
            Some(format!("expected output, got a {} error:\n{}", kind, indent(&display)))
        }
        (Expect::Error { kind, file }, Outcome::Output(out)) => Some(format!(
            "expected a {} error mentioning {:?}, got {} bytes of output:\n{}",
            kind,
            file,
            out.len(),
            indent(&out.lines().take(10).collect::<Vec<_>>().join("\n"))
        )),
        (Expect::Error { kind, file }, Outcome::Error { kind: got, display }) => {
            let mut problems = Vec::new();
            if &got != kind {
                problems.push(format!("error kind is {}, expected {}", got, kind));
            }
            if !display.contains(file.as_str()) {
                problems.push(format!("error message does not mention {:?}", file));
            }
            if problems.is_empty() {
                None
            } else {
                Some(format!("{}:\n{}", problems.join("; "), indent(&display)))
            }
        }
    }
}

fn indent(s: &str) -> String {
    s.lines().map(|l| format!("    {}", l)).collect::<Vec<_>>().join("\n")
}

// ------------------------------------------------------------------------------------------
// A short line diff (LCS on the part between the common prefix and suffix).

fn visible(line: &str) -> String {
    let mut s = String::new();
    let body = line.strip_suffix('\n').unwrap_or(line);
    for c in body.chars() {
        match c {
            '\r' => s.push_str("\\r"),
            c if c.is_control() && c != '\t' => {
                let _ = write!(s, "\\u{{{:x}}}", c as u32);
            }
            c => s.push(c),
        }
    }
    if !line.ends_with('\n') {
        s.push_str("  (no newline at end)");
    }
    s
}

fn diff(expected: &str, actual: &str) -> String {
    let a: Vec<&str> = expected.split_inclusive('\n').collect();
    let b: Vec<&str> = actual.split_inclusive('\n').collect();
    let first_byte = expected.bytes().zip(actual.bytes()).position(|(x, y)| x != y).unwrap_or(expected.len().min(actual.len()));
    let mut out = format!(
        "output differs from expected.yaml ({} vs {} bytes, first difference at byte {}, line {}; - expected, + actual):\n",
        expected.len(),
        actual.len(),
        first_byte,
        expected.as_bytes()[..first_byte.min(expected.len())].iter().filter(|&&c| c == b'\n').count() + 1
    );
    let mut pre = 0;
    while pre < a.len() && pre < b.len() && a[pre] == b[pre] {
        pre += 1;
    }
    let mut suf = 0;
    while suf < a.len() - pre && suf < b.len() - pre && a[a.len() - 1 - suf] == b[b.len() - 1 - suf] {
        suf += 1;
    }
    let (am, bm) = (&a[pre..a.len() - suf], &b[pre..b.len() - suf]);
    // ops: (' ' | '-' | '+', line)
    let mut ops: Vec<(char, &str)> = a[..pre].iter().map(|l| (' ', *l)).collect();
    if am.len().saturating_mul(bm.len()) <= 4_000_000 {
        let (n, m) = (am.len(), bm.len());
        let mut lcs = vec![0u32; (n + 1) * (m + 1)];
        for i in (0..n).rev() {
            for j in (0..m).rev() {
                lcs[i * (m + 1) + j] = if am[i] == bm[j] {
                    lcs[(i + 1) * (m + 1) + j + 1] + 1
                } else {
                    lcs[(i + 1) * (m + 1) + j].max(lcs[i * (m + 1) + j + 1])
                };
            }
        }
        let (mut i, mut j) = (0, 0);
        while i < n || j < m {
            if i < n && j < m && am[i] == bm[j] {
                ops.push((' ', am[i]));
                i += 1;
                j += 1;
            } else if i < n && (j == m || lcs[(i + 1) * (m + 1) + j] >= lcs[i * (m + 1) + j + 1]) {
                ops.push(('-', am[i]));
                i += 1;
            } else {
                ops.push(('+', bm[j]));
                j += 1;
            }
        }
    } else {
        ops.extend(am.iter().map(|l| ('-', *l)));
        ops.extend(bm.iter().map(|l| ('+', *l)));
    }
    ops.extend(a[a.len() - suf..].iter().map(|l| (' ', *l)));

    // Hunks with 3 lines of context, at most MAX_DIFF_LINES lines in all.
    const CONTEXT: usize = 3;
    let changed: Vec<usize> = ops.iter().enumerate().filter(|(_, (k, _))| *k != ' ').map(|(i, _)| i).collect();
    let mut shown = 0;
    let mut last_end = 0;
    let mut idx = 0;
    while idx < changed.len() {
        let start = changed[idx].saturating_sub(CONTEXT).max(last_end);
        let mut end = changed[idx] + 1;
        while idx + 1 < changed.len() && changed[idx + 1] <= end + 2 * CONTEXT {
            idx += 1;
            end = changed[idx] + 1;
        }
        let end = (end + CONTEXT).min(ops.len());
        let line_a = ops[..start].iter().filter(|(k, _)| *k != '+').count() + 1;
        let line_b = ops[..start].iter().filter(|(k, _)| *k != '-').count() + 1;
        out.push_str(&format!("    @@ expected line {}, actual line {} @@\n", line_a, line_b));
        for (k, l) in &ops[start..end] {
            if shown >= MAX_DIFF_LINES {
                out.push_str("    ... (diff cut)\n");
                return out;
            }
            out.push_str(&format!("    {}{}\n", k, visible(l)));
            shown += 1;
        }
        last_end = end;
        idx += 1;
    }
    if changed.is_empty() {
        out.push_str("    (no line-level difference)\n");
    }
    out
}

// ------------------------------------------------------------------------------------------

struct Args {
    filters: Vec<String>,
    skips: Vec<String>,
    exact: bool,
    list: bool,
    quiet: bool,
    include_pending: bool,
    timeout: Duration,
}

fn parse_args() -> Args {
    let mut args = Args {
        filters: Vec::new(),
        skips: Vec::new(),
        exact: false,
        list: false,
        quiet: false,
        include_pending: std::env::var("GOLDEN_INCLUDE_PENDING").map(|v| v == "1").unwrap_or(false),
        timeout: Duration::from_secs(60),
    };
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        match a.as_str() {
            "--include-pending" => args.include_pending = true,
            "--exact" => args.exact = true,
            "--list" => args.list = true,
            "--quiet" | "-q" => args.quiet = true,
            "--skip" => args.skips.extend(it.next()),
            "--timeout" => {
                if let Some(s) = it.next().and_then(|v| v.parse().ok()) {
                    args.timeout = Duration::from_secs(s);
                }
            }
            // libtest options that take a value, ignored.
            "--test-threads" | "--color" | "--format" | "--logfile" | "-Z" | "--report-time" => {
                it.next();
            }
            _ if a.starts_with("--skip=") => args.skips.push(a["--skip=".len()..].to_string()),
            _ if a.starts_with("--timeout=") => {
                if let Ok(s) = a["--timeout=".len()..].parse() {
                    args.timeout = Duration::from_secs(s);
                }
            }
            _ if a.starts_with('-') => {} // --nocapture, --ignored, --show-output, --test-threads=2, ...
            _ => args.filters.push(a),
        }
    }
    args
}

fn main() {
    let args = parse_args();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join("testdata");
    let all = find_cases(&root);
    if all.is_empty() {
        eprintln!("no cases found under {}", root.display());
        std::process::exit(1);
    }
    let selected: Vec<&(String, PathBuf)> = all
        .iter()
        .filter(|(name, _)| {
            let hit = |f: &String| if args.exact { name == f } else { name.contains(f.as_str()) };
            (args.filters.is_empty() || args.filters.iter().any(hit)) && !args.skips.iter().any(|s| name.contains(s.as_str()))
        })
        .collect();
    if args.list {
        for (name, _) in &selected {
            println!("{}: test", name);
        }
        return;
    }

    let (mut passed, mut failed, mut skipped) = (0usize, 0usize, 0usize);
    let mut failures: Vec<(String, String)> = Vec::new();
    println!("running {} golden cases", selected.len());
    for (name, path) in selected {
        let case = match load_case(name, path) {
            Ok(c) => c,
            Err(e) => {
                println!("test {} ... FAILED", name);
                failures.push((name.clone(), e));
                failed += 1;
                continue;
            }
        };
        if let Some(feature) = &case.pending {
            if !args.include_pending {
                if !args.quiet {
                    println!("test {} ... skipped (pending: {})", name, feature);
                }
                skipped += 1;
                continue;
            }
        }
        match check_case(&case, args.timeout) {
            None => {
                if !args.quiet {
                    println!("test {} ... ok", name);
                }
                passed += 1;
            }
            Some(why) => {
                println!("test {} ... FAILED", name);
                failures.push((name.clone(), why));
                failed += 1;
            }
        }
    }
    if !failures.is_empty() {
        println!("\nfailures:");
        for (name, why) in &failures {
            println!("\n---- {} ----\n{}", name, why.trim_end());
        }
        println!("\nfailed cases:");
        for (name, _) in &failures {
            println!("    {}", name);
        }
    }
    let mut summary = format!("\n{} passed, {} failed", passed, failed);
    if skipped > 0 {
        summary.push_str(&format!(", {} skipped", skipped));
    }
    println!("{}", summary);
    // exit() also ends the threads of cases that timed out.
    std::process::exit(if failed > 0 { 1 } else { 0 });
}
