"""Hostile and broken input through the Python API (the corpus testdata/bad/, generated input,
secrets), and determinism: 100 builds in a row and 8 threads at once give the same bytes.

Every failing build raises a KustomizeError subclass (never InternalError) whose str() names
the file; no build hangs (each is timed).
"""

import concurrent.futures
import time

import pytest

import rustomize

from conftest import CASES, TESTDATA, Case

pytestmark = pytest.mark.filterwarnings("ignore::rustomize.KustomizeWarning")

BAD = [c for c in CASES if c.name.startswith("bad/") and not c.pending]
BAD_ERRORS = [c for c in BAD if c.expect == "error"]
LIMIT_S = 60


def timed(f, *args, **kwargs):
    start = time.monotonic()
    try:
        return f(*args, **kwargs)
    finally:
        assert time.monotonic() - start < LIMIT_S, "build took too long"


def raises_named(f, *args, names, **kwargs):
    with pytest.raises(rustomize.KustomizeError) as info:
        timed(f, *args, **kwargs)
    err = info.value
    assert not isinstance(err, rustomize.InternalError), str(err)
    assert names in str(err), str(err)
    return err


def test_corpus_size():
    assert len(BAD_ERRORS) >= 50


@pytest.mark.parametrize("case", BAD_ERRORS, ids=[c.name for c in BAD_ERRORS])
def test_bad_case(case):
    """From memory and from disk: a KustomizeError naming error_file."""
    err = raises_named(rustomize.build_files, case.files(), root=case.dir, names=case.error_file, **case.options())
    assert err.kind == case.error_kind
    raises_named(rustomize.build, case.input / case.dir, names=case.error_file.lstrip("/"), **case.options())


def _bomb():
    s = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: lol\ndata:\n  a: &a [lol,lol,lol,lol,lol,lol,lol,lol,lol]\n"
    for i in range(8):
        me, prev = chr(98 + i), chr(97 + i)
        s += f"  {me}: &{me} [" + ",".join([f"*{prev}"] * 9) + "]\n"
    return s


GENERATED = {
    "alias_bomb": _bomb(),
    "deep_flow": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  a: " + "[" * 10000 + "]" * 10000 + "\n",
    "deep_block": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\nspec:\n  a:\n  " + "- " * 10000 + "x\n",
    "binary": bytes((i * 2654435761 >> 13) & 0xFF for i in range(4096)),
    "invalid_utf8": b"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: \xff\xfe\n",
}


@pytest.mark.parametrize("name", sorted(GENERATED))
def test_generated_hostile_input(name):
    files = {"kustomization.yaml": "resources:\n- r.yaml\n", "r.yaml": GENERATED[name]}
    err = raises_named(rustomize.build_files, files, names="r.yaml")
    assert isinstance(err, rustomize.YamlError), repr(err)


def test_big_scalar():
    n = 8 << 20
    body = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\ndata:\n  a: " + "x" * n + "\n"
    out = timed(rustomize.build_files, {"kustomization.yaml": "resources:\n- r.yaml\n", "r.yaml": body})
    assert len(out) == n + len("apiVersion: v1\ndata:\n  a: \nkind: ConfigMap\nmetadata:\n  name: big\n")


def test_deep_bases_refused():
    files = {f"b{i}/kustomization.yaml": f"resources:\n- ../b{i + 1}\n" for i in range(1000)}
    files["b1000/kustomization.yaml"] = "resources: []\n"
    err = raises_named(rustomize.build_files, files, root="b0", names="../b50")
    assert isinstance(err, rustomize.KustomizationError) and "nested more than 50 deep" in str(err)


SECRET = "S3CR3T-VALUE-xyz"
SECRET_B64 = "UzNDUjNULVZBTFVFLXh5eg=="
SECRET_CASES = {
    "bad_literal": {"kustomization.yaml": f"secretGenerator:\n- name: s\n  literals:\n  - password={SECRET}\n  - novalue\n"},
    "env_line": {
        "kustomization.yaml": "secretGenerator:\n- name: s\n  envs:\n  - x.env\n",
        "x.env": f"PASSWORD={SECRET}\nBAD=".encode() + b"\xff" + SECRET.encode() + b"\n",
    },
    "replacement_index": {
        "kustomization.yaml": (
            f"secretGenerator:\n- name: s\n  literals:\n  - password={SECRET}\nresources:\n- cm.yaml\n"
            "replacements:\n- source:\n    kind: Secret\n    name: s\n    fieldPath: data.password\n"
            "    options:\n      delimiter: '-'\n      index: 9\n"
            "  targets:\n  - select:\n      kind: ConfigMap\n    fieldPaths:\n    - data.a\n"
        ),
        "cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\ndata:\n  a: x\n",
    },
    "replacement_target": {
        "kustomization.yaml": (
            f"secretGenerator:\n- name: s\n  literals:\n  - password={SECRET}\n"
            "replacements:\n- source:\n    kind: Secret\n    name: s\n    fieldPath: data.password\n"
            "  targets:\n  - select:\n      kind: Secret\n    fieldPaths:\n    - data.password.x\n"
        ),
    },
}


@pytest.mark.parametrize("name", sorted(SECRET_CASES))
def test_secret_not_in_error(name):
    err = raises_named(rustomize.build_files, SECRET_CASES[name], names="kustomization.yaml")
    for text in (str(err), repr(err), err.message):
        assert SECRET not in text and SECRET_B64 not in text, text


# -------------------------------------------------------------------------------------------
# Determinism

RICH = ["app/production", "generators/refs_across_overlay_merge", "patches/combined_overlay", "replacements/generated_configmap_hash"]


def _case(name):
    return Case(name, TESTDATA / name)


def test_hundred_builds_in_a_row():
    c = _case(RICH[0])
    files, expected = c.files(), (c.path / "expected.yaml").read_bytes()
    for i in range(100):
        assert rustomize.build_files(files, root=c.dir, **c.options()).encode() == expected, f"build {i}"


def test_eight_threads_at_once():
    cases = [_case(n) for n in RICH]
    inputs = [(c.files(), c.dir, c.options(), (c.path / "expected.yaml").read_bytes()) for c in cases]

    def work(t):
        outs = []
        for k in range(len(inputs) * 3):
            files, root, opts, expected = inputs[(k + t) % len(inputs)]
            outs.append(rustomize.build_files(files, root=root, **opts).encode() == expected)
        return outs

    with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(work, range(8)))
    assert all(all(r) for r in results)
