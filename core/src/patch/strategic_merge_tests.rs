use super::*;
use crate::yaml::{load_documents, to_string, Entry};

/// Merges with the guided import of the resource ([`import_guided`]) on or off, and the walk
/// visiting keys in kyaml's order ([`Walker::exact`]) or in the fast order.
fn merge_with_import(t: &mut Node, p: &Node, guided: bool, exact: bool) -> Result<SmOutcome> {
    crate::switch::with(&GUIDED_IMPORT, guided, || crate::switch::with(&EXACT_ORDER, exact, || merge_patch(t, p, None)))
}

/// Merges `patch` into `target` the plain way (plain import, kyaml's order of keys) and with
/// the shortcuts (guided import, fast order; each alone too), checks that all give the same
/// node (or the same error), and returns the outcome and the node.
fn merge_both(target: &str, patch: &str) -> (Result<SmOutcome>, Node) {
    let t0 = load_documents(target).unwrap().remove(0);
    let p = load_documents(patch).unwrap().remove(0);
    let mut plain = t0.clone();
    let a = merge_with_import(&mut plain, &p, false, true);
    let mut out = None;
    for (guided, exact) in [(true, true), (false, false), (true, false)] {
        let mut t = t0.clone();
        let b = merge_with_import(&mut t, &p, guided, exact);
        let how = format!("guided import {guided}, exact order {exact}");
        match (&a, &b) {
            (Ok(x), Ok(y)) => assert_eq!(x, y, "outcome, {how} vs plain"),
            (Err(x), Err(y)) => assert_eq!(x.message(), y.message(), "error, {how} vs plain"),
            _ => panic!("{how}: {:?} vs plain {:?}", b.as_ref().map_err(|e| e.message()), a.as_ref().map_err(|e| e.message())),
        }
        assert_eq!(t, plain, "merged node, {how} vs plain:\n{}", to_string(&t));
        out = Some((b, t));
    }
    out.unwrap()
}

/// Merges `patch` into `target` (both YAML) and prints the result as kustomize would.
fn sm(target: &str, patch: &str) -> String {
    match merge_both(target, patch) {
        (Ok(SmOutcome::Deleted), _) => "<deleted>".into(),
        (Ok(SmOutcome::Merged), t) => to_string(&t),
        (Err(e), _) => panic!("{}", e.message()),
    }
}

/// The error of a merge (without the final newline kyaml's node dumps end with, which the
/// reference's log output hides).
fn sm_err(target: &str, patch: &str) -> String {
    let before = load_documents(target).unwrap().remove(0);
    let (r, t) = merge_both(target, patch);
    assert_eq!(t, before, "target changed on error");
    r.unwrap_err().message().trim_end_matches('\n').to_string()
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

/// The guided import (parts of the resource the patch does not mention left out of the walk
/// when the walk would not change them) gives what the plain import gives, on resources whose
/// untouched parts hold what the walk does change: nulls and empty values, strings YAML 1.1
/// reads as other types, associative lists it rebuilds, nested objects with their own kind,
/// schema comments, `$patch` keys, empty keys.
#[test]
fn guided_import_equals_plain_import() {
    let snippets = [
        "x: 1",
        "nul: null\ntilde: ~\nempty:\nobj:\n  inner: null",
        "flag: on\nyes: y\nquoted: \"123\"\nhex: 0x1F\nday: 2001-12-14\nexp: 1e3\ntagged: !!str yes\nplainword: off\nunit: 100m\nnum: 8080",
        "emptymap: {}\nemptylist: []\nnested:\n  deeper:\n    list: [a, null, ~]",
        "obj:\n  apiVersion: apps/v1\n  kind: Deployment\n  spec:\n    template:\n      spec:\n        containers:\n        - name: a\n        - name: a\n",
        "obj:\n  apiVersion: v1\n  kind: Pod\n  spec:\n    containers:\n    - image: noname\n    - name: b\n",
        "withcomment: # {\"type\": \"array\", \"x-kubernetes-patch-strategy\": \"merge\", \"x-kubernetes-patch-merge-key\": \"id\"}\n- id: 1\n- id: 1\n- other: 2",
        "$patch: replace\nkeep: 1",
        "\"\": emptykey",
        "\"\":\n  a: 1",
    ];
    let pod_spec_extras = [
        "",
        "      initContainers:\n      - name: i\n      - name: i\n",
        "      initContainers:\n      - image: nokey\n",
        "      initContainers: []\n",
        "      volumes:\n      - name: v\n        emptyDir: {}\n      - name: v\n        configMap:\n          name: x\n",
        "      volumes:\n      - name: v\n        emptyDir:\n",
        "      tolerations:\n      - key: k\n        operator: Exists\n      - key: k\n",
        "      containers:\n      - name: side\n        ports:\n        - containerPort: 80\n        - containerPort: 80\n          protocol: UDP\n",
        "      containers:\n      - name: side\n        env:\n        - name: E\n          value: on\n        - name: E\n        - value: x\n",
        "      containers:\n      - name: side\n        securityContext:\n          runAsUser: null\n      - name: side2\n        args: [\"on\", off]\n",
        "      containers:\n      - name: side\n        resources:\n          limits:\n            cpu: ~\n      - 7\n",
    ];
    let patches = [
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\n  annotations:\n    a: b\n",
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n  replicas: 5\n",
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n  template:\n    spec:\n      containers:\n      - name: main\n        image: z\n",
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n  template:\n    spec:\n      containers:\n      - name: side\n        env:\n        - name: E\n          value: patched\n      - name: new\n        image: n\n",
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n  template:\n    metadata:\n      labels:\n        l: v\n    spec:\n      volumes:\n      - name: v\n        emptyDir: {}\n",
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n  extra:\n    x: 2\n",
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n  extra: null\n",
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n  template:\n    $patch: replace\n    spec:\n      containers:\n      - name: only\n",
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n  template:\n    spec:\n      containers:\n      - $patch: delete\n        name: side\n",
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n  template:\n    spec:\n      containers:\n      - $patch: replace\n",
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n  template:\n    spec:\n      containers:\n      - image: nokey\n",
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: d\nspec:\n  template:\n    spec:\n      containers:\n      - name: main\n        image: z\n",
        "kind: Deployment\nmetadata:\n  name: d\nspec:\n  template:\n    spec:\n      initContainers:\n      - name: i\n        image: z\n",
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n  template:\n    spec:\n      containers: # {\"type\": \"array\"}\n      - name: main\n",
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n  template: 5\n",
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n  template:\n    spec:\n      containers: {}\n",
        "$patch: delete\n",
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n  template:\n    spec:\n      containers:\n      - name: main\n        other:\n          k: w\n",
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n  template:\n    spec:\n      containers:\n      - name: side\n        other:\n          k: w\n",
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n  template:\n    spec:\n      containers:\n      - name: side\n        image: s\n      - name: main\n        $patch: replace\n        image: q\n",
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n  template:\n    spec:\n      containers:\n      - name: main\n        other:\n          x: null\n        env:\n        - name: E\n          valueFrom:\n            fieldRef:\n              fieldPath: a\n      - name: side\n        $patch: delete\n",
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n  template:\n    spec:\n      containers:\n      - name: side2\n        args: [x]\n      - name: side\n        resources:\n          limits:\n            cpu: 2\n",
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n  template:\n    spec:\n      containers:\n      - name: side\n        image: s\n      - name: main\n        other:\n          k: w\n",
    ];
    let mut n = 0;
    for (si, snippet) in snippets.iter().enumerate() {
        let indented = |k: usize| snippet.lines().map(|l| format!("{}{}\n", " ".repeat(k), l)).collect::<String>();
        for (ei, extra) in pod_spec_extras.iter().enumerate() {
            // The snippet goes to an untouched mapping, at a depth that changes with the case.
            let (top, deep) = if (si + ei) % 2 == 0 { (indented(4), String::new()) } else { (String::new(), indented(10)) };
            // More containers continue the list after `main`.
            let extra = extra.strip_prefix("      containers:\n").unwrap_or(extra);
            let target = format!(
                "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\n  labels:\n    app: d\nspec:\n  replicas: 1\n  extra:\n{top}    k: v\n  template:\n    metadata:\n      labels:\n        app: d\n    spec:\n      containers:\n      - name: main\n        image: x\n        other:\n{deep}          k: v\n{extra}"
            );
            for patch in patches {
                // merge_both asserts that both ways agree.
                let _ = merge_both(&target, patch);
                n += 1;
            }
        }
    }
    assert!(n > 1000, "{n} cases");
}

/// The fast order of keys ([`Walker::exact`] off) gives kyaml's result: keys added by the
/// patch in any order (appended sorted), deleted, merged, replaced, at the top, in nested
/// mappings and in list elements, with the resource's keys in any order.
#[test]
fn fast_key_order_equals_kyaml_order() {
    let targets = [
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  labels:\n    m: 1\n    b: 2\ndata:\n  z: 1\n  c: 2\n  k: 3\n",
        "kind: ConfigMap\napiVersion: v1\ndata:\n  k: 3\n  a: 0\nmetadata:\n  name: c\n",
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n  template:\n    spec:\n      containers:\n      - name: main\n        zz: 1\n        image: x\n        env:\n        - name: E\n          value: v\n      - name: side\n        image: y\n",
    ];
    let patches = [
        "metadata:\n  name: c\n  labels:\n    z: 9\n    a: 8\n    q: 7\n",
        "data:\n  y: 1\n  b: 2\n  x: 3\n  c: null\n  z: 5\nnew:\n  b: 1\n  a: 2\nalso: 1\n",
        "data:\n  $patch: replace\n  q: 1\n  e: 2\nzeta: {y: 1, x: 2}\nalpha: [1]\n",
        "data:\n  k: null\n  a: null\n  w: {}\n  v: ''\n",
        "spec:\n  template:\n    spec:\n      containers:\n      - name: main\n        y: 1\n        b: 2\n        env:\n        - name: E\n          z: 1\n          a: 2\n        - name: F\n          b: 1\n          a: 2\n      - name: new\n        z: 1\n        a: 2\n",
        "spec:\n  template:\n    spec:\n      containers:\n      - name: side\n        zz: null\n        c: 3\n        a: 1\n      dnsPolicy: x\n      affinity: {b: 1, a: 2}\n",
    ];
    for t in targets {
        for p in patches {
            // merge_both compares the fast order with kyaml's.
            let _ = merge_both(t, p);
        }
    }
    // A patch adding several keys to a mapping appends them sorted.
    let (_, got) = merge_both("a: 1\nm:\n  k: 1\n", "m:\n  z: 1\n  b: 2\n  q: 3\nc: 1\nb: 2\n");
    let keys = |n: &Node| match n {
        Node::Map(m) => m.entries.iter().map(|e| e.key.clone()).collect::<Vec<_>>(),
        _ => vec![],
    };
    assert_eq!(keys(&got), ["a", "m", "b", "c"]);
    let Node::Map(top) = &got else { panic!() };
    assert_eq!(keys(top.get("m").unwrap()), ["k", "b", "q", "z"]);
}

/// Mappings built in code can repeat a key (the loader refuses that): both orders walk the
/// first entry of a key only.
#[test]
fn fast_key_order_with_repeated_keys() {
    let entry = |k: &str, v: Node| Entry::new(k, v, Default::default());
    let map = |es: Vec<Entry>| Node::Map(Mapping { entries: es });
    let target = map(vec![
        entry("b", Node::plain("on")),
        entry("a", map(vec![entry("x", Node::plain("1")), entry("x", Node::plain("yes"))])),
        entry("b", Node::plain("off")),
        entry("c", Node::plain("1")),
    ]);
    let patches = [
        map(vec![entry("a", map(vec![entry("x", Node::plain("2")), entry("y", Node::plain("3"))]))]),
        map(vec![entry("b", Node::null()), entry("d", Node::plain("4")), entry("d", Node::plain("5"))]),
        map(vec![entry("c", Node::plain("no")), entry("a", Node::null()), entry("0", Node::plain("n"))]),
    ];
    for p in &patches {
        let (mut exact, mut fast) = (target.clone(), target.clone());
        let a = merge_with_import(&mut exact, p, true, true);
        let b = merge_with_import(&mut fast, p, true, false);
        assert_eq!(a.map_err(|e| e.message().to_string()), b.map_err(|e| e.message().to_string()));
        assert_eq!(fast, exact, "{}", to_string(&fast));
    }
}
