"""Barron's constant of a function of two or more variables that is not radial.

Three shapes of ``f`` are recognised, each with a transform in closed form:

- **functions of a quadratic form** :math:`f(x) = g(|L(x-c)|)`, :math:`L^TL = A` positive
  definite (anisotropic Gaussians, :math:`(1 + x^TAx)^{-p}`, …): substituting
  :math:`\\eta = L^{-T}\\omega` in :math:`C_f = \\int|\\omega||\\hat f(\\omega)|d\\omega` gives

  .. math::

      C_f = C_g \\cdot \\mathbb{E}_{u \\in S^{d-1}} |L^T u|
          = C_g \\cdot \\mathbb{E}_u \\sqrt{\\textstyle\\sum_i \\lambda_i u_i^2},

  with :math:`C_g` the constant of the radial :math:`g(|x|)` and :math:`\\lambda_i` the
  eigenvalues of A; the mean over the sphere is :math:`\\frac{2}{\\pi}\\sqrt{\\lambda_1}
  E(1-\\lambda_2/\\lambda_1)` in the plane (E the complete elliptic integral) and Carlson's
  :math:`R_G(\\lambda_1, \\lambda_2, \\lambda_3)` in space, written with Legendre's integrals
  through the area of an ellipsoid;
- **Gaussians times polynomials** :math:`\\sum_k P_k(x) e^{-(x-\\mu_k)^TA_k(x-\\mu_k)/2}`: each
  term's transform is :math:`P_k(i\\partial_\\omega)` applied to a Gaussian, a polynomial
  times a Gaussian;
- **sums of products of functions of one variable** :math:`\\sum_k \\prod_j g_{kj}(x_j)`:
  :math:`\\hat f(\\omega) = \\sum_k \\prod_j \\hat g_{kj}(\\omega_j)`, from the one-dimensional
  transforms of :func:`symdl.approximation.fourier.fourier_transform`.

In the plane, a **Schwartz function** :math:`R(x)e^{-Q(x)}` (R built from polynomials, sin and
cos; :math:`Q \\ge c|x|^2 - C` shown from its coefficients) without a transform in closed form
is transformed by quadrature of the Fourier integral, and the tail of :math:`\\hat f` is bounded
by shifting the contour of that integral into the complex plane.

When the integral of :math:`|\\omega||\\hat f|` has no closed form, two cubatures compute it:
tensor Gauss–Legendre on a box, and Gauss–Legendre in the radius and the angles (spherical
coordinates) — for a transform computed by quadrature, the Gauss–Legendre and the trapezoidal
rule in x on two subdivisions in ω; each estimates its error by halving its panels, the tail
outside the box is bounded from the transform, and a value is returned only when the two
agree within their errors.  Such a value has ``exact = None``, ``numeric`` and ``error``.

References
----------
A. R. Barron, "Universal approximation bounds for superpositions of a sigmoidal function",
IEEE Trans. Inf. Theory 39(3):930–945, 1993, eq. (3) and Section IX.
NIST Digital Library of Mathematical Functions, §19.16 (Carlson's :math:`R_G`, a mean over
the sphere) and §19.33 (the area of an ellipsoid, through :math:`R_G` and Legendre's
integrals).
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

from symdl.approximation.barron_line import barron_constant_line
from symdl.approximation.barron_radial import barron_constant_radial
from symdl.approximation.barron_value import BarronConstant
from symdl.approximation.finiteness import smoothness_defect
from symdl.approximation.fourier import validate_function
from symdl.approximation.gradient_bound import check_barron_gradient_bound
from symdl.approximation.hankel import quadratic_form_profile
from symdl.core.exceptions import NotSupportedError
from symdl.core.limits import TimeLimitExceededError, deadline
from symdl.core.notation import plain_expr

__all__ = [
    "barron_constant_multivariate",
    "gaussian_polynomial_transform",
    "sphere_mean_norm",
]

_NODES = 8  # Gauss–Legendre nodes per panel
_SYMPY_SECONDS = 10.0
# Offsets of the lines on which f is tested for kinks (besides the axes).
_LINE_OFFSETS = (sp.S.Zero, sp.Rational(1, 3), sp.Rational(-5, 7))
_NONSMOOTH = (sp.Abs, sp.Heaviside, sp.sign, sp.Max, sp.Min, sp.Piecewise)


# --- the mean of |L^T u| over the sphere ------------------------------------------------------


def _sphere_mean_integral(eigenvalues: Sequence[float], d: int) -> float:
    """:math:`\\mathbb{E}_u\\sqrt{\\sum\\lambda_i u_i^2}` as :math:`\\mathbb{E}|\\Lambda^{1/2}G| /
    \\mathbb{E}|G|` (G standard normal), with :math:`\\mathbb{E}\\sqrt{Q} = \\frac{1}{2\\sqrt\\pi}
    \\int_0^\\infty (1 - \\prod_i (1+2t\\lambda_i)^{-1/2})\\,t^{-3/2}\\,dt`, with t = u²."""
    with mpmath.workdps(20):
        lams = [mpmath.mpf(v) for v in eigenvalues]

        def integrand(u: Any) -> Any:
            if u == 0:
                return 2 * mpmath.fsum(lams)
            logarithm = mpmath.fsum(-mpmath.log1p(2 * u * u * lam) / 2 for lam in lams)
            return -2 * mpmath.expm1(logarithm) / (u * u)

        scale = 1 / mpmath.sqrt(max(lams))
        mean = mpmath.quad(integrand, [0, scale, 10 * scale, 100 * scale, mpmath.inf])
        mean /= 2 * mpmath.sqrt(mpmath.pi)
        gaussian = (
            mpmath.sqrt(2) * mpmath.gamma(mpmath.mpf(d + 1) / 2) / mpmath.gamma(mpmath.mpf(d) / 2)
        )
        return float(mean / gaussian)


def sphere_mean_norm(form: sp.Matrix) -> tuple[sp.Expr | None, float, float]:
    """:math:`\\mathbb{E}_{u\\in S^{d-1}}\\sqrt{u^T A u}` for a symmetric positive definite A
    (d ≤ 3): ``(exact, numeric, error)``, ``exact`` None when the eigenvalues of A have no
    real radical form.

    In the plane it is :math:`\\frac{2}{\\pi}\\sqrt{\\lambda_1}E(1-\\lambda_2/\\lambda_1)`; in
    space Carlson's :math:`R_G(\\lambda_1,\\lambda_2,\\lambda_3)`, written with Legendre's
    integrals :math:`F(\\varphi, m)` and :math:`E(\\varphi, m)` through the area of the
    ellipsoid with semi-axes :math:`\\lambda_i^{-1/2}` (elementary when two eigenvalues are
    equal).  The numeric value (mpmath's elliptic integrals) is confirmed by an independent
    one-dimensional integral.

    Raises
    ------
    ValueError
        A is not symmetric positive definite.
    NotSupportedError
        d > 3.

    Examples
    --------
    >>> exact, numeric, error = sphere_mean_norm(sp.Matrix([[1, 0], [0, 4]]))
    >>> exact
    4*elliptic_e(3/4)/pi
    >>> round(numeric, 12)
    1.54196442519

    References
    ----------
    NIST DLMF §19.33 (the area of an ellipsoid) and §19.16 (:math:`R_G` as a mean over the
    sphere).
    """
    A = sp.Matrix(form)
    d = A.rows
    if A.shape != (d, d) or A != A.T or not _positive_definite(A):
        raise ValueError(
            f"form = {plain_expr(A)} is not symmetric positive definite; pass such a matrix"
        )
    if d > 3:
        raise NotSupportedError(
            f"symdl computes the mean of |Lᵀu| over the sphere in d ≤ 3 only (d = {d})"
        )
    numbers = sorted(float(v) for v in np.linalg.eigvalsh(np.array(A.evalf(30), dtype=float)))
    with mpmath.workdps(30):
        if d == 1:
            closed = mpmath.sqrt(numbers[0])
        elif d == 2:
            closed = 2 / mpmath.pi * mpmath.sqrt(numbers[1])
            closed *= mpmath.ellipe(1 - mpmath.mpf(numbers[0]) / numbers[1])
        else:
            closed = mpmath.elliprg(*numbers)
    value, check = float(closed), _sphere_mean_integral(numbers, d)
    if abs(value - check) > 1e-10 * value:
        raise NotSupportedError(
            f"the mean of |Lᵀu| over the sphere ({value!r}) disagrees with its integral form "
            f"({check!r})"
        )
    error = abs(value - check) + 1e-14 * value
    eigenvalues: list[sp.Expr] = []
    for root, multiplicity in A.eigenvals().items():
        eigenvalues += [root] * multiplicity
    if not all(v.is_positive for v in eigenvalues):  # radicals with I: no real form
        return None, value, error
    eigenvalues.sort(key=lambda v: float(sp.N(v, 30)))
    if d == 1:
        exact = sp.sqrt(eigenvalues[0])
    elif d == 2:
        low, high = eigenvalues
        exact = 2 / sp.pi * sp.sqrt(high) * sp.elliptic_e(1 - low / high)
    else:
        exact = _carlson_rg(*eigenvalues)
    exact = sp.simplify(exact)
    if abs(float(sp.N(exact, 30)) - value) > 1e-12 * value:
        raise NotSupportedError(
            f"the closed form {plain_expr(exact)} of the mean of |Lᵀu| over the sphere disagrees "
            "with "
            f"mpmath's elliptic integrals ({value!r})"
        )
    return exact, value, error


def _carlson_rg(a: sp.Expr, b: sp.Expr, c: sp.Expr) -> sp.Expr:
    """:math:`R_G(a, b, c)` for 0 < a ≤ b ≤ c, the mean of :math:`\\sqrt{au_1^2+bu_2^2+cu_3^2}`
    over the unit sphere."""
    if a == b == c:
        return sp.sqrt(a)
    if a == b or b == c:  # (λ, λ, μ): ∫_0^1 √(λ + (μ - λ) z²) dz, u₃ uniform on [-1, 1]
        lam, mu = (a, c) if a == b else (c, a)
        gap = mu - lam
        if gap.is_positive:
            return (sp.sqrt(mu) + lam / sp.sqrt(gap) * sp.asinh(sp.sqrt(gap / lam))) / 2
        return (sp.sqrt(mu) + lam / sp.sqrt(-gap) * sp.asin(sp.sqrt(-gap / lam))) / 2
    p, q, s = 1 / sp.sqrt(a), 1 / sp.sqrt(b), 1 / sp.sqrt(c)  # semi-axes p > q > s
    phi = sp.acos(s / p)
    m = p**2 * (q**2 - s**2) / (q**2 * (p**2 - s**2))
    area = 2 * sp.pi * s**2 + 2 * sp.pi * p * q / sp.sin(phi) * (
        sp.elliptic_e(phi, m) * sp.sin(phi) ** 2 + sp.elliptic_f(phi, m) * sp.cos(phi) ** 2
    )
    return area / (4 * sp.pi * p * q * s)


# --- recognising the shape of f ---------------------------------------------------------------


def _quadratic_parts(
    q: sp.Expr, variables: Sequence[sp.Symbol]
) -> tuple[sp.Matrix, sp.Matrix, sp.Expr] | None:
    """``(A, b, c)`` with q = xᵀAx + bᵀx + c, for a polynomial q of total degree 2."""
    if not q.free_symbols <= set(variables) or not q.is_polynomial(*variables):
        return None
    poly = sp.Poly(q, *variables)
    if poly.total_degree() != 2:
        return None
    hessian = sp.hessian(q, variables)
    zero = dict.fromkeys(variables, 0)
    gradient = sp.Matrix([sp.diff(q, v).subs(zero) for v in variables])
    return hessian / 2, gradient, q.subs(zero)


def _positive_definite(A: sp.Matrix) -> bool:
    return all(A[:k, :k].det().is_positive for k in range(1, A.rows + 1))


def _quadratic_candidates(
    f: sp.Expr, variables: Sequence[sp.Symbol]
) -> list[tuple[sp.Matrix, sp.Matrix]]:
    """The forms ``(A, c)`` of the quadratic polynomials (x-c)ᵀA(x-c) + const found in f."""
    found: list[tuple[sp.Matrix, sp.Matrix]] = []
    for node in sp.preorder_traversal(f):
        if not isinstance(node, sp.Expr) or node.is_Atom:
            continue
        parts = _quadratic_parts(node, variables)
        if parts is None:
            continue
        A, b, _ = parts
        if not _positive_definite(A):
            A, b = -A, -b
            if not _positive_definite(A):
                continue
        center = -A.inv() * b / 2
        normal = A / A.trace()
        if all(normal != B / B.trace() or center != c for B, c in found):
            found.append((A, center))
        if len(found) >= 6:
            break
    return found


@dataclass(frozen=True)
class _GaussianTerm:
    """One term :math:`P(x) e^{-(x-\\mu)^TA(x-\\mu)/2}` of f."""

    polynomial: sp.Expr
    form: sp.Matrix
    center: sp.Matrix


def _gaussian_terms(f: sp.Expr, variables: Sequence[sp.Symbol]) -> list[_GaussianTerm] | None:
    """f as a sum of polynomials times Gaussians (quadratic exponents, negative definite), or
    None."""
    groups: dict[sp.Expr, sp.Expr] = {}
    try:
        with deadline(_SYMPY_SECONDS):
            terms = sp.Add.make_args(sp.expand(f))
    except TimeLimitExceededError:
        return None
    for term in terms:
        factors = sp.Mul.make_args(term)
        exps = [e for e in factors if isinstance(e, sp.exp)]
        rest = sp.Mul(*(e for e in factors if not isinstance(e, sp.exp)))
        exponent = sp.expand(sp.Add(*(e.args[0] for e in exps)))
        if not exps or not rest.is_polynomial(*variables):
            return None
        parts = _quadratic_parts(exponent, variables)
        if parts is None:
            return None
        constant = parts[2]
        key = sp.expand(exponent - constant)
        groups[key] = groups.get(key, sp.S.Zero) + rest * sp.exp(constant)
    result = []
    for exponent, polynomial in groups.items():
        half, b, _ = _quadratic_parts(exponent, variables)  # type: ignore[misc]
        A = -2 * half
        if not _positive_definite(A):
            return None
        mu = A.inv() * b  # R = -(x-μ)ᵀA(x-μ)/2 + μᵀAμ/2
        shift = (mu.T * A * mu)[0, 0] / 2
        result.append(_GaussianTerm(sp.expand(polynomial * sp.exp(shift)), A, mu))
    return result


def _gaussian_parts(
    polynomial: sp.Expr,
    variables: Sequence[sp.Symbol],
    form: sp.Matrix,
    omega: Sequence[sp.Symbol],
    center: sp.Matrix,
) -> tuple[sp.Expr, sp.Expr, sp.Expr]:
    """``(K, Q, phase)`` with the transform :math:`K\\,\\text{phase}\\,Q(\\omega)
    e^{-\\omega^TA^{-1}\\omega/2}`, Q a polynomial (complex coefficients)."""
    variables = list(variables)
    d = len(variables)
    A, mu, w = sp.Matrix(form), sp.Matrix(center), sp.Matrix(list(omega))
    exponent = sp.expand(-(w.T * A.inv() * w)[0, 0] / 2)
    moved = polynomial.subs({v: v + mu[i] for i, v in enumerate(variables)}, simultaneous=True)
    shifted = sp.Poly(sp.expand(moved), *variables)
    gradient = [sp.diff(exponent, v) for v in w]
    cache: dict[tuple[int, ...], sp.Expr] = {(0,) * d: sp.S.One}

    def derivative(alpha: tuple[int, ...]) -> sp.Expr:
        """:math:`e^{-E}\\partial^\\alpha e^{E}`, a polynomial, one derivative at a time."""
        if alpha not in cache:
            j = next(i for i, a in enumerate(alpha) if a > 0)
            h = derivative(tuple(a - (i == j) for i, a in enumerate(alpha)))
            cache[alpha] = sp.expand(sp.diff(h, w[j]) + h * gradient[j])
        return cache[alpha]

    total = sp.S.Zero
    for alpha, coefficient in shifted.terms():
        total += coefficient * sp.I ** sum(alpha) * derivative(tuple(alpha))
    phase = sp.exp(-sp.I * (w.T * mu)[0, 0]) if any(m != 0 for m in mu) else sp.S.One
    constant = (2 * sp.pi) ** sp.Rational(-d, 2) / sp.sqrt(A.det())
    return constant, sp.expand(total), phase


def gaussian_polynomial_transform(
    polynomial: sp.Expr,
    variables: Sequence[sp.Symbol],
    form: sp.Matrix,
    frequencies: Sequence[sp.Symbol],
    center: sp.Matrix | None = None,
) -> sp.Expr:
    """The transform (Barron's convention) of :math:`P(x)\\,e^{-(x-\\mu)^TA(x-\\mu)/2}`:

    .. math::

        \\hat f(\\omega) = (2\\pi)^{-d/2}(\\det A)^{-1/2} e^{-i\\omega\\cdot\\mu}
        \\big[\\tilde P(i\\partial_\\omega)\\, e^{-\\omega^TA^{-1}\\omega/2}\\big],
        \\qquad \\tilde P(y) = P(y + \\mu),

    since :math:`\\int y^\\alpha e^{-i\\omega\\cdot y}\\phi(y)\\,dy =
    (i\\partial_\\omega)^\\alpha\\hat\\phi(\\omega)`.

    Examples
    --------
    >>> x1, x2, w1, w2 = sp.symbols("x1 x2 omega1 omega2", real=True)
    >>> gaussian_polynomial_transform(x1 * x2, [x1, x2], 2 * sp.eye(2), [w1, w2])
    -omega1*omega2*exp(-omega1**2/4 - omega2**2/4)/(16*pi)

    References
    ----------
    E. M. Stein and R. Shakarchi, *Fourier Analysis*, 2003, Chapter 6, Section 1 (the
    Gaussian and the derivative rules, in d variables).
    """
    d = len(variables)
    mu = sp.zeros(d, 1) if center is None else sp.Matrix(center)
    constant, polynomial_part, phase = _gaussian_parts(polynomial, variables, form, frequencies, mu)
    w = sp.Matrix(list(frequencies))
    gaussian = sp.exp(sp.expand(-(w.T * sp.Matrix(form).inv() * w)[0, 0] / 2))
    return constant * phase * polynomial_part * gaussian


# --- the integral of |ω||f̂| by two cubatures --------------------------------------------------


@dataclass(frozen=True)
class _Spectrum:
    """:math:`|\\hat f|` as a NumPy function of the d frequency arrays, a bound on the part
    of :math:`C_f` outside the box :math:`|\\omega|_\\infty \\le a` (``tail(0)`` bounds all of
    it), and the frequency scale of :math:`\\hat f`."""

    magnitude: Callable[..., Any]
    tail: Callable[[float], float]
    scale: float
    dim: int


def _rule(edges: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Composite Gauss–Legendre nodes and weights on the panels between ``edges``."""
    t, w = np.polynomial.legendre.leggauss(_NODES)
    a, b = edges[:-1, None], edges[1:, None]
    return (((b - a) * t + (a + b)) / 2).ravel(), ((b - a) / 2 * w).ravel()


def _edges(end: float, scale: float, fine: float, graded: int = 12) -> np.ndarray:
    """Panels of [0, end]: width scale/fine up to 8·scale, then growing by a quarter (each of
    these split in ⌈fine⌉, so that halving the panels halves them all); the first panel is
    split geometrically (``graded`` times) toward 0, where :math:`|\\omega|` has its cone."""
    width = scale / fine
    inner = min(end, 8 * scale)
    edges = list(np.linspace(0.0, inner, max(1, math.ceil(inner / width)) + 1))
    pieces = max(1, math.ceil(fine))
    while edges[-1] < end:
        start, stop = edges[-1], min(end, edges[-1] * 1.25)
        edges.extend(start + (stop - start) * np.arange(1, pieces + 1) / pieces)
    first = [edges[1] * 2.0**-k for k in range(graded, 0, -1)]
    return np.array([0.0, *first, *edges[1:]])


def _evaluate(spectrum: _Spectrum, *omega: np.ndarray) -> np.ndarray:
    try:
        with np.errstate(all="ignore"):
            values = np.abs(np.asarray(spectrum.magnitude(*omega), dtype=complex))
    except (NameError, TypeError, ValueError, AttributeError, ZeroDivisionError) as failure:
        raise NotSupportedError(
            f"the transform cannot be evaluated with NumPy ({type(failure).__name__}: "
            f"{str(failure)[:100]})"
        ) from failure
    values = np.broadcast_to(values, omega[0].shape)
    if not np.all(np.isfinite(values)):
        raise NotSupportedError("the transform cannot be evaluated at every cubature node")
    return values


def _cartesian(spectrum: _Spectrum, half_width: float, fine: float) -> float:
    """Tensor Gauss–Legendre on the box :math:`[-a, a]^d` (panels meet at 0; the cone of
    :math:`|\\omega|` at 0 is milder in three dimensions, and fewer panels grade toward it)."""
    half = _edges(half_width, spectrum.scale, fine, 12 if spectrum.dim == 2 else 3)
    x, w = _rule(np.concatenate([-half[::-1], half[1:]]))
    d = spectrum.dim
    total = 0.0
    chunk = max(1, 2_000_000 // len(x) ** (d - 1))
    for start in range(0, len(x), chunk):
        axes = [x[start : start + chunk], *([x] * (d - 1))]
        mesh = np.meshgrid(*axes, indexing="ij")
        weights = np.einsum("i,j->ij", w[start : start + chunk], w) if d == 2 else None
        if d == 3:
            weights = np.einsum("i,j,k->ijk", w[start : start + chunk], w, w)
        norm = np.sqrt(sum(m**2 for m in mesh))
        total += float(np.sum(weights * norm * _evaluate(spectrum, *mesh)))
    return total


def _spherical(spectrum: _Spectrum, radius: float, fine: float) -> float:
    """Gauss–Legendre in ρ, in the angle φ (panels meeting on the axes) and, for d = 3, in
    the polar angle θ, on the ball of the given radius."""
    rho, w = _rule(_edges(radius, spectrum.scale, fine))
    angle, wa = _rule(np.linspace(0.0, 2 * np.pi, round(8 * fine) + 1))
    if spectrum.dim == 2:
        r, a = np.meshgrid(rho, angle, indexing="ij")
        values = _evaluate(spectrum, r * np.cos(a), r * np.sin(a))
        return float(np.einsum("i,j,ij->", w * rho**2, wa, values))
    polar, wp = _rule(np.linspace(0.0, np.pi, round(2 * fine) + 1))
    wp = wp * np.sin(polar)  # the polar angle θ itself: smooth at the poles, unlike cos θ
    total = 0.0
    chunk = max(1, 2_000_000 // (len(polar) * len(angle)))
    for start in range(0, len(rho), chunk):
        r, t, a = np.meshgrid(rho[start : start + chunk], polar, angle, indexing="ij")
        s = np.sin(t)
        values = _evaluate(spectrum, r * s * np.cos(a), r * s * np.sin(a), r * np.cos(t))
        radial = (w * rho**3)[start : start + chunk]
        total += float(np.einsum("i,j,k,ijk->", radial, wp, wa, values))
    return total


def _converged(values: Sequence[float], tail: float) -> tuple[float, float]:
    """The finest of three values with halved panels, and its error: the last change, a
    share of the one before (in case the changes do not shrink steadily), and the tail."""
    coarse, middle, fine = values
    return fine, abs(fine - middle) + abs(middle - coarse) / 8 + tail


def _cubature(spectrum: _Spectrum) -> tuple[float, float, str]:
    """:math:`\\int|\\omega||\\hat f(\\omega)|d\\omega` by the two cubatures; ``(value, error,
    how)``.  The box grows until the tail bound is below :math:`10^{-11}` of the whole bound;
    each cubature is run three times, halving its panels."""
    if spectrum.dim not in (2, 3):
        raise NotSupportedError(
            f"symdl's cubature of C_f works in two and three dimensions (d = {spectrum.dim})"
        )
    bound = spectrum.tail(0.0)
    half_width = spectrum.scale
    while spectrum.tail(half_width) > 1e-11 * bound:
        half_width *= 1.5
        if half_width > 1e4 * spectrum.scale:
            raise NotSupportedError(
                "the transform decays too slowly for the cubature of C_f to converge"
            )
    tail = spectrum.tail(half_width)
    box_levels, ball_levels = (
        ((2, 4, 8), (2, 4, 8)) if spectrum.dim == 2 else ((0.5, 1, 1.5), (1, 2, 4))
    )
    radius = half_width * math.sqrt(spectrum.dim)
    box, box_error = _converged([_cartesian(spectrum, half_width, k) for k in box_levels], tail)
    ball, ball_error = _converged([_spherical(spectrum, radius, k) for k in ball_levels], tail)
    gap = abs(box - ball)
    if gap > box_error + ball_error:
        raise NotSupportedError(
            f"two cubatures of C_f disagree ({box!r} ± {box_error:.1e} on a box, {ball!r} ± "
            f"{ball_error:.1e} in spherical coordinates)"
        )
    value, error = (box, box_error) if box_error <= ball_error else (ball, ball_error)
    if not error <= 1e-6 * value:
        raise NotSupportedError(
            f"the cubature of C_f reached only {value!r} ± {error:.1e}: not accurate enough"
        )
    how = (
        f"two cubatures agree: Gauss–Legendre on a box, {box!r} ± {box_error:.1e}, and in "
        f"spherical coordinates, {ball!r} ± {ball_error:.1e} (tail outside ≤ {tail:.1e})"
    )
    return value, error, how


# --- the routes -------------------------------------------------------------------------------


def _quadratic_form_route(f: sp.Expr, variables: tuple[sp.Symbol, ...]) -> BarronConstant | None:
    """f = g(|L(x-c)|), proved: C_f = C_g · E_u|Lᵀu|."""
    d = len(variables)
    if d > 3:
        return None
    for A, center in _quadratic_candidates(f, variables):
        found = quadratic_form_profile(f, variables, A, list(center))
        if found is None:
            continue
        g, r = found
        shape = (
            f"f = g(√((x - c)ᵀA(x - c))) with A = {plain_expr(A)}, c = {plain_expr(center.T)}, "
            f"g = {plain_expr(g)}"
        )
        radial = barron_constant_radial(g, r, dim=d)
        if not radial.finite:
            reason = f"{shape}: C_f = ∞ as for g(|x|) ({radial.reason})"
            return BarronConstant(f, variables, sp.Integer(d), sp.oo, math.inf, 0.0, reason, None)
        if radial.numeric is None:
            return None
        mean_exact, mean, mean_error = sphere_mean_norm(A)
        exact = None
        if radial.exact is not None and mean_exact is not None:
            exact = sp.simplify(radial.exact * mean_exact)
        numeric = radial.numeric * mean
        error = radial.error * mean + radial.numeric * mean_error + 1e-15 * numeric
        reason = (
            f"{shape} (proved by simplification), so C_f = C_g · E|Lᵀu| over the unit sphere "
            f"(LᵀL = A): {radial.numeric!r} · {mean!r}; for g: {radial.reason}"
        )
        return BarronConstant(f, variables, sp.Integer(d), exact, numeric, error, reason, None)
    return None


def _polynomial_bound(polynomial: sp.Expr, omega: Sequence[sp.Symbol]) -> list[tuple[int, float]]:
    """``(k, s_k)`` with :math:`|Q(\\omega)| \\le \\sum_k s_k |\\omega|^k`."""
    sums: dict[int, float] = {}
    for alpha, coefficient in sp.Poly(polynomial, *omega).terms():
        k = sum(alpha)
        sums[k] = sums.get(k, 0.0) + abs(complex(sp.N(coefficient, 20)))
    return sorted(sums.items())


def _gaussian_tail(
    pieces: Sequence[tuple[float, list[tuple[int, float]], float]], d: int
) -> Callable[[float], float]:
    """For :math:`|\\hat f| \\le \\sum c\\,\\sum_k s_k|\\omega|^k e^{-\\beta|\\omega|^2/2}`: the
    integral of :math:`|\\omega||\\hat f|` outside the ball of radius a (which contains the
    outside of the box of half-width a), by incomplete gamma functions."""
    sphere = 2 * mpmath.pi ** (mpmath.mpf(d) / 2) / mpmath.gamma(mpmath.mpf(d) / 2)

    def tail(a: float) -> float:
        total = mpmath.mpf(0)
        for constant, powers, beta in pieces:
            for k, size in powers:
                m = k + d  # ∫_a^∞ ρ^m e^{-βρ²/2} dρ
                half = mpmath.mpf(m + 1) / 2
                part = (2 / mpmath.mpf(beta)) ** half / 2
                total += constant * size * part * mpmath.gammainc(half, beta * a * a / 2)
        return float(sphere * total)

    return tail


def _homogeneous_exact(
    constant: sp.Expr, polynomial: sp.Expr, beta: sp.Expr, omega: Sequence[sp.Symbol]
) -> sp.Expr | None:
    """:math:`\\int|\\omega|\\,|c\\,Q(\\omega)|e^{-\\beta|\\omega|^2/2}d\\omega` in the plane for
    Q homogeneous of degree k with coefficients of one phase: in polar coordinates the radial
    integral is a Gamma function and the angular one, with t = tan θ,
    :math:`2\\int_{\\mathbb{R}}|Q(1,t)|(1+t^2)^{-(k+2)/2}dt`, split at the real roots."""
    poly = sp.Poly(polynomial, *omega)
    degrees = {sum(alpha) for alpha in poly.monoms()}
    if len(omega) != 2 or len(degrees) != 1:
        return None
    (k,) = degrees
    coefficients = poly.coeffs()
    first = coefficients[0]
    if not all(sp.simplify(c / first).is_real for c in coefficients):
        return None
    t = sp.Symbol("t", real=True)
    real = sp.expand(polynomial.subs({omega[0]: 1, omega[1]: t}) / first)
    try:
        with deadline(_SYMPY_SECONDS):
            roots = sorted(set(sp.real_roots(sp.Poly(real, t))), key=lambda z: float(sp.N(z)))
            density = real / (1 + t**2) ** sp.Rational(k + 2, 2)
            antiderivative = sp.integrate(density, t)
            if antiderivative.has(sp.Integral):
                return None
            ends = [
                sp.limit(antiderivative, t, -sp.oo),
                *(antiderivative.subs(t, z) for z in roots),
                sp.limit(antiderivative, t, sp.oo),
            ]
            angular = sp.S.Zero
            for a, b in itertools.pairwise(ends):
                piece = sp.simplify(b - a)
                angular += sp.sign(sp.N(piece, 40)) * piece
            m = k + 2
            radial = (2 / beta) ** sp.Rational(m + 1, 2) * sp.gamma(sp.Rational(m + 1, 2)) / 2
            return sp.simplify(sp.Abs(constant * first) * 2 * angular * radial)
    except (TimeLimitExceededError, NotImplementedError, ValueError, TypeError):
        return None


def _gaussian_route(f: sp.Expr, variables: tuple[sp.Symbol, ...]) -> BarronConstant | None:
    """f = Σ P_k(x) e^{-(x-μ_k)ᵀA_k(x-μ_k)/2}: f̂ in closed form."""
    terms = _gaussian_terms(f, variables)
    if not terms:
        return None
    d = len(variables)
    omega = sp.symbols(f"omega1:{d + 1}", real=True)
    w = sp.Matrix(omega)
    transform = sp.S.Zero
    pieces = []
    parts = []
    for term in terms:
        constant, polynomial, phase = _gaussian_parts(
            term.polynomial, variables, term.form, omega, term.center
        )
        B = term.form.inv()
        transform += constant * phase * polynomial * sp.exp(sp.expand(-(w.T * B * w)[0, 0] / 2))
        beta = min(float(v) for v in np.linalg.eigvalsh(np.array(B.evalf(30), dtype=float)))
        size = abs(float(sp.N(constant, 20)))
        pieces.append((size, _polynomial_bound(polynomial, omega), beta))
        parts.append((constant, polynomial, B))
    if transform == 0:
        reason = "f = 0"
        return BarronConstant(f, variables, sp.Integer(d), sp.S.Zero, 0.0, 0.0, reason, None)
    exact = None
    if len(parts) == 1 and d == 2:
        constant, polynomial, B = parts[0]
        if B[0, 1] == 0 and B[0, 0] == B[1, 1]:
            exact = _homogeneous_exact(constant, polynomial, B[0, 0], omega)
    fn = sp.lambdify(omega, transform.evalf(30), modules="numpy")
    widths = [np.linalg.eigvalsh(np.array(B.evalf(30), dtype=float)) for _, _, B in parts]
    degree = max(k for _, powers, _ in pieces for k, _ in powers)
    scale = math.sqrt(max(float(max(v)) for v in widths) * (1 + degree))
    spectrum = _Spectrum(fn, _gaussian_tail(pieces, d), scale, d)
    numeric, error, how = _cubature(spectrum)
    shape = "f is a sum of polynomials times Gaussians, so f̂ is one too (in closed form)"
    if exact is not None:
        value = float(sp.N(exact, 30))
        if abs(value - numeric) > error + 1e-12 * value:
            raise NotSupportedError(
                f"the exact C_f = {plain_expr(exact)} of {plain_expr(f)} disagrees with its "
                f"cubature {numeric!r}"
            )
        numeric, error = value, 1e-15 * value
        how = f"exactly in polar coordinates (Q homogeneous); {how}"
    reason = f"{shape}; {how}"
    return BarronConstant(f, variables, sp.Integer(d), exact, numeric, error, reason, None)


def _separable_terms(
    f: sp.Expr, variables: tuple[sp.Symbol, ...]
) -> list[tuple[sp.Expr, list[sp.Expr]]] | None:
    """f = Σ_k c_k Π_j g_kj(x_j): ``[(c_k, [g_k1, …, g_kd]), …]``, or None."""

    def split(term: sp.Expr) -> tuple[sp.Expr, list[sp.Expr]] | None:
        try:
            with deadline(_SYMPY_SECONDS):
                parts = sp.separatevars(term, symbols=list(variables), dict=True)
        except (TimeLimitExceededError, NotImplementedError, ValueError, TypeError):
            return None
        if not isinstance(parts, dict) or any(v not in parts for v in variables):
            return None
        return parts["coeff"], [parts[v] for v in variables]

    whole = split(f)
    if whole is not None:
        return [whole]
    try:
        with deadline(_SYMPY_SECONDS):
            terms = sp.Add.make_args(sp.expand(f))
    except TimeLimitExceededError:
        return None
    found = [split(term) for term in terms]
    if len(found) < 2 or any(t is None for t in found):
        return None
    return [t for t in found if t is not None]


def _line_tails(expr: sp.Expr, omega: sp.Symbol) -> Callable[[float], tuple[float, float]]:
    """``a ↦ (∫_{|t|>a} |ĝ|, ∫_{|t|>a} |t||ĝ|)`` for a 1-D transform, by mpmath quadrature."""
    fn = sp.lambdify(omega, expr, modules="mpmath")

    @functools.lru_cache(maxsize=64)
    def tails(a: float) -> tuple[float, float]:
        try:
            return _tails(a)
        except (NameError, TypeError, ValueError, ArithmeticError) as failure:
            raise NotSupportedError(
                f"the 1-D transform {plain_expr(expr)} cannot be integrated numerically"
            ) from failure

    def _tails(a: float) -> tuple[float, float]:
        with mpmath.workdps(15):
            ends = (
                [a, 2 * a + 1, 4 * a + 4, mpmath.inf],
                [-mpmath.inf, -4 * a - 4, -2 * a - 1, -a],
            )
            zero = sum(mpmath.quad(lambda t: abs(fn(t)), end) for end in ends)
            first = sum(mpmath.quad(lambda t: abs(t * fn(t)), end) for end in ends)
        return float(zero), float(first)

    return tails


def _separable_route(f: sp.Expr, variables: tuple[sp.Symbol, ...]) -> BarronConstant | None:
    """f = Σ_k c_k Π_j g_kj(x_j): f̂ = Σ_k c_k Π_j ĝ_kj(ω_j), from the 1-D transforms."""
    terms = _separable_terms(f, variables)
    if terms is None:
        return None
    d = len(variables)
    omega = sp.symbols(f"omega1:{d + 1}", real=True)
    lines: dict[tuple[sp.Expr, sp.Symbol], BarronConstant] = {}
    for _, factors in terms:
        for g, x in zip(factors, variables, strict=True):
            if (g, x) not in lines:
                try:
                    lines[g, x] = barron_constant_line(g, x)
                except (ValueError, NotSupportedError):
                    return None
    infinite = [(g, x) for (g, x), c in lines.items() if not c.finite]
    if infinite:
        if len(terms) > 1:
            return None
        g, x = infinite[0]
        reason = (
            f"f = Π g_j(x_j) and C = ∞ for the factor {plain_expr(g)} in {x} "
            f"({lines[g, x].reason}); "
            "since |ω| ≥ |ω_j|, C_f ≥ C(g_j) Π_{i≠j} ∫|ĝ_i| = ∞"
        )
        return BarronConstant(f, variables, sp.Integer(d), sp.oo, math.inf, 0.0, reason, None)
    transform = sp.S.Zero
    tail_parts = []
    scale = 0.0
    for coefficient, factors in terms:
        product = sp.sympify(coefficient)
        part = []
        for j, (g, x) in enumerate(zip(factors, variables, strict=True)):
            line = lines[g, x]
            if line.transform is None or line.numeric is None:
                return None
            one = line.transform.expr.subs(line.transform.frequency, omega[j])
            one = one.replace(sp.exp_polar, sp.exp)  # the same values on the real line
            product *= one
            tails = _line_tails(one, omega[j])
            mass, first = tails(0.0)
            part.append((tails, mass, first))
            scale = max(scale, first / mass if mass > 0 else 0.0)
        transform += product
        tail_parts.append((abs(complex(sp.N(coefficient, 20))), part))

    def tail(a: float) -> float:
        """Outside the box, |ω_j| > a for some j, and |ω| ≤ Σ|ω_i|."""
        total = 0.0
        for size, part in tail_parts:
            for j, (tails, _, _) in enumerate(part):
                zero, first = tails(a)
                others = [p for i, p in enumerate(part) if i != j]
                masses = math.prod(m for _, m, _ in others)
                moments = sum(
                    q * math.prod(m for i, (_, m, _) in enumerate(others) if i != k)
                    for k, (_, _, q) in enumerate(others)
                )
                total += size * (first * masses + zero * moments)
        return 2 * total  # room for the error of the 1-D quadratures

    try:
        fn = sp.lambdify(omega, transform.evalf(30), modules="numpy")
    except (NameError, TypeError, KeyError) as failure:
        raise NotSupportedError(
            f"the transform {plain_expr(transform)} cannot be evaluated"
        ) from failure
    spectrum = _Spectrum(fn, tail, max(scale, 1e-3), d)
    numeric, error, how = _cubature(spectrum)
    reason = (
        "f is a sum of products of functions of one variable, each with C < ∞, so C_f < ∞ "
        f"and f̂ = Σ Π ĝ(ω_j) from the 1-D transforms; {how}"
    )
    return BarronConstant(f, variables, sp.Integer(d), None, numeric, error, reason, None)


def _tame(expr: sp.Expr, variables: tuple[sp.Symbol, ...]) -> bool:
    """Built from numbers, the variables, +, ×, non-negative integer powers, sin and cos: an
    entire function whose derivatives all grow at most polynomially on the real plane."""
    if expr.is_Number or expr in variables or (expr.is_number and expr.is_real):
        return True
    if isinstance(expr, (sp.Add, sp.Mul)):
        return all(_tame(a, variables) for a in expr.args)
    if isinstance(expr, sp.Pow):
        return bool(expr.exp.is_Integer and expr.exp >= 0 and _tame(expr.base, variables))
    if isinstance(expr, (sp.sin, sp.cos)):
        return _tame(expr.args[0], variables)
    return False


def _grows(q: sp.Expr, variables: tuple[sp.Symbol, ...]) -> bool:
    """Is :math:`Q(x) \\ge c|x|^2 - C` for some c > 0, by one of two sufficient conditions?
    The terms of degree ≥ 3 are monomials with even exponents and positive coefficients
    (so non-negative), and either the quadratic part is positive definite, or each variable
    has a pure power :math:`x_i^{2k}`, k ≥ 2, among them (which dominates every term of
    degree ≤ 2)."""
    if not q.is_polynomial(*variables):
        return False
    poly = sp.Poly(q, *variables)
    high = [(m, c) for m, c in poly.terms() if sum(m) >= 3]
    if not all(c.is_positive and all(e % 2 == 0 for e in m) for m, c in high):
        return False
    low = poly.as_expr() - sp.Poly.from_dict(dict(high), *variables).as_expr() if high else q
    quadratic = _quadratic_parts(sp.expand(low), variables)
    if quadratic is not None and _positive_definite(quadratic[0]):
        return True
    pure = [
        next((i for i, e in enumerate(m) if e), None)
        for m, _ in high
        if sum(1 for e in m if e) == 1
    ]
    return set(pure) >= set(range(len(variables)))


def _schwartz_form(f: sp.Expr, variables: tuple[sp.Symbol, ...]) -> tuple[sp.Expr, sp.Expr] | None:
    """``(R, Q)`` with f = R e^{-Q}, R tame (:func:`_tame`) and Q growing (:func:`_grows`):
    then f and all its derivatives decay faster than any power of |x| (f is a Schwartz
    function), and so does f̂: :math:`C_f < \\infty`."""
    try:
        with deadline(_SYMPY_SECONDS):
            terms = sp.Add.make_args(sp.expand(f))
    except TimeLimitExceededError:
        return None
    key: sp.Expr | None = None
    rest = sp.S.Zero
    for term in terms:
        factors = sp.Mul.make_args(term)
        exponent = sp.expand(sp.Add(*(e.args[0] for e in factors if isinstance(e, sp.exp))))
        if not exponent.is_polynomial(*variables):
            return None
        constant = exponent.subs(dict.fromkeys(variables, 0))
        if key is not None and sp.expand(exponent - constant - key) != 0:
            return None
        key = sp.expand(exponent - constant)
        rest += sp.Mul(*(e for e in factors if not isinstance(e, sp.exp))) * sp.exp(constant)
    if key is None or not _tame(rest, variables) or not _grows(-key, variables):
        return None
    return rest, -key


def _box_rule(half_width: float, width: float) -> tuple[np.ndarray, np.ndarray]:
    """Gauss–Legendre on [-X, X] with panels of at most the given width."""
    count = max(2, math.ceil(2 * half_width / width))
    return _rule(np.linspace(-half_width, half_width, count + 1))


def _numeric_route(f: sp.Expr, variables: tuple[sp.Symbol, ...]) -> BarronConstant | None:
    """f = R e^{-Q} in the plane, a Schwartz function with no transform in closed form: f̂ by
    quadrature of the Fourier integral, twice (Gauss–Legendre and the trapezoidal rule in x,
    on different subdivisions in ω).  The tail of f̂ is bounded by shifting the contour:
    :math:`|\\hat f(\\omega)| \\le (2\\pi)^{-2} e^{-\\delta(|\\omega_1|+|\\omega_2|)}
    \\int|f(x + i\\delta\\sigma)|dx` (σ the signs of ω; f is entire)."""
    if len(variables) != 2:
        return None
    form = _schwartz_form(f, variables)
    if form is None:
        return None
    fn = sp.lambdify(variables, f, modules="numpy")
    extent = _extent(fn)
    length = extent / 6
    tail = _contour_tail(fn, extent, length)
    bound = tail(0.0)
    half_width = 1 / length
    while tail(half_width) > 1e-9 * bound:
        half_width *= 1.25
        if half_width > 1e3 / length:
            raise NotSupportedError("the transform of f decays too slowly for its cubature")
    nodes, weights = _box_rule(extent, min(length / 2, 5 / half_width))
    spacing = min(length / 6, np.pi / (2 * half_width))
    uniform = np.arange(-extent, extent + spacing / 2, spacing)
    with np.errstate(all="ignore"):
        samples = fn(*np.meshgrid(nodes, nodes, indexing="ij")) * np.outer(weights, weights)
        trapezoid = fn(*np.meshgrid(uniform, uniform, indexing="ij")) * spacing**2
    if not (np.all(np.isfinite(samples)) and np.all(np.isfinite(trapezoid))):
        raise NotSupportedError("f cannot be evaluated at every node of the Fourier quadrature")

    def by_quadrature(x: np.ndarray, weighted: np.ndarray) -> Callable[..., np.ndarray]:
        def transform(w1: np.ndarray, w2: np.ndarray) -> np.ndarray:
            left = np.exp(-1j * np.outer(w1, x))
            right = np.exp(-1j * np.outer(x, w2))
            return np.abs(left @ weighted @ right) / (4 * np.pi**2)

        return transform

    gauss = _tensor_box(by_quadrature(nodes, samples), half_width, length, 1.0)
    trap = _tensor_box(by_quadrature(uniform, trapezoid), half_width, length, 0.7)
    edge = tail(half_width)
    box, box_error = _converged(gauss, edge)
    other, other_error = _converged(trap, edge)
    gap = abs(box - other)
    if gap > box_error + other_error:
        raise NotSupportedError(
            f"two cubatures of C_f disagree ({box!r} ± {box_error:.1e}, {other!r} ± "
            f"{other_error:.1e})"
        )
    value, error = (box, box_error) if box_error <= other_error else (other, other_error)
    if not error <= 1e-6 * value:
        raise NotSupportedError(
            f"the cubature of C_f reached only {value!r} ± {error:.1e}: not accurate enough"
        )
    reason = (
        f"f = R e^(-Q) with R = {plain_expr(form[0])} built from polynomials, sin and cos, and "
        f"Q = {plain_expr(form[1])} ≥ c|x|² - C: f is a Schwartz function, so f̂ is one and "
        "C_f < ∞; f̂ by quadrature of the Fourier integral, C_f by two cubatures that agree "
        f"(Gauss–Legendre in x: {box!r} ± {box_error:.1e}; the trapezoidal rule in x on "
        f"other panels in ω: {other!r} ± {other_error:.1e}; tail ≤ {edge:.1e}, by a contour "
        "shift)"
    )
    return BarronConstant(f, variables, sp.Integer(2), None, value, error, reason, None)


def _extent(fn: Callable[..., Any]) -> float:
    """A half-width X with |f| below 1e-22 of its largest value outside [-X, X]² (on a grid):
    where the quadratures of the Fourier integral stop."""
    half = 4.0
    for _ in range(12):
        axis = np.linspace(-half, half, 401)
        with np.errstate(all="ignore"):
            values = np.abs(fn(*np.meshgrid(axis, axis, indexing="ij")))
        ring = np.ones_like(values, dtype=bool)
        ring[40:-40, 40:-40] = False
        if np.all(np.isfinite(values)) and values[ring].max() <= 1e-22 * values.max():
            return half
        half *= 1.5
    raise NotSupportedError("f does not decay fast enough for the numeric Fourier route")


def _contour_tail(fn: Callable[..., Any], extent: float, length: float) -> Callable[[float], float]:
    """A bound on :math:`\\int|\\omega||\\hat f|` outside the box :math:`|\\omega|_\\infty \\le a`,
    the least over several shifts δ of :math:`K_\\delta \\int (|\\omega_1|+|\\omega_2|)
    e^{-\\delta(|\\omega_1|+|\\omega_2|)}` there, with :math:`K_\\delta` the largest of
    :math:`(2\\pi)^{-2}\\int|f(x + i\\delta\\sigma)|dx` over the four sign vectors σ."""
    nodes, weights = _box_rule(2 * extent, length / 4)
    mesh = np.meshgrid(nodes, nodes, indexing="ij")
    weight = np.outer(weights, weights)
    shifts = []
    for k in range(9):  # δ from 1/(4L) to 4/L, by factors √2
        delta = 2 ** (k / 2) / (4 * length)
        sizes = []
        for s1, s2 in itertools.product((1, -1), repeat=2):
            with np.errstate(all="ignore"):
                values = np.abs(fn(mesh[0] + 1j * delta * s1, mesh[1] + 1j * delta * s2))
            ring = np.ones_like(values, dtype=bool)
            ring[len(nodes) // 8 : -len(nodes) // 8, len(nodes) // 8 : -len(nodes) // 8] = False
            if not np.all(np.isfinite(values)) or values[ring].max() > 1e-20 * values.max():
                break  # f(x + iδσ) does not decay on the box: this shift gives no bound
            sizes.append(float(np.sum(weight * values)))
        else:
            size = 2 * max(sizes) / (4 * math.pi**2)  # twice: room for the quadrature's error
            if math.isfinite(size):
                shifts.append((delta, size))
    if not shifts:
        raise NotSupportedError("no contour shift bounds the transform of f")

    def tail(a: float) -> float:
        """Per quadrant, {u > a} ∪ {v > a}: twice ∫∫_{u>a} minus the overlap (no cancellation)."""
        best = math.inf
        for delta, size in shifts:
            decay = math.exp(-delta * a)
            zero, first = decay / delta, decay * (1 + delta * a) / delta**2  # ∫_a^∞ e, u e
            quadrant = 2 * (first / delta + zero / delta**2) - 2 * first * zero
            best = min(best, 4 * size * quadrant)
        return best

    return tail


def _tensor_box(
    transform: Callable[[np.ndarray, np.ndarray], np.ndarray],
    half_width: float,
    length: float,
    stretch: float,
) -> list[float]:
    """:math:`\\int|\\omega||\\hat f|` on the box, for three subdivisions (panels halved),
    with f̂ on tensor grids; ``stretch`` changes the panels (a second subdivision)."""
    values = []
    for fine in (2, 4, 8):
        half = _edges(half_width, stretch / length, fine)
        w, wt = _rule(np.concatenate([-half[::-1], half[1:]]))
        magnitude = transform(w, w)
        norm = np.hypot(w[:, None], w[None, :])
        values.append(float(np.einsum("i,j,ij->", wt, wt, norm * magnitude)))
    return values


def _line_defect(f: sp.Expr, variables: tuple[sp.Symbol, ...]) -> str | None:
    """A jump or a kink of f on a line parallel to an axis (then f is not C¹ and C_f = ∞)."""
    if not f.has(*_NONSMOOTH):
        return None
    for x in variables:
        for offset in _LINE_OFFSETS:
            line = f.subs({v: offset for v in variables if v != x})
            try:
                defect = smoothness_defect(line, x)
            except (NotSupportedError, ValueError, TypeError, ZeroDivisionError):
                continue
            if defect is not None:
                where = ", ".join(f"{v} = {offset}" for v in variables if v != x)
                return f"{defect} on the line {where}"
    return None


def barron_constant_multivariate(
    f: sp.Expr, variables: Sequence[sp.Symbol], *, seconds: float = 60.0
) -> BarronConstant:
    """Barron's constant of ``f`` in two or more ``variables``, without radial symmetry.

    ``f`` not C¹ (a kink or a jump on a line) gives :math:`C_f = \\infty`.  Otherwise, in
    order: a function of a quadratic form :math:`g(|L(x-c)|)` (exact where :math:`C_g` is;
    d ≤ 3), a sum of polynomials times Gaussians (exact for one Gaussian with a homogeneous
    transform in the plane, else by cubature), in the plane a Schwartz function
    :math:`R e^{-Q}` (f̂ by quadrature), a sum of products of functions of one variable (by
    cubature).  A value by cubature has ``exact = None`` and its error; it was confirmed by
    two cubatures (see the module's description).  The necessary condition
    :math:`\\sup|\\nabla f| \\le C_f` is checked on every finite result.

    Raises
    ------
    ValueError
        ``f`` does not depend on one of the variables (then it has no transform as a
        function), or has no transform for another reason found on the way.
    NotSupportedError
        ``f`` has none of the shapes above, or the cubatures disagree.
    TimeLimitExceededError
        The computation took more than ``seconds``.

    Examples
    --------
    >>> x, y = sp.symbols("x y", real=True)
    >>> c = barron_constant_multivariate(sp.exp(-(x**2 + 4 * y**2) / 2), [x, y])
    >>> c.exact, round(c.numeric, 7)  # 2√(2/π) E(3/4)
    (2*sqrt(2)*elliptic_e(3/4)/sqrt(pi), 1.9325658)
    >>> c = barron_constant_multivariate(sp.exp(-x**2 - y**2) * x * y, [x, y])
    >>> c.exact  # f̂ = -ω₁ω₂ e^{-|ω|²/4}/(16π)
    3/(2*sqrt(pi))

    References
    ----------
    A. R. Barron (1993), eq. (3); Section IX (Gaussians, and products of functions of one
    variable).
    """
    variables = tuple(variables)
    if len(variables) < 2:
        raise ValueError(
            f"variables = {variables}: pass two or more Symbols (one variable: "
            "symdl.approximation.barron_line.barron_constant_line)"
        )
    f = validate_function(f, variables, real=True)
    d = sp.Integer(len(variables))
    with deadline(seconds):
        if f == 0:
            return BarronConstant(f, variables, d, sp.S.Zero, 0.0, 0.0, "f = 0", None)
        missing = [v for v in variables if not f.has(v)]
        if missing:
            raise ValueError(
                f"f = {plain_expr(f)} does not depend on {missing[0]}: it is constant along "
                f"{missing[0]}, "
                "so ∫|f| = ∞ and f has no Fourier transform as a function; pass a function "
                "that decays in every variable"
            )
        defect = _line_defect(f, variables)
        if defect is not None:
            reason = f"f is not C¹ ({defect}), and C_f < ∞ would make f C¹"
            return BarronConstant(f, variables, d, sp.oo, math.inf, 0.0, reason, None)
        refusals = []
        routes = (_quadratic_form_route, _gaussian_route, _numeric_route, _separable_route)
        for route in routes:
            try:
                result = route(f, variables)
            except NotSupportedError as refusal:
                refusals.append(str(refusal))
                continue
            if result is not None:
                if result.finite:
                    check_barron_gradient_bound(result)
                return result
    where = f"f = {plain_expr(f)} in {', '.join(map(str, variables))}"
    if refusals:
        reasons = "; ".join(dict.fromkeys(refusals))
        raise NotSupportedError(f"symdl cannot compute C_f of {where}: {reasons}")
    raise NotSupportedError(
        f"symdl cannot compute C_f of {where}: it is not radial, not a function of a quadratic "
        "form, not a sum of polynomials times Gaussians and not a sum of products of functions "
        "of one variable"
    )
