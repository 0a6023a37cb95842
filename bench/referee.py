"""Benchmark: symdl's answer checker against Math-Verify on the hand-written answer corpus.

The corpus (``tests/referee_corpus.py``) holds a few hundred answers to gradient problems
(expressions, activations, softmax with cross-entropy, small networks), each with the
verdict derived by hand: EQUIVALENT, DIFFERENT or NOT_COMPARABLE.  Every answer is judged in
the same run by

- symdl: ``check_gradient`` on the problem's own arguments, in this process
  (``Isolation.NONE``), as ``tests/test_referee_corpus.py`` calls it;
- Math-Verify (the baseline): ``math_verify.verify(math_verify.parse(gold),
  math_verify.parse(answer))``.  The gold is the true gradient as LaTeX (``sympy.latex`` of
  the gradient in the problem's variables, the network's named quantities expanded; SymPy's
  ``Heaviside(t, 0)`` printed as ``\\theta(t)``, as an answer's ``heaviside(t)`` is).  The
  answer is given as LaTeX in ``$...$``: as written when it is LaTeX, else converted from the
  Python-like syntax by the small table below.  Verify True counts as EQUIVALENT, False as
  DIFFERENT, an answer that Math-Verify cannot parse as NOT_COMPARABLE.  Math-Verify knows
  nothing of a problem's sampling domains, constraints or named quantities (``a^{(2)}``):
  that is part of what is measured.

Printed: the number of cases, each checker's accuracy (right verdicts / cases) overall, by
hand-derived verdict and by category (with, for scale, the score of a checker that answers
DIFFERENT to everything), the median and 90th-percentile time per answer (each answer judged
from scratch: symdl builds the problem, Math-Verify parses the gold, for every answer), and
the ratio symdl / Math-Verify of the median times.

Math-Verify is not a dependency of symdl: install it for the benchmark only
(``pip install math-verify``).  Without it the benchmark says so and exits with status 2.

Run: ``python bench/referee.py [--show-wrong]``.
"""

from __future__ import annotations

import argparse
import functools
import logging
import re
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sympy as sp

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from referee_corpus import CASES, Case, Category, problem

from symdl.core.network import Network
from symdl.grading.answers import GradientProblem, Isolation, check_gradient
from symdl.referee.equivalence import CheckOptions

# --- the answer as LaTeX ------------------------------------------------------------------------

#: Python-like names and their LaTeX (applied to names not already LaTeX commands).
PYTHON_TO_LATEX = {
    "sigmoid": r"\sigma",
    "sigma": r"\sigma",
    "sech": r"\operatorname{sech}",
    "tanh": r"\tanh",
    "cosh": r"\cosh",
    "sinh": r"\sinh",
    "sin": r"\sin",
    "cos": r"\cos",
    "exp": r"\exp",
    "log": r"\log",
    "ln": r"\ln",
    "max": r"\max",
    "heaviside": r"\theta",
    "Heaviside": r"\theta",
    "sign": r"\operatorname{sign}",
    "relu": r"\operatorname{relu}",
    "softplus": r"\operatorname{softplus}",
    "pi": r"\pi",
}
#: Unicode characters and LaTeX spellings that the checker may not know, rewritten.
UNICODE = {"−": "-", "·": r" \cdot ", "σ": r"\sigma", r"\operatorname{heaviside}": r"\theta"}
_NAMES = re.compile(
    r"(?<![\\A-Za-z])("
    + "|".join(sorted(PYTHON_TO_LATEX, key=len, reverse=True))
    + r")(?![A-Za-z}])"
)
#: Multi-digit sub- and superscripts without braces: ``w_11``, ``10^12``.
_DIGITS = re.compile(r"([_^])([0-9]{2,})")


def _closing(text: str, start: int) -> int:
    """The index of the bracket closing the one at ``start``."""
    pairs = {"(": ")", "[": "]", "{": "}"}
    depth = 0
    for i in range(start, len(text)):
        if text[i] in pairs:
            depth += 1
        elif text[i] in pairs.values():
            depth -= 1
            if depth == 0:
                return i
    raise ValueError(f"unbalanced brackets in {text!r}")


def _split(text: str, separator: str = ",") -> list[str]:
    """``text`` split at the separators outside brackets."""
    parts, depth, start = [], 0, 0
    for i, char in enumerate(text):
        depth += char in "([{"
        depth -= char in ")]}"
        if char == separator and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    return [*parts, text[start:]]


def _pmatrix(inner: str) -> str:
    """``a, b`` (a column) or ``[a, b], [c, d]`` (rows) as a LaTeX pmatrix."""
    items = [item.strip() for item in _split(inner)]
    if all(item.startswith("[") and item.endswith("]") for item in items):
        rows = [[cell.strip() for cell in _split(item[1:-1])] for item in items]
    else:
        rows = [[item] for item in items]
    body = r" \\ ".join(" & ".join(to_latex(cell) for cell in row) for row in rows)
    return rf"\begin{{pmatrix}} {body} \end{{pmatrix}}"


def _braced(text: str, opener: str, command: str) -> str:
    """``opener(...)`` (``sqrt(`` or ``^(``) rewritten as ``command{...}``.

    A parenthesised number after ``^`` is a layer (``a^(2)``) and keeps its parentheses.
    """
    while (start := text.find(opener)) >= 0:
        paren = start + len(opener) - 1
        end = _closing(text, paren)
        inner = text[paren + 1 : end]
        if opener == "^(" and inner.isdigit():
            inner = f"({inner})"
        text = f"{text[:start]}{command}{{{inner}}}{text[end + 1 :]}"
    return text


def _command(match: re.Match[str]) -> str:
    """A name's LaTeX, with a space only where a letter or digit follows (``\\pi x``)."""
    following = match.string[match.end() : match.end() + 1]
    return PYTHON_TO_LATEX[match.group(1)] + (" " if following.isalnum() else "")


def to_latex(answer: str) -> str:
    """An answer as LaTeX for a checker that reads LaTeX only (the table above)."""
    text = answer
    while (start := text.find("[")) >= 0:
        end = _closing(text, start)
        text = f"{text[:start]}{_pmatrix(text[start + 1 : end])}{text[end + 1 :]}"
    text = re.sub("σ(?=[A-Za-z0-9])", r"σ ", text)  # σx: σ of x
    for char, latex in UNICODE.items():
        text = text.replace(char, latex)
    text = _NAMES.sub(_command, text)
    text = _braced(text, "sqrt(", r"\sqrt")
    text = _braced(text.replace("**", "^"), "^(", "^")
    return _DIGITS.sub(r"\1{\2}", text).replace("*", r" \cdot ")


def gold_latex(name: str) -> str:
    """The true gradient of a problem as LaTeX, in the problem's variables."""
    p = problem(name)
    if isinstance(p.f, Network):
        gp = GradientProblem.from_network(p.f, p.loss, p.wrt, domains=p.domains)
    else:
        gp = GradientProblem.from_expression(p.f, p.wrt, domains=p.domains)
    truth = gp.truth.replace(
        lambda e: isinstance(e, sp.Heaviside), lambda e: sp.Heaviside(e.args[0])
    )
    return sp.latex(truth)


# --- the two checkers ---------------------------------------------------------------------------


def symdl_verdict(case: Case) -> str:
    p = problem(case.problem)
    extra: dict[str, Any] = {}
    if p.constraint is not None:
        extra["constraints"] = p.constraints()
    verdict = check_gradient(
        p.f,
        case.answer,
        wrt=p.wrt,
        loss=p.loss,
        domains=p.domains,
        options=None if case.symbolic else CheckOptions(symbolic_seconds=0),
        isolation=Isolation.NONE,
        **extra,
    )
    return verdict.outcome.name


def math_verify_verdict(mv: Any, gold: str, answer: str) -> str:
    parsed = mv.parse(f"${answer}$")
    if not any(isinstance(item, (sp.Basic, sp.MatrixBase)) for item in parsed):
        return "NOT_COMPARABLE"
    return "EQUIVALENT" if mv.verify(mv.parse(f"${gold}$"), parsed) else "DIFFERENT"


def timed(judge: Callable[[], str]) -> tuple[str, float]:
    start = time.perf_counter()
    try:
        outcome = judge()
    except Exception as error:  # a crash is a wrong verdict, not the end of the benchmark
        outcome = f"error ({type(error).__name__})"
    return outcome, time.perf_counter() - start


def _percent(right: int, total: int) -> str:
    return f"{right}/{total} ({100 * right / total:.1f}%)" if total else "-"


class _Timeouts(logging.Handler):
    """Counts Math-Verify's time-outs (it logs them) instead of printing them."""

    def __init__(self) -> None:
        super().__init__()
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += "Timeout" in record.getMessage()


@dataclass(frozen=True)
class Judged:
    """One case and the two checkers' verdicts (outcome names) and times."""

    case: Case
    symdl: str
    symdl_seconds: float
    math_verify: str
    math_verify_seconds: float

    def right(self, checker: str) -> bool:
        return bool(getattr(self, checker) == self.case.expected.name)


def _breakdown(rows: list[Judged], title: str, key: Callable[[Case], str], keys: list[str]) -> None:
    print(f"accuracy by {title} (symdl | Math-Verify):")
    for value in keys:
        chosen = [row for row in rows if key(row.case) == value]
        ours = sum(row.right("symdl") for row in chosen)
        theirs = sum(row.right("math_verify") for row in chosen)
        print(f"  {value:16s} {_percent(ours, len(chosen)):18s} | {_percent(theirs, len(chosen))}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show-wrong", action="store_true", help="list every wrong verdict")
    args = parser.parse_args()
    try:
        import math_verify as mv
    except ImportError:
        print(
            "Math-Verify is not installed: this benchmark compares symdl against it.\n"
            "Install it for the benchmark only: pip install math-verify",
            file=sys.stderr,
        )
        return 2
    timeouts = _Timeouts()
    mv_logger = logging.getLogger("math_verify")
    mv_logger.addHandler(timeouts)
    mv_logger.propagate = False
    golds = {name: gold_latex(name) for name in dict.fromkeys(case.problem for case in CASES)}
    rows = []
    for case in CASES:
        answer = case.latex or to_latex(case.answer)
        ours = timed(functools.partial(symdl_verdict, case))
        theirs = timed(functools.partial(math_verify_verdict, mv, golds[case.problem], answer))
        rows.append(Judged(case, *ours, *theirs))
    expected = Counter(case.expected.name for case in CASES)
    print(
        f"corpus: {len(CASES)} answers to {len(golds)} problems; hand-derived verdicts: "
        + ", ".join(f"{n} {name}" for name, n in expected.items())
    )
    medians = {}
    for label, checker in (("symdl", "symdl"), ("Math-Verify", "math_verify")):
        right = sum(row.right(checker) for row in rows)
        times = [getattr(row, f"{checker}_seconds") for row in rows]
        medians[label] = statistics.median(times)
        p90 = statistics.quantiles(times, n=10)[-1]
        print(
            f"{label:12s} accuracy {_percent(right, len(rows)):18s} per answer: median "
            f"{medians[label] * 1e3:7.1f} ms, p90 {p90 * 1e3:7.1f} ms"
        )
    print(
        f"(answering DIFFERENT to everything scores {_percent(expected['DIFFERENT'], len(rows))})"
    )
    print(
        f"ratio of the medians symdl / Math-Verify: {medians['symdl'] / medians['Math-Verify']:.2f}"
    )
    _breakdown(rows, "hand-derived verdict", lambda c: c.expected.name, list(expected))
    _breakdown(rows, "category", lambda c: c.category.name, [c.name for c in Category])
    unparsed = sum(row.math_verify == "NOT_COMPARABLE" for row in rows)
    print(
        f"Math-Verify: {unparsed} answers it could not parse, {timeouts.count} time-outs "
        "(parsing or comparison)"
    )
    if args.show_wrong:
        for label, checker in (("symdl", "symdl"), ("Math-Verify", "math_verify")):
            for row in rows:
                if not row.right(checker):
                    print(f"  {label:12s}{row.case.id}: {getattr(row, checker)}, expected "
                          f"{row.case.expected.name}")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
