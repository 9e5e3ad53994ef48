//! kyaml's field paths as replacements use them: `SmarterPathSplitter`, `PathGetter` (the
//! source lookup: field names, `[name=value]` list entries matched exactly, indexes, `-`) and
//! `PathMatcher` (the target walk: `[name=regex]` list entries matched by an unanchored regular
//! expression, `*` wildcards, indexes, missing parts created on request).
//!
//! kyaml works on go-yaml v3 nodes, whose scalars carry a resolved tag. Our scalars keep their
//! source text and explicit tag only, so [`go_tag`] recomputes the tag. Scalars that kyaml
//! creates itself have no tag at all (they are typed by their value when written); we mark them
//! with the non-specific tag `!` ([`CREATED_TAG`]), which the emitter types like an untagged
//! plain scalar.

use crate::error::{err, Error, Result};
use crate::yaml::resolve::{self, Value};
use crate::yaml::{Node, Scalar, Style};
use regex_lite::Regex;

/// The tag of scalars kyaml creates (go-yaml v3 tag ""): typed by their value on output.
pub(crate) const CREATED_TAG: &str = "!";

/// A node kind, for the `create` option.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    Scalar,
    Seq,
    Map,
}

impl Kind {
    pub(crate) fn of(n: &Node) -> Kind {
        match n {
            Node::Scalar(_) => Kind::Scalar,
            Node::Seq(_) => Kind::Seq,
            Node::Map(_) => Kind::Map,
        }
    }
    /// An empty node of this kind, as kyaml creates it (`&yaml.Node{Kind: kind}`).
    fn make(self) -> Node {
        match self {
            Kind::Scalar => created_scalar(""),
            Kind::Seq => Node::Seq(Vec::new()),
            Kind::Map => Node::map(),
        }
    }
}

/// A scalar as kyaml's `NewScalarRNode` makes it: no tag, no style.
pub(crate) fn created_scalar(value: &str) -> Node {
    Node::Scalar(Scalar { value: value.to_string(), style: Style::Plain, tag: Some(CREATED_TAG.into()) })
}

/// go-yaml v3's tag for a plain scalar with this text.
pub(crate) fn resolved_tag(v: &str) -> &'static str {
    match resolve::resolve(&Scalar::plain(v)) {
        Value::Null => "!!null",
        Value::Bool(_) => "!!bool",
        Value::Int(_) | Value::Uint(_) => "!!int",
        Value::Float(_) => "!!float",
        Value::Str(_) => "!!str",
        Value::Time(_) => "!!timestamp",
    }
}

/// The go-yaml v3 tag of a scalar as kyaml sees it: "" for scalars kyaml created, the explicit
/// tag, `!!str` for quoted and block scalars, the resolved tag of plain ones.
pub(crate) fn go_tag(s: &Scalar) -> &str {
    match s.tag.as_deref() {
        Some(CREATED_TAG) => "",
        Some(t) => t,
        None if s.style != Style::Plain => "!!str",
        None => resolved_tag(&s.value),
    }
}

/// kyaml's `IsMissingOrNull` for a present node: a scalar tagged `!!null`.
pub(crate) fn is_go_null(n: &Node) -> bool {
    matches!(n, Node::Scalar(s) if go_tag(s) == "!!null")
}

/// kyaml's `GetValue`: a scalar's text, "" for null and for collections.
pub(crate) fn go_value(n: &Node) -> &str {
    match n {
        Node::Scalar(s) if !is_go_null(n) => &s.value,
        _ => "",
    }
}

/// kyaml's `PathSplitter`: splits on `delim`, a `\` before it escapes it, a leading `delim` is
/// dropped.
pub(crate) fn path_split(path: &str, delim: &str) -> Vec<String> {
    let mut ps: Vec<&str> = path.split(delim).collect();
    if ps.len() > 1 && ps[0].is_empty() {
        ps.remove(0);
    }
    let mut res: Vec<String> = vec![ps[0].to_string()];
    for p in &ps[1..] {
        let last = res.last_mut().expect("never empty");
        if last.ends_with('\\') {
            last.pop();
            last.push_str(delim);
            last.push_str(p);
        } else {
            res.push(p.to_string());
        }
    }
    res
}

/// kyaml's `SmarterPathSplitter`: like [`path_split`], keeping a bracketed part whole
/// (`[name=a.b]` stays as it is, `[a.b]` loses its brackets).
pub(crate) fn smarter_path_split(path: &str, delim: &str) -> Vec<String> {
    let split = path_split(path, delim);
    let mut out = Vec::with_capacity(split.len());
    let mut i = 0;
    while i < split.len() {
        let elem = &split[i];
        if elem.starts_with('[') && !elem.ends_with(']') {
            let mut bracketed = vec![elem.as_str()];
            while i < split.len() - 1 {
                i += 1;
                bracketed.push(&split[i]);
                if split[i].ends_with(']') {
                    break;
                }
            }
            let s = bracketed.join(delim);
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

/// Go's `strconv.Atoi`.
fn atoi(s: &str) -> Option<i64> {
    let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.strip_prefix('+').unwrap_or(s).parse::<i64>().ok()
}

fn is_list_index(p: &str) -> bool {
    p.starts_with('[') && p.ends_with(']')
}

fn is_idx_number(p: &str) -> bool {
    atoi(p).is_some_and(|i| i >= 0)
}

/// kyaml's `SplitIndexNameValue`: `[name=value]` -> (`name`, `value`).
fn split_index_name_value(p: &str) -> Result<(&str, &str)> {
    let elem = p.strip_suffix(']').unwrap_or(p);
    let elem = elem.strip_prefix('[').unwrap_or(elem);
    elem.split_once('=')
        .ok_or_else(|| err!(Transform, "list path element must contain fieldName=fieldValue for element to match"))
}

fn kind_string(n: &Node) -> &'static str {
    match n {
        Node::Scalar(_) => "ScalarNode",
        Node::Seq(_) => "SequenceNode",
        Node::Map(_) => "MappingNode",
    }
}

/// kyaml's `InvalidNodeKindError`.
fn wrong_kind(expected: &str, n: &Node) -> Error {
    err!(
        Transform,
        "wrong node kind: expected {} but got {}: node contents:\n{}",
        expected,
        kind_string(n),
        node_text(n)
    )
}

/// The elements of a sequence (`RNode.Elements`): none for null, an error for other kinds.
fn elements(n: &Node) -> Result<&[Node]> {
    match n {
        Node::Seq(items) => Ok(items),
        _ if is_go_null(n) => Ok(&[]),
        _ => Err(wrong_kind("SequenceNode", n)),
    }
}

/// A node as kyaml's `RNode.String` writes it, trimmed (close to go-yaml v3's output for
/// scalars; collections are written by our emitter).
pub(crate) fn node_text(n: &Node) -> String {
    match n {
        Node::Scalar(s) => {
            let body = match s.style {
                Style::Plain => s.value.clone(),
                Style::SingleQuoted => format!("'{}'", s.value.replace('\'', "''")),
                Style::DoubleQuoted => double_quote(&s.value),
                Style::Literal | Style::Folded => {
                    let ind = if s.style == Style::Literal { "|" } else { ">" };
                    let chomp = if s.value.ends_with('\n') { "" } else { "-" };
                    let lines: Vec<String> = s.value.trim_end_matches('\n').split('\n').map(|l| format!("  {}", l)).collect();
                    format!("{}{}\n{}", ind, chomp, lines.join("\n"))
                }
            };
            match s.tag.as_deref() {
                Some(t) if t != CREATED_TAG => format!("{} {}", t, body),
                _ => body,
            }
        }
        _ => crate::yaml::emit::to_string(n).trim().to_string(),
    }
}

fn double_quote(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\x{:02X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// kyaml's `FieldMatcher{Name}` (`yaml.Get`): the value of a mapping key; nothing on null.
fn get_field<'a>(n: &'a Node, name: &str) -> Result<Option<&'a Node>> {
    if is_go_null(n) {
        return Ok(None);
    }
    if name.is_empty() {
        // No name: the node itself if it is a scalar whose value is "".
        return match n {
            Node::Scalar(s) => Ok((s.value.is_empty()).then_some(n)),
            _ => Err(wrong_kind("ScalarNode", n)),
        };
    }
    match n {
        Node::Map(m) => Ok(m.get(name)),
        _ => Err(wrong_kind("MappingNode", n)),
    }
}

/// kyaml's `PathGetter` without `create`, as `yaml.Lookup` runs it: the node at `path`, `None`
/// when a part is missing.
pub(crate) fn lookup<'a>(root: &'a Node, path: &[String]) -> Result<Option<&'a Node>> {
    let mut cur = root;
    for part in path.iter().map(|p| p.trim()).filter(|p| !p.is_empty()) {
        let next = if let Some(idx) = atoi(part) {
            if idx < 0 {
                return Err(err!(Transform, "array index {} cannot be negative", idx));
            }
            elements(cur)?.get(idx as usize)
        } else if part == "-" {
            match elements(cur)?.last() {
                Some(n) => Some(n),
                None => return Err(err!(Transform, "runtime error: index out of range [-1]")),
            }
        } else if part == "*" {
            return Err(err!(Transform, "wildcard is not supported in PathGetter"));
        } else if is_list_index(part) {
            let (name, value) = split_index_name_value(part)?;
            match_element(cur, name, value)?
        } else {
            get_field(cur, part)?
        };
        match next {
            Some(n) => cur = n,
            None => return Ok(None),
        }
    }
    Ok(Some(cur))
}

/// kyaml's `ElementMatcher` with one key: the first element whose `name` field has exactly the
/// text `value` (for `[=value]`, the first element whose text is `value`).
fn match_element<'a>(seq: &'a Node, name: &str, value: &str) -> Result<Option<&'a Node>> {
    let items = elements(seq)?;
    if name.is_empty() {
        return Ok(items.iter().find(|e| raw_value(e) == value));
    }
    Ok(items.iter().find(|e| match e {
        Node::Map(m) => m.get(name).is_some_and(|v| raw_value(v) == value),
        _ => false,
    }))
}

/// A go-yaml v3 node's `Value`: a scalar's text, "" for collections.
fn raw_value(n: &Node) -> &str {
    match n {
        Node::Scalar(s) => &s.value,
        _ => "",
    }
}

/// kyaml's `getPathPartKind`: the kind of node to create for a part followed by `next`.
fn part_kind(next: Option<&str>, leaf: Kind) -> Kind {
    match next {
        Some(p) if is_list_index(p) || is_idx_number(p) => Kind::Seq,
        None | Some("") => leaf,
        Some(_) => Kind::Map,
    }
}

/// kyaml's `PathMatcher`: calls `f` on every node `path` matches in `node`, creating missing
/// parts when `create` gives the kind of the leaf. Returns how many nodes matched.
pub(crate) fn match_path(
    node: &mut Node,
    path: &[String],
    create: Option<Kind>,
    f: &mut dyn FnMut(&mut Node),
) -> Result<usize> {
    Matcher { create, f, depth: 0 }.filter(node, path)
}

struct Matcher<'f> {
    create: Option<Kind>,
    f: &'f mut dyn FnMut(&mut Node),
    depth: usize,
}

impl Matcher<'_> {
    fn filter(&mut self, n: &mut Node, path: &[String]) -> Result<usize> {
        let Some(p0) = path.first() else {
            (self.f)(n);
            return Ok(1);
        };
        if is_idx_number(p0) {
            self.index_seq(n, path)
        } else if is_list_index(p0) {
            self.seq(n, path)
        } else if p0 == "*" {
            let mut count = 0;
            if let Node::Seq(items) = n {
                for e in items.iter_mut() {
                    count += self.filter(e, &path[1..])?;
                }
            } else {
                elements(n)?;
            }
            Ok(count)
        } else {
            self.field(n, path)
        }
    }

    fn next_kind(&self, path: &[String], leaf: Kind) -> Kind {
        part_kind(path.get(1).map(|s| s.as_str()), leaf)
    }

    fn field(&mut self, n: &mut Node, path: &[String]) -> Result<usize> {
        let name = path[0].as_str();
        let found = get_field(n, name)?.is_some();
        if found {
            let field = if name.is_empty() {
                n
            } else {
                n.as_map_mut().and_then(|m| m.get_mut(name)).expect("just found")
            };
            return self.filter(field, &path[1..]);
        }
        let Some(leaf) = self.create else { return Ok(0) };
        let mut new = self.next_kind(path, leaf).make();
        match n {
            Node::Map(m) => {
                m.insert(name, new);
                let field = m.get_mut(name).expect("just inserted");
                self.filter(field, &path[1..])
            }
            Node::Scalar(_) if !name.is_empty() && !is_go_null(n) => unreachable_kind(),
            Node::Scalar(_) if name.is_empty() => {
                // kyaml's FieldSetter without a name replaces the scalar.
                *n = new;
                self.filter(n, &path[1..])
            }
            // A null node: kyaml adds the field to a node that is written as null, so the
            // change is lost.
            _ => self.filter(&mut new, &path[1..]),
        }
    }

    fn index_seq(&mut self, n: &mut Node, path: &[String]) -> Result<usize> {
        let idx = atoi(&path[0]).unwrap_or(0) as usize;
        let len = elements(n)?.len();
        let mut detached: Option<Node> = None;
        if len == idx {
            if let Some(leaf) = self.create {
                let new = self.next_kind(path, leaf).make();
                match n {
                    Node::Seq(items) => items.push(new),
                    _ => detached = Some(new),
                }
            }
        }
        if let Some(mut d) = detached {
            return self.filter(&mut d, &path[1..]);
        }
        match n {
            Node::Seq(items) if idx < items.len() => self.filter(&mut items[idx], &path[1..]),
            _ => Err(err!(Transform, "index {} specified but only {} elements found", idx, len)),
        }
    }

    fn seq(&mut self, n: &mut Node, path: &[String]) -> Result<usize> {
        let (field, pattern) = split_index_name_value(&path[0])?;
        let (field, pattern) = (field.to_string(), pattern.to_string());
        elements(n)?;
        let count = self.visit_seq(n, path, &field, &pattern)?;
        if count > 0 {
            return Ok(count);
        }
        let Some(_) = self.create else { return Ok(0) };
        let elem = if field.is_empty() {
            created_scalar(&pattern)
        } else {
            let mut m = crate::yaml::Mapping::new();
            m.insert(field.clone(), created_scalar(&pattern));
            Node::Map(m)
        };
        self.depth += 1;
        if self.depth > 64 {
            return Err(err!(Transform, "failed to create element for {:?}: it does not match itself", path[0]));
        }
        // Append the element and search again (kyaml re-runs the whole match); on a null
        // node the element is added where the output does not see it.
        let r = match n {
            Node::Seq(items) => {
                items.push(elem);
                self.seq(n, path)
            }
            _ => {
                let mut d = Node::Seq(vec![elem]);
                self.seq(&mut d, path)
            }
        };
        self.depth -= 1;
        r
    }

    fn visit_seq(&mut self, n: &mut Node, path: &[String], field: &str, pattern: &str) -> Result<usize> {
        let Node::Seq(items) = n else { return Ok(0) };
        let mut re: Option<Regex> = None;
        let mut count = 0;
        for e in items.iter_mut() {
            if re.is_none() {
                re = Some(Regex::new(pattern).map_err(|x| err!(Transform, "error parsing regexp: {}", x))?);
            }
            let re = re.as_ref().expect("compiled");
            if field.is_empty() {
                if re.is_match(&node_text(e)) {
                    (self.f)(e);
                    count += 1;
                }
                continue;
            }
            let matched = match e {
                Node::Map(m) => m.get(field).is_some_and(|v| re.is_match(&node_text(v))),
                _ => false,
            };
            if matched {
                count += self.filter(e, &path[1..])?;
            }
        }
        Ok(count)
    }
}

#[cold]
fn unreachable_kind() -> ! {
    unreachable!("get_field fails on non-null scalars")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn splitting() {
        assert_eq!(smarter_path_split("a.b.c", "."), s(&["a", "b", "c"]));
        assert_eq!(smarter_path_split("/a.b", "."), s(&["/a", "b"]));
        assert_eq!(smarter_path_split(".a.b", "."), s(&["a", "b"]));
        assert_eq!(smarter_path_split("a\\.b.c", "."), s(&["a.b", "c"]));
        assert_eq!(
            smarter_path_split("spec.containers.[name=com.foo.app].image", "."),
            s(&["spec", "containers", "[name=com.foo.app]", "image"])
        );
        assert_eq!(smarter_path_split("metadata.annotations.[a.b/c]", "."), s(&["metadata", "annotations", "a.b/c"]));
        assert_eq!(smarter_path_split("metadata.annotations.[abc]", "."), s(&["metadata", "annotations", "[abc]"]));
        assert_eq!(smarter_path_split("", "."), s(&[""]));
    }

    #[test]
    fn atoi_like_go() {
        assert_eq!(atoi("0"), Some(0));
        assert_eq!(atoi("+3"), Some(3));
        assert_eq!(atoi("-1"), Some(-1));
        assert_eq!(atoi("007"), Some(7));
        assert_eq!(atoi("-"), None);
        assert_eq!(atoi("1_0"), None);
        assert_eq!(atoi(""), None);
    }

    #[test]
    fn go_tags() {
        let t = |v: &str, style: Style| go_tag(&Scalar { value: v.into(), style, tag: None }).to_string();
        assert_eq!(t("3", Style::Plain), "!!int");
        assert_eq!(t("3", Style::DoubleQuoted), "!!str");
        assert_eq!(t("", Style::Plain), "!!null");
        assert_eq!(t("on", Style::Plain), "!!str");
        assert!(!is_go_null(&created_scalar("")));
    }
}
