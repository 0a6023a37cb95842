"""Tests of the checks of a loss's output and target (symdl.core.targets)."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
import sympy as sp

from symdl.core.targets import Target, validate, validate_batch


def test_validate_returns_column_vectors() -> None:
    o, y = validate(sp.Matrix([[0, 1, 2]]), [0, 0, 1])
    assert o.shape == y.shape == (3, 1)
    assert o == sp.Matrix([0, 1, 2])
    assert y == sp.Matrix([0, 0, 1])


def test_exact_entries_of_every_kind_are_accepted() -> None:
    o, _ = validate([Fraction(1, 3), np.int64(2), sp.sqrt(2)], [0, 1, 0])
    assert list(o) == [sp.Rational(1, 3), 2, sp.sqrt(2)]


def test_symbolic_target_entries_are_left_unchecked_but_numbers_are_checked() -> None:
    y1, y2 = sp.symbols("y1 y2", real=True)
    assert validate([0, 1, 2], [y1, y2, 0])[1] == sp.Matrix([y1, y2, 0])
    with pytest.raises(ValueError, match=r"target y = \[y1, 2, 0\] is not one-hot"):
        validate([0, 1, 2], [y1, 2, 0])
    with pytest.raises(ValueError, match=r"target y = \[y1, 1, 1\] is not one-hot"):
        validate([0, 1, 2], [y1, 1, 1])


@pytest.mark.parametrize(
    ("y", "target"),
    [([sp.Rational(-1, 2), 7], Target.REAL), ([sp.Rational(1, 3), 1], Target.PROBABILITY)],
)
def test_other_kinds_of_target(y: list[object], target: Target) -> None:
    assert list(validate([sp.S.Half, sp.S.Half], y, target=target)[1]) == y
    with pytest.raises(ValueError, match="not one-hot"):
        validate([sp.S.Half, sp.S.Half], y)


def test_empty_and_non_vector_inputs() -> None:
    with pytest.raises(ValueError, match=r"output o = \[\] has shape \(0, 1\)"):
        validate([], [])
    with pytest.raises(TypeError, match=r"output o = 3 must be a sympy\.Matrix or a list"):
        validate(3, [1])  # type: ignore[arg-type]


def test_validate_batch() -> None:
    O, Y = validate_batch([[1, 2]], [[0, 1]])
    assert O.dtype == Y.dtype == np.float64
    with pytest.raises(ValueError, match=r"target row 0 of Y, \[0\.5, 0\.5\], is not one-hot"):
        validate_batch([[1, 2]], [[0.5, 0.5]])
    assert validate_batch([[0.1, 0.9]], [[0.5, 0.5]], target=Target.PROBABILITY)[1].shape == (1, 2)
    with pytest.raises(ValueError, match=r"Y has non-finite entries"):
        validate_batch([[1, 2]], [[np.inf, 0]], target=Target.REAL)
