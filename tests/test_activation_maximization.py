"""Activation maximization: the closed form for one unit and the exact ascent on a network.

Oracles: maximisers worked out by hand (Cauchy–Schwarz), dense sampling of the sphere in
floating point, a forward pass written here in NumPy, and the Euclidean projection computed
with mpmath.
"""

from __future__ import annotations

import mpmath
import numpy as np
import pytest
import sympy as sp

from symdl.core.activations import Activation, PiecewiseLinearForm
from symdl.core.exceptions import NotSupportedError
from symdl.core.network import Network
from symdl.optimization.activation_maximization import (
    MAX_ASCENT_STEPS,
    AscentRun,
    activation_ascent,
    activation_ascent_figure,
    maximizing_input,
)

R = sp.Rational

# ReLU(2x₁ - x₂) + 3/2 ReLU(2x₂ - x₁) - 2 ReLU(x₁ + x₂ - 1/2)
W1 = np.array([[2.0, -1.0], [-1.0, 2.0], [1.0, 1.0]])
B1 = np.array([0.0, 0.0, -0.5])
W2 = np.array([1.0, 1.5, -2.0])
NETWORK = Network.mlp(
    [2, 3, 1],
    ["relu", "identity"],
    weights=[W1.astype(int).tolist(), [[1, R(3, 2), -2]]],
    biases=[[0, 0, R(-1, 2)], [0]],
)


def unit(points: np.ndarray) -> np.ndarray:
    """The network's output at points of shape (n, 2), written independently."""
    return np.maximum(points @ W1.T + B1, 0.0) @ W2


def circle(n: int = 200_001) -> np.ndarray:
    angle = np.linspace(0.0, 2 * np.pi, n)
    return np.column_stack([np.cos(angle), np.sin(angle)])


def _negation() -> Activation:
    return Activation(
        "negation", "-", lambda z: -z, lambda z: sp.S.NegativeOne,
        lambda x: -x, lambda x: -np.ones_like(x),
        linear_pieces=PiecewiseLinearForm((), (-1,)),
    )  # fmt: skip


def _tent() -> Activation:
    return Activation(
        "tent", "t", lambda z: -sp.Abs(z), lambda z: -sp.sign(z),
        lambda x: -np.abs(x), lambda x: -np.sign(x),
        linear_pieces=PiecewiseLinearForm((0,), (1, -1)),
    )  # fmt: skip


# --- the closed form --------------------------------------------------------------------------


def test_the_closed_form_by_hand() -> None:
    # |(3, 4)| = 5: x* = 2 (3, 4)/5, w·x* + b = 10 - 1 = 9
    best = maximizing_input([3, 4], radius=2, bias=-1, activation="relu")
    assert best.maximizer == sp.Matrix([R(6, 5), R(8, 5)])
    assert best.pre_activation == 9
    assert best.maximum == 9
    assert best.unique
    # |(1, 1)| = √2: x* = (1, 1)/√2
    linear = maximizing_input([1, 1], radius=1)
    assert linear.maximizer == sp.Matrix([1, 1]) / sp.sqrt(2)
    assert linear.maximum == sp.sqrt(2)
    # |(1, 2, 2)| = 3
    tanh = maximizing_input([1, 2, 2], radius=3, bias=R(1, 2), activation="tanh")
    assert tanh.maximizer == sp.Matrix([1, 2, 2])
    assert tanh.maximum == sp.tanh(R(19, 2))
    assert tanh.unique


def test_a_decreasing_unit_points_against_w() -> None:
    best = maximizing_input([3, 4], radius=2, bias=1, activation=_negation())
    assert best.maximizer == sp.Matrix([R(-6, 5), R(-8, 5)])
    assert best.pre_activation == -9  # -10 + 1
    assert best.maximum == 9
    assert best.unique


def test_uniqueness_of_a_relu_unit() -> None:
    assert not maximizing_input([3, 4], radius=2, bias=-10, activation="relu").unique  # 10-10=0
    assert not maximizing_input([3, 4], radius=2, bias=-11, activation="relu").unique
    assert maximizing_input([3, 4], radius=2, bias=R(-19, 2), activation="relu").unique
    assert not maximizing_input([1], radius=1, activation="step").unique
    assert maximizing_input([1], radius=1, activation="leaky_relu").unique


@pytest.mark.parametrize(
    ("weights", "bias", "activation"),
    [([3, -1], R(1, 3), "sigmoid"), ([-2, 5], -4, "relu"), ([1, 1], 0, "softplus")],
)
def test_no_point_of_the_ball_beats_the_closed_form(
    weights: list[int], bias: sp.Rational, activation: str
) -> None:
    best = maximizing_input(weights, radius=R(3, 2), bias=bias, activation=activation)
    rng = np.random.default_rng(3)
    points = rng.normal(size=(20_000, 2))
    points *= (
        1.5 * rng.uniform(0, 1, size=(20_000, 1)) ** 0.5 / np.linalg.norm(points, axis=1)[:, None]
    )
    points = np.vstack([points, 1.5 * circle(20_001)])
    z = points @ np.array(weights, dtype=float) + float(bias)
    forms = {
        "sigmoid": lambda t: 1 / (1 + np.exp(-t)),
        "relu": lambda t: np.maximum(t, 0),
        "softplus": lambda t: np.log1p(np.exp(t)),
    }
    sampled = forms[activation](z).max()
    maximum = float(best.maximum)
    assert sampled <= maximum + 1e-12
    assert sampled >= maximum - 1e-6
    at = np.array([float(v) for v in best.maximizer])
    assert np.linalg.norm(at) == pytest.approx(1.5)
    assert forms[activation](at @ np.array(weights, dtype=float) + float(bias)) == pytest.approx(
        maximum
    )


def test_the_closed_form_refuses_what_it_cannot_do() -> None:
    with pytest.raises(ValueError, match="weights = 0"):
        maximizing_input([0, 0], radius=1)
    with pytest.raises(ValueError, match="radius=0 must be positive"):
        maximizing_input([1, 0], radius=0)
    with pytest.raises(ValueError, match="not monotone"):
        maximizing_input([1, 0], radius=1, activation=_tent())
    with pytest.raises(TypeError, match="a vector"):
        maximizing_input("1 2", radius=1)
    with pytest.raises(ValueError, match="MAX_ASCENT_INPUTS"):
        maximizing_input([1] * 65, radius=1)
    with pytest.raises(TypeError, match="float"):
        maximizing_input([0.5, 1], radius=1)


# --- the exact ascent -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def runs() -> tuple[AscentRun, AscentRun]:
    first = activation_ascent(NETWORK, [R(1, 2), R(-1, 3)], radius=1, step=R(1, 4))
    second = activation_ascent(NETWORK, [R(-1, 2), R(1, 5)], radius=1, step=R(1, 4))
    return first, second


def test_the_ascent_finds_both_local_maxima_of_the_network(runs: tuple[AscentRun, ...]) -> None:
    first, second = runs
    # by hand: near (2, -1)/√5 only the first unit is active, g = 2x₁ - x₂, max √5;
    # near (-1, 2)/√5 only the second, g = 3/2 (2x₂ - x₁), max 3/2 √5
    assert first.certified
    assert second.certified
    assert first.maximizer == sp.Matrix([2, -1]) / sp.sqrt(5)
    assert first.maximum == sp.sqrt(5)
    assert second.maximizer == sp.Matrix([-1, 2]) / sp.sqrt(5)
    assert second.maximum == 3 * sp.sqrt(5) / 2
    # the global maximum over the disk, by dense sampling of its boundary (the unit is
    # piecewise linear and the maximum of a linear piece over a disk lies on its boundary)
    assert unit(circle()).max() == pytest.approx(3 * np.sqrt(5) / 2, abs=1e-8)


def test_every_iterate_is_an_exact_point_of_the_ball(runs: tuple[AscentRun, ...]) -> None:
    for run in runs:
        assert len(run.path) == len(run.values) >= 2
        for point, value in zip(run.path, run.values, strict=True):
            assert all(isinstance(v, sp.Rational) for v in point)
            assert sum(v**2 for v in point) <= 1
            assert float(value) == pytest.approx(unit(np.array([[float(v) for v in point]]))[0])
        assert run.values[-1] > run.values[0]
        distance = (run.path[-1] - run.maximizer).norm()
        assert float(distance) < 1e-5


def test_each_projection_is_within_the_tolerance_of_the_euclidean_one(
    runs: tuple[AscentRun, ...],
) -> None:
    checked = 0
    for run in runs:
        for before, after in zip(run.path, run.path[1:], strict=False):
            if sum(v**2 for v in after) != 1:
                continue
            checked += 1
            # the gradient at `before`, by central differences (exact on a linear piece)
            x0 = np.array([float(v) for v in before])
            h = 1e-7
            grad = np.array([(unit(np.array([x0 + h * e])) - unit(np.array([x0 - h * e])))[0]
                             for e in np.eye(2)]) / (2 * h)  # fmt: skip
            with mpmath.workdps(40):
                y = [
                    mpmath.mpf(float(v)) + mpmath.mpf(1) / 4 * g
                    for v, g in zip(x0, grad, strict=True)
                ]
                norm = mpmath.sqrt(sum(v**2 for v in y))
                exact = [v / norm for v in y]
                gap = mpmath.sqrt(
                    sum((mpmath.mpf(float(a)) - b) ** 2 for a, b in zip(after, exact, strict=True))
                )
            assert gap <= 1e-6 / 8 + 1e-12
    assert checked >= 10


def test_one_unit_three_inputs_and_a_start_outside_the_ball() -> None:
    # ReLU(x₁ + 2x₂ + 2x₃ + 1/2) on the ball of radius 3/2: x* = (1/2, 1, 1), value 5
    net = Network.mlp([3, 1], "relu", weights=[[[1, 2, 2]]], biases=[[R(1, 2)]])
    run = activation_ascent(net, [5, 0, 0], radius=R(3, 2), step=R(1, 5))
    assert sum(v**2 for v in run.path[0]) == R(9, 4)  # projected onto the sphere at once
    assert run.certified
    assert run.maximizer == sp.Matrix([R(1, 2), 1, 1])
    assert run.maximum == 5


def test_one_input() -> None:
    # ReLU(-2x + 1) on [-3, 3]: the best input is -3, value 7
    net = Network.mlp([1, 1], "relu", weights=[[[-2]]], biases=[[1]])
    run = activation_ascent(net, [0], radius=3, step=1)
    assert run.path[-1] == sp.Matrix([-3])
    assert run.maximizer == sp.Matrix([-3])
    assert run.maximum == 7
    assert run.certified


def test_a_maximum_on_a_kink_is_not_certified() -> None:
    # g = (x₁ + x₂ + 10) - 10 - |x₁ - x₂| = 2 min(x₁, x₂): its maximum on the unit disk is at
    # (1, 1)/√2, on the kink; no linear piece's own maximiser lies inside its region
    net = Network.mlp(
        [2, 3, 1],
        ["relu", "identity"],
        weights=[[[1, -1], [-1, 1], [1, 1]], [[-1, -1, 1]]],
        biases=[[0, 0, 10], [-10]],
    )
    run = activation_ascent(net, [R(1, 2), 0], radius=1, step=R(1, 10), steps=40)
    assert not run.certified
    assert run.maximizer is not None
    assert run.maximum == 2  # the candidate of a piece 2x₁ or 2x₂, outside its region
    assert all(v <= np.sqrt(2) for v in map(float, run.values))


def test_a_dead_unit_stops_at_once() -> None:
    net = Network.mlp([2, 1], "relu", weights=[[[1, 0]]], biases=[[-5]])
    run = activation_ascent(net, [0, 0], radius=1, step=1)
    assert run.path == (sp.Matrix([0, 0]),)
    assert run.values == (0,)
    assert run.maximizer is None
    assert not run.certified


def test_the_ascent_refuses_what_it_cannot_do() -> None:
    smooth = Network.mlp([2, 1], "sigmoid", weights=[[[1, 0]]], biases=[[0]])
    with pytest.raises(NotSupportedError, match="not piecewise linear"):
        activation_ascent(smooth, [0, 0], radius=1, step=1)
    with pytest.raises(ValueError, match="free parameters"):
        activation_ascent(Network.mlp([2, 1], "relu"), [0, 0], radius=1, step=1)
    with pytest.raises(ValueError, match="layers 1 to 2"):
        activation_ascent(NETWORK, [0, 0], radius=1, step=1, layer=3)
    with pytest.raises(ValueError, match="neurons 1 to 3"):
        activation_ascent(NETWORK, [0, 0], radius=1, step=1, layer=1, neuron=4)
    with pytest.raises(ValueError, match="MAX_ASCENT_STEPS"):
        activation_ascent(NETWORK, [0, 0], radius=1, step=1, steps=MAX_ASCENT_STEPS + 1)
    with pytest.raises(ValueError, match="takes 2"):
        activation_ascent(NETWORK, [0, 0, 0], radius=1, step=1)
    with pytest.raises(TypeError, match="float"):
        activation_ascent(NETWORK, [0.5, 0], radius=1, step=1)
    with pytest.raises(ValueError, match="must be rational"):
        activation_ascent(NETWORK, [sp.sqrt(2) / 4, 0], radius=1, step=1)
    with pytest.raises(ValueError, match="step=0 must be positive"):
        activation_ascent(NETWORK, [0, 0], radius=1, step=0)
    with pytest.raises(TypeError, match="not a Network"):
        activation_ascent("net", [0, 0], radius=1, step=1)  # type: ignore[arg-type]


def test_a_hidden_unit_can_be_maximized() -> None:
    # unit 3 of layer 1 is ReLU(x₁ + x₂ - 1/2): its maximiser on the unit disk is (1, 1)/√2
    run = activation_ascent(NETWORK, [R(1, 2), R(1, 2)], radius=1, step=R(1, 2), layer=1, neuron=3)
    assert run.maximizer == sp.Matrix([1, 1]) / sp.sqrt(2)
    assert run.maximum == sp.sqrt(2) - R(1, 2)
    assert run.certified


def test_the_figure_draws_the_disk_the_paths_and_the_maxima(runs: tuple[AscentRun, ...]) -> None:
    figure = activation_ascent_figure(list(runs), resolution=31)
    axes = figure.axes[0]
    # the circle, then a path and a star per run
    assert len(axes.lines) == 5
    radius = np.hypot(*axes.lines[0].get_data())
    assert np.allclose(radius, 1.0)
    star = axes.lines[2].get_data()
    assert (float(star[0][0]), float(star[1][0])) == pytest.approx(
        (2 / np.sqrt(5), -1 / np.sqrt(5))
    )
    assert "3 \\sqrt{5} / 2" in axes.lines[4].get_label()
    net = Network.mlp([3, 1], "relu", weights=[[[1, 2, 2]]], biases=[[0]])
    three = activation_ascent(net, [1, 0, 0], radius=1, step=1)
    with pytest.raises(ValueError, match="2 inputs"):
        activation_ascent_figure(three)
    other = activation_ascent(NETWORK, [R(1, 2), R(1, 2)], radius=1, step=1, layer=1)
    with pytest.raises(ValueError, match="different units"):
        activation_ascent_figure([runs[0], other])
    with pytest.raises(TypeError, match="AscentRun"):
        activation_ascent_figure([])
    with pytest.raises(ValueError, match="resolution"):
        activation_ascent_figure(runs[0], resolution=2)
