use super::*;
use crate::yaml::{load_documents, to_string};

/// Merges `patch` into `target` (both YAML) and prints the result as kustomize would.
fn sm(target: &str, patch: &str) -> String {
    let mut t = load_documents(target).unwrap().remove(0);
    let p = load_documents(patch).unwrap().remove(0);
    match merge_patch(&mut t, &p, None).unwrap() {
        SmOutcome::Deleted => "<deleted>".into(),
        SmOutcome::Merged => to_string(&t),
    }
}

/// The error of a merge (without the final newline kyaml's node dumps end with, which the
/// reference's log output hides).
fn sm_err(target: &str, patch: &str) -> String {
    let mut t = load_documents(target).unwrap().remove(0);
    let p = load_documents(patch).unwrap().remove(0);
    let before = t.clone();
    let e = merge_patch(&mut t, &p, None).unwrap_err();
    assert_eq!(t, before, "target changed on error");
    e.message().trim_end_matches('\n').to_string()
}

#[test]
fn smoke() {
    let out = sm(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  a: b\n",
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  c: d\n",
    );
    assert_eq!(
        out,
        "apiVersion: v1\ndata:\n  a: b\n  c: d\nkind: ConfigMap\nmetadata:\n  name: c\n"
    );
    let _ = sm_err;
}

const DEP: &str = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n  template:\n    spec:\n      containers:\n      - name: a\n        image: x\n      - name: b\n        image: y\n";

#[test]
fn outcomes() {
    let mut t = load_documents(DEP).unwrap().remove(0);
    let del = load_documents("kind: Deployment\nmetadata:\n  name: d\n$patch: delete\n")
        .unwrap()
        .remove(0);
    assert_eq!(merge_patch(&mut t, &del, None).unwrap(), SmOutcome::Deleted);
    // Top-level replace: kustomize keeps the resource as it was.
    let mut t = load_documents(DEP).unwrap().remove(0);
    let before = t.clone();
    let rep = load_documents("kind: Deployment\nmetadata:\n  name: d\n$patch: replace\nspec: {}\n")
        .unwrap()
        .remove(0);
    assert_eq!(merge_patch(&mut t, &rep, None).unwrap(), SmOutcome::Merged);
    assert_eq!(t, before);
    // Nulling every field leaves an empty mapping, which kustomize drops.
    let mut t = load_documents("kind: A\nmetadata: {name: a}\n")
        .unwrap()
        .remove(0);
    let all = load_documents("kind: null\nmetadata: null\n")
        .unwrap()
        .remove(0);
    assert_eq!(merge_patch(&mut t, &all, None).unwrap(), SmOutcome::Deleted);
}

#[test]
fn explicit_schema_overrides_lookup() {
    // A custom resource merged with the Deployment schema: containers merge by name.
    let crd = DEP.replace("apps/v1", "example.com/v1");
    let patch = "apiVersion: example.com/v1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n  template:\n    spec:\n      containers:\n      - name: b\n        image: z\n";
    let mut t = load_documents(&crd).unwrap().remove(0);
    let p = load_documents(patch).unwrap().remove(0);
    let schema = crate::schema::root_type("apps", "v1", "Deployment");
    merge_patch(&mut t, &p, schema).unwrap();
    assert_eq!(
        to_string(&t),
        "apiVersion: example.com/v1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n  template:\n    spec:\n      containers:\n      - image: z\n        name: b\n      - image: x\n        name: a\n"
    );
    // Without it, the list is replaced.
    assert_eq!(
        sm(&crd, patch),
        "apiVersion: example.com/v1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n  template:\n    spec:\n      containers:\n      - image: z\n        name: b\n"
    );
}

#[test]
fn patch_is_not_modified_and_can_be_reused() {
    let p = load_documents("kind: Deployment\nmetadata:\n  name: d\nspec:\n  template:\n    spec:\n      containers:\n      - name: a\n        $patch: delete\n").unwrap().remove(0);
    let keep = p.clone();
    for _ in 0..2 {
        let mut t = load_documents(DEP).unwrap().remove(0);
        merge_patch(&mut t, &p, None).unwrap();
        assert_eq!(
            to_string(&t),
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n  template:\n    spec:\n      containers:\n      - image: \"y\"\n        name: b\n"
        );
    }
    assert_eq!(p, keep);
}

#[test]
fn validate_and_merge_values() {
    let keys = ["containerPort", "protocol"];
    let list = Rows {
        width: 2,
        cells: vec!["80", "", "81", ""],
    };
    let mask = key_mask(list.iter(), &keys);
    assert_eq!(filter_by(&keys, &mask), ["containerPort"]);
    assert_eq!(
        filter_values(list.row(0), &keys, &mask).collect::<Vec<_>>(),
        ["80"]
    );
    // No key has a value anywhere: all keys are kept.
    let empty = Rows {
        width: 2,
        cells: vec!["", ""],
    };
    let mask = key_mask(empty.iter(), &keys);
    assert_eq!(filter_by(&keys, &mask), keys);
    let mut list = Rows {
        width: 2,
        cells: vec!["80", "UDP", "80", "", "90", ""],
    };
    merge_values(&mut list);
    assert_eq!(list.cells, ["80", "UDP", "80", "UDP", "90", ""]);
}

/// Cases compared with kustomize v5.5.0's output.
#[path = "strategic_merge_ref_tests.rs"]
mod reference;
