"""The hand-written batched backward pass, the loss gradients and finite differences."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest
import sympy as sp

from symdl.backpropagation.reverse_mode import backprop
from symdl.core import numeric
from symdl.core.activations import ACTIVATIONS
from symdl.core.losses import LOSSES, Loss, Target
from symdl.core.network import Dense, Maxout, Network, symbolic_bias, symbolic_matrix


def _targets(loss: Loss, rng: np.random.Generator, batch: int, n: int) -> np.ndarray:
    if loss.target is Target.ONE_HOT:
        return np.eye(n)[rng.integers(0, n, batch)]
    if loss.target is Target.PROBABILITY:
        return rng.uniform(0.1, 0.9, size=(batch, n))
    return rng.normal(size=(batch, n))


def test_backward_of_a_linear_unit_by_hand() -> None:
    # C = (w x + b - y)^2 with w = 2, b = 1, x = 3, y = 0: ∂C/∂w = 2 · 7 · 3, ∂C/∂b = 2 · 7
    net = Network.mlp([1, 1], "identity", weights=[[[2]]], biases=[[1]])
    ((dW, db),) = numeric.backward(net, [[3.0]], [[0.0]], LOSSES["mse"])
    assert dW.tolist() == [[42.0]]
    assert db.tolist() == [14.0]


def test_backward_averages_over_the_batch() -> None:
    net = Network.mlp([1, 1], "identity", weights=[[[2]]], biases=[[1]])
    ((dW, db),) = numeric.backward(net, [[3.0], [0.0]], [[0.0], [0.0]], LOSSES["mse"])
    # the second example has ∂C/∂w = 0 and ∂C/∂b = 2: means 21 and 8
    assert dW.tolist() == [[21.0]]
    assert db.tolist() == [8.0]


@pytest.mark.parametrize("name", sorted(LOSSES))
def test_loss_gradient_matches_central_differences_of_the_numpy_loss(
    name: str, rng: np.random.Generator
) -> None:
    loss = LOSSES[name]
    O = rng.normal(size=(4, 3))
    if name == "bce":
        O = rng.uniform(0.1, 0.9, size=(4, 3))
    Y = _targets(loss, rng, 4, 3)
    G = numeric.loss_gradient(loss, O, Y)
    h = 1e-6
    for j in range(3):
        E = np.zeros_like(O)
        E[:, j] = h
        fd = (loss.numpy(O + E, Y) - loss.numpy(O - E, Y)) / (2 * h)
        np.testing.assert_allclose(G[:, j], fd, rtol=1e-6, atol=1e-8)


def _cost(net: Network, X: np.ndarray, Y: np.ndarray) -> Callable[[np.ndarray], float]:
    def cost(t: np.ndarray) -> float:
        params = dict(zip(net.parameters, t, strict=True))
        return numeric.mean_loss(net, X, Y, LOSSES["mse"], params)

    return cost


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_backward_equals_the_exact_symbolic_gradient(name: str) -> None:
    # the exact gradient at a rational point, by the symbolic program (exact arithmetic)
    net = Network.mlp([2, 3, 2], [name, "tanh"])
    bp = backprop(net, LOSSES["mse"])
    point = {
        s: sp.Rational((7 * k) % 11 - 5, 4) + sp.Rational(1, 13)
        for k, s in enumerate([*net.inputs, *bp.targets, *net.parameters])
    }
    exact = [float(sp.N(v, 30)) for v in bp.program.evaluate(point)]
    X = np.array([[float(point[x]) for x in net.inputs]])
    Y = np.array([[float(point[y]) for y in bp.targets]])
    params = {p: float(point[p]) for p in net.parameters}
    got = numeric.parameter_gradient(net, X, Y, LOSSES["mse"], params)
    np.testing.assert_allclose([got[p] for p in net.parameters], exact, rtol=1e-12, atol=1e-14)


def test_maxout_backward_routes_the_error_to_the_winning_piece() -> None:
    # pieces x and -x: for x = 2 the first wins; C = a^2, so ∂C/∂w_1 = 2 a x = 8, ∂C/∂w_2 = 0
    layer = Maxout((sp.Matrix([[1]]), sp.Matrix([[-1]])), (sp.zeros(1, 1), sp.zeros(1, 1)))
    net = Network([layer])
    ((dW, db),) = numeric.backward(net, [[2.0]], [[0.0]], LOSSES["mse"])
    assert dW.tolist() == [[[8.0]], [[0.0]]]
    assert db.tolist() == [[4.0], [0.0]]


def test_maxout_and_softmax_backward_match_finite_differences(rng: np.random.Generator) -> None:
    maxout = Maxout(
        tuple(symbolic_matrix(3, 2, 1, piece=p) for p in (1, 2, 3)),
        tuple(symbolic_bias(3, 1, piece=p) for p in (1, 2, 3)),
    )
    head = Dense(symbolic_matrix(2, 3, 2), symbolic_bias(2, 2), ACTIVATIONS["sigmoid"])
    for net in (Network([maxout, head]), Network.mlp([2, 3, 3], ["elu", "softmax"])):
        loss = LOSSES["mse"]
        X, Y = rng.normal(size=(5, 2)), rng.normal(size=(5, net.n_outputs))
        theta = rng.normal(size=len(net.parameters))
        params = dict(zip(net.parameters, theta, strict=True))
        grad = numeric.parameter_gradient(net, X, Y, loss, params)
        g = np.array([grad[p] for p in net.parameters])
        v = rng.normal(size=len(theta))
        fd = numeric.directional_difference(_cost(net, X, Y), theta, v)
        assert g @ v == pytest.approx(fd, rel=1e-8)


def test_parameter_gradient_sums_shared_weights() -> None:
    u = sp.Symbol("u", real=True)
    net = Network([Dense(sp.Matrix([[u, 2 * u]]), sp.zeros(1, 1), ACTIVATIONS["identity"])])
    # C = (u x1 + 2u x2)^2 at x = (1, 1), u = 1: ∂C/∂u = 2 · 3 · 3 = 18
    got = numeric.parameter_gradient(net, [[1.0, 1.0]], [[0.0]], LOSSES["mse"], {u: 1.0})
    assert got == {u: 18.0}


def test_directional_difference_is_fourth_order() -> None:
    # Richardson's combination is exact for polynomials of degree <= 4
    f = lambda t: float(t[0] ** 4 - 3 * t[0] * t[1] ** 3)  # noqa: E731
    theta, v = np.array([1.5, -0.5]), np.array([0.6, 0.8])
    exact = (4 * 1.5**3 - 3 * (-0.5) ** 3) * 0.6 - 9 * 1.5 * 0.25 * 0.8
    assert numeric.directional_difference(f, theta, v) == pytest.approx(exact, rel=1e-10)


def test_backward_rejects_mismatched_targets() -> None:
    net = Network.mlp([1, 2], "identity", weights=[[[1], [1]]], biases=[[0, 0]])
    with pytest.raises(ValueError, match=r"targets of shape \(1, 3\)"):
        numeric.backward(net, [[1.0]], [[0.0, 0.0, 0.0]], LOSSES["mse"])


def test_backward_refuses_a_loss_that_is_not_in_the_registry() -> None:
    net = Network.mlp([1, 1], "identity", weights=[[[1]]], biases=[[0]])
    free = (sp.Symbol("o", real=True) - 1) ** 2
    with pytest.raises(TypeError, match="must be a symdl Loss from the registry"):
        numeric.backward(net, [[1.0]], [[0.0]], free)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="must be a symdl Loss from the registry"):
        numeric.loss_gradient(free, [[1.0]], [[0.0]])  # type: ignore[arg-type]


def test_directional_difference_refuses_a_bad_direction_or_step() -> None:
    def f(t: np.ndarray) -> float:
        return float(t.sum())

    with pytest.raises(ValueError, match=r"direction of shape \(3,\) does not fit theta"):
        numeric.directional_difference(f, [1.0, 2.0], [1.0, 0.0, 0.0])
    with pytest.raises(ValueError, match=r"step=0\.0 must be a positive number"):
        numeric.directional_difference(f, [1.0], [1.0], step=0.0)
