r"""Exact numbers: the one converter of user values to exact numbers, and its narrowings.

symdl computes exactly.  Every value a user gives where an exact number is needed goes through
:func:`exact_number` (a SymPy number or expression), :func:`exact_rational` (a SymPy rational)
or :func:`exact_fraction` (a :class:`fractions.Fraction`, for the vectorised exact code), all
with one set of rules:

- accepted: ``int`` (and NumPy integers), :class:`fractions.Fraction`, SymPy rationals,
  :class:`decimal.Decimal` (converted exactly: ``Decimal('0.1')`` is :math:`1/10`), and, for
  :func:`exact_number`, SymPy expressions;
- a float (Python, NumPy or a SymPy ``Float``) is refused unless the caller chooses a
  :class:`FloatConversion` (``0.1`` as :math:`1/10`, or as the float's exact binary value);
  a float that is not finite is never a number;
- a boolean is refused (``True`` is not the number 1);
- text is never parsed by these: where a documented input is text (a file, the command line),
  :func:`exact_from_text` reads it with bounds on its characters, digits and exponent.

:func:`positive`, :func:`positive_integer`, :func:`nonnegative` and :func:`in_interval` convert
and then check where the number lies.
"""

from __future__ import annotations

import enum
import functools
import re
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

import numpy as np
import sympy as sp

from symdl.core.exceptions import shown as _shown_at

__all__ = [
    "FloatConversion",
    "TextLimits",
    "exact_fraction",
    "exact_from_text",
    "exact_matrix",
    "exact_number",
    "exact_rational",
    "in_interval",
    "nonnegative",
    "positive",
    "positive_integer",
    "to_rational",
]

MAX_DECIMAL_EXPONENT = 10_000
"""The largest exponent magnitude of a :class:`~decimal.Decimal` converted exactly
(``Decimal('1e1000000000')`` would otherwise be a number of a billion digits)."""

_ACCEPTED = "int, fractions.Fraction, sympy.Rational or decimal.Decimal"


class FloatConversion(enum.Enum):
    """What to do with a float where symdl needs an exact number."""

    REJECT = "reject"
    """Raise :class:`TypeError` (the default: exactness is never lost silently)."""
    DECIMAL = "decimal"
    """The float's shortest decimal representation (``0.1`` becomes ``1/10``)."""
    BINARY = "binary"
    """The float's exact binary value (``0.1`` becomes ``3602879701896397/36028797018963968``)."""


_shown = functools.partial(_shown_at, width=60)


def _float_error(name: str, value: object) -> TypeError:
    decimal = repr(float(value)) if isinstance(value, (float, np.floating)) else str(value)
    return TypeError(
        f"{name}={_shown(value)} is a float and symdl computes exactly; give an int, a "
        f"fractions.Fraction or a sympy.Rational (Fraction('{decimal}') for the decimal, "
        f"Fraction({decimal}) for the float's binary value), or, where a floats= option is "
        f"offered, pass floats=FloatConversion.DECIMAL (0.1 -> 1/10) or FloatConversion.BINARY "
        f"(the float's exact binary value)"
    )


def _from_float(value: float, name: str, floats: FloatConversion) -> sp.Rational:
    if not np.isfinite(value):
        raise ValueError(f"{name}={value!r} is not finite; give a finite number")
    if floats is FloatConversion.REJECT:
        raise _float_error(name, value)
    if floats is FloatConversion.DECIMAL:
        return sp.Rational(repr(float(value)))
    return sp.Rational(*float(value).as_integer_ratio())


def _from_decimal(value: Decimal, name: str) -> sp.Rational:
    if not value.is_finite():
        raise ValueError(f"{name}={value!r} is not finite; give a finite number")
    exponent = int(value.as_tuple().exponent)  # an int for every finite Decimal
    if abs(exponent) > MAX_DECIMAL_EXPONENT:
        raise ValueError(
            f"{name}={_shown(value)}: the exponent {exponent} is beyond "
            f"±{MAX_DECIMAL_EXPONENT}; give the number as a fractions.Fraction or a "
            f"sympy.Rational if it is really meant"
        )
    return sp.Rational(*value.as_integer_ratio())


def exact_number(
    value: Any, *, name: str = "value", floats: FloatConversion = FloatConversion.REJECT
) -> sp.Expr:
    """Convert one user value to an exact SymPy number (or keep a SymPy expression).

    Parameters
    ----------
    value
        An ``int``, a :class:`~fractions.Fraction`, a :class:`~decimal.Decimal` (exactly), a
        SymPy expression (kept; its ``Float`` atoms are floats), or a float if ``floats``
        says how to convert it.  Booleans and text are refused.
    name
        The name of the value in error messages.
    floats
        What to do with a float (default: refuse it).

    Raises
    ------
    TypeError
        For a float (unless converted), a boolean, text, or any other type.
    ValueError
        For a float or Decimal that is not finite, or a Decimal of exponent beyond
        ±:data:`MAX_DECIMAL_EXPONENT`.

    Examples
    --------
    >>> exact_number(0.1, floats=FloatConversion.DECIMAL)
    1/10
    >>> exact_number(Fraction(2, 3)), exact_number(Decimal("0.25"))
    (2/3, 1/4)
    >>> exact_number(True)
    Traceback (most recent call last):
    ...
    TypeError: value=True is a boolean, not a number; give an int (1 or 0), ...
    """
    if isinstance(value, (bool, np.bool_)):
        raise TypeError(
            f"{name}={value!r} is a boolean, not a number; give an int (1 or 0), a "
            f"fractions.Fraction or a sympy.Rational"
        )
    if isinstance(value, (int, np.integer)):
        return sp.Integer(int(value))
    if isinstance(value, Fraction):
        return sp.Rational(value.numerator, value.denominator)
    if isinstance(value, (float, np.floating)):
        return _from_float(float(value), name, floats)
    if isinstance(value, Decimal):
        return _from_decimal(value, name)
    if isinstance(value, sp.Basic):
        if not isinstance(value, sp.Expr):
            raise TypeError(
                f"{name}={_shown(value)} (a {type(value).__name__}) is not a number; "
                f"accepted: {_ACCEPTED} or a SymPy expression"
            )
        if isinstance(value, sp.Float) and floats is FloatConversion.REJECT:
            raise _float_error(name, value)
        if value.has(sp.Float):
            if floats is FloatConversion.REJECT:
                raise TypeError(
                    f"{name}={_shown(value)} contains a SymPy Float; use sympy.Rational, or, "
                    f"where a floats= option is offered, pass floats=FloatConversion.DECIMAL "
                    f"or FloatConversion.BINARY"
                )
            if floats is FloatConversion.BINARY:  # each Float's exact binary value
                return value.xreplace({f: sp.Rational(f) for f in value.atoms(sp.Float)})
            return sp.nsimplify(value, rational=True)
        return value
    if isinstance(value, (str, bytes)):
        raise TypeError(
            f"{name}={_shown(value)} is text, not a number: symdl does not parse text here; "
            f"give an {_ACCEPTED} (text read from a file goes through exact_from_text)"
        )
    raise TypeError(
        f"{name}={_shown(value)} (type {type(value).__name__}) is not a number; accepted: "
        f"{_ACCEPTED} or a SymPy expression (floats on request)"
    )


def exact_rational(
    value: Any, *, name: str = "value", floats: FloatConversion = FloatConversion.REJECT
) -> sp.Rational:
    """:func:`exact_number`, narrowed to a rational number.

    Examples
    --------
    >>> exact_rational(Fraction(-3, 4)), exact_rational(sp.Integer(2))
    (-3/4, 2)
    >>> exact_rational(sp.sqrt(2))
    Traceback (most recent call last):
    ...
    ValueError: value=sqrt(2) is not a rational number; accepted: int, ...
    """
    number = exact_number(value, name=name, floats=floats)
    if not isinstance(number, sp.Rational):
        raise ValueError(
            f"{name}={_shown(number)} is not a rational number; accepted: {_ACCEPTED} "
            f"(a rational value, not a symbol or an irrational constant)"
        )
    return number


def exact_fraction(
    value: Any, *, name: str = "value", floats: FloatConversion = FloatConversion.REJECT
) -> Fraction:
    """:func:`exact_rational` as a :class:`~fractions.Fraction` (for exact vectorised code).

    Examples
    --------
    >>> exact_fraction(sp.Rational(3, 4)), exact_fraction(7)
    (Fraction(3, 4), Fraction(7, 1))
    >>> exact_fraction(0.5)
    Traceback (most recent call last):
    ...
    TypeError: value=0.5 is a float and symdl computes exactly; give an int, ...
    """
    kind = type(value)
    if kind is int:  # the common cases first (bool is a subclass, not this type)
        return Fraction(value)
    if kind is Fraction:
        return value
    number = exact_rational(value, name=name, floats=floats)
    return Fraction(int(number.p), int(number.q))


# --- text ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TextLimits:
    """Bounds on a number read from text: checked before the number is computed."""

    max_chars: int = 400
    """The most characters (after stripping blanks)."""
    max_digits: int = 400
    """The most digits of the numerator, of the denominator, or of a decimal's digits."""
    max_exponent: int = 400
    """The largest magnitude of a decimal exponent (``1e400``)."""
    how_to_raise: str = "pass limits=TextLimits(...) with a larger bound"
    """What an error says to do to read a larger number."""


_TEXT = re.compile(
    r"(?P<sign>[-+]?)(?:(?P<num>[0-9]+)/(?P<den>[0-9]+)"
    r"|(?P<whole>[0-9]*)(?:\.(?P<frac>[0-9]*))?(?:[eE](?P<exp>[-+]?[0-9]+))?)"
)


def to_rational(value: Fraction) -> sp.Rational:
    """The SymPy rational of a :class:`~fractions.Fraction` (the inverse of
    :func:`exact_fraction`).

    >>> to_rational(Fraction(-3, 4))
    -3/4
    """
    return sp.Rational(value.numerator, value.denominator)


def exact_from_text(
    text: str, *, name: str = "value", limits: TextLimits = TextLimits()
) -> sp.Rational:
    """The exact number written in ``text``: an integer, ``p/q`` or a decimal (``1.5e-3``).

    This is the one reader of numbers written as text (files, the command line).  Nothing is
    evaluated: the text must match the grammar ``[+-] digits / digits`` or
    ``[+-] digits [. digits] [e [+-] digits]`` (ASCII digits, blanks around it ignored), and
    its length, digits and exponent are bounded by ``limits`` before any number is built.

    Raises
    ------
    TypeError
        If ``text`` is not a ``str``.
    ValueError
        If it is not a number of that grammar, exceeds a bound, or divides by 0.

    Examples
    --------
    >>> exact_from_text("1.5e-3"), exact_from_text(" -5/2 "), exact_from_text("7")
    (3/2000, -5/2, 7)
    >>> exact_from_text("1e1000000000")
    Traceback (most recent call last):
    ...
    ValueError: value='1e1000000000': the exponent 1000000000 is beyond ±400 (pass limits=...
    """
    if not isinstance(text, str):
        raise TypeError(
            f"{name}={_shown(text)} (type {type(text).__name__}) is not text; give a str "
            f"such as '3', '-5/2' or '1.5e-3'"
        )
    stripped = text.strip()
    if len(stripped) > limits.max_chars:
        raise ValueError(
            f"{name}={_shown(text)}: a number of {len(stripped):,} characters; at most "
            f"{limits.max_chars} are read ({limits.how_to_raise})"
        )
    match = _TEXT.fullmatch(stripped)
    if match is None or not (match["num"] or match["whole"] or match["frac"]):
        raise ValueError(
            f"{name}={_shown(text)} is not a number; write an integer, 'p/q' or a decimal "
            f"such as '0.25' or '1.5e-3'"
        )
    sign = -1 if match["sign"] == "-" else 1
    if match["num"] is not None:
        digits = max(len(match["num"]), len(match["den"]))
        if digits > limits.max_digits:
            raise ValueError(
                f"{name}={_shown(text)}: {digits:,} digits; at most {limits.max_digits} are "
                f"read ({limits.how_to_raise})"
            )
        if int(match["den"]) == 0:
            raise ValueError(f"{name}={_shown(text)} divides by 0; give a nonzero denominator")
        return sp.Rational(sign * int(match["num"]), int(match["den"]))
    whole, frac = match["whole"] or "", match["frac"] or ""
    if len(whole) + len(frac) > limits.max_digits:
        raise ValueError(
            f"{name}={_shown(text)}: {len(whole) + len(frac):,} digits; at most "
            f"{limits.max_digits} are read ({limits.how_to_raise})"
        )
    exponent = int(match["exp"]) if match["exp"] else 0
    if abs(exponent) > limits.max_exponent:
        raise ValueError(
            f"{name}={_shown(text)}: the exponent {exponent} is beyond ±{limits.max_exponent} "
            f"({limits.how_to_raise})"
        )
    mantissa = sign * int(whole + frac or "0")
    power = exponent - len(frac)
    return sp.Rational(mantissa * 10**power) if power >= 0 else sp.Rational(mantissa, 10**-power)


# --- narrowings --------------------------------------------------------------------------------


def _interval_text(interval: sp.Interval) -> str:
    def end(value: sp.Expr) -> str:
        return "∞" if value is sp.oo else "-∞" if value is sp.S.NegativeInfinity else str(value)

    left = "(" if interval.left_open else "["
    right = ")" if interval.right_open else "]"
    return f"{left}{end(interval.start)}, {end(interval.end)}{right}"


def positive(
    value: Any,
    *,
    name: str = "value",
    floats: FloatConversion = FloatConversion.REJECT,
    reason: str = "",
) -> sp.Expr:
    """:func:`exact_number`, required positive and finite (a Symbol with ``positive=True`` is).

    ``reason`` (why it must be positive) is added to the error message.

    Examples
    --------
    >>> positive(Fraction(1, 2), name="eta")
    1/2
    >>> positive(0, name="eta", reason="a step size")
    Traceback (most recent call last):
    ...
    ValueError: eta=0 must be positive (a step size); give a positive number ...
    """
    number = exact_number(value, name=name, floats=floats)
    if number.is_positive is True:
        return number
    why = f" ({reason})" if reason else ""
    verb = "must be positive" if number.is_positive is False else "is not known to be positive"
    raise ValueError(
        f"{name}={_shown(number)} {verb}{why}; give a positive number or a Symbol with "
        f"positive=True"
    )


def positive_integer(
    value: Any,
    *,
    name: str = "value",
    floats: FloatConversion = FloatConversion.REJECT,
    reason: str = "",
) -> sp.Expr:
    """:func:`exact_number`, required an integer ≥ 1 (or a Symbol with ``integer=True,
    positive=True``).

    Examples
    --------
    >>> positive_integer(3, name="n")
    3
    >>> positive_integer(sp.Rational(3, 2), name="n")
    Traceback (most recent call last):
    ...
    ValueError: n=3/2 is not an integer ≥ 1; give an integer ≥ 1 ...
    """
    number = exact_number(value, name=name, floats=floats)
    if number.is_integer is True and number.is_positive is True:
        return number
    why = f" ({reason})" if reason else ""
    raise ValueError(
        f"{name}={_shown(number)} is not an integer ≥ 1{why}; give an integer ≥ 1 or a Symbol "
        f"with integer=True, positive=True"
    )


def nonnegative(
    value: Any,
    *,
    name: str = "value",
    floats: FloatConversion = FloatConversion.REJECT,
    reason: str = "",
) -> sp.Expr:
    """:func:`exact_number`, required ≥ 0 and finite (a Symbol with ``nonnegative=True`` is).

    Examples
    --------
    >>> nonnegative(0, name="margin")
    0
    >>> nonnegative(-1, name="margin")
    Traceback (most recent call last):
    ...
    ValueError: margin=-1 must be ≥ 0; give a number ≥ 0 ...
    """
    number = exact_number(value, name=name, floats=floats)
    if number.is_nonnegative is True and number.is_finite is True:
        return number
    why = f" ({reason})" if reason else ""
    verb = "must be ≥ 0" if number.is_negative is True else "is not known to be ≥ 0 and finite"
    raise ValueError(
        f"{name}={_shown(number)} {verb}{why}; give a number ≥ 0 or a Symbol with nonnegative=True"
    )


def in_interval(
    value: Any,
    interval: sp.Interval,
    *,
    name: str = "value",
    floats: FloatConversion = FloatConversion.REJECT,
    reason: str = "",
) -> sp.Expr:
    """:func:`exact_number`, required to lie in ``interval`` (a :class:`sympy.Interval`).

    Examples
    --------
    >>> in_interval(Fraction(1, 2), sp.Interval.Ropen(0, 1), name="p")
    1/2
    >>> in_interval(1, sp.Interval.Ropen(0, 1), name="p")
    Traceback (most recent call last):
    ...
    ValueError: p=1 is not in [0, 1); give a number in [0, 1)
    """
    if not isinstance(interval, sp.Interval):
        raise TypeError(
            f"interval={_shown(interval)} is not a sympy.Interval; give one, e.g. "
            f"sympy.Interval(0, 1) or sympy.Interval.Ropen(0, 1)"
        )
    number = exact_number(value, name=name, floats=floats)
    inside = interval.contains(number)
    if inside is sp.true:
        return number
    shown = _interval_text(interval)
    why = f" ({reason})" if reason else ""
    verb = "is not in" if inside is sp.false else "is not known to be in"
    raise ValueError(f"{name}={_shown(number)} {verb} {shown}{why}; give a number in {shown}")


# --- matrices ----------------------------------------------------------------------------------


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
