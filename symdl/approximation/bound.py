"""Barron's bound :math:`(2 r C_f)^2 / n` and the approximation–estimation trade-off.

Barron (1993, Theorem 1): for :math:`C_f < \\infty` (:mod:`symdl.approximation.barron`), every
probability
measure μ on the ball :math:`B_r` and every n there is an n-neuron sigmoid network
:math:`f_n` with :math:`\\int (f - f_n)^2\\,d\\mu \\le (2 r C_f)^2 / n`.  Barron (1994) adds
the estimation error of a network fitted to N samples, :math:`O((n d / N)\\log N)`, and the
best width balances the two.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import sympy as sp

from symdl.approximation.barron_value import BarronConstant
from symdl.core.exact import FloatConversion, exact_number, positive, positive_integer

__all__ = ["EstimationTradeoff", "barron_bound", "estimation_tradeoff"]


def _constant_value(
    constant: BarronConstant | sp.Expr | float | int, floats: FloatConversion
) -> sp.Expr:
    if isinstance(constant, BarronConstant):
        if constant.exact is not None:
            return constant.exact
        if constant.numeric is None:
            raise ValueError("this BarronConstant has no value (symbolic dimension, no formula)")
        return sp.oo if constant.numeric == math.inf else sp.Float(constant.numeric)
    value = exact_number(constant, name="C_f", floats=floats)
    if value is sp.oo:
        return value
    if value.is_number and not value.is_nonnegative:
        raise ValueError(
            f"C_f={constant!r} is not a number ≥ 0; Barron's constant is ≥ 0 (∞ when infinite)"
        )
    return value


def barron_bound(
    constant: BarronConstant | sp.Expr | float | int,
    r: sp.Expr | float | int,
    n: int | sp.Expr,
    *,
    floats: FloatConversion = FloatConversion.REJECT,
) -> sp.Expr:
    """Barron's bound :math:`(2 r C_f)^2 / n` on :math:`\\int_{B_r} (f - f_n)^2\\,d\\mu`.

    ``constant`` is a :class:`~symdl.approximation.barron_value.BarronConstant` or an exact number
    (``sympy.oo`` allowed: the bound is then ∞); ``r`` > 0 is the radius of the ball; ``n`` ≥ 1 is
    the number of neurons.  The numbers are read by :func:`symdl.core.exact.exact_number`: a float
    is refused unless ``floats`` says how to convert it.

    Examples
    --------
    >>> barron_bound(1, 1, 4)
    1
    >>> barron_bound(sp.sqrt(2 / sp.pi), 2, 16)
    2/pi
    >>> barron_bound(1.0, 0.5, 10, floats=FloatConversion.DECIMAL)
    1/10

    References
    ----------
    Barron (1993), Theorem 1.
    """
    value = _constant_value(constant, floats)
    radius = positive(r, name="r", floats=floats)
    neurons = positive_integer(n, name="n", floats=floats)
    if value is sp.oo:
        return sp.oo
    return (2 * radius * value) ** 2 / neurons


@dataclass(frozen=True)
class EstimationTradeoff:
    """Barron's (1994) trade-off :math:`C_f^2/n + (n d / N)\\log N` (constants set to 1),
    with the best :math:`n^* = C_f (N / (d \\log N))^{1/2}` and the risk there,
    :math:`2 C_f (d \\log N / N)^{1/2}`."""

    constant: sp.Expr
    dim: int
    samples: int
    optimal_neurons: sp.Expr
    optimal_risk: sp.Expr

    def risk(self, n: int | sp.Expr) -> sp.Expr:
        """The bound at ``n`` neurons."""
        neurons = positive_integer(n, name="n") if not isinstance(n, sp.Symbol) else n
        return self.constant**2 / neurons + neurons * self.dim * sp.log(self.samples) / (
            self.samples
        )


def estimation_tradeoff(
    constant: BarronConstant | sp.Expr | float | int,
    *,
    dim: int,
    samples: int,
    floats: FloatConversion = FloatConversion.REJECT,
) -> EstimationTradeoff:
    """The approximation–estimation trade-off of Barron (1994), with the optimal width.

    .. math::

        R(n) = \\frac{C_f^2}{n} + \\frac{n d}{N}\\log N, \\qquad
        n^* = C_f \\Big(\\frac{N}{d \\log N}\\Big)^{1/2}, \\qquad
        R(n^*) = 2 C_f \\Big(\\frac{d \\log N}{N}\\Big)^{1/2}.

    Examples
    --------
    >>> t = estimation_tradeoff(1, dim=1, samples=100)
    >>> t.optimal_neurons
    10/sqrt(log(100))
    >>> sp.simplify(t.risk(sp.Symbol("n", positive=True)).diff().subs(
    ...     sp.Symbol("n", positive=True), t.optimal_neurons))
    0

    References
    ----------
    A. R. Barron, "Approximation and estimation bounds for artificial neural networks",
    Machine Learning 14:115–133, 1994, Theorem 3 (the bound, up to constants).
    """
    value = _constant_value(constant, floats)
    if value is sp.oo or not value.is_finite:
        raise ValueError("C_f is infinite: Barron's trade-off needs C_f < ∞")
    d = int(positive_integer(dim, name="dim"))
    big_n = int(positive_integer(samples, name="samples"))
    if big_n < 2:
        raise ValueError(f"samples={samples!r}: the trade-off needs N ≥ 2 (log N > 0)")
    log_n = sp.log(big_n)
    optimal = value * sp.sqrt(big_n / (d * log_n))
    risk = 2 * value * sp.sqrt(d * log_n / big_n)
    return EstimationTradeoff(value, d, big_n, optimal, risk)
