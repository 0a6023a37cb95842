"""Tests of the loss registry: exact values, the NumPy forms against an mpmath referee, ranges,
parameters and bad input.  Every test over the registry is parametrized by its keys, so a new
loss is tested as soon as it is registered (and needs a hand-derived value below).
"""

from __future__ import annotations

import dataclasses
import itertools
import re
from collections.abc import Callable
from functools import cache

import mpmath
import numpy as np
import pytest
import sympy as sp

from symdl import LOSSES, Loss, get_loss
from symdl.core.losses import softmax
from symdl.core.targets import Target

NAMES = list(LOSSES)
ONE_HOT = [name for name in NAMES if LOSSES[name].needs_one_hot]
TWELVE = [
    "l1",
    "l2",
    "expectation",
    "regularised_expectation",
    "chebyshev",
    "hinge",
    "squared_hinge",
    "cubed_hinge",
    "log",
    "squared_log",
    "tanimoto",
    "cauchy_schwarz",
]


# --- exact values at o = (0, 1, 2), y = (0, 0, 1) (Janocha & Czarnecki 2016) ---------------------


def hand_values() -> dict[str, tuple[list[sp.Expr], list[sp.Expr], sp.Expr]]:
    """(o, y, value) per loss, derived by hand from the definitions, not from symdl.

    At o = (0, 1, 2) the softmax is p_j = e^j / S with S = 1 + e + e², and the true class is
    the third: 1 - p_2 = p_0 + p_1 = (1 + e)/S ≥ p_0, p_1.  The ±1 target is (-1, -1, 1), so
    the hinge pieces m - ŷ_j o_j are (m, m + 1, m - 2): (1/2, 3/2, 0) for m = 1/2.
    """
    e = sp.E
    S = 1 + e + e**2
    p0, p1, p2 = 1 / S, e / S, e**2 / S
    o, y = [sp.S(0), sp.S(1), sp.S(2)], [sp.S(0), sp.S(0), sp.S(1)]
    half = sp.S.Half
    norm2 = p0**2 + p1**2 + p2**2
    table = {
        "l1": 0 + 1 + 1,
        "l2": 0 + 1 + 1,
        "expectation": 2 * (1 + e) / S,  # p0 + p1 + (1 - p2)
        "regularised_expectation": (1 + e**2 + (1 + e) ** 2) / S**2,
        "chebyshev": (1 + e) / S,
        "hinge": half + 3 * half,
        "squared_hinge": half**2 + (3 * half) ** 2,
        "cubed_hinge": half**3 + (3 * half) ** 3,
        "log": sp.log(S) - 2,  # -log(e²/S)
        "squared_log": (sp.log(S) - 2) ** 2,
        "tanimoto": -p2 / (norm2 + 1 - p2),
        "cauchy_schwarz": sp.log(1 + e**2 + e**4) / 2 - 2,  # -log(e² / √(1 + e² + e⁴))
        "mse": sp.Rational(2, 3),  # (0 + 1 + 1)/3
    }
    values = {name: (o, y, value) for name, value in table.items()}
    # BCE needs probabilities: o = (1/4, 1/2, 3/4), y = (0, 1, 1):
    # -(log(3/4) + log(1/2) + log(3/4)) = log(32/9)
    quarter = sp.Rational(1, 4)
    values["bce"] = (
        [quarter, half, 3 * quarter],
        [sp.S(0), sp.S(1), sp.S(1)],
        sp.log(32) - 2 * sp.log(3),
    )
    return values


HAND = hand_values()


def test_registry_holds_the_twelve_plus_mse_and_bce() -> None:
    assert sorted(LOSSES) == sorted([*TWELVE, "mse", "bce"])
    assert [name for name in NAMES if name in TWELVE] == ONE_HOT
    assert LOSSES["mse"].target is Target.REAL
    assert LOSSES["bce"].target is Target.PROBABILITY


@pytest.mark.parametrize("name", NAMES)
def test_reference_value_exact(name: str) -> None:
    assert name in HAND, f"derive the value of {name!r} by hand in hand_values()"
    o, y, expected = HAND[name]
    value = LOSSES[name](sp.Matrix(o), sp.Matrix(y))
    assert sp.simplify(value - expected) == 0
    assert float(value) == pytest.approx(float(expected), rel=1e-15)


def test_reference_values_quoted_in_reference_md() -> None:
    o, y = sp.Matrix([0, 1, 2]), sp.Matrix([0, 0, 1])
    quoted = {"l1": 2, "l2": 2, "hinge": 2, "squared_hinge": sp.Rational(5, 2)}
    quoted |= {"cubed_hinge": sp.Rational(7, 2)}
    for name, value in quoted.items():
        assert LOSSES[name](o, y) == value  # rational: structurally equal
    log_loss = LOSSES["log"](o, y)
    assert log_loss.equals(sp.log(1 + sp.E + sp.E**2) - 2)


@pytest.mark.parametrize("name", NAMES)
def test_numpy_reference_value(name: str) -> None:
    o, y, expected = HAND[name]
    O = np.array([[float(v) for v in o]])
    Y = np.array([[float(v) for v in y]])
    assert LOSSES[name].numpy(O, Y) == pytest.approx([float(expected)], rel=1e-14)


# --- the referee: the SymPy form at high precision ----------------------------------------------


@cache
def mp_form(loss: Loss, n: int) -> Callable[..., mpmath.mpf]:
    """The loss's SymPy form with symbolic o and y, lambdified for mpmath."""
    o = sp.symbols(f"o1:{n + 1}", real=True)
    y = sp.symbols(f"y1:{n + 1}", real=True)
    return sp.lambdify((*o, *y), loss.sympy_form(sp.Matrix(o), sp.Matrix(y)), "mpmath")


def referee(loss: Loss, o: np.ndarray, y: np.ndarray) -> mpmath.mpf:
    """The exact loss at the float inputs, to at least 50 significant digits.

    exp(±1000) and cancellations such as 1 - σ(o)_t ≈ e^{-2000} need more working digits
    than 50: take 50 plus the digits of e^{2 max|o|}, and check that 30 more change nothing.
    """
    form = mp_form(loss, o.size)
    digits = 50 + int(2 * np.abs(o).max() / np.log(10)) + 10
    args = [mpmath.mpf(float(v)) for v in (*o, *y)]  # float → mpf is exact
    with mpmath.workdps(digits):
        value = form(*args)
    with mpmath.workdps(digits + 30):
        finer = form(*args)
        assert abs(finer - value) <= mpmath.mpf(10) ** -45 * max(abs(finer), mpmath.mpf(10) ** -800)
    return finer


TINY = 1e-300  # below this a float64 value is (sub)normal noise: compare absolutely


def disagreements(
    loss: Loss,
    numpy_form: Callable[[np.ndarray, np.ndarray], np.ndarray],
    O: np.ndarray,
    Y: np.ndarray,
) -> list[str]:
    """Rows where ``numpy_form`` differs from the referee by more than 1e-12 relative."""
    values = numpy_form(O, Y)
    failures = []
    for row, (o, y) in enumerate(zip(O, Y, strict=True)):
        exact = referee(loss, o, y)
        if abs(exact) < TINY:
            ok = abs(values[row]) < TINY
        else:
            ok = abs(mpmath.mpf(float(values[row])) - exact) <= 1e-12 * abs(exact)
        if not ok:
            failures.append(f"row {row}: o={o.tolist()} numpy {values[row]!r} exact {exact}")
    return failures


def batch(
    name: str, rng: np.random.Generator, scale: float, size: int = 10
) -> tuple[np.ndarray, np.ndarray]:
    n = 4
    target = LOSSES[name].target
    if target is Target.PROBABILITY:
        return rng.uniform(0.001, 0.999, (size, n)), rng.uniform(0, 1, (size, n))
    O = rng.uniform(-scale, scale, (size, n))
    if target is Target.REAL:
        return O, rng.uniform(-scale, scale, (size, n))
    Y = np.eye(n)[rng.integers(0, n, size)]
    return O, Y


@pytest.mark.parametrize("scale", [3.0, 30.0, 1000.0])
@pytest.mark.parametrize("name", NAMES)
def test_numpy_form_agrees_with_exact_form(
    name: str, scale: float, rng: np.random.Generator
) -> None:
    loss = LOSSES[name]
    O, Y = batch(name, rng, scale)
    if loss.needs_one_hot:  # also a true class that dominates, and ties at the hinge kinks
        O[0] = [0.0, 0.0, scale, -scale]
        Y[0] = [0.0, 0.0, 1.0, 0.0]
        O[1] = [0.5, -0.5, 0.5, -0.5]
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        assert disagreements(loss, loss.numpy, O, Y) == []


@pytest.mark.parametrize("name", NAMES)
def test_numpy_lambdified_agrees_with_numpy_form(name: str, rng: np.random.Generator) -> None:
    """The float64 lambdified SymPy form, where it is well conditioned (|o| ≤ 2)."""
    loss = LOSSES[name]
    O, Y = batch(name, rng, 2.0, size=20)
    n = O.shape[1]
    o = sp.symbols(f"o1:{n + 1}", real=True)
    y = sp.symbols(f"y1:{n + 1}", real=True)
    f = sp.lambdify((*o, *y), loss.sympy_form(sp.Matrix(o), sp.Matrix(y)), "numpy")
    lambdified = np.array([f(*row_o, *row_y) for row_o, row_y in zip(O, Y, strict=True)])
    np.testing.assert_allclose(loss.numpy(O, Y), lambdified, rtol=1e-12, atol=0)


def test_the_cross_check_catches_a_wrong_margin(rng: np.random.Generator) -> None:
    hinge = LOSSES["hinge"]
    O, Y = batch("hinge", rng, 3.0)

    def off_by_a_little(O: np.ndarray, Y: np.ndarray) -> np.ndarray:
        return np.maximum(0.0, 0.501 - (2 * Y - 1) * O).sum(axis=1)

    assert len(disagreements(hinge, off_by_a_little, O, Y)) >= 5
    assert disagreements(hinge, hinge.numpy, O, Y) == []


def test_the_cross_check_catches_a_naive_log_softmax(rng: np.random.Generator) -> None:
    """log Σ e^{o_k - max o} - (o_t - max o) loses the small losses of confident rows."""
    log_loss = LOSSES["log"]
    O = rng.uniform(-3.0, 3.0, (4, 4))
    O[:, 2] = 35.0
    Y = np.tile([0.0, 0.0, 1.0, 0.0], (4, 1))

    def naive(O: np.ndarray, Y: np.ndarray) -> np.ndarray:
        Z = O - O.max(axis=1, keepdims=True)
        return -(Y * (Z - np.log(np.exp(Z).sum(axis=1, keepdims=True)))).sum(axis=1)

    assert len(disagreements(log_loss, naive, O, Y)) == 4
    assert disagreements(log_loss, log_loss.numpy, O, Y) == []


@pytest.mark.parametrize("name", ONE_HOT)
def test_no_overflow_at_large_magnitude(name: str) -> None:
    O = np.array([[1000.0, -1000.0, 0.0], [-1000.0, 1000.0, 999.0]])
    Y = np.array([[0.0, 1.0, 0.0], [0.0, 1.0, 0.0]])
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        values = LOSSES[name].numpy(O, Y)
    assert values.shape == (2,)
    assert np.all(np.isfinite(values))


# --- ranges ---------------------------------------------------------------------------------------

s = sp.Symbol("s", real=True)
TRUE_THIRD = sp.Matrix([0, 0, 1])


def test_tanimoto_range(rng: np.random.Generator) -> None:
    O, Y = batch("tanimoto", rng, 6.0, size=200)
    values = LOSSES["tanimoto"].numpy(O, Y)
    assert np.all(values >= -1.0)
    assert np.all(values < 0.0)
    tanimoto = LOSSES["tanimoto"]
    for k in range(1, 5):  # > -1 at every finite o: σ(o) = y is not attained
        assert (tanimoto(sp.Matrix([0, 0, k]), TRUE_THIRD) + 1).is_positive
    assert sp.limit(tanimoto(sp.Matrix([0, 0, s]), TRUE_THIRD), s, sp.oo) == -1
    assert LOSSES["tanimoto"].sympy_form(sp.Matrix([0, 0, 1]), TRUE_THIRD) != -1
    # the bound -1 itself, at p = y (reached by the formula, not by a softmax)
    p = TRUE_THIRD
    assert sp.simplify(-p.dot(TRUE_THIRD) / (p.dot(p) + 1 - p.dot(TRUE_THIRD))) == -1


def test_cauchy_schwarz_range(rng: np.random.Generator) -> None:
    O, Y = batch("cauchy_schwarz", rng, 6.0, size=200)
    assert np.all(LOSSES["cauchy_schwarz"].numpy(O, Y) > 0.0)
    cs = LOSSES["cauchy_schwarz"]
    for k in range(-2, 3):
        assert cs(sp.Matrix([0, 1, k]), TRUE_THIRD).is_positive
    assert sp.limit(cs(sp.Matrix([0, 0, s]), TRUE_THIRD), s, sp.oo) == 0
    # 0 iff σ(o) ∝ y: for a target proportional to the softmax (not one-hot) it is exactly 0
    o = sp.Matrix([0, sp.log(2)])  # σ(o) = (1/3, 2/3) ∝ (1, 2)
    assert sp.simplify(cs.sympy_form(o, sp.Matrix([1, 2]))) == 0
    assert cs.sympy_form(o, sp.Matrix([2, 1])).is_positive
    o = sp.Matrix([0, 1, 2])
    assert cs.sympy_form(o, 3 * softmax(o)).evalf(50) == 0


def test_squared_log_is_nonnegative_and_the_misprint_is_not(rng: np.random.Generator) -> None:
    squared_log = LOSSES["squared_log"]
    O, Y = batch("squared_log", rng, 6.0, size=200)
    assert np.all(squared_log.numpy(O, Y) >= 0.0)
    o = sp.Matrix(sp.symbols("o1:4", real=True))
    assert squared_log(o, TRUE_THIRD).is_nonnegative
    # the lecture's -Σ (y_j log σ(o)_j)² decreases without bound as the true logit → -∞:
    # minimising it drives the true class's probability to 0
    misprint = [-squared_log(sp.Matrix([0, 0, -k]), TRUE_THIRD) for k in range(4)]
    assert all((later - earlier).is_negative for earlier, later in itertools.pairwise(misprint))
    assert sp.limit(-squared_log(sp.Matrix([0, 0, s]), TRUE_THIRD), s, -sp.oo) == -sp.oo


# --- the margin -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "margin_one", "margin_zero"),
    # pieces m - ŷ_j o_j at o = (0, 1, 2), y = (0, 0, 1): (1, 2, -1) for m = 1, (0, 1, -2) for m = 0
    [("hinge", 1 + 2, 1), ("squared_hinge", 1 + 4, 1), ("cubed_hinge", 1 + 8, 1)],
)
def test_margin(name: str, margin_one: int, margin_zero: int) -> None:
    o, y = sp.Matrix([0, 1, 2]), sp.Matrix([0, 0, 1])
    assert LOSSES[name].params == {"margin": sp.S.Half}
    one = get_loss(name, margin=1)
    assert one(o, y) == margin_one
    assert get_loss(name, margin=0)(o, y) == margin_zero
    assert one.numpy(np.array([[0.0, 1.0, 2.0]]), np.array([[0.0, 0.0, 1.0]])) == [margin_one]
    assert one.params == {"margin": 1}
    assert r"\frac{1}{2}" in LOSSES[name].latex
    assert r"\frac{1}{2}" not in one.latex
    assert one != LOSSES[name]
    assert get_loss(name, margin=sp.Rational(1, 2)) == LOSSES[name]


def test_margin_is_symbolic_in_the_exact_form() -> None:
    o = sp.Matrix(sp.symbols("o1:3", real=True))
    value = LOSSES["hinge"](o, sp.Matrix([1, 0]))
    assert value == sp.Max(0, sp.S.Half - o[0]) + sp.Max(0, sp.S.Half + o[1])


# --- the Loss object ------------------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_loss_entry(name: str) -> None:
    loss = LOSSES[name]
    assert loss.name == name
    assert get_loss(name) is loss
    assert get_loss(loss) is loss
    assert loss.latex.count("{") == loss.latex.count("}")
    assert loss.latex.count(r"\left") == loss.latex.count(r"\right")
    assert "o" in loss.latex
    assert "y" in loss.latex
    with pytest.raises(dataclasses.FrozenInstanceError):
        loss.name = "other"  # type: ignore[misc]
    with pytest.raises(TypeError):
        loss.params["margin"] = 1  # type: ignore[index]


def test_symbolic_target_is_accepted_and_agrees_with_the_concrete_one() -> None:
    o = sp.Matrix([0, 1, 2])
    y = sp.Matrix(sp.symbols("y1:4", real=True))
    value = LOSSES["log"](o, y).subs(dict(zip(y, [0, 0, 1], strict=True)))
    assert sp.simplify(value - LOSSES["log"](o, TRUE_THIRD)) == 0


def test_mse_takes_any_real_target() -> None:
    half = sp.S.Half
    assert LOSSES["mse"](sp.Matrix([1, 2]), sp.Matrix([half, -3])) == (half**2 + 25) / 2


# --- bad input --------------------------------------------------------------------------------


def test_unknown_name() -> None:
    with pytest.raises(ValueError, match=r"'hinj'.*did you mean 'hinge'.*accepted: l1, l2"):
        get_loss("hinj")
    with pytest.raises(TypeError, match="must be a name or a Loss"):
        get_loss(3)  # type: ignore[arg-type]


def test_unknown_parameter() -> None:
    with pytest.raises(ValueError, match=r"\['margn'\].*'hinge'.*accepted: margin"):
        get_loss("hinge", margn=1)
    with pytest.raises(ValueError, match=r"'l1' takes no parameters.*margin"):
        get_loss("l1", margin=1)
    with pytest.raises(ValueError, match=r"\['margin'\] given with a Loss object"):
        get_loss(LOSSES["hinge"], margin=1)


def test_bad_margin() -> None:
    with pytest.raises(TypeError, match=r"margin=0\.5 is a float.*sympy.Rational"):
        get_loss("hinge", margin=0.5)
    with pytest.raises(TypeError, match=r"margin=0\.5000.*float.*Rational"):
        get_loss("hinge", margin=sp.Float(0.5))
    with pytest.raises(ValueError, match="margin=-1 is negative"):
        get_loss("squared_hinge", margin=-1)
    with pytest.raises(TypeError, match="margin='1'"):
        get_loss("hinge", margin="1")


@pytest.mark.parametrize("y", [[0, 1, 1], [0, 0, 0], [0, 2, -1], [0, sp.S.Half, sp.S.Half]])
@pytest.mark.parametrize("name", ONE_HOT)
def test_target_not_one_hot(name: str, y: list[object]) -> None:
    shown = re.escape(f"target y = {list(sp.Matrix(y))} is not one-hot")
    with pytest.raises(ValueError, match=shown):
        LOSSES[name]([0, 1, 2], y)


@pytest.mark.parametrize("name", NAMES)
def test_shape_mismatch(name: str) -> None:
    quarter = sp.Rational(1, 4)
    with pytest.raises(ValueError, match=r"o has 3 entries and target y = \[0, 1\] has 2"):
        LOSSES[name]([quarter, quarter, quarter], [0, 1])
    with pytest.raises(ValueError, match=r"shape \(2, 2\).*vector"):
        LOSSES[name](sp.Matrix([[0, 1], [1, 0]]), sp.Matrix([[0, 1], [1, 0]]))
    with pytest.raises(ValueError, match=r"shape \(1, 3\) and target Y has shape \(1, 2\)"):
        LOSSES[name].numpy(np.full((1, 3), 0.5), np.array([[0.0, 1.0]]))
    with pytest.raises(ValueError, match=r"O has shape \(3,\).*O\[None, :\]"):
        LOSSES[name].numpy(np.full(3, 0.5), np.array([0.0, 0.0, 1.0]))


@pytest.mark.parametrize("name", NAMES)
def test_float_entries_are_refused(name: str) -> None:
    quarter = sp.Rational(1, 4)
    with pytest.raises(
        TypeError, match=r"target y = \[0, 1\.0\] has the float entry 1\.0.*sympy.Rational"
    ):
        LOSSES[name]([quarter, quarter], [0, 1.0])
    with pytest.raises(
        TypeError, match=r"output o = \[0\.25.*, 1/4\] has the float entry 0\.25.*sympy.Rational"
    ):
        LOSSES[name](sp.Matrix([0.25, quarter]), [0, 1])
    with pytest.raises(TypeError, match=r"NumPy array.*Loss\.numpy"):
        LOSSES[name](np.array([0.25, 0.25]), [0, 1])


def test_text_is_never_parsed() -> None:
    with pytest.raises(TypeError, match=r"entry 'x \+ 1' of type str"):
        LOSSES["l1"](["x + 1", 0], [0, 1])


def test_batch_target_not_one_hot() -> None:
    O = np.zeros((3, 3))
    Y = np.array([[0.0, 0.0, 1.0], [0.0, 1.0, 1.0], [1.0, 0.0, 0.0]])
    with pytest.raises(
        ValueError, match=r"target row 1 of Y, \[0\.0, 1\.0, 1\.0\], is not one-hot"
    ):
        LOSSES["log"].numpy(O, Y)
    with pytest.raises(ValueError, match="non-finite"):
        LOSSES["log"].numpy(np.full((1, 3), np.nan), np.array([[0.0, 0.0, 1.0]]))


def test_bce_needs_probabilities() -> None:
    bce = LOSSES["bce"]
    with pytest.raises(ValueError, match=r"output o = \[0, 1/2\] has the entry 0.*sigmoid"):
        bce([0, sp.S.Half], [0, 1])
    with pytest.raises(ValueError, match=r"target y = \[0, 2\] has the entry 2.*\[0, 1\]"):
        bce([sp.S.Half, sp.S.Half], [0, 2])
    with pytest.raises(ValueError, match=r"outside \(0, 1\).*sigmoid"):
        bce.numpy(np.array([[0.5, 1.0]]), np.array([[0.0, 1.0]]))
    with pytest.raises(ValueError, match=r"outside \[0, 1\]"):
        bce.numpy(np.array([[0.5, 0.5]]), np.array([[0.0, 1.5]]))
