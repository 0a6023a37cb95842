"""Lazy public names: a package's names are imported from their modules on first use.

``import symdl`` then costs only what is used (no plotting library, no Sphinx, no parser until
a name needs it), while ``from symdl import Network`` and ``symdl.Network`` work as usual
(PEP 562 module ``__getattr__``).

Each public name is written once, in the package's ``if TYPE_CHECKING:`` block of imports
(which type checkers and editors read); :func:`attach` reads that block from the package's
source and builds ``__getattr__``, ``__dir__`` and ``__all__`` from it, in the manner of the
scientific Python ecosystem's lazy-loading proposal (SPEC 1).
"""

from __future__ import annotations

import ast
import importlib
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any


def exports(
    package: str, names: Mapping[str, str]
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """``__getattr__`` and ``__dir__`` for ``package`` whose public ``names`` map to the
    modules defining them; a name that is a submodule of its module is imported as one."""

    def attribute(name: str) -> Any:
        where = names.get(name)
        if where is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        module = importlib.import_module(where)
        if name in vars(module):
            value = vars(module)[name]
        else:  # ``from symdl.core import numeric``: the name is a module of the package
            value = importlib.import_module(f"{where}.{name}")
        globals_of_package = importlib.import_module(package).__dict__
        globals_of_package[name] = value  # later lookups are plain attribute reads
        return value

    def listing() -> list[str]:
        return sorted(set(names) | set(importlib.import_module(package).__dict__))

    return attribute, listing


def type_checking_imports(source: str) -> dict[str, str]:
    """The names imported in the top-level ``if TYPE_CHECKING:`` blocks of ``source``, each
    mapped to the module it is imported from, in the order written."""
    names: dict[str, str] = {}
    for node in ast.parse(source).body:
        if isinstance(node, ast.If) and isinstance(node.test, ast.Name):
            if node.test.id != "TYPE_CHECKING":
                continue
            for statement in node.body:
                if isinstance(statement, ast.ImportFrom) and statement.module:
                    for alias in statement.names:
                        names[alias.asname or alias.name] = statement.module
    return names


def attach(
    package: str, init_file: str
) -> tuple[Callable[[str], Any], Callable[[], list[str]], list[str]]:
    """``__getattr__``, ``__dir__`` and ``__all__`` of ``package``, from the imports in the
    ``if TYPE_CHECKING:`` block of its ``__init__.py`` at ``init_file``."""
    names = type_checking_imports(Path(init_file).read_text(encoding="utf-8"))
    attribute, listing = exports(package, names)
    return attribute, listing, list(names)
