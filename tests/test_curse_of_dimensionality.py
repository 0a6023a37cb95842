"""Grid cells and Barron's units (symdl.approximation.curse_of_dimensionality), against
values computed by hand and a brute-force check of the grid's error."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
import sympy as sp

from symdl.approximation.curse_of_dimensionality import (
    barron_units,
    grid_cells,
    unit_count_table,
)

TENTH = sp.Rational(1, 10)


def test_counts_by_hand() -> None:
    # m = ⌈√d / (2ε)⌉ = ⌈5√d⌉: 5, ⌈7.07⌉ = 8, ⌈8.66⌉ = 9, exactly 10 (a float would risk 11)
    assert [grid_cells(d, TENTH) for d in (1, 2, 3, 4)] == [5, 8**2, 9**3, 10**4]
    # d C²/ε² for the Gaussian: C² = 2/π (d = 1) and π/2 (d = 2): 63.66… and 314.15…
    assert [row.barron_units for row in unit_count_table(TENTH, range(1, 3))] == [64, 315]


def test_the_grid_reaches_the_accuracy_and_one_cell_fewer_per_axis_does_not() -> None:
    # the cone f(x) = |x - x₀| (1-Lipschitz) with x₀ a corner of a cell: its values on the
    # cell span the cell's diagonal h√d, so a constant is within ε only if h√d/2 ≤ ε
    for d in (1, 2, 3):
        m = round(grid_cells(d, TENTH) ** (1 / d))
        for cells, ok in ((m, True), (m - 1, False)):
            h = 1 / cells
            corners = np.array(list(itertools.product((0.0, h), repeat=d)))
            values = np.linalg.norm(corners, axis=1)  # the cone at the cell's corners
            best_error = (values.max() - values.min()) / 2
            assert bool(best_error <= 0.1 + 1e-12) is ok, (d, cells)


def test_the_table_grows_like_a_power_of_the_accuracy_for_the_grid_only() -> None:
    rows = unit_count_table()
    assert [row.d for row in rows] == [1, 2, 3, 4, 5, 6]
    for row in rows:  # C_f of e^{-|x|²/2}: √2 Γ((d+1)/2)/Γ(d/2), by an independent formula
        expected = math.sqrt(2) * math.gamma((row.d + 1) / 2) / math.gamma(row.d / 2)
        assert float(row.barron_constant) == pytest.approx(expected, rel=1e-14)
        assert row.barron_units <= 100 * row.d**2  # d C²/ε² ≤ d · d/2 · 100 … polynomial
    assert rows[-1].grid_cells > 10**6 > rows[-1].barron_units


def test_bad_values_are_refused() -> None:
    with pytest.raises(ValueError, match="epsilon"):
        grid_cells(2, 0)
    with pytest.raises(ValueError, match="MAX_DIMENSION"):
        grid_cells(21, TENTH)
    with pytest.raises(ValueError, match="positive finite"):
        barron_units(2, TENTH, sp.oo)
    with pytest.raises(TypeError, match="float"):
        grid_cells(2, 0.1)
    tiny = sp.Rational(1, 10**100_000)  # an integer of 2·10^6 digits, were it computed
    with pytest.raises(ValueError, match="MAX_COUNT"):
        grid_cells(20, tiny)
    with pytest.raises(ValueError, match="MAX_COUNT"):
        barron_units(2, tiny, 1)
