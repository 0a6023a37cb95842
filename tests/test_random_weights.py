"""Random Gaussian weights and ReLU layers: exact second moments, the arc-cosine kernel, the
angle map, and their Monte Carlo counterparts.

The oracles are independent of the code under test: closed forms worked out by hand at special
angles, a numerical quadrature of the Gaussian integral written here (mpmath, 30 digits), the
expansion of the angle map checked against high-precision values of the map itself, and
seeded simulations compared within four standard errors.
"""

from __future__ import annotations

import itertools
import math
import re

import mpmath
import numpy as np
import pytest
import sympy as sp

from symdl.architectures.random_weights import (
    MAX_ANGLE_LAYERS,
    MAX_GAUSSIAN_DRAWS,
    MAX_KERNEL_DEGREE,
    AngleSimulation,
    MonteCarloEstimate,
    angle_map_series,
    arc_cosine_derivation,
    arc_cosine_kernel,
    expected_relu_layer_distance,
    expected_relu_layer_norm,
    iterate_angle_map,
    kernel_of_angle,
    relu_angle_cosine,
    relu_angle_map,
    relu_second_moment,
    simulate_arc_cosine_kernel,
    simulate_network_angles,
    simulate_relu_layer_norm,
    vector_angle,
)
from symdl.core.exact import FloatConversion

pi = sp.pi
theta = sp.Symbol("theta", real=True)


# --- oracles written here ----------------------------------------------------------------------


def quadrature_kernel(angle: mpmath.mpf, degree: int) -> mpmath.mpf:
    r"""E σ_n(w·x) σ_n(w·y) for unit x = (1, 0), y = (cos θ, sin θ), w ~ N(0, I₂).

    The Gaussian integral over the plane in polar coordinates w = r(cos φ, sin φ) has the
    density e^{-r²/2} r / (2π), and σ_n(w·x)σ_n(w·y) = r^{2n} [cos φ]_+^n [cos(φ − θ)]_+^n:
    a product of a radial and an angular integral, each computed by mpmath between the kinks.
    """

    def unit(t: mpmath.mpf) -> mpmath.mpf:
        return t**degree if t > 0 else mpmath.mpf(0)

    radial = mpmath.quad(lambda r: r ** (2 * degree + 1) * mpmath.exp(-(r**2) / 2), [0, mpmath.inf])
    kinks = {-mpmath.pi, mpmath.pi, -mpmath.pi / 2, mpmath.pi / 2, angle - mpmath.pi / 2}
    upper = angle + mpmath.pi / 2
    kinks.add(upper - 2 * mpmath.pi if upper > mpmath.pi else upper)
    angular = mpmath.quad(
        lambda p: unit(mpmath.cos(p)) * unit(mpmath.cos(p - angle)), sorted(kinks)
    )
    return radial * angular / (2 * mpmath.pi)


def cho_saul_j(n: int, t: sp.Expr) -> sp.Expr:
    """J_0, J_1, J_2 of Cho & Saul (2009), equations (5)–(7), copied by hand."""
    return {
        0: pi - t,
        1: sp.sin(t) + (pi - t) * sp.cos(t),
        2: 3 * sp.sin(t) * sp.cos(t) + (pi - t) * (1 + 2 * sp.cos(t) ** 2),
    }[n]


# --- one unit, one layer -----------------------------------------------------------------------


def test_relu_second_moment_is_half_the_variance() -> None:
    s = sp.Symbol("s", positive=True)
    assert relu_second_moment() == sp.Rational(1, 2)
    assert relu_second_moment(variance=s) == s / 2
    assert relu_second_moment(variance=sp.Rational(2, 3)) == sp.Rational(1, 3)
    with pytest.raises(ValueError, match="variance=0 must be positive"):
        relu_second_moment(variance=0)


def test_expected_layer_norm_by_hand() -> None:
    # x = (1, 2, 2): ‖x‖² = 9; 5 rows of N(0, 1): 5 · 9/2
    assert expected_relu_layer_norm([1, 2, 2], rows=5) == sp.Rational(45, 2)
    assert expected_relu_layer_norm([1, 2, 2], rows=5, variance=sp.Rational(1, 3)) == sp.Rational(
        15, 2
    )
    m = sp.Symbol("m", integer=True, positive=True)
    assert expected_relu_layer_norm([1, 2, 2], rows=m) == 9 * m / 2
    # He's variance for m rows keeps the squared norm
    assert expected_relu_layer_norm([1, 2, 2], rows=m, variance=2 / m) == 9
    a, b = sp.symbols("a b", real=True)
    assert sp.expand(expected_relu_layer_norm([a, b], rows=m, variance=2 / m)) == a**2 + b**2
    assert expected_relu_layer_norm([0, 0], rows=3) == 0


def test_expected_layer_norm_refuses_bad_input() -> None:
    with pytest.raises(ValueError, match="rows=0 is not an integer ≥ 1"):
        expected_relu_layer_norm([1, 2], rows=0)
    with pytest.raises(ValueError, match="variance=-1 must be positive"):
        expected_relu_layer_norm([1, 2], rows=2, variance=-1)
    with pytest.raises(TypeError, match=r"x\[1\]=0.5 is a float"):
        expected_relu_layer_norm([1, 0.5], rows=2)
    with pytest.raises(ValueError, match="x is empty"):
        expected_relu_layer_norm([], rows=2)
    with pytest.raises(ValueError, match="2×2 matrix; give a vector"):
        expected_relu_layer_norm(sp.eye(2), rows=2)


def test_expected_distance_by_hand() -> None:
    # y = -x: one of σ(a), σ(-a) is 0, so (σ(a) - σ(-a))² = a² with E a² = ‖x‖² = 1
    assert expected_relu_layer_distance([1, 0], [-1, 0]) == 1
    # y = 2x: (σ(a) - σ(2a))² = σ(a)², mean 1/2 per row
    assert expected_relu_layer_distance([1, 0], [2, 0], rows=4) == 2
    # orthogonal unit vectors: 1/2 + 1/2 - 2 · 1/(2π)
    assert sp.simplify(expected_relu_layer_distance([1, 0], [0, 1]) - (1 - 1 / pi)) == 0
    # the variance scales it
    assert expected_relu_layer_distance([1, 0], [-1, 0], rows=3, variance=sp.Rational(1, 6)) == (
        sp.Rational(1, 2)
    )


# --- the arc-cosine kernel ----------------------------------------------------------------------


def test_kernel_at_special_angles_by_hand() -> None:
    # θ = 0: E σ(g)² = 1/2; θ = π/2: E σ(g)E σ(h) = (1/√(2π))²; θ = π: never both active
    assert kernel_of_angle(0) == sp.Rational(1, 2)
    assert kernel_of_angle(pi / 2) == 1 / (2 * pi)
    assert kernel_of_angle(pi) == 0
    # degree 0: P(both positive) = 1/2, 1/4 and 0
    assert kernel_of_angle(0, degree=0) == sp.Rational(1, 2)
    assert kernel_of_angle(pi / 2, degree=0) == sp.Rational(1, 4)
    assert kernel_of_angle(pi, degree=0) == 0
    # P(both positive) at 2π/3: the arc of length π - 2π/3 out of 2π
    assert kernel_of_angle(2 * pi / 3, degree=0) == sp.Rational(1, 6)


def test_kernel_of_vectors_by_hand() -> None:
    assert arc_cosine_kernel([1, 1], [2, 2]) == 2  # θ = 0: ‖x‖‖y‖/2 = √2 · 2√2 / 2
    assert arc_cosine_kernel([3, 4], [-4, 3]) == 25 / (2 * pi)  # θ = π/2
    assert arc_cosine_kernel([1, 0], [-1, 0]) == 0  # θ = π
    assert arc_cosine_kernel([3, 4], [-4, 3], degree=0) == sp.Rational(1, 4)
    # θ = π/3 with ‖x‖ = 2, ‖y‖ = 1: 2 (√3/2 + (2π/3)(1/2)) / (2π)
    value = arc_cosine_kernel([2, 0], [sp.Rational(1, 2), sp.sqrt(3) / 2])
    assert sp.simplify(value - (sp.sqrt(3) / 2 + pi / 3) / pi) == 0
    # a zero vector: every unit inactive, the kernel is 0 (its angle is not needed)
    assert arc_cosine_kernel([0, 0], [1, 2]) == 0
    assert arc_cosine_kernel([0, 0], [1, 2], degree=0) == 0


@pytest.mark.parametrize("degree", [0, 1, 2])
def test_kernel_matches_cho_and_saul(degree: int) -> None:
    # E σ_n σ_n = J_n(θ)/(2π): Cho and Saul's k_n (their equation (1)) is twice the expectation
    assert (
        sp.simplify(kernel_of_angle(theta, degree=degree) - cho_saul_j(degree, theta) / (2 * pi))
        == 0
    )


def test_kernel_matches_quadrature_at_random_angles(rng: np.random.Generator) -> None:
    with mpmath.workdps(30):
        for degree in (0, 1, 2, 3):
            for _ in range(3):
                angle = sp.Rational(int(rng.integers(1, 3141)), 1000)  # in (0, π)
                quadrature = quadrature_kernel(mpmath.mpf(angle.p) / angle.q, degree)
                exact = mpmath.mpf(kernel_of_angle(angle, degree=degree).evalf(40))
                assert abs(quadrature - exact) < mpmath.mpf(10) ** -20, (degree, angle)


def test_quadrature_oracle_detects_a_wrong_kernel() -> None:
    # the oracle is sharp: J_1 with (π + θ) instead of (π - θ) is far from it
    with mpmath.workdps(30):
        t = mpmath.mpf(1)
        wrong = (mpmath.sin(t) + (mpmath.pi + t) * mpmath.cos(t)) / (2 * mpmath.pi)
        assert abs(quadrature_kernel(t, 1) - wrong) > 0.1


def test_the_derivation_checks_step_by_step() -> None:
    for degree in (0, 1, 3):
        derivation = arc_cosine_derivation(degree=degree)
        pairs = derivation.equalities()
        assert len(pairs) >= 3
        for left, right, step in pairs:
            assert sp.simplify(left.doit() - right) == 0, step
        text = str(derivation)
        assert "**" not in text
        assert "Piecewise" not in text
        assert not re.search(r"\boo\b", text)
    # the last step is the kernel itself
    last = arc_cosine_derivation(degree=1).steps[-1].rhs
    assert sp.simplify(last - cho_saul_j(1, sp.Symbol("theta", nonnegative=True)) / (2 * pi)) == 0


def test_vector_angle() -> None:
    assert vector_angle([1, 0], [1, 1]) == pi / 4
    assert vector_angle([1, 0], [-3, 0]) == pi
    assert vector_angle([1, 2, 3], [2, 4, 6]) == 0
    assert vector_angle(sp.Matrix([1, 0]), np.array([0, 5])) == pi / 2
    assert vector_angle([1.0, 0.0], [0.5, 0.5], floats=FloatConversion.DECIMAL) == pi / 4
    with pytest.raises(ValueError, match="zero vector, which has no angle"):
        vector_angle([0, 0], [1, 1])
    with pytest.raises(ValueError, match=r"y = .* is the zero vector"):
        vector_angle([1, 1], [0, 0])
    with pytest.raises(ValueError, match="x has 2 entries and y has 3"):
        vector_angle([1, 1], [1, 1, 1])
    with pytest.raises(TypeError, match="is not a vector"):
        vector_angle(3, [1])


def test_degree_and_angle_are_checked() -> None:
    with pytest.raises(
        ValueError,
        match=f"MAX_KERNEL_DEGREE.*{MAX_KERNEL_DEGREE}|{MAX_KERNEL_DEGREE}.*MAX_KERNEL_DEGREE",
    ):
        kernel_of_angle(1, degree=MAX_KERNEL_DEGREE + 1)
    with pytest.raises(TypeError, match="degree=True must be an int"):
        kernel_of_angle(1, degree=True)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"theta=4 is not in \[0, pi\]"):
        kernel_of_angle(4)
    with pytest.raises(ValueError, match=r"theta=-1 is not in"):
        relu_angle_map(-1)


# --- the angle map -----------------------------------------------------------------------------


def test_angle_map_by_hand() -> None:
    # θ = π: cos θ' = (0 + 0 · (-1))/π = 0; θ = π/2: cos θ' = (1 + 0)/π
    assert relu_angle_map(pi) == pi / 2
    assert relu_angle_map(pi / 2) == sp.acos(1 / pi)
    assert relu_angle_map(0) == 0
    # θ = π/3: (√3/2 + (2π/3)(1/2))/π
    assert sp.simplify(relu_angle_cosine(pi / 3) - (sp.sqrt(3) / (2 * pi) + sp.Rational(1, 3))) == 0
    expected = (sp.sin(theta) + (pi - theta) * sp.cos(theta)) / pi
    assert sp.simplify(relu_angle_cosine(theta) - expected) == 0


def test_angle_map_contracts_on_a_grid() -> None:
    # f(θ) < θ and increasing, at 60 points of (0, π], at 30 digits
    values = [sp.N(relu_angle_map(k * pi / 60), 30) for k in range(1, 61)]
    for k, value in enumerate(values, start=1):
        assert 0 < value < sp.N(k * pi / 60, 30)
        assert value <= sp.N(pi / 2, 30)
    assert all(a < b for a, b in itertools.pairwise(values))


def test_angle_map_series_by_hand() -> None:
    # cos θ' = 1 - θ²/2 + θ³/(3π) + ..., and cos(θ - aθ²) = 1 - θ²/2 + aθ³ + ...: a = 1/(3π)
    series = angle_map_series(theta, order=3)
    assert series.removeO() == theta - theta**2 / (3 * pi)
    assert series.getO() == sp.Order(theta**3, theta)
    four = angle_map_series(theta)
    assert (
        sp.simplify(four.removeO() - (theta - theta**2 / (3 * pi) - theta**3 / (18 * pi**2))) == 0
    )


@pytest.mark.parametrize("order", [4, 6, 9])
def test_angle_map_series_against_the_map_itself(order: int) -> None:
    # against f itself at 120 digits: the truncated series differs from f by O(θ^order), and
    # (f - the series without its last term)/θ^(order-1) tends to the last coefficient
    truncated = angle_map_series(theta, order=order).removeO()
    last = truncated.coeff(theta, order - 1)
    series = sp.lambdify(theta, truncated, "mpmath")
    with mpmath.workdps(120):
        coefficient = mpmath.mpf(last.evalf(30))
        assert coefficient != 0
        for h in (mpmath.mpf("1e-6"), mpmath.mpf("1e-8")):
            exact = mpmath.acos((mpmath.sin(h) + (mpmath.pi - h) * mpmath.cos(h)) / mpmath.pi)
            assert abs(exact - series(h)) / h**order < 1
            leading = (exact - series(h) + coefficient * h ** (order - 1)) / h ** (order - 1)
            assert abs(leading / coefficient - 1) < 1e-4


def test_angle_map_series_refuses_bad_input() -> None:
    with pytest.raises(TypeError, match="must be a SymPy Symbol"):
        angle_map_series(theta**2)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="MAX_SERIES_ORDER"):
        angle_map_series(theta, order=100)
    with pytest.raises(ValueError, match="order=1 must be at least 2"):
        angle_map_series(theta, order=1)


def test_iterated_angles_by_hand() -> None:
    angles = iterate_angle_map(pi, layers=2, digits=30)
    with mpmath.workdps(40):
        expected = [mpmath.pi, mpmath.pi / 2, mpmath.acos(1 / mpmath.pi)]
        for value, oracle in zip(angles, expected, strict=True):
            assert abs(value - oracle) < mpmath.mpf(10) ** -28
    assert iterate_angle_map(0, layers=5) == (0,) * 6
    assert len(iterate_angle_map(pi / 3, layers=0)) == 1


def test_iterated_angles_shrink_like_3_pi_over_l() -> None:
    # θ_{l+1} = θ_l - θ_l²/(3π) - θ_l³/(18π²) + ... gives 1/θ_L = L/(3π) + (1/2π) log L + O(1),
    # so L θ_L/(3π) = 1 - (3/2) log L / L + o(log L / L)
    layers = 4000
    angles = iterate_angle_map(pi / 2, layers=layers, digits=25)
    assert all(b < a for a, b in itertools.pairwise(angles))
    ratio = float(layers * angles[-1] / (3 * mpmath.pi))
    assert 1 - 3 * math.log(layers) / layers < ratio < 1


def test_iterated_angles_keep_their_digits_at_small_angles() -> None:
    # 30 digits asked, compared with 60: the guard digits cover the arccos near 1
    low = iterate_angle_map(sp.Rational(1, 1000), layers=300, digits=30)
    high = iterate_angle_map(sp.Rational(1, 1000), layers=300, digits=60)
    with mpmath.workdps(60):
        assert abs(low[-1] - high[-1]) / high[-1] < mpmath.mpf(10) ** -28


def test_iterate_refuses_bad_input() -> None:
    with pytest.raises(ValueError, match="MAX_ANGLE_LAYERS"):
        iterate_angle_map(1, layers=MAX_ANGLE_LAYERS + 1)
    with pytest.raises(ValueError, match="has symbols"):
        iterate_angle_map(theta, layers=3)
    with pytest.raises(ValueError, match=r"theta=4 is not in \[0, pi\]"):
        iterate_angle_map(4, layers=3)
    with pytest.raises(TypeError, match=r"theta=1\.0 is a float"):
        iterate_angle_map(1.0, layers=3)
    with pytest.raises(ValueError, match="digits=0 must be at least 1"):
        iterate_angle_map(1, layers=3, digits=0)


# --- Monte Carlo -------------------------------------------------------------------------------


def test_simulated_layer_norm(rng: np.random.Generator) -> None:
    x = [1, -2, 2]  # ‖x‖² = 9
    estimate = simulate_relu_layer_norm(x, rows=6, samples=20_000, seed=rng)
    assert estimate.agrees_with(sp.Rational(6 * 9, 2))
    he = simulate_relu_layer_norm(x, rows=6, variance=sp.Rational(1, 3), samples=20_000, seed=1)
    assert he.agrees_with(9)  # variance 2/m keeps ‖x‖²
    assert not he.agrees_with(9 / 2)  # the variance 1/m halves it: far outside
    assert he.samples == 20_000


def test_simulated_kernel_at_random_angles(rng: np.random.Generator) -> None:
    for degree in (0, 1, 2):
        phi = float(rng.uniform(0.1, 3.0))
        x, y = [2.0, 0.0, 0.0], [math.cos(phi), math.sin(phi), 0.0]
        estimate = simulate_arc_cosine_kernel(x, y, degree=degree, samples=50_000, seed=rng)
        exact = 2**degree * cho_saul_j(degree, sp.Float(phi, 20)) / (2 * pi)
        assert estimate.agrees_with(exact), (degree, phi, estimate)


def test_simulated_kernel_rejects_the_wrong_sign() -> None:
    x, y = [1, 0], [1, 1]  # θ = π/4
    estimate = simulate_arc_cosine_kernel(x, y, samples=50_000, seed=3)
    assert estimate.agrees_with(arc_cosine_kernel(x, y))
    t = pi / 4
    wrong = sp.sqrt(2) * (sp.sin(t) + (pi + t) * sp.cos(t)) / (2 * pi)
    assert not estimate.agrees_with(wrong)


def test_simulations_are_reproducible() -> None:
    first = simulate_arc_cosine_kernel([1, 0], [1, 1], samples=1000, seed=5)
    again = simulate_arc_cosine_kernel([1, 0], [1, 1], samples=1000, seed=5)
    other = simulate_arc_cosine_kernel([1, 0], [1, 1], samples=1000, seed=6)
    assert first == again
    assert first != other


def test_blocks_give_the_mean_and_standard_error_of_all_samples() -> None:
    # more samples than one block of draws: the combined mean and standard error equal
    # NumPy's on the same draws (the generator's stream does not depend on the block sizes)
    samples, d = 300_000, 4
    estimate = simulate_arc_cosine_kernel([1, 0, 0, 0], [1, 1, 0, 0], samples=samples, seed=11)
    w = np.random.default_rng(11).standard_normal((samples, d))
    values = np.maximum(w[:, 0], 0) * np.maximum(w[:, 0] + w[:, 1], 0)
    assert estimate.mean == pytest.approx(values.mean(), rel=1e-12)
    assert estimate.standard_error == pytest.approx(
        values.std(ddof=1) / math.sqrt(samples), rel=1e-9
    )


def test_a_large_layer_is_drawn_a_block_of_rows_at_a_time() -> None:
    # 300 000 rows of 4 entries: more than one block per matrix; the sum over the blocks is
    # the sum over the whole matrix drawn at once from the same stream
    rows, x = 300_000, np.array([1.0, -1.0, 2.0, 0.5])
    estimate = simulate_relu_layer_norm(x, rows=rows, variance=0.5, samples=3, seed=4)
    rng = np.random.default_rng(4)
    values = [
        float((np.maximum(rng.standard_normal((rows, 4)) @ x * math.sqrt(0.5), 0) ** 2).sum())
        for _ in range(3)
    ]
    assert estimate.mean == pytest.approx(np.mean(values), rel=1e-12)
    assert estimate.agrees_with(rows * 0.5 * float(x @ x) / 2)


def test_simulations_refuse_bad_input() -> None:
    with pytest.raises(ValueError, match=f"more than {MAX_GAUSSIAN_DRAWS} \\(MAX_GAUSSIAN_DRAWS"):
        simulate_arc_cosine_kernel([1, 0], [0, 1], samples=MAX_GAUSSIAN_DRAWS, seed=0)
    with pytest.raises(ValueError, match="MAX_GAUSSIAN_DRAWS"):
        simulate_relu_layer_norm([1, 0], rows=10**5, samples=10**5, seed=0)
    with pytest.raises(ValueError, match="samples=1 must be at least 2"):
        simulate_arc_cosine_kernel([1, 0], [0, 1], samples=1, seed=0)
    with pytest.raises(TypeError, match="seed=None must be an int"):
        simulate_arc_cosine_kernel([1, 0], [0, 1], samples=10, seed=None)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"variance=0\.0 must be a positive"):
        simulate_relu_layer_norm([1, 0], rows=2, variance=0.0, samples=10, seed=0)
    with pytest.raises(ValueError, match="not finite"):
        simulate_relu_layer_norm([1, float("nan")], rows=2, samples=10, seed=0)
    with pytest.raises(TypeError, match="has symbols"):
        simulate_relu_layer_norm([1, theta], rows=2, samples=10, seed=0)


def test_monte_carlo_estimate() -> None:
    estimate = MonteCarloEstimate(0.5, 0.01, 100)
    assert estimate.agrees_with(0.539)
    assert not estimate.agrees_with(0.541)
    assert estimate.agrees_with(0.519, standard_errors=2)
    assert not estimate.agrees_with(0.53, standard_errors=2)
    assert str(estimate) == "0.5 ± 0.01 (standard error, 100 samples)"
    with pytest.raises(ValueError, match="standard_errors=0"):
        estimate.agrees_with(0.5, standard_errors=0)


def test_network_angles_follow_the_iterated_map() -> None:
    run = simulate_network_angles([1, 0, 0], [-1, 1, 0], width=600, layers=5, networks=6, seed=9)
    assert isinstance(run, AngleSimulation)
    assert run.predicted[0] == pytest.approx(3 * math.pi / 4)
    assert run.predicted[1] == pytest.approx(
        math.acos((math.sin(3 * math.pi / 4) + (math.pi / 4) * math.cos(3 * math.pi / 4)) / math.pi)
    )
    assert run.agrees()
    for layer in range(1, 6):
        assert abs(run.mean_angles[layer] - run.predicted[layer]) <= 4 * run.standard_errors[layer]
    # a layer that kept the angle (no contraction) is ruled out by the simulation
    assert abs(run.mean_angles[5] - run.predicted[0]) > 4 * run.standard_errors[5]


def test_network_simulation_refuses_bad_input() -> None:
    with pytest.raises(ValueError, match="x is the zero vector"):
        simulate_network_angles([0, 0], [1, 0], width=10, layers=2, networks=2, seed=0)
    with pytest.raises(ValueError, match="MAX_GAUSSIAN_DRAWS"):
        simulate_network_angles([1, 0], [0, 1], width=10**5, layers=3, networks=2, seed=0)
    with pytest.raises(ValueError, match="networks=1 must be at least 2"):
        simulate_network_angles([1, 0], [0, 1], width=10, layers=2, networks=1, seed=0)
    # width 1: a hidden vector is zero with probability about 1/2 per layer
    with pytest.raises(ValueError, match="every unit of a hidden vector is inactive"):
        simulate_network_angles([1, 0], [0, 1], width=1, layers=3, networks=20, seed=0)
