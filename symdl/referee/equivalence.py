r"""Deciding whether a submitted gradient equals the true one, and explaining why not.

This is symdl's one decision procedure: the answer checker,
:func:`symdl.backpropagation.verification.verify_deltas` (``Backpropagation.verify``), the
proofs, the Sphinx directives and ``symdl grade`` all decide through :class:`Referee`.
For each entry :math:`t` (true) and :math:`s` (submitted), with :math:`d = s - t` as SymPy
builds it:

1. **Symbolic.**  :math:`d = 0` as built, or after expansion, or after ``simplify`` of its
   exponential form (when it has at most ``CheckOptions.symbolic_size`` nodes), all within
   ``CheckOptions.symbolic_seconds``: a proof of equivalence (``SYMBOLIC``).  A nonzero
   constant is a proof of difference.
2. **Region by region.**  When :math:`d` has kinks (max, min, :math:`|\cdot|`, Heaviside,
   sign, a Piecewise of comparisons), every sign pattern of the kink arguments is substituted
   and each branch simplified (:mod:`symdl.referee.kinks`); all 0 is a proof of equivalence off the
   kink sets (``SYMBOLIC_REGIONS``).
3. **Exact points.**  Both sides, and :math:`d` itself, are evaluated at sample points
   (:mod:`symdl.referee.sampling`: three readable points, then points with random prime
   denominators drawn afresh for every check, far points with both signs and a small one,
   never outside a declared domain or constraint).  Where the values are rational they are
   compared exactly: one unequal pair proves a difference, with an exact counterexample.
   Agreement of rational functions at every point is the polynomial identity test
   (``EXACT_POINTS``): a nonzero rational function :math:`P/Q` with :math:`\deg P \le D`
   vanishes at a point drawn uniformly from :math:`S^n` with probability at most
   :math:`D/|S|` (Schwartz 1980, Lemma 1; Zippel 1979).  With kinks the two sides are rational
   only piece by piece, and agreement is evidence, not proof (``EXACT_SAMPLES``).
4. **High precision.**  Otherwise (σ, tanh, exp, log, …) both are evaluated with mpmath at a
   working precision set for this comparison: ``CheckOptions.dps`` (50) plus the digits the
   constants of the answer and the truth need (:func:`symdl.referee.constants.constant_digits`:
   :math:`10^{-45}` adds 46, :math:`e^{-1000}` 435), so that no constant the parser accepts
   hides below the tolerance :math:`|s - t| \le 10^{-(p - 10)} \max(1, |t|)` at :math:`p`
   digits.  A gap above it is measured again at :math:`2p + 20` digits: a stable gap is a
   difference, one that shrinks is rounding noise of a cancellation.  Agreement at every
   point is reported as ``HIGH_PRECISION`` (evidence).  mpmath's global precision is never
   used or changed.

When it can be wrong.  EQUIVALENT is a proof from steps 1–2; from step 3 for rational
functions it is wrong with probability at most :math:`\prod_i D \varepsilon_i` over the fine
points (:math:`\varepsilon \approx 10^{-6}`); from steps 3–4 otherwise, it is wrong only if
the two functions differ nowhere near the sampled points: on a set of measure zero (a kink of
``max``, :math:`\sin(\pi x)` on the integers), on a region no point falls in
(:math:`2x + \max(0, 10^{-3} - |x - 1/7|)` differs from :math:`2x` only on an interval of
width :math:`2\cdot 10^{-3}`), or beyond the far points (:math:`|x| > 10^3` times the default
interval).  DIFFERENT is never wrong when exact, and from step 4 only if a cancellation
loses more than 20 digits at both precisions.  Points where the true gradient is undefined
are skipped; where the answer alone is undefined (a pole) it is different there; where a value
cannot be computed in bounded memory (:math:`e^{e^{e^{e^x}}}` at :math:`x = 3`) the point
decides nothing.  A problem may declare constraints (a probability vector, a one-hot
target): an answer right only under them is EQUIVALENT and its verdict names them
(:attr:`Verdict.conditions <symdl.referee.verdict.Verdict.conditions>`).

A different answer is then explained: a transposed matrix, a modelled chain-rule mistake
(:mod:`symdl.grading.mistakes`), or a constant factor, sign or offset
(:mod:`symdl.referee.diagnosis`).

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
from itertools import compress
from typing import Any

import mpmath
import sympy as sp

from symdl.core.limits import MAX_SECONDS, MEMORY_LIMIT, TimeLimitExceededError, deadline
from symdl.referee.constants import constant_digits
from symdl.referee.diagnosis import constant_relation, reason
from symdl.referee.intervals import interval_value
from symdl.referee.kinks import KINKS, nonzero_regions, points_in_region, vanishes_on_regions
from symdl.referee.pointwise import MAX_DPS, SingularPointError, UnrepresentableError
from symdl.referee.pointwise import PointValues as _Values
from symdl.referee.pointwise import as_sympy as _as_sympy
from symdl.referee.pointwise import evaluate_at as _evaluate
from symdl.referee.pointwise import exact_value as _exact_value
from symdl.referee.sampling import Constraint, SamplingInterval, default_interval, sample_points
from symdl.referee.verdict import DecisionMethod, EntryVerdict, Mistake, Outcome, Verdict

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
    memory_limit : int
        Bytes of memory a check's worker process may use beyond what it holds at its start
        (:data:`symdl.core.limits.MEMORY_LIMIT`, 1 GiB); past it the verdict is UNKNOWN.
    seed : int or None
        ``None`` (the default): the sample points after the three readable ones are drawn
        afresh for every check, from the operating system's entropy, so that no answer can be
        built to vanish at them.  An int makes every point reproducible.
    """

    points: int = 10
    dps: int = 50
    time_limit: float = 10.0
    symbolic_seconds: float = 1.0
    symbolic_size: int = 60
    seed: int | None = None
    memory_limit: int = MEMORY_LIMIT

    def __post_init__(self) -> None:
        names = ("points", "dps", "time_limit", "symbolic_seconds", "symbolic_size", "seed",
                 "memory_limit")  # fmt: skip
        for name in names:
            value = getattr(self, name)
            if name == "seed" and value is None:
                continue
            number = (int, float) if name in ("time_limit", "symbolic_seconds") else (int,)
            if isinstance(value, bool) or not isinstance(value, number):
                kind = "a number of seconds" if float in number else "an integer"
                raise TypeError(f"CheckOptions.{name} = {value!r}: expected {kind}")
        checks = {
            "points": self.points >= 2,
            "dps": 20 <= self.dps <= MAX_DPS // 2,
            "time_limit": 0 < self.time_limit <= MAX_SECONDS,
            "symbolic_seconds": self.symbolic_seconds >= 0,
            "symbolic_size": self.symbolic_size >= 0,
            "memory_limit": self.memory_limit >= 1 << 24,
        }
        for name, ok in checks.items():
            if not ok:
                raise ValueError(
                    f"CheckOptions.{name} = {getattr(self, name)!r} is out of "
                    f"range (points ≥ 2, 20 ≤ dps ≤ {MAX_DPS // 2}, "
                    f"0 < time_limit ≤ {MAX_SECONDS} s (a finite number), "
                    "memory_limit ≥ 16 MiB (2**24 bytes), others ≥ 0)"
                )

    @property
    def tolerance(self) -> Any:
        """The relative tolerance of step 3 at the base precision, :math:`10^{-(dps-10)}`."""
        return _tolerance(self.dps)


def _tolerance(dps: int) -> Any:
    """The relative tolerance at ``dps`` digits: :math:`10^{-(dps-10)}`."""
    with mpmath.workdps(dps + 10):
        return mpmath.mpf(10) ** (-(dps - 10))


@dataclass(frozen=True)
class _Entry:
    """The comparison of one entry: outcome, method and the witness point index."""

    outcome: Outcome
    method: DecisionMethod | None = None
    witness: int | None = None
    gap: float = 0.0
    simplified: sp.Expr | None = None
    note: str = ""
    #: a witness found off the sample points (inside a region of the kinks), with its values
    point: Mapping[sp.Symbol, sp.Rational] | None = None
    values: tuple[sp.Expr, sp.Expr] | None = None


#: Functions that are rational only piece by piece: no polynomial identity test for them.
_PIECEWISE = (sp.Max, sp.Min, sp.Abs, sp.Heaviside, sp.sign, sp.Piecewise)


def _small(expr: sp.Expr, limit: int) -> bool:
    """Whether ``expr`` has at most ``limit`` nodes (stops counting at the limit)."""
    return sum(1 for _ in itertools.islice(sp.preorder_traversal(expr), limit + 1)) <= limit


def _expandable(expr: sp.Expr, limit: int) -> bool:
    """Whether expanding ``expr`` stays small: at most ``limit`` nodes and no sum raised to a
    power above 4 (:math:`(x + 98)^{1000}` would expand to a thousand terms per factor)."""
    return _small(expr, limit) and not any(
        isinstance(node, sp.Pow) and node.base.is_Add and abs(node.exp) > 4
        for node in sp.preorder_traversal(expr)
        if isinstance(node, sp.Pow) and node.exp.is_Number
    )


def _gap(t: Any, s: Any, dps: int) -> Any:
    r"""The relative gap :math:`|s - t| / \max(1, |t|)`, computed at ``dps`` + 10 digits."""
    with mpmath.workdps(dps + 10):
        return abs(s - t) / max(1, abs(t))


def _real_form(difference: sp.Expr, simplified: sp.Expr, seconds: float) -> sp.Expr:
    """``simplified`` (the exponential form that decides 0), or, when it brought in the
    imaginary unit that ``difference`` of real variables does not have, a simpler real form
    for people: e^x sin x rather than i(e^{2ix} - 1)e^{x(1 - i)}/2."""
    if simplified == 0 or not simplified.has(sp.I) or difference.has(sp.I):
        return simplified
    if not all(s.is_real for s in difference.free_symbols):
        return simplified
    candidates = [difference]
    try:
        with deadline(seconds):
            candidates.append(sp.simplify(difference))
            if candidates[-1].has(sp.I):  # slow: only when the real form did not simplify
                candidates.append(sp.simplify(simplified.rewrite(sp.cos)))
    except TimeLimitExceededError:
        pass
    real = [c for c in candidates if not c.has(sp.I)]
    return min(real, key=sp.count_ops) if real else simplified


class Referee:
    """The decision procedure bound to one true gradient and its sample points.

    The true values at the points are computed once and cached, so that judging many answers
    to one problem (a class) evaluates the truth only once.  Picklable.

    Parameters
    ----------
    truth : sympy.Expr or sympy.Matrix
        The true gradient: a scalar, a column vector (gradient in a list of variables; its
        orientation is not graded) or a matrix (its orientation is graded).
    variables : Sequence[sympy.Symbol]
        Every symbol the truth and an answer may depend on.
    domains : Mapping[sympy.Symbol, SamplingInterval] or None
        Sampling intervals (default :func:`symdl.referee.sampling.default_interval`).
    options : CheckOptions
    vector : bool
        The truth is a gradient vector: a row answer is read as a column.
    alternatives : Sequence[tuple[Mistake, sympy.Expr | sympy.Matrix]]
        Wrong gradients that a known mistake gives (:mod:`symdl.grading.mistakes`): a wrong answer
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
        constraints: Sequence[Constraint] = (),
    ) -> None:
        self.scalar = not isinstance(truth, sp.MatrixBase)
        self.alternatives = tuple(alternatives)
        self._referees: dict[int, Referee] = {}
        self.vector = vector
        self.truth = sp.ImmutableMatrix([[truth]] if self.scalar else truth)
        self.variables = tuple(variables)
        self.domains = dict(domains or {})
        self.options = options or CheckOptions()
        self.constraints = tuple(constraints)
        self._grouped = {s for c in self.constraints for s in c.symbols}
        self._relaxed: Referee | None = None
        unknown = set().union(*(e.free_symbols for e in self.truth)) - set(self.variables)
        if unknown:
            raise ValueError(
                f"the true gradient uses {sorted(map(str, unknown))}, which are not "
                "among the variables: add them to the problem's variables"
            )
        extra = 3
        self.points = sample_points(
            self.variables,
            self.domains,
            self.options.points + extra,
            self.options.seed,
            constraints=self.constraints,
        )
        self._truth_values: dict[tuple[int, int], _Values] = {}
        self._truth_digits = [constant_digits(entry) for entry in self.truth]

    def selected(self, k: int) -> list[int]:
        """The first ``options.points`` points where entry ``k`` of the truth is defined."""
        defined = [i for i, value in enumerate(self.truth_values(k).mp) if value is not None]
        return defined[: self.options.points]

    def truth_selected(self, k: int, dps: int | None = None) -> _Values:
        """The true values of entry ``k`` at :meth:`selected` points, to ``dps`` digits."""
        full = self.truth_values(k, dps)
        chosen = self.selected(k)
        return _Values([full.exact[i] for i in chosen], [full.mp[i] for i in chosen])

    def truth_values(self, k: int, dps: int | None = None) -> _Values:
        """The true values of entry ``k`` at every point, to ``dps`` digits (cached)."""
        dps = dps or self.options.dps
        if (k, dps) not in self._truth_values:
            self._truth_values[k, dps] = _evaluate(self.truth[k], self.points, dps)
        return self._truth_values[k, dps]

    # -- one entry --
    def _simplify(self, difference: sp.Expr) -> sp.Expr | None:
        """0, a simpler form, or None: expansion (cheap, for sums of products that cancel),
        then ``simplify`` of the exponential form, within ``symbolic_seconds``."""
        if self.options.symbolic_seconds == 0:
            return None
        try:
            with deadline(self.options.symbolic_seconds):
                expandable = _expandable(difference, 16 * self.options.symbolic_size)
                if expandable and sp.expand(difference) == 0:
                    return sp.Integer(0)
                if not _small(difference, self.options.symbolic_size):
                    return None
                simplified = sp.simplify(difference.rewrite(sp.exp))
        except TimeLimitExceededError:
            return None
        return _real_form(difference, simplified, self.options.symbolic_seconds)

    def _by_regions(self, difference: sp.Expr) -> bool:
        """Whether the kinked ``difference`` is proved 0 region by region
        (:mod:`symdl.referee.kinks`)."""
        if self.options.symbolic_seconds == 0 or not difference.has(*KINKS):
            return False
        if not _small(difference, 8 * self.options.symbolic_size):
            return False
        try:
            with deadline(self.options.symbolic_seconds):
                return vanishes_on_regions(difference) is True
        except TimeLimitExceededError:
            return False

    def precision(self, k: int, answer: sp.Expr) -> int:
        """The working digits for entry ``k``: ``options.dps`` plus what the constants of
        the answer and the truth need (:func:`symdl.referee.constants.constant_digits`), so that no
        constant that can be typed hides below the tolerance."""
        return self.options.dps + max(constant_digits(answer), self._truth_digits[k]) - 1

    def _confirm(self, k: int, answer: sp.Expr, i: int, dps: int) -> bool | None:
        """A gap above the tolerance at ``dps`` digits, confirmed by interval arithmetic.

        True: rigorous enclosures of the two values are disjoint (:mod:`symdl.referee.intervals`): a
        proved difference.  False: they overlap and are narrower than the tolerance of
        ``dps`` digits, which is below anything the constants can make (:meth:`precision`):
        the gap was rounding noise of a cancellation (:math:`\\cosh^2 x - \\sinh^2 x` at
        :math:`x = 536`).  None: neither up to :data:`~symdl.referee.pointwise.MAX_DPS` digits, or
        no
        enclosure exists (a complex value): the point decides nothing.
        """
        floor = _tolerance(dps)
        point = self.points[self.selected(k)[i]]
        work = dps
        while True:
            try:
                t = interval_value(self.truth[k], point, dps=work)
                s = interval_value(answer, point, dps=work)
            except UnrepresentableError:
                return None
            if t is None or s is None:
                return None
            with mpmath.workdps(work + 10):
                t_low, t_high = mpmath.mpf(t.a), mpmath.mpf(t.b)
                s_low, s_high = mpmath.mpf(s.a), mpmath.mpf(s.b)
                if s_high < t_low or t_high < s_low:
                    return True
                scale = max(1, abs(t_low), abs(t_high))
                if max(t_high, s_high) - min(t_low, s_low) <= floor * scale:
                    return False
            if work >= MAX_DPS:
                return None
            work = min(2 * work + 20, MAX_DPS)

    def compare(self, k: int, answer: sp.Expr, *, symbolic: bool = True) -> tuple[_Entry, _Values]:
        """Decide entry ``k`` of ``answer`` against the truth: the module's procedure."""
        truth = self.truth[k]
        difference = answer - truth
        if difference == 0:
            return _Entry(Outcome.EQUIVALENT, DecisionMethod.SYMBOLIC), self.truth_selected(k)
        simplified = self._simplify(difference) if symbolic else None
        if simplified == 0:
            return _Entry(Outcome.EQUIVALENT, DecisionMethod.SYMBOLIC), self.truth_selected(k)
        if symbolic and self._by_regions(difference):
            return _Entry(Outcome.EQUIVALENT, DecisionMethod.SYMBOLIC_REGIONS), self.truth_selected(
                k
            )
        proved = (
            simplified is not None
            and simplified.is_number
            and simplified.is_finite is True
            and simplified != 0
        )
        dps = self.precision(k, answer)
        chosen = [self.points[i] for i in self.selected(k)]
        if len(chosen) < 2:
            return _Entry(
                Outcome.UNKNOWN,
                note="the true gradient is undefined at the sampled "
                "points: give the problem a domain where it is defined",
            ), _Values()
        if dps > MAX_DPS:
            return _Entry(
                Outcome.UNKNOWN,
                note=f"its constants need {dps} digits to compare, more than the "
                f"{MAX_DPS} of symdl.referee.pointwise.MAX_DPS",
            ), _Values()
        t, values = self.truth_selected(k, dps), _evaluate(answer, chosen, dps)
        entry, values = self._decide_points(
            k, answer, difference, chosen, t, values, dps, proved, simplified
        )
        if entry.outcome is Outcome.EQUIVALENT and symbolic and difference.has(*KINKS):
            entry = self._kink_witness(k, answer, difference, dps) or entry
        return entry, values

    def _kink_witness(
        self, k: int, answer: sp.Expr, difference: sp.Expr, dps: int
    ) -> _Entry | None:
        """A point where a kinked answer differs though the sample points agree: inside a
        region of the kinks whose branch of the difference is not 0, solved for exactly
        (:func:`symdl.referee.kinks.points_in_region`), e.g. in :math:`|x - 1/7| < 10^{-3}`."""
        size = 8 * self.options.symbolic_size
        if self.options.symbolic_seconds == 0 or not _small(difference, size):
            return None
        movable = [
            v for v in self.variables if v not in self._grouped and v in difference.free_symbols
        ]
        try:
            with deadline(self.options.symbolic_seconds):
                regions = nonzero_regions(difference, is_zero=lambda e: sp.expand(e) == 0)
                for conditions in regions[:16]:
                    for base in self.points[:3]:
                        for point in points_in_region(conditions, base, movable):
                            found = self._differs_at(k, answer, difference, point, dps)
                            if found is not None:
                                return found
        except TimeLimitExceededError:
            return None
        return None

    def _differs_at(
        self,
        k: int,
        answer: sp.Expr,
        difference: sp.Expr,
        point: dict[sp.Symbol, sp.Rational],
        dps: int,
    ) -> _Entry | None:
        """An entry DIFFERENT at ``point`` when that is proved there (exactly, or by disjoint
        enclosures), inside the declared domains; else None."""
        for symbol, value in point.items():
            interval = self.domains.get(symbol)
            if interval is not None and not interval.low <= value <= interval.high:
                return None
        try:
            exact = _exact_value(difference, point)
        except (SingularPointError, UnrepresentableError):
            return None
        true = _evaluate(self.truth[k], [point], dps)
        submitted = _evaluate(answer, [point], dps)
        if true.mp[0] is None or submitted.mp[0] is None:
            return None
        shown = (self._value(true, 0), self._value(submitted, 0))
        gap = float(_gap(true.mp[0], submitted.mp[0], dps))
        if exact is not None:
            if exact == 0:
                return None
            return _Entry(Outcome.DIFFERENT, DecisionMethod.EXACT_POINTS, None, gap,
                          point=point, values=shown)  # fmt: skip
        try:
            t = interval_value(self.truth[k], point, dps=dps)
            s = interval_value(answer, point, dps=dps)
        except UnrepresentableError:
            return None
        if t is None or s is None:
            return None
        with mpmath.workdps(dps + 10):
            if not (mpmath.mpf(s.b) < mpmath.mpf(t.a) or mpmath.mpf(t.b) < mpmath.mpf(s.a)):
                return None
        return _Entry(Outcome.DIFFERENT, DecisionMethod.HIGH_PRECISION, None, gap,
                      point=point, values=shown)  # fmt: skip

    def _gap_at(
        self, k: int, answer: sp.Expr, difference: sp.Expr, i: int, point: Any,
        t: _Values, values: _Values, dps: int, confirmed_already: bool = False,
    ) -> tuple[Any, bool]:  # fmt: skip
        """The relative gap at point ``i`` (0: agree, None: undecided) and whether exact."""
        if values.mp[i] is None:
            return math.inf, True  # the answer alone is undefined (a pole): a difference
        if t.exact[i] is not None and values.exact[i] is not None:
            same = t.exact[i] == values.exact[i]
            return (0.0 if same else max(_gap(t.mp[i], values.mp[i], dps), 1e-300)), True
        try:  # the difference may be rational where neither side is: e^x + x/10^45 − e^x
            exact = _exact_value(difference, point)
        except (SingularPointError, UnrepresentableError):
            exact = None
        if exact is not None:
            return (0.0 if exact == 0 else max(_gap(t.mp[i], values.mp[i], dps), 1e-300)), True
        gap = _gap(t.mp[i], values.mp[i], dps)
        if gap <= _tolerance(dps):
            return 0.0, False
        if confirmed_already:  # one confirmed point decides; the others only show the size
            return gap, False
        confirmed = self._confirm(k, answer, i, dps)
        if confirmed is None:  # a gap above the tolerance that no enclosure can confirm
            return math.nan, False
        return (gap if confirmed else 0.0), False

    def _decide_points(
        self, k: int, answer: sp.Expr, difference: sp.Expr, chosen: list[Any],
        t: _Values, values: _Values, dps: int, proved: bool, simplified: sp.Expr | None,
    ) -> tuple[_Entry, _Values]:  # fmt: skip
        all_exact, witness, worst, usable = True, None, 0.0, 0
        exact_witness = False
        unconfirmed: list[int] = []
        for i, point in enumerate(chosen):
            if i in values.skipped:
                continue
            gap, exact = self._gap_at(
                k, answer, difference, i, point, t, values, dps, witness is not None
            )
            if gap is None:
                continue  # could not be decided at this point
            if math.isnan(gap):
                unconfirmed.append(i)
                continue
            usable += 1
            all_exact = all_exact and exact
            if gap > 0 and witness is None:
                witness, exact_witness = i, exact
            worst = max(worst, float(gap))
        if witness is None and not proved and unconfirmed:
            # the values differ at these points to dps digits, but no rigorous enclosure of
            # some function proves it: never equivalent (the points that agreed may be ones
            # where both sides vanish), never a difference without a proof
            return _Entry(
                Outcome.UNKNOWN,
                note=f"the answer and the gradient differ at {len(unconfirmed)} of the sample "
                f"points to {dps} digits, but symdl has no rigorous enclosure of a function in "
                "them to prove it: check this answer by hand",
            ), values
        if witness is None and not proved:
            if usable < 2:
                return _Entry(
                    Outcome.UNKNOWN,
                    note="it could not be evaluated at enough of the sample points (values "
                    "too large to compute)",
                ), values
            method = DecisionMethod.HIGH_PRECISION
            if all_exact:  # the identity test holds for rational functions, not piecewise ones
                piecewise = self.truth[k].has(*_PIECEWISE) or answer.has(*_PIECEWISE)
                method = DecisionMethod.EXACT_SAMPLES if piecewise else DecisionMethod.EXACT_POINTS
            return _Entry(Outcome.EQUIVALENT, method), values
        if witness is None:  # a constant difference below the tolerance, found symbolically
            return _Entry(Outcome.DIFFERENT, DecisionMethod.SYMBOLIC, 0, 1e-300, simplified), values
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
                DecisionMethod.SYMBOLIC_REGIONS,
                DecisionMethod.SYMBOLIC,
            )
            if m in methods
        )
        conditions = self._conditions(matrix)
        if conditions:
            note += " where " + " and ".join(conditions)
        return Verdict(
            Outcome.EQUIVALENT,
            "equivalent to the true gradient" + note,
            method=method,
            entries=self._entry_verdicts(matrix, results),
            conditions=conditions,
        )

    def _conditions(self, matrix: sp.ImmutableMatrix) -> tuple[str, ...]:
        """The declared constraints that an equivalent answer needs: those without which it
        is found different (sampled freely, every variable in its default interval)."""
        if not self.constraints:
            return ()
        if self._relaxed is None:
            options = dataclasses.replace(self.options, symbolic_seconds=0)
            self._relaxed = Referee(self.truth, self.variables, domains=self.domains,
                                    options=options, vector=self.vector)  # fmt: skip
        if all(
            self._relaxed.compare(k, matrix[k], symbolic=False)[0].outcome is not Outcome.DIFFERENT
            for k in range(len(matrix))
        ):
            return ()
        return tuple(str(c) for c in self.constraints)

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
            true, submitted = self.witness_values(k, entry, values)
            verdicts.append(
                EntryVerdict((k // cols, k % cols), entry.outcome, true, submitted, entry.gap)
            )
        return tuple(verdicts)

    def witness_point(self, k: int, entry: _Entry) -> Mapping[sp.Symbol, sp.Rational] | None:
        """The point where entry ``k`` was found different, if it was."""
        if entry.point is not None:
            return entry.point
        return None if entry.witness is None else self.points[self.selected(k)[entry.witness]]

    def witness_values(
        self, k: int, entry: _Entry, values: _Values
    ) -> tuple[sp.Expr | None, sp.Expr | None]:
        """The true and the submitted value at :meth:`witness_point`."""
        if entry.values is not None:
            return entry.values
        i = entry.witness
        if i is None:
            return None, None
        return self._value(self.truth_selected(k), i), self._value(values, i)

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
                                            options=options, vector=self.vector,
                                            constraints=self.constraints)  # fmt: skip
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
        """A constant factor, sign or offset relating the answer to the truth at every point
        inside the sampling intervals (far away, forms such as 1 − tanh² lose digits to
        cancellation, which a diagnosis to 40 digits must not mistake for a mistake)."""
        truth: list[tuple[Fraction | None, Any]] = []
        submitted: list[tuple[Fraction | None, Any]] = []
        for k, (_, values) in enumerate(results):
            if not values.mp:
                continue
            true_values = self.truth_selected(k)
            inside = [self._inside(self.points[i]) for i in self.selected(k)]
            truth += compress(zip(true_values.exact, true_values.mp, strict=True), inside)
            submitted += compress(zip(values.exact, values.mp, strict=True), inside)
        return constant_relation(truth, submitted, self.options.tolerance)

    def _inside(self, point: Mapping[sp.Symbol, sp.Rational]) -> bool:
        """Whether every coordinate lies in its declared or default sampling interval."""
        for symbol, value in point.items():
            interval = self.domains.get(symbol) or default_interval(symbol)
            if not interval.low <= value <= interval.high and symbol not in self._grouped:
                return False
        return True

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
        point = self.witness_point(k, entry)
        assert point is not None
        true_value, submitted_value = self.witness_values(k, entry, values)
        relevant = self.truth[k].free_symbols | matrix[k].free_symbols
        shown = {s: v for s, v in point.items() if s in relevant}  # empty: constant values
        worst = None if self.scalar else (k // self.truth.cols, k % self.truth.cols)
        small = entry.simplified is not None and _small(entry.simplified, 40)
        return Verdict(
            Outcome.DIFFERENT,
            reason(mistakes, factor, self.truth.shape, len(wrong), worst) + note,
            method=entry.method,
            counterexample=shown,
            true_value=true_value,
            submitted_value=submitted_value,
            difference=entry.simplified if small else None,
            mistakes=mistakes,
            factor=factor,
            entries=entries,
            worst_entry=worst,
        )
