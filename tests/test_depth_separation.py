"""Theorem 1.1's experiment on real shallow networks, and the float64 collapse."""

from __future__ import annotations

import io
from fractions import Fraction

import numpy as np
import pytest

from symdl.core import numeric
from symdl.depth.depth_separation import (
    first_float_failure,
    float_collapse,
    measure,
    plot_depth_separation,
    random_shallow_network,
    shallow_experiment,
    train_shallow_network,
)
from symdl.depth.piecewise import PiecewiseLinear
from symdl.depth.telgarsky import alternating_points, classification_error


@pytest.mark.parametrize(("k", "layers"), [(8, 1), (10, 2), (11, 3)])
def test_random_shallow_networks_respect_the_bounds(
    k: int, layers: int, rng: np.random.Generator
) -> None:
    for result in shallow_experiment(k, layers, rng=rng, random_trials=3, trained_trials=0):
        assert result.pieces <= result.piece_bound
        assert result.error >= result.error_bound
        assert result.error >= Fraction(1, 6)
        assert result.respects_bounds


def test_trained_network_respects_the_bounds_and_learns_something(
    rng: np.random.Generator,
) -> None:
    net = train_shallow_network(7, 1, rng=rng, steps=1500)
    result = measure(net, 7, 1, 8, "trained")
    assert result.respects_bounds
    # the exact error agrees with the float network's error on the points
    points, labels = alternating_points(7)
    predicted = numeric.forward(net, points.to_float()[:, None])[:, 0] >= 0.5
    assert Fraction(int(np.count_nonzero(predicted != labels.astype(bool))), 128) == result.error


def test_training_lowers_the_squared_error_on_the_points() -> None:
    """Gradient descent works: same seed, same start, smaller mean squared error after."""
    points, labels = alternating_points(6)
    X, Y = points.to_float()[:, None], labels.astype(float)

    def mse(steps: int) -> float:
        net = train_shallow_network(6, 1, rng=np.random.default_rng(11), steps=steps)
        return float(np.mean((numeric.forward(net, X)[:, 0] - Y) ** 2))

    untrained, trained = mse(0), mse(400)
    # a width-4 network cannot follow 64 alternating labels: it ends near the constant 1/2
    # (error 1/4), far below where it starts
    assert trained < 0.5 * untrained


def test_a_function_with_many_pieces_can_beat_the_bound() -> None:
    # the bound is about few pieces: the exact sawtooth has 2^k pieces and error 0
    from symdl.depth.telgarsky import error_lower_bound, sawtooth

    f = sawtooth(6)
    assert classification_error(f, 6) == 0 < error_lower_bound(2, 64)


def test_random_network_weights_are_exact() -> None:
    net = random_shallow_network(8, 1, rng=np.random.default_rng(3))
    assert net.is_exact
    f = PiecewiseLinear.from_network(net)
    assert f.num_pieces() <= 2 * 16


def test_float64_collapses_at_54_while_exact_does_not() -> None:
    results = {p.k: p for p in float_collapse([30, 52, 53, 54, 58, 64], samples=120)}
    assert all(p.exact_wrong == 0 for p in results.values())
    assert results[30].float_wrong == results[52].float_wrong == results[53].float_wrong == 0
    assert results[54].float_wrong > 0
    assert results[64].float_wrong > 30  # about half of the points


def test_first_float_failure_is_where_the_mantissa_ends() -> None:
    # Independent derivation: x = i/2^k with i odd needs k significant bits, and 1 - x (the
    # tent map's second branch) then needs k bits too; float64 carries 53, so every m^k(x)
    # is exact for k <= 53 and the first rounding (hence the first wrong value) is at k = 54.
    assert first_float_failure(k_max=70, samples=16) == 54
    assert first_float_failure(k_max=53, samples=16) is None


def test_too_few_points_for_any_width() -> None:
    with pytest.raises(ValueError, match="no width"):
        shallow_experiment(4, 2, rng=np.random.default_rng(0))


def test_depth_separation_figure() -> None:
    shallow = PiecewiseLinear.affine(0, Fraction(1, 2))
    figure = plot_depth_separation(4, shallow)
    assert len(figure.axes[0].lines) == 3  # m^4, the shallow fit, the threshold 1/2
    assert "error 1/2" in figure.axes[0].get_legend_handles_labels()[1][2]
    figure.savefig(io.BytesIO(), format="png")


def test_default_figure_trains_within_the_width_limit() -> None:
    figure = plot_depth_separation(5)
    label = figure.axes[0].get_legend_handles_labels()[1][2]
    error = Fraction(label.rsplit("error ", 1)[1])
    assert error >= Fraction(1, 6)  # Theorem 1.1 for width 2^(5-4) = 2, one layer
    with pytest.raises(ValueError, match="no width"):
        plot_depth_separation(3)
