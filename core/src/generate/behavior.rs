//! Generation behaviours: how a generated resource joins the resources built so far
//! (kustomize's `resWrangler.appendReplaceOrMerge`).

use super::data_value;
use super::kv::go_quote;
use crate::error::{err, Result};
use crate::resource::{Behavior, ResId, Resource, ResourceList};
use crate::yaml::{Mapping, Node};
use std::collections::BTreeMap;

/// Adds a generated resource to `list`. The resource is looked up by its current id among the
/// current and previous ids of the resources in `list` (so a base's `cm` renamed `p-cm` by a
/// prefix is found):
/// - none found: appended, unless its behavior is `merge` or `replace` (an error);
/// - one found, behavior `replace`: takes the found one's place, with the found one's name and
///   namespace, labels and annotations merged (the generated ones win), and the found one's
///   build state (previous ids, prefixes, suffixes, ...); it needs a hash suffix only if both
///   did;
/// - one found, behavior `merge`: as `replace`, and `data` and `binaryData` are the found one's
///   merged with the generated ones (which win), every value written as a string; the found
///   one's origin is kept;
/// - one found, other behaviors: an error.
pub fn absorb(list: &mut ResourceList, mut res: Resource) -> Result<()> {
    let id = res.cur_id();
    let matches = list.find_by_any_id(&id);
    match matches.as_slice() {
        [] => match res.behavior {
            Behavior::Merge | Behavior::Replace => {
                Err(err!(IdConflict, "id {} does not exist; cannot merge or replace", go_id(&id)))
            }
            _ => list.append(res),
        },
        [i] => {
            let i = *i;
            let old = list.get(i).ok_or_else(|| err!(IdConflict, "id lookup failure"))?;
            match res.behavior {
                Behavior::Replace => copy_merge_meta(&mut res, old),
                Behavior::Merge => {
                    let origin = old.origin.clone();
                    copy_merge_meta(&mut res, old);
                    merge_string_field(&mut res, old, "data");
                    merge_string_field(&mut res, old, "binaryData");
                    if origin.is_some() {
                        res.origin = origin;
                    }
                }
                _ => return Err(err!(IdConflict, "id {} exists; behavior must be merge or replace", go_id(&id))),
            }
            list.replace(i, res);
            Ok(())
        }
        many => {
            let ids: Vec<String> = many.iter().filter_map(|&i| list.get(i)).map(|r| r.cur_id().to_string()).collect();
            Err(err!(IdConflict, "found multiple objects [{}] that could accept merge of {}", ids.join(" "), id))
        }
    }
}

/// kustomize's `CopyMergeMetaDataFieldsFrom`: labels and annotations merged (`res` wins), name
/// and namespace of `old`, and `old`'s build state.
fn copy_merge_meta(res: &mut Resource, old: &Resource) {
    for field in ["labels", "annotations"] {
        let mut merged = string_map(old.node.get_path(&["metadata", field]));
        merged.extend(string_map(res.node.get_path(&["metadata", field])));
        set_meta_map(res, field, &merged);
    }
    res.set_name(old.name());
    let ns = old.namespace();
    if ns.is_empty() {
        if let Some(md) = res.map_mut().get_mut("metadata").and_then(Node::as_map_mut) {
            md.remove("namespace");
        }
    } else {
        res.set_namespace(ns);
    }
    // The build annotations (previous names, prefixes, suffixes, referrers, behaviour, name and
    // kind change permissions) are the old resource's; the hash suffix stays only when both
    // resources asked for it.
    res.prev_ids = old.prev_ids.clone();
    res.prefixes = old.prefixes.clone();
    res.suffixes = old.suffixes.clone();
    res.ref_by = old.ref_by.clone();
    res.behavior = old.behavior;
    res.allow_name_change = old.allow_name_change;
    res.allow_kind_change = old.allow_kind_change;
    res.needs_hash = res.needs_hash && old.needs_hash;
    res.ref_var_names = old.ref_var_names.clone();
    // Origin and transformations are ordinary annotations in kustomize: the new one wins.
    if res.origin.is_none() {
        res.origin = old.origin.clone();
    }
    if res.transformations.is_empty() {
        res.transformations = old.transformations.clone();
    }
}

/// `data` or `binaryData` of `res` := `old`'s merged with `res`'s (`res` wins); dropped when
/// empty.
fn merge_string_field(res: &mut Resource, old: &Resource, field: &str) {
    let mut merged = string_map(old.node.get(field));
    merged.extend(string_map(res.node.get(field)));
    let m = res.map_mut();
    m.remove(field);
    if !merged.is_empty() {
        let dm = m.get_or_insert_map(field);
        for (k, v) in &merged {
            dm.insert(k.as_str(), data_value(v));
        }
    }
}

/// kyaml's string map of a mapping: each value's text, `""` for null and collections.
fn string_map(n: Option<&Node>) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    if let Some(Node::Map(m)) = n {
        for (k, v) in m.iter() {
            let s = match v {
                Node::Scalar(s) if !s.is_null() => s.value.clone(),
                _ => String::new(),
            };
            out.insert(k.to_string(), s);
        }
    }
    out
}

/// kyaml's `setMapInMetadata`: the field replaced by the map, or removed when it is empty.
fn set_meta_map(res: &mut Resource, field: &str, values: &BTreeMap<String, String>) {
    let md = res.map_mut().get_or_insert_map("metadata");
    md.remove(field);
    if !values.is_empty() {
        let mut m = Mapping::new();
        for (k, v) in values {
            m.insert(k.as_str(), Node::string(v.as_str()));
        }
        md.insert(field, Node::Map(m));
    }
}

/// Go's `%#v` of a kustomize ResId.
fn go_id(id: &ResId) -> String {
    format!(
        "resid.ResId{{Gvk:resid.Gvk{{Group:{}, Version:{}, Kind:{}, isClusterScoped:{}}}, Name:{}, Namespace:{}}}",
        go_quote(&id.gvk.group),
        go_quote(&id.gvk.version),
        go_quote(&id.gvk.kind),
        id.gvk.is_cluster_scoped(),
        go_quote(&id.name),
        go_quote(&id.namespace)
    )
}
