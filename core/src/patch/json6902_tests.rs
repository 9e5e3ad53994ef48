use super::*;
use crate::yaml::{load_documents, to_string};

/// Applies patch text (as kustomize reads a patch file) and prints the result.
fn j(target: &str, ops: &str) -> String {
    let mut t = load_documents(target).unwrap().remove(0);
    let p = Json6902Patch::parse(ops).unwrap();
    p.apply(&mut t).unwrap();
    to_string(&t)
}

fn j_err(target: &str, ops: &str) -> String {
    let mut t = load_documents(target).unwrap().remove(0);
    let before = t.clone();
    let p = Json6902Patch::parse(ops).unwrap();
    let e = p.apply(&mut t).unwrap_err();
    assert_eq!(t, before, "target changed on error");
    e.message().to_string()
}

#[test]
fn smoke() {
    let out = j(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n",
        "- op: add\n  path: /data\n  value: {a: b}\n",
    );
    assert_eq!(
        out,
        "apiVersion: v1\ndata:\n  a: b\nkind: ConfigMap\nmetadata:\n  name: c\n"
    );
}

#[test]
fn decoding() {
    assert_eq!(
        Json6902Patch::parse("").unwrap_err().message(),
        "empty json patch operations"
    );
    assert_eq!(
        Json6902Patch::parse("a: b\n").unwrap_err().message(),
        "json: cannot unmarshal object into Go value of type jsonpatch.Patch"
    );
    assert_eq!(
        Json6902Patch::parse("- a\n").unwrap_err().message(),
        "json: cannot unmarshal string into Go value of type jsonpatch.Operation"
    );
    // YAML flow syntax is not JSON.
    assert!(Json6902Patch::parse("[{op: add}]").is_err());
    assert!(Json6902Patch::parse("[{\"op\": \"add\"}] x").is_err());
    assert!(Json6902Patch::parse("---\n").unwrap().is_empty());
    assert_eq!(
        Json6902Patch::parse("[{\"op\": \"remove\", \"path\": \"/a\"}, null]")
            .unwrap()
            .len(),
        2
    );
    // Only the first YAML document counts.
    assert_eq!(
        Json6902Patch::parse("- {op: remove, path: /a}\n---\n- {op: remove, path: /b}\n")
            .unwrap()
            .len(),
        1
    );
}

#[test]
fn apply_from_node() {
    let mut t = load_documents("kind: A\nmetadata:\n  name: a\n")
        .unwrap()
        .remove(0);
    let ops =
        load_documents("- {op: add, path: /metadata/labels, value: {x: \"1\", y: 2, z: yes}}\n")
            .unwrap()
            .remove(0);
    apply_json6902(&mut t, &ops).unwrap();
    assert_eq!(
        to_string(&t),
        "kind: A\nmetadata:\n  labels:\n    x: \"1\"\n    \"y\": 2\n    z: true\n  name: a\n"
    );
    let bad = load_documents("- {op: remove, path: /nope}\n")
        .unwrap()
        .remove(0);
    let e = apply_json6902(&mut t, &bad).unwrap_err();
    assert_eq!(
        e.message(),
        "error in remove for path: '/nope': Unable to remove nonexistent key: nope: missing value"
    );
}

#[test]
fn helpers() {
    assert_eq!(go_json_float(1e21).unwrap(), "1e+21");
    assert_eq!(go_json_float(1.5e-7).unwrap(), "1.5e-7");
    assert_eq!(go_json_float(1e-10).unwrap(), "1e-10");
    assert_eq!(go_json_float(123456789.0).unwrap(), "123456789");
    assert_eq!(go_json_float(0.5).unwrap(), "0.5");
    assert_eq!(
        go_json_float(f64::INFINITY).unwrap_err().message(),
        "json: unsupported value: +Inf"
    );
    assert_eq!(
        crate::yaml::resolve::go_json_string("a<b>&\"\n\u{1}"),
        "\"a\\u003cb\\u003e\\u0026\\\"\\n\\u0001\""
    );
    assert_eq!(decode_key("a~1b~0c~01"), "a/b~c~1");
    assert_eq!(go_atoi("+7"), Ok(7));
    assert_eq!(
        go_atoi("-").unwrap_err(),
        "strconv.Atoi: parsing \"-\": invalid syntax"
    );
    assert_eq!(
        go_atoi("99999999999999999999").unwrap_err(),
        "strconv.Atoi: parsing \"99999999999999999999\": value out of range"
    );
}

/// Cases compared with kustomize v5.5.0's output.
#[path = "json6902_ref_tests.rs"]
mod reference;
