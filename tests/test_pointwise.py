"""Tests of exact and 50-digit evaluation at a point, against SymPy's own evaluation."""

from __future__ import annotations

from fractions import Fraction

import mpmath
import pytest
import sympy as sp

from symdl.core.activations import Sigmoid
from symdl.referee.pointwise import (
    SingularPointError,
    UnrepresentableError,
    evaluate_at,
    exact_value,
    mp_value,
)

x, y = sp.symbols("x y", real=True)
POINTS = [{x: sp.Rational(3, 7), y: sp.Rational(-5, 2)}, {x: sp.Rational(-11, 3), y: sp.Integer(2)}]


@pytest.mark.parametrize(
    "expr",
    [
        (x**2 - 1) / (x + 1) * y,
        sp.Max(x, y) ** 3 - sp.Min(x, 2 * y) / sp.Abs(y),
        sp.Heaviside(x, 0) * y + sp.sign(y) * x**-2,
    ],
)
def test_rational_functions_are_exact(expr: sp.Expr) -> None:
    for point in POINTS:
        value = exact_value(expr, point)
        expected = expr.subs(point)  # SymPy's own exact evaluation
        assert isinstance(value, Fraction)
        assert sp.Rational(value.numerator, value.denominator) == expected


@pytest.mark.parametrize(
    "expr",
    [sp.tanh(x) * y, Sigmoid(x * y) * (1 - Sigmoid(x * y)), sp.log(x**2 + 1) / sp.exp(y)],
)
def test_transcendental_values_agree_with_sympy_to_fifty_digits(expr: sp.Expr) -> None:
    for point in POINTS:
        assert exact_value(expr, point) is None
        value = mp_value(expr, point, dps=50)
        expected = sp.N(expr.rewrite(sp.exp).subs(point), 60)
        assert abs(sp.Float(value, 60) - expected) < sp.Float(10) ** -48


def test_poles_and_log_zero_are_singular() -> None:
    with pytest.raises(SingularPointError):
        exact_value(1 / (x - 1), {x: sp.Integer(1)})
    with pytest.raises(SingularPointError):
        mp_value(sp.log(x - 1) * sp.tanh(x), {x: sp.Integer(1)})


def test_a_value_too_large_to_compute_is_skipped_not_undefined() -> None:
    # e^e^e^2 ≈ 10^702: its exponential has an argument above MAX_ARGUMENT = 10^8, so the
    # point decides nothing (neither a pole nor a value)
    tower = sp.exp(sp.exp(sp.exp(sp.exp(sp.exp(x)))))
    with pytest.raises(UnrepresentableError, match="at most"):
        mp_value(tower, {x: sp.Integer(2)})
    values = evaluate_at(tower, [{x: sp.Integer(2)}, {x: sp.Integer(-3)}], 50)
    assert values.skipped == {0}
    assert values.mp[0] is None
    assert values.mp[1] is not None


def test_an_exact_value_is_rounded_at_the_asked_precision_not_the_global_one() -> None:
    # mpmath's global precision is 15 digits; the value must carry 50 + 10
    values = evaluate_at(x / 3, [{x: sp.Integer(1)}], 50)
    with mpmath.workdps(80):
        assert abs(values.mp[0] - mpmath.mpf(1) / 3) < mpmath.mpf(10) ** -58


def test_the_kink_convention_is_kept_at_zero() -> None:
    zero = {x: sp.Integer(0)}
    assert exact_value(sp.Heaviside(x, 0), zero) == 0
    assert exact_value(sp.Heaviside(x, sp.S.Half), zero) == Fraction(1, 2)
    assert mp_value(sp.Heaviside(x, 0) * sp.exp(x), zero) == 0


def test_a_rounding_imaginary_part_is_not_a_complex_value() -> None:
    # exp(2 log x) = x^2 for x < 0 through the principal branch; mpmath leaves ~1e-60 of i
    expr = sp.Max(2 * x, sp.exp(2 * sp.log(x)))
    value = mp_value(expr, {x: sp.Rational(-3, 4)})
    with mpmath.workdps(50):
        assert abs(value - mpmath.mpf(9) / 16) < mpmath.mpf(10) ** -45
    with pytest.raises(SingularPointError, match="complex"):
        mp_value(sp.Max(x, sp.sqrt(x)), {x: sp.Integer(-1)})  # sqrt(-1) = i: undefined


def test_piecewise_takes_the_piece_whose_condition_holds() -> None:
    expr = sp.Piecewise((x**2, x < 0), (sp.exp(x), True))
    assert mp_value(expr, {x: sp.Integer(-2)}) == 4
    with mpmath.workdps(50):
        assert abs(mp_value(expr, {x: sp.Integer(1)}) - mpmath.e) < mpmath.mpf(10) ** -45


def test_exact_and_high_precision_values_stay_aligned_with_the_points() -> None:
    # at 997/1009, x^200000 is too large for exact arithmetic and 1/(x - 997/1009) has a pole;
    # at 1/2 the value is exact: it must stay the second point's value
    expr = x**200000 + 1 / (x - sp.Rational(997, 1009))
    values = evaluate_at(expr, [{x: sp.Rational(997, 1009)}, {x: sp.S.Half}], 50)
    assert values.mp[0] is None
    assert values.exact == [
        None,
        Fraction(1, 2**200000) + 1 / (Fraction(1, 2) - Fraction(997, 1009)),
    ]
