//! Expected outputs are kustomize v5.5.0's (`kubectl kustomize --reorder none`) for the same
//! resources and replacements.

use super::*;
use crate::resource::resources_from_str;

fn list(resources: &str) -> ResourceList {
    let mut l = ResourceList::new();
    for r in resources_from_str(resources).unwrap() {
        l.append(r).unwrap();
    }
    l
}

fn transformer(kustomization: &str) -> ReplacementTransformer {
    let k = crate::kustomization::parse(kustomization).unwrap();
    ReplacementTransformer::new(&k.replacements, &|p| Err(err!(NotFound, "no file {}", p))).unwrap()
}

fn run(kustomization: &str, resources: &str) -> Result<String> {
    let mut l = list(resources);
    transformer(kustomization).apply(&mut l, &Config::default())?;
    crate::yaml::to_string_stream(l.iter().map(|r| &r.node))
}

fn error(kustomization: &str, resources: &str) -> String {
    run(kustomization, resources).unwrap_err().message().to_string()
}

const U1_KUST: &str = r#"
replacements:
- source:
    kind: ConfigMap
    name: src
    fieldPath: data.a
  targets:
  - select:
      kind: Deployment
    fieldPaths:
    - spec.template.spec.containers.[name=app].image
    - spec.template.spec.containers.*.env.[name=X].value
    - metadata.labels.new
    - spec.template.spec.containers.0.args.1
    - spec.z.[=a]
    - spec.w.[=b]
    - spec.x.0
    - spec.n.[name=q].v
    options:
      create: true
- source:
    kind: ConfigMap
    name: src
    fieldPath: data.list
  targets:
  - select:
      name: tgt
    fieldPaths:
    - spec.replaced
    - spec.newlist
    options:
      create: true
- source:
    kind: ConfigMap
    name: src
    fieldPath: data.num
  targets:
  - select:
      name: tgt
    fieldPaths:
    - spec.replicas
    - spec.strfield
    - spec.quoted
    - spec.template.spec.containers.[name=app].args.0
"#;

const U1_RES: &str = r#"apiVersion: v1
kind: ConfigMap
metadata:
  name: src
data:
  a: "42"
  num: 7
  list:
  - p
  - q: 1
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: tgt
  labels:
    app: x
spec:
  replicas: 1
  strfield: abc
  quoted: "abc"
  replaced: {a: b}
  n:
  y: [q]
  z: [abc, a, b]
  template:
    spec:
      containers:
      - name: app
        image: a
        args: [x]
      - name: myapp
        image: b
      - name: other
        image: c
        env:
        - name: "Y"
          value: "1"
"#;

const U1_OUT: &str = r#"apiVersion: v1
data:
  a: "42"
  list:
  - p
  - q: 1
  num: 7
kind: ConfigMap
metadata:
  name: src
---
apiVersion: apps/v1
kind: Deployment
metadata:
  labels:
    app: x
    new: 42
  name: tgt
spec:
  "n": null
  newlist:
  - p
  - q: 1
  quoted: "7"
  replaced:
  - p
  - q: 1
  replicas: 7
  strfield: "7"
  template:
    spec:
      containers:
      - args:
        - "7"
        - 42
        env:
        - name: X
          value: 42
        image: "42"
        name: app
      - env:
        - name: X
          value: 42
        image: "42"
        name: myapp
      - env:
        - name: "Y"
          value: "1"
        - name: X
          value: 42
        image: c
        name: other
  w:
  - 42
  x:
  - 42
  "y":
  - q
  z:
  - "42"
  - "42"
  - b
"#;

#[test]
fn create_wildcards_regex_entries_and_typing() {
    assert_eq!(run(U1_KUST, U1_RES).unwrap(), U1_OUT);
}

const U2_KUST: &str = r#"
replacements:
- source:
    kind: ConfigMap
    name: src
    fieldPath: data.url
    options:
      delimiter: "/"
      index: 2
  targets:
  - select:
      kind: Deployment
    reject:
    - name: skip
    - labelSelector: tier=back
    fieldPaths:
    - spec.template.spec.containers.0.image
    options:
      delimiter: ":"
      index: 1
  - select:
      kind: Deployment
      labelSelector: tier=front
    fieldPaths:
    - spec.template.spec.containers.0.command.[=run]
    options:
      delimiter: "-"
      index: -1
  - select:
      kind: Deployment
      namespace: default
    fieldPaths:
    - spec.host
    options:
      delimiter: "."
      index: 5
"#;

const U2_RES: &str = r#"apiVersion: v1
kind: ConfigMap
metadata:
  name: src
data:
  url: "https://v1.2.3/x"
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: front
  labels:
    tier: front
spec:
  host: a.b
  template:
    spec:
      containers:
      - image: nginx:old
        command: [run, go]
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: back
  namespace: other
  labels:
    tier: back
spec:
  template:
    spec:
      containers:
      - image: nginx:old
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: skip
spec:
  host: c
  template:
    spec:
      containers:
      - image: nginx:old
"#;

const U2_OUT: &str = r#"apiVersion: v1
data:
  url: https://v1.2.3/x
kind: ConfigMap
metadata:
  name: src
---
apiVersion: apps/v1
kind: Deployment
metadata:
  labels:
    tier: front
  name: front
spec:
  host: a.b.v1.2.3
  template:
    spec:
      containers:
      - command:
        - v1.2.3-run
        - go
        image: nginx:v1.2.3
---
apiVersion: apps/v1
kind: Deployment
metadata:
  labels:
    tier: back
  name: back
  namespace: other
spec:
  template:
    spec:
      containers:
      - image: nginx:old
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: skip
spec:
  host: c.v1.2.3
  template:
    spec:
      containers:
      - image: nginx:old
"#;

#[test]
fn delimiters_rejects_and_label_selectors() {
    assert_eq!(run(U2_KUST, U2_RES).unwrap(), U2_OUT);
}

#[test]
fn previous_names_select() {
    // As TestReplacementTransformerWithOriginalName: the target is selected by a name it had
    // before a prefix was added.
    let mut l = list(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: target\nspec:\n  template:\n    spec:\n      containers:\n      - image: nginx:oldtag\n        name: nginx\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: source\nspec:\n  template:\n    spec:\n      containers:\n      - image: nginx:newtag\n        name: nginx\n",
    );
    for r in l.iter_mut() {
        r.store_previous_id();
        let n = format!("p-{}", r.name());
        r.set_name(&n);
    }
    let t = transformer(
        "replacements:\n- source:\n    name: source\n    fieldPath: spec.template.spec.containers.0.image\n  targets:\n  - select:\n      name: target\n    fieldPaths:\n    - spec.template.spec.containers.[name=nginx].image\n",
    );
    t.apply(&mut l, &Config::default()).unwrap();
    let out = crate::yaml::to_string_stream(l.iter().map(|r| &r.node)).unwrap();
    assert_eq!(
        out,
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: p-target\nspec:\n  template:\n    spec:\n      containers:\n      - image: nginx:newtag\n        name: nginx\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: p-source\nspec:\n  template:\n    spec:\n      containers:\n      - image: nginx:newtag\n        name: nginx\n"
    );
}

const E_RES: &str = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  x: \"1\"\n  s: abc\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\ndata:\n  x: \"2\"\n";

fn e(replacements: &str) -> String {
    error(&format!("replacements:\n{}\n", replacements), E_RES)
}

#[test]
fn errors_as_kustomize_reports_them() {
    assert_eq!(
        e("- source: {kind: Secret}\n  targets: [{select: {kind: ConfigMap}}]"),
        "nothing selected by Secret.[noVer].[noGrp]/[noName].[noNs]"
    );
    assert_eq!(
        e("- source: {kind: ConfigMap}\n  targets: [{select: {kind: ConfigMap}}]"),
        "multiple matches for selector ConfigMap.[noVer].[noGrp]/[noName].[noNs]"
    );
    assert_eq!(
        e("- source: {name: a, fieldPath: data.nope}\n  targets: [{select: {kind: ConfigMap}}]"),
        "fieldPath `data.nope` is missing for replacement source [noKind].[noVer].[noGrp]/a.[noNs]"
    );
    assert_eq!(
        e("- source: {name: a, fieldPath: data.x}\n  targets: [{select: {name: b}, fieldPaths: [data.nope.deeper]}]"),
        "unable to find field \"data.nope.deeper\" in replacement target"
    );
    assert_eq!(
        e("- source: {name: a, fieldPath: data.s, options: {delimiter: \",\", index: 3, create: true}}\n  targets: [{select: {name: b}, fieldPaths: [data.x]}]"),
        "options.index 3 is out of bounds for value abc"
    );
    assert_eq!(e("- source: {name: a, fieldPath: data.x}"), "replacements must specify a source and at least one target");
    assert_eq!(
        e("- source: {name: a, fieldPath: data.x}\n  targets: [{fieldPaths: [data.x]}]"),
        "target must specify resources to select"
    );
    assert_eq!(
        e("- source: {name: a, fieldPath: data.*}\n  targets: [{select: {name: b}, fieldPaths: [data.x]}]"),
        "error looking up replacement source: wildcard is not supported in PathGetter"
    );
    assert!(e("- source: {name: a, fieldPath: data.x.y}\n  targets: [{select: {name: b}, fieldPaths: [data.x]}]")
        .starts_with("error looking up replacement source: wrong node kind: expected MappingNode but got ScalarNode"));
    assert!(e("- source: {name: a, fieldPath: data.x}\n  targets: [{select: {name: b}, fieldPaths: [data.x.y]}]")
        .starts_with("unable to find field \"data.x.y\" in replacement target: wrong node kind: expected MappingNode but got ScalarNode"));
}

#[test]
fn kustomize_fails_to_write_a_tag_the_text_cannot_have() {
    let k = "replacements:\n- source: {name: src, fieldPath: data.a}\n  targets: [{select: {name: tgt}, fieldPaths: [data.v]}]\n";
    let res = |a: &str, v: &str| format!("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: src\ndata:\n  a: {}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: tgt\ndata:\n  v: {}\n", a, v);
    assert_eq!(error(k, &res("\"hello\"", "")), "map[string]interface {}(nil): yaml: cannot decode !!str `hello` as a !!null");
    assert_eq!(error(k, &res("\"42\"", "true")), "map[string]interface {}(nil): yaml: cannot decode !!int `42` as a !!bool");
    assert_eq!(error(k, &res("\"hello\"", "3")), "map[string]interface {}(nil): yaml: cannot decode !!str `hello` as a !!int");
}

#[test]
fn collections_into_scalars_and_back() {
    let k = "replacements:\n- source: {name: a, fieldPath: metadata}\n  targets: [{select: {name: b}, fieldPaths: [data.x], options: {delimiter: \"-\"}}]\n";
    let out = run(k, E_RES).unwrap();
    assert!(out.ends_with("data:\n  x: \"\"\nkind: ConfigMap\nmetadata:\n  name: b\n"), "{}", out);
    let k = "replacements:\n- source: {name: a, fieldPath: metadata}\n  targets: [{select: {name: b}, fieldPaths: [data.x, data]}]\n";
    let out = run(k, E_RES).unwrap();
    assert!(out.ends_with("data:\n  name: a\nkind: ConfigMap\nmetadata:\n  name: b\n"), "{}", out);
}

#[test]
fn path_entries_load_files() {
    let k = crate::kustomization::parse("replacements:\n- path: one.yaml\n- path: many.yaml\n").unwrap();
    let load = |p: &str| -> Result<String> {
        Ok(match p {
            "one.yaml" => "source: {name: a}\ntargets: [{select: {name: b}}]\nunknown: 1\n".to_string(),
            _ => "- source: {name: a, fieldPath: data.x}\n  targets: [{select: {name: b}, fieldPaths: [data.x]}]\n- source: {name: b}\n  targets: [{select: {name: b}, fieldPaths: [data.s], options: {create: true}}]\n".to_string(),
        })
    };
    let t = ReplacementTransformer::new(&k.replacements, &load).unwrap();
    assert_eq!(t.replacements.len(), 3);
    assert!(t.replacements.iter().all(|r| r.path.is_empty()));
    let k = crate::kustomization::parse("replacements:\n- path: x.yaml\n  source: {name: a}\n").unwrap();
    assert_eq!(
        ReplacementTransformer::new(&k.replacements, &load).unwrap_err().message(),
        "cannot specify both path and inline replacement"
    );
    let scalar = |_: &str| -> Result<String> { Ok("just text\n".into()) };
    let k = crate::kustomization::parse("replacements:\n- path: x.yaml\n").unwrap();
    assert_eq!(
        ReplacementTransformer::new(&k.replacements, &scalar).unwrap_err().message(),
        "unsupported replacement type encountered within replacement path: string"
    );
}
