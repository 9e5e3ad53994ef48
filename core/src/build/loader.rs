//! The loader: reads files relative to a kustomization root under a load restriction, and
//! opens nested kustomization roots with cycle detection.

use crate::error::{err, Result};
use crate::fs::{self, FileSystem};

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
}

impl<'a> Loader<'a> {
    /// A loader for the build's root directory.
    pub fn new(fs: &'a dyn FileSystem, dir: &str, restrictor: LoadRestrictor) -> Result<Self> {
        let root = confirm_dir(fs, dir)?;
        Ok(Loader { fs, root, restrictor, ancestors: Vec::new() })
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
            return Ok(real);
        }
        Ok(path)
    }

    /// Reads the file at `rel`.
    pub fn load(&self, rel: &str) -> Result<Vec<u8>> {
        let path = self.resolve(rel)?;
        if self.fs.is_dir(&path) {
            return Err(err!(NotFound, "'{}' must resolve to a file", path).with_path(rel));
        }
        self.fs.read(&path).map_err(|e| e.with_path(rel))
    }

    /// Reads the file at `rel` as UTF-8 text.
    pub fn load_text(&self, rel: &str) -> Result<String> {
        let bytes = self.load(rel)?;
        String::from_utf8(bytes).map_err(|_| err!(Yaml, "file is not valid UTF-8").with_path(rel))
    }

    /// Whether `rel` names a remote resource (git or http), which this loader does not fetch.
    pub fn is_remote(rel: &str) -> bool {
        rel.contains("://") || rel.starts_with("git@") || rel.starts_with("github.com/") || rel.starts_with("gitlab.com/")
    }

    /// A loader for the kustomization directory `rel` (kustomize's `Loader.New`): the directory
    /// must exist, and must not contain the root of this or any enclosing kustomization.
    pub fn sub(&self, rel: &str) -> Result<Loader<'a>> {
        if Self::is_remote(rel) {
            return Err(err!(Unsupported, "remote resources are not supported yet: {}", rel).with_path(rel));
        }
        let dir = fs::join(&self.root, rel);
        let root = confirm_dir(self.fs, &dir).map_err(|e| e.with_path(rel))?;
        let mut ancestors = self.ancestors.clone();
        ancestors.push(self.root.clone());
        for visited in &ancestors {
            if fs::is_within(&root, visited) {
                return Err(err!(Cycle, "cycle detected: candidate root '{}' contains visited root '{}'", root, visited)
                    .with_path(rel));
            }
        }
        Ok(Loader { fs: self.fs, root, restrictor: self.restrictor, ancestors })
    }

    /// Finds and reads the kustomization file of this root: `(file name, contents)`.
    pub fn kustomization_file(&self) -> Result<(String, String)> {
        let mut found: Vec<&str> = Vec::new();
        for name in KUSTOMIZATION_FILE_NAMES {
            let p = fs::join(&self.root, name);
            if self.fs.exists(&p) && !self.fs.is_dir(&p) {
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
