//! Strategic-merge patches, as kustomize v5.5.0 applies them.
//!
//! kustomize does not use the Kubernetes strategic-merge library: `Resource.ApplySmPatch` runs
//! kyaml's `merge2.Merge(patch, resource, ListIncreaseDirection: Prepend)`, a generic walker
//! (`kyaml/yaml/walk`) with the `merge2.Merger` visitor. This module ports that walker step by
//! step on an arena of nodes with identity ([`super::merge_nodes`]), because its results depend
//! on node sharing and in-place edits. What it does, in short:
//!
//! * Mappings are merged key by key (keys of both sides, in sorted order). A `null` in the
//!   patch deletes the field. A field that is null or empty (`key:`) in the resource and absent
//!   from the patch: `null`/`~` stay, an empty value is dropped.
//! * `$patch: delete` / `replace` / `merge` in a patch mapping deletes the resource's mapping,
//!   replaces it with the patch's, or merges (the key itself is removed). At the top level,
//!   `delete` deletes the resource ([`SmOutcome::Deleted`]) and `replace` leaves the resource
//!   untouched (kyaml returns the patch as the result, but kustomize keeps its own node).
//!   Any other value is an error (`unknown patch strategy 'x'`).
//! * Sequences are merged element-wise only when the schema gives the field a patch strategy
//!   containing `merge`; every other sequence (schema-less ones included: no merge keys are
//!   inferred) is replaced by the patch's. Merge keys are `x-kubernetes-list-map-keys` when
//!   present, else `x-kubernetes-patch-merge-key` (so container ports merge on
//!   `containerPort`+`protocol`). Elements from the patch come first, in patch order, then the
//!   resource's other elements. kyaml's matching has sharp edges that are reproduced: patch
//!   elements missing a merge key wipe every keyed element, partially keyed elements
//!   (`containerPort` without `protocol`) can swallow each other, duplicates collapse, and
//!   null or empty elements disappear.
//! * Merge-strategy lists without a key (`finalizers`) are merged as sets of scalars: the
//!   patch's values first, then the resource's other values.
//! * In a merged list, an element `{$patch: delete, <key>: v}` deletes the matching element,
//!   and a lone `{$patch: replace}` (or `delete`, `merge`) element applies to the whole list.
//!   In a replaced (non-merge) list such elements are kept as data.
//! * `$setElementOrder/...`, `$deleteFromPrimitiveList/...` and `$retainKeys` are **not**
//!   interpreted by kyaml: they are ordinary fields and end up in the output.
//! * A scalar replacing a scalar takes the old one's style, so a quoted `"3"` patched with `5`
//!   becomes the string `"5"`. Replacing a mapping by a scalar (or any change of node kind
//!   other than from/to null) is an error (`wrong node kind: expected ... but got ...`).
//! * Nested mappings that carry `apiVersion` and `kind` get that kind's schema when the walk
//!   has none at that point (kyaml's `GetSchema`).
//! * A field whose line ends with a comment holding a JSON schema
//!   (`containers: # {"type": "array", "x-kubernetes-patch-strategy": "merge", ...}`, or a
//!   `{"$ref": "#/definitions/..."}`) gets that schema, in the resource or in the patch (the
//!   resource's first): kyaml's `FieldMeta.Read` of line comments. The loader keeps such
//!   comments on their entry ([`crate::yaml::Entry::comment()`]); head comments are not read.
//! * The schema is the build's ([`crate::schema::Schema::active`]): the builtin tables, or a
//!   custom schema from a kustomization's `openapi:` field layered with them.
//!
//! What kustomize does around the merge (the caller's business): for a patch without
//! `target`, the resource is found by the patch's id; with a `target`, the patch is copied per
//! selected resource with its apiVersion set to the resource's (kind kept). After a merge that
//! did not delete the resource, kustomize puts back the resource's kind (unless the
//! `allowKindChange` option), its `metadata.name` (unless `allowNameChange`) and its
//! `metadata.namespace` (removed when it had none); when either option is set, the
//! resource's previous id is stored before the merge.

use std::collections::HashMap;

use super::json6902::J;
use super::merge_nodes::{Arena, Body, GoScalar, Id, Kind};
use crate::error::{err, Result};
use crate::schema::{CustomSchema, Cx, Loc, Schema, TypeRef};
use crate::yaml::{Mapping, Node};

/// What a strategic-merge patch did to its target.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SmOutcome {
    /// The target was merged (possibly left unchanged).
    Merged,
    /// The patch deleted the resource (`$patch: delete` at the top level), or left it an empty
    /// mapping: kustomize drops such resources.
    Deleted,
}

/// Applies a strategic-merge patch to `target` the way kustomize does.
///
/// `schema` is the schema of the target's kind; `None` looks it up as kyaml does (from the
/// target's `apiVersion` and `kind`, else from the patch's), which is what kustomize always
/// does. Kinds the schema does not know are merged without one (lists replaced).
///
/// Lookups use the schema of the build running on this thread ([`Schema::active`]: the
/// builtin tables outside a build); [`merge_patch_with`] takes the schema explicitly.
///
/// On error the target is left unchanged.
pub fn merge_patch(
    target: &mut Node,
    patch: &Node,
    schema: Option<TypeRef<'_>>,
) -> Result<SmOutcome> {
    merge_patch_with(target, patch, &Schema::active_for_use(), schema)
}

/// [`merge_patch`] with the schema in effect given: kinds are looked up in `ctx` (and `$ref`s
/// of schema comments resolved in it).
pub fn merge_patch_with(
    target: &mut Node,
    patch: &Node,
    ctx: &Schema,
    schema: Option<TypeRef<'_>>,
) -> Result<SmOutcome> {
    let mut ar = Arena::new();
    let dest = ar.import(target);
    let origin = ar.import(patch);
    // Schemas written in comments, parsed before the walk (they borrow nothing from it).
    let parsed: Vec<(Id, Node)> = ar
        .comments()
        .filter_map(|(id, text)| Some((id, comment_json(text)?)))
        .collect();
    let (local, comments) = if parsed.is_empty() {
        (None, HashMap::new())
    } else {
        let (arena, locs) = CustomSchema::comment_schemas(&parsed, ctx.custom());
        (Some(arena), locs.into_iter().collect())
    };
    let cx = Cx {
        custom: ctx.custom(),
        local: local.as_ref(),
    };
    let res = Walker {
        ar: &mut ar,
        cx,
        comments,
    }
    .walk([Some(dest), Some(origin)], schema)?;
    match res {
        None => Ok(SmOutcome::Deleted),
        Some(id) if id == dest => {
            *target = ar.export(dest);
            if ar.is_nil_or_empty(Some(dest)) {
                Ok(SmOutcome::Deleted)
            } else {
                Ok(SmOutcome::Merged)
            }
        }
        // The walk returned another node (top-level `$patch: replace`): kustomize's resource
        // keeps its own, untouched node.
        Some(_) => Ok(SmOutcome::Merged),
    }
}

/// A strategic-merge directive (`$patch`).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Directive {
    Unknown,
    Replace,
    Delete,
    Merge,
}

/// kyaml's `FieldMeta.Read` of a comment: the text after the leading `#`s, when it is a JSON
/// object (Go's `encoding/json`, strict).
fn comment_json(text: &str) -> Option<Node> {
    let body = text.trim_start_matches('#');
    match super::json_text::parse(body).ok()? {
        j @ J::Obj(_) => Some(j_node(&j)),
        _ => None,
    }
}

/// A JSON value as a node (only the schema reader looks at it).
fn j_node(j: &J) -> Node {
    match j {
        J::Null => Node::null(),
        J::Bool(b) => Node::plain(if *b { "true" } else { "false" }),
        J::Num(t) => Node::plain(t.as_str()),
        J::Str(s, _) => Node::string(s.as_str()),
        J::Arr(items) => Node::Seq(items.iter().map(j_node).collect()),
        J::Obj(m) => {
            let mut map = Mapping::new();
            for (k, v) in m {
                map.insert(k.as_str(), j_node(v));
            }
            Node::Map(map)
        }
    }
}

/// kyaml's `walk.Walker` with the `merge2.Merger` visitor; sources are `[dest, origin]`
/// (resource, patch), and lists grow by prepending (kustomize's `MergeOptionsListPrepend`).
struct Walker<'a, 's> {
    ar: &'a mut Arena,
    /// The schema in effect and the comment schemas of this merge.
    cx: Cx<'s>,
    /// Value nodes whose entry carries a schema comment, and that schema.
    comments: HashMap<Id, Loc>,
}

const PATCH_KEY: &str = "$patch";

impl<'s> Walker<'_, 's> {
    fn walk(&mut self, src: [Option<Id>; 2], schema: Option<TypeRef<'s>>) -> Result<Option<Id>> {
        let schema = self.get_schema(&src, schema);
        let kind = src
            .iter()
            .flatten()
            .find(|&&id| !self.ar.tagged_null(id))
            .map(|&id| self.ar.kind(id));
        match kind {
            Some(k) => {
                for s in src {
                    self.ar.check_kind(s, k)?;
                }
                match k {
                    Kind::Map => self.walk_map(src, schema),
                    Kind::Seq => match schema {
                        Some(t) if t.has_merge_strategy() => self.walk_associative(src, t),
                        // Non-associative list: the patch's value wins.
                        _ => Ok(src[1].or(src[0])),
                    },
                    // VisitScalar: the patch's value wins.
                    Kind::Scalar => Ok(src[1].or(src[0])),
                }
            }
            None => self.walk_map(src, schema),
        }
    }

    /// `Walker.GetSchema`: a schema comment on a source (the resource's first), else the
    /// schema of the walk, else that of a source's `apiVersion` and `kind`.
    fn get_schema(
        &self,
        src: &[Option<Id>; 2],
        schema: Option<TypeRef<'s>>,
    ) -> Option<TypeRef<'s>> {
        if !self.comments.is_empty() {
            for &s in src.iter().flatten() {
                if self.ar.tagged_null(s) {
                    continue;
                }
                if let Some(&loc) = self.comments.get(&s) {
                    return Some(self.cx.at(loc));
                }
            }
        }
        if schema.is_some() {
            return schema;
        }
        for &s in src.iter().flatten() {
            if self.ar.tagged_null(s) {
                continue;
            }
            let (api_version, kind) = self.ar.type_meta(s);
            if api_version.is_empty() || kind.is_empty() {
                continue;
            }
            // kyaml looks the exact `apiVersion` text up.
            if let Some(t) = self.cx.root_type_for(&api_version, &kind) {
                return Some(t);
            }
        }
        None
    }

    fn walk_map(
        &mut self,
        mut src: [Option<Id>; 2],
        schema: Option<TypeRef<'s>>,
    ) -> Result<Option<Id>> {
        let dest = self.visit_map(&src)?;
        src[0] = dest;
        let Some(d) = dest else { return Ok(None) };
        let mut names: Vec<String> = src
            .iter()
            .flatten()
            .flat_map(|&id| self.ar.fields(id))
            .collect();
        names.sort();
        names.dedup();
        for key in names {
            let s = schema.and_then(|t| t.field(&key)).map(|f| f.ty());
            let fv = [
                src[0].and_then(|id| self.ar.field(id, &key)),
                src[1].and_then(|id| self.ar.field(id, &key)),
            ];
            let val = self.walk(fv, s)?;
            self.ar.set_field(d, &key, val)?;
        }
        Ok(dest)
    }

    /// `Merger.VisitMap`.
    fn visit_map(&mut self, src: &[Option<Id>; 2]) -> Result<Option<Id>> {
        let (dest, origin) = (src[0], src[1]);
        if self.ar.missing_or_null(dest) {
            let ps = self.directive(origin).unwrap_or(Directive::Unknown);
            if ps == Directive::Delete {
                return Ok(None);
            }
            // Keep an explicit null of the resource that the patch does not mention.
            if let (None, Some(d)) = (origin, dest) {
                let value = self.ar.value(d).to_string();
                if !value.is_empty() {
                    let mut s = GoScalar::bare(&value);
                    s.tag = "!!null".into();
                    let n = self.ar.push(Body::Scalar(s));
                    self.ar.node_mut(n).keep = true;
                    return Ok(Some(n));
                }
            }
            return Ok(origin);
        }
        if self.ar.is_tagged_null(origin) {
            return Ok(None);
        }
        Ok(match self.directive(origin)? {
            Directive::Delete => None,
            Directive::Replace => origin,
            _ => dest,
        })
    }

    /// `Merger.VisitList` for associative lists.
    fn visit_list(&mut self, src: &[Option<Id>; 2]) -> Result<Option<Id>> {
        let (dest, origin) = (src[0], src[1]);
        if self.ar.missing_or_null(dest) {
            return Ok(origin);
        }
        if self.ar.is_tagged_null(origin) {
            return Ok(None);
        }
        Ok(match self.directive(origin)? {
            Directive::Delete => None,
            Directive::Replace => origin,
            _ => dest,
        })
    }

    /// `determineSmpDirective`: reads the `$patch` directive of a patch node and removes it.
    fn directive(&mut self, patch: Option<Id>) -> Result<Directive> {
        let Some(id) = patch else {
            return Ok(Directive::Merge);
        };
        match self.ar.kind(id) {
            Kind::Map => {
                let Some(v) = self.ar.field_matcher(Some(id), PATCH_KEY, None)? else {
                    return Ok(Directive::Merge);
                };
                let text = self.ar.value(v).to_string();
                let d = parse_directive(&text)?;
                self.ar.clear_field(id, PATCH_KEY)?;
                Ok(d)
            }
            Kind::Seq => {
                let node = match self.ar.element_by_key(id, PATCH_KEY) {
                    Ok(Some(n)) => n,
                    _ => return Ok(Directive::Merge),
                };
                // A `$patch` beside other keys belongs to the element, not to the list.
                if self.ar.content_len(node) > 2 {
                    return Ok(Directive::Merge);
                }
                let value = match self.ar.field_matcher(Some(node), PATCH_KEY, None) {
                    Ok(Some(v)) => v,
                    _ => return Ok(Directive::Merge),
                };
                let text = self.ar.value(value).to_string();
                let d = parse_directive(&text)?;
                self.ar
                    .element_setter(id, None, &[PATCH_KEY.to_string()], &[text])?;
                Ok(d)
            }
            Kind::Scalar => {
                let (tag, value) = match &self.ar.node(id).body {
                    Body::Scalar(s) => (s.tag.clone(), s.value.clone()),
                    _ => unreachable!(),
                };
                Err(err!(
                    Transform,
                    "no implemented strategic merge patch strategy for '{}' ('{}\n')",
                    tag,
                    value
                ))
            }
        }
    }

    /// `walkAssociativeSequence`.
    fn walk_associative(
        &mut self,
        mut src: [Option<Id>; 2],
        schema: TypeRef<'s>,
    ) -> Result<Option<Id>> {
        let dest = self.visit_list(&src)?;
        src[0] = dest;
        let Some(d) = dest else { return Ok(None) };
        let keys: Vec<String> = schema.merge_keys().to_vec();
        if keys.is_empty() {
            // A list of scalars merged as a set (finalizers).
            let values = self.element_primitive_values(&src);
            self.set_elements(&src, schema, values, vec![String::new()], d)
        } else {
            let values = self.element_values(&src, &keys);
            self.set_elements(&src, schema, values, keys, d)
        }
    }

    /// The sources in kyaml's order for prepending: the patch first, then the resource.
    fn prepend_order(src: &[Option<Id>; 2]) -> impl Iterator<Item = Id> {
        [src[1], src[0]].into_iter().flatten()
    }

    /// `elementValues`: the merge-key values of every element, patch first, deduplicated.
    fn element_values(&self, src: &[Option<Id>; 2], keys: &[String]) -> Vec<Vec<String>> {
        let mut out: Vec<Vec<String>> = Vec::new();
        for s in Self::prepend_order(src) {
            if self.ar.check_kind(Some(s), Kind::Seq).is_err() {
                continue;
            }
            for elem in self.ar.content(s) {
                let vals: Vec<String> = keys
                    .iter()
                    .map(|k| match self.ar.field(elem, k) {
                        Some(v) if !self.ar.is_nil_or_empty(Some(v)) => {
                            self.ar.value(v).to_string()
                        }
                        _ => String::new(),
                    })
                    .collect();
                if !out.contains(&vals) {
                    out.push(vals);
                }
            }
        }
        out
    }

    /// `elementPrimitiveValues`: the texts of the items, patch first, deduplicated.
    fn element_primitive_values(&self, src: &[Option<Id>; 2]) -> Vec<Vec<String>> {
        let mut out: Vec<Vec<String>> = Vec::new();
        for s in Self::prepend_order(src) {
            for item in self.ar.content(s) {
                let v = self.ar.value(item).to_string();
                if !out.iter().any(|o| o[0] == v) {
                    out.push(vec![v]);
                }
            }
        }
        out
    }

    /// `elementValueList`: the element matching the values in each source.
    fn element_value_list(
        &self,
        src: &[Option<Id>; 2],
        keys: &[String],
        values: &[String],
    ) -> [Option<Id>; 2] {
        let (keys, values) = validate_keys(&[values.to_vec()], values, keys);
        src.map(|s| {
            s.and_then(|id| {
                if self.ar.kind(id) != Kind::Seq {
                    return None;
                }
                self.ar.element_matcher(id, &keys, &values).ok().flatten()
            })
        })
    }

    /// `setAssociativeSequenceElements`.
    fn set_elements(
        &mut self,
        src: &[Option<Id>; 2],
        schema: TypeRef<'s>,
        mut values_list: Vec<Vec<String>>,
        keys: Vec<String>,
        dest: Id,
    ) -> Result<Option<Id>> {
        let items = self.ar.push(Body::Seq(Vec::new()));
        let el_schema = schema.elements();
        if keys.len() > 1 {
            merge_values(&mut values_list);
        }
        let mut valid_keys: Vec<String> = Vec::new();
        for values in &values_list {
            if values.is_empty() {
                continue;
            }
            let (vk, vv) = validate_keys(&values_list, values, &keys);
            valid_keys = vk.clone();
            let fv = self.element_value_list(src, &vk, &vv);
            let val = self.walk(fv, el_schema)?;
            let mut exit = false;
            for (i, key) in vk.iter().enumerate() {
                if self.ar.is_empty_map(val) {
                    // Deleted (or empty) element: remove it from the resource's list.
                    self.ar.element_setter(dest, None, &vk, &vv)?;
                    exit = true;
                } else if let Some(v) = val {
                    if self.ar.field(v, key).is_none() && !vv[i].is_empty() {
                        if key.is_empty() {
                            self.ar.set_scalar_in_place(v, &vv[i])?;
                        } else {
                            self.ar.check_kind(Some(v), Kind::Map)?;
                            let n = self.ar.push(Body::Scalar(GoScalar::bare(&vv[i])));
                            self.ar.set_field(v, key, Some(n))?;
                        }
                    }
                }
            }
            if exit {
                continue;
            }
            self.ar.element_setter(items, val, &vk, &vv)?;
        }
        let mut dest = Some(dest);
        if !values_list.is_empty() {
            dest = Some(self.append_list_node(items, dest.unwrap(), &valid_keys)?);
        }
        if self.ar.missing_or_null(dest) {
            return Ok(None);
        }
        Ok(dest)
    }

    /// `appendListNode(dst, src, keys)`: adds the resource's elements after the patch's.
    fn append_list_node(&mut self, dst: Id, src: Id, keys: &[String]) -> Result<Id> {
        for elem in self.ar.content(src) {
            if keys[0].is_empty() {
                let v = self.ar.value(elem).to_string();
                self.ar
                    .element_setter(dst, Some(elem), &[String::new()], &[v])?;
                continue;
            }
            let mut v = Vec::new();
            for key in keys {
                match self.ar.field_matcher(Some(elem), key, None)? {
                    // No key: appended (kyaml then goes on with the next key).
                    None => self.ar.append(dst, elem)?,
                    Some(n) => v.push(self.ar.value(n).to_string()),
                }
            }
            if keys.len() > 1 {
                self.ar.element_setter(dst, None, keys, &v)?;
            }
            self.ar.element_setter(dst, Some(elem), keys, &v)?;
        }
        Ok(dst)
    }
}

fn parse_directive(text: &str) -> Result<Directive> {
    match text {
        "delete" => Ok(Directive::Delete),
        "replace" => Ok(Directive::Replace),
        "merge" => Ok(Directive::Merge),
        _ => Err(err!(Transform, "unknown patch strategy '{}'", text)),
    }
}

/// `validateKeys`: the keys that have a value in some element of the list (all keys when none
/// has), and this element's values for them.
fn validate_keys(
    values_list: &[Vec<String>],
    values: &[String],
    keys: &[String],
) -> (Vec<String>, Vec<String>) {
    let mut set: Vec<&str> = Vec::new();
    for vals in values_list {
        for (i, v) in vals.iter().enumerate() {
            if !v.is_empty() && i < keys.len() && !set.contains(&keys[i].as_str()) {
                set.push(&keys[i]);
            }
        }
    }
    if set.is_empty() {
        return (keys.to_vec(), values.to_vec());
    }
    let valid_keys = keys
        .iter()
        .filter(|k| set.contains(&k.as_str()))
        .cloned()
        .collect();
    let valid_values = values
        .iter()
        .enumerate()
        .filter(|(i, v)| !v.is_empty() || keys.get(*i).is_some_and(|k| set.contains(&k.as_str())))
        .map(|(_, v)| v.clone())
        .collect();
    (valid_keys, valid_values)
}

/// `mergeValues`: key tuples that agree where both have a value (and share one) are unified,
/// e.g. `[80, ""]` and `[80, TCP]` both become `[80, TCP]`.
fn merge_values(list: &mut [Vec<String>]) {
    for i in 0..list.len() {
        let v1 = list[i].clone();
        for j in 0..list.len() {
            let v2 = list[j].clone();
            if let Some(m) = match_values(&v1, &v2) {
                list[i] = m.clone();
                list[j] = m;
            }
        }
    }
}

fn match_values(a: &[String], b: &[String]) -> Option<Vec<String>> {
    if a.len() != b.len() {
        return None;
    }
    let mut common = false;
    let mut res = Vec::with_capacity(a.len());
    for (x, y) in a.iter().zip(b) {
        if x == y {
            common = true;
            res.push(x.clone());
        } else if !x.is_empty() && !y.is_empty() {
            return None;
        } else if !x.is_empty() {
            res.push(x.clone());
        } else {
            res.push(y.clone());
        }
    }
    common.then_some(res)
}

#[cfg(test)]
#[path = "strategic_merge_tests.rs"]
mod tests;

#[cfg(test)]
#[path = "strategic_merge_schema_tests.rs"]
mod schema_tests;
