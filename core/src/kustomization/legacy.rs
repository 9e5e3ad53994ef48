//! Legacy fields: kustomize v5.5.0's `CheckDeprecatedFields` (the warnings), `FixKustomization`
//! (folding legacy fields into current ones), `CheckEmpty` and `EnforceFields`.

use super::parse::{bit, Raw};
use super::types::*;
use crate::error::{Error, ErrorKind, Result};

const EDIT_FIX: &str = "Run 'kustomize edit fix' to update your Kustomization automatically.";
const EDIT_FIX_EXPERIMENTAL: &str =
    "[EXPERIMENTAL] Run 'kustomize edit fix' to update your Kustomization automatically.";

/// The warning kustomize prints for a deprecated field (`None` for other fields).
pub fn deprecation_warning(field: &str) -> Option<String> {
    let (instead, fix) = match field {
        "bases" => ("resources", EDIT_FIX),
        "commonLabels" => ("labels", EDIT_FIX),
        "imageTags" => ("images", EDIT_FIX),
        "patchesJson6902" => ("patches", EDIT_FIX),
        "patchesStrategicMerge" => ("patches", EDIT_FIX),
        "vars" => ("replacements", EDIT_FIX_EXPERIMENTAL),
        _ => return None,
    };
    Some(format!("# Warning: '{}' is deprecated. Please use '{}' instead. {}", field, instead, fix))
}

/// The warnings for the deprecated fields that are non-nil (even empty), in kustomize's order.
pub(crate) fn deprecation_warnings(nonnil: u64) -> Vec<String> {
    const DEPRECATED: [(&str, u64); 6] = [
        ("bases", bit("bases")),
        ("commonLabels", bit("commonLabels")),
        ("imageTags", bit("imageTags")),
        ("patchesJson6902", bit("patchesJson6902")),
        ("patchesStrategicMerge", bit("patchesStrategicMerge")),
        ("vars", bit("vars")),
    ];
    DEPRECATED.iter().filter(|(_, b)| nonnil & b != 0).filter_map(|(f, _)| deprecation_warning(f)).collect()
}

/// `CheckEmpty` after `FixKustomization`: nothing but `kind`/`apiVersion` is set. The legacy
/// fields are cleared by the fix; they count only through what they add to current fields.
pub(crate) fn is_empty_after_fix(raw: &Raw) -> bool {
    const IGNORED: u64 =
        bit("kind") | bit("apiVersion") | bit("bases") | bit("imageTags") | bit("helmChartInflationGenerator");
    raw.nonnil & !IGNORED == 0
        && raw.k.bases.is_empty()
        && raw.k.image_tags.is_empty()
        && raw.k.helm_chart_inflation_generator.is_empty()
}

/// kustomize's message for an empty kustomization (whatever the file is called).
pub fn empty_error() -> Error {
    Error::new(ErrorKind::Kustomization, "kustomization.yaml is empty")
}

/// `FixKustomization`: defaults kind and apiVersion, appends `bases` to `resources`,
/// `imageTags` to `images`, each generator's `env` to its `envs`, and converts
/// `helmChartInflationGenerator` into `helmCharts` (and `helmGlobals` when not set).
/// Returns the kustomization and its kind as written (defaulted).
pub(crate) fn fix(raw: Raw) -> (Kustomization, String) {
    let Raw { mut k, mut kind, .. } = raw;
    if kind.is_empty() {
        kind = "Kustomization".to_string();
    }
    if k.api_version.is_empty() {
        k.api_version = if kind == "Component" { COMPONENT_VERSION } else { KUSTOMIZATION_VERSION }.to_string();
    }
    let bases = std::mem::take(&mut k.bases);
    k.resources.extend(bases);
    let tags = std::mem::take(&mut k.image_tags);
    k.images.extend(tags);
    for g in &mut k.config_map_generator {
        fold_env(g);
    }
    for g in &mut k.secret_generator {
        fold_env(&mut g.args);
    }
    let legacy = std::mem::take(&mut k.helm_chart_inflation_generator);
    let mut globals = HelmGlobals::default();
    for old in legacy {
        if !old.helm_home.is_empty() {
            globals.config_home = old.helm_home.clone();
        }
        if !old.chart_home.is_empty() {
            globals.chart_home = old.chart_home.clone();
        }
        k.helm_charts.push(HelmChart {
            name: old.chart_name,
            version: old.chart_version,
            repo: old.chart_repo_url,
            values_file: old.values,
            values_inline: old.values_local,
            values_merge: old.values_merge,
            release_name: old.release_name,
            ..HelmChart::default()
        });
    }
    if k.helm_globals.is_none() && (!globals.chart_home.is_empty() || !globals.config_home.is_empty()) {
        k.helm_globals = Some(globals);
    }
    k.kind = if kind == "Component" { KustomizationKind::Component } else { KustomizationKind::Kustomization };
    (k, kind)
}

fn fold_env(g: &mut GeneratorArgs) {
    if !g.env.is_empty() {
        let env = std::mem::take(&mut g.env);
        g.envs.push(env);
    }
}

/// `EnforceFields`, with `KustTarget.Load`'s message: the kind must be `Kustomization` or
/// `Component`, and a set apiVersion must be the one of that kind.
pub(crate) fn enforce_fields(kind: &str, api_version: &str, dir: &str) -> Result<()> {
    let mut errs: Vec<String> = Vec::new();
    if !kind.is_empty() && kind != "Kustomization" && kind != "Component" {
        errs.push("kind should be Kustomization or Component".to_string());
    }
    let required = if kind == "Component" { COMPONENT_VERSION } else { KUSTOMIZATION_VERSION };
    if !api_version.is_empty() && api_version != required {
        errs.push(format!("apiVersion for {} should be {}", kind, required));
    }
    if errs.is_empty() {
        return Ok(());
    }
    // kustomize passes the whole text to fmt.Errorf as its format, with no arguments.
    let format = format!("Failed to read kustomization file under {}:\n{}", dir, errs.join("\n"));
    Err(Error::new(ErrorKind::Kustomization, go_sprintf_no_args(&format)))
}

/// What Go's `fmt.Sprintf(format)` prints when given no arguments: `%%` is `%`, a verb is
/// `%!v(MISSING)`, a trailing `%` is `%!(NOVERB)`.
pub(crate) fn go_sprintf_no_args(format: &str) -> String {
    let mut out = String::with_capacity(format.len());
    let mut chars = format.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        // Flags, width, precision.
        while let Some(&f) = chars.peek() {
            if matches!(f, '+' | '-' | '#' | ' ' | '0'..='9' | '.') {
                chars.next();
            } else {
                break;
            }
        }
        match chars.next() {
            None => out.push_str("%!(NOVERB)"),
            Some('%') => out.push('%'),
            Some(v) => {
                out.push_str("%!");
                out.push(v);
                out.push_str("(MISSING)");
            }
        }
    }
    out
}
