//! PrefixSuffixTransformer (being written).

use crate::error::Result;
use crate::fieldspec::Config;
use crate::resource::ResourceList;

#[derive(Clone, Debug, Default)]
pub struct PrefixSuffixTransformer {}

impl PrefixSuffixTransformer {
    pub fn apply(&self, _list: &mut ResourceList, _config: &Config) -> Result<()> {
        Ok(())
    }
}

impl PrefixSuffixTransformer {
    pub fn kind_name(&self) -> &'static str {
        "PrefixSuffixTransformer"
    }
}
