r"""Soft thresholding is a difference of two ReLUs and the proximal operator of the absolute value.

For :math:`\beta > 0`,

.. math::

    S_\beta(x) = \operatorname{sign}(x) \max(|x| - \beta, 0)
    = \operatorname{ReLU}(x - \beta) - \operatorname{ReLU}(-x - \beta),

and :math:`S_\beta(x)` is the unique minimiser of
:math:`F(u) = \tfrac12 (u - x)^2 + \beta |u|`; indeed
:math:`F(u) \ge F(S_\beta(x)) + \tfrac12 \bigl(u - S_\beta(x)\bigr)^2` for every real
:math:`u`.  The non-negative version, the minimiser of :math:`\tfrac12 (u - x)^2 + \beta u`
over :math:`u \ge 0`, is :math:`\operatorname{ReLU}(x - \beta)`: a ReLU unit with bias
:math:`-\beta`, so a ReLU layer :math:`\operatorname{ReLU}(W^T x - \beta)` is one step of a
non-negative thresholding pursuit.  Each fact is proved exactly on each region of :math:`x`
(:math:`x > \beta`, :math:`0 < x \le \beta`, :math:`x = 0`, :math:`-\beta \le x < 0`,
:math:`x < -\beta`) and of :math:`u` (:math:`u > 0`, :math:`u = 0`, :math:`u < 0`), and checked
numerically on a grid.

References: V. Papyan, Y. Romano, M. Elad, "Convolutional neural networks analyzed via
convolutional sparse coding", JMLR 18 (2017), section 3; N. Parikh and S. Boyd, "Proximal
algorithms" (2014), section 6.5.2.
"""

from __future__ import annotations

import numpy as np
import sympy as sp

from symdl.core.network import Network
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

v = sp.Symbol("v", positive=True)
U_CASES = (v, sp.Integer(0), -v)  # u > 0, u = 0, u < 0


def _nonnegative(expr: sp.Expr) -> bool:
    return any(form.is_nonnegative for form in (sp.factor(expr), sp.expand(expr), expr))


def lemma_difference_of_two_relus() -> None:
    assert holds_in_every_region(lambda x: soft_threshold(x, beta) - soft_threshold_relu(x, beta))
    values = {name: sp.simplify(soft_threshold(x, beta)) for name, x in REGIONS.items()}
    s = sp.Symbol("s", positive=True)
    assert values == {
        "x > beta": s,
        "0 < x <= beta": 0,
        "x = 0": 0,
        "-beta <= x < 0": 0,
        "x < -beta": -s,
    }


def lemma_proximal_characterisation() -> None:
    # F(u) - F(u*) - (u - u*)^2 / 2 >= 0 for all u: u* is the unique minimiser (strong convexity).
    for x in REGIONS.values():
        star = sp.simplify(soft_threshold(x, beta))
        for u in U_CASES:
            excess = proximal_objective(u, x, beta) - proximal_objective(star, x, beta)
            assert _nonnegative(sp.simplify(excess - (u - star) ** 2 / 2)), (x, u)


def lemma_nonnegative_version_is_a_biased_relu() -> None:
    # argmin over u >= 0 of (u - x)^2/2 + beta u is relu(x - beta).
    for x in REGIONS.values():
        star = sp.simplify(nonnegative_soft_threshold(x, beta))
        assert star.is_nonnegative
        for u in (v, sp.Integer(0)):
            excess = (u - x) ** 2 / 2 + beta * u - ((star - x) ** 2 / 2 + beta * star)
            assert _nonnegative(sp.simplify(excess - (u - star) ** 2 / 2)), (x, u)
    layer = Network.mlp([2, 2], "relu", weights=[[[1, 0], [0, 1]]], biases=[[-beta, -beta]])
    x1, x2 = sp.symbols("x_1 x_2", real=True)
    assert layer.forward([x1, x2]) == sp.Matrix(
        [nonnegative_soft_threshold(x1, beta), nonnegative_soft_threshold(x2, beta)]
    )


def lemma_numeric_check_by_brute_force() -> None:
    grid = np.linspace(-5, 5, 200001)  # candidate minimisers u, spacing 5e-5
    for b in (0.5, 1.3):
        for x in (-3.2, -1.0, -0.4, 0.0, 0.7, 1.3, 2.9):
            objective = 0.5 * (grid - x) ** 2 + b * np.abs(grid)
            assert abs(grid[objective.argmin()] - soft_threshold_numpy(np.array(x), b)) < 1e-4
            exact = float(soft_threshold_relu(sp.Rational(str(x)), sp.Rational(str(b))))
            assert abs(exact - float(soft_threshold_numpy(np.array(x), b))) < 1e-15
