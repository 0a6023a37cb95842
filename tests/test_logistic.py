"""Tests of the logistic-regression problem against the symbolic loss."""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp

from symdl.optimization.logistic import (
    LogisticData,
    logistic_data,
    logistic_gradient,
    logistic_loss,
    logistic_losses,
)


def test_gradient_matches_symbolic_derivative(rng: np.random.Generator) -> None:
    w = sp.symbols("w1:4", real=True)
    x = [sp.Rational(1, 3), -sp.Rational(1, 2), sp.Rational(1, 5)]
    y = -1
    loss = logistic_loss(y * sum(wi * xi for wi, xi in zip(w, x, strict=True)))
    point = {wi: sp.Rational(k, 7) for k, wi in enumerate(w, start=2)}
    exact = np.array([float(sp.diff(loss, wi).subs(point)) for wi in w])
    data = LogisticData(np.array([[float(v) for v in x]]), np.array([y]))
    numeric = logistic_gradient(data)(np.array([float(point[wi]) for wi in w]), np.array([0]))
    assert np.allclose(numeric, exact, rtol=1e-13)
    assert float(loss.subs(point)) == pytest.approx(
        logistic_losses(np.array([float(point[wi]) for wi in w]), data)[0], rel=1e-14
    )


def test_gradient_is_the_minibatch_mean(rng: np.random.Generator) -> None:
    data = logistic_data(10, np.array([1.0, -2.0]), rng)
    grad = logistic_gradient(data)
    w = rng.normal(size=2)
    mean = (grad(w, np.array([1])) + grad(w, np.array([4])) + grad(w, np.array([7]))) / 3
    assert np.allclose(grad(w, np.array([1, 4, 7])), mean)


def test_data_in_unit_ball_with_labels(rng: np.random.Generator) -> None:
    data = logistic_data(500, np.array([3.0, 0.0, 0.0]), rng)
    assert (np.linalg.norm(data.X, axis=1) <= 1 + 1e-12).all()
    assert set(np.unique(data.y)) == {-1, 1}
    # Labels follow the model: positive x_1 makes y = +1 more likely.
    assert (data.y[data.X[:, 0] > 0.2] == 1).mean() > (data.y[data.X[:, 0] < -0.2] == 1).mean()


def test_losses_are_stable_for_large_margins() -> None:
    data = LogisticData(np.array([[1.0], [1.0]]), np.array([1, -1]))
    losses = logistic_losses(np.array([800.0]), data)
    assert losses[0] == pytest.approx(0.0, abs=1e-300)
    assert losses[1] == pytest.approx(800.0)


def test_bad_labels_refused() -> None:
    with pytest.raises(ValueError, match=r"-1 or \+1; got \[0\] \(map 0/1 labels"):
        LogisticData(np.zeros((2, 1)), np.array([0, 1]))
    with pytest.raises(ValueError, match=r"shape \(n, d\).*\(2, 1\) and \(3,\)"):
        LogisticData(np.zeros((2, 1)), np.array([1, 1, -1]))


def test_gradient_is_stable_for_large_margins() -> None:
    # σ(-m) for m = ±800: e^{800} overflows a float, the gradient must not
    data = LogisticData(np.array([[1.0], [1.0]]), np.array([1, -1]))
    gradient = logistic_gradient(data)
    with np.errstate(over="raise", invalid="raise"):
        assert gradient(np.array([800.0]), np.array([0])).tolist() == [0.0]
        assert gradient(np.array([800.0]), np.array([1])).tolist() == [1.0]
        assert gradient(np.array([-800.0]), np.array([0])).tolist() == [-1.0]
