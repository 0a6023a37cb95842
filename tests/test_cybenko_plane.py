"""Cybenko's sums on the square, decision regions and the sigmoidal check
(symdl.approximation.universal_plane), against values computed by hand and against independent
evaluations: the networks' literal sums, NumPy floats on dense grids, point sampling."""

from __future__ import annotations

import math
import random
from fractions import Fraction

import numpy as np
import pytest
import sympy as sp

from symdl.approximation.universal_plane import (
    MAX_STEPS,
    DecisionConstruction,
    ExactSigmoid,
    PlaneNetwork,
    PlaneUnit,
    SigmoidalVerdict,
    bernstein_plane,
    check_sigmoidal,
    checkerboard,
    cybenko_plane,
    decision_network,
    grid_error,
    grid_partition,
    misclassified_measure,
    parity_network,
    plane_partition,
    polynomial_lipschitz_bound,
    ridge_decomposition,
    steep_ramps,
    threshold_network,
)
from symdl.core.exceptions import NotSupportedError

F = Fraction
x, y, t = sp.symbols("x y t", real=True)
HALF = F(1, 2)


# --- independent evaluators ---------------------------------------------------------------------


def literal_sum(network: PlaneNetwork, p: tuple[Fraction, Fraction]) -> Fraction:
    """G(p) by its definition, unit after unit."""

    def sigma(z: Fraction) -> Fraction:
        if network.sigmoid is ExactSigmoid.STEP:
            return F(1) if z >= 0 else F(0)
        return min(F(1), max(F(0), z))

    return network.offset + sum(
        (u.alpha * sigma(u.weight[0] * p[0] + u.weight[1] * p[1] + u.bias) for u in network.units),
        F(0),
    )


def float_network(network: PlaneNetwork, X: np.ndarray, Y: np.ndarray) -> np.ndarray:
    """G in floats, with NumPy."""
    total = np.full(X.shape, float(network.offset))
    for u in network.units:
        z = float(u.weight[0]) * X + float(u.weight[1]) * Y + float(u.bias)
        if network.sigmoid is ExactSigmoid.STEP:
            total += float(u.alpha) * (z >= 0)
        else:
            total += float(u.alpha) * np.clip(z, 0.0, 1.0)
    return total


def dense(points: int) -> tuple[np.ndarray, np.ndarray]:
    s = np.linspace(0.0, 1.0, points)
    return np.meshgrid(s, s, indexing="ij")


def midpoints(points: int) -> tuple[np.ndarray, np.ndarray]:
    s = (np.arange(points) + 0.5) / points
    return np.meshgrid(s, s, indexing="ij")


def decide(values: np.ndarray, classes: int) -> np.ndarray:
    return np.clip(np.floor(values + 0.5), 0, classes - 1)


def decide_exact(value: Fraction, classes: int) -> int:
    return min(classes - 1, max(0, math.floor(value + HALF)))


# --- sigmoidal functions ------------------------------------------------------------------------

S, N, U = SigmoidalVerdict.SIGMOIDAL, SigmoidalVerdict.NOT_SIGMOIDAL, SigmoidalVerdict.UNDECIDED


@pytest.mark.parametrize(
    ("sigma", "verdict", "plus", "minus"),
    [
        (1 / (1 + sp.exp(-t)), S, 1, 0),
        ((1 + sp.tanh(t)) / 2, S, 1, 0),
        (sp.Min(1, sp.Max(0, t)), S, 1, 0),  # SymPy's limit alone fails on this one at +∞
        (sp.Heaviside(t, 1), S, 1, 0),
        (sp.tanh(t), N, 1, -1),
        (sp.exp(-(t**2)), N, 0, 0),
        (sp.Max(0, t), N, sp.oo, 0),
        (sp.Function("f")(t), U, None, None),
    ],
)
def test_limits_and_verdicts_by_hand(
    sigma: sp.Expr, verdict: SigmoidalVerdict, plus, minus
) -> None:
    check = check_sigmoidal(sigma, t)
    assert check.verdict is verdict
    assert (check.at_plus_infinity, check.at_minus_infinity) == (plus, minus)
    for text in (check.reason, str(check)):
        assert "oo" not in text
        assert "**" not in text


def test_the_reasons_say_which_limit_is_wrong() -> None:
    assert check_sigmoidal("tanh").reason == "σ(t) → 1 as t → +∞; σ(t) → −1 as t → −∞, not 0"
    assert "σ(t) → ∞ as t → +∞, not 1" in check_sigmoidal("relu").reason
    bump = check_sigmoidal(sp.exp(-(t**2)), t).reason
    assert "→ 0 as t → +∞, not 1" in bump
    assert "→ 0 as t → −∞" in bump
    wave = check_sigmoidal(sp.sin(t), t)
    assert wave.verdict is N
    assert "oscillates between −1 and 1 as t → +∞: no limit" in wave.reason
    # the sign of b decides, and SymPy cannot know it: no verdict
    b, a = sp.Symbol("b", real=True), sp.Symbol("a", positive=True)
    assert check_sigmoidal(1 / (1 + sp.exp(-b * t)), t).verdict is U
    assert check_sigmoidal(1 / (1 + sp.exp(-a * t)), t).verdict is S
    # one wrong end is enough: no limit is found at +∞, and −1 at −∞ is wrong
    lopsided = sp.Function("f")(t) * sp.Heaviside(t, 1) - sp.Heaviside(-t, 1)
    check = check_sigmoidal(lopsided, t)
    assert (check.verdict, check.at_plus_infinity, check.at_minus_infinity) == (N, None, -1)


def test_bad_functions_are_refused() -> None:
    a = sp.Symbol("a")
    with pytest.raises(ValueError, match="pass the variable as t"):
        check_sigmoidal(1 / (1 + sp.exp(-a * t)))
    with pytest.raises(TypeError, match="not a SymPy expression"):
        check_sigmoidal(3)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="unknown activation"):
        check_sigmoidal("sigmod")
    with pytest.raises(ValueError, match="seconds"):
        check_sigmoidal(t, t, seconds=0)


def test_the_exact_sigmoids_by_hand() -> None:
    step, ramp = ExactSigmoid.STEP, ExactSigmoid.RAMP
    assert [step.at(z) for z in (F(-1, 100), F(0), F(3))] == [0, 1, 1]
    assert [ramp.at(z) for z in (F(-1), F(1, 3), F(2))] == [0, F(1, 3), 1]
    assert step.expression(sp.S.Zero) == 1
    assert ramp.expression(sp.Rational(2, 5)) == sp.Rational(2, 5)


# --- networks ----------------------------------------------------------------------------------


def random_network(rng: random.Random, sigmoid: ExactSigmoid, units: int) -> PlaneNetwork:
    weights = [(F(rng.randint(-3, 3)), F(rng.randint(1, 3), rng.randint(1, 2))) for _ in range(3)]
    return PlaneNetwork(
        sigmoid,
        F(rng.randint(-5, 5), 3),
        tuple(
            PlaneUnit(F(rng.randint(-9, 9), 4), rng.choice(weights), F(rng.randint(-9, 9), 5))
            for _ in range(units)
        ),
    )


@pytest.mark.parametrize("sigmoid", list(ExactSigmoid))
def test_a_network_is_the_sum_of_its_units(sigmoid: ExactSigmoid) -> None:
    rng = random.Random(7)
    for _ in range(5):
        network = random_network(rng, sigmoid, 12)
        for _ in range(20):
            p = (F(rng.randint(-10, 20), 10), F(rng.randint(-10, 20), 10))
            assert network.value(p) == literal_sum(network, p)
    # and its SymPy expression, evaluated by SymPy
    value = network.value((F(1, 3), F(4, 7)))
    expression = network.expression(x, y).subs({x: sp.Rational(1, 3), y: sp.Rational(4, 7)})
    assert expression == sp.Rational(value.numerator, value.denominator)


def test_units_are_checked() -> None:
    with pytest.raises(ValueError, match="constant"):
        PlaneUnit(F(1), (F(0), F(0)), F(1))
    with pytest.raises(TypeError, match="float"):
        PlaneUnit(0.5, (F(1), F(0)), F(0))  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="ExactSigmoid"):
        PlaneNetwork("step", F(0), ())  # type: ignore[arg-type]


# --- ridge polynomials ------------------------------------------------------------------------


def test_xy_is_three_ridge_squares() -> None:
    # by hand: xy = ((x + y)² − x² − y²)/2
    u = sp.Symbol("u")
    terms = {r.direction: r.polynomial(u) for r in ridge_decomposition(x * y, x, y)}
    assert terms == {(1, 0): -(u**2) / 2, (0, 1): -(u**2) / 2, (1, 1): u**2 / 2}
    assert {r.direction: r.interval for r in ridge_decomposition(x * y, x, y)}[(1, 1)] == (0, 2)


def test_every_polynomial_is_the_sum_of_its_ridges() -> None:
    rng = random.Random(3)
    for degree in range(6):
        p = sum(
            sp.Rational(rng.randint(-9, 9), rng.randint(1, 5)) * x**i * y ** (k - i)
            for k in range(degree + 1)
            for i in range(k + 1)
        )
        terms = ridge_decomposition(p, x, y)
        rebuilt = sum(r.polynomial(r.direction[0] * x + r.direction[1] * y) for r in terms)
        assert sp.expand(rebuilt - p) == 0
        assert len(terms) <= degree + 1
        directions = [r.direction for r in terms]
        assert all(
            a * d - b * c != 0 for (a, b) in directions for (c, d) in directions if (a, b) != (c, d)
        )


def test_ridge_decomposition_refuses() -> None:
    with pytest.raises(ValueError, match="not a polynomial"):
        ridge_decomposition(sp.sin(x), x, y)
    with pytest.raises(ValueError, match="MAX_DEGREE"):
        ridge_decomposition(x**13, x, y)
    with pytest.raises(ValueError, match="depends on z"):
        ridge_decomposition(x * sp.Symbol("z"), x, y)


# --- the construction and its errors -------------------------------------------------------------


def test_the_construction_for_xy_by_hand() -> None:
    # ramps, N = 4: the ridges −t²/2 on [0, 1] (h = 1/4, twice) and t²/2 on [0, 2] (h = 1/2);
    # the interpolant of a parabola errs by h² |p''|/8: 1/128 + 1/128 + 1/32 = 3/64
    approx = cybenko_plane(x * y, x, y, steps=4)
    assert approx.ridge_error_bound == F(3, 64)
    assert len(approx.network.units) == 12
    # at (0, 1/4): the two first ridges are at nodes (0 and −1/32), the third interpolates
    # t²/2 between 0 and 1/2 at 1/4: 1/16 instead of 1/32; G = 1/32 where xy = 0
    assert approx.network.value((F(0), F(1, 4))) == F(1, 32)
    assert grid_error(x * y, approx.network, x, y, grid=8).error == F(1, 32)


@pytest.mark.parametrize("n", [2, 4, 8])
def test_the_sup_error_for_xy_is_one_over_twice_n_squared(n: int) -> None:
    # xy = (x + y)²/2 − x²/2 − y²/2 and the ramps interpolate each ridge: below the concave
    # −t²/2 on [0, 1] (h = 1/N, by at most h²/8 = 1/(8N²)), above the convex t²/2 on [0, 2]
    # (h = 2/N, by at most 1/(2N²), reached at the midpoints).  So −1/(4N²) ≤ G − xy ≤ 1/(2N²),
    # with equality at (0, 1/N): x and y at nodes, x + y = 1/N a midpoint
    network = cybenko_plane(x * y, x, y, steps=n).network
    assert network.value((F(0), F(1, n))) == F(1, 2 * n * n)
    assert grid_error(x * y, network, x, y, grid=16).error == F(1, 2 * n * n)


@pytest.mark.parametrize("sigmoid", list(ExactSigmoid))
@pytest.mark.parametrize("f", [x * y, x**2 - x * y + y**3 / 2, (x - 2 * y) ** 3 / 5])
def test_the_a_priori_bound_holds_on_a_dense_grid(sigmoid: ExactSigmoid, f: sp.Expr) -> None:
    X, Y = dense(301)
    f_values = sp.lambdify((x, y), f, "numpy")(X, Y)
    for steps in (3, 8):
        approx = cybenko_plane(f, x, y, steps=steps, sigmoid=sigmoid)
        error = np.max(np.abs(f_values - float_network(approx.network, X, Y)))
        assert error <= float(approx.ridge_error_bound) + 1e-12


@pytest.mark.parametrize("f", [1 / (1 + x**2 + y**2), sp.Abs(x - y), sp.Max(x, y) ** 2])
def test_the_grid_error_is_the_float_maximum(f: sp.Expr) -> None:
    approx = cybenko_plane(f, x, y, steps=16, degree=3)
    result = grid_error(f, approx.network, x, y, grid=12)
    X, Y = np.meshgrid(np.arange(13) / 12, np.arange(13) / 12, indexing="ij")
    errors = np.abs(sp.lambdify((x, y), f, "numpy")(X, Y) - float_network(approx.network, X, Y))
    assert float(result.error) == pytest.approx(float(np.max(errors)), rel=1e-12)
    i, j = (int(c * 12) for c in result.point)
    assert errors[i, j] == pytest.approx(float(result.error), rel=1e-12)


def test_refining_lowers_the_grid_error() -> None:
    f = 1 / (1 + x**2 + y**2)
    errors = [
        grid_error(f, cybenko_plane(f, x, y, steps=32, degree=n).network, x, y, grid=8).error
        for n in (1, 2, 3)
    ]
    assert errors[0] > errors[1] > errors[2]


def test_the_sup_bound_is_above_the_error_everywhere() -> None:
    f = x * y + y**2
    network = cybenko_plane(f, x, y, steps=5).network
    lipschitz_f = polynomial_lipschitz_bound(f, x, y)
    assert lipschitz_f == 4  # sup|y| + sup|x + 2y| = 1 + 3
    grid = grid_error(f, network, x, y, grid=6)
    bound = grid.sup_bound(lipschitz_f=lipschitz_f, lipschitz_network=network.lipschitz_bound())
    X, Y = dense(601)
    error = np.max(np.abs(X * Y + Y**2 - float_network(network, X, Y)))
    assert grid.error <= error <= float(bound)
    with pytest.raises(ValueError, match="Lipschitz"):
        grid.sup_bound(lipschitz_f=-1, lipschitz_network=0)


def test_lipschitz_constants_against_sampled_slopes() -> None:
    assert polynomial_lipschitz_bound(x * y, x, y) == 2
    assert polynomial_lipschitz_bound(x**2 - y / 3, x, y) == F(7, 3)
    rng = np.random.default_rng(1)
    f = x**3 - 2 * x * y + y**2 / 3
    gradient = sp.lambdify((x, y), abs(sp.diff(f, x)) + abs(sp.diff(f, y)), "numpy")
    X, Y = dense(201)
    assert np.max(gradient(X, Y)) <= float(polynomial_lipschitz_bound(f, x, y)) + 1e-12
    network = cybenko_plane(f, x, y, steps=6).network
    bound = float(network.lipschitz_bound())
    P, Q = rng.random((2, 4000, 2))
    values_p = float_network(network, P[:, 0], P[:, 1])
    values_q = float_network(network, Q[:, 0], Q[:, 1])
    ratios = np.abs(values_p - values_q) / np.max(np.abs(P - Q), axis=1)
    assert np.max(ratios) <= bound + 1e-9
    with pytest.raises(ValueError, match="discontinuous"):
        cybenko_plane(f, x, y, steps=6, sigmoid=ExactSigmoid.STEP).network.lipschitz_bound()


def test_a_grid_error_of_zero_does_not_bound_a_sum_of_steps() -> None:
    network = cybenko_plane(x, x, y, steps=8, sigmoid=ExactSigmoid.STEP).network
    assert grid_error(x, network, x, y, grid=8).error == 0  # the nodes i/8
    # H(0) = 1: at the midpoint 1/16 the staircase already has the next node's value 1/8
    assert network.value((F(1, 16), F(1, 2))) == F(1, 8)


def test_bernstein_polynomials_by_hand() -> None:
    assert sp.expand(bernstein_plane(sp.Max(x, y), x, y, 1) - (x + y - x * y)) == 0
    linear = 2 * x - y / 3 + 1  # reproduced exactly
    assert sp.expand(bernstein_plane(linear, x, y, 3) - linear) == 0
    # one variable: B_n(x²) = x² + x(1 − x)/n
    assert sp.expand(bernstein_plane(x**2, x, y, 4) - (x**2 + x * (1 - x) / 4)) == 0


def test_the_construction_refuses() -> None:
    with pytest.raises(ValueError, match="pass degree"):
        cybenko_plane(sp.Abs(x - y), x, y, steps=4)
    with pytest.raises(ValueError, match="leave it out"):
        cybenko_plane(x * y, x, y, steps=4, degree=2)
    with pytest.raises(ValueError, match="MAX_STEPS"):
        cybenko_plane(x * y, x, y, steps=MAX_STEPS + 1)
    with pytest.raises(ValueError, match="MAX_DEGREE"):
        bernstein_plane(sp.Abs(x), x, y, 7)
    with pytest.raises(NotSupportedError, match="sin"):
        cybenko_plane(sp.sin(x), x, y, steps=4, degree=2)
    network = cybenko_plane(x, x, y, steps=2).network
    with pytest.raises(ValueError, match="MAX_GRID"):
        grid_error(x, network, x, y, grid=10_000)
    with pytest.raises(ValueError, match="not defined"):
        grid_error(1 / (x - HALF), network, x, y, grid=4)
    with pytest.raises(TypeError, match="float"):
        grid_error(x, network, x, y, grid=4.0)  # type: ignore[arg-type]


# --- partitions and the misclassified measure --------------------------------------------------


def test_partitions_are_checked() -> None:
    half = F(1, 2)
    left = [(0, 0), (half, 0), (half, 1), (0, 1)]
    with pytest.raises(ValueError, match="overlap"):
        plane_partition([(0, left), (1, [(F(1, 4), 0), (F(3, 4), 0), (F(3, 4), 1), (F(1, 4), 1)])])
    with pytest.raises(ValueError, match="add up to ½"):
        plane_partition([(0, left)])
    with pytest.raises(ValueError, match="not convex"):
        plane_partition([(0, [(0, 0), (1, 0), (half, half), (1, 1), (0, 1)])])
    with pytest.raises(ValueError, match="class 0 has no polygon"):
        plane_partition([(1, [(0, 0), (1, 0), (1, 1), (0, 1)])])
    with pytest.raises(ValueError, match="leaves the square"):
        plane_partition([(0, [(0, 0), (2, 0), (0, 1)])])
    with pytest.raises(ValueError, match="area 0"):
        plane_partition([(0, [(0, 0), (half, half), (1, 1)])])
    with pytest.raises(ValueError, match="increase from 0 to 1"):
        grid_partition([[0, 1]], xs=[0, 1, half])
    # clockwise polygons are accepted, and the classes found
    square = plane_partition([(0, [(0, 1), (1, 1), (1, 0), (0, 0)])])
    assert square.class_at((F(1, 3), F(2, 3))) == 0
    assert square.boundary_lines == ()  # the square's sides are no boundary
    # the lines x = 1/2 and y = 1/2, written 2x − 1 = 0 and 2y − 1 = 0
    assert set(checkerboard(2, 2).boundary_lines) == {(2, 0, -1), (0, 2, -1)}


def test_measures_by_hand() -> None:
    halves = grid_partition([[0, 1]])  # x < 1/2: class 0
    constant = {v: PlaneNetwork(ExactSigmoid.STEP, v, ()) for v in (F(0), F(1), HALF, F(-3))}
    assert misclassified_measure(halves, constant[F(0)]) == HALF
    assert misclassified_measure(halves, constant[F(1)]) == HALF
    assert misclassified_measure(halves, constant[F(-3)]) == HALF  # clamped to class 0
    assert misclassified_measure(halves, constant[HALF]) == HALF  # 1/2 rounds up, to class 1
    late = PlaneNetwork(ExactSigmoid.STEP, F(0), (PlaneUnit(F(1), (F(1), F(0)), F(-3, 5)),))
    assert misclassified_measure(halves, late) == F(1, 10)  # the strip 1/2 < x < 3/5
    # three strips y < 1/3, 1/3 < y < 2/3, y > 2/3 and G = 3y − 1/2 (a ramp of slope 3):
    # G rounds to ⌊3y⌋ exactly
    strips = grid_partition([[0], [1], [2]])
    ramp = PlaneNetwork(ExactSigmoid.RAMP, F(-1, 2), (PlaneUnit(F(3), (F(0), F(1)), F(0)),))
    assert misclassified_measure(strips, ramp) == 0
    # shifted by 1/4: the class is wrong on a band of height 1/12 above 1/3 and above 2/3
    shifted = PlaneNetwork(ExactSigmoid.RAMP, F(-1, 4), ramp.units)
    assert misclassified_measure(strips, shifted) == F(1, 6)


def test_steep_ramps_of_the_quarter_square_by_hand() -> None:
    # G = H(2x − 1) + H(2y − 1) − 1 is 1 on [1/2, 1]², at most 0 elsewhere.  With ramps of
    # slope 2M centred on the lines, G < 1/2 inside exactly where u + v < 1/2
    # (u = 2M(x − 1/2), v = 2M(y − 1/2)): a triangle of area (1/8)/(2M)² = 1/(32M²)
    quarter = grid_partition([[0, 0], [0, 1]])
    steps = PlaneNetwork(
        ExactSigmoid.STEP,
        F(-1),
        (PlaneUnit(F(1), (F(2), F(0)), F(-1)), PlaneUnit(F(1), (F(0), F(2)), F(-1))),
    )
    assert misclassified_measure(quarter, steps) == 0
    for m in (1, 3, 8):
        assert misclassified_measure(quarter, steep_ramps(steps, steepness=m)) == F(1, 32 * m * m)
    assert steep_ramps(steps, steepness=3).units[0] == PlaneUnit(F(1), (F(6), F(0)), F(-5, 2))
    with pytest.raises(TypeError, match="step units"):
        steep_ramps(steep_ramps(steps, steepness=2), steepness=2)
    with pytest.raises(ValueError, match="MAX_STEEPNESS"):
        steep_ramps(steps, steepness=2**30)


@pytest.mark.parametrize(
    ("partition", "sigmoid", "steps", "classes_of"),
    [
        (checkerboard(2, 2), ExactSigmoid.RAMP, 4, lambda X, Y: (X > 0.5) != (Y > 0.5)),
        (checkerboard(2, 2), ExactSigmoid.STEP, 4, lambda X, Y: (X > 0.5) != (Y > 0.5)),
        (
            checkerboard(3, 3),
            ExactSigmoid.RAMP,
            4,
            lambda X, Y: (np.floor(3 * X) + np.floor(3 * Y)) % 2,
        ),
    ],
)
def test_the_exact_measure_agrees_with_a_dense_grid(partition, sigmoid, steps, classes_of) -> None:
    network = parity_network(partition, steps=steps, sigmoid=sigmoid).network
    exact = misclassified_measure(partition, network)
    X, Y = midpoints(700)
    wrong = decide(float_network(network, X, Y), 2) != classes_of(X, Y)
    assert float(exact) == pytest.approx(float(np.mean(wrong)), abs=4e-3)
    assert exact > 0


# --- networks for decision regions --------------------------------------------------------------

EXACT_PARTITIONS = {
    "quarter": [[0, 0], [0, 1]],
    "L": [[1, 1], [1, 0]],
    "T": [[0, 1], [0, 2]],
    "strips": [[0], [1], [2]],
    "labelled grid": [[0, 1, 2], [3, 4, 5], [6, 7, 8]],
}


@pytest.mark.parametrize("labels", EXACT_PARTITIONS.values(), ids=EXACT_PARTITIONS)
def test_one_step_per_boundary_line_classifies_exactly(labels: list[list[int]]) -> None:
    partition = grid_partition(labels)
    network = threshold_network(partition)
    assert misclassified_measure(partition, network) == 0
    rng = random.Random(5)
    for _ in range(300):  # points off the lines (denominators prime to the grid's)
        p = (F(rng.randint(1, 96), 97), F(rng.randint(1, 96), 97))
        assert decide_exact(literal_sum(network, p), partition.classes) == partition.class_at(p)


def test_partitions_one_step_per_line_cannot_classify() -> None:
    # the checkerboard: around its centre G(c + u) + G(c − u) is constant (see the proof); the
    # opposite corners need the two diagonals x − y = ±1/3 as well
    with pytest.raises(NotSupportedError, match="best margin"):
        threshold_network(checkerboard(2, 2))
    corners = grid_partition([[1, 0, 0], [0, 0, 0], [0, 0, 1]])
    with pytest.raises(NotSupportedError, match="best margin"):
        threshold_network(corners)
    third = F(1, 3)
    network = threshold_network(corners, extra_lines=[(1, -1, -third), (1, -1, third)])
    assert misclassified_measure(corners, network) == 0
    rng = random.Random(2)
    for _ in range(300):
        p = (F(rng.randint(1, 96), 97), F(rng.randint(1, 96), 97))
        assert decide_exact(literal_sum(network, p), 2) == corners.class_at(p)
    with pytest.raises(NotSupportedError, match="not the sign"):
        parity_network(corners, steps=4)
    with pytest.raises(NotSupportedError, match="Cybenko's Theorem 3"):
        decision_network(corners, epsilon=F(1, 10))


def test_decision_networks_for_several_epsilons() -> None:
    xor = checkerboard(2, 2)
    X, Y = midpoints(500)
    previous = F(1)
    for eps in (F(1, 3), F(1, 10), F(1, 30)):
        result = decision_network(xor, epsilon=eps)
        assert result.method is DecisionConstruction.PARITY
        assert 0 < result.measure < eps
        assert result.measure <= previous
        previous = result.measure
        wrong = decide(float_network(result.network, X, Y), 2) != ((X > 0.5) != (Y > 0.5))
        assert float(result.measure) == pytest.approx(float(np.mean(wrong)), abs=4e-3)
    quarter = grid_partition([[0, 0], [0, 1]])
    exact = decision_network(quarter, epsilon=F(1, 1000), sigmoid=ExactSigmoid.STEP)
    assert (exact.measure, exact.method, exact.resolution) == (0, DecisionConstruction.LINES, None)
    ramps = decision_network(quarter, epsilon=F(1, 1000))
    assert ramps.method is DecisionConstruction.LINES
    assert 0 < ramps.measure < F(1, 1000)
    with pytest.raises(ValueError, match="epsilon"):
        decision_network(xor, epsilon=0)
