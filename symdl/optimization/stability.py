r"""Hardt, Recht and Singer's stability bounds for SGD, and the experiment that measures them.

Let :math:`f(\cdot; z)` be the loss of one example.  SGD with step sizes :math:`\alpha_t`, run
for :math:`T` steps on training sets :math:`S, S'` of :math:`n` examples that differ in one
example, along the same sample path, gives parameters :math:`w_T, w'_T`.  For
:math:`f(\cdot; z)` convex, :math:`\beta`-smooth and :math:`L`-Lipschitz and
:math:`\alpha_t \le 2/\beta` (Hardt et al. 2016, Theorem 3.8),

.. math::

    \mathbb{E}\,\|w_T - w'_T\| \le \frac{2L}{n} \sum_{t=1}^{T} \alpha_t, \qquad
    \varepsilon_{\text{stab}} \le \frac{2L^2}{n} \sum_{t=1}^{T} \alpha_t ,

and the expected generalization gap :math:`\mathbb{E}[R(w_T) - R_S(w_T)]` is at most
:math:`\varepsilon_{\text{stab}}` (their Theorem 2.2).  The key step: the gradient update
:math:`w \mapsto w - \alpha \nabla f(w)` is 1-expansive when :math:`\alpha \le 2/\beta`
(their § 3.1), so the two runs separate only at the steps that draw the differing example, by at
most :math:`2\alpha_t L` each.

:func:`hardt_bound` and :func:`hardt_bound_nonconvex` give the bounds exactly;
:func:`stability_experiment` measures both sides on logistic regression
(:mod:`symdl.optimization.logistic`), and :func:`stability_figure` plots them against :math:`T`.

References
----------
M. Hardt, B. Recht and Y. Singer, "Train faster, generalize better: stability of stochastic
gradient descent", ICML 2016 (arXiv:1509.01240), Theorems 2.2, 3.8 and 3.12; § 3.1 (expansive
updates, the growth recursion).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import mpmath
import numpy as np
import sympy as sp

from symdl.core.exact import positive, positive_integer
from symdl.core.exceptions import NotSupportedError
from symdl.core.limits import deadline
from symdl.optimization.logistic import (
    LogisticData,
    logistic_data,
    logistic_gradient,
    logistic_losses,
)
from symdl.optimization.schedules import InversePower, Schedule, as_schedule, t
from symdl.optimization.series import _attempt, plain_text
from symdl.optimization.stochastic_gradient import sample_path, sgd

if TYPE_CHECKING:  # matplotlib is imported only when a figure is drawn
    from matplotlib.figure import Figure

__all__ = [
    "StabilityConfig",
    "StabilityReport",
    "check_convex_loss",
    "hardt_bound",
    "hardt_bound_nonconvex",
    "stability_experiment",
    "stability_figure",
]


_HARDT = "Hardt et al. 2016 assume it"


def _examples(n: Any) -> sp.Expr:
    number = positive(n, name="n", reason=_HARDT)
    if number.is_number and not number.is_Integer:
        raise ValueError(f"n={number} is the number of training examples: give a positive integer")
    return number


def _steps(T: Any) -> sp.Expr:
    """The number of steps: an integer ≥ 1 or a Symbol with integer=True, positive=True."""
    return positive_integer(T, name="T")


#: The most steps whose step sizes are checked one by one (a schedule not known to decrease).
MAX_CHECKED_STEPS = 10**4

# beyond this many steps, the sum of the step sizes is the closed form in T, at T
_SUMMED_ONE_BY_ONE = 1000


def _sum_of_steps(rule: Schedule, T: sp.Expr, seconds: float) -> sp.Expr | None:
    r""":math:`\sum_{t=1}^{T} \alpha_t` in closed form, or None.

    For many steps, the closed form in a symbolic :math:`T` taken at :math:`T`, its functions
    of :math:`T` (:math:`H_T`, :math:`\zeta`) left unevaluated; else (or if there is none, for
    at most 10⁴ steps) SymPy's sum of the terms.
    """
    if T.is_Integer and T > _SUMMED_ONE_BY_ONE:
        steps = sp.Dummy("T", integer=True, positive=True)
        end = steps + rule.start - 1
        total = _attempt(lambda: sp.summation(rule.expr(), (t, rule.start, end)), seconds)
        if total is not None and not total.has(sp.Sum):
            held = {
                node: node.func(*(a.xreplace({steps: T}) for a in node.args), evaluate=False)
                for node in total.atoms(sp.Function)
                if node.has(steps)
            }
            return total.xreplace(held).xreplace({steps: T})
        if T > MAX_CHECKED_STEPS:
            return None
    end = T + rule.start - 1
    total = _attempt(lambda: sp.summation(rule.expr(), (t, rule.start, end)), seconds)
    return None if total is None or total.has(sp.Sum) else total


def _largest_step(schedule: Schedule, T: sp.Expr) -> sp.Expr:
    # A nonincreasing schedule attains its maximum at its first step; otherwise look at all.
    if schedule.nonincreasing():
        return schedule(schedule.start)
    if not T.is_Integer or T > MAX_CHECKED_STEPS:
        raise NotSupportedError(
            f"cannot check α_t ≤ 2/β for all t ≤ {plain_text(T)}: the schedule "
            f"{plain_text(schedule.expr())} is not known to be nonincreasing, and the steps are "
            f"checked one by one only for a number of steps T ≤ {MAX_CHECKED_STEPS}"
        )
    return sp.Max(*(schedule(step) for step in range(schedule.start, int(T) + 1)))


def _check_below_c_over_t(schedule: Schedule, c: sp.Expr, T: sp.Expr) -> None:
    # Theorem 3.12's step sizes: nonincreasing and α_t ≤ c/t for every t ≤ T.
    if schedule.nonincreasing() is not True:
        raise ValueError(
            f"the schedule {schedule.expr()} is not known to be nonincreasing: Theorem 3.12 "
            f"assumes monotonically nonincreasing step sizes"
        )
    if not T.is_Integer or T > MAX_CHECKED_STEPS:
        raise NotSupportedError(
            f"checking α_t ≤ c/t for all t ≤ {plain_text(T)} needs a number of steps "
            f"T ≤ {MAX_CHECKED_STEPS}"
        )
    for step in range(schedule.start, schedule.start + int(T)):
        rate = schedule(step)
        below = step * rate <= c
        if below is sp.false:
            raise ValueError(
                f"the step size at t = {step} is {plain_text(rate)} > c/t = "
                f"{plain_text(c / step)}: Theorem 3.12 assumes α_t ≤ c/t; raise c or use "
                f"smaller steps"
            )
        if below is not sp.true:
            raise NotSupportedError(
                f"cannot decide whether the step size at t = {step}, {plain_text(rate)}, is at "
                f"most c/t = {plain_text(c / step)} (Theorem 3.12 assumes it); give numbers"
            )


def check_convex_loss(
    loss: sp.Expr,
    *,
    lipschitz: Any = None,
    smoothness: Any = None,
    grid: int = 40,
    seconds: float = 30.0,
) -> None:
    r"""Check that :math:`\ell(u)` is convex (and, if given, L-Lipschitz and β-smooth).

    ``loss`` is the loss of a linear model as a function of its score :math:`u = \langle w,
    x\rangle`, for data with :math:`\|x\| \le 1`; then :math:`f(w; z) = \ell(y\langle w,
    x\rangle)` is convex, L-Lipschitz and β-smooth in :math:`w` when :math:`\ell'' \ge 0`,
    :math:`|\ell'| \le L` and :math:`|\ell''| \le β`.  Convexity is proved symbolically
    (:math:`\ell''` simplified and shown nonnegative); a violation of any assumption is shown
    by an exact witness on the grid :math:`u = k/4`, :math:`|k| \le 4\,\text{grid}`.

    Raises
    ------
    ValueError
        An assumption fails, with the witness (also: a derivative that is undefined or not
        real at a grid point).
    TypeError
        ``loss`` is not a SymPy expression in one symbol.
    NotSupportedError
        SymPy cannot prove convexity and the grid shows no violation, or cannot evaluate a
        derivative.
    TimeLimitExceededError
        The checks took more than ``seconds``.

    Examples
    --------
    >>> from sympy import Symbol, exp, log
    >>> u = Symbol("u", real=True)
    >>> check_convex_loss(log(1 + exp(-u)), lipschitz=1, smoothness=sp.Rational(1, 4))
    >>> check_convex_loss(1 / (1 + exp(u)))
    Traceback (most recent call last):
    ...
    ValueError: the loss 1/(e^u + 1) is not convex: ℓ''(-5/4) = -0.0960039; Theorem 3.8 ...

    References
    ----------
    Hardt, Recht and Singer (2016), § 3.1 and Theorem 3.8 (the assumptions checked here).
    """
    if not isinstance(loss, sp.Expr) or len(loss.free_symbols) != 1:
        raise TypeError(
            f"loss={loss!r} must be a SymPy expression in one real symbol (the score u)"
        )
    if isinstance(grid, bool) or not isinstance(grid, int) or not 1 <= grid <= 10**4:
        raise ValueError(f"grid={grid!r}: give an integer between 1 and 10000")
    with deadline(seconds):
        _check_convex_loss(loss, lipschitz, smoothness, grid)


def _check_convex_loss(loss: sp.Expr, lipschitz: Any, smoothness: Any, grid: int) -> None:
    (u,) = loss.free_symbols
    first, second = sp.diff(loss, u), sp.diff(loss, u, 2)
    witnesses = [sp.Rational(k, 4) for k in range(-4 * grid, 4 * grid + 1)]
    # Each check: (what fails, the derivative, its excess over the allowed range, advice).
    checks: list[tuple[str, sp.Expr, Callable[[Any], Any], str]] = [
        (
            "is not convex",
            second,
            lambda v: -v,
            "Theorem 3.8 needs a convex loss; use hardt_bound_nonconvex (Theorem 3.12)",
        )
    ]
    # Symbolic constants cannot be refuted by a witness; only numbers are checked.
    if lipschitz is not None and positive(lipschitz, name="lipschitz", reason=_HARDT).is_number:
        L = positive(lipschitz, name="lipschitz", reason=_HARDT)
        L_value = mpmath.mpf(sp.N(L, 30))
        checks.append((f"is not {L}-Lipschitz", first, lambda v: abs(v) - L_value, "raise L"))
    if smoothness is not None and positive(smoothness, name="smoothness", reason=_HARDT).is_number:
        beta = positive(smoothness, name="smoothness", reason=_HARDT)
        beta_value = mpmath.mpf(sp.N(beta, 30))
        checks.append(
            (f"is not {beta}-smooth", second, lambda v: abs(v) - beta_value, "raise beta")
        )
    for what, derivative, excess, advice in checks:
        order = "ℓ''" if derivative is second else "ℓ'"
        values = _values(loss, order, derivative, u, witnesses)
        worst = max(range(len(values)), key=lambda k: excess(values[k]))
        if excess(values[worst]) > 0:
            raise ValueError(
                f"the loss {plain_text(loss)} {what}: {order}({witnesses[worst]}) = "
                f"{float(values[worst]):.6g}; {advice}"
            )
    simpler = _attempt(lambda: sp.simplify(second))
    if simpler is None or simpler.is_nonnegative is not True:
        shown = plain_text(second if simpler is None else simpler)
        raise NotSupportedError(
            f"cannot prove that {plain_text(loss)} is convex (ℓ'' = {shown}); check it by "
            f"hand and call hardt_bound without loss="
        )


def _values(
    loss: sp.Expr, order: str, derivative: sp.Expr, u: sp.Symbol, points: list[sp.Rational]
) -> list[Any]:
    """The derivative at the grid points, at 30 digits; each value a finite real number."""
    with mpmath.workdps(30):  # 30 digits: the sign of a tiny value is reliable
        try:
            function = sp.lambdify(u, derivative, modules="mpmath")
        except Exception as error:  # a function mpmath does not know
            raise NotSupportedError(
                f"cannot evaluate {order} of {plain_text(loss)} numerically ({error})"
            ) from error
        values = []
        for u0 in points:
            try:
                value = function(mpmath.mpf(u0.p) / u0.q)
            except (ZeroDivisionError, ValueError, OverflowError) as error:
                detail = f" ({error})" if str(error) else ""
                raise ValueError(
                    f"the loss {plain_text(loss)}: {order} is undefined at u = {u0}{detail}; "
                    "Hardt et al.'s theorems need a loss twice differentiable at every score"
                ) from error
            except Exception as error:  # NameError, TypeError: an expression mpmath cannot run
                raise NotSupportedError(
                    f"cannot evaluate {order} of {plain_text(loss)} at u = {u0} ({error})"
                ) from error
            if isinstance(value, mpmath.mpc) and value.imag == 0:
                value = value.real
            elif isinstance(value, (int, float, sp.Number)):  # a constant derivative
                value = mpmath.mpf(value)
            if not isinstance(value, mpmath.mpf) or not mpmath.isfinite(value):
                raise ValueError(
                    f"the loss {plain_text(loss)}: {order}({u0}) = {value} is not a finite real "
                    "number; Hardt et al.'s theorems need a real loss, twice differentiable at "
                    "every score"
                )
            values.append(value)
    return values


def hardt_bound(
    L: Any,
    n: Any,
    schedule: Schedule | sp.Expr,
    T: Any,
    *,
    beta: Any,
    loss: sp.Expr | None = None,
    seconds: float = 30.0,
) -> sp.Expr:
    r"""Hardt, Recht and Singer's stability bound for convex losses, exactly.

    .. math::

        \varepsilon_{\text{stab}} \le \frac{2L^2}{n} \sum_{t=1}^{T} \alpha_t
        \qquad (\alpha_t \le 2/\beta),

    so for :math:`\alpha_t = c/t` it is :math:`2L^2 c H_T / n` (:math:`H_T` the harmonic
    number).

    Parameters
    ----------
    L, n
        The Lipschitz constant of :math:`f(\cdot; z)` and the number of training examples.
    schedule
        The step sizes :math:`\alpha_t`: a :class:`~symdl.optimization.schedules.Schedule` or a
        SymPy
        expression in :data:`symdl.optimization.schedules.t`.
    T
        The number of steps: a positive integer, or a positive integer Symbol.
    beta
        The smoothness constant; every :math:`\alpha_t`, :math:`t \le T`, must be at most
        :math:`2/\beta`.
    loss
        Optional: the loss as a function of a linear model's score, checked to be convex,
        L-Lipschitz and β-smooth by :func:`check_convex_loss`.
    seconds
        The time limit of the whole computation.

    Raises
    ------
    ValueError
        A step size exceeds :math:`2/\beta`, or the loss violates an assumption.
    TypeError
        A constant is not an exact number, or the schedule is not a schedule.
    NotSupportedError
        The assumption :math:`\alpha_t \le 2/\beta` cannot be decided (symbolic constants, a
        schedule not known to decrease over more than 10⁴ steps), or SymPy cannot sum the
        step sizes.
    TimeLimitExceededError
        The computation took more than ``seconds``.

    Examples
    --------
    >>> hardt_bound(1, 100, InversePower(1, 1), 10, beta=2)
    7381/126000
    >>> T = sp.Symbol("T", integer=True, positive=True)
    >>> hardt_bound(1, 100, InversePower(1, 1), T, beta=2)
    harmonic(T)/50

    References
    ----------
    Hardt, Recht and Singer (2016), Theorem 3.8.
    """
    L, n, beta = (
        positive(L, name="L", reason=_HARDT),
        _examples(n),
        positive(beta, name="beta", reason=_HARDT),
    )
    T = _steps(T)
    with deadline(seconds):
        rule = as_schedule(schedule)
        if loss is not None:
            check_convex_loss(loss, lipschitz=L, smoothness=beta, seconds=seconds)
        largest = _largest_step(rule, T)
        below = largest <= 2 / beta
        if below is sp.false:
            raise ValueError(
                f"the step size reaches {plain_text(largest)} > 2/beta = {plain_text(2 / beta)}: "
                f"Hardt et al.'s Theorem 3.8 assumes α_t ≤ 2/β (the update is then "
                f"1-expansive); use a smaller step size or check beta"
            )
        if below is not sp.true:
            raise NotSupportedError(
                f"cannot decide whether the largest step size {plain_text(largest)} is at most "
                f"2/beta = {plain_text(2 / beta)} (Theorem 3.8 assumes it); give numbers, or "
                "symbols whose assumptions decide it"
            )
        total = _sum_of_steps(rule, T, seconds)
        if total is None:
            raise NotSupportedError(
                f"SymPy cannot sum the step sizes {plain_text(rule.expr())} for t = "
                f"{rule.start}, …, {plain_text(T + rule.start - 1)} in closed form"
            )
        bound = 2 * L**2 / n * total
        if T.is_Integer and T > _SUMMED_ONE_BY_ONE:
            return bound  # simplification would evaluate H_T at T
        simpler = _attempt(lambda: sp.simplify(bound))
        return bound if simpler is None else simpler


def hardt_bound_nonconvex(
    L: Any,
    n: Any,
    c: Any,
    T: Any,
    *,
    beta: Any,
    schedule: Schedule | sp.Expr | None = None,
    seconds: float = 30.0,
) -> sp.Expr:
    r"""Hardt, Recht and Singer's stability bound for non-convex losses, exactly.

    Assumptions (Theorem 3.12): :math:`f(\cdot; z) \in [0, 1]` for every example, is
    :math:`L`-Lipschitz and :math:`\beta`-smooth, and SGD runs :math:`T` steps with
    monotonically nonincreasing step sizes :math:`\alpha_t \le c/t`.  Then

    .. math::

        \varepsilon_{\text{stab}} \le \frac{1 + 1/(\beta c)}{n - 1}
        \bigl(2 c L^2\bigr)^{\frac{1}{\beta c + 1}} T^{\frac{\beta c}{\beta c + 1}} .

    Given a ``schedule``, the step-size assumption is checked: nonincreasing, and
    :math:`t\,\alpha_t \le c` for :math:`t \le T` (checked exactly for T ≤ 10⁴), all within
    ``seconds``.

    Examples
    --------
    >>> hardt_bound_nonconvex(1, 101, 1, 8, beta=1)
    2/25
    >>> hardt_bound_nonconvex(1, 101, 1, 8, beta=1, schedule=InversePower(2, 1))
    Traceback (most recent call last):
    ...
    ValueError: the step size at t = 1 is 2 > c/t = 1: Theorem 3.12 assumes α_t ≤ c/t; ...

    References
    ----------
    Hardt, Recht and Singer (2016), Theorem 3.12.
    """
    L, c, beta = (
        positive(L, name="L", reason=_HARDT),
        positive(c, name="c", reason=_HARDT),
        positive(beta, name="beta", reason=_HARDT),
    )
    n = _examples(n)
    if (n >= 2) is not sp.true:
        raise ValueError(f"n={n}: the non-convex bound divides by n - 1; give n ≥ 2")
    T = _steps(T)
    with deadline(seconds):
        if schedule is not None:
            _check_below_c_over_t(as_schedule(schedule), c, T)
        q = beta * c
        bound = (1 + 1 / q) / (n - 1) * (2 * c * L**2) ** (1 / (q + 1)) * T ** (q / (q + 1))
        simpler = _attempt(lambda: sp.simplify(bound))
        return bound if simpler is None else simpler


@dataclass(frozen=True)
class StabilityConfig:
    """The stability experiment: logistic regression, SGD with α_t = c/t, many sample paths.

    ``n`` training examples in dimension ``dim``, ``steps`` SGD steps, ``runs`` sample paths
    averaged, ``held_out`` examples for the risk, ``checkpoints`` values of T (geometric);
    ``c`` must keep c/t ≤ 2/β = 8 (the logistic loss is 1/4-smooth).

    Examples
    --------
    >>> StabilityConfig(runs=10).steps
    400
    >>> StabilityConfig(runs=0)
    Traceback (most recent call last):
    ...
    ValueError: runs=0 must be a positive integer
    """

    n: int = 100
    dim: int = 5
    steps: int = 400
    runs: int = 60
    c: Any = 1
    held_out: int = 20000
    checkpoints: int = 8
    seed: int = 0

    def __post_init__(self) -> None:
        for name in ("n", "dim", "steps", "runs", "held_out", "checkpoints"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ValueError(f"{name}={value!r} must be a positive integer")
        if isinstance(self.seed, bool) or not isinstance(self.seed, int) or self.seed < 0:
            raise ValueError(f"seed={self.seed!r} must be an integer ≥ 0")
        c = positive(self.c, name="c", reason=_HARDT)
        if (c <= 8) is not sp.true:
            raise ValueError(
                f"c={plain_text(c)}: the step size c/t reaches {plain_text(c)} > 2/beta = 8 at "
                "t = 1 (the logistic loss is 1/4-smooth, and Hardt et al.'s Theorem 3.8 "
                "assumes α_t ≤ 2/β); give 0 < c ≤ 8"
            )
        object.__setattr__(self, "c", c)


@dataclass(frozen=True)
class StabilityReport:
    r"""Measured and bounded quantities at each checkpoint :math:`T`.

    ``divergence``: mean :math:`\|w_T - w'_T\|` over sample paths; ``divergence_bound``:
    :math:`(2L/n)\sum_{t \le T}\alpha_t`; ``loss_difference``: mean over paths of the largest
    :math:`|f(w_T; z) - f(w'_T; z)|` over the held-out examples; ``bound``: the exact
    :math:`\varepsilon_{\text{stab}}` of :func:`hardt_bound`; ``gap``: the mean generalization
    gap (held-out risk minus training risk); ``per_path_holds``: whether every path obeyed
    the pathwise bound :math:`\|w_T - w'_T\| \le 2L \sum_{t \le T,\, i_t = i} \alpha_t`.
    """

    config: StabilityConfig
    steps: tuple[int, ...]
    bound: tuple[sp.Expr, ...]
    divergence: np.ndarray
    divergence_bound: np.ndarray
    loss_difference: np.ndarray
    gap: np.ndarray
    per_path_holds: bool

    def table(self) -> str:
        """The measured numbers beside the bound, one row per T."""
        lines = [f"{'T':>6}  {'bound':>10}  {'E|w-w′|':>10}  {'E sup|Δf|':>10}  {'E gap':>10}"]
        for k, T in enumerate(self.steps):
            lines.append(
                f"{T:>6}  {float(self.bound[k]):>10.5f}  {self.divergence[k]:>10.5f}  "
                f"{self.loss_difference[k]:>10.5f}  {self.gap[k]:>10.5f}"
            )
        return "\n".join(lines)


def _checkpoints(steps: int, count: int) -> tuple[int, ...]:
    grid = np.unique(np.geomspace(1, steps, num=count).round().astype(int))
    return tuple(int(T) for T in grid)


def stability_experiment(
    config: StabilityConfig | None = None, *, seconds: float = 300.0
) -> StabilityReport:
    r"""Measure SGD's stability on logistic regression and compare with Hardt's bound.

    Each run draws a training set :math:`S` of :math:`n` examples with :math:`\|x\| \le 1`
    (so the logistic loss is 1-Lipschitz and 1/4-smooth), replaces example 0 by a fresh one to
    get :math:`S'`, and runs SGD from :math:`w_0 = 0` with :math:`\alpha_t = c/t` on both,
    along the same sample path.  The expectations of the theorem are means over the runs.
    The experiment stops with :class:`~symdl.core.limits.TimeLimitExceededError` after
    ``seconds``.

    Examples
    --------
    >>> report = stability_experiment(StabilityConfig(steps=50, runs=10, held_out=500))
    >>> bool((report.divergence <= report.divergence_bound).all()), report.per_path_holds
    (True, True)

    References
    ----------
    Hardt, Recht and Singer (2016), Theorems 2.2 and 3.8, § 3.1.
    """
    if config is None:
        config = StabilityConfig()
    if not isinstance(config, StabilityConfig):
        raise TypeError(f"config={config!r} is not a StabilityConfig; build one, or pass None")
    with deadline(seconds):
        return _experiment(config)


def _experiment(config: StabilityConfig) -> StabilityReport:
    L, beta = sp.Integer(1), sp.Rational(1, 4)
    schedule = InversePower(config.c, 1)
    steps = _checkpoints(config.steps, config.checkpoints)
    bound = tuple(hardt_bound(L, config.n, schedule, T, beta=beta) for T in steps)
    rng = np.random.default_rng(config.seed)
    truth = rng.normal(size=config.dim)
    truth *= 3 / np.linalg.norm(truth)
    test = logistic_data(config.held_out, truth, rng)
    index = np.array(steps)
    divergence, difference, gap = (np.zeros((config.runs, len(steps))) for _ in range(3))
    per_path = True
    for r in range(config.runs):
        train = logistic_data(config.n, truth, rng)
        other = logistic_data(1, truth, rng)
        twin = LogisticData(
            np.vstack([other.X, train.X[1:]]), np.concatenate([other.y, train.y[1:]])
        )
        path = sample_path(config.n, config.steps, seed=int(rng.integers(2**63)))
        start = np.zeros(config.dim)
        run = sgd(logistic_gradient(train), start, schedule=schedule, path=path)
        run_twin = sgd(logistic_gradient(twin), start, schedule=schedule, path=path)
        w, w_twin = run.thetas[index], run_twin.thetas[index]
        divergence[r] = np.linalg.norm(w - w_twin, axis=1)
        # Pathwise form of the growth recursion (§ 3.1): δ grows only when example 0 is drawn.
        pathwise = 2 * float(L) * np.cumsum(run.rates * (path[:, 0] == 0))[index - 1]
        per_path &= bool((divergence[r] <= pathwise + 1e-12).all())
        for k in range(len(steps)):
            test_losses = logistic_losses(w[k], test)
            twin_losses = logistic_losses(w_twin[k], test)
            difference[r, k] = np.max(np.abs(test_losses - twin_losses))
            gap[r, k] = test_losses.mean() - logistic_losses(w[k], train).mean()
    return StabilityReport(
        config=config,
        steps=steps,
        bound=bound,
        divergence=divergence.mean(axis=0),
        divergence_bound=np.array([float(b) / float(L) for b in bound]),
        loss_difference=difference.mean(axis=0),
        gap=gap.mean(axis=0),
        per_path_holds=per_path,
    )


def stability_figure(report: StabilityReport) -> Figure:
    """Hardt's bound, the measured loss difference and the generalization gap against T.

    Examples
    --------
    >>> report = stability_experiment(StabilityConfig(steps=8, runs=2, held_out=100))
    >>> [line.get_label()[:5] for line in stability_figure(report).axes[0].lines]
    ['bound', 'measu', 'measu']
    """
    if not isinstance(report, StabilityReport):
        raise TypeError(f"report={report!r} is not a StabilityReport (see stability_experiment)")
    from matplotlib.figure import Figure

    figure = Figure(figsize=(6, 4), layout="constrained")
    axes = figure.add_subplot()
    steps = np.array(report.steps)
    axes.plot(steps, [float(b) for b in report.bound], "k-", label=r"bound $2L^2\sum\alpha_t/n$")
    axes.plot(steps, report.loss_difference, "o-", label=r"measured $\sup_z|f(w_T;z)-f(w'_T;z)|$")
    axes.plot(steps, report.gap, "s--", label=r"measured gap $R(w_T)-R_S(w_T)$")
    axes.set_xscale("log")
    axes.set_xlabel("steps T")
    axes.set_ylabel("loss")
    axes.set_title(f"SGD stability, logistic regression, n = {report.config.n}")
    axes.legend(fontsize="small")
    return figure
