//! `configMapGenerator` and `secretGenerator` (kustomize's builtin ConfigMapGenerator and
//! SecretGenerator plugins), the generation behaviours (`create`, `merge`, `replace`) and the
//! content-hash name suffix (kustomize's HashTransformer).
//!
//! Each generator entry makes one [`Resource`]: `apiVersion: v1`, the kind, `metadata.name`,
//! `metadata.namespace` when given, labels and annotations from the options, `immutable: true`
//! when asked, and the data. The generated resource carries its [`Behavior`] and whether it
//! needs a hash suffix; [`absorb`] adds it to the resources built so far, and at the very end of
//! the top-level build [`add_hash_suffixes`] renames the resources that need it.

mod behavior;
mod configmap;
mod hash;
pub mod helm;
pub mod kv;
mod secret;

pub use behavior::absorb;
pub use configmap::make_config_map;
pub use hash::{add_hash_suffixes, content_hash};
pub(crate) use secret::redact_secret_values;
pub use secret::make_secret;

use crate::error::{err, Result};
use crate::kustomization::{GenerationBehavior, GeneratorArgs, GeneratorOptions};
use crate::resource::{Behavior, Resource};
use crate::yaml::{Entry, Mapping, Node, Pos};

/// kustomize's `MergeGlobalOptionsIntoLocal`: the entry's labels and annotations win over the
/// global ones, which fill in the rest; a global `true` (disableNameSuffixHash, immutable) cannot
/// be undone by the entry.
pub fn merge_options(local: Option<&GeneratorOptions>, global: Option<&GeneratorOptions>) -> GeneratorOptions {
    let mut o = local.cloned().unwrap_or_default();
    if let Some(g) = global {
        for (k, v) in &g.labels {
            o.labels.entry(k.clone()).or_insert_with(|| v.clone());
        }
        for (k, v) in &g.annotations {
            o.annotations.entry(k.clone()).or_insert_with(|| v.clone());
        }
        o.disable_name_suffix_hash |= g.disable_name_suffix_hash;
        o.immutable |= g.immutable;
    }
    o
}

/// The `apiVersion`/`kind`/`metadata` skeleton of a generated resource.
fn base_node(kind: &str, args: &GeneratorArgs) -> Result<Mapping> {
    if args.name.is_empty() {
        return Err(err!(Kustomization, "a configmap must have a name"));
    }
    let mut md = Mapping { entries: Vec::with_capacity(2) };
    md.entries.push(Entry::new("name", Node::string(args.name.as_str()), Pos::default()));
    if !args.namespace.is_empty() {
        md.entries.push(Entry::new("namespace", Node::string(args.namespace.as_str()), Pos::default()));
    }
    // Room for the data, the Secret's type and `immutable`.
    let mut m = Mapping { entries: Vec::with_capacity(6) };
    m.entries.push(Entry::new("apiVersion", Node::string("v1"), Pos::default()));
    m.entries.push(Entry::new("kind", Node::string(kind), Pos::default()));
    m.entries.push(Entry::new("metadata", Node::Map(md), Pos::default()));
    Ok(m)
}

/// The pairs of `args` sorted by key, failing on a repeated key.
fn validated_data(args: &GeneratorArgs, read_file: &dyn Fn(&str) -> Result<Vec<u8>>, secret: bool) -> Result<Vec<kv::Pair>> {
    let mut pairs = kv::load_pairs(args, read_file, secret)?;
    pairs.sort_by(|a, b| a.0.cmp(&b.0));
    if pairs.windows(2).any(|w| w[0].0 == w[1].0) {
        // The message names the first key met a second time, in the order the pairs load.
        let mut seen = std::collections::BTreeSet::new();
        for (k, _) in kv::load_pairs(args, read_file, secret)? {
            if !seen.insert(k.clone()) {
                return Err(err!(Kustomization, "configmap {} illegally repeats the key `{}`", args.name, k));
            }
        }
    }
    Ok(pairs)
}

/// Labels, annotations and `immutable` from the (merged) options, and the resource's build state.
fn finish(mut m: Mapping, args: &GeneratorArgs, opts: &GeneratorOptions) -> Resource {
    if !opts.labels.is_empty() {
        let l = m.get_or_insert_map("metadata").get_or_insert_map("labels");
        for (k, v) in &opts.labels {
            l.insert(k.as_str(), Node::string(v.as_str()));
        }
    }
    if !opts.annotations.is_empty() {
        let a = m.get_or_insert_map("metadata").get_or_insert_map("annotations");
        for (k, v) in &opts.annotations {
            a.insert(k.as_str(), Node::string(v.as_str()));
        }
    }
    if opts.immutable {
        m.insert("immutable", Node::plain("true"));
    }
    let mut r = Resource::new(Node::Map(m));
    r.needs_hash = !opts.disable_name_suffix_hash;
    r.behavior = match GenerationBehavior::parse(&args.behavior) {
        GenerationBehavior::Unspecified => Behavior::Unspecified,
        GenerationBehavior::Create => Behavior::Create,
        GenerationBehavior::Replace => Behavior::Replace,
        GenerationBehavior::Merge => Behavior::Merge,
    };
    r
}

/// A scalar for a data value: a string, whatever it looks like.
fn data_value(s: impl Into<String>) -> Node {
    Node::string(s)
}

#[cfg(test)]
mod tests;
