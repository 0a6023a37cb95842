"""The module paths of symdl before its subpackages, kept working for one release.

Importing ``symdl.gradcheck`` (say) warns that the module moved and gives a module whose every
attribute is that of the module at its new path (:data:`MOVED`), so code written for the old
layout keeps running while it is updated.  Nothing is copied: the objects are the same.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import sys
import warnings
from types import ModuleType
from typing import Any

#: Old module path → new module path.
MOVED = {
    f"symdl.{old}": f"symdl.{new}"
    for old, new in {
        "exact": "core.exact", "exceptions": "core.exceptions",
        "activations": "core.activations", "special_functions": "core.special_functions",
        "losses": "core.losses", "targets": "core.targets", "layers": "core.layers",
        "network": "core.network", "numeric": "core.numeric", "notation": "core.notation",
        "derivation": "core.derivation", "deadline": "core.limits",
        "sampling": "referee.sampling", "pointwise": "referee.pointwise",
        "intervals": "referee.intervals", "kinks": "referee.kinks",
        "equivalence": "referee.equivalence", "diagnosis": "referee.diagnosis",
        "verdict": "referee.verdict",
        "backprop": "backpropagation.reverse_mode",
        "backprop_layers": "backpropagation.layer_rules",
        "backprop_check": "backpropagation.verification",
        "backprop_steps": "backpropagation.steps",
        "straight_line": "backpropagation.straight_line",
        "matrix_calculus": "backpropagation.matrix_form",
        "index_sums": "backpropagation.index_sums", "testing": "backpropagation.numeric_check",
        "lexing": "grading.lexing", "parsing": "grading.parsing",
        "parsing_names": "grading.names", "gradcheck": "grading.answers",
        "mistakes": "grading.mistakes", "problem_file": "grading.problem_files",
        "piecewise": "depth.piecewise", "piecewise_display": "depth.piecewise_display",
        "piecewise_sympy": "depth.piecewise_sympy", "rational_arrays": "depth.rational_arrays",
        "telgarsky": "depth.telgarsky", "separation_bounds": "depth.separation_bounds",
        "depth_separation": "depth.depth_separation", "regions": "depth.regions",
        "polygons": "depth.polygons", "montufar": "depth.montufar",
        "fourier": "approximation.fourier",
        "fourier_quadrature": "approximation.fourier_quadrature",
        "fourier_table": "approximation.fourier_table", "hankel": "approximation.hankel",
        "barron": "approximation.barron", "barron_bound": "approximation.bound",
        "barron_finiteness": "approximation.finiteness",
        "barron_gradient": "approximation.gradient_bound", "greedy": "approximation.greedy",
        "schedules": "optimization.schedules", "series": "optimization.series",
        "optim": "optimization.stochastic_gradient", "logistic": "optimization.logistic",
        "stability": "optimization.stability", "landscape": "optimization.landscape",
        "thresholding": "optimization.thresholding",
        "generalization": "optimization.generalization",
        "proving": "publish.proving", "report": "publish.report",
        "sphinx_directives": "publish.directives",
    }.items()
}  # fmt: skip
MOVED.update(
    {
        f"symdl.commands.{name}": f"symdl.cli.{name}"
        for name in ("barron", "check", "derive", "grade", "prove", "regions", "schedule",
                     "stability", "telgarsky")
    }
)  # fmt: skip
MOVED["symdl.commands"] = "symdl.cli"


class _AliasModule(ModuleType):
    """A module at an old path: every attribute is read from the module at the new path.

    Where the old path is also the name of a public function of symdl (``symdl.backprop``,
    ``symdl.barron_bound``), importing the old path would put this module in the function's
    place, so the module calls the function too.
    """

    _target: ModuleType
    _function: Any = None

    def __getattr__(self, name: str) -> Any:
        return getattr(self._target, name)

    def __dir__(self) -> list[str]:
        return dir(self._target)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if self._function is None:
            raise TypeError(f"module {self.__name__!r} is not callable")
        return self._function(*args, **kwargs)


class _Alias(importlib.abc.Loader):
    def __init__(self, new: str) -> None:
        self.new = new

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType:
        warnings.warn(
            f"{spec.name} has moved to {self.new}; import it from there (the old path will "
            "be removed in the next release)",
            DeprecationWarning,
            stacklevel=2,
        )
        module = _AliasModule(spec.name)
        module._target = importlib.import_module(self.new)
        parent, _, name = spec.name.rpartition(".")
        function = getattr(sys.modules.get(parent), name, None)
        if callable(function) and not isinstance(function, ModuleType):
            module._function = function
        if hasattr(module._target, "__path__"):
            module.__path__ = []  # a package: its old submodule paths are aliases too
        return module

    def exec_module(self, module: ModuleType) -> None:
        """Nothing to run: every attribute comes from the module at its new path."""


class _OldPaths(importlib.abc.MetaPathFinder):
    def find_spec(
        self, fullname: str, path: object = None, target: object = None
    ) -> importlib.machinery.ModuleSpec | None:
        new = MOVED.get(fullname)
        if new is None:
            return None
        return importlib.machinery.ModuleSpec(fullname, _Alias(new))


def install() -> None:
    """Make the old module paths importable (once)."""
    if not any(isinstance(finder, _OldPaths) for finder in sys.meta_path):
        sys.meta_path.insert(0, _OldPaths())  # before the path finder: an alias, never a copy
