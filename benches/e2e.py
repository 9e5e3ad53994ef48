#!/usr/bin/env python3
"""End-to-end benchmark: rustomize against `kubectl kustomize` on generated GitOps trees.

    python3 benches/e2e.py [--sizes 60,1100,11000] [--runs 5] [--kubectl-runs 3]
                           [--kubectl-max 11000] [--no-batch] [--markdown FILE]

For each size, benches/gen_tree.py writes a tree of about that many output resources (bases of
Deployments, Services, ConfigMaps, HPAs and Ingresses; per-app overlays with namePrefix,
labels, images, replicas, a strategic-merge patch, a JSON 6902 patch, a secretGenerator and a
component; a root with namespace, commonLabels and commonAnnotations). Then it

1. builds the root with target/release/rustomize and with kubectl kustomize, and stops if the
   outputs differ by a byte;
2. times both (median wall time of the runs) and reads their peak memory (maximum resident
   set size, from wait4);
3. runs target/release/floor: the in-process build time next to the floor (parse every input
   file and emit the output), medians of --runs runs or of as many as fill a second;
4. (unless --no-batch) builds every app overlay of the tree as one batch,
   `rustomize build DIR...`, with -j 1 and with all cores, and checks that the batch output
   equals the separate builds.

kubectl runs --kubectl-runs times on trees up to 2,000 resources and once above (it takes
minutes at 11,000); sizes above --kubectl-max skip kubectl (no speed-up, no byte check).
The binaries are built first with cargo (release).
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
sys.path.insert(0, HERE)
import gen_tree  # noqa: E402


def run(cmd, stdout_path=None):
    """Runs cmd; returns (seconds, peak RSS in MiB, exit status, stderr)."""
    out = open(stdout_path, "wb") if stdout_path else subprocess.DEVNULL
    t = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=out, stderr=subprocess.PIPE)
    err = p.stderr.read()
    _, status, ru = os.wait4(p.pid, 0)
    dt = time.perf_counter() - t
    p.returncode = os.waitstatus_to_exitcode(status)
    if stdout_path:
        out.close()
    return dt, ru.ru_maxrss / 1024.0, p.returncode, err.decode(errors="replace")


def measure(cmd, runs, stdout_path):
    times, mems = [], []
    for _ in range(runs):
        dt, mem, rc, err = run(cmd, stdout_path)
        if rc != 0:
            sys.exit("failed: %s\n%s" % (" ".join(cmd), err))
        times.append(dt)
        mems.append(mem)
    return statistics.median(times), max(mems)


def gen_hash():
    import hashlib
    return hashlib.sha256(open(os.path.join(HERE, "gen_tree.py"), "rb").read()).hexdigest()[:12]


def load_cache(path):
    if path and os.path.exists(path):
        with open(path) as f:
            return json.load(f)
    return {}


def fmt_time(s):
    if s >= 60:
        return "%dm %04.1fs" % (s // 60, s % 60)
    if s >= 1:
        return "%.2f s" % s
    return "%.1f ms" % (s * 1e3)


def machine():
    cpu = "?"
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    kubectl = subprocess.run(["kubectl", "version", "--client"], capture_output=True, text=True).stdout.split("\n")
    kz = [l for l in kubectl if "Kustomize" in l]
    return "%d cores (%s), %.0f GiB; %s" % (os.cpu_count(), cpu, mem, kz[0] if kz else "kubectl ?")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="60,1100,11000")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--kubectl-runs", type=int, default=3)
    ap.add_argument("--kubectl-max", type=int, default=11000)
    ap.add_argument("--no-batch", action="store_true")
    ap.add_argument("--workdir", default="/tmp/rustomize-e2e")
    ap.add_argument("--markdown", help="also write the results table to this file")
    ap.add_argument("--kubectl-cache", help="JSON file of kubectl timings to reuse (keyed by size and "
                    "the generator's text; its output is kept next to it) and to update")
    a = ap.parse_args()

    subprocess.run(["cargo", "build", "--release", "-q", "-p", "rustomize-cli", "-p", "rustomize-benches", "--bin", "rustomize", "--bin", "floor"],
                   cwd=REPO, check=True)
    rz = os.path.join(REPO, "target/release/rustomize")
    floor = os.path.join(REPO, "target/release/floor")
    os.makedirs(a.workdir, exist_ok=True)

    rows, batch_rows = [], []
    for size in [int(s) for s in a.sizes.split(",")]:
        apps = gen_tree.apps_for(size)
        tree = os.path.join(a.workdir, "tree-%d" % size)
        shutil.rmtree(tree, ignore_errors=True)
        root = gen_tree.generate(tree, apps)
        ours_out = os.path.join(a.workdir, "rustomize-%d.yaml" % size)
        ref_out = os.path.join(a.workdir, "kubectl-%d.yaml" % size)
        rt, rm = measure([rz, "build", root], a.runs, ours_out)
        count = sum(1 for line in open(ours_out) if line.startswith("kind: "))
        print("size %d: %d resources; rustomize %s, %.1f MiB" % (size, count, fmt_time(rt), rm), flush=True)
        kt = km = None
        if size <= a.kubectl_max:
            kruns = a.kubectl_runs if count <= 2000 else 1
            key = "%d-%s" % (size, gen_hash())
            cache = load_cache(a.kubectl_cache)
            if key in cache and os.path.exists(cache[key]["output"]):
                kt, km, kruns = cache[key]["time"], cache[key]["peak_mib"], cache[key]["runs"]
                shutil.copy(cache[key]["output"], ref_out)
            else:
                kt, km = measure(["kubectl", "kustomize", root], kruns, ref_out)
                if a.kubectl_cache:
                    keep = a.kubectl_cache + ".%d.yaml" % size
                    shutil.copy(ref_out, keep)
                    cache[key] = {"time": kt, "peak_mib": km, "runs": kruns, "output": keep}
                    with open(a.kubectl_cache, "w") as f:
                        json.dump(cache, f, indent=1)
            if open(ref_out, "rb").read() != open(ours_out, "rb").read():
                sys.exit("outputs differ at size %d: diff %s %s" % (size, ref_out, ours_out))
            print("  kubectl kustomize %s (%d runs), %.1f MiB; outputs identical" % (fmt_time(kt), kruns, km), flush=True)
        fl = json.loads(subprocess.run([floor, tree, root, str(a.runs)], capture_output=True, text=True, check=True).stdout)
        print("  in process (median of %d runs): build %.1f ms, floor %.1f ms (parse %.1f + emit %.1f)" % (fl["runs"], fl["build_ms"], fl["floor_ms"], fl["parse_ms"], fl["emit_ms"]), flush=True)
        rows.append(dict(size=size, count=count, files=fl["files"], rt=rt, rm=rm, kt=kt, km=km, fl=fl))

        if not a.no_batch:
            dirs = [os.path.join(tree, "apps", "app%04d" % i, "overlays", "prod") for i in range(apps)]
            sep = []
            for d in dirs:
                sep.append(subprocess.run([rz, "build", d], capture_output=True, check=True).stdout)
            res = {}
            for jobs in (1, os.cpu_count() or 1):
                out = os.path.join(a.workdir, "batch-%d-j%d.yaml" % (size, jobs))
                res[jobs] = measure([rz, "build", "-j", str(jobs)] + dirs, a.runs, out)[0]
                got = open(out, "rb").read()
                want = b"".join(b"# Source: " + d.encode() + b"\n" + s for d, s in zip(dirs, sep))
                if got != want:
                    sys.exit("batch output differs from the separate builds at size %d, -j %d" % (size, jobs))
            n = os.cpu_count() or 1
            print("  batch of %d roots: -j 1 %s, -j %d %s (%.2fx)" % (len(dirs), fmt_time(res[1]), n, fmt_time(res[n]), res[1] / res[n]), flush=True)
            batch_rows.append(dict(size=size, roots=len(dirs), j1=res[1], jn=res[n], n=n))

    lines = ["Machine: " + machine(), "",
             "| tree | output resources | input files | kubectl kustomize | peak memory | rustomize | peak memory | speed-up | µs per resource | in-process build | floor (parse + emit) | build / floor |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        fl = r["fl"]
        lines.append("| %d | %d | %d | %s | %s | %s | %.1f MiB | %s | %.0f | %.1f ms | %.1f ms | %.2f |" % (
            r["size"], r["count"], r["files"],
            fmt_time(r["kt"]) if r["kt"] else "not run", "%.1f MiB" % r["km"] if r["km"] else "",
            fmt_time(r["rt"]), r["rm"],
            "%.0f×" % (r["kt"] / r["rt"]) if r["kt"] else "",
            r["rt"] * 1e6 / r["count"], fl["build_ms"], fl["floor_ms"], fl["build_ms"] / fl["floor_ms"]))
    if batch_rows:
        lines += ["", "| batch (`rustomize build DIR...`) | roots | -j 1 | -j %d | speed-up |" % batch_rows[0]["n"], "|---|---|---|---|---|"]
        for b in batch_rows:
            lines.append("| tree %d, every app overlay | %d | %s | %s | %.2f× |" % (b["size"], b["roots"], fmt_time(b["j1"]), fmt_time(b["jn"]), b["j1"] / b["jn"]))
    table = "\n".join(lines) + "\n"
    print()
    print(table)
    if a.markdown:
        with open(a.markdown, "w") as f:
            f.write(table)


if __name__ == "__main__":
    main()
