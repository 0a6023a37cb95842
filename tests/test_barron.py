"""Barron's constant C_f: exact and numeric values, the infinite cases, bad input, the command.
Oracles: Barron (1993), Section IX, and values worked by hand; for sech, C_f = 8G/π²
(G Catalan's constant)."""

from __future__ import annotations

import math

import mpmath
import pytest
import sympy as sp

from symdl.approximation.barron import (
    barron_constant,
    barron_constant_radial,
    radial_profile,
)

x = sp.Symbol("x", real=True)
x1, x2, x3 = sp.symbols("x1 x2 x3", real=True)
r = sp.Symbol("r", positive=True)
d = sp.Symbol("d", positive=True, integer=True)


def test_gaussian_in_one_dimension() -> None:
    c = barron_constant(sp.exp(-(x**2) / 2), x)
    assert c.exact == sp.sqrt(2 / sp.pi)
    assert c.finite
    assert abs(c.numeric - math.sqrt(2 / math.pi)) < 1e-15
    assert c.error < 1e-12


def test_lorentzian() -> None:
    c = barron_constant(1 / (1 + x**2), x)
    assert c.exact == 1
    assert abs(c.numeric - 1) < 1e-15
    assert c.transform is not None
    assert c.transform.expr == sp.exp(-sp.Abs(sp.Symbol("omega", real=True))) / 2


def test_sech_has_no_sympy_closed_form_but_a_precise_numeric_value() -> None:
    c = barron_constant(sp.sech(x), x)
    assert abs(c.numeric - 8 * float(mpmath.catalan) / math.pi**2) < 1e-14


def test_odd_function_with_complex_transform() -> None:
    # f = x e^{-x²}: f̂ = -iω e^{-ω²/4}/(4√π); ∫|ω||f̂| = 2∫ω² e^{-ω²/4}/(4√π) = 1
    c = barron_constant(x * sp.exp(-(x**2)), x)
    assert c.exact == 1


def test_transform_with_a_zero_splits_the_integral() -> None:
    # f = x² e^{-x²}: f̂ = (2 − ω²) e^{-ω²/4}/(8√π) changes sign at ω = √2; by hand,
    # C_f = (1/(8√π)) ∫_0^∞ |2 − s| e^{-s/4} ds = (4 e^{-1/2} − 1)/√π
    c = barron_constant(x**2 * sp.exp(-(x**2)), x)
    assert sp.simplify(c.exact - (4 * sp.exp(-sp.S.Half) - 1) / sp.sqrt(sp.pi)) == 0
    assert abs(c.numeric - (4 * math.exp(-0.5) - 1) / math.sqrt(math.pi)) < 1e-14


def test_a_kink_in_the_second_derivative_keeps_the_constant_finite() -> None:
    # f = (1 + |x|) e^{-|x|} is C¹ (f' = -x e^{-|x|}); by hand ∫ e^{-iωx} f dx = 4/(1+ω²)², so
    # f̂ = 2/(π(1+ω²)²) and C_f = 2 ∫_0^∞ ω f̂ dω = 2/π: finite at the C¹ border
    c = barron_constant((1 + sp.Abs(x)) * sp.exp(-sp.Abs(x)), x)
    assert c.exact == 2 / sp.pi
    assert abs(c.numeric - 2 / math.pi) < 1e-15


def test_tent_function() -> None:
    # (sin x / x is not integrable, but f̂ = ½·1{|ω|<1} and C_f = ½: the 1-D route
    # and its tests own that case)
    tent = sp.Max(0, 1 - sp.Abs(x))
    assert barron_constant(tent, x).exact is sp.oo


def test_the_truncated_quadrature_trap_is_avoided() -> None:
    # ∫|ω| |f̂| for e^{-|x|} diverges logarithmically; mpmath.quad returns a finite number
    naive = mpmath.quad(lambda t: 2 * t / (mpmath.pi * (1 + t * t)), [0, mpmath.inf])
    assert 10 < float(naive) < 100  # a silent, wrong, finite answer
    c = barron_constant(sp.exp(-sp.Abs(x)), x)
    assert c.exact is sp.oo
    assert c.numeric == math.inf
    assert not c.finite
    assert "f' jumps at x = 0" in c.reason


@pytest.mark.parametrize(
    ("f", "where"),
    [
        (sp.Piecewise((1, sp.Abs(x) < 1), (0, True)), "f jumps"),
        (sp.Abs(x) * sp.exp(-(x**2)), "f' jumps at x = 0"),
        (sp.exp(-sp.Abs(x - 1)), "f' jumps at x = 1"),
    ],
)
def test_kinks_and_jumps_give_infinity(f: sp.Expr, where: str) -> None:
    c = barron_constant(f, x)
    assert c.exact is sp.oo
    assert where in c.reason


def test_gaussian_in_symbolic_dimension() -> None:
    c = barron_constant_radial(sp.exp(-(r**2) / 2), r, dim=d)
    expected = sp.sqrt(2) * sp.gamma((d + 1) / 2) / sp.gamma(d / 2)
    assert sp.simplify(c.exact - expected) == 0
    assert c.numeric is None
    assert [n for n, _, _ in c.checks] == [1, 2, 3, 4, 5, 6]
    for _, exact, numeric in c.checks:
        assert abs(exact - numeric) < 1e-12


@pytest.mark.parametrize("n", [1, 2, 3, 4, 5, 6])
def test_gaussian_in_dimensions_one_to_six(n: int) -> None:
    # Barron (1993), Section IX: C_f = E|Z|, Z ~ N(0, I_n), the mean of the chi distribution;
    # the oracle here is an independent 1-D quadrature of its density ρ^{n-1} e^{-ρ²/2}
    c = barron_constant_radial(sp.exp(-(r**2) / 2), r, dim=n)
    assert (
        sp.simplify(
            c.exact - sp.sqrt(2) * sp.gamma(sp.Rational(n + 1, 2)) / sp.gamma(sp.Rational(n, 2))
        )
        == 0
    )
    with mpmath.workdps(30):
        density = lambda t: t ** (n - 1) * mpmath.exp(-(t**2) / 2)  # noqa: E731
        chi_mean = mpmath.quad(lambda t: t * density(t), [0, mpmath.inf]) / mpmath.quad(
            density, [0, mpmath.inf]
        )
    assert abs(c.numeric - float(chi_mean)) < 1e-14
    assert c.error < 1e-12


def test_gaussian_in_two_and_three_dimensions_cartesian_form() -> None:
    c2 = barron_constant(sp.exp(-(x1**2 + x2**2) / 2), [x1, x2])
    assert sp.simplify(c2.exact - sp.sqrt(sp.pi / 2)) == 0
    assert abs(c2.numeric - math.sqrt(math.pi / 2)) < 1e-14
    c3 = barron_constant(sp.exp(-(x1**2 + x2**2 + x3**2) / 2), [x1, x2, x3])
    assert sp.simplify(c3.exact - 2 * sp.sqrt(2 / sp.pi)) == 0


def test_cone_at_the_origin_gives_infinity() -> None:
    c = barron_constant(sp.exp(-sp.sqrt(x1**2 + x2**2)), [x1, x2])
    assert c.exact is sp.oo
    assert c.numeric == math.inf


@pytest.mark.parametrize(
    ("f", "where"),
    [
        (sp.Abs(x), "f' jumps at x = 0"),
        (sp.Heaviside(x, sp.S.Half), "f jumps at x = 0"),
        (sp.Max(0, x), "f' jumps at x = 0"),
    ],
)
def test_kinks_without_a_transform_still_give_infinity(f: sp.Expr, where: str) -> None:
    # |x| has C_f = ∞ (Barron 1993, Section III): C_f < ∞ would make f C¹, whatever its
    # growth, so the kink decides before the missing transform does
    c = barron_constant(f, x)
    assert c.exact is sp.oo
    assert c.numeric == math.inf
    assert where in c.reason
    cone = barron_constant(sp.sqrt(x1**2 + x2**2), [x1, x2])  # |x| in the plane
    assert cone.exact is sp.oo


def test_radial_profile_detection() -> None:
    g, s = radial_profile(sp.exp(-(x1**2) - x2**2), [x1, x2])
    assert g == sp.exp(-(s**2))
    assert radial_profile(sp.exp(-(x1**2) - 2 * x2**2), [x1, x2]) is None


def test_an_anisotropic_gaussian_is_computed_not_refused() -> None:
    # e^{-x1²-2x2²} = e^{-xᵀAx/2}, A = diag(2, 4): C_f = E|Z|, Z ~ N(0, A) (f̂ is a multiple of
    # the density of N(0, A)); in polar coordinates E|Z| = E R · the mean over the circle of
    # √(2cos²θ + 4sin²θ), E R = √(π/2) for the standard normal of the plane
    with mpmath.workdps(30):
        mean = mpmath.quad(
            lambda t: mpmath.sqrt(2 * mpmath.cos(t) ** 2 + 4 * mpmath.sin(t) ** 2),
            [0, mpmath.pi / 2, mpmath.pi, 3 * mpmath.pi / 2, 2 * mpmath.pi],
        ) / (2 * mpmath.pi)
    c = barron_constant(sp.exp(-(x1**2) - 2 * x2**2), [x1, x2])
    assert abs(c.numeric - math.sqrt(math.pi / 2) * float(mean)) < 1e-12


@pytest.mark.parametrize("f", [x**2, sp.exp(x), sp.Integer(3), x / (1 + sp.Abs(x))])
def test_functions_without_a_transform_are_refused(f: sp.Expr) -> None:
    with pytest.raises(ValueError, match="no Fourier transform"):
        barron_constant(f, x)


def test_wrong_variables() -> None:
    y = sp.Symbol("y", real=True)
    with pytest.raises(ValueError, match="depends on y"):
        barron_constant(sp.exp(-(x**2) - y**2), x)
    with pytest.raises(TypeError, match="real=True"):
        barron_constant(sp.exp(-(sp.Symbol("z") ** 2)), sp.Symbol("z"))
    with pytest.raises(ValueError, match="empty"):
        barron_constant(sp.exp(-(x**2)), [])
    with pytest.raises(TypeError, match="'x' must be a SymPy Symbol"):
        barron_constant(sp.exp(-(x**2)), "x")  # type: ignore[arg-type]


def test_text_is_refused_never_parsed() -> None:
    with pytest.raises(TypeError, match="not a SymPy expression"):
        barron_constant("exp(-x**2)", x)  # type: ignore[arg-type]
    for dim in ("__import__('os').getcwd()", "3", 2.0, True):
        with pytest.raises(TypeError, match="pass an int"):
            barron_constant_radial(sp.exp(-(r**2)), r, dim=dim)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="not a SymPy expression"):
        barron_constant_radial("exp(-r**2)", r, dim=2)  # type: ignore[arg-type]
    for dim in (0, -2, sp.Symbol("n"), sp.Rational(3, 2)):
        with pytest.raises(ValueError, match="positive integer"):
            barron_constant_radial(sp.exp(-(r**2)), r, dim=dim)


# --- the command line ---------------------------------------------------------------------------


def _cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    from symdl.cli import main

    status = main(["barron", *argv])
    captured = capsys.readouterr()
    return status, captured.out + captured.err


def test_cli_gaussian_text(capsys: pytest.CaptureFixture[str]) -> None:
    status, out = _cli(capsys, "exp(-x^2/2)", "--radius", "3", "--neurons", "64")
    assert status == 0
    assert "C_f = √2/(√π) = 0.797884560802865" in out
    assert "9/(8 π)" in out  # (2·3·√(2/π))²/64


def test_cli_json_in_two_dimensions(capsys: pytest.CaptureFixture[str]) -> None:
    import json

    status, out = _cli(capsys, "exp(-r^2/2)", "--dim", "2", "--json")
    payload = json.loads(out)
    assert status == 0
    assert payload["dim"] == 2
    assert abs(payload["constant_numeric"] - math.sqrt(math.pi / 2)) < 1e-14
    assert payload["bound_exact"] == "2*pi"


def test_cli_symbolic_dimension(capsys: pytest.CaptureFixture[str]) -> None:
    status, out = _cli(capsys, "exp(-r^2/2)", "--dim", "d")
    assert status == 0
    assert "C_f = (√2 Γ(d/2 + ½))/(Γ(d/2))" in out


def test_cli_cone_in_symbolic_dimension_is_infinite(capsys: pytest.CaptureFixture[str]) -> None:
    # e^{-|x|} has a cone at 0 in every dimension: C_f = ∞ without any transform
    status, out = _cli(capsys, "exp(-r)", "--dim", "d")
    assert status == 0
    assert "C_f = ∞" in out


def test_cli_infinite_constant(capsys: pytest.CaptureFixture[str]) -> None:
    status, out = _cli(capsys, "exp(-|x|)", "--json")
    assert status == 0
    assert '"constant_numeric": "inf"' in out
    assert '"bound_exact": "oo"' in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["x^2"], "no Fourier transform"),
        (["exp(-y^2)"], "unknown name 'y'"),
        (["__import__('os')"], "column 1"),
        (["exp(-x^2)", "--radius", "0"], "radius"),
        (["exp(-x^2)", "--neurons", "0"], "neurons"),
        (["exp(-x^2)", "--dim", "0"], "--dim 0"),
        (["exp(-r^4)", "--dim", "d"], "symbolic dimension"),
    ],
)
def test_cli_bad_input(capsys: pytest.CaptureFixture[str], argv: list[str], message: str) -> None:
    status, out = _cli(capsys, *argv)
    assert status in (1, 2)
    assert message in out
