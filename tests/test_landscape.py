"""Tests of positive homogeneity and the rank-one linear autoencoder."""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp

from symdl.core.network import Network
from symdl.optimization.landscape import (
    AutoencoderModel,
    CriticalKind,
    autoencoder_critical_points,
    autoencoder_descent,
    classify_critical_point,
    factor_positive_scale,
    homogeneity_degree,
    rank_one_autoencoder,
    scale_weights,
)

alpha = sp.Symbol("alpha", positive=True)
z = sp.Symbol("z", real=True)


def test_factor_positive_scale_nested() -> None:
    y = sp.Symbol("y", real=True)
    expr = sp.Max(0, alpha**2 * z * sp.Max(0, alpha * y))
    assert factor_positive_scale(expr, alpha) == alpha**3 * sp.Max(0, z * sp.Max(0, y))


def test_factor_positive_scale_leaves_mixed_degrees() -> None:
    expr = sp.Max(0, alpha * z + 1)
    assert factor_positive_scale(expr, alpha) == expr


def test_factor_positive_scale_needs_positive_symbol() -> None:
    with pytest.raises(ValueError, match="positive=True"):
        factor_positive_scale(sp.Max(0, z), sp.Symbol("a", real=True))
    with pytest.raises(TypeError, match=r"expr='Max\(0, z\)' must be a SymPy expression"):
        factor_positive_scale("Max(0, z)", alpha)  # type: ignore[arg-type]


def test_homogeneity_on_a_network_and_a_wrong_degree_fails() -> None:
    net = Network.mlp([2, 2, 1], ["relu", "identity"], biases=[[0, 0], [0]])
    lhs = factor_positive_scale(scale_weights(net, alpha).forward()[0], alpha)
    assert sp.expand(lhs - alpha**2 * net.forward()[0]) == 0
    assert sp.expand(lhs - alpha**3 * net.forward()[0]) != 0  # the checker can fail


def test_homogeneity_numeric(rng: np.random.Generator) -> None:
    from symdl.core import numeric

    net = Network.mlp([2, 3, 1], ["leaky_relu", "identity"], biases=[[0] * 3, [0]])
    values = dict(zip(net.parameters, rng.normal(size=len(net.parameters)), strict=True))
    X = rng.normal(size=(10, 2))
    scaled = {p: 1.7 * v for p, v in values.items()}
    assert np.allclose(numeric.forward(net, X, scaled), 1.7**2 * numeric.forward(net, X, values))


def test_scale_weights_is_exact() -> None:
    net = Network.mlp([1, 1], "relu", weights=[[[3]]], biases=[[0]])
    assert scale_weights(net, sp.Rational(1, 3)).layers[0].W[0, 0] == 1
    with pytest.raises(TypeError, match=r"alpha=0\.5 is a float"):
        scale_weights(net, 0.5)


def test_homogeneity_degree_rejects() -> None:
    with pytest.raises(ValueError, match="layer 1 has biases"):
        homogeneity_degree(Network.mlp([1, 1], "relu"))
    with pytest.raises(ValueError, match="tanh, which is not positively homogeneous"):
        homogeneity_degree(Network.mlp([1, 1], "tanh", biases=[[0]]))


def test_autoencoder_loss_formula() -> None:
    model = rank_one_autoencoder(sp.diag(3, 2, 1))
    a, b = sp.Matrix(model.a), sp.Matrix(model.b)
    sigma = sp.diag(3, 2, 1)
    formula = sigma.trace() - 2 * (a.T * sigma * b)[0] + (a.T * sigma * a)[0] * (b.T * b)[0]
    assert sp.expand(model.loss - formula) == 0


def test_critical_points_diag_321() -> None:
    points = autoencoder_critical_points(rank_one_autoencoder(sp.diag(3, 2, 1)))
    summary = sorted((p.value, p.kind) for p in points)
    assert [value for value, _ in summary] == [3, 3, 4, 4, 5, 5, 6]
    assert {kind for value, kind in summary if value == 3} == {CriticalKind.GLOBAL_MINIMUM}
    assert {kind for value, kind in summary if value > 3} == {CriticalKind.SADDLE}


def test_critical_points_of_another_covariance() -> None:
    # Σ = diag(5, 1): minimum 1 on the e_1 curve, saddle 5 on e_2, saddle 6 at the origin.
    points = autoencoder_critical_points(rank_one_autoencoder(sp.diag(5, 1)))
    assert sorted((p.value, p.kind.value) for p in points) == [
        (1, "global minimum"),
        (1, "global minimum"),
        (5, "saddle"),
        (5, "saddle"),
        (6, "saddle"),
    ]


def test_descent_agrees_with_symbolic_loss(rng: np.random.Generator) -> None:
    model = rank_one_autoencoder(sp.diag(3, 2, 1))
    start = rng.normal(size=(1, 6))
    zero_steps = autoencoder_descent(np.diag([3.0, 2.0, 1.0]), start, steps=0)
    exact = float(model.loss.subs(dict(zip(model.variables, start[0], strict=True))))
    assert zero_steps[0] == pytest.approx(exact, rel=1e-12)
    final = autoencoder_descent(np.diag([3.0, 2.0, 1.0]), rng.normal(size=(20, 6)))
    assert np.allclose(final, 3.0, atol=1e-6)


def test_descent_refuses_bad_shapes_and_rates() -> None:
    with pytest.raises(ValueError, match=r"starts of shape \(3, 5\).*\(k, 2d\)"):
        autoencoder_descent(np.eye(3), np.zeros((3, 5)))
    with pytest.raises(ValueError, match=r"rate=-0\.1.*positive rate"):
        autoencoder_descent(np.eye(2), np.zeros((1, 4)), rate=-0.1)


def test_bad_covariance() -> None:
    with pytest.raises(ValueError, match="positive definite"):
        rank_one_autoencoder(sp.Matrix([[1, 2], [2, 1]]))


def test_classification_can_say_every_kind() -> None:
    # the classifier is not a constant: a wrong lowest value, a maximum and a flat point
    model = rank_one_autoencoder(sp.diag(3, 2, 1))
    top = {v: sp.Integer(1 if str(v) in ("a1", "b1") else 0) for v in model.variables}
    assert classify_critical_point(model, top, sp.Integer(3)).kind is CriticalKind.GLOBAL_MINIMUM
    assert classify_critical_point(model, top, sp.Integer(2)).kind is CriticalKind.LOCAL_MINIMUM
    a1, b1 = sp.symbols("a1 b1", real=True)
    origin = {a1: sp.Integer(0), b1: sp.Integer(0)}
    cap = AutoencoderModel(sp.Matrix([[1]]), (a1,), (b1,), -(a1**2) - b1**2)
    assert classify_critical_point(cap, origin, sp.Integer(0)).kind is CriticalKind.LOCAL_MAXIMUM
    flat = AutoencoderModel(sp.Matrix([[1]]), (a1,), (b1,), a1**4 + b1**4)
    with pytest.raises(ValueError, match="degenerate beyond the rescaling"):
        classify_critical_point(flat, origin, sp.Integer(0))
    with pytest.raises(TypeError, match=r"a1='0'.*not a number"):
        classify_critical_point(cap, {a1: "0", b1: 0}, sp.Integer(0))
    with pytest.raises(ValueError, match="a value to each of a1, b1; got a1"):
        classify_critical_point(cap, {a1: 0}, sp.Integer(0))
