//! Strategic merges with schemas from comments and from custom schemas (`openapi:`).

use super::*;
use crate::schema::custom::Layering;
use crate::yaml::{load_documents, to_string};
use std::sync::Arc;

fn doc(s: &str) -> Node {
    load_documents(s).unwrap().remove(0)
}

fn merged(target: &str, patch: &str) -> String {
    let mut t = doc(target);
    merge_patch(&mut t, &doc(patch), None).unwrap();
    to_string(&t)
}

const RESOURCE: &str = r##"
apiVersion: custom
kind: Deployment
containers: # {"items":{"$ref": "#/definitions/io.k8s.api.core.v1.Container"},"type":"array","x-kubernetes-patch-merge-key":"name","x-kubernetes-patch-strategy": "merge"}
- name: foo # hell ow
  image: foo:bar
metadata:
  name: test
"##;

const PATCH: &str = "apiVersion: custom\nkind: Deployment\ncontainers:\n- name: foo\n  command: ['run2.sh']\nmetadata:\n  name: test\n";

#[test]
fn schema_from_a_line_comment() {
    // kyaml merge2 "merge using explicit schema as line comment".
    assert_eq!(
        merged(RESOURCE, PATCH),
        "apiVersion: custom\ncontainers:\n- command:\n  - run2.sh\n  image: foo:bar\n  name: foo\nkind: Deployment\nmetadata:\n  name: test\n"
    );
    // Without the comment the list is replaced.
    let plain = RESOURCE.replace(" # {", " # x {");
    assert_eq!(
        merged(&plain, PATCH),
        "apiVersion: custom\ncontainers:\n- command:\n  - run2.sh\n  name: foo\nkind: Deployment\nmetadata:\n  name: test\n"
    );
    // In the patch.
    let patch = PATCH.replace("containers:\n", "containers: # {\"type\": \"array\", \"x-kubernetes-patch-strategy\": \"merge\", \"x-kubernetes-patch-merge-key\": \"name\"}\n");
    assert_eq!(merged(&plain, &patch), merged(RESOURCE, PATCH));
    // Not JSON (kyaml reads comments with encoding/json): ignored.
    let yamlish = RESOURCE.replace(r#"{"items""#, r#"{items"#);
    assert_eq!(merged(&yamlish, PATCH), merged(&plain, PATCH));
}

#[test]
fn comments_survive_a_merge() {
    let mut t = doc(RESOURCE);
    let p1 = doc("apiVersion: custom\nkind: Deployment\nmetadata:\n  name: test\nreplicas: 2\n");
    merge_patch(&mut t, &p1, None).unwrap();
    assert!(t
        .as_map()
        .unwrap()
        .entry("containers")
        .unwrap()
        .comment()
        .is_some());
    merge_patch(&mut t, &doc(PATCH), None).unwrap();
    assert!(to_string(&t).contains("image: foo:bar"));
}

#[test]
fn comment_refs_resolve_in_the_schema() {
    let target = "apiVersion: x/v1\nkind: K\nmetadata:\n  name: a\nspec: # {\"$ref\": \"#/definitions/io.k8s.api.core.v1.PodSpec\"}\n  containers:\n  - name: a\n    image: a\n  - name: b\n    image: b\n";
    let patch = "apiVersion: x/v1\nkind: K\nmetadata:\n  name: a\nspec:\n  containers:\n  - name: a\n    image: new\n";
    let out = merged(target, patch);
    assert!(
        out.contains("- image: new\n    name: a\n  - image: b\n    name: b\n"),
        "{out}"
    );
    // With a custom schema that does not know PodSpec (layered alone), the ref is unresolved:
    // the comment's own (empty) schema applies and the list is replaced.
    let custom = CustomSchema::parse("definitions: {}\n", Layering::Only).unwrap();
    let ctx = Schema::with_custom(Arc::new(custom));
    let mut t = doc(target);
    merge_patch_with(&mut t, &doc(patch), &ctx, None).unwrap();
    assert!(!to_string(&t).contains("name: b"));
}

const CUSTOM: &str = r##"{"definitions": {
  "v1.Foo": {"type": "object", "properties": {"spec": {"$ref": "#/definitions/io.k8s.api.core.v1.PodSpec"}},
    "x-kubernetes-group-version-kind": [{"group": "x.io", "version": "v1", "kind": "Foo"}]},
  "io.k8s.api.core.v1.PodSpec": {"type": "object", "properties": {"items": {"type": "array",
    "x-kubernetes-patch-strategy": "merge", "x-kubernetes-patch-merge-key": "id"}}}}}"##;

#[test]
fn custom_schemas() {
    let target = "apiVersion: x.io/v1\nkind: Foo\nmetadata:\n  name: a\nspec:\n  items:\n  - id: 1\n    v: a\n  - id: 2\n    v: b\n";
    let patch = "apiVersion: x.io/v1\nkind: Foo\nmetadata:\n  name: a\nspec:\n  items:\n  - id: 2\n    v: c\n";
    let custom = Schema::with_custom(Arc::new(
        CustomSchema::parse(CUSTOM, Layering::Only).unwrap(),
    ));
    let mut t = doc(target);
    merge_patch_with(&mut t, &doc(patch), &custom, None).unwrap();
    assert_eq!(to_string(&t), "apiVersion: x.io/v1\nkind: Foo\nmetadata:\n  name: a\nspec:\n  items:\n  - id: 2\n    v: c\n  - id: 1\n    v: a\n");
    // The builtin schema does not know the kind: replaced.
    assert!(!merged(target, patch).contains("v: a"));
    // The build's schema, through merge_patch.
    let _b = crate::schema::BuildScope::enter();
    let field: std::collections::BTreeMap<String, String> =
        [("path".to_string(), "s.json".to_string())].into();
    crate::schema::set_openapi(&field, Some(CUSTOM), true).unwrap();
    assert!(merged(target, patch).contains("v: a"));
    // A Deployment has no schema now: its containers are replaced.
    let dep = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n  template:\n    spec:\n      containers:\n      - name: a\n      - name: b\n";
    let dep_patch = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n  template:\n    spec:\n      containers:\n      - name: a\n        image: x\n";
    assert!(!merged(dep, dep_patch).contains("name: b"));
}
