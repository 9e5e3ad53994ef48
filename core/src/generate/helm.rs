//! `helmCharts` / `helmGlobals` (kustomize's builtin HelmChartInflationGenerator): runs the
//! `helm` binary the way kustomize v5.5.0 does.
//!
//! Configuring (kustomize's `Config`/`validateArgs`): `--enable-helm` and a non-empty helm
//! command are required; the chart needs a name; `chartHome` defaults to `charts` (relative to
//! the kustomization root); `valuesFile` defaults to `{chartHome}/{name}/values.yaml`;
//! additional values files must be loadable and are made absolute; `valuesMerge` is one of
//! `merge`, `override` (the default), `replace`; `configHome` defaults to `{tmp}/helm`.
//!
//! Generating: `helm version -c --short` must report a v3; a chart that is not a directory at
//! `{chartHome}/{name}` is pulled (`helm pull --untar --untardir ...`) when a repo is given;
//! the values file (or `valuesInline` merged into it) is written to the temp dir; then
//! `helm template ...` runs and its output is parsed into resources. Each helm run gets
//! `HELM_CONFIG_HOME`, `HELM_CACHE_HOME` and `HELM_DATA_HOME` on top of the environment.

use crate::error::{err, Error, Result};
use crate::kustomization::{HelmChart, HelmGlobals};
use crate::resource::Resource;
use crate::yaml::{Mapping, Node};

/// What the build's flags say about helm.
#[derive(Clone, Copy, Debug)]
pub struct HelmSettings<'a> {
    /// `--enable-helm`.
    pub enabled: bool,
    /// `--helm-command` (kubectl's default is `helm`).
    pub command: &'a str,
}

/// A configured chart inflation: the chart with kustomize's defaults filled in.
#[derive(Clone, Debug)]
pub struct HelmInflation {
    pub chart: HelmChart,
    /// The chart home as configured (`charts` by default).
    pub chart_home: String,
    /// `configHome`, empty when a temp dir is to be used.
    pub config_home: String,
    /// The kustomization root.
    pub root: String,
}

const LEGAL_MERGE: [&str; 3] = ["merge", "override", "replace"];

/// Go's `filepath.Join(a, b)`: `b` is appended even when absolute.
fn go_join(a: &str, b: &str) -> String {
    if a.is_empty() {
        return crate::fs::clean(b);
    }
    if b.is_empty() {
        return crate::fs::clean(a);
    }
    crate::fs::clean(&format!("{}/{}", a, b))
}

/// The config kustomize prints in "trouble configuring" errors (sigs.k8s.io/yaml: JSON field
/// names with omitempty, keys sorted).
pub fn config_yaml(globals: &HelmGlobals, c: &HelmChart) -> String {
    let mut m = Mapping::new();
    let mut s = |k: &str, v: &str| {
        if !v.is_empty() {
            m.insert(k, Node::string(v));
        }
    };
    s("chartHome", &globals.chart_home);
    s("configHome", &globals.config_home);
    s("kubeVersion", &c.kube_version);
    s("name", &c.name);
    s("nameTemplate", &c.name_template);
    s("namespace", &c.namespace);
    s("releaseName", &c.release_name);
    s("repo", &c.repo);
    s("valuesFile", &c.values_file);
    s("valuesMerge", &c.values_merge);
    s("version", &c.version);
    let list = |v: &[String]| Node::Seq(v.iter().map(|x| Node::string(x.as_str())).collect());
    if !c.additional_values_files.is_empty() {
        m.insert("additionalValuesFiles", list(&c.additional_values_files));
    }
    if !c.api_versions.is_empty() {
        m.insert("apiVersions", list(&c.api_versions));
    }
    for (k, b) in [("debug", c.debug), ("includeCRDs", c.include_crds), ("skipHooks", c.skip_hooks), ("skipTests", c.skip_tests)] {
        if b {
            m.insert(k, Node::plain("true"));
        }
    }
    if let Some(v) = &c.values_inline {
        if !v.is_empty() {
            m.insert("valuesInline", Node::Map(v.clone()));
        }
    }
    let mut m = m;
    m.entries.sort_by(|a, b| a.key.cmp(&b.key));
    if m.is_empty() {
        return "{}\n".to_string();
    }
    crate::yaml::to_string(&Node::Map(m))
}

/// The error kustomize reports when configuring the chart of a kustomization's `helmCharts`
/// fails (a `generators:` config reports the bare error).
pub fn config_error(globals: &HelmGlobals, chart: &HelmChart, e: Error) -> Error {
    let msg = format!(
        "trouble configuring builtin HelmChartInflationGenerator with config: `\n{}`: {}",
        config_yaml(globals, chart),
        e.message()
    );
    let mut n = Error::new(e.kind(), msg);
    if let Some(p) = e.path() {
        n = n.with_path(p);
    }
    n
}

/// kustomize's `Config` + `validateArgs` for one chart. `load` reads a file relative to the
/// kustomization root (under its load restriction); `root` is that root.
pub fn configure(
    globals: &HelmGlobals,
    chart: &HelmChart,
    settings: HelmSettings<'_>,
    root: &str,
    load: &dyn Fn(&str) -> Result<Vec<u8>>,
) -> Result<HelmInflation> {
    if !settings.enabled {
        return Err(err!(Kustomization, "must specify --enable-helm"));
    }
    if settings.command.is_empty() {
        return Err(err!(Kustomization, "must specify --helm-command"));
    }
    let mut c = chart.clone();
    if c.name.is_empty() {
        return Err(err!(Kustomization, "chart name cannot be empty"));
    }
    let chart_home = if globals.chart_home.is_empty() { "charts".to_string() } else { globals.chart_home.clone() };
    let mut inf = HelmInflation { chart: c.clone(), chart_home, config_home: globals.config_home.clone(), root: root.to_string() };
    if c.values_file.is_empty() {
        c.values_file = go_join(&go_join(&inf.abs_chart_home(), &c.name), "values.yaml");
    }
    for f in c.additional_values_files.iter_mut() {
        if let Err(e) = load(f) {
            return Err(err!(Kustomization, "could not load additionalValuesFile: {}", e.message()));
        }
        *f = go_join(root, f);
    }
    if c.values_merge.is_empty() {
        c.values_merge = "override".to_string();
    } else if !LEGAL_MERGE.contains(&c.values_merge.as_str()) {
        return Err(err!(Kustomization, "valuesMerge must be one of [merge override replace]"));
    }
    inf.chart = c;
    Ok(inf)
}

impl HelmInflation {
    /// kustomize's `absChartHome`: the chart home under the root, plus `{name}-{version}` when
    /// both a version and a repo are given.
    pub fn abs_chart_home(&self) -> String {
        let home = if self.chart_home.starts_with('/') { self.chart_home.clone() } else { go_join(&self.root, &self.chart_home) };
        if !self.chart.version.is_empty() && !self.chart.repo.is_empty() {
            return go_join(&home, &format!("{}-{}", self.chart.name, self.chart.version));
        }
        home
    }

    /// The arguments of `helm pull`.
    pub fn pull_args(&self) -> Vec<String> {
        let c = &self.chart;
        let mut a = vec!["pull".to_string(), "--untar".to_string(), "--untardir".to_string(), self.abs_chart_home()];
        if c.repo.starts_with("oci://") {
            a.push(format!("{}/{}", c.repo.strip_suffix('/').unwrap_or(&c.repo), c.name));
        } else {
            if !c.repo.is_empty() {
                a.push("--repo".into());
                a.push(c.repo.clone());
            }
            a.push(c.name.clone());
        }
        if !c.version.is_empty() {
            a.push("--version".into());
            a.push(c.version.clone());
        }
        a
    }

    /// The arguments of `helm template` (kustomize's `AsHelmArgs`), with `values_file` as the
    /// values file given to helm.
    pub fn template_args(&self, values_file: &str) -> Vec<String> {
        let c = &self.chart;
        let mut a = vec!["template".to_string()];
        if c.release_name.is_empty() {
            a.push("--generate-name".into());
        } else {
            a.push(c.release_name.clone());
        }
        if !c.name.is_empty() {
            a.push(go_join(&self.abs_chart_home(), &c.name));
        }
        let mut pair = |f: &str, v: &str| {
            a.push(f.to_string());
            a.push(v.to_string());
        };
        if !c.namespace.is_empty() {
            pair("--namespace", &c.namespace);
        }
        if !c.name_template.is_empty() {
            pair("--name-template", &c.name_template);
        }
        if !values_file.is_empty() {
            pair("-f", values_file);
        }
        for f in &c.additional_values_files {
            pair("-f", f);
        }
        for v in &c.api_versions {
            pair("--api-versions", v);
        }
        if !c.kube_version.is_empty() {
            pair("--kube-version", &c.kube_version);
        }
        for (b, flag) in [(c.include_crds, "--include-crds"), (c.skip_tests, "--skip-tests"), (c.skip_hooks, "--no-hooks"), (c.debug, "--debug")] {
            if b {
                a.push(flag.to_string());
            }
        }
        a
    }

    /// The values to give helm: the values file as is, or `valuesInline` merged with it
    /// (`override`: inline wins; `merge`: the file wins) or replacing it.
    pub fn values_bytes(&self, load: &dyn Fn(&str) -> Result<Vec<u8>>) -> Result<Vec<u8>> {
        let c = &self.chart;
        let inline = c.values_inline.as_ref().filter(|m| !m.is_empty());
        let Some(inline) = inline else {
            return load(&c.values_file);
        };
        let mut out = Node::Map(inline.clone());
        if c.values_merge == "merge" || c.values_merge == "override" {
            let text = String::from_utf8(load(&c.values_file)?)
                .map_err(|_| err!(Yaml, "values file is not valid UTF-8").with_path(c.values_file.clone()))?;
            let file = crate::yaml::load_one(&text)
                .map_err(|e| err!(Yaml, "could not parse values file into rnode: {}", e.message()))?
                .unwrap_or_else(|| Node::Map(Mapping::new()));
            let inline = Node::Map(inline.clone());
            let (mut dest, patch) = if c.values_merge == "override" { (file, inline) } else { (inline, file) };
            crate::patch::merge_patch(&mut dest, &patch, None)
                .map_err(|e| err!(Kustomization, "could not merge values: {}", e.message()))?;
            out = dest;
        }
        sort_keys(&mut out);
        let text = match &out {
            Node::Map(m) if m.is_empty() => "{}\n".to_string(),
            Node::Map(_) => crate::yaml::to_string(&out),
            _ => return Err(err!(Kustomization, "could not parse merged values into map")),
        };
        Ok(text.into_bytes())
    }
}

/// Go maps marshal with sorted keys.
fn sort_keys(n: &mut Node) {
    match n {
        Node::Map(m) => {
            m.entries.sort_by(|a, b| a.key.cmp(&b.key));
            for e in m.entries.iter_mut() {
                sort_keys(&mut e.value);
            }
        }
        Node::Seq(s) => s.iter_mut().for_each(sort_keys),
        _ => {}
    }
}

/// Parses helm's output into resources.
pub fn parse_output(stdout: &str) -> Result<Vec<Resource>> {
    match crate::resource::resources_from_str(stdout) {
        Ok(rs) => Ok(rs),
        Err(first) => {
            // helm may print messages before the first document separator.
            if let Some(i) = stdout.find("\n---") {
                if let Ok(rs) = crate::resource::resources_from_str(&stdout[i + 1..]) {
                    if !rs.is_empty() {
                        return Ok(rs);
                    }
                }
            }
            Err(err!(Kustomization, "could not parse bytes into resource map: {}", first.message()))
        }
    }
}

#[cfg(target_arch = "wasm32")]
pub fn generate(_inf: &HelmInflation, _settings: HelmSettings<'_>, _load: &dyn Fn(&str) -> Result<Vec<u8>>) -> Result<Vec<Resource>> {
    Err(err!(Unsupported, "helm chart inflation is not supported on wasm (it runs the helm binary)"))
}

#[cfg(not(target_arch = "wasm32"))]
pub use native::generate;

#[cfg(not(target_arch = "wasm32"))]
mod native {
    use super::*;
    use std::path::Path;
    use std::process::Command;

    /// A temp dir removed when dropped (kustomize's `cleanup`).
    struct TmpDir(String);

    impl TmpDir {
        fn new() -> Result<TmpDir> {
            use std::sync::atomic::{AtomicU64, Ordering};
            static N: AtomicU64 = AtomicU64::new(0);
            let base = std::env::temp_dir();
            let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.subsec_nanos()).unwrap_or(0);
            for _ in 0..100 {
                let n = N.fetch_add(1, Ordering::Relaxed);
                let seed = (std::process::id() as u64) << 32 ^ nanos as u64 ^ n.wrapping_mul(0x9E37_79B9_7F4A_7C15);
                let p = base.join(format!("kustomize-helm-{}", seed % 10_000_000_000));
                match std::fs::create_dir(&p) {
                    Ok(()) => return Ok(TmpDir(p.to_string_lossy().into_owned())),
                    Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
                    Err(e) => return Err(err!(External, "unable to create tmp dir for HELM_CONFIG_HOME: {}", e)),
                }
            }
            Err(err!(External, "unable to create tmp dir for HELM_CONFIG_HOME"))
        }
    }

    impl Drop for TmpDir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    struct Runner<'a> {
        command: &'a str,
        env: [(String, String); 3],
    }

    impl Runner<'_> {
        fn run(&self, args: &[String]) -> Result<Vec<u8>> {
            let mut cmd = Command::new(self.command);
            cmd.args(args);
            for (k, v) in &self.env {
                cmd.env(k, v);
            }
            let env_text = self.env.iter().map(|(k, v)| format!("{}={}", k, v)).collect::<Vec<_>>().join(" ");
            let fail = |why: String, stderr: &str, stdout: &[u8]| {
                let mut prefix = stderr.to_string();
                if args.iter().any(|a| a == "--debug") {
                    prefix = format!(" Helm stack trace:\n{}\nHelm template:\n{}\n", stderr, String::from_utf8_lossy(stdout));
                }
                let msg = format!(
                    "unable to run: '{} {}' with env=[{}] (is '{}' installed?): {}",
                    self.command,
                    args.join(" "),
                    env_text,
                    self.command,
                    why
                );
                let msg = if prefix.is_empty() { msg } else { format!("{}: {}", prefix, msg) };
                Error::new(crate::ErrorKind::External, msg)
            };
            let out = match cmd.output() {
                Ok(o) => o,
                Err(e) => {
                    let why = if e.kind() == std::io::ErrorKind::NotFound {
                        if self.command.contains('/') {
                            format!("fork/exec {}: no such file or directory", self.command)
                        } else {
                            format!("exec: \"{}\": executable file not found in $PATH", self.command)
                        }
                    } else if e.kind() == std::io::ErrorKind::PermissionDenied {
                        format!("fork/exec {}: permission denied", self.command)
                    } else {
                        format!("fork/exec {}: {}", self.command, e)
                    };
                    return Err(fail(why, "", &[]));
                }
            };
            if !out.status.success() {
                let why = match out.status.code() {
                    Some(c) => format!("exit status {}", c),
                    None => "signal: killed".to_string(),
                };
                return Err(fail(why, &String::from_utf8_lossy(&out.stderr), &out.stdout));
            }
            Ok(out.stdout)
        }
    }

    /// kustomize's `Generate`: runs helm and returns the resources it renders.
    pub fn generate(inf: &HelmInflation, settings: HelmSettings<'_>, load: &dyn Fn(&str) -> Result<Vec<u8>>) -> Result<Vec<Resource>> {
        let tmp = TmpDir::new()?;
        let config_home = if inf.config_home.is_empty() { format!("{}/helm", tmp.0) } else { inf.config_home.clone() };
        let runner = Runner {
            command: settings.command,
            env: [
                ("HELM_CONFIG_HOME".to_string(), config_home.clone()),
                ("HELM_CACHE_HOME".to_string(), format!("{}/.cache", config_home)),
                ("HELM_DATA_HOME".to_string(), format!("{}/.data", config_home)),
            ],
        };
        check_version(&runner)?;
        let chart_dir = go_join(&inf.abs_chart_home(), &inf.chart.name);
        if !Path::new(&chart_dir).is_dir() {
            if inf.chart.repo.is_empty() {
                // kustomize reports the path its existence check returned: empty when nothing
                // is there.
                let shown = if Path::new(&chart_dir).exists() { chart_dir.as_str() } else { "" };
                return Err(err!(Kustomization, "no repo specified for pull, no chart found at '{}'", shown));
            }
            runner.run(&inf.pull_args())?;
        }
        let values = inf.values_bytes(load)?;
        let values_path = format!("{}/{}-kustomize-values.yaml", tmp.0, inf.chart.name);
        std::fs::write(&values_path, values).map_err(|e| err!(External, "failed to write values file: {}", e))?;
        let stdout = runner.run(&inf.template_args(&values_path))?;
        let text = String::from_utf8(stdout).map_err(|_| err!(Yaml, "helm output is not valid UTF-8"))?;
        parse_output(&text)
    }

    fn check_version(runner: &Runner) -> Result<()> {
        let out = runner.run(&["version".to_string(), "-c".to_string(), "--short".to_string()])?;
        let text = String::from_utf8_lossy(&out);
        let v = find_version(&text).ok_or_else(|| err!(External, "cannot find version string in {}", text))?;
        let v = v.strip_prefix('v').unwrap_or(v);
        let major = v.split('.').next().unwrap_or("");
        if major != "3" {
            return Err(err!(External, "this plugin requires helm V3 but got v{}", v));
        }
        Ok(())
    }

    /// The first match of `v?\d+(\.\d+)+`.
    fn find_version(s: &str) -> Option<&str> {
        let b = s.as_bytes();
        let mut i = 0;
        while i < b.len() {
            if b[i].is_ascii_digit() {
                let start = if i > 0 && b[i - 1] == b'v' { i - 1 } else { i };
                let mut j = i;
                while j < b.len() && b[j].is_ascii_digit() {
                    j += 1;
                }
                let mut end = j;
                let mut groups = 0;
                while end + 1 < b.len() && b[end] == b'.' && b[end + 1].is_ascii_digit() {
                    end += 1;
                    while end < b.len() && b[end].is_ascii_digit() {
                        end += 1;
                    }
                    groups += 1;
                }
                if groups > 0 {
                    return Some(&s[start..end]);
                }
                i = j;
            } else {
                i += 1;
            }
        }
        None
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
#[path = "helm_tests.rs"]
mod tests;
