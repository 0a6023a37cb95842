"""The necessary condition sup|∇f| ≤ C_f.  Oracles: sup|f'| = e^{-1/2} for e^{-x²/2} (at
x = ±1) and 3√3/8 for 1/(1+x²) (at x = ±1/√3)."""

from __future__ import annotations

import dataclasses
import math

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
