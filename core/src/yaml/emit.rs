//! Emitter: writes nodes exactly as kustomize prints them.
//!
//! kustomize turns each resource into JSON and then into YAML with go-yaml v2 (sigs.k8s.io/yaml),
//! so the output has go-yaml v2's look whatever the input looked like: keys sorted in v2's
//! natural order, scalars retyped (see [`super::resolve`]) and quoted by v2's rules, block
//! style, sequences not indented under their key, plain and quoted scalars folded past column
//! 80. The writer below follows the libyaml emitter that go-yaml v2 ports, state for state where
//! it matters for the bytes (column, whitespace and indentation flags).
//!
//! Speed: nearly every scalar of a Kubernetes resource is short printable ASCII that stays a
//! string or is a plain integer. One pass over its bytes (`scan`) gives the flags that type
//! it without parsing or allocating (`fast_text`, `surely_string`) and that tell whether it
//! may be written plain (`plain_allowed`); it is then copied whole. Mapping keys already in
//! order are not sorted, others are sorted as indices (`sort_keys`). Everything else takes
//! the general path (typing by [`super::resolve`], `analyze`, rune by rune writers). The
//! tests prove both paths equal to the straightforward port the emitter started as
//! (`tests::reference`).

use super::node::{Entry, Mapping, Node, Scalar, Style};
use super::resolve::{self, Value};
use crate::error::{err, Result};
use std::borrow::Cow;
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
    let nodes = nodes.into_iter();
    stream_into(String::with_capacity(stream_capacity(nodes.size_hint().0)), nodes)
}

/// Room for the text of `n` resources, so that the output is not copied as it grows: a
/// Kubernetes resource prints to some hundreds of bytes (reserved memory is only touched as
/// it is written).
fn stream_capacity(n: usize) -> usize {
    n.saturating_mul(1024).min(1 << 28)
}

/// [`to_string_stream`] appending to `out`.
fn stream_into<'a>(out: String, nodes: impl Iterator<Item = &'a Node>) -> Result<String> {
    let mut e = Emitter::new();
    e.out = out;
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
    let threads = crate::build::cores().min(nodes.len() / 256);
    if threads < 2 {
        return to_string_stream(nodes.iter().copied());
    }
    let chunks = balanced_chunks(nodes, threads);
    let parts: Vec<Result<String>> = std::thread::scope(|s| {
        let handles: Vec<_> = chunks[1..]
            .iter()
            .map(|&c| (c, crate::build::spawn_scoped(s, move || to_string_stream(c.iter().copied()))))
            .collect();
        // This thread's chunk comes first: its string has room for the whole stream.
        let mut parts = vec![stream_into(String::with_capacity(stream_capacity(nodes.len())), chunks[0].iter().copied())];
        for (c, h) in handles {
            parts.push(match h {
                Some(h) => h.join().unwrap_or_else(|_| Err(crate::error::err!(Internal, "internal error (please report): the emitter panicked"))),
                None => to_string_stream(c.iter().copied()),
            });
        }
        parts
    });
    let mut parts = parts.into_iter();
    let mut out = parts.next().unwrap_or_else(|| Ok(String::new()))?;
    let rest: Vec<String> = parts.collect::<Result<_>>()?;
    out.reserve(rest.iter().map(|p| p.len() + 4).sum());
    for p in rest {
        out.push_str("---\n");
        out.push_str(&p);
    }
    Ok(out)
}

/// `nodes` cut into `parts` runs of about the same emitting work (resources differ much in
/// size: a count split leaves one thread with most of it).
fn balanced_chunks<'n, 'a>(nodes: &'n [&'a Node], parts: usize) -> Vec<&'n [&'a Node]> {
    let mut stack = Vec::new();
    let weights: Vec<usize> = nodes.iter().map(|n| emit_weight(n, &mut stack)).collect();
    let total: usize = weights.iter().sum();
    let mut chunks = Vec::with_capacity(parts);
    let (mut start, mut sum) = (0, 0);
    for (i, w) in weights.iter().enumerate() {
        sum += w;
        // Cut where the running sum passes the next share.
        if chunks.len() + 1 < parts && sum * parts >= total * (chunks.len() + 1) {
            chunks.push(&nodes[start..=i]);
            start = i + 1;
        }
    }
    if start < nodes.len() {
        chunks.push(&nodes[start..]);
    }
    chunks
}

/// About the work of emitting a node: its nodes, keys and scalar bytes (`stack`: scratch).
fn emit_weight<'a>(node: &'a Node, stack: &mut Vec<&'a Node>) -> usize {
    stack.clear();
    stack.push(node);
    let mut w = 0;
    while let Some(n) = stack.pop() {
        match n {
            Node::Scalar(s) => w += 16 + s.value.len(),
            Node::Seq(items) => {
                w += 8;
                stack.extend(items.iter());
            }
            Node::Map(m) => {
                for e in &m.entries {
                    w += 16 + e.key.len();
                    stack.push(&e.value);
                }
            }
        }
    }
    w
}

/// go-yaml v2's key order: numbers inside keys compare by value, letters after other runes.
#[inline]
pub fn natural_cmp(a: &str, b: &str) -> Ordering {
    let (ab, bb) = (a.as_bytes(), b.as_bytes());
    // The comparison decides at the first rune that differs, looking back and forward only
    // over ASCII digits. When the first differing bytes are ASCII, they are that rune in both
    // strings (the equal prefix ends on a rune boundary), so the comparison on bytes is the
    // comparison on runes; otherwise compare runes.
    let i = common_prefix(ab, bb);
    if i == ab.len().min(bb.len()) {
        return ab.len().cmp(&bb.len());
    }
    let (x, y) = (ab[i], bb[i]);
    if x < 0x80 && y < 0x80 && !x.is_ascii_digit() && !y.is_ascii_digit() {
        // No number here: letters after other runes, else rune order.
        return match (x.is_ascii_alphabetic(), y.is_ascii_alphabetic()) {
            (false, true) => Ordering::Less,
            (true, false) => Ordering::Greater,
            _ => x.cmp(&y),
        };
    }
    natural_cmp_numbers(a, b, i)
}

/// [`natural_cmp`] where the keys first differ at byte `i` with a digit or a non-ASCII rune.
#[inline(never)]
fn natural_cmp_numbers(a: &str, b: &str, i: usize) -> Ordering {
    let (ab, bb) = (a.as_bytes(), b.as_bytes());
    if ab[i] >= 0x80 || bb[i] >= 0x80 {
        let ar: Vec<char> = a.chars().collect();
        let br: Vec<char> = b.chars().collect();
        return natural_cmp_by(&ar, &br, |c| c.is_alphabetic());
    }
    natural_cmp_at(ab, bb, i, |c| c.is_ascii_alphabetic())
}

/// The length of the longest common prefix of two byte strings, eight bytes at a time.
#[inline(always)]
fn common_prefix(a: &[u8], b: &[u8]) -> usize {
    let n = a.len().min(b.len());
    if n == 0 || a[0] != b[0] {
        return 0;
    }
    let word = |s: &[u8], i: usize| {
        let mut w = [0u8; 8];
        w.copy_from_slice(&s[i..i + 8]);
        u64::from_le_bytes(w)
    };
    let mut i = 0;
    while i + 8 <= n {
        let (x, y) = (word(a, i), word(b, i));
        if x != y {
            return i + ((x ^ y).trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    while i < n && a[i] == b[i] {
        i += 1;
    }
    i
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
    let i = ar.iter().zip(br).position(|(x, y)| x != y).unwrap_or(ar.len().min(br.len()));
    natural_cmp_at(ar, br, i, is_alphabetic)
}

/// The natural comparison, given the first index `i` where the strings differ (or the length
/// of the shorter one when one is a prefix of the other).
fn natural_cmp_at<C: NaturalChar>(ar: &[C], br: &[C], i: usize, is_alphabetic: impl Fn(C) -> bool) -> Ordering {
    if i >= ar.len() || i >= br.len() {
        return ar.len().cmp(&br.len());
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
    ar[i].cmp(&br[i])
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
    /// The current indentation (libyaml's indent; its stack lives in the callers' frames).
    indent: i32,
    whitespace: bool,
    indention: bool,
    open_ended: bool,
    lenient: bool,
    /// Scratch for the key order of unsorted mappings: each mapping appends its entry indices,
    /// sorts them and truncates them off when done (nested mappings stack above it).
    order: Vec<u32>,
}

/// The facts about a scalar that decide its style (libyaml's analyze_scalar).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
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

/// A byte of printable ASCII (no control characters, no line break).
fn is_printable_ascii(c: u8) -> bool {
    c.wrapping_sub(0x20) <= 0x7E - 0x20
}

fn analyze(value: &str) -> Analysis {
    analyze_printable_ascii(value.as_bytes()).unwrap_or_else(|| analyze_any(value))
}

/// [`analyze`] for non-empty printable ASCII text; `None` for any other text.
fn analyze_printable_ascii(b: &[u8]) -> Option<Analysis> {
    let f = scan(b);
    if b.is_empty() || f & F_NOT_PRINTABLE != 0 {
        return None;
    }
    // No breaks, no tabs, no special characters: these decide nothing.
    let trailing_space = b[b.len() - 1] == b' ';
    Some(Analysis {
        multiline: false,
        block_plain_allowed: plain_allowed(b, f),
        single_quoted_allowed: true,
        block_allowed: !trailing_space,
    })
}

/// Whether non-empty printable ASCII text (flags `f`) may be written plain: no leading or
/// trailing space, no indicator (libyaml's analyze_scalar for such text, where the only
/// whitespace is the space).
#[inline(always)]
fn plain_allowed(b: &[u8], f: Flags) -> bool {
    let first = b[0];
    if BYTE_FLAGS[first as usize] & F_SPECIAL_FIRST != 0 {
        match first {
            b' ' | b'#' | b',' | b'[' | b']' | b'{' | b'}' | b'&' | b'*' | b'!' | b'|' | b'>' | b'\'' | b'"' | b'%' | b'@'
            | b'`' => return false,
            b'?' | b'-' if b.len() == 1 || b[1] == b' ' => return false,
            _ if b.starts_with(b"---") || b.starts_with(b"...") => return false,
            _ => {}
        }
    }
    if b[b.len() - 1] == b' ' {
        return false;
    }
    if f & F_COLON_HASH != 0 {
        for i in 0..b.len() {
            match b[i] {
                b':' if i + 1 == b.len() || b[i + 1] == b' ' => return false,
                b'#' if i > 0 && b[i - 1] == b' ' => return false,
                _ => {}
            }
        }
    }
    true
}

/// libyaml's analyze_scalar, rune by rune.
fn analyze_any(value: &str) -> Analysis {
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
    let mut chars = value.chars();
    let mut next = chars.next();
    let mut i = 0usize;
    while let Some(c) = next {
        next = chars.next();
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

/// What one pass over a scalar's bytes tells ([`scan`]): flags ORed over its bytes.
type Flags = u8;
/// A byte outside printable ASCII: a control character, a line break, DEL or non-ASCII.
const F_NOT_PRINTABLE: Flags = 1;
/// `:` or `#`, which may make a plain scalar read as a mapping or a comment.
const F_COLON_HASH: Flags = 2;
/// A byte no plain scalar that go-yaml v3 or v2 reads as a non-string has, when it starts
/// with a digit, sign or dot (an integer in any base, a float, a sexagesimal, a timestamp
/// hold only digits, hex digits, `xXoO_+-.:`, `T`, `t`, `Z`, space and comma).
const F_NOT_NUMERIC: Flags = 4;
/// A line feed.
const F_NEWLINE: Flags = 8;
/// A byte that needs a closer look when it starts a plain scalar: a space, an indicator, or
/// the start of `---`, `...`, `- `, `? `.
const F_SPECIAL_FIRST: Flags = 16;

const BYTE_FLAGS: [Flags; 256] = {
    let mut t = [0; 256];
    let mut c = 0;
    while c < 256 {
        if c < 0x20 || c > 0x7E {
            t[c] |= F_NOT_PRINTABLE;
        }
        if c == b':' as usize || c == b'#' as usize {
            t[c] |= F_COLON_HASH;
        }
        if c == b'\n' as usize {
            t[c] |= F_NEWLINE;
        }
        t[c] |= F_NOT_NUMERIC;
        c += 1;
    }
    let first = b" #,[]{}&*!|>'\"%@`?-.";
    let mut i = 0;
    while i < first.len() {
        t[first[i] as usize] |= F_SPECIAL_FIRST;
        i += 1;
    }
    let numeric = b"0123456789abcdefABCDEFxXoO_+-.:TtZ ,";
    let mut i = 0;
    while i < numeric.len() {
        t[numeric[i] as usize] &= !F_NOT_NUMERIC;
        i += 1;
    }
    t
};

/// The flags of a scalar's bytes.
#[inline(always)]
fn scan(b: &[u8]) -> Flags {
    let mut chunks = b.chunks_exact(4);
    let mut f = 0;
    for c in &mut chunks {
        f |= BYTE_FLAGS[c[0] as usize] | BYTE_FLAGS[c[1] as usize] | BYTE_FLAGS[c[2] as usize] | BYTE_FLAGS[c[3] as usize];
    }
    chunks.remainder().iter().fold(f, |f, &c| f | BYTE_FLAGS[c as usize])
}

/// The words go-yaml v2 reads as a null, a bool, a special float or a merge key (a superset
/// of v3's).
#[inline]
fn is_v2_keyword(s: &str) -> bool {
    let b = s.as_bytes();
    let Some(&first) = b.first() else { return true };
    // By length and first byte, so that most texts are told apart in two comparisons.
    match (b.len(), first) {
        (1, _) => matches!(first, b'~' | b'y' | b'Y' | b'n' | b'N'),
        (2, b'o' | b'O' | b'n' | b'N' | b'<') => matches!(s, "on" | "On" | "ON" | "no" | "No" | "NO" | "<<"),
        (3, b'y' | b'Y' | b'o' | b'O') => matches!(s, "yes" | "Yes" | "YES" | "off" | "Off" | "OFF"),
        (4, b'n' | b'N') => matches!(s, "null" | "Null" | "NULL"),
        (4, b't' | b'T') => matches!(s, "true" | "True" | "TRUE"),
        (4, b'.') => matches!(s, ".nan" | ".NaN" | ".NAN" | ".inf" | ".Inf" | ".INF"),
        (5, b'f' | b'F') => matches!(s, "false" | "False" | "FALSE"),
        (5, b'+' | b'-') => matches!(&s[1..], ".inf" | ".Inf" | ".INF"),
        _ => false,
    }
}

/// True when `s` (with flags `f`) is a string under both go-yaml v3's and v2's typing, known
/// from its bytes alone: no keyword, and either not starting like a number or holding a byte
/// no number has. False means "don't know".
fn surely_string(s: &str, f: Flags) -> bool {
    let Some(&first) = s.as_bytes().first() else { return false };
    !is_v2_keyword(s) && (f & F_NOT_NUMERIC != 0 || !matches!(first, b'0'..=b'9' | b'+' | b'-' | b'.'))
}

/// A decimal integer that prints as itself: `0`, or up to 18 digits without a leading zero.
fn is_canonical_int(s: &str) -> bool {
    let b = s.as_bytes();
    s == "0" || (!b.is_empty() && b.len() <= 18 && b[0] != b'0' && b.iter().all(u8::is_ascii_digit))
}

/// [`output_scalar`] without allocating, for the scalars whose output is their own text:
/// strings known as such from their bytes (flags `f`), canonical integers, `true`, `false`,
/// `null`. `None` sends the scalar to [`output_scalar`].
fn fast_text(s: &Scalar, f: Flags) -> Option<(&str, OutStyle)> {
    // Whether the scalar is typed from its text (go-yaml v3's resolution, see
    // resolve::resolve) or a string whatever its text.
    let typed = match s.tag.as_deref() {
        None | Some("!") => s.style == Style::Plain,
        Some("!!int" | "!!bool" | "!!null" | "!!timestamp") => true,
        Some("!!float") => return None,
        Some(_) => false,
    };
    let v = s.value.as_str();
    if surely_string(v, f) {
        return Some((v, if f & F_NEWLINE != 0 { OutStyle::Literal } else { OutStyle::Plain }));
    }
    if is_canonical_int(v) || matches!(v, "true" | "false" | "null") {
        // Typed: an int, bool or null that prints as this text. A string: one v2 would read
        // back as that type, so quoted.
        return Some((v, if typed { OutStyle::Plain } else { OutStyle::Double }));
    }
    if !typed && is_v2_keyword(v) && !v.is_empty() {
        return Some((v, OutStyle::Double));
    }
    None
}

/// The text and requested style of a scalar as it leaves kustomize (after the JSON round trip).
fn output_scalar(s: &Scalar, lenient: bool) -> Result<(Cow<'_, str>, OutStyle)> {
    Ok(match resolve::resolve(s) {
        Value::Null => (Cow::Borrowed("null"), OutStyle::Plain),
        Value::Bool(b) => (Cow::Borrowed(if b { "true" } else { "false" }), OutStyle::Plain),
        Value::Int(i) => (Cow::Owned(i.to_string()), OutStyle::Plain),
        Value::Uint(u) => (Cow::Owned(u.to_string()), OutStyle::Plain),
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
                (Cow::Borrowed(t), OutStyle::Plain)
            } else {
                (Cow::Owned(resolve::float_output(f)), OutStyle::Plain)
            }
        }
        Value::Time(t) => {
            let style = string_style(&t);
            (Cow::Owned(t), style)
        }
        Value::Str(v) => (Cow::Borrowed(v), string_style(v)),
    })
}

/// go-yaml v2's choice for a string: literal if multi-line, plain if it reads back as a string,
/// double-quoted otherwise.
fn string_style(s: &str) -> OutStyle {
    if s.contains('\n') {
        OutStyle::Literal
    } else if surely_string(s, scan(s.as_bytes())) || resolve::v2_plain_is_string(s) {
        OutStyle::Plain
    } else {
        OutStyle::Double
    }
}

/// Whether a mapping key is written as a simple key (`key:`), not as `? key`.
fn is_simple_key(key: &str) -> bool {
    if key.len() <= 128 && key.is_ascii() {
        return !key.as_bytes().iter().any(|&c| c == b'\n' || c == b'\r');
    }
    key.chars().count() <= 128 && !key.contains(['\n', '\r', '\u{85}', '\u{2028}', '\u{2029}'])
}

/// Whether the keys are already in go-yaml v2's order.
fn keys_sorted(entries: &[Entry]) -> bool {
    entries.windows(2).all(|w| natural_cmp(&w[0].key, &w[1].key) != Ordering::Greater)
}

/// Sorts entry indices by key in go-yaml v2's order, stably.
///
/// Not with the standard sort: [`natural_cmp`] is no total order (`1a` < `9` < `109` but
/// `1a` > `109`, because numbers compare only where both keys have a digit), and the standard
/// sort may panic on such input. go-yaml v2 sorts the keys of a Go map, whose order is random,
/// so for such keys kustomize's own output varies from run to run; this sort gives one of its
/// orders, always the same, and for keys that are totally ordered the only one.
fn sort_keys(idx: &mut [u32], entries: &[Entry]) {
    let less = |a: u32, b: u32| natural_cmp(&entries[a as usize].key, &entries[b as usize].key) == Ordering::Less;
    if idx.len() <= 24 {
        for i in 1..idx.len() {
            let mut j = i;
            while j > 0 && less(idx[j], idx[j - 1]) {
                idx.swap(j, j - 1);
                j -= 1;
            }
        }
        return;
    }
    let mid = idx.len() / 2;
    sort_keys(&mut idx[..mid], entries);
    sort_keys(&mut idx[mid..], entries);
    // Merge, taking from the right half only when strictly less (stable).
    let left = idx[..mid].to_vec();
    let (mut i, mut j, mut k) = (0, mid, 0);
    while i < left.len() {
        if j < idx.len() && less(idx[j], left[i]) {
            idx[k] = idx[j];
            j += 1;
        } else {
            idx[k] = left[i];
            i += 1;
        }
        k += 1;
    }
}

/// A line break and the spaces of an indentation.
const NEWLINE_SPACES: &str = "\n                                                                ";

impl Emitter {
    fn new() -> Self {
        Emitter {
            out: String::new(),
            column: 0,
            indent: -1,
            whitespace: true,
            indention: true,
            open_ended: false,
            lenient: false,
            order: Vec::new(),
        }
    }

    fn reset(&mut self) {
        self.column = 0;
        self.indent = -1;
        self.order.clear();
        self.whitespace = true;
        self.indention = true;
        self.open_ended = false;
    }

    fn document(&mut self, node: &Node) -> Result<()> {
        self.node(node, true, false)?;
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

    /// Writes text without line breaks, one column a rune.
    fn put_str(&mut self, s: &str) {
        self.out.push_str(s);
        self.column += if s.is_ascii() { s.len() } else { s.chars().count() };
    }

    #[inline(always)]
    fn write_indent(&mut self) {
        let indent = self.indent.max(0) as usize;
        let brk = !self.indention || self.column > indent || (self.column == indent && !self.whitespace);
        if brk {
            self.column = 0;
        }
        // Here column <= indent; the break and the spaces go in one piece.
        let mut n = indent - self.column;
        if brk && n < NEWLINE_SPACES.len() {
            self.out.push_str(&NEWLINE_SPACES[..1 + n]);
        } else {
            if brk {
                self.out.push('\n');
            }
            while n > 0 {
                let k = n.min(NEWLINE_SPACES.len() - 1);
                self.out.push_str(&NEWLINE_SPACES[1..1 + k]);
                n -= k;
            }
        }
        self.column = indent;
        self.whitespace = true;
        self.indention = true;
    }

    /// Writes an indicator (ASCII).
    fn write_indicator(&mut self, ind: &str, need_whitespace: bool, is_whitespace: bool, is_indention: bool) {
        if need_whitespace && !self.whitespace {
            self.put(' ');
        }
        match ind.as_bytes() {
            &[c] => self.out.push(char::from(c)),
            _ => self.out.push_str(ind),
        }
        self.column += ind.len();
        self.whitespace = is_whitespace;
        self.indention = self.indention && is_indention;
        self.open_ended = false;
    }

    /// The indentation libyaml's increase_indent sets (the caller keeps the old one).
    fn increased_indent(&self, flow: bool, indentless: bool) -> i32 {
        if self.indent < 0 {
            if flow {
                BEST_INDENT
            } else {
                0
            }
        } else if !indentless {
            self.indent + BEST_INDENT
        } else {
            self.indent
        }
    }

    /// Emits a node. `root`: document root; `mapping_ctx`: value of a mapping.
    fn node(&mut self, node: &Node, root: bool, mapping_ctx: bool) -> Result<()> {
        match node {
            Node::Scalar(s) => self.scalar_node(s, root)?,
            Node::Seq(items) => {
                if items.is_empty() {
                    self.write_indicator("[", true, true, false);
                    self.write_indicator("]", false, false, false);
                } else {
                    let saved = self.indent;
                    self.indent = self.increased_indent(false, mapping_ctx && !self.indention);
                    for item in items {
                        self.write_indent();
                        self.write_indicator("-", true, false, true);
                        self.node(item, false, false)?;
                    }
                    self.indent = saved;
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

    #[inline(always)]
    fn scalar_node(&mut self, s: &Scalar, root: bool) -> Result<()> {
        let f = scan(s.value.as_bytes());
        if let Some((text, style)) = fast_text(s, f) {
            if style == OutStyle::Plain && f & F_NOT_PRINTABLE == 0 {
                self.plain_ascii(text, f, root, false);
            } else {
                self.scalar(text, style, root, false);
            }
        } else {
            let (text, style) = output_scalar(s, self.lenient)?;
            self.scalar(&text, style, root, false);
        }
        Ok(())
    }

    fn mapping(&mut self, m: &Mapping) -> Result<()> {
        let saved = self.indent;
        self.indent = self.increased_indent(false, false);
        let entries = &m.entries;
        if keys_sorted(entries) {
            for e in entries {
                self.entry(e)?;
            }
        } else {
            let base = self.order.len();
            self.order.extend(0..entries.len() as u32);
            sort_keys(&mut self.order[base..], entries);
            for k in base..base + entries.len() {
                let e = &entries[self.order[k] as usize];
                self.entry(e)?;
            }
            self.order.truncate(base);
        }
        self.indent = saved;
        Ok(())
    }

    fn entry(&mut self, e: &Entry) -> Result<()> {
        self.write_indent();
        let key = e.key.as_str();
        let f = scan(key.as_bytes());
        if f & F_NOT_PRINTABLE == 0 && key.len() <= 128 && surely_string(key, f) {
            // The common key: one line of printable ASCII, a string written plain.
            self.plain_ascii(key, f, false, true);
            self.write_indicator(":", false, false, false);
            return match &e.value {
                Node::Scalar(s) => self.scalar_node(s, false),
                v => self.node(v, false, true),
            };
        }
        let style = string_style(key);
        if is_simple_key(key) {
            self.scalar(key, style, false, true);
            self.write_indicator(":", false, false, false);
        } else {
            self.write_indicator("?", true, false, true);
            self.scalar(key, style, false, false);
            self.write_indent();
            self.write_indicator(":", true, false, true);
        }
        self.node(&e.value, false, true)
    }

    /// [`Self::scalar`] for a non-empty scalar of printable ASCII (flags `f`) requested plain.
    #[inline(always)]
    fn plain_ascii(&mut self, value: &str, f: Flags, root: bool, simple_key: bool) {
        let b = value.as_bytes();
        let column = self.column + usize::from(!self.whitespace);
        if !plain_allowed(b, f) || (!simple_key && column + b.len() > BEST_WIDTH) {
            // Quoted, or maybe folded.
            return self.scalar(value, OutStyle::Plain, root, simple_key);
        }
        if !self.whitespace {
            self.out.push(' ');
        }
        self.out.push_str(value);
        self.column = column + b.len();
        self.whitespace = false;
        self.indention = false;
        if root {
            self.open_ended = true;
        }
    }

    fn scalar(&mut self, value: &str, requested: OutStyle, root: bool, simple_key: bool) {
        let a = analyze(value);
        let mut style = requested;
        if simple_key && a.multiline {
            style = OutStyle::Double;
        }
        if style == OutStyle::Plain && (!a.block_plain_allowed || (value.is_empty() && simple_key)) {
            style = OutStyle::Single;
        }
        if style == OutStyle::Single && !a.single_quoted_allowed {
            style = OutStyle::Double;
        }
        if style == OutStyle::Literal && (!a.block_allowed || simple_key) {
            style = OutStyle::Double;
        }
        let saved = self.indent;
        self.indent = self.increased_indent(true, false);
        let allow_breaks = !simple_key;
        match style {
            OutStyle::Plain => self.write_plain(value, allow_breaks, root),
            OutStyle::Single => self.write_single(value, allow_breaks),
            OutStyle::Double => self.write_double(value, allow_breaks),
            OutStyle::Literal => self.write_literal(value),
        }
        self.indent = saved;
    }

    fn write_plain(&mut self, value: &str, allow_breaks: bool, root: bool) {
        if !self.whitespace {
            self.put(' ');
        }
        let width = if value.is_ascii() { value.len() } else { value.chars().count() };
        if !allow_breaks || self.column + width <= BEST_WIDTH {
            // No space can come past the best width: no line break, the value as it is.
            self.out.push_str(value);
            self.column += width;
        } else {
            // Only spaces may break the line: runs of other runes are copied whole.
            let mut spaces = false;
            let mut rest = value;
            while !rest.is_empty() {
                let end = rest.find(' ').unwrap_or(rest.len());
                if end > 0 {
                    self.put_str(&rest[..end]);
                    spaces = false;
                    rest = &rest[end..];
                    continue;
                }
                let next_space = rest.as_bytes().get(1) == Some(&b' ');
                if allow_breaks && !spaces && self.column > BEST_WIDTH && !next_space {
                    self.write_indent();
                } else {
                    self.put(' ');
                }
                spaces = true;
                rest = &rest[1..];
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
        let b = value.as_bytes();
        if (!allow_breaks || self.column + b.len() <= BEST_WIDTH)
            && b.iter().all(|&c| is_printable_ascii(c) && c != b'\'')
        {
            // No quote to double, no break, no space past the best width: the text as it is.
            self.out.push_str(value);
            self.column += b.len();
        } else {
            let mut spaces = false;
            let mut breaks = false;
            let mut chars = value.chars().peekable();
            let mut first = true;
            while let Some(c) = chars.next() {
                let next = chars.peek().copied();
                if c == ' ' {
                    if allow_breaks
                        && !spaces
                        && self.column > BEST_WIDTH
                        && !first
                        && next.is_some()
                        && next != Some(' ')
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
                first = false;
            }
        }
        self.write_indicator("'", false, false, false);
        self.whitespace = false;
        self.indention = false;
    }

    fn write_double(&mut self, value: &str, allow_breaks: bool) {
        self.write_indicator("\"", true, false, false);
        let b = value.as_bytes();
        if (!allow_breaks || self.column + b.len() <= BEST_WIDTH)
            && b.iter().all(|&c| is_printable_ascii(c) && c != b'"' && c != b'\\')
        {
            // Nothing to escape, no space past the best width: the text as it is.
            self.out.push_str(value);
            self.column += b.len();
        } else {
            self.write_double_escaped(value, allow_breaks);
        }
        self.write_indicator("\"", false, false, false);
        self.whitespace = false;
        self.indention = false;
    }

    fn write_double_escaped(&mut self, value: &str, allow_breaks: bool) {
        let mut spaces = false;
        let mut chars = value.chars().peekable();
        let mut first = true;
        while let Some(c) = chars.next() {
            let next = chars.peek().copied();
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
                if allow_breaks && !spaces && self.column > BEST_WIDTH && !first && next.is_some() {
                    self.write_indent();
                    if next == Some(' ') {
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
            first = false;
        }
    }

    fn write_literal(&mut self, value: &str) {
        self.write_indicator("|", true, false, false);
        // block scalar hints
        let first = value.chars().next();
        if first.is_some_and(|c| c == ' ' || is_break(c)) {
            self.write_indicator("2", false, false, false);
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
        // Runs of text between breaks: indented when they start a line, copied whole.
        let mut breaks = true;
        let mut rest = value;
        while !rest.is_empty() {
            let end = rest.find(is_break).unwrap_or(rest.len());
            if end > 0 {
                if breaks {
                    self.write_indent();
                }
                self.put_str(&rest[..end]);
                self.indention = false;
                breaks = false;
                rest = &rest[end..];
                continue;
            }
            let c = rest.chars().next().unwrap_or('\n');
            if c == '\n' {
                self.put_break();
            } else {
                self.out.push(c);
                self.column = 0;
            }
            self.indention = true;
            breaks = true;
            rest = &rest[c.len_utf8()..];
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

    /// The emitter as first written, a straightforward port of libyaml (rune by rune, every
    /// scalar retyped and analysed in full, keys sorted by allocation): the fast paths of the
    /// emitter above must write exactly its bytes.
    #[allow(dead_code)]
    mod reference {
        use crate::error::{err, Result};
        use crate::yaml::node::{Mapping, Node, Scalar};
        use crate::yaml::resolve::{self, Value};
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

        pub trait NaturalChar: Copy + Ord {
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

        pub fn natural_cmp_by<C: NaturalChar>(ar: &[C], br: &[C], is_alphabetic: impl Fn(C) -> bool) -> Ordering {
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
        pub enum OutStyle {
            Plain,
            Single,
            Double,
            Literal,
        }

        pub struct Emitter {
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
        pub struct Analysis {
            pub multiline: bool,
            pub block_plain_allowed: bool,
            pub single_quoted_allowed: bool,
            pub block_allowed: bool,
        }

        pub fn is_printable(c: char) -> bool {
            let c = c as u32;
            c == 0x0A
                || (0x20..=0x7E).contains(&c)
                || (0xA0..=0xD7FF).contains(&c)
                || ((0xE000..=0xFFFD).contains(&c) && c != 0xFEFF)
        }

        pub fn is_break(c: char) -> bool {
            matches!(c, '\r' | '\n' | '\u{85}' | '\u{2028}' | '\u{2029}')
        }

        pub fn is_blank(c: char) -> bool {
            c == ' ' || c == '\t'
        }

        pub fn analyze(value: &str) -> Analysis {
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
        pub fn output_scalar(s: &Scalar, lenient: bool) -> Result<(String, OutStyle)> {
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
        pub fn string_style(s: String) -> (String, OutStyle) {
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
                let mut entries: Vec<&crate::yaml::node::Entry> = m.entries.iter().collect();
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
    }

    /// A deterministic generator (xorshift64*), so that failures reproduce.
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
        }
        fn below(&mut self, n: usize) -> usize {
            (self.next() % n as u64) as usize
        }
        fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
            &items[self.below(items.len())]
        }
    }

    /// Scalars that take every branch of the typing and quoting rules.
    const TRICKY: &[&str] = &[
        "", " ", "  ", "a", "abc", "yes", "Yes", "no", "y", "n", "on", "Off", "~", "null", "Null", "true", "True",
        "TRUE", "false", "<<", ".inf", "-.Inf", "+.INF", ".nan", ".NaN", "0", "00", "1", "-1", "+1", "-0", "8080",
        "0644", "08", "09", "0o7", "0o17", "0x1F", "0X1f", "0b101", "-0b11", "0b2", "1_000", "1e3", "1E3", "1e400",
        "1.5", ".5", "5.", "-.5e-3", "1.2.3", "1.4.0", "100m", "128Mi", "1Gi", "30s", "123456789012345678",
        "1234567890123456789", "12345678901234567890", "99999999999999999999", "1:20", "190:20:30", "1:2a", "-1:20",
        "2024-01-01", "2024-02-30", "2001-12-14t21:59:43.10-05:00", "2001-12-14 21:59:43.10", "2001-12-14T21:59:43Z",
        "2001-12-14T21:59:43+00:00", "2024-1-1", "- a", "-a", "-", "--", "---", "--- x", "...", "....", "? x", "?x",
        "?", ": x", ":x", ":", "a: b", "a:b", "a:", "a :", "#x", "a#b", "a #b", "a# b", "x #", "[a]", "{a}", "a,b",
        "&a", "*a", "!a", "|a", ">a", "'x", "x'", "it's", "\"x", "x\"", "%a", "@a", "`a", "a b", " a", "a ", " a ",
        "a  b", "tab\there", "\t", "a\t", "line1\nline2", "line1\nline2\n", "line1\n\nline2\n\n", "\n", "\n\n", "\na",
        " \na", "a \nb", "a\n b", "a\r\nb", "a\rb", "back\\slash", "\u{85}", "a\u{85}b", "a\u{2028}b", "a\u{2029}",
        "\u{FEFF}a", "\u{a0}", "é", "ünïcödé", "emoji \u{1F600}", "\u{7}\u{1b}\0", "\u{7f}", "\u{9f}", "\u{d7ff}",
        "\u{e000}", "\u{fffe}", "a\u{1}b", "http://x.y/z?a=b&c=d#frag", "registry.example.com/team/app:1.4.0",
        "--upstream=127.0.0.1:8080", "/healthz", "${VAR}", "a=b", "key=value with spaces",
        "very long string that goes on and on and on past the eighty column limit for sure yes indeed it does",
        "very long string that goes on and on and on past the eighty column limit  with two  spaces  here  and there",
        "verylongwordwithoutanyspacesatallthatgoespasttheeightycolumnlimitforsureyesindeeditdoesyes",
        "long 'quoted' string that goes on and on and on past the eighty column limit for sure yes it does 'x'",
        "long \"double\" string that goes on and on and on past the eighty column limit for sure yes \\ it does",
        "long string: with a colon that goes on and on and on past the eighty column limit for sure yes it does",
        " long string with a leading space that goes on and on and on past the eighty column limit for sure ",
        "long multi-line\nstring that goes on and on and on past the eighty column limit for sure yes indeed it does\n",
    ];

    const STYLES: &[Style] = &[Style::Plain, Style::SingleQuoted, Style::DoubleQuoted, Style::Literal, Style::Folded];
    const TAGS: &[Option<&str>] =
        &[None, Some("!"), Some("!!str"), Some("!!int"), Some("!!float"), Some("!!bool"), Some("!!null"), Some("!!timestamp"), Some("!foo")];

    fn scalar(v: &str, style: Style, tag: Option<&str>) -> Node {
        Node::Scalar(Scalar { value: v.into(), style, tag: tag.map(Into::into) })
    }

    /// Emits `doc` with this emitter and the reference one, strictly and leniently.
    fn assert_same(doc: &Node) {
        assert_eq!(to_string(doc), reference::to_string(doc), "{doc:?}");
        let (fast, slow) = (try_to_string(doc), reference::try_to_string(doc));
        match (&fast, &slow) {
            (Ok(a), Ok(b)) => assert_eq!(a, b, "{doc:?}"),
            (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string(), "{doc:?}"),
            _ => panic!("{doc:?}: {fast:?} vs {slow:?}"),
        }
    }

    /// The shapes a scalar is written in: root, mapping value at several columns (so that
    /// folding starts at different places), key, sequence item, flow-ish neighbours.
    fn shapes(v: Node, text: &str) -> Vec<Node> {
        let mut out = vec![v.clone()];
        for key in ["k", "a-longer-key-to-push-the-value-right", "x234567890123456789012345678901234567890123456789012345"] {
            out.push(map(vec![(key, v.clone())]));
            out.push(map(vec![("outer", map(vec![("inner", map(vec![(key, v.clone())]))]))]));
        }
        out.push(map(vec![(text, v.clone()), ("z", p("1"))]));
        out.push(map(vec![(text, map(vec![(text, v.clone())]))]));
        out.push(Node::Seq(vec![v.clone(), Node::Seq(vec![v.clone()]), map(vec![("a", v.clone())])]));
        out.push(map(vec![("list", Node::Seq(vec![v.clone(), map(vec![(text, v.clone()), ("b", Node::Seq(vec![v]))])]))]));
        out
    }

    #[test]
    fn tricky_scalars_match_reference() {
        for text in TRICKY {
            for &style in STYLES {
                for &tag in TAGS {
                    for doc in shapes(scalar(text, style, tag), text) {
                        assert_same(&doc);
                    }
                }
            }
        }
    }

    /// Random text over an alphabet of the characters the rules care about.
    fn random_text(rng: &mut Rng) -> String {
        const ALPHABET: &[&str] = &[
            "a", "b", "z", "A", "Z", "e", "x", "o", "t", "T", "0", "1", "7", "9", " ", " ", " ", ":", "#", "-", ".", "+",
            "_", ",", "'", "\"", "\\", "?", "!", "&", "*", "|", ">", "%", "@", "`", "[", "{", "~", "/", "\n", "\t", "\r",
            "é", "\u{85}", "\u{a0}", "\u{2028}", "\u{FEFF}", "\u{1F600}", "\u{7}", "yes", "no", "null", "true", "2024-01-01",
            "0x", "0b", "0o", "1e5",
        ];
        let len = match rng.below(4) {
            0 => rng.below(4),
            1 => rng.below(12),
            2 => rng.below(40),
            _ => 60 + rng.below(80),
        };
        (0..len).map(|_| *rng.pick(ALPHABET)).collect()
    }

    #[test]
    fn random_scalars_match_reference() {
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
        for _ in 0..6000 {
            let text = random_text(&mut rng);
            let v = scalar(&text, *rng.pick(STYLES), *rng.pick(TAGS));
            for doc in shapes(v, &text) {
                assert_same(&doc);
            }
        }
    }

    #[test]
    fn analysis_matches_reference() {
        let mut rng = Rng(7);
        let mut texts: Vec<String> = TRICKY.iter().map(|s| s.to_string()).collect();
        texts.extend((0..20000).map(|_| random_text(&mut rng)));
        // Every string of up to 3 bytes over the characters that decide the analysis.
        let chars = [" ", "a", ":", "#", "-", "?", ".", "\n", "\t", "'", "é"];
        for a in chars {
            texts.push(a.to_string());
            for b in chars {
                texts.push(format!("{a}{b}"));
                for c in chars {
                    texts.push(format!("{a}{b}{c}"));
                }
            }
        }
        for t in &texts {
            let (fast, slow) = (analyze(t), reference::analyze(t));
            assert_eq!(
                (fast.multiline, fast.block_plain_allowed, fast.single_quoted_allowed, fast.block_allowed),
                (slow.multiline, slow.block_plain_allowed, slow.single_quoted_allowed, slow.block_allowed),
                "{t:?}"
            );
        }
    }

    #[test]
    fn typing_matches_reference() {
        let mut rng = Rng(11);
        let mut texts: Vec<String> = TRICKY.iter().map(|s| s.to_string()).collect();
        texts.extend((0..20000).map(|_| random_text(&mut rng)));
        for t in &texts {
            for &style in STYLES {
                for &tag in TAGS {
                    let Node::Scalar(s) = scalar(t, style, tag) else { unreachable!() };
                    let slow = reference::output_scalar(&s, true).unwrap();
                    if let Some((text, style)) = fast_text(&s, scan(s.value.as_bytes())) {
                        assert_eq!((text, format!("{style:?}")), (slow.0.as_str(), format!("{:?}", slow.1)), "{s:?}");
                    }
                    let (text, style) = output_scalar(&s, true).unwrap();
                    assert_eq!((&*text, format!("{style:?}")), (slow.0.as_str(), format!("{:?}", slow.1)), "{s:?}");
                }
            }
            assert_eq!(format!("{:?}", string_style(t)), format!("{:?}", reference::string_style(t.clone()).1), "{t:?}");
        }
    }

    #[test]
    fn natural_order_matches_reference() {
        let mut rng = Rng(3);
        const PARTS: &[&str] = &["a", "b", "B", "z", "_", "-", ".", "/", "0", "00", "1", "9", "10", "007", "é", "Ä", "ß", "\u{663}", "\u{1F600}", "k8s"];
        let keys: Vec<String> = (0..3000).map(|_| (0..rng.below(6)).map(|_| *rng.pick(PARTS)).collect()).collect();
        for a in &keys[..600] {
            for b in &keys[..600] {
                assert_eq!(natural_cmp(a, b), reference::natural_cmp(a, b), "{a:?} {b:?}");
                // The reference on runes, for all keys (it takes bytes for ASCII keys).
                let (ar, br): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
                assert_eq!(natural_cmp(a, b), reference::natural_cmp_by(&ar, &br, |c| c.is_alphabetic()), "{a:?} {b:?}");
            }
        }
        // Mappings of all sizes, sorted or not, with repeated keys (a stable order), over keys
        // that natural_cmp orders totally (no digits) and over any keys.
        let plain: Vec<&String> = keys.iter().filter(|k| !k.bytes().any(|c| c.is_ascii_digit())).collect();
        let all: Vec<&String> = keys.iter().collect();
        for pool in [&plain, &all] {
            for n in [0, 1, 2, 3, 5, 20, 24, 25, 40, 300] {
                for sorted in [false, true] {
                    let mut ks: Vec<&String> = (0..n).map(|_| *rng.pick(pool)).collect();
                    if sorted {
                        // (Insertion sort: the standard sort may panic on keys not totally ordered.)
                        for i in 1..ks.len() {
                            let mut j = i;
                            while j > 0 && natural_cmp(ks[j], ks[j - 1]) == Ordering::Less {
                                ks.swap(j, j - 1);
                                j -= 1;
                            }
                        }
                    }
                    let mut m = Mapping::new();
                    for (i, k) in ks.iter().enumerate() {
                        m.entries.push(crate::yaml::node::Entry::new(k.as_str(), p(&i.to_string()), Default::default()));
                    }
                    let mut idx: Vec<u32> = (0..n as u32).collect();
                    sort_keys(&mut idx, &m.entries);
                    let mut seen = idx.clone();
                    seen.sort_unstable();
                    assert_eq!(seen, (0..n as u32).collect::<Vec<_>>(), "a permutation");
                    let key = |i: u32| m.entries[i as usize].key.as_str();
                    // Totally ordered here: the order every stable sort gives, the reference's.
                    let total = (0..idx.len()).all(|a| {
                        (a + 1..idx.len()).all(|b| {
                            let o = natural_cmp(key(idx[a]), key(idx[b]));
                            o == Ordering::Less || (o == Ordering::Equal && idx[a] < idx[b])
                        })
                    });
                    let doc = map(vec![("m", Node::Map(m.clone())), ("s", Node::Seq(vec![Node::Map(m)]))]);
                    if total {
                        assert_same(&doc);
                    } else {
                        assert!(std::ptr::eq(pool, &all), "keys without digits are totally ordered");
                        assert_eq!(to_string(&doc), to_string(&doc));
                    }
                }
            }
        }
    }

    #[test]
    fn keywords_match_reference() {
        fn reference(s: &str) -> bool {
            matches!(
                s,
                "" | "~" | "null" | "Null" | "NULL" | "y" | "Y" | "yes" | "Yes" | "YES" | "true" | "True" | "TRUE" | "on"
                    | "On" | "ON" | "n" | "N" | "no" | "No" | "NO" | "false" | "False" | "FALSE" | "off" | "Off" | "OFF"
                    | ".nan" | ".NaN" | ".NAN" | ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" | "-.inf"
                    | "-.Inf" | "-.INF" | "<<"
            )
        }
        // Every string of up to 5 letters from the keywords' letters, and more.
        let letters = ["", "~", "n", "N", "u", "U", "l", "L", "y", "Y", "e", "E", "s", "S", "t", "T", "r", "R", "o", "O", "f", "F", "a", "A", ".", "+", "-", "i", "I", "<"];
        let mut count = 0;
        for a in letters {
            for b in letters {
                for c in letters {
                    for d in ["", "e", "E", "l", "L", "f", "F", "n", "N", "a"] {
                        for e in ["", "e", "E", "f", "F", "x"] {
                            let w = format!("{a}{b}{c}{d}{e}");
                            assert_eq!(is_v2_keyword(&w), reference(&w), "{w:?}");
                            count += usize::from(reference(&w));
                        }
                    }
                }
            }
        }
        assert!(count > 30);
        for w in ["nulls", "Nul", "yess", "truE", "FALSe", ".nAn", "+.iNF", "<<<", "~~", "offf", "false!"] {
            assert!(!is_v2_keyword(w), "{w}");
        }
    }

    #[test]
    fn parallel_stream_is_the_stream() {
        // Resources of very different sizes, so that the cut by work is not the cut by count.
        let docs: Vec<Node> = (0..900)
            .map(|i| {
                let items = if i % 7 == 0 { 40 } else { 1 };
                map(vec![("kind", p("ConfigMap")), ("data", Node::Seq((0..items).map(|j| p(&format!("v{i}-{j}"))).collect()))])
            })
            .collect();
        let refs: Vec<&Node> = docs.iter().collect();
        for parts in [1, 2, 3, 8] {
            let chunks = balanced_chunks(&refs, parts);
            assert!(!chunks.is_empty() && chunks.len() <= parts);
            let joined: Vec<&Node> = chunks.iter().flat_map(|c| c.iter().copied()).collect();
            assert!(joined.len() == refs.len() && joined.iter().zip(&refs).all(|(a, b)| std::ptr::eq(*a, *b)));
        }
        assert_eq!(to_string_stream_parallel(&refs).unwrap(), to_string_stream(refs.iter().copied()).unwrap());
    }

    #[test]
    fn keys_not_totally_ordered_do_not_panic() {
        // `1a` < `9` < `109` but `1a` > `109`: kustomize prints these in the order of a Go map
        // (random); the emitter picks one order and never fails.
        let keys = ["1a", "9", "109", "a0a", "a1", "a01", "a001", "k00", "k0000aa", "k1", "k01", "k007", "k9B", "k009"];
        let mut m = Mapping::new();
        for i in 0..60 {
            m.entries.push(crate::yaml::node::Entry::new(format!("{}{}", keys[i % keys.len()], i / keys.len()), p("v"), Default::default()));
        }
        let doc = Node::Map(m);
        let out = to_string(&doc);
        assert_eq!(out.lines().count(), 60);
        assert_eq!(out, to_string(&doc));
    }

    /// Every YAML input of the golden corpus, emitted both ways.
    #[test]
    fn corpus_inputs_match_reference() {
        fn walk(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
            let Ok(rd) = std::fs::read_dir(dir) else { return };
            for e in rd.flatten() {
                let p = e.path();
                if p.is_dir() {
                    walk(&p, out);
                } else if p.extension().is_some_and(|e| e == "yaml" || e == "yml") {
                    out.push(p);
                }
            }
        }
        let mut files = Vec::new();
        walk(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../testdata"), &mut files);
        let mut docs = 0;
        for f in &files {
            let Ok(text) = std::fs::read_to_string(f) else { continue };
            let Ok(nodes) = crate::yaml::load_documents(&text) else { continue };
            for n in &nodes {
                assert_same(n);
                docs += 1;
            }
            let refs: Vec<&Node> = nodes.iter().collect();
            let slow: Vec<String> = nodes.iter().map(reference::to_string).collect();
            if let Ok(fast) = to_string_stream(refs.iter().copied()) {
                assert_eq!(fast, slow.join("---\n"), "{f:?}");
            }
        }
        assert!(docs > 1000, "only {docs} documents under testdata");
    }
}
