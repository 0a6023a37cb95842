"""Barron's constant as a value: exact, numeric with its error, and the reason it is finite.

The quadrature helpers here evaluate :math:`\\int_0^\\infty w\\,|\\hat f|` with an error estimate
and compare it with SymPy's exact integral; every route to :math:`C_f` (one variable, radial,
several variables) returns a :class:`BarronConstant`.
"""

from __future__ import annotations

import html
import itertools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import mpmath
import sympy as sp

from symdl.approximation.fourier import SYMPY_SECONDS, FourierTransform
from symdl.approximation.hankel import RadialFourierTransform
from symdl.core.exceptions import NotSupportedError, SymdlError
from symdl.core.limits import TimeLimitExceededError, deadline
from symdl.core.notation import math_html, mathjax_text

__all__ = [
    "BarronConstant",
    "confirm_exact",
    "exact_abs_integral",
    "exact_integral",
    "quad_with_error",
    "sign_changes",
]

_DPS = 30


@dataclass(frozen=True)
class BarronConstant:
    """Barron's constant of ``function`` in ``variables``.

    Attributes
    ----------
    exact:
        A SymPy expression (in ``dim`` when the dimension is symbolic), ``oo`` when
        :math:`C_f = \\infty`, or ``None`` when SymPy cannot evaluate the integral.
    numeric:
        The value by mpmath quadrature (``math.inf`` when infinite); ``None`` only for a
        symbolic dimension, whose quadratures are in ``checks``.
    error:
        An estimate of the absolute error of ``numeric``.
    reason:
        How finiteness was decided.
    checks:
        ``(d, exact value, quadrature)`` for the dimensions at which a symbolic result was
        confirmed.
    """

    function: sp.Expr
    variables: tuple[sp.Symbol, ...]
    dim: sp.Expr
    exact: sp.Expr | None
    numeric: float | None
    error: float
    reason: str
    transform: FourierTransform | RadialFourierTransform | None
    checks: tuple[tuple[int, float, float], ...] = ()

    @property
    def finite(self) -> bool:
        """True when :math:`C_f < \\infty`."""
        return self.exact is not sp.oo and self.numeric != math.inf

    def _value_latex(self) -> str:
        """``C_f = …`` for ``f(x) = …``: exact and numeric (with its error), or infinity."""
        of = rf"\quad \text{{for }} {self._function_latex()}"
        if not self.finite:
            return rf"C_f = \infty {of}"
        values = [] if self.exact is None else [sp.latex(self.exact)]
        if self.numeric is not None:
            values.append(rf"{self.numeric!r} \pm {_scientific(self.error)}")
        value = r" \approx ".join(values)
        if self.checks:  # a symbolic dimension: the quadratures that confirmed the formula
            dims = ", ".join(str(d) for d, _, _ in self.checks)
            of += rf" \quad \text{{(quadrature agrees at }} {sp.latex(self.dim)} = {dims})"
        return rf"C_f = {value} {of}"

    def _function_latex(self) -> str:
        """``f(x) = …``; for a radial profile ``g`` given alone, ``f(x) = g(|x|)`` on R^d."""
        if self.variables:
            variables = ", ".join(sp.latex(v) for v in self.variables)
            return rf"f\left({variables}\right) = {sp.latex(self.function)}"
        radius = sorted(self.function.free_symbols - self.dim.free_symbols, key=str)
        r = sp.latex(radius[0]) if len(radius) == 1 else "r"
        space = rf"x \in \mathbb{{R}}^{{{sp.latex(self.dim)}}}"
        return rf"f(x) = g(|x|),\ g({r}) = {sp.latex(self.function)},\ {space}"

    def _repr_latex_(self) -> str:
        # MathJax reads math mode only: an infinite constant gives its reason as \text
        if self.finite:
            return f"$${self._value_latex()}$$"
        return f"$${self._value_latex()} \\quad ({mathjax_text(self.reason)})$$"

    def _repr_html_(self) -> str:
        reason = html.escape(self.reason, quote=False)
        return f'<div class="math">{math_html(self._value_latex())}<p>{reason}</p></div>'


def _scientific(error: float) -> str:
    r"""``error`` as LaTeX, in scientific notation with two digits (``1.0 \cdot 10^{-42}``)."""
    mantissa, exponent = f"{error:.1e}".split("e")
    return rf"{mantissa} \cdot 10^{{{int(exponent)}}}"


def sign_changes(signed: Sequence[Callable[[Any], Any]], upper: float = 64.0) -> list[Any]:
    """Zeros in (0, upper) of each real function in ``signed``, located by sign changes on a
    grid and refined by bisection: the kinks of :math:`|\\hat f|`, where quadrature must
    split its range."""
    zeros = []
    with mpmath.workdps(_DPS):
        grid = [mpmath.mpf(upper) * k / 1024 for k in range(1, 1025)]
        for fn in signed:
            values = [mpmath.re(fn(t)) for t in grid]
            for a, b, fa, fb in zip(grid, grid[1:], values, values[1:], strict=False):
                if fa * fb < 0:
                    for _ in range(80):  # bisection
                        m = (a + b) / 2
                        if mpmath.re(fn(m)) * fa > 0:
                            a = m
                        else:
                            b = m
                    zeros.append((a + b) / 2)
    return sorted(zeros)


def quad_with_error(
    fn: Callable[[Any], Any],
    points: Sequence[object],
    signed: Sequence[Callable[[Any], Any]] = (),
) -> tuple[float, float]:
    """mpmath quadrature with its own error estimate, widened by a second subdivision; the
    range is also split at the zeros of the functions in ``signed`` (kinks of ``fn``)."""
    kinks = sign_changes(signed)
    points = sorted({*points, *kinks}, key=lambda p: mpmath.mpf(p))
    with mpmath.workdps(_DPS):
        try:
            value, estimate = mpmath.quad(fn, list(points), error=True)
            other = mpmath.quad(fn, [points[0], *kinks, points[-1]])
        except (ValueError, ArithmeticError) as failure:  # mpmath's NoConvergence among them
            raise NotSupportedError(
                f"the quadrature of C_f failed ({str(failure).strip().splitlines()[0]}): the "
                "closed form of the transform cannot be evaluated at high frequency"
            ) from failure
        error = max(mpmath.mpf(estimate), abs(value - other))
        if not (mpmath.isfinite(value) and error <= mpmath.mpf(10) ** -10 * (1 + abs(value))):
            raise NotSupportedError(
                f"the quadrature of C_f did not converge (value {value}, error {error}): the "
                "closed form of the transform cannot be evaluated accurately at high frequency"
            )
    return float(mpmath.re(value)), float(error)


def confirm_exact(exact: sp.Expr | None, numeric: float, error: float, f: sp.Expr) -> None:
    if exact is None:
        return
    value = float(sp.N(exact, 20))
    if abs(value - numeric) > 1e-9 * max(1.0, abs(value)) + error:
        raise SymdlError(
            f"C_f of {f}: the exact value {exact} = {value!r} disagrees with quadrature "
            f"{numeric!r}; please report this"
        )


def exact_integral(integrand: sp.Expr, variable: sp.Symbol) -> sp.Expr | None:
    try:
        with deadline(SYMPY_SECONDS):
            value = sp.integrate(integrand, (variable, 0, sp.oo))
    except (TimeLimitExceededError, NotImplementedError, ValueError, TypeError, RecursionError):
        return None
    if value.has(sp.Integral) or not value.is_finite:
        return None
    return sp.simplify(value)


def exact_abs_integral(weight: sp.Expr, signed: sp.Expr, w: sp.Symbol) -> sp.Expr | None:
    """:math:`\\int_0^\\infty w\\,|G(w)|\\,dw` for a real G with finitely many positive
    zeros that SymPy can solve for: the sum of :math:`|\\int w\\,G|` over the intervals
    between them, where G keeps its sign."""
    try:
        with deadline(SYMPY_SECONDS):
            zeros = sorted(z for z in sp.solve(signed, w) if z.is_positive)
    except (TimeLimitExceededError, NotImplementedError, ValueError, TypeError):
        return None
    if not signed.is_real:
        return None
    edges = [sp.S.Zero, *zeros, sp.oo]
    total = sp.S.Zero
    for a, b in itertools.pairwise(edges):
        try:
            with deadline(SYMPY_SECONDS):
                piece = sp.integrate(weight * signed, (w, a, b))
        except (TimeLimitExceededError, NotImplementedError, ValueError, TypeError):
            return None
        if piece.has(sp.Integral) or not piece.is_finite:
            return None
        total += sp.Abs(piece)
    return sp.simplify(total)
