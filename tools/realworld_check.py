#!/usr/bin/env python3
"""Real-world check: compare rustomize with `kubectl kustomize` on real trees.

Usage:
    tools/realworld_check.py DIR [DIR ...] [--bin PATH] [-j N] [--timeout S]
                             [--total S] [--sample N] [--seed N] [--filter S]
                             [--flags "..."] [--components] [--verbose]

Every directory below the given DIRs that holds a kustomization file
(kustomization.yaml, kustomization.yml or Kustomization) is a root.  Roots whose
kustomization is `kind: Component` are skipped unless --components is given
(they cannot be built on their own).  For each root this runs

    kubectl kustomize [FLAGS] ROOT
    BIN build [FLAGS] ROOT          (default BIN: target/release/rustomize)

each with a timeout (default 60 s), and classifies the root as

    identical        both succeed, same bytes on stdout          -> passed
    both-error       both fail                                   -> passed
    differs          both succeed, outputs differ (short diff)   -> failed
    rust-error       rustomize fails, kubectl succeeds           -> failed
    kubectl-error    rustomize succeeds, kubectl fails           -> failed
    skipped-network  kubectl failed on a remote resource / helm pull / network
    skipped-timeout  kubectl timed out

The trees are read-only inputs: nothing is written into them.  --sample N picks
N roots at random (--seed, default 0); --total S stops starting new roots after
S seconds (default 900).  A root that kubectl rejects because a file lies
outside the root is retried (both commands) with
`--load-restrictor LoadRestrictionsNone` unless --no-retry-restrictor is given.  The last line is `N passed, N failed`; the exit
status is 0 only if nothing failed.  python3 and the standard library only.
"""

import argparse
import concurrent.futures
import difflib
import os
import random
import re
import shlex
import subprocess
import sys
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
NAMES = ("kustomization.yaml", "kustomization.yml", "Kustomization")
NETWORK_RE = re.compile(
    r"(dial tcp|no such host|i/o timeout|connection refused|TLS handshake|"
    r"git (clone|fetch|init)|git@|https?://|\bhelm\b|HelmChart|helmCharts|"
    r"network is unreachable|Temporary failure in name resolution|"
    r"failed to run '/usr/bin/git|fetching|cloning|remote)",
    re.IGNORECASE,
)


def find_roots(dirs, substr, components):
    roots, comps = [], 0
    for top in dirs:
        for dirpath, dirnames, filenames in os.walk(top):
            dirnames[:] = sorted(d for d in dirnames if d != ".git")
            names = [n for n in NAMES if n in filenames]
            if not names:
                continue
            if substr and substr not in dirpath:
                continue
            try:
                with open(os.path.join(dirpath, names[0]), "rb") as f:
                    text = f.read().decode("utf-8", "replace")
            except OSError:
                continue
            if not components and re.search(r"(?m)^kind:\s*Component\s*$", text):
                comps += 1
                continue
            roots.append(dirpath)
    return roots, comps


def run(cmd, timeout):
    try:
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           timeout=timeout, stdin=subprocess.DEVNULL)
        return p.returncode, p.stdout, p.stderr.decode("utf-8", "replace")
    except subprocess.TimeoutExpired:
        return None, b"", "timeout"


def short_diff(a, b, n):
    al = a.decode("utf-8", "replace").splitlines()
    bl = b.decode("utf-8", "replace").splitlines()
    lines = list(difflib.unified_diff(al, bl, "kubectl", "rustomize", n=1, lineterm=""))
    if len(lines) > n:
        lines = lines[:n] + ["... (%d more diff lines)" % (len(lines) - n)]
    return "\n".join(lines)


def first_line(s):
    """The most telling line of an error output (kubectl: the `err=` line)."""
    lines = [l.strip() for l in s.splitlines() if l.strip()]
    for i, l in enumerate(lines):
        if l.endswith("err=<") and i + 1 < len(lines):
            return lines[i + 1][:300]
        if "err=" in l or l.startswith("Error:"):
            return l[:300]
    return lines[0][:300] if lines else ""


RESTRICTOR_RE = re.compile(r"security; file .* is not in or below|must resolve to a file")


def check(root, args):
    flags = shlex.split(args.flags)
    krc, kout, kerr = run(["kubectl", "kustomize"] + flags + [root], args.timeout)
    if (krc not in (0, None) and args.retry_restrictor
            and RESTRICTOR_RE.search(kerr) and "--load-restrictor" not in flags):
        # The tree needs `--load-restrictor LoadRestrictionsNone`: use it for both.
        flags = flags + ["--load-restrictor", "LoadRestrictionsNone"]
        krc, kout, kerr = run(["kubectl", "kustomize"] + flags + [root], args.timeout)
    if krc is None:
        return "skipped-timeout", "kubectl timed out"
    if krc != 0 and NETWORK_RE.search(kerr):
        return "skipped-network", first_line(kerr)
    rrc, rout, rerr = run([args.bin, "build"] + flags + [root], args.timeout)
    if krc != 0:
        if rrc == 0:
            return "kubectl-error", "kubectl: " + first_line(kerr)
        return "both-error", "kubectl: %s\n  rustomize: %s" % (first_line(kerr), first_line(rerr))
    if rrc is None:
        return "rust-error", "rustomize timed out"
    if rrc != 0:
        return "rust-error", first_line(rerr)
    if rout == kout:
        return "identical", ""
    return "differs", short_diff(kout, rout, args.diff_lines)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("dirs", nargs="+")
    ap.add_argument("--bin", default=os.path.join(REPO, "target/release/rustomize"))
    ap.add_argument("-j", "--jobs", type=int, default=2)
    ap.add_argument("--timeout", type=float, default=60)
    ap.add_argument("--total", type=float, default=900)
    ap.add_argument("--sample", type=int, default=0)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--filter", default="")
    ap.add_argument("--flags", default="", help="extra flags for both commands")
    ap.add_argument("--components", action="store_true")
    ap.add_argument("--no-retry-restrictor", dest="retry_restrictor", action="store_false",
                    help="do not retry roots that kubectl rejects for the load "
                         "restrictor with --load-restrictor LoadRestrictionsNone")
    ap.add_argument("--diff-lines", type=int, default=20)
    ap.add_argument("--verbose", "-v", action="store_true",
                    help="also list identical / both-error / skipped roots")
    args = ap.parse_args()

    roots, comps = find_roots(args.dirs, args.filter, args.components)
    if args.sample and len(roots) > args.sample:
        roots = sorted(random.Random(args.seed).sample(roots, args.sample))
    print("%d roots (%d components skipped)" % (len(roots), comps), flush=True)

    start = time.time()
    counts = {}
    results = {}

    def job(root):
        if time.time() - start > args.total:
            return "not-run", "total time budget exhausted"
        return check(root, args)

    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as ex:
        futs = {ex.submit(job, r): r for r in roots}
        for fut in concurrent.futures.as_completed(futs):
            root = futs[fut]
            kind, detail = fut.result()
            results[root] = (kind, detail)
            counts[kind] = counts.get(kind, 0) + 1
            quiet = kind in ("identical", "both-error", "not-run") or kind.startswith("skipped")
            if not quiet or args.verbose:
                print("%-16s %s" % (kind, root), flush=True)
                if detail and (not quiet or args.verbose):
                    for line in detail.splitlines():
                        print("    " + line)

    print()
    for k in ("identical", "both-error", "differs", "rust-error", "kubectl-error",
              "skipped-network", "skipped-timeout", "not-run"):
        if counts.get(k):
            print("%-16s %d" % (k, counts[k]))
    passed = counts.get("identical", 0) + counts.get("both-error", 0)
    failed = counts.get("differs", 0) + counts.get("rust-error", 0) + counts.get("kubectl-error", 0)
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
