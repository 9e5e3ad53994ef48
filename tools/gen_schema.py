#!/usr/bin/env python3
"""Compile the Kubernetes OpenAPI bundle kustomize embeds into static Rust tables.

Usage (from the repository root):

    python3 tools/gen_schema.py [BUNDLE [KUSTOMIZATION_SWAGGER]] [--out FILE] [--check]

BUNDLE defaults to ../shared/openapi/kubernetes-v1.21.2.bundle.json.gz and
KUSTOMIZATION_SWAGGER to ../shared/openapi/kustomization-swagger.json, both
relative to the repository root.  The output defaults to
core/src/schema/generated.rs.  With --check nothing is written; the exit status
says whether the file on disk is up to date.

Only the standard library is used.

What is emitted (the row types are declared in core/src/schema/mod.rs):

* TYPES: one row per schema node, as kyaml sees it after resolving `$ref`s:
  every definition reachable from a top-level kind (one with
  x-kubernetes-group-version-kind), plus the inline schemas of properties,
  list items and map values, shared structurally (two identical inline
  schemas get one row).  A row is T(kind, first field, field count, items,
  ext): `items` is the element type of a list or the value type of a map
  (additionalProperties), `ext` an index into EXTS.
* FIELDS: the properties of every object type, sorted by name (byte order)
  for binary search: F(name, type, ext of the extensions written next to a
  `$ref`, which kyaml drops when it resolves the reference).
* EXTS: the distinct combinations of x-kubernetes-patch-strategy,
  x-kubernetes-patch-merge-key, x-kubernetes-list-type and
  x-kubernetes-list-map-keys; row 0 is "none".
* KINDS: every (group, version, kind) the document knows, sorted, with the
  scope derived from the API paths (Namespaced / Cluster / unknown) and the
  root type (the definition carrying that x-kubernetes-group-version-kind).
  The kinds of the kustomization schema (kustomize.config.k8s.io/v1beta1),
  which kyaml loads into the same global schema, are included too.
* DEFS: the names of the definitions, which are the first rows of TYPES (in
  name order, so row i of DEFS names row i of TYPES): D(name, from the
  kustomization schema).  A custom OpenAPI schema (the kustomization's
  `openapi:` field) refers to them by name (`#/definitions/<name>`).
"""

import argparse
import gzip
import hashlib
import json
import os
import sys

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_BUNDLE = os.path.join("..", "shared", "openapi", "kubernetes-v1.21.2.bundle.json.gz")
DEFAULT_KUSTOMIZATION = os.path.join("..", "shared", "openapi", "kustomization-swagger.json")
DEFAULT_OUT = os.path.join("core", "src", "schema", "generated.rs")

REF_PREFIX = "#/definitions/"
GVK_EXT = "x-kubernetes-group-version-kind"
STRATEGY_EXT = "x-kubernetes-patch-strategy"
MERGE_KEY_EXT = "x-kubernetes-patch-merge-key"
LIST_TYPE_EXT = "x-kubernetes-list-type"
MAP_KEYS_EXT = "x-kubernetes-list-map-keys"

# Type kinds; must match TypeKind::from_code in core/src/schema/mod.rs.
K_OBJECT, K_MAP, K_LIST, K_STRING, K_INTEGER, K_NUMBER, K_BOOLEAN, K_UNKNOWN = range(8)
SCALAR_KINDS = {"string": K_STRING, "integer": K_INTEGER, "number": K_NUMBER, "boolean": K_BOOLEAN}

# Scope codes; must match mod.rs.
SCOPE_UNKNOWN, SCOPE_NAMESPACED, SCOPE_CLUSTER = range(3)
SCOPES = {"Namespaced": SCOPE_NAMESPACED, "Cluster": SCOPE_CLUSTER}

NONE16 = 0xFFFF


def fail(msg):
    sys.exit("gen_schema: " + msg)


def load_json(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    return data, json.loads(data.decode("utf-8"))


def ref_name(schema):
    ref = schema.get("$ref")
    if ref is None:
        return None
    if not ref.startswith(REF_PREFIX):
        fail("unsupported $ref %r" % ref)
    return ref[len(REF_PREFIX):]


def api_version(group, version):
    return group + "/" + version if group else version


def split_api_version(av):
    # kyaml resid.ParseGroupVersion: split at the first '/'.
    i = av.find("/")
    return ("", av) if i < 0 else (av[:i], av[i + 1:])


def ext_key(schema):
    strategy = schema.get(STRATEGY_EXT)
    merge_key = schema.get(MERGE_KEY_EXT)
    list_type = schema.get(LIST_TYPE_EXT)
    map_keys = tuple(schema.get(MAP_KEYS_EXT) or ())
    for v in (strategy, merge_key, list_type):
        if v is not None and not isinstance(v, str):
            fail("non-string extension value %r" % (v,))
    return (strategy, merge_key, list_type, map_keys)


class Builder:
    def __init__(self, defs):
        self.defs = defs
        self.nodes = []  # [kind, fields, items, ext, comment]
        self.def_node = {}  # definition name -> node index
        self.inline = {}  # structural key -> node index
        self.exts = {(None, None, None, ()): 0}
        self.ext_list = [(None, None, None, ())]

    def ext(self, schema):
        key = ext_key(schema)
        if key not in self.exts:
            self.exts[key] = len(self.ext_list)
            self.ext_list.append(key)
        return self.exts[key]

    def reachable(self, roots):
        seen = set()
        stack = list(roots)
        while stack:
            name = stack.pop()
            if name in seen:
                continue
            if name not in self.defs:
                fail("dangling reference to %s" % name)
            seen.add(name)
            stack.extend(self.refs_in(self.defs[name]))
        return seen

    def refs_in(self, schema):
        out = []
        name = ref_name(schema)
        if name is not None:
            out.append(name)
        for prop in (schema.get("properties") or {}).values():
            out.extend(self.refs_in(prop))
        if isinstance(schema.get("items"), dict):
            out.extend(self.refs_in(schema["items"]))
        if isinstance(schema.get("additionalProperties"), dict):
            out.extend(self.refs_in(schema["additionalProperties"]))
        return out

    def build(self, names):
        # Definitions first, in name order, so that recursion can refer to them.
        for name in sorted(names):
            self.def_node[name] = len(self.nodes)
            self.nodes.append(None)
        for name in sorted(names):
            schema = self.defs[name]
            target = ref_name(schema)
            if target is not None:
                fail("definition %s is a bare $ref; not supported" % name)
            row = self.describe(schema)
            self.nodes[self.def_node[name]] = row + [name]

    def node_for(self, schema):
        """Node index for a property / items / additionalProperties schema."""
        target = ref_name(schema)
        if target is not None:
            return self.def_node[target]
        row = self.describe(schema)
        key = (row[0], tuple(row[1]), row[2], row[3])
        if key not in self.inline:
            self.inline[key] = len(self.nodes)
            self.nodes.append(row + [None])
        return self.inline[key]

    def describe(self, schema):
        typ = schema.get("type")
        if isinstance(typ, list):
            typ = typ[0] if len(typ) == 1 else None  # kyaml: multi-typed is not an array
        props = schema.get("properties") or {}
        addl = schema.get("additionalProperties")
        if not isinstance(addl, dict):
            addl = None  # true / false / absent: no schema for values
        fields = []
        for fname in sorted(props, key=lambda s: s.encode("utf-8")):
            prop = props[fname]
            if ref_name(prop) is not None:
                sib = self.ext(prop)  # extensions next to the $ref (kyaml ignores them)
            else:
                sib = 0
            fields.append((fname, self.node_for(prop), sib))
        items = NONE16
        if typ == "array":
            kind = K_LIST
            if isinstance(schema.get("items"), dict):
                items = self.node_for(schema["items"])
        elif typ in SCALAR_KINDS:
            kind = SCALAR_KINDS[typ]
        elif typ == "object" or props or addl is not None:
            kind = K_MAP if (addl is not None and not props) else K_OBJECT
        else:
            kind = K_UNKNOWN
        if addl is not None and kind in (K_OBJECT, K_MAP):
            items = self.node_for(addl)
        return [kind, fields, items, self.ext(schema)]


def rust_str(s):
    out = ['"']
    for ch in s:
        if ch in '"\\':
            out.append("\\" + ch)
        elif 0x20 <= ord(ch) < 0x7F:
            out.append(ch)
        else:
            out.append("\\u{%x}" % ord(ch))
    out.append('"')
    return "".join(out)


def rust_opt(s):
    return "None" if s is None else "Some(%s)" % rust_str(s)


def rust_slice(items):
    return "&[" + ",".join(rust_str(s) for s in items) + "]"


def generate(bundle_path, kust_path):
    raw, bundle = load_json(bundle_path)
    if bundle.get("formatVersion") != 1:
        fail("unexpected bundle formatVersion %r" % bundle.get("formatVersion"))
    defs = dict(bundle["definitions"])
    kust_raw = b""
    kust_names = set()
    if kust_path:
        kust_raw, kust = load_json(kust_path)
        for name, d in kust.get("definitions", {}).items():
            kust_names.add(name)
            # kyaml.AddDefinitions: later documents overwrite same-named definitions.
            defs[name] = d

    # GVK -> root definition, from x-kubernetes-group-version-kind.
    roots = {}
    for name in sorted(defs):
        for gvk in defs[name].get(GVK_EXT) or []:
            key = (gvk.get("group") or "", gvk["version"], gvk["kind"])
            if key in roots and roots[key] != name:
                fail("GVK %r claimed by %s and %s" % (key, roots[key], name))
            roots[key] = name

    # Scope from the bundle's resource index (derived from the API paths: a GET
    # path under namespaces/{namespace} makes a kind namespaced).
    scopes = {}
    for res in bundle["resources"]:
        g, v = split_api_version(res["apiVersion"])
        key = (g, v, res["kind"])
        d = res.get("definition")
        if d is not None and roots.get(key) not in (None, d):
            fail("resource %r: definition %s, but GVK extension says %s" % (key, d, roots[key]))
        if d is not None and key not in roots:
            fail("resource %r names %s, which lacks the GVK extension" % (key, d))
        scopes.setdefault(key, SCOPE_UNKNOWN)
        if "scope" in res:
            scopes[key] = SCOPES[res["scope"]]

    b = Builder(defs)
    b.build(b.reachable(set(roots.values())))
    if len(b.nodes) >= NONE16:
        fail("too many types for u16 indices")

    kinds = sorted(set(roots) | set(scopes), key=lambda k: tuple(s.encode("utf-8") for s in k))

    # Lay out FIELDS.
    field_rows = []
    type_rows = []
    for kind, fields, items, ext, comment in b.nodes:
        start = len(field_rows) if fields else 0
        field_rows.extend(fields)
        type_rows.append((kind, start, len(fields), items, ext, comment))
    if len(field_rows) >= NONE16:
        fail("too many fields for u16 indices")
    if len(b.ext_list) > 255:
        fail("too many extension combinations for u8")

    lines = []
    w = lines.append
    w("// @generated by tools/gen_schema.py -- DO NOT EDIT.")
    w("// Regenerate from the repository root with: python3 tools/gen_schema.py")
    w("// Inputs: %s (sha256 %s, Kubernetes %s)" % (
        os.path.basename(bundle_path), hashlib.sha256(raw).hexdigest(),
        ", ".join(s.get("kubernetesVersion", "?") for s in bundle.get("sources", []))))
    if kust_path:
        w("//         %s (sha256 %s)" % (os.path.basename(kust_path), hashlib.sha256(kust_raw).hexdigest()))
    w("// Row types and codes are declared in mod.rs: kinds 0=object 1=map 2=list 3=string")
    w("// 4=integer 5=number 6=boolean 7=untyped; scopes 0=unknown 1=namespaced 2=cluster;")
    w("// NO (65535) = no items type / no root type.")
    w("")
    w("use super::{DefName as D, ExtDef as E, FieldDef as F, KindDef as K, TypeDef as T, NO};")
    w("")
    w("pub(super) static EXTS: [E; %d] = [" % len(b.ext_list))
    for strategy, merge_key, list_type, map_keys in b.ext_list:
        mk = (merge_key,) if merge_key is not None else ()
        w("E(%s,%s,%s,%s)," % (rust_opt(strategy), rust_slice(mk), rust_opt(list_type), rust_slice(map_keys)))
    w("];")
    w("")
    w("pub(super) static TYPES: [T; %d] = [" % len(type_rows))
    for i, (kind, start, n, items, ext, comment) in enumerate(type_rows):
        it = "NO" if items == NONE16 else str(items)
        row = "T(%d,%d,%d,%s,%d)," % (kind, start, n, it, ext)
        if comment:
            row += " // %d %s" % (i, comment)
        w(row)
    w("];")
    w("")
    w("pub(super) static FIELDS: [F; %d] = [" % len(field_rows))
    for name, ty, sib in field_rows:
        w("F(%s,%d,%d)," % (rust_str(name), ty, sib))
    w("];")
    w("")
    def_names = sorted(b.def_node, key=lambda n: b.def_node[n])
    if [b.def_node[n] for n in def_names] != list(range(len(def_names))) or def_names != sorted(def_names):
        fail("definitions are not the first rows of TYPES in name order")
    w("pub(super) static DEFS: [D; %d] = [" % len(def_names))
    for name in def_names:
        w("D(%s,%s)," % (rust_str(name), "true" if name in kust_names else "false"))
    w("];")
    w("")
    w("pub(super) static KINDS: [K; %d] = [" % len(kinds))
    for key in kinds:
        g, v, k = key
        root = b.def_node[roots[key]] if key in roots else None
        w("K(%s,%s,%s,%d,%s)," % (rust_str(g), rust_str(v), rust_str(k), scopes.get(key, SCOPE_UNKNOWN),
                                  "NO" if root is None else str(root)))
    w("];")
    return "\n".join(lines) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("bundle", nargs="?", default=None, help="OpenAPI bundle (.json or .json.gz)")
    ap.add_argument("kustomization", nargs="?", default=None, help="kustomization swagger (.json)")
    ap.add_argument("--no-kustomization", action="store_true", help="leave out the kustomization kinds")
    ap.add_argument("--out", default=None, help="output file (default core/src/schema/generated.rs)")
    ap.add_argument("--check", action="store_true", help="only check that the output is up to date")
    args = ap.parse_args()

    bundle = args.bundle or os.path.join(REPO_ROOT, DEFAULT_BUNDLE)
    kust = None if args.no_kustomization else (args.kustomization or os.path.join(REPO_ROOT, DEFAULT_KUSTOMIZATION))
    out = args.out or os.path.join(REPO_ROOT, DEFAULT_OUT)

    text = generate(bundle, kust)
    if args.check:
        try:
            with open(out, encoding="utf-8") as f:
                current = f.read()
        except FileNotFoundError:
            current = None
        if current != text:
            sys.exit("gen_schema: %s is out of date; run python3 tools/gen_schema.py" % out)
        return
    tmp = out + ".tmp"
    with open(tmp, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)
    os.replace(tmp, out)
    print("wrote %s (%d bytes)" % (os.path.relpath(out), len(text.encode("utf-8"))))


if __name__ == "__main__":
    main()
