//! A fast path of the loader for the plain YAML almost every Kubernetes file is written in.
//!
//! [`load`] reads one text (one piece of [`super::load`]'s split) line by line and builds the
//! [`Node`]s directly, without the event parser, as long as the text keeps to this subset:
//!
//! * block mappings and block sequences (compact `- key: value` and `- - x` items, sequences
//!   at the indentation of their key), indented with spaces;
//! * one-line scalars: plain ones (a comment may follow after a space), single-quoted ones
//!   and double-quoted ones without escapes, as values, sequence items, keys or documents;
//! * literal and folded block scalars (`|`, `|-`, `|+`, `>`...) without an indentation
//!   indicator, as values or sequence items;
//! * one-line flow sequences and flow mappings of such scalars (`["a", b]`, `{a: 'b'}`, `[]`,
//!   `{}`);
//! * comments, blank lines and `---` separators (with or without a comment).
//!
//! Anything else makes it answer `None` ("not sure"), and the caller then runs the event
//! parser on the same text as if this path did not exist: anchors, aliases, tags, `?` keys,
//! directives, `...`, tabs, carriage returns, byte order marks, multi-line plain or quoted
//! scalars, escapes, nested or multi-line flow collections, merge keys (`<<`), null keys, keys
//! longer than simple keys may be, indentation it does not fully understand, block scalars in
//! a text without a final line break, nesting past [`MAX_DEPTH`], texts where the loader looks
//! for schema comments (a `#` and a `{`), and whatever would be a syntax error.
//!
//! The contract: whenever [`load`] answers `Some`, the documents are exactly those the event
//! parser path gives for the same text and options (same nodes, scalar styles, entry positions,
//! dropped documents, duplicate-key behaviour). The loader's own helpers decide what is shared
//! with it ([`is_dropped`], [`last_wins`], [`is_null_key`]). The tests below (every YAML file
//! of the golden corpus, the conformance corpus and the fuzz seeds, through both paths, with
//! every option preset) and the `yaml_fast` fuzz target check the contract; in those runs
//! `load_documents_checked` reads every text the fast path reads with the event parser too.
//!
//! On the generated 1,100-resource tree this path reads every file; loading is about 6 times
//! cheaper in instructions than through the event parser.

use super::load::{is_dropped, is_null_key, last_wins, DuplicateKeys, LoadOptions};
use super::node::{Entry, Mapping, Node, Pos, Scalar, Style};

/// Collections nested deeper than this are left to the event parser (the fast path recurses).
pub(super) const MAX_DEPTH: usize = 100;
/// Longer keys are left to the event parser (simple keys are limited to 1024 characters).
const MAX_KEY_LEN: usize = 1000;

/// Reads the documents of one text (only the first one when `first_only`), or `None` when the
/// text is outside the subset this path understands.
pub(super) fn load(text: &str, line_offset: u32, opts: &LoadOptions, first_only: bool) -> Option<Vec<Node>> {
    let b = text.as_bytes();
    // One pass over the bytes (no early exit, so that it vectorizes).
    let (mut bad, mut hash, mut brace, mut ef) = (false, false, false, false);
    for &c in b {
        bad |= c == b'\t' || c == b'\r';
        hash |= c == b'#';
        brace |= c == b'{';
        ef |= c == 0xEF;
    }
    // Tabs and carriage returns are not handled; `#` with `{`: the loader looks for schema
    // comments (see `Entry::comment`); 0xEF may start a byte order mark.
    if bad || (hash && brace) || (ef && text.contains('\u{feff}')) {
        return None;
    }
    let mut p = Parser {
        text,
        b,
        start: 0,
        end: find_nl(b, 0),
        line: 1,
        line_offset,
        dup_last_wins: opts.duplicate_keys == DuplicateKeys::LastWins,
        max_depth: opts.max_depth.min(MAX_DEPTH),
        ends_nl: b.last() == Some(&b'\n'),
        peeked: (usize::MAX, Peek::Eof),
    };
    let mut docs = Vec::new();
    loop {
        let root = match p.peek()? {
            Peek::Eof => break,
            Peek::Sep => {
                p.advance();
                p.document()?
            }
            Peek::Content(_) => p.document()?,
        };
        if !is_dropped(opts, &root) {
            docs.push(root);
        }
        if first_only {
            break;
        }
    }
    Some(docs)
}

fn find_nl(b: &[u8], from: usize) -> usize {
    match b[from..].iter().position(|&c| c == b'\n') {
        Some(i) => from + i,
        None => b.len(),
    }
}

fn spaces(l: &[u8]) -> usize {
    l.iter().take_while(|&&c| c == b' ').count()
}

fn skip_spaces(l: &[u8], mut i: usize) -> usize {
    while i < l.len() && l[i] == b' ' {
        i += 1;
    }
    i
}

/// `-` followed by a space or the end of the line: a block sequence entry.
fn is_dash(l: &[u8], i: usize) -> bool {
    l.get(i) == Some(&b'-') && matches!(l.get(i + 1), None | Some(b' '))
}

fn empty_scalar() -> Node {
    Node::Scalar(Scalar { value: String::new(), style: Style::Plain, tag: None })
}

/// The next line that is not blank and not a comment.
#[derive(Clone, Copy)]
enum Peek {
    Eof,
    /// A `---` line (nothing or a comment after it).
    Sep,
    /// A content line, with its indentation.
    Content(usize),
}

/// A key read at the start of a line's content.
struct Key {
    text: String,
    style: Style,
    /// Where its value starts: just after the `:`.
    after: usize,
}

struct Parser<'a> {
    text: &'a str,
    b: &'a [u8],
    /// The current line: bytes `start..end` (`end` is its `\n` or the end of the text);
    /// `start == b.len()` past the last line.
    start: usize,
    end: usize,
    /// 1-based number of the current line in the text.
    line: u32,
    line_offset: u32,
    dup_last_wins: bool,
    max_depth: usize,
    ends_nl: bool,
    /// The last answer of `peek`, and the line it is about.
    peeked: (usize, Peek),
}

impl<'a> Parser<'a> {
    fn cur(&self) -> &'a [u8] {
        &self.b[self.start..self.end]
    }

    fn cur_str(&self, from: usize, to: usize) -> &'a str {
        &self.text[self.start + from..self.start + to]
    }

    fn eof(&self) -> bool {
        self.start >= self.b.len()
    }

    fn advance(&mut self) {
        if self.end >= self.b.len() {
            self.start = self.b.len();
            self.end = self.b.len();
        } else {
            self.start = self.end + 1;
            self.end = find_nl(self.b, self.start);
        }
        self.line += 1;
    }

    /// Skips blank and comment lines; `None` on lines this path does not read (`...`,
    /// directives, a separator followed by content).
    fn peek(&mut self) -> Option<Peek> {
        if self.peeked.0 == self.start {
            return Some(self.peeked.1);
        }
        let p = self.peek_uncached()?;
        self.peeked = (self.start, p);
        Some(p)
    }

    fn peek_uncached(&mut self) -> Option<Peek> {
        loop {
            if self.eof() {
                return Some(Peek::Eof);
            }
            let l = self.cur();
            let ind = spaces(l);
            if ind == l.len() || l[ind] == b'#' {
                self.advance();
                continue;
            }
            if ind == 0 {
                match l[0] {
                    b'-' if l.starts_with(b"---") => {
                        let rest = &l[3..];
                        if rest.is_empty() {
                            return Some(Peek::Sep);
                        }
                        if rest[0] != b' ' {
                            return None;
                        }
                        let i = skip_spaces(rest, 0);
                        return if i == rest.len() || rest[i] == b'#' { Some(Peek::Sep) } else { None };
                    }
                    b'.' if l.starts_with(b"...") => return None,
                    b'%' => return None,
                    _ => {}
                }
            }
            return Some(Peek::Content(ind));
        }
    }

    /// A document: its content lines up to the next separator or the end of the text.
    fn document(&mut self) -> Option<Node> {
        match self.peek()? {
            Peek::Eof | Peek::Sep => Some(empty_scalar()),
            Peek::Content(m) => {
                let n = self.own_line(m, -1, 0)?;
                match self.peek()? {
                    Peek::Eof | Peek::Sep => Some(n),
                    Peek::Content(_) => None,
                }
            }
        }
    }

    /// A node starting at column `c` of the current line, where nothing precedes it on the
    /// line but indentation (or `- ` entries). `parent` is the indentation of the enclosing
    /// collection (-1 at the root).
    fn own_line(&mut self, c: usize, parent: isize, depth: usize) -> Option<Node> {
        let l = self.cur();
        if is_dash(l, c) {
            return self.block_seq(c, depth, false);
        }
        match self.key_at(c)? {
            Some(k) => self.block_map(c, k, depth),
            None => {
                if matches!(l[c], b'|' | b'>') {
                    return None;
                }
                self.inline_value(c, parent, depth)
            }
        }
    }

    /// Whether the content at column `c` of the current line is a mapping key (`key: ...`,
    /// `"key": ...`); `None` when unsure.
    fn key_at(&self, c: usize) -> Option<Option<Key>> {
        let l = self.cur();
        let c0 = l[c];
        if c0 == b'"' || c0 == b'\'' {
            let (text, style, after) = self.quoted(c)?;
            if after < l.len() && l[after] == b':' && matches!(l.get(after + 1), None | Some(b' ')) {
                if after - c > MAX_KEY_LEN {
                    return None;
                }
                return Some(Some(Key { text, style, after: after + 1 }));
            }
            return Some(None);
        }
        if !plain_start(l, c) {
            // Not a key; maybe a value (`[`, `|`...), else something this path does not read.
            return matches!(c0, b'[' | b'{' | b'|' | b'>').then_some(None);
        }
        let mut j = c + 1;
        while j < l.len() {
            match l[j] {
                b'#' if l[j - 1] == b' ' => return Some(None),
                b':' if matches!(l.get(j + 1), None | Some(b' ')) => {
                    if l[j - 1] == b' ' || j - c > MAX_KEY_LEN {
                        return None;
                    }
                    let text = self.cur_str(c, j).to_string();
                    return Some(Some(Key { text, style: Style::Plain, after: j + 1 }));
                }
                _ => {}
            }
            j += 1;
        }
        Some(None)
    }

    /// A quoted scalar opening at column `i` and closing on the same line (no escapes in double
    /// quotes): its value, style and the column just after the closing quote.
    fn quoted(&self, i: usize) -> Option<(String, Style, usize)> {
        let l = self.cur();
        if l[i] == b'"' {
            let mut j = i + 1;
            while j < l.len() {
                match l[j] {
                    b'"' => return Some((self.cur_str(i + 1, j).to_string(), Style::DoubleQuoted, j + 1)),
                    b'\\' => return None,
                    _ => j += 1,
                }
            }
            return None;
        }
        let mut out = String::new();
        let mut from = i + 1;
        let mut j = from;
        while j < l.len() {
            if l[j] == b'\'' {
                out.push_str(self.cur_str(from, j));
                if l.get(j + 1) == Some(&b'\'') {
                    out.push('\'');
                    j += 2;
                    from = j;
                    continue;
                }
                return Some((out, Style::SingleQuoted, j + 1));
            }
            j += 1;
        }
        None
    }

    /// A block mapping at column `c` whose first key (already read) is on the current line.
    fn block_map(&mut self, c: usize, first: Key, depth: usize) -> Option<Node> {
        if depth >= self.max_depth {
            return None;
        }
        let mut entries: Vec<Entry> = Vec::new();
        let mut key = first;
        loop {
            if !self.plain_key_ok(&key.text, key.style) {
                return None;
            }
            let pos = Pos { line: self.line.saturating_add(self.line_offset), col: c as u32 + 1 };
            let value = self.value_after(key.after, c, depth)?;
            entries.push(Entry { key: key.text, value, pos, comment: None });
            match self.peek()? {
                Peek::Content(m) if m == c => {
                    if is_dash(self.cur(), c) {
                        return None;
                    }
                    key = self.key_at(c)??;
                }
                Peek::Content(m) if m > c => return None,
                _ => break,
            }
        }
        Some(self.finish_map(entries))
    }

    /// The value of a key of the mapping at column `n` whose `:` ends at column `v`.
    fn value_after(&mut self, v: usize, n: usize, depth: usize) -> Option<Node> {
        let l = self.cur();
        let i = skip_spaces(l, v);
        if i < l.len() && l[i] != b'#' {
            return self.inline_value(i, n as isize, depth + 1);
        }
        self.advance();
        match self.peek()? {
            Peek::Content(m) if m > n => self.own_line(m, n as isize, depth + 1),
            Peek::Content(m) if m == n && is_dash(self.cur(), m) => self.block_seq(m, depth + 1, true),
            _ => Some(empty_scalar()),
        }
    }

    /// A block sequence whose first `-` is at column `c` of the current line. `indentless`:
    /// the value of a key at the same column, ended by the next key.
    fn block_seq(&mut self, c: usize, depth: usize, indentless: bool) -> Option<Node> {
        if depth >= self.max_depth {
            return None;
        }
        let mut items = Vec::new();
        loop {
            let l = self.cur();
            let i = skip_spaces(l, c + 1);
            let item = if i == l.len() || l[i] == b'#' {
                self.advance();
                match self.peek()? {
                    Peek::Content(m) if m > c => self.own_line(m, c as isize, depth + 1)?,
                    _ => empty_scalar(),
                }
            } else if is_dash(l, i) {
                self.block_seq(i, depth + 1, false)?
            } else {
                match self.key_at(i)? {
                    Some(k) => self.block_map(i, k, depth + 1)?,
                    None => self.inline_value(i, c as isize, depth + 1)?,
                }
            };
            items.push(item);
            match self.peek()? {
                Peek::Content(m) if m == c => {
                    if !is_dash(self.cur(), c) {
                        if indentless {
                            break;
                        }
                        return None;
                    }
                }
                Peek::Content(m) if m > c => return None,
                _ => break,
            }
        }
        Some(Node::Seq(items))
    }

    /// A value starting at column `i` of the current line after a key's `:` or a `- ` (or
    /// alone on its line): a one-line scalar, a flow collection or a block scalar. Moves past
    /// it and checks that nothing continues it (the next content line is indented at most
    /// `parent`).
    fn inline_value(&mut self, i: usize, parent: isize, depth: usize) -> Option<Node> {
        let l = self.cur();
        let node = match l[i] {
            b'|' | b'>' => {
                if parent < 0 {
                    return None;
                }
                self.block_scalar(i, parent as usize)?
            }
            b'"' | b'\'' => {
                let (value, style, after) = self.quoted(i)?;
                if !line_ends(l, after) {
                    return None;
                }
                self.advance();
                Node::Scalar(Scalar { value, style, tag: None })
            }
            b'[' => {
                let n = self.flow_seq(i, depth)?;
                self.advance();
                n
            }
            b'{' => {
                let n = self.flow_map(i, depth)?;
                self.advance();
                n
            }
            _ => {
                if !plain_start(l, i) {
                    return None;
                }
                let mut end = l.len();
                let mut j = i + 1;
                while j < l.len() {
                    match l[j] {
                        b'#' if l[j - 1] == b' ' => {
                            end = j;
                            break;
                        }
                        b':' if matches!(l.get(j + 1), None | Some(b' ')) => return None,
                        _ => {}
                    }
                    j += 1;
                }
                while l[end - 1] == b' ' {
                    end -= 1;
                }
                let value = self.cur_str(i, end).to_string();
                self.advance();
                Node::Scalar(Scalar { value, style: Style::Plain, tag: None })
            }
        };
        match self.peek()? {
            Peek::Content(m) if m as isize > parent => None,
            _ => Some(node),
        }
    }

    /// A one-line flow sequence of scalars opening at column `i`.
    fn flow_seq(&self, i: usize, depth: usize) -> Option<Node> {
        if depth >= self.max_depth {
            return None;
        }
        let l = self.cur();
        let mut items = Vec::new();
        let mut j = skip_spaces(l, i + 1);
        if l.get(j) == Some(&b']') {
            return line_ends(l, j + 1).then_some(Node::Seq(items));
        }
        loop {
            let (item, after) = self.flow_scalar(j, false)?;
            items.push(Node::Scalar(item));
            j = skip_spaces(l, after);
            match l.get(j) {
                Some(b',') => {
                    j = skip_spaces(l, j + 1);
                    if matches!(l.get(j), None | Some(b']')) {
                        return None;
                    }
                }
                Some(b']') => break,
                _ => return None,
            }
        }
        line_ends(l, j + 1).then_some(Node::Seq(items))
    }

    /// A one-line flow mapping of scalars (`{a: b, "c": 'd'}`) opening at column `i`.
    fn flow_map(&self, i: usize, depth: usize) -> Option<Node> {
        if depth >= self.max_depth {
            return None;
        }
        let l = self.cur();
        let mut entries = Vec::new();
        let mut j = skip_spaces(l, i + 1);
        if l.get(j) == Some(&b'}') {
            return line_ends(l, j + 1).then(|| Node::Map(Mapping::new()));
        }
        loop {
            let (key, colon) = self.flow_scalar(j, true)?;
            if l.get(colon) != Some(&b':') || l.get(colon + 1) != Some(&b' ') || l[colon - 1] == b' ' {
                return None;
            }
            if !self.plain_key_ok(&key.value, key.style) {
                return None;
            }
            // The column counts characters.
            let col = l[..j].iter().filter(|&&c| c & 0xC0 != 0x80).count() as u32 + 1;
            let pos = Pos { line: self.line.saturating_add(self.line_offset), col };
            let (value, after) = self.flow_scalar(skip_spaces(l, colon + 1), false)?;
            entries.push(Entry { key: key.value, value: Node::Scalar(value), pos, comment: None });
            j = skip_spaces(l, after);
            match l.get(j) {
                Some(b',') => {
                    j = skip_spaces(l, j + 1);
                    if matches!(l.get(j), None | Some(b'}')) {
                        return None;
                    }
                }
                Some(b'}') => break,
                _ => return None,
            }
        }
        line_ends(l, j + 1).then(|| self.finish_map(entries))
    }

    /// A scalar of a one-line flow collection at column `j`: quoted, or plain without `:`,
    /// `#`, quotes or flow indicators (a `key` ends at its `:`). Returns it and the column
    /// after it (after the closing quote, or the end of the plain text before the spaces that
    /// follow it).
    fn flow_scalar(&self, j: usize, key: bool) -> Option<(Scalar, usize)> {
        let l = self.cur();
        let c = *l.get(j)?;
        if c == b'"' || c == b'\'' {
            let (value, style, after) = self.quoted(j)?;
            return Some((Scalar { value, style, tag: None }, after));
        }
        // (`-` must not be followed by a flow indicator either.)
        if !plain_start(l, j) || (c == b'-' && matches!(l.get(j + 1), Some(b',' | b'[' | b']' | b'{' | b'}'))) {
            return None;
        }
        let from = j;
        let mut j = j;
        while j < l.len() && !matches!(l[j], b',' | b']' | b'}') {
            match l[j] {
                b':' if key => break,
                b'[' | b'{' | b'#' | b':' | b'\'' | b'"' => return None,
                _ => j += 1,
            }
        }
        if key {
            if j - from > MAX_KEY_LEN {
                return None;
            }
            return Some((Scalar { value: self.cur_str(from, j).to_string(), style: Style::Plain, tag: None }, j));
        }
        let mut end = j;
        while l[end - 1] == b' ' {
            end -= 1;
        }
        Some((Scalar { value: self.cur_str(from, end).to_string(), style: Style::Plain, tag: None }, end))
    }

    /// Merge keys and null keys are the loader's business (see `finish_map` in `load.rs`).
    fn plain_key_ok(&self, text: &str, style: Style) -> bool {
        text != "<<" && !(style == Style::Plain && is_null_key(text, style, None))
    }

    /// A mapping of the entries read (the last of a repeated key wins, if the options say so).
    fn finish_map(&self, mut entries: Vec<Entry>) -> Node {
        if self.dup_last_wins && has_duplicates(&entries) {
            entries = last_wins(entries);
        }
        Node::Map(Mapping { entries })
    }

    /// A block scalar whose header is at column `i` of the current line, in a collection
    /// indented `parent`. Follows saphyr's `scan_block_scalar` for the cases it accepts.
    fn block_scalar(&mut self, i: usize, parent: usize) -> Option<Node> {
        // saphyr adds a final line break the loader then takes away at the end of a text
        // without one: not handled here.
        if !self.ends_nl {
            return None;
        }
        let l = self.cur();
        let literal = l[i] == b'|';
        let (mut strip, mut keep) = (false, false);
        let mut j = i + 1;
        match l.get(j) {
            Some(b'-') => {
                strip = true;
                j += 1;
            }
            Some(b'+') => {
                keep = true;
                j += 1;
            }
            _ => {}
        }
        if j < l.len() {
            if l[j] != b' ' {
                return None;
            }
            j = skip_spaces(l, j);
            if j < l.len() && l[j] != b'#' {
                return None;
            }
        }
        self.advance();
        // Leading empty lines; the indentation is the first content line's.
        let mut breaks = 0usize;
        let mut max_indent = 0usize;
        loop {
            if self.eof() {
                return None;
            }
            let l = self.cur();
            let s = spaces(l);
            max_indent = max_indent.max(s);
            if s < l.len() {
                break;
            }
            breaks += 1;
            self.advance();
        }
        let indent = max_indent.max(parent + 1);
        if spaces(self.cur()) < indent {
            return None;
        }
        let mut out = String::new();
        let mut leading_break = false;
        let mut leading_blank = false;
        loop {
            // A content line: at least `indent` spaces, then something.
            let l = self.cur();
            let trailing_blank = l[indent] == b' ';
            if !literal && leading_break && !leading_blank && !trailing_blank {
                if breaks == 0 {
                    out.push(' ');
                }
            } else if leading_break {
                out.push('\n');
            }
            for _ in 0..breaks {
                out.push('\n');
            }
            breaks = 0;
            leading_blank = trailing_blank;
            out.push_str(self.cur_str(indent, l.len()));
            // The text ends with a line break: so does this line.
            leading_break = true;
            self.advance();
            // Empty lines (up to `indent` spaces).
            while !self.eof() {
                let l = self.cur();
                let s = spaces(l).min(indent);
                if s < l.len() {
                    break;
                }
                breaks += 1;
                self.advance();
            }
            if self.eof() || spaces(self.cur()) < indent {
                break;
            }
        }
        if !strip && leading_break {
            out.push('\n');
        }
        if keep {
            for _ in 0..breaks {
                out.push('\n');
            }
        }
        let style = if literal { Style::Literal } else { Style::Folded };
        Some(Node::Scalar(Scalar { value: out, style, tag: None }))
    }
}

/// Whether only spaces, then the end of the line or a comment, follow column `i`.
fn line_ends(l: &[u8], i: usize) -> bool {
    let j = skip_spaces(l, i);
    j == l.len() || (l[j] == b'#' && j > i)
}

/// Whether a plain scalar may start at column `i` (in block context; flow sequences check
/// more).
fn plain_start(l: &[u8], i: usize) -> bool {
    match l[i] {
        b'-' | b':' => matches!(l.get(i + 1), Some(&c) if c != b' '),
        b'?' | b',' | b'[' | b']' | b'{' | b'}' | b'#' | b'&' | b'*' | b'!' | b'|' | b'>' | b'\'' | b'"' | b'%'
        | b'@' | b'`' | b' ' => false,
        _ => true,
    }
}

/// Whether two entries have the same key (small mappings without hashing).
fn has_duplicates(entries: &[Entry]) -> bool {
    if entries.len() > 16 {
        return true; // let `last_wins` decide
    }
    entries.iter().enumerate().any(|(i, e)| entries[..i].iter().any(|f| f.key == e.key))
}

#[cfg(test)]
mod tests {
    use super::super::load::{load_documents_checked, load_documents_event_parser, DuplicateKeys, LoadOptions, Split};
    use super::{Node, Pos, MAX_DEPTH};
    use std::path::{Path, PathBuf};

    fn presets() -> [(&'static str, LoadOptions); 3] {
        [
            ("resources", LoadOptions::resources()),
            ("kustomization", LoadOptions::kustomization()),
            ("stream", LoadOptions::stream()),
        ]
    }

    /// Pieces offered to / read by the fast path, per preset.
    #[derive(Default, Debug, Clone, Copy)]
    struct Counts {
        texts: usize,
        texts_read: usize,
        pieces: usize,
        pieces_read: usize,
    }

    /// Loads `src` with every preset through both paths and asserts that they agree (on every
    /// piece the fast path reads, and on the whole result). Returns, per preset, whether the
    /// fast path read every piece (and there was one).
    fn check(src: &str, counts: &mut [Counts; 3]) -> [bool; 3] {
        let mut all = [false; 3];
        for (k, (name, o)) in presets().iter().enumerate() {
            let (fast, stats) = load_documents_checked(src, o, true);
            assert!(stats.mismatches.is_empty(), "{}: {}", name, stats.mismatches.join("\n"));
            let slow = load_documents_event_parser(src, o);
            assert!(fast == slow, "{}: paths differ on {:?}:\n{:?}\n{:?}", name, src, fast.as_ref().ok(), slow.as_ref().ok());
            let c = &mut counts[k];
            c.texts += 1;
            c.pieces += stats.pieces;
            c.pieces_read += stats.accepted;
            if stats.pieces > 0 && stats.accepted == stats.pieces {
                c.texts_read += 1;
                all[k] = true;
            }
        }
        all
    }

    /// Whether the fast path reads `src` (every piece, every preset) — and agrees.
    fn fast(src: &str) -> bool {
        check(src, &mut [Counts::default(); 3]).iter().all(|&b| b)
    }

    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let Ok(rd) = std::fs::read_dir(dir) else { return };
        let mut entries: Vec<_> = rd.flatten().map(|e| e.path()).collect();
        entries.sort();
        for p in entries {
            if p.is_dir() {
                walk(&p, out);
            } else {
                out.push(p);
            }
        }
    }

    /// YAML-ish files: `.yaml`, `.yml`, `.json` and files without an extension (all of the
    /// fuzz corpus).
    fn corpus(dir: &Path, any: bool) -> Vec<String> {
        let mut files = Vec::new();
        walk(dir, &mut files);
        files
            .into_iter()
            .filter(|p| {
                any || matches!(p.extension().and_then(|e| e.to_str()), None | Some("yaml" | "yml" | "json"))
            })
            .filter_map(|p| std::fs::read(&p).ok())
            .filter(|b| b.len() < 4 << 20)
            .filter_map(|b| String::from_utf8(b).ok())
            .collect()
    }

    fn run_corpus(name: &str, dir: &Path, any: bool) -> Option<[Counts; 3]> {
        if !dir.is_dir() {
            eprintln!("{}: {} absent, skipped", name, dir.display());
            return None;
        }
        let texts = corpus(dir, any);
        let mut counts = [Counts::default(); 3];
        for t in &texts {
            check(t, &mut counts);
        }
        for (k, (preset, _)) in presets().iter().enumerate() {
            let c = counts[k];
            eprintln!(
                "{} [{}]: {} texts, {} read by the fast path; {} pieces, {} read",
                name, preset, c.texts, c.texts_read, c.pieces, c.pieces_read
            );
        }
        Some(counts)
    }

    fn root() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
    }

    #[test]
    fn differential_testdata() {
        let c = run_corpus("testdata", &root().join("testdata"), false).expect("testdata exists");
        // The golden corpus is mostly plain Kubernetes YAML.
        assert!(c[0].texts_read * 2 > c[0].texts, "{:?}", c[0]);
    }

    #[test]
    fn differential_conformance() {
        run_corpus("conformance", &root().join("../shared/conformance"), false);
    }

    #[test]
    fn differential_fuzz_corpus() {
        run_corpus("fuzz corpus", &root().join("fuzz/corpus"), true);
    }

    /// Inputs the fast path reads (and the event parser agrees).
    #[test]
    fn tricky_inputs_taken() {
        let taken = [
            "a:\n",
            "a:\nb: 1\n",
            "a:   \nb:\n",
            "a:\n- x\n- y\nb: 1\n",
            "a:\n  - x\n  - y\nb: 1\n",
            "- a:\n  - x\n  b: 1\n",
            "a: 1 # c\nb: 'x' # c\nc: \"y\"   # c\nd: [a] # c\n",
            "--- # c\na: 1\n--- # d\nb: 2\n",
            "---\na: 1\n---\n\n---\nb: 2\n",
            "# only\n# comments\n",
            "# c\n---\na: 1\n",
            "'a b': 1\n\"c\": 2\n'': 3\n",
            "a: 'it''s'\nb: ''''\nc: ''\nd: \"\"\n",
            "a: yes\nb: 0x1F\nc: ~\nd: \"a#b\"\ne: a #b\nf: a#b\ng: -1\nh: null\ni: 1e3\nj: 010\n",
            "- -\n",
            "- - a\n  - b\n- c\n",
            "- a: 1\n  b: 2\n- c: 3\n-   d: 4\n    e: 5\n",
            ":x: 1\n-y: 2\na:b: 3\n",
            "a b: c\nd  e: f g  h\n",
            "a:\n      b:\n          c: 1\n      d: 2\n",
            "  a: 1\n  b: 2\n",
            "  - a\n  - b\n",
            "hello\n",
            "hello world # c\n",
            "'x'\n",
            "\"y\"\n",
            "null\n",
            "~\n",
            "a: b   \nc:   \n  d: 1  \n",
            "a: 1",
            "a:\n  b: x",
            "a: |\n  x\n\n  y\n\nb: 1\n",
            "a: |-\n  x\n  y\n",
            "a: |+\n  x\n\n\nb: 1\n",
            "a: |+\n  x\n\n",
            "a: |  # c\n  x\n",
            "a: >\n  x\n  y\n\n  z\n   w\n  v\n\n\n  u\n",
            "a: >-\n   x\n   y\n",
            "- |\n  a\n- >-\n  b\n-  |\n   c\n",
            "a: |\n\n  x\n",
            "a: |\n  x\n    \n  y\n",
            "a: |\n  x\n \n  y\n",
            "a: |\n  \n    x\n",
            "a:\n  [x]\n",
            "a:\n  b: |\n    x\n  # c\n  c: 1\n",
            "a: |\n  x\n# c\nb: 1\n",
            "a: |\n  #x\n  ---\n---\nb: 1\n",
            "a: [\"x\", 'y', z, -1, 'a''b', a b]\nb: []\nc: {}\nd: [ ]\ne: { }\n",
            "key:\n  value\nkey2:\n  'v'\n",
            "a:\n  # c\n  b: 1\n# d\n  # e\nc: 2\n",
            "-\n  a: 1\n-\n  - x\n- \n- y\n",
            "a:\n-\n- x\n",
            "a: :x\nb: -x\nc: x-\nd: a:b\ne: http://x:80/y\n",
            "é: ü\nb: x\n'ö': \"ä\"\n",
            "a: 1\n---\nb: 2\nc: 3\n---\n- d\n",
            "a: 1\nb: 2\na: 3\n",
            "a: 1\n\n\n\nb: 2\n",
            "a: ---\nb: ...\nc: '---'\n",
            "a: x]\nb: x}\nc: x,y\nd: x[0]\n",
            "a: {b: 1, 'c': \"d\", e f: g,  h:  -1 }\n",
            "- {name: x, value: 'y'}\n- {}\n",
            "{a: b}\n",
            "a: {é: ü, b: c}\n",
            "a: {b: 1, b: 2}\n",
            "a: {\"b\": c, d: e}\n",
            "x:\n  {a: b}\n",
            "a: [--x, -y]\n",
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  labels:\n    a: b\ndata:\n  k: v\n",
        ];
        for src in taken {
            assert!(fast(src), "the fast path did not read {:?}", src);
        }
    }

    /// Inputs the fast path leaves to the event parser (errors, or outside its subset): both
    /// paths still agree.
    #[test]
    fn tricky_inputs_left() {
        let left = [
            "",
            "a: b: c\n",
            "a: 1\n- x\n",
            "- x\na: 1\n",
            "a:\n  b: 1\n c: 2\n",
            "a: 'x'#c\n",
            "a: [x]#c\n",
            "a: &x 1\nb: *x\n",
            "a: !!str 1\n",
            "<<: {a: 1}\n",
            "x:\n  <<:\n    a: 1\n  b: 2\n",
            "'<<': 1\n",
            "null: 1\n",
            "~: 1\n",
            "a: b\n  c\n",
            "a: b # c\n  d\n",
            "- a\n  b\n",
            "a: 'x\n  y'\n",
            "a: \"x\\ny\"\n",
            "a: |\n  x",
            "a: |\nb: 1\n",
            "a: |2\n   x\n",
            "a: |\n      \n    x\n",
            "a: |\n    x\n  y: 1\n",
            "a: |\n   x\n  y\n",
            "a: -\n",
            "a: ?x\n",
            "? a\n: b\n",
            "a: %x\n",
            "a: @x\n",
            "a: x:\n",
            "a: {b: 1,}\n",
            "a: {b:1}\n",
            "a: {b: }\n",
            "a: {b}\n",
            "a: {b : 1}\n",
            "a: {b: [c]}\n",
            "a: {<<: {x: 1}}\n",
            "a: {'<<': x}\n",
            "a: {null: x}\n",
            "a: {b: c}}\n",
            "a: {b: c\n",
            "a: [b, [c]]\n",
            "a: [b,]\n",
            "a: [\n  b]\n",
            "...\n",
            "a: 1\n...\n",
            "%YAML 1.2\n---\na: 1\n",
            "--- a\n",
            "--- |\n  x\n",
            "a:\tb\n",
            "a: 1\r\nb: 2\r\n",
            "\u{feff}a: 1\n",
            "a: 1 # {x}\n",
            "a : 1\n",
            "'a' : 1\n",
            "a:\n  |\n    x\n",
        ];
        for src in left {
            assert!(!fast(src), "the fast path read {:?}", src);
        }
        // Deep nesting: left to the event parser past MAX_DEPTH.
        let deep: String = (0..MAX_DEPTH + 5).map(|i| format!("{}a:\n", " ".repeat(i))).collect();
        assert!(!fast(&deep));
        let ok: String = (0..MAX_DEPTH - 5).map(|i| format!("{}a:\n", " ".repeat(i))).collect();
        assert!(fast(&ok));
        // Long keys.
        assert!(!fast(&format!("{}: 1\n", "k".repeat(1500))));
        assert!(fast(&format!("{}: 1\n", "k".repeat(500))));
    }

    /// Random edits of YAML-like texts, with pieces of the syntax the fast path reads: both
    /// paths must agree on every one.
    #[test]
    fn random_edits_agree() {
        let seeds = [
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a # c\n  labels:\n    x: 'y'\ndata:\n  k: \"v\"\n  l: |\n    x\n\n    y\n",
            "a:\n- b: 1\n  c:\n  - d\n  - [e, 'f']\n- - g\n  - h\n---\ni: >-\n  j\n   k\n\n  l\nm: {}\n",
            "- x\n-\n  y: z\n- |+\n  w\n\n# c\n--- # d\nq:\n  r: s\n  t: u\n",
            "a: {b: c, 'd': \"e\", f: [g, 'h']}\ni:\n- {j: k}\n- [l, m]\n",
        ];
        let tokens = [
            " ", "  ", "\n", "\n  ", "- ", "-", ": ", ":", "#", " #", "'", "''", "\"", "|", "|-", "|+", ">", "[", "]",
            "{", "}", ",", "a", "b", "---", "\n---\n", "...", "~", "null", "<<", "é", "x: y", "\n- ", "\n  - ",
        ];
        let mut rng = crate::testing::Gen(0x9e37_79b9_7f4a_7c15);
        let mut next = move || rng.bits();
        let mut counts = [Counts::default(); 3];
        for seed in seeds {
            for _ in 0..4000 {
                let mut s = seed.to_string();
                for _ in 0..1 + next() % 4 {
                    // Edit at a char boundary.
                    let mut at = (next() as usize) % (s.len() + 1);
                    while !s.is_char_boundary(at) {
                        at -= 1;
                    }
                    match next() % 3 {
                        0 => s.insert_str(at, tokens[(next() as usize) % tokens.len()]),
                        1 => {
                            let mut end = (at + 1 + (next() as usize) % 4).min(s.len());
                            while !s.is_char_boundary(end) {
                                end += 1;
                            }
                            s.replace_range(at..end, "");
                        }
                        _ => {
                            let mut end = (at + 1 + (next() as usize) % 3).min(s.len());
                            while !s.is_char_boundary(end) {
                                end += 1;
                            }
                            s.replace_range(at..end, tokens[(next() as usize) % tokens.len()]);
                        }
                    }
                }
                check(&s, &mut counts);
            }
        }
        // A good part of them stays in the subset.
        assert!(counts[2].texts_read * 10 > counts[2].texts, "{:?}", counts);
    }

    /// Options other than the presets: depth limits, null documents, last-wins keys.
    #[test]
    fn other_options_agree() {
        let texts = [
            "a:\n  b:\n    c: 1\n",
            "- - - x\n",
            "a: [x]\nb: {}\n",
            "null\n---\n~\n---\na: 1\nb: 2\na: 3\n",
            "a:\n  x: 1\n  x: 2\n",
        ];
        for depth in 0..5 {
            for split in [Split::Kyaml, Split::Stream, Split::FirstDocument] {
                for drop in [false, true] {
                    for dup in [DuplicateKeys::Error, DuplicateKeys::LastWins] {
                        let o = LoadOptions {
                            split,
                            max_depth: depth,
                            drop_null_documents: drop,
                            duplicate_keys: dup,
                            ..LoadOptions::resources()
                        };
                        for src in texts {
                            let (fast, stats) = load_documents_checked(src, &o, true);
                            assert!(stats.mismatches.is_empty(), "{}", stats.mismatches.join("\n"));
                            assert!(fast == load_documents_event_parser(src, &o), "{:?} {:?}", src, o);
                        }
                    }
                }
            }
        }
    }

    /// Line numbers of entries count the lines of earlier pieces (kyaml's split).
    #[test]
    fn positions_across_pieces() {
        let src = "a: 1\n---\n# c\n\nb:\n  c: 2\n--- # x\n- d: 3\n";
        assert!(fast(src));
        let d = super::super::load::load_documents(src).unwrap();
        let pos = |n: &Node, k: &str| n.as_map().unwrap().entry(k).unwrap().pos;
        assert_eq!(pos(&d[1], "b"), Pos { line: 5, col: 1 });
        assert_eq!(pos(d[1].get("b").unwrap(), "c"), Pos { line: 6, col: 3 });
        assert_eq!(pos(&d[2].as_seq().unwrap()[0], "d"), Pos { line: 8, col: 3 });
    }

    /// Counts only (no assertion on the counts): `RUSTOMIZE_FAST_DIR=/tmp/e2e/tree-1100 cargo
    /// test -p rustomize --lib fast::tests::measure_dir -- --ignored --nocapture`.
    #[test]
    #[ignore]
    fn measure_dir() {
        let dir = std::env::var("RUSTOMIZE_FAST_DIR").expect("RUSTOMIZE_FAST_DIR");
        run_corpus(&dir, Path::new(&dir), false);
    }
}
