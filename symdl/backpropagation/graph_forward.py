r"""A graph network's forward pass as a straight-line program: one symbol per value.

Backpropagation on a graph (:mod:`~symdl.backpropagation.graph_mode`) starts from the forward
pass written as definitions, in topological order: for a dense or convolution node
:math:`z^{(n)}_j :=` the operation's sum and :math:`a^{(n)}_j := \sigma(z^{(n)}_j)`; for any
other node :math:`a^{(n)}_j :=` what its operation computes, through its activation, in the
symbols of its inputs.  Each definition is small (a node's operation applied to symbols, never
to the expressions of earlier nodes), so the program grows linearly with the graph, where the
one-tree forward expression of a deep network does not.  Batch norm also names the statistics
of its batch, :math:`\mu^{(n)}_c` and :math:`s^{(n)}_c = \sqrt{\operatorname{Var}_c +
\varepsilon}`, and :math:`\hat x^{(n)}_j`, so that no definition repeats them.

Symbols are named as the lecture writes them (:func:`graph_symbol`): :math:`a^{(h1)}_{2}`,
:math:`z^{(c)}_{1,2,3}` for a unit of a map, :math:`\delta^{(h)[2]}_{1}` in example 2 of a
batch.

References
----------
W. Baur and V. Strassen, "The complexity of partial derivatives", Theoretical Computer Science
22 (1983), 317–330 (a computation as a straight-line program).

S. Ioffe and C. Szegedy, "Batch normalization", ICML 2015, Algorithm 1.
"""

from __future__ import annotations

import math

import numpy as np
import sympy as sp

from symdl.backpropagation.straight_line import StraightLineProgram
from symdl.core.activations import Activation
from symdl.core.graph import GraphNetwork, GraphNode
from symdl.core.graph_operations import BatchNorm

__all__ = [
    "PRE_ACTIVATION_KINDS",
    "GraphForwardPass",
    "graph_symbol",
    "graph_symbols",
    "graph_target_symbols",
    "is_identity",
]

Shape = tuple[int, ...]
Rows = list[list[sp.Symbol]]

#: The kinds of node whose error is :math:`\partial C/\partial z` (Nielsen's δ); every other
#: node's error is :math:`\partial C/\partial a`, the derivative in its value.
PRE_ACTIVATION_KINDS = frozenset({"dense", "conv"})


# --- the symbols -------------------------------------------------------------------------------


def _unit_label(shape: Shape, k: int) -> str:
    """The 1-based index of flat unit ``k`` of a value of ``shape``: ``3``, or ``1,2,3``."""
    if len(shape) == 1:
        return str(k + 1)
    return ",".join(str(int(i) + 1) for i in np.unravel_index(k, shape))


def graph_symbol(
    letter: str, node: str, shape: Shape, unit: int, *, example: int = 1, batch: int = 1
) -> sp.Symbol:
    r"""The real symbol of flat unit ``unit`` (from 0) of node ``node``: :math:`a^{(n)}_{j}`.

    ``letter`` is the LaTeX of the quantity (``"a"``, ``"z"``, ``r"\delta"``).  A vector's
    unit is numbered from 1, a map's by its channel and position, :math:`a^{(n)}_{c,i,j}`; in a
    batch of more than one example the example is a superscript, :math:`a^{(n)[b]}_{j}`.

    Examples
    --------
    >>> graph_symbol("a", "h1", (3,), 0), graph_symbol(r"\delta", "c1", (2, 4, 4), 5)
    (a^{(h1)}_{1}, \delta^{(c1)}_{1,2,2})
    >>> graph_symbol("z", "h", (2,), 1, example=2, batch=2)
    z^{(h)[2]}_{2}
    """
    sup = f"({node})" if batch == 1 else f"({node})[{example}]"
    return sp.Symbol(f"{letter}^{{{sup}}}_{{{_unit_label(shape, unit)}}}", real=True)


def graph_symbols(letter: str, node: str, shape: Shape, batch: int) -> Rows:
    r"""Every unit's symbol (:func:`graph_symbol`) of a node, ``[example][unit]`` from 0.

    Examples
    --------
    >>> graph_symbols(r"\delta", "r", (2,), 2)
    [[\delta^{(r)[1]}_{1}, \delta^{(r)[1]}_{2}], [\delta^{(r)[2]}_{1}, \delta^{(r)[2]}_{2}]]
    """
    size = math.prod(shape)
    return [
        [graph_symbol(letter, node, shape, k, example=b, batch=batch) for k in range(size)]
        for b in range(1, batch + 1)
    ]


def graph_target_symbols(n: int, *, batch: int = 1) -> list[list[sp.Symbol]]:
    r"""The real targets, example by example: :math:`y_j`, or :math:`y^{[b]}_j` in a batch.

    Examples
    --------
    >>> graph_target_symbols(2), graph_target_symbols(1, batch=2)
    ([[y_{1}, y_{2}]], [[y^{[1]}_{1}], [y^{[2]}_{1}]])
    """
    if batch == 1:
        return [[sp.Symbol(f"y_{{{j}}}", real=True) for j in range(1, n + 1)]]
    return [
        [sp.Symbol(f"y^{{[{b}]}}_{{{j}}}", real=True) for j in range(1, n + 1)]
        for b in range(1, batch + 1)
    ]


def is_identity(act: Activation) -> bool:
    """Whether ``act`` is the identity (its value at a symbol is the symbol).

    Examples
    --------
    >>> from symdl.core.activations import ACTIVATIONS
    >>> is_identity(ACTIVATIONS["identity"]), is_identity(ACTIVATIONS["relu"])
    (True, False)
    """
    probe = sp.Dummy(real=True)
    return bool(act(probe) == probe)


# --- the program ------------------------------------------------------------------------------


class GraphForwardPass:
    r"""The forward pass of a graph network as definitions: one symbol per value.

    For every node (in order) and every example and unit: :math:`z^{(n)}_j :=` what the
    operation computes, for dense and convolution nodes, and :math:`a^{(n)}_j :=
    \sigma(z^{(n)}_j)`; for any other node :math:`a^{(n)}_j :=` what the operation computes,
    through its activation.  Batch norm also defines :math:`\mu^{(n)}_c`,
    :math:`s^{(n)}_c = \sqrt{\operatorname{Var}_c + \varepsilon}` and :math:`\hat
    x^{(n)}_j`, so that no definition repeats the batch's statistics.

    Attributes
    ----------
    graph
        The :class:`~symdl.core.graph.GraphNetwork`.
    definitions
        Pairs ``(symbol, expression)`` in evaluation order.
    values, pre_activations
        Per node name (and graph input, in ``values``): the symbols ``[example][unit]``.
    computed
        Per node name: what its operation computes, before the activation, in the symbols of
        its inputs (``[example][unit]``).
    outputs
        The output node's value symbols, example by example, flat.

    Examples
    --------
    >>> from symdl.core.graph import GraphNetwork
    >>> forward = GraphForwardPass(GraphNetwork.residual(1, 1))
    >>> forward.definitions[-1]
    (a^{(r1)}_{1}, a^{(f1)}_{1} + x_{1})
    >>> forward.program().operation_count()
    6
    """

    def __init__(self, graph: GraphNetwork) -> None:
        self.graph = graph
        self.values: dict[str, Rows] = {}
        self.pre_activations: dict[str, Rows] = {}
        self.auxiliary: dict[str, dict[str, list[sp.Symbol]]] = {}
        self.computed: dict[str, list[list[sp.Expr]]] = {}
        self.order: dict[sp.Symbol, int] = {}
        definitions: list[tuple[sp.Symbol, sp.Expr]] = []
        for name in graph.inputs:
            self.values[name] = [list(row) for row in graph.input_symbols(name)]
            self._number(name)
        for node in graph.nodes:
            definitions.extend(self._forward_definitions(node))
            self._number(node.name)
        self.definitions: tuple[tuple[sp.Symbol, sp.Expr], ...] = tuple(definitions)
        self.outputs: tuple[sp.Symbol, ...] = tuple(
            s for row in self.values[graph.output] for s in row
        )

    def program(self) -> StraightLineProgram:
        """The definitions as a program whose outputs are the output node's values."""
        return StraightLineProgram(self.definitions, self.outputs)

    def _number(self, name: str) -> None:
        """Ordinals of a node's value symbols: row-major within each example."""
        base = len(self.order)
        for b, row in enumerate(self.values[name]):
            for k, s in enumerate(row):
                self.order.setdefault(s, base + b * len(row) + k)

    def _forward_definitions(self, node: GraphNode) -> list[tuple[sp.Symbol, sp.Expr]]:
        op = node.operation
        batch, shape = self.graph.batch, node.shape
        inputs = [self.values[i] for i in node.inputs]
        shapes = [self.graph.shapes[i] for i in node.inputs]
        definitions: list[tuple[sp.Symbol, sp.Expr]] = []
        if isinstance(op, BatchNorm):
            v = self._batch_norm_forward(node, op, inputs[0], shapes[0], definitions)
        else:
            v = [list(row) for row in op.apply(inputs, node.parameters, shapes)]
        self.computed[node.name] = v
        act = op.activation
        a = graph_symbols("a", node.name, shape, batch)
        self.values[node.name] = a
        needs_z = op.kind in PRE_ACTIVATION_KINDS or (
            not is_identity(act) and any(not e.is_Symbol for row in v for e in row)
        )
        if needs_z:
            z = graph_symbols("z", node.name, shape, batch)
            self.pre_activations[node.name] = z
            definitions.extend(
                (s, e)
                for zrow, vrow in zip(z, v, strict=True)
                for s, e in zip(zrow, vrow, strict=True)
            )
            v = [list(row) for row in z]
        definitions.extend(
            (s, act(e))
            for arow, vrow in zip(a, v, strict=True)
            for s, e in zip(arow, vrow, strict=True)
        )
        return definitions

    def _batch_norm_forward(
        self,
        node: GraphNode,
        op: BatchNorm,
        x: Rows,
        shape: Shape,
        definitions: list[tuple[sp.Symbol, sp.Expr]],
    ) -> list[list[sp.Expr]]:
        r""":math:`\mu_c`, :math:`s_c = \sqrt{\operatorname{Var}_c + \varepsilon}`,
        :math:`\hat x` as symbols, and :math:`v = \gamma_c \hat x + \beta_c`."""
        name, batch = node.name, self.graph.batch
        channels = shape[0]
        per_channel = math.prod(shape[1:])
        count = batch * per_channel
        gamma, beta = node.parameters["gamma"], node.parameters["beta"]
        mu = [sp.Symbol(f"\\mu^{{({name})}}_{{{c + 1}}}", real=True) for c in range(channels)]
        sigma = [sp.Symbol(f"s^{{({name})}}_{{{c + 1}}}", positive=True) for c in range(channels)]
        x_hat = graph_symbols("\\hat{x}", name, shape, batch)
        self.auxiliary[name] = {
            "mu": mu,
            "sigma": sigma,
            "x_hat": [s for row in x_hat for s in row],
        }

        def entries(c: int) -> list[sp.Symbol]:
            return [x[b][c * per_channel + k] for b in range(batch) for k in range(per_channel)]

        for c in range(channels):
            definitions.append((mu[c], sp.Add(*entries(c)) / count))
        for c in range(channels):
            variance = sp.Add(*[(e - mu[c]) ** 2 for e in entries(c)]) / count
            definitions.append((sigma[c], sp.sqrt(variance + op.eps)))
        v: list[list[sp.Expr]] = []
        for b in range(batch):
            row = []
            for k, s in enumerate(x_hat[b]):
                c = k // per_channel
                definitions.append((s, (x[b][k] - mu[c]) / sigma[c]))
                row.append(gamma[c] * s + beta[c])
            v.append(row)
        return v
