//! Remote resources: git repositories named by URL in `resources:` and `components:`
//! (kustomize's `git.RepoSpec` and `ClonerUsingGitExec`), and http(s) file URLs.
//!
//! A git URL is parsed into a [`RepoSpec`] exactly as kustomize v5.5.0 parses it, cloned with
//! the `git` binary into a fresh temporary directory ([`clone_repo`]), and the returned
//! [`CloneDir`] removes that directory when dropped. http(s) URLs to single files are fetched
//! with an HTTP GET run by the `curl` binary ([`fetch_http`]); on wasm32 they are unsupported.

use crate::error::{err, Result};
use crate::fs;
use std::time::Duration;

/// The message for http(s) file URLs on targets that cannot fetch them (wasm32).
#[cfg(target_arch = "wasm32")]
pub(crate) const HTTP_UNSUPPORTED: &str = "remote http resources are not supported in this build";
/// How long one HTTP GET may take.
#[cfg(not(target_arch = "wasm32"))]
const HTTP_TIMEOUT_SECS: u32 = 60;

/// kustomize's default timeout for each git command.
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(27);
/// kustomize clones submodules unless told otherwise.
const DEFAULT_SUBMODULES: bool = true;

/// Where a parsed spec's clone would be: kustomize's placeholder before cloning, which shows
/// through in origin annotations.
const NOT_CLONED: &str = "/notCloned";

const FILE_SCHEME: &str = "file://";
const HTTP_SCHEME: &str = "http://";
const HTTPS_SCHEME: &str = "https://";
const SSH_SCHEME: &str = "ssh://";

/// A git repository, a ref and a kustomization root inside it (kustomize's RepoSpec).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RepoSpec {
    /// The URL as written.
    pub raw: String,
    /// Scheme, user and host, e.g. `https://github.com/`, `git@github.com:`, `file://`.
    pub host: String,
    /// The repository path, e.g. `org/repo`.
    pub repo_path: String,
    /// The kustomization root inside the repository (relative, may be empty).
    pub kust_root_path: String,
    /// `?ref=` (or `?version=`); empty for the remote HEAD.
    pub git_ref: String,
    /// `?submodules=`.
    pub submodules: bool,
    /// `?timeout=`: the limit for each git command.
    pub timeout: Duration,
}

impl RepoSpec {
    /// Parses a git-like URL (kustomize's NewRepoSpecFromURL); `Err` means "not a git URL".
    pub fn parse(n: &str) -> std::result::Result<RepoSpec, String> {
        if n.starts_with('/') {
            return Err(format!("uri looks like abs path: {}", n));
        }
        let (rest, query) = match n.find('?') {
            Some(i) => (&n[..i], &n[i + 1..]),
            None => (n, ""),
        };
        let (git_ref, timeout, submodules) = parse_query(query);
        let (host, rest) = extract_host(rest)?;
        let default_len = if host.starts_with(FILE_SCHEME) { None } else { Some(2) };
        let (repo_path, kust_root_path) = parse_path_parts(&rest, default_len)?;
        Ok(RepoSpec { raw: n.to_string(), host, repo_path, kust_root_path, git_ref, submodules, timeout })
    }

    /// What `git fetch` is given (kustomize's CloneSpec).
    pub fn clone_spec(&self) -> String {
        format!("{}{}", self.host, self.repo_path)
    }

    /// The path that kustomize's origin annotations record for this URL, computed as
    /// kustomize does from the not-yet-cloned AbsPath: the kustomization root in the repo,
    /// or `notCloned` when that is the repository root.
    pub fn origin_path(&self) -> String {
        let abs = fs::clean(&format!("{}/{}", NOT_CLONED, self.kust_root_path));
        let after_first = match abs[1..].find('/') {
            Some(i) => &abs[i + 1..],
            None => &abs[..],
        };
        after_first[1..].to_string()
    }
}

/// Whether `s` is an http(s) URL (kustomize's IsRemoteFile).
pub fn is_http_url(s: &str) -> bool {
    trim_prefix_ignore_case(s, HTTP_SCHEME).is_some() || trim_prefix_ignore_case(s, HTTPS_SCHEME).is_some()
}

/// Whether `n` may be a git URL: `false` only where [`RepoSpec::parse`] fails, told without
/// parsing. A git URL has a scheme (`://`), a user (`@`) or starts with `github.com` (case
/// aside, after an optional `git::`); the paths of a tree have none of these.
pub(crate) fn may_be_git_url(n: &str) -> bool {
    let b = n.as_bytes();
    if b.first() == Some(&b'/') {
        return false;
    }
    if b.iter().enumerate().any(|(i, &c)| c == b'@' || (c == b':' && b[i + 1..].starts_with(b"//"))) {
        return true;
    }
    matches!(b.first(), Some(b'g' | b'G'))
        && trim_prefix_ignore_case(trim_prefix_ignore_case(n, "git::").unwrap_or(n), "github.com").is_some()
}

/// Whether [`RepoSpec::parse`] takes `n` for a git URL.
pub(crate) fn is_git_url(n: &str) -> bool {
    may_be_git_url(n) && RepoSpec::parse(n).is_ok()
}

/// Whether `s` is an http(s) URL to a single file, which kustomize fetches with an HTTP GET
/// (before trying it as a git repository): an http(s) URL that is not a git URL, or whose
/// path ends in `.yaml`, `.yml` or `.json`.
pub fn is_http_file(s: &str) -> bool {
    if !is_http_url(s) {
        return false;
    }
    let path = s.split(['?', '#']).next().unwrap_or(s).to_ascii_lowercase();
    !is_git_url(s) || [".yaml", ".yml", ".json"].iter().any(|e| path.ends_with(e))
}

/// Whether `s` names a remote resource: a git URL or an http(s) URL.
pub fn is_remote(s: &str) -> bool {
    is_http_url(s) || is_git_url(s)
}

/// Fetches the body of an http(s) URL (kustomize's FileLoader.Load for remote files).
#[cfg(target_arch = "wasm32")]
pub fn fetch_http(url: &str) -> Result<Vec<u8>> {
    Err(err!(Unsupported, "{}: {}", HTTP_UNSUPPORTED, url).with_path(url))
}

/// Fetches the body of an http(s) URL (kustomize's FileLoader.Load for remote files) with
/// `curl`, following redirects (http and https only); a non-2xx status is an error reading
/// as kustomize's `HTTP Error: status code N (Text)`.
#[cfg(not(target_arch = "wasm32"))]
pub fn fetch_http(url: &str) -> Result<Vec<u8>> {
    use std::process::{Command, Stdio};
    let out = Command::new("curl")
        .args(["-sS", "-L", "--fail", "--proto", "=http,https", "--proto-redir", "=http,https", "--max-time"])
        .arg(HTTP_TIMEOUT_SECS.to_string())
        .arg(url)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| {
            if e.kind() == std::io::ErrorKind::NotFound {
                err!(External, "cannot fetch '{}': no 'curl' program on path (needed for http(s) resources)", url)
            } else {
                err!(External, "cannot fetch '{}': failed to run curl: {}", url, e)
            }
            .with_path(url)
        })?;
    if out.status.success() {
        return Ok(out.stdout);
    }
    let stderr = String::from_utf8_lossy(&out.stderr).trim_end().to_string();
    // curl exits with 22 on an HTTP status >= 400 under --fail.
    if out.status.code() == Some(22) {
        if let Some(code) = http_status_in(&stderr) {
            return Err(err!(NotFound, "HTTP Error: status code {} ({}): {}", code, status_text(code), url).with_path(url));
        }
    }
    Err(err!(NotFound, "cannot fetch '{}': {}", url, stderr).with_path(url))
}

/// The HTTP status code in curl's `--fail` message ("The requested URL returned error: 404").
#[cfg(not(target_arch = "wasm32"))]
fn http_status_in(stderr: &str) -> Option<u16> {
    let rest = &stderr[stderr.find("returned error:")? + "returned error:".len()..];
    let digits: String = rest.trim_start().chars().take_while(|c| c.is_ascii_digit()).collect();
    digits.parse().ok().filter(|c| (100..1000).contains(c))
}

/// Go's http.StatusText for the common error codes.
#[cfg(not(target_arch = "wasm32"))]
fn status_text(code: u16) -> &'static str {
    match code {
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        406 => "Not Acceptable",
        408 => "Request Timeout",
        410 => "Gone",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "",
    }
}

fn parse_query(query: &str) -> (String, Duration, bool) {
    let defaults = (String::new(), DEFAULT_TIMEOUT, DEFAULT_SUBMODULES);
    // Go's url.ParseQuery: first value per key; any malformed pair makes kustomize use the
    // defaults.
    let mut pairs: Vec<(String, String)> = Vec::new();
    for part in query.split('&') {
        if part.is_empty() {
            continue;
        }
        if part.contains(';') {
            return defaults;
        }
        let (k, v) = part.split_once('=').unwrap_or((part, ""));
        match (query_unescape(k), query_unescape(v)) {
            (Some(k), Some(v)) => pairs.push((k, v)),
            _ => return defaults,
        }
    }
    let get = |key: &str| pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str()).unwrap_or("");
    let mut git_ref = get("version").to_string();
    if !get("ref").is_empty() {
        git_ref = get("ref").to_string();
    }
    let mut timeout = DEFAULT_TIMEOUT;
    let t = get("timeout");
    if !t.is_empty() {
        if let Ok(secs) = t.parse::<i64>() {
            if secs > 0 {
                timeout = Duration::from_secs(secs as u64);
            }
        } else if let Some(d) = parse_go_duration(t) {
            if !d.is_zero() {
                timeout = d;
            }
        }
    }
    let mut submodules = DEFAULT_SUBMODULES;
    match get("submodules") {
        "1" | "t" | "T" | "TRUE" | "true" | "True" => submodules = true,
        "0" | "f" | "F" | "FALSE" | "false" | "False" => submodules = false,
        _ => {}
    }
    (git_ref, timeout, submodules)
}

/// Go's QueryUnescape: `+` is a space, `%XX` a byte.
fn query_unescape(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = s.get(i + 1..i + 3)?;
                out.push(u8::from_str_radix(hex, 16).ok()?);
                i += 2;
            }
            c => out.push(c),
        }
        i += 1;
    }
    String::from_utf8(out).ok()
}

/// Go's time.ParseDuration for non-negative durations ("2m", "1h30m", "1.5s", "300ms").
fn parse_go_duration(s: &str) -> Option<Duration> {
    let s = s.strip_prefix('+').unwrap_or(s);
    if s.is_empty() || s.starts_with('-') {
        return None;
    }
    if s == "0" {
        return Some(Duration::ZERO);
    }
    let mut total = 0f64;
    let mut rest = s;
    while !rest.is_empty() {
        let num_end = rest.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(rest.len());
        if num_end == 0 {
            return None;
        }
        let num: f64 = rest[..num_end].parse().ok()?;
        rest = &rest[num_end..];
        let unit_end = rest.find(|c: char| c.is_ascii_digit() || c == '.').unwrap_or(rest.len());
        let scale = match &rest[..unit_end] {
            "ns" => 1e-9,
            "us" | "µs" | "μs" => 1e-6,
            "ms" => 1e-3,
            "s" => 1.0,
            "m" => 60.0,
            "h" => 3600.0,
            _ => return None,
        };
        total += num * scale;
        rest = &rest[unit_end..];
    }
    Some(Duration::from_secs_f64(total))
}

fn trim_prefix_ignore_case<'s>(s: &'s str, prefix: &str) -> Option<&'s str> {
    if s.len() >= prefix.len() && s.is_char_boundary(prefix.len()) && s[..prefix.len()].eq_ignore_ascii_case(prefix) {
        Some(&s[prefix.len()..])
    } else {
        None
    }
}

fn extract_host(n: &str) -> std::result::Result<(String, String), String> {
    // go-getter's forced git protocol prefix is ignored.
    let n = trim_prefix_ignore_case(n, "git::").unwrap_or(n);
    let (scheme, n) = [SSH_SCHEME, HTTPS_SCHEME, HTTP_SCHEME, FILE_SCHEME]
        .iter()
        .find_map(|p| trim_prefix_ignore_case(n, p).map(|rest| (*p, rest)))
        .unwrap_or(("", n));
    // Username: ^[a-zA-Z][a-zA-Z0-9-]*@
    let (username, n) = {
        let b = n.as_bytes();
        let mut end = None;
        if !b.is_empty() && b[0].is_ascii_alphabetic() {
            let mut i = 1;
            while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'-') {
                i += 1;
            }
            if i < b.len() && b[i] == b'@' {
                end = Some(i + 1);
            }
        }
        match end {
            Some(e) => (&n[..e], &n[e..]),
            None => ("", n),
        }
    };
    let lower = n.to_ascii_lowercase();
    let std_github = lower.starts_with("github.com/") || lower.starts_with("github.com:");
    let accept_scp = scheme.is_empty() && (!username.is_empty() || std_github);
    if scheme.is_empty() && !accept_scp {
        return Err("failed to parse scheme".into());
    }
    if scheme == FILE_SCHEME {
        return Ok((scheme.to_string(), format!("{}{}", username, n)));
    }
    let mut sep = n.find('/').map(|i| i as isize).unwrap_or(-1);
    if accept_scp {
        let colon = n.find(':').map(|i| i as isize).unwrap_or(-1);
        if sep == -1 || (colon > 0 && colon < sep) {
            sep = colon;
        }
    }
    let (mut host, rest) = if sep >= 0 {
        let s = sep as usize;
        (n[..=s].to_string(), n[s + 1..].to_string())
    } else {
        (n.to_string(), String::new())
    };
    let (mut scheme, mut username) = (scheme.to_string(), username.to_string());
    if std_github {
        if scheme.starts_with(SSH_SCHEME) || !username.is_empty() {
            scheme = String::new();
            host = "github.com:".into();
        } else {
            scheme = HTTPS_SCHEME.into();
            username = String::new();
            host = "github.com/".into();
        }
    }
    if host.is_empty() {
        return Err("failed to parse host segment".into());
    }
    Ok((format!("{}{}{}", scheme, username, host), rest))
}

/// Splits the repository path from the kustomization root: on `_git/<repo>`, `//` or `.git`,
/// else after `default_len` segments (`None`: all of it, for file:// URLs).
fn parse_path_parts(n: &str, default_len: Option<usize>) -> std::result::Result<(String, String), String> {
    let explicit = if let Some(i) = n.find("_git/") {
        let root = &n[..i + 5];
        let after = &n[i + 5..];
        let (first, others) = after.split_once('/').unwrap_or((after, ""));
        Some((format!("{}{}", root, first), others.to_string()))
    } else if let Some(i) = n.find("//") {
        Some((n[..i].to_string(), n[i + 2..].to_string()))
    } else {
        n.find(".git").map(|i| (n[..i + 4].to_string(), n[i + 4..].to_string()))
    };
    let split = explicit.or_else(|| match default_len {
        None => Some((n.to_string(), String::new())),
        Some(k) => {
            let segs: Vec<&str> = n.split('/').collect();
            if segs.len() >= k {
                Some((segs[..k].join("/"), segs[k..].join("/")))
            } else {
                None
            }
        }
    });
    let (repo, kust) = match split {
        Some((r, k)) if !r.is_empty() => (r, k),
        _ => return Err("failed to parse repo path segment".into()),
    };
    let cleaned = fs::clean(kust.strip_prefix('/').unwrap_or(&kust));
    if cleaned.split('/').next() == Some("..") {
        return Err(format!("url path exits repo: {}", n));
    }
    Ok((repo, kust.strip_prefix('/').unwrap_or(&kust).to_string()))
}

/// A temporary directory holding a clone; removed when dropped.
#[derive(Debug)]
pub struct CloneDir {
    path: String,
}

impl CloneDir {
    /// The canonical path of the clone.
    pub fn path(&self) -> &str {
        &self.path
    }
}

impl Drop for CloneDir {
    fn drop(&mut self) {
        #[cfg(not(target_arch = "wasm32"))]
        {
            let _ = std::fs::remove_dir_all(&self.path);
        }
    }
}

#[cfg(test)]
thread_local! {
    /// Clone directories made on this thread, for tests to check their removal.
    pub(crate) static CLONED: std::cell::RefCell<Vec<String>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Clones `spec` as kustomize's ClonerUsingGitExec does: `git init`, `git remote add origin`,
/// `git fetch --depth=1 <repo> <ref>`, `git checkout FETCH_HEAD`, then the submodules.
#[cfg(target_arch = "wasm32")]
pub fn clone_repo(spec: &RepoSpec) -> Result<CloneDir> {
    Err(err!(Unsupported, "remote git resources are not supported on this target: {}", spec.raw).with_path(spec.raw.clone()))
}

/// Clones `spec` as kustomize's ClonerUsingGitExec does: `git init`, `git remote add origin`,
/// `git fetch --depth=1 <repo> <ref>`, `git checkout FETCH_HEAD`, then the submodules.
#[cfg(not(target_arch = "wasm32"))]
pub fn clone_repo(spec: &RepoSpec) -> Result<CloneDir> {
    let dir = make_temp_dir().map_err(|e| e.with_path(spec.raw.clone()))?;
    #[cfg(test)]
    CLONED.with(|c| c.borrow_mut().push(dir.path.clone()));
    let clone_spec = spec.clone_spec();
    let git_ref = if spec.git_ref.is_empty() { "HEAD" } else { spec.git_ref.as_str() };
    let mut steps: Vec<Vec<&str>> = vec![
        vec!["init"],
        vec!["remote", "add", "origin", &clone_spec],
        vec!["fetch", "--depth=1", &clone_spec, git_ref],
        vec!["checkout", "FETCH_HEAD"],
    ];
    if spec.submodules {
        steps.push(vec!["submodule", "update", "--init", "--recursive"]);
    }
    for args in steps {
        // On error `dir` is dropped, which removes it.
        run_git(&dir.path, &args, spec.timeout).map_err(|msg| {
            err!(NotFound, "failed to clone '{}': {}", spec.raw, msg).with_path(spec.raw.clone())
        })?;
    }
    Ok(dir)
}

#[cfg(not(target_arch = "wasm32"))]
fn make_temp_dir() -> Result<CloneDir> {
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let base = std::env::temp_dir();
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.subsec_nanos()).unwrap_or(0);
    for _ in 0..100 {
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let p = base.join(format!("kustomize-{}-{}-{}", std::process::id(), nanos, n));
        match std::fs::create_dir(&p) {
            Ok(()) => {
                let mut guard = CloneDir { path: p.to_string_lossy().replace('\\', "/") };
                if let Ok(c) = std::fs::canonicalize(&p) {
                    guard.path = c.to_string_lossy().replace('\\', "/");
                }
                return Ok(guard);
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(err!(NotFound, "cannot create a temporary directory: {}", e)),
        }
    }
    Err(err!(NotFound, "cannot create a temporary directory"))
}

/// Runs `git args...` in `dir`, killing it after `timeout`; `Err` holds kustomize-like text.
#[cfg(not(target_arch = "wasm32"))]
fn run_git(dir: &str, args: &[&str], timeout: Duration) -> std::result::Result<(), String> {
    use std::io::Read;
    use std::process::{Command, Stdio};
    let shown = format!("git {}", args.join(" "));
    let mut child = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_TERMINAL_PROMPT", "0")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| {
            if e.kind() == std::io::ErrorKind::NotFound {
                "no 'git' program on path: exec: \"git\": executable file not found in $PATH".to_string()
            } else {
                format!("failed to run '{}': {}", shown, e)
            }
        })?;
    let mut out = child.stdout.take();
    let mut errp = child.stderr.take();
    let t_out = std::thread::spawn(move || {
        let mut s = Vec::new();
        if let Some(o) = out.as_mut() {
            let _ = o.read_to_end(&mut s);
        }
        s
    });
    let t_err = std::thread::spawn(move || {
        let mut s = Vec::new();
        if let Some(o) = errp.as_mut() {
            let _ = o.read_to_end(&mut s);
        }
        s
    });
    let start = std::time::Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(st)) => break st,
            Ok(None) => {
                if start.elapsed() >= timeout {
                    let _ = child.kill();
                    let _ = child.wait();
                    return Err(format!("hit {:?} timeout running '{}'", timeout, shown));
                }
                std::thread::sleep(Duration::from_millis(5));
            }
            Err(e) => return Err(format!("failed to run '{}': {}", shown, e)),
        }
    };
    let mut text = t_out.join().unwrap_or_default();
    text.extend(t_err.join().unwrap_or_default());
    if !status.success() {
        return Err(format!("failed to run '{}': {}", shown, String::from_utf8_lossy(&text).trim_end()));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(s: &str) -> RepoSpec {
        RepoSpec::parse(s).unwrap_or_else(|e| panic!("{}: {}", s, e))
    }

    #[test]
    fn parses_like_kustomize() {
        let cases: &[(&str, &str, &str, &str)] = &[
            ("https://github.com/org/repo//sub?ref=v1", "https://github.com/org/repo", "sub", "v1"),
            ("https://github.com/org/repo/sub?version=v2", "https://github.com/org/repo", "sub", "v2"),
            ("github.com/org/repo/sub?ref=x", "https://github.com/org/repo", "sub", "x"),
            ("git@github.com:org/repo.git//sub", "git@github.com:org/repo.git", "sub", ""),
            ("git@github.com/someorg/somerepo/somepath", "git@github.com:someorg/somerepo", "somepath", ""),
            ("http://github.com/someorg/somerepo.git/somedir", "https://github.com/someorg/somerepo.git", "somedir", ""),
            ("https://git-codecommit.us-east-2.amazonaws.com/someorg/somerepo/somedir?ref=testbranch", "https://git-codecommit.us-east-2.amazonaws.com/someorg/somerepo", "somedir", "testbranch"),
            ("git@gitlab2.sqtools.ru:infra/kubernetes/thanos-base.git?ref=v0.1.0", "git@gitlab2.sqtools.ru:infra/kubernetes/thanos-base.git", "", "v0.1.0"),
            ("git@bitbucket.org:company/project.git//path?ref=branch", "git@bitbucket.org:company/project.git", "path", "branch"),
            ("ssh://git@bitbucket.org/company/project.git//path?ref=branch", "ssh://git@bitbucket.org/company/project.git", "path", "branch"),
            ("https://itfs.mycompany.com/collection/project/_git/somerepos/somedir?version=v1.0.0", "https://itfs.mycompany.com/collection/project/_git/somerepos", "somedir", "v1.0.0"),
            ("git::https://itfs.mycompany.com/collection/project/_git/somerepos", "https://itfs.mycompany.com/collection/project/_git/somerepos", "", ""),
            ("ssh://git-codecommit.us-east-2.amazonaws.com/someorg/somerepo/somepath", "ssh://git-codecommit.us-east-2.amazonaws.com/someorg/somerepo", "somepath", ""),
            ("https://github.com/kubernetes-sigs/kustomize//examples/multibases/dev/?ref=v1.0.6", "https://github.com/kubernetes-sigs/kustomize", "examples/multibases/dev/", "v1.0.6"),
            ("file://a/b/c/someRepo.git/somepath?ref=someBranch", "file://a/b/c/someRepo.git", "somepath", "someBranch"),
            ("file:///a/b/c/someRepo//somepath?ref=someBranch", "file:///a/b/c/someRepo", "somepath", "someBranch"),
            ("file:///a/b/c/someRepo", "file:///a/b/c/someRepo", "", ""),
            ("ssh://git@github.com/kubernetes-sigs/kustomize//examples/multibases/dev?ref=v1.0.6", "git@github.com:kubernetes-sigs/kustomize", "examples/multibases/dev", "v1.0.6"),
        ];
        for (input, clone, root, r) in cases {
            let s = spec(input);
            assert_eq!(s.clone_spec(), *clone, "{}", input);
            assert_eq!(fs::clean(&format!("/x/{}", s.kust_root_path)), fs::clean(&format!("/x/{}", root)), "{}", input);
            assert_eq!(s.git_ref, *r, "{}", input);
        }
        let s = spec("https://github.com/org/repo?submodules=false&timeout=2m");
        assert!(!s.submodules);
        assert_eq!(s.timeout, Duration::from_secs(120));
        assert_eq!(spec("github.com/org/repo?timeout=61").timeout, Duration::from_secs(61));
        for bad in ["../base", "base", "/abs/path", "gitlab.com/org/repo", "https://example.com/x.yaml", "github.com/org/repo//../x"] {
            assert!(RepoSpec::parse(bad).is_err(), "{}", bad);
        }
        assert_eq!(spec("github.com/org/repo//a/b").origin_path(), "a/b");
        assert_eq!(spec("github.com/org/repo").origin_path(), "notCloned");
        assert!(is_remote("https://example.com/x.yaml"));
        assert!(!is_remote("gitlab.com/org/repo"));
    }

    /// The quick tests (`may_be_git_url`, the allocation-free `is_http_url`) agree with the
    /// full parse and the lower-casing test on URLs, paths and odd strings, and their
    /// combinations with prefixes and queries.
    #[test]
    fn quick_url_tests_agree_with_parsing() {
        let old_is_http_url = |s: &str| {
            let l = s.get(..8).unwrap_or(s).to_ascii_lowercase();
            l.starts_with(HTTP_SCHEME) || l.starts_with(HTTPS_SCHEME)
        };
        let heads = [
            "", "git::", "GIT::", "https://", "HTTP://", "hTtPs://", "ssh://", "file://", "File:///", "git@", "user-1@", "1user@",
            "github.com/", "GitHub.com:", "github.com", "gitlab.com/", "../", "./", "/", "é", "httpé://", "http:/", "https:",
        ];
        let bodies = [
            "", "org/repo", "org/repo//sub", "org/repo.git/sub", "base", "../../base", "a@b/c", "x://y", "_git/r/s", "github.com/o/r",
            "org/repo//../x", "ü/ß", "x.yaml", "a:b/c",
        ];
        let tails = ["", "?ref=v1", "?version=x&timeout=2m", "?a=%zz", "?@", "?://", "#frag"];
        let mut git = 0;
        let mut n = 0;
        for h in heads {
            for b in bodies {
                for t in tails {
                    let s = format!("{}{}{}", h, b, t);
                    n += 1;
                    assert_eq!(is_http_url(&s), old_is_http_url(&s), "{:?}", s);
                    let parsed = RepoSpec::parse(&s).is_ok();
                    assert_eq!(is_git_url(&s), parsed, "{:?}", s);
                    if !may_be_git_url(&s) {
                        assert!(!parsed, "{:?}", s);
                    }
                    git += usize::from(parsed);
                }
            }
        }
        // Both answers are met, and most local paths are told apart without parsing.
        assert!(git > 100 && git < n, "{} of {}", git, n);
        for local in ["../../base", "base", "./overlays/prod", "../../../../components/monitoring", "deployment.yaml"] {
            assert!(!may_be_git_url(local), "{}", local);
        }
    }

    /// A scratch directory removed on drop.
    struct Scratch(std::path::PathBuf);
    impl Drop for Scratch {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
    fn scratch(tag: &str) -> Scratch {
        let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().subsec_nanos();
        let p = std::env::temp_dir().join(format!("rustomize-remote-test-{}-{}-{}", tag, std::process::id(), nanos));
        std::fs::create_dir_all(&p).unwrap();
        Scratch(std::fs::canonicalize(&p).unwrap())
    }
    fn write(dir: &std::path::Path, rel: &str, text: &str) {
        let p = dir.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    fn git(dir: &std::path::Path, args: &[&str]) {
        let st = std::process::Command::new("git")
            .args(["-c", "user.name=t", "-c", "user.email=t@t", "-c", "commit.gpgsign=false", "-c", "tag.gpgsign=false"])
            .args(args)
            .current_dir(dir)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status()
            .unwrap();
        assert!(st.success(), "git {:?}", args);
    }
    fn have_git() -> bool {
        let ok = std::process::Command::new("git").arg("--version").output().map(|o| o.status.success()).unwrap_or(false);
        if !ok {
            eprintln!("note: `git` is not installed; skipping remote resource test");
        }
        ok
    }

    const BASE_K: &str = "resources: [cm.yaml]\nnamePrefix: p-\n";
    const CM_V1: &str = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\ndata:\n  k: v1\n";
    const COMP_K: &str = "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\ncommonLabels:\n  c: x\n";

    /// A repository with base/ and comp/ tagged v1, then a second commit changing base/cm.yaml.
    fn make_repo() -> Scratch {
        let repo = scratch("repo");
        write(&repo.0, "base/kustomization.yaml", BASE_K);
        write(&repo.0, "base/cm.yaml", CM_V1);
        write(&repo.0, "comp/kustomization.yaml", COMP_K);
        git(&repo.0, &["init", "-q"]);
        git(&repo.0, &["add", "."]);
        git(&repo.0, &["commit", "-qm", "one"]);
        git(&repo.0, &["tag", "v1"]);
        write(&repo.0, "base/cm.yaml", &CM_V1.replace("k: v1", "k: v2"));
        git(&repo.0, &["commit", "-qam", "two"]);
        repo
    }

    fn take_clones() -> Vec<String> {
        CLONED.with(|c| std::mem::take(&mut *c.borrow_mut()))
    }

    fn build_dir(dir: &std::path::Path) -> crate::Result<String> {
        crate::build(&crate::DiskFs, dir.to_str().unwrap(), &crate::Options::default())
    }

    #[test]
    fn git_base_builds_like_local_and_clone_is_removed() {
        if !have_git() {
            return;
        }
        let repo = make_repo();
        let url = format!("file://{}//base?ref=v1", repo.0.display());
        let work = scratch("work");
        write(&work.0, "local/kustomization.yaml", BASE_K);
        write(&work.0, "local/cm.yaml", CM_V1);
        write(&work.0, "overlay/kustomization.yaml", &format!("resources:\n- {}\n", url));
        take_clones();
        let want = build_dir(&work.0.join("local")).unwrap();
        let got = build_dir(&work.0.join("overlay")).unwrap();
        assert_eq!(got, want);
        assert!(got.contains("k: v1"), "{}", got);
        let clones = take_clones();
        assert_eq!(clones.len(), 1);
        for c in &clones {
            assert!(!std::path::Path::new(c).exists(), "clone dir {} left behind", c);
        }

        // Without a ref: the remote HEAD.
        write(&work.0, "head/kustomization.yaml", &format!("resources:\n- file://{}//base\n", repo.0.display()));
        assert!(build_dir(&work.0.join("head")).unwrap().contains("k: v2"));
        for c in take_clones() {
            assert!(!std::path::Path::new(&c).exists());
        }
    }

    #[test]
    fn git_component_and_origin_annotations() {
        if !have_git() {
            return;
        }
        let repo = make_repo();
        let r = repo.0.display();
        let work = scratch("origin");
        write(
            &work.0,
            "kustomization.yaml",
            &format!(
                "resources:\n- file://{r}//base?ref=v1&submodules=false&timeout=2m\ncomponents:\n- file://{r}//comp?ref=v1\nbuildMetadata: [originAnnotations]\n"
            ),
        );
        take_clones();
        let got = build_dir(&work.0).unwrap();
        // kubectl kustomize (v5.5.0) on the same layout.
        let want = format!(
            "apiVersion: v1\ndata:\n  k: v1\nkind: ConfigMap\nmetadata:\n  annotations:\n    config.kubernetes.io/origin: |\n      path: base/cm.yaml\n      repo: file://{r}\n      ref: v1\n  labels:\n    c: x\n  name: p-cfg\n"
        );
        assert_eq!(got, want);
        let clones = take_clones();
        assert_eq!(clones.len(), 2);
        for c in clones {
            assert!(!std::path::Path::new(&c).exists());
        }
    }

    #[test]
    fn git_bad_ref_names_the_url() {
        if !have_git() {
            return;
        }
        let repo = make_repo();
        let url = format!("file://{}//base?ref=nope", repo.0.display());
        let work = scratch("badref");
        write(&work.0, "kustomization.yaml", &format!("resources:\n- {}\n", url));
        take_clones();
        let e = build_dir(&work.0).unwrap_err();
        let text = e.to_string();
        assert!(text.contains(&url), "{}", text);
        assert!(text.contains("nope"), "{}", text);
        for c in take_clones() {
            assert!(!std::path::Path::new(&c).exists());
        }
        // A path that is not in the repository.
        write(&work.0, "kustomization.yaml", &format!("resources:\n- file://{}//missing?ref=v1\n", repo.0.display()));
        let text = build_dir(&work.0).unwrap_err().to_string();
        assert!(text.contains("missing"), "{}", text);
        for c in take_clones() {
            assert!(!std::path::Path::new(&c).exists());
        }
    }

    #[test]
    fn clone_cannot_reach_outside_the_repo() {
        if !have_git() {
            return;
        }
        let outside = scratch("outside");
        write(&outside.0, "kustomization.yaml", "resources: [cm.yaml]\n");
        write(&outside.0, "cm.yaml", CM_V1);
        let repo = scratch("escape");
        let rel = format!("../{}", outside.0.file_name().unwrap().to_str().unwrap());
        write(&repo.0, "base/kustomization.yaml", &format!("resources:\n- ../{}\n", rel));
        write(&repo.0, "file/kustomization.yaml", &format!("resources:\n- ../{}/cm.yaml\n", rel));
        git(&repo.0, &["init", "-q"]);
        git(&repo.0, &["add", "."]);
        git(&repo.0, &["commit", "-qm", "one"]);
        let work = scratch("escwork");
        for sub in ["base", "file"] {
            write(&work.0, "kustomization.yaml", &format!("resources:\n- file://{}//{}\n", repo.0.display(), sub));
            let e = build_dir(&work.0).unwrap_err();
            assert!(e.to_string().contains("security") || e.to_string().contains("not in or below"), "{}", e);
        }
    }

    /// Whether `curl` can be run; prints a note when it cannot.
    fn have_curl() -> bool {
        let ok = std::process::Command::new("curl").arg("--version").output().map(|o| o.status.success()).unwrap_or(false);
        if !ok {
            eprintln!("note: `curl` is not installed; skipping http resource test");
        }
        ok
    }

    /// A tiny HTTP server on 127.0.0.1 serving `CM_V1` at `/cm.yaml` and 404 elsewhere; it
    /// runs until the test process ends. Returns its `http://127.0.0.1:<port>` base.
    fn serve() -> String {
        use std::io::{BufRead, BufReader, Write};
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut request = String::new();
                let _ = reader.read_line(&mut request);
                // Skip the headers.
                loop {
                    let mut line = String::new();
                    match reader.read_line(&mut line) {
                        Ok(0) | Err(_) => break,
                        Ok(_) if line.trim_end().is_empty() => break,
                        Ok(_) => {}
                    }
                }
                let path = request.split_whitespace().nth(1).unwrap_or("");
                let (status, body) = if path == "/cm.yaml" { ("200 OK", CM_V1) } else { ("404 Not Found", "404 page not found\n") };
                let _ = write!(
                    stream,
                    "HTTP/1.1 {}\r\nContent-Type: text/plain\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{}",
                    status,
                    body.len(),
                    body
                );
            }
        });
        format!("http://127.0.0.1:{}", port)
    }

    #[test]
    fn http_file_resource_is_fetched() {
        if !have_curl() {
            return;
        }
        let base = serve();
        let url = format!("{}/cm.yaml", base);
        assert!(is_http_file(&url));
        let work = scratch("http");
        write(&work.0, "kustomization.yaml", &format!("resources:\n- {}\nnamePrefix: p-\nbuildMetadata: [originAnnotations]\n", url));
        take_clones();
        let got = build_dir(&work.0).unwrap();
        // The reference's output (kubectl kustomize against a local server).
        let want = format!(
            "apiVersion: v1\ndata:\n  k: v1\nkind: ConfigMap\nmetadata:\n  annotations:\n    config.kubernetes.io/origin: |\n      path: http:/{}/cm.yaml\n  name: p-cfg\n",
            base.trim_start_matches("http://")
        );
        assert_eq!(got, want);
        assert!(take_clones().is_empty());

        // A 404: kustomize's HTTP error, naming the URL; nothing is cloned.
        let missing = format!("{}/missing.yaml", base);
        write(&work.0, "kustomization.yaml", &format!("resources:\n- {}\n", missing));
        let e = build_dir(&work.0).unwrap_err();
        let text = e.to_string();
        assert!(text.contains(&missing), "{}", text);
        assert!(text.contains("HTTP Error: status code 404 (Not Found)"), "{}", text);
        assert!(take_clones().is_empty());
    }

    #[test]
    fn curl_status_parsing() {
        assert_eq!(http_status_in("curl: (22) The requested URL returned error: 404"), Some(404));
        assert_eq!(http_status_in("curl: (22) The requested URL returned error: 503 Service Unavailable"), Some(503));
        assert_eq!(http_status_in("curl: (7) Failed to connect"), None);
        assert_eq!(status_text(404), "Not Found");
    }
}
