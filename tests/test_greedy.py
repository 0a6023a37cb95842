"""The relaxed greedy construction and Barron's bound measured on the ball."""

from __future__ import annotations

import math

import numpy as np
import pytest
import sympy as sp

from symdl.approximation.greedy import ball_quadrature, greedy_approximation, plot_greedy
from symdl.core.exceptions import NotSupportedError

x = sp.Symbol("x", real=True)
x1, x2 = sp.symbols("x1 x2", real=True)
GAUSSIAN_1D = sp.exp(-(x**2) / 2)
GAUSSIAN_2D = sp.exp(-(x1**2 + x2**2) / 2)


@pytest.mark.parametrize("dim", [1, 2])
def test_ball_quadrature_is_a_probability_measure_with_the_right_moments(dim: int) -> None:
    q = ball_quadrature(1.5, dim, order=12)
    assert np.all(q.weights > 0)
    assert math.isclose(q.weights.sum(), 1.0, rel_tol=1e-14)
    assert np.all(np.linalg.norm(q.nodes, axis=1) <= 1.5)
    # uniform on the ball of radius r in R^d: E|x|² = d r²/(d + 2), E|x|⁴ = d r⁴/(d + 4)
    sq = (q.nodes**2).sum(axis=1)
    assert math.isclose(q.integrate(sq), dim * 1.5**2 / (dim + 2), rel_tol=1e-13)
    assert math.isclose(q.integrate(sq**2), dim * 1.5**4 / (dim + 4), rel_tol=1e-13)


def test_ball_quadrature_validation() -> None:
    with pytest.raises(ValueError, match="radius"):
        ball_quadrature(0.0, 1, order=4)
    with pytest.raises(ValueError, match="order"):
        ball_quadrature(1.0, 1, order=0)
    with pytest.raises(NotSupportedError):
        ball_quadrature(1.0, 3, order=4)


def test_greedy_in_one_dimension_meets_the_bound() -> None:
    c = math.sqrt(2 / math.pi)
    run = greedy_approximation(GAUSSIAN_1D, x, radius=3.0, neurons=8, constant=c)
    assert run.below_bound
    assert np.allclose(run.bounds, (2 * 3.0 * c) ** 2 / np.arange(1, 9))
    assert run.errors[-1] < run.errors[0] / 5
    assert run.network.neurons == 8
    # recompute the error of the returned network independently, by Monte Carlo on the ball
    rng = np.random.default_rng(7)
    samples = rng.uniform(-3.0, 3.0, size=(200_000, 1))
    residual = np.exp(-(samples[:, 0] ** 2) / 2) - run.network(samples)
    estimate, stderr = np.mean(residual**2), np.std(residual**2) / math.sqrt(samples.shape[0])
    assert abs(estimate - run.errors[-1]) < 5 * stderr + 1e-12


def test_an_exact_constant_is_accepted() -> None:
    exact = greedy_approximation(GAUSSIAN_1D, x, radius=1.0, neurons=2, constant=sp.sqrt(2 / sp.pi))
    assert exact.constant == math.sqrt(2 / math.pi)
    with pytest.raises(TypeError, match="not a number"):
        greedy_approximation(GAUSSIAN_1D, x, radius=1.0, neurons=2, constant=sp.Symbol("C"))


def test_greedy_in_two_dimensions_meets_the_bound() -> None:
    run = greedy_approximation(
        GAUSSIAN_2D, [x1, x2], radius=2.0, neurons=4, constant=math.sqrt(math.pi / 2)
    )
    assert run.below_bound
    assert np.all(np.diff(run.training_errors) <= 1e-15)  # re-optimised steps never get worse


def test_the_bound_check_can_fail() -> None:
    # with a constant far too small the bound is violated: below_bound must say so
    run = greedy_approximation(GAUSSIAN_1D, x, radius=3.0, neurons=2, constant=0.01)
    assert not run.below_bound


def test_greedy_validation() -> None:
    with pytest.raises(ValueError, match="neurons"):
        greedy_approximation(GAUSSIAN_1D, x, radius=1.0, neurons=0, constant=1.0)
    with pytest.raises(ValueError, match="not finite"):
        greedy_approximation(sp.exp(-sp.Abs(x)), x, radius=1.0, neurons=2)
    with pytest.raises(ValueError, match="radius"):
        greedy_approximation(GAUSSIAN_1D, x, radius=-1.0, neurons=2, constant=1.0)
    with pytest.raises(ValueError, match="finite"):
        greedy_approximation(GAUSSIAN_1D, x, radius=math.inf, neurons=2, constant=1.0)
    with pytest.raises(TypeError, match="not a number"):
        greedy_approximation(GAUSSIAN_1D, x, radius="1", neurons=2, constant=1.0)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="negative"):
        greedy_approximation(GAUSSIAN_1D, x, radius=1.0, neurons=2, constant=-1.0)
    y = sp.Symbol("y", real=True)
    with pytest.raises(ValueError, match="depends on y"):
        greedy_approximation(GAUSSIAN_1D + y, x, radius=1.0, neurons=2, constant=1.0)
    with pytest.raises(TypeError, match="not a SymPy expression"):
        greedy_approximation("exp(-x**2)", x, radius=1.0, neurons=2, constant=1.0)  # type: ignore[arg-type]


def test_plot_greedy_draws_the_errors_and_the_bound() -> None:
    run = greedy_approximation(GAUSSIAN_1D, x, radius=1.0, neurons=3, constant=0.8)
    figure = plot_greedy(run)
    lines = figure.axes[0].get_lines()
    assert len(lines) == 2
    assert np.allclose(lines[0].get_ydata(), run.bounds)


@pytest.mark.parametrize("dim", [1, 2])
def test_full_sweep_to_64_neurons(dim: int) -> None:
    f, variables = (GAUSSIAN_1D, [x]) if dim == 1 else (GAUSSIAN_2D, [x1, x2])
    run = greedy_approximation(f, variables, radius=3.0, neurons=64)
    assert run.below_bound  # every n = 1, …, 64
    # C_f computed by symdl, the bound against the known values √(2/π), √(π/2)
    oracle = math.sqrt(2 / math.pi) if dim == 1 else math.sqrt(math.pi / 2)
    assert np.allclose(run.bounds, (2 * 3.0 * oracle) ** 2 / np.arange(1, 65), rtol=1e-14)
    assert run.errors.size == 64
    assert run.errors[-1] < run.errors[0] / 10


def test_greedy_network_as_a_symdl_network_agrees_with_the_numeric_evaluator() -> None:
    from symdl.core import numeric

    run = greedy_approximation(
        sp.exp(-(x1**2 + x2**2) / 2),
        [x1, x2],
        radius=1.0,
        neurons=3,
        constant=math.sqrt(math.pi / 2),
    )
    net = run.network.to_network()
    points = np.array([[0.1, -0.3], [0.5, 0.2], [-0.7, 0.0]])
    assert np.allclose(numeric.forward(net, points)[:, 0], run.network(points), atol=1e-13)
    exact = net.forward([sp.Rational(1, 10), sp.Rational(-3, 10)])[0, 0]
    assert abs(float(exact) - run.network(points[:1])[0]) < 1e-13
