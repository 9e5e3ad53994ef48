//! The fast path of the kustomization decoder (straight from the YAML nodes) against the
//! general one (through JSON): on every kustomization file of the golden corpus, of the
//! conformance suite and of the fuzz corpora, and on variants of them made to hit the quirks,
//! the fast path either gives up or gives exactly what the general path gives; and
//! [`unmarshal`](super::parse::unmarshal) gives the general path's result or error.

use std::path::{Path, PathBuf};

use super::parse::{unmarshal, unmarshal_fast, unmarshal_general, Raw};
use crate::error::Result;
use crate::yaml::load::{load_documents_with, LoadOptions};
use crate::yaml::Node;

fn is_kustomization_name(name: &str) -> bool {
    super::KUSTOMIZATION_FILE_NAMES.contains(&name)
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>, keep: &dyn Fn(&Path) -> bool) {
    let Ok(rd) = std::fs::read_dir(dir) else { return };
    let mut entries: Vec<_> = rd.flatten().map(|e| e.path()).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            walk(&p, out, keep);
        } else if keep(&p) {
            out.push(p);
        }
    }
}

fn read(p: &Path) -> Option<String> {
    std::fs::read(p).ok().and_then(|b| String::from_utf8(b).ok())
}

/// The texts of the kustomization files found: the golden corpus, the conformance suite (when
/// it is there), the kustomization fuzz corpus, and the kustomization files of the build_tree
/// fuzz corpus. Returns the texts and how many came from the golden corpus.
fn corpus() -> (Vec<(String, String)>, usize) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let by_name = |p: &Path| p.file_name().and_then(|n| n.to_str()).is_some_and(is_kustomization_name);
    let mut out = Vec::new();
    let mut files = Vec::new();
    walk(&root.join("testdata"), &mut files, &by_name);
    for p in &files {
        if let Some(t) = read(p) {
            out.push((p.display().to_string(), t));
        }
    }
    let golden = out.len();
    let mut files = Vec::new();
    walk(&root.join("../shared/conformance"), &mut files, &by_name);
    walk(&root.join("fuzz/corpus/kustomization"), &mut files, &|_| true);
    for p in &files {
        if let Some(t) = read(p) {
            out.push((p.display().to_string(), t));
        }
    }
    // build_tree inputs: the text before the first `@@ ` line is a kustomization file, and so
    // is each `@@ <name>` part whose name is a kustomization file name.
    let mut files = Vec::new();
    walk(&root.join("fuzz/corpus/build_tree"), &mut files, &|_| true);
    for p in &files {
        let Some(t) = read(p) else { continue };
        let mut name = Some("kustomization.yaml".to_string());
        let mut part = String::new();
        let mut parts = Vec::new();
        for line in t.split_inclusive('\n') {
            if let Some(n) = line.strip_prefix("@@ ") {
                parts.push((name.take(), std::mem::take(&mut part)));
                name = Some(n.trim().rsplit('/').next().unwrap_or("").to_string());
            } else {
                part.push_str(line);
            }
        }
        parts.push((name, part));
        for (i, (n, text)) in parts.into_iter().enumerate() {
            if n.as_deref().is_some_and(is_kustomization_name) {
                out.push((format!("{}#{}", p.display(), i), text));
            }
        }
    }
    (out, golden)
}

/// Text edits that take a file to the quirks: field names in another case, YAML 1.1 booleans,
/// tags, floats and big numbers where integers or strings go, nulls, duplicate keys, anchors,
/// keys JSON renames.
const MUTATIONS: &[(&str, &str)] = &[
    ("kind: ", "Kind: "),
    ("resources:", "Resources:"),
    ("namePrefix: ", "NAMEPREFIX: "),
    ("\nresources:", "\nresources: null\nresources:"),
    ("\nresources:", "\nresources: [dup]\nresources:"),
    ("\nnamespace: ", "\nnamespace: x\nnamespace: "),
    ("includeSelectors: true", "includeSelectors: yes"),
    ("includeSelectors: true", "includeSelectors: 'true'"),
    ("includeSelectors: ", "includeSelectors: !!bool "),
    ("includeSelectors: false", "includeSelectors: off"),
    ("includeSelectors: false", "includeSelectors: ~"),
    ("count: ", "count: 1e"),
    ("count: ", "count: !!int "),
    ("count: ", "count: \"1\"\n#"),
    ("count: ", "count: 99999999999999999999\n#"),
    ("count: ", "count: 0x1"),
    ("count: ", "count: 1.0\n#"),
    ("count: ", "count: ~\n#"),
    ("newTag: ", "newTag: 12\n#"),
    ("newTag: ", "newTag: !!str "),
    ("newTag: ", "newTag: 1_"),
    ("name: ", "name: !!str "),
    ("name: ", "name: !custom "),
    ("name: ", "name: ~\n#"),
    ("name: ", "name: yes\n#"),
    ("name: ", "name: .inf\n#"),
    ("name: ", "name: .nan\n#"),
    ("namespace: ", "namespace: -.Inf\n#"),
    ("namespace: ", "namespace: 017\n#"),
    ("\nnamespace: ", "\n1.5: x\nnamespace: "),
    ("\nnamespace: ", "\n~: x\nnamespace: "),
    ("\nnamespace: ", "\nyes: x\nnamespace: "),
    ("\nnamespace: ", "\n12345678901234567890: x\nnamespace: "),
    ("- name: ", "- Name: "),
    ("- name: ", "- name: a\n  NAME: "),
    ("- name: ", "- newTag: ~\n  name: "),
    ("- path: ", "- ~\n- path: "),
    ("- ", "- ~\n- "),
    ("- ", "- [x]\n- "),
    ("- ", "- {a: b}\n- "),
    ("- ", "- 12\n- "),
    ("- ", "- true\n- "),
    ("  - ", "  - !!str 1\n  - "),
    ("pairs:\n", "pairs:\n    yes: x\n"),
    ("pairs:\n", "pairs:\n    1.5: x\n"),
    ("pairs:\n", "pairs:\n    a: ~\n"),
    ("pairs:\n", "pairs:\n    a: 1\n"),
    ("pairs:\n", "pairs:\n    \"true\": a\n    true: b\n"),
    ("commonLabels:\n", "commonLabels:\n  on: x\n"),
    ("commonLabels:\n", "commonLabels:\n  a: null\n"),
    ("options:\n", "options:\n    x: yes\n"),
    ("options:\n", "options:\n    x: 1\n"),
    ("target:\n", "target: ~\n  x:\n"),
    ("target:\n", "target:\n    Kind: x\n"),
    ("patch: ", "patch: !!binary "),
    (": ", ": &a "),
    ("apiVersion: ", "apiVersion: 1\n#"),
    ("apiVersion: ", "<<: {namePrefix: m-}\napiVersion: "),
    ("apiVersion: ", "'<<': {namePrefix: m-}\napiVersion: "),
    ("\n", "\nunknownField: 1\n"),
    ("helmCharts:\n", "helmCharts:\n- valuesInline: {a: 1.0, b: yes}\n"),
];

/// The fields of a raw decoding, to compare.
fn parts(r: &Raw) -> (&super::Kustomization, &str, u64) {
    (&r.k, &r.kind, r.nonnil)
}

fn same_result(a: &Result<Raw>, b: &Result<Raw>) -> bool {
    match (a, b) {
        (Ok(a), Ok(b)) => parts(a) == parts(b),
        (Err(a), Err(b)) => {
            (a.kind(), a.message(), a.line(), a.column()) == (b.kind(), b.message(), b.line(), b.column())
        }
        _ => false,
    }
}

/// Checks one document; returns whether the fast path took it.
fn check(name: &str, node: &Node) -> bool {
    let general = unmarshal_general(node);
    let fast = unmarshal_fast(&mut node.clone());
    if let Some(f) = &fast {
        match &general {
            Ok(g) => assert!(parts(f) == parts(g), "{name}: fast {:?}\ngeneral {:?}", parts(f), parts(g)),
            Err(e) => panic!("{name}: the fast path decoded what the general path rejects: {e}"),
        }
    }
    // (The fast path moves strings out of its own copy; when it gives up, the general path
    // reads the document again.)
    let both = unmarshal(Some(node));
    assert!(same_result(&both, &general), "{name}: unmarshal differs from the general path");
    fast.is_some()
}

fn first_doc(text: &str) -> Option<Node> {
    load_documents_with(text, &LoadOptions::kustomization()).ok()?.into_iter().next()
}

#[test]
fn fast_path_agrees_with_general_path() {
    let (files, golden) = corpus();
    assert!(golden >= 300, "the golden corpus has only {golden} kustomization files");
    let (mut docs, mut fast, mut golden_fast, mut variants, mut variants_fast) = (0, 0, 0, 0, 0);
    for (i, (name, text)) in files.iter().enumerate() {
        if let Some(node) = first_doc(text) {
            docs += 1;
            if check(name, &node) {
                fast += 1;
                if i < golden {
                    golden_fast += 1;
                }
            }
        }
        for (from, to) in MUTATIONS {
            if !text.contains(from) {
                continue;
            }
            // Every occurrence, and the first one only.
            let all = text.replace(from, to);
            let first = text.replacen(from, to, 1);
            let texts = if all == first { vec![all] } else { vec![all, first] };
            for t in texts {
                if let Some(node) = first_doc(&t) {
                    variants += 1;
                    if check(&format!("{name} with {from:?} -> {to:?}"), &node) {
                        variants_fast += 1;
                    }
                }
            }
        }
    }
    // The fast path must be the common case, and the variants must exercise both paths.
    assert!(golden_fast * 10 >= golden * 8, "fast path on {golden_fast} of {golden} golden files");
    assert!(variants_fast > 0 && variants_fast < variants, "fast path on {variants_fast} of {variants} variants");
    eprintln!(
        "{docs} documents, {fast} on the fast path ({golden_fast} of {golden} golden files); \
         {variants} variants, {variants_fast} on the fast path"
    );
}

/// Hand-written quirks, each checked the same way (and some known to need the general path).
#[test]
fn fast_path_gives_up_on_quirks() {
    let general_only = [
        "resources: [a]\nRESOURCES: [b]\n",
        "RESOURCES: [b]\nresources: [a]\n",
        "images: [{name: a, NAME: b}]\n",
        "commonLabels: {yes: a, true: b}\n",
        "commonLabels: {1: a}\n",
        "namePrefix: !!str x\n",
        "namePrefix: 1.5\n",
        "replicas: [{name: a, count: 1e3}]\n",
        "replicas: [{name: a, count: 99999999999999999999}]\n",
        "namespace: .nan\n",
        "resources: [a, 1]\n",
        "unknown: 1\n",
        "labels: [{pairs: {a: b}, includeSelectors: 1}]\n",
        "helmCharts: [{name: a, valuesInline: {x: 1}}]\n",
        "[a, b]\n",
        "~\n",
    ];
    for src in general_only {
        let node = first_doc(src).unwrap();
        assert!(!check(src, &node), "{src}: the fast path should give up");
    }
    let fast = [
        "resources: [a, b]\nnamePrefix: p-\n",
        "Resources: [a]\nKIND: Component\nvars: [{name: V, objref: {kind: A, name: a}, fieldref: {fieldpath: x}}]\n",
        "resources: ~\nnamespace: ~\n",
        "commonLabels: {a: ~, b: 'yes', c: \"1\"}\n",
        "replicas: [{name: a, count: 0x10}, {name: b, count: -3}, {name: c, count: 017}]\n",
        "labels: [{pairs: {a: b}, includeSelectors: yes, includeTemplates: off}]\n",
        "patches: [{path: p.yaml, options: {allowNameChange: y}}, ~]\n",
        "replacements: [{source: {kind: A, options: {index: 2}}, targets: [~, {select: {kind: B}}]}]\n",
        "<<: {namePrefix: p-}\nnameSuffix: -s\n",
    ];
    for src in fast {
        let node = first_doc(src).unwrap();
        assert!(check(src, &node), "{src}: the fast path should take it");
    }
}

/// The fast path takes a key equal to a field name as it is, without typing it: no field name
/// may be a YAML 1.1 boolean, null or number.
#[test]
fn field_names_are_strings_to_go_yaml_v2() {
    use super::decode::GoStruct;
    use super::json::{resolve_v2, V2};
    use super::types::*;
    let tables: &[&[&str]] = &[
        Raw::FIELDS,
        ObjectMeta::FIELDS,
        Label::FIELDS,
        FieldSpec::FIELDS,
        Patch::FIELDS,
        Selector::FIELDS,
        Image::FIELDS,
        ReplacementField::FIELDS,
        SourceSelector::FIELDS,
        TargetSelector::FIELDS,
        FieldOptions::FIELDS,
        Replica::FIELDS,
        Var::FIELDS,
        Target::FIELDS,
        FieldSelector::FIELDS,
        SortOptions::FIELDS,
        LegacySortOptions::FIELDS,
        GeneratorOptions::FIELDS,
        GeneratorArgs::FIELDS,
        SecretArgs::FIELDS,
        HelmGlobals::FIELDS,
        HelmChart::FIELDS,
        HelmChartArgs::FIELDS,
    ];
    for fields in tables {
        assert!(fields.len() <= 64);
        for f in *fields {
            assert_eq!(resolve_v2(f), V2::Str, "{f}");
        }
    }
}
