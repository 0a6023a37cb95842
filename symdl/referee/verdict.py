r"""The verdict on a hand-derived gradient: outcome, reason, counterexample, feedback.

A :class:`Verdict` is what :func:`symdl.grading.answers.check_gradient` returns.  Its
:attr:`~Verdict.outcome` is one of four (:class:`Outcome`); a wrong answer carries an exact
counterexample point with the true and the submitted values there, the simplified difference
when it is small, and the recognised mistakes (:class:`Mistake`: a transposed matrix, a
constant factor, a sign, a constant offset).  For a vector or matrix gradient each entry has
its own :class:`EntryVerdict` and the worst one is named.

It renders as plain text (``str``), LaTeX (:meth:`Verdict.latex`), a notebook display
(``_repr_latex_``, and ``_repr_html_`` with MathJax delimiters), and a JSON-ready dictionary
(:meth:`Verdict.to_dict`).  An exact number of more than 60 digits (a value at a sample point
can have millions, and Python does not convert an integer of more than 4,300 digits to text)
is shown in every form by its first 20 digits and its power of ten: ``3.3333…×10^9999``.

Examples
--------
>>> import sympy as sp
>>> x = sp.Symbol("x", real=True)
>>> v = Verdict(Outcome.DIFFERENT, "off by a factor 2", counterexample={x: sp.Integer(1)},
...             true_value=sp.Integer(2), submitted_value=sp.Integer(4))
>>> v.correct
False
>>> print(v)
DIFFERENT: off by a factor 2
  at x = 1: true value 2, submitted 4
"""

from __future__ import annotations

import dataclasses
import enum
import html
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import mpmath
import sympy as sp

from symdl.core.notation import math_html, mathjax_text, plain_expr

__all__ = ["DecisionMethod", "EntryVerdict", "Mistake", "Outcome", "Verdict"]


class Outcome(enum.Enum):
    """What the check decided."""

    EQUIVALENT = "equivalent"  #: equal as functions on the problem's domain
    DIFFERENT = "different"  #: a point where they differ is known
    NOT_COMPARABLE = "not comparable"  #: unreadable text, wrong shape, unknown symbols
    UNKNOWN = "unknown"  #: the procedure could not decide in time (it never guesses)


class DecisionMethod(enum.Enum):
    """How the outcome was decided (see :mod:`symdl.referee.equivalence`)."""

    SYMBOLIC = "symbolic simplification"
    EXACT_POINTS = "exact evaluation at random rational points (polynomial identity test)"
    HIGH_PRECISION = "evaluation at random rational points to 50 digits"
    #: exact agreement of piecewise-rational functions (max, abs, …) at the points, as evidence
    EXACT_SAMPLES = "exact evaluation at random rational points (piecewise: no identity test)"
    #: each sign pattern of the kinks (max, absolute value, Heaviside, sign) decided symbolically
    SYMBOLIC_REGIONS = "symbolic simplification, region by region of the kinks"

    @property
    def proves(self) -> bool:
        """Whether an EQUIVALENT decided this way is a proof (not sample evidence).

        Only symbolic simplification proves, of the whole difference or of each region of
        its kinks.  The polynomial identity test on rational functions is wrong with a small
        stated probability (Schwartz 1980, Lemma 1), and agreement at sample points of
        piecewise or transcendental functions is evidence only.
        """
        return self in (DecisionMethod.SYMBOLIC, DecisionMethod.SYMBOLIC_REGIONS)


class Mistake(enum.Enum):
    """A recognised kind of wrong answer."""

    TRANSPOSED = "the matrix is transposed"
    CONSTANT_FACTOR = "off by a constant factor"
    SIGN = "wrong sign"
    CONSTANT_OFFSET = "off by an additive constant"
    DERIVATIVE_AS_FUNCTION = "an activation's derivative written as the activation (σ' as σ)"
    MISSING_DERIVATIVE = "an activation's derivative left out of the chain rule"
    WRONG_SHAPE = "wrong shape"
    UNKNOWN_SYMBOLS = "uses symbols the problem does not define"
    SYNTAX = "the text could not be read"
    AMBIGUOUS = "the text can be read in more than one way"


@dataclass(frozen=True)
class EntryVerdict:
    """The verdict on one entry of a vector or matrix gradient (0-based ``index``)."""

    index: tuple[int, int]
    outcome: Outcome
    true_value: sp.Expr | None = None
    submitted_value: sp.Expr | None = None
    gap: float = 0.0  #: the relative error abs(true - submitted) / max(1, abs(true)) there

    def __repr__(self) -> str:
        return _repr(self)


#: An exact number whose numerator or denominator has more than 60 digits is shown by its
#: leading digits and its power of ten, 3.3333…×10^9999: Python does not even convert an
#: integer of more than 4,300 digits to text, and no reader wants one.
_MAX_EXACT = 10**60


def _huge(value: object) -> bool:
    return isinstance(value, sp.Rational) and (
        abs(int(value.p)) >= _MAX_EXACT or int(value.q) >= _MAX_EXACT
    )


def _leading(value: sp.Rational, digits: int) -> tuple[str, int]:
    """The first ``digits`` significant digits of ``value`` (with its sign) and its power of 10."""
    with mpmath.workdps(digits + 10):
        number = mpmath.mpf(int(value.p)) / int(value.q)
        text = mpmath.nstr(number, digits, strip_zeros=False, min_fixed=0, max_fixed=0)
    mantissa, _, exponent = text.partition("e")
    return mantissa, int(exponent or 0)


class _Abbreviated(sp.Symbol):
    """A huge positive exact number in an expression, printed as ``3.3333…×10^9999``."""

    @classmethod
    def class_key(cls) -> tuple[int, int, str]:
        return 1, 0, "Number"  # ordered as a number: a coefficient comes first

    def _sympystr(self, printer: Any) -> str:
        return str(self.name)

    def _latex(self, printer: Any) -> str:
        mantissa, _, exponent = str(self.name).partition("…×10^")
        power = rf" \times 10^{{{exponent}}}" if exponent else ""
        return rf"{mantissa.rstrip('…')}\ldots{power}"


def _abbreviation(value: sp.Rational, digits: int = 20) -> _Abbreviated:
    mantissa, exponent = _leading(abs(value), digits)
    return _Abbreviated(f"{mantissa}…×10^{exponent}" if exponent else f"{mantissa}…")


def _displayable(expr: Any, digits: int = 20) -> Any:
    """``expr`` with every huge exact number in it abbreviated (for any SymPy printer)."""
    if not isinstance(expr, sp.Basic):
        return expr
    if _huge(expr):
        abbreviated = _abbreviation(expr, digits)
        return -abbreviated if expr < 0 else abbreviated
    huge = [a for a in expr.atoms(sp.Rational) if _huge(a)]
    if not huge:
        return expr
    return expr.xreplace({a: _displayable(a, digits) for a in huge})


def _text(expr: Any) -> str:
    """``str(expr)``, with huge exact numbers abbreviated."""
    return str(_displayable(expr))


def _show(value: object, digits: int = 20) -> str:
    """``value`` as text: an irrational value (a working-precision float) to ``digits``
    significant digits, an exact one exactly (a huge one by its first 20 digits)."""
    if value is sp.nan:
        return "undefined (a pole, or too large to represent)"
    if isinstance(value, sp.Expr) and value.is_number and not value.is_Rational:
        return str(sp.N(value, digits))
    return str(_displayable(value))


def _latex_value(value: object) -> str:
    if value is sp.nan:
        return r"\text{undefined}"
    if isinstance(value, sp.Expr) and value.is_number and not value.is_Rational:
        return sp.latex(sp.N(value, 20))
    return sp.latex(_displayable(value)) if isinstance(value, sp.Basic) else str(value)


def _displayable_fields(value: Any) -> Any:
    if isinstance(value, sp.Float):
        return sp.Float(value, 15)  # a 50-digit working value: 15 digits say what it is
    if isinstance(value, sp.Basic):
        return _displayable(value)
    if isinstance(value, dict):
        return {_displayable_fields(k): _displayable_fields(v) for k, v in value.items()}
    if isinstance(value, tuple):
        return tuple(_displayable_fields(v) for v in value)
    return value


def _is_default(field: dataclasses.Field[Any], value: Any) -> bool:
    if field.default is not dataclasses.MISSING:
        return bool(value is field.default or value == field.default)
    if field.default_factory is not dataclasses.MISSING:
        return bool(value == field.default_factory())
    return False


def _repr(instance: Any) -> str:
    """The dataclass's ``repr`` without the fields left at their defaults, huge exact numbers
    abbreviated and working-precision floats cut to 15 digits: short enough to read."""
    shown = (
        f"{f.name}={_displayable_fields(getattr(instance, f.name))!r}"
        for f in dataclasses.fields(instance)
        if f.repr and not _is_default(f, getattr(instance, f.name))
    )
    return f"{type(instance).__qualname__}({', '.join(shown)})"


@dataclass(frozen=True)
class Verdict:
    """The decision on one answer, with everything needed to explain it.

    Attributes
    ----------
    outcome : Outcome
    reason : str
        One sentence for a student.
    method : DecisionMethod or None
        How the outcome was decided.
    counterexample : dict or None
        A point (symbol → exact rational) where the answer is wrong.
    true_value, submitted_value : sympy.Expr or None
        The two values at the counterexample: exact rationals, or 50-digit floats.
    difference : sympy.Expr or None
        The simplified difference ``submitted - true``, when it is small.
    mistakes : tuple of Mistake
        The recognised kinds of mistake.
    factor : sympy.Expr or None
        The constant factor (or offset) of a CONSTANT_FACTOR, SIGN or CONSTANT_OFFSET mistake.
    entries : tuple of EntryVerdict
        For a vector or matrix gradient, one per entry.
    worst_entry : tuple of int or None
        The 0-based index of the entry with the largest relative error.
    answer : str or None
        The answer as read (SymPy's text form), to group identical mistakes.
    conditions : tuple of str
        For an EQUIVALENT answer that is right only under the problem's declared constraints
        (a target on the simplex, one-hot), those constraints; empty when it is right without
        them.
    seconds : float
        The time the check took.
    """

    outcome: Outcome
    reason: str
    method: DecisionMethod | None = None
    counterexample: Mapping[sp.Symbol, sp.Rational] | None = None
    true_value: sp.Expr | None = None
    submitted_value: sp.Expr | None = None
    difference: sp.Expr | None = None
    mistakes: tuple[Mistake, ...] = ()
    factor: sp.Expr | None = None
    entries: tuple[EntryVerdict, ...] = ()
    worst_entry: tuple[int, int] | None = None
    answer: str | None = None
    seconds: float = field(default=0.0, compare=False, repr=False)
    conditions: tuple[str, ...] = ()

    @property
    def correct(self) -> bool:
        """True exactly when the answer is equivalent to the true gradient."""
        return self.outcome is Outcome.EQUIVALENT

    @property
    def wrong_entries(self) -> tuple[tuple[int, int], ...]:
        """The 0-based indices of the entries found different."""
        return tuple(e.index for e in self.entries if e.outcome is Outcome.DIFFERENT)

    def _point_text(self) -> str:
        assert self.counterexample is not None
        if not self.counterexample:
            return "every point"
        return ", ".join(f"{s} = {_show(v)}" for s, v in self.counterexample.items())

    def __repr__(self) -> str:
        return _repr(self)

    def __str__(self) -> str:
        lines = [f"{self.outcome.name}: {self.reason}"]
        if self.counterexample is not None:
            where = ""
            if self.worst_entry is not None:
                where = f"entry ({self.worst_entry[0] + 1}, {self.worst_entry[1] + 1}) "
            digits = 12
            if _show(self.true_value, digits) == _show(self.submitted_value, digits):
                digits = 50  # they differ beyond the 12th digit
            lines.append(
                f"  {where}at {self._point_text()}: true value "
                f"{_show(self.true_value, digits)}, submitted {_show(self.submitted_value, digits)}"
            )
        if self.difference is not None:
            lines.append(f"  submitted − true = {plain_expr(_displayable(self.difference))}")
        if self.method is not None and self.outcome is Outcome.EQUIVALENT:
            lines.append(f"  decided by {self.method.value}")
        return "\n".join(lines)

    def _latex_lines(self) -> list[str]:
        """The evidence as math-mode lines: the point and values, then the difference."""
        lines = []
        if self.counterexample is not None:
            point = r",\ ".join(
                f"{sp.latex(s)} = {_latex_value(v)}" for s, v in self.counterexample.items()
            )
            where = ""
            if self.worst_entry is not None:
                i, j = self.worst_entry
                where = rf"\text{{entry }} ({i + 1}, {j + 1})\ "
            point = point or r"\text{every point}"
            lines.append(
                rf"{where}\text{{at }} {point}:\quad \text{{true}} = "
                rf"{_latex_value(self.true_value)},\quad \text{{submitted}} = "
                rf"{_latex_value(self.submitted_value)}"
            )
        if self.difference is not None:
            lines.append(
                rf"\text{{submitted}} - \text{{true}} = {sp.latex(_displayable(self.difference))}"
            )
        return lines

    def latex(self) -> str:
        r"""The verdict as LaTeX for a document (ASCII, for pdflatex with amsmath).

        A ``\textbf`` outcome and the reason, then the evidence in displayed equations.
        """
        reason = _latex_text(self.reason)
        heading = rf"\textbf{{{self.outcome.value.capitalize()}}}: {reason}"
        return "\n".join([heading, *(rf"\[ {line} \]" for line in self._latex_lines())])

    def _repr_latex_(self) -> str:
        # Jupyter renders this with MathJax, which reads math mode only: one array of lines
        outcome = self.outcome.value.capitalize()
        heading = rf"\textbf{{{outcome}}}\text{{: }}{mathjax_text(self.reason)}"
        rows = r" \\ ".join([heading, *self._latex_lines()])
        return rf"$$\begin{{array}}{{l}} {rows} \end{{array}}$$"

    def _repr_html_(self) -> str:
        # the outcome and reason as HTML text, the evidence as displayed math for MathJax
        outcome = self.outcome.value.capitalize()
        reason = html.escape(self.reason, quote=False)
        parts = [f"<p><strong>{outcome}</strong>: {reason}</p>"]
        parts += [f"<p>{math_html(line)}</p>" for line in self._latex_lines()]
        return f'<div class="symdl-verdict">{"".join(parts)}</div>'

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready summary: strings and numbers only."""
        return {
            "correct": self.correct,
            "outcome": self.outcome.value,
            "reason": self.reason,
            "method": None if self.method is None else self.method.name.lower(),
            "counterexample": None
            if self.counterexample is None
            else {str(s): _show(v) for s, v in self.counterexample.items()},
            "true_value": None if self.true_value is None else _show(self.true_value),
            "submitted_value": None
            if self.submitted_value is None
            else _show(self.submitted_value),
            "difference": None if self.difference is None else _text(self.difference),
            "mistakes": [m.name.lower() for m in self.mistakes],
            "wrong_entries": [list(i) for i in self.wrong_entries],
            "worst_entry": None if self.worst_entry is None else list(self.worst_entry),
            "answer": self.answer,
            "conditions": list(self.conditions),
            "seconds": round(self.seconds, 4),
        }


# Characters of the reasons that pdflatex cannot read as text, and their LaTeX forms.
_ASCII = {"σ": r"$\sigma$", "δ": r"$\delta$", "×": r"$\times$", "…": r"\ldots{}",
          "−": "-", "’": "'"}  # fmt: skip
# LaTeX's special characters in text mode, for a document (for MathJax: notation.mathjax_text).
_TEXT_MODE = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "$": r"\$", "&": r"\&",
              "#": r"\#", "%": r"\%", "_": r"\_", "^": r"\textasciicircum{}",
              "~": r"\textasciitilde{}"}  # fmt: skip
_SPECIAL = re.compile(r"([\\{}$&#%_^~])")


def _latex_text(text: str) -> str:
    r"""``text`` as LaTeX text mode for a document: ``\text{…}``, ASCII only (pdflatex)."""
    escaped = "".join(_TEXT_MODE.get(piece, piece) for piece in _SPECIAL.split(text))
    for char, latex in _ASCII.items():
        escaped = escaped.replace(char, latex)
    escaped = escaped.encode("ascii", "replace").decode("ascii")
    return rf"\text{{{escaped}}}"
