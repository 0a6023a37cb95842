r"""Where the lecture differs: the Robbins–Monro conditions are about infinite series.

The lecture writes the conditions on the learning rates with finite sums,
:math:`\sum_{t=1}^{T} \eta_t = \infty` and :math:`\sum_{t=1}^{T} \eta_t^2 < \infty`.  A sum of
finitely many finite numbers is finite: read that way, the first condition never holds and the
second always does.  Robbins and Monro ask them of the infinite series (their Theorem 2):

.. math::

    \sum_{t=1}^{\infty} \eta_t = \infty
    \qquad\text{and}\qquad
    \sum_{t=1}^{\infty} \eta_t^2 < \infty,

that is, the partial sums of the rates grow without bound as :math:`T \to \infty`, while those
of their squares stay bounded.

Computed here: for :math:`\eta_t = 1/t` every partial sum is finite
(:math:`\sum_{t=1}^{10} 1/t = \frac{7381}{2520}`), yet the series diverges
(:math:`\sum_{t=1}^{2^m} 1/t \ge 1 + m/2`) and the squares sum to :math:`\pi^2/6`: the
conditions hold.  For the constant rate :math:`\eta_t = \tfrac{1}{10}` the sums of the squares
up to :math:`T` are :math:`T/100`, finite for every :math:`T`, which the finite-sum reading
accepts; their series diverges, and the conditions fail.

References: H. Robbins and S. Monro, "A stochastic approximation method", Ann. Math. Statist.
22 (1951), 400–407, Theorem 2; K. Knopp, *Theory and Application of Infinite Series* (1951),
sections 13–15.
"""

from __future__ import annotations

from fractions import Fraction

import sympy as sp

from symdl import Derivation
from symdl.optimization.schedules import Constant, InversePower, robbins_monro

t, T = sp.symbols("t T", integer=True, positive=True)
RATE = Fraction(1, 10)


def harmonic(n: int) -> Fraction:
    """:math:`\\sum_{t=1}^{n} 1/t`, exactly."""
    return sum((Fraction(1, k) for k in range(1, n + 1)), Fraction(0))


def lemma_every_finite_sum_is_finite() -> None:
    assert harmonic(10) == Fraction(7381, 2520)
    for steps in (10, 100, 1000):
        assert sum(RATE**2 for _ in range(steps)) == Fraction(steps, 100)
    assert sp.summation(sp.Rational(1, 100), (t, 1, T)) == T / 100


def lemma_the_harmonic_rate_satisfies_the_conditions() -> None:
    # Oresme: each block 2^(m-1) < t <= 2^m adds at least 1/2
    for m in range(1, 13):
        assert harmonic(2**m) >= 1 + Fraction(m, 2)
    assert sp.summation(1 / t, (t, 1, sp.oo)) is sp.oo
    assert sp.summation(1 / t**2, (t, 1, sp.oo)) == sp.pi**2 / 6
    result = robbins_monro(InversePower(1, 1))
    assert bool(result.holds)
    assert result.squares.value == sp.pi**2 / 6


def lemma_a_constant_rate_fails_them() -> None:
    assert sp.summation(sp.Rational(1, 100), (t, 1, sp.oo)) is sp.oo
    result = robbins_monro(Constant(sp.Rational(1, 10)))
    assert not bool(result.holds)
    assert not bool(result.squares.converges)


def derivation() -> Derivation:
    """Partial sums against series, computed."""
    d = Derivation(
        "Finite sums and series of learning rates",
        statement="The harmonic rate $1/t$ and the constant rate $1/10$.",
    )
    d.add(
        "\\sum_{t=1}^{10} \\frac1t",
        sp.Rational(harmonic(10).numerator, harmonic(10).denominator),
        "finite, as every finite sum is",
    )
    d.add(
        "\\sum_{t=1}^{\\infty} \\frac1t", sp.summation(1 / t, (t, 1, sp.oo)), "the series diverges"
    )
    d.add(
        "\\sum_{t=1}^{\\infty} \\frac{1}{t^2}",
        sp.summation(1 / t**2, (t, 1, sp.oo)),
        "the squares converge: both conditions hold",
    )
    d.add(
        "\\sum_{t=1}^{T} \\Bigl(\\frac{1}{10}\\Bigr)^2",
        sp.summation(sp.Rational(1, 100), (t, 1, T)),
        "finite for every $T$",
    )
    d.add(
        "\\sum_{t=1}^{\\infty} \\Bigl(\\frac{1}{10}\\Bigr)^2",
        sp.summation(sp.Rational(1, 100), (t, 1, sp.oo)),
        "the series diverges: the second condition fails",
    )
    return d
