//! Tests; expected messages were captured from `kubectl kustomize` (kustomize v5.5.0).

use super::*;
use crate::error::ErrorKind;
use crate::yaml::{Entry, Mapping, Node, Pos, Scalar, Style};

fn load_in(src: &str, dir: &str) -> (Vec<String>, Result<Kustomization>) {
    let mut w = Vec::new();
    let r = load_collecting(src, dir, &mut w);
    (w, r)
}

fn ok(src: &str) -> Kustomization {
    match load_in(src, "/app").1 {
        Ok(k) => k,
        Err(e) => panic!("{src}: {e}"),
    }
}

fn fail(src: &str) -> String {
    match load_in(src, "/app").1 {
        Ok(k) => panic!("{src}: expected an error, got {k:?}"),
        Err(e) => e.message().to_string(),
    }
}

fn type_err(value: &str, field: &str, ty: &str) -> String {
    format!("invalid Kustomization: json: cannot unmarshal {} into Go struct field {} of type {}", value, field, ty)
}

// --- The tests. ---

#[test]
fn file_names() {
    assert_eq!(kustomization_file_names(), ["kustomization.yaml", "kustomization.yml", "Kustomization"]);
    let mut fs = crate::fs::MemFs::new();
    fs.add("/a/kustomization.yml", "namePrefix: a-\n");
    fs.add("/b/kustomization.yaml", "x");
    fs.add("/b/Kustomization", "y");
    fs.add_dir("/c");
    fs.add_dir("/d/kustomization.yaml");
    fs.add("/d/Kustomization", "z");
    let (name, content) = find_kustomization_file(&fs, "/a").unwrap();
    assert_eq!((name, content.as_slice()), ("kustomization.yml", b"namePrefix: a-\n".as_slice()));
    let e = find_kustomization_file(&fs, "/b").unwrap_err();
    assert_eq!(e.message(), "Found multiple kustomization files under: /b\n");
    assert_eq!(e.kind(), ErrorKind::Kustomization);
    let e = find_kustomization_file(&fs, "/c").unwrap_err();
    assert_eq!(
        e.message(),
        "unable to find one of 'kustomization.yaml', 'kustomization.yml' or 'Kustomization' in directory '/c'"
    );
    assert_eq!(e.kind(), ErrorKind::NotFound);
    // A directory with a kustomization file name does not count.
    assert_eq!(find_kustomization_file(&fs, "/d").unwrap().0, "Kustomization");
}

#[test]
fn full_example() {
    let k = ok(r#"apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
metadata:
  name: app
  namespace: ns
  labels: {a: b}
  annotations: {c: d}
openapi:
  path: schema.json
namePrefix: p-
nameSuffix: -s
namespace: prod
commonLabels:
  app: web
labels:
- pairs:
    team: x
  includeSelectors: true
  includeTemplates: yes
  fields:
  - kind: Deployment
    group: apps
    version: v1
    path: spec/x
    create: true
commonAnnotations:
  note: hi
patchesStrategicMerge:
- patch.yaml
patchesJson6902:
- path: j.yaml
  target: {group: apps, version: v1, kind: Deployment, name: web, namespace: ns}
patches:
- path: p.yaml
  target:
    kind: Deployment
    labelSelector: a=b
    annotationSelector: c=d
  options:
    allowNameChange: true
    allowKindChange: false
- patch: |-
    - op: remove
      path: /x
images:
- name: nginx
  newName: my/nginx
  newTag: "1.0"
  digest: sha256:abc
  tagSuffix: -x
replacements:
- path: r.yaml
- source:
    kind: ConfigMap
    name: cm
    fieldPath: data.x
    options: {delimiter: ".", index: 1}
  targets:
  - select: {kind: Deployment}
    reject: [{name: other}]
    fieldPaths: [spec.x]
    options: {create: true, encoding: base64}
replicas:
- name: web
  count: 3
vars:
- name: V
  objref: {kind: Service, name: svc, apiVersion: v1}
  fieldref: {fieldPath: metadata.name}
sortOptions:
  order: legacy
  legacySortOptions:
    orderFirst: [Namespace]
    orderLast: [ValidatingWebhookConfiguration]
resources:
- a.yaml
components:
- ../comp
crds:
- crd.yaml
configMapGenerator:
- name: cm
  namespace: ns
  behavior: merge
  literals: [a=b]
  files: [f.txt]
  envs: [e.env]
  options:
    disableNameSuffixHash: true
    labels: {l: v}
secretGenerator:
- name: sec
  type: kubernetes.io/tls
  files: [tls.crt]
helmGlobals:
  chartHome: charts
  configHome: cfg
helmCharts:
- name: chart
  version: 1.2.3
  repo: https://x
  releaseName: rel
  namespace: ns
  additionalValuesFiles: [v2.yaml]
  valuesFile: v.yaml
  valuesInline:
    b: yes
    a: 1.0
  valuesMerge: override
  includeCRDs: true
  skipHooks: true
  apiVersions: [v1]
  kubeVersion: "1.30"
  nameTemplate: t
  skipTests: true
  debug: true
generatorOptions:
  immutable: true
  annotations: {x: z}
configurations: [c.yaml]
generators: [g.yaml]
transformers: [t.yaml]
validators: [v.yaml]
buildMetadata: [originAnnotations]
"#);
    assert_eq!(k.api_version, KUSTOMIZATION_VERSION);
    assert_eq!(k.kind, KustomizationKind::Kustomization);
    let m = k.metadata.as_ref().unwrap();
    assert_eq!((m.name.as_str(), m.namespace.as_str()), ("app", "ns"));
    assert_eq!(m.labels["a"], "b");
    assert_eq!(m.annotations["c"], "d");
    assert_eq!(k.openapi["path"], "schema.json");
    assert_eq!((k.name_prefix.as_str(), k.name_suffix.as_str(), k.namespace.as_str()), ("p-", "-s", "prod"));
    assert_eq!(k.common_labels["app"], "web");
    assert_eq!(k.labels.len(), 1);
    let l = &k.labels[0];
    assert_eq!(l.pairs["team"], "x");
    assert!(l.include_selectors && l.include_templates);
    assert_eq!(
        l.fields,
        vec![FieldSpec {
            group: "apps".into(),
            version: "v1".into(),
            kind: "Deployment".into(),
            path: "spec/x".into(),
            create: true
        }]
    );
    assert_eq!(k.common_annotations["note"], "hi");
    assert_eq!(k.patches_strategic_merge, vec!["patch.yaml".to_string()]);
    assert_eq!(k.patches_json6902.len(), 1);
    let t = k.patches_json6902[0].target.as_ref().unwrap();
    assert_eq!(
        (t.group.as_str(), t.version.as_str(), t.kind.as_str(), t.name.as_str(), t.namespace.as_str()),
        ("apps", "v1", "Deployment", "web", "ns")
    );
    assert_eq!(k.patches.len(), 2);
    let p = &k.patches[0];
    assert_eq!(p.path, "p.yaml");
    let t = p.target.as_ref().unwrap();
    assert_eq!((t.label_selector.as_str(), t.annotation_selector.as_str()), ("a=b", "c=d"));
    assert!(p.allow_name_change() && !p.allow_kind_change());
    assert_eq!(k.patches[1].patch, "- op: remove\n  path: /x");
    assert_eq!(
        k.images,
        vec![Image {
            name: "nginx".into(),
            new_name: "my/nginx".into(),
            tag_suffix: "-x".into(),
            new_tag: "1.0".into(),
            digest: "sha256:abc".into()
        }]
    );
    assert_eq!(k.replacements.len(), 2);
    assert_eq!(k.replacements[0].path, "r.yaml");
    let r = &k.replacements[1];
    let s = r.source.as_ref().unwrap();
    assert_eq!((s.kind.as_str(), s.name.as_str(), s.field_path.as_str()), ("ConfigMap", "cm", "data.x"));
    let o = s.options.as_ref().unwrap();
    assert_eq!((o.delimiter.as_str(), o.index), (".", 1));
    let tg = &r.targets[0];
    assert_eq!(tg.select.as_ref().unwrap().kind, "Deployment");
    assert_eq!(tg.reject[0].name, "other");
    assert_eq!(tg.field_paths, vec!["spec.x".to_string()]);
    let o = tg.options.as_ref().unwrap();
    assert!(o.create);
    assert_eq!(o.encoding, "base64");
    assert_eq!(k.replicas, vec![Replica { name: "web".into(), count: 3 }]);
    let v = &k.vars[0];
    assert_eq!(v.name, "V");
    assert_eq!(
        (v.objref.kind.as_str(), v.objref.name.as_str(), v.objref.api_version.as_str()),
        ("Service", "svc", "v1")
    );
    assert_eq!(v.fieldref.field_path, "metadata.name");
    let so = k.sort_options.as_ref().unwrap();
    assert_eq!(so.order, "legacy");
    let lso = so.legacy_sort_options.as_ref().unwrap();
    assert_eq!(lso.order_first, vec!["Namespace".to_string()]);
    assert_eq!(lso.order_last, vec!["ValidatingWebhookConfiguration".to_string()]);
    assert_eq!(k.resources, vec!["a.yaml".to_string()]);
    assert_eq!(k.components, vec!["../comp".to_string()]);
    assert_eq!(k.crds, vec!["crd.yaml".to_string()]);
    let g = &k.config_map_generator[0];
    assert_eq!((g.name.as_str(), g.namespace.as_str(), g.behavior.as_str()), ("cm", "ns", "merge"));
    assert_eq!(GenerationBehavior::parse(&g.behavior), GenerationBehavior::Merge);
    assert_eq!((g.literals.len(), g.files.len(), g.envs.len()), (1, 1, 1));
    let go = g.options.as_ref().unwrap();
    assert!(go.disable_name_suffix_hash && !go.immutable);
    assert_eq!(go.labels["l"], "v");
    let s = &k.secret_generator[0];
    assert_eq!((s.args.name.as_str(), s.secret_type.as_str()), ("sec", "kubernetes.io/tls"));
    assert_eq!(s.args.files, vec!["tls.crt".to_string()]);
    assert_eq!(k.helm_globals, Some(HelmGlobals { chart_home: "charts".into(), config_home: "cfg".into() }));
    let h = &k.helm_charts[0];
    assert_eq!((h.name.as_str(), h.version.as_str(), h.repo.as_str()), ("chart", "1.2.3", "https://x"));
    assert_eq!((h.release_name.as_str(), h.namespace.as_str()), ("rel", "ns"));
    assert_eq!(h.additional_values_files, vec!["v2.yaml".to_string()]);
    assert_eq!((h.values_file.as_str(), h.values_merge.as_str()), ("v.yaml", "override"));
    assert!(h.include_crds && h.skip_hooks && h.skip_tests && h.debug);
    assert_eq!(h.api_versions, vec!["v1".to_string()]);
    assert_eq!((h.kube_version.as_str(), h.name_template.as_str()), ("1.30", "t"));
    // Inline values as kustomize sees them: JSON-typed, keys sorted.
    let vi = h.values_inline.as_ref().unwrap();
    assert_eq!(vi.keys().collect::<Vec<_>>(), vec!["a", "b"]);
    assert_eq!(vi.get("a").unwrap().as_str(), Some("1"));
    assert_eq!(vi.get("b").unwrap().as_str(), Some("true"));
    let go = k.generator_options.as_ref().unwrap();
    assert!(go.immutable && !go.disable_name_suffix_hash);
    assert_eq!(go.annotations["x"], "z");
    assert_eq!(k.configurations, vec!["c.yaml".to_string()]);
    assert_eq!(k.generators, vec!["g.yaml".to_string()]);
    assert_eq!(k.transformers, vec!["t.yaml".to_string()]);
    assert_eq!(k.validators, vec!["v.yaml".to_string()]);
    assert!(k.has_build_metadata(ORIGIN_ANNOTATIONS));
    assert_eq!(
        k.warnings,
        vec![
            deprecation_warning("commonLabels").unwrap(),
            deprecation_warning("patchesJson6902").unwrap(),
            deprecation_warning("patchesStrategicMerge").unwrap(),
            deprecation_warning("vars").unwrap(),
        ]
    );
}

#[test]
fn warnings_text_and_order() {
    let (w, r) = load_in(
        "vars: []\npatchesStrategicMerge: []\npatchesJson6902: []\nimageTags: []\ncommonLabels: {}\nbases: []\nresources: [a.yaml]\n",
        "/app",
    );
    assert_eq!(
        w,
        vec![
            "# Warning: 'bases' is deprecated. Please use 'resources' instead. Run 'kustomize edit fix' to update your Kustomization automatically.",
            "# Warning: 'commonLabels' is deprecated. Please use 'labels' instead. Run 'kustomize edit fix' to update your Kustomization automatically.",
            "# Warning: 'imageTags' is deprecated. Please use 'images' instead. Run 'kustomize edit fix' to update your Kustomization automatically.",
            "# Warning: 'patchesJson6902' is deprecated. Please use 'patches' instead. Run 'kustomize edit fix' to update your Kustomization automatically.",
            "# Warning: 'patchesStrategicMerge' is deprecated. Please use 'patches' instead. Run 'kustomize edit fix' to update your Kustomization automatically.",
            "# Warning: 'vars' is deprecated. Please use 'replacements' instead. [EXPERIMENTAL] Run 'kustomize edit fix' to update your Kustomization automatically.",
        ]
    );
    assert_eq!(r.unwrap().warnings, w);
    // A null legacy field is not set: no warning.
    assert!(ok("vars: ~\nbases:\nresources: [a.yaml]\n").warnings.is_empty());
    assert_eq!(deprecation_warning("resources"), None);
}

#[test]
fn legacy_folding() {
    let k = ok("bases: [b1, b2]\nresources: [r1]\nimageTags:\n- name: old\n  newTag: v1\nimages:\n- name: new\n");
    assert_eq!(k.resources, vec!["r1", "b1", "b2"]);
    assert!(k.bases.is_empty());
    assert_eq!(k.images.iter().map(|i| i.name.as_str()).collect::<Vec<_>>(), vec!["new", "old"]);
    assert!(k.image_tags.is_empty());
    assert_eq!(k.warnings.len(), 2);

    let k = ok("configMapGenerator:\n- name: a\n  env: c.env\n  envs: [a.env, b.env]\n- name: b\n  env: d.env\nsecretGenerator:\n- name: s\n  env: s.env\n  envs: [t.env]\n");
    assert_eq!(k.config_map_generator[0].envs, vec!["a.env", "b.env", "c.env"]);
    assert_eq!(k.config_map_generator[0].env, "");
    assert_eq!(k.config_map_generator[1].envs, vec!["d.env"]);
    assert_eq!(k.secret_generator[0].args.envs, vec!["t.env", "s.env"]);
    assert!(k.warnings.is_empty());

    let k = ok("helmCharts:\n- name: first\nhelmChartInflationGenerator:\n- chartName: c1\n  chartVersion: 1.0.0\n  chartRepoUrl: https://r\n  chartHome: home1\n  helmHome: hh\n  values: v.yaml\n  valuesLocal: {a: b}\n  valuesMerge: merge\n  releaseName: rel\n  releaseNamespace: ignored\n  extraArgs: [--x]\n  helmBin: helm3\n  chartRepoName: repo\n- chartName: c2\n  chartHome: home2\n");
    assert!(k.helm_chart_inflation_generator.is_empty());
    assert_eq!(k.helm_charts.iter().map(|h| h.name.as_str()).collect::<Vec<_>>(), vec!["first", "c1", "c2"]);
    let c1 = &k.helm_charts[1];
    assert_eq!((c1.version.as_str(), c1.repo.as_str(), c1.values_file.as_str()), ("1.0.0", "https://r", "v.yaml"));
    assert_eq!((c1.values_merge.as_str(), c1.release_name.as_str(), c1.namespace.as_str()), ("merge", "rel", ""));
    assert_eq!(c1.values_inline.as_ref().unwrap().get("a").unwrap().as_str(), Some("b"));
    assert_eq!(k.helm_globals, Some(HelmGlobals { chart_home: "home2".into(), config_home: "hh".into() }));
    // helmGlobals, when given, wins over the legacy homes.
    let k = ok("helmGlobals: {}\nhelmChartInflationGenerator:\n- chartName: c1\n  chartHome: home1\n");
    assert_eq!(k.helm_globals, Some(HelmGlobals::default()));

    // Kept apart: commonLabels vs labels, and the legacy patch lists.
    let k = ok("commonLabels: {a: b}\nlabels:\n- pairs: {c: d}\npatchesStrategicMerge: [x.yaml]\npatchesJson6902:\n- path: j.yaml\npatches:\n- path: p.yaml\n");
    assert_eq!(k.common_labels.len(), 1);
    assert_eq!(k.labels.len(), 1);
    assert_eq!(k.patches_strategic_merge, vec!["x.yaml"]);
    assert_eq!(k.patches_json6902.len(), 1);
    assert_eq!(k.patches.len(), 1);
}

#[test]
fn defaults_and_kinds() {
    let k = ok("resources: [a]\n");
    assert_eq!((k.kind, k.api_version.as_str()), (KustomizationKind::Kustomization, KUSTOMIZATION_VERSION));
    let k = ok("kind: Component\nresources: [a]\n");
    assert_eq!((k.kind, k.api_version.as_str()), (KustomizationKind::Component, COMPONENT_VERSION));
    assert!(k.is_component());
    assert_eq!(
        k.check_kind(false, "/tmp/kt/b/comp").unwrap_err().message(),
        "expected kind != 'Component' for path '/tmp/kt/b/comp'"
    );
    assert!(k.check_kind(true, "/x").is_ok());
    let k = ok("kind: Kustomization\napiVersion: kustomize.config.k8s.io/v1beta1\nresources: [a]\n");
    assert_eq!(
        k.check_kind(true, "/tmp/kt/b/kus").unwrap_err().message(),
        "expected kind 'Component' for path '/tmp/kt/b/kus' but got 'Kustomization'"
    );
    assert!(k.check_kind(false, "/x").is_ok());

    assert_eq!(
        fail("kind: Foo\napiVersion: v1\nresources: []\n"),
        "Failed to read kustomization file under /app:\nkind should be Kustomization or Component\napiVersion for Foo should be kustomize.config.k8s.io/v1beta1"
    );
    assert_eq!(
        fail("kind: Component\napiVersion: v1\nresources: []\n"),
        "Failed to read kustomization file under /app:\napiVersion for Component should be kustomize.config.k8s.io/v1alpha1"
    );
    assert_eq!(
        fail("apiVersion: v1\nresources: []\n"),
        "Failed to read kustomization file under /app:\napiVersion for Kustomization should be kustomize.config.k8s.io/v1beta1"
    );
    assert_eq!(
        fail("kind: Foo\nresources: []\n"),
        "Failed to read kustomization file under /app:\nkind should be Kustomization or Component"
    );
    // The message is a Go format string.
    assert_eq!(legacy::go_sprintf_no_args("a%sb%%c%5.2fd%"), "a%!s(MISSING)b%c%!f(MISSING)d%!(NOVERB)");
    // A Component with the Kustomization apiVersion is an error, and the other way round.
    assert!(fail("kind: Component\napiVersion: kustomize.config.k8s.io/v1beta1\nresources: []\n")
        .ends_with("apiVersion for Component should be kustomize.config.k8s.io/v1alpha1"));
}

#[test]
fn empty() {
    for src in [
        "",
        "# nothing\n",
        "~\n",
        "kind: Kustomization\n",
        "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n",
        "resources:\nnamePrefix: \"\"\n",
    ] {
        assert_eq!(fail(src), "kustomization.yaml is empty", "{src:?}");
    }
    // An empty list is "set" in Go (non-nil) ...
    assert!(ok("resources: []\n").resources.is_empty());
    assert!(ok("metadata: {}\n").metadata.is_some());
    assert_eq!(ok("commonLabels: {}\n").warnings.len(), 1);
    // ... but legacy fields count only by what they add.
    let (w, r) = load_in("bases: []\n", "/app");
    assert_eq!(r.unwrap_err().message(), "kustomization.yaml is empty");
    assert_eq!(w, vec![deprecation_warning("bases").unwrap()]);
    assert_eq!(fail("imageTags: []\nhelmChartInflationGenerator: []\n"), "kustomization.yaml is empty");
    assert_eq!(ok("bases: [a]\n").resources, vec!["a"]);
    assert_eq!(ok("helmChartInflationGenerator: [{}]\n").helm_charts.len(), 1);
}

#[test]
fn unknown_fields() {
    assert_eq!(fail("foo: 1\n"), r#"invalid Kustomization: json: unknown field "foo""#);
    assert_eq!(fail("patches:\n- path: a\n  targets: {}\n"), r#"invalid Kustomization: json: unknown field "targets""#);
    assert_eq!(fail("replacements:\n- source:\n    foo: 1\n"), r#"invalid Kustomization: json: unknown field "foo""#);
    assert_eq!(fail("on: x\n"), r#"invalid Kustomization: json: unknown field "true""#);
    assert_eq!(fail("1e6: x\n"), r#"invalid Kustomization: json: unknown field "1e+06""#);
    assert_eq!(fail("0.00001: x\n"), r#"invalid Kustomization: json: unknown field "1e-05""#);
    assert_eq!(fail("123456789: x\n"), r#"invalid Kustomization: json: unknown field "123456789""#);
    // Keys are met in sorted order; the first error wins.
    assert_eq!(fail("zzz: 1\nnamePrefix: 1\n"), type_err("number", "Kustomization.namePrefix", "string"));
    assert_eq!(fail("namePrefix: 1\naaa: 1\n"), r#"invalid Kustomization: json: unknown field "aaa""#);
    // The error carries the kind and the position of the offending key.
    let e = load_in("resources: [a]\nfoo: 1\n", "/app").1.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Kustomization);
    assert_eq!((e.line(), e.column()), (Some(2), Some(1)));
    let e = load_in("resources: [a]\nimages:\n- name: x\n  newTag: 1.0\n", "/app").1.unwrap_err();
    assert_eq!((e.line(), e.column()), (Some(4), Some(3)));
}

#[test]
fn wrong_types() {
    assert_eq!(fail("namePrefix: yes\n"), type_err("bool", "Kustomization.namePrefix", "string"));
    assert_eq!(fail("namePrefix: y\n"), type_err("bool", "Kustomization.namePrefix", "string"));
    assert_eq!(fail("namePrefix: 123\n"), type_err("number", "Kustomization.namePrefix", "string"));
    assert_eq!(fail("namePrefix: [a]\n"), type_err("array", "Kustomization.namePrefix", "string"));
    assert_eq!(fail("namePrefix: {a: b}\n"), type_err("object", "Kustomization.namePrefix", "string"));
    // No single string for a list.
    assert_eq!(fail("resources: foo\n"), type_err("string", "Kustomization.resources", "[]string"));
    assert_eq!(fail("resources:\n  a: b\n"), type_err("object", "Kustomization.resources", "[]string"));
    assert_eq!(fail("images:\n- name: x\n  newTag: 1.0\n"), type_err("number", "Image.images.newTag", "string"));
    assert_eq!(fail("commonLabels:\n  a: on\n"), type_err("bool", "Kustomization.commonLabels", "string"));
    assert_eq!(fail("replicas:\n- name: a\n  count: 1.5\n"), type_err("number 1.5", "Replica.replicas.count", "int64"));
    assert_eq!(fail("replicas:\n- name: a\n  count: \"3\"\n"), type_err("string", "Replica.replicas.count", "int64"));
    assert_eq!(
        fail("replicas: [{count: 99999999999999999999}]\n"),
        type_err("number 100000000000000000000", "Replica.replicas.count", "int64")
    );
    assert_eq!(fail("replicas: [{count: 1e-7}]\n"), type_err("number 1e-7", "Replica.replicas.count", "int64"));
    assert_eq!(fail("replicas: [{count: 1e21}]\n"), type_err("number 1e+21", "Replica.replicas.count", "int64"));
    assert_eq!(fail("replicas: [{count: 0o17, name: 3}]\n"), type_err("number", "Replica.replicas.name", "string"));
    assert_eq!(ok("replicas: [{count: 1e3, name: a}]\n").replicas[0].count, 1000);
    assert_eq!(ok("replicas: [{count: 08, name: a}]\n").replicas[0].count, 8);
    assert_eq!(ok("replicas: [{count: 0x10, name: a}]\n").replicas[0].count, 16);
    assert_eq!(
        fail("patches:\n- target:\n    kind: 1\n"),
        type_err("number", "Selector.patches.target.kind", "string")
    );
    assert_eq!(fail("secretGenerator:\n- name: 1\n"), type_err("number", "SecretArgs.secretGenerator.name", "string"));
    assert_eq!(
        fail("configMapGenerator:\n- envs: a\n"),
        type_err("string", "ConfigMapArgs.configMapGenerator.envs", "[]string")
    );
    assert_eq!(
        fail("configMapGenerator:\n- options: {labels: 1}\n"),
        type_err("number", "GeneratorOptions.configMapGenerator.options.labels", "map[string]string")
    );
    assert_eq!(fail("sortOptions: foo\n"), type_err("string", "Kustomization.sortOptions", "types.SortOptions"));
    assert_eq!(
        fail("sortOptions:\n  order: 1\n"),
        type_err("number", "SortOptions.sortOptions.order", "types.SortOrder")
    );
    assert_eq!(
        fail("sortOptions:\n  legacySortOptions: {orderFirst: 1}\n"),
        type_err("number", "LegacySortOptions.sortOptions.legacySortOptions.orderFirst", "[]string")
    );
    assert_eq!(
        fail("labels:\n- fields: [{create: 1}]\n"),
        type_err("number", "FieldSpec.labels.fields.create", "bool")
    );
    assert_eq!(
        fail("patchesStrategicMerge:\n- {a: b}\n"),
        type_err("object", "Kustomization.patchesStrategicMerge", "types.PatchStrategicMerge")
    );
    assert_eq!(
        fail("replacements:\n- targets: [a]\n"),
        type_err("string", "ReplacementField.replacements.targets", "types.TargetSelector")
    );
    assert_eq!(
        fail("replacements:\n- targets: [{reject: [a]}]\n"),
        type_err("string", "TargetSelector.replacements.targets.reject", "types.Selector")
    );
    assert_eq!(
        fail("replacements:\n- source: {options: {index: a}}\n"),
        type_err("string", "FieldOptions.replacements.source.options.index", "int")
    );
    assert_eq!(fail("vars:\n- objref: a\n"), type_err("string", "Var.vars.objref", "types.Target"));
    assert_eq!(fail("patches:\n- options: {a: 1}\n"), type_err("number", "Patch.patches.options", "bool"));
    assert_eq!(fail("patches:\n- options: 1\n"), type_err("number", "Patch.patches.options", "map[string]bool"));
    assert_eq!(
        fail("helmCharts:\n- valuesInline: 3\n"),
        type_err("number", "HelmChart.helmCharts.valuesInline", "map[string]interface {}")
    );
    assert_eq!(
        fail("helmChartInflationGenerator:\n- valuesLocal: 1\n"),
        type_err("number", "HelmChartArgs.helmChartInflationGenerator.valuesLocal", "map[string]interface {}")
    );
    assert_eq!(fail("metadata: 1\n"), type_err("number", "Kustomization.metadata", "types.ObjectMeta"));
    assert_eq!(fail("openapi: {path: 1}\n"), type_err("number", "Kustomization.openapi", "string"));
    assert_eq!(fail("buildMetadata: [1]\n"), type_err("number", "Kustomization.buildMetadata", "string"));
    assert_eq!(fail("kind: 1\n"), type_err("number", "Kustomization.kind", "string"));
    // The whole document.
    assert_eq!(
        fail("- a\n"),
        "invalid Kustomization: json: cannot unmarshal array into Go value of type types.Kustomization"
    );
    assert_eq!(
        fail("foo\n"),
        "invalid Kustomization: json: cannot unmarshal string into Go value of type types.Kustomization"
    );
    // Values JSON cannot hold, anywhere.
    assert_eq!(fail("namePrefix: .inf\n"), "invalid Kustomization: json: unsupported value: +Inf");
    assert_eq!(fail("zzz: -.inf\nnamePrefix: 1\n"), "invalid Kustomization: json: unsupported value: -Inf");
    // Map keys go-yaml v2 types as null or uint64.
    assert_eq!(
        fail("commonAnnotations: {~: x}\n"),
        "invalid Kustomization: unsupported map key of type: %!s(<nil>), key: <nil>, value: \"x\""
    );
}

#[test]
fn go_yaml_v2_and_json_quirks() {
    // Quoted and !!str values stay strings; explicit tags are honoured.
    assert_eq!(ok("namePrefix: \"123\"\n").name_prefix, "123");
    assert_eq!(ok("namePrefix: !!str 12\n").name_prefix, "12");
    assert_eq!(ok("namePrefix: !foo 12\n").name_prefix, "12");
    assert_eq!(fail("namePrefix: !!int \"12\"\n"), type_err("number", "Kustomization.namePrefix", "string"));
    assert_eq!(fail("namePrefix: !!int \"ab\"\n"), "invalid Kustomization: yaml: cannot decode !!str `ab` as a !!int");
    // YAML 1.1 booleans where Go wants bools.
    let k = ok("labels:\n- pairs: {a: b}\n  includeSelectors: on\n  includeTemplates: Y\n");
    assert!(k.labels[0].include_selectors && k.labels[0].include_templates);
    // null: "" for map values, nothing for strings.
    let k = ok("commonLabels: {a: }\nnamePrefix: ~\n");
    assert_eq!(k.common_labels["a"], "");
    assert_eq!(k.name_prefix, "");
    // Map keys become strings.
    let k = ok("commonLabels: {yes: b, 0x10: c, 1.50: d}\n");
    assert_eq!(k.common_labels.keys().collect::<Vec<_>>(), vec!["1.5", "16", "true"]);
    // Field names also match case-insensitively; of two spellings the later in key order wins.
    assert_eq!(ok("NamePrefix: a-\n").name_prefix, "a-");
    assert_eq!(ok("NamePrefix: a-\nnamePrefix: b-\n").name_prefix, "b-");
    assert_eq!(ok("namePrefix: b-\nNAMEPREFIX: a-\n").name_prefix, "b-");
    assert_eq!(ok("images: [{NAME: x, NewTag: v}]\n").images[0].new_tag, "v");
    // Helm values as Go holds them in a map[string]interface{}.
    let k = ok("helmCharts:\n- name: c\n  valuesInline: {big: 12345678901234567890, f: 1.0, s: \"1.0\", nil: ~, n: x, l: [on, 2]}\n");
    let vi = k.helm_charts[0].values_inline.as_ref().unwrap();
    assert_eq!(vi.keys().collect::<Vec<_>>(), vec!["big", "f", "false", "l", "nil", "s"]);
    assert_eq!(vi.get("big").unwrap().as_str(), Some("12345678901234567000"));
    assert_eq!(vi.get("f").unwrap().as_str(), Some("1"));
    assert!(vi.get("nil").unwrap().is_null());
    let s = vi.get("s").unwrap().as_scalar().unwrap();
    assert!(s.is_string() && s.value == "1.0");
    let l = vi.get("l").unwrap().as_seq().unwrap();
    assert_eq!((l[0].as_str(), l[1].as_str()), (Some("true"), Some("2")));
}

#[test]
fn yaml_v2_reading() {
    // Merge keys as go-yaml v2 has them: a merge overrides earlier keys, earlier maps of a
    // list win; a quoted `<<` is an ordinary (unknown) key.
    assert_eq!(ok("namePrefix: q-\n<<: {namePrefix: p-}\n").name_prefix, "p-");
    assert_eq!(ok("<<: {namePrefix: p-}\nnamePrefix: q-\n").name_prefix, "q-");
    assert_eq!(ok("<<: [{namePrefix: p-}, {namePrefix: r-}]\n").name_prefix, "p-");
    assert_eq!(fail("x: &x\n  namePrefix: p-\n<<: *x\n"), r#"invalid Kustomization: json: unknown field "x""#);
    assert_eq!(fail("\"<<\": {namePrefix: p-}\n"), r#"invalid Kustomization: json: unknown field "<<""#);
    // Aliases.
    assert_eq!(ok("resources: &r [a, b]\ncomponents: *r\n").components, vec!["a", "b"]);
    // A duplicate key replaces the earlier value; so does a key that types the same.
    assert_eq!(ok("namePrefix: a-\nnamePrefix: b-\n").name_prefix, "b-");
    assert_eq!(ok("commonLabels: {yes: a, true: b}\n").common_labels["true"], "b");
    // Only the first document counts, even an empty one.
    assert_eq!(ok("resources: [a]\n---\nnamePrefix: x-\n").name_prefix, "");
    assert_eq!(fail("---\n---\nresources: [a]\n"), "kustomization.yaml is empty");
    // Syntax errors are reported as kustomize prefixes them.
    let e = load_in("resources: [a\n", "/app").1.unwrap_err();
    assert!(e.message().starts_with("invalid Kustomization: "), "{}", e.message());
}

#[test]
fn from_a_node() {
    let mut m = Mapping::new();
    m.entries.push(Entry::new("namePrefix", Node::plain("x-"), Pos { line: 1, col: 1 }));
    m.entries.push(Entry::new(
        "nameSuffix",
        Node::Scalar(Scalar { value: "1".into(), style: Style::SingleQuoted, tag: None }),
        Pos { line: 2, col: 1 },
    ));
    let k = from_node(&Node::Map(m.clone())).unwrap();
    assert_eq!((k.name_prefix.as_str(), k.name_suffix.as_str()), ("x-", "1"));
    m.entries.push(Entry::new("bogus", Node::plain("1"), Pos { line: 3, col: 1 }));
    let e = from_node(&Node::Map(m)).unwrap_err();
    assert_eq!(e.message(), r#"invalid Kustomization: json: unknown field "bogus""#);
    assert_eq!((e.kind(), e.line(), e.column()), (ErrorKind::Kustomization, Some(3), Some(1)));
    assert_eq!(parse("namePrefix: a-\n").unwrap().name_prefix, "a-");
}
