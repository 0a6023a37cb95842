r"""Exact numbers: converting user values (ints, fractions, floats on request) to SymPy.

symdl computes exactly; a float where an exact number is needed is refused unless the user
chooses a :class:`FloatConversion` (``0.1`` as ``1/10``, or as the float's exact binary value).
Text is never parsed: a string is refused, not sympified.
"""

from __future__ import annotations

import enum
from fractions import Fraction
from typing import Any

import numpy as np
import sympy as sp

__all__ = ["FloatConversion", "exact_matrix", "exact_number"]


class FloatConversion(enum.Enum):
    """What to do with a float where symdl needs an exact number."""

    REJECT = "reject"
    """Raise :class:`TypeError` (the default: exactness is never lost silently)."""
    DECIMAL = "decimal"
    """The float's shortest decimal representation: ``0.1`` becomes ``1/10``."""
    BINARY = "binary"
    """The float's exact binary value: ``0.1`` becomes ``3602879701896397/36028797018963968``."""


def exact_number(
    value: Any, *, name: str = "value", floats: FloatConversion = FloatConversion.REJECT
) -> sp.Expr:
    """Convert one entry to an exact SymPy number (or keep a SymPy expression).

    Examples
    --------
    >>> exact_number(0.1, floats=FloatConversion.DECIMAL)
    1/10
    >>> exact_number(Fraction(2, 3))
    2/3
    """
    if isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name}={value!r} is a boolean; give a number")
    if isinstance(value, (int, np.integer)):
        return sp.Integer(int(value))
    if isinstance(value, Fraction):
        return sp.Rational(value.numerator, value.denominator)
    if isinstance(value, (float, np.floating)):
        if floats is FloatConversion.REJECT:
            raise TypeError(
                f"{name}={value!r} is a float and symdl computes exactly; give an int, a "
                f"Fraction or a sympy.Rational, or pass floats=FloatConversion.DECIMAL "
                f"(0.1 -> 1/10) or FloatConversion.BINARY (the float's exact binary value)"
            )
        if not np.isfinite(value):
            raise ValueError(f"{name}={value!r} is not finite")
        if floats is FloatConversion.DECIMAL:
            return sp.Rational(repr(float(value)))
        return sp.Rational(*float(value).as_integer_ratio())
    if isinstance(value, sp.Basic):
        if value.has(sp.Float):
            if floats is FloatConversion.REJECT:
                raise TypeError(
                    f"{name}={value!r} contains a SymPy Float; use sympy.Rational, or pass "
                    f"floats=FloatConversion.DECIMAL or FloatConversion.BINARY"
                )
            if floats is FloatConversion.BINARY:  # each Float's exact binary value
                return value.xreplace({f: sp.Rational(f) for f in value.atoms(sp.Float)})
            return sp.nsimplify(value, rational=True)
        if not isinstance(value, sp.Expr):
            raise TypeError(f"{name}={value!r} is not a SymPy expression")
        return value
    raise TypeError(
        f"{name}={value!r} (type {type(value).__name__}) is not a number; accepted: int, "
        f"fractions.Fraction, sympy.Rational or a SymPy expression (floats on request)"
    )


def exact_matrix(
    values: Any,
    shape: tuple[int, int],
    *,
    name: str = "matrix",
    floats: FloatConversion = FloatConversion.REJECT,
) -> sp.Matrix:
    """An exact SymPy matrix of the given shape from nested lists, a NumPy array or a Matrix.

    A vector given as a flat list is read as a column.

    Examples
    --------
    >>> exact_matrix([[1, 2], [3, 4]], (2, 2))
    Matrix([
    [1, 2],
    [3, 4]])
    """
    if isinstance(values, sp.MatrixBase):
        rows = values.tolist()
    elif isinstance(values, np.ndarray):
        rows = values.tolist() if values.ndim == 2 else [[v] for v in values.tolist()]
    elif isinstance(values, (list, tuple)):
        rows = [list(r) if isinstance(r, (list, tuple, np.ndarray)) else [r] for r in values]
    else:
        raise TypeError(
            f"{name} must be nested lists, a NumPy array or a SymPy Matrix of shape {shape}; "
            f"got {type(values).__name__}"
        )
    lengths = sorted({len(r) for r in rows})
    if len(lengths) > 1:
        raise ValueError(
            f"{name}: the rows have different lengths ({', '.join(map(str, lengths))}); "
            f"give {shape[0]} rows of {shape[1]} entries each"
        )
    got = (len(rows), len(rows[0]) if rows else 0)
    if got != shape:
        raise ValueError(f"{name} has shape {got}, but the layer needs shape {shape}")
    return sp.Matrix(
        [
            [exact_number(v, name=f"{name}[{i}][{j}]", floats=floats) for j, v in enumerate(r)]
            for i, r in enumerate(rows)
        ]
    )
