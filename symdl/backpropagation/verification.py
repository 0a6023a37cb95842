r"""The homework, checked: every error of backpropagation is the true partial derivative.

For each layer :math:`l` and neuron :math:`j`, the loss is written as a function of the
pre-activations :math:`z^l` alone, using the network's own layer maps (not backpropagation's
program):

.. math::

    C_l(z^l) = C\bigl(f_L \circ \dots \circ f_{l+1}(\sigma_l(z^l)),\; y\bigr),
    \qquad f_m(a) = \sigma_m(W^m a + b^m),

and :math:`\partial C_l / \partial z^l_j` is formed by ``sympy.diff``.  It is compared with
:math:`\delta^l_j` from the backward recursion, expanded down to :math:`z^l`, by symdl's one
decision procedure (:class:`symdl.referee.equivalence.Referee`): the difference simplified under a
time limit; for kinks (ReLU, maxout, hinge) each sign pattern of the kinks simplified
(:mod:`symdl.referee.kinks`); otherwise evaluation at random exact points, which is evidence and is
reported as such (:attr:`CheckReport.proved` is then false).

At a kink the true derivative does not exist and backpropagation uses the registry's
convention (ReLU'(0) = 0, a maximum's derivative to its first maximal argument).  The true
partial derivative is formed with the same conventions at the kinks (``sympy.diff`` would leave
a bare Heaviside, 1/2 at 0), so that a sample point on a kink is never taken for a difference;
between the kinks it is the plain derivative, and the report states the conventions.

References
----------
Nielsen, *Neural Networks and Deep Learning* (2015), ch. 2, proof of (BP1) and (BP2).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar, Generic, Protocol, TypeVar

import sympy as sp

from symdl.backpropagation.backward_pass import BackwardPass
from symdl.backpropagation.layer_rules import (
    TiesToFirst,
    activated,
    convention_derivative,
    kink_aware,
    with_ties_to_first,
)
from symdl.core.network import Dense, Layer, Maxout
from symdl.referee.equivalence import CheckOptions, Referee
from symdl.referee.verdict import DecisionMethod, Outcome

__all__ = [
    "DeltaCheck",
    "DeltaVerification",
    "ErrorCheck",
    "ErrorVerification",
    "Method",
    "verification_options",
    "verify_deltas",
    "verify_errors",
]

#: Deprecated name of :class:`symdl.referee.verdict.DecisionMethod`, the one vocabulary of methods.
Method = DecisionMethod


@dataclass(frozen=True)
class DeltaCheck:
    r"""The check of one error :math:`\delta^{(l)}_j` (``piece`` for a maxout layer).

    ``method`` is how the outcome was decided (:class:`~symdl.referee.verdict.DecisionMethod`);
    ``proved`` whether that is a proof rather than agreement at sample points.
    """

    layer: int
    neuron: int
    piece: int | None
    holds: bool
    method: DecisionMethod | None
    detail: str = ""

    @property
    def name(self) -> str:
        """``δ^(l)_j`` or ``δ^(l,p)_j``."""
        sup = f"{self.layer}" if self.piece is None else f"{self.layer},{self.piece}"
        return f"δ^({sup})_{self.neuron}"

    @property
    def proved(self) -> bool:
        """True when the equality is proved symbolically (whole, or region by region)."""
        return proved(self)


class OneCheck(Protocol):
    """One δ's check, as a report reads it: its name, outcome and how it was decided."""

    @property
    def name(self) -> str: ...

    @property
    def holds(self) -> bool: ...

    @property
    def method(self) -> DecisionMethod | None: ...

    @property
    def detail(self) -> str: ...


def proved(check: OneCheck) -> bool:
    """True when ``check`` holds by a symbolic proof (whole, or region by region)."""
    return check.holds and check.method is not None and check.method.proves


_Check = TypeVar("_Check", bound=OneCheck)


@dataclass(frozen=True)
class CheckReport(Generic[_Check]):
    """The checks of every δ, with the conventions used at kinks."""

    checks: tuple[_Check, ...]
    conventions: tuple[str, ...]

    #: The last line of the report when every δ holds.
    claim: ClassVar[str] = "every δ equals ∂C/∂z"

    @property
    def holds(self) -> bool:
        """True when no error was found different from its true partial derivative."""
        return all(check.holds for check in self.checks)

    @property
    def proved(self) -> bool:
        """True when every equality is proved symbolically, not only seen at points."""
        return all(proved(check) for check in self.checks)

    def failures(self) -> tuple[_Check, ...]:
        """The errors that differ from the true partial derivative (or are undecided)."""
        return tuple(check for check in self.checks if not check.holds)

    def __str__(self) -> str:
        lines = []
        for c in self.checks:
            how = "undecided" if c.method is None else c.method.value
            lines.append(f"{c.name}: {how}{f' ({c.detail})' if c.detail else ''}")
        lines.extend(f"convention: {note}" for note in self.conventions)
        if self.holds:
            verdict = self.claim + ("" if self.proved else " (some at sample points)")
        else:
            verdict = f"{len(self.failures())} δ differ or are undecided"
        return "\n".join([*lines, verdict])


@dataclass(frozen=True)
class DeltaVerification(CheckReport[DeltaCheck]):
    """The per-neuron report of :func:`verify_deltas`, with the conventions at kinks."""


def verification_options(
    points: int, seed: int, dps: int, simplify_limit: int, seconds: float
) -> CheckOptions:
    """The referee's options for a verification, each argument checked by its own name.

    Raises
    ------
    TypeError, ValueError
        Naming the argument, its value and what is accepted: ``points`` an integer >= 2,
        ``dps`` an integer >= 20, ``seconds`` a number >= 0, ``seed`` and ``simplify_limit``
        integers >= 0.
    """
    integers = {"points": (points, 2), "dps": (dps, 20), "seed": (seed, 0)}
    integers["simplify_limit"] = (simplify_limit, 0)
    for name, (value, least) in integers.items():
        if isinstance(value, bool) or not isinstance(value, int):
            raise TypeError(f"{name} = {value!r}: expected an integer >= {least}")
        if value < least:
            raise ValueError(f"{name} = {value!r}: expected an integer >= {least}")
    if isinstance(seconds, bool) or not isinstance(seconds, (int, float)):
        raise TypeError(f"seconds = {seconds!r}: expected a number of seconds >= 0")
    if not 0 <= seconds < float("inf"):
        raise ValueError(f"seconds = {seconds!r}: expected a finite number of seconds >= 0")
    return CheckOptions(
        points=points, dps=dps, seed=seed, symbolic_seconds=seconds,
        symbolic_size=simplify_limit, time_limit=max(seconds, 1.0),
    )  # fmt: skip


def verify_deltas(
    bp: BackwardPass,
    *,
    points: int = 8,
    seed: int = 0,
    dps: int = 50,
    simplify_limit: int = 300,
    seconds: float = 10.0,
) -> DeltaVerification:
    r"""Check :math:`\delta^{(l)}_j = \partial C/\partial z^{(l)}_j` for every neuron.

    Parameters
    ----------
    bp
        The result of :func:`symdl.backpropagation.reverse_mode.backprop`.
    points
        Random rational points per neuron when the symbolic stages do not decide.
    seed
        Seed of the points (reproducible reports).
    dps
        Digits of the mpmath evaluation (the referee raises them for large constants).
    simplify_limit
        Differences with more tree nodes than this are not given to ``sympy.simplify``.
    seconds
        Time for the simplification of one error's difference.

    Examples
    --------
    >>> from symdl.core.network import Network
    >>> from symdl.core.losses import LOSSES
    >>> from symdl.backpropagation.reverse_mode import backprop
    >>> report = backprop(Network.mlp([2, 2, 1], ["relu", "sigmoid"]), LOSSES["mse"]).verify()
    >>> report.holds, report.proved, [c.method.name for c in report.checks]
    (True, True, ['SYMBOLIC', 'SYMBOLIC', 'SYMBOLIC'])
    >>> report.conventions
    ("layer 1: ReLU'(0) = 0 (the registry's convention)",)

    References
    ----------
    M. Nielsen, *Neural Networks and Deep Learning* (2015), ch. 2: the statement
    :math:`\delta^l_j = \partial C/\partial z^l_j` that (BP1) and (BP2) compute.
    """
    options = verification_options(points, seed, dps, simplify_limit, seconds)
    layers: list[list[DeltaCheck]] = []
    for l in range(bp.network.depth, 0, -1):
        checks: list[DeltaCheck] = []
        z_symbols = [s for row in bp.z[l] for s in row]
        true = _true_partials(bp, l)
        mine = bp.program.expand_many(
            [bp.definitions[s] for row in bp.errors[l] for s in row], keep=frozenset(z_symbols)
        )
        symbols = set().union(*(e.free_symbols for e in (*true, *mine)))
        referee = Referee(sp.Matrix(true), sorted(symbols, key=str), options=options)
        for index, ours in enumerate(mine):
            j, p = divmod(index, len(bp.z[l][0]))
            piece = p + 1 if isinstance(bp.network.layers[l - 1], Maxout) else None
            entry, values = referee.compare(index, ours)
            holds = entry.outcome is Outcome.EQUIVALENT
            detail = entry.note if entry.outcome is Outcome.UNKNOWN else ""
            if entry.outcome is Outcome.DIFFERENT:
                detail = difference_text(referee, index, entry, values)
            checks.append(DeltaCheck(l, j + 1, piece, holds, entry.method, detail))
        layers.insert(0, checks)
    return DeltaVerification(tuple(c for layer in layers for c in layer), bp.conventions())


def difference_text(referee: Referee, k: int, entry: Any, values: Any) -> str:
    """``differ by <δ - ∂C/∂z> at <point>``: exact where both values are rational."""
    point = referee.witness_point(k, entry) or {}
    where = ", ".join(f"{s} = {v}" for s, v in point.items())
    truth, submitted = referee.witness_values(k, entry, values)
    if truth is None or submitted is None or submitted is sp.nan:
        return f"δ is undefined at {where}"
    gap = submitted - truth
    return f"differ by {gap if gap.is_Rational else sp.N(gap, 5)} at {where}"


def _true_partials(bp: BackwardPass, l: int) -> list[sp.Expr]:
    """:math:`\\partial C/\\partial z^l` through the network's own layer maps and ``diff``."""
    layers = bp.network.layers
    z = sp.Matrix(bp.z[l])
    a = _activate(layers[l - 1], z if isinstance(layers[l - 1], Maxout) else z[:, 0])
    for layer in layers[l:]:
        a = _activate(layer, layer.pre_activation(a))
    cost = bp.loss.xreplace(dict(zip(bp.outputs, a, strict=True)))
    # where the derivative does not exist (a kink, a tie) the backward pass's conventions:
    # H(0) = 0, an activation's own convention at its kinks, and a maximum's derivative to
    # its first maximal argument; elsewhere plain diff
    tied = with_ties_to_first(cost)
    return [
        activated(convention_derivative(tied, s, evaluate=False)) for row in bp.z[l] for s in row
    ]


def _activate(layer: Layer, z: sp.Matrix) -> sp.Matrix:
    """The layer's activation for the true derivative: kinked activations kept whole
    (:func:`~symdl.backpropagation.layer_rules.kink_aware`), a maxout's pieces in their order
    (at a tie the first piece takes the derivative, as in the backward pass)."""
    if isinstance(layer, Maxout):
        return sp.Matrix([TiesToFirst(*z.row(j)) for j in range(z.rows)])
    if isinstance(layer, Dense):
        acts = [kink_aware(layer.activations[j if layer.is_mixed else 0]) for j in range(z.rows)]
        return sp.Matrix(z.rows, z.cols, lambda j, k: acts[j](z[j, k]))
    return layer.activate(z)


# The names before δ was called δ: "error" also means a mistake, which this module also reports.
ErrorCheck = DeltaCheck
ErrorVerification = DeltaVerification
verify_errors = verify_deltas
