r"""Rosenblatt's perceptron rule in exact arithmetic, and Novikoff's bound on its mistakes.

Data :math:`(x_i, y_i)` with :math:`y_i \in \{-1, +1\}`; each input is extended by a constant
input :math:`+1` whose weight is the bias (the convention here; a lecture that feeds :math:`-1`
gets the bias with the opposite sign, and the same mistakes).  The rule visits the examples in
order, epoch after epoch, and on a *mistake*, :math:`y_i\, w \cdot x_i \le 0` (a point on the
boundary counts as one), updates

.. math::

    w \leftarrow w + y_i x_i .

Novikoff (1962): if a unit vector :math:`u` has :math:`y_i\, u \cdot x_i \ge \gamma > 0` for
every :math:`i` and :math:`\|x_i\| \le R`, the rule started at :math:`w = 0` makes at most
:math:`(R/\gamma)^2` mistakes.  With the largest margin :math:`\gamma^*` (:func:`max_margin`,
exact) the bound is :math:`R^2/\gamma^{*2}`, a rational number.

On data that no hyperplane separates (XOR) the rule never stops; with integer data its weights
stay in a bounded set of integer vectors (the perceptron cycling theorem, Block and Levin
1970), so the weights at the start of some epoch repeat: :func:`perceptron` detects that repeat
exactly and reports the cycle.

References
----------
F. Rosenblatt, "The perceptron: a probabilistic model for information storage and organization
in the brain", Psychological Review 65(6), 1958.
A. B. J. Novikoff, "On convergence proofs on perceptrons", Symposium on the Mathematical Theory
of Automata, 1962.
H. D. Block and S. A. Levin, "On the boundedness of an iterative procedure for solving a system
of linear inequalities", Proc. AMS 26(2), 1970.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import sympy as sp

from symdl.core.exact import exact_fraction, positive_integer

__all__ = [
    "MAX_EXAMPLES",
    "MAX_SUPPORT_SETS",
    "MarginCertificate",
    "NovikoffBound",
    "PerceptronRun",
    "max_margin",
    "novikoff_bound",
    "perceptron",
]

#: The most examples :func:`perceptron` and :func:`max_margin` accept.
MAX_EXAMPLES = 200
#: The most candidate support sets :func:`max_margin` examines (it enumerates them exactly).
MAX_SUPPORT_SETS = 200_000

Vector = tuple[Fraction, ...]


@dataclass(frozen=True)
class PerceptronRun:
    """What the perceptron rule did.

    Attributes
    ----------
    weights
        The final weights, the bias last.
    mistakes
        The number of updates.
    epochs
        Full passes over the data (the last one without a mistake, when it converged).
    converged
        True when an epoch made no mistake: every example is classified correctly.
    cycle
        When the data are not separated: the number of epochs after which the weights at the
        start of an epoch come back (the rule would repeat them forever); else ``None``.
    updates
        ``(example index, weights after the update)`` for each mistake, in order.
    """

    weights: Vector
    mistakes: int
    epochs: int
    converged: bool
    cycle: int | None
    updates: tuple[tuple[int, Vector], ...]

    def __repr__(self) -> str:
        if self.converged:
            state = "converged"
        elif self.cycle is None:
            state = "stopped at max_epochs"
        else:
            state = f"cycles every {self.cycle} epoch{'s' * (self.cycle > 1)}"
        weights = ", ".join(str(w) for w in self.weights)
        return (
            f"PerceptronRun({state} after {self.epochs} epoch{'s' * (self.epochs > 1)}, "
            f"{self.mistakes} mistakes, "
            f"weights ({weights}))"
        )


@dataclass(frozen=True)
class MarginCertificate:
    r"""The separating hyperplane of largest margin, exactly.

    ``direction`` :math:`u` has :math:`\min_i y_i\, u \cdot x_i = 1`; the margin is
    :math:`\gamma^* = 1/\|u\|` (so ``margin_squared`` :math:`= 1/\|u\|^2` is rational).
    ``support`` lists the examples on the margin.
    """

    direction: Vector
    margin_squared: Fraction
    support: tuple[int, ...]


@dataclass(frozen=True)
class NovikoffBound:
    r""":math:`R^2`, :math:`\gamma^{*2}` and the bound :math:`R^2/\gamma^{*2}` on the mistakes."""

    radius_squared: Fraction
    margin_squared: Fraction
    bound: Fraction
    certificate: MarginCertificate


def _examples(points: Sequence[Sequence[Any]], labels: Sequence[Any], bias: bool) -> list[Vector]:
    """The vectors :math:`y_i x_i` (inputs extended by 1 for the bias), exactly."""
    if not isinstance(points, Sequence) or not isinstance(labels, Sequence):
        raise TypeError("points and labels must be sequences (lists or tuples)")
    if not points or len(points) != len(labels):
        raise ValueError(f"give one label per point: {len(points)} points and {len(labels)} labels")
    if len(points) > MAX_EXAMPLES:
        raise ValueError(
            f"{len(points)} examples: at most {MAX_EXAMPLES} "
            "(symdl.optimization.perceptron_learning.MAX_EXAMPLES) are run exactly"
        )
    dims = {len(p) for p in points}
    if len(dims) != 1 or 0 in dims:
        raise ValueError(f"every point needs the same, positive number of inputs; got {dims}")
    signed = []
    for i, (point, label) in enumerate(zip(points, labels, strict=True)):
        if label not in (1, -1) or isinstance(label, bool):
            raise ValueError(f"labels[{i}] = {label!r}: labels are +1 and -1")
        x = [exact_fraction(v, name=f"points[{i}][{j}]") for j, v in enumerate(point)]
        if bias:
            x.append(Fraction(1))
        signed.append(tuple(label * v for v in x))
    return signed


def _dot(a: Vector, b: Vector) -> Fraction:
    return sum((p * q for p, q in zip(a, b, strict=True)), Fraction(0))


def perceptron(
    points: Sequence[Sequence[Any]],
    labels: Sequence[Any],
    *,
    bias: bool = True,
    max_epochs: int = 10_000,
) -> PerceptronRun:
    """Run Rosenblatt's rule from :math:`w = 0` until an epoch makes no mistake, or the
    weights at the start of an epoch repeat (a cycle), or ``max_epochs`` have passed.

    Examples
    --------
    AND on :math:`\\{0, 1\\}^2` (labels -1, -1, -1, +1) is separable:

    >>> run = perceptron([(0, 0), (0, 1), (1, 0), (1, 1)], [-1, -1, -1, 1])
    >>> run.converged, run.mistakes
    (True, 18)

    XOR is not: after one epoch the weights are 0 again.

    >>> perceptron([(0, 0), (0, 1), (1, 0), (1, 1)], [-1, 1, 1, -1]).cycle
    1
    """
    signed = _examples(points, labels, bias)
    max_epochs = int(positive_integer(max_epochs, name="max_epochs"))
    w: Vector = tuple(Fraction(0) for _ in signed[0])
    seen = {w: 0}
    updates: list[tuple[int, Vector]] = []
    for epoch in range(1, max_epochs + 1):
        mistakes_before = len(updates)
        for i, z in enumerate(signed):
            if _dot(w, z) <= 0:
                w = tuple(a + b for a, b in zip(w, z, strict=True))
                updates.append((i, w))
        if len(updates) == mistakes_before:
            return PerceptronRun(w, len(updates), epoch, True, None, tuple(updates))
        if w in seen:  # the same weights start an epoch again: the rule repeats forever
            return PerceptronRun(w, len(updates), epoch, False, epoch - seen[w], tuple(updates))
        seen[w] = epoch
    return PerceptronRun(w, len(updates), max_epochs, False, None, tuple(updates))


def _solve(gram: sp.Matrix) -> sp.Matrix | None:
    """:math:`G^{-1} \\mathbf 1`, or None when the Gram matrix is singular."""
    if gram.det() == 0:
        return None
    return gram.LUsolve(sp.ones(gram.rows, 1))


def max_margin(
    points: Sequence[Sequence[Any]], labels: Sequence[Any], *, bias: bool = True
) -> MarginCertificate | None:
    r"""The hyperplane through the origin (after the bias input) of largest margin, exactly;
    ``None`` when no hyperplane separates the data.

    It minimises :math:`\|u\|^2` subject to :math:`y_i\, u \cdot x_i \ge 1`: a strictly convex
    quadratic programme whose solution is :math:`u = \sum_{i \in S} \alpha_i y_i x_i` with
    :math:`\alpha \ge 0` for some set :math:`S` of support vectors (the KKT conditions).  Every
    set of at most :math:`d` independent examples is tried, in order of size: the first whose
    :math:`\alpha \ge 0` satisfies every constraint is the optimum (unique by strict
    convexity).

    Examples
    --------
    Two points of opposite labels on the line, bias off: :math:`u = 1/2`, margin 2.

    >>> c = max_margin([(2,), (-2,)], [1, -1], bias=False)
    >>> c.direction, c.margin_squared
    ((Fraction(1, 2),), Fraction(4, 1))
    """
    signed = _examples(points, labels, bias)
    dim = len(signed[0])
    sets = sum(math.comb(len(signed), k) for k in range(1, min(dim, len(signed)) + 1))
    if sets > MAX_SUPPORT_SETS:
        raise ValueError(
            f"{len(signed)} examples in {dim} dimensions give {sets} candidate support sets, "
            f"more than {MAX_SUPPORT_SETS} "
            "(symdl.optimization.perceptron_learning.MAX_SUPPORT_SETS)"
        )
    rows = [sp.Matrix([[sp.Rational(v.numerator, v.denominator) for v in z]]) for z in signed]
    for size in range(1, min(dim, len(signed)) + 1):
        for support in itertools.combinations(range(len(signed)), size):
            Z = sp.Matrix.vstack(*(rows[i] for i in support))
            alpha = _solve(Z * Z.T)
            if alpha is None or any(a < 0 for a in alpha):
                continue
            u = Z.T * alpha
            if all((r * u)[0, 0] >= 1 for r in rows):
                direction = tuple(Fraction(int(v.p), int(v.q)) for v in u)
                norm = _dot(direction, direction)
                return MarginCertificate(direction, 1 / norm, support)
    return None


def novikoff_bound(
    points: Sequence[Sequence[Any]], labels: Sequence[Any], *, bias: bool = True
) -> NovikoffBound | None:
    r"""Novikoff's bound :math:`(R/\gamma^*)^2` on the perceptron's mistakes, exactly, with
    :math:`R = \max_i \|x_i\|` (inputs extended by the bias input) and the largest margin
    :math:`\gamma^*`; ``None`` when the data are not separable.

    Examples
    --------
    >>> b = novikoff_bound([(0, 0), (0, 1), (1, 0), (1, 1)], [-1, -1, -1, 1])
    >>> b.radius_squared, b.margin_squared, b.bound
    (Fraction(3, 1), Fraction(1, 17), Fraction(51, 1))
    """
    certificate = max_margin(points, labels, bias=bias)
    if certificate is None:
        return None
    signed = _examples(points, labels, bias)
    radius = max(_dot(z, z) for z in signed)
    return NovikoffBound(
        radius, certificate.margin_squared, radius / certificate.margin_squared, certificate
    )
