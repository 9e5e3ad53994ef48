//! JSON patches (RFC 6902), as kustomize v5.5.0 applies them.
//!
//! kustomize's `patchjson6902` filter turns the resource into JSON (kyaml `MarshalJSON`: go-yaml
//! v3 decoding, then Go's `encoding/json`), applies the operations with
//! `gopkg.in/evanphx/json-patch.v4` v4.12.0, and reads the result back (`json.Unmarshal` into a
//! map, go-yaml v3 encoding, parsing). This module reproduces the three steps:
//!
//! * **The whole resource goes through JSON**, not only the patched fields: every number comes
//!   back as a float (`1000000` is written `1e+06`, which kustomize prints `1000000`; integers
//!   past 2^53 lose precision), timestamps become their RFC 3339 strings, and `.inf`/`.nan`
//!   are an error (`json: unsupported value: +Inf`).
//! * **Patch values** are typed the way `sigs.k8s.io/yaml` reads the patch (go-yaml v2, YAML
//!   1.1): `yes`/`on`/`y` are `true`, `0777` is 511, `2024-01-01` stays a string; a quoted
//!   `"1"` stays a string. A patch whose text starts with `[` is JSON and its values are taken
//!   as written ([`Json6902Patch::parse`]).
//! * **evanphx/json-patch v4 semantics**, quirks included: `add` on a missing parent fails, but
//!   `replace` of a missing *object key* adds it (only a missing array index fails); `copy`
//!   from a missing object key writes `null`; negative array indices count from the end (and
//!   `add` at `-1` appends); `add`/`replace` without `value` write `null`; pointers are split
//!   on `/` with `~1` → `/` then `~0` → `~`, and the text before the first `/` is ignored;
//!   `test` compares objects and arrays structurally but scalars by their JSON text (so `1`
//!   and `1.0` differ in a JSON patch); a failing `test` is an error.
//! * **Errors** use the library's wording, which names the operation's path but not its index,
//!   e.g. `add operation does not apply: doc is missing path: "/spec/x/y": missing value`,
//!   `error in remove for path: '/a': Unable to remove nonexistent key: a: missing value`,
//!   `testing value /spec/replicas failed: test failed`, `Unexpected kind: foo`.

use std::collections::BTreeMap;

use crate::error::{err, Result};
use crate::yaml::resolve::{self, Value};
use crate::yaml::{Entry, Mapping, Node, Pos, Scalar, Style};

/// A JSON value as the patch library sees it. Scalars keep their JSON text, which is what
/// `test` compares.
#[derive(Clone, Debug)]
pub(super) enum J {
    Null,
    Bool(bool),
    /// A number, as JSON text.
    Num(String),
    /// A string and its JSON text as written (`None`: as Go's `encoding/json` writes it).
    Str(String, Option<String>),
    Arr(Vec<J>),
    Obj(BTreeMap<String, J>),
    /// A part of the resource no operation looks at, by its index in the list of such parts
    /// ([`Json6902Patch::apply`]'s shortcut): turned into a node directly at the end.
    Ref(usize),
}

/// Strings are equal when their texts and their JSON texts are.
impl PartialEq for J {
    fn eq(&self, o: &J) -> bool {
        match (self, o) {
            (J::Null, J::Null) => true,
            (J::Bool(a), J::Bool(b)) => a == b,
            (J::Num(a), J::Num(b)) => a == b,
            (J::Str(a, _), J::Str(b, _)) => a == b && self.raw() == o.raw(),
            (J::Arr(a), J::Arr(b)) => a == b,
            (J::Obj(a), J::Obj(b)) => a == b,
            _ => false,
        }
    }
}

impl J {
    fn str(s: &str) -> J {
        J::Str(s.to_string(), None)
    }

    /// The JSON text of a scalar.
    fn raw(&self) -> std::borrow::Cow<'_, str> {
        match self {
            J::Null => "null".into(),
            J::Bool(true) => "true".into(),
            J::Bool(false) => "false".into(),
            J::Num(t) => t.as_str().into(),
            J::Str(_, Some(raw)) => raw.as_str().into(),
            J::Str(s, None) => crate::yaml::resolve::go_json_string(s).into(),
            J::Arr(_) | J::Obj(_) | J::Ref(_) => "".into(),
        }
    }
}

/// A decoded JSON patch: a list of operations (`op`, `path`, `from`, `value`, ...), each a map
/// from field to value (`J::Null` for an explicit `null`).
#[derive(Clone, Debug, PartialEq)]
pub struct Json6902Patch {
    ops: Vec<BTreeMap<String, J>>,
}

/// Applies a JSON patch (a sequence of operations, as loaded from YAML) to `target`.
/// Equivalent to [`Json6902Patch::from_yaml`] then [`Json6902Patch::apply`].
pub fn apply_json6902(target: &mut Node, ops: &Node) -> Result<()> {
    Json6902Patch::from_yaml(Some(ops))?.apply(target)
}

impl Json6902Patch {
    /// Decodes patch text as kustomize does (`jsonPatchFromBytes` / the filter's
    /// `decodePatch`): text starting with `[` is JSON (values kept as written); anything else is
    /// YAML read by `sigs.k8s.io/yaml` (go-yaml v2, first document only).
    pub fn parse(text: &str) -> Result<Json6902Patch> {
        if text.is_empty() {
            return Err(err!(Transform, "empty json patch operations"));
        }
        if text.starts_with('[') {
            let v = super::json_text::parse(text).map_err(|m| err!(Transform, "{}", m))?;
            return Json6902Patch::from_j(v);
        }
        let doc = crate::yaml::load::load_one_with(
            text,
            &crate::yaml::load::LoadOptions::kustomization(),
        )?;
        Json6902Patch::from_yaml(doc.as_ref())
    }

    /// Decodes operations loaded from YAML (`None`: an empty document). Scalars are typed with
    /// go-yaml v2's rules, as `sigs.k8s.io/yaml` does.
    pub fn from_yaml(ops: Option<&Node>) -> Result<Json6902Patch> {
        let v = match ops {
            None => J::Null,
            Some(n) => yaml_v2_to_j(n)?,
        };
        Json6902Patch::from_j(v)
    }

    fn from_j(v: J) -> Result<Json6902Patch> {
        let items = match v {
            // `null` decodes to an empty patch.
            J::Null => return Ok(Json6902Patch { ops: Vec::new() }),
            J::Arr(items) => items,
            other => {
                return Err(err!(
                    Transform,
                    "json: cannot unmarshal {} into Go value of type jsonpatch.Patch",
                    json_type(&other)
                ))
            }
        };
        let mut ops = Vec::new();
        for item in items {
            match item {
                J::Obj(m) => ops.push(m),
                J::Null => ops.push(BTreeMap::new()),
                other => {
                    return Err(err!(
                        Transform,
                        "json: cannot unmarshal {} into Go value of type jsonpatch.Operation",
                        json_type(&other)
                    ))
                }
            }
        }
        Ok(Json6902Patch { ops })
    }

    /// The number of operations.
    pub fn len(&self) -> usize {
        self.ops.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ops.is_empty()
    }

    /// Applies the operations to a resource. On error the target is left unchanged.
    pub fn apply(&self, target: &mut Node) -> Result<()> {
        if self.apply_direct(target) {
            return Ok(());
        }
        match self.apply_lazy(target) {
            Some(Ok(node)) => {
                *target = node;
                Ok(())
            }
            // Not applicable, or an error: the full conversion says which.
            _ => self.apply_full(target),
        }
    }

    /// [`Json6902Patch::apply`] with only the parts of the resource the operations' pointers
    /// go through turned into JSON: a field of a mapping on the way to a pointer's last token
    /// that no pointer names is kept as a [`J::Ref`] and normalized directly at the end
    /// ([`norm_node`], what going through JSON does to it). Sequences on the way are turned
    /// into JSON whole (operations move their items). `None` when the shortcut does not apply
    /// (a pointer that is not a string, or the whole document), `Some(Err)` on any error.
    fn apply_lazy(&self, target: &Node) -> Option<std::result::Result<Node, ()>> {
        if !matches!(target, Node::Map(_)) {
            return None;
        }
        let mut paths: Vec<Vec<std::borrow::Cow<'_, str>>> = Vec::new();
        for op in &self.ops {
            for name in ["path", "from"] {
                match op.get(name) {
                    None => {}
                    Some(J::Str(p, _)) => {
                        let mut split = p.split('/');
                        split.next();
                        let segs: Vec<_> = split.map(decode_key).collect();
                        if segs.is_empty() {
                            return None;
                        }
                        paths.push(segs);
                    }
                    Some(_) => return None,
                }
            }
        }
        let paths: Vec<&[std::borrow::Cow<'_, str>]> = paths.iter().map(|p| p.as_slice()).collect();
        let mut refs = Vec::new();
        let mut run = || -> std::result::Result<Node, ()> {
            let mut doc = lazy_j(target, &paths, &mut refs).map_err(|_| ())?;
            for op in &self.ops {
                apply_op(&mut doc, op).map_err(|_| ())?;
            }
            if !matches!(doc, J::Obj(_)) {
                return Err(());
            }
            j_to_node_with(doc, &refs).map_err(|_| ())
        };
        Some(run())
    }

    /// [`Json6902Patch::apply`] straight on the resource's nodes, when that is sure to give
    /// what the round trip through JSON gives: only `add`, `remove` and `replace` operations,
    /// each on a field of a mapping reached through mappings, no pointer a prefix of another
    /// (so each operation finds the fields it goes through as they were), and nothing that can
    /// fail (a missing field to remove or to go through, a number or a float of the resource
    /// JSON cannot take). The resource is normalized in place ([`norm_in_place`], what the
    /// round trip does to it), then each operation sets, adds or removes its field, keeping the
    /// keys sorted as in a JSON object. Returns whether it applied the operations; when not,
    /// `target` is untouched.
    fn apply_direct(&self, target: &mut Node) -> bool {
        type Path<'a> = Vec<std::borrow::Cow<'a, str>>;
        let Some(root) = target.as_map() else { return false };
        let mut plan: Vec<(bool, Path<'_>, Option<&J>)> = Vec::with_capacity(self.ops.len());
        for op in &self.ops {
            let remove = match op.get("op") {
                Some(J::Str(k, _)) if k == "remove" => true,
                Some(J::Str(k, _)) if k == "add" || k == "replace" => false,
                _ => return false,
            };
            let Some(J::Str(pointer, _)) = op.get("path") else { return false };
            let mut split = pointer.split('/');
            split.next();
            let path: Path<'_> = split.map(decode_key).collect();
            let Some((key, parents)) = path.split_last() else { return false };
            let Some(con) = map_at(root, parents) else { return false };
            let value = op.get("value");
            let ok = if remove { con.entries.iter().any(|e| e.key == **key) } else { value.is_none_or(j_convertible) };
            if !ok {
                return false;
            }
            plan.push((remove, path, value));
        }
        for (i, (_, a, _)) in plan.iter().enumerate() {
            if plan[..i].iter().any(|(_, b, _)| a.starts_with(b) || b.starts_with(a)) {
                return false;
            }
        }
        if !norm_ok(target) {
            return false;
        }
        norm_in_place(target);
        for (remove, path, value) in plan {
            let Some((key, parents)) = path.split_last() else { continue };
            // The keys are now sorted and distinct.
            let Some(con) = sorted_map_at_mut(target, parents) else { continue };
            let at = con.entries.binary_search_by(|e| e.key.as_str().cmp(key));
            let node = || j_to_node(value.cloned().unwrap_or(J::Null)).unwrap_or_else(|_| Node::null());
            match (remove, at) {
                (true, Ok(i)) => {
                    con.entries.remove(i);
                }
                (true, Err(_)) => {}
                (false, Ok(i)) => con.entries[i].value = node(),
                (false, Err(i)) => con.entries.insert(i, Entry::new(key.as_ref(), node(), Pos::default())),
            }
        }
        true
    }

    fn apply_full(&self, target: &mut Node) -> Result<()> {
        let mut doc = node_to_j(target)?;
        for op in &self.ops {
            apply_op(&mut doc, op).map_err(|m| err!(Transform, "{}", m))?;
        }
        let J::Obj(_) = doc else {
            return Err(err!(
                Transform,
                "json: cannot unmarshal {} into Go value of type map[string]interface {{}}",
                json_type(&doc)
            ));
        };
        *target = j_to_node(doc)?;
        Ok(())
    }
}

fn json_type(v: &J) -> &'static str {
    match v {
        J::Null => "null",
        J::Bool(_) => "bool",
        J::Num(_) => "number",
        J::Str(..) => "string",
        J::Arr(_) => "array",
        J::Obj(_) | J::Ref(_) => "object",
    }
}

// ---------------------------------------------------------------------------------------------
// YAML to JSON and back.

/// The resource as kyaml's `MarshalJSON` sees it (go-yaml v3 typing).
fn node_to_j(node: &Node) -> Result<J> {
    Ok(match node {
        Node::Scalar(s) => match resolve::resolve(s) {
            Value::Null => J::Null,
            Value::Bool(b) => J::Bool(b),
            Value::Int(i) => J::Num(i.to_string()),
            Value::Uint(u) => J::Num(u.to_string()),
            Value::Float(f) => J::Num(go_json_float(f)?),
            Value::Str(t) => J::str(t),
            Value::Time(t) => J::str(&t),
        },
        Node::Seq(items) => J::Arr(items.iter().map(node_to_j).collect::<Result<_>>()?),
        Node::Map(m) => J::Obj(
            m.entries
                .iter()
                .map(|e| Ok((e.key.clone(), node_to_j(&e.value)?)))
                .collect::<Result<_>>()?,
        ),
    })
}

/// A patch document as `sigs.k8s.io/yaml`'s `YAMLToJSON` sees it (go-yaml v2 typing: YAML 1.1
/// booleans, timestamps kept as text).
fn yaml_v2_to_j(node: &Node) -> Result<J> {
    Ok(match node {
        Node::Scalar(s) => {
            if s.tag.is_none() && s.style == Style::Plain {
                match s.value.as_str() {
                    "y" | "Y" | "yes" | "Yes" | "YES" | "on" | "On" | "ON" => {
                        return Ok(J::Bool(true))
                    }
                    "n" | "N" | "no" | "No" | "NO" | "off" | "Off" | "OFF" => {
                        return Ok(J::Bool(false))
                    }
                    _ => {}
                }
            }
            match resolve::resolve(s) {
                Value::Null => J::Null,
                Value::Bool(b) => J::Bool(b),
                Value::Int(i) => J::Num(i.to_string()),
                Value::Uint(u) => J::Num(u.to_string()),
                Value::Float(f) => J::Num(go_json_float(f)?),
                Value::Str(t) => J::str(t),
                Value::Time(_) => J::str(&s.value),
            }
        }
        Node::Seq(items) => J::Arr(items.iter().map(yaml_v2_to_j).collect::<Result<_>>()?),
        Node::Map(m) => J::Obj(
            m.entries
                .iter()
                .map(|e| Ok((e.key.clone(), yaml_v2_to_j(&e.value)?)))
                .collect::<Result<_>>()?,
        ),
    })
}

/// A mapping of the resource as JSON, the fields `paths` (the pointers' tokens from this
/// mapping on) do not name kept as [`J::Ref`]s to `refs`: a field that is the last token of a
/// pointer is converted whole, and so is one on the way that is not a mapping.
fn lazy_j<'n>(
    node: &'n Node,
    paths: &[&[std::borrow::Cow<'_, str>]],
    refs: &mut Vec<&'n Node>,
) -> Result<J> {
    let Node::Map(m) = node else {
        return node_to_j(node);
    };
    let mut out = Vec::with_capacity(m.entries.len());
    let mut rest = Vec::new();
    for e in &m.entries {
        rest.clear();
        let mut last = false;
        for p in paths {
            if p.first().is_some_and(|k| *k == e.key.as_str()) {
                last |= p.len() == 1;
                rest.push(&p[1..]);
            }
        }
        let v = if rest.is_empty() {
            refs.push(&e.value);
            J::Ref(refs.len() - 1)
        } else if last || !matches!(e.value, Node::Map(_)) {
            node_to_j(&e.value)?
        } else {
            lazy_j(&e.value, &rest, refs)?
        };
        out.push((e.key.clone(), v));
    }
    Ok(J::Obj(out.into_iter().collect()))
}

/// The mapping at `path` (each token a key; of repeated keys the last, as a JSON object keeps),
/// through mappings only.
fn map_at<'n>(m: &'n Mapping, path: &[std::borrow::Cow<'_, str>]) -> Option<&'n Mapping> {
    let mut cur = m;
    for k in path {
        cur = cur.entries.iter().rev().find(|e| e.key == **k)?.value.as_map()?;
    }
    Some(cur)
}

/// [`map_at`] in a node whose mappings have sorted, distinct keys.
fn sorted_map_at_mut<'n>(n: &'n mut Node, path: &[std::borrow::Cow<'_, str>]) -> Option<&'n mut Mapping> {
    let mut cur = n.as_map_mut()?;
    for k in path {
        let i = cur.entries.binary_search_by(|e| e.key.as_str().cmp(k)).ok()?;
        cur = cur.entries[i].value.as_map_mut()?;
    }
    Some(cur)
}

/// Whether a scalar is plain text starting like no other type: a string both ways, written
/// plain, so the round trip through JSON leaves it as it is.
fn is_word(s: &Scalar) -> bool {
    s.tag.is_none()
        && s.style == Style::Plain
        && !matches!(
            s.value.as_bytes().first(),
            None | Some(b'0'..=b'9' | b'+' | b'-' | b'.' | b'~' | b'n' | b'N' | b't' | b'T' | b'f' | b'F')
        )
}

/// Whether the round trip through JSON leaves a scalar as it is: a word ([`is_word`]), or a
/// plain untagged integer written as Go writes it, below 10^6 in magnitude (`0`, `75`, `-12`;
/// not `-0`, `+1` or `012`).
fn kept_scalar(s: &Scalar) -> bool {
    is_word(s) || (s.tag.is_none() && s.style == Style::Plain && small_int_text(&s.value) && s.value != "-0")
}

/// Whether the round trip through JSON of `n` succeeds (no scalar is a float JSON cannot
/// write).
fn norm_ok(n: &Node) -> bool {
    match n {
        Node::Scalar(s) => kept_scalar(s) || !matches!(resolve::resolve(s), Value::Float(f) if !f.is_finite()),
        Node::Seq(items) => items.iter().all(norm_ok),
        Node::Map(m) => m.entries.iter().all(|e| norm_ok(&e.value)),
    }
}

/// What the round trip through JSON (`j_to_node(node_to_j(n))`) makes of a node, done in
/// place, for a node [`norm_ok`] accepts: scalars it keeps are left alone, other scalars go
/// through JSON, mappings get their keys sorted (the last of equal keys kept) and lose their
/// positions and comments.
fn norm_in_place(n: &mut Node) {
    match n {
        Node::Scalar(s) => {
            if !kept_scalar(s) {
                if let Ok(x) = node_to_j(n).and_then(j_to_node) {
                    *n = x;
                }
            }
        }
        Node::Seq(items) => items.iter_mut().for_each(norm_in_place),
        Node::Map(m) => {
            for e in &mut m.entries {
                e.pos = Pos::default();
                e.comment = None;
                norm_in_place(&mut e.value);
            }
            if !m.entries.windows(2).all(|w| w[0].key < w[1].key) {
                // A JSON object: keys sorted (a stable sort), the last value of equal keys kept
                // (moved into the first entry, which stays).
                m.entries.sort_by(|a, b| a.key.cmp(&b.key));
                m.entries.dedup_by(|later, kept| {
                    let same = later.key == kept.key;
                    if same {
                        std::mem::swap(&mut later.value, &mut kept.value);
                    }
                    same
                });
            }
        }
    }
}

/// Whether [`j_to_node`] of a patch value succeeds: its numbers read back as finite floats.
fn j_convertible(v: &J) -> bool {
    match v {
        J::Null | J::Bool(_) | J::Str(..) => true,
        J::Num(t) => small_int_text(t) || t.parse::<f64>().is_ok_and(f64::is_finite),
        J::Arr(items) => items.iter().all(j_convertible),
        J::Obj(m) => m.values().all(j_convertible),
        J::Ref(_) => false,
    }
}

/// What the round trip through JSON makes of a node: `j_to_node(node_to_j(n))`, without
/// building the JSON.
fn norm_node(n: &Node) -> Result<Node> {
    Ok(match n {
        Node::Scalar(s) => {
            // Plain text starting like no other type: a string both ways, written plain.
            if is_word(s) {
                Node::Scalar(Scalar::plain(s.value.as_str()))
            } else {
                j_to_node(node_to_j(n)?)?
            }
        }
        Node::Seq(items) => Node::Seq(items.iter().map(norm_node).collect::<Result<_>>()?),
        Node::Map(m) => {
            let mut es = m
                .entries
                .iter()
                .map(|e| Ok((e.key.as_str(), norm_node(&e.value)?)))
                .collect::<Result<Vec<_>>>()?;
            // A JSON object: keys sorted, the last of equal keys kept.
            es.sort_by(|a, b| a.0.cmp(b.0));
            let mut entries: Vec<Entry> = Vec::with_capacity(es.len());
            for (k, v) in es {
                match entries.last_mut() {
                    Some(last) if last.key == k => last.value = v,
                    _ => entries.push(Entry::new(k, v, Pos::default())),
                }
            }
            Node::Map(Mapping { entries })
        }
    })
}

/// The patched document as kyaml's `UnmarshalJSON` rebuilds it: numbers are float64 and
/// go-yaml v3 writes them with `%g`.
fn j_to_node(v: J) -> Result<Node> {
    j_to_node_with(v, &[])
}

/// [`j_to_node`] of a document holding [`J::Ref`]s to `refs`.
fn j_to_node_with(v: J, refs: &[&Node]) -> Result<Node> {
    Ok(match v {
        J::Ref(i) => match refs.get(i) {
            Some(n) => norm_node(n)?,
            None => return Err(err!(Transform, "json: dangling reference")),
        },
        J::Null => Node::null(),
        J::Bool(b) => Node::plain(if b { "true" } else { "false" }),
        // A small integer is its own `%g` text.
        J::Num(t) if small_int_text(&t) => Node::Scalar(Scalar::plain(t)),
        J::Num(t) => {
            let f: f64 = t
                .parse()
                .map_err(|_| err!(Transform, "json: invalid number {}", t))?;
            if !f.is_finite() {
                return Err(err!(
                    Transform,
                    "json: cannot unmarshal number {} into Go value of type float64",
                    t
                ));
            }
            Node::Scalar(Scalar::plain(resolve::go_format_float_g(f)))
        }
        J::Str(s, _) => Node::string(s),
        J::Arr(items) => Node::Seq(items.into_iter().map(|x| j_to_node_with(x, refs)).collect::<Result<_>>()?),
        // The keys are distinct (and sorted).
        J::Obj(m) => Node::Map(Mapping {
            entries: m
                .into_iter()
                .map(|(k, v)| Ok(Entry::new(k, j_to_node_with(v, refs)?, Pos::default())))
                .collect::<Result<_>>()?,
        }),
    })
}

/// Whether a JSON number's text is an integer below 10^6 in magnitude written without
/// leading zeros (`0`, `-12`, `999999`): then Go's shortest `%g` of its float64 is that text.
fn small_int_text(t: &str) -> bool {
    let d = t.strip_prefix('-').unwrap_or(t).as_bytes();
    matches!(d, [b'0'] | [b'1'..=b'9', ..]) && d.len() <= 6 && d.iter().all(u8::is_ascii_digit)
}

/// Go's `encoding/json` text for a float64.
fn go_json_float(f: f64) -> Result<String> {
    if f.is_nan() {
        return Err(err!(Transform, "json: unsupported value: NaN"));
    }
    if f.is_infinite() {
        return Err(err!(
            Transform,
            "json: unsupported value: {}",
            if f > 0.0 { "+Inf" } else { "-Inf" }
        ));
    }
    let a = f.abs();
    if a != 0.0 && !(1e-6..1e21).contains(&a) {
        let e = format!("{:e}", f);
        let (mant, exp) = e.split_once('e').unwrap_or((&e, "0"));
        return Ok(if let Some(neg) = exp.strip_prefix('-') {
            format!("{}e-{}", mant, neg)
        } else {
            format!("{}e+{}", mant, exp)
        });
    }
    Ok(format!("{}", f))
}

/// Go's `strconv.Quote`, for the ASCII cases that matter in error messages.
fn go_quote(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                out.push_str(&format!("\\x{:02x}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Go's `strconv.Atoi`, with its error text.
fn go_atoi(s: &str) -> Result<i64, String> {
    s.parse::<i64>().map_err(|e| {
        let why = match e.kind() {
            std::num::IntErrorKind::PosOverflow | std::num::IntErrorKind::NegOverflow => {
                "value out of range"
            }
            _ => "invalid syntax",
        };
        format!("strconv.Atoi: parsing {}: {}", go_quote(s), why)
    })
}

// ---------------------------------------------------------------------------------------------
// evanphx/json-patch v4.12.0.

const MISSING: &str = "missing value";
const INVALID_INDEX: &str = "invalid index referenced";

fn invalid_index(idx: i64) -> String {
    format!("Unable to access invalid index: {}: {}", idx, INVALID_INDEX)
}

/// RFC 6901 unescaping.
fn decode_key(k: &str) -> std::borrow::Cow<'_, str> {
    if !k.contains('~') {
        return k.into();
    }
    let mut out = String::with_capacity(k.len());
    let mut it = k.chars().peekable();
    while let Some(c) = it.next() {
        if c == '~' {
            match it.peek() {
                Some('1') => {
                    it.next();
                    out.push('/');
                    continue;
                }
                Some('0') => {
                    it.next();
                    out.push('~');
                    continue;
                }
                _ => {}
            }
        }
        out.push(c);
    }
    out.into()
}

/// `findObject`: the container holding the last token of the pointer, and that token.
fn find_object<'a>(doc: &'a mut J, path: &str) -> Option<(&'a mut J, String)> {
    let split: Vec<&str> = path.split('/').collect();
    if split.len() < 2 {
        return None;
    }
    let mut cur = doc;
    for part in &split[1..split.len() - 1] {
        let key = decode_key(part);
        let next = match cur {
            J::Obj(m) => m.get_mut(&*key)?,
            J::Arr(a) => {
                let idx = array_index(a.len(), &key).ok()?;
                &mut a[idx]
            }
            _ => return None,
        };
        if !matches!(next, J::Arr(_) | J::Obj(_)) {
            return None;
        }
        cur = next;
    }
    Some((cur, decode_key(split[split.len() - 1]).into_owned()))
}

/// An existing index of an array (`partialArray.get`): negative counts from the end.
fn array_index(len: usize, key: &str) -> Result<usize, String> {
    let idx = go_atoi(key)?;
    let mut i = idx;
    if i < 0 {
        if i < -(len as i64) {
            return Err(invalid_index(idx));
        }
        i += len as i64;
    }
    if i >= len as i64 {
        return Err(invalid_index(idx));
    }
    Ok(i as usize)
}

/// `container.get`: the value (`None` for a missing key or a null).
fn con_get(con: &J, key: &str) -> Result<Option<J>, String> {
    match con {
        J::Obj(m) => Ok(m.get(key).filter(|v| **v != J::Null).cloned()),
        J::Arr(a) => {
            let i = array_index(a.len(), key)?;
            Ok(Some(a[i].clone()).filter(|v| *v != J::Null))
        }
        _ => Ok(None),
    }
}

fn con_add(con: &mut J, key: &str, val: J) -> Result<(), String> {
    match con {
        J::Obj(m) => {
            m.insert(key.to_string(), val);
            Ok(())
        }
        J::Arr(a) => {
            if key == "-" {
                a.push(val);
                return Ok(());
            }
            let idx = go_atoi(key)
                .map_err(|e| format!("value was not a proper array index: '{}': {}", key, e))?;
            let size = a.len() as i64 + 1;
            if idx >= size {
                return Err(invalid_index(idx));
            }
            let mut i = idx;
            if i < 0 {
                if i < -size {
                    return Err(invalid_index(idx));
                }
                i += size;
            }
            a.insert(i as usize, val);
            Ok(())
        }
        _ => Ok(()),
    }
}

/// `set` (replace only): the key exists.
fn con_set(con: &mut J, key: &str, val: J) -> Result<(), String> {
    match con {
        J::Obj(m) => {
            m.insert(key.to_string(), val);
            Ok(())
        }
        J::Arr(a) => {
            let i = array_index(a.len(), key)?;
            a[i] = val;
            Ok(())
        }
        _ => Ok(()),
    }
}

fn con_remove(con: &mut J, key: &str) -> Result<(), String> {
    match con {
        J::Obj(m) => match m.remove(key) {
            Some(_) => Ok(()),
            None => Err(format!(
                "Unable to remove nonexistent key: {}: {}",
                key, MISSING
            )),
        },
        J::Arr(a) => {
            let idx = go_atoi(key)?;
            let len = a.len() as i64;
            if idx >= len {
                return Err(invalid_index(idx));
            }
            let mut i = idx;
            if i < 0 {
                if i < -len {
                    return Err(invalid_index(idx));
                }
                i += len;
            }
            a.remove(i as usize);
            Ok(())
        }
        _ => Ok(()),
    }
}

/// A string field of an operation: `Err(None)` when absent or null, `Err(Some(json error))`
/// when not a string.
fn op_str(op: &BTreeMap<String, J>, name: &str) -> Result<String, Option<String>> {
    match op.get(name) {
        None | Some(J::Null) => Err(None),
        Some(J::Str(s, _)) => Ok(s.clone()),
        Some(other) => Err(Some(format!(
            "json: cannot unmarshal {} into Go value of type string",
            json_type(other)
        ))),
    }
}

fn op_path(op: &BTreeMap<String, J>) -> Result<String, String> {
    op_str(op, "path")
        .map_err(|e| e.unwrap_or_else(|| format!("operation missing path field: {}", MISSING)))
}

fn op_from(op: &BTreeMap<String, J>) -> Result<String, String> {
    op_str(op, "from")
        .map_err(|e| e.unwrap_or_else(|| format!("operation, missing from field: {}", MISSING)))
}

/// The operation's value: `None` when absent (`add` then writes null).
fn op_value(op: &BTreeMap<String, J>) -> Option<J> {
    op.get("value").cloned()
}

/// `lazyNode.equal`: objects and arrays structurally, scalars by JSON text.
fn json_equal(a: &J, b: &J) -> bool {
    match (a, b) {
        (J::Obj(x), J::Obj(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| json_equal(v, w)))
        }
        (J::Arr(x), J::Arr(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(v, w)| json_equal(v, w))
        }
        (J::Obj(_) | J::Arr(_), _) | (_, J::Obj(_) | J::Arr(_)) => false,
        (J::Null, J::Null) => true,
        (J::Null, _) | (_, J::Null) => false,
        _ => a.raw() == b.raw(),
    }
}

fn apply_op(doc: &mut J, op: &BTreeMap<String, J>) -> Result<(), String> {
    let kind = match op.get("op") {
        Some(J::Str(s, _)) => s.as_str(),
        _ => "unknown",
    };
    match kind {
        "add" => {
            let path = op_path(op)
                .map_err(|_| format!("add operation failed to decode path: {}", MISSING))?;
            let Some((con, key)) = find_object(doc, &path) else {
                return Err(format!(
                    "add operation does not apply: doc is missing path: {}: {}",
                    go_quote(&path),
                    MISSING
                ));
            };
            con_add(con, &key, op_value(op).unwrap_or(J::Null))
                .map_err(|e| format!("error in add for path: '{}': {}", path, e))
        }
        "remove" => {
            let path = op_path(op)
                .map_err(|_| format!("remove operation failed to decode path: {}", MISSING))?;
            let Some((con, key)) = find_object(doc, &path) else {
                return Err(format!(
                    "remove operation does not apply: doc is missing path: {}: {}",
                    go_quote(&path),
                    MISSING
                ));
            };
            con_remove(con, &key)
                .map_err(|e| format!("error in remove for path: '{}': {}", path, e))
        }
        "replace" => {
            let path = op_path(op)
                .map_err(|e| format!("replace operation failed to decode path: {}", e))?;
            if path.is_empty() {
                // The whole document, when the value is an object or an array (anything else
                // is silently ignored: the library wraps a nil error).
                if let Some(v @ (J::Obj(_) | J::Arr(_))) = op_value(op) {
                    *doc = v;
                }
                return Ok(());
            }
            let Some((con, key)) = find_object(doc, &path) else {
                return Err(format!(
                    "replace operation does not apply: doc is missing path: {}: {}",
                    path, MISSING
                ));
            };
            if con_get(con, &key).is_err() {
                return Err(format!(
                    "replace operation does not apply: doc is missing key: {}: {}",
                    path, MISSING
                ));
            }
            con_set(con, &key, op_value(op).unwrap_or(J::Null))
                .map_err(|e| format!("error in remove for path: '{}': {}", path, e))
        }
        "move" => {
            let from =
                op_from(op).map_err(|e| format!("move operation failed to decode from: {}", e))?;
            let Some((con, key)) = find_object(doc, &from) else {
                return Err(format!(
                    "move operation does not apply: doc is missing from path: {}: {}",
                    from, MISSING
                ));
            };
            let val = con_get(con, &key)
                .map_err(|e| format!("error in move for path: '{}': {}", key, e))?;
            con_remove(con, &key)
                .map_err(|e| format!("error in move for path: '{}': {}", key, e))?;
            let path =
                op_path(op).map_err(|e| format!("move operation failed to decode path: {}", e))?;
            let Some((con, key)) = find_object(doc, &path) else {
                return Err(format!(
                    "move operation does not apply: doc is missing destination path: {}: {}",
                    path, MISSING
                ));
            };
            con_add(con, &key, val.unwrap_or(J::Null))
                .map_err(|e| format!("error in move for path: '{}': {}", path, e))
        }
        "test" => {
            let path =
                op_path(op).map_err(|e| format!("test operation failed to decode path: {}", e))?;
            let failed = || format!("testing value {} failed: test failed", path);
            if path.is_empty() {
                return match op_value(op) {
                    Some(v) if json_equal(doc, &v) => Ok(()),
                    _ => Err(failed()),
                };
            }
            let Some((con, key)) = find_object(doc, &path) else {
                return Err(format!(
                    "test operation does not apply: is missing path: {}: {}",
                    path, MISSING
                ));
            };
            let val = con_get(con, &key)
                .map_err(|e| format!("error in test for path: '{}': {}", path, e))?;
            match (val, op_value(op)) {
                (None, Some(J::Null)) => Ok(()),
                (Some(v), Some(w)) if json_equal(&v, &w) => Ok(()),
                _ => Err(failed()),
            }
        }
        "copy" => {
            let from =
                op_from(op).map_err(|e| format!("copy operation failed to decode from: {}", e))?;
            let Some((con, key)) = find_object(doc, &from) else {
                return Err(format!(
                    "copy operation does not apply: doc is missing from path: {}: {}",
                    from, MISSING
                ));
            };
            let val = con_get(con, &key)
                .map_err(|e| format!("error in copy for from: '{}': {}", from, e))?;
            let path = op_path(op)
                .map_err(|_| format!("copy operation failed to decode path: {}", MISSING))?;
            let Some((con, key)) = find_object(doc, &path) else {
                return Err(format!(
                    "copy operation does not apply: doc is missing destination path: {}: {}",
                    path, MISSING
                ));
            };
            con_add(con, &key, val.unwrap_or(J::Null))
                .map_err(|e| format!("error while adding value during copy: {}", e))
        }
        other => Err(format!("Unexpected kind: {}", other)),
    }
}

#[cfg(test)]
#[path = "json6902_tests.rs"]
mod tests;
