"""Symbolic backpropagation: errors, gradients, verification, derivation, bad input."""

from __future__ import annotations

import dataclasses
import re
import time

import numpy as np
import pytest
import sympy as sp

from symdl.backpropagation.layer_rules import (
    TiesToFirst,
    convention_derivative,
    with_ties_to_first,
)
from symdl.backpropagation.numeric_check import check_gradients
from symdl.backpropagation.reverse_mode import (
    SOFTMAX_LOSSES,
    activation_symbol,
    applies_softmax,
    backprop,
    error_symbol,
    pre_activation_symbol,
    target_symbols,
)
from symdl.backpropagation.straight_line import StraightLineProgram
from symdl.core import numeric
from symdl.core.activations import ACTIVATIONS, Kink, get_activation, relu
from symdl.core.exceptions import NotSupportedError
from symdl.core.losses import LOSSES, softmax
from symdl.core.network import (
    Dense,
    Maxout,
    Network,
    SoftmaxLayer,
    bias_symbol,
    symbolic_bias,
    symbolic_matrix,
    weight_symbol,
)
from symdl.referee.constants import distinct_subexpressions
from symdl.referee.verdict import DecisionMethod

RELU_NET = Network.mlp(
    [2, 2, 1],
    ["relu", "identity"],
    weights=[[[1, -1], [2, 1]], [[1, 1]]],
    biases=[[0, -1], [0]],
)


def _at(expr: sp.Expr, values: dict[sp.Symbol, sp.Expr]) -> sp.Expr:
    return sp.nsimplify(expr.xreplace(values))


def test_errors_of_a_relu_network_match_a_hand_computation() -> None:
    # x = (3, 1): z1 = (2, 6), a1 = (2, 6), z2 = a2 = 8; C = (8 - y)^2 with y = 5
    # δ2 = 2 (8 - 5) = 6, δ1 = (Wᵀ δ2) ⊙ H(z1) = (6, 6)
    bp = backprop(RELU_NET, LOSSES["l2"])
    x1, x2 = RELU_NET.inputs
    (y,) = bp.targets
    point = {x1: sp.Integer(3), x2: sp.Integer(1), y: sp.Integer(5)}
    assert _at(bp.delta(2, 1, expanded=True), point) == 6
    assert [_at(bp.delta(1, j, expanded=True), point) for j in (1, 2)] == [6, 6]


def test_relu_kink_follows_the_registry_convention() -> None:
    # x = (1, 1) makes z^(1)_1 = 0 exactly: ReLU'(0) = 0 by default, 1/2 on request
    x1, x2 = RELU_NET.inputs
    for kink, expected in ((Kink.ZERO, 0), (Kink.HALF, sp.S.Half)):
        layers = list(RELU_NET.layers)
        first = layers[0]
        assert isinstance(first, Dense)
        layers[0] = Dense(first.W, first.b, relu(at_zero=kink))
        bp = backprop(Network(layers), LOSSES["l2"])
        point = {x1: sp.Integer(1), x2: sp.Integer(1), bp.targets[0]: sp.Integer(0)}
        # z1 = (0, 2), a1 = (0, 2), z2 = 2, δ2 = 2 (2 - 0) = 4, so δ^(1)_1 = 4 ReLU'(0)
        assert _at(bp.delta(1, 1, expanded=True), point) == 4 * expected
    assert any("ReLU'(0) = 0" in note for note in backprop(RELU_NET, LOSSES["l2"]).conventions())


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_gradient_equals_sympy_diff_of_the_composed_loss(name: str) -> None:
    net = Network.mlp([2, 2, 1], [name, "sigmoid"])
    loss = LOSSES["mse"]
    bp = backprop(net, loss)
    cost = loss(net.forward(), sp.Matrix(bp.targets))
    values = {
        s: sp.Rational(k % 7 - 3, 5) + sp.Rational(1, 17)
        for k, s in enumerate([*net.inputs, *bp.targets, *net.parameters])
    }
    exact = bp.program.evaluate(values)
    for parameter, ours in zip(net.parameters, exact, strict=True):
        true = sp.diff(cost, parameter).xreplace(values)
        assert abs(sp.N(ours - true, 30)) < 1e-25, (name, parameter)


def test_errors_are_kept_as_a_dag_not_a_tree() -> None:
    net = Network.mlp([2, 3, 3, 1], "sigmoid")
    bp = backprop(net, LOSSES["mse"])
    # BP2: δ^(1)_1 is written in the errors of layer 2 and a^(1)_1, not in the inputs
    delta = bp.delta(1, 1)
    assert delta.free_symbols == {
        error_symbol(2, 1),
        error_symbol(2, 2),
        error_symbol(2, 3),
        activation_symbol(1, 1),
        weight_symbol(2, 1, 1),
        weight_symbol(2, 2, 1),
        weight_symbol(2, 3, 1),
    }
    assert bp.gradient[weight_symbol(1, 2, 1)] == error_symbol(1, 2) * net.inputs[0]
    assert bp.gradient[bias_symbol(3, 1)] == error_symbol(3, 1)
    assert bp.definitions[pre_activation_symbol(2, 1)].has(activation_symbol(1, 3))


def test_weight_and_bias_gradients_in_matrix_form() -> None:
    bp = backprop(Network.mlp([2, 3, 1], ["tanh", "identity"]), LOSSES["l2"])
    delta = bp.bias_gradient(2)
    assert delta == sp.Matrix([error_symbol(2, 1)])
    assert bp.weight_gradient(2) == delta * sp.Matrix(
        [[activation_symbol(1, j) for j in (1, 2, 3)]]
    )
    for l in (1, 2):
        W = bp.network.layers[l - 1].W
        G = bp.weight_gradient(l)
        assert all(bp.gradient[W[j, k]] == G[j, k] for j in range(W.rows) for k in range(W.cols))


def test_operation_count_is_a_small_multiple_of_the_forward_pass() -> None:
    bp = backprop(Network.mlp([6, 6, 6, 6, 1], "sigmoid"), LOSSES["mse"])
    ratio = bp.operation_count() / bp.forward_operation_count()
    assert 1 < ratio <= 5


def test_loss_given_as_an_expression_and_custom_targets() -> None:
    net = Network.mlp([1, 1], "identity")
    t = sp.Symbol("t", real=True)
    o = activation_symbol(1, 1)
    bp = backprop(net, (o - t) ** 4, targets=[t])
    w, b = net.parameters
    (x,) = net.inputs
    assert sp.expand(bp.partial(w, expanded=True) - 4 * (w * x + b - t) ** 3 * x) == 0


def test_shared_weights_sum_over_their_entries() -> None:
    # a 1-D convolution with kernel (u, v) over three inputs: both outputs share u and v
    u, v = sp.symbols("u v", real=True)
    W = sp.Matrix([[u, v, 0], [0, u, v]])
    conv = Dense(W, sp.zeros(2, 1), ACTIVATIONS["identity"])
    net = Network([conv, Dense(sp.Matrix([[1, 1]]), sp.zeros(1, 1), ACTIVATIONS["identity"])])
    bp = backprop(net, LOSSES["l2"])
    x1, x2, x3 = net.inputs
    (y,) = bp.targets
    out = u * x1 + v * x2 + u * x2 + v * x3
    assert sp.expand(bp.partial(u, expanded=True) - 2 * (out - y) * (x1 + x2)) == 0


def test_rational_network_has_exact_errors_and_no_parameters() -> None:
    bp = backprop(RELU_NET, LOSSES["mse"])
    assert bp.parameters == ()
    assert bp.gradient == {}
    assert bp.delta(2, 1, expanded=True).free_symbols <= {*RELU_NET.inputs, *bp.targets}


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_verify_holds_over_the_registry(name: str) -> None:
    report = backprop(Network.mlp([2, 2, 2], [name, "sigmoid"]), LOSSES["l2"]).verify()
    assert report.holds, str(report)
    assert len(report.checks) == 4
    assert [(c.layer, c.neuron) for c in report.checks] == [(1, 1), (1, 2), (2, 1), (2, 2)]


def test_verify_softmax_and_maxout_layers() -> None:
    net = Network.mlp([2, 2, 3], ["tanh", "softmax"])
    assert backprop(net, LOSSES["l2"]).verify().holds
    maxout = Maxout(
        tuple(symbolic_matrix(2, 2, 1, piece=p) for p in (1, 2)),
        tuple(symbolic_bias(2, 1, piece=p) for p in (1, 2)),
    )
    head = Dense(symbolic_matrix(1, 2, 2), symbolic_bias(1, 2), ACTIVATIONS["sigmoid"])
    report = backprop(Network([maxout, head]), LOSSES["mse"]).verify()
    assert report.holds
    assert [c.piece for c in report.checks] == [1, 2, 1, 2, None]
    assert any("maxout" in note for note in report.conventions)


def test_verify_exact_for_smooth_networks() -> None:
    report = backprop(Network.mlp([2, 2, 1], ["sigmoid", "tanh"]), LOSSES["mse"]).verify()
    assert {c.method for c in report.checks} == {DecisionMethod.SYMBOLIC}


def test_verify_catches_a_wrong_error() -> None:
    # test the tester: replace δ^(1)_2 by a wrong definition (a factor 1001/1000)
    bp = backprop(Network.mlp([2, 2, 1], ["relu", "identity"]), LOSSES["l2"])
    wrong = error_symbol(1, 2)
    definitions = tuple(
        (s, e * sp.Rational(1001, 1000) if s == wrong else e) for s, e in bp.program.definitions
    )
    bp.program = StraightLineProgram(definitions, bp.program.outputs)
    report = bp.verify()
    assert not report.holds
    (failure,) = report.failures()
    assert (failure.layer, failure.neuron, failure.holds) == (1, 2, False)
    # a ReLU network: the values are rational, so the difference is exact
    assert re.match(r"differ by -?\d+(/\d+)? at ", failure.detail), failure.detail


def test_derivation_steps_and_renderings() -> None:
    bp = backprop(Network.mlp([2, 2, 1], ["relu", "identity"]), LOSSES["mse"])
    d = bp.derivation()
    reasons = [step.reason_text for step in d.steps]
    assert reasons.count("(BP1)") == 1
    assert reasons.count("(BP2)") == 2
    assert reasons.count("(BP3)") == 3
    assert reasons.count("(BP4)") == 6
    latex = d.latex()
    assert latex.startswith(r"\begin{align}")
    assert r"\mathbb{1}" in latex
    assert "ReLU'(0) = 0" in d.markdown()


def test_bad_input_is_named() -> None:
    net = Network.mlp([1, 1], "sigmoid")
    with pytest.raises(ValueError, match="does not depend on the network's output"):
        backprop(net, target_symbols(1)[0] ** 2)
    with pytest.raises(ValueError, match="softmax, which is 1 for a single output"):
        backprop(Network.mlp([2, 1], "identity"), LOSSES["log"])
    bp = backprop(net, LOSSES["mse"])
    stranger = sp.Symbol("q", real=True)
    with pytest.raises(ValueError, match="q is not a parameter of this network"):
        bp.partial(stranger)
    with pytest.raises(ValueError, match="layer 3 does not exist"):
        bp.delta(3, 1)
    with pytest.raises(TypeError, match="must be a symdl Loss"):
        backprop(net, "mse")  # type: ignore[arg-type]
    mystery = sp.Function("f")
    odd = dataclasses.replace(
        get_activation("tanh"),
        name="mystery",
        sympy_form=mystery,
        sympy_derivative=lambda z: sp.Derivative(mystery(z), z),
    )
    with pytest.raises(NotSupportedError, match="'mystery'"):
        backprop(Network.mlp([1, 1], odd), LOSSES["mse"])


def test_softmax_layer_error_has_the_jacobian_form() -> None:
    net = Network([SoftmaxLayer(symbolic_matrix(2, 1, 1), symbolic_bias(2, 1))])
    bp = backprop(net, LOSSES["l2"])
    a1, a2 = activation_symbol(1, 1), activation_symbol(1, 2)
    y1, y2 = bp.targets
    g1, g2 = 2 * (a1 - y1), 2 * (a2 - y2)
    assert sp.expand(bp.delta(1, 1) - a1 * (g1 - (g1 * a1 + g2 * a2))) == 0


def test_expanded_gradient_is_the_derivative_of_the_composed_loss() -> None:
    net = Network.mlp([1, 2, 1], ["tanh", "identity"])
    bp = backprop(net, LOSSES["mse"])
    cost = LOSSES["mse"](net.forward(), sp.Matrix(bp.targets))
    expanded = bp.expanded_gradient()
    assert list(expanded) == list(net.parameters)
    for parameter, value in expanded.items():
        assert value.free_symbols <= {*net.inputs, *bp.targets, *net.parameters}
        assert sp.expand(value - sp.diff(cost, parameter)) == 0


def test_a_penalty_on_a_parameter_in_the_loss_is_differentiated_too() -> None:
    # C = (w x + b - y)^2 + λ w^2: ∂C/∂w = 2 (w x + b - y) x + 2 λ w
    net = Network.mlp([1, 1], "identity")
    w, b = net.parameters
    (x,) = net.inputs
    y, lam = sp.symbols("y lambda", real=True)
    bp = backprop(net, (activation_symbol(1, 1) - y) ** 2 + lam * w**2, targets=[y])
    expected = 2 * (w * x + b - y) * x + 2 * lam * w
    assert sp.expand(bp.partial(w, expanded=True) - expected) == 0


# --- output-error shortcuts (Nielsen ch. 3; Bishop 2006, (4.109)), through backprop itself ---


def _outputs(l: int, n: int) -> list[sp.Symbol]:
    return [activation_symbol(l, j) for j in range(1, n + 1)]


def test_softmax_layer_with_cross_entropy_gives_a_sum_y_minus_y() -> None:
    # C = -Σ y_j log a_j on a softmax layer's probabilities: δ_j = a_j Σ_k y_k - y_j,
    # and a_j - y_j once Σ_k y_k = 1
    net = Network.mlp([2, 3], "softmax")
    a, y = _outputs(1, 3), target_symbols(3)
    bp = backprop(net, -sp.Add(*[yj * sp.log(aj) for yj, aj in zip(y, a, strict=True)]))
    one_hot_sum = {y[2]: 1 - y[0] - y[1]}
    for j in range(3):
        delta = bp.delta(1, j + 1)
        assert sp.simplify(delta - (a[j] * sum(y) - y[j])) == 0
        assert sp.simplify((delta - (a[j] - y[j])).subs(one_hot_sum)) == 0
        assert sp.simplify(delta - (a[j] - y[j])) != 0  # the shortcut needs Σ y = 1


def test_log_loss_on_raw_scores_gives_softmax_sum_y_minus_y() -> None:
    # the registry's log loss applies the softmax itself: with an identity output layer
    # δ_j = σ(z)_j Σ_k y_k - y_j
    net = Network.mlp([2, 3], "identity")
    bp = backprop(net, LOSSES["log"])
    z, y = _outputs(1, 3), target_symbols(3)
    p = softmax(sp.Matrix(z))
    for j in range(3):
        assert sp.cancel(sp.together(bp.delta(1, j + 1) - (p[j] * sum(y) - y[j]))) == 0


def test_sigmoid_with_binary_cross_entropy_gives_a_minus_y() -> None:
    bp = backprop(Network.mlp([2, 2], "sigmoid"), LOSSES["bce"])
    a, y = _outputs(1, 2), target_symbols(2)
    for j in range(2):
        assert sp.factor(bp.delta(1, j + 1)) == a[j] - y[j]


# --- a softmax applied twice is refused --------------------------------------------------------


def test_the_softmax_losses_are_exactly_the_shift_invariant_ones() -> None:
    # σ(o + c 1) = σ(o): a loss that applies the softmax does not see a common shift
    rng = np.random.default_rng(0)
    O = rng.uniform(0.2, 0.7, size=(4, 3))  # inside (0, 1) even shifted: bce is defined
    Y = np.eye(3)[[0, 1, 2, 0]]
    invariant = {
        name
        for name, loss in LOSSES.items()
        if np.allclose(loss.numpy(O + 0.1, Y), loss.numpy(O, Y), rtol=1e-12, atol=1e-12)
    }
    assert invariant == SOFTMAX_LOSSES
    assert all(applies_softmax(LOSSES[name]) for name in SOFTMAX_LOSSES)


@pytest.mark.parametrize("name", sorted(SOFTMAX_LOSSES))
def test_a_softmax_loss_after_a_softmax_layer_is_refused(name: str) -> None:
    net = Network.mlp([2, 3], "softmax")
    message = f"the loss '{name}' applies the softmax .* applied twice"
    with pytest.raises(ValueError, match=message):
        backprop(net, LOSSES[name])
    with pytest.raises(ValueError, match=message):
        check_gradients(net, LOSSES[name])
    with pytest.raises(ValueError, match=message):
        numeric.backward(net, np.zeros((1, 2)), np.eye(3)[:1], LOSSES[name], {})
    # the same loss on raw scores (identity output layer) is accepted
    assert backprop(Network.mlp([2, 3], "identity"), LOSSES[name]).parameters


# --- more bad input -------------------------------------------------------------------------


def test_bad_positions_targets_and_options_are_named() -> None:
    net = Network.mlp([2, 2, 1], ["tanh", "identity"])
    with pytest.raises(ValueError, match="give 1 SymPy symbols, one per output"):
        backprop(net, LOSSES["mse"], targets=target_symbols(2))
    bp = backprop(net, LOSSES["mse"])
    with pytest.raises(ValueError, match="neuron 3 does not exist in layer 1"):
        bp.delta(1, 3)
    with pytest.raises(ValueError, match="not a maxout layer; it has no piece 1"):
        bp.delta(1, 1, piece=1)
    with pytest.raises(ValueError, match="points = 0: expected an integer >= 2"):
        bp.verify(points=0)
    with pytest.raises(ValueError, match=r"do not fit a network with 2 inputs"):
        bp.numpy_gradient()(np.zeros((4, 3)), np.zeros((4, 1)), np.zeros(9))
    with pytest.raises(ValueError, match="theta has 8 values; give one per parameter, 9"):
        bp.numpy_gradient()(np.zeros((4, 2)), np.zeros((4, 1)), np.zeros(8))
    with pytest.raises(TypeError, match="net must be a symdl Network"):
        backprop("2,2,1", LOSSES["mse"])  # type: ignore[arg-type]


# --- conventions at kinks and ties, symbolic against the independent NumPy pass ---------------


def _exact_and_numeric(net: Network, point: dict[sp.Symbol, sp.Expr]) -> tuple[list, list]:
    bp = backprop(net, LOSSES["l2"])
    exact = [sp.Rational(v) for v in bp.program.evaluate(point)]
    X = [[float(point[x]) for x in net.inputs]]
    Y = [[float(point[y]) for y in bp.targets]]
    params = {p: float(point[p]) for p in net.parameters}
    got = numeric.parameter_gradient(net, X, Y, LOSSES["l2"], params)
    return exact, [got[p] for p in net.parameters]


def test_leaky_relu_at_its_kink_uses_the_slope_a() -> None:
    # z = w x + b = 0 at w = 1, x = 2, b = -2: leaky ReLU'(0) = a = 1/10 (symdl's convention);
    # C = (v a(z) + c - y)^2 with v = 3, c = 1, y = 0, a(0) = 0: δ^(2) = 2, δ^(1) = 2·3·(1/10)
    net = Network.mlp([1, 1, 1], ["leaky_relu", "identity"])
    w, b, v, c = net.parameters
    (x,) = net.inputs
    point = {x: sp.Integer(2), w: sp.Integer(1), b: sp.Integer(-2), v: sp.Integer(3)}
    point |= {c: sp.Integer(1), target_symbols(1)[0]: sp.Integer(0)}
    exact, floats = _exact_and_numeric(net, point)
    assert exact == [sp.Rational(6, 5), sp.Rational(3, 5), 0, 2]  # ∂C/∂w, ∂C/∂b, ∂C/∂v, ∂C/∂c
    assert floats == pytest.approx([float(e) for e in exact], rel=1e-14)


def test_maxout_tie_goes_to_the_first_piece_in_both_passes() -> None:
    # pieces u x and v x with u = v = 1 at x = 1: a tie; the first piece takes the derivative
    u, v = sp.symbols("u v", real=True)
    net = Network([Maxout((sp.Matrix([[u]]), sp.Matrix([[v]])), (sp.zeros(1, 1),) * 2)])
    (x,) = net.inputs
    point = {x: sp.Integer(1), u: sp.Integer(1), v: sp.Integer(1), target_symbols(1)[0]: 0}
    exact, floats = _exact_and_numeric(net, point)
    # C = (max(u x, v x) - 0)^2 = 1: ∂C/∂u = 2 · 1 · x = 2 for the first piece, 0 for the second
    assert exact == [2, 0]
    assert floats == [2.0, 0.0]


# --- the cost of the gradient (Baur & Strassen 1983), and the verifier's high-precision path --


@pytest.mark.parametrize("loss", ["mse", "log", "hinge"])
@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_gradient_costs_at_most_five_forward_passes_at_any_depth(name: str, loss: str) -> None:
    # Baur–Strassen / Griewank–Walther: the whole gradient in at most about 3–5 times the
    # operations of the forward pass and loss, whatever the depth and number of parameters
    for depth in (1, 3, 6):
        net = Network.mlp([4] * (depth + 1) + [3], [name] * depth + ["identity"])
        bp = backprop(net, LOSSES[loss])
        assert bp.operation_count() <= 5 * bp.forward_operation_count(), (name, loss, depth)


def test_verify_catches_a_wrong_error_at_high_precision() -> None:
    # a smooth network: the difference does not simplify to 0, and the points are irrational,
    # so the wrong δ^(1)_1 (a factor 1001/1000) is caught by the 50-digit comparison
    bp = backprop(Network.mlp([2, 2, 1], ["sigmoid", "tanh"]), LOSSES["mse"])
    wrong = error_symbol(1, 1)
    definitions = tuple(
        (s, e * sp.Rational(1001, 1000) if s == wrong else e) for s, e in bp.program.definitions
    )
    bp.program = StraightLineProgram(definitions, bp.program.outputs)
    report = bp.verify(simplify_limit=0)  # straight to the random points
    (failure,) = report.failures()
    assert (failure.layer, failure.neuron, failure.holds) == (1, 1, False)
    assert failure.method is DecisionMethod.HIGH_PRECISION
    assert re.match(r"differ by -?\d\.\d+(e-\d+)? at ", failure.detail), failure.detail
    assert "differ by" in failure.detail
    assert "1 δ differ" in str(report)


def test_chebyshev_with_two_outputs_keeps_its_derivative_at_the_permanent_tie() -> None:
    # p_1 + p_2 = 1 and y_1 + y_2 = 1 make |p_1 - y_1| = |p_2 - y_2| identically, so the
    # maximum is the smooth 1 - p_1 for y = (1, 0): ∂C/∂o = (-p_1 p_2, p_1 p_2). At o = (0, log 3),
    # p = (1/4, 3/4): the gradient is (-3/16, 3/16), not the 0 of a naive H(0) = 0 rule
    bp = backprop(Network.mlp([1, 2], "identity"), LOSSES["chebyshev"])
    o1, o2 = bp.outputs
    y1, y2 = bp.targets
    point = {o1: sp.Integer(0), o2: sp.log(3), y1: sp.Integer(1), y2: sp.Integer(0)}
    gradient = [sp.simplify(g.xreplace(point)) for g in bp.output_gradient()]
    assert gradient == [sp.Rational(-3, 16), sp.Rational(3, 16)]
    assert numeric.loss_gradient(
        LOSSES["chebyshev"], [[0.0, np.log(3)]], [[1.0, 0.0]]
    ).tolist() == [pytest.approx([-3 / 16, 3 / 16], rel=1e-14)]


# --- the kink conventions on expressions that share subexpressions -----------------------------


def _residual_chain(depth: int) -> tuple[sp.Expr, sp.Symbol]:
    """u_{k+1} = u_k + max(0, u_k - k): each level uses the one below twice (2^depth as a tree).

    The maxima are built unevaluated: SymPy's search for redundant arguments would walk the tree.
    """
    x = sp.Symbol("x", real=True)
    u: sp.Expr = x
    for k in range(depth):
        u = u + sp.Max(0, u - k, evaluate=False)
    return u, x


def test_ties_are_placed_like_replace_does_and_shared_values_once() -> None:
    small, x = _residual_chain(3)
    assert with_ties_to_first(small) == small.replace(sp.Max, TiesToFirst)
    # 16 levels: about 2^16 nodes as a tree (replace took 32 s for 13), converted once per
    # distinct subexpression
    deep, _ = _residual_chain(16)
    started = time.perf_counter()
    tied = with_ties_to_first(deep)
    assert time.perf_counter() - started < 5
    assert isinstance(tied, sp.Add)
    assert sum(isinstance(term, TiesToFirst) for term in tied.args) == 16
    assert not any(isinstance(term, sp.Max) for term in tied.args)
    # the same chain's distinct subexpressions: a handful per level, not 2^16
    started = time.perf_counter()
    distinct = list(distinct_subexpressions([deep]))
    assert time.perf_counter() - started < 5
    assert len(distinct) < 6 * 16
    assert {e for e in distinct if isinstance(e, sp.Symbol)} == {x}


@pytest.mark.parametrize("value", [sp.Rational(n, 4) for n in range(-4, 17)])
def test_the_derivative_with_unevaluated_maxima_is_the_chain_rules(value: sp.Rational) -> None:
    # d u_{k+1}/dx = (1 + H(u_k - k)) d u_k/dx with H(0) = 0, by hand along the chain; the
    # points include the kinks (x = 0: u_0 = 0; x = 1: u_1 = 2 > 1 ...; x = 1/2 ...)
    f, x = _residual_chain(4)
    fast = convention_derivative(with_ties_to_first(f), x, evaluate=False)
    u, slope = value, sp.Integer(1)
    for k in range(4):
        slope *= 2 if u - k > 0 else 1
        u += max(sp.Integer(0), u - k)
    assert fast.subs(x, value) == slope
    assert convention_derivative(with_ties_to_first(f), x).subs(x, value) == slope


def test_the_chains_true_derivative_keeps_the_activations_own_kink_convention() -> None:
    # SymPy's Max(z/10, z) sorts its arguments: tied as they come, the slope at 0 was 1,
    # though leaky ReLU's derivative at its kink is a = 1/10 (as the backward pass takes it)
    from symdl.backpropagation.verification import _true_partials

    bp = backprop(Network.mlp([1, 1], "leaky_relu"), LOSSES["l2"])
    (truth,) = _true_partials(bp, 1)
    z, y = bp.z[1][0][0], bp.targets[0]
    # C = (LReLU(z) - y)^2: 2 (LReLU(z) - y) LReLU'(z)
    assert truth.subs({z: 0, y: 1}) == 2 * (0 - 1) * sp.Rational(1, 10)
    assert truth.subs({z: 1, y: 1}) == 0
    assert truth.subs({z: -10, y: 1}) == 2 * (-1 - 1) * sp.Rational(1, 10)
    at_one = backprop(Network.mlp([1, 1], relu(at_zero=1)), LOSSES["l2"])
    (truth,) = _true_partials(at_one, 1)
    z, y = at_one.z[1][0][0], at_one.targets[0]
    assert truth.subs({z: 0, y: 1}) == 2 * (0 - 1) * 1  # ReLU'(0) = 1 by its convention


def test_the_chains_true_derivative_gives_a_maxout_tie_to_the_first_piece() -> None:
    u, v = sp.symbols("u v", real=True)
    net = Network([Maxout((sp.Matrix([[u]]), sp.Matrix([[v]])), (sp.zeros(1, 1),) * 2)])
    bp = backprop(net, LOSSES["l2"])
    from symdl.backpropagation.verification import _true_partials

    first, second = _true_partials(bp, 1)
    (z1, z2) = bp.z[1][0]
    y = bp.targets[0]
    at_tie = {z1: 2, z2: 2, y: 0}  # C = (max(z1, z2) - 0)^2 = 4; the first piece takes 2 max
    assert (first.subs(at_tie), second.subs(at_tie)) == (4, 0)


@pytest.mark.parametrize(
    ("option", "value", "error", "message"),
    [
        ("seconds", "1", TypeError, r"seconds = '1': expected a number of seconds >= 0"),
        ("seconds", -1, ValueError, r"seconds = -1: expected a finite number"),
        ("seconds", float("nan"), ValueError, r"seconds = nan"),
        ("points", "4", TypeError, r"points = '4': expected an integer >= 2"),
        ("points", 1, ValueError, r"points = 1: expected an integer >= 2"),
        ("dps", None, TypeError, r"dps = None: expected an integer >= 20"),
        ("simplify_limit", "x", TypeError, r"simplify_limit = 'x'"),
        ("seed", True, TypeError, r"seed = True: expected an integer"),
    ],
)
def test_verify_names_a_bad_option_in_chains_and_graphs(
    option: str, value: object, error: type[Exception], message: str
) -> None:
    # a string for seconds used to end in "'>' not supported between 'float' and 'str'"
    from symdl.core.graph import GraphNetwork

    chain = backprop(Network.mlp([1, 1], "sigmoid"), LOSSES["mse"])
    graph = backprop(GraphNetwork.residual(1, 1), LOSSES["mse"])
    for bp in (chain, graph):
        with pytest.raises(error, match=message):
            bp.verify(**{option: value})
