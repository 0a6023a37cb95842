r"""Learning-rate schedules and the Robbins–Monro conditions.

A schedule is a positive sequence :math:`\eta_1, \eta_2, \dots` of step sizes.  Robbins and
Monro (1951) ask of it

.. math::

    \sum_{t \ge 1} \eta_t = \infty \qquad\text{and}\qquad \sum_{t \ge 1} \eta_t^2 < \infty :

the steps are large enough to reach any point and small enough for the noise to average out.
:func:`robbins_monro` decides both conditions symbolically.  The four schedules of the lecture
(:class:`Constant`, :class:`InversePower` :math:`c/t^p`, :class:`InverseTime`
:math:`c/(1 + t/\tau)`, :class:`StepDecay`) decide their series in closed form; any other
positive SymPy expression in :data:`t` (:class:`ExpressionSchedule`) goes through the
comparison tests below.

The tests used, in order (Knopp, *Theory and Application of Infinite Series*, §§ 13–15):

- the *p-series* :math:`\sum t^{-q}` converges iff :math:`q > 1` (integral test:
  :math:`\int_1^\infty x^{-q}\,dx < \infty` iff :math:`q > 1`), with sum :math:`\zeta(q)`;
- the *divergence test*: terms that do not tend to 0 give a divergent series;
- the *limit comparison test*: if :math:`\eta_t t^{q} \to \ell \in (0, \infty)` then
  :math:`\sum \eta_t` behaves as :math:`\sum t^{-q}`; terms that decay faster than every power
  (:math:`\log \eta_t / \log t \to -\infty`) give a convergent series;
- otherwise SymPy's own tests (:meth:`sympy.concrete.summations.Sum.is_convergent`: ratio,
  root, integral and condensation tests), which decide :math:`1/(t \log t)`.

References
----------
H. Robbins and S. Monro, "A stochastic approximation method", Ann. Math. Statist. 22 (1951),
400–407, conditions (6)–(7).

K. Knopp, *Theory and Application of Infinite Series*, Blackie (1951), §§ 13–15 (comparison,
integral and condensation tests).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Any

import numpy as np
import sympy as sp

from symdl.exceptions import NotSupportedError
from symdl.network import exact_number

__all__ = [
    "Constant",
    "ExpressionSchedule",
    "InversePower",
    "InverseTime",
    "RobbinsMonroResult",
    "Schedule",
    "SeriesVerdict",
    "StepDecay",
    "as_schedule",
    "robbins_monro",
    "t",
]

t = sp.Symbol("t", integer=True, positive=True)
"""The step counter :math:`t = 1, 2, \\dots` of every schedule."""


@dataclass(frozen=True)
class SeriesVerdict:
    r"""Whether :math:`\sum_t \eta_t^k` converges, its value when known, and why.

    ``converges`` is a SymPy Boolean: ``sympy.true``, ``sympy.false``, or a condition on the
    schedule's symbols (``p > 1/2`` for :math:`c/t^p` with a symbolic :math:`p`).  ``value``
    is the exact sum (``oo`` when divergent) or ``None`` when no closed form was found.
    """

    power: int
    converges: sp.Basic
    value: sp.Expr | None
    reason: str


def _positive(value: Any, name: str) -> sp.Expr:
    number = exact_number(value, name=name)
    if number.is_positive is not True:
        raise ValueError(
            f"{name}={number} is not known to be positive; a learning-rate schedule needs "
            f"positive constants (give a positive number or a Symbol with positive=True)"
        )
    return number


class Schedule(ABC):
    r"""A positive learning-rate schedule :math:`\eta_t`, :math:`t \ge 1`, with a SymPy form."""

    start: int = 1

    @abstractmethod
    def expr(self) -> sp.Expr:
        """The schedule as a SymPy expression in :data:`t`."""

    @abstractmethod
    def series(self, power: int) -> SeriesVerdict:
        r"""Convergence and value of :math:`\sum_{t \ge \text{start}} \eta_t^{k}`, k = ``power``."""

    def __call__(self, step: int) -> sp.Expr:
        """The exact step size at step ``step`` (an integer ≥ ``start``)."""
        if not isinstance(step, (int, np.integer)) or step < self.start:
            raise ValueError(f"step={step!r}: a schedule is evaluated at integers ≥ {self.start}")
        return sp.sympify(self.expr().subs(t, int(step)))

    def numpy(self, steps: np.ndarray) -> np.ndarray:
        """The step sizes at integer steps, as floats (for the numeric SGD)."""
        if self.expr().free_symbols - {t}:
            raise ValueError(
                f"the schedule {self.expr()} has free symbols "
                f"{sorted(map(str, self.expr().free_symbols - {t}))}; substitute numbers first"
            )
        function = sp.lambdify(t, self.expr(), modules="numpy")
        return np.asarray(function(np.asarray(steps, dtype=float)), dtype=float) * np.ones(
            np.shape(steps)
        )


def _p_series(coefficient: sp.Expr, q: sp.Expr, power: int) -> SeriesVerdict:
    # Σ_{t≥1} C t^{-q}: converges iff q > 1 (integral test), with sum C ζ(q).
    # With q = a·p for a symbolic p, state the condition on p itself: p > 1/a.
    factor, rest = q.as_coeff_Mul()
    converges = sp.Gt(rest, 1 / factor) if factor.is_positive and rest != 1 else sp.Gt(q, 1)
    if converges is sp.true:
        value: sp.Expr = coefficient * sp.zeta(q)
    elif converges is sp.false:
        value = sp.oo
    else:
        value = sp.Piecewise((coefficient * sp.zeta(q), converges), (sp.oo, True))
    reason = f"p-series with exponent {q}: converges iff {q} > 1 (integral test)"
    return SeriesVerdict(power, converges, value, reason)


@dataclass(frozen=True)
class Constant(Schedule):
    r""":math:`\eta_t = c`: both series diverge (the terms do not tend to 0)."""

    c: Any = 1

    def __post_init__(self) -> None:
        object.__setattr__(self, "c", _positive(self.c, "c"))

    def expr(self) -> sp.Expr:
        return self.c

    def series(self, power: int) -> SeriesVerdict:
        return SeriesVerdict(power, sp.false, sp.oo, "divergence test: the terms tend to c^k ≠ 0")


@dataclass(frozen=True)
class InversePower(Schedule):
    r""":math:`\eta_t = c/t^p`; Robbins–Monro holds iff :math:`1/2 < p \le 1`.

    Examples
    --------
    >>> robbins_monro(InversePower(1, 1)).squares.value
    pi**2/6
    """

    c: Any = 1
    p: Any = 1

    def __post_init__(self) -> None:
        object.__setattr__(self, "c", _positive(self.c, "c"))
        object.__setattr__(self, "p", _positive(self.p, "p"))

    def expr(self) -> sp.Expr:
        return self.c / t**self.p

    def series(self, power: int) -> SeriesVerdict:
        return _p_series(self.c**power, power * self.p, power)


@dataclass(frozen=True)
class InverseTime(Schedule):
    r""":math:`\eta_t = c/(1 + t/\tau) = c\tau/(\tau + t)`: like :math:`c\tau/t` for large t.

    :math:`\sum_t \eta_t^k = (c\tau)^k \zeta(k, \tau + 1)` (Hurwitz zeta), finite iff k ≥ 2.
    """

    c: Any = 1
    tau: Any = 1

    def __post_init__(self) -> None:
        object.__setattr__(self, "c", _positive(self.c, "c"))
        object.__setattr__(self, "tau", _positive(self.tau, "tau"))

    def expr(self) -> sp.Expr:
        return self.c / (1 + t / self.tau)

    def series(self, power: int) -> SeriesVerdict:
        # Limit comparison with t^{-k}: η_t^k t^k → (cτ)^k ∈ (0, ∞).
        if power <= 1:
            return SeriesVerdict(
                power, sp.false, sp.oo, "limit comparison with the harmonic series Σ 1/t"
            )
        value = (self.c * self.tau) ** power * sp.zeta(power, self.tau + 1)
        return SeriesVerdict(
            power, sp.true, value, f"limit comparison with the p-series Σ 1/t^{power}"
        )


@dataclass(frozen=True)
class StepDecay(Schedule):
    r""":math:`\eta_t = c\,\gamma^{\lfloor (t-1)/k \rfloor}`: k steps at each level, 0 < γ < 1.

    A geometric series: :math:`\sum_t \eta_t^m = k c^m / (1 - \gamma^m) < \infty`, so the first
    Robbins–Monro condition fails (the total distance travelled is bounded).
    """

    c: Any = 1
    gamma: Any = sp.S.Half
    k: int = 1

    def __post_init__(self) -> None:
        object.__setattr__(self, "c", _positive(self.c, "c"))
        gamma = _positive(self.gamma, "gamma")
        if (gamma < 1) is not sp.true:
            raise ValueError(f"gamma={gamma} must be below 1 for a decay; give 0 < gamma < 1")
        object.__setattr__(self, "gamma", gamma)
        if not isinstance(self.k, int) or isinstance(self.k, bool) or self.k < 1:
            raise ValueError(f"k={self.k!r}: the number of steps per level is an integer ≥ 1")

    def expr(self) -> sp.Expr:
        return self.c * self.gamma ** sp.floor((t - 1) / self.k)

    def series(self, power: int) -> SeriesVerdict:
        value = self.k * self.c**power / (1 - self.gamma**power)
        return SeriesVerdict(power, sp.true, value, "geometric series, k equal terms per level")


@dataclass(frozen=True)
class ExpressionSchedule(Schedule):
    r"""Any positive SymPy expression in :data:`t`, from step ``start`` on.

    Examples
    --------
    >>> from sympy import log
    >>> result = robbins_monro(ExpressionSchedule(1 / (t * log(t)), start=2))
    >>> bool(result.sum_diverges), bool(result.squares_converge)
    (True, True)
    """

    formula: sp.Expr
    start: int = 1

    def __post_init__(self) -> None:
        if not isinstance(self.formula, sp.Expr):
            raise TypeError(
                f"formula={self.formula!r} is not a SymPy expression; build it from "
                f"symdl.schedules.t (the integer step), e.g. 1/t"
            )
        if isinstance(self.start, bool) or not isinstance(self.start, int) or self.start < 1:
            raise ValueError(f"start={self.start!r}: give the first step, an integer ≥ 1")
        formula = exact_number(self.formula, name="formula")
        object.__setattr__(self, "formula", formula.subs(_plain_t_symbols(formula)))
        _check_positive(self.formula, self.start)

    def expr(self) -> sp.Expr:
        return self.formula

    def series(self, power: int) -> SeriesVerdict:
        return _series_by_comparison(self.formula**power, self.start, power)


def _plain_t_symbols(formula: sp.Expr) -> dict[sp.Symbol, sp.Symbol]:
    # A user's Symbol("t") without assumptions is the step counter too.
    return {s: t for s in formula.free_symbols if s.name == "t" and s != t}


def _check_positive(formula: sp.Expr, start: int) -> None:
    k = sp.Symbol("k", integer=True, nonnegative=True)
    shifted = formula.subs(t, start + k)
    if shifted.is_positive is True:
        return
    if not formula.free_symbols - {t}:
        for step in range(start, start + 200):
            value = formula.subs(t, step)
            if value.is_extended_real is not True or not bool(value > 0):
                raise ValueError(
                    f"the schedule {formula} is {value} at t = {step}: a learning-rate "
                    f"schedule must be positive at every step ≥ start={start}; choose a later "
                    f"start or a positive formula"
                )
        return
    if shifted.is_positive is False or shifted.is_nonpositive is True:
        raise ValueError(
            f"the schedule {formula} is not positive for t ≥ {start}; a learning-rate schedule "
            f"must be positive at every step"
        )


def _series_by_comparison(term: sp.Expr, start: int, power: int) -> SeriesVerdict:
    coefficient, rest = term.as_independent(t, as_Add=False)
    base, exponent = rest.as_base_exp()
    if base == t and not exponent.has(t):
        return _p_series(coefficient, -exponent, power)
    verdict = _limit_comparison(rest, power)
    if verdict is None:
        verdict = _sympy_tests(rest, start, power)
    if verdict.converges is sp.false:
        return SeriesVerdict(power, sp.false, sp.oo, verdict.reason)
    closed = sp.Sum(term, (t, start, sp.oo)).doit()
    value = None if closed.has(sp.Sum) else _tidy(closed)
    return SeriesVerdict(power, verdict.converges, value, verdict.reason)


def _tidy(closed: sp.Expr) -> sp.Expr:
    # SymPy sums Σ 1/(t + a)^s as Lerch's Φ(1, s, a), which is the Hurwitz zeta ζ(s, a).
    closed = closed.replace(
        lambda e: isinstance(e, sp.lerchphi) and e.args[0] == 1,
        lambda e: sp.zeta(e.args[1], e.args[2]),
    )
    return sp.simplify(closed)


def _limit_comparison(rest: sp.Expr, power: int) -> SeriesVerdict | None:
    x = sp.Symbol("x", positive=True)  # limits behave better over the positive reals
    positive_rest = rest.subs(t, x)
    try:
        tail = sp.limit(positive_rest, x, sp.oo)
        if tail.is_positive:
            return SeriesVerdict(
                power, sp.false, sp.oo, "divergence test: terms tend to a limit > 0"
            )
        rate = sp.limit(sp.log(positive_rest) / sp.log(x), x, sp.oo)
        if rate == -sp.oo:
            return SeriesVerdict(
                power, sp.true, None, "comparison with Σ 1/t²: terms decay faster than any power"
            )
        if not rate.is_finite or not rate.is_real:
            return None
        ratio = sp.limit(positive_rest * x ** (-rate), x, sp.oo)
    except (NotImplementedError, ValueError, TypeError):  # SymPy's limit gave up
        return None
    if ratio.is_positive and ratio.is_finite:
        q = -rate
        return SeriesVerdict(
            power, sp.Gt(q, 1), None, f"limit comparison with the p-series Σ 1/t^{q}"
        )
    return None


def _sympy_tests(rest: sp.Expr, start: int, power: int) -> SeriesVerdict:
    if rest.free_symbols - {t}:
        raise NotSupportedError(
            f"cannot decide the convergence of Σ {rest}: the comparison tests were inconclusive "
            f"and SymPy's tests handle one symbol only; substitute numbers for "
            f"{sorted(map(str, rest.free_symbols - {t}))}"
        )
    try:
        converges = sp.Sum(rest, (t, start, sp.oo)).is_convergent()
    except NotImplementedError as error:
        raise NotSupportedError(f"cannot decide the convergence of Σ {rest}: {error}") from error
    if converges not in (sp.true, sp.false):
        raise NotSupportedError(f"SymPy cannot decide the convergence of Σ {rest}")
    return SeriesVerdict(
        power, converges, None, "SymPy's convergence tests (integral/condensation)"
    )


@dataclass(frozen=True)
class RobbinsMonroResult:
    r"""The verdict on :math:`\sum \eta_t = \infty` and :math:`\sum \eta_t^2 < \infty`.

    ``sum_diverges``, ``squares_converge`` and ``holds`` are SymPy Booleans (``true``,
    ``false``, or a condition on the schedule's symbols); ``steps`` and ``squares`` carry the
    series, their values and the test used.
    """

    schedule: Schedule
    steps: SeriesVerdict
    squares: SeriesVerdict

    @property
    def sum_diverges(self) -> sp.Basic:
        r"""The first condition, :math:`\sum_t \eta_t = \infty`."""
        return sp.Not(self.steps.converges)

    @property
    def squares_converge(self) -> sp.Basic:
        r"""The second condition, :math:`\sum_t \eta_t^2 < \infty`."""
        return self.squares.converges

    @property
    def holds(self) -> sp.Basic:
        """Both conditions (a SymPy Boolean; a condition when the schedule has symbols)."""
        return sp.And(self.sum_diverges, self.squares_converge)

    def report(self) -> str:
        """A short plain-text report: the schedule, each series and the verdict."""
        lines = [f"schedule: eta_t = {self.schedule.expr()}  (t >= {self.schedule.start})"]
        for name, verdict, condition in (
            ("sum eta_t", self.steps, self.sum_diverges),
            ("sum eta_t^2", self.squares, self.squares_converge),
        ):
            value = "no closed form found" if verdict.value is None else str(verdict.value)
            lines.append(f"{name:<12} = {value}   [{verdict.reason}]")
            lines.append(f"{'':<12}   condition met: {condition}")
        lines.append(f"Robbins–Monro conditions hold: {self.holds}")
        return "\n".join(lines)


def as_schedule(schedule: Schedule | sp.Expr | int | float) -> Schedule:
    """A :class:`Schedule` from a schedule or a SymPy expression in :data:`t`."""
    if isinstance(schedule, Schedule):
        return schedule
    if isinstance(schedule, sp.Expr) and schedule.has(*_step_symbols(schedule)):
        return ExpressionSchedule(schedule)
    if isinstance(schedule, (sp.Expr, int, float)) and not isinstance(schedule, bool):
        return Constant(schedule)
    raise TypeError(
        f"schedule={schedule!r} is not a schedule; give a Schedule (Constant, InversePower, "
        f"InverseTime, StepDecay) or a SymPy expression in symdl.schedules.t"
    )


def _step_symbols(formula: sp.Expr) -> tuple[sp.Symbol, ...]:
    return tuple(s for s in formula.free_symbols if isinstance(s, sp.Symbol) and s.name == "t")


def robbins_monro(schedule: Schedule | sp.Expr) -> RobbinsMonroResult:
    r"""Decide the Robbins–Monro conditions for a learning-rate schedule.

    .. math::

        \sum_{t \ge 1} \eta_t = \infty, \qquad \sum_{t \ge 1} \eta_t^2 < \infty.

    Parameters
    ----------
    schedule
        A :class:`Schedule`, or a positive SymPy expression in :data:`t` (from t = 1; for
        another first step use :class:`ExpressionSchedule` with ``start``).

    Returns
    -------
    RobbinsMonroResult
        ``holds``, each condition separately, and both series with their exact values.

    Raises
    ------
    ValueError
        The schedule is not positive.
    NotSupportedError
        No implemented test decides one of the series.

    Examples
    --------
    >>> from sympy import Rational, Symbol
    >>> result = robbins_monro(1 / t)
    >>> result.holds, result.steps.value, result.squares.value
    (True, oo, pi**2/6)
    >>> p = Symbol("p", positive=True)
    >>> robbins_monro(InversePower(1, p)).holds == ((p > Rational(1, 2)) & (p <= 1))
    True

    References
    ----------
    Robbins and Monro (1951), conditions (6)–(7); the p-series by the integral test.
    """
    schedule = as_schedule(schedule)
    return RobbinsMonroResult(schedule, schedule.series(1), schedule.series(2))
