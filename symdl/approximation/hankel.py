"""Fourier transforms of radial functions on :math:`\\mathbb{R}^d`, through the Hankel transform.

A radial function :math:`f(x) = g(|x|)` has a radial transform (Stein & Weiss, *Introduction
to Fourier Analysis on Euclidean Spaces*, 1971, Theorem IV.3.3):

.. math::

    \\int_{\\mathbb{R}^d} e^{-i\\omega\\cdot x} g(|x|)\\,dx
    = (2\\pi)^{d/2} \\rho^{1-d/2} \\int_0^\\infty g(r)\\,J_{d/2-1}(\\rho r)\\,r^{d/2}\\,dr,
    \\qquad \\rho = |\\omega| .

One integral in r replaces a d-dimensional one, and the dimension can stay symbolic.

:func:`radial_profile` recognises a radial function written in Cartesian coordinates, and
:func:`quadratic_form_profile` a function of a quadratic form :math:`(x-c)^T A (x-c)`.  Both
*prove* the identity :math:`f(x) = g(\\sqrt{(x-c)^T A (x-c)})` by simplification (for
radial symmetry, invariance under a rotation by a symbolic angle in each coordinate plane is
the second proof tried); a function whose identity is not proved is not radial, never the
other way round.  Values at a few points can only refute the identity, never establish it.

Transforms come from a table first (Gaussians times polynomials in :math:`|x|^2`, Bessel
potentials :math:`(c + b|x|^2)^{-p}`, sums of both), SymPy's Hankel integral second; every
candidate is compared with quadrature of the Hankel integral at frequencies proportional to
the function's own scale, with a relative tolerance, and at :math:`\\rho = 0` through its
limit (not a substitution).
"""

from __future__ import annotations

import functools
import itertools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import mpmath
import numpy as np
import sympy as sp

from symdl.approximation.fourier import (
    SYMPY_SECONDS,
    FourierConvention,
    FrequencyCheck,
    convert_transform,
    validate_dimension,
    validate_function,
)
from symdl.approximation.fourier_quadrature import mp_function
from symdl.approximation.fourier_table import radial_table_transform
from symdl.core.exceptions import NotSupportedError, SymdlError
from symdl.core.limits import TimeLimitExceededError, deadline
from symdl.core.notation import plain_expr

__all__ = [
    "ParsevalCheck",
    "RadialFourierTransform",
    "hankel_numeric",
    "quadratic_form_profile",
    "radial_fourier_transform",
    "radial_length_scale",
    "radial_profile",
    "radial_table",
    "transform_function",
]

_DPS = 20
# Frequencies, in units of 1/L for a function of length scale L, at which a closed form is
# compared with quadrature (and ρ = 0, through the limit).
_CHECK_MULTIPLES = (0.5, 1.0, 2.25, 4.0)
# The accepted relative discrepancy between a closed form and the quadrature.
_RELATIVE_TOLERANCE = 1e-8
# Points at which an identity f = g(|x|) is tested before it is proved: a value that differs
# refutes it (so that no simplification is spent on it); agreement proves nothing.
_REFUTING_POINTS = (
    (sp.Rational(1, 3), sp.Rational(-5, 4), sp.Rational(2, 7), sp.Rational(-1, 2)),
    (sp.Rational(-7, 5), sp.Rational(1, 9), sp.Rational(3, 2), sp.Rational(5, 6)),
    (sp.Rational(2, 1), sp.Rational(-3, 8), sp.Rational(-4, 3), sp.Rational(1, 5)),
    (sp.Rational(5, 7), sp.Rational(11, 13), sp.Rational(-13, 17), sp.Rational(17, 19)),
    (sp.Rational(-29, 31), sp.Rational(-3, 19), sp.Rational(7, 23), sp.Rational(-2, 29)),
)
# Seconds one simplification of an identity may take before it counts as not proved.
_PROOF_SECONDS = 3.0


@dataclass(frozen=True)
class ParsevalCheck:
    """A check of a transform A against the profile g through Parseval's identity with the
    Gaussian :math:`e^{-a|x|^2}`: :math:`\\int g(|x|) e^{-a|x|^2}dx` (``profile_moment``) and
    :math:`(2\\pi)^{-d}\\int A(|\\omega|) (\\pi/a)^{d/2} e^{-|\\omega|^2/4a}d\\omega`
    (``transform_moment``), both by quadrature, for the width ``a``."""

    width: float
    profile_moment: complex
    transform_moment: complex

    @property
    def error(self) -> float:
        """The absolute discrepancy."""
        return abs(self.profile_moment - self.transform_moment)


@dataclass(frozen=True)
class RadialFourierTransform:
    """The transform of the radial function :math:`f(x) = g(|x|)` on :math:`\\mathbb{R}^d`,
    as ``expr`` of :math:`\\rho = |\\omega|`; ``checks`` maps a dimension to its checks."""

    profile: sp.Expr
    radius: sp.Symbol
    frequency: sp.Symbol
    dim: sp.Expr
    convention: FourierConvention
    expr: sp.Expr
    source: str
    checks: tuple[tuple[int, FrequencyCheck | ParsevalCheck], ...]


# --- proving that a function is radial ------------------------------------------------------


def _numeric_value(expr: sp.Expr) -> complex | None:
    """``expr`` (free of symbols) to 30 digits, or None where it is undefined or fails."""
    try:
        value = complex(sp.N(expr, 30))
    except (TypeError, ValueError, ArithmeticError, RecursionError):
        return None
    return value if math.isfinite(value.real) and math.isfinite(value.imag) else None


def _refuted(f: sp.Expr, other: sp.Expr, variables: Sequence[sp.Symbol]) -> bool:
    """Does ``f`` differ from ``other`` at one of a few fixed rational points?"""
    for probe in _REFUTING_POINTS:
        point = dict(zip(variables, probe * (len(variables) // len(probe) + 1), strict=False))
        left, right = _numeric_value(f.subs(point)), _numeric_value(other.subs(point))
        if left is None or right is None:
            continue
        if abs(left - right) > 1e-20 * (1 + abs(left)):
            return True
    return False


def _vanishes(expr: sp.Expr, seconds: float = _PROOF_SECONDS) -> bool:
    """True only when simplification proves ``expr`` identically 0 (False: not proved)."""
    if expr == 0:
        return True
    steps = (sp.expand, _cancel_arguments, sp.simplify)
    for step in steps:
        try:
            with deadline(seconds):
                if step(expr) == 0:
                    return True
        except TimeLimitExceededError:
            continue
        except (NotImplementedError, ValueError, TypeError, ZeroDivisionError, RecursionError):
            continue
    return False


def _cancel_arguments(expr: sp.Expr) -> sp.Expr:
    """``expr`` with the argument of every function and the base of every power brought to
    one cancelled fraction, innermost first, then expanded: ``exp(-((3x-4y)/5)² - ...)``
    becomes ``exp(-x² - y²)``."""

    def tidy(e: sp.Expr) -> sp.Expr:
        if isinstance(e, sp.Function):
            return e.func(*(sp.cancel(sp.expand(a)) for a in e.args))
        if isinstance(e, sp.Pow):
            return sp.Pow(sp.cancel(sp.expand(e.base)), e.exp)
        return e

    return sp.expand(sp.cancel(expr.replace(lambda e: isinstance(e, (sp.Function, sp.Pow)), tidy)))


def _profile_at(f: sp.Expr, point: dict[sp.Symbol, sp.Expr]) -> sp.Expr | None:
    """``f`` on a ray, or None when the substitution is undefined (nan, zoo)."""
    try:
        g = f.subs(point)
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    if g.has(sp.nan, sp.zoo, sp.oo, -sp.oo):
        return None
    return g


def quadratic_form_profile(
    f: sp.Expr,
    variables: Sequence[sp.Symbol],
    form: sp.Matrix,
    center: Sequence[sp.Expr] | None = None,
) -> tuple[sp.Expr, sp.Symbol] | None:
    """``(g, r)`` with :math:`f(x) = g\\big(\\sqrt{(x-c)^T A (x-c)}\\big)` *proved*, or ``None``.

    ``form`` is the symmetric positive definite matrix A, ``center`` the point c (0 by
    default).  The profile is f on the ray :math:`c + r e_1/\\sqrt{A_{11}}`; the identity is
    refuted at a few points or proved by simplification.  ``None`` means "not proved": the
    caller treats ``f`` as a general function.

    Examples
    --------
    >>> x1, x2 = sp.symbols("x1 x2", real=True)
    >>> A = sp.Matrix([[1, 0], [0, 4]])
    >>> quadratic_form_profile(sp.exp(-(x1**2 + 4 * x2**2) / 2), [x1, x2], A)
    (exp(-r**2/2), r)
    >>> quadratic_form_profile(sp.exp(-(x1**2 + 3 * x2**2) / 2), [x1, x2], A) is None
    True
    """
    found = _form_profile(f, tuple(variables), form, center)
    return None if found is None or found is _REFUTED else found


_REFUTED = (sp.S.Zero, sp.Symbol("refuted"))  # the identity is false at a point


def _form_profile(
    f: sp.Expr,
    variables: tuple[sp.Symbol, ...],
    form: sp.Matrix,
    center: Sequence[sp.Expr] | None,
) -> tuple[sp.Expr, sp.Symbol] | None:
    """As :func:`quadratic_form_profile`, with :data:`_REFUTED` when a point refutes the
    identity (then nothing else can prove the symmetry)."""
    n = len(variables)
    A = sp.Matrix(form)
    if A.shape != (n, n) or A != A.T:
        raise ValueError(
            f"form = {plain_expr(A)} is not a symmetric {n}×{n} matrix; pass the matrix A of "
            "(x-c)ᵀA(x-c)"
        )
    c = sp.Matrix([0] * n if center is None else list(center))
    if c.shape != (n, 1):
        raise ValueError(f"center = {list(c)} has not {n} coordinates; pass one per variable")
    if not (A[0, 0].is_positive and all(m.is_positive for m in _leading_minors(A))):
        return None
    r = sp.Symbol("r", positive=True)
    ray = {v: c[i] + (r / sp.sqrt(A[0, 0]) if i == 0 else 0) for i, v in enumerate(variables)}
    g = _profile_at(f, ray)
    if g is None:
        return None
    x = sp.Matrix(variables) - c
    norm = sp.sqrt(sp.expand((x.T * A * x)[0, 0]))
    claimed = g.subs(r, norm)
    if _refuted(f, claimed, variables):
        return _REFUTED
    if _vanishes(f - claimed):
        return g, r
    return None


def _leading_minors(A: sp.Matrix) -> list[sp.Expr]:
    return [A[:k, :k].det() for k in range(1, A.rows + 1)]


def _rotation_invariant(f: sp.Expr, variables: Sequence[sp.Symbol]) -> bool:
    """Is ``f`` invariant under the rotations of every plane (x_i, x_{i+1})?  They generate
    SO(d); a rotation by angle θ is written with t = tan(θ/2), cos θ = (1-t²)/(1+t²),
    sin θ = 2t/(1+t²), so that the identity is rational in t and proved by simplification."""
    t = sp.Dummy("t", real=True)
    cos, sin = (1 - t**2) / (1 + t**2), 2 * t / (1 + t**2)
    for a, b in itertools.pairwise(variables):
        rotated = f.subs({a: cos * a - sin * b, b: sin * a + cos * b}, simultaneous=True)
        if _refuted(f, rotated.subs(t, sp.Rational(3, 7)), variables):
            return False
        if not _vanishes(rotated - f):
            return False
    return True


def radial_profile(
    f: sp.Expr, variables: Sequence[sp.Symbol], *, seconds: float = 30.0
) -> tuple[sp.Expr, sp.Symbol] | None:
    """``(g, r)`` with :math:`f(x) = g(|x|)` *proved*, or ``None`` when ``f`` is not radial or
    its symmetry is not proved.

    The profile is :math:`g(r) = f(r, 0, \\dots, 0)`.  The identity :math:`f(x) = g(|x|)` is
    first compared at a few rational points (a difference refutes it), then proved by
    simplification; failing that, invariance under a rotation by a symbolic angle in each
    coordinate plane is proved instead.  In one variable, radial means even.

    Raises
    ------
    TimeLimitExceededError
        The proof took more than ``seconds``.

    Examples
    --------
    >>> x1, x2 = sp.symbols("x1 x2", real=True)
    >>> radial_profile(sp.exp(-(x1**2 + x2**2) / 2), [x1, x2])
    (exp(-r**2/2), r)
    >>> radial_profile(sp.exp(-x1**2 - 2 * x2**2), [x1, x2]) is None
    True
    >>> bump = x2 * (x1 - sp.Rational(1, 3)) * (x1 + sp.Rational(7, 5)) * (x1 - 2)
    >>> radial_profile(sp.exp(-x1**2 - x2**2) * (1 + bump), [x1, x2]) is None
    True
    """
    variables = tuple(variables)
    if not variables:
        raise ValueError("variables is empty; pass the Symbols f is a function of")
    with deadline(seconds):
        if len(variables) == 1:
            (x,) = variables
            r = sp.Symbol("r", positive=True)
            if _refuted(f, f.subs(x, -x), variables) or not _vanishes(f.subs(x, -x) - f):
                return None
            g = _profile_at(f, {x: r})
            return None if g is None else (g, r)
        found = _form_profile(f, variables, sp.eye(len(variables)), None)
        if found is _REFUTED:  # f differs from its profile at a point: not radial
            return None
        if found is not None:
            return found
        if _rotation_invariant(f, variables):
            r = sp.Symbol("r", positive=True)
            first, *rest = variables
            g = _profile_at(f, {first: r, **dict.fromkeys(rest, 0)})
            return None if g is None else (g, r)
    return None


# --- the radial transform -------------------------------------------------------------------


def _besselk(nu: Any, x: Any) -> Any:
    """:math:`K_\\nu(x)` for real ν and x > 0, to about 14 digits, from
    :math:`K_\\nu(x) = \\int_0^\\infty e^{-x\\cosh t}\\cosh(\\nu t)\\,dt` by the trapezoidal rule
    (exponentially accurate for this integrand, analytic in a strip); mpmath's ``besselk``
    takes milliseconds per value in the range quadrature needs most."""
    order, point = abs(float(mpmath.re(nu))), float(mpmath.re(x))
    if not point > 0:
        return mpmath.inf
    if point > 700:  # below 1e-304
        return mpmath.mpf(0)
    end = math.acosh(1 + 50 / point)
    for _ in range(3):  # past `end` the integrand is below e^{-50} of its size at 0
        end = math.acosh(1 + (50 + order * end) / point)
    step = min(0.1, 0.4 / math.sqrt(point))
    count = max(8, math.ceil(end / step))
    t = np.linspace(0.0, end, count + 1)
    y = order * t
    log_cosh = y + np.log1p(np.exp(-2 * y)) - math.log(2)
    weights = np.exp(-point * (np.cosh(t) - 1) + log_cosh)
    total = (end / count) * (float(weights.sum()) - float(weights[0]) / 2)
    return mpmath.mpf(math.exp(-point) * total)


def transform_function(expr: sp.Expr, rho: sp.Symbol) -> Callable[[Any], Any]:
    """A radial transform as an mpmath function of ρ, with :math:`K_\\nu` evaluated fast
    (to about 14 digits) and ``Heaviside`` with its value at 0 kept.

    Examples
    --------
    >>> rho = sp.Symbol("rho", positive=True)
    >>> fn = transform_function(rho * sp.besselk(1, rho) / (4 * sp.pi), rho)
    >>> round(float(fn(mpmath.mpf(2))), 12)  # 2 K_1(2) / (4π)
    0.022260346461
    """

    def heaviside(t: Any, at_zero: Any = sp.S.Half) -> Any:
        return 1 if t > 0 else (0 if t < 0 else mpmath.mpf(float(at_zero)))

    numbers = expr.evalf(30) if expr.free_symbols <= {rho} else expr
    modules = [{"besselk": _besselk, "Heaviside": heaviside}, "mpmath"]
    function: Callable[[Any], Any] = sp.lambdify(rho, numbers, modules=modules)
    return function


def hankel_numeric(g: sp.Expr, r: sp.Symbol, rho: float, d: int) -> float:
    """:math:`A(\\rho) = \\int_{\\mathbb{R}^d} e^{-i\\omega\\cdot x} g(|x|)\\,dx`,
    :math:`\\rho = |\\omega|`, by quadrature of the one-dimensional Hankel integral
    (Stein & Weiss 1971, Theorem IV.3.3); at ρ = 0, :math:`|S^{d-1}|\\int_0^\\infty g\\,r^{d-1}dr`.

    Examples
    --------
    >>> r = sp.Symbol("r", positive=True)
    >>> round(hankel_numeric(sp.exp(-r**2 / 2), r, 1.0, 2), 12)  # 2π e^{-1/2}
    3.81094452946
    """
    fn = mp_function(g, r)
    with mpmath.workdps(16):
        if rho == 0:
            sphere = 2 * mpmath.pi ** (mpmath.mpf(d) / 2) / mpmath.gamma(mpmath.mpf(d) / 2)
            return float(sphere * mpmath.quad(lambda t: fn(t) * t ** (d - 1), [0, mpmath.inf]))
        order = mpmath.mpf(d) / 2 - 1

        def integrand(t: Any) -> Any:
            return fn(t) * mpmath.besselj(order, rho * t) * t ** (mpmath.mpf(d) / 2)

        if _decays_exponentially(g, r):  # plain quadrature suffices; else sum the oscillations
            value = mpmath.quad(integrand, [0, 1, 4, 16, mpmath.inf])
        else:
            value = mpmath.quadosc(integrand, [0, mpmath.inf], omega=rho)
        return float(
            (2 * mpmath.pi) ** (mpmath.mpf(d) / 2) * rho ** (1 - mpmath.mpf(d) / 2) * value
        )


def _gaussian_type(g: sp.Expr, r: sp.Symbol) -> bool:
    """Is g a polynomial in r times :math:`e^{-c r^2 + b r}`, c > 0 (bounded, and decaying
    faster than any power: no limit needs computing)?"""
    factors = sp.Mul.make_args(g)
    exps = [e for e in factors if isinstance(e, sp.exp)]
    rest = sp.Mul(*(e for e in factors if not isinstance(e, sp.exp)))
    if not exps or not rest.is_polynomial(r):
        return False
    exponent = sp.expand(sp.Add(*(e.args[0] for e in exps)))
    if not exponent.is_polynomial(r) or sp.degree(exponent, r) != 2:
        return False
    return bool(exponent.coeff(r, 2).is_negative)


@functools.lru_cache(maxsize=256)
def _decays_exponentially(g: sp.Expr, r: sp.Symbol) -> bool:
    """Does g decay at least like e^{-r/10}?"""
    return _gaussian_type(g, r) or _limit(g * sp.exp(r / 10), r, sp.oo) == 0


def _limit(expr: sp.Expr, r: sp.Symbol, point: sp.Expr) -> sp.Expr | None:
    try:
        with deadline(SYMPY_SECONDS):
            value = sp.limit(expr, r, point)
    except (TimeLimitExceededError, NotImplementedError, ValueError, TypeError, RecursionError):
        return None
    return None if value.has(sp.Limit) else value


def _integrable(g: sp.Expr, r: sp.Symbol, d: sp.Expr) -> bool:
    """Is :math:`r^{d-1} g` integrable at infinity (f in :math:`L^1`), as far as limits say?"""
    if _gaussian_type(g, r):
        return True
    value = _limit(r ** (d + sp.S.Half) * g, r, sp.oo)
    return value is not None and value.is_finite is True


def _check_integrable(g: sp.Expr, r: sp.Symbol, d: sp.Expr) -> None:
    """Refuse profiles whose transform is not a function that quadrature can confirm:
    unbounded at 0, not decaying, or decaying like :math:`|x|^{-(d+1)/2}` or slower (the
    Hankel integral then does not converge absolutely).  A profile that decays faster but is
    not integrable on :math:`\\mathbb{R}^d` (:math:`(1+|x|^2)^{-3/2}` in d = 3) is in
    :math:`L^2`: its transform is a function with a singularity at ρ = 0."""
    if _gaussian_type(g, r):
        return
    at_zero = _limit(g, r, sp.S.Zero)
    if at_zero is not None and not at_zero.is_finite:
        raise ValueError(
            f"g = {plain_expr(g)} is unbounded as {r} → 0: f is not integrable on R^{d}, so it "
            "has no "
            "Fourier transform as a function; pass a bounded, integrable profile"
        )
    value = _limit(g, r, sp.oo)
    if value is not None and value != 0:
        raise ValueError(
            f"f = g(|x|) with g = {plain_expr(g)} does not decay as |x| → ∞, so ∫|f| = ∞ on R^{d} "
            "and f "
            "has no Fourier transform as a function; pass a function that decays"
        )
    tail = _limit(r ** ((d + 2) / 2) * g, r, sp.oo)
    if tail is None or not tail.is_finite:
        raise NotSupportedError(
            f"symdl cannot confirm that g = {plain_expr(g)} decays like |x|^-(d/2+1) or faster on "
            f"R^{d}, "
            "which its Hankel transform needs"
        )


def radial_length_scale(g: sp.Expr, r: sp.Symbol) -> float:
    """Where :math:`r|g(r)|` peaks, on a logarithmic grid from :math:`10^{-3}` to
    :math:`10^3`: the scale L of the function, to which check frequencies and quadrature
    subdivisions are proportional (a choice of points, never a decision).

    Examples
    --------
    >>> r = sp.Symbol("r", positive=True)
    >>> round(radial_length_scale(sp.exp(-r**2), r), 2)  # 1/√2 on the grid
    0.71
    """
    try:
        fn = sp.lambdify(r, g, modules="mpmath")
        best, where = -1.0, 1.0
        for k in range(-60, 61):
            t = 10 ** (k / 20)
            value = t * abs(complex(fn(mpmath.mpf(t))))
            if math.isfinite(value) and value > best:
                best, where = value, t
    except (TypeError, ValueError, ArithmeticError, NameError, ZeroDivisionError):
        return 1.0
    return where if best > 0 else 1.0


def _gaussian_rule(
    a: sp.Expr, rest: sp.Expr, s: sp.Symbol, rho: sp.Symbol, d: sp.Expr
) -> sp.Expr | None:
    """:math:`a P(s) e^{-c s}` with s = r²: :math:`P(-\\partial_c)` applied to the Gaussian's
    transform :math:`(\\pi/c)^{d/2} e^{-\\rho^2/(4c)}` (differentiation under the integral)."""
    exps = [e for e in sp.Mul.make_args(rest) if isinstance(e, sp.exp)]
    if not exps:
        return None
    polynomial = sp.Mul(*(e for e in sp.Mul.make_args(rest) if not isinstance(e, sp.exp)))
    exponent = sp.expand(sp.Add(*(e.args[0] for e in exps)))
    if not (exponent.is_polynomial(s) and sp.degree(exponent, s) == 1):
        return None
    c, e0 = -exponent.coeff(s, 1), exponent.coeff(s, 0)
    if not (c.is_positive and polynomial.is_polynomial(s)):
        return None
    C = sp.Dummy("c", positive=True)
    gaussian = (sp.pi / C) ** (d / 2) * sp.exp(-(rho**2) / (4 * C))
    total = sp.S.Zero
    for (k,), coefficient in sp.Poly(polynomial, s).terms():
        total += coefficient * (-1) ** k * sp.diff(gaussian, C, k)
    return a * sp.exp(e0) * total.subs(C, c)


def _bessel_potential(q: sp.Expr, rho: sp.Symbol, d: sp.Expr) -> sp.Expr:
    """The transform of :math:`(1 + r^2)^{-q}` on :math:`\\mathbb{R}^d`:
    :math:`(2\\pi)^{d/2} 2^{1-q} \\Gamma(q)^{-1} \\rho^{q-d/2} K_{d/2-q}(\\rho)`."""
    return (
        (2 * sp.pi) ** (d / 2)
        * 2 ** (1 - q)
        / sp.gamma(q)
        * rho ** (q - d / 2)
        * sp.besselk(d / 2 - q, rho)
    )


def _bessel_rule(
    a: sp.Expr, rest: sp.Expr, s: sp.Symbol, rho: sp.Symbol, d: sp.Expr
) -> sp.Expr | None:
    """:math:`a s^k (b s + c)^{-p}` with s = r², written as a sum of Bessel potentials
    :math:`(b s + c)^{j-p}` (Stein, *Singular Integrals*, 1970, Chapter V, Section 3: the
    transform of :math:`(1+|x|^2)^{-q}` is :math:`\\propto \\rho^{q-d/2}K_{d/2-q}(\\rho)`)."""
    k, base, p = 0, None, None
    for factor in sp.Mul.make_args(rest):
        power, exponent = factor.as_base_exp()
        if power == s and exponent.is_Integer and exponent >= 0:
            k += int(exponent)
        elif base is None and exponent.is_negative and power.is_polynomial(s):
            base, p = sp.expand(power), -exponent
        else:
            return None
    if base is None or p is None or sp.degree(base, s) != 1:
        return None
    b, c = base.coeff(s, 1), base.coeff(s, 0)
    if not (b.is_positive and c.is_positive and p.is_rational):
        return None
    scale = sp.sqrt(b / c)  # (c + b r²)^{-q} = c^{-q} (1 + (scale r)²)^{-q}
    total = sp.S.Zero
    for j in range(k + 1):
        q = p - j
        if not q.is_positive:
            return None  # a part that does not decay: not a function's transform
        coefficient = sp.binomial(k, j) * (-c) ** (k - j) / b**k
        total += coefficient * c ** (-q) * scale ** (-d) * _bessel_potential(q, rho / scale, d)
    return a * total


def radial_table(g: sp.Expr, r: sp.Symbol, rho: sp.Symbol, d: sp.Expr) -> sp.Expr | None:
    """:math:`A(\\rho) = \\int_{\\mathbb{R}^d} e^{-i\\omega\\cdot x} g(|x|)\\,dx` from the
    table, for g a sum of terms :math:`a\\,P(r^2) e^{-c r^2}` (P a polynomial) and
    :math:`a\\,r^{2k}(c + b r^2)^{-p}` (Bessel potentials), any dimension (symbolic too);
    ``None`` when a term has another form.  Unchecked here: the caller confirms it.

    Examples
    --------
    >>> r, rho = sp.Symbol("r", positive=True), sp.Symbol("rho", positive=True)
    >>> radial_table(r**2 * sp.exp(-r**2), r, rho, sp.Integer(2))
    pi*(4 - rho**2)*exp(-rho**2/4)/4
    >>> radial_table(1 / (1 + r**2) ** 2, r, rho, sp.Integer(2))
    pi*rho*besselk(1, rho)

    References
    ----------
    E. M. Stein, *Singular Integrals and Differentiability Properties of Functions*, 1970,
    Chapter V, Section 3 (Bessel potentials).
    """
    found = radial_table_transform(g, r, rho, d)
    if found is not None:
        return found
    s = sp.Dummy("s", positive=True)
    h = g.subs(r, sp.sqrt(s))
    if h.has(r) or any(not p.exp.is_Integer for p in h.atoms(sp.Pow) if p.base == s):
        return None  # not a function of r²
    if h.is_rational_function(s):
        try:
            with deadline(SYMPY_SECONDS):
                h = sp.apart(h, s)
        except (TimeLimitExceededError, NotImplementedError, ValueError, TypeError):
            return None
    total = sp.S.Zero
    for term in sp.Add.make_args(h):
        a, rest = term.as_independent(s, as_Add=False)
        if rest == 1:
            return None  # a constant does not decay
        found = _gaussian_rule(a, rest, s, rho, d)
        if found is None:
            found = _bessel_rule(a, rest, s, rho, d)
        if found is None:
            return None
        total += found
    return sp.simplify(total)


def _sympy_hankel(g: sp.Expr, r: sp.Symbol, rho: sp.Symbol, d: sp.Expr) -> sp.Expr | None:
    t = sp.Dummy("t", positive=True)
    order = d / 2 - 1
    integrand = g.subs(r, t) * sp.besselj(order, rho * t) * t ** (d / 2)
    try:
        with deadline(SYMPY_SECONDS):
            hankel = sp.integrate(integrand, (t, 0, sp.oo))
    except (TimeLimitExceededError, NotImplementedError, ValueError, TypeError, RecursionError):
        return None
    if hankel.has(sp.Integral) or hankel.has(sp.nan, sp.zoo):
        return None
    if hankel.has(sp.meijerg, sp.hyper):  # closed forms, when SymPy can find them
        try:
            with deadline(SYMPY_SECONDS):
                hankel = sp.hyperexpand(hankel)
        except (TimeLimitExceededError, NotImplementedError, ValueError, TypeError, RecursionError):
            return None
    if hankel.has(sp.meijerg):  # mpmath evaluates these slowly, and fails at high frequency
        return None
    try:
        with deadline(SYMPY_SECONDS):
            return sp.simplify((2 * sp.pi) ** (d / 2) * rho ** (1 - d / 2) * hankel)
    except (TimeLimitExceededError, NotImplementedError, ValueError, TypeError, RecursionError):
        return (2 * sp.pi) ** (d / 2) * rho ** (1 - d / 2) * hankel


def _parseval(
    g: sp.Expr, r: sp.Symbol, transform: sp.Expr, rho: sp.Symbol, a: float, n: int
) -> ParsevalCheck:
    """Both sides of Parseval's identity against :math:`e^{-a|x|^2}` on :math:`\\mathbb{R}^n`,
    radially (the area of the sphere cancels): neither side oscillates, so a slowly decaying
    g costs no oscillatory quadrature."""
    profile, fn = mp_function(g, r), transform_function(transform, rho)
    with mpmath.workdps(14 if transform.has(sp.besselk) else _DPS):  # K_ν: 14 digits
        width = mpmath.mpf(a)
        points = [0, 0.5, 1, 2, 4, 8, 12, 24]  # past 12 (24): the weight is below e^{-144}
        left = mpmath.quad(
            lambda t: profile(t) * mpmath.exp(-width * t * t) * t ** (n - 1),
            [p / mpmath.sqrt(width) for p in points],
        )
        right = mpmath.quad(
            lambda t: fn(t) * mpmath.exp(-t * t / (4 * width)) * t ** (n - 1),
            [p * mpmath.sqrt(width) for p in points],
        )
        right *= (2 * mpmath.pi) ** -n * (mpmath.pi / width) ** (mpmath.mpf(n) / 2)
        return ParsevalCheck(a, complex(left), complex(right))


def _checked(
    claimed: complex, quadrature: complex, peak: float, what: str, closed: sp.Expr, g: sp.Expr
) -> None:
    allowed = _RELATIVE_TOLERANCE * max(abs(quadrature), 1e-6 * peak)
    if not abs(claimed - quadrature) <= allowed:
        raise SymdlError(
            f"the radial transform {plain_expr(closed)} of g = {plain_expr(g)} disagrees with "
            f"quadrature {what}: "
            f"{claimed} vs {quadrature}"
        )


def _confirm(
    found: sp.Expr, g: sp.Expr, r: sp.Symbol, rho: sp.Symbol, d: sp.Expr, source: str
) -> tuple[tuple[int, FrequencyCheck | ParsevalCheck], ...]:
    """Compare ``found`` with quadrature of the Hankel integral, in each dimension checked,
    at frequencies proportional to 1/L (L the function's scale) and at ρ = 0 through the
    limit; for a slowly decaying g, both sides of Parseval's identity against Gaussians of
    widths proportional to L are compared instead.  A relative
    discrepancy above the tolerance raises SymdlError."""
    dims = [int(d)] if d.is_Integer else [1, 2, 3, 4]
    scale = radial_length_scale(g, r)
    checks: list[tuple[int, FrequencyCheck | ParsevalCheck]] = []
    for n in dims:
        closed = found.subs(d, n)
        if not _decays_exponentially(g, r):  # Parseval: no oscillatory quadrature
            moments = [_parseval(g, r, closed, rho, (m / scale) ** 2, n) for m in _CHECK_MULTIPLES]
            peak = max(abs(c.profile_moment) for c in moments)
            for each in moments:
                where = f"against e^(-a|x|²), a = {each.width:.6g}, in dimension {n} ({source})"
                _checked(each.transform_moment, each.profile_moment, peak, where, closed, g)
                checks.append((n, each))
            continue
        radii = [0.0] if _integrable(g, r, sp.Integer(n)) else []
        radii += [m / scale for m in _CHECK_MULTIPLES]
        results = []
        for value in radii:
            if value == 0:
                claimed = _limit(closed, rho, sp.S.Zero)
                if claimed is None:  # SymPy cannot take the limit: check ρ > 0 only
                    continue
            else:
                claimed = closed.subs(rho, sp.Float(value, 30))
            number = _numeric_value(claimed)
            if number is None:
                raise NotSupportedError(
                    f"the radial transform {plain_expr(closed)} ({source}) of g = {plain_expr(g)} "
                    f"in dimension {n} "
                    f"cannot be evaluated at ρ = {value:.6g}"
                )
            results.append(FrequencyCheck(value, number, hankel_numeric(g, r, value, n)))
        peak = max((abs(c.quadrature) for c in results), default=0.0)
        for check in results:
            where = f"at ρ = {check.frequency:.6g} in dimension {n} ({source})"
            _checked(check.closed_form, check.quadrature, peak, where, closed, g)
            checks.append((n, check))
    return tuple(checks)


def radial_fourier_transform(
    g: sp.Expr,
    r: sp.Symbol,
    rho: sp.Symbol,
    *,
    dim: int | sp.Expr,
    convention: FourierConvention = FourierConvention.BARRON,
    seconds: float = 60.0,
) -> RadialFourierTransform:
    """The transform of :math:`f(x) = g(|x|)` on :math:`\\mathbb{R}^d`, as a function of
    :math:`\\rho = |\\omega|`, confirmed by quadrature of the Hankel integral.

    ``dim`` may be a positive integer or a positive-integer Symbol; with a symbol the closed
    form is checked at d = 1, 2, 3, 4.  A profile that decays faster than
    :math:`|x|^{-(d+1)/2}` but is not integrable (:math:`(1+|x|^2)^{-3/2}` in d = 3) has a
    transform with a singularity at ρ = 0: the function of :math:`L^2` it is.

    Raises
    ------
    ValueError
        g is unbounded or does not decay.
    NotSupportedError
        No source gives a transform, or the decay is too slow to confirm one.
    SymdlError
        A closed form disagrees with quadrature.
    TimeLimitExceededError
        The transform took more than ``seconds``.

    Examples
    --------
    >>> r, rho = sp.Symbol("r", positive=True), sp.Symbol("rho", positive=True)
    >>> d = sp.Symbol("d", positive=True, integer=True)
    >>> radial_fourier_transform(sp.exp(-r**2 / 2), r, rho, dim=d).expr
    exp(-rho**2/2)/(2**(d/2)*pi**(d/2))
    >>> radial_fourier_transform(1 / (1 + r**2) ** 2, r, rho, dim=2).expr
    rho*besselk(1, rho)/(4*pi)

    References
    ----------
    E. M. Stein and G. Weiss, *Introduction to Fourier Analysis on Euclidean Spaces*, 1971,
    Chapter IV, Theorem 3.3 (Fourier transforms of radial functions).
    """
    g = validate_function(g, [r])
    d = validate_dimension(dim)
    if not isinstance(convention, FourierConvention):
        raise TypeError(f"convention={convention!r} is not a FourierConvention member")
    if not r.is_positive or not rho.is_positive:
        raise ValueError(
            f"the radius {r} and the frequency {rho} must be Symbols declared positive=True"
        )
    with deadline(seconds):
        _check_integrable(g, r, d)
        found = radial_table_transform(g, r, rho, d)
        source = "table: gaussian"
        if found is None:
            found = radial_table(g, r, rho, d)
            source = "table: polynomials times gaussians, bessel potentials"
        if found is None:
            if not d.is_Integer:
                raise NotSupportedError(
                    f"the radial transform of g = {plain_expr(g)} in symbolic dimension {d} is "
                    "not in "
                    "symdl's table; pass an integer dim"
                )
            found = _sympy_hankel(g, r, rho, d)
            source = "sympy (Hankel integral)"
            if found is None:
                raise NotSupportedError(
                    f"SymPy cannot evaluate the Hankel transform of g = {plain_expr(g)} in "
                    f"dimension {d}"
                )
        checks = _confirm(found, g, r, rho, d, source)
        if convention is FourierConvention.BARRON:  # (2π)^-d times the integral
            expr = sp.expand_power_base(found * (2 * sp.pi) ** (-d), force=True)
        else:
            expr = convert_transform(
                found, rho, source=FourierConvention.NONUNITARY, target=convention, dim=d
            )
    return RadialFourierTransform(g, r, rho, d, convention, expr, source, checks)
