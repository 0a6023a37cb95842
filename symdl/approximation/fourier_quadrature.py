"""The Fourier integral by quadrature: the referee of every closed-form transform.

:math:`A(\\nu) = \\int e^{-i\\nu x} f(x)\\,dx` is computed by mpmath with the line split where
``f`` may fail to be smooth (:func:`break_points`).  Its tails are plain integrals when ``f``
decays exponentially and oscillatory ones (``mpmath.quadosc``, which sums the integral between
consecutive zeros of the kernel and accelerates the series) when it decays only algebraically;
deciding which needs the form ``f`` takes beyond its last break point.

References
----------
mpmath documentation, ``quad`` (tanh–sinh quadrature) and ``quadosc`` (H. Takahasi and
M. Mori, "Double exponential formulas for numerical integration", Publ. RIMS 9, 1974).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import mpmath
import sympy as sp

from symdl.core.exceptions import NotSupportedError

__all__ = ["break_points", "mp_function", "numeric_transform", "parity", "tail_form"]

# Working precision of the quadrature that referees every transform.
_DPS = 20


def break_points(f: sp.Expr, x: sp.Symbol) -> list[sp.Expr]:
    """Real points where ``f`` may fail to be smooth: zeros of the arguments of ``Abs``,
    ``Heaviside``, ``sign``, of the differences in ``Max``/``Min``, and ends of ``Piecewise``
    pieces.  Quadrature splits its range there.

    Examples
    --------
    >>> x = sp.Symbol("x", real=True)
    >>> break_points(sp.exp(-abs(x - 1)) + sp.Heaviside(x), x)
    [0, 1]
    """
    arguments: list[sp.Expr] = []
    for atom in f.atoms(sp.Abs, sp.Heaviside, sp.sign):
        arguments.append(atom.args[0])
    for atom in f.atoms(sp.Max, sp.Min):
        arguments.extend(p - q for i, p in enumerate(atom.args) for q in atom.args[i + 1 :])
    points: set[sp.Expr] = set()
    for argument in arguments:
        if argument.has(x):
            points.update(sp.solve(sp.Eq(argument, 0), x))
    for piecewise in f.atoms(sp.Piecewise):
        for _, condition in piecewise.args:
            if condition.has(x):
                points.update(condition.as_set().boundary)
    real = [p for p in points if p.is_real and p.is_finite]
    return sorted(real, key=lambda p: float(p))


def mp_function(f: sp.Expr, x: sp.Symbol) -> Callable[[Any], Any]:
    """``f`` as an mpmath function of ``x`` (``Heaviside`` with its value at 0 kept).

    Examples
    --------
    >>> x = sp.Symbol("x", real=True)
    >>> mp_function(sp.Heaviside(x, 0) * sp.exp(-x), x)(mpmath.mpf(1))
    mpf('0.36787944117144233')
    """

    def heaviside(t: Any, at_zero: Any = sp.S.Half) -> Any:
        return 1 if t > 0 else (0 if t < 0 else mpmath.mpf(float(at_zero)))

    return sp.lambdify(x, f, modules=[{"Heaviside": heaviside}, "mpmath"])


def tail_form(f: sp.Expr, x: sp.Symbol, end: sp.Expr) -> sp.Expr:
    """``f`` beyond all its break points, toward ``end``: each ``Piecewise``, ``Max``, ``Min``,
    ``Heaviside``, ``sign`` and ``Abs`` replaced by the form it takes there (fixed, because
    the arguments keep their signs past the last zero), so that SymPy's ``limit`` can see the
    behaviour at infinity (it fails on several of these).

    Examples
    --------
    >>> x = sp.Symbol("x", real=True)
    >>> tail_form(sp.exp(-abs(x - 1)) + sp.Max(0, x), x, sp.oo)
    x + exp(1 - x)
    >>> tail_form(sp.exp(-abs(x - 1)) + sp.Max(0, x), x, -sp.oo)
    exp(x - 1)
    """
    points = break_points(f, x) or [sp.S.Zero]
    far = points[-1] + 1 if end == sp.oo else points[0] - 1

    def positive(argument: sp.Expr) -> bool:
        return bool(sp.N(argument.subs(x, far), 30) > 0)

    def active(e: sp.Expr) -> sp.Expr:
        if isinstance(e, sp.Piecewise):
            for value, condition in e.args:
                if condition.subs(x, far) == sp.true:
                    return value
            raise NotSupportedError(f"{e} is undefined for large |{x}|")
        if isinstance(e, (sp.Max, sp.Min)):
            values = [float(sp.N(a.subs(x, far), 30)) for a in e.args]
            pick = max if isinstance(e, sp.Max) else min
            return e.args[values.index(pick(values))]
        if isinstance(e, sp.Abs):
            return e.args[0] if positive(e.args[0]) else -e.args[0]
        if isinstance(e, sp.Heaviside):
            return sp.S.One if positive(e.args[0]) else sp.S.Zero
        return sp.S.One if positive(e.args[0]) else -sp.S.One  # sign

    kinds = (sp.Piecewise, sp.Max, sp.Min, sp.Abs, sp.Heaviside, sp.sign)
    return f.replace(lambda e: isinstance(e, kinds) and e.has(x), active)


@functools.lru_cache(maxsize=256)
def _decays_exponentially(f: sp.Expr, x: sp.Symbol) -> bool:
    """Does ``f`` decay at least like e^{-|x|/10}?  Then plain quadrature handles the tails."""
    return all(
        sp.limit(tail_form(f, x, end) * sp.exp(sp.Abs(x) / 10), x, end) == 0
        for end in (sp.oo, -sp.oo)
    )


@functools.lru_cache(maxsize=256)
def numeric_transform(f: sp.Expr, x: sp.Symbol, frequency: float) -> complex:
    """:math:`A(\\nu) = \\int e^{-i\\nu x} f(x)\\,dx` by mpmath quadrature.

    The line is split at :func:`break_points`; when ``f`` decays only algebraically the two
    tails are oscillatory integrals (``mpmath.quadosc``).  The sine (cosine) part of an even
    (odd) ``f`` vanishes and is not computed.

    Examples
    --------
    >>> x = sp.Symbol("x", real=True)
    >>> round(numeric_transform(1 / (1 + x**2), x, -1.0).real, 12)  # π e^{-1}
    1.155727349791
    """
    fn = mp_function(f, x)
    symmetry = parity(f, x)
    oscillatory = not _decays_exponentially(f, x)
    with mpmath.workdps(_DPS):
        nu = mpmath.mpf(frequency)
        points = [mpmath.mpf(float(p)) for p in break_points(f, x)] or [mpmath.mpf(0)]

        def part(kernel: Callable[[Any], Any]) -> Any:
            def integrand(t: Any) -> Any:
                return fn(t) * kernel(nu * t)

            if nu == 0 or not oscillatory:
                return mpmath.quad(integrand, [-mpmath.inf, *points, mpmath.inf])
            total = mpmath.quad(integrand, points) if len(points) > 1 else mpmath.mpf(0)
            total += mpmath.quadosc(integrand, [points[-1], mpmath.inf], omega=abs(nu))
            total += mpmath.quadosc(integrand, [-mpmath.inf, points[0]], omega=abs(nu))
            return total

        real = 0 if symmetry == -1 else part(mpmath.cos)
        imaginary = 0 if symmetry == 1 or nu == 0 else -part(mpmath.sin)
    return complex(float(real), float(imaginary))


@functools.lru_cache(maxsize=256)
def parity(f: sp.Expr, x: sp.Symbol) -> int:
    """+1 for an even function, -1 for an odd one, 0 otherwise (decided by ``simplify``).

    Examples
    --------
    >>> x = sp.Symbol("x", real=True)
    >>> parity(1 / (1 + x**2), x), parity(x * sp.exp(-x**2), x), parity(sp.exp(-(x - 1)**2), x)
    (1, -1, 0)
    """
    mirrored = f.subs(x, -x)
    if sp.simplify(mirrored - f) == 0:
        return 1
    if sp.simplify(mirrored + f) == 0:
        return -1
    return 0
