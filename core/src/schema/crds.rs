//! The `crds:` field of a kustomization (kustomize `accumulator.LoadConfigFromCRDs`): files of
//! OpenAPI definitions as Go's `gen-openapi` writes them (a map from type name to
//! `{Schema: <OpenAPI schema>, Dependencies: [...]}`, JSON or YAML), read for field specs.
//!
//! Every definition whose properties include `kind`, `apiVersion` and `metadata` is a kind,
//! named by the part of its type name after the last `.` (no group, no version). Its
//! properties, and those of the definitions they `$ref` (by type name, recursively), give:
//!
//! * `x-kubernetes-annotation` (any string): a `commonAnnotations` field spec;
//! * `x-kubernetes-label-selector`: a `commonLabels` field spec;
//! * `x-kubernetes-identity`: a `namePrefix` field spec;
//! * `x-kubernetes-object-ref-api-version` and `x-kubernetes-object-ref-kind`: a name
//!   reference to that version and kind, held at `<path>/<x-kubernetes-object-ref-name-key>`
//!   (default `name`).
//!
//! Field specs are not created when missing (`create: false`). kustomize walks Go maps, so the
//! order of specs of the same kind is not defined there; here it is the file's.

use crate::error::{err, Result};
use crate::fieldspec::{merge_specs, Config, FieldSpec, NameBackRef};
use crate::resource::Gvk;
use crate::yaml::{load::LoadOptions, Mapping, Node};

const X_ANNOTATION: &str = "x-kubernetes-annotation";
const X_LABEL_SELECTOR: &str = "x-kubernetes-label-selector";
const X_IDENTITY: &str = "x-kubernetes-identity";
const X_VERSION: &str = "x-kubernetes-object-ref-api-version";
const X_KIND: &str = "x-kubernetes-object-ref-kind";
const X_NAME_KEY: &str = "x-kubernetes-object-ref-name-key";

/// Recursion through `$ref`s stops here (kustomize recurses without a bound).
const MAX_DEPTH: usize = 100;

/// The field specs of one `crds:` file. The error message is kustomize's cause only; the
/// caller adds `unable to parse open API definition from '<path>'`.
pub fn config_from_crd_text(text: &str) -> Result<Config> {
    if text.is_empty() {
        return Err(err!(Kustomization, "empty file"));
    }
    let doc = crate::yaml::load::load_documents_with(text, &LoadOptions::kustomization())
        .map_err(|e| err!(Kustomization, "{}", e.message()))?
        .into_iter()
        .next();
    let types = match &doc {
        None => return Ok(Config::default()),
        Some(n) if n.is_null() => return Ok(Config::default()),
        Some(Node::Map(m)) => m,
        Some(n) => {
            return Err(err!(
                Kustomization,
                "cannot unmarshal {} into Go value of type accumulator.nameToApiMap",
                n.kind_name()
            ))
        }
    };
    let mut result = Config::default();
    for (name, def) in types.iter() {
        let Some(props) = properties(def) else {
            continue;
        };
        if !(props.contains_key("kind")
            && props.contains_key("apiVersion")
            && props.contains_key("metadata"))
        {
            continue;
        }
        let kind = name.rsplit('.').next().unwrap_or(name);
        let gvk = Gvk::new("", "", kind);
        let mut one = Config::default();
        load_type(&mut one, &gvk, types, name, &mut Vec::new())?;
        result.merge(&one)?;
    }
    Ok(result)
}

/// The `Schema` field of a definition (Go's JSON decoding matches field names ignoring case).
fn schema_of(def: &Node) -> Option<&Node> {
    let m = def.as_map()?;
    m.get("Schema").or_else(|| {
        m.iter()
            .find(|(k, _)| k.eq_ignore_ascii_case("schema"))
            .map(|(_, v)| v)
    })
}

fn properties(def: &Node) -> Option<&Mapping> {
    schema_of(def)?.get("properties")?.as_map()
}

/// A string-valued extension (kube-openapi `Extensions.GetString`).
fn ext_string<'a>(prop: &'a Node, key: &str) -> Option<&'a str> {
    match prop.get(key)? {
        Node::Scalar(s) if s.is_string() => Some(&s.value),
        _ => None,
    }
}

fn spec(gvk: &Gvk, path: &[String]) -> FieldSpec {
    FieldSpec {
        gvk: gvk.clone(),
        path: path.join("/"),
        create: false,
    }
}

/// kustomize `loadCrdIntoConfig`.
fn load_type(
    c: &mut Config,
    gvk: &Gvk,
    types: &Mapping,
    type_name: &str,
    path: &mut Vec<String>,
) -> Result<()> {
    if path.len() > MAX_DEPTH {
        return Ok(());
    }
    let Some(props) = types.get(type_name).and_then(properties) else {
        return Ok(());
    };
    for (prop_name, prop) in props.iter() {
        path.push(prop_name.to_string());
        if ext_string(prop, X_ANNOTATION).is_some() {
            merge_specs(&mut c.common_annotations, &[spec(gvk, path)])?;
        }
        if ext_string(prop, X_LABEL_SELECTOR).is_some() {
            merge_specs(&mut c.common_labels, &[spec(gvk, path)])?;
        }
        if ext_string(prop, X_IDENTITY).is_some() {
            merge_specs(&mut c.name_prefix, &[spec(gvk, path)])?;
        }
        if let (Some(version), Some(kind)) = (ext_string(prop, X_VERSION), ext_string(prop, X_KIND))
        {
            let name_key = ext_string(prop, X_NAME_KEY).unwrap_or("name");
            let mut p = path.clone();
            p.push(name_key.to_string());
            let back = NameBackRef {
                gvk: Gvk::new("", version, kind),
                referrers: vec![spec(gvk, &p)],
            };
            match c.name_reference.iter_mut().find(|e| e.gvk == back.gvk) {
                Some(e) => merge_specs(&mut e.referrers, &back.referrers)?,
                None => c.name_reference.push(back),
            }
        }
        if let Some(r) = prop.get("$ref").and_then(|r| r.as_str()) {
            if !r.is_empty() {
                load_type(c, gvk, types, r, path)?;
            }
        }
        path.pop();
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const CRD: &str = r#"
{
  "example.com/v1.Bee": {"Schema": {"properties": {"apiVersion": {}, "kind": {}, "metadata": {"$ref": "k8s.io/meta.ObjectMeta"}}}},
  "example.com/v1.BeeRef": {"Schema": {"properties": {"name": {"type": "string"}}}},
  "example.com/v1.MyKind": {"Schema": {"properties": {
    "apiVersion": {"type": "string"}, "kind": {"type": "string"}, "metadata": {},
    "spec": {"$ref": "example.com/v1.MyKindSpec"}}}},
  "example.com/v1.MyKindSpec": {"schema": {"properties": {
    "beeRef": {"x-kubernetes-object-ref-api-version": "v1beta1", "x-kubernetes-object-ref-kind": "Bee",
               "$ref": "example.com/v1.BeeRef"},
    "secretRef": {"x-kubernetes-object-ref-api-version": "v1", "x-kubernetes-object-ref-kind": "Secret",
                  "x-kubernetes-object-ref-name-key": "secretName"},
    "sel": {"x-kubernetes-label-selector": ""},
    "note": {"x-kubernetes-annotation": ""},
    "id": {"x-kubernetes-identity": ""},
    "notString": {"x-kubernetes-identity": true}}}}
}"#;

    fn paths(specs: &[FieldSpec]) -> Vec<(String, String)> {
        specs
            .iter()
            .map(|f| (f.gvk.kind.clone(), f.path.clone()))
            .collect()
    }

    #[test]
    fn field_specs_from_definitions() {
        let c = config_from_crd_text(CRD).unwrap();
        type Back = (String, String, Vec<(String, String)>);
        let nr: Vec<Back> = c
            .name_reference
            .iter()
            .map(|n| {
                (
                    n.gvk.version.clone(),
                    n.gvk.kind.clone(),
                    paths(&n.referrers),
                )
            })
            .collect();
        assert_eq!(
            nr,
            [
                (
                    "v1".to_string(),
                    "Secret".to_string(),
                    vec![(
                        "MyKind".to_string(),
                        "spec/secretRef/secretName".to_string()
                    )]
                ),
                (
                    "v1beta1".to_string(),
                    "Bee".to_string(),
                    vec![("MyKind".to_string(), "spec/beeRef/name".to_string())]
                ),
            ]
        );
        assert_eq!(
            paths(&c.common_labels),
            [("MyKind".to_string(), "spec/sel".to_string())]
        );
        assert_eq!(
            paths(&c.common_annotations),
            [("MyKind".to_string(), "spec/note".to_string())]
        );
        assert_eq!(
            paths(&c.name_prefix),
            [("MyKind".to_string(), "spec/id".to_string())]
        );
        assert!(c
            .name_prefix
            .iter()
            .all(|f| !f.create && f.gvk.group.is_empty() && f.gvk.version.is_empty()));
        // YAML works too; an empty document gives nothing; a list is an error.
        let y = config_from_crd_text("a.B:\n  Schema:\n    properties:\n      kind: {}\n      apiVersion: {}\n      metadata: {}\n      x: {x-kubernetes-identity: ''}\n").unwrap();
        assert_eq!(paths(&y.name_prefix), [("B".to_string(), "x".to_string())]);
        assert_eq!(config_from_crd_text("\n").unwrap(), Config::default());
        assert!(config_from_crd_text("- a\n").is_err());
        assert!(config_from_crd_text("").is_err());
    }

    #[test]
    fn recursion_is_bounded() {
        let c = config_from_crd_text(
            r#"{"a.K": {"Schema": {"properties": {"kind": {}, "apiVersion": {}, "metadata": {}, "x": {"$ref": "a.K"}}}}}"#,
        );
        assert!(c.is_ok());
    }
}
