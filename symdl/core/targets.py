r"""Outputs and targets of a loss: the kinds of target, and the checks of bad input.

A loss compares an output :math:`o` with a target :math:`y` of the same length.  The twelve
classification losses of Janocha & Czarnecki (2017, Table 1) need a one-hot :math:`y`; the
mean squared error takes any real :math:`y`; binary cross-entropy takes :math:`y_j \in [0, 1]`
and an output that is a probability, :math:`o_j \in (0, 1)`.

Two checks, one per evaluator:

- :func:`validate` for the exact (SymPy) forms: entries must be exact (a Python or SymPy float
  is a ``TypeError`` suggesting ``sympy.Rational``); text is refused, never parsed; symbolic
  entries are accepted and left unchecked, numeric ones must fit the kind of target;
- :func:`validate_batch` for the NumPy forms: arrays of shape ``(batch, n)``, one sample per
  row, with every row of the target checked (:func:`validate_targets` checks targets alone).

Exact entries are compared exactly (:func:`symdl.core.special_functions.exact_sign`): an output
:math:`\sigma(700) = 1/(1 + e^{-700})` is told apart from 1 although it differs from it only
in the 305th digit.

References
----------
K. Janocha, W. M. Czarnecki, "On loss functions for deep neural networks in classification",
Schedae Informaticae 25 (2016) 49–59; arXiv:1702.05659 (2017), Table 1.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from typing import Any, TypeAlias

import numpy as np
import sympy as sp
from numpy.typing import ArrayLike, NDArray

from symdl.core.exact import exact_number
from symdl.core.special_functions import exact_sign

__all__ = [
    "Target",
    "VectorLike",
    "random_targets",
    "validate",
    "validate_batch",
    "validate_targets",
]

FloatArray = NDArray[np.float64]
VectorLike: TypeAlias = sp.MatrixBase | Sequence[Any]


class Target(enum.Enum):
    """The kind of target a loss accepts."""

    ONE_HOT = "one-hot"
    """Exactly one entry is 1, the others 0 (the twelve classification losses)."""
    REAL = "real"
    """Any real vector (mean squared error)."""
    PROBABILITY = "probability"
    """Entries in [0, 1], with an output whose entries are probabilities in (0, 1) (BCE)."""


def _shown(value: object) -> str:
    """A vector as one line (a SymPy Matrix's repr spans several)."""
    return str(list(value)) if isinstance(value, sp.MatrixBase) else repr(value)


def _is_float(entry: object) -> bool:
    return isinstance(entry, (float, np.floating)) or (
        isinstance(entry, sp.Basic) and entry.has(sp.Float)
    )


def _exact_vector(value: VectorLike, role: str) -> sp.Matrix:
    """``value`` as a SymPy column vector of exact entries, or a TypeError/ValueError."""
    if isinstance(value, np.ndarray):
        raise TypeError(
            f"{role} = {_shown(value)} is a NumPy array; the exact loss takes a sympy.Matrix "
            f"of exact entries (use Loss.numpy for arrays)"
        )
    if isinstance(value, sp.MatrixBase):
        entries = list(value)
        shape = value.shape
    elif isinstance(value, Sequence) and not isinstance(value, str):
        entries = list(value)
        shape = (len(entries), 1)
    else:
        raise TypeError(
            f"{role} = {_shown(value)} must be a sympy.Matrix or a list of exact numbers"
        )
    exact = []
    for i, entry in enumerate(entries):
        try:
            exact.append(exact_number(entry, name=f"{role}[{i}]"))
        except TypeError as error:
            kind = "float entry" if _is_float(entry) else "entry"
            raise TypeError(
                f"{role} = {_shown(value)} has the {kind} {_shown(entry)} of type "
                f"{type(entry).__name__}: {error}"
            ) from None
    if min(shape) > 1 or not entries:
        raise ValueError(
            f"{role} = {_shown(value)} has shape {shape}; a vector (n x 1 or 1 x n, n >= 1) "
            f"is required"
        )
    return sp.Matrix(exact)


def _within(entry: sp.Expr, *, open_interval: bool, role: str, shown: list[sp.Expr]) -> bool:
    """Whether a real constant lies in [0, 1] (or (0, 1)), decided exactly."""
    above_zero, below_one = exact_sign(entry), exact_sign(1 - entry)
    if above_zero is None or below_one is None:
        raise ValueError(
            f"{role} = {shown} has the entry {entry}, whose position relative to 0 and 1 "
            f"could not be decided exactly; give the entry in a simpler exact form"
        )
    return min(above_zero, below_one) >= (1 if open_interval else 0)


def _check_exact_target(y: sp.Matrix, target: Target) -> None:
    numbers_in_y = [entry for entry in y if entry.is_number]
    if target is Target.ONE_HOT:
        bad = [entry for entry in numbers_in_y if entry not in (sp.S.Zero, sp.S.One)]
        ones = sum(1 for entry in numbers_in_y if entry == 1)
        if bad or ones > 1 or (len(numbers_in_y) == len(y) and ones != 1):
            raise ValueError(
                f"target y = {list(y)} is not one-hot; accepted: exactly one entry 1 and the "
                f"others 0, e.g. [0, 0, 1] for class 3 of 3"
            )
    elif target is Target.PROBABILITY:
        for entry in numbers_in_y:
            inside = entry.is_real and _within(
                entry, open_interval=False, role="target y", shown=list(y)
            )
            if not inside:
                raise ValueError(
                    f"target y = {list(y)} has the entry {entry}; accepted: entries in [0, 1]"
                )


def _check_exact_probabilities(o: sp.Matrix) -> None:
    for entry in o:
        if not entry.is_number:
            continue
        inside = entry.is_real and _within(
            entry, open_interval=True, role="output o", shown=list(o)
        )
        if not inside:
            raise ValueError(
                f"output o = {list(o)} has the entry {entry}; binary cross-entropy takes "
                f"probabilities in (0, 1): apply the sigmoid to the logits first"
            )


def validate(
    o: VectorLike, y: VectorLike, *, target: Target = Target.ONE_HOT
) -> tuple[sp.Matrix, sp.Matrix]:
    """Check an output and a target for a loss; return them as SymPy column vectors.

    Symbolic entries are accepted and left unchecked; numeric entries must be exact.

    Parameters
    ----------
    o, y
        The output and the target: SymPy matrices (column or row) or lists of exact entries.
    target
        The kind of target required (:class:`Target`).

    Raises
    ------
    TypeError
        For a float entry (use ``sympy.Rational``) or an entry that is not a number or a
        SymPy expression.
    ValueError
        For a shape mismatch, a target of the wrong kind (not one-hot, outside [0, 1]) or, for
        :attr:`Target.PROBABILITY`, an output outside (0, 1).

    Examples
    --------
    >>> validate([0, 1, 2], [0, 1, 1])
    Traceback (most recent call last):
    ...
    ValueError: target y = [0, 1, 1] is not one-hot; accepted: exactly one entry 1 and ...
    """
    o_vec, y_vec = _exact_vector(o, "output o"), _exact_vector(y, "target y")
    if o_vec.shape != y_vec.shape:
        raise ValueError(
            f"output o has {o_vec.rows} entries and target y = {list(y_vec)} has {y_vec.rows}; "
            f"they must have the same length"
        )
    _check_exact_target(y_vec, target)
    if target is Target.PROBABILITY:
        _check_exact_probabilities(o_vec)
    return o_vec, y_vec


def _check_batch_target(Y: FloatArray, target: Target) -> None:
    if target is Target.ONE_HOT:
        binary = np.all((Y == 0) | (Y == 1), axis=1)
        rows = np.flatnonzero(~binary | (Y.sum(axis=1) != 1))
        if rows.size:
            raise ValueError(
                f"target row {rows[0]} of Y, {Y[rows[0]].tolist()}, is not one-hot; accepted: "
                f"exactly one entry 1 and the others 0 in each row"
            )
    elif target is Target.PROBABILITY and not np.all((Y >= 0) & (Y <= 1)):
        raise ValueError(f"target Y has entries outside [0, 1]: {Y[(Y < 0) | (Y > 1)][:5]}")


def validate_targets(Y: ArrayLike, *, target: Target) -> FloatArray:
    """Check a batch of targets alone, one sample per row; return it as a float array.

    Parameters
    ----------
    Y
        Targets of shape ``(batch, n)``, finite.
    target
        The kind of target required (:class:`Target`).

    Raises
    ------
    ValueError
        For a shape that is not ``(batch, n)``, non-finite entries, or a row of the wrong
        kind; the message names the row.

    Examples
    --------
    >>> validate_targets([[0.0, 1.0], [0.5, 0.5]], target=Target.ONE_HOT)
    Traceback (most recent call last):
    ...
    ValueError: target row 1 of Y, [0.5, 0.5], is not one-hot; accepted: exactly one entry 1 ...
    """
    Y_arr = np.asarray(Y, dtype=float)
    if Y_arr.ndim != 2:
        raise ValueError(
            f"Y has shape {Y_arr.shape}; a batch of shape (batch, n) is required "
            f"(for one sample use Y[None, :])"
        )
    if not np.all(np.isfinite(Y_arr)):
        raise ValueError("Y has non-finite entries; accepted: finite numbers")
    _check_batch_target(Y_arr, target)
    return Y_arr


def validate_batch(
    O: ArrayLike, Y: ArrayLike, *, target: Target = Target.ONE_HOT
) -> tuple[FloatArray, FloatArray]:
    """Check a batch of outputs and targets; return them as float arrays.

    Parameters
    ----------
    O, Y
        Outputs and targets of shape ``(batch, n)``, one sample per row, finite.
    target
        The kind of target required (:class:`Target`); for :attr:`Target.ONE_HOT` every row of
        ``Y`` must be one-hot.

    Raises
    ------
    ValueError
        For a shape that is not ``(batch, n)``, different shapes, non-finite entries, or a
        target (row) of the wrong kind; the message names the row.

    Examples
    --------
    >>> validate_batch([[0.0, 1.0]], [[1.0, 1.0]])
    Traceback (most recent call last):
    ...
    ValueError: target row 0 of Y, [1.0, 1.0], is not one-hot; accepted: exactly one entry ...
    """
    O_arr, Y_arr = np.asarray(O, dtype=float), np.asarray(Y, dtype=float)
    for label, array in (("O", O_arr), ("Y", Y_arr)):
        if array.ndim != 2:
            raise ValueError(
                f"{label} has shape {array.shape}; a batch of shape (batch, n) is required "
                f"(for one sample use {label}[None, :])"
            )
        if not np.all(np.isfinite(array)):
            raise ValueError(f"{label} has non-finite entries; accepted: finite numbers")
    if O_arr.shape != Y_arr.shape:
        raise ValueError(
            f"output O has shape {O_arr.shape} and target Y has shape {Y_arr.shape}; "
            f"they must be equal"
        )
    _check_batch_target(Y_arr, target)
    if target is Target.PROBABILITY and not np.all((O_arr > 0) & (O_arr < 1)):
        raise ValueError(
            "output O has entries outside (0, 1); binary cross-entropy takes probabilities: "
            "apply the sigmoid to the logits first"
        )
    return O_arr, Y_arr


def random_targets(
    target: Target, rng: np.random.Generator, batch: int, n: int
) -> NDArray[np.float64]:
    """``batch`` random targets of ``n`` entries of the kind ``target`` (a numeric check's
    test data): one-hot rows, probabilities in (0.05, 0.95), or standard normal values."""
    if target is Target.ONE_HOT:
        eye: NDArray[np.float64] = np.eye(n)[rng.integers(0, n, batch)]
        return eye
    if target is Target.PROBABILITY:
        return rng.uniform(0.05, 0.95, size=(batch, n))
    return rng.normal(size=(batch, n))
