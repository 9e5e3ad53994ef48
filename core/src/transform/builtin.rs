//! The builtin transformers a kustomization asks for, in kustomize's fixed order.

use super::Transformer;
use crate::error::Result;
use crate::fieldspec::Config;
use crate::kustomization::Kustomization;

/// The transformers of a kustomization's fields, in the order kustomize runs them:
/// (patches), namespace, prefix, suffix, labels, annotations, (json6902), replicas, images,
/// (replacements).
pub fn builtin_transformers(_k: &Kustomization, _config: &Config) -> Result<Vec<Transformer>> {
    Ok(Vec::new())
}
