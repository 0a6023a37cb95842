"""The necessary condition sup|∇f| ≤ C_f.  Oracles: sup|f'| = e^{-1/2} for e^{-x²/2} (at
x = ±1) and 3√3/8 for 1/(1+x²) (at x = ±1/√3)."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest
import sympy as sp

from symdl.approximation.barron import barron_constant
from symdl.approximation.gradient_bound import check_gradient_bound, max_gradient_norm
from symdl.core.exceptions import SymdlError

x = sp.Symbol("x", real=True)
x1, x2 = sp.symbols("x1 x2", real=True)


def test_a_constant_below_the_gradient_fails_the_check() -> None:
    c = barron_constant(sp.exp(-(x**2) / 2), x)
    assert abs(check_gradient_bound(c) - math.exp(-0.5)) < 1e-9
    with pytest.raises(SymdlError, match="exceeds C_f"):
        check_gradient_bound(dataclasses.replace(c, numeric=0.6))  # e^{-1/2} ≈ 0.6065 > 0.6


def test_gradient_is_below_the_constant() -> None:
    # sup|f'| = e^{-1/2} for the Gaussian, 3√3/8 for 1/(1+x²); C_f is larger in both cases
    slope = max_gradient_norm(sp.exp(-(x**2) / 2), [x])
    assert abs(slope - math.exp(-0.5)) < 1e-9
    assert slope < math.sqrt(2 / math.pi)
    slope = max_gradient_norm(1 / (1 + x**2), [x])
    assert abs(slope - 3 * math.sqrt(3) / 8) < 1e-9
    slope2 = max_gradient_norm(sp.exp(-(x1**2 + x2**2) / 2), [x1, x2])
    assert abs(slope2 - math.exp(-0.5)) < 1e-9


def test_gradient_of_a_non_radial_function_in_all_variables() -> None:
    # e^{-x1²-4x2²}: |∇f| is largest on the x2 axis, 8|x2|e^{-4x2²}, at x2 = 1/(2√2):
    # 2√2 e^{-1/2} (by hand); a search along one line (or a radial profile) would miss it
    slope = max_gradient_norm(sp.exp(-(x1**2) - 4 * x2**2), [x1, x2])
    assert abs(slope - 2 * math.sqrt(2) * math.exp(-0.5)) < 1e-9


def test_gradient_in_three_variables() -> None:
    # e^{-x1²-2x2²-3x3²}: on the x3 axis 6|x3|e^{-3x3²}, largest at x3 = 1/√6: √6 e^{-1/2}
    x3 = sp.Symbol("x3", real=True)
    slope = max_gradient_norm(sp.exp(-(x1**2) - 2 * x2**2 - 3 * x3**2), [x1, x2, x3])
    assert abs(slope - math.sqrt(6) * math.exp(-0.5)) < 1e-7


def test_the_wrong_radial_profile_no_longer_hides_the_gradient() -> None:
    # the wrong-value example: radial-looking at three points; sup|∇f| ≈ 1.786 exceeds √π, the
    # constant the radial route gave, so the check now fails that constant.  The oracle: a
    # fine grid of the gradient, written here with NumPy
    third, seven_fifths = sp.Rational(1, 3), sp.Rational(7, 5)
    f = sp.exp(-(x1**2) - x2**2) * (1 + x2 * (x1 - third) * (x1 + seven_fifths) * (x1 - 2))
    a, b = np.meshgrid(np.linspace(-3, 3, 1201), np.linspace(-3, 3, 1201), indexing="ij")
    p = b * (a - 1 / 3) * (a + 7 / 5) * (a - 2)
    dp_da = b * ((a + 7 / 5) * (a - 2) + (a - 1 / 3) * (a - 2) + (a - 1 / 3) * (a + 7 / 5))
    dp_db = (a - 1 / 3) * (a + 7 / 5) * (a - 2)
    gaussian = np.exp(-(a**2) - b**2)
    grad = np.hypot(gaussian * (-2 * a * (1 + p) + dp_da), gaussian * (-2 * b * (1 + p) + dp_db))
    grid_sup = float(grad.max())
    slope = max_gradient_norm(f, [x1, x2])
    assert grid_sup > math.sqrt(math.pi)
    assert grid_sup - 1e-9 <= slope < grid_sup + 1e-3  # a lower estimate, refined past the grid
    with pytest.raises(SymdlError, match="exceeds C_f"):
        check_gradient_bound(
            dataclasses.replace(
                barron_constant(sp.exp(-(x1**2 + x2**2)), [x1, x2]),
                function=f,
                numeric=math.sqrt(math.pi),
            )
        )
