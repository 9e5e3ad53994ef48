//! `rustomize-wasm`: the JavaScript / WebAssembly bindings of rustomize, published as the npm
//! package `rustomize` (see `wasm/README.md`, built by `wasm/build.sh`).
//!
//! ```js
//! import { build, buildResources } from "rustomize";
//! const yaml = build({ "kustomization.yaml": "resources: [cm.yaml]\n", "cm.yaml": "..." });
//! ```
//!
//! The bindings (`js`) are compiled for wasm32 only; this file also holds the parts that do
//! not touch JavaScript values (the options, the paths, the number mapping), which are tested
//! on the host by `cargo test`.
//!
//! One conversion makes every JavaScript error (`js::to_js_error`): a rustomize
//! [`Error`](rustomize::Error) becomes an `Error` named `RustomizeError` whose `kind` tags it,
//! with `message` (the full text, naming the file), `detail` (the message alone), `path`,
//! `line`, `column` and `chain`. Arguments of the wrong JavaScript type throw a `TypeError`.

use rustomize::{LoadRestrictor, Options, Reorder};

#[cfg(target_arch = "wasm32")]
mod js;

/// The keys a `BuildOptions` object may have.
pub const OPTION_KEYS: &[&str] = &[
    "flags",
    "loadRestrictor",
    "reorder",
    "enableManagedbyLabel",
    "enableHelm",
    "helmCommand",
    "enableAlphaPlugins",
    "enableExec",
    "onWarning",
];

/// An option's value, as far as this crate needs to know it (the bindings read the JavaScript
/// value into this).
#[derive(Clone, Debug, PartialEq)]
pub enum OptionValue {
    /// `undefined` (or `null`): as if the key were not there.
    Absent,
    Bool(bool),
    Str(String),
    /// An array of strings.
    List(Vec<String>),
    /// Anything else; the name of its JavaScript type, for the message.
    Other(String),
}

/// What is wrong with an argument.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ArgError {
    /// A value of the wrong JavaScript type: thrown as a `TypeError`.
    Type(String),
    /// A value of the right type that is not allowed, or an unknown option: thrown as a
    /// `RustomizeError` of kind `usage`.
    Usage(String),
}

impl From<rustomize::Error> for ArgError {
    fn from(e: rustomize::Error) -> Self {
        ArgError::Usage(e.message().to_string())
    }
}

/// Makes the build options from the entries of a `BuildOptions` object. `flags` (kustomize
/// build's command-line flags) are applied first, then the other keys, whatever their order.
/// `onWarning` is accepted and left to the caller.
pub fn options_from(entries: &[(String, OptionValue)]) -> Result<Options, ArgError> {
    let mut o = Options::default();
    for (key, _) in entries {
        if !OPTION_KEYS.contains(&key.as_str()) {
            return Err(ArgError::Usage(format!(
                "unknown option {:?}; known options: {}",
                key,
                OPTION_KEYS.join(", ")
            )));
        }
    }
    if let Some((_, v)) = entries.iter().find(|(k, _)| k == "flags") {
        match v {
            OptionValue::Absent => {}
            OptionValue::List(flags) => o = Options::from_flags(flags)?,
            other => return Err(type_error("flags", "an array of strings", other)),
        }
    }
    for (key, value) in entries {
        if matches!(value, OptionValue::Absent) {
            continue;
        }
        match key.as_str() {
            "flags" | "onWarning" => {}
            "loadRestrictor" => {
                o.load_restrictor = match expect_str(key, value)? {
                    "rootOnly" | "LoadRestrictionsRootOnly" => LoadRestrictor::RootOnly,
                    "none" | "LoadRestrictionsNone" => LoadRestrictor::None,
                    v => {
                        return Err(ArgError::Usage(format!(
                            "invalid loadRestrictor {:?}: expected \"rootOnly\", \"none\", \"LoadRestrictionsRootOnly\" or \"LoadRestrictionsNone\"",
                            v
                        )))
                    }
                }
            }
            "reorder" => {
                o.reorder = match expect_str(key, value)? {
                    "legacy" => Reorder::Legacy,
                    "none" => Reorder::None,
                    v => {
                        return Err(ArgError::Usage(format!(
                            "invalid reorder {:?}: expected \"legacy\" or \"none\"",
                            v
                        )))
                    }
                }
            }
            "enableManagedbyLabel" => o.add_managed_by_label = expect_bool(key, value)?,
            "enableHelm" => o.enable_helm = expect_bool(key, value)?,
            "helmCommand" => o.helm_command = Some(expect_str(key, value)?.to_string()),
            "enableAlphaPlugins" => o.enable_alpha_plugins = expect_bool(key, value)?,
            "enableExec" => o.enable_exec = expect_bool(key, value)?,
            _ => unreachable!("checked above"),
        }
    }
    Ok(o)
}

fn describe(v: &OptionValue) -> String {
    match v {
        OptionValue::Absent => "undefined".into(),
        OptionValue::Bool(_) => "a boolean".into(),
        OptionValue::Str(_) => "a string".into(),
        OptionValue::List(_) => "an array".into(),
        OptionValue::Other(t) => t.clone(),
    }
}

fn type_error(key: &str, expected: &str, got: &OptionValue) -> ArgError {
    ArgError::Type(format!(
        "option {} must be {}, not {}",
        key,
        expected,
        describe(got)
    ))
}

fn expect_str<'a>(key: &str, v: &'a OptionValue) -> Result<&'a str, ArgError> {
    match v {
        OptionValue::Str(s) => Ok(s),
        other => Err(type_error(key, "a string", other)),
    }
}

fn expect_bool(key: &str, v: &OptionValue) -> Result<bool, ArgError> {
    match v {
        OptionValue::Bool(b) => Ok(*b),
        other => Err(type_error(key, "a boolean", other)),
    }
}

/// The kustomization directory in the in-memory tree: `root` taken from `/` (default `/`).
pub fn root_dir(root: Option<&str>) -> String {
    rustomize::fs::join("/", root.unwrap_or("."))
}

/// A key of the `files` argument: `Ok(Some(path))` for a file, `Ok(None)` for an empty
/// directory (a key ending in `/`), an error for an empty key.
pub fn file_key(key: &str) -> Result<Option<&str>, ArgError> {
    if key.is_empty() || key.trim_end_matches('/').is_empty() && key != "/" {
        return Err(ArgError::Usage(format!("invalid file path {:?}", key)));
    }
    if key.contains('\0') {
        return Err(ArgError::Usage(format!(
            "invalid file path {:?}: it contains a NUL character",
            key
        )));
    }
    if key.ends_with('/') {
        Ok(None)
    } else {
        Ok(Some(key))
    }
}

/// How an integer of the YAML becomes a JavaScript value: a number where it is exact, else a
/// BigInt.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum JsInt {
    Number(f64),
    BigInt(i128),
}

/// The largest integer a JavaScript number holds exactly (`Number.MAX_SAFE_INTEGER`).
pub const MAX_SAFE_INTEGER: i128 = (1 << 53) - 1;

pub fn js_int(i: i128) -> JsInt {
    if (-MAX_SAFE_INTEGER..=MAX_SAFE_INTEGER).contains(&i) {
        JsInt::Number(i as f64)
    } else {
        JsInt::BigInt(i)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entries(v: &[(&str, OptionValue)]) -> Vec<(String, OptionValue)> {
        v.iter().map(|(k, v)| (k.to_string(), v.clone())).collect()
    }

    #[test]
    fn options_default_when_empty() {
        assert_eq!(options_from(&[]).unwrap(), Options::default());
        assert_eq!(
            options_from(&entries(&[("reorder", OptionValue::Absent)])).unwrap(),
            Options::default()
        );
    }

    #[test]
    fn options_named() {
        let o = options_from(&entries(&[
            ("reorder", OptionValue::Str("none".into())),
            (
                "loadRestrictor",
                OptionValue::Str("LoadRestrictionsNone".into()),
            ),
            ("enableManagedbyLabel", OptionValue::Bool(true)),
            ("helmCommand", OptionValue::Str("helm3".into())),
            ("onWarning", OptionValue::Other("a function".into())),
        ]))
        .unwrap();
        assert_eq!(o.reorder, Reorder::None);
        assert_eq!(o.load_restrictor, LoadRestrictor::None);
        assert!(o.add_managed_by_label);
        assert_eq!(o.helm_command.as_deref(), Some("helm3"));
    }

    #[test]
    fn options_flags_first_then_named() {
        let o = options_from(&entries(&[
            ("reorder", OptionValue::Str("legacy".into())),
            (
                "flags",
                OptionValue::List(vec![
                    "--reorder".into(),
                    "none".into(),
                    "--enable-managedby-label".into(),
                ]),
            ),
        ]))
        .unwrap();
        assert_eq!(o.reorder, Reorder::Legacy);
        assert!(o.add_managed_by_label);
    }

    #[test]
    fn options_errors() {
        assert!(matches!(
            options_from(&entries(&[("reOrder", OptionValue::Str("none".into()))])),
            Err(ArgError::Usage(m)) if m.contains("unknown option \"reOrder\"")
        ));
        assert!(matches!(
            options_from(&entries(&[("reorder", OptionValue::Str("sorted".into()))])),
            Err(ArgError::Usage(m)) if m.contains("invalid reorder \"sorted\"")
        ));
        assert!(matches!(
            options_from(&entries(&[("enableHelm", OptionValue::Str("yes".into()))])),
            Err(ArgError::Type(m)) if m == "option enableHelm must be a boolean, not a string"
        ));
        assert!(matches!(
            options_from(&entries(&[("flags", OptionValue::List(vec!["--bogus".into()]))])),
            Err(ArgError::Usage(m)) if m.contains("unknown flag: --bogus")
        ));
        assert!(matches!(
            options_from(&entries(&[(
                "flags",
                OptionValue::Str("--reorder none".into())
            )])),
            Err(ArgError::Type(_))
        ));
    }

    #[test]
    fn roots() {
        assert_eq!(root_dir(None), "/");
        assert_eq!(root_dir(Some("")), "/");
        assert_eq!(root_dir(Some("overlays/prod/")), "/overlays/prod");
        assert_eq!(root_dir(Some("./a/../b")), "/b");
        assert_eq!(root_dir(Some("/app")), "/app");
    }

    #[test]
    fn file_keys() {
        assert_eq!(file_key("a/b.yaml"), Ok(Some("a/b.yaml")));
        assert_eq!(file_key("empty/"), Ok(None));
        assert!(file_key("").is_err());
        assert!(file_key("//").is_err());
        assert!(file_key("a\0b").is_err());
    }

    #[test]
    fn ints() {
        assert_eq!(js_int(3), JsInt::Number(3.0));
        assert_eq!(
            js_int(-MAX_SAFE_INTEGER),
            JsInt::Number(-9007199254740991.0)
        );
        assert_eq!(
            js_int(MAX_SAFE_INTEGER + 1),
            JsInt::BigInt(9007199254740992)
        );
        assert_eq!(js_int(u64::MAX as i128), JsInt::BigInt(u64::MAX as i128));
    }
}
