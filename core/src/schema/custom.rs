//! Custom OpenAPI schemas: the file named by a kustomization's `openapi: {path: ...}` field
//! (JSON or YAML, Swagger 2 layout: `definitions`, optionally `paths`), and the schemas kyaml
//! reads from field comments during a strategic merge (`containers: # {"$ref": ...}`).
//!
//! # How kyaml layers a custom schema with its builtin one
//!
//! kyaml keeps one table of definitions (by name) and one of kinds (`TypeMeta` to the
//! definition carrying that `x-kubernetes-group-version-kind`), filled by parsing documents one
//! after the other, a later document overwriting same-named entries; `$ref`s are resolved by
//! name in that table when they are followed. With a custom schema, *which* documents are
//! parsed, and in which order, depends on what the build did before the schema was set
//! (`openapi.initSchema`, `isInitSchemaNeededForNamespaceScopeCheck`):
//!
//! * nothing that needed a schema: the custom schema alone, then the kustomization schema
//!   ([`Layering::Only`]); e.g. `openapi:` in the root kustomization, or in a base read first.
//!   Builtin kinds such as `apps/v1` `Deployment` then have no schema at all (their lists are
//!   replaced by patches), and `$ref`s into builtin definitions do not resolve;
//! * a cluster-scope check of a kind missing from kyaml's precomputed table (a custom resource
//!   was read): the builtin schema's parse was deferred, so it comes *after* the custom one and
//!   wins same-named definitions and kinds ([`Layering::Under`]);
//! * a schema lookup (a strategic-merge patch ran): the builtin schema is already there, and
//!   the custom one is parsed over it and wins, except over the kustomization schema, parsed
//!   again last ([`Layering::Over`]).
//!
//! The layering is decided when the schema is set ([`super::set_openapi`]) and never changes
//! afterwards in a build (kustomize sets the schema at most once per build).
//!
//! Not modelled: the two builtin definitions no kind reaches
//! (`io.k8s.apimachinery.pkg.apis.meta.v1.Patch`, `io.k8s.apimachinery.pkg.version.Info`)
//! are unknown to `$ref`s; `$ref`s other than `#/definitions/<name>` do not resolve; kyaml's
//! panics on ill-typed extensions (a numeric merge key...) are not reproduced: such values are
//! read as text or ignored.

use std::collections::HashMap;

use super::{find_def, Loc, TypeKind};
use crate::error::{err, Result};
use crate::yaml::{load::LoadOptions, Node};

/// How a custom schema is layered with the builtin tables (see the module documentation).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Layering {
    /// The custom schema and the kustomization schema only.
    Only,
    /// The builtin schema parsed after the custom one: builtin names and kinds win.
    Under,
    /// The custom schema parsed over the builtin one: custom names and kinds win (but not over
    /// the kustomization schema).
    Over,
}

/// One property of a custom schema node.
#[derive(Clone, Debug)]
pub(crate) struct Prop {
    pub(crate) name: Box<str>,
    /// `None` when its `$ref` does not resolve (kyaml then has no schema for the field).
    pub(crate) target: Option<Loc>,
    /// `x-kubernetes-patch-strategy` written beside a `$ref` (ignored by kyaml).
    pub(crate) sib_strategy: Option<Box<str>>,
}

/// A schema node of a custom schema, with its references resolved.
#[derive(Clone, Debug)]
pub(crate) struct CNode {
    pub(crate) kind: TypeKind,
    /// `type` is exactly `[array]` (kyaml's `Elements` requires it).
    pub(crate) is_array: bool,
    /// Sorted by name.
    pub(crate) props: Vec<Prop>,
    /// `items` (a single schema): present, and resolved or not.
    pub(crate) items: Option<Option<Loc>>,
    /// `additionalProperties` (a schema, not a boolean): present, and resolved or not.
    pub(crate) additional: Option<Option<Loc>>,
    pub(crate) strategy: Option<Box<str>>,
    /// `x-kubernetes-patch-merge-key`, as a list of 0 or 1 name.
    pub(crate) merge_key: Vec<Box<str>>,
    pub(crate) list_type: Option<Box<str>>,
    /// `x-kubernetes-list-map-keys`, when present (even empty).
    pub(crate) map_keys: Option<Vec<Box<str>>>,
}

impl CNode {
    pub(crate) fn prop(&self, name: &str) -> Option<&Prop> {
        self.props
            .binary_search_by(|p| (*p.name).cmp(name))
            .ok()
            .map(|i| &self.props[i])
    }
}

/// Where an unresolved reference sits while the document is read.
#[derive(Clone, Copy, Debug)]
enum Slot {
    Prop(usize),
    Items,
    Additional,
}

/// A parsed custom schema (or the comment schemas of one merge).
#[derive(Clone, Debug)]
pub struct CustomSchema {
    layering: Layering,
    /// The comment schemas of one merge: own nodes are [`Loc::Local`], names resolve in the
    /// build's schema.
    local: bool,
    nodes: Vec<CNode>,
    /// Definition name -> node.
    defs: HashMap<Box<str>, u32>,
    /// Definitions that are a bare `$ref` (node -> target name).
    forwards: HashMap<u32, Box<str>>,
    /// (apiVersion, kind) -> definition node, from `x-kubernetes-group-version-kind`.
    kinds: HashMap<(String, String), u32>,
    /// (apiVersion, kind) -> namespaced, from the `paths`.
    scopes: HashMap<(String, String), bool>,
    /// [`Layering::Over`]: builtin definitions (rows) replaced by custom ones.
    redirects: HashMap<u16, Option<Loc>>,
    /// References waiting for resolution: (node, slot, name or `None` for a `$ref` that is not
    /// `#/definitions/<name>`).
    pending: Vec<(u32, Slot, Option<Box<str>>)>,
}

const REF_PREFIX: &str = "#/definitions/";
const MAX_REF_CHAIN: usize = 64;

/// The definition name of a `$ref` (`#/definitions/<name>`, JSON-pointer escapes undone).
fn ref_name(r: &str) -> Option<Box<str>> {
    let name = r.strip_prefix(REF_PREFIX)?;
    if name.contains('/') {
        return None;
    }
    Some(name.replace("~1", "/").replace("~0", "~").into())
}

fn text(n: Option<&Node>) -> Option<Box<str>> {
    match n? {
        Node::Scalar(s) if !s.is_null() => Some(s.value.as_str().into()),
        _ => None,
    }
}

fn api_version(group: &str, version: &str) -> String {
    if group.is_empty() {
        version.to_string()
    } else {
        format!("{}/{}", group, version)
    }
}

/// kyaml `toTypeMeta`: an `x-kubernetes-group-version-kind` entry as (apiVersion, kind).
fn type_meta(n: &Node) -> Option<(String, String)> {
    let m = n.as_map()?;
    let version = text(m.get("version"))?;
    let kind = text(m.get("kind"))?;
    let group = text(m.get("group")).unwrap_or_default();
    Some((api_version(&group, &version), String::from(kind)))
}

impl CustomSchema {
    fn empty(layering: Layering, local: bool) -> Self {
        CustomSchema {
            layering,
            local,
            nodes: Vec::new(),
            defs: HashMap::new(),
            forwards: HashMap::new(),
            kinds: HashMap::new(),
            scopes: HashMap::new(),
            redirects: HashMap::new(),
            pending: Vec::new(),
        }
    }

    /// Parses a custom schema file (JSON or YAML; only its first document counts, as with
    /// `sigs.k8s.io/yaml`), to be layered with the builtin tables as `layering` says.
    pub fn parse(text: &str, layering: Layering) -> Result<CustomSchema> {
        let doc = crate::yaml::load::load_documents_with(text, &LoadOptions::kustomization())
            .map_err(|e| err!(Kustomization, "invalid schema file: {}", e.message()))?
            .into_iter()
            .next();
        Self::from_node(doc.as_ref(), layering)
    }

    /// A custom schema from its document (a mapping with `definitions` and `paths`; `None`
    /// or a null document is an empty schema).
    pub fn from_node(doc: Option<&Node>, layering: Layering) -> Result<CustomSchema> {
        let mut s = Self::empty(layering, false);
        let root = match doc {
            None => return Ok(s),
            Some(n) if n.is_null() => return Ok(s),
            Some(Node::Map(m)) => m,
            Some(n) => {
                return Err(err!(
                    Kustomization,
                    "invalid schema file: expected a mapping, found a {}",
                    n.kind_name()
                ))
            }
        };
        match root.get("definitions") {
            None => {}
            Some(n) if n.is_null() => {}
            Some(Node::Map(defs)) => {
                for (name, def) in defs.iter() {
                    let i = s.read_node(def);
                    if let Some(r) = def.get("$ref").and_then(|r| r.as_str()) {
                        s.forwards.insert(i, ref_name(r).unwrap_or_default());
                    }
                    s.defs.insert(name.into(), i);
                    if let Some(Node::Seq(gvks)) = def.get("x-kubernetes-group-version-kind") {
                        for g in gvks {
                            if let Some(key) = type_meta(g) {
                                s.kinds.insert(key, i);
                            }
                        }
                    }
                }
            }
            Some(n) => {
                return Err(err!(
                    Kustomization,
                    "invalid schema file: definitions must be a mapping, not a {}",
                    n.kind_name()
                ))
            }
        }
        if let Some(Node::Map(paths)) = root.get("paths") {
            // kyaml `findNamespaceability`: a GET path under `namespaces/{namespace}` makes
            // the kind namespaced; another GET path makes it cluster-scoped unless known.
            for (path, info) in paths.iter() {
                let Some(key) = info
                    .get("get")
                    .and_then(|g| g.get("x-kubernetes-group-version-kind"))
                    .and_then(type_meta)
                else {
                    continue;
                };
                if path.contains("namespaces/{namespace}") {
                    s.scopes.insert(key, true);
                } else {
                    s.scopes.entry(key).or_insert(false);
                }
            }
        }
        s.resolve_pending();
        if layering == Layering::Over {
            let names: Vec<Box<str>> = s.defs.keys().cloned().collect();
            for name in names {
                if let Some((row, false)) = find_def(&name) {
                    let target = s.follow(&name, 0);
                    s.redirects.insert(row, target);
                }
            }
        }
        Ok(s)
    }

    /// The schemas read from field comments during one merge (kyaml `FieldMeta.Read`): each
    /// comment (`#` included) whose text is a JSON object with some field is a schema; a
    /// `$ref` at its top is resolved in the build's schema (`outer`, else the builtin tables),
    /// and when it does not resolve the object itself is the schema. Returns the arena and,
    /// for each comment that is a schema, its key and the schema's location.
    pub(crate) fn comment_schemas<K: Copy>(
        comments: &[(K, Node)],
        outer: Option<&CustomSchema>,
    ) -> (CustomSchema, Vec<(K, Loc)>) {
        let layering = outer.map_or(Layering::Under, |o| o.layering);
        let mut s = Self::empty(layering, true);
        let mut roots = Vec::new();
        for (k, node) in comments {
            let Some(m) = node.as_map() else { continue };
            if m.is_empty() {
                continue;
            }
            let i = s.read_node(node);
            roots.push((
                *k,
                i,
                m.get("$ref").and_then(|r| r.as_str()).map(str::to_string),
            ));
        }
        let pending = std::mem::take(&mut s.pending);
        for (node, slot, name) in pending {
            let target = name.and_then(|n| Self::resolve_outer(outer, &n));
            s.set_slot(node, slot, target);
        }
        let out = roots
            .into_iter()
            .map(|(k, i, r)| {
                let resolved = r
                    .as_deref()
                    .and_then(ref_name)
                    .and_then(|n| Self::resolve_outer(outer, &n));
                (k, resolved.unwrap_or(Loc::Local(i)))
            })
            .collect();
        (s, out)
    }

    fn resolve_outer(outer: Option<&CustomSchema>, name: &str) -> Option<Loc> {
        match outer {
            Some(o) => o.resolve_name(name, 0),
            None => find_def(name).map(|(row, _)| Loc::Static(row)),
        }
    }

    /// How this schema is layered with the builtin tables.
    pub fn layering(&self) -> Layering {
        self.layering
    }

    /// The names of its definitions (unordered).
    pub fn definition_names(&self) -> impl Iterator<Item = &str> {
        self.defs.keys().map(|k| &**k)
    }

    pub(crate) fn node(&self, i: u32) -> &CNode {
        &self.nodes[i as usize]
    }

    fn own(&self, i: u32) -> Loc {
        if self.local {
            Loc::Local(i)
        } else {
            Loc::Custom(i)
        }
    }

    /// The scope the `paths` give a kind: `Some(true)` namespaced, `Some(false)` cluster.
    pub fn namespaced(&self, group: &str, version: &str, kind: &str) -> Option<bool> {
        if self.scopes.is_empty() {
            return None;
        }
        self.scopes
            .get(&(api_version(group, version), kind.to_string()))
            .copied()
    }

    /// The root schema of a kind (exact `apiVersion` text), given the builtin root row.
    pub(crate) fn root(&self, api_version: &str, kind: &str, builtin: Option<u16>) -> Option<Loc> {
        let custom = || {
            if self.kinds.is_empty() {
                return None;
            }
            self.kinds
                .get(&(api_version.to_string(), kind.to_string()))
                .map(|&i| self.own(i))
        };
        let kust = builtin.filter(|&r| super::DEFS[usize::from(r)].1);
        match self.layering {
            Layering::Only => kust.map(Loc::Static).or_else(custom),
            Layering::Over => kust
                .map(Loc::Static)
                .or_else(custom)
                .or(builtin.map(Loc::Static)),
            Layering::Under => builtin.map(Loc::Static).or_else(custom),
        }
    }

    /// Where a reference to builtin definition `row` leads (see [`Layering::Over`]).
    pub(crate) fn redirect(&self, row: u16) -> Option<Loc> {
        match self.redirects.get(&row) {
            Some(&t) => t,
            None => Some(Loc::Static(row)),
        }
    }

    /// Resolves `#/definitions/<name>` as kyaml does in its layered table, following
    /// definitions that are themselves a bare `$ref`.
    fn resolve_name(&self, name: &str, depth: usize) -> Option<Loc> {
        if depth > MAX_REF_CHAIN {
            return None;
        }
        let builtin = find_def(name);
        match self.layering {
            Layering::Only => match builtin {
                Some((row, true)) => Some(Loc::Static(row)),
                _ => self.follow(name, depth),
            },
            Layering::Over => match builtin {
                Some((row, true)) => Some(Loc::Static(row)),
                _ if self.defs.contains_key(name) => self.follow(name, depth),
                b => b.map(|(row, _)| Loc::Static(row)),
            },
            Layering::Under => match builtin {
                Some((row, _)) => Some(Loc::Static(row)),
                None => self.follow(name, depth),
            },
        }
    }

    /// The custom definition `name`, or where its bare `$ref` leads.
    fn follow(&self, name: &str, depth: usize) -> Option<Loc> {
        let &i = self.defs.get(name)?;
        match self.forwards.get(&i) {
            None => Some(self.own(i)),
            Some(target) => self.resolve_name(target, depth + 1),
        }
    }

    fn resolve_pending(&mut self) {
        let pending = std::mem::take(&mut self.pending);
        for (node, slot, name) in pending {
            let target = name.and_then(|n| self.resolve_name(&n, 0));
            self.set_slot(node, slot, target);
        }
    }

    fn set_slot(&mut self, node: u32, slot: Slot, target: Option<Loc>) {
        let n = &mut self.nodes[node as usize];
        match slot {
            Slot::Prop(i) => n.props[i].target = target,
            Slot::Items => n.items = Some(target),
            Slot::Additional => n.additional = Some(target),
        }
    }

    /// Reads one schema object into a new node (its inline sub-schemas into nodes of their
    /// own, its `$ref`s left pending).
    fn read_node(&mut self, schema: &Node) -> u32 {
        let idx = self.nodes.len() as u32;
        self.nodes.push(CNode {
            kind: TypeKind::Untyped,
            is_array: false,
            props: Vec::new(),
            items: None,
            additional: None,
            strategy: None,
            merge_key: Vec::new(),
            list_type: None,
            map_keys: None,
        });
        let Some(m) = schema.as_map() else { return idx };
        let types: Vec<&str> = match m.get("type") {
            Some(Node::Scalar(s)) if !s.is_null() => vec![s.value.as_str()],
            Some(Node::Seq(items)) => items.iter().filter_map(|t| t.as_str()).collect(),
            _ => Vec::new(),
        };
        let mut props: Vec<(&str, &Node)> = match m.get("properties") {
            Some(Node::Map(p)) => p.iter().collect(),
            _ => Vec::new(),
        };
        props.sort_by(|a, b| a.0.cmp(b.0));
        props.dedup_by(|a, b| a.0 == b.0);
        let mut out_props = Vec::with_capacity(props.len());
        for (i, (name, p)) in props.iter().enumerate() {
            let (target, sib) = match p.get("$ref").and_then(|r| r.as_str()) {
                Some(r) => {
                    self.pending.push((idx, Slot::Prop(i), ref_name(r)));
                    (None, text(p.get("x-kubernetes-patch-strategy")))
                }
                None => {
                    let child = self.read_node(p);
                    (Some(self.own(child)), None)
                }
            };
            out_props.push(Prop {
                name: (*name).into(),
                target,
                sib_strategy: sib,
            });
        }
        let items = match m.get("items") {
            Some(n @ Node::Map(_)) => Some(self.link(idx, Slot::Items, n)),
            _ => None,
        };
        let additional = match m.get("additionalProperties") {
            Some(n @ Node::Map(_)) => Some(self.link(idx, Slot::Additional, n)),
            _ => None,
        };
        let typ = if types.len() == 1 {
            Some(types[0])
        } else {
            None
        };
        let kind = match typ {
            Some("array") => TypeKind::List,
            Some("string") => TypeKind::String,
            Some("integer") => TypeKind::Integer,
            Some("number") => TypeKind::Number,
            Some("boolean") => TypeKind::Boolean,
            t if t == Some("object") || !out_props.is_empty() || additional.is_some() => {
                if additional.is_some() && out_props.is_empty() {
                    TypeKind::Map
                } else {
                    TypeKind::Object
                }
            }
            _ => TypeKind::Untyped,
        };
        let map_keys = match m.get("x-kubernetes-list-map-keys") {
            Some(Node::Seq(keys)) => Some(
                keys.iter()
                    .filter_map(|k| k.as_str())
                    .map(Into::into)
                    .collect(),
            ),
            _ => None,
        };
        let n = &mut self.nodes[idx as usize];
        n.kind = kind;
        n.is_array = types == ["array"];
        n.props = out_props;
        n.items = items;
        n.additional = additional;
        n.strategy = text(m.get("x-kubernetes-patch-strategy"));
        n.merge_key = text(m.get("x-kubernetes-patch-merge-key"))
            .into_iter()
            .collect();
        n.list_type = text(m.get("x-kubernetes-list-type"));
        n.map_keys = map_keys;
        idx
    }

    /// A sub-schema (`items`, `additionalProperties`): a `$ref` (left pending) or an inline
    /// node.
    fn link(&mut self, parent: u32, slot: Slot, n: &Node) -> Option<Loc> {
        match n.get("$ref").and_then(|r| r.as_str()) {
            Some(r) => {
                self.pending.push((parent, slot, ref_name(r)));
                None
            }
            None => {
                let child = self.read_node(n);
                Some(self.own(child))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::{Names, Schema, TypeKind};
    use std::sync::Arc;

    /// A custom resource whose pod template is a `$ref` to a builtin name, plus a (partial)
    /// redefinition of `Container` whose `ports` merge on `name`.
    const DOC: &str = r##"{
      "definitions": {
        "v1alpha1.MyCRD": {
          "type": "object",
          "properties": {
            "spec": {"type": "object", "properties": {
              "template": {"$ref": "#/definitions/io.k8s.api.core.v1.PodTemplateSpec"},
              "alias": {"$ref": "#/definitions/Alias"},
              "loop": {"$ref": "#/definitions/Loop1"},
              "missing": {"$ref": "#/definitions/Nope"},
              "other": {"$ref": "http://example.com/x"},
              "labels": {"type": "object", "additionalProperties": {"type": "string"}},
              "tags": {"type": ["array", "null"], "items": {"type": "string"}, "x-kubernetes-patch-strategy": "merge"}
            }}
          },
          "x-kubernetes-group-version-kind": [
            {"group": "example.com", "kind": "MyCRD", "version": "v1alpha1"},
            {"group": "", "kind": "MyCRD", "version": "v1alpha1"}
          ]
        },
        "Alias": {"$ref": "#/definitions/io.k8s.api.core.v1.Container"},
        "Loop1": {"$ref": "#/definitions/Loop2"},
        "Loop2": {"$ref": "#/definitions/Loop1"},
        "io.k8s.api.core.v1.Container": {
          "type": "object",
          "properties": {
            "name": {"type": "string"},
            "ports": {
              "type": "array",
              "items": {"type": "object", "properties": {"name": {"type": "string"}}},
              "x-kubernetes-patch-strategy": "merge",
              "x-kubernetes-patch-merge-key": "name"
            }
          }
        },
        "io.k8s.api.apps.v1.Kustomization": {"type": "object", "x-kubernetes-group-version-kind": [
          {"group": "kustomize.config.k8s.io", "kind": "Kustomization", "version": "v1beta1"}]}
      },
      "paths": {
        "/apis/example.com/v1alpha1/mycrds": {"get": {"x-kubernetes-group-version-kind":
          {"group": "example.com", "kind": "MyCRD", "version": "v1alpha1"}}},
        "/apis/example.com/v1/clusterthings": {"get": {"x-kubernetes-group-version-kind":
          {"group": "example.com", "kind": "Thing", "version": "v1"}}},
        "/apis/example.com/v1/namespaces/{namespace}/things": {"get": {"x-kubernetes-group-version-kind":
          {"group": "example.com", "kind": "Thing", "version": "v1"}}},
        "/api/v1/namespaces": {"get": {"x-kubernetes-group-version-kind":
          {"group": "", "kind": "Namespace", "version": "v1"}}}
      }
    }"##;

    fn schema(layering: Layering) -> Schema {
        Schema::with_custom(Arc::new(CustomSchema::parse(DOC, layering).unwrap()))
    }

    fn keys(n: Names<'_>) -> Vec<String> {
        n.to_vec()
    }

    #[test]
    fn custom_kinds_and_fields() {
        for layering in [Layering::Only, Layering::Under, Layering::Over] {
            let s = schema(layering);
            let root = s.root_type_for("example.com/v1alpha1", "MyCRD").unwrap();
            assert_eq!(root.kind(), TypeKind::Object, "{layering:?}");
            // The kind is also known without a group (the second GVK), by exact text only.
            assert!(s.root_type_for("v1alpha1", "MyCRD").is_some());
            assert!(s.root_type_for("/v1alpha1", "MyCRD").is_none());
            let spec = root.field("spec").unwrap().ty();
            let labels = spec.field("labels").unwrap().ty();
            assert_eq!(labels.kind(), TypeKind::Map);
            assert_eq!(labels.field("any").unwrap().kind(), TypeKind::String);
            assert_eq!(labels.elements(), None);
            // `type: [array, null]` is not an array for kyaml's Elements.
            let tags = spec.field("tags").unwrap().ty();
            assert!(tags.has_merge_strategy());
            assert_eq!(tags.elements(), None);
            // References that do not resolve: no schema for the field.
            assert!(spec.field("missing").is_none());
            assert!(spec.field("other").is_none());
            assert!(spec.field("loop").is_none());
            assert!(spec.field("nope").is_none());
            // Resolved: alias, labels, tags, and the template unless builtin names are unknown.
            assert_eq!(
                spec.fields().len(),
                if layering == Layering::Only { 3 } else { 4 }
            );
        }
    }

    #[test]
    fn only_custom() {
        let s = schema(Layering::Only);
        // Builtin kinds have no schema; builtin names do not resolve.
        assert!(s.root_type_for("apps/v1", "Deployment").is_none());
        let spec = s
            .root_type_for("example.com/v1alpha1", "MyCRD")
            .unwrap()
            .field("spec")
            .unwrap()
            .ty();
        assert!(spec.field("template").is_none());
        // The kustomization schema is loaded after the custom one and wins.
        let k = s
            .root_type_for("kustomize.config.k8s.io/v1beta1", "Kustomization")
            .unwrap();
        assert!(k.field("configMapGenerator").is_some());
        // A bare `$ref` definition is followed.
        let ports = spec.lookup(&["alias", "ports"]).unwrap();
        assert_eq!(keys(ports.merge_keys()), ["name"]);
    }

    #[test]
    fn builtin_under_custom() {
        let s = schema(Layering::Under);
        // The builtin schema wins names: the template's containers are builtin ones.
        let spec = s
            .root_type_for("example.com/v1alpha1", "MyCRD")
            .unwrap()
            .field("spec")
            .unwrap()
            .ty();
        let ports = spec
            .lookup(&["template", "spec", "containers", "[]", "ports"])
            .unwrap();
        assert_eq!(keys(ports.merge_keys()), ["containerPort", "protocol"]);
        assert_eq!(
            keys(spec.lookup(&["alias", "ports"]).unwrap().merge_keys()),
            ["containerPort", "protocol"]
        );
        let dep = s.root_type_for("apps/v1", "Deployment").unwrap();
        let ports = dep
            .lookup(&["spec", "template", "spec", "containers", "[]", "ports"])
            .unwrap();
        assert_eq!(keys(ports.merge_keys()), ["containerPort", "protocol"]);
        assert!(s
            .root_type_for("kustomize.config.k8s.io/v1beta1", "Kustomization")
            .unwrap()
            .field("secretGenerator")
            .is_some());
    }

    #[test]
    fn custom_over_builtin() {
        let s = schema(Layering::Over);
        // Builtin definitions referring to `Container` now reach the custom one.
        let dep = s.root_type_for("apps/v1", "Deployment").unwrap();
        let containers = dep
            .lookup(&["spec", "template", "spec", "containers"])
            .unwrap();
        assert_eq!(keys(containers.merge_keys()), ["name"]);
        let c = containers.elements().unwrap();
        assert!(c.field("image").is_none());
        assert_eq!(keys(c.field("ports").unwrap().merge_keys()), ["name"]);
        // Other builtin definitions are untouched.
        let vols = dep
            .lookup(&["spec", "template", "spec", "volumes"])
            .unwrap();
        assert_eq!(vols.patch_strategy(), Some("merge,retainKeys"));
        // The kustomization schema still wins its names.
        let k = s
            .root_type_for("kustomize.config.k8s.io/v1beta1", "Kustomization")
            .unwrap();
        assert!(k.field("configMapGenerator").is_some());
        // The builtin tables alone are unaffected.
        let b = crate::schema::root_type_for("apps/v1", "Deployment").unwrap();
        let ports = b
            .lookup(&["spec", "template", "spec", "containers", "[]", "ports"])
            .unwrap();
        assert_eq!(keys(ports.merge_keys()), ["containerPort", "protocol"]);
    }

    #[test]
    fn scopes_from_paths() {
        let s = schema(Layering::Only);
        let c = s.custom().unwrap();
        assert_eq!(
            c.namespaced("example.com", "v1alpha1", "MyCRD"),
            Some(false)
        );
        // A namespaced path wins whatever the order.
        assert_eq!(c.namespaced("example.com", "v1", "Thing"), Some(true));
        assert_eq!(c.namespaced("example.com", "v1", "Other"), None);
        assert!(s.is_cluster_scoped("example.com/v1alpha1", "MyCRD"));
        assert!(!s.is_cluster_scoped("example.com/v1", "Thing"));
        // The builtin (precomputed) scopes come first.
        assert!(s.is_cluster_scoped("v1", "Namespace"));
        assert!(!s.is_cluster_scoped("v1", "ConfigMap"));
        assert!(!Schema::builtin().is_cluster_scoped("example.com/v1alpha1", "MyCRD"));
    }

    #[test]
    fn yaml_documents_and_errors() {
        let yaml = "definitions:\n  v1.Foo:\n    properties:\n      list:\n        type: array\n        items:\n          $ref: '#/definitions/v1.Item'\n        x-kubernetes-patch-strategy: merge\n        x-kubernetes-patch-merge-key: id\n    x-kubernetes-group-version-kind:\n    - {group: a.b, version: v1, kind: Foo}\n  v1.Item:\n    properties:\n      id: {type: integer}\n";
        let s = Schema::with_custom(Arc::new(CustomSchema::parse(yaml, Layering::Only).unwrap()));
        let list = s
            .root_type_for("a.b/v1", "Foo")
            .unwrap()
            .field("list")
            .unwrap();
        assert_eq!(list.merge_key(), Some("id"));
        assert_eq!(
            list.ty().elements().unwrap().field("id").unwrap().kind(),
            TypeKind::Integer
        );
        assert!(CustomSchema::parse("", Layering::Only).is_ok());
        assert!(CustomSchema::parse("- a\n", Layering::Only).is_err());
        assert!(CustomSchema::parse("definitions: [a]\n", Layering::Only).is_err());
        assert!(CustomSchema::parse("{", Layering::Only).is_err());
    }

    #[test]
    fn comment_schemas() {
        let parse = |t: &str| crate::yaml::load_one(t).unwrap().unwrap();
        let comments = vec![
            (
                1usize,
                parse(
                    r##"{"items": {"$ref": "#/definitions/io.k8s.api.core.v1.Container"}, "type": "array", "x-kubernetes-patch-merge-key": "name", "x-kubernetes-patch-strategy": "merge"}"##,
                ),
            ),
            (
                2,
                parse(r##"{"$ref": "#/definitions/io.k8s.api.core.v1.PodSpec"}"##),
            ),
            (
                3,
                parse(r##"{"$ref": "#/definitions/Nope", "type": "object"}"##),
            ),
            (4, parse("{}")),
            (5, parse("[1]")),
        ];
        // Builtin schema.
        let (arena, locs) = CustomSchema::comment_schemas(&comments, None);
        assert_eq!(locs.len(), 3);
        let cx = crate::schema::Cx {
            custom: None,
            local: Some(&arena),
        };
        let list = cx.at(locs[0].1);
        assert_eq!(keys(list.merge_keys()), ["name"]);
        let ports = list.elements().unwrap().field("ports").unwrap();
        assert_eq!(keys(ports.merge_keys()), ["containerPort", "protocol"]);
        let pod = cx.at(locs[1].1);
        assert!(matches!(locs[1].1, Loc::Static(_)));
        assert!(pod.field("containers").unwrap().has_merge_strategy());
        // An unresolved `$ref`: the object itself.
        assert_eq!(cx.at(locs[2].1).kind(), TypeKind::Object);
        // With a custom schema (only), builtin names do not resolve.
        let custom = CustomSchema::parse(DOC, Layering::Only).unwrap();
        let (arena, locs) = CustomSchema::comment_schemas(&comments, Some(&custom));
        let cx = crate::schema::Cx {
            custom: Some(&custom),
            local: Some(&arena),
        };
        let list = cx.at(locs[0].1);
        assert_eq!(
            keys(
                list.elements()
                    .unwrap()
                    .field("ports")
                    .unwrap()
                    .merge_keys()
            ),
            ["name"]
        );
        assert!(matches!(locs[1].1, Loc::Local(_)));
    }
}
