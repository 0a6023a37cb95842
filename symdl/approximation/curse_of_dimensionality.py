r"""The curse of dimensionality made concrete, beside Barron's dimension-free rate.

**A grid pays** :math:`\varepsilon^{-d}`.  Approximate an :math:`L`-Lipschitz function
(Euclidean norm) on :math:`[0, 1]^d` by a function constant on each cube of a grid of side
:math:`h = 1/m`, equal to :math:`f` at the cube's centre: every point is within
:math:`h\sqrt d / 2` of its centre, so the error is at most :math:`L h \sqrt d / 2`.  An error
:math:`\le \varepsilon` therefore needs

.. math::

    m = \left\lceil \frac{L \sqrt d}{2 \varepsilon} \right\rceil, \qquad
    N = m^d \text{ cells,}

and this is also what some Lipschitz function forces on any grid: with fewer cells per axis
a cube of side :math:`> 2\varepsilon/(L\sqrt d)` has a diagonal on which the cone
:math:`L\,|x - x_0|` varies by more than :math:`2\varepsilon`, so no constant is within
:math:`\varepsilon` of it on that cube.  (A ReLU network reproducing the cells needs a number
of units of the same order; DeVore, Howard and Micchelli 1989 show :math:`\varepsilon^{-d}`
parameters are needed by any method whose parameters depend continuously on :math:`f`.)

**Barron's rate is** :math:`1/\sqrt n` **in every dimension.**  For :math:`C_f < \infty` there
is a network of :math:`n` sigmoids with :math:`\|f - f_n\|_{L^2(\mu)} \le 2 r C_f/\sqrt n` on a
ball of radius :math:`r` (Barron 1993, Theorem 1); :math:`[0, 1]^d` lies in the ball of radius
:math:`\sqrt d/2` about its centre, so :math:`n = \lceil d\, C_f^2/\varepsilon^2 \rceil` units
suffice: polynomial in :math:`d` whenever :math:`C_f` is.  (The orders of magnitude for
smooth and compositional functions, shallow against deep, are in
:func:`symdl.approximation.universal.unit_counts`.)

References
----------
A. R. Barron, "Universal approximation bounds for superpositions of a sigmoidal function",
IEEE Trans. Inf. Theory 39(3), 1993, Theorem 1.  R. DeVore, R. Howard, C. Micchelli, "Optimal
nonlinear approximation", Manuscripta Math. 63, 1989.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sympy as sp

from symdl.core.exact import exact_number, positive, positive_integer

__all__ = [
    "MAX_COUNT",
    "MAX_DIMENSION",
    "DimensionCounts",
    "barron_units",
    "grid_cells",
    "unit_count_table",
]

#: The largest dimension accepted; the counts are exact integers in every dimension.
MAX_DIMENSION = 20
#: The largest count computed (a tiny ε would otherwise ask for an integer of millions of digits).
MAX_COUNT = 10**30


def _ceiling(value: sp.Expr) -> int:
    """The exact ceiling of a positive real number (radicals included)."""
    return int(sp.ceiling(value))


def grid_cells(d: int, epsilon: Any, *, lipschitz: Any = 1) -> int:
    r""":math:`\lceil L\sqrt d/(2\varepsilon)\rceil^d`: the cells of the coarsest grid whose
    centre values approximate every :math:`L`-Lipschitz function on :math:`[0,1]^d` within
    ``epsilon``.

    >>> [grid_cells(d, sp.Rational(1, 10)) for d in (1, 2, 3)]
    [5, 64, 729]
    """
    dim = int(positive_integer(d, name="d"))
    if dim > MAX_DIMENSION:
        raise ValueError(f"d = {dim}: at most {MAX_DIMENSION} (MAX_DIMENSION)")
    eps = positive(epsilon, name="epsilon")
    lip = positive(lipschitz, name="lipschitz")
    per_axis = lip * sp.sqrt(dim) / (2 * eps)
    if sp.log(per_axis, 10) * dim > 30:  # checked before the power is formed
        raise ValueError(
            "epsilon is so small that the grid would have more than 10^30 cells "
            "(symdl.approximation.curse_of_dimensionality.MAX_COUNT); give a larger epsilon"
        )
    return _ceiling(per_axis) ** dim


def barron_units(d: int, epsilon: Any, constant: Any) -> int:
    r""":math:`\lceil d\, C_f^2/\varepsilon^2 \rceil`: units of Barron's bound for an
    :math:`L^2(\mu)` error :math:`\le \varepsilon` on :math:`[0,1]^d` (inside the ball of radius
    :math:`\sqrt d/2`), for Barron's constant ``constant`` :math:`= C_f`.

    >>> barron_units(2, sp.Rational(1, 10), 1)
    200
    """
    dim = int(positive_integer(d, name="d"))
    eps = positive(epsilon, name="epsilon")
    c = exact_number(constant, name="constant")
    if not (c.is_positive and c.is_finite):
        raise ValueError(f"constant = {c}: Barron's constant must be a positive finite number")
    units = dim * c**2 / eps**2
    if units > MAX_COUNT:
        raise ValueError(
            "epsilon is so small that Barron's bound would need more than 10^30 units "
            "(symdl.approximation.curse_of_dimensionality.MAX_COUNT); give a larger epsilon"
        )
    return _ceiling(units)


@dataclass(frozen=True)
class DimensionCounts:
    """One dimension: the grid's cells and Barron's units for the same accuracy."""

    d: int
    grid_cells: int
    barron_constant: sp.Expr
    barron_units: int


def unit_count_table(epsilon: Any = None, dimensions: range = range(1, 7)) -> list[DimensionCounts]:
    r"""For each :math:`d`: the grid cells for a 1-Lipschitz function, and Barron's units for
    the Gaussian :math:`e^{-|x|^2/2}`, whose constant
    :math:`C_f = \sqrt 2\, \Gamma(\tfrac{d+1}{2})/\Gamma(\tfrac d2)` grows like
    :math:`\sqrt d` (and whose Lipschitz constant is :math:`e^{-1/2} < 1`).

    ``epsilon`` defaults to :math:`1/10`.

    >>> [row.grid_cells for row in unit_count_table(sp.Rational(1, 10), range(1, 4))]
    [5, 64, 729]
    """
    epsilon = sp.Rational(1, 10) if epsilon is None else epsilon
    rows = []
    for d in dimensions:
        constant = sp.sqrt(2) * sp.gamma(sp.Rational(d + 1, 2)) / sp.gamma(sp.Rational(d, 2))
        constant = sp.nsimplify(sp.simplify(constant))
        rows.append(
            DimensionCounts(d, grid_cells(d, epsilon), constant, barron_units(d, epsilon, constant))
        )
    return rows
