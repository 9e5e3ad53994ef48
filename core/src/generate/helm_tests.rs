//! Tests of the helm chart inflation with a fake `helm` script (helm itself is not needed).
//! The expected argument lists and outputs were obtained by running `kubectl kustomize
//! --enable-helm --helm-command <the same fake script>` on the same trees.

use super::*;
use crate::build::{build, Options};
use crate::fs::DiskFs;
use std::path::{Path, PathBuf};

struct Tree(PathBuf);

impl Drop for Tree {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

impl Tree {
    fn new(tag: &str) -> Tree {
        let base = std::env::temp_dir().canonicalize().unwrap();
        let p = base.join(format!("rustomize-helm-test-{}-{}", tag, std::process::id()));
        let _ = std::fs::remove_dir_all(&p);
        std::fs::create_dir_all(&p).unwrap();
        Tree(p)
    }
    fn path(&self) -> String {
        self.0.to_string_lossy().into_owned()
    }
    fn write(&self, rel: &str, text: &str) {
        let p = self.0.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    /// A fake helm: logs its arguments and environment (and the values files it is given),
    /// answers `version`, prints a fixed manifest for `template`, makes a chart for `pull`.
    fn fake_helm(&self) -> String {
        let log = self.0.join("log").to_string_lossy().into_owned();
        let script = format!(
            r#"#!/bin/sh
printf '%s\n' "$*" >> {log}
printf 'env %s %s %s\n' "$HELM_CONFIG_HOME" "$HELM_CACHE_HOME" "$HELM_DATA_HOME" >> {log}
case "$1" in
version) echo "v3.14.2+gc309b6f";;
template)
  prev=""; for a in "$@"; do if [ "$prev" = "-f" ]; then echo "== $a" >> {log}; cat "$a" >> {log}; fi; prev="$a"; done
  cat <<'Y'
---
# Source: foo/templates/svc.yaml
apiVersion: v1
kind: Service
metadata:
  name: rel-foo
  labels:
    app: foo
spec:
  ports:
  - port: 80
---
# Source: foo/templates/cm.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: rel-cfg
data:
  a: "1"
Y
;;
pull) d="$4/$(basename "$5")"; [ "$5" = "--repo" ] && d="$4/$7"; mkdir -p "$d"; printf "v: 1\n" > "$d/values.yaml";;
esac
"#
        );
        self.write("bin/helm", &script);
        let p = self.0.join("bin/helm");
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o755)).unwrap();
        p.to_string_lossy().into_owned()
    }
    /// The log, with this tree's path shown as `R` and kustomize's temp dirs as `TMP`.
    fn log(&self) -> String {
        let text = std::fs::read_to_string(self.0.join("log")).unwrap_or_default();
        let text = text.replace(&self.path(), "R");
        let tmp = std::env::temp_dir().canonicalize().unwrap().to_string_lossy().into_owned();
        let marker = format!("{}/kustomize-helm-", tmp);
        let mut out = String::new();
        let mut rest = text.as_str();
        while let Some(i) = rest.find(&marker) {
            out.push_str(&rest[..i]);
            out.push_str("TMP");
            rest = rest[i + marker.len()..].trim_start_matches(|c: char| c.is_ascii_digit());
        }
        out.push_str(rest);
        out
    }
}

fn opts(enable: bool, cmd: Option<&str>) -> Options {
    let mut o = Options::default();
    o.enable_helm = enable;
    o.helm_command = cmd.map(str::to_string);
    o
}

const KUST: &str = r#"namePrefix: p-
configMapGenerator:
- name: gen
  literals: [k=v]
helmCharts:
- name: foo
  releaseName: rel
  namespace: ns
  includeCRDs: true
  skipTests: true
  skipHooks: true
  apiVersions: [v1, apps/v1]
  kubeVersion: "1.29"
  nameTemplate: tmpl
  additionalValuesFiles: [extra.yaml]
  valuesInline:
    image:
      tag: new
    list: [3]
"#;

fn chart_tree(tag: &str, kust: &str) -> (Tree, String) {
    let t = Tree::new(tag);
    let helm = t.fake_helm();
    t.write("charts/foo/values.yaml", "replicas: 1\nimage:\n  tag: old\n  repo: x\nlist: [1,2]\n");
    t.write("extra.yaml", "extra: true\n");
    t.write("kustomization.yaml", kust);
    (t, helm)
}

#[test]
fn template_arguments_values_and_output() {
    let (t, helm) = chart_tree("full", KUST);
    let out = build(&DiskFs, &t.path(), &opts(true, Some(&helm))).unwrap();
    assert_eq!(
        out,
        "apiVersion: v1\ndata:\n  k: v\nkind: ConfigMap\nmetadata:\n  name: p-gen-bdg947hgcc\n---\napiVersion: v1\ndata:\n  a: \"1\"\nkind: ConfigMap\nmetadata:\n  name: p-rel-cfg\n---\napiVersion: v1\nkind: Service\nmetadata:\n  labels:\n    app: foo\n  name: p-rel-foo\nspec:\n  ports:\n  - port: 80\n"
    );
    assert_eq!(
        t.log(),
        "version -c --short\n\
         env TMP/helm TMP/helm/.cache TMP/helm/.data\n\
         template rel R/charts/foo --namespace ns --name-template tmpl -f TMP/foo-kustomize-values.yaml -f R/extra.yaml --api-versions v1 --api-versions apps/v1 --kube-version 1.29 --include-crds --skip-tests --no-hooks\n\
         env TMP/helm TMP/helm/.cache TMP/helm/.data\n\
         == TMP/foo-kustomize-values.yaml\n\
         image:\n  repo: x\n  tag: new\nlist:\n- 3\nreplicas: 1\n\
         == R/extra.yaml\n\
         extra: true\n"
    );
}

#[test]
fn merge_config_home_and_pull() {
    let kust = r#"helmGlobals:
  configHome: /some/cfg
helmCharts:
- name: foo
  valuesMerge: merge
  valuesInline:
    image:
      tag: new
      extra: 1
    list: [3]
"#;
    let (t, helm) = chart_tree("merge", kust);
    build(&DiskFs, &t.path(), &opts(true, Some(&helm))).unwrap();
    assert_eq!(
        t.log(),
        "version -c --short\n\
         env /some/cfg /some/cfg/.cache /some/cfg/.data\n\
         template --generate-name R/charts/foo -f TMP/foo-kustomize-values.yaml\n\
         env /some/cfg /some/cfg/.cache /some/cfg/.data\n\
         == TMP/foo-kustomize-values.yaml\n\
         image:\n  extra: 1\n  repo: x\n  tag: old\nlist:\n- 1\n- 2\nreplicas: 1\n"
    );

    // Not local, with a repo and a version: pulled into {chartHome}/{name}-{version}.
    let (t, helm) = chart_tree("pull", "helmCharts:\n- name: bar\n  repo: https://charts.example.com\n  version: 1.2.3\n");
    build(&DiskFs, &t.path(), &opts(true, Some(&helm))).unwrap();
    assert_eq!(
        t.log(),
        "version -c --short\n\
         env TMP/helm TMP/helm/.cache TMP/helm/.data\n\
         pull --untar --untardir R/charts/bar-1.2.3 --repo https://charts.example.com bar --version 1.2.3\n\
         env TMP/helm TMP/helm/.cache TMP/helm/.data\n\
         template --generate-name R/charts/bar-1.2.3/bar -f TMP/bar-kustomize-values.yaml\n\
         env TMP/helm TMP/helm/.cache TMP/helm/.data\n\
         == TMP/bar-kustomize-values.yaml\n\
         v: 1\n"
    );
    assert!(Path::new(&format!("{}/charts/bar-1.2.3/bar", t.path())).is_dir());
}

#[test]
fn pull_args_oci() {
    let inf = HelmInflation {
        chart: HelmChart { name: "baz".into(), repo: "oci://reg.example.com/charts/".into(), version: "2".into(), ..Default::default() },
        chart_home: "charts".into(),
        config_home: String::new(),
        root: "/r".into(),
    };
    assert_eq!(inf.pull_args(), vec!["pull", "--untar", "--untardir", "/r/charts/baz-2", "oci://reg.example.com/charts/baz", "--version", "2"]);
}

#[test]
fn errors() {
    let (t, helm) = chart_tree("errors", "helmCharts:\n- name: foo\n  repo: https://example.invalid\n");
    let e = build(&DiskFs, &t.path(), &opts(false, Some(&helm))).unwrap_err();
    assert_eq!(
        e.message(),
        "trouble configuring builtin HelmChartInflationGenerator with config: `\nname: foo\nrepo: https://example.invalid\n`: must specify --enable-helm"
    );
    let e = build(&DiskFs, &t.path(), &opts(true, Some(""))).unwrap_err();
    assert!(e.message().ends_with("`: must specify --helm-command"), "{}", e.message());

    let e = build(&DiskFs, &t.path(), &opts(true, Some("/nonexistent/helm"))).unwrap_err();
    let msg = e.message().to_string();
    let tmp = std::env::temp_dir().canonicalize().unwrap().to_string_lossy().into_owned();
    assert!(msg.starts_with(&format!("unable to run: '/nonexistent/helm version -c --short' with env=[HELM_CONFIG_HOME={}/kustomize-helm-", tmp)), "{}", msg);
    assert!(msg.ends_with("(is '/nonexistent/helm' installed?): fork/exec /nonexistent/helm: no such file or directory"), "{}", msg);

    let e = build(&DiskFs, &t.path(), &opts(true, Some("no-such-helm-binary-xyz"))).unwrap_err();
    assert!(e.message().ends_with("exec: \"no-such-helm-binary-xyz\": executable file not found in $PATH"), "{}", e.message());

    // No chart and no repo.
    t.write("kustomization.yaml", "helmCharts:\n- name: nothere\n");
    let e = build(&DiskFs, &t.path(), &opts(true, Some(&helm))).unwrap_err();
    assert_eq!(e.message(), "no repo specified for pull, no chart found at ''");

    t.write("kustomization.yaml", "helmCharts:\n- name: foo\n  valuesMerge: bogus\n");
    let e = build(&DiskFs, &t.path(), &opts(true, Some(&helm))).unwrap_err();
    assert!(e.message().ends_with("`: valuesMerge must be one of [merge override replace]"), "{}", e.message());
}

#[test]
fn version_check_and_output_parsing() {
    let rs = parse_output("WARNING: something\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n").unwrap();
    assert_eq!(rs.len(), 1);
}

#[test]
fn builtin_plugin_config() {
    let kust = "generators:\n- |-\n  apiVersion: builtin\n  kind: HelmChartInflationGenerator\n  metadata:\n    name: x\n  name: foo\n  releaseName: r\n";
    let (t, helm) = chart_tree("plugin", kust);
    let e = build(&DiskFs, &t.path(), &opts(false, Some(&helm))).unwrap_err();
    assert_eq!(
        e.message(),
        "loading generator plugins: failed to load generator: plugin HelmChartInflationGenerator.builtin.[noGrp]/x.[noNs] fails configuration: must specify --enable-helm"
    );
    let out = build(&DiskFs, &t.path(), &opts(true, Some(&helm))).unwrap();
    assert!(out.starts_with("apiVersion: v1\ndata:\n  a: \"1\"\nkind: ConfigMap\nmetadata:\n"), "{}", out);
    assert!(
        t.log().starts_with("version -c --short\nenv TMP/helm TMP/helm/.cache TMP/helm/.data\ntemplate r R/charts/foo -f TMP/foo-kustomize-values.yaml\n"),
        "{}",
        t.log()
    );
}
