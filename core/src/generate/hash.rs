//! The content hash of generated resources (kustomize's `hasher.Hasher`) and the name suffix
//! (kustomize's HashTransformer).
//!
//! The hash is the SHA-256 of a JSON document, as hex, of which the first 10 characters are
//! kept with `0`, `1`, `3`, `a`, `e` replaced by `g`, `h`, `k`, `m`, `t` (no vowels, no
//! look-alikes). The document, written by Go's `encoding/json` (keys sorted, `<`, `>`, `&`,
//! U+2028 and U+2029 escaped), is:
//! - ConfigMap: `{"binaryData":…,"data":…,"kind":"ConfigMap","name":""}`, `binaryData` only
//!   when it is a mapping;
//! - Secret: `{"data":…,"kind":"Secret","name":"","stringData":…,"type":…}`, `stringData` only
//!   when it is a mapping.
//!
//! `name` is always empty: kustomize looks the name up with `Lookup("metadata/name")`, which
//! does not split the path, so finds nothing. A missing field is `""`, a scalar field is its
//! text as a string (`type` always), a mapping is its JSON with values typed by go-yaml v3
//! (`1` is a number, `2001-12-14` a timestamp written in RFC 3339, ...), as kyaml's
//! `MarshalJSON` makes it; numbers then go through a float64 (kustomize decodes that JSON
//! once more), so `9007199254740993` is written `9007199254740992`. `immutable`, labels and annotations are not part of the hash.

use crate::error::{err, Result};
use crate::resource::{Resource, ResourceList};
use crate::yaml::resolve::{resolve, Value};
use crate::yaml::Node;

/// The 10-character content hash kustomize appends to the name of a generated resource.
pub fn content_hash(res: &Resource) -> Result<String> {
    let mut json: Vec<u8> = Vec::with_capacity(256);
    document_json(res, &mut json)?;
    // Only the first 10 hex digits are kept: 5 bytes.
    Ok(encode(&sha256(&json)))
}

/// The JSON document hashed for `res`, written into `out` (see the module comment).
fn document_json(res: &Resource, out: &mut Vec<u8>) -> Result<()> {
    // A missing or scalar binaryData/stringData is left out; a collection is in.
    let optional = |out: &mut Vec<u8>, field: &str, before: &[u8], after: &[u8]| -> Result<()> {
        match res.node.get(field) {
            None | Some(Node::Scalar(_)) => Ok(()),
            Some(n) => {
                out.extend_from_slice(before);
                collection_json(n, out)?;
                out.extend_from_slice(after);
                Ok(())
            }
        }
    };
    match res.kind() {
        "ConfigMap" => {
            out.push(b'{');
            optional(out, "binaryData", b"\"binaryData\":", b",")?;
            out.extend_from_slice(b"\"data\":");
            field_json(res, "data", out)?;
            out.extend_from_slice(b",\"kind\":\"ConfigMap\",\"name\":\"\"}");
        }
        "Secret" => {
            out.extend_from_slice(b"{\"data\":");
            field_json(res, "data", out)?;
            out.extend_from_slice(b",\"kind\":\"Secret\",\"name\":\"\"");
            optional(out, "stringData", b",\"stringData\":", b"")?;
            out.extend_from_slice(b",\"type\":");
            field_json(res, "type", out)?;
            out.push(b'}');
        }
        other => {
            // kustomize marshals go-yaml's Node struct itself (with line and column numbers).
            return Err(err!(
                Unsupported,
                "cannot compute the content hash of a {} (only ConfigMaps and Secrets are supported)",
                if other.is_empty() { "resource without kind" } else { other }
            ));
        }
    }
    Ok(())
}

/// Appends `-<hash>` to the name of every resource that needs it, remembering the previous id
/// for the name-reference fix-up.
pub fn add_hash_suffixes(list: &mut ResourceList) -> Result<()> {
    if !list.iter().any(|r| r.needs_hash) {
        return Ok(());
    }
    // Each resource on its own: long lists on the build's spare threads.
    let results = crate::build::each_chunk(list.as_mut_slice(), |chunk| {
        for r in chunk.iter_mut() {
            if r.needs_hash {
                let h = content_hash(r)?;
                r.store_previous_id();
                let name = format!("{}-{}", r.name(), h);
                r.set_name(&name);
            }
        }
        Ok(())
    });
    crate::build::first_error(results)
}

/// What kustomize's `getNodeValues` makes of a top-level field.
fn field_json(res: &Resource, field: &str, out: &mut Vec<u8>) -> Result<()> {
    match res.node.get(field) {
        None => out.extend_from_slice(b"\"\""),
        Some(Node::Scalar(s)) => json_string(&s.value, out),
        Some(n) => collection_json(n, out)?,
    }
    Ok(())
}

/// kyaml's `MarshalJSON` of a mapping, decoded into a Go map: a sequence does not decode into
/// a map and leaves `null`.
fn collection_json(n: &Node, out: &mut Vec<u8>) -> Result<()> {
    match n {
        Node::Map(_) => json_of(n, out),
        _ => {
            out.extend_from_slice(b"null");
            Ok(())
        }
    }
}

/// A node as Go's `encoding/json` writes what go-yaml v3 decodes it into.
fn json_of(n: &Node, out: &mut Vec<u8>) -> Result<()> {
    match n {
        Node::Scalar(s) => match resolve(s) {
            Value::Null => out.extend_from_slice(b"null"),
            Value::Bool(b) => out.extend_from_slice(if b { b"true" } else { b"false" }),
            // kustomize decodes the JSON once more into Go maps: numbers become float64.
            Value::Int(i) => out.extend_from_slice(json_float(i as f64)?.as_bytes()),
            Value::Uint(u) => out.extend_from_slice(json_float(u as f64)?.as_bytes()),
            Value::Float(f) => out.extend_from_slice(json_float(f)?.as_bytes()),
            Value::Str(t) => json_string(t, out),
            Value::Time(t) => json_string(&t, out),
        },
        Node::Seq(items) => {
            out.push(b'[');
            for (i, it) in items.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                json_of(it, out)?;
            }
            out.push(b']');
        }
        Node::Map(m) if m.entries.windows(2).all(|w| w[0].key < w[1].key) => {
            // Keys already in order, none repeated (generated data is sorted): as they are.
            out.push(b'{');
            for (i, e) in m.entries.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                json_string(&e.key, out);
                out.push(b':');
                json_of(&e.value, out)?;
            }
            out.push(b'}');
        }
        Node::Map(m) => map_json_sorting(m, out)?,
    }
    Ok(())
}

/// [`json_of`] of a mapping whose keys may be out of order or repeated (the general path).
fn map_json_sorting(m: &crate::yaml::Mapping, out: &mut Vec<u8>) -> Result<()> {
    // Go maps: a repeated key keeps its last value; keys sorted by bytes. The sort is stable,
    // so of equal keys the last one in the mapping comes last.
    let mut entries: Vec<(&str, &Node)> = m.iter().collect();
    entries.sort_by(|a, b| a.0.cmp(b.0));
    out.push(b'{');
    let mut first = true;
    for (i, &(k, v)) in entries.iter().enumerate() {
        if entries.get(i + 1).is_some_and(|next| next.0 == k) {
            continue;
        }
        if !first {
            out.push(b',');
        }
        first = false;
        json_string(k, out);
        out.push(b':');
        json_of(v, out)?;
    }
    out.push(b'}');
    Ok(())
}

/// Go's `encoding/json` string ([`crate::yaml::resolve::go_json_string`]) written into `out`:
/// runs of bytes that need no escape are copied at once.
fn json_string(s: &str, out: &mut Vec<u8>) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let b = s.as_bytes();
    out.reserve(b.len() + 2);
    out.push(b'"');
    let mut start = 0;
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        let (esc, len): (&[u8], usize) = match c {
            b'"' => (b"\\\"", 1),
            b'\\' => (b"\\\\", 1),
            b'\n' => (b"\\n", 1),
            b'\r' => (b"\\r", 1),
            b'\t' => (b"\\t", 1),
            0x08 => (b"\\b", 1),
            0x0c => (b"\\f", 1),
            b'<' => (b"\\u003c", 1),
            b'>' => (b"\\u003e", 1),
            b'&' => (b"\\u0026", 1),
            // U+2028 and U+2029.
            0xe2 if b.get(i + 1) == Some(&0x80) && matches!(b.get(i + 2), Some(0xa8 | 0xa9)) => {
                (if b[i + 2] == 0xa8 { b"\\u2028" } else { b"\\u2029" }, 3)
            }
            c if c < 0x20 => {
                out.extend_from_slice(&b[start..i]);
                out.extend_from_slice(b"\\u00");
                out.push(HEX[usize::from(c >> 4)]);
                out.push(HEX[usize::from(c & 15)]);
                i += 1;
                start = i;
                continue;
            }
            _ => {
                i += 1;
                continue;
            }
        };
        out.extend_from_slice(&b[start..i]);
        out.extend_from_slice(esc);
        i += len;
        start = i;
    }
    out.extend_from_slice(&b[start..]);
    out.push(b'"');
}

/// Go's `encoding/json` float64: shortest digits, exponent form below 1e-6 or from 1e21
/// (`1e-7`, `1e+21`); NaN and infinities cannot be encoded.
fn json_float(f: f64) -> Result<String> {
    if f.is_nan() || f.is_infinite() {
        let what = if f.is_nan() { "NaN" } else if f > 0.0 { "+Inf" } else { "-Inf" };
        return Err(err!(Transform, "json: unsupported value: {}", what));
    }
    let abs = f.abs();
    if abs != 0.0 && !(1e-6..1e21).contains(&abs) {
        let s = format!("{:e}", f);
        let (mant, exp) = s.split_once('e').unwrap_or((&s, "0"));
        let (sign, digits) = match exp.strip_prefix('-') {
            Some(d) => ('-', d),
            None => ('+', exp),
        };
        // Go writes at least two exponent digits, then drops the zero of `e-0N`.
        let digits = if digits.len() < 2 && sign == '+' { format!("0{}", digits) } else { digits.to_string() };
        return Ok(format!("{}e{}{}", mant, sign, digits));
    }
    Ok(format!("{}", f))
}

/// The first 10 hex digits of a digest, with `0`, `1`, `3`, `a`, `e` replaced by `g`, `h`,
/// `k`, `m`, `t`.
fn encode(digest: &[u8; 32]) -> String {
    const DIGITS: &[u8; 16] = b"gh2k456789mbcdtf";
    let mut out = String::with_capacity(10);
    for &b in &digest[..5] {
        out.push(DIGITS[usize::from(b >> 4)] as char);
        out.push(DIGITS[usize::from(b & 15)] as char);
    }
    out
}

const K: [u32; 64] = [
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98,
    0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
    0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8,
    0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
    0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
    0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
    0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
    0xc67178f2,
];

const H0: [u32; 8] = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];

/// SHA-256 (FIPS 180-4): whole blocks read in place, the padded tail from a stack buffer.
fn sha256(data: &[u8]) -> [u8; 32] {
    let mut h = H0;
    let mut blocks = data.chunks_exact(64);
    for block in &mut blocks {
        if let Ok(block) = <&[u8; 64]>::try_from(block) {
            compress(&mut h, block);
        }
    }
    let rest = blocks.remainder();
    let mut tail = [0u8; 128];
    tail[..rest.len()].copy_from_slice(rest);
    tail[rest.len()] = 0x80;
    let end = if rest.len() < 56 { 64 } else { 128 };
    tail[end - 8..end].copy_from_slice(&(data.len() as u64).wrapping_mul(8).to_be_bytes());
    let (first, second) = tail.split_at(64);
    if let Ok(block) = <&[u8; 64]>::try_from(first) {
        compress(&mut h, block);
    }
    if end == 128 {
        if let Ok(block) = <&[u8; 64]>::try_from(second) {
            compress(&mut h, block);
        }
    }
    let mut out = [0u8; 32];
    for (o, x) in out.chunks_exact_mut(4).zip(h) {
        o.copy_from_slice(&x.to_be_bytes());
    }
    out
}

/// One block: the 64 rounds unrolled, the message schedule kept in 16 words updated in place
/// (all indices constant, so no bounds checks and no shuffling of the working variables).
#[inline(always)]
// The schedule words written by the last rounds are not read again.
#[allow(unused_assignments)]
fn compress(state: &mut [u32; 8], block: &[u8; 64]) {
    let mut w = [0u32; 16];
    for (wi, b) in w.iter_mut().zip(block.chunks_exact(4)) {
        *wi = u32::from_be_bytes([b[0], b[1], b[2], b[3]]);
    }
    let [mut a, mut b, mut c, mut d, mut e, mut f, mut g, mut h] = *state;
    macro_rules! round {
        ($a:ident, $b:ident, $c:ident, $d:ident, $e:ident, $f:ident, $g:ident, $h:ident, $i:expr) => {
            let i: usize = $i;
            let wi = if i < 16 {
                w[i]
            } else {
                let (w1, w14) = (w[(i + 1) & 15], w[(i + 14) & 15]);
                let s0 = (w1.rotate_right(11) ^ w1).rotate_right(7) ^ (w1 >> 3);
                let s1 = (w14.rotate_right(2) ^ w14).rotate_right(17) ^ (w14 >> 10);
                let v = w[i & 15].wrapping_add(s0).wrapping_add(w[(i + 9) & 15]).wrapping_add(s1);
                w[i & 15] = v;
                v
            };
            // Σ1 and Σ0 with fewer register copies: ror6(e ^ ror5(e ^ ror14(e))) = ror6 ^ ror11 ^ ror25.
            let s1 = (($e.rotate_right(14) ^ $e).rotate_right(5) ^ $e).rotate_right(6);
            let ch = $g ^ ($e & ($f ^ $g));
            let t1 = $h.wrapping_add(s1).wrapping_add(ch).wrapping_add(K[i]).wrapping_add(wi);
            let s0 = (($a.rotate_right(9) ^ $a).rotate_right(11) ^ $a).rotate_right(2);
            let maj = ($a & $b) | ($c & ($a | $b));
            $d = $d.wrapping_add(t1);
            $h = t1.wrapping_add(s0).wrapping_add(maj);
        };
    }
    macro_rules! eight {
        ($i:expr) => {
            round!(a, b, c, d, e, f, g, h, $i);
            round!(h, a, b, c, d, e, f, g, $i + 1);
            round!(g, h, a, b, c, d, e, f, $i + 2);
            round!(f, g, h, a, b, c, d, e, $i + 3);
            round!(e, f, g, h, a, b, c, d, $i + 4);
            round!(d, e, f, g, h, a, b, c, $i + 5);
            round!(c, d, e, f, g, h, a, b, $i + 6);
            round!(b, c, d, e, f, g, h, a, $i + 7);
        };
    }
    eight!(0);
    eight!(8);
    eight!(16);
    eight!(24);
    eight!(32);
    eight!(40);
    eight!(48);
    eight!(56);
    for (s, v) in state.iter_mut().zip([a, b, c, d, e, f, g, h]) {
        *s = s.wrapping_add(v);
    }
}

#[cfg(test)]
#[path = "hash_tests.rs"]
mod tests;

/// The mapping written as it is (keys in order) equals the general path that sorts.
#[cfg(test)]
mod in_order_tests {
    use super::*;

    #[test]
    fn mapping_in_order_equals_sorting() {
        let texts = [
            "a: 1\nb: two\nc: true\n",
            "b: 1\na: 2\n",
            "B: x\na: y\n\u{e9}: z\n",
            "a: {y: 1, x: 2}\nb: [1, {d: 4, c: 3}]\n",
            "k<: \"v&\"\nk>: null\nz: 2001-12-14\n",
            "a: 1\n",
            "{}",
        ];
        let mut maps: Vec<crate::yaml::Mapping> = texts
            .iter()
            .map(|t| match crate::yaml::load_one(t) {
                Ok(Some(Node::Map(m))) => m,
                _ => panic!("{:?}", t),
            })
            .collect();
        // Repeated keys (the YAML reader refuses them).
        for keys in [["a", "a", "b"], ["x", "b", "b"]] {
            let mut m = crate::yaml::Mapping::new();
            for (i, k) in keys.iter().enumerate() {
                m.entries.push(crate::yaml::Entry::new(*k, Node::plain(&i.to_string()), Default::default()));
            }
            maps.push(m);
        }
        let mut in_order = 0;
        for m in maps {
            let t = format!("{:?}", m);
            let (mut fast, mut general) = (Vec::new(), Vec::new());
            json_of(&Node::Map(m.clone()), &mut fast).unwrap();
            map_json_sorting(&m, &mut general).unwrap();
            assert_eq!(String::from_utf8(fast).unwrap(), String::from_utf8(general).unwrap(), "{:?}", t);
            in_order += usize::from(m.entries.windows(2).all(|w| w[0].key < w[1].key));
        }
        assert!(in_order >= 4 && in_order < 10, "{} in order", in_order);
    }
}
