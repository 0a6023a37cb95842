r"""Deciding whether a submitted gradient equals the true one, and explaining why not.

The decision procedure, for each entry :math:`t` (true) and :math:`s` (submitted):

1. **Symbolic.**  If :math:`s - t` is identically 0 as SymPy builds it, the answer is
   equivalent.  If the difference is small (at most ``CheckOptions.symbolic_size``
   nodes in its tree), it is rewritten in :math:`\exp` and simplified under a time budget
   (``CheckOptions.symbolic_seconds``): 0 proves equivalence, a nonzero constant proves a
   difference, anything else is kept as the *simplified difference* to show the student.
2. **Exact points.**  Both are evaluated at random rational points of the domain
   (``CheckOptions.points`` of them; each variable in its own :class:`SamplingInterval`).
   Where both values are rational (a rational function: sums, products, quotients, integer
   powers, ``max``, ``|·|``), they are compared exactly: one unequal pair is a proof of
   difference, with an exact counterexample.  If they agree at every point and both are
   rational functions, the answer is equivalent by the polynomial identity test: a nonzero
   rational function :math:`P/Q` with :math:`\deg P \le D` vanishes at a point drawn uniformly
   from :math:`S^n` with probability at most :math:`D/|S|` (Schwartz 1980, Lemma 1; Zippel
   1979), and the points are independent.
3. **High precision.**  Otherwise (σ, tanh, exp, log, …) both are evaluated with mpmath to
   ``CheckOptions.dps`` = 50 significant digits (10 guard digits more internally) and
   compared with the tolerance :math:`|s - t| \le 10^{-(\text{dps} - 10)} \max(1, |t|)`, so
   a difference of :math:`10^{-30}` is a difference.  Agreement at every point is reported
   as equivalence by high-precision evaluation.

When it can be wrong.  EQUIVALENT from step 2 is wrong with probability at most
:math:`\prod_i D \varepsilon_i` over the points, where :math:`\varepsilon_i` bounds the
probability of any single value of a coordinate at point :math:`i` (the Schwartz–Zippel bound
for independent coordinates): for :math:`[-2, 2]`, :math:`\varepsilon \approx 1/1300` at the
points after the first three (which have small denominators, to give readable
counterexamples).  That bound needs rational functions: with ``max``, ``|·|``, Heaviside
or sign the two sides are rational only piece by piece, and agreement at the points is
evidence, not a proof (reported as ``DecisionMethod.EXACT_SAMPLES``): a piece where they
differ that no point falls in goes unseen (:math:`2x + \max(0, 10^{-3} - |x - 1/7|)` passes
for :math:`2x` on :math:`[-2, 2]`).
From step 3 it is wrong if the two functions differ by less than the tolerance at every sampled
point (e.g. :math:`s = t + 10^{-45}`), or only outside the sampled points: on a set of measure
zero (a kink of ``max``, :math:`\sin(\pi x)` on the integers), or outside the domain of the
problem.  DIFFERENT is never wrong when exact, and wrong only for a loss of more than 10
digits to cancellation when from step 3.  Points where the true gradient is undefined are
skipped; a point where the submitted answer alone is undefined shows a difference.

A different answer is then explained: a transposed matrix, a modelled chain-rule mistake
(:mod:`symdl.mistakes`), or a constant factor, sign or offset (:mod:`symdl.diagnosis`).

References
----------
J. T. Schwartz, "Fast probabilistic algorithms for verification of polynomial identities",
J. ACM 27 (1980), 701–717, Lemma 1.  R. Zippel, "Probabilistic algorithms for sparse
polynomials", EUROSAM 1979.  MITx grading library, ``sample_from`` domains per variable.
"""

from __future__ import annotations

import dataclasses
import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import mpmath
import sympy as sp

from symdl.deadline import TimeLimitExceededError, deadline
from symdl.diagnosis import constant_relation, reason
from symdl.pointwise import PointValues as _Values
from symdl.pointwise import as_sympy as _as_sympy
from symdl.pointwise import evaluate_at as _evaluate
from symdl.sampling import SamplingInterval, sample_points
from symdl.verdict import DecisionMethod, EntryVerdict, Mistake, Outcome, Verdict

__all__ = ["CheckOptions", "Referee"]


@dataclass(frozen=True)
class CheckOptions:
    """How hard and how long to look (see the module's decision procedure).

    Attributes
    ----------
    points : int
        Sample points per entry where the true gradient is defined (3 spares are drawn).
    dps : int
        Significant digits of the high-precision comparison; the tolerance is
        :math:`10^{-(dps - 10)}` relative.
    time_limit : float
        Seconds for one whole check; past it the verdict is UNKNOWN.
    symbolic_seconds : float
        Seconds for the simplification of one entry's difference (0: no simplification).
    symbolic_size : int
        Simplify only differences of at most this many tree nodes.
    seed : int
        The seed of the sample points: the same problem always uses the same points.
    """

    points: int = 6
    dps: int = 50
    time_limit: float = 10.0
    symbolic_seconds: float = 1.0
    symbolic_size: int = 60
    seed: int = 20261123

    def __post_init__(self) -> None:
        for name in ("points", "dps", "time_limit", "symbolic_seconds", "symbolic_size", "seed"):
            value = getattr(self, name)
            number = (int, float) if name in ("time_limit", "symbolic_seconds") else (int,)
            if isinstance(value, bool) or not isinstance(value, number):
                kind = "a number of seconds" if float in number else "an integer"
                raise TypeError(f"CheckOptions.{name} = {value!r}: expected {kind}")
        checks = {
            "points": self.points >= 2,
            "dps": self.dps >= 20,
            "time_limit": self.time_limit > 0,
            "symbolic_seconds": self.symbolic_seconds >= 0,
            "symbolic_size": self.symbolic_size >= 0,
        }
        for name, ok in checks.items():
            if not ok:
                raise ValueError(
                    f"CheckOptions.{name} = {getattr(self, name)!r} is out of "
                    "range (points ≥ 2, dps ≥ 20, time_limit > 0, others ≥ 0)"
                )

    @property
    def tolerance(self) -> Any:
        """The relative tolerance of step 3: :math:`10^{-(dps-10)}`."""
        return mpmath.mpf(10) ** (-(self.dps - 10))


@dataclass(frozen=True)
class _Entry:
    """The comparison of one entry: outcome, method and the witness point index."""

    outcome: Outcome
    method: DecisionMethod | None = None
    witness: int | None = None
    gap: float = 0.0
    simplified: sp.Expr | None = None
    note: str = ""


#: Functions that are rational only piece by piece: no polynomial identity test for them.
_PIECEWISE = (sp.Max, sp.Min, sp.Abs, sp.Heaviside, sp.sign, sp.Piecewise)


def _small(expr: sp.Expr, limit: int) -> bool:
    """Whether ``expr`` has at most ``limit`` nodes (stops counting at the limit)."""
    return sum(1 for _ in itertools.islice(sp.preorder_traversal(expr), limit + 1)) <= limit


def _gap(t: Any, s: Any) -> float:
    return float(abs(s - t) / max(1, abs(t)))


class Referee:
    """The decision procedure bound to one true gradient and its sample points.

    The true values at the points are computed once and cached, so that judging many answers
    to one problem (a class) evaluates the truth only once.  Picklable.

    Parameters
    ----------
    truth : sympy.Expr or sympy.Matrix
        The true gradient: a scalar, a column vector (gradient in a list of variables; its
        orientation is not graded) or a matrix (its orientation is graded).
    variables : sequence of Symbol
        Every symbol the truth and an answer may depend on.
    domains : mapping from Symbol to SamplingInterval, optional
        Sampling intervals (default :func:`symdl.sampling.default_interval`).
    options : CheckOptions
    vector : bool
        The truth is a gradient vector: a row answer is read as a column.
    alternatives : sequence of (Mistake, truth)
        Wrong gradients that a known mistake gives (:mod:`symdl.mistakes`): a wrong answer
        equal to one of them is told which mistake it makes.

    Examples
    --------
    >>> x, y = sp.symbols("x y", real=True)
    >>> referee = Referee(sp.Matrix([[y, x]]), [x, y])
    >>> referee.judge(sp.Matrix([[y, x]])).correct
    True
    >>> verdict = referee.judge(sp.Matrix([[y, 2*x]]))
    >>> verdict.wrong_entries, verdict.counterexample[x] != 0
    (((0, 1),), True)
    """

    def __init__(
        self,
        truth: sp.Expr | sp.MatrixBase,
        variables: Sequence[sp.Symbol],
        *,
        domains: Mapping[sp.Symbol, SamplingInterval] | None = None,
        options: CheckOptions | None = None,
        vector: bool = False,
        alternatives: Sequence[tuple[Mistake, sp.Expr | sp.MatrixBase]] = (),
    ) -> None:
        self.scalar = not isinstance(truth, sp.MatrixBase)
        self.alternatives = tuple(alternatives)
        self._referees: dict[int, Referee] = {}
        self.vector = vector
        self.truth = sp.ImmutableMatrix([[truth]] if self.scalar else truth)
        self.variables = tuple(variables)
        self.domains = dict(domains or {})
        self.options = options or CheckOptions()
        unknown = set().union(*(e.free_symbols for e in self.truth)) - set(self.variables)
        if unknown:
            raise ValueError(
                f"the true gradient uses {sorted(map(str, unknown))}, which are not "
                "among the variables: add them to the problem's variables"
            )
        extra = 3
        self.points = sample_points(
            self.variables, self.domains, self.options.points + extra, self.options.seed
        )
        self._truth_values: dict[int, _Values] = {}

    def selected(self, k: int) -> list[int]:
        """The first ``options.points`` points where entry ``k`` of the truth is defined."""
        defined = [i for i, value in enumerate(self.truth_values(k).mp) if value is not None]
        return defined[: self.options.points]

    def truth_selected(self, k: int) -> _Values:
        """The true values of entry ``k`` at :meth:`selected` points (cached)."""
        key = -1 - k
        if key not in self._truth_values:
            full = self.truth_values(k)
            chosen = self.selected(k)
            self._truth_values[key] = _Values(
                [full.exact[i] for i in chosen], [full.mp[i] for i in chosen]
            )
        return self._truth_values[key]

    def truth_values(self, k: int) -> _Values:
        if k not in self._truth_values:
            self._truth_values[k] = _evaluate(self.truth[k], self.points, self.options.dps)
        return self._truth_values[k]

    # -- one entry --
    def _simplify(self, difference: sp.Expr) -> sp.Expr | None:
        if self.options.symbolic_seconds == 0 or not _small(difference, self.options.symbolic_size):
            return None
        try:
            with deadline(self.options.symbolic_seconds):
                return sp.simplify(difference.rewrite(sp.exp))
        except TimeLimitExceededError:
            return None

    def compare(self, k: int, answer: sp.Expr, *, symbolic: bool = True) -> tuple[_Entry, _Values]:
        truth = self.truth[k]
        difference = answer - truth
        values = _Values()
        if difference == 0:
            return _Entry(Outcome.EQUIVALENT, DecisionMethod.SYMBOLIC), self.truth_selected(k)
        simplified = self._simplify(difference) if symbolic else None
        if simplified == 0:
            return _Entry(Outcome.EQUIVALENT, DecisionMethod.SYMBOLIC), self.truth_selected(k)
        proved = simplified is not None and simplified.is_number and simplified != 0
        chosen = [self.points[i] for i in self.selected(k)]
        t, values = self.truth_selected(k), _evaluate(answer, chosen, self.options.dps)
        usable = list(range(len(chosen)))
        if len(usable) < 2:
            return _Entry(
                Outcome.UNKNOWN,
                note="the true gradient is undefined at the sampled "
                "points: give the problem a domain where it is defined",
            ), values
        all_exact, witness, worst = True, None, 0.0
        for i in usable:
            if values.mp[i] is None:
                gap, all_exact = math.inf, False
            elif t.exact[i] is not None and values.exact[i] is not None:
                gap = 0.0 if t.exact[i] == values.exact[i] else _gap(t.mp[i], values.mp[i])
                gap = gap or (0.0 if t.exact[i] == values.exact[i] else 1e-300)
            else:
                all_exact = False
                gap = _gap(t.mp[i], values.mp[i])
                gap = 0.0 if gap <= self.options.tolerance else gap
            if gap > 0 and witness is None:
                witness = i
            worst = max(worst, gap)
        if witness is None and not proved:
            method = DecisionMethod.HIGH_PRECISION
            if all_exact:  # the identity test holds for rational functions, not piecewise ones
                piecewise = truth.has(*_PIECEWISE) or answer.has(*_PIECEWISE)
                method = DecisionMethod.EXACT_SAMPLES if piecewise else DecisionMethod.EXACT_POINTS
            return _Entry(Outcome.EQUIVALENT, method), values
        if witness is None:  # a constant difference below the tolerance, found symbolically
            return _Entry(
                Outcome.DIFFERENT, DecisionMethod.SYMBOLIC, usable[0], 1e-300, simplified
            ), values
        exact_witness = t.exact[witness] is not None and values.exact[witness] is not None
        method = (
            DecisionMethod.SYMBOLIC
            if proved
            else (DecisionMethod.EXACT_POINTS if exact_witness else DecisionMethod.HIGH_PRECISION)
        )
        return _Entry(Outcome.DIFFERENT, method, witness, worst, simplified), values

    # -- a whole answer --
    def judge(self, answer: sp.Expr | sp.MatrixBase) -> Verdict:
        """The verdict on ``answer`` (a SymPy expression or matrix in the variables)."""
        shaped = self._shape(answer)
        if isinstance(shaped, Verdict):
            return shaped
        matrix, transposed_shape, note = shaped
        unknown = set().union(*(e.free_symbols for e in matrix)) - set(self.variables)
        if unknown:
            names = ", ".join(sorted(map(str, unknown)))
            return Verdict(
                Outcome.NOT_COMPARABLE,
                f"the answer uses {names}, which the problem does not define",
                mistakes=(Mistake.UNKNOWN_SYMBOLS,),
            )
        results = [self.compare(k, matrix[k]) for k in range(len(matrix))]
        entries = [entry for entry, _ in results]
        if any(e.outcome is Outcome.DIFFERENT for e in entries) or transposed_shape:
            return self._different(matrix, results, transposed_shape, note)
        if any(e.outcome is Outcome.UNKNOWN for e in entries):
            notes = {e.note for e in entries if e.note}
            return Verdict(Outcome.UNKNOWN, "; ".join(sorted(notes)) or "undecided")
        methods = [e.method for e in entries]
        method = next(
            m
            for m in (
                DecisionMethod.HIGH_PRECISION,
                DecisionMethod.EXACT_SAMPLES,
                DecisionMethod.EXACT_POINTS,
                DecisionMethod.SYMBOLIC,
            )
            if m in methods
        )
        return Verdict(
            Outcome.EQUIVALENT,
            "equivalent to the true gradient" + note,
            method=method,
            entries=self._entry_verdicts(matrix, results),
        )

    def _shape(
        self, answer: sp.Expr | sp.MatrixBase
    ) -> Verdict | tuple[sp.ImmutableMatrix, bool, str]:
        rows, cols = self.truth.shape
        if not isinstance(answer, sp.MatrixBase):
            if self.scalar or (rows, cols) == (1, 1):
                return sp.ImmutableMatrix([[answer]]), False, ""
            return Verdict(
                Outcome.NOT_COMPARABLE,
                f"expected a {rows}×{cols} "
                f"{'vector' if self.vector else 'matrix'}, got a single expression",
                mistakes=(Mistake.WRONG_SHAPE,),
            )
        given = sp.ImmutableMatrix(answer)
        if given.shape == (rows, cols):
            return given, False, ""
        if given.shape == (cols, rows):
            if self.vector:
                return sp.ImmutableMatrix(given.T), False, " (written as a row vector)"
            return sp.ImmutableMatrix(given.T), True, ""
        expected = "a single expression" if self.scalar else f"a {rows}×{cols} matrix"
        return Verdict(
            Outcome.NOT_COMPARABLE,
            f"expected {expected}, got a {given.rows}×{given.cols} matrix",
            mistakes=(Mistake.WRONG_SHAPE,),
        )

    def _entry_verdicts(
        self, matrix: sp.ImmutableMatrix, results: Sequence[tuple[_Entry, _Values]]
    ) -> tuple[EntryVerdict, ...]:
        if self.scalar:
            return ()
        cols = self.truth.cols
        verdicts = []
        for k, (entry, values) in enumerate(results):
            i = entry.witness
            verdicts.append(
                EntryVerdict(
                    (k // cols, k % cols),
                    entry.outcome,
                    None if i is None else self._value(self.truth_selected(k), i),
                    None if i is None else self._value(values, i),
                    entry.gap,
                )
            )
        return tuple(verdicts)

    def _value(self, values: _Values, i: int) -> sp.Expr:
        return _as_sympy(values.mp[i], values.exact[i], self.options.dps)

    def _is_transpose(self, matrix: sp.ImmutableMatrix) -> bool:
        if self.scalar or self.vector or matrix.rows != matrix.cols or matrix == matrix.T:
            return False
        flipped = matrix.T
        return all(
            self.compare(k, flipped[k], symbolic=False)[0].outcome is Outcome.EQUIVALENT
            for k in range(len(flipped))
        )

    def _modelled(self, matrix: sp.ImmutableMatrix) -> tuple[Mistake, ...]:
        """The modelled mistakes whose wrong gradient equals the answer (points only)."""
        found = []
        for i, (mistake, wrong) in enumerate(self.alternatives):
            if i not in self._referees:
                options = dataclasses.replace(self.options, symbolic_seconds=0)
                self._referees[i] = Referee(wrong, self.variables, domains=self.domains,
                                            options=options, vector=self.vector)  # fmt: skip
            if self._referees[i].agrees(matrix) and mistake not in found:
                found.append(mistake)
        return tuple(found)

    def agrees(self, matrix: sp.ImmutableMatrix) -> bool:
        """Whether every entry of ``matrix`` (the truth's shape) agrees at the points."""
        return all(
            self.compare(k, matrix[k], symbolic=False)[0].outcome is Outcome.EQUIVALENT
            for k in range(len(matrix))
        )

    def _diagnose(
        self, results: Sequence[tuple[_Entry, _Values]]
    ) -> tuple[tuple[Mistake, ...], sp.Rational | None]:
        """A constant factor, sign or offset relating the answer to the truth at every point."""
        truth: list[tuple[Fraction | None, Any]] = []
        submitted: list[tuple[Fraction | None, Any]] = []
        for k, (_, values) in enumerate(results):
            true_values = self.truth_selected(k)
            truth += zip(true_values.exact, true_values.mp, strict=True)
            submitted += zip(values.exact, values.mp, strict=True)
        return constant_relation(truth, submitted, self.options.tolerance)

    def _different(
        self,
        matrix: sp.ImmutableMatrix,
        results: Sequence[tuple[_Entry, _Values]],
        transposed_shape: bool,
        note: str,
    ) -> Verdict:
        offsets = {
            entry.simplified for entry, _ in results if entry.method is DecisionMethod.SYMBOLIC
        }
        mistakes: tuple[Mistake, ...]
        factor: sp.Expr | None
        if len(offsets) == 1 and (offset := offsets.pop()) is not None:
            mistakes, factor = (Mistake.CONSTANT_OFFSET,), offset  # proved symbolically
        else:
            mistakes, factor = self._diagnose(results)
        entries = self._entry_verdicts(matrix, results)
        wrong = [k for k, (entry, _) in enumerate(results) if entry.outcome is Outcome.DIFFERENT]
        if transposed_shape or self._is_transpose(matrix):
            mistakes = (Mistake.TRANSPOSED, *mistakes)
        if not mistakes:
            mistakes = self._modelled(matrix)
        if not wrong:  # a transposed non-square answer whose entries are right
            return Verdict(
                Outcome.DIFFERENT,
                reason(mistakes, factor, self.truth.shape, 0, None),
                mistakes=mistakes,
                entries=entries,
            )
        k = max(wrong, key=lambda j: results[j][0].gap)
        entry, values = results[k]
        assert entry.witness is not None
        point = self.points[self.selected(k)[entry.witness]]
        relevant = self.truth[k].free_symbols | matrix[k].free_symbols
        shown = {s: v for s, v in point.items() if s in relevant}  # empty: constant values
        worst = None if self.scalar else (k // self.truth.cols, k % self.truth.cols)
        small = entry.simplified is not None and _small(entry.simplified, 40)
        return Verdict(
            Outcome.DIFFERENT,
            reason(mistakes, factor, self.truth.shape, len(wrong), worst) + note,
            method=entry.method,
            counterexample=shown,
            true_value=self._value(self.truth_selected(k), entry.witness),
            submitted_value=self._value(values, entry.witness),
            difference=entry.simplified if small else None,
            mistakes=mistakes,
            factor=factor,
            entries=entries,
            worst_entry=worst,
        )
