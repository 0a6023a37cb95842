"""Barron's constant of functions of one variable (issue 14): every example of the issue against
an oracle computed here, independently of symdl's routes (a closed form from the literature or
worked by hand, or a quadrature written in the test), and the fixes of the transform pipeline
one by one.  Convention (Barron 1993): f̂(ω) = (2π)⁻¹∫e^{-iωx}f(x)dx, C_f = ∫|ω||f̂(ω)|dω; with
A(ν) = ∫e^{-iνx}f(x)dx, C_f = (1/π)∫_0^∞ ν|A(ν)|dν for a real f."""

from __future__ import annotations

import dataclasses
import math

import mpmath
import numpy as np
import pytest
import sympy as sp

from symdl.approximation import fourier_numeric
from symdl.approximation.barron_line import barron_constant_line
from symdl.approximation.barron_value import (
    ConstantStatus,
    exact_abs_integral,
    modulus_integral,
    sign_changes,
)
from symdl.approximation.fourier import (
    FourierConvention,
    closed_form_values,
    fourier_transform,
    numeric_transform,
    stable_form,
    verify_transform,
)
from symdl.approximation.fourier_numeric import numeric_barron_constant
from symdl.core.exceptions import NotSupportedError
from symdl.core.limits import TimeLimitExceededError

x = sp.Symbol("x", real=True)
k = sp.Symbol("k", real=True)
nu = sp.Symbol("nu", real=True)
w = sp.Symbol("w", positive=True)


def box(e: sp.Expr) -> sp.Expr:
    return sp.Piecewise((e, sp.Abs(x) < 1), (0, True))


BUMP = box(sp.exp(-1 / (1 - x**2)))
SIGNED_SQUARE = x * sp.Abs(x) * sp.exp(-(x**2))
QUARTIC_BOX = box((1 - x**2) ** 2)


# --- oracles, each computed here ----------------------------------------------------------------


def oracle_quartic_lorentzian() -> float:
    # 1/(1+x⁴): by residues at e^{iπ/4}, e^{3iπ/4}, A(ν) = (π/√2)e^{-t}(cos t + sin t) with
    # t = |ν|/√2; C_f = (1/π)∫_0^∞ ν|A|dν = √2∫_0^∞ t e^{-t}|cos t + sin t|dt, cut at the zeros
    # t = 3π/4 + jπ
    with mpmath.workdps(25):
        for value in (0.7, 3.1):  # the pair itself, against the Fourier integral

            def integrand(s: mpmath.mpf, value: float = value) -> mpmath.mpf:
                return mpmath.cos(value * s) / (1 + s**4)

            direct = 2 * mpmath.quadosc(integrand, [0, mpmath.inf], omega=value)
            t = value / mpmath.sqrt(2)
            pair = mpmath.pi / mpmath.sqrt(2) * mpmath.exp(-t) * (mpmath.cos(t) + mpmath.sin(t))
            assert abs(direct - pair) < 1e-15
        zeros = [0] + [3 * mpmath.pi / 4 + j * mpmath.pi for j in range(45)]
        weighted = mpmath.quad(
            lambda t: t * mpmath.exp(-t) * abs(mpmath.cos(t) + mpmath.sin(t)), zeros
        )
        return float(mpmath.sqrt(2) * weighted)


def oracle_hermite() -> float:
    # x³e^{-x²/2}: A(ν) = i³ d³/dν³ √(2π)e^{-ν²/2} = i(ν³ - 3ν)√(2π)e^{-ν²/2}
    with mpmath.workdps(25):
        g = lambda v: v * abs(v**3 - 3 * v) * mpmath.exp(-(v**2) / 2)  # noqa: E731
        return float(
            2 * mpmath.quad(g, [0, mpmath.sqrt(3), mpmath.inf]) / mpmath.sqrt(2 * mpmath.pi)
        )


def oracle_quartic_box() -> float:
    # (1-x²)² on |x| < 1: by parts, A(ν) = 16((3 - ν²)sin ν - 3ν cos ν)/ν⁵; its zeros lie in
    # ((j+1)π - 1, (j+1)π) for j ≥ 1; the oscillating tail summed by mpmath.quadosc
    def h(v: mpmath.mpf) -> mpmath.mpf:
        return mpmath.sin(v) * (3 / v**2 - 1) - 3 * mpmath.cos(v) / v

    def zero(j: int) -> mpmath.mpf:
        top = (j + 1) * mpmath.pi
        return mpmath.findroot(h, (top - 1, top + mpmath.mpf("0.01")), solver="illinois")

    def integrand(v: mpmath.mpf) -> mpmath.mpf:
        return v * abs(16 * ((3 - v * v) * mpmath.sin(v) - 3 * v * mpmath.cos(v)) / v**5)

    with mpmath.workdps(20):
        return float(mpmath.quadosc(integrand, [0, mpmath.inf], zeros=zero) / mpmath.pi)


def oracle_bump() -> float:
    # e^{-1/(1-x²)} on |x| < 1 vanishes to every order at ±1, so the trapezoidal rule in x is
    # spectrally accurate (Euler–Maclaurin); A on [0, 1600] (beyond, < 1e-11), cut at its zeros
    # (sign changes on a grid, then bisection), Gauss–Legendre between them
    n = 2000
    xs = np.linspace(0, 1, n // 2 + 1)[:-1]
    weights = np.full(xs.shape, 4 / n)
    weights[0] = 2 / n
    values = np.exp(-1 / (1 - xs**2)) * weights

    def transform(v: np.ndarray) -> np.ndarray:
        return np.cos(np.outer(np.atleast_1d(v), xs)) @ values

    top = 1600.0
    grid = np.arange(0, top, np.pi / 8) + 1e-9
    on_grid = transform(grid)
    change = np.nonzero(on_grid[:-1] * on_grid[1:] < 0)[0]
    lo, hi, f_lo = grid[change], grid[change + 1], on_grid[change]
    for _ in range(55):
        mid = (lo + hi) / 2
        f_mid = transform(mid)
        left = f_mid * f_lo > 0
        lo, hi, f_lo = np.where(left, mid, lo), np.where(left, hi, mid), np.where(left, f_mid, f_lo)
    edges = np.concatenate([[0.0], (lo + hi) / 2, [top]])
    nodes, gauss = np.polynomial.legendre.leggauss(16)
    a, b = edges[:-1], edges[1:]
    points = ((a + b) / 2)[:, None] + ((b - a) / 2)[:, None] * nodes
    integrand = np.abs(transform(points.ravel())).reshape(points.shape) * points
    return float(np.sum((b - a) / 2 * (integrand @ gauss)) / np.pi)


def oracle_signed_square() -> float:
    # x|x|e^{-x²} is odd: A(ν) = -2i∫_0^∞ x²e^{-x²}sin(νx)dx = 2i F''(ν), F(ν) = D(ν/2), D
    # Dawson's function (D'' = (4z² - 2)D - 2z): A(ν) = i((ν² - 2)D(ν/2) - ν)/2; beyond W the
    # jumps of f'', f⁗, … at 0 (4, -48, 720, -13440) give |A| = 4/ν³ + 48/ν⁵ + 720/ν⁷ + …
    with mpmath.workdps(40):
        dawson = lambda z: mpmath.sqrt(mpmath.pi) / 2 * mpmath.exp(-z * z) * mpmath.erfi(z)  # noqa: E731
        half = lambda v: ((v * v - 2) * dawson(v / 2) - v) / 2  # noqa: E731
        root = mpmath.findroot(half, 2.5)
        cutoff = 200
        head = mpmath.quad(lambda v: v * abs(half(v)), [0, root, 10, 50, cutoff])
        tail = 4 / cutoff + 48 / (3 * cutoff**3) + 720 / (5 * cutoff**5) + 13440 / (7 * cutoff**7)
        return float((head + tail) / mpmath.pi)


def oracle_modulated_sech() -> float:
    # cos(9x)sech x: A = (π/2)(sech(π(ν-9)/2) + sech(π(ν+9)/2)) (the sech pair, shifted);
    # C_f = (1/2)∫|ω|sech(π(ω-9)/2)dω = 9 + ∫_0^∞ ω sech(π(ω+9)/2)dω
    with mpmath.workdps(25):
        direct = 2 * mpmath.quad(
            lambda s: mpmath.cos(9 * s) * mpmath.sech(s) * mpmath.cos(8 * s),
            mpmath.linspace(0, 60, 121),
        )
        expected = mpmath.pi / 2 * (mpmath.sech(mpmath.pi / 2) + mpmath.sech(17 * mpmath.pi / 2))
        assert abs(direct - expected) < 1e-15
        return float(
            9 + mpmath.quad(lambda t: t * mpmath.sech(mpmath.pi * (t + 9) / 2), [0, mpmath.inf])
        )


# --- the examples of the issue --------------------------------------------------------------


@pytest.mark.parametrize(
    ("f", "exact"),
    [
        (1 / (1 + x**2) ** 2, sp.Rational(3, 2)),  # f̂ = (1+|ω|)e^{-|ω|}/4
        (sp.sin(x) / x, sp.S.Half),  # f̂ = ½·1{|ω| < 1}: C_f = 2∫_0^1 ω/2 dω
    ],
)
def test_exact_values_quick(f: sp.Expr, exact: sp.Expr) -> None:
    c = barron_constant_line(f, x)
    assert c.status is ConstantStatus.EXACT
    assert sp.simplify(c.exact - exact) == 0
    assert abs(c.numeric - float(exact)) <= c.error + 1e-15


@pytest.mark.slow
@pytest.mark.parametrize(
    ("f", "exact"),
    [
        (sp.sech(x) ** 2, 28 * sp.zeta(3) / sp.pi**3),  # A = πν/sinh(πν/2); ∫ν²/sinh = 7ζ(3)/(2a³)
        (sp.sin(x) ** 2 / x**2, sp.Rational(2, 3)),  # A = π(1 - |ν|/2)·1{|ν| < 2}
        ((1 + x**2) ** sp.Rational(-3, 2), 4 / sp.pi),  # A = 2|ν|K₁(|ν|); ∫ν²K₁ = 2
        (sp.cos(5 * x) / (1 + x**2), 5 + sp.exp(-5)),
        (sp.sin(20 * x) / (1 + x**2), sp.Integer(20)),
        # the Hermite transform, its zero at √3 found exactly: 6√6 e^{-3/2}/√π
        (x**3 * sp.exp(-(x**2) / 2), 6 * sp.sqrt(6) * sp.exp(-sp.Rational(3, 2)) / sp.sqrt(sp.pi)),
    ],
)
def test_exact_values(f: sp.Expr, exact: sp.Expr) -> None:
    c = barron_constant_line(f, x)
    assert c.status is ConstantStatus.EXACT
    assert abs(float(sp.N(c.exact - exact, 30))) < 1e-25
    assert abs(c.numeric - float(sp.N(exact, 20))) <= c.error + 1e-15


def test_the_hermite_value_against_its_quadrature() -> None:
    assert (
        abs(
            float(sp.N(6 * sp.sqrt(6) * sp.exp(-sp.Rational(3, 2)) / sp.sqrt(sp.pi)))
            - oracle_hermite()
        )
        < 1e-14
    )


@pytest.mark.slow
@pytest.mark.parametrize(
    ("f", "oracle"),
    [
        (1 / (1 + x**4), oracle_quartic_lorentzian),
        (QUARTIC_BOX, oracle_quartic_box),
        ((1 - x**2) ** 2 * sp.Heaviside(1 - x**2), oracle_quartic_box),
        (BUMP, oracle_bump),
        (SIGNED_SQUARE, oracle_signed_square),
        (sp.cos(9 * x) * sp.sech(x), oracle_modulated_sech),
    ],
)
def test_numeric_values_are_covered_by_their_error(f: sp.Expr, oracle: object) -> None:
    c = barron_constant_line(f, x)
    truth = oracle()  # type: ignore[operator]
    assert c.status is ConstantStatus.NUMERIC
    assert c.exact is None
    assert c.error < 1e-8
    assert abs(c.numeric - truth) <= c.error + 1e-12 * truth  # the oracle's own rounding


@pytest.mark.slow
def test_the_issue_values_to_their_printed_digits() -> None:
    # the numeric values given in the issue, rounded there: our oracles agree to those digits
    assert abs(oracle_quartic_lorentzian() - 1.4001550) < 5e-8
    assert abs(oracle_modulated_sech() - 9.0000006) < 5e-8
    assert abs(oracle_signed_square() - 1.0890950) < 5e-8
    assert abs(oracle_quartic_box() - 2.4076533) < 5e-8


@pytest.mark.parametrize(
    "f",
    [sp.sqrt(1 - sp.cos(x)) * sp.exp(-(x**2)), sp.sqrt(x**2 + x**4) * sp.exp(-(x**2))],
)
def test_hidden_kinks_give_infinity(f: sp.Expr) -> None:
    # √(1 - cos x) ≈ |x|/√2 and √(x² + x⁴) ≈ |x| near 0: f' jumps there, so C_f = ∞
    c = barron_constant_line(f, x)
    assert c.status is ConstantStatus.INFINITE
    assert c.exact is sp.oo
    assert "f' jumps at x = 0" in c.reason


def test_status_of_each_kind() -> None:
    assert barron_constant_line(sp.exp(-sp.Abs(x)), x).status is ConstantStatus.INFINITE
    c = barron_constant_line(sp.exp(-(x**2) / 2), x)
    assert c.status is ConstantStatus.EXACT
    assert dataclasses.replace(c, exact=None).status is ConstantStatus.NUMERIC


def test_the_time_limit_is_honoured() -> None:
    with pytest.raises(TimeLimitExceededError, match=r"time limit of 0\.05 s"):
        barron_constant_line(BUMP, x, seconds=0.05)


# --- the pipeline's fixes, one by one -------------------------------------------------------------


def test_a_meijer_g_transform_is_taken_as_a_limit_at_zero() -> None:
    # SymPy's transform of (1+x²)^{-3/2} is a sum of Meijer G functions; substituted at k = 0
    # it is 0, while the transform there is ∫(1+x²)^{-3/2}dx = 2
    raw = sp.fourier_transform((1 + x**2) ** sp.Rational(-3, 2), x, k)
    assert raw.has(sp.meijerg)
    assert sp.N(raw.subs(k, 0)) == 0
    (right, left) = closed_form_values(raw, k, 0.0)
    assert abs(right - 2) < 1e-9
    assert abs(left - 2) < 1e-9
    checks = verify_transform(
        (1 + x**2) ** sp.Rational(-3, 2),
        x,
        raw,
        k,
        convention=FourierConvention.SYMPY,
        frequencies=(0.0, 0.25),
    )
    assert all(c.passed for c in checks)


def test_a_removable_singularity_is_taken_as_a_limit() -> None:
    # sech² ↦ πν/sinh(πν/2), 0/0 at ν = 0 where the transform is ∫sech² = 2
    values = closed_form_values(sp.pi * nu / sp.sinh(sp.pi * nu / 2), nu, 0.0)
    assert all(abs(v - 2) < 1e-12 for v in values)


def test_sign_changes_of_an_imaginary_transform_are_found() -> None:
    # an odd f has an imaginary transform: x³e^{-x²/2} ↦ i(ν³ - 3ν)√(2π)e^{-ν²/2}, zero at √3
    transform = lambda t: 1j * (t**3 - 3 * t) * mpmath.exp(-(t**2) / 2)  # noqa: E731
    zeros = sign_changes([transform], 8.0)
    assert len(zeros) == 1
    assert abs(float(zeros[0]) - math.sqrt(3)) < 1e-15


def test_a_zero_exactly_on_a_grid_point_is_found() -> None:
    # the grid is upper·j/1024: with upper = 64, the zero at 2 is the grid point j = 32
    zeros = sign_changes([lambda t: (t - 2) * mpmath.exp(-t)], 64.0)
    assert [float(z) for z in zeros] == [2.0]


def test_a_candidate_wrong_only_near_the_functions_frequency_is_caught() -> None:
    # sin(20x)/(1+x²) ↦ (π/2i)(e^{-|ν-20|} - e^{-|ν+20|}); a candidate off by 0.1% around ν = 20
    # only agrees with the quadrature at |ν| ≤ 2.25, where the old checks looked
    f = sp.sin(20 * x) / (1 + x**2)
    right = sp.pi / (2 * sp.I) * (sp.exp(-sp.Abs(nu - 20)) - sp.exp(-sp.Abs(nu + 20)))
    wrong = right * (1 + sp.exp(-((sp.Abs(nu) - 20) ** 2)) / 1000)
    conv = FourierConvention.NONUNITARY
    old = (0.0, 0.5, 2.25, -0.75, -2.0)
    assert all(
        c.passed for c in verify_transform(f, x, wrong, nu, convention=conv, frequencies=old)
    )
    assert not all(c.passed for c in verify_transform(f, x, wrong, nu, convention=conv))
    assert all(c.passed for c in verify_transform(f, x, right, nu, convention=conv))


def test_an_unevaluable_candidate_fails_its_check_without_raising() -> None:
    f = sp.sin(20 * x) / (1 + x**2)
    odd = sp.Function("g")(nu)  # no numeric value
    checks = verify_transform(f, x, odd, nu, frequencies=(0.5, 3.0))
    assert not any(c.passed for c in checks)


def test_the_quadrature_referee_is_accurate_for_slow_decay() -> None:
    # ∫ sin²x/x² dx = π (mpmath.quad over the line gives 3.14290…)
    assert abs(numeric_transform(sp.sin(x) ** 2 / x**2, x, 0.0) - math.pi) < 1e-14
    # the triangle at ν = 1: π/2; and sin x/x inside and outside its band
    assert abs(numeric_transform(sp.sin(x) ** 2 / x**2, x, 1.0) - math.pi / 2) < 1e-13
    assert abs(numeric_transform(sp.sin(x) / x, x, 0.5) - math.pi) < 1e-13
    assert abs(numeric_transform(sp.sin(x) / x, x, 2.5)) < 1e-13


def test_cosh_minus_sinh_is_put_in_a_stable_form() -> None:
    raw = (1 + sp.Abs(nu)) * (sp.cosh(sp.Abs(nu)) - sp.sinh(sp.Abs(nu))) / 4
    stable = stable_form(raw)
    assert not stable.has(sp.cosh, sp.sinh)
    assert sp.simplify(stable - (1 + sp.Abs(nu)) * sp.exp(-sp.Abs(nu)) / 4) == 0
    # at ν = 200 the raw form has lost every digit at 30; the stable one has not
    assert sp.N(raw.subs(nu, 200), 30) != sp.N(stable.subs(nu, 200), 30)
    assert abs(float(stable.subs(nu, 200)) - 201 * math.exp(-200) / 4) < 1e-100


def test_the_transform_of_sin_x_over_x() -> None:
    t = fourier_transform(sp.sin(x) / x, x, nu)
    assert t.expr.subs(nu, sp.Rational(1, 2)) == sp.S.Half
    assert t.expr.subs(nu, sp.Rational(3, 2)) == 0


def test_exact_abs_integral_refuses_infinitely_many_zeros() -> None:
    # the transform of 1/(1+x⁴) changes sign infinitely often: SymPy's solve finds some zeros
    # only, so an exact value from them would be wrong; None is returned instead
    quartic = sp.exp(-w / sp.sqrt(2)) * (sp.cos(w / sp.sqrt(2)) + sp.sin(w / sp.sqrt(2)))
    assert exact_abs_integral(w, quartic, w) is None


def test_modulus_integral_sums_an_oscillating_algebraic_tail() -> None:
    # w|sin w|e^{-w}: the oracle cuts at the zeros jπ, which the routine finds on its own
    g = sp.sin(w) * sp.exp(-w)
    with mpmath.workdps(25):
        truth = mpmath.quad(
            lambda t: t * abs(mpmath.sin(t)) * mpmath.exp(-t), [j * mpmath.pi for j in range(30)]
        )
    result = modulus_integral([g], w)
    assert abs(result.value - float(truth)) <= result.error + 1e-15
    # an algebraic, oscillating tail: A of the quartic box
    a = 16 * ((3 - w**2) * sp.sin(w) - 3 * w * sp.cos(w)) / w**5
    result = modulus_integral([a], w)
    assert abs(result.value / math.pi - oracle_quartic_box()) <= result.error / math.pi + 1e-13


def test_numeric_route_refuses_algebraic_decay() -> None:
    with pytest.raises(NotSupportedError, match="decays only algebraically"):
        numeric_barron_constant((1 + x**2) ** sp.Rational(-3, 2), x)


def test_numeric_route_two_methods_must_agree(monkeypatch: pytest.MonkeyPatch) -> None:
    # a second rule that is wrong (its weights off by 1e-4) must stop the value
    nodes, weights = fourier_numeric._FEJER_X
    monkeypatch.setattr(fourier_numeric, "_FEJER_X", (nodes, weights * (1 + 1e-4)))
    with pytest.raises(NotSupportedError, match="disagree"):
        numeric_barron_constant(sp.exp(-(x**2) / 2), x)


def test_numeric_route_against_closed_forms() -> None:
    # Gaussian: √(2/π); sech²: 28ζ(3)/π³ — the quadrature route, without the closed forms
    c = numeric_barron_constant(sp.exp(-(x**2) / 2), x)
    assert abs(c.value - math.sqrt(2 / math.pi)) <= c.error
    assert c.error < 1e-10
    assert len(c.estimates) == 2
    c = numeric_barron_constant(sp.sech(x) ** 2, x)
    assert abs(c.value - float(28 * mpmath.zeta(3) / mpmath.pi**3)) <= c.error


def test_an_exact_value_that_disagrees_with_the_quadrature_is_dropped(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # a wrong exact integral (as a SymPy bug would give) is not returned: the two quadrature
    # rules agreed on 3/2 for 1/(1+x²)², so the constant is numeric, with the reason saying so
    from symdl.approximation import barron_line

    monkeypatch.setattr(barron_line, "_exact_value", lambda *_: sp.Rational(8, 5))
    c = barron_line.barron_constant_line(1 / (1 + x**2) ** 2, x)
    assert c.status is ConstantStatus.NUMERIC
    assert abs(c.numeric - 1.5) <= c.error
    assert "8/5 disagrees with the quadrature" in c.reason


def test_numeric_transform_refuses_text() -> None:
    with pytest.raises(TypeError, match="pass a SymPy expression"):
        numeric_transform("exp(-x**2)", x, 1.0)  # type: ignore[arg-type]
