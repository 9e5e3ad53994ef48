//! The replacements transformer (kustomize's `ReplacementTransformer` and
//! `api/filters/replacement`): copies a value from one field of one resource (the source) into
//! fields of other resources (the targets).
//!
//! Resources are picked by id, comparing group, version, kind, name and namespace for equality
//! (no regular expressions in kustomize v5.5.0), against the current id and every previous id of
//! a resource (its names before prefixes, suffixes and namespaces were applied); namespaces
//! compare as kustomize compares them here (empty is `default`, whatever the kind). Targets may
//! also be narrowed by label and annotation selectors, and rejected by id or by those selectors.
//! Field paths follow kyaml (see [`path`]).

mod path;

use self::path::{go_tag, go_value, is_go_null, match_path, resolved_tag, smarter_path_split, Kind, CREATED_TAG};
use super::select::Compiled;
use crate::error::{err, Result};
use crate::fieldspec::Config;
use crate::kustomization::{FieldOptions, ReplacementField, Selector, SourceSelector, TargetSelector};
use crate::resource::{Gvk, ResId, Resource, ResourceList};
use crate::yaml::{Node, Scalar, Style};

/// The field a source or target without a field path refers to.
const DEFAULT_FIELD_PATH: &str = "metadata.name";

/// The replacements of a kustomization (or of a `ReplacementTransformer` config), with the
/// entries that name a file (`path:`) replaced by the replacements that file holds.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ReplacementTransformer {
    pub replacements: Vec<ReplacementField>,
}

impl ReplacementTransformer {
    /// Reads the replacements, loading the files of `path:` entries with `load` (relative to
    /// the kustomization). A file holds one replacement or a list of them.
    pub fn new(replacements: &[ReplacementField], load: &dyn Fn(&str) -> Result<String>) -> Result<Self> {
        let mut out = Vec::new();
        for r in replacements {
            if !r.path.is_empty() && (r.source.is_some() || !r.targets.is_empty()) {
                return Err(err!(Kustomization, "cannot specify both path and inline replacement"));
            }
            if r.path.is_empty() {
                out.push(r.clone());
                continue;
            }
            let content = load(&r.path)?;
            out.extend(crate::kustomization::parse_replacements(&content)?);
        }
        Ok(ReplacementTransformer { replacements: out })
    }

    pub fn apply(&self, list: &mut ResourceList, _config: &Config) -> Result<()> {
        for r in &self.replacements {
            let Some(source) = r.source.as_ref().filter(|_| !r.targets.is_empty()) else {
                return Err(err!(Transform, "replacements must specify a source and at least one target"));
            };
            let value = source_value(list, source)?;
            for t in &r.targets {
                apply_target(list, &value, t)?;
            }
        }
        Ok(())
    }
}

/// The ids kustomize matches a resource by (`MakeResIds`): the current one, then the previous
/// ones (their kind, name and namespace, with the current group and version).
fn res_ids(r: &Resource) -> Vec<ResId> {
    let cur = r.cur_id();
    let mut ids = Vec::with_capacity(1 + r.prev_ids.len());
    for p in &r.prev_ids {
        ids.push(ResId {
            gvk: Gvk { group: cur.gvk.group.clone(), version: cur.gvk.version.clone(), kind: p.gvk.kind.clone() },
            name: p.name.clone(),
            namespace: p.namespace.clone(),
        });
    }
    ids.insert(0, cur);
    ids
}

/// The id fields of a selector.
struct IdSel<'a> {
    group: &'a str,
    version: &'a str,
    kind: &'a str,
    name: &'a str,
    namespace: &'a str,
}

impl<'a> IdSel<'a> {
    fn of_source(s: &'a SourceSelector) -> Self {
        IdSel { group: &s.group, version: &s.version, kind: &s.kind, name: &s.name, namespace: &s.namespace }
    }
    fn of(s: &'a Selector) -> Self {
        IdSel { group: &s.group, version: &s.version, kind: &s.kind, name: &s.name, namespace: &s.namespace }
    }
    fn is_empty(&self) -> bool {
        [self.group, self.version, self.kind, self.name, self.namespace].iter().all(|s| s.is_empty())
    }
    /// kustomize's `ResId.IsSelectedBy` (neither side knows its kind is cluster-scoped here).
    fn selects(&self, id: &ResId) -> bool {
        fn eff(ns: &str) -> &str {
            if ns.is_empty() {
                "default"
            } else {
                ns
            }
        }
        (self.name.is_empty() || self.name == id.name)
            && (self.namespace.is_empty() || eff(self.namespace) == eff(&id.namespace))
            && (self.group.is_empty() || self.group == id.gvk.group)
            && (self.version.is_empty() || self.version == id.gvk.version)
            && (self.kind.is_empty() || self.kind == id.gvk.kind)
    }
    /// `ResId.String()`.
    fn id_string(&self) -> String {
        ResId::new(Gvk::new(self.group, self.version, self.kind), self.name, self.namespace).to_string()
    }
}

/// `FieldOptions.String()`.
fn options_string(o: Option<&FieldOptions>) -> String {
    match o {
        Some(o) if !o.delimiter.is_empty() || o.create => format!("{}({}), create={}", o.delimiter, o.index, o.create),
        _ => String::new(),
    }
}

/// `SourceSelector.String()`.
fn source_string(s: &SourceSelector) -> String {
    let mut parts = vec![IdSel::of_source(s).id_string()];
    if !s.field_path.is_empty() {
        parts.push(s.field_path.clone());
    }
    let o = options_string(s.options.as_ref());
    if !o.is_empty() {
        parts.push(o);
    }
    parts.join(":")
}

/// Go's `%q` for the strings in messages.
fn quote(s: &str) -> String {
    format!("{:?}", s)
}

/// The value a replacement copies: the source's field, refined by its options.
fn source_value(list: &mut ResourceList, source: &SourceSelector) -> Result<Node> {
    let sel = IdSel::of_source(source);
    let candidates = candidates(list, sel.name);
    let mut found: Option<&Resource> = None;
    for r in candidates.iter().filter_map(|&i| list.get(i)) {
        if res_ids(r).iter().any(|id| sel.selects(id)) {
            if found.is_some() {
                return Err(err!(Transform, "multiple matches for selector {}", source_string(source)));
            }
            found = Some(r);
        }
    }
    let Some(r) = found else {
        return Err(err!(Transform, "nothing selected by {}", source_string(source)));
    };
    let fp = if source.field_path.is_empty() { DEFAULT_FIELD_PATH } else { &source.field_path };
    let n = path::lookup(&r.node, &smarter_path_split(fp, "."))
        .map_err(|e| err!(Transform, "error looking up replacement source: {}", e.message()))?;
    let n = match n {
        Some(n) if !is_nil_or_empty(n) => n,
        _ => return Err(err!(Transform, "fieldPath `{}` is missing for replacement source {}", fp, sel.id_string())),
    };
    refine(source.options.as_ref(), n)
}

/// The indices, in list order, of the resources a selector with this name can pick: with a
/// name, those having it as current or previous name (from the list's index); else all.
fn candidates(list: &mut ResourceList, name: &str) -> Vec<usize> {
    if name.is_empty() {
        (0..list.len()).collect()
    } else {
        list.find_by_name(name)
    }
}

/// kyaml's `IsNilOrEmpty` for a found node.
fn is_nil_or_empty(n: &Node) -> bool {
    match n {
        Node::Map(m) => m.is_empty(),
        Node::Seq(s) => s.is_empty(),
        Node::Scalar(_) => is_go_null(n),
    }
}

/// `getRefinedValue`: with a delimiter, the part of the source's text at `index`.
fn refine(o: Option<&FieldOptions>, n: &Node) -> Result<Node> {
    let Some(o) = o.filter(|o| !o.delimiter.is_empty()) else { return Ok(n.clone()) };
    let Node::Scalar(s) = n else {
        return Err(err!(Transform, "delimiter option can only be used with scalar nodes"));
    };
    let text = go_value(n);
    let parts: Vec<&str> = text.split(o.delimiter.as_str()).collect();
    if o.index < 0 || o.index as usize >= parts.len() {
        return Err(err!(Transform, "options.index {} is out of bounds for value {}", o.index, text));
    }
    let mut s = s.clone();
    s.value = parts[o.index as usize].to_string();
    Ok(Node::Scalar(s))
}

/// A label and annotation selector, compiled on first use (kustomize parses them only when it
/// looks at a resource).
struct LabelSel<'a> {
    sel: &'a Selector,
    compiled: Option<Compiled>,
}

impl<'a> LabelSel<'a> {
    fn new(sel: &'a Selector) -> Self {
        LabelSel { sel, compiled: None }
    }
    fn matches(&mut self, r: &Resource) -> Result<bool> {
        if self.compiled.is_none() {
            let only = Selector {
                label_selector: self.sel.label_selector.clone(),
                annotation_selector: self.sel.annotation_selector.clone(),
                ..Selector::default()
            };
            self.compiled = Some(Compiled::new(&only)?);
        }
        // kustomize's matchesAnnoAndLabelSelector: annotations first, both parsed.
        let c = self.compiled.as_ref().expect("compiled");
        let annotations = c.annotations_match(r)?;
        Ok(c.labels_match(r)? && annotations)
    }
}

fn apply_target(list: &mut ResourceList, value: &Node, t: &TargetSelector) -> Result<()> {
    let Some(select) = t.select.as_ref() else {
        return Err(err!(Transform, "target must specify resources to select"));
    };
    let default_paths = [DEFAULT_FIELD_PATH.to_string()];
    let paths: &[String] = if t.field_paths.is_empty() { &default_paths } else { &t.field_paths };
    let sel = IdSel::of(select);
    let mut labels = LabelSel::new(select);
    let mut reject_labels: Vec<LabelSel> = t
        .reject
        .iter()
        .filter(|r| !r.annotation_selector.is_empty() || !r.label_selector.is_empty())
        .map(LabelSel::new)
        .collect();
    let reject_ids: Vec<IdSel> = t.reject.iter().map(IdSel::of).filter(|s| !s.is_empty()).collect();
    for i in candidates(list, sel.name) {
        let r = list.get(i).expect("in range");
        if !labels.matches(r)? {
            continue;
        }
        let mut rejected = false;
        for rl in reject_labels.iter_mut() {
            if rl.matches(r)? {
                rejected = true;
                break;
            }
        }
        if rejected {
            continue;
        }
        let ids = res_ids(r);
        if !ids.iter().any(|id| sel.selects(id)) || reject_ids.iter().any(|rs| ids.iter().any(|id| rs.selects(id))) {
            continue;
        }
        list.modify(i, |target| copy_value_to_target(&mut target.node, value, t.options.as_ref(), paths))
            .expect("in range")?;
    }
    Ok(())
}

fn field_retrieval_error(fp: &str, create: bool) -> String {
    if create {
        format!("unable to find or create field {} in replacement target", quote(fp))
    } else {
        format!("unable to find field {} in replacement target", quote(fp))
    }
}

fn copy_value_to_target(node: &mut Node, value: &Node, o: Option<&FieldOptions>, paths: &[String]) -> Result<()> {
    let create = o.is_some_and(|o| o.create).then(|| Kind::of(value));
    for fp in paths {
        // kyaml finds every target field first, then sets them; the first failure to set is
        // reported once the walk is done.
        let mut set_err = None;
        let count = match_path(node, &smarter_path_split(fp, "."), create, &mut |t| {
            if set_err.is_none() {
                if let Err(e) = set_field_value(o, t, value) {
                    set_err = Some(e);
                }
            }
        })
        .map_err(|e| err!(Transform, "{}: {}", field_retrieval_error(fp, create.is_some()), e.message()))?;
        if let Some(e) = set_err {
            return Err(e);
        }
        if count == 0 {
            return Err(err!(Transform, "{}", field_retrieval_error(fp, create.is_some())));
        }
    }
    Ok(())
}

/// `setFieldValue`: a scalar target takes the value's text and keeps its type (so `"2"` written
/// over `1` stays an integer); any other target is replaced by the value. With a delimiter, the
/// value replaces (or, with an index out of range, is added before or after) a part of the
/// target's text.
fn set_field_value(o: Option<&FieldOptions>, target: &mut Node, value: &Node) -> Result<()> {
    let mut value = value.clone();
    let mut text = match &value {
        Node::Scalar(s) => s.value.clone(),
        _ => String::new(),
    };
    if let Some(o) = o.filter(|o| !o.delimiter.is_empty()) {
        let Node::Scalar(ts) = &*target else {
            return Err(err!(Transform, "delimiter option can only be used with scalar nodes"));
        };
        let mut parts: Vec<String> = ts.value.split(o.delimiter.as_str()).map(str::to_string).collect();
        let v = go_value(&value).to_string();
        if o.index < 0 {
            parts.insert(0, v);
        } else if o.index as usize >= parts.len() {
            parts.push(v);
        } else {
            parts[o.index as usize] = v;
        }
        text = parts.join(&o.delimiter);
        if let Node::Scalar(s) = &mut value {
            s.value = text.clone();
        }
    }
    match target {
        Node::Scalar(ts) => set_scalar_text(ts, text),
        _ => {
            *target = value;
            Ok(())
        }
    }
}

/// Gives a scalar new text, keeping its go-yaml v3 tag and style as kyaml does, and failing
/// where kustomize fails to write the result (a tag the new text cannot have: `!!int` with
/// `abc`, `!!null` with anything but null).
fn set_scalar_text(ts: &mut Scalar, text: String) -> Result<()> {
    if ts.tag.as_deref() == Some(CREATED_TAG) {
        ts.value = text;
        return Ok(());
    }
    let tag = go_tag(ts).to_string();
    let explicit = ts.tag.is_some();
    if tag == "!!str" {
        if !explicit && ts.style == Style::Plain && resolved_tag(&text) != "!!str" {
            // kyaml's encoder quotes a string that would read back as something else.
            ts.style = Style::DoubleQuoted;
        }
        ts.value = text;
        return Ok(());
    }
    if matches!(tag.as_str(), "!!null" | "!!bool" | "!!int" | "!!float" | "!!timestamp") {
        let r = resolved_tag(&text);
        if r != tag && !(tag == "!!float" && r == "!!int") {
            return Err(err!(
                Transform,
                "map[string]interface {{}}(nil): yaml: cannot decode {} `{}` as a {}",
                r,
                text,
                tag
            ));
        }
    }
    ts.value = text;
    Ok(())
}

#[cfg(test)]
mod tests;
