r"""Where the lecture differs: how many linear regions a deep ReLU network can have.

The lecture's count of the linear regions of a ReLU network with :math:`n_0` inputs and hidden
layers of widths :math:`n_1, \dots, n_L` multiplies the binomial coefficients
:math:`\binom{n_l}{j}`, :math:`j = 0, \dots, n_0`, where the bound adds them: for two inputs and
widths :math:`[4, 4]` it gives :math:`(1 \cdot 4 \cdot 6)^2 = 576` regions.  No such network has
more than

.. math::

    \prod_{l=1}^{L} \sum_{j=0}^{n_0} \binom{n_l}{j} = 11 \cdot 11 = 121

regions: the first layer's four lines cut the plane into at most
:math:`\sum_{j=0}^{2} \binom{4}{j} = 11` convex regions; on each of them the second layer's
pre-activations are affine functions of the input, whose four lines cut it into at most 11
pieces; the output layer is affine.  Serra, Tjandraatmadja and Ramalingam's Theorem 1 refines
this product (a sum over admissible :math:`(j_1, \dots, j_L)`) and gives 121 here too.
Montúfar et al.'s Theorem 4 is a lower bound on the maximum: 44 for these widths.

Computed here: the two formulas, 576 and 121, and Serra's sum; Montúfar's lower bound 44; and
the exact regions of explicit networks of widths :math:`[4, 4]` on the plane, Montúfar's
folding network and seeded random integer networks, each with at most 121 regions.

References: G. Montúfar, R. Pascanu, K. Cho, Y. Bengio, "On the number of linear regions of
deep neural networks", NeurIPS 2014, Theorem 4; T. Serra, C. Tjandraatmadja, S. Ramalingam,
"Bounding and counting linear regions of deep neural networks", ICML 2018, Theorem 1;
T. Zaslavsky, "Facing up to arrangements", Mem. AMS 154 (1975).
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from math import comb, prod

import numpy as np
import sympy as sp

from symdl import ACTIVATIONS, Dense, Derivation, Network
from symdl.depth.montufar import (
    folding_network,
    montufar_lower_bound,
    serra_upper_bound,
    zaslavsky_bound,
)
from symdl.depth.regions import regions_2d

INPUTS = 2
WIDTHS = (4, 4)


def lecture_count(widths: Sequence[int], n0: int) -> int:
    r"""The lecture's formula: :math:`\prod_l \prod_{j=0}^{n_0} \binom{n_l}{j}`."""
    return prod(comb(n, j) for n in widths for j in range(n0 + 1))


def product_bound(widths: Sequence[int], n0: int) -> int:
    r""":math:`\prod_l \sum_{j=0}^{n_0} \binom{n_l}{j}`: each layer cuts every region of the
    layers before it by at most :math:`n_l` hyperplanes of :math:`\mathbb{R}^{n_0}`."""
    return prod(sum(comb(n, j) for j in range(n0 + 1)) for n in widths)


def serra_bound(widths: Sequence[int], n0: int) -> int:
    r"""Serra et al.'s Theorem 1: :math:`\sum_{(j_1, \dots, j_L) \in J} \prod_l \binom{n_l}{j_l}`
    with :math:`J = \{0 \le j_l \le \min(n_0, n_1 - j_1, \dots, n_{l-1} - j_{l-1}, n_l)\}`."""
    total = 0
    for js in itertools.product(*(range(min(n0, n) + 1) for n in widths)):
        admissible = all(
            j <= min([n0, widths[l]] + [widths[i] - js[i] for i in range(l)])
            for l, j in enumerate(js)
        )
        if admissible:
            total += prod(comb(n, j) for n, j in zip(widths, js, strict=True))
    return total


def random_networks(count: int = 5, *, seed: int = 2014) -> list[Network]:
    """Seeded networks of widths [4, 4] on the plane, with small integer weights."""
    rng = np.random.default_rng(seed)
    nets = []
    for _ in range(count):
        first, second = rng.integers(-5, 6, size=(4, 2)), rng.integers(-5, 6, size=(4, 4))
        nets.append(
            Network.mlp(
                [INPUTS, *WIDTHS, 1],
                ["relu", "relu", "identity"],
                weights=[first.tolist(), second.tolist(), [[1, 1, 1, 1]]],
                biases=[
                    rng.integers(-5, 6, size=4).tolist(),
                    rng.integers(-5, 6, size=4).tolist(),
                    [0],
                ],
            )
        )
    return nets


def lemma_the_lecture_formula_gives_576() -> None:
    assert lecture_count(WIDTHS, INPUTS) == (comb(4, 0) * comb(4, 1) * comb(4, 2)) ** 2 == 576


def lemma_no_network_of_widths_4_4_has_more_than_121() -> None:
    assert zaslavsky_bound(4, INPUTS) == 11
    assert product_bound(WIDTHS, INPUTS) == 121
    assert serra_bound(WIDTHS, INPUTS) == 121
    # written here from the theorem, it agrees with symdl's own
    for widths in ((4, 4), (2, 2), (3, 1, 3), (4, 4, 4), (5, 2, 5), (6,)):
        assert serra_bound(widths, INPUTS) == serra_upper_bound(list(widths), INPUTS)
    assert lecture_count(WIDTHS, INPUTS) > product_bound(WIDTHS, INPUTS)
    # Serra's refinement is never above the product, and below it for narrow layers
    for widths in ((2, 2), (3, 1, 3), (4, 4, 4), (5, 2, 5)):
        assert serra_bound(widths, INPUTS) <= product_bound(widths, INPUTS)
    assert serra_bound((3, 1, 3), INPUTS) < product_bound((3, 1, 3), INPUTS)


def lemma_montufar_lower_bound_is_44() -> None:
    assert montufar_lower_bound(list(WIDTHS), INPUTS) == 4 * 11 == 44


def lemma_explicit_networks_stay_within_121() -> None:
    folding = len(regions_2d(folding_network(list(WIDTHS))))
    assert montufar_lower_bound(list(WIDTHS), INPUTS) <= folding <= 121
    for net in random_networks():
        assert len(regions_2d(net)) <= 121
    # the first layer alone: at most 11 regions, the first factor of the product
    for net in random_networks():
        readout = Dense(sp.ones(1, 4), sp.zeros(1, 1), ACTIVATIONS["identity"])
        first = Network([net.layers[0], readout])
        assert len(regions_2d(first)) <= zaslavsky_bound(4, INPUTS)


def derivation() -> Derivation:
    """The lecture's count against the bound, and the regions of explicit networks, computed."""
    d = Derivation(
        "Linear regions for two inputs and widths $[4, 4]$",
        statement="Both formulas evaluated, and the regions of explicit networks counted exactly.",
    )
    d.add(
        "\\prod_{l} \\prod_{j=0}^{n_0} \\binom{n_l}{j}",
        sp.Integer(lecture_count(WIDTHS, INPUTS)),
        "the lecture's count",
    )
    d.add(
        "\\prod_{l} \\sum_{j=0}^{n_0} \\binom{n_l}{j}",
        sp.Integer(product_bound(WIDTHS, INPUTS)),
        "the most any such network has (Serra et al., Theorem 1)",
    )
    d.add(
        "\\Bigl\\lfloor \\frac{n_1}{n_0} \\Bigr\\rfloor^{n_0} \\sum_{j=0}^{n_0} \\binom{n_2}{j}",
        sp.Integer(montufar_lower_bound(list(WIDTHS), INPUTS)),
        "the folding lower bound (Theorem 4 of the 2014 paper)",
    )
    d.add(
        "\\text{regions of the folding network}",
        sp.Integer(len(regions_2d(folding_network(list(WIDTHS))))),
        "counted exactly on the whole plane",
    )
    d.add(
        "\\text{most regions of five random networks}",
        sp.Integer(max(len(regions_2d(net)) for net in random_networks())),
        "counted exactly; at most 121",
    )
    return d
