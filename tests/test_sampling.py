"""Tests of the random exact sample points and their per-variable domains."""

from __future__ import annotations

from fractions import Fraction

import pytest
import sympy as sp

from symdl.referee.sampling import (
    OneHot,
    SamplingInterval,
    Simplex,
    default_interval,
    sample_points,
)

x, y, z = sp.symbols("x y z", real=True)
p = sp.Symbol("p", positive=True)


def test_points_lie_in_their_domains_and_are_exact() -> None:
    domains = {y: SamplingInterval(0, 1), z: SamplingInterval(sp.Rational(-1, 3), 5)}
    points = sample_points([x, y, z, p], domains, 40, seed=7)
    assert len(points) == 40
    for point in points:
        assert 0 <= point[y] <= 1
        assert sp.Rational(-1, 3) <= point[z] <= 5
        assert point[p] > 0
        assert all(isinstance(v, sp.Rational) for v in point.values())


def test_values_in_a_point_are_distinct_and_nonzero() -> None:
    # so that a transposed matrix or a dropped term cannot hide behind equal or zero values
    for point in sample_points([x, y, z], {}, 30, seed=3):
        values = list(point.values())
        assert len(set(values)) == len(values)
        assert 0 not in values


def test_the_first_points_are_readable_and_the_later_ones_fine() -> None:
    points = sample_points([x, y], {}, 12, seed=11)
    assert all(v.q <= 5 for point in points[:3] for v in point.values())
    # later denominators are primes of a million or more: no fixed set an answer can target
    assert all(v.q >= 10**6 and sp.isprime(v.q) for point in points[3:] for v in point.values())


def test_undeclared_variables_are_also_sampled_far_away_with_both_signs() -> None:
    # 2x + max(0, x - 3) equals 2x on [-2, 2]: a point with x > 3 and one with x < -3 are needed
    for seed in range(20):
        points = sample_points([x, y], {}, 10, seed=seed)
        for symbol in (x, y):
            assert any(pt[symbol] > 3 for pt in points)
            assert any(pt[symbol] < -3 for pt in points)
            assert any(pt[symbol] > 40 for pt in points)
            assert any(pt[symbol] < -40 for pt in points)
            assert any(0 < abs(pt[symbol]) < sp.Rational(1, 20) for pt in points)
            assert all(abs(pt[symbol]) <= 2000 for pt in points)


def test_declared_domains_are_never_left() -> None:
    box = SamplingInterval(sp.Rational(1, 2), 1)
    for seed in range(10):
        assert all(box.low <= pt[x] <= box.high for pt in sample_points([x], {x: box}, 12, seed))


def test_without_a_seed_the_fine_points_are_fresh_but_the_readable_ones_fixed() -> None:
    first, second = sample_points([x, y], {}, 8), sample_points([x, y], {}, 8)
    assert first[:3] == second[:3]  # readable counterexamples are reproducible
    assert first[3:] != second[3:]  # the rest cannot be known in advance


def test_a_simplex_group_sums_to_one_and_a_one_hot_group_cycles() -> None:
    y1, y2, y3, t1, t2 = sp.symbols("y1 y2 y3 t1 t2", real=True)
    points = sample_points(
        [x, y1, y2, y3, t1, t2], {}, 9, seed=4,
        constraints=[Simplex([y1, y2, y3]), OneHot([t1, t2])],
    )  # fmt: skip
    for pt in points:
        assert pt[y1] + pt[y2] + pt[y3] == 1
        assert min(pt[y1], pt[y2], pt[y3]) > 0
        assert sorted([pt[t1], pt[t2]]) == [0, 1]
    assert {pt[t1] for pt in points} == {0, 1}  # each class is used


def test_constraints_are_checked() -> None:
    y1, y2 = sp.symbols("y1 y2", real=True)
    with pytest.raises(TypeError, match="at least two"):
        Simplex([y1])
    with pytest.raises(ValueError, match="not a variable"):
        sample_points([y1], {}, 3, constraints=[Simplex([y1, y2])])
    with pytest.raises(ValueError, match="two domains or constraints"):
        sample_points([y1, y2], {y1: SamplingInterval(0, 1)}, 3, constraints=[OneHot([y1, y2])])
    with pytest.raises(TypeError, match="Simplex"):
        sample_points([y1, y2], {}, 3, constraints=["simplex"])  # type: ignore[list-item]
    assert "probability vector" in str(Simplex([y1, y2]))


def test_the_same_seed_gives_the_same_points() -> None:
    assert sample_points([x, y], {}, 5, seed=1) == sample_points([x, y], {}, 5, seed=1)
    assert sample_points([x, y], {}, 5, seed=1) != sample_points([x, y], {}, 5, seed=2)


def test_a_narrow_interval_still_gives_a_point_inside() -> None:
    narrow = SamplingInterval(sp.Rational(1, 10**6), sp.Rational(2, 10**6))
    for point in sample_points([x], {x: narrow}, 5, seed=0):
        assert narrow.low <= point[x] <= narrow.high


def test_intervals_are_exact_and_ordered() -> None:
    assert SamplingInterval(Fraction(1, 3), 1).low == sp.Rational(1, 3)
    with pytest.raises(TypeError, match="exact"):
        SamplingInterval(0.5, 1)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="low must be below high"):
        SamplingInterval(1, 1)
    assert default_interval(sp.Symbol("n", nonnegative=True)) == SamplingInterval(0, 3)
