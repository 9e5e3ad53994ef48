//! LabelTransformer: kustomize's builtin of that name (api/internal/builtins/
//! LabelTransformer.go, filter api/filters/labels), and how a kustomization configures it
//! (api/internal/target/kusttarget_configplugin.go).
//!
//! For each resource, for each label in key order, for each field spec that selects the
//! resource: the field is found (created as a mapping when the spec says `create`) and the
//! label is set in it as a string. A null field that is not created stays null; a field that
//! is not a mapping is an error.
//!
//! The string-map setting here is shared with the AnnotationsTransformer
//! ([`set_map_entries`]).

use crate::error::{err, Error, Result};
use crate::fieldspec::{walk, Config, Create, FieldSpec, GvkParts, SpecPlan};
use crate::kustomization::{FieldSpec as KFieldSpec, Label};
use crate::resource::{Gvk, ResId, ResourceList};
use crate::yaml::Node;
use std::collections::BTreeMap;

/// The LabelTransformer plugin config (`labels`, `fieldSpecs`).
#[derive(Clone, Debug, Default)]
pub struct LabelTransformer {
    /// Labels to set; a key given twice keeps its last value. Applied in key order.
    pub labels: Vec<(String, String)>,
    /// Borrowed when they are the builtin ones (no copy per kustomization).
    pub field_specs: std::borrow::Cow<'static, [FieldSpec]>,
}

impl LabelTransformer {
    pub fn new(labels: Vec<(String, String)>, field_specs: Vec<FieldSpec>) -> Self {
        LabelTransformer { labels, field_specs: field_specs.into() }
    }

    /// The transformer of a kustomization's (deprecated) `commonLabels:`: the build's
    /// `commonLabels` field specs (selectors, then metadata and template labels).
    /// kustomize adds it after those of the `labels:` entries.
    pub fn from_common_labels(labels: &BTreeMap<String, String>, config: &Config) -> Self {
        let defaults = crate::fieldspec::defaults();
        let field_specs = if std::ptr::eq(config, defaults) {
            std::borrow::Cow::Borrowed(defaults.common_labels.as_slice())
        } else {
            config.common_labels.clone().into()
        };
        LabelTransformer { labels: pairs(labels), field_specs }
    }

    /// The transformer of one `labels:` entry of a kustomization. Field specs, merged in this
    /// order (a spec already present is skipped; the same spec with another `create` is an
    /// error): the entry's `fields`, then
    /// * with `includeSelectors`: the `commonLabels` specs (selectors, metadata, templates);
    /// * otherwise: with `includeTemplates` the `templateLabels` specs, then `metadata/labels`
    ///   (created).
    ///
    /// The `labels:` specs of `configurations:` files are merged right after `fields`.
    pub fn from_label(label: &Label, config: &Config) -> Result<Self> {
        // With no `fields` and the builtin config, the merged specs depend only on the two
        // flags: merged once per process.
        let defaults = crate::fieldspec::defaults();
        if label.fields.is_empty() && std::ptr::eq(config, defaults) {
            static MERGED: [std::sync::OnceLock<Option<Vec<FieldSpec>>>; 4] =
                [const { std::sync::OnceLock::new() }; 4];
            let slot = &MERGED[usize::from(label.include_selectors) * 2 + usize::from(label.include_templates)];
            let merged = slot.get_or_init(|| {
                let flags = Label { include_selectors: label.include_selectors, include_templates: label.include_templates, ..Label::default() };
                Self::merged_specs(&flags, defaults).ok()
            });
            if let Some(specs) = merged {
                return Ok(LabelTransformer { labels: pairs(&label.pairs), field_specs: std::borrow::Cow::Borrowed(specs.as_slice()) });
            }
        }
        let specs = Self::merged_specs(label, config)?;
        Ok(LabelTransformer { labels: pairs(&label.pairs), field_specs: specs.into() })
    }

    /// The field specs of a `labels:` entry (see [`LabelTransformer::from_label`]).
    fn merged_specs(label: &Label, config: &Config) -> Result<Vec<FieldSpec>> {
        let mut specs: Vec<FieldSpec> = Vec::new();
        for f in &label.fields {
            merge_one(&mut specs, &from_kustomization_spec(f)).map_err(|_| conflict("failed to merge labels"))?;
        }
        merge_all(&mut specs, &config.labels).map_err(|_| conflict("failed to merge labels"))?;
        if label.include_selectors {
            merge_all(&mut specs, &config.common_labels.clone()).map_err(|_| conflict("failed to merge labels"))?;
        } else {
            if label.include_templates {
                merge_all(&mut specs, &config.template_labels)
                    .map_err(|_| conflict("failed to merge template fieldSpec"))?;
            }
            merge_one(&mut specs, &FieldSpec::new("metadata/labels", true))
                .map_err(|_| conflict("failed to merge labels"))?;
        }
        Ok(specs)
    }

    pub fn apply(&self, list: &mut ResourceList, _config: &Config) -> Result<()> {
        match &self.field_specs {
            std::borrow::Cow::Borrowed(specs) => set_map_entries_static(list, &self.labels, specs),
            std::borrow::Cow::Owned(specs) => set_map_entries(list, &self.labels, specs),
        }
    }
}

fn pairs(m: &BTreeMap<String, String>) -> Vec<(String, String)> {
    m.iter().map(|(k, v)| (k.clone(), v.clone())).collect()
}

fn conflict(prefix: &str) -> Error {
    err!(Kustomization, "{}: conflicting fieldspecs", prefix)
}

/// A kustomization file's field spec as a build field spec.
pub fn from_kustomization_spec(f: &KFieldSpec) -> FieldSpec {
    FieldSpec { gvk: Gvk::new(&f.group, &f.version, &f.kind), path: f.path.clone(), create: f.create }
}

/// kustomize's `FsSlice.MergeOne`: skips `fs` when a spec of the same path that `fs`'s gvk
/// selects is present; `Err` when that spec's `create` differs.
fn merge_one(into: &mut Vec<FieldSpec>, fs: &FieldSpec) -> Result<(), ()> {
    merge_all(into, std::slice::from_ref(fs))
}

fn merge_all(into: &mut Vec<FieldSpec>, from: &[FieldSpec]) -> Result<(), ()> {
    crate::fieldspec::merge_specs(into, from).map_err(|_| ())
}

/// Sets `key: value` string entries in the mapping at every field spec of every resource, the
/// way kustomize's labels and annotations filters do (resource by resource, key by key in
/// sorted order, spec by spec). Nothing happens when `entries` is empty.
///
/// When the specs that select a resource cannot see each other's changes (see
/// [`Selected::independent`](crate::fieldspec::Selected::independent)), each is walked once and its fields get every key in order: the same
/// mappings, entries and first error as key by key.
pub(crate) fn set_map_entries(list: &mut ResourceList, entries: &[(String, String)], specs: &[FieldSpec]) -> Result<()> {
    if entries.is_empty() {
        return Ok(());
    }
    set_map_entries_with(list, entries, &SpecPlan::new(specs), true)
}

/// [`set_map_entries`] with a list that lives as long as the process (the builtin ones): the
/// specs selecting each gvk are found once per process.
pub(crate) fn set_map_entries_static(
    list: &mut ResourceList,
    entries: &[(String, String)],
    specs: &'static [FieldSpec],
) -> Result<()> {
    if entries.is_empty() {
        return Ok(());
    }
    set_map_entries_with(list, entries, SpecPlan::of_static(specs), true)
}

fn set_map_entries_with(list: &mut ResourceList, entries: &[(String, String)], plan: &SpecPlan<'_>, fuse: bool) -> Result<()> {
    // A Go map: the last value of a key wins, keys are visited sorted. Each value is made into
    // its string node once (copied into each field).
    let sorted: BTreeMap<&str, &str> = entries.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    if sorted.is_empty() {
        return Ok(());
    }
    let sorted: Vec<(&str, Node)> = sorted.into_iter().map(|(k, v)| (k, Node::string(v))).collect();
    // Resource by resource (each on its own): long lists on the build's spare threads.
    let results = crate::build::each_chunk(list.as_mut_slice(), |chunk| {
        for r in chunk.iter_mut() {
            // The specs that select the resource (in spec order), their paths split.
            let selected = plan.select(GvkParts::of(r));
            // With one key both ways are the same walks.
            let once = fuse && sorted.len() > 1 && selected.independent();
            let fail = |r: &crate::resource::Resource, fs: &FieldSpec, e: Error| considering_field(&fs.path, &r.cur_id(), e.message());
            if once {
                for (fs, segs) in selected.iter() {
                    let create = fs.create.then_some(Create::Map);
                    let res = walk(&mut r.node, segs, create, &mut |n| sorted.iter().try_for_each(|(k, v)| set_entry(n, k, v)));
                    if let Err(e) = res {
                        return Err(fail(r, fs, e));
                    }
                }
            } else {
                for (k, v) in &sorted {
                    for (fs, segs) in selected.iter() {
                        let create = fs.create.then_some(Create::Map);
                        let res = walk(&mut r.node, segs, create, &mut |n| set_entry(n, k, v));
                        if let Err(e) = res {
                            return Err(fail(r, fs, e));
                        }
                    }
                }
            }
        }
        Ok(())
    });
    crate::build::first_error(results)
}

/// The plain loop [`set_map_entries_with`] must agree with: every spec tested against every
/// resource, paths split at each walk, key by key.
#[cfg(test)]
fn set_map_entries_reference(list: &mut ResourceList, entries: &[(String, String)], specs: &[FieldSpec]) -> Result<()> {
    let sorted: BTreeMap<&str, &str> = entries.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    for r in list.as_mut_slice() {
        let gvk = r.gvk();
        for (k, v) in &sorted {
            for fs in specs.iter().filter(|fs| fs.applies_to(&gvk)) {
                let create = fs.create.then_some(Create::Map);
                if let Err(e) = walk(&mut r.node, &fs.segments(), create, &mut |n| set_entry(n, k, &Node::string(*v))) {
                    return Err(considering_field(&fs.path, &r.cur_id(), e.message()));
                }
            }
        }
    }
    Ok(())
}

/// kyaml's `FieldSetter` with a name: sets the entry in a mapping; does nothing on null;
/// anything else is an error.
/// `value` is the string node of the value ([`Node::string`]).
fn set_entry(n: &mut Node, key: &str, value: &Node) -> Result<()> {
    match n {
        Node::Map(m) => {
            // `Mapping::insert`, without making the key when the entry exists.
            match m.get_mut(key) {
                Some(old) => *old = value.clone(),
                None => m.entries.push(crate::yaml::Entry::new(key, value.clone(), crate::yaml::Pos::default())),
            }
            Ok(())
        }
        _ if n.is_null() => Ok(()),
        _ => Err(err!(Transform, "{}", wrong_node_kind("MappingNode", n))),
    }
}

/// kustomize's fieldspec filter error: `considering field '<path>' of object <id>: <msg>`.
pub(crate) fn considering_field(path: &str, id: &ResId, msg: &str) -> Error {
    err!(Transform, "considering field '{}' of object {}: {}", path, id, msg)
}

/// kyaml's `InvalidNodeKindError` message. (kyaml prints the node as it was written, e.g. in
/// flow style; here it is printed in block style.)
pub(crate) fn wrong_node_kind(expected: &str, got: &Node) -> String {
    let kind = match got {
        Node::Scalar(_) => "ScalarNode",
        Node::Seq(_) => "SequenceNode",
        Node::Map(_) => "MappingNode",
    };
    format!("wrong node kind: expected {} but got {}: node contents:\n{}", expected, kind, crate::yaml::to_string(got))
}

#[cfg(test)]
mod tests {
    //! Expected outputs are `kubectl kustomize` (kustomize v5.5.0) output with
    //! `sortOptions: {order: fifo}`.
    use super::*;
    use crate::error::ErrorKind;
    use crate::fieldspec::defaults;
    use crate::resource::Resource;
    use crate::fieldspec::independent_walks as independent;
    use crate::testing::Gen;

    fn list(src: &str) -> ResourceList {
        let mut l = ResourceList::new();
        l.set_items(crate::yaml::load_documents(src).unwrap().into_iter().map(Resource::new).collect());
        l
    }
    fn run(ts: &[LabelTransformer], src: &str) -> Result<String> {
        let mut l = list(src);
        for t in ts {
            t.apply(&mut l, defaults())?;
        }
        Ok(crate::yaml::to_string_stream(l.iter().map(|r| &r.node)).unwrap())
    }
    fn map(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }
    fn kspec(kind: &str, path: &str, create: bool) -> KFieldSpec {
        KFieldSpec { kind: kind.into(), path: path.into(), create, ..Default::default() }
    }

    const IN: &str = r#"apiVersion: v1
kind: Service
metadata:
  name: svc
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: dep
  labels:
    old: "1"
spec:
  selector:
    matchLabels:
      old: "1"
  template:
    spec:
      affinity:
        podAntiAffinity:
          requiredDuringSchedulingIgnoredDuringExecution:
          - labelSelector:
              matchLabels:
                x: z
          - topologyKey: k
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: ss
spec:
  volumeClaimTemplates:
  - metadata:
      name: data
---
apiVersion: batch/v1
kind: CronJob
metadata:
  name: cj
spec:
  jobTemplate:
    spec: {}
---
apiVersion: batch/v1
kind: Job
metadata:
  name: job
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: np
spec:
  podSelector:
    matchLabels: ~
  ingress:
  - from:
    - podSelector:
        matchLabels:
          q: r
    - namespaceSelector: {}
"#;

    /// `commonLabels: {app: web, num: "123", flag: "true"}`
    const COMMON_OUT: &str = r#"apiVersion: v1
kind: Service
metadata:
  labels:
    app: web
    flag: "true"
    num: "123"
  name: svc
spec:
  selector:
    app: web
    flag: "true"
    num: "123"
---
apiVersion: apps/v1
kind: Deployment
metadata:
  labels:
    app: web
    flag: "true"
    num: "123"
    old: "1"
  name: dep
spec:
  selector:
    matchLabels:
      app: web
      flag: "true"
      num: "123"
      old: "1"
  template:
    metadata:
      labels:
        app: web
        flag: "true"
        num: "123"
    spec:
      affinity:
        podAntiAffinity:
          requiredDuringSchedulingIgnoredDuringExecution:
          - labelSelector:
              matchLabels:
                app: web
                flag: "true"
                num: "123"
                x: z
          - topologyKey: k
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  labels:
    app: web
    flag: "true"
    num: "123"
  name: ss
spec:
  selector:
    matchLabels:
      app: web
      flag: "true"
      num: "123"
  template:
    metadata:
      labels:
        app: web
        flag: "true"
        num: "123"
  volumeClaimTemplates:
  - metadata:
      labels:
        app: web
        flag: "true"
        num: "123"
      name: data
---
apiVersion: batch/v1
kind: CronJob
metadata:
  labels:
    app: web
    flag: "true"
    num: "123"
  name: cj
spec:
  jobTemplate:
    metadata:
      labels:
        app: web
        flag: "true"
        num: "123"
    spec:
      template:
        metadata:
          labels:
            app: web
            flag: "true"
            num: "123"
---
apiVersion: batch/v1
kind: Job
metadata:
  labels:
    app: web
    flag: "true"
    num: "123"
  name: job
spec:
  template:
    metadata:
      labels:
        app: web
        flag: "true"
        num: "123"
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  labels:
    app: web
    flag: "true"
    num: "123"
  name: np
spec:
  ingress:
  - from:
    - podSelector:
        matchLabels:
          app: web
          flag: "true"
          num: "123"
          q: r
    - namespaceSelector: {}
  podSelector:
    matchLabels: null
"#;

    #[test]
    fn common_labels() {
        let t = LabelTransformer::from_common_labels(&map(&[("app", "web"), ("num", "123"), ("flag", "true")]), defaults());
        assert_eq!(run(&[t], IN).unwrap(), COMMON_OUT);
    }

    /// `labels:` entries: `{plain: "yes"}`; `{tmpl: t}` with includeTemplates; `{sel: s}` with
    /// includeSelectors; `{custom: c}` with fields `spec/extra/labels` (Service, create) and
    /// `data/lbl` (Job).
    const ENTRIES_OUT: &str = r#"apiVersion: v1
kind: Service
metadata:
  labels:
    custom: c
    plain: "yes"
    sel: s
    tmpl: t
  name: svc
spec:
  extra:
    labels:
      custom: c
  selector:
    sel: s
---
apiVersion: apps/v1
kind: Deployment
metadata:
  labels:
    custom: c
    old: "1"
    plain: "yes"
    sel: s
    tmpl: t
  name: dep
spec:
  selector:
    matchLabels:
      old: "1"
      sel: s
  template:
    metadata:
      labels:
        sel: s
        tmpl: t
    spec:
      affinity:
        podAntiAffinity:
          requiredDuringSchedulingIgnoredDuringExecution:
          - labelSelector:
              matchLabels:
                sel: s
                x: z
          - topologyKey: k
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  labels:
    custom: c
    plain: "yes"
    sel: s
    tmpl: t
  name: ss
spec:
  selector:
    matchLabels:
      sel: s
  template:
    metadata:
      labels:
        sel: s
        tmpl: t
  volumeClaimTemplates:
  - metadata:
      labels:
        sel: s
        tmpl: t
      name: data
---
apiVersion: batch/v1
kind: CronJob
metadata:
  labels:
    custom: c
    plain: "yes"
    sel: s
    tmpl: t
  name: cj
spec:
  jobTemplate:
    metadata:
      labels:
        sel: s
        tmpl: t
    spec:
      template:
        metadata:
          labels:
            sel: s
            tmpl: t
---
apiVersion: batch/v1
kind: Job
metadata:
  labels:
    custom: c
    plain: "yes"
    sel: s
    tmpl: t
  name: job
spec:
  template:
    metadata:
      labels:
        sel: s
        tmpl: t
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  labels:
    custom: c
    plain: "yes"
    sel: s
    tmpl: t
  name: np
spec:
  ingress:
  - from:
    - podSelector:
        matchLabels:
          q: r
          sel: s
    - namespaceSelector: {}
  podSelector:
    matchLabels: null
"#;

    #[test]
    fn label_entries() {
        let entry = |k: &str, v: &str, sel: bool, tmpl: bool, fields: Vec<KFieldSpec>| Label {
            pairs: map(&[(k, v)]),
            include_selectors: sel,
            include_templates: tmpl,
            fields,
        };
        let fields = vec![kspec("Service", "spec/extra/labels", true), kspec("Job", "data/lbl", false)];
        let ts: Vec<LabelTransformer> = [
            entry("plain", "yes", false, false, vec![]),
            entry("tmpl", "t", false, true, vec![]),
            entry("sel", "s", true, false, vec![]),
            entry("custom", "c", false, false, fields),
        ]
        .iter()
        .map(|l| LabelTransformer::from_label(l, defaults()).unwrap())
        .collect();
        assert_eq!(run(&ts, IN).unwrap(), ENTRIES_OUT);
    }

    #[test]
    fn entry_spec_conflicts() {
        let l = Label { pairs: map(&[("a", "b")]), fields: vec![kspec("", "metadata/labels", false)], ..Default::default() };
        assert_eq!(LabelTransformer::from_label(&l, defaults()).unwrap_err().message(), "failed to merge labels: conflicting fieldspecs");
        let l = Label {
            pairs: map(&[("a", "b")]),
            include_templates: true,
            fields: vec![kspec("Deployment", "spec/template/metadata/labels", false)],
            ..Default::default()
        };
        assert_eq!(
            LabelTransformer::from_label(&l, defaults()).unwrap_err().message(),
            "failed to merge template fieldSpec: conflicting fieldspecs"
        );
    }

    #[test]
    fn nulls_and_errors() {
        let common = || LabelTransformer::from_common_labels(&map(&[("app", "web")]), defaults());
        let cm = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n";
        let cm_out = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  labels:\n    app: web\n  name: cm\n";
        assert_eq!(run(&[common()], &format!("{cm}  labels: ~\n")).unwrap(), cm_out);
        assert_eq!(run(&[common()], &format!("{cm}  labels:\n")).unwrap(), cm_out);
        let e = run(&[common()], &format!("{cm}  labels: foo\n")).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Transform);
        assert_eq!(
            e.message(),
            "considering field 'metadata/labels' of object ConfigMap.v1.[noGrp]/cm.[noNs]: wrong node kind: \
             expected MappingNode but got ScalarNode: node contents:\nfoo\n"
        );
        let dep = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n";
        assert_eq!(
            run(&[common()], &format!("{dep}  template: 3\n")).unwrap_err().message(),
            "considering field 'spec/template/spec/affinity/podAffinity/preferredDuringSchedulingIgnoredDuringExecution/\
             podAffinityTerm/labelSelector/matchLabels' of object Deployment.v1.apps/d.[noNs]: expected sequence or mapping node"
        );
        assert_eq!(
            run(&[common()], &format!("{dep}  template:\n    metadata: ~\n  selector: null\n")).unwrap(),
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  labels:\n    app: web\n  name: d\nspec:\n  selector:\n    \
             matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n        app: web\n"
        );
        // A null sequence on the way becomes an empty one.
        assert_eq!(
            run(&[common()], "apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: d\nspec:\n  volumeClaimTemplates: ~\n").unwrap(),
            "apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  labels:\n    app: web\n  name: d\nspec:\n  selector:\n    \
             matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n        app: web\n  volumeClaimTemplates: []\n"
        );
        // No labels: nothing changes, even where a field would be an error.
        let empty = LabelTransformer::new(vec![], defaults().common_labels.clone());
        assert!(run(&[empty], &format!("{cm}  labels: foo\n")).is_ok());
    }

    /// A value for a field that labels may land in: a mapping (with some entries), null, a
    /// scalar, a list of mappings, or a mapping whose `foo` entry is itself a mapping.
    fn gen_field(g: &mut Gen, key: &str, ind: &str) -> String {
        match g.next(14) {
            0 => format!("{ind}{key}: null\n"),
            1 => format!("{ind}{key}: scalar\n"),
            2 => format!("{ind}{key}:\n{ind}- a: b\n{ind}- null\n"),
            3 => format!("{ind}{key}:\n{ind}  foo:\n{ind}    x: y\n"),
            4 => format!("{ind}{key}: {{}}\n"),
            5 => String::new(),
            _ => format!("{ind}{key}:\n{ind}  old: \"1\"\n{ind}  zz: q\n"),
        }
    }

    const KINDS: [(&str, &str); 5] =
        [("apps/v1", "Deployment"), ("v1", "Service"), ("batch/v1", "CronJob"), ("example.com/v1", "Foo"), ("v1", "ConfigMap")];

    fn gen_resource(g: &mut Gen, i: usize) -> String {
        gen_resource_of(g, i, &KINDS)
    }

    /// A resource of one of `kinds` (apiVersion, kind).
    fn gen_resource_of(g: &mut Gen, i: usize, kinds: &[(&str, &str)]) -> String {
        let (api, kind) = kinds[g.next(kinds.len())];
        let mut out = format!("apiVersion: {api}\nkind: {kind}\nmetadata:\n  name: r{i}\n");
        out.push_str(&gen_field(g, "labels", "  "));
        out.push_str(&gen_field(g, "annotations", "  "));
        if g.next(4) != 0 {
            out.push_str("spec:\n");
            out.push_str(&gen_field(g, "selector", "  "));
            if g.next(3) != 0 {
                out.push_str("  template:\n    metadata:\n");
                out.push_str(&gen_field(g, "labels", "      "));
            }
            if g.next(3) == 0 {
                out.push_str("  items:\n  - labels:\n      a: b\n  - labels: null\n  - other: 1\n");
            }
        } else if g.next(2) == 0 {
            out.push_str("spec: scalar\n");
        }
        out
    }

    #[test]
    fn walking_each_spec_once_does_what_key_by_key_does() {
        let spec = |kind: &str, path: &str, create: bool| FieldSpec { gvk: Gvk::new("", "", kind), path: path.into(), create };
        let spec_lists: Vec<Vec<FieldSpec>> = vec![
            defaults().common_labels.clone(),
            defaults().common_annotations.clone(),
            defaults().template_labels.clone(),
            vec![spec("", "metadata/labels", true), spec("", "spec/template/metadata/labels", false)],
            // Paths leading through one another.
            vec![spec("", "metadata/labels", true), spec("", "metadata/labels/foo", true)],
            vec![spec("", "metadata/labels/foo", true), spec("", "metadata/labels", false)],
            vec![spec("", "spec/selector/foo", false), spec("", "spec/selector", true)],
            vec![spec("", "metadata/labels[]", false), spec("", "metadata/labels/x", true)],
            // The same path twice, one for a kind only; a path into the id's mapping.
            vec![spec("", "metadata/labels", false), spec("Deployment", "metadata/labels", true)],
            vec![spec("", "metadata", false), spec("", "spec/selector", true)],
            vec![spec("", "spec/items[]/labels", true), spec("Foo", "spec/selector", true), spec("", "metadata/annotations", true)],
            vec![spec("", "spec/items/labels", false), spec("", "spec/template/metadata/labels", true)],
        ];
        let key_sets: [&[(&str, &str)]; 5] = [
            &[("app", "web")],
            &[("app", "web"), ("num", "123"), ("flag", "true")],
            &[("foo", "v"), ("aaa", "1")],
            &[("name", "renamed"), ("a", "b"), ("zz", "last")],
            &[("x", "1"), ("app", "a"), ("app", "b")],
        ];
        let mut g = Gen(0x2545_F491_4F6C_DD1D);
        let (mut fused_cases, mut failed, mut cases) = (0, 0, 0);
        for _ in 0..500 {
            let input: Vec<String> = (0..1 + g.next(4)).map(|i| gen_resource(&mut g, i)).collect();
            let input = input.join("---\n");
            let specs = &spec_lists[g.next(spec_lists.len())];
            let entries: Vec<(String, String)> =
                key_sets[g.next(key_sets.len())].iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
            let go = |fuse: bool| {
                let mut l = list(&input);
                set_map_entries_with(&mut l, &entries, &SpecPlan::new(specs), fuse)
                    .map(|()| crate::yaml::to_string_stream(l.iter().map(|r| &r.node)).unwrap())
                    .map_err(|e| e.message().to_string())
            };
            let (want, got) = (go(false), go(true));
            assert_eq!(got, want, "{input}\n{specs:?}\n{entries:?}");
            cases += 1;
            failed += usize::from(want.is_err());
            let l = list(&input);
            fused_cases += usize::from(l.iter().any(|r| {
                let gvk = GvkParts::of(r);
                let paths: Vec<Vec<String>> = specs.iter().filter(|fs| gvk.selected_by(fs)).map(|fs| fs.segments()).collect();
                paths.len() > 1 && entries.len() > 1 && independent(paths.iter().map(|p| p.as_slice()))
            }));
        }
        // Both outcomes, and resources of both kinds, are exercised.
        assert!(failed > cases / 10 && failed < cases * 3 / 4 && fused_cases > cases / 3, "{failed} failed, {fused_cases} fused of {cases}");
    }

    #[test]
    fn selecting_once_per_gvk_does_what_every_spec_on_every_resource_does() {
        let spec = |group: &str, version: &str, kind: &str, path: &str, create: bool| FieldSpec {
            gvk: Gvk::new(group, version, kind),
            path: path.into(),
            create,
        };
        let spec_lists: Vec<Vec<FieldSpec>> = vec![
            vec![],
            vec![spec("", "", "", "metadata/labels", true)],
            vec![
                spec("apps", "", "Deployment", "spec/selector", true),
                spec("", "v1", "", "metadata/annotations", false),
                spec("", "", "Foo", "spec/items[]/labels", true),
                spec("", "", "", "metadata/labels", true),
                spec("batch", "v1", "CronJob", "spec/template/metadata/labels", true),
            ],
            vec![spec("", "", "Service", "/spec/selector", false), spec("", "", "", "spec/te\\/mplate/metadata/labels", true)],
            vec![spec("example.com", "v1", "Foo", "metadata/labels", true), spec("", "", "", "metadata", false)],
            vec![spec("", "", "ConfigMap", "metadata/labels", false), spec("", "", "", "spec/template/metadata/labels", true)],
        ];
        // The same lists living as long as the process (their plans are shared by every call).
        let statics: Vec<&'static [FieldSpec]> = spec_lists.iter().map(|l| &*Box::leak(l.clone().into_boxed_slice())).collect();
        let (statics, spec_lists): (Vec<&'static [FieldSpec]>, Vec<&[FieldSpec]>) = (
            statics.into_iter().chain([defaults().common_labels.as_slice(), defaults().common_annotations.as_slice()]).collect(),
            spec_lists.iter().map(|l| l.as_slice()).chain([defaults().common_labels.as_slice(), defaults().common_annotations.as_slice()]).collect(),
        );
        let key_sets: [&[(&str, &str)]; 4] =
            [&[("app", "web")], &[("app", "web"), ("num", "123")], &[("x", "1"), ("app", "a"), ("app", "b")], &[]];
        let mut g = Gen(0x1234_5678_9ABC_DEF1);
        let (mut failed, mut changed, mut cases) = (0, 0, 0);
        for _ in 0..800 {
            // Kinds of the same name in other groups and versions too.
            let kinds = [KINDS.as_slice(), &[("example.com/v2", "Foo"), ("other.io/v1", "Foo"), ("apps/v2", "Deployment")]].concat();
            let input: Vec<String> = (0..1 + g.next(6)).map(|i| gen_resource_of(&mut g, i, &kinds)).collect();
            let input = input.join("---\n");
            let which = g.next(spec_lists.len());
            let entries: Vec<(String, String)> =
                key_sets[g.next(key_sets.len())].iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
            let show = |l: &ResourceList, res: Result<()>| {
                res.map(|()| crate::yaml::to_string_stream(l.iter().map(|r| &r.node)).unwrap()).map_err(|e| (e.kind(), e.message().to_string()))
            };
            let mut l = list(&input);
            let res = set_map_entries_reference(&mut l, &entries, spec_lists[which]);
            let want = show(&l, res);
            let mut l = list(&input);
            let res = set_map_entries(&mut l, &entries, spec_lists[which]);
            let per_call = show(&l, res);
            let mut l = list(&input);
            let res = set_map_entries_static(&mut l, &entries, statics[which]);
            let shared = show(&l, res);
            assert_eq!(per_call, want, "{input}\n{:?}\n{entries:?}", spec_lists[which]);
            assert_eq!(shared, want, "{input}\n{:?}\n{entries:?}", spec_lists[which]);
            cases += 1;
            failed += usize::from(want.is_err());
            changed += usize::from(want.as_ref().is_ok_and(|out| *out != crate::yaml::to_string_stream(list(&input).iter().map(|r| &r.node)).unwrap()));
        }
        assert!(failed > cases / 10 && changed > cases / 3, "{failed} failed, {changed} changed of {cases}");
    }

    #[test]
    fn independent_specs() {
        let ind = |ps: &[&str]| {
            let split: Vec<Vec<String>> = ps.iter().map(|p| crate::fieldspec::split_path(p)).collect();
            let want = independent(split.iter().map(|p| p.as_slice()));
            // What a plan's selection of those specs says.
            let specs: Vec<FieldSpec> = ps.iter().map(|p| FieldSpec::new(p, false)).collect();
            let gvk = GvkParts { group: "", version: "v1", kind: "Service" };
            assert_eq!(SpecPlan::new(&specs).select(gvk).independent(), want, "{ps:?}");
            want
        };
        assert!(ind(&["metadata/labels", "spec/selector", "spec/template/metadata/labels"]));
        assert!(ind(&["metadata/labels"]));
        assert!(!ind(&["metadata/labels", "metadata/labels/x"]));
        assert!(!ind(&["a/b[]/c", "a/b"]));
        assert!(!ind(&["a/b", "a/b"]));
        assert!(!ind(&["metadata"]));
        assert!(ind(&["a/bc", "a/b"]));
        assert!(!ind(&["/metadata", "spec"]));
        assert!(!ind(&["metadata[]"]));
        assert!(ind(&["metadata/labels", "/spec/a", "spec/b/"]));
        assert!(!ind(&["/a/b", "a/b/c"]));
        assert!(!ind(&["a/b/", "a/b"]));
        assert!(!ind(&["a/b", "a/b/"]));
        assert!(ind(&["a\\/b", "a/c"]));
        assert!(ind(&["", "x"]));
        assert!(!ind(&["", ""]));
        assert!(ind(&["x/y", "y"]));
    }
}
