//! NamespaceTransformer: kustomize's builtin of that name (api/internal/builtins/
//! NamespaceTransformer.go with the filter api/filters/namespace).
//!
//! For each non-empty resource, in list order:
//! 1. the current id is remembered ([`Resource::store_previous_id`], unconditionally, as
//!    kustomize does), so the name-reference fix-up can find the resource by its old id;
//! 2. `metadata.namespace` is set (created when missing) unless the schema says the kind is
//!    cluster-scoped (an unknown kind counts as namespaced);
//! 3. RoleBinding/ClusterRoleBinding `subjects` get a namespace according to
//!    [`RoleBindingSubjectMode`] (field specs `subjects/namespace` of those kinds are ignored);
//! 4. the remaining field specs are set (`metadata/namespace` specs are always ignored;
//!    `metadata/name` specs only apply to objects of `apiVersion: v1`, i.e. the `Namespace`
//!    object gets renamed);
//! 5. the new id must not collide with another resource's current id.

use crate::error::{err, Error, Result};
use crate::fieldspec::{walk, Config, Create, FieldSpec, GvkParts, Selected, SpecPlan};
use crate::resource::{ResId, Resource, ResourceList};
use crate::transform::labels::{considering_field, wrong_node_kind};
use crate::yaml::Node;

/// `setRoleBindingSubjects`: which RoleBinding/ClusterRoleBinding subjects get the namespace.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum RoleBindingSubjectMode {
    /// `defaultOnly` (also when unset): subjects whose `name` is `default`, whatever their kind.
    #[default]
    DefaultOnly,
    /// `allServiceAccounts`: subjects of `kind: ServiceAccount`.
    AllServiceAccounts,
    /// `none`: no subject.
    None,
}

impl RoleBindingSubjectMode {
    /// Reads the plugin config value (`""` means [`RoleBindingSubjectMode::DefaultOnly`]).
    /// The error is kustomize's message (the caller adds the "plugin ... fails configuration"
    /// prefix).
    pub fn parse(s: &str) -> Result<Self> {
        match s {
            "" | "defaultOnly" => Ok(RoleBindingSubjectMode::DefaultOnly),
            "allServiceAccounts" => Ok(RoleBindingSubjectMode::AllServiceAccounts),
            "none" => Ok(RoleBindingSubjectMode::None),
            _ => Err(err!(
                Transform,
                "invalid value {} for setRoleBindingSubjects: must be one of \"defaultOnly\", \"none\" or \"allServiceAccounts\"",
                go_quote(s)
            )),
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            RoleBindingSubjectMode::DefaultOnly => "defaultOnly",
            RoleBindingSubjectMode::AllServiceAccounts => "allServiceAccounts",
            RoleBindingSubjectMode::None => "none",
        }
    }
}

/// Go's `%q` for the common cases (quotes, backslashes, control characters).
fn go_quote(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => out.push_str(&format!("\\x{:02x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The NamespaceTransformer plugin config (`metadata.namespace`, `fieldSpecs`, `unsetOnly`,
/// `setRoleBindingSubjects`).
#[derive(Clone, Debug, Default)]
pub struct NamespaceTransformer {
    pub namespace: String,
    pub field_specs: Vec<FieldSpec>,
    /// Only set namespace fields that are missing, null or empty.
    pub unset_only: bool,
    pub set_role_binding_subjects: RoleBindingSubjectMode,
}

/// One resource's passage through [`NamespaceTransformer::apply`].
struct Step {
    /// The hash of its id before.
    old_key: u64,
    /// Its namespace before, when not the one its remembered id has (see [`Step::old_id`]).
    old_ns: Option<String>,
    /// `None` when left alone, else the filter's outcome with the hash of the id after.
    new: Option<Result<u64>>,
}

impl Step {
    /// The resource's id before the transformer: as it is now when it was left alone, else
    /// the id it remembered then (with its namespace as it was).
    fn old_id(&self, r: &Resource) -> ResId {
        match (&self.new, r.prev_ids.last()) {
            (Some(_), Some(p)) => {
                ResId { gvk: p.gvk.clone(), name: p.name.clone(), namespace: self.old_ns.clone().unwrap_or_else(|| p.namespace.clone()) }
            }
            _ => r.cur_id(),
        }
    }
}

const META_NAMESPACE: &str = "metadata/namespace";
/// [`META_NAMESPACE`] split.
const META_NAMESPACE_SEGMENTS: [&str; 2] = ["metadata", "namespace"];
const META_NAME: &str = "metadata/name";
const SUBJECTS_NAMESPACE: &str = "subjects/namespace";

fn is_role_binding(kind: &str) -> bool {
    kind == "RoleBinding" || kind == "ClusterRoleBinding"
}

impl NamespaceTransformer {
    /// The transformer of a kustomization's `namespace:` field: the build's namespace field
    /// specs (`config.namespace`), `unsetOnly: false`, subjects mode `defaultOnly`. kustomize
    /// adds no transformer when `namespace` is empty; [`apply`](Self::apply) does nothing then.
    pub fn from_kustomization(namespace: &str, config: &Config) -> Self {
        NamespaceTransformer {
            namespace: namespace.to_string(),
            field_specs: config.namespace.clone(),
            unset_only: false,
            set_role_binding_subjects: RoleBindingSubjectMode::DefaultOnly,
        }
    }

    pub fn apply(&self, list: &mut ResourceList, _config: &Config) -> Result<()> {
        if self.namespace.is_empty() {
            return Ok(());
        }
        // `metadata/namespace` specs are never walked; the others' selection is found once per
        // gvk (see `filter` for the rest of the rules), for the builtin specs (most builds)
        // once per process.
        if self.field_specs == crate::fieldspec::defaults().namespace {
            static DEFAULT_WALKED: std::sync::OnceLock<Vec<FieldSpec>> = std::sync::OnceLock::new();
            let walked = DEFAULT_WALKED.get_or_init(|| walked_specs(&crate::fieldspec::defaults().namespace));
            return self.apply_with(list, SpecPlan::of_static(walked));
        }
        let walked = walked_specs(&self.field_specs);
        self.apply_with(list, &SpecPlan::new(&walked))
    }

    /// [`apply`](Self::apply) with the plan of the walked specs.
    fn apply_with(&self, list: &mut ResourceList, plan: &SpecPlan<'_>) -> Result<()> {
        let hasher = crate::fasthash::FastState::default();
        let value = Node::string(self.namespace.as_str());
        let items = list.as_mut_slice();
        // First each resource on its own (long lists on the build's spare threads): the key of
        // its id before, and the filter's outcome with the key of its id after (`None` for an
        // empty resource, left alone). A chunk stops at its first error.
        let chunks = crate::build::each_chunk(items, |chunk| {
            let mut steps: Vec<Step> = Vec::with_capacity(chunk.len());
            let mut failed = false;
            for r in chunk.iter_mut() {
                // The id before, read once: its key, and what the resource remembers.
                let gvk = GvkParts::of(r);
                let cluster_scoped = is_cluster_scoped(gvk);
                let (name, ns) = (r.name(), r.namespace());
                let prefix = id_prefix(&hasher, gvk, name);
                let effective = effective_namespace(cluster_scoped, ns);
                let old_key = id_key(&hasher, prefix, effective);
                if failed || r.node.as_map().is_none_or(|m| m.is_empty()) {
                    steps.push(Step { old_key, old_ns: None, new: None });
                    continue;
                }
                // kustomize's StorePreviousId (the id with its effective namespace); the id
                // before is that one but for its namespace, kept when it differs.
                let prev = ResId { gvk: gvk.to_gvk(), name: name.to_string(), namespace: effective.to_string() };
                let old_ns = (ns != effective).then(|| ns.to_string());
                let rules = Rules { is_v1: r.api_version() == "v1", rb: is_role_binding(gvk.kind), cluster_scoped };
                let selected = plan.select(gvk);
                r.prev_ids.push(prev);
                // Unless a spec may change the id, only its namespace changes.
                let res = self.filter(r, &selected, rules, &value).map(|may_change_id| {
                    if may_change_id {
                        resource_key(&hasher, r)
                    } else {
                        id_key(&hasher, prefix, effective_namespace(cluster_scoped, r.namespace()))
                    }
                });
                failed = res.is_err();
                steps.push(Step { old_key, old_ns, new: Some(res) });
            }
            steps
        });
        let steps: Vec<Step> = chunks.into_iter().flatten().collect();
        // Then, in list order as kustomize goes, the new id must not equal another resource's
        // current one (ids counted by hash; a count above one is checked on the ids themselves,
        // with the resources after this one still as they were).
        let mut counts: crate::fasthash::FastMap<u64, usize> =
            crate::fasthash::FastMap::with_capacity_and_hasher(steps.len(), Default::default());
        for s in &steps {
            *counts.entry(s.old_key).or_default() += 1;
        }
        for i in 0..steps.len() {
            let key = match &steps[i].new {
                None => continue,
                Some(Ok(k)) => *k,
                Some(Err(e)) => return Err(e.clone()),
            };
            let old_key = steps[i].old_key;
            if key != old_key {
                if let Some(c) = counts.get_mut(&old_key) {
                    *c -= 1;
                }
                *counts.entry(key).or_default() += 1;
            }
            if counts.get(&key).copied().unwrap_or(0) != 1 {
                let id = items[i].cur_id();
                let matches: Vec<String> = (0..items.len())
                    .map(|j| if j <= i { items[j].cur_id() } else { steps[j].old_id(&items[j]) })
                    .filter(|o| o.equals(&id))
                    .map(|o| o.to_string())
                    .collect();
                if matches.len() > 1 {
                    return Err(err!(IdConflict, "namespace transformation produces ID conflict: [{}]", matches.join(" ")));
                }
            }
        }
        Ok(())
    }

    /// The namespace filter on one resource: `selected`, the specs of `field_specs` but those
    /// of `metadata/namespace` that select it, in order. Whether a spec walked may have changed
    /// what the id is read from ([`crate::fieldspec::walk_may_change_id`]).
    /// `value` is the namespace's string node.
    fn filter(&self, r: &mut Resource, selected: &Selected<'_>, rules: Rules, value: &Node) -> Result<bool> {
        // metadata.namespace, on namespaced kinds only.
        if !rules.cluster_scoped {
            let res = walk(&mut r.node, &META_NAMESPACE_SEGMENTS, Some(Create::Scalar), &mut |n| self.set_to(n, value));
            if let Err(e) = res {
                return Err(considering_field(META_NAMESPACE, &r.cur_id(), e.message()));
            }
        }

        if rules.rb {
            self.role_binding_subjects(&mut r.node)?;
        }

        let mut may_change_id = false;
        for (fs, segs) in selected.iter() {
            // `metadata/name` on `apiVersion: v1` objects only; the subjects of role bindings
            // are done above.
            if (!rules.is_v1 && fs.path == META_NAME) || (rules.rb && is_role_binding(&fs.gvk.kind) && fs.path == SUBJECTS_NAMESPACE) {
                continue;
            }
            may_change_id |= crate::fieldspec::walk_may_change_id(segs);
            let mut wrong_kind = false;
            let create = fs.create.then_some(Create::Scalar);
            let res = walk(&mut r.node, segs, create, &mut |n| {
                let out = self.set_to(n, value);
                wrong_kind |= out.is_err();
                out
            });
            if let Err(e) = res {
                let e = considering_field(&fs.path, &r.cur_id(), e.message());
                let prefix = if wrong_kind {
                    "namespace field specs must target scalar nodes"
                } else {
                    "namespace transformation failed"
                };
                return Err(err!(Transform, "{}: {}", prefix, e.message()));
            }
        }
        Ok(may_change_id)
    }

    /// kustomize's SetEntry / SetEntryIfEmpty with the namespace: the target must be a scalar
    /// (or null); with `unsetOnly`, a scalar with a non-empty value is kept.
    fn set(&self, n: &mut Node) -> Result<()> {
        self.set_to(n, &Node::string(self.namespace.as_str()))
    }

    /// [`set`](Self::set) with the namespace's string node made beforehand (`value`).
    fn set_to(&self, n: &mut Node, value: &Node) -> Result<()> {
        if self.unset_only && has_existing_value(n) {
            return Ok(());
        }
        match n {
            Node::Scalar(_) => {
                *n = value.clone();
                Ok(())
            }
            _ => Err(err!(Transform, "{}", wrong_node_kind("ScalarNode", n))),
        }
    }

    /// The `setRoleBindingSubjects` rules on a (Cluster)RoleBinding's `subjects`.
    fn role_binding_subjects(&self, node: &mut Node) -> Result<()> {
        let (field, want) = match self.set_role_binding_subjects {
            RoleBindingSubjectMode::None => return Ok(()),
            RoleBindingSubjectMode::DefaultOnly => ("name", "default"),
            RoleBindingSubjectMode::AllServiceAccounts => ("kind", "ServiceAccount"),
        };
        let wrap = |e: Error| err!(Transform, "setting namespace on (cluster)role binding subjects: {}", e.message());
        let Some(subjects) = node.get_mut("subjects") else { return Ok(()) };
        if subjects.is_null() {
            return Ok(());
        }
        let Node::Seq(items) = subjects else {
            return Err(wrap(err!(Transform, "{}", wrong_node_kind("SequenceNode", subjects))));
        };
        for it in items.iter_mut() {
            if it.is_null() {
                continue;
            }
            let Node::Map(m) = it else {
                let e = err!(Transform, "looking up {} on (cluster)role binding subject: {}", field, wrong_node_kind("MappingNode", it));
                return Err(wrap(e));
            };
            let matched = match m.get(field) {
                None => false,
                Some(v) if v.is_null() => false,
                Some(Node::Scalar(s)) => s.value == want,
                Some(v) => {
                    let e = err!(Transform, "looking up {} on (cluster)role binding subject: {}", field, wrong_node_kind("ScalarNode", v));
                    return Err(wrap(e));
                }
            };
            if !matched {
                continue;
            }
            if !m.contains_key("namespace") {
                m.insert("namespace", Node::plain(""));
            }
            if let Some(ns) = m.get_mut("namespace") {
                self.set(ns).map_err(wrap)?;
            }
        }
        Ok(())
    }
}

/// The specs [`NamespaceTransformer::apply`] walks: all but those of `metadata/namespace`.
fn walked_specs(specs: &[FieldSpec]) -> Vec<FieldSpec> {
    specs.iter().filter(|fs| fs.path != META_NAMESPACE).cloned().collect()
}

/// [`Gvk::is_cluster_scoped`](crate::resource::Gvk::is_cluster_scoped) of a resource's gvk,
/// read in place.
fn is_cluster_scoped(gvk: GvkParts<'_>) -> bool {
    if gvk.group.is_empty() && gvk.version.contains('/') {
        // The apiVersion is the version (as `Gvk::api_version` gives it).
        return crate::schema::is_cluster_scoped(gvk.version, gvk.kind);
    }
    crate::schema::is_cluster_scoped_gvk(gvk.group, gvk.version, gvk.kind)
}

/// What the filter's rules depend on in a resource (read before it changes).
#[derive(Clone, Copy)]
struct Rules {
    /// `apiVersion: v1`.
    is_v1: bool,
    /// A RoleBinding or ClusterRoleBinding.
    rb: bool,
    cluster_scoped: bool,
}

/// [`ResId::effective_namespace`] of an id whose kind is (or not) cluster-scoped.
fn effective_namespace(cluster_scoped: bool, ns: &str) -> &str {
    if cluster_scoped {
        "_non_namespaceable_"
    } else if ns.is_empty() {
        crate::resource::DEFAULT_NAMESPACE
    } else {
        ns
    }
}

/// The key of an id in [`NamespaceTransformer::apply`]'s count: ids that [`ResId::equals`]
/// calls equal have equal keys. Made of a key of the gvk and name ([`id_prefix`]) and the
/// effective namespace.
fn id_key(hasher: &crate::fasthash::FastState, prefix: u64, effective_namespace: &str) -> u64 {
    use std::hash::BuildHasher;
    hasher.hash_one((prefix, effective_namespace))
}

fn id_prefix(hasher: &crate::fasthash::FastState, gvk: GvkParts<'_>, name: &str) -> u64 {
    use std::hash::BuildHasher;
    hasher.hash_one((gvk.group, gvk.version, gvk.kind, name))
}

/// [`id_key`] of a resource's current id.
fn resource_key(hasher: &crate::fasthash::FastState, r: &Resource) -> u64 {
    let gvk = GvkParts::of(r);
    id_key(hasher, id_prefix(hasher, gvk, r.name()), effective_namespace(is_cluster_scoped(gvk), r.namespace()))
}

/// kustomize's `hasExistingValue(node, "")`.
fn has_existing_value(n: &Node) -> bool {
    match n {
        Node::Scalar(s) => !s.is_null() && !s.value.is_empty(),
        Node::Map(m) => matches!(m.get(""), Some(Node::Scalar(s)) if !s.is_null() && !s.value.is_empty()),
        Node::Seq(_) => false,
    }
}

#[cfg(test)]
mod tests {
    //! Expected outputs are `kubectl kustomize` (kustomize v5.5.0) output with
    //! `sortOptions: {order: fifo}`.
    use super::*;
    use crate::error::ErrorKind;
    use crate::fieldspec::defaults;
    use crate::resource::ResId;
    use crate::testing::Gen;

    #[test]
    fn namespace_path_constant_is_its_split() {
        assert_eq!(crate::fieldspec::split_path(META_NAMESPACE), META_NAMESPACE_SEGMENTS);
    }

    fn list(src: &str) -> ResourceList {
        let mut l = ResourceList::new();
        l.set_items(crate::yaml::load_documents(src).unwrap().into_iter().map(Resource::new).collect());
        l
    }
    fn out(l: &ResourceList, only: &[usize]) -> String {
        let nodes = l.iter().enumerate().filter(|(i, _)| only.is_empty() || only.contains(i)).map(|(_, r)| &r.node);
        crate::yaml::to_string_stream(nodes).unwrap()
    }
    fn run(t: &NamespaceTransformer, src: &str) -> Result<ResourceList> {
        let mut l = list(src);
        t.apply(&mut l, defaults())?;
        Ok(l)
    }
    fn kust(ns: &str) -> NamespaceTransformer {
        NamespaceTransformer::from_kustomization(ns, defaults())
    }

    const N1_IN: &str = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n  namespace: other\n---
apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\n  namespace: ~\n---
apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: cr\n---
apiVersion: v1\nkind: Namespace\nmetadata:\n  name: oldns\n---
apiVersion: v2\nkind: Namespace\nmetadata:\n  name: oddns\n---
apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\n---
apiVersion: apiregistration.k8s.io/v1\nkind: APIService\nmetadata:\n  name: v1.foo\nspec:\n  service:\n    name: svc\n---
apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: widgets.example.com
spec:\n  conversion:\n    webhook:\n      clientConfig:\n        service:\n          name: hook\n          namespace: x\n---
apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: gadgets.example.com
spec:\n  conversion:\n    strategy: None\n---
apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata:\n  name: rb\nsubjects:
- kind: ServiceAccount\n  name: default\n- kind: ServiceAccount\n  name: sa2\n  namespace: other
- kind: User\n  name: default\n- kind: ServiceAccount\n  name: sa3\n---
apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata:\n  name: crb\nsubjects:
- kind: ServiceAccount\n  name: default\n  namespace: foo\n- kind: ServiceAccount\n  name: sa4\n";

    const N1_OUT: &str = r#"apiVersion: v1
kind: ConfigMap
metadata:
  name: cm
  namespace: newns
---
apiVersion: v1
kind: Secret
metadata:
  name: s
  namespace: newns
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: cr
---
apiVersion: v1
kind: Namespace
metadata:
  name: newns
---
apiVersion: v2
kind: Namespace
metadata:
  name: oddns
  namespace: newns
---
apiVersion: example.com/v1
kind: Widget
metadata:
  name: w
  namespace: newns
---
apiVersion: apiregistration.k8s.io/v1
kind: APIService
metadata:
  name: v1.foo
spec:
  service:
    name: svc
    namespace: newns
---
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
spec:
  conversion:
    webhook:
      clientConfig:
        service:
          name: hook
          namespace: newns
---
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: gadgets.example.com
spec:
  conversion:
    strategy: None
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: rb
  namespace: newns
subjects:
- kind: ServiceAccount
  name: default
  namespace: newns
- kind: ServiceAccount
  name: sa2
  namespace: other
- kind: User
  name: default
  namespace: newns
- kind: ServiceAccount
  name: sa3
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: crb
subjects:
- kind: ServiceAccount
  name: default
  namespace: newns
- kind: ServiceAccount
  name: sa4
"#;

    /// The transformer as it was written before the specs were selected once per gvk and ids
    /// keyed in place: every spec tested on every resource, paths split per resource, ids
    /// counted by [`ResId::key`].
    fn reference_apply(t: &NamespaceTransformer, list: &mut ResourceList) -> Result<()> {
        if t.namespace.is_empty() {
            return Ok(());
        }
        let items = list.as_mut_slice();
        let olds: Vec<ResId> = items.iter().map(|r| r.cur_id()).collect();
        let mut outcomes: Vec<Option<Result<()>>> = (0..items.len()).map(|_| None).collect();
        for (r, out) in items.iter_mut().zip(outcomes.iter_mut()) {
            if r.node.as_map().is_none_or(|m| m.is_empty()) {
                continue;
            }
            r.store_previous_id();
            let res = reference_filter(t, r);
            let failed = res.is_err();
            *out = Some(res);
            if failed {
                break;
            }
        }
        let mut counts: std::collections::HashMap<_, usize> = std::collections::HashMap::new();
        for o in &olds {
            *counts.entry(o.key()).or_default() += 1;
        }
        for i in 0..items.len() {
            match &outcomes[i] {
                None => continue,
                Some(Err(e)) => return Err(e.clone()),
                Some(Ok(())) => {}
            }
            let id = items[i].cur_id();
            if id.key() != olds[i].key() {
                *counts.entry(olds[i].key()).or_default() -= 1;
                *counts.entry(id.key()).or_default() += 1;
            }
            if counts[&id.key()] != 1 {
                let matches: Vec<String> = (0..items.len())
                    .map(|j| if j <= i { items[j].cur_id() } else { olds[j].clone() })
                    .filter(|o| o.equals(&id))
                    .map(|o| o.to_string())
                    .collect();
                if matches.len() > 1 {
                    return Err(err!(IdConflict, "namespace transformation produces ID conflict: [{}]", matches.join(" ")));
                }
            }
        }
        Ok(())
    }

    fn reference_filter(t: &NamespaceTransformer, r: &mut Resource) -> Result<()> {
        let gvk = r.gvk();
        let is_v1 = r.api_version() == "v1";
        let rb = is_role_binding(&gvk.kind);
        let specs: Vec<&FieldSpec> = t
            .field_specs
            .iter()
            .filter(|fs| fs.path != META_NAMESPACE && (is_v1 || fs.path != META_NAME))
            .filter(|fs| !(rb && is_role_binding(&fs.gvk.kind) && fs.path == SUBJECTS_NAMESPACE))
            .collect();
        if !gvk.is_cluster_scoped() {
            let res = walk(&mut r.node, &crate::fieldspec::split_path(META_NAMESPACE), Some(Create::Scalar), &mut |n| t.set(n));
            if let Err(e) = res {
                return Err(considering_field(META_NAMESPACE, &r.cur_id(), e.message()));
            }
        }
        if rb {
            t.role_binding_subjects(&mut r.node)?;
        }
        for fs in specs.into_iter().filter(|fs| fs.applies_to(&gvk)) {
            let mut wrong_kind = false;
            let create = fs.create.then_some(Create::Scalar);
            let res = walk(&mut r.node, &fs.segments(), create, &mut |n| {
                let out = t.set(n);
                wrong_kind |= out.is_err();
                out
            });
            if let Err(e) = res {
                let e = considering_field(&fs.path, &r.cur_id(), e.message());
                let prefix = if wrong_kind { "namespace field specs must target scalar nodes" } else { "namespace transformation failed" };
                return Err(err!(Transform, "{}: {}", prefix, e.message()));
            }
        }
        Ok(())
    }

    fn gen_resource(g: &mut Gen) -> String {
        if g.next(25) == 0 {
            return "{}\n".into();
        }
        let (api, kind) = [
            ("v1", "ConfigMap"),
            ("v1", "Namespace"),
            ("v2", "Namespace"),
            ("rbac.authorization.k8s.io/v1", "ClusterRole"),
            ("rbac.authorization.k8s.io/v1", "RoleBinding"),
            ("rbac.authorization.k8s.io/v1", "ClusterRoleBinding"),
            ("apiregistration.k8s.io/v1", "APIService"),
            ("apps/v1", "Deployment"),
            ("example.com/v1", "Widget"),
            ("/v1/x", "Widget"),
        ][g.next(10)];
        let mut out = format!("apiVersion: {api}\nkind: {kind}\n");
        match g.next(30) {
            0 => return out,
            1 => out.push_str("metadata: 3\n"),
            _ => {
                out.push_str(&format!("metadata:\n  name: {}\n", g.pick(&["a", "b", "newns", "default"])));
                out.push_str(g.pick(&["", "", "  namespace: newns\n", "  namespace: other\n", "  namespace: ~\n", "  namespace: ''\n", "", "", "", "  namespace: {x: y}\n"]));
            }
        }
        out.push_str(g.pick(&[
            "",
            "",
            "",
            "",
            "",
            "spec:\n  service:\n    name: s\n",
            "spec:\n  service: 3\n",
            "spec:\n  service:\n    namespace: [a]\n",
            "spec:\n  x:\n  - namespace: a\n  - {}\n",
        ]));
        out.push_str(g.pick(&[
            "",
            "",
            "",
            "",
            "",
            "subjects:\n- kind: ServiceAccount\n  name: default\n- kind: User\n  name: u\n  namespace: z\n",
            "subjects: 3\n",
            "subjects:\n- name:\n    a: b\n",
        ]));
        out
    }

    #[test]
    fn selecting_once_per_gvk_does_what_every_spec_on_every_resource_does() {
        let spec = |group: &str, kind: &str, path: &str, create: bool| FieldSpec {
            gvk: crate::resource::Gvk::new(group, "", kind),
            path: path.into(),
            create,
        };
        let spec_lists: Vec<Vec<FieldSpec>> = vec![
            defaults().namespace.clone(),
            vec![],
            vec![spec("", "", "metadata/name", true)],
            vec![spec("", "Namespace", "metadata/name", false), spec("", "", "metadata/namespace", true)],
            vec![spec("", "", "spec/service/namespace", true), spec("rbac.authorization.k8s.io", "RoleBinding", "subjects/namespace", true)],
            vec![spec("", "", "spec/x[]/namespace", false), spec("", "Widget", "kind", false), spec("", "", "spec/service/name", true)],
            vec![spec("", "ConfigMap", "metadata/name", true), spec("", "", "spec/service/namespace", false)],
        ];
        let mut g = Gen(0x9E37_79B9_7F4A_7C15);
        let (mut errors, mut conflicts, mut cases) = (0, 0, 0);
        for _ in 0..1500 {
            let src: Vec<String> = (0..1 + g.next(7)).map(|_| gen_resource(&mut g)).collect();
            let src = src.join("---\n");
            let t = NamespaceTransformer {
                namespace: g.pick(&["newns", "newns", "other", "default"]).into(),
                field_specs: spec_lists[g.next(spec_lists.len())].clone(),
                unset_only: g.next(3) == 0,
                set_role_binding_subjects: RoleBindingSubjectMode::parse(g.pick(&["", "allServiceAccounts", "none"])).unwrap(),
            };
            let show = |l: &ResourceList| (out(l, &[]), l.iter().map(|r| r.prev_ids.clone()).collect::<Vec<_>>());
            let mut want = list(&src);
            let want = reference_apply(&t, &mut want).map(|()| show(&want)).map_err(|e| (e.kind(), e.message().to_string()));
            let mut got = list(&src);
            let got = t.apply(&mut got, defaults()).map(|()| show(&got)).map_err(|e| (e.kind(), e.message().to_string()));
            assert_eq!(got, want, "{src}\n{t:?}");
            cases += 1;
            match &want {
                Err((ErrorKind::IdConflict, _)) => conflicts += 1,
                Err(_) => errors += 1,
                Ok(_) => {}
            }
        }
        // Successes, id conflicts and other errors are all exercised.
        assert!(conflicts > cases / 20 && errors > cases / 20 && conflicts + errors < cases * 3 / 4, "{conflicts} conflicts, {errors} errors of {cases}");
    }

    #[test]
    fn kinds_in_place_are_scoped_as_their_gvk() {
        for api in ["v1", "/v1", "/v1/x", "a/b/c", "rbac.authorization.k8s.io/v1", "apps/v1", ""] {
            for kind in ["Namespace", "ClusterRole", "ConfigMap", "Widget", ""] {
                let r = Resource::new(crate::yaml::load_one(&format!("apiVersion: {api:?}\nkind: {kind:?}\n")).unwrap().unwrap());
                assert_eq!(is_cluster_scoped(GvkParts::of(&r)), r.gvk().is_cluster_scoped(), "{api} {kind}");
            }
        }
    }

    #[test]
    fn kustomization_namespace() {
        let l = run(&kust("newns"), N1_IN).unwrap();
        assert_eq!(out(&l, &[]), N1_OUT);
        // Every resource remembers its id from before the transformation.
        let prev = |i: usize| l.get(i).unwrap().prev_ids.clone();
        assert_eq!(prev(0), vec![ResId::new(crate::resource::Gvk::new("", "v1", "ConfigMap"), "cm", "other")]);
        assert_eq!(prev(5)[0].namespace, "default");
        assert_eq!(prev(2)[0].name, "cr");
        assert_eq!(prev(3)[0].name, "oldns");
        assert_eq!(l.get(3).unwrap().orig_id().name, "oldns");
        assert!(l.iter().all(|r| r.prev_ids.len() == 1));
    }

    #[test]
    fn empty_namespace_is_a_no_op() {
        let l = run(&kust(""), N1_IN).unwrap();
        assert_eq!(out(&l, &[]), out(&list(N1_IN), &[]));
        assert!(l.iter().all(|r| r.prev_ids.is_empty()));
    }

    fn plugin(mode: &str, unset_only: bool) -> NamespaceTransformer {
        NamespaceTransformer {
            namespace: "newns".into(),
            field_specs: vec![FieldSpec { gvk: crate::resource::Gvk::new("", "", "Namespace"), path: "metadata/name".into(), create: true }],
            unset_only,
            set_role_binding_subjects: RoleBindingSubjectMode::parse(mode).unwrap(),
        }
    }

    const RB_ALL: &str = "apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata:\n  name: rb\n  namespace: newns\nsubjects:
- kind: ServiceAccount\n  name: default\n  namespace: newns\n- kind: ServiceAccount\n  name: sa2\n  namespace: newns
- kind: User\n  name: default\n- kind: ServiceAccount\n  name: sa3\n  namespace: newns\n---
apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata:\n  name: crb\nsubjects:
- kind: ServiceAccount\n  name: default\n  namespace: newns\n- kind: ServiceAccount\n  name: sa4\n  namespace: newns\n";
    const RB_NONE: &str = "apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata:\n  name: rb\n  namespace: newns\nsubjects:
- kind: ServiceAccount\n  name: default\n- kind: ServiceAccount\n  name: sa2\n  namespace: other
- kind: User\n  name: default\n- kind: ServiceAccount\n  name: sa3\n---
apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata:\n  name: crb\nsubjects:
- kind: ServiceAccount\n  name: default\n  namespace: foo\n- kind: ServiceAccount\n  name: sa4\n";
    const RB_ALL_UNSET: &str = "apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata:\n  name: rb\n  namespace: newns\nsubjects:
- kind: ServiceAccount\n  name: default\n  namespace: newns\n- kind: ServiceAccount\n  name: sa2\n  namespace: other
- kind: User\n  name: default\n- kind: ServiceAccount\n  name: sa3\n  namespace: newns\n---
apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata:\n  name: crb\nsubjects:
- kind: ServiceAccount\n  name: default\n  namespace: foo\n- kind: ServiceAccount\n  name: sa4\n  namespace: newns\n";
    const RB_DEFAULT_UNSET: &str = "apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata:\n  name: rb\n  namespace: newns\nsubjects:
- kind: ServiceAccount\n  name: default\n  namespace: newns\n- kind: ServiceAccount\n  name: sa2\n  namespace: other
- kind: User\n  name: default\n  namespace: newns\n- kind: ServiceAccount\n  name: sa3\n---
apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata:\n  name: crb\nsubjects:
- kind: ServiceAccount\n  name: default\n  namespace: foo\n- kind: ServiceAccount\n  name: sa4\n";

    #[test]
    fn subject_modes_and_unset_only() {
        // N1_IN without the first 9 documents: cm(other), s(~) replaced by s(""), Namespace.
        let src = format!(
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n  namespace: other\n---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: s\n  namespace: \"\"\n---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: oldns\n---\n{}",
            N1_IN.split("---\n").skip(9).collect::<Vec<_>>().join("---\n")
        );
        for (mode, unset, rbs, changed) in [
            ("allServiceAccounts", false, RB_ALL, true),
            ("none", false, RB_NONE, true),
            ("allServiceAccounts", true, RB_ALL_UNSET, false),
            ("defaultOnly", true, RB_DEFAULT_UNSET, false),
        ] {
            let l = run(&plugin(mode, unset), &src).unwrap();
            assert_eq!(out(&l, &[3, 4]), rbs, "{} {}", mode, unset);
            let ns = |i: usize| l.get(i).unwrap().namespace().to_string();
            assert_eq!(ns(0), if changed { "newns" } else { "other" });
            assert_eq!(ns(1), "newns");
            assert_eq!(l.get(2).unwrap().name(), if changed { "newns" } else { "oldns" });
        }
    }

    #[test]
    fn mode_parse() {
        assert_eq!(RoleBindingSubjectMode::parse("").unwrap(), RoleBindingSubjectMode::DefaultOnly);
        assert_eq!(
            RoleBindingSubjectMode::parse("bogus").unwrap_err().message(),
            r#"invalid value "bogus" for setRoleBindingSubjects: must be one of "defaultOnly", "none" or "allServiceAccounts""#
        );
    }

    fn fail(src: &str) -> Error {
        run(&kust("newns"), src).unwrap_err()
    }

    #[test]
    fn errors() {
        let cm = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n";
        // Both orders collide (the check runs after each resource).
        for src in [format!("{cm}  namespace: a\n---\n{cm}  namespace: b\n"), format!("{cm}---\n{cm}  namespace: newns\n")] {
            let e = fail(&src);
            assert_eq!(e.kind(), ErrorKind::IdConflict);
            assert!(e.message().starts_with("namespace transformation produces ID conflict: ["), "{}", e);
        }
        let api = "apiVersion: apiregistration.k8s.io/v1\nkind: APIService\nmetadata:\n  name: v1.foo\nspec:\n  service:";
        let e = fail(&format!("{api}\n    namespace:\n      a: b\n"));
        assert_eq!(e.kind(), ErrorKind::Transform);
        assert_eq!(
            e.message(),
            "namespace field specs must target scalar nodes: considering field 'spec/service/namespace' of object \
             APIService.v1.apiregistration.k8s.io/v1.foo.[noNs]: wrong node kind: expected ScalarNode but got MappingNode: \
             node contents:\na: b\n"
        );
        assert_eq!(
            fail(&format!("{api} 3\n")).message(),
            "namespace transformation failed: considering field 'spec/service/namespace' of object \
             APIService.v1.apiregistration.k8s.io/v1.foo.[noNs]: expected sequence or mapping node"
        );
        let rb = "apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata:\n  name: rb\n";
        let pre = "setting namespace on (cluster)role binding subjects: ";
        for (subjects, msg) in [
            ("subjects: foo", "wrong node kind: expected SequenceNode but got ScalarNode: node contents:\nfoo\n"),
            (
                "subjects:\n- 3",
                "looking up name on (cluster)role binding subject: wrong node kind: expected MappingNode but got ScalarNode: node contents:\n3\n",
            ),
            (
                "subjects:\n- name:\n    a: b",
                "looking up name on (cluster)role binding subject: wrong node kind: expected ScalarNode but got MappingNode: node contents:\na: b\n",
            ),
            (
                "subjects:\n- name: default\n  namespace:\n    a: b",
                "wrong node kind: expected ScalarNode but got MappingNode: node contents:\na: b\n",
            ),
        ] {
            assert_eq!(fail(&format!("{rb}{subjects}\n")).message(), format!("{pre}{msg}"));
        }
        // Null or empty subject namespaces are set.
        let l = run(&kust("newns"), &format!("{rb}subjects:\n- name: default\n  namespace: ~\n- name: default\n  namespace: ''\n")).unwrap();
        assert_eq!(
            out(&l, &[]),
            "apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata:\n  name: rb\n  namespace: newns\nsubjects:\n\
             - name: default\n  namespace: newns\n- name: default\n  namespace: newns\n"
        );
    }
}
