r"""Backpropagation on a graph network computes the error of every node

The homework of the lecture, on networks that are not chains.  A graph network computes, node
by node in topological order, :math:`a^{(n)} = \sigma_n\bigl(v^{(n)}\bigr)` from the values of
earlier nodes: a dense or convolution node :math:`z^{(n)} = W^{(n)} a + b^{(n)}`, a sum
:math:`r = x + a^{(f)}` (the residual connection of He et al.), a concatenation, a max or
average pooling, a batch norm over the batch.  With the loss :math:`C` of the output node, the
backward pass gives every node the error

.. math::

    \delta^{(n)} = \Bigl(\sum_{m} J_m^{\top} \delta^{(m)}\Bigr) \odot \sigma_n'\bigl(z^{(n)}\bigr),
    \qquad J_m = \frac{\partial v^{(m)}}{\partial a^{(n)}},

summed over the nodes :math:`m` that use node :math:`n` (without the last factor for a node
other than dense or convolution).  A sum has :math:`J = I`, so it passes its error unchanged:
for a residual block :math:`\delta^{(x)} = \delta^{(r)} + (W^{(h)})^{\top} \delta^{(h)}`.

Theorem.  For every node, :math:`\delta^{(n)}_j = \partial C / \partial z^{(n)}_j` for a dense
or convolution node and :math:`\delta^{(n)}_j = \partial C / \partial a^{(n)}_j` for any other
node, off the kinks of ReLU and of the maximum (where the derivative is the registry's
convention, :math:`\operatorname{ReLU}'(0) = 0`, and a tie of a pooling window goes to its first
maximal entry).

Proved exactly on two residual networks, a two-branch sum, a concatenation, a convolution with
max and average pooling and a batch norm on a batch of 2: each error is compared with
``sympy.diff`` of the loss recomputed from a free variable at the node through the operations'
own definitions, everything else held fixed, by symdl's referee (symbolically, region by region
across the kinks).  Checked independently in numbers: against the NumPy evaluator written by
hand from the mathematics, and against finite differences of an mpmath forward pass at 30
digits.

References: K. He, X. Zhang, S. Ren, J. Sun, "Deep residual learning for image recognition",
CVPR 2016, equation (1); S. Ioffe, C. Szegedy, "Batch normalization", ICML 2015, section 3;
M. Nielsen, *Neural Networks and Deep Learning* (2015), ch. 2, equations (BP1)–(BP4).
"""

from __future__ import annotations

import mpmath
import sympy as sp

from symdl.backpropagation.graph_mode import GraphBackpropagation, graph_backprop
from symdl.backpropagation.straight_line import StraightLineProgram
from symdl.core.derivation import Derivation
from symdl.core.graph import GraphNetwork, Node
from symdl.core.graph_operations import (
    Add,
    AvgPool,
    BatchNorm,
    Concat,
    Conv,
    Dense,
    Flatten,
    MaxPool,
)
from symdl.core.losses import LOSSES
from symdl.core.numeric_graph import graph_forward_mp

L2 = LOSSES["l2"]


def two_branch_sum() -> GraphNetwork:
    r""":math:`s = \operatorname{ReLU}(W_p x + b_p) + \tanh(W_q x + b_q)`, then a dense output."""
    return GraphNetwork(
        {"x": 2},
        [
            Node("p", Dense(2, "relu"), "x"),
            Node("q", Dense(2, "tanh"), "x"),
            Node("s", Add(), ("p", "q")),
            Node("o", Dense(1), "s"),
        ],
    )


def concatenation() -> GraphNetwork:
    """A ReLU branch of ``x`` concatenated with a second input ``u``, then a dense output."""
    return GraphNetwork(
        {"x": 2, "u": 1},
        [
            Node("h", Dense(2, "relu"), "x"),
            Node("k", Concat(), ("h", "u")),
            Node("o", Dense(1), "k"),
        ],
    )


def conv_and_pool(pool: MaxPool | AvgPool) -> GraphNetwork:
    """A 1-D convolution (one kernel of width 2, shared by the positions), a pooling, then a
    dense output with ReLU."""
    return GraphNetwork(
        {"x": (1, 3)},
        [
            Node("c", Conv(1, 2), "x"),
            Node("p", pool, "c"),
            Node("v", Flatten(), "p"),
            Node("o", Dense(1, "relu"), "v"),
        ],
    )


def batch_norm() -> GraphNetwork:
    """A dense layer, a batch norm over a batch of 2, a fixed readout."""
    return GraphNetwork(
        {"x": 1},
        [
            Node("h", Dense(2), "x"),
            Node("n", BatchNorm(eps=sp.Rational(1, 2)), "h"),
            Node("o", Dense(1, weights=[[1, 1]], bias=[0]), "n"),
        ],
        batch=2,
    )


def _proved(bp: GraphBackpropagation) -> None:
    report = bp.verify(points=4)
    assert report.holds, str(report)
    assert report.proved, str(report)
    checked = {check.node for check in report.checks}
    assert checked == {*bp.graph.inputs, *(node.name for node in bp.graph.nodes)}


def lemma_residual_blocks_pass_the_error_through_the_identity() -> None:
    """Residual networks (width 2, one block; width 1, two blocks): every δ is proved, and the
    sum passes its error unchanged to both the branch and the shortcut."""
    for graph in (GraphNetwork.residual(2, 1), GraphNetwork.residual(1, 2)):
        bp = graph_backprop(graph, L2)
        _proved(bp)
        width = graph.shapes["x"][0]
        for k in (1, 2)[: len(graph.nodes) // 3]:
            shortcut = "x" if k == 1 else f"r{k - 1}"
            for j in range(1, width + 1):
                through = bp.errors[f"r{k}"][0][j - 1]
                assert bp.delta(f"f{k}", j) == through  # the branch's end: δ^(r) itself
                terms = sp.Add.make_args(bp.delta(shortcut, j))
                assert through in terms  # the shortcut: δ^(r) plus the branch's pull-back


def lemma_a_two_branch_sum_collects_both_branches() -> None:
    """``x`` feeds a ReLU branch and a tanh branch that are summed: its δ is proved."""
    _proved(graph_backprop(two_branch_sum(), L2))


def lemma_a_concatenation_splits_the_error() -> None:
    """Two inputs concatenated: each receives its own slice of the error; every δ proved."""
    bp = graph_backprop(concatenation(), L2)
    _proved(bp)
    assert bp.delta("u", 1) == bp.errors["k"][0][2]


def lemma_convolution_and_pooling() -> None:
    """A shared convolution kernel with max pooling (ties to the first maximal entry) and with
    average pooling: every δ proved, and the kernel's gradient is the sum over positions."""
    for pool in (MaxPool(2), AvgPool(2)):
        bp = graph_backprop(conv_and_pool(pool), L2)
        _proved(bp)
        x = bp.values["x"][0]
        w1, w2 = bp.parameters[:2]
        deltas = bp.errors["c"][0]
        assert bp.gradient[w1] == deltas[0] * x[0] + deltas[1] * x[1]
        assert bp.gradient[w2] == deltas[0] * x[1] + deltas[1] * x[2]


def lemma_batch_norm_on_a_batch_of_two() -> None:
    """Batch norm couples the two examples: every δ, in each example, is proved."""
    _proved(graph_backprop(batch_norm(), L2))


def lemma_numeric_cross_check() -> None:
    """Every graph above: the compiled gradient and errors agree with the NumPy evaluator
    (written by hand, never from the SymPy expressions) at random points."""
    graphs = [
        GraphNetwork.residual(2, 2),
        two_branch_sum(),
        concatenation(),
        conv_and_pool(MaxPool(2)),
        conv_and_pool(AvgPool(2)),
        batch_norm(),
    ]
    for graph in graphs:
        report = graph_backprop(graph, LOSSES["mse"]).cross_check(points=3, seed=17)
        assert report.holds, str(report)


def lemma_errors_of_the_inputs_equal_mpmath_finite_differences() -> None:
    """Two residual blocks of width 2 at a rational point: δ^(x), computed exactly by the
    program, equals the derivative of an mpmath forward pass at 30 digits."""
    graph = GraphNetwork.residual(2, 2, activation="tanh")
    bp = graph_backprop(graph, L2)
    theta = [sp.Rational((-1) ** i * (i % 5 + 1), 7) for i in range(len(bp.parameters))]
    x0 = [sp.Rational(1, 3), sp.Rational(-2, 5)]
    y0 = [sp.Rational(1, 2), sp.Integer(-1)]
    values = dict(zip(bp.parameters, theta, strict=True))
    values.update(zip(bp.values["x"][0], x0, strict=True))
    values.update(zip(bp.targets, y0, strict=True))
    deltas = bp.errors["x"][0]
    exact = StraightLineProgram(bp.program.definitions, tuple(deltas)).evaluate(values)
    h = sp.Rational(1, 10**15)  # central differences: truncation error of order h² ≈ 10^-30

    def cost(point: list[sp.Rational]) -> mpmath.mpf:
        out = graph_forward_mp(graph, point, theta, dps=60)
        with mpmath.workdps(60):
            return sum((o - mpmath.mpf(y.p) / y.q) ** 2 for o, y in zip(out, y0, strict=True))

    for k, value in enumerate(exact):
        up = [v + h if i == k else v for i, v in enumerate(x0)]
        down = [v - h if i == k else v for i, v in enumerate(x0)]
        with mpmath.workdps(60):
            numeric = (cost(up) - cost(down)) / (2 * mpmath.mpf(h.p) / h.q)
            assert abs(numeric - mpmath.mpf(sp.N(value, 60))) < mpmath.mpf(10) ** -25


def derivation() -> Derivation:
    """Backpropagation written out for one residual block of width 2."""
    return graph_backprop(GraphNetwork.residual(2, 1), L2).derivation()
