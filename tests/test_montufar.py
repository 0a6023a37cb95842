"""Bounds on linear regions: bad input (reference values and constructions: test_regions.py)."""

from __future__ import annotations

import pytest

from symdl.montufar import (
    general_position_network,
    montufar_lower_bound,
    serra_one_input_maximum,
    zaslavsky_bound,
)


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
