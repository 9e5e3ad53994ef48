//! Selecting resources: kustomize's `Selector` (regular expressions on group, version, kind,
//! name and namespace, anchored as kustomize anchors them; label and annotation selectors).

use crate::error::{err, Result};
use crate::kustomization::Selector;
use crate::resource::{Resource, ResourceList};
use regex_lite::Regex;

/// A compiled selector.
pub struct Compiled {
    group: Option<Regex>,
    version: Option<Regex>,
    kind: Option<Regex>,
    name: Option<Regex>,
    namespace: Option<Regex>,
    labels: Vec<Requirement>,
    annotations: Vec<Requirement>,
}

fn anchored(p: &str) -> Result<Option<Regex>> {
    if p.is_empty() {
        return Ok(None);
    }
    Regex::new(&format!("^(?:{})$", p)).map(Some).map_err(|e| err!(Transform, "invalid selector pattern {:?}: {}", p, e))
}

impl Compiled {
    pub fn new(s: &Selector) -> Result<Compiled> {
        Ok(Compiled {
            group: anchored(&s.group)?,
            version: anchored(&s.version)?,
            kind: anchored(&s.kind)?,
            name: anchored(&s.name)?,
            namespace: anchored(&s.namespace)?,
            labels: parse_label_selector(&s.label_selector)?,
            annotations: parse_label_selector(&s.annotation_selector)?,
        })
    }

    /// kustomize's `resWrangler.Select` test for one resource: original or current namespace
    /// and name, current gvk, labels, annotations.
    pub fn matches(&self, r: &Resource) -> bool {
        let cur = r.cur_id();
        let org = r.orig_id();
        let m = |re: &Option<Regex>, s: &str| re.as_ref().is_none_or(|re| re.is_match(s));
        if !m(&self.namespace, org.effective_namespace()) && !m(&self.namespace, cur.effective_namespace()) {
            return false;
        }
        if !m(&self.name, &org.name) && !m(&self.name, &cur.name) {
            return false;
        }
        if !m(&self.group, &cur.gvk.group) || !m(&self.version, &cur.gvk.version) || !m(&self.kind, &cur.gvk.kind) {
            return false;
        }
        if !self.labels.is_empty() && !matches_all(&self.labels, &r.labels()) {
            return false;
        }
        if !self.annotations.is_empty() && !matches_all(&self.annotations, &r.annotations()) {
            return false;
        }
        true
    }
}

/// Indices of the resources a selector picks, in list order.
pub fn select(list: &ResourceList, s: &Selector) -> Result<Vec<usize>> {
    let c = Compiled::new(s)?;
    Ok(list.iter().enumerate().filter(|(_, r)| c.matches(r)).map(|(i, _)| i).collect())
}

/// One requirement of a Kubernetes label selector.
#[derive(Clone, Debug, PartialEq)]
enum Requirement {
    Exists(String),
    NotExists(String),
    In(String, Vec<String>),
    NotIn(String, Vec<String>),
}

fn matches_all(reqs: &[Requirement], labels: &[(String, String)]) -> bool {
    let get = |k: &str| labels.iter().find(|(lk, _)| lk == k).map(|(_, v)| v.as_str());
    reqs.iter().all(|r| match r {
        Requirement::Exists(k) => get(k).is_some(),
        Requirement::NotExists(k) => get(k).is_none(),
        Requirement::In(k, vs) => get(k).is_some_and(|v| vs.iter().any(|x| x == v)),
        Requirement::NotIn(k, vs) => get(k).is_none_or(|v| !vs.iter().any(|x| x == v)),
    })
}

/// Parses a label selector (`a=b,c!=d,e in (f,g),h notin (i),j,!k`).
fn parse_label_selector(s: &str) -> Result<Vec<Requirement>> {
    let s = s.trim();
    let mut out = Vec::new();
    if s.is_empty() {
        return Ok(out);
    }
    // Split on commas outside parentheses.
    let mut parts = Vec::new();
    let (mut depth, mut start) = (0i32, 0usize);
    for (i, c) in s.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(&s[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&s[start..]);
    let bad = |p: &str| err!(Transform, "unable to parse requirement: invalid label selector {:?}", p);
    for p in parts {
        let p = p.trim();
        if p.is_empty() {
            return Err(bad(s));
        }
        if let Some(k) = p.strip_prefix('!') {
            out.push(Requirement::NotExists(k.trim().to_string()));
        } else if let Some((k, v)) = p.split_once("!=") {
            out.push(Requirement::NotIn(k.trim().to_string(), vec![v.trim().to_string()]));
        } else if let Some((k, v)) = p.split_once("==").or_else(|| p.split_once('=')) {
            out.push(Requirement::In(k.trim().to_string(), vec![v.trim().to_string()]));
        } else if let Some((k, rest)) = split_word(p, " notin ") {
            out.push(Requirement::NotIn(k, set_values(&rest).ok_or_else(|| bad(p))?));
        } else if let Some((k, rest)) = split_word(p, " in ") {
            out.push(Requirement::In(k, set_values(&rest).ok_or_else(|| bad(p))?));
        } else if p.chars().all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | '/')) {
            out.push(Requirement::Exists(p.to_string()));
        } else {
            return Err(bad(p));
        }
    }
    Ok(out)
}

fn split_word(p: &str, w: &str) -> Option<(String, String)> {
    let i = p.find(w)?;
    Some((p[..i].trim().to_string(), p[i + w.len()..].trim().to_string()))
}

fn set_values(s: &str) -> Option<Vec<String>> {
    let inner = s.trim().strip_prefix('(')?.strip_suffix(')')?;
    Some(inner.split(',').map(|v| v.trim().to_string()).filter(|v| !v.is_empty()).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

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
    }
}
