//! Resources and their ids.
//!
//! A [`Resource`] is one Kubernetes object (a YAML mapping) plus the build state kustomize
//! keeps in internal annotations: previous ids (for the name-reference fix-up), name prefixes
//! and suffixes applied, origin, generator behaviour. Here that state lives in typed fields.

mod list;
mod load;
pub use load::{resources_from_documents, resources_from_str};
pub use list::ResourceList;

use crate::yaml::{Mapping, Node};
use std::fmt;

/// Group, version, kind.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Gvk {
    pub group: String,
    pub version: String,
    pub kind: String,
}

impl Gvk {
    pub fn new(group: &str, version: &str, kind: &str) -> Self {
        Gvk { group: group.into(), version: version.into(), kind: kind.into() }
    }
    /// From an `apiVersion` (`apps/v1`, `v1`) and a kind.
    pub fn from_api_version(api_version: &str, kind: &str) -> Self {
        let (g, v) = parse_group_version(api_version);
        Gvk::new(g, v, kind)
    }
    pub fn api_version(&self) -> String {
        if self.group.is_empty() {
            self.version.clone()
        } else {
            format!("{}/{}", self.group, self.version)
        }
    }
    /// Whether the schema says this kind is certainly cluster-scoped.
    pub fn is_cluster_scoped(&self) -> bool {
        if self.group.is_empty() && self.version.contains('/') {
            // Only a hand-made Gvk: split its apiVersion as kustomize would.
            return crate::schema::is_cluster_scoped(&self.api_version(), &self.kind);
        }
        crate::schema::is_cluster_scoped_gvk(&self.group, &self.version, &self.kind)
    }
    /// kustomize's selector match: empty selector fields match anything.
    pub fn is_selected_by(&self, sel: &Gvk) -> bool {
        (sel.group.is_empty() || sel.group == self.group)
            && (sel.version.is_empty() || sel.version == self.version)
            && (sel.kind.is_empty() || sel.kind == self.kind)
    }
}

impl fmt::Display for Gvk {
    /// kustomize's `Gvk.String()`: `Kind.version.group` with `[noKind]`-style fillers.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let or = |s: &str, d: &'static str| if s.is_empty() { d.to_string() } else { s.to_string() };
        write!(f, "{}.{}.{}", or(&self.kind, "[noKind]"), or(&self.version, "[noVer]"), or(&self.group, "[noGrp]"))
    }
}

/// `apps/v1` -> (`apps`, `v1`); `v1` -> (``, `v1`).
pub fn parse_group_version(api_version: &str) -> (&str, &str) {
    // A byte loop: `str::find` with a char pattern costs several times more on such short text.
    match api_version.bytes().position(|b| b == b'/') {
        Some(i) => (&api_version[..i], &api_version[i + 1..]),
        None => ("", api_version),
    }
}

/// A resource id: gvk, name, namespace.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct ResId {
    pub gvk: Gvk,
    pub name: String,
    pub namespace: String,
}

pub const DEFAULT_NAMESPACE: &str = "default";

impl ResId {
    pub fn new(gvk: Gvk, name: &str, namespace: &str) -> Self {
        ResId { gvk, name: name.into(), namespace: namespace.into() }
    }
    /// The namespace used for equality: `default` for an empty one, nothing for
    /// cluster-scoped kinds.
    pub fn effective_namespace(&self) -> &str {
        if self.gvk.is_cluster_scoped() {
            "_non_namespaceable_"
        } else if self.namespace.is_empty() {
            DEFAULT_NAMESPACE
        } else {
            &self.namespace
        }
    }
    /// kustomize's `ResId.Equals`.
    pub fn equals(&self, o: &ResId) -> bool {
        self.name == o.name && self.gvk == o.gvk && self.effective_namespace() == o.effective_namespace()
    }
    pub fn gvkn_equals(&self, o: &ResId) -> bool {
        self.name == o.name && self.gvk == o.gvk
    }
    /// A key for hash maps that agrees with [`ResId::equals`].
    pub fn key(&self) -> (Gvk, String, String) {
        (self.gvk.clone(), self.name.clone(), self.effective_namespace().to_string())
    }
}

impl fmt::Display for ResId {
    /// kustomize's `ResId.String()`: `Kind.version.group/name.namespace`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let ns = if self.namespace.is_empty() { "[noNs]" } else { &self.namespace };
        let nm = if self.name.is_empty() { "[noName]" } else { &self.name };
        write!(f, "{}/{}.{}", self.gvk, nm, ns)
    }
}

/// Where a resource came from (buildMetadata: originAnnotations).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Origin {
    /// Path relative to the build root, of the file or of the kustomization that generated it.
    pub path: String,
    pub repo: Option<String>,
    pub git_ref: Option<String>,
    /// For generated resources and transformers: the kustomization file that configured them.
    pub configured_in: String,
    /// For generated resources and transformers: the config's apiVersion/kind/name.
    pub config: Option<ResId>,
}

/// How a generated resource relates to one of the same id in a base.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Behavior {
    #[default]
    Unspecified,
    Create,
    Replace,
    Merge,
}

/// One Kubernetes object and its build state.
#[derive(Clone, Debug, PartialEq)]
pub struct Resource {
    /// The object; always a mapping.
    pub node: Node,
    /// Earlier (namespace, name, kind) of this resource, oldest first.
    pub prev_ids: Vec<ResId>,
    /// Name prefixes and suffixes applied, innermost first.
    pub prefixes: Vec<String>,
    pub suffixes: Vec<String>,
    pub origin: Option<Origin>,
    /// Transformers that changed this resource (buildMetadata: transformerAnnotations).
    pub transformations: Vec<Origin>,
    pub behavior: Behavior,
    pub needs_hash: bool,
    /// Ids of resources whose fields refer to this one (filled by the name-reference fix-up).
    pub ref_by: Vec<ResId>,
    /// Vars that refer to fields of this resource.
    pub ref_var_names: Vec<String>,
    pub allow_name_change: bool,
    pub allow_kind_change: bool,
}

impl Resource {
    pub fn new(node: Node) -> Self {
        Resource {
            node,
            prev_ids: Vec::new(),
            prefixes: Vec::new(),
            suffixes: Vec::new(),
            origin: None,
            transformations: Vec::new(),
            behavior: Behavior::Unspecified,
            needs_hash: false,
            ref_by: Vec::new(),
            ref_var_names: Vec::new(),
            allow_name_change: false,
            allow_kind_change: false,
        }
    }
    pub fn map(&self) -> &Mapping {
        match &self.node {
            Node::Map(m) => m,
            _ => unreachable_map(),
        }
    }
    pub fn map_mut(&mut self) -> &mut Mapping {
        if !matches!(self.node, Node::Map(_)) {
            self.node = Node::map();
        }
        match &mut self.node {
            Node::Map(m) => m,
            _ => unreachable_map(),
        }
    }
    /// The text of a scalar field; "" when missing, null or not a scalar (as kyaml reads it).
    fn str_field(&self, path: &[&str]) -> &str {
        scalar_text(self.node.get_path(path))
    }
    pub fn api_version(&self) -> &str {
        self.str_field(&["apiVersion"])
    }
    pub fn kind(&self) -> &str {
        self.str_field(&["kind"])
    }
    pub fn name(&self) -> &str {
        self.str_field(&["metadata", "name"])
    }
    pub fn namespace(&self) -> &str {
        self.str_field(&["metadata", "namespace"])
    }
    pub fn gvk(&self) -> Gvk {
        let p = self.id_parts();
        Gvk::new(p.group, p.version, p.kind)
    }
    /// The current id.
    pub fn cur_id(&self) -> ResId {
        let p = self.id_parts();
        ResId { gvk: Gvk::new(p.group, p.version, p.kind), name: p.name.into(), namespace: p.namespace.into() }
    }
    /// The parts of the current id, borrowed, as [`Resource::api_version`], [`Resource::kind`],
    /// [`Resource::name`] and [`Resource::namespace`] read them (the first entry of each key,
    /// when a non-null scalar; "" otherwise), in one pass over the root mapping and one over
    /// `metadata`.
    pub fn id_parts(&self) -> IdParts<'_> {
        let (mut api_version, mut kind, mut meta): (Option<&Node>, Option<&Node>, Option<&Node>) = (None, None, None);
        if let Node::Map(m) = &self.node {
            for e in &m.entries {
                match e.key.as_str() {
                    "apiVersion" if api_version.is_none() => api_version = Some(&e.value),
                    "kind" if kind.is_none() => kind = Some(&e.value),
                    "metadata" if meta.is_none() => meta = Some(&e.value),
                    _ => continue,
                }
                if api_version.is_some() && kind.is_some() && meta.is_some() {
                    break;
                }
            }
        }
        let (mut name, mut namespace): (Option<&Node>, Option<&Node>) = (None, None);
        if let Some(Node::Map(m)) = meta {
            for e in &m.entries {
                match e.key.as_str() {
                    "name" if name.is_none() => name = Some(&e.value),
                    "namespace" if namespace.is_none() => namespace = Some(&e.value),
                    _ => continue,
                }
                if name.is_some() && namespace.is_some() {
                    break;
                }
            }
        }
        let (group, version) = parse_group_version(scalar_text(api_version));
        IdParts { group, version, kind: scalar_text(kind), name: scalar_text(name), namespace: scalar_text(namespace) }
    }
    /// The id the resource had when it entered the build.
    pub fn orig_id(&self) -> ResId {
        self.prev_ids.first().cloned().unwrap_or_else(|| self.cur_id())
    }
    /// Remembers the current id before a rename (kustomize's StorePreviousId).
    pub fn store_previous_id(&mut self) {
        // The current id's parts, with its effective namespace (one string each).
        let p = self.id_parts();
        let gvk = Gvk::new(p.group, p.version, p.kind);
        let ns = if gvk.is_cluster_scoped() {
            "_non_namespaceable_"
        } else {
            match p.namespace {
                "" => DEFAULT_NAMESPACE,
                ns => ns,
            }
        };
        let id = ResId { name: p.name.to_string(), namespace: ns.to_string(), gvk };
        self.prev_ids.push(id);
    }
    pub fn set_name(&mut self, name: &str) {
        self.map_mut().get_or_insert_map("metadata").insert("name", Node::string(name));
    }
    pub fn set_namespace(&mut self, ns: &str) {
        self.map_mut().get_or_insert_map("metadata").insert("namespace", Node::string(ns));
    }
    pub fn set_kind(&mut self, kind: &str) {
        self.map_mut().insert("kind", Node::string(kind));
    }
    /// A string map at `metadata.<field>` (labels, annotations) as pairs in source order.
    pub fn string_map(&self, field: &str) -> Vec<(String, String)> {
        match self.node.get_path(&["metadata", field]) {
            Some(Node::Map(m)) => m.iter().map(|(k, v)| (k.to_string(), v.as_str().unwrap_or("").to_string())).collect(),
            _ => Vec::new(),
        }
    }
    pub fn labels(&self) -> Vec<(String, String)> {
        self.string_map("labels")
    }
    pub fn annotations(&self) -> Vec<(String, String)> {
        self.string_map("annotations")
    }
    pub fn annotation(&self, key: &str) -> Option<&str> {
        self.node.get_path(&["metadata", "annotations", key])?.as_str()
    }
    pub fn label(&self, key: &str) -> Option<&str> {
        self.node.get_path(&["metadata", "labels", key])?.as_str()
    }
    /// kustomize's `OutermostPrefixSuffix` comparison helper: whether this resource's prefix and
    /// suffix lists end the same way as `other`'s.
    pub fn prefixes_suffixes_equal(&self, other: &Resource, allow_empty: bool) -> bool {
        fn same_ending(a: &[String], b: &[String]) -> bool {
            let n = a.len().min(b.len());
            if n == 0 {
                return a.len() == b.len();
            }
            a[a.len() - n..] == b[b.len() - n..]
        }
        if allow_empty {
            let pe = self.prefixes.is_empty() || other.prefixes.is_empty();
            let se = self.suffixes.is_empty() || other.suffixes.is_empty();
            (pe || same_ending(&self.prefixes, &other.prefixes)) && (se || same_ending(&self.suffixes, &other.suffixes))
        } else {
            same_ending(&self.prefixes, &other.prefixes) && same_ending(&self.suffixes, &other.suffixes)
        }
    }
}

/// The parts of a resource's current id, borrowed (see [`Resource::id_parts`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IdParts<'a> {
    pub group: &'a str,
    pub version: &'a str,
    pub kind: &'a str,
    pub name: &'a str,
    /// The raw namespace ("" when unset).
    pub namespace: &'a str,
}

/// The text of a scalar; "" for none, a null or a collection (as kyaml reads a field).
pub(crate) fn scalar_text(n: Option<&Node>) -> &str {
    match n {
        // Untagged text of a length no null spelling has (`""`, `~`, `null` in its cases), or
        // not starting as one, is never null: the usual names, kinds and versions skip the
        // general check.
        Some(Node::Scalar(s))
            if s.tag.is_none()
                && (!matches!(s.value.len(), 0 | 1 | 4) || !matches!(s.value.as_bytes().first(), None | Some(b'~' | b'n' | b'N'))) =>
        {
            &s.value
        }
        Some(Node::Scalar(s)) if !s.is_null() => &s.value,
        _ => "",
    }
}

#[cold]
fn unreachable_map() -> ! {
    unreachable!("a resource is always a mapping")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `id_parts` reads what the one-field accessors read (first entry of a key, "" for a
    /// missing, null or non-scalar value), on roots with repeated, missing, null, tagged and
    /// collection-valued fields, in any order.
    #[test]
    fn id_parts_agree_with_the_accessors() {
        let api = ["apiVersion: apps/v1", "apiVersion: v1", "apiVersion: ~", "apiVersion: [a]", "apiVersion: 'null'", "apiVersion: /v1", "apiVersion: a/b/c", ""];
        let kind = ["kind: Deployment", "kind: !!null x", "kind: {a: b}", "kind: \"\"", ""];
        let meta = [
            "metadata: {name: n, namespace: ns}",
            "metadata: {namespace: ns, name: n}",
            "metadata: {name: null, namespace: ~}",
            "metadata: {name: [x], namespace: {a: b}}",
            "metadata: [a]",
            "metadata: ~",
            "metadata: {labels: {a: b}}",
            "",
        ];
        // Appended after the rest (a repeated key when the root has it already); the
        // parser refuses repeated keys, so they are added to the loaded node.
        let extra = ["", "apiVersion: v2", "kind: Again", "metadata: {name: later}"];
        let entry = |text: &str| match crate::yaml::load_documents(text).unwrap().remove(0) {
            Node::Map(mut m) => m.entries.remove(0),
            _ => unreachable!(),
        };
        let mut n = 0;
        for a in api {
            for k in kind {
                for m in meta {
                    for (i, x) in extra.iter().enumerate() {
                        // Rotate the field order with the extra field.
                        let mut lines = vec![a, k, m];
                        lines.rotate_left(i % 3);
                        let text: String = lines.iter().filter(|l| !l.is_empty()).map(|l| format!("{}\n", l)).collect();
                        let text = if text.is_empty() { "{}\n".to_string() } else { text };
                        let mut r = Resource::new(crate::yaml::load_documents(&text).unwrap().remove(0));
                        if !x.is_empty() {
                            r.map_mut().entries.push(entry(x));
                        }
                        // A second `name` in metadata, for some.
                        if i == 2 {
                            if let Some(Node::Map(md)) = r.map_mut().get_mut("metadata") {
                                md.entries.push(entry("name: second"));
                            }
                        }
                        let p = r.id_parts();
                        let (g, v) = parse_group_version(r.api_version());
                        let want = IdParts { group: g, version: v, kind: r.kind(), name: r.name(), namespace: r.namespace() };
                        assert_eq!(p, want, "{} + {}", text, x);
                        assert_eq!(r.cur_id(), ResId::new(Gvk::from_api_version(r.api_version(), r.kind()), r.name(), r.namespace()));
                        n += 1;
                    }
                }
            }
        }
        assert!(n > 900);
    }

    /// The shortcut for untagged text gives what `Scalar::is_null` decides, for every style,
    /// tag and text around the null spellings.
    #[test]
    fn scalar_text_is_the_text_of_non_null_scalars() {
        use crate::yaml::{Scalar, Style};
        let texts = ["", "~", "~~", "a", "ab", "nul", "null", "Null", "NULL", "nULL", "abcd", "nulls", "prod", "default"];
        let styles = [Style::Plain, Style::SingleQuoted, Style::DoubleQuoted, Style::Literal, Style::Folded];
        let tags = [None, Some("!!null"), Some("!"), Some("!!str"), Some("!x")];
        let mut nulls = 0;
        for t in texts {
            for style in styles {
                for tag in tags {
                    let s = Scalar { value: t.to_string(), style, tag: tag.map(Into::into) };
                    let want = if s.is_null() { "" } else { t };
                    nulls += usize::from(s.is_null());
                    assert_eq!(scalar_text(Some(&Node::Scalar(s.clone()))), want, "{:?}", s);
                }
            }
        }
        assert!(nulls > 14);
        assert_eq!(scalar_text(Some(&Node::map())), "");
        assert_eq!(scalar_text(None), "");
    }

    #[test]
    fn group_version_splits_at_the_first_slash() {
        assert_eq!(parse_group_version("apps/v1"), ("apps", "v1"));
        assert_eq!(parse_group_version("v1"), ("", "v1"));
        assert_eq!(parse_group_version("/v1"), ("", "v1"));
        assert_eq!(parse_group_version("a/b/c"), ("a", "b/c"));
        assert_eq!(parse_group_version(""), ("", ""));
    }
}
