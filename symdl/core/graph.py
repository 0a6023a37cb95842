r"""Graph networks: residual blocks, sums and concatenations of branches, convolution, pooling
and batch norm, as exact SymPy expressions.

A :class:`GraphNetwork` has named inputs and a list of :class:`Node` s in topological order:
each node applies an :class:`~symdl.core.graph_operations.Operation` to the values of earlier
nodes or inputs.  A node named ``h`` holds the value :math:`a^{(h)} = \sigma(v^{(h)})`, with
:math:`v^{(h)}` what its operation computes (for a dense or convolution node the
pre-activation :math:`z^{(h)}`), and its parameters are named after it
(:math:`w^{(h)}_{jk}`, :math:`b^{(h)}_j`, :math:`\gamma^{(h)}_c`, …) unless exact values were
given.

Values are lists ``values[b][k]``: example ``b`` of the batch, flat unit ``k`` in row-major
order (see :mod:`symdl.core.graph_operations` for shapes).  The residual block of He et al.,
:math:`r = x + W_2 \sigma(W_1 x + b_1) + b_2`, is

>>> from symdl.core.graph_operations import Add, Dense
>>> graph = GraphNetwork({"x": 2}, [
...     Node("h", Dense(2, "relu"), "x"),
...     Node("f", Dense(2), "h"),
...     Node("r", Add(), ("x", "f")),
... ])
>>> graph.shapes["r"], len(graph.parameters)
((2,), 12)
>>> print(graph.latex().splitlines()[-1])
a^{(r)} &= x + a^{(f)}

References
----------
K. He, X. Zhang, S. Ren and J. Sun, "Deep residual learning for image recognition", CVPR 2016,
eq. (1).
"""

from __future__ import annotations

import math
import operator
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import sympy as sp

from symdl.core.activations import ACTIVATIONS
from symdl.core.activations import Activation as ActivationFunction
from symdl.core.exact import exact_number, exact_rational
from symdl.core.exceptions import NotSupportedError, did_you_mean
from symdl.core.exceptions import shown as _shown
from symdl.core.graph_operations import (
    Add,
    AvgPool,
    BatchNorm,
    Concat,
    Conv,
    Dense,
    MaxPool,
    Operation,
    PaddingMode,
    Shape,
    Softmax,
    shape_text,
)
from symdl.core.notation import latex_expr, math_html

if TYPE_CHECKING:
    from symdl.core.network import Network

__all__ = [
    "MAX_BATCH",
    "MAX_GRAPH_NODES",
    "MAX_GRAPH_PARAMETERS",
    "MAX_GRAPH_TERMS",
    "MAX_GRAPH_UNITS",
    "GraphNetwork",
    "GraphNode",
    "Node",
]

# Bounds on the size of a graph network (each named in the error it causes; to raise one, set
# it in Python, e.g. ``symdl.core.graph.MAX_GRAPH_UNITS = 10_000``, before the graph is built).
# The values are exact SymPy expressions, so every bound is far below what memory allows.

#: The most nodes of a graph network.
MAX_GRAPH_NODES = 256
#: The most units (flat entries) of one input or one node's value, per example.
MAX_GRAPH_UNITS = 4096
#: The most parameter entries (weights, biases, γ, β) of a graph network.
MAX_GRAPH_PARAMETERS = 100_000
#: The largest batch.
MAX_BATCH = 64
MAX_GRAPH_TERMS = 1_000_000
"""The most terms that one node's value has, per example (the products :math:`W x` of a dense
or convolution node, that is output units × input channels × kernel size for a convolution;
the entries of a pooling node's windows, output units × window size; the summands of an add
node, units × inputs)."""

_NAME = re.compile(r"[A-Za-z][A-Za-z0-9]*")


def _limit(name: str) -> str:
    return f"symdl.core.graph.{name}; to raise it, set it in Python before building the graph"


def _check_name(name: Any, what: str) -> str:
    if not isinstance(name, str) or not _NAME.fullmatch(name):
        raise ValueError(
            f"{what} {_shown(name)} is not a name; a name is a letter followed by letters and "
            f"digits (e.g. 'x', 'h1', 'conv2')"
        )
    return name


@dataclass(frozen=True, init=False)
class Node:
    """A node as the user writes it: a name, an operation and the names of its inputs.

    ``inputs`` may be one name (``"x"``) for a single input, or a sequence of names; a name
    may appear twice (``Add()`` of ``("x", "x")`` is :math:`2x`).

    Examples
    --------
    >>> from symdl.core.graph_operations import Dense
    >>> Node("h", Dense(3, "relu"), "x").inputs
    ('x',)
    """

    name: str
    operation: Operation
    inputs: tuple[str, ...]

    def __init__(self, name: str, operation: Operation, inputs: str | Sequence[str]) -> None:
        _check_name(name, "node name")
        if not isinstance(operation, Operation):
            raise TypeError(
                f"node {name!r}: operation={_shown(operation)} is not an Operation; give one of "
                f"symdl.core.graph_operations (Dense(3, 'relu'), Conv(2, 3), Add(), ...)"
            )
        if isinstance(inputs, str):
            names: tuple[Any, ...] = (inputs,)
        elif isinstance(inputs, Sequence) and not isinstance(inputs, bytes):
            names = tuple(inputs)
        else:
            raise TypeError(
                f"node {name!r}: inputs={_shown(inputs)} must be a name or a sequence of names"
            )
        if not names:
            raise ValueError(f"node {name!r} has no inputs; name at least one")
        for item in names:
            _check_name(item, f"node {name!r}: input")
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "operation", operation)
        object.__setattr__(self, "inputs", names)


@dataclass(frozen=True)
class GraphNode:
    """A node of a built :class:`GraphNetwork`: the user's node with its shape, its
    parameter arrays (symbols or exact numbers) and its 1-based position ``index``."""

    name: str
    operation: Operation
    inputs: tuple[str, ...]
    shape: Shape
    parameters: Mapping[str, sp.Array] = field(repr=False)
    index: int

    @property
    def kind(self) -> str:
        """The operation's kind (``"dense"``, ``"add"``, …)."""
        return self.operation.kind

    @property
    def activation(self) -> ActivationFunction:
        """The operation's activation (the identity for operations without one)."""
        return self.operation.activation


def _input_shape(name: str, value: Any) -> Shape:
    if isinstance(value, bool):
        shape: Any = None
    elif isinstance(value, int) or (hasattr(value, "__index__") and not isinstance(value, float)):
        shape = (operator.index(value),)
    elif isinstance(value, Sequence) and not isinstance(value, (str, bytes)):
        shape = tuple(value)
    else:
        shape = None
    if (
        shape is None
        or not 1 <= len(shape) <= 3
        or any(
            isinstance(n, (bool, float))
            or not hasattr(n, "__index__")
            or not 1 <= operator.index(n) <= MAX_GRAPH_UNITS
            for n in shape
        )
    ):
        raise ValueError(
            f"input {name!r} has shape {_shown(value)}; give a number of units (3), or a shape "
            f"(C, N) for a signal or (C, H, W) for an image, e.g. [1, 8, 8], each size from 1 "
            f"to {MAX_GRAPH_UNITS:,} ({_limit('MAX_GRAPH_UNITS')})"
        )
    return tuple(operator.index(n) for n in shape)


def _flatten(value: Any) -> list[Any]:
    if hasattr(value, "tolist") and not isinstance(value, (list, tuple)):
        value = value.tolist()
    if isinstance(value, (list, tuple)):
        return [item for part in value for item in _flatten(part)]
    return [value]


def _input_symbol(name: str, shape: Shape, batch: int, b: int, flat: int) -> sp.Symbol:
    index: list[int] = []
    for n in reversed(shape):
        flat, r = divmod(flat, n)
        index.append(r + 1)
    indices = ",".join(str(i) for i in reversed(index))
    example = f"^{{[{b + 1}]}}" if batch > 1 else ""
    return sp.Symbol(f"{name}{example}_{{{indices}}}", real=True)


class GraphNetwork:
    r"""A network whose nodes form a directed acyclic graph.

    Parameters
    ----------
    inputs
        Input name → shape: a number of units (``3``), or ``(C, N)`` / ``(C, H, W)``.
    nodes
        The :class:`Node` s, each after its inputs (topological order).
    output
        The name of the output node (default: the last node).
    batch
        The number of examples computed at once (batch norm couples them).

    Attributes
    ----------
    inputs
        Input name → shape.
    nodes
        The :class:`GraphNode` s in order.
    output
        The output node's name.
    batch
        The number of examples.
    shapes
        Name → shape, of the inputs and the nodes.

    Raises
    ------
    ValueError
        For a bad name, an input that is neither a graph input nor an earlier node (a cycle is
        a reference to a later node), shapes an operation does not accept, a batch that batch
        norm cannot use, or a size beyond :data:`MAX_GRAPH_NODES`, :data:`MAX_GRAPH_UNITS`,
        :data:`MAX_GRAPH_PARAMETERS` or :data:`MAX_BATCH`.

    Examples
    --------
    >>> from symdl.core.graph_operations import Conv, Flatten, MaxPool, Dense
    >>> graph = GraphNetwork({"x": (1, 6)}, [
    ...     Node("c", Conv(2, 3, padding=1, activation="relu"), "x"),
    ...     Node("p", MaxPool(2), "c"),
    ...     Node("f", Flatten(), "p"),
    ...     Node("y", Dense(1), "f"),
    ... ])
    >>> graph.shapes
    {'x': (1, 6), 'c': (2, 6), 'p': (2, 3), 'f': (6,), 'y': (1,)}
    >>> graph.parameter_count  # 2·1·3 + 2 + 1·6 + 1
    15
    """

    def __init__(
        self,
        inputs: Mapping[str, int | Sequence[int]],
        nodes: Sequence[Node],
        *,
        output: str | None = None,
        batch: int = 1,
    ) -> None:
        self._parameters: tuple[sp.Symbol, ...] | None = None
        if isinstance(batch, bool) or not isinstance(batch, int) or batch < 1:
            raise ValueError(f"batch={_shown(batch)} must be an integer ≥ 1 (examples)")
        if batch > MAX_BATCH:
            raise ValueError(
                f"batch={_shown(batch)}: at most {MAX_BATCH:,} ({_limit('MAX_BATCH')})"
            )
        if not isinstance(inputs, Mapping) or not inputs:
            raise TypeError(
                f"inputs={_shown(inputs)}: give a mapping from input name to shape, e.g. "
                f"{{'x': 3}} or {{'x': (1, 8, 8)}}"
            )
        shapes: dict[str, Shape] = {}
        for name, value in inputs.items():
            _check_name(name, "input name")
            if name == "y":
                raise ValueError(
                    "input name 'y' is the letter of the targets (y_1, …, which the loss "
                    "compares with the output); give the input another name, e.g. 'u'"
                )
            shape = _input_shape(name, value)
            if math.prod(shape) > MAX_GRAPH_UNITS:
                raise ValueError(
                    f"input {name!r} of shape {shape_text(shape)} has {math.prod(shape):,} units; "
                    f"at most {MAX_GRAPH_UNITS:,} ({_limit('MAX_GRAPH_UNITS')})"
                )
            shapes[name] = shape
        if isinstance(nodes, (str, bytes)) or not isinstance(nodes, Sequence):
            raise TypeError(f"nodes={_shown(nodes)}: give a list of Node objects")
        if not nodes:
            raise ValueError("a graph network needs at least one node")
        if len(nodes) > MAX_GRAPH_NODES:
            raise ValueError(
                f"{len(nodes):,} nodes; a graph network has at most {MAX_GRAPH_NODES:,} "
                f"({_limit('MAX_GRAPH_NODES')})"
            )
        positions: dict[str, int] = {}
        for index, node in enumerate(nodes, start=1):
            if not isinstance(node, Node):
                raise TypeError(
                    f"nodes[{index - 1}] = {_shown(node)} is not a Node; write "
                    f"Node(name, operation, inputs)"
                )
            if node.name in shapes:
                raise ValueError(
                    f"node {index} is named {node.name!r}, which is an input's name; give the "
                    f"node another name"
                )
            if node.name in positions:
                raise ValueError(
                    f"two nodes are named {node.name!r} (nodes {positions[node.name]} and "
                    f"{index}); give each node its own name"
                )
            positions[node.name] = index
        built: list[GraphNode] = []
        count = 0
        for index, node in enumerate(nodes, start=1):
            for source in node.inputs:
                if source in shapes:
                    continue
                if source == node.name:
                    raise ValueError(
                        f"node {node.name!r} takes its own value as an input: a cycle; a graph "
                        f"network is acyclic"
                    )
                if source in positions:
                    raise ValueError(
                        f"node {node.name!r} (node {index}) takes {source!r}, which comes later "
                        f"(node {positions[source]}); list every node after its inputs (a graph "
                        f"network is acyclic: a cycle always has such a reference)"
                    )
                raise ValueError(
                    f"node {node.name!r} takes {source!r}, which is neither an input nor a "
                    f"node{did_you_mean(source, shapes)}; known: "
                    f"{', '.join(shapes)}"
                )
            op = node.operation
            in_shapes = [shapes[source] for source in node.inputs]
            where = f"node {node.name!r} ({op.kind} of {', '.join(node.inputs)})"
            try:
                shape = tuple(op.output_shape(in_shapes))
            except ValueError as error:
                raise ValueError(f"{where}: {error}") from None
            units = math.prod(shape)
            if units > MAX_GRAPH_UNITS:
                raise ValueError(
                    f"{where} has shape {shape_text(shape)}, {units:,} units; at most "
                    f"{MAX_GRAPH_UNITS:,} ({_limit('MAX_GRAPH_UNITS')})"
                )
            if batch < op.min_batch:
                raise ValueError(
                    f"{where} needs a batch of at least {op.min_batch} examples (batch norm "
                    f"normalises over the batch; the variance of one example is 0); got "
                    f"batch={batch}: give batch ≥ {op.min_batch}"
                )
            count += sum(math.prod(s) for s in op.parameter_shapes(in_shapes).values())
            if count > MAX_GRAPH_PARAMETERS:
                raise ValueError(
                    f"{where}: the graph has {count:,} parameters up to this node; at most "
                    f"{MAX_GRAPH_PARAMETERS:,} ({_limit('MAX_GRAPH_PARAMETERS')})"
                )
            terms = _terms(op, in_shapes, shape)
            if terms > MAX_GRAPH_TERMS:
                raise ValueError(
                    f"{where} {_terms_text(op, terms)} per example; at most {MAX_GRAPH_TERMS:,} "
                    f"({_limit('MAX_GRAPH_TERMS')})"
                )
            try:
                parameters = op.make_parameters(node.name, in_shapes)
            except ValueError as error:
                raise ValueError(f"{where}: {error}") from None
            shapes[node.name] = shape
            built.append(
                GraphNode(
                    node.name, op, node.inputs, shape, MappingProxyType(dict(parameters)), index
                )
            )
        if output is None:
            output = built[-1].name
        elif output not in positions:
            word = output if isinstance(output, str) else ""
            raise ValueError(
                f"output={_shown(output)} is not a node{did_you_mean(word, positions)}; the "
                f"nodes: {', '.join(positions)}"
            )
        self.inputs: dict[str, Shape] = {name: shapes[name] for name in inputs}
        self.nodes: tuple[GraphNode, ...] = tuple(built)
        self.output: str = output
        self.batch: int = batch
        self.shapes: dict[str, Shape] = shapes
        self._by_name = {node.name: node for node in built}
        self._symbolic: dict[str, tuple[list[list[sp.Expr]], list[list[sp.Expr]]]] | None = None

    # construction -------------------------------------------------------------------------------

    @classmethod
    def residual(
        cls,
        width: int,
        blocks: int,
        *,
        activation: str | ActivationFunction = "relu",
        batch: int = 1,
    ) -> GraphNetwork:
        r"""A stack of residual blocks on an input :math:`x` of ``width`` units.

        Block :math:`k` computes :math:`h_k = \sigma(W^{(h_k)} r_{k-1} + b^{(h_k)})`,
        :math:`f_k = W^{(f_k)} h_k + b^{(f_k)}` and :math:`r_k = r_{k-1} + f_k`, with
        :math:`r_0 = x`; the output is :math:`r_{\text{blocks}}`.  Nodes ``h1, f1, r1, h2, …``.

        Examples
        --------
        >>> graph = GraphNetwork.residual(2, 2)
        >>> [node.name for node in graph.nodes], graph.output
        (['h1', 'f1', 'r1', 'h2', 'f2', 'r2'], 'r2')

        References
        ----------
        K. He, X. Zhang, S. Ren and J. Sun, "Deep residual learning for image recognition",
        CVPR 2016, eq. (1) and Fig. 2.
        """
        width = _positive(width, "width")
        blocks = _positive(blocks, "blocks")
        nodes = []
        previous = "x"
        for k in range(1, blocks + 1):
            nodes += [
                Node(f"h{k}", Dense(width, activation), previous),
                Node(f"f{k}", Dense(width), f"h{k}"),
                Node(f"r{k}", Add(), (previous, f"f{k}")),
            ]
            previous = f"r{k}"
        return cls({"x": width}, nodes, batch=batch)

    @classmethod
    def from_network(cls, net: Network) -> GraphNetwork:
        r"""A chain :class:`~symdl.core.network.Network` as a graph: the same function.

        Layer :math:`l` becomes the dense node ``l<l>`` with the layer's own weights and bias
        (the same symbols :math:`w^{(l)}_{jk}`, or the same numbers) and activation; a softmax
        output layer becomes a dense node ``l<L>`` followed by a node ``softmax``.

        Raises
        ------
        NotSupportedError
            For a maxout layer, a layer whose neurons have different activations, or a
            network with its own input symbols.

        Examples
        --------
        >>> from symdl.core.network import Network
        >>> net = Network.mlp([2, 2, 1], ["relu", "identity"])
        >>> graph = GraphNetwork.from_network(net)
        >>> [node.name for node in graph.nodes], graph.parameters == net.parameters
        (['l1', 'l2'], True)
        """
        from symdl.core.layers import Dense as DenseLayer
        from symdl.core.layers import SoftmaxLayer, input_symbols

        if tuple(net.inputs) != input_symbols(net.n_inputs):
            raise NotSupportedError(
                f"the network's inputs are {', '.join(map(str, net.inputs))}; a graph's input "
                f"'x' has the symbols x_{{1}}, …, x_{{n}}: build the network with its default "
                f"inputs"
            )
        nodes: list[Node] = []
        previous = "x"
        for l, layer in enumerate(net.layers, start=1):
            name = f"l{l}"
            if isinstance(layer, SoftmaxLayer):
                act: ActivationFunction = ACTIVATIONS["identity"]
            elif isinstance(layer, DenseLayer):
                if layer.is_mixed:
                    raise NotSupportedError(
                        f"layer {l} gives its neurons different activations; a graph's dense "
                        f"node has one activation (split the layer into nodes and Concat them)"
                    )
                act = layer.activation
            else:
                raise NotSupportedError(
                    f"layer {l} is a {type(layer).__name__}; a graph network takes chains of "
                    f"Dense and SoftmaxLayer layers"
                )
            weights = layer.W.tolist()
            bias = [row[0] for row in layer.b.tolist()]
            nodes.append(Node(name, Dense(layer.n_out, act, weights=weights, bias=bias), previous))
            previous = name
            if isinstance(layer, SoftmaxLayer):
                nodes.append(Node("softmax", Softmax(), name))
        return cls({"x": net.n_inputs}, nodes)

    # structure ----------------------------------------------------------------------------------

    def node(self, name: str) -> GraphNode:
        """The node named ``name``."""
        if name not in self._by_name:
            word = name if isinstance(name, str) else ""
            raise ValueError(
                f"{_shown(name)} is not a node{did_you_mean(word, self._by_name)}; the nodes: "
                f"{', '.join(self._by_name)}"
            )
        return self._by_name[name]

    def consumers(self, name: str) -> tuple[str, ...]:
        """The nodes that take ``name`` (an input or a node) as an input, in order, each once
        (a node that takes it twice, ``Add`` of ``(x, x)``, is listed once)."""
        self._known(name)
        return tuple(node.name for node in self.nodes if name in node.inputs)

    @property
    def parameters(self) -> tuple[sp.Symbol, ...]:
        """The free parameter symbols, node by node (each array row-major), each once."""
        if self._parameters is None:  # the graph does not change: collected once
            seen: dict[sp.Symbol, None] = {}
            for node in self.nodes:
                for array in node.parameters.values():
                    for entry in array.args[0]:  # the flat entries, row-major
                        for symbol in sorted(entry.free_symbols, key=str):
                            seen.setdefault(symbol, None)
            self._parameters = tuple(seen)
        return self._parameters

    @property
    def parameter_count(self) -> int:
        """The number of parameter entries (symbols or numbers)."""
        return sum(
            int(math.prod(array.shape)) for node in self.nodes for array in node.parameters.values()
        )

    @property
    def is_exact(self) -> bool:
        """True when every parameter is a number (no free parameter symbol)."""
        return not self.parameters

    def input_symbols(self, name: str) -> list[list[sp.Symbol]]:
        """The symbols of input ``name``, ``[b][k]`` (example, flat unit).

        A vector input ``x`` of a batch of 1 has :math:`x_1, …, x_n` (the symbols of
        :func:`symdl.core.layers.input_symbols`), another input its own name
        (:math:`u_1`); a signal or an image :math:`x_{c,i}` or :math:`x_{c,i,j}` (1-based);
        a batch of several examples a superscript :math:`x^{[b]}_i`.

        Examples
        --------
        >>> from symdl.core.graph_operations import Add
        >>> graph = GraphNetwork({"x": (1, 2), "u": (1, 2)}, [Node("s", Add(), ("x", "u"))],
        ...                      batch=2)
        >>> graph.input_symbols("x")
        [[x^{[1]}_{1,1}, x^{[1]}_{1,2}], [x^{[2]}_{1,1}, x^{[2]}_{1,2}]]
        """
        if name not in self.inputs:
            word = name if isinstance(name, str) else ""
            raise ValueError(
                f"{_shown(name)} is not an input{did_you_mean(word, self.inputs)}; the inputs: "
                f"{', '.join(self.inputs)}"
            )
        shape = self.inputs[name]
        return [
            [_input_symbol(name, shape, self.batch, b, k) for k in range(math.prod(shape))]
            for b in range(self.batch)
        ]

    # evaluation ---------------------------------------------------------------------------------

    def _known(self, name: str) -> None:
        if name not in self.shapes:
            word = name if isinstance(name, str) else ""
            raise ValueError(
                f"{_shown(name)} is neither an input nor a node of the graph"
                f"{did_you_mean(word, self.shapes)}; known: {', '.join(self.shapes)}"
            )

    def _run(
        self, values: dict[str, list[list[sp.Expr]]], last: str | None = None
    ) -> dict[str, tuple[list[list[sp.Expr]], list[list[sp.Expr]]]]:
        """Every node's (v, a) up to ``last``, from the inputs' ``values``."""
        out: dict[str, tuple[list[list[sp.Expr]], list[list[sp.Expr]]]] = {}
        for node in self.nodes:
            args = [values[source] for source in node.inputs]
            shapes = [self.shapes[source] for source in node.inputs]
            pre = node.operation.apply(args, node.parameters, shapes)
            post = node.operation.activate(pre)
            out[node.name] = (pre, post)
            values[node.name] = post
            if node.name == last:
                break
        return out

    def _read_inputs(self, given: Any) -> dict[str, list[list[sp.Expr]]]:
        if not isinstance(given, Mapping):
            if len(self.inputs) != 1:
                raise TypeError(
                    f"the graph has the inputs {', '.join(self.inputs)}; give their values as a "
                    f"mapping from input name to values"
                )
            given = {next(iter(self.inputs)): given}
        unknown = [name for name in given if name not in self.inputs]
        if unknown:
            word = unknown[0] if isinstance(unknown[0], str) else ""
            raise ValueError(
                f"{_shown(unknown[0])} is not an input{did_you_mean(word, self.inputs)}; the "
                f"inputs: {', '.join(self.inputs)}"
            )
        values: dict[str, list[list[sp.Expr]]] = {}
        for name, shape in self.inputs.items():
            if name not in given:
                values[name] = [list(row) for row in self.input_symbols(name)]
                continue
            flat = _flatten(given[name])
            n = math.prod(shape)
            if len(flat) != n * self.batch:
                per = f"{self.batch} example(s) of shape {shape_text(shape)}"
                raise ValueError(
                    f"input {name!r}: {len(flat)} value(s) given; it needs {per}, "
                    f"{n * self.batch} in all"
                )
            numbers = [exact_number(v, name=f"{name}[{i}]") for i, v in enumerate(flat)]
            values[name] = [numbers[b * n : (b + 1) * n] for b in range(self.batch)]
        return values

    def _symbolic_run(self) -> dict[str, tuple[list[list[sp.Expr]], list[list[sp.Expr]]]]:
        if self._symbolic is None:
            values = {name: self.input_symbols(name) for name in self.inputs}
            self._symbolic = self._run(dict(values))
        return self._symbolic

    def _values(self, name: str, inputs: Any, which: int) -> list[list[sp.Expr]]:
        self._known(name)
        if inputs is None:
            if name in self.inputs:
                return self.input_symbols(name)
            return [list(row) for row in self._symbolic_run()[name][which]]
        values = self._read_inputs(inputs)
        if name in self.inputs:
            return values[name]
        return self._run(values, last=name)[name][which]

    def values(self, name: str, inputs: Any = None) -> list[list[sp.Expr]]:
        """The exact value ``[b][k]`` of a node (or an input): :math:`a = \\sigma(v)`.

        Without ``inputs`` it is a function of the input symbols (and the parameter
        symbols); ``inputs`` maps input names to exact values (nested lists or arrays of
        ``batch`` examples of the input's shape, or flat; for a graph with one input, the values
        alone), computed directly rather than substituted.

        Examples
        --------
        >>> graph = GraphNetwork.residual(1, 1)
        >>> graph.values("r1", {"x": [-2]})[0][0].free_symbols == set(graph.parameters)
        True
        """
        return self._values(name, inputs, 1)

    def pre_activations(self, name: str, inputs: Any = None) -> list[list[sp.Expr]]:
        """The value :math:`v` of a node before its activation (:math:`z` for a dense or
        convolution node), ``[b][k]``; ``inputs`` as for :meth:`values`."""
        if name in self.inputs:
            raise ValueError(f"{name!r} is an input: it has no pre-activation")
        return self._values(name, inputs, 0)

    def forward(self, inputs: Any = None) -> list[list[sp.Expr]]:
        """The output node's value ``[b][k]`` (symbolic, or for the given ``inputs``).

        Examples
        --------
        >>> from symdl.core.graph_operations import Dense
        >>> graph = GraphNetwork({"x": 2}, [Node("y", Dense(1, weights=[[1, 2]], bias=[3]), "x")])
        >>> graph.forward(), graph.forward([10, 20])
        ([[x_{1} + 2*x_{2} + 3]], [[53]])
        """
        return self.values(self.output, inputs)

    def substitute(self, mapping: Mapping[sp.Symbol, Any]) -> GraphNetwork:
        """The graph with the given parameters fixed to exact numbers.

        Examples
        --------
        >>> graph = GraphNetwork.residual(1, 1, activation="identity")
        >>> fixed = graph.substitute(dict.fromkeys(graph.parameters, 1))
        >>> fixed.is_exact, fixed.forward([2])  # 2 + (1·(1·2 + 1) + 1)
        (True, [[6]])
        """
        known = set(self.parameters)
        exact: dict[sp.Symbol, sp.Expr] = {}
        for symbol, value in mapping.items():
            if symbol not in known:
                raise ValueError(
                    f"{_shown(symbol)} is not a parameter of this graph; its parameters are "
                    f"{', '.join(map(str, self.parameters)) or 'none (it is exact)'}"
                )
            exact[symbol] = exact_rational(value, name=str(symbol))
        nodes = []
        for node in self.nodes:
            changed = {
                key: array.xreplace(exact)
                for key, array in node.parameters.items()
                if array.free_symbols & exact.keys()
            }
            op = node.operation.with_parameters(changed) if changed else node.operation
            nodes.append(Node(node.name, op, node.inputs))
        return GraphNetwork(dict(self.inputs), nodes, output=self.output, batch=self.batch)

    # comparison and display --------------------------------------------------------------------

    def _structure(self) -> tuple[Any, ...]:
        return (
            tuple(self.inputs.items()),
            tuple((node.name, node.operation, node.inputs) for node in self.nodes),
            self.output,
            self.batch,
        )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, GraphNetwork):
            return NotImplemented
        return self._structure() == other._structure()

    def __hash__(self) -> int:
        return hash(self._structure())

    def latex(self) -> str:
        r"""The graph's equations, one line per node (two for a dense or convolution node: the
        pre-activation and the activation), as the body of an ``aligned`` environment.

        Examples
        --------
        >>> print(GraphNetwork.residual(2, 1).latex())
        z^{(h1)} &= W^{(h1)} x + b^{(h1)} \\
        a^{(h1)} &= \operatorname{ReLU}\left(z^{(h1)}\right) \\
        z^{(f1)} &= W^{(f1)} a^{(h1)} + b^{(f1)} \\
        a^{(f1)} &= z^{(f1)} \\
        a^{(r1)} &= x + a^{(f1)}
        """
        lines: list[str] = []
        for node in self.nodes:
            lines.extend(self._equations(node))
        return " \\\\\n".join(lines)

    def _name_latex(self, name: str) -> str:
        if name in self.inputs:
            return name if len(name) == 1 else f"\\mathrm{{{name}}}"
        return f"a^{{({name})}}"

    def _equations(self, node: GraphNode) -> list[str]:
        op, name = node.operation, node.name
        args = [self._name_latex(source) for source in node.inputs]
        value = f"a^{{({name})}}"
        act = op.activation

        def applied(fn: str, argument: str) -> str:
            return f"{fn}\\left({argument}\\right)"

        if isinstance(op, (Dense, Conv)):
            z = f"z^{{({name})}}"
            product = "" if isinstance(op, Dense) else " \\star"
            line = f"{z} &= W^{{({name})}}{product} {args[0]} + b^{{({name})}}"
            if isinstance(op, Conv):
                window = op.window(self.shapes[node.inputs[0]])
                padding = "circular" if op.padding_mode is PaddingMode.CIRCULAR else "zero"
                line += (
                    f" \\quad (\\text{{kernel }} {_axes_text(window.kernel)}, \\text{{ stride }} "
                    f"{_axes_text(window.stride)}, \\text{{ {padding} padding }} "
                    f"{_axes_text(window.padding)})"
                )
            second = z if act is ACTIVATIONS["identity"] else applied(act.latex, z)
            return [line, f"{value} &= {second}"]
        if isinstance(op, (MaxPool, AvgPool)):
            window = op.window(self.shapes[node.inputs[0]])
            fn = "\\operatorname{maxpool}" if isinstance(op, MaxPool) else "\\operatorname{avgpool}"
            text = (
                f"(\\text{{window }} {_axes_text(window.kernel)}, \\text{{ stride }} "
                f"{_axes_text(window.stride)})"
            )
            return [f"{value} &= {applied(fn, args[0])} \\quad {text}"]
        if isinstance(op, BatchNorm):
            x = args[0]
            eps = latex_expr(op.eps)
            return [
                f"{value} &= \\gamma^{{({name})}} \\odot \\frac{{{x} - \\mu_{{B}}}}"
                f"{{\\sqrt{{\\sigma^2_{{B}} + \\varepsilon}}}} + \\beta^{{({name})}} \\quad "
                f"(\\varepsilon = {eps})"
            ]
        if isinstance(op, Add):
            return [f"{value} &= {' + '.join(args)}"]
        if isinstance(op, Concat):
            return [f"{value} &= {applied(_CONCAT, ', '.join(args))}"]
        if isinstance(op, Softmax):
            return [f"{value} &= {applied(_SOFTMAX, args[0])}"]
        if op.kind == "flatten":
            return [f"{value} &= {applied(_VEC, args[0])}"]
        # an activation node (or an operation of another kind with its activation)
        return [f"{value} &= {applied(act.latex, ', '.join(args))}"]

    def _repr_latex_(self) -> str:
        return f"$$\\begin{{aligned}}\n{self.latex()}\n\\end{{aligned}}$$"

    def _repr_html_(self) -> str:
        body = f"\\begin{{aligned}}\n{self.latex()}\n\\end{{aligned}}"
        return f'<div class="math">{math_html(body)}</div>'

    def __repr__(self) -> str:
        inputs = ", ".join(f"{name}: {shape_text(shape)}" for name, shape in self.inputs.items())
        nodes = ", ".join(
            f"{node.name} = {node.kind}({', '.join(node.inputs)})" for node in self.nodes
        )
        batch = f", batch={self.batch}" if self.batch != 1 else ""
        return f"GraphNetwork(inputs={{{inputs}}}, nodes=[{nodes}], output={self.output!r}{batch})"


_CONCAT = r"\operatorname{concat}"
_SOFTMAX = r"\operatorname{softmax}"
_VEC = r"\operatorname{vec}"


def _terms(op: Operation, shapes: Sequence[Shape], shape: Shape) -> int:
    """The number of terms of a node's value per example: products W·x of a dense or
    convolution node, window entries of a pooling node, summands of an add node."""
    if isinstance(op, Dense):
        return op.units * math.prod(shapes[0])
    if isinstance(op, Conv):
        return math.prod(shape) * shapes[0][0] * math.prod(op.window(shapes[0]).kernel)
    if isinstance(op, (MaxPool, AvgPool)):
        return math.prod(shape) * math.prod(op.window(shapes[0]).kernel)
    if isinstance(op, Add):
        return math.prod(shape) * len(shapes)
    return 0


def _terms_text(op: Operation, terms: int) -> str:
    if isinstance(op, (Dense, Conv)):
        return f"sums {terms:,} products"
    return f"has {terms:,} terms"


def _axes_text(values: tuple[int, ...]) -> str:
    if len(set(values)) == 1:
        return str(values[0])
    return r" \times ".join(map(str, values))


def _positive(value: Any, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"{name}={_shown(value)} must be an integer ≥ 1")
    return value
