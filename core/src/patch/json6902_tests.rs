use super::*;
use crate::yaml::{load_documents, to_string, Entry, Mapping, Node, Pos, Scalar, Style};

/// Applies the operations with [`Json6902Patch::apply`] and with the full conversion, checks
/// that both give the same node (or the same error).
fn apply_both(p: &Json6902Patch, t: &mut Node) -> Result<()> {
    let mut full = t.clone();
    let a = p.apply_full(&mut full);
    let b = p.apply(t);
    match (&a, &b) {
        (Ok(()), Ok(())) => {}
        (Err(x), Err(y)) => assert_eq!(x.message(), y.message()),
        _ => panic!("apply {:?} vs full {:?}", b.as_ref().map_err(|e| e.message()), a.as_ref().map_err(|e| e.message())),
    }
    assert_eq!(*t, full, "apply vs full conversion:\n{}", to_string(t));
    b
}

/// Applies patch text (as kustomize reads a patch file) and prints the result.
fn j(target: &str, ops: &str) -> String {
    let mut t = load_documents(target).unwrap().remove(0);
    let p = Json6902Patch::parse(ops).unwrap();
    apply_both(&p, &mut t).unwrap();
    to_string(&t)
}

fn j_err(target: &str, ops: &str) -> String {
    let mut t = load_documents(target).unwrap().remove(0);
    let before = t.clone();
    let p = Json6902Patch::parse(ops).unwrap();
    let e = apply_both(&p, &mut t).unwrap_err();
    assert_eq!(t, before, "target changed on error");
    e.message().to_string()
}

#[test]
fn smoke() {
    let out = j(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n",
        "- op: add\n  path: /data\n  value: {a: b}\n",
    );
    assert_eq!(
        out,
        "apiVersion: v1\ndata:\n  a: b\nkind: ConfigMap\nmetadata:\n  name: c\n"
    );
}

#[test]
fn decoding() {
    assert_eq!(
        Json6902Patch::parse("").unwrap_err().message(),
        "empty json patch operations"
    );
    assert_eq!(
        Json6902Patch::parse("a: b\n").unwrap_err().message(),
        "json: cannot unmarshal object into Go value of type jsonpatch.Patch"
    );
    assert_eq!(
        Json6902Patch::parse("- a\n").unwrap_err().message(),
        "json: cannot unmarshal string into Go value of type jsonpatch.Operation"
    );
    // YAML flow syntax is not JSON.
    assert!(Json6902Patch::parse("[{op: add}]").is_err());
    assert!(Json6902Patch::parse("[{\"op\": \"add\"}] x").is_err());
    assert!(Json6902Patch::parse("---\n").unwrap().is_empty());
    assert_eq!(
        Json6902Patch::parse("[{\"op\": \"remove\", \"path\": \"/a\"}, null]")
            .unwrap()
            .len(),
        2
    );
    // Only the first YAML document counts.
    assert_eq!(
        Json6902Patch::parse("- {op: remove, path: /a}\n---\n- {op: remove, path: /b}\n")
            .unwrap()
            .len(),
        1
    );
}

#[test]
fn apply_from_node() {
    let mut t = load_documents("kind: A\nmetadata:\n  name: a\n")
        .unwrap()
        .remove(0);
    let ops =
        load_documents("- {op: add, path: /metadata/labels, value: {x: \"1\", y: 2, z: yes}}\n")
            .unwrap()
            .remove(0);
    apply_json6902(&mut t, &ops).unwrap();
    assert_eq!(
        to_string(&t),
        "kind: A\nmetadata:\n  labels:\n    x: \"1\"\n    \"y\": 2\n    z: true\n  name: a\n"
    );
    let bad = load_documents("- {op: remove, path: /nope}\n")
        .unwrap()
        .remove(0);
    let e = apply_json6902(&mut t, &bad).unwrap_err();
    assert_eq!(
        e.message(),
        "error in remove for path: '/nope': Unable to remove nonexistent key: nope: missing value"
    );
}

#[test]
fn helpers() {
    assert_eq!(go_json_float(1e21).unwrap(), "1e+21");
    assert_eq!(go_json_float(1.5e-7).unwrap(), "1.5e-7");
    assert_eq!(go_json_float(1e-10).unwrap(), "1e-10");
    assert_eq!(go_json_float(123456789.0).unwrap(), "123456789");
    assert_eq!(go_json_float(0.5).unwrap(), "0.5");
    assert_eq!(
        go_json_float(f64::INFINITY).unwrap_err().message(),
        "json: unsupported value: +Inf"
    );
    assert_eq!(
        crate::yaml::resolve::go_json_string("a<b>&\"\n\u{1}"),
        "\"a\\u003cb\\u003e\\u0026\\\"\\n\\u0001\""
    );
    assert_eq!(decode_key("a~1b~0c~01"), "a/b~c~1");
    assert_eq!(go_atoi("+7"), Ok(7));
    assert_eq!(
        go_atoi("-").unwrap_err(),
        "strconv.Atoi: parsing \"-\": invalid syntax"
    );
    assert_eq!(
        go_atoi("99999999999999999999").unwrap_err(),
        "strconv.Atoi: parsing \"99999999999999999999\": value out of range"
    );
}

/// Cases compared with kustomize v5.5.0's output.
#[path = "json6902_ref_tests.rs"]
mod reference;

#[test]
fn small_int_numbers_keep_their_text() {
    // The shortcut agrees with parsing the number and formatting it with Go's `%g`.
    let mut texts: Vec<String> = ["0", "-0", "00", "01", "-01", "1.0", "1e3", "+1", "", "-", "999999", "1000000", "-999999", "-1000000", "12a"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    for i in (-1_200_000i64..1_200_000).step_by(997) {
        texts.push(i.to_string());
    }
    for i in 0..20 {
        texts.push(10i64.pow(i / 3).to_string());
    }
    let mut fast = 0;
    for t in texts {
        let slow = t.parse::<f64>().ok().filter(|f| f.is_finite()).map(resolve::go_format_float_g);
        if small_int_text(&t) {
            fast += 1;
            assert_eq!(slow.as_deref(), Some(t.as_str()), "{t:?}");
        }
        if let Some(slow) = slow {
            let n = j_to_node(J::Num(t.clone())).unwrap();
            assert_eq!(n, Node::Scalar(Scalar::plain(slow)), "{t:?}");
        }
    }
    assert!(fast > 1000);
}

/// Scalars of every kind, in every style, for the normalization tests.
fn scalar_zoo() -> Vec<Node> {
    let texts = [
        "", "~", "null", "Null", "true", "True", "TRUE", "False", "yes", "on", "0", "-0", "12", "0123", "089", "0x1F", "0o17", "1e3",
        "1.5", ".5", "1_000", "999999", "1000000", "12345678901234567890", ".inf", "-.inf", ".nan", "2001-12-14",
        "2001-12-14T21:59:43.10-05:00", "abc", "a b", "<<", "+1", "-x", "fast", "nope", "twice", "~x", "x\ny",
        "\"q\"", "html <a&b>", "ünï", "75", "-12", "8080", "-999999", "-1000000", "-00", "1.0", "-", "-a",
    ];
    let mut out = Vec::new();
    for t in texts {
        for style in [Style::Plain, Style::DoubleQuoted, Style::SingleQuoted, Style::Literal] {
            for tag in [None, Some("!!str"), Some("!!int"), Some("!!float"), Some("!!null"), Some("!")] {
                out.push(Node::Scalar(Scalar { value: t.to_string(), style, tag: tag.map(Into::into) }));
            }
        }
    }
    out
}

#[test]
fn norm_node_equals_the_round_trip() {
    let mut nodes = scalar_zoo();
    let mk = |entries: Vec<(&str, Node)>| Node::Map(Mapping { entries: entries.into_iter().map(|(k, v)| Entry::new(k, v, Pos::default())).collect() });
    let zoo = scalar_zoo();
    // Mappings with unsorted and duplicate keys, sequences, nesting.
    for (i, chunk) in zoo.chunks(5).enumerate() {
        let keys = ["b", "a", "b", "ä", "A"];
        let m = mk(keys.iter().zip(chunk).map(|(k, v)| (*k, v.clone())).collect());
        nodes.push(mk(vec![("z", m.clone()), ("list", Node::Seq(chunk.to_vec())), ("y", Node::Seq(vec![m.clone()]))]));
        if i % 3 == 0 {
            nodes.push(m);
        }
    }
    // Entries with positions and comments (the round trip drops them).
    let mut commented = mk(vec![("b", Node::plain("x")), ("a", Node::plain("12"))]);
    if let Node::Map(m) = &mut commented {
        for (i, e) in m.entries.iter_mut().enumerate() {
            e.pos = Pos { line: i as u32 + 3, col: 5 };
            e.comment = Some(Box::new(crate::yaml::Comment("# {\"type\": \"string\"}".into())));
        }
    }
    nodes.push(commented);
    let (mut compared, mut refused) = (0, 0);
    for n in &nodes {
        let slow = node_to_j(n).and_then(j_to_node);
        match (norm_node(n), &slow) {
            (Ok(a), Ok(b)) => {
                assert_eq!(&a, b, "{n:?}");
                compared += 1;
            }
            (Err(a), Err(b)) => assert_eq!(a.message(), b.message()),
            (a, b) => panic!("{n:?}: {:?} vs {:?}", a.map_err(|e| e.message().to_string()), b.as_ref().map_err(|e| e.message().to_string())),
        }
        // The in-place normalization, and its check.
        assert_eq!(norm_ok(n), slow.is_ok(), "{n:?}");
        match slow {
            Ok(b) => {
                let mut a = n.clone();
                norm_in_place(&mut a);
                assert_eq!(a, b, "{n:?}");
            }
            Err(_) => refused += 1,
        }
    }
    assert!(compared > 500 && refused > 10, "{compared} {refused}");
}

/// The shortcut of [`Json6902Patch::apply`] (only the parts the pointers go through turned into
/// JSON) gives what the full conversion gives, for operations of every kind at every depth,
/// with pointers through mappings, sequences, escaped keys and missing fields.
#[test]
fn lazy_apply_equals_full_conversion() {
    let target = "apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: h\n  labels:\n    z: \"1\"\n    a: on\n  annotations:\n    a/b: x\n    t~x: y\nspec:\n  minReplicas: 2\n  maxReplicas: 0x10\n  when: 2001-12-14\n  big: 1e3\n  scaleTargetRef:\n    name: d\n    kind: Deployment\n  metrics:\n  - type: Resource\n    resource:\n      name: cpu\n      target: {averageUtilization: 70, type: Utilization}\n  - type: Pods\n  nothing: ~\n  q: 'single'\n";
    let pointers = [
        "/spec/maxReplicas", "/spec/minReplicas", "/spec/scaleTargetRef/name", "/spec/scaleTargetRef", "/spec/metrics/0/resource/name",
        "/spec/metrics/-", "/spec/metrics/1", "/spec/metrics/0", "/metadata/annotations/a~1b", "/metadata/annotations/t~0x",
        "/metadata/annotations", "/metadata/labels/new", "/spec/missing/x", "/spec", "/spec/nothing", "/spec/nothing/x", "/kind",
        "/metadata", "x/spec/minReplicas", "", "/", "/spec/metrics/5",
    ];
    let values = ["1", "\"s\"", "{\"k\": [1, 2, {\"b\": 1, \"a\": 2}]}", "null", "[]"];
    // Unsorted keys, comments kept by the loader, and a float JSON cannot write in a field no
    // pointer names (the direct path must then give up and leave the resource as it was).
    let with_inf = "kind: K\nmetadata:\n  name: h # {\"type\": \"string\"}\n  labels: {b: 1, a: 2}\nspec:\n  z: [1, .5, {y: 1, x: 2}]\n  scaleTargetRef: {name: d}\n  maxReplicas: 3\n  minReplicas: 1\n  metrics: [{type: Pods}]\n  inf: [.inf]\n  nothing: ~\n";
    // Repeated keys (a JSON object keeps the last).
    let mut repeated = load_documents(target).unwrap().remove(0);
    if let Some(spec) = repeated.as_map_mut().and_then(|m| m.get_mut("spec")).and_then(Node::as_map_mut) {
        spec.entries.push(Entry::new("minReplicas", Node::plain("7"), Pos::default()));
        spec.entries.push(Entry::new("scaleTargetRef", Node::plain("scalar"), Pos::default()));
    }
    let targets = [load_documents(target).unwrap().remove(0), load_documents(with_inf).unwrap().remove(0), repeated];
    let (mut lazy, mut direct, mut refused) = (0, 0, 0);
    let mut n = 0;
    for (i, p1) in pointers.iter().enumerate() {
        for (j, p2) in pointers.iter().enumerate() {
            let v = values[(i + j) % values.len()];
            let ops = [
                format!("[{{\"op\": \"add\", \"path\": \"{p1}\", \"value\": {v}}}, {{\"op\": \"replace\", \"path\": \"{p2}\", \"value\": 3}}]"),
                format!("[{{\"op\": \"remove\", \"path\": \"{p1}\"}}]"),
                format!("[{{\"op\": \"move\", \"from\": \"{p1}\", \"path\": \"{p2}\"}}]"),
                format!("[{{\"op\": \"copy\", \"from\": \"{p1}\", \"path\": \"{p2}\"}}, {{\"op\": \"add\", \"path\": \"{p2}/x\", \"value\": 1}}]"),
                format!("[{{\"op\": \"test\", \"path\": \"{p1}\", \"value\": {v}}}]"),
                format!("[{{\"op\": \"replace\", \"path\": \"{p1}\", \"value\": {v}}}, {{\"op\": \"remove\", \"path\": \"{p2}\"}}]"),
            ];
            for text in ops {
                let p = Json6902Patch::parse(&text).unwrap();
                for t0 in &targets {
                    if matches!(p.apply_lazy(t0), Some(Ok(_))) {
                        lazy += 1;
                    }
                    // The direct path: what the full conversion gives, or nothing changed.
                    let mut t = t0.clone();
                    if p.apply_direct(&mut t) {
                        direct += 1;
                        let mut full = t0.clone();
                        p.apply_full(&mut full).unwrap();
                        assert_eq!(t, full, "{text}");
                    } else {
                        assert_eq!(&t, t0, "{text}");
                        refused += 1;
                    }
                    let mut t = t0.clone();
                    let _ = apply_both(&p, &mut t);
                    n += 1;
                }
            }
        }
    }
    assert!(lazy > n / 5, "{lazy} of {n} took the shortcut");
    assert!(direct > n / 10 && refused > n / 2, "{direct} direct, {refused} refused of {n}");
}
