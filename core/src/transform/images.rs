//! ImageTagTransformer: kustomize's `images:` (and legacy `imageTags:`) field.
//!
//! kustomize v5.5.0 makes one transformer per `images` entry, each with the build's `images`
//! field specs, and each runs two passes over all resources, skipping
//! `CustomResourceDefinition`s:
//! 1. the legacy pass: every `image` field of a mapping inside a sequence held by any field
//!    named `containers` or `initContainers`, at any depth, whatever the kind;
//! 2. the field-spec pass: the fields the specs name (never created).
//!
//! A field is updated when its text matches `^NAME(:[a-zA-Z0-9_.{}-]*)?(@sha256:[a-zA-Z0-9_.{}-]*)?$`,
//! with NAME spliced in as a regular expression (so `.` matches any character). Both passes
//! apply, so a `tagSuffix` is appended twice to images both passes reach (kustomize does too).
//! The new value keeps the old scalar's quoting style and loses its tag, as kyaml's setter does.


use crate::error::{err, Error, Result};
use crate::fieldspec::{walk, Config, FieldSpec};
pub use crate::kustomization::Image;
use crate::resource::ResourceList;
use crate::yaml::{Node, Scalar};
use regex_lite::Regex;

/// One `images` entry and the fields to update.
#[derive(Clone, Debug, Default)]
pub struct ImageTagTransformer {
    pub image: Image,
    /// Borrowed when they are the builtin ones (no copy per entry).
    pub field_specs: std::borrow::Cow<'static, [FieldSpec]>,
}

impl ImageTagTransformer {
    pub fn new(image: Image, field_specs: Vec<FieldSpec>) -> Self {
        ImageTagTransformer { image, field_specs: field_specs.into() }
    }

    /// kustomize's configuration from a kustomization: one transformer per `images` entry (in
    /// order; legacy `imageTags` entries come after, already folded into `images` by the
    /// parser), each with `config.images` as its field specs.
    pub fn from_kustomization_images(images: &[Image], config: &Config) -> Vec<Self> {
        let defaults = crate::fieldspec::defaults();
        let specs = || -> std::borrow::Cow<'static, [FieldSpec]> {
            if std::ptr::eq(config, defaults) {
                std::borrow::Cow::Borrowed(defaults.images.as_slice())
            } else {
                config.images.clone().into()
            }
        };
        images.iter().map(|i| ImageTagTransformer { image: i.clone(), field_specs: specs() }).collect()
    }

    pub fn apply(&self, list: &mut ResourceList, _config: &Config) -> Result<()> {
        let matcher = Matcher::new(&self.image);
        for r in list.iter_mut() {
            if r.kind() == "CustomResourceDefinition" {
                continue;
            }
            legacy_walk(&mut r.node, &matcher)?;
        }
        let segments: Vec<Vec<String>> = self.field_specs.iter().map(|fs| fs.segments()).collect();
        for r in list.iter_mut() {
            if r.kind() == "CustomResourceDefinition" {
                continue;
            }
            let gvk = r.gvk();
            for (fs, segs) in self.field_specs.iter().zip(&segments).filter(|(fs, _)| fs.applies_to(&gvk)) {
                walk(&mut r.node, segs, None, &mut |n| matcher.set(n)).map_err(|e| {
                    Error::new(e.kind(), format!("considering field '{}' of object {}: {}", fs.path, r.cur_id(), e.message()))
                })?;
            }
        }
        Ok(())
    }
}

/// Runs consecutive `images` transformers as kustomize does (each over all resources, in
/// order). Two or more run from one plan of the fields they touch (see [`plan`]) when nothing
/// can fail: each resource is walked once instead of once per entry, and each field gets the
/// entries in order, each as many times as its passes reach it, as in the sequential run.
/// Otherwise (an error ahead, an invalid pattern, a null field the walk would turn into a
/// sequence) they run one by one on the untouched list, so any error is the one the
/// sequential order meets first.
pub fn apply_all(ts: &[&ImageTagTransformer], list: &mut ResourceList, config: &Config) -> Result<()> {
    if ts.len() >= 2 {
        let matchers: Vec<Matcher> = ts.iter().map(|t| Matcher::new(&t.image)).collect();
        if let Some(plan) = plan(ts, &matchers, list) {
            return plan.apply(ts, &matchers, list);
        }
    }
    for t in ts {
        t.apply(list, config)?;
    }
    Ok(())
}

/// The fields some `images` transformers would set, found without changing anything: for each
/// resource, the targets of the legacy pass, then those of each distinct list of field specs
/// (a target as many times as specs reach it). A target is its path of indices (mapping entry
/// or sequence item) from the resource's root; the plan's steps hold, per target, the path's
/// length then the path.
struct Plan {
    /// Which distinct field-spec list each transformer has (an index into the groups).
    group_of: Vec<usize>,
    groups: usize,
    steps: Vec<u32>,
    /// Per resource, `groups + 1` ranges of `steps` (legacy targets, then each group's), as
    /// consecutive boundaries: resource `i`'s range `j` is `bounds[i * (groups + 1) + j]` to
    /// the next boundary.
    bounds: Vec<u32>,
}

/// Whether two transformers' field-spec lists are equal (the same borrowed list without
/// comparing them).
fn same_specs(a: &[FieldSpec], b: &[FieldSpec]) -> bool {
    std::ptr::eq(a, b) || a == b
}

/// The split paths of `specs` ([`FieldSpec::segments_ref`]), in order; for the builtin list,
/// split once per process.
fn split_specs(specs: &[FieldSpec]) -> std::borrow::Cow<'_, [Vec<std::borrow::Cow<'_, str>>]> {
    let defaults = crate::fieldspec::defaults().images.as_slice();
    if std::ptr::eq(specs, defaults) {
        static DEFAULT: std::sync::OnceLock<Vec<Vec<std::borrow::Cow<'static, str>>>> = std::sync::OnceLock::new();
        return std::borrow::Cow::Borrowed(DEFAULT.get_or_init(|| defaults.iter().map(|fs| fs.segments_ref()).collect()).as_slice());
    }
    std::borrow::Cow::Owned(specs.iter().map(|fs| fs.segments_ref()).collect())
}

/// The plan of `ts` over `list`, or `None` when running them could fail (or could change the
/// shape of a resource): then they must run one by one.
fn plan(ts: &[&ImageTagTransformer], matchers: &[Matcher], list: &ResourceList) -> Option<Plan> {
    if matchers.iter().any(|m| !m.plain && m.re.is_err()) {
        return None;
    }
    let mut group_of = Vec::with_capacity(ts.len());
    let mut firsts: Vec<usize> = Vec::new();
    for (i, t) in ts.iter().enumerate() {
        match firsts.iter().position(|&f| same_specs(&ts[f].field_specs, &t.field_specs)) {
            Some(g) => group_of.push(g),
            None => {
                group_of.push(firsts.len());
                firsts.push(i);
            }
        }
    }
    let groups = firsts.len();
    let segments: Vec<std::borrow::Cow<'_, [Vec<std::borrow::Cow<'_, str>>]>> =
        firsts.iter().map(|&f| split_specs(&ts[f].field_specs)).collect();
    let mut steps: Vec<u32> = Vec::new();
    let mut bounds: Vec<u32> = Vec::with_capacity(list.len() * (groups + 1) + 1);
    let mut path: Vec<u32> = Vec::new();
    bounds.push(0);
    for r in list.iter() {
        if r.kind() == "CustomResourceDefinition" {
            bounds.extend(std::iter::repeat_n(steps.len() as u32, groups + 1));
            continue;
        }
        legacy_targets(&r.node, &mut path, &mut steps)?;
        bounds.push(steps.len() as u32);
        let gvk = crate::fieldspec::GvkParts::of(r);
        for (&f, group_segments) in firsts.iter().zip(&segments) {
            for (_, segs) in ts[f].field_specs.iter().zip(group_segments.iter()).filter(|(fs, _)| gvk.selected_by(fs)) {
                let from = steps.len();
                spec_targets(&r.node, segs, &mut path, &mut steps)?;
                // A spec that sets the kind or apiVersion changes which specs select the
                // resource for the next transformer (and whether it is a CRD).
                let top = segs.first().map(|s| s.as_ref()).map(|s| s.strip_suffix("[]").unwrap_or(s));
                if segs.len() == 1 && steps.len() > from && matches!(top, Some("kind" | "apiVersion")) {
                    return None;
                }
            }
            bounds.push(steps.len() as u32);
        }
    }
    Some(Plan { group_of, groups, steps, bounds })
}

impl Plan {
    /// Sets the planned fields: resource by resource, transformer by transformer, its legacy
    /// targets then its field specs' targets.
    fn apply(&self, ts: &[&ImageTagTransformer], matchers: &[Matcher], list: &mut ResourceList) -> Result<()> {
        if self.groups == 1 && matchers.len() > INDEX_MIN {
            if let Some(index) = NameIndex::new(matchers) {
                return self.apply_indexed(&index, matchers, list);
            }
        }
        let per = self.groups + 1;
        for (i, r) in list.iter_mut().enumerate() {
            let b = &self.bounds[i * per..=(i + 1) * per];
            if b[0] == b[per] {
                continue;
            }
            for (t, m) in matchers.iter().enumerate().take(ts.len()) {
                let g = self.group_of[t];
                for range in [(b[0], b[1]), (b[g + 1], b[g + 2])] {
                    let mut at = range.0 as usize;
                    while at < range.1 as usize {
                        let len = self.steps[at] as usize;
                        let target = &self.steps[at + 1..at + 1 + len];
                        at += 1 + len;
                        let node = node_at(&mut r.node, target)
                            .ok_or_else(|| err!(Transform, "images: a planned field is gone"))?;
                        m.set(node)?;
                    }
                }
            }
        }
        Ok(())
    }
}

impl Plan {
    /// [`Plan::apply`] for transformers that share their field specs (so every one reaches the
    /// same fields, each as many times): field by field, the entries that can match its
    /// current value are found by name ([`NameIndex`]) in entry order, each applied as many
    /// times as the field is reached, and the next one is looked up for the changed value.
    /// Entries that cannot match are skipped, which is what testing them would do.
    fn apply_indexed(&self, index: &NameIndex, matchers: &[Matcher], list: &mut ResourceList) -> Result<()> {
        let per = self.groups + 1;
        let mut targets: Vec<(&[u32], usize)> = Vec::new();
        for (i, r) in list.iter_mut().enumerate() {
            let b = &self.bounds[i * per..=(i + 1) * per];
            targets.clear();
            let mut at = b[0] as usize;
            while at < b[per] as usize {
                let len = self.steps[at] as usize;
                let target = &self.steps[at + 1..at + 1 + len];
                at += 1 + len;
                match targets.iter_mut().find(|(t, _)| *t == target) {
                    Some((_, n)) => *n += 1,
                    None => targets.push((target, 1)),
                }
            }
            for &(target, times) in &targets {
                let node = node_at(&mut r.node, target).ok_or_else(|| err!(Transform, "images: a planned field is gone"))?;
                let mut from = 0;
                loop {
                    let Node::Scalar(s) = &*node else { break };
                    let Some(t) = index.next(&s.value, from, matchers) else { break };
                    for _ in 0..times {
                        matchers[t].set(node)?;
                    }
                    from = t + 1;
                }
            }
        }
        Ok(())
    }
}

/// More entries than this are looked up by name; fewer are simply tried in turn.
const INDEX_MIN: usize = 8;

/// Plain `images` entries (names without regex syntax but `.`, all ASCII) by the image names
/// they can match: by name length, then the exact name for names without `.`, or the name
/// with the bytes at its `.` positions (any character there) masked, for names with `.`.
struct NameIndex {
    by_len: crate::fasthash::FastMap<usize, LenBucket>,
}

#[derive(Default)]
struct LenBucket {
    exact: crate::fasthash::FastMap<Box<[u8]>, Vec<usize>>,
    /// Per distinct set of `.` positions, the masked names.
    masked: Vec<(Vec<usize>, crate::fasthash::FastMap<Box<[u8]>, Vec<usize>>)>,
}

fn masked(bytes: &[u8], dots: &[usize]) -> Box<[u8]> {
    let mut v = bytes.to_vec();
    for &d in dots {
        v[d] = b'.';
    }
    v.into_boxed_slice()
}

impl NameIndex {
    /// `None` unless every entry is plain and ASCII.
    fn new(matchers: &[Matcher]) -> Option<NameIndex> {
        let mut by_len: crate::fasthash::FastMap<usize, LenBucket> = Default::default();
        for (t, m) in matchers.iter().enumerate() {
            let name = m.image.name.as_bytes();
            if !m.plain || !name.is_ascii() {
                return None;
            }
            let bucket = by_len.entry(name.len()).or_default();
            let dots: Vec<usize> = name.iter().enumerate().filter(|(_, &c)| c == b'.').map(|(i, _)| i).collect();
            if dots.is_empty() {
                bucket.exact.entry(name.into()).or_default().push(t);
            } else {
                let k = match bucket.masked.iter().position(|(d, _)| *d == dots) {
                    Some(k) => k,
                    None => {
                        bucket.masked.push((dots, Default::default()));
                        bucket.masked.len() - 1
                    }
                };
                bucket.masked[k].1.entry(name.into()).or_default().push(t);
            }
        }
        Some(NameIndex { by_len })
    }

    /// The first entry at `from` or later that matches `value`, by [`plain_match`] (a value
    /// that is not ASCII tries every entry in turn).
    fn next(&self, value: &str, from: usize, matchers: &[Matcher]) -> Option<usize> {
        if !value.is_ascii() {
            return (from..matchers.len()).find(|&t| plain_match(&matchers[t].image.name, value));
        }
        let v = value.as_bytes();
        let mut best: Option<usize> = None;
        let mut consider = |list: Option<&Vec<usize>>| {
            if let Some(list) = list {
                // Ascending: the first at `from` or later.
                let k = list.partition_point(|&t| t < from);
                if let Some(&t) = list.get(k) {
                    if best.is_none_or(|b| t < b) {
                        best = Some(t);
                    }
                }
            }
        };
        // The lengths the name can have: where the rest is an optional tag then digest.
        for len in (0..=v.len()).filter(|&l| l == v.len() || v[l] == b':' || v[l] == b'@') {
            let Some(bucket) = self.by_len.get(&len) else { continue };
            if !suffix_ok(&value[len..]) {
                continue;
            }
            let head = &v[..len];
            consider(bucket.exact.get(head));
            for (dots, names) in &bucket.masked {
                consider(names.get(&masked(head, dots)));
            }
        }
        // The candidates are exact up to `.` matching a newline: check the one chosen, and
        // look further when it does not match.
        match best {
            Some(t) if plain_match(&matchers[t].image.name, value) => Some(t),
            Some(t) => self.next(value, t + 1, matchers),
            None => None,
        }
    }
}

/// What [`plain_match`] accepts after the name: an optional `:tag`, then an optional
/// `@sha256:digest`.
fn suffix_ok(mut rest: &str) -> bool {
    let allowed = |c: char| c.is_ascii_alphanumeric() || "_.{}-".contains(c);
    let skip = |t: &str| -> usize { t.find(|c: char| !allowed(c)).unwrap_or(t.len()) };
    if let Some(t) = rest.strip_prefix(':') {
        rest = &t[skip(t)..];
    }
    if let Some(t) = rest.strip_prefix("@sha256:") {
        rest = &t[skip(t)..];
    }
    rest.is_empty()
}

/// The node at a path of indices, if the shape still has it.
fn node_at<'a>(mut n: &'a mut Node, path: &[u32]) -> Option<&'a mut Node> {
    for &i in path {
        n = match n {
            Node::Map(m) => &mut m.entries.get_mut(i as usize)?.value,
            Node::Seq(items) => items.get_mut(i as usize)?,
            Node::Scalar(_) => return None,
        };
    }
    Some(n)
}

fn push_target(path: &[u32], steps: &mut Vec<u32>) {
    steps.push(path.len() as u32);
    steps.extend_from_slice(path);
}

/// The targets of [`legacy_walk`] below `node` (`path` leads to it), or `None` when the pass
/// would fail there.
fn legacy_targets(node: &Node, path: &mut Vec<u32>, steps: &mut Vec<u32>) -> Option<()> {
    match node {
        Node::Map(map) => {
            for (i, e) in map.entries.iter().enumerate() {
                if matches!(e.value, Node::Scalar(_)) {
                    continue;
                }
                path.push(i as u32);
                legacy_targets(&e.value, path, steps)?;
                if let Node::Seq(items) = &e.value {
                    if e.key == "containers" || e.key == "initContainers" {
                        for (j, it) in items.iter().enumerate() {
                            if it.is_null() {
                                continue;
                            }
                            let Node::Map(c) = it else { return None };
                            if let Some(k) = c.entries.iter().position(|e| e.key == "image") {
                                if !matches!(c.entries[k].value, Node::Scalar(_)) {
                                    return None;
                                }
                                path.push(j as u32);
                                path.push(k as u32);
                                push_target(path, steps);
                                path.truncate(path.len() - 2);
                            }
                        }
                    }
                }
                path.pop();
            }
        }
        Node::Seq(items) => {
            for (i, it) in items.iter().enumerate() {
                if matches!(it, Node::Scalar(_)) {
                    continue;
                }
                path.push(i as u32);
                legacy_targets(it, path, steps)?;
                path.pop();
            }
        }
        Node::Scalar(_) => {}
    }
    Some(())
}

/// The targets of [`walk`] (without creation) along `segs` below `node`, or `None` when the walk
/// would fail, would set a field that is not a scalar, or would turn a null field into a
/// sequence.
fn spec_targets<S: AsRef<str>>(node: &Node, segs: &[S], path: &mut Vec<u32>, steps: &mut Vec<u32>) -> Option<()> {
    if segs.is_empty() {
        if !matches!(node, Node::Scalar(_)) {
            return None;
        }
        push_target(path, steps);
        return Some(());
    }
    if node.is_null() {
        return Some(());
    }
    match node {
        Node::Seq(items) => {
            for (i, it) in items.iter().enumerate() {
                path.push(i as u32);
                spec_targets(it, segs, path, steps)?;
                path.pop();
            }
            Some(())
        }
        Node::Map(m) => {
            let first = segs[0].as_ref();
            let (name, is_seq) = match first.strip_suffix("[]") {
                Some(n) => (n, true),
                None => (first, false),
            };
            let Some(i) = m.entries.iter().position(|e| e.key == name) else { return Some(()) };
            let child = &m.entries[i].value;
            if is_seq && child.is_null() {
                return None;
            }
            path.push(i as u32);
            spec_targets(child, &segs[1..], path, steps)?;
            path.pop();
            Some(())
        }
        Node::Scalar(_) => None,
    }
}

struct Matcher<'a> {
    image: &'a Image,
    /// The name has no regex syntax: matched without the engine.
    plain: bool,
    re: std::result::Result<Regex, String>,
}

impl<'a> Matcher<'a> {
    /// The matcher of an `images` entry. A name without regex syntax is matched without the
    /// regex engine (see [`is_plain_name`]); others are compiled up front, but an invalid
    /// pattern only fails once a value is tested (kustomize panics at that point).
    fn new(image: &'a Image) -> Self {
        let plain = is_plain_name(&image.name);
        let re = if plain {
            Err(String::new())
        } else {
            let pattern = format!("^{}(:[a-zA-Z0-9_.{{}}-]*)?(@sha256:[a-zA-Z0-9_.{{}}-]*)?$", image.name);
            Regex::new(&pattern).map_err(|e| e.to_string())
        };
        Matcher { image, plain, re }
    }


    /// kustomize's imageTagUpdater.SetImageValue on one field.
    fn set(&self, node: &mut Node) -> Result<()> {
        let Node::Scalar(s) = node else {
            return Err(wrong_kind("ScalarNode", node));
        };
        let matched = if self.plain {
            plain_match(&self.image.name, &s.value)
        } else {
            let re = self.re.as_ref().map_err(|e| err!(Transform, "invalid image name {:?}: {}", self.image.name, e))?;
            re.is_match(&s.value)
        };
        if !matched {
            return Ok(());
        }
        let value = updated(&s.value, self.image);
        *s = Scalar { value, style: s.style, tag: None };
        Ok(())
    }
}

/// The image pattern `^NAME(:[a-zA-Z0-9_.{}-]*)?(@sha256:[a-zA-Z0-9_.{}-]*)?$` tested without
/// the regex engine when NAME has no regex syntax but `.` (any character but a newline):
/// `None` when it has.
#[cfg(test)]
fn plain_name_match(name: &str, value: &str) -> Option<bool> {
    is_plain_name(name).then(|| plain_match(name, value))
}

/// Whether an image name has no regex syntax (but `.`): such a name is matched by
/// [`plain_match`] without the regex engine.
fn is_plain_name(name: &str) -> bool {
    // REGEX_SYNTAX is ASCII: a byte table is the same test as one on chars.
    const SYNTAX: [bool; 256] = {
        let mut t = [false; 256];
        let s = super::select::REGEX_SYNTAX.as_bytes();
        let mut i = 0;
        while i < s.len() {
            t[s[i] as usize] = true;
            i += 1;
        }
        t
    };
    !name.bytes().any(|b| SYNTAX[usize::from(b)])
}

/// The image pattern `^NAME(:[a-zA-Z0-9_.{}-]*)?(@sha256:[a-zA-Z0-9_.{}-]*)?$` for a plain NAME
/// (see [`is_plain_name`]; `.` stands for any character but a newline).
fn plain_match(name: &str, value: &str) -> bool {
    // Byte by byte when the name and the value's bytes it spans are ASCII (then bytes are
    // chars, and the rest starts on a char boundary).
    let (nb, vb) = (name.as_bytes(), value.as_bytes());
    if nb.len() <= vb.len() && nb.is_ascii() && vb[..nb.len()].is_ascii() {
        let same = nb.iter().zip(vb).all(|(&n, &v)| n == v || (n == b'.' && v != b'\n'));
        return same && suffix_ok(&value[nb.len()..]);
    }
    let mut v = value.chars();
    for nc in name.chars() {
        match v.next() {
            Some(vc) if vc == nc || (nc == '.' && vc != '\n') => {}
            _ => return false,
        }
    }
    suffix_ok(v.as_str())
}

/// The new reference for a matching image: name, tag and digest replaced as the entry says.
fn updated(value: &str, img: &Image) -> String {
    let (name, tag, digest) = split(value);
    let name = if img.new_name.is_empty() { name } else { img.new_name.as_str() };
    // The tag (in two parts: the old tag and the suffix appended to it) and the digest.
    let (tag, suffix, digest) = if !img.new_tag.is_empty() {
        (img.new_tag.as_str(), "", img.digest.as_str())
    } else if !img.digest.is_empty() {
        ("", "", img.digest.as_str())
    } else if !img.tag_suffix.is_empty() {
        (tag, img.tag_suffix.as_str(), "")
    } else {
        (tag, "", digest)
    };
    // Built in one string.
    let mut out = String::with_capacity(name.len() + tag.len() + suffix.len() + digest.len() + 2);
    out.push_str(name);
    if !tag.is_empty() || !suffix.is_empty() {
        out.push(':');
        out.push_str(tag);
        out.push_str(suffix);
    }
    if !digest.is_empty() {
        out.push('@');
        out.push_str(digest);
    }
    out
}

/// kustomize's image.Split: `[host[:port]/]path[:tag][@digest]` into (name, tag, digest); the
/// `:` and `@` are looked for after the first `/` (when it is not the first character).
pub fn split(image: &str) -> (&str, &str, &str) {
    let base = match image.find('/') {
        Some(i) if i > 0 => i,
        _ => 0,
    };
    // The first `@` and the first `:` after `base`, in one pass over the bytes (both are
    // ASCII: the cuts are on char boundaries).
    let (mut at, mut colon) = (None, None);
    for (i, &b) in image.as_bytes().iter().enumerate().skip(base) {
        match b {
            b'@' if at.is_none() => at = Some(i),
            b':' if colon.is_none() => colon = Some(i),
            _ => continue,
        }
        if at.is_some() && colon.is_some() {
            break;
        }
    }
    match (colon, at) {
        (None, None) => (image, "", ""),
        (Some(c), Some(d)) if c < d => (&image[..c], &image[c + 1..d], &image[d + 1..]),
        (_, Some(d)) => (&image[..d], "", &image[d + 1..]),
        (Some(c), None) => (&image[..c], &image[c + 1..], ""),
    }
}

/// The legacy pass: depth first, in field order, each `containers`/`initContainers` field
/// handled after its own value has been walked.
fn legacy_walk(node: &mut Node, m: &Matcher) -> Result<()> {
    match node {
        Node::Map(map) => {
            for e in map.entries.iter_mut() {
                if matches!(e.value, Node::Scalar(_)) {
                    continue;
                }
                legacy_walk(&mut e.value, m)?;
                if e.key == "containers" || e.key == "initContainers" {
                    update_containers(&mut e.value, m)?;
                }
            }
        }
        Node::Seq(items) => {
            for it in items.iter_mut().filter(|it| !matches!(it, Node::Scalar(_))) {
                legacy_walk(it, m)?;
            }
        }
        Node::Scalar(_) => {}
    }
    Ok(())
}

fn update_containers(node: &mut Node, m: &Matcher) -> Result<()> {
    let Node::Seq(items) = node else { return Ok(()) };
    for it in items.iter_mut() {
        if it.is_null() {
            continue;
        }
        let Node::Map(c) = it else {
            return Err(wrong_kind("MappingNode", it));
        };
        if let Some(image) = c.get_mut("image") {
            m.set(image)?;
        }
    }
    Ok(())
}

/// kyaml's InvalidNodeKindError text.
fn wrong_kind(expected: &str, node: &Node) -> Error {
    let got = match node {
        Node::Scalar(_) => "ScalarNode",
        Node::Seq(_) => "SequenceNode",
        Node::Map(_) => "MappingNode",
    };
    err!(Transform, "wrong node kind: expected {} but got {}: node contents:\n{}", expected, got, crate::yaml::to_string(node))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_names_match_as_the_regex_does() {
        let names = ["nginx", "registry.example.com/team/app", "a.b", "x"];
        let values = [
            "nginx", "nginx:1.2", "nginx@sha256:abc", "nginx:1@sha256:d", "nginx:", "nginx:1:2", "nginxx", "ngin",
            "nginx@sha256:", "nginx@sha1:x", "nginx:{a}.b-c_d", "nginx:a b", "registry.example.com/team/app:1",
            "registryXexampleYcom/team/app", "a\nb", "aXb@sha256:1", "x:é", "é", "", "aéb", "aéb:1", "a\nb:1", "é:1",
            "nginé", "registry.example.com/team/appé", "registryéexample.com/team/app:v",
        ];
        for n in names {
            let re = Regex::new(&format!("^{}(:[a-zA-Z0-9_.{{}}-]*)?(@sha256:[a-zA-Z0-9_.{{}}-]*)?$", n)).unwrap();
            for v in values {
                assert_eq!(plain_name_match(n, v), Some(re.is_match(v)), "{} {}", n, v);
            }
        }
        assert_eq!(plain_name_match("a*", "a"), None);
    }
    use crate::resource::Resource;
    use crate::testing::Gen;

    fn run(images: &[Image], input: &str) -> Result<String> {
        let mut list = ResourceList::new();
        for n in crate::yaml::load_documents(input).unwrap() {
            list.append(Resource::new(n)).unwrap();
        }
        let config = crate::fieldspec::defaults();
        for t in ImageTagTransformer::from_kustomization_images(images, config) {
            t.apply(&mut list, config)?;
        }
        crate::yaml::to_string_stream(list.iter().map(|r| &r.node))
    }

    fn img(name: &str, new_name: &str, new_tag: &str, digest: &str, tag_suffix: &str) -> Image {
        Image { name: name.into(), new_name: new_name.into(), new_tag: new_tag.into(), digest: digest.into(), tag_suffix: tag_suffix.into() }
    }

    #[test]
    fn splits() {
        assert_eq!(split("nginx"), ("nginx", "", ""));
        assert_eq!(split("localhost:5000/foo"), ("localhost:5000/foo", "", ""));
        assert_eq!(split("localhost:5000/foo:v1@sha256:x"), ("localhost:5000/foo", "v1", "sha256:x"));
        assert_eq!(split("a/b@sha256:x:y"), ("a/b", "", "sha256:x:y"));
        assert_eq!(split("/a:b"), ("/a", "b", ""));
    }

    /// [`split`] and [`updated`] as first written here (three searches; the new value built
    /// from owned parts): what the one-pass versions must give.
    fn split_reference(image: &str) -> (&str, &str, &str) {
        let base = match image.find('/') {
            Some(i) if i > 0 => i,
            _ => 0,
        };
        let search = &image[base..];
        let at = search.find('@').map(|i| i + base);
        let colon = search.find(':').map(|i| i + base);
        match (colon, at) {
            (None, None) => (image, "", ""),
            (Some(c), Some(d)) if c < d => (&image[..c], &image[c + 1..d], &image[d + 1..]),
            (_, Some(d)) => (&image[..d], "", &image[d + 1..]),
            (Some(c), None) => (&image[..c], &image[c + 1..], ""),
        }
    }
    fn updated_reference(value: &str, img: &Image) -> String {
        let (name, tag, digest) = split_reference(value);
        let mut name = if img.new_name.is_empty() { name.to_string() } else { img.new_name.clone() };
        let (mut tag, mut digest) = (tag.to_string(), digest.to_string());
        if !img.new_tag.is_empty() {
            tag = img.new_tag.clone();
            digest = img.digest.clone();
        } else if !img.digest.is_empty() {
            tag.clear();
            digest = img.digest.clone();
        } else if !img.tag_suffix.is_empty() {
            tag.push_str(&img.tag_suffix);
            digest.clear();
        }
        if !tag.is_empty() {
            name.push(':');
            name.push_str(&tag);
        }
        if !digest.is_empty() {
            name.push('@');
            name.push_str(&digest);
        }
        name
    }

    #[test]
    fn split_and_update_are_the_reference_ones() {
        // Every string of up to 5 characters over the bytes that matter, and real references.
        let alphabet = ["/", ":", "@", "a", "é"];
        let mut values = vec![String::new()];
        let mut last = vec![String::new()];
        for _ in 0..5 {
            last = last.iter().flat_map(|p| alphabet.iter().map(move |c| format!("{p}{c}"))).collect();
            values.extend(last.iter().cloned());
        }
        values.extend(
            ["localhost:5000/foo:v1@sha256:x", "registry.example.com/team/app:1.2@sha256:abc", "a/b@sha256:x:y", "/a:b", "nginx"]
                .map(String::from),
        );
        let entries = [
            img("x", "", "", "", ""),
            img("x", "new", "", "", ""),
            img("x", "", "v2", "", ""),
            img("x", "", "v2", "sha256:d", ""),
            img("x", "", "", "sha256:d", ""),
            img("x", "", "", "", "-sfx"),
            img("x", "n/m", "", "sha256:d", "-sfx"),
            img("x", "n", "t", "", "-sfx"),
        ];
        let mut cut = 0;
        for v in &values {
            assert_eq!(split(v), split_reference(v), "{v:?}");
            cut += usize::from(split(v).0 != v);
            for e in &entries {
                assert_eq!(updated(v, e), updated_reference(v, e), "{v:?} {e:?}");
            }
        }
        assert!(cut > values.len() / 3, "{cut} of {}", values.len());
    }

    #[test]
    fn builtin_specs_are_shared_and_split_once() {
        let config = crate::fieldspec::defaults();
        let ts = ImageTagTransformer::from_kustomization_images(&[img("a", "", "1", "", ""), img("b", "", "2", "", "")], config);
        assert!(ts.iter().all(|t| std::ptr::eq(&*t.field_specs, config.images.as_slice())));
        // A copy of the builtin config gets its own lists, equal to the builtin ones.
        let copy = config.clone();
        let own = ImageTagTransformer::from_kustomization_images(&[img("a", "", "1", "", "")], &copy);
        assert!(!std::ptr::eq(&*own[0].field_specs, config.images.as_slice()));
        assert!(same_specs(&own[0].field_specs, &ts[0].field_specs) && same_specs(&ts[0].field_specs, &ts[1].field_specs));
        assert!(!same_specs(&own[0].field_specs, &config.images[1..]));
        let want: Vec<Vec<String>> = config.images.iter().map(|fs| fs.segments()).collect();
        for specs in [&ts[0].field_specs, &own[0].field_specs] {
            let got: Vec<Vec<String>> = split_specs(specs).iter().map(|p| p.iter().map(|s| s.to_string()).collect()).collect();
            assert_eq!(got, want);
        }
        assert!(matches!(split_specs(&ts[0].field_specs), std::borrow::Cow::Borrowed(_)));
        assert!(matches!(split_specs(&own[0].field_specs), std::borrow::Cow::Owned(_)));
    }

    #[test]
    fn updates_like_kustomize() {
        let images = [
            img("redis", "", "", "", "-alpine"),
            img("nginx", "456", "", "", ""),
            img("localhost:5000/foo", "", "v1", "", ""),
            img("busy.ox", "", "", "sha256:abc", ""),
            img("tagged", "t2", "1.3.0", "sha256:xyz", ""),
        ];
        let input = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n  template:\n    spec:\n      containers:\n      - image: redis:6.2.6\n      - image: nginx\n      - image: \"nginx:1\"\n      - image: localhost:5000/foo:old@sha256:zzz\n      - image: busybox:1\n      - image: busyXox:1\n      - image: tagged:1@sha256:1\n      initContainers:\n      - image: localhost:5000/foo\n---\napiVersion: example.com/v1\nkind: Foo\nmetadata:\n  name: f\nspec:\n  deep:\n    containers:\n    - image: redis\n    - name: noimage\n    -\n  other:\n    image: redis\n  image: redis\n---\napiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: c\nspec:\n  containers:\n  - image: nginx\n";
        // kubectl kustomize (v5.5.0) output, with the resources in input order.
        let want = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n  template:\n    spec:\n      containers:\n      - image: redis:6.2.6-alpine-alpine\n      - image: 456\n      - image: \"456:1\"\n      - image: localhost:5000/foo:v1\n      - image: busybox@sha256:abc\n      - image: busyXox@sha256:abc\n      - image: t2:1.3.0@sha256:xyz\n      initContainers:\n      - image: localhost:5000/foo:v1\n---\napiVersion: example.com/v1\nkind: Foo\nmetadata:\n  name: f\nspec:\n  deep:\n    containers:\n    - image: redis:-alpine\n    - name: noimage\n    - null\n  image: redis\n  other:\n    image: redis\n---\napiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: c\nspec:\n  containers:\n  - image: nginx\n";
        assert_eq!(run(&images, input).unwrap(), want);
    }

    #[test]
    fn field_spec_pass_and_regex_names() {
        let images = [img("ngi.x.*", "", "v2", "", ""), img("(foo|bar)/[a-c]+", "X", "", "", "")];
        let input = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: f\nspec:\n  containers:\n    image: nginx\n  initContainers:\n  - image: nginx-foo:1\n  - image: foo/abc@sha256:1\n  - image: bar/abd\n  - image: NGINX\n  - image: null\n";
        let want = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: f\nspec:\n  containers:\n    image: nginx:v2\n  initContainers:\n  - image: nginx-foo:v2\n  - image: X@sha256:1\n  - image: bar/abd\n  - image: NGINX\n  - image: null\n";
        assert_eq!(run(&images, input).unwrap(), want);
    }

    #[test]
    fn errors() {
        let images = [img("nginx", "", "v2", "", "")];
        let e = run(&images, "apiVersion: example.com/v1\nkind: Foo\nmetadata:\n  name: f\nspec:\n  containers:\n  - foo\n").unwrap_err();
        assert_eq!(e.message(), "wrong node kind: expected MappingNode but got ScalarNode: node contents:\nfoo\n");
        let e = run(&images, "apiVersion: v1\nkind: Pod\nmetadata:\n  name: f\nspec:\n  containers:\n    image:\n      a: b\n").unwrap_err();
        assert_eq!(
            e.message(),
            "considering field 'spec/containers[]/image' of object Pod.v1.[noGrp]/f.[noNs]: wrong node kind: expected ScalarNode but got MappingNode: node contents:\na: b\n"
        );
        let e = run(&images, "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: f\n  namespace: ns\nspec:\n  template: foo\n").unwrap_err();
        assert_eq!(e.message(), "considering field 'spec/template/spec/containers[]/image' of object Deployment.v1.apps/f.ns: expected sequence or mapping node");
        let bad = [img("ngi(x", "", "v2", "", "")];
        assert!(run(&bad, "apiVersion: v1\nkind: Pod\nmetadata:\n  name: f\n").is_ok());
        assert!(run(&bad, "apiVersion: v1\nkind: Pod\nmetadata:\n  name: f\nspec:\n  containers:\n  - image: x\n").is_err());
    }

    /// Runs the transformers one by one (the reference) and through [`apply_all`]; returns both
    /// outcomes (output or error message) and whether the plan was used.
    fn both(ts: &[ImageTagTransformer], input: &str) -> (std::result::Result<String, String>, std::result::Result<String, String>, bool) {
        let load = || {
            let mut list = ResourceList::new();
            for n in crate::yaml::load_documents(input).unwrap() {
                list.append(Resource::new(n)).unwrap();
            }
            list
        };
        let config = crate::fieldspec::defaults();
        let out = |l: &ResourceList| crate::yaml::to_string_stream(l.iter().map(|r| &r.node)).unwrap();
        let mut seq = load();
        let want = ts.iter().try_for_each(|t| t.apply(&mut seq, config)).map(|()| out(&seq)).map_err(|e| e.message().to_string());
        let mut fused = load();
        let refs: Vec<&ImageTagTransformer> = ts.iter().collect();
        let matchers: Vec<Matcher> = refs.iter().map(|t| Matcher::new(&t.image)).collect();
        let planned = ts.len() >= 2 && plan(&refs, &matchers, &fused).is_some();
        let got = apply_all(&refs, &mut fused, config).map(|()| out(&fused)).map_err(|e| e.message().to_string());
        (want, got, planned)
    }

    /// One item of a containers list, its lines indented by `ind`.
    fn gen_container(g: &mut Gen, names: &[&str], ind: &str) -> String {
        match g.next(40) {
            0 => format!("{ind}-\n"),
            1 => format!("{ind}- name: noimage\n"),
            2 => format!("{ind}- just-a-scalar\n"),
            3 => format!("{ind}- image:\n{ind}    nested: map\n"),
            4 => format!("{ind}- image: null\n"),
            5..=9 => format!("{ind}- image: {}\n{ind}  containers:\n{ind}  - image: {}\n", g.pick(names), g.pick(names)),
            _ => format!("{ind}- name: c\n{ind}  image: {}\n{ind}  args: [{}]\n", g.pick(names), g.pick(names)),
        }
    }

    /// A `field:` holding a containers list (or null, empty, a scalar), indented by `ind`.
    fn gen_list(g: &mut Gen, names: &[&str], field: &str, ind: &str) -> String {
        match g.next(24) {
            0 => format!("{ind}{field}: null\n"),
            1 => format!("{ind}{field}: []\n"),
            2 => format!("{ind}{field}: scalar\n"),
            _ => {
                let mut s = format!("{ind}{field}:\n");
                for _ in 0..1 + g.next(3) {
                    s.push_str(&gen_container(g, names, ind));
                }
                s
            }
        }
    }

    fn gen_resource(g: &mut Gen, names: &[&str]) -> String {
        let (api, kind) = [
            ("apps/v1", "Deployment"),
            ("v1", "Pod"),
            ("batch/v1", "CronJob"),
            ("example.com/v1", "Foo"),
            ("apiextensions.k8s.io/v1", "CustomResourceDefinition"),
            ("v1", "ConfigMap"),
        ][g.next(6)];
        let mut out = format!("apiVersion: {api}\nkind: {kind}\nmetadata:\n  name: r{}\n", g.next(1000));
        match kind {
            "Deployment" => {
                out.push_str("spec:\n  template:\n    spec:\n");
                out.push_str(&gen_list(g, names, "containers", "      "));
                out.push_str(&gen_list(g, names, "initContainers", "      "));
            }
            "ConfigMap" => out.push_str("data:\n  a: b\n  image: nginx\n"),
            "CronJob" => {
                // Reached by the legacy pass only.
                out.push_str("spec:\n  jobTemplate:\n    spec:\n      template:\n        spec:\n");
                out.push_str(&gen_list(g, names, "containers", "          "));
                out.push_str(&gen_list(g, names, "initContainers", "          "));
            }
            _ => {
                out.push_str("spec:\n");
                out.push_str(&gen_list(g, names, "containers", "  "));
                out.push_str(&gen_list(g, names, "initContainers", "  "));
                if g.next(2) == 0 {
                    out.push_str(&format!("  image: {}\n  deep:\n    list:\n    - containers:\n      - image: {}\n", g.pick(names), g.pick(names)));
                }
            }
        }
        out
    }

    #[test]
    fn the_plan_does_what_the_transformers_one_by_one_do() {
        let names = ["nginx", "nginx:1.2", "nginx@sha256:abc", "redis:6", "registry.example.com/team/app:1", "busybox", "\"nginx:1\""];
        let entries = [
            img("nginx", "", "v2", "", ""),
            img("nginx", "", "", "", "-x"),
            img("nginx", "my/nginx", "", "", ""),
            img("my/nginx", "", "", "sha256:d", ""),
            img("redis", "", "", "", "-alpine"),
            img("registry.example.com/team/app", "", "2.0", "", ""),
            img("busy.ox", "", "", "", "-s"),
            img("(nginx|redis)", "", "", "", "-re"),
            // These rename kinds through the `kind` field spec.
            img("Foo", "Pod", "", "", ""),
            img("Pod", "CustomResourceDefinition", "", "", ""),
            img("ngi(x", "", "v", "", ""),
        ];
        let spec_lists: Vec<Vec<FieldSpec>> = vec![
            crate::fieldspec::defaults().images.clone(),
            vec![
                FieldSpec::new("spec/containers[]/image", false),
                FieldSpec { gvk: crate::resource::Gvk::new("", "", "Foo"), path: "spec/containers/image".into(), create: false },
                FieldSpec::new("spec/image", false),
                FieldSpec::new("data/image", false),
            ],
            vec![FieldSpec::new("spec/initContainers[]/image", false), FieldSpec::new("kind", false)],
            vec![FieldSpec::new("kind", false), FieldSpec::new("spec/containers/image", false)],
        ];
        let mut g = Gen(0x9E37_79B9_7F4A_7C15);
        let (mut planned, mut failed, mut cases) = (0, 0, 0);
        for _ in 0..600 {
            let docs: Vec<String> =
                (0..1 + g.next(4)).map(|i| gen_resource(&mut g, &names).replacen("name: r", &format!("name: r{i}-"), 1)).collect();
            let input = docs.join("---\n");
            let n = 2 + g.next(3);
            let ts: Vec<ImageTagTransformer> = (0..n)
                .map(|_| {
                    // The invalid pattern (last) now and then.
                    let valid_only = usize::from(g.next(6) != 0);
                    let e = entries[g.next(entries.len() - valid_only)].clone();
                    let specs = if g.next(4) == 0 { spec_lists[g.next(spec_lists.len())].clone() } else { spec_lists[0].clone() };
                    ImageTagTransformer::new(e, specs)
                })
                .collect();
            let (want, got, p) = both(&ts, &input);
            assert_eq!(got, want, "{input}\n{ts:?}");
            cases += 1;
            planned += usize::from(p);
            failed += usize::from(want.is_err());
        }
        // Both ways are exercised.
        assert!(planned > cases / 4 && failed > cases / 10, "{planned} planned, {failed} failed of {cases}");
    }

    /// Many plain entries (looked up by name): the same output as running them one by one,
    /// with renames that chain into later entries, names with `.` matching other characters,
    /// tags, digests and suffixes applied where both passes reach a field, repeated names and
    /// names with a `:`.
    #[test]
    fn entries_looked_up_by_name_do_what_the_transformers_one_by_one_do() {
        let names = [
            "nginx", "nginx:1.2", "nginx@sha256:abc", "redis:6", "registry.example.com/team/app:1", "registryXexample.com/team/app",
            "busybox", "busyBox:2", "my/nginx", "img1", "img2:1.0", "img10", "a.b", "aXb:3", "nginx:1.2:x", "\"n\u{e9}:1\"",
        ];
        let pool = [
            img("nginx", "", "v2", "", ""),
            img("nginx", "", "", "", "-x"),
            img("nginx", "my/nginx", "", "", ""),
            img("my/nginx", "", "", "sha256:d", ""),
            img("my/nginx", "img1", "", "", ""),
            img("img1", "", "9", "", ""),
            img("img1", "img2", "", "", ""),
            img("img2", "", "", "", "-s"),
            img("img10", "nginx", "", "", ""),
            img("redis", "", "", "", "-alpine"),
            img("registry.example.com/team/app", "", "2.0", "", ""),
            img("registry.example.com/team/app", "a.b", "", "", ""),
            img("busy.ox", "", "", "", "-s"),
            img("a.b", "", "", "", "-d"),
            img("nginx:1.2", "", "", "", "-t"),
            img("n\u{e9}", "", "3", "", ""),
        ];
        let mut g = Gen(0x2545_F491_4F6C_DD1D);
        let (mut indexed, mut planned_cases) = (0, 0);
        for case in 0..300 {
            let docs: Vec<String> =
                (0..1 + g.next(4)).map(|i| gen_resource(&mut g, &names).replacen("name: r", &format!("name: r{i}-"), 1)).collect();
            let input = docs.join("---\n");
            let n = INDEX_MIN + 1 + g.next(12);
            let specs = crate::fieldspec::defaults().images.clone();
            // The entry with a non-ASCII name (no index) in one case of ten.
            let choices = if case % 10 == 0 { pool.len() } else { pool.len() - 1 };
            let ts: Vec<ImageTagTransformer> = (0..n).map(|_| ImageTagTransformer::new(pool[g.next(choices)].clone(), specs.clone())).collect();
            let (want, got, planned) = both(&ts, &input);
            assert_eq!(got, want, "case {case}\n{input}\n{ts:?}");
            let refs: Vec<&ImageTagTransformer> = ts.iter().collect();
            let matchers: Vec<Matcher> = refs.iter().map(|t| Matcher::new(&t.image)).collect();
            indexed += usize::from(planned && NameIndex::new(&matchers).is_some());
            planned_cases += usize::from(planned);
        }
        assert!(indexed > planned_cases / 2 && indexed > 60, "{indexed} of {planned_cases} planned cases looked entries up by name");
    }

    #[test]
    fn plain_name_check_is_the_char_check() {
        for c in (0u32..0x250).filter_map(char::from_u32) {
            let name = format!("a{c}b");
            assert_eq!(is_plain_name(&name), !name.chars().any(|c| super::super::select::REGEX_SYNTAX.contains(c)), "{c:?}");
        }
    }
}
