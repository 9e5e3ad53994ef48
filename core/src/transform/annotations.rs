//! AnnotationsTransformer (being written).

use crate::error::Result;
use crate::fieldspec::Config;
use crate::resource::ResourceList;

#[derive(Clone, Debug, Default)]
pub struct AnnotationsTransformer {}

impl AnnotationsTransformer {
    pub fn apply(&self, _list: &mut ResourceList, _config: &Config) -> Result<()> {
        Ok(())
    }
}
