//! Reading a kustomization file as kustomize v5.5.0's `KustTarget.Load` does: YAML to JSON
//! (go-yaml v2 typing), a strict JSON decode into the Go types, deprecation warnings,
//! `FixKustomization`, the emptiness check and the kind/apiVersion check.

use super::decode::*;
use super::json::{to_json, JVal};
use super::legacy;
use super::types::*;
use crate::error::{Error, ErrorKind, Result};
use crate::yaml::Node;

/// A kustomization as decoded, before `FixKustomization`: the raw kind and which top-level
/// fields are non-nil in Go terms (what the warnings and the emptiness check look at).
#[derive(Default)]
pub(crate) struct Raw {
    pub(crate) k: Kustomization,
    pub(crate) kind: String,
    /// Bit `i` set when `KUST_FIELDS[i]` is a non-nil slice, map or pointer, or a non-empty
    /// string.
    pub(crate) nonnil: u64,
}

pub(crate) const KUST_FIELDS: &[&str] = &[
    "kind",
    "apiVersion",
    "metadata",
    "openapi",
    "namePrefix",
    "nameSuffix",
    "namespace",
    "commonLabels",
    "labels",
    "commonAnnotations",
    "patchesStrategicMerge",
    "patchesJson6902",
    "patches",
    "images",
    "imageTags",
    "replacements",
    "replicas",
    "vars",
    "sortOptions",
    "resources",
    "components",
    "crds",
    "bases",
    "configMapGenerator",
    "secretGenerator",
    "helmGlobals",
    "helmCharts",
    "helmChartInflationGenerator",
    "generatorOptions",
    "configurations",
    "generators",
    "transformers",
    "validators",
    "buildMetadata",
];

/// The bit of a top-level field in [`Raw::nonnil`] (computed at compile time where used in a
/// constant; an unknown name does not compile there).
pub(crate) const fn bit(name: &str) -> u64 {
    let n = name.as_bytes();
    let mut i = 0;
    while i < KUST_FIELDS.len() {
        let f = KUST_FIELDS[i].as_bytes();
        if f.len() == n.len() {
            let mut j = 0;
            while j < n.len() && f[j] == n[j] {
                j += 1;
            }
            if j == n.len() {
                return 1 << i;
            }
        }
        i += 1;
    }
    panic!("not a Kustomization field")
}

impl GoStruct for Raw {
    const NAME: &'static str = "Kustomization";
    const FIELDS: &'static [&'static str] = KUST_FIELDS;
    fn field<V: Val>(&mut self, d: &mut Dec, i: usize, v: &mut V) {
        let k = &mut self.k;
        let was = self.nonnil & (1 << i) != 0;
        let now = match KUST_FIELDS[i] {
            "kind" => {
                dec_string(d, &mut self.kind, v);
                !self.kind.is_empty()
            }
            "apiVersion" => {
                dec_string(d, &mut k.api_version, v);
                !k.api_version.is_empty()
            }
            "metadata" => {
                dec_ptr(d, &mut k.metadata, v);
                k.metadata.is_some()
            }
            "openapi" => {
                dec_str_map(d, &mut k.openapi, v);
                nonnil_after(v, was)
            }
            "namePrefix" => {
                dec_string(d, &mut k.name_prefix, v);
                !k.name_prefix.is_empty()
            }
            "nameSuffix" => {
                dec_string(d, &mut k.name_suffix, v);
                !k.name_suffix.is_empty()
            }
            "namespace" => {
                dec_string(d, &mut k.namespace, v);
                !k.namespace.is_empty()
            }
            "commonLabels" => {
                dec_str_map(d, &mut k.common_labels, v);
                nonnil_after(v, was)
            }
            "labels" => {
                dec_vec(d, &mut k.labels, v, "[]types.Label", dec_struct);
                nonnil_after(v, was)
            }
            "commonAnnotations" => {
                dec_str_map(d, &mut k.common_annotations, v);
                nonnil_after(v, was)
            }
            "patchesStrategicMerge" => {
                dec_vec(d, &mut k.patches_strategic_merge, v, "[]types.PatchStrategicMerge", |d, s, v| {
                    dec_string_as(d, s, v, "types.PatchStrategicMerge")
                });
                nonnil_after(v, was)
            }
            "patchesJson6902" => {
                dec_vec(d, &mut k.patches_json6902, v, "[]types.Patch", dec_struct);
                nonnil_after(v, was)
            }
            "patches" => {
                dec_vec(d, &mut k.patches, v, "[]types.Patch", dec_struct);
                nonnil_after(v, was)
            }
            "images" => {
                dec_vec(d, &mut k.images, v, "[]types.Image", dec_struct);
                nonnil_after(v, was)
            }
            "imageTags" => {
                dec_vec(d, &mut k.image_tags, v, "[]types.Image", dec_struct);
                nonnil_after(v, was)
            }
            "replacements" => {
                dec_vec(d, &mut k.replacements, v, "[]types.ReplacementField", dec_struct);
                nonnil_after(v, was)
            }
            "replicas" => {
                dec_vec(d, &mut k.replicas, v, "[]types.Replica", dec_struct);
                nonnil_after(v, was)
            }
            "vars" => {
                dec_vec(d, &mut k.vars, v, "[]types.Var", dec_struct);
                nonnil_after(v, was)
            }
            "sortOptions" => {
                dec_ptr(d, &mut k.sort_options, v);
                k.sort_options.is_some()
            }
            "resources" => {
                dec_strings(d, &mut k.resources, v);
                nonnil_after(v, was)
            }
            "components" => {
                dec_strings(d, &mut k.components, v);
                nonnil_after(v, was)
            }
            "crds" => {
                dec_strings(d, &mut k.crds, v);
                nonnil_after(v, was)
            }
            "bases" => {
                dec_strings(d, &mut k.bases, v);
                nonnil_after(v, was)
            }
            "configMapGenerator" => {
                dec_vec(d, &mut k.config_map_generator, v, "[]types.ConfigMapArgs", dec_struct);
                nonnil_after(v, was)
            }
            "secretGenerator" => {
                dec_vec(d, &mut k.secret_generator, v, "[]types.SecretArgs", dec_struct);
                nonnil_after(v, was)
            }
            "helmGlobals" => {
                dec_ptr(d, &mut k.helm_globals, v);
                k.helm_globals.is_some()
            }
            "helmCharts" => {
                dec_vec(d, &mut k.helm_charts, v, "[]types.HelmChart", dec_struct);
                nonnil_after(v, was)
            }
            "helmChartInflationGenerator" => {
                dec_vec(d, &mut k.helm_chart_inflation_generator, v, "[]types.HelmChartArgs", dec_struct);
                nonnil_after(v, was)
            }
            "generatorOptions" => {
                dec_ptr(d, &mut k.generator_options, v);
                k.generator_options.is_some()
            }
            "configurations" => {
                dec_strings(d, &mut k.configurations, v);
                nonnil_after(v, was)
            }
            "generators" => {
                dec_strings(d, &mut k.generators, v);
                nonnil_after(v, was)
            }
            "transformers" => {
                dec_strings(d, &mut k.transformers, v);
                nonnil_after(v, was)
            }
            "validators" => {
                dec_strings(d, &mut k.validators, v);
                nonnil_after(v, was)
            }
            "buildMetadata" => {
                dec_strings(d, &mut k.build_metadata, v);
                nonnil_after(v, was)
            }
            _ => was,
        };
        if now {
            self.nonnil |= 1 << i;
        } else {
            self.nonnil &= !(1 << i);
        }
    }
}

/// Decodes a document into the raw Go struct: `Kustomization.Unmarshal`. Straight from the
/// YAML nodes when that is sure to give what the JSON detour gives ([`unmarshal_fast`]), else
/// through JSON ([`unmarshal_general`]).
pub(crate) fn unmarshal(doc: Option<&Node>) -> Result<Raw> {
    let Some(node) = doc else { return Ok(Raw::default()) };
    unmarshal_owned(node.clone(), || Ok(node.clone()))
}

/// [`unmarshal`] of a document of its own, whose strings are moved into the result rather
/// than copied. `original` gives the document again for the general path when the fast path
/// gives up (it may have moved strings out by then).
pub(crate) fn unmarshal_owned(mut node: Node, original: impl FnOnce() -> Result<Node>) -> Result<Raw> {
    match unmarshal_fast(&mut node) {
        Some(raw) => Ok(raw),
        None => unmarshal_general(&original()?),
    }
}

/// The fast path: decodes the nodes themselves, giving up (`None`) on anything that the JSON
/// conversion could change or that is an error (tags, floats, keys that are not plain strings,
/// two keys setting one field (`kind` and `Kind`), values of the wrong type, unknown
/// fields, Helm values). What it returns is what [`unmarshal_general`] returns.
pub(crate) fn unmarshal_fast(node: &mut Node) -> Option<Raw> {
    if !matches!(node, Node::Map(_)) {
        return None;
    }
    let mut raw = Raw::default();
    let mut d = Dec::default();
    dec_struct(&mut d, &mut raw, node);
    if d.clean() {
        Some(raw)
    } else {
        None
    }
}

/// The general path: `yaml.YAMLToJSON`, then Go's strict JSON decoding.
pub(crate) fn unmarshal_general(node: &Node) -> Result<Raw> {
    let mut raw = Raw::default();
    let mut v = to_json(node)?;
    if let Some(bad) = v.first_unsupported() {
        return Err(Error::new(
            ErrorKind::Kustomization,
            format!("invalid Kustomization: json: unsupported value: {}", bad),
        ));
    }
    let mut d = Dec::default();
    dec_struct(&mut d, &mut raw, &mut v);
    match d.error {
        Some(e) => Err(e),
        None => Ok(raw),
    }
}

/// Everything `KustTarget.Load` does once the file is read, `dir` being the kustomization
/// root as kustomize prints it. The deprecation warnings are pushed to `warnings` as soon as
/// kustomize would print them (so also when a later check fails), and kept in the result.
pub(crate) fn load_node(doc: Option<&Node>, dir: &str, warnings: &mut Vec<String>) -> Result<Kustomization> {
    load_raw(unmarshal(doc)?, dir, warnings)
}

/// [`load_node`] of a document of its own (see [`unmarshal_owned`]).
pub(crate) fn load_node_owned(
    doc: Option<Node>,
    original: impl FnOnce() -> Result<Node>,
    dir: &str,
    warnings: &mut Vec<String>,
) -> Result<Kustomization> {
    let raw = match doc {
        Some(node) => unmarshal_owned(node, original)?,
        None => Raw::default(),
    };
    load_raw(raw, dir, warnings)
}

/// The steps of [`load_node`] after decoding.
fn load_raw(raw: Raw, dir: &str, warnings: &mut Vec<String>) -> Result<Kustomization> {
    let warned = legacy::deprecation_warnings(raw.nonnil);
    warnings.extend(warned.iter().cloned());
    let empty = legacy::is_empty_after_fix(&raw);
    let (mut k, kind) = legacy::fix(raw);
    k.warnings = warned;
    if empty {
        return Err(legacy::empty_error());
    }
    legacy::enforce_fields(&kind, &k.api_version, dir)?;
    Ok(k)
}

// --- The other Go structs. ---

macro_rules! go_struct {
    ($t:ty, $name:literal, [$($f:literal),* $(,)?], |$s:ident, $d:ident, $v:ident| { $($i:literal => $e:expr),* $(,)? }) => {
        impl GoStruct for $t {
            const NAME: &'static str = $name;
            const FIELDS: &'static [&'static str] = &[$($f),*];
            fn field<V: Val>(&mut self, $d: &mut Dec, i: usize, $v: &mut V) {
                let $s = self;
                match Self::FIELDS[i] {
                    $($i => $e,)*
                    _ => {}
                }
            }
        }
    };
}

go_struct!(ObjectMeta, "ObjectMeta", ["name", "namespace", "labels", "annotations"], |s, d, v| {
    "name" => dec_string(d, &mut s.name, v),
    "namespace" => dec_string(d, &mut s.namespace, v),
    "labels" => dec_str_map(d, &mut s.labels, v),
    "annotations" => dec_str_map(d, &mut s.annotations, v),
});

go_struct!(Label, "Label", ["pairs", "includeSelectors", "includeTemplates", "fields"], |s, d, v| {
    "pairs" => dec_str_map(d, &mut s.pairs, v),
    "includeSelectors" => dec_bool(d, &mut s.include_selectors, v),
    "includeTemplates" => dec_bool(d, &mut s.include_templates, v),
    "fields" => dec_vec(d, &mut s.fields, v, "[]types.FieldSpec", dec_struct),
});

go_struct!(FieldSpec, "FieldSpec", ["group", "version", "kind", "path", "create"], |s, d, v| {
    "group" => dec_string(d, &mut s.group, v),
    "version" => dec_string(d, &mut s.version, v),
    "kind" => dec_string(d, &mut s.kind, v),
    "path" => dec_string(d, &mut s.path, v),
    "create" => dec_bool(d, &mut s.create, v),
});

go_struct!(Patch, "Patch", ["path", "patch", "target", "options"], |s, d, v| {
    "path" => dec_string(d, &mut s.path, v),
    "patch" => dec_string(d, &mut s.patch, v),
    "target" => dec_ptr(d, &mut s.target, v),
    "options" => dec_bool_map(d, &mut s.options, v),
});

go_struct!(
    Selector,
    "Selector",
    ["group", "version", "kind", "name", "namespace", "annotationSelector", "labelSelector"],
    |s, d, v| {
        "group" => dec_string(d, &mut s.group, v),
        "version" => dec_string(d, &mut s.version, v),
        "kind" => dec_string(d, &mut s.kind, v),
        "name" => dec_string(d, &mut s.name, v),
        "namespace" => dec_string(d, &mut s.namespace, v),
        "annotationSelector" => dec_string(d, &mut s.annotation_selector, v),
        "labelSelector" => dec_string(d, &mut s.label_selector, v),
    }
);

go_struct!(Image, "Image", ["name", "newName", "tagSuffix", "newTag", "digest"], |s, d, v| {
    "name" => dec_string(d, &mut s.name, v),
    "newName" => dec_string(d, &mut s.new_name, v),
    "tagSuffix" => dec_string(d, &mut s.tag_suffix, v),
    "newTag" => dec_string(d, &mut s.new_tag, v),
    "digest" => dec_string(d, &mut s.digest, v),
});

go_struct!(ReplacementField, "ReplacementField", ["source", "targets", "path"], |s, d, v| {
    "source" => dec_ptr(d, &mut s.source, v),
    "targets" => dec_vec(d, &mut s.targets, v, "[]*types.TargetSelector", dec_ptr_elem),
    "path" => dec_string(d, &mut s.path, v),
});

go_struct!(
    SourceSelector,
    "SourceSelector",
    ["group", "version", "kind", "name", "namespace", "fieldPath", "options"],
    |s, d, v| {
        "group" => dec_string(d, &mut s.group, v),
        "version" => dec_string(d, &mut s.version, v),
        "kind" => dec_string(d, &mut s.kind, v),
        "name" => dec_string(d, &mut s.name, v),
        "namespace" => dec_string(d, &mut s.namespace, v),
        "fieldPath" => dec_string(d, &mut s.field_path, v),
        "options" => dec_ptr(d, &mut s.options, v),
    }
);

go_struct!(TargetSelector, "TargetSelector", ["select", "reject", "fieldPaths", "options"], |s, d, v| {
    "select" => dec_ptr(d, &mut s.select, v),
    "reject" => dec_vec(d, &mut s.reject, v, "[]*types.Selector", dec_ptr_elem),
    "fieldPaths" => dec_strings(d, &mut s.field_paths, v),
    "options" => dec_ptr(d, &mut s.options, v),
});

go_struct!(FieldOptions, "FieldOptions", ["delimiter", "index", "encoding", "create"], |s, d, v| {
    "delimiter" => dec_string(d, &mut s.delimiter, v),
    "index" => dec_int(d, &mut s.index, v, "int"),
    "encoding" => dec_string(d, &mut s.encoding, v),
    "create" => dec_bool(d, &mut s.create, v),
});

go_struct!(Replica, "Replica", ["name", "count"], |s, d, v| {
    "name" => dec_string(d, &mut s.name, v),
    "count" => dec_int(d, &mut s.count, v, "int64"),
});

go_struct!(Var, "Var", ["name", "objref", "fieldref"], |s, d, v| {
    "name" => dec_string(d, &mut s.name, v),
    "objref" => dec_struct(d, &mut s.objref, v),
    "fieldref" => dec_struct(d, &mut s.fieldref, v),
});

go_struct!(Target, "Target", ["apiVersion", "group", "version", "kind", "name", "namespace"], |s, d, v| {
    "apiVersion" => dec_string(d, &mut s.api_version, v),
    "group" => dec_string(d, &mut s.group, v),
    "version" => dec_string(d, &mut s.version, v),
    "kind" => dec_string(d, &mut s.kind, v),
    "name" => dec_string(d, &mut s.name, v),
    "namespace" => dec_string(d, &mut s.namespace, v),
});

go_struct!(FieldSelector, "FieldSelector", ["fieldPath"], |s, d, v| {
    "fieldPath" => dec_string(d, &mut s.field_path, v),
});

go_struct!(SortOptions, "SortOptions", ["order", "legacySortOptions"], |s, d, v| {
    "order" => dec_string_as(d, &mut s.order, v, "types.SortOrder"),
    "legacySortOptions" => dec_ptr(d, &mut s.legacy_sort_options, v),
});

go_struct!(LegacySortOptions, "LegacySortOptions", ["orderFirst", "orderLast"], |s, d, v| {
    "orderFirst" => dec_strings(d, &mut s.order_first, v),
    "orderLast" => dec_strings(d, &mut s.order_last, v),
});

go_struct!(
    GeneratorOptions,
    "GeneratorOptions",
    ["labels", "annotations", "disableNameSuffixHash", "immutable"],
    |s, d, v| {
        "labels" => dec_str_map(d, &mut s.labels, v),
        "annotations" => dec_str_map(d, &mut s.annotations, v),
        "disableNameSuffixHash" => dec_bool(d, &mut s.disable_name_suffix_hash, v),
        "immutable" => dec_bool(d, &mut s.immutable, v),
    }
);

/// The fields of `types.GeneratorArgs` (embedded, so promoted into the generator structs).
const GENERATOR_FIELDS: [&str; 8] = ["namespace", "name", "behavior", "literals", "files", "envs", "env", "options"];

fn generator_field<V: Val>(g: &mut GeneratorArgs, d: &mut Dec, name: &str, v: &mut V) {
    match name {
        "namespace" => dec_string(d, &mut g.namespace, v),
        "name" => dec_string(d, &mut g.name, v),
        "behavior" => dec_string(d, &mut g.behavior, v),
        "literals" => dec_strings(d, &mut g.literals, v),
        "files" => dec_strings(d, &mut g.files, v),
        "envs" => dec_strings(d, &mut g.envs, v),
        "env" => dec_string(d, &mut g.env, v),
        "options" => dec_ptr(d, &mut g.options, v),
        _ => {}
    }
}

/// `types.ConfigMapArgs` (in Rust, [`GeneratorArgs`] itself).
impl GoStruct for GeneratorArgs {
    const NAME: &'static str = "ConfigMapArgs";
    const FIELDS: &'static [&'static str] = &GENERATOR_FIELDS;
    fn field<V: Val>(&mut self, d: &mut Dec, i: usize, v: &mut V) {
        generator_field(self, d, Self::FIELDS[i], v)
    }
}

go_struct!(
    SecretArgs,
    "SecretArgs",
    ["namespace", "name", "behavior", "literals", "files", "envs", "env", "options", "type"],
    |s, d, v| {
        "namespace" => generator_field(&mut s.args, d, "namespace", v),
        "name" => generator_field(&mut s.args, d, "name", v),
        "behavior" => generator_field(&mut s.args, d, "behavior", v),
        "literals" => generator_field(&mut s.args, d, "literals", v),
        "files" => generator_field(&mut s.args, d, "files", v),
        "envs" => generator_field(&mut s.args, d, "envs", v),
        "env" => generator_field(&mut s.args, d, "env", v),
        "options" => generator_field(&mut s.args, d, "options", v),
        "type" => dec_string(d, &mut s.secret_type, v),
    }
);

go_struct!(HelmGlobals, "HelmGlobals", ["chartHome", "configHome"], |s, d, v| {
    "chartHome" => dec_string(d, &mut s.chart_home, v),
    "configHome" => dec_string(d, &mut s.config_home, v),
});

go_struct!(
    HelmChart,
    "HelmChart",
    [
        "name",
        "version",
        "repo",
        "releaseName",
        "namespace",
        "additionalValuesFiles",
        "valuesFile",
        "valuesInline",
        "valuesMerge",
        "includeCRDs",
        "skipHooks",
        "apiVersions",
        "kubeVersion",
        "nameTemplate",
        "skipTests",
        "debug",
    ],
    |s, d, v| {
        "name" => dec_string(d, &mut s.name, v),
        "version" => dec_string(d, &mut s.version, v),
        "repo" => dec_string(d, &mut s.repo, v),
        "releaseName" => dec_string(d, &mut s.release_name, v),
        "namespace" => dec_string(d, &mut s.namespace, v),
        "additionalValuesFiles" => dec_strings(d, &mut s.additional_values_files, v),
        "valuesFile" => dec_string(d, &mut s.values_file, v),
        "valuesInline" => dec_any_map(d, &mut s.values_inline, v),
        "valuesMerge" => dec_string(d, &mut s.values_merge, v),
        "includeCRDs" => dec_bool(d, &mut s.include_crds, v),
        "skipHooks" => dec_bool(d, &mut s.skip_hooks, v),
        "apiVersions" => dec_strings(d, &mut s.api_versions, v),
        "kubeVersion" => dec_string(d, &mut s.kube_version, v),
        "nameTemplate" => dec_string(d, &mut s.name_template, v),
        "skipTests" => dec_bool(d, &mut s.skip_tests, v),
        "debug" => dec_bool(d, &mut s.debug, v),
    }
);

go_struct!(
    HelmChartArgs,
    "HelmChartArgs",
    [
        "chartName",
        "chartVersion",
        "chartRepoUrl",
        "chartHome",
        "chartRepoName",
        "helmBin",
        "helmHome",
        "values",
        "valuesLocal",
        "valuesMerge",
        "releaseName",
        "releaseNamespace",
        "extraArgs",
    ],
    |s, d, v| {
        "chartName" => dec_string(d, &mut s.chart_name, v),
        "chartVersion" => dec_string(d, &mut s.chart_version, v),
        "chartRepoUrl" => dec_string(d, &mut s.chart_repo_url, v),
        "chartHome" => dec_string(d, &mut s.chart_home, v),
        "chartRepoName" => dec_string(d, &mut s.chart_repo_name, v),
        "helmBin" => dec_string(d, &mut s.helm_bin, v),
        "helmHome" => dec_string(d, &mut s.helm_home, v),
        "values" => dec_string(d, &mut s.values, v),
        "valuesLocal" => dec_any_map(d, &mut s.values_local, v),
        "valuesMerge" => dec_string(d, &mut s.values_merge, v),
        "releaseName" => dec_string(d, &mut s.release_name, v),
        "releaseNamespace" => dec_string(d, &mut s.release_namespace, v),
        "extraArgs" => dec_strings(d, &mut s.extra_args, v),
    }
);

/// The field names of `HelmGlobals` and `HelmChart`, as the decoder knows them.
pub(crate) fn helm_fields() -> (&'static [&'static str], &'static [&'static str]) {
    (<HelmGlobals as GoStruct>::FIELDS, <HelmChart as GoStruct>::FIELDS)
}

/// Reads a replacements file (a `replacements` entry's `path`) as kustomize's
/// ReplacementTransformer does: `sigs.k8s.io/yaml` (go-yaml v2, first document), one
/// replacement (a mapping) or a list of them, unknown fields ignored. Each result has an empty
/// `path`.
pub(crate) fn replacements(src: &str) -> Result<Vec<ReplacementField>> {
    use crate::yaml::load::{load_documents_with, LoadOptions};
    let docs = load_documents_with(src, &LoadOptions::kustomization())
        .map_err(|e| Error::new(e.kind(), format!("error converting YAML to JSON: {}", e.message())))?;
    let mut v = match docs.first() {
        Some(n) => to_json(n)?,
        None => JVal::Null,
    };
    if let Some(bad) = v.first_unsupported() {
        return Err(Error::new(
            ErrorKind::Kustomization,
            format!("error converting YAML to JSON: json: unsupported value: {}", bad),
        ));
    }
    let go_kind = match &v {
        JVal::Arr(_) => "slice",
        JVal::Obj(_) => "map",
        JVal::Null => "invalid",
        JVal::Bool(_) => "bool",
        JVal::Num(_) | JVal::Unsupported(_) => "float64",
        JVal::Str(_) => "string",
    };
    let mut d = Dec::default();
    d.lenient = true;
    let mut out: Vec<ReplacementField> = Vec::new();
    match go_kind {
        "slice" => dec_vec(&mut d, &mut out, &mut v, "[]types.Replacement", dec_struct),
        "map" => {
            let mut r = ReplacementField::default();
            dec_struct(&mut d, &mut r, &mut v);
            out.push(r);
        }
        k => {
            return Err(Error::new(
                ErrorKind::Kustomization,
                format!("unsupported replacement type encountered within replacement path: {}", k),
            ))
        }
    }
    if let Some(e) = d.error {
        let m = e.message().strip_prefix("invalid Kustomization: ").unwrap_or(e.message()).to_string();
        return Err(Error::new(ErrorKind::Kustomization, format!("error unmarshaling JSON: while decoding JSON: {}", m)));
    }
    for r in &mut out {
        r.path.clear();
    }
    Ok(out)
}
