"""Cybenko sums, Bernstein polynomials and the Mhaskar–Liao–Poggio unit counts.
Oracles: Lorentz, Bernstein Polynomials (1953), §1.6 (B_n(t²) = x² + x(1-x)/n, Popoviciu, C²)."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
import sympy as sp

from symdl.approximation.universal import (
    bernstein_polynomial,
    cybenko_error_bound,
    cybenko_sum,
    modulus_of_continuity,
    plot_bernstein,
    plot_cybenko,
    popoviciu_bound,
    second_derivative_bound,
    sup_error,
    unit_counts,
)
from symdl.core.activations import Sigmoid

x = sp.Symbol("x", real=True)
WAVE = sp.sin(2 * sp.pi * x)
LECTURE_DEGREES = (2, 3, 6, 20)


def test_sigmoid_staircase_error_shrinks_and_respects_its_bound() -> None:
    errors = []
    for n in (4, 8, 16, 32):
        g = cybenko_sum(WAVE, x, units=n)
        assert g.units == n
        errors.append(sup_error(WAVE, g.numpy, x))
        omega = modulus_of_continuity(WAVE, x, 1 / n)
        assert errors[-1] <= cybenko_error_bound(omega, units=n, steepness=10 * n)
    assert all(later < earlier for earlier, later in itertools.pairwise(errors))
    assert errors[-1] < 0.05


def test_staircase_expression_matches_its_numpy_form() -> None:
    g = cybenko_sum(WAVE, x, units=5)
    expr = g.expression(x)
    assert expr.has(Sigmoid)
    t = np.linspace(0, 1, 7)
    exact = [float(expr.subs(x, sp.Rational(i, 6))) for i in range(7)]
    assert np.allclose(g.numpy(t), exact, atol=1e-14)


def test_relu_interpolant_is_exact_at_the_nodes_and_meets_the_c2_bound() -> None:
    for n in (4, 16, 64):
        g = cybenko_sum(WAVE, x, units=n, activation="relu")
        expr = g.expression(x)
        for i in range(0, n + 1, max(1, n // 8)):
            node = sp.Rational(i, n)
            assert abs(sp.N(expr.subs(x, node) - WAVE.subs(x, node), 50)) < 1e-45
        # ‖f − interpolant‖ ≤ h²‖f''‖∞/8 with ‖f''‖∞ = 4π²
        assert sup_error(WAVE, g.numpy, x) <= 4 * math.pi**2 / (8 * n**2)


def test_tanh_staircase_equals_the_sigmoid_one() -> None:
    t = np.linspace(0, 1, 101)
    sigmoid = cybenko_sum(WAVE, x, units=6).numpy(t)
    tanh = cybenko_sum(WAVE, x, units=6, activation="tanh").numpy(t)
    assert np.allclose(sigmoid, tanh, atol=1e-13)


def test_cybenko_validation() -> None:
    with pytest.raises(ValueError, match="units"):
        cybenko_sum(WAVE, x, units=0)
    with pytest.raises(ValueError, match="sigmoidal"):
        cybenko_sum(WAVE, x, units=3, activation="softplus")
    y = sp.Symbol("y")
    with pytest.raises(ValueError, match="depends on y"):
        cybenko_sum(x * y, x, units=3)
    with pytest.raises(ValueError, match="not finite"):
        cybenko_sum(1 / x, x, units=3)
    with pytest.raises(TypeError, match="not an activation"):
        cybenko_sum(WAVE, x, units=3, activation=3)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="unknown activation"):
        cybenko_sum(WAVE, x, units=3, activation="bogus")
    with pytest.raises(ValueError, match="steepness"):
        cybenko_error_bound(0.1, units=3, steepness=-1)
    with pytest.raises(TypeError, match="delta"):
        modulus_of_continuity(x, x, "0.1")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="neither"):
        sup_error(x, "x", x)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="not a SymPy expression"):
        bernstein_polynomial("x**2", x, 3)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="n=0"):
        bernstein_polynomial(x**2, x, 0)


@pytest.mark.parametrize("n", [1, *LECTURE_DEGREES])
def test_bernstein_of_t_squared_exactly(n: int) -> None:
    b = bernstein_polynomial(x**2, x, n)
    assert sp.expand(b - (x**2 + x * (1 - x) / n)) == 0
    assert sp.expand(bernstein_polynomial(x, x, n) - x) == 0
    assert sp.expand(bernstein_polynomial(sp.Integer(1), x, n)) == 1
    # sup error exactly 1/(4n), which is ‖f''‖∞/(8n): the C² bound is attained
    assert sup_error(x**2, b, x) == pytest.approx(1 / (4 * n), rel=1e-15)
    assert second_derivative_bound(x**2, x, n) == sp.Rational(1, 4 * n)


def test_bernstein_coefficients_are_exact() -> None:
    b = sp.Poly(bernstein_polynomial(x**3, x, 3), x)
    assert all(c.is_Rational for c in b.all_coeffs())


@pytest.mark.parametrize("n", LECTURE_DEGREES)
def test_popoviciu_and_c2_bounds_hold(n: int) -> None:
    b = bernstein_polynomial(WAVE, x, n)
    error = sup_error(WAVE, b, x)
    assert error <= popoviciu_bound(WAVE, x, n)
    assert error <= float(second_derivative_bound(WAVE, x, n))
    assert second_derivative_bound(WAVE, x, n) == sp.pi**2 / (2 * n)
    kink = sp.Abs(x - sp.S.Half)
    assert sup_error(kink, bernstein_polynomial(kink, x, n), x) <= popoviciu_bound(kink, x, n)


def test_a_bound_too_small_fails() -> None:
    # half the C² bound is violated by t², so the comparison can fail
    n = 6
    error = sup_error(x**2, bernstein_polynomial(x**2, x, n), x)
    assert error > float(second_derivative_bound(x**2, x, n)) / 2


def test_modulus_of_continuity_values() -> None:
    assert modulus_of_continuity(sp.Abs(x - sp.S.Half), x, 0.25) == pytest.approx(0.25)
    assert modulus_of_continuity(sp.sqrt(x), x, 0.09) == pytest.approx(0.3)
    assert modulus_of_continuity(x**2, x, 0.5) == pytest.approx(0.75)
    with pytest.raises(ValueError, match="positive"):
        modulus_of_continuity(x, x, 0)


def test_unit_counts() -> None:
    c = unit_counts(variables=8, smoothness=2, accuracy=sp.Rational(1, 100))
    assert c.shallow == 10**8
    assert c.deep == 700
    n, m, eps = sp.symbols("n m epsilon", positive=True)
    symbolic = unit_counts(variables=n, smoothness=m, accuracy=eps)
    assert symbolic.shallow == eps ** (-n / m)
    assert symbolic.deep.subs({n: 8, m: 2, eps: sp.Rational(1, 100)}) == 700
    lecture = unit_counts(variables=n, smoothness=1, accuracy=eps)
    assert lecture.shallow == eps**-n
    assert lecture.deep == (n - 1) / eps**2
    with pytest.raises(ValueError, match="accuracy"):
        unit_counts(variables=4, smoothness=1, accuracy=2)
    with pytest.raises(ValueError, match="variables"):
        unit_counts(variables=1, smoothness=1, accuracy=sp.Rational(1, 2))
    # text is refused, never parsed
    with pytest.raises(TypeError, match="is text, not a number"):
        unit_counts(variables="__import__('os').getcwd()", smoothness=1, accuracy=0.1)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="accuracy"):
        unit_counts(variables=4, smoothness=1, accuracy="1/10")  # type: ignore[arg-type]


def test_relu_interpolant_keeps_float_values_as_given() -> None:
    # the coefficients are the data's own differences: 1/3 written as a float stays that float
    third = sp.Float("0.333333333333333")
    g = cybenko_sum(third * x, x, units=1, activation="relu")
    assert g.alphas == (third,)


def test_plots() -> None:
    figure = plot_bernstein(WAVE, x)
    assert len(figure.axes[0].get_lines()) == 1 + len(LECTURE_DEGREES)
    figure = plot_cybenko(WAVE, x, units=(4, 8))
    assert [len(ax.get_lines()) for ax in figure.axes] == [3, 3]


def test_unit_counts_take_exact_numbers_only() -> None:
    # the one converter: a float is refused (inexact), a Fraction accepted
    from fractions import Fraction

    with pytest.raises(TypeError, match=r"accuracy=0\.1 is a float"):
        unit_counts(variables=4, smoothness=1, accuracy=0.1)
    c = unit_counts(variables=4, smoothness=1, accuracy=Fraction(1, 10))
    assert c == unit_counts(variables=4, smoothness=1, accuracy=sp.Rational(1, 10))
