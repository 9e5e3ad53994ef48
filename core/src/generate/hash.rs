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
    // A missing or scalar binaryData/stringData is left out; a collection is in.
    let optional = |field: &'static str| -> Result<Option<(&'static str, String)>> {
        match res.node.get(field) {
            None | Some(Node::Scalar(_)) => Ok(None),
            Some(_) => Ok(Some((field, field_json(res, field)?))),
        }
    };
    let mut doc: Vec<(&str, String)> = Vec::new();
    match res.kind() {
        "ConfigMap" => {
            doc.extend(optional("binaryData")?);
            doc.push(("data", field_json(res, "data")?));
            doc.push(("kind", crate::yaml::resolve::go_json_string("ConfigMap")));
            doc.push(("name", crate::yaml::resolve::go_json_string("")));
        }
        "Secret" => {
            doc.push(("data", field_json(res, "data")?));
            doc.push(("kind", crate::yaml::resolve::go_json_string("Secret")));
            doc.push(("name", crate::yaml::resolve::go_json_string("")));
            doc.extend(optional("stringData")?);
            doc.push(("type", field_json(res, "type")?));
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
    let mut json = String::from("{");
    for (i, (k, v)) in doc.iter().enumerate() {
        if i > 0 {
            json.push(',');
        }
        json.push_str(&crate::yaml::resolve::go_json_string(k));
        json.push(':');
        json.push_str(v);
    }
    json.push('}');
    // Only the first 10 hex digits are kept: 5 bytes.
    Ok(encode(&hex(&sha256(json.as_bytes())[..5])))
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
fn field_json(res: &Resource, field: &str) -> Result<String> {
    match res.node.get(field) {
        None => Ok(crate::yaml::resolve::go_json_string("")),
        Some(Node::Scalar(s)) => Ok(crate::yaml::resolve::go_json_string(&s.value)),
        Some(n) => json_of_collection(n),
    }
}

/// kyaml's `MarshalJSON` of a mapping, decoded into a Go map: a sequence does not decode into
/// a map and leaves `null`.
fn json_of_collection(n: &Node) -> Result<String> {
    match n {
        Node::Map(_) => json_of(n),
        _ => Ok("null".into()),
    }
}

/// A node as Go's `encoding/json` writes what go-yaml v3 decodes it into.
fn json_of(n: &Node) -> Result<String> {
    Ok(match n {
        Node::Scalar(s) => match resolve(s) {
            Value::Null => "null".into(),
            Value::Bool(b) => b.to_string(),
            // kustomize decodes the JSON once more into Go maps: numbers become float64.
            Value::Int(i) => json_float(i as f64)?,
            Value::Uint(u) => json_float(u as f64)?,
            Value::Float(f) => json_float(f)?,
            Value::Str(t) => crate::yaml::resolve::go_json_string(t),
            Value::Time(t) => crate::yaml::resolve::go_json_string(&t),
        },
        Node::Seq(items) => {
            let parts: Result<Vec<String>> = items.iter().map(json_of).collect();
            format!("[{}]", parts?.join(","))
        }
        Node::Map(m) => {
            // Go maps: a repeated key keeps its last value; keys sorted by bytes.
            let mut entries: std::collections::BTreeMap<&str, &Node> = std::collections::BTreeMap::new();
            for (k, v) in m.iter() {
                entries.insert(k, v);
            }
            let mut out = String::from("{");
            for (i, (k, v)) in entries.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&crate::yaml::resolve::go_json_string(k));
                out.push(':');
                out.push_str(&json_of(v)?);
            }
            out.push('}');
            out
        }
    })
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

/// The first 10 hex digits, with `0`, `1`, `3`, `a`, `e` replaced by `g`, `h`, `k`, `m`, `t`.
fn encode(hex: &str) -> String {
    hex.chars()
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

fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for &b in bytes {
        out.push(DIGITS[usize::from(b >> 4)] as char);
        out.push(DIGITS[usize::from(b & 15)] as char);
    }
    out
}

/// SHA-256 (FIPS 180-4).
fn sha256(data: &[u8]) -> [u8; 32] {
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
    let mut h: [u32; 8] =
        [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha256_vectors() {
        assert_eq!(hex(&sha256(b"")), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        assert_eq!(hex(&sha256(b"abc")), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        let long = vec![b'a'; 1000];
        assert_eq!(hex(&sha256(&long)), "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3");
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
}
