//! The kustomization file, typed, read exactly as kustomize v5.5.0 reads it.
//!
//! kustomize converts the file to JSON with `sigs.k8s.io/yaml` (go-yaml v2 typing: `yes`, `on`
//! and `y` are booleans, `1.0` is a number, only the first document counts) and decodes that
//! strictly into its Go types (`json: unknown field "x"`, `json: cannot unmarshal number into Go
//! struct field Image.images.newTag of type string`, field names also matched
//! case-insensitively). It then prints deprecation warnings, folds legacy fields
//! (`FixKustomization`), rejects an empty file and checks `kind`/`apiVersion`. [`load`] does all
//! of this; [`Kustomization`] holds the result.
//!
//! Files: `types` (the structs), `json` (YAML to JSON), `decode` (Go's JSON decoding), `parse`
//! (the Go struct table and the loading steps), `legacy` (warnings and folding). The decoder
//! reads the YAML nodes directly when the JSON detour cannot change the outcome (plain
//! strings, booleans and integers, each field set once, no error), and takes the detour for
//! anything else; `fast_tests` checks the two agree on every kustomization file at hand.

mod decode;
mod json;
mod legacy;
mod parse;
pub(crate) use parse::helm_fields;
mod types;

#[cfg(test)]
mod fast_tests;
#[cfg(test)]
mod tests;

pub use legacy::{deprecation_warning, empty_error};
pub use types::*;

use crate::error::{Error, ErrorKind, Result};
use crate::fs::FileSystem;
use crate::yaml::load::{load_documents_with, LoadOptions};
use crate::yaml::Node;

/// The names kustomize recognises for a kustomization file, in the order it tries them.
pub const KUSTOMIZATION_FILE_NAMES: [&str; 3] = ["kustomization.yaml", "kustomization.yml", "Kustomization"];

/// The names kustomize recognises for a kustomization file, in the order it tries them.
pub fn kustomization_file_names() -> [&'static str; 3] {
    KUSTOMIZATION_FILE_NAMES
}

/// kustomize's message when a directory has none of the kustomization file names.
pub fn missing_kustomization_message(dir: &str) -> String {
    format!("unable to find one of 'kustomization.yaml', 'kustomization.yml' or 'Kustomization' in directory '{}'", dir)
}

/// kustomize's message when a directory has more than one of them (with its trailing newline).
pub fn multiple_kustomization_files_message(dir: &str) -> String {
    format!("Found multiple kustomization files under: {}\n", dir)
}

/// Finds and reads the kustomization file of `dir` as kustomize's `LoadKustFile` does: every
/// recognised name that can be read counts; exactly one must. Returns the file name and content.
pub fn find_kustomization_file(fs: &dyn FileSystem, dir: &str) -> Result<(&'static str, Vec<u8>)> {
    let mut found: Option<(&'static str, Vec<u8>)> = None;
    let mut count = 0;
    for name in KUSTOMIZATION_FILE_NAMES {
        if let Ok(content) = fs.read(&crate::fs::join(dir, name)) {
            count += 1;
            found = Some((name, content));
        }
    }
    match (count, found) {
        (1, Some(f)) => Ok(f),
        (0, _) => Err(Error::new(ErrorKind::NotFound, missing_kustomization_message(dir))),
        _ => Err(Error::new(ErrorKind::Kustomization, multiple_kustomization_files_message(dir))),
    }
}

/// Parses a kustomization file: [`load`] with `.` as the directory named in messages.
pub fn parse(src: &str) -> Result<Kustomization> {
    load(src, ".")
}

/// Reads a kustomization from an already loaded document: [`load_node`] with `.` as the
/// directory named in messages.
pub fn from_node(node: &Node) -> Result<Kustomization> {
    load_node(Some(node), ".", &mut Vec::new())
}

/// Reads the kustomization file of directory `dir` (named in the kind/apiVersion error as
/// kustomize names it: the absolute root) from its text, as `KustTarget.Load` does.
pub fn load(src: &str, dir: &str) -> Result<Kustomization> {
    load_collecting(src, dir, &mut Vec::new())
}

/// [`load`], also pushing the deprecation warnings to `warnings` as kustomize prints them:
/// before the emptiness and kind checks, so they are there even when those fail.
pub fn load_collecting(src: &str, dir: &str, warnings: &mut Vec<String>) -> Result<Kustomization> {
    // go-yaml v2 as `sigs.k8s.io/yaml` runs it: the first document only, duplicate keys
    // replace earlier ones, v2 merge keys.
    let first = || -> Result<Option<Node>> {
        let docs = load_documents_with(src, &LoadOptions::kustomization()).map_err(|e| {
            let mut w = Error::new(e.kind(), format!("invalid Kustomization: {}", e.message()));
            if let (Some(l), Some(c)) = (e.line(), e.column()) {
                w = w.with_pos(l, c);
            }
            w
        })?;
        Ok(docs.into_iter().next())
    };
    // The document's strings are moved into the kustomization; when the direct decoding gives
    // up on it (having moved some), the general path reads the text again.
    parse::load_node_owned(first()?, || Ok(first()?.unwrap_or_default()), dir, warnings)
}

/// Reads a replacements file (what a `replacements` entry's `path` names) as kustomize's
/// ReplacementTransformer does: one replacement or a list of them, unknown fields ignored.
pub fn parse_replacements(src: &str) -> Result<Vec<ReplacementField>> {
    parse::replacements(src)
}

/// Reads a kustomization from its first document (`None`: an empty file).
pub fn load_node(doc: Option<&Node>, dir: &str, warnings: &mut Vec<String>) -> Result<Kustomization> {
    parse::load_node(doc, dir, warnings)
}

impl Kustomization {
    /// The check kustomize makes on a kustomization reached through `resources`
    /// (`as_component == false`) or `components` (`true`), `dir` being its root.
    pub fn check_kind(&self, as_component: bool, dir: &str) -> Result<()> {
        match (as_component, self.kind) {
            (true, KustomizationKind::Kustomization) => Err(Error::new(
                ErrorKind::Kustomization,
                format!("expected kind 'Component' for path '{}' but got '{}'", dir, self.kind.as_str()),
            )),
            (false, KustomizationKind::Component) => {
                Err(Error::new(ErrorKind::Kustomization, format!("expected kind != 'Component' for path '{}'", dir)))
            }
            _ => Ok(()),
        }
    }

    pub fn is_component(&self) -> bool {
        self.kind == KustomizationKind::Component
    }

    /// Whether `buildMetadata` lists `option` (see [`ORIGIN_ANNOTATIONS`] and friends).
    pub fn has_build_metadata(&self, option: &str) -> bool {
        self.build_metadata.iter().any(|o| o == option)
    }
}
