//! Parsed files shared by the builds of a batch ([`super::build_many`]): resource files and
//! kustomization files are parsed once and cloned for every build that reads them. An entry
//! is used only when the file's text is the same as when it was parsed, so a file changing
//! during a batch is simply parsed again.

use crate::error::Result;
use crate::kustomization::Kustomization;
use crate::fs::{EntryKind, FileSystem};
use crate::resource::Resource;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

type Entry<T> = Arc<(String, T)>;

/// What the builds of one batch share; a single build has one too, without the resource
/// files (each is normally read once in a build, and keeping its parse would double memory).
#[derive(Default)]
pub(crate) struct SharedCache {
    /// Whether resource files are kept (batches).
    pub(crate) keep_files: bool,
    pub(crate) patches: crate::transform::patch::PatchMemo,
    resources: Mutex<HashMap<String, Entry<Vec<Resource>>>>,
    kustomizations: Mutex<HashMap<String, Entry<(Arc<Kustomization>, Vec<String>)>>>,
    /// What each path looked up names (single builds only): a tree's directories are met
    /// again and again on the way to its files (`..` paths are walked a name at a time).
    kinds: Mutex<crate::fasthash::FastMap<String, Option<EntryKind>>>,
    /// The kustomization loaded at each root (single builds only): a component or base used
    /// by many kustomizations is found, read and parsed once.
    roots: Mutex<crate::fasthash::FastMap<String, Arc<Loaded>>>,
}

/// A kustomization as loaded at its root: the file's name, the parse and its warnings.
pub(crate) struct Loaded {
    pub(crate) file_name: String,
    pub(crate) k: Arc<Kustomization>,
    pub(crate) warnings: Vec<String>,
}

fn lookup<T: Clone>(map: &Mutex<HashMap<String, Entry<T>>>, path: &str, text: &str) -> Option<T> {
    let hit = map.lock().ok()?.get(path).cloned()?;
    (hit.0 == text).then(|| hit.1.clone())
}

fn store<T>(map: &Mutex<HashMap<String, Entry<T>>>, path: &str, text: &str, value: T) {
    if let Ok(mut m) = map.lock() {
        m.insert(path.to_string(), Arc::new((text.to_string(), value)));
    }
}

impl SharedCache {
    /// The cache of a batch: resource files kept too.
    pub(crate) fn for_batch() -> SharedCache {
        SharedCache { keep_files: true, ..Default::default() }
    }

    /// [`FileSystem::entry_kind`] of `path`, asked once per path in a single build. (A batch
    /// asks every time: its builds may run while files change.)
    pub(crate) fn entry_kind(&self, fs: &dyn FileSystem, path: &str) -> Option<EntryKind> {
        if self.keep_files {
            return fs.entry_kind(path);
        }
        if let Some(k) = self.kinds.lock().ok().and_then(|m| m.get(path).copied()) {
            return k;
        }
        let k = fs.entry_kind(path);
        if let Ok(mut m) = self.kinds.lock() {
            // Room for a small tree's paths at once (the map lives for one build).
            if m.capacity() == 0 {
                m.reserve(64);
            }
            m.insert(path.to_string(), k);
        }
        k
    }

    /// The kustomization loaded at `root` earlier in this single build, if any. (A batch
    /// reads the file again: its builds may run while files change.)
    pub(crate) fn loaded(&self, root: &str) -> Option<Arc<Loaded>> {
        if self.keep_files {
            return None;
        }
        self.roots.lock().ok()?.get(root).cloned()
    }

    /// Keeps what was loaded at `root` for [`SharedCache::loaded`] (single builds only).
    pub(crate) fn remember_loaded(&self, root: &str, loaded: Loaded) {
        if self.keep_files {
            return;
        }
        if let Ok(mut m) = self.roots.lock() {
            m.insert(root.to_string(), Arc::new(loaded));
        }
    }

    /// The resources of the file at `path` with contents `text`, parsed by `parse` if this
    /// batch has not parsed that text at that path yet. Errors are not kept.
    pub(crate) fn resources(&self, path: &str, text: &str, parse: impl FnOnce() -> Result<Vec<Resource>>) -> Result<Vec<Resource>> {
        if !self.keep_files {
            return parse();
        }
        if let Some(r) = lookup(&self.resources, path, text) {
            return Ok(r);
        }
        let r = parse()?;
        store(&self.resources, path, text, r.clone());
        Ok(r)
    }

    /// The kustomization file at `path` with contents `text`, and the warnings its parse gave.
    pub(crate) fn kustomization(
        &self,
        path: &str,
        text: &str,
        parse: impl FnOnce(&mut Vec<String>) -> Result<Kustomization>,
    ) -> Result<(Arc<Kustomization>, Vec<String>)> {
        if let Some(r) = lookup(&self.kustomizations, path, text) {
            return Ok(r);
        }
        let mut warnings = Vec::new();
        // Shared, not copied: a kustomization is only read once parsed.
        let k = Arc::new(parse(&mut warnings)?);
        store(&self.kustomizations, path, text, (k.clone(), warnings.clone()));
        Ok((k, warnings))
    }
}
