//! The node model the strategic-merge walker works on: an arena of go-yaml v3 style nodes with
//! identity, so that the kyaml algorithms (which share and mutate `*yaml.Node`s freely) can be
//! ported step by step, aliasing included, plus the kyaml filters the walker uses
//! (`FieldMatcher`, `FieldSetter`, `FieldClearer`, `ElementMatcher`, `ElementSetter`).
//!
//! Scalars carry go-yaml v3's view of them (resolved tag and style bits), because kyaml looks
//! at tags (`!!null` means null) and copies styles from one node to another; on the way back to
//! [`Node`] a scalar that was changed is typed the way kyaml's encoder and the next parse would
//! type it (a quoted style makes a string, a kept explicit tag wins, ...). Untouched scalars are
//! returned exactly as they came in.

use crate::error::{err, Result};
use crate::yaml::resolve::{self, Value};
use crate::yaml::{Comment, Entry, Mapping, Node, Pos, Scalar, Style};
use std::collections::HashMap;

pub(crate) type Id = usize;

/// go-yaml v3 `Style` bits that matter here.
pub(crate) const TAGGED: u8 = 1;
pub(crate) const DOUBLE: u8 = 2;
pub(crate) const SINGLE: u8 = 4;
pub(crate) const LITERAL: u8 = 8;
pub(crate) const FOLDED: u8 = 16;
const QUOTED: u8 = DOUBLE | SINGLE | LITERAL | FOLDED;

#[derive(Clone, Debug)]
pub(crate) struct GoScalar {
    pub value: String,
    /// go-yaml v3's `Node.Tag`: the resolved or explicit tag, `""` for nodes kyaml builds with
    /// `NewScalarRNode`.
    pub tag: String,
    pub style: u8,
    /// The scalar as loaded, returned as is unless the node changed.
    orig: Option<Scalar>,
}

#[derive(Clone, Debug)]
pub(crate) enum Body {
    Scalar(GoScalar),
    Seq(Vec<Id>),
    /// Key text, key position, value.
    Map(Vec<(String, Pos, Id)>),
}

#[derive(Clone, Debug)]
pub(crate) struct N {
    pub body: Body,
    /// kyaml's `RNode.ShouldKeep` (persistent nulls).
    pub keep: bool,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Kind {
    Scalar,
    Seq,
    Map,
}

impl Kind {
    fn go_name(self) -> &'static str {
        match self {
            Kind::Scalar => "ScalarNode",
            Kind::Seq => "SequenceNode",
            Kind::Map => "MappingNode",
        }
    }
}

/// The v3 tag a plain scalar with this text resolves to.
fn resolve_tag(value: &str) -> &'static str {
    if value == "<<" {
        return "!!merge";
    }
    match resolve::resolve(&Scalar::plain(value)) {
        Value::Null => "!!null",
        Value::Bool(_) => "!!bool",
        Value::Int(_) | Value::Uint(_) => "!!int",
        Value::Float(_) => "!!float",
        Value::Time(_) => "!!timestamp",
        Value::Str(_) => "!!str",
    }
}

fn style_bits(s: Style) -> u8 {
    match s {
        Style::Plain => 0,
        Style::SingleQuoted => SINGLE,
        Style::DoubleQuoted => DOUBLE,
        Style::Literal => LITERAL,
        Style::Folded => FOLDED,
    }
}

impl GoScalar {
    fn from_scalar(s: &Scalar) -> GoScalar {
        let (tag, style) = go_view(s);
        GoScalar {
            value: s.value.clone(),
            tag,
            style,
            orig: Some(s.clone()),
        }
    }

    /// A scalar as kyaml's `NewScalarRNode` makes it (no tag, no style).
    pub fn bare(value: &str) -> GoScalar {
        GoScalar {
            value: value.to_string(),
            tag: String::new(),
            style: 0,
            orig: None,
        }
    }

    /// Marks the scalar as changed.
    pub fn touch(&mut self) {
        self.orig = None;
    }

    /// Back to our model: what kyaml's encoder writes for this node and how it reads back.
    fn to_scalar(&self) -> Scalar {
        if let Some(o) = &self.orig {
            if go_view(o) == (self.tag.clone(), self.style) && o.value == self.value {
                return o.clone();
            }
        }
        let value = self.value.clone();
        let mut tag = self.tag.clone();
        let mut force_quoting = false;
        if !tag.is_empty() && self.style & TAGGED == 0 {
            if tag == "!!str" && self.style & QUOTED != 0 {
                tag.clear();
            } else if resolve_tag(&value) == tag {
                tag.clear();
            } else if tag == "!!str" {
                tag.clear();
                force_quoting = true;
            }
        }
        let style = if self.style & DOUBLE != 0 {
            Style::DoubleQuoted
        } else if self.style & SINGLE != 0 {
            Style::SingleQuoted
        } else if self.style & LITERAL != 0 {
            Style::Literal
        } else if self.style & FOLDED != 0 {
            Style::Folded
        } else if value.contains('\n') {
            Style::Literal
        } else if force_quoting {
            Style::DoubleQuoted
        } else {
            Style::Plain
        };
        Scalar {
            value,
            style,
            tag: (!tag.is_empty()).then(|| tag.into_boxed_str()),
        }
    }
}

/// kyaml's `IsValueNonString`: would YAML 1.1 read this text as something other than a string?
/// (Approximated with go-yaml v2's scalar typing.)
fn yaml11_non_string(value: &str) -> bool {
    !value.is_empty() && !value.contains('\n') && !resolve::v2_plain_is_string(value)
}

/// go-yaml v3's (Tag, Style) for a loaded scalar.
fn go_view(s: &Scalar) -> (String, u8) {
    match s.tag.as_deref() {
        Some(t) if t != "!" => (t.to_string(), TAGGED | style_bits(s.style)),
        _ if s.style != Style::Plain => ("!!str".to_string(), style_bits(s.style)),
        _ => (resolve_tag(&s.value).to_string(), 0),
    }
}

/// The arena.
#[derive(Default)]
pub(crate) struct Arena {
    nodes: Vec<N>,
    /// The line comments kept on mapping entries ([`Entry::comment`]), by value node: kyaml
    /// reads schemas from them, and they travel with their node.
    comments: HashMap<Id, Box<Comment>>,
}

impl Arena {
    pub fn new() -> Self {
        Arena {
            nodes: Vec::new(),
            comments: HashMap::new(),
        }
    }

    /// The kept comments, by the value node of their entry.
    pub fn comments(&self) -> impl Iterator<Item = (Id, &str)> {
        self.comments.iter().map(|(&id, c)| (id, &*c.0))
    }

    pub fn push(&mut self, body: Body) -> Id {
        self.nodes.push(N { body, keep: false });
        self.nodes.len() - 1
    }

    /// Copies a [`Node`] tree into the arena.
    pub fn import(&mut self, node: &Node) -> Id {
        let body = match node {
            Node::Scalar(s) => Body::Scalar(GoScalar::from_scalar(s)),
            Node::Seq(items) => Body::Seq(items.iter().map(|n| self.import(n)).collect()),
            Node::Map(m) => Body::Map(
                m.entries
                    .iter()
                    .map(|e| {
                        let v = self.import(&e.value);
                        if let Some(c) = &e.comment {
                            self.comments.insert(v, c.clone());
                        }
                        (e.key.clone(), e.pos, v)
                    })
                    .collect(),
            ),
        };
        self.push(body)
    }

    /// Builds a [`Node`] tree from the arena.
    pub fn export(&self, id: Id) -> Node {
        match &self.nodes[id].body {
            Body::Scalar(s) => Node::Scalar(s.to_scalar()),
            Body::Seq(items) => Node::Seq(items.iter().map(|&i| self.export(i)).collect()),
            Body::Map(entries) => Node::Map(Mapping {
                entries: entries
                    .iter()
                    .map(|(k, p, v)| Entry {
                        key: k.clone(),
                        value: self.export(*v),
                        pos: *p,
                        comment: self.comments.get(v).cloned(),
                    })
                    .collect(),
            }),
        }
    }

    pub fn node(&self, id: Id) -> &N {
        &self.nodes[id]
    }

    pub fn node_mut(&mut self, id: Id) -> &mut N {
        &mut self.nodes[id]
    }

    pub fn kind(&self, id: Id) -> Kind {
        match self.nodes[id].body {
            Body::Scalar(_) => Kind::Scalar,
            Body::Seq(_) => Kind::Seq,
            Body::Map(_) => Kind::Map,
        }
    }

    /// `yaml.Node.Value`: the text of a scalar, `""` for collections.
    pub fn value(&self, id: Id) -> &str {
        match &self.nodes[id].body {
            Body::Scalar(s) => &s.value,
            _ => "",
        }
    }

    /// `n.Tag == "!!null"`.
    pub fn tagged_null(&self, id: Id) -> bool {
        matches!(&self.nodes[id].body, Body::Scalar(s) if s.tag == "!!null")
    }

    /// `yaml.IsMissingOrNull`.
    pub fn missing_or_null(&self, n: Option<Id>) -> bool {
        n.is_none_or(|id| self.tagged_null(id))
    }

    /// `RNode.IsTaggedNull`.
    pub fn is_tagged_null(&self, n: Option<Id>) -> bool {
        n.is_some_and(|id| self.tagged_null(id))
    }

    /// `yaml.IsEmptyMap`.
    pub fn is_empty_map(&self, n: Option<Id>) -> bool {
        self.missing_or_null(n)
            || matches!(&self.nodes[n.unwrap()].body, Body::Map(m) if m.is_empty())
    }

    /// `RNode.IsNilOrEmpty`.
    pub fn is_nil_or_empty(&self, n: Option<Id>) -> bool {
        match n {
            None => true,
            Some(id) => match &self.nodes[id].body {
                Body::Scalar(s) => s.tag == "!!null",
                Body::Seq(v) => v.is_empty(),
                Body::Map(m) => m.is_empty(),
            },
        }
    }

    /// `yaml.GetValue`.
    pub fn get_value(&self, n: Option<Id>) -> String {
        if self.missing_or_null(n) {
            String::new()
        } else {
            self.value(n.unwrap()).to_string()
        }
    }

    /// Items of a sequence; the content of a scalar (none) or of a mapping (its values, never
    /// needed) otherwise.
    pub fn content(&self, id: Id) -> Vec<Id> {
        match &self.nodes[id].body {
            Body::Seq(v) => v.clone(),
            _ => Vec::new(),
        }
    }

    /// `len(node.Content)`.
    pub fn content_len(&self, id: Id) -> usize {
        match &self.nodes[id].body {
            Body::Seq(v) => v.len(),
            Body::Map(m) => 2 * m.len(),
            Body::Scalar(_) => 0,
        }
    }

    pub fn set_seq(&mut self, id: Id, items: Vec<Id>) {
        self.nodes[id].body = Body::Seq(items);
    }

    /// `RNode.Field(name).Value`: the first entry with that key, for mappings.
    pub fn field(&self, id: Id, name: &str) -> Option<Id> {
        match &self.nodes[id].body {
            Body::Map(m) => m.iter().find(|(k, _, _)| k == name).map(|(_, _, v)| *v),
            _ => None,
        }
    }

    /// `RNode.Fields()` with the error ignored: the keys of a mapping, none otherwise.
    pub fn fields(&self, id: Id) -> Vec<String> {
        match &self.nodes[id].body {
            Body::Map(m) => m.iter().map(|(k, _, _)| k.clone()).collect(),
            _ => Vec::new(),
        }
    }

    /// kyaml's `InvalidNodeKindError`.
    pub fn kind_error(&self, id: Id, expected: Kind) -> crate::error::Error {
        err!(
            Transform,
            "wrong node kind: expected {} but got {}: node contents:\n{}",
            expected.go_name(),
            self.kind(id).go_name(),
            crate::yaml::to_string(&self.export(id))
        )
    }

    /// `yaml.ErrorIfInvalid`.
    pub fn check_kind(&self, n: Option<Id>, expected: Kind) -> Result<()> {
        match n {
            Some(id) if !self.tagged_null(id) && self.kind(id) != expected => {
                Err(self.kind_error(id, expected))
            }
            _ => Ok(()),
        }
    }

    /// `RNode.SetYNode`: `*rn.value = *node`.
    pub fn set_ynode(&mut self, target: Id, source: Id) {
        if target != source {
            let mut n = self.nodes[source].clone();
            n.keep = false;
            self.nodes[target] = n;
        }
    }

    /// `FieldMatcher{Name, Value/StringValue}.Filter`. `want`: the value the field must have
    /// (`None`: any value). An empty name matches a scalar by its value.
    pub fn field_matcher(
        &self,
        rn: Option<Id>,
        name: &str,
        want: Option<&str>,
    ) -> Result<Option<Id>> {
        let Some(id) = rn else { return Ok(None) };
        if self.tagged_null(id) {
            return Ok(None);
        }
        if name.is_empty() {
            self.check_kind(rn, Kind::Scalar)?;
            return Ok((self.value(id) == want.unwrap_or("")).then_some(id));
        }
        self.check_kind(rn, Kind::Map)?;
        if let Body::Map(m) = &self.nodes[id].body {
            if let Some((_, _, v)) = m.iter().find(|(k, _, _)| k == name) {
                if want.is_none_or(|w| self.value(*v) == w) {
                    return Ok(Some(*v));
                }
            }
        }
        Ok(None)
    }

    /// `FieldMatcher{Name, StringValue}`: an empty string value matches any value.
    fn field_matcher_sv(&self, rn: Id, name: &str, sv: &str) -> Result<Option<Id>> {
        self.field_matcher(Some(rn), name, (!sv.is_empty()).then_some(sv))
    }

    /// `FieldClearer{Name}`.
    pub fn clear_field(&mut self, id: Id, name: &str) -> Result<()> {
        self.check_kind(Some(id), Kind::Map)?;
        if let Body::Map(m) = &mut self.nodes[id].body {
            if let Some(i) = m.iter().position(|(k, _, _)| k == name) {
                m.remove(i);
            }
        }
        Ok(())
    }

    /// `FieldSetter{Name, Value}` on a mapping (`name` not empty).
    pub fn set_field(&mut self, rn: Id, name: &str, value: Option<Id>) -> Result<()> {
        let Some(v) = value.filter(|&v| !(self.tagged_null(v) && !self.nodes[v].keep)) else {
            return self.clear_field(rn, name);
        };
        // A string without style that YAML 1.1 reads as something else gets double quotes.
        if let Body::Scalar(s) = &mut self.nodes[v].body {
            if (s.tag == "!!str" || s.tag.is_empty()) && s.style == 0 && yaml11_non_string(&s.value)
            {
                s.style = DOUBLE;
                s.touch();
            }
        }
        match self.field_matcher(Some(rn), name, None)? {
            Some(existing) => {
                // The new value takes the style of the node it replaces.
                let style = match &self.nodes[existing].body {
                    Body::Scalar(s) => s.style,
                    _ => 0,
                };
                if let Body::Scalar(s) = &mut self.nodes[v].body {
                    if s.style != style {
                        s.style = style;
                        s.touch();
                    }
                }
                self.set_ynode(existing, v);
            }
            None => {
                if let Body::Map(m) = &mut self.nodes[rn].body {
                    m.push((name.to_string(), Pos::default(), v));
                }
            }
        }
        Ok(())
    }

    /// `FieldSetter{Name: "", Value: NewScalarRNode(value)}` on a scalar: the node becomes an
    /// untagged scalar with that text, keeping its style.
    pub fn set_scalar_in_place(&mut self, rn: Id, value: &str) -> Result<()> {
        self.check_kind(Some(rn), Kind::Scalar)?;
        if let Body::Scalar(s) = &mut self.nodes[rn].body {
            s.value = value.to_string();
            s.tag.clear();
            s.touch();
        }
        Ok(())
    }

    /// `ElementMatcher{Keys, Values}.Filter` (`MatchElementList`): the first mapping whose
    /// fields `keys[i]` have the text `values[i]`; with an empty first key, the first item
    /// whose text is `values[0]`.
    pub fn element_matcher(
        &self,
        rn: Id,
        keys: &[String],
        values: &[String],
    ) -> Result<Option<Id>> {
        let empty = [String::new()];
        let keys = if keys.is_empty() { &empty[..] } else { keys };
        let values = if values.is_empty() {
            &empty[..]
        } else {
            values
        };
        self.check_kind(Some(rn), Kind::Seq)?;
        let items = self.content(rn);
        if keys[0].is_empty() {
            return Ok(items.into_iter().find(|&i| self.value(i) == values[0]));
        }
        for elem in items {
            if self.check_kind(Some(elem), Kind::Map).is_err() {
                continue;
            }
            if keys.len() != values.len() {
                return Err(err!(
                    Transform,
                    "length of keys must equal length of values when MatchAnyValue is false"
                ));
            }
            let mut matches = true;
            for (k, v) in keys.iter().zip(values) {
                if self.field_matcher(Some(elem), k, Some(v))?.is_none() {
                    matches = false;
                    break;
                }
            }
            if matches {
                return Ok(Some(elem));
            }
        }
        Ok(None)
    }

    /// `GetElementByKey(key)`: the first mapping item that has the field.
    pub fn element_by_key(&self, rn: Id, key: &str) -> Result<Option<Id>> {
        self.check_kind(Some(rn), Kind::Seq)?;
        for elem in self.content(rn) {
            if self.check_kind(Some(elem), Kind::Map).is_err() {
                continue;
            }
            if self.field_matcher(Some(elem), key, None)?.is_some() {
                return Ok(Some(elem));
            }
        }
        Ok(None)
    }

    /// `ElementSetter{Element, Keys, Values}.Filter`: replaces (or, without an element, deletes)
    /// every item matching the keys, appending the element when none matched. Null and empty
    /// mapping items are dropped on the way.
    pub fn element_setter(
        &mut self,
        rn: Id,
        element: Option<Id>,
        keys: &[String],
        values: &[String],
    ) -> Result<Option<Id>> {
        let empty = [String::new()];
        let keys = if keys.is_empty() { &empty[..] } else { keys };
        self.check_kind(Some(rn), Kind::Seq)?;
        let mapping_setter = !keys[0].is_empty() && !values.is_empty() && !values[0].is_empty();
        let mut new_content = Vec::new();
        let mut found_any = false;
        for elem in self.content(rn) {
            if self.is_empty_map(Some(elem)) {
                continue;
            }
            if self.kind(elem) != Kind::Map && mapping_setter {
                new_content.push(elem);
                continue;
            }
            let mut val = None;
            let mut found = true;
            for (j, key) in keys.iter().enumerate() {
                if j < values.len() {
                    val = self.field_matcher_sv(elem, key, &values[j])?;
                }
                if val.is_none() {
                    found = false;
                    break;
                }
            }
            if !found {
                if !values.is_empty() {
                    new_content.push(elem);
                }
                continue;
            }
            found_any = true;
            if let Some(e) = element {
                new_content.push(e);
            }
        }
        if self.missing_or_null(element) {
            self.set_seq(rn, new_content);
            return Ok(None);
        }
        if !found_any {
            new_content.push(element.unwrap());
        }
        self.set_seq(rn, new_content);
        Ok(element)
    }

    /// `ElementAppender`.
    pub fn append(&mut self, rn: Id, elem: Id) -> Result<()> {
        self.check_kind(Some(rn), Kind::Seq)?;
        if let Body::Seq(v) = &mut self.nodes[rn].body {
            v.push(elem);
        }
        Ok(())
    }

    /// `RNode.GetMeta` reduced to what the walker needs: apiVersion and kind texts.
    pub fn type_meta(&self, id: Id) -> (String, String) {
        let get = |name: &str| match self.field(id, name) {
            Some(v) if !self.is_nil_or_empty(Some(v)) => self.get_value(Some(v)),
            _ => String::new(),
        };
        (get("apiVersion"), get("kind"))
    }
}
