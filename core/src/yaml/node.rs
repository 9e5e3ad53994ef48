//! The YAML node model: what the loader produces, transformers edit, and the emitter writes.
//!
//! Scalars keep their source text, style and explicit tag, as go-yaml v3's `yaml.Node` does;
//! their type (int, bool, ...) is resolved on demand with go-yaml v3's rules
//! ([`crate::yaml::resolve`]). Mappings keep insertion order (the emitter sorts keys).

use std::fmt;

/// Where a node or key starts in its source file (1-based line and column; 0 = unknown).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Pos {
    pub line: u32,
    pub col: u32,
}

/// How a scalar was written in the source.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum Style {
    #[default]
    Plain,
    SingleQuoted,
    DoubleQuoted,
    Literal,
    Folded,
}

/// A scalar: its text, how it was written, and its explicit tag if any (`!!str`, `!!int`, `!foo`).
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Scalar {
    pub value: String,
    pub style: Style,
    /// Explicit tag in short form (`!!str`), `None` when untagged.
    pub tag: Option<Box<str>>,
}

impl Scalar {
    pub fn plain(value: impl Into<String>) -> Self {
        Scalar { value: value.into(), style: Style::Plain, tag: None }
    }
    /// A scalar that always reads back as a string (kyaml writes such scalars with a `!!str` tag
    /// when a plain one would resolve to another type).
    pub fn string(value: impl Into<String>) -> Self {
        let value = value.into();
        let mut s = Scalar::plain(value);
        if !crate::yaml::resolve::is_plain_string(&s.value) {
            s.style = Style::DoubleQuoted;
        }
        s
    }
    /// True when this scalar reads as a string (tagged `!!str`, quoted, block, or a plain
    /// scalar that resolves to a string).
    pub fn is_string(&self) -> bool {
        match self.tag.as_deref() {
            Some("!!str") => true,
            Some(t) if t.starts_with("!!") => false,
            _ => self.style != Style::Plain || crate::yaml::resolve::is_plain_string(&self.value),
        }
    }
    /// True for `null`, `~`, empty plain scalars (untagged or tagged `!!null`).
    pub fn is_null(&self) -> bool {
        match self.tag.as_deref() {
            Some("!!null") => true,
            None | Some("!") if self.style == Style::Plain => {
                matches!(self.value.as_str(), "" | "~" | "null" | "Null" | "NULL")
            }
            _ => false,
        }
    }
}

/// A mapping entry: key text, value, and where the key was written.
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    pub key: String,
    pub value: Node,
    pub pos: Pos,
    /// The comment written at the end of the key's line (`key: # {...}`, `key: value # {...}`),
    /// kept by the loader only when it may hold an OpenAPI schema (its text after the `#`s
    /// starts with `{`): kyaml reads such comments as the schema of the field during a
    /// strategic merge (see `crate::patch::strategic_merge`). `None` for every other entry
    /// and for entries built in code; never written out by the emitter.
    pub comment: Option<Box<Comment>>,
}

/// A line comment kept on an [`Entry`]: the text from the `#` to the end of the line (boxed
/// on the entry, so that entries without one pay a single null pointer).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Comment(pub Box<str>);

impl Entry {
    /// An entry without a comment.
    pub fn new(key: impl Into<String>, value: Node, pos: Pos) -> Self {
        Entry { key: key.into(), value, pos, comment: None }
    }
    /// The kept line comment, `#` included.
    pub fn comment(&self) -> Option<&str> {
        self.comment.as_deref().map(|c| &*c.0)
    }
}

/// A mapping: entries in source (or insertion) order.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Mapping {
    pub entries: Vec<Entry>,
}

/// A YAML node.
#[derive(Clone, Debug, PartialEq)]
pub enum Node {
    Scalar(Scalar),
    Seq(Vec<Node>),
    Map(Mapping),
}

impl Default for Node {
    fn default() -> Self {
        Node::null()
    }
}

impl Mapping {
    pub fn new() -> Self {
        Mapping { entries: Vec::new() }
    }
    pub fn len(&self) -> usize {
        self.entries.len()
    }
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entries.iter().find(|e| e.key == key).map(|e| &e.value)
    }
    pub fn get_mut(&mut self, key: &str) -> Option<&mut Node> {
        self.entries.iter_mut().find(|e| e.key == key).map(|e| &mut e.value)
    }
    pub fn entry(&self, key: &str) -> Option<&Entry> {
        self.entries.iter().find(|e| e.key == key)
    }
    pub fn contains_key(&self, key: &str) -> bool {
        self.entries.iter().any(|e| e.key == key)
    }
    /// Sets `key` to `value`, keeping the entry's place when it exists, appending otherwise.
    pub fn insert(&mut self, key: impl Into<String>, value: Node) {
        let key = key.into();
        if let Some(e) = self.entries.iter_mut().find(|e| e.key == key) {
            e.value = value;
        } else {
            self.entries.push(Entry::new(key, value, Pos::default()));
        }
    }
    pub fn remove(&mut self, key: &str) -> Option<Node> {
        let i = self.entries.iter().position(|e| e.key == key)?;
        Some(self.entries.remove(i).value)
    }
    /// The value at `key`, created (as an empty mapping) when missing or null.
    pub fn get_or_insert_map(&mut self, key: &str) -> &mut Mapping {
        let i = match self.entries.iter().position(|e| e.key == key) {
            Some(i) => i,
            None => {
                self.entries.push(Entry::new(key, Node::Map(Mapping::new()), Pos::default()));
                self.entries.len() - 1
            }
        };
        let v = &mut self.entries[i].value;
        if !matches!(v, Node::Map(_)) {
            *v = Node::Map(Mapping::new());
        }
        match v {
            Node::Map(m) => m,
            _ => unreachable!("just made a mapping"),
        }
    }
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Node)> {
        self.entries.iter().map(|e| (e.key.as_str(), &e.value))
    }
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.entries.iter().map(|e| e.key.as_str())
    }
}

impl Node {
    pub fn null() -> Node {
        Node::Scalar(Scalar { value: "null".into(), style: Style::Plain, tag: None })
    }
    pub fn map() -> Node {
        Node::Map(Mapping::new())
    }
    /// A plain scalar (typed by the resolver when emitted).
    pub fn plain(s: impl Into<String>) -> Node {
        Node::Scalar(Scalar::plain(s))
    }
    /// A scalar that stays a string when emitted.
    pub fn string(s: impl Into<String>) -> Node {
        Node::Scalar(Scalar::string(s))
    }
    pub fn as_map(&self) -> Option<&Mapping> {
        match self {
            Node::Map(m) => Some(m),
            _ => None,
        }
    }
    pub fn as_map_mut(&mut self) -> Option<&mut Mapping> {
        match self {
            Node::Map(m) => Some(m),
            _ => None,
        }
    }
    pub fn as_seq(&self) -> Option<&Vec<Node>> {
        match self {
            Node::Seq(s) => Some(s),
            _ => None,
        }
    }
    pub fn as_seq_mut(&mut self) -> Option<&mut Vec<Node>> {
        match self {
            Node::Seq(s) => Some(s),
            _ => None,
        }
    }
    pub fn as_scalar(&self) -> Option<&Scalar> {
        match self {
            Node::Scalar(s) => Some(s),
            _ => None,
        }
    }
    /// The text of a scalar node (any type), `None` for collections.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Node::Scalar(s) => Some(&s.value),
            _ => None,
        }
    }
    pub fn is_null(&self) -> bool {
        matches!(self, Node::Scalar(s) if s.is_null())
    }
    /// Looks up a mapping key.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.as_map()?.get(key)
    }
    pub fn get_mut(&mut self, key: &str) -> Option<&mut Node> {
        self.as_map_mut()?.get_mut(key)
    }
    /// Follows a path of mapping keys.
    pub fn get_path(&self, path: &[&str]) -> Option<&Node> {
        let mut n = self;
        for k in path {
            n = n.get(k)?;
        }
        Some(n)
    }
    /// The scalar text at a path of mapping keys.
    pub fn str_at(&self, path: &[&str]) -> Option<&str> {
        self.get_path(path)?.as_str()
    }
    pub fn kind_name(&self) -> &'static str {
        match self {
            Node::Scalar(_) => "scalar",
            Node::Seq(_) => "sequence",
            Node::Map(_) => "mapping",
        }
    }
}

impl fmt::Display for Node {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&crate::yaml::emit::to_string(self))
    }
}
