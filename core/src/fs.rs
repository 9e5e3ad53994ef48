//! File systems: the [`FileSystem`] trait, an in-memory [`MemFs`] and the real [`DiskFs`].
//!
//! Paths are `/`-separated strings. [`clean`] normalises them as Go's `filepath.Clean` does.

use crate::error::{err, Result};
use std::collections::BTreeMap;

/// What a build reads. Implementations must be usable from many threads.
pub trait FileSystem: Send + Sync {
    /// The bytes of a file.
    fn read(&self, path: &str) -> Result<Vec<u8>>;
    /// Whether `path` is a directory.
    fn is_dir(&self, path: &str) -> bool;
    /// Whether `path` exists (file or directory).
    fn exists(&self, path: &str) -> bool;
    /// The names (not paths) of the entries of a directory, sorted.
    fn read_dir(&self, path: &str) -> Result<Vec<String>>;
    /// The absolute, cleaned path with symbolic links resolved.
    fn canonical(&self, path: &str) -> Result<String>;
    /// What `path` names, not following a final symbolic link (`lstat`); `None` when nothing
    /// is there. The default suits file systems without symbolic links.
    fn entry_kind(&self, path: &str) -> Option<EntryKind> {
        if self.is_dir(path) {
            Some(EntryKind::Dir)
        } else if self.exists(path) {
            Some(EntryKind::File)
        } else {
            None
        }
    }
    /// The bytes of `path` when it names a file that is not a symbolic link, read without
    /// asking first what it names; `None` when it can't be read so (nothing there, a
    /// directory, a link, or a file system without this shortcut): then ask
    /// [`FileSystem::entry_kind`].
    fn read_file_no_follow(&self, _path: &str) -> Option<Result<Vec<u8>>> {
        None
    }
}

/// What a path names (see [`FileSystem::entry_kind`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EntryKind {
    File,
    Dir,
    Symlink,
}

/// Whether [`clean`] would give `path` back unchanged, judged without building anything:
/// no empty, `.` or `..` element, no trailing `/` (but `/` itself).
pub(crate) fn is_clean(path: &str) -> bool {
    if path == "/" {
        return true;
    }
    let body = path.strip_prefix('/').unwrap_or(path).as_bytes();
    // One pass over the bytes: each element's length, and how many dots it starts with.
    let (mut len, mut dots) = (0usize, 0usize);
    for &c in body {
        if c == b'/' {
            if len == dots && len <= 2 {
                return false;
            }
            len = 0;
            dots = 0;
        } else {
            if c == b'.' && dots == len {
                dots += 1;
            }
            len += 1;
        }
    }
    !(len == dots && len <= 2)
}

/// [`is_clean`] element by element (the reference its tests compare with).
#[cfg(test)]
fn is_clean_by_elements(path: &str) -> bool {
    if path == "/" {
        return true;
    }
    let body = path.strip_prefix('/').unwrap_or(path);
    !body.is_empty() && body.split('/').all(|p| !matches!(p, "" | "." | ".."))
}

/// Go's `filepath.Clean` for `/`-separated paths.
pub fn clean(path: &str) -> String {
    if path.is_empty() {
        return ".".to_string();
    }
    if is_clean(path) {
        return path.to_string();
    }
    clean_elements(path)
}

/// [`clean`] element by element (for a path that needs it).
fn clean_elements(path: &str) -> String {
    let rooted = path.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for p in path.split('/') {
        match p {
            "" | "." => {}
            ".." => {
                if matches!(parts.last(), Some(l) if *l != "..") {
                    parts.pop();
                } else if !rooted {
                    parts.push("..");
                }
            }
            _ => parts.push(p),
        }
    }
    let body = parts.join("/");
    match (rooted, body.is_empty()) {
        (true, _) => format!("/{}", body),
        (false, true) => ".".to_string(),
        (false, false) => body,
    }
}

/// Joins `rel` onto `dir` and cleans the result; an absolute `rel` stands alone.
pub fn join(dir: &str, rel: &str) -> String {
    if rel.starts_with('/') {
        clean(rel)
    } else if dir.starts_with('/') && is_clean(dir) && is_clean(rel) {
        join_clean(dir, rel)
    } else {
        clean(&format!("{}/{}", dir, rel))
    }
}

/// [`join`] of a clean absolute `dir` and a clean relative `rel` (callers that know both are
/// clean skip the checks): the two put together.
pub(crate) fn join_clean(dir: &str, rel: &str) -> String {
    let mut out = String::with_capacity(dir.len() + 1 + rel.len());
    out.push_str(dir);
    if dir != "/" {
        out.push('/');
    }
    out.push_str(rel);
    out
}

/// The directory part of a path (`/a/b.yaml` -> `/a`).
pub fn parent(path: &str) -> String {
    match path.rfind('/') {
        Some(0) => "/".to_string(),
        Some(i) => path[..i].to_string(),
        None => ".".to_string(),
    }
}

/// The last element of a path.
pub fn base_name(path: &str) -> &str {
    let p = path.trim_end_matches('/');
    match p.rfind('/') {
        Some(i) => &p[i + 1..],
        None => p,
    }
}

/// Whether `path` is `root` or below it (both cleaned and absolute).
pub fn is_within(root: &str, path: &str) -> bool {
    path == root || root == "/" || (path.starts_with(root) && path.as_bytes().get(root.len()) == Some(&b'/'))
}

/// An in-memory file system. Directories exist implicitly where files are below them.
#[derive(Clone, Debug, Default)]
pub struct MemFs {
    files: BTreeMap<String, Vec<u8>>,
    dirs: std::collections::BTreeSet<String>,
}

impl MemFs {
    pub fn new() -> Self {
        let mut fs = MemFs::default();
        fs.dirs.insert("/".to_string());
        fs
    }
    /// Adds a file; a relative path is taken from `/`.
    pub fn add(&mut self, path: &str, data: impl Into<Vec<u8>>) {
        let p = join("/", path);
        let mut d = parent(&p);
        loop {
            let done = d == "/";
            self.dirs.insert(d.clone());
            if done {
                break;
            }
            d = parent(&d);
        }
        self.files.insert(p, data.into());
    }
    /// Adds an empty directory.
    pub fn add_dir(&mut self, path: &str) {
        let mut d = join("/", path);
        loop {
            let done = d == "/";
            self.dirs.insert(d.clone());
            if done {
                break;
            }
            d = parent(&d);
        }
    }
}

impl FileSystem for MemFs {
    fn read(&self, path: &str) -> Result<Vec<u8>> {
        let p = join("/", path);
        match self.files.get(&p) {
            Some(d) => Ok(d.clone()),
            None if self.dirs.contains(&p) => Err(err!(NotFound, "{} is a directory, not a file", path).with_path(path)),
            None => Err(err!(NotFound, "no such file or directory").with_path(path)),
        }
    }
    fn is_dir(&self, path: &str) -> bool {
        self.dirs.contains(&join("/", path))
    }
    fn exists(&self, path: &str) -> bool {
        let p = join("/", path);
        self.files.contains_key(&p) || self.dirs.contains(&p)
    }
    fn read_dir(&self, path: &str) -> Result<Vec<String>> {
        let p = join("/", path);
        if !self.dirs.contains(&p) {
            return Err(err!(NotFound, "no such directory").with_path(path));
        }
        let prefix = if p == "/" { "/".to_string() } else { format!("{}/", p) };
        let mut out: Vec<String> = Vec::new();
        for k in self.files.keys().chain(self.dirs.iter()) {
            if let Some(rest) = k.strip_prefix(&prefix) {
                if !rest.is_empty() && !rest.contains('/') {
                    out.push(rest.to_string());
                }
            }
        }
        out.sort();
        out.dedup();
        Ok(out)
    }
    fn canonical(&self, path: &str) -> Result<String> {
        Ok(join("/", path))
    }
    // No symbolic links here: a file is read as `read` reads it.
    fn read_file_no_follow(&self, path: &str) -> Option<Result<Vec<u8>>> {
        self.files.get(&join("/", path)).map(|d| Ok(d.clone()))
    }
}

/// The machine's file system.
#[derive(Clone, Copy, Debug, Default)]
pub struct DiskFs;

#[cfg(not(target_arch = "wasm32"))]
fn io_err(path: &str, e: std::io::Error) -> crate::error::Error {
    let kind = crate::error::ErrorKind::NotFound;
    let msg = match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".to_string(),
        _ => e.to_string(),
    };
    crate::error::Error::new(kind, msg).with_path(path)
}

#[cfg(not(target_arch = "wasm32"))]
impl FileSystem for DiskFs {
    fn read(&self, path: &str) -> Result<Vec<u8>> {
        // Without `std::fs::read`'s `fstat` for the size: most files of a tree fit the first
        // buffer, so a read is open, read, read (end of file), close.
        use std::io::Read;
        let mut f = std::fs::File::open(path).map_err(|e| io_err(path, e))?;
        let mut out = Vec::with_capacity(16 << 10);
        // Through `take`: `File`'s own `read_to_end` asks for the size (`fstat`, `lseek`).
        (&mut f).take(u64::MAX).read_to_end(&mut out).map_err(|e| io_err(path, e))?;
        Ok(out)
    }
    /// Opened with `O_NOFOLLOW` and read: one `lstat` fewer than asking first.
    #[cfg(unix)]
    fn read_file_no_follow(&self, path: &str) -> Option<Result<Vec<u8>>> {
        use std::io::Read;
        use std::os::unix::fs::OpenOptionsExt;
        // Missing, a link (ELOOP), not readable...: the general path words the error.
        let mut f = std::fs::OpenOptions::new().read(true).custom_flags(libc::O_NOFOLLOW).open(path).ok()?;
        let mut out = Vec::with_capacity(16 << 10);
        match (&mut f).take(u64::MAX).read_to_end(&mut out) {
            Ok(_) => Some(Ok(out)),
            Err(e) if e.raw_os_error() == Some(libc::EISDIR) => None,
            Err(e) => Some(Err(io_err(path, e))),
        }
    }
    fn is_dir(&self, path: &str) -> bool {
        std::path::Path::new(path).is_dir()
    }
    fn exists(&self, path: &str) -> bool {
        std::path::Path::new(path).exists()
    }
    fn read_dir(&self, path: &str) -> Result<Vec<String>> {
        let mut out = Vec::new();
        for e in std::fs::read_dir(path).map_err(|e| io_err(path, e))? {
            let e = e.map_err(|e| io_err(path, e))?;
            out.push(e.file_name().to_string_lossy().into_owned());
        }
        out.sort();
        Ok(out)
    }
    fn canonical(&self, path: &str) -> Result<String> {
        let p = std::fs::canonicalize(path).map_err(|e| io_err(path, e))?;
        Ok(p.to_string_lossy().replace('\\', "/"))
    }
    fn entry_kind(&self, path: &str) -> Option<EntryKind> {
        let t = std::fs::symlink_metadata(path).ok()?.file_type();
        Some(if t.is_symlink() {
            EntryKind::Symlink
        } else if t.is_dir() {
            EntryKind::Dir
        } else {
            EntryKind::File
        })
    }
}

#[cfg(target_arch = "wasm32")]
impl FileSystem for DiskFs {
    fn read(&self, path: &str) -> Result<Vec<u8>> {
        Err(err!(Unsupported, "no disk file system on this target").with_path(path))
    }
    fn is_dir(&self, _: &str) -> bool {
        false
    }
    fn exists(&self, _: &str) -> bool {
        false
    }
    fn read_dir(&self, path: &str) -> Result<Vec<String>> {
        Err(err!(Unsupported, "no disk file system on this target").with_path(path))
    }
    fn canonical(&self, path: &str) -> Result<String> {
        Ok(clean(path))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn disk_reads_whole_files_of_any_size() {
        let dir = std::env::temp_dir().join(format!("rustomize-fs-read-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        for size in [0usize, 1, 16 << 10, (16 << 10) + 1, 100_000] {
            let data: Vec<u8> = (0..size).map(|i| (i % 251) as u8).collect();
            let p = dir.join(format!("f{}", size));
            std::fs::write(&p, &data).unwrap();
            assert_eq!(DiskFs.read(p.to_str().unwrap()).unwrap(), data, "size {}", size);
        }
        assert!(DiskFs.read(dir.join("missing").to_str().unwrap()).is_err());
        std::fs::remove_dir_all(&dir).unwrap();
    }
    #[test]
    fn clean_fast_path_agrees() {
        // Every path over a small alphabet of elements: the fast paths give what the full
        // algorithm gives.
        let elems = ["", ".", "..", "a", "bc", "..."];
        let mut paths = vec![String::new(), "/".to_string()];
        for a in elems {
            for b in elems {
                for c in elems {
                    for lead in ["", "/"] {
                        paths.push(format!("{}{}/{}/{}", lead, a, b, c));
                        paths.push(format!("{}{}/{}", lead, a, b));
                        paths.push(format!("{}{}", lead, a));
                    }
                }
            }
        }
        // The general algorithm, without the fast paths.
        let slow = |path: &str| if path.is_empty() { ".".to_string() } else { clean_elements(path) };
        for p in &paths {
            if !p.is_empty() {
                assert_eq!(clean(p), slow(p), "clean {:?}", p);
            }
            for d in ["/", "/x", "/x/y", "/x/../y", "/x/"] {
                assert_eq!(join(d, p), if p.starts_with('/') { slow(p) } else { slow(&format!("{}/{}", d, p)) }, "join {:?} {:?}", d, p);
            }
        }
    }
    /// The one-pass `is_clean` agrees with splitting into elements on every path of up to 7
    /// bytes over `a`, `.`, `/`, and on a few longer ones.
    #[test]
    fn is_clean_agrees_with_elements() {
        let alphabet = [b'a', b'.', b'/'];
        let mut n = 0;
        for len in 0..=7u32 {
            for mut code in 0..3usize.pow(len) {
                let mut p = Vec::new();
                for _ in 0..len {
                    p.push(alphabet[code % 3]);
                    code /= 3;
                }
                let p = String::from_utf8(p).unwrap();
                assert_eq!(is_clean(&p), is_clean_by_elements(&p), "{:?}", p);
                n += usize::from(is_clean(&p));
            }
        }
        assert!(n > 100, "only {} clean paths", n);
        for p in ["/tmp/e2e/tree-1100/apps/app0005/overlays/prod", "a/.../b", "/a/.b/c..", "/a/./b", "a/b/..", "../a", "/é/ü", "/x/"] {
            assert_eq!(is_clean(p), is_clean_by_elements(p), "{:?}", p);
        }
    }
    /// A memory file system reads its files without asking first (it has no links).
    #[test]
    fn memfs_reads_without_asking() {
        let mut mem = MemFs::new();
        mem.add("/m/a.yaml", "a: 1\n");
        for p in ["/m/a.yaml", "m/a.yaml", "/m", "/m/b.yaml", "/"] {
            let general = if mem.is_dir(p) || !mem.exists(p) { None } else { Some(mem.read(p).unwrap()) };
            assert_eq!(mem.read_file_no_follow(p).map(|r| r.unwrap()), general, "{}", p);
        }
        assert!(mem.read_file_no_follow("/m/a.yaml").is_some());
    }
    #[test]
    fn clean_like_go() {
        assert_eq!(clean("a/../../b"), "../b");
        assert_eq!(clean("/a/../../b"), "/b");
        assert_eq!(clean("./a//b/"), "a/b");
        assert_eq!(clean(""), ".");
        assert!(is_within("/a", "/a/b"));
        assert!(!is_within("/a", "/ab"));
    }
    #[test]
    fn memfs_dirs() {
        let mut fs = MemFs::new();
        fs.add("x/y/k.yaml", "a");
        assert!(fs.is_dir("/x"));
        assert_eq!(fs.read_dir("/x").unwrap(), vec!["y"]);
        assert!(fs.read("/x/y").is_err());
    }
}
