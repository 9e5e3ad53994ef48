//! Legacy `vars` (kustomize v5.5.0: api/internal/accumulator/resaccumulator.go MergeVars,
//! ResolveVars, refvartransformer.go; api/filters/refvar; api/types/var.go).
//!
//! A var names a field of one resource (`objref`, `fieldref.fieldpath`, by default
//! `metadata.name`). Each kustomization, after its transformers ran, merges its `vars:` into the
//! accumulator ([`merge_vars`]): the resource the var points at (matched by its current or any
//! previous id, so the raw name before prefixes works) is marked with the var's name, and the
//! var joins the accumulator's set, a name given twice being an error. Sub-kustomizations'
//! sets are merged into their parent's the same way ([`merge_var_sets`]). At the root, after the
//! name-reference fix-up, [`resolve_vars`] reads each var's value from the marked resource and
//! substitutes `$(NAME)` in the `varReference` fields (`$$` writes a `$`). A field that is
//! exactly `$(NAME)` takes the value's type (a number stays a number); elsewhere the value is
//! formatted into the string.

use crate::error::{err, Error, Result};
use crate::fieldspec::{walk, Config};
use crate::kustomization::Var;
use crate::resource::{Gvk, ResId, Resource, ResourceList, DEFAULT_NAMESPACE};
use crate::yaml::resolve::{go_format_float_g, resolve, Value};
use crate::yaml::{Node, Scalar, Style};
use std::collections::{BTreeMap, BTreeSet};

/// kustomize's `DefaultReplacementFieldPath`.
pub const DEFAULT_FIELD_PATH: &str = "metadata.name";

/// The gvk of a var's objref after kustomize's `Target.GVK()`: `apiVersion`, when set and of
/// one or two parts, overrides group and version.
fn target_gvk(v: &Var) -> Gvk {
    let t = &v.objref;
    let mut g = Gvk { group: t.group.clone(), version: t.version.clone(), kind: t.kind.clone() };
    if !t.api_version.is_empty() {
        let parts: Vec<&str> = t.api_version.split('/').collect();
        match parts.len() {
            2 => {
                g.group = parts[0].to_string();
                g.version = parts[1].to_string();
            }
            1 => g.version = parts[0].to_string(),
            _ => {}
        }
    }
    g
}

/// kustomize's `Var.Defaulting`: field path defaulted, group and version from `apiVersion`.
fn defaulted(v: &Var) -> Var {
    let mut d = v.clone();
    if d.fieldref.field_path.is_empty() {
        d.fieldref.field_path = DEFAULT_FIELD_PATH.to_string();
    }
    let g = target_gvk(v);
    d.objref.group = g.group;
    d.objref.version = g.version;
    d
}

/// A var as Go's `%v` prints it: `{NAME Kind.version.group {fieldPath}}` (the objref prints as
/// its embedded Gvk, which is a Stringer).
fn var_string(v: &Var, gvk: &Gvk) -> String {
    format!("{{{} {} {{{}}}}}", v.name, gvk, v.fieldref.field_path)
}

/// A var as stored (its objref's group/version fields, no apiVersion parsing).
fn stored_var_string(v: &Var) -> String {
    let g = Gvk { group: v.objref.group.clone(), version: v.objref.version.clone(), kind: v.objref.kind.clone() };
    var_string(v, &g)
}

/// The namespace kustomize compares for an id whose gvk does not know it is cluster-scoped
/// (an objref's, a previous id's): `default` for an empty one.
fn plain_effective_ns(ns: &str) -> &str {
    if ns.is_empty() || ns == DEFAULT_NAMESPACE {
        DEFAULT_NAMESPACE
    } else {
        ns
    }
}

/// Whether `r` has, or had, the id a var's objref names (kustomize's
/// `GetMatchingResourcesByAnyId` with `GvknEquals`, or `Equals` when the objref has a namespace).
fn matches_any_id(r: &Resource, gvk: &Gvk, name: &str, namespace: &str) -> bool {
    let with_ns = !namespace.is_empty();
    let target_ns = plain_effective_ns(namespace);
    let cur = r.cur_id();
    // Previous ids carry the current group and version (kustomize rebuilds them from the
    // current apiVersion) and a gvk that does not know whether it is cluster-scoped.
    for p in &r.prev_ids {
        let pg = Gvk { group: cur.gvk.group.clone(), version: cur.gvk.version.clone(), kind: p.gvk.kind.clone() };
        if p.name == name && pg == *gvk && (!with_ns || plain_effective_ns(&p.namespace) == target_ns) {
            return true;
        }
    }
    cur.name == name && cur.gvk == *gvk && (!with_ns || cur.effective_namespace() == target_ns)
}

/// kustomize's `ResAccumulator.MergeVars`: marks the resource each of a kustomization's vars
/// (`incoming`) refers to, then adds the vars (defaulted) to `acc_vars`. Errors: a var matching
/// several resources, a name already in `acc_vars` or given twice.
pub fn merge_vars(acc_vars: &mut Vec<Var>, incoming: &[Var], list: &mut ResourceList) -> Result<()> {
    merge_vars_inner(acc_vars, incoming, list).map_err(|e| {
        let listed: Vec<String> = incoming.iter().map(stored_var_string).collect();
        Error::new(e.kind(), format!("merging vars [{}]: {}", listed.join(" "), e.message()))
    })
}

fn merge_vars_inner(acc_vars: &mut Vec<Var>, incoming: &[Var], list: &mut ResourceList) -> Result<()> {
    for v in incoming {
        let gvk = target_gvk(v);
        // Only resources with the var's name as current or a previous name can match (the
        // list's name index, in list order).
        let matched: Vec<usize> = list
            .find_by_name(&v.objref.name)
            .into_iter()
            .filter(|&i| list.get(i).is_some_and(|r| matches_any_id(r, &gvk, &v.objref.name, &v.objref.namespace)))
            .collect();
        if matched.len() > 1 {
            return Err(err!(
                IdConflict,
                "found {} resId matches for var {} (unable to disambiguate)",
                matched.len(),
                var_string(v, &gvk)
            ));
        }
        if let Some(&i) = matched.first() {
            list.modify(i, |r| r.ref_var_names.push(v.name.clone()));
        }
    }
    for v in incoming {
        add_var(acc_vars, defaulted(v))?;
    }
    Ok(())
}

fn add_var(acc_vars: &mut Vec<Var>, v: Var) -> Result<()> {
    if acc_vars.iter().any(|x| x.name == v.name) {
        return Err(err!(Kustomization, "var '{}' already encountered", v.name));
    }
    acc_vars.push(v);
    Ok(())
}

/// kustomize's `VarSet.MergeSet` (used when a sub-kustomization's accumulator is merged into its
/// parent's): adds `other` to `acc_vars`, failing on a name already present.
pub fn merge_var_sets(acc_vars: &mut Vec<Var>, other: &[Var]) -> Result<()> {
    for v in other {
        add_var(acc_vars, v.clone())?;
    }
    Ok(())
}

/// A var's value as kyaml's `GetFieldValue` returns it.
#[derive(Clone, Debug, PartialEq)]
enum VarValue {
    Str(String),
    Int(i64),
    Float(f64),
    Bool(bool),
    /// A mapping or sequence: kustomize cannot substitute it (the var stays unreplaced).
    Complex,
}

impl VarValue {
    /// Go's `fmt.Sprintf("%v", v)`.
    fn format(&self) -> String {
        match self {
            VarValue::Str(s) => s.clone(),
            VarValue::Int(i) => i.to_string(),
            VarValue::Float(f) => go_format_float_g(*f),
            VarValue::Bool(b) => b.to_string(),
            VarValue::Complex => String::new(),
        }
    }
}

/// kyaml's `SmarterPathSplitter(path, ".")`: splits on `.` (`\.` escapes it), keeping a
/// bracketed `[a=b.c]` together; a bracketed part without `=` loses its brackets.
fn smarter_split(path: &str) -> Vec<String> {
    let mut ps: Vec<&str> = path.split('.').collect();
    if ps.len() > 1 && ps[0].is_empty() {
        ps.remove(0);
    }
    let mut split: Vec<String> = Vec::new();
    for p in ps {
        match split.last_mut() {
            Some(last) if last.ends_with('\\') => {
                last.pop();
                last.push('.');
                last.push_str(p);
            }
            _ => split.push(p.to_string()),
        }
    }
    let mut out = Vec::new();
    let mut i = 0;
    while i < split.len() {
        let elem = &split[i];
        if elem.starts_with('[') && !elem.ends_with(']') {
            let mut bracketed = vec![elem.clone()];
            while i < split.len() - 1 {
                i += 1;
                bracketed.push(split[i].clone());
                if split[i].ends_with(']') {
                    break;
                }
            }
            let s = bracketed.join(".");
            if s.contains('=') {
                out.push(s);
            } else {
                out.push(s.trim_matches(|c| c == '[' || c == ']').to_string());
            }
        } else {
            out.push(elem.clone());
        }
        i += 1;
    }
    out
}

/// kyaml's `convertSliceIndex`: `ports[0]` becomes `ports`, `0`.
fn convert_slice_index(fields: Vec<String>) -> Vec<String> {
    let mut out = Vec::new();
    for s in fields {
        if let Some(body) = s.strip_suffix(']') {
            if let Some(open) = body.rfind('[') {
                let idx = &body[open + 1..];
                if !idx.is_empty() && idx.bytes().all(|b| b.is_ascii_digit()) {
                    if open > 0 {
                        out.push(body[..open].to_string());
                    }
                    out.push(idx.to_string());
                    continue;
                }
            }
        }
        out.push(s);
    }
    out
}

/// The text kyaml compares when matching a sequence element or field value (`Node.Value`:
/// empty for mappings and sequences).
fn node_text(n: &Node) -> &str {
    match n {
        Node::Scalar(s) => &s.value,
        _ => "",
    }
}

fn is_null(n: &Node) -> bool {
    matches!(n, Node::Scalar(s) if s.is_null())
}

/// kyaml's `PathGetter` (no creation) over already split fields. `Err(())` for kyaml's errors
/// (wrong node kinds, malformed parts); `Ok(None)` for a missing field.
fn lookup<'a>(node: &'a Node, fields: &[String]) -> std::result::Result<Option<&'a Node>, ()> {
    let mut cur = node;
    for raw in fields {
        let part = raw.trim();
        if part.is_empty() {
            continue;
        }
        let next: Option<&Node> = if let Ok(idx) = part.parse::<i64>() {
            if idx < 0 {
                return Err(());
            }
            match cur {
                Node::Seq(items) => items.get(idx as usize),
                _ if is_null(cur) => None,
                _ => return Err(()),
            }
        } else if part == "-" {
            match cur {
                Node::Seq(items) if !items.is_empty() => items.last(),
                _ => return Err(()),
            }
        } else if part == "*" {
            return Err(());
        } else if part.starts_with('[') && part.ends_with(']') && part.len() >= 2 {
            let inner = &part[1..part.len() - 1];
            let (key, value) = inner.split_once('=').ok_or(())?;
            match cur {
                Node::Seq(items) => {
                    if key.is_empty() {
                        items.iter().find(|it| node_text(it) == value)
                    } else {
                        items.iter().find(|it| match it {
                            Node::Map(m) => m.get(key).is_some_and(|f| node_text(f) == value),
                            _ => false,
                        })
                    }
                }
                _ if is_null(cur) => None,
                _ => return Err(()),
            }
        } else {
            match cur {
                Node::Map(m) => m.get(part),
                _ if is_null(cur) => None,
                _ => return Err(()),
            }
        };
        match next {
            Some(n) => cur = n,
            None => return Ok(None),
        }
    }
    Ok(Some(cur))
}

/// Go's `strconv.ParseBool`.
fn go_parse_bool(s: &str) -> Option<bool> {
    match s {
        "1" | "t" | "T" | "TRUE" | "true" | "True" => Some(true),
        "0" | "f" | "F" | "FALSE" | "false" | "False" => Some(false),
        _ => None,
    }
}

/// kyaml's `RNode.GetFieldValue`: the typed value at a dotted path (`a.b[0].c`, `a.[k=v].c`).
/// Numbers are re-read from their source text as Go does (`strconv.Atoi`, `ParseFloat`), so
/// `0644` reads as 644 and `1_000` fails. `None` when the field is missing or unreadable.
fn get_field_value(node: &Node, path: &str) -> Option<VarValue> {
    let fields = convert_slice_index(smarter_split(path));
    let found = lookup(node, &fields).ok()??;
    let s = match found {
        Node::Map(_) | Node::Seq(_) => return Some(VarValue::Complex),
        Node::Scalar(s) => s,
    };
    Some(match resolve(s) {
        Value::Str(v) => VarValue::Str(v.to_string()),
        Value::Int(_) | Value::Uint(_) => VarValue::Int(s.value.parse::<i64>().ok()?),
        Value::Float(_) => VarValue::Float(s.value.parse::<f64>().ok()?),
        Value::Bool(_) => VarValue::Bool(go_parse_bool(&s.value)?),
        // Null, timestamps: the text as written.
        Value::Null | Value::Time(_) => VarValue::Str(s.value.clone()),
    })
}

/// kustomize's `findVarValueFromResources`: the value in the first resource marked with the
/// var's name.
fn find_var_value(list: &ResourceList, v: &Var) -> Result<VarValue> {
    for r in list.iter() {
        if r.ref_var_names.iter().any(|n| *n == v.name) {
            return get_field_value(&r.node, &v.fieldref.field_path).ok_or_else(|| {
                err!(Transform, "field specified in var '{}' not found in corresponding resource", stored_var_string(v))
            });
        }
    }
    Err(err!(IdConflict, "var '{}' cannot be mapped to a field in the set of known resources", stored_var_string(v)))
}

/// The var values and which of them got used (refvar's `MakePrimitiveReplacer`).
struct Replacer<'a> {
    values: &'a BTreeMap<String, VarValue>,
    used: BTreeSet<String>,
}

impl Replacer<'_> {
    /// The value for `$(key)`, or `$(key)` itself for an unknown var or a non-primitive value.
    fn map(&mut self, key: &str) -> VarValue {
        match self.values.get(key) {
            Some(VarValue::Complex) | None => VarValue::Str(format!("$({})", key)),
            Some(v) => {
                self.used.insert(key.to_string());
                v.clone()
            }
        }
    }

    /// refvar's `DoReplacements`: `$(NAME)` replaced, `$$` is a `$`, anything else after a `$`
    /// kept. A string that is exactly one `$(NAME)` takes the value's type.
    fn replace(&mut self, input: &str) -> VarValue {
        let b = input.as_bytes();
        let mut out: Vec<u8> = Vec::with_capacity(b.len());
        let mut checkpoint = 0;
        let mut cursor = 0;
        while cursor < b.len() {
            if b[cursor] == b'$' && cursor + 1 < b.len() {
                out.extend_from_slice(&b[checkpoint..cursor]);
                let rest = &b[cursor + 1..];
                let advance;
                match rest[0] {
                    b'$' => {
                        out.push(b'$');
                        advance = 1;
                    }
                    b'(' => match rest.iter().skip(1).position(|&c| c == b')') {
                        Some(p) => {
                            let close = p + 1;
                            let name = String::from_utf8_lossy(&rest[1..close]).into_owned();
                            let mapped = self.map(&name);
                            if input.len() == name.len() + 3 {
                                // The whole string is this reference: keep the value's type.
                                return mapped;
                            }
                            out.extend_from_slice(mapped.format().as_bytes());
                            advance = close + 1;
                        }
                        None => {
                            out.extend_from_slice(b"$(");
                            advance = 1;
                        }
                    },
                    c => {
                        // Go appends `string(byte)`: the byte as a rune.
                        out.push(b'$');
                        let mut buf = [0u8; 4];
                        out.extend_from_slice(char::from(c).encode_utf8(&mut buf).as_bytes());
                        advance = 1;
                    }
                }
                cursor += advance;
                checkpoint = cursor + 1;
            }
            cursor += 1;
        }
        if checkpoint < b.len() {
            out.extend_from_slice(&b[checkpoint..]);
        }
        VarValue::Str(match String::from_utf8(out) {
            Ok(s) => s,
            Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
        })
    }
}

/// Whether kyaml sees this scalar as a string (`IsYNodeString`: tag `!!str` or none, after
/// go-yaml v3 resolved the tag of an untagged scalar).
fn is_yaml_string(s: &Scalar) -> bool {
    match s.tag.as_deref() {
        None | Some("!") => s.is_string(),
        Some("!!str") => true,
        _ => false,
    }
}

/// refvar's `updateNodeValue`.
fn value_node(v: VarValue) -> Node {
    let tagged = |value: String, tag: &str| Node::Scalar(Scalar { value, style: Style::Plain, tag: Some(tag.into()) });
    match v {
        VarValue::Str(s) => Node::string(s),
        VarValue::Int(i) => tagged(i.to_string(), "!!int"),
        VarValue::Bool(b) => tagged(b.to_string(), "!!bool"),
        // strconv.FormatFloat(f, 'f', -1, 64)
        VarValue::Float(f) => tagged(format!("{}", f), "!!float"),
        VarValue::Complex => Node::null(),
    }
}

/// Substitutes in one string scalar; leaves the node alone when nothing changes.
fn replace_scalar(n: &mut Node, rep: &mut Replacer) {
    let Node::Scalar(s) = n else { return };
    if !s.value.contains('$') {
        return;
    }
    let v = rep.replace(&s.value);
    if v == VarValue::Str(s.value.clone()) {
        return;
    }
    *n = value_node(v);
}

/// refvar's `Filter.set` on the node a varReference field spec found.
fn set(node: &mut Node, rep: &mut Replacer) -> Result<()> {
    match node {
        Node::Scalar(s) => {
            if s.is_null() || !is_yaml_string(s) {
                return Ok(());
            }
            replace_scalar(node, rep);
        }
        Node::Map(m) => {
            for e in m.entries.iter_mut() {
                if matches!(&e.value, Node::Scalar(s) if is_yaml_string(s) && !s.is_null()) {
                    replace_scalar(&mut e.value, rep);
                }
            }
        }
        Node::Seq(items) => {
            for it in items.iter_mut() {
                if !matches!(it, Node::Scalar(s) if is_yaml_string(s) && !s.is_null()) {
                    return Err(err!(Transform, "invalid value type expect a string"));
                }
                replace_scalar(it, rep);
            }
        }
    }
    Ok(())
}

/// kustomize's `ResAccumulator.ResolveVars`: computes every var's value (failing when a var's
/// resource or field cannot be found) and substitutes `$(NAME)` in the `varReference` fields of
/// `config`. Returns the warning kustomize logs for vars never used, if any.
pub fn resolve_vars_with_warnings(list: &mut ResourceList, vars: &[Var], config: &Config) -> Result<Option<String>> {
    let mut sorted: Vec<&Var> = vars.iter().collect();
    sorted.sort_by(|a, b| a.name.cmp(&b.name));
    let mut values = BTreeMap::new();
    for v in sorted {
        let val = find_var_value(list, v)?;
        values.insert(v.name.clone(), val);
    }
    if values.is_empty() {
        return Ok(None);
    }
    let mut rep = Replacer { values: &values, used: BTreeSet::new() };
    let specs: Vec<(Vec<String>, &crate::fieldspec::FieldSpec)> =
        config.var_reference.iter().map(|fs| (fs.segments(), fs)).collect();
    for r in list.iter_mut() {
        let gvk = r.gvk();
        let mut id: Option<ResId> = None;
        for (segs, fs) in &specs {
            if !fs.applies_to(&gvk) {
                continue;
            }
            let res = walk(&mut r.node, segs, None, &mut |n| set(n, &mut rep));
            if let Err(e) = res {
                let id = id.get_or_insert_with(|| r.cur_id());
                return Err(Error::new(
                    e.kind(),
                    format!("considering field '{}' of object {}: {}", fs.path, id, e.message()),
                ));
            }
        }
    }
    let unused: Vec<&str> = values.keys().filter(|k| !rep.used.contains(*k)).map(|k| k.as_str()).collect();
    if unused.is_empty() {
        Ok(None)
    } else {
        Ok(Some(format!("well-defined vars that were never replaced: {}", unused.join(","))))
    }
}

/// [`resolve_vars_with_warnings`] without the warning.
pub fn resolve_vars(list: &mut ResourceList, vars: &[Var], config: &Config) -> Result<()> {
    resolve_vars_with_warnings(list, vars, config).map(|_| ())
}

#[cfg(test)]
mod tests;
