#!/usr/bin/env python3
"""Writes candidate seeds, one folder per target, from the golden cases (testdata/) and, when
present, the conformance corpus (../shared/conformance): `t-*` and `c-*` files. Re-running it
rewrites the files it made; others (`reg-*`, regressions) are kept.

    python3 fuzz/make_seeds.py [OUT]        # OUT defaults to fuzz/work/seeds

The committed corpora (fuzz/corpus/<target>) are these candidates reduced by libFuzzer to
the ones that add coverage (see README.md, "Seeds").
"""
import hashlib
import os
import sys

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
TESTDATA = os.path.join(ROOT, "testdata")
CONFORMANCE = os.path.normpath(os.path.join(ROOT, "..", "shared", "conformance"))
CORPUS = os.path.join(HERE, "work", "seeds")

SEP = b"\n@@@\n"
MAX_FILE = 4096   # bytes, per input file taken
MAX_SEED = 6144   # bytes, per seed
KUST_NAMES = ("kustomization.yaml", "kustomization.yml", "Kustomization")


def cases():
    """(label, input root, kustomization dir relative to root) of every case."""
    for area in sorted(os.listdir(TESTDATA)):
        adir = os.path.join(TESTDATA, area)
        if not os.path.isdir(adir):
            continue
        for case in sorted(os.listdir(adir)):
            cdir = os.path.join(adir, case)
            inp = os.path.join(cdir, "input")
            if not os.path.isdir(inp):
                continue
            d = "."
            toml = os.path.join(cdir, "case.toml")
            if os.path.exists(toml):
                for line in open(toml, encoding="utf-8"):
                    if line.strip().startswith("dir ="):
                        d = line.split("=", 1)[1].strip().strip('"')
            yield "t-%s-%s" % (area, case), inp, d
    for group in ("krusty", "merge"):
        gdir = os.path.join(CONFORMANCE, group)
        if not os.path.isdir(gdir):
            continue
        for case in sorted(os.listdir(gdir)):
            cdir = os.path.join(gdir, case)
            inp = os.path.join(cdir, "in")
            meta = os.path.join(cdir, "case.yaml")
            if not os.path.isdir(inp) or not os.path.exists(meta):
                continue
            try:
                d = (yaml.safe_load(open(meta, encoding="utf-8")) or {}).get("dir") or "."
            except yaml.YAMLError:
                d = "."
            yield "c-%s" % case[:80], inp, d


def files_of(root):
    out = {}
    for dp, _, fns in os.walk(root):
        for fn in fns:
            p = os.path.join(dp, fn)
            if os.path.islink(p):
                continue
            with open(p, "rb") as f:
                out[os.path.relpath(p, root)] = f.read()
    return out


def kust_of(files, d):
    for n in KUST_NAMES:
        p = os.path.normpath(os.path.join(d, n))
        if p in files:
            return p
    return None


def load_yaml(b):
    try:
        return yaml.safe_load(b.decode("utf-8"))
    except Exception:
        return None


class Writer:
    def __init__(self):
        self.seen = {}

    def write(self, target, name, data):
        if not data or len(data) > MAX_SEED:
            return
        h = hashlib.sha1(data).hexdigest()
        seen = self.seen.setdefault(target, set())
        if h in seen:
            return
        seen.add(h)
        d = os.path.join(CORPUS, target)
        os.makedirs(d, exist_ok=True)
        safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in name)[:120]
        with open(os.path.join(d, "%s-%s" % (safe, h[:8])), "wb") as f:
            f.write(data)


def tree_seed(files, d):
    """The build_tree encoding of a case: kustomization first, then `@@ name` files."""
    k = kust_of(files, d)
    parts = []
    if k is not None and os.path.basename(k) == "kustomization.yaml":
        parts.append(files[k])
    else:
        parts.append(None)
    for rel in sorted(files):
        if rel == k and parts[0] is not None:
            continue
        name = os.path.relpath(rel, d)
        parts.append(b"@@ " + name.encode() + b"\n" + files[rel])
    out = b""
    if parts[0] is not None:
        out = parts[0]
        if out and not out.endswith(b"\n"):
            out += b"\n"
    for p in parts[1:]:
        if out and not out.endswith(b"\n"):
            out += b"\n"
        out += p
    return out


def main():
    global CORPUS
    if len(sys.argv) > 1:
        CORPUS = os.path.abspath(sys.argv[1])
    # Remove the seeds this script made before.
    if os.path.isdir(CORPUS):
        for t in os.listdir(CORPUS):
            for fn in os.listdir(os.path.join(CORPUS, t)):
                if fn.startswith(("t-", "c-")):
                    os.remove(os.path.join(CORPUS, t, fn))
    w = Writer()
    for label, root, d in cases():
        files = files_of(root)
        if any(len(b) > MAX_FILE for b in files.values()):
            continue
        # yaml_load and yaml_fast: every YAML file.
        for rel, b in files.items():
            if rel.endswith((".yaml", ".yml")) or os.path.basename(rel) == "Kustomization":
                w.write("yaml_load", label + "-" + os.path.basename(rel), b)
                w.write("yaml_fast", label + "-" + os.path.basename(rel), b)
        k = kust_of(files, d)
        if k is not None:
            w.write("kustomization", label, files[k])
        w.write("build_tree", label, tree_seed(files, d))
        # Patches: pair each resource file of the kustomization with each patch.
        if k is None:
            continue
        kust = load_yaml(files[k])
        if not isinstance(kust, dict):
            continue
        kd = os.path.dirname(k)
        res = []
        for r in (kust.get("resources") or []):
            if isinstance(r, str):
                p = os.path.normpath(os.path.join(kd, r))
                if p in files:
                    res.append(files[p])
        if not res:
            continue
        sm, js = [], []
        for p in (kust.get("patches") or []) + (kust.get("patchesJson6902") or []):
            if not isinstance(p, dict):
                continue
            text = None
            if isinstance(p.get("path"), str):
                text = files.get(os.path.normpath(os.path.join(kd, p["path"])))
            elif isinstance(p.get("patch"), str):
                text = p["patch"].encode()
            if text is None:
                continue
            v = load_yaml(text)
            (js if isinstance(v, list) or text.lstrip().startswith(b"[") else sm).append(text)
        for p in (kust.get("patchesStrategicMerge") or []):
            if isinstance(p, str):
                f = files.get(os.path.normpath(os.path.join(kd, p)))
                sm.append(f if f is not None else p.encode())
        for i, r in enumerate(res[:2]):
            for j, p in enumerate(sm[:3]):
                w.write("strategic_merge", "%s-%d-%d" % (label, i, j), r + SEP + p)
            for j, p in enumerate(js[:3]):
                w.write("json6902", "%s-%d-%d" % (label, i, j), r + SEP + p)
    total = 0
    for t in sorted(os.listdir(CORPUS)):
        fs = os.listdir(os.path.join(CORPUS, t))
        size = sum(os.path.getsize(os.path.join(CORPUS, t, f)) for f in fs)
        total += size
        print("%-16s %5d seeds %8d bytes" % (t, len(fs), size))
    print("total %d bytes" % total)
    if total > 2 << 20:
        print("seeds exceed 2 MB", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
