//! kustomize's PrefixTransformer and SuffixTransformer (`namePrefix:` / `nameSuffix:`).
//!
//! kustomize runs them as two builtins, the prefix one first. Here one struct serves both:
//! [`PrefixSuffixTransformer::which`] says which of the two it is, and only that one's string is
//! applied (`prefix` for [`Affix::Prefix`], `suffix` for [`Affix::Suffix`]; the other field is
//! ignored). [`PrefixSuffixTransformer::from_kustomization`] makes the pair kustomize makes for
//! a kustomization's `namePrefix`/`nameSuffix` (none for an empty string).
//!
//! For each resource whose *original* kind is not CustomResourceDefinition, Namespace or
//! apiregistration.k8s.io APIService, and for each field spec selecting its original gvk:
//! when the spec's path is `metadata/name`, the affix is recorded in `prefixes`/`suffixes`
//! (kustomize's AddNamePrefix/AddNameSuffix; an empty affix is not recorded) and, for a
//! non-empty affix, the current id is stored with `store_previous_id()`; then the field (created
//! when the spec says so) gets the affix added to its text. The new scalar keeps the old one's
//! style but loses its tag, as kyaml's setter does (so `name: "23"` with prefix `1` stays a
//! string while a plain `23` becomes the number `123`).

use crate::error::{err, Error, Result};
use crate::fieldspec::{walk, Config, Create, FieldSpec, GvkParts};
use crate::resource::ResourceList;
use crate::yaml::{Node, Scalar};

/// Which of kustomize's two transformers this is.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Affix {
    #[default]
    Prefix,
    Suffix,
}

/// kustomize's PrefixTransformer (`which == Prefix`) or SuffixTransformer (`which == Suffix`).
#[derive(Clone, Debug, Default)]
pub struct PrefixSuffixTransformer {
    pub prefix: String,
    pub suffix: String,
    /// The fields to change (`config.name_prefix` / `config.name_suffix` for a kustomization).
    pub field_specs: Vec<FieldSpec>,
    pub which: Affix,
}

/// Kinds never renamed (kustomize's prefixFieldSpecsToSkip / suffixFieldSpecsToSkip), as
/// (group, kind) selectors; an empty group matches any.
const SKIP: &[(&str, &str)] =
    &[("", "CustomResourceDefinition"), ("apiregistration.k8s.io", "APIService"), ("", "Namespace")];

impl PrefixSuffixTransformer {
    pub fn new_prefix(prefix: &str, field_specs: Vec<FieldSpec>) -> Self {
        PrefixSuffixTransformer { prefix: prefix.into(), suffix: String::new(), field_specs, which: Affix::Prefix }
    }
    pub fn new_suffix(suffix: &str, field_specs: Vec<FieldSpec>) -> Self {
        PrefixSuffixTransformer { prefix: String::new(), suffix: suffix.into(), field_specs, which: Affix::Suffix }
    }
    /// The transformers kustomize configures for a kustomization's `namePrefix` and
    /// `nameSuffix`: a prefix one when `prefix` is not empty, then a suffix one when `suffix`
    /// is not empty, with the build's field specs.
    pub fn from_kustomization(prefix: &str, suffix: &str, config: &Config) -> Vec<Self> {
        let mut out = Vec::new();
        if !prefix.is_empty() {
            out.push(Self::new_prefix(prefix, config.name_prefix.clone()));
        }
        if !suffix.is_empty() {
            out.push(Self::new_suffix(suffix, config.name_suffix.clone()));
        }
        out
    }

    pub fn kind_name(&self) -> &'static str {
        match self.which {
            Affix::Prefix => "PrefixTransformer",
            Affix::Suffix => "SuffixTransformer",
        }
    }

    /// The affix this transformer adds.
    pub fn affix(&self) -> &str {
        match self.which {
            Affix::Prefix => &self.prefix,
            Affix::Suffix => &self.suffix,
        }
    }

    /// Renames the resources. `config` is not consulted: the field specs are the struct's.
    pub fn apply(&self, list: &mut ResourceList, _config: &Config) -> Result<()> {
        let affix = self.affix();
        let specs: Vec<(&FieldSpec, Vec<std::borrow::Cow<'_, str>>)> =
            self.field_specs.iter().map(|fs| (fs, crate::fieldspec::split_path_ref(&fs.path))).collect();
        // The specs selecting a resource's original gvk (read before any change to it), each
        // with whether its current gvk selects it then.
        let mut selected: Vec<(usize, bool)> = Vec::new();
        for r in list.as_mut_slice() {
            selected.clear();
            {
                let cur = GvkParts::of(r);
                let org = GvkParts { kind: r.prev_ids.first().map_or(cur.kind, |p| p.gvk.kind.as_str()), ..cur };
                if SKIP.iter().any(|(g, k)| *k == org.kind && (g.is_empty() || *g == org.group)) {
                    continue;
                }
                selected.extend(
                    specs.iter().enumerate().filter(|(_, (fs, _))| org.selected_by(fs)).map(|(i, (fs, _))| (i, cur.selected_by(fs))),
                );
            }
            // Whether a spec walked may have changed the gvk (its path starts at `apiVersion`
            // or `kind`; a walk changes nothing outside the root entry its first element
            // names): then it is read again.
            let mut gvk_changed = false;
            for &(i, cur_selected) in &selected {
                let (fs, segs) = &specs[i];
                if fs.path == "metadata/name" {
                    if !affix.is_empty() {
                        match self.which {
                            Affix::Prefix => r.prefixes.push(affix.to_string()),
                            Affix::Suffix => r.suffixes.push(affix.to_string()),
                        }
                        r.store_previous_id();
                    }
                }
                // The fieldspec filter checks the spec against the object's current gvk too.
                if !(if gvk_changed { GvkParts::of(r).selected_by(fs) } else { cur_selected }) {
                    continue;
                }
                gvk_changed |= segs.first().is_some_and(|s| {
                    let s = s.strip_suffix("[]").unwrap_or(s);
                    s == "apiVersion" || s == "kind"
                });
                // The id before the walk, for an error message: read after a failed walk when
                // that walk cannot have changed it (see `id_kept_by_failed_walk`).
                let before = (!id_kept_by_failed_walk(segs) || id_always_read_before()).then(|| r.cur_id());
                let create = if fs.create { Some(Create::Scalar) } else { None };
                let which = self.which;
                if let Err(e) = walk(&mut r.node, segs, create, &mut |n: &mut Node| add_affix(n, affix, which)) {
                    let id = before.unwrap_or_else(|| r.cur_id());
                    return Err(wrap(e, &format!("considering field '{}' of object {}", fs.path, id)));
                }
            }
        }
        Ok(())
    }
}

/// Whether the id reads the same after a failed [`add_affix`] walk along `segs` as before it:
/// when the walk cannot change the id at all ([`crate::fieldspec::walk_may_change_id`]), and
/// for `metadata/name`, the one id field such a walk can change: it is set only by a walk that
/// succeeds (a walk fails before changing anything, or on an item of a sequence at `metadata`
/// or `metadata/name`, where the id reads no name).
fn id_kept_by_failed_walk<S: AsRef<str>>(segs: &[S]) -> bool {
    let is_metadata_name = matches!(segs, [a, b] if a.as_ref() == "metadata" && b.as_ref() == "name");
    is_metadata_name || !crate::fieldspec::walk_may_change_id(segs)
}

crate::switch::test_switch!(
    /// Whether the id is read before every walk (never, outside tests: the reference for the
    /// shortcut of [`id_kept_by_failed_walk`]).
    ID_ALWAYS_READ_BEFORE, id_always_read_before: bool = false
);

/// Sets a scalar to `affix + text` or `text + affix`; a null field counts as its literal text
/// (kyaml reads the node's value), a collection is an error.
fn add_affix(n: &mut Node, affix: &str, which: Affix) -> Result<()> {
    match n {
        Node::Scalar(s) => {
            let (a, b) = match which {
                Affix::Prefix => (affix, s.value.as_str()),
                Affix::Suffix => (s.value.as_str(), affix),
            };
            let mut value = String::with_capacity(a.len() + b.len());
            value.push_str(a);
            value.push_str(b);
            *s = Scalar { value, style: s.style, tag: None };
            Ok(())
        }
        other => Err(err!(
            Transform,
            "wrong node kind: expected ScalarNode but got {}Node: node contents:\n{}",
            if matches!(other, Node::Map(_)) { "Mapping" } else { "Sequence" },
            crate::yaml::to_string(other)
        )),
    }
}

fn wrap(e: Error, prefix: &str) -> Error {
    Error::new(e.kind(), format!("{}: {}", prefix, e.message()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fieldspec::defaults;
    use crate::resource::{Gvk, ResId, Resource};

    fn list(src: &str) -> ResourceList {
        let mut l = ResourceList::new();
        for n in crate::yaml::load_documents(src).unwrap() {
            l.append(Resource::new(n)).unwrap();
        }
        l
    }
    fn run(l: &mut ResourceList, prefix: &str, suffix: &str, config: &Config) {
        for t in PrefixSuffixTransformer::from_kustomization(prefix, suffix, config) {
            t.apply(l, config).unwrap();
        }
    }
    fn out(l: &ResourceList) -> String {
        crate::yaml::to_string_stream(l.iter().map(|r| &r.node)).unwrap()
    }

    /// `namePrefix: "1"`: skipped kinds, and the new scalar keeps the style but not the tag.
    #[test]
    fn skips_and_retypes_like_kustomize() {
        let mut l = list(
            "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ns\n---\n\
             apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: crd\n---\n\
             apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: '0x'\n---\n\
             apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: \"23\"\n---\n\
             apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: 24\n---\n\
             apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: !!str 25\n---\n\
             apiVersion: v1\nkind: Secret\nmetadata:\n  name: sec\n---\n\
             apiVersion: apiregistration.k8s.io/v1\nkind: APIService\nmetadata:\n  name: api\n---\n\
             apiVersion: foo/v1\nkind: APIService\nmetadata:\n  name: api2\n",
        );
        run(&mut l, "1", "", defaults());
        // From kubectl kustomize (v5.5.0), in the same order.
        let want = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ns\n---\n\
             apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: crd\n---\n\
             apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: 10x\n---\n\
             apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: \"123\"\n---\n\
             apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: 124\n---\n\
             apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: 125\n---\n\
             apiVersion: v1\nkind: Secret\nmetadata:\n  name: 1sec\n---\n\
             apiVersion: apiregistration.k8s.io/v1\nkind: APIService\nmetadata:\n  name: api\n---\n\
             apiVersion: foo/v1\nkind: APIService\nmetadata:\n  name: 1api2\n";
        assert_eq!(out(&l), want);
        assert!(l.get(0).unwrap().prefixes.is_empty() && l.get(0).unwrap().prev_ids.is_empty());
        let s = l.get(6).unwrap();
        assert_eq!(s.prefixes, vec!["1"]);
        assert_eq!(s.prev_ids, vec![ResId::new(Gvk::new("", "v1", "Secret"), "sec", "default")]);
    }

    /// Custom field specs: created fields, kind selection, prefix then suffix.
    #[test]
    fn custom_field_specs() {
        let mut config = defaults().clone();
        let extra = crate::yaml::load_one(
            "namePrefix:\n- path: data/created\n  kind: ConfigMap\n  create: true\n- path: data/existing\n  kind: ConfigMap\n\
             nameSuffix:\n- path: data/existing\n  kind: ConfigMap\n",
        )
        .unwrap()
        .unwrap();
        config.merge(&Config::from_node(&extra).unwrap()).unwrap();
        let mut l = list(
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\ndata:\n  existing: \"x\"\n---\n\
             apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\ndata: {}\n",
        );
        run(&mut l, "p-", "-s", &config);
        let want = "apiVersion: v1\ndata:\n  created: p-\n  existing: p-x-s\nkind: ConfigMap\nmetadata:\n  name: p-cm-s\n---\n\
             apiVersion: v1\ndata: {}\nkind: Secret\nmetadata:\n  name: p-s-s\n";
        assert_eq!(out(&l), want);
        let cm = l.get(0).unwrap();
        assert_eq!((cm.prefixes.clone(), cm.suffixes.clone()), (vec!["p-".to_string()], vec!["-s".to_string()]));
        let names: Vec<&str> = cm.prev_ids.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, vec!["cm", "p-cm"]);
    }

    /// An empty affix renames nothing and records nothing; the kinds are told apart.
    #[test]
    fn empty_affix_and_kind_names() {
        let mut l = list("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n");
        let t = PrefixSuffixTransformer::new_suffix("", defaults().name_suffix.clone());
        t.apply(&mut l, defaults()).unwrap();
        let r = l.get(0).unwrap();
        assert!(r.suffixes.is_empty() && r.prev_ids.is_empty());
        assert_eq!(r.name(), "cm");
        assert_eq!(t.kind_name(), "SuffixTransformer");
        assert_eq!(PrefixSuffixTransformer::new_prefix("a", vec![]).kind_name(), "PrefixTransformer");
        assert!(PrefixSuffixTransformer::from_kustomization("", "", defaults()).is_empty());
    }

    /// A renamed kind is judged by its original kind (kustomize uses OrgId for the skip list).
    #[test]
    fn skip_uses_original_kind() {
        let mut l = list("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ns\n");
        let r = l.get_mut(0).unwrap();
        r.store_previous_id();
        r.set_kind("ConfigMap");
        run(&mut l, "p-", "", defaults());
        assert_eq!(l.get(0).unwrap().name(), "ns");
    }

    /// An error names the object by its id before the failed walk, also when that id is read
    /// after it (`id_kept_by_failed_walk`): `metadata/name` and other fields of odd shapes.
    #[test]
    fn errors_name_the_id_before_the_walk() {
        use crate::testing::Gen;
        let shapes = [
            "metadata: 3\n",
            "metadata:\n  name: {a: b}\n",
            "metadata:\n  name: [x, {a: b}, y]\n",
            "metadata:\n- name: x\n- 3\n",
            "metadata:\n- name: x\n- name: [a]\n",
            "metadata:\n  name: ~\n  namespace: ns\n",
            "metadata:\n  name: n\n  namespace: [a]\n",
            "metadata:\n  name: n\ndata: 3\n",
            "metadata:\n  name: n\ndata:\n  x: {a: b}\n",
            "metadata:\n  name: n\ndata:\n- x: q\n- x: [b]\n",
            "",
        ];
        let extra = crate::yaml::load_one(
            "namePrefix:\n- path: data/x\n  create: true\n- path: metadata/name/x\n  kind: Secret\n  create: true\n\
             nameSuffix:\n- path: metadata/namespace\n  kind: ConfigMap\n- path: data/x\n",
        )
        .unwrap()
        .unwrap();
        let mut custom = defaults().clone();
        custom.merge(&Config::from_node(&extra).unwrap()).unwrap();
        let mut g = Gen(0xD1B5_4A32_D192_ED03);
        let (mut failed, mut cases) = (0, 0);
        for _ in 0..400 {
            let kind = g.pick(&["ConfigMap", "Secret"]);
            let input = format!("apiVersion: v1\nkind: {kind}\n{}", shapes[g.next(shapes.len())]);
            let config = if g.next(2) == 0 { defaults() } else { &custom };
            let (prefix, suffix) = (g.pick(&["", "p-"]), g.pick(&["", "-s"]));
            let run = |always_before: bool| {
                crate::switch::with(&ID_ALWAYS_READ_BEFORE, always_before, || {
                    let mut l = ResourceList::new();
                    l.append(Resource::new(crate::yaml::load_one(&input).unwrap().unwrap())).unwrap();
                    let mut res = Ok(());
                    for t in PrefixSuffixTransformer::from_kustomization(prefix, suffix, config) {
                        res = t.apply(&mut l, config);
                        if res.is_err() {
                            break;
                        }
                    }
                    res.map(|()| out(&l)).map_err(|e| e.message().to_string())
                })
            };
            let want = run(true);
            assert_eq!(run(false), want, "{input}");
            cases += 1;
            failed += usize::from(want.is_err());
        }
        assert!(failed > cases / 4 && failed < cases, "{failed} failed of {cases}");
    }
}
