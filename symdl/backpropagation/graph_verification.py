r"""The homework on graphs, checked: every error of backpropagation on a graph network is the
true partial derivative, and the compiled gradient agrees with the independent NumPy evaluator.

:func:`verify_graph_deltas` checks, node by node, that the error :math:`\delta^{(n)}_j` of the
backward pass (:mod:`~symdl.backpropagation.graph_mode`) equals

.. math::

    \frac{\partial C_n}{\partial u_j}, \qquad
    C_n(u) = C\bigl(\text{the output recomputed from } u\bigr),

where :math:`u` is a free variable at the node (its pre-activation :math:`z^{(n)}` for dense
and convolution nodes, its value :math:`a^{(n)}` otherwise), everything downstream of the node
is recomputed from :math:`u` with the operations' own ``apply`` (not with backpropagation's
program), everything else is held fixed, and the derivative is taken by ``sympy.diff``.  The
two are compared by symdl's one decision procedure (:class:`~symdl.referee.equivalence.Referee`):
symbolically, region by region across the kinks of ReLU and max pooling, or at exact and
high-precision sample points (evidence, not proof: the report's
:attr:`~symdl.backpropagation.verification.CheckReport.proved` is then false).  A node used
by several consumers (the input :math:`x` of a residual block
:math:`x + F(x)`) is checked against the derivative through all of them at once: the sum over
consumers is what is being proved.

:func:`cross_check_graph` compares the compiled symbolic gradient and errors with
:func:`symdl.core.numeric_graph.graph_backward`, written by hand from the mathematics, at random
points.

References
----------
M. Nielsen, *Neural Networks and Deep Learning* (2015), ch. 2, proof of (BP1) and (BP2).

K. He, X. Zhang, S. Ren, J. Sun, "Deep residual learning for image recognition", CVPR 2016.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar, Protocol

import numpy as np
import sympy as sp
from numpy.typing import NDArray

from symdl.backpropagation.layer_rules import (
    TiesToFirst,
    activated,
    convention_derivative,
    kink_aware,
    with_ties_to_first,
)
from symdl.backpropagation.straight_line import StraightLineProgram
from symdl.backpropagation.verification import (
    CheckReport,
    difference_text,
    proved,
    verification_options,
)
from symdl.core.exceptions import NotSupportedError
from symdl.core.graph import GraphNetwork
from symdl.core.graph_operations import MaxPool
from symdl.core.limits import TimeLimitExceededError, _check_seconds, deadline
from symdl.core.losses import Loss
from symdl.core.numeric_graph import graph_backward
from symdl.core.targets import random_targets
from symdl.referee.constants import distinct_subexpressions
from symdl.referee.equivalence import CheckOptions, Referee
from symdl.referee.verdict import DecisionMethod, Outcome

__all__ = [
    "GraphBackwardPass",
    "GraphCrossCheck",
    "GraphDeltaCheck",
    "GraphDeltaVerification",
    "cross_check_graph",
    "downstream_nodes",
    "true_partials",
    "verify_graph_deltas",
]

FloatArray = NDArray[np.float64]
Rows = list[list[sp.Symbol]]


class GraphBackwardPass(Protocol):
    r"""A graph network's backward pass as symbols, as the checks and the derivation read it.

    :class:`~symdl.backpropagation.graph_mode.GraphBackpropagation` is the implementation.
    ``values``, ``pre_activations`` and ``errors`` map a node (or input) name to its symbols
    ``[example][unit]``; ``program`` holds every definition in order.
    """

    graph: GraphNetwork
    loss: sp.Expr
    loss_name: str
    registry_loss: Loss | None
    batch: int
    outputs: tuple[sp.Symbol, ...]
    targets: tuple[sp.Symbol, ...]
    parameters: tuple[sp.Symbol, ...]
    values: dict[str, Rows]
    pre_activations: dict[str, Rows]
    errors: dict[str, Rows]
    gradient: dict[sp.Symbol, sp.Expr]
    program: StraightLineProgram

    def conventions(self) -> tuple[str, ...]:
        """The conventions used where a derivative does not exist, in words."""
        ...

    def numpy_gradient(self) -> Callable[[Any, Any, Any], FloatArray]:
        """The gradient compiled to NumPy: ``f(X, Y, theta)``."""
        ...

    def numpy_errors(self) -> Callable[[Any, Any, Any], dict[str, FloatArray]]:
        """Every node's error compiled to NumPy: ``f(X, Y, theta)``."""
        ...


# --- the report ---------------------------------------------------------------------------


@dataclass(frozen=True)
class GraphDeltaCheck:
    r"""The check of one error :math:`\delta^{(n)}_j` of a graph network.

    ``node`` is the node (or graph input) name, ``unit`` the flat unit from 1, ``index`` its
    label in the symbols (``"2"``, or ``"1,2,3"`` for a map), ``example`` the example of the
    batch from 1, ``quantity`` ``"z"`` when the error is :math:`\partial C/\partial z` and
    ``"a"`` when it is :math:`\partial C/\partial a`.
    """

    node: str
    unit: int
    index: str
    example: int
    batch: int
    quantity: str
    holds: bool
    method: DecisionMethod | None
    detail: str = ""

    @property
    def name(self) -> str:
        """``δ^(h1)_2``, or ``δ^(h1)[2]_2`` for example 2 of a batch."""
        example = "" if self.batch == 1 else f"[{self.example}]"
        return f"δ^({self.node}){example}_{self.index}"

    @property
    def proved(self) -> bool:
        """True when the equality is proved symbolically (whole, or region by region)."""
        return proved(self)


@dataclass(frozen=True)
class GraphDeltaVerification(CheckReport[GraphDeltaCheck]):
    """The per-unit report of :func:`verify_graph_deltas`, with the conventions at kinks."""

    claim: ClassVar[str] = "every δ equals the partial derivative of C"

    def nodes(self) -> tuple[str, ...]:
        """The names of the checked nodes, in order."""
        return tuple(dict.fromkeys(check.node for check in self.checks))


# --- the truth ------------------------------------------------------------------------------


def downstream_nodes(graph: GraphNetwork, name: str) -> set[str]:
    """The nodes whose value depends on node (or input) ``name``, ``name`` left out.

    Examples
    --------
    >>> from symdl.core.graph import GraphNetwork
    >>> sorted(downstream_nodes(GraphNetwork.residual(1, 2), "r1"))
    ['f2', 'h2', 'r2']
    """
    found: set[str] = set()
    for node in graph.nodes:  # topological order: one pass
        if any(i == name or i in found for i in node.inputs):
            found.add(node.name)
    return found


def true_partials(bp: GraphBackwardPass, name: str) -> tuple[list[sp.Expr], set[sp.Symbol]]:
    r""":math:`\partial C/\partial u` at node ``name`` through the operations' own ``apply``,
    and the symbols held fixed (the values of the nodes not downstream of it).

    The variables :math:`u` are the node's pre-activation symbols where it has them, else its
    value symbols, example by example.
    """
    graph = bp.graph
    below = downstream_nodes(graph, name)
    variables = bp.pre_activations.get(name, bp.values[name])
    if name in bp.pre_activations:
        act = kink_aware(graph.node(name).operation.activation)
        start: list[list[sp.Expr]] = [[act(u) for u in row] for row in variables]
    else:
        start = [list(row) for row in variables]
    computed: dict[str, list[list[sp.Expr]]] = {name: start}
    for node in graph.nodes:
        if node.name not in below:
            continue
        inputs = [computed.get(i, bp.values[i]) for i in node.inputs]
        shapes = [graph.shapes[i] for i in node.inputs]
        if isinstance(node.operation, MaxPool):
            # each window's maximum, its entries in row-major order: at a tie the first of
            # them takes the derivative, as in the backward pass (SymPy's Max sorts them)
            windows = node.operation.windows(tuple(shapes[0]))
            v = [[TiesToFirst(*[x[k] for k in units]) for units in windows] for x in inputs[0]]
        else:
            v = node.operation.apply(inputs, node.parameters, shapes)
        act = kink_aware(node.operation.activation)
        computed[node.name] = [[act(e) for e in row] for row in v]
    fixed = {
        s
        for other, rows in bp.values.items()
        if other != name and other not in below
        for row in rows
        for s in row
    }
    out = computed.get(graph.output)
    if out is None:  # the output does not depend on this node
        return [sp.S.Zero for row in variables for _ in row], fixed
    flat = [e for row in out for e in row]
    cost = bp.loss.xreplace(dict(zip(bp.outputs, flat, strict=True)))
    # where the derivative does not exist (a kink, a tie) the backward pass's conventions:
    # H(0) = 0 and a maximum's derivative to its first maximal argument; elsewhere plain diff
    tied = with_ties_to_first(cost)
    partials = [
        activated(convention_derivative(tied, u, evaluate=False)) for row in variables for u in row
    ]
    return partials, fixed


def verify_graph_deltas(
    bp: GraphBackwardPass,
    *,
    points: int = 8,
    seed: int = 0,
    dps: int = 50,
    simplify_limit: int = 300,
    seconds: float = 10.0,
    nodes: tuple[str, ...] | None = None,
    time_limit: float = 120.0,
) -> GraphDeltaVerification:
    r"""Check :math:`\delta^{(n)}_j = \partial C/\partial u^{(n)}_j` for every unit of every
    node (``u`` the pre-activation of dense and convolution nodes, the value otherwise).

    Parameters
    ----------
    bp
        The result of :func:`~symdl.backpropagation.graph_mode.graph_backprop`.
    points, seed, dps, simplify_limit, seconds
        As :func:`~symdl.backpropagation.verification.verify_deltas`: sample points per unit
        when the symbolic stages do not decide, their seed, mpmath digits, the size and time
        limits of the simplification of one difference.
    nodes
        The node (and input) names to check; default every input and node of the graph.
    time_limit
        Seconds for the whole verification.  Forming a node's true partial derivatives
        rebuilds everything downstream of it as one expression, which grows quickly with
        depth; a node whose turn comes after the time ran out, or whose expressions cannot be
        formed in the time left, is reported undecided (never as a difference), with the
        reason.

    Examples
    --------
    >>> from symdl.core.graph import GraphNetwork
    >>> from symdl.core.losses import LOSSES
    >>> from symdl.backpropagation.graph_mode import graph_backprop
    >>> report = graph_backprop(GraphNetwork.residual(1, 1), LOSSES["l2"]).verify()
    >>> report.holds, report.proved, report.nodes()
    (True, True, ('x', 'h1', 'f1', 'r1'))

    References
    ----------
    M. Nielsen, *Neural Networks and Deep Learning* (2015), ch. 2: the statement
    :math:`\delta^l_j = \partial C/\partial z^l_j` that (BP1) and (BP2) compute.
    """
    options = verification_options(points, seed, dps, simplify_limit, seconds)
    graph = bp.graph
    every = [*graph.inputs, *(node.name for node in graph.nodes)]
    chosen = every if nodes is None else list(nodes)
    unknown = [n for n in chosen if n not in every]
    if unknown:
        raise ValueError(f"nodes {unknown} are not in the graph; its nodes are: {', '.join(every)}")
    _check_seconds(time_limit, "time_limit")
    end = time.monotonic() + time_limit
    checks: list[GraphDeltaCheck] = []
    for name in chosen:
        size = math.prod(graph.shapes[name])
        left = end - time.monotonic()
        try:
            if left <= 0:
                raise TimeLimitExceededError("no time left")
            with deadline(left):
                referee, mine = _node_problem(bp, name, options)
        except TimeLimitExceededError:
            reason = (
                f"undecided: the time limit of {time_limit:g} s for the whole verification ran "
                "out before this node's true partial derivatives were formed (time_limit=)"
            )
            checks.extend(
                _unit_check(bp, name, p, False, None, reason) for p in range(graph.batch * size)
            )
            continue
        for position, ours in enumerate(mine):
            # the comparisons count against the whole verification's time limit too
            left = end - time.monotonic()
            try:
                if left <= 0:
                    raise TimeLimitExceededError("no time left")
                with deadline(left):
                    entry, values = referee.compare(position, ours)
            except TimeLimitExceededError:
                reason = (
                    f"undecided: the time limit of {time_limit:g} s for the whole verification "
                    "ran out before this unit was compared (time_limit=)"
                )
                checks.append(_unit_check(bp, name, position, False, None, reason))
                continue
            holds = entry.outcome is Outcome.EQUIVALENT
            detail = entry.note if entry.outcome is Outcome.UNKNOWN else ""
            if entry.outcome is Outcome.DIFFERENT:
                detail = difference_text(referee, position, entry, values)
            checks.append(_unit_check(bp, name, position, holds, entry.method, detail))
    return GraphDeltaVerification(tuple(checks), bp.conventions())


def _unit_check(
    bp: GraphBackwardPass,
    name: str,
    position: int,
    holds: bool,
    method: DecisionMethod | None,
    detail: str,
) -> GraphDeltaCheck:
    """The check of unit ``position`` (example-major, from 0) of node ``name``."""
    shape = bp.graph.shapes[name]
    b, k = divmod(position, math.prod(shape))
    quantity = "z" if name in bp.pre_activations else "a"
    return GraphDeltaCheck(
        name, k + 1, _label(shape, k), b + 1, bp.graph.batch, quantity, holds, method, detail
    )


def _node_problem(
    bp: GraphBackwardPass, name: str, options: CheckOptions
) -> tuple[Referee, list[sp.Expr]]:
    """The referee holding node ``name``'s true partial derivatives, and backprop's errors
    expanded down to the same symbols."""
    variables = bp.pre_activations.get(name, bp.values[name])
    true, fixed = true_partials(bp, name)
    keep = frozenset(fixed | {u for row in variables for u in row})
    definitions = bp.program.defined
    mine = bp.program.expand_many(
        [definitions[s] for row in bp.errors[name] for s in row], keep=keep
    )
    shared = distinct_subexpressions((*true, *mine))  # free_symbols: once per path
    symbols = sorted((e for e in shared if isinstance(e, sp.Symbol)), key=str)
    return Referee(sp.Matrix(true), symbols, options=options), mine


def _label(shape: tuple[int, ...], k: int) -> str:
    if len(shape) == 1:
        return str(k + 1)
    return ",".join(str(int(i) + 1) for i in np.unravel_index(k, shape))


# --- the numeric cross-check -------------------------------------------------------------------


@dataclass(frozen=True)
class GraphCrossCheck:
    """The compiled symbolic gradient and errors against the independent NumPy evaluator.

    ``parameter_error`` and ``error_error`` are the worst normwise relative differences
    :math:`\\max|s - n| / \\max(1, \\max|n|)` over the points, of the gradient and of every
    node's error; ``worst_node`` is the node where the errors differ most.
    """

    points: int
    parameter_error: float
    error_error: float
    worst_node: str | None
    tolerance: float

    @property
    def holds(self) -> bool:
        """True when both differences are within the tolerance."""
        return max(self.parameter_error, self.error_error) <= self.tolerance

    def __str__(self) -> str:
        where = f" (worst at node {self.worst_node})" if self.worst_node else ""
        verdict = "agree" if self.holds else "DIFFER"
        return (
            f"symbolic and numeric backpropagation {verdict} at {self.points} random points: "
            f"gradient {self.parameter_error:.1e}, errors {self.error_error:.1e}{where} "
            f"(tolerance {self.tolerance:.0e})"
        )


def _relative(ours: FloatArray, reference: FloatArray) -> float:
    if reference.size == 0:
        return 0.0
    scale = max(1.0, float(np.max(np.abs(reference))))
    return float(np.max(np.abs(ours - reference))) / scale


def cross_check_graph(
    bp: GraphBackwardPass, *, points: int = 3, seed: int = 0, tolerance: float = 1e-8
) -> GraphCrossCheck:
    r"""The symbolic gradient and errors, compiled, against
    :func:`symdl.core.numeric_graph.graph_backward` at ``points`` random points.

    Inputs and targets are drawn from a normal distribution (targets of the loss's kind),
    parameters from :math:`N(0, 1/\text{fan-in})` roughly (normal with standard deviation 1/2).

    Raises
    ------
    NotSupportedError
        If the loss is an expression rather than a registry loss (the NumPy evaluator
        differentiates registry losses only).

    Examples
    --------
    >>> from symdl.core.graph import GraphNetwork
    >>> from symdl.core.losses import LOSSES
    >>> from symdl.backpropagation.graph_mode import graph_backprop
    >>> graph_backprop(GraphNetwork.residual(2, 2), LOSSES["mse"]).cross_check().holds
    True
    """
    if points < 1:
        raise ValueError(f"points={points} must be at least 1")
    loss = bp.registry_loss
    if loss is None or bp.loss.free_symbols & set(bp.parameters):
        raise NotSupportedError(
            f"the cross-check needs a registry loss without a penalty (this one is "
            f"{bp.loss_name!r}); the NumPy evaluator differentiates registry losses only"
        )
    graph = bp.graph
    rng = np.random.default_rng(seed)
    gradient, errors = bp.numpy_gradient(), bp.numpy_errors()
    n_out = len(bp.outputs) // bp.batch
    worst_parameter, worst_error, worst_node, worst_seen = 0.0, 0.0, None, -1.0
    for _ in range(points):
        X = {name: rng.normal(size=(bp.batch, *shape)) for name, shape in graph.inputs.items()}
        Y = random_targets(loss.target, rng, bp.batch, n_out)
        theta = rng.normal(scale=0.5, size=len(bp.parameters))
        reference = graph_backward(graph, X, Y, loss, list(theta))
        worst_parameter = max(
            worst_parameter,
            _relative(gradient(X, Y, theta), np.asarray(reference.parameters, dtype=float)),
        )
        ours = errors(X, Y, theta)
        theirs: Mapping[str, Any] = {**reference.inputs, **reference.nodes}
        for name, value in ours.items():
            gap = _relative(value, np.asarray(theirs[name], dtype=float).reshape(value.shape))
            worst_error = max(worst_error, gap)
            if gap > worst_seen:
                worst_seen, worst_node = gap, name
    return GraphCrossCheck(points, worst_parameter, worst_error, worst_node, tolerance)
