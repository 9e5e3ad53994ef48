//! Strategic-merge patches, as kustomize v5.5.0 applies them.
//!
//! kustomize does not use the Kubernetes strategic-merge library: `Resource.ApplySmPatch` runs
//! kyaml's `merge2.Merge(patch, resource, ListIncreaseDirection: Prepend)`, a generic walker
//! (`kyaml/yaml/walk`) with the `merge2.Merger` visitor. This module ports that walker step by
//! step on an arena of nodes with identity ([`super::merge_nodes`]), because its results depend
//! on node sharing and in-place edits. The arena borrows the resource and the patch, and only
//! what the merge changed is written back into the resource. The walk visits the whole
//! resource (kyaml normalizes parts the patch does not mention), but takes shortcuts there
//! that give kyaml's results without its steps: a scalar is only quoted if need be, a keyed
//! list whose elements kyaml would keep as they are is merged element by element in place
//! (`Walker::merge_keeps_list`), and a mapping or list the patch does not mention that the
//! walk would leave exactly as it is (checked on the loaded nodes, `kept_alone`) is not even
//! imported: it stays an opaque node the walk steps over (`import_guided`). What the merge
//! does, in short:
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
use super::merge_nodes::{
    key_eq, node_nil_or_empty, scalar_kept, Arena, Body, Ent, GoScalar, Id, Kind,
};
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
    // The walk visits the keys of a mapping in an order of its own ([`Walker::exact`]), which
    // only decides which error comes first: a merge that fails is done again in kyaml's order.
    match merge_in_order(target, patch, ctx, schema, !exact_order_on()) {
        Err(_) => merge_in_order(target, patch, ctx, schema, false),
        res => res,
    }
}

/// [`merge_patch_with`], the walk visiting keys in kyaml's order or not (`fast`).
fn merge_in_order(
    target: &mut Node,
    patch: &Node,
    ctx: &Schema,
    schema: Option<TypeRef<'_>>,
    fast: bool,
) -> Result<SmOutcome> {
    // The walk borrows the target; what it changed is written back afterwards.
    let (plan, deleted) = {
        let mut ar = Arena::new();
        // (The patch first: the comments it has are known then.)
        let origin = ar.import(patch);
        // The parts of the resource the patch does not mention and the walk would leave as
        // they are are not imported (schema comments in the patch could change what the walk
        // does there: then everything is).
        let guided = ar.comments().next().is_none() && guided_import_on();
        let cx0 = Cx {
            custom: ctx.custom(),
            local: None,
        };
        // The schema of the top: what the walk's `get_schema` finds there (the top nodes carry
        // no comments).
        let top = if guided {
            node_schema(cx0, [Some(&*target), Some(patch)], schema)
        } else {
            schema
        };
        let dest = if guided {
            import_guided(&mut ar, cx0, target, patch, top)
        } else {
            ar.import(target)
        };
        // Schemas written in comments, parsed before the walk (they borrow nothing from it).
        let parsed: Vec<(Id, Node)> = ar
            .comments()
            .filter_map(|(id, text)| Some((id, comment_json(text)?)))
            .collect();
        let parsed_any = !parsed.is_empty();
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
            fields: Vec::with_capacity(32),
            cells: Vec::new(),
            exact: !fast,
        }
        .walk(
            [Some(dest), Some(origin)],
            // (Comment schemas of the resource come with schemas of their own.)
            if parsed_any { schema } else { top },
        )?;
        match res {
            None => return Ok(SmOutcome::Deleted),
            // The walk returned another node (top-level `$patch: replace`): kustomize's
            // resource keeps its own, untouched node.
            Some(id) if id != dest => return Ok(SmOutcome::Merged),
            Some(_) => (ar.plan(dest, target), ar.is_nil_or_empty(Some(dest))),
        }
    };
    plan.apply(target);
    Ok(if deleted {
        SmOutcome::Deleted
    } else {
        SmOutcome::Merged
    })
}

crate::switch::test_switch!(
    /// Whether the walk always visits keys in kyaml's order (never, outside tests: tests
    /// compare it with the fast order).
    EXACT_ORDER, exact_order_on: bool = false
);

crate::switch::test_switch!(
    /// Whether [`import_guided`] is used (always, outside tests: tests turn it off to compare
    /// with the plain import).
    GUIDED_IMPORT, guided_import_on: bool = true
);

/// `yaml.GetValue` of a loaded node that is not nil or empty: a scalar's text, `""` for
/// collections.
fn node_text(n: &Node) -> &str {
    match n {
        Node::Scalar(s) => &s.value,
        _ => "",
    }
}

/// `Walker::get_schema` of loaded nodes that carry no schema comments.
fn node_schema<'s>(
    cx: Cx<'s>,
    src: [Option<&Node>; 2],
    schema: Option<TypeRef<'s>>,
) -> Option<TypeRef<'s>> {
    if schema.is_some() {
        return schema;
    }
    for n in src.into_iter().flatten() {
        let Node::Map(m) = n else { continue };
        let get = |name: &str| match m.get(name) {
            Some(v) if !node_nil_or_empty(v) => node_text(v),
            _ => "",
        };
        let (api_version, kind) = (get("apiVersion"), get("kind"));
        if api_version.is_empty() || kind.is_empty() {
            continue;
        }
        if let Some(t) = cx.root_type_for(api_version, kind) {
            return Some(t);
        }
    }
    None
}

/// The schema of field `key` of a mapping with that schema, for a mapping or sequence value.
fn node_field_schema<'s>(schema: Option<TypeRef<'s>>, key: &str) -> Option<TypeRef<'s>> {
    schema.and_then(|t| t.field(key)).map(|f| f.ty())
}

/// Whether the walk of `n` (a mapping or a sequence of the resource, the value of a field the
/// patch does not mention) with `schema` leaves it and everything in it exactly as it is:
/// [`Walker::walk`] of `[Some(n), None]` returns `n` and changes nothing. Conservative: false
/// whenever a null or empty scalar, a scalar `FieldSetter` would quote, a schema comment, an
/// empty key, or an associative list that would be rebuilt is found.
///
/// The schema is given as a function: only sequences need schemas, so the schemas of the
/// mappings above one are only looked up when it is reached.
fn kept_alone<'s>(cx: Cx<'s>, n: &Node, schema: &dyn Fn() -> Option<TypeRef<'s>>) -> bool {
    match n {
        Node::Scalar(s) => scalar_kept(s),
        Node::Map(m) => {
            let own = std::cell::OnceCell::new();
            let own_schema = || *own.get_or_init(|| node_schema(cx, [Some(n), None], schema()));
            m.entries.iter().all(|e| {
                !e.key.is_empty()
                    && e.comment.is_none()
                    && match &e.value {
                        Node::Scalar(s) => scalar_kept(s),
                        v => kept_alone(cx, v, &|| node_field_schema(own_schema(), &e.key)),
                    }
            })
        }
        // A sequence gets no schema from its contents.
        Node::Seq(items) => match schema() {
            Some(t) if t.has_merge_strategy() => {
                let keys = t.merge_keys();
                let w = keys.len();
                if w == 0 || items.is_empty() {
                    return items.is_empty();
                }
                // The key texts, on the stack for short lists.
                let n = w * items.len();
                let mut small = [""; 16];
                let mut big = Vec::new();
                let cells: &mut [&str] = if n <= small.len() {
                    &mut small[..n]
                } else {
                    big.resize(n, "");
                    &mut big
                };
                for (row, elem) in cells.chunks_exact_mut(w).zip(items) {
                    let Node::Map(m) = elem else { return false };
                    for (c, k) in row.iter_mut().zip(keys.iter()) {
                        *c = key_text(m, k);
                    }
                }
                let el = t.elements();
                rows_keep_list(cells, w, items.len())
                    && items.iter().all(|e| kept_alone(cx, e, &|| el))
            }
            // Non-associative list: the walk returns it as it is.
            _ => true,
        },
    }
}

/// Imports the resource mapping `d` for a merge in which the walk pairs it with the patch
/// mapping `p` (with `schema` given to the walk): the values of fields `p` does not mention
/// that the walk would leave as they are ([`kept_alone`]) become opaque nodes; the fields
/// both have as mappings are imported the same way; the rest is imported.
fn import_guided<'a, 's>(
    ar: &mut Arena<'a>,
    cx: Cx<'s>,
    d: &'a Node,
    p: &Node,
    schema: Option<TypeRef<'s>>,
) -> Id {
    let (Node::Map(dm), Node::Map(pm)) = (d, p) else {
        return ar.import(d);
    };
    let schema = node_schema(cx, [Some(d), Some(p)], schema);
    ar.import_map_by(d, dm, |ar, e| {
        let v = &e.value;
        if e.key.is_empty() || e.comment.is_some() || matches!(v, Node::Scalar(_)) {
            return ar.import(v);
        }
        match pm.get(&e.key) {
            Some(pv @ Node::Map(_)) if matches!(v, Node::Map(_)) => {
                import_guided(ar, cx, v, pv, node_field_schema(schema, &e.key))
            }
            Some(Node::Seq(pitems)) if matches!(v, Node::Seq(_)) => {
                import_guided_list(ar, cx, v, pitems, node_field_schema(schema, &e.key))
            }
            None if !node_nil_or_empty(v)
                && kept_alone(cx, v, &|| node_field_schema(schema, &e.key)) =>
            {
                ar.push_opaque(v)
            }
            _ => ar.import(v),
        }
    })
}

/// Imports the resource sequence `d` for a merge in which the walk pairs it with the patch
/// sequence `pitems` (with `schema` given to the walk). When the list is associative (merge
/// keys, and an element schema), each element of `d` that is a mapping is walked, if at all,
/// with the element schema and paired with a patch element or none: its fields that no
/// element of the patch has, other than the merge keys, are walked alone, so those the walk
/// leaves as they are ([`kept_alone`]) become opaque nodes. The rest is imported.
fn import_guided_list<'a, 's>(
    ar: &mut Arena<'a>,
    cx: Cx<'s>,
    d: &'a Node,
    pitems: &[Node],
    schema: Option<TypeRef<'s>>,
) -> Id {
    let Node::Seq(items) = d else {
        return ar.import(d);
    };
    let Some(t) = schema.filter(|t| t.has_merge_strategy()) else {
        return ar.import(d);
    };
    let keys: Vec<&str> = t.merge_keys().iter().collect();
    let (Some(el), false) = (t.elements(), keys.is_empty()) else {
        return ar.import(d);
    };
    let mentioned = |k: &str| {
        pitems
            .iter()
            .any(|p| matches!(p, Node::Map(m) if m.contains_key(k)))
    };
    ar.import_seq_by(d, items, |ar, item| match item {
        Node::Map(m) => ar.import_map_by(item, m, |ar, e| {
            let v = &e.value;
            let opaque = !e.key.is_empty()
                && e.comment.is_none()
                && !matches!(v, Node::Scalar(_))
                && !keys.contains(&e.key.as_str())
                && !mentioned(&e.key)
                && !node_nil_or_empty(v)
                && kept_alone(cx, v, &|| node_field_schema(Some(el), &e.key));
            if opaque {
                ar.push_opaque(v)
            } else {
                ar.import(v)
            }
        }),
        _ => ar.import(item),
    })
}

/// The text of field `key` of a list element as the merge reads it: `""` when missing, nil or
/// empty.
fn key_text<'n>(m: &'n Mapping, key: &str) -> &'n str {
    match m.get(key) {
        Some(v) if !node_nil_or_empty(v) => node_text(v),
        _ => "",
    }
}

/// [`Walker::merge_keeps_list`]'s test of the merge-key texts of a list's `n` elements (`w`
/// per element): every key some element has a text for, every element has one, some key
/// does, and no two elements have the same texts.
fn rows_keep_list(cells: &[&str], w: usize, n: usize) -> bool {
    let mut keyed = false;
    for c in 0..w {
        let k = cells.chunks_exact(w).filter(|r| !r[c].is_empty()).count();
        if k == 0 {
            continue;
        }
        if k != n {
            return false;
        }
        keyed = true;
    }
    keyed && {
        let row = |i: usize| &cells[i * w..(i + 1) * w];
        (1..n).all(|i| (0..i).all(|j| row(i) != row(j)))
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
        J::Null | J::Ref(_) => Node::null(),
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
struct Walker<'w, 'a> {
    ar: &'w mut Arena<'a>,
    /// The schema in effect and the comment schemas of this merge.
    cx: Cx<'a>,
    /// Value nodes whose entry carries a schema comment, and that schema.
    comments: HashMap<Id, Loc>,
    /// The keys of the mappings being walked, the innermost mapping's last.
    fields: Fields<'a>,
    /// A spare buffer for [`Walker::merge_keeps_list`].
    cells: Vec<&'a str>,
    /// Whether mappings are walked in kyaml's order, by sorted keys. Else the resource's keys
    /// are walked in their order, then the patch's other keys sorted: merging a key only
    /// changes that key's entries, and the resource's keys stay where they are, so the result
    /// is the same; only the first of two errors could differ.
    exact: bool,
}

/// The keys of the two sides of a mapping, each with its entry on each side.
type Fields<'a> = Vec<(&'a str, Option<Id>, Option<Id>)>;

/// Byte order of keys (`str::cmp`), deciding on the first bytes when they differ.
fn key_order(a: &str, b: &str) -> std::cmp::Ordering {
    match (a.as_bytes().first(), b.as_bytes().first()) {
        (Some(x), Some(y)) if x != y => x.cmp(y),
        _ => a.cmp(b),
    }
}

/// The keys of the two sides of a mapping for a walk in the fast order ([`Walker::exact`]),
/// each once with its first entry on each side: the keys of `e0` in their order, then the
/// other keys of `e1` (at most 64 entries) in sorted order, appended to `fields`.
fn fast_fields<'a>(e0: &[Ent<'a>], e1: &[Ent<'a>], fields: &mut Fields<'a>) {
    // The entries of `e1` that are the first of a key in `e0`.
    let mut matched = 0u64;
    // A filter of the keys of `e0` seen so far: a key whose bit is not set is not a repeat.
    let mut seen = 0u64;
    for (i, e) in e0.iter().enumerate() {
        let bit = 1u64 << key_hash(e.key);
        if seen & bit != 0 && e0[..i].iter().any(|x| same_key(x.key, e.key)) {
            continue;
        }
        seen |= bit;
        let p = e1.iter().position(|x| same_key(x.key, e.key));
        if let Some(j) = p {
            matched |= 1 << j;
        }
        fields.push((e.key, Some(e.id), p.map(|j| e1[j].id)));
    }
    let n0 = fields.len();
    for (j, e) in e1.iter().enumerate() {
        // Keys of `e0` are left out: the first entry of such a key was matched, and later
        // entries of a key are left out.
        if matched & (1 << j) != 0 || e1[..j].iter().any(|x| same_key(x.key, e.key)) {
            continue;
        }
        fields.push((e.key, None, Some(e.id)));
    }
    if fields.len() - n0 > 1 {
        fields[n0..].sort_by(|a, b| key_order(a.0, b.0));
    }
}

/// A hash of a key in `0..64` from its length and end bytes ([`fast_fields`]' filter).
#[inline]
fn key_hash(k: &str) -> u32 {
    let b = k.as_bytes();
    let (f, l) = (b.first().copied().unwrap_or(0), b.last().copied().unwrap_or(0));
    ((b.len() as u32).wrapping_mul(7) ^ u32::from(f) ^ u32::from(l).wrapping_mul(3)) & 63
}

/// Key equality: [`same_str`], comparing the first bytes before the rest.
#[inline]
fn same_key(a: &str, b: &str) -> bool {
    std::ptr::eq(a.as_ptr(), b.as_ptr()) && a.len() == b.len() || key_eq(a, b)
}

/// String equality, without comparing a string with itself.
fn same_str(a: &str, b: &str) -> bool {
    a.len() == b.len() && (std::ptr::eq(a.as_ptr(), b.as_ptr()) || a == b)
}

const PATCH_KEY: &str = "$patch";

/// The merge-key values of the elements of an associative list, one row of `width` texts per
/// element (`""`: the element has no such key).
struct Rows<'a> {
    width: usize,
    cells: Vec<&'a str>,
}

impl<'a> Rows<'a> {
    fn new(width: usize) -> Self {
        Rows {
            width,
            cells: Vec::new(),
        }
    }
    fn len(&self) -> usize {
        self.cells.len() / self.width
    }
    fn is_empty(&self) -> bool {
        self.cells.is_empty()
    }
    fn row(&self, i: usize) -> &[&'a str] {
        &self.cells[i * self.width..(i + 1) * self.width]
    }
    fn iter(&self) -> impl Iterator<Item = &[&'a str]> {
        self.cells.chunks_exact(self.width)
    }
    fn contains(&self, row: &[&str]) -> bool {
        self.iter().any(|r| r == row)
    }
    /// Adds the row unless it is there already.
    fn push_new(&mut self, row: &[&'a str]) {
        if !self.contains(row) {
            self.cells.extend_from_slice(row);
        }
    }
}

impl<'a> Walker<'_, 'a> {
    fn walk(&mut self, src: [Option<Id>; 2], schema: Option<TypeRef<'a>>) -> Result<Option<Id>> {
        // (The schema, which only mappings and sequences use, is looked up once the kind is
        // known: `get_schema` has no effects.)
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
                    Kind::Map => {
                        let schema = self.get_schema(&src, schema);
                        self.walk_map(src, schema)
                    }
                    Kind::Seq => match self.get_schema(&src, schema) {
                        Some(t) if t.has_merge_strategy() => self.walk_associative(src, t),
                        // Non-associative list: the patch's value wins.
                        _ => Ok(src[1].or(src[0])),
                    },
                    // VisitScalar: the patch's value wins.
                    Kind::Scalar => Ok(src[1].or(src[0])),
                }
            }
            None => {
                let schema = self.get_schema(&src, schema);
                self.walk_map(src, schema)
            }
        }
    }

    /// `Walker.GetSchema`: a schema comment on a source (the resource's first), else the
    /// schema of the walk, else that of a source's `apiVersion` and `kind`.
    fn get_schema(
        &self,
        src: &[Option<Id>; 2],
        schema: Option<TypeRef<'a>>,
    ) -> Option<TypeRef<'a>> {
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
            if let Some(t) = self.cx.root_type_for(api_version, kind) {
                return Some(t);
            }
        }
        None
    }

    fn walk_map(
        &mut self,
        mut src: [Option<Id>; 2],
        schema: Option<TypeRef<'a>>,
    ) -> Result<Option<Id>> {
        let dest = self.visit_map(&src)?;
        src[0] = dest;
        let Some(d) = dest else { return Ok(None) };
        // The keys of both sides, each once with its first entry on each side: in sorted
        // (byte) order, or in the fast order ([`Walker::exact`]). (Merging one key only
        // changes that key's entries, so looking them all up first finds what kyaml finds
        // looking each up in turn.)
        let e0 = src[0].map_or(&[][..], |id| self.ar.entries(id));
        let e1 = src[1].map_or(&[][..], |id| self.ar.entries(id));
        // (This mapping's fields go on top of the stack of those of the mappings being walked.)
        let start = self.fields.len();
        if self.exact || e1.len() > 64 {
            let mut fields = Vec::with_capacity(e0.len() + e1.len());
            fields.extend(e0.iter().map(|e| (e.key, Some(e.id), None)));
            fields.extend(e1.iter().map(|e| (e.key, None, Some(e.id))));
            // Stable: on each side, the first entry of a key comes first.
            fields.sort_by(|a, b| key_order(a.0, b.0));
            fields.dedup_by(|later, first| {
                same_str(later.0, first.0) && {
                    first.1 = first.1.or(later.1);
                    first.2 = first.2.or(later.2);
                    true
                }
            });
            self.fields.extend_from_slice(&fields);
        } else {
            fast_fields(e0, e1, &mut self.fields);
        }
        let end = self.fields.len();
        for i in start..end {
            let (key, x, y) = self.fields[i];
            let fv = [x, y];
            // A scalar the patch does not mention: the walk returns it, and setting it back
            // only quotes it if need be.
            if let [Some(x), None] = fv {
                // A part of the resource the walk leaves as it is.
                if self.ar.is_opaque(x) {
                    continue;
                }
                if !key.is_empty() && self.ar.kind(x) == Kind::Scalar && !self.ar.tagged_null(x) {
                    self.ar.quote_for_yaml11(x);
                    continue;
                }
            }
            let s = self.field_schema(&fv, schema, key);
            let val = self.walk(fv, s)?;
            // `src[0]` is `d`: `fv[0]` is the entry of `d` the value goes to.
            self.ar.set_field_at(d, key, val, fv[0])?;
        }
        self.fields.truncate(start);
        Ok(dest)
    }

    /// The schema of field `key` of a mapping with that schema, when the walk of `src` looks
    /// at it.
    fn field_schema(
        &self,
        src: &[Option<Id>; 2],
        schema: Option<TypeRef<'a>>,
        key: &str,
    ) -> Option<TypeRef<'a>> {
        if self.has_collection(src) {
            schema.and_then(|t| t.field(key)).map(|f| f.ty())
        } else {
            None
        }
    }

    /// Whether a source is a mapping or a sequence (a walk of scalars and nulls ignores its
    /// schema).
    fn has_collection(&self, src: &[Option<Id>; 2]) -> bool {
        src.iter()
            .flatten()
            .any(|&id| self.ar.kind(id) != Kind::Scalar)
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
                let value = self.ar.value(d);
                if !value.is_empty() {
                    let mut s = GoScalar::bare(value);
                    s.tag = "!!null";
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
                let d = parse_directive(self.ar.value(v))?;
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
                let text = self.ar.value(value);
                let d = parse_directive(text)?;
                self.ar.element_setter(id, None, &[PATCH_KEY], &[text])?;
                Ok(d)
            }
            Kind::Scalar => {
                let (tag, value) = match &self.ar.node(id).body {
                    Body::Scalar(s) => (s.tag, s.value),
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
        schema: TypeRef<'a>,
    ) -> Result<Option<Id>> {
        let dest = self.visit_list(&src)?;
        src[0] = dest;
        let Some(d) = dest else { return Ok(None) };
        let keys: Vec<&'a str> = schema.merge_keys().iter().collect();
        if src[1].is_none() && !keys.is_empty() && self.merge_keeps_list(d, &keys) {
            // Its elements are merged in place.
            let el_schema = schema.elements();
            for i in 0..self.ar.items(d).len() {
                let elem = self.ar.items(d)[i];
                let val = self.walk([Some(elem), None], el_schema)?;
                debug_assert_eq!(val, Some(elem));
            }
            return Ok(Some(d));
        }
        if keys.is_empty() {
            // A list of scalars merged as a set (finalizers).
            let values = self.element_primitive_values(&src);
            self.set_elements(&src, schema, values, &[""], d)
        } else {
            let values = self.element_values(&src, &keys);
            self.set_elements(&src, schema, values, &keys, d)
        }
    }

    /// Whether `setAssociativeSequenceElements` rebuilds a list of the resource that the
    /// patch does not mention as it is (each element merged with nothing): when every element
    /// is a mapping with a text for each merge key that some element has, and no two elements
    /// have the same texts. (Then each element is found by its key values, kept in its place,
    /// and nothing is deduplicated, dropped or added.)
    fn merge_keeps_list(&mut self, d: Id, keys: &[&'a str]) -> bool {
        let items = self.ar.items(d);
        if items.is_empty() {
            return true;
        }
        let w = keys.len();
        let mut cells = std::mem::take(&mut self.cells);
        cells.clear();
        let mut ok = true;
        for &elem in items {
            if self.ar.kind(elem) != Kind::Map {
                ok = false;
                break;
            }
            cells.extend(keys.iter().map(|k| match self.ar.field(elem, k) {
                Some(v) if !self.ar.is_nil_or_empty(Some(v)) => self.ar.value(v),
                _ => "",
            }));
        }
        ok = ok && rows_keep_list(&cells, w, items.len());
        self.cells = cells;
        ok
    }

    /// The sources in kyaml's order for prepending: the patch first, then the resource.
    fn prepend_order(src: &[Option<Id>; 2]) -> impl Iterator<Item = Id> {
        [src[1], src[0]].into_iter().flatten()
    }

    /// `elementValues`: the merge-key values of every element, patch first, deduplicated.
    fn element_values(&self, src: &[Option<Id>; 2], keys: &[&'a str]) -> Rows<'a> {
        let mut out = Rows::new(keys.len());
        let mut vals: Vec<&'a str> = Vec::with_capacity(keys.len());
        for s in Self::prepend_order(src) {
            if !self.ar.kind_ok(s, Kind::Seq) {
                continue;
            }
            for &elem in self.ar.items(s) {
                vals.clear();
                vals.extend(keys.iter().map(|k| match self.ar.field(elem, k) {
                    Some(v) if !self.ar.is_nil_or_empty(Some(v)) => self.ar.value(v),
                    _ => "",
                }));
                out.push_new(&vals);
            }
        }
        out
    }

    /// `elementPrimitiveValues`: the texts of the items, patch first, deduplicated.
    fn element_primitive_values(&self, src: &[Option<Id>; 2]) -> Rows<'a> {
        let mut out = Rows::new(1);
        for s in Self::prepend_order(src) {
            for &item in self.ar.items(s) {
                out.push_new(&[self.ar.value(item)]);
            }
        }
        out
    }

    /// `elementValueList`: the element matching the values in each source.
    fn element_value_list(
        &self,
        src: &[Option<Id>; 2],
        keys: &[&'a str],
        values: &[&'a str],
    ) -> [Option<Id>; 2] {
        // `validateKeys` of this one element: the keys it has a value for (all when none).
        let any = values.iter().any(|v| !v.is_empty());
        let all = values.iter().all(|v| !v.is_empty());
        let (k2, v2);
        let (keys, values) = if !any || all {
            (keys, values)
        } else {
            let mask = key_mask(std::iter::once(values), keys);
            k2 = filter_by(keys, &mask);
            v2 = filter_values(values, keys, &mask).collect::<Vec<_>>();
            (&k2[..], &v2[..])
        };
        src.map(|s| {
            s.and_then(|id| {
                if self.ar.kind(id) != Kind::Seq {
                    return None;
                }
                self.ar.element_matcher(id, keys, values).ok().flatten()
            })
        })
    }

    /// `setAssociativeSequenceElements`.
    fn set_elements(
        &mut self,
        src: &[Option<Id>; 2],
        schema: TypeRef<'a>,
        mut values_list: Rows<'a>,
        keys: &[&'a str],
        dest: Id,
    ) -> Result<Option<Id>> {
        let items = self.ar.push(Body::Seq(Vec::new()));
        let el_schema = schema.elements();
        if keys.len() > 1 {
            merge_values(&mut values_list);
        }
        // `validateKeys` against the whole list: the same keys for every element.
        let mask = key_mask(values_list.iter(), keys);
        let vk = filter_by(keys, &mask);
        let mut vv: Vec<&'a str> = Vec::with_capacity(vk.len());
        for r in 0..values_list.len() {
            let values = values_list.row(r);
            vv.clear();
            vv.extend(filter_values(values, keys, &mask));
            let fv = self.element_value_list(src, &vk, &vv);
            let val = self.walk(fv, el_schema)?;
            let mut exit = false;
            for (i, &key) in vk.iter().enumerate() {
                if self.ar.is_empty_map(val) {
                    // Deleted (or empty) element: remove it from the resource's list.
                    self.ar.element_setter(dest, None, &vk, &vv)?;
                    exit = true;
                } else if let Some(v) = val {
                    if self.ar.field(v, key).is_none() && !vv[i].is_empty() {
                        if key.is_empty() {
                            self.ar.set_scalar_in_place(v, vv[i])?;
                        } else {
                            self.ar.check_kind(Some(v), Kind::Map)?;
                            let n = self.ar.push(Body::Scalar(GoScalar::bare(vv[i])));
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
            dest = Some(self.append_list_node(items, dest.unwrap(), &vk)?);
        }
        if self.ar.missing_or_null(dest) {
            return Ok(None);
        }
        Ok(dest)
    }

    /// `appendListNode(dst, src, keys)`: adds the resource's elements after the patch's.
    fn append_list_node(&mut self, dst: Id, src: Id, keys: &[&'a str]) -> Result<Id> {
        let mut v: Vec<&'a str> = Vec::with_capacity(keys.len());
        for i in 0..self.ar.items(src).len() {
            let elem = self.ar.items(src)[i];
            if keys[0].is_empty() {
                let v = self.ar.value(elem);
                self.ar.element_setter(dst, Some(elem), &[""], &[v])?;
                continue;
            }
            v.clear();
            for key in keys {
                match self.ar.field_matcher(Some(elem), key, None)? {
                    // No key: appended (kyaml then goes on with the next key).
                    None => self.ar.append(dst, elem)?,
                    Some(n) => v.push(self.ar.value(n)),
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

/// The set of `validateKeys`, as a mask over `keys`: the keys that have a value in some row
/// (by key text), all keys when none has.
fn key_mask<'r, 'a: 'r>(rows: impl Iterator<Item = &'r [&'a str]>, keys: &[&str]) -> Vec<bool> {
    let mut mask = vec![false; keys.len()];
    let mut any = false;
    for row in rows {
        for (i, v) in row.iter().enumerate() {
            if !v.is_empty() && i < keys.len() && !mask[i] {
                any = true;
                for (m, k) in mask.iter_mut().zip(keys) {
                    if *k == keys[i] {
                        *m = true;
                    }
                }
            }
        }
    }
    if !any {
        mask.iter_mut().for_each(|m| *m = true);
    }
    mask
}

/// `validateKeys`' keys: those in the mask.
fn filter_by<'a>(keys: &[&'a str], mask: &[bool]) -> Vec<&'a str> {
    keys.iter()
        .zip(mask)
        .filter(|(_, &m)| m)
        .map(|(k, _)| *k)
        .collect()
}

/// `validateKeys`' values: the non-empty ones and those of a key in the mask.
fn filter_values<'v, 'a>(
    values: &'v [&'a str],
    keys: &'v [&str],
    mask: &'v [bool],
) -> impl Iterator<Item = &'a str> + 'v {
    values
        .iter()
        .enumerate()
        .filter(move |(i, v)| !v.is_empty() || (*i < keys.len() && mask[*i]))
        .map(|(_, v)| *v)
}

/// `mergeValues`: key tuples that agree where both have a value (and share one) are unified,
/// e.g. `[80, ""]` and `[80, TCP]` both become `[80, TCP]`.
fn merge_values(list: &mut Rows<'_>) {
    let w = list.width;
    let mut v1 = Vec::with_capacity(w);
    let mut m = Vec::with_capacity(w);
    for i in 0..list.len() {
        v1.clear();
        v1.extend_from_slice(list.row(i));
        for j in 0..list.len() {
            if match_values(&v1, list.row(j), &mut m) {
                list.cells[i * w..(i + 1) * w].copy_from_slice(&m);
                list.cells[j * w..(j + 1) * w].copy_from_slice(&m);
            }
        }
    }
}

/// `matchValues`: whether the tuples agree (`out`: the unified tuple).
fn match_values<'a>(a: &[&'a str], b: &[&'a str], out: &mut Vec<&'a str>) -> bool {
    out.clear();
    if a.len() != b.len() {
        return false;
    }
    let mut common = false;
    for (x, y) in a.iter().zip(b) {
        if x == y {
            common = true;
            out.push(x);
        } else if !x.is_empty() && !y.is_empty() {
            return false;
        } else if !x.is_empty() {
            out.push(x);
        } else {
            out.push(y);
        }
    }
    common
}

#[cfg(test)]
#[path = "strategic_merge_tests.rs"]
mod tests;

#[cfg(test)]
#[path = "strategic_merge_schema_tests.rs"]
mod schema_tests;
