"""The necessary condition :math:`\\sup|\\nabla f| \\le C_f`: a sanity check of every constant.

Since :math:`\\nabla f(x) = \\int i\\omega\\, e^{i\\omega\\cdot x} \\hat f(\\omega)\\,d\\omega`,
:math:`|\\nabla f(x)| \\le \\int |\\omega||\\hat f(\\omega)|\\,d\\omega = C_f` (Barron 1993,
Section III).  A computed :math:`C_f` below the steepest slope of ``f`` is wrong.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import sympy as sp

from symdl.approximation.barron_value import BarronConstant
from symdl.approximation.hankel import radial_profile
from symdl.core.exceptions import NotSupportedError, SymdlError

__all__ = ["check_barron_gradient_bound", "check_gradient_bound", "max_gradient_norm"]


def max_gradient_norm(f: sp.Expr, variables: Sequence[sp.Symbol]) -> float:
    """:math:`\\sup |\\nabla f|`, estimated on a fine grid of :math:`[-20, 20]` (along a line
    through 0 for a radial ``f``) refined around its maximum: a lower estimate.

    Examples
    --------
    >>> x = sp.Symbol("x", real=True)
    >>> round(max_gradient_norm(sp.exp(-x**2 / 2), [x]), 6)  # e^{-1/2}
    0.606531
    """
    variables = list(variables)
    if len(variables) == 1:
        line = sp.Symbol("t", real=True)
        derivative = sp.diff(f.subs(variables[0], line), line)
    else:
        profile = radial_profile(f, variables)
        if profile is None:
            raise NotSupportedError(f"max_gradient_norm needs a radial f in {len(variables)} D")
        g, r = profile
        line = sp.Symbol("t", real=True)
        derivative = sp.diff(g, r).subs(r, sp.Abs(line))
    fn = sp.lambdify(line, derivative, modules="numpy")
    grid = np.linspace(-20.0, 20.0, 400_001)
    best = 0.0
    for _ in range(4):  # zoom in around the largest value: the grid error shrinks 1000-fold
        values = np.abs(np.broadcast_to(np.asarray(fn(grid), dtype=float), grid.shape))
        peak = int(np.argmax(values))
        best = max(best, float(values[peak]))
        step = grid[1] - grid[0]
        grid = np.linspace(grid[peak] - 2 * step, grid[peak] + 2 * step, 4001)
    return best


def check_barron_gradient_bound(constant: BarronConstant) -> float:
    """Check the necessary condition :math:`\\sup|\\nabla f| \\le C_f` and return the sup.

    Since :math:`\\nabla f(x) = \\int i\\omega\\, e^{i\\omega\\cdot x} \\hat f(\\omega)\\,d\\omega`,
    :math:`|\\nabla f(x)| \\le \\int |\\omega||\\hat f(\\omega)|\\,d\\omega = C_f` (Barron 1993,
    Section III).  :func:`~symdl.approximation.barron.barron_constant` runs this check on every
    finite result.

    Raises
    ------
    SymdlError
        The gradient exceeds the constant: the constant is wrong.

    Examples
    --------
    >>> from symdl.approximation.barron import barron_constant
    >>> x = sp.Symbol("x", real=True)
    >>> round(check_barron_gradient_bound(barron_constant(1 / (1 + x**2), x)), 9)  # 3√3/8
    0.649519053
    """
    if constant.numeric is None or not constant.finite:
        return math.nan
    slope = max_gradient_norm(constant.function, constant.variables)
    if slope > constant.numeric * (1 + 1e-12):
        raise SymdlError(
            f"sup|∇f| = {slope} exceeds C_f = {constant.numeric} for f = {constant.function}: "
            "impossible (|∇f| ≤ C_f); the constant is wrong"
        )
    return slope


#: The name before, too close to :func:`symdl.grading.answers.check_gradient`.
check_gradient_bound = check_barron_gradient_bound
