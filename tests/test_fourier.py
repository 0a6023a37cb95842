"""Fourier transforms: conventions, the closed-form table, SymPy's fallback, the quadrature
referee, radial transforms.  Oracles: Barron (1993) and standard Fourier pairs."""

from __future__ import annotations

import math

import mpmath
import numpy as np
import pytest
import sympy as sp

from symdl.approximation.fourier import (
    FourierConvention,
    TransformMethod,
    convert_transform,
    fourier_transform,
    numeric_transform,
    verify_transform,
)
from symdl.approximation.fourier_table import table_transform
from symdl.approximation.hankel import hankel_numeric, radial_fourier_transform
from symdl.core.exceptions import NotSupportedError

x = sp.Symbol("x", real=True)
w = sp.Symbol("omega", real=True)
k = sp.Symbol("k", real=True)
r = sp.Symbol("r", positive=True)
rho = sp.Symbol("rho", positive=True)
d = sp.Symbol("d", positive=True, integer=True)
GAUSSIAN = sp.exp(-(x**2) / 2)
LORENTZIAN = 1 / (1 + x**2)


def test_barron_convention_values_from_the_reference() -> None:
    assert fourier_transform(GAUSSIAN, x, w).expr.equals(sp.exp(-(w**2) / 2) / sp.sqrt(2 * sp.pi))
    assert fourier_transform(LORENTZIAN, x, w).expr == sp.exp(-sp.Abs(w)) / 2


def test_sympy_convention_matches_sympys_own_transform() -> None:
    ours = fourier_transform(GAUSSIAN, x, k, convention=FourierConvention.SYMPY).expr
    assert sp.simplify(ours - sp.fourier_transform(GAUSSIAN, x, k)) == 0


def test_conversions_agree_with_transforming_directly() -> None:
    # converting the source-convention transform must give the target-convention transform
    f = sp.exp(-2 * x**2 + 0)
    table = {c: fourier_transform(f, x, w, convention=c).expr for c in FourierConvention}
    for source in FourierConvention:
        for target in FourierConvention:
            converted = convert_transform(table[source], w, source=source, target=target)
            assert sp.simplify(converted - table[target]) == 0, (source, target)


@pytest.mark.parametrize(
    ("convention", "gaussian", "lorentzian"),
    [
        # standard pairs for e^{-x²/2} and 1/(1+x²), written out by hand in each convention
        (
            FourierConvention.BARRON,
            sp.exp(-(w**2) / 2) / sp.sqrt(2 * sp.pi),
            sp.exp(-sp.Abs(w)) / 2,
        ),
        (
            FourierConvention.SYMPY,
            sp.sqrt(2 * sp.pi) * sp.exp(-2 * sp.pi**2 * w**2),
            sp.pi * sp.exp(-2 * sp.pi * sp.Abs(w)),
        ),
        (
            FourierConvention.UNITARY,
            sp.exp(-(w**2) / 2),
            sp.sqrt(sp.pi / 2) * sp.exp(-sp.Abs(w)),
        ),
        (
            FourierConvention.NONUNITARY,
            sp.sqrt(2 * sp.pi) * sp.exp(-(w**2) / 2),
            sp.pi * sp.exp(-sp.Abs(w)),
        ),
    ],
)
def test_each_convention_against_hand_written_pairs(
    convention: FourierConvention, gaussian: sp.Expr, lorentzian: sp.Expr
) -> None:
    got = fourier_transform(GAUSSIAN, x, w, convention=convention).expr
    assert sp.simplify(got - gaussian) == 0
    got = fourier_transform(LORENTZIAN, x, w, convention=convention).expr
    assert sp.simplify(got - lorentzian) == 0


def test_barron_constant_through_sympys_convention() -> None:
    # Barron's C_f in SymPy's terms: C_f = 2π ∫ |k| |F(k)| dk; for 1/(1+x²), C_f = 1
    kk = sp.Symbol("k", positive=True)
    sympy_form = fourier_transform(LORENTZIAN, x, k, convention=FourierConvention.SYMPY).expr
    half = sp.integrate(kk * sympy_form.subs(k, kk), (kk, 0, sp.oo))
    assert sp.simplify(2 * sp.pi * 2 * half) == 1


def test_dimension_text_is_refused_never_parsed() -> None:
    with pytest.raises(TypeError, match="is a str"):
        FourierConvention.BARRON.normalisation("__import__('os').getcwd()")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="positive integer"):
        convert_transform(
            w, w, source=FourierConvention.BARRON, target=FourierConvention.UNITARY, dim=0
        )
    assert FourierConvention.BARRON.normalisation(np.int64(2)) == 1 / (4 * sp.pi**2)


def test_a_wrong_table_entry_is_discarded_for_sympys_integral(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # the table is checked like SymPy: a Gaussian rule off by 1% must never be returned
    from symdl.approximation import fourier_table

    def wrong_gaussian(a: sp.Expr, core: sp.Expr, v: sp.Symbol, nu: sp.Symbol) -> sp.Expr | None:
        right = fourier_table._gaussian(a, core, v, nu)
        return None if right is None else right * sp.Rational(101, 100)

    monkeypatch.setitem(fourier_table.TRANSFORM_TABLE, "gaussian", wrong_gaussian)
    t = fourier_transform(GAUSSIAN, x, w)
    assert t.source == "sympy"
    assert sp.simplify(t.expr - sp.exp(-(w**2) / 2) / sp.sqrt(2 * sp.pi)) == 0
    with pytest.raises(NotSupportedError, match="table: gaussian"):
        fourier_transform(GAUSSIAN, x, w, method=TransformMethod.TABLE)


def test_conversion_formulas_in_dimension_d() -> None:
    # T_t(ν) = (a_t/a_s) T_s(b_t ν / b_s): Barron → unitary multiplies by (2π)^{d/2}
    f = sp.Function("F")
    out = convert_transform(
        f(w), w, source=FourierConvention.BARRON, target=FourierConvention.UNITARY, dim=d
    )
    assert sp.simplify(out / f(w) - (2 * sp.pi) ** (d / 2)) == 0
    out = convert_transform(
        f(k), k, source=FourierConvention.SYMPY, target=FourierConvention.NONUNITARY
    )
    assert out == f(k / (2 * sp.pi))


def test_sympys_lost_absolute_value_is_caught_and_repaired() -> None:
    raw = sp.fourier_transform(LORENTZIAN, x, k)
    assert raw == sp.pi * sp.exp(-2 * sp.pi * k)  # the known SymPy behaviour
    checks = verify_transform(LORENTZIAN, x, raw, k, convention=FourierConvention.SYMPY)
    assert all(c.passed for c in checks if c.frequency >= 0)
    assert not any(c.passed for c in checks if c.frequency < 0)
    repaired = fourier_transform(LORENTZIAN, x, w, method=TransformMethod.SYMPY)
    assert repaired.expr == sp.exp(-sp.Abs(w)) / 2
    assert "symmetrised" in repaired.source


def test_a_transform_wrong_by_a_tenth_of_a_percent_fails_the_check() -> None:
    right = sp.exp(-(w**2) / 2) / sp.sqrt(2 * sp.pi)
    assert all(c.passed for c in verify_transform(GAUSSIAN, x, right, w))
    wrong = right * sp.Rational(1001, 1000)
    assert not any(c.passed for c in verify_transform(GAUSSIAN, x, wrong, w))


@pytest.mark.parametrize(
    ("f", "name"),
    [
        (3 * sp.exp(-2 * x**2), "gaussian"),
        (sp.exp(-3 * sp.Abs(x)), "laplace"),
        (sp.Piecewise((2, sp.Abs(x) < sp.Rational(3, 2)), (0, True)), "box"),
    ],
)
def test_table_entries_agree_with_sympys_integral(f: sp.Expr, name: str) -> None:
    nu = sp.Symbol("nu", real=True)
    found = table_transform(f, x, nu)
    assert found is not None
    assert found[0] == name
    sympy_found = sp.fourier_transform(f, x, k).subs(k, nu / (2 * sp.pi))
    for value in (sp.Rational(1, 3), sp.Rational(5, 2), -sp.Rational(7, 4)):
        assert abs(sp.N(found[1].subs(nu, value) - sympy_found.subs(nu, value), 30)) < 1e-25


def test_table_sech_against_an_independent_quadrature() -> None:
    nu = sp.Symbol("nu", real=True)
    name, expr = table_transform(sp.sech(2 * x), x, nu)
    assert name == "sech"
    with mpmath.workdps(20):
        value = mpmath.quad(lambda t: mpmath.sech(2 * t) * mpmath.cos(1.5 * t), [-40, 0, 40])
    assert abs(float(expr.subs(nu, 1.5)) - float(value)) < 1e-14


def test_table_ignores_non_matching_forms() -> None:
    nu = sp.Symbol("nu", real=True)
    assert table_transform(sp.exp(-(x**2) + x), x, nu) is None
    assert table_transform(sp.exp(x**2), x, nu) is None  # c < 0 is not a Gaussian
    assert table_transform(1 / (x**2 - 1), x, nu) is None


def test_shifted_gaussian_through_sympy_is_confirmed() -> None:
    t = fourier_transform(sp.exp(-((x - 1) ** 2)), x, w)
    assert t.source == "sympy"
    expected = sp.exp(-sp.I * w) * sp.exp(-(w**2) / 4) / (2 * sp.sqrt(sp.pi))
    assert sp.simplify(t.expr - expected) == 0


def test_numeric_transform_against_exact_values() -> None:
    # ∫ e^{-|x|} e^{-iνx} dx = 2/(1+ν²); ∫ 1/(1+x²) e^{-iνx} dx = π e^{-|ν|}
    assert abs(numeric_transform(sp.exp(-sp.Abs(x)), x, 2.0) - 2 / 5) < 1e-14
    assert abs(numeric_transform(LORENTZIAN, x, -3.0) - float(sp.pi * sp.exp(-3))) < 1e-14


@pytest.mark.parametrize("f", [x**2, sp.exp(x), sp.Integer(1), 1 / (1 + sp.Abs(x)), sp.sin(x)])
def test_functions_without_a_transform_are_refused(f: sp.Expr) -> None:
    with pytest.raises(ValueError, match="no Fourier transform"):
        fourier_transform(f, x, w)


def test_poles_and_wrong_variables_are_refused() -> None:
    with pytest.raises(ValueError, match="unbounded near x = 0"):
        fourier_transform(1 / x, x, w)
    y = sp.Symbol("y", real=True)
    with pytest.raises(ValueError, match="depends on y"):
        fourier_transform(sp.exp(-(x**2) - y**2), x, w)
    with pytest.raises(TypeError, match="not a SymPy expression"):
        fourier_transform("exp(-x**2)", x, w)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="FourierConvention"):
        fourier_transform(GAUSSIAN, x, w, convention="barron")  # type: ignore[arg-type]


def test_unknown_transform_is_not_supported() -> None:
    with pytest.raises(NotSupportedError):
        fourier_transform(sp.sech(x), x, w, method=TransformMethod.SYMPY)


def test_radial_gaussian_in_symbolic_dimension() -> None:
    t = radial_fourier_transform(sp.exp(-(r**2) / 2), r, rho, dim=d)
    assert sp.simplify(t.expr - (2 * sp.pi) ** (-d / 2) * sp.exp(-(rho**2) / 2)) == 0
    assert {n for n, _ in t.checks} == {1, 2, 3, 4}
    assert all(check.passed for _, check in t.checks)


def test_radial_transform_in_one_dimension_is_the_1d_transform() -> None:
    radial = radial_fourier_transform(sp.exp(-(r**2) / 2), r, rho, dim=1).expr
    line = fourier_transform(GAUSSIAN, x, w).expr.subs(w, rho)
    assert sp.simplify(radial - line) == 0


def test_radial_transform_against_a_cartesian_double_integral() -> None:
    # the 2-D transform of e^{-|x|²/2} at ω = (0.6, 0.8), |ω| = 1, by plain 2-D quadrature
    t, weights = np.polynomial.legendre.leggauss(160)
    a, b = np.meshgrid(12 * t, 12 * t, indexing="ij")
    integrand = np.exp(-(a * a + b * b) / 2) * np.cos(0.6 * a + 0.8 * b)
    value = 144 * weights @ integrand @ weights
    assert abs(hankel_numeric(sp.exp(-(r**2) / 2), r, 1.0, 2) - value) < 1e-12


def test_radial_laplace_in_three_dimensions_through_sympy() -> None:
    # ∫_{R³} e^{-|x|} e^{-iω·x} dx = 8π/(1+ρ²)²; Barron's convention divides by (2π)³
    t = radial_fourier_transform(sp.exp(-r), r, rho, dim=3)
    assert t.source.startswith("sympy")
    assert sp.simplify(t.expr - 1 / (sp.pi**2 * (1 + rho**2) ** 2)) == 0


def test_radial_bad_dimension() -> None:
    with pytest.raises(ValueError, match="positive integer"):
        radial_fourier_transform(sp.exp(-(r**2)), r, rho, dim=0)
    with pytest.raises(ValueError, match="positive integer"):
        radial_fourier_transform(sp.exp(-(r**2)), r, rho, dim=sp.Symbol("n"))


def test_to_another_convention_and_the_table_only_method() -> None:
    barron = fourier_transform(LORENTZIAN, x, w)
    unitary = barron.to(FourierConvention.UNITARY)
    assert sp.simplify(unitary.expr - sp.sqrt(sp.pi / 2) * sp.exp(-sp.Abs(w))) == 0
    assert unitary.checks == barron.checks
    with pytest.raises(NotSupportedError, match="method=TABLE"):  # a shift is not in the table
        fourier_transform(sp.exp(-((x - 1) ** 2)), x, w, method=TransformMethod.TABLE)


# --- the table's new rules, each against the Fourier integral by mpmath, written here ----------


def _fourier_integral(f: sp.Expr, value: float, reach: float) -> complex:
    """∫ e^{-iνx} f(x) dx by mpmath over [-reach, reach] (f negligible beyond), cut at every
    unit."""
    fn = sp.lambdify(x, f, modules="mpmath")
    with mpmath.workdps(20):
        points = list(mpmath.linspace(-reach, reach, int(2 * reach) + 1))
        real = mpmath.quad(lambda t: fn(t) * mpmath.cos(value * t), points)
        imag = -mpmath.quad(lambda t: fn(t) * mpmath.sin(value * t), points)
    return complex(real, imag)


@pytest.mark.parametrize(
    ("f", "name", "reach"),
    [
        (sp.sech(x) ** 2, "sech squared", 20),
        (sp.Piecewise(((1 - x**2) ** 2, sp.Abs(x) < 1), (0, True)), "piecewise polynomial", 1),
        ((1 - x**2) ** 2 * sp.Heaviside(1 - x**2), "piecewise polynomial", 1),
        (x**3 * sp.exp(-(x**2) / 2), "polynomial times gaussian", 11),
        (x * sp.exp(-2 * sp.Abs(x)), "laplace moment", 22),
        pytest.param(sp.cos(9 * x) * sp.sech(x), "shifted sech", 38, marks=pytest.mark.slow),
        (sp.cos(3 * x) * sp.exp(-(x**2)), "shifted gaussian", 7),
    ],
)
def test_new_table_rules_against_the_fourier_integral(f: sp.Expr, name: str, reach: float) -> None:
    found = table_transform(f, x, k)
    assert found is not None
    assert found[0] == name
    for value in (0.37, -2.6, 8.5):
        claimed = complex(sp.N(found[1].subs(k, sp.Rational(str(value))), 25))
        assert abs(claimed - _fourier_integral(f, value, reach)) < 1e-13 * max(1.0, abs(claimed))


@pytest.mark.parametrize(
    ("f", "name", "pair"),
    [
        # Gradshteyn & Ryzhik 3.771.2: (1+x²)^{-3/2} ↦ 2|ν|K₁(|ν|)
        (
            (1 + x**2) ** sp.Rational(-3, 2),
            "power of a quadratic",
            lambda v: 2 * v * mpmath.besselk(1, v),
        ),
        # (x² + m²)^{-2} ↦ π(1 + m|ν|)e^{-m|ν|}/(2m³), here m = √2
        (
            1 / (2 + x**2) ** 2,
            "power of a quadratic",
            lambda v: (
                mpmath.pi
                * (1 + mpmath.sqrt(2) * v)
                * mpmath.exp(-mpmath.sqrt(2) * v)
                / (4 * mpmath.sqrt(2))
            ),
        ),
        # 1/(1+x⁴) ↦ (π/√2)e^{-t}(cos t + sin t), t = |ν|/√2 (residues at e^{iπ/4}, e^{3iπ/4})
        (
            1 / (1 + x**4),
            "rational, by residues",
            lambda v: (
                mpmath.pi
                / mpmath.sqrt(2)
                * mpmath.exp(-v / mpmath.sqrt(2))
                * (mpmath.cos(v / mpmath.sqrt(2)) + mpmath.sin(v / mpmath.sqrt(2)))
            ),
        ),
    ],
)
def test_algebraic_rules_against_closed_forms(f: sp.Expr, name: str, pair: object) -> None:
    found = table_transform(f, x, k)
    assert found is not None
    assert found[0] == name
    for value in (0.37, -2.6, 8.5):
        claimed = complex(sp.N(found[1].subs(k, sp.Rational(str(value))), 25))
        assert abs(claimed - complex(pair(abs(value)))) < 1e-14  # type: ignore[operator]


@pytest.mark.parametrize(
    ("f", "inside", "outside"),
    [
        # by hand: ∫ sin(cx)/x e^{-iνx} dx = π 1{|ν| < c}; sin²(cx)/x² ↦ π(c - |ν|/2) on |ν| < 2c
        (sp.sin(2 * x) / x, (1.5, math.pi), (2.5, 0.0)),
        (sp.sin(x) ** 2 / x**2, (1.0, math.pi / 2), (2.5, 0.0)),
    ],
)
def test_band_limited_rules(
    f: sp.Expr, inside: tuple[float, float], outside: tuple[float, float]
) -> None:
    found = table_transform(f, x, k)
    assert found is not None
    for value, expected in (inside, outside):
        assert abs(float(found[1].subs(k, value)) - expected) < 1e-15
        assert abs(numeric_transform(f, x, value) - expected) < 1e-12


def test_verify_transform_checks_where_the_function_lives() -> None:
    from symdl.approximation.fourier import check_frequencies

    # the root-mean-square frequency of e^{-x²/2} is 1/√2; cos(9x) e^{-x²} has frequencies ±9
    assert round(1 / math.sqrt(2), 6) in check_frequencies(sp.exp(-(x**2) / 2), x)
    assert {8.1, 9.9, -9.45} <= set(check_frequencies(sp.cos(9 * x) * sp.exp(-(x**2)), x))
