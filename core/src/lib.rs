//! rustomize: `kustomize build`, reimplemented in Rust, byte-for-byte compatible with
//! kustomize v5.5.0.
#![forbid(unsafe_code)]

pub mod error;
pub mod fs;
pub mod kustomization;
pub mod schema;
pub mod yaml;

pub use error::{Error, ErrorKind, Result};
pub use fs::{DiskFs, FileSystem, MemFs};
