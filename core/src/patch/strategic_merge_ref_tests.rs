//! Expected values are `kubectl kustomize` (kustomize v5.5.0) outputs for a kustomization
//! `resources: [dep.yaml]`, `patches: [{path: p.yaml}]` holding the
//! two texts of each case; error cases hold the reference's error message.

use super::*;

#[test]
fn containers_env_ports_volumes() {
    let got = sm(
        r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
spec:
  template:
    spec:
      containers:
      - name: a
        image: x
        env:
        - name: E1
          value: "1"
        - name: E2
          value: two
        ports:
        - containerPort: 80
          protocol: TCP
        - containerPort: 80
          protocol: UDP
        - containerPort: 90
      - name: b
        image: y
        args: [a, b]
      volumes:
      - name: v1
        emptyDir: {}
      - name: v2
        configMap:
          name: cm
"#,
        r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
spec:
  template:
    spec:
      containers:
      - name: c
        image: new
      - name: a
        image: x2
        env:
        - name: E3
          value: three
        - name: E1
          value: one
        ports:
        - containerPort: 80
          protocol: UDP
          name: udp
        - containerPort: 100
      - name: b
        args: [c]
      volumes:
      - name: v2
        secret:
          secretName: s
      - name: v3
        emptyDir: {}
"#,
    );
    assert_eq!(
        got,
        r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
spec:
  template:
    spec:
      containers:
      - image: new
        name: c
      - env:
        - name: E3
          value: three
        - name: E1
          value: one
        - name: E2
          value: two
        image: x2
        name: a
        ports:
        - containerPort: 100
        - containerPort: 80
          protocol: TCP
        - containerPort: 80
          name: udp
          protocol: UDP
        - containerPort: 90
      - args:
        - c
        image: "y"
        name: b
      volumes:
      - configMap:
          name: cm
        name: v2
        secret:
          secretName: s
      - emptyDir: {}
        name: v3
      - emptyDir: {}
        name: v1
"#
    );
}

#[test]
fn element_without_merge_key_wipes_keyed_elements() {
    let got = sm(
        r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
spec:
  template:
    spec:
      containers:
      - name: a
        image: x
        env:
        - name: E1
          value: "1"
        - name: E2
          value: two
        ports:
        - containerPort: 80
          protocol: TCP
        - containerPort: 80
          protocol: UDP
        - containerPort: 90
      - name: b
        image: y
        args: [a, b]
      volumes:
      - name: v1
        emptyDir: {}
      - name: v2
        configMap:
          name: cm
"#,
        r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
spec:
  template:
    spec:
      containers:
      - image: new
"#,
    );
    assert_eq!(
        got,
        r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
spec:
  template:
    spec:
      containers: []
      volumes:
      - emptyDir: {}
        name: v1
      - configMap:
          name: cm
        name: v2
"#
    );
}

#[test]
fn replace_directive_in_list_missing_from_target() {
    let got = sm(
        r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
spec:
  template:
    spec:
      containers:
      - name: a
        image: x
        env:
        - name: E1
          value: "1"
        - name: E2
          value: two
        ports:
        - containerPort: 80
          protocol: TCP
        - containerPort: 80
          protocol: UDP
        - containerPort: 90
      - name: b
        image: y
        args: [a, b]
      volumes:
      - name: v1
        emptyDir: {}
      - name: v2
        configMap:
          name: cm
"#,
        r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
spec:
  template:
    spec:
      initContainers:
      - $patch: replace
      - name: i
        image: z
"#,
    );
    assert_eq!(
        got,
        r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
spec:
  template:
    spec:
      containers:
      - env:
        - name: E1
          value: "1"
        - name: E2
          value: two
        image: x
        name: a
        ports:
        - containerPort: 80
          protocol: TCP
        - containerPort: 80
          protocol: UDP
        - containerPort: 90
      - args:
        - a
        - b
        image: "y"
        name: b
      initContainers:
      - $patch: replace
      volumes:
      - emptyDir: {}
        name: v1
      - configMap:
          name: cm
        name: v2
"#
    );
}

#[test]
fn container_delete_and_list_replace() {
    let got = sm(
        r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
spec:
  template:
    spec:
      containers:
      - name: a
        image: x
        env:
        - name: E1
          value: "1"
        - name: E2
          value: two
        ports:
        - containerPort: 80
          protocol: TCP
        - containerPort: 80
          protocol: UDP
        - containerPort: 90
      - name: b
        image: y
        args: [a, b]
      volumes:
      - name: v1
        emptyDir: {}
      - name: v2
        configMap:
          name: cm
"#,
        r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
spec:
  template:
    spec:
      containers:
      - name: b
        $patch: delete
      - name: zz
        $patch: delete
      - name: a
        env:
        - $patch: replace
        - name: NEW
          value: v
        ports:
        - containerPort: 90
          $patch: delete
      volumes:
      - $patch: delete
"#,
    );
    assert_eq!(
        got,
        r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
spec:
  template:
    spec:
      containers:
      - env:
        - name: NEW
          value: v
        image: x
        name: a
        ports:
        - containerPort: 80
          protocol: TCP
        - containerPort: 80
          protocol: UDP
        - containerPort: 90
"#
    );
}

#[test]
fn list_merge_directive_and_element_merge() {
    let got = sm(
        r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
spec:
  template:
    spec:
      containers:
      - name: a
        image: x
        env:
        - name: E1
          value: "1"
        - name: E2
          value: two
        ports:
        - containerPort: 80
          protocol: TCP
        - containerPort: 80
          protocol: UDP
        - containerPort: 90
      - name: b
        image: y
        args: [a, b]
      volumes:
      - name: v1
        emptyDir: {}
      - name: v2
        configMap:
          name: cm
"#,
        r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
spec:
  template:
    spec:
      containers:
      - $patch: merge
      - name: a
        $patch: merge
        image: m
"#,
    );
    assert_eq!(
        got,
        r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
spec:
  template:
    spec:
      containers:
      - env:
        - name: E1
          value: "1"
        - name: E2
          value: two
        image: x
        name: a
        ports:
        - containerPort: 80
          protocol: TCP
        - containerPort: 80
          protocol: UDP
        - containerPort: 90
      - args:
        - a
        - b
        image: "y"
        name: b
      volumes:
      - emptyDir: {}
        name: v1
      - configMap:
          name: cm
        name: v2
"#
    );
}

#[test]
fn null_deletes_fields() {
    let got = sm(
        r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
spec:
  template:
    spec:
      containers:
      - name: a
        image: x
        env:
        - name: E1
          value: "1"
        - name: E2
          value: two
        ports:
        - containerPort: 80
          protocol: TCP
        - containerPort: 80
          protocol: UDP
        - containerPort: 90
      - name: b
        image: y
        args: [a, b]
      volumes:
      - name: v1
        emptyDir: {}
      - name: v2
        configMap:
          name: cm
  replicas: 3
  strategy:
    type: Recreate
"#,
        r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
spec:
  replicas: null
  strategy: null
  paused: ~
  template:
    spec:
      volumes: null
      containers:
      - name: a
        env: null
        image: null
"#,
    );
    assert_eq!(
        got,
        r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
spec:
  template:
    spec:
      containers:
      - name: a
        ports:
        - containerPort: 80
          protocol: TCP
        - containerPort: 80
          protocol: UDP
        - containerPort: 90
      - args:
        - a
        - b
        image: "y"
        name: b
"#
    );
}

#[test]
fn map_directives() {
    let got = sm(
        r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
spec:
  template:
    spec:
      containers:
      - name: a
        image: x
        env:
        - name: E1
          value: "1"
        - name: E2
          value: two
        ports:
        - containerPort: 80
          protocol: TCP
        - containerPort: 80
          protocol: UDP
        - containerPort: 90
      - name: b
        image: y
        args: [a, b]
      volumes:
      - name: v1
        emptyDir: {}
      - name: v2
        configMap:
          name: cm
  strategy:
    type: RollingUpdate
    rollingUpdate:
      maxSurge: 1
  selector:
    matchLabels: {a: b}
"#,
        r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
spec:
  strategy:
    $patch: replace
    type: Recreate
  selector:
    $patch: delete
  template:
    metadata:
      $patch: delete
      labels: {x: y}
"#,
    );
    assert_eq!(
        got,
        r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
spec:
  strategy:
    type: Recreate
  template:
    spec:
      containers:
      - env:
        - name: E1
          value: "1"
        - name: E2
          value: two
        image: x
        name: a
        ports:
        - containerPort: 80
          protocol: TCP
        - containerPort: 80
          protocol: UDP
        - containerPort: 90
      - args:
        - a
        - b
        image: "y"
        name: b
      volumes:
      - emptyDir: {}
        name: v1
      - configMap:
          name: cm
        name: v2
"#
    );
}

#[test]
fn scalar_styles_and_types() {
    let got = sm(
        r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
spec:
  replicas: "3"
  paused: 'true'
  foo: |
    abc
  bar: 1
  baz: "x"
  empty:
  nul: null
  tilde: ~
  minReadySeconds: 5
"#,
        r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
spec:
  replicas: 5
  paused: false
  foo: 7
  bar: "2"
  baz: 3
  minReadySeconds: null
  newnull: null
"#,
    );
    assert_eq!(
        got,
        r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
spec:
  bar: "2"
  baz: "3"
  foo: "7"
  nul: null
  paused: "false"
  replicas: "5"
  tilde: null
"#
    );
}

#[test]
fn top_level_delete() {
    let got = sm(
        r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
spec:
  template:
    spec:
      containers:
      - name: a
        image: x
        env:
        - name: E1
          value: "1"
        - name: E2
          value: two
        ports:
        - containerPort: 80
          protocol: TCP
        - containerPort: 80
          protocol: UDP
        - containerPort: 90
      - name: b
        image: y
        args: [a, b]
      volumes:
      - name: v1
        emptyDir: {}
      - name: v2
        configMap:
          name: cm
"#,
        r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
$patch: delete
"#,
    );
    assert_eq!(got, r#"<deleted>"#);
}

#[test]
fn top_level_replace_is_a_noop() {
    let got = sm(
        r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
spec:
  template:
    spec:
      containers:
      - name: a
        image: x
        env:
        - name: E1
          value: "1"
        - name: E2
          value: two
        ports:
        - containerPort: 80
          protocol: TCP
        - containerPort: 80
          protocol: UDP
        - containerPort: 90
      - name: b
        image: y
        args: [a, b]
      volumes:
      - name: v1
        emptyDir: {}
      - name: v2
        configMap:
          name: cm
  empty:
"#,
        r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
$patch: replace
spec:
  replicas: 9
"#,
    );
    assert_eq!(
        got,
        r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
spec:
  empty: null
  template:
    spec:
      containers:
      - env:
        - name: E1
          value: "1"
        - name: E2
          value: two
        image: x
        name: a
        ports:
        - containerPort: 80
          protocol: TCP
        - containerPort: 80
          protocol: UDP
        - containerPort: 90
      - args:
        - a
        - b
        image: "y"
        name: b
      volumes:
      - emptyDir: {}
        name: v1
      - configMap:
          name: cm
        name: v2
"#
    );
}

#[test]
fn unknown_directive() {
    let got = sm_err(
        r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
spec:
  template:
    spec:
      containers:
      - name: a
        image: x
        env:
        - name: E1
          value: "1"
        - name: E2
          value: two
        ports:
        - containerPort: 80
          protocol: TCP
        - containerPort: 80
          protocol: UDP
        - containerPort: 90
      - name: b
        image: y
        args: [a, b]
      volumes:
      - name: v1
        emptyDir: {}
      - name: v2
        configMap:
          name: cm
"#,
        r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
spec:
  $patch: foo
"#,
    );
    assert_eq!(got, r#"unknown patch strategy 'foo'"#);
}

#[test]
fn unknown_list_directive() {
    let got = sm_err(
        r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
spec:
  template:
    spec:
      containers:
      - name: a
        image: x
        env:
        - name: E1
          value: "1"
        - name: E2
          value: two
        ports:
        - containerPort: 80
          protocol: TCP
        - containerPort: 80
          protocol: UDP
        - containerPort: 90
      - name: b
        image: y
        args: [a, b]
      volumes:
      - name: v1
        emptyDir: {}
      - name: v2
        configMap:
          name: cm
"#,
        r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
spec:
  template:
    spec:
      containers:
      - $patch: nope
"#,
    );
    assert_eq!(got, r#"unknown patch strategy 'nope'"#);
}

#[test]
fn kind_change_map_to_scalar() {
    let got = sm_err(
        r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
spec:
  template:
    spec:
      containers:
      - name: a
        image: x
        env:
        - name: E1
          value: "1"
        - name: E2
          value: two
        ports:
        - containerPort: 80
          protocol: TCP
        - containerPort: 80
          protocol: UDP
        - containerPort: 90
      - name: b
        image: y
        args: [a, b]
      volumes:
      - name: v1
        emptyDir: {}
      - name: v2
        configMap:
          name: cm
"#,
        r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
spec:
  template: 5
"#,
    );
    assert_eq!(
        got,
        r#"wrong node kind: expected MappingNode but got ScalarNode: node contents:
5"#
    );
}

#[test]
fn kind_change_scalar_to_map() {
    let got = sm_err(
        r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
spec:
  template:
    spec:
      containers:
      - name: a
        image: x
        env:
        - name: E1
          value: "1"
        - name: E2
          value: two
        ports:
        - containerPort: 80
          protocol: TCP
        - containerPort: 80
          protocol: UDP
        - containerPort: 90
      - name: b
        image: y
        args: [a, b]
      volumes:
      - name: v1
        emptyDir: {}
      - name: v2
        configMap:
          name: cm
"#,
        r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
spec:
  template:
    spec:
      containers:
      - name: a
        image:
          a: b
"#,
    );
    assert_eq!(
        got,
        r#"wrong node kind: expected ScalarNode but got MappingNode: node contents:
a: b"#
    );
}

#[test]
fn kind_change_map_to_list() {
    let got = sm_err(
        r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
spec:
  template:
    spec:
      containers:
      - name: a
        image: x
        env:
        - name: E1
          value: "1"
        - name: E2
          value: two
        ports:
        - containerPort: 80
          protocol: TCP
        - containerPort: 80
          protocol: UDP
        - containerPort: 90
      - name: b
        image: y
        args: [a, b]
      volumes:
      - name: v1
        emptyDir: {}
      - name: v2
        configMap:
          name: cm
"#,
        r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
spec:
- a
"#,
    );
    assert_eq!(
        got,
        r#"wrong node kind: expected MappingNode but got SequenceNode: node contents:
- a"#
    );
}

#[test]
fn directives_not_interpreted() {
    let got = sm(
        r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
  finalizers: [a, b]
spec:
  strategy:
    type: RollingUpdate
    rollingUpdate: {maxSurge: 1}
  template:
    spec:
      containers:
      - name: a
        image: x
      - name: c
        image: z
"#,
        r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
  $deleteFromPrimitiveList/finalizers: [b]
spec:
  strategy:
    $retainKeys: [type]
    type: Recreate
  template:
    spec:
      $setElementOrder/containers:
      - name: c
      - name: a
      containers:
      - name: a
        args: [z]
"#,
    );
    assert_eq!(
        got,
        r#"apiVersion: apps/v1
kind: Deployment
metadata:
  $deleteFromPrimitiveList/finalizers:
  - b
  finalizers:
  - a
  - b
  name: d
spec:
  strategy:
    $retainKeys:
    - type
    rollingUpdate:
      maxSurge: 1
    type: Recreate
  template:
    spec:
      $setElementOrder/containers:
      - name: c
      - name: a
      containers:
      - args:
        - z
        image: x
        name: a
      - image: z
        name: c
"#
    );
}

#[test]
fn finalizers_set_merge() {
    let got = sm(
        r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
  finalizers: [a, b, a, c]
"#,
        r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
  finalizers: [d, b, "e"]
"#,
    );
    assert_eq!(
        got,
        r#"apiVersion: apps/v1
kind: Deployment
metadata:
  finalizers:
  - d
  - b
  - e
  - a
  - c
  name: d
"#
    );
}

#[test]
fn finalizers_replace_directive() {
    let got = sm(
        r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
  finalizers: [a, b]
"#,
        r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
  finalizers:
  - $patch: replace
  - c
"#,
    );
    assert_eq!(
        got,
        r#"apiVersion: apps/v1
kind: Deployment
metadata:
  finalizers:
  - c
  name: d
"#
    );
}

#[test]
fn finalizers_untouched_are_deduplicated() {
    let got = sm(
        r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
  finalizers: [a, b, a]
  labels: {x: y}
"#,
        r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
  labels: {z: w}
"#,
    );
    assert_eq!(
        got,
        r#"apiVersion: apps/v1
kind: Deployment
metadata:
  finalizers:
  - a
  - b
  labels:
    x: "y"
    z: w
  name: d
"#
    );
}

#[test]
fn ports_partial_keys() {
    let got = sm(
        r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
spec:
  template:
    spec:
      containers:
      - name: a
        ports:
        - containerPort: 80
      - name: b
        image: b1
      - name: b
        image: b2
        env: [{name: x}]
      - name: c
        ports:
        - containerPort: 80
          protocol: TCP
        - containerPort: 81
"#,
        r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
spec:
  template:
    spec:
      containers:
      - name: a
        ports:
        - containerPort: 80
          protocol: UDP
      - name: c
        ports:
        - containerPort: 80
          name: http
        - containerPort: "81"
          protocol: TCP
"#,
    );
    assert_eq!(
        got,
        r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
spec:
  template:
    spec:
      containers:
      - name: a
        ports:
        - containerPort: 80
      - name: c
        ports:
        - containerPort: 80
          protocol: TCP
        - containerPort: 81
      - env:
        - name: x
        image: b2
        name: b
"#
    );
}

#[test]
fn dest_duplicates_null_and_empty_elements() {
    let got = sm(
        r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
spec:
  template:
    spec:
      containers:
      - name: a
        image: a1
      - {}
      - name: a
        image: a2
      - name: b
        env:
        - name: e
          value: "1"
        - name: e
          value: "2"
"#,
        r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
spec:
  template:
    spec:
      containers:
      - name: b
        image: bb
"#,
    );
    assert_eq!(
        got,
        r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
spec:
  template:
    spec:
      containers:
      - env:
        - name: e
          value: "2"
        image: bb
        name: b
      - image: a1
        name: a
"#
    );
}

#[test]
fn new_list_with_nested_directives() {
    let got = sm(
        r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
spec:
  template:
    spec:
      volumes:
      - name: v
        emptyDir: {}
"#,
        r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
spec:
  template:
    spec:
      containers:
      - name: a
        image: x
        env:
        - name: A
          value: "1"
        - name: B
          $patch: delete
      - name: b
        image: y
        $patch: delete
"#,
    );
    assert_eq!(
        got,
        r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
spec:
  template:
    spec:
      containers:
      - env:
        - name: A
          value: "1"
        image: x
        name: a
      volumes:
      - emptyDir: {}
        name: v
"#
    );
}

#[test]
fn other_merge_lists() {
    let got = sm(
        r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
spec:
  template:
    spec:
      tolerations:
      - key: a
        operator: Exists
      imagePullSecrets:
      - name: s1
      hostAliases:
      - ip: 1.1.1.1
        hostnames: [a]
      topologySpreadConstraints:
      - topologyKey: zone
        whenUnsatisfiable: DoNotSchedule
        maxSkew: 1
      - topologyKey: host
        whenUnsatisfiable: DoNotSchedule
        maxSkew: 1
"#,
        r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
spec:
  template:
    spec:
      tolerations:
      - key: b
        operator: Exists
      imagePullSecrets:
      - name: s2
      hostAliases:
      - ip: 1.1.1.1
        hostnames: [b]
      - ip: 2.2.2.2
        hostnames: [c]
      topologySpreadConstraints:
      - topologyKey: zone
        whenUnsatisfiable: ScheduleAnyway
        maxSkew: 2
      - topologyKey: host
        whenUnsatisfiable: DoNotSchedule
        maxSkew: 3
"#,
    );
    assert_eq!(
        got,
        r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
spec:
  template:
    spec:
      hostAliases:
      - hostnames:
        - b
        ip: 1.1.1.1
      - hostnames:
        - c
        ip: 2.2.2.2
      imagePullSecrets:
      - name: s2
      - name: s1
      tolerations:
      - key: b
        operator: Exists
      topologySpreadConstraints:
      - maxSkew: 2
        topologyKey: zone
        whenUnsatisfiable: ScheduleAnyway
      - maxSkew: 1
        topologyKey: zone
        whenUnsatisfiable: DoNotSchedule
      - maxSkew: 3
        topologyKey: host
        whenUnsatisfiable: DoNotSchedule
"#
    );
}

#[test]
fn service_ports() {
    let got = sm(
        r#"apiVersion: v1
kind: Service
metadata:
  name: s
  ownerReferences:
  - uid: u1
    name: o1
    kind: K
    apiVersion: v1
spec:
  ports:
  - port: 80
    targetPort: 8080
  - port: 443
    protocol: TCP
    name: https
"#,
        r#"apiVersion: v1
kind: Service
metadata:
  name: s
  ownerReferences:
  - uid: u2
    name: o2
    kind: K
    apiVersion: v1
spec:
  ports:
  - port: 443
    protocol: TCP
    targetPort: 8443
  - port: 53
    protocol: UDP
"#,
    );
    assert_eq!(
        got,
        r#"apiVersion: v1
kind: Service
metadata:
  name: s
  ownerReferences:
  - apiVersion: v1
    kind: K
    name: o2
    uid: u2
  - apiVersion: v1
    kind: K
    name: o1
    uid: u1
spec:
  ports:
  - port: 53
    protocol: UDP
  - port: 80
    targetPort: 8080
  - name: https
    port: 443
    protocol: TCP
    targetPort: 8443
"#
    );
}

#[test]
fn crd_lists_replaced_maps_merged() {
    let got = sm(
        r#"apiVersion: example.com/v1
kind: Widget
metadata:
  name: w
spec:
  items:
  - name: a
    value: 1
  - name: b
    value: 2
  tags: [x, y]
  nested:
    keep: me
    list: [{name: q}]
    deep: {a: 1, b: 2}
"#,
        r#"apiVersion: example.com/v1
kind: Widget
metadata:
  name: w
spec:
  items:
  - name: b
    value: 3
  tags:
  - $patch: replace
  - z
  nested:
    list: [{name: r}]
    deep:
      a: null
      c: 3
    new: {x: 1}
"#,
    );
    assert_eq!(
        got,
        r#"apiVersion: example.com/v1
kind: Widget
metadata:
  name: w
spec:
  items:
  - name: b
    value: 3
  nested:
    deep:
      b: 2
      c: 3
    keep: me
    list:
    - name: r
    new:
      x: 1
  tags:
  - $patch: replace
  - z
"#
    );
}

#[test]
fn crd_map_directives() {
    let got = sm(
        r#"apiVersion: example.com/v1
kind: Widget
metadata:
  name: w
spec:
  items:
  - name: a
    value: 1
  - name: b
    value: 2
  tags: [x, y]
  nested:
    keep: me
    list: [{name: q}]
    deep: {a: 1, b: 2}
"#,
        r#"apiVersion: example.com/v1
kind: Widget
metadata:
  name: w
spec:
  nested:
    $patch: replace
    only: this
  extra:
    $patch: delete
    a: b
"#,
    );
    assert_eq!(
        got,
        r#"apiVersion: example.com/v1
kind: Widget
metadata:
  name: w
spec:
  items:
  - name: a
    value: 1
  - name: b
    value: 2
  nested:
    only: this
  tags:
  - x
  - "y"
"#
    );
}

#[test]
fn crd_embedded_typed_object() {
    let got = sm(
        r#"apiVersion: example.com/v1
kind: Wrapper
metadata:
  name: w
spec:
  template:
    apiVersion: apps/v1
    kind: Deployment
    spec:
      template:
        spec:
          containers:
          - name: a
            image: x
          - name: b
            image: y
"#,
        r#"apiVersion: example.com/v1
kind: Wrapper
metadata:
  name: w
spec:
  template:
    spec:
      template:
        spec:
          containers:
          - name: b
            image: new
"#,
    );
    assert_eq!(
        got,
        r#"apiVersion: example.com/v1
kind: Wrapper
metadata:
  name: w
spec:
  template:
    apiVersion: apps/v1
    kind: Deployment
    spec:
      template:
        spec:
          containers:
          - image: new
            name: b
          - image: x
            name: a
"#
    );
}

#[test]
fn labels_annotations() {
    let got = sm(
        r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
  labels:
    a: "1"
    b: two
  annotations:
    x: y
    z: w
"#,
        r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
  labels:
    a: 2
    c: "true"
  annotations:
    x: null
"#,
    );
    assert_eq!(
        got,
        r#"apiVersion: apps/v1
kind: Deployment
metadata:
  annotations:
    z: w
  labels:
    a: "2"
    b: two
    c: "true"
  name: d
"#
    );
}

#[test]
fn null_target_values() {
    let got = sm(
        r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
spec:
  template: null
  selector: ~
  strategy:
  replicas: null
"#,
        r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
spec:
  template:
    spec:
      containers:
      - name: a
  selector:
    matchLabels: {a: b}
  strategy: {type: Recreate}
  replicas: 2
"#,
    );
    assert_eq!(
        got,
        r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
spec:
  replicas: 2
  selector:
    matchLabels:
      a: b
  strategy:
    type: Recreate
  template:
    spec:
      containers:
      - name: a
"#
    );
}

#[test]
fn quoted_and_block_styles_propagate() {
    let got = sm(
        r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
spec:
  template:
    metadata:
      annotations:
        a: 'single'
        b: |-
          block
        c: plain
        d: "7"
"#,
        r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
spec:
  replicas: 1
  template:
    metadata:
      annotations:
        a: 1
        b: true
        c: 2
        d: null
"#,
    );
    assert_eq!(
        got,
        r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
spec:
  replicas: 1
  template:
    metadata:
      annotations:
        a: "1"
        b: "true"
        c: 2
"#
    );
}

#[test]
fn tagged_values() {
    let got = sm(
        r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
spec:
  replicas: !!str 3
  paused: !!bool true
"#,
        r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
spec:
  replicas: 4
  paused: "false"
"#,
    );
    assert_eq!(
        got,
        r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
spec:
  paused: "false"
  replicas: 4
"#
    );
}

#[test]
fn delete_missing_map() {
    let got = sm(
        r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
spec:
  replicas: 1
"#,
        r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
spec:
  strategy:
    $patch: delete
  template:
    $patch: replace
    spec:
      containers:
      - name: a
        image: b
"#,
    );
    assert_eq!(
        got,
        r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
spec:
  replicas: 1
  template:
    spec:
      containers:
      - image: b
        name: a
"#
    );
}

#[test]
fn env_valuefrom_and_order() {
    let got = sm(
        r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
spec:
  template:
    spec:
      containers:
      - name: a
        env:
        - name: A
          value: "1"
        - name: B
          valueFrom:
            secretKeyRef: {name: s, key: k}
        - name: C
          value: "3"
        volumeMounts:
        - name: v
          mountPath: /a
        - name: w
          mountPath: /b
"#,
        r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
spec:
  template:
    spec:
      containers:
      - name: a
        env:
        - name: C
          value: "33"
        - name: B
          value: "2"
        - name: D
          value: "4"
        volumeMounts:
        - name: w2
          mountPath: /b
        - name: x
          mountPath: /c
"#,
    );
    assert_eq!(
        got,
        r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
spec:
  template:
    spec:
      containers:
      - env:
        - name: C
          value: "33"
        - name: B
          value: "2"
          valueFrom:
            secretKeyRef:
              key: k
              name: s
        - name: D
          value: "4"
        - name: A
          value: "1"
        name: a
        volumeMounts:
        - mountPath: /b
          name: w2
        - mountPath: /c
          name: x
        - mountPath: /a
          name: v
"#
    );
}

#[test]
fn unknown_field_lists_replaced() {
    let got = sm(
        r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
spec:
  template:
    spec:
      containers:
      - name: a
        image: x
        env:
        - name: E1
          value: "1"
        - name: E2
          value: two
        ports:
        - containerPort: 80
          protocol: TCP
        - containerPort: 80
          protocol: UDP
        - containerPort: 90
      - name: b
        image: y
        args: [a, b]
      volumes:
      - name: v1
        emptyDir: {}
      - name: v2
        configMap:
          name: cm
"#,
        r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
spec:
  template:
    spec:
      customList:
      - name: a
      containers:
      - name: a
        unknownList: [{name: x}]
"#,
    );
    assert_eq!(
        got,
        r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
spec:
  template:
    spec:
      containers:
      - env:
        - name: E1
          value: "1"
        - name: E2
          value: two
        image: x
        name: a
        ports:
        - containerPort: 80
          protocol: TCP
        - containerPort: 80
          protocol: UDP
        - containerPort: 90
        unknownList:
        - name: x
      - args:
        - a
        - b
        image: "y"
        name: b
      customList:
      - name: a
      volumes:
      - emptyDir: {}
        name: v1
      - configMap:
          name: cm
        name: v2
"#
    );
}

#[test]
fn scalar_element_in_keyed_list() {
    let got = sm(
        r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
spec:
  template:
    spec:
      containers:
      - name: a
        image: x
        env:
        - name: E1
          value: "1"
        - name: E2
          value: two
        ports:
        - containerPort: 80
          protocol: TCP
        - containerPort: 80
          protocol: UDP
        - containerPort: 90
      - name: b
        image: y
        args: [a, b]
      volumes:
      - name: v1
        emptyDir: {}
      - name: v2
        configMap:
          name: cm
"#,
        r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
spec:
  template:
    spec:
      containers:
      - foo
"#,
    );
    assert_eq!(
        got,
        r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
spec:
  template:
    spec:
      containers: []
      volumes:
      - emptyDir: {}
        name: v1
      - configMap:
          name: cm
        name: v2
"#
    );
}

#[test]
fn dest_element_without_key() {
    let got = sm(
        r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
spec:
  template:
    spec:
      containers:
      - name: a
        image: a
      - image: nokey
      - name: b
        image: b
"#,
        r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
spec:
  template:
    spec:
      containers:
      - name: b
        image: b2
"#,
    );
    assert_eq!(
        got,
        r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
spec:
  template:
    spec:
      containers:
      - image: nokey
"#
    );
}

#[test]
fn element_replace_directive() {
    let got = sm(
        r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
spec:
  template:
    spec:
      containers:
      - name: a
        image: x
        env:
        - name: E1
          value: "1"
        - name: E2
          value: two
        ports:
        - containerPort: 80
          protocol: TCP
        - containerPort: 80
          protocol: UDP
        - containerPort: 90
      - name: b
        image: y
        args: [a, b]
      volumes:
      - name: v1
        emptyDir: {}
      - name: v2
        configMap:
          name: cm
"#,
        r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
spec:
  template:
    spec:
      volumes:
      - name: v1
        $patch: replace
        configMap:
          name: other
      containers:
      - name: a
        $patch: replace
        image: only
"#,
    );
    assert_eq!(
        got,
        r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
spec:
  template:
    spec:
      containers:
      - env:
        - name: E1
          value: "1"
        - name: E2
          value: two
        image: x
        name: a
        ports:
        - containerPort: 80
          protocol: TCP
        - containerPort: 80
          protocol: UDP
        - containerPort: 90
      - args:
        - a
        - b
        image: "y"
        name: b
      volumes:
      - emptyDir: {}
        name: v1
      - configMap:
          name: cm
        name: v2
"#
    );
}

#[test]
fn unknown_version_has_no_schema() {
    let got = sm(
        r#"apiVersion: extensions/v1beta1
kind: Deployment
metadata:
  name: d
spec:
  template:
    spec:
      containers:
      - name: a
        image: x
      - name: b
        image: y
"#,
        r#"apiVersion: extensions/v1beta1
kind: Deployment
metadata:
  name: d
spec:
  template:
    spec:
      containers:
      - name: b
        image: new
"#,
    );
    assert_eq!(
        got,
        r#"apiVersion: extensions/v1beta1
kind: Deployment
metadata:
  name: d
spec:
  template:
    spec:
      containers:
      - image: new
        name: b
"#
    );
}

#[test]
fn nulls_inside_new_elements_and_maps() {
    let got = sm(
        r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
spec:
  template:
    spec:
      containers:
      - name: a
        image: x
        env:
        - name: E1
          value: "1"
        - name: E2
          value: two
        ports:
        - containerPort: 80
          protocol: TCP
        - containerPort: 80
          protocol: UDP
        - containerPort: 90
      - name: b
        image: y
        args: [a, b]
      volumes:
      - name: v1
        emptyDir: {}
      - name: v2
        configMap:
          name: cm
"#,
        r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
spec:
  template:
    metadata:
      labels:
        a: null
        b: c
      annotations:
        $patch: delete
    spec:
      containers:
      - name: new
        image: n
        resources: null
        env:
        - name: X
          value: null
      securityContext:
        runAsUser: null
        fsGroup: 1
"#,
    );
    assert_eq!(
        got,
        r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
spec:
  template:
    metadata:
      labels:
        b: c
    spec:
      containers:
      - env:
        - name: X
        image: "n"
        name: new
      - env:
        - name: E1
          value: "1"
        - name: E2
          value: two
        image: x
        name: a
        ports:
        - containerPort: 80
          protocol: TCP
        - containerPort: 80
          protocol: UDP
        - containerPort: 90
      - args:
        - a
        - b
        image: "y"
        name: b
      securityContext:
        fsGroup: 1
      volumes:
      - emptyDir: {}
        name: v1
      - configMap:
          name: cm
        name: v2
"#
    );
}

#[test]
fn delete_element_without_key() {
    let got = sm(
        r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
spec:
  template:
    spec:
      containers:
      - name: a
        image: x
        env:
        - name: E1
          value: "1"
        - name: E2
          value: two
        ports:
        - containerPort: 80
          protocol: TCP
        - containerPort: 80
          protocol: UDP
        - containerPort: 90
      - name: b
        image: y
        args: [a, b]
      volumes:
      - name: v1
        emptyDir: {}
      - name: v2
        configMap:
          name: cm
"#,
        r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
spec:
  template:
    spec:
      containers:
      - $patch: delete
        image: x
"#,
    );
    assert_eq!(
        got,
        r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
spec:
  template:
    spec:
      containers: []
      volumes:
      - emptyDir: {}
        name: v1
      - configMap:
          name: cm
        name: v2
"#
    );
}

#[test]
fn ports_without_protocol_both_sides() {
    let got = sm(
        r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
spec:
  template:
    spec:
      containers:
      - name: a
        ports:
        - containerPort: 80
          name: a
        - containerPort: 81
          name: b
"#,
        r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
spec:
  template:
    spec:
      containers:
      - name: a
        ports:
        - containerPort: 81
          name: bb
        - containerPort: 82
          name: c
"#,
    );
    assert_eq!(
        got,
        r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
spec:
  template:
    spec:
      containers:
      - name: a
        ports:
        - containerPort: 81
          name: bb
        - containerPort: 82
          name: c
        - containerPort: 80
          name: a
"#
    );
}

#[test]
fn ports_protocol_on_all() {
    let got = sm(
        r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
spec:
  template:
    spec:
      containers:
      - name: a
        ports:
        - containerPort: 80
          protocol: TCP
        - containerPort: 81
          protocol: TCP
"#,
        r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
spec:
  template:
    spec:
      containers:
      - name: a
        ports:
        - containerPort: 81
          protocol: UDP
        - containerPort: 80
          protocol: TCP
          name: web
"#,
    );
    assert_eq!(
        got,
        r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
spec:
  template:
    spec:
      containers:
      - name: a
        ports:
        - containerPort: 81
          protocol: UDP
        - containerPort: 80
          name: web
          protocol: TCP
        - containerPort: 81
          protocol: TCP
"#
    );
}

#[test]
fn merge_key_with_map_value() {
    let got = sm(
        r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
spec:
  template:
    spec:
      containers:
      - name: a
        image: x
        env:
        - name: E1
          value: "1"
        - name: E2
          value: two
        ports:
        - containerPort: 80
          protocol: TCP
        - containerPort: 80
          protocol: UDP
        - containerPort: 90
      - name: b
        image: y
        args: [a, b]
      volumes:
      - name: v1
        emptyDir: {}
      - name: v2
        configMap:
          name: cm
"#,
        r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
spec:
  template:
    spec:
      containers:
      - name: {x: y}
        image: weird
"#,
    );
    assert_eq!(
        got,
        r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
spec:
  template:
    spec:
      containers:
      - image: weird
        name:
          x: "y"
      - env:
        - name: E1
          value: "1"
        - name: E2
          value: two
        image: x
        name: a
        ports:
        - containerPort: 80
          protocol: TCP
        - containerPort: 80
          protocol: UDP
        - containerPort: 90
      - args:
        - a
        - b
        image: "y"
        name: b
      volumes:
      - emptyDir: {}
        name: v1
      - configMap:
          name: cm
        name: v2
"#
    );
}

#[test]
fn list_null_elements_in_patch() {
    let got = sm(
        r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
spec:
  template:
    spec:
      containers:
      - name: a
        image: x
        env:
        - name: E1
          value: "1"
        - name: E2
          value: two
        ports:
        - containerPort: 80
          protocol: TCP
        - containerPort: 80
          protocol: UDP
        - containerPort: 90
      - name: b
        image: y
        args: [a, b]
      volumes:
      - name: v1
        emptyDir: {}
      - name: v2
        configMap:
          name: cm
"#,
        r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
spec:
  template:
    spec:
      containers:
      - null
      - name: a
        image: z
      finalizers: []
"#,
    );
    assert_eq!(
        got,
        r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
spec:
  template:
    spec:
      containers:
      - image: z
        name: a
      finalizers: []
      volumes:
      - emptyDir: {}
        name: v1
      - configMap:
          name: cm
        name: v2
"#
    );
}

#[test]
fn empty_list_and_map_patch() {
    let got = sm(
        r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
spec:
  template:
    spec:
      containers:
      - name: a
        image: x
        env:
        - name: E1
          value: "1"
        - name: E2
          value: two
        ports:
        - containerPort: 80
          protocol: TCP
        - containerPort: 80
          protocol: UDP
        - containerPort: 90
      - name: b
        image: y
        args: [a, b]
      volumes:
      - name: v1
        emptyDir: {}
      - name: v2
        configMap:
          name: cm
"#,
        r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
spec:
  template:
    spec:
      containers: []
      volumes: []
      nodeSelector: {}
    metadata: {}
"#,
    );
    assert_eq!(
        got,
        r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
spec:
  template:
    metadata: {}
    spec:
      containers:
      - env:
        - name: E1
          value: "1"
        - name: E2
          value: two
        image: x
        name: a
        ports:
        - containerPort: 80
          protocol: TCP
        - containerPort: 80
          protocol: UDP
        - containerPort: 90
      - args:
        - a
        - b
        image: "y"
        name: b
      nodeSelector: {}
      volumes:
      - emptyDir: {}
        name: v1
      - configMap:
          name: cm
        name: v2
"#
    );
}

#[test]
fn persistent_null_kept_in_untouched_subtree() {
    let got = sm(
        r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
spec:
  template:
    metadata:
      creationTimestamp: null
      labels:
    spec:
      containers:
      - name: a
        resources: {}
        args: []
        command:
"#,
        r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
spec:
  replicas: 2
"#,
    );
    assert_eq!(
        got,
        r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
spec:
  replicas: 2
  template:
    metadata:
      creationTimestamp: null
    spec:
      containers:
      - args: []
        name: a
        resources: {}
"#
    );
}

#[test]
fn configmap_data() {
    let got = sm(
        r#"apiVersion: v1
kind: ConfigMap
metadata:
  name: c
data:
  a: "1"
  b: x
  c: |
    multi
    line
binaryData:
  k: aGVsbG8=
"#,
        r#"apiVersion: v1
kind: ConfigMap
metadata:
  name: c
data:
  a: 2
  c: single
  d: "true"
  e: on
"#,
    );
    assert_eq!(
        got,
        r#"apiVersion: v1
binaryData:
  k: aGVsbG8=
data:
  a: "2"
  b: x
  c: single
  d: "true"
  e: "on"
kind: ConfigMap
metadata:
  name: c
"#
    );
}

#[test]
fn primitive_list_tags_are_dropped() {
    let got = sm(
        r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
  finalizers: [a, "2"]
"#,
        r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
  finalizers: ["1", !!str 2, 3, !!str 4, 'x']
"#,
    );
    assert_eq!(
        got,
        r#"apiVersion: apps/v1
kind: Deployment
metadata:
  finalizers:
  - "1"
  - "2"
  - 3
  - 4
  - x
  - a
  name: d
"#
    );
}

#[test]
fn block_and_tagged_styles() {
    let got = sm(
        r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
spec:
  x:
    lit: |
      text
    fold: >
      folded
    sq: 'q'
    tag: !!str 5
    tagq: !!str "5"
  replicas: !!int "3"
"#,
        r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
spec:
  x:
    lit: 5
    fold: "multi\nline"
    sq: true
    tag: 6
    tagq: 7
    new: 8
    newq: "9"
  replicas: "4"
"#,
    );
    assert_eq!(
        got,
        r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
spec:
  replicas: "4"
  x:
    fold: |-
      multi
      line
    lit: "5"
    new: 8
    newq: "9"
    sq: "true"
    tag: 6
    tagq: 7
"#
    );
}
