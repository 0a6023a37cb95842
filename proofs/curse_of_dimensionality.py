r"""The curse of dimensionality: grid cells grow exponentially with the dimension, units do not.

An :math:`L`-Lipschitz function on :math:`[0, 1]^d` is approximated within :math:`\varepsilon`
by its values at the centres of a grid of :math:`m^d` cubes exactly when
:math:`m \ge L\sqrt d/(2\varepsilon)`: a centre is within :math:`h\sqrt d/2` of every point of
its cube, and the cone :math:`L|x - x_0|` from a corner :math:`x_0` varies by :math:`L h\sqrt d`
over the cube, so a coarser grid fails on it.  The cells,
:math:`\lceil L\sqrt d/(2\varepsilon)\rceil^d`, grow like :math:`\varepsilon^{-d}`: for
:math:`\varepsilon = 1/10` from 5 cells in dimension 1 to :math:`13^6 = 4\,826\,809` in
dimension 6.  Barron's bound needs :math:`\lceil d\, C_f^2/\varepsilon^2\rceil` sigmoids for an
:math:`L^2` error :math:`\varepsilon` on the same cube, whatever the dimension's exponent: for
the Gaussian :math:`e^{-|x|^2/2}`, :math:`C_f^2 < d` (Gautschi's inequality), so fewer than
:math:`d^2/\varepsilon^2 + 1`.

References: A. R. Barron, IEEE Trans. Inf. Theory 39(3), 1993, Theorem 1; R. DeVore,
R. Howard, C. Micchelli, "Optimal nonlinear approximation", Manuscripta Math. 63, 1989.
"""

from __future__ import annotations

import sympy as sp

from symdl.approximation.curse_of_dimensionality import grid_cells, unit_count_table

d, eps, L = sp.symbols("d epsilon L", positive=True)
TENTH = sp.Rational(1, 10)


def lemma_the_grid_is_exactly_fine_enough() -> None:
    for dim in range(1, 7):
        m = sp.root(grid_cells(dim, TENTH), dim)
        assert m.is_Integer
        assert m * 2 * TENTH >= sp.sqrt(dim)  # h √d / 2 ≤ ε
        assert (m - 1) * 2 * TENTH < sp.sqrt(dim)  # one cell fewer per axis: the cone fails


def lemma_grid_cells_grow_like_a_power_of_one_over_epsilon() -> None:
    # (L √d/(2ε))^d ≤ cells < (L √d/(2ε) + 1)^d: the exponent of 1/ε is d
    u = sp.Symbol("u", positive=True)  # u = 1/ε
    cells = (L * sp.sqrt(d) * u / 2) ** d
    assert sp.simplify(u * sp.diff(sp.expand_log(sp.log(cells), force=True), u) - d) == 0
    assert [row.grid_cells for row in unit_count_table()] == [5, 64, 729, 10**4, 12**5, 13**6]


def lemma_barrons_units_stay_polynomial() -> None:
    for row in unit_count_table():
        # C_f² < d for the Gaussian (Γ((d+1)/2)/Γ(d/2) < √(d/2), Gautschi's inequality)
        assert bool(row.barron_constant**2 < row.d)
        assert row.barron_units <= row.d**2 / TENTH**2 + 1
    rows = unit_count_table()
    assert rows[-1].barron_units < rows[-1].grid_cells // 1000
