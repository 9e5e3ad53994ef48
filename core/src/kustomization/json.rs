//! What kustomize's `yaml.YAMLToJSON` makes of a kustomization file: go-yaml v2 typing of plain
//! scalars (YAML 1.1 booleans such as `yes`/`on`/`y`, octal `017`, ...),
//! map keys turned into strings, floats rendered as Go's `encoding/json` does, and objects
//! with sorted keys (the order in which Go's decoder meets them).

use crate::yaml::resolve::{go_parse_int, go_parse_uint};
use std::collections::BTreeMap;

use crate::error::{err, Result};
use crate::yaml::{Mapping, Node, Pos, Scalar, Style};

/// A JSON value, as Go's `encoding/json` decoder sees it.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum JVal {
    Null,
    Bool(bool),
    /// A number, in the text `encoding/json` writes for it.
    Num(String),
    Str(String),
    Arr(Vec<JVal>),
    /// Entries sorted by key, no duplicates; each with the position of its key.
    Obj(Vec<(String, Pos, JVal)>),
    /// A float JSON cannot represent (`+Inf`, `-Inf`, `NaN`): an error when marshalled.
    Unsupported(&'static str),
}

impl JVal {
    /// The first value `json.Marshal` refuses, in its (sorted) order.
    pub(crate) fn first_unsupported(&self) -> Option<&'static str> {
        match self {
            JVal::Unsupported(s) => Some(s),
            JVal::Arr(items) => items.iter().find_map(|v| v.first_unsupported()),
            JVal::Obj(entries) => entries.iter().find_map(|(_, _, v)| v.first_unsupported()),
            _ => None,
        }
    }

    /// Back to a node: the value Go decodes into an `interface{}` (numbers are float64s),
    /// as kustomize marshals it again.
    pub(crate) fn to_node(&self) -> Node {
        match self {
            JVal::Null => Node::null(),
            JVal::Bool(b) => Node::plain(if *b { "true" } else { "false" }),
            // Go decodes a number into an `interface{}` as a float64.
            JVal::Num(n) => Node::plain(n.parse::<f64>().map(format_json_float).unwrap_or_else(|_| n.clone())),
            JVal::Unsupported(s) => Node::plain(*s),
            JVal::Str(s) => Node::string(s.clone()),
            JVal::Arr(items) => Node::Seq(items.iter().map(|v| v.to_node()).collect()),
            JVal::Obj(entries) => Node::Map(obj_to_mapping(entries)),
        }
    }
}

pub(crate) fn obj_to_mapping(entries: &[(String, Pos, JVal)]) -> Mapping {
    let mut m = Mapping::new();
    for (k, pos, v) in entries {
        m.entries.push(crate::yaml::Entry::new(k.clone(), v.to_node(), *pos));
    }
    m
}

/// A plain scalar, typed by go-yaml v2.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum V2 {
    Null,
    Bool(bool),
    Int(i64),
    Uint(u64),
    Float(f64),
    Str,
    Merge,
}

/// Converts a document the way `yaml.YAMLToJSON` does (before the JSON marshalling step).
pub(crate) fn to_json(node: &Node) -> Result<JVal> {
    match node {
        Node::Scalar(s) => scalar(s),
        Node::Seq(items) => Ok(JVal::Arr(items.iter().map(to_json).collect::<Result<_>>()?)),
        Node::Map(m) => {
            let mut out: BTreeMap<String, (Pos, JVal)> = BTreeMap::new();
            mapping_into(m, &mut out)?;
            Ok(JVal::Obj(out.into_iter().map(|(k, (p, v))| (k, p, v)).collect()))
        }
    }
}

/// go-yaml v2 decodes a mapping entry by entry into one Go map, and `YAMLToJSON` turns its keys
/// into strings: of two keys that end up the same (`yes` and `true`), the later wins. (Merge
/// keys are resolved by the loader, with go-yaml v2's rules; a `<<` left here was quoted.)
fn mapping_into(m: &Mapping, out: &mut BTreeMap<String, (Pos, JVal)>) -> Result<()> {
    for e in &m.entries {
        let key = map_key(&e.key, &e.value)?;
        let v = to_json(&e.value)?;
        out.insert(key, (e.pos, v));
    }
    Ok(())
}

/// The string `yaml.YAMLToJSON` makes of a map key (keys are typed by go-yaml v2 first).
fn map_key(key: &str, value: &Node) -> Result<String> {
    Ok(match resolve_v2(key) {
        V2::Str | V2::Merge => key.to_string(),
        V2::Bool(b) => b.to_string(),
        V2::Int(i) => i.to_string(),
        V2::Float(f) => {
            if f.is_nan() {
                ".nan".to_string()
            } else if f.is_infinite() {
                if f > 0.0 { ".inf" } else { "-.inf" }.to_string()
            } else {
                format_g32(f)
            }
        }
        V2::Uint(u) => {
            return Err(err!(
                Kustomization,
                "invalid Kustomization: unsupported map key of type: uint64, key: {:#x}, value: {}",
                u,
                go_sharp_v(value)
            ))
        }
        V2::Null => {
            return Err(err!(
                Kustomization,
                "invalid Kustomization: unsupported map key of type: %!s(<nil>), key: <nil>, value: {}",
                go_sharp_v(value)
            ))
        }
    })
}

fn scalar(s: &Scalar) -> Result<JVal> {
    let typed = match s.tag.as_deref() {
        None if s.style == Style::Plain => resolve_v2(&s.value),
        None => V2::Str,
        Some(tag @ ("!!int" | "!!float" | "!!bool" | "!!null")) => {
            let r = resolve_v2(&s.value);
            let rtag = match &r {
                V2::Null => "!!null",
                V2::Bool(_) => "!!bool",
                V2::Int(_) | V2::Uint(_) => "!!int",
                V2::Float(_) => "!!float",
                V2::Str => "!!str",
                V2::Merge => "!!merge",
            };
            if rtag == tag {
                r
            } else if tag == "!!float" && rtag == "!!int" {
                match r {
                    V2::Int(i) => V2::Float(i as f64),
                    V2::Uint(u) => V2::Float(u as f64),
                    _ => r,
                }
            } else {
                return Err(err!(
                    Kustomization,
                    "invalid Kustomization: yaml: cannot decode {} `{}` as a {}",
                    rtag,
                    s.value,
                    tag
                ));
            }
        }
        // `!!str`, `!`, custom tags: the text.
        Some(_) => V2::Str,
    };
    Ok(match typed {
        V2::Null => JVal::Null,
        V2::Bool(b) => JVal::Bool(b),
        V2::Int(i) => JVal::Num(i.to_string()),
        V2::Uint(u) => JVal::Num(u.to_string()),
        V2::Float(f) => float_json(f),
        V2::Str | V2::Merge => JVal::Str(s.value.clone()),
    })
}

/// go-yaml v2's `resolve` for an untagged plain scalar.
pub(crate) fn resolve_v2(s: &str) -> V2 {
    // Most text starts with a byte none of the special forms below starts with.
    match s.as_bytes().first() {
        Some(b'y' | b'Y' | b'n' | b'N' | b't' | b'T' | b'f' | b'F' | b'o' | b'O' | b'~' | b'.' | b'<' | b'+' | b'-')
        | Some(b'0'..=b'9')
        | None => {}
        Some(_) => return V2::Str,
    }
    match s {
        "" | "~" | "null" | "Null" | "NULL" => return V2::Null,
        "y" | "Y" | "yes" | "Yes" | "YES" | "true" | "True" | "TRUE" | "on" | "On" | "ON" => return V2::Bool(true),
        "n" | "N" | "no" | "No" | "NO" | "false" | "False" | "FALSE" | "off" | "Off" | "OFF" => return V2::Bool(false),
        ".nan" | ".NaN" | ".NAN" => return V2::Float(f64::NAN),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => return V2::Float(f64::INFINITY),
        "-.inf" | "-.Inf" | "-.INF" => return V2::Float(f64::NEG_INFINITY),
        "<<" => return V2::Merge,
        _ => {}
    }
    let first = s.as_bytes()[0];
    match first {
        b'.' => {
            if is_dot_float(s) {
                if let Ok(f) = s.parse::<f64>() {
                    if f.is_finite() {
                        return V2::Float(f);
                    }
                }
            }
            V2::Str
        }
        b'+' | b'-' | b'0'..=b'9' => {
            let plain: std::borrow::Cow<str> =
                if s.contains('_') { s.chars().filter(|&c| c != '_').collect::<String>().into() } else { s.into() };
            if let Some(i) = go_parse_int(&plain) {
                return V2::Int(i);
            }
            if let Some(u) = go_parse_uint(&plain) {
                return V2::Uint(u);
            }
            if is_yaml_style_float(&plain) {
                if let Ok(f) = plain.parse::<f64>() {
                    if f.is_finite() {
                        return V2::Float(f);
                    }
                }
            }
            V2::Str
        }
        _ => V2::Str,
    }
}

/// `\.[0-9]+([eE][-+]?[0-9]+)?`: what Go's `ParseFloat` accepts from a string starting with a dot.
fn is_dot_float(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 1;
    let start = i;
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
    }
    if i == start {
        return false;
    }
    exponent_rest(&b[i..])
}

/// `([eE][-+]?[0-9]+)?` matching the whole of `b`.
fn exponent_rest(b: &[u8]) -> bool {
    if b.is_empty() {
        return true;
    }
    if b[0] != b'e' && b[0] != b'E' {
        return false;
    }
    let mut i = 1;
    if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
        i += 1;
    }
    i < b.len() && b[i..].iter().all(|c| c.is_ascii_digit())
}

/// go-yaml v2's `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`.
fn is_yaml_style_float(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
        i += 1;
    }
    if i < b.len() && b[i] == b'.' {
        i += 1;
        let start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        if i == start {
            return false;
        }
    } else {
        let start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        if i == start {
            return false;
        }
        if i < b.len() && b[i] == b'.' {
            i += 1;
            while i < b.len() && b[i].is_ascii_digit() {
                i += 1;
            }
        }
    }
    exponent_rest(&b[i..])
}

/// A float as `encoding/json` marshals a `float64` (or why it cannot).
fn float_json(f: f64) -> JVal {
    if f.is_nan() {
        return JVal::Unsupported("NaN");
    }
    if f.is_infinite() {
        return JVal::Unsupported(if f > 0.0 { "+Inf" } else { "-Inf" });
    }
    JVal::Num(format_json_float(f))
}

/// Go's `encoding/json` float64 text: shortest digits, exponent form below 1e-6 or from 1e21.
pub(crate) fn format_json_float(f: f64) -> String {
    let abs = f.abs();
    if abs != 0.0 && (abs < 1e-6 || abs >= 1e21) {
        let s = format!("{:e}", f);
        match s.find('e') {
            Some(i) if !s[i + 1..].starts_with('-') => format!("{}e+{}", &s[..i], &s[i + 1..]),
            _ => s,
        }
    } else {
        format!("{}", f)
    }
}

/// Go's `strconv.FormatFloat(f, 'g', -1, 32)`.
fn format_g32(f: f64) -> String {
    let x = f as f32;
    if x == 0.0 {
        return if x.is_sign_negative() { "-0".into() } else { "0".into() };
    }
    // Rust's exponent form gives the shortest digits for a float32.
    format_g_shortest(&format!("{:e}", x))
}

/// Go's `strconv.FormatFloat(f, 'g', -1, 64)` (also what `%v` prints).
fn format_g64(f: f64) -> String {
    if f == 0.0 {
        return if f.is_sign_negative() { "-0".into() } else { "0".into() };
    }
    format_g_shortest(&format!("{:e}", f))
}

/// Go's shortest `%g` layout, from Rust's exponent form `-d.ddde-x`: exponent form when the
/// exponent is below -4 or at least 6 (two exponent digits at least), else plain decimals.
fn format_g_shortest(e: &str) -> String {
    let (neg, e) = match e.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, e),
    };
    let (mant, exp) = e.split_once('e').unwrap_or((e, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let digits: String = mant.chars().filter(|c| *c != '.').collect();
    let mut out = String::new();
    if neg {
        out.push('-');
    }
    if !(-4..6).contains(&exp) {
        out.push_str(&digits[..1]);
        if digits.len() > 1 {
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
    } else if exp < 0 {
        out.push_str("0.");
        for _ in 0..(-exp - 1) {
            out.push('0');
        }
        out.push_str(&digits);
    } else {
        let dp = exp as usize + 1;
        if digits.len() <= dp {
            out.push_str(&digits);
            for _ in digits.len()..dp {
                out.push('0');
            }
        } else {
            out.push_str(&digits[..dp]);
            out.push('.');
            out.push_str(&digits[dp..]);
        }
    }
    out
}

/// Go's `%+#v` of the value go-yaml v2 decodes into an `interface{}` (for error messages).
fn go_sharp_v(n: &Node) -> String {
    match n {
        Node::Scalar(s) => {
            let typed = if s.tag.is_none() && s.style == Style::Plain { resolve_v2(&s.value) } else { V2::Str };
            match typed {
                V2::Null => "<nil>".into(),
                V2::Bool(b) => b.to_string(),
                V2::Int(i) => i.to_string(),
                V2::Uint(u) => format!("{:#x}", u),
                V2::Float(f) => {
                    if f.is_nan() {
                        "NaN".into()
                    } else if f.is_infinite() {
                        if f > 0.0 { "+Inf" } else { "-Inf" }.into()
                    } else {
                        format_g64(f)
                    }
                }
                V2::Str | V2::Merge => go_quote(&s.value),
            }
        }
        Node::Seq(items) => {
            let parts: Vec<String> = items.iter().map(go_sharp_v).collect();
            format!("[]interface {{}}{{{}}}", parts.join(", "))
        }
        Node::Map(m) => {
            let parts: Vec<String> =
                m.entries.iter().map(|e| format!("{}:{}", go_quote(&e.key), go_sharp_v(&e.value))).collect();
            format!("map[interface {{}}]interface {{}}{{{}}}", parts.join(", "))
        }
    }
}

/// Go's `strconv.Quote` (one implementation, shared with the generators).
pub(crate) use crate::generate::kv::go_quote;

#[cfg(test)]
mod tests {
    use super::*;

    fn r(s: &str) -> JVal {
        scalar(&Scalar::plain(s)).unwrap()
    }

    #[test]
    fn v2_typing() {
        for s in ["y", "Yes", "on", "ON", "true"] {
            assert_eq!(r(s), JVal::Bool(true), "{s}");
        }
        for s in ["n", "NO", "off", "False"] {
            assert_eq!(r(s), JVal::Bool(false), "{s}");
        }
        for s in ["", "~", "null", "NULL"] {
            assert_eq!(r(s), JVal::Null, "{s}");
        }
        assert_eq!(r("0x10"), JVal::Num("16".into()));
        assert_eq!(r("0o17"), JVal::Num("15".into()));
        assert_eq!(r("017"), JVal::Num("15".into()));
        assert_eq!(r("08"), JVal::Num("8".into()));
        assert_eq!(r("1_000"), JVal::Num("1000".into()));
        assert_eq!(r("-0b101"), JVal::Num("-5".into()));
        assert_eq!(r("+12"), JVal::Num("12".into()));
        assert_eq!(r("1e3"), JVal::Num("1000".into()));
        assert_eq!(r("1.5"), JVal::Num("1.5".into()));
        assert_eq!(r(".5"), JVal::Num("0.5".into()));
        assert_eq!(r("1e21"), JVal::Num("1e+21".into()));
        assert_eq!(r("1e-7"), JVal::Num("1e-7".into()));
        assert_eq!(r("0.000001"), JVal::Num("0.000001".into()));
        assert_eq!(r("99999999999999999999"), JVal::Num("100000000000000000000".into()));
        assert_eq!(r("12345678901234567890"), JVal::Num("12345678901234567890".into()));
        assert_eq!(r(".inf"), JVal::Unsupported("+Inf"));
        assert_eq!(r("-.Inf"), JVal::Unsupported("-Inf"));
        assert_eq!(r(".nan"), JVal::Unsupported("NaN"));
        for s in ["0x", "1.2.3", "-", "+", ".", "1e", "2001-12-14", "v1", "1_0x", "0b", ".e5", "1e999"] {
            assert_eq!(r(s), JVal::Str(s.into()), "{s}");
        }
        let q = Scalar { value: "yes".into(), style: Style::DoubleQuoted, tag: None };
        assert_eq!(scalar(&q).unwrap(), JVal::Str("yes".into()));
    }

    #[test]
    fn keys() {
        let n = Node::plain("x");
        assert_eq!(map_key("yes", &n).unwrap(), "true");
        assert_eq!(map_key("0x10", &n).unwrap(), "16");
        assert_eq!(map_key("1.50", &n).unwrap(), "1.5");
        assert_eq!(map_key("1e6", &n).unwrap(), "1e+06");
        assert_eq!(map_key("0.00001", &n).unwrap(), "1e-05");
        assert_eq!(map_key("1.1", &n).unwrap(), "1.1");
        assert_eq!(map_key("123456.7", &n).unwrap(), "123456.7");
        assert_eq!(map_key(".inf", &n).unwrap(), ".inf");
        assert_eq!(
            map_key("~", &n).unwrap_err().message(),
            "invalid Kustomization: unsupported map key of type: %!s(<nil>), key: <nil>, value: \"x\""
        );
        assert_eq!(
            map_key("12345678901234567890", &n).unwrap_err().message(),
            "invalid Kustomization: unsupported map key of type: uint64, key: 0xab54a98ceb1f0ad2, value: \"x\""
        );
    }
}
