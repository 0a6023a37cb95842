"""Tests of the random exact sample points and their per-variable domains."""

from __future__ import annotations

from fractions import Fraction

import pytest
import sympy as sp

from symdl.sampling import SamplingInterval, default_interval, sample_points

x, y, z = sp.symbols("x y z", real=True)
p = sp.Symbol("p", positive=True)


def test_points_lie_in_their_domains_and_are_exact() -> None:
    domains = {y: SamplingInterval(0, 1), z: SamplingInterval(sp.Rational(-1, 3), 5)}
    points = sample_points([x, y, z, p], domains, 40, seed=7)
    assert len(points) == 40
    for point in points:
        assert -2 <= point[x] <= 2
        assert 0 <= point[y] <= 1
        assert sp.Rational(-1, 3) <= point[z] <= 5
        assert sp.Rational(1, 10) <= point[p] <= 3
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
    assert all(v.q > 5 for point in points[3:] for v in point.values())


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
