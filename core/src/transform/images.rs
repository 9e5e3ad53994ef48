//! ImageTagTransformer (being written).

use crate::error::Result;
use crate::fieldspec::Config;
use crate::resource::ResourceList;

#[derive(Clone, Debug, Default)]
pub struct ImageTagTransformer {}

impl ImageTagTransformer {
    pub fn apply(&self, _list: &mut ResourceList, _config: &Config) -> Result<()> {
        Ok(())
    }
}
