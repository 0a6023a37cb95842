"""Held-out cases from a review of the graph verification: ties and kinks at sample points.

The referee's first readable sample point of an input x of two units is x = (5/4, 1); the
networks below are built so that a max-pool window ties, or a kinked activation sits exactly on
its kink, there.  The conventions: a maximum's derivative goes to the first maximal entry in
row-major order; an activation's derivative at a kink is the registry's (leaky ReLU: a = 1/10,
``relu(at_zero=1)``: 1).
"""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp

from symdl import backprop
from symdl.backpropagation.graph_verification import true_partials, verify_graph_deltas
from symdl.backpropagation.straight_line import StraightLineProgram
from symdl.core.activations import Activation, relu
from symdl.core.graph import GraphNetwork, Node
from symdl.core.graph_operations import Add, BatchNorm, Conv, Dense, Flatten, MaxPool
from symdl.core.losses import LOSSES
from symdl.core.numeric_graph import graph_backward


def _pool_net() -> GraphNetwork:
    # c = conv([4, -1], padding 1) of x = (x1, x2) = (-x1, 4x1 - x2, 4x2), windows (c1, c2),
    # (c2, c3); at x = (5/4, 1): c2 = c3 = 4, a tie, and c2 comes first in row-major order
    nodes = [
        Node("c", Conv(1, 2, padding=1, weights=[[[4, -1]]], bias=[0]), "x"),
        Node("p", MaxPool(2, stride=1), "c"),
        Node("v", Flatten(), "p"),
    ]
    previous = "v"
    for k in (1, 2):
        nodes += [
            Node(f"h{k}", Dense(2, "tanh", weights=[[1, -2], [3, 1]], bias=[1, -1]), previous),
            Node(f"f{k}", Dense(2, weights=[[1, 1], [-1, 2]], bias=[0, 1]), f"h{k}"),
            Node(f"r{k}", Add(), (previous, f"f{k}")),
        ]
        previous = f"r{k}"
    return GraphNetwork({"x": (1, 2)}, nodes)


def test_a_max_pool_tie_goes_to_the_first_entry_in_row_major_order_in_the_truth_too() -> None:
    graph = _pool_net()
    bp = backprop(graph, LOSSES["mse"])
    numpy = graph_backward(
        graph, {"x": np.array([[[1.25, 1.0]]])}, np.array([[0.25, 0.75]]), LOSSES["mse"], []
    )
    point = dict(zip(bp.values["x"][0], [sp.Rational(5, 4), sp.Integer(1)], strict=True))
    point |= dict(zip(bp.targets, [sp.Rational(1, 4), sp.Rational(3, 4)], strict=True))
    ours = [float(bp.delta("x", k, expanded=True).xreplace(point)) for k in (1, 2)]
    assert np.allclose(ours, numpy.inputs["x"].ravel())  # backprop = the NumPy evaluator
    truth, _ = true_partials(bp, "x")
    assert np.allclose([float(t.xreplace(point)) for t in truth], ours)  # was 14.72, 41.89
    report = bp.verify(points=4, nodes=("x",), time_limit=30)
    assert report.holds, str(report)  # was "differ by 45.571"


def test_a_max_pool_tie_given_to_the_wrong_entry_is_caught() -> None:
    bp = backprop(_pool_net(), LOSSES["mse"])
    c1, c2, c3 = bp.values["c"][0]
    dc, dp = bp.errors["c"][0], bp.errors["p"][0]
    step = sp.Heaviside
    planted = {  # the tie c2 = c3 of window 2 given to its last entry
        dc[1]: dp[0] * step(c2 - c1, 0) + dp[1] * step(c2 - c3, 0),
        dc[2]: dp[1] * step(c3 - c2, 1),
    }
    definitions = tuple((s, planted.get(s, e)) for s, e in bp.program.definitions)
    bp.program = StraightLineProgram(definitions, bp.program.outputs)
    assert not verify_graph_deltas(bp, nodes=("x",), points=4, time_limit=30).holds


def _kink_net(activation: str | Activation) -> GraphNetwork:
    # z^(h)_1 = x1 + x2 - 9/4 = 0 at the first readable point x = (5/4, 1)
    nine_quarters = sp.Rational(9, 4)
    return GraphNetwork(
        {"x": 2},
        [
            Node(
                "h", Dense(2, activation, weights=[[1, 1], [1, -1]], bias=[-nine_quarters, 0]), "x"
            ),
            Node("t", Dense(2, "tanh", weights=[[1, -2], [2, 1]], bias=[0, 1]), "h"),
            Node("f", Dense(2, weights=[[1, 1], [-1, 2]], bias=[0, 1]), "t"),
            Node("r", Add(), ("h", "f")),
            Node("t2", Dense(2, "tanh", weights=[[1, -2], [2, 1]], bias=[0, 1]), "r"),
            Node("o", Dense(2, weights=[[1, 1], [-1, 2]], bias=[0, 1]), "t2"),
        ],
    )


@pytest.mark.parametrize("activation", [relu(at_zero=1), "leaky_relu", "relu"])
def test_a_correct_delta_on_a_kink_holds_with_the_activations_convention(
    activation: str | Activation,
) -> None:
    report = backprop(_kink_net(activation), LOSSES["mse"]).verify(
        points=4, nodes=("x",), time_limit=30
    )
    assert report.holds, str(report)


def test_the_truth_takes_leaky_relus_slope_at_its_kink() -> None:
    graph = GraphNetwork(
        {"x": 1}, [Node("h", Dense(1, "leaky_relu", weights=[[1]], bias=[0]), "x")]
    )
    bp = backprop(graph, LOSSES["l2"])
    (truth,), _ = true_partials(bp, "h")
    (u,) = bp.pre_activations["h"][0]
    (y,) = bp.targets
    # C = (LReLU(u) - y)^2 and LReLU'(0) = 1/10: at u = 0, y = 1, 2 (0 - 1) / 10
    assert truth.subs({u: 0, y: 1}) == -sp.Rational(1, 5)
    assert truth.subs({u: 1, y: 1}) == 0  # and the plain derivative away from the kink
    assert truth.subs({u: -10, y: 1}) == 2 * (-1 - 1) * sp.Rational(1, 10)


def test_a_wrong_slope_at_the_leaky_kink_is_caught() -> None:
    bp = backprop(_kink_net("leaky_relu"), LOSSES["mse"])
    wrong = bp.errors["h"][0][0]
    (z,) = [bp.pre_activations["h"][0][0]]
    slope_one_at_zero = sp.Piecewise((1, z >= 0), (sp.Rational(1, 10), True))
    right = bp.program.defined[wrong]
    planted = right.xreplace(
        {e: slope_one_at_zero for e in right.atoms(sp.Piecewise, sp.Heaviside) if e.has(z)}
    )
    if planted == right:
        pytest.fail(f"the planted slope did not change the error: {right}")
    definitions = tuple((s, planted if s == wrong else e) for s, e in bp.program.definitions)
    bp.program = StraightLineProgram(definitions, bp.program.outputs)
    assert not verify_graph_deltas(bp, nodes=("x",), points=4, time_limit=30).holds


def test_batch_norm_after_relu_with_chebyshevs_loss_is_decided() -> None:
    # the derivative of |·| of a maximum not known to be real took SymPy's complex form and
    # the first node used the whole time: every unit was undecided
    graph = GraphNetwork(
        {"x": 2},
        [
            Node("h", Dense(2, "relu"), "x"),
            Node("n", BatchNorm(eps=sp.Rational(1, 10)), "h"),
            Node("o", Dense(2), "n"),
        ],
        batch=2,
    )
    report = backprop(graph, LOSSES["chebyshev"]).verify(points=4, time_limit=30)
    assert all(c.method is not None for c in report.checks), str(report)
    assert report.holds, str(report)


def test_a_narrow_wrong_region_is_caught_under_a_short_time_limit() -> None:
    # H(z - 1/1000) in place of H(z): wrong only on 0 < z < 1/1000
    bp = backprop(GraphNetwork.residual(2, 2), LOSSES["mse"])
    wrong = bp.errors["h1"][0][0]
    z = bp.pre_activations["h1"][0][0]
    right = bp.program.defined[wrong]
    planted = right.replace(
        lambda n: isinstance(n, sp.Heaviside) and n.args[0] == z,
        lambda n: sp.Heaviside(z - sp.Rational(1, 1000), 0),
    )
    definitions = tuple((s, planted if s == wrong else e) for s, e in bp.program.definitions)
    bp.program = StraightLineProgram(definitions, bp.program.outputs)
    assert not verify_graph_deltas(bp, points=4, time_limit=8).holds
