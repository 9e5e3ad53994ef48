//! Values given to a secretGenerator (literals, files, env files) never show in an error
//! message or a warning, whatever fails: a bad literal or env line next to the secret, a
//! repeated key, a behavior conflict, a patch, replacement or var that trips over the
//! Secret. kustomize prints several of these values; rustomize shows `[redacted]` instead
//! (COMPATIBILITY.md).

use rustomize::{render, MemFs, Options};

const SECRET: &str = "S3CR3T-VALUE-xyz";
/// base64 of SECRET, as it stands in the generated Secret's data.
const SECRET_B64: &str = "UzNDUjNULVZBTFVFLXh5eg==";

fn fs(files: &[(&str, &[u8])]) -> MemFs {
    let mut fs = MemFs::new();
    for (p, data) in files {
        fs.add(&format!("/{}", p), data.to_vec());
    }
    fs
}

fn leaks(text: &str) -> bool {
    text.contains(SECRET) || text.contains(SECRET_B64) || text.contains("S3CR3T") || text.contains("UzNDUjNU")
}

const CM: &str = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\ndata:\n  a: x\n";
const DEP: &str = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n  template:\n    spec:\n      containers:\n      - name: c\n        image: nginx\n";

/// A failing build: its name, its files, and what the message must still say.
type Failing = (&'static str, Vec<(&'static str, Vec<u8>)>, &'static str);

fn failing() -> Vec<Failing> {
    let k = |s: String| ("kustomization.yaml", s.into_bytes());
    let f = |p: &'static str, s: &str| (p, s.as_bytes().to_vec());
    vec![
        (
            "bad literal after the secret",
            vec![k(format!("secretGenerator:\n- name: s\n  literals:\n  - password={SECRET}\n  - novalue\n"))],
            "invalid literal source [redacted]",
        ),
        (
            "literal without a key",
            vec![k(format!("secretGenerator:\n- name: s\n  literals:\n  - ={SECRET}\n"))],
            "invalid literal source [redacted]",
        ),
        (
            "invalid UTF-8 env line after the secret",
            vec![
                k("secretGenerator:\n- name: s\n  envs:\n  - x.env\n".into()),
                ("x.env", [format!("PASSWORD={SECRET}\nBAD=").as_bytes(), b"\xff\xfe", SECRET.as_bytes(), b"\n"].concat()),
            ],
            "line 2 has invalid utf8 bytes",
        ),
        (
            "repeated key",
            vec![k(format!("secretGenerator:\n- name: s\n  literals:\n  - password={SECRET}\n  - password={SECRET}-2\n"))],
            "illegally repeats the key `password`",
        ),
        (
            "repeated key from an env file and a literal",
            vec![
                k(format!("secretGenerator:\n- name: s\n  envs:\n  - x.env\n  literals:\n  - password={SECRET}\n")),
                f("x.env", &format!("password={SECRET}\n")),
            ],
            "illegally repeats the key `password`",
        ),
        (
            "create over a Secret of the base (behavior conflict)",
            vec![
                ("base/kustomization.yaml", format!("secretGenerator:\n- name: s\n  literals:\n  - password={SECRET}\n").into_bytes()),
                k(format!("resources:\n- base\nsecretGenerator:\n- name: s\n  literals:\n  - other={SECRET}\n")),
            ],
            "behavior must be merge or replace",
        ),
        (
            "merge with nothing to merge into",
            vec![k(format!("secretGenerator:\n- name: s\n  behavior: merge\n  literals:\n  - password={SECRET}\n"))],
            "cannot merge or replace",
        ),
        (
            "merge with a bad literal",
            vec![
                ("base/kustomization.yaml", format!("secretGenerator:\n- name: s\n  literals:\n  - password={SECRET}\n").into_bytes()),
                k(format!("resources:\n- base\nsecretGenerator:\n- name: s\n  behavior: merge\n  literals:\n  - {SECRET}\n")),
            ],
            "invalid literal source [redacted]",
        ),
        (
            "replacement index out of bounds for the Secret's value",
            vec![
                k(format!(
                    "secretGenerator:\n- name: s\n  literals:\n  - password={SECRET}\nresources:\n- cm.yaml\nreplacements:\n- source:\n    kind: Secret\n    name: s\n    fieldPath: data.password\n    options:\n      delimiter: \"-\"\n      index: 9\n  targets:\n  - select:\n      kind: ConfigMap\n    fieldPaths:\n    - data.a\n"
                )),
                f("cm.yaml", CM),
            ],
            "options.index 9 is out of bounds for value [redacted]",
        ),
        (
            "replacement target path through the Secret's value",
            vec![k(format!(
                "secretGenerator:\n- name: s\n  literals:\n  - password={SECRET}\nreplacements:\n- source:\n    kind: Secret\n    name: s\n    fieldPath: data.password\n  targets:\n  - select:\n      kind: Secret\n    fieldPaths:\n    - data.password.x\n"
            ))],
            "node contents:\n[redacted]",
        ),
        (
            "strategic merge patch of the Secret with the wrong type",
            vec![k(format!(
                "secretGenerator:\n- name: s\n  literals:\n  - password={SECRET}\npatches:\n- patch: |\n    apiVersion: v1\n    kind: Secret\n    metadata:\n      name: s\n    data:\n      password:\n        nested: x\n"
            ))],
            "wrong node kind",
        ),
        (
            "JSON 6902 test of the Secret's value",
            vec![k(format!(
                "secretGenerator:\n- name: s\n  literals:\n  - password={SECRET}\npatches:\n- target:\n    kind: Secret\n  patch: |\n    - op: test\n      path: /data/password\n      value: nope\n"
            ))],
            "test failed",
        ),
        (
            "labels configured on the Secret's data",
            vec![
                k(format!(
                    "secretGenerator:\n- name: s\n  literals:\n  - password={SECRET}\ncommonLabels:\n  app: web\nconfigurations:\n- conf.yaml\n"
                )),
                f("conf.yaml", "commonLabels:\n- path: data/password/x\n  kind: Secret\n  create: true\n"),
            ],
            "considering field 'data/password/x'",
        ),
        (
            "a YAML error in a resource next to the Secret",
            vec![
                k("secretGenerator:\n- name: s\n  envs:\n  - x.env\nresources:\n- bad.yaml\n".into()),
                f("x.env", &format!("PASSWORD={SECRET}\n")),
                f("bad.yaml", "a: [\n"),
            ],
            "bad.yaml",
        ),
        (
            "a Secret file source with a bad key and a literal secret",
            vec![
                k(format!("secretGenerator:\n- name: s\n  files:\n  - =pw.txt\n  literals:\n  - a={SECRET}\n")),
                f("pw.txt", SECRET),
            ],
            "missing key name",
        ),
        (
            "a var pointing at the Secret's data that is not a string",
            vec![
                k(format!(
                    "secretGenerator:\n- name: s\n  literals:\n  - password={SECRET}\nresources:\n- dep.yaml\nvars:\n- name: PW\n  objref:\n    kind: Secret\n    name: s\n    apiVersion: v1\n  fieldref:\n    fieldpath: data.password.nope\n"
                )),
                f("dep.yaml", &DEP.replace("nginx", "$(PW)")),
            ],
            "not found in corresponding resource",
        ),
    ]
}

#[test]
fn secret_values_never_in_errors() {
    let mut checked = 0;
    for (name, files, says) in failing() {
        let refs: Vec<(&str, &[u8])> = files.iter().map(|(p, d)| (*p, d.as_slice())).collect();
        let fs = fs(&refs);
        let e = match render(&fs, "/", &Options::default()) {
            Ok(r) => panic!("{}: expected an error, got {} resources", name, r.resources.len()),
            Err(e) => e,
        };
        let text = format!("{}\n{:?}\n{}", e, e, e.message());
        assert!(!leaks(&text), "{}: the secret leaks:\n{}", name, text);
        assert!(text.contains(says), "{}: expected {:?} in:\n{}", name, says, text);
        assert!(e.to_string().contains("kustomization.yaml") || e.path().is_some(), "{}: names no file: {}", name, e);
        checked += 1;
    }
    assert!(checked >= 15);
}

/// A ConfigMap keeps kustomize's message: only Secrets are redacted.
#[test]
fn config_map_messages_unchanged() {
    let fs = fs(&[("kustomization.yaml", b"configMapGenerator:\n- name: c\n  literals:\n  - password=visible\n  - novalue\n")]);
    let e = render(&fs, "/", &Options::default()).unwrap_err();
    assert_eq!(
        e.message(),
        "loading KV pairs: literal sources [password=visible novalue]: invalid literal source novalue, expected key=value"
    );
}

/// Builds that succeed with warnings: no secret in the warnings.
#[test]
fn secret_values_never_in_warnings() {
    let k = format!(
        "secretGenerator:\n- name: s\n  literals:\n  - password={SECRET}\nresources:\n- dep.yaml\nvars:\n- name: PW\n  objref:\n    kind: Secret\n    name: s\n    apiVersion: v1\n  fieldref:\n    fieldpath: data.password\ncommonLabels:\n  a: b\n"
    );
    let fs = fs(&[("kustomization.yaml", k.as_bytes()), ("dep.yaml", DEP.as_bytes())]);
    let r = render(&fs, "/", &Options::default()).unwrap();
    assert!(!r.warnings.is_empty());
    for w in &r.warnings {
        assert!(!leaks(w), "warning leaks the secret: {}", w);
    }
}
