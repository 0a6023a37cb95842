"""Exact arrays of rational numbers, vectorised with NumPy.

A :class:`RationalArray` holds numerators and denominators as NumPy integer arrays, so that
every operation is exact while the loop over the elements runs inside NumPy.  This is what
lets :mod:`symdl.depth.piecewise` compose functions with millions of pieces (the sawtooth
:math:`m^{20}` has :math:`2^{20}`): a :class:`fractions.Fraction` per element would cost a
Python-level object and a gcd per operation, tens of times slower.

Integers are stored as ``int64`` while they are small and as Python integers (object arrays,
arbitrary precision) otherwise.  Every product checks the magnitudes of its factors first and
switches to Python integers when the result could exceed :math:`2^{62}`, so the fast path can
never overflow; :meth:`RationalArray.reduced` moves small results back to ``int64``.

Arithmetic returns *unreduced* arrays (numerator and denominator may share a factor); call
:meth:`RationalArray.reduced` once at the end of a computation.  Comparisons are exact by
cross-multiplication and do not need reduced input.  Denominators are always positive.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Union

import numpy as np
from numpy.typing import NDArray

from symdl.core.exact import exact_fraction

__all__ = ["RationalArray", "Scalar"]

ObjectArray = NDArray[Any]
Scalar = Union[int, Fraction]  # noqa: UP007 (a runtime alias on Python 3.10)
Integers = Union[ObjectArray, int]  # noqa: UP007 (an int64 or object array, or a Python int)

SAFE = 2**62
"""Products of factors whose magnitudes multiply to less than this stay in ``int64``."""


def _magnitude(a: Integers) -> int:
    if isinstance(a, int):
        return abs(a)
    return int(np.max(np.abs(a))) if len(a) else 0


def _small(a: Integers) -> bool:
    return isinstance(a, int) or a.dtype == np.int64


def _wide(a: Integers) -> Integers:
    return a if isinstance(a, int) or a.dtype == object else a.astype(object)


def _multiply(a: Integers, b: Integers) -> Any:
    """The exact elementwise product, in ``int64`` when it surely fits."""
    if _small(a) and _small(b) and _magnitude(a) * _magnitude(b) < SAFE:
        return np.multiply(a, b, dtype=np.int64)
    return np.multiply(_wide(a), _wide(b))


def _narrow(a: ObjectArray) -> ObjectArray:
    """``int64`` when every element is small, else Python integers."""
    if a.dtype == np.int64:
        return a
    if _magnitude(a) < SAFE:
        return a.astype(np.int64)
    return a


def _integer_array(values: list[int]) -> ObjectArray:
    array = np.empty(len(values), dtype=object)
    array[:] = values
    return _narrow(array)


@dataclass(frozen=True, eq=False)
class RationalArray:
    """A one-dimensional array of exact rationals ``num / den`` (``den > 0``).

    Examples
    --------
    >>> from fractions import Fraction
    >>> a = RationalArray.of([Fraction(1, 2), 3])
    >>> (a * Fraction(2, 3) + 1).reduced().to_fractions()
    [Fraction(4, 3), Fraction(3, 1)]
    """

    num: ObjectArray
    den: ObjectArray

    # --- construction ------------------------------------------------------------------------

    @classmethod
    def of(cls, values: Iterable[Scalar]) -> RationalArray:
        """The array of the given exact numbers (as :func:`symdl.core.exact.exact_fraction`
        reads them: floats, booleans and text are refused).

        Examples
        --------
        >>> RationalArray.of([1, Fraction(-2, 4)]).to_fractions()
        [Fraction(1, 1), Fraction(-1, 2)]
        >>> RationalArray.of([0.5])
        Traceback (most recent call last):
        ...
        TypeError: values[0]=0.5 is a float and symdl computes exactly; give an int, ...
        """
        fractions = [exact_fraction(value, name=f"values[{i}]") for i, value in enumerate(values)]
        return cls(
            _integer_array([f.numerator for f in fractions]),
            _integer_array([f.denominator for f in fractions]),
        )

    @classmethod
    def integers(cls, values: ObjectArray) -> RationalArray:
        """The array ``values / 1`` for an array of Python integers."""
        num = _narrow(np.asarray(values).astype(object))
        return cls(num, np.ones(len(num), dtype=np.int64))

    @staticmethod
    def concatenate(parts: Sequence[RationalArray]) -> RationalArray:
        """The parts one after the other."""
        if not parts:
            return RationalArray.of([])
        return RationalArray(
            np.concatenate([p.num for p in parts]), np.concatenate([p.den for p in parts])
        )

    # --- element access ----------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self.num)

    def __getitem__(self, index: Any) -> RationalArray:
        """A sub-array (slice, boolean mask or integer index array)."""
        return RationalArray(self.num[index], self.den[index])

    def item(self, i: int) -> Fraction:
        """Element ``i`` as a :class:`fractions.Fraction`."""
        return Fraction(int(self.num[i]), int(self.den[i]))

    def to_fractions(self) -> list[Fraction]:
        """The elements as fractions (reduced)."""
        return [Fraction(int(n), int(d)) for n, d in zip(self.num, self.den, strict=True)]

    def to_float(self) -> NDArray[np.float64]:
        """Float64 approximations (exactly rounded when the integers are below 2^53)."""
        if len(self) == 0:
            return np.empty(0)
        return np.asarray(self.num / self.den, dtype=float)

    # --- arithmetic (results are unreduced) --------------------------------------------------

    @staticmethod
    def _parts(other: RationalArray | Scalar) -> tuple[Any, Any]:
        if isinstance(other, RationalArray):
            return other.num, other.den
        value = Fraction(other)
        return value.numerator, value.denominator

    def reduced(self) -> RationalArray:
        """The same values with coprime numerators and denominators."""
        if len(self) == 0:
            return self
        g = np.gcd(self.num, self.den)
        return RationalArray(_narrow(self.num // g), _narrow(self.den // g))

    def __add__(self, other: RationalArray | Scalar) -> RationalArray:
        n, d = self._parts(other)
        return RationalArray(
            _multiply(self.num, d) + _multiply(n, self.den), _multiply(self.den, d)
        )

    def __sub__(self, other: RationalArray | Scalar) -> RationalArray:
        n, d = self._parts(other)
        return RationalArray(
            _multiply(self.num, d) - _multiply(n, self.den), _multiply(self.den, d)
        )

    def __rsub__(self, other: Scalar) -> RationalArray:
        return (-self) + other

    def __mul__(self, other: RationalArray | Scalar) -> RationalArray:
        n, d = self._parts(other)
        return RationalArray(_multiply(self.num, n), _multiply(self.den, d))

    def __truediv__(self, other: RationalArray | Scalar) -> RationalArray:
        """Division; a zero divisor raises :class:`ZeroDivisionError`."""
        n, d = self._parts(other)
        if np.any(np.asarray(n) == 0):
            raise ZeroDivisionError(
                f"division of a RationalArray by zero (at index "
                f"{int(np.flatnonzero(np.atleast_1d(np.asarray(n) == 0))[0])} of the divisor)"
            )
        num, den = _multiply(self.num, d), _multiply(self.den, n)
        negative = den < 0
        if np.any(negative):
            num = np.where(negative, -num, num)
            den = np.where(negative, -den, den)
        return RationalArray(num, den)

    def __neg__(self) -> RationalArray:
        return RationalArray(-self.num, self.den)

    __radd__ = __add__
    __rmul__ = __mul__

    # --- comparisons (exact, elementwise) ----------------------------------------------------

    def sign(self) -> NDArray[np.int64]:
        """-1, 0 or 1 per element."""
        return (self.num > 0).astype(np.int64) - (self.num < 0).astype(np.int64)

    def less(self, other: RationalArray | Scalar) -> NDArray[np.bool_]:
        """``self < other`` elementwise."""
        n, d = self._parts(other)
        return np.asarray(_multiply(self.num, d) < _multiply(n, self.den), dtype=bool)

    def equal(self, other: RationalArray | Scalar) -> NDArray[np.bool_]:
        """``self == other`` elementwise."""
        n, d = self._parts(other)
        return np.asarray(_multiply(self.num, d) == _multiply(n, self.den), dtype=bool)

    # --- search ------------------------------------------------------------------------------

    def searchsorted(self, queries: RationalArray, *, right: bool = False) -> NDArray[np.int64]:
        """Exact :func:`numpy.searchsorted` of ``queries`` in this strictly increasing array.

        With ``right=False`` the index is the number of elements ``< q``; with ``right=True``
        the number of elements ``<= q``.  A float guess is corrected exactly, element by
        element, so ties and values closer than float resolution are placed correctly.
        """
        m = len(self)
        if m == 0 or len(queries) == 0:
            return np.zeros(len(queries), dtype=np.int64)
        try:
            guess = np.searchsorted(
                self.to_float(), queries.to_float(), side="right" if right else "left"
            ).astype(np.int64)
        except OverflowError:
            return self._bisect(queries, right=right)
        return self._correct(guess, queries, right=right)

    def _correct(
        self, idx: NDArray[np.int64], queries: RationalArray, *, right: bool
    ) -> NDArray[np.int64]:
        m = len(self)

        def before(i: NDArray[np.int64], q: RationalArray) -> NDArray[np.bool_]:
            # element i belongs before the query: B[i] < q (left) or B[i] <= q (right)
            b = self[i]
            return ~q.less(b) if right else b.less(q)

        while True:
            down = np.flatnonzero(idx > 0)
            down = down[~before(idx[down] - 1, queries[down])]
            up = np.flatnonzero(idx < m)
            up = up[before(idx[up], queries[up])]
            if len(down) == 0 and len(up) == 0:
                return idx
            idx[down] -= 1
            idx[up] += 1

    def _bisect(self, queries: RationalArray, *, right: bool) -> NDArray[np.int64]:
        keys = self.to_fractions()
        find = bisect.bisect_right if right else bisect.bisect_left
        return np.array([find(keys, q) for q in queries.to_fractions()], dtype=np.int64)
