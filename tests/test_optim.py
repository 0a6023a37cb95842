"""Tests of SGD (Algorithm 8.1): reproducibility, the update rule, and a known limit."""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp

from symdl.optimization.schedules import Constant, InversePower, t
from symdl.optimization.stochastic_gradient import sample_path, sgd


def test_sample_path_is_seeded_and_in_range() -> None:
    a = sample_path(7, 50, batch_size=3, seed=5)
    assert (a == sample_path(7, 50, batch_size=3, seed=5)).all()
    assert not (a == sample_path(7, 50, batch_size=3, seed=6)).all()
    assert a.min() >= 0
    assert a.max() < 7
    assert all(len(set(row)) == 3 for row in a)  # distinct examples within a minibatch


def test_sample_path_single_examples_are_uniform() -> None:
    counts = np.bincount(sample_path(4, 40000, seed=1)[:, 0], minlength=4)
    assert np.allclose(counts / 40000, 0.25, atol=0.01)


def test_one_over_k_gives_the_running_mean() -> None:
    # With ε_k = 1/k and L = ½(θ − x)², θ_k is the mean of the first k drawn examples.
    data = np.array([1.0, 4.0, -2.0, 8.0, 3.0])
    path = sample_path(5, 30, seed=2)
    run = sgd(lambda th, b: th - data[b].mean(), np.zeros(1), schedule=1 / t, path=path)
    drawn = data[path[:, 0]]
    running = np.cumsum(drawn) / np.arange(1, 31)
    assert np.allclose(run.thetas[1:, 0], running)


def test_update_rule_with_minibatches() -> None:
    # θ ← θ − ε ĝ, ĝ the mean over the minibatch (not the sum).
    data = np.array([[1.0, 0.0], [0.0, 2.0], [4.0, 4.0]])
    path = np.array([[0, 2], [1, 2]])
    run = sgd(
        lambda th, b: th - data[b].mean(axis=0),
        np.zeros(2),
        schedule=Constant(sp.Rational(1, 2)),
        path=path,
    )
    step1 = 0.5 * np.array([2.5, 2.0])
    step2 = step1 - 0.5 * (step1 - np.array([2.0, 3.0]))
    assert np.allclose(run.thetas[1], step1)
    assert np.allclose(run.final, step2)
    assert np.allclose(run.rates, [0.5, 0.5])


def test_reproducible_runs() -> None:
    data = np.linspace(-1, 1, 9)
    path = sample_path(9, 20, batch_size=2, seed=3)
    first = sgd(
        lambda th, b: th - data[b].mean(), np.ones(1), schedule=InversePower(1, 1), path=path
    )
    second = sgd(
        lambda th, b: th - data[b].mean(), np.ones(1), schedule=InversePower(1, 1), path=path
    )
    assert (first.thetas == second.thetas).all()


def test_bad_input() -> None:
    with pytest.raises(ValueError, match="batch_size=5 exceeds"):
        sample_path(3, 2, batch_size=5)
    with pytest.raises(ValueError, match="n=0 is not an integer ≥ 1"):
        sample_path(0, 2)
    with pytest.raises(ValueError, match="shape"):
        sgd(lambda th, b: th, np.zeros(1), schedule=1 / t, path=np.array([0, 1]))
    with pytest.raises(ValueError, match="gradient has shape"):
        sgd(lambda th, b: np.zeros(3), np.zeros(1), schedule=1 / t, path=np.array([[0]]))
    with pytest.raises(ValueError, match="free symbols"):
        sgd(
            lambda th, b: th,
            np.zeros(1),
            schedule=sp.Symbol("c", positive=True) / t,
            path=np.array([[0]]),
        )


def test_network_path_matches_hand_written_logistic_regression(rng: np.random.Generator) -> None:
    # A sigmoid neuron without bias and binary cross-entropy with y ∈ {0, 1} is logistic
    # regression with labels 2y − 1: both gradient paths must give the same SGD trajectory.
    from symdl.core.losses import LOSSES
    from symdl.core.network import Network
    from symdl.optimization.logistic import logistic_data, logistic_gradient
    from symdl.optimization.stochastic_gradient import network_gradient

    data = logistic_data(12, np.array([2.0, -1.0, 0.5]), rng)
    net = Network.mlp([3, 1], "sigmoid", biases=[[0]])
    targets = ((data.y + 1) // 2).astype(float)[:, None]
    path = sample_path(12, 25, batch_size=3, seed=4)
    start = np.array([0.1, -0.2, 0.3])
    by_network = sgd(
        network_gradient(net, LOSSES["bce"], data.X, targets), start, schedule=1 / t, path=path
    )
    by_hand = sgd(logistic_gradient(data), start, schedule=1 / t, path=path)
    assert np.allclose(by_network.thetas, by_hand.thetas, rtol=1e-12, atol=1e-14)
    assert not np.allclose(by_network.thetas[-1], start)


def test_network_sgd_decreases_a_two_layer_loss() -> None:
    from symdl.core.losses import LOSSES
    from symdl.core.network import Network
    from symdl.core.numeric import mean_loss
    from symdl.optimization.stochastic_gradient import network_gradient

    X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    Y = np.array([[0.0], [1.0], [1.0], [2.0]])  # y = x₁ + x₂
    net = Network.mlp([2, 2, 1], ["tanh", "identity"])
    start = np.random.default_rng(0).normal(scale=0.5, size=len(net.parameters))
    run = sgd(
        network_gradient(net, LOSSES["mse"], X, Y),
        start,
        schedule=Constant(sp.Rational(1, 10)),
        path=sample_path(4, 300, batch_size=2, seed=0),
    )

    def risk(theta: np.ndarray) -> float:
        return mean_loss(net, X, Y, LOSSES["mse"], dict(zip(net.parameters, theta, strict=True)))

    assert risk(run.final) < 0.05 * risk(start)


def test_sgd_network_is_seeded_and_fits_a_line() -> None:
    from symdl.core.losses import LOSSES
    from symdl.core.network import Network
    from symdl.optimization.stochastic_gradient import sgd_network

    net = Network.mlp([1, 1], "identity")
    X = np.array([[0.0], [1.0], [2.0], [3.0]])
    Y = 2 * X - 1
    kwargs = {"schedule": Constant(sp.Rational(1, 20)), "steps": 3000, "batch_size": 2}
    first = sgd_network(net, LOSSES["mse"], X, Y, seed=4, **kwargs)
    second = sgd_network(net, LOSSES["mse"], X, Y, seed=4, **kwargs)
    other = sgd_network(net, LOSSES["mse"], X, Y, seed=5, **kwargs)
    assert (first.thetas == second.thetas).all()
    assert not (first.thetas[:10] == other.thetas[:10]).all()
    assert np.allclose(first.final, [2.0, -1.0], atol=1e-6)


def test_network_sgd_matches_exact_symbolic_steps() -> None:
    # Three steps of Algorithm 8.1 in exact rational arithmetic, the gradient by sp.diff of the
    # network's loss expression, against the float SGD with the numeric backward pass.
    from symdl.core.losses import LOSSES
    from symdl.core.network import Network
    from symdl.optimization.stochastic_gradient import network_gradient

    net = Network.mlp([2, 2, 1], ["relu", "identity"])
    X = [[1, 2], [3, -1], [-2, 1]]
    Y = [[1], [0], [2]]
    path = np.array([[0, 1], [2, 0], [1, 2]])
    schedule = InversePower(sp.Rational(1, 10), 1)
    theta = dict(zip(net.parameters, [sp.Rational(k, 7) for k in range(1, 10)], strict=True))
    loss = LOSSES["mse"]
    start = np.array([float(theta[p]) for p in net.parameters])
    for k, batch in enumerate(path, start=1):
        total = sum(loss(net.forward(X[i]), sp.Matrix(Y[i])) for i in batch) / len(batch)
        grad = {p: sp.diff(total, p).subs(theta) for p in net.parameters}
        theta = {p: theta[p] - schedule(k) * grad[p] for p in net.parameters}
    exact = np.array([float(theta[p]) for p in net.parameters])
    run = sgd(
        network_gradient(net, loss, np.array(X, dtype=float), np.array(Y, dtype=float)),
        start,
        schedule=schedule,
        path=path,
    )
    assert all(value.is_Rational for value in theta.values())
    assert np.allclose(run.final, exact, rtol=1e-13, atol=1e-15)
    assert not np.allclose(run.final, start)
