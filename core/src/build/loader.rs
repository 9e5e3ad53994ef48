//! The loader: reads files relative to a kustomization root under a load restriction, and
//! opens nested kustomization roots with cycle detection.

use crate::error::{err, Result};
use crate::fs::{self, DiskFs, FileSystem};
use super::remote::{self, CloneDir, RepoSpec};
use std::sync::Arc;

/// The file system clones are read from.
static DISK: DiskFs = DiskFs;

/// Which files a kustomization may read.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum LoadRestrictor {
    /// Only files in or below the kustomization's own directory (kustomize's default).
    #[default]
    RootOnly,
    /// Any file.
    None,
}

/// The kustomization file names kustomize recognizes, in the order it tries them.
pub const KUSTOMIZATION_FILE_NAMES: [&str; 3] = ["kustomization.yaml", "kustomization.yml", "Kustomization"];

/// A loader rooted at one kustomization directory.
#[derive(Clone)]
pub struct Loader<'a> {
    pub(crate) fs: &'a dyn FileSystem,
    root: String,
    restrictor: LoadRestrictor,
    /// Roots of the kustomizations that led here (shared with the loaders that led here).
    ancestors: Option<Arc<Ancestors>>,
    /// The git clone this root is in (kustomize's containingRepo); the directory is removed
    /// when the last loader holding it is dropped.
    clone: Option<Arc<CloneDir>>,
    /// The URLs of the remote roots that led here (kustomize's errIfRepoCycle).
    repo_urls: Vec<String>,
    /// Parsed files shared with the other builds of a batch.
    pub(crate) cache: Option<Arc<super::cache::SharedCache>>,
    /// Threads for collecting `resources:` entries in parallel.
    pub(crate) par: Option<Arc<super::par::Par>>,
    /// The kustomization already loaded at this root in this build, if opening it found one.
    pub(crate) known: Option<Arc<super::cache::Loaded>>,
}

/// The roots of the kustomizations that led to a loader, innermost first: each loader adds
/// its parent's root to the parent's chain without copying it.
pub(crate) struct Ancestors {
    root: String,
    up: Option<Arc<Ancestors>>,
    /// How many roots the chain holds.
    len: usize,
}

impl Ancestors {
    /// `chain` with `root` added as the innermost.
    fn push(chain: &Option<Arc<Ancestors>>, root: &str) -> Arc<Ancestors> {
        let len = chain.as_ref().map_or(0, |a| a.len) + 1;
        Arc::new(Ancestors { root: root.to_string(), up: chain.clone(), len })
    }
    /// The roots, innermost first.
    fn iter(&self) -> impl Iterator<Item = &str> {
        std::iter::successors(Some(self), |a| a.up.as_deref()).map(|a| a.root.as_str())
    }
}

impl<'a> Loader<'a> {
    /// A loader for the build's root directory.
    pub fn new(fs: &'a dyn FileSystem, dir: &str, restrictor: LoadRestrictor) -> Result<Self> {
        let root = confirm_dir(fs, dir)?;
        Ok(Loader { fs, root, restrictor, ancestors: None, clone: None, repo_urls: Vec::new(), cache: None, par: None, known: None })
    }

    /// The (canonical) root directory.
    pub fn root(&self) -> &str {
        &self.root
    }

    pub fn restrictor(&self) -> LoadRestrictor {
        self.restrictor
    }

    /// The absolute path of `rel` (relative to the root), checked against the load restriction.
    pub fn resolve(&self, rel: &str) -> Result<String> {
        Ok(self.resolve_kind(rel)?.0)
    }

    /// `rel` resolved without `realpath` when it is some `..` (from the canonical root they
    /// only climb its canonical ancestors) then names, each directory and the file neither a
    /// symbolic link nor missing: one `lstat` a name. `None`: ask the general path.
    /// A directory at the end gives the error the general path gives.
    fn resolve_plain(&self, rel: &str) -> Option<Result<String>> {
        if rel.is_empty() {
            return None;
        }
        let (path, kind) = self.walk_plain(rel)?;
        match kind {
            Some(fs::EntryKind::File) if fs::is_within(&self.root, &path) => Some(Ok(path)),
            Some(fs::EntryKind::Dir) => Some(Err(self.dir_not_file(rel))),
            _ => None,
        }
    }

    /// What reading `rel` gives when it walks plain ([`Loader::walk_plain`]) to a directory.
    pub(crate) fn dir_not_file(&self, rel: &str) -> crate::Error {
        err!(NotFound, "'{}' must resolve to a file", fs::join(&self.root, rel)).with_path(rel)
    }

    /// The path [`Loader::walk_plain`] would reach for `rel`, told without asking the file
    /// system (so without knowing whether it walks plain); `None` where it gives `None`
    /// whatever the files.
    /// Also where the names of `rel` start in the path: after the root or the ancestor its
    /// leading `..` climb to.
    fn lexical(&self, rel: &str) -> Option<(String, usize)> {
        self.lexical_with_room(rel, 0)
    }

    /// [`Loader::lexical`], the path with room for `room` more bytes.
    fn lexical_with_room(&self, rel: &str, room: usize) -> Option<(String, usize)> {
        if rel.starts_with('/') || rel.as_bytes().contains(&b'\\') {
            return None;
        }
        let mut path = String::with_capacity(self.root.len() + 1 + rel.len() + room);
        path.push_str(&self.root);
        let mut start = None;
        for seg in split_slash(rel) {
            match seg {
                "" | "." => {}
                ".." if start.is_none() => climb(&mut path),
                ".." => return None,
                name => {
                    start.get_or_insert(path.len());
                    if !path.ends_with('/') {
                        path.push('/');
                    }
                    path.push_str(name);
                }
            }
        }
        let start = start.unwrap_or(path.len());
        Some((path, start))
    }

    /// The kind of each name of `path` after byte `start` (see [`Loader::lexical`]), every
    /// one but the last a directory that is not a link: the last one's kind (a directory
    /// when there are no names). `None` when a name before the last is anything else.
    fn walk_names(&self, path: &str, start: usize) -> Option<Option<fs::EntryKind>> {
        let b = path.as_bytes();
        let mut kind = Some(fs::EntryKind::Dir);
        let mut i = start;
        while i < b.len() {
            if kind != Some(fs::EntryKind::Dir) {
                return None;
            }
            // Past the `/` before this name (the root `/` has none of its own).
            if b[i] == b'/' {
                i += 1;
            }
            let end = b[i..].iter().position(|&c| c == b'/').map_or(b.len(), |j| i + j);
            kind = self.entry_kind(&path[..end]);
            i = end;
        }
        Some(kind)
    }

    /// [`Loader::plain_dir`], and the kustomization this build loaded there if any: a root
    /// loaded before is canonical, so every name on the way to it is a directory and not a
    /// link, and it need not be walked again.
    fn plain_dir_known(&self, rel: &str) -> Option<(String, Option<Arc<super::cache::Loaded>>)> {
        let (path, start) = self.lexical(rel)?;
        if let Some(known) = self.cache.as_ref().and_then(|c| c.loaded(&path)) {
            return Some((path, Some(known)));
        }
        match self.walk_names(&path, start)? {
            Some(fs::EntryKind::Dir) => Some((path, None)),
            _ => None,
        }
    }

    /// The canonical directory of `rel` when that needs no `realpath` (see
    /// [`Loader::walk_plain`]).
    fn plain_dir(&self, rel: &str) -> Option<String> {
        match self.walk_plain(rel)? {
            (dir, Some(fs::EntryKind::Dir)) => Some(dir),
            _ => None,
        }
    }

    /// Walks `rel` from the root when it is some `..` (which from a canonical root only climb
    /// its canonical ancestors) then names, every name but the last a directory that is not a
    /// symbolic link: the path reached, which is canonical unless the last entry is a link,
    /// and that entry's kind (one `lstat` a name). `None` for other paths.
    fn walk_plain(&self, rel: &str) -> Option<(String, Option<fs::EntryKind>)> {
        self.walk_plain_with_room(rel, 0)
    }

    /// [`Loader::walk_plain`], the path with room for `room` more bytes.
    fn walk_plain_with_room(&self, rel: &str, room: usize) -> Option<(String, Option<fs::EntryKind>)> {
        let (path, start) = self.lexical_with_room(rel, room)?;
        let kind = self.walk_names(&path, start)?;
        Some((path, kind))
    }

    /// [`Loader::walk_plain`] a name at a time (the reference its tests compare with).
    #[cfg(test)]
    fn walk_plain_by_names(&self, rel: &str) -> Option<(String, Option<fs::EntryKind>)> {
        if rel.starts_with('/') || rel.contains('\\') {
            return None;
        }
        let mut path = self.root.clone();
        let mut climbing = true;
        let mut kind = Some(fs::EntryKind::Dir);
        for seg in rel.split('/') {
            match seg {
                "" | "." => {}
                ".." if climbing => climb(&mut path),
                ".." => return None,
                name => {
                    if kind != Some(fs::EntryKind::Dir) {
                        return None;
                    }
                    climbing = false;
                    if !path.ends_with('/') {
                        path.push('/');
                    }
                    path.push_str(name);
                    kind = self.entry_kind(&path);
                }
            }
        }
        Some((path, kind))
    }

    /// The file at `rel` read without an `lstat` of the file itself, when its directory walks
    /// plain ([`Loader::walk_plain`]), it is within the root, and it is a file that is not a
    /// symbolic link ([`FileSystem::read_file_no_follow`]); what [`Loader::resolve_plain`] then
    /// reading would give. `None`: ask the general path.
    fn read_plain(&self, rel: &str) -> Option<Result<Vec<u8>>> {
        if rel.as_bytes().contains(&b'\\') {
            return None;
        }
        // `rel.rsplit_once('/')`, a byte at a time (short paths: no searcher to set up).
        let (dir_rel, name) = match rel.as_bytes().iter().rposition(|&c| c == b'/') {
            Some(i) => (&rel[..i], &rel[i + 1..]),
            None => ("", rel),
        };
        if matches!(name, "" | "." | "..") {
            return None;
        }
        let (mut path, kind) = self.walk_plain_with_room(dir_rel, 1 + name.len())?;
        if kind != Some(fs::EntryKind::Dir) {
            return None;
        }
        if !path.ends_with('/') {
            path.push('/');
        }
        path.push_str(name);
        if !fs::is_within(&self.root, &path) {
            return None;
        }
        self.fs.read_file_no_follow(&path)
    }

    /// [`Loader::resolve`], and whether the path is known to be a file.
    fn resolve_kind(&self, rel: &str) -> Result<(String, bool)> {
        if self.restrictor == LoadRestrictor::RootOnly {
            if let Some(r) = self.resolve_plain(rel) {
                return r.map(|p| (p, true));
            }
        }
        let path = fs::join(&self.root, rel);
        if self.restrictor == LoadRestrictor::RootOnly {
            if !self.fs.exists(&path) {
                return Err(err!(NotFound, "evalsymlink failure on '{}' : lstat {}: no such file or directory", path, path)
                    .with_path(rel));
            }
            let real = self.fs.canonical(&path).map_err(|e| e.with_path(rel))?;
            if self.fs.is_dir(&real) {
                return Err(err!(NotFound, "'{}' must resolve to a file", path).with_path(rel));
            }
            if !fs::is_within(&self.root, &real) {
                return Err(err!(
                    LoadRestriction,
                    "security; file '{}' is not in or below '{}'",
                    path,
                    self.root
                )
                .with_path(rel));
            }
            return Ok((real, true));
        }
        Ok((path, false))
    }

    /// Reads the file at `rel`.
    pub fn load(&self, rel: &str) -> Result<Vec<u8>> {
        if self.restrictor == LoadRestrictor::RootOnly {
            if let Some(r) = self.read_plain(rel) {
                return r.map_err(|e| e.with_path(rel));
            }
        }
        self.load_general(rel)
    }

    /// [`Loader::load`] asking first what each name of the path is.
    fn load_general(&self, rel: &str) -> Result<Vec<u8>> {
        let (path, is_file) = self.resolve_kind(rel)?;
        if !is_file && self.fs.is_dir(&path) {
            return Err(err!(NotFound, "'{}' must resolve to a file", path).with_path(rel));
        }
        self.fs.read(&path).map_err(|e| e.with_path(rel))
    }

    /// Reads the file at `rel` as UTF-8 text.
    pub fn load_text(&self, rel: &str) -> Result<String> {
        let bytes = self.load(rel)?;
        decode_text(bytes).map_err(|e| e.with_path(rel))
    }

    /// Whether `rel` names a remote resource: a git URL (as kustomize parses them) or an
    /// http(s) URL.
    pub fn is_remote(rel: &str) -> bool {
        remote::is_remote(rel)
    }

    /// The clone directory this root is in, if it came from a git URL.
    pub fn clone_dir(&self) -> Option<&str> {
        self.clone.as_deref().map(CloneDir::path)
    }

    /// A loader at the kustomization root of a git URL (kustomize's newLoaderAtGitClone):
    /// the repository is cloned into a temporary directory, removed when the loader (and
    /// every loader below it) is dropped; clones are always root-only.
    fn sub_remote(&self, spec: RepoSpec) -> Result<Loader<'a>> {
        for prev in &self.repo_urls {
            if prev.starts_with(&spec.raw) {
                return Err(err!(Cycle, "cycle detected: URI '{}' referenced by previous URI '{}'", spec.raw, prev)
                    .with_path(spec.raw.clone()));
            }
        }
        let dir = remote::clone_repo(&spec)?;
        let abs = fs::join(dir.path(), &spec.kust_root_path);
        let root = DISK
            .canonical(&abs)
            .map_err(|_| err!(NotFound, "'{}' in '{}' does not exist", spec.kust_root_path, spec.raw).with_path(spec.raw.clone()))?;
        if !DISK.is_dir(&root) {
            return Err(err!(NotFound, "'{}' refers to file '{}'; expecting directory", abs, fs::base_name(&root))
                .with_path(spec.raw.clone()));
        }
        if !fs::is_within(dir.path(), &root) {
            return Err(err!(LoadRestriction, "\"{}\" refers to directory outside of repo \"{}\"", abs, dir.path())
                .with_path(spec.raw.clone()));
        }
        let ancestors = Ancestors::push(&self.ancestors, &self.root);
        check_nesting(&ancestors, &spec.raw)?;
        let mut repo_urls = self.repo_urls.clone();
        repo_urls.push(spec.raw.clone());
        Ok(Loader {
            fs: &DISK,
            root,
            restrictor: LoadRestrictor::RootOnly,
            ancestors: Some(ancestors),
            clone: Some(Arc::new(dir)),
            repo_urls,
            // A clone is a fresh temporary directory: nothing to share.
            cache: None,
            par: self.par.clone(),
            known: None,
        })
    }

    /// A loader for the kustomization directory `rel` (kustomize's `Loader.New`): the directory
    /// must exist, and must not contain the root of this or any enclosing kustomization.
    pub fn sub(&self, rel: &str) -> Result<Loader<'a>> {
        self.sub_with(rel, true)
    }

    /// [`Loader::sub`]; `remembered`: a root this build loaded already is known without a
    /// walk (`false` for tests comparing with the walk).
    pub(crate) fn sub_with(&self, rel: &str, remembered: bool) -> Result<Loader<'a>> {
        if rel.is_empty() {
            return Err(err!(Kustomization, "new root cannot be empty"));
        }
        if remote::may_be_git_url(rel) {
            if let Ok(spec) = RepoSpec::parse(rel) {
                return self.sub_remote(spec);
            }
        }
        if remote::is_http_url(rel) {
            return Err(err!(NotFound, "'{}' is neither a git repository URL nor a kustomization directory", rel).with_path(rel));
        }
        if rel.starts_with('/') {
            return Err(err!(Kustomization, "new root '{}' cannot be absolute", rel).with_path(rel));
        }
        let found = if remembered { self.plain_dir_known(rel) } else { self.plain_dir(rel).map(|d| (d, None)) };
        let (root, known) = match found {
            Some(found) => found,
            None => (confirm_dir(self.fs, &fs::join(&self.root, rel)).map_err(|e| e.with_path(rel))?, None),
        };
        self.sub_at(rel, root, known)
    }

    /// [`Loader::sub`] for a local relative `rel` that walks plain to a directory under a
    /// root-only restriction (then reading `rel` as a file gives [`Loader::dir_not_file`]);
    /// `None` for any other `rel`, without asking more than `sub` would.
    pub(crate) fn sub_if_plain_dir(&self, rel: &str) -> Option<Result<Loader<'a>>> {
        if self.restrictor != LoadRestrictor::RootOnly
            || rel.is_empty()
            || rel.starts_with('/')
            || looks_like_file(rel)
            || remote::is_http_url(rel)
            || remote::may_be_git_url(rel)
        {
            return None;
        }
        let (root, known) = self.plain_dir_known(rel)?;
        Some(self.sub_at(rel, root, known))
    }

    /// The loader at the directory `root` (canonical) named by `rel`: within this loader's
    /// clone, and neither containing nor nested too deep under the roots that led here.
    fn sub_at(&self, rel: &str, root: String, known: Option<Arc<super::cache::Loaded>>) -> Result<Loader<'a>> {
        if let Some(c) = &self.clone {
            if !fs::is_within(c.path(), &root) {
                return Err(err!(
                    LoadRestriction,
                    "security; bases in kustomizations found in cloned git repos must be within the repo, but base '{}' is outside '{}'",
                    root,
                    c.path()
                )
                .with_path(rel));
            }
        }
        let ancestors = Ancestors::push(&self.ancestors, &self.root);
        // The outermost visited root inside the candidate is the one reported.
        if let Some(visited) = ancestors.iter().filter(|v| fs::is_within(&root, v)).last() {
            return Err(err!(Cycle, "cycle detected: candidate root '{}' contains visited root '{}'", root, visited).with_path(rel));
        }
        check_nesting(&ancestors, rel)?;
        Ok(Loader {
            fs: self.fs,
            root,
            restrictor: self.restrictor,
            ancestors: Some(ancestors),
            clone: self.clone.clone(),
            repo_urls: self.repo_urls.clone(),
            cache: self.cache.clone(),
            par: self.par.clone(),
            known,
        })
    }

    /// [`FileSystem::entry_kind`], remembered for the build (see `SharedCache::entry_kind`).
    fn entry_kind(&self, path: &str) -> Option<fs::EntryKind> {
        match &self.cache {
            Some(c) => c.entry_kind(self.fs, path),
            None => self.fs.entry_kind(path),
        }
    }

    /// Whether the kustomization file name `name` is a file in this root (or a link to one).
    fn has_kustomization_file(&self, name: &str) -> bool {
        // Every loader's root is clean and absolute, and the names are plain file names.
        let p = fs::join_clean(&self.root, name);
        match self.fs.entry_kind(&p) {
            Some(fs::EntryKind::File) => true,
            Some(fs::EntryKind::Dir) | None => false,
            Some(fs::EntryKind::Symlink) => self.fs.exists(&p) && !self.fs.is_dir(&p),
        }
    }

    /// Finds and reads the kustomization file of this root: `(file name, contents)`.
    pub fn kustomization_file(&self) -> Result<(String, String)> {
        // Most roots have a plain `kustomization.yaml`: read straight away, it is a file and
        // not a link (no `lstat` of it); the other names decide between it and an error.
        let [first, others @ ..] = KUSTOMIZATION_FILE_NAMES;
        let path = fs::join_clean(&self.root, first);
        if let Some(Ok(bytes)) = self.fs.read_file_no_follow(&path) {
            if others.iter().any(|name| self.has_kustomization_file(name)) {
                return Err(self.multiple_kustomization_files());
            }
            let text = decode_text(bytes).map_err(|e| e.with_path(first)).map_err(|e| e.with_path(path))?;
            return Ok((first.to_string(), text));
        }
        self.kustomization_file_general()
    }

    fn multiple_kustomization_files(&self) -> crate::Error {
        err!(Kustomization, "Found multiple kustomization files under: {}", self.root).with_path(self.root.clone())
    }

    /// [`Loader::kustomization_file`] asking first what each name is.
    fn kustomization_file_general(&self) -> Result<(String, String)> {
        let found: Vec<&str> = KUSTOMIZATION_FILE_NAMES.into_iter().filter(|n| self.has_kustomization_file(n)).collect();
        match found.as_slice() {
            [] => Err(err!(
                NotFound,
                "unable to find one of 'kustomization.yaml', 'kustomization.yml' or 'Kustomization' in directory '{}'",
                self.root
            )
            .with_path(self.root.clone())),
            [one] => {
                let text = self.load_text(one).map_err(|e| e.with_path(fs::join(&self.root, one)))?;
                Ok((one.to_string(), text))
            }
            _ => Err(self.multiple_kustomization_files()),
        }
    }
}

/// `s.split('/')`, a byte at a time (short paths: no searcher to set up).
fn split_slash(s: &str) -> impl Iterator<Item = &str> {
    let mut rest = Some(s);
    std::iter::from_fn(move || {
        let r = rest?;
        match r.as_bytes().iter().position(|&c| c == b'/') {
            Some(i) => {
                rest = Some(&r[i + 1..]);
                Some(&r[..i])
            }
            None => {
                rest = None;
                Some(r)
            }
        }
    })
}

/// `*path = fs::parent(path)` without a new string (`path` is absolute).
fn climb(path: &mut String) {
    match path.as_bytes().iter().rposition(|&c| c == b'/') {
        Some(0) => path.truncate(1),
        Some(i) => path.truncate(i),
        None => *path = fs::parent(path),
    }
}

/// Whether the last name of `rel` has an extension (`deployment.yaml`): then it is most
/// likely a file, which is best read straight away than asked about first. Only the cost
/// depends on it.
fn looks_like_file(rel: &str) -> bool {
    let b = rel.as_bytes();
    let end = b.iter().rposition(|&c| c != b'/').map_or(0, |i| i + 1);
    let last = &b[b[..end].iter().rposition(|&c| c == b'/').map_or(0, |i| i + 1)..end];
    matches!(last.iter().rposition(|&c| c == b'.'), Some(i) if i > 0 && last != b"..")
}

fn confirm_dir(fs: &dyn FileSystem, dir: &str) -> Result<String> {
    let real = fs
        .canonical(dir)
        .map_err(|_| err!(NotFound, "must build at directory: not a valid directory: evalsymlink failure on '{}'", dir).with_path(dir))?;
    if !fs.is_dir(&real) {
        return Err(err!(NotFound, "must build at directory: '{}': file is not directory", dir).with_path(dir));
    }
    Ok(real)
}

/// The text of a YAML file: UTF-8, or UTF-16 with a byte order mark (go-yaml reads both; the
/// mark is dropped).
pub(crate) fn decode_text(bytes: Vec<u8>) -> Result<String> {
    let utf16 = |be: bool| -> Result<String> {
        let body = &bytes[2..];
        if body.len() % 2 != 0 {
            return Err(err!(Yaml, "incomplete UTF-16 character sequence"));
        }
        let units = body.chunks_exact(2).map(|c| if be { u16::from_be_bytes([c[0], c[1]]) } else { u16::from_le_bytes([c[0], c[1]]) });
        char::decode_utf16(units).collect::<std::result::Result<String, _>>().map_err(|_| err!(Yaml, "invalid UTF-16 surrogate pair"))
    };
    match bytes.get(..2) {
        Some([0xFF, 0xFE]) => utf16(false),
        Some([0xFE, 0xFF]) => utf16(true),
        _ => String::from_utf8(bytes).map_err(|_| err!(Yaml, "file is not valid UTF-8")),
    }
}

/// How deep kustomizations may nest (bases and components, counting the root). Each level is a
/// few frames of recursion: the limit keeps a build within a small stack (1 MiB of wasm, a
/// 2 MiB thread, a debug build). kustomize has none; real trees nest a handful deep.
pub const MAX_NESTING: usize = 50;

fn check_nesting(ancestors: &Ancestors, rel: &str) -> Result<()> {
    if ancestors.len >= MAX_NESTING {
        return Err(err!(Kustomization, "kustomizations nested more than {} deep", MAX_NESTING).with_path(rel));
    }
    Ok(())
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    /// Reading a file straight away (no `lstat` of it) gives what asking first gives: the
    /// bytes, or the same error, for plain files, links inside and outside the root,
    /// directories, missing files and paths that climb out.
    #[test]
    fn reading_without_asking_equals_asking_first() {
        let base = std::env::temp_dir().join(format!("rustomize-loader-plain-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&base);
        let root = base.join("root");
        std::fs::create_dir_all(root.join("d/e")).unwrap();
        std::fs::write(root.join("a.yaml"), "a: 1\n").unwrap();
        std::fs::write(root.join("d/e/b.yaml"), "b: 2\n").unwrap();
        std::fs::write(base.join("outside.yaml"), "o: 3\n").unwrap();
        std::os::unix::fs::symlink(root.join("a.yaml"), root.join("link.yaml")).unwrap();
        std::os::unix::fs::symlink(base.join("outside.yaml"), root.join("out.yaml")).unwrap();
        std::os::unix::fs::symlink(root.join("d"), root.join("dlink")).unwrap();
        let rels = [
            "a.yaml", "./a.yaml", "d/e/b.yaml", "d/../a.yaml", "d/e/../e/b.yaml", "link.yaml", "out.yaml", "dlink/e/b.yaml",
            "d", "d/e", "d/", "missing.yaml", "d/missing.yaml", "../outside.yaml", "../root/a.yaml", "a.yaml/x", ".", "..",
        ];
        let disk = crate::fs::DiskFs;
        let ldr = Loader::new(&disk, &root.to_string_lossy(), LoadRestrictor::RootOnly).unwrap();
        let mut quick = 0;
        for rel in rels {
            let general = ldr.load_general(rel).map_err(|e| e.to_string());
            if ldr.read_plain(rel).is_some() {
                quick += 1;
            }
            assert_eq!(ldr.load(rel).map_err(|e| e.to_string()), general, "{}", rel);
        }
        assert!(quick >= 4, "only {} paths were read straight away", quick);
        std::fs::remove_dir_all(&base).unwrap();
    }

    /// A scratch tree of kustomization roots: plain ones, each other file name, several
    /// files, links (inside, outside, dangling, to directories), a directory named like a
    /// kustomization file, text that is not UTF-8 and UTF-16; removed on drop.
    struct Tree {
        base: std::path::PathBuf,
    }
    impl Drop for Tree {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.base);
        }
    }
    fn tree(tag: &str) -> (Tree, String) {
        use std::os::unix::fs::symlink;
        let base = std::env::temp_dir().join(format!("rustomize-loader-{}-{}", tag, std::process::id()));
        let _ = std::fs::remove_dir_all(&base);
        let w = |rel: &str, text: &[u8]| {
            let p = base.join(rel);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        };
        let k: &[u8] = b"resources: []\n";
        w("root/kustomization.yaml", k);
        w("root/a/kustomization.yaml", k);
        w("root/b/kustomization.yml", k);
        w("root/c/Kustomization", k);
        w("root/d/kustomization.yaml", k);
        w("root/d/kustomization.yml", k);
        std::fs::create_dir_all(base.join("root/e")).unwrap();
        std::fs::create_dir_all(base.join("root/f")).unwrap();
        symlink("../a/kustomization.yaml", base.join("root/f/kustomization.yaml")).unwrap();
        w("outside/kustomization.yaml", k);
        std::fs::create_dir_all(base.join("root/g")).unwrap();
        symlink(base.join("outside/kustomization.yaml"), base.join("root/g/kustomization.yaml")).unwrap();
        std::fs::create_dir_all(base.join("root/h/kustomization.yaml")).unwrap();
        w("root/h/Kustomization", k);
        std::fs::create_dir_all(base.join("root/i")).unwrap();
        symlink("missing.yaml", base.join("root/i/kustomization.yaml")).unwrap();
        w("root/j/kustomization.yaml", b"a: \xff\xfe\xfd\n");
        w("root/k/kustomization.yaml", &[0xFF, 0xFE, b'a', 0, b':', 0, b' ', 0, b'1', 0, b'\n', 0]);
        w("root/l/kustomization.yaml", k);
        symlink("kustomization.yaml", base.join("root/l/Kustomization")).unwrap();
        w("root/m/kustomization.yaml", k);
        std::fs::create_dir_all(base.join("root/m/kustomization.yml")).unwrap();
        w("root/n/kustomization.yaml", k);
        symlink("../a", base.join("root/n/Kustomization")).unwrap();
        w("root/o/kustomization.yaml", b"");
        symlink("a", base.join("root/alink")).unwrap();
        w("root/file.yaml", k);
        w("root/nested/deeper/kustomization.yaml", k);
        std::fs::create_dir_all(base.join("outside2")).unwrap();
        let root = crate::fs::DiskFs.canonical(&base.join("root").to_string_lossy()).unwrap();
        (Tree { base }, root)
    }
    /// Walking the lexical path gives what walking a name at a time gives (with and without
    /// the build's memo of what names are); the byte helpers agree with `str`'s.
    #[test]
    fn walk_plain_equals_walking_by_names() {
        let (_t, root) = tree("walk");
        let disk = crate::fs::DiskFs;
        let rels = [
            "", ".", "..", "../..", "a", "a/", "./a/./", "a//kustomization.yaml", "a/kustomization.yaml/x", "alink", "alink/kustomization.yaml",
            "f/kustomization.yaml", "f/kustomization.yaml/x", "i/kustomization.yaml", "missing", "missing/x", "a/../b", "../root/a",
            "../../..", "nested/deeper/kustomization.yaml", "nested/../nested", "/abs", "a\\b", "h/kustomization.yaml/", "..//./root",
        ];
        let mut ldr = Loader::new(&disk, &root, LoadRestrictor::RootOnly).unwrap();
        let mut some = 0;
        for memo in [false, true, true] {
            if memo {
                ldr.cache = Some(Default::default());
            }
            for from in [ldr.clone(), ldr.sub("nested/deeper").unwrap()] {
                for rel in rels {
                    assert_eq!(from.walk_plain(rel), from.walk_plain_by_names(rel), "{} {}", memo, rel);
                    some += usize::from(from.walk_plain(rel).is_some());
                }
            }
        }
        assert!(some >= 60, "only {} walks", some);
        let top = Loader::new(&disk, "/", LoadRestrictor::RootOnly).unwrap();
        for rel in ["", "..", &root[1..], &format!("{}/a", &root[1..]), "nonexistent-rustomize-dir/x"] {
            assert_eq!(top.walk_plain(rel), top.walk_plain_by_names(rel), "{}", rel);
        }
        for s in ["", "/", "a", "a/b", "/a/", "a//b", "..", "ü/é/", "x/y.z/", "a.b", ".hidden", "a/.b", "a/b.", "../x.yaml//"] {
            assert_eq!(split_slash(s).collect::<Vec<_>>(), s.split('/').collect::<Vec<_>>(), "{:?}", s);
            let last = s.trim_end_matches('/').rsplit('/').next().unwrap_or("");
            assert_eq!(looks_like_file(s), matches!(last.rfind('.'), Some(i) if i > 0 && last != ".."), "{:?}", s);
            let mut p = format!("/r/{}", s);
            let want = crate::fs::parent(&p);
            climb(&mut p);
            assert_eq!(p, want, "{:?}", s);
        }
        for r in ["/", root.as_str(), "/a/b", "/a.b/c..d"] {
            for name in KUSTOMIZATION_FILE_NAMES.into_iter().chain(["x", ".hidden", "a.yaml"]) {
                assert_eq!(crate::fs::join_clean(r, name), crate::fs::join(r, name), "{} {}", r, name);
            }
        }
    }

    const DIRS: [&str; 17] = ["", "a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m", "n", "o", "missing"];

    /// Reading `kustomization.yaml` straight away gives what asking first about each of the
    /// three names gives, for every kind of root and both load restrictions.
    #[test]
    fn kustomization_file_fast_equals_general() {
        let (_t, root) = tree("kfile");
        let disk = crate::fs::DiskFs;
        let mut fast = 0;
        for restrictor in [LoadRestrictor::RootOnly, LoadRestrictor::None] {
            for d in DIRS {
                let dir = crate::fs::join(&root, d);
                let Ok(ldr) = Loader::new(&disk, &dir, restrictor) else { continue };
                let general = ldr.kustomization_file_general();
                if matches!(disk.read_file_no_follow(&fs::join(ldr.root(), "kustomization.yaml")), Some(Ok(_))) {
                    fast += 1;
                }
                assert_eq!(ldr.kustomization_file(), general, "{} {:?}", d, restrictor);
            }
        }
        assert!(fast >= 18, "only {} roots took the fast path", fast);
        // The general path does find errors of each kind.
        let ldr = |d: &str| Loader::new(&disk, &crate::fs::join(&root, d), LoadRestrictor::RootOnly).unwrap();
        assert_eq!(ldr("d").kustomization_file().unwrap_err().kind(), crate::ErrorKind::Kustomization);
        assert_eq!(ldr("l").kustomization_file().unwrap_err().kind(), crate::ErrorKind::Kustomization);
        assert_eq!(ldr("e").kustomization_file().unwrap_err().kind(), crate::ErrorKind::NotFound);
        assert_eq!(ldr("g").kustomization_file().unwrap_err().kind(), crate::ErrorKind::LoadRestriction);
        assert!(ldr("j").kustomization_file().is_err());
        assert_eq!(ldr("k").kustomization_file().unwrap().1, "a: 1\n");
        assert_eq!(ldr("h").kustomization_file().unwrap().0, "Kustomization");
    }

    /// Opening a kustomization directory: knowing a root this build loaded (no walk), and
    /// `sub_if_plain_dir` (no attempt to read the directory as a file), give what walking
    /// gives: the same root or the same error, and reading the path as a file gives
    /// `dir_not_file` whenever `sub_if_plain_dir` answers.
    #[test]
    fn sub_fast_paths_equal_the_walk() {
        let (_t, root) = tree("sub");
        let disk = crate::fs::DiskFs;
        let rels = [
            "a", "./a", "a/", "a/.", "alink", "alink/", "e", "nested/deeper", "nested/../a", "nested/deeper/..", "../outside",
            "../root/a", "../root", "../outside2", ".", "..", "missing", "file.yaml", "a/kustomization.yaml", "h/kustomization.yaml",
            "/abs", "", "a\\b", "https://example.com/x", "../../..",
        ];
        let cache = std::sync::Arc::new(super::super::cache::SharedCache::default());
        let loaded = |r: &str| super::super::cache::Loaded {
            file_name: "kustomization.yaml".into(),
            k: std::sync::Arc::new(Default::default()),
            warnings: vec![r.to_string()],
        };
        // Roots this build has loaded: some reached by the names below, some not.
        for r in ["a", "nested/deeper", "../outside", "e"] {
            let dir = crate::fs::join(&root, r);
            cache.remember_loaded(&dir, loaded(&dir));
        }
        let outer = Loader::new(&disk, &crate::fs::join(&root, ".."), LoadRestrictor::RootOnly).unwrap();
        let mut ldr = outer.sub("root").unwrap();
        ldr.cache = Some(cache.clone());
        let roots = |r: Result<Loader>| r.map(|l| (l.root().to_string(), l.known.map(|k| k.warnings.clone())));
        let (mut known, mut plain) = (0, 0);
        for nested in [false, true] {
            // Also from a loader below the root: cycles with its ancestors.
            let from = if nested { ldr.sub("nested").unwrap() } else { ldr.clone() };
            for rel in rels {
                let walked = roots(from.sub_with(rel, false));
                let fast = roots(from.sub(rel));
                assert_eq!(fast.clone().map(|r| r.0), walked.clone().map(|r| r.0), "{} {}", nested, rel);
                if let Ok((r, Some(w))) = &fast {
                    // Known: the root it was remembered at.
                    assert_eq!(w, &vec![r.clone()]);
                    known += 1;
                }
                if let Some(r) = from.sub_if_plain_dir(rel) {
                    plain += 1;
                    assert_eq!(roots(r), fast, "{} {}", nested, rel);
                    assert_eq!(from.load_general(rel).unwrap_err(), from.dir_not_file(rel), "{} {}", nested, rel);
                    assert_eq!(from.load(rel).unwrap_err(), from.dir_not_file(rel), "{} {}", nested, rel);
                }
            }
        }
        assert!(known >= 6, "only {} roots were known", known);
        assert!(plain >= 12, "only {} paths were plain directories", plain);
        // Without a cache, nothing is known.
        let mut bare = ldr.clone();
        bare.cache = None;
        assert!(bare.sub("a").unwrap().known.is_none());
    }
}
