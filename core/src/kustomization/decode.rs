//! Go's `encoding/json` decoder with `DisallowUnknownFields`, as kustomize runs it on a
//! kustomization: field names match exactly or case-insensitively; a value of the wrong JSON
//! type or an unknown field is remembered (the first one only, in key order) and decoding goes
//! on; `null` leaves strings, numbers and bools alone and empties slices, maps and pointers;
//! decoding into a value that already holds something (a key written twice with different
//! case) merges into it.

use std::collections::BTreeMap;

use super::json::{go_quote, obj_to_mapping, JVal};
use crate::error::{Error, ErrorKind};
use crate::yaml::{Mapping, Pos};

/// Decoder state: the first error, and the context Go reports in type errors.
#[derive(Default)]
pub(crate) struct Dec {
    pub(crate) error: Option<Error>,
    /// JSON names of the fields being decoded, outermost first, with their key positions.
    stack: Vec<(&'static str, Pos)>,
    /// The Go struct whose field is being decoded.
    strukt: Option<&'static str>,
    /// Ignore unknown fields (`yaml.Unmarshal` rather than `UnmarshalStrict`).
    pub(crate) lenient: bool,
}

impl Dec {
    fn save(&mut self, message: String, pos: Option<Pos>) {
        if self.error.is_some() {
            return;
        }
        let mut e = Error::new(ErrorKind::Kustomization, format!("invalid Kustomization: {}", message));
        if let Some(p) = pos {
            e = e.with_pos(p.line, p.col);
        }
        self.error = Some(e);
    }

    /// A value of the wrong JSON type; `value` as Go names it ("string", "number 1.5", ...).
    fn type_error(&mut self, value: &str, ty: &str) {
        let msg = match self.strukt {
            Some(s) => {
                let path: Vec<&str> = self.stack.iter().map(|(n, _)| *n).collect();
                format!("json: cannot unmarshal {} into Go struct field {}.{} of type {}", value, s, path.join("."), ty)
            }
            None => format!("json: cannot unmarshal {} into Go value of type {}", value, ty),
        };
        let pos = self.stack.last().map(|(_, p)| *p);
        self.save(msg, pos);
    }

    fn wrong(&mut self, v: &JVal, ty: &str) {
        self.type_error(v.kind_name(), ty);
    }
}

/// A Go struct: its name, its JSON field names (embedded structs flattened), and a setter.
pub(crate) trait GoStruct: Default {
    /// The Go type name without package (`Image`), as `UnmarshalTypeError` prints it.
    const NAME: &'static str;
    const FIELDS: &'static [&'static str];
    /// Decodes `v` into field `FIELDS[i]`.
    fn field(&mut self, d: &mut Dec, i: usize, v: &JVal);
}

/// Go's `foldName`: the key as compared case-insensitively (ASCII upper case; the two
/// non-ASCII letters that fold to ASCII ones, U+017F and U+212A, fold to S and K).
fn fold(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\u{17f}' => 'S',
            '\u{212a}' => 'K',
            c => c.to_ascii_uppercase(),
        })
        .collect()
}

fn find_field(fields: &[&str], key: &str) -> Option<usize> {
    if let Some(i) = fields.iter().position(|f| *f == key) {
        return Some(i);
    }
    let k = fold(key);
    fields.iter().position(|f| fold(f) == k)
}

/// Decodes into a struct value (Go: a non-pointer struct field; `null` leaves it alone).
pub(crate) fn dec_struct<T: GoStruct>(d: &mut Dec, out: &mut T, v: &JVal) {
    match v {
        JVal::Null => {}
        JVal::Obj(entries) => {
            for (key, pos, val) in entries {
                match find_field(T::FIELDS, key) {
                    Some(i) => {
                        let saved = d.strukt;
                        d.stack.push((T::FIELDS[i], *pos));
                        d.strukt = Some(T::NAME);
                        out.field(d, i, val);
                        d.stack.pop();
                        d.strukt = saved;
                    }
                    None if d.lenient => {}
                    None => d.save(format!("json: unknown field {}", go_quote(key)), Some(*pos)),
                }
            }
        }
        other => d.wrong(other, &format!("types.{}", T::NAME)),
    }
}

/// Decodes into a pointer to a struct: `null` makes it nil.
pub(crate) fn dec_ptr<T: GoStruct>(d: &mut Dec, out: &mut Option<T>, v: &JVal) {
    match v {
        JVal::Null => *out = None,
        _ => dec_struct(d, out.get_or_insert_with(T::default), v),
    }
}

/// Decodes a slice element that is a pointer to a struct (`null` is a nil pointer, here an
/// empty struct).
pub(crate) fn dec_ptr_elem<T: GoStruct>(d: &mut Dec, out: &mut T, v: &JVal) {
    match v {
        JVal::Null => *out = T::default(),
        _ => dec_struct(d, out, v),
    }
}

/// Decodes a string (or a named string type, `ty` as Go prints it).
pub(crate) fn dec_string_as(d: &mut Dec, out: &mut String, v: &JVal, ty: &str) {
    match v {
        JVal::Null => {}
        JVal::Str(s) => *out = s.clone(),
        other => d.wrong(other, ty),
    }
}

pub(crate) fn dec_string(d: &mut Dec, out: &mut String, v: &JVal) {
    dec_string_as(d, out, v, "string")
}

pub(crate) fn dec_bool(d: &mut Dec, out: &mut bool, v: &JVal) {
    match v {
        JVal::Null => {}
        JVal::Bool(b) => *out = *b,
        other => d.wrong(other, "bool"),
    }
}

/// Decodes a Go integer (`int` or `int64`: both 64 bits): the number's JSON text must be a
/// decimal integer in range.
pub(crate) fn dec_int(d: &mut Dec, out: &mut i64, v: &JVal, ty: &str) {
    match v {
        JVal::Null => {}
        JVal::Num(n) => match n.parse::<i64>() {
            Ok(i) => *out = i,
            _ => d.type_error(&format!("number {}", n), ty),
        },
        other => d.wrong(other, ty),
    }
}

/// Decodes a slice (`null` makes it nil, here empty).
pub(crate) fn dec_vec<T: Default>(
    d: &mut Dec,
    out: &mut Vec<T>,
    v: &JVal,
    ty: &str,
    elem: impl Fn(&mut Dec, &mut T, &JVal),
) {
    match v {
        JVal::Null => out.clear(),
        JVal::Arr(items) => {
            // Go decodes into the slice's existing elements, then truncates.
            for (i, item) in items.iter().enumerate() {
                if i >= out.len() {
                    out.push(T::default());
                }
                elem(d, &mut out[i], item);
            }
            out.truncate(items.len());
        }
        other => d.wrong(other, ty),
    }
}

pub(crate) fn dec_strings(d: &mut Dec, out: &mut Vec<String>, v: &JVal) {
    dec_vec(d, out, v, "[]string", dec_string)
}

/// Decodes a `map[string]string` (entries merge into what is there; `null` values are "").
pub(crate) fn dec_str_map(d: &mut Dec, out: &mut BTreeMap<String, String>, v: &JVal) {
    match v {
        JVal::Null => out.clear(),
        JVal::Obj(entries) => {
            for (k, _, val) in entries {
                let mut s = String::new();
                dec_string(d, &mut s, val);
                out.insert(k.clone(), s);
            }
        }
        other => d.wrong(other, "map[string]string"),
    }
}

/// Decodes a `map[string]bool`.
pub(crate) fn dec_bool_map(d: &mut Dec, out: &mut BTreeMap<String, bool>, v: &JVal) {
    match v {
        JVal::Null => out.clear(),
        JVal::Obj(entries) => {
            for (k, _, val) in entries {
                let mut b = false;
                dec_bool(d, &mut b, val);
                out.insert(k.clone(), b);
            }
        }
        other => d.wrong(other, "map[string]bool"),
    }
}

/// Decodes a `map[string]interface{}`: any values, kept as nodes.
pub(crate) fn dec_any_map(d: &mut Dec, out: &mut Option<Mapping>, v: &JVal) {
    match v {
        JVal::Null => *out = None,
        JVal::Obj(entries) => {
            let add = obj_to_mapping(entries);
            match out {
                None => *out = Some(add),
                Some(m) => {
                    for e in add.entries {
                        m.insert(e.key, e.value);
                    }
                    m.entries.sort_by(|a, b| a.key.cmp(&b.key));
                }
            }
        }
        other => d.wrong(other, "map[string]interface {}"),
    }
}

/// Non-nil-ness of a Go slice, map or pointer after decoding `v` into it: `null` makes it nil,
/// an array or object makes it non-nil, anything else (a type error) leaves it as it was.
pub(crate) fn nonnil_after(v: &JVal, before: bool) -> bool {
    match v {
        JVal::Null => false,
        JVal::Arr(_) | JVal::Obj(_) => true,
        _ => before,
    }
}
