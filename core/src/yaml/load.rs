//! Loader: YAML text to [`Node`]s.
//!
//! Most texts are read by a fast path (`yaml/fast.rs`: plain block YAML, read line by line
//! straight into [`Node`]s); it gives up on anything outside its subset, and then (or with
//! [`load_documents_event_parser`]) the event parser reads the text as described below, with
//! the same result.
//!
//! Events come from `saphyr-parser`; this module turns them into [`Node`]s without typing
//! anything: scalars keep their source text, [`Style`] and explicit tag (in short form, `!!str`),
//! and the typing happens later ([`crate::yaml::resolve`]).
//!
//! Kustomize reads YAML in two different ways, and the loader can mimic both
//! ([`LoadOptions`]):
//!
//! * Resources, patches and generator/transformer configs go through kyaml's `kio.ByteReader`
//!   ([`LoadOptions::resources`], the default of [`load_documents`]):
//!   - the text (with `\r\n` turned into `\n`) is cut at every line that starts with `---`
//!     (a separator followed by anything but a comment is an error, `invalid document
//!     separator: --- x`), and only the *first* document of each piece is read (what follows
//!     a `...` is ignored, even if malformed);
//!   - empty and null documents (`~`, `null`) are dropped;
//!   - aliases are expanded, and merge keys are resolved the way kyaml's `DeAnchor` does: one
//!     merge key per mapping (else `duplicate merge key`); its value is a mapping, an alias of
//!     a mapping or a sequence of those (earlier ones win); the mapping's own keys always win;
//!     the first key whose text is `<<` is dropped even when quoted (`"<<": x` disappears
//!     without merging anything);
//!   - a duplicate key is an error (`mapping key "a" already defined at line 6`), found in
//!     document order as go-yaml v3 does; a null key (`null: x`, `~: x`) is one too, because
//!     kyaml's merge step duplicates such keys.
//! * `kustomization.yaml` files go through `sigs.k8s.io/yaml`, that is go-yaml v2
//!   ([`LoadOptions::kustomization`]): only the first document of the stream is read (the rest
//!   is not even parsed), a duplicate key silently replaces the earlier value, and merge keys
//!   follow go-yaml v2 (a merge overrides keys written before it, keys after it override it).
//!
//! Comments are dropped, but for one kind: a comment ending the line of a mapping key
//! (`key: # {...}`, `key: value # {...}`) whose text after the `#`s starts with `{` is kept on
//! its entry ([`Entry::comment()`]), because kyaml reads such comments as the OpenAPI schema of
//! the field during strategic merges. Texts without both a `#` and a `{` skip the search.
//!
//! Limits: nesting deeper than [`LoadOptions::max_depth`] is an error (the parser itself is
//! iterative, and so is this loader), and so is alias expansion past
//! [`LoadOptions::max_alias_nodes`] nodes or past the byte budget (alias bombs fail fast).

use std::borrow::Cow;
use std::collections::HashMap;

use saphyr_parser::{Event, Parser, ScalarStyle, ScanError, Span, StrInput, Tag};

use super::node::{Comment, Entry, Mapping, Node, Pos, Scalar, Style};
use crate::error::{err, Error, Result};

/// Default nesting limit (collections inside collections).
pub const DEFAULT_MAX_DEPTH: usize = 1000;
/// Default limit on the nodes created by expanding aliases, per load.
pub const DEFAULT_MAX_ALIAS_NODES: usize = 1_000_000;
/// Default floor of the byte budget for alias expansion; the budget is the larger of this and
/// 100 times the input size.
pub const DEFAULT_MAX_ALIAS_BYTES: usize = 16 << 20;

/// How the text is cut into documents.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Split {
    /// kyaml's `ByteReader`: cut at lines starting with `---`, read the first document of
    /// each piece.
    Kyaml,
    /// A plain YAML stream: every document is read.
    Stream,
    /// Only the first document of the stream is read; the rest is not parsed.
    FirstDocument,
}

/// What happens to merge keys (`<<`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MergeKeys {
    /// kyaml's `DeAnchor` (resources).
    Kyaml,
    /// go-yaml v2 (`sigs.k8s.io/yaml`, kustomization files).
    YamlV2,
    /// No merging: `<<` is an ordinary key.
    Literal,
}

/// What happens to a key written twice in a mapping.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DuplicateKeys {
    /// An error, as go-yaml v3 reports it (`mapping key "a" already defined at line 3`).
    Error,
    /// The last value wins (go-yaml v2 decoding into a map); the entry keeps its first place.
    LastWins,
}

/// How to load YAML text. See the module documentation for the two presets.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoadOptions {
    pub split: Split,
    pub merge_keys: MergeKeys,
    pub duplicate_keys: DuplicateKeys,
    /// Drop documents that are a null scalar (`null`, `~`, `!!null`), as kyaml does.
    /// Empty documents are always dropped.
    pub drop_null_documents: bool,
    /// Maximum nesting of collections.
    pub max_depth: usize,
    /// Maximum number of nodes created by alias expansion.
    pub max_alias_nodes: usize,
    /// Floor of the byte budget (scalar and key text) of alias expansion; the budget is
    /// `max(max_alias_bytes, 100 * input length)`.
    pub max_alias_bytes: usize,
}

impl LoadOptions {
    /// How kustomize reads resources (kyaml `kio.ByteReader` with `AnchorsAweigh`).
    pub fn resources() -> Self {
        LoadOptions {
            split: Split::Kyaml,
            merge_keys: MergeKeys::Kyaml,
            duplicate_keys: DuplicateKeys::Error,
            drop_null_documents: true,
            max_depth: DEFAULT_MAX_DEPTH,
            max_alias_nodes: DEFAULT_MAX_ALIAS_NODES,
            max_alias_bytes: DEFAULT_MAX_ALIAS_BYTES,
        }
    }

    /// How kustomize reads a kustomization file (`sigs.k8s.io/yaml`, go-yaml v2).
    pub fn kustomization() -> Self {
        LoadOptions {
            split: Split::FirstDocument,
            merge_keys: MergeKeys::YamlV2,
            duplicate_keys: DuplicateKeys::LastWins,
            drop_null_documents: false,
            ..LoadOptions::resources()
        }
    }

    /// A plain YAML stream: every document, go-yaml v3 duplicate-key errors, no merging.
    pub fn stream() -> Self {
        LoadOptions {
            split: Split::Stream,
            merge_keys: MergeKeys::Literal,
            duplicate_keys: DuplicateKeys::Error,
            drop_null_documents: false,
            ..LoadOptions::resources()
        }
    }
}

impl Default for LoadOptions {
    fn default() -> Self {
        LoadOptions::resources()
    }
}

/// Parses a multi-document YAML stream the way kustomize reads resources
/// ([`LoadOptions::resources`]). Empty and null documents are dropped.
pub fn load_documents(src: &str) -> Result<Vec<Node>> {
    load_documents_with(src, &LoadOptions::resources())
}

/// Parses a stream that must hold at most one document (`None` for an empty stream), with
/// [`LoadOptions::resources`].
pub fn load_one(src: &str) -> Result<Option<Node>> {
    load_one_with(src, &LoadOptions::resources())
}

/// Like [`load_one`], with the given options.
pub fn load_one_with(src: &str, opts: &LoadOptions) -> Result<Option<Node>> {
    let mut docs = load_documents_with(src, opts)?;
    if docs.len() > 1 {
        return Err(err!(Yaml, "expected one YAML document, found {}", docs.len()));
    }
    Ok(docs.pop())
}

/// Parses YAML text into documents with the given options.
pub fn load_documents_with(src: &str, opts: &LoadOptions) -> Result<Vec<Node>> {
    let mut stats = FastStats::default();
    load_documents_impl(src, opts, Some(&mut stats))
}

/// What the fast path of the loader ([`super::fast`]) did; for tests and fuzzing.
#[doc(hidden)]
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FastStats {
    /// Texts (kyaml pieces) given to the fast path.
    pub pieces: usize,
    /// Texts it read.
    pub accepted: usize,
    /// Whether every text it read is read again by the event parser, and compared.
    pub check: bool,
    /// With `check`: the texts where the two paths differ, with both results.
    pub mismatches: Vec<String>,
}

/// [`load_documents_with`], and what the fast path did; with `check`, every text the fast path
/// reads is also read by the event parser and the results compared (see
/// [`FastStats::mismatches`]). For tests and fuzzing.
#[doc(hidden)]
pub fn load_documents_checked(src: &str, opts: &LoadOptions, check: bool) -> (Result<Vec<Node>>, FastStats) {
    let mut stats = FastStats { check, ..FastStats::default() };
    let r = load_documents_impl(src, opts, Some(&mut stats));
    (r, stats)
}

/// [`load_documents_with`] without the fast path (the event parser reads every text); for
/// tests and fuzzing, which check that both paths agree.
#[doc(hidden)]
pub fn load_documents_event_parser(src: &str, opts: &LoadOptions) -> Result<Vec<Node>> {
    load_documents_impl(src, opts, None)
}

/// `fast`: whether to try the fast path first, and its counts.
fn load_documents_impl(src: &str, opts: &LoadOptions, mut fast: Option<&mut FastStats>) -> Result<Vec<Node>> {
    let has_cr = check_printable(src)?;
    let mut budget = Budget {
        nodes: opts.max_alias_nodes,
        bytes: opts.max_alias_bytes.max(src.len().saturating_mul(100)),
    };
    let mut out = Vec::new();
    match opts.split {
        Split::Kyaml => {
            let text: Cow<'_, str> =
                if has_cr && src.contains("\r\n") { Cow::Owned(src.replace("\r\n", "\n")) } else { Cow::Borrowed(src) };
            for piece in kyaml_pieces(&text)? {
                load_piece(&piece.text, piece.line_offset, opts, &mut budget, true, fast.as_deref_mut(), &mut out)?;
            }
        }
        Split::Stream => load_piece(src, 0, opts, &mut budget, false, fast, &mut out)?,
        Split::FirstDocument => load_piece(src, 0, opts, &mut budget, true, fast, &mut out)?,
    }
    // Last, as kustomize finds duplicates only when it writes the resources out.
    if opts.duplicate_keys == DuplicateKeys::Error {
        for d in &out {
            check_duplicates(d)?;
        }
    }
    Ok(out)
}

/// go-yaml's reader refuses characters outside YAML's printable set (tab, line breaks, the
/// printable ASCII range, NEL and the rest of Unicode but surrogates, U+FFFE and U+FFFF);
/// saphyr only refuses NUL. Returns whether the text holds a `\r`.
fn check_printable(src: &str) -> Result<bool> {
    // Almost every text is printable ASCII, tabs and line breaks: checked without decoding, a
    // block at a time (no early exit inside a block, so that it vectorizes).
    let mut cr = false;
    let ascii = src.as_bytes().chunks(256).all(|block| {
        let (ok, r) = block.iter().fold((true, false), |(ok, r), &c| {
            (ok & ((c.wrapping_sub(0x20) < 0x5F) | (c == b'\n') | (c == b'\t') | (c == b'\r')), r | (c == b'\r'))
        });
        cr |= r;
        ok
    });
    if ascii {
        return Ok(cr);
    }
    let printable = |c: char| {
        matches!(c as u32, 0x09 | 0x0A | 0x0D | 0x20..=0x7E | 0x85 | 0xA0..=0xD7FF | 0xE000..=0xFFFD | 0x10000..=0x10FFFF)
    };
    let Some((at, _)) = src.char_indices().find(|&(_, c)| !printable(c)) else {
        return Ok(src.contains('\r'));
    };
    let before = &src[..at];
    let line = before.bytes().filter(|&b| b == b'\n').count() as u32 + 1;
    let col = before.rsplit('\n').next().unwrap_or("").chars().count() as u32 + 1;
    Err(err!(Yaml, "control characters are not allowed").with_pos(line, col))
}

/// How many times a text is patched (see [`Fix`]) before giving up.
const MAX_FIXES: usize = 1000;

/// Loads the documents of one text. Two things go-yaml (libyaml) accepts and saphyr rejects
/// are patched in the text and the text parsed again: a tab between a `:` and its value
/// (turned into a space: same columns), and a comment glued to the end of a quoted scalar or
/// a flow collection (`'x'#c`: a space is put before the `#`).
///
/// With `fast`, the fast path ([`super::fast`]) reads the text first when it can (it gives the
/// same documents as the event parser, or gives up).
fn load_piece(
    text: &str,
    line_offset: u32,
    opts: &LoadOptions,
    budget: &mut Budget,
    first_only: bool,
    fast: Option<&mut FastStats>,
    out: &mut Vec<Node>,
) -> Result<()> {
    // go-yaml (YAML 1.1) reads NEL (U+0085) as a line break, as saphyr (YAML 1.2) does not.
    let nel: Cow<'_, str> = if text.contains('\u{85}') { Cow::Owned(text.replace('\u{85}', "\n")) } else { Cow::Borrowed(text) };
    let text = &*nel;
    if let Some(stats) = fast {
        stats.pieces += 1;
        if let Some(mut docs) = super::fast::load(text, line_offset, opts, first_only) {
            stats.accepted += 1;
            if stats.check {
                let saved = (budget.nodes, budget.bytes);
                let mut slow = Vec::new();
                let r = load_piece(text, line_offset, opts, budget, first_only, None, &mut slow);
                (budget.nodes, budget.bytes) = saved;
                let same = matches!(&r, Ok(()) if slow == docs);
                if !same {
                    stats.mismatches.push(format!(
                        "text {:?} (line offset {}, first only {}, {:?}):\nfast path: {:?}\nevent parser: {:?} {:?}",
                        text, line_offset, first_only, opts, docs, r, slow
                    ));
                }
            }
            out.append(&mut docs);
            return Ok(());
        }
    }
    let mut patched: Option<String> = None;
    let mut fixes = 0;
    loop {
        let saved = (budget.nodes, budget.bytes);
        let cur = patched.as_deref().unwrap_or(text);
        let mut docs = Vec::new();
        let mut ld = Loader::new(cur, line_offset, opts, budget);
        let r = ld.load_stream(first_only, &mut docs);
        let fix = ld.fix.get();
        match (r, fix) {
            (Ok(()), _) => {
                out.append(&mut docs);
                return Ok(());
            }
            (Err(_), Some(fix)) if fixes < MAX_FIXES => {
                fixes += 1;
                budget.nodes = saved.0;
                budget.bytes = saved.1;
                let mut t = patched.take().unwrap_or_else(|| text.to_string());
                match fix {
                    Fix::TabsToSpaces(a, b) => t.replace_range(a..b, &" ".repeat(b - a)),
                    Fix::SpaceBefore(a) => t.insert(a, ' '),
                }
                patched = Some(t);
            }
            (Err(e), _) => return Err(e),
        }
    }
}

/// For a quoted scalar opening at byte `at` (column `col`): a space before the first of its
/// continuation lines indented less than the opening quote, or `None`.
fn quoted_continuation_fix(text: &str, at: usize, col: usize) -> Option<Fix> {
    let quote = *text.as_bytes().get(at)?;
    if quote != b'"' && quote != b'\'' {
        return None;
    }
    // The end of the scalar: the closing quote (`\x` escapes in double quotes, `''` in single).
    let bytes = text.as_bytes();
    let mut i = at + 1;
    let end = loop {
        match bytes.get(i)? {
            b'\\' if quote == b'"' => i += 2,
            b'\'' if quote == b'\'' && bytes.get(i + 1) == Some(&b'\'') => i += 2,
            &c if c == quote => break i,
            _ => i += 1,
        }
    };
    let mut start = at + text[at..end].find('\n')? + 1;
    while start <= end {
        let line_end = text[start..].find('\n').map_or(text.len(), |n| start + n);
        let line = &text[start..line_end];
        let indent = line.len() - line.trim_start_matches(' ').len();
        if !line.trim().is_empty() && indent < col {
            return Some(Fix::SpaceBefore(start));
        }
        start = line_end + 1;
    }
    None
}

/// A patch making saphyr accept what go-yaml accepts (byte ranges of the text).
#[derive(Clone, Copy, Debug)]
enum Fix {
    /// Only tabs and spaces in this range: make them all spaces.
    TabsToSpaces(usize, usize),
    /// Insert a space here.
    SpaceBefore(usize),
}

// ---------------------------------------------------------------------------------------------
// kyaml's document split

struct Piece<'a> {
    text: Cow<'a, str>,
    /// Lines before this piece in the whole text.
    line_offset: u32,
}

/// Cuts the text as kyaml's `splitDocuments` does: at every match of `\n---.*\n` (leftmost,
/// non-overlapping); the text after `---` on the separator line must be empty or a comment.
/// Every piece but the last gets its final newline back.
fn kyaml_pieces(s: &str) -> Result<Vec<Piece<'_>>> {
    let mut pieces = Vec::new();
    if s.is_empty() {
        return Ok(pieces);
    }
    let bytes = s.as_bytes();
    let mut prev = 0usize;
    let mut search = 0usize;
    let mut prev_line = 0u32;
    // Lines are counted incrementally (counting from the start each time is quadratic).
    let mut counted_to = 0usize;
    let mut counted_lines = 0u32;
    let mut lines_before = |pos: usize| -> u32 {
        counted_lines += count_lines(&bytes[counted_to..pos]);
        counted_to = pos;
        counted_lines
    };
    // Most texts hold no separator: a vectorized test first.
    let any = bytes.windows(4).fold(false, |any, w| any | ((w[0] == b'\n') & (w[1] == b'-') & (w[2] == b'-') & (w[3] == b'-')));
    if !any {
        pieces.push(Piece { text: Cow::Borrowed(s), line_offset: 0 });
        return Ok(pieces);
    }
    while let Some(rel) = s[search..].find("\n---") {
        let start = search + rel;
        let Some(nl_rel) = s[start + 4..].find('\n') else { break };
        let end = start + 4 + nl_rel + 1; // past the newline ending the separator line
        let rest = s[start + 4..end].trim();
        if !rest.is_empty() && !rest.starts_with('#') {
            let line = lines_before(start + 1) + 1;
            return Err(err!(Yaml, "invalid document separator: {}", s[start..end].trim()).with_pos(line, 1));
        }
        let mut text = String::with_capacity(start - prev + 1);
        text.push_str(&s[prev..start]);
        text.push('\n');
        pieces.push(Piece { text: Cow::Owned(text), line_offset: prev_line });
        prev = end;
        prev_line = lines_before(end);
        search = end;
    }
    pieces.push(Piece { text: Cow::Borrowed(&s[prev..]), line_offset: prev_line });
    Ok(pieces)
}

fn count_lines(b: &[u8]) -> u32 {
    b.iter().filter(|&&c| c == b'\n').count() as u32
}

// ---------------------------------------------------------------------------------------------
// Building nodes

/// What is left of the alias-expansion budget.
struct Budget {
    nodes: usize,
    bytes: usize,
}

/// Size of a node: nodes, text bytes, nesting depth of collections (0 for a scalar).
#[derive(Clone, Copy, Debug)]
struct Cost {
    nodes: usize,
    bytes: usize,
    depth: usize,
}

enum AnchorSlot {
    /// The anchored collection is still being read (an alias to it would contain itself).
    Pending,
    Done(Node, Option<Cost>),
}

/// A key waiting for its value.
struct Key {
    text: String,
    pos: Pos,
    style: Style,
    tag: Option<Box<str>>,
    /// Where the key's text ends (text-relative line, 0-based char column), to find a
    /// comment written after it.
    end: (usize, usize),
}

/// A mapping entry while the mapping is read.
struct RawEntry {
    key: Key,
    value: Node,
    /// The value was written as an alias.
    value_alias: bool,
    /// For sequence values of merge keys: which items were aliases.
    item_aliases: Vec<bool>,
    /// The schema-like comment at the end of the key's line (see [`Entry::comment()`]).
    comment: Option<Box<Comment>>,
}

enum Frame {
    Seq { items: Vec<Node>, aliases: Vec<bool>, anchor: usize },
    Map { entries: Vec<RawEntry>, key: Option<Key>, anchor: usize },
}

/// A finished node, on its way to its parent.
struct Done {
    node: Node,
    pos: Pos,
    alias: bool,
    item_aliases: Vec<bool>,
    /// Where its last event ends (text-relative line, 0-based char column).
    end: (usize, usize),
}

struct Loader<'t, 'o, 'b> {
    text: &'t str,
    line_offset: u32,
    opts: &'o LoadOptions,
    budget: &'b mut Budget,
    anchors: HashMap<usize, AnchorSlot>,
    /// Set when the last scan error can be patched away.
    fix: std::cell::Cell<Option<Fix>>,
    /// Whether the text may hold a comment worth keeping (it has a `#` and a `{`).
    may_comment: bool,
    /// Byte offsets of the line starts, computed on the first comment looked for.
    line_starts: Vec<usize>,
}

fn yaml_err(msg: impl Into<String>, pos: Pos) -> Error {
    Error::new(crate::error::ErrorKind::Yaml, msg).with_pos(pos.line, pos.col)
}

impl<'t, 'o, 'b> Loader<'t, 'o, 'b> {
    fn new(text: &'t str, line_offset: u32, opts: &'o LoadOptions, budget: &'b mut Budget) -> Self {
        let may_comment = text.contains('#') && text.contains('{');
        Loader {
            text,
            line_offset,
            opts,
            budget,
            anchors: HashMap::new(),
            fix: std::cell::Cell::new(None),
            may_comment,
            line_starts: Vec::new(),
        }
    }

    fn pos(&self, m: saphyr_parser::Marker) -> Pos {
        Pos { line: (m.line() as u32).saturating_add(self.line_offset), col: m.col() as u32 + 1 }
    }

    fn next(&self, p: &mut Parser<'t, StrInput<'t>>) -> Result<(Event<'t>, Span)> {
        match p.next_event() {
            None => Ok((Event::StreamEnd, Span::default())),
            Some(Ok(ev)) => Ok(ev),
            Some(Err(e)) => Err(self.scan_error(&e)),
        }
    }

    /// Reads the documents of `self.text` (only the first one when `first_only`).
    fn load_stream(&mut self, first_only: bool, out: &mut Vec<Node>) -> Result<()> {
        let text = self.text;
        let mut p = Parser::new_from_str(text);
        loop {
            let (ev, span) = self.next(&mut p)?;
            match ev {
                Event::StreamEnd => return Ok(()),
                Event::DocumentStart(_) => {
                    self.anchors.clear();
                    let root = self.load_node(&mut p)?;
                    self.anchors.clear();
                    if !self.is_dropped(&root) {
                        out.push(root);
                    }
                    if first_only {
                        return Ok(());
                    }
                }
                Event::StreamStart | Event::DocumentEnd | Event::Nothing => {}
                other => {
                    return Err(yaml_err(format!("unexpected YAML event {:?}", other), self.pos(span.start)));
                }
            }
        }
    }

    fn is_dropped(&self, root: &Node) -> bool {
        is_dropped(self.opts, root)
    }

    /// Reads one node (the events from its start to its end), iteratively.
    fn load_node(&mut self, p: &mut Parser<'t, StrInput<'t>>) -> Result<Node> {
        let mut stack: Vec<Frame> = Vec::new();
        let mut starts: Vec<Pos> = Vec::new();
        loop {
            let (ev, span) = self.next(p)?;
            let pos = self.pos(span.start);
            let end = (span.end.line(), span.end.col());
            let done = match ev {
                Event::Scalar(value, style, anchor, tag) => {
                    // The span of a quoted scalar runs past a trailing comment: find its
                    // closing quote (only needed to find such a comment).
                    let end = match style {
                        ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted if self.may_comment => {
                            let q = if style == ScalarStyle::SingleQuoted { '\'' } else { '"' };
                            self.quoted_end((span.start.line(), span.start.col()), q).unwrap_or(end)
                        }
                        _ => end,
                    };
                    let mut value = value.into_owned();
                    // A block scalar running to the end of a text that has no final line
                    // break has no final line break either (saphyr adds one; go-yaml does not).
                    if matches!(style, ScalarStyle::Literal | ScalarStyle::Folded)
                        && value.ends_with('\n')
                        && !self.text.ends_with('\n')
                    {
                        let at_eof = self
                            .byte_of(span.end.line(), span.end.col())
                            .is_none_or(|b| self.text[b..].trim_matches([' ', '\t']).is_empty());
                        if at_eof {
                            value.pop();
                        }
                    }
                    let node = Node::Scalar(Scalar {
                        value,
                        style: map_style(style),
                        tag: tag.map(|t| short_tag(&t).into_boxed_str()),
                    });
                    if anchor > 0 {
                        self.anchors.insert(anchor, AnchorSlot::Done(node.clone(), None));
                    }
                    Done { node, pos, alias: false, item_aliases: Vec::new(), end }
                }
                Event::Alias(id) => {
                    let node = self.expand_alias(id, pos, stack.len())?;
                    Done { node, pos, alias: true, item_aliases: Vec::new(), end }
                }
                Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => {
                    if let Some(Frame::Map { key: None, .. }) = stack.last() {
                        return Err(yaml_err("complex mapping keys are not supported (a key must be a scalar)", pos));
                    }
                    if stack.len() >= self.opts.max_depth {
                        return Err(yaml_err(format!("exceeded max depth of {}", self.opts.max_depth), pos));
                    }
                    if anchor > 0 {
                        self.anchors.insert(anchor, AnchorSlot::Pending);
                    }
                    starts.push(pos);
                    if matches!(ev, Event::SequenceStart(..)) {
                        stack.push(Frame::Seq { items: Vec::new(), aliases: Vec::new(), anchor });
                    } else {
                        stack.push(Frame::Map { entries: Vec::new(), key: None, anchor });
                    }
                    continue;
                }
                Event::SequenceEnd => {
                    let start = starts.pop().unwrap_or(pos);
                    match stack.pop() {
                        Some(Frame::Seq { items, aliases, anchor }) => {
                            let node = Node::Seq(items);
                            if anchor > 0 {
                                self.anchors.insert(anchor, AnchorSlot::Done(node.clone(), None));
                            }
                            // The end event's span runs past a trailing comment: its start is
                            // the closing bracket of a flow collection.
                            let end = (span.start.line(), span.start.col() + 1);
                            Done { node, pos: start, alias: false, item_aliases: aliases, end }
                        }
                        _ => return Err(yaml_err("unexpected end of sequence", pos)),
                    }
                }
                Event::MappingEnd => {
                    let start = starts.pop().unwrap_or(pos);
                    match stack.pop() {
                        Some(Frame::Map { entries, key: None, anchor }) => {
                            let node = Node::Map(self.finish_map(entries)?);
                            if anchor > 0 {
                                self.anchors.insert(anchor, AnchorSlot::Done(node.clone(), None));
                            }
                            let end = (span.start.line(), span.start.col() + 1);
                            Done { node, pos: start, alias: false, item_aliases: Vec::new(), end }
                        }
                        _ => return Err(yaml_err("unexpected end of mapping", pos)),
                    }
                }
                other => {
                    return Err(yaml_err(format!("unexpected YAML event {:?}", other), pos));
                }
            };
            let comment = match stack.last() {
                Some(Frame::Map { key: Some(k), .. }) if self.may_comment => self.entry_comment(k.end, done.end),
                _ => None,
            };
            match stack.last_mut() {
                None => return Ok(done.node),
                Some(Frame::Seq { items, aliases, .. }) => {
                    items.push(done.node);
                    aliases.push(done.alias);
                }
                Some(Frame::Map { entries, key, .. }) => match key.take() {
                    None => match done.node {
                        Node::Scalar(s) => {
                            *key = Some(Key { text: s.value, pos: done.pos, style: s.style, tag: s.tag, end: done.end });
                        }
                        _ => {
                            return Err(yaml_err(
                                "complex mapping keys are not supported (a key must be a scalar)",
                                done.pos,
                            ))
                        }
                    },
                    Some(k) => {
                        // Which items were aliases only matters for merge keys.
                        let maybe_merge = k.text == "<<" || k.tag.as_deref() == Some("!!merge");
                        entries.push(RawEntry {
                            key: k,
                            value: done.node,
                            value_alias: done.alias,
                            item_aliases: if maybe_merge { done.item_aliases } else { Vec::new() },
                            comment,
                        })
                    }
                },
            }
        }
    }

    /// The comment ending the line of a mapping key (see [`Entry::comment()`]): after the value
    /// when the value ends on the key's line (`key: value # c`, `key: [a] # c`), else after
    /// the key and its `:` (`key: # c` before a block collection). Kept only when its text
    /// after the `#`s starts with `{` (what kyaml can read as a schema).
    fn entry_comment(&mut self, key_end: (usize, usize), value_end: (usize, usize)) -> Option<Box<Comment>> {
        let (line, col) = if value_end.0 == key_end.0 { value_end } else { key_end };
        let at = self.byte_of(line, col)?;
        let rest = &self.text[at..];
        let rest = &rest[..rest.find('\n').unwrap_or(rest.len())];
        let rest = rest.trim_start_matches([' ', '\t']);
        let rest = rest.strip_prefix(':').unwrap_or(rest).trim_start_matches([' ', '\t']);
        if !rest.starts_with('#') || !rest.trim_start_matches('#').trim_start().starts_with('{') {
            return None;
        }
        Some(Box::new(Comment(rest.trim_end().into())))
    }

    /// The byte offset of a (1-based, text-relative) line and 0-based char column, if the
    /// column is inside the line or at its end.
    fn byte_of(&mut self, line: usize, col: usize) -> Option<usize> {
        if self.line_starts.is_empty() {
            self.line_starts.push(0);
            self.line_starts.extend(self.text.match_indices('\n').map(|(i, _)| i + 1));
        }
        let start = *self.line_starts.get(line.checked_sub(1)?)?;
        let text = &self.text[start..];
        let text = &text[..text.find('\n').unwrap_or(text.len())];
        let off = text.char_indices().map(|(i, _)| i).chain(std::iter::once(text.len())).nth(col)?;
        Some(start + off)
    }

    /// Where the quoted scalar starting at (line, col) ends: just after its closing quote.
    fn quoted_end(&mut self, start: (usize, usize), quote: char) -> Option<(usize, usize)> {
        let from = self.byte_of(start.0, start.1)?;
        let text = self.text;
        let open = from + text[from..].find(quote)?;
        let mut chars = text[open + 1..].char_indices();
        let close = loop {
            let (i, c) = chars.next()?;
            if quote == '"' && c == '\\' {
                chars.next();
            } else if c == quote {
                if quote == '\'' && text[open + 1 + i + 1..].starts_with('\'') {
                    chars.next();
                } else {
                    break open + 1 + i;
                }
            }
        };
        let after = close + 1;
        let line = self.line_starts.partition_point(|&s| s <= after);
        let line_start = self.line_starts[line - 1];
        Some((line, text[line_start..after].chars().count()))
    }

    /// A copy of the node anchored as `id`, within the expansion budget.
    fn expand_alias(&mut self, id: usize, pos: Pos, depth: usize) -> Result<Node> {
        let limit = self.budget.nodes;
        let slot = match self.anchors.get_mut(&id) {
            Some(slot) => slot,
            None => {
                return Err(yaml_err(format!("unknown anchor '{}' referenced", self.alias_name(pos)), pos));
            }
        };
        let (node, cost) = match slot {
            AnchorSlot::Pending => {
                let name = self.alias_name(pos);
                return Err(yaml_err(format!("anchor '{}' value contains itself", name), pos));
            }
            AnchorSlot::Done(node, cost) => {
                let c = match cost {
                    Some(c) => *c,
                    None => {
                        let c = measure(node, limit);
                        *cost = Some(c);
                        c
                    }
                };
                (node, c)
            }
        };
        if cost.nodes > self.budget.nodes || cost.bytes > self.budget.bytes {
            return Err(yaml_err(
                "document contains excessive aliasing (alias expansion exceeds the limit)",
                pos,
            ));
        }
        if depth + cost.depth > self.opts.max_depth {
            return Err(yaml_err(format!("exceeded max depth of {}", self.opts.max_depth), pos));
        }
        self.budget.nodes -= cost.nodes;
        self.budget.bytes -= cost.bytes;
        Ok(node.clone())
    }

    /// The alias name written at `pos` (`*name`), for messages.
    fn alias_name(&self, pos: Pos) -> String {
        let line = pos.line.saturating_sub(self.line_offset) as usize;
        let Some(text) = self.text.split('\n').nth(line.saturating_sub(1)) else { return String::new() };
        let rest: String = text.chars().skip(pos.col.saturating_sub(1) as usize).collect();
        let rest = rest.strip_prefix('*').unwrap_or(&rest);
        rest.chars()
            .take_while(|c| !c.is_whitespace() && !matches!(c, ',' | '[' | ']' | '{' | '}'))
            .collect()
    }

    /// Byte offset in the text of a (1-based, text-relative) line and 0-based char column.
    fn byte_at(&self, line: usize, col: usize) -> Option<usize> {
        let mut start = 0usize;
        for _ in 1..line {
            start += self.text[start..].find('\n')? + 1;
        }
        let rest = &self.text[start..];
        let off = rest.char_indices().nth(col).map(|(i, _)| i).unwrap_or(rest.len());
        Some(start + off)
    }

    /// The patch for errors go-yaml would not raise (see [`load_piece`]).
    fn find_fix(&self, e: &ScanError) -> Option<Fix> {
        let m = e.marker();
        let at = self.byte_at(m.line(), m.col())?;
        let bytes = self.text.as_bytes();
        match e.info() {
            "':' must be followed by a valid YAML whitespace" => {
                let mut a = at;
                while a > 0 && matches!(bytes[a - 1], b' ' | b'\t') {
                    a -= 1;
                }
                let has_tab = bytes[a..at].contains(&b'\t');
                (a > 0 && bytes[a - 1] == b':' && has_tab).then_some(Fix::TabsToSpaces(a, at))
            }
            "comments must be separated from other tokens by whitespace" => {
                (bytes.get(at) == Some(&b'#')).then_some(Fix::SpaceBefore(at))
            }
            // go-yaml does not check the indentation of a quoted scalar's continuation lines;
            // their leading blanks are folded away, so indenting one is harmless.
            "invalid indentation in quoted scalar" => quoted_continuation_fix(self.text, at, m.col()),
            _ => None,
        }
    }

    fn scan_error(&self, e: &ScanError) -> Error {
        self.fix.set(self.find_fix(e));
        let m = e.marker();
        let pos = self.pos(*m);
        let info = e.info();
        let msg = match info {
            "while parsing node, found unknown anchor" => {
                format!("unknown anchor '{}' referenced", self.alias_name(pos))
            }
            "simple key expect ':'" => "could not find expected ':'".to_string(),
            "tabs disallowed within this context (block indentation)" => {
                "found character that cannot start any token".to_string()
            }
            // saphyr counts flow levels in a u8.
            "recursion limit exceeded" => "exceeded max depth of 255 nested flow collections".to_string(),
            _ => match info.strip_prefix("while ").and_then(|r| r.split_once(", ")) {
                Some((_, problem)) => problem.to_string(),
                None => info.to_string(),
            },
        };
        yaml_err(msg, pos)
    }

    /// Turns the entries read into a mapping: merge keys, then duplicates (last-wins mode).
    fn finish_map(&mut self, entries: Vec<RawEntry>) -> Result<Mapping> {
        let mut entries = match self.opts.merge_keys {
            MergeKeys::Kyaml => kyaml_merge(entries)?,
            MergeKeys::YamlV2 => v2_merge(entries)?,
            MergeKeys::Literal => entries.into_iter().map(RawEntry::into_entry).collect(),
        };
        if self.opts.duplicate_keys == DuplicateKeys::LastWins {
            entries = last_wins(entries);
        }
        Ok(Mapping { entries })
    }
}

impl RawEntry {
    fn into_entry(self) -> Entry {
        Entry { key: self.key.text, value: self.value, pos: self.key.pos, comment: self.comment }
    }
}

fn map_style(s: ScalarStyle) -> Style {
    match s {
        ScalarStyle::Plain => Style::Plain,
        ScalarStyle::SingleQuoted => Style::SingleQuoted,
        ScalarStyle::DoubleQuoted => Style::DoubleQuoted,
        ScalarStyle::Literal => Style::Literal,
        ScalarStyle::Folded => Style::Folded,
    }
}

const CORE_SCHEMA: &str = "tag:yaml.org,2002:";

/// A tag in short form: `!!str` for the core schema, `!foo` for local tags, `!` for the
/// non-specific tag, the full URI otherwise.
fn short_tag(t: &Tag) -> String {
    let full = format!("{}{}", t.handle, t.suffix);
    match full.strip_prefix(CORE_SCHEMA) {
        Some(rest) => format!("!!{}", rest),
        None => full,
    }
}

/// Whether a document is dropped: empty, or null when the options say so.
pub(super) fn is_dropped(opts: &LoadOptions, root: &Node) -> bool {
    match root {
        Node::Scalar(s) => {
            (s.value.is_empty() && s.style == Style::Plain && s.tag.is_none())
                || (opts.drop_null_documents && is_null_key(&s.value, s.style, s.tag.as_deref()))
        }
        _ => false,
    }
}

/// Whether a key resolves to null in go-yaml v3 (plain `~`/`null`/empty, or tagged `!!null`).
pub(super) fn is_null_key(text: &str, style: Style, tag: Option<&str>) -> bool {
    match tag {
        Some("!!null") => true,
        None => style == Style::Plain && matches!(text, "" | "~" | "null" | "Null" | "NULL"),
        _ => false,
    }
}

/// Sizes a node, stopping early once it has more than `limit` nodes.
fn measure(node: &Node, limit: usize) -> Cost {
    let mut c = Cost { nodes: 0, bytes: 0, depth: 0 };
    let mut stack: Vec<(&Node, usize)> = vec![(node, 1)];
    while let Some((n, d)) = stack.pop() {
        c.nodes += 1;
        if !matches!(n, Node::Scalar(_)) {
            c.depth = c.depth.max(d);
        }
        if c.nodes > limit {
            break;
        }
        match n {
            Node::Scalar(s) => c.bytes += s.value.len(),
            Node::Seq(items) => stack.extend(items.iter().map(|i| (i, d + 1))),
            Node::Map(m) => {
                for e in &m.entries {
                    c.nodes += 1;
                    c.bytes += e.key.len();
                    stack.push((&e.value, d + 1));
                }
            }
        }
    }
    c
}

// ---------------------------------------------------------------------------------------------
// Merge keys

const NEEDS_MAP: &str = "map merge requires map or sequence of maps as the value";

/// kyaml's `DeAnchor` on one mapping whose children are done.
fn kyaml_merge(mut entries: Vec<RawEntry>) -> Result<Vec<Entry>> {
    if entries.is_empty() {
        return Ok(Vec::new());
    }
    let merges: Vec<usize> = (0..entries.len()).filter(|&i| is_v3_merge(&entries[i].key)).collect();
    if merges.len() > 1 {
        return Err(yaml_err("duplicate merge key", entries[merges[1]].key.pos));
    }
    // kyaml drops the first key written `<<` (quoted or not); go-yaml then treats a leftover
    // merge-tagged key as a merge of values already merged: drop it too.
    let first_lt = entries.iter().position(|e| e.key.text == "<<");
    let merge_at = merges.first().copied();
    let mut remove: Vec<usize> = first_lt.into_iter().chain(merge_at).collect();
    remove.sort_unstable();
    remove.dedup();
    let mut merge_entry = None;
    for &i in remove.iter().rev() {
        let e = entries.remove(i);
        if Some(i) == merge_at {
            merge_entry = Some(e);
        }
    }
    let Some(m) = merge_entry else {
        check_null_keys(&entries)?;
        return Ok(entries.into_iter().map(RawEntry::into_entry).collect());
    };
    let pos = m.key.pos;
    let mut sources: Vec<Mapping> = match m.value {
        Node::Map(map) => vec![map],
        _ if m.value_alias => return Err(yaml_err("invalid map merge: received alias for a non-map value", pos)),
        Node::Seq(items) => {
            let mut maps = Vec::with_capacity(items.len());
            for (i, item) in items.into_iter().enumerate() {
                let alias = m.item_aliases.get(i).copied().unwrap_or(false);
                match item {
                    Node::Map(map) => maps.push(map),
                    _ if alias => {
                        return Err(yaml_err("invalid map merge: received alias for a non-map value", pos));
                    }
                    Node::Seq(_) => return Err(yaml_err("invalid map merge: received a nested sequence", pos)),
                    Node::Scalar(_) => return Err(yaml_err(NEEDS_MAP, pos)),
                }
            }
            // Later items are merged first: earlier ones win.
            maps.reverse();
            maps
        }
        Node::Scalar(_) => return Err(yaml_err(NEEDS_MAP, pos)),
    };
    check_null_keys(&entries)?;
    // The mapping's own keys win and keep their places; merged keys are appended where a
    // source first brings them, with the value of the last source that has them (the first
    // entry of that source with the name).
    let mut out: Vec<Entry> = entries.into_iter().map(RawEntry::into_entry).collect();
    let own: std::collections::HashSet<String> = out.iter().map(|e| e.key.clone()).collect();
    let mut added: HashMap<String, usize> = HashMap::new();
    for src in sources.drain(..) {
        let mut seen: std::collections::HashSet<String> = std::collections::HashSet::new();
        for e in src.entries {
            if own.contains(&e.key) || !seen.insert(e.key.clone()) {
                continue;
            }
            match added.get(&e.key) {
                Some(&i) => out[i] = e,
                None => {
                    added.insert(e.key.clone(), out.len());
                    out.push(e);
                }
            }
        }
    }
    Ok(out)
}

/// A key resolving to null is written twice by kyaml's merge step (it looks such keys up under
/// the name ""), which go-yaml then reports as a duplicate. (An empty plain key is found under
/// its own name, "", and stays single.)
fn check_null_keys(entries: &[RawEntry]) -> Result<()> {
    let null = entries
        .iter()
        .find(|e| !e.key.text.is_empty() && is_null_key(&e.key.text, e.key.style, e.key.tag.as_deref()));
    match null {
        Some(e) => Err(yaml_err(
            format!("mapping key {:?} already defined at line {}", e.key.text, e.key.pos.line),
            e.key.pos,
        )),
        None => Ok(()),
    }
}

/// go-yaml v3's merge key: tagged `!!merge`, or a plain untagged `<<`.
fn is_v3_merge(k: &Key) -> bool {
    match k.tag.as_deref() {
        Some("!!merge") => true,
        None => k.style == Style::Plain && k.text == "<<",
        _ => false,
    }
}

/// go-yaml v2's merge key: `<<`, plain and untagged or tagged `!!merge`.
fn is_v2_merge(k: &Key) -> bool {
    k.text == "<<"
        && match k.tag.as_deref() {
            Some("!!merge") => true,
            None => k.style == Style::Plain,
            _ => false,
        }
}

/// go-yaml v2 decoding a mapping into a map: entries are set in order (a later key replaces
/// an earlier one in place); a merge sets the keys of its mappings at that point (the items of
/// a sequence from last to first, so that earlier ones win).
fn v2_merge(entries: Vec<RawEntry>) -> Result<Vec<Entry>> {
    if !entries.iter().any(|e| is_v2_merge(&e.key)) {
        return Ok(entries.into_iter().map(RawEntry::into_entry).collect());
    }
    let mut out: Vec<Entry> = Vec::with_capacity(entries.len());
    let mut index: HashMap<String, usize> = HashMap::new();
    fn set(out: &mut Vec<Entry>, index: &mut HashMap<String, usize>, e: Entry) {
        match index.get(&e.key) {
            Some(&i) => out[i] = e,
            None => {
                index.insert(e.key.clone(), out.len());
                out.push(e);
            }
        }
    }
    for e in entries {
        if !is_v2_merge(&e.key) {
            set(&mut out, &mut index, e.into_entry());
            continue;
        }
        let pos = e.key.pos;
        match e.value {
            Node::Map(m) => {
                for me in m.entries {
                    set(&mut out, &mut index, me);
                }
            }
            Node::Seq(items) => {
                let mut maps = Vec::with_capacity(items.len());
                for item in items {
                    match item {
                        Node::Map(m) => maps.push(m),
                        _ => return Err(yaml_err(NEEDS_MAP, pos)),
                    }
                }
                for m in maps.into_iter().rev() {
                    for me in m.entries {
                        set(&mut out, &mut index, me);
                    }
                }
            }
            Node::Scalar(_) => return Err(yaml_err(NEEDS_MAP, pos)),
        }
    }
    Ok(out)
}

/// Keeps one entry per key: the place of the first, the value (and position) of the last.
pub(super) fn last_wins(entries: Vec<Entry>) -> Vec<Entry> {
    let mut index: HashMap<String, usize> = HashMap::with_capacity(entries.len());
    let mut out: Vec<Entry> = Vec::with_capacity(entries.len());
    for e in entries {
        match index.get(&e.key) {
            Some(&i) => out[i] = e,
            None => {
                index.insert(e.key.clone(), out.len());
                out.push(e);
            }
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Duplicate keys

/// go-yaml v3's check, in document order: the first mapping with a duplicate key fails, on
/// the first key (in order) written again, at its first repetition.
fn check_duplicates(root: &Node) -> Result<()> {
    let mut stack: Vec<&Node> = vec![root];
    while let Some(n) = stack.pop() {
        match n {
            Node::Scalar(_) => {}
            Node::Seq(items) => stack.extend(items.iter().rev()),
            Node::Map(m) => {
                check_mapping(m)?;
                stack.extend(m.entries.iter().rev().map(|e| &e.value));
            }
        }
    }
    Ok(())
}

fn check_mapping(m: &Mapping) -> Result<()> {
    let n = m.entries.len();
    if n < 2 {
        return Ok(());
    }
    if n <= SMALL_MAPPING {
        // Pairs in order: the first key with a later copy is a first occurrence (an earlier
        // copy of it would have been found first), and the copy found is its first repetition.
        let worst = (0..n).find_map(|i| ((i + 1)..n).find(|&j| m.entries[i].key == m.entries[j].key).map(|j| (i, j)));
        return match worst {
            None => Ok(()),
            Some((i, j)) => Err(duplicate_key(&m.entries[i], &m.entries[j])),
        };
    }
    // key -> (first index, first repetition)
    let mut seen: HashMap<&str, (usize, Option<usize>)> = HashMap::with_capacity(m.entries.len());
    let mut worst: Option<(usize, usize)> = None;
    for (j, e) in m.entries.iter().enumerate() {
        match seen.get_mut(e.key.as_str()) {
            None => {
                seen.insert(&e.key, (j, None));
            }
            Some((i, rep @ None)) => {
                *rep = Some(j);
                if worst.is_none_or(|(wi, _)| *i < wi) {
                    worst = Some((*i, j));
                }
            }
            Some(_) => {}
        }
    }
    match worst {
        None => Ok(()),
        Some((i, j)) => Err(duplicate_key(&m.entries[i], &m.entries[j])),
    }
}

/// Mappings up to this size are checked for duplicate keys by comparing every pair.
const SMALL_MAPPING: usize = 16;

fn duplicate_key(first: &Entry, again: &Entry) -> Error {
    yaml_err(format!("mapping key {:?} already defined at line {}", again.key, first.pos.line), again.pos)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;

    fn one(src: &str) -> Node {
        let mut d = load_documents(src).unwrap();
        assert_eq!(d.len(), 1, "{:?}", d);
        d.pop().unwrap()
    }

    fn scalar(n: &Node) -> &Scalar {
        n.as_scalar().expect("scalar")
    }

    fn fail(src: &str) -> Error {
        let e = load_documents(src).expect_err(src);
        assert_eq!(e.kind(), ErrorKind::Yaml, "{}", e);
        e
    }

    fn keys(n: &Node) -> Vec<&str> {
        n.as_map().unwrap().keys().collect()
    }

    #[test]
    fn styles_and_tags() {
        let n = one("a: plain\nb: 'single'\nc: \"double\\n\"\nd: |\n  lit\ne: >\n  fol\n  ded\nf: !!str 12\ng: !custom x\nh: !<tag:yaml.org,2002:int> 3\ni: ! 5\nj: 010\n");
        let s = |k: &str| scalar(n.get(k).unwrap()).clone();
        assert_eq!(s("a"), Scalar { value: "plain".into(), style: Style::Plain, tag: None });
        assert_eq!(s("b").style, Style::SingleQuoted);
        assert_eq!(s("b").value, "single");
        assert_eq!(s("c").style, Style::DoubleQuoted);
        assert_eq!(s("c").value, "double\n");
        assert_eq!(s("d").style, Style::Literal);
        assert_eq!(s("d").value, "lit\n");
        assert_eq!(s("e").style, Style::Folded);
        assert_eq!(s("e").value, "fol ded\n");
        assert_eq!(s("f").tag.as_deref(), Some("!!str"));
        assert_eq!(s("f").value, "12");
        assert_eq!(s("g").tag.as_deref(), Some("!custom"));
        assert_eq!(s("h").tag.as_deref(), Some("!!int"));
        assert_eq!(s("i").tag.as_deref(), Some("!"));
        assert_eq!(s("j").value, "010");
        assert_eq!(s("j").tag, None);
    }

    #[test]
    fn tag_directives() {
        let d = load_documents_with(
            "%YAML 1.1\n%TAG !e! tag:example.com,2000:\n---\na: !e!foo x\nb: !!int 1\n",
            &LoadOptions::stream(),
        )
        .unwrap();
        assert_eq!(scalar(d[0].get("a").unwrap()).tag.as_deref(), Some("tag:example.com,2000:foo"));
        assert_eq!(scalar(d[0].get("b").unwrap()).tag.as_deref(), Some("!!int"));
        // kyaml cuts the text at `---` first: the directives end up alone, which go-yaml
        // rejects too.
        fail("%YAML 1.1\n---\na: 1\n");
    }

    #[test]
    fn empty_and_flow_values() {
        let n = one("a:\nb: []\nc: {}\nd: [1, {e: f}]\n");
        assert_eq!(scalar(n.get("a").unwrap()).value, "");
        assert!(n.get("a").unwrap().is_null());
        assert_eq!(n.get("b").unwrap(), &Node::Seq(vec![]));
        assert_eq!(n.get("c").unwrap(), &Node::Map(Mapping::new()));
        assert_eq!(n.str_at(&["d"]), None);
        assert_eq!(n.get("d").unwrap().as_seq().unwrap()[1].str_at(&["e"]), Some("f"));
    }

    #[test]
    fn positions() {
        let n = one("apiVersion: v1\nmetadata:\n  name: x\n  labels: {a: b,  'c': d}\nlist:\n- k: v\n");
        let m = n.as_map().unwrap();
        assert_eq!(m.entry("apiVersion").unwrap().pos, Pos { line: 1, col: 1 });
        assert_eq!(m.entry("metadata").unwrap().pos, Pos { line: 2, col: 1 });
        let md = n.get("metadata").unwrap().as_map().unwrap();
        assert_eq!(md.entry("name").unwrap().pos, Pos { line: 3, col: 3 });
        let labels = n.get_path(&["metadata", "labels"]).unwrap().as_map().unwrap();
        assert_eq!(labels.entry("a").unwrap().pos, Pos { line: 4, col: 12 });
        assert_eq!(labels.entry("c").unwrap().pos, Pos { line: 4, col: 19 });
        let item = &n.get("list").unwrap().as_seq().unwrap()[0];
        assert_eq!(item.as_map().unwrap().entry("k").unwrap().pos, Pos { line: 6, col: 3 });
    }

    #[test]
    fn positions_after_separators() {
        let d = load_documents("a: 1\n---\n# c\nb: 2\n--- # x\n\nc: 3\n").unwrap();
        assert_eq!(d.len(), 3);
        assert_eq!(d[1].as_map().unwrap().entry("b").unwrap().pos, Pos { line: 4, col: 1 });
        assert_eq!(d[2].as_map().unwrap().entry("c").unwrap().pos, Pos { line: 7, col: 1 });
        let e = fail("a: 1\n---\nb: 2\nb: 3\n");
        assert_eq!((e.line(), e.column()), (Some(4), Some(1)));
        assert_eq!(e.message(), "mapping key \"b\" already defined at line 3");
        let e = fail("a: 1\n---\nc: 1\nb: \"x\n");
        assert_eq!((e.line(), e.column()), (Some(4), Some(4)));
    }

    #[test]
    fn multi_documents_and_empty_ones() {
        let d = load_documents("---\na: 1\n---\n---\n# only a comment\n---\nb: 2\n...\n---\n~\n---\nnull\n---\n").unwrap();
        assert_eq!(d.len(), 2);
        assert_eq!(d[0].str_at(&["a"]), Some("1"));
        assert_eq!(d[1].str_at(&["b"]), Some("2"));
        assert!(load_documents("").unwrap().is_empty());
        assert!(load_documents("# nothing\n").unwrap().is_empty());
        assert!(load_documents("---\n").unwrap().is_empty());
        // A bare scalar document is returned as is.
        let d = load_documents("hello\n---\n'x'\n").unwrap();
        assert_eq!(d, vec![Node::plain("hello"), Node::Scalar(Scalar { value: "x".into(), style: Style::SingleQuoted, tag: None })]);
        // Plain streams keep null documents (not empty ones).
        let d = load_documents_with("--- ~\n---\n--- a\n", &LoadOptions::stream()).unwrap();
        assert_eq!(d, vec![Node::plain("~"), Node::plain("a")]);
    }

    #[test]
    fn kyaml_separators() {
        // A separator line with content is an error (kyaml's splitDocuments)...
        let e = fail("a: 1\n--- b\n");
        assert_eq!(e.message(), "invalid document separator: --- b");
        assert_eq!(e.line(), Some(2));
        assert_eq!(fail("a: 1\n---a\n").message(), "invalid document separator: ---a");
        // ...except at the very start, where the YAML parser sees it.
        assert_eq!(load_documents("--- a: 1\n").unwrap().len(), 1);
        // What follows `...` in a piece is not read at all.
        assert_eq!(load_documents("a: 1\n...\nb: [\n").unwrap().len(), 1);
        // Two separators in a row: the second one starts the next piece.
        assert_eq!(load_documents("a: 1\n---\n---\nb: 2\n").unwrap().len(), 2);
        // Plain streams read every document.
        let d = load_documents_with("a: 1\n...\n--- b\n", &LoadOptions::stream()).unwrap();
        assert_eq!(d.len(), 2);
    }

    #[test]
    fn kustomization_mode() {
        let o = LoadOptions::kustomization();
        // Only the first document, the rest is not parsed.
        let d = load_documents_with("a: 1\n---\nb: [\n", &o).unwrap();
        assert_eq!(d.len(), 1);
        assert!(load_documents_with("---\n---\na: 1\n", &o).unwrap().is_empty());
        // Duplicates: last wins, in the first place.
        let n = load_one_with("a: 1\nb: 2\na: 3\n", &o).unwrap().unwrap();
        assert_eq!(keys(&n), ["a", "b"]);
        assert_eq!(n.str_at(&["a"]), Some("3"));
        // Merge keys, go-yaml v2 style: a merge overrides what comes before it.
        let n = load_one_with("m: &m {b: 1, c: 1}\nx:\n  a: \"1\"\n  <<: [{a: \"2\", b: \"2\"}, *m]\n  b: \"3\"\n  \"<<\": q\n", &o)
            .unwrap()
            .unwrap();
        let x = n.get("x").unwrap();
        assert_eq!(x.str_at(&["a"]), Some("2"));
        assert_eq!(x.str_at(&["b"]), Some("3"));
        assert_eq!(x.str_at(&["c"]), Some("1"));
        assert_eq!(x.str_at(&["<<"]), Some("q"));
        assert!(load_documents_with("x: {<<: 5}\n", &o).is_err());
        // Directives are fine here.
        assert_eq!(load_documents_with("%YAML 1.1\n---\na: 1\n", &o).unwrap().len(), 1);
    }

    #[test]
    fn duplicate_keys() {
        let e = fail("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  a: x\n  b: y\n  a: z\n");
        assert_eq!(e.message(), "mapping key \"a\" already defined at line 6");
        assert_eq!((e.line(), e.column()), (Some(8), Some(3)));
        // Same text, different style: still a duplicate for go-yaml v3.
        let e = fail("x:\n  '1': a\n  1: b\n");
        assert_eq!(e.message(), "mapping key \"1\" already defined at line 2");
        // The first key (in order) that is repeated is reported.
        let e = fail("a: 1\nb: 1\nb: 2\na: 2\n");
        assert_eq!(e.message(), "mapping key \"a\" already defined at line 1");
        assert_eq!(e.line(), Some(4));
        // Outer mappings are checked before inner ones.
        let e = fail("x:\n  y: 1\n  y: 2\nz: 1\nz: 2\n");
        assert_eq!(e.line(), Some(5));
        // Null keys: kyaml duplicates them, go-yaml then complains.
        let e = fail("data:\n  null: y\n");
        assert_eq!(e.message(), "mapping key \"null\" already defined at line 2");
        assert!(load_documents("data:\n  \"null\": y\n  '~': z\n").is_ok());
        // Plain streams: duplicates are errors too, null keys are not.
        assert!(load_documents_with("a: 1\na: 2\n", &LoadOptions::stream()).is_err());
        assert!(load_documents_with("null: 1\n", &LoadOptions::stream()).is_ok());
    }

    /// Small mappings compare key pairs, large ones hash: the same key is reported.
    #[test]
    fn duplicate_keys_small_and_large() {
        for n in [6, SMALL_MAPPING, SMALL_MAPPING + 1, 40] {
            // k1 is repeated after k3, twice; the first key repeated is k1, at its first copy.
            let mut keys: Vec<String> = (0..n).map(|i| format!("k{}", i)).collect();
            keys[n - 3] = "k3".into();
            keys[n - 2] = "k1".into();
            keys[n - 1] = "k1".into();
            let src: String = keys.iter().map(|k| format!("{}: x\n", k)).collect();
            let e = fail(&src);
            assert_eq!(e.message(), "mapping key \"k1\" already defined at line 2", "{}", n);
            assert_eq!(e.line(), Some(n as u32 - 1), "{}", n);
            assert_eq!(load_documents_event_parser(&src, &LoadOptions::resources()).unwrap_err(), e);
        }
    }

    #[test]
    fn non_string_keys_keep_their_text() {
        let n = one("data:\n  1: a\n  true: x\n  1.5: z\n  0x10: q\n  !!str 7: s\n");
        assert_eq!(keys(n.get("data").unwrap()), ["1", "true", "1.5", "0x10", "7"]);
    }

    #[test]
    fn complex_keys() {
        assert!(fail("? [a, b]\n: c\n").message().contains("complex"));
        assert!(fail("{a: 1}: 2\n").message().contains("complex"));
        assert!(fail("a: &m {p: 1}\n*m : 2\n").message().contains("complex"));
        // An alias of a scalar is a fine key.
        let n = one("a: &k kk\n*k : 2\n");
        assert_eq!(n.str_at(&["kk"]), Some("2"));
    }

    #[test]
    fn aliases() {
        let n = one("x: &a {p: 1}\ny: *a\nz: &b [1, 2]\nw: *b\ns: &c hello\nt: *c\nu: !!str &d 5\nv: *d\n");
        assert_eq!(n.get("x"), n.get("y"));
        assert_eq!(n.get("z"), n.get("w"));
        assert_eq!(n.str_at(&["t"]), Some("hello"));
        assert_eq!(scalar(n.get("v").unwrap()).tag.as_deref(), Some("!!str"));
        // Redefined anchors: the latest one counts.
        let n = one("a: &x 1\nb: &x 2\nc: *x\n");
        assert_eq!(n.str_at(&["c"]), Some("2"));
        // Anchored key.
        let n = one("&x a: b\nc: *x\n");
        assert_eq!(n.str_at(&["c"]), Some("a"));
        let e = fail("a: *nope\n");
        assert_eq!(e.message(), "unknown anchor 'nope' referenced");
        assert_eq!((e.line(), e.column()), (Some(1), Some(4)));
        // Anchors do not cross documents.
        assert_eq!(fail("a: &x 1\n---\nb: *x\n").message(), "unknown anchor 'x' referenced");
        let e = load_documents_with("a: &x 1\n---\nb: *x\n", &LoadOptions::stream()).unwrap_err();
        assert_eq!(e.message(), "unknown anchor 'x' referenced");
        // An anchor containing itself.
        assert_eq!(fail("a: &x {b: *x}\n").message(), "anchor 'x' value contains itself");
        assert!(fail("a: &x [[*x]]\n").message().contains("contains itself"));
    }

    #[test]
    fn alias_bomb() {
        let mut s = String::from("a0: &a0 [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
        for i in 1..10 {
            let refs = vec![format!("*a{}", i - 1); 9].join(",");
            s.push_str(&format!("a{}: &a{} [{}]\n", i, i, refs));
        }
        let t = std::time::Instant::now();
        let e = fail(&s);
        assert!(e.message().contains("excessive aliasing"), "{}", e);
        assert!(t.elapsed().as_secs() < 5);
        // Big strings repeated: the byte budget.
        let big = "x".repeat(100_000);
        let mut s = format!("a: &a \"{}\"\nb: [", big);
        for _ in 0..2000 {
            s.push_str("*a,");
        }
        s.push_str("]\n");
        assert!(fail(&s).message().contains("excessive aliasing"));
        // A moderate use of aliases is fine.
        let mut s = String::from("a: &a {x: 1, y: [1, 2, 3]}\nb: [");
        for _ in 0..1000 {
            s.push_str("*a,");
        }
        s.push_str("]\n");
        assert_eq!(one(&s).get("b").unwrap().as_seq().unwrap().len(), 1000);
    }

    #[test]
    fn deep_nesting() {
        // saphyr stops at 255 nested flow collections.
        let n = 100_000;
        let s = format!("x: {}{}\n", "[".repeat(n), "]".repeat(n));
        assert!(fail(&s).message().contains("max depth"));
        let s = format!("x: {}{}\n", "[".repeat(250), "]".repeat(250));
        assert!(load_documents(&s).is_ok());
        // Block collections go deeper.
        let mut s = String::new();
        for i in 0..5000 {
            s.push_str(&" ".repeat(i));
            s.push_str("a:\n");
        }
        assert!(fail(&s).message().contains("max depth"));
        // Just under the limit is fine.
        let mut s = String::new();
        for i in 0..DEFAULT_MAX_DEPTH - 1 {
            s.push_str(&" ".repeat(i));
            s.push_str("a:\n");
        }
        assert!(load_documents(&s).is_ok());
        // Aliases cannot be used to go deeper.
        let mut s = String::from("a: &a\n");
        for i in 1..600 {
            s.push_str(&" ".repeat(i));
            s.push_str("a:\n");
        }
        s.push_str("b:\n");
        for i in 1..600 {
            s.push_str(&" ".repeat(i));
            s.push_str("b:\n");
        }
        s.push_str(&" ".repeat(600));
        s.push_str("b: *a\n");
        assert!(fail(&s).message().contains("max depth"));
    }

    #[test]
    fn merge_keys_kyaml() {
        let base = "m: &m {m: 1}\nl: &l [{l: 1}]\ns: &s str\n";
        let c = |body: &str| -> Result<Node> {
            let d = load_documents(&format!("{}c: {}\n", base, body))?;
            Ok(d[0].get("c").unwrap().clone())
        };
        let n = c("{<<: {q: 1}, d: 2}").unwrap();
        assert_eq!(keys(&n), ["d", "q"]);
        // Own keys win wherever they are.
        assert_eq!(c("{<<: {q: 1}, q: 2}").unwrap().str_at(&["q"]), Some("2"));
        assert_eq!(c("{q: 2, <<: {q: 1}}").unwrap().str_at(&["q"]), Some("2"));
        assert_eq!(c("{<<: *m, m: 5}").unwrap().str_at(&["m"]), Some("5"));
        // Sequences: earlier maps win.
        let n = c("{<<: [{a: 1}, {a: 2, b: 2}], d: 2}").unwrap();
        assert_eq!((n.str_at(&["a"]), n.str_at(&["b"])), (Some("1"), Some("2")));
        assert_eq!(c("{<<: [*m, {m: 3}], d: 1}").unwrap().str_at(&["m"]), Some("1"));
        // Nested merges, merges through aliases.
        let n = c("{<<: {<<: {z: 1}, y: 1}, d: 1}").unwrap();
        assert_eq!((n.str_at(&["y"]), n.str_at(&["z"])), (Some("1"), Some("1")));
        let n = one("a: &a {<<: {p: 1}, q: 2}\nb: {<<: *a}\n");
        assert_eq!(keys(n.get("b").unwrap()), ["q", "p"]);
        assert_eq!(keys(&c("{<<: {}, d: 1}").unwrap()), ["d"]);
        // Quoted `<<` is dropped without merging (kyaml clears the first `<<` key).
        assert_eq!(keys(&c("{\"<<\": {q: 1}, d: 2}").unwrap()), ["d"]);
        assert_eq!(keys(&c("{\"<<\": 5, d: 2}").unwrap()), ["d"]);
        let n = c("{<<: {a: 1}, \"<<\": {b: 1}}").unwrap();
        assert_eq!(keys(&n), ["<<", "a"]);
        assert_eq!(n.get("<<").unwrap().str_at(&["b"]), Some("1"));
        let n = c("{!!merge <<: {q: 1}}").unwrap();
        assert_eq!(keys(&n), ["q"]);
        // Errors.
        let msg = |body: &str| c(body).unwrap_err().message().to_string();
        assert_eq!(msg("{<<: {a: 1}, <<: {b: 1}}"), "duplicate merge key");
        assert_eq!(msg("{<<: 5, d: 1}"), NEEDS_MAP);
        assert_eq!(msg("{<<: , d: 1}"), NEEDS_MAP);
        assert_eq!(msg("{<<: [1], d: 1}"), NEEDS_MAP);
        assert_eq!(msg("{<<: *s}"), "invalid map merge: received alias for a non-map value");
        assert_eq!(msg("{<<: *l}"), "invalid map merge: received alias for a non-map value");
        assert_eq!(msg("{<<: [*s]}"), "invalid map merge: received alias for a non-map value");
        assert_eq!(msg("{<<: [*m, [{a: 1}]]}"), "invalid map merge: received a nested sequence");
        // Literal mode keeps `<<`.
        let d = load_documents_with("a: {<<: {b: 1}}\n", &LoadOptions::stream()).unwrap();
        assert_eq!(keys(d[0].get("a").unwrap()), ["<<"]);
    }

    #[test]
    fn syntax_errors_never_panic() {
        let cases = [
            ("apiVersion: v1\nmetadata:\n\tname: a\n", "found character that cannot start any token", 3),
            ("a: \"x\n", "found unexpected end of stream", 1),
            ("a:\n  b: 1\n c: 2\n", "did not find expected key", 3),
            ("a: b\nc\n", "could not find expected ':'", 3),
            ("a: [1, 2\n", "", 0),
            ("a: {b: 1\n", "", 0),
            ("a: 'x\n", "", 0),
            ("- a\nb: c\n", "", 0),
            ("a: b: c\n", "", 0),
            ("a: &\n", "", 0),
            ("a: !<\n", "", 0),
            ("a: !e!x 1\n", "", 0),
            ("a: |\n  x\n y\n", "", 0),
            ("]\n", "", 0),
            ("a: @x\n", "", 0),
            ("a: `x\n", "", 0),
            ("\"\\q\"\n", "", 0),
            ("a: \u{0}\n", "", 0),
        ];
        for (src, msg, line) in cases {
            let r = std::panic::catch_unwind(|| load_documents(src));
            let r = r.unwrap_or_else(|_| panic!("panicked on {:?}", src));
            let e = match r {
                Ok(d) if msg.is_empty() => {
                    // Some of these are valid YAML after all.
                    let _ = d;
                    continue;
                }
                Ok(d) => panic!("{:?} parsed: {:?}", src, d),
                Err(e) => e,
            };
            assert_eq!(e.kind(), ErrorKind::Yaml);
            assert!(e.line().is_some(), "{:?}: {}", src, e);
            if !msg.is_empty() {
                assert_eq!(e.message(), msg, "{:?}", src);
                assert_eq!(e.line(), Some(line), "{:?}", src);
            }
        }
    }

    #[test]
    fn fuzz_no_panics() {
        let seeds = [
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a # c\ndata:\n  k: 'v'\n  l: |\n    x\n",
            "a: &x [1, {b: *x}]\n--- !t\n? c\n: d\n- e\n",
            "x: {<<: [*m], \"q\": [a, b, {c: d}]}\n...\n%TAG ! y\n",
        ];
        let alphabet: Vec<char> = " \n\t:-?[]{},&*!|>'\"#%@`\\~<xyz0\u{feff}é".chars().collect();
        let mut rng = crate::testing::Gen(0x1234_5678_9abc_def0);
        let mut next = || rng.bits();
        for seed in seeds {
            let base: Vec<char> = seed.chars().collect();
            for _ in 0..1500 {
                let mut v = base.clone();
                let edits = 1 + (next() % 6) as usize;
                for _ in 0..edits {
                    let at = (next() as usize) % (v.len() + 1);
                    let c = alphabet[(next() as usize) % alphabet.len()];
                    match next() % 3 {
                        0 => v.insert(at, c),
                        1 if at < v.len() => v[at] = c,
                        _ if at < v.len() => {
                            v.remove(at);
                        }
                        _ => v.push(c),
                    }
                }
                let s: String = v.into_iter().collect();
                for o in [LoadOptions::resources(), LoadOptions::kustomization(), LoadOptions::stream()] {
                    let r = std::panic::catch_unwind(|| load_documents_with(&s, &o));
                    assert!(r.is_ok(), "panicked on {:?}", s);
                }
            }
        }
    }

    #[test]
    fn go_yaml_leniencies() {
        // A tab after `:`, a comment glued to a quoted scalar or a flow collection: go-yaml
        // accepts them.
        let n = one("a:\tb\nc:\t\t-1\nd: {e:\t1}\n\"f\":\tg\nh: 'i'#c\nj: [k]#c\nl: {m: n}#c\no:\n- \"p\"#c\nq: \"a:\\tb\"\n");
        assert_eq!(n.str_at(&["a"]), Some("b"));
        assert_eq!(n.str_at(&["c"]), Some("-1"));
        assert_eq!(n.str_at(&["d", "e"]), Some("1"));
        assert_eq!(n.str_at(&["f"]), Some("g"));
        assert_eq!(n.str_at(&["h"]), Some("i"));
        assert_eq!(n.get("j").unwrap().as_seq().unwrap().len(), 1);
        assert_eq!(n.str_at(&["l", "m"]), Some("n"));
        assert_eq!(n.str_at(&["q"]), Some("a:\tb"));
        assert_eq!(n.as_map().unwrap().entry("f").unwrap().pos, Pos { line: 4, col: 1 });
        // Many of them.
        let s: String = (0..300).map(|i| format!("k{}:\tv\n", i)).collect();
        assert_eq!(one(&s).as_map().unwrap().len(), 300);
        // Plain scalars keep their `#`.
        assert_eq!(one("a: b#c\n").str_at(&["a"]), Some("b#c"));
    }

    #[test]
    fn bom_and_crlf() {
        let n = one("\u{feff}apiVersion: v1\r\nkind: Foo\r\nspec:\r\n  x: |\r\n    l1\r\n    l2\r\n");
        assert_eq!(n.str_at(&["apiVersion"]), Some("v1"));
        assert_eq!(n.str_at(&["spec", "x"]), Some("l1\nl2\n"));
        assert_eq!(n.as_map().unwrap().entry("kind").unwrap().pos, Pos { line: 2, col: 1 });
        let d = load_documents("a: 1\r\n---\r\nb: 2\r\n").unwrap();
        assert_eq!(d.len(), 2);
        let d = load_documents_with("\u{feff}a: 1\r\n---\r\nb: \"x\r\n  y\"\r\n", &LoadOptions::stream()).unwrap();
        assert_eq!(d[1].str_at(&["b"]), Some("x y"));
        // kyaml decodes each piece on its own: a BOM may start any of them.
        let d = load_documents("a: 1\n---\n\u{feff}b: 2\n").unwrap();
        assert_eq!(d[1].str_at(&["b"]), Some("2"));
        // Old Mac line ends.
        let d = load_documents_with("a: 1\rb: 2\r", &LoadOptions::stream()).unwrap();
        assert_eq!(d[0].str_at(&["b"]), Some("2"));
    }

    #[test]
    fn error_order() {
        // Syntax errors anywhere come before duplicate keys (found when writing out)...
        assert_eq!(fail("a: 1\na: 2\n---\nb: [\n").message(), "did not find expected node content");
        // ...and merge errors before null keys.
        assert_eq!(fail("a: {null: 1, <<: 5}\n").message(), NEEDS_MAP);
    }

    #[test]
    fn non_ascii_positions() {
        let e = fail("é: ü\nb: *nope\n");
        assert_eq!(e.message(), "unknown anchor 'nope' referenced");
        let n = one("é: ü\nb: x\n");
        assert_eq!(n.as_map().unwrap().entry("b").unwrap().pos, Pos { line: 2, col: 1 });
        let e = fail("x:\n  é: 1\n  é: 2\n");
        assert_eq!(e.message(), "mapping key \"é\" already defined at line 2");
    }

    #[test]
    fn load_one_counts_documents() {
        assert_eq!(load_one("").unwrap(), None);
        assert!(load_one("a: 1\n").unwrap().is_some());
        assert!(load_one("a: 1\n---\nb: 1\n").is_err());
    }

    /// Line comments that may hold a schema are kept on their entry (for kyaml's schema
    /// comments); others are not.
    #[test]
    fn schema_comments_are_kept() {
        let n = one(concat!(
            "a: # {\"type\": \"array\"}\n",
            "- x # {\"on\": \"item\"}\n",
            "b: 1   #{\"b\": 1}\n",
            "c: [1, 2] ## {\"c\": 1}\n",
            "d: \"q # {x}\" # {\"d\": 1}\n",
            "e: # plain comment\n",
            "  f: {g: 1} # {\"g\": 1}\n",
            "h: |  # {\"h\": 1}\n",
            "  text\n",
            "i: 'multi\n",
            "  line' # {\"i\": 1}\n",
            "j: é # {\"j\": 1}\n",
            "k:   # {\"k\": 1}\n",
            "l: &x # {\"l\": 1}\n",
            "  m: 1\n",
            "n: 'it''s # x' # {\"n\": 1}\n",
            "o: \"a\\\" # x\" # {\"o\": 1}\n",
        ));
        let m = n.as_map().unwrap();
        let c = |k: &str| m.entry(k).unwrap().comment().map(str::to_string);
        assert_eq!(c("a").as_deref(), Some("# {\"type\": \"array\"}"));
        assert_eq!(c("b").as_deref(), Some("#{\"b\": 1}"));
        assert_eq!(c("c").as_deref(), Some("## {\"c\": 1}"));
        assert_eq!(c("d").as_deref(), Some("# {\"d\": 1}"));
        assert_eq!(c("e"), None);
        let f = m.get("e").unwrap().as_map().unwrap().entry("f").unwrap();
        assert_eq!(f.comment(), Some("# {\"g\": 1}"));
        assert_eq!(f.value.as_map().unwrap().entry("g").unwrap().comment(), None);
        // Comments that do not end the key's line (block scalars, multi-line values, anchors).
        assert_eq!((c("h"), c("i"), c("l")), (None, None, None));
        assert_eq!(c("j").as_deref(), Some("# {\"j\": 1}"));
        assert_eq!(c("k").as_deref(), Some("# {\"k\": 1}"));
        assert_eq!(c("n").as_deref(), Some("# {\"n\": 1}"));
        assert_eq!(c("o").as_deref(), Some("# {\"o\": 1}"));
        assert_eq!(m.get("o").unwrap().as_str(), Some("a\" # x"));
        // Nothing to keep: no allocation, no comment.
        assert_eq!(one("a: 1 # c\n").as_map().unwrap().entries[0].comment, None);
    }
}
