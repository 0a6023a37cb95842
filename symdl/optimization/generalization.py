r"""The generalization error of least squares with Gaussian data, exactly and by simulation.

Data :math:`y = w^\top x + \varepsilon` with :math:`x \sim N(0, I_d)` and
:math:`\varepsilon \sim N(0, \sigma^2)` independent; ordinary least squares on :math:`n`
examples, :math:`\hat w = (X^\top X)^{-1} X^\top y`.  The training error and the test error
(the risk) of :math:`\hat w` are

.. math::

    \hat J = \frac1n \|y - X\hat w\|^2, \qquad
    J = \mathbb{E}_{x, y}\,(y - \hat w^\top x)^2 = \sigma^2 + \|\hat w - w\|^2 .

Since :math:`y - X\hat w = (I - H)\varepsilon` with :math:`H` the projection onto the column
space of :math:`X` (trace :math:`d`), :math:`\mathbb{E}\hat J = \sigma^2 (n - d)/n`; since
:math:`\hat w - w = (X^\top X)^{-1} X^\top \varepsilon` and :math:`X^\top X` is Wishart with
:math:`\mathbb{E}(X^\top X)^{-1} = I/(n - d - 1)`,
:math:`\mathbb{E} J = \sigma^2 \bigl(1 + d/(n - d - 1)\bigr)`.  The expected generalization
error is

.. math::

    \mathbb{E}(J - \hat J) = \sigma^2 d \Bigl(\frac{1}{n - d - 1} + \frac1n\Bigr) ,

which the lecture writes with the opposite sign as :math:`\hat J - J < 0`: the training error
underestimates the risk.

References
----------
T. W. Anderson, *An Introduction to Multivariate Statistical Analysis*, 3rd ed., Wiley (2003),
§ 7.7 (the inverted Wishart distribution and its mean).

T. Hastie, R. Tibshirani and J. Friedman, *The Elements of Statistical Learning*, 2nd ed.,
Springer (2009), § 7.4 (optimism of the training error).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import sympy as sp

from symdl.core.network import exact_number

__all__ = [
    "GapSimulation",
    "ols_expected_test_error",
    "ols_expected_training_error",
    "ols_generalization_gap",
    "simulate_ols_gap",
]


def _sizes(n: Any, d: Any) -> tuple[sp.Expr, sp.Expr]:
    n, d = exact_number(n, name="n"), exact_number(d, name="d")
    if n.is_Integer and d.is_Integer and not (d >= 1 and n >= d + 2):
        raise ValueError(
            f"n={n}, d={d}: the expected test error is finite only for n ≥ d + 2 (and d ≥ 1)"
        )
    return n, d


def ols_expected_training_error(n: Any, d: Any, sigma2: Any) -> sp.Expr:
    r""":math:`\mathbb{E}\hat J = \sigma^2 (n - d)/n`.

    Examples
    --------
    >>> ols_expected_training_error(20, 3, 1)
    17/20

    References
    ----------
    Hastie, Tibshirani and Friedman (2009), § 7.4 (tr(I - H) = n - d).
    """
    n, d = _sizes(n, d)
    return exact_number(sigma2, name="sigma2") * (n - d) / n


def ols_expected_test_error(n: Any, d: Any, sigma2: Any) -> sp.Expr:
    r""":math:`\mathbb{E}J = \sigma^2 (1 + d/(n - d - 1))`.

    Examples
    --------
    >>> ols_expected_test_error(20, 3, 1)
    19/16

    References
    ----------
    Anderson (2003), § 7.7 (the mean of the inverted Wishart distribution).
    """
    n, d = _sizes(n, d)
    return exact_number(sigma2, name="sigma2") * (1 + d / (n - d - 1))


def ols_generalization_gap(n: Any, d: Any, sigma2: Any) -> sp.Expr:
    r""":math:`\mathbb{E}(J - \hat J) = \sigma^2 d \bigl(1/(n - d - 1) + 1/n\bigr)`.

    Examples
    --------
    >>> ols_generalization_gap(20, 3, 1)
    27/80
    >>> n, d, s = sp.symbols("n d sigma2", positive=True)
    >>> sp.simplify(ols_generalization_gap(n, d, s) - s * d * (2*n - d - 1) / (n * (n - d - 1)))
    0

    References
    ----------
    Hastie, Tibshirani and Friedman (2009), § 7.4; Anderson (2003), § 7.7.
    """
    gap = ols_expected_test_error(n, d, sigma2) - ols_expected_training_error(n, d, sigma2)
    return sp.simplify(gap)


@dataclass(frozen=True)
class GapSimulation:
    """Monte Carlo means of the training error, the exact test error and their difference."""

    training_error: float
    test_error: float
    gap: float
    gap_standard_error: float
    replications: int


def simulate_ols_gap(
    n: int, d: int, sigma2: float, *, replications: int, rng: np.random.Generator
) -> GapSimulation:
    r"""Simulate least squares ``replications`` times; J by its exact formula per replicate.

    Each replicate draws :math:`w`, then :math:`X` and :math:`y`, fits :math:`\hat w` and
    records :math:`\hat J` and :math:`J = \sigma^2 + \|\hat w - w\|^2`.

    Examples
    --------
    >>> result = simulate_ols_gap(20, 3, 1.0, replications=400, rng=np.random.default_rng(0))
    >>> abs(result.gap - 27 / 80) < 4 * result.gap_standard_error  # the exact value 27/80
    True
    """
    for name, value in (("n", n), ("d", d), ("replications", replications)):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
            raise TypeError(f"{name}={value!r} must be an integer")
    if replications < 2:
        raise ValueError(f"replications={replications}: need at least 2 for a standard error")
    _sizes(int(n), int(d))
    if not np.isfinite(sigma2) or sigma2 <= 0:
        raise ValueError(f"sigma2={sigma2!r} is the noise variance: give a positive number")
    train, test = np.empty(replications), np.empty(replications)
    for r in range(replications):
        w = rng.normal(size=d)
        X = rng.normal(size=(n, d))
        y = X @ w + rng.normal(scale=np.sqrt(sigma2), size=n)
        w_hat, *_ = np.linalg.lstsq(X, y, rcond=None)
        train[r] = np.mean((y - X @ w_hat) ** 2)
        test[r] = sigma2 + np.sum((w_hat - w) ** 2)
    gaps = test - train
    return GapSimulation(
        training_error=float(train.mean()),
        test_error=float(test.mean()),
        gap=float(gaps.mean()),
        gap_standard_error=float(gaps.std(ddof=1) / np.sqrt(replications)),
        replications=replications,
    )
