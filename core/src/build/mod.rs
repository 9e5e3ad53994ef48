//! The build: options, the entry points, and the steps done once at the root.

mod cache;
mod loader;
mod par;
mod remote;
mod target;

pub use loader::{LoadRestrictor, Loader, KUSTOMIZATION_FILE_NAMES};
pub(crate) use par::{chunks_for, cores, each_chunk, first_error, map_chunked, redo_in_order, spawn_scoped};
pub(crate) use loader::decode_text;
pub use target::Rendered;

use crate::error::{err, Result};
use crate::fs::FileSystem;
use crate::resource::ResourceList;
use std::sync::Arc;

/// Final resource order (`--reorder`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Reorder {
    /// Not given: legacy order unless the kustomization has `sortOptions`.
    #[default]
    Unspecified,
    Legacy,
    None,
}

/// Build options: kustomize build's flags.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Options {
    pub load_restrictor: LoadRestrictor,
    pub reorder: Reorder,
    /// `--enable-managedby-label`.
    pub add_managed_by_label: bool,
    /// `--enable-helm`.
    pub enable_helm: bool,
    /// `--helm-command`.
    pub helm_command: Option<String>,
    /// `--enable-alpha-plugins`.
    pub enable_alpha_plugins: bool,
    /// `--enable-exec`.
    pub enable_exec: bool,
}

impl Options {
    pub fn new() -> Self {
        Options::default()
    }

    /// Parses kustomize build's flags (`--reorder none`, `--load-restrictor=...`, ...).
    /// Positional arguments are not accepted here.
    pub fn from_flags<S: AsRef<str>>(flags: &[S]) -> Result<Options> {
        let mut o = Options::default();
        let mut i = 0;
        while i < flags.len() {
            let raw = flags[i].as_ref();
            let (name, inline) = match raw.split_once('=') {
                Some((n, v)) if n.starts_with("--") => (n, Some(v.to_string())),
                _ => (raw, None),
            };
            let value = |i: &mut usize| -> Result<String> {
                if let Some(v) = &inline {
                    return Ok(v.clone());
                }
                *i += 1;
                flags.get(*i).map(|s| s.as_ref().to_string()).ok_or_else(|| err!(Usage, "flag needs an argument: {}", name))
            };
            match name {
                "--load-restrictor" | "--load_restrictor" => {
                    o.load_restrictor = match value(&mut i)?.as_str() {
                        "LoadRestrictionsRootOnly" | "rootOnly" => LoadRestrictor::RootOnly,
                        "LoadRestrictionsNone" | "none" => LoadRestrictor::None,
                        v => return Err(err!(Usage, "illegal flag value --load-restrictor {}; legal values: [LoadRestrictionsRootOnly LoadRestrictionsNone]", v)),
                    }
                }
                "--reorder" => {
                    o.reorder = match value(&mut i)?.as_str() {
                        "legacy" => Reorder::Legacy,
                        "none" => Reorder::None,
                        v => return Err(err!(Usage, "illegal flag value --reorder {}; legal values: [legacy none]", v)),
                    }
                }
                "--enable-managedby-label" => o.add_managed_by_label = parse_bool_flag(inline.as_deref(), name)?,
                "--enable-helm" => o.enable_helm = parse_bool_flag(inline.as_deref(), name)?,
                "--helm-command" => o.helm_command = Some(value(&mut i)?),
                "--enable-alpha-plugins" => o.enable_alpha_plugins = parse_bool_flag(inline.as_deref(), name)?,
                "--enable-exec" => o.enable_exec = parse_bool_flag(inline.as_deref(), name)?,
                _ => return Err(err!(Usage, "unknown flag: {}", raw)),
            }
            i += 1;
        }
        Ok(o)
    }
}

fn parse_bool_flag(v: Option<&str>, name: &str) -> Result<bool> {
    match v {
        None | Some("true") | Some("1") | Some("t") | Some("T") | Some("TRUE") | Some("True") => Ok(true),
        Some("false") | Some("0") | Some("f") | Some("F") | Some("FALSE") | Some("False") => Ok(false),
        Some(x) => Err(err!(Usage, "invalid argument {:?} for {}", x, name)),
    }
}

/// Builds the kustomization at `dir` and returns the resources, in output order.
pub fn build_resources(fs: &dyn FileSystem, dir: &str, options: &Options) -> Result<ResourceList> {
    Ok(render(fs, dir, options)?.resources)
}

/// Builds the kustomization at `dir`: the resources and the warnings kustomize would print.
/// A panic inside the build (a bug) is returned as an error of kind `Internal`.
pub fn render(fs: &dyn FileSystem, dir: &str, options: &Options) -> Result<Rendered> {
    render_with(fs, dir, options, None)
}

fn render_with(fs: &dyn FileSystem, dir: &str, options: &Options, cache: Option<Arc<cache::SharedCache>>) -> Result<Rendered> {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| target::run(fs, dir, options, cache))) {
        Ok(r) => r,
        Err(p) => {
            let msg = p
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| p.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".to_string());
            Err(err!(Internal, "internal error (please report): {}", msg).with_path(dir))
        }
    }
}

/// Builds the kustomization at `dir` and returns the YAML stream kustomize prints.
pub fn build(fs: &dyn FileSystem, dir: &str, options: &Options) -> Result<String> {
    let list = build_resources(fs, dir, options)?;
    let out = crate::yaml::to_string_stream_parallel(&list.iter().map(|r| &r.node).collect::<Vec<_>>());
    par::drop_chunked(list.into_vec());
    out
}

/// Builds many kustomization roots in parallel, on every core, and returns the YAML streams in
/// the order of `dirs`; one failing root does not stop the others. The builds share parsed
/// files: a base or component used by several roots is read by each build but parsed once.
///
/// ```
/// use rustomize::{build_many, MemFs, Options};
///
/// let mut fs = MemFs::new();
/// fs.add("base/kustomization.yaml", "resources: [cm.yaml]\n");
/// fs.add("base/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\n");
/// fs.add("dev/kustomization.yaml", "resources: [../base]\nnamePrefix: dev-\n");
/// fs.add("prod/kustomization.yaml", "resources: [../base]\nnamePrefix: prod-\n");
/// let out = build_many(&fs, &["/dev", "/prod", "/missing"], &Options::default());
/// assert!(out[0].as_ref().unwrap().contains("name: dev-cfg"));
/// assert!(out[1].as_ref().unwrap().contains("name: prod-cfg"));
/// assert!(out[2].is_err());
/// ```
pub fn build_many<S: AsRef<str> + Sync>(fs: &dyn FileSystem, dirs: &[S], options: &Options) -> Vec<Result<String>> {
    let jobs = par::cores();
    build_many_with_jobs(fs, dirs, options, jobs)
}

/// [`build_many`] on at most `jobs` threads (`0` means one).
pub fn build_many_with_jobs<S: AsRef<str> + Sync>(fs: &dyn FileSystem, dirs: &[S], options: &Options, jobs: usize) -> Vec<Result<String>> {
    render_many_with_jobs(fs, dirs, options, jobs)
        .into_iter()
        .map(|r| r.and_then(|r| crate::yaml::to_string_stream(r.resources.iter().map(|r| &r.node))))
        .collect()
}

/// [`render`] for many roots in parallel (see [`build_many`]): resources and warnings of each,
/// in the order of `dirs`.
pub fn render_many_with_jobs<S: AsRef<str> + Sync>(fs: &dyn FileSystem, dirs: &[S], options: &Options, jobs: usize) -> Vec<Result<Rendered>> {
    let cache = Arc::new(cache::SharedCache::for_batch());
    let helpers = jobs.clamp(1, dirs.len().max(1)) - 1;
    par::map_on_threads(dirs, helpers, |d| render_with(fs, d.as_ref(), options, Some(cache.clone())))
}
