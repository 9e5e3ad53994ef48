#!/usr/bin/env python3
"""Re-render check: does a renderer reproduce kustomize's output from its own output?

Usage:
    tools/rerender_check.py [FOLDER] [--cmd CMD] [--kubectl] [--filter S] [--verbose]

For every `expected.yaml` below FOLDER (default: ../shared/conformance, taken
from the repository root), this makes a temporary directory holding that file as
`out.yaml` and a `kustomization.yaml` with `resources: [out.yaml]`, runs

    CMD <tempdir>

(default CMD: `target/release/rustomize build --reorder none`, run from the
repository root) and counts the outputs that are byte-identical to the file.
kustomize's output is a fixed point of `kustomize build --reorder none`, so
this exercises the YAML reader and writer on a large variety of real output
without any transformer.

--kubectl  also run `kubectl kustomize --reorder none <tempdir>` and report its
           count (the reference should pass everything; files it fails are not
           fixed points and tell nothing about the command).
--verbose  list the failures with a short diff (or the error message).

The last line is `N passed, N failed` for CMD; the exit status is 0 only if
nothing failed.  python3 and the standard library only.
"""

import argparse
import concurrent.futures
import difflib
import os
import shlex
import shutil
import subprocess
import sys
import tempfile

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TIMEOUT_S = 60
KUSTOMIZATION = b"resources:\n- out.yaml\n"


def find_files(folder, substr):
    out = []
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames.sort()
        if "expected.yaml" in filenames:
            rel = os.path.relpath(dirpath, folder).replace(os.sep, "/")
            if not substr or substr in rel:
                out.append(os.path.join(dirpath, "expected.yaml"))
    return sorted(out)


def run(cmd, tmp):
    try:
        p = subprocess.run(cmd + [tmp], cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           timeout=TIMEOUT_S)
        return p.returncode, p.stdout, p.stderr
    except subprocess.TimeoutExpired:
        return None, b"", b"timeout"
    except OSError as e:
        return None, b"", str(e).encode()


def short_diff(want, got, limit=20):
    a = want.decode("utf-8", "replace").splitlines()
    b = got.decode("utf-8", "replace").splitlines()
    lines = list(difflib.unified_diff(a, b, "expected", "got", n=1, lineterm=""))
    if len(lines) > limit:
        lines = lines[:limit] + ["... (%d more diff lines)" % (len(lines) - limit)]
    if not lines:
        lines = ["(differs only in line endings or a trailing newline: %d vs %d bytes)" % (len(want), len(got))]
    return lines


def check(path, cmds):
    """Return {label: (passed, detail_lines)}."""
    with open(path, "rb") as f:
        want = f.read()
    tmp = tempfile.mkdtemp(prefix="rerender-")
    try:
        with open(os.path.join(tmp, "kustomization.yaml"), "wb") as f:
            f.write(KUSTOMIZATION)
        with open(os.path.join(tmp, "out.yaml"), "wb") as f:
            f.write(want)
        res = {}
        for label, cmd in cmds:
            rc, out, err = run(cmd, tmp)
            if rc == 0 and out == want:
                res[label] = (True, [])
            elif rc == 0:
                res[label] = (False, short_diff(want, out))
            else:
                msg = err.decode("utf-8", "replace").strip().splitlines()
                res[label] = (False, ["exit %s: %s" % (rc, msg[-1][:300] if msg else "")])
        return res
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("folder", nargs="?", default=os.path.join(REPO, "..", "shared", "conformance"))
    ap.add_argument("--cmd", default="target/release/rustomize build --reorder none")
    ap.add_argument("--kubectl", action="store_true", help="also run kubectl kustomize --reorder none")
    ap.add_argument("--filter", default="")
    ap.add_argument("--verbose", "-v", action="store_true")
    ap.add_argument("--jobs", "-j", type=int, default=2)
    args = ap.parse_args()

    folder = os.path.abspath(args.folder)
    files = find_files(folder, args.filter)
    if not files:
        print("no expected.yaml under %s" % folder, file=sys.stderr)
        return 1
    cmds = [("cmd", shlex.split(args.cmd))]
    if args.kubectl:
        cmds.append(("kubectl", ["kubectl", "kustomize", "--reorder", "none"]))
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as ex:
        results = list(ex.map(lambda p: check(p, cmds), files))

    for label, cmd in cmds:
        passed = sum(1 for r in results if r[label][0])
        failed = len(results) - passed
        if args.verbose:
            for path, r in zip(files, results):
                ok, detail = r[label]
                if not ok:
                    print("FAILED (%s) %s" % (label, os.path.relpath(path, folder)))
                    for line in detail:
                        print("    " + line)
        if label != "cmd":
            print("%s: %d passed, %d failed" % (" ".join(cmd), passed, failed))
    passed = sum(1 for r in results if r["cmd"][0])
    failed = len(results) - passed
    print("%s: %d passed, %d failed" % (args.cmd, passed, failed))
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
