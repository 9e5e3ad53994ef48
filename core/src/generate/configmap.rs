//! ConfigMaps (kustomize's `generators.MakeConfigMap`).

use super::{base_node, data_value, finish, kv, merge_options, validated_data};
use crate::error::Result;
use crate::kustomization::{GeneratorArgs, GeneratorOptions};
use crate::resource::Resource;
use crate::yaml::{Entry, Pos};

/// Makes the ConfigMap of a `configMapGenerator` entry; `global` is the kustomization's
/// `generatorOptions`; `read_file` reads env files and files (paths as written in the entry).
///
/// A value that is valid UTF-8 goes to `data` as it is; any other goes to `binaryData`, in
/// base64 cut into lines of 70 characters (each ending with a newline) when 70 or longer.
pub fn make_config_map(
    args: &GeneratorArgs,
    global: Option<&GeneratorOptions>,
    read_file: &dyn Fn(&str) -> Result<Vec<u8>>,
) -> Result<Resource> {
    let mut m = base_node("ConfigMap", args)?;
    for (k, v) in validated_data(args, read_file, false)? {
        let (field, value) = match String::from_utf8(v) {
            Ok(s) => ("data", s),
            Err(e) => ("binaryData", kv::encode_base64_wrapped(e.as_bytes())),
        };
        // The keys are distinct (and sorted): each is added at the end.
        m.get_or_insert_map(field).entries.push(Entry::new(k, data_value(value), Pos::default()));
    }
    let opts = merge_options(args.options.as_ref(), global);
    Ok(finish(m, args, &opts))
}
