//! ReplicaCountTransformer: kustomize's `replicas:` field.
//!
//! kustomize v5.5.0 makes one transformer per `replicas` entry, each with the build's `replicas`
//! field specs. For each spec in order, the resources whose current or any previous id has the
//! entry's name and a gvk the spec selects (a previous id takes the current group and version
//! with its previous kind, as kustomize rebuilds them) get the spec's field set to the count,
//! created when the spec says so and the object's current gvk still matches the spec. It is an
//! error when no spec selects any resource.
//!
//! The count replaces the old scalar keeping its quoting style (kyaml's setter keeps the style
//! and its `!!int` tag is dropped on output), so `replicas: "1"` becomes `replicas: "5"`.

use crate::error::{err, Error, Result};
use crate::fieldspec::{walk, Config, Create, FieldSpec, GvkParts};
pub use crate::kustomization::Replica;
use crate::resource::{Gvk, Resource, ResourceList};
use crate::yaml::{Node, Scalar};

/// One `replicas` entry and the fields that hold a replica count.
#[derive(Clone, Debug, Default)]
pub struct ReplicaCountTransformer {
    pub replica: Replica,
    pub field_specs: Vec<FieldSpec>,
}

impl ReplicaCountTransformer {
    pub fn new(replica: Replica, field_specs: Vec<FieldSpec>) -> Self {
        ReplicaCountTransformer { replica, field_specs }
    }

    /// kustomize's configuration from a kustomization: one transformer per `replicas` entry, in
    /// order, each with `config.replicas` as its field specs.
    pub fn from_kustomization_replicas(replicas: &[Replica], config: &Config) -> Vec<Self> {
        replicas.iter().map(|r| ReplicaCountTransformer::new(r.clone(), config.replicas.clone())).collect()
    }

    pub fn apply(&self, list: &mut ResourceList, _config: &Config) -> Result<()> {
        let count = self.replica.count.to_string();
        let segments: Vec<Vec<std::borrow::Cow<'_, str>>> =
            self.field_specs.iter().map(|fs| crate::fieldspec::split_path_ref(&fs.path)).collect();
        // When no walk can change an id (the usual `spec/replicas` specs), the resources with
        // the entry's name and which specs select them are the same for every spec: found once.
        let found = if segments.iter().any(|s| crate::fieldspec::walk_may_change_id(s)) {
            self.apply_spec_by_spec(list, &segments, &count)?
        } else {
            self.apply_fixed_ids(list, &segments, &count)?
        };
        if !found {
            let gvks: Vec<String> = self.field_specs.iter().map(|fs| fs.gvk.to_string()).collect();
            return Err(err!(
                Transform,
                "resource with name {} does not match a config with the following GVK [{}]",
                self.replica.name,
                gvks.join(" ")
            ));
        }
        Ok(())
    }

    /// kustomize's loop: for each spec, the resources with the entry's name (looked up again,
    /// as a walk may have renamed one), each judged by its ids as they are then. Whether any
    /// was selected.
    fn apply_spec_by_spec<S: AsRef<str>>(&self, list: &mut ResourceList, segments: &[Vec<S>], count: &str) -> Result<bool> {
        let mut found = false;
        for (fs, segments) in self.field_specs.iter().zip(segments) {
            // Only resources with the entry's name as current or a previous name can match:
            // the list's name index gives them in list order.
            for i in list.find_by_name(&self.replica.name) {
                // Whether an id selects it, and whether its current gvk does (read once: the
                // resource does not change in between).
                let Some((selected, current)) = list.get(i).map(|r| {
                    let cur = GvkParts::of(r);
                    (self.selects(r, cur, &fs.gvk), cur.selected_by(fs))
                }) else {
                    continue;
                };
                if !selected {
                    continue;
                }
                found = true;
                list.modify(i, |r| if current { set_field(r, fs, segments, count) } else { Ok(()) }).unwrap_or(Ok(()))?;
            }
        }
        Ok(found)
    }

    /// [`apply_spec_by_spec`](Self::apply_spec_by_spec) when no walk can change an id: the
    /// resources with the name are found once, and for each of them whether each spec selects
    /// it (by an id, and by its current gvk) is read once; then the same walks in the same
    /// order (spec by spec, resources in list order).
    fn apply_fixed_ids<S: AsRef<str>>(&self, list: &mut ResourceList, segments: &[Vec<S>], count: &str) -> Result<bool> {
        let specs = &self.field_specs;
        // Per resource with the name: its index, then per spec (selected, current).
        let mut judged: Vec<(usize, Vec<(bool, bool)>)> = Vec::new();
        for i in list.find_by_name(&self.replica.name) {
            let Some(r) = list.get(i) else { continue };
            let cur = GvkParts::of(r);
            judged.push((i, specs.iter().map(|fs| (self.selects(r, cur, &fs.gvk), cur.selected_by(fs))).collect()));
        }
        let mut found = false;
        for (k, (fs, segments)) in specs.iter().zip(segments).enumerate() {
            for (i, flags) in &judged {
                let (selected, current) = flags[k];
                if !selected {
                    continue;
                }
                found = true;
                list.modify(*i, |r| if current { set_field(r, fs, segments, count) } else { Ok(()) }).unwrap_or(Ok(()))?;
            }
        }
        Ok(found)
    }

    /// kustomize's matcher over `PrevIds()` then `CurId()`: same name, gvk selected by `sel`.
    /// `cur` is the resource's gvk ([`GvkParts::of`]).
    fn selects(&self, r: &Resource, cur: GvkParts<'_>, sel: &Gvk) -> bool {
        let selected = |kind: &str| {
            (sel.group.is_empty() || sel.group == cur.group)
                && (sel.version.is_empty() || sel.version == cur.version)
                && (sel.kind.is_empty() || sel.kind == kind)
        };
        r.prev_ids.iter().any(|p| p.name == self.replica.name && selected(&p.gvk.kind))
            || (r.name() == self.replica.name && selected(cur.kind))
    }

    /// [`selects`](Self::selects) as kustomize writes it, on whole ids (the reference for tests).
    #[cfg(test)]
    fn selects_by_ids(&self, r: &Resource, sel: &Gvk) -> bool {
        let cur = r.cur_id();
        let prev = r.prev_ids.iter().map(|p| crate::resource::ResId {
            gvk: Gvk { group: cur.gvk.group.clone(), version: cur.gvk.version.clone(), kind: p.gvk.kind.clone() },
            name: p.name.clone(),
            namespace: p.namespace.clone(),
        });
        prev.chain(std::iter::once(cur.clone())).any(|id| id.name == self.replica.name && id.gvk.is_selected_by(sel))
    }
}

/// Sets the count at the spec's field of `r` (created when the spec says so).
fn set_field<S: AsRef<str>>(r: &mut Resource, fs: &FieldSpec, segments: &[S], count: &str) -> Result<()> {
    let create = if fs.create { Some(Create::Scalar) } else { None };
    // The id before the walk: read after a failed walk unless the walk can change it (see
    // `walk_may_change_id`).
    let before = crate::fieldspec::walk_may_change_id(segments).then(|| r.cur_id());
    walk(&mut r.node, segments, create, &mut |n| set_count(n, count)).map_err(|e| {
        let id = before.clone().unwrap_or_else(|| r.cur_id());
        Error::new(e.kind(), format!("considering field '{}' of object {}: {}", fs.path, id, e.message()))
    })
}

/// kyaml's `SetEntry("", count, "!!int")`: the field must be a scalar (or null); its style stays.
fn set_count(node: &mut Node, count: &str) -> Result<()> {
    let style = match node {
        Node::Scalar(s) => s.style,
        _ => {
            let got = if matches!(node, Node::Map(_)) { "MappingNode" } else { "SequenceNode" };
            return Err(err!(
                Transform,
                "wrong node kind: expected ScalarNode but got {}: node contents:\n{}",
                got,
                crate::yaml::to_string(node)
            ));
        }
    };
    *node = Node::Scalar(Scalar { value: count.to_string(), style, tag: None });
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn specs() -> Vec<FieldSpec> {
        // kustomize's tc.Replicas, after its sortFields (Gvk.IsLessThan order).
        ["Deployment", "StatefulSet", "ReplicaSet", "ReplicationController"]
            .iter()
            .map(|k| FieldSpec { gvk: Gvk::new("", "", k), path: "spec/replicas".into(), create: true })
            .collect()
    }

    fn list(input: &str, prefix: &str) -> ResourceList {
        let mut list = ResourceList::new();
        for n in crate::yaml::load_documents(input).unwrap() {
            let mut r = Resource::new(n);
            if !prefix.is_empty() {
                r.store_previous_id();
                let name = format!("{}{}", prefix, r.name());
                r.set_name(&name);
                r.prefixes.push(prefix.to_string());
            }
            list.append(r).unwrap();
        }
        list
    }

    fn run(list: &mut ResourceList, replicas: &[(&str, i64)]) -> Result<String> {
        let config = Config { replicas: specs(), ..Config::default() };
        let entries: Vec<Replica> = replicas.iter().map(|(n, c)| Replica { name: n.to_string(), count: *c }).collect();
        for t in ReplicaCountTransformer::from_kustomization_replicas(&entries, &config) {
            t.apply(list, &config)?;
        }
        crate::yaml::to_string_stream(list.iter().map(|r| &r.node))
    }

    #[test]
    fn sets_counts_by_any_name() {
        let base = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n  replicas: \"1\"\n---\napiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: d\nspec:\n  replicas:\n---\napiVersion: v1\nkind: ReplicationController\nmetadata:\n  name: d\n---\napiVersion: example.com/v1\nkind: Foo\nmetadata:\n  name: d\n---\napiVersion: apps/v1\nkind: ReplicaSet\nmetadata:\n  name: e\nspec:\n  replicas: '3'\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: e\n  namespace: other\nspec:\n---\napiVersion: extensions/v1beta1\nkind: StatefulSet\nmetadata:\n  name: e\nspec:\n  replicas: 1\n";
        let mut l = list(base, "p-");
        let got = run(&mut l, &[("d", 5), ("p-d", 7), ("e", -2)]).unwrap();
        // kubectl kustomize (v5.5.0) output with namePrefix p- and sortOptions fifo.
        let want = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: p-d\nspec:\n  replicas: \"7\"\n---\napiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: p-d\nspec:\n  replicas: 7\n---\napiVersion: v1\nkind: ReplicationController\nmetadata:\n  name: p-d\nspec:\n  replicas: 7\n---\napiVersion: example.com/v1\nkind: Foo\nmetadata:\n  name: p-d\n---\napiVersion: apps/v1\nkind: ReplicaSet\nmetadata:\n  name: p-e\nspec:\n  replicas: \"-2\"\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: p-e\n  namespace: other\nspec:\n  replicas: -2\n---\napiVersion: extensions/v1beta1\nkind: StatefulSet\nmetadata:\n  name: p-e\nspec:\n  replicas: -2\n";
        assert_eq!(got, want);
    }

    #[test]
    fn errors() {
        let base = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\n---\napiVersion: example.com/v1\nkind: Foo\nmetadata:\n  name: zz\n";
        let e = run(&mut list(base, ""), &[("zz", 5)]).unwrap_err();
        assert_eq!(
            e.message(),
            "resource with name zz does not match a config with the following GVK [Deployment.[noVer].[noGrp] StatefulSet.[noVer].[noGrp] ReplicaSet.[noVer].[noGrp] ReplicationController.[noVer].[noGrp]]"
        );
        let bad = "apiVersion: extensions/v1beta1\nkind: StatefulSet\nmetadata:\n  name: e\nspec:\n  replicas:\n    a: 1\n";
        let e = run(&mut list(bad, "p-"), &[("e", 1)]).unwrap_err();
        assert_eq!(
            e.message(),
            "considering field 'spec/replicas' of object StatefulSet.v1beta1.extensions/p-e.[noNs]: wrong node kind: expected ScalarNode but got MappingNode: node contents:\na: 1\n"
        );
    }

    #[test]
    fn selection_reads_what_the_ids_say() {
        let input = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: a\n---\napiVersion: extensions/v1beta1\nkind: StatefulSet\nmetadata:\n  name: b\n  namespace: ns\n---\napiVersion: v1\nkind: ReplicationController\nmetadata:\n  name: a\n---\nkind: Deployment\nmetadata:\n  name: c\n";
        let sels = [
            Gvk::default(),
            Gvk::new("", "", "Deployment"),
            Gvk::new("apps", "", "Deployment"),
            Gvk::new("", "v1", ""),
            Gvk::new("extensions", "v1beta1", "StatefulSet"),
            Gvk::new("apps", "v1", "ReplicationController"),
        ];
        let (mut yes, mut no) = (0, 0);
        for prefix in ["", "p-"] {
            let mut l = list(input, prefix);
            // A resource whose kind changed after its previous id was stored.
            if let Some(r) = l.get_mut(2) {
                r.store_previous_id();
                if let Some(Node::Map(m)) = Some(&mut r.node) {
                    m.insert("kind", Node::plain("Deployment"));
                }
            }
            for r in l.iter() {
                for name in ["a", "b", "c", "p-a", "p-b", "x"] {
                    let t = ReplicaCountTransformer::new(Replica { name: name.into(), count: 1 }, specs());
                    for sel in &sels {
                        let want = t.selects_by_ids(r, sel);
                        assert_eq!(t.selects(r, GvkParts::of(r), sel), want, "{} {name} {sel}", r.cur_id());
                        if want {
                            yes += 1;
                        } else {
                            no += 1;
                        }
                    }
                }
            }
        }
        assert!(yes > 10 && no > 10, "{yes} {no}");
    }

    /// Finding the resources and judging them once (when no walk can change an id) does what
    /// kustomize's spec-by-spec loop does: same output, same error, same "not found".
    #[test]
    fn judging_once_does_what_spec_by_spec_does() {
        use crate::testing::Gen;
        let kinds = [("apps/v1", "Deployment"), ("apps/v1", "StatefulSet"), ("v1", "ReplicationController"), ("example.com/v1", "Foo"), ("extensions/v1beta1", "ReplicaSet")];
        let spec = |g: &str, k: &str, path: &str, create: bool| FieldSpec { gvk: Gvk::new(g, "", k), path: path.into(), create };
        let spec_lists: Vec<Vec<FieldSpec>> = vec![
            specs(),
            vec![spec("", "Deployment", "spec/replicas", false), spec("", "", "spec/count", true), spec("apps", "", "spec/template/replicas", true)],
            vec![spec("", "Foo", "spec/replicas", true), spec("", "", "spec/replicas", true), spec("", "StatefulSet", "spec/items[]/n", false)],
        ];
        let mut g = Gen(0x9E37_79B9_7F4A_7C15);
        let (mut errors, mut changed, mut cases) = (0, 0, 0);
        for _ in 0..600 {
            let mut docs = Vec::new();
            for i in 0..1 + g.next(5) {
                let (api, kind) = kinds[g.next(kinds.len())];
                let name = g.pick(&["a", "b", "p-a"]);
                let spec = match g.next(7) {
                    0 => String::new(),
                    1 => "spec:\n  replicas: {x: 1}\n".to_string(),
                    2 => "spec: 3\n".to_string(),
                    3 => "spec:\n  items:\n  - n: 1\n  - null\n  - m: 2\n".to_string(),
                    4 => "spec:\n  replicas: \"2\"\n  template: {replicas: 1}\n".to_string(),
                    _ => "spec:\n  replicas: 1\n".to_string(),
                };
                docs.push(format!("apiVersion: {api}\nkind: {kind}\nmetadata:\n  name: {name}\n  namespace: n{i}\n{spec}"));
            }
            let input = docs.join("---\n");
            let prefix = g.pick(&["", "p-"]);
            let t = ReplicaCountTransformer::new(Replica { name: g.pick(&["a", "b", "p-a", "zz"]).into(), count: 5 }, spec_lists[g.next(spec_lists.len())].clone());
            let segments: Vec<Vec<String>> = t.field_specs.iter().map(|fs| fs.segments()).collect();
            let run = |fixed: bool| {
                let mut l = list(&input, prefix);
                let res = if fixed { t.apply_fixed_ids(&mut l, &segments, "5") } else { t.apply_spec_by_spec(&mut l, &segments, "5") };
                res.map(|found| (found, crate::yaml::to_string_stream(l.iter().map(|r| &r.node)).unwrap())).map_err(|e| e.message().to_string())
            };
            let want = run(false);
            assert_eq!(run(true), want, "{input}\n{:?} {}", t.field_specs, t.replica.name);
            cases += 1;
            errors += usize::from(want.is_err());
            changed += usize::from(want.as_ref().is_ok_and(|(found, out)| *found && *out != crate::yaml::to_string_stream(list(&input, prefix).iter().map(|r| &r.node)).unwrap()));
        }
        assert!(errors > cases / 10 && changed > cases / 5, "{errors} errors, {changed} changed of {cases}");
    }
}
