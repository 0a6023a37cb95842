"""Tests of the least-squares generalization error."""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp

from symdl.optimization.generalization import (
    ols_expected_test_error,
    ols_expected_training_error,
    ols_generalization_gap,
    simulate_ols_gap,
)


def test_exact_values() -> None:
    assert ols_expected_training_error(10, 2, 4) == sp.Rational(16, 5)
    assert ols_expected_test_error(10, 2, 4) == 4 * (1 + sp.Rational(2, 7))
    assert ols_generalization_gap(10, 2, 4) == 4 * 2 * (sp.Rational(1, 7) + sp.Rational(1, 10))


def test_simulation_matches_exact(rng: np.random.Generator) -> None:
    result = simulate_ols_gap(12, 2, 0.5, replications=4000, rng=rng)
    exact = float(ols_generalization_gap(12, 2, sp.S.Half))
    assert abs(result.gap - exact) < 4 * result.gap_standard_error
    # and a wrong formula (without the 1/n term) is far outside the error bar
    wrong = 0.5 * 2 / (12 - 2 - 1)
    assert abs(result.gap - wrong) > 10 * result.gap_standard_error


def test_held_out_sample_confirms_exact_risk(rng: np.random.Generator) -> None:
    # J = σ² + |ŵ − w|², checked against a large held-out sample.
    w, w_hat, sigma2 = np.array([1.0, -2.0]), np.array([0.7, -1.5]), 0.25
    X = rng.normal(size=(400000, 2))
    y = X @ w + rng.normal(scale=np.sqrt(sigma2), size=400000)
    assert np.mean((y - X @ w_hat) ** 2) == pytest.approx(sigma2 + 0.09 + 0.25, rel=5e-3)


def test_bad_sizes() -> None:
    with pytest.raises(ValueError, match="n ≥ d \\+ 2"):
        ols_expected_test_error(4, 3, 1)
    with pytest.raises(ValueError, match="at least 2"):
        simulate_ols_gap(10, 2, 1.0, replications=1, rng=np.random.default_rng(0))
    with pytest.raises(ValueError, match=r"n=3, d=2: .*n ≥ d \+ 2"):
        simulate_ols_gap(3, 2, 1.0, replications=10, rng=np.random.default_rng(0))
    with pytest.raises(ValueError, match=r"sigma2=-1\.0 is the noise variance"):
        simulate_ols_gap(10, 2, -1.0, replications=10, rng=np.random.default_rng(0))
    with pytest.raises(TypeError, match=r"d=2\.5 must be an integer"):
        simulate_ols_gap(10, 2.5, 1.0, replications=10, rng=np.random.default_rng(0))  # type: ignore[arg-type]
