//! An ordered list of resources with an index by current id (kustomize's ResMap).

use super::{Gvk, ResId, Resource};
use crate::error::{err, Result};
use std::collections::HashMap;

type Key = (Gvk, String, String);

/// The lookups a resource is found by.
#[derive(Clone, Debug)]
struct Keys {
    cur: Key,
    /// The current and the previous ids (each once).
    any: Vec<Key>,
    /// The current and the original name (each once).
    names: Vec<String>,
}

impl Keys {
    fn of(r: &Resource) -> Keys {
        let cur = r.cur_id().key();
        let mut any = vec![cur.clone()];
        for p in &r.prev_ids {
            let k = p.key();
            if !any.contains(&k) {
                any.push(k);
            }
        }
        let mut names = vec![cur.1.clone()];
        let orig = r.prev_ids.first().map(|p| p.name.clone());
        if let Some(o) = orig {
            if o != names[0] {
                names.push(o);
            }
        }
        Keys { cur, any, names }
    }
}

/// Indices of resources by current id, by any id and by name; each list ascending.
#[derive(Clone, Debug, Default)]
struct Index {
    cur: HashMap<Key, Vec<usize>>,
    any: HashMap<Key, Vec<usize>>,
    names: HashMap<String, Vec<usize>>,
    of: Vec<Keys>,
}

fn insert_sorted(v: &mut Vec<usize>, i: usize) {
    if let Err(at) = v.binary_search(&i) {
        v.insert(at, i);
    }
}

fn remove_from<K: std::hash::Hash + Eq>(map: &mut HashMap<K, Vec<usize>>, k: &K, i: usize) {
    if let Some(v) = map.get_mut(k) {
        if let Ok(at) = v.binary_search(&i) {
            v.remove(at);
        }
        if v.is_empty() {
            map.remove(k);
        }
    }
}

impl Index {
    fn add(&mut self, i: usize, keys: Keys) {
        insert_sorted(self.cur.entry(keys.cur.clone()).or_default(), i);
        for k in &keys.any {
            insert_sorted(self.any.entry(k.clone()).or_default(), i);
        }
        for n in &keys.names {
            insert_sorted(self.names.entry(n.clone()).or_default(), i);
        }
        if i == self.of.len() {
            self.of.push(keys);
        } else {
            self.of[i] = keys;
        }
    }
    fn forget(&mut self, i: usize) {
        let keys = self.of[i].clone();
        remove_from(&mut self.cur, &keys.cur, i);
        for k in &keys.any {
            remove_from(&mut self.any, k, i);
        }
        for n in &keys.names {
            remove_from(&mut self.names, n, i);
        }
    }
}

/// Resources in build order, indexed by current id, by any (current or previous) id and by
/// name, so that appending, patching by id and selecting by name stay linear in the list.
#[derive(Clone, Debug, Default)]
pub struct ResourceList {
    items: Vec<Resource>,
    /// `None` when a mutable borrow may have changed ids (rebuilt on the next lookup);
    /// [`ResourceList::modify`] keeps it.
    index: Option<Index>,
}

impl ResourceList {
    pub fn new() -> Self {
        ResourceList { items: Vec::new(), index: Some(Index::default()) }
    }
    pub fn len(&self) -> usize {
        self.items.len()
    }
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
    pub fn iter(&self) -> std::slice::Iter<'_, Resource> {
        self.items.iter()
    }
    /// Mutable access; drops the index (it is rebuilt on the next lookup).
    pub fn iter_mut(&mut self) -> std::slice::IterMut<'_, Resource> {
        self.index = None;
        self.items.iter_mut()
    }
    pub fn get(&self, i: usize) -> Option<&Resource> {
        self.items.get(i)
    }
    /// Mutable access; drops the index. [`ResourceList::modify`] keeps it.
    pub fn get_mut(&mut self, i: usize) -> Option<&mut Resource> {
        self.index = None;
        self.items.get_mut(i)
    }
    /// Runs `f` on the resource at `i` and updates the index for it alone; `None` when `i` is
    /// out of range.
    pub fn modify<R>(&mut self, i: usize, f: impl FnOnce(&mut Resource) -> R) -> Option<R> {
        let r = self.items.get_mut(i)?;
        let out = f(r);
        if let Some(idx) = self.index.as_mut() {
            idx.forget(i);
            idx.add(i, Keys::of(&self.items[i]));
        }
        Some(out)
    }
    pub fn as_slice(&self) -> &[Resource] {
        &self.items
    }
    /// Mutable slice access; drops the index.
    pub fn as_mut_slice(&mut self) -> &mut [Resource] {
        self.index = None;
        &mut self.items
    }
    pub fn into_vec(self) -> Vec<Resource> {
        self.items
    }
    /// Replaces the whole list (e.g. after sorting or filtering).
    pub fn set_items(&mut self, items: Vec<Resource>) {
        self.items = items;
        self.index = None;
    }
    pub fn take_items(&mut self) -> Vec<Resource> {
        self.index = Some(Index::default());
        std::mem::take(&mut self.items)
    }

    fn ensure_index(&mut self) -> &mut Index {
        if self.index.is_none() {
            let mut idx = Index::default();
            for (i, r) in self.items.iter().enumerate() {
                idx.add(i, Keys::of(r));
            }
            self.index = Some(idx);
        }
        self.index.get_or_insert_with(Index::default)
    }

    /// Indices of resources whose current id equals `id`.
    pub fn find_by_current_id(&mut self, id: &ResId) -> Vec<usize> {
        self.ensure_index().cur.get(&id.key()).cloned().unwrap_or_default()
    }

    /// Indices of resources whose current or any previous id equals `id`.
    pub fn find_by_any_id(&mut self, id: &ResId) -> Vec<usize> {
        self.ensure_index().any.get(&id.key()).cloned().unwrap_or_default()
    }

    /// Indices of resources whose current or original name is `name`, ascending.
    pub fn find_by_name(&mut self, name: &str) -> Vec<usize> {
        self.ensure_index().names.get(name).cloned().unwrap_or_default()
    }

    /// Adds a resource; fails when one with the same current id is present.
    pub fn append(&mut self, r: Resource) -> Result<()> {
        let keys = Keys::of(&r);
        let n = self.items.len();
        let idx = self.ensure_index();
        if idx.cur.get(&keys.cur).is_some_and(|v| !v.is_empty()) {
            return Err(err!(IdConflict, "may not add resource with an already registered id: {}", r.cur_id()));
        }
        idx.add(n, keys);
        self.items.push(r);
        Ok(())
    }

    /// Adds all resources of `other`, failing on the first id conflict.
    pub fn append_all(&mut self, other: ResourceList) -> Result<()> {
        for r in other.items {
            self.append(r)?;
        }
        Ok(())
    }

    /// Replaces the resource at `i`.
    pub fn replace(&mut self, i: usize, r: Resource) {
        self.items[i] = r;
        self.index = None;
    }

    pub fn remove(&mut self, i: usize) -> Resource {
        self.index = None;
        self.items.remove(i)
    }

    /// Keeps the resources for which `f` is true.
    pub fn retain(&mut self, f: impl FnMut(&Resource) -> bool) {
        let before = self.items.len();
        self.items.retain(f);
        if self.items.len() != before {
            self.index = None;
        }
    }
}

impl<'a> IntoIterator for &'a ResourceList {
    type Item = &'a Resource;
    type IntoIter = std::slice::Iter<'a, Resource>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.iter()
    }
}
