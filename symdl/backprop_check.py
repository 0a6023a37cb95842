r"""The homework, checked: every error of backpropagation is the true partial derivative.

For each layer :math:`l` and neuron :math:`j`, the loss is written as a function of the
pre-activations :math:`z^l` alone, using the network's own layer maps (not backpropagation's
program):

.. math::

    C_l(z^l) = C\bigl(f_L \circ \dots \circ f_{l+1}(\sigma_l(z^l)),\; y\bigr),
    \qquad f_m(a) = \sigma_m(W^m a + b^m),

and :math:`\partial C_l / \partial z^l_j` is formed by ``sympy.diff``.  It is compared with
:math:`\delta^l_j` from the backward recursion, expanded down to :math:`z^l`.  The difference
is first simplified; when that does not reach 0 (kinks, large expressions) both sides are
evaluated at random exact rational points: exactly when the values are rational
(piecewise-linear networks), else with mpmath at 50 digits.

At a kink the true derivative does not exist and backpropagation uses the registry's
convention (ReLU'(0) = 0): the random points avoid the kinks, and the report says so.

References
----------
Nielsen, *Neural Networks and Deep Learning* (2015), ch. 2, proof of (BP1) and (BP2).
"""

from __future__ import annotations

import enum
import random
from dataclasses import dataclass
from typing import TYPE_CHECKING

import mpmath
import sympy as sp

from symdl.activations import Sigmoid
from symdl.network import Maxout

__all__ = ["ErrorCheck", "ErrorVerification", "Method", "verify_errors"]

if TYPE_CHECKING:
    from symdl.backprop import Backpropagation


class Method(enum.Enum):
    """How an error was shown equal to the true partial derivative."""

    SYMBOLIC = "the difference simplifies to 0"
    EXACT_POINTS = "exactly equal at random rational points"
    HIGH_PRECISION = "equal to 40 digits at random rational points (mpmath, 50 digits)"
    FAILED = "different"


@dataclass(frozen=True)
class ErrorCheck:
    r"""The check of one error :math:`\delta^{(l)}_j` (``piece`` for a maxout layer)."""

    layer: int
    neuron: int
    piece: int | None
    holds: bool
    method: Method
    detail: str = ""

    @property
    def name(self) -> str:
        """``δ^(l)_j`` or ``δ^(l,p)_j``."""
        sup = f"{self.layer}" if self.piece is None else f"{self.layer},{self.piece}"
        return f"δ^({sup})_{self.neuron}"


@dataclass(frozen=True)
class ErrorVerification:
    """The per-neuron report of :func:`verify_errors`, with the conventions at kinks."""

    checks: tuple[ErrorCheck, ...]
    conventions: tuple[str, ...]

    @property
    def holds(self) -> bool:
        """True when every error equals its true partial derivative."""
        return all(check.holds for check in self.checks)

    def failures(self) -> tuple[ErrorCheck, ...]:
        """The errors that differ from the true partial derivative."""
        return tuple(check for check in self.checks if not check.holds)

    def __str__(self) -> str:
        lines = [
            f"{c.name}: {c.method.value}{f' ({c.detail})' if c.detail else ''}" for c in self.checks
        ]
        lines.extend(f"convention: {note}" for note in self.conventions)
        if self.conventions:
            lines.append("the random points avoid the kinks, where no derivative exists")
        verdict = "every δ equals ∂C/∂z" if self.holds else f"{len(self.failures())} δ differ"
        return "\n".join([*lines, verdict])


def verify_errors(
    bp: Backpropagation,
    *,
    points: int = 3,
    seed: int = 0,
    dps: int = 50,
    simplify_limit: int = 300,
) -> ErrorVerification:
    r"""Check :math:`\delta^{(l)}_j = \partial C/\partial z^{(l)}_j` for every neuron.

    Parameters
    ----------
    bp
        The result of :func:`symdl.backprop.backprop`.
    points
        Random rational points per neuron when simplification does not decide.
    seed
        Seed of the points (reproducible reports).
    dps
        Digits of the mpmath evaluation; agreement to ``dps - 10`` digits is required.
    simplify_limit
        Differences with more operations than this are not given to ``sympy.simplify``.

    Examples
    --------
    >>> from symdl.network import Network
    >>> from symdl.losses import LOSSES
    >>> from symdl.backprop import backprop
    >>> report = backprop(Network.mlp([2, 2, 1], ["relu", "sigmoid"]), LOSSES["mse"]).verify()
    >>> report.holds, [c.method.name for c in report.checks]
    (True, ['HIGH_PRECISION', 'HIGH_PRECISION', 'SYMBOLIC'])
    >>> report.conventions
    ("layer 1: ReLU'(0) = 0 (the registry's convention)",)

    References
    ----------
    M. Nielsen, *Neural Networks and Deep Learning* (2015), ch. 2: the statement
    :math:`\delta^l_j = \partial C/\partial z^l_j` that (BP1) and (BP2) compute.
    """
    if points < 1 or dps < 20:
        raise ValueError(f"points={points} must be >= 1 and dps={dps} >= 20")
    rng = random.Random(seed)
    layers: list[list[ErrorCheck]] = []
    for l in range(bp.network.depth, 0, -1):
        checks: list[ErrorCheck] = []
        z_symbols = [s for row in bp.z[l] for s in row]
        true = _true_partials(bp, l)
        mine = bp.program.expand_many(
            [bp.definitions[s] for row in bp.errors[l] for s in row], keep=frozenset(z_symbols)
        )
        for index, (ours, exact) in enumerate(zip(mine, true, strict=True)):
            j, p = divmod(index, len(bp.z[l][0]))
            piece = p + 1 if isinstance(bp.network.layers[l - 1], Maxout) else None
            method, detail = _compare(ours, exact, rng, points, dps, simplify_limit)
            checks.append(ErrorCheck(l, j + 1, piece, method is not Method.FAILED, method, detail))
        layers.insert(0, checks)
    return ErrorVerification(tuple(c for layer in layers for c in layer), bp.conventions())


def _true_partials(bp: Backpropagation, l: int) -> list[sp.Expr]:
    """:math:`\\partial C/\\partial z^l` through the network's own layer maps and ``diff``."""
    layers = bp.network.layers
    z = sp.Matrix(bp.z[l])
    a = layers[l - 1].activate(z if isinstance(layers[l - 1], Maxout) else z[:, 0])
    for layer in layers[l:]:
        a = layer.activate(layer.pre_activation(a))
    cost = bp.loss.xreplace(dict(zip(bp.outputs, a, strict=True)))
    return [sp.diff(cost, s) for row in bp.z[l] for s in row]


def _compare(
    ours: sp.Expr, exact: sp.Expr, rng: random.Random, points: int, dps: int, limit: int
) -> tuple[Method, str]:
    difference = ours - exact
    if sp.expand(difference) == 0:
        return Method.SYMBOLIC, ""
    # simplification does not decide kinks (Heaviside against Piecewise): use points there
    kinked = difference.has(sp.Heaviside, sp.Piecewise, sp.Max, sp.Min, sp.Abs, sp.DiracDelta)
    if not kinked and sp.count_ops(difference) <= limit:
        elementary = difference.replace(Sigmoid, lambda u: 1 / (1 + sp.exp(-u)))
        if sp.simplify(elementary) == 0:
            return Method.SYMBOLIC, ""
    symbols = sorted(difference.free_symbols, key=str)
    method = Method.EXACT_POINTS
    for _ in range(points):
        point = {s: _random_rational(rng) for s in symbols}
        value = difference.xreplace(point)
        if value.is_Rational:
            if value != 0:
                return Method.FAILED, f"differ by {value} at {_show(point)}"
            continue
        method = Method.HIGH_PRECISION
        with mpmath.workdps(dps):
            gap = abs(sp.N(value, dps))
            scale = max(1, abs(sp.N(exact.xreplace(point), dps)))
        if not gap <= sp.Float(10) ** (10 - dps) * scale:
            return Method.FAILED, f"differ by {sp.N(gap, 5)} at {_show(point)}"
    return method, ""


def _random_rational(rng: random.Random) -> sp.Rational:
    # a nonzero rational in (-3, 3) with a prime denominator: kinks (value 0) are avoided
    numerator = rng.choice([-1, 1]) * rng.randint(1, 200)
    return sp.Rational(numerator, rng.choice([67, 71, 73, 79, 83]))


def _show(point: dict[sp.Symbol, sp.Rational]) -> str:
    return ", ".join(f"{s} = {v}" for s, v in point.items())
