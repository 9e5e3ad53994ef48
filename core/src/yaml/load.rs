//! Loader: YAML text to [`Node`]s. (Being written.)
use super::node::Node;
use crate::error::{err, Result};

/// Parses a multi-document YAML stream. Empty documents are dropped.
pub fn load_documents(_src: &str) -> Result<Vec<Node>> {
    Err(err!(Unsupported, "loader not written yet"))
}

/// Parses a stream that must hold at most one document (`None` for an empty stream).
pub fn load_one(src: &str) -> Result<Option<Node>> {
    let mut docs = load_documents(src)?;
    if docs.len() > 1 {
        return Err(err!(Yaml, "expected one YAML document, found {}", docs.len()));
    }
    Ok(docs.pop())
}
