//! Expected values are `kubectl kustomize` (kustomize v5.5.0) outputs for a kustomization
//! `resources: [dep.yaml]`, `patches: [{path: p.yaml, target: {kind: <its kind>}}]` holding
//! the two texts of each case; error cases hold the reference's error message.

use super::*;

#[test]
fn ops_add_remove_replace_move_copy_test() {
    let got = j(
        r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
  annotations:
    a/b: x
    t~x: y
    html: "<a&b>"
spec:
  replicas: 1
  template:
    spec:
      containers:
      - name: a
        image: x
        args: [a, b, c]
"#,
        r#"- op: add
  path: /spec/template/spec/containers/0/args/-
  value: d
- op: add
  path: /spec/template/spec/containers/0/args/0
  value: first
- op: add
  path: /spec/template/spec/containers/0/args/-1
  value: minus1
- op: replace
  path: /metadata/annotations/a~1b
  value: replaced
- op: remove
  path: /metadata/annotations/t~0x
- op: copy
  from: /spec/template/spec/containers/0
  path: /spec/template/spec/containers/-
- op: move
  from: /spec/replicas
  path: /spec/paused
- op: test
  path: /spec/template/spec/containers/1/name
  value: a
- op: replace
  path: /spec/newkey
  value: {a: yes, b: "1", c: 1.0, d: 0777, e: on, f: 2024-01-01, g: null, h: 1e3, i: n, j: "yes"}
- op: copy
  from: /spec/missing
  path: /spec/copied
- op: add
  path: /spec/novalue
"#,
    );
    assert_eq!(
        got,
        r#"apiVersion: apps/v1
kind: Deployment
metadata:
  annotations:
    a/b: replaced
    html: <a&b>
  name: d
spec:
  copied: null
  newkey:
    a: true
    b: "1"
    c: 1
    d: 511
    e: true
    f: "2024-01-01"
    g: null
    h: 1000
    i: false
    j: "yes"
  novalue: null
  paused: 1
  template:
    spec:
      containers:
      - args:
        - first
        - a
        - b
        - c
        - d
        - minus1
        image: x
        name: a
      - args:
        - first
        - a
        - b
        - c
        - d
        - minus1
        image: x
        name: a
"#
    );
}

#[test]
fn numbers_and_timestamps_round_trip() {
    let got = j(
        r#"apiVersion: v1
kind: ConfigMap
metadata:
  name: c
spec:
  big: 1000000
  bigger: 123456789
  huge: 9007199254740993
  fl: 1.50
  exp: 1e3
  oct: 0777
  hex: 0x1F
  neg: -0.0
  small: 0.0000001
  date: 2024-01-01
  ts: 2001-12-14t21:59:43.10-05:00
  yes: yes
  on: "on"
  q: "1"
  nul: null
  empty:
  multi: |
    line1
    line2
  list: [1, "2", 3.5]
"#,
        r#"- op: add
  path: /spec/added
  value: 2
"#,
    );
    assert_eq!(
        got,
        r#"apiVersion: v1
kind: ConfigMap
metadata:
  name: c
spec:
  added: 2
  big: 1000000
  bigger: 123456789
  date: "2024-01-01T00:00:00Z"
  empty: null
  exp: 1000
  fl: 1.5
  hex: 31
  huge: 9007199254740992
  list:
  - 1
  - "2"
  - 3.5
  multi: |
    line1
    line2
  neg: 0
  nul: null
  oct: 511
  "on": "on"
  q: "1"
  small: 1e-07
  ts: "2001-12-14T21:59:43.1-05:00"
  "yes": "yes"
"#
    );
}

#[test]
fn test_scalars_objects() {
    let got = j(
        r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
  annotations:
    a/b: x
    t~x: y
    html: "<a&b>"
spec:
  replicas: 1
  template:
    spec:
      containers:
      - name: a
        image: x
        args: [a, b, c]
"#,
        r#"- op: test
  path: /spec/replicas
  value: 1.0
- op: test
  path: /metadata/annotations/html
  value: "<a&b>"
- op: test
  path: /spec/template/spec/containers/0
  value: {name: a, image: x, args: [a, b, c]}
- op: test
  path: /spec/missing
  value: null
- op: test
  path: /spec/template/spec/containers/-1/args/2
  value: c
- op: remove
  path: /spec/template/spec/containers/0/args/-1
- op: replace
  path: /spec/template/spec/containers/0/args/-2
  value: z
"#,
    );
    assert_eq!(
        got,
        r#"apiVersion: apps/v1
kind: Deployment
metadata:
  annotations:
    a/b: x
    html: <a&b>
    t~x: "y"
  name: d
spec:
  replicas: 1
  template:
    spec:
      containers:
      - args:
        - z
        - b
        image: x
        name: a
"#
    );
}

#[test]
fn json_text_patch() {
    let got = j(
        r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
  annotations:
    a/b: x
    t~x: y
    html: "<a&b>"
spec:
  replicas: 1
  template:
    spec:
      containers:
      - name: a
        image: x
        args: [a, b, c]
"#,
        r#"[{"op": "add", "path": "/spec/x", "value": {"b": 1.0, "a": "s", "c": [true, null]}}, {"op": "test", "path": "/spec/replicas", "value": 1}]"#,
    );
    assert_eq!(
        got,
        r#"apiVersion: apps/v1
kind: Deployment
metadata:
  annotations:
    a/b: x
    html: <a&b>
    t~x: "y"
  name: d
spec:
  replicas: 1
  template:
    spec:
      containers:
      - args:
        - a
        - b
        - c
        image: x
        name: a
  x:
    a: s
    b: 1
    c:
    - true
    - null
"#
    );
}

#[test]
fn json_text_test_float_fails() {
    let got = j_err(
        r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
  annotations:
    a/b: x
    t~x: y
    html: "<a&b>"
spec:
  replicas: 1
  template:
    spec:
      containers:
      - name: a
        image: x
        args: [a, b, c]
"#,
        r#"[{"op": "test", "path": "/spec/replicas", "value": 1.0}]"#,
    );
    assert_eq!(got, r#"testing value /spec/replicas failed: test failed"#);
}

#[test]
fn json_text_test_html_fails() {
    let got = j_err(
        r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
  annotations:
    a/b: x
    t~x: y
    html: "<a&b>"
spec:
  replicas: 1
  template:
    spec:
      containers:
      - name: a
        image: x
        args: [a, b, c]
"#,
        r#"[{"op": "test", "path": "/metadata/annotations/html", "value": "<a&b>"}]"#,
    );
    assert_eq!(
        got,
        r#"testing value /metadata/annotations/html failed: test failed"#
    );
}

#[test]
fn json_text_test_html_escaped_passes() {
    let got = j(
        r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
  annotations:
    a/b: x
    t~x: y
    html: "<a&b>"
spec:
  replicas: 1
  template:
    spec:
      containers:
      - name: a
        image: x
        args: [a, b, c]
"#,
        r#"[{"op": "test", "path": "/metadata/annotations/html", "value": "\u003ca\u0026b\u003e"}]"#,
    );
    assert_eq!(
        got,
        r#"apiVersion: apps/v1
kind: Deployment
metadata:
  annotations:
    a/b: x
    html: <a&b>
    t~x: "y"
  name: d
spec:
  replicas: 1
  template:
    spec:
      containers:
      - args:
        - a
        - b
        - c
        image: x
        name: a
"#
    );
}

#[test]
fn move_within_arrays() {
    let got = j(
        r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
  annotations:
    a/b: x
    t~x: y
    html: "<a&b>"
spec:
  replicas: 1
  template:
    spec:
      containers:
      - name: a
        image: x
        args: [a, b, c]
"#,
        r#"- op: move
  from: /spec/template/spec/containers/0/args/0
  path: /spec/template/spec/containers/0/args/-
- op: move
  from: /spec/template/spec/containers/0/image
  path: /spec/template/spec/containers/0/args/1
- op: copy
  from: /spec/template/spec/containers/0/args
  path: /spec/argsCopy
"#,
    );
    assert_eq!(
        got,
        r#"apiVersion: apps/v1
kind: Deployment
metadata:
  annotations:
    a/b: x
    html: <a&b>
    t~x: "y"
  name: d
spec:
  argsCopy:
  - b
  - x
  - c
  - a
  replicas: 1
  template:
    spec:
      containers:
      - args:
        - b
        - x
        - c
        - a
        name: a
"#
    );
}

#[test]
fn replace_whole_document() {
    let got = j(
        r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
  annotations:
    a/b: x
    t~x: y
    html: "<a&b>"
spec:
  replicas: 1
  template:
    spec:
      containers:
      - name: a
        image: x
        args: [a, b, c]
"#,
        r#"- op: replace
  path: ""
  value:
    apiVersion: v1
    kind: ConfigMap
    metadata: {name: d}
    data: {a: b}
"#,
    );
    assert_eq!(
        got,
        r#"apiVersion: v1
data:
  a: b
kind: ConfigMap
metadata:
  name: d
"#
    );
}

#[test]
fn replace_whole_document_with_scalar_is_ignored() {
    let got = j(
        r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
  annotations:
    a/b: x
    t~x: y
    html: "<a&b>"
spec:
  replicas: 1
  template:
    spec:
      containers:
      - name: a
        image: x
        args: [a, b, c]
"#,
        r#"- op: replace
  path: ""
  value: 5
- op: add
  path: /spec/ok
  value: true
"#,
    );
    assert_eq!(
        got,
        r#"apiVersion: apps/v1
kind: Deployment
metadata:
  annotations:
    a/b: x
    html: <a&b>
    t~x: "y"
  name: d
spec:
  ok: true
  replicas: 1
  template:
    spec:
      containers:
      - args:
        - a
        - b
        - c
        image: x
        name: a
"#
    );
}

#[test]
fn pointer_without_leading_slash() {
    let got = j(
        r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
  annotations:
    a/b: x
    t~x: y
    html: "<a&b>"
spec:
  replicas: 1
  template:
    spec:
      containers:
      - name: a
        image: x
        args: [a, b, c]
"#,
        r#"- op: add
  path: spec/x
  value: 1
- op: add
  path: /
  value: emptykey
"#,
    );
    assert_eq!(
        got,
        r#""": emptykey
apiVersion: apps/v1
kind: Deployment
metadata:
  annotations:
    a/b: x
    html: <a&b>
    t~x: "y"
  name: d
spec:
  replicas: 1
  template:
    spec:
      containers:
      - args:
        - a
        - b
        - c
        image: x
        name: a
x: 1
"#
    );
}

#[test]
fn err_add_missing_parent() {
    let got = j_err(
        r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
  annotations:
    a/b: x
    t~x: y
    html: "<a&b>"
spec:
  replicas: 1
  template:
    spec:
      containers:
      - name: a
        image: x
        args: [a, b, c]
"#,
        r#"- {op: add, path: /spec/x/y, value: 1}"#,
    );
    assert_eq!(
        got,
        r#"add operation does not apply: doc is missing path: "/spec/x/y": missing value"#
    );
}

#[test]
fn err_remove_missing() {
    let got = j_err(
        r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
  annotations:
    a/b: x
    t~x: y
    html: "<a&b>"
spec:
  replicas: 1
  template:
    spec:
      containers:
      - name: a
        image: x
        args: [a, b, c]
"#,
        r#"- {op: remove, path: /spec/nope}"#,
    );
    assert_eq!(
        got,
        r#"error in remove for path: '/spec/nope': Unable to remove nonexistent key: nope: missing value"#
    );
}

#[test]
fn err_replace_missing_index() {
    let got = j_err(
        r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
  annotations:
    a/b: x
    t~x: y
    html: "<a&b>"
spec:
  replicas: 1
  template:
    spec:
      containers:
      - name: a
        image: x
        args: [a, b, c]
"#,
        r#"- {op: replace, path: /spec/template/spec/containers/5, value: 1}"#,
    );
    assert_eq!(
        got,
        r#"replace operation does not apply: doc is missing key: /spec/template/spec/containers/5: missing value"#
    );
}

#[test]
fn err_test_failed() {
    let got = j_err(
        r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
  annotations:
    a/b: x
    t~x: y
    html: "<a&b>"
spec:
  replicas: 1
  template:
    spec:
      containers:
      - name: a
        image: x
        args: [a, b, c]
"#,
        r#"- {op: test, path: /spec/replicas, value: 2}"#,
    );
    assert_eq!(got, r#"testing value /spec/replicas failed: test failed"#);
}

#[test]
fn err_move_missing() {
    let got = j_err(
        r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
  annotations:
    a/b: x
    t~x: y
    html: "<a&b>"
spec:
  replicas: 1
  template:
    spec:
      containers:
      - name: a
        image: x
        args: [a, b, c]
"#,
        r#"- {op: move, from: /spec/nope, path: /spec/x}"#,
    );
    assert_eq!(
        got,
        r#"error in move for path: 'nope': Unable to remove nonexistent key: nope: missing value"#
    );
}

#[test]
fn err_add_bad_index() {
    let got = j_err(
        r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
  annotations:
    a/b: x
    t~x: y
    html: "<a&b>"
spec:
  replicas: 1
  template:
    spec:
      containers:
      - name: a
        image: x
        args: [a, b, c]
"#,
        r#"- {op: add, path: /spec/template/spec/containers/9, value: 1}"#,
    );
    assert_eq!(
        got,
        r#"error in add for path: '/spec/template/spec/containers/9': Unable to access invalid index: 9: invalid index referenced"#
    );
}

#[test]
fn err_unknown_op() {
    let got = j_err(
        r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
  annotations:
    a/b: x
    t~x: y
    html: "<a&b>"
spec:
  replicas: 1
  template:
    spec:
      containers:
      - name: a
        image: x
        args: [a, b, c]
"#,
        r#"- {op: foo, path: /a}"#,
    );
    assert_eq!(got, r#"Unexpected kind: foo"#);
}

#[test]
fn err_add_no_path() {
    let got = j_err(
        r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
  annotations:
    a/b: x
    t~x: y
    html: "<a&b>"
spec:
  replicas: 1
  template:
    spec:
      containers:
      - name: a
        image: x
        args: [a, b, c]
"#,
        r#"- {op: add, value: 1}"#,
    );
    assert_eq!(got, r#"add operation failed to decode path: missing value"#);
}

#[test]
fn err_test_missing() {
    let got = j_err(
        r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
  annotations:
    a/b: x
    t~x: y
    html: "<a&b>"
spec:
  replicas: 1
  template:
    spec:
      containers:
      - name: a
        image: x
        args: [a, b, c]
"#,
        r#"- {op: test, path: /spec/nope, value: 1}"#,
    );
    assert_eq!(got, r#"testing value /spec/nope failed: test failed"#);
}

#[test]
fn err_remove_index_syntax() {
    let got = j_err(
        r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
  annotations:
    a/b: x
    t~x: y
    html: "<a&b>"
spec:
  replicas: 1
  template:
    spec:
      containers:
      - name: a
        image: x
        args: [a, b, c]
"#,
        r#"- {op: remove, path: /spec/template/spec/containers/x}"#,
    );
    assert_eq!(
        got,
        r#"error in remove for path: '/spec/template/spec/containers/x': strconv.Atoi: parsing "x": invalid syntax"#
    );
}

#[test]
fn err_add_index_syntax() {
    let got = j_err(
        r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
  annotations:
    a/b: x
    t~x: y
    html: "<a&b>"
spec:
  replicas: 1
  template:
    spec:
      containers:
      - name: a
        image: x
        args: [a, b, c]
"#,
        r#"- {op: add, path: /spec/template/spec/containers/x, value: 1}"#,
    );
    assert_eq!(
        got,
        r#"error in add for path: '/spec/template/spec/containers/x': value was not a proper array index: 'x': strconv.Atoi: parsing "x": invalid syntax"#
    );
}

#[test]
fn err_copy_bad_index() {
    let got = j_err(
        r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
  annotations:
    a/b: x
    t~x: y
    html: "<a&b>"
spec:
  replicas: 1
  template:
    spec:
      containers:
      - name: a
        image: x
        args: [a, b, c]
"#,
        r#"- {op: copy, from: /spec/template/spec/containers/7, path: /a}"#,
    );
    assert_eq!(
        got,
        r#"error in copy for from: '/spec/template/spec/containers/7': Unable to access invalid index: 7: invalid index referenced"#
    );
}

#[test]
fn err_test_no_value() {
    let got = j_err(
        r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
  annotations:
    a/b: x
    t~x: y
    html: "<a&b>"
spec:
  replicas: 1
  template:
    spec:
      containers:
      - name: a
        image: x
        args: [a, b, c]
"#,
        r#"- {op: test, path: /spec/replicas}"#,
    );
    assert_eq!(got, r#"testing value /spec/replicas failed: test failed"#);
}

#[test]
fn err_replace_missing_parent() {
    let got = j_err(
        r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
  annotations:
    a/b: x
    t~x: y
    html: "<a&b>"
spec:
  replicas: 1
  template:
    spec:
      containers:
      - name: a
        image: x
        args: [a, b, c]
"#,
        r#"- {op: replace, path: /spec/x/y, value: 1}"#,
    );
    assert_eq!(
        got,
        r#"replace operation does not apply: doc is missing path: /spec/x/y: missing value"#
    );
}

#[test]
fn err_remove_missing_parent() {
    let got = j_err(
        r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
  annotations:
    a/b: x
    t~x: y
    html: "<a&b>"
spec:
  replicas: 1
  template:
    spec:
      containers:
      - name: a
        image: x
        args: [a, b, c]
"#,
        r#"- {op: remove, path: /x/y}"#,
    );
    assert_eq!(
        got,
        r#"remove operation does not apply: doc is missing path: "/x/y": missing value"#
    );
}

#[test]
fn err_remove_empty_path() {
    let got = j_err(
        r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
  annotations:
    a/b: x
    t~x: y
    html: "<a&b>"
spec:
  replicas: 1
  template:
    spec:
      containers:
      - name: a
        image: x
        args: [a, b, c]
"#,
        r#"- {op: remove, path: ""}"#,
    );
    assert_eq!(
        got,
        r#"remove operation does not apply: doc is missing path: "": missing value"#
    );
}

#[test]
fn err_copy_missing_from_parent() {
    let got = j_err(
        r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
  annotations:
    a/b: x
    t~x: y
    html: "<a&b>"
spec:
  replicas: 1
  template:
    spec:
      containers:
      - name: a
        image: x
        args: [a, b, c]
"#,
        r#"- {op: copy, from: /x/y, path: /a}"#,
    );
    assert_eq!(
        got,
        r#"copy operation does not apply: doc is missing from path: /x/y: missing value"#
    );
}

#[test]
fn err_move_no_from() {
    let got = j_err(
        r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
  annotations:
    a/b: x
    t~x: y
    html: "<a&b>"
spec:
  replicas: 1
  template:
    spec:
      containers:
      - name: a
        image: x
        args: [a, b, c]
"#,
        r#"- {op: move, path: /a}"#,
    );
    assert_eq!(
        got,
        r#"move operation failed to decode from: operation, missing from field: missing value"#
    );
}

#[test]
fn err_replace_no_path() {
    let got = j_err(
        r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
  annotations:
    a/b: x
    t~x: y
    html: "<a&b>"
spec:
  replicas: 1
  template:
    spec:
      containers:
      - name: a
        image: x
        args: [a, b, c]
"#,
        r#"- {op: replace, value: 1}"#,
    );
    assert_eq!(
        got,
        r#"replace operation failed to decode path: operation missing path field: missing value"#
    );
}

#[test]
fn err_path_through_scalar() {
    let got = j_err(
        r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
  annotations:
    a/b: x
    t~x: y
    html: "<a&b>"
spec:
  replicas: 1
  template:
    spec:
      containers:
      - name: a
        image: x
        args: [a, b, c]
"#,
        r#"- {op: add, path: /spec/replicas/x, value: 1}"#,
    );
    assert_eq!(
        got,
        r#"add operation does not apply: doc is missing path: "/spec/replicas/x": missing value"#
    );
}

#[test]
fn err_remove_out_of_range() {
    let got = j_err(
        r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
  annotations:
    a/b: x
    t~x: y
    html: "<a&b>"
spec:
  replicas: 1
  template:
    spec:
      containers:
      - name: a
        image: x
        args: [a, b, c]
"#,
        r#"- {op: remove, path: /spec/template/spec/containers/0/args/3}"#,
    );
    assert_eq!(
        got,
        r#"error in remove for path: '/spec/template/spec/containers/0/args/3': Unable to access invalid index: 3: invalid index referenced"#
    );
}

#[test]
fn err_add_negative_out_of_range() {
    let got = j_err(
        r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
  annotations:
    a/b: x
    t~x: y
    html: "<a&b>"
spec:
  replicas: 1
  template:
    spec:
      containers:
      - name: a
        image: x
        args: [a, b, c]
"#,
        r#"- {op: add, path: /spec/template/spec/containers/0/args/-5, value: 1}"#,
    );
    assert_eq!(
        got,
        r#"error in add for path: '/spec/template/spec/containers/0/args/-5': Unable to access invalid index: -5: invalid index referenced"#
    );
}

#[test]
fn replace_missing_key_adds() {
    let got = j(
        r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
  annotations:
    a/b: x
    t~x: y
    html: "<a&b>"
spec:
  replicas: 1
  template:
    spec:
      containers:
      - name: a
        image: x
        args: [a, b, c]
"#,
        r#"- {op: replace, path: /spec/brandnew, value: {x: 1}}"#,
    );
    assert_eq!(
        got,
        r#"apiVersion: apps/v1
kind: Deployment
metadata:
  annotations:
    a/b: x
    html: <a&b>
    t~x: "y"
  name: d
spec:
  brandnew:
    x: 1
  replicas: 1
  template:
    spec:
      containers:
      - args:
        - a
        - b
        - c
        image: x
        name: a
"#
    );
}
