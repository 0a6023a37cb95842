"""Bounds on linear regions: bad input (reference values and constructions: test_regions.py)."""

from __future__ import annotations

import pytest
import sympy as sp

from symdl.core.exceptions import NotSupportedError
from symdl.core.network import Dense, Network
from symdl.depth.montufar import (
    folding_network,
    general_position_network,
    montufar_lower_bound,
    serra_one_input_maximum,
    zaslavsky_bound,
)
from symdl.depth.regions import region_boundaries_1d


def test_counts_must_be_integers_in_range() -> None:
    with pytest.raises(TypeError, match=r"n=2\.5 must be an integer"):
        zaslavsky_bound(2.5, 2)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="n0=0 must be at least 1"):
        zaslavsky_bound(4, 0)
    with pytest.raises(ValueError, match="n=-1 must be at least 0"):
        zaslavsky_bound(-1, 2)
    with pytest.raises(ValueError, match="n0=0 must be at least 1"):
        montufar_lower_bound([4, 4], 0)
    with pytest.raises(TypeError, match="list of integers"):
        montufar_lower_bound(4, 2)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="non-empty list"):
        serra_one_input_maximum([])
    with pytest.raises(ValueError, match="non-empty list"):
        serra_one_input_maximum([3.0, 3])  # type: ignore[list-item]
    with pytest.raises(TypeError, match="n=True must be an integer"):
        general_position_network(True)
    assert zaslavsky_bound(0, 2) == 1  # no neuron: the plane is one region


def regions_in_unit_interval(net: Network) -> int:
    """Intervals of constant activation pattern inside (0, 1), from the exact boundaries."""
    return 1 + sum(0 < cut < 1 for cut in region_boundaries_1d(net))


@pytest.mark.parametrize("widths", [[3], [2, 3], [3, 3], [4, 2], [2, 2, 2], [5, 4, 3]])
def test_one_input_folding_attains_montufar_lower_bound(widths: list[int]) -> None:
    # n0 = 1: the bound is Π_{l<L} n_l · (n_L + 1), e.g. 3 · 4 = 12 for widths [3, 3]
    expected = 1
    for n in widths[:-1]:
        expected *= n
    expected *= widths[-1] + 1
    assert montufar_lower_bound(widths, 1) == expected
    assert regions_in_unit_interval(folding_network(widths, inputs=1)) == expected


def test_a_fold_that_misses_the_unit_interval_loses_regions() -> None:
    # the checker can fail: move the last layer's points out of (0, 1)
    net = folding_network([3, 3], inputs=1)
    last = net.layers[1]
    assert isinstance(last, Dense)
    moved = Dense(last.W, last.b - sp.Matrix([10] * last.n_out), last.activation)
    assert regions_in_unit_interval(Network([net.layers[0], moved, net.layers[2]])) == 3
    assert regions_in_unit_interval(net) == 12


def test_folding_network_inputs_are_one_or_two() -> None:
    with pytest.raises(NotSupportedError, match="1 or 2 inputs"):
        folding_network([6, 6], inputs=3)
    with pytest.raises(TypeError, match=r"inputs=2\.0"):
        folding_network([4, 4], inputs=2.0)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="at least 2"):
        folding_network([1, 4])
    assert folding_network([4, 4]).n_inputs == 2
    assert folding_network([4, 4], inputs=1).n_inputs == 1
