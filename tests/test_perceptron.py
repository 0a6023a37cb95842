"""Rosenblatt's rule and Novikoff's bound (symdl.optimization.perceptron_learning), against oracles
derived by hand and an independent integer implementation of the rule."""

from __future__ import annotations

import itertools
import random
from fractions import Fraction

import pytest

from symdl.optimization.perceptron_learning import (
    MAX_EXAMPLES,
    novikoff_bound,
    perceptron,
)

SQUARE = [(0, 0), (0, 1), (1, 0), (1, 1)]


def rule(points: list[tuple[int, ...]], labels: list[int]) -> tuple[list[int], int]:
    """The perceptron rule on integers, written plainly: (weights with the bias last, mistakes)."""
    w = [0] * (len(points[0]) + 1)
    mistakes = 0
    for _ in range(1000):
        clean = True
        for p, y in zip(points, labels, strict=True):
            x = [*p, 1]
            if y * sum(a * b for a, b in zip(w, x, strict=True)) <= 0:
                w = [a + y * b for a, b in zip(w, x, strict=True)]
                mistakes += 1
                clean = False
        if clean:
            return w, mistakes
    raise AssertionError("did not converge")


def test_xor_by_hand_comes_back_to_zero_after_one_epoch() -> None:
    # w = 0; (0,0),-1: 0 ≤ 0, w = (0,0,-1); (0,1),+1: -1 ≤ 0, w = (0,1,0);
    # (1,0),+1: 0 ≤ 0, w = (1,1,1); (1,1),-1: -3 ≤ 0, w = (0,0,0)
    run = perceptron(SQUARE, [-1, 1, 1, -1])
    assert [w for _, w in run.updates] == [(0, 0, -1), (0, 1, 0), (1, 1, 1), (0, 0, 0)]
    assert (run.converged, run.cycle, run.mistakes) == (False, 1, 4)
    assert "cycles every 1 epoch after 1 epoch," in repr(run)


def test_and_has_the_margin_derived_by_hand() -> None:
    # u = (2, 2, -3) meets (0,1), (1,0), (1,1) with margin 1 and (0,0) with 3; u = Σ α_i y_i x_i
    # with α = (5, 5, 7) on those three (solved by hand): optimal, ‖u‖² = 17, R² = 3
    bound = novikoff_bound(SQUARE, [-1, -1, -1, 1])
    assert bound is not None
    assert bound.certificate.direction == (2, 2, -3)
    assert (bound.radius_squared, bound.margin_squared, bound.bound) == (3, Fraction(1, 17), 51)


@pytest.mark.parametrize("seed", range(20))
def test_the_rule_matches_a_plain_implementation_and_respects_the_bound(seed: int) -> None:
    rng = random.Random(seed)
    u = (rng.choice([-3, -2, -1, 1, 2, 3]), rng.randint(-3, 3), rng.randint(-2, 2))
    points, labels = [], []
    while len(points) < 6:  # labelled by the hyperplane u: separable by construction
        p = (rng.randint(-5, 5), rng.randint(-5, 5))
        side = u[0] * p[0] + u[1] * p[1] + u[2]
        if side != 0:
            points.append(p)
            labels.append(1 if side > 0 else -1)
    bound = novikoff_bound(points, labels)
    assert bound is not None
    expected_w, expected_mistakes = rule(points, labels)
    run = perceptron(points, labels)
    assert list(run.weights) == expected_w
    assert run.mistakes == expected_mistakes
    assert run.mistakes <= bound.bound
    # no direction of a grid has a larger margin (evidence beside the KKT proof)
    for a, b, c in itertools.product(range(-6, 7), repeat=3):
        margin = min(y * (a * p[0] + b * p[1] + c) for p, y in zip(points, labels, strict=True))
        if margin > 0:
            assert Fraction(margin**2, a * a + b * b + c * c) <= bound.margin_squared


def test_bad_data_are_refused_with_what_is_accepted() -> None:
    with pytest.raises(ValueError, match="labels are \\+1 and -1"):
        perceptron(SQUARE, [0, 1, 1, 1])
    with pytest.raises(ValueError, match="one label per point"):
        perceptron(SQUARE, [1, 1])
    with pytest.raises(TypeError, match="float"):
        perceptron([(0.5, 1)], [1])
    with pytest.raises(ValueError, match="MAX_EXAMPLES"):
        perceptron([(1,)] * (MAX_EXAMPLES + 1), [1] * (MAX_EXAMPLES + 1))
    with pytest.raises(ValueError, match="same, positive number of inputs"):
        perceptron([(1,), (1, 2)], [1, 1])
    with pytest.raises(ValueError, match="max_epochs"):
        perceptron(SQUARE, [1, 1, 1, 1], max_epochs=0)
