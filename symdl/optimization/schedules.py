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

The convergence tests and the sums are those of :mod:`symdl.optimization.series`.

References
----------
H. Robbins and S. Monro, "A stochastic approximation method", Ann. Math. Statist. 22 (1951),
400–407, conditions (6)–(7).

"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any

import numpy as np
import sympy as sp

from symdl.core.exact import exact_number, positive
from symdl.core.exceptions import NotSupportedError
from symdl.core.limits import deadline
from symdl.optimization.series import (
    SeriesVerdict,
    _attempt,
    p_series,
    plain_text,
    positive_at_every_step,
    series_verdict,
)

if TYPE_CHECKING:  # matplotlib is imported only when a figure is drawn
    from matplotlib.figure import Figure

__all__ = [
    "Constant",
    "ExpressionSchedule",
    "InversePower",
    "InverseTime",
    "RobbinsMonroResult",
    "Schedule",
    "StepDecay",
    "as_schedule",
    "partial_sums_figure",
    "robbins_monro",
    "t",
]

t = sp.Symbol("t", integer=True, positive=True)
"""The step counter :math:`t = 1, 2, \\dots` of every schedule."""


_SCHEDULE = "a learning-rate schedule needs positive constants"


class Schedule(ABC):
    r"""A positive learning-rate schedule :math:`\eta_t`, :math:`t \ge 1`, with a SymPy form."""

    start: int = 1

    @abstractmethod
    def expr(self) -> sp.Expr:
        """The schedule as a SymPy expression in :data:`t`."""

    @abstractmethod
    def series(self, power: int) -> SeriesVerdict:
        r"""Convergence and value of :math:`\sum_{t \ge \text{start}} \eta_t^{k}`, k = ``power``."""

    def nonincreasing(self) -> bool | None:
        r"""Whether :math:`\eta_{t+1} \le \eta_t` for all t (None: not decided).

        The four classical schedules are; an expression is when its derivative in a real
        :math:`t \ge` ``start`` is provably nonpositive.
        """
        if isinstance(self, InversePower):  # c/t^p decreases for p > 0, is constant at 0
            return True if self.p.is_nonnegative else (False if self.p.is_negative else None)
        if isinstance(self, (Constant, InverseTime, StepDecay)):
            return True
        x = sp.Symbol("x", positive=True)
        formula = self.expr().subs(t, x + self.start)
        slope = _attempt(lambda: sp.simplify(sp.diff(formula, x)))
        return True if slope is not None and slope.is_nonpositive else None

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


@dataclass(frozen=True)
class Constant(Schedule):
    r""":math:`\eta_t = c`: both series diverge (the terms do not tend to 0).

    Examples
    --------
    >>> result = robbins_monro(Constant(sp.Rational(1, 10)))
    >>> result.sum_diverges, result.squares_converge
    (True, False)
    """

    c: Any = 1

    def __post_init__(self) -> None:
        object.__setattr__(self, "c", positive(self.c, name="c", reason=_SCHEDULE))

    def expr(self) -> sp.Expr:
        return self.c

    def series(self, power: int) -> SeriesVerdict:
        power = _check_power(power)
        return SeriesVerdict(power, sp.false, sp.oo, "divergence test: the terms tend to c^k ≠ 0")


@dataclass(frozen=True)
class InversePower(Schedule):
    r""":math:`\eta_t = c/t^p`; Robbins–Monro holds iff :math:`1/2 < p \le 1`.

    ``c`` is positive; ``p`` is any exact real number or real Symbol (:math:`p \le 0` gives a
    schedule that does not decay, and both series diverge).

    Examples
    --------
    >>> robbins_monro(InversePower(1, 1)).squares.value
    pi**2/6
    >>> robbins_monro(InversePower(1, 0)).holds
    False
    """

    c: Any = 1
    p: Any = 1

    def __post_init__(self) -> None:
        object.__setattr__(self, "c", positive(self.c, name="c", reason=_SCHEDULE))
        p = exact_number(self.p, name="p")
        if p.is_extended_real is not True or p.is_finite is not True:
            raise ValueError(
                f"p={p} is not known to be a finite real number; give a rational exponent or "
                f"a Symbol with real=True"
            )
        object.__setattr__(self, "p", p)

    def expr(self) -> sp.Expr:
        return self.c / t**self.p

    def series(self, power: int) -> SeriesVerdict:
        power = _check_power(power)
        return p_series(self.c**power, power * self.p, power)


@dataclass(frozen=True)
class InverseTime(Schedule):
    r""":math:`\eta_t = c/(1 + t/\tau) = c\tau/(\tau + t)`: like :math:`c\tau/t` for large t.

    :math:`\sum_t \eta_t^k = (c\tau)^k \zeta(k, \tau + 1)` (Hurwitz zeta), finite iff k ≥ 2.

    Examples
    --------
    >>> result = robbins_monro(InverseTime(1, 1))  # 1/(1 + t): Σ 1/(t + 1)² = π²/6 - 1
    >>> result.holds, sp.simplify(result.squares.value - (sp.pi**2 / 6 - 1))
    (True, 0)
    """

    c: Any = 1
    tau: Any = 1

    def __post_init__(self) -> None:
        object.__setattr__(self, "c", positive(self.c, name="c", reason=_SCHEDULE))
        object.__setattr__(self, "tau", positive(self.tau, name="tau", reason=_SCHEDULE))

    def expr(self) -> sp.Expr:
        return self.c / (1 + t / self.tau)

    def series(self, power: int) -> SeriesVerdict:
        power = _check_power(power)
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

    Examples
    --------
    >>> schedule = StepDecay(1, sp.S.Half, 2)  # 1, 1, 1/2, 1/2, 1/4, ...
    >>> [schedule(step) for step in range(1, 6)], robbins_monro(schedule).steps.value
    ([1, 1, 1/2, 1/2, 1/4], 4)
    """

    c: Any = 1
    gamma: Any = sp.S.Half
    k: int = 1

    def __post_init__(self) -> None:
        object.__setattr__(self, "c", positive(self.c, name="c", reason=_SCHEDULE))
        gamma = positive(self.gamma, name="gamma", reason=_SCHEDULE)
        if (gamma < 1) is not sp.true:
            raise ValueError(f"gamma={gamma} must be below 1 for a decay; give 0 < gamma < 1")
        object.__setattr__(self, "gamma", gamma)
        if not isinstance(self.k, int) or isinstance(self.k, bool) or self.k < 1:
            raise ValueError(f"k={self.k!r}: the number of steps per level is an integer ≥ 1")

    def expr(self) -> sp.Expr:
        return self.c * self.gamma ** sp.floor((t - 1) / self.k)

    def series(self, power: int) -> SeriesVerdict:
        power = _check_power(power)
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
                f"symdl.optimization.schedules.t (the integer step), e.g. 1/t"
            )
        if isinstance(self.start, bool) or not isinstance(self.start, int) or self.start < 1:
            raise ValueError(f"start={self.start!r}: give the first step, an integer ≥ 1")
        formula = exact_number(self.formula, name="formula")
        object.__setattr__(self, "formula", formula.subs(_plain_t_symbols(formula)))
        _check_positive(self.formula, self.start)

    def expr(self) -> sp.Expr:
        return self.formula

    def series(self, power: int, *, seconds: float = 30.0) -> SeriesVerdict:
        power = _check_power(power)
        return series_verdict(self.formula**power, t, self.start, power, seconds=seconds)


def _check_power(power: object) -> int:
    r"""The power k of :math:`\sum_t \eta_t^k`: an integer ≥ 1."""
    if isinstance(power, bool) or not isinstance(power, int) or power < 1:
        raise ValueError(f"power={power!r}: give the power k of the series, an integer ≥ 1")
    return power


def _plain_t_symbols(formula: sp.Expr) -> dict[sp.Symbol, sp.Symbol]:
    # A user's Symbol("t") without assumptions is the step counter too.
    return {s: t for s in formula.free_symbols if s.name == "t" and s != t}


def _check_positive(formula: sp.Expr, start: int) -> None:
    """Prove that ``formula`` is positive at every step ≥ ``start``, or refuse it.

    A value ≤ 0 at some step (among the first 200) refutes it; positivity itself is proved
    (:func:`~symdl.optimization.series.positive_at_every_step`), never inferred from a few
    values.
    """
    if positive_at_every_step(formula, t, start):
        return
    k = sp.Symbol("k", integer=True, nonnegative=True)
    shifted = formula.subs(t, start + k)
    if not formula.free_symbols - {t}:
        for step in range(start, start + 200):
            value = formula.subs(t, step)
            if value.is_extended_real is False or value.has(sp.zoo, sp.nan):
                sign: bool | None = False
            else:
                sign = _attempt(partial(getattr, value, "is_extended_positive"), seconds=1.0)
            if sign is False:
                raise ValueError(
                    f"the schedule {plain_text(formula)} is {plain_text(value)} at t = {step}: "
                    f"a learning-rate schedule must be positive at every step ≥ start={start}; "
                    f"choose a later start or a positive formula"
                )
        raise NotSupportedError(
            f"cannot prove that the schedule {plain_text(formula)} is positive at every step "
            f"t ≥ {start}: no step t = {start}, …, {start + 199} shows a value ≤ 0, but neither "
            "SymPy's assumptions nor interval bounds prove it for all t; a learning-rate "
            "schedule must be positive at every step"
        )
    if shifted.is_positive is False or shifted.is_nonpositive is True:
        raise ValueError(
            f"the schedule {plain_text(formula)} is not positive for t ≥ {start}; a "
            f"learning-rate schedule must be positive at every step"
        )
    # Unknown sign: a constant of unknown sign, or a pole or a sign change at some step.
    raise ValueError(
        f"the schedule {plain_text(formula)} is not known to be positive for every t ≥ {start} "
        f"(SymPy cannot decide its sign); a learning-rate schedule must be positive at every "
        f"step: declare its constants positive (sympy.Symbol('c', positive=True)) or choose a "
        f"later start"
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
        """A short plain-text report: the schedule, each series and the verdict.

        Examples
        --------
        >>> print(robbins_monro(1 / t).report().splitlines()[-1])
        Robbins–Monro conditions hold: yes
        """
        lines = [f"schedule: η_t = {plain_text(self.schedule.expr())}  (t ≥ {self.schedule.start})"]
        for name, verdict, condition in (
            ("Σ η_t", self.steps, self.sum_diverges),
            ("Σ η_t²", self.squares, self.squares_converge),
        ):
            value = "no closed form found" if verdict.value is None else plain_text(verdict.value)
            lines.append(f"{name:<12} = {value}   [{verdict.reason}]")
            lines.append(f"{'':<12}   condition met: {plain_text(condition)}")
        lines.append(f"Robbins–Monro conditions hold: {plain_text(self.holds)}")
        return "\n".join(lines)


def as_schedule(schedule: Schedule | sp.Expr | int | float) -> Schedule:
    """A :class:`Schedule` from a schedule or a SymPy expression in :data:`t`.

    An expression without :data:`t` is a :class:`Constant`.

    Examples
    --------
    >>> as_schedule(1 / t), as_schedule(sp.Rational(1, 10))
    (ExpressionSchedule(formula=1/t, start=1), Constant(c=1/10))
    """
    if isinstance(schedule, Schedule):
        return schedule
    if isinstance(schedule, sp.Expr) and schedule.has(*_step_symbols(schedule)):
        return ExpressionSchedule(schedule)
    if isinstance(schedule, (sp.Expr, int, float)) and not isinstance(schedule, bool):
        return Constant(schedule)
    raise TypeError(
        f"schedule={schedule!r} is not a schedule; give a Schedule (Constant, InversePower, "
        f"InverseTime, StepDecay) or a SymPy expression in symdl.optimization.schedules.t"
    )


def _step_symbols(formula: sp.Expr) -> tuple[sp.Symbol, ...]:
    return tuple(s for s in formula.free_symbols if isinstance(s, sp.Symbol) and s.name == "t")


def robbins_monro(schedule: Schedule | sp.Expr, *, seconds: float = 30.0) -> RobbinsMonroResult:
    r"""Decide the Robbins–Monro conditions for a learning-rate schedule.

    .. math::

        \sum_{t \ge 1} \eta_t = \infty, \qquad \sum_{t \ge 1} \eta_t^2 < \infty.

    Parameters
    ----------
    schedule
        A :class:`Schedule`, or a positive SymPy expression in :data:`t` (from t = 1; for
        another first step use :class:`ExpressionSchedule` with ``start``).
    seconds
        The time limit of the whole decision (each SymPy call inside has a shorter budget,
        :data:`~symdl.optimization.series.STEP_SECONDS`).

    Returns
    -------
    RobbinsMonroResult
        ``holds``, each condition separately, and both series with their exact values.

    Raises
    ------
    ValueError
        The schedule is not positive (a step where it is not), or ``seconds`` is not a
        positive number.
    TypeError
        The schedule is neither a :class:`Schedule` nor a SymPy expression.
    NotSupportedError
        No implemented test decides one of the series, or the schedule's positivity cannot
        be proved; the message says which.
    TimeLimitExceededError
        The decision took more than ``seconds``.

    Examples
    --------
    >>> from sympy import Rational, Symbol, sin
    >>> result = robbins_monro(1 / t)
    >>> result.holds, result.steps.value, result.squares.value
    (True, oo, pi**2/6)
    >>> p = Symbol("p", positive=True)
    >>> robbins_monro(InversePower(1, p)).holds == ((p > Rational(1, 2)) & (p <= 1))
    True

    An oscillating schedule is compared with c/t^p: 1/t ≤ (2 + sin t)/t ≤ 3/t.

    >>> robbins_monro((2 + sin(t)) / t).holds
    True

    References
    ----------
    Robbins and Monro (1951), conditions (6)–(7); the p-series by the integral test; Knopp
    (1951), § 13 (the comparison test).
    """
    with deadline(seconds):
        schedule = as_schedule(schedule)
        if isinstance(schedule, ExpressionSchedule):
            steps = schedule.series(1, seconds=seconds)
            squares = schedule.series(2, seconds=seconds)
        else:
            steps, squares = schedule.series(1), schedule.series(2)
        return RobbinsMonroResult(schedule, steps, squares)


def partial_sums_figure(schedules: Sequence[Schedule | sp.Expr], *, steps: int = 10**4) -> Figure:
    r"""Partial sums :math:`\sum_{t \le T} \eta_t` and :math:`\sum_{t \le T} \eta_t^2` against T.

    The Robbins–Monro conditions, seen: the left curves must grow without bound, the right ones
    must level off.

    Examples
    --------
    >>> figure = partial_sums_figure([InversePower(1, 1)], steps=4)
    >>> figure.axes[0].lines[0].get_ydata().tolist()  # 1, 1 + 1/2, ..., H_4 = 25/12
    [1.0, 1.5, 1.8333333333333333, 2.083333333333333]
    """
    if isinstance(schedules, (Schedule, sp.Basic, str)) or not isinstance(schedules, Sequence):
        raise TypeError(
            f"schedules={schedules!r}: give a list of schedules (or expressions in t), "
            "e.g. [InversePower(1, 1)]"
        )
    if not schedules:
        raise ValueError("give at least one schedule to plot")
    if isinstance(steps, bool) or not isinstance(steps, int) or not 1 <= steps <= 10**7:
        raise ValueError(f"steps={steps!r}: give a number of steps between 1 and 10^7")
    rules = [as_schedule(schedule) for schedule in schedules]
    from matplotlib.figure import Figure

    figure = Figure(figsize=(9, 3.6), layout="constrained")
    left, right = figure.subplots(1, 2)
    for schedule in rules:
        steps_ = np.arange(schedule.start, schedule.start + steps)
        rates = schedule.numpy(steps_)
        label = f"${sp.latex(schedule.expr(), fold_short_frac=True, fold_frac_powers=True)}$"
        left.plot(steps_, np.cumsum(rates), label=label)
        right.plot(steps_, np.cumsum(rates**2), label=label)
    for axes, title in ((left, r"$\sum_{t\leq T}\eta_t$"), (right, r"$\sum_{t\leq T}\eta_t^2$")):
        axes.set_xscale("log")
        axes.set_yscale("log")
        axes.set_xlabel("T")
        axes.set_title(title)
    right.legend(fontsize="small")
    return figure
