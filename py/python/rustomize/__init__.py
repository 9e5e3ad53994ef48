"""rustomize: ``kustomize build``, reimplemented in Rust.

The same bytes as kustomize v5.5.0 (``kubectl kustomize``), without kustomize, and much
faster. Four functions::

    build(path, **options) -> str                          # a directory on disk
    build_files(files, root=".", **options) -> str         # an in-memory tree
    build_resources(path, **options) -> list[dict]
    build_files_resources(files, root=".", **options) -> list[dict]

For example::

    >>> import rustomize
    >>> print(rustomize.build_files({
    ...     "kustomization.yaml": "resources: [cm.yaml]\\nnamePrefix: dev-\\n",
    ...     "cm.yaml": "apiVersion: v1\\nkind: ConfigMap\\nmetadata:\\n  name: cfg\\n",
    ... }), end="")
    apiVersion: v1
    kind: ConfigMap
    metadata:
      name: dev-cfg

The options are kustomize build's flags, as keyword arguments (see ``help(rustomize.build)``).
A failed build raises a subclass of ``KustomizeError`` (one per kind of error); kustomize's
warnings are issued as ``KustomizeWarning`` with the ``warnings`` module. Builds release the
GIL and may run in many threads at once.
"""

from __future__ import annotations

import difflib
import os
import warnings
from collections.abc import Mapping, Sequence
from typing import Any, Dict, List, Optional, Tuple

from typing import Literal, TypedDict

from . import _rustomize as _native

__version__: str = _native.__version__
#: The kustomize version whose output rustomize reproduces.
KUSTOMIZE_VERSION: str = _native.KUSTOMIZE_VERSION

__all__ = [
    "build",
    "build_files",
    "build_many",
    "build_resources",
    "build_files_resources",
    "BuildOptions",
    "KustomizeWarning",
    "KustomizeError",
    "YamlError",
    "KustomizationError",
    "NotFoundError",
    "LoadRestrictionError",
    "CycleError",
    "ResourceError",
    "IdConflictError",
    "TransformError",
    "UnsupportedError",
    "UsageError",
    "ExternalError",
    "InternalError",
    "KUSTOMIZE_VERSION",
    "__version__",
]


# ------------------------------------------------------------------------------------------
# Options


class BuildOptions(TypedDict, total=False):
    """The keyword arguments of the build functions: kustomize build's flags."""

    load_restrictor: Optional[Literal["rootOnly", "none", "LoadRestrictionsRootOnly", "LoadRestrictionsNone"]]
    reorder: Optional[Literal["legacy", "none"]]
    enable_managedby_label: bool
    enable_helm: bool
    helm_command: Optional[str | os.PathLike[str]]
    enable_alpha_plugins: bool
    enable_exec: bool


_OPTIONS_DOC = """
    Options (keyword arguments, all optional; they are ``kustomize build``'s flags):

    load_restrictor
        ``"rootOnly"`` (the default; also ``"LoadRestrictionsRootOnly"``): a kustomization may
        only read files in or below its own directory. ``"none"`` (also
        ``"LoadRestrictionsNone"``): any file.
    reorder
        ``None`` (the default): kustomize's legacy order, unless the kustomization has
        ``sortOptions``. ``"legacy"``: legacy order (namespaces, RBAC, config, services,
        workloads, ...). ``"none"``: the order of the input. Same as ``--reorder``.
    enable_managedby_label
        ``True`` adds the label ``app.kubernetes.io/managed-by: kustomize-(devel)``.
    enable_helm, helm_command, enable_alpha_plugins, enable_exec
        Accepted for compatibility (``--enable-helm``, ``--helm-command``,
        ``--enable-alpha-plugins``, ``--enable-exec``); rustomize runs no external program:
        a kustomization that would need one (``helmCharts``, exec plugins) fails with a
        ``KustomizeError`` (``UnsupportedError`` for ``helmCharts``).

    An unknown option raises ``TypeError``, a value of the wrong type ``TypeError``, and an
    invalid value ``ValueError``.

"""

_OPTION_NAMES = tuple(BuildOptions.__annotations__)
_LOAD_RESTRICTORS = ("rootOnly", "none", "LoadRestrictionsRootOnly", "LoadRestrictionsNone")
_REORDERS = ("legacy", "none")
_BOOL_OPTIONS = ("enable_managedby_label", "enable_helm", "enable_alpha_plugins", "enable_exec")


def _type_name(v: object) -> str:
    return type(v).__name__


def _options(func: str, options: Dict[str, Any]) -> Any:
    """Checks the keyword arguments of ``func`` and makes the native options of them."""
    checked: Dict[str, Any] = {}
    for name, value in options.items():
        if name not in _OPTION_NAMES:
            hint = difflib.get_close_matches(name, _OPTION_NAMES, n=1)
            did_you_mean = f" (did you mean {hint[0]!r}?)" if hint else ""
            raise TypeError(
                f"{func}() got an unexpected keyword argument {name!r}{did_you_mean}; "
                f"the options are: {', '.join(_OPTION_NAMES)}"
            )
        if name == "load_restrictor":
            if value is None:
                continue
            if not isinstance(value, str):
                raise TypeError(f"{func}(): load_restrictor must be a str, not {_type_name(value)}")
            if value not in _LOAD_RESTRICTORS:
                raise ValueError(
                    f"{func}(): invalid load_restrictor {value!r}; expected one of "
                    + ", ".join(repr(v) for v in _LOAD_RESTRICTORS)
                )
        elif name == "reorder":
            if value is not None and not isinstance(value, str):
                raise TypeError(f"{func}(): reorder must be a str or None, not {_type_name(value)}")
            if value is not None and value not in _REORDERS:
                raise ValueError(f"{func}(): invalid reorder {value!r}; expected 'legacy', 'none' or None")
        elif name == "helm_command":
            if value is not None:
                if not isinstance(value, (str, os.PathLike)):
                    raise TypeError(f"{func}(): helm_command must be a str or None, not {_type_name(value)}")
                value = os.fsdecode(value)
        elif name in _BOOL_OPTIONS:
            if not isinstance(value, bool):
                raise TypeError(f"{func}(): {name} must be a bool, not {_type_name(value)}")
        checked[name] = value
    return _native.Options(**checked)


# ------------------------------------------------------------------------------------------
# Errors and warnings


class KustomizeWarning(UserWarning):
    """A warning kustomize prints on stderr while building (the build still succeeds)."""


class KustomizeError(Exception):
    """A failed build. Subclasses tell the kind of error.

    ``str(error)`` is the message the ``rustomize`` command prints after ``Error:``: the
    file, the position where known, the message, and the chain of kustomizations that led to
    the error. Attributes:

    kind
        The kind of error, a short string: ``"yaml"``, ``"kustomization"``, ``"not_found"``,
        ``"load_restriction"``, ``"cycle"``, ``"resource"``, ``"id_conflict"``,
        ``"transform"``, ``"unsupported"``, ``"usage"``, ``"external"`` or ``"internal"``.
    message
        The message alone, without file, position or chain.
    path
        The file (or directory) the error concerns, or None. For ``build_files`` it is a
        path in the in-memory tree (``/app/kustomization.yaml``).
    line, column
        The position in ``path`` (1-based), or None.
    chain
        The kustomization directories that led to the error, innermost first (a tuple).
    """

    kind: str = "unknown"

    def __init__(
        self,
        message: str,
        path: Optional[str] = None,
        line: Optional[int] = None,
        column: Optional[int] = None,
        chain: Tuple[str, ...] = (),
    ) -> None:
        super().__init__(message, path, line, column, tuple(chain))
        self.message = message
        self.path = path
        self.line = line
        self.column = column
        self.chain = tuple(chain)

    def __str__(self) -> str:
        out = ""
        if self.path is not None:
            out = self.path
            if self.line is not None:
                out += f":{self.line}"
                if self.column is not None:
                    out += f":{self.column}"
            out += ": "
        out += self.message
        for d in self.chain:
            out += f"\n  in kustomization {d}"
        return out

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.message!r}, path={self.path!r}, line={self.line!r}, column={self.column!r})"


class YamlError(KustomizeError):
    """Malformed YAML: syntax errors, duplicate keys, alias bombs."""

    kind = "yaml"


class KustomizationError(KustomizeError):
    """An invalid kustomization file: unknown field, wrong type, wrong kind."""

    kind = "kustomization"


class NotFoundError(KustomizeError):
    """A file or directory that does not exist or cannot be read."""

    kind = "not_found"


class LoadRestrictionError(KustomizeError):
    """A path outside the kustomization's root under ``load_restrictor="rootOnly"``."""

    kind = "load_restriction"


class CycleError(KustomizeError):
    """A kustomization that includes itself."""

    kind = "cycle"


class ResourceError(KustomizeError):
    """A resource document that is not a valid Kubernetes object."""

    kind = "resource"


class IdConflictError(KustomizeError):
    """Two resources with the same id, or a lookup that found none or several."""

    kind = "id_conflict"


class TransformError(KustomizeError):
    """A transformer, generator or patch that cannot be applied."""

    kind = "transform"


class UnsupportedError(KustomizeError):
    """A kustomize feature this version of rustomize does not implement."""

    kind = "unsupported"


class UsageError(KustomizeError):
    """An invalid option."""

    kind = "usage"


class ExternalError(KustomizeError):
    """A failure of an external program (git, helm)."""

    kind = "external"


class InternalError(KustomizeError):
    """A bug in rustomize (please report it)."""

    kind = "internal"


_ERROR_CLASSES = {
    cls.kind: cls
    for cls in (
        YamlError,
        KustomizationError,
        NotFoundError,
        LoadRestrictionError,
        CycleError,
        ResourceError,
        IdConflictError,
        TransformError,
        UnsupportedError,
        UsageError,
        ExternalError,
        InternalError,
    )
}


def _error_from_native(
    kind: str,
    message: str,
    path: Optional[str],
    line: Optional[int],
    column: Optional[int],
    chain: List[str],
) -> KustomizeError:
    """Called by the native module to make the exception for an error of ``kind``."""
    cls = _ERROR_CLASSES.get(kind)
    if cls is None:  # a kind newer than this module
        err = KustomizeError(message, path, line, column, tuple(chain))
        err.kind = kind
        return err
    return cls(message, path, line, column, tuple(chain))


def _warn(messages: List[str]) -> None:
    for m in messages:
        # The CLI prints "Warning: ..." or "# Warning: ..." on stderr; the category says it here.
        for prefix in ("# Warning: ", "Warning: "):
            if m.startswith(prefix):
                m = m[len(prefix) :]
                break
        # stacklevel 3: the caller of the public function.
        warnings.warn(m, KustomizeWarning, stacklevel=3)


# ------------------------------------------------------------------------------------------
# Arguments


def _path(func: str, what: str, value: Any) -> str:
    if isinstance(value, (str, os.PathLike)):
        p = os.fspath(value)
        if isinstance(p, bytes):
            p = os.fsdecode(p)
        return p
    if isinstance(value, bytes):
        return os.fsdecode(value)
    raise TypeError(f"{func}(): {what} must be a str or os.PathLike, not {_type_name(value)}")


def _files(func: str, files: Any) -> List[Tuple[str, bytes]]:
    if not isinstance(files, Mapping):
        raise TypeError(f"{func}(): files must be a mapping of paths to str or bytes, not {_type_name(files)}")
    out: List[Tuple[str, bytes]] = []
    for key, data in files.items():
        if not isinstance(key, (str, os.PathLike)):
            raise TypeError(f"{func}(): file paths must be str or os.PathLike, not {_type_name(key)} ({key!r})")
        path = os.fspath(key)
        if isinstance(path, bytes):
            path = os.fsdecode(path)
        if not path:
            raise ValueError(f"{func}(): a file path is empty")
        if "\0" in path:
            raise ValueError(f"{func}(): file path {path!r} contains a null character")
        path = path.replace(os.sep, "/") if os.sep != "/" else path
        if isinstance(data, str):
            data = data.encode("utf-8")
        elif isinstance(data, (bytes, bytearray, memoryview)):
            data = bytes(data)
        else:
            raise TypeError(f"{func}(): files[{key!r}] must be str or bytes, not {_type_name(data)}")
        out.append((path, data))
    return out


# ------------------------------------------------------------------------------------------
# The API


def build(path: str | os.PathLike[str], **options: Any) -> str:
    r"""Builds the kustomization in the directory ``path`` and returns the YAML.

    The result is byte for byte what ``kustomize build PATH`` (kustomize v5.5.0, or
    ``kubectl kustomize PATH``) prints: the resources as a YAML stream, documents separated by
    ``---``. ``path`` is a ``str`` or an ``os.PathLike``; a relative path is taken from the
    current directory. Files are read from disk.

    >>> rustomize.build("overlays/production", reorder="none")  # doctest: +SKIP
    'apiVersion: v1\nkind: ConfigMap\n...'
    {options}
    Raises a subclass of ``KustomizeError`` when the build fails (``NotFoundError`` if
    ``path`` is no kustomization directory); its ``str()`` names the file concerned.
    Warnings that kustomize prints are issued as ``KustomizeWarning``. The GIL is released
    while building.
    """
    opts = _options("build", options)
    text, warns = _native.build_path(_path("build", "path", path), opts)
    _warn(warns)
    return text


def build_many(
    paths: Sequence[str | os.PathLike[str]],
    *,
    jobs: int | None = None,
    return_exceptions: bool = False,
    **options: Any,
) -> List[Any]:
    r"""Builds many kustomization directories in parallel and returns their YAML, in order.

    Each result is what :func:`build` returns for that path. The builds run on ``jobs``
    threads (every core by default) with the GIL released, and share parsed files: a base or
    component used by several paths is parsed once. Options apply to every build.

    >>> rustomize.build_many(["envs/dev", "envs/prod"])  # doctest: +SKIP
    ['apiVersion: v1\n...', 'apiVersion: v1\n...']
    {options}
    A failing path raises its ``KustomizeError`` (the first in ``paths`` order), unless
    ``return_exceptions`` is true: then its place in the list holds the exception. Warnings are
    issued as ``KustomizeWarning``.
    """
    if jobs is not None and (isinstance(jobs, bool) or not isinstance(jobs, int) or jobs < 1):
        raise ValueError("build_many(): jobs must be a positive int or None")
    if isinstance(paths, (str, bytes)) or not isinstance(paths, Sequence):
        raise TypeError("build_many(): paths must be a sequence of paths, not %s" % _type_name(paths))
    opts = _options("build_many", options)
    checked = [_path("build_many", "paths[%d]" % i, p) for i, p in enumerate(paths)]
    out: List[Any] = []
    for text, warns, err in _native.build_paths(checked, opts, jobs or 0):
        _warn(warns)
        if err is not None and not return_exceptions:
            raise err
        out.append(err if err is not None else text)
    return out


def build_files(files: Mapping[str, str | bytes], root: str | os.PathLike[str] = ".", **options: Any) -> str:
    r"""Builds a kustomization from an in-memory tree of files and returns the YAML.

    ``files`` maps paths to contents (``str``, encoded as UTF-8, or ``bytes``). Paths are
    ``/``-separated and relative to the tree's root (a leading ``/`` changes nothing);
    directories exist where files are below them. ``root`` is the directory of the
    kustomization to build, in the tree (default: the tree's root). Nothing is read from
    disk: a path outside the tree is not found. Errors name files by their path in the tree,
    from ``/`` (``/overlay/kustomization.yaml``).

    The result is byte for byte what ``kustomize build`` prints for the same files.

    >>> rustomize.build_files({
    ...     "base/kustomization.yaml": "resources: [cm.yaml]\n",
    ...     "base/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\n",
    ...     "dev/kustomization.yaml": "resources: [../base]\nnamePrefix: dev-\n",
    ... }, root="dev")
    'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: dev-cfg\n'
    {options}
    Raises a subclass of ``KustomizeError`` when the build fails, ``TypeError`` or
    ``ValueError`` for invalid arguments. Warnings are issued as ``KustomizeWarning``. The GIL
    is released while building.
    """
    opts = _options("build_files", options)
    tree = _files("build_files", files)
    text, warns = _native.build_files(tree, _path("build_files", "root", root), opts)
    _warn(warns)
    return text


def build_resources(path: str | os.PathLike[str], **options: Any) -> List[Dict[str, Any]]:
    r"""Builds the kustomization in the directory ``path`` and returns the resources.

    Like ``build()``, but the result is a list with one ``dict`` per resource, in output
    order, holding the values kustomize prints, typed as reading that output back types
    them (YAML 1.2 core schema, as kustomize reads YAML):

    - mappings are ``dict``s, with the keys (always ``str``) in output order;
    - sequences are ``list``s;
    - ``null`` and ``~`` are ``None``; ``true``/``false`` are ``bool``;
    - integers are ``int`` (``0644`` is 420, ``0x1F`` is 31: kustomize prints them in
      decimal); floats are ``float``, except that a float with an integral value is an
      ``int`` (kustomize prints ``1.0`` as ``1``);
    - everything else is a ``str``: quoted scalars, ``on``/``yes``/``y`` (strings in YAML
      1.2), and timestamps, as kustomize prints them (RFC 3339).

    That is, the values of ``build()``'s output read with a YAML 1.2 (core schema) loader that
    keeps timestamps as text. An infinite or NaN float fails as in ``build()``
    (``ResourceError``).
    {options}
    Raises a subclass of ``KustomizeError`` when the build fails. The GIL is released while
    building.
    """
    opts = _options("build_resources", options)
    resources, warns = _native.build_path_resources(_path("build_resources", "path", path), opts)
    _warn(warns)
    return resources


def build_files_resources(
    files: Mapping[str, str | bytes], root: str | os.PathLike[str] = ".", **options: Any
) -> List[Dict[str, Any]]:
    r"""Builds a kustomization from an in-memory tree of files and returns the resources.

    ``files`` and ``root`` are as for ``build_files()``; the result is as for
    ``build_resources()``: one ``dict`` per resource, values typed as kustomize prints them.

    >>> rustomize.build_files_resources({
    ...     "kustomization.yaml": "resources: [d.yaml]\nnamespace: prod\n",
    ...     "d.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n"
    ...               "spec:\n  replicas: 3\n  paused: false\n",
    ... })
    [{'apiVersion': 'apps/v1', 'kind': 'Deployment', 'metadata': {'name': 'web', 'namespace': 'prod'}, 'spec': {'paused': False, 'replicas': 3}}]
    {options}
    Raises a subclass of ``KustomizeError`` when the build fails, ``TypeError`` or
    ``ValueError`` for invalid arguments. The GIL is released while building.
    """
    opts = _options("build_files_resources", options)
    tree = _files("build_files_resources", files)
    resources, warns = _native.build_files_resources(tree, _path("build_files_resources", "root", root), opts)
    _warn(warns)
    return resources


for _f in (build, build_files, build_many, build_resources, build_files_resources):
    _f.__doc__ = (_f.__doc__ or "").replace("    {options}\n", _OPTIONS_DOC)
del _f
