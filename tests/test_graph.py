"""Graph networks: shapes, symbols, values against formulas written directly, chains as graphs,
substitution, display, and every bad graph."""

from __future__ import annotations

import re

import numpy as np
import pytest
import sympy as sp

from symdl.core import graph as graph_module
from symdl.core.activations import ACTIVATIONS
from symdl.core.exceptions import NotSupportedError
from symdl.core.graph import GraphNetwork, GraphNode, Node
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
)
from symdl.core.layers import bias_symbol, input_symbols, weight_symbol
from symdl.core.network import Network

R = sp.Rational


def matrix(node: str, rows: int, cols: int) -> sp.Matrix:
    return sp.Matrix(rows, cols, lambda j, k: weight_symbol(node, j + 1, k + 1))


def column(node: str, rows: int) -> sp.Matrix:
    return sp.Matrix(rows, 1, lambda j, _: bias_symbol(node, j + 1))


# --- the residual block ---------------------------------------------------------------------------


def test_residual_block_equals_the_formula_written_directly() -> None:
    graph = GraphNetwork.residual(3, 1)
    x = sp.Matrix(input_symbols(3))
    W1, b1, W2, b2 = matrix("h1", 3, 3), column("h1", 3), matrix("f1", 3, 3), column("f1", 3)
    direct = x + W2 * (W1 * x + b1).applyfunc(lambda t: sp.Max(0, t)) + b2
    got = graph.forward()[0]
    assert len(got) == 3
    for g, d in zip(got, direct, strict=True):
        assert sp.expand(g - d) == 0


def test_two_residual_blocks_by_hand_with_exact_weights() -> None:
    # width 1: h = ReLU(w x + b), r = x + (v h + c); block 1 with w=2, b=-1, v=3, c=1;
    # block 2 with w=-1, b=0, v=1, c=0
    graph = GraphNetwork.residual(1, 2)
    values = dict.fromkeys(graph.parameters, 0)
    names = {str(p): p for p in graph.parameters}
    values.update(
        {
            names["w^{(h1)}_{11}"]: 2,
            names["b^{(h1)}_{1}"]: -1,
            names["w^{(f1)}_{11}"]: 3,
            names["b^{(f1)}_{1}"]: 1,
            names["w^{(h2)}_{11}"]: -1,
            names["w^{(f2)}_{11}"]: 1,
        }
    )
    fixed = graph.substitute(values)
    # x = 2: h1 = 3, r1 = 2 + 9 + 1 = 12, h2 = ReLU(-12) = 0, r2 = 12
    assert fixed.forward([2]) == [[12]]
    # x = -1: h1 = ReLU(-3) = 0, r1 = -1 + 1 = 0, h2 = 0, r2 = 0
    assert fixed.forward([-1]) == [[0]]
    # x = -3: h1 = 0, r1 = -2, h2 = ReLU(2) = 2, r2 = -2 + 2 = 0
    assert fixed.values("h2", [-3]) == [[2]]
    assert fixed.forward([-3]) == [[0]]


def test_residual_structure_shapes_parameters_and_consumers() -> None:
    graph = GraphNetwork.residual(2, 2, batch=1)
    assert [n.name for n in graph.nodes] == ["h1", "f1", "r1", "h2", "f2", "r2"]
    assert graph.output == "r2"
    assert graph.inputs == {"x": (2,)}
    assert all(graph.shapes[n.name] == (2,) for n in graph.nodes)
    assert graph.parameter_count == 4 * (2 * 2 + 2)
    assert len(graph.parameters) == 24
    assert str(graph.parameters[0]) == "w^{(h1)}_{11}"
    assert str(graph.parameters[5]) == "b^{(h1)}_{2}"
    # x is used twice (h1 and r1), r1 twice (h2 and r2)
    assert graph.consumers("x") == ("h1", "r1")
    assert graph.consumers("r1") == ("h2", "r2")
    assert graph.consumers("r2") == ()
    node = graph.node("r1")
    assert isinstance(node, GraphNode)
    assert (node.index, node.kind, node.inputs) == (3, "add", ("x", "f1"))
    assert node.activation is ACTIVATIONS["identity"]


# --- chains as graphs -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sizes", "activations"),
    [
        ([2, 3, 1], ["relu", "identity"]),
        ([3, 2, 2], ["tanh", "softmax"]),
        ([2, 2, 2, 1], ["sigmoid", "leaky_relu", "identity"]),
    ],
)
def test_from_network_is_the_same_function(sizes: list[int], activations: list[str]) -> None:
    net = Network.mlp(sizes, activations)
    graph = GraphNetwork.from_network(net)
    assert graph.forward() == [list(net.forward())]
    assert graph.parameters == net.parameters
    assert graph.input_symbols("x") == [list(net.inputs)]


def test_from_network_with_exact_weights_gives_the_same_numbers() -> None:
    net = Network.mlp(
        [2, 2, 1],
        ["relu", "identity"],
        weights=[[[1, -1], [R(1, 2), 2]], [[3, -2]]],
        biases=[[0, R(-1, 3)], [1]],
    )
    graph = GraphNetwork.from_network(net)
    assert graph.is_exact
    for x in ([3, 5], [R(-1, 2), 4], [0, 0]):
        assert graph.forward(x) == [list(net.forward(x))]


def test_from_network_refuses_what_a_graph_cannot_hold() -> None:
    mixed = Network.mlp([2, 2, 1], [["relu", "tanh"], "identity"])
    with pytest.raises(NotSupportedError, match=r"different activations"):
        GraphNetwork.from_network(mixed)


# --- convolutional graphs, batches, concatenation -------------------------------------------------


def test_conv_pool_flatten_dense_graph_by_hand() -> None:
    graph = GraphNetwork(
        {"x": (1, 4)},
        [
            Node("c", Conv(1, 2, activation="relu", weights=[[[1, -1]]], bias=[0]), "x"),
            Node("p", MaxPool(2, stride=1), "c"),
            Node("f", Flatten(), "p"),
            Node("y", Dense(1, weights=[[1, 10]], bias=[0]), "f"),
        ],
    )
    assert graph.shapes == {"x": (1, 4), "c": (1, 3), "p": (1, 2), "f": (2,), "y": (1,)}
    # x = (5, 1, 4, 0): differences 4, -3, 4 → ReLU 4, 0, 4 → max pool 4, 4 → 4 + 40
    assert graph.values("c", [5, 1, 4, 0]) == [[4, 0, 4]]
    assert graph.pre_activations("c", [5, 1, 4, 0]) == [[4, -3, 4]]
    assert graph.forward([5, 1, 4, 0]) == [[44]]


def test_image_input_symbols_and_a_batch_of_two() -> None:
    graph = GraphNetwork({"x": (1, 2, 2)}, [Node("p", AvgPool(2), "x")], batch=2)
    symbols = graph.input_symbols("x")
    assert [str(s) for s in symbols[1]] == [
        "x^{[2]}_{1,1,1}", "x^{[2]}_{1,1,2}", "x^{[2]}_{1,2,1}", "x^{[2]}_{1,2,2}",
    ]  # fmt: skip
    assert graph.forward() == [[sp.Add(*symbols[0]) / 4], [sp.Add(*symbols[1]) / 4]]
    assert graph.forward({"x": [[[[1, 2], [3, 4]]], [[[0, 0], [0, 8]]]]}) == [[R(5, 2)], [2]]


def test_input_symbols_of_a_vector_and_of_another_name() -> None:
    graph = GraphNetwork({"x": 2, "u": 2}, [Node("s", Add(), ("x", "u"))])
    assert graph.input_symbols("x") == [list(input_symbols(2))]
    assert [str(s) for s in graph.input_symbols("u")[0]] == ["u_{1}", "u_{2}"]
    u1, u2 = graph.input_symbols("u")[0]
    x1, x2 = input_symbols(2)
    assert graph.forward() == [[x1 + u1, x2 + u2]]
    # only u given: x stays symbolic
    assert graph.forward({"u": [1, 2]}) == [[x1 + 1, x2 + 2]]


def test_batch_norm_graph_couples_the_batch() -> None:
    graph = GraphNetwork(
        {"x": 1}, [Node("n", BatchNorm(eps=R(1, 4), gamma=[1], beta=[0]), "x")], batch=2
    )
    # x = 3, 1: μ = 2, σ² = 1, x̂ = ±1/√(5/4) = ±2/√5
    assert graph.forward([[3], [1]]) == [[2 / sp.sqrt(5)], [-2 / sp.sqrt(5)]]


def test_concat_of_two_branches_keeps_their_order() -> None:
    graph = GraphNetwork(
        {"x": 2},
        [
            Node("u", Dense(1, weights=[[1, 1]], bias=[0]), "x"),
            Node("v", Dense(2, weights=[[1, 0], [0, -1]], bias=[0, 0]), "x"),
            Node("c", Concat(), ("v", "u")),
            Node("a", Activation("relu"), "c"),
        ],
    )
    assert graph.shapes["c"] == (3,)
    # v = (2, -5), u = 7: concat (v, u) = (2, -5, 7), ReLU → (2, 0, 7)
    assert graph.values("c", [2, 5]) == [[2, -5, 7]]
    assert graph.forward([2, 5]) == [[2, 0, 7]]


def test_output_may_be_an_earlier_node_and_add_may_take_one_input_twice() -> None:
    graph = GraphNetwork(
        {"x": 1}, [Node("d", Add(), ("x", "x")), Node("e", Add(), ("d", "x"))], output="d"
    )
    assert graph.forward([5]) == [[10]]
    assert graph.values("e", [5]) == [[15]]
    assert graph.consumers("x") == ("d", "e")


# --- substitution, equality, display --------------------------------------------------------------


def test_substitute_fixes_parameters_and_refuses_strangers() -> None:
    graph = GraphNetwork({"x": 1}, [Node("y", Dense(1, "relu"), "x")])
    w, b = graph.parameters
    half = graph.substitute({w: R(1, 2)})
    assert half.parameters == (b,)
    assert half.forward([4]) == [[sp.Max(0, b + 2)]]
    with pytest.raises(ValueError, match=r"not a parameter"):
        graph.substitute({sp.Symbol("q", real=True): 1})
    with pytest.raises(TypeError, match=r"float"):
        graph.substitute({w: 0.5})


def test_graphs_compare_by_structure() -> None:
    assert GraphNetwork.residual(2, 1) == GraphNetwork.residual(2, 1)
    assert GraphNetwork.residual(2, 1) != GraphNetwork.residual(2, 1, activation="tanh")
    assert GraphNetwork.residual(2, 1) != GraphNetwork.residual(3, 1)


def test_latex_has_one_equation_per_node_and_no_sympy_syntax() -> None:
    graph = GraphNetwork(
        {"x": (1, 4, 4)},
        [
            Node("c", Conv(2, 3, padding=1, activation="relu"), "x"),
            Node("p", MaxPool(2), "c"),
            Node("n", BatchNorm(), "p"),
            Node("f", Flatten(), "n"),
            Node("y", Dense(1), "f"),
        ],
        batch=2,
    )
    text = graph.latex()
    lines = text.split(" \\\\\n")
    assert len(lines) == 2 + 1 + 1 + 1 + 2
    assert lines[0].startswith("z^{(c)} &= W^{(c)} \\star x + b^{(c)}")
    assert lines[1] == r"a^{(c)} &= \operatorname{ReLU}\left(z^{(c)}\right)"
    assert r"\operatorname{maxpool}\left(a^{(c)}\right)" in lines[2]
    assert r"\gamma^{(n)}" in lines[3]
    assert r"\frac{1}{100000}" in lines[3]
    for bad in ("**", "Piecewise", "Max("):
        assert bad not in text
    assert not re.search(r"\boo\b", text)
    assert graph._repr_latex_().startswith("$$\\begin{aligned}")
    assert repr(graph).startswith("GraphNetwork(inputs={x: 1×4×4}, nodes=[c = conv(x)")


# --- bad graphs -----------------------------------------------------------------------------------


def test_unknown_input_name_suggests_the_closest() -> None:
    with pytest.raises(ValueError, match=r"takes 'hiden', which is neither.*did you mean 'hidden'"):
        GraphNetwork({"x": 2}, [Node("hidden", Dense(2), "x"), Node("y", Dense(1), "hiden")])


def test_cycles_and_forward_references_are_refused() -> None:
    with pytest.raises(ValueError, match=r"takes 'b', which comes later"):
        GraphNetwork({"x": 1}, [Node("a", Add(), ("x", "b")), Node("b", Dense(1), "a")])
    with pytest.raises(ValueError, match=r"its own value.*cycle"):
        GraphNetwork({"x": 1}, [Node("a", Add(), ("x", "a"))])


def test_shape_errors_name_the_node_and_its_inputs() -> None:
    with pytest.raises(ValueError, match=r"node 'r' \(add of x, f\).*shape 3.*has 2"):
        GraphNetwork({"x": 3}, [Node("f", Dense(2), "x"), Node("r", Add(), ("x", "f"))])
    with pytest.raises(ValueError, match=r"node 'c' \(concat of x, u\).*1×4.*1×3"):
        GraphNetwork({"x": (1, 4), "u": (1, 3)}, [Node("c", Concat(), ("x", "u"))])
    with pytest.raises(ValueError, match=r"node 'c' \(conv of x\): kernel 5 is larger"):
        GraphNetwork({"x": (1, 3)}, [Node("c", Conv(1, 5, padding=0), "x")])
    with pytest.raises(ValueError, match=r"exactly 1 input"):
        GraphNetwork({"x": 1, "u": 1}, [Node("d", Dense(1), ("x", "u"))])


def test_batch_norm_with_batch_one_is_refused_at_construction() -> None:
    with pytest.raises(
        ValueError, match=r"node 'n' \(batch_norm of x\) needs a batch of at least 2"
    ):
        GraphNetwork({"x": 2}, [Node("n", BatchNorm(), "x")])


def test_names_are_checked() -> None:
    with pytest.raises(ValueError, match=r"'2x' is not a name"):
        Node("2x", Dense(1), "x")
    with pytest.raises(ValueError, match=r"two nodes are named 'a'"):
        GraphNetwork({"x": 1}, [Node("a", Dense(1), "x"), Node("a", Dense(1), "a")])
    with pytest.raises(ValueError, match=r"an input's name"):
        GraphNetwork({"x": 1}, [Node("x", Dense(1), "x")])
    with pytest.raises(ValueError, match=r"output='z' is not a node"):
        GraphNetwork({"x": 1}, [Node("a", Dense(1), "x")], output="z")
    with pytest.raises(TypeError, match=r"not an Operation"):
        Node("a", "dense", "x")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"input 'x' has shape"):
        GraphNetwork({"x": (1, 2, 3, 4)}, [Node("a", Dense(1), "x")])


def test_sizes_over_the_bounds_name_the_bound(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ValueError, match=r"1,000,000,000 units.*MAX_GRAPH_UNITS"):
        GraphNetwork({"x": 1}, [Node("h", Dense(10**9), "x")])
    with pytest.raises(ValueError, match=r"MAX_GRAPH_UNITS"):
        GraphNetwork({"x": (1, 10**5)}, [Node("f", Flatten(), "x")])
    with pytest.raises(ValueError, match=r"MAX_GRAPH_PARAMETERS"):
        GraphNetwork({"x": 4000}, [Node("h", Dense(4000), "x")])
    with pytest.raises(ValueError, match=r"batch=65.*MAX_BATCH"):
        GraphNetwork({"x": 1}, [Node("h", Dense(1), "x")], batch=65)
    # a convolution of (1, 10) by 2 kernels of 3: 2·8 outputs, each a sum of 1·3 products
    monkeypatch.setattr(graph_module, "MAX_GRAPH_TERMS", 40)
    with pytest.raises(ValueError, match=r"sums 48 products per example.*MAX_GRAPH_TERMS"):
        GraphNetwork({"x": (1, 10)}, [Node("c", Conv(2, 3), "x")])
    monkeypatch.setattr(graph_module, "MAX_GRAPH_NODES", 2)
    with pytest.raises(ValueError, match=r"3 nodes.*MAX_GRAPH_NODES"):
        GraphNetwork.residual(1, 1)


def test_shapes_may_be_numpy_integers() -> None:
    graph = GraphNetwork({"x": np.int64(2), "u": (np.int64(1), 3)}, [Node("f", Flatten(), "u")])
    assert graph.inputs == {"x": (2,), "u": (1, 3)}
    assert graph.shapes["f"] == (3,)
    with pytest.raises(ValueError, match=r"input 'x' has shape 2\.5"):
        GraphNetwork({"x": 2.5}, [Node("f", Flatten(), "x")])


def test_input_values_are_exact_and_counted() -> None:
    graph = GraphNetwork.residual(2, 1)
    with pytest.raises(TypeError, match=r"float"):
        graph.forward([0.5, 1])
    with pytest.raises(ValueError, match=r"3 value.*needs 1 example"):
        graph.forward([1, 2, 3])
    with pytest.raises(ValueError, match=r"'y' is not an input"):
        graph.forward({"y": [1, 2]})
    with pytest.raises(ValueError, match=r"'zz' is neither an input nor a node"):
        graph.values("zz")
