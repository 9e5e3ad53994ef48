//! Kubernetes schema data compiled from the OpenAPI document kustomize v5.5.0 embeds
//! (Kubernetes v1.21.2, via kyaml v0.18.1), plus the small kustomization schema kyaml loads
//! next to it, and the custom schemas a kustomization can bring (`openapi:`).
//!
//! The builtin tables live in `generated.rs`, written by `python3 tools/gen_schema.py` (see its
//! docstring for the layout). Everything there is `&'static` data: lookups do not parse or
//! allocate.
//!
//! Three questions are answered:
//!
//! * **Scope** ([`is_namespaced`], [`is_cluster_scoped`]): which kinds are cluster-scoped, as
//!   kyaml's `openapi.IsCertainlyClusterScoped` decides it.
//! * **Strategic-merge metadata** ([`root_type`], [`Schema::root_type_for`], [`TypeRef`],
//!   [`FieldRef`]): a walk down the schema of a top-level kind, field by field, with the list
//!   extensions (`x-kubernetes-patch-strategy`, `x-kubernetes-patch-merge-key`,
//!   `x-kubernetes-list-type`, `x-kubernetes-list-map-keys`). The walk follows kyaml's
//!   `ResourceSchema.Field` / `Elements` exactly, including its quirks (noted on each method).
//! * **Kind list** ([`is_known_kind`]).
//!
//! # Custom schemas (`openapi:`) and the build's schema
//!
//! kyaml keeps one global schema per process; kustomize sets it from the `openapi:` field of
//! the kustomizations of a build (`openapi.SetSchema`: the root's, else the first one met
//! depth first). Here the schema in effect is a [`Schema`] value: the static tables alone, or
//! a [`CustomSchema`] parsed from the file, layered with the tables as kyaml layers them
//! (see [`custom`]). The build keeps it in per-thread state for its duration
//! ([`BuildScope`], [`set_openapi`]); [`is_cluster_scoped`], and strategic merges through
//! [`Schema::active`], read it. Builds on other threads are independent; outside a build the
//! builtin tables are used.
//!
//! A [`TypeRef`] points into the static tables, into a custom schema, or into schemas read from
//! comments during one merge (kyaml's `# {"$ref": ...}` field comments); it borrows what it
//! points into and stays `Copy`. Over the builtin tables alone it is two plain words.

#[rustfmt::skip]
mod generated;
pub mod crds;
pub mod custom;
mod scope;

pub use custom::CustomSchema;
pub use scope::{set_openapi, BuildScope};

use generated::{DEFS, EXTS, FIELDS, KINDS, TYPES};
use std::sync::Arc;

/// "No index" in the generated tables.
const NO: u16 = u16::MAX;

const SCOPE_NAMESPACED: u8 = 1;
const SCOPE_CLUSTER: u8 = 2;

/// A schema node: (kind code, first field, field count, items type or `NO`, ext index).
struct TypeDef(u8, u16, u16, u16, u8);
/// A property: (name, type, ext index of extensions written beside a `$ref`).
struct FieldDef(&'static str, u16, u8);
/// Extensions: (patch strategy, merge key (0 or 1 element), list type, list map keys).
struct ExtDef(
    Option<&'static str>,
    &'static [&'static str],
    Option<&'static str>,
    &'static [&'static str],
);
/// A known kind: (group, version, kind, scope code, root type or `NO`).
struct KindDef(&'static str, &'static str, &'static str, u8, u16);
/// The name of the definition in the same row of `TYPES`, and whether it comes from the
/// kustomization schema (which kyaml loads after every other).
struct DefName(&'static str, bool);

/// Splits an `apiVersion` into group and version the way kustomize does
/// (`resid.ParseGroupVersion`): at the first `/`; without one the group is empty.
pub fn split_api_version(api_version: &str) -> (&str, &str) {
    match api_version.find('/') {
        Some(i) => (&api_version[..i], &api_version[i + 1..]),
        None => ("", api_version),
    }
}

fn find_kind(group: &str, version: &str, kind: &str) -> Option<&'static KindDef> {
    // The distinct kind names are chained by a bucket of a few of their bytes (see
    // [`kind_bucket`]): ids are looked up for every resource again and again, and a bucket
    // holds one to a few names, rejected on their length mostly. Then the rows of the kind
    // are compared on version and group. The table is static: no input makes a chain longer.
    let ix = KIND_INDEX.get_or_init(KindIndex::build);
    let mut n = ix.heads[kind_bucket(kind)];
    while n != NO {
        let name = &ix.names[usize::from(n)];
        let first = usize::from(name.first);
        if same_text(KINDS[usize::from(ix.rows[first])].2, kind) {
            let rows = &ix.rows[first..first + usize::from(name.count)];
            return rows
                .iter()
                .map(|&r| &KINDS[usize::from(r)])
                .find(|k| same_text(k.1, version) && same_text(k.0, group));
        }
        n = name.next;
    }
    None
}

/// Eight bytes of `b` from `i` as a word.
#[inline(always)]
fn word8(b: &[u8], i: usize) -> u64 {
    let mut w = [0; 8];
    w.copy_from_slice(&b[i..i + 8]);
    u64::from_le_bytes(w)
}

/// Four bytes of `b` from `i` as a word.
#[inline(always)]
fn word4(b: &[u8], i: usize) -> u32 {
    let mut w = [0; 4];
    w.copy_from_slice(&b[i..i + 4]);
    u32::from_le_bytes(w)
}

/// `a == b` for the short texts the schema lookups compare (kinds, groups, versions, field
/// names): the lengths, then up to 16 bytes as two overlapping words, without a call to
/// `memcmp`; longer texts are compared as usual.
#[inline]
fn same_text(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let n = a.len();
    if n != b.len() {
        return false;
    }
    match n {
        0 => true,
        // Bytes 0, n/2 and n-1 cover every byte of a text of 1 to 3 bytes.
        1..=3 => a[0] == b[0] && a[n / 2] == b[n / 2] && a[n - 1] == b[n - 1],
        4..=7 => word4(a, 0) == word4(b, 0) && word4(a, n - 4) == word4(b, n - 4),
        8..=16 => word8(a, 0) == word8(b, 0) && word8(a, n - 8) == word8(b, n - 8),
        _ => a == b,
    }
}

/// [`find_kind`] by binary search (the reference the index is tested against).
#[cfg(test)]
fn find_kind_by_search(group: &str, version: &str, kind: &str) -> Option<&'static KindDef> {
    KINDS
        .binary_search_by(|k| (k.0, k.1, k.2).cmp(&(group, version, kind)))
        .ok()
        .map(|i| &KINDS[i])
}

const KIND_BUCKETS: usize = 256;

/// The rows of `KINDS` by kind name: `rows` lists them ordered by kind (then table order);
/// each distinct name has its run of `rows` and the next name of its bucket (`NO` ends a
/// chain; `heads` holds the first name of each bucket).
struct KindIndex {
    heads: [u16; KIND_BUCKETS],
    names: Vec<KindName>,
    rows: Vec<u16>,
}

struct KindName {
    first: u16,
    count: u16,
    next: u16,
}

static KIND_INDEX: std::sync::OnceLock<KindIndex> = std::sync::OnceLock::new();

impl KindIndex {
    fn build() -> Self {
        let mut rows: Vec<u16> = (0..KINDS.len() as u16).collect();
        rows.sort_by_key(|&r| (KINDS[usize::from(r)].2, r));
        let mut ix = KindIndex {
            heads: [NO; KIND_BUCKETS],
            names: Vec::new(),
            rows,
        };
        let mut i = 0;
        while i < ix.rows.len() {
            let kind = KINDS[usize::from(ix.rows[i])].2;
            let count = ix.rows[i..]
                .iter()
                .take_while(|&&r| KINDS[usize::from(r)].2 == kind)
                .count();
            let b = kind_bucket(kind);
            ix.names.push(KindName {
                first: i as u16,
                count: count as u16,
                next: ix.heads[b],
            });
            ix.heads[b] = (ix.names.len() - 1) as u16;
            i += count;
        }
        ix
    }
}

/// A bucket for a kind name from its length and three of its bytes (no full hash: a kind is
/// only ever compared with the static rows of its bucket).
#[inline]
fn kind_bucket(kind: &str) -> usize {
    let b = kind.as_bytes();
    let n = b.len();
    if n == 0 {
        return 0;
    }
    let h = (n as u32).wrapping_mul(0x9E37_79B9)
        ^ u32::from(b[0]).wrapping_mul(0x85EB_CA6B)
        ^ u32::from(b[n / 2]).wrapping_mul(0xC2B2_AE35)
        ^ u32::from(b[n - 1]).wrapping_mul(0x27D4_EB2F);
    (h.wrapping_mul(0x9E37_79B9) >> (32 - KIND_BUCKETS.trailing_zeros())) as usize
}

/// The slots of [`FieldIndex`]: a power of two, about three times the number of fields.
const FIELD_SLOTS: usize = 8192;

/// The builtin properties by (first field of their type, name): an open-addressing table of
/// indices into `FIELDS` (`NO`: empty slot), probed linearly from [`field_slot`]. The field
/// ranges of the types do not overlap, so the first field of a type names it. Field lookups
/// run for every mapping a strategic merge walks; a binary search of a type's fields costs a
/// string comparison per step. The table is static: no input makes a probe sequence longer.
struct FieldIndex {
    slots: Box<[u16]>,
}

static FIELD_INDEX: std::sync::OnceLock<FieldIndex> = std::sync::OnceLock::new();

impl FieldIndex {
    fn build() -> Self {
        let mut slots = vec![NO; FIELD_SLOTS].into_boxed_slice();
        for t in TYPES.iter() {
            for i in t.1..t.1 + t.2 {
                let mut h = field_slot(t.1, FIELDS[usize::from(i)].0);
                while slots[h] != NO {
                    h = (h + 1) & (FIELD_SLOTS - 1);
                }
                slots[h] = i;
            }
        }
        FieldIndex { slots }
    }

    /// The index in `FIELDS` of the field `name` among the `count` fields from `first`.
    #[inline]
    fn find(&self, first: u16, count: u16, name: &str) -> Option<usize> {
        let mut h = field_slot(first, name);
        loop {
            let i = self.slots[h];
            if i == NO {
                return None;
            }
            // `i - first < count`: `i` is a field of this type.
            if i.wrapping_sub(first) < count && same_text(FIELDS[usize::from(i)].0, name) {
                return Some(usize::from(i));
            }
            h = (h + 1) & (FIELD_SLOTS - 1);
        }
    }
}

/// The first slot of [`FieldIndex`] for a name in the type whose fields start at `first`: a
/// hash of the name's length and its first and last (up to) eight bytes, and of `first`.
#[inline]
fn field_slot(first: u16, name: &str) -> usize {
    let b = name.as_bytes();
    let n = b.len();
    let (x, y) = match n {
        0 => (0, 0),
        1..=3 => (
            u64::from(b[0]) | u64::from(b[n / 2]) << 8 | u64::from(b[n - 1]) << 16,
            0,
        ),
        4..=7 => (u64::from(word4(b, 0)), u64::from(word4(b, n - 4))),
        _ => (word8(b, 0), word8(b, n - 8)),
    };
    let h = (x ^ y.rotate_left(31) ^ (n as u64) << 58).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    let h = (h ^ h >> 29 ^ u64::from(first)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    (h >> (64 - FIELD_SLOTS.trailing_zeros())) as usize
}

/// The static definition of this name (`io.k8s.api.core.v1.PodSpec`): its row and whether it
/// is a kustomization definition.
fn find_def(name: &str) -> Option<(u16, bool)> {
    DEFS.binary_search_by(|d| d.0.cmp(name))
        .ok()
        .map(|i| (i as u16, DEFS[i].1))
}

/// Whether the schema says the kind is namespaced (`Some(true)`) or cluster-scoped
/// (`Some(false)`); `None` when its scope is not known.
///
/// The lookup is exact on group, version and kind (case-sensitive): kyaml keys its table by
/// `TypeMeta{APIVersion, Kind}`, so `rbac.authorization.k8s.io/v1alpha1` `ClusterRole` is
/// unknown even though `v1` and `v1beta1` are known. The scopes come from the document's API
/// paths (a GET path under `namespaces/{namespace}` for the kind makes it namespaced; a path
/// without it makes it cluster-scoped) and are identical to kyaml's
/// `precomputedIsNamespaceScoped` table (82 kinds, including `NodeProxyOptions`,
/// `PodExecOptions` etc. that have no definition). List kinds, `DeleteOptions`, `WatchEvent`,
/// review kinds and the kustomization kinds have no scope (`None`).
///
/// Builtin tables only; see [`is_cluster_scoped`] for the build's schema.
pub fn is_namespaced(group: &str, version: &str, kind: &str) -> Option<bool> {
    match find_kind(group, version, kind)?.3 {
        SCOPE_NAMESPACED => Some(true),
        SCOPE_CLUSTER => Some(false),
        _ => None,
    }
}

/// kustomize's cluster-scope rule (kyaml `openapi.IsCertainlyClusterScoped`, used by
/// `resid.NewGvk` for resource ids and by the namespace transformer): cluster-scoped only if the
/// schema knows the kind **and** says it is not namespaced. Unknown kinds (custom resources,
/// unknown versions, kinds spelled differently) are treated as namespaced.
///
/// `api_version` is split as [`split_api_version`] does, so `"/v1"` behaves like `"v1"`.
///
/// The builtin scopes (kyaml's precomputed table) come first. For other kinds, inside a build
/// whose kustomizations brought a custom schema, the scopes of that schema's `paths` apply;
/// such a query is also what makes kyaml load its builtin schema later beside a custom one
/// (see [`custom`]), so the build's state notes it. Without a build in progress on this
/// thread, only the builtin tables are read.
pub fn is_cluster_scoped(api_version: &str, kind: &str) -> bool {
    let (group, version) = split_api_version(api_version);
    is_cluster_scoped_gvk(group, version, kind)
}

/// [`is_cluster_scoped`] for a group, version and kind.
pub fn is_cluster_scoped_gvk(group: &str, version: &str, kind: &str) -> bool {
    match is_namespaced(group, version, kind) {
        Some(namespaced) => !namespaced,
        None => scope::scope_miss(group, version, kind),
    }
}

/// Whether the schema knows this group/version/kind at all: it is the
/// `x-kubernetes-group-version-kind` of a definition, or an API path names it (scope only, e.g.
/// `v1` `PodExecOptions`). Includes the kustomization kinds (`kustomize.config.k8s.io/v1beta1`
/// `Kustomization`, `ConfigMapArgs`, ...), which kyaml loads into the same schema.
pub fn is_known_kind(group: &str, version: &str, kind: &str) -> bool {
    find_kind(group, version, kind).is_some()
}

/// The schema of a top-level kind (kyaml `SchemaForResourceType`) in the builtin tables: the
/// definition whose `x-kubernetes-group-version-kind` names exactly this group, version and
/// kind. See [`Schema::root_type_for`] for the build's schema.
pub fn root_type(group: &str, version: &str, kind: &str) -> Option<TypeRef<'static>> {
    let k = find_kind(group, version, kind)?;
    (k.4 != NO).then_some(TypeRef::new_static(k.4))
}

/// [`root_type`] for an `apiVersion` string and a kind.
pub fn root_type_for(api_version: &str, kind: &str) -> Option<TypeRef<'static>> {
    let (group, version) = split_api_version(api_version);
    root_type(group, version, kind)
}

/// The schema in effect for a build: the builtin tables, possibly with a custom schema
/// (kustomization `openapi: {path: ...}`) layered with them. Cheap to clone.
#[derive(Clone, Default)]
pub struct Schema {
    custom: Option<Arc<CustomSchema>>,
}

impl std::fmt::Debug for Schema {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.custom {
            None => f.write_str("Schema(builtin)"),
            Some(c) => write!(f, "Schema(custom, {:?})", c.layering()),
        }
    }
}

impl Schema {
    /// The builtin tables alone (what kustomize uses without `openapi:`).
    pub fn builtin() -> Schema {
        Schema { custom: None }
    }

    /// A custom schema (with its layering over the builtin tables already decided).
    pub fn with_custom(custom: Arc<CustomSchema>) -> Schema {
        Schema {
            custom: Some(custom),
        }
    }

    /// The schema of the build running on this thread ([`BuildScope`]); the builtin tables
    /// when no build is running or its kustomizations chose none.
    pub fn active() -> Schema {
        scope::active()
    }

    /// [`Schema::active`] for a schema lookup (a strategic merge), which kyaml's state
    /// records (see [`custom`]).
    pub(crate) fn active_for_use() -> Schema {
        scope::active_for_use()
    }

    /// The custom schema, if any.
    pub fn custom(&self) -> Option<&CustomSchema> {
        self.custom.as_deref()
    }

    /// The schema of a top-level kind (kyaml `SchemaForResourceType`), looked up by the exact
    /// `apiVersion` text and kind, as kyaml keys its table: with a custom schema, the kinds of
    /// its definitions' `x-kubernetes-group-version-kind` count, layered with the builtin
    /// kinds as kyaml layers them.
    pub fn root_type_for(&self, api_version: &str, kind: &str) -> Option<TypeRef<'_>> {
        let cx = Cx {
            custom: self.custom.as_deref(),
            local: None,
        };
        cx.root_type_for(api_version, kind)
    }

    /// [`is_cluster_scoped`] with this schema rather than the build's.
    pub fn is_cluster_scoped(&self, api_version: &str, kind: &str) -> bool {
        let (group, version) = split_api_version(api_version);
        match is_namespaced(group, version, kind) {
            Some(namespaced) => !namespaced,
            None => {
                self.custom
                    .as_deref()
                    .and_then(|c| c.namespaced(group, version, kind))
                    == Some(false)
            }
        }
    }
}

/// What a schema node describes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TypeKind {
    /// `type: object` with named properties (possibly none, e.g. `RawExtension`).
    Object,
    /// `type: object` with `additionalProperties`: a map whose values have the type
    /// [`TypeRef::items`] (e.g. `metadata.labels`).
    Map,
    /// `type: array` whose elements have the type [`TypeRef::items`].
    List,
    /// `type: string` (also quantities, int-or-string, byte strings, dates).
    String,
    /// `type: integer`.
    Integer,
    /// `type: number`.
    Number,
    /// `type: boolean`.
    Boolean,
    /// No `type` (e.g. `apiextensions.v1.JSON`): anything goes; no fields, no items.
    Untyped,
}

impl TypeKind {
    fn from_code(code: u8) -> TypeKind {
        match code {
            0 => TypeKind::Object,
            1 => TypeKind::Map,
            2 => TypeKind::List,
            3 => TypeKind::String,
            4 => TypeKind::Integer,
            5 => TypeKind::Number,
            6 => TypeKind::Boolean,
            _ => TypeKind::Untyped,
        }
    }

    /// String, integer, number or boolean.
    pub fn is_scalar(self) -> bool {
        matches!(
            self,
            TypeKind::String | TypeKind::Integer | TypeKind::Number | TypeKind::Boolean
        )
    }
}

/// Where a schema node lives: a row of the static tables, a node of the custom schema, or a
/// node of the comment schemas of one merge.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Loc {
    Static(u16),
    Custom(u32),
    Local(u32),
}

/// The arenas a [`TypeRef`] may point into besides the static tables.
#[derive(Clone, Copy, Default)]
pub(crate) struct Cx<'s> {
    pub(crate) custom: Option<&'s CustomSchema>,
    pub(crate) local: Option<&'s CustomSchema>,
}

impl<'s> Cx<'s> {
    fn same(self, o: Cx<'_>) -> bool {
        fn eq(a: Option<&CustomSchema>, b: Option<&CustomSchema>) -> bool {
            match (a, b) {
                (None, None) => true,
                (Some(a), Some(b)) => std::ptr::eq(a, b),
                _ => false,
            }
        }
        eq(self.custom, o.custom) && eq(self.local, o.local)
    }

    pub(crate) fn at(self, loc: Loc) -> TypeRef<'s> {
        TypeRef { cx: self, loc }
    }

    /// A static row reached through a reference: a custom schema loaded over the builtin one
    /// may have replaced that definition (kyaml resolves `$ref`s by name in the merged
    /// definitions). `None`: the replacement does not resolve.
    fn static_target(self, row: u16) -> Option<Loc> {
        match self.custom {
            Some(c) if usize::from(row) < DEFS.len() => c.redirect(row),
            _ => Some(Loc::Static(row)),
        }
    }

    pub(crate) fn root_type_for(self, api_version: &str, kind: &str) -> Option<TypeRef<'s>> {
        let (group, version) = split_api_version(api_version);
        // kyaml looks the exact `apiVersion` text up: "/v1" is not "v1".
        let exact = !(group.is_empty() && version != api_version);
        let builtin = if exact {
            find_kind(group, version, kind).and_then(|k| (k.4 != NO).then_some(k.4))
        } else {
            None
        };
        let loc = match self.custom {
            None => builtin.map(Loc::Static),
            Some(c) => c.root(api_version, kind, builtin),
        };
        loc.map(|l| self.at(l))
    }
}

/// A list of names (merge keys, list-map keys): static or from a custom schema.
#[derive(Clone, Copy)]
pub enum Names<'s> {
    Static(&'static [&'static str]),
    Custom(&'s [Box<str>]),
}

impl<'s> Names<'s> {
    pub fn len(self) -> usize {
        match self {
            Names::Static(s) => s.len(),
            Names::Custom(s) => s.len(),
        }
    }
    pub fn is_empty(self) -> bool {
        self.len() == 0
    }
    pub fn get(self, i: usize) -> Option<&'s str> {
        match self {
            Names::Static(s) => s.get(i).copied(),
            Names::Custom(s) => s.get(i).map(|b| &**b),
        }
    }
    pub fn first(self) -> Option<&'s str> {
        self.get(0)
    }
    pub fn iter(self) -> impl Iterator<Item = &'s str> {
        (0..self.len()).filter_map(move |i| self.get(i))
    }
    pub fn to_vec(self) -> Vec<String> {
        self.iter().map(str::to_string).collect()
    }
}

impl std::fmt::Debug for Names<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl<const N: usize> PartialEq<&[&str; N]> for Names<'_> {
    fn eq(&self, o: &&[&str; N]) -> bool {
        self.len() == N && self.iter().zip(o.iter()).all(|(a, b)| a == *b)
    }
}

impl PartialEq for Names<'_> {
    fn eq(&self, o: &Names<'_>) -> bool {
        self.len() == o.len() && self.iter().zip(o.iter()).all(|(a, b)| a == b)
    }
}

/// A node of the schema: a definition (`io.k8s.api.core.v1.PodSpec`) or an inline schema
/// (a list, a map, a scalar). Cheap to copy; identical inline schemas of the builtin tables
/// share one node.
#[derive(Clone, Copy)]
pub struct TypeRef<'s> {
    cx: Cx<'s>,
    loc: Loc,
}

impl PartialEq for TypeRef<'_> {
    fn eq(&self, o: &TypeRef<'_>) -> bool {
        self.loc == o.loc && (matches!(self.loc, Loc::Static(_)) || self.cx.same(o.cx))
    }
}

impl Eq for TypeRef<'_> {}

impl std::fmt::Debug for TypeRef<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.loc {
            Loc::Static(i) => write!(f, "TypeRef(#{} {:?})", i, self.kind()),
            Loc::Custom(i) => write!(f, "TypeRef(custom #{} {:?})", i, self.kind()),
            Loc::Local(i) => write!(f, "TypeRef(comment #{} {:?})", i, self.kind()),
        }
    }
}

/// One node, whatever its arena.
enum View<'s> {
    Static(&'static TypeDef),
    Custom(&'s custom::CNode),
}

impl<'s> TypeRef<'s> {
    const fn new_static(row: u16) -> TypeRef<'static> {
        TypeRef {
            cx: Cx {
                custom: None,
                local: None,
            },
            loc: Loc::Static(row),
        }
    }

    #[inline(always)]
    fn view(self) -> View<'s> {
        match self.loc {
            Loc::Static(i) => View::Static(&TYPES[usize::from(i)]),
            Loc::Custom(i) => View::Custom(self.cx.custom.expect("custom schema").node(i)),
            Loc::Local(i) => View::Custom(self.cx.local.expect("comment schemas").node(i)),
        }
    }

    fn static_ext(t: &'static TypeDef) -> &'static ExtDef {
        &EXTS[usize::from(t.4)]
    }

    fn static_fields(t: &'static TypeDef) -> &'static [FieldDef] {
        let start = usize::from(t.1);
        &FIELDS[start..start + usize::from(t.2)]
    }

    /// What this node describes.
    pub fn kind(self) -> TypeKind {
        match self.view() {
            View::Static(t) => TypeKind::from_code(t.0),
            View::Custom(n) => n.kind,
        }
    }

    /// The schema of field `name` (kyaml `ResourceSchema.Field`): the declared property of that
    /// name, or else, for a map, the value type (any key). `None` when the schema has no such
    /// field (or its `$ref` does not resolve); kustomize then walks that subtree without a
    /// schema.
    pub fn field(self, name: &str) -> Option<FieldRef<'s>> {
        match self.view() {
            View::Static(t) => {
                let found = if t.2 == 0 {
                    None
                } else {
                    FIELD_INDEX
                        .get_or_init(FieldIndex::build)
                        .find(t.1, t.2, name)
                };
                if let Some(i) = found {
                    let f = &FIELDS[i];
                    let loc = self.cx.static_target(f.1)?;
                    return Some(FieldRef {
                        ty: self.cx.at(loc),
                        sib: EXTS[usize::from(f.2)].0,
                    });
                }
                let kind = TypeKind::from_code(t.0);
                if t.3 != NO && matches!(kind, TypeKind::Object | TypeKind::Map) {
                    let loc = self.cx.static_target(t.3)?;
                    return Some(FieldRef {
                        ty: self.cx.at(loc),
                        sib: None,
                    });
                }
                None
            }
            View::Custom(n) => {
                if let Some(p) = n.prop(name) {
                    return Some(FieldRef {
                        ty: self.cx.at(p.target?),
                        sib: p.sib_strategy.as_deref(),
                    });
                }
                // kyaml: additionalProperties whatever the `type`.
                let loc = n.additional?;
                Some(FieldRef {
                    ty: self.cx.at(loc?),
                    sib: None,
                })
            }
        }
    }

    /// The declared properties, sorted by name (byte order); properties whose `$ref` does not
    /// resolve are left out.
    pub fn fields(self) -> Vec<(&'s str, FieldRef<'s>)> {
        match self.view() {
            View::Static(t) => Self::static_fields(t)
                .iter()
                .filter_map(|f| {
                    let loc = self.cx.static_target(f.1)?;
                    Some((
                        f.0,
                        FieldRef {
                            ty: self.cx.at(loc),
                            sib: EXTS[usize::from(f.2)].0,
                        },
                    ))
                })
                .collect(),
            View::Custom(n) => n
                .props
                .iter()
                .filter_map(|p| {
                    Some((
                        &*p.name,
                        FieldRef {
                            ty: self.cx.at(p.target?),
                            sib: p.sib_strategy.as_deref(),
                        },
                    ))
                })
                .collect(),
        }
    }

    /// The element type of a list or the value type of a map.
    pub fn items(self) -> Option<TypeRef<'s>> {
        match self.view() {
            View::Static(t) => (t.3 != NO)
                .then(|| self.cx.static_target(t.3))
                .flatten()
                .map(|l| self.cx.at(l)),
            View::Custom(n) => {
                let link = if n.is_array { n.items } else { n.additional };
                link.flatten().map(|l| self.cx.at(l))
            }
        }
    }

    /// The element type of a list only (kyaml `ResourceSchema.Elements`, which requires
    /// `type: array`).
    pub fn elements(self) -> Option<TypeRef<'s>> {
        match self.view() {
            View::Static(t) => (TypeKind::from_code(t.0) == TypeKind::List && t.3 != NO)
                .then(|| self.cx.static_target(t.3))
                .flatten()
                .map(|l| self.cx.at(l)),
            View::Custom(n) => {
                if n.is_array {
                    n.items.flatten().map(|l| self.cx.at(l))
                } else {
                    None
                }
            }
        }
    }

    /// Follows a path as kyaml `ResourceSchema.Lookup` does: `"[]"` steps into list elements,
    /// anything else is a field name.
    pub fn lookup(self, path: &[&str]) -> Option<TypeRef<'s>> {
        let mut t = self;
        for step in path {
            t = if *step == "[]" {
                t.elements()?
            } else {
                t.field(step)?.ty()
            };
        }
        Some(t)
    }

    /// `x-kubernetes-patch-strategy` of this node: `merge`, `replace`, `retainKeys` or
    /// `merge,retainKeys`.
    pub fn patch_strategy(self) -> Option<&'s str> {
        match self.view() {
            View::Static(t) => Self::static_ext(t).0,
            View::Custom(n) => n.strategy.as_deref(),
        }
    }

    /// `x-kubernetes-patch-merge-key`.
    pub fn merge_key(self) -> Option<&'s str> {
        match self.view() {
            View::Static(t) => Self::static_ext(t).1.first().copied(),
            View::Custom(n) => n.merge_key.first().map(|s| &**s),
        }
    }

    /// `x-kubernetes-list-type`: `atomic`, `set` or `map`.
    pub fn list_type(self) -> Option<&'s str> {
        match self.view() {
            View::Static(t) => Self::static_ext(t).2,
            View::Custom(n) => n.list_type.as_deref(),
        }
    }

    /// `x-kubernetes-list-map-keys` (empty when absent).
    pub fn list_map_keys(self) -> Names<'s> {
        match self.view() {
            View::Static(t) => Names::Static(Self::static_ext(t).3),
            View::Custom(n) => Names::Custom(n.map_keys.as_deref().unwrap_or(&[])),
        }
    }

    /// The merge keys kyaml uses for an associative list (`PatchStrategyAndKeyList`): none
    /// without a patch strategy; else `x-kubernetes-list-map-keys` when present (e.g.
    /// `containerPort`, `protocol` for container ports); else the merge key; else none.
    pub fn merge_keys(self) -> Names<'s> {
        match self.view() {
            View::Static(t) => {
                let e = Self::static_ext(t);
                Names::Static(if e.0.is_none() {
                    &[]
                } else if !e.3.is_empty() {
                    e.3
                } else {
                    e.1
                })
            }
            View::Custom(n) => Names::Custom(if n.strategy.is_none() {
                &[]
            } else if let Some(keys) = &n.map_keys {
                keys
            } else {
                &n.merge_key
            }),
        }
    }

    /// Whether the patch strategy includes `merge` (kyaml `schemaHasMergeStrategy`, which
    /// decides that a sequence is merged element-wise rather than replaced).
    pub fn has_merge_strategy(self) -> bool {
        self.patch_strategy().is_some_and(has_merge_part)
    }
}

/// Whether a patch strategy (`merge,retainKeys`) has a `merge` part (split on bytes: this
/// runs for every list a merge walks).
fn has_merge_part(strategy: &str) -> bool {
    strategy
        .as_bytes()
        .split(|&c| c == b',')
        .any(|part| part == b"merge")
}

/// A field of an object (or the values of a map), as returned by [`TypeRef::field`].
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct FieldRef<'s> {
    ty: TypeRef<'s>,
    /// The patch strategy written beside a `$ref` (which kyaml ignores).
    sib: Option<&'s str>,
}

impl std::fmt::Debug for FieldRef<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "FieldRef({:?})", self.ty())
    }
}

impl<'s> FieldRef<'s> {
    /// The field's type (references resolved).
    pub fn ty(self) -> TypeRef<'s> {
        self.ty
    }

    /// The field's type kind.
    pub fn kind(self) -> TypeKind {
        self.ty().kind()
    }

    /// `x-kubernetes-patch-strategy` as kustomize sees it: that of the field's (resolved)
    /// schema. Lists carry it inline, so e.g. `containers` gives `merge`.
    pub fn patch_strategy(self) -> Option<&'s str> {
        self.ty().patch_strategy()
    }

    /// `x-kubernetes-patch-merge-key` of the field's schema.
    pub fn merge_key(self) -> Option<&'s str> {
        self.ty().merge_key()
    }

    /// `x-kubernetes-list-type` of the field's schema.
    pub fn list_type(self) -> Option<&'s str> {
        self.ty().list_type()
    }

    /// `x-kubernetes-list-map-keys` of the field's schema.
    pub fn list_map_keys(self) -> Names<'s> {
        self.ty().list_map_keys()
    }

    /// See [`TypeRef::merge_keys`].
    pub fn merge_keys(self) -> Names<'s> {
        self.ty().merge_keys()
    }

    /// See [`TypeRef::has_merge_strategy`].
    pub fn has_merge_strategy(self) -> bool {
        self.ty().has_merge_strategy()
    }

    /// The patch strategy written in the document for this property, including the one written
    /// beside a `$ref`, which kyaml drops when it resolves the reference (so kustomize ignores
    /// it): `DeploymentSpec.strategy` (`retainKeys`) and `PodDisruptionBudgetSpec.selector`
    /// (`replace`). For every other field this equals [`FieldRef::patch_strategy`].
    pub fn declared_patch_strategy(self) -> Option<&'s str> {
        self.sib.or_else(|| self.patch_strategy())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_row_is_found_by_its_name() {
        for k in KINDS.iter() {
            assert!(
                std::ptr::eq(find_kind(k.0, k.1, k.2).unwrap(), k),
                "{} {} {}",
                k.0,
                k.1,
                k.2
            );
        }
        assert!(find_kind("apps", "v1", "deployment").is_none());
        assert!(find_kind("", "v1", "Widget").is_none());
        assert!(find_kind("apps", "v1", "").is_none());
    }

    fn deployment() -> TypeRef<'static> {
        root_type("apps", "v1", "Deployment").expect("Deployment")
    }

    fn pod_spec() -> TypeRef<'static> {
        deployment()
            .lookup(&["spec", "template", "spec"])
            .expect("pod spec")
    }

    #[test]
    fn containers_merge_by_name() {
        let c = pod_spec().field("containers").unwrap();
        assert_eq!(c.kind(), TypeKind::List);
        assert_eq!(c.merge_key(), Some("name"));
        assert_eq!(c.patch_strategy(), Some("merge"));
        assert_eq!(c.merge_keys(), &["name"]);
        assert!(c.has_merge_strategy());
        let container = c.ty().items().unwrap();
        assert_eq!(container.kind(), TypeKind::Object);
        assert_eq!(
            container.field("image").map(|f| f.kind()),
            Some(TypeKind::String)
        );
        assert!(container.field("nope").is_none());
    }

    #[test]
    fn container_ports_merge_key() {
        let ports = pod_spec()
            .lookup(&["containers", "[]"])
            .unwrap()
            .field("ports")
            .unwrap();
        assert_eq!(ports.merge_key(), Some("containerPort"));
        assert_eq!(ports.patch_strategy(), Some("merge"));
        assert_eq!(ports.list_type(), Some("map"));
        assert_eq!(ports.list_map_keys(), &["containerPort", "protocol"]);
        // kyaml's PatchStrategyAndKeyList prefers x-kubernetes-list-map-keys.
        assert_eq!(ports.merge_keys(), &["containerPort", "protocol"]);
        let port = ports.ty().elements().unwrap();
        assert_eq!(
            port.field("containerPort").unwrap().kind(),
            TypeKind::Integer
        );
    }

    #[test]
    fn volumes_merge_retain_keys() {
        let v = pod_spec().field("volumes").unwrap();
        assert_eq!(v.merge_key(), Some("name"));
        assert_eq!(v.patch_strategy(), Some("merge,retainKeys"));
        assert!(v.has_merge_strategy());
        assert_eq!(v.merge_keys(), &["name"]);
    }

    #[test]
    fn other_list_metadata() {
        let spec = pod_spec();
        let env = spec.lookup(&["containers", "[]", "env"]).unwrap();
        assert_eq!(env.merge_key(), Some("name"));
        let mounts = spec
            .lookup(&["initContainers", "[]", "volumeMounts"])
            .unwrap();
        assert_eq!(mounts.merge_key(), Some("mountPath"));
        // Atomic list without a strategy: replaced, not merged.
        let args = spec.lookup(&["containers", "[]", "args"]).unwrap();
        assert_eq!(args.kind(), TypeKind::List);
        assert_eq!(args.patch_strategy(), None);
        assert!(!args.has_merge_strategy());
        assert_eq!(args.items().unwrap().kind(), TypeKind::String);
        let conds = deployment().lookup(&["status", "conditions"]).unwrap();
        assert_eq!(conds.merge_keys(), &["type"]);
        // A list-map without a patch strategy has no kyaml merge keys.
        let crd_conds = root_type("apiextensions.k8s.io", "v1", "CustomResourceDefinition")
            .unwrap()
            .lookup(&["status", "conditions"])
            .unwrap();
        assert_eq!(crd_conds.list_type(), Some("map"));
        assert_eq!(crd_conds.list_map_keys(), &["type"]);
        assert_eq!(crd_conds.patch_strategy(), None);
        assert!(crd_conds.merge_keys().is_empty());
        assert!(!crd_conds.has_merge_strategy());
        // Finalizers: merge strategy without a key (a set of scalars).
        let fin = deployment().lookup(&["metadata", "finalizers"]).unwrap();
        assert_eq!(fin.patch_strategy(), Some("merge"));
        assert_eq!(fin.merge_key(), None);
        assert!(fin.merge_keys().is_empty());
    }

    #[test]
    fn maps_and_shared_definitions() {
        let meta = deployment().field("metadata").unwrap().ty();
        let labels = meta.field("labels").unwrap().ty();
        assert_eq!(labels.kind(), TypeKind::Map);
        assert_eq!(labels.items().unwrap().kind(), TypeKind::String);
        assert_eq!(labels.field("app").unwrap().kind(), TypeKind::String);
        assert_eq!(labels.elements(), None);
        // ObjectMeta is one shared node.
        let cm = root_type("", "v1", "ConfigMap").unwrap();
        assert_eq!(cm.field("metadata").unwrap().ty(), meta);
        assert_eq!(
            cm.field("data").unwrap().ty().items().unwrap().kind(),
            TypeKind::String
        );
        // Map of lists.
        let extra = root_type("authentication.k8s.io", "v1", "TokenReview")
            .unwrap()
            .lookup(&["status", "user", "extra", "anykey"])
            .unwrap();
        assert_eq!(extra.kind(), TypeKind::List);
        // Recursive definitions.
        let crd = root_type("apiextensions.k8s.io", "v1", "CustomResourceDefinition").unwrap();
        let props = crd
            .lookup(&[
                "spec",
                "versions",
                "[]",
                "schema",
                "openAPIV3Schema",
                "properties",
            ])
            .unwrap();
        assert_eq!(props.kind(), TypeKind::Map);
        let inner = props.lookup(&["x", "properties", "y", "type"]).unwrap();
        assert_eq!(inner.kind(), TypeKind::String);
        // Scalars and untyped nodes have nothing below them.
        assert!(inner.field("a").is_none() && inner.items().is_none());
        let untyped = props.lookup(&["x", "default"]).unwrap();
        assert_eq!(untyped.kind(), TypeKind::Untyped);
        assert!(untyped.field("a").is_none());
        // Object without properties.
        let raw = root_type("apps", "v1", "ControllerRevision")
            .unwrap()
            .field("data")
            .unwrap();
        assert_eq!(raw.kind(), TypeKind::Object);
        assert!(raw.ty().field("a").is_none());
    }

    #[test]
    fn strategy_beside_ref_is_ignored_like_kyaml() {
        let strategy = deployment()
            .lookup(&["spec"])
            .unwrap()
            .field("strategy")
            .unwrap();
        assert_eq!(strategy.kind(), TypeKind::Object);
        assert_eq!(strategy.patch_strategy(), None);
        assert_eq!(strategy.declared_patch_strategy(), Some("retainKeys"));
        let sel = root_type("policy", "v1", "PodDisruptionBudget")
            .unwrap()
            .lookup(&["spec"])
            .unwrap()
            .field("selector")
            .unwrap();
        assert_eq!(sel.declared_patch_strategy(), Some("replace"));
        let c = pod_spec().field("containers").unwrap();
        assert_eq!(c.declared_patch_strategy(), Some("merge"));
    }

    #[test]
    fn scope() {
        assert!(is_cluster_scoped(
            "rbac.authorization.k8s.io/v1",
            "ClusterRole"
        ));
        assert!(is_cluster_scoped(
            "rbac.authorization.k8s.io/v1",
            "ClusterRoleBinding"
        ));
        assert!(is_cluster_scoped(
            "rbac.authorization.k8s.io/v1beta1",
            "ClusterRole"
        ));
        assert!(!is_cluster_scoped("v1", "ConfigMap"));
        assert_eq!(is_namespaced("", "v1", "ConfigMap"), Some(true));
        assert!(is_cluster_scoped("v1", "Namespace"));
        assert_eq!(is_namespaced("", "v1", "Namespace"), Some(false));
        for (av, k) in [
            ("apiextensions.k8s.io/v1", "CustomResourceDefinition"),
            ("apiextensions.k8s.io/v1beta1", "CustomResourceDefinition"),
            ("apiregistration.k8s.io/v1", "APIService"),
            ("v1", "PersistentVolume"),
            ("v1", "Node"),
            ("v1", "NodeProxyOptions"),
            ("storage.k8s.io/v1", "StorageClass"),
            (
                "admissionregistration.k8s.io/v1",
                "MutatingWebhookConfiguration",
            ),
            ("policy/v1beta1", "PodSecurityPolicy"),
            ("networking.k8s.io/v1", "IngressClass"),
            ("v1", "ComponentStatus"),
            // ParseGroupVersion + ApiVersion() turn "/v1" into "v1".
            ("/v1", "Namespace"),
        ] {
            assert!(is_cluster_scoped(av, k), "{av} {k}");
        }
        for (av, k) in [
            ("apps/v1", "Deployment"),
            ("v1", "PodExecOptions"),
            ("storage.k8s.io/v1beta1", "CSIStorageCapacity"),
        ] {
            assert!(!is_cluster_scoped(av, k), "{av} {k}");
        }
    }

    #[test]
    fn unknown_kinds_are_namespaced() {
        // Unknown to the schema => scope unknown => not certainly cluster-scoped, so kustomize
        // gives it a namespace.
        for (av, k) in [
            ("example.com/v1", "Foo"),
            ("rbac.authorization.k8s.io/v1alpha1", "ClusterRole"),
            ("rbac.authorization.k8s.io/v2", "ClusterRole"),
            ("v2", "Namespace"),
            ("v1", "namespace"),
            ("policy/v1", "PodSecurityPolicy"),
            ("storage.k8s.io/v1", "CSIStorageCapacity"),
            ("flowcontrol.apiserver.k8s.io/v1", "FlowSchema"),
            ("v1", "NamespaceList"),
            ("kustomize.config.k8s.io/v1beta1", "Kustomization"),
            ("", "Namespace"),
        ] {
            let (g, v) = split_api_version(av);
            assert!(!is_cluster_scoped(av, k), "{av} {k}");
            assert!(is_namespaced(g, v, k).unwrap_or(true), "{av} {k}");
        }
        assert_eq!(is_namespaced("example.com", "v1", "Foo"), None);
        assert!(!is_known_kind("example.com", "v1", "Foo"));
        assert!(root_type("example.com", "v1", "Foo").is_none());
        assert_eq!(is_namespaced("", "v1", "NamespaceList"), None);
    }

    #[test]
    fn kind_list() {
        assert!(is_known_kind("apps", "v1", "Deployment"));
        assert!(is_known_kind("", "v1", "NamespaceList"));
        assert!(is_known_kind("batch", "v1", "DeleteOptions"));
        assert!(is_known_kind("", "v1", "PodExecOptions"));
        assert!(root_type("", "v1", "PodExecOptions").is_none());
        assert!(!is_known_kind("apps", "v1beta1", "Deployment"));
        assert!(!is_known_kind("apps", "v1", "deployment"));
        let k = root_type_for("kustomize.config.k8s.io/v1beta1", "Kustomization").unwrap();
        let gens = k.field("configMapGenerator").unwrap();
        assert_eq!(gens.merge_keys(), &["name"]);
        assert_eq!(
            root_type_for("batch/v1", "DeleteOptions"),
            root_type("", "v1", "DeleteOptions")
        );
        assert_eq!(root_type_for("apps/v1", "Deployment"), Some(deployment()));
    }

    #[test]
    fn kind_index_finds_what_the_search_finds() {
        // Every row, and near misses of every row (other group, version, kind case, lengths).
        for k in KINDS.iter() {
            assert!(std::ptr::eq(
                find_kind(k.0, k.1, k.2).unwrap(),
                find_kind_by_search(k.0, k.1, k.2).unwrap()
            ));
            let lower = k.2.to_lowercase();
            let longer = format!("{}s", k.2);
            let shorter = &k.2[..k.2.len() - 1];
            let probes: [(&str, &str, &str); 7] = [
                ("", k.1, k.2),
                ("apps", k.1, k.2),
                (k.0, "v1", k.2),
                (k.0, "v2beta2", k.2),
                (k.0, k.1, &lower),
                (k.0, k.1, &longer),
                (k.0, k.1, shorter),
            ];
            for (g, v, kd) in probes {
                assert_eq!(
                    find_kind(g, v, kd).map(|r| r as *const KindDef),
                    find_kind_by_search(g, v, kd).map(|r| r as *const KindDef),
                    "{g} {v} {kd}"
                );
            }
        }
        for (g, v, kd) in [
            ("", "", ""),
            ("", "v1", ""),
            ("x.io", "v1", "Foo"),
            ("", "v1", "é"),
            ("apps", "v1", "Deployment"),
        ] {
            assert_eq!(
                find_kind(g, v, kd).is_some(),
                find_kind_by_search(g, v, kd).is_some()
            );
        }
        // Chains stay short.
        let ix = KindIndex::build();
        assert_eq!(ix.rows.len(), KINDS.len());
        let longest = ix
            .heads
            .iter()
            .map(|&h| {
                let (mut n, mut i) = (0, h);
                while i != NO {
                    n += 1;
                    i = ix.names[usize::from(i)].next;
                }
                n
            })
            .max()
            .unwrap();
        assert!(longest <= 4, "{longest}");
    }

    /// [`TypeRef::field`]'s lookup by binary search over the type's sorted fields (the
    /// reference the field index is tested against).
    fn field_by_search(t: &'static TypeDef, name: &str) -> Option<usize> {
        let defs = TypeRef::static_fields(t);
        defs.binary_search_by(|f| f.0.cmp(name))
            .ok()
            .map(|i| usize::from(t.1) + i)
    }

    #[test]
    fn field_index_finds_what_the_search_finds() {
        let ix = FieldIndex::build();
        let mut probes = 0;
        for t in TYPES.iter() {
            // Every field of the type, near misses of it, and the fields of other types.
            for f in TypeRef::static_fields(t) {
                let name = f.0;
                let longer = format!("{name}s");
                let upper = name.to_uppercase();
                let mid = format!(
                    "{}x{}",
                    &name[..name.len() / 2],
                    &name[name.len() / 2 + 1..]
                );
                for q in [
                    name,
                    &longer[..],
                    &name[..name.len() - 1],
                    &upper[..],
                    &mid[..],
                    "",
                ] {
                    assert_eq!(ix.find(t.1, t.2, q), field_by_search(t, q), "{q:?}");
                    probes += 1;
                }
            }
            for q in [
                "metadata",
                "spec",
                "containers",
                "name",
                "x",
                "é",
                "apiVersion",
            ] {
                assert_eq!(ix.find(t.1, t.2, q), field_by_search(t, q), "{q:?}");
            }
        }
        assert!(probes > 10_000);
        // Every field is in the table once, and runs of full slots stay short.
        assert_eq!(ix.slots.iter().filter(|&&s| s != NO).count(), FIELDS.len());
        let longest = ix
            .slots
            .split(|&s| s == NO)
            .map(|run| run.len())
            .max()
            .unwrap();
        assert!(longest <= 16, "{longest}");
        // Through `TypeRef::field`, maps answer every name with their value type.
        let labels = root_type("apps", "v1", "Deployment")
            .unwrap()
            .lookup(&["metadata", "labels"])
            .unwrap();
        assert_eq!(labels.field("").map(|f| f.kind()), Some(TypeKind::String));
    }

    #[test]
    fn same_text_is_equality() {
        let texts = [
            "",
            "a",
            "b",
            "ab",
            "ba",
            "abc",
            "abd",
            "xbc",
            "abcd",
            "abce",
            "abcde",
            "abdde",
            "abcdefg",
            "abcdefh",
            "bbcdefg",
            "abcdefgh",
            "abcdefgi",
            "bbcdefgh",
            "abcdefghijklmnop",
            "abcdefghijklmnoq",
            "abcdefgXijklmnop",
            "abcdefghijklmnopq",
            "abcdefghijklmnopr",
            "abcdefghXjklmnopq",
            "Deployment",
            "deployment",
            "networking.k8s.io",
            "v1",
            "v2",
            "héllo",
            "hèllo",
        ];
        for a in texts {
            for b in texts {
                assert_eq!(same_text(a, b), a == b, "{a:?} {b:?}");
            }
        }
    }

    #[test]
    fn merge_strategy_parts() {
        // Only a `merge` part counts, wherever it is in the list.
        for (s, want) in [
            ("merge", true),
            ("merge,retainKeys", true),
            ("retainKeys,merge", true),
            ("a,merge,b", true),
            ("retainKeys", false),
            ("replace", false),
            ("merged", false),
            ("merge ", false),
            ("", false),
            (",", false),
        ] {
            let got = has_merge_part(s);
            assert_eq!(got, s.split(',').any(|p| p == "merge"), "{s}");
            assert_eq!(got, want, "{s}");
        }
    }

    #[test]
    fn tables_are_consistent() {
        assert!(KINDS
            .windows(2)
            .all(|w| (w[0].0, w[0].1, w[0].2) < (w[1].0, w[1].1, w[1].2)));
        for (i, t) in TYPES.iter().enumerate() {
            let r = TypeRef::new_static(i as u16);
            let defs = TypeRef::static_fields(t);
            assert!(defs.windows(2).all(|w| w[0].0 < w[1].0), "type {i}");
            assert!(defs.iter().all(|f| usize::from(f.1) < TYPES.len()));
            assert!(defs.iter().all(|f| usize::from(f.2) < EXTS.len()));
            assert!(t.3 == NO || usize::from(t.3) < TYPES.len());
            assert!(usize::from(t.4) < EXTS.len());
            if r.kind() == TypeKind::Map {
                assert!(r.items().is_some());
            }
        }
        assert!(KINDS
            .iter()
            .all(|k| k.4 == NO || usize::from(k.4) < TYPES.len()));
        assert_eq!(KINDS.iter().filter(|k| k.3 != 0).count(), 82);
        // DEFS names the first rows of TYPES, sorted for binary search.
        assert!(DEFS.windows(2).all(|w| w[0].0 < w[1].0));
        assert!(DEFS.len() < TYPES.len());
        assert_eq!(
            find_def("io.k8s.api.core.v1.PodSpec"),
            Some((pod_spec_row(), false))
        );
        assert_eq!(DEFS.iter().filter(|d| d.1).count(), 5);
        assert!(KINDS
            .iter()
            .filter(|k| k.4 != NO)
            .all(|k| DEFS[usize::from(k.4)].1 == (k.0 == "kustomize.config.k8s.io")));
    }

    fn pod_spec_row() -> u16 {
        match pod_spec().loc {
            Loc::Static(i) => i,
            _ => unreachable!(),
        }
    }
}
