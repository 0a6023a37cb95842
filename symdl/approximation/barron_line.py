"""Barron's constant of a function of one variable, through its Fourier transform on the line."""

from __future__ import annotations

import math
from typing import Any

import mpmath
import sympy as sp

from symdl.approximation.barron_value import (
    BarronConstant,
    confirm_exact,
    exact_abs_integral,
    exact_integral,
    quad_with_error,
)
from symdl.approximation.finiteness import decay_verdict, integrable_images, smoothness_defect
from symdl.approximation.fourier import FourierTransform, fourier_transform
from symdl.approximation.gradient_bound import check_barron_gradient_bound
from symdl.core.exceptions import NotSupportedError

__all__ = ["barron_constant_line"]


def barron_constant_line(f: sp.Expr, x: sp.Symbol) -> BarronConstant:
    """Barron's constant of ``f`` in one variable ``x``, through its 1-D Fourier transform:
    finiteness decided from smoothness and from the decay of the transform, the integral
    evaluated exactly where SymPy can and by quadrature with an error estimate always."""
    dim = sp.S.One
    defect = smoothness_defect(f, x)
    omega = sp.Symbol("omega", real=True)
    try:
        transform: FourierTransform | None = fourier_transform(f, x, omega)
    except (NotSupportedError, ValueError):  # no transform: |x| or a step still has C_f = ∞
        if defect is None:
            raise
        transform = None
    if defect is not None:  # C_f < ∞ ⇒ f ∈ C¹ (Barron 1993, Section III): no integral needed
        reason = f"f is not C¹ ({defect}), and C_f < ∞ would make f C¹"
        return BarronConstant(f, (x,), dim, sp.oo, math.inf, 0.0, reason, transform)
    assert transform is not None  # the transform failed only when a defect was found
    w = sp.Symbol("w", positive=True)
    # ∫|ω||f̂| over the line = ∫_0^∞ ω (|f̂(ω)| + |f̂(-ω)|) dω
    magnitude = sp.Abs(transform.expr.subs(omega, w)) + sp.Abs(transform.expr.subs(omega, -w))
    magnitude = sp.simplify(magnitude)
    converges = decay_verdict(magnitude, w, sp.S.One)
    if converges is False:
        reason = "ω²|f̂(ω)| does not tend to 0, so ∫|ω||f̂(ω)|dω diverges"
        return BarronConstant(f, (x,), dim, sp.oo, math.inf, 0.0, reason, transform)
    reason = "f̂ decays fast: |ω|^(5/2)|f̂(ω)| → 0, so ∫|ω||f̂(ω)|dω converges"
    if converges is None:
        if not integrable_images(f, x, lambda g: sp.diff(g, x), 3, 1):
            raise NotSupportedError(
                f"symdl cannot decide whether C_f of {f} is finite: the decay of its "
                f"transform {transform.expr} is neither fast (|ω|^(5/2)|f̂| → 0) nor slow "
                "(ω²|f̂| ↛ 0), and f''' is not shown integrable"
            )
        reason = "f is smooth with f''' integrable, so |f̂(ω)| ≤ ‖f'''‖₁/(2π|ω|³)"
    exact = exact_integral(w * magnitude, w)
    if exact is None:  # split ∫ w|f̂| at the zeros of f̂, on each half-line
        positive = exact_abs_integral(w, transform.expr.subs(omega, w), w)
        negative = exact_abs_integral(w, transform.expr.subs(omega, -w), w)
        if positive is not None and negative is not None:
            exact = sp.simplify(positive + negative)
    transform_mp = sp.lambdify(omega, transform.expr, modules="mpmath")

    def integrand(t: Any) -> Any:
        return t * (abs(transform_mp(t)) + abs(transform_mp(-t)))

    numeric, error = quad_with_error(
        integrand, [0, 1, 4, 16, mpmath.inf], [transform_mp, lambda t: transform_mp(-t)]
    )
    confirm_exact(exact, numeric, error, f)
    result = BarronConstant(f, (x,), dim, exact, numeric, error, reason, transform)
    check_barron_gradient_bound(result)
    return result
