//! The typed kustomization: one Rust struct per Go struct of kustomize v5.5.0's `api/types`.
//!
//! Field names follow the Go JSON names in snake case. Go `map[string]string` fields are
//! [`BTreeMap`]s (kustomize sees them through a JSON round trip, so their order is the key
//! order); Go pointers to structs are `Option`s; Go `map[string]interface{}` fields (Helm values)
//! are [`Mapping`]s holding the JSON-normalised values (see [`super::json`]).

use std::collections::BTreeMap;

use crate::yaml::Mapping;

/// `kustomize.config.k8s.io/v1beta1`, the apiVersion of a Kustomization.
pub const KUSTOMIZATION_VERSION: &str = "kustomize.config.k8s.io/v1beta1";
/// `kustomize.config.k8s.io/v1alpha1`, the apiVersion of a Component.
pub const COMPONENT_VERSION: &str = "kustomize.config.k8s.io/v1alpha1";
/// `buildMetadata` option: keep `config.kubernetes.io/origin` annotations.
pub const ORIGIN_ANNOTATIONS: &str = "originAnnotations";
/// `buildMetadata` option: keep `alpha.config.kubernetes.io/transformations` annotations.
pub const TRANSFORMER_ANNOTATIONS: &str = "transformerAnnotations";
/// `buildMetadata` option: add the `app.kubernetes.io/managed-by` label.
pub const MANAGED_BY_LABEL_OPTION: &str = "managedByLabel";

/// The `kind` of a kustomization file (after defaulting: an absent kind is `Kustomization`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum KustomizationKind {
    #[default]
    Kustomization,
    Component,
}

impl KustomizationKind {
    pub fn as_str(self) -> &'static str {
        match self {
            KustomizationKind::Kustomization => "Kustomization",
            KustomizationKind::Component => "Component",
        }
    }
}

/// A kustomization file (`types.Kustomization`), after kustomize's `FixKustomization`:
/// `bases` are appended to `resources`, `imageTags` to `images`, each generator's `env` to its
/// `envs`, `helmChartInflationGenerator` converted into `helmCharts` (and `helmGlobals`).
/// Those legacy fields are therefore always empty here; `commonLabels`, `patchesStrategicMerge`
/// and `patchesJson6902` are kept as they are (kustomize build keeps them apart too).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Kustomization {
    /// `apiVersion`, defaulted to [`KUSTOMIZATION_VERSION`] or [`COMPONENT_VERSION`].
    pub api_version: String,
    pub kind: KustomizationKind,
    pub metadata: Option<ObjectMeta>,
    /// `openapi` (e.g. `path: schema.json` or `version: v1.21.2`).
    pub openapi: BTreeMap<String, String>,
    pub name_prefix: String,
    pub name_suffix: String,
    pub namespace: String,
    /// Deprecated `commonLabels` (labels on objects, selectors and templates).
    pub common_labels: BTreeMap<String, String>,
    pub labels: Vec<Label>,
    pub common_annotations: BTreeMap<String, String>,
    /// Deprecated `patchesStrategicMerge`: each entry is a file path or an inline patch.
    pub patches_strategic_merge: Vec<String>,
    /// Deprecated `patchesJson6902`.
    pub patches_json6902: Vec<Patch>,
    pub patches: Vec<Patch>,
    /// `images`, followed by the legacy `imageTags`.
    pub images: Vec<Image>,
    /// Legacy `imageTags`: always empty (folded into `images`).
    pub image_tags: Vec<Image>,
    pub replacements: Vec<ReplacementField>,
    pub replicas: Vec<Replica>,
    /// Deprecated `vars`.
    pub vars: Vec<Var>,
    pub sort_options: Option<SortOptions>,
    /// `resources`, followed by the legacy `bases`.
    pub resources: Vec<String>,
    pub components: Vec<String>,
    pub crds: Vec<String>,
    /// Legacy `bases`: always empty (folded into `resources`).
    pub bases: Vec<String>,
    pub config_map_generator: Vec<ConfigMapArgs>,
    pub secret_generator: Vec<SecretArgs>,
    pub helm_globals: Option<HelmGlobals>,
    /// `helmCharts`, followed by the charts converted from `helmChartInflationGenerator`.
    pub helm_charts: Vec<HelmChart>,
    /// Legacy `helmChartInflationGenerator`: always empty (converted into `helm_charts`).
    pub helm_chart_inflation_generator: Vec<HelmChartArgs>,
    pub generator_options: Option<GeneratorOptions>,
    pub configurations: Vec<String>,
    pub generators: Vec<String>,
    pub transformers: Vec<String>,
    pub validators: Vec<String>,
    pub build_metadata: Vec<String>,
    /// The deprecation warnings kustomize prints on stderr for this file, in its order.
    pub warnings: Vec<String>,
}

/// `metadata` of a kustomization (`types.ObjectMeta`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ObjectMeta {
    pub name: String,
    pub namespace: String,
    pub labels: BTreeMap<String, String>,
    pub annotations: BTreeMap<String, String>,
}

/// A `labels` entry (`types.Label`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Label {
    pub pairs: BTreeMap<String, String>,
    pub include_selectors: bool,
    pub include_templates: bool,
    /// `fields`: extra field specs to set the labels at.
    pub fields: Vec<FieldSpec>,
}

/// A field spec (`types.FieldSpec`): `group`, `version`, `kind`, `path`, `create`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FieldSpec {
    pub group: String,
    pub version: String,
    pub kind: String,
    pub path: String,
    pub create: bool,
}

/// A patch (`types.Patch`), of `patches` or `patchesJson6902`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Patch {
    /// A file holding the patch.
    pub path: String,
    /// The patch, inline.
    pub patch: String,
    pub target: Option<Selector>,
    /// `options` (`allowNameChange`, `allowKindChange`; any key is accepted).
    pub options: BTreeMap<String, bool>,
}

impl Patch {
    pub fn allow_name_change(&self) -> bool {
        self.options.get("allowNameChange").copied().unwrap_or(false)
    }
    pub fn allow_kind_change(&self) -> bool {
        self.options.get("allowKindChange").copied().unwrap_or(false)
    }
}

/// A resource selector (`types.Selector`); fields other than the label and annotation
/// selectors are regular expressions.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Selector {
    pub group: String,
    pub version: String,
    pub kind: String,
    pub name: String,
    pub namespace: String,
    pub annotation_selector: String,
    pub label_selector: String,
}

/// An `images` entry (`types.Image`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Image {
    pub name: String,
    pub new_name: String,
    pub tag_suffix: String,
    pub new_tag: String,
    pub digest: String,
}

/// A `replacements` entry (`types.ReplacementField`): a file (`path`) or an inline replacement.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ReplacementField {
    pub source: Option<SourceSelector>,
    /// Targets (a `null` entry reads as an empty target).
    pub targets: Vec<TargetSelector>,
    pub path: String,
}

/// A replacement source (`types.SourceSelector`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SourceSelector {
    pub group: String,
    pub version: String,
    pub kind: String,
    pub name: String,
    pub namespace: String,
    pub field_path: String,
    pub options: Option<FieldOptions>,
}

/// A replacement target (`types.TargetSelector`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TargetSelector {
    pub select: Option<Selector>,
    pub reject: Vec<Selector>,
    pub field_paths: Vec<String>,
    pub options: Option<FieldOptions>,
}

/// Replacement options (`types.FieldOptions`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FieldOptions {
    pub delimiter: String,
    pub index: i64,
    pub encoding: String,
    pub create: bool,
}

/// A `replicas` entry (`types.Replica`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Replica {
    pub name: String,
    pub count: i64,
}

/// A `vars` entry (`types.Var`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Var {
    pub name: String,
    pub objref: Target,
    pub fieldref: FieldSelector,
}

/// The object a var refers to (`types.Target`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Target {
    pub api_version: String,
    pub group: String,
    pub version: String,
    pub kind: String,
    pub name: String,
    pub namespace: String,
}

/// The field a var reads (`types.FieldSelector`); empty means `metadata.name`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FieldSelector {
    pub field_path: String,
}

/// `sortOptions` (`types.SortOptions`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SortOptions {
    /// `legacy`, `fifo`, or anything else the user wrote (kustomize checks it later).
    pub order: String,
    pub legacy_sort_options: Option<LegacySortOptions>,
}

/// `sortOptions.legacySortOptions`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LegacySortOptions {
    pub order_first: Vec<String>,
    pub order_last: Vec<String>,
}

/// The fields shared by config map and secret generators (`types.GeneratorArgs`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct GeneratorArgs {
    pub namespace: String,
    pub name: String,
    /// `create`, `replace`, `merge`, or empty; see [`GenerationBehavior::parse`].
    pub behavior: String,
    pub literals: Vec<String>,
    pub files: Vec<String>,
    /// `envs`, followed by the legacy `env`.
    pub envs: Vec<String>,
    /// Legacy `env`: always empty (folded into `envs`).
    pub env: String,
    pub options: Option<GeneratorOptions>,
}

/// A `configMapGenerator` entry (`types.ConfigMapArgs`).
pub type ConfigMapArgs = GeneratorArgs;

/// A `secretGenerator` entry (`types.SecretArgs`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SecretArgs {
    pub args: GeneratorArgs,
    /// `type` (e.g. `kubernetes.io/tls`); empty means `Opaque`.
    pub secret_type: String,
}

/// `generatorOptions`, or a generator's `options` (`types.GeneratorOptions`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct GeneratorOptions {
    pub labels: BTreeMap<String, String>,
    pub annotations: BTreeMap<String, String>,
    pub disable_name_suffix_hash: bool,
    pub immutable: bool,
}

/// A generator's `behavior` (`types.GenerationBehavior`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum GenerationBehavior {
    #[default]
    Unspecified,
    Create,
    Replace,
    Merge,
}

impl GenerationBehavior {
    /// Like kustomize's `NewGenerationBehavior`: anything unknown is `Unspecified`.
    pub fn parse(s: &str) -> Self {
        match s {
            "create" => GenerationBehavior::Create,
            "replace" => GenerationBehavior::Replace,
            "merge" => GenerationBehavior::Merge,
            _ => GenerationBehavior::Unspecified,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            GenerationBehavior::Unspecified => "unspecified",
            GenerationBehavior::Create => "create",
            GenerationBehavior::Replace => "replace",
            GenerationBehavior::Merge => "merge",
        }
    }
}

/// `helmGlobals` (`types.HelmGlobals`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct HelmGlobals {
    pub chart_home: String,
    pub config_home: String,
}

/// A `helmCharts` entry (`types.HelmChart`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct HelmChart {
    pub name: String,
    pub version: String,
    pub repo: String,
    pub release_name: String,
    pub namespace: String,
    pub additional_values_files: Vec<String>,
    pub values_file: String,
    /// `valuesInline`, normalised as kustomize sees it after its YAML-to-JSON conversion
    /// (go-yaml v2 typing, string keys in sorted order); `None` when absent or null.
    pub values_inline: Option<Mapping>,
    pub values_merge: String,
    pub include_crds: bool,
    pub skip_hooks: bool,
    pub api_versions: Vec<String>,
    pub kube_version: String,
    pub name_template: String,
    pub skip_tests: bool,
    pub debug: bool,
}

/// A legacy `helmChartInflationGenerator` entry (`types.HelmChartArgs`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct HelmChartArgs {
    pub chart_name: String,
    pub chart_version: String,
    pub chart_repo_url: String,
    pub chart_home: String,
    pub chart_repo_name: String,
    pub helm_bin: String,
    pub helm_home: String,
    pub values: String,
    pub values_local: Option<Mapping>,
    pub values_merge: String,
    pub release_name: String,
    pub release_namespace: String,
    pub extra_args: Vec<String>,
}
