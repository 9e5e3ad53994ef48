//! Builtin plugins configured by a kustomization's `transformers:`, `generators:` and
//! `validators:` entries (kustomize's plugin loader, api/internal/plugins/loader).
//!
//! Each entry yields plugin config resources (inline YAML, a file, or a kustomization directory
//! whose output is the configs; the build target gathers them). A config whose `apiVersion` is
//! `builtin` (empty group, version `builtin`) selects the builtin named by its `kind`:
//!
//! * transformers: AnnotationsTransformer, HashTransformer, ImageTagTransformer,
//!   LabelTransformer, NamespaceTransformer, PatchJson6902Transformer,
//!   PatchStrategicMergeTransformer, PatchTransformer, PrefixSuffixTransformer (a prefix then a
//!   suffix transformer), PrefixTransformer, SuffixTransformer, ReplacementTransformer,
//!   ReplicaCountTransformer (ValueAddTransformer is recognised but not supported yet);
//! * generators: ConfigMapGenerator, SecretGenerator, IAMPolicyGenerator,
//!   HelmChartInflationGenerator.
//!
//! Anything else with `apiVersion: builtin` is `unable to load builtin <gvk>` (SortOrderTransformer
//! too: kustomize keeps it out of the plugin table); a generator listed as a transformer (or the
//! reverse) is `plugin <id> not a transformer`. Other apiVersions are exec, Go or function
//! plugins: without `--enable-alpha-plugins` they are refused with kustomize's message; with
//! it, a config annotated `config.kubernetes.io/function` with `exec: {path}` is an exec KRM
//! function (see [`exec`]; run only with `--enable-exec`, skipped otherwise as kustomize
//! does); container/starlark functions and legacy exec or Go plugins are not supported.
//!
//! Configs are read as each plugin reads them (see [`super::plugin_config`]): field specs come
//! only from the config (the build's default field specs are not used), unknown fields are
//! ignored. Files named in a config (patch paths, env files, ...) are read relative to the
//! kustomization that lists the plugin, not to the config file.
//!
//! For buildMetadata, a plugin's origin is the config's: `configuredIn` is the config's own
//! origin path, `configuredBy` its apiVersion, kind, name and namespace (kustomize's
//! `OriginFromCustomPlugin`); a config without an origin gives none.

use super::annotations::AnnotationsTransformer;
use super::images::ImageTagTransformer;
use super::labels::LabelTransformer;
use super::namespace::{NamespaceTransformer, RoleBindingSubjectMode};
use super::patch::{PatchJson6902Transformer, PatchStrategicMergeTransformer, PatchTransformer};
use super::plugin_config::{Mode, Obj};
use super::prefix_suffix::PrefixSuffixTransformer;
use super::replacements::ReplacementTransformer;
use super::replicas::{Replica, ReplicaCountTransformer};
use super::Transformer;
use crate::error::{err, Error, Result};
use crate::fieldspec::{Config, FieldSpec};
use crate::kustomization::{
    FieldOptions, GeneratorArgs, GeneratorOptions, Image, Patch, ReplacementField, SecretArgs, Selector, SourceSelector,
    TargetSelector,
};
use crate::resource::{Gvk, Origin, ResId, Resource, ResourceList};

/// What configuring and running plugins needs from the build.
pub struct PluginContext<'a> {
    /// Reads a file relative to the kustomization that lists the plugin.
    pub load: &'a dyn Fn(&str) -> Result<Vec<u8>>,
    /// `--enable-alpha-plugins`: exec, Go and function plugins may be loaded (only exec KRM
    /// functions are supported here).
    pub enable_alpha_plugins: bool,
    /// `--enable-exec`: exec KRM functions (with `--enable-alpha-plugins`) are run.
    pub enable_exec: bool,
    /// `--enable-helm`: HelmChartInflationGenerator configs may run helm.
    pub enable_helm: bool,
    /// `--helm-command` (`helm` by default).
    pub helm_command: &'a str,
    /// The root of the kustomization that lists the plugin (helm charts are found under it).
    pub root: &'a str,
}

impl<'a> PluginContext<'a> {
    pub fn new(load: &'a dyn Fn(&str) -> Result<Vec<u8>>) -> Self {
        PluginContext { load, enable_alpha_plugins: false, enable_exec: false, enable_helm: false, helm_command: "helm", root: "" }
    }

    fn load_text(&self, path: &str) -> Result<String> {
        let bytes = (self.load)(path)?;
        crate::build::decode_text(bytes).map_err(|e| e.with_path(path))
    }
}

/// A transformer configured by a plugin config.
#[derive(Clone, Debug)]
pub enum PluginTransformer {
    /// One of the builtins a kustomization's own fields also use.
    Builtin(Transformer),
    /// HashTransformer: appends the content hash to the names of generated resources that ask
    /// for one (they keep asking: the build's final hashing step adds another).
    Hash,
    /// An exec KRM function (see [`exec`]).
    Exec(exec::ExecFunction),
}

impl PluginTransformer {
    /// kustomize's name of the builtin.
    pub fn kind_name(&self) -> &'static str {
        match self {
            PluginTransformer::Builtin(t) => t.kind_name(),
            PluginTransformer::Hash => "HashTransformer",
            PluginTransformer::Exec(_) => "FnPlugin",
        }
    }

    pub fn apply(&self, list: &mut ResourceList, config: &Config) -> Result<()> {
        match self {
            PluginTransformer::Builtin(t) => t.apply(list, config),
            PluginTransformer::Hash => crate::generate::add_hash_suffixes(list),
            PluginTransformer::Exec(f) => f.transform(list),
        }
    }
}

/// The origin kustomize gives a plugin configured by `config` (`OriginFromCustomPlugin`):
/// none when the config has no origin (buildMetadata is off).
pub fn origin_of_config(config: &Resource) -> Option<Origin> {
    let o = config.origin.as_ref()?;
    Some(Origin {
        path: String::new(),
        repo: o.repo.clone(),
        git_ref: o.git_ref.clone(),
        configured_in: o.path.clone(),
        config: Some(ResId {
            gvk: Gvk::from_api_version(config.api_version(), config.kind()),
            name: config.name().to_string(),
            namespace: config.namespace().to_string(),
        }),
    })
}

const GENERATORS: &[&str] = &["ConfigMapGenerator", "IAMPolicyGenerator", "SecretGenerator", "HelmChartInflationGenerator"];
const TRANSFORMERS: &[&str] = &[
    "AnnotationsTransformer",
    "HashTransformer",
    "ImageTagTransformer",
    "LabelTransformer",
    "NamespaceTransformer",
    "PatchJson6902Transformer",
    "PatchStrategicMergeTransformer",
    "PatchTransformer",
    "PrefixSuffixTransformer",
    "PrefixTransformer",
    "SuffixTransformer",
    "ReplacementTransformer",
    "ReplicaCountTransformer",
    "ValueAddTransformer",
];

/// kustomize's `isBuiltinPlugin`: empty group, version `builtin`.
fn is_builtin(r: &Resource) -> bool {
    let g = r.gvk();
    g.group.is_empty() && g.version == "builtin"
}

/// The id kustomize names a config by in errors (its original id).
fn org_id(r: &Resource) -> ResId {
    let mut id = r.orig_id();
    if r.prev_ids.is_empty() {
        id = r.cur_id();
    }
    id
}

/// Which builtin a config selects, checked as kustomize's loader checks it: `want_generator`
/// says whether a generator or a transformer is wanted.
fn builtin_kind(r: &Resource, ctx: &PluginContext, want_generator: bool) -> Result<&'static str> {
    if !is_builtin(r) {
        if !ctx.enable_alpha_plugins {
            return Err(err!(
                Kustomization,
                "external plugins disabled; unable to load external plugin '{}'",
                org_id(r).gvk.kind
            ));
        }
        return Err(err!(Unsupported, "exec (legacy) and Go plugins are not supported: {}", org_id(r)));
    }
    let kind = r.kind();
    let (found_gen, found_tr) = (GENERATORS.iter().find(|k| **k == kind), TRANSFORMERS.iter().find(|k| **k == kind));
    match (found_gen, found_tr, want_generator) {
        (Some(k), _, true) | (_, Some(k), false) => Ok(k),
        (Some(_), _, false) => Err(err!(Kustomization, "plugin {} not a transformer", org_id(r))),
        (_, Some(_), true) => Err(err!(Kustomization, "plugin {} not a generator", org_id(r))),
        _ => Err(err!(Kustomization, "unable to load builtin {}", r.gvk())),
    }
}

fn fails_configuration(r: &Resource, e: Error) -> Error {
    let msg = format!("plugin {} fails configuration: {}", org_id(r), e.message());
    let mut n = Error::new(e.kind(), msg);
    if let Some(p) = e.path() {
        n = n.with_path(p);
    }
    n
}

/// The transformers of plugin configs, in order, each with the origin to record on the
/// resources it touches (buildMetadata `transformerAnnotations`). A PrefixSuffixTransformer
/// gives two transformers (prefix, then suffix); only the second carries the origin, as the
/// pair is one plugin in kustomize.
pub fn transformers_from_configs(
    configs: &[Resource],
    ctx: &PluginContext,
) -> Result<Vec<(PluginTransformer, Option<Origin>)>> {
    let mut out = Vec::new();
    for r in configs {
        if let Some(f) = exec_function(r, ctx)? {
            out.push((PluginTransformer::Exec(f), origin_of_config(r)));
            continue;
        }
        let kind = builtin_kind(r, ctx, false)?;
        let ts = configure_transformer(kind, r, ctx).map_err(|e| fails_configuration(r, e))?;
        let origin = origin_of_config(r);
        let n = ts.len();
        for (i, t) in ts.into_iter().enumerate() {
            out.push((t, if i + 1 == n { origin.clone() } else { None }));
        }
    }
    Ok(out)
}

/// Configures and runs the generators of plugin configs: for each, in order, the resources it
/// makes and the origin to give those without one (buildMetadata `originAnnotations`). All are
/// configured before any runs, as in kustomize. The build absorbs them (with their behavior)
/// one generator after the other.
pub fn generate_from_configs(configs: &[Resource], ctx: &PluginContext) -> Result<Vec<(Vec<Resource>, Option<Origin>)>> {
    let mut gens = Vec::new();
    for r in configs {
        if let Some(f) = exec_function(r, ctx).map_err(|e| prefix_error("failed to load generator", e))? {
            gens.push((Generator::Exec(f), origin_of_config(r)));
            continue;
        }
        let kind = builtin_kind(r, ctx, true).map_err(|e| prefix_error("failed to load generator", e))?;
        let g = configure_generator(kind, r, ctx)
            .map_err(|e| prefix_error("failed to load generator", fails_configuration(r, e)))?;
        gens.push((g, origin_of_config(r)));
    }
    let mut out = Vec::new();
    for (g, origin) in gens {
        out.push((g.generate(ctx)?, origin));
    }
    Ok(out)
}

/// An exec KRM function configured by a non-builtin config (with `--enable-alpha-plugins`),
/// `None` for anything else.
fn exec_function(r: &Resource, ctx: &PluginContext) -> Result<Option<exec::ExecFunction>> {
    if is_builtin(r) || !ctx.enable_alpha_plugins {
        return Ok(None);
    }
    match exec::function_spec(r)? {
        Some(exec::FunctionSpec::Exec(path)) => Ok(Some(exec::ExecFunction::new(r, &path, ctx.root, ctx.enable_exec))),
        Some(exec::FunctionSpec::Other) => {
            Err(err!(Unsupported, "container and starlark functions are not supported: {}", org_id(r)))
        }
        None => Ok(None),
    }
}

fn prefix_error(prefix: &str, e: Error) -> Error {
    let mut n = Error::new(e.kind(), format!("{}: {}", prefix, e.message()));
    if let Some(p) = e.path() {
        n = n.with_path(p);
    }
    n
}

/// Fields a struct gets from an embedded `resid.Gvk`, `resid.ResId`, `types.GeneratorArgs`
/// (with `types.SecretArgs`' own `type`) or `types.IAMPolicyGeneratorArgs`.
const GVK_FIELDS: &[&str] = &["group", "version", "kind"];
const RESID_FIELDS: &[&str] = &["group", "version", "kind", "name", "namespace"];
const GENERATOR_ARGS_FIELDS: &[&str] = &["namespace", "name", "behavior", "literals", "files", "envs", "env", "options", "type"];
const IAM_FIELDS: &[&str] = &["cloud", "kubernetesService", "serviceAccount"];

/// A field spec (`group`, `version`, `kind`, `path`, `create`).
fn field_spec(o: Obj) -> Result<FieldSpec> {
    let o = o.promoting(GVK_FIELDS);
    Ok(FieldSpec {
        gvk: Gvk::new(&o.string("group")?, &o.string("version")?, &o.string("kind")?),
        path: o.string("path")?,
        create: o.boolean("create")?,
    })
}

/// `fieldSpecs`: `None` when missing or null.
fn field_specs(o: &Obj) -> Result<Option<Vec<FieldSpec>>> {
    match o.objects("fieldSpecs", "FieldSpec")? {
        None => Ok(None),
        Some(list) => list.into_iter().map(field_spec).collect::<Result<Vec<_>>>().map(Some),
    }
}

fn selector(o: Obj) -> Result<Selector> {
    let o = o.promoting(RESID_FIELDS);
    Ok(Selector {
        group: o.string("group")?,
        version: o.string("version")?,
        kind: o.string("kind")?,
        name: o.string("name")?,
        namespace: o.string("namespace")?,
        annotation_selector: o.string("annotationSelector")?,
        label_selector: o.string("labelSelector")?,
    })
}

fn target(o: &Obj) -> Result<Option<Selector>> {
    o.object("target", "Selector")?.map(selector).transpose()
}

fn field_options(o: Option<Obj>) -> Result<Option<FieldOptions>> {
    let Some(o) = o else { return Ok(None) };
    Ok(Some(FieldOptions {
        delimiter: o.string("delimiter")?,
        index: o.int64("index")?,
        encoding: o.string("encoding")?,
        create: o.boolean("create")?,
    }))
}

/// The ReplacementTransformer's `replacements` (each a file `path` or an inline `source` and
/// `targets`, which come from an embedded struct: no number-to-text conversion below them).
fn replacement_fields(o: &Obj) -> Result<Vec<ReplacementField>> {
    let mut out = Vec::new();
    for f in o.objects("replacements", "ReplacementField")?.unwrap_or_default() {
        let f = f.promoting(&["source", "targets"]);
        let source = match f.object("source", "SourceSelector")? {
            Some(s) => {
                let s = s.promoting(RESID_FIELDS);
                Some(SourceSelector {
                    group: s.string("group")?,
                    version: s.string("version")?,
                    kind: s.string("kind")?,
                    name: s.string("name")?,
                    namespace: s.string("namespace")?,
                    field_path: s.string("fieldPath")?,
                    options: field_options(s.object("options", "FieldOptions")?)?,
                })
            }
            None => None,
        };
        let mut targets = Vec::new();
        for t in f.objects("targets", "TargetSelector")?.unwrap_or_default() {
            targets.push(TargetSelector {
                select: t.object("select", "Selector")?.map(selector).transpose()?,
                reject: t.objects("reject", "Selector")?.unwrap_or_default().into_iter().map(selector).collect::<Result<_>>()?,
                field_paths: t.strings("fieldPaths")?.unwrap_or_default(),
                options: field_options(t.object("options", "FieldOptions")?)?,
            });
        }
        out.push(ReplacementField { source, targets, path: f.string("path")? });
    }
    Ok(out)
}

fn configure_transformer(kind: &str, r: &Resource, ctx: &PluginContext) -> Result<Vec<PluginTransformer>> {
    let load_text = |p: &str| ctx.load_text(p);
    let json = |strukt: &'static str| Obj::top(&r.node, Mode::Json, strukt);
    let one = |t: Transformer| Ok(vec![PluginTransformer::Builtin(t)]);
    match kind {
        "AnnotationsTransformer" => {
            let o = json("AnnotationsTransformerPlugin")?;
            let annotations = o.str_map("annotations")?.into_iter().collect();
            one(Transformer::Annotations(AnnotationsTransformer::new(annotations, field_specs(&o)?.unwrap_or_default())))
        }
        "LabelTransformer" => {
            let o = json("LabelTransformerPlugin")?;
            let labels = o.str_map("labels")?.into_iter().collect();
            one(Transformer::Labels(LabelTransformer::new(labels, field_specs(&o)?.unwrap_or_default())))
        }
        "NamespaceTransformer" => {
            let o = json("NamespaceTransformerPlugin")?;
            let namespace = match o.object("metadata", "ObjectMeta")? {
                Some(m) => m.string("namespace")?,
                None => String::new(),
            };
            let mode = o.string("setRoleBindingSubjects")?;
            let t = NamespaceTransformer {
                namespace,
                field_specs: field_specs(&o)?.unwrap_or_default(),
                unset_only: o.boolean("unsetOnly")?,
                set_role_binding_subjects: RoleBindingSubjectMode::parse(&mode)?,
            };
            one(Transformer::Namespace(t))
        }
        "PrefixTransformer" | "SuffixTransformer" | "PrefixSuffixTransformer" => {
            let o = Obj::top(&r.node, Mode::V3, "PrefixTransformerPlugin")?;
            let Some(specs) = field_specs(&o)? else {
                return Err(err!(Kustomization, "fieldSpecs is not expected to be nil"));
            };
            let mut out = Vec::new();
            if kind != "SuffixTransformer" {
                let p = PrefixSuffixTransformer::new_prefix(&o.string("prefix")?, specs.clone());
                out.push(PluginTransformer::Builtin(Transformer::PrefixSuffix(p)));
            }
            if kind != "PrefixTransformer" {
                let s = PrefixSuffixTransformer::new_suffix(&o.string("suffix")?, specs);
                out.push(PluginTransformer::Builtin(Transformer::PrefixSuffix(s)));
            }
            Ok(out)
        }
        "ImageTagTransformer" => {
            let o = json("ImageTagTransformerPlugin")?;
            let image = match o.object("imageTag", "Image")? {
                Some(i) => Image {
                    name: i.string("name")?,
                    new_name: i.string("newName")?,
                    tag_suffix: i.string("tagSuffix")?,
                    new_tag: i.string("newTag")?,
                    digest: i.string("digest")?,
                },
                None => Image::default(),
            };
            one(Transformer::Images(ImageTagTransformer::new(image, field_specs(&o)?.unwrap_or_default())))
        }
        "ReplicaCountTransformer" => {
            let o = json("ReplicaCountTransformerPlugin")?;
            let replica = match o.object("replica", "Replica")? {
                Some(x) => Replica { name: x.string("name")?, count: x.int64("count")? },
                None => Replica::default(),
            };
            one(Transformer::Replicas(ReplicaCountTransformer::new(replica, field_specs(&o)?.unwrap_or_default())))
        }
        "PatchTransformer" => {
            let o = json("PatchTransformerPlugin")?;
            let p = Patch { path: o.string("path")?, patch: o.string("patch")?, target: target(&o)?, options: o.bool_map("options")? };
            one(Transformer::Patch(PatchTransformer::new(&p, &load_text)?))
        }
        "PatchStrategicMergeTransformer" => {
            let o = json("PatchStrategicMergeTransformerPlugin")?;
            let paths = o.strings("paths")?.unwrap_or_default();
            let patches = o.string("patches")?;
            if paths.is_empty() && patches.is_empty() {
                return Err(err!(Kustomization, "empty file path and empty patch content"));
            }
            // Each path is tried as inline patch content first, then as a file; `patches` is
            // inline content.
            let mut entries = paths;
            if !patches.is_empty() {
                entries.push(patches);
            }
            one(Transformer::PatchStrategicMerge(PatchStrategicMergeTransformer::new(&entries, &load_text)?))
        }
        "PatchJson6902Transformer" => {
            let o = json("PatchJson6902TransformerPlugin")?;
            let Some(t) = target(&o)? else {
                // kustomize dereferences the missing target and panics.
                return Err(err!(Kustomization, "runtime error: invalid memory address or nil pointer dereference"));
            };
            let p = Patch { path: o.string("path")?, patch: o.string("jsonOp")?, target: Some(t), options: Default::default() };
            one(Transformer::PatchJson6902(PatchJson6902Transformer::new(&p, &load_text)?))
        }
        "HashTransformer" => Ok(vec![PluginTransformer::Hash]),
        "ReplacementTransformer" => {
            let o = json("ReplacementTransformerPlugin")?;
            let fields = replacement_fields(&o)?;
            one(Transformer::Replacements(ReplacementTransformer::new(&fields, &load_text)?))
        }
        "ValueAddTransformer" => Err(err!(Unsupported, "the ValueAddTransformer plugin is not supported yet")),
        other => Err(err!(Kustomization, "unable to load builtin {}", Gvk::new("", "builtin", other))),
    }
}

/// A configured generator.
enum Generator {
    ConfigMap(GeneratorArgs),
    Secret(SecretArgs),
    /// The IAMPolicyGenerator: its cloud (only `gke` works) and the resource text it makes.
    IamPolicy { cloud: String, text: String },
    /// HelmChartInflationGenerator.
    Helm(crate::generate::helm::HelmInflation),
    /// An exec KRM function.
    Exec(exec::ExecFunction),
}

impl Generator {
    fn generate(&self, ctx: &PluginContext) -> Result<Vec<Resource>> {
        match self {
            Generator::ConfigMap(args) => Ok(vec![crate::generate::make_config_map(args, None, ctx.load)?]),
            Generator::Secret(args) => Ok(vec![crate::generate::make_secret(args, None, ctx.load)?]),
            Generator::Helm(inf) => crate::generate::helm::generate(inf, helm_settings(ctx), ctx.load),
            Generator::Exec(f) => f.generate(),
            Generator::IamPolicy { cloud, text } => {
                if cloud != "gke" {
                    return Err(err!(Kustomization, "cloud provider {} not supported yet", cloud));
                }
                let docs = crate::yaml::load_documents(text)?;
                Ok(docs.into_iter().map(Resource::new).collect())
            }
        }
    }
}

/// The `GeneratorArgs` fields of a ConfigMapGenerator or SecretGenerator config, with the name
/// and namespace taken from `metadata` when not given at the top.
fn generator_args(o: &Obj) -> Result<GeneratorArgs> {
    let options = match o.object("options", "GeneratorOptions")? {
        Some(x) => Some(GeneratorOptions {
            labels: x.str_map("labels")?,
            annotations: x.str_map("annotations")?,
            disable_name_suffix_hash: x.boolean("disableNameSuffixHash")?,
            immutable: x.boolean("immutable")?,
        }),
        None => None,
    };
    let mut args = GeneratorArgs {
        namespace: o.string("namespace")?,
        name: o.string("name")?,
        behavior: o.string("behavior")?,
        literals: o.strings("literals")?.unwrap_or_default(),
        files: o.strings("files")?.unwrap_or_default(),
        // The singular `env` is not read by the generators themselves (only a kustomization's
        // fields get it folded into `envs`).
        envs: o.strings("envs")?.unwrap_or_default(),
        env: String::new(),
        options,
    };
    if let Some(meta) = o.object("metadata", "ObjectMeta")? {
        if args.name.is_empty() {
            args.name = meta.string("name")?;
        }
        if args.namespace.is_empty() {
            args.namespace = meta.string("namespace")?;
        }
    }
    Ok(args)
}

fn configure_generator(kind: &str, r: &Resource, ctx: &PluginContext) -> Result<Generator> {
    match kind {
        "ConfigMapGenerator" => {
            let o = Obj::top(&r.node, Mode::Json, "ConfigMapGeneratorPlugin")?.promoting(GENERATOR_ARGS_FIELDS);
            Ok(Generator::ConfigMap(generator_args(&o)?))
        }
        "SecretGenerator" => {
            let o = Obj::top(&r.node, Mode::Json, "SecretGeneratorPlugin")?.promoting(GENERATOR_ARGS_FIELDS);
            Ok(Generator::Secret(SecretArgs { args: generator_args(&o)?, secret_type: o.string("type")? }))
        }
        "IAMPolicyGenerator" => {
            let o = Obj::top(&r.node, Mode::Json, "IAMPolicyGeneratorPlugin")?.promoting(IAM_FIELDS);
            let cloud = o.string("cloud")?;
            let (ks_name, ks_namespace) = match o.object("kubernetesService", "KubernetesService")? {
                Some(k) => (k.string("name")?, k.string("namespace")?),
                None => (String::new(), String::new()),
            };
            let (sa_name, project) = match o.object("serviceAccount", "ServiceAccount")? {
                Some(s) => (s.string("name")?, s.string("projectId")?),
                None => (String::new(), String::new()),
            };
            // The filter fills a text template (values are not quoted) and parses it.
            let mut text = format!(
                "\napiVersion: v1\nkind: ServiceAccount\nmetadata:\n  annotations:\n    iam.gke.io/gcp-service-account: {}@{}.iam.gserviceaccount.com\n  name: {}\n",
                sa_name, project, ks_name
            );
            if !ks_namespace.is_empty() {
                text.push_str(&format!("\n  namespace: {}", ks_namespace));
            }
            Ok(Generator::IamPolicy { cloud, text })
        }
        "HelmChartInflationGenerator" => {
            let (globals, chart) = helm_config(r)?;
            Ok(Generator::Helm(crate::generate::helm::configure(&globals, &chart, helm_settings(ctx), ctx.root, ctx.load)?))
        }
        other => Err(err!(Kustomization, "unable to load builtin {}", Gvk::new("", "builtin", other))),
    }
}

fn helm_settings<'a>(ctx: &PluginContext<'a>) -> crate::generate::helm::HelmSettings<'a> {
    crate::generate::helm::HelmSettings { enabled: ctx.enable_helm, command: ctx.helm_command }
}

/// The `HelmGlobals` and `HelmChart` fields of a HelmChartInflationGeneratorPlugin config (both
/// embedded at the top level), decoded as a kustomization's `helmGlobals` and `helmCharts` are.
fn helm_config(r: &Resource) -> Result<(crate::kustomization::HelmGlobals, crate::kustomization::HelmChart)> {
    use crate::yaml::{Mapping, Node};
    let mut globals = Mapping::new();
    let mut chart = Mapping::new();
    let (globals_fields, chart_fields) = crate::kustomization::helm_fields();
    if let Node::Map(m) = &r.node {
        for e in &m.entries {
            if globals_fields.contains(&e.key.as_str()) {
                globals.insert(e.key.as_str(), e.value.clone());
            } else if chart_fields.contains(&e.key.as_str()) {
                chart.insert(e.key.as_str(), e.value.clone());
            }
        }
    }
    let mut k = Mapping::new();
    k.insert("helmGlobals", Node::Map(globals));
    k.insert("helmCharts", Node::Seq(vec![Node::Map(chart)]));
    let mut k = crate::kustomization::from_node(&Node::Map(k))?;
    Ok((k.helm_globals.take().unwrap_or_default(), k.helm_charts.pop().unwrap_or_default()))
}

#[cfg(test)]
mod tests;

pub mod exec;
