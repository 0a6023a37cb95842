"""Exact rational arrays: arithmetic and search against fractions, and bad input."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest

from symdl.depth.rational_arrays import RationalArray


def test_division_by_zero_is_an_error_not_a_zero_denominator() -> None:
    a = RationalArray.of([1, 2, 3])
    with pytest.raises(ZeroDivisionError, match="index 1"):
        a / RationalArray.of([5, 0, 1])
    with pytest.raises(ZeroDivisionError):
        a / 0
    assert (a / RationalArray.of([2, -4, 3])).reduced().to_fractions() == [
        Fraction(1, 2),
        Fraction(-1, 2),
        Fraction(1),
    ]


def test_floats_are_refused() -> None:
    with pytest.raises(TypeError, match=r"0\.1 is a float.*Fraction\('0\.1'\)"):
        RationalArray.of([1, 0.1])  # type: ignore[list-item]


def test_searchsorted_is_exact_below_float_resolution() -> None:
    tiny = Fraction(1, 2**70)
    values = RationalArray.of([1 + j * tiny for j in range(6)])
    queries = RationalArray.of([1 + Fraction(5, 2) * tiny, 1 + 3 * tiny, 1 - tiny, 2])
    assert list(values.searchsorted(queries)) == [3, 3, 0, 6]
    assert list(values.searchsorted(queries, right=True)) == [3, 4, 0, 6]


def test_rational_array_arithmetic_matches_fractions(rng: np.random.Generator) -> None:
    values = [
        Fraction(int(p), int(q))
        for p, q in zip(rng.integers(-(10**6), 10**6, 50), rng.integers(1, 10**6, 50), strict=True)
    ]
    values += [Fraction(2**61 + 1, 3), Fraction(-(2**62), 5**27)]
    other = [*values[1:], values[0]]
    a, b = RationalArray.of(values), RationalArray.of(other)
    assert (a + b).reduced().to_fractions() == [x + y for x, y in zip(values, other, strict=True)]
    assert (a - b).reduced().to_fractions() == [x - y for x, y in zip(values, other, strict=True)]
    assert (a * b).reduced().to_fractions() == [x * y for x, y in zip(values, other, strict=True)]
    nonzero = [y if y else Fraction(1) for y in other]
    c = RationalArray.of(nonzero)
    assert (a / c).reduced().to_fractions() == [x / y for x, y in zip(values, nonzero, strict=True)]
    assert list(a.less(b)) == [x < y for x, y in zip(values, other, strict=True)]
