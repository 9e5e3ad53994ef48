//! An ordered list of resources with an index by current id (kustomize's ResMap).

use super::{Gvk, ResId, Resource};
use crate::error::{err, Result};
use std::collections::HashMap;

type Key = (Gvk, String, String);

/// Resources in build order, indexed by current id.
#[derive(Clone, Debug, Default)]
pub struct ResourceList {
    items: Vec<Resource>,
    /// Current-id index; `None` when a mutable borrow may have changed ids.
    index: Option<HashMap<Key, Vec<usize>>>,
}

impl ResourceList {
    pub fn new() -> Self {
        ResourceList { items: Vec::new(), index: Some(HashMap::new()) }
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
    /// Mutable access; drops the id index (it is rebuilt on the next lookup).
    pub fn iter_mut(&mut self) -> std::slice::IterMut<'_, Resource> {
        self.index = None;
        self.items.iter_mut()
    }
    pub fn get(&self, i: usize) -> Option<&Resource> {
        self.items.get(i)
    }
    pub fn get_mut(&mut self, i: usize) -> Option<&mut Resource> {
        self.index = None;
        self.items.get_mut(i)
    }
    pub fn as_slice(&self) -> &[Resource] {
        &self.items
    }
    /// Mutable slice access; drops the id index.
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
        self.index = Some(HashMap::new());
        std::mem::take(&mut self.items)
    }

    fn ensure_index(&mut self) -> &HashMap<Key, Vec<usize>> {
        if self.index.is_none() {
            let mut idx: HashMap<Key, Vec<usize>> = HashMap::with_capacity(self.items.len());
            for (i, r) in self.items.iter().enumerate() {
                idx.entry(r.cur_id().key()).or_default().push(i);
            }
            self.index = Some(idx);
        }
        self.index.get_or_insert_with(HashMap::new)
    }

    /// Indices of resources whose current id equals `id`.
    pub fn find_by_current_id(&mut self, id: &ResId) -> Vec<usize> {
        self.ensure_index().get(&id.key()).cloned().unwrap_or_default()
    }

    /// Indices of resources whose current or any previous id equals `id`.
    pub fn find_by_any_id(&self, id: &ResId) -> Vec<usize> {
        let key = id.key();
        self.items
            .iter()
            .enumerate()
            .filter(|(_, r)| r.cur_id().key() == key || r.prev_ids.iter().any(|p| p.key() == key))
            .map(|(i, _)| i)
            .collect()
    }

    /// Adds a resource; fails when one with the same current id is present.
    pub fn append(&mut self, r: Resource) -> Result<()> {
        let id = r.cur_id();
        let key = id.key();
        let idx = self.ensure_index();
        if idx.get(&key).is_some_and(|v| !v.is_empty()) {
            return Err(err!(IdConflict, "may not add resource with an already registered id: {}", id));
        }
        let n = self.items.len();
        if let Some(idx) = self.index.as_mut() {
            idx.entry(key).or_default().push(n);
        }
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
        self.items.retain(f);
        self.index = None;
    }
}

impl<'a> IntoIterator for &'a ResourceList {
    type Item = &'a Resource;
    type IntoIter = std::slice::Iter<'a, Resource>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.iter()
    }
}
