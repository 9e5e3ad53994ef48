//! Go's `encoding/json` decoder with `DisallowUnknownFields`, as kustomize runs it on a
//! kustomization: field names match exactly or case-insensitively; a value of the wrong JSON
//! type or an unknown field is remembered (the first one only, in key order) and decoding goes
//! on; `null` leaves strings, numbers and bools alone and empties slices, maps and pointers;
//! decoding into a value that already holds something (a key written twice with different
//! case) merges into it.
//!
//! The decoder reads any [`Val`]: the [`JVal`] that `yaml.YAMLToJSON` makes of the document
//! (the general path), or the YAML [`Node`] itself (the fast path, see [`Val::FAST`]), which
//! gives up on anything whose outcome could depend on the JSON detour.

use std::collections::BTreeMap;

use super::json::{go_quote, obj_to_mapping, resolve_v2, JVal, V2};
use crate::error::{Error, ErrorKind};
use crate::yaml::{Entry, Mapping, Node, Pos, Style};

/// A value as the decoder sees it.
pub(crate) enum View<'a, V: Val> {
    Null,
    Bool(bool),
    /// A number, as its JSON text.
    Num(&'a str),
    /// A number that is an integer typed by go-yaml v2 (the fast path).
    Int(i64),
    /// A string (its text: [`Val::take_str`]).
    Str,
    /// An array (its elements: [`Val::items_mut`]).
    Arr,
    Obj(&'a [V::Entry]),
    /// A float JSON cannot represent (a "number" to the decoder).
    Unsupported,
    /// Something only the general path decodes (the fast path gives up).
    Unusual,
}

/// What the decoder reads: a JSON value, or a YAML node read as `yaml.YAMLToJSON` would.
pub(crate) trait Val: Sized {
    type Entry;
    /// The fast path: each field must be set by one key only (so the order of the keys
    /// cannot matter), and any error or [`View::Unusual`] value abandons the
    /// decoding (the caller then takes the general path, which finds the right error).
    const FAST: bool;
    fn view(&self) -> View<'_, Self>;
    /// An object entry: its key (`None`: one the fast path does not take as it is), the
    /// position of the key, the value.
    fn entry(e: &Self::Entry) -> (Option<&str>, Pos, &Self);
    /// An object entry's key as written, and its value (for keys matched against field
    /// names: those are all strings to go-yaml v2, so a key equal to one is kept as it is).
    fn entry_raw(e: &Self::Entry) -> (&str, &Self);
    /// [`Val::entry`] with the value to decode from (and take strings out of).
    fn entry_mut(e: &mut Self::Entry) -> (Option<&str>, Pos, &mut Self);
    /// [`Val::entry_raw`] with the value to decode from.
    fn entry_raw_mut(e: &mut Self::Entry) -> (&str, &mut Self);
    /// The elements of an array ([`View::Arr`]; nothing for other values).
    fn items_mut(&mut self) -> &mut [Self];
    /// The entries of an object ([`View::Obj`]; nothing for other values).
    fn entries_mut(&mut self) -> &mut [Self::Entry];
    /// The text of a string ([`View::Str`]), moved out: a value is decoded once, so its
    /// strings are moved into the result rather than copied (what is left is not read).
    fn take_str(&mut self) -> String;
    /// An object as the `map[string]interface{}` of a Helm chart (`None`: not on the fast path).
    fn any_mapping(entries: &[Self::Entry]) -> Option<Mapping>;
}

impl Val for JVal {
    type Entry = (String, Pos, JVal);
    const FAST: bool = false;
    fn view(&self) -> View<'_, JVal> {
        match self {
            JVal::Null => View::Null,
            JVal::Bool(b) => View::Bool(*b),
            JVal::Num(n) => View::Num(n),
            JVal::Str(_) => View::Str,
            JVal::Arr(_) => View::Arr,
            JVal::Obj(entries) => View::Obj(entries),
            JVal::Unsupported(_) => View::Unsupported,
        }
    }
    fn entry(e: &Self::Entry) -> (Option<&str>, Pos, &JVal) {
        (Some(&e.0), e.1, &e.2)
    }
    fn entry_raw(e: &Self::Entry) -> (&str, &JVal) {
        (&e.0, &e.2)
    }
    fn entry_mut(e: &mut Self::Entry) -> (Option<&str>, Pos, &mut JVal) {
        (Some(&e.0), e.1, &mut e.2)
    }
    fn entry_raw_mut(e: &mut Self::Entry) -> (&str, &mut JVal) {
        (&e.0, &mut e.2)
    }
    fn items_mut(&mut self) -> &mut [JVal] {
        match self {
            JVal::Arr(items) => items,
            _ => &mut [],
        }
    }
    fn entries_mut(&mut self) -> &mut [Self::Entry] {
        match self {
            JVal::Obj(entries) => entries,
            _ => &mut [],
        }
    }
    fn take_str(&mut self) -> String {
        match self {
            JVal::Str(s) => std::mem::take(s),
            _ => String::new(),
        }
    }
    fn any_mapping(entries: &[Self::Entry]) -> Option<Mapping> {
        Some(obj_to_mapping(entries))
    }
}

/// A YAML node read directly: what `yaml.YAMLToJSON` makes of it when that is plain to see
/// (an untagged scalar typed by go-yaml v2 as null, bool, int or string; a key typed as a
/// string, which it keeps as it is), [`View::Unusual`] otherwise (tags, floats, uint64s,
/// keys JSON would rename).
impl Val for Node {
    type Entry = Entry;
    const FAST: bool = true;
    fn view(&self) -> View<'_, Node> {
        match self {
            Node::Scalar(s) => {
                if s.tag.is_some() {
                    return View::Unusual;
                }
                if s.style != Style::Plain {
                    return View::Str;
                }
                match resolve_v2(&s.value) {
                    V2::Null => View::Null,
                    V2::Bool(b) => View::Bool(b),
                    V2::Int(i) => View::Int(i),
                    V2::Str | V2::Merge => View::Str,
                    V2::Uint(_) | V2::Float(_) => View::Unusual,
                }
            }
            Node::Seq(_) => View::Arr,
            Node::Map(m) => View::Obj(&m.entries),
        }
    }
    fn entry(e: &Entry) -> (Option<&str>, Pos, &Node) {
        (string_key(&e.key), e.pos, &e.value)
    }
    fn entry_raw(e: &Entry) -> (&str, &Node) {
        (&e.key, &e.value)
    }
    fn entry_mut(e: &mut Entry) -> (Option<&str>, Pos, &mut Node) {
        (string_key(&e.key), e.pos, &mut e.value)
    }
    fn entry_raw_mut(e: &mut Entry) -> (&str, &mut Node) {
        (&e.key, &mut e.value)
    }
    fn items_mut(&mut self) -> &mut [Node] {
        match self {
            Node::Seq(items) => items,
            _ => &mut [],
        }
    }
    fn entries_mut(&mut self) -> &mut [Entry] {
        match self {
            Node::Map(m) => &mut m.entries,
            _ => &mut [],
        }
    }
    fn take_str(&mut self) -> String {
        match self {
            Node::Scalar(s) => std::mem::take(&mut s.value),
            _ => String::new(),
        }
    }
    fn any_mapping(_: &[Entry]) -> Option<Mapping> {
        None
    }
}

/// A mapping key as JSON keeps it: one go-yaml v2 types as a string (`None` for any other,
/// which the fast path does not take).
fn string_key(key: &str) -> Option<&str> {
    match resolve_v2(key) {
        V2::Str | V2::Merge => Some(key),
        _ => None,
    }
}

impl<V: Val> View<'_, V> {
    /// The JSON kind, as Go's `UnmarshalTypeError` names it.
    fn kind_name(&self) -> &'static str {
        match self {
            View::Null => "null",
            View::Bool(_) => "bool",
            View::Num(_) | View::Int(_) | View::Unsupported => "number",
            View::Str => "string",
            View::Arr => "array",
            View::Obj(_) => "object",
            View::Unusual => "unusual value",
        }
    }
}

/// Decoder state: the first error, and the context Go reports in type errors.
#[derive(Default)]
pub(crate) struct Dec {
    pub(crate) error: Option<Error>,
    /// The fast path met something it leaves to the general path.
    pub(crate) unusual: bool,
    /// JSON names of the fields being decoded, outermost first, with their key positions.
    stack: Vec<(&'static str, Pos)>,
    /// The Go struct whose field is being decoded.
    strukt: Option<&'static str>,
    /// Ignore unknown fields (`yaml.Unmarshal` rather than `UnmarshalStrict`).
    pub(crate) lenient: bool,
}

impl Dec {
    /// Whether decoding went through: no error, and nothing left to the general path.
    pub(crate) fn clean(&self) -> bool {
        self.error.is_none() && !self.unusual
    }

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

    fn wrong<V: Val>(&mut self, v: &View<'_, V>, ty: &str) {
        if V::FAST {
            // The message is the general path's business.
            self.unusual = true;
            return;
        }
        self.type_error(v.kind_name(), ty);
    }
}

/// A Go struct: its name, its JSON field names (embedded structs flattened), and a setter.
pub(crate) trait GoStruct: Default {
    /// The Go type name without package (`Image`), as `UnmarshalTypeError` prints it.
    const NAME: &'static str;
    const FIELDS: &'static [&'static str];
    /// Decodes `v` into field `FIELDS[i]`.
    fn field<V: Val>(&mut self, d: &mut Dec, i: usize, v: &mut V);
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
pub(crate) fn dec_struct<T: GoStruct, V: Val>(d: &mut Dec, out: &mut T, v: &mut V) {
    match v.view() {
        View::Null => {}
        View::Obj(_) if V::FAST => {
            // Each field must be set by one key only: then the order of the keys, which the
            // general path sorts, cannot change the result. (Field names are strings to
            // go-yaml v2, so JSON keeps a key equal to one as it is; other keys are checked.)
            let mut seen = 0u64;
            for e in v.entries_mut() {
                let found = match T::FIELDS.iter().position(|f| *f == V::entry_raw(e).0) {
                    Some(i) => Some(i),
                    None => V::entry(e).0.and_then(|k| find_field(T::FIELDS, k)),
                };
                let val = V::entry_raw_mut(e).1;
                let i = match found {
                    Some(i) if i < 64 && seen & (1 << i) == 0 => i,
                    _ => {
                        d.unusual = true;
                        return;
                    }
                };
                seen |= 1 << i;
                out.field(d, i, val);
                if d.unusual {
                    return;
                }
            }
        }
        View::Obj(_) => {
            for e in v.entries_mut() {
                let (key, pos, val) = V::entry_mut(e);
                let key = key.unwrap_or_default();
                match find_field(T::FIELDS, key) {
                    Some(i) => {
                        let saved = d.strukt;
                        d.stack.push((T::FIELDS[i], pos));
                        d.strukt = Some(T::NAME);
                        out.field(d, i, val);
                        d.stack.pop();
                        d.strukt = saved;
                    }
                    None if d.lenient => {}
                    None => d.save(format!("json: unknown field {}", go_quote(key)), Some(pos)),
                }
            }
        }
        other => d.wrong(&other, &format!("types.{}", T::NAME)),
    }
}

/// Decodes into a pointer to a struct: `null` makes it nil.
pub(crate) fn dec_ptr<T: GoStruct, V: Val>(d: &mut Dec, out: &mut Option<T>, v: &mut V) {
    match v.view() {
        View::Null => *out = None,
        _ => dec_struct(d, out.get_or_insert_with(T::default), v),
    }
}

/// Decodes a slice element that is a pointer to a struct (`null` is a nil pointer, here an
/// empty struct).
pub(crate) fn dec_ptr_elem<T: GoStruct, V: Val>(d: &mut Dec, out: &mut T, v: &mut V) {
    match v.view() {
        View::Null => *out = T::default(),
        _ => dec_struct(d, out, v),
    }
}

/// Decodes a string (or a named string type, `ty` as Go prints it).
pub(crate) fn dec_string_as<V: Val>(d: &mut Dec, out: &mut String, v: &mut V, ty: &str) {
    match v.view() {
        View::Null => {}
        View::Str => *out = v.take_str(),
        other => d.wrong(&other, ty),
    }
}

pub(crate) fn dec_string<V: Val>(d: &mut Dec, out: &mut String, v: &mut V) {
    dec_string_as(d, out, v, "string")
}

pub(crate) fn dec_bool<V: Val>(d: &mut Dec, out: &mut bool, v: &mut V) {
    match v.view() {
        View::Null => {}
        View::Bool(b) => *out = b,
        other => d.wrong(&other, "bool"),
    }
}

/// Decodes a Go integer (`int` or `int64`: both 64 bits): the number's JSON text must be a
/// decimal integer in range.
pub(crate) fn dec_int<V: Val>(d: &mut Dec, out: &mut i64, v: &mut V, ty: &str) {
    match v.view() {
        View::Null => {}
        View::Int(i) => *out = i,
        View::Num(n) => match n.parse::<i64>() {
            Ok(i) => *out = i,
            _ => d.type_error(&format!("number {}", n), ty),
        },
        other => d.wrong(&other, ty),
    }
}

/// Decodes a slice (`null` makes it nil, here empty).
pub(crate) fn dec_vec<T: Default, V: Val>(
    d: &mut Dec,
    out: &mut Vec<T>,
    v: &mut V,
    ty: &str,
    elem: impl Fn(&mut Dec, &mut T, &mut V),
) {
    match v.view() {
        View::Null => out.clear(),
        View::Arr => {
            let items = v.items_mut();
            // Go decodes into the slice's existing elements, then truncates.
            out.reserve(items.len().saturating_sub(out.len()));
            for (i, item) in items.iter_mut().enumerate() {
                if i >= out.len() {
                    out.push(T::default());
                }
                elem(d, &mut out[i], item);
                if V::FAST && d.unusual {
                    return;
                }
            }
            out.truncate(items.len());
        }
        other => d.wrong(&other, ty),
    }
}

pub(crate) fn dec_strings<V: Val>(d: &mut Dec, out: &mut Vec<String>, v: &mut V) {
    dec_vec(d, out, v, "[]string", dec_string)
}

/// Decodes a `map[string]X` (entries merge into what is there; `null` makes it nil, here
/// empty), each value by `elem`.
fn dec_map<X: Default, V: Val>(
    d: &mut Dec,
    out: &mut BTreeMap<String, X>,
    v: &mut V,
    ty: &str,
    elem: impl Fn(&mut Dec, &mut X, &mut V),
) {
    match v.view() {
        View::Null => out.clear(),
        View::Obj(_) => {
            for e in v.entries_mut() {
                let (key, _, val) = V::entry_mut(e);
                let mut x = X::default();
                elem(d, &mut x, val);
                match key {
                    Some(k) => {
                        // On the fast path a key met twice would make the order matter.
                        if out.insert(k.to_string(), x).is_some() && V::FAST {
                            d.unusual = true;
                        }
                    }
                    None => d.unusual = true,
                }
                if V::FAST && d.unusual {
                    return;
                }
            }
        }
        other => d.wrong(&other, ty),
    }
}

/// Decodes a `map[string]string` (entries merge into what is there; `null` values are "").
pub(crate) fn dec_str_map<V: Val>(d: &mut Dec, out: &mut BTreeMap<String, String>, v: &mut V) {
    dec_map(d, out, v, "map[string]string", dec_string)
}

/// Decodes a `map[string]bool`.
pub(crate) fn dec_bool_map<V: Val>(d: &mut Dec, out: &mut BTreeMap<String, bool>, v: &mut V) {
    dec_map(d, out, v, "map[string]bool", dec_bool)
}

/// Decodes a `map[string]interface{}`: any values, kept as nodes.
pub(crate) fn dec_any_map<V: Val>(d: &mut Dec, out: &mut Option<Mapping>, v: &mut V) {
    match v.view() {
        View::Null => *out = None,
        View::Obj(entries) => {
            let Some(add) = V::any_mapping(entries) else {
                d.unusual = true;
                return;
            };
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
        other => d.wrong(&other, "map[string]interface {}"),
    }
}

/// Non-nil-ness of a Go slice, map or pointer after decoding `v` into it: `null` makes it nil,
/// an array or object makes it non-nil, anything else (a type error) leaves it as it was.
pub(crate) fn nonnil_after<V: Val>(v: &V, before: bool) -> bool {
    match v.view() {
        View::Null => false,
        View::Arr | View::Obj(_) => true,
        _ => before,
    }
}
