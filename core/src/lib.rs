//! rustomize: `kustomize build`, reimplemented in Rust, byte-for-byte compatible with
//! kustomize v5.5.0.
#![forbid(unsafe_code)]

pub mod build;
pub mod error;
pub mod fieldspec;
pub mod fs;
pub mod generate;
pub mod kustomization;
pub mod patch;
pub mod resource;
pub mod schema;
pub mod transform;
pub mod yaml;

pub use build::{build, build_resources, render, LoadRestrictor, Options, Rendered, Reorder};
pub use error::{Error, ErrorKind, Result};
pub use fs::{DiskFs, FileSystem, MemFs};
