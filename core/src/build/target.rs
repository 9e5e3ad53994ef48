//! One kustomization (kustomize's KustTarget): load it, accumulate its resources, bases and
//! components, run its transformers; and, at the root only, the final steps.

use super::loader::Loader;
use super::{Options, Reorder};
use crate::error::{err, Error, Result};
use crate::fieldspec::Config;
use crate::fs::{self, FileSystem};
use crate::generate;
use crate::kustomization::{self, Kustomization, KustomizationKind};
use crate::resource::{resources_from_str, Origin, ResId, Gvk, Resource, ResourceList};
use crate::transform::{self, Transformer};
use crate::yaml::Node;
use std::borrow::Cow;

/// What a build produced: the resources in output order and the warnings kustomize would
/// print on stderr.
#[derive(Clone, Debug, Default)]
pub struct Rendered {
    pub resources: ResourceList,
    pub warnings: Vec<String>,
}

/// What one `resources:` entry gave (see `Target::collect_resource`).
enum Collected<'p> {
    /// A file's resources; `path` as the entry names it (its absolute path, for messages, is
    /// `Target::file_abs`).
    File { resources: Vec<Resource>, path: &'p str },
    Dir { acc: Accumulator, path: &'p str },
}

/// Resources and field-spec configuration gathered so far (kustomize's ResAccumulator).
struct Accumulator {
    resources: ResourceList,
    /// Borrowed: exactly kustomize's default field specs, shared (most kustomizations have no
    /// `configurations:` or `crds:`, and merging the defaults into an empty config or into
    /// themselves gives the defaults: fieldspec's unit tests check it).
    config: Cow<'static, Config>,
    /// Legacy `vars` merged so far (kustomize's VarSet), defaulted.
    vars: Vec<kustomization::Var>,
}

impl Accumulator {
    /// An empty accumulator; its field-spec config is empty until the kustomization's own
    /// config (defaults plus `configurations:`) is merged in after its resources, as in
    /// kustomize, where that order decides which of two overlapping specs survives.
    fn new() -> Self {
        Accumulator { resources: ResourceList::new(), config: Cow::Owned(Config::default()), vars: Vec::new() }
    }
    fn merge_config(&mut self, other: &Cow<'static, Config>) -> Result<()> {
        if let Cow::Borrowed(defaults) = other {
            if matches!(self.config, Cow::Borrowed(_)) {
                return Ok(());
            }
            if self.config.is_empty() {
                self.config = Cow::Borrowed(defaults);
                return Ok(());
            }
        }
        self.config.to_mut().merge(other)
    }
    fn merge(&mut self, other: Accumulator) -> Result<()> {
        self.resources.append_all(other.resources)?;
        self.merge_config(&other.config)?;
        transform::vars::merge_var_sets(&mut self.vars, &other.vars)
    }
}

struct Target<'a> {
    ldr: Loader<'a>,
    k: std::sync::Arc<Kustomization>,
    file_name: String,
    /// Origin of this kustomization relative to the build root, when buildMetadata is on.
    origin: Option<Origin>,
    build_metadata: Vec<String>,
    /// The build's options (helm settings), the same for every kustomization of the build.
    options: Options,
}

const ORIGIN_ANNOTATION: &str = "config.kubernetes.io/origin";
const TRANSFORMATIONS_ANNOTATION: &str = "alpha.config.kubernetes.io/transformations";
const LOCAL_CONFIG_ANNOTATION: &str = "config.kubernetes.io/local-config";
const MANAGED_BY_LABEL: &str = "app.kubernetes.io/managed-by";
const MANAGED_BY_VALUE: &str = "kustomize-(devel)";

pub(crate) fn run(
    fs: &dyn FileSystem,
    dir: &str,
    options: &Options,
    cache: Option<std::sync::Arc<super::cache::SharedCache>>,
) -> Result<Rendered> {
    // Subtrees are built in parallel unless something in the build depends on the order
    // kustomizations are read in: external programs (helm, plugins), or an `openapi:` field
    // (then the build starts again without parallelism). A root-level step that ran in
    // parallel and failed (the name-reference fix-up) has the build done again in order too,
    // so that its error is the one a build in order gives.
    let parallel = super::par::spare_threads() > 0 && !options.enable_helm && !options.enable_alpha_plugins && !options.enable_exec;
    if parallel {
        let par = std::sync::Arc::new(super::par::Par::new());
        let r = run_once(fs, dir, options, cache.clone(), Some(par.clone()));
        if !par.tainted() {
            return r;
        }
    }
    run_once(fs, dir, options, cache, None)
}

fn run_once(
    fs: &dyn FileSystem,
    dir: &str,
    options: &Options,
    cache: Option<std::sync::Arc<super::cache::SharedCache>>,
    par: Option<std::sync::Arc<super::par::Par>>,
) -> Result<Rendered> {
    // The build's schema state (openapi:), on this thread until the build ends.
    let _schema_scope = crate::schema::BuildScope::enter();
    let mut ldr = Loader::new(fs, dir, options.load_restrictor)?;
    ldr.cache = Some(cache.unwrap_or_default());
    let mut warnings = Vec::new();
    let mut t = Target::load(ldr, &mut warnings)?;
    let mut _par_guard = None;
    if let Some(par) = par {
        if !t.k.openapi.is_empty() {
            par.taint(&t.kust_path());
            return Ok(Rendered::default());
        }
        // Whole-list steps at the root may use the spare threads too (super::par::each_chunk).
        _par_guard = Some(super::par::enter(par.clone()));
        t.ldr.par = Some(par);
    }
    t.set_openapi(true)?;
    t.build_metadata = t.k.build_metadata.clone();
    t.options = options.clone();
    if !t.build_metadata.is_empty() {
        t.origin = Some(Origin::default());
    }
    let mut acc = Accumulator::new();
    t.accumulate(&mut acc, &mut warnings)?;

    // Done once, at the root.
    let redact = |e: Error, list: &crate::resource::ResourceList| generate::redact_secret_values(e, list);
    generate::add_hash_suffixes(&mut acc.resources).map_err(|e| redact(e, &acc.resources))?;
    transform::nameref::fix_back_references(&mut acc.resources, &acc.config).map_err(|e| redact(e, &acc.resources))?;
    // With all the back references fixed, vars can be resolved.
    if let Some(w) = transform::vars::resolve_vars_with_warnings(&mut acc.resources, &acc.vars, &acc.config)
        .map_err(|e| redact(e.with_path(t.kust_path()), &acc.resources))?
    {
        warnings.push(w);
    }
    acc.resources.retain(|r| !matches!(r.annotation(LOCAL_CONFIG_ANNOTATION), Some(v) if v != "false"));

    // Sort.
    if let Some(so) = &t.k.sort_options {
        if options.reorder != Reorder::Unspecified {
            warnings.push("Warning: Sorting order is set both in 'kustomization.yaml' ('sortOptions') and in a CLI flag ('--reorder'). Using the kustomization file over the CLI flag.".into());
        }
        transform::sort::apply_sort_options(&mut acc.resources, so).map_err(|e| e.with_path(t.kust_path()))?;
    } else if options.reorder != Reorder::None {
        transform::sort::legacy_sort(&mut acc.resources, None)?;
    }

    let bm = |o: &str| t.build_metadata.iter().any(|x| x == o);
    if options.add_managed_by_label || bm("managedByLabel") {
        for r in acc.resources.iter_mut() {
            r.map_mut()
                .get_or_insert_map("metadata")
                .get_or_insert_map("labels")
                .insert(MANAGED_BY_LABEL, Node::string(MANAGED_BY_VALUE));
        }
    }
    let (with_origin, with_transformations) = (bm("originAnnotations"), bm("transformerAnnotations"));
    super::par::each_chunk(acc.resources.as_mut_slice(), |chunk| {
        for r in chunk {
            rewrite_annotations(r, with_origin, with_transformations);
        }
    });
    Ok(Rendered { resources: acc.resources, warnings })
}

/// kustomize ends every build by reading each resource's annotations as a string map and
/// writing them back (when it removes its build annotations): values become strings, an
/// empty or null `annotations` disappears, `metadata` is created if missing, and input
/// origin/transformation annotations are dropped. Then the requested buildMetadata
/// annotations are written.
fn rewrite_annotations(r: &mut Resource, origin: bool, transformations: bool) {
    let md = r.map_mut().get_or_insert_map("metadata");
    if let Some(i) = md.entries.iter().position(|e| e.key == "annotations") {
        // Taken out and, unless empty, put back last: as a removal then an insertion would.
        let mut e = md.entries.remove(i);
        if let Node::Map(m) = &mut e.value {
            if !annotations_as_strings_in_place(m) {
                *m = annotations_as_strings(std::mem::take(m));
            }
            if !m.is_empty() {
                md.insert("annotations", std::mem::take(&mut e.value));
            }
        }
    }
    write_build_annotations(r, origin, transformations);
}

/// The annotations as kustomize writes back its string map: build annotations dropped,
/// every value a string (a non-scalar becomes empty), a repeated key kept at its first place
/// with its last value.
fn annotations_as_strings(m: crate::yaml::Mapping) -> crate::yaml::Mapping {
    let mut fresh = crate::yaml::Mapping::new();
    for e in m.entries {
        if e.key == ORIGIN_ANNOTATION || e.key == TRANSFORMATIONS_ANNOTATION {
            continue;
        }
        let text = match &e.value {
            Node::Scalar(s) => s.value.clone(),
            _ => String::new(),
        };
        fresh.insert(e.key, Node::string(text));
    }
    fresh
}

/// [`annotations_as_strings`] done in place, without copying keys and values, for a short
/// mapping without repeated keys (`false`, untouched, for any other).
fn annotations_as_strings_in_place(m: &mut crate::yaml::Mapping) -> bool {
    let n = m.entries.len();
    if n > 16 || (1..n).any(|j| m.entries[..j].iter().any(|e| e.key == m.entries[j].key)) {
        return false;
    }
    m.entries.retain(|e| e.key != ORIGIN_ANNOTATION && e.key != TRANSFORMATIONS_ANNOTATION);
    for e in &mut m.entries {
        e.pos = Default::default();
        e.comment = None;
        match &mut e.value {
            // `Node::string` of the same text.
            Node::Scalar(s) => {
                s.tag = None;
                s.style = if crate::yaml::resolve::is_plain_string(&s.value) {
                    crate::yaml::Style::Plain
                } else {
                    crate::yaml::Style::DoubleQuoted
                };
            }
            v => *v = Node::string(""),
        }
    }
    true
}

fn write_build_annotations(r: &mut Resource, origin: bool, transformations: bool) {
    let origin_text = if origin { r.origin.as_ref().map(origin_yaml) } else { None };
    let tr_text = if transformations && !r.transformations.is_empty() {
        let mut s = String::new();
        for o in &r.transformations {
            let body = origin_yaml(o);
            for (i, line) in body.lines().enumerate() {
                s.push_str(if i == 0 { "- " } else { "  " });
                s.push_str(line);
                s.push('\n');
            }
        }
        Some(s)
    } else {
        None
    };
    if origin_text.is_none() && tr_text.is_none() {
        return;
    }
    let ann = r.map_mut().get_or_insert_map("metadata").get_or_insert_map("annotations");
    if let Some(t) = origin_text {
        ann.insert(ORIGIN_ANNOTATION, Node::string(t));
    }
    if let Some(t) = tr_text {
        ann.insert(TRANSFORMATIONS_ANNOTATION, Node::string(t));
    }
}

/// An origin as kustomize writes it (go-yaml v3, fields in declaration order).
fn origin_yaml(o: &Origin) -> String {
    let mut s = String::new();
    if !o.path.is_empty() {
        s.push_str(&format!("path: {}\n", o.path));
    }
    if let Some(r) = &o.repo {
        s.push_str(&format!("repo: {}\n", r));
    }
    if let Some(r) = &o.git_ref {
        s.push_str(&format!("ref: {}\n", r));
    }
    if let Some(c) = &o.config {
        if !o.configured_in.is_empty() {
            s.push_str(&format!("configuredIn: {}\n", o.configured_in));
        }
        s.push_str("configuredBy:\n");
        s.push_str(&format!("  apiVersion: {}\n", c.gvk.api_version()));
        s.push_str(&format!("  kind: {}\n", c.gvk.kind));
        if !c.name.is_empty() {
            s.push_str(&format!("  name: {}\n", c.name));
        }
        if !c.namespace.is_empty() {
            s.push_str(&format!("  namespace: {}\n", c.namespace));
        }
    }
    s
}

fn origin_append(o: &Origin, path: &str) -> Origin {
    let mut n = o.clone();
    // A git URL: the origin names the repository and ref, and the path inside it (as
    // kustomize's Origin.Append computes it).
    if let Ok(spec) = super::remote::RepoSpec::parse(path) {
        n.repo = Some(spec.clone_spec());
        n.git_ref = if spec.git_ref.is_empty() { None } else { Some(spec.git_ref.clone()) };
        n.path = fs::clean(&spec.origin_path());
        return n;
    }
    n.path = if n.path.is_empty() { fs::clean(path) } else { fs::clean(&format!("{}/{}", n.path, path)) };
    n
}

impl<'a> Target<'a> {
    fn load(mut ldr: Loader<'a>, warnings: &mut Vec<String>) -> Result<Target<'a>> {
        // A kustomization this single build loaded already (a component or base shared by
        // many kustomizations): found, read and parsed once.
        let known = ldr.known.take().or_else(|| ldr.cache.as_ref().and_then(|c| c.loaded(ldr.root())));
        if let Some(known) = known {
            warnings.extend(known.warnings.iter().cloned());
            return Target::loaded(ldr, known.k.clone(), known.file_name.clone());
        }
        let (file_name, text) = ldr.kustomization_file()?;
        let k = match &ldr.cache {
            Some(cache) if !cache.keep_files => {
                let mut w = Vec::new();
                let k = kustomization::load_collecting(&text, ldr.root(), &mut w)
                    .map_err(|e| e.with_path(fs::join(ldr.root(), &file_name)))?;
                let k = std::sync::Arc::new(k);
                warnings.extend(w.iter().cloned());
                cache.remember_loaded(ldr.root(), super::cache::Loaded { file_name: file_name.clone(), k: k.clone(), warnings: w });
                k
            }
            Some(cache) => {
                let path = fs::join(ldr.root(), &file_name);
                let (k, w) = cache
                    .kustomization(&path, &text, |w| kustomization::load_collecting(&text, ldr.root(), w))
                    .map_err(|e| e.with_path(path.clone()))?;
                warnings.extend(w);
                k
            }
            None => std::sync::Arc::new(kustomization::load_collecting(&text, ldr.root(), warnings).map_err(|e| e.with_path(fs::join(ldr.root(), &file_name)))?),
        };
        Target::loaded(ldr, k, file_name)
    }

    /// The target of a loaded kustomization.
    fn loaded(ldr: Loader<'a>, k: std::sync::Arc<Kustomization>, file_name: String) -> Result<Target<'a>> {
        if let Some(par) = &ldr.par {
            if !k.openapi.is_empty() {
                // kyaml's schema state depends on the order kustomizations are read in.
                return Err(par.taint(&fs::join(ldr.root(), &file_name)));
            }
        }
        Ok(Target { ldr, k, file_name, origin: None, build_metadata: Vec::new(), options: Options::default() })
    }

    fn kust_path(&self) -> String {
        fs::join(self.ldr.root(), &self.file_name)
    }

    #[allow(dead_code)]
    fn unsupported(&self, what: &str) -> Error {
        err!(Unsupported, "{} not supported yet", what).with_path(self.kust_path())
    }

    /// Accumulates this kustomization into `acc` (kustomize's accumulateTarget).
    fn accumulate(&self, acc: &mut Accumulator, warnings: &mut Vec<String>) -> Result<()> {
        // A message may quote a resource: no Secret value may show (generate::redact_secret_values).
        self.accumulate_inner(acc, warnings)
            .map_err(|e| generate::redact_secret_values(e, &acc.resources).in_kustomization(self.ldr.root().to_string()))
    }

    fn accumulate_inner(&self, acc: &mut Accumulator, warnings: &mut Vec<String>) -> Result<()> {
        let k = &self.k;
        match &self.ldr.par {
            Some(par) if k.resources.len() > 1 => {
                // By index: what an entry gives borrows its path from the kustomization.
                let entries: Vec<usize> = (0..k.resources.len()).collect();
                let collected = par.map(&entries, |&i| {
                    let mut w = Vec::new();
                    let r = self.collect_resource(&k.resources[i], &mut w);
                    (r, w)
                });
                // Room for what the entries and the generators give, in one allocation.
                let given: usize = collected
                    .iter()
                    .map(|(r, _)| match r {
                        Ok(Collected::File { resources, .. }) => resources.len(),
                        Ok(Collected::Dir { acc, .. }) => acc.resources.len(),
                        Err(_) => 0,
                    })
                    .sum();
                acc.resources.reserve(given + k.config_map_generator.len() + k.secret_generator.len());
                for (r, w) in collected {
                    warnings.extend(w);
                    self.add_collected(acc, r?)?;
                }
            }
            _ => {
                for path in &k.resources {
                    self.accumulate_resource(acc, path, warnings)?;
                }
            }
        }
        let mut config: Cow<'static, Config> = Cow::Borrowed(crate::fieldspec::defaults());
        if !k.configurations.is_empty() {
            let mut custom = Config::default();
            for c in &k.configurations {
                let text = self.ldr.load_text(c)?;
                let node = crate::yaml::load_one(&text).map_err(|e| e.with_path(c.clone()))?.unwrap_or_default();
                let mut cfg = Config::from_node(&node).map_err(|e| e.with_path(c.clone()))?;
                cfg.sort_fields();
                custom.merge(&cfg).map_err(|e| e.with_path(c.clone()))?;
            }
            config.to_mut().merge(&custom).map_err(|e| e.with_path(self.kust_path()))?;
        }
        acc.merge_config(&config).map_err(|e| e.with_path(self.kust_path()))?;
        self.merge_crds(acc)?;
        // kustomize configures all its builtin generators before running any of them.
        let helm = self.configure_helm()?;
        self.run_generators(acc)?;
        self.run_helm(acc, &helm)?;
        self.run_plugin_generators(acc, warnings)?;
        for path in &k.components {
            let sub = self.ldr.sub(path)?;
            let mut st = Target::load(sub, warnings).map_err(|e| e.in_kustomization(self.ldr.root().to_string()))?;
            st.set_openapi(false)?;
            if st.k.kind != KustomizationKind::Component {
                return Err(err!(
                    Kustomization,
                    "expected kind 'Component' for path '{}' but got '{}'",
                    st.ldr.root(),
                    st.k.kind.as_str()
                )
                .with_path(st.kust_path()));
            }
            st.build_metadata = self.build_metadata.clone();
            st.options = self.options.clone();
            st.origin = self.origin.as_ref().map(|o| origin_append(o, path));
            st.accumulate(acc, warnings)?;
        }
        self.run_transformers(acc)?;
        self.run_plugin_transformers(acc, warnings)?;
        self.run_validators(acc, warnings)?;
        transform::vars::merge_vars(&mut acc.vars, &k.vars, &mut acc.resources).map_err(|e| e.with_path(self.kust_path()))?;
        Ok(())
    }

    fn accumulate_resource(&self, acc: &mut Accumulator, path: &str, warnings: &mut Vec<String>) -> Result<()> {
        let c = self.collect_resource(path, warnings)?;
        self.add_collected(acc, c)
    }

    /// Adds what one `resources:` entry gave, in order.
    fn add_collected(&self, acc: &mut Accumulator, c: Collected) -> Result<()> {
        match c {
            Collected::File { resources, path } => {
                for r in resources {
                    acc.resources.append(r).map_err(|e| e.with_path(self.file_abs(path)))?;
                }
                Ok(())
            }
            Collected::Dir { acc: sub_acc, path } => acc.merge(sub_acc).map_err(|e| e.with_path(fs::join(self.ldr.root(), path))),
        }
    }

    /// The resources of one `resources:` entry: a file's, or a kustomization directory's
    /// accumulated on their own. Entries do not depend on each other (their results are added
    /// in order), so a kustomization's entries can be collected in parallel.
    fn collect_resource<'p>(&self, path: &'p str, warnings: &mut Vec<String>) -> Result<Collected<'p>> {
        // A local directory (most `resources:` entries that are not files): reading it as a
        // file can only fail, with a known error; open the kustomization root straight away.
        let sub = match self.ldr.sub_if_plain_dir(path) {
            Some(Ok(sub)) => sub,
            Some(Err(dir_err)) => return Err(self.not_file_nor_dir(path, self.ldr.dir_not_file(path), dir_err)),
            None => match self.collect_file(path) {
                Ok(resources) => return Ok(Collected::File { resources, path }),
                Err(file_err) => self.sub_after_file(path, file_err, true)?,
            },
        };
        self.collect_dir(sub, path, warnings)
    }

    /// The resources of `resources:` entry `path` asking first whether it is a file, and
    /// walking to directories (the general path of [`Target::collect_resource`]).
    #[cfg(test)]
    fn collect_resource_general<'p>(&self, path: &'p str, warnings: &mut Vec<String>) -> Result<Collected<'p>> {
        let sub = match self.collect_file(path) {
            Ok(resources) => return Ok(Collected::File { resources, path }),
            Err(file_err) => self.sub_after_file(path, file_err, false)?,
        };
        self.collect_dir(sub, path, warnings)
    }

    /// The kustomization directory `path`, which could not be read as a file (`remembered`:
    /// see `Loader::sub_with`).
    fn sub_after_file(&self, path: &str, file_err: Error, remembered: bool) -> Result<Loader<'a>> {
        // Not a file: try a kustomization directory.
        // An http(s) file URL that is not a git URL can only be fetched: its error stands
        // (kustomize bails out on an HTTP error).
        if super::remote::is_http_file(path) && !super::remote::is_git_url(path) {
            return Err(file_err);
        }
        self.ldr.sub_with(path, remembered).map_err(|dir_err| self.not_file_nor_dir(path, file_err, dir_err))
    }

    /// The error of a `resources:` entry that is neither a file nor a kustomization directory.
    fn not_file_nor_dir(&self, path: &str, file_err: Error, dir_err: Error) -> Error {
        // A remote URL is never a local file: the remote error is the one to report.
        if Loader::is_remote(path) {
            return dir_err.with_path(path);
        }
        // A file that exists but failed to parse or validate is the error to report.
        if matches!(file_err.kind(), crate::ErrorKind::Yaml | crate::ErrorKind::Resource | crate::ErrorKind::IdConflict | crate::ErrorKind::LoadRestriction) {
            return file_err;
        }
        // A cycle, too deep a nesting, an empty path: the directory error. (An absolute
        // path gets both errors below: the file may just be missing.)
        if dir_err.kind() == crate::ErrorKind::Cycle || (dir_err.kind() == crate::ErrorKind::Kustomization && !path.starts_with('/')) {
            return dir_err;
        }
        err!(
            NotFound,
            "accumulating resources from '{}': not a file ({}) nor a kustomization directory ({})",
            path,
            file_err.message(),
            dir_err.message()
        )
        .with_path(fs::join(self.ldr.root(), path))
    }

    /// The resources of the kustomization directory `path`, accumulated on their own.
    fn collect_dir<'p>(&self, sub: Loader<'a>, path: &'p str, warnings: &mut Vec<String>) -> Result<Collected<'p>> {
        let mut st = Target::load(sub, warnings)?;
        st.set_openapi(false)?;
        if st.k.kind == KustomizationKind::Component {
            return Err(err!(Kustomization, "expected kind != 'Component' for path '{}'", st.ldr.root()).with_path(st.kust_path()));
        }
        st.build_metadata = self.build_metadata.clone();
        st.options = self.options.clone();
        st.origin = self.origin.as_ref().map(|o| origin_append(o, path));
        let mut sub_acc = Accumulator::new();
        st.accumulate(&mut sub_acc, warnings)?;
        Ok(Collected::Dir { acc: sub_acc, path })
    }

    /// The absolute path of the file `resources:` entry `path` (the URL of an http(s) one),
    /// as messages name it.
    fn file_abs(&self, path: &str) -> String {
        if super::remote::is_http_file(path) {
            path.to_string()
        } else {
            fs::join(self.ldr.root(), path)
        }
    }

    /// The resources of the file `path`.
    fn collect_file(&self, path: &str) -> Result<Vec<Resource>> {
        let text = if super::remote::is_http_file(path) {
            // kustomize's FileLoader.Load: an HTTP GET; the body is read as a local file's.
            let bytes = super::remote::fetch_http(path)?;
            String::from_utf8(bytes).map_err(|_| err!(Yaml, "file is not valid UTF-8").with_path(path))?
        } else if Loader::is_remote(path) {
            // A git URL is a kustomization directory (tried next).
            return Err(err!(Unsupported, "remote file resources are not supported: {}", path));
        } else {
            self.ldr.load_text(path)?
        };
        // (A batch keeps parses by absolute path; a single build parses each file once.)
        let resources = match &self.ldr.cache {
            Some(cache) if cache.keep_files => cache.resources(&self.file_abs(path), &text, || resources_from_str(&text)),
            _ => resources_from_str(&text),
        }
        .map_err(|e| e.with_path(self.file_abs(path)))?;
        let mut resources = resources;
        if let Some(o) = &self.origin {
            for r in &mut resources {
                r.origin = Some(origin_append(o, path));
            }
        }
        Ok(resources)
    }

    /// configMapGenerator and secretGenerator entries, absorbed into the accumulator with
    /// their behavior (create, merge, replace).
    fn run_generators(&self, acc: &mut Accumulator) -> Result<()> {
        let k = &self.k;
        let read = |p: &str| self.ldr.load(p);
        let global = k.generator_options.as_ref();
        let wrap = |e: crate::Error| e.with_path(self.kust_path());
        for args in &k.config_map_generator {
            let mut r = generate::make_config_map(args, global, &read).map_err(wrap)?;
            r.origin = self.transformer_origin("ConfigMapGenerator");
            generate::absorb(&mut acc.resources, r).map_err(wrap)?;
        }
        for args in &k.secret_generator {
            let mut r = generate::make_secret(args, global, &read).map_err(wrap)?;
            r.origin = self.transformer_origin("SecretGenerator");
            generate::absorb(&mut acc.resources, r).map_err(wrap)?;
        }
        Ok(())
    }

    fn helm_settings(&self) -> generate::helm::HelmSettings<'_> {
        generate::helm::HelmSettings {
            enabled: self.options.enable_helm,
            command: self.options.helm_command.as_deref().unwrap_or("helm"),
        }
    }

    /// helmCharts (with helmGlobals): configured (validated) up front.
    fn configure_helm(&self) -> Result<Vec<generate::helm::HelmInflation>> {
        let globals = self.k.helm_globals.clone().unwrap_or_default();
        let read = |p: &str| self.ldr.load(p);
        self.k
            .helm_charts
            .iter()
            .map(|c| {
                generate::helm::configure(&globals, c, self.helm_settings(), self.ldr.root(), &read)
                    .map_err(|e| generate::helm::config_error(&globals, c, e).with_path(self.kust_path()))
            })
            .collect()
    }

    /// Runs the helm chart inflations after configMapGenerator and secretGenerator.
    fn run_helm(&self, acc: &mut Accumulator, list: &[generate::helm::HelmInflation]) -> Result<()> {
        let read = |p: &str| self.ldr.load(p);
        for inf in list {
            let rs = generate::helm::generate(inf, self.helm_settings(), &read).map_err(|e| e.with_path(self.kust_path()))?;
            for mut r in rs {
                r.origin = self.transformer_origin("HelmChartInflationGenerator");
                generate::absorb(&mut acc.resources, r).map_err(|e| e.with_path(self.kust_path()))?;
            }
        }
        Ok(())
    }

    fn transformer_origin(&self, kind: &str) -> Option<Origin> {
        self.origin.as_ref().map(|o| Origin {
            path: String::new(),
            repo: o.repo.clone(),
            git_ref: o.git_ref.clone(),
            configured_in: fs::clean(&if o.path.is_empty() { self.file_name.clone() } else { format!("{}/{}", o.path, self.file_name) }),
            config: Some(ResId { gvk: Gvk::new("", "builtin", kind), name: String::new(), namespace: String::new() }),
        })
    }

    /// kustomize's `AddTransformerAnnotation`: the transformer is the origin of the resources
    /// without one and a transformation of the others. Transformations are recorded only when
    /// the build writes them (`transformerAnnotations`); ids, names and labels do not change,
    /// so the list keeps its index.
    fn record_transformer(&self, list: &mut ResourceList, o: &Origin) {
        let transformations = self.build_metadata.iter().any(|x| x == "transformerAnnotations");
        for r in list.iter_mut_keeping_keys() {
            if r.origin.is_none() {
                r.origin = Some(o.clone());
            } else if transformations {
                r.transformations.push(o.clone());
            }
        }
    }

    fn run_transformers(&self, acc: &mut Accumulator) -> Result<()> {
        let k = &self.k;
        let load = |p: &str| self.ldr.load_text(p);
        let list: Vec<Transformer> =
            transform::builtin_transformers_memo(k, &acc.config, &load, self.ldr.cache.as_deref().map(|c| &c.patches))
                .map_err(|e| e.with_path(self.kust_path()))?;
        let mut i = 0;
        while i < list.len() {
            let t = &list[i];
            i += 1;
            // Consecutive `images` entries run in one pass over the resources (their origins,
            // when recorded, are per transformer: then they run one by one).
            if let (Transformer::Images(first), None) = (t, self.origin.as_ref()) {
                let mut run = vec![first];
                while let Some(Transformer::Images(next)) = list.get(i) {
                    run.push(next);
                    i += 1;
                }
                transform::images::apply_all(&run, &mut acc.resources, &acc.config)
                    .map_err(|e| e.with_path(self.kust_path()))?;
                acc.resources.drop_empty();
                continue;
            }
            t.apply(&mut acc.resources, &acc.config).map_err(|e| e.with_path(self.kust_path()))?;
            if let Some(o) = self.transformer_origin(t.kind_name()) {
                self.record_transformer(&mut acc.resources, &o);
            }
            acc.resources.drop_empty();
        }
        Ok(())
    }
}

/// `generators:`, `transformers:` and `validators:` (builtin plugins configured by resources).
impl<'a> Target<'a> {
    /// The plugin config resources of `generators:`, `transformers:` or `validators:` entries
    /// (kustomize's configureExternalGenerators/Transformers): an entry that parses as resources
    /// is inline configs (their origin is this kustomization file); the others are files or
    /// kustomization directories, accumulated as `resources:` entries are.
    fn plugin_configs(&self, entries: &[String], warnings: &mut Vec<String>) -> Result<ResourceList> {
        let mut acc = Accumulator::new();
        let mut paths = Vec::new();
        for e in entries {
            match resources_from_str(e) {
                Ok(rs) => {
                    for mut r in rs {
                        if let Some(o) = &self.origin {
                            r.origin = Some(origin_append(o, &self.file_name));
                        }
                        acc.resources.append(r).map_err(|e| e.with_path(self.kust_path()))?;
                    }
                }
                Err(_) => paths.push(e),
            }
        }
        for p in paths {
            self.accumulate_resource(&mut acc, p, warnings)?;
        }
        Ok(acc.resources)
    }

    fn plugin_load(&self) -> impl Fn(&str) -> Result<Vec<u8>> + '_ {
        move |p: &str| self.ldr.load(p)
    }

    /// `generators:`: run after the builtin generators; what they make is absorbed with its
    /// behavior (create, merge, replace), and gets the generator's origin if it has none.
    fn run_plugin_generators(&self, acc: &mut Accumulator, warnings: &mut Vec<String>) -> Result<()> {
        if self.k.generators.is_empty() {
            return Ok(());
        }
        let wrap = |e: Error| {
            let msg = format!("loading generator plugins: {}", e.message());
            let mut n = Error::new(e.kind(), msg);
            if let Some(p) = e.path() {
                n = n.with_path(p);
            }
            n
        };
        let configs = self.plugin_configs(&self.k.generators, warnings).map_err(wrap)?;
        let load = self.plugin_load();
        let mut ctx = transform::plugins::PluginContext::new(&load);
        ctx.enable_helm = self.options.enable_helm;
        ctx.helm_command = self.options.helm_command.as_deref().unwrap_or("helm");
        ctx.root = self.ldr.root();
        ctx.enable_alpha_plugins = self.options.enable_alpha_plugins;
        ctx.enable_exec = self.options.enable_exec;
        let generated = transform::plugins::generate_from_configs(configs.as_slice(), &ctx).map_err(|e| {
            let e = if e.message().starts_with("failed to load generator") { wrap(e) } else { e };
            e.with_path(self.kust_path())
        })?;
        for (resources, origin) in generated {
            for mut r in resources {
                if r.origin.is_none() {
                    r.origin = origin.clone();
                }
                generate::absorb(&mut acc.resources, r).map_err(|e| e.with_path(self.kust_path()))?;
            }
        }
        Ok(())
    }

    /// `transformers:`: run after the builtin transformers, each recording its origin on the
    /// resources (buildMetadata transformerAnnotations); empty resources are dropped after each.
    fn run_plugin_transformers(&self, acc: &mut Accumulator, warnings: &mut Vec<String>) -> Result<()> {
        if self.k.transformers.is_empty() {
            return Ok(());
        }
        let configs = self.plugin_configs(&self.k.transformers, warnings)?;
        let load = self.plugin_load();
        let mut ctx = transform::plugins::PluginContext::new(&load);
        ctx.root = self.ldr.root();
        ctx.enable_alpha_plugins = self.options.enable_alpha_plugins;
        ctx.enable_exec = self.options.enable_exec;
        let list = transform::plugins::transformers_from_configs(configs.as_slice(), &ctx)
            .map_err(|e| e.with_path(self.kust_path()))?;
        for (t, origin) in list {
            t.apply(&mut acc.resources, &acc.config).map_err(|e| e.with_path(self.kust_path()))?;
            if let Some(o) = origin {
                self.record_transformer(&mut acc.resources, &o);
            }
            acc.resources.drop_empty();
        }
        Ok(())
    }

    /// `validators:`: transformers that must not change the resources, except for adding a
    /// `validated-by` label (which stays). kustomize compares the resource sets by id and
    /// content.
    fn run_validators(&self, acc: &mut Accumulator, warnings: &mut Vec<String>) -> Result<()> {
        if self.k.validators.is_empty() {
            return Ok(());
        }
        let configs = self.plugin_configs(&self.k.validators, warnings)?;
        let load = self.plugin_load();
        let mut ctx = transform::plugins::PluginContext::new(&load);
        ctx.root = self.ldr.root();
        ctx.enable_alpha_plugins = self.options.enable_alpha_plugins;
        ctx.enable_exec = self.options.enable_exec;
        let list = transform::plugins::transformers_from_configs(configs.as_slice(), &ctx)
            .map_err(|e| e.with_path(self.kust_path()))?;
        for (t, _) in list {
            let before = acc.resources.clone();
            t.apply(&mut acc.resources, &acc.config).map_err(|e| e.with_path(self.kust_path()))?;
            let mut after = acc.resources.clone();
            for r in after.iter_mut() {
                let Some(md) = r.map_mut().get_mut("metadata").and_then(Node::as_map_mut) else { continue };
                let emptied = match md.get_mut("labels") {
                    Some(Node::Map(l)) => l.remove(VALIDATED_BY_LABEL).is_some() && l.is_empty(),
                    _ => false,
                };
                if emptied {
                    md.remove("labels");
                }
            }
            if let Some(why) = unequal_sets(&before, &after) {
                return Err(err!(Transform, "validator shouldn't modify the resource map: {}", why).with_path(self.kust_path()));
            }
        }
        Ok(())
    }
}

const VALIDATED_BY_LABEL: &str = "validated-by";

/// kustomize's `ErrorIfNotEqualSets`: why two resource lists differ (same size, each resource
/// of `a` matching exactly one of `b` by current id, with the same content), or `None`.
fn unequal_sets(a: &ResourceList, b: &ResourceList) -> Option<String> {
    if a.len() != b.len() {
        return Some(format!("lists have different number of entries: {} doesn't equal {}", a.len(), b.len()));
    }
    for r in a.iter() {
        let id = r.cur_id();
        let others: Vec<&Resource> = b.iter().filter(|o| o.cur_id().equals(&id)).collect();
        match others.as_slice() {
            [] => return Some(format!("id in self missing from other; id: {}", id)),
            [o] => {
                if r.node != o.node {
                    return Some(format!("nodes unequal: \n -- {},\n -- {}", id, o.cur_id()));
                }
            }
            many => return Some(format!("id in self matches {} in other; id: {}", many.len(), id)),
        }
    }
    None
}

/// The schema fields of a kustomization: `openapi:` (the schema of the build) and `crds:`
/// (field specs read from OpenAPI definitions). See `crate::schema`.
impl Target<'_> {
    /// kustomize's `openapi.SetSchema` for this kustomization, done right after it is loaded:
    /// with `reset` for the root, without for bases and components (the first schema set in
    /// a build wins). The file of `openapi: {path: ...}` is read even when a schema is already
    /// set, as kustomize does (a missing file is an error).
    fn set_openapi(&self, reset: bool) -> Result<()> {
        let text = match self.k.openapi.get("path") {
            Some(p) => Some(self.ldr.load_text(p)?),
            None => None,
        };
        crate::schema::set_openapi(&self.k.openapi, text.as_deref(), reset).map_err(|e| e.with_path(self.kust_path()))
    }

    /// kustomize's `LoadConfigFromCRDs`: the field specs of the `crds:` files, merged into the
    /// accumulator's config after the kustomization's own.
    fn merge_crds(&self, acc: &mut Accumulator) -> Result<()> {
        for path in &self.k.crds {
            let text = self.ldr.load_text(path)?;
            let cfg = crate::schema::crds::config_from_crd_text(&text).map_err(|e| {
                err!(Kustomization, "unable to parse open API definition from '{}': {}", path, e.message())
                    .with_path(fs::join(self.ldr.root(), path))
            })?;
            acc.config.to_mut().merge(&cfg).map_err(|e| e.with_path(self.kust_path()))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What a `resources:` entry gave, comparable.
    fn collected(t: &Target, c: Result<Collected>) -> Result<(String, Vec<Resource>)> {
        c.map(|c| match c {
            Collected::File { resources, path } => (t.file_abs(path), resources),
            Collected::Dir { acc, path } => (path.to_string(), acc.resources.as_slice().to_vec()),
        })
    }

    /// Collecting a `resources:` entry by opening a plain directory straight away (and
    /// knowing kustomizations loaded before) gives what reading it as a file first and
    /// walking to it gives: the same resources, warnings and errors, for files, bases, a
    /// component, links, a cycle, missing paths and paths out of the root.
    #[cfg(unix)]
    #[test]
    fn collect_resource_fast_equals_general() {
        let base = std::env::temp_dir().join(format!("rustomize-target-collect-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&base);
        let w = |rel: &str, text: &str| {
            let p = base.join(rel);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        };
        let cm = |n: &str| format!("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {}\n", n);
        w("root/kustomization.yaml", "resources: []\n");
        w("root/res.yaml", &cm("res"));
        w("root/bad.yaml", "a: [\n");
        w("root/base/kustomization.yaml", "namePrefix: p-\nresources:\n- cm.yaml\ncommonLabels: {a: b}\n");
        w("root/base/cm.yaml", &cm("base"));
        w("root/comp/kustomization.yaml", "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\n");
        std::fs::create_dir_all(base.join("root/empty")).unwrap();
        w("root/cyc/kustomization.yaml", "resources:\n- ..\n");
        w("root/warn/kustomization.yaml", "bases:\n- ../base\n");
        w("root/overlay/kustomization.yaml", "resources:\n- ../base\nnameSuffix: -s\n");
        w("outside/kustomization.yaml", "resources:\n- cm.yaml\n");
        w("outside/cm.yaml", &cm("out"));
        std::os::unix::fs::symlink("base", base.join("root/link")).unwrap();
        let root = crate::fs::DiskFs.canonical(&base.join("root").to_string_lossy()).unwrap();
        let disk = crate::fs::DiskFs;
        let target = |cache: super::super::cache::SharedCache| {
            let mut ldr = Loader::new(&disk, &root, super::super::loader::LoadRestrictor::RootOnly).unwrap();
            ldr.cache = Some(std::sync::Arc::new(cache));
            Target::load(ldr, &mut Vec::new()).unwrap()
        };
        // The general path reads every kustomization again (a batch's cache remembers none).
        let (fast, general) = (target(Default::default()), target(super::super::cache::SharedCache::for_batch()));
        let paths = [
            "res.yaml", "bad.yaml", "base", "./base/", "base/.", "comp", "empty", "cyc", "warn", "overlay", "../outside", "link", "missing",
            "missing/", ".", "..", "base/cm.yaml", "/abs", "", "../root/base", "overlay/../base",
        ];
        // Twice: the second time, the kustomizations are known.
        for round in 0..2 {
            for p in paths {
                let (mut wf, mut wg) = (Vec::new(), Vec::new());
                let f = collected(&fast, fast.collect_resource(p, &mut wf));
                let g = collected(&general, general.collect_resource_general(p, &mut wg));
                assert_eq!(f, g, "{} {}", round, p);
                assert_eq!(wf, wg, "{} {}", round, p);
            }
        }
        let mut warned = Vec::new();
        assert_eq!(fast.collect_resource("warn", &mut warned).map(|_| ()), Ok(()));
        assert_eq!(warned.len(), 2, "{:?}", warned);
        assert!(fast.ldr.sub_if_plain_dir("overlay").is_some());
        std::fs::remove_dir_all(&base).unwrap();
    }

    /// The in-place rewrite of annotations equals building the string map afresh, on values
    /// of every kind (typed, quoted, tagged, block, nested, null) and with build annotations.
    #[test]
    fn annotations_in_place_equal_a_fresh_string_map() {
        let texts = [
            "a: b\n",
            "a: 'true'\nb: 1\nc: 1.5\nd: null\ne: ~\nf: \"x y\"\n",
            "a: !!str 12\nb: !!int \"3\"\nc: yes\nd: 0x1F\ne: \"\"\n",
            "a: |\n  line one\n  line two\nb: >-\n  folded\n",
            "a:\n  nested: map\nb: [1, 2]\nc: {}\n",
            "config.kubernetes.io/origin: |\n  path: x.yaml\nkeep: me\nalpha.config.kubernetes.io/transformations: \"\"\n",
            "k: v # {\"type\": \"string\"}\nz: '01'\n",
            "a: 1\na: 2\n",
            "",
        ];
        let mut checked = 0;
        for t in texts {
            let Ok(Some(Node::Map(m))) = crate::yaml::load_one(t) else { continue };
            let want = annotations_as_strings(m.clone());
            let mut got = m.clone();
            if annotations_as_strings_in_place(&mut got) {
                assert_eq!(got, want, "{:?}", t);
                checked += 1;
            }
        }
        assert!(checked >= 7, "only {} texts took the in-place path", checked);
        // Long or repeated-key maps are left to the general path.
        let mut long = crate::yaml::Mapping::new();
        for i in 0..17 {
            long.insert(format!("k{}", i), Node::plain("1"));
        }
        assert!(!annotations_as_strings_in_place(&mut long.clone()));
        let mut dup = crate::yaml::Mapping::new();
        dup.entries.push(crate::yaml::Entry::new("a", Node::plain("1"), Default::default()));
        dup.entries.push(crate::yaml::Entry::new("a", Node::plain("2"), Default::default()));
        assert!(!annotations_as_strings_in_place(&mut dup));
    }
}
