#!/usr/bin/env python3
"""Scaling check: CPU time per resource of `rustomize build` as one kustomization grows.

Generates, for each feature mix, a FLAT kustomization (one kustomization.yaml listing about N
resources in a few multi-document files; mixes that need a base or overlays have them) at
N = 1,000 / 4,000 / 16,000, builds each with the release binary and reports the CPU time
(user + sys of the child, from os.wait4) per resource and the growth ratio time(4N)/time(N).
Exits 1 when a mix grows more than --max-ratio (default 5) per 4x size: linear is 4x, a
quadratic step shows as ~16x.

    cargo build --release -p rustomize-cli
    python3 benches/scaling.py                     # all mixes, 1k/4k/16k
    python3 benches/scaling.py --mix a,c --sizes 1000,4000
    python3 benches/scaling.py --kubectl           # also compare with kubectl at the smallest size

With --kubectl, the output of each mix at the smallest size is compared with
`kubectl kustomize` (skipped for a mix, and said so, when kubectl takes more than 120 s).
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, "target", "release", "rustomize")
FILES = 4  # multi-document resource files per tree


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


def write_docs(d, docs, prefix="res"):
    """Writes documents into FILES multi-doc files; returns their names."""
    names = []
    per = max(1, (len(docs) + FILES - 1) // FILES)
    for k in range(0, len(docs), per):
        name = f"{prefix}{k // per}.yaml"
        write(os.path.join(d, name), "---\n".join(docs[k:k + per]))
        names.append(name)
    return names


def kust(d, text):
    write(os.path.join(d, "kustomization.yaml"), text)


def yaml_list(key, items):
    if not items:
        return ""
    return f"{key}:\n" + "".join(f"- {x}\n" for x in items)


def cm(name, extra=""):
    return f"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {name}\n{extra}data:\n  k: v-{name}\n"


def deploy(name, labels=None, spec_extra="", pod_extra="", container_extra="", image="nginx:1.0"):
    lab = ""
    if labels:
        lab = "  labels:\n" + "".join(f"    {k}: {v}\n" for k, v in labels.items())
    return (f"apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {name}\n{lab}"
            f"spec:\n  replicas: 1\n{spec_extra}  template:\n    spec:\n{pod_extra}"
            f"      containers:\n      - name: c\n        image: {image}\n{container_extra}")


# ---- mixes: each gen(d, n) writes a tree of about n resources under d ----

def mix_a(d, n):
    """namePrefix/nameSuffix/namespace; Deployments refer to ConfigMaps, Secrets,
    ServiceAccounts and PVCs by name (name-reference fix-up)."""
    docs = []
    for i in range(n // 5):
        docs.append(cm(f"cm{i}"))
        docs.append(f"apiVersion: v1\nkind: Secret\nmetadata:\n  name: s{i}\ntype: Opaque\ndata:\n  k: dg==\n")
        docs.append(f"apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: sa{i}\n")
        docs.append(f"apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: pvc{i}\n"
                    f"spec:\n  accessModes: [ReadWriteOnce]\n  resources:\n    requests:\n      storage: 1Gi\n")
        docs.append(deploy(
            f"d{i}",
            pod_extra=(f"      serviceAccountName: sa{i}\n      volumes:\n"
                       f"      - name: v\n        persistentVolumeClaim:\n          claimName: pvc{i}\n"
                       f"      - name: c\n        configMap:\n          name: cm{i}\n"
                       f"      - name: s\n        secret:\n          secretName: s{i}\n"),
            container_extra=(f"        envFrom:\n        - configMapRef:\n            name: cm{i}\n"
                             f"        - secretRef:\n            name: s{i}\n")))
    files = write_docs(d, docs)
    kust(d, "namePrefix: p-\nnameSuffix: -s\nnamespace: ns\n" + yaml_list("resources", files))


def mix_b(d, n):
    """configMapGenerator/secretGenerator with many entries over a base, behavior merge and
    replace; Deployments refer to the generated names."""
    m = n // 4  # base: m CMs + m Secrets + m Deployments (+ some plain resources)
    base = os.path.join(d, "base")
    g = []
    for i in range(m):
        g.append(f"- name: g{i}\n  literals:\n  - a=1\n  - b={i}\n")
    s = []
    for i in range(m):
        s.append(f"- name: sg{i}\n  literals:\n  - p=secret{i}\n")
    kust(base, "configMapGenerator:\n" + "".join(g) + "secretGenerator:\n" + "".join(s))
    ov = []
    for i in range(m):
        beh = "merge" if i % 2 == 0 else "replace"
        ov.append(f"- name: g{i}\n  behavior: {beh}\n  literals:\n  - c={i}\n")
    sov = []
    for i in range(0, m, 2):
        sov.append(f"- name: sg{i}\n  behavior: merge\n  literals:\n  - q=x{i}\n")
    docs = [deploy(f"d{i}", container_extra=(f"        envFrom:\n        - configMapRef:\n            name: g{i}\n"
                                            f"        - secretRef:\n            name: sg{i}\n"))
            for i in range(m)]
    files = write_docs(d, docs)
    kust(d, yaml_list("resources", ["base"] + files) + "configMapGenerator:\n" + "".join(ov)
         + "secretGenerator:\n" + "".join(sov))


def mix_c(d, n):
    """Many patches: targets by name, by label selector, by kind regex, and strategic-merge
    patches without a target."""
    docs = []
    for i in range(n // 2):
        docs.append(cm(f"cm{i}", extra=f"  labels:\n    grp: g{i // 10}\n"))
        docs.append(deploy(f"d{i}", labels={"app": f"a{i}", "grp": f"g{i // 10}"}))
    files = write_docs(d, docs)
    patches = []
    np = n // 10
    for j in range(np):
        i = (j * 7) % (n // 2)
        kind = j % 4
        if kind == 0:
            patches.append(f"- target:\n    kind: ConfigMap\n    name: cm{i}\n  patch: |-\n"
                           f"    - op: add\n      path: /data/x\n      value: y{j}\n")
        elif kind == 1:
            patches.append(f"- target:\n    labelSelector: app=a{i}\n  patch: |-\n"
                           f"    apiVersion: apps/v1\n    kind: Deployment\n    metadata:\n      name: any\n"
                           f"    spec:\n      replicas: 3\n")
        elif kind == 2:
            name = f"sm{j}.yaml"
            write(os.path.join(d, name), f"apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d{i}\n"
                                         f"spec:\n  minReadySeconds: {j}\n")
            patches.append(f"- path: {name}\n")
        else:
            patches.append(f"- target:\n    kind: Deploy.*\n    name: d{i}\n  patch: |-\n"
                           f"    - op: add\n      path: /metadata/annotations\n      value: {{x: y{j}}}\n")
    # a few wide ones: every resource of a kind, by kind regex and by a selector over a group
    patches.append("- target:\n    kind: Config.*\n  patch: |-\n    - op: add\n      path: /data/all\n      value: z\n")
    patches.append("- target:\n    kind: Deployment\n    labelSelector: grp in (g1,g2)\n  patch: |-\n"
                   "    - op: add\n      path: /spec/paused\n      value: false\n")
    kust(d, yaml_list("resources", files) + "patches:\n" + "".join(patches))


def mix_d(d, n):
    """Many replacements, source by name, targets by name."""
    docs = []
    for i in range(n // 2):
        docs.append(cm(f"cm{i}"))
        docs.append(deploy(f"d{i}"))
    files = write_docs(d, docs)
    reps = []
    for j in range(n // 10):
        i = (j * 3) % (n // 2)
        reps.append(f"- source:\n    kind: ConfigMap\n    name: cm{i}\n    fieldPath: data.k\n"
                    f"  targets:\n  - select:\n      kind: Deployment\n      name: d{i}\n"
                    f"    fieldPaths:\n    - spec.template.metadata.annotations.k\n"
                    f"    options:\n      create: true\n")
    kust(d, yaml_list("resources", files) + "replacements:\n" + "".join(reps))


def mix_e(d, n):
    """Many vars, each referred to once in a Deployment's args."""
    docs = []
    nv = n // 10
    for i in range(n // 2):
        extra = ""
        if i < nv:
            extra = f"        args:\n        - --x=$(V{i})\n"
        docs.append(cm(f"cm{i}"))
        docs.append(deploy(f"d{i}", container_extra=extra))
    files = write_docs(d, docs)
    vs = []
    for i in range(nv):
        vs.append(f"- name: V{i}\n  objref:\n    apiVersion: v1\n    kind: ConfigMap\n    name: cm{i}\n"
                  f"  fieldref:\n    fieldpath: data.k\n")
    kust(d, yaml_list("resources", files) + "vars:\n" + "".join(vs))


def mix_f(d, n):
    """labels, commonLabels, commonAnnotations, images and replicas (many entries)."""
    docs = []
    ni = max(1, n // 100)
    for i in range(n // 2):
        docs.append(f"apiVersion: v1\nkind: Service\nmetadata:\n  name: svc{i}\nspec:\n  selector:\n"
                    f"    app: a{i}\n  ports:\n  - port: 80\n")
        docs.append(deploy(f"d{i}", image=f"img{i % ni}:1.0"))
    files = write_docs(d, docs)
    imgs = "".join(f"- name: img{k}\n  newName: reg.example.com/img{k}\n  newTag: v2\n" for k in range(ni))
    reps = "".join(f"- name: d{i}\n  count: {i % 5 + 1}\n" for i in range(0, n // 2, 5))
    kust(d, yaml_list("resources", files)
         + "commonLabels:\n  team: t\nlabels:\n- pairs:\n    env: prod\n  includeSelectors: false\n"
         + "commonAnnotations:\n  owner: me\n" + "images:\n" + imgs + "replicas:\n" + reps)


def mix_g(d, n):
    """A base of 100 resources, n/100 overlays of it (each with its own prefix) and two shared
    components applied in every overlay."""
    base = os.path.join(d, "base")
    docs = []
    for i in range(50):
        docs.append(cm(f"cm{i}"))
        docs.append(deploy(f"d{i}", labels={"app": f"a{i}"},
                           container_extra=f"        envFrom:\n        - configMapRef:\n            name: cm{i}\n"))
    kust(base, yaml_list("resources", write_docs(base, docs)))
    c1 = os.path.join(d, "comp1")
    write(os.path.join(c1, "kustomization.yaml"),
          "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\n"
          "commonAnnotations:\n  comp: one\npatches:\n- target:\n    kind: Deployment\n  patch: |-\n"
          "    - op: add\n      path: /spec/revisionHistoryLimit\n      value: 3\n")
    c2 = os.path.join(d, "comp2")
    write(os.path.join(c2, "kustomization.yaml"),
          "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\n"
          "labels:\n- pairs:\n    comp: two\nimages:\n- name: nginx\n  newTag: '2.0'\n")
    ovs = []
    for k in range(max(1, n // 100)):
        o = f"ov{k}"
        kust(os.path.join(d, o), f"namePrefix: {o}-\nresources:\n- ../base\ncomponents:\n- ../comp1\n- ../comp2\n")
        ovs.append(o)
    kust(d, yaml_list("resources", ovs))


def _mixed_kinds(n):
    kinds = [
        ("v1", "ConfigMap", "data:\n  k: v\n"),
        ("v1", "Service", "spec:\n  ports:\n  - port: 80\n"),
        ("apps/v1", "Deployment", "spec:\n  replicas: 1\n"),
        ("v1", "ServiceAccount", ""),
        ("rbac.authorization.k8s.io/v1", "Role", "rules: []\n"),
        ("v1", "Namespace", ""),
        ("batch/v1", "Job", "spec:\n  template:\n    spec:\n      restartPolicy: Never\n"),
        ("example.com/v1", "Widget", "spec:\n  a: 1\n"),
    ]
    docs = []
    for i in range(n):
        av, k, body = kinds[(i * 5) % len(kinds)]
        docs.append(f"apiVersion: {av}\nkind: {k}\nmetadata:\n  name: r{(i * 7919) % n}\n{body}")
    return docs


def mix_h_legacy(d, n):
    """sortOptions legacy over mixed kinds in scrambled order."""
    kust(d, yaml_list("resources", write_docs(d, _mixed_kinds(n))) + "sortOptions:\n  order: legacy\n")


def mix_h_fifo(d, n):
    """sortOptions fifo over mixed kinds."""
    kust(d, yaml_list("resources", write_docs(d, _mixed_kinds(n))) + "sortOptions:\n  order: fifo\n")


CRD = """{
  "github.com/example/db/v1.Database": {
    "Schema": {
      "properties": {
        "apiVersion": {"type": "string"},
        "kind": {"type": "string"},
        "metadata": {"$ref": "k8s.io/apimachinery/pkg/apis/meta/v1.ObjectMeta"},
        "spec": {"$ref": "github.com/example/db/v1.DatabaseSpec"}
      }
    },
    "Dependencies": ["github.com/example/db/v1.DatabaseSpec"]
  },
  "github.com/example/db/v1.DatabaseSpec": {
    "Schema": {
      "properties": {
        "credentialsSecret": {
          "type": "string",
          "x-kubernetes-object-ref-api-version": "v1",
          "x-kubernetes-object-ref-kind": "Secret"
        }
      }
    },
    "Dependencies": []
  }
}
"""


def mix_i(d, n):
    """crds (object refs) and configurations (custom nameReference) with a namePrefix."""
    docs = []
    for i in range(n // 4):
        docs.append(f"apiVersion: v1\nkind: Secret\nmetadata:\n  name: s{i}\ntype: Opaque\ndata:\n  k: dg==\n")
        docs.append(f"apiVersion: example.com/v1\nkind: Database\nmetadata:\n  name: db{i}\n"
                    f"spec:\n  credentialsSecret:\n    name: s{i}\n")
        docs.append(cm(f"cm{i}"))
        docs.append(f"apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w{i}\n"
                    f"spec:\n  configName: cm{i}\n  more:\n    cm: cm{(i + 1) % (n // 4)}\n")
    files = write_docs(d, docs)
    write(os.path.join(d, "crd.json"), CRD)
    write(os.path.join(d, "config.yaml"),
          "nameReference:\n- kind: ConfigMap\n  version: v1\n  fieldSpecs:\n"
          "  - kind: Widget\n    path: spec/configName\n  - kind: Widget\n    path: spec/more/cm\n"
          "commonLabels:\n- kind: Widget\n  path: spec/selector\n  create: true\n")
    kust(d, "namePrefix: test-\ncommonLabels:\n  app: x\ncrds:\n- crd.json\nconfigurations:\n- config.yaml\n"
         + yaml_list("resources", files))


def mix_j(d, n):
    """The patches of mix c with buildMetadata originAnnotations (origins recorded per
    transformer)."""
    mix_c(d, n)
    k = os.path.join(d, "kustomization.yaml")
    with open(k) as f:
        text = f.read()
    write(k, "buildMetadata: [originAnnotations]\n" + text)


MIXES = {
    "a": ("nameref: prefix/suffix/namespace", mix_a),
    "b": ("generators: merge/replace over base", mix_b),
    "c": ("patches: name/selector/regex/SM", mix_c),
    "d": ("replacements", mix_d),
    "e": ("vars", mix_e),
    "f": ("labels/annotations/images/replicas", mix_f),
    "g": ("overlays x shared components", mix_g),
    "h-legacy": ("sortOptions legacy", mix_h_legacy),
    "h-fifo": ("sortOptions fifo", mix_h_fifo),
    "i": ("crds + custom nameReference", mix_i),
    "j": ("patches of c + buildMetadata origin", mix_j),
}


def run_cpu(cmd, timeout=None):
    """Runs cmd; returns (rc, stdout bytes, stderr bytes, cpu seconds, wall seconds)."""
    out = tempfile.TemporaryFile()
    err = tempfile.TemporaryFile()
    t0 = time.monotonic()
    p = subprocess.Popen(cmd, stdout=out, stderr=err)
    deadline = None if timeout is None else t0 + timeout
    while True:
        pid, status, ru = os.wait4(p.pid, os.WNOHANG)
        if pid != 0:
            break
        if deadline is not None and time.monotonic() > deadline:
            p.kill()
            os.wait4(p.pid, 0)
            return None, b"", b"", None, time.monotonic() - t0
        time.sleep(0.005)
    wall = time.monotonic() - t0
    p.returncode = os.waitstatus_to_exitcode(status)
    out.seek(0)
    err.seek(0)
    return p.returncode, out.read(), err.read(), ru.ru_utime + ru.ru_stime, wall


def count_docs(text):
    return sum(1 for line in text.splitlines() if line.startswith("kind: "))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mix", default=",".join(MIXES), help="comma-separated mixes (default: all)")
    ap.add_argument("--sizes", default="1000,4000,16000")
    ap.add_argument("--max-ratio", type=float, default=5.0)
    ap.add_argument("--reps", type=int, default=1, help="runs per size; the fastest counts")
    ap.add_argument("--kubectl", action="store_true", help="compare with kubectl kustomize at the smallest size")
    ap.add_argument("--bin", default=BIN)
    ap.add_argument("--keep", help="generate trees under this directory and keep them")
    a = ap.parse_args()
    sizes = [int(s) for s in a.sizes.split(",")]
    mixes = [m.strip() for m in a.mix.split(",") if m.strip()]
    if not os.path.exists(a.bin):
        sys.exit(f"{a.bin} missing: cargo build --release -p rustomize-cli")
    work = a.keep or tempfile.mkdtemp(prefix="rz-scaling-")
    bad = []
    rows = []
    print(f"{'mix':10} {'N':>6} {'out':>6} {'cpu s':>8} {'us/res':>8} {'ratio':>6}")
    for m in mixes:
        title, gen = MIXES[m]
        prev = None
        for n in sizes:
            d = os.path.join(work, f"{m}-{n}")
            shutil.rmtree(d, ignore_errors=True)
            gen(d, n)
            best = None
            for _ in range(a.reps):
                rc, out, err, cpu, _wall = run_cpu([a.bin, "build", d])
                if rc != 0:
                    sys.exit(f"{m} N={n}: rustomize failed: {err.decode(errors='replace')[:2000]}")
                best = cpu if best is None else min(best, cpu)
            nout = count_docs(out.decode())
            ratio = "" if prev is None else f"{best / max(prev, 1e-9):.1f}x"
            if prev is not None and best / max(prev, 1e-9) > a.max_ratio * (n / prev_n) / 4:
                bad.append((m, n, best / prev))
            print(f"{m:10} {n:>6} {nout:>6} {best:>8.3f} {best / n * 1e6:>8.1f} {ratio:>6}", flush=True)
            rows.append((m, title, n, nout, best, ratio))
            if a.kubectl and n == sizes[0]:
                rc, kout, kerr, kcpu, kwall = run_cpu(["kubectl", "kustomize", d], timeout=120)
                if rc is None:
                    print(f"{m:10} kubectl: skipped (over 120 s)")
                elif rc != 0:
                    print(f"{m:10} kubectl: failed: {kerr.decode(errors='replace')[:500]}")
                    bad.append((m, n, "kubectl failed"))
                elif kout != out:
                    print(f"{m:10} kubectl: OUTPUT DIFFERS ({len(kout)} vs {len(out)} bytes)")
                    bad.append((m, n, "differs from kubectl"))
                else:
                    print(f"{m:10} kubectl: identical ({kwall:.1f} s wall, {kcpu:.1f} s cpu)")
            prev, prev_n = best, n
    if not a.keep:
        shutil.rmtree(work, ignore_errors=True)
    print()
    print("| mix | " + " | ".join(f"N={n} µs/res" for n in sizes) + " | "
          + " | ".join(f"{sizes[k + 1] // sizes[k]}x N" for k in range(len(sizes) - 1)) + " |")
    print("|---|" + "---|" * (2 * len(sizes) - 1))
    for m in mixes:
        rs = [r for r in rows if r[0] == m]
        per = " | ".join(f"{r[4] / r[2] * 1e6:.1f}" for r in rs)
        rat = " | ".join(r[5] for r in rs[1:])
        print(f"| {m} {MIXES[m][0]} | {per} | {rat} |")
    if bad:
        print("\nsuper-linear or failing:", bad)
        sys.exit(1)


if __name__ == "__main__":
    main()
