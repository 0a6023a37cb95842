"""Barron's constant of a radial function :math:`f(x) = g(|x|)` on :math:`\\mathbb{R}^d`,
through the Hankel transform; the dimension may be a symbol."""

from __future__ import annotations

import math
from collections.abc import Sequence

import mpmath
import sympy as sp

from symdl.approximation.barron_value import (
    BarronConstant,
    confirm_exact,
    exact_integral,
    quad_with_error,
)
from symdl.approximation.finiteness import decay_verdict, smooth_radial_profile, smoothness_defect
from symdl.approximation.fourier import validate_dimension, validate_function
from symdl.approximation.gradient_bound import check_barron_gradient_bound
from symdl.approximation.hankel import RadialFourierTransform, radial_fourier_transform
from symdl.core.exceptions import NotSupportedError

__all__ = ["barron_constant_radial"]


def _radial_defect(g: sp.Expr, r: sp.Symbol) -> str | None:
    t = sp.Symbol("t", real=True)
    on_line = g.subs(r, sp.Abs(t))  # f on a line through the origin
    return smoothness_defect(on_line, t)


def barron_constant_radial(
    g: sp.Expr,
    r: sp.Symbol,
    *,
    dim: int | sp.Expr,
    function: sp.Expr | None = None,
    variables: Sequence[sp.Symbol] = (),
) -> BarronConstant:
    """Barron's constant of the radial function :math:`f(x) = g(|x|)` on
    :math:`\\mathbb{R}^d`:

    .. math::

        C_f = |S^{d-1}| \\int_0^\\infty \\rho^d\\,|\\hat f(\\rho)|\\,d\\rho,
        \\qquad |S^{d-1}| = \\frac{2\\pi^{d/2}}{\\Gamma(d/2)} .

    ``dim`` may be a Symbol declared ``positive=True, integer=True``; the result is then a
    formula in d, confirmed by quadrature at d = 1, …, 6 (``checks``).

    Examples
    --------
    >>> r = sp.Symbol("r", positive=True)
    >>> d = sp.Symbol("d", positive=True, integer=True)
    >>> barron_constant_radial(sp.exp(-r**2 / 2), r, dim=d).exact
    sqrt(2)*gamma(d/2 + 1/2)/gamma(d/2)
    >>> barron_constant_radial(sp.exp(-r**2 / 2), r, dim=2).exact
    sqrt(2)*sqrt(pi)/2

    References
    ----------
    Barron (1993), Section IX, example 1 (Gaussian: :math:`C_f \\le d^{1/2}`).
    """
    d = validate_dimension(dim)
    g = validate_function(g, [r])
    f = function if function is not None else g
    variables = tuple(variables)
    defect = _radial_defect(g, r)
    rho = sp.Symbol("rho", positive=True)
    try:
        transform: RadialFourierTransform | None = radial_fourier_transform(g, r, rho, dim=d)
    except (NotSupportedError, ValueError):  # no transform: a cone |x| still has C_f = ∞
        if defect is None:
            raise
        transform = None
    if defect is not None:
        reason = f"f is not C¹ along a line through 0 ({defect})"
        return BarronConstant(f, variables, d, sp.oo, math.inf, 0.0, reason, transform)
    assert transform is not None  # the transform failed only when a defect was found
    magnitude = sp.Abs(transform.expr)
    converges = decay_verdict(magnitude, rho, d)
    if converges is False:
        reason = "ρ^(d+1)|f̂(ρ)| does not tend to 0, so the radial integral diverges"
        return BarronConstant(f, variables, d, sp.oo, math.inf, 0.0, reason, transform)
    reason = "f̂ decays fast: ρ^(d+3/2)|f̂(ρ)| → 0, so the radial integral converges"
    if converges is None:
        if not (d.is_Integer and smooth_radial_profile(g, r, d)):
            raise NotSupportedError(f"symdl cannot decide whether C_f of {f} is finite")
        k = int(d) // 2 + 1  # 2k > d + 1
        reason = (
            f"f = h(|x|²) with h smooth and Δ^{k} f integrable, so "
            f"|f̂(ω)| ≤ (2π)^-d ‖Δ^{k} f‖₁ / |ω|^{2 * k}"
        )
    sphere = 2 * sp.pi ** (d / 2) / sp.gamma(d / 2)
    integrand = rho**d * magnitude
    integral = exact_integral(integrand, rho)
    exact = None if integral is None else sp.simplify(sphere * integral)
    if not d.is_Integer:
        if exact is None:
            raise NotSupportedError(f"SymPy cannot integrate C_f of {f} in dimension {d}")
        checks = tuple(_radial_check(exact, integrand, d, n) for n in range(1, 7))
        return BarronConstant(f, variables, d, exact, None, 0.0, reason, transform, checks)
    fn = sp.lambdify(rho, sphere * integrand, modules="mpmath")
    signed = sp.lambdify(rho, transform.expr, modules="mpmath")
    numeric, error = quad_with_error(fn, [0, 1, 4, 16, mpmath.inf], [signed])
    confirm_exact(exact, numeric, error, f)
    result = BarronConstant(f, variables, d, exact, numeric, error, reason, transform)
    if variables:
        check_barron_gradient_bound(result)
    return result


def _radial_check(
    exact: sp.Expr, integrand: sp.Expr, d: sp.Expr, n: int
) -> tuple[int, float, float]:
    rho = next(iter(integrand.free_symbols - {d}))
    sphere = 2 * sp.pi ** sp.Rational(n, 2) / sp.gamma(sp.Rational(n, 2))
    fn = sp.lambdify(rho, sphere * integrand.subs(d, n), modules="mpmath")
    numeric, error = quad_with_error(fn, [0, 1, 4, 16, mpmath.inf])
    value = exact.subs(d, n)
    confirm_exact(value, numeric, error, exact)
    return n, float(sp.N(value, 20)), numeric
