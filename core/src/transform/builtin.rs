//! The builtin transformers a kustomization asks for, in kustomize's fixed order.

use super::annotations::AnnotationsTransformer;
use super::images::ImageTagTransformer;
use super::labels::LabelTransformer;
use super::namespace::NamespaceTransformer;
use super::patch::{PatchJson6902Transformer, PatchMemo, PatchStrategicMergeTransformer, PatchTransformer};
use super::prefix_suffix::PrefixSuffixTransformer;
use super::replacements::ReplacementTransformer;
use super::replicas::ReplicaCountTransformer;
use super::Transformer;
use crate::error::Result;
use crate::fieldspec::Config;
use crate::kustomization::Kustomization;

/// The transformers of a kustomization's fields, in the order kustomize runs them:
/// patchesStrategicMerge, patches, namespace, prefix, suffix, labels, annotations,
/// patchesJson6902, replicas, images, (replacements). A field that is not set adds no
/// transformer, except that `labels` entries also bring a (possibly empty) `commonLabels`
/// transformer, as in kustomize. `load` reads a file relative to the kustomization.
pub fn builtin_transformers(
    k: &Kustomization,
    config: &Config,
    load: &dyn Fn(&str) -> Result<String>,
) -> Result<Vec<Transformer>> {
    builtin_transformers_memo(k, config, load, None)
}

/// [`builtin_transformers`], with patch texts parsed once per `memo`.
pub fn builtin_transformers_memo(
    k: &Kustomization,
    config: &Config,
    load: &dyn Fn(&str) -> Result<String>,
    memo: Option<&PatchMemo>,
) -> Result<Vec<Transformer>> {
    // Room for every transformer the fields can bring (one list per kustomization).
    let mut out = Vec::with_capacity(
        k.patches.len() + k.labels.len() + k.patches_json6902.len() + k.replicas.len() + k.images.len() + 8,
    );
    if !k.patches_strategic_merge.is_empty() {
        out.push(Transformer::PatchStrategicMerge(PatchStrategicMergeTransformer::new(&k.patches_strategic_merge, load)?));
    }
    for p in &k.patches {
        out.push(Transformer::Patch(PatchTransformer::new_memo(p, load, memo)?));
    }
    if !k.namespace.is_empty() {
        out.push(Transformer::Namespace(NamespaceTransformer::from_kustomization(&k.namespace, config)));
    }
    for t in PrefixSuffixTransformer::from_kustomization(&k.name_prefix, &k.name_suffix, config) {
        out.push(Transformer::PrefixSuffix(t));
    }
    if !k.labels.is_empty() || !k.common_labels.is_empty() {
        for l in &k.labels {
            out.push(Transformer::Labels(LabelTransformer::from_label(l, config)?));
        }
        out.push(Transformer::Labels(LabelTransformer::from_common_labels(&k.common_labels, config)));
    }
    if !k.common_annotations.is_empty() {
        out.push(Transformer::Annotations(AnnotationsTransformer::from_common_annotations(&k.common_annotations, config)));
    }
    for p in &k.patches_json6902 {
        out.push(Transformer::PatchJson6902(PatchJson6902Transformer::new(p, load)?));
    }
    for t in ReplicaCountTransformer::from_kustomization_replicas(&k.replicas, config) {
        out.push(Transformer::Replicas(t));
    }
    for t in ImageTagTransformer::from_kustomization_images(&k.images, config) {
        out.push(Transformer::Images(t));
    }
    if !k.replacements.is_empty() {
        out.push(Transformer::Replacements(ReplacementTransformer::new(&k.replacements, load)?));
    }
    Ok(out)
}
