//! The name-reference fix-up (being written).

use crate::error::Result;
use crate::fieldspec::Config;
use crate::resource::ResourceList;

/// Rewrites references to renamed resources (kustomize's FixBackReferences).
pub fn fix_back_references(_list: &mut ResourceList, _config: &Config) -> Result<()> {
    Ok(())
}
