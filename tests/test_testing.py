"""check_gradients: symbolic, numeric and finite-difference gradients agree, or it says where."""

from __future__ import annotations

import re

import numpy as np
import pytest
import sympy as sp

from symdl.backpropagation.numeric_check import check_gradients
from symdl.backpropagation.reverse_mode import backprop
from symdl.core import numeric
from symdl.core.activations import ACTIVATIONS
from symdl.core.losses import LOSSES
from symdl.core.network import Dense, Maxout, Network, symbolic_bias, symbolic_matrix


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_three_gradients_agree_over_the_registry(name: str) -> None:
    net = Network.mlp([3, 4, 3, 2], [name, name, "sigmoid"])
    result = check_gradients(net, LOSSES["mse"], seed=3)
    assert result.worst_error <= 1e-8
    symbolic, numeric_, fd = result.directional
    assert symbolic == pytest.approx(fd, rel=1e-8)
    assert numeric_ == pytest.approx(fd, rel=1e-8)
    assert len(result.symbolic) == len(net.parameters) == 4 * 4 + 3 * 5 + 2 * 4


@pytest.mark.parametrize("name", sorted(LOSSES))
def test_three_gradients_agree_over_the_losses(name: str) -> None:
    last = "sigmoid" if name == "bce" else "identity"
    net = Network.mlp([2, 3, 3], ["tanh", last])
    assert check_gradients(net, LOSSES[name], seed=1).worst_error <= 1e-8


def test_three_gradients_agree_for_maxout_and_softmax() -> None:
    maxout = Maxout(
        tuple(symbolic_matrix(3, 2, 1, piece=p) for p in (1, 2)),
        tuple(symbolic_bias(3, 1, piece=p) for p in (1, 2)),
    )
    head = Dense(symbolic_matrix(2, 3, 2), symbolic_bias(2, 2), ACTIVATIONS["tanh"])
    assert check_gradients(Network([maxout, head]), LOSSES["mse"]).worst_error <= 1e-8
    softmax_net = Network.mlp([2, 3, 3], ["softplus", "softmax"])
    assert check_gradients(softmax_net, LOSSES["mse"]).worst_error <= 1e-8


def test_a_gradient_wrong_by_a_tenth_of_a_percent_fails_naming_the_parameter() -> None:
    net = Network.mlp([2, 3, 1], ["sigmoid", "identity"])
    gradient = dict(backprop(net, LOSSES["mse"]).gradient)
    target = net.parameters[7]
    gradient[target] = gradient[target] * sp.Rational(1001, 1000)
    with pytest.raises(AssertionError) as failure:
        check_gradients(net, LOSSES["mse"], gradient=gradient)
    message = str(failure.value)
    assert str(target) in message
    # both values are printed, and they differ by 0.1%
    found = re.search(r"gives (\S+) and the numeric backward pass (\S+) \(", message)
    assert found is not None, message
    symbolic_value, numeric_value = float(found[1]), float(found[2])
    assert symbolic_value == pytest.approx(1.001 * numeric_value, rel=1e-9)


def test_a_hand_derived_expanded_gradient_passes() -> None:
    # C = (w x + b - y)^2 for one identity unit: the student writes the expanded answer
    net = Network.mlp([1, 1], "identity")
    w, b = net.parameters
    (x,) = net.inputs
    (y,) = backprop(net, LOSSES["mse"]).targets
    answer = {w: 2 * (w * x + b - y) * x, b: 2 * (w * x + b - y)}
    assert check_gradients(net, LOSSES["mse"], gradient=answer).worst_error < 1e-12
    wrong = {w: 2 * (w * x + b - y) * x, b: (w * x + b - y)}
    with pytest.raises(AssertionError, match=r"∂C/∂b\^\{\(1\)\}_\{1\}"):
        check_gradients(net, LOSSES["mse"], gradient=wrong)


def test_a_wrong_numeric_pass_is_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    # test the tester on the other side: a loss gradient off by 0.1% in the numeric pass
    original = numeric.loss_gradient
    monkeypatch.setattr(numeric, "loss_gradient", lambda *a: 1.001 * original(*a))
    with pytest.raises(AssertionError, match="relative difference"):
        check_gradients(Network.mlp([2, 2, 1], "tanh"), LOSSES["mse"])


def test_given_point_is_used() -> None:
    net = Network.mlp([1, 1], "identity")
    w, b = net.parameters
    result = check_gradients(net, LOSSES["mse"], X=[[2.0]], Y=[[1.0]], params={w: 3.0, b: 0.0})
    # C = (3 · 2 - 1)^2: ∂C/∂w = 2 · 5 · 2, ∂C/∂b = 2 · 5
    np.testing.assert_allclose(result.symbolic, [20.0, 10.0])
    np.testing.assert_allclose(result.numeric, [20.0, 10.0])


def test_bad_gradient_keys_are_named() -> None:
    net = Network.mlp([1, 1], "identity")
    w, _ = net.parameters
    with pytest.raises(ValueError, match=r"missing: \[b\^\{\(1\)\}_\{1\}\]"):
        check_gradients(net, LOSSES["mse"], gradient={w: sp.S.Zero})
    exact = Network.mlp([1, 1], "identity", weights=[[[1]]], biases=[[0]])
    with pytest.raises(ValueError, match="no free parameters"):
        check_gradients(exact, LOSSES["mse"])


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_three_gradients_agree_on_random_shapes(name: str, seed: int) -> None:
    rng = np.random.default_rng(seed)
    sizes = [int(n) for n in rng.integers(1, 5, size=int(rng.integers(2, 5)))]
    net = Network.mlp(sizes, [name] * (len(sizes) - 2) + ["tanh"])
    assert check_gradients(net, LOSSES["mse"], seed=seed).worst_error <= 1e-8


def test_a_sympy_loss_or_an_incomplete_point_is_refused_with_the_way_out() -> None:
    net = Network.mlp([1, 1], "identity")
    w, _ = net.parameters
    (y,) = backprop(net, LOSSES["mse"]).targets
    free = (backprop(net, LOSSES["mse"]).outputs[0] - y) ** 4
    with pytest.raises(TypeError, match=r"must be a symdl Loss .*verify\(\)"):
        check_gradients(net, free)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"no value for the parameters \[b\^"):
        check_gradients(net, LOSSES["mse"], X=[[1.0]], Y=[[0.0]], params={w: 1.0})
    stranger = sp.Symbol("q", real=True)
    with pytest.raises(ValueError, match=r"values for \[q\], which are not parameters"):
        check_gradients(net, LOSSES["mse"], params={w: 1.0, stranger: 2.0})


@pytest.mark.parametrize("seed", range(2))
@pytest.mark.parametrize("name", sorted(LOSSES))
def test_three_gradients_agree_on_random_networks_for_every_loss(name: str, seed: int) -> None:
    # random depth, widths and hidden activations drawn from the whole registry
    rng = np.random.default_rng(100 + seed)
    sizes = [int(n) for n in rng.integers(1, 5, size=int(rng.integers(3, 5)))]
    sizes[-1] = max(sizes[-1], 2)
    hidden = [str(a) for a in rng.choice(sorted(ACTIVATIONS), size=len(sizes) - 2)]
    net = Network.mlp(sizes, [*hidden, "sigmoid" if name == "bce" else "identity"])
    assert check_gradients(net, LOSSES[name], seed=seed).worst_error <= 1e-8, (sizes, hidden)
