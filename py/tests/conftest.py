"""Shared helpers: the golden corpus under testdata/ (see testdata/README.md)."""

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
TESTDATA = Path(os.environ.get("RUSTOMIZE_TESTDATA", REPO / "testdata"))


def _parse_string(line, i):
    assert line[i] == '"'
    i += 1
    out = []
    escapes = {'"': '"', "\\": "\\", "n": "\n", "t": "\t", "r": "\r"}
    while i < len(line):
        c = line[i]
        if c == '"':
            return "".join(out), i + 1
        if c == "\\":
            out.append(escapes[line[i + 1]])
            i += 2
        else:
            out.append(c)
            i += 1
    raise ValueError("unterminated string")


def parse_case_toml(text):
    """case.toml: `key = "string"` or `key = ["a", "b"]`, one a line, `#` comments."""
    out = {}
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        key, _, rest = line.partition("=")
        key, rest = key.strip(), rest.strip()
        if rest.startswith("["):
            items, i = [], 1
            while True:
                while rest[i] in " \t,":
                    i += 1
                if rest[i] == "]":
                    break
                item, i = _parse_string(rest, i)
                items.append(item)
            out[key] = items
        else:
            out[key], _ = _parse_string(rest, 0)
    return out


class Case:
    def __init__(self, name, path):
        self.name = name
        self.path = path
        toml = parse_case_toml((path / "case.toml").read_text(encoding="utf-8"))
        self.dir = toml.get("dir", ".")
        self.flags = toml.get("flags", [])
        self.expect = toml["expect"]
        self.error_kind = toml.get("error_kind")
        self.error_file = toml.get("error_file")
        self.pending = toml.get("pending")
        self.input = path / "input"

    def files(self):
        """The input tree as {relative path: bytes}."""
        out = {}
        for root, _dirs, names in os.walk(self.input):
            for n in names:
                p = Path(root) / n
                out[p.relative_to(self.input).as_posix()] = p.read_bytes()
        return out

    def options(self):
        """The case's CLI flags as keyword arguments."""
        opts = {}
        flags = list(self.flags)
        i = 0
        while i < len(flags):
            f = flags[i]
            name, eq, value = f.partition("=")
            if name in ("--reorder", "--load-restrictor", "--helm-command"):
                if not eq:
                    i += 1
                    value = flags[i]
                opts[name[2:].replace("-", "_")] = value
            elif name in ("--enable-managedby-label", "--enable-helm", "--enable-alpha-plugins", "--enable-exec"):
                opts[name[2:].replace("-", "_")] = (value or "true").lower() in ("true", "1", "t")
            else:
                raise ValueError(f"{self.name}: unknown flag {f}")
            i += 1
        return opts

    def expected(self):
        return (self.path / "expected.yaml").read_bytes().decode("utf-8")


def find_cases():
    cases = []
    for root, dirs, names in os.walk(TESTDATA):
        if "case.toml" in names:
            p = Path(root)
            cases.append(Case(p.relative_to(TESTDATA).as_posix(), p))
            dirs[:] = []  # input/ trees are not searched for cases
        else:
            dirs.sort()
    cases.sort(key=lambda c: c.name)
    return cases


CASES = find_cases()


def case_params(predicate=lambda c: True):
    return [
        pytest.param(c, id=c.name, marks=[pytest.mark.skip(reason=f"pending: {c.pending}")] if c.pending else [])
        for c in CASES
        if predicate(c)
    ]
