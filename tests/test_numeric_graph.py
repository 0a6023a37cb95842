"""The NumPy/mpmath evaluator of graph networks, against oracles written here.

The oracles are independent of the module under test: central finite differences of a loss
written in this file, a naive loop for convolution, ``numpy.roll`` for circular padding,
mpmath at 50 digits, identities of batch norm derived by hand, and the exact symbolic
forward pass of the graph evaluated at rational points.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import mpmath
import numpy as np
import pytest
import sympy as sp

from symdl.core.graph import GraphNetwork, Node
from symdl.core.graph_operations import (
    Activation,
    Add,
    AvgPool,
    BatchNorm,
    Concat,
    Conv,
    Dense,
    Flatten,
    MaxPool,
    Softmax,
)
from symdl.core.losses import LOSSES
from symdl.core.numeric_graph import (
    GraphGradient,
    graph_backward,
    graph_forward,
    graph_forward_mp,
    graph_node_values,
)

MSE = LOSSES["mse"]
H = 1e-6  # the step of the central differences


# --- oracles written here ------------------------------------------------------------------------


def mse(O: np.ndarray, Y: np.ndarray) -> float:
    """C = (1/B) Σ_b (1/n) Σ_j (o_bj - y_bj)², the registry's mean squared error, averaged."""
    return float(((O - Y) ** 2).mean())


def central(f: Callable[[np.ndarray], float], at: np.ndarray, direction: np.ndarray) -> float:
    """(f(at + h u) - f(at - h u)) / 2h."""
    return (f(at + H * direction) - f(at - H * direction)) / (2 * H)


def numeric_gradient(f: Callable[[np.ndarray], float], at: np.ndarray) -> np.ndarray:
    """Central differences along every coordinate."""
    grad = np.zeros_like(at)
    for index in np.ndindex(at.shape):
        e = np.zeros_like(at)
        e[index] = 1.0
        grad[index] = central(f, at, e)
    return grad


SIGMA_PRIME = {  # the derivatives, by hand, of the activations the tests use
    "identity": lambda z: np.ones_like(z),
    "tanh": lambda z: 1 - np.tanh(z) ** 2,
    "sigmoid": lambda z: np.exp(-z) / (1 + np.exp(-z)) ** 2,
    "softplus": lambda z: 1 / (1 + np.exp(-z)),
    "relu": lambda z: (z > 0).astype(float),
}


def with_probe(graph: GraphNetwork, target: str) -> GraphNetwork:
    """The graph with ``p`` (a new input of ``target``'s shape) added to ``target``'s value:
    at p = 0 it computes the same function, and ∂C/∂p is ∂C/∂(target's value)."""
    nodes = []
    for node in graph.nodes:
        inputs = tuple("probe" if name == target else name for name in node.inputs)
        nodes.append(Node(node.name, node.operation, inputs))
        if node.name == target:
            nodes.append(Node("probe", Add(), (target, "p")))
    output = "probe" if graph.output == target else graph.output
    inputs = {**graph.inputs, "p": graph.shapes[target]}
    return GraphNetwork(inputs, nodes, output=output, batch=graph.batch)


def inputs_of(graph: GraphNetwork, rng: np.random.Generator, batch: int) -> dict[str, np.ndarray]:
    return {
        name: rng.normal(size=(batch, *shape)) for name, shape in graph.inputs.items()
    }  # (batch, *shape): the evaluator reads them flat, row-major


def check_gradient(
    graph: GraphNetwork,
    X: dict[str, np.ndarray],
    theta: np.ndarray,
    rng: np.random.Generator,
    *,
    full: bool,
    probes: bool = True,
) -> GraphGradient:
    """graph_backward against central differences of the mean squared error: the parameter
    gradient, each input's gradient and each node's δ (through a probe input).  ``full``:
    along every coordinate; otherwise along three random directions (as autograd's
    check_grads)."""
    batch = next(iter(X.values())).shape[0]
    Y = rng.normal(size=graph_forward(graph, X, theta).shape)
    grad = graph_backward(graph, X, Y, MSE, theta)

    def agree(analytic: np.ndarray, f: Callable[[np.ndarray], float], at: np.ndarray) -> None:
        if full:
            np.testing.assert_allclose(analytic, numeric_gradient(f, at), rtol=1e-5, atol=1e-7)
            return
        for _ in range(3):
            u = rng.normal(size=at.shape)
            assert np.sum(analytic * u) == pytest.approx(central(f, at, u), rel=1e-5, abs=1e-7)

    agree(grad.parameters, lambda t: mse(graph_forward(graph, X, t), Y), theta)
    for name in graph.inputs:

        def of_input(x: np.ndarray, name: str = name) -> float:
            return mse(graph_forward(graph, {**X, name: x.reshape(X[name].shape)}, theta), Y)

        agree(grad.inputs[name], of_input, X[name].reshape(batch, -1))
    if not probes:
        return grad
    values = graph_node_values(graph, X, theta)
    for node in graph.nodes:
        probed = with_probe(graph, node.name)  # the same parameters, in the same order

        def of_probe(p: np.ndarray, probed: GraphNetwork = probed) -> float:
            return mse(graph_forward(probed, {**X, "p": p}, theta), Y)

        delta = grad.nodes[node.name]
        if node.operation.kind in ("dense", "conv"):  # δ = ∂C/∂z = ∂C/∂a ⊙ σ'(z)
            act = node.operation.activation.name
            z = values.get(f"{node.name}:pre", values[node.name])
            scale = SIGMA_PRIME[act](z)
            if full:
                np.testing.assert_allclose(
                    delta,
                    numeric_gradient(of_probe, np.zeros_like(delta)) * scale,
                    rtol=1e-5,
                    atol=1e-7,
                )
                continue
            for _ in range(2):
                u = rng.normal(size=delta.shape)
                assert np.sum(delta * u) == pytest.approx(
                    central(of_probe, np.zeros_like(delta), u * scale), rel=1e-5, abs=1e-7
                )
        else:
            agree(delta, of_probe, np.zeros_like(delta))
    return grad


def free_values(graph: GraphNetwork, rng: np.random.Generator) -> np.ndarray:
    return rng.normal(size=len(graph.parameters))


def values_for(graph: GraphNetwork, node: str, **arrays: Any) -> dict[sp.Symbol, float]:
    """{symbol: number} for a node's parameter arrays (each entry of the node's symbolic array
    gets the number at the same index)."""
    mapping = {}
    for key, values in arrays.items():
        symbols = np.array(graph.node(node).parameters[key].tolist(), dtype=object)
        numbers = np.broadcast_to(np.asarray(values, dtype=float), symbols.shape)
        mapping.update(zip(symbols.ravel(), numbers.ravel(), strict=True))
    return mapping


# --- every operation, one at a time ------------------------------------------------------------


def _graph(shape: Any, *nodes: Node, batch: int = 1) -> GraphNetwork:
    return GraphNetwork({"x": shape}, list(nodes), batch=batch)


SINGLE_OPS = {
    "dense": (_graph(3, Node("h", Dense(2, "tanh"), "x"), Node("o", Dense(2), "h")), 2),
    "conv 1-D stride 2, zeros": (
        _graph((2, 7), Node("c", Conv(2, 3, stride=2, padding=1, activation="tanh"), "x")),
        2,
    ),
    "conv 1-D circular": (
        _graph((1, 5), Node("c", Conv(2, 3, padding=2, padding_mode="circular"), "x")),
        1,
    ),
    "conv 2-D stride (2, 1), zeros": (
        _graph(
            (2, 5, 4),
            Node("c", Conv(2, (3, 2), stride=(2, 1), padding=(1, 0), activation="sigmoid"), "x"),
        ),
        2,
    ),
    "conv 2-D circular": (
        _graph(
            (1, 3, 4), Node("c", Conv(1, 3, stride=(1, 2), padding=1, padding_mode="circular"), "x")
        ),
        2,
    ),
    "max pool 1-D": (_graph((2, 7), Node("m", MaxPool(3, stride=2), "x")), 2),
    "max pool 2-D overlapping": (_graph((1, 4, 5), Node("m", MaxPool((2, 3), stride=1), "x")), 2),
    "avg pool 1-D": (_graph((2, 6), Node("m", AvgPool(2), "x")), 2),
    "avg pool 2-D overlapping": (_graph((2, 4, 4), Node("m", AvgPool(3, stride=1), "x")), 2),
    "batch norm, units": (_graph(3, Node("n", BatchNorm(), "x"), batch=4), 4),
    "batch norm, channels": (
        _graph((2, 2, 3), Node("n", BatchNorm(eps=sp.Rational(1, 10)), "x"), batch=3),
        3,
    ),
    "add, a node used twice": (
        _graph(3, Node("h", Dense(3, "tanh"), "x"), Node("r", Add(), ("x", "h", "x"))),
        2,
    ),
    "concat, units": (
        _graph(2, Node("h", Dense(3, "softplus"), "x"), Node("c", Concat(), ("h", "x"))),
        2,
    ),
    "concat, channels": (
        _graph(
            (1, 4),
            Node("c1", Conv(2, 1), "x"),
            Node("c", Concat(), ("x", "c1")),
            Node("o", Conv(1, 2), "c"),
        ),
        2,
    ),
    "activation": (_graph(3, Node("a", Activation("sigmoid"), "x")), 2),
    "flatten": (_graph((2, 3), Node("f", Flatten(), "x"), Node("o", Dense(2), "f")), 2),
    "softmax": (_graph(3, Node("h", Dense(3), "x"), Node("s", Softmax(), "h")), 2),
}


@pytest.mark.parametrize("name", SINGLE_OPS)
def test_each_operation_agrees_with_central_differences(
    name: str, rng: np.random.Generator
) -> None:
    graph, batch = SINGLE_OPS[name]
    X = inputs_of(graph, rng, batch)
    check_gradient(graph, X, free_values(graph, rng), rng, full=True)


def test_a_weight_shared_by_two_entries_collects_both_shares(rng: np.random.Generator) -> None:
    a = sp.Symbol("a", real=True)
    graph = _graph(2, Node("h", Dense(2, "tanh", weights=[[a, a], [a, 1]], bias=[0, a]), "x"))
    assert graph.parameters == (a,)
    X = inputs_of(graph, rng, 2)
    check_gradient(graph, X, np.array([0.7]), rng, full=True)


def test_nodes_past_the_output_get_no_error(rng: np.random.Generator) -> None:
    graph = GraphNetwork(
        {"x": 2},
        [
            Node("h", Dense(2, "tanh"), "x"),
            Node("o", Dense(1), "h"),
            Node("g", Dense(2, "sigmoid"), "h"),  # computed, but not part of the output
        ],
        output="o",
    )
    grad = check_gradient(graph, inputs_of(graph, rng, 2), free_values(graph, rng), rng, full=True)
    assert np.all(grad.nodes["g"] == 0.0)
    assert np.abs(grad.nodes["h"]).min() > 0.0


# --- random DAGs ---------------------------------------------------------------------------------

ACTS = ("tanh", "sigmoid", "softplus", "identity", "relu")


class _Builder:
    def __init__(self, inputs: dict[str, tuple[int, ...]]) -> None:
        self.inputs = dict(inputs)
        self.shapes = dict(inputs)
        self.nodes: list[Node] = []

    def add(self, name: str, op: Any, *inputs: str) -> str:
        self.nodes.append(Node(name, op, tuple(inputs)))
        self.shapes[name] = tuple(op.output_shape([self.shapes[i] for i in inputs]))
        return name

    def build(self, batch: int) -> GraphNetwork:
        return GraphNetwork(self.inputs, self.nodes, batch=batch)


def random_vector_dag(seed: int) -> GraphNetwork:
    """Residual blocks (sometimes with a long skip, or the same node summed twice), branches
    concatenated from earlier nodes, batch norms; then a dense output."""
    rng = np.random.default_rng(seed)
    width = int(rng.integers(2, 4))
    g = _Builder({"x": (width,)})
    act = lambda: str(rng.choice(ACTS))  # noqa: E731
    prev = "x"
    for k, block in enumerate(
        ["residual", "concat", *rng.choice(["residual", "concat", "norm"], 2)]
    ):
        if block == "residual":
            g.add(f"h{k}", Dense(width, act()), prev)
            g.add(f"f{k}", Dense(width), f"h{k}")
            same = [n for n, s in g.shapes.items() if s == (width,) and n not in (f"h{k}", f"f{k}")]
            extra = [str(rng.choice(same))] if rng.random() < 0.6 else []
            prev = g.add(f"r{k}", Add(), prev, f"f{k}", *extra)
        elif block == "concat":
            branch = str(rng.choice(list(g.shapes)))  # from anywhere earlier
            g.add(f"u{k}", Dense(int(rng.integers(1, 3)), act()), prev)
            g.add(f"v{k}", Dense(int(rng.integers(1, 3)), act()), branch)
            g.add(f"c{k}", Concat(), f"u{k}", f"v{k}", prev)
            prev = g.add(f"r{k}", Dense(width, act()), f"c{k}")
        else:
            g.add(f"n{k}", BatchNorm(eps=sp.Rational(1, 100)), prev)
            prev = g.add(f"r{k}", Activation(act()), f"n{k}")
    g.add("out", Dense(2), prev)
    return g.build(batch=3)


def random_map_dag(seed: int) -> GraphNetwork:
    """Convolutions (zero or circular padding, strides), residual sums of maps, channel
    concatenations, batch norms, max and average pooling; then flatten and a dense output."""
    rng = np.random.default_rng(seed)
    two_d = bool(rng.integers(2))
    shape = (1, 3, 4) if two_d else (2, 6)
    g = _Builder({"x": shape})
    act = lambda: str(rng.choice(ACTS))  # noqa: E731
    mode = lambda: str(rng.choice(["zeros", "circular"]))  # noqa: E731
    prev = "x"
    blocks = [
        "residual",
        "concat",
        *rng.choice(["residual", "concat", "norm", "pool", "stride"], 2),
    ]
    for k, block in enumerate(blocks):
        C = g.shapes[prev][0]
        spatial = g.shapes[prev][1:]
        if block == "residual":  # "same" convolutions: kernel 2p + 1, padding p, stride 1
            p = int(rng.integers(0, 2))
            g.add(
                f"h{k}", Conv(2, 2 * p + 1, padding=p, padding_mode=mode(), activation=act()), prev
            )
            g.add(f"f{k}", Conv(C, 2 * p + 1, padding=p, padding_mode=mode()), f"h{k}")
            prev = g.add(f"r{k}", Add(), prev, f"f{k}")
        elif block == "concat":
            g.add(f"u{k}", Conv(1, 1, activation=act()), prev)
            g.add(f"v{k}", Conv(int(rng.integers(1, 3)), 3, padding=1, padding_mode=mode()), prev)
            prev = g.add(f"c{k}", Concat(), f"u{k}", prev, f"v{k}")
        elif block == "norm":
            g.add(f"n{k}", BatchNorm(eps=sp.Rational(1, 100)), prev)
            prev = g.add(f"a{k}", Activation(act()), f"n{k}")
        elif block == "pool" and min(spatial) >= 2:
            pool = MaxPool if rng.integers(2) else AvgPool
            prev = g.add(f"p{k}", pool(2, stride=int(rng.integers(1, 3))), prev)
        elif min(spatial) >= 3:
            prev = g.add(f"s{k}", Conv(2, 2, stride=2, padding=int(rng.integers(0, 2))), prev)
    g.add("flat", Flatten(), prev)
    g.add("out", Dense(2), "flat")
    return g.build(batch=3)


@pytest.mark.parametrize("seed", range(6))
def test_random_vector_dags_agree_with_central_differences(seed: int) -> None:
    graph = random_vector_dag(seed)
    kinds = {node.operation.kind for node in graph.nodes}
    assert {"add", "concat"} <= kinds
    rng = np.random.default_rng(100 + seed)
    check_gradient(graph, inputs_of(graph, rng, 3), free_values(graph, rng), rng, full=False)


@pytest.mark.parametrize("seed", range(6))
def test_random_map_dags_agree_with_central_differences(seed: int) -> None:
    graph = random_map_dag(seed)
    kinds = {node.operation.kind for node in graph.nodes}
    assert {"conv", "add", "concat"} <= kinds
    rng = np.random.default_rng(200 + seed)
    check_gradient(graph, inputs_of(graph, rng, 3), free_values(graph, rng), rng, full=False)


def test_a_wrong_backward_rule_would_fail_the_check(rng: np.random.Generator) -> None:
    """The check is sharp: a gradient off by 0.1% in one coordinate fails it."""
    graph = random_vector_dag(1)
    X, theta = inputs_of(graph, rng, 3), free_values(graph, rng)
    Y = rng.normal(size=(3, 2))
    grad = graph_backward(graph, X, Y, MSE, theta)
    numeric = numeric_gradient(lambda t: mse(graph_forward(graph, X, t), Y), theta)
    np.testing.assert_allclose(grad.parameters, numeric, rtol=1e-5, atol=1e-7)
    wrong = grad.parameters.copy()
    k = int(np.argmax(np.abs(wrong)))
    wrong[k] *= 1.001
    with pytest.raises(AssertionError):
        np.testing.assert_allclose(wrong, numeric, rtol=1e-5, atol=1e-7)


# --- mpmath at 50 digits ------------------------------------------------------------------------


@pytest.mark.parametrize("seed", range(4))
def test_the_mpmath_forward_agrees_with_float64(seed: int) -> None:
    rng = np.random.default_rng(300 + seed)
    for graph in (random_vector_dag(seed), random_map_dag(seed)):
        X = inputs_of(graph, rng, 3)
        theta = free_values(graph, rng)
        floats = graph_forward(graph, X, theta)
        exact = graph_forward_mp(graph, X, theta, dps=50)
        assert len(exact) == 3
        np.testing.assert_allclose(np.array(exact, dtype=float), floats, rtol=1e-11, atol=1e-12)


def test_the_mpmath_forward_of_one_example_is_a_flat_list() -> None:
    graph = _graph(
        (1, 4), Node("c", Conv(1, 2, padding=1, weights=[[[1, -1]]], bias=[0]), "x")
    )  # x̃ = (0, 1, 4, 9, 16, 0): differences x̃_t - x̃_{t+1}
    out = graph_forward_mp(graph, [[1, 4, 9, 16]])
    assert out == [-1, -3, -5, -7, 16]
    assert all(isinstance(v, mpmath.mpf) for v in out)


def test_mpmath_is_the_referee_where_float64_loses_the_digits() -> None:
    """Batch norm of 10^16 + (0, 2): the mean 10^16 + 1 is not a float64 (nor is the sum
    2·10^16 + 2), so float64 gets x̂ wrong; mpmath gives ±1/sqrt(1 + ε) to 50 digits."""
    graph = _graph(1, Node("n", BatchNorm(gamma=[1], beta=[0]), "x"), batch=2)
    big = sp.Integer(10) ** 16
    out = graph_forward_mp(graph, [[big], [big + 2]], dps=50)
    with mpmath.workdps(50):
        expected = 1 / mpmath.sqrt(1 + mpmath.mpf(1) / 100000)  # μ = 10^16 + 1, σ² = 1
        assert abs(out[1][0] - expected) < mpmath.mpf(10) ** -48
        assert abs(out[0][0] + expected) < mpmath.mpf(10) ** -48
    floats = graph_forward(graph, [[1e16], [1e16 + 2]])
    assert abs(floats[1, 0] - float(expected)) > 0.1


# --- kinks and ties: the conventions, asserted directly ---------------------------------------


def test_relu_at_exactly_zero_has_derivative_zero() -> None:
    """z = 3 - 3 = 0 exactly: ReLU is not differentiable there, so central differences
    cannot decide (the one-sided differences are 0 and 2·...); the convention ReLU'(0) = 0
    is asserted directly: no error passes the kink."""
    graph = _graph(
        2,
        Node("h", Dense(1, "relu", weights=[[1, -1]], bias=[0]), "x"),
        Node("o", Dense(1, weights=[[2]], bias=[1]), "h"),
    )
    X, Y = np.array([[3.0, 3.0]]), np.array([[0.0]])
    grad = graph_backward(graph, X, Y, MSE)
    assert graph_node_values(graph, X)["h:pre"][0, 0] == 0.0
    assert grad.nodes["o"][0, 0] == 2.0  # ∂C/∂o = 2(o - y) with o = 2·0 + 1
    assert grad.nodes["h"][0, 0] == 0.0  # ReLU'(0) = 0
    assert np.all(grad.inputs["x"] == 0.0)
    # the one-sided differences disagree: the kink is real
    f = lambda t: mse(graph_forward(graph, np.array([[3.0 + t, 3.0]])), Y)  # noqa: E731
    right, left = (f(1e-6) - f(0)) / 1e-6, (f(0) - f(-1e-6)) / 1e-6
    assert right == pytest.approx(4.0, rel=1e-4)
    assert left == pytest.approx(0.0, abs=1e-9)


def test_max_pool_gives_a_tie_to_the_first_maximum_1d() -> None:
    """Two equal maxima (3, 3): the maximum is not differentiable there, so central
    differences cannot be used; the whole gradient goes to the first maximal entry."""
    graph = _graph((1, 4), Node("m", MaxPool(4), "x"))
    grad = graph_backward(graph, np.array([[[1.0, 3.0, 3.0, 2.0]]]), np.array([[0.0]]), MSE)
    # C = (max x)², ∂C/∂max = 2 · 3
    assert grad.inputs["x"].tolist() == [[0.0, 6.0, 0.0, 0.0]]


def test_max_pool_gives_a_tie_to_the_first_maximum_in_row_major_order() -> None:
    """Window [[1, 5], [5, 0]]: the maxima are (0, 1) and (1, 0); row-major order reads (0, 1)
    first (column-major would read (1, 0) first)."""
    graph = _graph((1, 2, 2), Node("m", MaxPool(2), "x"))
    grad = graph_backward(graph, np.array([[[[1.0, 5.0], [5.0, 0.0]]]]), np.array([[0.0]]), MSE)
    assert grad.inputs["x"].tolist() == [[0.0, 10.0, 0.0, 0.0]]


def test_overlapping_windows_with_ties_each_give_to_their_own_first_maximum() -> None:
    """Windows (x0, x1, x2), (x2, x3, x4) with x = (4, 4, 4, 1, 4): the first window's first
    maximum is x0, the second's is x2."""
    graph = _graph((1, 5), Node("m", MaxPool(3, stride=2), "x"))
    grad = graph_backward(graph, np.array([[4.0, 4.0, 4.0, 1.0, 4.0]]), np.zeros((1, 2)), MSE)
    # ∂C/∂m_i = 2 m_i / 2 = 4 for each window
    assert grad.inputs["x"].tolist() == [[4.0, 0.0, 4.0, 0.0, 0.0]]


# --- batch norm: facts derived by hand -----------------------------------------------------------


def _bn_with_upstream(
    shape: tuple[int, ...], X: np.ndarray, G: np.ndarray, gamma: np.ndarray, eps: sp.Rational
) -> np.ndarray:
    """∂C/∂x of a batch-norm graph for the upstream gradient G = ∂C/∂v (batch × units): with
    the mean squared error and targets Y = V - G·n·B/2, ∂C/∂V = 2(V - Y)/(n B) = G."""
    graph = GraphNetwork({"x": shape}, [Node("n", BatchNorm(eps=eps), "x")], batch=X.shape[0])
    theta = values_for(graph, "n", gamma=gamma, beta=0.0)
    B, n = G.shape
    V = graph_forward(graph, X, theta)
    Y = V - G * n * B / 2
    return graph_backward(graph, X, Y, MSE, theta).inputs["x"]


@pytest.mark.parametrize("shape", [(3,), (2, 2, 3)])
def test_batch_norm_input_gradient_sums_to_zero_and_its_scale_identity(
    shape: tuple[int, ...], rng: np.random.Generator
) -> None:
    r"""Derived from invariances of v = γ x̂ + β, not from the Jacobian's formula.

    Shift: v(x + c·1) = v(x) for a constant c on a channel, so ⟨∂C/∂x, 1⟩ = 0 per channel.
    Scale: x̂(αx) = α(x - μ)/sqrt(α²σ² + ε), whose α-derivative at α = 1 is x̂ ε/(σ² + ε);
    so ⟨∂C/∂x, x - μ⟩ = Σ G γ x̂ ε/(σ² + ε) = γ ∂C/∂γ · ε/(σ² + ε), and, dividing by
    s = sqrt(σ² + ε) (allowed as ⟨∂C/∂x, 1⟩ = 0), ⟨∂C/∂x, x̂⟩ = γ ∂C/∂γ ε / s³.  When the
    upstream is γ-free (∂C/∂γ = Σ G x̂ = 0, i.e. G ⟂ x̂) the input gradient is orthogonal
    to x̂.
    """
    B, C = 5, shape[0]
    eps = sp.Rational(1, 4)  # large, so that the ε-term of the identity is not negligible
    X = rng.normal(size=(B, *shape)) * 2 + 1
    G = rng.normal(size=(B, int(np.prod(shape))))
    gamma = rng.normal(size=C)
    x = X.reshape(B, C, -1)
    mu = x.mean(axis=(0, 2), keepdims=True)
    var = ((x - mu) ** 2).mean(axis=(0, 2), keepdims=True)
    s = np.sqrt(var + 0.25)
    x_hat = (x - mu) / s

    dx = _bn_with_upstream(shape, X, G, gamma, eps).reshape(B, C, -1)
    np.testing.assert_allclose(dx.sum(axis=(0, 2)), 0.0, atol=1e-12)
    d_gamma = (G.reshape(B, C, -1) * x_hat).sum(axis=(0, 2))
    expected = gamma * d_gamma * 0.25 / s.ravel() ** 3
    np.testing.assert_allclose((dx * x_hat).sum(axis=(0, 2)), expected, rtol=1e-10, atol=1e-12)
    assert np.all(np.abs(expected) > 1e-3)  # the identity is not 0 = 0

    # a γ-free upstream: G with its x̂ component removed, channel by channel
    Gc = G.reshape(B, C, -1)
    along = (Gc * x_hat).sum(axis=(0, 2), keepdims=True) / (x_hat**2).sum(
        axis=(0, 2), keepdims=True
    )
    free = (Gc - along * x_hat).reshape(B, -1)
    dx_free = _bn_with_upstream(shape, X, free, gamma, eps).reshape(B, C, -1)
    np.testing.assert_allclose((dx_free * x_hat).sum(axis=(0, 2)), 0.0, atol=1e-12)
    np.testing.assert_allclose(dx_free.sum(axis=(0, 2)), 0.0, atol=1e-12)
    assert np.abs(dx_free).max() > 1e-2


def test_batch_norm_couples_the_examples(rng: np.random.Generator) -> None:
    """Changing example 2 changes example 1's output, and ∂C/∂x of example 2 is non-zero when
    only example 1 has an error."""
    graph = _graph(2, Node("n", BatchNorm(gamma=[1, 1], beta=[0, 0]), "x"), batch=3)
    X = rng.normal(size=(3, 2))
    Y = graph_forward(graph, X)
    Y[0] += 1.0
    grad = graph_backward(graph, X, Y, MSE)
    assert np.abs(grad.inputs["x"][1]).min() > 1e-6
    X2 = X.copy()
    X2[1, 0] += 0.5
    assert graph_forward(graph, X2)[0, 0] != graph_forward(graph, X)[0, 0]


# --- convolution against loops and numpy.roll ----------------------------------------------------


def test_conv_2d_agrees_with_a_naive_six_loop_cross_correlation(rng: np.random.Generator) -> None:
    O, C, Hh, Ww, KH, KW, (sh, sw), (ph, pw) = 3, 2, 5, 6, 3, 2, (2, 1), (1, 2)
    graph = _graph(
        (C, Hh, Ww), Node("c", Conv(O, (KH, KW), stride=(sh, sw), padding=(ph, pw)), "x")
    )
    W = rng.normal(size=(O, C, KH, KW))
    b = rng.normal(size=O)
    theta = values_for(graph, "c", W=W, b=b)
    X = rng.normal(size=(2, C, Hh, Ww))
    OH, OW = (Hh + 2 * ph - KH) // sh + 1, (Ww + 2 * pw - KW) // sw + 1
    expected = np.zeros((2, O, OH, OW))
    for n in range(2):
        for o in range(O):
            for i in range(OH):
                for j in range(OW):
                    total = b[o]
                    for c in range(C):
                        for r in range(KH):
                            for q in range(KW):
                                u, v = i * sh + r - ph, j * sw + q - pw  # into the unpadded x
                                if 0 <= u < Hh and 0 <= v < Ww:
                                    total += W[o, c, r, q] * X[n, c, u, v]
                    expected[n, o, i, j] = total
    assert graph.shapes["c"] == (O, OH, OW)
    np.testing.assert_allclose(graph_forward(graph, X, theta), expected.reshape(2, -1), atol=1e-12)


def test_conv_1d_agrees_with_numpy_convolve(rng: np.random.Generator) -> None:
    """Cross-correlation is convolution with the flipped kernel: np.convolve(x, w[::-1])
    in 'valid' mode, on the zero-padded signal, every s-th entry."""
    graph = _graph((1, 9), Node("c", Conv(1, 4, stride=3, padding=2), "x"))
    w, b = rng.normal(size=4), 0.25
    x = rng.normal(size=9)
    padded = np.concatenate([np.zeros(2), x, np.zeros(2)])
    expected = np.convolve(padded, w[::-1], mode="valid")[::3] + b
    theta = values_for(graph, "c", W=w[None, None], b=b)
    np.testing.assert_allclose(graph_forward(graph, x[None, None], theta)[0], expected)


@pytest.mark.parametrize(("kernel", "padding"), [(3, 1), (2, 1), (3, 2), (1, 0)])
def test_circular_padding_agrees_with_numpy_roll_1d(
    kernel: int, padding: int, rng: np.random.Generator
) -> None:
    """x̃_t = x_{(t - p) mod N}: z_i = b + Σ_r w_r x_{(i + r - p) mod N} = b + Σ_r w_r
    roll(x, p - r)_i (np.roll(x, k)_i = x_{(i - k) mod N})."""
    N = 5
    graph = _graph(
        (1, N), Node("c", Conv(1, kernel, padding=padding, padding_mode="circular"), "x")
    )
    w, b = rng.normal(size=kernel), rng.normal()
    x = rng.normal(size=N)
    out = N + 2 * padding - kernel + 1
    # np.resize repeats periodically (the output may be longer than one period) or truncates
    expected = b + sum(w[r] * np.resize(np.roll(x, padding - r), out) for r in range(kernel))
    theta = values_for(graph, "c", W=w[None, None], b=b)
    np.testing.assert_allclose(graph_forward(graph, x[None, None], theta)[0], expected)


def test_circular_padding_agrees_with_numpy_roll_2d(rng: np.random.Generator) -> None:
    C, Hh, Ww = 2, 4, 5
    graph = _graph((C, Hh, Ww), Node("c", Conv(1, 3, padding=1, padding_mode="circular"), "x"))
    W, b = rng.normal(size=(1, C, 3, 3)), rng.normal()
    x = rng.normal(size=(C, Hh, Ww))
    expected = b + sum(
        W[0, c, r, q] * np.roll(x[c], (1 - r, 1 - q), axis=(0, 1))
        for c in range(C)
        for r in range(3)
        for q in range(3)
    )
    out = graph_forward(graph, x[None], values_for(graph, "c", W=W, b=b))
    np.testing.assert_allclose(out[0], expected.ravel())


def test_circular_padding_gradient_folds_the_wrap_back(rng: np.random.Generator) -> None:
    """A circular convolution with kernel 3 and padding 1 is the circulant matrix M with
    M[i, (i + r - 1) mod N] = w_r: ∂C/∂x = Mᵀ ∂C/∂z, built here entry by entry."""
    N = 5
    graph = _graph((1, N), Node("c", Conv(1, 3, padding=1, padding_mode="circular"), "x"))
    w = rng.normal(size=3)
    M = np.zeros((N, N))
    for i in range(N):
        for r in range(3):
            M[i, (i + r - 1) % N] += w[r]
    x = rng.normal(size=(1, N))
    Y = rng.normal(size=(1, N))
    z = x @ M.T
    theta = values_for(graph, "c", W=w[None, None], b=0.0)
    np.testing.assert_allclose(graph_forward(graph, x, theta), z)
    upstream = 2 * (z - Y) / N  # ∂C/∂z of the mean squared error
    grad = graph_backward(graph, x, Y, MSE, theta)
    np.testing.assert_allclose(grad.inputs["x"], upstream @ M)


# --- pooling by hand -----------------------------------------------------------------------------


def test_avg_pool_spreads_the_error_over_each_window() -> None:
    graph = _graph((1, 2, 4), Node("m", AvgPool((2, 2)), "x"))
    X = np.arange(8.0).reshape(1, 1, 2, 4)  # windows {0, 1, 4, 5} and {2, 3, 6, 7}
    assert graph_forward(graph, X).tolist() == [[2.5, 4.5]]
    grad = graph_backward(graph, X, np.zeros((1, 2)), MSE)
    # ∂C/∂v = 2 v / 2 = v, spread as v/4 over the window
    assert grad.inputs["x"].ravel().tolist() == [0.625, 0.625, 1.125, 1.125] * 2


# --- against the exact symbolic forward pass -----------------------------------------------------


def _rational(rng: np.random.Generator) -> sp.Rational:
    return sp.Rational(int(rng.integers(-9, 10)), int(rng.integers(1, 5)))


SYMBOLIC_GRAPHS = {
    "residual": lambda: GraphNetwork.residual(2, 2),
    "conv and pools": lambda: _graph(
        (1, 5),
        Node("c", Conv(2, 3, padding=1, padding_mode="circular", activation="relu"), "x"),
        Node("m", MaxPool(2, stride=1), "c"),
        Node("a", AvgPool(2), "m"),
        Node("f", Flatten(), "a"),
    ),
    "conv 2-D, concat": lambda: _graph(
        (1, 3, 3),
        Node("c", Conv(1, 2, padding=(1, 0), activation="tanh"), "x"),  # (1, 4, 2)
        Node("k", Conv(2, 2, padding=(1, 0), padding_mode="circular"), "x"),  # (2, 4, 2)
        Node("j", Concat(), ("c", "k")),
    ),
    "batch norm": lambda: _graph(
        2,
        Node("h", Dense(2, "sigmoid"), "x"),
        Node("n", BatchNorm(), "h"),
        Node("r", Add(), ("n", "x")),
        batch=2,
    ),
}


@pytest.mark.parametrize("name", SYMBOLIC_GRAPHS)
def test_the_forward_pass_agrees_with_the_exact_symbolic_one(
    name: str, rng: np.random.Generator
) -> None:
    graph = SYMBOLIC_GRAPHS[name]()
    theta = [_rational(rng) for _ in graph.parameters]
    X = {
        n: [[_rational(rng) for _ in range(int(np.prod(s)))] for _ in range(graph.batch)]
        for n, s in graph.inputs.items()
    }
    mapping = dict(zip(graph.parameters, theta, strict=True))
    for n in graph.inputs:
        for symbols, row in zip(graph.input_symbols(n), X[n], strict=True):
            mapping.update(zip(symbols, row, strict=True))
    exact = [[sp.N(e.xreplace(mapping), 30) for e in row] for row in graph.forward()]
    floats = graph_forward(graph, {n: np.array(v, dtype=float) for n, v in X.items()}, theta)
    np.testing.assert_allclose(floats, np.array(exact, dtype=float), rtol=1e-12, atol=1e-12)
    shaped = {
        n: np.array(v, dtype=object).reshape(graph.batch, *graph.inputs[n]) for n, v in X.items()
    }
    mp = graph_forward_mp(graph, shaped, theta)
    np.testing.assert_allclose(np.array(mp, dtype=float), np.array(exact, dtype=float), rtol=1e-14)


# --- the interface -------------------------------------------------------------------------------


def test_parameters_as_a_mapping_or_a_sequence_agree(rng: np.random.Generator) -> None:
    graph = GraphNetwork.residual(2, 1)
    theta = free_values(graph, rng)
    X = rng.normal(size=(2, 2))
    by_symbol = dict(zip(graph.parameters, theta, strict=True))
    np.testing.assert_array_equal(
        graph_forward(graph, X, theta), graph_forward(graph, X, by_symbol)
    )
    grad = graph_backward(graph, X, np.zeros((2, 2)), MSE, theta)
    assert list(grad.by_symbol()) == list(graph.parameters)


def test_node_values_hold_the_pre_activations(rng: np.random.Generator) -> None:
    graph = _graph(2, Node("h", Dense(2, "tanh"), "x"), Node("r", Add(), ("x", "h")))
    W, b = rng.normal(size=(2, 2)), rng.normal(size=2)
    X = rng.normal(size=(3, 2))
    values = graph_node_values(graph, X, values_for(graph, "h", W=W, b=b))
    np.testing.assert_allclose(values["h:pre"], X @ W.T + b)
    np.testing.assert_allclose(values["h"], np.tanh(X @ W.T + b))
    np.testing.assert_allclose(values["r"], X + np.tanh(X @ W.T + b))
    assert "r:pre" not in values


def test_binary_cross_entropy_after_a_sigmoid_is_differentiated_from_the_logits() -> None:
    """At a logit of 800, σ rounds to 1 and the output gradient -y/o + (1-y)/(1-o) is
    infinite; ∂C/∂z = σ(z) - y = 1 - 1/4 stays exact."""
    graph = _graph(1, Node("o", Dense(1, "sigmoid", weights=[[1]], bias=[0]), "x"))
    grad = graph_backward(graph, [[800.0]], [[0.25]], LOSSES["bce"])
    assert grad.nodes["o"].tolist() == [[0.75]]
    assert grad.inputs["x"].tolist() == [[0.75]]


def test_errors_name_the_value_and_what_to_do(rng: np.random.Generator) -> None:
    graph = GraphNetwork.residual(2, 1)
    theta = free_values(graph, rng)
    with pytest.raises(ValueError, match="free parameter"):
        graph_forward(graph, [[1.0, 2.0]])
    with pytest.raises(ValueError, match="3 values for 12"):
        graph_forward(graph, [[1.0, 2.0]], theta[:3])
    with pytest.raises(ValueError, match=r"shape \(1, 3\) does not fit the input shape \(2,\)"):
        graph_forward(graph, [[1.0, 2.0, 3.0]], theta)
    with pytest.raises(ValueError, match="did you mean 'x'"):
        graph_forward(graph, {"xx": [[1.0, 2.0]]}, theta)
    with pytest.raises(TypeError, match="text"):
        graph_forward(graph, [["1", "2"]], theta)
    with pytest.raises(TypeError, match="registry"):
        graph_backward(graph, [[1.0, 2.0]], [[0.0, 0.0]], "mse", theta)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="targets of shape"):
        graph_backward(graph, [[1.0, 2.0]], [[0.0, 0.0, 0.0]], MSE, theta)
    norm = _graph(2, Node("n", BatchNorm(), "x"), batch=2)
    with pytest.raises(ValueError, match="at least 2"):
        graph_forward(norm, [[1.0, 2.0]], [1, 1, 0, 0])
    with pytest.raises(ValueError, match="at least 2"):
        graph_forward_mp(norm, [1, 2], [1, 1, 0, 0])
    soft = _graph(2, Node("s", Softmax(), "x"))
    with pytest.raises(ValueError, match="applied twice"):
        graph_backward(soft, [[1.0, 2.0]], [[0.0, 1.0]], LOSSES["log"])


@pytest.mark.parametrize(
    ("sizes", "activations", "loss"),
    [
        ([3, 4, 2], ["tanh", "identity"], "log"),
        ([2, 3, 3], ["relu", "softmax"], "mse"),
        ([3, 2, 1], ["softplus", "sigmoid"], "bce"),
    ],
)
def test_a_chain_as_a_graph_agrees_with_the_chain_evaluator(
    sizes: list[int], activations: list[str], loss: str, rng: np.random.Generator
) -> None:
    """symdl.core.numeric evaluates chains by matrices, layer by layer: the same numbers."""
    from symdl.core.network import Network
    from symdl.core.numeric import forward, parameter_gradient

    net = Network.mlp(sizes, activations)
    graph = GraphNetwork.from_network(net)
    theta = dict(zip(net.parameters, rng.normal(size=len(net.parameters)), strict=True))
    X = rng.normal(size=(4, sizes[0]))
    Y = (
        np.eye(sizes[-1])[rng.integers(0, sizes[-1], size=4)]
        if sizes[-1] > 1
        else rng.random((4, 1))
    )
    np.testing.assert_allclose(graph_forward(graph, X, theta), forward(net, X, theta), rtol=1e-13)
    chain = parameter_gradient(net, X, Y, LOSSES[loss], theta)
    grad = graph_backward(graph, X, Y, LOSSES[loss], theta).by_symbol()
    np.testing.assert_allclose(
        [grad[s] for s in net.parameters],
        [chain[s] for s in net.parameters],
        rtol=1e-10,
        atol=1e-14,
    )
