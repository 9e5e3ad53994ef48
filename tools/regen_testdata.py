#!/usr/bin/env python3
"""Regenerate (or check) the expected outputs of the golden test corpus.

Usage:
    tools/regen_testdata.py [--check] [--verbose] [--jobs N] [--kustomize CMD] [FILTER...]

Every case is a folder testdata/<area>/<case>/ holding `case.toml` and `input/`
(see testdata/README.md).  For each case (or only those whose `<area>/<case>`
name contains one of the FILTER substrings) this runs, from the case folder,

    kubectl kustomize <flags> input/<dir>

and writes the reference's stdout to `expected.yaml` (exit status 0) or its
error message to `expected.err` (non-zero exit status), removing the other
file if it is there.  The error message is normalised: the klog prefix is
dropped (`Error: <message>` is written) and the absolute path of the case's
`input/` folder is replaced by `/`, so paths read as they do in the in-memory
file system of the Rust harness (`/overlays/prod/kustomization.yaml`).

The outcome must match the case's `expect` ("ok" or "error"); a mismatch is
reported, nothing is written for that case, and the exit status is 1.

--check      compare with the stored files instead of writing them.  A
             changed expected.yaml, a missing file or an outcome mismatch is a
             failure; a changed expected.err is only a warning (the message is
             for reference).
--kustomize  the reference command (default: "kubectl kustomize").

python3 and the standard library only.
"""

import argparse
import concurrent.futures
import difflib
import os
import re
import shlex
import subprocess
import sys

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TESTDATA = os.path.join(REPO, "testdata")
TIMEOUT_S = 120

KNOWN_KEYS = {"dir", "flags", "expect", "error_kind", "error_file", "description", "pending"}
ERROR_KINDS = {
    "yaml", "kustomization", "not_found", "load_restriction", "cycle",
    "resource", "id_conflict", "transform", "unsupported",
}


class CaseError(Exception):
    pass


# ---------------------------------------------------------------- case.toml


def _parse_string(s, i):
    """Parse a double-quoted string starting at s[i] == '"'; return (value, next index)."""
    assert s[i] == '"'
    i += 1
    out = []
    escapes = {'"': '"', "\\": "\\", "n": "\n", "t": "\t", "r": "\r"}
    while i < len(s):
        c = s[i]
        if c == '"':
            return "".join(out), i + 1
        if c == "\\":
            if i + 1 >= len(s) or s[i + 1] not in escapes:
                raise CaseError("bad escape in string")
            out.append(escapes[s[i + 1]])
            i += 2
            continue
        out.append(c)
        i += 1
    raise CaseError("unterminated string")


def _skip_ws(s, i):
    while i < len(s) and s[i] in " \t":
        i += 1
    return i


def _rest_is_comment(s, i):
    i = _skip_ws(s, i)
    return i >= len(s) or s[i] == "#"


def parse_case_toml(text):
    """The tiny subset of TOML case.toml uses: `key = "string"` and
    `key = ["a", "b"]`, one a line, `#` comments, blank lines."""
    out = {}
    for n, line in enumerate(text.splitlines(), 1):
        s = line.strip()
        if not s or s.startswith("#"):
            continue
        m = re.match(r"([A-Za-z_][A-Za-z0-9_-]*)\s*=\s*", s)
        if not m:
            raise CaseError("line %d: expected `key = value`" % n)
        key, i = m.group(1), m.end()
        if key in out:
            raise CaseError("line %d: duplicate key %r" % (n, key))
        try:
            if i < len(s) and s[i] == '"':
                val, i = _parse_string(s, i)
            elif i < len(s) and s[i] == "[":
                val, i = [], _skip_ws(s, i + 1)
                while True:
                    if i < len(s) and s[i] == "]":
                        i += 1
                        break
                    if i >= len(s) or s[i] != '"':
                        raise CaseError("expected a string in the list")
                    item, i = _parse_string(s, i)
                    val.append(item)
                    i = _skip_ws(s, i)
                    if i < len(s) and s[i] == ",":
                        i = _skip_ws(s, i + 1)
                    elif i < len(s) and s[i] == "]":
                        continue
                    else:
                        raise CaseError("expected `,` or `]`")
            else:
                raise CaseError("expected a string or a list of strings")
        except CaseError as e:
            raise CaseError("line %d: %s" % (n, e))
        if not _rest_is_comment(s, i):
            raise CaseError("line %d: trailing characters" % n)
        out[key] = val
    return out


def load_case(case_dir):
    with open(os.path.join(case_dir, "case.toml"), encoding="utf-8") as f:
        c = parse_case_toml(f.read())
    unknown = set(c) - KNOWN_KEYS
    if unknown:
        raise CaseError("unknown keys: %s" % ", ".join(sorted(unknown)))
    c.setdefault("dir", ".")
    c.setdefault("flags", [])
    if not isinstance(c["flags"], list):
        raise CaseError("flags must be a list of strings")
    for k in ("dir", "expect", "error_kind", "error_file", "description", "pending"):
        if k in c and not isinstance(c[k], str):
            raise CaseError("%s must be a string" % k)
    if c.get("expect") not in ("ok", "error"):
        raise CaseError('expect must be "ok" or "error"')
    if c["expect"] == "error":
        if c.get("error_kind") not in ERROR_KINDS:
            raise CaseError("error_kind must be one of: %s" % ", ".join(sorted(ERROR_KINDS)))
        if not c.get("error_file"):
            raise CaseError("error cases need error_file")
    elif "error_kind" in c or "error_file" in c:
        raise CaseError("error_kind/error_file are only for error cases")
    if not os.path.isdir(os.path.join(case_dir, "input")):
        raise CaseError("no input/ folder")
    d = c["dir"]
    if d.startswith("/") or ".." in d.split("/"):
        raise CaseError("dir must be relative and inside input/")
    if not os.path.isdir(os.path.join(case_dir, "input", d)):
        raise CaseError("dir %r is not a folder under input/" % d)
    return c


def find_cases(filters):
    """Yield (name, case_dir) for every folder under testdata/ holding case.toml, sorted."""
    found = []
    for dirpath, dirnames, filenames in os.walk(TESTDATA):
        dirnames.sort()
        if "case.toml" in filenames:
            name = os.path.relpath(dirpath, TESTDATA).replace(os.sep, "/")
            dirnames[:] = []  # input/ trees are not searched for cases
            if not filters or any(f in name for f in filters):
                found.append((name, dirpath))
    return sorted(found)


# ---------------------------------------------------------------- running


_KLOG = re.compile(r'^[EWIF]\d{4} [\d:.]+\s+\d+ [\w.]+:\d+\] "command failed" err=(".*")\s*$')
_KLOG_MULTI = re.compile(r'^[EWIF]\d{4} [\d:.]+\s+\d+ [\w.]+:\d+\] "command failed" err=<\s*$')


def go_unquote(q):
    """Undo Go's strconv.Quote (as klog prints err=...)."""
    assert q.startswith('"') and q.endswith('"')
    s, out, i = q[1:-1], bytearray(), 0
    simple = {"a": 7, "b": 8, "f": 12, "n": 10, "r": 13, "t": 9, "v": 11, "\\": 92, '"': 34, "'": 39}
    while i < len(s):
        c = s[i]
        if c != "\\":
            out += c.encode("utf-8")
            i += 1
            continue
        e = s[i + 1]
        if e in simple:
            out.append(simple[e])
            i += 2
        elif e == "x":
            out.append(int(s[i + 2:i + 4], 16))
            i += 4
        elif e == "u":
            out += chr(int(s[i + 2:i + 6], 16)).encode("utf-8")
            i += 6
        elif e == "U":
            out += chr(int(s[i + 2:i + 10], 16)).encode("utf-8")
            i += 10
        else:
            out += ("\\" + e).encode("utf-8")
            i += 2
    return out.decode("utf-8", "replace")


def normalise_err(stderr, case_dir):
    text = stderr.decode("utf-8", "replace")
    msgs = []
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        i += 1
        m = _KLOG.match(line)
        if m:
            msgs.append("Error: " + go_unquote(m.group(1)))
            continue
        m = _KLOG_MULTI.match(line)
        if m:
            # klog writes a multi-line message as  err=<\n\t<line>\n\t<line>\n >
            body = []
            while i < len(lines) and lines[i] != " >":
                body.append(lines[i][1:] if lines[i].startswith("\t") else lines[i])
                i += 1
            i += 1
            msgs.append("Error: " + "\n".join(body))
        elif line.startswith("Flag --reorder has been deprecated"):
            continue
        else:
            msgs.append(line)
    out = "\n".join(msgs).rstrip("\n") + "\n"
    input_abs = os.path.join(os.path.realpath(case_dir), "input")
    for p in {input_abs, os.path.join(os.path.abspath(case_dir), "input")}:
        out = out.replace(p + "/", "/").replace(p, "/")
    return out


def run_reference(kustomize, case, case_dir):
    d = case["dir"]
    target = "input" if d in (".", "") else "input/" + d.strip("/")
    cmd = kustomize + list(case["flags"]) + [target]
    try:
        p = subprocess.run(cmd, cwd=case_dir, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           timeout=TIMEOUT_S)
    except subprocess.TimeoutExpired:
        return None, b"", b"timeout"
    return p.returncode, p.stdout, p.stderr


def short_diff(a, b, a_name, b_name, limit=30):
    lines = list(difflib.unified_diff(a.splitlines(), b.splitlines(), a_name, b_name, n=2, lineterm=""))
    if len(lines) > limit:
        lines = lines[:limit] + ["... (%d more diff lines)" % (len(lines) - limit)]
    if not lines:
        lines = ["(texts differ only in line endings or a trailing newline)"]
    return "\n".join("    " + l for l in lines)


def process(name, case_dir, args):
    """Return (status, messages); status in ok|written|unchanged|fail|warn."""
    try:
        case = load_case(case_dir)
    except (CaseError, OSError, UnicodeDecodeError) as e:
        return "fail", ["bad case.toml: %s" % e]
    rc, out, err = run_reference(args.kustomize, case, case_dir)
    if rc is None:
        return "fail", ["reference timed out"]
    outcome = "ok" if rc == 0 else "error"
    if outcome != case["expect"]:
        msg = ["expect = %r but the reference %s" % (
            case["expect"], "succeeded" if rc == 0 else "failed (exit %d)" % rc)]
        if rc != 0:
            msg.append("    " + normalise_err(err, case_dir).strip().replace("\n", "\n    "))
        return "fail", msg
    yaml_path = os.path.join(case_dir, "expected.yaml")
    err_path = os.path.join(case_dir, "expected.err")
    if outcome == "ok":
        new_path, new_data, stale = yaml_path, out, err_path
    else:
        new_path, new_data, stale = err_path, normalise_err(err, case_dir).encode("utf-8"), yaml_path
    warnings = []
    if outcome == "error":
        ef = case["error_file"]
        if ef not in new_data.decode("utf-8", "replace"):
            warnings.append("note: the reference's message does not mention error_file %r" % ef)
    old = None
    if os.path.exists(new_path):
        with open(new_path, "rb") as f:
            old = f.read()
    if args.check:
        msgs = list(warnings)
        status = "ok"
        if os.path.exists(stale):
            msgs.append("stale %s present" % os.path.basename(stale))
            status = "fail"
        if old is None:
            msgs.append("missing %s" % os.path.basename(new_path))
            return "fail", msgs
        if old != new_data:
            msgs.append("%s differs from the reference:" % os.path.basename(new_path))
            msgs.append(short_diff(old.decode("utf-8", "replace"), new_data.decode("utf-8", "replace"),
                                   "stored", "reference"))
            if outcome == "ok":
                status = "fail"
            elif status == "ok":
                status = "warn"
        elif warnings and status == "ok":
            status = "warn"
        return status, msgs
    changed = old != new_data
    if changed:
        with open(new_path, "wb") as f:
            f.write(new_data)
    if os.path.exists(stale):
        os.remove(stale)
        changed = True
    return ("written" if changed else "unchanged"), warnings


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("filters", nargs="*", help="only cases whose <area>/<case> contains one of these")
    ap.add_argument("--check", action="store_true", help="compare, do not write")
    ap.add_argument("--verbose", "-v", action="store_true", help="also list unchanged cases")
    ap.add_argument("--jobs", "-j", type=int, default=2)
    ap.add_argument("--kustomize", default="kubectl kustomize", help="reference command")
    args = ap.parse_args()
    args.kustomize = shlex.split(args.kustomize)

    cases = find_cases(args.filters)
    if not cases:
        print("no cases match", file=sys.stderr)
        return 1
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as ex:
        results = list(ex.map(lambda c: process(c[0], c[1], args), cases))

    counts = {}
    for (name, _), (status, msgs) in zip(cases, results):
        counts[status] = counts.get(status, 0) + 1
        if status in ("unchanged", "ok") and not msgs and not args.verbose:
            continue
        print("%-9s %s" % (status, name))
        for m in msgs:
            print("    " + m if not m.startswith("    ") else m)
    order = ["ok", "unchanged", "written", "warn", "fail"]
    print(", ".join("%d %s" % (counts[k], k) for k in order if k in counts) + " (%d cases)" % len(cases))
    return 1 if counts.get("fail") else 0


if __name__ == "__main__":
    sys.exit(main())
