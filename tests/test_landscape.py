"""Tests of positive homogeneity and the rank-one linear autoencoder."""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp

from symdl.core.exceptions import NotSupportedError
from symdl.core.network import Network
from symdl.optimization.landscape import (
    AutoencoderModel,
    CriticalKind,
    CriticalPoint,
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
    with pytest.raises(NotSupportedError, match="degenerate beyond the rescaling"):
        classify_critical_point(flat, origin, sp.Integer(0))
    with pytest.raises(TypeError, match=r"a1='0'.*not a number"):
        classify_critical_point(cap, {a1: "0", b1: 0}, sp.Integer(0))
    with pytest.raises(ValueError, match="a value to each of a1, b1; got a1"):
        classify_critical_point(cap, {a1: 0}, sp.Integer(0))


# --- repeated eigenvalues: sets of critical points -------------------------------------------

# A rational orthogonal (and symmetric) matrix: Σ = Q diag(λ) Qᵀ has the eigenvalues λ and the
# columns of Q as eigenvectors, without being diagonal.
Q = sp.Matrix([[1, 2, 2], [2, 1, -2], [2, -2, 1]]) / 3


def _loss(sigma: np.ndarray, a: np.ndarray, b: np.ndarray) -> float:
    """E(a, b) = tr Σ - 2 aᵀΣb + (aᵀΣa)(bᵀb), written here by hand."""
    return float(np.trace(sigma) - 2 * a @ sigma @ b + (a @ sigma @ a) * (b @ b))


def _numeric_hessian(sigma: np.ndarray, x: np.ndarray, h: float = 1e-4) -> np.ndarray:
    """The Hessian of the hand-written loss by central differences, x = (a, b)."""
    d = len(sigma)
    n = 2 * d

    def f(y: np.ndarray) -> float:
        return _loss(sigma, y[:d], y[d:])

    hessian = np.zeros((n, n))
    steps = np.eye(n) * h
    for i in range(n):
        for j in range(n):
            hessian[i, j] = (
                f(x + steps[i] + steps[j])
                - f(x + steps[i] - steps[j])
                - f(x - steps[i] + steps[j])
                + f(x - steps[i] - steps[j])
            ) / (4 * h * h)
    return hessian


def _sample(point: CriticalPoint, rng: np.random.Generator) -> np.ndarray:
    """A random point of the point's set (μ > 0 and angles drawn at random), as floats."""
    family = point.critical_set
    assert family is not None
    values = {family.parameters[0]: sp.Float(rng.uniform(0.3, 3.0), 30)}
    values.update({angle: sp.Float(rng.uniform(0, 6.3), 30) for angle in family.parameters[1:]})
    return np.array([float(family.point[v].subs(values)) for v in family.point])


@pytest.mark.parametrize(
    ("spectrum", "rotate"),
    [
        ((3, 2, 1), False),  # distinct
        ((3, 2, 1), True),
        ((2, 2, 1), False),  # the issue's case: a repeated top eigenvalue
        ((2, 2, 1), True),
        ((3, 1, 1), True),  # a repeated bottom eigenvalue
        ((2, 2, 2), False),  # all equal
        ((1, 4, 1), True),
    ],
    ids=str,
)
def test_critical_sets_with_repeated_eigenvalues(
    spectrum: tuple[int, int, int], rotate: bool, rng: np.random.Generator
) -> None:
    sigma = Q * sp.diag(*spectrum) * Q.T if rotate else sp.diag(*spectrum)
    numeric_sigma = np.array(sigma.tolist(), dtype=float)
    points = autoencoder_critical_points(rank_one_autoencoder(sigma))
    trace, top = sum(spectrum), max(spectrum)
    # Baldi–Hornik: the origin (E = tr Σ, a saddle) and, per distinct eigenvalue λ of
    # multiplicity m, E = tr Σ - λ: two curves if m = 1, one connected set of dimension m if
    # m ≥ 2; the global minimum for the largest λ, a saddle otherwise.
    expected = [(trace, CriticalKind.SADDLE, 0)]
    for lam in sorted(set(spectrum)):
        m = spectrum.count(lam)
        kind = CriticalKind.GLOBAL_MINIMUM if lam == top else CriticalKind.SADDLE
        expected += [(trace - lam, kind, 1)] * 2 if m == 1 else [(trace - lam, kind, m)]
    found = [(p.value, p.kind, p.dimension) for p in points]
    assert sorted(found, key=str) == sorted(expected, key=str)
    for point in points:
        if point.critical_set is None:
            continue
        for _ in range(3):  # anywhere on the set: critical, with the same value and kind
            x = _sample(point, rng)
            a, b = x[:3], x[3:]
            assert _loss(numeric_sigma, a, b) == pytest.approx(float(point.value), abs=1e-12)
            gradient_a = 2 * numeric_sigma @ ((b @ b) * a - b)
            gradient_b = 2 * ((a @ numeric_sigma @ a) * b - numeric_sigma @ a)
            assert np.abs(np.concatenate([gradient_a, gradient_b])).max() < 1e-12
            u = b / np.linalg.norm(b)  # in the eigenspace of λ = tr Σ - E
            lam = trace - float(point.value)
            assert np.allclose(numeric_sigma @ u, lam * u, atol=1e-12)
        hessian = np.linalg.eigvalsh(_numeric_hessian(numeric_sigma, x))
        if point.kind is CriticalKind.SADDLE:
            assert hessian.min() < -0.1
        else:  # a minimum: the zero eigenvalues are the set's directions, the others positive
            assert hessian.min() > -1e-5
            assert int((np.abs(hessian) < 1e-5).sum()) == point.dimension


def test_the_issue_covariance_has_a_circle_of_minima() -> None:
    # Σ = diag(2, 2, 1): the global minima a = b = cos θ e1 + sin θ e2 (and rescalings), E = 3
    points = autoencoder_critical_points(rank_one_autoencoder(sp.diag(2, 2, 1)))
    (minimum,) = [p for p in points if p.kind is CriticalKind.GLOBAL_MINIMUM]
    family = minimum.critical_set
    assert family is not None
    assert (minimum.value, family.eigenvalue, family.multiplicity) == (3, 2, 2)
    theta = family.parameters[1]
    unit = [sp.simplify(family.point[v].subs(family.parameters[0], 1)) for v in family.point]
    assert unit == [sp.cos(theta), sp.sin(theta), 0] * 2
    text = minimum.description()
    assert text.startswith("global minimum, E = 3:")
    assert "circle" in text
    assert "dimension 2" in text
    assert "**" not in text


def test_symbolic_covariance_is_not_supported() -> None:
    s = sp.Symbol("s", positive=True)
    model = rank_one_autoencoder(sp.diag(s, 1))
    with pytest.raises(NotSupportedError, match="has symbols s"):
        autoencoder_critical_points(model)


def test_classification_of_a_point_on_a_circle_of_minima() -> None:
    # the public classifier, at a point of the circle other than the representative: its
    # Hessian's kernel is the circle's tangent plane (dimension 2), so it is a minimum
    model = rank_one_autoencoder(sp.diag(2, 2, 1))
    c, s = sp.Rational(3, 5), sp.Rational(4, 5)
    point = dict(zip(model.variables, [c, s, 0, c, s, 0], strict=True))
    classified = classify_critical_point(model, point, sp.Integer(3))
    assert classified.kind is CriticalKind.GLOBAL_MINIMUM
    assert classified.eigenvalues[sp.Integer(0)] == 2
    lower = classify_critical_point(model, point, sp.Integer(2))
    assert lower.kind is CriticalKind.LOCAL_MINIMUM


def test_eigenvalues_beyond_square_roots_are_not_supported() -> None:
    # the characteristic polynomial λ³ - 10λ² + 29λ - 23 has no rational root (±1, ±23 fail),
    # so it is irreducible over the rationals: its roots are not written with square roots
    sigma = sp.Matrix([[2, 1, 0], [1, 3, 1], [0, 1, 5]])
    with pytest.raises(NotSupportedError, match="irreducible of degree 3"):
        autoencoder_critical_points(rank_one_autoencoder(sigma))


def test_the_second_order_test_decides_only_what_it_can() -> None:
    # custom losses at their critical point 0: a strict minimum (a positive definite Hessian),
    # a maximum, and two degenerate points the Hessian cannot classify: -a² + b⁴ is a saddle
    # (E(0, b) = b⁴ > 0 > -a² = E(a, 0)) though its Hessian diag(-2, 0) is semidefinite
    a1, b1 = sp.symbols("a1 b1", real=True)
    origin = {a1: sp.Integer(0), b1: sp.Integer(0)}

    def kind(loss: sp.Expr) -> CriticalKind:
        model = AutoencoderModel(sp.Matrix([[1]]), (a1,), (b1,), loss)
        return classify_critical_point(model, origin, sp.Integer(0)).kind

    assert kind(a1**2 + 3 * b1**2) is CriticalKind.GLOBAL_MINIMUM
    assert kind(-(a1**2) - b1**2 + a1 * b1) is CriticalKind.LOCAL_MAXIMUM
    for degenerate in (-(a1**2) + b1**4, a1**2 - b1**4):
        with pytest.raises(NotSupportedError, match="degenerate"):
            kind(degenerate)
