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
    pub field_specs: Vec<FieldSpec>,
}

impl ImageTagTransformer {
    pub fn new(image: Image, field_specs: Vec<FieldSpec>) -> Self {
        ImageTagTransformer { image, field_specs }
    }

    /// kustomize's configuration from a kustomization: one transformer per `images` entry (in
    /// order; legacy `imageTags` entries come after, already folded into `images` by the
    /// parser), each with `config.images` as its field specs.
    pub fn from_kustomization_images(images: &[Image], config: &Config) -> Vec<Self> {
        images.iter().map(|i| ImageTagTransformer::new(i.clone(), config.images.clone())).collect()
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
/// order), in one pass over the resources: each resource gets every transformer in turn. The
/// result is the same since a transformer changes a resource by its own content alone; the
/// pass costs one walk of the list instead of one per entry. When an error occurs, the list
/// is restored and the transformers run one by one, so the error is the one the sequential
/// order meets first.
pub fn apply_all(ts: &[&ImageTagTransformer], list: &mut ResourceList, config: &Config) -> Result<()> {
    if ts.len() < 4 {
        for t in ts {
            t.apply(list, config)?;
        }
        return Ok(());
    }
    let snapshot = list.as_slice().to_vec();
    let fused = (|| -> Result<()> {
        let matchers: Vec<Matcher> = ts.iter().map(|t| Matcher::new(&t.image)).collect();
        let segments: Vec<Vec<Vec<String>>> =
            ts.iter().map(|t| t.field_specs.iter().map(|fs| fs.segments()).collect()).collect();
        for r in list.iter_mut() {
            if r.kind() == "CustomResourceDefinition" {
                continue;
            }
            let gvk = r.gvk();
            for ((t, m), segs) in ts.iter().zip(&matchers).zip(&segments) {
                legacy_walk(&mut r.node, m)?;
                for (_, segs) in t.field_specs.iter().zip(segs).filter(|(fs, _)| fs.applies_to(&gvk)) {
                    walk(&mut r.node, segs, None, &mut |n| m.set(n))?;
                }
            }
        }
        Ok(())
    })();
    if fused.is_err() {
        list.set_items(snapshot);
        for t in ts {
            t.apply(list, config)?;
        }
    }
    Ok(())
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
    !name.chars().any(|c| super::select::REGEX_SYNTAX.contains(c))
}

/// The image pattern `^NAME(:[a-zA-Z0-9_.{}-]*)?(@sha256:[a-zA-Z0-9_.{}-]*)?$` for a plain NAME
/// (see [`is_plain_name`]; `.` stands for any character but a newline).
fn plain_match(name: &str, value: &str) -> bool {
    let mut v = value.chars();
    for nc in name.chars() {
        match v.next() {
            Some(vc) if vc == nc || (nc == '.' && vc != '\n') => {}
            _ => return false,
        }
    }
    let allowed = |c: char| c.is_ascii_alphanumeric() || "_.{}-".contains(c);
    let skip = |t: &str| -> usize { t.find(|c: char| !allowed(c)).unwrap_or(t.len()) };
    let mut rest = v.as_str();
    if let Some(t) = rest.strip_prefix(':') {
        rest = &t[skip(t)..];
    }
    if let Some(t) = rest.strip_prefix("@sha256:") {
        rest = &t[skip(t)..];
    }
    rest.is_empty()
}

/// The new reference for a matching image: name, tag and digest replaced as the entry says.
fn updated(value: &str, img: &Image) -> String {
    let (name, tag, digest) = split(value);
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

/// kustomize's image.Split: `[host[:port]/]path[:tag][@digest]` into (name, tag, digest); the
/// `:` and `@` are looked for after the first `/` (when it is not the first character).
pub fn split(image: &str) -> (&str, &str, &str) {
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

/// The legacy pass: depth first, in field order, each `containers`/`initContainers` field
/// handled after its own value has been walked.
fn legacy_walk(node: &mut Node, m: &Matcher) -> Result<()> {
    match node {
        Node::Map(map) => {
            for e in map.entries.iter_mut() {
                legacy_walk(&mut e.value, m)?;
                if e.key == "containers" || e.key == "initContainers" {
                    update_containers(&mut e.value, m)?;
                }
            }
        }
        Node::Seq(items) => {
            for it in items.iter_mut() {
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
            "registryXexampleYcom/team/app", "a\nb", "aXb@sha256:1", "x:é", "é", "",
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
}
