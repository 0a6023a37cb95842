r"""Linear regions from both sides: Montúfar's lower bound, Serra's upper bound, exact counts.

For a ReLU network with :math:`n_0` inputs and hidden widths :math:`n_1, \dots, n_L`, the most
regions any such network can have lies between Montúfar et al.'s constructive lower bound
(:func:`~symdl.depth.montufar.montufar_lower_bound`, of order
:math:`(n/n_0)^{n_0 (L-1)} n^{n_0}` for equal widths :math:`n`) and Serra et al.'s upper bound
(:func:`~symdl.depth.montufar.serra_upper_bound`).  :func:`region_count_table` puts both
beside the exact count of Montúfar's folding network (:mod:`symdl.depth.regions`), which
attains the lower bound inside the unit cube and has more in the whole space.

References
----------
Montúfar, Pascanu, Cho, Bengio, "On the number of linear regions of deep neural networks",
NeurIPS 2014, Theorem 4.  Serra, Tjandraatmadja, Ramalingam, "Bounding and counting linear
regions of deep neural networks", ICML 2018, Theorem 1.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from symdl.depth.montufar import folding_network, montufar_lower_bound, serra_upper_bound
from symdl.depth.regions import activation_regions_1d, regions_2d

__all__ = ["DEFAULT_CASES", "RegionCounts", "region_count_table"]

#: The (inputs, widths) of the table shown in the documentation.
DEFAULT_CASES: tuple[tuple[int, tuple[int, ...]], ...] = (
    (1, (3, 3)),
    (1, (3, 3, 3)),
    (1, (4, 4)),
    (2, (4,)),
    (2, (4, 4)),
    (2, (4, 4, 4)),
    (2, (6, 6)),
)


@dataclass(frozen=True)
class RegionCounts:
    """One row: the lower bound, the exact count of the folding network, the upper bound."""

    inputs: int
    widths: tuple[int, ...]
    lower_bound: int
    folding_regions: int
    upper_bound: int

    def __repr__(self) -> str:
        return (
            f"RegionCounts(n0={self.inputs}, widths={list(self.widths)}: "
            f"{self.lower_bound} ≤ … ≤ {self.upper_bound}; folding network "
            f"{self.folding_regions})"
        )


def region_count_table(
    cases: Sequence[tuple[int, Sequence[int]]] = DEFAULT_CASES,
) -> list[RegionCounts]:
    r"""For each ``(n0, widths)`` (one or two inputs, widths :math:`\ge n_0`): Montúfar's
    lower bound, the exact regions of the folding network on all of
    :math:`\mathbb{R}^{n_0}`, and Serra's upper bound.

    Examples
    --------
    >>> region_count_table([(2, [4, 4])])
    [RegionCounts(n0=2, widths=[4, 4]: 44 ≤ … ≤ 121; folding network 57)]
    """
    rows = []
    for n0, widths in cases:
        if n0 not in (1, 2):
            raise ValueError(f"n0={n0!r}: exact counts are computed for 1 or 2 inputs")
        net = folding_network(list(widths), inputs=n0)
        count = activation_regions_1d(net) if n0 == 1 else len(regions_2d(net))
        rows.append(
            RegionCounts(
                n0,
                tuple(widths),
                montufar_lower_bound(list(widths), n0),
                count,
                serra_upper_bound(list(widths), n0),
            )
        )
    return rows
