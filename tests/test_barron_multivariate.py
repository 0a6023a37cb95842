"""Barron's constant in two and three variables: radial, functions of a quadratic form,
polynomials times Gaussians, products of functions of one variable.

Every oracle is computed here, independently of symdl: closed forms derived by hand in the
comments (and values stated beforehand, in brackets), mpmath quadrature of hand-derived
transforms, and an FFT of samples of f itself.
"""

from __future__ import annotations

import dataclasses
import math

import mpmath
import numpy as np
import pytest
import sympy as sp

from symdl.approximation.barron import barron_constant
from symdl.approximation.barron_multivariate import (
    barron_constant_multivariate,
    gaussian_polynomial_transform,
    sphere_mean_norm,
)
from symdl.approximation.gradient_bound import check_barron_gradient_bound
from symdl.core.exceptions import NotSupportedError, SymdlError
from symdl.core.limits import TimeLimitExceededError

x1, x2, x3 = sp.symbols("x1 x2 x3", real=True)
S2 = x1**2 + x2**2
S3 = S2 + x3**2
THIRD, SEVEN_FIFTHS = sp.Rational(1, 3), sp.Rational(7, 5)
# the wrong-value example: it agrees with e^{-|x|²} at three points, and is not radial
WRONG = sp.exp(-(x1**2) - x2**2) * (1 + x2 * (x1 - THIRD) * (x1 + SEVEN_FIFTHS) * (x1 - 2))


def _circle_mean(fn) -> float:  # type: ignore[no-untyped-def]
    """The mean of fn(θ) over the circle, by mpmath."""
    return float(mpmath.quad(fn, [0, mpmath.pi / 2, mpmath.pi, 3 * mpmath.pi / 2, 2 * mpmath.pi]))


# --- radial functions once refused -----------------------------------------------------------


def _bessel_potential_constant(s: float, d: int) -> float:
    """C_f of (1+|x|²)^{-s} on R^d.  By hand: f̂(ρ) = (2π)^{-d/2} 2^{1-s}/Γ(s) ρ^{s-d/2}
    K_{d/2-s}(ρ) (Stein, Singular Integrals, 1970, Chapter V, Section 3), and
    ∫_0^∞ t^{μ-1}K_ν(t)dt = 2^{μ-2}Γ((μ-ν)/2)Γ((μ+ν)/2), so
    C_f = 2Γ(s+½)Γ((d+1)/2)/(Γ(s)Γ(d/2))."""
    return 2 * math.gamma(s + 0.5) * math.gamma((d + 1) / 2) / (math.gamma(s) * math.gamma(d / 2))


def test_bessel_potential_in_the_plane() -> None:
    # (1+|x|²)^{-2} in d = 2 [3π/4]
    c = barron_constant((1 + S2) ** -2, [x1, x2])
    assert c.exact == 3 * sp.pi / 4
    assert abs(c.numeric - _bessel_potential_constant(2, 2)) < 1e-12
    assert abs(c.numeric - 3 * math.pi / 4) <= c.error + 1e-15
    assert c.error < 1e-10


def test_bessel_potential_not_integrable_in_space() -> None:
    # (1+|x|²)^{-3/2} in d = 3 [8/π]; f ∉ L¹(R³) (it decays like |x|^-3), but f̂ =
    # K_0(ρ)/(2π²) is integrable: f ∈ L², and C_f is finite
    c = barron_constant((1 + S3) ** sp.Rational(-3, 2), [x1, x2, x3])
    assert c.exact == 8 / sp.pi
    assert abs(c.numeric - _bessel_potential_constant(1.5, 3)) < 1e-12


def test_gaussian_times_square_radius() -> None:
    # |x|²e^{-|x|²} in d = 2 [1.5998553].  By hand: the transform of e^{-c|x|²} is
    # (π/c) e^{-ρ²/4c} (d = 2) and |x|² ↦ -∂_c, so at c = 1 f̂ = (4 - ρ²) e^{-ρ²/4}/(16π), which
    # changes sign at ρ = 2 (a zero on the grid the old code searched), and
    # C_f = 2π ∫_0^∞ ρ² |4 - ρ²| e^{-ρ²/4}/(16π) dρ
    with mpmath.workdps(30):
        oracle = mpmath.quad(
            lambda t: t**2 * abs(4 - t**2) * mpmath.exp(-(t**2) / 4) / 8, [0, 2, 8, mpmath.inf]
        )
    c = barron_constant(S2 * sp.exp(-S2), [x1, x2])
    assert abs(float(sp.N(c.exact, 30)) - float(oracle)) < 1e-14
    assert abs(c.numeric - 1.5998553) < 1e-7
    assert c.error < 1e-12


# --- functions of a quadratic form ------------------------------------------------------------


def test_anisotropic_gaussian() -> None:
    # e^{-(x²+4y²)/2} [1.9325658].  By hand: f = e^{-xᵀAx/2} has f̂ the density of
    # N(0, A) times (2π)^{-d/2}det(A)^{-1/2}… so C_f = E|Z|, Z ~ N(0, A), A = diag(1, 4):
    # E|Z| = E R · mean over the circle of √(cos²θ + 4 sin²θ), E R = √(π/2) for d = 2
    with mpmath.workdps(30):
        mean = _circle_mean(lambda t: mpmath.sqrt(mpmath.cos(t) ** 2 + 4 * mpmath.sin(t) ** 2))
    oracle = math.sqrt(math.pi / 2) * mean / (2 * math.pi)
    c = barron_constant(sp.exp(-(x1**2 + 4 * x2**2) / 2), [x1, x2])
    assert c.exact is not None
    assert c.exact.has(sp.elliptic_e)
    assert abs(c.numeric - oracle) < 1e-13
    assert abs(c.numeric - 1.9325658) < 1e-7
    assert c.error < 1e-12


@pytest.mark.slow
def test_anisotropic_gaussian_in_space() -> None:
    # e^{-x1²-2x2²-3x3²} = e^{-xᵀAx/2}, A = diag(2, 4, 6): C_f = E|Z| = E R · mean over the
    # sphere of √(2u1² + 4u2² + 6u3²), E R = 2√(2/π) for d = 3; the sphere mean by a 2-D
    # quadrature in (θ, φ)
    def on_sphere(theta, phi):  # type: ignore[no-untyped-def]
        u = (mpmath.sin(theta) * mpmath.cos(phi), mpmath.sin(theta) * mpmath.sin(phi))
        quadratic = 2 * u[0] ** 2 + 4 * u[1] ** 2 + 6 * mpmath.cos(theta) ** 2
        return mpmath.sqrt(quadratic) * mpmath.sin(theta)

    with mpmath.workdps(15):
        mean = mpmath.quad(on_sphere, [0, mpmath.pi / 2, mpmath.pi], [0, mpmath.pi, 2 * mpmath.pi])
    oracle = 2 * math.sqrt(2 / math.pi) * float(mean) / (4 * math.pi)
    c = barron_constant(sp.exp(-(x1**2) - 2 * x2**2 - 3 * x3**2), [x1, x2, x3])
    assert c.exact is not None
    assert abs(c.numeric - oracle) < 1e-10
    assert abs(float(sp.N(c.exact, 20)) - oracle) < 1e-10


def test_anisotropic_bessel_potential() -> None:
    # (1 + x² + 4y²)^{-2} = g(|Lx|), L = diag(1, 2): C_f = C_g · mean |Lᵀu| over the circle
    # (substitute η = L^{-T}ω in ∫|ω||f̂|), C_g = 3π/4 (the Bessel potential above)
    with mpmath.workdps(30):
        mean = _circle_mean(lambda t: mpmath.sqrt(mpmath.cos(t) ** 2 + 4 * mpmath.sin(t) ** 2))
    oracle = 3 * math.pi / 4 * float(mean) / (2 * math.pi)
    c = barron_constant(1 / (1 + x1**2 + 4 * x2**2) ** 2, [x1, x2])
    assert abs(c.numeric - oracle) < 1e-12
    assert sp.simplify(c.exact - 3 * sp.elliptic_e(sp.Rational(3, 4))) == 0


def test_a_shift_leaves_the_constant_unchanged() -> None:
    # f(x - c) has |f̂| unchanged, so C_f of e^{-(x1-1)²-x2²} is that of e^{-|x|²}, √π
    c = barron_constant(sp.exp(-((x1 - 1) ** 2) - x2**2), [x1, x2])
    assert sp.simplify(c.exact - sp.sqrt(sp.pi)) == 0


@pytest.mark.parametrize(
    ("matrix", "dim"),
    [([[1, 0], [0, 4]], 2), ([[2, 1], [1, 3]], 2), ([[1, 0, 0], [0, 2, 0], [0, 0, 3]], 3)],
)
def test_mean_over_the_sphere(matrix: list[list[int]], dim: int) -> None:
    # E_u √(uᵀAu) by direct quadrature over the circle or the sphere
    A = np.array(matrix, dtype=float)

    def value(u: np.ndarray) -> float:
        return float(np.sqrt(u @ A @ u))

    with mpmath.workdps(15):
        if dim == 2:
            mean = _circle_mean(lambda t: value(np.array([math.cos(t), math.sin(t)]))) / (
                2 * math.pi
            )
        else:
            mean = float(
                mpmath.quad(
                    lambda t, p: (
                        value(
                            np.array(
                                [
                                    math.sin(t) * math.cos(p),
                                    math.sin(t) * math.sin(p),
                                    math.cos(t),
                                ]
                            )
                        )
                        * math.sin(t)
                    ),
                    [0, math.pi / 2, math.pi],
                    [0, math.pi, 2 * math.pi],
                )
            ) / (4 * math.pi)
    exact, numeric, error = sphere_mean_norm(sp.Matrix(matrix))
    assert abs(numeric - mean) < 1e-10
    assert exact is not None
    assert abs(float(sp.N(exact, 20)) - mean) < 1e-10
    assert error < 1e-12


# --- polynomials times Gaussians --------------------------------------------------------------


def _fft_constant(samples, half_width: float) -> float:  # type: ignore[no-untyped-def]
    """C_f from samples of f on [-L, L)², f̂ by an FFT (no symbolic transform at all)."""
    n = samples.shape[0]
    h = 2 * half_width / n
    transform = np.abs(np.fft.fft2(samples)) * h * h / (4 * math.pi**2)
    w = 2 * math.pi * np.fft.fftfreq(n, d=h)
    w1, w2 = np.meshgrid(w, w, indexing="ij")
    dw = w[1] - w[0]
    return float(np.sum(np.sqrt(w1**2 + w2**2) * transform) * dw * dw)


def test_the_wrong_value_example() -> None:
    # √π was once returned; the truth is 3.2335…; f is not radial (x2(x1-1/3)(x1+7/5)
    # (x1-2) vanishes at the three points the old test used).  Oracle: an FFT of samples of f
    # (accurate to ~1e-5: the cone of |ω| at 0 limits the Riemann sum)
    n, half_width = 1024, 32.0
    grid = -half_width + 2 * half_width / n * np.arange(n)
    a, b = np.meshgrid(grid, grid, indexing="ij")
    samples = np.exp(-(a**2) - b**2) * (1 + b * (a - 1 / 3) * (a + 7 / 5) * (a - 2))
    oracle = _fft_constant(samples, half_width)
    c = barron_constant(WRONG, [x1, x2])
    assert c.exact is None
    assert abs(c.numeric - oracle) < 3e-5
    assert abs(c.numeric - 3.2335) < 1e-4
    assert c.error < 1e-8
    assert "two cubatures agree" in c.reason
    # √π, the old answer, is below sup|∇f| = 1.786…: the gradient check catches it now
    with pytest.raises(SymdlError, match="exceeds C_f"):
        check_barron_gradient_bound(dataclasses.replace(c, numeric=math.sqrt(math.pi), error=0.0))


def test_gaussian_times_a_homogeneous_polynomial_is_exact() -> None:
    # e^{-x²-y²}xy: by hand f̂ = -ω1ω2 e^{-|ω|²/4}/(16π) (the 1-D transform of x e^{-x²} is
    # -iω e^{-ω²/4}/(4√π)), so in polar coordinates C_f = (1/16π) ∫ρ⁴e^{-ρ²/4}dρ ∫|cos θ sin θ|dθ
    # = (1/16π)(12√π)(2) = 3/(2√π)
    c = barron_constant(sp.exp(-S2) * x1 * x2, [x1, x2])
    assert sp.simplify(c.exact - 3 / (2 * sp.sqrt(sp.pi))) == 0
    assert abs(c.numeric - 3 / (2 * math.sqrt(math.pi))) < 1e-14


def test_gaussian_polynomial_transform_against_the_fourier_integral() -> None:
    # f = (1 + x1 x2²) e^{-(x-μ)ᵀA(x-μ)/2}, A = [[2, 1], [1, 3]], μ = (1/2, -1): f̂ at a few ω
    # against (2π)^-2 ∫∫ e^{-iω·x} f dx by tensor Gauss–Legendre on [-9, 9]² (f < e^{-40}
    # outside), the phase e^{-iω·μ} included
    A = sp.Matrix([[2, 1], [1, 3]])
    mu = sp.Matrix([sp.Rational(1, 2), -1])
    w1, w2 = sp.symbols("w1 w2", real=True)
    poly = 1 + x1 * x2**2
    transform = gaussian_polynomial_transform(poly, [x1, x2], A, [w1, w2], mu)
    nodes, weights = np.polynomial.legendre.leggauss(160)
    a, b = np.meshgrid(9 * nodes, 9 * nodes, indexing="ij")
    weight = np.outer(9 * weights, 9 * weights)
    ya, yb = a - 0.5, b + 1.0
    samples = (1 + a * b**2) * np.exp(-(2 * ya**2 + 2 * ya * yb + 3 * yb**2) / 2)
    for point in [(0.0, 0.0), (0.7, -1.3), (-2.0, 0.5)]:
        kernel = np.exp(-1j * (point[0] * a + point[1] * b))
        integral = np.sum(weight * samples * kernel) / (4 * math.pi**2)
        claimed = complex(sp.N(transform.subs({w1: point[0], w2: point[1]}), 20))
        assert abs(claimed - integral) < 1e-12


# --- products of functions of one variable ----------------------------------------------------


@pytest.mark.slow
def test_product_of_a_gaussian_and_a_lorentzian() -> None:
    # e^{-x²}/(1+y²): by hand f̂ = e^{-ω1²/4}/(2√π) · e^{-|ω2|}/2; C_f by mpmath, in polar
    # coordinates on the quadrant (the integrand is even in each ω_j)
    def ray(theta):  # type: ignore[no-untyped-def]
        c, s = mpmath.cos(theta), mpmath.sin(theta)
        return mpmath.quad(
            lambda r: r**2 * mpmath.exp(-((r * c) ** 2) / 4 - r * s), [0, 1, 4, mpmath.inf]
        )

    with mpmath.workdps(15):
        oracle = 4 * mpmath.quad(ray, [0, mpmath.pi / 2]) / (4 * mpmath.sqrt(mpmath.pi))
    c = barron_constant(sp.exp(-(x1**2)) / (1 + x2**2), [x1, x2])
    assert c.exact is None
    assert abs(c.numeric - float(oracle)) < 1e-10
    assert c.error < 1e-8


# --- infinite, refused, bad input, time limits ------------------------------------------------


def test_a_kink_on_a_line_gives_infinity() -> None:
    # e^{-|x1| - x2²} is not C¹ on the line x1 = 0: C_f = ∞ (C_f < ∞ would make f C¹)
    c = barron_constant(sp.exp(-sp.Abs(x1) - x2**2), [x1, x2])
    assert c.exact is sp.oo
    assert c.numeric == math.inf
    assert "not C¹" in c.reason


def test_a_function_constant_along_a_variable_has_no_transform() -> None:
    with pytest.raises(ValueError, match="does not depend on x2"):
        barron_constant(sp.exp(-(x1**2)), [x1, x2])


def test_a_function_of_no_known_shape_is_refused_with_the_reason() -> None:
    with pytest.raises(NotSupportedError, match="not radial"):
        barron_constant_multivariate(1 / (1 + x1**2 + x2**4), [x1, x2])


def test_time_limit() -> None:
    with pytest.raises(TimeLimitExceededError, match=r"0\.01 s"):
        barron_constant(WRONG, [x1, x2], seconds=0.01)
    with pytest.raises(TimeLimitExceededError, match=r"0\.01 s"):
        barron_constant_multivariate(WRONG, [x1, x2], seconds=0.01)


def test_bad_input() -> None:
    with pytest.raises(ValueError, match="two or more"):
        barron_constant_multivariate(sp.exp(-(x1**2)), [x1])
    with pytest.raises(TypeError, match="real=True"):
        barron_constant_multivariate(sp.exp(-(x1**2)), [x1, sp.Symbol("y")])
    with pytest.raises(ValueError, match="depends on x3"):
        barron_constant_multivariate(sp.exp(-S3), [x1, x2])


# --- a Schwartz function whose transform has no closed form -----------------------------------


def _fft_on(function, n: int = 2048, half_width: float = 64.0) -> float:  # type: ignore[no-untyped-def]
    grid = -half_width + 2 * half_width / n * np.arange(n)
    a, b = np.meshgrid(grid, grid, indexing="ij")
    return _fft_constant(function(a, b), half_width)


@pytest.mark.slow
def test_a_schwartz_function_without_a_closed_form_transform() -> None:
    # e^{-|x|²-x1²x2²}: not separable, not a quadratic form; f̂ by quadrature, C_f by two
    # cubatures.  Oracle: an FFT of samples of f (2048², spacing 1/16; the cone of |ω| at 0
    # limits its Riemann sum to a few 1e-6)
    f = sp.exp(-S2 - x1**2 * x2**2)
    oracle = _fft_on(lambda a, b: np.exp(-(a**2) - b**2 - a**2 * b**2))
    c = barron_constant(f, [x1, x2])
    assert c.exact is None
    assert "Schwartz" in c.reason
    assert c.error < 2e-6
    assert abs(c.numeric - oracle) < c.error + 5e-6


@pytest.mark.slow
def test_the_numeric_route_agrees_with_the_closed_forms() -> None:
    # the numeric transform route, on functions the closed forms handle: the wrong-value
    # example (oracle: FFT) and the anisotropic Gaussian (oracle: E|Z| over the circle)
    from symdl.approximation.barron_multivariate import _numeric_route

    c = _numeric_route(WRONG, (x1, x2))
    assert c is not None
    oracle = _fft_on(
        lambda a, b: np.exp(-(a**2) - b**2) * (1 + b * (a - 1 / 3) * (a + 1.4) * (a - 2))
    )
    assert abs(c.numeric - oracle) < c.error + 5e-6
    with mpmath.workdps(30):
        mean = _circle_mean(lambda t: mpmath.sqrt(mpmath.cos(t) ** 2 + 4 * mpmath.sin(t) ** 2))
    gaussian = _numeric_route(sp.exp(-(x1**2 + 4 * x2**2) / 2), (x1, x2))
    assert gaussian is not None
    assert abs(gaussian.numeric - math.sqrt(math.pi / 2) * mean / (2 * math.pi)) <= gaussian.error
