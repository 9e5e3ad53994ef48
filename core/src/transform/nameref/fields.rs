//! The referrer side of the name-reference fix-up: walking a referrer field spec's path and
//! rewriting the names found there (kustomize's nameref filter and its fieldspec walk), with
//! kustomize's error messages.

use super::{Applies, Ctx, RefField, Referrer, Selected};
use crate::error::{Error, ErrorKind, Result};
use crate::resource::{Gvk, Resource};
use crate::yaml::{Mapping, Node, Scalar};

/// A failure inside the walk; `ambiguous` holds the candidates of a "multiple referrals" error,
/// whose details (YAML of the referrer and candidates) are appended once the walk is over.
struct Fail {
    kind: ErrorKind,
    msg: String,
    ambiguous: Option<Vec<usize>>,
}

impl Fail {
    fn new(kind: ErrorKind, msg: impl Into<String>) -> Fail {
        Fail { kind, msg: msg.into(), ambiguous: None }
    }
    fn wrap(mut self, prefix: &str) -> Fail {
        self.msg = format!("{}: {}", prefix, self.msg);
        self
    }
}

type Res = std::result::Result<(), Fail>;

/// Applies the fields (`fields` at `applies.fields`, in order) to the referrer's node (taken
/// out of `items`), noting in `refs` the indices of the resources they refer to; stops at the
/// first error.
///
/// The mapping keys all the fields start with ([`Applies::prefix`], such as
/// `spec/template/spec` for a Deployment's) are looked up once: none of the walks changes the
/// mappings along them (a walk replaces or inserts only at or below its last key, and no field
/// ends above the shared keys), so each field's walk from there is the walk from the root. A
/// missing or null key on the way means every walk would end quietly; a sequence or scalar on
/// the way (where the walk reports an error or walks each item) has each field walked from the
/// root.
pub(super) fn apply_all(
    ctx: &Ctx,
    items: &[Resource],
    referrer: &Referrer,
    fields: &[RefField],
    applies: &Applies,
    node: &mut Node,
    refs: &mut Vec<usize>,
) -> Result<()> {
    let prefix = if super::use_prefix() { applies.prefix } else { 0 };
    if let Some(&first) = applies.fields.first().filter(|_| prefix > 0) {
        match descend(node, &fields[first].segments[..prefix]) {
            Descent::Nothing => return Ok(()),
            Descent::Fallback => {}
            Descent::At(at) => {
                for &k in &applies.fields {
                    let field = &fields[k];
                    let mut setter = Setter { ctx, items, referrer, field, role_ref: None, refs: &mut *refs };
                    if let Err(f) = walk(at, &field.segments[prefix..], &mut setter) {
                        return Err(failure(ctx, items, referrer, field, f, node, refs));
                    }
                }
                return Ok(());
            }
        }
    }
    for &k in &applies.fields {
        apply(ctx, items, referrer, &fields[k], node, refs)?;
    }
    Ok(())
}

/// Where a path of plain mapping keys leads (see [`apply_all`]).
enum Descent<'n> {
    At(&'n mut Node),
    Nothing,
    Fallback,
}

fn descend<'n>(node: &'n mut Node, path: &[String]) -> Descent<'n> {
    let Some((key, rest)) = path.split_first() else { return Descent::At(node) };
    if node.is_null() {
        return Descent::Nothing;
    }
    match node {
        Node::Map(m) => match m.get_mut(key) {
            Some(child) => descend(child, rest),
            None => Descent::Nothing,
        },
        _ => Descent::Fallback,
    }
}

/// Applies one referrer field spec to the referrer's node (taken out of `items`), noting in
/// `refs` the indices of the resources it refers to.
fn apply(
    ctx: &Ctx,
    items: &[Resource],
    referrer: &Referrer,
    field: &RefField,
    node: &mut Node,
    refs: &mut Vec<usize>,
) -> Result<()> {
    let role_ref = if field.role_ref { role_ref_gvk(node) } else { None };
    let mut setter = Setter { ctx, items, referrer, field, role_ref: role_ref.as_ref(), refs };
    match walk(node, &field.segments, &mut setter) {
        Ok(()) => Ok(()),
        Err(f) => Err(failure(ctx, items, referrer, field, f, node, refs)),
    }
}

/// The error of a failed walk, with kustomize's message.
fn failure(
    ctx: &Ctx,
    items: &[Resource],
    referrer: &Referrer,
    field: &RefField,
    f: Fail,
    node: &Node,
    refs: &[usize],
) -> Error {
    let id = &ctx.infos[referrer.index].cur_id();
    let path = &field.spec.path;
    let mut msg = format!(
        "updating name reference in '{}' field of '{}': considering field '{}' of object {}: {}",
        path, id, path, id, f.msg
    );
    if let Some(cands) = &f.ambiguous {
        msg.push_str(&details(items, referrer.index, &id.to_string(), node, cands, refs));
    }
    Error::new(f.kind, msg)
}

/// kustomize's fieldspec walk without creation: sequences are walked implicitly, a missing or
/// null field ends the walk quietly, a null field marked `[]` becomes an empty sequence.
fn walk(node: &mut Node, path: &[String], s: &mut Setter) -> Res {
    if path.is_empty() {
        return s.set(node);
    }
    if node.is_null() {
        return Ok(());
    }
    match node {
        Node::Seq(items) => {
            for it in items.iter_mut() {
                walk(it, path, s).map_err(|f| f.wrap(&format!("visit traversal on path: [{}]", path.join(" "))))?;
            }
            Ok(())
        }
        Node::Map(m) => {
            let (name, is_seq) = match path[0].strip_suffix("[]") {
                Some(n) => (n, true),
                None => (path[0].as_str(), false),
            };
            if name.is_empty() {
                return Err(Fail::new(ErrorKind::Transform, "cannot set or create an empty field name"));
            }
            let Some(child) = m.get_mut(name) else { return Ok(()) };
            if is_seq && child.is_null() {
                *child = Node::Seq(Vec::new());
            }
            walk(child, &path[1..], s)
        }
        Node::Scalar(_) => Err(Fail::new(ErrorKind::Transform, "expected sequence or mapping node")),
    }
}

struct Setter<'a, 'b, 'i> {
    ctx: &'a Ctx<'a, 'i>,
    items: &'a [Resource],
    referrer: &'a Referrer,
    field: &'a RefField<'a>,
    role_ref: Option<&'a Gvk>,
    refs: &'b mut Vec<usize>,
}

impl Setter<'_, '_, '_> {
    /// Called on the node at the end of the path.
    fn set(&mut self, node: &mut Node) -> Res {
        if node.is_null() {
            return Ok(());
        }
        match node {
            Node::Scalar(_) => self.set_scalar(node),
            Node::Map(m) => self.set_mapping(m),
            Node::Seq(items) => {
                for it in items.iter_mut() {
                    if it.is_null() {
                        continue;
                    }
                    match it {
                        Node::Scalar(_) => self.set_scalar(it)?,
                        Node::Map(m) => self.set_mapping(m)?,
                        Node::Seq(_) => {
                            return Err(Fail::new(
                                ErrorKind::Transform,
                                "&yaml.RNode{...} is expected to be either a string or a map of string",
                            ))
                        }
                    }
                }
                Ok(())
            }
        }
    }

    fn select(&mut self, old: &str, ns_field: Option<Option<&str>>) -> std::result::Result<Option<usize>, Fail> {
        match self.ctx.select(self.items, self.referrer, self.field, self.role_ref, old, ns_field) {
            Selected::None => Ok(None),
            Selected::One(j) => {
                self.refs.push(j);
                Ok(Some(j))
            }
            Selected::Ambiguous(cands) => {
                let ids: Vec<String> = cands.iter().map(|&j| self.ctx.infos[j].cur_id().to_string()).collect();
                let mut f = Fail::new(
                    ErrorKind::IdConflict,
                    format!("found multiple possible referrals: {}\n", ids.join(", ")),
                );
                f.ambiguous = Some(cands);
                Err(f)
            }
        }
    }

    fn set_scalar(&mut self, node: &mut Node) -> Res {
        let Some(j) = self.select(node.as_str().unwrap_or(""), None)? else { return Ok(()) };
        let name = self.ctx.infos[j].name();
        if node.as_str().unwrap_or("") != name {
            replace_scalar(node, name);
        }
        Ok(())
    }

    /// A map with `name` and maybe `namespace` (RBAC subjects and the like).
    fn set_mapping(&mut self, m: &mut Mapping) -> Res {
        let Some(name_node) = m.get("name") else {
            return Err(Fail::new(ErrorKind::Transform, "path config error; no 'name' field in node"));
        };
        let old = name_node.as_str().unwrap_or("").to_string();
        let ns: Option<String> = m.get("namespace").map(|n| n.as_str().unwrap_or("").to_string());
        let Some(j) = self.select(&old, Some(ns.as_deref()))? else { return Ok(()) };
        let info = &self.ctx.infos[j];
        if info.name() == old && info.namespace().is_empty() {
            return Ok(());
        }
        if let Some(n) = m.get_mut("name") {
            replace_scalar(n, info.name());
        }
        if info.namespace().is_empty() {
            return Ok(());
        }
        match m.get_mut("namespace") {
            Some(n) => replace_scalar(n, info.namespace()),
            None => m.insert("namespace", Node::string(info.namespace())),
        }
        Ok(())
    }
}

/// kyaml's scalar setter: the new text keeps the old node's style and drops its tag.
fn replace_scalar(node: &mut Node, value: &str) {
    let style = match node {
        Node::Scalar(s) => s.style,
        _ => Default::default(),
    };
    *node = Node::Scalar(Scalar { value: value.to_string(), style, tag: None });
}

/// The group and kind in the referrer's `roleRef` (None when either is missing).
fn role_ref_gvk(node: &Node) -> Option<Gvk> {
    let rr = node.get("roleRef")?;
    let group = rr.get("apiGroup")?.as_str()?;
    let kind = rr.get("kind")?.as_str()?;
    Some(Gvk { group: group.to_string(), version: String::new(), kind: kind.to_string() })
}

/// kustomize's failureDetails: the referrer and the candidates as YAML, with the build
/// annotations kustomize would show.
fn details(
    items: &[Resource],
    referrer: usize,
    referrer_id: &str,
    referrer_node: &Node,
    cands: &[usize],
    refs: &[usize],
) -> String {
    let shown = |j: usize| -> String {
        let node = if j == referrer { referrer_node } else { &items[j].node };
        let extra: Vec<String> = refs.iter().filter(|&&k| k == j).map(|_| referrer_id.to_string()).collect();
        with_build_annotations(&items[j], node, &extra)
    };
    let mut out = format!("\n**** Too many possible referral targets to referrer:\n{}\n", shown(referrer));
    for (k, &j) in cands.iter().enumerate() {
        out.push_str(&format!("--- possible referral {}:\n{}\n", k, shown(j)));
    }
    out
}

/// The YAML of a resource with kustomize's internal build annotations.
fn with_build_annotations(r: &Resource, node: &Node, extra_ref_by: &[String]) -> String {
    let mut n = node.clone();
    let mut ann: Vec<(&str, String)> = Vec::new();
    let csv = |v: Vec<String>| v.join(",");
    if !r.prefixes.is_empty() {
        ann.push(("prefixes", csv(r.prefixes.clone())));
    }
    if !r.suffixes.is_empty() {
        ann.push(("suffixes", csv(r.suffixes.clone())));
    }
    if !r.prev_ids.is_empty() {
        ann.push(("previousKinds", csv(r.prev_ids.iter().map(|p| p.gvk.kind.clone()).collect())));
        ann.push(("previousNames", csv(r.prev_ids.iter().map(|p| p.name.clone()).collect())));
        ann.push(("previousNamespaces", csv(r.prev_ids.iter().map(|p| p.namespace.clone()).collect())));
    }
    let mut ref_by: Vec<String> = r.ref_by.iter().map(|i| i.to_string()).collect();
    ref_by.extend(extra_ref_by.iter().cloned());
    if !ref_by.is_empty() {
        ann.push(("refBy", csv(ref_by)));
    }
    if let Node::Map(m) = &mut n {
        if !ann.is_empty() {
            let meta = m.get_or_insert_map("metadata");
            let a = meta.get_or_insert_map("annotations");
            for (k, v) in ann {
                a.insert(format!("internal.config.kubernetes.io/{}", k), Node::string(v));
            }
        }
    }
    crate::yaml::to_string(&n)
}
