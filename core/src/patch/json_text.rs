//! A JSON reader for patches written in JSON (text starting with `[`), as Go's
//! `encoding/json` reads them into `json.RawMessage`s: values are kept with their JSON text,
//! which the `test` operation compares. Error messages follow Go's wording where it is cheap.

use std::collections::BTreeMap;

use super::json6902::J;

/// Parses a complete JSON document.
pub(super) fn parse(text: &str) -> Result<J, String> {
    JsonParser {
        text,
        b: text.as_bytes(),
        i: 0,
    }
    .parse_document()
}

struct JsonParser<'a> {
    text: &'a str,
    b: &'a [u8],
    i: usize,
}

impl JsonParser<'_> {
    fn parse_document(mut self) -> Result<J, String> {
        let v = self.value()?;
        self.ws();
        if self.i < self.b.len() {
            return Err(format!(
                "invalid character {} after top-level value",
                self.char_desc()
            ));
        }
        Ok(v)
    }

    fn ws(&mut self) {
        while self.i < self.b.len() && matches!(self.b[self.i], b' ' | b'\t' | b'\n' | b'\r') {
            self.i += 1;
        }
    }

    fn char_desc(&self) -> String {
        let c = self.text[self.i..].chars().next().unwrap_or('?');
        match c {
            '\'' => "'\\''".to_string(),
            '"' => "'\"'".to_string(),
            c => format!("'{}'", c),
        }
    }

    fn eof(&self) -> String {
        "unexpected end of JSON input".to_string()
    }

    fn value(&mut self) -> Result<J, String> {
        self.ws();
        let Some(&c) = self.b.get(self.i) else {
            return Err(self.eof());
        };
        match c {
            b'{' => {
                self.i += 1;
                let mut m = BTreeMap::new();
                self.ws();
                if self.b.get(self.i) == Some(&b'}') {
                    self.i += 1;
                    return Ok(J::Obj(m));
                }
                loop {
                    self.ws();
                    match self.b.get(self.i) {
                        Some(b'"') => {}
                        Some(_) => {
                            return Err(format!(
                                "invalid character {} looking for beginning of object key string",
                                self.char_desc()
                            ))
                        }
                        None => return Err(self.eof()),
                    }
                    let (k, _) = self.string()?;
                    self.ws();
                    match self.b.get(self.i) {
                        Some(b':') => self.i += 1,
                        Some(_) => {
                            return Err(format!(
                                "invalid character {} after object key",
                                self.char_desc()
                            ))
                        }
                        None => return Err(self.eof()),
                    }
                    let v = self.value()?;
                    m.insert(k, v);
                    self.ws();
                    match self.b.get(self.i) {
                        Some(b',') => self.i += 1,
                        Some(b'}') => {
                            self.i += 1;
                            return Ok(J::Obj(m));
                        }
                        Some(_) => {
                            return Err(format!(
                                "invalid character {} after object key:value pair",
                                self.char_desc()
                            ))
                        }
                        None => return Err(self.eof()),
                    }
                }
            }
            b'[' => {
                self.i += 1;
                let mut a = Vec::new();
                self.ws();
                if self.b.get(self.i) == Some(&b']') {
                    self.i += 1;
                    return Ok(J::Arr(a));
                }
                loop {
                    a.push(self.value()?);
                    self.ws();
                    match self.b.get(self.i) {
                        Some(b',') => self.i += 1,
                        Some(b']') => {
                            self.i += 1;
                            return Ok(J::Arr(a));
                        }
                        Some(_) => {
                            return Err(format!(
                                "invalid character {} after array element",
                                self.char_desc()
                            ))
                        }
                        None => return Err(self.eof()),
                    }
                }
            }
            b'"' => {
                let (s, raw) = self.string()?;
                Ok(J::Str(s, Some(raw)))
            }
            b't' => self.literal("true", J::Bool(true)),
            b'f' => self.literal("false", J::Bool(false)),
            b'n' => self.literal("null", J::Null),
            b'-' | b'0'..=b'9' => self.number(),
            _ => Err(format!(
                "invalid character {} looking for beginning of value",
                self.char_desc()
            )),
        }
    }

    fn literal(&mut self, word: &str, v: J) -> Result<J, String> {
        if self.b[self.i..].starts_with(word.as_bytes()) {
            self.i += word.len();
            Ok(v)
        } else {
            Err(format!(
                "invalid character in literal {} (expecting '{}')",
                word, word
            ))
        }
    }

    fn number(&mut self) -> Result<J, String> {
        let st = self.i;
        let digits = |p: &mut Self| {
            let s = p.i;
            while p.i < p.b.len() && p.b[p.i].is_ascii_digit() {
                p.i += 1;
            }
            p.i - s
        };
        if self.b[self.i] == b'-' {
            self.i += 1;
        }
        match self.b.get(self.i) {
            Some(b'0') => self.i += 1,
            Some(b'1'..=b'9') => {
                digits(self);
            }
            Some(_) => {
                return Err(format!(
                    "invalid character {} in numeric literal",
                    self.char_desc()
                ))
            }
            None => return Err(self.eof()),
        }
        if self.b.get(self.i) == Some(&b'.') {
            self.i += 1;
            if digits(self) == 0 {
                return Err("invalid character after decimal point in numeric literal".into());
            }
        }
        if matches!(self.b.get(self.i), Some(b'e' | b'E')) {
            self.i += 1;
            if matches!(self.b.get(self.i), Some(b'+' | b'-')) {
                self.i += 1;
            }
            if digits(self) == 0 {
                return Err("invalid character in exponent of numeric literal".into());
            }
        }
        Ok(J::Num(self.text[st..self.i].to_string()))
    }

    /// A string: its value and its JSON text.
    fn string(&mut self) -> Result<(String, String), String> {
        let st = self.i;
        self.i += 1;
        let mut out: Vec<u16> = Vec::new();
        let mut s = String::new();
        loop {
            let Some(&c) = self.b.get(self.i) else {
                return Err(self.eof());
            };
            match c {
                b'"' => {
                    self.i += 1;
                    break;
                }
                b'\\' => {
                    self.i += 1;
                    let Some(&e) = self.b.get(self.i) else {
                        return Err(self.eof());
                    };
                    self.i += 1;
                    let ch = match e {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => {
                            let hex = self.b.get(self.i..self.i + 4).ok_or_else(|| self.eof())?;
                            let code =
                                u16::from_str_radix(std::str::from_utf8(hex).unwrap_or("x"), 16)
                                    .map_err(|_| {
                                        "invalid character in \\u hexadecimal character escape"
                                            .to_string()
                                    })?;
                            self.i += 4;
                            out.push(code);
                            continue;
                        }
                        _ => return Err("invalid character in string escape code".into()),
                    };
                    s.push_str(&String::from_utf16_lossy(&std::mem::take(&mut out)));
                    s.push(ch);
                }
                c if c < 0x20 => return Err("invalid character in string literal".into()),
                _ => {
                    s.push_str(&String::from_utf16_lossy(&std::mem::take(&mut out)));
                    let ch = self.text[self.i..].chars().next().unwrap_or('\u{fffd}');
                    s.push(ch);
                    self.i += ch.len_utf8();
                }
            }
        }
        s.push_str(&String::from_utf16_lossy(&out));
        Ok((s, self.text[st..self.i].to_string()))
    }
}
