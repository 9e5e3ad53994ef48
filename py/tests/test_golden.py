"""Every case of the golden corpus (testdata/, see testdata/README.md), through the Python API.

ok cases: build_files() gives expected.yaml byte for byte, and so does build() from disk.
error cases: the KustomizeError subclass of the case's error_kind, whose str() names the
case's error_file. Cases marked `pending` are skipped, as by core/tests/golden.rs.
"""

import pytest

import rustomize

from conftest import CASES, case_params

# kustomize's deprecation warnings (commonLabels, bases, ...) are expected here.
pytestmark = pytest.mark.filterwarnings("ignore::rustomize.KustomizeWarning")

KIND_CLASSES = {
    "yaml": rustomize.YamlError,
    "kustomization": rustomize.KustomizationError,
    "not_found": rustomize.NotFoundError,
    "load_restriction": rustomize.LoadRestrictionError,
    "cycle": rustomize.CycleError,
    "resource": rustomize.ResourceError,
    "id_conflict": rustomize.IdConflictError,
    "transform": rustomize.TransformError,
    "unsupported": rustomize.UnsupportedError,
}


def test_corpus_found():
    assert len(CASES) > 100
    assert any(c.expect == "error" for c in CASES)


@pytest.mark.parametrize("case", case_params())
def test_build_files(case):
    files = case.files()
    if case.expect == "ok":
        out = rustomize.build_files(files, root=case.dir, **case.options())
        assert isinstance(out, str)
        expected = (case.path / "expected.yaml").read_bytes()
        assert out.encode("utf-8") == expected
    else:
        with pytest.raises(rustomize.KustomizeError) as info:
            rustomize.build_files(files, root=case.dir, **case.options())
        err = info.value
        assert type(err) is KIND_CLASSES[case.error_kind], str(err)
        assert err.kind == case.error_kind
        assert case.error_file in str(err)
        assert err.message and err.message in str(err)


@pytest.mark.parametrize("case", case_params(lambda c: c.expect == "ok"))
def test_build_from_disk(case):
    out = rustomize.build(case.input / case.dir, **case.options())
    assert out.encode("utf-8") == (case.path / "expected.yaml").read_bytes()


@pytest.mark.parametrize("case", case_params(lambda c: c.expect == "error"))
def test_build_from_disk_fails_alike(case):
    with pytest.raises(rustomize.KustomizeError) as info:
        rustomize.build(case.input / case.dir, **case.options())
    assert type(info.value) is KIND_CLASSES[case.error_kind], str(info.value)
    assert case.error_file.lstrip("/") in str(info.value)


@pytest.mark.parametrize("case", case_params(lambda c: c.expect == "ok"))
def test_resources_match_text(case):
    """build_files_resources() holds what build_files() prints, typed as YAML reads it."""
    yaml = pytest.importorskip("yaml")
    files = case.files()
    resources = rustomize.build_files_resources(files, root=case.dir, **case.options())
    text = case.expected()
    docs = [] if not text else text.split("\n---\n")
    assert len(resources) == len(docs)
    for res, doc in zip(resources, docs):
        parsed = yaml.load(doc, Loader=_Yaml12Loader(yaml))
        assert res == parsed
        # Keys in the order of the output.
        assert _key_orders(res) == _key_orders(parsed)


def _key_orders(v):
    if isinstance(v, dict):
        return [list(v)] + [o for x in v.values() for o in _key_orders(x)]
    if isinstance(v, list):
        return [o for x in v for o in _key_orders(x)]
    return []


_LOADER = None


def _Yaml12Loader(yaml):
    """PyYAML's SafeLoader with YAML 1.2 core-schema booleans (kustomize reads YAML 1.2:
    `yes`/`on` are strings) and timestamps kept as text."""
    global _LOADER
    if _LOADER is None:
        import re

        class Loader(yaml.SafeLoader):
            pass

        Loader.yaml_implicit_resolvers = {k: list(v) for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()}
        for first, resolvers in Loader.yaml_implicit_resolvers.items():
            resolvers[:] = [
                (tag, rx) for tag, rx in resolvers if tag not in ("tag:yaml.org,2002:bool", "tag:yaml.org,2002:timestamp")
            ]
        Loader.add_implicit_resolver(
            "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
        )
        _LOADER = Loader
    return _LOADER
