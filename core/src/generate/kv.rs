//! Key-value sources of a generator (kustomize's `api/kv` loader): env files, then literals,
//! then files, in that order whatever the order in the kustomization.
//!
//! kustomize v5.5.0 validates no key (its field validator's `ErrIfInvalidKey` and
//! `IsEnvVarName` accept anything), so `a bad key=1` and `export X=1` (key `export X`) are kept.

use crate::error::{Error, Result};
use crate::kustomization::GeneratorArgs;

/// One key and its raw value (file contents may be any bytes).
pub type Pair = (String, Vec<u8>);

/// Reads the env files, literals and files of `args`, in kustomize's order, with its error
/// messages (`loading KV pairs: ...`). For a Secret (`secret`), messages show no value:
/// literals are shown as `key=[redacted]`, and env file lines not at all (kustomize prints
/// both).
pub fn load_pairs(args: &GeneratorArgs, read_file: &dyn Fn(&str) -> Result<Vec<u8>>, secret: bool) -> Result<Vec<Pair>> {
    let wrap = |what: &str, list: &[String], e: Error| {
        let msg = format!("loading KV pairs: {} {}: {}", what, go_list(list), e.message());
        rewrap(e, msg)
    };
    // A literal as the messages show it (made only for a message).
    let shown = |l: &String| if secret { redacted_literal(l) } else { l.clone() };
    let mut all = Vec::new();
    for p in &args.envs {
        let content = read_file(p).map_err(|e| wrap("env source files:", &args.envs, e))?;
        all.extend(pairs_from_env_with(&content, secret).map_err(|e| wrap("env source files:", &args.envs, e))?);
    }
    all.reserve(args.literals.len() + args.files.len());
    for s in &args.literals {
        let (k, v) = parse_literal_source(s).map_err(|_| {
            let e = crate::error::err!(Kustomization, "invalid literal source {}, expected key=value", shown(s));
            wrap("literal sources", &args.literals.iter().map(shown).collect::<Vec<_>>(), e)
        })?;
        all.push((k, v.into_bytes()));
    }
    for s in &args.files {
        let (k, path) = parse_file_source(s).map_err(|e| wrap("file sources:", &args.files, e))?;
        let content = read_file(&path).map_err(|e| wrap("file sources:", &args.files, e))?;
        all.push((k, content));
    }
    Ok(all)
}

/// A new error with the kind, path and position of `e` and another message.
fn rewrap(e: Error, msg: String) -> Error {
    let mut n = Error::new(e.kind(), msg);
    if let Some(p) = e.path() {
        n = n.with_path(p);
    }
    if let (Some(l), c) = (e.line(), e.column()) {
        n = n.with_pos(l, c.unwrap_or(0));
    }
    n
}

/// A literal source as a Secret's error message shows it: `key=[redacted]`, or `[redacted]`
/// when it has no key.
fn redacted_literal(source: &str) -> String {
    match source.find('=') {
        Some(i) if i > 0 => format!("{}=[redacted]", &source[..i]),
        _ => "[redacted]".to_string(),
    }
}

/// `key=value`: split at the first `=`; the value loses one pair of surrounding quotes
/// (`"..."` or `'...'`, the same character at both ends).
pub fn parse_literal_source(source: &str) -> Result<(String, String)> {
    let bad = || crate::error::err!(Kustomization, "invalid literal source {}, expected key=value", source);
    match source.find('=') {
        None | Some(0) => Err(bad()),
        Some(i) => Ok((source[..i].to_string(), remove_quotes(&source[i + 1..]).to_string())),
    }
}

fn remove_quotes(s: &str) -> &str {
    let b = s.as_bytes();
    if b.len() < 2 || b[0] != b[b.len() - 1] || !(b[0] == b'"' || b[0] == b'\'') {
        return s;
    }
    &s[1..s.len() - 1]
}

/// `path` (key: the path's base name) or `key=path`.
pub fn parse_file_source(source: &str) -> Result<(String, String)> {
    let n = source.matches('=').count();
    if n == 0 {
        return Ok((go_path_base(source), source.to_string()));
    }
    if n == 1 && source.starts_with('=') {
        return Err(crate::error::err!(
            Kustomization,
            "missing key name for file path {} in source {}",
            go_quote(&source[1..]),
            go_quote(source)
        ));
    }
    if n == 1 && source.ends_with('=') {
        return Err(crate::error::err!(
            Kustomization,
            "missing file path for key name {} in source {}",
            go_quote(&source[..source.len() - 1]),
            go_quote(source)
        ));
    }
    if n > 1 {
        return Err(crate::error::err!(Kustomization, "source {} key name or file path contains '='", go_quote(source)));
    }
    let i = source.find('=').unwrap_or(0);
    Ok((source[..i].to_string(), source[i + 1..].to_string()))
}

/// Go's bufio.Scanner refuses lines longer than this (and kustomize then silently ignores the
/// rest of the file: it never checks the scanner's error).
const MAX_LINE: usize = 64 * 1024 - 1;

/// The pairs of an env file: `KEY=VALUE` lines (split at the first `=`; a line without `=` is
/// a key with an empty value), leading white space removed, nothing else trimmed or unquoted;
/// blank lines, `#` comments and lines with an empty key skipped; a UTF-8 BOM dropped from the
/// first line; `\r\n` line ends accepted.
pub fn pairs_from_env(content: &[u8]) -> Result<Vec<Pair>> {
    pairs_from_env_with(content, false)
}

/// [`pairs_from_env`]; for a Secret (`secret`), an invalid line is not shown in the message.
fn pairs_from_env_with(content: &[u8], secret: bool) -> Result<Vec<Pair>> {
    let mut out = Vec::new();
    let mut rest = content;
    let mut line_no = 0usize;
    while !rest.is_empty() {
        let (mut line, next) = match rest.iter().position(|&b| b == b'\n') {
            Some(i) => (&rest[..i], &rest[i + 1..]),
            None => (rest, &rest[rest.len()..]),
        };
        if line.len() > MAX_LINE {
            break;
        }
        rest = next;
        if line.last() == Some(&b'\r') {
            line = &line[..line.len() - 1];
        }
        let text = std::str::from_utf8(line).map_err(|_| {
            if secret {
                return crate::error::err!(Kustomization, "line {} has invalid utf8 bytes (not shown: secret data)", line_no + 1);
            }
            let bytes: Vec<String> = line.iter().map(|b| b.to_string()).collect();
            crate::error::err!(
                Kustomization,
                "line [{}] has invalid utf8 bytes : {}",
                bytes.join(" "),
                String::from_utf8_lossy(line)
            )
        })?;
        let mut text = text;
        if line_no == 0 {
            text = text.strip_prefix('\u{feff}').unwrap_or(text);
        }
        line_no += 1;
        let text = text.trim_start_matches(char::is_whitespace);
        if text.is_empty() || text.starts_with('#') {
            continue;
        }
        let (k, v) = match text.find('=') {
            Some(i) => (&text[..i], &text[i + 1..]),
            None => (text, ""),
        };
        if k.is_empty() {
            continue;
        }
        out.push((k.to_string(), v.as_bytes().to_vec()));
    }
    Ok(out)
}

/// kyaml's `encodeBase64`: standard base64, cut into lines of 70 characters, each followed by a
/// newline, when the encoding is 70 characters or longer.
pub fn encode_base64_wrapped(data: &[u8]) -> String {
    const LINE: usize = 70;
    let enc = base64(data);
    if enc.len() < LINE {
        return enc;
    }
    let mut out = String::with_capacity(enc.len() + enc.len() / LINE + 1);
    for chunk in enc.as_bytes().chunks(LINE) {
        out.push_str(std::str::from_utf8(chunk).unwrap_or(""));
        out.push('\n');
    }
    out
}

/// Standard base64 with padding.
pub fn base64(data: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Standard base64 (padding optional) decoded; `None` if `s` is not base64.
pub fn decode_base64(s: &str) -> Option<Vec<u8>> {
    let val = |c: u8| -> Option<u32> {
        Some(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        } as u32)
    };
    let body = s.trim_end_matches('=');
    if s.len() - body.len() > 2 || body.len() % 4 == 1 {
        return None;
    }
    let mut out = Vec::with_capacity(body.len() * 3 / 4);
    for chunk in body.as_bytes().chunks(4) {
        let mut n = 0u32;
        for (i, &c) in chunk.iter().enumerate() {
            n |= val(c)? << (18 - 6 * i);
        }
        let bytes = n.to_be_bytes();
        out.extend_from_slice(&bytes[1..chunk.len()]);
    }
    Some(out)
}

/// Go's `path.Base`.
pub fn go_path_base(p: &str) -> String {
    if p.is_empty() {
        return ".".into();
    }
    let t = p.trim_end_matches('/');
    if t.is_empty() {
        return "/".into();
    }
    match t.rfind('/') {
        Some(i) => t[i + 1..].to_string(),
        None => t.to_string(),
    }
}

/// Go's `%v` of a `[]string`.
pub fn go_list(items: &[String]) -> String {
    format!("[{}]", items.join(" "))
}

/// Go's `strconv.Quote` (`%q`), for the characters that matter in paths and keys.
pub fn go_quote(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\x07' => out.push_str("\\a"),
            '\x08' => out.push_str("\\b"),
            '\x0c' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\x0b' => out.push_str("\\v"),
            c if (c as u32) < 0x20 || c == '\x7f' => out.push_str(&format!("\\x{:02x}", c as u32)),
            c if c.is_control() || c == '\u{feff}' || c == '\u{2028}' || c == '\u{2029}' => {
                out.push_str(&format!("\\u{:04x}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals() {
        let p = |s: &str| parse_literal_source(s).map_err(|e| e.message().to_string());
        assert_eq!(p("a=1"), Ok(("a".into(), "1".into())));
        assert_eq!(p("b=\"two words\""), Ok(("b".into(), "two words".into())));
        assert_eq!(p("c='x=y'"), Ok(("c".into(), "x=y".into())));
        assert_eq!(p("d="), Ok(("d".into(), "".into())));
        assert_eq!(p("e=\"unbalanced"), Ok(("e".into(), "\"unbalanced".into())));
        assert_eq!(p("f=\"\""), Ok(("f".into(), "".into())));
        assert_eq!(p("g=\""), Ok(("g".into(), "\"".into())));
        assert_eq!(p("a bad key=1"), Ok(("a bad key".into(), "1".into())));
        assert_eq!(p("b"), Err("invalid literal source b, expected key=value".into()));
        assert_eq!(p("=1"), Err("invalid literal source =1, expected key=value".into()));
    }

    #[test]
    fn file_sources() {
        let p = |s: &str| parse_file_source(s).map_err(|e| e.message().to_string());
        assert_eq!(p("dir/a.txt"), Ok(("a.txt".into(), "dir/a.txt".into())));
        assert_eq!(p("key=b.txt"), Ok(("key".into(), "b.txt".into())));
        assert_eq!(p("=a"), Err("missing key name for file path \"a\" in source \"=a\"".into()));
        assert_eq!(p("a="), Err("missing file path for key name \"a\" in source \"a=\"".into()));
        assert_eq!(p("a=b=c"), Err("source \"a=b=c\" key name or file path contains '='".into()));
    }

    #[test]
    fn env_lines() {
        let got = pairs_from_env(b"\xef\xbb\xbfA=1\r\n=noval\n  # indented comment\n\tB = 2 \nC=\"q\"\n\xef\xbb\xbfD=bom\nNOEQ\nexport X=1\n")
            .unwrap();
        let got: Vec<(String, String)> = got.into_iter().map(|(k, v)| (k, String::from_utf8(v).unwrap())).collect();
        let want = [("A", "1"), ("B ", " 2 "), ("C", "\"q\""), ("\u{feff}D", "bom"), ("NOEQ", ""), ("export X", "1")];
        assert_eq!(got, want.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect::<Vec<_>>());
        let e = pairs_from_env(b"A=1\nB=\xff\n").unwrap_err();
        assert_eq!(e.message(), "line [66 61 255] has invalid utf8 bytes : B=\u{fffd}");
        // A line of 65536 bytes or more ends the file silently.
        let mut big = b"X=1\nY=".to_vec();
        big.extend(std::iter::repeat_n(b'y', 65533));
        big.extend(b"\nZ=3\nY2=");
        big.extend(std::iter::repeat_n(b'y', 65534));
        big.extend(b"\nZ2=3\n");
        let keys: Vec<String> = pairs_from_env(&big).unwrap().into_iter().map(|(k, _)| k).collect();
        assert_eq!(keys, ["X", "Y", "Z"]);
    }

    #[test]
    fn base64_wrapping() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"\xff\xfe\x00binary"), "//4AYmluYXJ5");
        assert_eq!(base64(b"a"), "YQ==");
        assert_eq!(base64(b"ab"), "YWI=");
        let s51 = encode_base64_wrapped(b"123456789012345678901234567890123456789012345678901");
        assert_eq!(s51, "MTIzNDU2Nzg5MDEyMzQ1Njc4OTAxMjM0NTY3ODkwMTIzNDU2Nzg5MDEyMzQ1Njc4OTAx");
        let s52 = encode_base64_wrapped(b"1234567890123456789012345678901234567890123456789012");
        assert_eq!(s52, "MTIzNDU2Nzg5MDEyMzQ1Njc4OTAxMjM0NTY3ODkwMTIzNDU2Nzg5MDEyMzQ1Njc4OTAxMg\n==\n");
        for data in [&b""[..], b"a", b"ab", b"abc", b"\xff\xfe\x00binary", b"S3CR3T-VALUE-xyz"] {
            assert_eq!(decode_base64(&base64(data)).as_deref(), Some(data));
        }
        assert_eq!(decode_base64("YQ"), Some(b"a".to_vec()));
        assert_eq!(decode_base64("not base64!"), None);
        assert_eq!(decode_base64("Y"), None);
        assert_eq!(go_path_base("a/b/"), "b");
        assert_eq!(go_path_base(""), ".");
        assert_eq!(go_path_base("//"), "/");
    }
}
