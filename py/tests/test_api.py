"""The Python API: arguments, options, errors, typed resources, warnings, threads."""

import concurrent.futures
import doctest
import inspect
import os
import pickle
import threading
import time
import warnings
from pathlib import Path, PurePosixPath

import pytest

import rustomize
from rustomize import _rustomize

from conftest import REPO

CM = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\ndata:\n  a: b\n"
SIMPLE = {
    "kustomization.yaml": "resources: [cm.yaml]\nnamePrefix: dev-\n",
    "cm.yaml": CM,
}
SIMPLE_OUT = "apiVersion: v1\ndata:\n  a: b\nkind: ConfigMap\nmetadata:\n  name: dev-cfg\n"


def write_tree(root, files):
    for path, data in files.items():
        p = Path(root) / path
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(data.encode() if isinstance(data, str) else data)


def app_tree(n=40):
    """A base with n deployments and services, an overlay with a prefix, labels and images."""
    files = {}
    names = []
    for i in range(n):
        names += [f"d{i}.yaml", f"s{i}.yaml"]
        files[f"base/d{i}.yaml"] = (
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n"
            f"  name: app{i}\nspec:\n  replicas: {i % 5}\n"
            f"  selector:\n    matchLabels:\n      app: app{i}\n"
            f"  template:\n    metadata:\n      labels:\n        app: app{i}\n"
            "    spec:\n      containers:\n      - name: main\n        image: nginx:1.0\n"
            "        ports:\n        - containerPort: 80\n"
        )
        files[f"base/s{i}.yaml"] = (
            "apiVersion: v1\nkind: Service\nmetadata:\n"
            f"  name: svc{i}\nspec:\n  selector:\n    app: app{i}\n  ports:\n  - port: 80\n"
        )
    files["base/kustomization.yaml"] = "resources:\n" + "".join(f"- {n}\n" for n in names)
    files["prod/kustomization.yaml"] = (
        "resources: [../base]\nnamePrefix: prod-\nnamespace: production\n"
        "labels:\n- pairs:\n    env: prod\n  includeSelectors: true\n"
        "images:\n- name: nginx\n  newTag: '1.25'\n"
    )
    return files


# ------------------------------------------------------------------------------------------
# build / build_files


def test_build_files_simple():
    assert rustomize.build_files(SIMPLE) == SIMPLE_OUT


def test_build_files_accepts_str_bytes_and_paths():
    files = {
        PurePosixPath("app/kustomization.yaml"): b"resources: [cm.yaml]\nnamePrefix: dev-\n",
        "/app/cm.yaml": bytearray(CM.encode()),
    }
    assert rustomize.build_files(files, root="app") == SIMPLE_OUT
    assert rustomize.build_files(files, root=PurePosixPath("/app")) == SIMPLE_OUT
    files["/app/cm.yaml"] = memoryview(CM.encode())
    assert rustomize.build_files(files, "app/") == SIMPLE_OUT


def test_build_files_utf8_and_bom():
    files = {
        "kustomization.yaml": "\ufeffresources: [cm.yaml]\n",
        "cm.yaml": CM.replace("a: b", "a: héllo ✓"),
    }
    assert "héllo ✓" in rustomize.build_files(files)


def test_build_files_reads_no_disk(tmp_path):
    write_tree(tmp_path, SIMPLE)
    # root names a real directory: not in the tree.
    with pytest.raises(rustomize.NotFoundError):
        rustomize.build_files({}, root=str(tmp_path))
    with pytest.raises(rustomize.NotFoundError):
        rustomize.build_files({"x.txt": "x"}, root=str(tmp_path))
    # A resource given by an absolute disk path is not read either.
    files = {"kustomization.yaml": f"resources: [{tmp_path / 'cm.yaml'}]\n"}
    with pytest.raises(rustomize.KustomizeError) as info:
        rustomize.build_files(files, load_restrictor="none")
    assert type(info.value) is rustomize.NotFoundError


def test_disk_equals_memory(tmp_path):
    files = app_tree()
    write_tree(tmp_path, files)
    mem = rustomize.build_files(files, root="prod")
    assert mem.count("\n---\n") == 79
    assert "prod-app3" in mem and "namespace: production" in mem and "nginx:1.25" in mem
    assert rustomize.build(tmp_path / "prod") == mem
    assert rustomize.build(str(tmp_path / "prod")) == mem
    assert rustomize.build(os.fsencode(tmp_path / "prod")) == mem
    assert rustomize.build(str(tmp_path / "base" / ".." / "prod")) == mem
    assert rustomize.build_resources(tmp_path / "prod") == rustomize.build_files_resources(files, root="prod")
    for opts in ({"reorder": "none"}, {"reorder": "legacy"}, {"enable_managedby_label": True}):
        assert rustomize.build(tmp_path / "prod", **opts) == rustomize.build_files(files, "prod", **opts)


def test_build_relative_path(tmp_path, monkeypatch):
    write_tree(tmp_path, {"app/" + k: v for k, v in SIMPLE.items()})
    monkeypatch.chdir(tmp_path)
    assert rustomize.build("app") == SIMPLE_OUT
    monkeypatch.chdir(tmp_path / "app")
    assert rustomize.build(".") == SIMPLE_OUT


def test_examples_app_from_disk_and_memory():
    overlay = REPO / "examples" / "app" / "overlays" / "production"
    if not overlay.is_dir():
        pytest.skip("examples/app not present")
    files = {}
    app = REPO / "examples" / "app"
    for p in app.rglob("*"):
        if p.is_file():
            files[p.relative_to(app).as_posix()] = p.read_bytes()
    assert rustomize.build(overlay) == rustomize.build_files(files, root="overlays/production")


def test_empty_kustomization():
    assert rustomize.build_files({"kustomization.yaml": "resources: []\n"}) == ""
    assert rustomize.build_files_resources({"kustomization.yaml": "resources: []\n"}) == []


# ------------------------------------------------------------------------------------------
# Typed resources


def test_resources_typed():
    doc = """apiVersion: v1
kind: ConfigMap
metadata:
  name: typed
  annotations:
    x: "1"
spec:
  int: 42
  negative: -7
  octal: 0644
  hex: 0x1F
  big: 18446744073709551615
  float: 1.5
  integral_float: 1.0
  exp: 1e3
  huge: 1e30
  yes_bool: true
  no_bool: False
  null_value: null
  tilde: ~
  empty:
  on_string: on
  y_string: y
  quoted_int: "123"
  single: '0644'
  time: 2024-01-02
  text: hello world
  multi: |
    line 1
    line 2
  list: [1, two, 3.25, null, true]
  nested: {b: 1, a: {z: [], y: {}}}
  zkey: 1
  akey: 2
  10: ten
  9: nine
"""
    [res] = rustomize.build_files_resources({"kustomization.yaml": "resources: [r.yaml]\n", "r.yaml": doc})
    spec = res["spec"]
    assert res["metadata"] == {"annotations": {"x": "1"}, "name": "typed"}
    expected = {
        "int": 42,
        "negative": -7,
        "octal": 420,
        "hex": 31,
        "big": 18446744073709551615,
        "float": 1.5,
        "integral_float": 1,
        "exp": 1000,
        "huge": 1e30,
        "yes_bool": True,
        "no_bool": False,
        "null_value": None,
        "tilde": None,
        "empty": None,
        "on_string": "on",
        "y_string": "y",
        "quoted_int": "123",
        "single": "0644",
        "time": "2024-01-02T00:00:00Z",
        "text": "hello world",
        "multi": "line 1\nline 2\n",
        "list": [1, "two", 3.25, None, True],
        "nested": {"a": {"y": {}, "z": []}, "b": 1},
        "zkey": 1,
        "akey": 2,
        "10": "ten",
        "9": "nine",
    }
    assert spec == expected
    for k in ("int", "octal", "hex", "big", "integral_float", "exp", "zkey"):
        assert type(spec[k]) is int, k
    assert type(spec["float"]) is float and type(spec["huge"]) is float
    assert type(spec["yes_bool"]) is bool
    # Keys in the order kustomize prints them.
    assert list(res) == ["apiVersion", "kind", "metadata", "spec"]
    assert list(spec)[:3] == ["9", "10", "akey"]
    assert list(spec["nested"]) == ["a", "b"]
    text = rustomize.build_files({"kustomization.yaml": "resources: [r.yaml]\n", "r.yaml": doc})
    assert "octal: 420\n" in text and "integral_float: 1\n" in text and "on_string: \"on\"\n" in text


def test_resources_infinite_float_fails_like_build():
    files = {
        "kustomization.yaml": "resources: [r.yaml]\n",
        "r.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  f: .inf\n",
    }
    # The text fails (kustomize cannot print it as JSON): so do the resources.
    with pytest.raises(rustomize.KustomizeError) as a:
        rustomize.build_files(files)
    with pytest.raises(rustomize.KustomizeError) as b:
        rustomize.build_files_resources(files)
    assert type(a.value) is type(b.value)
    assert a.value.message == b.value.message


def test_resources_are_fresh_objects():
    a = rustomize.build_files_resources(SIMPLE)
    a[0]["kind"] = "changed"
    assert rustomize.build_files_resources(SIMPLE)[0]["kind"] == "ConfigMap"


# ------------------------------------------------------------------------------------------
# Options


def test_options_reorder():
    files = {
        "kustomization.yaml": "resources: [r.yaml]\n",
        "r.yaml": CM + "---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: ns\n",
    }
    kinds = lambda **o: [r["kind"] for r in rustomize.build_files_resources(files, **o)]
    assert kinds() == ["Namespace", "ConfigMap"]
    assert kinds(reorder="legacy") == ["Namespace", "ConfigMap"]
    assert kinds(reorder=None) == ["Namespace", "ConfigMap"]
    assert kinds(reorder="none") == ["ConfigMap", "Namespace"]


def test_options_load_restrictor():
    files = {"app/kustomization.yaml": "resources: [../cm.yaml]\n", "cm.yaml": CM}
    for name in ("rootOnly", "LoadRestrictionsRootOnly", None):
        with pytest.raises(rustomize.LoadRestrictionError):
            rustomize.build_files(files, root="app", load_restrictor=name)
    with pytest.raises(rustomize.LoadRestrictionError):
        rustomize.build_files(files, root="app")
    for name in ("none", "LoadRestrictionsNone"):
        assert "name: cfg" in rustomize.build_files(files, root="app", load_restrictor=name)


def test_options_managedby_label():
    out = rustomize.build_files(SIMPLE, enable_managedby_label=True)
    assert "app.kubernetes.io/managed-by: kustomize-(devel)" in out
    assert "managed-by" not in rustomize.build_files(SIMPLE, enable_managedby_label=False)


def test_options_accepted():
    out = rustomize.build_files(
        SIMPLE,
        load_restrictor="rootOnly",
        reorder="legacy",
        enable_managedby_label=False,
        enable_helm=True,
        helm_command=Path("/usr/bin/helm"),
        enable_alpha_plugins=True,
        enable_exec=True,
    )
    assert out == SIMPLE_OUT


@pytest.mark.parametrize("func", ["build", "build_files", "build_resources", "build_files_resources"])
def test_unknown_option(func):
    f = getattr(rustomize, func)
    arg = "." if func in ("build", "build_resources") else SIMPLE
    with pytest.raises(TypeError) as info:
        f(arg, enable_hlem=True)
    msg = str(info.value)
    assert f"{func}() got an unexpected keyword argument 'enable_hlem'" in msg
    assert "did you mean 'enable_helm'" in msg
    assert "load_restrictor" in msg  # lists the options
    with pytest.raises(TypeError):
        f(arg, output="x")


@pytest.mark.parametrize(
    "options, exc, words",
    [
        ({"load_restrictor": "root"}, ValueError, ["load_restrictor", "'root'", "'rootOnly'"]),
        ({"load_restrictor": "RootOnly"}, ValueError, ["load_restrictor"]),
        ({"load_restrictor": 1}, TypeError, ["load_restrictor", "int"]),
        ({"reorder": "alphabetical"}, ValueError, ["reorder", "'legacy'"]),
        ({"reorder": False}, TypeError, ["reorder", "bool"]),
        ({"enable_helm": "yes"}, TypeError, ["enable_helm", "bool", "str"]),
        ({"enable_exec": 1}, TypeError, ["enable_exec", "bool"]),
        ({"enable_managedby_label": None}, TypeError, ["enable_managedby_label"]),
        ({"helm_command": 3}, TypeError, ["helm_command"]),
    ],
)
def test_invalid_option_values(options, exc, words):
    with pytest.raises(exc) as info:
        rustomize.build_files(SIMPLE, **options)
    for w in words:
        assert w in str(info.value)


def test_native_options_checked_too():
    with pytest.raises(ValueError):
        _rustomize.Options(reorder="sideways")
    with pytest.raises(ValueError):
        _rustomize.Options(load_restrictor="everything")
    with pytest.raises(TypeError):
        _rustomize.Options(enable_helm="yes")
    with pytest.raises(TypeError):
        _rustomize.Options(bogus=True)
    o = _rustomize.Options(reorder="none", enable_exec=True, helm_command="h")
    assert repr(o) == (
        "Options(load_restrictor='rootOnly', reorder='none', enable_managedby_label=False, "
        "enable_helm=False, helm_command=\"h\", enable_alpha_plugins=False, enable_exec=True)"
    )


@pytest.mark.parametrize(
    "files, exc",
    [
        ([("kustomization.yaml", "")], TypeError),
        ({"kustomization.yaml": 3}, TypeError),
        ({"kustomization.yaml": None}, TypeError),
        ({3: "x"}, TypeError),
        ({"": "x"}, ValueError),
        ({"a\0b": "x"}, ValueError),
    ],
)
def test_invalid_files(files, exc):
    with pytest.raises(exc):
        rustomize.build_files(files)


def test_invalid_paths():
    with pytest.raises(TypeError):
        rustomize.build(3)
    with pytest.raises(TypeError):
        rustomize.build(None)
    with pytest.raises(TypeError):
        rustomize.build_files(SIMPLE, root=None)
    with pytest.raises(ValueError):
        rustomize.build("a\0b")


# ------------------------------------------------------------------------------------------
# Errors


ALL_CLASSES = {
    "yaml": rustomize.YamlError,
    "kustomization": rustomize.KustomizationError,
    "not_found": rustomize.NotFoundError,
    "load_restriction": rustomize.LoadRestrictionError,
    "cycle": rustomize.CycleError,
    "resource": rustomize.ResourceError,
    "id_conflict": rustomize.IdConflictError,
    "transform": rustomize.TransformError,
    "unsupported": rustomize.UnsupportedError,
    "usage": rustomize.UsageError,
    "external": rustomize.ExternalError,
    "internal": rustomize.InternalError,
}


def test_error_classes():
    for kind, cls in ALL_CLASSES.items():
        assert issubclass(cls, rustomize.KustomizeError)
        assert issubclass(cls, Exception)
        assert cls.kind == kind
        assert cls.__name__ in rustomize.__all__
        assert cls.__doc__
        err = rustomize._error_from_native(kind, "boom", "/a/k.yaml", 3, 7, ["/a", "/b"])
        assert type(err) is cls
        assert (err.kind, err.message, err.path, err.line, err.column, err.chain) == (
            kind,
            "boom",
            "/a/k.yaml",
            3,
            7,
            ("/a", "/b"),
        )
        assert str(err) == "/a/k.yaml:3:7: boom\n  in kustomization /a\n  in kustomization /b"
        clone = pickle.loads(pickle.dumps(err))
        assert type(clone) is cls and str(clone) == str(err) and clone.chain == err.chain
    # A kind newer than the Python module: the base class, with the kind.
    err = rustomize._error_from_native("brand_new", "m", None, None, None, [])
    assert type(err) is rustomize.KustomizeError and err.kind == "brand_new" and str(err) == "m"
    assert pickle.loads(pickle.dumps(err)).kind == "brand_new"


def test_error_str_forms():
    assert str(rustomize.YamlError("m")) == "m"
    assert str(rustomize.YamlError("m", "/k.yaml")) == "/k.yaml: m"
    assert str(rustomize.YamlError("m", "/k.yaml", 2)) == "/k.yaml:2: m"
    assert repr(rustomize.YamlError("m", "/k.yaml", 2, 1)) == "YamlError('m', path='/k.yaml', line=2, column=1)"


def test_yaml_error_position():
    with pytest.raises(rustomize.YamlError) as info:
        rustomize.build_files({"kustomization.yaml": "resources:\n  - a.yaml\n bad: [\n"})
    err = info.value
    assert err.path == "/kustomization.yaml"
    assert err.line is not None and err.line >= 2 and err.column is not None
    assert str(err).startswith(f"/kustomization.yaml:{err.line}:{err.column}: ")


def test_errors_by_kind():
    cases = {
        rustomize.KustomizationError: {"kustomization.yaml": "resourcez: []\n"},
        rustomize.NotFoundError: {"kustomization.yaml": "resources: [missing.yaml]\n"},
        rustomize.LoadRestrictionError: {"app/kustomization.yaml": "resources: [../cm.yaml]\n", "cm.yaml": CM},
        rustomize.CycleError: {
            "app/kustomization.yaml": "resources: [../other]\n",
            "other/kustomization.yaml": "resources: [../app]\n",
        },
        rustomize.ResourceError: {
            "app/kustomization.yaml": "resources: [r.yaml]\n",
            "app/r.yaml": "apiVersion: v1\nmetadata:\n  name: x\n",
        },
        rustomize.IdConflictError: {"app/kustomization.yaml": "resources: [cm.yaml, cm2.yaml]\n", "app/cm.yaml": CM, "app/cm2.yaml": CM},
    }
    for cls, files in cases.items():
        root = "app" if any(k.startswith("app/") for k in files) else "."
        with pytest.raises(rustomize.KustomizeError) as info:
            rustomize.build_files(files, root=root)
        assert type(info.value) is cls, f"{cls.__name__}: {info.value!r}"
        assert info.value.message
        with pytest.raises(cls):
            rustomize.build_files_resources(files, root=root)


def test_not_a_directory_on_disk(tmp_path):
    with pytest.raises(rustomize.NotFoundError) as info:
        rustomize.build(tmp_path / "nope")
    assert "nope" in str(info.value)
    with pytest.raises(rustomize.NotFoundError):
        rustomize.build_resources(tmp_path)  # a directory without a kustomization


def test_panics_become_internal_errors():
    for where in ("build", "convert"):
        with pytest.raises(rustomize.InternalError) as info:
            _rustomize._panic_for_tests(where)
        assert "internal error" in info.value.message and "test panic" in info.value.message


def test_no_panic_exception_escapes():
    # pyo3's PanicException derives from BaseException, not Exception: make sure we never
    # raise it, whatever the input.
    weird = [
        {"kustomization.yaml": "\x00\x01"},
        {"kustomization.yaml": b"\xff\xfe\x00"},
        {"kustomization.yaml": "a: &x [*x]\n"},
        {"kustomization.yaml": "resources: [r.yaml]\n", "r.yaml": "- - - [\n"},
        {"kustomization.yaml": "resources: [r.yaml]\n", "r.yaml": "{" * 500 + "}" * 500},
        {"kustomization.yaml": "resources: [r.yaml]\n", "r.yaml": "kind: List\nitems: 3\n"},
    ]
    for files in weird:
        try:
            rustomize.build_files(files)
            rustomize.build_files_resources(files)
        except rustomize.KustomizeError:
            pass


# ------------------------------------------------------------------------------------------
# Warnings


def test_warnings_issued():
    files = {"kustomization.yaml": "resources: [cm.yaml]\nsortOptions:\n  order: fifo\n", "cm.yaml": CM}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        rustomize.build_files(files, reorder="none")
    assert len(caught) == 1
    w = caught[0]
    assert issubclass(w.category, rustomize.KustomizeWarning)
    assert "Sorting order is set both" in str(w.message)
    assert not str(w.message).startswith("Warning:")
    assert w.filename == __file__  # attributed to the caller
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        rustomize.build_files(files)  # no warning without the flag


# ------------------------------------------------------------------------------------------
# Threads and the GIL


def test_concurrent_builds_same_bytes(tmp_path):
    files = app_tree(30)
    write_tree(tmp_path, files)
    want_mem = rustomize.build_files(files, root="prod")
    want_res = rustomize.build_files_resources(files, root="prod")

    def work(i):
        if i % 3 == 0:
            return rustomize.build_files(files, root="prod") == want_mem
        if i % 3 == 1:
            return rustomize.build(tmp_path / "prod") == want_mem
        return rustomize.build_files_resources(files, root="prod") == want_res

    with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(work, range(48)))
    assert all(results)


def test_concurrent_errors():
    bad = {"kustomization.yaml": "resources: [missing.yaml]\n"}

    def work(i):
        try:
            rustomize.build_files(bad if i % 2 else SIMPLE)
            return "ok"
        except rustomize.NotFoundError:
            return "err"

    with concurrent.futures.ThreadPoolExecutor(max_workers=6) as pool:
        results = list(pool.map(work, range(30)))
    assert results == ["ok", "err"] * 15


def test_gil_released_while_building():
    # A tree big enough for the build to take a while (builds keep getting faster).
    for n in (600, 2400, 9600):
        files = app_tree(n)
        t0 = time.perf_counter()
        rustomize.build_files(files, root="prod")
        took = time.perf_counter() - t0
        if took >= 0.05:
            break
    else:
        pytest.skip(f"build too fast to observe ({took:.3f}s)")
    started = threading.Event()
    spins = 0

    def worker():
        started.set()
        rustomize.build_files(files, root="prod")

    t = threading.Thread(target=worker)
    t.start()
    started.wait()
    while t.is_alive():
        spins += 1
    t.join()
    # With the GIL held for the whole build, this thread could not have run meanwhile.
    assert spins > 1000, spins


# ------------------------------------------------------------------------------------------
# Module surface and documentation


def test_module_surface():
    for name in rustomize.__all__:
        assert hasattr(rustomize, name), name
    assert rustomize.__version__ == _rustomize.__version__
    assert rustomize.KUSTOMIZE_VERSION == "v5.5.0"
    pkg = Path(rustomize.__file__).parent
    assert (pkg / "py.typed").is_file()
    assert (pkg / "__init__.pyi").is_file()


def test_docstrings():
    for f in (rustomize.build, rustomize.build_files, rustomize.build_resources, rustomize.build_files_resources):
        doc = inspect.getdoc(f)
        assert "{options}" not in doc
        for opt in ("load_restrictor", "reorder", "enable_managedby_label", "helm_command", "KustomizeError"):
            assert opt in doc, (f.__name__, opt)
    assert "kustomize build" in rustomize.__doc__
    assert "typed" in rustomize.build_resources.__doc__


def test_doctests():
    results = doctest.testmod(rustomize, extraglobs={"rustomize": rustomize}, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert results.attempted >= 3
    assert results.failed == 0
