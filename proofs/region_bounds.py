r"""Linear regions from both sides: Montúfar's lower bound ≤ the most regions ≤ Serra's upper bound.

For a ReLU network on :math:`\mathbb{R}^{n_0}` with hidden widths :math:`n_1, \dots, n_L`, the
most linear regions any choice of weights gives lies between Montúfar et al.'s constructive
bound :math:`\bigl(\prod_{l<L} \lfloor n_l/n_0 \rfloor^{n_0}\bigr) \sum_{j \le n_0}
\binom{n_L}{j}` and Serra et al.'s bound

.. math::

    \sum_{(j_1, \dots, j_L) \in J} \prod_{l=1}^{L} \binom{n_l}{j_l}, \qquad
    J = \{0 \le j_l \le \min(n_0, n_1 - j_1, \dots, n_{l-1} - j_{l-1}, n_l)\}:

for widths :math:`[4, 4]` on the plane, 44 and :math:`11^2 = 121`.  Montúfar's folding network,
whose regions are counted exactly (as rational polygons), lies between the two; with one layer
both bounds are Zaslavsky's count, which general position attains.

References: G. Montúfar, R. Pascanu, K. Cho, Y. Bengio, NeurIPS 2014, Theorem 4; T. Serra,
C. Tjandraatmadja, S. Ramalingam, ICML 2018, Theorem 1; T. Zaslavsky, Mem. AMS 154, 1975.
"""

from __future__ import annotations

from symdl.depth.montufar import general_position_network, serra_upper_bound, zaslavsky_bound
from symdl.depth.region_bounds import region_count_table
from symdl.depth.regions import regions_2d


def lemma_the_folding_network_lies_between_the_bounds() -> None:
    for row in region_count_table():
        assert row.lower_bound <= row.folding_regions <= row.upper_bound


def lemma_widths_four_four_on_the_plane() -> None:
    (row,) = region_count_table([(2, [4, 4])])
    assert (row.lower_bound, row.upper_bound) == (44, 121)


def lemma_one_layer_attains_both_bounds() -> None:
    for n in range(1, 7):
        net = general_position_network(n)
        count = len(regions_2d(net))
        assert count == zaslavsky_bound(n, 2) == serra_upper_bound([n], 2)
