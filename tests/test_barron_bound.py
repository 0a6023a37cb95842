"""Barron's bound (2 r C_f)²/n and Barron's (1994) estimation trade-off."""

from __future__ import annotations

import pytest
import sympy as sp

from symdl.approximation.barron import barron_constant
from symdl.approximation.bound import barron_bound, estimation_tradeoff

x = sp.Symbol("x", real=True)


def test_barron_bound_values() -> None:
    assert barron_bound(1, 1, 4) == 1
    assert barron_bound(sp.sqrt(2 / sp.pi), 3, 64) == sp.Rational(9, 8) / sp.pi
    assert barron_bound(sp.oo, 1, 10) is sp.oo
    assert barron_bound(barron_constant(1 / (1 + x**2), x), 2, 16) == 1


@pytest.mark.parametrize(
    ("args", "error"),
    [
        ((1, 0, 4), ValueError),
        ((1, -1, 4), ValueError),
        ((1, 1, 0), ValueError),
        ((1, 1, sp.Rational(3, 2)), ValueError),
        ((1, 1, 2.5), TypeError),
        ((-1, 1, 4), ValueError),
        ((float("nan"), 1, 4), ValueError),
        ((1, float("inf"), 4), ValueError),
        ((1, sp.oo, 4), ValueError),
        ((1, float("nan"), 4), ValueError),
        ((1, 1, sp.oo), ValueError),
        ((1, "2", 4), TypeError),
        ((1, 1, "4"), TypeError),
        ((1, 1, True), TypeError),
        (("1", 1, 4), TypeError),
    ],
)
def test_barron_bound_validation(args: tuple[object, object, object], error: type) -> None:
    with pytest.raises(error):
        barron_bound(*args)  # type: ignore[arg-type]


def test_estimation_tradeoff_optimum() -> None:
    t = estimation_tradeoff(sp.Integer(2), dim=3, samples=1000)
    n = sp.Symbol("n", positive=True)
    risk = t.risk(n)
    assert sp.simplify(sp.diff(risk, n).subs(n, t.optimal_neurons)) == 0
    assert sp.simplify(risk.subs(n, t.optimal_neurons) - t.optimal_risk) == 0
    assert sp.simplify(t.optimal_neurons - 2 * sp.sqrt(1000 / (3 * sp.log(1000)))) == 0
    best_integer = min(range(1, 200), key=lambda m: float(t.risk(m)))
    assert abs(best_integer - float(t.optimal_neurons)) < 1
    with pytest.raises(ValueError, match="infinite"):
        estimation_tradeoff(sp.oo, dim=1, samples=100)
    with pytest.raises(ValueError, match="N ≥ 2"):
        estimation_tradeoff(1, dim=1, samples=1)
