//! KRM functions run as executables (kustomize's fn plugins with `exec:`, run by kyaml's
//! `runfn`): a plugin config annotated `config.kubernetes.io/function` with `exec: {path: ...}`.
//!
//! The function reads a `config.kubernetes.io/v1` ResourceList (`items`, `functionConfig`) on
//! stdin and writes one on stdout. Items are sent with an index annotation; returned items that
//! carry one get back the build state (previous ids, prefixes, origin, ...) of the resource
//! sent at that index, the others are new. The annotations are stripped from the result, and
//! returned items marked `config.kubernetes.io/local-config` are dropped (as kustomize's
//! resource factory drops them). The path is relative to the kustomization directory, which
//! is the function's working directory.

use crate::error::{err, Result};
use crate::resource::{Behavior, Resource, ResourceList};
use crate::yaml::{Mapping, Node};

const FUNCTION_ANNOTATIONS: &[&str] = &["config.kubernetes.io/function", "config.k8s.io/function"];
const INDEX_ANNOTATION: &str = "config.kubernetes.io/index";
const INTERNAL_INDEX_ANNOTATION: &str = "internal.config.kubernetes.io/index";
/// Annotations kyaml and kustomize add to items for a function, removed from what it returns.
const STRIPPED: &[&str] = &[
    INDEX_ANNOTATION,
    INTERNAL_INDEX_ANNOTATION,
    "config.kubernetes.io/path",
    "internal.config.kubernetes.io/path",
    "config.k8s.io/id",
    "internal.config.kubernetes.io/id",
    "internal.config.kubernetes.io/annotations-migration-resource-id",
    "internal.config.kubernetes.io/seqindent",
    "kustomize.config.k8s.io/id",
];
const LOCAL_CONFIG: &str = "config.kubernetes.io/local-config";

/// What a config's function annotation asks for.
#[derive(Clone, Debug, PartialEq)]
pub enum FunctionSpec {
    Exec(String),
    /// A container or starlark function (not supported).
    Other,
}

/// The function a config's `config.kubernetes.io/function` annotation names, if any.
pub fn function_spec(r: &Resource) -> Result<Option<FunctionSpec>> {
    let Some(text) = FUNCTION_ANNOTATIONS.iter().find_map(|k| r.annotation(k)) else { return Ok(None) };
    let docs = crate::yaml::load_documents(text).map_err(|e| err!(Kustomization, "loader: failed to get FunctionSpec: {}", e.message()))?;
    let Some(m) = docs.first().and_then(Node::as_map) else { return Ok(None) };
    if let Some(p) = m.get("exec").and_then(Node::as_map).and_then(|e| e.get("path")).and_then(Node::as_str) {
        if !p.is_empty() {
            return Ok(Some(FunctionSpec::Exec(p.to_string())));
        }
    }
    if m.get("container").is_some() || m.get("starlark").is_some() {
        return Ok(Some(FunctionSpec::Other));
    }
    Ok(None)
}

/// A configured exec function.
#[derive(Clone, Debug)]
pub struct ExecFunction {
    /// The executable, as written in the config.
    pub path: String,
    /// The working directory (the kustomization's).
    pub dir: String,
    /// The config, sent as `functionConfig` (with the local-config annotation).
    pub config: Node,
    /// `api: ..., kind: ..., name: ...` for errors.
    pub name: String,
    /// `--enable-exec`: without it the function is skipped, as kustomize skips it.
    pub enabled: bool,
}

impl ExecFunction {
    pub fn new(r: &Resource, path: &str, dir: &str, enabled: bool) -> Self {
        let mut config = r.node.clone();
        if let Some(m) = config.as_map_mut() {
            m.get_or_insert_map("metadata").get_or_insert_map("annotations").insert(LOCAL_CONFIG, Node::string("true"));
        }
        ExecFunction {
            path: path.to_string(),
            dir: dir.to_string(),
            config,
            name: format!("api: {}, kind: {}, name: {}", r.api_version(), r.kind(), r.name()),
            enabled,
        }
    }

    /// Runs the function as a transformer: its items replace the resources.
    pub fn transform(&self, list: &mut ResourceList) -> Result<()> {
        if !self.enabled {
            return Ok(());
        }
        let mut items = Vec::new();
        for (i, r) in list.iter().enumerate() {
            let mut n = r.node.clone();
            if let Some(m) = n.as_map_mut() {
                let a = m.get_or_insert_map("metadata").get_or_insert_map("annotations");
                a.insert(INDEX_ANNOTATION, Node::string(i.to_string()));
                a.insert(INTERNAL_INDEX_ANNOTATION, Node::string(i.to_string()));
            }
            items.push(n);
        }
        let out = self.run(items)?;
        let mut old: Vec<Option<Resource>> = list.take_items().into_iter().map(Some).collect();
        let mut kept: Vec<(usize, Resource)> = Vec::new();
        let mut added = Vec::new();
        for mut n in out {
            let idx = index_of(&n);
            strip(&mut n);
            if is_local(&n) {
                continue;
            }
            match idx.and_then(|i| old.get_mut(i)).and_then(Option::take) {
                Some(mut r) => {
                    r.node = n;
                    kept.push((idx.unwrap_or(0), r));
                }
                None => added.push(Resource::new(n)),
            }
        }
        kept.sort_by_key(|(i, _)| *i);
        let mut result = ResourceList::new();
        for r in kept.into_iter().map(|(_, r)| r).chain(added) {
            let id = r.cur_id();
            result
                .append(r)
                .map_err(|_| err!(Transform, "plugin {} generated duplicate resource: {}", self.name, id))?;
        }
        *list = result;
        Ok(())
    }

    /// Runs the function as a generator: it gets its config as the only item; what it returns
    /// (but local configs) is generated.
    pub fn generate(&self) -> Result<Vec<Resource>> {
        if !self.enabled {
            return Ok(Vec::new());
        }
        let out = self.run(vec![self.config.clone()])?;
        let mut res = Vec::new();
        for mut n in out {
            strip(&mut n);
            if is_local(&n) {
                continue;
            }
            let mut r = Resource::new(n);
            let behavior = r.annotation("kustomize.config.k8s.io/behavior").map(str::to_string);
            let hash = r.annotation("kustomize.config.k8s.io/needs-hash").map(str::to_string);
            if let Some(h) = &hash {
                r.needs_hash = match h.as_str() {
                    "true" | "True" | "TRUE" | "1" | "t" | "T" => true,
                    "false" | "False" | "FALSE" | "0" | "f" | "F" => false,
                    _ => {
                        return Err(err!(
                            Kustomization,
                            "the annotation \"kustomize.config.k8s.io/needs-hash\" contains an invalid value ({:?})",
                            h
                        ))
                    }
                };
            }
            r.behavior = match behavior.as_deref() {
                Some("create") => Behavior::Create,
                Some("replace") => Behavior::Replace,
                Some("merge") => Behavior::Merge,
                _ => Behavior::Unspecified,
            };
            remove_annotations(&mut r.node, &["kustomize.config.k8s.io/behavior", "kustomize.config.k8s.io/needs-hash"]);
            res.push(r);
        }
        Ok(res)
    }

    /// Sends `items` in a ResourceList, returns the items of the ResourceList written back.
    fn run(&self, items: Vec<Node>) -> Result<Vec<Node>> {
        let mut rl = Mapping::new();
        rl.insert("apiVersion", Node::string("config.kubernetes.io/v1"));
        rl.insert("kind", Node::string("ResourceList"));
        rl.insert("items", Node::Seq(items));
        rl.insert("functionConfig", self.config.clone());
        let input = crate::yaml::to_string_stream(std::iter::once(&Node::Map(rl)))?;
        let output = run_command(&self.path, &self.dir, input.as_bytes())
            .map_err(|e| err!(Transform, "couldn't execute function: {}", e))?;
        let text = String::from_utf8(output).map_err(|_| err!(Transform, "couldn't execute function: output is not valid UTF-8"))?;
        let docs = crate::yaml::load_documents(&text)?;
        let mut out = Vec::new();
        for d in docs {
            let Some(m) = d.as_map() else { continue };
            if m.get("kind").and_then(Node::as_str) == Some("ResourceList") {
                if let Some(Node::Seq(s)) = m.get("items") {
                    out.extend(s.iter().cloned());
                }
            } else if !m.is_empty() {
                out.push(d.clone());
            }
        }
        Ok(out)
    }
}

fn index_of(n: &Node) -> Option<usize> {
    let a = n.as_map()?.get("metadata")?.as_map()?.get("annotations")?.as_map()?;
    a.get(INTERNAL_INDEX_ANNOTATION).or_else(|| a.get(INDEX_ANNOTATION))?.as_str()?.trim().parse().ok()
}

fn is_local(n: &Node) -> bool {
    let v = (|| n.as_map()?.get("metadata")?.as_map()?.get("annotations")?.as_map()?.get(LOCAL_CONFIG)?.as_str())();
    matches!(v, Some(v) if v != "false")
}

fn strip(n: &mut Node) {
    remove_annotations(n, STRIPPED);
}

fn remove_annotations(n: &mut Node, keys: &[&str]) {
    let Some(md) = n.as_map_mut().and_then(|m| m.get_mut("metadata")).and_then(Node::as_map_mut) else { return };
    let emptied = match md.get_mut("annotations") {
        Some(Node::Map(a)) => {
            let before = a.len();
            for k in keys {
                a.remove(k);
            }
            a.is_empty() && before > 0
        }
        _ => false,
    };
    if emptied {
        md.remove("annotations");
    }
}

#[cfg(not(target_arch = "wasm32"))]
fn run_command(path: &str, dir: &str, input: &[u8]) -> std::result::Result<Vec<u8>, String> {
    use std::io::Write;
    use std::process::{Command, Stdio};
    if dir.is_empty() {
        return Err("no working directory set for exec function".into());
    }
    let abs = std::fs::canonicalize(dir).map_err(|e| format!("{}: {}", dir, e))?;
    let dir = abs.to_string_lossy().into_owned();
    let dir = dir.as_str();
    if dir == "/" {
        return Err("root working directory '/' not allowed".into());
    }
    let exe = if std::path::Path::new(path).is_absolute() || !path.contains('/') {
        std::path::PathBuf::from(path)
    } else {
        std::path::Path::new(dir).join(path)
    };
    let mut child = Command::new(&exe)
        .current_dir(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("fork/exec {}: {}", path, e))?;
    let mut stdin = child.stdin.take();
    let input = input.to_vec();
    let writer = std::thread::spawn(move || {
        if let Some(s) = stdin.as_mut() {
            let _ = s.write_all(&input);
        }
        drop(stdin);
    });
    let out = child.wait_with_output().map_err(|e| e.to_string())?;
    let _ = writer.join();
    if !out.status.success() {
        let status = match out.status.code() {
            Some(c) => format!("exit status {}", c),
            None => "signal: killed".to_string(),
        };
        let stderr = String::from_utf8_lossy(&out.stderr);
        let stderr = stderr.trim_end();
        return Err(if stderr.is_empty() { status } else { format!("{}: {}", status, stderr) });
    }
    Ok(out.stdout)
}

#[cfg(target_arch = "wasm32")]
fn run_command(_path: &str, _dir: &str, _input: &[u8]) -> std::result::Result<Vec<u8>, String> {
    Err("exec functions are not supported in this build".into())
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use crate::{build, DiskFs, Options};

    /// A temp dir with a kustomization using an exec function that adds a label to every item.
    fn setup(name: &str, kust: &str, script: &str) -> Option<std::path::PathBuf> {
        if !std::path::Path::new("/bin/sh").exists() {
            return None;
        }
        let dir = std::env::temp_dir().join(format!("rustomize-exec-{}-{}", name, std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let w = |f: &str, s: &str| std::fs::write(dir.join(f), s).unwrap();
        w("kustomization.yaml", kust);
        w(
            "cm.yaml",
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  k: v\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: s\nspec:\n  ports:\n  - port: 80\n",
        );
        w(
            "t.yaml",
            "apiVersion: example.com/v1\nkind: AddLabel\nmetadata:\n  name: lab\n  annotations:\n    config.kubernetes.io/function: |\n      exec:\n        path: ./fn.sh\nspec:\n  x: 1\n",
        );
        w("fn.sh", script);
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir.join("fn.sh"), std::fs::Permissions::from_mode(0o755)).unwrap();
        Some(dir)
    }

    const ADD_LABEL: &str = "#!/bin/sh\nawk '{print} /^  metadata:$/ {print \"    labels:\"; print \"      added: \\\"yes\\\"\"}'\n";

    fn opts(alpha: bool, exec: bool) -> Options {
        let mut o = Options::new();
        o.enable_alpha_plugins = alpha;
        o.enable_exec = exec;
        o
    }

    #[test]
    fn exec_transformer_adds_label() {
        let kust = "resources:\n- cm.yaml\nnamePrefix: p-\ntransformers:\n- t.yaml\n";
        let Some(dir) = setup("tr", kust, ADD_LABEL) else { return };
        let d = dir.to_str().unwrap();
        // Reference: kubectl kustomize on the same resources carrying the label.
        let want = "apiVersion: v1\ndata:\n  k: v\nkind: ConfigMap\nmetadata:\n  labels:\n    added: \"yes\"\n  name: p-a\n---\napiVersion: v1\nkind: Service\nmetadata:\n  labels:\n    added: \"yes\"\n  name: p-s\nspec:\n  ports:\n  - port: 80\n";
        assert_eq!(build(&DiskFs, d, &opts(true, true)).unwrap(), want);
        // Without --enable-exec kustomize skips the function (kubectl's output).
        let skipped = "apiVersion: v1\ndata:\n  k: v\nkind: ConfigMap\nmetadata:\n  name: p-a\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: p-s\nspec:\n  ports:\n  - port: 80\n";
        assert_eq!(build(&DiskFs, d, &opts(true, false)).unwrap(), skipped);
        let e = build(&DiskFs, d, &opts(false, false)).unwrap_err();
        assert!(e.message().contains("external plugins disabled; unable to load external plugin 'AddLabel'"), "{}", e);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn exec_generator_and_failure() {
        // The generator gets its config as the only item (marked local-config, so dropped) and
        // returns a new ConfigMap.
        let gen = "#!/bin/sh\ncat >/dev/null\nprintf 'apiVersion: config.kubernetes.io/v1\\nkind: ResourceList\\nitems:\\n- apiVersion: v1\\n  kind: ConfigMap\\n  metadata:\\n    name: made\\n  data:\\n    x: \"1\"\\n'\n";
        let kust = "resources:\n- cm.yaml\ngenerators:\n- t.yaml\n";
        let Some(dir) = setup("gen", kust, gen) else { return };
        let d = dir.to_str().unwrap();
        let out = build(&DiskFs, d, &opts(true, true)).unwrap();
        // Legacy order: ConfigMaps a and made, then the Service.
        assert!(out.contains("  name: a\n---\napiVersion: v1\ndata:\n  x: \"1\"\nkind: ConfigMap\nmetadata:\n  name: made\n---\n"), "{}", out);
        std::fs::write(dir.join("fn.sh"), "#!/bin/sh\necho boom >&2\nexit 3\n").unwrap();
        let e = build(&DiskFs, d, &opts(true, true)).unwrap_err();
        assert!(e.message().contains("couldn't execute function: exit status 3: boom"), "{}", e);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
