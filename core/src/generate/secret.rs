//! Secrets (kustomize's `generators.MakeSecret`).

use super::{base_node, data_value, finish, kv, merge_options, validated_data};
use crate::error::Result;
use crate::kustomization::{GeneratorOptions, SecretArgs};
use crate::resource::Resource;
use crate::yaml::Node;

/// Makes the Secret of a `secretGenerator` entry (see [`super::make_config_map`]). `type`
/// defaults to `Opaque`; every value goes to `data` in base64 (cut into lines of 70 characters
/// when 70 or longer); `data` is present even when empty.
pub fn make_secret(
    args: &SecretArgs,
    global: Option<&GeneratorOptions>,
    read_file: &dyn Fn(&str) -> Result<Vec<u8>>,
) -> Result<Resource> {
    let a = &args.args;
    let mut m = base_node("Secret", a)?;
    let t = if args.secret_type.is_empty() { "Opaque" } else { args.secret_type.as_str() };
    m.insert("type", Node::string(t));
    let data = validated_data(a, read_file)?;
    let dm = m.get_or_insert_map("data");
    for (k, v) in data {
        dm.insert(k, data_value(&kv::encode_base64_wrapped(&v)));
    }
    let opts = merge_options(a.options.as_ref(), global);
    Ok(finish(m, a, &opts))
}
