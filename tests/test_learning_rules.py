"""Oja's rule and the delta rule (symdl.optimization.learning_rules) against hand-derived
values and independent floating-point simulations."""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp

from symdl.core.exceptions import NotSupportedError
from symdl.optimization.learning_rules import (
    MAX_DIMENSION,
    lms_iterates,
    lms_limit,
    lms_threshold,
    oja_fixed_points,
)

X = [[1, 0], [0, 1], [1, 1]]
Y = [1, 2, 4]


def test_oja_fixed_points_of_a_two_by_two_covariance_by_hand() -> None:
    # C = [[2, 1], [1, 2]]: λ = 3 on (1, 1)/√2, λ = 1 on (1, -1)/√2; at e_1 the Jacobian has
    # λ₂ - λ₁ = -2 and -2λ₁ = -6 (stable); at e_2, λ₁ - λ₂ = 2 and -2 (unstable)
    points = oja_fixed_points([[2, 1], [1, 2]])
    root = sp.sqrt(2) / 2
    assert [
        (list(p.w), p.eigenvalue, sorted(p.jacobian_eigenvalues), p.stable) for p in points
    ] == [
        ([root, root], 3, [-6, -2], True),
        ([-root, -root], 3, [-6, -2], True),
        ([-root, root], 1, [-2, 2], False),
        ([root, -root], 1, [-2, 2], False),
    ]


def test_an_independent_simulation_of_oja_reaches_the_stable_point() -> None:
    C = np.array([[3.0, 1.0, 0.0], [1.0, 3.0, 1.0], [0.0, 1.0, 3.0]])
    rng = np.random.default_rng(0)
    stable = [p for p in oja_fixed_points(C.astype(int).tolist()) if p.stable]
    targets = [np.array([float(v) for v in p.w]) for p in stable]
    for _ in range(5):
        w = rng.normal(size=3)
        for _ in range(4000):  # Euler steps of dw/dt = C w - (wᵀ C w) w
            w = w + 0.01 * (C @ w - (w @ C @ w) * w)
        assert min(np.linalg.norm(w - t) for t in targets) < 1e-6


def test_the_delta_rule_by_hand_and_by_floats() -> None:
    # XᵀX = [[2, 1], [1, 2]], Xᵀy = (5, 6): w* = (4/3, 7/3); eigenvalues 3, 1: threshold 2/3
    assert lms_limit(X, Y) == sp.Matrix([sp.Rational(4, 3), sp.Rational(7, 3)])
    assert lms_threshold(X) == sp.Rational(2, 3)
    exact = lms_iterates(X, Y, sp.Rational(1, 3), 25)
    A, b = np.array(X, dtype=float), np.array(Y, dtype=float)
    w = np.zeros(2)
    for step in range(25):
        w = w - (1 / 3) * A.T @ (A @ w - b)
        assert np.allclose(w, [float(v) for v in exact[step + 1]], rtol=1e-12, atol=1e-12)


def test_a_threshold_with_radicals_is_exact() -> None:
    # XᵀX = [[1, 1], [1, 2]]: eigenvalues (3 ± √5)/2, so 2/λ_max = 4/(3 + √5) = 3 - √5
    design = [[1, 1], [0, 1]]
    assert sp.simplify(lms_threshold(design) - (3 - sp.sqrt(5))) == 0


def test_bad_input_is_refused_with_what_is_accepted() -> None:
    with pytest.raises(ValueError, match="not symmetric"):
        oja_fixed_points([[1, 2], [0, 1]])
    with pytest.raises(ValueError, match="repeated eigenvalue"):
        oja_fixed_points([[2, 0], [0, 2]])
    with pytest.raises(NotSupportedError, match="irreducible case"):
        oja_fixed_points([[4, 2, 0], [2, 5, 1], [0, 1, 2]])
    big = [
        [int(i == j) * (i + 1) for j in range(MAX_DIMENSION + 1)] for i in range(MAX_DIMENSION + 1)
    ]
    with pytest.raises(ValueError, match="MAX_DIMENSION"):
        oja_fixed_points(big)
    with pytest.raises(ValueError, match="singular"):
        lms_limit([[1, 1], [2, 2]], [0, 1])
    with pytest.raises(TypeError, match="float"):
        lms_iterates(X, Y, 0.5, 3)


def test_the_eigen_computations_keep_their_time_limit() -> None:
    from symdl.core.limits import TimeLimitExceededError

    # a 6 × 6 covariance with a degree-6 characteristic polynomial: far beyond 1 ms
    C = [[6 if i == j else 1 if abs(i - j) == 1 else 0 for j in range(6)] for i in range(6)]
    with pytest.raises(TimeLimitExceededError, match=r"0\.001 s"):
        oja_fixed_points(C, seconds=0.001)
    with pytest.raises(TimeLimitExceededError, match=r"0\.001 s"):
        lms_threshold(C, seconds=0.001)
