"""rustomize: kustomize build, reimplemented in Rust (type stubs)."""

import os
from typing import Any, Dict, List, Literal, Mapping, Optional, Sequence, Tuple, TypedDict, Union

from typing_extensions import Unpack

__version__: str
KUSTOMIZE_VERSION: str

_StrPath = Union[str, os.PathLike[str]]

class BuildOptions(TypedDict, total=False):
    """The keyword arguments of the build functions: kustomize build's flags."""

    load_restrictor: Optional[Literal["rootOnly", "none", "LoadRestrictionsRootOnly", "LoadRestrictionsNone"]]
    reorder: Optional[Literal["legacy", "none"]]
    enable_managedby_label: bool
    enable_helm: bool
    helm_command: Optional[Union[str, os.PathLike[str]]]
    enable_alpha_plugins: bool
    enable_exec: bool

#: One resource: a dict of str keys; values are dicts, lists, str, int, float, bool or None.
Resource = Dict[str, Any]

def build(path: _StrPath, **options: Unpack[BuildOptions]) -> str:
    """Builds the kustomization in the directory `path` and returns the YAML, byte for byte
    what `kustomize build PATH` prints."""

def build_many(
    paths: Sequence[_StrPath],
    *,
    jobs: Optional[int] = None,
    return_exceptions: bool = False,
    **options: Unpack[BuildOptions],
) -> List[Any]:
    """Builds many kustomization directories in parallel (sharing parsed files); the YAML of
    each, in order. A failure raises the first error unless `return_exceptions` is true, when
    its place holds the exception."""

def build_files(
    files: Mapping[Union[str, os.PathLike[str]], Union[str, bytes, bytearray, memoryview]],
    root: _StrPath = ".",
    **options: Unpack[BuildOptions],
) -> str:
    """Builds the kustomization at `root` in the in-memory tree `files` (path -> contents)
    and returns the YAML. Nothing is read from disk."""

def build_resources(path: _StrPath, **options: Unpack[BuildOptions]) -> List[Resource]:
    """Like `build`, but returns one dict per resource, values typed as kustomize prints them."""

def build_files_resources(
    files: Mapping[Union[str, os.PathLike[str]], Union[str, bytes, bytearray, memoryview]],
    root: _StrPath = ".",
    **options: Unpack[BuildOptions],
) -> List[Resource]:
    """Like `build_files`, but returns one dict per resource, values typed as kustomize
    prints them."""

class KustomizeWarning(UserWarning):
    """A warning kustomize prints on stderr while building."""

class KustomizeError(Exception):
    """A failed build; `str(error)` names the file, the position and the chain of
    kustomizations."""

    kind: str
    message: str
    path: Optional[str]
    line: Optional[int]
    column: Optional[int]
    chain: Tuple[str, ...]
    def __init__(
        self,
        message: str,
        path: Optional[str] = None,
        line: Optional[int] = None,
        column: Optional[int] = None,
        chain: Tuple[str, ...] = (),
    ) -> None: ...

class YamlError(KustomizeError): ...
class KustomizationError(KustomizeError): ...
class NotFoundError(KustomizeError): ...
class LoadRestrictionError(KustomizeError): ...
class CycleError(KustomizeError): ...
class ResourceError(KustomizeError): ...
class IdConflictError(KustomizeError): ...
class TransformError(KustomizeError): ...
class UnsupportedError(KustomizeError): ...
class UsageError(KustomizeError): ...
class ExternalError(KustomizeError): ...
class InternalError(KustomizeError): ...
