r"""The generalization error of least squares with Gaussian data, exactly and by simulation.

For :math:`y = w^T x + \varepsilon` with :math:`x \sim N(0, I_d)` and
:math:`\varepsilon \sim N(0, \sigma^2)`, least squares on :math:`n` examples has the training
error :math:`\hat J = \|y - X\hat w\|^2/n` and the test error
:math:`J = \sigma^2 + \|\hat w - w\|^2`, with

.. math::

    \mathbb{E}\hat J = \sigma^2\,\frac{n - d}{n}, \qquad
    \mathbb{E} J = \sigma^2 \Bigl(1 + \frac{d}{n - d - 1}\Bigr),

so :math:`\mathbb{E}(J - \hat J) = \sigma^2 d \bigl(\frac{1}{n - d - 1} + \frac1n\bigr)` (the
lecture's :math:`\hat J - J` is its negative).  Each step is checked exactly (the risk formula
by Gaussian expectations, the trace of the residual projection, the mean of an inverse
chi-square), and the whole by a simulation.

References: T. W. Anderson, *An Introduction to Multivariate Statistical Analysis* (2003),
section 7.7; T. Hastie, R. Tibshirani, J. Friedman, *The Elements of Statistical Learning*
(2009), section 7.4.
"""

from __future__ import annotations

import numpy as np
import sympy as sp
from sympy import stats

from symdl.optimization.generalization import (
    ols_expected_test_error,
    ols_expected_training_error,
    ols_generalization_gap,
    simulate_ols_gap,
)

sigma = sp.Symbol("sigma", positive=True)


def lemma_exact_risk_of_a_linear_predictor() -> None:
    # J(w_hat) = E (w^T x + eps - w_hat^T x)^2 = sigma^2 + |w - w_hat|^2 for x ~ N(0, I_2).
    x1, x2 = stats.Normal("x1", 0, 1), stats.Normal("x2", 0, 1)
    eps = stats.Normal("eps", 0, sigma)
    d1, d2 = sp.symbols("delta1 delta2", real=True)  # delta = w - w_hat
    risk = stats.E(sp.expand((d1 * x1 + d2 * x2 + eps) ** 2))
    assert sp.simplify(risk - (sigma**2 + d1**2 + d2**2)) == 0


def lemma_training_error_is_a_residual_projection() -> None:
    # tr(I - H) = n - d for a full-rank X: E J_hat = sigma^2 (n - d)/n.
    X = sp.Matrix([[1, 2, 0], [0, 1, 1], [3, -1, 2], [1, 1, 1], [2, 0, -1], [-1, 4, 3]])
    H = X * (X.T * X).inv() * X.T
    assert (H * H - H).is_zero_matrix
    assert (sp.eye(6) - H).trace() == 6 - 3
    assert ols_expected_training_error(6, 3, sigma**2) == sigma**2 * sp.Rational(1, 2)


def lemma_mean_of_inverse_chi_square() -> None:
    # d = 1: X^T X ~ chi^2_n and E 1/chi^2_n = 1/(n - 2), the inverse-Wishart mean.
    for n in (5, 8):
        chi2 = stats.ChiSquared("q", n)
        assert sp.simplify(stats.E(1 / chi2)) == sp.Rational(1, n - 2)
        assert ols_expected_test_error(n, 1, 1) == 1 + sp.Rational(1, n - 2)


def lemma_exact_gap() -> None:
    n, d = sp.symbols("n d", positive=True)
    gap = ols_generalization_gap(n, d, sigma**2)
    assert sp.simplify(gap - sigma**2 * d * (1 / (n - d - 1) + 1 / n)) == 0
    assert ols_generalization_gap(20, 3, 1) == sp.Rational(27, 80)


def lemma_simulation_matches() -> None:
    result = simulate_ols_gap(20, 3, 1.0, replications=6000, rng=np.random.default_rng(5))
    assert abs(result.gap - 27 / 80) < 4 * result.gap_standard_error
    assert abs(result.training_error - 17 / 20) < 0.02
    assert abs(result.test_error - 19 / 16) < 0.03
