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

import functools
import itertools
from collections.abc import Callable
from dataclasses import dataclass

import mpmath
import sympy as sp

from symdl.approximation.fourier import SYMPY_SECONDS
from symdl.approximation.fourier_quadrature import (
    _break_points,
    break_points,
    parity,
    smooth_pieces,
)
from symdl.core.limits import TimeLimitExceededError, deadline

__all__ = [
    "SmoothnessReport",
    "decay_verdict",
    "integrable_images",
    "smooth_radial_profile",
    "smoothness_defect",
    "smoothness_report",
    "third_derivative_decay",
]

# Seconds one SymPy limit may take here.
_LIMIT_SECONDS = 5.0
_NONSMOOTH = (sp.Piecewise, sp.Max, sp.Min, sp.Abs, sp.Heaviside, sp.sign)


def _without_deltas(expr: sp.Expr) -> sp.Expr:
    """A derivative away from its steps: the ``DiracDelta`` terms are 0 there."""
    return expr.replace(sp.DiracDelta, lambda *_: sp.S.Zero)


def _side_sign(argument: sp.Expr, x: sp.Symbol, point: sp.Expr, side: int) -> int | None:
    """The sign of ``argument`` just to the right (side = 1) or left (side = -1) of
    ``point``: the sign of its value there, or of its first non-zero derivative (times
    :math:`(-1)^k` on the left); None when SymPy cannot decide."""
    current = argument
    for k in range(8):
        value = sp.simplify(current.subs(x, point))
        if value.is_zero is True:
            current = sp.diff(current, x)
            continue
        if value.is_positive:
            return side**k
        if value.is_negative:
            return -(side**k)
        return None
    return None


def _side_form(f: sp.Expr, x: sp.Symbol, point: sp.Expr, side: int, edge: sp.Expr) -> sp.Expr:
    """The smooth form ``f`` takes just to one side of ``point``: each Abs, Heaviside, sign,
    Max and Min by the sign of its argument there (exact), each Piecewise by the piece whose
    condition holds between ``point`` and ``edge`` (the next examined point that side, or a
    point beyond)."""
    middle = (point + edge) / 2

    def active(e: sp.Expr) -> sp.Expr:
        if isinstance(e, sp.Piecewise):
            for value, condition in e.args:
                if condition.subs(x, middle) == sp.true:
                    return value
            raise ValueError(f"{e} is undefined near {x} = {point}")
        if isinstance(e, (sp.Max, sp.Min)):
            best = e.args[0]
            for other in e.args[1:]:
                sign = _side_sign(other - best, x, point, side)
                if sign is None:
                    raise ValueError(f"cannot order the arguments of {e} near {x} = {point}")
                if (sign > 0) == isinstance(e, sp.Max):
                    best = other
            return best
        sign = _side_sign(e.args[0], x, point, side)
        if sign is None:
            raise ValueError(f"cannot decide the sign of {e.args[0]} near {x} = {point}")
        if isinstance(e, sp.Abs):
            return sign * e.args[0]
        if isinstance(e, sp.Heaviside):
            return sp.S.One if sign > 0 else sp.S.Zero
        return sp.Integer(sign)

    return f.replace(lambda e: isinstance(e, _NONSMOOTH) and e.has(x), active)


def _one_sided_limit(expr: sp.Expr, x: sp.Symbol, point: sp.Expr, side: int) -> sp.Expr | None:
    """SymPy's one-sided limit (toward ``point`` from the right for side = 1; at ±∞ the
    ordinary limit), None when it fails or cannot decide."""
    direction = "+" if side > 0 else "-"
    try:
        with deadline(_LIMIT_SECONDS):
            value = (
                sp.limit(expr, x, point)
                if point.is_infinite
                else sp.limit(expr, x, point, direction)
            )
    except (TimeLimitExceededError, NotImplementedError, ValueError, TypeError, RecursionError):
        return None
    except Exception:
        return None
    if value.has(sp.Limit):
        return None
    return value


def _hidden_points(f: sp.Expr, x: sp.Symbol) -> list[sp.Expr]:
    """Points where ``f`` may fail to be smooth without an Abs, Heaviside or Piecewise saying
    so: zeros of the bases of fractional powers (:math:`\\sqrt{1-\\cos x}` at 0), real
    singular points (removable or not), zeros of logarithms' arguments."""
    candidates: list[sp.Expr] = []
    for power in f.atoms(sp.Pow):
        if power.base.has(x) and not (power.exp.is_integer or power.exp.has(x)):
            candidates.append(power.base)
    for log in f.atoms(sp.log):
        if log.args[0].has(x):
            candidates.append(log.args[0])
    points: set[sp.Expr] = set()
    for base in candidates:
        if base.has(*_NONSMOOTH):
            continue  # an Abs or a piece inside: its zeros are break points already
        try:
            with deadline(_LIMIT_SECONDS):
                found = sp.solve(sp.Eq(base, 0), x)
        except (TimeLimitExceededError, NotImplementedError, ValueError, TypeError):
            continue
        points.update(p for p in found if p.is_real and p.is_finite)
    if not f.has(*_NONSMOOTH):
        try:
            with deadline(_LIMIT_SECONDS):
                singular = sp.singularities(f, x, sp.S.Reals)
        except (TimeLimitExceededError, NotImplementedError, ValueError, TypeError):
            singular = sp.S.EmptySet
        if isinstance(singular, sp.FiniteSet):
            points.update(p for p in singular if p.is_real and p.is_finite)
    return sorted(points, key=lambda p: float(p))


@dataclass(frozen=True)
class SmoothnessReport:
    """Whether ``f`` is :math:`C^1` on the line, as far as symdl can prove it.

    ``defect`` says where it is not (a jump of ``f`` or ``f'``, ``f'`` unbounded or without
    a limit near a point), proved by one-sided limits; ``points`` are the points examined
    (break points and hidden candidates); ``proved`` is True when ``f`` is shown :math:`C^1`
    at each of them and the list is complete (every zero of the arguments found), so that
    ``f`` is smooth everywhere.  ``unbounded`` says the defect is ``f`` itself unbounded.
    """

    defect: str | None
    points: tuple[sp.Expr, ...]
    proved: bool
    unbounded: bool = False


def _describe(value: sp.Expr) -> str:
    if value is sp.zoo:
        return "±∞"
    if value.is_infinite:
        return str(value).replace("oo", "∞")
    try:
        return f"{float(value):.1f}"
    except (TypeError, ValueError):
        return str(value)


def _mp_callable(expr: sp.Expr, x: sp.Symbol) -> Callable[[object], object]:
    """``expr`` as an mpmath function (used by the numeric fallback)."""
    return sp.lambdify(x, expr, modules="mpmath")


def _numeric_jump(g_left: sp.Expr, g_right: sp.Expr, x: sp.Symbol, point: sp.Expr) -> bool:
    """A jump seen at two offsets (10^-30, 10^-40) in 60-digit arithmetic, the same both
    times: used only when SymPy's limits fail, for analytic one-sided forms."""
    try:
        left, right = _mp_callable(g_left, x), _mp_callable(g_right, x)
        with mpmath.workdps(60):
            p = mpmath.mpf(sp.N(point, 60))
            jumps = [
                abs(right(p + mpmath.mpf(10) ** -e) - left(p - mpmath.mpf(10) ** -e))  # type: ignore[operator]
                for e in (30, 40)
            ]
    except (ZeroDivisionError, ValueError, ArithmeticError, TypeError, NameError):
        return False
    return bool(min(jumps) > mpmath.mpf(10) ** -6 and abs(jumps[0] - jumps[1]) < 1e-9 * jumps[0])


def _edges(examined: list[sp.Expr], i: int) -> tuple[sp.Expr, sp.Expr]:
    left = examined[i - 1] if i > 0 else examined[i] - 1
    right = examined[i + 1] if i + 1 < len(examined) else examined[i] + 1
    return left, right


@functools.lru_cache(maxsize=256)
def _report(f: sp.Expr, x: sp.Symbol) -> SmoothnessReport:
    points, complete = _break_points(f, x)
    hidden = [p for p in _hidden_points(f, x) if p not in points]
    examined = sorted({*points, *hidden}, key=lambda p: float(p))
    symmetry = parity(f, x)
    proved = complete
    derivative = _without_deltas(sp.diff(f, x))
    for i, point in enumerate(examined):
        if symmetry != 0 and point.is_negative and -point in examined:
            continue  # the mirror image of a point examined on the right
        left_edge, right_edge = _edges(examined, i)
        try:
            forms = {
                side: (
                    _side_form(f, x, point, side, right_edge if side > 0 else left_edge),
                    _side_form(derivative, x, point, side, right_edge if side > 0 else left_edge),
                )
                for side in (-1, 1)
            }
        except ValueError:
            proved = False
            continue
        for index, name in ((0, "f"), (1, "f'")):
            left = _one_sided_limit(forms[-1][index], x, point, -1)
            right = _one_sided_limit(forms[1][index], x, point, 1)
            if left is None or right is None:
                proved = False
                if _numeric_jump(forms[-1][index], forms[1][index], x, point):
                    return SmoothnessReport(
                        f"{name} jumps at {x} = {point} (seen in 60-digit arithmetic)",
                        tuple(examined),
                        False,
                    )
                break
            for value in (left, right):
                if value.is_infinite or value is sp.zoo or value is sp.nan:
                    what = "f is unbounded" if index == 0 else "f' is unbounded"
                    return SmoothnessReport(
                        f"{what} near {x} = {point} (a one-sided limit is {_describe(value)})",
                        tuple(examined),
                        True,
                        unbounded=index == 0,
                    )
                if isinstance(value, sp.AccumBounds):
                    return SmoothnessReport(
                        f"{name} has no limit at {x} = {point} (it oscillates in {value})",
                        tuple(examined),
                        True,
                    )
            difference = sp.simplify(left - right)
            if difference.is_zero is None:
                proved = False
                if abs(sp.N(difference, 30)) < 1e-25:
                    continue
            if difference.is_zero is not True:
                return SmoothnessReport(
                    f"{name} jumps at {x} = {point} (from {_describe(left)} to {_describe(right)})",
                    tuple(examined),
                    True,
                )
    return SmoothnessReport(None, tuple(examined), proved)


def smoothness_report(f: sp.Expr, x: sp.Symbol, *, seconds: float = 30.0) -> SmoothnessReport:
    """Whether ``f`` is :math:`C^1` on the line, decided by one-sided limits of ``f`` and
    ``f'`` at every point where it may fail to be smooth: the break points
    (:func:`~symdl.approximation.fourier_quadrature.break_points`) and the hidden ones (zeros
    of the bases of fractional powers and of logarithms' arguments, real singular points).
    A jump, or a one-sided limit of ``f'`` that is infinite or does not exist, is a defect:
    :math:`C_f < \\infty` forces :math:`f \\in C^1`.

    Examples
    --------
    >>> x = sp.Symbol("x", real=True)
    >>> smoothness_report(sp.sqrt(x**2 + x**4) * sp.exp(-x**2), x).defect
    "f' jumps at x = 0 (from -1.0 to 1.0)"
    >>> smoothness_report(sp.sin(x) / x, x)
    SmoothnessReport(defect=None, points=(0,), proved=True, unbounded=False)
    """
    with deadline(seconds):
        return _report(f, x)


def smoothness_defect(f: sp.Expr, x: sp.Symbol, *, seconds: float = 30.0) -> str | None:
    """Where ``f`` fails to be :math:`C^1` on the line, or ``None`` (see
    :func:`smoothness_report`; ``None`` also when no defect could be proved).

    Examples
    --------
    >>> x = sp.Symbol("x", real=True)
    >>> smoothness_defect(sp.exp(-abs(x)), x)
    "f' jumps at x = 0 (from 1.0 to -1.0)"
    >>> smoothness_defect(abs(x)**3 * sp.exp(-x**2), x) is None
    True
    >>> smoothness_defect(sp.sqrt(1 - sp.cos(x)) * sp.exp(-x**2), x)
    "f' jumps at x = 0 (from -0.7 to 0.7)"
    """
    return smoothness_report(f, x, seconds=seconds).defect


def _no_singularity_inside(expr: sp.Expr, x: sp.Symbol, a: sp.Expr, b: sp.Expr) -> bool:
    try:
        with deadline(_LIMIT_SECONDS):
            singular = sp.singularities(expr, x, sp.S.Reals)
            inside = sp.Intersection(singular, sp.Interval.open(a, b))
    except (TimeLimitExceededError, NotImplementedError, ValueError, TypeError):
        return False
    return inside is sp.S.EmptySet


def third_derivative_decay(f: sp.Expr, x: sp.Symbol, *, seconds: float = 30.0) -> str | None:
    """A proof that :math:`|\\hat f(\\omega)| \\le \\mathrm{TV}(f'') / (2\\pi|\\omega|^3)`,
    hence :math:`C_f < \\infty`, as its reason; None when it cannot be given.

    The conditions: ``f`` is :math:`C^1` (:func:`smoothness_report`, proved at every break
    point and hidden point, the list complete); on each smooth piece (a, b) between them,
    the third derivative has no singular point, tends to a finite limit at each finite end
    and is :math:`o(|x|^{-2})` at an infinite one.  Then f'' is bounded with finitely many
    jumps and its derivative is integrable on each piece, so f'' has bounded variation, and
    integrating by parts twice, :math:`|\\int f e^{-i\\omega x}dx| =
    |\\int f'' e^{-i\\omega x}dx| / \\omega^2 \\le \\mathrm{TV}(f'') / |\\omega|^3`.

    Examples
    --------
    >>> x = sp.Symbol("x", real=True)
    >>> bump = sp.Piecewise((sp.exp(-1 / (1 - x**2)), abs(x) < 1), (0, True))
    >>> third_derivative_decay(bump, x) is not None
    True
    >>> third_derivative_decay(abs(x) * sp.exp(-x**2), x) is None  # a kink: f is not C¹
    True

    References
    ----------
    Y. Katznelson, *An Introduction to Harmonic Analysis*, 3rd ed., 2004, I.4 (the
    coefficients of a function of bounded variation are O(1/n)).
    """
    with deadline(seconds):
        report = _report(f, x)
        if report.defect is not None or not report.proved:
            return None
        symmetry = parity(f, x)
        edges = [-sp.oo, *report.points, sp.oo]
        pieces = smooth_pieces(f, x)
        for a, b in itertools.pairwise(edges):
            if symmetry != 0 and (b.is_nonpositive or b == 0):
                continue  # the mirror image of a piece examined on the right
            form = next(g for lo, hi, g in pieces if lo <= a and b <= hi)
            third = sp.diff(form, x, 3)
            if not _no_singularity_inside(third, x, a, b):
                return None
            for end, side in ((a, 1), (b, -1)):
                if end.is_infinite:
                    if _one_sided_limit(x**2 * third, x, end, side) != 0:
                        return None
                else:
                    value = _one_sided_limit(third, x, end, side)
                    if value is None or not value.is_finite:
                        return None
    return (
        "f is C¹ and f'' has bounded variation (f''' is integrable on each smooth piece), so "
        "|f̂(ω)| ≤ TV(f'')/(2π|ω|³) and ∫|ω||f̂(ω)|dω converges"
    )


def _limit_is_zero(
    expr: sp.Expr, variable: sp.Symbol, seconds: float = SYMPY_SECONDS
) -> bool | None:
    """True/False when SymPy decides whether ``expr → 0`` at ∞; None when it cannot."""
    try:
        with deadline(seconds):
            value = sp.limit(expr, variable, sp.oo)
    except (TimeLimitExceededError, NotImplementedError, ValueError, TypeError, RecursionError):
        return None
    if isinstance(value, sp.Limit) or value.has(sp.Limit):
        return None
    if isinstance(value, sp.AccumBounds):
        return False if value.max.is_positive else None
    return bool(value == 0)


def decay_verdict(
    magnitude: sp.Expr, rho: sp.Symbol, power: sp.Expr, *, seconds: float = SYMPY_SECONDS
) -> bool | None:
    """Is :math:`\\int^\\infty \\rho^{p}\\,|\\hat f(\\rho)|\\,d\\rho` finite?

    ``magnitude`` is :math:`|\\hat f(\\rho)|` with ρ a positive Symbol.

    - True when :math:`\\rho^{p+3/2}|\\hat f| \\to 0`: the integrand is
      :math:`o(\\rho^{-3/2})`;
    - False when :math:`\\rho^{p+1}|\\hat f| \\not\\to 0`: the integrand is not
      :math:`o(1/\\rho)` and the integral diverges (logarithmically at least);
    - None when SymPy's limits cannot tell (within ``seconds`` each), or the decay lies in
      between (never a guess).

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
    tail_is_integrable = _limit_is_zero(
        rho ** (power + sp.Rational(3, 2)) * magnitude, rho, seconds
    )
    if tail_is_integrable:
        return True
    if _limit_is_zero(rho ** (power + 1) * magnitude, rho, seconds) is False:
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
