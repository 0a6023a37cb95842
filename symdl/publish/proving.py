"""Running symdl's proofs: discovery, execution and results.

A *proof module* lives in ``proofs/`` (installed as ``symdl.proofs``) and is named after
its theorem.  Its contract:

- the module docstring states the theorem: the first line is its title (plain text), the rest
  the statement and the references, in reStructuredText with the mathematics in ``:math:``
  roles and ``.. math::`` blocks (shown as HTML by Sphinx, as LaTeX in the report through
  :func:`symdl.core.notation.statement_latex`, and in the lecture's Unicode notation in a
  terminal through :func:`symdl.core.notation.statement_text`);
- every function named ``lemma_*`` takes no argument and asserts exact facts through symdl's
  public API; a lemma passes when it returns, and fails when it raises;
- optionally, ``derivation()`` returns a :class:`symdl.core.derivation.Derivation` (the written
  proof) and ``figures()`` returns a mapping from a file stem to a matplotlib figure.

The runner discovers the modules with :func:`pkgutil.iter_modules` on ``symdl.proofs``, so a
new proof module is picked up without being listed anywhere, in a checkout (editable install)
and in an installed wheel alike.  pytest collects the same modules through the root
``conftest.py``.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import time
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from types import ModuleType

from symdl.core.notation import statement_text

__all__ = [
    "LemmaResult",
    "ProofResult",
    "discover_proofs",
    "lemmas",
    "run_proof",
    "theorem_statement",
    "theorem_title",
]

PROOF_PACKAGE = "symdl.proofs"


@dataclass(frozen=True)
class LemmaResult:
    """The outcome of one lemma: its name, whether it held, the time taken, the error."""

    name: str
    passed: bool
    seconds: float
    error: str = ""


@dataclass(frozen=True)
class ProofResult:
    """The outcome of one proof module: every lemma's result."""

    name: str
    title: str
    statement: str
    lemmas: tuple[LemmaResult, ...] = field(default_factory=tuple)

    @property
    def passed(self) -> bool:
        """True when the module has at least one lemma and every lemma held."""
        return bool(self.lemmas) and all(lemma.passed for lemma in self.lemmas)

    @property
    def seconds(self) -> float:
        """Total time of the lemmas."""
        return sum(lemma.seconds for lemma in self.lemmas)

    def __str__(self) -> str:
        """The proof as a terminal shows it: its title, its statement in the lecture's
        notation (:func:`symdl.core.notation.statement_text`), and each lemma's verdict."""
        held = sum(lemma.passed for lemma in self.lemmas)
        lines = [self.title, ""]
        if self.statement:
            lines.extend([statement_text(self.statement), ""])
        verdict = "holds" if self.passed else "FAILED"
        lines.append(f"{verdict}: {held} of {len(self.lemmas)} lemmas")
        for lemma in self.lemmas:
            mark = "✓" if lemma.passed else "✗"
            lines.append(f"  {mark} {lemma.name}" + (f": {lemma.error}" if lemma.error else ""))
        return "\n".join(lines)

    def __repr__(self) -> str:
        held = sum(lemma.passed for lemma in self.lemmas)
        return f"ProofResult({self.name!r}, passed={self.passed}, lemmas={held}/{len(self.lemmas)})"


def discover_proofs(*, package_name: str = PROOF_PACKAGE) -> list[str]:
    """Names of the proof modules (``"xor"``, ``"backprop"``, …), sorted.

    ``package_name`` is symdl's own proofs by default; a course can keep its own proof modules,
    written to the same contract, in a package of its own.

    Examples
    --------
    >>> "xor" in discover_proofs()
    True
    """
    package = importlib.import_module(package_name)
    return sorted(
        info.name
        for info in pkgutil.iter_modules(package.__path__)
        if not info.name.startswith("_") and info.name != "conftest"
    )


def load_proof(name: str, *, package_name: str = PROOF_PACKAGE) -> ModuleType:
    """Import the proof module ``name``; a clear error if there is none of that name."""
    available = discover_proofs(package_name=package_name)
    if name not in available:
        raise ValueError(f"no proof named {name!r}; the proofs are: {', '.join(available)}")
    return importlib.import_module(f"{package_name}.{name}")


def lemmas(module: ModuleType) -> Iterator[tuple[str, Callable[[], object]]]:
    """The lemma functions of a proof module, in the order they are written."""
    functions = [
        (name, obj)
        for name, obj in vars(module).items()
        if name.startswith("lemma_") and inspect.isfunction(obj)
    ]
    functions.sort(key=lambda item: item[1].__code__.co_firstlineno)
    yield from functions


def theorem_title(module: ModuleType) -> str:
    """The first line of the module docstring."""
    doc = inspect.getdoc(module) or module.__name__
    return doc.strip().splitlines()[0]


def theorem_statement(module: ModuleType) -> str:
    """The module docstring after its first line."""
    doc = inspect.getdoc(module) or ""
    return "\n".join(doc.strip().splitlines()[1:]).strip()


def run_proof(name: str, *, package_name: str = PROOF_PACKAGE) -> ProofResult:
    """Run every lemma of the proof module ``name`` and collect the results."""
    module = load_proof(name, package_name=package_name)
    results = []
    for lemma_name, lemma in lemmas(module):
        start = time.perf_counter()
        try:
            lemma()
        except Exception as error:  # a failed lemma is a result, not a crash of the runner
            detail = "".join(traceback.format_exception_only(type(error), error)).strip()
            results.append(LemmaResult(lemma_name, False, time.perf_counter() - start, detail))
        else:
            results.append(LemmaResult(lemma_name, True, time.perf_counter() - start))
    return ProofResult(
        name=name,
        title=theorem_title(module),
        statement=theorem_statement(module),
        lemmas=tuple(results),
    )
