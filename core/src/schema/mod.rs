//! Kubernetes schema data compiled from the OpenAPI document kustomize v5.5.0 embeds
//! (Kubernetes v1.21.2, via kyaml v0.18.1), plus the small kustomization schema kyaml loads
//! next to it.
//!
//! The tables live in `generated.rs`, written by `python3 tools/gen_schema.py` (see its
//! docstring for the layout). Everything here is `&'static` data: lookups do not parse or
//! allocate.
//!
//! Three questions are answered:
//!
//! * **Scope** ([`is_namespaced`], [`is_cluster_scoped`]): which kinds are cluster-scoped, as
//!   kyaml's `openapi.IsCertainlyClusterScoped` decides it.
//! * **Strategic-merge metadata** ([`root_type`], [`TypeRef`], [`FieldRef`]): a walk down the
//!   schema of a top-level kind, field by field, with the list extensions
//!   (`x-kubernetes-patch-strategy`, `x-kubernetes-patch-merge-key`,
//!   `x-kubernetes-list-type`, `x-kubernetes-list-map-keys`). The walk follows kyaml's
//!   `ResourceSchema.Field` / `Elements` exactly, including its quirks (noted on each method).
//! * **Kind list** ([`is_known_kind`]).

#[rustfmt::skip]
mod generated;

use generated::{EXTS, FIELDS, KINDS, TYPES};

/// "No index" in the generated tables.
const NO: u16 = u16::MAX;

const SCOPE_NAMESPACED: u8 = 1;
const SCOPE_CLUSTER: u8 = 2;

/// A schema node: (kind code, first field, field count, items type or `NO`, ext index).
struct TypeDef(u8, u16, u16, u16, u8);
/// A property: (name, type, ext index of extensions written beside a `$ref`).
struct FieldDef(&'static str, u16, u8);
/// Extensions: (patch strategy, merge key (0 or 1 element), list type, list map keys).
struct ExtDef(
    Option<&'static str>,
    &'static [&'static str],
    Option<&'static str>,
    &'static [&'static str],
);
/// A known kind: (group, version, kind, scope code, root type or `NO`).
struct KindDef(&'static str, &'static str, &'static str, u8, u16);

/// Splits an `apiVersion` into group and version the way kustomize does
/// (`resid.ParseGroupVersion`): at the first `/`; without one the group is empty.
pub fn split_api_version(api_version: &str) -> (&str, &str) {
    match api_version.find('/') {
        Some(i) => (&api_version[..i], &api_version[i + 1..]),
        None => ("", api_version),
    }
}

fn find_kind(group: &str, version: &str, kind: &str) -> Option<&'static KindDef> {
    KINDS
        .binary_search_by(|k| (k.0, k.1, k.2).cmp(&(group, version, kind)))
        .ok()
        .map(|i| &KINDS[i])
}

/// Whether the schema says the kind is namespaced (`Some(true)`) or cluster-scoped
/// (`Some(false)`); `None` when its scope is not known.
///
/// The lookup is exact on group, version and kind (case-sensitive): kyaml keys its table by
/// `TypeMeta{APIVersion, Kind}`, so `rbac.authorization.k8s.io/v1alpha1` `ClusterRole` is
/// unknown even though `v1` and `v1beta1` are known. The scopes come from the document's API
/// paths (a GET path under `namespaces/{namespace}` for the kind makes it namespaced; a path
/// without it makes it cluster-scoped) and are identical to kyaml's
/// `precomputedIsNamespaceScoped` table (82 kinds, including `NodeProxyOptions`,
/// `PodExecOptions` etc. that have no definition). List kinds, `DeleteOptions`, `WatchEvent`,
/// review kinds and the kustomization kinds have no scope (`None`).
pub fn is_namespaced(group: &str, version: &str, kind: &str) -> Option<bool> {
    match find_kind(group, version, kind)?.3 {
        SCOPE_NAMESPACED => Some(true),
        SCOPE_CLUSTER => Some(false),
        _ => None,
    }
}

/// kustomize's cluster-scope rule (kyaml `openapi.IsCertainlyClusterScoped`, used by
/// `resid.NewGvk` for resource ids and by the namespace transformer): cluster-scoped only if the
/// schema knows the kind **and** says it is not namespaced. Unknown kinds (custom resources,
/// unknown versions, kinds spelled differently) are treated as namespaced.
///
/// `api_version` is split as [`split_api_version`] does, so `"/v1"` behaves like `"v1"`.
pub fn is_cluster_scoped(api_version: &str, kind: &str) -> bool {
    let (group, version) = split_api_version(api_version);
    is_namespaced(group, version, kind) == Some(false)
}

/// Whether the schema knows this group/version/kind at all: it is the
/// `x-kubernetes-group-version-kind` of a definition, or an API path names it (scope only, e.g.
/// `v1` `PodExecOptions`). Includes the kustomization kinds (`kustomize.config.k8s.io/v1beta1`
/// `Kustomization`, `ConfigMapArgs`, ...), which kyaml loads into the same schema.
pub fn is_known_kind(group: &str, version: &str, kind: &str) -> bool {
    find_kind(group, version, kind).is_some()
}

/// The schema of a top-level kind (kyaml `SchemaForResourceType`): the definition whose
/// `x-kubernetes-group-version-kind` names exactly this group, version and kind.
pub fn root_type(group: &str, version: &str, kind: &str) -> Option<TypeRef> {
    let k = find_kind(group, version, kind)?;
    (k.4 != NO).then_some(TypeRef(k.4))
}

/// [`root_type`] for an `apiVersion` string and a kind.
pub fn root_type_for(api_version: &str, kind: &str) -> Option<TypeRef> {
    let (group, version) = split_api_version(api_version);
    root_type(group, version, kind)
}

/// What a schema node describes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TypeKind {
    /// `type: object` with named properties (possibly none, e.g. `RawExtension`).
    Object,
    /// `type: object` with `additionalProperties`: a map whose values have the type
    /// [`TypeRef::items`] (e.g. `metadata.labels`).
    Map,
    /// `type: array` whose elements have the type [`TypeRef::items`].
    List,
    /// `type: string` (also quantities, int-or-string, byte strings, dates).
    String,
    /// `type: integer`.
    Integer,
    /// `type: number`.
    Number,
    /// `type: boolean`.
    Boolean,
    /// No `type` (e.g. `apiextensions.v1.JSON`): anything goes; no fields, no items.
    Untyped,
}

impl TypeKind {
    fn from_code(code: u8) -> TypeKind {
        match code {
            0 => TypeKind::Object,
            1 => TypeKind::Map,
            2 => TypeKind::List,
            3 => TypeKind::String,
            4 => TypeKind::Integer,
            5 => TypeKind::Number,
            6 => TypeKind::Boolean,
            _ => TypeKind::Untyped,
        }
    }

    /// String, integer, number or boolean.
    pub fn is_scalar(self) -> bool {
        matches!(
            self,
            TypeKind::String | TypeKind::Integer | TypeKind::Number | TypeKind::Boolean
        )
    }
}

/// A node of the schema: a definition (`io.k8s.api.core.v1.PodSpec`) or an inline schema
/// (a list, a map, a scalar). Cheap to copy; identical inline schemas share one node.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct TypeRef(u16);

impl std::fmt::Debug for TypeRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "TypeRef(#{} {:?})", self.0, self.kind())
    }
}

impl TypeRef {
    fn def(self) -> &'static TypeDef {
        &TYPES[usize::from(self.0)]
    }

    fn ext(self) -> &'static ExtDef {
        &EXTS[usize::from(self.def().4)]
    }

    fn field_defs(self) -> &'static [FieldDef] {
        let t = self.def();
        let start = usize::from(t.1);
        &FIELDS[start..start + usize::from(t.2)]
    }

    /// What this node describes.
    pub fn kind(self) -> TypeKind {
        TypeKind::from_code(self.def().0)
    }

    /// The schema of field `name` (kyaml `ResourceSchema.Field`): the declared property of that
    /// name, or else, for a map, the value type (any key). `None` when the schema has no such
    /// field; kustomize then walks that subtree without a schema.
    pub fn field(self, name: &str) -> Option<FieldRef> {
        let defs = self.field_defs();
        if let Ok(i) = defs.binary_search_by(|f| f.0.cmp(name)) {
            let f = &defs[i];
            return Some(FieldRef { ty: f.1, sib: f.2 });
        }
        let t = self.def();
        if t.3 != NO && matches!(self.kind(), TypeKind::Object | TypeKind::Map) {
            return Some(FieldRef { ty: t.3, sib: 0 });
        }
        None
    }

    /// The declared properties, sorted by name (byte order).
    pub fn fields(self) -> impl Iterator<Item = (&'static str, FieldRef)> {
        self.field_defs()
            .iter()
            .map(|f| (f.0, FieldRef { ty: f.1, sib: f.2 }))
    }

    /// The element type of a list or the value type of a map.
    pub fn items(self) -> Option<TypeRef> {
        let t = self.def();
        (t.3 != NO).then_some(TypeRef(t.3))
    }

    /// The element type of a list only (kyaml `ResourceSchema.Elements`, which requires
    /// `type: array`).
    pub fn elements(self) -> Option<TypeRef> {
        if self.kind() == TypeKind::List {
            self.items()
        } else {
            None
        }
    }

    /// Follows a path as kyaml `ResourceSchema.Lookup` does: `"[]"` steps into list elements,
    /// anything else is a field name.
    pub fn lookup(self, path: &[&str]) -> Option<TypeRef> {
        let mut t = self;
        for step in path {
            t = if *step == "[]" {
                t.elements()?
            } else {
                t.field(step)?.ty()
            };
        }
        Some(t)
    }

    /// `x-kubernetes-patch-strategy` of this node: `merge`, `replace`, `retainKeys` or
    /// `merge,retainKeys`.
    pub fn patch_strategy(self) -> Option<&'static str> {
        self.ext().0
    }

    /// `x-kubernetes-patch-merge-key`.
    pub fn merge_key(self) -> Option<&'static str> {
        self.ext().1.first().copied()
    }

    /// `x-kubernetes-list-type`: `atomic`, `set` or `map`.
    pub fn list_type(self) -> Option<&'static str> {
        self.ext().2
    }

    /// `x-kubernetes-list-map-keys` (empty when absent).
    pub fn list_map_keys(self) -> &'static [&'static str] {
        self.ext().3
    }

    /// The merge keys kyaml uses for an associative list (`PatchStrategyAndKeyList`): none
    /// without a patch strategy; else `x-kubernetes-list-map-keys` when present (e.g.
    /// `containerPort`, `protocol` for container ports); else the merge key; else none.
    pub fn merge_keys(self) -> &'static [&'static str] {
        let e = self.ext();
        if e.0.is_none() {
            &[]
        } else if !e.3.is_empty() {
            e.3
        } else {
            e.1
        }
    }

    /// Whether the patch strategy includes `merge` (kyaml `schemaHasMergeStrategy`, which
    /// decides that a sequence is merged element-wise rather than replaced).
    pub fn has_merge_strategy(self) -> bool {
        self.ext()
            .0
            .is_some_and(|s| s.split(',').any(|part| part == "merge"))
    }
}

/// A field of an object (or the values of a map), as returned by [`TypeRef::field`].
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct FieldRef {
    ty: u16,
    sib: u8,
}

impl std::fmt::Debug for FieldRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "FieldRef({:?})", self.ty())
    }
}

impl FieldRef {
    /// The field's type (references resolved).
    pub fn ty(self) -> TypeRef {
        TypeRef(self.ty)
    }

    /// The field's type kind.
    pub fn kind(self) -> TypeKind {
        self.ty().kind()
    }

    /// `x-kubernetes-patch-strategy` as kustomize sees it: that of the field's (resolved)
    /// schema. Lists carry it inline, so e.g. `containers` gives `merge`.
    pub fn patch_strategy(self) -> Option<&'static str> {
        self.ty().patch_strategy()
    }

    /// `x-kubernetes-patch-merge-key` of the field's schema.
    pub fn merge_key(self) -> Option<&'static str> {
        self.ty().merge_key()
    }

    /// `x-kubernetes-list-type` of the field's schema.
    pub fn list_type(self) -> Option<&'static str> {
        self.ty().list_type()
    }

    /// `x-kubernetes-list-map-keys` of the field's schema.
    pub fn list_map_keys(self) -> &'static [&'static str] {
        self.ty().list_map_keys()
    }

    /// See [`TypeRef::merge_keys`].
    pub fn merge_keys(self) -> &'static [&'static str] {
        self.ty().merge_keys()
    }

    /// See [`TypeRef::has_merge_strategy`].
    pub fn has_merge_strategy(self) -> bool {
        self.ty().has_merge_strategy()
    }

    /// The patch strategy written in the document for this property, including the one written
    /// beside a `$ref`, which kyaml drops when it resolves the reference (so kustomize ignores
    /// it): `DeploymentSpec.strategy` (`retainKeys`) and `PodDisruptionBudgetSpec.selector`
    /// (`replace`). For every other field this equals [`FieldRef::patch_strategy`].
    pub fn declared_patch_strategy(self) -> Option<&'static str> {
        EXTS[usize::from(self.sib)]
            .0
            .or_else(|| self.patch_strategy())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn deployment() -> TypeRef {
        root_type("apps", "v1", "Deployment").expect("Deployment")
    }

    fn pod_spec() -> TypeRef {
        deployment()
            .lookup(&["spec", "template", "spec"])
            .expect("pod spec")
    }

    #[test]
    fn containers_merge_by_name() {
        let c = pod_spec().field("containers").unwrap();
        assert_eq!(c.kind(), TypeKind::List);
        assert_eq!(c.merge_key(), Some("name"));
        assert_eq!(c.patch_strategy(), Some("merge"));
        assert_eq!(c.merge_keys(), &["name"]);
        assert!(c.has_merge_strategy());
        let container = c.ty().items().unwrap();
        assert_eq!(container.kind(), TypeKind::Object);
        assert_eq!(
            container.field("image").map(|f| f.kind()),
            Some(TypeKind::String)
        );
        assert!(container.field("nope").is_none());
    }

    #[test]
    fn container_ports_merge_key() {
        let ports = pod_spec()
            .lookup(&["containers", "[]"])
            .unwrap()
            .field("ports")
            .unwrap();
        assert_eq!(ports.merge_key(), Some("containerPort"));
        assert_eq!(ports.patch_strategy(), Some("merge"));
        assert_eq!(ports.list_type(), Some("map"));
        assert_eq!(ports.list_map_keys(), &["containerPort", "protocol"]);
        // kyaml's PatchStrategyAndKeyList prefers x-kubernetes-list-map-keys.
        assert_eq!(ports.merge_keys(), &["containerPort", "protocol"]);
        let port = ports.ty().elements().unwrap();
        assert_eq!(
            port.field("containerPort").unwrap().kind(),
            TypeKind::Integer
        );
    }

    #[test]
    fn volumes_merge_retain_keys() {
        let v = pod_spec().field("volumes").unwrap();
        assert_eq!(v.merge_key(), Some("name"));
        assert_eq!(v.patch_strategy(), Some("merge,retainKeys"));
        assert!(v.has_merge_strategy());
        assert_eq!(v.merge_keys(), &["name"]);
    }

    #[test]
    fn other_list_metadata() {
        let spec = pod_spec();
        let env = spec.lookup(&["containers", "[]", "env"]).unwrap();
        assert_eq!(env.merge_key(), Some("name"));
        let mounts = spec
            .lookup(&["initContainers", "[]", "volumeMounts"])
            .unwrap();
        assert_eq!(mounts.merge_key(), Some("mountPath"));
        // Atomic list without a strategy: replaced, not merged.
        let args = spec.lookup(&["containers", "[]", "args"]).unwrap();
        assert_eq!(args.kind(), TypeKind::List);
        assert_eq!(args.patch_strategy(), None);
        assert!(!args.has_merge_strategy());
        assert_eq!(args.items().unwrap().kind(), TypeKind::String);
        let conds = deployment().lookup(&["status", "conditions"]).unwrap();
        assert_eq!(conds.merge_keys(), &["type"]);
        // A list-map without a patch strategy has no kyaml merge keys.
        let crd_conds = root_type("apiextensions.k8s.io", "v1", "CustomResourceDefinition")
            .unwrap()
            .lookup(&["status", "conditions"])
            .unwrap();
        assert_eq!(crd_conds.list_type(), Some("map"));
        assert_eq!(crd_conds.list_map_keys(), &["type"]);
        assert_eq!(crd_conds.patch_strategy(), None);
        assert!(crd_conds.merge_keys().is_empty());
        assert!(!crd_conds.has_merge_strategy());
        // Finalizers: merge strategy without a key (a set of scalars).
        let fin = deployment().lookup(&["metadata", "finalizers"]).unwrap();
        assert_eq!(fin.patch_strategy(), Some("merge"));
        assert_eq!(fin.merge_key(), None);
        assert!(fin.merge_keys().is_empty());
    }

    #[test]
    fn maps_and_shared_definitions() {
        let meta = deployment().field("metadata").unwrap().ty();
        let labels = meta.field("labels").unwrap().ty();
        assert_eq!(labels.kind(), TypeKind::Map);
        assert_eq!(labels.items().unwrap().kind(), TypeKind::String);
        assert_eq!(labels.field("app").unwrap().kind(), TypeKind::String);
        assert_eq!(labels.elements(), None);
        // ObjectMeta is one shared node.
        let cm = root_type("", "v1", "ConfigMap").unwrap();
        assert_eq!(cm.field("metadata").unwrap().ty(), meta);
        assert_eq!(
            cm.field("data").unwrap().ty().items().unwrap().kind(),
            TypeKind::String
        );
        // Map of lists.
        let extra = root_type("authentication.k8s.io", "v1", "TokenReview")
            .unwrap()
            .lookup(&["status", "user", "extra", "anykey"])
            .unwrap();
        assert_eq!(extra.kind(), TypeKind::List);
        // Recursive definitions.
        let crd = root_type("apiextensions.k8s.io", "v1", "CustomResourceDefinition").unwrap();
        let props = crd
            .lookup(&[
                "spec",
                "versions",
                "[]",
                "schema",
                "openAPIV3Schema",
                "properties",
            ])
            .unwrap();
        assert_eq!(props.kind(), TypeKind::Map);
        let inner = props.lookup(&["x", "properties", "y", "type"]).unwrap();
        assert_eq!(inner.kind(), TypeKind::String);
        // Scalars and untyped nodes have nothing below them.
        assert!(inner.field("a").is_none() && inner.items().is_none());
        let untyped = props.lookup(&["x", "default"]).unwrap();
        assert_eq!(untyped.kind(), TypeKind::Untyped);
        assert!(untyped.field("a").is_none());
        // Object without properties.
        let raw = root_type("apps", "v1", "ControllerRevision")
            .unwrap()
            .field("data")
            .unwrap();
        assert_eq!(raw.kind(), TypeKind::Object);
        assert!(raw.ty().field("a").is_none());
    }

    #[test]
    fn strategy_beside_ref_is_ignored_like_kyaml() {
        let strategy = deployment()
            .lookup(&["spec"])
            .unwrap()
            .field("strategy")
            .unwrap();
        assert_eq!(strategy.kind(), TypeKind::Object);
        assert_eq!(strategy.patch_strategy(), None);
        assert_eq!(strategy.declared_patch_strategy(), Some("retainKeys"));
        let sel = root_type("policy", "v1", "PodDisruptionBudget")
            .unwrap()
            .lookup(&["spec"])
            .unwrap()
            .field("selector")
            .unwrap();
        assert_eq!(sel.declared_patch_strategy(), Some("replace"));
        let c = pod_spec().field("containers").unwrap();
        assert_eq!(c.declared_patch_strategy(), Some("merge"));
    }

    #[test]
    fn scope() {
        assert!(is_cluster_scoped(
            "rbac.authorization.k8s.io/v1",
            "ClusterRole"
        ));
        assert!(is_cluster_scoped(
            "rbac.authorization.k8s.io/v1",
            "ClusterRoleBinding"
        ));
        assert!(is_cluster_scoped(
            "rbac.authorization.k8s.io/v1beta1",
            "ClusterRole"
        ));
        assert!(!is_cluster_scoped("v1", "ConfigMap"));
        assert_eq!(is_namespaced("", "v1", "ConfigMap"), Some(true));
        assert!(is_cluster_scoped("v1", "Namespace"));
        assert_eq!(is_namespaced("", "v1", "Namespace"), Some(false));
        for (av, k) in [
            ("apiextensions.k8s.io/v1", "CustomResourceDefinition"),
            ("apiextensions.k8s.io/v1beta1", "CustomResourceDefinition"),
            ("apiregistration.k8s.io/v1", "APIService"),
            ("v1", "PersistentVolume"),
            ("v1", "Node"),
            ("v1", "NodeProxyOptions"),
            ("storage.k8s.io/v1", "StorageClass"),
            (
                "admissionregistration.k8s.io/v1",
                "MutatingWebhookConfiguration",
            ),
            ("policy/v1beta1", "PodSecurityPolicy"),
            ("networking.k8s.io/v1", "IngressClass"),
            ("v1", "ComponentStatus"),
            // ParseGroupVersion + ApiVersion() turn "/v1" into "v1".
            ("/v1", "Namespace"),
        ] {
            assert!(is_cluster_scoped(av, k), "{av} {k}");
        }
        for (av, k) in [
            ("apps/v1", "Deployment"),
            ("v1", "PodExecOptions"),
            ("storage.k8s.io/v1beta1", "CSIStorageCapacity"),
        ] {
            assert!(!is_cluster_scoped(av, k), "{av} {k}");
        }
    }

    #[test]
    fn unknown_kinds_are_namespaced() {
        // Unknown to the schema => scope unknown => not certainly cluster-scoped, so kustomize
        // gives it a namespace.
        for (av, k) in [
            ("example.com/v1", "Foo"),
            ("rbac.authorization.k8s.io/v1alpha1", "ClusterRole"),
            ("rbac.authorization.k8s.io/v2", "ClusterRole"),
            ("v2", "Namespace"),
            ("v1", "namespace"),
            ("policy/v1", "PodSecurityPolicy"),
            ("storage.k8s.io/v1", "CSIStorageCapacity"),
            ("flowcontrol.apiserver.k8s.io/v1", "FlowSchema"),
            ("v1", "NamespaceList"),
            ("kustomize.config.k8s.io/v1beta1", "Kustomization"),
            ("", "Namespace"),
        ] {
            let (g, v) = split_api_version(av);
            assert!(!is_cluster_scoped(av, k), "{av} {k}");
            assert!(is_namespaced(g, v, k).unwrap_or(true), "{av} {k}");
        }
        assert_eq!(is_namespaced("example.com", "v1", "Foo"), None);
        assert!(!is_known_kind("example.com", "v1", "Foo"));
        assert!(root_type("example.com", "v1", "Foo").is_none());
        assert_eq!(is_namespaced("", "v1", "NamespaceList"), None);
    }

    #[test]
    fn kind_list() {
        assert!(is_known_kind("apps", "v1", "Deployment"));
        assert!(is_known_kind("", "v1", "NamespaceList"));
        assert!(is_known_kind("batch", "v1", "DeleteOptions"));
        assert!(is_known_kind("", "v1", "PodExecOptions"));
        assert!(root_type("", "v1", "PodExecOptions").is_none());
        assert!(!is_known_kind("apps", "v1beta1", "Deployment"));
        assert!(!is_known_kind("apps", "v1", "deployment"));
        let k = root_type_for("kustomize.config.k8s.io/v1beta1", "Kustomization").unwrap();
        let gens = k.field("configMapGenerator").unwrap();
        assert_eq!(gens.merge_keys(), &["name"]);
        assert_eq!(
            root_type_for("batch/v1", "DeleteOptions"),
            root_type("", "v1", "DeleteOptions")
        );
        assert_eq!(root_type_for("apps/v1", "Deployment"), Some(deployment()));
    }

    #[test]
    fn tables_are_consistent() {
        assert!(KINDS
            .windows(2)
            .all(|w| (w[0].0, w[0].1, w[0].2) < (w[1].0, w[1].1, w[1].2)));
        for (i, t) in TYPES.iter().enumerate() {
            let r = TypeRef(i as u16);
            let defs = r.field_defs();
            assert!(defs.windows(2).all(|w| w[0].0 < w[1].0), "type {i}");
            assert!(defs.iter().all(|f| usize::from(f.1) < TYPES.len()));
            assert!(defs.iter().all(|f| usize::from(f.2) < EXTS.len()));
            assert!(t.3 == NO || usize::from(t.3) < TYPES.len());
            assert!(usize::from(t.4) < EXTS.len());
            if r.kind() == TypeKind::Map {
                assert!(r.items().is_some());
            }
        }
        assert!(KINDS
            .iter()
            .all(|k| k.4 == NO || usize::from(k.4) < TYPES.len()));
        assert_eq!(KINDS.iter().filter(|k| k.3 != 0).count(), 82);
    }
}
