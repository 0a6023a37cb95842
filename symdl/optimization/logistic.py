r"""Logistic regression: the convex, smooth, Lipschitz problem of the stability experiment.

Examples :math:`z = (x, y)` with :math:`x \in \mathbb{R}^d`, :math:`\|x\| \le 1`, and
:math:`y \in \{-1, +1\}`; the loss of parameters :math:`w` on one example is

.. math::

    f(w; z) = \ell(y \langle w, x \rangle), \qquad \ell(u) = \log(1 + e^{-u}),
    \qquad \nabla_w f = -\,y\,\sigma(-y\langle w, x\rangle)\, x ,

with :math:`\sigma` the logistic sigmoid.  Since :math:`|\ell'| < 1` and
:math:`0 < \ell'' \le 1/4`, :math:`f(\cdot; z)` is convex, 1-Lipschitz and :math:`1/4`-smooth
(Hardt et al. 2016, § 3.1).  Data are drawn from the logistic model
:math:`P(y = 1 \mid x) = \sigma(\langle w^\star, x\rangle)`.

References
----------
M. Hardt, B. Recht and Y. Singer, "Train faster, generalize better", ICML 2016, § 3.1.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import sympy as sp

from symdl.optimization.stochastic_gradient import Gradient

__all__ = [
    "LogisticData",
    "logistic_data",
    "logistic_gradient",
    "logistic_loss",
    "logistic_losses",
]


def logistic_loss(u: sp.Symbol) -> sp.Expr:
    r"""The logistic loss :math:`\ell(u) = \log(1 + e^{-u})` of the margin :math:`u`.

    Examples
    --------
    >>> u = sp.Symbol("u", real=True)
    >>> logistic_loss(u).subs(u, 0), sp.diff(logistic_loss(u), u).subs(u, 0)
    (log(2), -1/2)

    References
    ----------
    Hardt, Recht and Singer (2016), § 3.1 (a convex, 1-Lipschitz, 1/4-smooth loss).
    """
    return sp.log(1 + sp.exp(-u))


@dataclass(frozen=True)
class LogisticData:
    """A data set: inputs ``X`` of shape ``(n, d)`` and labels ``y`` in {-1, +1}."""

    X: np.ndarray
    y: np.ndarray

    def __post_init__(self) -> None:
        if self.X.ndim != 2 or self.y.shape != (self.X.shape[0],):
            raise ValueError(
                f"X must have shape (n, d) and y shape (n,); got {self.X.shape} and {self.y.shape}"
            )
        if not np.isin(self.y, (-1, 1)).all():
            bad = sorted(set(self.y[~np.isin(self.y, (-1, 1))].tolist()))
            raise ValueError(
                f"labels y must be -1 or +1; got {bad} (map 0/1 labels with y = 2 * y01 - 1)"
            )


def logistic_data(n: int, truth: np.ndarray, rng: np.random.Generator) -> LogisticData:
    r"""``n`` examples with :math:`\|x\| \le 1` and labels from the logistic model of ``truth``.

    :math:`x` is Gaussian with covariance :math:`I/d`, shrunk into the unit ball.

    Examples
    --------
    >>> data = logistic_data(4, np.array([1.0, -1.0]), np.random.default_rng(0))
    >>> data.X.shape, bool((np.linalg.norm(data.X, axis=1) <= 1).all()), set(data.y) <= {-1, 1}
    ((4, 2), True, True)
    """
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
        raise ValueError(f"n={n!r} must be a positive integer (the number of examples)")
    d = truth.size
    X = rng.normal(scale=1 / np.sqrt(d), size=(n, d))
    X /= np.maximum(1.0, np.linalg.norm(X, axis=1))[:, None]
    probability = 1 / (1 + np.exp(-X @ truth))
    y = np.where(rng.random(n) < probability, 1, -1)
    return LogisticData(X, y)


def _softplus_neg(margin: np.ndarray) -> np.ndarray:
    # log(1 + e^{-m}) without overflow for large |m|.
    return np.logaddexp(0.0, -margin)


def logistic_losses(w: np.ndarray, data: LogisticData) -> np.ndarray:
    """The loss of ``w`` on every example, shape ``(n,)``.

    Examples
    --------
    >>> data = LogisticData(np.array([[1.0, 0.0], [0.0, 1.0]]), np.array([1, -1]))
    >>> logistic_losses(np.zeros(2), data).round(6).tolist()  # log 2 each
    [0.693147, 0.693147]
    """
    return _softplus_neg(data.y * (data.X @ w))


def logistic_gradient(data: LogisticData) -> Gradient:
    r"""The mean gradient :math:`\frac1m \sum_{i \in B} \nabla_w f(w; z_i)` as a function of (w, B).

    Examples
    --------
    >>> data = LogisticData(np.array([[1.0, 0.0]]), np.array([1]))
    >>> logistic_gradient(data)(np.zeros(2), np.array([0])).tolist()
    [-0.5, 0.0]

    References
    ----------
    Hardt, Recht and Singer (2016), § 3.1.
    """

    def gradient(w: np.ndarray, batch: np.ndarray) -> np.ndarray:
        X, y = data.X[batch], data.y[batch]
        margin = y * (X @ w)
        # -y σ(-m) with σ(-m) = exp(-log(1 + e^m)): no overflow for large margins;
        # + 0.0 turns -0.0 into 0.0
        weight = -y * np.exp(-np.logaddexp(0.0, margin)) + 0.0
        mean: np.ndarray = (weight[:, None] * X).mean(axis=0)
        return mean

    return gradient
