//! The patch engines behind kustomize's `patches:` (and the legacy `patchesStrategicMerge:` /
//! `patchesJson6902:`) fields.
//!
//! * [`strategic_merge`]: strategic-merge patches, applied the way kustomize v5.5.0 really
//!   applies them (kyaml's `merge2` walker, not the Kubernetes library).
//! * [`json6902`]: RFC 6902 JSON patches, applied the way kustomize v5.5.0 applies them
//!   (a JSON round trip of the resource and evanphx/json-patch v4).
//!
//! Only the engines live here: choosing the targets and loading the patch files is the
//! caller's job. How kustomize tells the two kinds of patch apart (`PatchTransformer.Config`):
//! the patch text (an inline `patch:` is trimmed of surrounding white space, a `path:` file is
//! not) is parsed both ways. It is a strategic-merge patch when it loads as resources (every
//! non-empty document has a `kind`, and a `metadata.name` unless the kind ends in `List`); it
//! is a JSON patch when [`json6902::Json6902Patch::parse`] accepts it (a sequence of
//! operations). Both: error `illegally qualifies as both an SM and JSON patch: <source>`;
//! neither: `unable to parse SM or JSON patch from <source>` (`<source>` is
//! `[patch: "<Go-quoted text>"]` or `[path: "<Go-quoted path>"]`).

pub mod json6902;
mod json_text;
mod merge_nodes;
pub mod strategic_merge;

pub use json6902::{apply_json6902, Json6902Patch};
pub use strategic_merge::{merge_patch, SmOutcome};
