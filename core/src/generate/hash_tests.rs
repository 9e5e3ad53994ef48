//! The content hash: SHA-256 vectors, Go's JSON numbers and strings, and the one-buffer JSON
//! writer and unrolled SHA-256 compared with the straightforward versions they replaced.

use super::*;
use crate::testing::Gen;
use crate::yaml::{Mapping, Scalar, Style};

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{:02x}", b)).collect()
}

/// The straightforward SHA-256 (whole message copied and padded, 64-word schedule, working
/// variables shifted through an array each round).
fn sha256_reference(data: &[u8]) -> [u8; 32] {
    let mut h = H0;
    let mut msg = data.to_vec();
    msg.push(0x80);
    while msg.len() % 64 != 56 {
        msg.push(0);
    }
    msg.extend_from_slice(&((data.len() as u64).wrapping_mul(8)).to_be_bytes());
    for block in msg.chunks(64) {
        let mut w = [0u32; 64];
        for i in 0..16 {
            w[i] = u32::from_be_bytes([block[4 * i], block[4 * i + 1], block[4 * i + 2], block[4 * i + 3]]);
        }
        for i in 16..64 {
            let s0 = w[i - 15].rotate_right(7) ^ w[i - 15].rotate_right(18) ^ (w[i - 15] >> 3);
            let s1 = w[i - 2].rotate_right(17) ^ w[i - 2].rotate_right(19) ^ (w[i - 2] >> 10);
            w[i] = w[i - 16].wrapping_add(s0).wrapping_add(w[i - 7]).wrapping_add(s1);
        }
        let mut v = h;
        for i in 0..64 {
            let s1 = v[4].rotate_right(6) ^ v[4].rotate_right(11) ^ v[4].rotate_right(25);
            let ch = (v[4] & v[5]) ^ (!v[4] & v[6]);
            let t1 = v[7].wrapping_add(s1).wrapping_add(ch).wrapping_add(K[i]).wrapping_add(w[i]);
            let s0 = v[0].rotate_right(2) ^ v[0].rotate_right(13) ^ v[0].rotate_right(22);
            let maj = (v[0] & v[1]) ^ (v[0] & v[2]) ^ (v[1] & v[2]);
            let t2 = s0.wrapping_add(maj);
            v = [t1.wrapping_add(t2), v[0], v[1], v[2], v[3].wrapping_add(t1), v[4], v[5], v[6]];
        }
        for i in 0..8 {
            h[i] = h[i].wrapping_add(v[i]);
        }
    }
    let mut out = [0u8; 32];
    for (i, x) in h.iter().enumerate() {
        out[4 * i..4 * i + 4].copy_from_slice(&x.to_be_bytes());
    }
    out
}

/// The JSON document as it was built before: one String per field and per value, joined.
fn document_reference(res: &Resource) -> Result<String> {
    use crate::yaml::resolve::go_json_string;
    fn json_of_ref(n: &Node) -> Result<String> {
        Ok(match n {
            Node::Scalar(s) => match resolve(s) {
                Value::Null => "null".into(),
                Value::Bool(b) => b.to_string(),
                Value::Int(i) => json_float(i as f64)?,
                Value::Uint(u) => json_float(u as f64)?,
                Value::Float(f) => json_float(f)?,
                Value::Str(t) => go_json_string(t),
                Value::Time(t) => go_json_string(&t),
            },
            Node::Seq(items) => {
                let parts: Result<Vec<String>> = items.iter().map(json_of_ref).collect();
                format!("[{}]", parts?.join(","))
            }
            Node::Map(m) => {
                let mut entries: std::collections::BTreeMap<&str, &Node> = std::collections::BTreeMap::new();
                for (k, v) in m.iter() {
                    entries.insert(k, v);
                }
                let mut parts = Vec::new();
                for (k, v) in entries {
                    parts.push(format!("{}:{}", go_json_string(k), json_of_ref(v)?));
                }
                format!("{{{}}}", parts.join(","))
            }
        })
    }
    let field = |f: &str| -> Result<String> {
        match res.node.get(f) {
            None => Ok(go_json_string("")),
            Some(Node::Scalar(s)) => Ok(go_json_string(&s.value)),
            Some(n @ Node::Map(_)) => json_of_ref(n),
            Some(_) => Ok("null".into()),
        }
    };
    let optional = |f: &'static str| -> Result<Option<(&'static str, String)>> {
        match res.node.get(f) {
            None | Some(Node::Scalar(_)) => Ok(None),
            Some(_) => Ok(Some((f, field(f)?))),
        }
    };
    let mut doc: Vec<(&str, String)> = Vec::new();
    match res.kind() {
        "ConfigMap" => {
            doc.extend(optional("binaryData")?);
            doc.push(("data", field("data")?));
            doc.push(("kind", go_json_string("ConfigMap")));
            doc.push(("name", go_json_string("")));
        }
        "Secret" => {
            doc.push(("data", field("data")?));
            doc.push(("kind", go_json_string("Secret")));
            doc.push(("name", go_json_string("")));
            doc.extend(optional("stringData")?);
            doc.push(("type", field("type")?));
        }
        _ => return Err(err!(Unsupported, "not hashed")),
    }
    let parts: Vec<String> = doc.iter().map(|(k, v)| format!("{}:{}", go_json_string(k), v)).collect();
    Ok(format!("{{{}}}", parts.join(",")))
}

fn encode_reference(digest: &[u8]) -> String {
    hex(digest)
        .chars()
        .take(10)
        .map(|c| match c {
            '0' => 'g',
            '1' => 'h',
            '3' => 'k',
            'a' => 'm',
            'e' => 't',
            c => c,
        })
        .collect()
}

#[test]
fn sha256_vectors() {
    assert_eq!(hex(&sha256(b"")), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    assert_eq!(hex(&sha256(b"abc")), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    let long = vec![b'a'; 1000];
    assert_eq!(hex(&sha256(&long)), "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3");
    assert_eq!(
        hex(&sha256(b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")),
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
    );
}

/// Every length around the block and padding boundaries, random bytes.
#[test]
fn sha256_matches_reference() {
    let mut rng = Gen(0x9e3779b97f4a7c15);
    for len in 0..=300 {
        let data: Vec<u8> = (0..len).map(|_| rng.bits() as u8).collect();
        assert_eq!(sha256(&data), sha256_reference(&data), "length {}", len);
        assert_eq!(encode(&sha256(&data)), encode_reference(&sha256_reference(&data)), "length {}", len);
    }
}

#[test]
fn json_scalars() {
    assert_eq!(json_float(1.5).unwrap(), "1.5");
    assert_eq!(json_float(1000.0).unwrap(), "1000");
    assert_eq!(json_float(1e-7).unwrap(), "1e-7");
    assert_eq!(json_float(1e21).unwrap(), "1e+21");
    assert_eq!(json_float(1.5e300).unwrap(), "1.5e+300");
    assert_eq!(json_float(-2.5e-10).unwrap(), "-2.5e-10");
    assert_eq!(crate::yaml::resolve::go_json_string("<a&b>\u{2028}\x08\x0c\x01\x7fé"), "\"\\u003ca\\u0026b\\u003e\\u2028\\b\\f\\u0001\x7fé\"");
}

const TEXTS: &[&str] = &[
    "", "a", "plain text", "1", "-2", "0x1F", "0o17", "1.50", "1e3", "1e-7", "1e21", ".inf", "-.Inf", ".nan",
    "9007199254740993", "123456789012345678901234", "true", "False", "null", "~", "2001-12-14",
    "2001-12-14t21:59:43.10-05:00", "<x>", "a&b", "quote\"back\\slash", "line\nbreak\r\ttab", "\x08\x0c\x01\x1f\x7f",
    "é ü 漢字", "\u{2028}\u{2029}", "\u{2027}\u{202a}", "\u{e2}\u{80}", "emoji 🎉", "key=value", "#c",
];

fn scalar(rng: &mut Gen) -> Node {
    let value = TEXTS[rng.next(TEXTS.len())].to_string();
    let style = [Style::Plain, Style::Plain, Style::DoubleQuoted, Style::SingleQuoted, Style::Literal][rng.next(5)];
    let tag = [None, None, None, Some("!!str"), Some("!!int"), Some("!!float"), Some("!!bool"), Some("!foo")][rng.next(8)];
    Node::Scalar(Scalar { value, style, tag: tag.map(Into::into) })
}

fn node(rng: &mut Gen, depth: usize) -> Node {
    match if depth == 0 { 0 } else { rng.next(4) } {
        0 | 1 => scalar(rng),
        2 => Node::Seq((0..rng.next(4)).map(|_| node(rng, depth - 1)).collect()),
        _ => Node::Map(mapping(rng, depth - 1)),
    }
}

/// A mapping with keys from a small pool (so repeated keys occur).
fn mapping(rng: &mut Gen, depth: usize) -> Mapping {
    const KEYS: &[&str] = &["a", "b", "B", "a.txt", "<k>", "é", "", "z\n", "key"];
    let mut m = Mapping::new();
    for _ in 0..rng.next(6) {
        let k = KEYS[rng.next(KEYS.len())];
        m.entries.push(crate::yaml::node::Entry::new(k, node(rng, depth), Default::default()));
    }
    m
}

/// The one-buffer JSON document against the one built from strings, on random ConfigMaps and
/// Secrets (fields missing, scalars, sequences, nested mappings with repeated keys).
#[test]
fn document_matches_reference() {
    let mut rng = Gen(0x2545f4914f6cdd1d);
    let mut compared = 0;
    for case in 0..3000 {
        let mut m = Mapping::new();
        let kind = ["ConfigMap", "Secret"][case % 2];
        m.insert("kind", Node::string(kind));
        for f in ["data", "binaryData", "stringData", "type"] {
            match rng.next(4) {
                0 => {}
                1 => m.insert(f, scalar(&mut rng)),
                2 => m.insert(f, node(&mut rng, 3)),
                _ => m.insert(f, Node::Map(mapping(&mut rng, 3))),
            }
        }
        let r = Resource::new(Node::Map(m));
        let mut out = Vec::new();
        let new = document_json(&r, &mut out).map(|()| String::from_utf8(out).unwrap());
        match (new, document_reference(&r)) {
            (Ok(a), Ok(b)) => {
                assert_eq!(a, b, "{:?}", r.node);
                assert_eq!(content_hash(&r).unwrap(), encode_reference(&sha256_reference(b.as_bytes())));
                compared += 1;
            }
            (Err(a), Err(b)) => assert_eq!(a.message(), b.message()),
            (a, b) => panic!("{:?} vs {:?} on {:?}", a.map(|_| ()), b.map(|_| ()), r.node),
        }
    }
    assert!(compared > 1000, "{}", compared);
}

/// `store_previous_id` (built from borrowed parts) against the current id and its effective
/// namespace.
#[test]
fn store_previous_id_matches_cur_id() {
    let api = ["v1", "apps/v1", "rbac.authorization.k8s.io/v1", "/a/b", "x/y/z", "", "v1/"];
    let kinds = ["ConfigMap", "Namespace", "ClusterRole", "Deployment", "", "Unknown"];
    let nss = [None, Some(""), Some("prod"), Some("null")];
    for a in api {
        for k in kinds {
            for ns in nss {
                let mut src = format!("apiVersion: {:?}\nkind: {:?}\nmetadata:\n  name: n\n", a, k);
                if let Some(ns) = ns {
                    src.push_str(&format!("  namespace: {}\n", ns));
                }
                let mut r = Resource::new(crate::yaml::load_documents(&src).unwrap().remove(0));
                let id = r.cur_id();
                let want = crate::resource::ResId { namespace: id.effective_namespace().to_string(), ..id.clone() };
                r.store_previous_id();
                r.store_previous_id();
                assert_eq!(r.prev_ids, vec![want.clone(), want], "{}", src);
            }
        }
    }
}
