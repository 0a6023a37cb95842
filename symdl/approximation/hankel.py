"""Fourier transforms of radial functions on :math:`\\mathbb{R}^d`, through the Hankel transform.

A radial function :math:`f(x) = g(|x|)` has a radial transform (Stein & Weiss, *Introduction
to Fourier Analysis on Euclidean Spaces*, 1971, Theorem IV.3.3):

.. math::

    \\int_{\\mathbb{R}^d} e^{-i\\omega\\cdot x} g(|x|)\\,dx
    = (2\\pi)^{d/2} \\rho^{1-d/2} \\int_0^\\infty g(r)\\,J_{d/2-1}(\\rho r)\\,r^{d/2}\\,dr,
    \\qquad \\rho = |\\omega| .

One integral in r replaces a d-dimensional one, and the dimension can stay symbolic.
:func:`radial_profile` recognises a radial function written in Cartesian coordinates.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import mpmath
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

__all__ = [
    "RadialFourierTransform",
    "hankel_numeric",
    "radial_fourier_transform",
    "radial_profile",
]

_DPS = 20
_CHECK_RADII = (0.0, 0.5, 1.0, 2.25)
# Points at which a function claimed radial is compared with its profile.
_RADIAL_PROBES = (
    (sp.Rational(1, 3), sp.Rational(-5, 4), sp.Rational(2, 7), sp.Rational(-1, 2)),
    (sp.Rational(-7, 5), sp.Rational(1, 9), sp.Rational(3, 2), sp.Rational(5, 6)),
    (sp.Rational(2, 1), sp.Rational(-3, 8), sp.Rational(-4, 3), sp.Rational(1, 5)),
)


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
    checks: tuple[tuple[int, FrequencyCheck], ...]


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
    with mpmath.workdps(_DPS):
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


@functools.lru_cache(maxsize=256)
def _decays_exponentially(g: sp.Expr, r: sp.Symbol) -> bool:
    """Does g decay at least like e^{-r/10}?"""
    return _limit(g * sp.exp(r / 10), r, sp.oo) == 0


def _limit(expr: sp.Expr, r: sp.Symbol, point: sp.Expr) -> sp.Expr | None:
    try:
        with deadline(SYMPY_SECONDS):
            value = sp.limit(expr, r, point)
    except (TimeLimitExceededError, NotImplementedError, ValueError, TypeError, RecursionError):
        return None
    return None if value.has(sp.Limit) else value


def _check_integrable(g: sp.Expr, r: sp.Symbol, d: sp.Expr) -> None:
    """Refuse profiles for which ∫_{R^d} |g(|x|)| dx = |S^{d-1}| ∫ r^{d-1}|g(r)| dr = ∞."""
    at_zero = _limit(g, r, sp.S.Zero)
    if at_zero is not None and not at_zero.is_finite:
        raise ValueError(
            f"g = {g} is unbounded as {r} → 0: f is not integrable on R^{d}, so it has no "
            "Fourier transform as a function; pass a bounded, integrable profile"
        )
    for power, problem in ((0, "does not decay"), (d, f"decays like |x|^-{d} or slower")):
        value = _limit(r**power * g, r, sp.oo)
        if value is not None and value != 0:
            raise ValueError(
                f"f = g(|x|) with g = {g} {problem} as |x| → ∞, so ∫|f| = ∞ on R^{d} and f "
                "has no Fourier transform as a function; pass an integrable function"
            )
    tail = _limit(r ** (d + 1) * g, r, sp.oo)
    if tail is None or not tail.is_finite:
        raise NotSupportedError(
            f"symdl cannot confirm that g = {g} decays like |x|^-(d+1) or faster on R^{d}"
        )


def radial_fourier_transform(
    g: sp.Expr,
    r: sp.Symbol,
    rho: sp.Symbol,
    *,
    dim: int | sp.Expr,
    convention: FourierConvention = FourierConvention.BARRON,
) -> RadialFourierTransform:
    """The transform of :math:`f(x) = g(|x|)` on :math:`\\mathbb{R}^d`, as a function of
    :math:`\\rho = |\\omega|`, confirmed by quadrature of the Hankel integral.

    ``dim`` may be a positive integer or a positive-integer Symbol; with a symbol the closed
    form is checked at d = 1, 2, 3, 4.

    Examples
    --------
    >>> r, rho = sp.Symbol("r", positive=True), sp.Symbol("rho", positive=True)
    >>> d = sp.Symbol("d", positive=True, integer=True)
    >>> radial_fourier_transform(sp.exp(-r**2 / 2), r, rho, dim=d).expr
    exp(-rho**2/2)/(2**(d/2)*pi**(d/2))

    References
    ----------
    E. M. Stein and G. Weiss, *Introduction to Fourier Analysis on Euclidean Spaces*, 1971,
    Chapter IV, Theorem 3.3 (Fourier transforms of radial functions).
    """
    g = validate_function(g, [r])
    d = validate_dimension(dim)
    if not r.is_positive or not rho.is_positive:
        raise ValueError(
            f"the radius {r} and the frequency {rho} must be Symbols declared positive=True"
        )
    _check_integrable(g, r, d)
    found = radial_table_transform(g, r, rho, d)
    source = "table: gaussian"
    if found is None:
        if not d.is_Integer:
            raise NotSupportedError(
                f"the radial transform of g = {g} in symbolic dimension {d} is not in symdl's "
                "table; pass an integer dim"
            )
        t = sp.Dummy("t", positive=True)
        order = d / 2 - 1
        integrand = g.subs(r, t) * sp.besselj(order, rho * t) * t ** (d / 2)
        try:
            with deadline(SYMPY_SECONDS):
                hankel = sp.integrate(integrand, (t, 0, sp.oo))
        except (TimeLimitExceededError, NotImplementedError, ValueError, TypeError):
            hankel = sp.Integral(integrand, (t, 0, sp.oo))
        if hankel.has(sp.Integral):
            raise NotSupportedError(
                f"SymPy cannot evaluate the Hankel transform of g = {g} in dimension {d}"
            )
        found = sp.simplify((2 * sp.pi) ** (d / 2) * rho ** (1 - d / 2) * hankel)
        source = "sympy (Hankel integral)"
    dims = [int(d)] if d.is_Integer else [1, 2, 3, 4]
    checks = []
    for n in dims:
        closed = found.subs(d, n)
        for value in _CHECK_RADII:
            claimed = _limit(closed, rho, sp.S.Zero) if value == 0 else closed.subs(rho, value)
            if claimed is None:  # SymPy cannot take the limit at ρ = 0: check ρ > 0 only
                continue
            check = FrequencyCheck(
                value, complex(sp.N(claimed, 20)), hankel_numeric(g, r, value, n)
            )
            if not check.passed:
                raise SymdlError(
                    f"the radial transform {closed} of g = {g} in dimension {n} disagrees with "
                    f"quadrature at ρ = {value}: {check.closed_form} vs {check.quadrature}"
                )
            checks.append((n, check))
    expr = convert_transform(
        found, rho, source=FourierConvention.NONUNITARY, target=convention, dim=d
    )
    return RadialFourierTransform(g, r, rho, d, convention, expr, source, tuple(checks))


def radial_profile(f: sp.Expr, variables: Sequence[sp.Symbol]) -> tuple[sp.Expr, sp.Symbol] | None:
    """``(g, r)`` with :math:`f(x) = g(|x|)`, or ``None`` when ``f`` is not radial.

    The profile is :math:`g(r) = f(r, 0, \\dots, 0)`; it is compared with ``f`` at several
    fixed rational points to 30 digits.

    Examples
    --------
    >>> x1, x2 = sp.symbols("x1 x2", real=True)
    >>> radial_profile(sp.exp(-(x1**2 + x2**2) / 2), [x1, x2])
    (exp(-r**2/2), r)
    >>> radial_profile(sp.exp(-x1**2 - 2 * x2**2), [x1, x2]) is None
    True
    """
    r = sp.Symbol("r", positive=True)
    first, *rest = variables
    g = f.subs({first: r, **dict.fromkeys(rest, 0)})
    for probe in _RADIAL_PROBES:
        point = dict(zip(variables, probe * (len(variables) // len(probe) + 1), strict=False))
        norm = sp.sqrt(sum(value**2 for value in point.values()))
        if abs(sp.N(f.subs(point) - g.subs(r, norm), 30)) > 1e-25:
            return None
    return g, r
