//! The name-reference fix-up (kustomize's nameReferenceTransformer and nameref filter), run once
//! at the end of a build over `config.name_reference`.
//!
//! For every resource whose original gvk a referrer field spec selects, every name found at that
//! field is looked up among the resources kustomize would consider and, when one is chosen,
//! replaced by its current name (and, for `{name, namespace}` maps such as RBAC subjects, its
//! current namespace), and the referrer's current id is added to the chosen one's `ref_by`.
//!
//! kustomize's selection, reproduced exactly (see [`Ctx::select`]): a candidate must
//! - be in the referrer's reach: anything for a cluster-scoped referrer; otherwise cluster-scoped
//!   resources, resources in the referrer's namespace, and, for a RoleBinding, resources in the
//!   namespaces of its ServiceAccount subjects;
//! - for a map with a `namespace` field, be in that namespace: by original namespace when some
//!   resource in reach has that original namespace, else by current namespace;
//! - have a *previous* name equal to the name in the field (a resource never renamed is never
//!   chosen), a previous id of the target kind, and, for `roleRef/name`, a previous id of the
//!   roleRef's apiGroup and kind;
//! - be cluster-scoped, a ServiceAccount, or in the referrer's namespace, unless the referrer is
//!   cluster-scoped.
//!
//! One candidate wins outright; several are narrowed by the prefix/suffix lists (loosely, then
//! strictly); several left with the same name (and namespace, for maps) give the first; several
//! different ones are an error; none leaves the field alone.
//!
//! Cost: candidates come from hash indexes by previous name (and namespace), never from a scan
//! of the whole list, so the work is linear in the number of resources and fields for ordinary
//! builds. kustomize visits referrers in random (Go map) order; here it is list order, which only
//! changes the order of `ref_by` entries and which error is reported first.

mod fields;
#[cfg(test)]
mod tests;

use crate::error::{err, Result};
use crate::fieldspec::{Config, FieldSpec, NameBackRef};
use crate::resource::{Gvk, ResId, Resource, ResourceList};
use crate::yaml::Node;
use crate::fasthash::{FastMap as HashMap, FastSet as HashSet};

/// kustomize's effective namespace of cluster-scoped ids.
const NON_NS: &str = "_non_namespaceable_";

/// Rewrites references to renamed resources (kustomize's FixBackReferences).
pub fn fix_back_references(list: &mut ResourceList, config: &Config) -> Result<()> {
    if config.name_reference.is_empty() || list.is_empty() {
        return Ok(());
    }
    with_infos(list.as_mut_slice(), |items, infos| fix_with(items, infos, config))
}

/// [`fix_back_references`] with the resources' [`Info`]s.
fn fix_with(items: &mut [Resource], infos: &[Info], config: &Config) -> Result<()> {
    let index = Index::build(infos);
    let ctx = Ctx { infos, index: &index };

    // The fields and which of them apply to a gvk depend on the config only: for kustomize's
    // defaults (the config of most builds) they are worked out once per process.
    let own_plan;
    let plan: &Plan = if std::ptr::eq(config, crate::fieldspec::defaults()) {
        Plan::of_defaults()
    } else {
        own_plan = Plan::new(config);
        &own_plan
    };
    let fields = &plan.fields;
    let applicable = Applicable::of_all(plan, infos);
    let of = &applicable.of;

    if crate::build::chunks_for(items.len()) {
        return in_chunks(items, infos, &ctx, fields, &applicable);
    }
    for i in 0..items.len() {
        let list = of[i];
        if applicable.lists[list].fields.is_empty() {
            continue;
        }
        let mut node = std::mem::take(&mut items[i].node);
        let mut refs: Vec<usize> = Vec::new();
        let outcome = referrer_fields(&ctx, items, &infos[i], i, fields, &applicable.lists[list], &mut node, &mut refs);
        items[i].node = node;
        for &j in &refs {
            items[j].ref_by.push(infos[i].cur_id());
        }
        outcome?;
    }
    Ok(())
}

/// The referrer fields of a config's name references in the order kustomize applies them
/// (back references sorted by gvk: the order matters when one field refers to several kinds),
/// with their paths split; and, remembered, which of them apply to each original gvk.
struct Plan<'c> {
    fields: Vec<RefField<'c>>,
    /// (group, version, kind) and the indices of the fields that apply to it, in order.
    memo: std::sync::RwLock<Vec<(Gvk, std::sync::Arc<Applies>)>>,
}

/// At most this many gvks are remembered by a plan (the defaults' plan lives as long as the
/// process); others are worked out each time.
const PLAN_MEMO_MAX: usize = 128;

impl<'c> Plan<'c> {
    fn new(config: &'c Config) -> Self {
        let mut backrefs: Vec<&NameBackRef> = config.name_reference.iter().collect();
        backrefs.sort_by(|a, b| super::sort::gvk_cmp(&a.gvk, &b.gvk));
        let fields = backrefs
            .into_iter()
            .flat_map(|b| {
                b.referrers.iter().map(move |fs| RefField {
                    target: &b.gvk,
                    spec: fs,
                    segments: fs.segments(),
                    role_ref: fs.path.ends_with("roleRef/name"),
                })
            })
            .collect();
        Plan { fields, memo: std::sync::RwLock::new(Vec::new()) }
    }

    /// The plan of kustomize's default config, made on first use.
    fn of_defaults() -> &'static Plan<'static> {
        static PLAN: std::sync::OnceLock<Plan<'static>> = std::sync::OnceLock::new();
        PLAN.get_or_init(|| Plan::new(crate::fieldspec::defaults()))
    }

    /// The fields whose spec selects this gvk.
    fn applicable(&self, group: &str, version: &str, kind: &str) -> std::sync::Arc<Applies> {
        let is = |g: &Gvk| g.kind == kind && g.version == version && g.group == group;
        {
            let memo = self.memo.read().unwrap_or_else(|e| e.into_inner());
            if let Some((_, l)) = memo.iter().find(|(g, _)| is(g)) {
                return l.clone();
            }
        }
        let list: Vec<usize> = self
            .fields
            .iter()
            .enumerate()
            .filter(|(_, f)| f.spec.applies_to_parts(group, version, kind))
            .map(|(k, _)| k)
            .collect();
        let prefix = common_prefix(&self.fields, &list);
        let l = std::sync::Arc::new(Applies { fields: list, prefix });
        let mut memo = self.memo.write().unwrap_or_else(|e| e.into_inner());
        if memo.len() < PLAN_MEMO_MAX && !memo.iter().any(|(g, _)| is(g)) {
            memo.push((Gvk::new(group, version, kind), l.clone()));
        }
        l
    }
}

/// The fields that apply to a gvk, and the path segments they all start with.
pub(crate) struct Applies {
    /// Indices of the fields, in order.
    pub fields: Vec<usize>,
    /// How many leading segments all the fields share that the walk takes as plain mapping
    /// keys (not empty, no `[]`); 0 when a field is a `roleRef/name` (which reads the
    /// referrer's `roleRef`). See [`fields::apply_all`].
    pub prefix: usize,
}

/// The [`Applies::prefix`] of these fields.
fn common_prefix(fields: &[RefField], list: &[usize]) -> usize {
    let Some((&first, rest)) = list.split_first() else { return 0 };
    if list.iter().any(|&k| fields[k].role_ref) {
        return 0;
    }
    let first = &fields[first].segments;
    let mut n = first.iter().take_while(|s| !s.is_empty() && !s.ends_with("[]")).count();
    for &k in rest {
        n = n.min(first.iter().zip(&fields[k].segments).take_while(|(a, b)| a == b).count());
    }
    n
}

/// Which fields apply to each resource: `of[i]` indexes `lists`, one list per original gvk
/// (the current group and version with the first kind) found in the build.
struct Applicable {
    lists: Vec<std::sync::Arc<Applies>>,
    of: Vec<usize>,
}

impl Applicable {
    fn of_all(plan: &Plan, infos: &[Info]) -> Applicable {
        let mut lists = Vec::new();
        let mut by_gvk: HashMap<(&str, &str, &str), usize> = HashMap::default();
        let of = infos
            .iter()
            .map(|c| {
                let (group, version) = (c.group, c.version);
                let k = c.prev.first().map_or(c.kind, |p| p.1);
                *by_gvk.entry((group, version, k)).or_insert_with(|| {
                    lists.push(plan.applicable(group, version, k));
                    lists.len() - 1
                })
            })
            .collect();
        Applicable { lists, of }
    }
}

/// The applicable fields of one referrer, on its node taken out of `items` (at `i`), noting in
/// `refs` the resources it refers to; stops at the first error.
#[allow(clippy::too_many_arguments)]
fn referrer_fields(
    ctx: &Ctx,
    items: &[Resource],
    info: &Info,
    i: usize,
    fields: &[RefField],
    applicable: &Applies,
    node: &mut Node,
    refs: &mut Vec<usize>,
) -> Result<()> {
    let referrer = Referrer::of(node, info, i)?;
    fields::apply_all(ctx, items, &referrer, fields, applicable, node, refs)
}

/// [`fix_back_references`] for long lists in a parallel build: referrers on the build's spare
/// threads, each on its own node taken out of the list (a referrer's fields depend only on the
/// other resources' ids, prefixes and suffixes, none of which change here). An error message
/// would show other resources' nodes as a loop in order leaves them, so any error has the
/// build done again in order.
fn in_chunks(items: &mut [Resource], infos: &[Info], ctx: &Ctx, fields: &[RefField], applicable: &Applicable) -> Result<()> {
    struct Work {
        i: usize,
        list: usize,
        node: Node,
        refs: Vec<usize>,
        failed: bool,
    }
    let mut work: Vec<Work> = Vec::new();
    for i in 0..items.len() {
        let list = applicable.of[i];
        if !applicable.lists[list].fields.is_empty() {
            let node = std::mem::take(&mut items[i].node);
            work.push(Work { i, list, node, refs: Vec::new(), failed: false });
        }
    }
    let (shared, lists): (&[Resource], &[std::sync::Arc<Applies>]) = (items, &applicable.lists);
    crate::build::each_chunk(&mut work, |chunk| {
        for w in chunk.iter_mut() {
            if referrer_fields(ctx, shared, &infos[w.i], w.i, fields, &lists[w.list], &mut w.node, &mut w.refs).is_err() {
                w.failed = true;
                return;
            }
        }
    });
    let failed = work.iter().any(|w| w.failed);
    for w in work {
        items[w.i].node = w.node;
        if !failed {
            for &j in &w.refs {
                items[j].ref_by.push(infos[w.i].cur_id());
            }
        }
    }
    if failed {
        return Err(crate::build::redo_in_order("nameReference"));
    }
    Ok(())
}

/// One referrer field spec with the kind it refers to.
pub(crate) struct RefField<'a> {
    pub target: &'a Gvk,
    pub spec: &'a FieldSpec,
    pub segments: Vec<String>,
    /// Whether the path ends in `roleRef/name` (the roleRef's kind then narrows candidates).
    pub role_ref: bool,
}

/// The text of a resource's [`Info`], copied before any field changes: its current group,
/// version, kind, name and namespace, the namespace of its original id as stored (empty when
/// never renamed), then each previous id's name and kind, oldest first, one after another in
/// one string (two allocations per resource, whatever the number of previous ids).
struct InfoText {
    cluster: bool,
    renamed: bool,
    text: String,
    /// Where each part of `text` ends.
    ends: Vec<usize>,
}

/// The parts of [`InfoText::text`] before the previous names and kinds.
const CUR_PARTS: usize = 6;

impl InfoText {
    fn of(r: &Resource) -> InfoText {
        let p = r.id_parts();
        // Gvk::is_cluster_scoped without making the Gvk.
        let cluster = if p.group.is_empty() && p.version.contains('/') {
            crate::schema::is_cluster_scoped(p.version, p.kind)
        } else {
            crate::schema::is_cluster_scoped_gvk(p.group, p.version, p.kind)
        };
        let first_prev_ns = r.prev_ids.first().map_or("", |q| q.namespace.as_str());
        let mut len = p.group.len() + p.version.len() + p.kind.len() + p.name.len() + p.namespace.len();
        len += first_prev_ns.len();
        for q in &r.prev_ids {
            len += q.name.len() + q.gvk.kind.len();
        }
        let mut text = String::with_capacity(len);
        let mut ends = Vec::with_capacity(CUR_PARTS + 2 * r.prev_ids.len());
        let mut push = |s: &str| {
            text.push_str(s);
            ends.push(text.len());
        };
        for s in [p.group, p.version, p.kind, p.name, p.namespace, first_prev_ns] {
            push(s);
        }
        for q in &r.prev_ids {
            push(&q.name);
            push(&q.gvk.kind);
        }
        InfoText { cluster, renamed: !r.prev_ids.is_empty(), text, ends }
    }
    fn part(&self, k: usize) -> &str {
        let start = if k == 0 { 0 } else { self.ends[k - 1] };
        &self.text[start..self.ends[k]]
    }
    fn prev_len(&self) -> usize {
        (self.ends.len() - CUR_PARTS) / 2
    }
}

/// Every resource's [`InfoText`] and previous names and kinds, then the [`Info`]s borrowing
/// them: the selection reads plain string slices.
fn with_infos<T>(items: &mut [Resource], f: impl FnOnce(&mut [Resource], &[Info]) -> T) -> T {
    let texts: Vec<InfoText> = crate::build::map_chunked(items, InfoText::of);
    let mut prev: Vec<(&str, &str)> = Vec::with_capacity(texts.iter().map(InfoText::prev_len).sum());
    for t in &texts {
        prev.extend((0..t.prev_len()).map(|k| (t.part(CUR_PARTS + 2 * k), t.part(CUR_PARTS + 2 * k + 1))));
    }
    let mut at = 0;
    let infos: Vec<Info> = texts
        .iter()
        .map(|t| {
            let n = t.prev_len();
            let info = Info::new(t, &prev[at..at + n]);
            at += n;
            info
        })
        .collect();
    f(items, &infos)
}

/// What the selection needs to know about a resource, taken before any field changes.
pub(crate) struct Info<'t> {
    pub cluster: bool,
    group: &'t str,
    version: &'t str,
    kind: &'t str,
    name: &'t str,
    /// The raw namespace.
    namespace: &'t str,
    /// Effective current namespace.
    cur_ns: &'t str,
    /// Effective namespace of the original id.
    orig_ns: &'t str,
    /// Previous names and kinds, oldest first (a previous gvk is the current group and
    /// version with the previous kind, see [`Info::prev_kind_selected`]).
    pub prev: &'t [(&'t str, &'t str)],
}

impl<'t> Info<'t> {
    fn new(t: &'t InfoText, prev: &'t [(&'t str, &'t str)]) -> Info<'t> {
        let namespace = t.part(4);
        let cur_ns = if t.cluster {
            NON_NS
        } else if namespace.is_empty() {
            crate::resource::DEFAULT_NAMESPACE
        } else {
            namespace
        };
        let orig_ns = match t.part(5) {
            _ if !t.renamed => cur_ns,
            "" => crate::resource::DEFAULT_NAMESPACE,
            p => p,
        };
        Info {
            cluster: t.cluster,
            group: t.part(0),
            version: t.part(1),
            kind: t.part(2),
            name: t.part(3),
            namespace,
            cur_ns,
            orig_ns,
            prev,
        }
    }
    /// The current id (a new copy).
    pub fn cur_id(&self) -> ResId {
        ResId::new(Gvk::new(self.group, self.version, self.kind), self.name, self.namespace)
    }
    /// Effective current namespace (`default` for none, `_non_namespaceable_` if cluster-scoped).
    pub fn cur_ns(&self) -> &'t str {
        self.cur_ns
    }
    /// Effective namespace of the original id.
    pub fn orig_ns(&self) -> &'t str {
        self.orig_ns
    }
    pub fn name(&self) -> &'t str {
        self.name
    }
    /// The raw namespace (empty when unset).
    pub fn namespace(&self) -> &'t str {
        self.namespace
    }
    pub fn kind(&self) -> &'t str {
        self.kind
    }
    /// Whether `sel` selects a previous gvk of this resource (the current group and version
    /// with a previous kind).
    fn prev_kind_selected(&self, sel: &Gvk) -> bool {
        !self.prev.is_empty()
            && (sel.group.is_empty() || sel.group == self.group)
            && (sel.version.is_empty() || sel.version == self.version)
            && (sel.kind.is_empty() || self.prev.iter().any(|(_, k)| *k == sel.kind))
    }
}

/// The referrer's side of the selection.
pub(crate) struct Referrer {
    pub index: usize,
    pub cluster: bool,
    /// Effective current namespace.
    pub ns: String,
    /// For a RoleBinding: the (raw) namespaces of its ServiceAccount subjects.
    pub rb_ns: HashSet<String>,
}

impl Referrer {
    fn of(node: &Node, info: &Info, index: usize) -> Result<Referrer> {
        let mut rb_ns = HashSet::default();
        if info.kind() == "RoleBinding" {
            if let Some(Node::Seq(subjects)) = node.get("subjects") {
                for s in subjects {
                    let (Some(ns), Some(kind)) = (s.get("namespace"), s.get("kind")) else { continue };
                    if kind.as_str() != Some("ServiceAccount") || !kind.as_scalar().is_some_and(|k| k.is_string()) {
                        continue;
                    }
                    match ns.as_scalar() {
                        Some(sc) if sc.is_string() && !sc.is_null() => {
                            rb_ns.insert(sc.value.clone());
                        }
                        _ => {
                            return Err(err!(
                                Transform,
                                "Invalid Input: namespace is blank for resource \"{}\"\n",
                                info.cur_id()
                            ))
                        }
                    }
                }
            }
        }
        Ok(Referrer { index, cluster: info.cluster, ns: info.cur_ns().to_string(), rb_ns })
    }
}

type Bucket = Vec<usize>;

/// A name shared by at least this many resources gets buckets by namespace too, so that a
/// lookup never scans a long bucket (the same name in many namespaces).
const NARROW_MIN: usize = 16;

crate::switch::test_switch!(
    /// [`NARROW_MIN`] (tests set the threshold to compare both kinds of lookup).
    NARROW_MIN_TEST, narrow_min: usize = NARROW_MIN
);

crate::switch::test_switch!(
    /// Whether [`fields::apply_all`] looks up the fields' shared leading keys once (tests turn
    /// it off to compare with walking every field from the root).
    USE_PREFIX_TEST, use_prefix: bool = true
);

/// Resources by previous name; for names shared by many resources, also by previous name and
/// namespace (see [`Narrow`]).
struct Index<'a> {
    infos: &'a [Info<'a>],
    by_name: HashMap<&'a str, Bucket>,
    narrow: Narrow<'a>,
    /// Built on first use (only map fields with a `namespace` ask).
    orig: std::sync::OnceLock<OrigNamespaces<'a>>,
}

/// The buckets of the names with [`NARROW_MIN`] resources or more.
#[derive(Default)]
struct Narrow<'a> {
    /// (previous name, effective current namespace), namespaced resources only.
    by_cur_ns: HashMap<(&'a str, &'a str), Bucket>,
    /// (previous name, raw namespace), namespaced resources only.
    by_raw_ns: HashMap<(&'a str, &'a str), Bucket>,
    /// (previous name, effective original namespace).
    by_orig_ns: HashMap<(&'a str, &'a str), Bucket>,
    /// Previous name, cluster-scoped resources only.
    cluster: HashMap<&'a str, Bucket>,
}

/// Original namespaces present: among all, among cluster-scoped resources, and paired with
/// the effective current / raw namespace of namespaced ones.
#[derive(Default)]
struct OrigNamespaces<'a> {
    all: HashSet<&'a str>,
    cluster: HashSet<&'a str>,
    by_cur: HashSet<(&'a str, &'a str)>,
    by_raw: HashSet<(&'a str, &'a str)>,
}

impl<'a> Index<'a> {
    fn build(infos: &'a [Info<'a>]) -> Index<'a> {
        let mut by_name: HashMap<&'a str, Bucket> = HashMap::default();
        for (i, c) in infos.iter().enumerate() {
            for (k, &(name, _)) in c.prev.iter().enumerate() {
                // Each resource once per name.
                if c.prev[..k].iter().any(|(n, _)| *n == name) {
                    continue;
                }
                by_name.entry(name).or_default().push(i);
            }
        }
        let mut narrow = Narrow::default();
        for (&name, bucket) in by_name.iter().filter(|(_, b)| b.len() >= narrow_min()) {
            for &i in bucket {
                let c = &infos[i];
                narrow.by_orig_ns.entry((name, c.orig_ns())).or_default().push(i);
                if c.cluster {
                    narrow.cluster.entry(name).or_default().push(i);
                } else {
                    narrow.by_cur_ns.entry((name, c.cur_ns())).or_default().push(i);
                    narrow.by_raw_ns.entry((name, c.namespace())).or_default().push(i);
                }
            }
        }
        Index { infos, by_name, narrow, orig: std::sync::OnceLock::new() }
    }

    fn orig(&self) -> &OrigNamespaces<'a> {
        self.orig.get_or_init(|| {
            let mut o = OrigNamespaces::default();
            for c in self.infos {
                let orig = c.orig_ns();
                o.all.insert(orig);
                if c.cluster {
                    o.cluster.insert(orig);
                } else {
                    o.by_cur.insert((c.cur_ns(), orig));
                    o.by_raw.insert((c.namespace(), orig));
                }
            }
            o
        })
    }
}

/// How a map field's `namespace` narrows the candidates.
#[derive(Clone, Copy)]
enum NsGroup<'s> {
    Any,
    Original(&'s str),
    Current(&'s str),
}

/// Whether [`Ctx::gather`] keeps resource `c` of a short bucket: as the buckets by namespace
/// would have it.
fn short_keep(r: &Referrer, group: NsGroup, c: &Info) -> bool {
    match group {
        NsGroup::Original(ns) => c.orig_ns() == ns,
        NsGroup::Current(ns) => !c.cluster && c.cur_ns() == ns,
        NsGroup::Any if r.cluster => true,
        NsGroup::Any => c.cluster || c.cur_ns() == r.ns || r.rb_ns.contains(c.namespace()),
    }
}

/// The outcome of a selection.
pub(crate) enum Selected {
    None,
    One(usize),
    /// Several different candidates (indices in list order).
    Ambiguous(Vec<usize>),
}

pub(crate) struct Ctx<'a, 'i> {
    pub infos: &'a [Info<'i>],
    index: &'a Index<'i>,
}

impl<'a, 'i> Ctx<'a, 'i> {
    /// Whether some resource within the referrer's reach has this original namespace
    /// (kustomize's GroupedByOriginalNamespace lookup on the referrer's candidate subset).
    fn orig_ns_in_reach(&self, r: &Referrer, ns: &str) -> bool {
        let ix = self.index;
        if ns == NON_NS {
            return false;
        }
        let o = ix.orig();
        if r.cluster {
            return o.all.contains(ns);
        }
        o.cluster.contains(ns)
            || o.by_cur.contains(&(r.ns.as_str(), ns))
            || r.rb_ns.iter().any(|n| o.by_raw.contains(&(n.as_str(), ns)))
    }

    /// Indices (sorted, unique) of a superset of the candidates for `name`.
    fn gather(&self, r: &Referrer, name: &str, group: NsGroup) -> Vec<usize> {
        let ix = self.index;
        let Some(bucket) = ix.by_name.get(name) else { return Vec::new() };
        if bucket.len() < narrow_min() {
            // A short bucket, filtered as the buckets by namespace would have it.
            return bucket.iter().copied().filter(|&j| short_keep(r, group, &self.infos[j])).collect();
        }
        let nw = &ix.narrow;
        let get = |b: Option<&Bucket>| b.map(|v| v.as_slice()).unwrap_or(&[]).to_vec();
        let mut out = match group {
            NsGroup::Original(ns) => get(nw.by_orig_ns.get(&(name, ns))),
            NsGroup::Current(ns) => get(nw.by_cur_ns.get(&(name, ns))),
            NsGroup::Any if r.cluster => bucket.clone(),
            NsGroup::Any => {
                let mut v = get(nw.cluster.get(name));
                v.extend(get(nw.by_cur_ns.get(&(name, r.ns.as_str()))));
                for n in &r.rb_ns {
                    v.extend(get(nw.by_raw_ns.get(&(name, n.as_str()))));
                }
                v
            }
        };
        out.sort_unstable();
        out.dedup();
        out
    }

    /// kustomize's selectReferral for the name `old` found in the referrer; `ns_field` is the
    /// `namespace` of a map field (`Some` also means names and namespaces must agree for
    /// several candidates to count as one).
    pub fn select(
        &self,
        items: &[Resource],
        r: &Referrer,
        field: &RefField,
        role_ref: Option<&Gvk>,
        old: &str,
        ns_field: Option<Option<&str>>,
    ) -> Selected {
        let group = match ns_field {
            None | Some(None) => NsGroup::Any,
            Some(Some(ns)) if self.orig_ns_in_reach(r, ns) => NsGroup::Original(ns),
            Some(Some(ns)) => NsGroup::Current(ns),
        };
        let infos = self.infos;
        let ok = |c: &Info| -> bool {
            let in_reach = r.cluster || c.cluster || c.cur_ns() == r.ns || r.rb_ns.contains(c.namespace());
            let in_group = match group {
                NsGroup::Any => true,
                NsGroup::Original(ns) => c.orig_ns() == ns,
                NsGroup::Current(ns) => ns != NON_NS && c.cur_ns() == ns,
            };
            in_reach
                && in_group
                && c.prev_kind_selected(field.target)
                && role_ref.map_or(true, |rg| c.prev_kind_selected(rg))
                && c.prev.iter().any(|(n, _)| *n == old)
                && (r.cluster || c.cluster || c.kind() == "ServiceAccount" || c.cur_ns() == r.ns)
        };
        // A short bucket (most names) in one pass without allocating: the candidates, those
        // kept by the loose and by the strict prefix/suffix test (strict implies loose), counted
        // with the first of each; only several left at the end need the general path below.
        let Some(bucket) = self.index.by_name.get(old) else { return Selected::None };
        if bucket.len() < narrow_min() {
            let referrer = &items[r.index];
            let (mut n_ok, mut n_loose, mut n_strict) = (0usize, 0usize, 0usize);
            let (mut first_ok, mut first_loose, mut first_strict) = (0, 0, 0);
            for &j in bucket {
                let c = &infos[j];
                if !(short_keep(r, group, c) && ok(c)) {
                    continue;
                }
                if n_ok == 0 {
                    first_ok = j;
                }
                n_ok += 1;
                if items[j].prefixes_suffixes_equal(referrer, true) {
                    if n_loose == 0 {
                        first_loose = j;
                    }
                    n_loose += 1;
                    if items[j].prefixes_suffixes_equal(referrer, false) {
                        if n_strict == 0 {
                            first_strict = j;
                        }
                        n_strict += 1;
                    }
                }
            }
            if n_ok == 1 {
                return Selected::One(first_ok);
            }
            let (n, first) = if n_loose > 1 { (n_strict, first_strict) } else { (n_loose, first_loose) };
            match n {
                0 => return Selected::None,
                1 => return Selected::One(first),
                _ => {}
            }
        }
        let mut cands: Vec<usize> = self.gather(r, old, group).into_iter().filter(|&j| ok(&infos[j])).collect();
        if cands.len() == 1 {
            return Selected::One(cands[0]);
        }
        let referrer = &items[r.index];
        cands.retain(|&j| items[j].prefixes_suffixes_equal(referrer, true));
        if cands.len() > 1 {
            cands.retain(|&j| items[j].prefixes_suffixes_equal(referrer, false));
        }
        match cands.len() {
            0 => return Selected::None,
            1 => return Selected::One(cands[0]),
            _ => {}
        }
        let first = &infos[cands[0]];
        let same = cands.iter().all(|&j| {
            infos[j].name() == first.name() && (ns_field.is_none() || infos[j].namespace() == first.namespace())
        });
        if same {
            Selected::One(cands[0])
        } else {
            Selected::Ambiguous(cands)
        }
    }
}
