//! Field specs: which fields of which kinds a builtin transformer touches, and the walker that
//! visits them (kustomize's fieldspec filter).

use crate::error::{err, Error, Result};
use crate::resource::Gvk;
use crate::yaml::{Mapping, Node};
use std::sync::OnceLock;

/// A field of some kinds: `path` (slash-separated; `[]` marks a sequence) in objects whose
/// gvk matches `gvk` (empty parts match anything); `create` adds the field when missing.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct FieldSpec {
    pub gvk: Gvk,
    pub path: String,
    pub create: bool,
}

/// A kind that other objects refer to by name, and the fields that hold those names.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct NameBackRef {
    pub gvk: Gvk,
    pub referrers: Vec<FieldSpec>,
}

/// The field-spec configuration of a build (kustomize's TransformerConfig).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Config {
    pub name_prefix: Vec<FieldSpec>,
    pub name_suffix: Vec<FieldSpec>,
    pub common_labels: Vec<FieldSpec>,
    /// `labels:` specs of configuration files (merged into every `labels:` entry).
    pub labels: Vec<FieldSpec>,
    pub template_labels: Vec<FieldSpec>,
    pub common_annotations: Vec<FieldSpec>,
    pub namespace: Vec<FieldSpec>,
    pub var_reference: Vec<FieldSpec>,
    pub name_reference: Vec<NameBackRef>,
    pub images: Vec<FieldSpec>,
    pub replicas: Vec<FieldSpec>,
}

impl FieldSpec {
    pub fn new(path: &str, create: bool) -> Self {
        FieldSpec { gvk: Gvk::default(), path: path.into(), create }
    }
    /// Whether this spec applies to an object of this gvk.
    pub fn applies_to(&self, gvk: &Gvk) -> bool {
        gvk.is_selected_by(&self.gvk)
    }
    /// The path split on `/` (a `\/` stays inside an element).
    pub fn segments(&self) -> Vec<String> {
        split_path(&self.path)
    }
    /// [`segments`](Self::segments) borrowing from the path where no `\/` is unescaped.
    pub fn segments_ref(&self) -> Vec<std::borrow::Cow<'_, str>> {
        split_path_ref(&self.path)
    }
    /// [`applies_to`](Self::applies_to) for a gvk given by its parts.
    pub fn applies_to_parts(&self, group: &str, version: &str, kind: &str) -> bool {
        (self.gvk.group.is_empty() || self.gvk.group == group)
            && (self.gvk.version.is_empty() || self.gvk.version == version)
            && (self.gvk.kind.is_empty() || self.gvk.kind == kind)
    }
}

/// A resource's group, version and kind, borrowed (as [`Resource::gvk`] reads them, without
/// allocating).
///
/// [`Resource::gvk`]: crate::resource::Resource::gvk
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GvkParts<'a> {
    pub group: &'a str,
    pub version: &'a str,
    pub kind: &'a str,
}

impl<'a> GvkParts<'a> {
    /// The resource's gvk, read as [`Resource::gvk`] reads it (the first `apiVersion` and
    /// `kind` entries of the root mapping, when non-null scalars), in one pass over the root.
    ///
    /// [`Resource::gvk`]: crate::resource::Resource::gvk
    pub fn of(r: &'a crate::resource::Resource) -> Self {
        let (mut api_version, mut kind): (Option<&Node>, Option<&Node>) = (None, None);
        if let Node::Map(m) = &r.node {
            for e in &m.entries {
                match e.key.as_str() {
                    "apiVersion" if api_version.is_none() => api_version = Some(&e.value),
                    "kind" if kind.is_none() => kind = Some(&e.value),
                    _ => continue,
                }
                if api_version.is_some() && kind.is_some() {
                    break;
                }
            }
        }
        let (group, version) = crate::resource::parse_group_version(crate::resource::scalar_text(api_version));
        GvkParts { group, version, kind: crate::resource::scalar_text(kind) }
    }
    /// A number that differs between most gvks and is the same for equal ones (the lengths
    /// and a few bytes of the parts), to tell gvks apart before comparing them.
    fn fingerprint(self) -> u64 {
        let ends = |s: &str| {
            let b = s.as_bytes();
            (u64::from(b.first().copied().unwrap_or(0)) << 8) | u64::from(b.last().copied().unwrap_or(0))
        };
        (self.kind.len() as u64 & 0xff)
            | ((self.version.len() as u64 & 0xff) << 8)
            | ((self.group.len() as u64 & 0xff) << 16)
            | (ends(self.kind) << 24)
            | (u64::from(self.version.as_bytes().last().copied().unwrap_or(0)) << 40)
            | (u64::from(self.group.as_bytes().first().copied().unwrap_or(0)) << 48)
    }
    pub fn to_gvk(self) -> Gvk {
        Gvk::new(self.group, self.version, self.kind)
    }
    /// Whether `fs` applies to this gvk ([`FieldSpec::applies_to`]).
    pub fn selected_by(self, fs: &FieldSpec) -> bool {
        fs.applies_to_parts(self.group, self.version, self.kind)
    }
}

/// The specs of a list that select one gvk, in list order, with their paths split
/// ([`split_path`]'s elements, borrowed where the path has no `\\`).
#[derive(Debug)]
pub struct Selected<'s> {
    group: String,
    version: String,
    kind: String,
    /// Each selecting spec and the range of its elements in `segs`.
    items: Vec<(&'s FieldSpec, u32, u32)>,
    segs: Vec<std::borrow::Cow<'s, str>>,
    /// [`independent_walks`] of the split paths.
    independent: bool,
    /// [`GvkParts::fingerprint`] of the gvk.
    fingerprint: u64,
}

impl<'s> Selected<'s> {
    fn new(specs: &'s [FieldSpec], gvk: GvkParts<'_>) -> Self {
        let mut items = Vec::new();
        let mut segs = Vec::new();
        for fs in specs.iter().filter(|fs| gvk.selected_by(fs)) {
            let start = segs.len() as u32;
            segs.extend(split_path_ref(&fs.path));
            items.push((fs, start, segs.len() as u32));
        }
        let fingerprint = gvk.fingerprint();
        let mut sel =
            Selected { group: gvk.group.into(), version: gvk.version.into(), kind: gvk.kind.into(), items, segs, independent: false, fingerprint };
        sel.independent = independent_walks(sel.iter().map(|(_, segs)| segs));
        sel
    }
    /// Whether this is the selection of `gvk`, whose [`GvkParts::fingerprint`] is `fingerprint`.
    fn is_for(&self, gvk: GvkParts<'_>, fingerprint: u64) -> bool {
        self.fingerprint == fingerprint && self.kind == gvk.kind && self.version == gvk.version && self.group == gvk.group
    }
    /// The selecting specs with their split paths, in list order.
    pub fn iter(&self) -> impl Iterator<Item = (&'s FieldSpec, &[std::borrow::Cow<'s, str>])> + Clone + '_ {
        self.items.iter().map(|&(fs, a, b)| (fs, &self.segs[a as usize..b as usize]))
    }
    pub fn len(&self) -> usize {
        self.items.len()
    }
    /// Whether the walks of the selecting specs cannot see each other's changes
    /// ([`independent_walks`]), worked out once per gvk.
    pub fn independent(&self) -> bool {
        self.independent
    }
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
}

/// A field-spec list prepared for walking many resources: the specs that select a gvk (and
/// their split paths) are found once per distinct gvk instead of once per resource.
///
/// The selections are kept in slots each set once and never changed (filled in order), so a
/// lookup reads them without a lock and hands out plain references.
#[derive(Debug)]
pub struct SpecPlan<'s> {
    specs: &'s [FieldSpec],
    memo: [std::sync::OnceLock<Box<Selected<'s>>>; PLAN_MEMO_MAX],
}

/// At most this many gvks are remembered by a plan (a process-wide one lives as long as the
/// process); others are worked out each time.
const PLAN_MEMO_MAX: usize = 128;

/// A selection of a [`SpecPlan`]: the one it remembers, or one worked out for this call only
/// (when the plan remembers [`PLAN_MEMO_MAX`] gvks already).
#[derive(Debug)]
pub enum PlanSelected<'p, 's> {
    Shared(&'p Selected<'s>),
    Own(Box<Selected<'s>>),
}

impl<'s> std::ops::Deref for PlanSelected<'_, 's> {
    type Target = Selected<'s>;
    fn deref(&self) -> &Selected<'s> {
        match self {
            PlanSelected::Shared(s) => s,
            PlanSelected::Own(s) => s,
        }
    }
}

impl<'s> SpecPlan<'s> {
    pub fn new(specs: &'s [FieldSpec]) -> Self {
        SpecPlan { specs, memo: [const { std::sync::OnceLock::new() }; PLAN_MEMO_MAX] }
    }

    /// The specs of the list that select `gvk` ([`FieldSpec::applies_to`]), in list order.
    pub fn select(&self, gvk: GvkParts<'_>) -> PlanSelected<'_, 's> {
        // The slots are filled in order: the first empty one ends the remembered gvks. A new
        // selection goes there, unless another thread fills it first (then the search goes on
        // from it, as that thread's gvk may be this one).
        let mut mine: Option<Box<Selected<'s>>> = None;
        let fingerprint = gvk.fingerprint();
        for slot in &self.memo {
            if slot.get().is_none() {
                let new = mine.take().unwrap_or_else(|| Box::new(Selected::new(self.specs, gvk)));
                let mut new = Some(new);
                slot.get_or_init(|| new.take().unwrap_or_else(|| Box::new(Selected::new(self.specs, gvk))));
                mine = new;
            }
            if let Some(s) = slot.get() {
                if s.is_for(gvk, fingerprint) {
                    return PlanSelected::Shared(s);
                }
            }
        }
        PlanSelected::Own(mine.unwrap_or_else(|| Box::new(Selected::new(self.specs, gvk))))
    }
}

impl SpecPlan<'static> {
    /// The process-wide plan of a list that lives as long as the process (the builtin lists,
    /// and lists merged from them once per process), made on first use.
    pub fn of_static(specs: &'static [FieldSpec]) -> &'static SpecPlan<'static> {
        static PLANS: std::sync::Mutex<Vec<&'static SpecPlan<'static>>> = std::sync::Mutex::new(Vec::new());
        let mut plans = PLANS.lock().unwrap_or_else(|e| e.into_inner());
        // The same address and length: the same list (a `'static` list is never freed).
        if let Some(p) = plans.iter().find(|p| std::ptr::eq(p.specs, specs)) {
            return p;
        }
        let p: &'static SpecPlan<'static> = Box::leak(Box::new(SpecPlan::new(specs)));
        plans.push(p);
        p
    }
}

/// Calls `f` with the elements of `path` ([`split_path`]'s), borrowed without allocating when
/// the path has no `\\` and at most 16 elements.
pub fn with_segments<R>(path: &str, f: impl FnOnce(&[&str]) -> R) -> R {
    const MAX: usize = 16;
    let mut buf: [&str; MAX] = [""; MAX];
    let mut n = 0;
    let bytes = path.as_bytes();
    // A leading `/` is dropped (a `/` is ASCII: the cuts are on char boundaries).
    let mut start = usize::from(bytes.first() == Some(&b'/'));
    let mut plain = true;
    for (i, &b) in bytes.iter().enumerate().skip(start) {
        if b == b'/' {
            if n == MAX - 1 {
                plain = false;
                break;
            }
            buf[n] = &path[start..i];
            n += 1;
            start = i + 1;
        } else if b == b'\\' {
            plain = false;
            break;
        }
    }
    if plain {
        buf[n] = &path[start..];
        return f(&buf[..=n]);
    }
    let owned = split_path(path);
    let refs: Vec<&str> = owned.iter().map(String::as_str).collect();
    f(&refs)
}

/// [`split_path`], borrowing the elements that hold no escaped `/`.
///
/// One pass over the bytes to size the list (and find a `\\`), one to cut.
pub fn split_path_ref(path: &str) -> Vec<std::borrow::Cow<'_, str>> {
    use std::borrow::Cow;
    let bytes = path.as_bytes();
    let (mut slashes, mut escaped) = (0usize, false);
    for &b in bytes {
        slashes += usize::from(b == b'/');
        escaped |= b == b'\\';
    }
    if escaped {
        return split_path(path).into_iter().map(Cow::Owned).collect();
    }
    let mut out: Vec<Cow<'_, str>> = Vec::with_capacity(slashes + 1);
    // A leading `/` is dropped (a `/` is ASCII: the cuts are on char boundaries).
    let mut start = usize::from(bytes.first() == Some(&b'/'));
    for (i, &b) in bytes.iter().enumerate().skip(start) {
        if b == b'/' {
            out.push(Cow::Borrowed(&path[start..i]));
            start = i + 1;
        }
    }
    out.push(Cow::Borrowed(&path[start..]));
    out
}

/// kustomize's PathSplitter: split on `/`, a leading `/` ignored, `\/` escapes a slash.
///
/// One pass over the bytes, each element copied once (no intermediate list of pieces).
pub fn split_path(path: &str) -> Vec<String> {
    let bytes = path.as_bytes();
    let mut out: Vec<String> = Vec::with_capacity(bytes.iter().filter(|&&b| b == b'/').count() + 1);
    // Adds the piece `p` (the text between two `/`): joined to the element before when that
    // one ends with `\\` (the `\\` dropped), else a new element.
    let mut piece = |p: &str| match out.last_mut() {
        Some(last) if last.ends_with('\\') => {
            last.pop();
            last.push('/');
            last.push_str(p);
        }
        _ => out.push(p.to_owned()),
    };
    // A leading `/` is dropped (a `/` is ASCII: the cuts are on char boundaries).
    let mut start = usize::from(bytes.first() == Some(&b'/'));
    for (i, &b) in bytes.iter().enumerate().skip(start) {
        if b == b'/' {
            piece(&path[start..i]);
            start = i + 1;
        }
    }
    piece(&path[start..]);
    out
}

/// Whether walks along these paths (split) cannot see each other's changes, so that walking
/// each once and doing every change at its fields gives what walking them all once per change
/// gives: no path (its elements without `[]`) leads to or through another's field (a walk
/// creates, and turns null into mappings or sequences, only along its path, and changes only
/// its own fields), and none is `metadata` itself (whose `name`/`namespace` entries are the id
/// an error names).
pub fn independent_walks<'a, S: AsRef<str> + 'a>(paths: impl Iterator<Item = &'a [S]> + Clone) -> bool {
    let strip = |s: &'a S| -> &'a str {
        let s = s.as_ref();
        s.strip_suffix("[]").unwrap_or(s)
    };
    let is_prefix = |a: &'a [S], b: &'a [S]| a.len() <= b.len() && a.iter().zip(b).all(|(x, y)| strip(x) == strip(y));
    for (i, a) in paths.clone().enumerate() {
        if a.len() == 1 && strip(&a[0]) == "metadata" {
            return false;
        }
        if paths.clone().enumerate().any(|(j, b)| i != j && is_prefix(a, b)) {
            return false;
        }
    }
    true
}

/// Whether a [`walk`] along `path` may change what a resource's id is read from (`apiVersion`,
/// `kind`, `metadata`): a walk changes nothing outside the root entry its first element names.
/// When it cannot, a failed walk leaves the id as it was, so an error message may read it then.
pub fn walk_may_change_id<S: AsRef<str>>(path: &[S]) -> bool {
    let Some(first) = path.first() else { return true };
    let first = first.as_ref();
    matches!(first.strip_suffix("[]").unwrap_or(first), "apiVersion" | "kind" | "metadata")
}

/// What to create for a missing last path element.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Create {
    Map,
    Scalar,
    Seq,
}

/// Visits the field at `path` below `node`, walking into every element of sequences on the
/// way, creating missing fields when `create` is given (intermediate ones as mappings, the last
/// one as `create` says). `f` is called on each field found.
pub fn walk<S: AsRef<str>>(
    node: &mut Node,
    path: &[S],
    create: Option<Create>,
    f: &mut dyn FnMut(&mut Node) -> Result<()>,
) -> Result<()> {
    if path.is_empty() {
        return f(node);
    }
    if node.is_null() {
        return Ok(());
    }
    match node {
        Node::Seq(items) => {
            for it in items.iter_mut() {
                walk(it, path, create, f)?;
            }
            Ok(())
        }
        Node::Map(m) => {
            let first = path[0].as_ref();
            let (name, is_seq) = match first.strip_suffix("[]") {
                Some(n) => (n, true),
                None => (first, false),
            };
            let want: Option<Create> = if create.is_none() || is_seq {
                None
            } else if path.len() <= 1 {
                create
            } else {
                Some(Create::Map)
            };
            let child = match m.get_mut(name) {
                Some(c) => c,
                None => match want {
                    None => return Ok(()),
                    Some(k) => {
                        // Missing: appended (what `Mapping::insert` does), without a second search.
                        m.entries.push(crate::yaml::Entry::new(name, empty_of(k), crate::yaml::Pos::default()));
                        match m.entries.last_mut() {
                            Some(e) => &mut e.value,
                            None => return Err(err!(Transform, "field {} vanished", name)),
                        }
                    }
                },
            };
            // A null field becomes the kind to create.
            let kind_hint = if is_seq { Some(Create::Seq) } else { want };
            if child.is_null() {
                if let Some(k) = kind_hint {
                    if k != Create::Scalar {
                        *child = empty_of(k);
                    }
                }
            }
            walk(child, &path[1..], create, f)
        }
        Node::Scalar(_) => Err(err!(Transform, "expected sequence or mapping node")),
    }
}

fn empty_of(k: Create) -> Node {
    match k {
        Create::Map => Node::Map(Mapping::new()),
        Create::Seq => Node::Seq(Vec::new()),
        Create::Scalar => Node::plain(""),
    }
}

fn gvk_from(m: &Mapping) -> Gvk {
    let s = |k: &str| m.get(k).and_then(|v| v.as_str()).unwrap_or("").to_string();
    Gvk { group: s("group"), version: s("version"), kind: s("kind") }
}

fn truthy(n: Option<&Node>) -> bool {
    matches!(n.and_then(|v| v.as_str()), Some("true" | "True" | "TRUE"))
}

/// Reads a list of field specs (`- path: ..., kind: ..., create: true`).
pub fn parse_specs(node: &Node) -> Result<Vec<FieldSpec>> {
    let Some(items) = node.as_seq() else {
        if node.is_null() {
            return Ok(Vec::new());
        }
        return Err(err!(Kustomization, "expected a list of field specs, found a {}", node.kind_name()));
    };
    let mut out = Vec::with_capacity(items.len());
    for it in items {
        let m = it.as_map().ok_or_else(|| err!(Kustomization, "a field spec must be a mapping"))?;
        let path = m.get("path").and_then(|v| v.as_str()).unwrap_or("").to_string();
        out.push(FieldSpec { gvk: gvk_from(m), path, create: truthy(m.get("create")) });
    }
    Ok(out)
}

fn parse_name_refs(node: &Node) -> Result<Vec<NameBackRef>> {
    let Some(items) = node.as_seq() else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for it in items {
        let m = it.as_map().ok_or_else(|| err!(Kustomization, "a nameReference entry must be a mapping"))?;
        let referrers = match m.get("fieldSpecs") {
            Some(n) => parse_specs(n)?,
            None => Vec::new(),
        };
        out.push(NameBackRef { gvk: gvk_from(m), referrers });
    }
    Ok(out)
}

impl Config {
    /// Reads a configuration file's mapping (`namePrefix:`, `nameReference:`, ...).
    pub fn from_node(node: &Node) -> Result<Config> {
        let mut c = Config::default();
        let Some(m) = node.as_map() else {
            return Ok(c);
        };
        for (k, v) in m.iter() {
            match k {
                "namePrefix" => c.name_prefix = parse_specs(v)?,
                "nameSuffix" => c.name_suffix = parse_specs(v)?,
                "commonLabels" => c.common_labels = parse_specs(v)?,
                "templateLabels" => c.template_labels = parse_specs(v)?,
                "labels" => c.labels = parse_specs(v)?,
                "commonAnnotations" => c.common_annotations = parse_specs(v)?,
                "namespace" => c.namespace = parse_specs(v)?,
                "varReference" => c.var_reference = parse_specs(v)?,
                "nameReference" => c.name_reference = parse_name_refs(v)?,
                "images" => c.images = parse_specs(v)?,
                "replicas" => c.replicas = parse_specs(v)?,
                _ => {}
            }
        }
        Ok(c)
    }

    /// Whether no list has a spec.
    pub fn is_empty(&self) -> bool {
        *self == Config::default()
    }

    /// Adds `other`'s specs to this config (kustomize's TransformerConfig.Merge): a spec already
    /// present is not added twice; name references of the same kind are joined.
    /// Orders every list by kind as kustomize does (its TransformerConfig.sortFields): kinds
    /// in the legacy resource order first, then by group, version, kind. Go's sort is stable
    /// for short lists; for long ones this stable sort may order equal kinds differently.
    pub fn sort_fields(&mut self) {
        fn by_gvk(a: &Gvk, b: &Gvk) -> std::cmp::Ordering {
            crate::transform::sort::gvk_cmp(a, b)
        }
        for l in [
            &mut self.name_prefix,
            &mut self.name_suffix,
            &mut self.namespace,
            &mut self.common_labels,
            &mut self.labels,
            &mut self.template_labels,
            &mut self.common_annotations,
            &mut self.var_reference,
            &mut self.images,
            &mut self.replicas,
        ] {
            l.sort_by(|a, b| by_gvk(&a.gvk, &b.gvk));
        }
        self.name_reference.sort_by(|a, b| by_gvk(&a.gvk, &b.gvk));
    }

    pub fn merge(&mut self, other: &Config) -> Result<()> {
        merge_specs(&mut self.name_prefix, &other.name_prefix)?;
        merge_specs(&mut self.name_suffix, &other.name_suffix)?;
        merge_specs(&mut self.common_labels, &other.common_labels)?;
        merge_specs(&mut self.labels, &other.labels)?;
        merge_specs(&mut self.template_labels, &other.template_labels)?;
        merge_specs(&mut self.common_annotations, &other.common_annotations)?;
        merge_specs(&mut self.namespace, &other.namespace)?;
        merge_specs(&mut self.var_reference, &other.var_reference)?;
        merge_specs(&mut self.images, &other.images)?;
        merge_specs(&mut self.replicas, &other.replicas)?;
        for nb in &other.name_reference {
            match self.name_reference.iter_mut().find(|e| e.gvk == nb.gvk) {
                Some(e) => merge_specs(&mut e.referrers, &nb.referrers)?,
                None => self.name_reference.push(nb.clone()),
            }
        }
        self.sort_fields();
        Ok(())
    }
}

/// Adds the specs of `from` that `into` lacks, in order (kustomize's FsSlice.MergeAll): a spec
/// counts as present when one with the same path exists whose gvk the new spec's gvk selects
/// (so a kind-specific spec already there hides a later kind-less one). The same spec with a
/// different `create` is a conflict.
pub fn merge_specs(into: &mut Vec<FieldSpec>, from: &[FieldSpec]) -> Result<()> {
    for fs in from {
        if let Some(existing) = into.iter().find(|e| e.path == fs.path && e.gvk.is_selected_by(&fs.gvk)) {
            if existing.create != fs.create {
                return Err(Error::new(crate::ErrorKind::Kustomization, "conflicting fieldspecs"));
            }
            continue;
        }
        into.push(fs.clone());
    }
    Ok(())
}

const METADATA_LABELS: &str = include_str!("data/metadataLabelsFieldSpecs.yaml");

const DEFAULT_FILES: &[&str] = &[
    include_str!("data/namePrefixFieldSpecs.yaml"),
    include_str!("data/nameSuffixFieldSpecs.yaml"),
    include_str!("data/commonLabelFieldSpecs.yaml"),
    include_str!("data/templateLabelFieldSpecs.yaml"),
    include_str!("data/commonAnnotationFieldSpecs.yaml"),
    include_str!("data/namespaceFieldSpecs.yaml"),
    include_str!("data/varReferenceFieldSpecs.yaml"),
    include_str!("data/nameReferenceFieldSpecs.yaml"),
    include_str!("data/imagesFieldSpecs.yaml"),
    include_str!("data/replicasFieldSpecs.yaml"),
];

/// kustomize v5.5.0's built-in field specs (parsed once per process).
pub fn defaults() -> &'static Config {
    static CONFIG: OnceLock<Config> = OnceLock::new();
    CONFIG.get_or_init(|| {
        let mut c = Config::default();
        for src in DEFAULT_FILES {
            let node = crate::yaml::load_one(src).ok().flatten().unwrap_or_default();
            let part = Config::from_node(&node).unwrap_or_default();
            // Files are disjoint, so a plain merge keeps kustomize's order.
            let _ = c.merge(&part);
        }
        // kustomize's commonLabels specs end with the metadata-label specs (which the data keeps
        // in a file of their own, shared with templateLabels).
        let meta = crate::yaml::load_one(METADATA_LABELS).ok().flatten().unwrap_or_default();
        let _ = merge_specs(&mut c.common_labels, &parse_specs(&meta).unwrap_or_default());
        c.sort_fields();
        c
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merging_the_defaults_is_a_no_op_on_themselves_and_a_copy_on_empty() {
        // The build shares the defaults instead of merging them (build::target), relying on
        // both.
        let d = defaults().clone();
        let mut slow = Config::default();
        slow.merge(&d).unwrap();
        assert_eq!(slow, d);
        slow.merge(&d).unwrap();
        assert_eq!(slow, d);
    }

    #[test]
    fn splits_paths() {
        assert_eq!(split_path("/a/b\\/c/d"), vec!["a", "b/c", "d"]);
        assert_eq!(split_path("spec/containers[]/image"), vec!["spec", "containers[]", "image"]);
    }

    /// kustomize's PathSplitter as first written here (split, drop a leading empty piece,
    /// join pieces after one ending in `\\`): what [`split_path`] must give.
    fn split_path_reference(path: &str) -> Vec<String> {
        let mut parts: Vec<&str> = path.split('/').collect();
        if parts.len() > 1 && parts[0].is_empty() {
            parts.remove(0);
        }
        let mut out: Vec<String> = Vec::new();
        for p in parts {
            match out.last_mut() {
                Some(last) if last.ends_with('\\') => {
                    last.pop();
                    last.push('/');
                    last.push_str(p);
                }
                _ => out.push(p.to_string()),
            }
        }
        out
    }

    /// Every string of up to 5 characters over an alphabet with the special ones, and a few
    /// longer paths.
    fn sample_paths() -> Vec<String> {
        let alphabet = ['/', '\\', 'a', 'é'];
        let mut paths = vec![String::new()];
        let mut last = vec![String::new()];
        for _ in 0..5 {
            last = last.iter().flat_map(|p| alphabet.iter().map(move |c| format!("{p}{c}"))).collect();
            paths.extend(last.iter().cloned());
        }
        paths.extend(["spec/template/spec/containers[]/image", "/a\\/b\\/c/d", "a\\\\/b"].map(String::from));
        assert_eq!(paths.len(), 1 + 4 + 16 + 64 + 256 + 1024 + 3);
        paths
    }

    #[test]
    fn split_is_the_reference_split() {
        for p in &sample_paths() {
            assert_eq!(split_path(p), split_path_reference(p), "{p:?}");
        }
    }

    #[test]
    fn borrowed_split_is_the_split() {
        for p in [
            "", "/", "//", "a", "/a", "a/", "/a/b", "a//b", "spec/containers[]/image", "/a/b\\/c/d", "a\\/", "\\/a",
            "a\\\\/b", "a/b\\", "x/\\/y/", "é/ü", "a/b/c/d/e/f/g/h/i/j/k/l/m/n/o/p", "a/b/c/d/e/f/g/h/i/j/k/l/m/n/o/p/q",
            "/a/b/c/d/e/f/g/h/i/j/k/l/m/n/o/p/q/r",
        ] {
            let borrowed: Vec<String> = split_path_ref(p).into_iter().map(|c| c.into_owned()).collect();
            assert_eq!(borrowed, split_path(p), "{p:?}");
            let on_stack: Vec<String> = with_segments(p, |s| s.iter().map(|x| x.to_string()).collect());
            assert_eq!(on_stack, split_path(p), "{p:?}");
        }
        for p in &sample_paths() {
            let borrowed: Vec<String> = split_path_ref(p).into_iter().map(|c| c.into_owned()).collect();
            assert_eq!(borrowed, split_path_reference(p), "{p:?}");
            let on_stack: Vec<String> = with_segments(p, |s| s.iter().map(|x| x.to_string()).collect());
            assert_eq!(on_stack, split_path_reference(p), "{p:?}");
        }
    }

    #[test]
    fn gvk_parts_read_what_the_resource_reads() {
        for src in [
            "apiVersion: apps/v1\nkind: Deployment\n",
            "kind: Service\napiVersion: v1\nmetadata: {name: x}\n",
            "metadata: {}\napiVersion: /v1\n",
            "apiVersion: null\nkind: ~\n",
            "apiVersion: \"a/b/c\"\nkind: [x]\n",
            "apiVersion: {a: b}\nkind: \"null\"\n",
            "kind: !!null Deployment\napiVersion: !!str null\n",
            "kind: NULL\napiVersion: !!null\n",
            "kind: Deployment\napiVersion: !!str apps/v1\n",
            "kind: Nul\napiVersion: v1\n",
            "kind: nULL\napiVersion: ~\n",
            "kind: 'null'\napiVersion: Null\n",
            "kind: ''\napiVersion: \"\"\n",
            "kind: x\napiVersion: !!null v1\n",
            "kind: ~x\napiVersion: NULL\n",
            "a: b\n",
            "- a\n",
        ] {
            let node = crate::yaml::load_one(src).unwrap().unwrap();
            let r = crate::resource::Resource::new(node);
            assert_eq!(GvkParts::of(&r).to_gvk(), r.gvk(), "{src}");
        }
    }

    #[test]
    fn gvk_parts_select_as_the_gvk_does() {
        let gvks = [Gvk::new("", "v1", "Service"), Gvk::new("apps", "v1", "Deployment"), Gvk::new("", "", "")];
        let sels = [
            Gvk::default(),
            Gvk::new("", "", "Service"),
            Gvk::new("apps", "", ""),
            Gvk::new("", "v1", ""),
            Gvk::new("apps", "v1", "Deployment"),
            Gvk::new("apps", "v2", "Deployment"),
        ];
        for g in &gvks {
            let parts = GvkParts { group: &g.group, version: &g.version, kind: &g.kind };
            assert_eq!(parts.to_gvk(), *g);
            for sel in &sels {
                let fs = FieldSpec { gvk: sel.clone(), path: "a".into(), create: false };
                assert_eq!(parts.selected_by(&fs), fs.applies_to(g), "{g} {sel}");
            }
        }
    }

    #[test]
    fn a_plan_selects_what_a_fresh_selection_selects() {
        // Specs by kind, by group, by version, and for any gvk; more gvks than a plan keeps.
        let mut specs: Vec<FieldSpec> = Vec::new();
        for k in 0..40 {
            specs.push(FieldSpec { gvk: Gvk::new("", "", &format!("K{k}")), path: format!("spec/k{k}"), create: k % 2 == 0 });
        }
        specs.push(FieldSpec { gvk: Gvk::new("apps", "", ""), path: "spec/apps".into(), create: false });
        specs.push(FieldSpec { gvk: Gvk::new("", "v2", ""), path: "spec/v2/x".into(), create: true });
        specs.push(FieldSpec { gvk: Gvk::default(), path: "metadata/labels".into(), create: true });
        specs.push(FieldSpec { gvk: Gvk::new("", "", "K3"), path: "spec/k3/sub".into(), create: false });
        let gvks: Vec<(String, String, String)> = (0..3 * PLAN_MEMO_MAX)
            .map(|i| (["", "apps", "x.io"][i % 3].to_string(), ["v1", "v2"][i / 3 % 2].to_string(), format!("K{}", i % 50)))
            .collect();
        let shown = |s: &Selected<'_>| -> (Vec<String>, bool, String) {
            (s.iter().map(|(fs, segs)| format!("{} {:?}", fs.path, segs)).collect(), s.independent(), format!("{}/{}/{}", s.group, s.version, s.kind))
        };
        let plan = SpecPlan::new(&specs);
        let (mut shared, mut own) = (0, 0);
        std::thread::scope(|scope| {
            let handles: Vec<_> = (0..3)
                .map(|t| {
                    let (plan, gvks, specs) = (&plan, &gvks, &specs);
                    scope.spawn(move || {
                        let (mut shared, mut own) = (0, 0);
                        for round in 0..2 {
                            for k in 0..gvks.len() {
                                let (g, v, kind) = &gvks[(k * (t + 1) + round) % gvks.len()];
                                let gvk = GvkParts { group: g, version: v, kind };
                                let got = plan.select(gvk);
                                match &got {
                                    PlanSelected::Shared(_) => shared += 1,
                                    PlanSelected::Own(_) => own += 1,
                                }
                                assert_eq!(shown(&got), shown(&Selected::new(specs, gvk)), "{g} {v} {kind}");
                            }
                        }
                        (shared, own)
                    })
                })
                .collect();
            for h in handles {
                let (s, o) = h.join().unwrap();
                shared += s;
                own += o;
            }
        });
        // The plan keeps gvks up to its limit, each once.
        let kept: Vec<String> = plan.memo.iter().filter_map(|s| s.get()).map(|s| shown(s).2).collect();
        let distinct: std::collections::BTreeSet<&String> = kept.iter().collect();
        assert_eq!((kept.len(), distinct.len()), (PLAN_MEMO_MAX, PLAN_MEMO_MAX));
        assert!(shared > 0 && own > 0, "{shared} {own}");
    }
}
