//! Emitter: writes nodes exactly as kustomize prints them.
//!
//! kustomize turns each resource into JSON and then into YAML with go-yaml v2 (sigs.k8s.io/yaml),
//! so the output has go-yaml v2's look whatever the input looked like: keys sorted in v2's
//! natural order, scalars retyped (see [`super::resolve`]) and quoted by v2's rules, block
//! style, sequences not indented under their key, plain and quoted scalars folded past column
//! 80. The writer below follows the libyaml emitter that go-yaml v2 ports, state for state where
//! it matters for the bytes (column, whitespace and indentation flags).

use super::node::{Mapping, Node, Scalar};
use super::resolve::{self, Value};
use crate::error::{err, Result};
use std::cmp::Ordering;

const BEST_WIDTH: usize = 80;
const BEST_INDENT: i32 = 2;

/// Writes one document (no `---`), ending with a newline. Values JSON cannot carry
/// (`.inf`, `.nan`) are an error, as in kustomize.
pub fn try_to_string(node: &Node) -> Result<String> {
    let mut e = Emitter::new();
    e.document(node)?;
    Ok(e.out)
}

/// Like [`try_to_string`], writing `.inf`/`.nan` where kustomize would fail.
pub fn to_string(node: &Node) -> String {
    let mut e = Emitter::new();
    e.lenient = true;
    let _ = e.document(node);
    e.out
}

/// Writes documents separated by `---`.
pub fn to_string_stream<'a>(nodes: impl IntoIterator<Item = &'a Node>) -> Result<String> {
    let mut e = Emitter::new();
    let mut first = true;
    for n in nodes {
        if !first {
            e.out.push_str("---\n");
        }
        first = false;
        e.reset();
        e.document(n)?;
    }
    Ok(e.out)
}

/// [`to_string_stream`] on every core: documents are independent, so the stream is emitted in
/// one chunk a thread and joined (the same bytes). Short streams stay on this thread.
pub fn to_string_stream_parallel(nodes: &[&Node]) -> Result<String> {
    let threads = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1).min(nodes.len() / 256);
    if threads < 2 {
        return to_string_stream(nodes.iter().copied());
    }
    let size = nodes.len().div_ceil(threads);
    let chunks: Vec<&[&Node]> = nodes.chunks(size).collect();
    let parts: Vec<Result<String>> = std::thread::scope(|s| {
        let handles: Vec<_> = chunks[1..]
            .iter()
            .map(|&c| (c, crate::build::spawn_scoped(s, move || to_string_stream(c.iter().copied()))))
            .collect();
        let mut parts = vec![to_string_stream(chunks[0].iter().copied())];
        for (c, h) in handles {
            parts.push(match h {
                Some(h) => h.join().unwrap_or_else(|_| Err(crate::error::err!(Internal, "internal error (please report): the emitter panicked"))),
                None => to_string_stream(c.iter().copied()),
            });
        }
        parts
    });
    let mut out = String::new();
    for (i, p) in parts.into_iter().enumerate() {
        if i > 0 {
            out.push_str("---\n");
        }
        out.push_str(&p?);
    }
    Ok(out)
}

/// go-yaml v2's key order: numbers inside keys compare by value, letters after other runes.
pub fn natural_cmp(a: &str, b: &str) -> Ordering {
    if a.is_ascii() && b.is_ascii() {
        // The same comparison on bytes: for ASCII, `char::is_alphabetic` is
        // `is_ascii_alphabetic`. Keys are nearly always ASCII; this saves two allocations.
        return natural_cmp_by(a.as_bytes(), b.as_bytes(), |c| c.is_ascii_alphabetic());
    }
    let ar: Vec<char> = a.chars().collect();
    let br: Vec<char> = b.chars().collect();
    natural_cmp_by(&ar, &br, |c| c.is_alphabetic())
}

trait NaturalChar: Copy + Ord {
    fn is_digit(self) -> bool;
    fn is_zero(self) -> bool;
    fn digit(self) -> i64;
}

impl NaturalChar for u8 {
    fn is_digit(self) -> bool {
        self.is_ascii_digit()
    }
    fn is_zero(self) -> bool {
        self == b'0'
    }
    fn digit(self) -> i64 {
        self as i64 - b'0' as i64
    }
}

impl NaturalChar for char {
    fn is_digit(self) -> bool {
        self.is_ascii_digit()
    }
    fn is_zero(self) -> bool {
        self == '0'
    }
    fn digit(self) -> i64 {
        self as i64 - '0' as i64
    }
}

fn natural_cmp_by<C: NaturalChar>(ar: &[C], br: &[C], is_alphabetic: impl Fn(C) -> bool) -> Ordering {
    let n = ar.len().min(br.len());
    for i in 0..n {
        if ar[i] == br[i] {
            continue;
        }
        let al = is_alphabetic(ar[i]);
        let bl = is_alphabetic(br[i]);
        if al && bl {
            return ar[i].cmp(&br[i]);
        }
        if al || bl {
            return if bl { Ordering::Less } else { Ordering::Greater };
        }
        let (mut an, mut bn): (i64, i64) = (0, 0);
        if ar[i].is_zero() || br[i].is_zero() {
            let mut j = i;
            while j > 0 {
                j -= 1;
                if !ar[j].is_digit() {
                    break;
                }
                if !ar[j].is_zero() {
                    an = 1;
                    bn = 1;
                    break;
                }
            }
        }
        let mut ai = i;
        while ai < ar.len() && ar[ai].is_digit() {
            an = an.wrapping_mul(10).wrapping_add(ar[ai].digit());
            ai += 1;
        }
        let mut bi = i;
        while bi < br.len() && br[bi].is_digit() {
            bn = bn.wrapping_mul(10).wrapping_add(br[bi].digit());
            bi += 1;
        }
        if an != bn {
            return an.cmp(&bn);
        }
        if ai != bi {
            return ai.cmp(&bi);
        }
        return ar[i].cmp(&br[i]);
    }
    ar.len().cmp(&br.len())
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum OutStyle {
    Plain,
    Single,
    Double,
    Literal,
}

struct Emitter {
    out: String,
    column: usize,
    indent: i32,
    indents: Vec<i32>,
    whitespace: bool,
    indention: bool,
    open_ended: bool,
    lenient: bool,
}

/// The facts about a scalar that decide its style (libyaml's analyze_scalar).
struct Analysis {
    multiline: bool,
    block_plain_allowed: bool,
    single_quoted_allowed: bool,
    block_allowed: bool,
}

fn is_printable(c: char) -> bool {
    let c = c as u32;
    c == 0x0A
        || (0x20..=0x7E).contains(&c)
        || (0xA0..=0xD7FF).contains(&c)
        || ((0xE000..=0xFFFD).contains(&c) && c != 0xFEFF)
}

fn is_break(c: char) -> bool {
    matches!(c, '\r' | '\n' | '\u{85}' | '\u{2028}' | '\u{2029}')
}

fn is_blank(c: char) -> bool {
    c == ' ' || c == '\t'
}

fn analyze(value: &str) -> Analysis {
    if value.is_empty() {
        return Analysis { multiline: false, block_plain_allowed: true, single_quoted_allowed: true, block_allowed: false };
    }
    let mut block_indicators = false;
    let mut line_breaks = false;
    let mut special = false;
    let (mut leading_space, mut leading_break, mut trailing_space, mut trailing_break) = (false, false, false, false);
    let (mut break_space, mut space_break) = (false, false);
    let (mut previous_space, mut previous_break) = (false, false);
    if value.starts_with("---") || value.starts_with("...") {
        block_indicators = true;
    }
    let mut preceded_by_whitespace = true;
    let mut it = value.chars().peekable();
    let mut i = 0usize;
    while let Some(c) = it.next() {
        let next = it.peek().copied();
        let last = next.is_none();
        let followed_by_whitespace = next.is_none_or(|n| is_blank(n) || is_break(n));
        if i == 0 {
            match c {
                '#' | ',' | '[' | ']' | '{' | '}' | '&' | '*' | '!' | '|' | '>' | '\'' | '"' | '%' | '@' | '`' => {
                    block_indicators = true
                }
                '?' | ':' if followed_by_whitespace => block_indicators = true,
                '-' if followed_by_whitespace => block_indicators = true,
                _ => {}
            }
        } else {
            match c {
                ':' if followed_by_whitespace => block_indicators = true,
                '#' if preceded_by_whitespace => block_indicators = true,
                _ => {}
            }
        }
        if !is_printable(c) {
            special = true;
        }
        if c == ' ' {
            if i == 0 {
                leading_space = true;
            }
            if last {
                trailing_space = true;
            }
            if previous_break {
                break_space = true;
            }
            previous_space = true;
            previous_break = false;
        } else if is_break(c) {
            line_breaks = true;
            if i == 0 {
                leading_break = true;
            }
            if last {
                trailing_break = true;
            }
            if previous_space {
                space_break = true;
            }
            previous_space = false;
            previous_break = true;
        } else {
            previous_space = false;
            previous_break = false;
        }
        preceded_by_whitespace = is_blank(c) || is_break(c);
        i += 1;
    }
    let mut a = Analysis { multiline: line_breaks, block_plain_allowed: true, single_quoted_allowed: true, block_allowed: true };
    if leading_space || leading_break || trailing_space || trailing_break {
        a.block_plain_allowed = false;
    }
    if trailing_space {
        a.block_allowed = false;
    }
    if break_space {
        a.block_plain_allowed = false;
        a.single_quoted_allowed = false;
    }
    if space_break || special {
        a.block_plain_allowed = false;
        a.single_quoted_allowed = false;
        a.block_allowed = false;
    }
    if line_breaks || block_indicators {
        a.block_plain_allowed = false;
    }
    a
}

/// The text and requested style of a scalar as it leaves kustomize (after the JSON round trip).
fn output_scalar(s: &Scalar, lenient: bool) -> Result<(String, OutStyle)> {
    Ok(match resolve::resolve(s) {
        Value::Null => ("null".into(), OutStyle::Plain),
        Value::Bool(b) => (if b { "true" } else { "false" }.into(), OutStyle::Plain),
        Value::Int(i) => (i.to_string(), OutStyle::Plain),
        Value::Uint(u) => (u.to_string(), OutStyle::Plain),
        Value::Float(f) => {
            if !f.is_finite() {
                if !lenient {
                    return Err(err!(
                        Resource,
                        "json: unsupported value: {}",
                        resolve::go_format_float_g(f)
                    ));
                }
                let t = if f.is_nan() { ".nan" } else if f > 0.0 { ".inf" } else { "-.inf" };
                (t.into(), OutStyle::Plain)
            } else {
                (resolve::float_output(f), OutStyle::Plain)
            }
        }
        Value::Time(t) => string_style(t),
        Value::Str(v) => string_style(v.to_string()),
    })
}

/// go-yaml v2's choice for a string: literal if multi-line, plain if it reads back as a string,
/// double-quoted otherwise.
fn string_style(s: String) -> (String, OutStyle) {
    let style = if s.contains('\n') {
        OutStyle::Literal
    } else if resolve::v2_plain_is_string(&s) {
        OutStyle::Plain
    } else {
        OutStyle::Double
    };
    (s, style)
}

impl Emitter {
    fn new() -> Self {
        Emitter {
            out: String::new(),
            column: 0,
            indent: -1,
            indents: Vec::new(),
            whitespace: true,
            indention: true,
            open_ended: false,
            lenient: false,
        }
    }

    fn reset(&mut self) {
        self.column = 0;
        self.indent = -1;
        self.indents.clear();
        self.whitespace = true;
        self.indention = true;
        self.open_ended = false;
    }

    fn document(&mut self, node: &Node) -> Result<()> {
        self.node(node, true, false, false)?;
        // document end
        self.write_indent();
        // The reference writes no `...` after an open-ended last scalar (`|+`).
        Ok(())
    }

    fn put(&mut self, c: char) {
        self.out.push(c);
        self.column += 1;
    }

    fn put_break(&mut self) {
        self.out.push('\n');
        self.column = 0;
    }

    fn write_indent(&mut self) {
        let indent = self.indent.max(0) as usize;
        if !self.indention || self.column > indent || (self.column == indent && !self.whitespace) {
            self.put_break();
        }
        while self.column < indent {
            self.put(' ');
        }
        self.whitespace = true;
        self.indention = true;
    }

    fn write_indicator(&mut self, ind: &str, need_whitespace: bool, is_whitespace: bool, is_indention: bool) {
        if need_whitespace && !self.whitespace {
            self.put(' ');
        }
        for c in ind.chars() {
            self.put(c);
        }
        self.whitespace = is_whitespace;
        self.indention = self.indention && is_indention;
        self.open_ended = false;
    }

    fn increase_indent(&mut self, flow: bool, indentless: bool) {
        self.indents.push(self.indent);
        if self.indent < 0 {
            self.indent = if flow { BEST_INDENT } else { 0 };
        } else if !indentless {
            self.indent += BEST_INDENT;
        }
    }

    fn pop_indent(&mut self) {
        self.indent = self.indents.pop().unwrap_or(-1);
    }

    /// Emits a node. `root`: document root; `mapping_ctx`: value of a mapping; `simple_key`:
    /// a mapping key.
    fn node(&mut self, node: &Node, root: bool, mapping_ctx: bool, simple_key: bool) -> Result<()> {
        match node {
            Node::Scalar(s) => {
                let (text, style) = output_scalar(s, self.lenient)?;
                self.scalar(&text, style, root, simple_key);
            }
            Node::Seq(items) => {
                if items.is_empty() {
                    self.write_indicator("[", true, true, false);
                    self.write_indicator("]", false, false, false);
                } else {
                    self.increase_indent(false, mapping_ctx && !self.indention);
                    for item in items {
                        self.write_indent();
                        self.write_indicator("-", true, false, true);
                        self.node(item, false, false, false)?;
                    }
                    self.pop_indent();
                }
            }
            Node::Map(m) => {
                if m.is_empty() {
                    self.write_indicator("{", true, true, false);
                    self.write_indicator("}", false, false, false);
                } else {
                    self.mapping(m)?;
                }
            }
        }
        Ok(())
    }

    fn mapping(&mut self, m: &Mapping) -> Result<()> {
        self.increase_indent(false, false);
        let mut entries: Vec<&super::node::Entry> = m.entries.iter().collect();
        entries.sort_by(|a, b| natural_cmp(&a.key, &b.key));
        for e in entries {
            self.write_indent();
            let (key, style) = string_style(e.key.clone());
            let simple = key.chars().count() <= 128 && !key.contains(['\n', '\r', '\u{85}', '\u{2028}', '\u{2029}']);
            if simple {
                self.scalar(&key, style, false, true);
                self.write_indicator(":", false, false, false);
            } else {
                self.write_indicator("?", true, false, true);
                self.scalar(&key, style, false, false);
                self.write_indent();
                self.write_indicator(":", true, false, true);
            }
            self.node(&e.value, false, true, false)?;
        }
        self.pop_indent();
        Ok(())
    }

    fn scalar(&mut self, value: &str, requested: OutStyle, root: bool, simple_key: bool) {
        let a = analyze(value);
        let mut style = requested;
        if simple_key && a.multiline {
            style = OutStyle::Double;
        }
        if style == OutStyle::Plain {
            if !a.block_plain_allowed || (value.is_empty() && simple_key) {
                style = OutStyle::Single;
            }
        }
        if style == OutStyle::Single && !a.single_quoted_allowed {
            style = OutStyle::Double;
        }
        if style == OutStyle::Literal && (!a.block_allowed || simple_key) {
            style = OutStyle::Double;
        }
        self.increase_indent(true, false);
        let allow_breaks = !simple_key;
        match style {
            OutStyle::Plain => self.write_plain(value, allow_breaks, root),
            OutStyle::Single => self.write_single(value, allow_breaks),
            OutStyle::Double => self.write_double(value, allow_breaks),
            OutStyle::Literal => self.write_literal(value),
        }
        self.pop_indent();
    }

    fn write_plain(&mut self, value: &str, allow_breaks: bool, root: bool) {
        if !self.whitespace {
            self.put(' ');
        }
        let width = value.chars().count();
        if !allow_breaks || self.column + width <= BEST_WIDTH {
            // No space can come past the best width: no line break, the value as it is.
            self.out.push_str(value);
            self.column += width;
            self.whitespace = false;
            self.indention = false;
            if root {
                self.open_ended = true;
            }
            return;
        }
        let chars: Vec<char> = value.chars().collect();
        let mut spaces = false;
        for i in 0..chars.len() {
            let c = chars[i];
            if c == ' ' {
                let next_space = chars.get(i + 1) == Some(&' ');
                if allow_breaks && !spaces && self.column > BEST_WIDTH && !next_space {
                    self.write_indent();
                } else {
                    self.put(c);
                }
                spaces = true;
            } else {
                self.put(c);
                spaces = false;
            }
        }
        self.whitespace = false;
        self.indention = false;
        if root {
            self.open_ended = true;
        }
    }

    fn write_single(&mut self, value: &str, allow_breaks: bool) {
        self.write_indicator("'", true, false, false);
        let chars: Vec<char> = value.chars().collect();
        let mut spaces = false;
        let mut breaks = false;
        let n = chars.len();
        for i in 0..n {
            let c = chars[i];
            if c == ' ' {
                if allow_breaks
                    && !spaces
                    && self.column > BEST_WIDTH
                    && i > 0
                    && i < n - 1
                    && chars.get(i + 1) != Some(&' ')
                {
                    self.write_indent();
                } else {
                    self.put(c);
                }
                spaces = true;
            } else if is_break(c) {
                if !breaks && c == '\n' {
                    self.put_break();
                }
                if c == '\n' {
                    self.put_break();
                } else {
                    self.out.push(c);
                    self.column = 0;
                }
                self.indention = true;
                breaks = true;
            } else {
                if breaks {
                    self.write_indent();
                }
                self.put(c);
                if c == '\'' {
                    self.put('\'');
                }
                self.indention = false;
                spaces = false;
                breaks = false;
            }
        }
        self.write_indicator("'", false, false, false);
        self.whitespace = false;
        self.indention = false;
    }

    fn write_double(&mut self, value: &str, allow_breaks: bool) {
        self.write_indicator("\"", true, false, false);
        let chars: Vec<char> = value.chars().collect();
        let n = chars.len();
        let mut spaces = false;
        for i in 0..n {
            let c = chars[i];
            if !is_printable(c) || c == '\u{FEFF}' || is_break(c) || c == '"' || c == '\\' {
                self.put('\\');
                match c {
                    '\0' => self.put('0'),
                    '\u{7}' => self.put('a'),
                    '\u{8}' => self.put('b'),
                    '\t' => self.put('t'),
                    '\n' => self.put('n'),
                    '\u{b}' => self.put('v'),
                    '\u{c}' => self.put('f'),
                    '\r' => self.put('r'),
                    '\u{1b}' => self.put('e'),
                    '"' => self.put('"'),
                    '\\' => self.put('\\'),
                    '\u{85}' => self.put('N'),
                    '\u{a0}' => self.put('_'),
                    '\u{2028}' => self.put('L'),
                    '\u{2029}' => self.put('P'),
                    _ => {
                        let v = c as u32;
                        let (p, w) = if v <= 0xFF {
                            ('x', 2)
                        } else if v <= 0xFFFF {
                            ('u', 4)
                        } else {
                            ('U', 8)
                        };
                        self.put(p);
                        for k in (0..w).rev() {
                            let d = (v >> (k * 4)) & 0xF;
                            self.put(std::char::from_digit(d, 16).unwrap_or('0').to_ascii_uppercase());
                        }
                    }
                }
                spaces = false;
            } else if c == ' ' {
                if allow_breaks && !spaces && self.column > BEST_WIDTH && i > 0 && i < n - 1 {
                    self.write_indent();
                    if chars.get(i + 1) == Some(&' ') {
                        self.put('\\');
                    }
                } else {
                    self.put(c);
                }
                spaces = true;
            } else {
                self.put(c);
                spaces = false;
            }
        }
        self.write_indicator("\"", false, false, false);
        self.whitespace = false;
        self.indention = false;
    }

    fn write_literal(&mut self, value: &str) {
        self.write_indicator("|", true, false, false);
        // block scalar hints
        let first = value.chars().next();
        if first.is_some_and(|c| c == ' ' || is_break(c)) {
            self.write_indicator(&BEST_INDENT.to_string(), false, false, false);
        }
        self.open_ended = false;
        let mut chars_rev = value.chars().rev();
        let chomp = match chars_rev.next() {
            None => Some("-"),
            Some(last) if !is_break(last) => Some("-"),
            Some(_) => match chars_rev.next() {
                None => {
                    self.open_ended = true;
                    Some("+")
                }
                Some(prev) if is_break(prev) => {
                    self.open_ended = true;
                    Some("+")
                }
                Some(_) => None,
            },
        };
        if let Some(h) = chomp {
            let open = self.open_ended;
            self.write_indicator(h, false, false, false);
            self.open_ended = open;
        }
        self.put_break();
        self.indention = true;
        self.whitespace = true;
        let mut breaks = true;
        for c in value.chars() {
            if is_break(c) {
                if c == '\n' {
                    self.put_break();
                } else {
                    self.out.push(c);
                    self.column = 0;
                }
                self.indention = true;
                breaks = true;
            } else {
                if breaks {
                    self.write_indent();
                }
                self.put(c);
                self.indention = false;
                breaks = false;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::node::{Mapping, Scalar, Style};

    fn s(v: &str) -> Node {
        Node::Scalar(Scalar { value: v.into(), style: Style::DoubleQuoted, tag: None })
    }
    fn p(v: &str) -> Node {
        Node::plain(v)
    }
    fn map(entries: Vec<(&str, Node)>) -> Node {
        let mut m = Mapping::new();
        for (k, v) in entries {
            m.insert(k, v);
        }
        Node::Map(m)
    }

    #[test]
    fn natural_order() {
        let mut keys = vec!["a10", "a9", "B", "a", "1", "_x", "10", "9", "a0", "a00", "-", "Ä"];
        keys.sort_by(|a, b| natural_cmp(a, b));
        // As the reference prints them.
        assert_eq!(keys, vec!["-", "_x", "1", "9", "10", "B", "a", "a0", "a00", "a9", "a10", "Ä"]);
    }

    #[test]
    fn quoting() {
        let doc = map(vec![
            ("f", s("on")),
            ("i", s("010")),
            ("j", s("")),
            ("k", s("- c")),
            ("l", s("a: b")),
            ("m", s("* * * * *")),
            ("ag", s("tab\there")),
            ("ah", s("emoji \u{1F600}")),
            ("d6", s("'x")),
            ("n", p("08")),
            ("a", p("0644")),
            ("ak", p("~")),
            ("e", p("2024-01-01")),
        ]);
        assert_eq!(
            to_string(&doc),
            "a: 420\nag: \"tab\\there\"\nah: \"emoji \\U0001F600\"\nak: null\nd6: '''x'\ne: \"2024-01-01T00:00:00Z\"\nf: \"on\"\ni: \"010\"\nj: \"\"\nk: '- c'\nl: 'a: b'\nm: '* * * * *'\n\"n\": 8\n"
        );
    }

    #[test]
    fn blocks_and_folding() {
        let doc = map(vec![(
            "data",
            map(vec![
                ("ab", s("line1\nline2\n")),
                ("ac", s("line1\nline2")),
                ("av", s("  lead\nx\n")),
                ("ao", s("very long string that goes on and on and on past the eighty column limit for sure yes indeed it does")),
            ]),
        )]);
        assert_eq!(
            to_string(&doc),
            "data:\n  ab: |\n    line1\n    line2\n  ac: |-\n    line1\n    line2\n  ao: very long string that goes on and on and on past the eighty column limit for\n    sure yes indeed it does\n  av: |2\n      lead\n    x\n"
        );
    }

    #[test]
    fn sequences() {
        let doc = map(vec![
            ("a", Node::Seq(vec![map(vec![("x", p("1")), ("y", p("2"))]), Node::Seq(vec![p("a"), p("b")])])),
            ("e", Node::Seq(vec![])),
            ("f", Node::map()),
        ]);
        assert_eq!(to_string(&doc), "a:\n- x: 1\n  \"y\": 2\n- - a\n  - b\ne: []\nf: {}\n");
    }
}
