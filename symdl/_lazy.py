"""Lazy public names: a package's names are imported from their modules on first use.

``import symdl`` then costs only what is used (no plotting library, no Sphinx, no parser until
a name needs it), while ``from symdl import Network`` and ``symdl.Network`` work as usual
(PEP 562 module ``__getattr__``).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any


def exports(
    package: str, names: Mapping[str, str]
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """``__getattr__`` and ``__dir__`` for ``package`` whose public ``names`` map to the
    modules defining them (a name that is a module itself maps to ``"module:"``)."""

    def attribute(name: str) -> Any:
        where = names.get(name)
        if where is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        if where.endswith(":"):  # the name is a module
            value = importlib.import_module(where[:-1])
        else:
            value = getattr(importlib.import_module(where), name)
        globals_of_package = importlib.import_module(package).__dict__
        globals_of_package[name] = value  # later lookups are plain attribute reads
        return value

    def listing() -> list[str]:
        return sorted(set(names) | set(importlib.import_module(package).__dict__))

    return attribute, listing
