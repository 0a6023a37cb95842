r"""Soft thresholding: the proximal operator of the :math:`\ell_1` norm, written with ReLUs.

.. math::

    S_\beta(x) = \operatorname{sign}(x)\max(|x| - \beta, 0)
               = \sigma(x - \beta) - \sigma(-x - \beta)
               = \operatorname*{arg\,min}_u \tfrac12 (u - x)^2 + \beta |u| ,

with :math:`\sigma` the ReLU and :math:`\beta > 0`; the non-negative version
:math:`\operatorname*{arg\,min}_{u \ge 0} \tfrac12 (u - x)^2 + \beta u = \sigma(x - \beta)` is a
ReLU with bias :math:`-\beta`, so a ReLU layer :math:`\sigma(W^\top x - \beta)` is one step of a
thresholding pursuit (Papyan, Romano and Elad 2017).  The three regions :math:`x > \beta`,
:math:`|x| \le \beta`, :math:`x < -\beta` are :data:`REGIONS`, each given by a substitution
whose symbols carry the sign assumptions that make SymPy decide every ReLU; a statement about
:math:`S_\beta` is proved exactly by proving it in each region.

References
----------
V. Papyan, Y. Romano and M. Elad, "Convolutional neural networks analyzed via convolutional
sparse coding", JMLR 18 (2017), § 3.

N. Parikh and S. Boyd, "Proximal algorithms", Found. Trends Optim. 1 (2014), § 6.5.2.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import sympy as sp

from symdl.core.activations import get_activation
from symdl.core.exact import exact_number

__all__ = [
    "REGIONS",
    "holds_in_every_region",
    "nonnegative_soft_threshold",
    "proximal_objective",
    "soft_threshold",
    "soft_threshold_numpy",
    "soft_threshold_relu",
]

_relu = get_activation("relu")


def soft_threshold(x: sp.Expr, beta: sp.Expr) -> sp.Expr:
    r""":math:`S_\beta(x) = \operatorname{sign}(x)\max(|x| - \beta, 0)`.

    Examples
    --------
    >>> soft_threshold(sp.Integer(3), sp.Integer(1)), soft_threshold(sp.Rational(-1, 2), 1)
    (2, 0)

    References
    ----------
    Parikh and Boyd (2014), § 6.5.2 (the proximal operator of the :math:`\ell_1` norm).
    """
    x, beta = exact_number(x, name="x"), exact_number(beta, name="beta")
    return sp.sign(x) * sp.Max(sp.Abs(x) - beta, 0)


def soft_threshold_relu(x: sp.Expr, beta: sp.Expr) -> sp.Expr:
    r""":math:`\sigma(x - \beta) - \sigma(-x - \beta)` with symdl's ReLU.

    Examples
    --------
    >>> soft_threshold_relu(sp.Integer(-3), sp.Integer(1))
    -2

    References
    ----------
    Papyan, Romano and Elad (2017), § 3 (soft thresholding as two ReLUs).
    """
    x, beta = exact_number(x, name="x"), exact_number(beta, name="beta")
    return _relu(x - beta) - _relu(-x - beta)


def nonnegative_soft_threshold(x: sp.Expr, beta: sp.Expr) -> sp.Expr:
    r""":math:`\sigma(x - \beta)`: a ReLU with bias :math:`-\beta`.

    Examples
    --------
    >>> nonnegative_soft_threshold(sp.Integer(3), sp.Integer(1)), nonnegative_soft_threshold(
    ...     sp.Integer(-3), sp.Integer(1))
    (2, 0)

    References
    ----------
    Papyan, Romano and Elad (2017), § 3 (the ReLU layer as a non-negative thresholding step).
    """
    x, beta = exact_number(x, name="x"), exact_number(beta, name="beta")
    return _relu(x - beta)


def proximal_objective(u: sp.Expr, x: sp.Expr, beta: sp.Expr) -> sp.Expr:
    r""":math:`\tfrac12 (u - x)^2 + \beta |u|`, minimised over :math:`u` by :math:`S_\beta(x)`.

    Examples
    --------
    >>> proximal_objective(sp.Integer(2), sp.Integer(3), sp.Integer(1))  # at u = S_1(3)
    5/2

    References
    ----------
    Parikh and Boyd (2014), § 6.5.2.
    """
    u, x, beta = (
        exact_number(u, name="u"),
        exact_number(x, name="x"),
        exact_number(beta, name="beta"),
    )
    return (u - x) ** 2 / 2 + beta * sp.Abs(u)


def soft_threshold_numpy(x: np.ndarray, beta: float) -> np.ndarray:
    """The NumPy soft threshold (for numeric checks).

    Examples
    --------
    >>> soft_threshold_numpy(np.array([-2.0, 0.5, 3.0]), 1.0).tolist()
    [-1.0, 0.0, 2.0]

    References
    ----------
    Parikh and Boyd (2014), § 6.5.2.
    """
    result: np.ndarray = np.sign(x) * np.maximum(np.abs(x) - beta, 0.0)
    return result


beta = sp.Symbol("beta", positive=True)
_s = sp.Symbol("s", positive=True)
_m = sp.Symbol("mu", nonnegative=True)

REGIONS: dict[str, sp.Expr] = {
    "x > beta": beta + _s,
    "0 < x <= beta": beta / (1 + _m),
    "x = 0": sp.Integer(0),
    "-beta <= x < 0": -beta / (1 + _m),
    "x < -beta": -beta - _s,
}
r"""The real line cut into regions, each an expression in :math:`\beta > 0`, :math:`s > 0`,
:math:`\mu \ge 0` that covers it exactly (:math:`\beta/(1 + \mu)` runs over
:math:`(0, \beta]` as :math:`\mu` runs over :math:`[0, \infty)`)."""


def holds_in_every_region(statement: Callable[[sp.Expr], sp.Expr]) -> bool:
    r"""Whether ``statement(x)`` simplifies to 0 in every region of :data:`REGIONS`.

    Examples
    --------
    >>> holds_in_every_region(lambda x: soft_threshold(x, beta) - soft_threshold_relu(x, beta))
    True
    >>> holds_in_every_region(lambda x: soft_threshold(x, beta) - sp.Max(x - beta, 0))
    False
    """
    return all(sp.simplify(statement(x)) == 0 for x in REGIONS.values())
