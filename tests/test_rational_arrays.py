"""Exact rational arrays: bad input (more arithmetic is tested in test_piecewise.py)."""

from __future__ import annotations

from fractions import Fraction

import pytest

from symdl.rational_arrays import RationalArray


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
