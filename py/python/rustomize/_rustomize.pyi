"""The native half of the rustomize package (private: use `rustomize`)."""

from typing import Any, Dict, List, Optional, Tuple

__version__: str
KUSTOMIZE_VERSION: str

class Options:
    def __init__(
        self,
        *,
        load_restrictor: Optional[str] = None,
        reorder: Optional[str] = None,
        enable_managedby_label: bool = False,
        enable_helm: bool = False,
        helm_command: Optional[str] = None,
        enable_alpha_plugins: bool = False,
        enable_exec: bool = False,
    ) -> None: ...

def build_path(path: str, options: Options) -> Tuple[str, List[str]]: ...
def build_path_resources(path: str, options: Options) -> Tuple[List[Dict[str, Any]], List[str]]: ...
def build_files(files: List[Tuple[str, bytes]], root: str, options: Options) -> Tuple[str, List[str]]: ...
def build_files_resources(
    files: List[Tuple[str, bytes]], root: str, options: Options
) -> Tuple[List[Dict[str, Any]], List[str]]: ...
def build_paths(
    paths: List[str], options: Options, jobs: int
) -> List[Tuple[Optional[str], List[str], Optional[BaseException]]]: ...
def _panic_for_tests(where: str) -> None: ...
