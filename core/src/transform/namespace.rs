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
use crate::fieldspec::{walk, Config, Create, FieldSpec};
use crate::resource::{current_id_hash, ResId, Resource, ResourceList};
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

const META_NAMESPACE: &str = "metadata/namespace";
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
        let hasher = crate::fasthash::FastState::default();
        let segments: Vec<Vec<String>> = self.field_specs.iter().map(|fs| fs.segments()).collect();
        let items = list.as_mut_slice();
        // First each resource on its own (long lists on the build's spare threads): its id
        // before, and the filter's outcome with the hash of its id after (`None` for an empty
        // resource, left alone). A chunk stops at its first error.
        struct Step {
            old: ResId,
            old_key: u64,
            new: Option<Result<u64>>,
        }
        let chunks = crate::build::each_chunk(items, |chunk| {
            let mut steps: Vec<Step> =
                chunk.iter().map(|r| Step { old: r.cur_id(), old_key: current_id_hash(&hasher, r), new: None }).collect();
            for (r, step) in chunk.iter_mut().zip(steps.iter_mut()) {
                if r.node.as_map().is_none_or(|m| m.is_empty()) {
                    continue;
                }
                r.store_previous_id();
                let res = self.filter(r, &segments).map(|()| current_id_hash(&hasher, r));
                let failed = res.is_err();
                step.new = Some(res);
                if failed {
                    break;
                }
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
                    .map(|j| if j <= i { items[j].cur_id() } else { steps[j].old.clone() })
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

    /// The namespace filter on one resource.
    /// `segments`: those of `field_specs`, in order.
    fn filter(&self, r: &mut Resource, segments: &[Vec<String>]) -> Result<()> {
        let gvk = r.gvk();
        let is_v1 = r.api_version() == "v1";
        let rb = is_role_binding(&gvk.kind);
        let specs: Vec<(&FieldSpec, &Vec<String>)> = self
            .field_specs
            .iter()
            .zip(segments)
            .filter(|(fs, _)| fs.path != META_NAMESPACE && (is_v1 || fs.path != META_NAME))
            .filter(|(fs, _)| !(rb && is_role_binding(&fs.gvk.kind) && fs.path == SUBJECTS_NAMESPACE))
            .collect();

        // metadata.namespace, on namespaced kinds only.
        if !gvk.is_cluster_scoped() {
            static PATH: std::sync::LazyLock<Vec<String>> = std::sync::LazyLock::new(|| crate::fieldspec::split_path(META_NAMESPACE));
            let res = walk(&mut r.node, &PATH, Some(Create::Scalar), &mut |n| self.set(n));
            if let Err(e) = res {
                return Err(considering_field(META_NAMESPACE, &r.cur_id(), e.message()));
            }
        }

        if rb {
            self.role_binding_subjects(&mut r.node)?;
        }

        for (fs, segs) in specs {
            if !fs.applies_to(&gvk) {
                continue;
            }
            let mut wrong_kind = false;
            let create = fs.create.then_some(Create::Scalar);
            let res = walk(&mut r.node, segs, create, &mut |n| {
                let out = self.set(n);
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
        Ok(())
    }

    /// kustomize's SetEntry / SetEntryIfEmpty with the namespace: the target must be a scalar
    /// (or null); with `unsetOnly`, a scalar with a non-empty value is kept.
    fn set(&self, n: &mut Node) -> Result<()> {
        if self.unset_only && has_existing_value(n) {
            return Ok(());
        }
        match n {
            Node::Scalar(_) => {
                *n = Node::string(self.namespace.as_str());
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
