"""Regularized losses C = L + λΘ in backprop: the gradient against differentiating the composed
loss directly, and weight decay's 2λw."""

from __future__ import annotations

import pytest
import sympy as sp

from symdl.backpropagation.reverse_mode import backprop, weight_decay
from symdl.core.losses import LOSSES
from symdl.core.network import Network

lam = sp.Symbol("lambda", positive=True)


@pytest.mark.parametrize(
    ("sizes", "activations", "loss"),
    [
        ([2, 2, 1], ["sigmoid", "identity"], "mse"),
        ([1, 2, 2], ["tanh", "sigmoid"], "bce"),
        ([2, 3], ["identity"], "log"),  # the log loss applies the softmax itself
    ],
)
def test_the_gradient_of_the_regularized_loss_is_the_derivative_of_the_composed_loss(
    sizes: list[int], activations: list[str], loss: str
) -> None:
    net = Network.mlp(sizes, activations)
    penalty = weight_decay(net, lam)
    bp = backprop(net, LOSSES[loss], penalty=penalty)
    composed = LOSSES[loss](net.forward(), sp.Matrix(bp.targets)) + penalty
    point = {
        s: sp.Rational(k % 5 + 1, 7) * (-1) ** k
        for k, s in enumerate(sorted(composed.free_symbols - {lam}, key=str))
    }
    point[lam] = sp.Rational(3, 10)
    for p in net.parameters:
        ours = bp.partial(p, expanded=True).subs(point)
        direct = sp.diff(composed, p).subs(point)
        assert sp.N(ours - direct, 40) == 0 or abs(sp.N(ours - direct, 40)) < 1e-35


def test_weight_decay_adds_two_lambda_w_to_weights_only() -> None:
    net = Network.mlp([2, 1], "sigmoid")
    w1, w2, b = net.parameters
    plain = backprop(net, LOSSES["mse"])
    decayed = backprop(net, LOSSES["mse"], penalty=weight_decay(net, lam))
    assert sp.expand(decayed.gradient[w1] - plain.gradient[w1]) == 2 * lam * w1
    assert sp.expand(decayed.gradient[w2] - plain.gradient[w2]) == 2 * lam * w2
    assert decayed.gradient[b] == plain.gradient[b]  # biases are not penalised
    assert decayed.loss_name == "mse + penalty"
    assert weight_decay(net, 0) == 0


def test_a_penalty_must_be_a_function_of_the_parameters() -> None:
    net = Network.mlp([1, 1], "sigmoid")
    x = net.inputs[0]
    with pytest.raises(ValueError, match="parameters alone"):
        backprop(net, LOSSES["mse"], penalty=x**2)
    with pytest.raises(TypeError, match="SymPy expression"):
        backprop(net, LOSSES["mse"], penalty="w^2")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="strength"):
        weight_decay(net, -1)


def test_the_derivation_writes_the_penalty_into_the_gradient_step() -> None:
    net = Network.mlp([1, 1], "sigmoid")
    w, b = net.parameters
    d = backprop(net, LOSSES["mse"], penalty=weight_decay(net, lam)).derivation()
    steps = {step.lhs: step for step in d.steps if isinstance(step.lhs, sp.Derivative)}
    weight = steps[sp.Derivative(sp.Symbol("C", real=True), w)]
    assert "penalty" in weight.reason_text
    assert sp.expand(weight.rhs - weight.rhs.subs(lam, 0)) == 2 * lam * w
    bias = steps[sp.Derivative(sp.Symbol("C", real=True), b)]
    assert "penalty" not in bias.reason_text
