//! Generators checked against kustomize v5.5.0's output (`kubectl kustomize`, expected strings
//! pasted from its runs).

use super::*;
use crate::error::err;
use crate::kustomization::SecretArgs;
use crate::resource::ResourceList;
use std::collections::HashMap;

fn files(entries: &[(&str, &[u8])]) -> HashMap<String, Vec<u8>> {
    entries.iter().map(|(k, v)| (k.to_string(), v.to_vec())).collect()
}

fn reader(fs: &HashMap<String, Vec<u8>>) -> impl Fn(&str) -> Result<Vec<u8>> + '_ {
    move |p: &str| fs.get(p).cloned().ok_or_else(|| err!(NotFound, "no file {}", p))
}

fn strs(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

fn cm(name: &str, literals: &[&str]) -> GeneratorArgs {
    GeneratorArgs { name: name.into(), literals: strs(literals), ..Default::default() }
}

fn opts(labels: &[(&str, &str)], annotations: &[(&str, &str)], disable: bool, immutable: bool) -> GeneratorOptions {
    let m = |v: &[(&str, &str)]| v.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    GeneratorOptions { labels: m(labels), annotations: m(annotations), disable_name_suffix_hash: disable, immutable }
}

/// Emits the list after the hash suffixes, as the end of a build does.
fn finish_and_emit(mut list: ResourceList) -> String {
    add_hash_suffixes(&mut list).unwrap();
    crate::yaml::to_string_stream(list.iter().map(|r| &r.node)).unwrap()
}

fn one(r: Resource) -> String {
    let mut l = ResourceList::new();
    absorb(&mut l, r).unwrap();
    finish_and_emit(l)
}

#[test]
fn literals_files_envs() {
    let fs = files(&[
        ("a.txt", b"hello\nworld\n"),
        ("b.txt", b"single line"),
        ("e.env", b"# comment\n\nFOO=bar\n  BAR=baz=qux\nEMPTY=\nNOEQ\nexport X=1\nQ=\"quoted\"\n"),
    ]);
    let mut args = cm("cm", &["a=1", "b=\"two words\"", "c='x=y'", "d=", "e=\"unbalanced", "f=\"\"", "g=\""]);
    args.files = strs(&["a.txt", "key=b.txt"]);
    args.envs = strs(&["e.env"]);
    let mut list = ResourceList::new();
    absorb(&mut list, make_config_map(&args, None, &reader(&fs)).unwrap()).unwrap();
    let s = SecretArgs { args: cm("s", &["k=v", "a bad key=1"]), secret_type: String::new() };
    absorb(&mut list, make_secret(&s, None, &reader(&fs)).unwrap()).unwrap();
    assert_eq!(
        finish_and_emit(list),
        r#"apiVersion: v1
data:
  BAR: baz=qux
  EMPTY: ""
  FOO: bar
  NOEQ: ""
  Q: '"quoted"'
  a: "1"
  a.txt: |
    hello
    world
  b: two words
  c: x=y
  d: ""
  e: '"unbalanced'
  export X: "1"
  f: ""
  g: '"'
  key: single line
kind: ConfigMap
metadata:
  name: cm-ck75th246m
---
apiVersion: v1
data:
  a bad key: MQ==
  k: dg==
kind: Secret
metadata:
  name: s-bd82d594kb
type: Opaque
"#
    );
}

#[test]
fn binary_and_long_values() {
    let x60 = [b'x'; 60];
    let fs = files(&[("long.txt", &x60), ("bin.dat", b"\xff\xfe\x00binary")]);
    let mut c = cm("cm", &["x=<a&b>"]);
    c.files = strs(&["bin.dat", "long.txt"]);
    let mut s = SecretArgs {
        args: cm(
            "s",
            &[
                "s52=1234567890123456789012345678901234567890123456789012",
                "s51=123456789012345678901234567890123456789012345678901",
                "s53=12345678901234567890123456789012345678901234567890123",
            ],
        ),
        secret_type: "kubernetes.io/tls".into(),
    };
    s.args.files = strs(&["long.txt", "bin.dat"]);
    let mut list = ResourceList::new();
    absorb(&mut list, make_config_map(&c, None, &reader(&fs)).unwrap()).unwrap();
    absorb(&mut list, make_secret(&s, None, &reader(&fs)).unwrap()).unwrap();
    assert_eq!(
        finish_and_emit(list),
        "apiVersion: v1
binaryData:
  bin.dat: //4AYmluYXJ5
data:
  long.txt: xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx
  x: <a&b>
kind: ConfigMap
metadata:
  name: cm-28cgmkm2gm
---
apiVersion: v1
data:
  bin.dat: //4AYmluYXJ5
  long.txt: |
    eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eH
    h4eHh4eHh4
  s51: MTIzNDU2Nzg5MDEyMzQ1Njc4OTAxMjM0NTY3ODkwMTIzNDU2Nzg5MDEyMzQ1Njc4OTAx
  s52: |
    MTIzNDU2Nzg5MDEyMzQ1Njc4OTAxMjM0NTY3ODkwMTIzNDU2Nzg5MDEyMzQ1Njc4OTAxMg
    ==
  s53: |
    MTIzNDU2Nzg5MDEyMzQ1Njc4OTAxMjM0NTY3ODkwMTIzNDU2Nzg5MDEyMzQ1Njc4OTAxMj
    M=
kind: Secret
metadata:
  name: s-h99f8kckh7
type: kubernetes.io/tls
"
    );
}

#[test]
fn generator_options() {
    let global = opts(&[("g", "global"), ("both", "fromGlobal")], &[("ga", "1"), ("both", "fromGlobal")], false, true);
    let mut a = cm("a", &["k=v"]);
    a.namespace = "ns1".into();
    a.options = Some(opts(&[("both", "fromLocal"), ("l", "local")], &[("both", "fromLocal")], true, false));
    let mut b = cm("b", &["k=v"]);
    b.options = Some(opts(&[], &[], false, false));
    let c = cm("c", &[]);
    let mut s = SecretArgs { args: cm("s", &["k=v"]), secret_type: String::new() };
    s.args.namespace = "ns2".into();
    s.args.options = Some(opts(&[("x", "y")], &[], false, true));
    let fs = files(&[]);
    let mut list = ResourceList::new();
    for args in [&a, &b, &c] {
        absorb(&mut list, make_config_map(args, Some(&global), &reader(&fs)).unwrap()).unwrap();
    }
    absorb(&mut list, make_secret(&s, Some(&global), &reader(&fs)).unwrap()).unwrap();
    assert_eq!(
        finish_and_emit(list),
        r#"apiVersion: v1
data:
  k: v
immutable: true
kind: ConfigMap
metadata:
  annotations:
    both: fromLocal
    ga: "1"
  labels:
    both: fromLocal
    g: global
    l: local
  name: a
  namespace: ns1
---
apiVersion: v1
data:
  k: v
immutable: true
kind: ConfigMap
metadata:
  annotations:
    both: fromGlobal
    ga: "1"
  labels:
    both: fromGlobal
    g: global
  name: b-bdg947hgcc
---
apiVersion: v1
immutable: true
kind: ConfigMap
metadata:
  annotations:
    both: fromGlobal
    ga: "1"
  labels:
    both: fromGlobal
    g: global
  name: c-6ct58987ht
---
apiVersion: v1
data:
  k: dg==
immutable: true
kind: Secret
metadata:
  annotations:
    both: fromGlobal
    ga: "1"
  labels:
    both: fromGlobal
    g: global
    x: "y"
  name: s-ftgtgc4t9f
  namespace: ns2
type: Opaque
"#
    );
}

#[test]
fn empty_secret_and_binary_only_config_map() {
    let fs = files(&[("bin.dat", b"\x80")]);
    let mut c = cm("c", &[]);
    c.files = strs(&["bin.dat"]);
    c.options = Some(opts(&[], &[], false, true));
    assert_eq!(
        one(make_config_map(&c, None, &reader(&fs)).unwrap()),
        "apiVersion: v1\nbinaryData:\n  bin.dat: gA==\nimmutable: true\nkind: ConfigMap\nmetadata:\n  name: c-htc9cgt599\n"
    );
    let s = SecretArgs { args: cm("s", &[]), secret_type: String::new() };
    assert_eq!(
        one(make_secret(&s, None, &reader(&fs)).unwrap()),
        "apiVersion: v1\ndata: {}\nkind: Secret\nmetadata:\n  name: s-46f8b28mk5\ntype: Opaque\n"
    );
}

#[test]
fn env_file_edge_cases() {
    let fs = files(&[("e.env", b"\xef\xbb\xbfA=1\r\n=noval\n  # indented comment\n\tB = 2 \nC=\"q\"\n")]);
    let mut c = cm("cm", &[]);
    c.envs = strs(&["e.env"]);
    assert_eq!(
        one(make_config_map(&c, None, &reader(&fs)).unwrap()),
        "apiVersion: v1\ndata:\n  A: \"1\"\n  'B ': ' 2 '\n  C: '\"q\"'\nkind: ConfigMap\nmetadata:\n  name: cm-48bc69h5kk\n"
    );
}

#[test]
fn errors() {
    let fs = files(&[("e.env", b"A=1\nB=\xff\n")]);
    let r = reader(&fs);
    let msg = |a: &GeneratorArgs| make_config_map(a, None, &r).unwrap_err().message().to_string();
    assert_eq!(msg(&cm("cm", &["a=1", "b"])), "loading KV pairs: literal sources [a=1 b]: invalid literal source b, expected key=value");
    assert_eq!(msg(&cm("cm", &["a=1", "a=2"])), "configmap cm illegally repeats the key `a`");
    // Of several repeated keys, the first met again in the order the pairs load.
    assert_eq!(msg(&cm("cm", &["b=1", "a=1", "c=1", "b=2", "a=2"])), "configmap cm illegally repeats the key `b`");
    assert_eq!(msg(&cm("cm", &["z=1", "a=1", "a=2", "z=2"])), "configmap cm illegally repeats the key `a`");
    assert_eq!(msg(&cm("", &["a=1"])), "a configmap must have a name");
    let mut f = cm("x", &[]);
    f.files = strs(&["=a"]);
    assert_eq!(msg(&f), "loading KV pairs: file sources: [=a]: missing key name for file path \"a\" in source \"=a\"");
    f.files = strs(&["nope.txt"]);
    assert_eq!(msg(&f), "loading KV pairs: file sources: [nope.txt]: no file nope.txt");
    let mut e = cm("x", &[]);
    e.envs = strs(&["e.env"]);
    assert_eq!(msg(&e), "loading KV pairs: env source files: [e.env]: line [66 61 255] has invalid utf8 bytes : B=\u{fffd}");
    let s = SecretArgs { args: cm("", &[]), secret_type: String::new() };
    assert_eq!(make_secret(&s, None, &r).unwrap_err().message(), "a configmap must have a name");
    let s = SecretArgs { args: cm("s", &["a=1", "a=2"]), secret_type: String::new() };
    assert_eq!(make_secret(&s, None, &r).unwrap_err().message(), "configmap s illegally repeats the key `a`");
    // A Secret's literals are shown without their values; a ConfigMap's as written.
    let s = SecretArgs { args: cm("s", &["user=x", "pw", "=v"]), secret_type: String::new() };
    assert_eq!(
        make_secret(&s, None, &r).unwrap_err().message(),
        "loading KV pairs: literal sources [user=[redacted] [redacted] [redacted]]: invalid literal source [redacted], expected key=value"
    );
    assert_eq!(msg(&cm("c", &["user=x", "pw", "=v"])), "loading KV pairs: literal sources [user=x pw =v]: invalid literal source pw, expected key=value");
}

#[test]
fn behavior_errors() {
    let fs = files(&[]);
    let r = reader(&fs);
    let mut list = ResourceList::new();
    let mut m = cm("cm", &["a=1"]);
    m.behavior = "merge".into();
    let e = absorb(&mut list, make_config_map(&m, None, &r).unwrap()).unwrap_err();
    assert_eq!(
        e.message(),
        r#"id resid.ResId{Gvk:resid.Gvk{Group:"", Version:"v1", Kind:"ConfigMap", isClusterScoped:false}, Name:"cm", Namespace:""} does not exist; cannot merge or replace"#
    );
    let mut s = SecretArgs { args: cm("cm", &["a=1"]), secret_type: String::new() };
    s.args.namespace = "foo".into();
    s.args.behavior = "replace".into();
    let e = absorb(&mut list, make_secret(&s, None, &r).unwrap()).unwrap_err();
    assert_eq!(
        e.message(),
        r#"id resid.ResId{Gvk:resid.Gvk{Group:"", Version:"v1", Kind:"Secret", isClusterScoped:false}, Name:"cm", Namespace:"foo"} does not exist; cannot merge or replace"#
    );
    absorb(&mut list, make_config_map(&cm("cm", &["a=1"]), None, &r).unwrap()).unwrap();
    for b in ["", "create", "bogus"] {
        let mut c = cm("cm", &["a=1"]);
        c.behavior = b.into();
        let e = absorb(&mut list, make_config_map(&c, None, &r).unwrap()).unwrap_err();
        assert_eq!(
            e.message(),
            r#"id resid.ResId{Gvk:resid.Gvk{Group:"", Version:"v1", Kind:"ConfigMap", isClusterScoped:false}, Name:"cm", Namespace:""} exists; behavior must be merge or replace"#
        );
    }
}

/// Two generators of one name in one kustomization: the second merges into (or replaces) the
/// first; the hash suffix stays only when both want it; namespaces `""` and `default` match.
#[test]
fn behavior_in_one_kustomization() {
    let fs = files(&[]);
    let r = reader(&fs);
    let mut list = ResourceList::new();
    let mut a = cm("cm", &["a=1"]);
    a.options = Some(opts(&[("o", "old")], &[("o", "old"), ("k", "old")], false, false));
    absorb(&mut list, make_config_map(&a, None, &r).unwrap()).unwrap();
    let mut b = cm("cm", &["b=1"]);
    b.behavior = "merge".into();
    b.options = Some(opts(&[("o", "new")], &[("x", "y"), ("k", "new")], true, false));
    absorb(&mut list, make_config_map(&b, None, &r).unwrap()).unwrap();
    assert_eq!(
        finish_and_emit(list),
        "apiVersion: v1\ndata:\n  a: \"1\"\n  b: \"1\"\nkind: ConfigMap\nmetadata:\n  annotations:\n    k: new\n    o: old\n    x: \"y\"\n  labels:\n    o: new\n  name: cm\n"
    );

    let mut list = ResourceList::new();
    let mut a = cm("cm", &["a=1"]);
    a.namespace = "default".into();
    absorb(&mut list, make_config_map(&a, None, &r).unwrap()).unwrap();
    let mut b = cm("cm", &["b=1"]);
    b.behavior = "replace".into();
    b.options = Some(opts(&[], &[], false, true));
    absorb(&mut list, make_config_map(&b, None, &r).unwrap()).unwrap();
    absorb(&mut list, make_config_map(&cm("x", &["b=1"]), None, &r).unwrap()).unwrap();
    let mut x = cm("x", &["c=1"]);
    x.namespace = "default".into();
    x.behavior = "merge".into();
    absorb(&mut list, make_config_map(&x, None, &r).unwrap()).unwrap();
    assert_eq!(
        finish_and_emit(list),
        r#"apiVersion: v1
data:
  b: "1"
immutable: true
kind: ConfigMap
metadata:
  name: cm-k2572242mg
  namespace: default
---
apiVersion: v1
data:
  b: "1"
  c: "1"
kind: ConfigMap
metadata:
  name: x-cfdhf6d27d
"#
    );
}

/// An overlay merging into and replacing a base's resources renamed by `namePrefix: p-`
/// (reference run with `sortOptions: {order: fifo}`).
#[test]
fn behavior_against_base() {
    let fs = files(&[("bin.dat", b"\xff\x00")]);
    let r = reader(&fs);
    let plain = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: plain\n  namespace: default\n  labels:\n    pl: \"1\"\ndata:\n  x: \"1\"\n  n: 5\n  e: ~\n";
    let mut base = ResourceList::new();
    base.append(Resource::new(crate::yaml::load_documents(plain).unwrap().remove(0))).unwrap();
    let mut c = cm("cm", &["a=1", "b=2"]);
    c.options = Some(opts(&[("shared", "base"), ("onlybase", "x")], &[("an", "base")], false, false));
    let mut c2 = cm("cm2", &["a=1", "b=2"]);
    c2.options = Some(opts(&[], &[], true, false));
    let mut c3 = cm("cm3", &["a=1"]);
    c3.files = strs(&["bin=bin.dat"]);
    for a in [&c, &c2, &c3] {
        absorb(&mut base, make_config_map(a, None, &r).unwrap()).unwrap();
    }
    let s = SecretArgs { args: cm("s", &["a=1", "b=2"]), secret_type: "kubernetes.io/tls".into() };
    absorb(&mut base, make_secret(&s, None, &r).unwrap()).unwrap();
    for res in base.iter_mut() {
        res.store_previous_id();
        let name = format!("p-{}", res.name());
        res.set_name(&name);
        res.prefixes.push("p-".into());
    }

    let mut o1 = cm("cm", &["b=3", "c=4"]);
    o1.behavior = "merge".into();
    o1.options = Some(opts(&[("shared", "ov"), ("onlyov", "y")], &[], false, false));
    let mut o2 = cm("cm2", &["c=4"]);
    o2.behavior = "merge".into();
    let mut o3 = cm("plain", &["y=2"]);
    o3.behavior = "merge".into();
    let mut o4 = cm("cm3", &["z=9"]);
    o4.behavior = "replace".into();
    o4.options = Some(opts(&[], &[("r", "1")], false, false));
    for a in [&o1, &o2, &o3, &o4] {
        absorb(&mut base, make_config_map(a, None, &r).unwrap()).unwrap();
    }
    let mut s = SecretArgs { args: cm("s", &["c=3"]), secret_type: String::new() };
    s.args.behavior = "merge".into();
    absorb(&mut base, make_secret(&s, None, &r).unwrap()).unwrap();
    assert_eq!(base.get(1).unwrap().prev_ids.len(), 1, "the base's build state is kept");
    assert_eq!(
        finish_and_emit(base),
        r#"apiVersion: v1
data:
  e: ""
  "n": "5"
  x: "1"
  "y": "2"
kind: ConfigMap
metadata:
  labels:
    pl: "1"
  name: p-plain
  namespace: default
---
apiVersion: v1
data:
  a: "1"
  b: "3"
  c: "4"
kind: ConfigMap
metadata:
  annotations:
    an: base
  labels:
    onlybase: x
    onlyov: "y"
    shared: ov
  name: p-cm-fbcmkbc66h
---
apiVersion: v1
data:
  a: "1"
  b: "2"
  c: "4"
kind: ConfigMap
metadata:
  name: p-cm2
---
apiVersion: v1
data:
  z: "9"
kind: ConfigMap
metadata:
  annotations:
    r: "1"
  name: p-cm3-k765b4dhgf
---
apiVersion: v1
data:
  a: MQ==
  b: Mg==
  c: Mw==
kind: Secret
metadata:
  name: p-s-bhdf52m99k
type: Opaque
"#
    );
}

/// The hash of data a patch typed: values are typed by go-yaml v3 and written by Go's JSON
/// encoder (names from the reference: a generated `cm` with `a=1`, patched with one entry).
#[test]
fn hash_of_typed_data() {
    let cases = [
        ("n: 1", "gmkdth8kk2"),
        ("t: 2001-12-14", "t79c5ck74c"),
        ("f: 1.50", "5dch4m9fgg"),
        ("e: 1e3", "7k9ctfcb2h"),
        ("b: true", "mcc9hm4b59"),
        ("o: 0o17", "7htk7c9kd5"),
        ("h: 0x1F", "tmkt6t9m7h"),
        ("s: \"<x>\"", "k8ch4h8dh4"),
        ("sm: 1e-7", "55kk86fdmk"),
        ("bg: 1e21", "94f9h2fc7g"),
        ("nest: {x: 1, y: [1, \"a\"]}", "k8g5fgdfc2"),
        ("ctl: \"\\b\\f\\x01\\x7f\"", "db87cb472m"),
        ("u: \"é\\u2028\"", "t4mbb26d95"),
        ("n: 9007199254740993", "c955h5t97h"),
        ("n: 123456789012345678901234", "d87fcc7md2"),
    ];
    for (entry, want) in cases {
        let src = format!("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\ndata:\n  a: \"1\"\n  {}\n", entry);
        let r = Resource::new(crate::yaml::load_documents(&src).unwrap().remove(0));
        assert_eq!(content_hash(&r).unwrap(), want, "{}", entry);
    }
    // The name is not part of the hash.
    let src = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: other\ndata:\n  a: \"1\"\n";
    let r = Resource::new(crate::yaml::load_documents(src).unwrap().remove(0));
    assert_eq!(content_hash(&r).unwrap(), "h29d89cmmt");
    // Secret: `type` as text, `stringData` when a mapping.
    let src = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\ntype: 5\ndata:\n  k: dg==\nstringData:\n  x: y\n  n: 1\n";
    let r = Resource::new(crate::yaml::load_documents(src).unwrap().remove(0));
    assert_eq!(content_hash(&r).unwrap(), "gf9fd6t44t");
}

/// A global `true` cannot be undone by an entry (reference: no suffix, label kept).
#[test]
fn global_disable_wins() {
    let global = opts(&[], &[], true, false);
    let mut c = cm("cm", &["a=1"]);
    c.options = Some(opts(&[("x", "1")], &[], false, false));
    let fs = files(&[]);
    assert_eq!(
        one(make_config_map(&c, Some(&global), &reader(&fs)).unwrap()),
        "apiVersion: v1\ndata:\n  a: \"1\"\nkind: ConfigMap\nmetadata:\n  labels:\n    x: \"1\"\n  name: cm\n"
    );
}
