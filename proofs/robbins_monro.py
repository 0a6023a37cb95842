r"""The Robbins–Monro conditions for the classical learning-rate schedules.

A schedule :math:`\eta_t` satisfies the Robbins–Monro conditions when the two infinite series
satisfy

.. math::

    \sum_{t=1}^{\infty} \eta_t = \infty
    \qquad\text{and}\qquad
    \sum_{t=1}^{\infty} \eta_t^2 < \infty.

For :math:`\eta_t = c/t^p` both hold if and only if :math:`\tfrac12 < p \le 1` (the series
:math:`\sum_t t^{-q}` converges if and only if :math:`q > 1`, by the integral test); for
:math:`\eta_t = 1/t` the sum of the squares is :math:`\zeta(2) = \pi^2/6`;
:math:`\eta_t = 1/(t \log t)` (:math:`t \ge 2`) also qualifies (its series diverges by the
integral test, :math:`\log \log t \to \infty`, and the squares converge); a constant fails
the second condition; :math:`c/(1 + t/\tau)` satisfies both; the step decay
:math:`c\,\gamma^{\lfloor (t-1)/k \rfloor}` fails the first, its total
:math:`kc/(1 - \gamma)` being finite.  Where the lecture writes the conditions with finite
sums, see the proof ``lecture_robbins_monro``.

References: H. Robbins and S. Monro, "A stochastic approximation method", Ann. Math. Statist.
22 (1951), 400–407, Theorem 2; K. Knopp, *Theory and Application of Infinite Series* (1951),
sections 13–15.
"""

from __future__ import annotations

import sympy as sp
from matplotlib.figure import Figure

from symdl.core.derivation import Derivation, Relation
from symdl.optimization.schedules import (
    Constant,
    ExpressionSchedule,
    InversePower,
    InverseTime,
    StepDecay,
    partial_sums_figure,
    robbins_monro,
    t,
)


def lemma_power_schedules_on_a_grid_of_rationals() -> None:
    for numerator in range(1, 25):
        for denominator in (1, 2, 3, 4, 5, 6, 7, 8):
            p = sp.Rational(numerator, denominator)
            result = robbins_monro(InversePower(3, p))
            assert bool(result.holds) == (bool(sp.Rational(1, 2) < p) and bool(p <= 1)), p


def lemma_symbolic_exponent() -> None:
    p = sp.Symbol("p", positive=True)
    result = robbins_monro(InversePower(sp.Symbol("c", positive=True), p))
    assert result.holds == sp.And(p > sp.S.Half, p <= 1)


def lemma_basel_value() -> None:
    result = robbins_monro(1 / t)
    assert result.steps.value == sp.oo
    assert result.squares.value == sp.pi**2 / 6
    partial = sum(sp.Rational(1, k**2) for k in range(1, 2001))
    # tail between 1/2001 and 1/2000 (integral test bounds)
    assert sp.Rational(1, 2001) < sp.pi**2 / 6 - partial < sp.Rational(1, 2000)


def lemma_t_log_t() -> None:
    result = robbins_monro(ExpressionSchedule(1 / (t * sp.log(t)), start=2))
    assert result.sum_diverges is sp.true
    assert result.squares_converge is sp.true
    x = sp.Symbol("x", positive=True)  # the integral test's antiderivative: log log x -> oo
    assert sp.simplify(sp.diff(sp.log(sp.log(x)), x) - 1 / (x * sp.log(x))) == 0
    assert sp.limit(sp.log(sp.log(x)), x, sp.oo) == sp.oo


def lemma_constant_inverse_time_and_step_decay() -> None:
    assert robbins_monro(Constant(sp.Rational(1, 10))).holds is sp.false
    assert robbins_monro(Constant(sp.Rational(1, 10))).squares_converge is sp.false
    assert robbins_monro(InverseTime(1, 100)).holds is sp.true
    decay = robbins_monro(StepDecay(sp.Rational(1, 10), sp.S.Half, 1000))
    assert decay.steps.value == 200
    assert decay.sum_diverges is sp.false
    assert decay.holds is sp.false


def figures() -> dict[str, Figure]:
    """Partial sums of eta_t and eta_t^2 for c/t^p, p = 1/2, 3/4, 1, 3/2, and step decay."""
    schedules = [InversePower(1, p) for p in (sp.S.Half, sp.Rational(3, 4), 1, sp.Rational(3, 2))]
    schedules.append(StepDecay(1, sp.S.Half, 100))
    return {"robbins_monro_partial_sums": partial_sums_figure(schedules)}


def derivation() -> Derivation:
    """Why c/t^p satisfies Robbins–Monro exactly when 1/2 < p <= 1."""
    p = sp.Symbol("p", positive=True)
    x, X = sp.symbols("x X", positive=True)
    d = Derivation(
        "Robbins-Monro conditions for $\\eta_t = c/t^p$",
        statement=(
            "Claim: $\\sum_t c/t^p = \\infty$ and $\\sum_t c^2/t^{2p} < \\infty$ hold together "
            "exactly when $1/2 < p \\le 1$."
        ),
    )
    d.remark(
        "Integral test: for a positive decreasing $f$, $\\sum_{t \\ge 1} f(t)$ and "
        "$\\int_1^\\infty f(x)\\,dx$ converge or diverge together. For $f(x) = x^{-q}$:"
    )
    q = sp.Symbol("q", positive=True)
    d.add(
        sp.Integral(x ** (-q), (x, 1, X)), sp.integrate(x ** (-q), (x, 1, X)), "calculus, $q > 0$"
    )
    d.remark(
        "which stays bounded as $X \\to \\infty$ exactly when $q > 1$. The first condition "
        "takes $q = p$, the second $q = 2p$:"
    )
    result = robbins_monro(InversePower(sp.Symbol("c", positive=True), p))
    d.add(r"\sum_t \eta_t = \infty", result.sum_diverges, "$q = p$", relation=Relation.IFF)
    d.add(r"\sum_t \eta_t^2 < \infty", result.squares_converge, "$q = 2p$", relation=Relation.IFF)
    d.add(r"\text{both}", result.holds, "conjunction", relation=Relation.IFF)
    d.add(r"\sum_{t \ge 1} \frac{1}{t^2}", robbins_monro(1 / t).squares.value, "Euler (Basel)")
    return d
