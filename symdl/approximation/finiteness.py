r"""Deciding whether Barron's constant is finite, without trusting a truncated integral.

:math:`C_f = \int |\omega|\,|\hat f(\omega)|\,d\omega < \infty` forces
:math:`|\nabla f| \le C_f` and :math:`f \in C^1`, because :math:`\nabla f` is the transform
of the integrable :math:`i\omega\hat f` (Barron 1993, Section III).  So a jump or a kink
gives :math:`C_f = \infty` (:func:`smoothness_defect`).  Otherwise the decay of the transform
decides (:func:`decay_verdict`): in one dimension :math:`\omega^2 |\hat f(\omega)| \not\to 0`
makes the integral diverge and :math:`|\omega|^{5/2} |\hat f(\omega)| \to 0` makes it
converge.  When SymPy's limits cannot say, integrable derivatives of ``f`` bound the transform
(:func:`integrable_images`, :func:`smooth_radial_profile`).  A quadrature's output never
decides: ``mpmath.quad`` returns about 29.24 for the divergent :math:`C_f` of
:math:`e^{-|x|}`.

References
----------
A. R. Barron, "Universal approximation bounds for superpositions of a sigmoidal function",
IEEE Trans. Inf. Theory 39(3):930–945, 1993, Section III
(:math:`C_f < \infty \Rightarrow |\nabla f| \le C_f`) and Section IX (examples).
"""

from __future__ import annotations

from collections.abc import Callable

import mpmath
import sympy as sp

from symdl.approximation.fourier import SYMPY_SECONDS, break_points
from symdl.core.limits import TimeLimitExceededError, deadline

__all__ = [
    "decay_verdict",
    "integrable_images",
    "smooth_radial_profile",
    "smoothness_defect",
]


def smoothness_defect(f: sp.Expr, x: sp.Symbol) -> str | None:
    """Where ``f`` fails to be :math:`C^1` on the line, or ``None``.

    At each of :func:`symdl.approximation.fourier_quadrature.break_points`, the one-sided values of
    ``f`` and ``f'`` are compared at :math:`p \\pm 10^{-30}` with 60-digit arithmetic (each side is
    analytic, so the difference is the jump up to :math:`O(10^{-30})`).

    Examples
    --------
    >>> x = sp.Symbol("x", real=True)
    >>> smoothness_defect(sp.exp(-abs(x)), x)
    "f' jumps at x = 0 (from 1.0 to -1.0)"
    >>> smoothness_defect(abs(x)**3 * sp.exp(-x**2), x) is None
    True
    """
    derivative = sp.diff(f, x)
    for point in break_points(f, x):
        for name, g in (("f", f), ("f'", derivative)):
            fn = sp.lambdify(x, g, modules="mpmath")
            with mpmath.workdps(60):
                p, eps = mpmath.mpf(sp.N(point, 60)), mpmath.mpf(10) ** -30
                left, right = fn(p - eps), fn(p + eps)
                if abs(left - right) > mpmath.mpf(10) ** -15:
                    return (
                        f"{name} jumps at {x} = {point} "
                        f"(from {float(left):.1f} to {float(right):.1f})"
                    )
    return None


def _limit_is_zero(expr: sp.Expr, variable: sp.Symbol) -> bool | None:
    """True/False when SymPy decides whether ``expr → 0`` at ∞; None when it cannot."""
    try:
        with deadline(SYMPY_SECONDS):
            value = sp.limit(expr, variable, sp.oo)
    except (TimeLimitExceededError, NotImplementedError, ValueError, TypeError, RecursionError):
        return None
    if isinstance(value, sp.Limit) or value.has(sp.Limit):
        return None
    if isinstance(value, sp.AccumBounds):
        return False if value.max.is_positive else None
    return bool(value == 0)


def decay_verdict(magnitude: sp.Expr, rho: sp.Symbol, power: sp.Expr) -> bool | None:
    """Is :math:`\\int^\\infty \\rho^{p}\\,|\\hat f(\\rho)|\\,d\\rho` finite?

    ``magnitude`` is :math:`|\\hat f(\\rho)|` with ρ a positive Symbol.

    - True when :math:`\\rho^{p+3/2}|\\hat f| \\to 0`: the integrand is
      :math:`o(\\rho^{-3/2})`;
    - False when :math:`\\rho^{p+1}|\\hat f| \\not\\to 0`: the integrand is not
      :math:`o(1/\\rho)` and the integral diverges (logarithmically at least);
    - None when SymPy's limits cannot tell, or the decay lies in between (never a guess).

    Examples
    --------
    >>> w = sp.Symbol("w", positive=True)
    >>> decay_verdict(2 / (sp.pi * (1 + w**2)), w, 1)  # e^{-|x|}: C_f = ∞
    False
    >>> decay_verdict(sp.exp(-w), w, 1)  # 1/(1+x²): C_f = 1
    True
    >>> decay_verdict(1 / (w**2 * sp.log(w) ** 2), w, 1) is None  # in between
    True

    References
    ----------
    Barron (1993), eq. (3): :math:`C_f = \\int |\\omega||\\hat f(\\omega)|\\,d\\omega`, with
    :math:`p = 1` on the line and :math:`p = d` for the radial integral.
    """
    tail_is_integrable = _limit_is_zero(rho ** (power + sp.Rational(3, 2)) * magnitude, rho)
    if tail_is_integrable:
        return True
    if _limit_is_zero(rho ** (power + 1) * magnitude, rho) is False:
        return False
    return None


def integrable_images(
    g: sp.Expr, t: sp.Symbol, operator: Callable[[sp.Expr], sp.Expr], order: int, dim: int
) -> bool:
    """A sufficient condition for a fast-decaying transform, used when SymPy's limits cannot
    decide: ``g`` has no break point, and each of its first ``order`` images under
    ``operator`` (d/dt, or the radial Laplacian) has no real singularity and is
    :math:`o(|t|^{-d-1})` at infinity, hence integrable on :math:`\\mathbb{R}^d`.  Then
    integration by parts bounds :math:`|\\hat f(\\omega)|` by a constant times
    :math:`|\\omega|^{-\\mathrm{order}}` (d/dt) or :math:`|\\omega|^{-2\\,\\mathrm{order}}` (Δ).

    Examples
    --------
    >>> x = sp.Symbol("x", real=True)
    >>> integrable_images(1 / (1 + x**2), x, lambda g: sp.diff(g, x), 3, 1)
    True
    >>> integrable_images(abs(x) * sp.exp(-x**2), x, lambda g: sp.diff(g, x), 3, 1)
    False

    References
    ----------
    E. M. Stein and R. Shakarchi, *Fourier Analysis*, 2003, Chapter 5, Section 1
    (:math:`\\widehat{f'}(\\omega) = i\\omega\\hat f(\\omega)` and the Riemann–Lebesgue
    bound :math:`|\\hat g| \\le (2\\pi)^{-d}\\|g\\|_1`).
    """
    if break_points(g, t):
        return False
    current = g
    for _ in range(order):
        current = sp.simplify(operator(current))
        try:
            if any(p.is_real for p in sp.singularities(current, t)):
                return False
        except (NotImplementedError, ValueError, TypeError):
            return False
        tails = [current] if t.is_positive else [current, current.subs(t, -t)]
        if not all(_limit_is_zero(t ** (dim + 1) * tail, t) for tail in tails):
            return False
    return True


def smooth_radial_profile(g: sp.Expr, r: sp.Symbol, d: sp.Expr) -> bool:
    """Is :math:`f(x) = g(|x|) = h(|x|^2)` with h smooth and :math:`\\Delta^k f` integrable on
    :math:`\\mathbb{R}^d` for :math:`2k > d + 1`?  Then
    :math:`|\\hat f(\\omega)| \\le (2\\pi)^{-d}\\|\\Delta^k f\\|_1 / |\\omega|^{2k}` and
    :math:`C_f < \\infty`.  The Laplacian of a radial function is
    :math:`g'' + (d - 1) g'/r`.

    Examples
    --------
    >>> r = sp.Symbol("r", positive=True)
    >>> smooth_radial_profile(1 / (1 + r**2) ** 2, r, sp.Integer(2))
    True
    >>> smooth_radial_profile(sp.exp(-r), r, sp.Integer(2))  # a cone at the origin
    False
    """
    s = sp.Symbol("s", positive=True)
    if g.subs(r, sp.sqrt(s)).has(sp.sqrt(s)):  # not a function of r² alone: a cone at 0
        return False

    def laplacian(h: sp.Expr) -> sp.Expr:
        return sp.diff(h, r, 2) + (d - 1) * sp.diff(h, r) / r

    return integrable_images(g, r, laplacian, int(d) // 2 + 1, int(d))
