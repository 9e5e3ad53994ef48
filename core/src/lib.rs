//! rustomize: `kustomize build`, reimplemented in Rust, byte-for-byte compatible with
//! kustomize v5.5.0.
//!
//! ```
//! use rustomize::{build, MemFs, Options};
//!
//! let mut fs = MemFs::new();
//! fs.add("app/kustomization.yaml", "resources: [cm.yaml]\nnamePrefix: dev-\n");
//! fs.add("app/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\n");
//! let yaml = build(&fs, "/app", &Options::default()).unwrap();
//! assert_eq!(yaml, "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: dev-cfg\n");
//! ```
//!
//! [`DiskFs`] reads the real file system; [`build_resources`] and [`render`] return the
//! resources (and kustomize's warnings) instead of text. Errors are [`Error`]s with an
//! [`ErrorKind`], the file concerned and, where known, a position.
#![forbid(unsafe_code)]

pub mod build;
pub mod error;
pub mod fieldspec;
pub(crate) mod fasthash;
pub mod fs;
pub mod generate;
pub mod kustomization;
pub mod patch;
pub mod resource;
pub mod schema;
pub(crate) mod switch;
pub mod transform;
pub mod yaml;
#[cfg(test)]
mod testing;

pub use build::{
    build, build_many, build_many_with_jobs, build_resources, render, render_many_with_jobs, LoadRestrictor, Options, Rendered,
    Reorder,
};
pub use error::{Error, ErrorKind, Result};
pub use fs::{DiskFs, FileSystem, MemFs};
