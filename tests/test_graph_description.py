"""The text form of graph networks: the documented example, round trips through TOML, exact
numbers, strict keys with suggestions, and bounds on the text."""

from __future__ import annotations

from typing import Any

import pytest
import sympy as sp

from symdl.core import graph_description
from symdl.core.activations import get_activation
from symdl.core.exceptions import NotSupportedError
from symdl.core.graph import GraphNetwork, Node
from symdl.core.graph_description import describe_graph, read_graph
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
from symdl.core.network import Network

R = sp.Rational

EXAMPLE = """
batch = 1
output = "r1"          # optional, default the last node
[inputs]
x = 3                  # or [1, 8, 8] for a 1-channel 8×8 image
[[nodes]]
name = "h1"
op = "dense"
inputs = ["x"]
units = 3
activation = "relu"
[[nodes]]
name = "f1"
op = "dense"
inputs = ["h1"]
units = 3
[[nodes]]
name = "r1"
op = "add"
inputs = ["x", "f1"]
"""


def test_the_documented_example_is_the_residual_block() -> None:
    assert read_graph(EXAMPLE) == GraphNetwork.residual(3, 1)


def conv_graph() -> GraphNetwork:
    return GraphNetwork(
        {"img": (2, 4, 4), "u": 3},
        [
            Node(
                "c",
                Conv(
                    1,
                    (2, 3),
                    stride=(1, 2),
                    padding=1,
                    padding_mode="circular",
                    activation=get_activation("leaky_relu", a=R(1, 5)),
                    weights=[[[[1, R(-1, 2), 0], [2, 3, 4]], [[0, 0, 1], [R(7, 3), 1, 1]]]],
                    bias=[R(1, 2)],
                ),
                "img",
            ),
            Node("p", MaxPool((2, 1), stride=1), "c"),
            Node("q", AvgPool(1), "p"),
            Node("f", Flatten(), "q"),
            Node("n", BatchNorm(eps=R(1, 1000), gamma=[1, 2, 3, 4, 5, 6, 7, 8], beta=None), "f"),
            Node("d", Dense(3, "tanh"), "n"),
            Node("k", Concat(), ("d", "u")),
            Node("a", Activation("sigmoid"), "k"),
            Node("s", Softmax(), "a"),
            Node("t", Add(), ("s", "s")),
        ],
        output="s",
        batch=2,
    )


@pytest.mark.parametrize(
    "graph",
    [
        GraphNetwork.residual(3, 2),
        GraphNetwork.residual(2, 1, activation="sigmoid", batch=3),
        conv_graph(),
        GraphNetwork.from_network(
            Network.mlp(
                [2, 2, 2],
                ["relu", "softmax"],
                weights=[[[1, 2], [3, 4]], [[R(1, 2), 0], [0, 1]]],
                biases=[[0, 0], [-1, R(2, 3)]],
            )
        ),
    ],
)
def test_describe_then_read_gives_an_equal_graph(graph: GraphNetwork) -> None:
    text = describe_graph(graph)
    again = read_graph(text)
    assert again == graph
    assert again.shapes == graph.shapes
    assert describe_graph(again) == text


def test_the_round_trip_keeps_the_values() -> None:
    graph = conv_graph()
    again = read_graph(describe_graph(graph))
    # the same exact weights: the same pre-activation of the convolution on one input
    x = {"img": [list(range(32)), list(range(32, 0, -1))], "u": [[1, 2, 3], [0, 0, 0]]}
    assert again.values("c", x) == graph.values("c", x)


def test_exact_numbers_in_text() -> None:
    text = """
    [inputs]
    x = 2
    [[nodes]]
    name = "y"
    op = "dense"
    inputs = "x"
    units = 1
    weights = [["1/3", 0.25]]
    bias = ["-1e-2"]
    """
    graph = read_graph(text)
    assert graph.node("y").parameters["W"].tolist() == [[R(1, 3), R(1, 4)]]
    assert graph.node("y").parameters["b"].tolist() == [R(-1, 100)]
    # a decimal is read as the decimal it writes, not as the nearest binary float
    assert read_graph(text.replace("0.25", "0.1")).node("y").parameters["W"][0, 1] == R(1, 10)


def test_a_mapping_is_read_like_text_but_floats_are_refused() -> None:
    data: dict[str, Any] = {
        "inputs": {"x": [1, 4]},
        "nodes": [{"name": "c", "op": "conv", "inputs": ["x"], "channels": 1, "kernel": 2}],
    }
    assert read_graph(data).shapes["c"] == (1, 3)
    data["nodes"][0]["weights"] = [[[0.5, 1]]]
    with pytest.raises(TypeError, match=r"weights\[0\]\[0\]\[0\]=0.5 is a float"):
        read_graph(data)


def test_a_misspelt_key_is_an_error_with_a_suggestion() -> None:
    text = EXAMPLE.replace('activation = "relu"', 'activaton = "relu"')
    with pytest.raises(ValueError, match=r"unknown key 'activaton' .*did you mean 'activation'"):
        read_graph(text)
    with pytest.raises(ValueError, match=r"unknown key 'ouput'.*did you mean 'output'"):
        read_graph(EXAMPLE.replace("output =", "ouput ="))
    with pytest.raises(
        ValueError,
        match=r"unknown key 'size'; accepted: name, op, inputs, units.*"
        r"'size' is an option of max_pool, avg_pool",
    ):
        read_graph(EXAMPLE.replace("units = 3\nactivation", "size = 3\nunits = 3\nactivation"))


def test_unknown_ops_options_and_values() -> None:
    with pytest.raises(ValueError, match=r"unknown op 'dens'.*did you mean 'dense'"):
        read_graph(EXAMPLE.replace('op = "add"', 'op = "dens"'))
    with pytest.raises(ValueError, match=r"unknown activation 'rellu'.*did you mean 'relu'"):
        read_graph(EXAMPLE.replace('"relu"', '"rellu"'))
    with pytest.raises(ValueError, match=r"the option 'units' is missing"):
        read_graph(EXAMPLE.replace("units = 3\nactivation", "activation"))
    with pytest.raises(TypeError, match=r"units = '3' is not an integer"):
        read_graph(EXAMPLE.replace("units = 3\nactivation", 'units = "3"\nactivation'))
    with pytest.raises(ValueError, match=r"the key 'inputs' is missing"):
        read_graph(EXAMPLE.replace('inputs = ["x", "f1"]', ""))
    with pytest.raises(ValueError, match=r"has no 'nodes'"):
        read_graph("[inputs]\nx = 1\n")
    with pytest.raises(ValueError, match=r"not valid TOML"):
        read_graph("[inputs\nx = 1")
    with pytest.raises(ValueError, match=r"node 'f1' \(dense\): units=0"):
        read_graph(
            EXAMPLE.replace(
                'units = 3\n[[nodes]]\nname = "r1"', 'units = 0\n[[nodes]]\nname = "r1"'
            )
        )


def test_errors_of_the_graph_name_the_node() -> None:
    with pytest.raises(ValueError, match=r"node 'r1' \(add of x, f1\).*shape 3, input 2 has 2"):
        read_graph(
            EXAMPLE.replace(
                'units = 3\n[[nodes]]\nname = "r1"', 'units = 2\n[[nodes]]\nname = "r1"'
            )
        )


def test_the_text_size_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(graph_description, "MAX_DESCRIPTION_CHARS", 100)
    with pytest.raises(ValueError, match=r"characters; at most 100 .*MAX_DESCRIPTION_CHARS"):
        read_graph(EXAMPLE)
    deep = "[inputs]\nx = " + "[" * 100_000 + "]" * 100_000
    monkeypatch.setattr(graph_description, "MAX_DESCRIPTION_CHARS", 1_000_000)
    with pytest.raises(ValueError, match=r"nested too deeply|not valid TOML|shape"):
        read_graph(deep + "\n[[nodes]]\nname='a'\nop='flatten'\ninputs='x'\n")


def test_symbolic_parameters_given_by_hand_cannot_be_described() -> None:
    graph = GraphNetwork.from_network(Network.mlp([2, 1], "identity"))
    with pytest.raises(NotSupportedError, match=r"not a number"):
        describe_graph(graph)
