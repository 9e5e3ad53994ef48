//! Reading a builtin plugin's config the way the plugin reads it.
//!
//! kustomize hands a plugin its config as YAML re-made from the resource: values typed with
//! go-yaml v3's rules (`0x1F` and `017` are numbers, `yes` is a string, a date is a timestamp),
//! through JSON (integral floats become integers, timestamps RFC 3339 text) and back.
//!
//! Most builtins decode it with `sigs.k8s.io/yaml.Unmarshal` ([`Mode::Json`]): a number or
//! boolean bound for a string field becomes its text (`12`, `true`; a float is written as
//! Go's `FormatFloat(f, 'g', -1, 32)`: `3.1415927`), then Go's `encoding/json` decodes leniently:
//! unknown fields are ignored, field names also match case-insensitively, a value of the wrong
//! type is an error, `null` leaves a field alone.
//!
//! The PrefixTransformer and SuffixTransformer use go-yaml v3 ([`Mode::V3`]): field names match
//! exactly, a string field takes any scalar's text (a float as its float64 text).

use crate::error::{err, Error, Result};
use crate::yaml::{Mapping, Node, Scalar};
use std::collections::BTreeMap;

/// Which decoder the plugin uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Mode {
    /// `sigs.k8s.io/yaml.Unmarshal` (go-yaml v2 typing, then `encoding/json`).
    Json,
    /// go-yaml v3's `yaml.Unmarshal` (kyaml's).
    V3,
}

/// A scalar as the plugin sees it. kustomize hands a plugin its config as `AsYAML()`: the
/// resource is decoded into Go values with go-yaml v3's typing, marshalled to JSON (a float
/// with an integral value below 1e21 is written as an integer, a timestamp as its RFC 3339
/// text) and back to YAML with go-yaml v2, which quotes strings that would read as something
/// else. That text is what the plugin decodes.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum J {
    Null,
    Bool(bool),
    Int(i128),
    Float(f64),
    Str(String),
}

pub(crate) fn typed(s: &Scalar) -> J {
    use crate::yaml::resolve::{resolve, Value};
    match resolve(s) {
        Value::Null => J::Null,
        Value::Bool(b) => J::Bool(b),
        Value::Int(i) => J::Int(i as i128),
        Value::Uint(u) => J::Int(u as i128),
        Value::Float(f) if f.is_finite() && f.fract() == 0.0 && f.abs() < 1e21 => J::Int(f as i128),
        Value::Float(f) => J::Float(f),
        Value::Time(t) => J::Str(t),
        Value::Str(v) => J::Str(v.to_string()),
    }
}

/// Go's `strconv.FormatFloat(f, 'g', -1, 32)`.
pub(crate) fn format_g32(f: f64) -> String {
    let x = f as f32;
    if x.is_infinite() || x.is_nan() {
        return crate::yaml::resolve::go_format_g_digits(f, &format!("{:e}", x.abs()));
    }
    crate::yaml::resolve::go_format_g_digits(x as f64, &format!("{:e}", x.abs()))
}

/// Go's `strconv.FormatFloat(f, 'g', -1, 64)`.
pub(crate) fn format_g64(f: f64) -> String {
    crate::yaml::resolve::go_format_float_g(f)
}

/// Go's `foldName` comparison (ASCII case-insensitive; `ſ` and the Kelvin sign fold to s and k).
fn fold_eq(a: &str, b: &str) -> bool {
    let f = |c: char| match c {
        '\u{17f}' => 's',
        '\u{212a}' => 'k',
        c => c.to_ascii_lowercase(),
    };
    a.chars().map(f).eq(b.chars().map(f))
}

/// A JSON kind name as `encoding/json` reports it.
fn json_kind(n: &Node) -> &'static str {
    match n {
        Node::Map(_) => "object",
        Node::Seq(_) => "array",
        Node::Scalar(s) => match typed(s) {
            J::Null => "null",
            J::Bool(_) => "bool",
            J::Int(_) | J::Float(_) => "number",
            J::Str(_) => "string",
        },
    }
}

/// A YAML kind as go-yaml v3 names it in errors.
fn v3_kind(n: &Node) -> &'static str {
    match n {
        Node::Map(_) => "!!map",
        Node::Seq(_) => "!!seq",
        Node::Scalar(s) => match typed(s) {
            J::Null => "!!null",
            J::Bool(_) => "!!bool",
            J::Int(_) => "!!int",
            J::Float(_) => "!!float",
            J::Str(_) => "!!str",
        },
    }
}

fn is_null(n: &Node) -> bool {
    matches!(n, Node::Scalar(s) if typed(s) == J::Null)
}

/// A Go struct being decoded from a mapping (or from nothing: every field keeps its zero value).
#[derive(Clone, Debug)]
pub(crate) struct Obj<'a> {
    mode: Mode,
    map: Option<&'a Mapping>,
    /// The Go struct's type name, as decoding errors name it.
    strukt: &'static str,
    /// The JSON field path from the top of the config to here (`target`, `fieldSpecs`).
    path: String,
    /// Whether a number or boolean bound for a string below here becomes its text.
    /// sigs.k8s.io/yaml looks for the target field of each key to decide, but for a field
    /// promoted from an embedded struct it finds the embedded struct instead, so nothing under
    /// such a field is converted (`name: 12` in a ConfigMapGenerator is an error).
    coerce: bool,
    /// Fields of this struct promoted from an embedded struct.
    promoted: &'static [&'static str],
}

impl<'a> Obj<'a> {
    /// The top-level config object of a plugin (`strukt` is the plugin's Go type name).
    pub(crate) fn top(node: &'a Node, mode: Mode, strukt: &'static str) -> Result<Obj<'a>> {
        match node {
            Node::Map(m) => Ok(Obj { mode, map: Some(m), strukt, path: String::new(), coerce: true, promoted: &[] }),
            n if is_null(n) => Ok(Obj { mode, map: None, strukt, path: String::new(), coerce: true, promoted: &[] }),
            n => Err(match mode {
                Mode::Json => wrap_json(format!("json: cannot unmarshal {} into Go value of type builtins.{}", json_kind(n), strukt)),
                Mode::V3 => err!(Kustomization, "yaml: unmarshal errors:\n  cannot unmarshal {} into builtins.{}", v3_kind(n), strukt),
            }),
        }
    }

    /// Declares the fields of this struct that are promoted from embedded structs.
    pub(crate) fn promoting(mut self, names: &'static [&'static str]) -> Self {
        self.promoted = names;
        self
    }

    /// Whether scalars bound for strings under field `name` are converted to text.
    fn coerces(&self, name: &str) -> bool {
        self.mode == Mode::V3 || (self.coerce && !self.promoted.contains(&name))
    }

    fn child(&self, map: Option<&'a Mapping>, name: &str, strukt: &'static str) -> Obj<'a> {
        Obj { mode: self.mode, map, strukt, path: self.field_path(name), coerce: self.coerces(name), promoted: &[] }
    }

    /// The value decoded into field `name`: in JSON mode, of the keys equal to `name` ignoring
    /// case, the last one in key order (JSON objects come sorted; each one decodes in turn).
    fn get(&self, name: &str) -> Option<&'a Node> {
        let m = self.map?;
        match self.mode {
            Mode::V3 => m.entries.iter().rev().find(|e| e.key == name).map(|e| &e.value),
            Mode::Json => m
                .entries
                .iter()
                .filter(|e| e.key == name || fold_eq(&e.key, name))
                .max_by(|a, b| a.key.cmp(&b.key))
                .map(|e| &e.value),
        }
    }

    fn field_path(&self, name: &str) -> String {
        if self.path.is_empty() {
            name.to_string()
        } else {
            format!("{}.{}", self.path, name)
        }
    }

    fn type_error(&self, name: &str, n: &Node, ty: &str) -> Error {
        match self.mode {
            Mode::Json => wrap_json(format!(
                "json: cannot unmarshal {} into Go struct field {}.{} of type {}",
                json_kind(n),
                self.strukt,
                self.field_path(name),
                ty
            )),
            Mode::V3 => err!(Kustomization, "yaml: unmarshal errors:\n  cannot unmarshal {} into {}", v3_kind(n), ty),
        }
    }

    /// A string field ("" when missing or null).
    pub(crate) fn string(&self, name: &str) -> Result<String> {
        match self.get(name) {
            None => Ok(String::new()),
            Some(n) => self.string_value(name, n, "string", self.coerces(name)),
        }
    }

    fn string_value(&self, name: &str, n: &Node, ty: &str, coerce: bool) -> Result<String> {
        let Node::Scalar(s) = n else {
            return Err(self.type_error(name, n, ty));
        };
        let t = typed(s);
        if !coerce && matches!(t, J::Bool(_) | J::Int(_) | J::Float(_)) {
            return Err(self.type_error(name, n, ty));
        }
        Ok(match t {
            J::Null => String::new(),
            J::Bool(b) => b.to_string(),
            J::Int(i) => i.to_string(),
            J::Float(f) => match self.mode {
                // sigs.k8s.io/yaml turns a number bound for a string into its float32 text.
                Mode::Json => format_g32(f),
                // go-yaml v2 wrote the float64's text, which v3 takes as is.
                Mode::V3 => format_g64(f),
            },
            J::Str(v) => v,
        })
    }

    /// A boolean field (false when missing or null).
    pub(crate) fn boolean(&self, name: &str) -> Result<bool> {
        let Some(n) = self.get(name) else { return Ok(false) };
        if is_null(n) {
            return Ok(false);
        }
        if let Node::Scalar(s) = n {
            if let J::Bool(b) = typed(s) {
                return Ok(b);
            }
        }
        Err(self.type_error(name, n, "bool"))
    }

    /// An `int` or `int64` field (0 when missing or null).
    pub(crate) fn int64(&self, name: &str) -> Result<i64> {
        let Some(n) = self.get(name) else { return Ok(0) };
        if is_null(n) {
            return Ok(0);
        }
        if let Node::Scalar(s) = n {
            if let J::Int(i) = typed(s) {
                if let Ok(i) = i64::try_from(i) {
                    return Ok(i);
                }
            }
        }
        Err(self.type_error(name, n, "int64"))
    }

    /// A `map[string]string` field, sorted by key (empty when missing or null).
    pub(crate) fn str_map(&self, name: &str) -> Result<BTreeMap<String, String>> {
        let mut out = BTreeMap::new();
        let Some(n) = self.get(name) else { return Ok(out) };
        if is_null(n) {
            return Ok(out);
        }
        let Node::Map(m) = n else {
            return Err(self.type_error(name, n, "map[string]string"));
        };
        let mut entries: Vec<_> = m.entries.iter().collect();
        if self.mode == Mode::Json {
            entries.sort_by(|a, b| a.key.cmp(&b.key));
        }
        for e in entries {
            let v = self.string_value(name, &e.value, "string", self.coerces(name))?;
            out.insert(e.key.clone(), v);
        }
        Ok(out)
    }

    /// A `map[string]bool` field (empty when missing or null).
    pub(crate) fn bool_map(&self, name: &str) -> Result<BTreeMap<String, bool>> {
        let mut out = BTreeMap::new();
        let Some(n) = self.get(name) else { return Ok(out) };
        if is_null(n) {
            return Ok(out);
        }
        let Node::Map(m) = n else {
            return Err(self.type_error(name, n, "map[string]bool"));
        };
        for e in &m.entries {
            let b = match &e.value {
                v if is_null(v) => false,
                Node::Scalar(s) => match typed(s) {
                    J::Bool(b) => b,
                    _ => return Err(self.type_error(name, &e.value, "bool")),
                },
                v => return Err(self.type_error(name, v, "bool")),
            };
            out.insert(e.key.clone(), b);
        }
        Ok(out)
    }

    /// A `[]string` field: `None` when missing or null (a nil slice).
    pub(crate) fn strings(&self, name: &str) -> Result<Option<Vec<String>>> {
        let Some(n) = self.get(name) else { return Ok(None) };
        if is_null(n) {
            return Ok(None);
        }
        let Node::Seq(items) = n else {
            return Err(self.type_error(name, n, "[]string"));
        };
        items.iter().map(|it| self.string_value(name, it, "string", self.coerces(name))).collect::<Result<Vec<_>>>().map(Some)
    }

    /// A struct or pointer-to-struct field: `None` when missing or null.
    pub(crate) fn object(&self, name: &str, strukt: &'static str) -> Result<Option<Obj<'a>>> {
        let Some(n) = self.get(name) else { return Ok(None) };
        if is_null(n) {
            return Ok(None);
        }
        match n {
            Node::Map(m) => Ok(Some(self.child(Some(m), name, strukt))),
            _ => Err(self.type_error(name, n, &format!("types.{}", strukt))),
        }
    }

    /// A slice of structs: `None` when missing or null (a nil slice); a null element is a zero
    /// struct.
    pub(crate) fn objects(&self, name: &str, strukt: &'static str) -> Result<Option<Vec<Obj<'a>>>> {
        let Some(n) = self.get(name) else { return Ok(None) };
        if is_null(n) {
            return Ok(None);
        }
        let Node::Seq(items) = n else {
            return Err(self.type_error(name, n, &format!("[]types.{}", strukt)));
        };
        let mut out = Vec::with_capacity(items.len());
        for it in items {
            match it {
                Node::Map(m) => out.push(self.child(Some(m), name, strukt)),
                v if is_null(v) => out.push(self.child(None, name, strukt)),
                v => return Err(self.type_error(name, v, &format!("types.{}", strukt))),
            }
        }
        Ok(Some(out))
    }
}

/// sigs.k8s.io/yaml's wrapping of a JSON decoding error.
fn wrap_json(msg: String) -> Error {
    err!(Kustomization, "error unmarshaling JSON: while decoding JSON: {}", msg)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::Style;

    fn doc(s: &str) -> Node {
        crate::yaml::load_one(s).unwrap().unwrap()
    }

    #[test]
    fn typing_is_go_yaml_v3s_through_json() {
        let t = |v: &str| typed(&Scalar::plain(v));
        assert_eq!(t("yes"), J::Str("yes".into()));
        assert_eq!(t("017"), J::Int(15));
        assert_eq!(t("0x1F"), J::Int(31));
        assert_eq!(t("1.5e3"), J::Int(1500));
        assert_eq!(t("1e21"), J::Float(1e21));
        assert_eq!(t("2001-12-14"), J::Str("2001-12-14T00:00:00Z".into()));
        assert_eq!(t("~"), J::Null);
        assert_eq!(typed(&Scalar { value: "12".into(), style: Style::DoubleQuoted, tag: None }), J::Str("12".into()));
    }

    #[test]
    fn float_text_as_go_formats_float32() {
        assert_eq!(format_g32(1500.0), "1500");
        assert_eq!(format_g32(1.5), "1.5");
        assert_eq!(format_g32(0.1), "0.1");
        assert_eq!(format_g32(1e6), "1e+06");
        assert_eq!(format_g32(123456.0), "123456");
        assert_eq!(format_g32(1234567.0), "1.234567e+06");
        assert_eq!(format_g32(0.0001), "0.0001");
        assert_eq!(format_g32(0.00001), "1e-05");
        assert_eq!(format_g32(-2.5), "-2.5");
        assert_eq!(format_g32(3.14159265), "3.1415927");
        assert_eq!(format_g32(1e21), "1e+21");
        assert_eq!(format_g64(3.14159265358979), "3.14159265358979");
        assert_eq!(format_g64(1e21), "1e+21");
    }

    #[test]
    fn json_mode_coerces_scalars_into_strings_and_folds_names() {
        let n = doc("Prefix: 12\nname: 1.5e3\nb: yes\nlabels: {a: 1, b: on, c: ~, d: 3.14159265358979}\nflag: true\n");
        let o = Obj::top(&n, Mode::Json, "P").unwrap();
        assert_eq!(o.string("prefix").unwrap(), "12");
        assert_eq!(o.string("name").unwrap(), "1500");
        assert_eq!(o.string("b").unwrap(), "yes");
        assert_eq!(o.string("missing").unwrap(), "");
        assert!(o.boolean("flag").unwrap());
        let m = o.str_map("labels").unwrap();
        assert_eq!(m.get("a").map(String::as_str), Some("1"));
        assert_eq!(m.get("b").map(String::as_str), Some("on"));
        assert_eq!(m.get("c").map(String::as_str), Some(""));
        assert_eq!(m.get("d").map(String::as_str), Some("3.1415927"));
    }

    #[test]
    fn json_mode_type_errors() {
        let n = doc("target: [a]\ncount: 1.5\nflag: \"true\"\n");
        let o = Obj::top(&n, Mode::Json, "PatchTransformerPlugin").unwrap();
        let e = o.object("target", "Selector").unwrap_err();
        assert_eq!(
            e.message(),
            "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal array into Go struct field PatchTransformerPlugin.target of type types.Selector"
        );
        assert!(o.int64("count").is_err());
        assert!(o.boolean("flag").is_err());
    }

    #[test]
    fn no_conversion_under_promoted_fields() {
        let n = doc("name: 12\noptions:\n  labels:\n    l: 1\nmetadata:\n  name: 13\n");
        let o = Obj::top(&n, Mode::Json, "SecretGeneratorPlugin").unwrap().promoting(&["name", "options"]);
        assert_eq!(
            o.string("name").unwrap_err().message(),
            "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal number into Go struct field SecretGeneratorPlugin.name of type string"
        );
        let opts = o.object("options", "GeneratorOptions").unwrap().unwrap();
        assert_eq!(
            opts.str_map("labels").unwrap_err().message(),
            "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal number into Go struct field GeneratorOptions.options.labels of type string"
        );
        let meta = o.object("metadata", "ObjectMeta").unwrap().unwrap();
        assert_eq!(meta.string("name").unwrap(), "13");
    }

    #[test]
    fn v3_mode_takes_text_and_exact_names() {
        let n = doc("prefix: 0x1F\nPrefix: no\nsuffix: 3.14159265358979\nfieldSpecs:\n- path: metadata/name\n  create: true\n- create: yes\n");
        let o = Obj::top(&n, Mode::V3, "PrefixTransformerPlugin").unwrap();
        assert_eq!(o.string("prefix").unwrap(), "31");
        assert_eq!(o.string("suffix").unwrap(), "3.14159265358979");
        let specs = o.objects("fieldSpecs", "FieldSpec").unwrap().unwrap();
        assert_eq!(specs.len(), 2);
        assert!(specs[0].boolean("create").unwrap());
        assert!(specs[1].boolean("create").is_err());
        assert_eq!(specs[0].string("path").unwrap(), "metadata/name");
        let none = doc("prefix: a\nfieldSpecs: ~\n");
        assert!(Obj::top(&none, Mode::V3, "P").unwrap().objects("fieldSpecs", "FieldSpec").unwrap().is_none());
    }
}
