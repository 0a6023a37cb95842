"""Barron's constant of a radial function :math:`f(x) = g(|x|)` on :math:`\\mathbb{R}^d`,
through the Hankel transform; the dimension may be a symbol."""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Sequence
from typing import Any

import mpmath
import numpy as np
import sympy as sp

from symdl.approximation.barron_value import (
    BarronConstant,
    confirm_exact,
    exact_abs_integral,
    exact_integral,
)
from symdl.approximation.finiteness import decay_verdict, smooth_radial_profile, smoothness_defect
from symdl.approximation.fourier import SYMPY_SECONDS, validate_dimension, validate_function
from symdl.approximation.gradient_bound import check_barron_gradient_bound
from symdl.approximation.hankel import (
    RadialFourierTransform,
    radial_fourier_transform,
    radial_length_scale,
    transform_function,
)
from symdl.core.exceptions import NotSupportedError
from symdl.core.limits import TimeLimitExceededError, deadline
from symdl.core.notation import plain_expr

__all__ = ["barron_constant_radial", "gaussian_abs_integral", "radial_integral"]

_DPS = 30


def _radial_defect(g: sp.Expr, r: sp.Symbol) -> str | None:
    t = sp.Symbol("t", real=True)
    on_line = g.subs(r, sp.Abs(t))  # f on a line through the origin
    return smoothness_defect(on_line, t)


def _magnitude(expr: sp.Expr, rho: sp.Symbol) -> sp.Expr:
    """:math:`|A(\\rho)|` without ``Abs`` where the sign is proved: each :math:`K_\\nu(\\rho)`
    (positive for ρ > 0) is replaced by a positive symbol before asking SymPy for the sign."""
    positive = expr.replace(
        lambda e: isinstance(e, sp.besselk), lambda *_: sp.Dummy("k", positive=True)
    )
    if positive.is_positive:
        return expr
    if positive.is_negative:
        return -expr
    return sp.Abs(expr)


def _exact_zeros(expr: sp.Expr, rho: sp.Symbol) -> list[sp.Expr]:
    """The positive zeros of A that SymPy can solve for (none when it cannot)."""
    try:
        with deadline(SYMPY_SECONDS):
            zeros = sp.solve(expr, rho)
    except (TimeLimitExceededError, NotImplementedError, ValueError, TypeError):
        return []
    return [z for z in zeros if z.is_positive and z.is_finite]


def _sign_changes(fn: Callable[[Any], Any], upper: float) -> list[Any]:
    """Zeros of the real function ``fn`` in (0, upper): grid points where it vanishes and sign
    changes between grid points, refined by bisection."""
    zeros: list[Any] = []
    with mpmath.workdps(_DPS):
        grid = [mpmath.mpf(upper) * k / 2048 for k in range(1, 2049)]
        values = [mpmath.re(fn(t)) for t in grid]
        zeros.extend(t for t, v in zip(grid, values, strict=True) if v == 0)
        for a, b, fa, fb in zip(grid, grid[1:], values, values[1:], strict=False):
            if fa * fb < 0:
                for _ in range(80):
                    m = (a + b) / 2
                    if mpmath.re(fn(m)) * fa > 0:
                        a = m
                    else:
                        b = m
                zeros.append((a + b) / 2)
    return zeros


def _gaussian_factors(expr: sp.Expr, rho: sp.Symbol) -> tuple[sp.Poly, sp.Expr] | None:
    """``(P, c)`` with ``expr`` = :math:`P(\\rho)\\,e^{-c\\rho^2}` (P a polynomial with real
    coefficients, c > 0; a sum of such terms with one c), or None."""
    total, width = sp.S.Zero, None
    for term in sp.Add.make_args(sp.expand(expr)):
        factors = sp.Mul.make_args(sp.powsimp(term))
        exps = [e for e in factors if isinstance(e, sp.exp)]
        rest = sp.Mul(*(e for e in factors if not isinstance(e, sp.exp)))
        exponent = sp.expand(sp.Add(*(e.args[0] for e in exps)))
        if not (exps and exponent.is_polynomial(rho) and rest.is_polynomial(rho)):
            return None
        if sp.degree(exponent, rho) != 2 or exponent.coeff(rho, 1) != 0:
            return None
        c = -exponent.coeff(rho, 2)
        if width is not None and c != width:
            return None
        width = c
        total += rest * sp.exp(exponent.coeff(rho, 0))
    if width is None or not width.is_positive:
        return None
    polynomial = sp.Poly(total, rho)
    if not all(k.is_real for k in polynomial.coeffs()):
        return None
    return polynomial, width


def _gaussian_antiderivative(k: int, c: sp.Expr, rho: sp.Symbol) -> tuple[sp.Expr, sp.Expr]:
    """:math:`F_k` with :math:`F_k' = \\rho^k e^{-c\\rho^2}`, and its limit at ∞, by
    :math:`F_k = -\\rho^{k-1}e^{-c\\rho^2}/(2c) + (k-1)/(2c)\\,F_{k-2}`."""
    if k == 0:
        return sp.sqrt(sp.pi) / (2 * sp.sqrt(c)) * sp.erf(sp.sqrt(c) * rho), sp.sqrt(sp.pi) / (
            2 * sp.sqrt(c)
        )
    if k == 1:
        return -sp.exp(-c * rho**2) / (2 * c), sp.S.Zero
    lower, at_infinity = _gaussian_antiderivative(k - 2, c, rho)
    factor = sp.Rational(k - 1, 1) / (2 * c)
    boundary = -(rho ** (k - 1)) * sp.exp(-c * rho**2) / (2 * c)
    return boundary + factor * lower, factor * at_infinity


def _positive_roots(polynomial: sp.Poly) -> list[sp.Expr] | None:
    """The positive real roots of P, exactly; None when SymPy cannot find them, or finds
    fewer than a numeric count (a missing root would be a missing split)."""
    monic = polynomial.monic()
    x = polynomial.gen
    try:
        with deadline(SYMPY_SECONDS):
            roots = list(sp.roots(monic, filter="R"))  # radicals where there are some
            if not roots:
                try:
                    roots = list(sp.real_roots(monic))
                except NotImplementedError:  # coefficients beyond the rationals
                    roots = sp.solve(monic.as_expr(), x)
    except (TimeLimitExceededError, NotImplementedError, ValueError, TypeError):
        return None
    positive = sorted({z for z in roots if z.is_positive}, key=lambda z: float(sp.N(z, 30)))
    coefficients = [complex(sp.N(c, 30)) for c in monic.all_coeffs()]
    numeric = [
        z for z in np.roots(coefficients) if z.real > 0 and abs(z.imag) < 1e-9 * (1 + abs(z))
    ]
    distinct = {round(z.real, 6) for z in numeric}
    return positive if len(distinct) == len(positive) else None


def gaussian_abs_integral(polynomial: sp.Poly, c: sp.Expr, rho: sp.Symbol) -> sp.Expr | None:
    """:math:`\\int_0^\\infty |P(\\rho)|\\,e^{-c\\rho^2}\\,d\\rho` exactly: the integral is
    split at the positive real roots of P (exact algebraic numbers) and each piece is a
    combination of :math:`\\rho^k e^{-c\\rho^2}` and :math:`\\operatorname{erf}`.  None when a
    coefficient of P is not a real number.

    Examples
    --------
    >>> rho = sp.Symbol("rho", positive=True)
    >>> value = gaussian_abs_integral(sp.Poly(rho**2 - 1, rho), sp.S.One, rho)
    >>> sp.simplify(value - (sp.sqrt(sp.pi) * (2 * sp.erf(1) - 1) / 4 + sp.exp(-1)))
    0
    """
    coefficients = polynomial.coeffs()
    if not all(k.is_real and not k.free_symbols for k in coefficients):
        return None
    roots = _positive_roots(polynomial)
    if roots is None:
        return None
    total, at_infinity = sp.S.Zero, sp.S.Zero
    for (k,), coefficient in polynomial.terms():
        part, limit = _gaussian_antiderivative(k, c, rho)
        total += coefficient * part
        at_infinity += coefficient * limit
    edges = [sp.S.Zero, *roots]
    values = [total.subs(rho, e) for e in edges] + [at_infinity]
    pieces = [b - a for a, b in itertools.pairwise(values)]
    result = sp.S.Zero
    for piece in pieces:
        sign = sp.sign(sp.N(piece, 50))
        if sign == 0:
            continue
        result += sign * piece
    return sp.simplify(result)


def radial_integral(
    integrand: Callable[[Any], Any], breaks: Sequence[Any], *, digits: int = _DPS
) -> tuple[float, float]:
    """:math:`\\int_0^\\infty` of ``integrand`` split at ``breaks`` (the kinks), twice: by
    tanh–sinh quadrature on the given subdivision and on the subdivision with every finite
    interval halved.  Returns the first value and an error estimate, the larger of its own
    estimate and the difference of the two.  ``digits``: the working precision (about 14 for
    an integrand evaluated in double precision, so that the quadrature does not chase its
    rounding errors).

    Raises
    ------
    NotSupportedError
        The two methods disagree by more than :math:`10^{-10}` relative, or fail.

    Examples
    --------
    >>> value, error = radial_integral(lambda t: t**2 * mpmath.exp(-t), [0, 1])
    >>> round(value, 12), error < 1e-12  # Γ(3) = 2
    (2.0, True)
    """
    with mpmath.workdps(digits):
        points = sorted({mpmath.mpf(p) for p in breaks} | {mpmath.mpf(0)})
        points.append(mpmath.inf)
        halved = [points[0]]
        for a, b in itertools.pairwise(points):
            if b != mpmath.inf:
                halved.append((a + b) / 2)
            halved.append(b)
        try:
            value, estimate = mpmath.quad(integrand, points, error=True)
            other = mpmath.quad(integrand, halved)
        except (ValueError, ArithmeticError, TypeError) as failure:
            raise NotSupportedError(
                f"the quadrature of C_f failed ({str(failure).strip().splitlines()[0]})"
            ) from failure
        # the integrand's own rounding (10^-digits relative) bounds the accuracy from below
        floor = mpmath.mpf(10) ** (1 - digits) * abs(value)
        error = max(abs(mpmath.mpf(estimate)), abs(value - other), floor)
        if not (mpmath.isfinite(value) and error <= mpmath.mpf(10) ** -10 * (1 + abs(value))):
            raise NotSupportedError(
                f"the quadrature of C_f did not converge ({mpmath.nstr(value, 15)}, and "
                f"{mpmath.nstr(other, 15)} on a finer subdivision): the transform cannot be "
                "integrated accurately"
            )
    return float(mpmath.re(value)), float(error)


def barron_constant_radial(
    g: sp.Expr,
    r: sp.Symbol,
    *,
    dim: int | sp.Expr,
    function: sp.Expr | None = None,
    variables: Sequence[sp.Symbol] = (),
    seconds: float = 60.0,
) -> BarronConstant:
    """Barron's constant of the radial function :math:`f(x) = g(|x|)` on
    :math:`\\mathbb{R}^d`:

    .. math::

        C_f = |S^{d-1}| \\int_0^\\infty \\rho^d\\,|\\hat f(\\rho)|\\,d\\rho,
        \\qquad |S^{d-1}| = \\frac{2\\pi^{d/2}}{\\Gamma(d/2)} .

    ``dim`` may be a Symbol declared ``positive=True, integer=True``; the result is then a
    formula in d, confirmed by quadrature at d = 1, …, 6 (``checks``).  ``function`` and
    ``variables`` name f in Cartesian form, when g came from it; then the necessary condition
    :math:`\\sup|\\nabla f| \\le C_f` is checked on f itself.

    Raises
    ------
    ValueError
        g is unbounded or does not decay.
    NotSupportedError
        The transform or the finiteness of :math:`C_f` is out of reach.
    TimeLimitExceededError
        The computation took more than ``seconds``.

    Examples
    --------
    >>> r = sp.Symbol("r", positive=True)
    >>> d = sp.Symbol("d", positive=True, integer=True)
    >>> barron_constant_radial(sp.exp(-r**2 / 2), r, dim=d).exact
    sqrt(2)*gamma(d/2 + 1/2)/gamma(d/2)
    >>> barron_constant_radial(sp.exp(-r**2 / 2), r, dim=2).exact
    sqrt(2)*sqrt(pi)/2
    >>> barron_constant_radial(1 / (1 + r**2) ** 2, r, dim=2).exact  # a Bessel potential
    3*pi/4

    References
    ----------
    Barron (1993), Section IX, example 1 (Gaussian: :math:`C_f \\le d^{1/2}`).
    """
    d = validate_dimension(dim)
    g = validate_function(g, [r])
    variables = tuple(variables)
    with deadline(seconds):
        return _barron_constant_radial(g, r, d, function if function is not None else g, variables)


def _barron_constant_radial(
    g: sp.Expr, r: sp.Symbol, d: sp.Expr, f: sp.Expr, variables: tuple[sp.Symbol, ...]
) -> BarronConstant:
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
    if transform is None:  # only when a defect was found, handled above
        raise NotSupportedError(f"symdl cannot transform g = {plain_expr(g)}")
    magnitude = _magnitude(transform.expr, rho)
    converges = decay_verdict(magnitude, rho, d)
    if converges is False:
        reason = "ρᵈ⁺¹ |f̂(ρ)| does not tend to 0, so the radial integral diverges"
        return BarronConstant(f, variables, d, sp.oo, math.inf, 0.0, reason, transform)
    reason = "f̂ decays fast: ρᵈ⁺¹√ρ |f̂(ρ)| → 0, so the radial integral converges"
    if converges is None:
        if not (d.is_Integer and smooth_radial_profile(g, r, d)):
            raise NotSupportedError(f"symdl cannot decide whether C_f of {plain_expr(f)} is finite")
        k = int(d) // 2 + 1  # 2k > d + 1
        reason = (
            f"f = h(|x|²) with h smooth and Δ^{k} f integrable, so "
            f"|f̂(ω)| ≤ (2π)^-d ‖Δ^{k} f‖₁ / |ω|^{2 * k}"
        )
    sphere = 2 * sp.pi ** (d / 2) / sp.gamma(d / 2)
    integral = _exact_radial_integral(transform.expr, magnitude, rho, d)
    exact = None if integral is None else sp.simplify(sphere * integral)
    if not d.is_Integer:
        if exact is None:
            raise NotSupportedError(
                f"SymPy cannot integrate C_f of {plain_expr(f)} in dimension {d}"
            )
        scale = 1 / radial_length_scale(g, r)
        checks = tuple(_radial_check(exact, transform.expr, rho, d, n, scale) for n in range(1, 7))
        return BarronConstant(f, variables, d, exact, None, 0.0, reason, transform, checks)
    numeric, error = _radial_quadrature(transform.expr, rho, int(d), g, r)
    confirm_exact(exact, numeric, error, f)
    result = BarronConstant(f, variables, d, exact, numeric, error, reason, transform)
    if variables:
        check_barron_gradient_bound(result)
    return result


def _exact_radial_integral(
    expr: sp.Expr, magnitude: sp.Expr, rho: sp.Symbol, d: sp.Expr
) -> sp.Expr | None:
    """:math:`\\int_0^\\infty \\rho^d |A(\\rho)|\\,d\\rho`: by the Gaussian moments for a
    polynomial times a Gaussian, by SymPy's integral where the sign is known, by pieces
    between the zeros of A otherwise."""
    if d.is_Integer:
        found = _gaussian_factors(sp.expand(rho**d * expr), rho)
        if found is not None:
            return gaussian_abs_integral(found[0], found[1], rho)
    if not magnitude.has(sp.Abs):
        return exact_integral(rho**d * magnitude, rho)
    return exact_abs_integral(rho**d, expr, rho)


def _digits(expr: sp.Expr) -> int:
    """The working precision of a quadrature of ``expr``: K_ν is evaluated to 14 digits."""
    return 14 if expr.has(sp.besselk) else _DPS


def _radial_quadrature(
    expr: sp.Expr, rho: sp.Symbol, n: int, g: sp.Expr, r: sp.Symbol
) -> tuple[float, float]:
    """:math:`|S^{n-1}|\\int_0^\\infty \\rho^n |A(\\rho)|\\,d\\rho` with its error, split where A
    changes sign and at multiples of the frequency scale."""
    signed = transform_function(expr, rho)
    sphere = 2 * mpmath.pi ** (mpmath.mpf(n) / 2) / mpmath.gamma(mpmath.mpf(n) / 2)

    def integrand(t: Any) -> Any:
        return sphere * t**n * abs(signed(t))

    scale = 1 / radial_length_scale(g, r)
    zeros: list[Any] = []
    if _magnitude(expr, rho).has(sp.Abs):  # A may change sign: split where it does
        found = _gaussian_factors(expr, rho)
        exact = None if found is None else _positive_roots(found[0])
        if exact is None:
            zeros = [mpmath.mpf(sp.N(z, _DPS)) for z in _exact_zeros(expr, rho)]
            zeros += _sign_changes(signed, 64 * scale)
        else:  # all the zeros, exactly
            zeros = [mpmath.mpf(sp.N(z, _DPS)) for z in exact]
    breaks = [scale * m for m in (1, 4, 16)] + zeros
    return radial_integral(integrand, breaks, digits=_digits(expr))


def _radial_check(
    exact: sp.Expr, expr: sp.Expr, rho: sp.Symbol, d: sp.Expr, n: int, scale: float
) -> tuple[int, float, float]:
    signed = transform_function(expr.subs(d, n), rho)
    sphere = 2 * mpmath.pi ** (mpmath.mpf(n) / 2) / mpmath.gamma(mpmath.mpf(n) / 2)
    breaks = [scale * m for m in (1, 4, 16)]
    integrand = lambda t: sphere * t**n * abs(signed(t))  # noqa: E731
    numeric, error = radial_integral(integrand, breaks, digits=_digits(expr))
    value = exact.subs(d, n)
    confirm_exact(value, numeric, error, exact)
    return n, float(sp.N(value, 20)), numeric
