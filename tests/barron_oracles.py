r"""Barron's constant of a fixed list of functions, each computed here without symdl.

Convention (Barron 1993): :math:`f(x) = \int e^{i\omega\cdot x}\hat f(\omega)\,d\omega`, so
:math:`\hat f(\omega) = (2\pi)^{-d}\int e^{-i\omega\cdot x} f(x)\,dx`, and
:math:`C_f = \int |\omega|\,|\hat f(\omega)|\,d\omega`.

Every entry of :data:`ORACLES` holds the function, its variables and the value of
:math:`C_f`, obtained in one of these ways (``how`` says which, and how):

- a closed form (``exact``), from a transform derived by hand (the rules
  :math:`x f \leftrightarrow i\,\partial_\omega \hat f`,
  :math:`f' \leftrightarrow i\omega\hat f`, :math:`e^{iax} f \leftrightarrow \hat f(\omega - a)`,
  tables of Gaussian, Cauchy, sech and Bessel transforms) and an integral done by hand or
  taken from the literature; ``sp.oo`` where :math:`C_f = \infty`, with the proof;
- a number (``numeric``), from the hand-derived transform integrated by mpmath or by
  Gauss–Legendre quadrature in NumPy written here, with its accuracy (``tolerance``,
  absolute) stated and justified.

Where the entry has one, ``transform`` is the hand-derived :math:`\hat f` (of ω on the line,
of ρ = |ω| for a radial function, of (ω₁, ω₂) in the plane).  ``tests/test_barron_oracles.py``
checks each transform against a direct quadrature of the Fourier integral, each closed form
against a quadrature of :math:`|\omega||\hat f|`, and each value against one stated
beforehand to a few digits (``stated``), before comparing symdl with them.  Nothing here calls
symdl.
"""

from __future__ import annotations

import dataclasses
import functools
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import mpmath as mp
import numpy as np
import sympy as sp

__all__ = [
    "ORACLES",
    "SLOW",
    "Oracle",
    "X",
    "by_name",
    "line_constant",
    "oracle_value",
    "plane_constant",
    "radial_constant",
    "x",
]

x = sp.Symbol("x", real=True)
X = sp.symbols("x1:4", real=True)
x1, x2, x3 = X
x4 = sp.Symbol("x4", real=True)
_DPS = 30


@dataclass(frozen=True)
class Oracle:
    """One function and its Barron constant, computed without symdl.

    ``exact`` is a closed form (``sp.oo`` when :math:`C_f = \\infty`) or ``None``; then
    ``numeric`` computes the value, accurate to ``tolerance`` (absolute).  ``transform`` is
    the hand-derived :math:`\\hat f` (of ω, of ρ for ``radial`` entries, of (ω₁, ω₂) for
    the others in the plane); ``breaks`` are the points where :math:`|\\hat f|` has a kink
    (its zeros, :math:`|\\omega - a|`), where a quadrature of it must split.  ``stated`` is
    a value published beforehand (to 8 digits unless ``stated_tolerance`` says how far it may
    be from the truth).
    ``slow_decay`` marks a function whose Fourier integral converges only slowly (a
    rational function, sin x/x), checked by oscillatory quadrature.  ``slow`` marks an
    entry of :data:`SLOW`.
    """

    name: str
    function: sp.Expr
    variables: tuple[sp.Symbol, ...]
    exact: sp.Expr | None
    how: str
    numeric: Callable[[], Any] | None = None
    tolerance: float = 1e-25
    transform: Callable[..., Any] | None = None
    radial: bool = False
    breaks: tuple[float, ...] = ()
    stated: float | None = None
    stated_tolerance: float = 0.0
    slow_decay: bool = False
    slow: bool = False

    @property
    def dim(self) -> int:
        return len(self.variables)

    @property
    def infinite(self) -> bool:
        return self.exact is sp.oo

    def value(self) -> Any:
        """:math:`C_f` as an mpmath number (60 digits for a closed form), ``mp.inf`` if
        infinite."""
        return oracle_value(self.name)


# --- helpers: the quadratures that turn a hand-derived transform into C_f ------------------------


def line_constant(transform: Callable[[Any], Any], breaks: tuple[float, ...] = ()) -> Any:
    """:math:`\\int_{\\mathbb{R}} |\\omega|\\,|\\hat f(\\omega)|\\,d\\omega
    = \\int_0^\\infty \\omega\\,(|\\hat f(\\omega)| + |\\hat f(-\\omega)|)\\,d\\omega`,
    by mpmath (tanh-sinh), the range split at ``breaks``."""
    with mp.workdps(_DPS):
        points = [mp.mpf(0), *(mp.mpf(b) for b in sorted(breaks)), mp.inf]
        return mp.quad(lambda w: w * (abs(transform(w)) + abs(transform(-w))), points)


def _sphere(d: int) -> Any:
    """The area :math:`2\\pi^{d/2}/\\Gamma(d/2)` of the unit sphere in :math:`\\mathbb{R}^d`."""
    return 2 * mp.pi ** (mp.mpf(d) / 2) / mp.gamma(mp.mpf(d) / 2)


def radial_constant(profile: Callable[[Any], Any], d: int, breaks: tuple[float, ...] = ()) -> Any:
    """:math:`C_f = |S^{d-1}| \\int_0^\\infty \\rho^d |\\hat f(\\rho)|\\,d\\rho` for a radial
    transform :math:`\\hat f(\\omega) = \\hat f(|\\omega|)`."""
    with mp.workdps(_DPS):
        points = [mp.mpf(0), *(mp.mpf(b) for b in sorted(breaks)), mp.inf]
        return _sphere(d) * mp.quad(lambda r: r**d * abs(profile(r)), points)


def plane_constant(transform: Callable[[Any, Any], Any]) -> float:
    """:math:`\\int_{\\mathbb{R}^2} |\\omega|\\,|\\hat f(\\omega)|\\,d\\omega` in polar
    coordinates by Gauss–Legendre: ρ in 8 panels of 16 nodes up to 100, θ in 24 nodes on
    each quarter (the axes are where :math:`|\\omega_1|` or :math:`|\\omega_2|` has a kink).
    Good to about 1e-14 for transforms analytic in each open quadrant that decay at least
    like :math:`e^{-\\rho/2}`."""
    rho, rho_weights = _gauss_legendre(np.array([0.0, 1, 2, 4, 8, 16, 32, 64, 100]), 16)
    theta, theta_weights = _gauss_legendre(np.linspace(0.0, 2 * np.pi, 5), 24)
    total = 0.0
    with mp.workdps(20):
        for t, wt in zip(theta, theta_weights, strict=True):
            c, s = math.cos(t), math.sin(t)
            ring = sum(
                w * r**2 * float(abs(transform(mp.mpf(r * c), mp.mpf(r * s))))
                for r, w in zip(rho, rho_weights, strict=True)
            )
            total += wt * ring
    return total


def _gauss_legendre(edges: np.ndarray, nodes: int) -> tuple[np.ndarray, np.ndarray]:
    """Nodes and weights of ``nodes``-point Gauss–Legendre on each interval between
    consecutive ``edges`` (flattened)."""
    t, w = np.polynomial.legendre.leggauss(nodes)
    a, b = edges[:-1, None], edges[1:, None]
    half = (b - a) / 2
    return ((a + b) / 2 + half * t).ravel(), (half * w).ravel()


def _abs_integral(
    g: Callable[[np.ndarray], np.ndarray],
    weight: Callable[[np.ndarray], np.ndarray],
    upper: float,
    cells: int,
    nodes: int = 16,
) -> tuple[float, float]:
    """:math:`\\int_0^{\\mathrm{upper}} w(t)\\,|g(t)|\\,dt` for a real g, in NumPy: the range
    cut into ``cells`` equal cells, a cell where g changes sign cut at its zero (found by
    bisection), Gauss–Legendre on each piece.  Assumes at most one zero per cell.  Returns
    the integral and the last zero found."""
    edges = np.linspace(0.0, upper, cells + 1)
    values = g(edges)
    change = np.flatnonzero(np.sign(values[:-1]) * np.sign(values[1:]) < 0)
    low, high, at_low = edges[change], edges[change + 1], values[change]
    for _ in range(55):
        middle = (low + high) / 2
        same = np.sign(g(middle)) == np.sign(at_low)
        low, high = np.where(same, middle, low), np.where(same, high, middle)
    zeros = (low + high) / 2
    starts = np.concatenate([edges[:-1], zeros])
    ends = np.concatenate([edges[1:], edges[change + 1]])
    ends[change] = zeros
    t, w = np.polynomial.legendre.leggauss(nodes)
    half = ((ends - starts) / 2)[:, None]
    points = (starts + ends)[:, None] / 2 + half * t
    total = float(np.sum(half * w * weight(points) * np.abs(g(points))))
    return total, float(zeros[-1]) if zeros.size else 0.0


# --- numeric oracles ----------------------------------------------------------------------------


def _quartic_constant() -> Any:
    """1/(1+x⁴): with a = |ω|/√2, :math:`\\hat f = e^{-a}(\\cos a + \\sin a)/(2\\sqrt2)`, so
    :math:`C_f = \\sqrt2\\int_0^\\infty a e^{-a}|\\cos a + \\sin a|\\,da`; the zeros are
    a = 3π/4 + kπ and :math:`e^{-a}` makes the range beyond a = 130 negligible (< 1e-50)."""
    with mp.workdps(_DPS):
        zeros = [3 * mp.pi / 4 + k * mp.pi for k in range(42)]
        integral = mp.quad(lambda a: a * mp.exp(-a) * abs(mp.cos(a) + mp.sin(a)), [0, *zeros])
        return mp.sqrt(2) * integral


def _spherical_j2(w: np.ndarray) -> np.ndarray:
    """The spherical Bessel function :math:`j_2(w) = (3/w^3 - 1/w)\\sin w - 3\\cos w/w^2`
    (its Taylor series :math:`w^2/15 - w^4/210 + w^6/7560 - w^8/498960` below 1/2, where the
    closed form cancels)."""
    w = np.asarray(w, dtype=float)
    small = np.abs(w) < 0.5
    safe = np.where(small, 1.0, w)
    series = w**2 / 15 - w**4 / 210 + w**6 / 7560 - w**8 / 498960
    closed = (3 / safe**3 - 1 / safe) * np.sin(safe) - 3 * np.cos(safe) / safe**2
    return np.where(small, series, closed)


def _compact_quartic_constant() -> Any:
    """(1-x²)² on |x| < 1: :math:`\\hat f(\\omega) = (8/\\pi)\\,j_2(\\omega)/\\omega^2`, so
    :math:`C_f = (16/\\pi)\\int_0^\\infty |j_2(\\omega)|/\\omega\\,d\\omega`.  The integral is
    taken in NumPy up to the last zero Z of :math:`j_2` below 20000; beyond it
    :math:`j_2 = -\\sin(\\omega+\\psi)\\,(1/\\omega)(1 + O(\\omega^{-2}))` and starting at a
    zero the tail is :math:`(2/\\pi)/Z + O(Z^{-3})`."""

    def weight(w: np.ndarray) -> np.ndarray:
        return 1 / np.where(w == 0, 1.0, w)

    _, last_zero = _abs_integral(_spherical_j2, weight, 20000.0, 80000, 4)
    integral, _ = _abs_integral(_spherical_j2, weight, last_zero, 80000, 16)
    with mp.workdps(_DPS):
        return 16 / mp.pi * (mp.mpf(integral) + 2 / (mp.pi * mp.mpf(last_zero)))


def _compact_quartic_transform(w: Any) -> Any:
    w = abs(mp.mpf(w))
    if w == 0:
        return 8 / (15 * mp.pi)
    j2 = mp.sqrt(mp.pi / (2 * w)) * mp.besselj(mp.mpf(5) / 2, w)
    return 8 / mp.pi * j2 / w**2


@functools.cache
def _bump_nodes() -> tuple[np.ndarray, np.ndarray]:
    """Gauss–Legendre on [0, 1] in 100 panels of 30 nodes, and (1/π) w_j e^{-1/(1-x_j²)}."""
    nodes, weights = _gauss_legendre(np.linspace(0.0, 1.0, 101), 30)
    return nodes, weights * np.exp(-1 / (1 - nodes**2)) / math.pi


def _bump_transform_numpy(w: np.ndarray) -> np.ndarray:
    """:math:`\\hat f(\\omega) = (1/\\pi)\\int_0^1 e^{-1/(1-x^2)}\\cos(\\omega x)\\,dx` by
    panel Gauss–Legendre (agrees with 40-digit mpmath to 1e-17 for ω ≤ 800)."""
    nodes, weighted = _bump_nodes()
    w = np.asarray(w, dtype=float)
    flat = w.ravel()
    out = np.empty_like(flat)
    for start in range(0, flat.size, 2048):
        out[start : start + 2048] = np.cos(np.outer(flat[start : start + 2048], nodes)) @ weighted
    return out.reshape(w.shape)


def _bump_transform(w: Any) -> Any:
    return mp.mpf(float(_bump_transform_numpy(np.array([float(w)]))[0]))


def _bump_constant() -> Any:
    """The bump :math:`e^{-1/(1-x^2)}` on |x| < 1: :math:`C_f = 2\\int_0^{800}\\omega|\\hat f|`
    with :math:`\\hat f` by panel Gauss–Legendre.  :math:`|\\hat f(\\omega)|` decays like
    :math:`e^{-\\sqrt{2\\omega}}` (below 1e-16 at ω = 800, so the rest is below 1e-10); the
    value changes by 4e-10 from 700 to 900."""
    integral, _ = _abs_integral(_bump_transform_numpy, lambda w: w, 800.0, 800, 12)
    return mp.mpf(2 * integral)


def _dawson(z: Any) -> Any:
    """Dawson's function :math:`F(z) = e^{-z^2}\\int_0^z e^{t^2}dt
    = (\\sqrt\\pi/2)\\,e^{-z^2}\\operatorname{erfi}(z)`."""
    return mp.sqrt(mp.pi) / 2 * mp.exp(-(z**2)) * mp.erfi(z)


def _x_abs_x_transform(w: Any) -> Any:
    """x|x|e^{-x²}: with :math:`S(\\omega) = \\int_0^\\infty e^{-x^2}\\sin\\omega x\\,dx
    = F(\\omega/2)`, :math:`\\hat f = (i/\\pi) S''(\\omega)
    = (i/4\\pi)((\\omega^2 - 2)F(\\omega/2) - \\omega)` (F'' = (4z²-2)F - 2z).  The bracket
    cancels like :math:`8/\\omega^3`: the working precision grows with ω."""
    w = mp.mpf(w)
    with mp.workdps(_DPS + 10 + int(4 * mp.log10(1 + abs(w)))):
        value = ((w**2 - 2) * _dawson(w / 2) - w) / (4 * mp.pi)
    return mp.mpc(0, value)


def _x_abs_x_constant() -> Any:
    """x|x|e^{-x²}: :math:`C_f = 2\\int_0^\\Omega \\omega|\\hat f|` (one zero, near 3.004) plus
    the tail from :math:`(\\omega^2-2)F(\\omega/2) - \\omega \\sim 8/\\omega^3 + 96/\\omega^5
    + 1440/\\omega^7`, i.e. :math:`(8/\\Omega + 32/\\Omega^3 + 288/\\Omega^5)/(2\\pi)`, with
    Ω = 200 (next term below 1e-13)."""
    with mp.workdps(_DPS):
        g = lambda w: mp.im(_x_abs_x_transform(w))  # noqa: E731
        zero = mp.findroot(g, 3)
        upper = mp.mpf(200)
        head = 2 * mp.quad(lambda w: w * abs(g(w)), [0, zero, 10, 50, upper])
        tail = (8 / upper + 32 / upper**3 + 288 / upper**5) / (2 * mp.pi)
        return head + tail


def _abs_cubed_transform(w: Any) -> Any:
    """|x|³e^{-x²}: :math:`\\hat f = -(1/\\pi)S'''(\\omega)
    = ((\\omega^3 - 6\\omega)F(\\omega/2) - \\omega^2 + 4)/(8\\pi)`
    (F''' = (12z - 8z³)F + 4z² - 4); the bracket cancels like :math:`48/\\omega^4`."""
    w = abs(mp.mpf(w))
    with mp.workdps(_DPS + 10 + int(6 * mp.log10(1 + w))):
        return ((w**3 - 6 * w) * _dawson(w / 2) - w**2 + 4) / (8 * mp.pi)


def _abs_cubed_constant() -> Any:
    """|x|³e^{-x²}: two zeros of :math:`\\hat f` (near 1.15 and 3.95); the tail beyond Ω = 200
    from the bracket :math:`\\sim 48/\\omega^4 + 960/\\omega^6 + 20160/\\omega^8`:
    :math:`6/(\\pi\\Omega^2) + 60/(\\pi\\Omega^4) + 840/(\\pi\\Omega^6)`."""
    with mp.workdps(_DPS):
        zeros = [mp.findroot(_abs_cubed_transform, guess) for guess in (1.15, 3.95)]
        upper = mp.mpf(200)
        head = 2 * mp.quad(lambda w: w * abs(_abs_cubed_transform(w)), [0, *zeros, 10, 50, upper])
        tail = (6 / upper**2 + 60 / upper**4 + 840 / upper**6) / mp.pi
        return head + tail


def _cos9_sech_constant() -> Any:
    """cos(9x) sech x: :math:`\\hat f = (\\operatorname{sech}(\\pi(\\omega-9)/2)
    + \\operatorname{sech}(\\pi(\\omega+9)/2))/4 > 0`, so with u = ω - 9 and
    :math:`\\int\\operatorname{sech}(\\pi u/2)\\,du = 2`,
    :math:`C_f = \\tfrac12\\int|u + 9|\\operatorname{sech}(\\pi u/2)\\,du
    = 9 + \\int_9^\\infty (t - 9)\\operatorname{sech}(\\pi t/2)\\,dt`."""
    with mp.workdps(_DPS):
        return 9 + mp.quad(lambda t: (t - 9) * mp.sech(mp.pi * t / 2), [9, 20, mp.inf])


def _gaussian_mean_norm_2d(v1: int, v2: int) -> Any:
    """:math:`\\mathbb{E}|W|` for :math:`W \\sim N(0, \\mathrm{diag}(v_1, v_2))` (variances
    v₁, v₂, exact integers): in polar coordinates, with
    :math:`a(\\theta) = \\cos^2\\theta/2v_1 + \\sin^2\\theta/2v_2` and
    :math:`\\int_0^\\infty \\rho^2 e^{-a\\rho^2}d\\rho = \\sqrt\\pi/(4a^{3/2})`,
    :math:`\\mathbb{E}|W| = \\frac{\\sqrt\\pi}{8\\pi\\sqrt{v_1 v_2}}\\int_0^{2\\pi}
    a(\\theta)^{-3/2}d\\theta`."""
    with mp.workdps(_DPS):

        def a(t: Any) -> Any:
            return mp.cos(t) ** 2 / (2 * v1) + mp.sin(t) ** 2 / (2 * v2)

        quarter = [k * mp.pi / 2 for k in range(5)]
        integral = mp.quad(lambda t: a(t) ** mp.mpf(-1.5), quarter)
        return mp.sqrt(mp.pi) / (8 * mp.pi * mp.sqrt(v1 * v2)) * integral


def _gaussian_mean_norm_3d(s: Any, t: Any) -> Any:
    """:math:`\\mathbb{E}|W|` for :math:`W \\sim N(0, \\mathrm{diag}(s^2, s^2, t^2))`: with
    :math:`a(\\phi) = \\sin^2\\phi/2s^2 + \\cos^2\\phi/2t^2` (φ from the third axis) and
    :math:`\\int_0^\\infty\\rho^3e^{-a\\rho^2}d\\rho = 1/(2a^2)`,
    :math:`\\mathbb{E}|W| = \\frac{2\\pi}{(2\\pi)^{3/2}s^2t}\\int_0^\\pi
    \\frac{\\sin\\phi}{2a(\\phi)^2}d\\phi`."""
    with mp.workdps(_DPS):
        s, t = mp.mpf(s), mp.mpf(t)

        def a(p: Any) -> Any:
            return mp.sin(p) ** 2 / (2 * s**2) + mp.cos(p) ** 2 / (2 * t**2)

        integral = mp.quad(lambda p: mp.sin(p) / (2 * a(p) ** 2), [0, mp.pi / 2, mp.pi])
        return 2 * mp.pi / ((2 * mp.pi) ** 1.5 * s**2 * t) * integral


def _gauss_cauchy_transform(w1: Any, w2: Any) -> Any:
    """e^{-x₁²/2}/(1+x₂²): the product of the transforms :math:`e^{-\\omega_1^2/2}/\\sqrt{2\\pi}`
    and :math:`e^{-|\\omega_2|}/2`."""
    return mp.exp(-(w1**2) / 2) / mp.sqrt(2 * mp.pi) * mp.exp(-abs(w2)) / 2


def _gauss_cauchy_constant() -> Any:
    """e^{-x₁²/2}/(1+x₂²): :math:`C_f = \\mathbb{E}\\sqrt{Z^2 + L^2}` (Z standard normal, L
    Laplace); nested mpmath quadrature in polar coordinates over the first quadrant, times 4
    (the integrand is even in each coordinate), 20 digits."""
    with mp.workdps(20):

        def ring(t: Any) -> Any:
            c, s = mp.cos(t), mp.sin(t)
            return mp.quad(lambda r: r**2 * _gauss_cauchy_transform(r * c, r * s), [0, mp.inf])

        return 4 * mp.quad(ring, [0, mp.pi / 2])


def _polynomial_gaussian_bracket(w1: Any, w2: Any) -> tuple[Any, Any]:
    """The non-radial :math:`f = e^{-|x|^2}(1 + x_2\\,p(x_1))`,
    :math:`p(t) = (t - 1/3)(t + 7/5)(t - 2) = t^3 - \\tfrac{14}{15}t^2 - \\tfrac{13}5 t
    + \\tfrac{14}{15}`.  With :math:`h = e^{-\\omega^2/4}` and :math:`H_n = (i\\partial)^n h/h`:
    :math:`H_1 = -i\\omega/2`, :math:`H_2 = 1/2 - \\omega^2/4`,
    :math:`H_3 = i(\\omega^3/8 - 3\\omega/4)`, so
    :math:`\\hat f = \\frac{e^{-|\\omega|^2/4}}{4\\pi}(1 + P(\\omega_1)H_1(\\omega_2))`,
    :math:`P = i(\\omega_1^3/8 + 11\\omega_1/20) + \\tfrac7{15}(1 + \\omega_1^2/2)`.
    Returned: the real and imaginary parts of the bracket,
    :math:`1 + \\tfrac{\\omega_2}2(\\omega_1^3/8 + 11\\omega_1/20)` and
    :math:`-\\tfrac{7\\omega_2}{30}(1 + \\omega_1^2/2)` (never both 0: the second vanishes
    only at ω₂ = 0, where the first is 1)."""
    real = 1 + (w2 / 2) * (w1**3 / 8 + 11 * w1 / 20)
    imag = -(w2 * 7 / 30) * (1 + w1**2 / 2)
    return real, imag


def _polynomial_gaussian_transform(w1: Any, w2: Any) -> Any:
    with mp.workdps(_DPS):
        w1, w2 = mp.mpf(w1), mp.mpf(w2)
        real, imag = _polynomial_gaussian_bracket(w1, w2)
        return mp.exp(-(w1**2 + w2**2) / 4) / (4 * mp.pi) * mp.mpc(real, imag)


def _polynomial_gaussian_constant() -> Any:
    """:math:`C_f = \\int_0^{2\\pi}\\int_0^{16}\\rho^2|\\hat f|\\,d\\rho\\,d\\theta` in NumPy:
    Gauss–Legendre in ρ (8 panels of 60 nodes; beyond 16 the integrand is below 1e-20), the
    periodic trapezoid rule in θ with 8192 points.  :math:`|\\hat f|` has no zero but a sharp
    dip of width about :math:`16/\\rho^4` near θ = 0 and π, so the θ rule converges slowly:
    4096 and 8192 points agree to 1e-11."""
    r, wr = _gauss_legendre(np.linspace(0.0, 16.0, 9), 60)
    count = 8192
    theta = np.arange(count) * (2 * np.pi / count)
    w1, w2 = r[:, None] * np.cos(theta), r[:, None] * np.sin(theta)
    real, imag = _polynomial_gaussian_bracket(w1, w2)
    gauss = np.exp(-(w1**2 + w2**2) / 4) / (4 * np.pi)
    rings = (r[:, None] ** 2 * gauss * np.hypot(real, imag)).sum(axis=1) * (2 * np.pi / count)
    return mp.mpf(float(wr @ rings))


# --- the transforms of the closed-form entries (Barron's convention) -----------------------------


def _phi(w: Any) -> Any:
    """The standard normal density, the transform of :math:`e^{-x^2/2}`."""
    return mp.exp(-(w**2) / 2) / mp.sqrt(2 * mp.pi)


def _gauss1(w: Any) -> Any:
    """The transform of :math:`e^{-x^2}`: :math:`e^{-\\omega^2/4}/(2\\sqrt\\pi)`."""
    return mp.exp(-(w**2) / 4) / (2 * mp.sqrt(mp.pi))


def _bessel_k1_ratio(w: Any) -> Any:
    """:math:`|\\omega| K_1(|\\omega|)`, 1 at ω = 0."""
    w = abs(w)
    return mp.mpf(1) if w == 0 else w * mp.besselk(1, w)


def _sech_squared(w: Any) -> Any:
    """The transform of sech²x: :math:`\\omega/(2\\sinh(\\pi\\omega/2))`, 1/π at 0."""
    return 1 / mp.pi if w == 0 else w / (2 * mp.sinh(mp.pi * w / 2))


def _triangle(w: Any) -> Any:
    return max(mp.mpf(0), 1 - abs(w) / 2) / 2


def _box(w: Any) -> Any:
    return mp.mpf(1) / 2 if abs(w) < 1 else mp.mpf(0)


half = sp.Rational(1, 2)
sqrt2pi = sp.sqrt(2 / sp.pi)
norm2 = x1**2 + x2**2
norm3 = x1**2 + x2**2 + x3**2
step = sp.Piecewise((1, sp.Abs(x) < 1), (0, True))

_KINK = "C_f < ∞ forces f ∈ C¹ (Barron 1993, Section III: ∇f is the transform of iωf̂)"

_ENTRIES: tuple[Oracle, ...] = (
    # --- Gaussians and their relatives on the line ---
    Oracle(
        "exp(-x^2/2)",
        sp.exp(-(x**2) / 2),
        (x,),
        sqrt2pi,
        "f̂ = φ (the normal density); C_f = E|Z| = √(2/π)",
        transform=_phi,
    ),
    Oracle(
        "exp(-x^2)",
        sp.exp(-(x**2)),
        (x,),
        2 / sp.sqrt(sp.pi),
        "f̂ = e^{-ω²/4}/(2√π); C_f = 2∫ω f̂ = 2/√π",
        transform=_gauss1,
    ),
    Oracle(
        "exp(-(x-1)^2/2)",
        sp.exp(-((x - 1) ** 2) / 2),
        (x,),
        sqrt2pi,
        "a translation multiplies f̂ by e^{-iω}: |f̂| = φ, C_f = √(2/π)",
        transform=lambda w: mp.expj(-w) * _phi(w),
    ),
    Oracle(
        "x exp(-x^2)",
        x * sp.exp(-(x**2)),
        (x,),
        sp.Integer(1),
        "f̂ = i∂ω[e^{-ω²/4}/(2√π)] = -iωe^{-ω²/4}/(4√π); C_f = ∫_0^∞ω²e^{-ω²/4}dω/(2√π) = 1",
        transform=lambda w: -1j * w * _gauss1(w) / 2,
    ),
    Oracle(
        "x^2 exp(-x^2/2)",
        x**2 * sp.exp(-(x**2) / 2),
        (x,),
        (4 * sp.exp(-half) - 1) * sqrt2pi,
        "f̂ = -φ'' = (1-ω²)φ; ∫ω(1-ω²)e^{-ω²/2} has antiderivative (ω²+1)e^{-ω²/2}: split at 1",
        transform=lambda w: (1 - w**2) * _phi(w),
        breaks=(1.0,),
    ),
    Oracle(
        "x^3 exp(-x^2/2)",
        x**3 * sp.exp(-(x**2) / 2),
        (x,),
        6 * sp.sqrt(6) * sp.exp(-sp.Rational(3, 2)) / sp.sqrt(sp.pi),
        "f̂ = -iφ''' = i(ω³-3ω)φ; ∫ω²(3-ω²)e^{-ω²/2} = ω³e^{-ω²/2}: split at √3 (stated: 1.8501640)",
        transform=lambda w: 1j * (w**3 - 3 * w) * _phi(w),
        breaks=(math.sqrt(3),),
        stated=1.8501640,
    ),
    Oracle(
        "(1+x^2) exp(-x^2/2)",
        (1 + x**2) * sp.exp(-(x**2) / 2),
        (x,),
        4 / sp.E * sqrt2pi,
        "f̂ = φ - φ'' = (2-ω²)φ; ∫ω(2-ω²)e^{-ω²/2} = ω²e^{-ω²/2}: split at √2",
        transform=lambda w: (2 - w**2) * _phi(w),
        breaks=(math.sqrt(2),),
    ),
    Oracle(
        "sin(x) exp(-x^2)",
        sp.sin(x) * sp.exp(-(x**2)),
        (x,),
        sp.Integer(1),
        "f̂ = (g(ω-1) - g(ω+1))/(2i), g = e^{-ω²/4}/(2√π); |f̂| = e^{-(ω²+1)/4}|sinh(ω/2)|/(2√π) "
        "and ∫ω e^{-ω²/4} sinh(ω/2) over ω > 0 is √π e^{1/4}: C_f = 1",
        transform=lambda w: (_gauss1(w - 1) - _gauss1(w + 1)) / 2j,
    ),
    Oracle(
        "cos(x) exp(-x^2/2)",
        sp.cos(x) * sp.exp(-(x**2) / 2),
        (x,),
        sp.erf(1 / sp.sqrt(2)) + sqrt2pi * sp.exp(-half),
        "f̂ = (φ(ω-1) + φ(ω+1))/2 > 0; C_f = E|Z+1| = μ erf(μ/√2) + √(2/π)e^{-μ²/2} at μ = 1",
        transform=lambda w: (_phi(w - 1) + _phi(w + 1)) / 2,
    ),
    Oracle(
        "cos(3x) exp(-x^2/2)",
        sp.cos(3 * x) * sp.exp(-(x**2) / 2),
        (x,),
        3 * sp.erf(3 / sp.sqrt(2)) + sqrt2pi * sp.exp(-sp.Rational(9, 2)),
        "f̂ = (φ(ω-3) + φ(ω+3))/2 > 0; C_f = E|Z+3| = 3 erf(3/√2) + √(2/π)e^{-9/2}",
        transform=lambda w: (_phi(w - 3) + _phi(w + 3)) / 2,
    ),
    Oracle(
        "exp(-x^2/2) - exp(-2x^2)",
        sp.exp(-(x**2) / 2) - sp.exp(-2 * x**2),
        (x,),
        (3 / sp.cbrt(2) - 1) * sqrt2pi,
        "f̂ = φ(ω) - e^{-ω²/8}/(2√(2π)) changes sign at ω₀² = (8/3) log 2; with "
        "H = 2e^{-ω²/8} - e^{-ω²/2}, C_f = (2H(ω₀) - H(0))·2/√(2π) = (3·2^{-1/3} - 1)√(2/π)",
        transform=lambda w: _phi(w) - mp.exp(-(w**2) / 8) / (2 * mp.sqrt(2 * mp.pi)),
        breaks=(math.sqrt(8 * math.log(2) / 3),),
    ),
    Oracle(
        "exp(-x^2/2) - exp(-x^2/8)/2",
        sp.exp(-(x**2) / 2) - sp.exp(-(x**2) / 8) / 2,
        (x,),
        3 / (2 * sp.sqrt(2 * sp.pi)),
        "f̂ = (e^{-ω²/2} - e^{-2ω²})/√(2π) ≥ 0 (f itself changes sign): C_f = (2 - 1/2)/√(2π)",
        transform=lambda w: (mp.exp(-(w**2) / 2) - mp.exp(-2 * w**2)) / mp.sqrt(2 * mp.pi),
    ),
    Oracle(
        "exp(-x^2/2) + 1/(1+x^2)",
        sp.exp(-(x**2) / 2) + 1 / (1 + x**2),
        (x,),
        1 + sqrt2pi,
        "f̂ = φ + e^{-|ω|}/2 > 0: the two constants add",
        transform=lambda w: _phi(w) + mp.exp(-abs(w)) / 2,
        slow_decay=True,
    ),
    # --- rational functions, sech ---
    Oracle(
        "1/(1+x^2)",
        1 / (1 + x**2),
        (x,),
        sp.Integer(1),
        "f̂ = e^{-|ω|}/2: C_f = ∫_0^∞ ω e^{-ω} dω = 1",
        transform=lambda w: mp.exp(-abs(w)) / 2,
        slow_decay=True,
    ),
    Oracle(
        "1/(4+x^2)",
        1 / (4 + x**2),
        (x,),
        sp.Rational(1, 8),
        "f̂ = e^{-2|ω|}/4: C_f = 1/a³ at a = 2",
        transform=lambda w: mp.exp(-2 * abs(w)) / 4,
        slow_decay=True,
    ),
    Oracle(
        "1/(1+x^2)^2",
        1 / (1 + x**2) ** 2,
        (x,),
        sp.Rational(3, 2),
        "f̂ = (1+|ω|)e^{-|ω|}/4 (the convolution of two Cauchy transforms): "
        "C_f = ∫_0^∞ ω(1+ω)e^{-ω}dω/2 = 3/2",
        transform=lambda w: (1 + abs(w)) * mp.exp(-abs(w)) / 4,
        slow_decay=True,
    ),
    Oracle(
        "(1+x^2)^(-3/2)",
        (1 + x**2) ** sp.Rational(-3, 2),
        (x,),
        4 / sp.pi,
        "f̂ = |ω|K₁(|ω|)/π; ∫_0^∞ ω^{μ-1}K_ν = 2^{μ-2}Γ((μ-ν)/2)Γ((μ+ν)/2) at μ = 3, ν = 1 "
        "gives C_f = (2/π)·2 = 4/π",
        transform=lambda w: _bessel_k1_ratio(w) / mp.pi,
        stated=4 / math.pi,
        slow_decay=True,
    ),
    Oracle(
        "x/(1+x^2)^2",
        x / (1 + x**2) ** 2,
        (x,),
        sp.Integer(1),
        "f = -(1/2)(1/(1+x²))' so f̂ = -iωe^{-|ω|}/4: C_f = ∫_0^∞ ω²e^{-ω}dω/2 = 1",
        transform=lambda w: -1j * w * mp.exp(-abs(w)) / 4,
        slow_decay=True,
    ),
    Oracle(
        "1/(1+x^4)",
        1 / (1 + x**4),
        (x,),
        None,
        "f̂ = e^{-a}(cos a + sin a)/(2√2), a = |ω|/√2 (residues at e^{iπ/4}, e^{3iπ/4}); "
        "mpmath between the zeros a = 3π/4 + kπ, 30 digits",
        numeric=_quartic_constant,
        tolerance=1e-20,
        transform=lambda w: (
            mp.exp(-abs(w) / mp.sqrt(2))
            * (mp.cos(abs(w) / mp.sqrt(2)) + mp.sin(abs(w) / mp.sqrt(2)))
            / (2 * mp.sqrt(2))
        ),
        breaks=tuple(math.sqrt(2) * (3 * math.pi / 4 + k * math.pi) for k in range(30)),
        stated=1.4001550,
        slow_decay=True,
    ),
    Oracle(
        "sech(x)",
        sp.sech(x),
        (x,),
        8 * sp.Catalan / sp.pi**2,
        "f̂ = sech(πω/2)/2; C_f = ∫_0^∞ ω sech(πω/2) dω = (4/π²)∫_0^∞ u sech u du = 8G/π² "
        "(∫_0^∞ u sech u du = 2G, G Catalan's constant)",
        transform=lambda w: mp.sech(mp.pi * w / 2) / 2,
    ),
    Oracle(
        "sech(x)^2",
        sp.sech(x) ** 2,
        (x,),
        28 * sp.zeta(3) / sp.pi**3,
        "f̂ = ω/(2 sinh(πω/2)); ∫_0^∞ x²/sinh(ax) dx = (7/2)ζ(3)/a³ at a = π/2 "
        "(∫_0^∞ x^{s-1}/sinh x = 2(1-2^{-s})Γ(s)ζ(s))",
        transform=_sech_squared,
        stated=28 * 1.2020569031595942 / math.pi**3,
    ),
    Oracle(
        "x sech(x)",
        x * sp.sech(x),
        (x,),
        sp.Integer(1),
        "f̂ = i∂ω[sech(πω/2)/2] = -(iπ/4) sech(πω/2) tanh(πω/2); by parts "
        "∫_0^∞ ω sech(aω)tanh(aω)dω = π/(2a²), so C_f = (π/2)·π/(2a²) = 1 at a = π/2",
        transform=lambda w: -1j * mp.pi / 4 * mp.sech(mp.pi * w / 2) * mp.tanh(mp.pi * w / 2),
    ),
    Oracle(
        "cos(9x) sech(x)",
        sp.cos(9 * x) * sp.sech(x),
        (x,),
        None,
        "f̂ = (sech(π(ω-9)/2) + sech(π(ω+9)/2))/4 > 0, so "
        "C_f = 9 + ∫_9^∞(t-9) sech(πt/2) dt, by mpmath to 30 digits (stated: 9.0000006)",
        numeric=_cos9_sech_constant,
        tolerance=1e-20,
        transform=lambda w: (mp.sech(mp.pi * (w - 9) / 2) + mp.sech(mp.pi * (w + 9) / 2)) / 4,
        breaks=(9.0,),
        stated=9.0000006,
    ),
    # --- oscillating, slowly decaying functions ---
    Oracle(
        "sin(x)/x",
        sp.sin(x) / x,
        (x,),
        half,
        "f̂ = 1{|ω| < 1}/2 (f is not integrable; the transform is the L² one): "
        "C_f = 2∫_0^1 ω/2 dω = 1/2",
        transform=_box,
        breaks=(1.0,),
        stated=0.5,
        slow_decay=True,
    ),
    Oracle(
        "sin(x)^2/x^2",
        sp.sin(x) ** 2 / x**2,
        (x,),
        sp.Rational(2, 3),
        "f̂ = (1 - |ω|/2)₊/2 (a triangle, the autoconvolution of the box): "
        "C_f = ∫_0^2 (ω - ω²/2) dω = 2/3",
        transform=_triangle,
        breaks=(2.0,),
        stated=2 / 3,
        slow_decay=True,
    ),
    Oracle(
        "cos(5x)/(1+x^2)",
        sp.cos(5 * x) / (1 + x**2),
        (x,),
        5 + sp.exp(-5),
        "f̂ = (e^{-|ω-5|} + e^{-|ω+5|})/4 > 0; C_f = E|U+5| for U with density e^{-|u|}/2, "
        "= 5 + 2∫_5^∞(t-5)e^{-t}/2 dt = 5 + e^{-5}",
        transform=lambda w: (mp.exp(-abs(w - 5)) + mp.exp(-abs(w + 5))) / 4,
        breaks=(5.0,),
        stated=5 + math.exp(-5),
        slow_decay=True,
    ),
    Oracle(
        "sin(20x)/(1+x^2)",
        sp.sin(20 * x) / (1 + x**2),
        (x,),
        sp.Integer(20),
        "f̂ = (e^{-|ω-20|} - e^{-|ω+20|})/(4i), of one sign on each half-line; "
        "C_f = (∫_0^∞ ωe^{-|ω-20|}dω - e^{-20})/2 = (40 + e^{-20} - e^{-20})/2 = 20",
        transform=lambda w: (mp.exp(-abs(w - 20)) - mp.exp(-abs(w + 20))) / 4j,
        breaks=(20.0,),
        stated=20.0,
        slow_decay=True,
    ),
    # --- finite C_f although f is not smooth everywhere ---
    Oracle(
        "(1-x^2)^2 on |x|<1",
        sp.Piecewise(((1 - x**2) ** 2, sp.Abs(x) < 1), (0, True)),
        (x,),
        None,
        "C¹ with a jump of f'' at ±1; f̂ = (8/π) j₂(ω)/ω² (j₂ the spherical Bessel function), "
        "C_f = (16/π)∫_0^∞|j₂(ω)|/ω dω: NumPy Gauss–Legendre split at the zeros up to 20000, "
        "tail (2/π)/Z (agrees with mpmath nsum over the zeros of J_{5/2} to 1e-11)",
        numeric=_compact_quartic_constant,
        tolerance=1e-9,
        transform=_compact_quartic_transform,
        stated=2.4076533,
    ),
    Oracle(
        "x|x| exp(-x^2)",
        x * sp.Abs(x) * sp.exp(-(x**2)),
        (x,),
        None,
        "C¹ with a jump of f'' at 0; f̂ = (i/4π)((ω²-2)F(ω/2) - ω), F Dawson's function; "
        "mpmath up to 200 and the asymptotic tail (4/π)/Ω + ...",
        numeric=_x_abs_x_constant,
        tolerance=1e-10,
        transform=_x_abs_x_transform,
        stated=1.0890950,
    ),
    Oracle(
        "|x|^3 exp(-x^2)",
        sp.Abs(x) ** 3 * sp.exp(-(x**2)),
        (x,),
        None,
        "C² with a jump of f''' at 0; f̂ = ((ω³-6ω)F(ω/2) - ω² + 4)/(8π); mpmath up to 200 "
        "and the asymptotic tail 6/(πΩ²) + ...",
        numeric=_abs_cubed_constant,
        tolerance=1e-10,
        transform=_abs_cubed_transform,
    ),
    Oracle(
        "bump exp(-1/(1-x^2))",
        sp.Piecewise((sp.exp(-1 / (1 - x**2)), sp.Abs(x) < 1), (0, True)),
        (x,),
        None,
        "f̂ = (1/π)∫_0^1 e^{-1/(1-x²)}cos ωx dx by panel Gauss–Legendre in NumPy, "
        "C_f = 2∫_0^800 ω|f̂| split at its zeros; |f̂| ~ e^{-√(2ω)}.  The stated 1.2727645 "
        "is short by 1.5e-6: a quadrature stopped near ω = 330 gives it",
        numeric=_bump_constant,
        tolerance=1e-9,
        transform=_bump_transform,
        stated=1.2727645,
        stated_tolerance=2e-6,
    ),
    # --- C_f = ∞ on the line ---
    Oracle(
        "exp(-|x|)",
        sp.exp(-sp.Abs(x)),
        (x,),
        sp.oo,
        f"f' jumps at 0 (from 1 to -1); {_KINK}.  Also f̂ = 1/(π(1+ω²)), ω|f̂| ~ 1/(πω)",
    ),
    Oracle(
        "box 1{|x|<1}",
        step,
        (x,),
        sp.oo,
        f"f jumps at ±1; {_KINK}",
    ),
    Oracle(
        "tent max(0, 1-|x|)",
        sp.Max(0, 1 - sp.Abs(x)),
        (x,),
        sp.oo,
        f"f' jumps at -1, 0, 1; {_KINK}.  Also f̂ = (sin(ω/2)/(ω/2))²/(2π)",
    ),
    Oracle(
        "|x| exp(-x^2)",
        sp.Abs(x) * sp.exp(-(x**2)),
        (x,),
        sp.oo,
        f"f' jumps at 0 (from -1 to 1); {_KINK}",
    ),
    Oracle(
        "sqrt(1-cos x) exp(-x^2)",
        sp.sqrt(1 - sp.cos(x)) * sp.exp(-(x**2)),
        (x,),
        sp.oo,
        f"a hidden kink: √(1-cos x) = √2|sin(x/2)|, so f' jumps at 2πk (at 0 from -1/√2 to "
        f"1/√2); {_KINK}",
    ),
    Oracle(
        "sqrt(x^2+x^4) exp(-x^2)",
        sp.sqrt(x**2 + x**4) * sp.exp(-(x**2)),
        (x,),
        sp.oo,
        f"a hidden kink: √(x²+x⁴) = |x|√(1+x²), so f' jumps at 0 (from -1 to 1); {_KINK}",
    ),
    # --- radial functions in d = 2, 3, 4 ---
    Oracle(
        "exp(-|x|^2/2), d=2",
        sp.exp(-norm2 / 2),
        X[:2],
        sp.sqrt(sp.pi / 2),
        "f̂ = e^{-ρ²/2}/(2π); C_f = E|Z| = √2Γ(3/2)/Γ(1), Z ~ N(0, I₂)",
        transform=lambda r: mp.exp(-(r**2) / 2) / (2 * mp.pi),
        radial=True,
    ),
    Oracle(
        "exp(-|x|^2/2), d=3",
        sp.exp(-norm3 / 2),
        X,
        2 * sqrt2pi,
        "f̂ = e^{-ρ²/2}/(2π)^{3/2}; C_f = E|Z| = √2Γ(2)/Γ(3/2), Z ~ N(0, I₃)",
        transform=lambda r: mp.exp(-(r**2) / 2) / (2 * mp.pi) ** 1.5,
        radial=True,
    ),
    Oracle(
        "exp(-|x|^2), d=2",
        sp.exp(-norm2),
        X[:2],
        sp.sqrt(sp.pi),
        "f(x) = g(√2 x) with g = e^{-|x|²/2}: C_f = √2·√(π/2); f̂ = e^{-ρ²/4}/(4π)",
        transform=lambda r: mp.exp(-(r**2) / 4) / (4 * mp.pi),
        radial=True,
    ),
    Oracle(
        "(1+|x|^2)^(-2), d=2",
        (1 + norm2) ** -2,
        X[:2],
        3 * sp.pi / 4,
        "f̂ = ρK₁(ρ)/(4π) ((1+|x|²)^{-s} ↦ (2π)^{d/2}2^{1-s}ρ^{s-d/2}K_{s-d/2}(ρ)/Γ(s), "
        "then ×(2π)^{-d}); C_f = (1/2)∫ρ³K₁ = 2Γ(3/2)Γ(5/2) = 3π/4",
        transform=lambda r: _bessel_k1_ratio(r) / (4 * mp.pi),
        radial=True,
        stated=3 * math.pi / 4,
        slow_decay=True,
    ),
    Oracle(
        "(1+|x|^2)^(-3/2), d=2",
        (1 + norm2) ** sp.Rational(-3, 2),
        X[:2],
        sp.Integer(2),
        "f̂ = e^{-ρ}/(2π) (the Poisson kernel); C_f = ∫_0^∞ ρ²e^{-ρ}dρ = 2",
        transform=lambda r: mp.exp(-r) / (2 * mp.pi),
        radial=True,
        slow_decay=True,
    ),
    Oracle(
        "(1+|x|^2)^(-3/2), d=3",
        (1 + norm3) ** sp.Rational(-3, 2),
        X,
        8 / sp.pi,
        "f̂ = K₀(ρ)/(2π²); C_f = (2/π)∫_0^∞ρ³K₀ = (2/π)·4Γ(2)² = 8/π",
        transform=lambda r: mp.besselk(0, r) / (2 * mp.pi**2),
        radial=True,
        stated=8 / math.pi,
        slow_decay=True,
    ),
    Oracle(
        "(1+|x|^2)^(-2), d=3",
        (1 + norm3) ** -2,
        X,
        sp.Integer(3),
        "f̂ = e^{-ρ}/(8π) (the 3-d transform of (1+r²)^{-2} is π²e^{-ρ}); "
        "C_f = (1/2)∫_0^∞ρ³e^{-ρ}dρ = 3",
        transform=lambda r: mp.exp(-r) / (8 * mp.pi),
        radial=True,
        slow_decay=True,
    ),
    Oracle(
        "|x|^2 exp(-|x|^2), d=2",
        norm2 * sp.exp(-norm2),
        X[:2],
        6 / sp.E - sp.sqrt(sp.pi) * sp.erf(1) + sp.sqrt(sp.pi) / 2,
        "f̂ = -Δ[e^{-ρ²/4}/(4π)] = (1-ρ²/4)e^{-ρ²/4}/(4π); with u = ρ/2, "
        "C_f = 4∫_0^∞u²|1-u²|e^{-u²}du, and ∫u²(1-u²)e^{-u²} = u³e^{-u²}/2 + ue^{-u²}/4 "
        "- (√π/8)erf u: split at u = 1",
        transform=lambda r: (1 - r**2 / 4) * mp.exp(-(r**2) / 4) / (4 * mp.pi),
        radial=True,
        breaks=(2.0,),
        stated=1.5998553,
    ),
    Oracle(
        "exp(-|x|^2/2), d=4",
        sp.exp(-(x1**2 + x2**2 + x3**2 + x4**2) / 2),
        (*X, x4),
        3 * sp.sqrt(2 * sp.pi) / 4,
        "f̂ = e^{-ρ²/2}/(2π)²; C_f = E|Z| = √2Γ(5/2)/Γ(2), Z ~ N(0, I₄)",
        transform=lambda r: mp.exp(-(r**2) / 2) / (2 * mp.pi) ** 2,
        radial=True,
    ),
    Oracle(
        "exp(-|x|), d=3",
        sp.exp(-sp.sqrt(norm3)),
        X,
        sp.oo,
        f"a cone at 0: ∇f jumps across the origin; {_KINK}.  Also f̂ = 1/(π²(1+ρ²)²), and "
        "∫4πρ³f̂ dρ diverges",
    ),
    # --- several variables, not radial ---
    Oracle(
        "exp(-(x1^2+4x2^2)/2)",
        sp.exp(-(x1**2 + 4 * x2**2) / 2),
        X[:2],
        None,
        "f̂ is the N(0, diag(1, 4)) density: C_f = E√(Z₁² + 4Z₂²), a 1-d integral over the "
        "angle, mpmath to 30 digits (stated: 1.9325658)",
        numeric=lambda: _gaussian_mean_norm_2d(1, 4),
        tolerance=1e-20,
        transform=lambda a, b: mp.exp(-(a**2) / 2 - b**2 / 8) / (4 * mp.pi),
        stated=1.9325658,
    ),
    Oracle(
        "exp(-(x1^2+x1x2+x2^2))",
        sp.exp(-(x1**2 + x1 * x2 + x2**2)),
        X[:2],
        None,
        "f = e^{-xᵀAx}, A = [[1, 1/2], [1/2, 1]]: f̂ is the N(0, 2A) density, 2A has "
        "eigenvalues 3 and 1, so C_f = E√(3Z₁² + Z₂²), mpmath to 30 digits",
        numeric=lambda: _gaussian_mean_norm_2d(3, 1),
        tolerance=1e-20,
        transform=lambda a, b: (
            mp.exp(-(a**2 - a * b + b**2) / 3) / (2 * mp.pi * mp.sqrt(3))  # A⁻¹/4 = (2A)⁻¹/2
        ),
    ),
    Oracle(
        "exp(-(x1^2+x2^2+4x3^2)/2)",
        sp.exp(-(x1**2 + x2**2 + 4 * x3**2) / 2),
        X,
        None,
        "f̂ is the N(0, diag(1, 1, 4)) density: C_f = E√(Z₁² + Z₂² + 4Z₃²), a 1-d integral "
        "over the polar angle, mpmath to 30 digits",
        numeric=lambda: _gaussian_mean_norm_3d(1, 2),
        tolerance=1e-20,
    ),
    Oracle(
        "x1 exp(-(x1^2+x2^2)/2)",
        x1 * sp.exp(-norm2 / 2),
        X[:2],
        4 / sp.pi,
        "f̂ = i∂ω₁[e^{-|ω|²/2}/(2π)] = -iω₁e^{-|ω|²/2}/(2π); in polar coordinates "
        "C_f = (1/2π)∫|cos θ|dθ ∫ρ³e^{-ρ²/2}dρ = 4·2/(2π)",
        transform=lambda a, b: -1j * a * mp.exp(-(a**2 + b**2) / 2) / (2 * mp.pi),
    ),
    Oracle(
        "x1 x2 exp(-|x|^2)",
        x1 * x2 * sp.exp(-norm2),
        X[:2],
        3 / (2 * sp.sqrt(sp.pi)),
        "f̂ = (i∂ω₁)(i∂ω₂)[e^{-|ω|²/4}/(4π)] = -ω₁ω₂e^{-|ω|²/4}/(16π); in polar coordinates "
        "C_f = (1/16π)∫|cos θ sin θ|dθ ∫ρ⁴e^{-ρ²/4}dρ = 2·12√π/(16π)",
        transform=lambda a, b: -a * b * mp.exp(-(a**2 + b**2) / 4) / (16 * mp.pi),
    ),
    Oracle(
        "(1+x1^2+4x2^2)^(-2)",
        (1 + x1**2 + 4 * x2**2) ** -2,
        X[:2],
        3 * sp.elliptic_e(sp.Rational(3, 4)),
        "f = g(|Lx|), L = diag(1, 2), g = (1+r²)^{-2}: f̂(ω) = ĝ(|L⁻¹ω|)/det L with "
        "ĝ(ρ) = ρK₁(ρ)/(4π); C_f = C_g·(1/2π)∫√(cos²θ + 4 sin²θ)dθ = (3π/4)(4/π)E(3/4), "
        "E(m) the complete elliptic integral of the second kind, parameter m",
        transform=lambda a, b: _bessel_k1_ratio(mp.sqrt(a**2 + b**2 / 4)) / (8 * mp.pi),
        slow_decay=True,
    ),
    Oracle(
        "exp(-x1^2/2)/(1+x2^2)",
        sp.exp(-(x1**2) / 2) / (1 + x2**2),
        X[:2],
        None,
        "f̂ = φ(ω₁)e^{-|ω₂|}/2 (a product of 1-d transforms checked above); "
        "C_f = E√(Z² + L²) by nested mpmath quadrature in polar coordinates, 20 digits",
        numeric=_gauss_cauchy_constant,
        tolerance=1e-15,
        transform=_gauss_cauchy_transform,
        slow_decay=True,
    ),
    Oracle(
        "exp(-|x|^2)(1+x2(x1-1/3)(x1+7/5)(x1-2))",
        sp.exp(-(x1**2) - x2**2)
        * (1 + x2 * (x1 - sp.Rational(1, 3)) * (x1 + sp.Rational(7, 5)) * (x1 - 2)),
        X[:2],
        None,
        "not radial although f(r, 0) = e^{-r²}; f̂ = e^{-|ω|²/4}(1 + P(ω₁)H₁(ω₂))/(4π) from "
        "x ↦ i∂ω; C_f by Gauss–Legendre in ρ and the trapezoid rule in θ (NumPy), 4096 and "
        "8192 angles agree to 1e-11 (stated: 3.2335)",
        numeric=_polynomial_gaussian_constant,
        tolerance=1e-9,
        transform=_polynomial_gaussian_transform,
        stated=3.2335,
        stated_tolerance=5e-5,
    ),
    Oracle(
        "exp(-|x1|-x2^2)",
        sp.exp(-sp.Abs(x1) - x2**2),
        X[:2],
        sp.oo,
        f"∂f/∂x₁ jumps across the line x₁ = 0; {_KINK}.  Also C_f ≥ ∫|ω₁||f̂| and "
        "f̂ = (1/(π(1+ω₁²)))·e^{-ω₂²/4}/(2√π), whose ω₁-integral diverges",
    ),
)


#: The entries marked ``slow``: barron_constant takes over 1.5 s of CPU time on them, or the
#: oracle itself takes seconds (``python bench/barron.py --only-list`` prints the times).
SLOW = frozenset(
    {
        "sin(x) exp(-x^2)",
        "cos(x) exp(-x^2/2)",
        "cos(3x) exp(-x^2/2)",
        "exp(-x^2/2) + 1/(1+x^2)",
        "(1+x^2)^(-3/2)",
        "cos(9x) sech(x)",
        "x|x| exp(-x^2)",
        "|x|^3 exp(-x^2)",
        "bump exp(-1/(1-x^2))",
        "exp(-x1^2/2)/(1+x2^2)",
    }
)

ORACLES: tuple[Oracle, ...] = tuple(
    dataclasses.replace(oracle, slow=oracle.name in SLOW) for oracle in _ENTRIES
)


@functools.cache
def by_name() -> dict[str, Oracle]:
    """The entries of :data:`ORACLES` by name."""
    return {oracle.name: oracle for oracle in ORACLES}


@functools.cache
def oracle_value(name: str) -> Any:
    """The oracle value of entry ``name`` (computed once per process)."""
    oracle = by_name()[name]
    if oracle.exact is sp.oo:
        return mp.inf
    if oracle.exact is not None:  # 60 digits: exact answers are compared to 40
        with mp.workdps(60):
            return mp.mpf(str(sp.N(oracle.exact, 60)))
    assert oracle.numeric is not None, name
    return oracle.numeric()
