r"""Linear regions of ReLU networks: Zaslavsky's count, Montúfar's lower bound, Serra's maximum.

One layer of :math:`n` ReLUs on :math:`\mathbb{R}^{n_0}` has at most
:math:`\sum_{j=0}^{n_0} \binom{n}{j}` linear regions, attained by hyperplanes in general
position (:math:`n_0 = 2`, :math:`n = 4`: 11).  Montúfar et al. show that :math:`L` hidden
layers of widths :math:`n_i \ge n_0` can have at least

.. math::

    \Bigl(\prod_{i=1}^{L-1} \Bigl\lfloor \frac{n_i}{n_0} \Bigr\rfloor^{n_0}\Bigr)
    \sum_{j=0}^{n_0} \binom{n_L}{j}

regions (:math:`n_0 = 2`, widths :math:`[4, 4]`: 44), by folding the input space; for one
input and widths :math:`n_l \ge 3`, Serra et al. show that the maximum is exactly
:math:`\prod_l (n_l + 1)` (widths :math:`[3, 3]`: 16).  Here the regions of explicit networks
attaining these values are enumerated exactly, as convex polygons with rational vertices (two
inputs) or intervals with rational ends (one input): lines in general position give
Zaslavsky's count; Montúfar's folding networks have exactly the lower bound inside the unit
square (and more in the plane) for several widths and depths, and, for one input, inside the
unit interval; zigzag networks of widths :math:`n_l \ge 3` have exactly
:math:`\prod_l (n_l + 1)` regions.  Float sampling of activation patterns never finds more.
Where the lecture's count differs, see the proof ``lecture_montufar``.

References: T. Zaslavsky, "Facing up to arrangements", Mem. AMS 154 (1975); G. Montúfar,
R. Pascanu, K. Cho, Y. Bengio, "On the number of linear regions of deep neural networks",
NeurIPS 2014, Theorem 4; T. Serra, C. Tjandraatmadja, S. Ramalingam, "Bounding and counting
linear regions of deep neural networks", ICML 2018, Theorem 1.
"""

from __future__ import annotations

import numpy as np

from symdl import (
    Network,
    activation_regions_1d,
    folding_network,
    general_position_network,
    montufar_lower_bound,
    pieces_1d,
    region_boundaries_1d,
    regions_2d,
    regions_in_window,
    sample_patterns_1d,
    sample_patterns_2d,
    serra_one_input_maximum,
    zaslavsky_bound,
    zigzag_network,
)


def lemma_bounds_reference_values() -> None:
    assert zaslavsky_bound(4, 2) == 11
    assert montufar_lower_bound([4, 4], 2) == 44
    assert serra_one_input_maximum([3, 3]) == 16
    assert montufar_lower_bound([3, 3], 1) == 12 <= 16


def lemma_zaslavsky_attained_in_general_position() -> None:
    for n in range(1, 7):
        assert len(regions_2d(general_position_network(n))) == zaslavsky_bound(n, 2)


def lemma_folding_attains_montufar_lower_bound() -> None:
    # in the unit square the folded copies hold exactly the bound; the plane holds more
    for widths in ([4], [4, 4], [4, 4, 4], [5, 3], [6, 4], [2, 4]):
        regions = regions_2d(folding_network(widths))
        bound = montufar_lower_bound(widths, 2)
        assert len(regions_in_window(regions, (0, 1, 0, 1))) == bound
        assert len(regions) >= bound
    assert montufar_lower_bound([4, 4], 2) == 44


def lemma_one_input_folding_attains_montufar_lower_bound() -> None:
    # n0 = 1: prod_{l<L} n_l (n_L + 1) intervals of constant pattern inside (0, 1)
    for widths in ([3], [3, 3], [2, 2, 2], [4, 3], [5, 4, 3]):
        cuts = region_boundaries_1d(folding_network(widths, inputs=1))
        inside = 1 + sum(0 < cut < 1 for cut in cuts)
        assert inside == montufar_lower_bound(widths, 1)
    assert montufar_lower_bound([3, 3], 1) == 12


def lemma_zigzag_attains_serra_maximum() -> None:
    assert serra_one_input_maximum([3, 3]) == 16
    for widths in ([3], [3, 3], [3, 3, 3], [4, 3], [3, 5], [4, 4, 4], [6, 7]):
        assert activation_regions_1d(zigzag_network(widths)) == serra_one_input_maximum(widths)
        assert pieces_1d(zigzag_network(widths)) == serra_one_input_maximum(widths)


def lemma_sampling_agrees() -> None:
    assert sample_patterns_2d(general_position_network(4), box=40.0, resolution=400) == 11
    assert sample_patterns_1d(zigzag_network([3, 3]), np.linspace(-5, 5, 100_001)) == 16
    exact = len(regions_2d(folding_network([4, 4]), box=4))
    assert sample_patterns_2d(folding_network([4, 4]), box=4.0, resolution=400) <= exact


def figures() -> dict[str, object]:
    """The regions of a one-layer and of a folding network in the plane."""
    from symdl.depth.regions import plot_regions

    # four lines in general position: x1 = 1, x2 = 1, x1 + x2 = 0, x1 - x2 = 1/2
    four = Network.mlp(
        [2, 4, 1],
        ["relu", "identity"],
        weights=[[[1, 0], [0, 1], [1, 1], [2, -2]], [[1, 1, 1, 1]]],
        biases=[[-1, -1, 0, -1], [0]],
    )
    return {
        "montufar_general_position": plot_regions(
            regions_2d(four, box=3), title="one layer of 4 ReLUs: 11 regions"
        ),
        "montufar_folding": plot_regions(
            regions_in_window(regions_2d(folding_network([4, 4])), (0, 1, 0, 1)),
            title="folding, widths [4, 4]: 44 regions in $[0, 1]^2$",
        ),
    }
