"""The necessary condition :math:`\\sup|\\nabla f| \\le C_f`: a sanity check of every constant.

Since :math:`\\nabla f(x) = \\int i\\omega\\, e^{i\\omega\\cdot x} \\hat f(\\omega)\\,d\\omega`,
:math:`|\\nabla f(x)| \\le \\int |\\omega||\\hat f(\\omega)|\\,d\\omega = C_f` (Barron 1993,
Section III).  A computed :math:`C_f` below the steepest slope of ``f`` is wrong.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import sympy as sp

from symdl.approximation.barron_value import BarronConstant
from symdl.approximation.hankel import radial_profile
from symdl.core.exceptions import NotSupportedError, SymdlError
from symdl.core.limits import deadline
from symdl.core.notation import plain_expr

__all__ = ["check_barron_gradient_bound", "check_gradient_bound", "max_gradient_norm"]


def _sup_on_grid(norm: Callable[..., Any], grids: Sequence[np.ndarray], rounds: int = 4) -> float:
    """The largest finite value of ``norm`` on the tensor grid, then on finer grids around the
    best few points (each round shrinks the spacing twentyfold): a lower estimate of the sup."""

    def values(axes: Sequence[np.ndarray]) -> tuple[np.ndarray, list[np.ndarray]]:
        mesh = list(np.meshgrid(*axes, indexing="ij"))
        with np.errstate(all="ignore"):
            found = np.abs(np.broadcast_to(np.asarray(norm(*mesh), dtype=float), mesh[0].shape))
        return np.where(np.isfinite(found), found, -1.0), mesh

    found, mesh = values(grids)
    best = float(found.max(initial=0.0))
    steps = [float(axis[1] - axis[0]) for axis in grids]
    candidates = np.argsort(found, axis=None)[-5:]
    for index in candidates:
        where = np.unravel_index(index, found.shape)
        centre = [float(m[where]) for m in mesh]
        spacing = list(steps)
        for _ in range(rounds):
            axes = [
                np.linspace(c - 2 * h, c + 2 * h, 41) for c, h in zip(centre, spacing, strict=True)
            ]
            local, local_mesh = values(axes)
            peak = np.unravel_index(int(np.argmax(local)), local.shape)
            best = max(best, float(local[peak]))
            centre = [float(m[peak]) for m in local_mesh]
            spacing = [h / 10 for h in spacing]
    return best


def max_gradient_norm(
    f: sp.Expr, variables: Sequence[sp.Symbol], *, seconds: float = 30.0
) -> float:
    """:math:`\\sup |\\nabla f|`, estimated on a grid of :math:`[-20, 20]^d` refined around its
    largest values: a lower estimate.

    The gradient is taken in all the variables.  For a function proved radial
    (:func:`~symdl.approximation.hankel.radial_profile`) the search runs along the first axis
    only, where :math:`|\\nabla f|` takes all its values; any other function is searched in
    all of :math:`[-20, 20]^d` (d ≤ 3).

    Raises
    ------
    NotSupportedError
        More than three variables, for a function not proved radial.
    TimeLimitExceededError
        The search took more than ``seconds``.

    Examples
    --------
    >>> x = sp.Symbol("x", real=True)
    >>> round(max_gradient_norm(sp.exp(-x**2 / 2), [x]), 6)  # e^{-1/2}
    0.606531
    >>> x1, x2 = sp.symbols("x1 x2", real=True)
    >>> round(max_gradient_norm(sp.exp(-x1**2 - 4 * x2**2), [x1, x2]), 6)  # 4 e^{-1/2}/√2
    1.715528
    """
    variables = list(variables)
    with deadline(seconds):
        gradient = [sp.diff(f, v) for v in variables]
        norm = sp.sqrt(sum(sp.Abs(g) ** 2 for g in gradient))
        if len(variables) == 1:
            fn = sp.lambdify(variables, norm, modules="numpy")
            return _sup_on_grid(fn, [np.linspace(-20.0, 20.0, 400_001)])
        if radial_profile(f, variables, seconds=seconds) is not None:
            t = sp.Symbol("t", real=True)
            on_axis = norm.subs({variables[0]: t, **dict.fromkeys(variables[1:], 0)})
            fn = sp.lambdify([t], on_axis, modules="numpy")
            return _sup_on_grid(fn, [np.linspace(-20.0, 20.0, 400_001)])
        points = {2: 801, 3: 121}.get(len(variables))
        if points is None:
            raise NotSupportedError(
                f"max_gradient_norm searches at most three variables for a function not proved "
                f"radial; f = {plain_expr(f)} has {len(variables)}"
            )
        fn = sp.lambdify(variables, norm, modules="numpy")
        return _sup_on_grid(fn, [np.linspace(-20.0, 20.0, points)] * len(variables))


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
    if slope > (constant.numeric + constant.error) * (1 + 1e-12):
        raise SymdlError(
            f"sup|∇f| = {slope} exceeds C_f = {constant.numeric} for f = "
            f"{plain_expr(constant.function)}: "
            "impossible (|∇f| ≤ C_f); the constant is wrong"
        )
    return slope


#: The name before, too close to :func:`symdl.grading.answers.check_gradient`.
check_gradient_bound = check_barron_gradient_bound
