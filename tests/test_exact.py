"""The one converter of user values to exact numbers, its text reader and its narrowings."""

from __future__ import annotations

import json
import time
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
import sympy as sp

from symdl.core.exact import (
    FloatConversion,
    TextLimits,
    exact_fraction,
    exact_from_text,
    exact_number,
    exact_rational,
    in_interval,
    nonnegative,
    positive,
    positive_integer,
)

# --- accepted types ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (7, sp.Integer(7)),
        (-(10**30), sp.Integer(-(10**30))),
        (np.int64(-3), sp.Integer(-3)),
        (Fraction(-2, 6), sp.Rational(-1, 3)),
        (sp.Rational(5, 7), sp.Rational(5, 7)),
        (sp.Integer(4), sp.Integer(4)),
        (Decimal("0.1"), sp.Rational(1, 10)),
        (Decimal("-1.25E-2"), sp.Rational(-1, 80)),
        (Decimal("3E+2"), sp.Integer(300)),
    ],
)
def test_accepted_types_become_the_exact_number(value: object, expected: sp.Expr) -> None:
    number = exact_number(value)
    assert number == expected
    assert isinstance(number, sp.Rational)


def test_a_decimal_is_converted_exactly_not_through_a_float() -> None:
    # 0.1 + 0.2 != 0.3 in floats; as Decimals read exactly it is
    total = exact_number(Decimal("0.1")) + exact_number(Decimal("0.2"))
    assert total == sp.Rational(3, 10)
    digits = Decimal("0.12345678901234567890123456789")
    assert exact_number(digits) == sp.Rational(12345678901234567890123456789, 10**29)


def test_a_sympy_expression_is_kept() -> None:
    x = sp.Symbol("x", real=True)
    assert exact_number(x + sp.sqrt(2)) == x + sp.sqrt(2)


# --- refused values ------------------------------------------------------------------------------


@pytest.mark.parametrize("value", [True, False, np.bool_(True)])
def test_a_boolean_is_refused_naming_it(value: object) -> None:
    with pytest.raises(TypeError, match=rf"v={value!r} is a boolean, not a number; give an int"):
        exact_number(value, name="v")
    with pytest.raises(TypeError, match="boolean"):
        exact_fraction(value)


@pytest.mark.parametrize("value", [0.5, np.float64(0.5), np.float32(0.5), sp.Float(0.5)])
def test_a_float_is_refused_with_the_remedies(value: object) -> None:
    with pytest.raises(TypeError, match=r"w=.*float.*sympy\.Rational.*FloatConversion\.DECIMAL"):
        exact_number(value, name="w")


def test_a_float_is_refused_with_fraction_remedies_that_work() -> None:
    with pytest.raises(TypeError, match=r"Fraction\('0\.1'\).*Fraction\(0\.1\)") as info:
        exact_number(0.1)
    assert "0.1 is a float" in str(info.value)
    # the two suggested remedies give the decimal and the binary value
    assert exact_number(Fraction("0.1")) == sp.Rational(1, 10)
    assert exact_number(Fraction(0.1)) == sp.Rational(3602879701896397, 2**55)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("1/3", r"v='1/3' is text, not a number.*exact_from_text"),
        (b"1", r"v=b'1' is text"),
        (None, r"v=None \(type NoneType\) is not a number; accepted: int"),
        ([1], r"v=\[1\] \(type list\) is not a number"),
        (1j, r"v=1j \(type complex\) is not a number"),
        (sp.true, r"v=True \(a BooleanTrue\) is not a number"),
        (sp.Float(0.5) * sp.Symbol("x"), r"contains a SymPy Float"),
    ],
)
def test_other_values_are_refused(value: object, message: str) -> None:
    with pytest.raises(TypeError, match=message):
        exact_number(value, name="v")


@pytest.mark.parametrize(
    "value", [float("nan"), float("inf"), -float("inf"), Decimal("NaN"), Decimal("-Infinity")]
)
def test_a_value_that_is_not_finite_is_never_a_number(value: object) -> None:
    for floats in FloatConversion:
        with pytest.raises(ValueError, match="is not finite"):
            exact_number(value, floats=floats)


def test_a_decimal_of_huge_exponent_is_refused_before_it_is_computed() -> None:
    start = time.perf_counter()
    with pytest.raises(ValueError, match=r"the exponent 1000000000 is beyond ±10000"):
        exact_number(Decimal("1e1000000000"))
    with pytest.raises(ValueError, match=r"the exponent -1000000000 is beyond"):
        exact_number(Decimal("1e-1000000000"))
    assert time.perf_counter() - start < 1


# --- floats on request ---------------------------------------------------------------------------


def test_float_conversions() -> None:
    assert exact_number(0.1, floats=FloatConversion.DECIMAL) == sp.Rational(1, 10)
    # 0.1 is 3602879701896397 / 2^55 in binary (the nearest double)
    assert exact_number(0.1, floats=FloatConversion.BINARY) == sp.Rational(3602879701896397, 2**55)
    assert exact_number(np.float32(0.5), floats=FloatConversion.DECIMAL) == sp.Rational(1, 2)
    assert exact_number(sp.Float(0.25), floats=FloatConversion.DECIMAL) == sp.Rational(1, 4)


# --- narrowing to a rational ---------------------------------------------------------------------


def test_exact_rational_and_fraction() -> None:
    assert exact_rational(Decimal("2.5")) == sp.Rational(5, 2)
    assert exact_fraction(sp.Rational(-3, 4)) == Fraction(-3, 4)
    assert type(exact_fraction(sp.Integer(2))) is Fraction
    assert exact_fraction(0.5, floats=FloatConversion.BINARY) == Fraction(1, 2)
    for irrational in (sp.sqrt(2), sp.pi, sp.Symbol("x")):
        with pytest.raises(ValueError, match="is not a rational number"):
            exact_rational(irrational, name="a")
    with pytest.raises(TypeError, match="float"):
        exact_fraction(0.5)


# --- text ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("7", sp.Integer(7)),
        ("-5/2", sp.Rational(-5, 2)),
        ("  +10/4 ", sp.Rational(5, 2)),
        ("0.25", sp.Rational(1, 4)),
        ("1.5e-3", sp.Rational(3, 2000)),
        ("-2E2", sp.Integer(-200)),
        (".5", sp.Rational(1, 2)),
        ("5.", sp.Integer(5)),
        ("1e-400", sp.Rational(1, 10**400)),
    ],
)
def test_exact_from_text_reads_the_number(text: str, expected: sp.Expr) -> None:
    assert exact_from_text(text) == expected


@pytest.mark.parametrize(
    "text", ["", " ", ".", "e5", "1e", "1/", "/2", "1 / 2", "0x10", "1_000", "2**3", "٣", "nan",
             "inf", "1/2/3", "__import__('os')", "1.5/2", "--1"]
)  # fmt: skip
def test_exact_from_text_refuses_what_is_not_a_number(text: str) -> None:
    with pytest.raises(ValueError, match=r"q=.* is not a number; write an integer, 'p/q'"):
        exact_from_text(text, name="q")


def test_exact_from_text_bounds_are_checked_before_the_number_is_built() -> None:
    start = time.perf_counter()
    with pytest.raises(ValueError, match=r"the exponent 1000000000 is beyond ±400"):
        exact_from_text("1e1000000000")
    with pytest.raises(ValueError, match=r"the exponent -401 is beyond ±400"):
        exact_from_text("1E-401")
    with pytest.raises(ValueError, match=r"a number of 401 characters; at most 400"):
        exact_from_text("1" * 401)
    with pytest.raises(ValueError, match=r"401 digits; at most 400"):
        exact_from_text("1/" + "3" * 401, limits=TextLimits(max_chars=1000))
    with pytest.raises(ValueError, match=r"divides by 0"):
        exact_from_text("1/0")
    assert time.perf_counter() - start < 1
    wider = TextLimits(max_chars=1000, max_digits=1000, max_exponent=1000)
    assert exact_from_text("1e500", limits=wider) == sp.Integer(10) ** 500
    with pytest.raises(ValueError, match=r"beyond ±3 \(set BOUND\)"):
        exact_from_text("1e4", limits=TextLimits(max_exponent=3, how_to_raise="set BOUND"))


def test_exact_from_text_takes_only_text() -> None:
    for value in (1, 0.5, b"1", None):
        with pytest.raises(TypeError, match="is not text"):
            exact_from_text(value)  # type: ignore[arg-type]


# --- narrowings ----------------------------------------------------------------------------------


def test_positive() -> None:
    c = sp.Symbol("c", positive=True)
    assert positive(Fraction(1, 3), name="eta") == sp.Rational(1, 3)
    assert positive(c, name="c") is c
    with pytest.raises(ValueError, match=r"eta=0 must be positive \(a step size\); give"):
        positive(0, name="eta", reason="a step size")
    with pytest.raises(ValueError, match=r"eta=-1/2 must be positive"):
        positive(sp.Rational(-1, 2), name="eta")
    with pytest.raises(ValueError, match=r"eta=c is not known to be positive.*positive=True"):
        positive(sp.Symbol("c"), name="eta")
    with pytest.raises(ValueError, match="must be positive"):
        positive(sp.oo, name="eta")
    with pytest.raises(TypeError, match="float"):
        positive(0.5, name="eta")
    assert positive(0.5, name="eta", floats=FloatConversion.DECIMAL) == sp.Rational(1, 2)


def test_positive_integer_and_nonnegative() -> None:
    k = sp.Symbol("k", integer=True, positive=True)
    assert positive_integer(3, name="n") == 3
    assert positive_integer(k, name="n") is k
    for bad in (0, -2, sp.Rational(3, 2), sp.oo, sp.Symbol("m", positive=True)):
        with pytest.raises(ValueError, match=r"n=.* is not an integer ≥ 1"):
            positive_integer(bad, name="n")
    with pytest.raises(TypeError, match="boolean"):
        positive_integer(True, name="n")
    assert nonnegative(0, name="m") == 0
    with pytest.raises(ValueError, match=r"m=-1 must be ≥ 0"):
        nonnegative(-1, name="m")
    with pytest.raises(ValueError, match=r"m=oo is not known to be ≥ 0 and finite"):
        nonnegative(sp.oo, name="m")


def test_in_interval() -> None:
    assert in_interval(Fraction(1, 2), sp.Interval.Ropen(0, 1), name="p") == sp.Rational(1, 2)
    assert in_interval(0, sp.Interval(0, 1), name="p") == 0
    with pytest.raises(ValueError, match=r"p=1 is not in \[0, 1\); give a number in \[0, 1\)"):
        in_interval(1, sp.Interval.Ropen(0, 1), name="p")
    with pytest.raises(ValueError, match=r"p=0 is not in \(0, ∞\)"):
        in_interval(0, sp.Interval.open(0, sp.oo), name="p")
    with pytest.raises(ValueError, match=r"p=x is not known to be in \[0, 1\]"):
        in_interval(sp.Symbol("x", real=True), sp.Interval(0, 1), name="p")
    with pytest.raises(TypeError, match=r"is not a sympy\.Interval"):
        in_interval(0, (0, 1), name="p")  # type: ignore[arg-type]


# --- every converter that was replaced: its old inconsistency is gone ----------------------------


def test_depth_exact_fraction_is_the_one_converter() -> None:
    from symdl.depth.piecewise import PiecewiseLinear
    from symdl.depth.piecewise import exact_fraction as depth_exact_fraction

    assert depth_exact_fraction is exact_fraction
    # a Decimal is a number there too (it was refused), a boolean still is not
    f = PiecewiseLinear([Decimal("0.5")], [0, 1], [0, Decimal("-0.5")])
    assert f.breakpoints == (Fraction(1, 2),)
    with pytest.raises(TypeError, match="boolean"):
        PiecewiseLinear.affine(True, 0)


def test_rational_arrays_refuse_booleans() -> None:
    from symdl.depth.rational_arrays import RationalArray

    with pytest.raises(TypeError, match=r"values\[1\]=True is a boolean"):  # was read as 1
        RationalArray.of([1, True])
    assert RationalArray.of([Decimal("0.75")]).to_fractions() == [Fraction(3, 4)]


def test_piecewise_sympy_reads_entries_with_the_converter() -> None:
    from symdl.depth.piecewise_sympy import exact_entry, from_sympy

    assert exact_entry(sp.Float(0.1), "w", FloatConversion.BINARY) == Fraction(0.1)
    with pytest.raises(TypeError, match=r"w=0\.1.*float.*FloatConversion"):
        exact_entry(sp.Float(0.1), "w", FloatConversion.REJECT)
    with pytest.raises(TypeError, match="boolean"):
        from_sympy(True, sp.Symbol("x", real=True))  # type: ignore[arg-type]
    assert from_sympy(Decimal("1.5"), sp.Symbol("x", real=True)).intercepts == (Fraction(3, 2),)


def test_targets_refuse_booleans_and_read_decimals() -> None:
    from symdl.core.targets import Target, validate

    with pytest.raises(TypeError, match=r"target y = \[True, 0\] has the entry True.*boolean"):
        validate([0, 1], [True, 0])  # was read as the one-hot [1, 0]
    o, _ = validate([Decimal("0.25"), 1], [0, 1], target=Target.REAL)
    assert list(o) == [sp.Rational(1, 4), 1]


def test_numeric_parameters_read_by_the_converter() -> None:
    from symdl.core import numeric
    from symdl.core.network import Network

    net = Network.mlp([1, 1], "identity")
    w, b = net.parameters
    # a Decimal parameter is its exact value (sympify made it a rounded Float)
    out = numeric.forward_mp(net, [1], {w: Decimal("0.1"), b: 0})
    assert out == numeric.forward_mp(net, [1], {w: Fraction(1, 10), b: 0})
    assert out != numeric.forward_mp(net, [1], {w: 0.1, b: 0})  # the float is not 1/10
    with pytest.raises(TypeError, match="boolean"):
        numeric.forward(net, [[1.0]], {w: True, b: 0})


def test_cli_regions_reads_text_with_the_one_reader(tmp_path: Path) -> None:
    from symdl.cli import regions

    path = tmp_path / "w.json"
    path.write_text(
        json.dumps({"weights": [[[".5"], ["-5/2"]], [[1, 1]]], "biases": [[0, 0], [0]]})
    )
    net = regions.load_network(path, FloatConversion.REJECT)
    assert net.layers[0].W[0, 0] == sp.Rational(1, 2)
    assert net.layers[0].W[1, 0] == sp.Rational(-5, 2)
    for bad, message in (("1_0", "is not a number"), (True, "is a boolean")):
        path.write_text(json.dumps({"weights": [[[bad]]], "biases": [[0]]}))
        with pytest.raises((TypeError, ValueError), match=message):
            regions.load_network(path, FloatConversion.REJECT)


def test_thresholding_uses_the_converter() -> None:
    from symdl.optimization.thresholding import soft_threshold

    assert soft_threshold(Decimal("2.5"), 1) == sp.Rational(3, 2)
    with pytest.raises(TypeError, match=r"beta=True is a boolean"):
        soft_threshold(sp.Integer(1), True)


def test_barron_bound_refuses_floats_like_the_schedules() -> None:
    from symdl.approximation.bound import barron_bound, estimation_tradeoff
    from symdl.optimization.schedules import Constant

    with pytest.raises(TypeError, match=r"c=0\.1 is a float"):
        Constant(0.1)
    with pytest.raises(TypeError, match=r"C_f=1\.0 is a float"):  # was the Float 0.1
        barron_bound(1.0, 0.5, 10)
    with pytest.raises(TypeError, match=r"r=0\.5 is a float"):
        barron_bound(1, 0.5, 10)
    with pytest.raises(TypeError, match=r"C_f=1\.0 is a float"):
        estimation_tradeoff(1.0, dim=1, samples=100)
    # (2 r C_f)^2 / n = (2 * 1/2 * 1)^2 / 10
    assert barron_bound(1.0, 0.5, 10, floats=FloatConversion.DECIMAL) == sp.Rational(1, 10)
    assert barron_bound(Decimal("1"), Decimal("0.5"), 10) == sp.Rational(1, 10)


def test_the_positive_helpers_agree_in_argument_order_and_message() -> None:
    from symdl.approximation.bound import barron_bound
    from symdl.optimization.schedules import Constant
    from symdl.optimization.stability import hardt_bound_nonconvex

    with pytest.raises(ValueError, match=r"c=0 must be positive"):
        Constant(0)
    with pytest.raises(ValueError, match=r"L=0 must be positive \(Hardt"):
        hardt_bound_nonconvex(0, 10, 1, 5, beta=1)
    with pytest.raises(ValueError, match=r"r=0 must be positive"):
        barron_bound(1, 0, 10)
    for call in (
        lambda: Constant(True),
        lambda: hardt_bound_nonconvex(True, 10, 1, 5, beta=1),
        lambda: barron_bound(1, True, 10),
    ):
        with pytest.raises(TypeError, match="=True is a boolean"):
            call()
