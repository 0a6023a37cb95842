"""Batch normalization: the forward map, Ioffe & Szegedy's backward pass, and what the
normalisation removes.

Oracles independent of the code under test: values worked out by hand, ``sympy.diff`` of a
forward map written here, central finite differences of a NumPy forward pass written here, and
mpmath's numerical derivative at 50 digits of an mpmath forward pass written here.
"""

from __future__ import annotations

import dataclasses
from fractions import Fraction

import mpmath
import numpy as np
import pytest
import sympy as sp

from symdl.architectures import batch_norm as batch_norm_module
from symdl.architectures.batch_norm import (
    BETA,
    EPSILON,
    GAMMA,
    MAX_BATCH,
    MAX_VERIFIED_BATCH,
    BatchNormBackward,
    batch_norm_backward,
    batch_norm_forward,
    batch_norm_input_gradient,
    upstream_symbols,
    verify_batch_norm_backward,
    verify_graph_batch_norm,
)
from symdl.core.layers import input_symbols

R = sp.Rational


# --- the forward map --------------------------------------------------------------------------


def test_the_forward_map_by_hand() -> None:
    bn = batch_norm_forward([1, 3], gamma=2, beta=5, eps=R(1, 100))
    # μ = 2, σ² = ((1-2)² + (3-2)²)/2 = 1 (divided by m, not m - 1), x̂ = ∓1/√(101/100)
    assert bn.mean == 2
    assert bn.variance == 1
    assert bn.normalised == (-10 / sp.sqrt(101), 10 / sp.sqrt(101))
    assert bn.outputs == (5 - 20 / sp.sqrt(101), 5 + 20 / sp.sqrt(101))
    three = batch_norm_forward([0, 0, 3], gamma=1, beta=0, eps=1)
    assert (three.mean, three.variance) == (1, 2)  # (1 + 1 + 4)/3
    assert three.normalised[2] == 2 / sp.sqrt(3)


def test_the_outputs_have_mean_beta_and_the_normalised_batch_unit_variance_up_to_eps() -> None:
    bn = batch_norm_forward(input_symbols(4))
    assert sp.simplify(sp.Add(*bn.normalised)) == 0
    # Σ x̂² / m = σ²/(σ² + ε)
    second = sp.Add(*(h**2 for h in bn.normalised)) / 4
    assert sp.simplify(second - bn.variance / (bn.variance + EPSILON)) == 0
    assert sp.simplify(sp.Add(*bn.outputs) / 4 - BETA) == 0


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda: batch_norm_forward([1]), ValueError, r"m=1: batch normalization needs m ≥ 2"),
        (lambda: batch_norm_forward([]), ValueError, "m=0"),
        (lambda: batch_norm_forward([1, 2], eps=0), ValueError, "eps=0 must be positive"),
        (lambda: batch_norm_forward([1, 2], eps=-1), ValueError, "eps=-1"),
        (lambda: batch_norm_forward([0.5, 1]), TypeError, "float"),
        (lambda: batch_norm_forward([1, 2], eps=1e-5), TypeError, "float"),
        (lambda: batch_norm_forward([1, 2], gamma=0.5), TypeError, "float"),
        (lambda: batch_norm_forward(sp.Symbol("x")), TypeError, "sequence"),
        (lambda: batch_norm_forward(list(range(MAX_BATCH + 1))), ValueError, "MAX_BATCH"),
        (lambda: batch_norm_backward([1, 2], [1]), ValueError, "upstream has 1 entries"),
        (lambda: verify_batch_norm_backward(1), ValueError, "m ≥ 2"),
        (
            lambda: verify_batch_norm_backward(MAX_VERIFIED_BATCH + 1),
            ValueError,
            "MAX_VERIFIED_BATCH",
        ),
        (lambda: upstream_symbols(True), TypeError, "int"),
    ],
)
def test_bad_input_is_refused_with_a_clear_error(
    call: object, error: type[Exception], match: str
) -> None:
    with pytest.raises(error, match=match):
        call()  # type: ignore[operator]


# --- the backward pass ------------------------------------------------------------------------


def test_the_backward_pass_by_hand() -> None:
    back = batch_norm_backward([0, 2], [1, 0], gamma=1, eps=R(1, 100))
    # μ = 1, σ² = 1, s = √101/10, x̂ = ∓10/√101; ∂ℓ/∂x_i = (1/(2s))(2 g_i - 1 - x̂_i x̂_1)
    s = sp.sqrt(101) / 10
    x_hat = (-10 / sp.sqrt(101), 10 / sp.sqrt(101))
    for i, g in enumerate((1, 0)):
        hand = (2 * g - 1 - x_hat[i] * x_hat[0]) / (2 * s)
        assert sp.radsimp(back.inputs[i] - hand) == 0
    assert back.gamma == x_hat[0]
    assert back.beta == 1
    assert back.normalised == (1, 0)


@pytest.mark.parametrize("m", [2, 3, 4])
def test_the_textbook_backward_pass_is_the_derivative_of_the_forward_map(m: int) -> None:
    check = verify_batch_norm_backward(m)
    assert check.holds, str(check)
    assert len(check.facts) == 9


@pytest.mark.slow
def test_the_textbook_backward_pass_for_a_batch_of_five() -> None:
    assert verify_batch_norm_backward(5).holds


def _wrong(change: str) -> object:
    def backward(inputs, upstream, **options):  # type: ignore[no-untyped-def]
        right = batch_norm_backward(inputs, upstream, **options)
        f, m = right.forward, right.forward.m
        if change == "unbiased variance":  # σ² divided by m - 1 in the input gradient
            scale = sp.sqrt((f.variance + f.eps) / (f.variance * m / (m - 1) + f.eps))
            return dataclasses.replace(right, inputs=tuple(d * scale for d in right.inputs))
        if change == "no variance path":  # ∂ℓ/∂x_i without the ∂ℓ/∂σ² term
            inputs = tuple(d / f.root + right.mean / m for d in right.normalised)
            return dataclasses.replace(right, inputs=inputs)
        if change == "gamma gradient without x̂":
            return dataclasses.replace(right, gamma=right.beta)
        raise AssertionError(change)

    return backward


@pytest.mark.parametrize(
    ("change", "broken"),
    [
        ("unbiased variance", "∂ℓ/∂x_i (sympy.diff of the forward map)"),
        ("no variance path", "∂ℓ/∂x_i (sympy.diff of the forward map)"),
        ("gamma gradient without x̂", "∂ℓ/∂γ (sympy.diff)"),
    ],
)
def test_a_wrong_backward_pass_fails_the_check(change: str, broken: str) -> None:
    check = verify_batch_norm_backward(3, backward=_wrong(change))  # type: ignore[arg-type]
    assert not check.holds
    assert not check.facts[broken]
    assert "✗" in str(check)


def test_the_compact_form_and_the_two_directions() -> None:
    m = 4
    xs, g = input_symbols(m), upstream_symbols(m)
    back = batch_norm_backward(xs, g)
    compact = batch_norm_input_gradient(xs, g)
    x_hat = back.forward.normalised
    # at a rational point (exact algebraic numbers): the textbook and compact forms agree, the
    # gradient sums to 0, and its component along x - μ is γ ε/(σ² + ε) Σ g x̂ (by hand from
    # the compact form: Σ x̂ = 0, Σ x̂² = m σ²/(σ² + ε))
    point = dict(zip(xs, [R(1, 3), -2, R(5, 7), 1], strict=True))
    point.update(zip(g, [R(1, 2), 3, R(-2, 5), 1], strict=True))
    point.update({GAMMA: R(3, 2), EPSILON: R(1, 10)})
    mu, var = back.forward.mean.subs(point), back.forward.variance.subs(point)
    dx = [d.subs(point) for d in back.inputs]
    for d, c in zip(dx, compact, strict=True):
        assert sp.radsimp(d - c.subs(point)) == 0
    assert sp.radsimp(sp.Add(*dx)) == 0
    along = sp.Add(*(d * (x.subs(point) - mu) for d, x in zip(dx, xs, strict=True)))
    projection = sp.Add(*(gi * h for gi, h in zip(g, x_hat, strict=True))).subs(point)
    expected = R(3, 2) * R(1, 10) / (var + R(1, 10)) * projection
    assert sp.radsimp(along - expected) == 0
    assert sp.radsimp(along) != 0  # with ε > 0 the scale direction is not removed


def test_with_exact_parameters_the_gradients_are_numbers() -> None:
    back = batch_norm_backward([1, 2, 4], [1, -1, 2], gamma=R(1, 2), beta=7, eps=R(1, 1000))
    assert all(d.free_symbols == set() for d in back.inputs)
    assert back.beta == 2


# --- numbers: NumPy finite differences and mpmath at 50 digits ---------------------------------


def _numpy_loss(x: np.ndarray, g: np.ndarray, gamma: float, beta: float, eps: float) -> float:
    mu = x.mean()
    var = ((x - mu) ** 2).mean()
    y = gamma * (x - mu) / np.sqrt(var + eps) + beta
    return float(g @ y)


def _at(expr: sp.Expr, point: dict) -> float:
    return float(expr.subs(point).evalf(30))


@pytest.mark.parametrize("m", [2, 3, 5])
def test_the_backward_pass_matches_numpy_finite_differences(
    m: int, rng: np.random.Generator
) -> None:
    xs, g = input_symbols(m), upstream_symbols(m)
    back = batch_norm_backward(xs, g)
    x_values = [Fraction(int(v), 64) for v in rng.integers(-128, 128, m)]
    g_values = [Fraction(int(v), 16) for v in rng.integers(-32, 32, m)]
    gamma, beta, eps = Fraction(3, 2), Fraction(-1, 4), Fraction(1, 20)
    point = dict(zip(xs, map(sp.Rational, x_values), strict=True))
    point.update(zip(g, map(sp.Rational, g_values), strict=True))
    point.update({GAMMA: sp.Rational(gamma), BETA: sp.Rational(beta), EPSILON: sp.Rational(eps)})
    x0 = np.array([float(v) for v in x_values])
    gv = np.array([float(v) for v in g_values])
    h = 1e-6

    def loss(x: np.ndarray, gam: float = float(gamma), bet: float = float(beta)) -> float:
        return _numpy_loss(x, gv, gam, bet, float(eps))

    for i in range(m):
        e = np.zeros(m)
        e[i] = h
        numeric = (loss(x0 + e) - loss(x0 - e)) / (2 * h)
        assert abs(numeric - _at(back.inputs[i], point)) < 1e-6
    d_gamma = (loss(x0, float(gamma) + h) - loss(x0, float(gamma) - h)) / (2 * h)
    d_beta = (loss(x0, bet=float(beta) + h) - loss(x0, bet=float(beta) - h)) / (2 * h)
    assert abs(d_gamma - _at(back.gamma, point)) < 1e-6
    assert abs(d_beta - _at(back.beta, point)) < 1e-6
    # a derivative wrong by 0.1% fails this check
    largest = max(range(m), key=lambda i: abs(_at(back.inputs[i], point)))
    e = np.zeros(m)
    e[largest] = h
    numeric = (loss(x0 + e) - loss(x0 - e)) / (2 * h)
    assert abs(numeric - 1.001 * _at(back.inputs[largest], point)) > 1e-6


def test_the_backward_pass_matches_mpmath_at_fifty_digits(rng: np.random.Generator) -> None:
    m = 4
    xs, g = input_symbols(m), upstream_symbols(m)
    back = batch_norm_backward(xs, g)
    x_values = [sp.Rational(int(v), 97) for v in rng.integers(-200, 200, m)]
    g_values = [sp.Rational(int(v), 13) for v in rng.integers(-40, 40, m)]
    gamma, beta, eps = sp.Rational(7, 5), sp.Rational(1, 3), sp.Rational(1, 100000)
    point = dict(zip(xs, x_values, strict=True))
    point.update(zip(g, g_values, strict=True))
    point.update({GAMMA: gamma, BETA: beta, EPSILON: eps})
    with mpmath.workdps(50):

        def mp(v: sp.Rational) -> mpmath.mpf:
            return mpmath.mpf(int(v.p)) / int(v.q)

        x0, gv = [mp(v) for v in x_values], [mp(v) for v in g_values]

        def loss(x: list, gam: mpmath.mpf | None = None) -> mpmath.mpf:
            gam = mp(gamma) if gam is None else gam
            mu = mpmath.fsum(x) / m
            var = mpmath.fsum((v - mu) ** 2 for v in x) / m
            root = mpmath.sqrt(var + mp(eps))
            return mpmath.fsum(
                gi * (gam * (v - mu) / root + mp(beta)) for gi, v in zip(gv, x, strict=True)
            )

        for i in range(m):

            def along(t: mpmath.mpf, i: int = i) -> mpmath.mpf:
                return loss([v + t if k == i else v for k, v in enumerate(x0)])

            numeric = mpmath.diff(along, 0)
            exact = mpmath.mpf(str(back.inputs[i].subs(point).evalf(60)))
            assert abs(numeric - exact) < mpmath.mpf(10) ** -40
        numeric_gamma = mpmath.diff(lambda t: loss(x0, mp(gamma) + t), 0)
        exact_gamma = mpmath.mpf(str(back.gamma.subs(point).evalf(60)))
        assert abs(numeric_gamma - exact_gamma) < mpmath.mpf(10) ** -40


def test_the_result_objects_are_frozen() -> None:
    back = batch_norm_backward([1, 2], [1, 1])
    assert isinstance(back, BatchNormBackward)
    with pytest.raises(dataclasses.FrozenInstanceError):
        back.beta = 0  # type: ignore[misc]


# --- the graph's own backpropagation on a BatchNorm node ---------------------------------------


@pytest.mark.parametrize("m", [2, 3, 4])
def test_graph_backprop_through_a_batch_norm_node_is_the_textbook_pass(m: int) -> None:
    check = verify_graph_batch_norm(m)
    assert check.holds, str(check)
    assert len(check.facts) == 3


def test_the_graph_check_catches_a_wrong_textbook_pass(monkeypatch: pytest.MonkeyPatch) -> None:
    right = batch_norm_module.batch_norm_backward

    def off_by_a_thousandth(*args, **options):  # type: ignore[no-untyped-def]
        back = right(*args, **options)
        return dataclasses.replace(back, inputs=tuple(R(1001, 1000) * d for d in back.inputs))

    monkeypatch.setattr(batch_norm_module, "batch_norm_backward", off_by_a_thousandth)
    check = verify_graph_batch_norm(2, eps=R(1, 10))
    assert not check.facts["∂C/∂x_i: graph backprop = textbook"]
    assert check.facts["∂C/∂γ: graph backprop = textbook"]
