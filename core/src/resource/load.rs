//! Reading resources from YAML text (kustomize's resource factory).

use super::Resource;
use crate::error::{err, Result};
use crate::yaml::{self, Node};

/// Parses a YAML stream into resources: empty documents are dropped, each document must have
/// a kind and (unless its kind ends in `List`) a name, and `kind: *List` documents with `items`
/// are replaced by their items, which go after the other documents, as kustomize does.
pub fn resources_from_str(text: &str) -> Result<Vec<Resource>> {
    resources_from_documents(yaml::load_documents(text)?)
}

/// [`resources_from_str`] for documents already loaded with [`yaml::load_documents`].
pub fn resources_from_documents(docs: Vec<Node>) -> Result<Vec<Resource>> {
    let mut queue: std::collections::VecDeque<Node> = std::collections::VecDeque::with_capacity(docs.len());
    for d in docs {
        if is_nil_or_empty(&d) {
            continue;
        }
        validate(&d)?;
        queue.push_back(d);
    }
    let mut out = Vec::with_capacity(queue.len());
    while let Some(d) = queue.pop_front() {
        let kind = d.str_at(&["kind"]).unwrap_or("");
        if !kind.ends_with("List") {
            out.push(Resource::new(d));
            continue;
        }
        match d.get("items") {
            None => out.push(Resource::new(d)),
            Some(items) if items.is_null() => {}
            Some(Node::Seq(items)) => {
                for it in items {
                    if !matches!(it, Node::Map(_)) {
                        return Err(err!(Resource, "expected a mapping in {}/items, found a {}", kind, it.kind_name()));
                    }
                    queue.push_back(it.clone());
                }
            }
            Some(other) => {
                return Err(err!(Resource, "expected array in {}/items, but found {}", kind, go_type_name(other)));
            }
        }
    }
    Ok(out)
}

fn go_type_name(n: &Node) -> &'static str {
    match n {
        Node::Map(_) => "map[string]interface {}",
        Node::Seq(_) => "[]interface {}",
        Node::Scalar(s) => match yaml::resolve::resolve(s) {
            yaml::resolve::Value::Bool(_) => "bool",
            yaml::resolve::Value::Int(_) => "int",
            yaml::resolve::Value::Uint(_) => "uint64",
            yaml::resolve::Value::Float(_) => "float64",
            _ => "string",
        },
    }
}

fn is_nil_or_empty(n: &Node) -> bool {
    match n {
        Node::Map(m) => m.is_empty(),
        Node::Seq(s) => s.is_empty(),
        Node::Scalar(s) => s.is_null(),
    }
}

fn validate(d: &Node) -> Result<()> {
    let Node::Map(m) = d else {
        return Err(err!(Resource, "expected a mapping (a Kubernetes object), found a {}", d.kind_name()));
    };
    let kind = m.get("kind").and_then(|k| k.as_str()).unwrap_or("");
    if kind.is_empty() {
        return Err(err!(Resource, "missing kind in object {}", describe(d)));
    }
    if kind.ends_with("List") {
        return Ok(());
    }
    let name = d.str_at(&["metadata", "name"]).unwrap_or("");
    if name.is_empty() {
        return Err(err!(Resource, "missing metadata.name in object {}", describe(d)));
    }
    Ok(())
}

/// A short description of an object for error messages (kustomize prints its type meta).
fn describe(d: &Node) -> String {
    let av = d.str_at(&["apiVersion"]).unwrap_or("");
    let kind = d.str_at(&["kind"]).unwrap_or("");
    let name = d.str_at(&["metadata", "name"]).unwrap_or("");
    format!("{{{{{} {}}} {{{} }}}}", av, kind, name)
}
