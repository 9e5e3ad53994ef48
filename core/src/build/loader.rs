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
    /// Roots of the kustomizations that led here, outermost first.
    ancestors: Vec<String>,
    /// The git clone this root is in (kustomize's containingRepo); the directory is removed
    /// when the last loader holding it is dropped.
    clone: Option<Arc<CloneDir>>,
    /// The URLs of the remote roots that led here (kustomize's errIfRepoCycle).
    repo_urls: Vec<String>,
    /// Parsed files shared with the other builds of a batch.
    pub(crate) cache: Option<Arc<super::cache::SharedCache>>,
    /// Threads for collecting `resources:` entries in parallel.
    pub(crate) par: Option<Arc<super::par::Par>>,
}

impl<'a> Loader<'a> {
    /// A loader for the build's root directory.
    pub fn new(fs: &'a dyn FileSystem, dir: &str, restrictor: LoadRestrictor) -> Result<Self> {
        let root = confirm_dir(fs, dir)?;
        Ok(Loader { fs, root, restrictor, ancestors: Vec::new(), clone: None, repo_urls: Vec::new(), cache: None, par: None })
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
            Some(fs::EntryKind::Dir) => {
                Some(Err(err!(NotFound, "'{}' must resolve to a file", fs::join(&self.root, rel)).with_path(rel)))
            }
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
        if rel.starts_with('/') || rel.contains('\\') {
            return None;
        }
        let mut path = self.root.clone();
        let mut climbing = true;
        let mut kind = Some(fs::EntryKind::Dir);
        for seg in rel.split('/') {
            match seg {
                "" | "." => {}
                ".." if climbing => path = fs::parent(&path),
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
        if rel.contains('\\') {
            return None;
        }
        let (dir_rel, name) = rel.rsplit_once('/').unwrap_or(("", rel));
        if matches!(name, "" | "." | "..") {
            return None;
        }
        let (mut path, kind) = self.walk_plain(dir_rel)?;
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
        let mut ancestors = self.ancestors.clone();
        ancestors.push(self.root.clone());
        check_nesting(&ancestors, &spec.raw)?;
        let mut repo_urls = self.repo_urls.clone();
        repo_urls.push(spec.raw.clone());
        Ok(Loader {
            fs: &DISK,
            root,
            restrictor: LoadRestrictor::RootOnly,
            ancestors,
            clone: Some(Arc::new(dir)),
            repo_urls,
            // A clone is a fresh temporary directory: nothing to share.
            cache: None,
            par: self.par.clone(),
        })
    }

    /// A loader for the kustomization directory `rel` (kustomize's `Loader.New`): the directory
    /// must exist, and must not contain the root of this or any enclosing kustomization.
    pub fn sub(&self, rel: &str) -> Result<Loader<'a>> {
        if rel.is_empty() {
            return Err(err!(Kustomization, "new root cannot be empty"));
        }
        if let Ok(spec) = RepoSpec::parse(rel) {
            return self.sub_remote(spec);
        }
        if remote::is_http_url(rel) {
            return Err(err!(NotFound, "'{}' is neither a git repository URL nor a kustomization directory", rel).with_path(rel));
        }
        if rel.starts_with('/') {
            return Err(err!(Kustomization, "new root '{}' cannot be absolute", rel).with_path(rel));
        }
        let root = match self.plain_dir(rel) {
            Some(root) => root,
            None => confirm_dir(self.fs, &fs::join(&self.root, rel)).map_err(|e| e.with_path(rel))?,
        };
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
        let mut ancestors = self.ancestors.clone();
        ancestors.push(self.root.clone());
        for visited in &ancestors {
            if fs::is_within(&root, visited) {
                return Err(err!(Cycle, "cycle detected: candidate root '{}' contains visited root '{}'", root, visited)
                    .with_path(rel));
            }
        }
        check_nesting(&ancestors, rel)?;
        Ok(Loader {
            fs: self.fs,
            root,
            restrictor: self.restrictor,
            ancestors,
            clone: self.clone.clone(),
            repo_urls: self.repo_urls.clone(),
            cache: self.cache.clone(),
            par: self.par.clone(),
        })
    }

    /// [`FileSystem::entry_kind`], remembered for the build (see `SharedCache::entry_kind`).
    fn entry_kind(&self, path: &str) -> Option<fs::EntryKind> {
        match &self.cache {
            Some(c) => c.entry_kind(self.fs, path),
            None => self.fs.entry_kind(path),
        }
    }

    /// Finds and reads the kustomization file of this root: `(file name, contents)`.
    pub fn kustomization_file(&self) -> Result<(String, String)> {
        let mut found: Vec<&str> = Vec::new();
        for name in KUSTOMIZATION_FILE_NAMES {
            let p = fs::join(&self.root, name);
            let is_file = match self.entry_kind(&p) {
                Some(fs::EntryKind::File) => true,
                Some(fs::EntryKind::Dir) | None => false,
                Some(fs::EntryKind::Symlink) => self.fs.exists(&p) && !self.fs.is_dir(&p),
            };
            if is_file {
                found.push(name);
            }
        }
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
            _ => Err(err!(Kustomization, "Found multiple kustomization files under: {}", self.root).with_path(self.root.clone())),
        }
    }
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

fn check_nesting(ancestors: &[String], rel: &str) -> Result<()> {
    if ancestors.len() >= MAX_NESTING {
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
}
