//! Secrets (kustomize's `generators.MakeSecret`).

use super::{base_node, data_value, finish, kv, merge_options, validated_data};
use crate::error::{Error, Result};
use crate::kustomization::{GeneratorOptions, SecretArgs};
use crate::resource::{Resource, ResourceList};
use crate::yaml::{Entry, Node, Pos};

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
    let data = validated_data(a, read_file, true)?;
    let dm = m.get_or_insert_map("data");
    dm.entries.reserve(data.len());
    // The keys are distinct (and sorted): each is added at the end.
    for (k, v) in data {
        dm.entries.push(Entry::new(k, data_value(kv::encode_base64_wrapped(&v)), Pos::default()));
    }
    let opts = merge_options(a.options.as_ref(), global);
    Ok(finish(m, a, &opts))
}

/// Shown in error messages instead of a Secret's value.
pub const REDACTED: &str = "[redacted]";

/// `e` with the values of the Secrets in `list` taken out of its message: each `data` value
/// (as written, without its line breaks, and line by line), what it decodes to, and each
/// `stringData` value. Decoded and `stringData` values shorter than 4 bytes are left (they
/// would blot out unrelated text). Messages that quote resources (`node contents:`, a value
/// out of bounds) can then mention a Secret without showing what it holds.
pub(crate) fn redact_secret_values(e: Error, list: &ResourceList) -> Error {
    let mut values: Vec<String> = Vec::new();
    for r in list.iter().filter(|r| r.kind() == "Secret") {
        let scalars = |field: &str| -> Vec<String> {
            match r.map().get(field) {
                Some(Node::Map(m)) => m.iter().filter_map(|(_, v)| v.as_scalar().map(|s| s.value.clone())).collect(),
                _ => Vec::new(),
            }
        };
        for v in scalars("data") {
            let joined: String = v.chars().filter(|c| !c.is_whitespace()).collect();
            if let Some(raw) = kv::decode_base64(&joined).and_then(|b| String::from_utf8(b).ok()) {
                values.push(raw);
            }
            values.extend(v.lines().map(str::to_string));
            values.push(joined);
            values.push(v);
        }
        values.extend(scalars("stringData"));
    }
    values.retain(|v| v.trim().len() >= 4);
    if values.is_empty() {
        return e;
    }
    values.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
    values.dedup();
    e.map_message(|m| {
        let mut m = m.to_string();
        for v in &values {
            if m.contains(v.as_str()) {
                m = m.replace(v.as_str(), REDACTED);
            }
        }
        m
    })
}
