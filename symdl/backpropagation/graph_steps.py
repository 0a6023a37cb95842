r"""Backpropagation on a graph network written out: the forward pass, then the error of every
node from the output down, then the gradient.

:func:`graph_derivation` turns a :class:`~symdl.backpropagation.graph_mode.GraphBackpropagation`
into a :class:`~symdl.core.derivation.Derivation` with one step per node in vector form, as a
lecturer writes it on a graph:

.. math::

    \delta^{(n)} = \sum_{m \text{ consuming } n} J_m^\top \delta^{(m)}
    \quad\Bigl(\odot\, \sigma'\bigl(z^{(n)}\bigr) \text{ for a dense or convolution node}\Bigr),

with the transposed Jacobian :math:`J_m^\top` of each consumer said in words: a dense node
sends :math:`(W^{(m)})^\top \delta^{(m)}`, a convolution its transposed (flipped) kernel, a sum
its error unchanged (the identity: the residual connection :math:`r = x + F(x)` gives
:math:`\delta^{(x)} = \delta^{(r)} + \dots`), a concatenation the slice of its error, a pooling
node its error to the window (the first maximal entry, or :math:`1/|K|` of it to each), batch
norm its exact Jacobian.  For a small graph every unit's definition follows its node's step, in
the program's symbols, so the derivation can be checked equality by equality.

References
----------
K. He, X. Zhang, S. Ren, J. Sun, "Deep residual learning for image recognition", CVPR 2016,
section 3.2 (the identity shortcut).

M. Nielsen, *Neural Networks and Deep Learning* (2015), ch. 2, equations (BP1)–(BP4).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import sympy as sp

from symdl.backpropagation.graph_verification import GraphBackwardPass
from symdl.core.activations import ACTIVATIONS, Activation
from symdl.core.derivation import Derivation, Reason
from symdl.core.graph import GraphNetwork
from symdl.core.graph_operations import Conv, Dense, MaxPool

__all__ = [
    "DETAIL_LIMIT",
    "MAX_GRAPH_PRODUCTS",
    "MAX_GRAPH_VALUES",
    "MAX_POOL_WINDOW",
    "check_derivation_size",
    "graph_derivation",
]

# Bounds on a graph network read from text (``symdl derive --graph``, the ``symdl-derivation``
# directive), beyond those of every graph (symdl.core.graph.MAX_GRAPH_UNITS, ...): the
# derivation computes every unit's value and error as a symbol with its definition, so its work
# grows with these numbers (about ten seconds at each bound).

MAX_GRAPH_VALUES = 1024
"""The most values a derivation computes (the units of every input and node, for every
example)."""
MAX_GRAPH_PRODUCTS = 8192
"""The most products :math:`w a` that the dense and convolution nodes sum, over the batch (so
also the most weights of the dense nodes)."""
MAX_POOL_WINDOW = 25
"""The most entries of one max-pooling window (its derivative compares every entry with every
other one)."""


def check_derivation_size(graph: GraphNetwork, *, where: str = "the graph network") -> None:
    """Refuse a graph whose derivation would exceed :data:`MAX_GRAPH_VALUES`,
    :data:`MAX_GRAPH_PRODUCTS` or :data:`MAX_POOL_WINDOW`; a ValueError names the bound."""
    shapes = graph.shapes
    values = graph.batch * sum(math.prod(shape) for shape in shapes.values())
    if values > MAX_GRAPH_VALUES:
        raise ValueError(
            f"{where}: the graph has {values:,} values (the units of every input and node"
            f"{f', for each of the {graph.batch} examples' if graph.batch > 1 else ''}); a "
            f"derivation writes each one and computes its error, so it takes at most "
            f"{MAX_GRAPH_VALUES:,} (symdl.backpropagation.graph_steps.MAX_GRAPH_VALUES): derive a "
            "smaller graph"
        )
    products = 0
    for node in graph.nodes:
        op, source = node.operation, shapes[node.inputs[0]]
        if isinstance(op, Dense):
            products += op.units * math.prod(source)
        elif isinstance(op, Conv):
            kernel = math.prod(op.window(source).kernel)
            products += math.prod(node.shape) * source[0] * kernel
        elif isinstance(op, MaxPool):
            window = math.prod(op.window(source).kernel)
            if window > MAX_POOL_WINDOW:
                raise ValueError(
                    f"{where}: node {node.name!r} pools windows of {window:,} entries; a "
                    f"derivation compares every entry of a window with the others, so it "
                    f"takes windows of at most {MAX_POOL_WINDOW} entries "
                    f"(symdl.backpropagation.graph_steps.MAX_POOL_WINDOW)"
                )
    products *= graph.batch
    if products > MAX_GRAPH_PRODUCTS:
        raise ValueError(
            f"{where}: the dense and convolution nodes sum {products:,} products w·a"
            f"{' over the batch' if graph.batch > 1 else ''}; a derivation takes at most "
            f"{MAX_GRAPH_PRODUCTS:,} (symdl.backpropagation.graph_steps.MAX_GRAPH_PRODUCTS): "
            "derive a smaller graph"
        )


#: A graph whose program has at most this many definitions is written unit by unit too.
DETAIL_LIMIT = 120

COST = sp.Symbol("C", real=True)
_PRE_ACTIVATION_KINDS = ("dense", "conv")


@dataclass(frozen=True)
class _Use:
    """Node ``consumer`` (of kind ``kind``) takes the node as its input ``position``."""

    consumer: str
    kind: str
    position: int


def _name(bp: GraphBackwardPass, name: str) -> str:
    """The LaTeX of a node's value (:math:`a^{(n)}`) or of a graph input (its name)."""
    if name in bp.graph.inputs:
        return name if len(name) == 1 else f"\\mathrm{{{name}}}"
    return f"a^{{({name})}}"


def _delta(name: str) -> str:
    return f"\\delta^{{({name})}}"


def _prime(act: Activation, argument: str) -> str:
    if "\\mathbb" in act.latex:
        return f"H'\\bigl({argument}\\bigr)"
    return f"{act.latex}'\\bigl({argument}\\bigr)"


def _identity(act: Activation) -> bool:
    return act is ACTIVATIONS["identity"] or act.name == "identity"


def _sent(bp: GraphBackwardPass, consumer: str) -> str:
    r""":math:`\partial C/\partial v^{(m)}`: the consumer's error, through its activation when
    its error is taken after it."""
    node = bp.graph.node(consumer)
    act = node.operation.activation
    if node.operation.kind in _PRE_ACTIVATION_KINDS or _identity(act):
        return _delta(consumer)
    inner = ", ".join(_name(bp, i) for i in node.inputs)
    return f"{_delta(consumer)} \\odot {_prime(act, inner)}"


def _contribution(bp: GraphBackwardPass, name: str, consumer: str, position: int) -> str:
    """What ``consumer`` sends to its input ``name``, in vector form."""
    graph = bp.graph
    node = graph.node(consumer)
    kind = node.operation.kind
    sent = _sent(bp, consumer)
    if kind == "dense":
        return f"\\bigl(W^{{({consumer})}}\\bigr)^{{\\top}} {sent}"
    if kind == "conv":
        return f"\\bigl(W^{{({consumer})}}\\bigr)^{{\\top}} \\star {sent}"
    if kind in ("add", "activation"):
        return sent
    if kind == "concat":
        start = sum(graph.shapes[i][0] for i in node.inputs[:position])
        stop = start + graph.shapes[name][0]
        return f"{sent}_{{[{start + 1}:{stop}]}}"
    if kind == "flatten":
        return f"\\operatorname{{reshape}}\\bigl({sent}\\bigr)"
    if kind == "max_pool":
        return f"\\operatorname{{unpool}}_{{\\max}}\\bigl({sent}\\bigr)"
    if kind == "avg_pool":
        return f"\\operatorname{{unpool}}_{{\\mathrm{{avg}}}}\\bigl({sent}\\bigr)"
    if kind == "batch_norm":
        return (
            f"\\frac{{\\gamma^{{({consumer})}}}}{{s^{{({consumer})}}}} \\odot \\bigl({sent} - "
            f"\\bar{{\\delta}}^{{({consumer})}} - \\hat{{x}}^{{({consumer})}} \\odot "
            f"\\overline{{\\delta \\hat{{x}}}}^{{({consumer})}}\\bigr)"
        )
    if kind == "softmax":
        return f"a^{{({consumer})}} \\odot \\bigl({sent} - \\bar{{\\delta}}^{{({consumer})}}\\bigr)"
    return (
        f"\\Bigl(\\frac{{\\partial v^{{({consumer})}}}}{{\\partial {_name(bp, name)}}}"
        f"\\Bigr)^{{\\top}} {sent}"
    )


_EXPLAINED = {
    "add": (
        "Node {m} is a sum: its Jacobian in each summand is the identity, so it passes "
        "$\\delta^{{({m})}}$ unchanged to each of its inputs. A residual connection carries "
        "the gradient through the identity, beside the branch."
    ),
    "concat": (
        "Node {m} is a concatenation: each input receives its own slice of $\\delta^{{({m})}}$."
    ),
    "max_pool": (
        "Node {m} is a max pooling: each window's error goes to its first maximal entry "
        "(row-major), the other entries receive 0."
    ),
    "avg_pool": (
        "Node {m} is an average pooling: each entry of a window receives the window's error "
        "divided by the window's size."
    ),
    "conv": (
        "Node {m} is a convolution: it pulls back by the transposed convolution, the kernel "
        "flipped, and a shared weight collects the sum over every position where it is applied."
    ),
    "batch_norm": (
        "Node {m} is a batch norm: the mean and the variance couple the examples, so its "
        "Jacobian is not diagonal; with $\\bar{{\\delta}}^{{({m})}}$ the mean of its error and "
        "$\\overline{{\\delta \\hat{{x}}}}^{{({m})}}$ the mean of its error times $\\hat{{x}}$ "
        "over the batch and the positions of a channel, "
        "$\\partial C/\\partial x = (\\gamma / s)(\\delta - \\bar{{\\delta}} - "
        "\\hat{{x}}\\, \\overline{{\\delta \\hat{{x}}}})$ with $s = \\sqrt{{\\sigma^2 + "
        "\\varepsilon}}$."
    ),
    "softmax": (
        "Node {m} is a softmax: its Jacobian is $a_k(1[j = k] - a_j)$, so its input receives "
        "$a_k(\\delta_k - \\bar{{\\delta}})$ with $\\bar{{\\delta}} = \\sum_j a_j \\delta_j$."
    ),
}


def graph_derivation(bp: GraphBackwardPass) -> Derivation:
    r"""The derivation of every error and gradient of ``bp``, node by node, with reasons.

    Examples
    --------
    >>> from symdl.core.graph import GraphNetwork
    >>> from symdl.core.losses import LOSSES
    >>> from symdl.backpropagation.graph_mode import graph_backprop
    >>> d = graph_backprop(GraphNetwork.residual(1, 1), LOSSES["l2"]).derivation()
    >>> step = next(s for s in d.steps if s.lhs == "\\delta^{(x)}")
    >>> print(step.rhs)
    \delta^{(r1)} + \bigl(W^{(h1)}\bigr)^{\top} \delta^{(h1)}
    >>> step.reason_text
    'the identity path of r1, plus the branch'
    """
    graph = bp.graph
    detailed = len(bp.program.definitions) <= DETAIL_LIMIT
    d = Derivation(
        f"Backpropagation through a graph network of {len(graph.nodes)} nodes with the "
        f"{bp.loss_name} loss",
        statement=(
            "The error of every node, $\\delta^{(n)} = \\partial C / \\partial z^{(n)}$ for a "
            "dense or convolution node and $\\delta^{(n)} = \\partial C / \\partial a^{(n)}$ for "
            "any other node, from the output down: a node used by several others receives the "
            "sum of what each of them sends back."
        ),
    )
    d.remark("Forward pass.")
    for line in graph.latex().split(" \\\\\n"):
        lhs, rhs = line.split(" &= ", 1)
        d.add(lhs, rhs, Reason.DEFINITION)
    if detailed:
        errors = {s for rows in bp.errors.values() for row in rows for s in row}
        d.remark("Unit by unit:")
        for symbol, value in bp.program.definitions:
            if symbol in errors:
                break
            d.add(symbol, value, Reason.DEFINITION)
    d.add(COST, bp.loss, Reason.DEFINITION)
    d.remark("Backward pass: the error of every node, from the output down.")
    explained: set[str] = set()
    names = [*(node.name for node in reversed(graph.nodes)), *reversed(list(graph.inputs))]
    pullbacks: dict[str, list[_Use]] = {}
    for node in graph.nodes:  # one pass: who uses whom
        for position, source in enumerate(node.inputs):
            pullbacks.setdefault(source, []).append(_Use(node.name, node.operation.kind, position))
    for name in names:
        sources = pullbacks.get(name, [])
        for p in sources:
            kind = p.kind
            if kind in _EXPLAINED and p.consumer not in explained:
                d.remark(_EXPLAINED[kind].format(m=p.consumer))
                explained.add(p.consumer)
        # the identity paths first: δ^(x) = δ^(r) + (W^(h))ᵀ δ^(h) for a residual block
        ordered = sorted(sources, key=lambda p: p.kind != "add")
        terms = [_contribution(bp, name, p.consumer, p.position) for p in ordered]
        if name == graph.output:
            terms.insert(0, f"\\frac{{\\partial C}}{{\\partial {_name(bp, name)}}}")
        total = " + ".join(terms) if terms else "0"
        reason = _reason(bp, name, sources)
        if name in bp.pre_activations and name not in graph.inputs:
            act = graph.node(name).operation.activation
            if not _identity(act):
                total = f"\\Bigl({total}\\Bigr) \\odot {_prime(act, f'z^{{({name})}}')}"
        d.add(_delta(name), total, reason)
        if detailed:
            for row in bp.errors[name]:
                for s in row:
                    d.add(s, bp.program.defined[s], "in units")
    for note in bp.conventions():
        d.remark(f"Convention: {note}.")
    d.remark("Gradient of every parameter: each entry's error times what it multiplies, summed "
             "over every position and example where the parameter is used.")  # fmt: skip
    for node in graph.nodes:
        _parameter_steps(d, bp, node.name)
    if detailed:
        for parameter in bp.parameters:
            d.add(sp.Derivative(COST, parameter), bp.gradient[parameter], "in units")
    return d


def _reason(bp: GraphBackwardPass, name: str, sources: list[_Use]) -> Reason | str:
    graph = bp.graph
    if name == graph.output and not sources:
        return Reason.BP1 if name in bp.pre_activations else "the derivative of the loss"
    adds = [p.consumer for p in sources if p.kind == "add"]
    others = [p for p in sources if p.kind != "add"]
    if adds and others:
        return f"the identity path of {', '.join(adds)}, plus the branch"
    if adds:
        return f"the identity path of {', '.join(adds)}"
    if len(sources) == 1 and sources[0].kind == "dense" and name in bp.pre_activations:
        return Reason.BP2
    if len(sources) > 1:
        return "chain rule, summed over the consumers"
    return Reason.CHAIN_RULE


def _transposed(latex: str) -> str:
    return f"{latex}^{{\\top}}" if len(latex) == 1 else f"\\bigl({latex}\\bigr)^{{\\top}}"


def _parameter_steps(d: Derivation, bp: GraphBackwardPass, name: str) -> None:
    graph = bp.graph
    node = graph.node(name)
    kind = node.operation.kind
    free = {s for array in node.parameters.values() for s in array.free_symbols}
    if not free & set(bp.parameters):
        return
    examples = "\\sum_{b} " if bp.batch > 1 else ""
    if kind in _PRE_ACTIVATION_KINDS:
        source = _name(bp, node.inputs[0])
        if kind == "dense":
            d.add(
                f"\\frac{{\\partial C}}{{\\partial W^{{({name})}}}}",
                f"{examples}{_delta(name)} {_transposed(source)}",
                Reason.BP4,
            )
            d.add(
                f"\\frac{{\\partial C}}{{\\partial b^{{({name})}}}}",
                f"{examples}{_delta(name)}",
                Reason.BP3,
            )
        else:
            d.add(
                f"\\frac{{\\partial C}}{{\\partial W^{{({name})}}_{{o,c,r}}}}",
                f"{examples}\\sum_{{i}} \\delta^{{({name})}}_{{o,i}}\\, "
                f"\\tilde{{{source}}}_{{c,\\, i s + r}}",
                "BP4 at every position, summed",
            )
            d.add(
                f"\\frac{{\\partial C}}{{\\partial b^{{({name})}}_{{o}}}}",
                f"{examples}\\sum_{{i}} \\delta^{{({name})}}_{{o,i}}",
                "BP3 at every position, summed",
            )
    elif kind == "batch_norm":
        shape = graph.shapes[name]
        where = (
            "the batch, for unit $c$"
            if len(shape) == 1
            else "the batch and the positions of channel $c$"
        )
        d.add(
            f"\\frac{{\\partial C}}{{\\partial \\gamma^{{({name})}}_{{c}}}}",
            f"\\sum \\delta^{{({name})}} \\hat{{x}}^{{({name})}}",
            f"summed over {where}",
        )
        d.add(
            f"\\frac{{\\partial C}}{{\\partial \\beta^{{({name})}}_{{c}}}}",
            f"\\sum \\delta^{{({name})}}",
            f"summed over {where}",
        )
