r"""Symbolic backpropagation on graph networks: residual blocks, branches, convolution, pooling,
batch norm.

A :class:`~symdl.core.graph.GraphNetwork` is a list of nodes in topological order, each applying
an operation to the values of earlier nodes.  :func:`graph_backprop` writes its forward pass and
its backward pass as one :class:`~symdl.backpropagation.straight_line.StraightLineProgram`: every
value :math:`a^{(n)}_j`, pre-activation :math:`z^{(n)}_j` and error :math:`\delta^{(n)}_j` is one
symbol with one definition.  The error of a node follows Nielsen's convention,

.. math::

    \delta^{(n)} = \frac{\partial C}{\partial z^{(n)}} \text{ for dense and convolution nodes},
    \qquad \delta^{(n)} = \frac{\partial C}{\partial a^{(n)}} \text{ for every other node},

and a node receives the **sum** over its consumers :math:`m` of what each pulls back,

.. math::

    \frac{\partial C}{\partial a^{(n)}_k} = \sum_{m} \sum_{j}
    \frac{\partial C}{\partial v^{(m)}_j}\, \frac{\partial v^{(m)}_j}{\partial a^{(n)}_k},

with :math:`v^{(m)}` what the consumer's operation computes before its activation.  The local
derivatives :math:`\partial v^{(m)}_j / \partial a^{(n)}_k` are formed exactly, by
``sympy.diff`` of the operation's own expressions in its input symbols, term by term (only the
inputs each output uses, so the work is linear in the size of the forward pass).  So a sum
(the residual connection :math:`r = x + F(x)`) passes its error unchanged to each summand: the
gradient flows through the identity; a concatenation splits it; average pooling spreads
:math:`\delta/|K|` over the window; a convolution pulls back by the transposed (flipped) kernel,
and a shared weight collects :math:`\sum_{\text{positions}} \delta\, a` (BP4 summed); max
pooling gives the error to the **first** maximal entry of each window in row-major order
(:func:`~symdl.backpropagation.layer_rules.first_maximum`, NumPy's ``argmax``); batch norm,
which couples the examples of a batch, goes through its exact Jacobian

.. math::

    \frac{\partial C}{\partial x_i} = \frac{\gamma_c}{s_c}
    \Bigl(\delta_i - \overline{\delta} - \hat x_i\, \overline{\delta \hat x}\Bigr),
    \qquad \hat x_i = \frac{x_i - \mu_c}{s_c}, \quad
    s_c = \sqrt{\operatorname{Var}_c(x) + \varepsilon},

with the means over the batch and the positions of channel :math:`c` (written with one symbol
per channel, so the pull-back stays linear in the batch).

The program costs a small constant times the forward pass (Baur and Strassen 1983); the
definitions are substituted into one expression only on request
(:meth:`GraphBackpropagation.expand`).  :meth:`GraphBackpropagation.verify` checks every error
against the true partial derivative (:mod:`~symdl.backpropagation.graph_verification`),
:meth:`GraphBackpropagation.cross_check` against the independent NumPy evaluator
(:mod:`symdl.core.numeric_graph`), and :meth:`GraphBackpropagation.derivation` writes the steps
(:mod:`~symdl.backpropagation.graph_steps`).

References
----------
K. He, X. Zhang, S. Ren, J. Sun, "Deep residual learning for image recognition", CVPR 2016,
equation (1) and section 3.2 (the identity shortcut).

S. Ioffe and C. Szegedy, "Batch normalization", ICML 2015, section 3 (the gradient through the
batch statistics).

W. Baur and V. Strassen, "The complexity of partial derivatives", Theoretical Computer Science
22 (1983), 317–330.

M. Nielsen, *Neural Networks and Deep Learning* (2015), ch. 2, equations (BP1)–(BP4).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

import numpy as np
import sympy as sp
from numpy.typing import NDArray

from symdl.backpropagation.graph_forward import (
    PRE_ACTIVATION_KINDS,
    GraphForwardPass,
    graph_symbols,
    graph_target_symbols,
    is_identity,
)
from symdl.backpropagation.graph_steps import graph_derivation
from symdl.backpropagation.graph_verification import (
    GraphCrossCheck,
    GraphDeltaVerification,
    cross_check_graph,
    verify_graph_deltas,
)
from symdl.backpropagation.layer_rules import (
    TiesToFirst,
    activation_derivative,
    applies_softmax,
    convention_derivative,
    with_ties_to_first,
)
from symdl.backpropagation.straight_line import StraightLineProgram
from symdl.core.derivation import Derivation
from symdl.core.graph import GraphNetwork, GraphNode
from symdl.core.losses import Loss

__all__ = ["GraphBackpropagation", "graph_backprop"]

FloatArray = NDArray[np.float64]
Rows = list[list[sp.Symbol]]

# --- local derivatives -----------------------------------------------------------------------


def _tie_maxima(expr: sp.Expr, order: Mapping[sp.Symbol, int]) -> sp.Expr:
    """Every ``Max`` of values as :class:`TiesToFirst` with its arguments in row-major order.

    SymPy sorts the arguments of ``Max`` by name; the first maximal entry of a window is the
    first in row-major order, which is the order of the flat unit numbers.
    """

    def tied(e: sp.Max) -> sp.Expr:
        args = e.args
        if all(a in order for a in args):
            args = tuple(sorted(args, key=order.__getitem__))
        return TiesToFirst(*args)

    return expr.replace(lambda e: isinstance(e, sp.Max), tied)


def _first_maximum(window: Sequence[sp.Symbol], p: int) -> sp.Expr:
    """:func:`~symdl.backpropagation.layer_rules.first_maximum` of distinct real symbols.

    The indicators are built without SymPy's evaluation of each Heaviside (which asks the
    sign of every difference, to no avail for distinct real symbols): the same expression,
    in linear time per factor.
    """
    return sp.Mul(
        *[
            sp.Heaviside(window[p] - window[q], 0 if q < p else 1, evaluate=False)
            for q in range(len(window))
            if q != p
        ]
    )


def _term_partials(
    term: sp.Expr, wanted: Callable[[sp.Basic], bool], order: Mapping[sp.Symbol, int]
) -> Iterator[tuple[sp.Symbol, sp.Expr]]:
    """``(s, ∂term/∂s)`` for every wanted symbol ``s`` of one term of a sum."""
    if term.is_Symbol:
        if wanted(term):
            yield term, sp.S.One
        return
    if term.is_Number:
        return
    if term.is_Mul and all(f.is_Symbol or f.is_Number for f in term.args):
        # a product of distinct symbols (SymPy gathers a repeated one into a power)
        for i, factor in enumerate(term.args):
            if factor.is_Symbol and wanted(factor):
                yield factor, sp.Mul(*term.args[:i], *term.args[i + 1 :])
        return
    if isinstance(term, sp.Max) and all(a in order for a in term.args):
        # a pooling window: the first maximal entry in row-major order takes the derivative
        window = sorted(term.args, key=order.__getitem__)
        for p, s in enumerate(window):
            if wanted(s):
                yield s, _first_maximum(window, p)
        return
    symbols = [s for s in term.free_symbols if wanted(s)]
    if not symbols:
        return
    tied = _tie_maxima(term, order)
    for s in sorted(symbols, key=lambda s: order.get(s, -1)):
        yield s, convention_derivative(tied, s)


def _local_partials(
    expr: sp.Expr, wanted: Callable[[sp.Basic], bool], order: Mapping[sp.Symbol, int]
) -> list[tuple[sp.Symbol, sp.Expr]]:
    r"""The partial derivatives :math:`(s, \partial e/\partial s)` of ``expr`` in the symbols
    ``wanted`` accepts, term by term: a symbol in several terms appears once per term.

    A maximum gives its derivative to its first maximal argument, in the order ``order``
    gives the arguments (row-major for a pooling window); a bare Heaviside is 0 at 0.

    Examples
    --------
    >>> import sympy as sp
    >>> w, a, b, c = sp.symbols("w a b c", real=True)
    >>> sorted(_local_partials(w * a + 2 * b + 1, lambda s: s in {a, b, w}, {}), key=str)
    [(a, w), (b, 2), (w, a)]
    >>> [(s, d.subs({a: 1, b: 1, c: 0})) for s, d in _local_partials(
    ...     sp.Max(b, a, c), lambda s: True, {a: 0, b: 1, c: 2})]  # a tie: a comes first
    [(a, 1), (b, 0), (c, 0)]
    """
    coefficient, rest = expr.as_coeff_Mul()
    terms = rest.args if rest.is_Add else (rest,)
    found = []
    for term in terms:
        for s, partial in _term_partials(term, wanted, order):
            found.append((s, coefficient * partial))
    return found


class GraphBackpropagation:
    r"""The errors and gradient of a graph network and a loss, as a straight-line program.

    Built by :func:`graph_backprop` (or :func:`~symdl.backpropagation.reverse_mode.backprop`
    given a :class:`~symdl.core.graph.GraphNetwork`).  Units are numbered from 1 (flat,
    row-major) and so are the examples of the batch.

    Attributes
    ----------
    graph
        The :class:`~symdl.core.graph.GraphNetwork`.
    loss
        :math:`C` as an expression in the output symbols and the targets: for a registry loss
        :math:`\ell`, the mean :math:`\frac1B \sum_b \ell(a_b, y_b)` over the batch.
    loss_name
        The registry name of the loss, or ``"expression"``.
    targets
        The target symbols, example by example, flat
        (:func:`~symdl.backpropagation.graph_forward.graph_target_symbols`).
    outputs
        The output node's value symbols, example by example, flat.
    parameters
        The graph's free parameter symbols, in node order.
    program
        Every definition in order (forward pass, then the errors from the output down), with
        the gradient (one entry per parameter) as outputs.
    gradient
        :math:`\{\theta : \partial C/\partial\theta\}` in the program's symbols.
    forward_pass
        The :class:`~symdl.backpropagation.graph_forward.GraphForwardPass`: the forward
        definitions alone.
    values, pre_activations, errors
        Per node name (graph inputs included in ``values`` and ``errors``): the symbols,
        ``[example][unit]`` from 0.  ``pre_activations`` has the dense and convolution nodes
        (and any other node whose activation is applied to an expression).

    Examples
    --------
    One residual block of width 1, :math:`r = x + w_f \operatorname{ReLU}(w_h x + b_h) + b_f`,
    and :math:`C = (r - y)^2`:

    >>> from symdl.core.graph import GraphNetwork
    >>> from symdl.core.losses import LOSSES
    >>> bp = graph_backprop(GraphNetwork.residual(1, 1), LOSSES["l2"])
    >>> bp.delta("r1", 1)  # ∂C/∂r
    2*a^{(r1)}_{1} - 2*y_{1}
    >>> bp.delta("x", 1)  # the sum passes δ^(r1) through the identity, plus the branch
    \delta^{(h1)}_{1}*w^{(h1)}_{11} + \delta^{(r1)}_{1}
    >>> bp.numpy_gradient()([[1.0]], [[0.0]], [2.0, 0.0, 3.0, 0.0])  # r = 1 + 3·2 at x = 1
    array([42., 42., 28., 14.])
    """

    def __init__(
        self,
        graph: GraphNetwork,
        loss: sp.Expr,
        targets: Sequence[Sequence[sp.Symbol]],
        name: str,
        *,
        registry_loss: Loss | None = None,
        penalty: sp.Expr | None = None,
    ) -> None:
        self.graph = graph
        self.loss_name = name
        self.registry_loss = registry_loss
        self.batch = graph.batch
        self.target_rows = [list(row) for row in targets]
        self.targets: tuple[sp.Symbol, ...] = tuple(y for row in targets for y in row)
        self.parameters: tuple[sp.Symbol, ...] = tuple(graph.parameters)
        self.penalty = penalty
        self._free = set(self.parameters)
        self.forward_pass = GraphForwardPass(graph)
        forward = list(self.forward_pass.definitions)
        self.values: dict[str, Rows] = self.forward_pass.values
        self.pre_activations: dict[str, Rows] = self.forward_pass.pre_activations
        self.auxiliary: dict[str, dict[str, list[sp.Symbol]]] = self.forward_pass.auxiliary
        self._forward = self.forward_pass.computed
        self._order = self.forward_pass.order
        self.errors: dict[str, Rows] = {}
        self.outputs: tuple[sp.Symbol, ...] = self.forward_pass.outputs
        self.loss = loss if penalty is None else loss + penalty
        self._loss_only = loss
        backward, gradient_terms = self._backward_definitions()
        self.gradient: dict[sp.Symbol, sp.Expr] = {}
        for p in self.parameters:
            value = sp.Add(*gradient_terms.get(p, []))
            if penalty is not None:
                value += sp.diff(penalty, p)
            self.gradient[p] = value
        self.program = StraightLineProgram(
            tuple(forward) + tuple(backward), tuple(self.gradient[p] for p in self.parameters)
        )

    # --- backward ----------------------------------------------------------------------------

    def output_gradient(self) -> list[list[sp.Expr]]:
        r""":math:`\partial C/\partial a` for the output node, example by example.

        At a kink of the loss, a bare Heaviside is 0 at 0 and a maximum gives its derivative
        to its first maximal argument, as in
        :meth:`~symdl.backpropagation.reverse_mode.Backpropagation.output_gradient`.
        """
        out = self.values[self.graph.output]

        def derivative(expr: sp.Expr, s: sp.Symbol) -> sp.Expr:
            return convention_derivative(expr, s)

        if self.registry_loss is not None:  # C = (1/B) Σ_b ℓ(a_b, y_b): one example at a time
            rows = []
            for row, ys in zip(out, self.target_rows, strict=True):
                each = self.registry_loss(sp.Matrix(row), sp.Matrix(ys)).replace(
                    sp.Max, TiesToFirst
                )
                rows.append([derivative(each, s) / self.batch for s in row])
            return rows
        tied = with_ties_to_first(self._loss_only)
        return [[derivative(tied, s) for s in row] for row in out]

    def _backward_definitions(
        self,
    ) -> tuple[list[tuple[sp.Symbol, sp.Expr]], dict[sp.Symbol, list[sp.Expr]]]:
        graph, batch = self.graph, self.graph.batch
        incoming: dict[sp.Symbol, list[sp.Expr]] = {}  # ∂C/∂a, term by term
        gradient: dict[sp.Symbol, list[sp.Expr]] = {}
        parameters = set(self.parameters)
        values = set(self._order)
        for row, grads in zip(self.values[graph.output], self.output_gradient(), strict=True):
            for s, g in zip(row, grads, strict=True):
                incoming.setdefault(s, []).append(g)
        definitions: list[tuple[sp.Symbol, sp.Expr]] = []

        def wanted(s: sp.Basic) -> bool:
            return s in values or s in parameters

        for node in reversed(graph.nodes):
            op, name = node.operation, node.name
            act = op.activation
            deltas = graph_symbols("\\delta", name, node.shape, batch)
            self.errors[name] = deltas
            z = self.pre_activations.get(name)
            identity = is_identity(act)
            sent: list[list[sp.Expr]] = []  # ∂C/∂v: what the node's operation pulls back
            for b in range(batch):
                row = []
                for k, delta in enumerate(deltas[b]):
                    a = self.values[name][b][k]
                    g = sp.Add(*incoming.pop(a, []))
                    v = self._forward[name][b][k]
                    if z is not None:
                        local = activation_derivative(act, z[b][k]).xreplace({act(z[b][k]): a})
                    elif identity:
                        local = sp.S.One
                    else:
                        local = activation_derivative(act, v).xreplace({act(v): a})
                    if op.kind in PRE_ACTIVATION_KINDS:
                        definitions.append((delta, g * local))
                        row.append(delta)
                    else:
                        definitions.append((delta, g))
                        row.append(delta * local)
                sent.append(row)
            if op.kind == "batch_norm":
                self._batch_norm_backward(node, sent, incoming, gradient, definitions)
                continue
            if op.kind == "softmax":
                self._softmax_backward(node, sent, incoming, definitions)
                continue
            for b in range(batch):
                for k, v in enumerate(self._forward[name][b]):
                    d = sent[b][k]
                    if d == 0:
                        continue
                    for s, partial in _local_partials(v, wanted, self._order):
                        target = gradient if s in parameters else incoming
                        target.setdefault(s, []).append(d * partial)
        for name in reversed(list(graph.inputs)):
            shape = graph.inputs[name]
            deltas = graph_symbols("\\delta", name, shape, batch)
            self.errors[name] = deltas
            for b in range(batch):
                for k, delta in enumerate(deltas[b]):
                    definitions.append((delta, sp.Add(*incoming.pop(self.values[name][b][k], []))))
        return definitions, gradient

    def _softmax_backward(
        self,
        node: GraphNode,
        sent: list[list[sp.Expr]],
        incoming: dict[sp.Symbol, list[sp.Expr]],
        definitions: list[tuple[sp.Symbol, sp.Expr]],
    ) -> None:
        r""":math:`\partial C/\partial x_k = a_k (\delta_k - \bar\delta)` with
        :math:`\bar\delta = \sum_j a_j \delta_j` one symbol per example (the softmax's
        Jacobian :math:`a_k(\mathbb 1[j = k] - a_j)`, applied in linear time)."""
        name, batch = node.name, self.graph.batch
        a, x = self.values[name], self.values[node.inputs[0]]
        means = []
        for b in range(batch):
            sup = f"({name})" if batch == 1 else f"({name})[{b + 1}]"
            mean = sp.Symbol(f"\\bar{{\\delta}}^{{{sup}}}", real=True)
            means.append(mean)
            terms = [d * ak for d, ak in zip(sent[b], a[b], strict=True)]
            definitions.append((mean, sp.Add(*terms)))
            for k, d in enumerate(sent[b]):
                incoming.setdefault(x[b][k], []).append(a[b][k] * (d - mean))
        self.auxiliary[name] = {"mean": means}

    def _batch_norm_backward(
        self,
        node: GraphNode,
        sent: list[list[sp.Expr]],
        incoming: dict[sp.Symbol, list[sp.Expr]],
        gradient: dict[sp.Symbol, list[sp.Expr]],
        definitions: list[tuple[sp.Symbol, sp.Expr]],
    ) -> None:
        r""":math:`\partial C/\partial x = \frac{\gamma}{s}(\delta - \overline{\delta} -
        \hat x\, \overline{\delta\hat x})`, with the two means per channel as symbols."""
        name, batch = node.name, self.graph.batch
        shape = self.graph.shapes[node.inputs[0]]
        channels, per_channel = shape[0], math.prod(shape[1:])
        count = batch * per_channel
        gamma, beta = node.parameters["gamma"], node.parameters["beta"]
        aux = self.auxiliary[name]
        x_hat = [aux["x_hat"][b * len(sent[0]) : (b + 1) * len(sent[0])] for b in range(batch)]
        mean = [
            sp.Symbol(f"\\bar{{\\delta}}^{{({name})}}_{{{c + 1}}}", real=True)
            for c in range(channels)
        ]
        moment = [
            sp.Symbol(f"\\overline{{\\delta \\hat{{x}}}}^{{({name})}}_{{{c + 1}}}", real=True)
            for c in range(channels)
        ]
        aux["mean"], aux["moment"] = mean, moment
        at = [
            [(b, c * per_channel + k) for b in range(batch) for k in range(per_channel)]
            for c in range(channels)
        ]
        for c in range(channels):
            definitions.append((mean[c], sp.Add(*[sent[b][k] for b, k in at[c]]) / count))
            definitions.append(
                (moment[c], sp.Add(*[sent[b][k] * x_hat[b][k] for b, k in at[c]]) / count)
            )
            for p, terms in ((gamma[c], [sent[b][k] * x_hat[b][k] for b, k in at[c]]),
                             (beta[c], [sent[b][k] for b, k in at[c]])):  # fmt: skip
                if p in self._free:
                    gradient.setdefault(p, []).extend(terms)
        x = self.values[node.inputs[0]]
        sigma = aux["sigma"]
        for c in range(channels):
            for b, k in at[c]:
                pulled = gamma[c] / sigma[c] * (sent[b][k] - mean[c] - x_hat[b][k] * moment[c])
                incoming.setdefault(x[b][k], []).append(pulled)

    # --- reading the result ------------------------------------------------------------------

    @property
    def definitions(self) -> Mapping[sp.Symbol, sp.Expr]:
        """Every definition (forward values, then the errors), in order."""
        return self.program.defined

    def expand(self, expr: sp.Expr) -> sp.Expr:
        """Substitute every definition into ``expr``: inputs, parameters and targets remain."""
        return self.program.expand(expr)

    def _names(self) -> list[str]:
        return [*self.graph.inputs, *(n.name for n in self.graph.nodes)]

    def _unit(self, node: str, unit: int | Sequence[int], example: int) -> int:
        """The 0-based flat index of a 1-based unit (an int, or one index per axis)."""
        if node not in self.errors:
            names = ", ".join(self._names())
            raise ValueError(f"node {node!r} is not in this graph; its nodes are: {names}")
        shape = self.graph.shapes[node]
        if not isinstance(example, int) or not 1 <= example <= self.batch:
            raise ValueError(f"example={example!r}: the batch has examples 1..{self.batch}")
        if isinstance(unit, int) and not isinstance(unit, bool):
            if not 1 <= unit <= math.prod(shape):
                raise ValueError(
                    f"unit {unit!r} does not exist in node {node!r}; its units are "
                    f"1..{math.prod(shape)} (flat, row-major)"
                )
            return unit - 1
        index = tuple(unit) if isinstance(unit, Sequence) else ()
        if len(index) != len(shape) or not all(
            isinstance(i, int) and 1 <= i <= n for i, n in zip(index, shape, strict=True)
        ):
            raise ValueError(
                f"unit {unit!r} does not exist in node {node!r} of shape {shape}: give a flat "
                f"unit number or one index per axis, each from 1"
            )
        return int(np.ravel_multi_index(tuple(i - 1 for i in index), shape))

    def delta(
        self,
        node: str,
        unit: int | Sequence[int],
        *,
        example: int = 1,
        expanded: bool = False,
    ) -> sp.Expr:
        r"""The error :math:`\delta^{(n)}_j` of unit ``unit`` (from 1) of node ``node``.

        Unexpanded it is its definition, in the consumers' errors and the node's own symbols;
        expanded, an expression in the inputs, parameters and targets.
        """
        k = self._unit(node, unit, example)
        value = self.definitions[self.errors[node][example - 1][k]]
        return self.expand(value) if expanded else value

    def partial(self, parameter: sp.Symbol, *, expanded: bool = False) -> sp.Expr:
        r""":math:`\partial C/\partial\theta` for one parameter symbol :math:`\theta`."""
        if parameter not in self.gradient:
            names = ", ".join(map(str, self.parameters)) or "none (every parameter is a number)"
            raise ValueError(
                f"{parameter!r} is not a parameter of this graph; its parameters are: {names}"
            )
        value = self.gradient[parameter]
        return self.expand(value) if expanded else value

    def expanded_gradient(self) -> dict[sp.Symbol, sp.Expr]:
        """:attr:`gradient` with every definition substituted (inputs, parameters, targets)."""
        values = self.program.expand_many(list(self.gradient.values()))
        return dict(zip(self.gradient, values, strict=True))

    def operation_count(self) -> int:
        """Operations of the whole gradient program, shared subexpressions counted once."""
        return self.program.operation_count()

    def forward_operation_count(self) -> int:
        """Operations of the forward pass and the loss, as a straight-line program."""
        return StraightLineProgram(self.forward_pass.definitions, (self.loss,)).operation_count()

    def conventions(self) -> tuple[str, ...]:
        """The conventions used where a derivative does not exist (kinks, ties), in words."""
        notes = []
        for node in self.graph.nodes:
            act = node.operation.activation
            if act.kinks:
                notes.append(f"node {node.name}: {act.kink_note} (the registry's convention)")
            if node.operation.kind == "max_pool":
                notes.append(
                    f"node {node.name}: at a tie in a max-pooling window the first maximal "
                    "entry (row-major) takes the gradient"
                )
        if self.loss.has(sp.Max, sp.Abs, sp.Heaviside):
            notes.append(
                "the loss has kinks: its derivative is taken with H(0) = 0 there, and at a tie "
                "of a maximum the first maximal argument takes the derivative"
            )
        return tuple(notes)

    # --- numbers -----------------------------------------------------------------------------

    def input_arguments(self) -> list[sp.Symbol]:
        """The input symbols, input by input, example by example, unit by unit."""
        return [s for name in self.graph.inputs for row in self.values[name] for s in row]

    def compiled(self, outputs: Sequence[sp.Expr]) -> Callable[..., FloatArray]:
        """The program compiled to NumPy with ``outputs``: a function of the inputs, the
        targets and the parameters (:meth:`input_arguments` order), each an array or float."""
        program = StraightLineProgram(self.program.definitions, tuple(outputs))
        return program.numpy_function([*self.input_arguments(), *self.targets, *self.parameters])

    def arguments(self, X: Any, Y: Any, theta: Any = ()) -> list[Any]:
        """The arguments of :meth:`compiled` from arrays: ``X`` a mapping from input name to
        an array of shape ``(batch, *shape)`` (one array when the graph has one input),
        ``Y`` of shape ``(batch, outputs)``, ``theta`` one number per parameter.

        With a batch of 1 in the graph, ``X`` may hold any number of rows: the compiled
        outputs are then means over the rows.
        """
        graph = self.graph
        if not isinstance(X, Mapping):
            if len(graph.inputs) != 1:
                raise ValueError(
                    f"the graph has inputs {', '.join(graph.inputs)}: give X as a mapping "
                    "from input name to array"
                )
            X = {next(iter(graph.inputs)): X}
        unknown = set(X) - set(graph.inputs)
        if unknown or set(graph.inputs) - set(X):
            raise ValueError(
                f"X has arrays for {sorted(X)}; give one for each input of the graph: "
                f"{', '.join(graph.inputs)}"
            )
        rows = None
        columns: list[Any] = []
        for name, shape in graph.inputs.items():
            array = np.asarray(X[name], dtype=float)
            size = math.prod(shape)
            batched = array.ndim == len(shape) + 1 or (array.ndim == 2 and array.shape[1] == size)
            array = array.reshape(array.shape[0] if batched and array.ndim else 1, -1)
            if array.shape[1] != size or (rows is not None and array.shape[0] != rows):
                raise ValueError(
                    f"X[{name!r}] has shape {np.shape(X[name])}; give (batch, {size}) or "
                    f"(batch, {', '.join(map(str, shape))}), the same batch for every input"
                )
            rows = array.shape[0]
            columns.extend(self._per_example(array, f"X[{name!r}]"))
        n_out = len(self.outputs) // self.batch
        Y = np.asarray(Y, dtype=float).reshape(-1, n_out) if np.size(Y) else np.zeros((0, n_out))
        if Y.shape[0] != rows:
            raise ValueError(
                f"Y has {Y.shape[0]} rows and X {rows}: give one row of {n_out} targets per example"
            )
        columns.extend(self._per_example(Y, "Y"))
        values = np.asarray(theta, dtype=float).ravel()
        if values.size != len(self.parameters):
            raise ValueError(
                f"theta has {values.size} values; give one per parameter, "
                f"{len(self.parameters)} in the order of GraphBackpropagation.parameters"
            )
        return [*columns, *values]

    def _per_example(self, array: FloatArray, what: str) -> list[Any]:
        if self.batch == 1:
            return list(array.T)
        if array.shape[0] != self.batch:
            raise ValueError(
                f"{what} has {array.shape[0]} rows; the graph's batch is {self.batch} (its "
                f"examples are coupled), so give exactly {self.batch}"
            )
        return [v for row in array for v in row]

    def numpy_gradient(self) -> Callable[[Any, Any, Any], FloatArray]:
        r"""The gradient compiled to NumPy from the program (one line of code per definition).

        Returns ``f(X, Y, theta)``: ``X`` a mapping from input name to an array of shape
        ``(batch, *shape)`` (or one array for a graph with one input), ``Y`` of shape
        ``(batch, outputs)``, ``theta`` the parameter values in the order of
        :attr:`parameters`; ``f`` returns :math:`\partial C/\partial\theta`, the mean over the
        rows when the graph's batch is 1.
        """
        compiled = self.compiled(self.program.outputs)

        def gradient_at(X: Any, Y: Any, theta: Any = ()) -> FloatArray:
            return compiled(*self.arguments(X, Y, theta))

        return gradient_at

    def numpy_errors(self) -> Callable[[Any, Any, Any], dict[str, FloatArray]]:
        r"""Every node's error compiled to NumPy: ``f(X, Y, theta)`` returns a mapping from
        node (or input) name to an array ``(batch, units)`` (for a graph with a batch of 1, the
        mean over the rows of ``X``)."""
        names = list(self.errors)
        flat = [s for name in names for row in self.errors[name] for s in row]
        compiled = self.compiled(flat)

        def errors_at(X: Any, Y: Any, theta: Any = ()) -> dict[str, FloatArray]:
            values = compiled(*self.arguments(X, Y, theta))
            result, start = {}, 0
            for name in names:
                size = math.prod(self.graph.shapes[name])
                result[name] = values[start : start + self.batch * size].reshape(self.batch, size)
                start += self.batch * size
            return result

        return errors_at

    # --- checks and the written form ---------------------------------------------------------

    def verify(
        self,
        *,
        points: int = 8,
        seed: int = 0,
        dps: int = 50,
        simplify_limit: int = 300,
        seconds: float = 10.0,
        nodes: tuple[str, ...] | None = None,
        time_limit: float = 120.0,
    ) -> GraphDeltaVerification:
        """Check every error against the true partial derivative, node by node, within
        ``time_limit`` seconds in all (a node not reached in time is reported undecided).

        See :func:`symdl.backpropagation.graph_verification.verify_graph_deltas`.
        """
        return verify_graph_deltas(
            self,
            points=points,
            seed=seed,
            dps=dps,
            simplify_limit=simplify_limit,
            seconds=seconds,
            nodes=nodes,
            time_limit=time_limit,
        )

    def cross_check(
        self, *, points: int = 3, seed: int = 0, tolerance: float = 1e-8
    ) -> GraphCrossCheck:
        """The compiled symbolic gradient and errors against :mod:`symdl.core.numeric_graph`.

        See :func:`symdl.backpropagation.graph_verification.cross_check_graph`.
        """
        return cross_check_graph(self, points=points, seed=seed, tolerance=tolerance)

    def derivation(self) -> Derivation:
        """The steps of backpropagation through this graph, a
        :class:`~symdl.core.derivation.Derivation`."""
        return graph_derivation(self)

    def __repr__(self) -> str:
        return (
            f"GraphBackpropagation({len(self.graph.nodes)} nodes, loss={self.loss_name}, "
            f"{len(self.parameters)} parameters)"
        )


# --- the entry point ----------------------------------------------------------------------


def graph_backprop(
    graph: GraphNetwork,
    loss: Loss | sp.Expr,
    *,
    targets: Sequence[sp.Symbol] | None = None,
    penalty: sp.Expr | None = None,
) -> GraphBackpropagation:
    r"""Backpropagation through a graph network for ``loss``: every error and the gradient.

    Parameters
    ----------
    graph
        A :class:`~symdl.core.graph.GraphNetwork`.
    loss
        A registry :class:`~symdl.core.losses.Loss`: :math:`C = \frac1B \sum_b
        \ell(a_b, y_b)` over the graph's batch; or a SymPy expression :math:`C` in the output
        node's value symbols (:func:`~symdl.backpropagation.graph_forward.graph_symbol` with
        ``"a"``) and the targets.
    targets
        The target symbols, example by example (default
        :func:`~symdl.backpropagation.graph_forward.graph_target_symbols`).
    penalty
        A regularizer in the parameters added to the loss; its derivatives join the gradient,
        the errors are those of the loss alone.

    Returns
    -------
    GraphBackpropagation

    Raises
    ------
    TypeError
        If ``graph`` is not a GraphNetwork, or ``loss`` neither a Loss nor a SymPy expression.
    ValueError
        If the loss does not depend on the output, the targets do not fit, or the penalty
        depends on anything but the parameters.

    Examples
    --------
    >>> from symdl.core.graph import GraphNetwork
    >>> from symdl.core.losses import LOSSES
    >>> bp = graph_backprop(GraphNetwork.residual(2, 2), LOSSES["mse"])
    >>> bp.operation_count() <= 5 * bp.forward_operation_count()
    True
    """
    if not isinstance(graph, GraphNetwork):
        raise TypeError(f"graph must be a symdl GraphNetwork, not {type(graph).__name__}")
    batch = graph.batch
    n_out = math.prod(graph.shapes[graph.output])
    if targets is None:
        rows = graph_target_symbols(n_out, batch=batch)
    else:
        flat = tuple(targets)
        if len(flat) != n_out * batch or not all(isinstance(y, sp.Symbol) for y in flat):
            raise ValueError(
                f"targets={flat!r}: give {n_out * batch} SymPy symbols, {n_out} per example of "
                f"the batch of {batch}"
            )
        rows = [list(flat[b * n_out : (b + 1) * n_out]) for b in range(batch)]
    outputs = graph_symbols("a", graph.output, graph.shapes[graph.output], batch)
    registry: Loss | None = None
    if isinstance(loss, Loss):
        if applies_softmax(loss) and graph.node(graph.output).operation.kind == "softmax":
            raise ValueError(
                f"the loss {loss.name!r} applies the softmax to the graph's output itself, and "
                f"the output node {graph.output!r} is already a softmax: the softmax would be "
                "applied twice. End the graph before the softmax node, or use a loss that does "
                "not apply the softmax"
            )
        registry = loss
        expr: sp.Expr = (
            sp.Add(*[loss(sp.Matrix(o), sp.Matrix(y)) for o, y in zip(outputs, rows, strict=True)])
            / batch
        )
        name = loss.name
    elif isinstance(loss, sp.Expr):
        expr, name = loss, "expression"
    else:
        raise TypeError(
            f"loss {loss!r} must be a symdl Loss (e.g. LOSSES['mse']) or a SymPy expression in "
            "the output node's values a^(n)_j and the targets"
        )
    flat_out = {s for row in outputs for s in row}
    if not expr.free_symbols & flat_out:
        raise ValueError(
            f"the loss {expr} does not depend on the output of the graph "
            f"({', '.join(str(s) for row in outputs for s in row)}); write it in these symbols"
        )
    if penalty is not None:
        if not isinstance(penalty, sp.Expr):
            raise TypeError(
                f"penalty={penalty!r} must be a SymPy expression in the graph's parameters"
            )
        stray = penalty.free_symbols - set(graph.parameters)
        if stray:
            raise ValueError(
                f"the penalty {penalty} depends on {', '.join(sorted(map(str, stray)))}: a "
                "regularizer is a function of the parameters alone"
            )
        name = f"{name} + penalty"
    return GraphBackpropagation(graph, expr, rows, name, registry_loss=registry, penalty=penalty)
