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

import html
import itertools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import mpmath
import sympy as sp

from symdl.approximation.finiteness import (
    decay_verdict,
    integrable_images,
    smooth_radial_profile,
    smoothness_defect,
)
from symdl.approximation.fourier import (
    SYMPY_SECONDS,
    FourierTransform,
    fourier_transform,
    validate_dimension,
    validate_function,
)
from symdl.approximation.gradient_bound import (
    check_barron_gradient_bound,
    check_gradient_bound,
    max_gradient_norm,
)
from symdl.approximation.hankel import (
    RadialFourierTransform,
    radial_fourier_transform,
    radial_profile,
)
from symdl.core.exceptions import NotSupportedError, SymdlError
from symdl.core.limits import TimeLimitExceededError, deadline
from symdl.core.notation import math_html, mathjax_text

__all__ = [
    "BarronConstant",
    "barron_constant",
    "barron_constant_radial",
    "check_barron_gradient_bound",
    "check_gradient_bound",
    "max_gradient_norm",
    "radial_profile",
    "smoothness_defect",
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


# --- one dimension ----------------------------------------------------------------------------


def _sign_changes(signed: Sequence[Callable[[Any], Any]], upper: float = 64.0) -> list[Any]:
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


def _quad_with_error(
    fn: Callable[[Any], Any],
    points: Sequence[object],
    signed: Sequence[Callable[[Any], Any]] = (),
) -> tuple[float, float]:
    """mpmath quadrature with its own error estimate, widened by a second subdivision; the
    range is also split at the zeros of the functions in ``signed`` (kinks of ``fn``)."""
    kinks = _sign_changes(signed)
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


def _confirm_exact(exact: sp.Expr | None, numeric: float, error: float, f: sp.Expr) -> None:
    if exact is None:
        return
    value = float(sp.N(exact, 20))
    if abs(value - numeric) > 1e-9 * max(1.0, abs(value)) + error:
        raise SymdlError(
            f"C_f of {f}: the exact value {exact} = {value!r} disagrees with quadrature "
            f"{numeric!r}; please report this"
        )


def _exact_integral(integrand: sp.Expr, variable: sp.Symbol) -> sp.Expr | None:
    try:
        with deadline(SYMPY_SECONDS):
            value = sp.integrate(integrand, (variable, 0, sp.oo))
    except (TimeLimitExceededError, NotImplementedError, ValueError, TypeError, RecursionError):
        return None
    if value.has(sp.Integral) or not value.is_finite:
        return None
    return sp.simplify(value)


def _exact_abs_integral(weight: sp.Expr, signed: sp.Expr, w: sp.Symbol) -> sp.Expr | None:
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


def _barron_constant_1d(f: sp.Expr, x: sp.Symbol) -> BarronConstant:
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
    exact = _exact_integral(w * magnitude, w)
    if exact is None:  # split ∫ w|f̂| at the zeros of f̂, on each half-line
        positive = _exact_abs_integral(w, transform.expr.subs(omega, w), w)
        negative = _exact_abs_integral(w, transform.expr.subs(omega, -w), w)
        if positive is not None and negative is not None:
            exact = sp.simplify(positive + negative)
    transform_mp = sp.lambdify(omega, transform.expr, modules="mpmath")

    def integrand(t: Any) -> Any:
        return t * (abs(transform_mp(t)) + abs(transform_mp(-t)))

    numeric, error = _quad_with_error(
        integrand, [0, 1, 4, 16, mpmath.inf], [transform_mp, lambda t: transform_mp(-t)]
    )
    _confirm_exact(exact, numeric, error, f)
    result = BarronConstant(f, (x,), dim, exact, numeric, error, reason, transform)
    check_barron_gradient_bound(result)
    return result


# --- radial functions in R^d ------------------------------------------------------------------


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
    integral = _exact_integral(integrand, rho)
    exact = None if integral is None else sp.simplify(sphere * integral)
    if not d.is_Integer:
        if exact is None:
            raise NotSupportedError(f"SymPy cannot integrate C_f of {f} in dimension {d}")
        checks = tuple(_radial_check(exact, integrand, d, n) for n in range(1, 7))
        return BarronConstant(f, variables, d, exact, None, 0.0, reason, transform, checks)
    fn = sp.lambdify(rho, sphere * integrand, modules="mpmath")
    signed = sp.lambdify(rho, transform.expr, modules="mpmath")
    numeric, error = _quad_with_error(fn, [0, 1, 4, 16, mpmath.inf], [signed])
    _confirm_exact(exact, numeric, error, f)
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
    numeric, error = _quad_with_error(fn, [0, 1, 4, 16, mpmath.inf])
    value = exact.subs(d, n)
    _confirm_exact(value, numeric, error, exact)
    return n, float(sp.N(value, 20)), numeric


# --- the public entry point -------------------------------------------------------------------


def barron_constant(f: sp.Expr, variables: sp.Symbol | Sequence[sp.Symbol]) -> BarronConstant:
    """Barron's constant :math:`C_f = \\int |\\omega|\\,|\\hat f(\\omega)|\\,d\\omega`.

    One variable: through the 1-D transform of
    :func:`symdl.approximation.fourier.fourier_transform`.
    Several: ``f`` must be radial (:func:`~symdl.approximation.hankel.radial_profile`); then through
    :func:`barron_constant_radial`.  Finiteness is decided from smoothness and from the decay
    of the transform; the numeric value has an error estimate and is compared with the exact
    one; the necessary condition :math:`\\sup|\\nabla f| \\le C_f` is checked.

    Raises
    ------
    ValueError
        ``f`` has no Fourier transform as a function (it grows, does not decay, has a pole),
        or depends on symbols that are not ``variables``.
    NotSupportedError
        ``f`` is not radial in two or more variables, or its transform is out of reach.

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

    References
    ----------
    A. R. Barron, "Universal approximation bounds for superpositions of a sigmoidal
    function", IEEE Trans. Inf. Theory 39(3):930–945, 1993, eq. (3) and Section IX.
    """
    variables = (variables,) if isinstance(variables, sp.Symbol) else tuple(variables)
    if not variables:
        raise ValueError("variables is empty; pass the Symbol (or Symbols) f is a function of")
    if not isinstance(f, sp.Expr):
        raise TypeError(f"f={f!r} is not a SymPy expression")
    for v in variables:
        if not (isinstance(v, sp.Symbol) and v.is_real):
            raise TypeError(f"variable {v!r} must be a SymPy Symbol declared real=True")
    extra = f.free_symbols - set(variables)
    if extra:
        raise ValueError(
            f"f = {f} depends on {', '.join(sorted(map(str, extra)))}, not among the variables "
            f"{', '.join(map(str, variables))}; list every variable or substitute numbers"
        )
    if len(variables) == 1:
        return _barron_constant_1d(f, variables[0])
    profile = radial_profile(f, variables)
    if profile is None:
        raise NotSupportedError(
            f"f = {f} is not radial in {', '.join(map(str, variables))}; symdl computes C_f "
            "in two or more dimensions for radial functions f(x) = g(|x|) only"
        )
    g, r = profile
    return barron_constant_radial(g, r, dim=len(variables), function=f, variables=variables)
