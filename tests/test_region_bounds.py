"""Serra's upper bound and the table of region counts, against a brute-force enumeration of
the bound's index set and the values known from the papers."""

from __future__ import annotations

import itertools
from math import comb, prod

import pytest

from symdl.depth.montufar import serra_upper_bound
from symdl.depth.region_bounds import region_count_table


def brute_force(widths: list[int], n0: int) -> int:
    """Serra et al. (2018), Theorem 1, with J enumerated over every tuple and filtered."""
    total = 0
    for js in itertools.product(*(range(w + 1) for w in widths)):
        ok = all(
            js[l] <= min([n0, widths[l], *(widths[i] - js[i] for i in range(l))])
            for l in range(len(widths))
        )
        if ok:
            total += prod(comb(w, j) for w, j in zip(widths, js, strict=True))
    return total


@pytest.mark.parametrize(
    ("widths", "n0"),
    [([4, 4], 2), ([4], 2), ([3, 3], 1), ([2, 5, 3], 2), ([3, 2, 4], 3), ([5, 5, 5], 2), ([2], 4)],
)
def test_serra_bound_matches_its_definition(widths: list[int], n0: int) -> None:
    assert serra_upper_bound(widths, n0) == brute_force(widths, n0)


def test_known_values() -> None:
    assert serra_upper_bound([4, 4], 2) == 121  # 11², the value of the issue and the paper
    assert serra_upper_bound([7], 3) == 1 + 7 + 21 + 35  # one layer: Zaslavsky's count
    assert serra_upper_bound([3, 3, 3], 1) == 4**3  # one input: ∏ (n_l + 1)
    with pytest.raises(ValueError, match="at most 12 layers"):
        serra_upper_bound([2] * 13, 1)


def test_the_folding_network_lies_between_the_bounds() -> None:
    for row in region_count_table():
        assert row.lower_bound <= row.folding_regions <= row.upper_bound
    (four_four,) = region_count_table([(2, [4, 4])])
    # 44 inside the unit square (Montúfar et al.'s count), more in the plane, at most 121
    assert (four_four.lower_bound, four_four.upper_bound) == (44, 121)
