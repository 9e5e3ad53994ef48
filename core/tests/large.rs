//! Long lists take the parallel paths of a build (subtrees collected on the spare cores;
//! root-level steps over the whole list in chunks: labels, annotations, namespace, hash
//! suffixes, name references). A build with `enable_exec` set runs everything in order on
//! one thread, which makes it the reference here: same bytes, same warnings, same errors.

use rustomize::{build, render, MemFs, Options};

/// A root over `apps` overlays of 8 resources each (prefix, generators, references to the
/// generated ConfigMaps, an RBAC binding), with namespace, labels and annotations at the root.
/// `bad_app` gets a RoleBinding whose ServiceAccount subject has a null namespace (a
/// name-reference error).
fn tree(apps: usize, bad_app: Option<usize>) -> MemFs {
    let mut fs = MemFs::new();
    let mut root = String::from(
        "namespace: prod\ncommonLabels:\n  owner: platform\ncommonAnnotations:\n  note: big\nresources:\n",
    );
    for a in 0..apps {
        root.push_str(&format!("- apps/a{a}\n"));
        fs.add(
            &format!("/apps/a{a}/kustomization.yaml"),
            format!(
                "namePrefix: a{a}-\nresources:\n- res.yaml\nconfigMapGenerator:\n- name: conf\n  literals:\n  - K=v{a}\nsecretGenerator:\n- name: creds\n  literals:\n  - P=s{a}\n"
            ),
        );
        let subject_ns = if Some(a) == bad_app { "~" } else { "prod" };
        fs.add(
            &format!("/apps/a{a}/res.yaml"),
            format!(
                "apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      serviceAccountName: runner
      containers:
      - name: web
        image: nginx:1.{a}
        envFrom:
        - configMapRef:
            name: conf
        - secretRef:
            name: creds
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app: web
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: runner
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: reader
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: read
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: Role
  name: reader
subjects:
- kind: ServiceAccount
  name: runner
  namespace: {subject_ns}
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: web
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: web
"
            ),
        );
    }
    fs.add("/kustomization.yaml", root);
    fs
}

fn in_order() -> Options {
    let mut o = Options::default();
    o.enable_exec = true;
    o
}

#[test]
fn a_long_list_builds_as_in_order() {
    let fs = tree(120, None);
    let reference = build(&fs, "/", &in_order()).unwrap();
    let out = build(&fs, "/", &Options::default()).unwrap();
    assert!(out == reference, "the parallel build differs from the build in order");
    assert_eq!(render(&fs, "/", &Options::default()).unwrap().warnings, render(&fs, "/", &in_order()).unwrap().warnings);
    // 120 apps of 8 resources, renamed and referenced.
    assert_eq!(out.matches("\n---\n").count() + 1, 960);
    assert!(out.contains("name: a7-conf-"), "generated names are referenced");
    assert!(out.contains("namespace: prod"));
    for _ in 0..5 {
        assert!(build(&fs, "/", &Options::default()).unwrap() == reference);
    }
}

#[test]
fn a_long_list_fails_as_in_order() {
    let fs = tree(120, Some(97));
    let reference = build(&fs, "/", &in_order()).unwrap_err();
    assert!(reference.to_string().contains("namespace is blank"), "{}", reference);
    for _ in 0..3 {
        let e = build(&fs, "/", &Options::default()).unwrap_err();
        assert_eq!(e.to_string(), reference.to_string());
        assert_eq!(e.kind(), reference.kind());
    }
}
