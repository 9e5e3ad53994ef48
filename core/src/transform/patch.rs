//! The patch transformers: `patches:` entries (strategic merge or JSON 6902, told apart as
//! kustomize does), and the legacy `patchesStrategicMerge` and `patchesJson6902`.

use super::select;
use crate::error::{err, Result};
use crate::fieldspec::Config;
use crate::kustomization::{Patch, Selector};
use crate::patch::json6902::Json6902Patch;
use crate::patch::strategic_merge::{merge_patch, SmOutcome};
use crate::resource::{resources_from_str, ResId, Resource, ResourceList};
use crate::yaml::Node;
use std::sync::Arc;

#[derive(Clone, Debug)]
enum Body {
    Sm(Vec<Resource>),
    Json(Json6902Patch),
}

/// Patch texts already parsed in this build (a component's patches, or the same inline
/// patch in many overlays, are parsed once). Only successful parses are kept.
#[derive(Default)]
pub struct PatchMemo {
    bodies: std::sync::Mutex<crate::fasthash::FastMap<String, Arc<Body>>>,
}

/// Whether the first document of `text` starts with a plain mapping key: its first line that
/// is not blank or a comment (after at most one `---`) begins with a letter. Then the YAML
/// parser's first document is the first document the resource loader keeps.
fn starts_with_key(text: &str) -> bool {
    let mut seen_start = false;
    for line in text.lines() {
        let t = line.trim_end();
        if t.is_empty() || t.starts_with('#') {
            continue;
        }
        if t == "---" && !seen_start {
            seen_start = true;
            continue;
        }
        return t.starts_with(|c: char| c.is_ascii_alphabetic());
    }
    false
}

/// A patch text as strategic-merge resources or JSON 6902 operations (exactly one of them).
fn parse_body(text: &str, source: &Source) -> Result<Body> {
    let docs = crate::yaml::load_documents(text);
    // A first document that is a non-empty mapping can't be JSON 6902 operations: when the
    // text also reads as resources, skip the second parse.
    let first_is_map = starts_with_key(text) && matches!(docs.as_ref().ok().and_then(|d| d.first()), Some(Node::Map(m)) if !m.is_empty());
    let sm = docs.and_then(crate::resource::resources_from_documents);
    let json = if sm.is_ok() && first_is_map { Err(err!(Transform, "not JSON 6902 operations")) } else { Json6902Patch::parse(text) };
    match (sm, json) {
        (Ok(_), Ok(_)) => Err(err!(Transform, "illegally qualifies as both an SM and JSON patch: {}", source.text())),
        (Err(_), Err(_)) => Err(err!(Transform, "unable to parse SM or JSON patch from {}", source.text())),
        (Ok(sm), Err(_)) => Ok(Body::Sm(sm)),
        (Err(_), Ok(j)) => Ok(Body::Json(j)),
    }
}

/// Where a `patches:` entry's text comes from, for messages ([`Source::text`]).
#[derive(Clone, Debug)]
enum Source {
    /// The inline patch text (trimmed).
    Inline(String),
    /// The path of the patch file.
    Path(String),
}

impl Source {
    /// kustomize's description of the patch: `[patch: "..."]` or `[path: "..."]`.
    fn text(&self) -> String {
        match self {
            Source::Inline(t) => format!("[patch: {}]", go_quote(t)),
            Source::Path(p) => format!("[path: {}]", go_quote(p)),
        }
    }
}

/// One `patches:` entry.
#[derive(Clone, Debug)]
pub struct PatchTransformer {
    /// Shared with the memo and the other entries with the same text.
    body: Arc<Body>,
    target: Option<Selector>,
    source: Source,
    allow_name_change: bool,
    allow_kind_change: bool,
}

/// The legacy `patchesStrategicMerge` (all entries, one transformer).
#[derive(Clone, Debug)]
pub struct PatchStrategicMergeTransformer {
    patches: Vec<Resource>,
}

/// One legacy `patchesJson6902` entry.
#[derive(Clone, Debug)]
pub struct PatchJson6902Transformer {
    target: Selector,
    patch: Json6902Patch,
}

fn go_quote(s: &str) -> String {
    crate::generate::kv::go_quote(s)
}

impl PatchTransformer {
    /// Configures a `patches:` entry; `load` reads a file relative to the kustomization.
    pub fn new(p: &Patch, load: &dyn Fn(&str) -> Result<String>) -> Result<Self> {
        Self::new_memo(p, load, None)
    }

    /// [`PatchTransformer::new`], reusing the parse of a text `memo` has seen.
    pub fn new_memo(p: &Patch, load: &dyn Fn(&str) -> Result<String>, memo: Option<&PatchMemo>) -> Result<Self> {
        let inline = p.patch.trim();
        let (loaded, source) = match (inline.is_empty(), p.path.is_empty()) {
            (true, true) => return Err(err!(Kustomization, "must specify one of patch and path")),
            (false, false) => return Err(err!(Kustomization, "patch and path can't be set at the same time")),
            (false, true) => (None, Source::Inline(inline.to_string())),
            (true, false) => {
                let t = load(&p.path).map_err(|e| {
                    crate::Error::new(e.kind(), format!("failed to get the patch file from path({}): {}", p.path, e.message()))
                        .with_path(p.path.clone())
                })?;
                (Some(t), Source::Path(p.path.clone()))
            }
        };
        let text = loaded.as_deref().unwrap_or(inline);
        let known = memo.and_then(|m| m.bodies.lock().ok()?.get(text).cloned());
        let body = match known {
            Some(b) => b,
            None => {
                let b = Arc::new(parse_body(text, &source)?);
                if let Some(m) = memo {
                    if let Ok(mut map) = m.bodies.lock() {
                        map.insert(loaded.unwrap_or_else(|| inline.to_string()), Arc::clone(&b));
                    }
                }
                b
            }
        };
        Ok(PatchTransformer {
            body,
            target: p.target.clone(),
            source,
            allow_name_change: p.allow_name_change(),
            allow_kind_change: p.allow_kind_change(),
        })
    }

    pub fn apply(&self, list: &mut ResourceList, _config: &Config) -> Result<()> {
        match &*self.body {
            Body::Sm(patches) => {
                if let Some(t) = &self.target {
                    if patches.len() > 1 {
                        return Err(err!(Transform, "Multiple Strategic-Merge Patches in one `patches` entry is not allowed to set `patches.target` field: {}", self.source.text()));
                    }
                    let Some(patch) = patches.first() else {
                        return Ok(());
                    };
                    let selected = select::select_indexed(list, t)?;
                    let ids: Vec<ResId> = selected.iter().filter_map(|&i| list.get(i)).map(|r| r.cur_id()).collect();
                    apply_to_ids(list, &ids, &patch.node, self.allow_name_change, self.allow_kind_change)
                } else {
                    for patch in patches {
                        let id = patch.cur_id();
                        let i = unique_by_any_id(list, &id)
                            .map_err(|e| err!(Transform, "no resource matches strategic merge patch \"{}\": {}", id, e.message()))?;
                        list.modify(i, |r| apply_to_resource(r, &patch.node, self.allow_name_change, self.allow_kind_change))
                            .ok_or_else(|| err!(Transform, "index out of range"))??;
                    }
                    Ok(())
                }
            }
            Body::Json(ops) => {
                let Some(t) = &self.target else {
                    return Err(err!(Transform, "must specify a target for JSON patch {}", self.source.text()));
                };
                for i in select::select_indexed(list, t)? {
                    list.modify(i, |r| {
                        r.store_previous_id();
                        ops.apply(&mut r.node)
                    })
                    .transpose()?;
                }
                Ok(())
            }
        }
    }
}

impl PatchStrategicMergeTransformer {
    /// Configures the legacy field: each entry is inline YAML or a file.
    pub fn new(entries: &[String], load: &dyn Fn(&str) -> Result<String>) -> Result<Self> {
        let mut patches = Vec::new();
        for e in entries {
            match resources_from_str(e) {
                Ok(p) if !e.trim().is_empty() => patches.extend(p),
                _ => {
                    let text = load(e)?;
                    patches.extend(resources_from_str(&text).map_err(|x| x.with_path(e.clone()))?);
                }
            }
        }
        if patches.is_empty() {
            return Err(err!(Transform, "patch appears to be empty; files={:?}", entries));
        }
        Ok(PatchStrategicMergeTransformer { patches })
    }

    pub fn apply(&self, list: &mut ResourceList, _config: &Config) -> Result<()> {
        for patch in &self.patches {
            let i = unique_by_any_id(list, &patch.cur_id())?;
            let id = list.get(i).map(|r| r.cur_id()).into_iter().collect::<Vec<_>>();
            apply_to_ids(list, &id, &patch.node, false, false)?;
        }
        Ok(())
    }
}

impl PatchJson6902Transformer {
    pub fn new(p: &Patch, load: &dyn Fn(&str) -> Result<String>) -> Result<Self> {
        let target = p.target.clone().unwrap_or_default();
        if target.name.is_empty() {
            return Err(err!(Kustomization, "must specify the target name"));
        }
        let text = match (p.path.is_empty(), p.patch.is_empty()) {
            (true, true) => return Err(err!(Kustomization, "empty file path and empty jsonOp")),
            (false, false) => return Err(err!(Kustomization, "must specify a file path or jsonOp, not both")),
            (false, true) => {
                let t = load(&p.path)?;
                if t.is_empty() {
                    return Err(err!(Kustomization, "patch file '{}' empty seems to be empty", p.path).with_path(p.path.clone()));
                }
                t
            }
            (true, false) => p.patch.clone(),
        };
        let patch = Json6902Patch::parse(&text).map_err(|e| if p.path.is_empty() { e } else { e.with_path(p.path.clone()) })?;
        if patch.is_empty() {
            return Err(err!(Transform, "patch appears to be empty; file={}, JsonOp={}", p.path, text));
        }
        Ok(PatchJson6902Transformer { target, patch })
    }

    pub fn apply(&self, list: &mut ResourceList, _config: &Config) -> Result<()> {
        for i in select::select_indexed(list, &self.target)? {
            list.modify(i, |r| self.patch.apply(&mut r.node)).transpose()?;
        }
        Ok(())
    }
}

/// kustomize's `GetById`: exactly one resource whose current or a previous id equals `id`.
fn unique_by_any_id(list: &mut ResourceList, id: &ResId) -> Result<usize> {
    let found = list.find_by_any_id(id);
    match found.as_slice() {
        [one] => Ok(*one),
        [] => Err(err!(Transform, "no matches for Id {}; failed to find unique target for patch {}", id, id)),
        _ => Err(err!(Transform, "multiple matches for Id {}; failed to find unique target for patch {}", id, id)),
    }
}

/// kustomize's `resWrangler.ApplySmPatch`: the patch, given each target's apiVersion, applied
/// to every resource whose current id is in `ids`.
fn apply_to_ids(list: &mut ResourceList, ids: &[ResId], patch: &Node, allow_name: bool, allow_kind: bool) -> Result<()> {
    // The resources whose current id (`ResId::equals`, i.e. the index key) is one of `ids`,
    // in list order; each patched once.
    let mut targets: Vec<usize> = ids.iter().flat_map(|id| list.find_by_current_id(id)).collect();
    targets.sort_unstable();
    targets.dedup();
    for i in targets {
        list.modify(i, |r| {
            let api_version = Node::string(r.api_version());
            match patch.as_map() {
                // The patch has that apiVersion already: no copy.
                Some(m) if m.get("apiVersion") == Some(&api_version) => apply_to_resource(r, patch, allow_name, allow_kind),
                _ => {
                    let mut p = patch.clone();
                    if let Some(m) = p.as_map_mut() {
                        m.insert("apiVersion", api_version);
                    }
                    apply_to_resource(r, &p, allow_name, allow_kind)
                }
            }
        })
        .transpose()?;
    }
    Ok(())
}

/// kustomize's `Resource.ApplySmPatch`: merge, then restore kind, name and namespace unless
/// the patch may change them. A deleted resource is left as an empty mapping (dropped after
/// the transformer).
fn apply_to_resource(r: &mut Resource, patch: &Node, allow_name: bool, allow_kind: bool) -> Result<()> {
    let kind = r.node.get("kind").cloned();
    let name = r.node.get_path(&["metadata", "name"]).cloned();
    let ns = r.node.get_path(&["metadata", "namespace"]).cloned();
    if allow_name || allow_kind {
        r.store_previous_id();
    }
    match merge_patch(&mut r.node, patch, None)? {
        SmOutcome::Deleted => {
            r.node = Node::map();
            return Ok(());
        }
        SmOutcome::Merged => {}
    }
    if r.map().is_empty() {
        return Ok(());
    }
    // (Values the merge left as they were are not set again.)
    if !allow_kind {
        match kind {
            Some(k) if r.node.get("kind") != Some(&k) => r.map_mut().insert("kind", k),
            Some(_) => {}
            None => {
                r.map_mut().remove("kind");
            }
        }
    }
    let md = r.map_mut().get_or_insert_map("metadata");
    if !allow_name {
        match name {
            Some(n) if md.get("name") != Some(&n) => md.insert("name", n),
            Some(_) => {}
            None => {
                md.remove("name");
            }
        }
    }
    match ns {
        Some(n) if !n.is_null() && n.as_str() != Some("") => {
            if md.get("namespace") != Some(&n) {
                md.insert("namespace", n)
            }
        }
        _ => {
            md.remove("namespace");
        }
    }
    Ok(())
}
