r"""Universal approximation on the square: Cybenko's sums in two variables, decision regions.

**Sigmoidal** (Cybenko 1989): :math:`\sigma(t) \to 1` as :math:`t \to +\infty` and
:math:`\sigma(t) \to 0` as :math:`t \to -\infty`, decided by SymPy's limits: the logistic
function, the step :math:`H`, the ramp :math:`\min(1, \max(0, t))` and
:math:`(1 + \tanh t)/2` are; :math:`\tanh` (:math:`\to -1`), ReLU (:math:`\to \infty`) and a
bump (:math:`\to 0` at both ends) are not.

**Theorem 2 on** :math:`[0, 1]^2`, **constructively.**  A polynomial of degree :math:`D` is a
sum of :math:`D + 1` ridge polynomials :math:`p_j(a_j x + b_j y)` (for :math:`xy`:
:math:`\tfrac12 (x + y)^2 - \tfrac12 x^2 - \tfrac12 y^2`), and a staircase of :math:`N` units
along each direction gives :math:`G = c + \sum_i \alpha_i \sigma(w_i \cdot x + b_i)` with

.. math::

    \sup_{[0,1]^2} |P - G| \le \sum_j \frac{h_j^2}{8} \sup |p_j''| \ \text{(ramps)}
    \quad\text{or}\quad \sum_j \frac{h_j}{2} \sup |p_j'| \ \text{(steps)},

with :math:`h_j = (|a_j| + |b_j|)/N`.  A continuous :math:`f` that is not a polynomial is first
replaced by its Bernstein polynomial.  The
error :math:`E_M = \max |f - G|` over the grid :math:`\{(i/M, j/M)\}` is computed exactly and
decreases as :math:`N` and the degree grow.  It is a lower bound of the sup error; with
Lipschitz constants for the max norm it gives the upper bound

.. math::

    \|f - G\|_\infty \le E_M + \frac{L_f + L_G}{2M},

while for step units (G discontinuous) a grid error of 0 is compatible with a sup error of
:math:`h/2`.

**Theorem 3 (decision regions).**  A one-hidden-layer network classifies a partition of the
square correctly except on a set of measure :math:`< \varepsilon`, the measure computed
exactly: 0 for a quarter square, an L-shape or a T-junction, with one step unit per boundary
line (and :math:`1/(32M^2)` once the steps are ramps of slope :math:`2M`); for the checkerboard
no sum of steps of its own lines classifies the points near its centre
(:math:`G(c + u) + G(c - u)` is the same for all :math:`u`), and the staircases of
:math:`\tfrac12 - (2x - 1)(2y - 1)` reach :math:`\varepsilon = 1/4, 1/16, 1/64`.

References: G. Cybenko, Math. Control Signals Systems 2:303–314, 1989 (Theorems 2 and 3);
A. Pinkus, Acta Numerica 8:143–195, 1999, section 3; M. Leshno, V. Lin, A. Pinkus,
S. Schocken, Neural Networks 6:861–867, 1993; G. J. Gibson, C. F. N. Cowan, Proc. IEEE
78(10):1590–1594, 1990.
"""

from __future__ import annotations

import itertools
from fractions import Fraction

import sympy as sp

from symdl.approximation.universal_plane import (
    ExactSigmoid,
    PlaneNetwork,
    PlaneUnit,
    SigmoidalVerdict,
    check_sigmoidal,
    checkerboard,
    cybenko_plane,
    decision_network,
    grid_error,
    grid_partition,
    misclassified_measure,
    polynomial_lipschitz_bound,
    ridge_decomposition,
    steep_ramps,
    threshold_network,
)
from symdl.core.exceptions import NotSupportedError

x, y, t = sp.symbols("x y t", real=True)
F = Fraction


def lemma_sigmoidal_functions_by_their_limits() -> None:
    sigmoidal = [
        1 / (1 + sp.exp(-t)),
        (1 + sp.tanh(t)) / 2,
        ExactSigmoid.STEP.expression(t),
        ExactSigmoid.RAMP.expression(t),
    ]
    for sigma in sigmoidal:
        assert check_sigmoidal(sigma, t).verdict is SigmoidalVerdict.SIGMOIDAL
    wrong = {"tanh": (1, -1), "relu": (sp.oo, 0)}
    for name, (plus, minus) in wrong.items():
        check = check_sigmoidal(name)
        assert check.verdict is SigmoidalVerdict.NOT_SIGMOIDAL
        assert (check.at_plus_infinity, check.at_minus_infinity) == (plus, minus)
    bump = check_sigmoidal(sp.exp(-(t**2)), t)
    assert bump.verdict is SigmoidalVerdict.NOT_SIGMOIDAL
    assert (bump.at_plus_infinity, bump.at_minus_infinity) == (0, 0)
    assert check_sigmoidal(sp.Function("f")(t), t).verdict is SigmoidalVerdict.UNDECIDED


def lemma_polynomials_are_sums_of_ridge_polynomials() -> None:
    u = sp.Symbol("u")
    ridges = ridge_decomposition(x * y, x, y)
    assert {r.direction: r.polynomial(u) for r in ridges} == {
        (1, 0): -(u**2) / 2,
        (0, 1): -(u**2) / 2,
        (1, 1): u**2 / 2,
    }
    for p in (x**3 - 2 * x**2 * y + y / 3 + 1, (x - y) ** 4 * x, x**2 * y**2 - sp.Rational(5, 7)):
        terms = ridge_decomposition(p, x, y)
        rebuilt = sum(r.polynomial(r.direction[0] * x + r.direction[1] * y) for r in terms)
        assert sp.expand(rebuilt - p) == 0
        degree = sp.Poly(p, x, y).total_degree()
        assert len(terms) <= degree + 1


def lemma_the_error_on_a_grid_decreases_as_the_construction_is_refined() -> None:
    f = x**2 - x * y + y**3 / 2
    errors = []
    for n in (2, 4, 8, 16):
        approx = cybenko_plane(f, x, y, steps=n)
        error = grid_error(f, approx.network, x, y, grid=16).error
        assert error <= approx.ridge_error_bound  # a grid error is at most the sup error
        errors.append(error)
    assert all(b < a for a, b in itertools.pairwise(errors))
    # the ramps interpolate: the a priori bound is O(1/N²), here divided by 4 at each doubling
    bounds = [cybenko_plane(f, x, y, steps=n).ridge_error_bound for n in (4, 8)]
    assert bounds[1] * 4 == bounds[0]
    smooth = 1 / (1 + x**2 + y**2)  # not a polynomial: Bernstein first, then the ridges
    errors = [
        grid_error(smooth, cybenko_plane(smooth, x, y, steps=32, degree=n).network, x, y, grid=8)
        for n in (1, 2, 4)
    ]
    assert all(b.error < a.error for a, b in itertools.pairwise(errors))


def lemma_the_grid_error_bounds_the_sup_error_with_lipschitz_constants() -> None:
    f = x * y
    assert polynomial_lipschitz_bound(f, x, y) == 2  # sup|y| + sup|x| on the square
    sup_bounds = []
    for n, m in ((4, 8), (8, 16), (16, 32)):
        network = cybenko_plane(f, x, y, steps=n).network
        grid = grid_error(f, network, x, y, grid=m)
        bound = grid.sup_bound(lipschitz_f=2, lipschitz_network=network.lipschitz_bound())
        # a finer grid of the same network stays below the sup, hence below the bound
        assert grid_error(f, network, x, y, grid=2 * m).error <= bound
        sup_bounds.append(bound)
    assert all(b < a for a, b in itertools.pairwise(sup_bounds))


def lemma_a_grid_error_of_zero_proves_nothing_for_steps() -> None:
    n = 8
    network = cybenko_plane(x, x, y, steps=n, sigmoid=ExactSigmoid.STEP).network
    assert grid_error(x, network, x, y, grid=n).error == 0  # the grid points are the nodes
    # at the midpoint m = 1/16 the unit switches on (H(0) = 1): G jumps to the next node's value
    midpoint = F(1, 2 * n)
    assert network.value((midpoint, F(0))) - midpoint == F(1, 2 * n)
    try:
        network.lipschitz_bound()
    except ValueError:
        pass
    else:
        raise AssertionError("a sum of steps has no Lipschitz constant")


def lemma_partitions_classified_exactly_by_one_step_per_boundary_line() -> None:
    for labels in ([[0, 0], [0, 1]], [[1, 1], [1, 0]], [[0, 1], [0, 2]], [[0], [1], [2]]):
        partition = grid_partition(labels)
        assert misclassified_measure(partition, threshold_network(partition)) == 0
    # the quarter square with H(2x − 1) + H(2y − 1) − 1: ramps of slope 2M err on a triangle
    # of legs 1/(4M) at the corner (1/2, 1/2), of area 1/(32 M²)
    quarter = grid_partition([[0, 0], [0, 1]])
    steps = PlaneNetwork(
        ExactSigmoid.STEP,
        F(-1),
        (PlaneUnit(F(1), (F(2), F(0)), F(-1)), PlaneUnit(F(1), (F(0), F(2)), F(-1))),
    )
    assert misclassified_measure(quarter, steps) == 0
    for m in (1, 2, 5):
        assert misclassified_measure(quarter, steep_ramps(steps, steepness=m)) == F(1, 32 * m * m)


def lemma_no_sum_of_steps_of_its_lines_classifies_the_checkerboard() -> None:
    # lines through the centre c: H(z) + H(−z) = 1 off the lines, so G(c + u) + G(c − u) is
    # the same for every u; the checkerboard needs it < 1 for u in the quadrants of class 0
    # and ≥ 1 for those of class 1
    n_lines = 4
    betas = sp.symbols(f"beta0:{n_lines}", real=True)
    gamma = sp.Symbol("gamma", real=True)
    normals = [(1, 0), (0, 1), (1, 1), (1, -2)]
    for u in ((3, 1), (1, 5), (-2, 7), (5, -3)):
        total = 2 * gamma
        for beta, (a, b) in zip(betas, normals, strict=True):
            z = a * u[0] + b * u[1]
            total += beta * (sp.Heaviside(z, 1) + sp.Heaviside(-z, 1))
        assert sp.expand(total - (2 * gamma + sum(betas))) == 0
    try:
        threshold_network(checkerboard(2, 2))
    except NotSupportedError:
        pass
    else:
        raise AssertionError("the checkerboard's own lines cannot classify it")


def lemma_the_checkerboard_is_classified_except_on_a_set_of_measure_below_epsilon() -> None:
    xor = checkerboard(2, 2)
    measures = []
    for eps in (F(1, 4), F(1, 16), F(1, 64)):
        result = decision_network(xor, epsilon=eps)
        assert 0 < result.measure < eps
        measures.append(result.measure)
    assert all(b < a for a, b in itertools.pairwise(measures))
