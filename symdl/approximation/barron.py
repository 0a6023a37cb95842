"""Barron's constant :math:`C_f`, and deciding whether it is finite.

For :math:`f(x) = \\int e^{i\\omega\\cdot x} \\hat f(\\omega)\\,d\\omega` on
:math:`\\mathbb{R}^d` (the convention of :mod:`symdl.approximation.fourier`),

.. math::

    C_f = \\int_{\\mathbb{R}^d} |\\omega|\\,|\\hat f(\\omega)|\\,d\\omega .

Barron (1993, Theorem 1; the bound is in :mod:`symdl.approximation.bound`): if
:math:`C_f < \\infty`, then for every sigmoidal :math:`\\phi`, every probability measure
:math:`\\mu` on the ball :math:`B_r` and every :math:`n \\ge 1` there is a network
:math:`f_n(x) = \\sum_{k=1}^n c_k \\phi(a_k\\cdot x + b_k) + c_0` with

.. math::

    \\int_{B_r} (f - f_n)^2\\,d\\mu \\le \\frac{(2 r C_f)^2}{n} .

Whether :math:`C_f` is finite is *decided* (:mod:`symdl.approximation.finiteness`), never read off a
quadrature: a kink or a jump gives :math:`C_f = \\infty` even when ``f`` has no Fourier
transform at all (:math:`|x|`, a step), and otherwise the decay of the transform decides.
"""

from __future__ import annotations

from collections.abc import Sequence

import sympy as sp

from symdl.approximation.barron_line import barron_constant_line
from symdl.approximation.barron_multivariate import barron_constant_multivariate
from symdl.approximation.barron_radial import barron_constant_radial
from symdl.approximation.barron_value import BarronConstant
from symdl.approximation.finiteness import smoothness_defect
from symdl.approximation.fourier import validate_function
from symdl.approximation.gradient_bound import (
    check_barron_gradient_bound,
    check_gradient_bound,
    max_gradient_norm,
)
from symdl.approximation.hankel import radial_profile
from symdl.core.limits import deadline

__all__ = [
    "BarronConstant",
    "barron_constant",
    "barron_constant_multivariate",
    "barron_constant_radial",
    "check_barron_gradient_bound",
    "check_gradient_bound",
    "max_gradient_norm",
    "radial_profile",
    "smoothness_defect",
]


def barron_constant(
    f: sp.Expr, variables: sp.Symbol | Sequence[sp.Symbol], *, seconds: float = 60.0
) -> BarronConstant:
    """Barron's constant :math:`C_f = \\int |\\omega|\\,|\\hat f(\\omega)|\\,d\\omega`.

    One variable: through the 1-D transform of
    :func:`symdl.approximation.fourier.fourier_transform`.
    Several: when ``f`` is *proved* radial (:func:`~symdl.approximation.hankel.radial_profile`),
    through :func:`~symdl.approximation.barron_radial.barron_constant_radial`; otherwise
    through :func:`~symdl.approximation.barron_multivariate.barron_constant_multivariate`
    (functions of a quadratic form, polynomials times Gaussians, products of functions of
    one variable).  Finiteness is decided from smoothness and from the decay of the
    transform; the numeric value has an error estimate and is compared with the exact one;
    the necessary condition :math:`\\sup|\\nabla f| \\le C_f` is checked.

    Raises
    ------
    ValueError
        ``f`` has no Fourier transform as a function (it grows, does not decay, has a pole),
        or depends on symbols that are not ``variables``.
    NotSupportedError
        The transform of ``f``, or the finiteness of its constant, is out of reach.
    TimeLimitExceededError
        The computation took more than ``seconds``.

    Examples
    --------
    >>> x = sp.Symbol("x", real=True)
    >>> c = barron_constant(sp.exp(-x**2 / 2), x)
    >>> c.exact, round(c.numeric, 15)
    (sqrt(2)/sqrt(pi), 0.797884560802865)
    >>> barron_constant(1 / (1 + x**2), x).exact
    1
    >>> barron_constant(sp.exp(-abs(x)), x).exact
    oo
    >>> x1, x2 = sp.symbols("x1 x2", real=True)
    >>> barron_constant((1 + x1**2 + x2**2) ** -2, [x1, x2]).exact
    3*pi/4

    References
    ----------
    A. R. Barron, "Universal approximation bounds for superpositions of a sigmoidal
    function", IEEE Trans. Inf. Theory 39(3):930–945, 1993, eq. (3) and Section IX.
    """
    variables = (variables,) if isinstance(variables, sp.Symbol) else tuple(variables)
    if not variables:
        raise ValueError("variables is empty; pass the Symbol (or Symbols) f is a function of")
    f = validate_function(f, variables, real=True)
    with deadline(seconds):
        if len(variables) == 1:
            return barron_constant_line(f, variables[0])
        profile = radial_profile(f, variables, seconds=seconds)
        if profile is None:  # not proved radial: the general route, never the radial one
            return barron_constant_multivariate(f, variables, seconds=seconds)
        g, r = profile
        return barron_constant_radial(
            g, r, dim=len(variables), function=f, variables=variables, seconds=seconds
        )
