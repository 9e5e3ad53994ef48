//! An ordered list of resources with an index by current id (kustomize's ResMap).

use super::{ResId, Resource};
use crate::error::{err, Result};
use crate::yaml::Node;
use std::collections::HashMap;
use std::hash::BuildHasher;

/// Lists up to this long are scanned instead of indexed (see [`ResourceList::scans`]).
const SCAN_MAX: usize = 32;

/// Lists without an index are checked for id conflicts by a scan while they grow up to this
/// long (see [`ResourceList::append`]): names compared by fingerprint cost less than building
/// an index that the next mutable access drops.
const APPEND_SCAN_MAX: usize = 64;

/// A resource id to compare resources with, as borrowed parts (nothing allocated).
struct Query<'a> {
    group: &'a str,
    version: &'a str,
    kind: &'a str,
    name: &'a str,
    /// The namespace as equality sees it ([`ResId::effective_namespace`]).
    ns: &'a str,
    cluster: bool,
}

impl<'a> Query<'a> {
    fn of(id: &'a ResId) -> Self {
        let ns = id.effective_namespace();
        Query {
            group: &id.gvk.group,
            version: &id.gvk.version,
            kind: &id.gvk.kind,
            name: &id.name,
            ns,
            cluster: ns == NON_NAMESPACED && id.gvk.is_cluster_scoped(),
        }
    }
    /// The current id of a resource, as [`Resource::cur_id`] makes it.
    fn current(r: &'a Resource) -> Self {
        let p = r.id_parts();
        let cluster = crate::schema::is_cluster_scoped_gvk(p.group, p.version, p.kind);
        let ns = if cluster {
            NON_NAMESPACED
        } else {
            match p.namespace {
                "" => super::DEFAULT_NAMESPACE,
                ns => ns,
            }
        };
        Query { group: p.group, version: p.version, kind: p.kind, name: p.name, ns, cluster }
    }
    /// [`ResId::equals`] with the resource's current id. With equal gvks both sides agree on
    /// whether the kind is cluster-scoped, so only a namespaced kind compares namespaces.
    fn matches_current(&self, r: &Resource) -> bool {
        if r.name() != self.name || r.kind() != self.kind {
            return false;
        }
        let (g, v) = super::parse_group_version(r.api_version());
        if g != self.group || v != self.version {
            return false;
        }
        if self.cluster {
            return true;
        }
        let ns = r.namespace();
        (if ns.is_empty() { super::DEFAULT_NAMESPACE } else { ns }) == self.ns
    }
    /// The parts equality compares, for hashing (equal ids hash equal).
    fn parts(&self) -> (&'a str, &'a str, &'a str, &'a str, &'a str) {
        (self.group, self.version, self.kind, self.name, self.ns)
    }
    fn matches_id(&self, p: &ResId) -> bool {
        p.name == self.name
            && p.gvk.kind == self.kind
            && p.gvk.group == self.group
            && p.gvk.version == self.version
            && p.effective_namespace() == self.ns
    }
}

/// Index keys: hashes of a list's own random keys (no string is copied into an index). Every
/// lookup checks the resources it gets back, so a collision costs time, never a wrong answer.
type Hash = u64;

/// Hash maps keyed by an already well-mixed [`Hash`].
type ByHash = HashMap<Hash, Vec<usize>, std::hash::BuildHasherDefault<PassThrough>>;

#[derive(Default)]
struct PassThrough(u64);

impl std::hash::Hasher for PassThrough {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

/// How a list hashes ids, names and labels (seeded per list, as std's maps are).
#[derive(Clone, Debug, Default)]
struct Hasher(crate::fasthash::FastState);

crate::switch::test_switch!(
    /// Whether every hash is equal (never, outside tests: lookups must still answer right).
    COLLIDE, collide: bool = false
);

impl Hasher {
    fn hash(&self, x: impl std::hash::Hash) -> Hash {
        if collide() {
            return 7;
        }
        self.0.hash_one(x)
    }
    fn res_id(&self, id: &ResId) -> Hash {
        self.hash(Query::of(id).parts())
    }
    fn current(&self, r: &Resource) -> Hash {
        self.hash(Query::current(r).parts())
    }
    fn name(&self, name: &str) -> Hash {
        self.hash(name)
    }
    fn label(&self, key: &str, value: &str) -> Hash {
        self.hash((key, value))
    }
}

const NON_NAMESPACED: &str = "_non_namespaceable_";

/// The other lookups a resource is found by.
#[derive(Clone, Debug, Default)]
struct ExtraKeys {
    /// The current and the previous ids (each once).
    any: Vec<Hash>,
    /// The current and every previous name (each once).
    names: Vec<Hash>,
    /// The labels (key and value as [`Resource::labels`] gives them).
    labels: Vec<Hash>,
}

impl ExtraKeys {
    fn of(h: &Hasher, r: &Resource, cur: Hash) -> ExtraKeys {
        let mut any = vec![cur];
        for p in &r.prev_ids {
            let k = h.res_id(p);
            if !any.contains(&k) {
                any.push(k);
            }
        }
        let mut names = vec![h.name(r.name())];
        for p in &r.prev_ids {
            let k = h.name(&p.name);
            if !names.contains(&k) {
                names.push(k);
            }
        }
        let mut labels = Vec::new();
        if let Some(Node::Map(m)) = r.node.get_path(&["metadata", "labels"]) {
            for (k, v) in m.iter() {
                let k = h.label(k, v.as_str().unwrap_or(""));
                if !labels.contains(&k) {
                    labels.push(k);
                }
            }
        }
        ExtraKeys { any, names, labels }
    }
}

/// The first of `new` whose current id equals that of a resource in `existing` or of an
/// earlier one in `new` (what appending `new` one by one would refuse). Names are compared
/// first, each read once; whole ids only for equal names.
fn first_conflict(existing: &[Resource], new: &[Resource]) -> Option<usize> {
    let n0 = existing.len();
    let names: Vec<u64> = existing.iter().chain(new).map(|r| name_fingerprint(r.name())).collect();
    let at = |j: usize| if j < n0 { &existing[j] } else { &new[j - n0] };
    (0..new.len()).find(|&k| {
        // Made for every resource, as in `append`: it looks up the kind's scope.
        let q = Query::current(&new[k]);
        let f = name_fingerprint(q.name);
        names[..n0 + k].iter().enumerate().any(|(j, &o)| o == f && q.matches_current(at(j)))
    })
}

/// A number equal names share (the length and the last 7 bytes): unequal fingerprints mean
/// unequal names, so most names are told apart without comparing them.
fn name_fingerprint(name: &str) -> u64 {
    let b = name.as_bytes();
    let mut f = b.len() as u64;
    for &c in &b[b.len().saturating_sub(7)..] {
        f = (f << 8) | u64::from(c);
    }
    f
}

fn insert_sorted(v: &mut Vec<usize>, i: usize) {
    if let Err(at) = v.binary_search(&i) {
        v.insert(at, i);
    }
}

fn remove_from(map: &mut ByHash, k: Hash, i: usize) {
    if let Some(v) = map.get_mut(&k) {
        if let Ok(at) = v.binary_search(&i) {
            v.remove(at);
        }
        if v.is_empty() {
            map.remove(&k);
        }
    }
}

/// Indices by any id, by name and by label, built on the first lookup that needs them.
#[derive(Clone, Debug, Default)]
struct Extra {
    any: ByHash,
    names: ByHash,
    labels: ByHash,
    of: Vec<ExtraKeys>,
}

impl Extra {
    fn add(&mut self, i: usize, keys: ExtraKeys) {
        for &k in &keys.any {
            insert_sorted(self.any.entry(k).or_default(), i);
        }
        for &k in &keys.names {
            insert_sorted(self.names.entry(k).or_default(), i);
        }
        for &k in &keys.labels {
            insert_sorted(self.labels.entry(k).or_default(), i);
        }
        if i == self.of.len() {
            self.of.push(keys);
        } else {
            self.of[i] = keys;
        }
    }
    fn forget(&mut self, i: usize) {
        let keys = std::mem::take(&mut self.of[i]);
        for &k in &keys.any {
            remove_from(&mut self.any, k, i);
        }
        for &k in &keys.names {
            remove_from(&mut self.names, k, i);
        }
        for &k in &keys.labels {
            remove_from(&mut self.labels, k, i);
        }
    }
}

/// Indices of resources by current id (each list ascending), and the extra lookups.
#[derive(Clone, Debug, Default)]
struct Index {
    hasher: Hasher,
    cur: ByHash,
    cur_of: Vec<Hash>,
    extra: Option<Extra>,
}

impl Index {
    fn add(&mut self, i: usize, r: &Resource) {
        let key = self.hasher.current(r);
        self.add_keyed(i, r, key);
    }
    /// [`Index::add`] with the resource's current-id hash already made.
    fn add_keyed(&mut self, i: usize, r: &Resource, key: Hash) {
        if let Some(x) = self.extra.as_mut() {
            x.add(i, ExtraKeys::of(&self.hasher, r, key));
        }
        insert_sorted(self.cur.entry(key).or_default(), i);
        if i == self.cur_of.len() {
            self.cur_of.push(key);
        } else {
            self.cur_of[i] = key;
        }
    }
    fn forget(&mut self, i: usize) {
        let key = self.cur_of[i];
        remove_from(&mut self.cur, key, i);
        if let Some(x) = self.extra.as_mut() {
            x.forget(i);
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
    /// Whether a resource may have become empty since the last [`ResourceList::drop_empty`]
    /// (set by every mutable access but [`ResourceList::modify`] of a resource left non-empty
    /// and [`ResourceList::iter_mut_keeping_keys`]).
    maybe_empty: bool,
}

impl ResourceList {
    pub fn new() -> Self {
        ResourceList { items: Vec::new(), index: Some(Index::default()), maybe_empty: false }
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
        self.maybe_empty = true;
        self.items.iter_mut()
    }
    /// Mutable access for changes that keep every id, name and label (build state such as
    /// origins): the index stays valid and is kept.
    pub fn iter_mut_keeping_keys(&mut self) -> std::slice::IterMut<'_, Resource> {
        self.items.iter_mut()
    }
    pub fn get(&self, i: usize) -> Option<&Resource> {
        self.items.get(i)
    }
    /// Mutable access; drops the index. [`ResourceList::modify`] keeps it.
    pub fn get_mut(&mut self, i: usize) -> Option<&mut Resource> {
        self.index = None;
        self.maybe_empty = true;
        self.items.get_mut(i)
    }
    /// Runs `f` on the resource at `i` and updates the index for it alone; `None` when `i` is
    /// out of range.
    pub fn modify<R>(&mut self, i: usize, f: impl FnOnce(&mut Resource) -> R) -> Option<R> {
        let r = self.items.get_mut(i)?;
        let out = f(r);
        if r.map().is_empty() {
            self.maybe_empty = true;
        }
        if let Some(idx) = self.index.as_mut() {
            idx.forget(i);
            idx.add(i, &self.items[i]);
        }
        Some(out)
    }
    pub fn as_slice(&self) -> &[Resource] {
        &self.items
    }
    /// Mutable slice access; drops the index.
    pub fn as_mut_slice(&mut self) -> &mut [Resource] {
        self.index = None;
        self.maybe_empty = true;
        &mut self.items
    }
    pub fn into_vec(self) -> Vec<Resource> {
        self.items
    }
    /// Replaces the whole list (e.g. after sorting or filtering).
    pub fn set_items(&mut self, items: Vec<Resource>) {
        self.items = items;
        self.index = None;
        self.maybe_empty = true;
    }
    /// Room for `n` more resources.
    pub fn reserve(&mut self, n: usize) {
        self.items.reserve(n);
    }
    pub fn take_items(&mut self) -> Vec<Resource> {
        self.index = Some(Index::default());
        std::mem::take(&mut self.items)
    }

    fn ensure_index(&mut self) -> &mut Index {
        if self.index.is_none() {
            let mut idx = Index::default();
            for (i, r) in self.items.iter().enumerate() {
                idx.add(i, r);
            }
            self.index = Some(idx);
        }
        self.index.get_or_insert_with(Index::default)
    }

    fn ensure_extra(&mut self) -> &mut Extra {
        self.ensure_index();
        let items = &self.items;
        let idx = self.index.get_or_insert_with(Index::default);
        idx.extra.get_or_insert_with(|| {
            let mut x = Extra::default();
            for (i, r) in items.iter().enumerate() {
                x.add(i, ExtraKeys::of(&idx.hasher, r, idx.cur_of[i]));
            }
            x
        })
    }

    /// Whether lookups scan the list instead of building hash indices: for short lists (every
    /// base and overlay of a typical tree) a scan without allocation costs less than keeping the
    /// indices current through each change.
    fn scans(&self) -> bool {
        self.items.len() <= SCAN_MAX
    }

    /// Indices of resources whose current id equals `id`.
    pub fn find_by_current_id(&mut self, id: &ResId) -> Vec<usize> {
        let q = Query::of(id);
        if self.scans() {
            return self.positions(|r| q.matches_current(r));
        }
        let idx = self.ensure_index();
        let found = idx.cur.get(&idx.hasher.res_id(id)).cloned().unwrap_or_default();
        self.checked(found, |r| q.matches_current(r))
    }

    /// Indices of resources whose current or any previous id equals `id`.
    pub fn find_by_any_id(&mut self, id: &ResId) -> Vec<usize> {
        let q = Query::of(id);
        let is = |r: &Resource| q.matches_current(r) || r.prev_ids.iter().any(|p| q.matches_id(p));
        if self.scans() {
            return self.positions(is);
        }
        let key = self.ensure_index().hasher.res_id(id);
        let found = self.ensure_extra().any.get(&key).cloned().unwrap_or_default();
        self.checked(found, is)
    }

    /// Indices of resources whose current or any previous name is `name`, ascending.
    pub fn find_by_name(&mut self, name: &str) -> Vec<usize> {
        let is = |r: &Resource| r.name() == name || r.prev_ids.iter().any(|p| p.name == name);
        if self.scans() {
            return self.positions(is);
        }
        let key = self.ensure_index().hasher.name(name);
        let found = self.ensure_extra().names.get(&key).cloned().unwrap_or_default();
        self.checked(found, is)
    }

    /// Indices of resources with the label `key` set to one of `values`, ascending.
    pub fn find_by_label(&mut self, key: &str, values: &[String]) -> Vec<usize> {
        let is = |r: &Resource| match r.node.get_path(&["metadata", "labels"]) {
            Some(Node::Map(m)) => m.iter().any(|(k, v)| k == key && values.iter().any(|want| v.as_str().unwrap_or("") == want)),
            _ => false,
        };
        if self.scans() {
            return self.positions(is);
        }
        let hashes: Vec<Hash> = {
            let h = &self.ensure_index().hasher;
            values.iter().map(|v| h.label(key, v)).collect()
        };
        let x = self.ensure_extra();
        let mut out: Vec<usize> = Vec::new();
        for k in hashes {
            if let Some(found) = x.labels.get(&k) {
                out.extend_from_slice(found);
            }
        }
        if values.len() > 1 {
            out.sort_unstable();
            out.dedup();
        }
        self.checked(out, is)
    }

    fn positions(&self, f: impl Fn(&Resource) -> bool) -> Vec<usize> {
        self.items.iter().enumerate().filter(|(_, r)| f(r)).map(|(i, _)| i).collect()
    }

    /// The indexed candidates that really match (drops hash collisions).
    fn checked(&self, mut found: Vec<usize>, f: impl Fn(&Resource) -> bool) -> Vec<usize> {
        found.retain(|&i| f(&self.items[i]));
        found
    }

    /// Whether an append to this list checks for a conflict by a scan (the index is not kept):
    /// while the list is short, or not much longer and without an index to keep current.
    fn appends_by_scan(&self) -> bool {
        let n = self.items.len();
        n < SCAN_MAX || (n < APPEND_SCAN_MAX && self.index.is_none())
    }

    /// Adds a resource; fails when one with the same current id is present.
    pub fn append(&mut self, r: Resource) -> Result<()> {
        let n = self.items.len();
        if self.appends_by_scan() {
            // The scope of the new resource's kind is looked up even when no name is equal:
            // a lookup of a kind the builtin tables do not know is part of the build's schema
            // state, as in kustomize, whose id comparisons look it up (`crate::schema::scope`).
            let q = Query::current(&r);
            if self.items.iter().any(|o| o.name() == q.name && q.matches_current(o)) {
                return Err(err!(IdConflict, "may not add resource with an already registered id: {}", r.cur_id()));
            }
            // No index while the list is short (see `scans` and `appends_by_scan`).
            self.index = None;
        } else {
            self.ensure_index();
            let (items, idx) = (&self.items, self.index.get_or_insert_with(Index::default));
            let q = Query::current(&r);
            let key = idx.hasher.hash(q.parts());
            if let Some(found) = idx.cur.get(&key) {
                if found.iter().any(|&i| q.matches_current(&items[i])) {
                    return Err(err!(IdConflict, "may not add resource with an already registered id: {}", r.cur_id()));
                }
            }
            idx.add_keyed(n, &r, key);
        }
        if r.map().is_empty() {
            self.maybe_empty = true;
        }
        self.items.push(r);
        Ok(())
    }

    /// Adds all resources of `other`, failing on the first id conflict.
    pub fn append_all(&mut self, other: ResourceList) -> Result<()> {
        let mut items = other.items;
        // The resources that keep the list short (scanned, see `append`) are checked together,
        // each name read once; then appended up to the first conflict, as one by one.
        let n = self.items.len();
        let short = if self.appends_by_scan() { (APPEND_SCAN_MAX - n).min(items.len()) } else { 0 };
        if short > 0 {
            let conflict = first_conflict(&self.items, &items[..short]);
            let rest = items.split_off(conflict.unwrap_or(short));
            if items.iter().any(|r| r.map().is_empty()) {
                self.maybe_empty = true;
            }
            if n == 0 && self.items.capacity() < items.len() {
                // Into an empty list without room (a kustomization's single base): the vector
                // moves whole.
                self.items = items;
            } else {
                self.items.extend(items);
            }
            self.index = None;
            if conflict.is_some() {
                return Err(err!(IdConflict, "may not add resource with an already registered id: {}", rest[0].cur_id()));
            }
            items = rest;
        }
        for r in items {
            self.append(r)?;
        }
        Ok(())
    }

    /// Replaces the resource at `i`, updating the index for it alone.
    pub fn replace(&mut self, i: usize, r: Resource) {
        if r.map().is_empty() {
            self.maybe_empty = true;
        }
        self.items[i] = r;
        if let Some(idx) = self.index.as_mut() {
            idx.forget(i);
            idx.add(i, &self.items[i]);
        }
    }

    pub fn remove(&mut self, i: usize) -> Resource {
        self.index = None;
        self.items.remove(i)
    }

    /// Removes the resources left empty (kustomize drops them after each transformer); a scan
    /// only when one may have become empty since the last call.
    pub fn drop_empty(&mut self) {
        if self.maybe_empty {
            self.retain(|r| !r.map().is_empty());
            self.maybe_empty = false;
        }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resource::Gvk;
    use crate::yaml::load_documents;

    fn res(api: &str, kind: &str, name: &str, ns: &str, app: &str) -> Resource {
        let ns = if ns.is_empty() { String::new() } else { format!("\n  namespace: {}", ns) };
        let text = format!("apiVersion: {}\nkind: {}\nmetadata:\n  name: {}{}\n  labels:\n    app: {}\n", api, kind, name, ns, app);
        Resource::new(load_documents(&text).unwrap().remove(0))
    }

    /// A list of `n` resources mixing namespaced and cluster-scoped kinds, explicit and
    /// default namespaces, and renamed resources (previous ids).
    fn list(n: usize) -> ResourceList {
        let mut l = ResourceList::new();
        for i in 0..n {
            let mut r = match i % 4 {
                0 => res("v1", "ConfigMap", &format!("cm{}", i / 2), "", &format!("a{}", i % 3)),
                1 => res("v1", "ConfigMap", &format!("cm{}", i / 2), "prod", &format!("a{}", i % 3)),
                2 => res("rbac.authorization.k8s.io/v1", "ClusterRole", &format!("cr{}", i), "ignored", "a1"),
                _ => res("apps/v1", "Deployment", &format!("d{}", i), "default", "a2"),
            };
            if i % 5 == 0 {
                r.store_previous_id();
                let name = format!("p-{}", r.name());
                r.set_name(&name);
            }
            l.append(r).unwrap();
        }
        l
    }

    /// Brute-force answers from kustomize's definitions, for every query the list supports.
    fn check(l: &mut ResourceList) {
        let items = l.as_slice().to_vec();
        let mut ids: Vec<ResId> = items.iter().map(|r| r.cur_id()).collect();
        ids.extend(items.iter().flat_map(|r| r.prev_ids.clone()));
        ids.push(ResId::new(Gvk::new("", "v1", "ConfigMap"), "cm0", "default"));
        ids.push(ResId::new(Gvk::new("rbac.authorization.k8s.io", "v1", "ClusterRole"), "cr2", "elsewhere"));
        ids.push(ResId::new(Gvk::new("", "apps/v1", "Deployment"), "d3", ""));
        for id in &ids {
            let cur: Vec<usize> = (0..items.len()).filter(|&i| items[i].cur_id().equals(id)).collect();
            let any: Vec<usize> = (0..items.len())
                .filter(|&i| items[i].cur_id().equals(id) || items[i].prev_ids.iter().any(|p| p.equals(id)))
                .collect();
            let names: Vec<usize> = (0..items.len())
                .filter(|&i| items[i].name() == id.name || items[i].prev_ids.iter().any(|p| p.name == id.name))
                .collect();
            assert_eq!(l.find_by_current_id(id), cur, "current id {}", id);
            assert_eq!(l.find_by_any_id(id), any, "any id {}", id);
            assert_eq!(l.find_by_name(&id.name), names, "name {}", id.name);
        }
        for values in [vec!["a1".to_string()], vec!["a0".to_string(), "a2".to_string()], vec!["zz".to_string()]] {
            let want: Vec<usize> = (0..items.len())
                .filter(|&i| items[i].labels().iter().any(|(k, v)| k == "app" && values.contains(v)))
                .collect();
            assert_eq!(l.find_by_label("app", &values), want, "labels {:?}", values);
        }
    }

    #[test]
    fn scanned_and_indexed_lookups_agree_with_the_definitions() {
        for n in [0, 1, 7, SCAN_MAX, SCAN_MAX + 1, 90] {
            let mut l = list(n);
            check(&mut l);
            // Renames through `modify` keep both kinds of lookup current.
            for i in (0..n).step_by(3) {
                l.modify(i, |r| {
                    r.store_previous_id();
                    let name = format!("{}-x", r.name());
                    r.set_name(&name);
                    r.set_namespace("other");
                });
            }
            check(&mut l);
        }
    }

    #[test]
    fn hash_collisions_never_give_wrong_answers() {
        crate::switch::with(&COLLIDE, true, || {
            for n in [SCAN_MAX + 1, 50] {
                let mut l = list(n);
                check(&mut l);
                let dup = l.get(40 % n).unwrap().clone();
                assert!(l.append(dup).is_err());
                assert!(l.append(res("v1", "ConfigMap", "fresh", "", "a0")).is_ok());
            }
        });
    }

    /// Appending a whole list (checked together while the list is short, then one by one)
    /// gives the list and the error of appending its resources one at a time: resources
    /// sharing names across kinds, namespaces (explicit, `default` and none), cluster-scoped
    /// kinds whose namespace does not count, repeated ids within the appended list, and
    /// lists crossing the length where lookups switch to the index.
    #[test]
    fn append_all_is_appending_one_by_one() {
        let mut g = crate::testing::Gen(0x51_7CC1_B727_220A);
        let kinds = [("v1", "ConfigMap"), ("apps/v1", "Deployment"), ("v1", "Service"), ("rbac.authorization.k8s.io/v1", "ClusterRole"), ("x.io/v1", "Widget")];
        let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l"];
        let (mut errors, mut long, mut longer) = (0, 0, 0);
        for case in 0..400 {
            // Every fourth case draws from more names, for lists long enough to need the index.
            let wide = case % 4 == 0;
            let gen_res = |g: &mut crate::testing::Gen| {
                let (api, kind) = kinds[g.next(kinds.len())];
                let ns = g.pick(&["", "default", "x"]);
                let name = g.pick(&names).to_string();
                let name = if wide { format!("{}{}", name, g.next(4)) } else { name };
                res(api, kind, &name, ns, "a0")
            };
            let mut base = ResourceList::new();
            for _ in 0..g.next(if wide { 120 } else { 30 }) {
                let _ = base.append(gen_res(&mut g));
            }
            if case % 5 == 0 {
                // A lookup builds the index, which appends then keep current.
                base.find_by_name("a");
            }
            let mut other = ResourceList::new();
            other.set_items((0..g.next(if case % 3 == 0 { 30 } else { 8 })).map(|_| gen_res(&mut g)).collect());
            let mut all = base.clone();
            let got = all.append_all(other.clone()).map_err(|e| e.to_string());
            let mut one = base.clone();
            let want = other.as_slice().iter().try_for_each(|r| one.append(r.clone())).map_err(|e| e.to_string());
            assert_eq!(got, want, "case {}", case);
            assert_eq!(all.as_slice(), one.as_slice(), "case {}", case);
            errors += usize::from(got.is_err());
            long += usize::from(all.len() > SCAN_MAX);
            longer += usize::from(all.len() > APPEND_SCAN_MAX);
            // Lookups answer alike afterwards.
            check(&mut all);
        }
        assert!(errors > 50 && errors < 350 && long > 10 && longer > 5, "errors {} long {} longer {}", errors, long, longer);
    }

    #[test]
    fn id_conflicts_are_found_in_short_and_long_lists() {
        for n in [3, SCAN_MAX - 1, SCAN_MAX, APPEND_SCAN_MAX - 1, APPEND_SCAN_MAX, 70] {
            let mut l = list(n);
            // Same id as item 1 (namespace prod); an empty namespace equals `default` (item 0's).
            let dup = l.get(1).unwrap().clone();
            assert!(l.append(dup).is_err(), "n={}", n);
            let mut same = l.get(0).unwrap().clone();
            same.set_namespace("default");
            assert!(l.append(same).is_err(), "n={}", n);
            // A cluster-scoped kind ignores the namespace.
            let mut cr = l.get(2).unwrap().clone();
            cr.set_namespace("another");
            assert!(l.append(cr).is_err(), "n={}", n);
            assert!(l.append(res("v1", "ConfigMap", "fresh", "", "a0")).is_ok());
            assert_eq!(l.len(), n + 1);
        }
    }
}
