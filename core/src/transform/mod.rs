//! Builtin transformers, one per file, as a closed enum.
//!
//! Each transformer is configured by a plain struct mirroring the builtin plugin's config in
//! kustomize (so the same struct serves the kustomization fields and `transformers:` entries),
//! and applies to a whole [`ResourceList`] with the build's field-spec [`Config`].

use crate::error::Result;
use crate::fieldspec::Config;
use crate::resource::ResourceList;

pub mod annotations;
mod builtin;
pub use builtin::{builtin_transformers, builtin_transformers_memo};
pub mod images;
pub mod labels;
pub mod namespace;
pub mod nameref;
pub mod patch;
mod plugin_config;
pub mod plugins;
pub mod prefix_suffix;
pub mod replacements;
pub mod replicas;
pub mod select;
pub mod sort;
pub mod vars;

/// A configured builtin transformer.
#[derive(Clone, Debug)]
pub enum Transformer {
    Namespace(namespace::NamespaceTransformer),
    PrefixSuffix(prefix_suffix::PrefixSuffixTransformer),
    Labels(labels::LabelTransformer),
    Annotations(annotations::AnnotationsTransformer),
    Replicas(replicas::ReplicaCountTransformer),
    Images(images::ImageTagTransformer),
    PatchStrategicMerge(patch::PatchStrategicMergeTransformer),
    Patch(patch::PatchTransformer),
    PatchJson6902(patch::PatchJson6902Transformer),
    Replacements(replacements::ReplacementTransformer),
}

impl Transformer {
    /// kustomize's name for the builtin (used in buildMetadata transformer annotations).
    pub fn kind_name(&self) -> &'static str {
        match self {
            Transformer::Namespace(_) => "NamespaceTransformer",
            Transformer::PrefixSuffix(t) => t.kind_name(),
            Transformer::Labels(_) => "LabelTransformer",
            Transformer::Annotations(_) => "AnnotationsTransformer",
            Transformer::Replicas(_) => "ReplicaCountTransformer",
            Transformer::Images(_) => "ImageTagTransformer",
            Transformer::PatchStrategicMerge(_) => "PatchStrategicMergeTransformer",
            Transformer::Patch(_) => "PatchTransformer",
            Transformer::PatchJson6902(_) => "PatchJson6902Transformer",
            Transformer::Replacements(_) => "ReplacementTransformer",
        }
    }

    pub fn apply(&self, list: &mut ResourceList, config: &Config) -> Result<()> {
        match self {
            Transformer::Namespace(t) => t.apply(list, config),
            Transformer::PrefixSuffix(t) => t.apply(list, config),
            Transformer::Labels(t) => t.apply(list, config),
            Transformer::Annotations(t) => t.apply(list, config),
            Transformer::Replicas(t) => t.apply(list, config),
            Transformer::Images(t) => t.apply(list, config),
            Transformer::PatchStrategicMerge(t) => t.apply(list, config),
            Transformer::Patch(t) => t.apply(list, config),
            Transformer::PatchJson6902(t) => t.apply(list, config),
            Transformer::Replacements(t) => t.apply(list, config),
        }
    }
}
