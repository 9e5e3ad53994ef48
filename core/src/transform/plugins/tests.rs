//! Expected outputs are `kubectl kustomize --reorder none` (kustomize v5.5.0) outputs of a
//! kustomization listing the same configs inline.

use super::*;
use crate::resource::resources_from_str;

fn configs(text: &str) -> Vec<Resource> {
    resources_from_str(text).unwrap()
}

fn no_files(p: &str) -> Result<Vec<u8>> {
    Err(err!(NotFound, "no file {}", p))
}

fn run(configs_text: &str, resources: &str) -> Result<String> {
    let load = no_files;
    let ctx = PluginContext::new(&load);
    let mut list = ResourceList::new();
    for r in resources_from_str(resources)? {
        list.append(r)?;
    }
    for (t, _) in transformers_from_configs(&configs(configs_text), &ctx)? {
        t.apply(&mut list, &Config::default())?;
    }
    crate::yaml::to_string_stream(list.iter().map(|r| &r.node))
}

const RESOURCES: &str = "apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
spec:
  template:
    spec:
      containers:
      - name: c
        image: nginx:1.0
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: cm
  namespace: keep
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: rb
subjects:
- kind: ServiceAccount
  name: sa
- kind: User
  name: default
";

#[test]
fn builtin_transformers_from_configs() {
    let cfg = "apiVersion: builtin
kind: LabelTransformer
metadata:
  name: l
labels:
  num: 1
  flag: yes
  Flt: 1.5e3
fieldSpecs:
- path: metadata/labels
  create: true
- kind: Deployment
  path: spec/template/metadata/labels
  create: true
---
apiVersion: builtin
kind: PrefixSuffixTransformer
metadata:
  name: ps
prefix: 0x1F-
suffix: -s
fieldSpecs:
- path: metadata/name
---
apiVersion: builtin
kind: NamespaceTransformer
metadata:
  name: n
  namespace: ns1
unsetOnly: true
setRoleBindingSubjects: allServiceAccounts
---
apiVersion: builtin
kind: ReplicaCountTransformer
metadata:
  name: rc
replica:
  name: d
  count: 1e1
fieldSpecs:
- path: spec/replicas
  create: true
  kind: Deployment
---
apiVersion: builtin
kind: ImageTagTransformer
metadata:
  name: it
imageTag:
  name: nginx
  newTag: 1.25
fieldSpecs:
- path: spec/template/spec/containers/image
";
    let want = r#"apiVersion: apps/v1
kind: Deployment
metadata:
  labels:
    Flt: "1500"
    flag: "yes"
    num: "1"
  name: 0x1F-d-s
  namespace: ns1
spec:
  replicas: 10
  template:
    metadata:
      labels:
        Flt: "1500"
        flag: "yes"
        num: "1"
    spec:
      containers:
      - image: nginx:1.25
        name: c
---
apiVersion: v1
kind: ConfigMap
metadata:
  labels:
    Flt: "1500"
    flag: "yes"
    num: "1"
  name: 0x1F-cm-s
  namespace: keep
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  labels:
    Flt: "1500"
    flag: "yes"
    num: "1"
  name: 0x1F-rb-s
  namespace: ns1
subjects:
- kind: ServiceAccount
  name: sa
  namespace: ns1
- kind: User
  name: default
"#;
    assert_eq!(run(cfg, RESOURCES).unwrap(), want);
}

#[test]
fn scalars_reach_plugins_as_kustomize_retypes_them() {
    let cfg = "apiVersion: builtin
kind: LabelTransformer
metadata:
  name: l
labels:
  oct: 017
  hex: 0x1F
  big: 1e21
  pi: 3.14159265358979
  date: 2001-12-14
  on: on
  qtrue: \"true\"
  nul: ~
fieldSpecs:
- path: metadata/labels
  create: true
---
apiVersion: builtin
kind: PrefixTransformer
metadata:
  name: ps
prefix: 0x1F
fieldSpecs:
- path: metadata/name
---
apiVersion: builtin
kind: SuffixTransformer
metadata:
  name: ss
suffix: 3.14159265358979
fieldSpecs:
- path: metadata/name
";
    let want = r#"apiVersion: v1
kind: ConfigMap
metadata:
  labels:
    big: "1e+21"
    date: "2001-12-14T00:00:00Z"
    hex: "31"
    nul: ""
    oct: "15"
    "on": "on"
    pi: "3.1415927"
    qtrue: "true"
  name: 31cm3.14159265358979
"#;
    assert_eq!(run(cfg, "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n").unwrap(), want);
}

#[test]
fn plugin_field_specs_are_only_the_configs() {
    // No fieldSpecs: the LabelTransformer changes nothing; the NamespaceTransformer still sets
    // metadata.namespace.
    let cfg = "apiVersion: builtin
kind: LabelTransformer
metadata:
  name: x
labels:
  a: b
---
apiVersion: builtin
kind: NamespaceTransformer
metadata:
  name: y
  namespace: ns1
";
    let res = "apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
spec:
  template:
    metadata:
      labels: {x: y}
";
    let want = "apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
  namespace: ns1
spec:
  template:
    metadata:
      labels:
        x: \"y\"
";
    assert_eq!(run(cfg, res).unwrap(), want);
}

#[test]
fn generators_from_configs() {
    let cfg = "apiVersion: builtin
kind: ConfigMapGenerator
metadata:
  name: meta-name
  namespace: meta-ns
literals:
- a=1
envs:
- a.env
env: ignored.env
options:
  labels:
    l: \"1\"
  disableNameSuffixHash: true
---
apiVersion: builtin
kind: SecretGenerator
metadata:
  name: ignored
name: top
type: kubernetes.io/tls
literals:
- tls.crt=x
- tls.key=y
---
apiVersion: builtin
kind: IAMPolicyGenerator
metadata:
  name: iam
cloud: gke
kubernetesService:
  name: ksa
  namespace: kns
serviceAccount:
  name: gsa
  projectId: proj
";
    let load = |p: &str| -> Result<Vec<u8>> {
        match p {
            "a.env" => Ok(b"K=v\n".to_vec()),
            _ => Err(err!(NotFound, "no file {}", p)),
        }
    };
    let ctx = PluginContext::new(&load);
    let mut list = ResourceList::new();
    for (rs, origin) in generate_from_configs(&configs(cfg), &ctx).unwrap() {
        assert!(origin.is_none());
        for r in rs {
            crate::generate::absorb(&mut list, r).unwrap();
        }
    }
    crate::generate::add_hash_suffixes(&mut list).unwrap();
    let want = r#"apiVersion: v1
data:
  K: v
  a: "1"
kind: ConfigMap
metadata:
  labels:
    l: "1"
  name: meta-name
  namespace: meta-ns
---
apiVersion: v1
data:
  tls.crt: eA==
  tls.key: eQ==
kind: Secret
metadata:
  name: top-f4c6k54dt5
type: kubernetes.io/tls
---
apiVersion: v1
kind: ServiceAccount
metadata:
  annotations:
    iam.gke.io/gcp-service-account: gsa@proj.iam.gserviceaccount.com
  name: ksa
  namespace: kns
"#;
    assert_eq!(crate::yaml::to_string_stream(list.iter().map(|r| &r.node)).unwrap(), want);
}

fn config_error(cfg: &str, generator: bool) -> String {
    let load = no_files;
    let ctx = PluginContext::new(&load);
    let c = configs(cfg);
    if generator {
        generate_from_configs(&c, &ctx).unwrap_err().message().to_string()
    } else {
        transformers_from_configs(&c, &ctx).unwrap_err().message().to_string()
    }
}

#[test]
fn errors_as_kustomize_words_them() {
    assert_eq!(
        config_error("apiVersion: builtin\nkind: SortOrderTransformer\nmetadata:\n  name: x\n", false),
        "unable to load builtin SortOrderTransformer.builtin.[noGrp]"
    );
    assert_eq!(
        config_error("apiVersion: someteam.example.com/v1\nkind: StringPrefixer\nmetadata:\n  name: apple\n", false),
        "external plugins disabled; unable to load external plugin 'StringPrefixer'"
    );
    assert_eq!(
        config_error("apiVersion: builtin\nkind: ConfigMapGenerator\nmetadata:\n  name: x\n", false),
        "plugin ConfigMapGenerator.builtin.[noGrp]/x.[noNs] not a transformer"
    );
    assert_eq!(
        config_error("apiVersion: builtin\nkind: PrefixTransformer\nmetadata:\n  name: x\nprefix: p-\n", false),
        "plugin PrefixTransformer.builtin.[noGrp]/x.[noNs] fails configuration: fieldSpecs is not expected to be nil"
    );
    assert_eq!(
        config_error("apiVersion: builtin\nkind: SecretGenerator\nmetadata:\n  name: ignored\nname: 12\n", true),
        "failed to load generator: plugin SecretGenerator.builtin.[noGrp]/ignored.[noNs] fails configuration: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal number into Go struct field SecretGeneratorPlugin.name of type string"
    );
    assert_eq!(
        config_error("apiVersion: builtin\nkind: ConfigMapGenerator\nmetadata:\n  name: meta-name\n  namespace: meta-ns\noptions:\n  labels:\n    l: 1\n", true),
        "failed to load generator: plugin ConfigMapGenerator.builtin.[noGrp]/meta-name.meta-ns fails configuration: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal number into Go struct field GeneratorOptions.options.labels of type string"
    );
}

#[test]
fn origin_of_a_config() {
    let mut c = configs("apiVersion: builtin\nkind: NamespaceTransformer\nmetadata:\n  name: n\n  namespace: test\n").remove(0);
    assert!(origin_of_config(&c).is_none());
    c.origin = Some(Origin { path: "kustomization.yaml".into(), ..Default::default() });
    let o = origin_of_config(&c).unwrap();
    assert_eq!(o.configured_in, "kustomization.yaml");
    assert_eq!(o.path, "");
    let by = o.config.unwrap();
    assert_eq!((by.gvk.api_version().as_str(), by.gvk.kind.as_str()), ("builtin", "NamespaceTransformer"));
    assert_eq!((by.name.as_str(), by.namespace.as_str()), ("n", "test"));
}

#[test]
fn replacement_fields_of_a_config() {
    let c = configs(
        "apiVersion: builtin
kind: ReplacementTransformer
metadata:
  name: r
replacements:
- path: more.yaml
- source:
    kind: Pod
    name: p
    fieldPath: spec
    options: {delimiter: '-', index: 1}
  targets:
  - select:
      kind: Deployment
    reject:
    - name: x
    fieldPaths:
    - spec.template.spec
    options:
      create: true
",
    );
    let o = Obj::top(&c[0].node, Mode::Json, "ReplacementTransformerPlugin").unwrap();
    let f = replacement_fields(&o).unwrap();
    assert_eq!(f.len(), 2);
    assert_eq!(f[0].path, "more.yaml");
    let s = f[1].source.as_ref().unwrap();
    assert_eq!((s.kind.as_str(), s.name.as_str(), s.field_path.as_str()), ("Pod", "p", "spec"));
    assert_eq!(s.options.as_ref().map(|o| (o.delimiter.as_str(), o.index)), Some(("-", 1)));
    let t = &f[1].targets[0];
    assert_eq!(t.select.as_ref().unwrap().kind, "Deployment");
    assert_eq!(t.reject[0].name, "x");
    assert_eq!(t.field_paths, vec!["spec.template.spec".to_string()]);
    assert!(t.options.as_ref().unwrap().create);
    // `source` and `targets` come from an embedded struct: no number-to-text conversion.
    let bad = configs("apiVersion: builtin\nkind: ReplacementTransformer\nmetadata:\n  name: r\nreplacements:\n- source:\n    name: 12\n");
    let o = Obj::top(&bad[0].node, Mode::Json, "ReplacementTransformerPlugin").unwrap();
    assert!(replacement_fields(&o).is_err());
}

#[test]
fn replacement_transformer_config() {
    let cfg = "apiVersion: builtin
kind: ReplacementTransformer
metadata:
  name: r
replacements:
- source:
    kind: ConfigMap
    name: src
    fieldPath: data.image
  targets:
  - select:
      kind: Deployment
    fieldPaths:
    - spec.template.spec.containers.[name=c].image
";
    let res = "apiVersion: v1
kind: ConfigMap
metadata:
  name: src
data:
  image: nginx:2
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
spec:
  template:
    spec:
      containers:
      - name: c
        image: nginx:1
";
    let want = "apiVersion: v1
data:
  image: nginx:2
kind: ConfigMap
metadata:
  name: src
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
spec:
  template:
    spec:
      containers:
      - image: nginx:2
        name: c
";
    assert_eq!(run(cfg, res).unwrap(), want);
}
