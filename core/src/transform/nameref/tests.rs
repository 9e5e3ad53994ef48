//! Tests of the name-reference fix-up against kubectl kustomize (v5.5.0) output: the expected
//! strings below are what the reference printed for the same inputs, built through the same
//! steps (prefix, suffix, namespace, then the fix-up, then kustomize's legacy sort).

use super::*;
use crate::fieldspec::defaults;
use crate::transform::prefix_suffix::PrefixSuffixTransformer;
use crate::transform::sort::legacy_sort;

fn load(src: &str) -> Vec<Resource> {
    crate::yaml::load_documents(src).unwrap().into_iter().map(Resource::new).collect()
}
fn list_of(parts: Vec<Vec<Resource>>) -> ResourceList {
    let mut l = ResourceList::new();
    for r in parts.into_iter().flatten() {
        l.append(r).unwrap();
    }
    l
}
/// A kustomization layer's namePrefix / nameSuffix.
fn affix(rs: Vec<Resource>, prefix: &str, suffix: &str) -> Vec<Resource> {
    let mut l = list_of(vec![rs]);
    for t in PrefixSuffixTransformer::from_kustomization(prefix, suffix, defaults()) {
        t.apply(&mut l, defaults()).unwrap();
    }
    l.into_vec()
}
/// What kustomize's NamespaceTransformer does to these inputs (no subject is named `default`):
/// remember the id, then move namespaced resources.
fn namespace(rs: Vec<Resource>, ns: &str) -> Vec<Resource> {
    rs.into_iter()
        .map(|mut r| {
            r.store_previous_id();
            if !r.gvk().is_cluster_scoped() {
                r.set_namespace(ns);
            }
            r
        })
        .collect()
}
fn build(l: &mut ResourceList) -> Result<String> {
    fix_back_references(l, defaults())?;
    legacy_sort(l, None)?;
    crate::yaml::to_string_stream(l.iter().map(|r| &r.node))
}

const A_BASE: &str = r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      serviceAccountName: sa
      imagePullSecrets:
      - name: sec
      containers:
      - name: c
        image: nginx
        envFrom:
        - configMapRef:
            name: cfg
        - secretRef:
            name: missing-secret
        env:
        - name: X
          valueFrom:
            configMapKeyRef:
              name: cfg
              key: x
        - name: Y
          valueFrom:
            configMapKeyRef:
              name: external
              key: y
      volumes:
      - name: v1
        configMap:
          name: cfg
      - name: v2
        secret:
          secretName: sec
      - name: v3
        persistentVolumeClaim:
          claimName: data
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: cfg
data:
  x: "1"
---
apiVersion: v1
kind: Secret
metadata:
  name: sec
type: Opaque
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  ports:
  - port: 80
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: sa
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: r
rules:
- apiGroups: [""]
  resources: ["configmaps"]
  resourceNames: ["cfg", "other"]
  verbs: ["get"]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: rb
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: Role
  name: r
subjects:
- kind: ServiceAccount
  name: sa
- kind: User
  name: alice
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: cr
rules:
- apiGroups: [""]
  resources: ["secrets"]
  resourceNames: ["sec"]
  verbs: ["get"]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: crb
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: cr
subjects:
- kind: ServiceAccount
  name: sa
  namespace: default
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: data
spec:
  accessModes: [ReadWriteOnce]
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: ing
spec:
  tls:
  - secretName: sec
  rules:
  - http:
      paths:
      - path: /
        pathType: Prefix
        backend:
          service:
            name: web
            port:
              number: 80
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: hpa
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: web
"#;

/// base: namePrefix b-, nameSuffix -s over Deployment, ConfigMap, Secret, Service,
/// ServiceAccount, Role(Binding), ClusterRole(Binding), PVC, Ingress, HPA, with references to
/// things not in the build (`external`, `missing-secret`, `other`, user `alice`).
#[test]
fn base_with_prefix_and_suffix() {
    let mut l = list_of(vec![affix(load(A_BASE), "b-", "-s")]);
    assert_eq!(build(&mut l).unwrap(), r#"apiVersion: v1
kind: ServiceAccount
metadata:
  name: b-sa-s
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: b-r-s
rules:
- apiGroups:
  - ""
  resourceNames:
  - b-cfg-s
  - other
  resources:
  - configmaps
  verbs:
  - get
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: b-cr-s
rules:
- apiGroups:
  - ""
  resourceNames:
  - b-sec-s
  resources:
  - secrets
  verbs:
  - get
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: b-rb-s
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: Role
  name: b-r-s
subjects:
- kind: ServiceAccount
  name: b-sa-s
- kind: User
  name: alice
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: b-crb-s
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: b-cr-s
subjects:
- kind: ServiceAccount
  name: b-sa-s
  namespace: default
---
apiVersion: v1
data:
  x: "1"
kind: ConfigMap
metadata:
  name: b-cfg-s
---
apiVersion: v1
kind: Secret
metadata:
  name: b-sec-s
type: Opaque
---
apiVersion: v1
kind: Service
metadata:
  name: b-web-s
spec:
  ports:
  - port: 80
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: b-data-s
spec:
  accessModes:
  - ReadWriteOnce
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: b-web-s
spec:
  template:
    spec:
      containers:
      - env:
        - name: X
          valueFrom:
            configMapKeyRef:
              key: x
              name: b-cfg-s
        - name: "Y"
          valueFrom:
            configMapKeyRef:
              key: "y"
              name: external
        envFrom:
        - configMapRef:
            name: b-cfg-s
        - secretRef:
            name: missing-secret
        image: nginx
        name: c
      imagePullSecrets:
      - name: b-sec-s
      serviceAccountName: b-sa-s
      volumes:
      - configMap:
          name: b-cfg-s
        name: v1
      - name: v2
        secret:
          secretName: b-sec-s
      - name: v3
        persistentVolumeClaim:
          claimName: b-data-s
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: b-hpa-s
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: b-web-s
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: b-ing-s
spec:
  rules:
  - http:
      paths:
      - backend:
          service:
            name: b-web-s
            port:
              number: 80
        path: /
        pathType: Prefix
  tls:
  - secretName: b-sec-s
"#);
    let cfg = l.iter().find(|r| r.kind() == "ConfigMap").unwrap();
    let refs: Vec<String> = cfg.ref_by.iter().map(|i| i.to_string()).collect();
    assert!(refs.contains(&"Deployment.v1.apps/b-web-s.[noNs]".to_string()), "{:?}", refs);
    assert!(refs.contains(&"Role.v1.rbac.authorization.k8s.io/b-r-s.[noNs]".to_string()), "{:?}", refs);
}

/// overlay: namespace prod and namePrefix o- over the base.
#[test]
fn overlay_with_namespace_and_another_prefix() {
    let base = affix(load(A_BASE), "b-", "-s");
    let mut l = list_of(vec![affix(namespace(base, "prod"), "o-", "")]);
    assert_eq!(build(&mut l).unwrap(), r#"apiVersion: v1
kind: ServiceAccount
metadata:
  name: o-b-sa-s
  namespace: prod
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: o-b-r-s
  namespace: prod
rules:
- apiGroups:
  - ""
  resourceNames:
  - o-b-cfg-s
  - other
  resources:
  - configmaps
  verbs:
  - get
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: o-b-cr-s
rules:
- apiGroups:
  - ""
  resourceNames:
  - o-b-sec-s
  resources:
  - secrets
  verbs:
  - get
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: o-b-rb-s
  namespace: prod
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: Role
  name: o-b-r-s
subjects:
- kind: ServiceAccount
  name: o-b-sa-s
  namespace: prod
- kind: User
  name: alice
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: o-b-crb-s
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: o-b-cr-s
subjects:
- kind: ServiceAccount
  name: o-b-sa-s
  namespace: prod
---
apiVersion: v1
data:
  x: "1"
kind: ConfigMap
metadata:
  name: o-b-cfg-s
  namespace: prod
---
apiVersion: v1
kind: Secret
metadata:
  name: o-b-sec-s
  namespace: prod
type: Opaque
---
apiVersion: v1
kind: Service
metadata:
  name: o-b-web-s
  namespace: prod
spec:
  ports:
  - port: 80
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: o-b-data-s
  namespace: prod
spec:
  accessModes:
  - ReadWriteOnce
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: o-b-web-s
  namespace: prod
spec:
  template:
    spec:
      containers:
      - env:
        - name: X
          valueFrom:
            configMapKeyRef:
              key: x
              name: o-b-cfg-s
        - name: "Y"
          valueFrom:
            configMapKeyRef:
              key: "y"
              name: external
        envFrom:
        - configMapRef:
            name: o-b-cfg-s
        - secretRef:
            name: missing-secret
        image: nginx
        name: c
      imagePullSecrets:
      - name: o-b-sec-s
      serviceAccountName: o-b-sa-s
      volumes:
      - configMap:
          name: o-b-cfg-s
        name: v1
      - name: v2
        secret:
          secretName: o-b-sec-s
      - name: v3
        persistentVolumeClaim:
          claimName: o-b-data-s
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: o-b-hpa-s
  namespace: prod
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: o-b-web-s
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: o-b-ing-s
  namespace: prod
spec:
  rules:
  - http:
      paths:
      - backend:
          service:
            name: o-b-web-s
            port:
              number: 80
        path: /
        pathType: Prefix
  tls:
  - secretName: o-b-sec-s
"#);
}

const B_RES: &str = r#"apiVersion: v1
kind: ServiceAccount
metadata:
  name: sa
  namespace: a
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: sa
  namespace: b
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: rb
  namespace: a
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: view
subjects:
- kind: ServiceAccount
  name: sa
  namespace: b
- kind: ServiceAccount
  name: sa
  namespace: a
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: crb
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: view
subjects:
- kind: ServiceAccount
  name: sa
  namespace: a
- kind: ServiceAccount
  name: sa
  namespace: b
- kind: ServiceAccount
  name: sa
  namespace: c
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: dup
  namespace: a
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: dup
  namespace: b
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: app
  namespace: a
spec:
  template:
    spec:
      serviceAccountName: sa
      containers:
      - name: c
        image: x
        envFrom:
        - configMapRef:
            name: dup
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: app
  namespace: b
spec:
  template:
    spec:
      serviceAccountName: sa
      containers:
      - name: c
        image: x
        envFrom:
        - configMapRef:
            name: dup
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: other
  namespace: c
spec:
  template:
    spec:
      serviceAccountName: sa
      containers:
      - name: c
        image: x
        envFrom:
        - configMapRef:
            name: dup
"#;

/// Same names in different namespaces; a RoleBinding reaching a ServiceAccount in another
/// namespace; a cluster-scoped binding choosing by each subject's namespace; a Deployment in a
/// namespace without the ConfigMap it names.
#[test]
fn same_names_in_different_namespaces() {
    let mut l = list_of(vec![affix(load(B_RES), "p-", "")]);
    assert_eq!(build(&mut l).unwrap(), r#"apiVersion: v1
kind: ServiceAccount
metadata:
  name: p-sa
  namespace: a
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: p-sa
  namespace: b
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: p-rb
  namespace: a
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: view
subjects:
- kind: ServiceAccount
  name: p-sa
  namespace: b
- kind: ServiceAccount
  name: p-sa
  namespace: a
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: p-crb
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: view
subjects:
- kind: ServiceAccount
  name: p-sa
  namespace: a
- kind: ServiceAccount
  name: p-sa
  namespace: b
- kind: ServiceAccount
  name: sa
  namespace: c
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: p-dup
  namespace: a
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: p-dup
  namespace: b
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: p-app
  namespace: a
spec:
  template:
    spec:
      containers:
      - envFrom:
        - configMapRef:
            name: p-dup
        image: x
        name: c
      serviceAccountName: p-sa
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: p-app
  namespace: b
spec:
  template:
    spec:
      containers:
      - envFrom:
        - configMapRef:
            name: p-dup
        image: x
        name: c
      serviceAccountName: p-sa
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: p-other
  namespace: c
spec:
  template:
    spec:
      containers:
      - envFrom:
        - configMapRef:
            name: dup
        image: x
        name: c
      serviceAccountName: sa
"#);
}

/// A subject without namespace in a RoleBinding that also reaches another namespace: two
/// ServiceAccounts of different namespaces qualify.
#[test]
fn ambiguous_subject_is_an_error() {
    let src = B_RES.replacen("  namespace: b\n- kind: ServiceAccount\n  name: sa\n  namespace: a\n", "  namespace: b\n- kind: ServiceAccount\n  name: sa\n", 1);
    assert_ne!(src, B_RES);
    let mut l = list_of(vec![affix(load(&src), "p-", "")]);
    let e = fix_back_references(&mut l, defaults()).unwrap_err();
    assert_eq!(e.kind(), crate::ErrorKind::IdConflict);
    assert_eq!(e.message().trim_end(), r#"updating name reference in 'subjects' field of 'RoleBinding.v1.rbac.authorization.k8s.io/p-rb.a': considering field 'subjects' of object RoleBinding.v1.rbac.authorization.k8s.io/p-rb.a: found multiple possible referrals: ServiceAccount.v1.[noGrp]/p-sa.a, ServiceAccount.v1.[noGrp]/p-sa.b

**** Too many possible referral targets to referrer:
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  annotations:
    internal.config.kubernetes.io/prefixes: p-
    internal.config.kubernetes.io/previousKinds: RoleBinding
    internal.config.kubernetes.io/previousNames: rb
    internal.config.kubernetes.io/previousNamespaces: a
  name: p-rb
  namespace: a
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: view
subjects:
- kind: ServiceAccount
  name: p-sa
  namespace: b
- kind: ServiceAccount
  name: sa

--- possible referral 0:
apiVersion: v1
kind: ServiceAccount
metadata:
  annotations:
    internal.config.kubernetes.io/prefixes: p-
    internal.config.kubernetes.io/previousKinds: ServiceAccount
    internal.config.kubernetes.io/previousNames: sa
    internal.config.kubernetes.io/previousNamespaces: a
  name: p-sa
  namespace: a

--- possible referral 1:
apiVersion: v1
kind: ServiceAccount
metadata:
  annotations:
    internal.config.kubernetes.io/prefixes: p-
    internal.config.kubernetes.io/previousKinds: ServiceAccount
    internal.config.kubernetes.io/previousNames: sa
    internal.config.kubernetes.io/previousNamespaces: b
    internal.config.kubernetes.io/refBy: RoleBinding.v1.rbac.authorization.k8s.io/p-rb.a
  name: p-sa
  namespace: b"#);
}

const C_X: &str = r#"apiVersion: v1
kind: ConfigMap
metadata:
  name: cfg
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: dx
spec:
  template:
    spec:
      volumes:
      - name: v
        configMap:
          name: cfg
"#;
const C_Y: &str = r#"apiVersion: v1
kind: ConfigMap
metadata:
  name: cfg
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: dy
spec:
  template:
    spec:
      volumes:
      - name: v
        configMap:
          name: cfg
"#;
const C_TOP: &str = r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: top
spec:
  template:
    spec:
      volumes:
      - name: v
        configMap:
          name: cfg
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: cr
rules:
- resourceNames: [cfg]
"#;

/// Two bases with a ConfigMap `cfg` each (one prefixed x-, one suffixed -y) under an overlay
/// prefixed o-: the prefix/suffix lists choose.
#[test]
fn prefixes_and_suffixes_choose_among_candidates() {
    let x = affix(load(C_X), "x-", "");
    let y = affix(load(C_Y), "", "-y");
    let mut l = list_of(vec![affix([x, y, load(C_TOP)].concat(), "o-", "")]);
    assert_eq!(build(&mut l).unwrap(), r#"apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: o-cr
rules:
- resourceNames:
  - o-x-cfg
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: o-cfg-y
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: o-x-cfg
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: o-dy-y
spec:
  template:
    spec:
      volumes:
      - configMap:
          name: o-cfg-y
        name: v
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: o-top
spec:
  template:
    spec:
      volumes:
      - configMap:
          name: o-x-cfg
        name: v
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: o-x-dx
spec:
  template:
    spec:
      volumes:
      - configMap:
          name: o-x-cfg
        name: v
"#);
}

/// Both bases prefixed: the overlay's own Deployment cannot choose.
#[test]
fn two_different_candidates_are_an_error() {
    let x = affix(load(C_X), "x-", "");
    let y = affix(load(C_Y), "y-", "");
    let mut l = list_of(vec![affix([x, y, load(C_TOP)].concat(), "o-", "")]);
    let e = fix_back_references(&mut l, defaults()).unwrap_err();
    assert_eq!(e.message().trim_end(), r#"updating name reference in 'spec/template/spec/volumes/configMap/name' field of 'Deployment.v1.apps/o-top.[noNs]': considering field 'spec/template/spec/volumes/configMap/name' of object Deployment.v1.apps/o-top.[noNs]: visit traversal on path: [configMap name]: found multiple possible referrals: ConfigMap.v1.[noGrp]/o-x-cfg.[noNs], ConfigMap.v1.[noGrp]/o-y-cfg.[noNs]

**** Too many possible referral targets to referrer:
apiVersion: apps/v1
kind: Deployment
metadata:
  annotations:
    internal.config.kubernetes.io/prefixes: o-
    internal.config.kubernetes.io/previousKinds: Deployment
    internal.config.kubernetes.io/previousNames: top
    internal.config.kubernetes.io/previousNamespaces: default
  name: o-top
spec:
  template:
    spec:
      volumes:
      - configMap:
          name: cfg
        name: v

--- possible referral 0:
apiVersion: v1
kind: ConfigMap
metadata:
  annotations:
    internal.config.kubernetes.io/prefixes: x-,o-
    internal.config.kubernetes.io/previousKinds: ConfigMap,ConfigMap
    internal.config.kubernetes.io/previousNames: cfg,x-cfg
    internal.config.kubernetes.io/previousNamespaces: default,default
    internal.config.kubernetes.io/refBy: Deployment.v1.apps/o-x-dx.[noNs]
  name: o-x-cfg

--- possible referral 1:
apiVersion: v1
kind: ConfigMap
metadata:
  annotations:
    internal.config.kubernetes.io/prefixes: y-,o-
    internal.config.kubernetes.io/previousKinds: ConfigMap,ConfigMap
    internal.config.kubernetes.io/previousNames: cfg,y-cfg
    internal.config.kubernetes.io/previousNamespaces: default,default
    internal.config.kubernetes.io/refBy: Deployment.v1.apps/o-y-dy.[noNs]
  name: o-y-cfg"#);
}

/// roleRef's apiGroup and kind pick the Role or the ClusterRole of the same original name.
#[test]
fn role_ref_kind_chooses() {
    let r = affix(load(r#"apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: x
"#), "r-", "");
    let c = affix(load(r#"apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: x
"#), "c-", "");
    let mut l = list_of(vec![r, c, load(r#"apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: rb1
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: x
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: rb2
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: Role
  name: x
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: rb3
roleRef:
  kind: Role
  name: x
"#)]);
    assert_eq!(build(&mut l).unwrap(), r#"apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: r-x
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: c-x
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: rb1
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: c-x
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: rb2
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: Role
  name: r-x
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: rb3
roleRef:
  kind: Role
  name: r-x
"#);
}

/// Only resources with previous names are candidates: the overlay's own, never renamed `cfg`
/// loses to the base's renamed one (kubectl kustomize does the same); null names stay.
#[test]
fn only_renamed_resources_are_candidates() {
    let x = affix(load("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\n"), "x-", "");
    let own = load(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\n---\n\
         apiVersion: v1\nkind: Pod\nmetadata:\n  name: pod\nspec:\n  volumes:\n  - name: a\n    configMap:\n      name: cfg\n\
         \x20 - name: b\n    configMap:\n      name: null\n  - name: c\n    configMap: {}\n",
    );
    let mut l = list_of(vec![x, own]);
    let want = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\n---\n\
        apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x-cfg\n---\n\
        apiVersion: v1\nkind: Pod\nmetadata:\n  name: pod\nspec:\n  volumes:\n  - configMap:\n      name: x-cfg\n    name: a\n\
        \x20 - configMap:\n      name: null\n    name: b\n  - configMap: {}\n    name: c\n";
    assert_eq!(build(&mut l).unwrap(), want);
}

/// 10,000 resources in 2,000 namespaces, all with the same names, plus a ClusterRoleBinding
/// naming every namespace's ServiceAccount: each lookup goes through the indexes, so this is
/// linear (a scan per field would be 10^8 steps).
#[test]
fn ten_thousand_resources() {
    const N: usize = 2000;
    let template = load(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\n---\n\
         apiVersion: v1\nkind: Secret\nmetadata:\n  name: sec\n---\n\
         apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: sa\n---\n\
         apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app\nspec:\n  template:\n    spec:\n\
         \x20     serviceAccountName: sa\n      volumes:\n      - name: c\n        configMap:\n          name: cfg\n\
         \x20     - name: s\n        secret:\n          secretName: sec\n---\n\
         apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: hpa\nspec:\n\
         \x20 scaleTargetRef:\n    kind: Deployment\n    name: app\n",
    );
    let mut crb = load(
        "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata:\n  name: crb\nsubjects: []\n",
    );
    let subject = load("kind: ServiceAccount\nname: sa\n").remove(0).node;
    let mut all = Vec::with_capacity(5 * N + 1);
    let mut subjects = Vec::with_capacity(N);
    for i in 0..N {
        let ns = format!("ns{}", i);
        for t in &template {
            let mut r = t.clone();
            r.set_namespace(&ns);
            all.push(r);
        }
        let mut s = subject.clone();
        s.as_map_mut().unwrap().insert("namespace", crate::yaml::Node::string(&ns));
        subjects.push(s);
    }
    crb[0].map_mut().insert("subjects", crate::yaml::Node::Seq(subjects));
    all.append(&mut crb);
    let mut l = list_of(vec![affix(all, "p-", "")]);
    assert_eq!(l.len(), 5 * N + 1);
    fix_back_references(&mut l, defaults()).unwrap();
    let dep = l.get(5 * 7 + 3).unwrap();
    assert_eq!(dep.namespace(), "ns7");
    let spec = &["spec", "template", "spec"];
    let at = |p: &[&str]| dep.node.get_path(&[spec, p].concat()).and_then(|n| n.as_str()).map(String::from);
    assert_eq!(at(&["serviceAccountName"]).as_deref(), Some("p-sa"));
    let vols = dep.node.get_path(&[spec.as_slice(), &["volumes"]].concat()).unwrap().as_seq().unwrap();
    assert_eq!(vols[0].str_at(&["configMap", "name"]), Some("p-cfg"));
    assert_eq!(vols[1].str_at(&["secret", "secretName"]), Some("p-sec"));
    assert_eq!(l.get(5 * 7 + 4).unwrap().node.str_at(&["spec", "scaleTargetRef", "name"]), Some("p-app"));
    // Each ServiceAccount is named by its Deployment and by the binding.
    let sa = l.get(5 * 7 + 2).unwrap();
    assert_eq!(sa.ref_by.len(), 2);
    let crb = l.get(5 * N).unwrap();
    let subs = crb.node.get("subjects").unwrap().as_seq().unwrap();
    assert!(subs.iter().all(|s| s.str_at(&["name"]) == Some("p-sa")));
    assert_eq!(subs[N - 1].str_at(&["namespace"]), Some("ns1999"));
}

/// Cluster-scoped referrers reach every namespace: same-named candidates count as one, a
/// subject without namespace gets the ServiceAccount's, `namespace: ""` and other namespaces
/// find nothing.
#[test]
fn cluster_scoped_referrers() {
    let mut l = list_of(vec![affix(load(r#"apiVersion: v1
kind: ServiceAccount
metadata:
  name: sa
  namespace: a
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: dup
  namespace: a
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: dup
  namespace: b
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: cr
rules:
- resourceNames: [dup, sa]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: crb
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: cr
subjects:
- kind: ServiceAccount
  name: sa
- kind: ServiceAccount
  name: sa
  namespace: ""
- kind: ServiceAccount
  name: sa
  namespace: b
- kind: Group
  name: dup
"#), "p-", "")]);
    assert_eq!(build(&mut l).unwrap(), r#"apiVersion: v1
kind: ServiceAccount
metadata:
  name: p-sa
  namespace: a
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: p-cr
rules:
- resourceNames:
  - p-dup
  - sa
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: p-crb
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: p-cr
subjects:
- kind: ServiceAccount
  name: p-sa
  namespace: a
- kind: ServiceAccount
  name: sa
  namespace: ""
- kind: ServiceAccount
  name: sa
  namespace: b
- kind: Group
  name: dup
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: p-dup
  namespace: a
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: p-dup
  namespace: b
"#);
}

/// Buckets by namespace (long buckets) and filtered name buckets (short ones) choose the same
/// candidates: the same names in many namespaces, referred to from namespaced and
/// cluster-scoped resources, RoleBinding subjects in other namespaces, and map fields whose
/// namespace is an original or a current one; errors included.
#[test]
fn long_and_short_name_buckets_choose_alike() {
    let (mut oks, mut errs) = (0, 0);
    for v in mixed_variants() {
        let run = |min: usize| {
            crate::switch::with(&NARROW_MIN_TEST, min, || {
                let mut l = ResourceList::new();
                l.set_items(v.clone());
                let out = build(&mut l).map_err(|e| e.to_string());
                let refs: Vec<Vec<String>> = l.iter().map(|r| r.ref_by.iter().map(|id| id.to_string()).collect()).collect();
                (out, refs)
            })
        };
        let (long, short) = (run(1), run(usize::MAX));
        assert_eq!(long, short);
        if long.0.is_ok() { oks += 1 } else { errs += 1 }
    }
    assert!(oks >= 1, "no variant built ({} errors)", errs);
}

/// The same names in many namespaces, referred to from namespaced and cluster-scoped
/// resources, RoleBinding subjects in other namespaces, and map fields whose namespace is an
/// original or a current one: the whole list and lists without some kinds.
fn mixed_variants() -> Vec<Vec<Resource>> {
    let mut parts = Vec::new();
    for n in 0..24 {
        let ns = format!("ns{}", n);
        let src = format!(
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: sec\n---\napiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: sa\n  namespace: {}\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      serviceAccountName: sa\n      volumes:\n      - name: v\n        configMap:\n          name: cm\n      - name: s\n        secret:\n          secretName: sec\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata:\n  name: rb\nroleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: Role\n  name: {}\nsubjects:\n- kind: ServiceAccount\n  name: sa\n  namespace: {}\n- kind: ServiceAccount\n  name: sa\n  namespace: {}\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: role\n",
            format!("other{}", n % 5),
            if n % 2 == 1 { "solo" } else { "role" },
            if n % 3 == 0 { "ns1".to_string() } else { ns.clone() },
            format!("other{}", n % 5)
        );
        let renamed = affix(load(&src), &format!("p{}-", n % 4), if n % 2 == 0 { "-s" } else { "" });
        parts.push(namespace(renamed, if n % 7 == 0 { "shared" } else { &ns }));
    }
    parts.push(namespace(affix(load("apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: solo\n"), "x-", ""), "ns1"));
    parts.push(affix(
        load("apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata:\n  name: crb\nroleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: ClusterRole\n  name: cr\nsubjects:\n- kind: ServiceAccount\n  name: sa\n  namespace: ns2\n- kind: ServiceAccount\n  name: sa\n  namespace: shared\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: cr\n"),
        "c-",
        "",
    ));
    let all: Vec<Resource> = parts.into_iter().flatten().collect();
    // Whole list, and lists without some kinds (other candidate mixes).
    vec![
        all.clone(),
        all.iter().filter(|r| r.kind() != "ServiceAccount" || r.namespace() != "shared").cloned().collect(),
        all.iter().filter(|r| r.kind() != "RoleBinding").cloned().collect(),
    ]
}

/// The process-wide plan of kustomize's defaults (used when the build's config is the
/// defaults themselves) rewrites and fails as a plan made for an equal config elsewhere.
#[test]
fn the_defaults_plan_works_as_a_fresh_one() {
    let copy = defaults().clone();
    assert!(!std::ptr::eq(&copy, defaults()));
    let (mut oks, mut errs) = (0, 0);
    let mut sources: Vec<Vec<Resource>> = mixed_variants();
    sources.push(affix(load(A_BASE), "a-", "-z"));
    for v in sources {
        let run = |config: &Config| {
            let mut l = ResourceList::new();
            l.set_items(v.clone());
            let out = fix_back_references(&mut l, config)
                .and_then(|()| crate::yaml::to_string_stream(l.iter().map(|r| &r.node)))
                .map_err(|e| e.to_string());
            let refs: Vec<Vec<String>> = l.iter().map(|r| r.ref_by.iter().map(|id| id.to_string()).collect()).collect();
            (out, refs)
        };
        // Twice with the defaults: the second run reads the remembered gvks.
        let (a, b, fresh) = (run(defaults()), run(defaults()), run(&copy));
        assert_eq!(a, fresh);
        assert_eq!(b, fresh);
        if a.0.is_ok() { oks += 1 } else { errs += 1 }
    }
    assert!(oks >= 2 && errs >= 1, "oks {} errors {}", oks, errs);
}

/// A plan's fields for a gvk, remembered or not, are the fields whose spec selects it, in
/// order; past the memo's capacity they are still right.
#[test]
fn plan_applicable_fields_are_the_selecting_ones() {
    let plan = Plan::new(defaults());
    let mut gvks: Vec<(String, String, String)> = Vec::new();
    for f in &plan.fields {
        let g = &f.spec.gvk;
        gvks.push((g.group.clone(), g.version.clone(), g.kind.clone()));
        gvks.push((g.group.clone(), "v9".into(), g.kind.clone()));
    }
    for i in 0..PLAN_MEMO_MAX + 20 {
        gvks.push(("x.io".into(), "v1".into(), format!("K{}", i)));
    }
    gvks.push(("".into(), "v1".into(), "".into()));
    let mut nonempty = 0;
    for _ in 0..2 {
        for (g, v, k) in &gvks {
            let want: Vec<usize> =
                (0..plan.fields.len()).filter(|&i| Gvk::new(g, v, k).is_selected_by(&plan.fields[i].spec.gvk)).collect();
            let got = plan.applicable(g, v, k);
            assert_eq!(got.fields, want, "{}/{}/{}", g, v, k);
            assert_eq!(got.prefix, common_prefix(&plan.fields, &want), "{}/{}/{}", g, v, k);
            nonempty += usize::from(!want.is_empty());
        }
    }
    assert!(nonempty > 20);
    assert_eq!(plan.memo.read().unwrap().len(), PLAN_MEMO_MAX);
}

/// Deployments whose `spec/template/spec` (the keys all their referrer fields share) is there,
/// missing, null, a sequence or a scalar on the way, with fields that rename, fail on a scalar
/// in the middle of a path, or find several candidates; a Pod (whose fields share only
/// `spec`), and an HPA and RoleBinding (one field; a roleRef).
fn prefix_variants() -> Vec<Vec<Resource>> {
    let specs = [
        "spec:\n  template:\n    spec:\n      serviceAccountName: sa\n      containers:\n      - name: c\n        env:\n        - name: X\n          valueFrom:\n            configMapKeyRef:\n              name: cm\n        envFrom:\n        - secretRef:\n            name: sec\n      volumes:\n      - name: v\n        configMap:\n          name: cm\n      - name: s\n        secret:\n          secretName: sec\n",
        "spec:\n  template: {}\n",
        "spec:\n  template:\n    spec: null\n",
        "spec: ~\n",
        "spec:\n- template:\n    spec:\n      serviceAccountName: sa\n",
        "spec:\n  template: text\n",
        "spec:\n  template:\n    spec:\n      volumes: text\n",
        "spec:\n  template:\n    spec:\n      serviceAccountName: dup\n",
        "spec:\n  template:\n    spec:\n      containers:\n      - env:\n        - valueFrom: text\n",
        "other: 1\n",
    ];
    let mut out = Vec::new();
    for (n, spec) in specs.iter().enumerate() {
        let src = format!(
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n{spec}---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: pod\n{pod}---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: sec\n---\napiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: sa\n---\napiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: dup\n---\napiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: hpa\nspec:\n  scaleTargetRef:\n    kind: Deployment\n    name: web\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata:\n  name: rb\nroleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: Role\n  name: role\nsubjects:\n- kind: ServiceAccount\n  name: sa\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: role\n",
            pod = spec.replace("  template:\n    spec:\n", "  x:\n    y:\n").replace("spec:\n  x:\n    y:\n", "spec:\n")
        );
        let mut parts = vec![affix(load(&src), "p-", if n % 2 == 0 { "-s" } else { "" })];
        if spec.contains("dup") {
            // Another `dup` ServiceAccount with other affixes: several candidates.
            let other = "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: dup\n  namespace: default\n";
            parts.push(affix(load(other), "q-", ""));
        }
        out.push(list_of(parts).into_vec());
    }
    out
}

/// Looking up the fields' shared leading keys once changes nothing: outputs, `ref_by` and
/// errors are those of walking every field from the root.
#[test]
fn shared_prefix_walks_like_root_walks() {
    let plan = Plan::of_defaults();
    let dep = plan.applicable("apps", "v1", "Deployment");
    assert_eq!(dep.prefix, 3, "a Deployment's fields share spec/template/spec");
    assert_eq!(plan.applicable("rbac.authorization.k8s.io", "v1", "RoleBinding").prefix, 0);
    let (mut oks, mut errs) = (0, 0);
    for v in prefix_variants() {
        let run = |on: bool| {
            crate::switch::with(&USE_PREFIX_TEST, on, || {
                let mut l = ResourceList::new();
                l.set_items(v.clone());
                let out = build(&mut l).map_err(|e| e.to_string());
                let refs: Vec<Vec<String>> = l.iter().map(|r| r.ref_by.iter().map(|id| id.to_string()).collect()).collect();
                (out, refs)
            })
        };
        let (shared, root) = (run(true), run(false));
        assert_eq!(shared, root);
        if shared.0.is_ok() { oks += 1 } else { errs += 1 }
    }
    assert!(oks >= 4 && errs >= 3, "{} built, {} failed", oks, errs);
}
