//! Scalar typing.
//!
//! Input scalars are typed with go-yaml v3's rules (what kustomize's kyaml uses when it turns a
//! resource into a map): `0644` is 420, `1e3` is 1000, `on` stays a string, `2024-01-01` is a
//! timestamp. Output quoting asks the other question, go-yaml v2's: would this string, written
//! plain, read back as something else (`"on"`, `"y"`, `"1:20"`)?

use super::node::{Scalar, Style};

/// The typed value of a scalar, as kustomize sees it after decoding.
#[derive(Clone, Debug, PartialEq)]
pub enum Value<'a> {
    Null,
    Bool(bool),
    Int(i64),
    Uint(u64),
    Float(f64),
    Str(&'a str),
    /// A timestamp, already formatted as Go's `time.RFC3339Nano` (how it leaves kustomize).
    Time(String),
}

/// Types a scalar with go-yaml v3's rules.
pub fn resolve(s: &Scalar) -> Value<'_> {
    let tag = s.tag.as_deref();
    match tag {
        Some("!!str") => return Value::Str(&s.value),
        None | Some("!") => {
            if s.style != Style::Plain {
                return Value::Str(&s.value);
            }
            resolve_plain_v3(&s.value)
        }
        Some("!!int") | Some("!!float") | Some("!!bool") | Some("!!null") | Some("!!timestamp") => {
            match resolve_plain_v3(&s.value) {
                // An explicit !!float tag turns an int into a float.
                Value::Int(i) if tag == Some("!!float") => Value::Float(i as f64),
                v => v,
            }
        }
        // Unknown tags and !!binary: kept as text.
        _ => Value::Str(&s.value),
    }
}

/// Whether a plain scalar with this text reads as a string under go-yaml v3's rules.
pub fn is_plain_string(s: &str) -> bool {
    matches!(resolve_plain_v3(s), Value::Str(_))
}

fn resolve_plain_v3(s: &str) -> Value<'_> {
    match s {
        "" | "~" | "null" | "Null" | "NULL" => return Value::Null,
        "true" | "True" | "TRUE" => return Value::Bool(true),
        "false" | "False" | "FALSE" => return Value::Bool(false),
        ".nan" | ".NaN" | ".NAN" => return Value::Float(f64::NAN),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => return Value::Float(f64::INFINITY),
        "-.inf" | "-.Inf" | "-.INF" => return Value::Float(f64::NEG_INFINITY),
        _ => {}
    }
    let b = s.as_bytes()[0];
    match b {
        b'.' => {
            if let Some(f) = go_parse_float(s) {
                return Value::Float(f);
            }
        }
        b'0'..=b'9' | b'+' | b'-' => {
            if let Some(t) = parse_timestamp(s) {
                return Value::Time(t);
            }
            let plain: String = s.chars().filter(|&c| c != '_').collect();
            if let Some(i) = go_parse_int(&plain) {
                return Value::Int(i);
            }
            if let Some(u) = go_parse_uint(&plain) {
                return Value::Uint(u);
            }
            if is_yaml_style_float(&plain) {
                if let Some(f) = go_parse_float(&plain) {
                    return Value::Float(f);
                }
            }
            // 0b/-0b and 0o/-0o are already covered by Go's base-0 integer parsing.
        }
        _ => {}
    }
    Value::Str(s)
}

/// Whether go-yaml v2 would write this string as a plain scalar without changing its type
/// (the `canUsePlain` test of its encoder: the string resolves to a string and is no
/// sexagesimal float).
pub fn v2_plain_is_string(s: &str) -> bool {
    v2_resolves_to_string(s) && !is_base60_float(s)
}

fn v2_resolves_to_string(s: &str) -> bool {
    match s {
        "" | "~" | "null" | "Null" | "NULL" | "y" | "Y" | "yes" | "Yes" | "YES" | "true" | "True" | "TRUE" | "on"
        | "On" | "ON" | "n" | "N" | "no" | "No" | "NO" | "false" | "False" | "FALSE" | "off" | "Off" | "OFF" | ".nan"
        | ".NaN" | ".NAN" | ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" | "-.inf" | "-.Inf" | "-.INF"
        | "<<" => return false,
        _ => {}
    }
    match s.as_bytes()[0] {
        b'.' => go_parse_float(s).is_none(),
        b'0'..=b'9' | b'+' | b'-' => {
            if parse_timestamp(s).is_some() {
                return false;
            }
            let plain: String = s.chars().filter(|&c| c != '_').collect();
            if go_parse_int(&plain).is_some() || go_parse_uint(&plain).is_some() {
                return false;
            }
            if is_yaml_style_float(&plain) && go_parse_float(&plain).is_some() {
                return false;
            }
            if let Some(rest) = plain.strip_prefix("0b").or_else(|| plain.strip_prefix("-0b")) {
                if !rest.is_empty() && rest.bytes().all(|c| c == b'0' || c == b'1') && rest.len() <= 64 {
                    return false;
                }
            }
            true
        }
        _ => true,
    }
}

/// `^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$`
fn is_base60_float(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
        i += 1;
    }
    if i >= b.len() || !b[i].is_ascii_digit() {
        return false;
    }
    while i < b.len() && (b[i].is_ascii_digit() || b[i] == b'_') {
        i += 1;
    }
    let mut groups = 0;
    while i < b.len() && b[i] == b':' {
        i += 1;
        let start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        // `[0-5]?[0-9]`
        match i - start {
            1 => {}
            2 if b[start] <= b'5' => {}
            _ => return false,
        }
        groups += 1;
    }
    if groups == 0 {
        return false;
    }
    if i < b.len() && b[i] == b'.' {
        i += 1;
        while i < b.len() && (b[i].is_ascii_digit() || b[i] == b'_') {
            i += 1;
        }
    }
    i == b.len()
}

/// `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`
fn is_yaml_style_float(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
        i += 1;
    }
    let digits = |i: &mut usize| {
        let st = *i;
        while *i < b.len() && b[*i].is_ascii_digit() {
            *i += 1;
        }
        *i - st
    };
    if i < b.len() && b[i] == b'.' {
        i += 1;
        if digits(&mut i) == 0 {
            return false;
        }
    } else {
        if digits(&mut i) == 0 {
            return false;
        }
        if i < b.len() && b[i] == b'.' {
            i += 1;
            digits(&mut i);
        }
    }
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        i += 1;
        if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return false;
        }
    }
    i == b.len()
}

/// Go's `strconv.ParseUint(s, 0, 64)` (no underscores: callers strip them).
pub(crate) fn go_parse_uint(s: &str) -> Option<u64> {
    let (digits, radix) = if let Some(r) = s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
        (r, 16)
    } else if let Some(r) = s.strip_prefix("0o").or_else(|| s.strip_prefix("0O")) {
        (r, 8)
    } else if let Some(r) = s.strip_prefix("0b").or_else(|| s.strip_prefix("0B")) {
        (r, 2)
    } else if s.len() > 1 && s.starts_with('0') {
        (&s[1..], 8)
    } else {
        (s, 10)
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    u64::from_str_radix(digits, radix).ok()
}

/// Go's `strconv.ParseInt(s, 0, 64)`.
pub(crate) fn go_parse_int(s: &str) -> Option<i64> {
    let (neg, body) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    let u = go_parse_uint(body)?;
    if neg {
        if u <= i64::MAX as u64 + 1 {
            Some((u as i128).wrapping_neg() as i64)
        } else {
            None
        }
    } else if u <= i64::MAX as u64 {
        Some(u as i64)
    } else {
        None
    }
}

/// Go's `strconv.ParseFloat(s, 64)` for decimal text; `None` on syntax errors and overflow.
pub(crate) fn go_parse_float(s: &str) -> Option<f64> {
    let body = s.strip_prefix(['+', '-']).unwrap_or(s);
    let lower = body.to_ascii_lowercase();
    if lower == "inf" || lower == "infinity" || lower == "nan" {
        return if lower == "nan" { Some(f64::NAN) } else if s.starts_with('-') { Some(f64::NEG_INFINITY) } else { Some(f64::INFINITY) };
    }
    if !body.bytes().all(|c| c.is_ascii_digit() || matches!(c, b'.' | b'e' | b'E' | b'+' | b'-')) {
        return None;
    }
    let f: f64 = s.parse().ok()?;
    if f.is_infinite() {
        return None;
    }
    Some(f)
}

/// go-yaml's timestamp recognition (formats `2006-1-2T15:4:5.999999999Z07:00`, with a lower-case
/// `t`, `2006-1-2 15:4:5.999999999`, `2006-1-2`), returning the RFC 3339 text Go's JSON encoder
/// writes for it.
pub fn parse_timestamp(s: &str) -> Option<String> {
    let b = s.as_bytes();
    if b.len() < 5 || !b[..4].iter().all(u8::is_ascii_digit) || b[4] != b'-' {
        return None;
    }
    let mut p = Parser { b, i: 5 };
    let year: i64 = s[..4].parse().ok()?;
    let month = p.num12()?;
    p.lit(b'-')?;
    let day = p.num12()?;
    if !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) {
        return None;
    }
    let date = format!("{:04}-{:02}-{:02}", year, month, day);
    if p.i == b.len() {
        return Some(format!("{}T00:00:00Z", date));
    }
    let sep = b[p.i];
    if sep != b'T' && sep != b't' && sep != b' ' {
        return None;
    }
    p.i += 1;
    let hour = p.num12()?;
    p.lit(b':')?;
    let min = p.num12()?;
    p.lit(b':')?;
    let sec = p.num12()?;
    if hour > 23 || min > 59 || sec > 59 {
        return None;
    }
    let mut frac = String::new();
    if p.i + 1 < b.len() && (b[p.i] == b'.' || b[p.i] == b',') && b[p.i + 1].is_ascii_digit() {
        p.i += 1;
        let st = p.i;
        while p.i < b.len() && b[p.i].is_ascii_digit() {
            p.i += 1;
        }
        let mut digits = s[st..p.i].to_string();
        digits.truncate(9);
        let trimmed = digits.trim_end_matches('0');
        if !trimmed.is_empty() {
            frac = format!(".{}", trimmed);
        }
    }
    let time = format!("{}T{:02}:{:02}:{:02}{}", date, hour, min, sec, frac);
    if sep == b' ' {
        return (p.i == b.len()).then(|| format!("{}Z", time));
    }
    // Zone: Z or ±hh:mm
    let rest = &s[p.i..];
    if rest == "Z" {
        return Some(format!("{}Z", time));
    }
    let rb = rest.as_bytes();
    if rb.len() == 6 && (rb[0] == b'+' || rb[0] == b'-') && rb[3] == b':' {
        let hh: u32 = rest[1..3].parse().ok()?;
        let mm: u32 = rest[4..6].parse().ok()?;
        if !rest[1..3].bytes().all(|c| c.is_ascii_digit()) || !rest[4..6].bytes().all(|c| c.is_ascii_digit()) {
            return None;
        }
        if hh > 24 || mm > 60 {
            return None;
        }
        if hh == 0 && mm == 0 {
            return Some(format!("{}Z", time));
        }
        return Some(format!("{}{}", time, rest));
    }
    None
}

struct Parser<'a> {
    b: &'a [u8],
    i: usize,
}

impl Parser<'_> {
    /// One or two digits.
    fn num12(&mut self) -> Option<u32> {
        let st = self.i;
        while self.i < self.b.len() && self.b[self.i].is_ascii_digit() && self.i - st < 2 {
            self.i += 1;
        }
        if self.i == st {
            return None;
        }
        std::str::from_utf8(&self.b[st..self.i]).ok()?.parse().ok()
    }
    fn lit(&mut self, c: u8) -> Option<()> {
        if self.b.get(self.i) == Some(&c) {
            self.i += 1;
            Some(())
        } else {
            None
        }
    }
}

fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 31,
    }
}

/// Go's `strconv.FormatFloat(f, 'g', -1, 64)`.
pub fn go_format_float_g(f: f64) -> String {
    go_format_g_digits(f, &format!("{:e}", f.abs()))
}

/// Go's shortest `'g'` format of `f`, given the shortest digits of `|f|` in Rust's `{:e}` form
/// (so a float32 can be formatted from its own shortest digits).
pub(crate) fn go_format_g_digits(f: f64, e: &str) -> String {
    if f.is_nan() {
        return "NaN".into();
    }
    if f.is_infinite() {
        return if f > 0.0 { "+Inf".into() } else { "-Inf".into() };
    }
    if f == 0.0 {
        return if f.is_sign_negative() { "-0".into() } else { "0".into() };
    }
    // Shortest round-trip digits: "d.ddde±x".
    let (mant, exp) = e.split_once('e').unwrap_or((e, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let neg = f.is_sign_negative();
    let digits: String = mant.chars().filter(|c| c.is_ascii_digit()).collect();
    let nd = digits.len() as i32;
    let dp = exp + 1; // position of the decimal point
    let mut out = String::new();
    if neg {
        out.push('-');
    }
    if exp < -4 || exp >= 6 {
        // %e with nd-1 fractional digits
        out.push_str(&digits[..1]);
        if nd > 1 {
            out.push('.');
            out.push_str(&digits[1..]);
        }
        out.push('e');
        out.push(if exp < 0 { '-' } else { '+' });
        let a = exp.unsigned_abs();
        if a < 10 {
            out.push('0');
        }
        out.push_str(&a.to_string());
    } else if dp <= 0 {
        out.push_str("0.");
        for _ in 0..(-dp) {
            out.push('0');
        }
        out.push_str(&digits);
    } else if dp >= nd {
        out.push_str(&digits);
        for _ in 0..(dp - nd) {
            out.push('0');
        }
    } else {
        out.push_str(&digits[..dp as usize]);
        out.push('.');
        out.push_str(&digits[dp as usize..]);
    }
    out
}

/// How a float leaves kustomize: through Go's JSON encoder and back through go-yaml v2, so an
/// integral value prints as an integer and anything else in Go's `%g` style.
pub fn float_output(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e21 {
        if f >= i64::MIN as f64 && f < i64::MAX as f64 {
            return (f as i64).to_string();
        }
        if f > 0.0 && f < u64::MAX as f64 {
            return (f as u64).to_string();
        }
    }
    go_format_float_g(f)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> Value<'_> {
        resolve_plain_v3(s)
    }

    #[test]
    fn v3_typing() {
        assert_eq!(v("0644"), Value::Int(420));
        assert_eq!(v("1e3"), Value::Float(1000.0));
        assert_eq!(v("0x1F"), Value::Int(31));
        assert_eq!(v("0o17"), Value::Int(15));
        assert_eq!(v("0b101"), Value::Int(5));
        assert_eq!(v("08"), Value::Float(8.0));
        assert_eq!(v("1_000"), Value::Int(1000));
        assert_eq!(v("+12"), Value::Int(12));
        assert_eq!(v(".5"), Value::Float(0.5));
        assert_eq!(v("on"), Value::Str("on"));
        assert_eq!(v("yes"), Value::Str("yes"));
        assert_eq!(v("True"), Value::Bool(true));
        assert_eq!(v("~"), Value::Null);
        assert_eq!(v("12345678901234567890"), Value::Uint(12345678901234567890));
        assert_eq!(v("1e400"), Value::Str("1e400"));
        assert_eq!(v("2024-01-01"), Value::Time("2024-01-01T00:00:00Z".into()));
        assert_eq!(v("2001-12-14t21:59:43.10-05:00"), Value::Time("2001-12-14T21:59:43.1-05:00".into()));
        assert_eq!(v("2001-12-14 21:59:43.10"), Value::Time("2001-12-14T21:59:43.1Z".into()));
        assert_eq!(v("2024-02-30"), Value::Str("2024-02-30"));
        assert_eq!(v("1:20"), Value::Str("1:20"));
    }

    #[test]
    fn v2_quoting_decisions() {
        for s in ["on", "y", "N", "true", "010", "", "1:20", "2024-01-01", "0x1F", "1e5", ".5", "0b1", "<<", "-1"] {
            assert!(!v2_plain_is_string(s), "{s}");
        }
        for s in ["- c", "abc", "1e400", "0b2", "1:2a", "+", "-"] {
            assert!(v2_plain_is_string(s), "{s}");
        }
        assert!(is_base60_float("190:20:30"));
        assert!(is_base60_float("1:20"));
        assert!(!is_base60_float("1:2:"));
    }

    #[test]
    fn float_formatting() {
        assert_eq!(float_output(1.0), "1");
        assert_eq!(float_output(1234567.5), "1.2345675e+06");
        assert_eq!(float_output(0.000001), "1e-06");
        assert_eq!(float_output(1e21), "1e+21");
        assert_eq!(float_output(1e20), "1e+20");
        assert_eq!(float_output(1e19), "10000000000000000000");
        assert_eq!(float_output(-1.5e-7), "-1.5e-07");
        assert_eq!(float_output(3.14159), "3.14159");
        assert_eq!(float_output(1.2345678901234569e23), "1.2345678901234569e+23");
        assert_eq!(float_output(0.5), "0.5");
        assert_eq!(float_output(-0.0), "0");
        assert_eq!(float_output(123456.5), "123456.5");
        assert_eq!(float_output(0.0001), "0.0001");
        assert_eq!(float_output(0.00001), "1e-05");
    }
}

/// Go's `encoding/json` text for a string, with its HTML escaping (`<`, `>`, `&`, U+2028,
/// U+2029) and the short forms `\b`, `\f` of Go 1.22+.
pub(crate) fn go_json_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\x08' => out.push_str("\\b"),
            '\x0c' => out.push_str("\\f"),
            '<' | '>' | '&' | '\u{2028}' | '\u{2029}' => out.push_str(&format!("\\u{:04x}", c as u32)),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
