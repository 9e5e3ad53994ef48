//! AnnotationsTransformer: kustomize's builtin of that name (api/internal/builtins/
//! AnnotationsTransformer.go, filter api/filters/annotations).
//!
//! Same rules as the LabelTransformer ([`crate::transform::labels::set_map_entries`]): for each
//! resource, each annotation in key order, each field spec selecting the resource, the mapping
//! at the spec's path (created when the spec says so) gets the annotation as a string.

use crate::error::Result;
use crate::fieldspec::{Config, FieldSpec};
use crate::resource::ResourceList;
use crate::transform::labels::{set_map_entries, set_map_entries_static};
use std::collections::BTreeMap;

/// The AnnotationsTransformer plugin config (`annotations`, `fieldSpecs`).
#[derive(Clone, Debug, Default)]
pub struct AnnotationsTransformer {
    /// Annotations to set; a key given twice keeps its last value. Applied in key order.
    pub annotations: Vec<(String, String)>,
    /// Borrowed when they are the builtin ones (no copy per kustomization).
    pub field_specs: std::borrow::Cow<'static, [FieldSpec]>,
}

impl AnnotationsTransformer {
    pub fn new(annotations: Vec<(String, String)>, field_specs: Vec<FieldSpec>) -> Self {
        AnnotationsTransformer { annotations, field_specs: field_specs.into() }
    }

    /// The transformer of a kustomization's `commonAnnotations:`, with the build's
    /// `commonAnnotations` field specs (metadata and template annotations). kustomize adds none
    /// when the map is empty; [`apply`](Self::apply) does nothing then.
    pub fn from_common_annotations(annotations: &BTreeMap<String, String>, config: &Config) -> Self {
        let defaults = crate::fieldspec::defaults();
        let field_specs = if std::ptr::eq(config, defaults) {
            std::borrow::Cow::Borrowed(defaults.common_annotations.as_slice())
        } else {
            config.common_annotations.clone().into()
        };
        AnnotationsTransformer { annotations: annotations.iter().map(|(k, v)| (k.clone(), v.clone())).collect(), field_specs }
    }

    pub fn apply(&self, list: &mut ResourceList, _config: &Config) -> Result<()> {
        match &self.field_specs {
            std::borrow::Cow::Borrowed(specs) => set_map_entries_static(list, &self.annotations, specs),
            std::borrow::Cow::Owned(specs) => set_map_entries(list, &self.annotations, specs),
        }
    }
}

#[cfg(test)]
mod tests {
    //! Expected output is `kubectl kustomize` (kustomize v5.5.0) output with
    //! `sortOptions: {order: fifo}`.
    use super::*;
    use crate::fieldspec::defaults;
    use crate::resource::Resource;

    const IN: &str = r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: dep
  annotations:
    keep: k
spec:
  selector:
    matchLabels:
      a: b
  template:
    spec:
      containers: []
---
apiVersion: batch/v1
kind: CronJob
metadata:
  name: cj
spec:
  jobTemplate:
    spec:
      template:
        metadata:
          annotations: ~
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: ss
---
apiVersion: v1
kind: Service
metadata:
  name: svc
spec:
  selector:
    a: b
"#;

    /// `commonAnnotations: {note: hello, num: "1.5", b: "false"}`
    const OUT: &str = r#"apiVersion: apps/v1
kind: Deployment
metadata:
  annotations:
    b: "false"
    keep: k
    note: hello
    num: "1.5"
  name: dep
spec:
  selector:
    matchLabels:
      a: b
  template:
    metadata:
      annotations:
        b: "false"
        note: hello
        num: "1.5"
    spec:
      containers: []
---
apiVersion: batch/v1
kind: CronJob
metadata:
  annotations:
    b: "false"
    note: hello
    num: "1.5"
  name: cj
spec:
  jobTemplate:
    metadata:
      annotations:
        b: "false"
        note: hello
        num: "1.5"
    spec:
      template:
        metadata:
          annotations:
            b: "false"
            note: hello
            num: "1.5"
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  annotations:
    b: "false"
    note: hello
    num: "1.5"
  name: ss
spec:
  template:
    metadata:
      annotations:
        b: "false"
        note: hello
        num: "1.5"
---
apiVersion: v1
kind: Service
metadata:
  annotations:
    b: "false"
    note: hello
    num: "1.5"
  name: svc
spec:
  selector:
    a: b
"#;

    #[test]
    fn common_annotations() {
        let mut l = ResourceList::new();
        l.set_items(crate::yaml::load_documents(IN).unwrap().into_iter().map(Resource::new).collect());
        let m: BTreeMap<String, String> =
            [("note", "hello"), ("num", "1.5"), ("b", "false")].iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        AnnotationsTransformer::from_common_annotations(&m, defaults()).apply(&mut l, defaults()).unwrap();
        assert_eq!(crate::yaml::to_string_stream(l.iter().map(|r| &r.node)).unwrap(), OUT);
    }

    #[test]
    fn errors_name_the_field() {
        let mut l = ResourceList::new();
        let src = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n  annotations: [a]\n";
        l.set_items(crate::yaml::load_documents(src).unwrap().into_iter().map(Resource::new).collect());
        let t = AnnotationsTransformer::new(vec![("a".into(), "b".into())], defaults().common_annotations.clone());
        let e = t.apply(&mut l, defaults()).unwrap_err();
        assert_eq!(e.kind(), crate::ErrorKind::Transform);
        assert!(e.message().starts_with(
            "considering field 'metadata/annotations' of object ConfigMap.v1.[noGrp]/cm.[noNs]: wrong node kind: \
             expected MappingNode but got SequenceNode: node contents:\n"
        ));
    }
}
