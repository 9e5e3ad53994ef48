//! Tests against `kubectl kustomize` (kustomize v5.5.0): the expected strings are what the
//! reference printed for the same inputs (one kustomization, `vars:` as in each test).

use super::*;
use crate::fieldspec::defaults;
use crate::kustomization::{FieldSelector, Target};

fn list(src: &str) -> ResourceList {
    let mut l = ResourceList::new();
    for n in crate::yaml::load_documents(src).unwrap() {
        l.append(Resource::new(n)).unwrap();
    }
    l
}

fn var(name: &str, api_version: &str, kind: &str, obj: &str, ns: &str, path: &str) -> Var {
    Var {
        name: name.into(),
        objref: Target {
            api_version: api_version.into(),
            kind: kind.into(),
            name: obj.into(),
            namespace: ns.into(),
            ..Default::default()
        },
        fieldref: FieldSelector { field_path: path.into() },
    }
}

fn out(l: &ResourceList) -> String {
    crate::yaml::to_string_stream(l.iter().map(|r| &r.node)).unwrap()
}

/// Merges `vars` as one kustomization does, then resolves them at the root.
fn run(l: &mut ResourceList, vars: &[Var]) -> Result<Option<String>> {
    let mut acc = Vec::new();
    merge_vars(&mut acc, vars, l)?;
    resolve_vars_with_warnings(l, &acc, defaults())
}

const TYPED_IN: &str = r#"apiVersion: v1
kind: ConfigMap
metadata:
  name: cm
data:
  int: 42
  oct: 0644
  flt: 1e6
  big: 2.50
  bool: true
  nul: null
  map: {a: b}
  ts: 2001-12-14
  qs: "8080"
---
apiVersion: v1
kind: Pod
metadata:
  name: p
  labels:
    l1: $(INT)
    l2: x$(FLT)y
    l3: $(MAP)
    a1: $(OCT)
    a2: $(BIG)-$(BOOL)-$(NUL)-$(TS)
    a3: $$(INT) $$ $x $( $(NOPE) $() $
    a4: $(FLT)
    a5: $(BOOL)
    a6: $(NUL)
    a7: $(QS)
    a8: $(SEL) $(IDX) ${INT} $(INT)$(INT)
    a9: "42"
    a10: 7
    a11: ""
spec:
  containers:
  - name: a
    image: a
    args: ["$(INT)", "$(FLT)", "$(BIG)", "$(BOOL)", "$(NUL)", "$(TS)", "$(QS)", "$(OCT)"]
    env:
    - name: E
      value: $(BIG)
  - name: b
    image: bimg
    args: [idx0]
"#;

const TYPED_OUT: &str = r#"apiVersion: v1
data:
  big: 2.5
  bool: true
  flt: 1000000
  int: 42
  map:
    a: b
  nul: null
  oct: 420
  qs: "8080"
  ts: "2001-12-14T00:00:00Z"
kind: ConfigMap
metadata:
  name: cm
---
apiVersion: v1
kind: Pod
metadata:
  labels:
    a1: 644
    a2: 2.5-true-null-2001-12-14
    a3: $(INT) $ $x $( $(NOPE) $() $
    a4: 1000000
    a5: true
    a6: "null"
    a7: "8080"
    a8: bimg idx0 ${INT} 4242
    a9: "42"
    a10: 7
    a11: ""
    l1: 42
    l2: x1e+06y
    l3: $(MAP)
  name: p
spec:
  containers:
  - args:
    - 42
    - 1000000
    - 2.5
    - true
    - "null"
    - "2001-12-14"
    - "8080"
    - 644
    env:
    - name: E
      value: 2.5
    image: a
    name: a
  - args:
    - idx0
    image: bimg
    name: b
"#;

fn typed_vars() -> Vec<Var> {
    let cm = |n: &str, p: &str| var(n, "v1", "ConfigMap", "cm", "", p);
    vec![
        cm("INT", "data.int"),
        cm("OCT", "data.oct"),
        cm("FLT", "data.flt"),
        cm("BIG", "data.big"),
        cm("BOOL", "data.bool"),
        cm("NUL", "data.nul"),
        cm("MAP", "data.map"),
        cm("TS", "data.ts"),
        cm("QS", "data.qs"),
        cm("UNUSED", ""),
        var("SEL", "v1", "Pod", "p", "", "spec.containers.[name=b].image"),
        var("IDX", "v1", "Pod", "p", "", "spec.containers[1].args[0]"),
    ]
}

#[test]
fn typed_values_and_escapes() {
    let mut l = list(TYPED_IN);
    let warning = run(&mut l, &typed_vars()).unwrap();
    assert_eq!(out(&l), TYPED_OUT);
    assert_eq!(warning.as_deref(), Some("well-defined vars that were never replaced: MAP,UNUSED"));
}

#[test]
fn marks_resource_by_previous_name() {
    // A base renamed the service (namePrefix) and moved it (namespace); the var names it by
    // its raw name.
    let mut l = list("apiVersion: v1\nkind: Service\nmetadata:\n  name: svc\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    command: [x, $(SVC)]\n");
    let r = l.get_mut(0).unwrap();
    r.store_previous_id();
    r.set_name("base-svc");
    r.set_namespace("ns1");
    let vars = [var("SVC", "v1", "Service", "svc", "", "")];
    assert_eq!(run(&mut l.clone(), &vars).unwrap(), None);
    let mut l2 = l.clone();
    run(&mut l2, &vars).unwrap();
    assert!(out(&l2).contains("    - base-svc\n"));
    // With a namespace, the old id's namespace (`default`) or the new one must match.
    for (ns, ok) in [("default", true), ("ns1", false), ("other", false)] {
        let mut l3 = l.clone();
        let r = run(&mut l3, &[var("SVC", "v1", "Service", "svc", ns, "")]);
        assert_eq!(r.is_ok(), ok, "{}", ns);
    }
    let mut l4 = l.clone();
    run(&mut l4, &[var("SVC", "v1", "Service", "base-svc", "ns1", "")]).unwrap();
    assert!(out(&l4).contains("    - base-svc\n"));
}

#[test]
fn cluster_scoped_objref_with_namespace_never_matches() {
    let src = "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: cr\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  labels:\n    a: $(CR)\n";
    let mut l = list(src);
    let e = run(&mut l, &[var("CR", "rbac.authorization.k8s.io/v1", "ClusterRole", "cr", "default", "")]).unwrap_err();
    assert_eq!(
        e.message(),
        "var '{CR ClusterRole.v1.rbac.authorization.k8s.io {metadata.name}}' cannot be mapped to a field in the set of known resources"
    );
    let mut l = list(src);
    run(&mut l, &[var("CR", "rbac.authorization.k8s.io/v1", "ClusterRole", "cr", "", "")]).unwrap();
    assert_eq!(
        out(&l),
        "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: cr\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  labels:\n    a: cr\n  name: p\n"
    );
}

#[test]
fn ambiguous_var() {
    let mut l = list("apiVersion: v1\nkind: Service\nmetadata:\n  name: es\n  namespace: a\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: es\n  namespace: b\n");
    let vars = [var("X", "v1", "Service", "es", "", "metadata.name"), var("Y", "v1", "Service", "es", "", "")];
    let e = run(&mut l, &vars).unwrap_err();
    assert_eq!(
        e.message(),
        "merging vars [{X Service.[noVer].[noGrp] {metadata.name}} {Y Service.[noVer].[noGrp] {}}]: found 2 resId matches for var {X Service.v1.[noGrp] {metadata.name}} (unable to disambiguate)"
    );
    // A namespace disambiguates.
    let mut l2 = list("apiVersion: v1\nkind: Service\nmetadata:\n  name: es\n  namespace: a\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: es\n  namespace: b\n");
    run(&mut l2, &[var("X", "v1", "Service", "es", "b", "metadata.namespace")]).unwrap();
    assert_eq!(l2.get(1).unwrap().ref_var_names, vec!["X".to_string()]);
}

#[test]
fn collisions() {
    let mut l = list("apiVersion: v1\nkind: Service\nmetadata:\n  name: s\n");
    let mut acc = Vec::new();
    merge_vars(&mut acc, &[var("A", "v1", "Service", "s", "", "")], &mut l).unwrap();
    assert_eq!(acc[0].fieldref.field_path, "metadata.name");
    assert_eq!(acc[0].objref.version, "v1");
    let e = merge_vars(&mut acc, &[var("A", "v1", "Service", "s", "", "")], &mut l).unwrap_err();
    assert_eq!(e.message(), "merging vars [{A Service.[noVer].[noGrp] {}}]: var 'A' already encountered");
    let e = merge_var_sets(&mut acc.clone(), &acc).unwrap_err();
    assert_eq!(e.message(), "var 'A' already encountered");
}

#[test]
fn missing_field_and_bad_sequence() {
    let mut l = list("apiVersion: v1\nkind: Service\nmetadata:\n  name: s\n");
    let e = run(&mut l, &[var("A", "v1", "Service", "s", "", "spec.nope")]).unwrap_err();
    assert_eq!(e.message(), "field specified in var '{A Service.v1.[noGrp] {spec.nope}}' not found in corresponding resource");
    let mut l = list("apiVersion: v1\nkind: Service\nmetadata:\n  name: s\n");
    let e = run(&mut l, &[var("A", "v1", "Service", "t", "", "")]).unwrap_err();
    assert_eq!(e.message(), "var '{A Service.v1.[noGrp] {metadata.name}}' cannot be mapped to a field in the set of known resources");
    let mut l = list("apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - args: [$(A), 3]\n");
    let e = run(&mut l, &[var("A", "v1", "Pod", "p", "", "")]).unwrap_err();
    assert_eq!(
        e.message(),
        "considering field 'spec/containers/args' of object Pod.v1.[noGrp]/p.[noNs]: invalid value type expect a string"
    );
}

#[test]
fn path_splitting() {
    assert_eq!(convert_slice_index(smarter_split("a.b[0].c")), ["a", "b", "0", "c"]);
    assert_eq!(convert_slice_index(smarter_split("a.[x=y.z].c")), ["a", "[x=y.z]", "c"]);
    assert_eq!(convert_slice_index(smarter_split("a.[b.c].d")), ["a", "b.c", "d"]);
    assert_eq!(convert_slice_index(smarter_split("a\\.b.c")), ["a.b", "c"]);
    assert_eq!(convert_slice_index(smarter_split("[0].a")), ["0", "a"]);
}
