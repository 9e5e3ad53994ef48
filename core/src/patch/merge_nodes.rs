//! The node model the strategic-merge walker works on: an arena of go-yaml v3 style nodes with
//! identity, so that the kyaml algorithms (which share and mutate `*yaml.Node`s freely) can be
//! ported step by step, aliasing included, plus the kyaml filters the walker uses
//! (`FieldMatcher`, `FieldSetter`, `FieldClearer`, `ElementMatcher`, `ElementSetter`).
//!
//! The arena borrows the loaded trees (keys and scalar texts are `&str` into them), so that
//! importing a resource costs one small vector per collection and nothing per scalar. Scalars
//! carry go-yaml v3's view of them (resolved tag and style bits), because kyaml looks at tags
//! (`!!null` means null) and copies styles from one node to another; on the way back to
//! [`Node`] a scalar that was changed is typed the way kyaml's encoder and the next parse would
//! type it (a quoted style makes a string, a kept explicit tag wins, ...). Untouched scalars are
//! returned exactly as they came in.
//!
//! The merged resource is written back in place ([`Arena::plan`], [`Plan::apply`]): the parts
//! of the resource the merge left as they were (in practice most of it) are neither copied
//! nor rebuilt, only moved where entries or items were reordered.

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

#[derive(Clone, Copy, Debug)]
pub(crate) struct GoScalar<'a> {
    pub value: &'a str,
    /// go-yaml v3's `Node.Tag`: the resolved or explicit tag, `""` for nodes kyaml builds with
    /// `NewScalarRNode`.
    pub tag: &'a str,
    pub style: u8,
    /// The scalar as loaded, returned as is unless the node changed.
    orig: Option<&'a Scalar>,
}

/// A mapping entry: key text, key position, value, and the index of the entry in the loaded
/// mapping the node's body came from ([`N::src`]; [`NEW`] for entries added by the merge).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Ent<'a> {
    pub key: &'a str,
    pub pos: Pos,
    pub id: Id,
    orig: u32,
}

const NEW: u32 = u32::MAX;

#[derive(Clone, Debug)]
pub(crate) enum Body<'a> {
    Scalar(GoScalar<'a>),
    Seq(Vec<Id>),
    Map(Vec<Ent<'a>>),
    /// A non-empty collection of the resource that the merge leaves exactly as it is (see
    /// [`Arena::push_opaque`]): not imported, exported as its loaded node ([`N::src`]).
    Opaque(Kind),
}

#[derive(Clone, Debug)]
pub(crate) struct N<'a> {
    pub body: Body<'a>,
    /// kyaml's `RNode.ShouldKeep` (persistent nulls).
    pub keep: bool,
    /// The loaded node the body was imported from (travels with the body).
    src: Option<&'a Node>,
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

/// The v3 tag of a typed value.
fn value_tag(v: &Value<'_>) -> &'static str {
    match v {
        Value::Null => "!!null",
        Value::Bool(_) => "!!bool",
        Value::Int(_) | Value::Uint(_) => "!!int",
        Value::Float(_) => "!!float",
        Value::Time(_) => "!!timestamp",
        Value::Str(_) => "!!str",
    }
}

/// The v3 tag a plain scalar with this text resolves to.
fn resolve_tag(value: &str) -> &'static str {
    plain_tag(value, || {
        value_tag(&resolve::resolve(&Scalar::plain(value)))
    })
}

/// [`resolve_tag`], asking `resolve` when that takes more than a look at the text.
fn plain_tag(value: &str, resolve: impl FnOnce() -> &'static str) -> &'static str {
    if value == "<<" {
        return "!!merge";
    }
    // Only the empty text, `~`, words starting with n/N, t/T, f/F and numbers (first byte a
    // digit, a sign or a dot) resolve to anything but a string.
    match value.as_bytes().first() {
        Some(b'0'..=b'9') if digits_then_word(value) => "!!str",
        Some(b'0'..=b'9' | b'+' | b'-' | b'.' | b'~' | b'n' | b'N' | b't' | b'T' | b'f' | b'F')
        | None => resolve(),
        Some(_) => "!!str",
    }
}

/// Whether a text starting with a digit has a byte no number or timestamp can have (in YAML
/// 1.1 or 1.2: digits, signs, `.`, `_`, `:`, `,`, space, hex digits, `x`, `o`, `t`, `z` in
/// either case): `100m`, `128Mi`. Both go-yaml versions read such a plain text as a string.
fn digits_then_word(value: &str) -> bool {
    value.bytes().any(|c| {
        !matches!(c,
            b'0'..=b'9' | b'a'..=b'f' | b'A'..=b'F' | b'x' | b'X' | b'o' | b'O' | b't' | b'T'
            | b'z' | b'Z' | b'+' | b'-' | b'.' | b'_' | b':' | b',' | b' ')
    })
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

impl<'a> GoScalar<'a> {
    fn from_scalar(s: &'a Scalar) -> GoScalar<'a> {
        let (tag, style) = go_view(s);
        GoScalar {
            value: &s.value,
            tag,
            style,
            orig: Some(s),
        }
    }

    /// A scalar as kyaml's `NewScalarRNode` makes it (no tag, no style).
    pub fn bare(value: &'a str) -> GoScalar<'a> {
        GoScalar {
            value,
            tag: "",
            style: 0,
            orig: None,
        }
    }

    /// Marks the scalar as changed.
    pub fn touch(&mut self) {
        self.orig = None;
    }

    /// The loaded scalar, when this node still is exactly what was loaded (every change of
    /// the text, tag or style goes with [`GoScalar::touch`]).
    fn unchanged(&self) -> Option<&'a Scalar> {
        let o = self.orig?;
        debug_assert!(go_view(o) == (self.tag, self.style) && o.value == self.value);
        Some(o)
    }

    /// Back to our model: what kyaml's encoder writes for this node and how it reads back.
    fn to_scalar(self) -> Scalar {
        if let Some(o) = self.unchanged() {
            return o.clone();
        }
        let value = self.value;
        let mut tag = self.tag;
        let mut force_quoting = false;
        if !tag.is_empty() && self.style & TAGGED == 0 {
            if (tag == "!!str" && self.style & QUOTED != 0) || resolve_tag(value) == tag {
                tag = "";
            } else if tag == "!!str" {
                tag = "";
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
            value: value.to_string(),
            style,
            tag: (!tag.is_empty()).then(|| tag.into()),
        }
    }
}

/// kyaml's `IsValueNonString`: would YAML 1.1 read this text as something other than a string?
/// (Approximated with go-yaml v2's scalar typing.)
fn yaml11_non_string(value: &str) -> bool {
    // Only texts starting like a number or one of YAML 1.1's null, bool and merge words can
    // be read as something else.
    match value.as_bytes().first() {
        Some(&b) if yaml11_special_first(b) => {
            !(b.is_ascii_digit() && digits_then_word(value))
                && !value.contains('\n')
                && !resolve::v2_plain_is_string(value)
        }
        _ => false,
    }
}

/// Whether a plain text starting with byte `b` may be read by YAML 1.1 (go-yaml v2) or 1.2
/// (v3) as something other than a string: digits, signs, a dot, `~`, `<<`, and the first
/// letters of null, bool and merge words. Any other first byte gives a string.
fn yaml11_special_first(b: u8) -> bool {
    matches!(
        b,
        b'0'..=b'9'
            | b'+'
            | b'-'
            | b'.'
            | b'~'
            | b'<'
            | b'n'
            | b'N'
            | b'y'
            | b'Y'
            | b't'
            | b'T'
            | b'o'
            | b'O'
            | b'f'
            | b'F'
    )
}

/// Whether the merge walk leaves a loaded scalar that is a mapping value the patch does not
/// mention exactly as it is: not null, and not a string `FieldSetter` would quote.
pub(crate) fn scalar_kept(s: &Scalar) -> bool {
    if s.tag.is_none() && s.style == Style::Plain {
        // Neither go-yaml version reads a plain text starting otherwise as anything but a
        // string (the first bytes `plain_tag` and `yaml11_non_string` look further at).
        if s.value
            .as_bytes()
            .first()
            .is_some_and(|&b| !yaml11_special_first(b))
        {
            return true;
        }
        // Plain decimal digits: an int (or a float when too big or a bad octal) for go-yaml
        // v3.
        if !s.value.is_empty() && s.value.bytes().all(|c| c.is_ascii_digit()) {
            return true;
        }
    }
    let (tag, style) = go_view(s);
    tag != "!!null"
        && !((tag == "!!str" || tag.is_empty()) && style == 0 && yaml11_non_string(&s.value))
}

/// [`Arena::is_nil_or_empty`] of a loaded node.
pub(crate) fn node_nil_or_empty(n: &Node) -> bool {
    match n {
        // `go_view(s).0 == "!!null"`, without typing other texts.
        Node::Scalar(s) => match s.tag.as_deref() {
            Some(t) if t != "!" => t == "!!null",
            _ => {
                s.style == Style::Plain
                    && matches!(s.value.as_str(), "" | "~" | "null" | "Null" | "NULL")
            }
        },
        Node::Seq(v) => v.is_empty(),
        Node::Map(m) => m.is_empty(),
    }
}

/// go-yaml v3's (Tag, Style) for a loaded scalar.
fn go_view(s: &Scalar) -> (&str, u8) {
    match s.tag.as_deref() {
        Some(t) if t != "!" => (t, TAGGED | style_bits(s.style)),
        _ if s.style != Style::Plain => ("!!str", style_bits(s.style)),
        // Untagged (or `!`) and plain: `resolve` types it as a plain scalar.
        _ => (plain_tag(&s.value, || value_tag(&resolve::resolve(s))), 0),
    }
}

/// Key equality, deciding on the lengths and the first bytes before comparing the rest (keys
/// are looked up one entry after another).
#[inline]
pub(crate) fn key_eq(a: &str, b: &str) -> bool {
    a.len() == b.len() && (a.as_bytes().first() == b.as_bytes().first() && a == b)
}

/// How to turn a loaded node into the export of an arena node: [`Arena::plan`].
pub(crate) enum Plan {
    /// The node is unchanged.
    Keep,
    Replace(Node),
    /// A mapping whose entries are old ones (by index, each with its own plan) or new ones.
    Map(Rebuild<Entry>),
    Seq(Rebuild<Node>),
}

/// The items of a mapping or sequence plan.
pub(crate) enum Rebuild<T> {
    /// Every item.
    Dense(Vec<Item<T>>),
    /// The first `len` old items in their places, those in `edits` turned by their plan (the
    /// others unchanged), then the `added` ones.
    Sparse {
        len: usize,
        edits: Vec<(usize, Plan)>,
        added: Vec<T>,
    },
}

impl<T> Rebuild<T> {
    /// The items one by one.
    fn into_dense(self) -> Vec<Item<T>> {
        match self {
            Rebuild::Dense(v) => v,
            Rebuild::Sparse { len, edits, added } => dense_items(len, edits, added, 0),
        }
    }
}

/// [`Rebuild::Sparse`] as items (with room for `extra` more).
fn dense_items<T>(
    len: usize,
    edits: Vec<(usize, Plan)>,
    added: Vec<T>,
    extra: usize,
) -> Vec<Item<T>> {
    let mut v = Vec::with_capacity(len + added.len() + extra);
    let mut edits = edits.into_iter().peekable();
    for k in 0..len {
        let p = match edits.next_if(|(i, _)| *i == k) {
            Some((_, p)) => p,
            None => Plan::Keep,
        };
        v.push(Item::Old(k, p));
    }
    v.extend(added.into_iter().map(Item::New));
    v
}

pub(crate) enum Item<T> {
    Old(usize, Plan),
    New(T),
}

fn entry_placeholder() -> Entry {
    Entry {
        key: String::new(),
        value: node_placeholder(),
        pos: Pos::default(),
        comment: None,
    }
}

fn node_placeholder() -> Node {
    Node::Seq(Vec::new())
}

impl Plan {
    /// Turns `old` (the node the plan was made for) into the export.
    pub fn apply(self, old: &mut Node) {
        match (self, old) {
            (Plan::Keep, _) => {}
            (Plan::Replace(n), old) => *old = n,
            (Plan::Map(items), Node::Map(m)) => {
                apply_items(&mut m.entries, items, |e| &mut e.value, entry_placeholder)
            }
            (Plan::Seq(items), Node::Seq(v)) => apply_items(v, items, |n| n, node_placeholder),
            // Plans are only applied to the node they were made for.
            _ => debug_assert!(false, "plan applied to another node"),
        }
    }

    /// The export, reading (cloning) the old parts from `old`.
    fn materialize(self, old: &Node) -> Node {
        match (self, old) {
            (Plan::Keep, old) => old.clone(),
            (Plan::Replace(n), _) => n,
            (Plan::Map(items), Node::Map(m)) => Node::Map(Mapping {
                entries: items
                    .into_dense()
                    .into_iter()
                    .map(|it| match it {
                        Item::Old(k, p) => {
                            let e = &m.entries[k];
                            Entry {
                                key: e.key.clone(),
                                value: p.materialize(&e.value),
                                pos: e.pos,
                                comment: e.comment.clone(),
                            }
                        }
                        Item::New(e) => e,
                    })
                    .collect(),
            }),
            (Plan::Seq(items), Node::Seq(v)) => Node::Seq(
                items
                    .into_dense()
                    .into_iter()
                    .map(|it| match it {
                        Item::Old(k, p) => p.materialize(&v[k]),
                        Item::New(n) => n,
                    })
                    .collect(),
            ),
            _ => unreachable!("plan made for another node"),
        }
    }
}

/// Rebuilds `v` from the items: in place when the old items that stay keep their places
/// (new ones appended, a tail removed), else by moving the old items into a new vector.
fn apply_items<T>(
    v: &mut Vec<T>,
    items: Rebuild<T>,
    inner: fn(&mut T) -> &mut Node,
    placeholder: fn() -> T,
) {
    let items = match items {
        Rebuild::Dense(items) => items,
        Rebuild::Sparse { len, edits, added } => {
            v.truncate(len);
            for (k, p) in edits {
                p.apply(inner(&mut v[k]));
            }
            v.extend(added);
            return;
        }
    };
    let kept = items
        .iter()
        .enumerate()
        .take_while(|(i, it)| matches!(it, Item::Old(k, _) if k == i))
        .count();
    let in_place = kept <= v.len() && items[kept..].iter().all(|it| matches!(it, Item::New(_)));
    if in_place {
        v.truncate(kept);
        for (i, it) in items.into_iter().enumerate() {
            match it {
                Item::Old(_, p) => p.apply(inner(&mut v[i])),
                Item::New(x) => v.push(x),
            }
        }
        return;
    }
    let mut old = std::mem::take(v);
    let mut out = Vec::with_capacity(items.len());
    for it in items {
        match it {
            Item::Old(k, p) => {
                let mut x = std::mem::replace(&mut old[k], placeholder());
                p.apply(inner(&mut x));
                out.push(x);
            }
            Item::New(x) => out.push(x),
        }
    }
    *v = out;
}

/// The old indices a sequence plan has used (each old item moves once).
struct Used {
    small: u64,
    big: Vec<bool>,
}

impl Used {
    fn new(n: usize) -> Used {
        Used {
            small: 0,
            big: if n > 64 { vec![false; n] } else { Vec::new() },
        }
    }
    /// Marks `k` used; false when it already was.
    fn take(&mut self, k: usize) -> bool {
        if self.big.is_empty() {
            let bit = 1u64 << k;
            let free = self.small & bit == 0;
            self.small |= bit;
            free
        } else {
            !std::mem::replace(&mut self.big[k], true)
        }
    }
}

/// Collects plan items: sparsely (only the old items changed in place, and the new ones after
/// the old ones) while the old items keep their places, one by one once not.
struct Items<T> {
    dense: Option<Vec<Item<T>>>,
    /// While sparse: the old items changed in place.
    edits: Vec<(usize, Plan)>,
    /// While sparse: the new items after the old ones.
    added: Vec<T>,
    /// The number of items so far.
    n: usize,
}

impl<T> Items<T> {
    fn new() -> Self {
        Items {
            dense: None,
            edits: Vec::new(),
            added: Vec::new(),
            n: 0,
        }
    }
    /// Old item `k`, turned by `p`.
    fn push_old(&mut self, k: usize, p: Plan, cap: usize) {
        if self.dense.is_none() && self.added.is_empty() && k == self.n {
            self.n += 1;
            if !matches!(p, Plan::Keep) {
                self.edits.push((k, p));
            }
        } else {
            self.push(Item::Old(k, p), cap);
        }
    }
    fn push(&mut self, it: Item<T>, cap: usize) {
        if self.dense.is_none() {
            match it {
                Item::New(x) => {
                    self.n += 1;
                    self.added.push(x);
                    return;
                }
                Item::Old(k, p) if self.added.is_empty() && k == self.n => {
                    return self.push_old(k, p, cap);
                }
                it => {
                    let len = self.n - self.added.len();
                    let edits = std::mem::take(&mut self.edits);
                    let added = std::mem::take(&mut self.added);
                    let extra = cap.saturating_sub(self.n).max(1);
                    let mut v = dense_items(len, edits, added, extra);
                    v.push(it);
                    self.n += 1;
                    self.dense = Some(v);
                    return;
                }
            }
        }
        self.n += 1;
        if let Some(v) = &mut self.dense {
            v.push(it);
        }
    }
    /// The items, `None` when they are exactly the `old_len` old items unchanged.
    fn finish(self, old_len: usize) -> Option<Rebuild<T>> {
        match self.dense {
            Some(v) => Some(Rebuild::Dense(v)),
            None => {
                let len = self.n - self.added.len();
                if len == old_len && self.edits.is_empty() && self.added.is_empty() {
                    None
                } else {
                    Some(Rebuild::Sparse {
                        len,
                        edits: self.edits,
                        added: self.added,
                    })
                }
            }
        }
    }
}

/// The arena.
#[derive(Default)]
pub(crate) struct Arena<'a> {
    nodes: Vec<N<'a>>,
    /// The line comments kept on mapping entries ([`Entry::comment`]), by value node: kyaml
    /// reads schemas from them, and they travel with their node.
    comments: HashMap<Id, &'a Comment>,
    /// An empty vector for the next items of a sequence ([`Arena::set_seq`]).
    spare: Vec<Id>,
}

impl<'a> Arena<'a> {
    pub fn new() -> Self {
        Arena {
            nodes: Vec::with_capacity(128),
            comments: HashMap::new(),
            spare: Vec::new(),
        }
    }

    /// The kept comments, by the value node of their entry.
    pub fn comments(&self) -> impl Iterator<Item = (Id, &'a str)> + '_ {
        self.comments.iter().map(|(&id, c)| (id, &*c.0))
    }

    pub fn push(&mut self, body: Body<'a>) -> Id {
        self.nodes.push(N {
            body,
            keep: false,
            src: None,
        });
        self.nodes.len() - 1
    }

    /// A node standing for `node`, a non-empty mapping or sequence of the resource that the
    /// merge does not change at all (the walk would leave it and everything in it as it is):
    /// only its kind is known, and it exports as `node`. The walk must not look into it.
    pub fn push_opaque(&mut self, node: &'a Node) -> Id {
        let kind = match node {
            Node::Scalar(_) => Kind::Scalar,
            Node::Seq(_) => Kind::Seq,
            Node::Map(_) => Kind::Map,
        };
        debug_assert!(kind != Kind::Scalar && !node_nil_or_empty(node));
        self.nodes.push(N {
            body: Body::Opaque(kind),
            keep: false,
            src: Some(node),
        });
        self.nodes.len() - 1
    }

    /// Whether node `id` is an opaque node ([`Arena::push_opaque`]).
    pub fn is_opaque(&self, id: Id) -> bool {
        matches!(self.nodes[id].body, Body::Opaque(_))
    }

    /// [`Arena::import`] of a mapping whose entry values are brought in by `value`.
    pub fn import_map_by(
        &mut self,
        node: &'a Node,
        m: &'a Mapping,
        mut value: impl FnMut(&mut Self, &'a Entry) -> Id,
    ) -> Id {
        debug_assert!(matches!(node, Node::Map(x) if std::ptr::eq(x, m)));
        let mut v = Vec::with_capacity(m.entries.len());
        for (i, e) in m.entries.iter().enumerate() {
            let id = value(self, e);
            if let Some(c) = &e.comment {
                self.comments.insert(id, c);
            }
            v.push(Ent {
                key: &e.key,
                pos: e.pos,
                id,
                orig: u32::try_from(i).unwrap_or(NEW),
            });
        }
        self.nodes.push(N {
            body: Body::Map(v),
            keep: false,
            src: Some(node),
        });
        self.nodes.len() - 1
    }

    /// [`Arena::import`] of a sequence whose items are brought in by `item`.
    pub fn import_seq_by(
        &mut self,
        node: &'a Node,
        items: &'a [Node],
        mut item: impl FnMut(&mut Self, &'a Node) -> Id,
    ) -> Id {
        debug_assert!(matches!(node, Node::Seq(x) if std::ptr::eq(x.as_slice(), items)));
        let v = items.iter().map(|n| item(self, n)).collect();
        self.nodes.push(N {
            body: Body::Seq(v),
            keep: false,
            src: Some(node),
        });
        self.nodes.len() - 1
    }

    /// Brings a [`Node`] tree into the arena (borrowing its texts).
    pub fn import(&mut self, node: &'a Node) -> Id {
        match node {
            Node::Scalar(s) => {
                self.nodes.push(N {
                    body: Body::Scalar(GoScalar::from_scalar(s)),
                    keep: false,
                    src: Some(node),
                });
                self.nodes.len() - 1
            }
            Node::Seq(items) => self.import_seq_by(node, items, |a, n| a.import(n)),
            Node::Map(m) => self.import_map_by(node, m, |a, e| a.import(&e.value)),
        }
    }

    /// Builds a [`Node`] tree from the arena.
    pub fn export(&self, id: Id) -> Node {
        match self.nodes[id].src {
            // Unchanged parts are cloned from the loaded node.
            Some(src) => self.plan(id, src).materialize(src),
            None => self.build(id),
        }
    }

    /// [`Arena::export`] of the node itself (its descendants are exported).
    fn build(&self, id: Id) -> Node {
        match &self.nodes[id].body {
            Body::Scalar(s) => Node::Scalar(s.to_scalar()),
            Body::Seq(items) => Node::Seq(items.iter().map(|&i| self.export(i)).collect()),
            Body::Map(entries) => Node::Map(Mapping {
                entries: entries.iter().map(|e| self.export_entry(e)).collect(),
            }),
            Body::Opaque(_) => self.nodes[id].src.cloned().unwrap_or_else(node_placeholder),
        }
    }

    fn export_entry(&self, e: &Ent<'a>) -> Entry {
        Entry {
            key: e.key.to_string(),
            value: self.export(e.id),
            pos: e.pos,
            comment: self.comment(e.id).map(|c| Box::new(c.clone())),
        }
    }

    fn comment(&self, id: Id) -> Option<&'a Comment> {
        if self.comments.is_empty() {
            None
        } else {
            self.comments.get(&id).copied()
        }
    }

    /// How to turn `old` into the export of node `id` without rebuilding what did not change:
    /// [`Plan::Keep`] when they are equal.
    pub fn plan(&self, id: Id, old: &Node) -> Plan {
        let n = &self.nodes[id];
        match (&n.body, old) {
            (Body::Opaque(_), old) => match n.src {
                Some(s) if std::ptr::eq(s, old) => Plan::Keep,
                Some(s) => Plan::Replace(s.clone()),
                None => Plan::Replace(node_placeholder()),
            },
            (Body::Scalar(s), Node::Scalar(o)) => match s.unchanged() {
                Some(x) if std::ptr::eq(x, o) => Plan::Keep,
                _ => Plan::Replace(Node::Scalar(s.to_scalar())),
            },
            // Entries keep the index they had in the mapping the body was loaded from.
            (Body::Map(entries), Node::Map(om)) if n.src.is_some_and(|s| std::ptr::eq(s, old)) => {
                let mut items = Items::new();
                for e in entries {
                    let k = e.orig as usize;
                    match om.entries.get(k) {
                        Some(oe) if e.orig != NEW && self.same_entry(e, oe) => {
                            if self.kept_scalar(e.id, &oe.value) {
                                items.push_old(k, Plan::Keep, entries.len())
                            } else {
                                items.push_old(k, self.plan(e.id, &oe.value), entries.len())
                            }
                        }
                        _ => items.push(Item::New(self.export_entry(e)), entries.len()),
                    }
                }
                match items.finish(om.entries.len()) {
                    None => Plan::Keep,
                    Some(v) => Plan::Map(v),
                }
            }
            // Items are found by the loaded node they came from.
            (Body::Seq(ids), Node::Seq(ov)) => {
                let mut used = Used::new(ov.len());
                let mut items = Items::new();
                for (i, &c) in ids.iter().enumerate() {
                    match self.old_index(c, ov, i) {
                        Some(k) if used.take(k) => {
                            items.push_old(k, self.plan(c, &ov[k]), ids.len())
                        }
                        _ => items.push(Item::New(self.export(c)), ids.len()),
                    }
                }
                match items.finish(ov.len()) {
                    None => Plan::Keep,
                    Some(v) => Plan::Seq(v),
                }
            }
            _ => Plan::Replace(self.build(id)),
        }
    }

    /// Whether node `id` is the loaded scalar `old`, unchanged ([`Arena::plan`]'s shortcut).
    #[inline]
    fn kept_scalar(&self, id: Id, old: &Node) -> bool {
        match (&self.nodes[id].body, old) {
            (Body::Scalar(s), Node::Scalar(o)) => s.unchanged().is_some_and(|x| std::ptr::eq(x, o)),
            _ => false,
        }
    }

    /// Whether an arena entry still is the loaded entry `oe` (key, position and comment).
    fn same_entry(&self, e: &Ent<'a>, oe: &Entry) -> bool {
        (std::ptr::eq(e.key, oe.key.as_str()) || e.key == oe.key)
            && e.pos == oe.pos
            && match (self.comment(e.id), &oe.comment) {
                (None, None) => true,
                (Some(a), Some(b)) => a == &**b,
                _ => false,
            }
    }

    /// The index in `ov` of the loaded node that node `c` was imported from (`i` first).
    fn old_index(&self, c: Id, ov: &[Node], i: usize) -> Option<usize> {
        let src = self.nodes[c].src?;
        if ov.get(i).is_some_and(|o| std::ptr::eq(o, src)) {
            return Some(i);
        }
        ov.iter().position(|o| std::ptr::eq(o, src))
    }

    pub fn node(&self, id: Id) -> &N<'a> {
        &self.nodes[id]
    }

    pub fn node_mut(&mut self, id: Id) -> &mut N<'a> {
        &mut self.nodes[id]
    }

    pub fn kind(&self, id: Id) -> Kind {
        match self.nodes[id].body {
            Body::Scalar(_) => Kind::Scalar,
            Body::Seq(_) => Kind::Seq,
            Body::Map(_) => Kind::Map,
            Body::Opaque(k) => k,
        }
    }

    /// `yaml.Node.Value`: the text of a scalar, `""` for collections.
    pub fn value(&self, id: Id) -> &'a str {
        match &self.nodes[id].body {
            Body::Scalar(s) => s.value,
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
        match n {
            None => true,
            Some(id) => match &self.nodes[id].body {
                Body::Scalar(s) => s.tag == "!!null",
                Body::Map(m) => m.is_empty(),
                Body::Seq(_) | Body::Opaque(_) => false,
            },
        }
    }

    /// `RNode.IsNilOrEmpty`.
    pub fn is_nil_or_empty(&self, n: Option<Id>) -> bool {
        match n {
            None => true,
            Some(id) => match &self.nodes[id].body {
                Body::Scalar(s) => s.tag == "!!null",
                Body::Seq(v) => v.is_empty(),
                Body::Map(m) => m.is_empty(),
                // Opaque nodes are non-empty collections.
                Body::Opaque(_) => false,
            },
        }
    }

    /// `yaml.GetValue`.
    pub fn get_value(&self, n: Option<Id>) -> &'a str {
        match n {
            Some(id) if !self.tagged_null(id) => self.value(id),
            _ => "",
        }
    }

    /// The items of a sequence; none for a scalar or a mapping.
    pub fn items(&self, id: Id) -> &[Id] {
        debug_assert!(!self.is_opaque(id), "items of an opaque node");
        match &self.nodes[id].body {
            Body::Seq(v) => v,
            _ => &[],
        }
    }

    /// The entries of a mapping; none for a scalar or a sequence.
    pub fn entries(&self, id: Id) -> &[Ent<'a>] {
        debug_assert!(!self.is_opaque(id), "entries of an opaque node");
        match &self.nodes[id].body {
            Body::Map(m) => m,
            _ => &[],
        }
    }

    /// `len(node.Content)`.
    pub fn content_len(&self, id: Id) -> usize {
        match &self.nodes[id].body {
            Body::Seq(v) => v.len(),
            Body::Map(m) => 2 * m.len(),
            Body::Scalar(_) => 0,
            Body::Opaque(_) => match self.nodes[id].src {
                Some(Node::Seq(v)) => v.len(),
                Some(Node::Map(m)) => 2 * m.entries.len(),
                _ => 0,
            },
        }
    }

    pub fn set_seq(&mut self, id: Id, items: Vec<Id>) {
        match &mut self.nodes[id].body {
            // The old items' vector is kept for the next [`Arena::element_setter`].
            Body::Seq(v) => {
                let mut old = std::mem::replace(v, items);
                old.clear();
                self.spare = old;
            }
            body => *body = Body::Seq(items),
        }
    }

    /// `RNode.Field(name).Value`: the first entry with that key, for mappings.
    pub fn field(&self, id: Id, name: &str) -> Option<Id> {
        debug_assert!(!self.is_opaque(id), "field of an opaque node");
        match &self.nodes[id].body {
            Body::Map(m) => m.iter().find(|e| key_eq(e.key, name)).map(|e| e.id),
            _ => None,
        }
    }

    /// kyaml's `InvalidNodeKindError`.
    #[cold]
    #[inline(never)]
    pub fn kind_error(&self, id: Id, expected: Kind) -> crate::error::Error {
        err!(
            Transform,
            "wrong node kind: expected {} but got {}: node contents:\n{}",
            expected.go_name(),
            self.kind(id).go_name(),
            crate::yaml::to_string(&self.export(id))
        )
    }

    /// Whether [`Arena::check_kind`] would pass (without building its error).
    pub fn kind_ok(&self, id: Id, expected: Kind) -> bool {
        self.tagged_null(id) || self.kind(id) == expected
    }

    /// `yaml.ErrorIfInvalid`.
    #[inline]
    pub fn check_kind(&self, n: Option<Id>, expected: Kind) -> Result<()> {
        match n {
            Some(id) if !self.kind_ok(id, expected) => Err(self.kind_error(id, expected)),
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
            if let Some(e) = m.iter().find(|e| key_eq(e.key, name)) {
                if want.is_none_or(|w| self.value(e.id) == w) {
                    return Ok(Some(e.id));
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
            if let Some(i) = m.iter().position(|e| key_eq(e.key, name)) {
                m.remove(i);
            }
        }
        Ok(())
    }

    /// `FieldSetter{Name, Value}` on a mapping (`name` not empty).
    pub fn set_field(&mut self, rn: Id, name: &'a str, value: Option<Id>) -> Result<()> {
        let existing = self.field(rn, name);
        self.set_field_at(rn, name, value, existing)
    }

    /// [`Arena::set_field`] when the caller knows `existing`, the value of the first entry
    /// of `rn` with that key.
    pub fn set_field_at(
        &mut self,
        rn: Id,
        name: &'a str,
        value: Option<Id>,
        existing: Option<Id>,
    ) -> Result<()> {
        debug_assert!(name.is_empty() || existing == self.field(rn, name));
        let Some(v) = value.filter(|&v| !self.tagged_null(v) || self.nodes[v].keep) else {
            return self.clear_field(rn, name);
        };
        self.quote_for_yaml11(v);
        // `FieldMatcher{Name}` (an empty name matches a scalar).
        let existing = if name.is_empty() {
            self.field_matcher(Some(rn), name, None)?
        } else if self.tagged_null(rn) {
            None
        } else {
            self.check_kind(Some(rn), Kind::Map)?;
            existing
        };
        match existing {
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
                    m.push(Ent {
                        key: name,
                        pos: Pos::default(),
                        id: v,
                        orig: NEW,
                    });
                }
            }
        }
        Ok(())
    }

    /// What `FieldSetter` does to a scalar value: a string without style that YAML 1.1 reads
    /// as something else gets double quotes.
    pub fn quote_for_yaml11(&mut self, v: Id) {
        if let Body::Scalar(s) = &mut self.nodes[v].body {
            if (s.tag == "!!str" || s.tag.is_empty()) && s.style == 0 && yaml11_non_string(s.value)
            {
                s.style = DOUBLE;
                s.touch();
            }
        }
    }

    /// `FieldSetter{Name: "", Value: NewScalarRNode(value)}` on a scalar: the node becomes an
    /// untagged scalar with that text, keeping its style.
    pub fn set_scalar_in_place(&mut self, rn: Id, value: &'a str) -> Result<()> {
        self.check_kind(Some(rn), Kind::Scalar)?;
        if let Body::Scalar(s) = &mut self.nodes[rn].body {
            s.value = value;
            s.tag = "";
            s.touch();
        }
        Ok(())
    }

    /// `ElementMatcher{Keys, Values}.Filter` (`MatchElementList`): the first mapping whose
    /// fields `keys[i]` have the text `values[i]`; with an empty first key, the first item
    /// whose text is `values[0]`.
    pub fn element_matcher(&self, rn: Id, keys: &[&str], values: &[&str]) -> Result<Option<Id>> {
        let keys = if keys.is_empty() { &[""][..] } else { keys };
        let values = if values.is_empty() { &[""][..] } else { values };
        self.check_kind(Some(rn), Kind::Seq)?;
        let items = self.items(rn);
        if keys[0].is_empty() {
            return Ok(items.iter().copied().find(|&i| self.value(i) == values[0]));
        }
        for &elem in items {
            if !self.kind_ok(elem, Kind::Map) {
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
        for &elem in self.items(rn) {
            if !self.kind_ok(elem, Kind::Map) {
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
        keys: &[&str],
        values: &[&str],
    ) -> Result<Option<Id>> {
        let keys = if keys.is_empty() { &[""][..] } else { keys };
        self.check_kind(Some(rn), Kind::Seq)?;
        let mapping_setter = !keys[0].is_empty() && !values.is_empty() && !values[0].is_empty();
        let mut new_content = std::mem::take(&mut self.spare);
        let items = self.items(rn);
        new_content.reserve(items.len() + 1);
        let mut found_any = false;
        for &elem in items {
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
                    val = self.field_matcher_sv(elem, key, values[j])?;
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
    pub fn type_meta(&self, id: Id) -> (&'a str, &'a str) {
        let get = |name: &str| match self.field(id, name) {
            Some(v) if !self.is_nil_or_empty(Some(v)) => self.get_value(Some(v)),
            _ => "",
        };
        (get("apiVersion"), get("kind"))
    }
}

#[cfg(test)]
mod fast_path_tests {
    use super::*;

    /// Plans collected by [`Items`] (sparse while old items keep their places) apply and
    /// materialize as the items pushed say, on varied sequences of old (kept, replaced, moved)
    /// and new items.
    #[test]
    fn collected_plans_apply_as_their_items() {
        let old: Vec<Node> = (0..6).map(|i| Node::plain(format!("o{i}").as_str())).collect();
        let mut seed: u64 = 0x9E3779B97F4A7C15;
        let (mut sparse_seen, mut dense_seen) = (0, 0);
        for _ in 0..3000 {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let mut x = seed;
            let n = (x % 9) as usize;
            let mut items = Items::new();
            // What the items say the result is.
            let mut want: Vec<Node> = Vec::new();
            let mut used = [false; 6];
            let mut next_old = 0;
            for j in 0..n {
                x = x.rotate_left(13) ^ (j as u64 + 1).wrapping_mul(0x2545F4914F6CDD1D);
                let moved = (x >> 8) as usize % old.len();
                let it = match x % 5 {
                    // Mostly the next old item, kept or replaced.
                    0 | 1 if next_old < old.len() && !used[next_old] => {
                        Item::Old(next_old, Plan::Keep)
                    }
                    2 if next_old < old.len() && !used[next_old] => {
                        Item::Old(next_old, Plan::Replace(Node::plain(format!("r{j}").as_str())))
                    }
                    3 if !used[moved] => Item::Old(moved, Plan::Keep),
                    _ => Item::New(Node::plain(format!("n{j}").as_str())),
                };
                match &it {
                    Item::Old(k, p) => {
                        used[*k] = true;
                        next_old = k + 1;
                        want.push(match p {
                            Plan::Replace(r) => r.clone(),
                            _ => old[*k].clone(),
                        });
                    }
                    Item::New(v) => want.push(v.clone()),
                }
                match it {
                    Item::Old(k, p) if x % 2 == 0 => items.push_old(k, p, n),
                    it => items.push(it, n),
                }
            }
            let Some(rebuild) = items.finish(old.len()) else {
                assert_eq!(want, old);
                continue;
            };
            match &rebuild {
                Rebuild::Sparse { .. } => sparse_seen += 1,
                Rebuild::Dense(_) => dense_seen += 1,
            }
            let want = Node::Seq(want);
            let made = Plan::Seq(clone_rebuild(&rebuild)).materialize(&Node::Seq(old.clone()));
            assert_eq!(made, want);
            let mut applied = Node::Seq(old.clone());
            Plan::Seq(rebuild).apply(&mut applied);
            assert_eq!(applied, want);
        }
        assert!(sparse_seen > 100 && dense_seen > 100, "{sparse_seen} {dense_seen}");
    }

    fn clone_plan(p: &Plan) -> Plan {
        match p {
            Plan::Keep => Plan::Keep,
            Plan::Replace(n) => Plan::Replace(n.clone()),
            _ => unreachable!("only flat plans in this test"),
        }
    }

    fn clone_rebuild(r: &Rebuild<Node>) -> Rebuild<Node> {
        match r {
            Rebuild::Dense(v) => Rebuild::Dense(
                v.iter()
                    .map(|it| match it {
                        Item::Old(k, p) => Item::Old(*k, clone_plan(p)),
                        Item::New(n) => Item::New(n.clone()),
                    })
                    .collect(),
            ),
            Rebuild::Sparse { len, edits, added } => Rebuild::Sparse {
                len: *len,
                edits: edits.iter().map(|(k, p)| (*k, clone_plan(p))).collect(),
                added: added.clone(),
            },
        }
    }

    /// Texts to type: hand-picked edge cases, then pseudo-random texts over an alphabet of
    /// the bytes numbers, timestamps and units are made of.
    fn texts() -> Vec<String> {
        let mut v: Vec<String> = [
            "",
            "~",
            "null",
            "Null",
            "NULL",
            "true",
            "yes",
            "on",
            "y",
            "n",
            "no",
            "off",
            "<<",
            "100m",
            "128Mi",
            "1Gi",
            "1.5Gi",
            "1.0.0",
            "8080",
            "0123",
            "089",
            "0x1F",
            "0xZZ",
            "0o17",
            "0b101",
            "-0b1",
            "1e3",
            "1E-3",
            "1_000",
            "1:20",
            "1:20:30.5",
            "12:30:45",
            "2001-12-14",
            "2001-12-14T21:59:43.10-05:00",
            "2001-12-14t21:59:43Z",
            "2001-12-14 21:59:43.10",
            "2024-02-30",
            "1,000",
            "1 000",
            "3a",
            "3abc",
            "3z",
            "3Z",
            "9999999999999999999999",
            "-1",
            "+1",
            ".5",
            ".inf",
            "-.inf",
            "10.0.0.1",
            "192.168.1.1/24",
            "1h30m",
            "5s",
            "60:00",
            "0",
            "00",
            "1.",
            "1.e5",
            "0x",
            "0o",
            "app",
            "main",
            "registry.example.com/team/app0000:1.0.0",
            "1\n2",
            "abc",
            "zzz",
            "Yes",
            "YES",
            "On",
            "onion",
            "nope",
            "No",
            "<a",
            "~x",
            "fast",
            "Off",
            "/path",
            "_x",
            "@x",
            "True",
            "FALSE",
            "Null",
            "NULL",
            "y\n",
            ".nan",
            "+.inf",
            "=",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let alphabet = b"0123456789mMeE.:-_+xXzZtT ,iGkabf/oOB";
        let mut seed: u64 = 0x2545F4914F6CDD1D;
        for _ in 0..20000 {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let len = 1 + (seed >> 60) as usize % 8;
            let mut t = String::new();
            let mut x = seed;
            for i in 0..len {
                // Mostly digits, so that numbers and timestamps come up.
                let pick = if i == 0 || x % 3 != 0 {
                    (x >> 8) % 10
                } else {
                    (x >> 8) % alphabet.len() as u64
                };
                t.push(alphabet[pick as usize] as char);
                x = x.rotate_left(7) ^ (x >> 3) ^ (i as u64 + 1).wrapping_mul(0x9E3779B97F4A7C15);
            }
            v.push(t);
        }
        v
    }

    /// [`scalar_kept`] without its shortcuts.
    fn scalar_kept_slow(s: &Scalar) -> bool {
        let (tag, style) = match s.tag.as_deref() {
            Some(t) if t != "!" => (t, TAGGED | style_bits(s.style)),
            _ if s.style != Style::Plain => ("!!str", style_bits(s.style)),
            _ if s.value == "<<" => ("!!merge", 0),
            _ => (value_tag(&resolve::resolve(s)), 0),
        };
        let non_string = !s.value.is_empty()
            && !s.value.contains('\n')
            && !resolve::v2_plain_is_string(&s.value);
        tag != "!!null" && !((tag == "!!str" || tag.is_empty()) && style == 0 && non_string)
    }

    #[test]
    fn shortcuts_agree_with_resolve() {
        for t in texts() {
            let plain = Scalar::plain(t.as_str());
            if t != "<<" {
                assert_eq!(
                    resolve_tag(&t),
                    value_tag(&resolve::resolve(&plain)),
                    "tag of {t:?}"
                );
            }
            let slow_v2 = !t.is_empty() && !t.contains('\n') && !resolve::v2_plain_is_string(&t);
            let first_special = t
                .as_bytes()
                .first()
                .is_some_and(|&b| yaml11_special_first(b));
            if first_special {
                assert_eq!(yaml11_non_string(&t), slow_v2, "yaml 1.1 typing of {t:?}");
            }
            assert_eq!(scalar_kept(&plain), scalar_kept_slow(&plain), "kept {t:?}");
            for n in [
                Scalar::plain(t.as_str()),
                Scalar {
                    value: t.clone(),
                    style: Style::SingleQuoted,
                    tag: None,
                },
            ] {
                assert_eq!(
                    node_nil_or_empty(&Node::Scalar(n.clone())),
                    go_view(&n).0 == "!!null",
                    "null {t:?}"
                );
            }
            let quoted = Scalar {
                value: t.clone(),
                style: Style::DoubleQuoted,
                tag: None,
            };
            assert_eq!(
                scalar_kept(&quoted),
                scalar_kept_slow(&quoted),
                "kept quoted {t:?}"
            );
            let tagged = Scalar {
                value: t.clone(),
                style: Style::Plain,
                tag: Some("!!str".into()),
            };
            assert_eq!(
                scalar_kept(&tagged),
                scalar_kept_slow(&tagged),
                "kept tagged {t:?}"
            );
        }
    }
}
