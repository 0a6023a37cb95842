"""Barron's constant as a value: exact, numeric with its error, and the reason it is finite.

Every route to :math:`C_f` (one variable, radial, several variables) returns a
:class:`BarronConstant`, whose :attr:`~BarronConstant.status` says what is known
(:class:`ConstantStatus`).  The helpers here evaluate :math:`\\int_0^\\infty w\\,|\\hat f(w)|\\,dw`:

- exactly (:func:`exact_integral`; :func:`exact_abs_integral` between the zeros of the
  transform, found exactly or not at all);
- by quadrature with an error estimate: :func:`modulus_integral` (dyadic blocks cut at the
  zeros of the real and imaginary parts of :math:`\\hat f`, two rules, the tail extrapolated)
  and :func:`quad_with_error` (mpmath, for smooth integrands).
"""

from __future__ import annotations

import enum
import html
import itertools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import mpmath
import numpy as np
import sympy as sp

from symdl.approximation.fourier import SYMPY_SECONDS, FourierTransform
from symdl.approximation.hankel import RadialFourierTransform
from symdl.core.exceptions import NotSupportedError, SymdlError
from symdl.core.limits import TimeLimitExceededError, deadline
from symdl.core.notation import math_html, mathjax_text, plain_expr

__all__ = [
    "BarronConstant",
    "ConstantStatus",
    "ModulusIntegral",
    "confirm_exact",
    "exact_abs_integral",
    "exact_integral",
    "modulus",
    "modulus_integral",
    "quad_with_error",
    "sign_changes",
]

_DPS = 30


class ConstantStatus(enum.Enum):
    """What is known of a :class:`BarronConstant`: an exact value (``EXACT``, with its
    numeric value), a value by two independent numeric methods with its error (``NUMERIC``),
    or :math:`C_f = \\infty` (``INFINITE``)."""

    EXACT = "exact"
    NUMERIC = "numeric"
    INFINITE = "infinite"


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

    :attr:`status` is ``EXACT`` (``exact`` holds the value), ``NUMERIC`` (``exact`` is None:
    the value by two independent numeric methods, ± ``error``) or ``INFINITE``.
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

    @property
    def status(self) -> ConstantStatus:
        """:class:`ConstantStatus`: ``INFINITE``, ``EXACT`` (``exact`` holds the value) or
        ``NUMERIC`` (only ``numeric`` ± ``error``)."""
        if not self.finite:
            return ConstantStatus.INFINITE
        return ConstantStatus.NUMERIC if self.exact is None else ConstantStatus.EXACT

    def _value_latex(self) -> str:
        """``C_f = …`` for ``f(x) = …``: exact and numeric (with its error), or infinity."""
        of = rf"\quad \text{{for }} {self._function_latex()}"
        if not self.finite:
            return rf"C_f = \infty {of}"
        values = [] if self.exact is None else [sp.latex(self.exact)]
        if self.numeric is not None:
            shown = _decimal(self.numeric, self.error)
            # an exact value needs no error bar; a numeric one carries its own
            values.append(
                shown if self.exact is not None else rf"{shown} \pm {_scientific(self.error)}"
            )
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

    def _text(self) -> str:
        """``C_f = …`` in the lecture's Unicode notation, with how it was obtained."""
        f = plain_expr(self.function)
        if not self.finite:
            return f"C_f = ∞ for f = {f}: {self.reason}"
        parts = [] if self.exact is None else [plain_expr(self.exact)]
        if self.numeric is not None:
            shown = _decimal(self.numeric, self.error)
            parts.append(shown if self.exact is not None else f"{shown} ± {self.error:.1e}")
        how = "exact" if self.exact is not None else "numeric, two methods agree"
        return f"C_f = {' ≈ '.join(parts)} for f = {f} ({how})"

    def __str__(self) -> str:
        return f"{self._text()}\n  {self.reason}"

    def __repr__(self) -> str:
        return f"BarronConstant({self._text()})"

    def _repr_latex_(self) -> str:
        # MathJax reads math mode only: an infinite constant gives its reason as \text
        if self.finite:
            return f"$${self._value_latex()}$$"
        return f"$${self._value_latex()} \\quad ({mathjax_text(self.reason)})$$"

    def _repr_html_(self) -> str:
        reason = html.escape(self.reason, quote=False)
        return f'<div class="math">{math_html(self._value_latex())}<p>{reason}</p></div>'


def _decimal(value: float, error: float) -> str:
    """``value`` to the digits its ``error`` leaves (at most 15 significant ones)."""
    if not math.isfinite(value) or value == 0:
        return repr(value)
    digits = 15 if error <= 0 else max(2, min(15, int(-math.log10(error / abs(value)))))
    return f"{value:.{digits}g}"


def _scientific(error: float) -> str:
    r"""``error`` as LaTeX, in scientific notation with two digits (``1.0 \cdot 10^{-42}``)."""
    mantissa, exponent = f"{error:.1e}".split("e")
    return rf"{mantissa} \cdot 10^{{{int(exponent)}}}"


def _parts(value: Any) -> tuple[Any, Any]:
    return mpmath.re(value), mpmath.im(value)


def _bisect(fn: Callable[[Any], Any], part: int, a: Any, b: Any, fa: Any) -> Any:
    for _ in range(80):
        m = (a + b) / 2
        fm = _parts(fn(m))[part]
        if fm == 0:
            return m
        if fm * fa > 0:
            a = m
        else:
            b = m
    return (a + b) / 2


def sign_changes(signed: Sequence[Callable[[Any], Any]], upper: float = 64.0) -> list[Any]:
    """Zeros in (0, upper) of the real and of the imaginary part of each function in
    ``signed``, located by sign changes on a grid (a grid point where a part is exactly 0 is
    a zero too) and refined by bisection: the kinks of :math:`|\\hat f|` (where
    :math:`\\hat f` vanishes; an odd function's transform is imaginary), where quadrature must
    split its range.

    Examples
    --------
    >>> [float(z) for z in sign_changes([lambda t: 1j * (t - 2), lambda t: t - 1], 4.0)]
    [1.0, 2.0]
    """
    zeros = []
    with mpmath.workdps(_DPS):
        grid = [mpmath.mpf(upper) * k / 1024 for k in range(1, 1025)]
        for fn in signed:
            values = [_parts(fn(t)) for t in grid]
            for part in (0, 1):
                column = [v[part] for v in values]
                for i, (a, fa) in enumerate(zip(grid, column, strict=False)):
                    if fa == 0:
                        if any(c != 0 for c in column):
                            zeros.append(a)
                        continue
                    if i + 1 < len(grid) and fa * column[i + 1] < 0:
                        zeros.append(_bisect(fn, part, a, grid[i + 1], fa))
    return sorted(set(zeros))


def quad_with_error(
    fn: Callable[[Any], Any],
    points: Sequence[object],
    signed: Sequence[Callable[[Any], Any]] = (),
) -> tuple[float, float]:
    """mpmath quadrature with its own error estimate, widened by a second subdivision; the
    range is also split at the zeros of the functions in ``signed`` (kinks of ``fn``, found
    on their real and imaginary parts by :func:`sign_changes`)."""
    kinks = sign_changes(signed)
    points = sorted({*points, *kinks}, key=lambda p: mpmath.mpf(p))
    with mpmath.workdps(_DPS):
        try:
            value, estimate = mpmath.quad(fn, list(points), error=True)
            other = mpmath.quad(fn, [points[0], *kinks, points[-1]])
        except (ValueError, ArithmeticError, TypeError) as failure:  # NoConvergence among them
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
    """Raise :class:`~symdl.core.exceptions.SymdlError` when the exact value and the
    quadrature disagree by more than the quadrature's error (and 1e-9 relative)."""
    if exact is None:
        return
    value = float(sp.N(exact, 20))
    if abs(value - numeric) > 1e-9 * max(1.0, abs(value)) + error:
        raise SymdlError(
            f"C_f of {f}: the exact value {exact} = {value!r} disagrees with quadrature "
            f"{numeric!r}; please report this"
        )


# --- exact integrals --------------------------------------------------------------------------


def _hyperbolic_moment(integrand: sp.Expr, w: sp.Symbol) -> sp.Expr | None:
    """:math:`\\int_0^\\infty c\\,w^{s-1}/\\sinh(aw)\\,dw = c\\,(2/a^s)(1 - 2^{-s})\\Gamma(s)
    \\zeta(s)` and :math:`\\int_0^\\infty c\\,w^{s-1}/\\cosh(aw)\\,dw = c\\,(2/a^s)\\Gamma(s)
    \\beta(s)` (Gradshteyn & Ryzhik 3.523.1, 3.523.2), which SymPy does not find; β is
    Dirichlet's beta function, :math:`\\beta(s) = 4^{-s}(\\zeta(s, 1/4) - \\zeta(s, 3/4))`."""
    coefficient, rest = integrand.as_independent(w, as_Add=False)
    power, kernel = sp.S.Zero, None
    for factor in sp.Mul.make_args(rest):
        base, exponent = factor.as_base_exp()
        if base == w and exponent.is_number:
            power += exponent
        elif isinstance(base, (sp.sinh, sp.cosh)) and exponent == -1 and kernel is None:
            kernel = base
        elif isinstance(base, sp.csch) and exponent == 1 and kernel is None:
            kernel = sp.sinh(base.args[0])
        elif isinstance(base, sp.sech) and exponent == 1 and kernel is None:
            kernel = sp.cosh(base.args[0])
        else:
            return None
    if kernel is None:
        return None
    a = sp.simplify(kernel.args[0] / w)
    s = power + 1
    if (
        a.has(w)
        or not a.is_positive
        or not (s.is_real and s > (1 if kernel.func is sp.sinh else 0))
    ):
        return None
    if kernel.func is sp.sinh:
        return sp.simplify(coefficient * 2 / a**s * (1 - 2**-s) * sp.gamma(s) * sp.zeta(s))
    beta = (sp.zeta(s, sp.Rational(1, 4)) - sp.zeta(s, sp.Rational(3, 4))) / 4**s
    if s == 2:
        beta = sp.Catalan
    elif s == 1:
        beta = sp.pi / 4
    return sp.simplify(coefficient * 2 / a**s * sp.gamma(s) * beta)


def exact_integral(
    integrand: sp.Expr, variable: sp.Symbol, *, seconds: float = SYMPY_SECONDS
) -> sp.Expr | None:
    """:math:`\\int_0^\\infty` ``integrand`` by SymPy (or the small table of
    ``_hyperbolic_moment``), None when neither gives a finite closed form.

    Examples
    --------
    >>> w = sp.Symbol("w", positive=True)
    >>> exact_integral(w**2 / sp.sinh(sp.pi * w / 2), w)
    28*zeta(3)/pi**3
    """
    table = _hyperbolic_moment(integrand, variable)
    if table is not None:
        return table
    try:
        with deadline(seconds):
            value = sp.integrate(integrand, (variable, 0, sp.oo))
    except (TimeLimitExceededError, NotImplementedError, ValueError, TypeError, RecursionError):
        return None
    if value.has(sp.Integral) or not value.is_finite:
        return None
    try:
        with deadline(seconds):
            return sp.simplify(value)
    except TimeLimitExceededError:
        return value


def _positive_factor(factor: sp.Expr, w: sp.Symbol) -> bool:
    """Is ``factor`` > 0 for every w > 0 (SymPy's assumptions, and Bessel K of a positive
    argument, which SymPy does not know)?"""
    if factor.is_positive:
        return True
    if isinstance(factor, sp.besselk):
        return bool(factor.args[0].is_real and factor.args[1].is_positive)
    base, exponent = factor.as_base_exp()
    return bool(exponent.is_real and base is not factor and _positive_factor(base, w))


def _exponential_terms(expr: sp.Expr, w: sp.Symbol) -> list[tuple[sp.Expr, sp.Expr]] | None:
    """``expr`` as :math:`\\sum_j c_j e^{a_j w}` (real constants), or None."""
    terms = []
    for term in sp.Add.make_args(sp.expand(sp.powsimp(expr))):
        coefficient, rest = term.as_independent(w, as_Add=False)
        if rest == 1:
            rate: sp.Expr = sp.S.Zero
        elif isinstance(rest, sp.exp):
            argument = sp.expand(rest.args[0])
            rate = argument.coeff(w)
            constant = sp.simplify(argument - rate * w)
            if constant.has(w) or rate.has(w):
                return None
            coefficient = coefficient * sp.exp(constant)
        else:
            return None
        if not (coefficient.is_real and rate.is_real):
            return None
        terms.append((coefficient, rate))
    return terms


def _real_roots(polynomial: sp.Expr, w: sp.Symbol) -> list[sp.Expr]:
    """All real roots of a polynomial: in radicals when SymPy finds them all so, else as
    ``CRootOf`` (exact either way)."""
    poly = sp.Poly(polynomial, w)
    radicals = sp.roots(poly)
    if sum(radicals.values()) == poly.degree():
        return [r for r in radicals if r.is_real]
    return list(poly.real_roots())


def _zeros_on(expr: sp.Expr, w: sp.Symbol, a: sp.Expr, b: sp.Expr) -> list[sp.Expr] | None:
    """All zeros of the real ``expr`` in the open interval (a, b), or None when they cannot
    all be found: a product of factors each positive, a polynomial (its real roots), or a sum
    of two real exponentials :math:`c_1 e^{a_1 w} + c_2 e^{a_2 w}` (at most one zero)."""
    zeros: list[sp.Expr] = []
    for factor in sp.Mul.make_args(sp.factor_terms(expr)):
        if not factor.has(w) or _positive_factor(factor, w):
            if factor == 0:
                return None
            continue
        if factor.is_polynomial(w):
            zeros.extend(_real_roots(factor, w))
            continue
        base, exponent = factor.as_base_exp()
        if exponent.is_positive and base.is_polynomial(w):
            zeros.extend(_real_roots(base, w))
            continue
        terms = _exponential_terms(factor, w)
        if terms is None or len(terms) > 2:
            return None
        if len(terms) == 2:
            (c1, r1), (c2, r2) = terms
            if r1 == r2:
                if sp.simplify(c1 + c2) == 0:
                    return None
                continue
            ratio = -c2 / c1
            if ratio.is_positive:
                zeros.append(sp.log(ratio) / (r1 - r2))
            elif not ratio.is_nonpositive:
                return None
        elif terms and terms[0][0] == 0:
            return None
    inside = {z for z in zeros if (z > a) == sp.true and (b == sp.oo or (z < b) == sp.true)}
    return sorted(inside, key=lambda z: float(z))


def _value_at(antiderivative: sp.Expr, w: sp.Symbol, edge: sp.Expr) -> sp.Expr | None:
    """The antiderivative at an edge: its limit at ∞ and where substituting fails."""
    value = None if edge.is_infinite else antiderivative.subs(w, edge)
    if value is None or value.has(sp.nan, sp.zoo) or not value.is_finite:
        value = sp.limit(antiderivative, w, edge, "-" if edge.is_infinite else "+")
    return value if value.is_finite else None


def exact_abs_integral(
    weight: sp.Expr, signed: sp.Expr, w: sp.Symbol, *, seconds: float = SYMPY_SECONDS
) -> sp.Expr | None:
    """:math:`\\int_0^\\infty w\\,|G(w)|\\,dw` for a real (or purely imaginary) G whose
    zeros can all be found: G is cut at its break points (Abs, Piecewise …) into smooth
    pieces, on each piece its zeros are found exactly (``_zeros_on``: products of
    positive factors, polynomials, two exponentials), and the integral is the sum of
    :math:`|\\int w\\,G|` between consecutive zeros.  None when a step fails: never a guess
    (SymPy's ``solve`` finds only some zeros of a periodic function).

    Examples
    --------
    >>> w = sp.Symbol("w", positive=True)
    >>> exact_abs_integral(w, (2 - w**2) * sp.exp(-w**2 / 4), w) == 16 * sp.exp(-sp.S.Half) - 4
    True
    """
    from symdl.approximation.fourier_quadrature import smooth_pieces

    if signed.is_real is not True:
        turned = sp.simplify(signed / sp.I)
        if turned.is_real is not True:
            return None
        signed = turned
    try:
        with deadline(seconds):
            pieces = [
                (max(a, sp.S.Zero), b, g)
                for a, b, g in smooth_pieces(signed.subs(w, sp.Abs(w)), w)
                if b.is_extended_positive
            ]
            total = sp.S.Zero
            for a, b, g in pieces:
                if g == 0:
                    continue
                zeros = _zeros_on(g, w, a, b)
                if zeros is None:
                    return None
                edges = [a, *zeros, b]
                antiderivative = sp.integrate(weight * g, w)
                if antiderivative.has(sp.Integral):
                    return None
                at = [_value_at(antiderivative, w, edge) for edge in edges]
                if any(v is None for v in at):
                    return None
                for lo, hi in itertools.pairwise(at):
                    total += sp.Abs(hi - lo)  # type: ignore[operator]
            return sp.simplify(total)
    except (TimeLimitExceededError, NotImplementedError, ValueError, TypeError):
        return None


def modulus(expr: sp.Expr, w: sp.Symbol) -> sp.Expr:
    """:math:`|G(w)|` for w > 0 without the absolute value where the sign of G is known (a
    product of positive factors, an imaginary multiple of one), else ``Abs(G)``.

    Examples
    --------
    >>> w = sp.Symbol("w", positive=True)
    >>> modulus(2 * w * sp.besselk(1, w) / sp.pi, w)
    2*w*besselk(1, w)/pi
    >>> modulus(-sp.I * w * sp.exp(-w**2), w)
    w*exp(-w**2)
    """
    for rotated, sign in ((expr, 1), (expr / sp.I, 1)):
        for candidate in (rotated, -rotated):
            if all(
                _positive_factor(f, w) or (not f.has(w) and f.is_positive)
                for f in sp.Mul.make_args(sp.factor_terms(candidate))
            ):
                return sign * candidate
    return sp.Abs(expr)


# --- the numeric integral of w|G(w)| ---------------------------------------------------------


def _oscillation(transforms: Sequence[sp.Expr], w: sp.Symbol) -> tuple[float, float | None]:
    """(R, T): the largest rate |c| of the oscillating factors sin(cw + φ), cos(cw + φ),
    :math:`e^{icw}` of the transforms, and a common period 2π/gcd(c) when all are linear and
    their rates rational multiples of one another (None otherwise, and when R = 0)."""
    rates: list[sp.Expr] = []
    linear = True
    for expr in transforms:
        for atom in expr.atoms(sp.sin, sp.cos, sp.tan, sp.exp):
            argument = atom.args[0]
            if not argument.has(w):
                continue
            if isinstance(atom, sp.exp):
                argument = sp.im(sp.expand(argument))
                if argument == 0:
                    continue
            coefficient = sp.diff(argument, w)
            if coefficient.has(w) or not coefficient.is_number:
                linear = False
                continue
            if coefficient != 0:
                rates.append(sp.Abs(coefficient))
    if not rates:
        return (0.0, None) if linear else (1.0, None)
    largest = max(float(r) for r in rates)
    if not linear:
        return largest, None
    ratios = [sp.nsimplify(r / rates[0]) for r in rates]
    if not all(q.is_Rational for q in ratios):
        return largest, None
    numerators = [int(q.p) for q in ratios]
    denominators = [int(q.q) for q in ratios]
    common = rates[0] * math.gcd(*numerators) / math.lcm(*denominators)
    return largest, float(2 * sp.pi / common)


_GL_NODES, _GL_WEIGHTS = np.polynomial.legendre.leggauss(20)


def _fejer(n: int) -> tuple[np.ndarray, np.ndarray]:
    """Nodes and weights of Fejér's second rule on [-1, 1]: the n - 1 interior Chebyshev
    extrema (no end point, where a closed form may be 0/0 or a jump)."""
    theta = np.pi * np.arange(1, n) / n
    j = np.arange(1, n // 2 + 1)
    weights = (
        4 / n * np.sin(theta) * np.sum(np.sin(np.outer(theta, 2 * j - 1)) / (2 * j - 1), axis=1)
    )
    return np.cos(theta), weights


_FEJER_NODES, _FEJER_WEIGHTS = _fejer(26)


@dataclass(frozen=True)
class ModulusIntegral:
    """:math:`\\int_0^\\infty w\\,\\sum_j |G_j(w)|\\,dw` by two quadrature rules
    (Gauss–Legendre and Fejér's second rule) on the same subdivision, each extrapolated to
    infinity: ``value`` (the first), ``second`` (the other), ``error`` (their disagreement,
    the extrapolation's uncertainty and the tail), ``cutoff`` (the last block's end)."""

    value: float
    error: float
    second: float
    cutoff: float


class _Evaluator:
    """One closed form on the current block: in double precision (NumPy) where that agrees
    with a reference (mpmath at a precision that agrees with one 20 digits higher) at sample
    points of the block; else by mpmath at 15 digits where that agrees (a function NumPy
    lacks, Bessel K); else by mpmath at the reference's precision, for a limited number of
    points (a closed form that cancels at high frequency is not worth more)."""

    def __init__(self, expr: sp.Expr, w: sp.Symbol) -> None:
        from symdl.approximation.fourier_quadrature import _numpy_function, mp_function

        self.expr, self.w = expr, w
        self.fast = _numpy_function(expr, w)
        self.slow: Callable[[Any], Any] | None
        try:
            self.slow = mp_function(expr, w)
            with mpmath.workdps(15):
                self.slow(mpmath.mpf("0.618"))
        except (NameError, TypeError, ValueError, AttributeError, ZeroDivisionError):
            self.slow = None
        self.dps = 20
        self.mode = "mpmath"
        self.block_dps = _DPS
        self.slow_points = 0

    def _mp(self, t: float, dps: int) -> Any:
        with mpmath.workdps(dps):
            if self.slow is not None:
                try:
                    return self.slow(mpmath.mpf(t))
                except (ZeroDivisionError, ValueError, ArithmeticError, TypeError):
                    pass
            return mpmath.mpmathify(complex(sp.N(self.expr.subs(self.w, sp.Float(t, dps)), dps)))

    def _reference(self, t: float, check: bool) -> complex:
        """The value at t at the working precision; with ``check``, that precision is first
        raised until it agrees with one 20 digits higher (cancellation is then seen)."""
        while check:
            low, high = self._mp(t, self.dps), self._mp(t, self.dps + 20)
            if abs(low - high) <= mpmath.mpf(10) ** -15 * abs(high):
                return complex(high)
            if self.dps >= 120:
                raise NotSupportedError(
                    f"the transform {self.expr} loses all its digits to cancellation near "
                    f"{t:.3g}, even at {self.dps} digits"
                )
            self.dps *= 2
        return complex(self._mp(t, self.dps))

    def choose(self, a: float, b: float) -> None:
        """Pick the evaluation for [a, b] from agreement with the reference at 9 points
        there, three of them close to a (where 0/0 forms cancel); the reference's own
        precision is checked at three of them."""
        fractions = np.array([1e-4, 1e-2, 0.05, 0.2, 0.35, 0.5, 0.65, 0.8, 0.97])
        samples = a + (b - a) * fractions
        reference = np.array(
            [self._reference(float(t), check=i in (0, 5, 8)) for i, t in enumerate(samples)]
        )
        tolerance = 1e-12 * float(np.max(np.abs(reference)))
        if self.fast is not None:
            with np.errstate(all="ignore"):
                try:
                    check = np.broadcast_to(
                        np.asarray(self.fast(samples), dtype=np.complex128), samples.shape
                    )
                except (TypeError, ValueError, ZeroDivisionError, NameError, AttributeError):
                    check = None
            if (
                check is not None
                and np.all(np.isfinite(check))
                and np.all(np.abs(check - reference) <= tolerance)
            ):
                self.mode = "numpy"
                return
        if self.slow is not None:
            check = np.array([complex(self._mp(float(t), 15)) for t in samples])
            if np.all(np.abs(check - reference) <= tolerance):
                self.mode, self.block_dps = "mpmath", 15
                return
        self.mode, self.block_dps = "mpmath", self.dps

    def values(self, points: np.ndarray) -> np.ndarray:
        fast = self.fast
        if self.mode == "numpy" and fast is not None:
            with np.errstate(all="ignore"):
                out = np.broadcast_to(np.asarray(fast(points), dtype=np.complex128), points.shape)
            if np.all(np.isfinite(out)):
                return out
        # a point at 15 digits costs 1, one at higher precision 100: at most 40 000
        self.slow_points += points.size * (1 if self.block_dps <= 15 else 100)
        if self.slow_points > 40_000:
            raise NotSupportedError(
                f"the transform {self.expr} cannot be evaluated in double precision, and the "
                "quadrature needs too many points at high precision"
            )
        return np.array([complex(self._mp(float(t), self.block_dps)) for t in points])


def _zeros_in(values: np.ndarray, grid: np.ndarray, evaluator: Any) -> list[float]:
    """Sign changes of the real and imaginary parts on the grid (and grid points where a part
    is exactly 0 while it is not 0 throughout), refined by the Illinois variant of regula
    falsi (all brackets at once) to about 1e-13 relative: close enough that the kink of
    |G| costs the quadrature nothing visible."""
    found: list[float] = []
    size = float(np.max(np.abs(values))) if values.size else 0.0
    for take in (np.real, np.imag):
        part = take(values)
        if float(np.max(np.abs(part))) <= max(1e-12 * size, getattr(evaluator, "noise", 0.0)):
            continue  # zero, or rounding noise of a real (imaginary) transform
        found.extend(float(grid[i]) for i in np.nonzero(part == 0)[0])
        noise = max(1e-14 * size, getattr(evaluator, "noise", 0.0))
        # a dip of |part| toward 0 between two grid points of one sign may hide two zeros
        # close together: such cells are scanned again on a grid 32 times finer
        magnitude = np.abs(part)
        dips = np.nonzero(
            (magnitude[1:-1] < 0.1 * np.minimum(magnitude[:-2], magnitude[2:]))
            & (part[:-2] * part[2:] > 0)
            & (magnitude[1:-1] > noise)
        )[0]
        if len(dips):
            fine = np.concatenate([np.linspace(grid[i], grid[i + 2], 65)[1:-1] for i in dips])
            merged = np.concatenate([grid, fine])
            order = np.argsort(merged, kind="stable")
            grid_all = merged[order]
            part_all = np.concatenate([part, take(evaluator.values(fine))])[order]
        else:
            grid_all, part_all = grid, part
        changes = np.nonzero(
            (part_all[:-1] * part_all[1:] < 0)
            & ((np.abs(part_all[:-1]) > noise) | (np.abs(part_all[1:]) > noise))
        )[0]
        if len(changes) == 0:
            continue
        lo, hi = grid_all[changes].copy(), grid_all[changes + 1].copy()
        flo, fhi = part_all[changes].copy(), part_all[changes + 1].copy()
        side = np.zeros(len(lo))
        for _ in range(40):
            mid = np.where(fhi != flo, (lo * fhi - hi * flo) / (fhi - flo), (lo + hi) / 2)
            mid = np.clip(mid, np.minimum(lo, hi), np.maximum(lo, hi))
            fm = take(evaluator.values(mid))
            left = fm * flo > 0  # the zero lies in [mid, hi]
            lo, flo = np.where(left, mid, lo), np.where(left, fm, flo)
            hi, fhi = np.where(left, hi, mid), np.where(left, fhi, fm)
            # Illinois: halve the value kept twice in a row, so that both ends move
            fhi = np.where(left & (side > 0), fhi / 2, fhi)
            flo = np.where(~left & (side < 0), flo / 2, flo)
            side = np.where(left, 1.0, -1.0)
            if np.all(np.abs(hi - lo) <= 1e-13 * np.maximum(np.abs(hi), 1.0)) or np.all(fm == 0):
                break
        found.extend(((lo + hi) / 2).tolist())
    return found


def _block_pieces(
    evaluators: Sequence[Any],
    a: float,
    b: float,
    kinks: Sequence[float],
    step: float,
    span: int = 4,
) -> tuple[np.ndarray, np.ndarray]:
    """The pieces of [a, b] on which every |G_j| is smooth: cut at the kinks, at the zeros of
    every G_j's parts found on a grid of spacing ``step``, and into at most ``span`` grid
    steps; as (half-widths, mid-points), columns."""
    count = max(16, int(np.ceil((b - a) / step)))
    grid = np.linspace(a, b, count + 1)
    grid[[0, -1]] += np.array([1e-9, -1e-9]) * (b - a)  # not at the ends: 0/0 at 0, a jump
    edges = {a, b, *(k for k in kinks if a < k < b)}
    for evaluator in evaluators:
        evaluator.choose(a, b)
        edges.update(z for z in _zeros_in(evaluator.values(grid), grid, evaluator) if a < z < b)
    cuts = np.array(sorted(edges))
    longest = span * (b - a) / count
    refined = [cuts[:1]]
    for lo, hi in itertools.pairwise(cuts):
        pieces = max(1, int(np.ceil((hi - lo) / longest)))
        refined.append(lo + (hi - lo) * np.arange(1, pieces + 1) / pieces)
    edges_array = np.concatenate(refined)
    lo, hi = edges_array[:-1, None], edges_array[1:, None]
    return (hi - lo) / 2, (hi + lo) / 2


def _rule_integral(
    evaluators: Sequence[Any], half: np.ndarray, mid: np.ndarray, rule: tuple[Any, Any]
) -> float:
    """Σ over the pieces of the rule's estimate of ∫ w Σ_j |G_j(w)| dw."""
    nodes, weights = rule
    points = mid + half * nodes
    flat = points.ravel()
    values = np.zeros(flat.shape)
    for evaluator in evaluators:
        values += np.abs(evaluator.values(flat))
    integrand = (flat * values).reshape(points.shape)
    return float(np.sum(half[:, 0] * (integrand @ weights)))


_GAUSS_LEGENDRE = (_GL_NODES, _GL_WEIGHTS)
_FEJER = (_FEJER_NODES, _FEJER_WEIGHTS)


def _block_integral(
    evaluators: Sequence[Any], a: float, b: float, kinks: Sequence[float], step: float
) -> tuple[float, float]:
    """∫_a^b w Σ|G_j| by Gauss–Legendre and by Fejér's second rule on the same pieces
    (``_block_pieces``)."""
    half, mid = _block_pieces(evaluators, a, b, kinks, step)
    return (
        _rule_integral(evaluators, half, mid, _GAUSS_LEGENDRE),
        _rule_integral(evaluators, half, mid, _FEJER),
    )


def _richardson(sums: Sequence[float]) -> tuple[float, float]:
    """Richardson's table for partial sums S(W), S(2W), S(4W), … with
    S = S∞ − a₁/W − a₂/W² − …: the estimate of highest order (at most 4, from the last five
    sums) and its distance from the estimates one order lower, a bound on its error."""
    table = [list(sums[-5:])]
    while len(table[-1]) > 1 and len(table) <= 4:
        j = len(table)
        previous = table[-1]
        table.append([(2**j * b - a) / (2**j - 1) for a, b in itertools.pairwise(previous)])
    best = table[-1][-1]
    lower = table[-2]
    error = max(abs(best - lower[-1]), abs(best - lower[-2]) if len(lower) > 1 else 0.0)
    return best, error


def modulus_integral(
    transforms: Sequence[sp.Expr],
    w: sp.Symbol,
    *,
    kinks: Sequence[float] = (),
    lower: float = 0.0,
    tolerance: float = 1e-11,
    seconds: float = 30.0,
) -> ModulusIntegral:
    """:math:`\\int_a^\\infty w\\,\\sum_j |G_j(w)|\\,dw` (a = ``lower``, 0 by default)
    for closed forms :math:`G_j` of w > 0 (:math:`\\hat f(w)` and :math:`\\hat f(-w)`), with
    an error estimate.

    The range is cut into [a, W₀] and dyadic blocks [W₀2^k, W₀2^{k+1}]; in each block the
    zeros of the real and imaginary parts of every :math:`G_j` are found on a grid fine
    enough for its oscillation (:math:`|G_j|` has a kink at each), and the pieces between
    them (and the given ``kinks``) are integrated by Gauss–Legendre and by Fejér's second rule.
    The partial sums of each rule are extrapolated to infinity in 1/W (Richardson), the
    blocks' ends being multiples of the oscillation's period when it has one, so that an
    algebraic tail (:math:`|\\hat f| \\sim c(\\omega)/\\omega^3`, c periodic) is summed to
    second order; an exponentially small tail simply ends the sum.  The closed forms are
    evaluated in double precision where that agrees with mpmath at sample points of the
    block, else by mpmath at a precision that agrees with one 20 digits higher.

    Raises
    ------
    NotSupportedError
        The integral does not settle to a relative error of 1e-7 by a cutoff of about
        :math:`10^6`, or the closed form cannot be evaluated.

    Examples
    --------
    >>> w = sp.Symbol("w", positive=True)
    >>> result = modulus_integral([sp.exp(-w) / 2, sp.exp(-w) / 2], w)  # 1/(1+x²): C_f = 1
    >>> round(result.value, 14), result.error < 1e-13
    (1.0, True)
    """
    with deadline(seconds):
        evaluators = [_Evaluator(g, w) for g in transforms]
        rate, period = _oscillation(transforms, w)
        start = max(16.0, 2 * max(kinks, default=0.0), 2 * lower)
        if period:
            start = period * math.ceil(start / period)
        step = min(start / 64, math.pi / (8 * rate)) if rate > 0 else start / 64
        sums: list[tuple[float, float]] = []  # (Gauss–Legendre, Fejér)
        total = (0.0, 0.0)
        best: tuple[float, float, float, float] | None = None  # (spread, value, other, cutoff)
        a, b = lower, start
        while (b - a) / step <= 100_000:
            block_step = step if rate > 0 else (b - a) / 64
            if a == 0 and b > 1:  # near 0 a closed form may be 0/0: its own block
                near, near_second = _block_integral(evaluators, 0.0, 1.0, kinks, 1 / 16)
                first, second = _block_integral(evaluators, 1.0, b, kinks, block_step)
                first, second = first + near, second + near_second
            else:
                first, second = _block_integral(evaluators, a, b, kinks, block_step)
            total = (total[0] + first, total[1] + second)
            sums.append(total)
            rules = abs(total[0] - total[1])
            if len(sums) >= 3 and first <= 1e-17 * total[0]:
                error = rules + 10 * first + 1e-15 * total[0]
                return ModulusIntegral(total[0], error, total[1], b)
            if len(sums) >= 4:
                value, spread = _richardson([s[0] for s in sums])
                other, other_spread = _richardson([s[1] for s in sums])
                spread = max(spread, other_spread, abs(value - other))
                if best is None or spread < best[0]:
                    best = (spread, value, other, b)
                if spread <= tolerance * abs(value):
                    return ModulusIntegral(value, 2 * spread + rules + 1e-15 * value, other, b)
            a, b = b, 2 * b
        if best is not None and best[0] <= 1e-7 * abs(best[1]):
            spread, value, other, cutoff = best
            return ModulusIntegral(value, 2 * spread + abs(total[0] - total[1]), other, cutoff)
        raise NotSupportedError(
            "the integral ∫|ω||f̂(ω)|dω does not settle: the transform decays too slowly, or "
            "too irregularly, for quadrature to reach a relative error of 1e-7"
        )
