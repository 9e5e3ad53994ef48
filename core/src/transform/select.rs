//! Selecting resources: kustomize's `Selector` (regular expressions on group, version, kind,
//! name and namespace, anchored as kustomize anchors them; label and annotation selectors).

use crate::error::{err, Result};
use crate::kustomization::Selector;
use crate::resource::{Resource, ResourceList};
use regex_lite::Regex;

/// The characters with a meaning in a regular expression, but `.` (any character).
pub(crate) const REGEX_SYNTAX: &str = "\\+*?()|[]{}^$";

/// A compiled selector.
pub struct Compiled {
    group: Option<Pattern>,
    version: Option<Pattern>,
    kind: Option<Pattern>,
    name: Option<Pattern>,
    namespace: Option<Pattern>,
    /// Label and annotation selectors; kustomize parses them only when a resource gets that
    /// far, so a syntax error is reported then.
    labels: std::result::Result<Vec<Requirement>, String>,
    annotations: std::result::Result<Vec<Requirement>, String>,
}

/// A selector field: matched in full, as kustomize anchors it (`^(?:p)$`).
pub enum Pattern {
    /// No regex syntax (not even `.`): the pattern matches only itself, no engine needed.
    Literal(String),
    Regex(Regex),
}

impl Pattern {
    pub fn is_match(&self, s: &str) -> bool {
        match self {
            Pattern::Literal(p) => p == s,
            Pattern::Regex(re) => re.is_match(s),
        }
    }
}

/// Whether a pattern has no regex syntax at all (not even `.`): it matches only itself.
fn is_literal(p: &str) -> bool {
    // By bytes: every syntax character is ASCII, and no byte of a multi-byte character is.
    !p.bytes().any(|b| b == b'.' || REGEX_SYNTAX.as_bytes().contains(&b))
}

fn anchored(p: &str) -> Result<Option<Pattern>> {
    if p.is_empty() {
        return Ok(None);
    }
    if is_literal(p) {
        return Ok(Some(Pattern::Literal(p.to_string())));
    }
    Regex::new(&format!("^(?:{})$", p))
        .map(|re| Some(Pattern::Regex(re)))
        .map_err(|e| err!(Transform, "invalid selector pattern {:?}: {}", p, e))
}

impl Compiled {
    pub fn new(s: &Selector) -> Result<Compiled> {
        Ok(Compiled {
            group: anchored(&s.group)?,
            version: anchored(&s.version)?,
            kind: anchored(&s.kind)?,
            name: anchored(&s.name)?,
            namespace: anchored(&s.namespace)?,
            labels: parse_label_selector(&s.label_selector),
            annotations: parse_label_selector(&s.annotation_selector),
        })
    }

    /// kustomize's `resWrangler.Select` test for one resource: original or current namespace
    /// and name, current gvk, labels, annotations. An invalid label or annotation selector is
    /// an error once a resource gets to it.
    pub fn matches(&self, r: &Resource) -> Result<bool> {
        // The tests before the label and annotation ones cannot fail, so their order is free:
        // the current gvk and the names are read in place, and ids are only built when a
        // namespace pattern needs their effective namespaces.
        let m = |re: &Option<Pattern>, s: &str| re.as_ref().is_none_or(|re| re.is_match(s));
        let (group, version) = crate::resource::parse_group_version(r.api_version());
        if !m(&self.group, group) || !m(&self.version, version) || !m(&self.kind, r.kind()) {
            return Ok(false);
        }
        let prev = r.prev_ids.first();
        let name = r.name();
        if !m(&self.name, prev.map_or(name, |o| o.name.as_str())) && !m(&self.name, name) {
            return Ok(false);
        }
        if let Some(ns) = &self.namespace {
            let cur = r.cur_id();
            let org = prev.unwrap_or(&cur);
            if !ns.is_match(org.effective_namespace()) && !ns.is_match(cur.effective_namespace()) {
                return Ok(false);
            }
        }
        Ok(self.labels_match(r)? && self.annotations_match(r)?)
    }

    /// The first `key in (values)` (or `key=value`) requirement of a valid label selector.
    fn label_in(&self) -> Option<(&str, &[String])> {
        self.labels.as_ref().ok()?.iter().find_map(|r| match r {
            Requirement::In(k, vs) => Some((k.as_str(), vs.as_slice())),
            _ => None,
        })
    }

    /// Whether the label selector matches `r`'s labels.
    pub fn labels_match(&self, r: &Resource) -> Result<bool> {
        match &self.labels {
            Ok(reqs) => Ok(reqs.is_empty() || matches_all(reqs, &r.labels())),
            Err(e) => Err(err!(Transform, "{}", e)),
        }
    }

    /// Whether the annotation selector matches `r`'s annotations.
    pub fn annotations_match(&self, r: &Resource) -> Result<bool> {
        match &self.annotations {
            Ok(reqs) => Ok(reqs.is_empty() || matches_all(reqs, &r.annotations())),
            Err(e) => Err(err!(Transform, "{}", e)),
        }
    }
}

/// [`select`], looking a literal name up in the list's name index, or else the value of an
/// equality label requirement up in its label index, instead of testing every resource (the
/// same result: only resources with that current or previous name, or that label, can match).
pub fn select_indexed(list: &mut ResourceList, s: &Selector) -> Result<Vec<usize>> {
    let literal = !s.name.is_empty() && is_literal(&s.name);
    let c = Compiled::new(s)?;
    let candidates = if literal {
        list.find_by_name(&s.name)
    } else if let Some((key, values)) = c.label_in() {
        // Only resources with the label set to one of the values can match (the others fail
        // the label test before any error could be raised for the annotations).
        list.find_by_label(key, values)
    } else {
        // Every resource is a candidate ([`select`], with the selector compiled once).
        (0..list.len()).collect()
    };
    let mut out = Vec::new();
    for i in candidates {
        if let Some(r) = list.get(i) {
            if c.matches(r)? {
                out.push(i);
            }
        }
    }
    Ok(out)
}

/// Indices of the resources a selector picks, in list order.
pub fn select(list: &ResourceList, s: &Selector) -> Result<Vec<usize>> {
    let c = Compiled::new(s)?;
    let mut out = Vec::new();
    for (i, r) in list.iter().enumerate() {
        if c.matches(r)? {
            out.push(i);
        }
    }
    Ok(out)
}

/// One requirement of a Kubernetes label selector (`=`/`==`/`in` are `In`, `!=`/`notin` are
/// `NotIn`).
#[derive(Clone, Debug, PartialEq)]
enum Requirement {
    Exists(String),
    NotExists(String),
    In(String, Vec<String>),
    NotIn(String, Vec<String>),
    Gt(String, i64),
    Lt(String, i64),
}

fn matches_all(reqs: &[Requirement], labels: &[(String, String)]) -> bool {
    let get = |k: &str| labels.iter().find(|(lk, _)| lk == k).map(|(_, v)| v.as_str());
    let int = |k: &str| get(k).and_then(|v| v.parse::<i64>().ok());
    reqs.iter().all(|r| match r {
        Requirement::Exists(k) => get(k).is_some(),
        Requirement::NotExists(k) => get(k).is_none(),
        Requirement::In(k, vs) => get(k).is_some_and(|v| vs.iter().any(|x| x == v)),
        Requirement::NotIn(k, vs) => get(k).is_none_or(|v| !vs.iter().any(|x| x == v)),
        Requirement::Gt(k, n) => int(k).is_some_and(|v| v > *n),
        Requirement::Lt(k, n) => int(k).is_some_and(|v| v < *n),
    })
}

// Kubernetes' label selector syntax (k8s.io/apimachinery labels.Parse, as vendored by kyaml):
// a lexer, a recursive descent parser and the validation of keys and values, with its
// messages.

#[derive(Clone, Copy, Debug, PartialEq)]
enum Tok {
    Error,
    End,
    ClosePar,
    Comma,
    Not,
    DoubleEq,
    Eq,
    Gt,
    Ident,
    In,
    Lt,
    NotEq,
    NotIn,
    OpenPar,
}

fn keyword(s: &[u8]) -> Option<Tok> {
    Some(match s {
        b")" => Tok::ClosePar,
        b"," => Tok::Comma,
        b"!" => Tok::Not,
        b"==" => Tok::DoubleEq,
        b"=" => Tok::Eq,
        b">" => Tok::Gt,
        b"in" => Tok::In,
        b"<" => Tok::Lt,
        b"!=" => Tok::NotEq,
        b"notin" => Tok::NotIn,
        b"(" => Tok::OpenPar,
        _ => return None,
    })
}

fn is_ws(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\r' | b'\n')
}

fn is_special(c: u8) -> bool {
    matches!(c, b'=' | b'!' | b'(' | b')' | b',' | b'>' | b'<')
}

/// The tokens of a selector, ending with `End` (a NUL byte ends it too, as in Go).
fn lex(s: &str) -> Vec<(Tok, String)> {
    let b = s.as_bytes();
    let mut pos = 0;
    let read = |pos: &mut usize| -> u8 {
        match b.get(*pos) {
            Some(&c) => {
                *pos += 1;
                c
            }
            None => 0,
        }
    };
    let text = |v: &[u8]| String::from_utf8_lossy(v).into_owned();
    let mut out = Vec::new();
    loop {
        let mut c = read(&mut pos);
        while is_ws(c) {
            c = read(&mut pos);
        }
        if c == 0 {
            out.push((Tok::End, String::new()));
            return out;
        }
        pos -= 1;
        let mut buf: Vec<u8> = Vec::new();
        if is_special(c) {
            let mut last: Option<(Tok, String)> = None;
            loop {
                let c = read(&mut pos);
                if c == 0 {
                    break;
                }
                if !is_special(c) {
                    pos -= 1;
                    break;
                }
                buf.push(c);
                if let Some(t) = keyword(&buf) {
                    last = Some((t, text(&buf)));
                } else if last.is_some() {
                    pos -= 1;
                    break;
                }
            }
            out.push(last.unwrap_or_else(|| (Tok::Error, format!("error expected: keyword found '{}'", text(&buf)))));
        } else {
            loop {
                let c = read(&mut pos);
                if c == 0 {
                    break;
                }
                if is_special(c) || is_ws(c) {
                    pos -= 1;
                    break;
                }
                buf.push(c);
            }
            out.push((keyword(&buf).unwrap_or(Tok::Ident), text(&buf)));
        }
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Op {
    In,
    NotIn,
    Equals,
    NotEquals,
    Exists,
    DoesNotExist,
    Gt,
    Lt,
}

struct Parser {
    items: Vec<(Tok, String)>,
    pos: usize,
}

impl Parser {
    /// The next token; in a value context `in` and `notin` are identifiers.
    fn peek(&self, values: bool) -> (Tok, String) {
        let (t, l) = self.items.get(self.pos).cloned().unwrap_or((Tok::End, String::new()));
        match t {
            Tok::In | Tok::NotIn if values => (Tok::Ident, l),
            _ => (t, l),
        }
    }
    fn next(&mut self, values: bool) -> (Tok, String) {
        let r = self.peek(values);
        self.pos += 1;
        r
    }

    fn parse(&mut self) -> std::result::Result<Vec<Requirement>, String> {
        let mut reqs = Vec::new();
        loop {
            let (t, lit) = self.peek(true);
            match t {
                Tok::Ident | Tok::Not => {
                    reqs.push(self.requirement().map_err(|e| format!("unable to parse requirement: {}", e))?);
                    let (t, l) = self.next(true);
                    match t {
                        Tok::End => return Ok(reqs),
                        Tok::Comma => {
                            let (t2, l2) = self.peek(true);
                            if t2 != Tok::Ident && t2 != Tok::Not {
                                return Err(format!("found '{}', expected: identifier after ','", l2));
                            }
                        }
                        _ => return Err(format!("found '{}', expected: ',' or 'end of string'", l)),
                    }
                }
                Tok::End => return Ok(reqs),
                _ => return Err(format!("found '{}', expected: !, identifier, or 'end of string'", lit)),
            }
        }
    }

    fn requirement(&mut self) -> std::result::Result<Requirement, String> {
        let mut op = None;
        let (mut t, mut key) = self.next(true);
        if t == Tok::Not {
            op = Some(Op::DoesNotExist);
            (t, key) = self.next(true);
        }
        if t != Tok::Ident {
            return Err(format!("found '{}', expected: identifier", key));
        }
        validate_label_key(&key)?;
        if matches!(self.peek(true).0, Tok::End | Tok::Comma) && op.is_none() {
            op = Some(Op::Exists);
        }
        if let Some(op) = op {
            return new_requirement(key, op, Vec::new());
        }
        let (t, lit) = self.next(false);
        let op = match t {
            Tok::In => Op::In,
            Tok::Eq | Tok::DoubleEq => Op::Equals,
            Tok::Gt => Op::Gt,
            Tok::Lt => Op::Lt,
            Tok::NotIn => Op::NotIn,
            Tok::NotEq => Op::NotEquals,
            _ => return Err(format!("found '{}', expected: '=', '!=', '==', 'in', notin'", lit)),
        };
        let values = match op {
            Op::In | Op::NotIn => self.set_values()?,
            _ => self.exact_value()?,
        };
        new_requirement(key, op, values)
    }

    /// `(a, b, ...)`: a sorted set; `()` and empty items are the empty string.
    fn set_values(&mut self) -> std::result::Result<Vec<String>, String> {
        let (t, lit) = self.next(true);
        if t != Tok::OpenPar {
            return Err(format!("found '{}' expected: '('", lit));
        }
        let (t, lit) = self.peek(true);
        let mut set = std::collections::BTreeSet::new();
        match t {
            Tok::Ident | Tok::Comma => {
                loop {
                    let (t, l) = self.next(true);
                    match t {
                        Tok::Ident => {
                            set.insert(l);
                            let (t2, l2) = self.peek(true);
                            match t2 {
                                Tok::Comma => continue,
                                Tok::ClosePar => break,
                                _ => return Err(format!("found '{}', expected: ',' or ')'", l2)),
                            }
                        }
                        Tok::Comma => {
                            if set.is_empty() {
                                set.insert(String::new());
                            }
                            let (t2, _) = self.peek(true);
                            if t2 == Tok::ClosePar {
                                set.insert(String::new());
                                break;
                            }
                            if t2 == Tok::Comma {
                                self.next(true);
                                set.insert(String::new());
                            }
                        }
                        _ => return Err(format!("found '{}', expected: ',', or identifier", l)),
                    }
                }
                if self.next(true).0 != Tok::ClosePar {
                    return Err(format!("found '{}', expected: ')'", lit));
                }
            }
            Tok::ClosePar => {
                self.next(true);
                set.insert(String::new());
            }
            _ => return Err(format!("found '{}', expected: ',', ')' or identifier", lit)),
        }
        Ok(set.into_iter().collect())
    }

    fn exact_value(&mut self) -> std::result::Result<Vec<String>, String> {
        let (t, _) = self.peek(true);
        if t == Tok::End || t == Tok::Comma {
            return Ok(vec![String::new()]);
        }
        let (t, lit) = self.next(true);
        if t == Tok::Ident {
            return Ok(vec![lit]);
        }
        Err(format!("found '{}', expected: identifier", lit))
    }
}

fn new_requirement(key: String, op: Op, values: Vec<String>) -> std::result::Result<Requirement, String> {
    validate_label_key(&key)?;
    let mut int = 0;
    if matches!(op, Op::Gt | Op::Lt) {
        if values.len() != 1 {
            return Err("for 'Gt', 'Lt' operators, exactly one value is required".into());
        }
        int = values[0].parse::<i64>().map_err(|_| "for 'Gt', 'Lt' operators, the value must be an integer".to_string())?;
    }
    for v in &values {
        validate_label_value(&key, v)?;
    }
    Ok(match op {
        Op::In | Op::Equals => Requirement::In(key, values),
        Op::NotIn | Op::NotEquals => Requirement::NotIn(key, values),
        Op::Exists => Requirement::Exists(key),
        Op::DoesNotExist => Requirement::NotExists(key),
        Op::Gt => Requirement::Gt(key, int),
        Op::Lt => Requirement::Lt(key, int),
    })
}

const QNAME_MSG: &str = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";

/// `([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]`
fn is_qualified_name_part(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && b[0].is_ascii_alphanumeric()
        && b[b.len() - 1].is_ascii_alphanumeric()
        && b.iter().all(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.'))
}

/// A DNS-1123 subdomain: dot-separated `[a-z0-9]([-a-z0-9]*[a-z0-9])?`, at most 253 bytes.
fn dns1123_subdomain_errors(s: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if s.len() > 253 {
        errs.push("must be no more than 253 characters".to_string());
    }
    let label_ok = |l: &str| {
        let b = l.as_bytes();
        !b.is_empty()
            && (b[0].is_ascii_lowercase() || b[0].is_ascii_digit())
            && (b[b.len() - 1].is_ascii_lowercase() || b[b.len() - 1].is_ascii_digit())
            && b.iter().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-')
    };
    if !s.split('.').all(label_ok) {
        errs.push("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character".to_string());
    }
    errs
}

fn validate_label_key(k: &str) -> std::result::Result<(), String> {
    let parts: Vec<&str> = k.split('/').collect();
    let mut errs = Vec::new();
    let name = match parts.as_slice() {
        [name] => *name,
        [prefix, name] => {
            if prefix.is_empty() {
                errs.push("prefix part must be non-empty".to_string());
            } else {
                errs.extend(dns1123_subdomain_errors(prefix).into_iter().map(|e| format!("prefix part {}", e)));
            }
            *name
        }
        _ => {
            errs.push(format!("a qualified name {} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')", QNAME_MSG));
            ""
        }
    };
    if parts.len() <= 2 {
        if name.is_empty() {
            errs.push("name part must be non-empty".to_string());
        } else if name.len() > 63 {
            errs.push("name part must be no more than 63 characters".to_string());
        }
        if !is_qualified_name_part(name) {
            errs.push(format!("name part {}", QNAME_MSG));
        }
    }
    if errs.is_empty() {
        Ok(())
    } else {
        Err(format!("invalid label key {:?}: {}", k, errs.join("; ")))
    }
}

fn validate_label_value(k: &str, v: &str) -> std::result::Result<(), String> {
    let mut errs = Vec::new();
    if v.len() > 63 {
        errs.push("must be no more than 63 characters".to_string());
    }
    if !v.is_empty() && !is_qualified_name_part(v) {
        errs.push(format!("a valid label {}", QNAME_MSG.replacen("must", "must be an empty string or", 1)));
    }
    if errs.is_empty() {
        Ok(())
    } else {
        Err(format!("invalid label value: {:?}: at key: {:?}: {}", v, k, errs.join("; ")))
    }
}

/// Parses a label (or annotation) selector as Kubernetes does: `a=b,c!=d,e in (f,g),h notin
/// (i),j,!k,l>3`.
fn parse_label_selector(s: &str) -> std::result::Result<Vec<Requirement>, String> {
    Parser { items: lex(s), pos: 0 }.parse()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literal_patterns_match_as_the_anchored_regex_does() {
        let patterns = ["web", "my-app", "a b", "Deployment", "x_y~z", "ünï", "#c", "a/b", "-"];
        let values = ["web", "web2", "xweb", "my-app", "my-appx", "a b", "a  b", "", "Deployment", "x_y~z", "ünï", "#c", "a/b", "-", "web\n"];
        for p in patterns {
            let lit = anchored(p).unwrap().unwrap();
            assert!(matches!(lit, Pattern::Literal(_)), "{}", p);
            let re = Regex::new(&format!("^(?:{})$", p)).unwrap();
            for v in values {
                assert_eq!(lit.is_match(v), re.is_match(v), "pattern {:?} value {:?}", p, v);
            }
        }
        for p in ["web.*", "a.c", "(a|b)", "x+", "ü+", "é|a", "[ä]", "a{2}", "^x$", "b?", "\\d"] {
            assert!(matches!(anchored(p).unwrap().unwrap(), Pattern::Regex(_)), "{}", p);
        }
    }

    #[test]
    fn indexed_selection_equals_scan() {
        // Labels and names changed through `modify` (the index follows) and through
        // `iter_mut` (the index is rebuilt): the indexed selection equals the full scan.
        let text = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  labels:\n    app: web\n---\n\
                    apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\n  labels:\n    app: db\n---\n\
                    apiVersion: v1\nkind: Secret\nmetadata:\n  name: c\n  labels:\n    app: web\n    tier: x\n";
        let mut list = ResourceList::new();
        for n in crate::yaml::load_documents(text).unwrap() {
            list.append(Resource::new(n)).unwrap();
        }
        let sel = |l: &str, name: &str| Selector { label_selector: l.into(), name: name.into(), ..Default::default() };
        let check = |list: &mut ResourceList| {
            for (l, name) in [("app=web", ""), ("app in (db, web)", ""), ("app=web,tier", ""), ("app=none", ""), ("app=web", "c"), ("", "b"), ("tier", ""), ("", "[ab]"), ("!tier", "b.*"), ("", "")] {
                let s = sel(l, name);
                assert_eq!(select_indexed(list, &s).unwrap(), select(list, &s).unwrap(), "{l} {name}");
            }
        };
        assert_eq!(select_indexed(&mut list, &sel("app=web", "")).unwrap(), vec![0, 2]);
        check(&mut list);
        list.modify(1, |r| {
            r.store_previous_id();
            r.set_name("b2");
            r.map_mut().get_or_insert_map("metadata").get_or_insert_map("labels").insert("app", crate::yaml::Node::string("web"));
        });
        assert_eq!(select_indexed(&mut list, &sel("app=web", "")).unwrap(), vec![0, 1, 2]);
        assert_eq!(select_indexed(&mut list, &sel("", "b")).unwrap(), vec![1]);
        check(&mut list);
        for r in list.iter_mut() {
            r.map_mut().get_or_insert_map("metadata").get_or_insert_map("labels").insert("app", crate::yaml::Node::string("db"));
        }
        assert_eq!(select_indexed(&mut list, &sel("app=db", "")).unwrap(), vec![0, 1, 2]);
        check(&mut list);
    }

    /// [`Compiled::matches`] as it was written first: both ids built, tests in kustomize's order.
    fn matches_by_ids(c: &Compiled, r: &Resource) -> Result<bool> {
        let cur = r.cur_id();
        let org = r.orig_id();
        let m = |re: &Option<Pattern>, s: &str| re.as_ref().is_none_or(|re| re.is_match(s));
        if !m(&c.namespace, org.effective_namespace()) && !m(&c.namespace, cur.effective_namespace()) {
            return Ok(false);
        }
        if !m(&c.name, &org.name) && !m(&c.name, &cur.name) {
            return Ok(false);
        }
        if !m(&c.group, &cur.gvk.group) || !m(&c.version, &cur.gvk.version) || !m(&c.kind, &cur.gvk.kind) {
            return Ok(false);
        }
        Ok(c.labels_match(r)? && c.annotations_match(r)?)
    }

    #[test]
    fn matches_equals_the_id_based_test() {
        let text = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  labels:\n    app: web\n---\n\
                    apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ns1\n---\n\
                    apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n  namespace: prod\n---\n\
                    apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: web\n---\n\
                    kind: Thing\nmetadata:\n  name: ~\n  namespace: default\n---\n\
                    apiVersion: example.com/v2/x\nkind: Widget\nmetadata:\n  name: w\n  annotations:\n    a: b\n";
        let mut rs: Vec<Resource> = crate::yaml::load_documents(text).unwrap().into_iter().map(Resource::new).collect();
        // Renamed, moved and re-kinded resources (previous ids differ from the current ones).
        for (i, r) in rs.clone().into_iter().enumerate() {
            let mut r2 = r;
            r2.store_previous_id();
            r2.set_name(&format!("new-{i}"));
            if i % 2 == 0 {
                r2.set_namespace("staging");
            }
            r2.store_previous_id();
            r2.set_kind("Other");
            rs.push(r2);
        }
        let fields = ["", "web", "new-.*", "Deployment", "apps", "v1", "v2/x", "prod", "default", "staging", "_non_namespaceable_", "Other", ".*"];
        let mut n = 0;
        for (fi, f) in fields.iter().enumerate() {
            for slot in 0..5 {
                let mut s = Selector::default();
                match slot {
                    0 => s.group = f.to_string(),
                    1 => s.version = f.to_string(),
                    2 => s.kind = f.to_string(),
                    3 => s.name = f.to_string(),
                    _ => s.namespace = f.to_string(),
                }
                // A second field, and sometimes a label or annotation selector.
                s.namespace = if slot != 4 && fi % 3 == 0 { "default".into() } else { s.namespace };
                s.label_selector = if fi % 4 == 1 { "app".into() } else { String::new() };
                s.annotation_selector = if fi % 5 == 2 { "a=b".into() } else { String::new() };
                let c = Compiled::new(&s).unwrap();
                for r in &rs {
                    assert_eq!(c.matches(r).unwrap(), matches_by_ids(&c, r).unwrap(), "{s:?} {:?}", r.cur_id());
                    n += usize::from(c.matches(r).unwrap());
                }
            }
        }
        assert!(n > 20, "too few matches to mean anything: {n}");
    }

    #[test]
    fn label_selectors() {
        let l = vec![("app".to_string(), "web".to_string()), ("tier".to_string(), "front".to_string())];
        let ok = |s: &str| matches_all(&parse_label_selector(s).unwrap(), &l);
        assert!(ok("app=web"));
        assert!(ok("app==web,tier"));
        assert!(!ok("app!=web"));
        assert!(ok("tier in (front, back)"));
        assert!(!ok("tier notin (front)"));
        assert!(ok("!missing"));
        assert!(!ok("missing"));
        assert!(ok(" app = web "));
        assert!(ok("tier in (front,)"));
        assert!(!ok("tier in ()"));
        assert!(ok("app notin(x)"));
        let n = vec![("n".to_string(), "5".to_string())];
        let num = |s: &str| matches_all(&parse_label_selector(s).unwrap(), &n);
        assert!(num("n>4") && !num("n<4") && !num("n>5") && num("n<6"));
    }

    #[test]
    fn label_selector_errors() {
        // Each rejected by Kubernetes' parser (kubectl kustomize 5.5.0), with its message.
        for (s, msg) in [
            ("app==web==x", "found '==', expected: ',' or 'end of string'"),
            ("app web", "unable to parse requirement: found 'web', expected: '=', '!=', '==', 'in', notin'"),
            ("n>x", "unable to parse requirement: for 'Gt', 'Lt' operators, the value must be an integer"),
            ("app in web", "unable to parse requirement: found 'web' expected: '('"),
            ("app=(web)", "unable to parse requirement: found '(', expected: identifier"),
            ("=web", "found '=', expected: !, identifier, or 'end of string'"),
            ("!app=web", "found '=', expected: ',' or 'end of string'"),
            ("app,", "found '', expected: identifier after ','"),
            ("-app", "unable to parse requirement: invalid label key \"-app\""),
            ("app=b c", "found 'c', expected: ',' or 'end of string'"),
            ("app in (web", "unable to parse requirement: found '', expected: ',' or ')'"),
        ] {
            let e = parse_label_selector(s).unwrap_err();
            assert!(e.starts_with(msg), "{:?}: {}", s, e);
        }
        assert!(parse_label_selector(&format!("app={}", "a".repeat(64))).unwrap_err().contains("invalid label value"));
        assert!(parse_label_selector("example.com/app=x,app=").is_ok());
    }
}
