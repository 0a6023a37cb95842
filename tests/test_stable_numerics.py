"""Float64 gradients at large logits: binary cross-entropy after a sigmoid, the softmax losses,
and exact comparisons of constants (Max/Min).

The oracle is the exact gradient: SymPy differentiates the exact form of the loss, and mpmath
evaluates the derivative at the float inputs with enough digits for 50 correct ones (checked
by 30 more).  Neither the compiled program nor the hand-written NumPy pass is used to make it.
"""

from __future__ import annotations

import itertools
import re
import time
from collections.abc import Callable
from functools import cache

import mpmath
import numpy as np
import pytest
import sympy as sp

from symdl.backpropagation.layer_rules import SOFTMAX_LOSSES
from symdl.backpropagation.numeric_check import check_gradients
from symdl.backpropagation.reverse_mode import backprop
from symdl.core import numeric
from symdl.core.exceptions import NotSupportedError
from symdl.core.losses import LOSSES, Loss
from symdl.core.network import Network
from symdl.core.special_functions import (
    LogSoftmaxEntry,
    SoftmaxEntry,
    exact_max,
    exact_sign,
)
from symdl.core.targets import Target

SMALLEST_NORMAL = float(np.finfo(float).tiny)  # 2.2e-308: below it float64 loses digits
MAGNITUDES = [10.0, 250.0, 355.0, 700.0]


# --- the oracle -----------------------------------------------------------------------------------


def _symbols(n: int) -> tuple[sp.Symbol, ...]:
    return sp.symbols(f"o1:{n + 1}", real=True)


@cache
def exact_gradient(name: str, target: tuple[sp.Expr, ...]) -> Callable[..., list[mpmath.mpf]]:
    """∂C/∂o (∂C/∂z for BCE of σ(z)) of the exact form, by sympy.diff, for mpmath.

    The maxima are rewritten as Piecewise before differentiating, so that every branch is
    decided by the comparison at the point itself (at 1000+ digits); the derivative of |u| is
    sign(u), 0 at u = 0, the kink convention of backpropagation.
    """
    n = len(target)
    o = _symbols(n)
    if name == "bce":  # after a sigmoid output layer: C(σ(z)), σ(z) = 1/(1 + e^{-z})
        outputs = sp.Matrix([1 / (1 + sp.exp(-v)) for v in o])
        cost = LOSSES[name].sympy_form(outputs, sp.Matrix(target))
    else:
        cost = LOSSES[name].sympy_form(sp.Matrix(o), sp.Matrix(target))
    cost = cost.replace(lambda e: isinstance(e, sp.Max), lambda e: e.rewrite(sp.Piecewise))
    derivatives = [sp.lambdify(o, sp.diff(cost, v), "mpmath") for v in o]
    return lambda *point: [d(*point) for d in derivatives]


def oracle(name: str, target: tuple[sp.Expr, ...], logits: list[float]) -> list[mpmath.mpf]:
    """The exact gradient at float logits, to 50 digits: e^{±2|o|} cancellations need
    about 4|o|/ln 10 more, and 30 digits more must change nothing."""
    return _oracle(name, target, tuple(logits))


@cache
def _oracle(name: str, target: tuple[sp.Expr, ...], logits: tuple[float, ...]) -> list[mpmath.mpf]:
    gradient = exact_gradient(name, target)
    digits = 50 + int(4 * max(abs(v) for v in logits) / np.log(10)) + 20
    point = [mpmath.mpf(v) for v in logits]  # float → mpf is exact
    with mpmath.workdps(digits):
        value = gradient(*point)
    with mpmath.workdps(digits + 30):
        finer = gradient(*point)
    for a, b in zip(value, finer, strict=True):
        assert abs(a - b) <= mpmath.mpf(10) ** -45 * max(abs(b), mpmath.mpf(10) ** -1500)
    return finer


def inaccurate_entries(got: list[float], exact: list[mpmath.mpf]) -> list[str]:
    """Entries off by more than 1e-9 relative (where the exact value is a normal float64) or
    by more than the smallest normal float (where it is not), or not finite."""
    bad = []
    for k, (g, e) in enumerate(zip(got, exact, strict=True)):
        if not np.isfinite(g):
            bad.append(f"entry {k}: {g!r}, exact {mpmath.nstr(e, 12)}")
        elif abs(e) >= SMALLEST_NORMAL:
            if abs(mpmath.mpf(g) - e) > 1e-9 * abs(e):
                bad.append(f"entry {k}: {g!r}, exact {mpmath.nstr(e, 17)}")
        elif abs(mpmath.mpf(g) - e) > SMALLEST_NORMAL:
            bad.append(f"entry {k}: {g!r}, exact {mpmath.nstr(e, 12)} (below the normal range)")
    return bad


def points(magnitude: float) -> list[list[float]]:
    """Every order of the logits (L, -L, 0): the true class on top, in the middle, at the
    bottom, with gaps of L and 2L."""
    return [list(p) for p in sorted(set(itertools.permutations([magnitude, -magnitude, 0.0])))]


def targets_of(loss: Loss, n: int) -> list[tuple[sp.Expr, ...]]:
    if loss.target is Target.ONE_HOT:
        return [tuple(sp.S.One if j == t else sp.S.Zero for j in range(n)) for t in range(n)]
    if loss.target is Target.PROBABILITY:  # y = 1 and y = 0 ask for σ(-z) and σ(z) near 0
        return [(sp.S.One, sp.S.Zero, sp.Rational(3, 10))]
    return [(sp.S.One, sp.S.Zero, sp.Rational(-3, 2))]


def _output_net(name: str) -> Network:
    # one input x = 1 and no hidden layer: ∂C/∂w_j = ∂C/∂b_j = ∂C/∂o_j at o = w (b = 0)
    return Network.mlp([1, 3], "sigmoid" if name == "bce" else "identity")


# --- 1. binary cross-entropy after a sigmoid: from the logits ---------------------------------


@pytest.mark.parametrize("z", [10.0, 36.0, 40.0, 100.0, 700.0, -36.0, -700.0])
def test_bce_after_a_sigmoid_passes_the_check_at_large_logits(z: float) -> None:
    net = Network.mlp([1, 1], "sigmoid")
    w, b = net.parameters
    result = check_gradients(net, LOSSES["bce"], X=[[1.0]], Y=[[0.3]], params={w: z, b: 0.0})
    # ∂C/∂w = ∂C/∂b = σ(z) - y at x = 1, by hand
    exact = float(1 / (1 + mpmath.exp(-z)) - mpmath.mpf("0.3"))
    np.testing.assert_allclose(result.numeric, [exact, exact], rtol=1e-14)
    np.testing.assert_allclose(result.symbolic, [exact, exact], rtol=1e-14)


@pytest.mark.parametrize("z", [36.0, 700.0, -700.0])
def test_bce_gradient_wrong_by_a_tenth_of_a_percent_still_fails(z: float) -> None:
    net = Network.mlp([1, 1], "sigmoid")
    w, b = net.parameters
    wrong = dict(backprop(net, LOSSES["bce"]).gradient)
    wrong[w] = wrong[w] * sp.Rational(1001, 1000)
    with pytest.raises(AssertionError, match=r"∂C/∂w\^\{\(1\)\}_\{11\}: the symbolic gradient"):
        check_gradients(
            net, LOSSES["bce"], gradient=wrong, X=[[1.0]], Y=[[0.3]], params={w: z, b: 0.0}
        )


def test_the_numeric_pass_and_the_loss_work_in_the_logits() -> None:
    # z = 800 (x = 1): σ(z) rounds to 1.  By hand: C = 0.25 softplus(-800) + 0.75 softplus(800)
    # = 600 + log1p(e^{-800}) = 600.0, ∂C/∂z = σ(800) - 0.25 = 0.75; for y = 1,
    # ∂C/∂z = σ(800) - 1 = -σ(-800) = -e^{-800}/(1 + e^{-800}), below the float range: 0
    net = Network.mlp([1, 1], "sigmoid", weights=[[[1]]], biases=[[0]])
    assert numeric.mean_loss(net, [[800.0]], [[0.25]], LOSSES["bce"]) == 600.0
    ((dW, db),) = numeric.backward(net, [[800.0]], [[0.25]], LOSSES["bce"])
    assert (dW.tolist(), db.tolist()) == ([[600.0]], [0.75])
    # z = -700, y = 0: ∂C/∂z = σ(-700) = e^{-700}/(1 + e^{-700}), a normal float
    ((dW, db),) = numeric.backward(net, [[-700.0]], [[0.0]], LOSSES["bce"])
    exact = mpmath.exp(-700) / (1 + mpmath.exp(-700))
    assert abs(db[0] - exact) <= 1e-14 * exact
    assert abs(dW[0, 0] + 700 * exact) <= 1e-14 * 700 * exact


def test_a_gradient_that_is_not_finite_in_float64_fails_naming_the_parameter() -> None:
    # the chain rule through σ written naively: (-y/σ + (1 - y)/(1 - σ)) σ(1 - σ) x is the
    # right function, but at z = 700 float64 gives inf · 0 = nan; that must not pass
    net = Network.mlp([1, 1], "sigmoid")
    w, b = net.parameters
    x, y = net.inputs[0], backprop(net, LOSSES["bce"]).targets[0]
    s = 1 / (1 + sp.exp(-(w * x + b)))
    naive = (-y / s + (1 - y) / (1 - s)) * s * (1 - s)
    with pytest.raises(
        AssertionError, match=r"∂C/∂w\^\{\(1\)\}_\{11\}: the symbolic gradient gives nan"
    ):
        check_gradients(
            net,
            LOSSES["bce"],
            gradient={w: naive * x, b: naive},
            X=[[1.0]],
            Y=[[0.3]],
            params={w: 700.0, b: 0.0},
        )


# --- 2. the compiled symbolic gradient of every loss, against the exact one ---------------------


@pytest.mark.parametrize("magnitude", MAGNITUDES)
@pytest.mark.parametrize("name", sorted(LOSSES))
def test_compiled_gradient_is_accurate_at_large_logits(name: str, magnitude: float) -> None:
    loss = LOSSES[name]
    gradient = backprop(_output_net(name), loss).numpy_gradient()
    failures = []
    for target in targets_of(loss, 3):
        for logits in points(magnitude):
            got = gradient([[1.0]], [[float(v) for v in target]], [*logits, 0.0, 0.0, 0.0])
            assert got[:3].tolist() == got[3:].tolist()  # ∂C/∂w_j = ∂C/∂b_j at x = 1
            bad = inaccurate_entries(got[:3].tolist(), oracle(name, target, logits))
            failures += [f"o={logits} y={list(target)}: {b}" for b in bad]
    assert failures == []


@pytest.mark.parametrize("magnitude", MAGNITUDES)
@pytest.mark.parametrize("name", sorted(SOFTMAX_LOSSES))
def test_independent_loss_gradient_is_accurate_at_large_logits(name: str, magnitude: float) -> None:
    loss = LOSSES[name]
    failures = []
    for target in targets_of(loss, 3):
        O = np.array(points(magnitude))
        Y = np.tile([float(v) for v in target], (len(O), 1))
        G = numeric.loss_gradient(loss, O, Y)
        for logits, got in zip(O.tolist(), G.tolist(), strict=True):
            bad = inaccurate_entries(got, oracle(name, target, logits))
            failures += [f"o={logits} y={list(target)}: {b}" for b in bad]
    assert failures == []


@pytest.mark.parametrize("name", sorted(SOFTMAX_LOSSES))
def test_three_gradients_agree_at_logits_700_and_a_wrong_one_fails(name: str) -> None:
    net = _output_net(name)
    params = dict(zip(net.parameters, [700.0, -700.0, 0.0, 0.0, 0.0, 0.0], strict=True))
    bp = backprop(net, LOSSES[name])
    wrong_ones = 0
    for t in range(3):
        Y = np.eye(3)[[t]]
        # the bounded losses saturate: their gradient is of order e^{-700} here, below the
        # default atol; atol=1e-320 compares it relatively too
        for atol in (1e-10, 1e-320):
            result = check_gradients(net, LOSSES[name], X=[[1.0]], Y=Y, params=params, atol=atol)
            assert result.worst_error < 1e-9
        largest = int(np.argmax(np.abs(result.numeric)))
        if result.numeric[largest] == 0:  # true class on top: the gradient is e^{-1400}, 0.0
            continue
        wrong_ones += 1
        parameter = net.parameters[largest]
        wrong = dict(bp.gradient)
        wrong[parameter] = wrong[parameter] * sp.Rational(1001, 1000)  # off by 0.1%
        with pytest.raises(AssertionError, match=re.escape(f"∂C/∂{parameter}: the symbolic")):
            check_gradients(
                net, LOSSES[name], gradient=wrong, X=[[1.0]], Y=Y, params=params, atol=1e-320
            )
    assert wrong_ones >= 1


def test_softmax_layer_compiles_without_overflow() -> None:
    # softmax output layer and MSE at logits (800, -800, 0): e^{800} overflows in the naive
    # e^{z_j}/Σ e^{z_k}.  Exact gradient by hand: p = (1, 0, 0) to within e^{-800}, so
    # ∂C/∂p = 2(p - y)/3 = (2/3, 0, 0) for y = 0 and δ = p ⊙ (g - g·p) vanishes to e^{-800}
    net = Network.mlp([1, 3], "softmax")
    gradient = backprop(net, LOSSES["mse"]).numpy_gradient()
    got = gradient([[1.0]], [[0.0, 0.0, 0.0]], [800.0, -800.0, 0.0, 0.0, 0.0, 0.0])
    assert np.all(np.isfinite(got))
    assert np.all(np.abs(got) < SMALLEST_NORMAL)
    X, Y = np.array([[1.0]]), np.array([[0.0, 1.0, 0.0]])
    theta = [3.0, -2.0, 0.5, 0.0, 0.0, 0.0]
    by_pass = numeric.parameter_gradient(
        net, X, Y, LOSSES["mse"], dict(zip(net.parameters, theta, strict=True))
    )
    np.testing.assert_allclose(
        gradient(X, Y, theta), [by_pass[p] for p in net.parameters], rtol=1e-12
    )


def test_the_softmax_entries_are_computed_once_per_example() -> None:
    # ten classes: the Tanimoto gradient has O(n^3) terms in p, log p and 1 - p, each entry
    # a log-sum-exp over the n logits; computed once each, 10,000 examples take milliseconds
    net = Network.mlp([2, 10], "identity")
    gradient = backprop(net, LOSSES["tanimoto"]).numpy_gradient()
    rng = np.random.default_rng(0)
    X, Y = rng.normal(size=(10_000, 2)), np.eye(10)[rng.integers(0, 10, 10_000)]
    theta = rng.normal(size=len(net.parameters))
    start = time.perf_counter()
    values = gradient(X, Y, theta)
    assert time.perf_counter() - start < 2.0
    by_pass = numeric.parameter_gradient(
        net, X, Y, LOSSES["tanimoto"], dict(zip(net.parameters, theta, strict=True))
    )
    np.testing.assert_allclose(values, [by_pass[p] for p in net.parameters], rtol=1e-9, atol=1e-15)


def test_softmax_losses_need_one_hot_targets_in_float64_too() -> None:
    gradient = backprop(Network.mlp([1, 3], "identity"), LOSSES["tanimoto"]).numpy_gradient()
    with pytest.raises(
        ValueError, match=r"target row 0 of Y, \[0\.5, 0\.5, 0\.0\], is not one-hot"
    ):
        gradient([[1.0]], [[0.5, 0.5, 0.0]], np.zeros(6))
    with pytest.raises(ValueError, match="is not one-hot"):
        numeric.loss_gradient(LOSSES["log"], [[0.0, 1.0]], [[0.5, 0.5]])


# --- 3. the logit-space gradients and the named softmax functions -------------------------------


@pytest.mark.parametrize("name", sorted(SOFTMAX_LOSSES))
@pytest.mark.parametrize("n", [2, 4])
def test_logit_gradient_is_the_exact_gradient(name: str, n: int) -> None:
    # other sizes than the compiled test's 3, including n = 2 where Chebyshev's maximum is a tie
    loss = LOSSES[name]
    o = _symbols(n)
    rng = np.random.default_rng(n)
    for target in targets_of(loss, n):
        form = sp.lambdify(o, list(loss.logit_gradient(list(o), list(target))), "numpy")
        for logits in [rng.uniform(-4.0, 4.0, n).tolist(), [300.0, -300.0, 0.0, 5.0][:n]]:
            got = [float(v) for v in form(*logits)]
            assert inaccurate_entries(got, oracle(name, target, logits)) == []


def test_logit_gradient_of_a_symbolic_target_sums_over_the_classes() -> None:
    a, b = sp.symbols("a b", real=True)
    y1, y2 = sp.symbols("y1 y2", real=True)
    g = LOSSES["log"].logit_gradient([a, b], [y1, y2])
    p1, p2 = SoftmaxEntry(1, a, b), SoftmaxEntry(2, a, b)
    # class 1: (-p_2, p_2); class 2: (p_1, -p_1)
    assert sp.expand(g[0] - (-y1 * p2 + y2 * p1)) == 0
    assert sp.expand(g[1] - (y1 * p2 - y2 * p1)) == 0
    with pytest.raises(NotSupportedError, match="'mse' does not apply the softmax"):
        LOSSES["mse"].logit_gradient([a, b], [0, 1])
    # in other expressions for p, log p and 1 - p (symbols of a program, say)
    P, L, Q = sp.symbols("P1 P2"), sp.symbols("L1 L2"), sp.symbols("Q1 Q2")
    assert list(LOSSES["squared_log"].logit_gradient([a, b], [0, 1], entries=(P, L, Q))) == [
        -2 * L[1] * P[0],
        2 * L[1] * Q[1],
    ]
    with pytest.raises(ValueError, match="entries give 2, 2 and 1 expressions for 2 logits"):
        LOSSES["log"].logit_gradient([a, b], [0, 1], entries=(P, L, Q[:1]))


def test_softmax_entries_are_the_softmax() -> None:
    a, b, c = sp.symbols("a b c", real=True)
    p, log_p = SoftmaxEntry(2, a, b, c), LogSoftmaxEntry(2, a, b, c)
    exact = sp.exp(b) / (sp.exp(a) + sp.exp(b) + sp.exp(c))
    assert sp.simplify(p.rewrite(sp.exp) - exact) == 0
    for v in (a, b, c):  # the derivatives without a difference 1 - p, against the exact ones
        assert sp.simplify(p.diff(v).rewrite(sp.exp) - exact.diff(v)) == 0
        assert sp.simplify(log_p.diff(v).rewrite(sp.exp) - sp.log(exact).diff(v)) == 0
    assert p.is_positive
    assert log_p.is_negative
    assert SoftmaxEntry(1, a) == 1
    assert LogSoftmaxEntry(1, a) == 0
    assert sp.latex(p) == r"\operatorname{softmax}\left(a, b, c\right)_{2}"
    with pytest.raises(ValueError, match="the index j = 4 must be an integer from 1 to 3"):
        SoftmaxEntry(4, a, b, c)
    # float64: e^{-1000} underflows, 1 - 1e-300 rounds to 1, nothing overflows
    f = sp.lambdify([a, b, c], [p, log_p], "numpy")
    assert [float(v) for v in f(0.0, 1000.0, -1000.0)] == [1.0, -float(mpmath.exp(-1000))]
    assert [float(v) for v in f(1000.0, 0.0, -1000.0)] == [0.0, -1000.0]


# --- 4. exact comparisons: Max and Min of constants ---------------------------------------------


@pytest.mark.parametrize("magnitude", [300, 700])
@pytest.mark.parametrize("t", [0, 1, 2])
def test_chebyshev_of_exact_extreme_logits_is_decided(magnitude: int, t: int) -> None:
    # p = (e^L, e^{-L}, 1)/S: by hand the maximum of |p_j - y_j| is 1 - p_t = Σ_{j≠t} p_j
    o = [magnitude, -magnitude, 0]
    y = [1 if j == t else 0 for j in range(3)]
    S = sp.exp(magnitude) + sp.exp(-magnitude) + 1
    p = [sp.exp(v) / S for v in o]
    expected = sp.Add(*[p[j] for j in range(3) if j != t])
    value = LOSSES["chebyshev"](sp.Matrix(o), sp.Matrix(y))
    assert not value.has(sp.Max)
    assert exact_sign(value - expected) == 0


def test_hinge_of_exact_values_that_agree_to_130_digits_is_decided() -> None:
    # o_1 = e^300/(1 + e^300) - 1/2: the piece 1/2 - o_1 = 1/(1 + e^300) > 0, which SymPy's Max
    # cannot compare at two digits
    o = [sp.exp(300) / (1 + sp.exp(300)) - sp.S.Half, 0]
    value = LOSSES["hinge"](o, [1, 0])
    assert exact_sign(value - (sp.S.Half + 1 / (1 + sp.exp(300)))) == 0
    squared = LOSSES["squared_hinge"](o, [1, 0])
    assert exact_sign(squared - (sp.Rational(1, 4) + 1 / (1 + sp.exp(300)) ** 2)) == 0


def test_exact_sign_and_exact_max() -> None:
    S = sp.exp(700) + sp.exp(-700) + 1
    tiny = 1 - sp.exp(700) / S  # (1 + e^{-700})/S ≈ e^{-700}
    assert (exact_sign(tiny), exact_sign(-tiny), exact_sign(tiny - 1 / S)) == (1, -1, 1)
    assert exact_sign(sp.log(6) - sp.log(2) - sp.log(3)) == 0
    assert exact_sign(sp.Symbol("x", positive=True)) == 1
    assert exact_sign(sp.Symbol("x", real=True)) is None
    with pytest.raises(ValueError, match="is not a real number"):
        exact_sign(1 + sp.I * sp.pi)
    # a tie keeps the first of the equal arguments; a symbol is left to Max
    assert exact_max(sp.log(6), sp.log(2) + sp.log(3), 1) == sp.log(6)
    x = sp.Symbol("x", real=True)
    assert exact_max(tiny, 1 / S, x) == sp.Max(tiny, x, evaluate=False)
    with pytest.raises(ValueError, match="needs at least one argument"):
        exact_max()


def test_exact_max_leaves_an_undecided_comparison_unevaluated(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import symdl.core.special_functions as special

    monkeypatch.setattr(special, "exact_sign", lambda value: None)
    a, b = sp.sqrt(2), sp.sqrt(3)
    value = special.exact_max(a, b)
    assert isinstance(value, sp.Max)
    assert set(value.args) == {a, b}


def test_bce_takes_an_exact_sigmoid_output_that_rounds_to_one() -> None:
    # σ(700) = 1/(1 + e^{-700}) < 1 by e^{-700}; SymPy alone cannot decide 1/(1 + e^{-700}) < 1
    s = 1 / (1 + sp.exp(-700))
    value = LOSSES["bce"]([s], [sp.Rational(3, 10)])
    # by hand: -(3/10) log σ(700) - (7/10) log(1 - σ(700)) = (3/10) log(1 + e^{-700}) + (7/10)
    # (700 + log(1 + e^{-700})) = 490 + log(1 + e^{-700})
    assert exact_sign(value - 490 - sp.log(1 + sp.exp(-700))) == 0
    with pytest.raises(ValueError, match="probabilities in"):
        LOSSES["bce"]([1 + sp.exp(-700)], [sp.Rational(3, 10)])
    with pytest.raises(ValueError, match="accepted: entries in"):
        LOSSES["bce"]([sp.S.Half], [1 + sp.exp(-700)])
