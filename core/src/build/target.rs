//! One kustomization: load, accumulate, transform. (Being written.)

use super::Options;
use crate::error::{err, Result};
use crate::fs::FileSystem;
use crate::resource::ResourceList;

pub(crate) fn run(_fs: &dyn FileSystem, _dir: &str, _options: &Options) -> Result<ResourceList> {
    Err(err!(Unsupported, "build pipeline not written yet"))
}
