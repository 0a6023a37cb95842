"""Tests of soft thresholding and its ReLU and proximal forms."""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp

from symdl.optimization.thresholding import (
    REGIONS,
    beta,
    holds_in_every_region,
    nonnegative_soft_threshold,
    proximal_objective,
    soft_threshold,
    soft_threshold_numpy,
    soft_threshold_relu,
)


def test_exact_values() -> None:
    b = sp.Rational(1, 2)
    xs = [sp.Rational(k, 4) for k in range(-12, 13)]
    for x in xs:
        expected = x - b if x > b else (x + b if x < -b else 0)
        assert soft_threshold(x, b) == expected
        assert soft_threshold_relu(x, b) == expected
        assert nonnegative_soft_threshold(x, b) == max(x - b, 0)


def test_regions_cover_and_the_checker_can_fail() -> None:
    assert len(REGIONS) == 5
    assert holds_in_every_region(lambda x: soft_threshold(x, beta) - soft_threshold_relu(x, beta))
    # A threshold off by beta/100 must fail.
    assert not holds_in_every_region(
        lambda x: soft_threshold(x, beta) - soft_threshold_relu(x, beta * sp.Rational(101, 100))
    )


def test_numpy_matches_brute_force_prox() -> None:
    grid = np.linspace(-4, 4, 80001)
    for x in (-2.5, -0.3, 0.0, 0.8, 3.1):
        objective = 0.5 * (grid - x) ** 2 + 0.75 * np.abs(grid)
        assert abs(grid[objective.argmin()] - soft_threshold_numpy(np.array(x), 0.75)) < 2e-4


def test_proximal_objective_minimum() -> None:
    u = sp.Symbol("u", real=True)
    x, b = sp.Rational(3), sp.Rational(1)
    star = soft_threshold(x, b)
    assert proximal_objective(star, x, b) == sp.Rational(5, 2)
    assert all(proximal_objective(v, x, b) >= sp.Rational(5, 2) for v in (0, 1, 2, 3, -1))
    assert sp.diff(proximal_objective(u, x, b), u).subs(u, star) == 0


def test_text_and_floats_are_refused() -> None:
    with pytest.raises(TypeError, match=r"x='__import__\(\"os\"\)'.*not a number"):
        soft_threshold('__import__("os")', 1)
    with pytest.raises(TypeError, match=r"beta='1'.*not a number"):
        soft_threshold_relu(sp.Integer(2), "1")
    with pytest.raises(TypeError, match=r"beta=0\.5 is a float"):
        nonnegative_soft_threshold(sp.Integer(2), 0.5)
    with pytest.raises(TypeError, match=r"u='x'.*not a number"):
        proximal_objective("x", 1, 1)
