r"""Naming what is wrong with a different answer, from its values: a factor, a sign, an offset.

Once :mod:`symdl.referee.equivalence` has found that a submitted gradient :math:`s` differs from the
true one :math:`t`, the values at the sample points tell *how* it differs when the relation
is simple:

- :math:`s = c\,t` for one rational constant :math:`c` at every point: a constant factor
  (``Mistake.CONSTANT_FACTOR``, e.g. a lost factor 2), or a sign
  (``Mistake.SIGN``) when :math:`c = -1`;
- :math:`s = t + c`: an additive constant (``Mistake.CONSTANT_OFFSET``).

The ratio (or the difference) is compared exactly where both values are rational, and to the
check's tolerance otherwise; a constant seen only to 40 digits is accepted as rational when a
fraction with a denominator of at most :math:`10^6` matches it to the tolerance.  The relation
is a diagnosis for the student, never the proof of the verdict: the verdict itself is decided
by :mod:`symdl.referee.equivalence`.  :func:`reason` turns the recognised mistakes into one
sentence.

Examples
--------
>>> from fractions import Fraction
>>> import mpmath
>>> t = [(Fraction(1), mpmath.mpf(1)), (Fraction(3), mpmath.mpf(3))]
>>> s = [(Fraction(2), mpmath.mpf(2)), (Fraction(6), mpmath.mpf(6))]
>>> constant_relation(t, s, mpmath.mpf(10) ** -40)
((<Mistake.CONSTANT_FACTOR: 'off by a constant factor'>,), 2)
>>> reason((Mistake.SIGN,), -1, (1, 1), 1, None)
'the sign is wrong (the answer is minus the gradient)'
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from fractions import Fraction
from typing import Any

import mpmath
import sympy as sp

from symdl.referee.verdict import Mistake

__all__ = ["common_rational", "constant_relation", "reason"]

#: A value at one point, exact when rational (else None) and to high precision (mpmath).
Value = tuple[Fraction | None, Any]


def common_rational(values: Sequence[Value], tolerance: Any) -> sp.Rational | None:
    """The common value of ``values`` if it is one rational number, else ``None``.

    Exact values are compared exactly; otherwise the mpmath values must agree to the relative
    ``tolerance``, and their common value must be a fraction with a denominator of at most
    :math:`10^6` (to that tolerance).  Fewer than two values prove nothing: ``None``.

    >>> import mpmath
    >>> third = (None, mpmath.mpf(1) / 3)
    >>> common_rational([third, third], mpmath.mpf(10) ** -40)
    1/3
    """
    if len(values) < 2:
        return None
    exact = [value for value, _ in values]
    if all(value is not None for value in exact):
        first = exact[0]
        assert first is not None  # for mypy: every value is exact here
        if any(value != first for value in exact):
            return None
        return sp.Rational(first.numerator, first.denominator)
    numbers = [number for _, number in values]
    if any(isinstance(v, mpmath.mpc) for v in numbers):
        return None
    first = numbers[0]
    scale = tolerance * max(1, abs(first))
    if any(abs(v - first) > scale for v in numbers):
        return None
    guess = Fraction(mpmath.nstr(first, 40, min_fixed=-math.inf, max_fixed=math.inf))
    guess = guess.limit_denominator(10**6)
    if abs(first - mpmath.mpf(guess.numerator) / guess.denominator) > scale:
        return None
    return sp.Rational(guess.numerator, guess.denominator)


def constant_relation(
    truth: Sequence[Value], submitted: Sequence[Value], tolerance: Any
) -> tuple[tuple[Mistake, ...], sp.Rational | None]:
    """How ``submitted`` relates to ``truth`` at the same points: a factor or an offset.

    Returns the recognised mistake (SIGN or CONSTANT_FACTOR with the factor, or
    CONSTANT_OFFSET with the offset), or ``((), None)``.  Points where either value is
    undefined (``None``) are skipped, as are zero true values for the ratio.
    """
    ratios: list[Value] = []
    offsets: list[Value] = []
    scaled = True  # no point where the truth is 0 and the answer is not (c·0 = 0)
    for (te, t), (se, s) in zip(truth, submitted, strict=True):
        if t is None or s is None:
            continue
        both = te is not None and se is not None
        offsets.append(((se - te) if both else None, s - t))  # type: ignore[operator]
        if t != 0:
            ratios.append(((se / te) if both else None, s / t))  # type: ignore[operator]
        elif (se != 0) if both else abs(s) > tolerance:
            scaled = False
    factor = common_rational(ratios, tolerance) if scaled else None
    if factor is not None and factor not in (0, 1):
        return ((Mistake.SIGN,) if factor == -1 else (Mistake.CONSTANT_FACTOR,)), factor
    offset = common_rational(offsets, tolerance)
    if offset is not None and offset != 0:
        return (Mistake.CONSTANT_OFFSET,), offset
    return (), None


def reason(
    mistakes: Sequence[Mistake],
    factor: sp.Expr | None,
    shape: tuple[int, int],
    wrong: int,
    worst: tuple[int, int] | None,
) -> str:
    """One sentence for a student: the recognised mistakes, and which entries are wrong.

    ``factor`` is the constant of a factor, sign or offset mistake; ``wrong`` the number of
    wrong entries of a gradient of ``shape``, ``worst`` the 0-based index of the worst one.
    """
    parts = []
    if Mistake.TRANSPOSED in mistakes:
        parts.append("the answer is the transpose of the gradient")
    if Mistake.SIGN in mistakes:
        parts.append("the sign is wrong (the answer is minus the gradient)")
    if Mistake.CONSTANT_FACTOR in mistakes:
        parts.append(f"the answer is {factor} times the gradient (a constant factor)")
    if Mistake.DERIVATIVE_AS_FUNCTION in mistakes:
        parts.append("an activation's derivative is written as the activation itself "
                     "(σ'(z) as σ(z), tanh' as tanh, relu' as relu)")  # fmt: skip
    if Mistake.MISSING_DERIVATIVE in mistakes:
        parts.append("an activation's derivative (σ'(z)) is missing from the chain rule")
    if Mistake.CONSTANT_OFFSET in mistakes:
        parts.append(f"the answer differs from the gradient by the constant {factor}")
    if worst is not None and wrong:
        n = shape[0] * shape[1]
        parts.append(
            f"{wrong} of {n} entries differ; the worst is entry ({worst[0] + 1}, {worst[1] + 1})"
        )
    return "; ".join(parts) or "differs from the true gradient"
