"""build_many: parallel builds of many roots give what build gives, in order; errors."""
import pathlib

import pytest

import rustomize

TESTDATA = pathlib.Path(__file__).resolve().parents[2] / "testdata"


def _roots():
    out = []
    for case in sorted(TESTDATA.glob("*/*/case.toml")):
        text = case.read_text()
        if "flags" in text or "pending" in text or case.parent.parent.name == "bad":
            continue
        root = "."
        for line in text.splitlines():
            if line.startswith("dir"):
                root = line.split("=", 1)[1].strip().strip('"')
        out.append(case.parent / "input" / root)
    return out


def _alone(path):
    try:
        return rustomize.build(path)
    except rustomize.KustomizeError as e:
        return e


@pytest.mark.filterwarnings("ignore::rustomize.KustomizeWarning")
@pytest.mark.parametrize("jobs", [None, 1, 3])
def test_batch_equals_separate_builds(jobs):
    roots = _roots()
    assert len(roots) > 250
    got = rustomize.build_many(roots, jobs=jobs, return_exceptions=True)
    assert len(got) == len(roots)
    for root, g in zip(roots, got):
        want = _alone(root)
        if isinstance(want, Exception):
            assert type(g) is type(want), root
            assert str(g) == str(want), root
        else:
            assert g == want, root


def test_first_error_raises_in_order(tmp_path):
    ok = tmp_path / "ok"
    ok.mkdir()
    (ok / "kustomization.yaml").write_text("resources: [cm.yaml]\n")
    (ok / "cm.yaml").write_text("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n")
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "kustomization.yaml").write_text("resources: [missing.yaml]\n")
    with pytest.raises(rustomize.NotFoundError, match="missing.yaml"):
        rustomize.build_many([ok, bad, tmp_path / "nowhere"])
    got = rustomize.build_many([ok, bad, ok], return_exceptions=True)
    assert got[0] == got[2] == rustomize.build(ok)
    assert isinstance(got[1], rustomize.KustomizeError) and "missing.yaml" in str(got[1])
    assert rustomize.build_many([]) == []


def test_arguments_checked():
    with pytest.raises(TypeError):
        rustomize.build_many("a/path")
    with pytest.raises(ValueError):
        rustomize.build_many(["."], jobs=0)
    with pytest.raises(TypeError):
        rustomize.build_many(["."], reorder=3)
