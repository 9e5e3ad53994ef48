//! A small backtracking matcher for Go's `regexp` syntax (RE2, Perl flags), enough to answer
//! `MatchString` the way Go does for the patterns kustomize builds from user text (image names
//! are spliced into a pattern unescaped, so `.` is any character and `a|b` splits the pattern).
//!
//! Only whether a match exists is computed, which does not depend on greediness, so a plain
//! backtracking search gives Go's answer. Supported: literals, `.`, classes with ranges, Perl
//! (`\d\s\w`) and POSIX (`[:alpha:]`) classes, escapes (`\x41`, `\x{41}`, `\Q..\E`, `\t`...),
//! groups (`(..)`, `(?:..)`, `(?P<n>..)`, `(?<n>..)`), flags `i m s U`, alternation, `* + ?
//! {n} {n,} {n,m}` (lazy forms too), `^ $ \A \z \b \B`. Unicode classes (`\pL`) and octal
//! escapes are reported as unsupported.

use crate::error::{err, Result};

type Ranges = Vec<(u32, u32)>;

#[derive(Clone, Debug)]
enum Re {
    Lit(char, bool),
    Any(bool),
    Class(Ranges, bool),
    /// `^`/`\A` (multi-line flag) and `$`/`\z`.
    Begin(bool),
    End(bool),
    WordBoundary(bool),
    Cat(Vec<Re>),
    Alt(Vec<Re>),
    Rep(Box<Re>, u32, Option<u32>),
}

/// A compiled pattern.
#[derive(Clone, Debug)]
pub struct Regex(Re);

#[derive(Clone, Copy, Default)]
struct Flags {
    fold: bool,
    multi: bool,
    dotnl: bool,
}

impl Regex {
    /// Compiles `pattern`; the error says why Go would reject it (or that it is unsupported).
    pub fn new(pattern: &str) -> Result<Regex> {
        let mut p = Parser { s: pattern.chars().collect(), i: 0 };
        let re = p.alt(&mut Flags::default(), 0)?;
        if p.i < p.s.len() {
            return Err(err!(Transform, "error parsing regexp: unexpected ): `{}`", pattern));
        }
        Ok(Regex(re))
    }

    /// Whether the pattern matches somewhere in `s`.
    pub fn is_match(&self, s: &str) -> bool {
        let cs: Vec<char> = s.chars().collect();
        (0..=cs.len()).any(|start| m(&self.0, &cs, start, &mut |_| true))
    }
}

struct Parser {
    s: Vec<char>,
    i: usize,
}

const MAX_REPEAT: u32 = 1000;

impl Parser {
    fn peek(&self) -> Option<char> {
        self.s.get(self.i).copied()
    }
    fn fail<T>(&self, what: &str) -> Result<T> {
        let text: String = self.s.iter().collect();
        Err(err!(Transform, "error parsing regexp: {}: `{}`", what, text))
    }

    fn alt(&mut self, fl: &mut Flags, depth: usize) -> Result<Re> {
        let mut alts = vec![self.cat(fl, depth)?];
        while self.peek() == Some('|') {
            self.i += 1;
            alts.push(self.cat(fl, depth)?);
        }
        Ok(if alts.len() == 1 { alts.pop().unwrap_or(Re::Cat(Vec::new())) } else { Re::Alt(alts) })
    }

    fn cat(&mut self, fl: &mut Flags, depth: usize) -> Result<Re> {
        let mut items: Vec<Re> = Vec::new();
        let mut last_was_repeat = false;
        while let Some(c) = self.peek() {
            if c == '|' || (c == ')' && depth > 0) {
                break;
            }
            if c == ')' {
                return self.fail("unexpected )");
            }
            if let Some((min, max)) = self.repeat_op()? {
                if last_was_repeat {
                    return self.fail("invalid nested repetition operator");
                }
                let Some(prev) = items.pop() else {
                    return self.fail("missing argument to repetition operator");
                };
                if self.peek() == Some('?') {
                    self.i += 1;
                }
                items.push(Re::Rep(Box::new(prev), min, max));
                last_was_repeat = true;
                continue;
            }
            last_was_repeat = false;
            self.i += 1;
            let item = match c {
                '(' => match self.group(fl, depth)? {
                    Some(re) => re,
                    None => continue,
                },
                '.' => Re::Any(fl.dotnl),
                '^' => Re::Begin(fl.multi),
                '$' => Re::End(fl.multi),
                '[' => self.class(fl)?,
                '\\' => match self.escape(fl, false)? {
                    Esc::Re(re) => re,
                    Esc::Quote(text) => {
                        items.extend(text.into_iter().map(|c| Re::Lit(c, fl.fold)));
                        continue;
                    }
                },
                c => Re::Lit(c, fl.fold),
            };
            items.push(item);
        }
        Ok(if items.len() == 1 { items.pop().unwrap_or(Re::Cat(Vec::new())) } else { Re::Cat(items) })
    }

    /// Reads `*`, `+`, `?` or a valid `{n,m}` at the cursor.
    fn repeat_op(&mut self) -> Result<Option<(u32, Option<u32>)>> {
        let r = match self.peek() {
            Some('*') => (0, None),
            Some('+') => (1, None),
            Some('?') => (0, Some(1)),
            Some('{') => {
                let Some((min, max, len)) = self.braces() else {
                    return Ok(None);
                };
                if min > MAX_REPEAT || max.is_some_and(|m| m > MAX_REPEAT || m < min) {
                    return self.fail("invalid repeat count");
                }
                self.i += len - 1;
                (min, max)
            }
            _ => return Ok(None),
        };
        self.i += 1;
        Ok(Some(r))
    }

    /// Parses `{n}`, `{n,}`, `{n,m}` at the cursor: (min, max, chars used); `None` = literal.
    fn braces(&self) -> Option<(u32, Option<u32>, usize)> {
        let rest: String = self.s[self.i..].iter().collect();
        let end = rest.find('}')?;
        let inner = &rest[1..end];
        let num = |t: &str| -> Option<u32> {
            if t.is_empty() || !t.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            Some(t.parse::<u32>().unwrap_or(u32::MAX))
        };
        let (min, max) = match inner.split_once(',') {
            None => {
                let n = num(inner)?;
                (n, Some(n))
            }
            Some((a, "")) => (num(a)?, None),
            Some((a, b)) => (num(a)?, Some(num(b)?)),
        };
        Some((min, max, inner.chars().count() + 2))
    }

    /// After `(`: a group (`Some`) or a flag setting (`None`).
    fn group(&mut self, fl: &mut Flags, depth: usize) -> Result<Option<Re>> {
        let mut inner = *fl;
        if self.peek() == Some('?') {
            self.i += 1;
            let named = match self.peek() {
                Some('P') if self.s.get(self.i + 1) == Some(&'<') => Some(self.i + 2),
                Some('<') => Some(self.i + 1),
                _ => None,
            };
            if let Some(start) = named {
                let Some(len) = self.s[start..].iter().position(|&c| c == '>') else {
                    return self.fail("invalid named capture");
                };
                let name = &self.s[start..start + len];
                if name.is_empty() || !name.iter().all(|c| c.is_alphanumeric() || *c == '_') {
                    return self.fail("invalid named capture");
                }
                self.i = start + len + 1;
            } else {
                let mut neg = false;
                loop {
                    match self.peek() {
                        Some('i') => inner.fold = !neg,
                        Some('m') => inner.multi = !neg,
                        Some('s') => inner.dotnl = !neg,
                        Some('U') => {}
                        Some('-') if !neg => neg = true,
                        Some(')') => {
                            self.i += 1;
                            *fl = inner;
                            return Ok(None);
                        }
                        Some(':') => {
                            self.i += 1;
                            break;
                        }
                        _ => return self.fail("invalid or unsupported Perl syntax"),
                    }
                    self.i += 1;
                }
            }
        }
        let re = self.alt(&mut inner, depth + 1)?;
        if self.peek() != Some(')') {
            return self.fail("missing closing )");
        }
        self.i += 1;
        Ok(Some(re))
    }

    /// After `[`: a bracketed class.
    fn class(&mut self, fl: &Flags) -> Result<Re> {
        let mut neg = false;
        if self.peek() == Some('^') {
            neg = true;
            self.i += 1;
        }
        let mut ranges: Ranges = Vec::new();
        let mut first = true;
        loop {
            let Some(c) = self.peek() else {
                return self.fail("missing closing ]");
            };
            if c == ']' && !first {
                self.i += 1;
                break;
            }
            first = false;
            if c == '[' && self.s.get(self.i + 1) == Some(&':') {
                let rest: String = self.s[self.i..].iter().collect();
                if let Some(end) = rest[2..].find(":]") {
                    let name = &rest[2..2 + end];
                    let (n, negp) = match name.strip_prefix('^') {
                        Some(n) => (n, true),
                        None => (name, false),
                    };
                    let Some(r) = posix(n) else {
                        return self.fail("invalid character class range");
                    };
                    ranges.extend(if negp { complement(&r) } else { r });
                    self.i += name.chars().count() + 4;
                    continue;
                }
            }
            let lo = self.class_char(fl, &mut ranges)?;
            let Some(lo) = lo else { continue };
            let mut hi = lo;
            if self.peek() == Some('-') && self.s.get(self.i + 1).is_some_and(|&c| c != ']') {
                self.i += 1;
                match self.class_char(fl, &mut ranges)? {
                    Some(h) if h >= lo => hi = h,
                    _ => return self.fail("invalid character class range"),
                }
            }
            ranges.push((lo as u32, hi as u32));
        }
        Ok(Re::Class(fold_ranges(ranges, fl.fold), neg))
    }

    /// One class member character; escapes like `\d` add their ranges and give `None`.
    fn class_char(&mut self, fl: &Flags, ranges: &mut Ranges) -> Result<Option<char>> {
        let Some(c) = self.peek() else {
            return self.fail("missing closing ]");
        };
        self.i += 1;
        if c != '\\' {
            return Ok(Some(c));
        }
        match self.escape(fl, true)? {
            Esc::Re(Re::Lit(c, _)) => Ok(Some(c)),
            Esc::Re(Re::Class(r, false)) => {
                ranges.extend(r);
                Ok(None)
            }
            _ => self.fail("invalid escape sequence"),
        }
    }

    /// After `\`.
    fn escape(&mut self, fl: &Flags, in_class: bool) -> Result<Esc> {
        let Some(c) = self.peek() else {
            return self.fail("trailing backslash at end of expression");
        };
        self.i += 1;
        let perl = |r: Ranges, neg: bool| Esc::Re(Re::Class(if neg { complement(&r) } else { r }, false));
        Ok(match c {
            'd' | 'D' => perl(vec![(0x30, 0x39)], c == 'D'),
            's' | 'S' => perl(vec![(9, 10), (12, 13), (32, 32)], c == 'S'),
            'w' | 'W' => perl(posix("word").unwrap_or_default(), c == 'W'),
            'a' => Esc::Re(Re::Lit('\x07', fl.fold)),
            'f' => Esc::Re(Re::Lit('\x0c', fl.fold)),
            't' => Esc::Re(Re::Lit('\t', fl.fold)),
            'n' => Esc::Re(Re::Lit('\n', fl.fold)),
            'r' => Esc::Re(Re::Lit('\r', fl.fold)),
            'v' => Esc::Re(Re::Lit('\x0b', fl.fold)),
            'x' => {
                let (text, len) = if self.peek() == Some('{') {
                    let Some(n) = self.s[self.i..].iter().position(|&c| c == '}') else {
                        return self.fail("invalid escape sequence");
                    };
                    (self.s[self.i + 1..self.i + n].iter().collect::<String>(), n + 1)
                } else {
                    (self.s.get(self.i..self.i + 2).map(|t| t.iter().collect()).unwrap_or_default(), 2)
                };
                let ch = u32::from_str_radix(&text, 16).ok().filter(|_| !text.is_empty()).and_then(char::from_u32);
                let Some(ch) = ch else {
                    return self.fail("invalid escape sequence");
                };
                self.i += len;
                Esc::Re(Re::Lit(ch, fl.fold))
            }
            'A' if !in_class => Esc::Re(Re::Begin(false)),
            'z' if !in_class => Esc::Re(Re::End(false)),
            'b' | 'B' if !in_class => Esc::Re(Re::WordBoundary(c == 'B')),
            'Q' if !in_class => {
                let rest = &self.s[self.i..];
                let end = rest.windows(2).position(|w| w == ['\\', 'E']);
                let text = rest[..end.unwrap_or(rest.len())].to_vec();
                self.i += text.len() + if end.is_some() { 2 } else { 0 };
                Esc::Quote(text)
            }
            'p' | 'P' | '0'..='7' => return Err(err!(Unsupported, "regular expression escape \\{} is not supported", c)),
            c if c.is_ascii() && !c.is_ascii_alphanumeric() => Esc::Re(Re::Lit(c, fl.fold)),
            _ => return self.fail("invalid escape sequence"),
        })
    }
}

enum Esc {
    Re(Re),
    Quote(Vec<char>),
}

fn posix(name: &str) -> Option<Ranges> {
    Some(match name {
        "alnum" => vec![(0x30, 0x39), (0x41, 0x5a), (0x61, 0x7a)],
        "alpha" => vec![(0x41, 0x5a), (0x61, 0x7a)],
        "ascii" => vec![(0, 0x7f)],
        "blank" => vec![(9, 9), (32, 32)],
        "cntrl" => vec![(0, 0x1f), (0x7f, 0x7f)],
        "digit" => vec![(0x30, 0x39)],
        "graph" => vec![(0x21, 0x7e)],
        "lower" => vec![(0x61, 0x7a)],
        "print" => vec![(0x20, 0x7e)],
        "punct" => vec![(0x21, 0x2f), (0x3a, 0x40), (0x5b, 0x60), (0x7b, 0x7e)],
        "space" => vec![(9, 13), (32, 32)],
        "upper" => vec![(0x41, 0x5a)],
        "word" => vec![(0x30, 0x39), (0x41, 0x5a), (0x5f, 0x5f), (0x61, 0x7a)],
        "xdigit" => vec![(0x30, 0x39), (0x41, 0x46), (0x61, 0x66)],
        _ => return None,
    })
}

fn complement(r: &Ranges) -> Ranges {
    let mut sorted = r.clone();
    sorted.sort_unstable();
    let mut out = Vec::new();
    let mut next = 0u32;
    for (lo, hi) in sorted {
        if lo > next {
            out.push((next, lo - 1));
        }
        next = next.max(hi.saturating_add(1));
    }
    if next <= 0x10ffff {
        out.push((next, 0x10ffff));
    }
    out
}

/// Under `(?i)`, adds the other case of every ASCII letter (Go folds before negating).
fn fold_ranges(mut r: Ranges, fold: bool) -> Ranges {
    if fold {
        let extra: Ranges = r
            .iter()
            .flat_map(|&(lo, hi)| (lo..=hi.min(0x7f)).filter_map(char::from_u32))
            .filter(|c| c.is_ascii_alphabetic())
            .map(|c| {
                let o = if c.is_ascii_lowercase() { c.to_ascii_uppercase() } else { c.to_ascii_lowercase() };
                (o as u32, o as u32)
            })
            .collect();
        r.extend(extra);
    }
    r
}

fn in_ranges(r: &Ranges, c: char) -> bool {
    let c = c as u32;
    r.iter().any(|&(lo, hi)| lo <= c && c <= hi)
}

fn is_word(c: Option<&char>) -> bool {
    c.is_some_and(|c| c.is_ascii_alphanumeric() || *c == '_')
}

fn same_fold(a: char, b: char) -> bool {
    a == b || a.to_lowercase().eq(b.to_lowercase())
}

/// Matches `re` at `i`, calling `k` with each end position until it says yes.
fn m(re: &Re, s: &[char], i: usize, k: &mut dyn FnMut(usize) -> bool) -> bool {
    match re {
        Re::Lit(c, fold) => s.get(i).is_some_and(|&x| x == *c || (*fold && same_fold(x, *c))) && k(i + 1),
        Re::Any(nl) => s.get(i).is_some_and(|&x| *nl || x != '\n') && k(i + 1),
        Re::Class(r, neg) => s.get(i).is_some_and(|&x| in_ranges(r, x) != *neg) && k(i + 1),
        Re::Begin(multi) => (i == 0 || (*multi && s[i - 1] == '\n')) && k(i),
        Re::End(multi) => (i == s.len() || (*multi && s[i] == '\n')) && k(i),
        Re::WordBoundary(neg) => {
            let at = is_word(i.checked_sub(1).and_then(|j| s.get(j))) != is_word(s.get(i));
            at != *neg && k(i)
        }
        Re::Cat(items) => cat(items, s, i, k),
        Re::Alt(alts) => alts.iter().any(|a| m(a, s, i, k)),
        Re::Rep(inner, min, max) => rep(inner, *min, *max, 0, s, i, k),
    }
}

fn cat(items: &[Re], s: &[char], i: usize, k: &mut dyn FnMut(usize) -> bool) -> bool {
    match items.split_first() {
        None => k(i),
        Some((first, rest)) => m(first, s, i, &mut |j| cat(rest, s, j, k)),
    }
}

fn rep(re: &Re, min: u32, max: Option<u32>, n: u32, s: &[char], i: usize, k: &mut dyn FnMut(usize) -> bool) -> bool {
    if max.is_none_or(|mx| n < mx) && m(re, s, i, &mut |j| (j != i || n < min) && rep(re, min, max, n + 1, s, j, k)) {
        return true;
    }
    n >= min && k(i)
}

#[cfg(test)]
mod tests {
    use super::Regex;

    fn is(p: &str, s: &str) -> bool {
        Regex::new(p).unwrap().is_match(s)
    }

    #[test]
    fn go_semantics() {
        let tail = "(:[a-zA-Z0-9_.{}-]*)?(@sha256:[a-zA-Z0-9_.{}-]*)?$";
        let img = |name: &str, s: &str| is(&format!("^{}{}", name, tail), s);
        assert!(img("nginx", "nginx:1.2@sha256:ab"));
        assert!(img("nginx", "nginx:{TAG}"));
        assert!(!img("nginx", "nginx-x"));
        assert!(img("busy.ox", "busyXox:1"));
        assert!(img("ngi.x.*", "nginx-foo:1"));
        assert!(img("(foo|bar)/[a-c]+", "foo/abc@sha256:1"));
        assert!(!img("(foo|bar)/[a-c]+", "bar/abd"));
        assert!(img("a|b", "ab-anything"), "alternation splits the whole pattern");
        assert!(img("localhost:5000/foo", "localhost:5000/foo:v1"));
        assert!(img("x{2}", "xx") && img("a{", "a{") && !img("x{2}", "x"));
        assert!(img("(?i)NGINX", "nginx") && img("[[:alpha:]]+\\d", "ab1"));
        assert!(is("\\bfoo\\b", "a foo b") && !is("^\\Qa.b\\E$", "axb"));
        assert!(Regex::new("ngi(x").is_err() && Regex::new("a**").is_err() && Regex::new("*a").is_err());
        assert!(Regex::new("a)").is_err() && Regex::new("[z-a]").is_err());
    }
}
