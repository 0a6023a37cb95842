r"""Rigorous enclosures of an expression's value at an exact point (interval arithmetic).

Evaluation to 50 digits can lose every digit to a cancellation: at :math:`x = 536`,
:math:`\cosh^2 x - \sinh^2 x` is computed as 0 (the terms have 465 digits), and at every
precision below 465 digits it stays 0, so a gap that is "stable" across precisions can still
be rounding.  :func:`interval_value` walks the expression tree with mpmath's interval
arithmetic (:mod:`mpmath.iv`): every operation returns an interval guaranteed to contain the
exact result, so two disjoint enclosures *prove* that two values differ, and a narrow
enclosure shows how many digits are right.  :mod:`symdl.referee.equivalence` uses it to confirm a
difference found at high precision before calling an answer wrong.

Functions mpmath has no interval form of are enclosed through their monotonicity: the value
at each end, computed 10 digits beyond the working precision and widened outward by
:math:`10^{-\mathrm{dps}}` relative, which covers mpmath's rounding of a few units in the
last place.  A node with no enclosure (a complex value, a kink whose argument's sign the
enclosure cannot tell) gives ``None``: the caller then decides nothing at that point.

Examples
--------
>>> import sympy as sp
>>> x = sp.Symbol("x", real=True)
>>> enclosure = interval_value(sp.cosh(x)**2 - sp.sinh(x)**2, {x: sp.Integer(536)}, dps=50)
>>> enclosure.delta > 1  # 50 digits tell nothing about a difference of 465-digit numbers
True
>>> enclosure = interval_value(sp.cosh(x)**2 - sp.sinh(x)**2, {x: sp.Integer(536)}, dps=600)
>>> 1 in enclosure and enclosure.delta < sp.Float("1e-100")
True
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import mpmath
import sympy as sp

from symdl.core.activations import activation_of_function
from symdl.core.special_functions import ELU, Sigmoid, Softplus
from symdl.referee.pointwise import MAX_ARGUMENT, MAX_PERIODIC_ARGUMENT, UnrepresentableError

__all__ = ["interval_value"]

iv = mpmath.iv
Point = Mapping[sp.Symbol, sp.Rational]


class _NoEnclosureError(Exception):
    """The node has no interval form here: the point decides nothing."""


def _ends(t: Any) -> tuple[Any, Any]:
    """The ends of ``t`` as mpmath numbers, exactly (at the interval's own precision)."""
    with mpmath.workprec(iv.prec):
        return mpmath.mpf(t.a), mpmath.mpf(t.b)


def _hull(low: Any, high: Any) -> Any:
    return iv.mpf([low, high])


def _widened(low: Any, high: Any) -> Any:
    """[low, high] widened outward by 10^-dps relative (and absolute, near 0), in interval
    arithmetic so that the widening itself is rounded outward."""
    eps = iv.mpf(10) ** -(iv.dps - 5)
    return _hull(low, high) * (1 + iv.mpf([-1, 1]) * eps) + iv.mpf([-1, 1]) * eps**2


def _monotone(function: Callable[[Any], Any], increasing: bool = True) -> Callable[[Any], Any]:
    def enclose(t: Any) -> Any:
        a, b = _ends(t)
        with mpmath.workdps(iv.dps + 10):
            fa, fb = function(a), function(b)
        return _widened(fa, fb) if increasing else _widened(fb, fa)

    return enclose


def _bounded(function: Callable[[Any], Any], bound: Any = MAX_ARGUMENT) -> Callable[[Any], Any]:
    """``function`` refusing an argument beyond ``bound``, as :mod:`symdl.referee.pointwise`
    does (an exponential that would not fit in memory, a reduction modulo 2π too long)."""

    def enclose(t: Any) -> Any:
        a, b = _ends(t)
        if max(abs(a), abs(b)) > bound:
            raise UnrepresentableError(f"{function.__name__} of an argument beyond {bound}")
        return function(t)

    enclose.__name__ = getattr(function, "__name__", "function")
    return enclose


def _exp(t: Any) -> Any:
    return iv.exp(t)


def _cosh(t: Any) -> Any:
    a, b = _ends(t)
    if a <= 0 <= b:  # cosh has its minimum 1 at 0
        top = max(abs(a), abs(b))
        with mpmath.workdps(iv.dps + 10):
            high = mpmath.cosh(top)
        return _hull(mpmath.mpf(1), _ends(_widened(high, high))[1])
    return _monotone(mpmath.cosh, increasing=a > 0)(t)


def _positive(t: Any, name: str) -> Any:
    a, _ = _ends(t)
    if not a > 0:
        raise _NoEnclosureError(f"{name} of an interval reaching 0 or below")
    return t


def _nonzero(t: Any) -> Any:
    a, b = _ends(t)
    if a <= 0 <= b:
        raise _NoEnclosureError("division by an interval containing 0")
    return t


def _sign_of(t: Any, at_zero: Any) -> Any:
    a, b = _ends(t)
    if a > 0:
        return iv.mpf(1)
    if b < 0:
        return iv.mpf(-1)
    if a == b == 0:
        return at_zero
    raise _NoEnclosureError("the sign of an interval containing 0")


def _at_least(t: Any, bound: int, name: str) -> Any:
    a, _ = _ends(t)
    if not a >= bound:
        raise _NoEnclosureError(f"{name} of an interval reaching below {bound}")
    return t


def _lambert_w(t: Any, *branch: Any) -> Any:
    """W on [0, ∞): the principal branch, increasing there (below 0 no enclosure)."""
    if branch and _ends(branch[0]) != (0, 0):
        raise _NoEnclosureError("a branch of W other than the principal one")
    return _monotone(mpmath.lambertw)(_at_least(t, 0, "W"))


def _heaviside(t: Any, at_zero: Any = None) -> Any:
    half = iv.mpf(1) / 2
    sign = _sign_of(t, at_zero if at_zero is not None else half)
    if sign is at_zero or sign is half:
        return sign
    return (sign + 1) / 2


def _elu(t: Any, alpha: Any) -> Any:
    a, b = _ends(t)
    if a >= 0:
        return t
    negative = alpha * iv.expm1(iv.mpf([a, min(b, mpmath.mpf(0))]))
    if b <= 0:
        return negative
    na, nb = _ends(negative)
    return _hull(min(na, 0), max(nb, b))


def _max(*values: Any) -> Any:
    return _hull(max(_ends(v)[0] for v in values), max(_ends(v)[1] for v in values))


def _min(*values: Any) -> Any:
    return _hull(min(_ends(v)[0] for v in values), min(_ends(v)[1] for v in values))


_FUNCTIONS: dict[type, Callable[..., Any]] = {
    sp.exp: _bounded(_exp),
    sp.log: lambda t: iv.log(_positive(t, "log")),
    sp.sin: _bounded(iv.sin, MAX_PERIODIC_ARGUMENT),
    sp.cos: _bounded(iv.cos, MAX_PERIODIC_ARGUMENT),
    sp.tan: _bounded(iv.tan, MAX_PERIODIC_ARGUMENT),
    sp.sec: _bounded(lambda t: 1 / _nonzero(iv.cos(t)), MAX_PERIODIC_ARGUMENT),
    sp.csc: _bounded(lambda t: 1 / _nonzero(iv.sin(t)), MAX_PERIODIC_ARGUMENT),
    sp.cot: _bounded(lambda t: iv.cos(t) / _nonzero(iv.sin(t)), MAX_PERIODIC_ARGUMENT),
    sp.sinh: _bounded(_monotone(mpmath.sinh)),
    sp.cosh: _bounded(_cosh),
    sp.tanh: _bounded(_monotone(mpmath.tanh)),
    sp.sech: _bounded(lambda t: 1 / _cosh(t)),
    sp.csch: _bounded(lambda t: 1 / _nonzero(_monotone(mpmath.sinh)(t))),
    sp.coth: _bounded(lambda t: 1 / _nonzero(_monotone(mpmath.tanh)(t))),
    sp.asin: _monotone(mpmath.asin),
    sp.acos: _monotone(mpmath.acos, increasing=False),
    sp.atan: _monotone(mpmath.atan),
    sp.atanh: _monotone(mpmath.atanh),
    sp.asinh: _monotone(mpmath.asinh),
    sp.acosh: lambda t: _monotone(mpmath.acosh)(_at_least(t, 1, "acosh")),
    sp.erf: _monotone(mpmath.erf),
    sp.erfc: _monotone(mpmath.erfc, increasing=False),
    sp.LambertW: lambda t, *branch: _lambert_w(t, *branch),
    sp.Abs: abs,
    sp.sign: lambda t: _sign_of(t, iv.mpf(0)),
    sp.Heaviside: _heaviside,
    sp.Max: _max,
    sp.Min: _min,
    Sigmoid: _bounded(lambda t: 1 / (1 + iv.exp(-t))),
    Softplus: _bounded(lambda t: iv.log1p(iv.exp(t))),
    ELU: _elu,
}


def _enclosure(cls: type) -> Callable[..., Any] | None:
    """The interval form of a function class: the table above, else, for a course's own class
    ``F`` registered as the activation ``F(z)`` with a piecewise-linear form, that form
    evaluated on intervals (rigorous: sums, products by rationals and maxima)."""
    form = _FUNCTIONS.get(cls)
    if form is not None:
        return form
    activation = activation_of_function(cls)
    pieces = None if activation is None else activation.linear_pieces
    if pieces is None:
        return None

    def rational(value: sp.Rational) -> Any:
        return iv.mpf(int(value.p)) / int(value.q)

    def piecewise_linear(t: Any) -> Any:
        s = pieces.slopes
        total = rational(pieces.intercept) + rational(s[0]) * t
        for k, b in enumerate(pieces.breakpoints):
            total = total + rational(s[k + 1] - s[k]) * _max(iv.mpf(0), t - rational(b))
        return total

    return piecewise_linear


def _power(base: Any, exponent: sp.Expr, walk: Callable[[sp.Basic], Any]) -> Any:
    if isinstance(exponent, sp.Integer):
        if int(exponent) < 0:
            return 1 / _nonzero(base) ** -int(exponent)
        return base ** int(exponent)
    odd_root = isinstance(exponent, sp.Rational) and exponent.q % 2 == 1
    if odd_root and _ends(base)[1] < 0:  # an odd root of a negative number is real
        return -iv.power(-base, iv.mpf(int(exponent.p)) / int(exponent.q))
    return iv.exp(walk(exponent) * iv.log(_positive(base, "a real power")))


def interval_value(expr: sp.Expr, point: Point, *, dps: int) -> Any | None:
    """An interval (``mpmath.iv.mpf``) that contains the exact value of ``expr`` at ``point``.

    ``None`` when some node has no enclosure there (the value may be complex, undefined, or
    a kink's argument straddles 0 at this precision).  Raises
    :class:`~symdl.referee.pointwise.UnrepresentableError` for values too large to compute.
    """
    cache: dict[sp.Basic, Any] = {}

    def walk(node: sp.Basic) -> Any:
        if node in cache:
            return cache[node]
        if isinstance(node, sp.Rational):
            result = iv.mpf(int(node.p)) / int(node.q)
        elif isinstance(node, sp.Float):  # a binary fraction, exactly (3.0 is 3)
            exact = sp.Rational(node)
            result = iv.mpf(int(exact.p)) / int(exact.q)
        elif isinstance(node, sp.Symbol):
            value = point[node]
            result = iv.mpf(int(value.p)) / int(value.q)
        elif node is sp.pi:
            result = iv.pi
        elif node is sp.E:
            result = iv.e
        elif isinstance(node, sp.Add):
            result = sum((walk(a) for a in node.args[1:]), walk(node.args[0]))
        elif isinstance(node, sp.Mul):
            result = walk(node.args[0])
            for a in node.args[1:]:
                result = result * walk(a)
        elif isinstance(node, sp.Pow):
            result = _power(walk(node.base), node.exp, walk)
        elif isinstance(node, sp.Piecewise):
            result = _piecewise(node, point, walk)
        elif (enclosure := _enclosure(type(node))) is not None:
            result = enclosure(*(walk(a) for a in node.args))
        else:
            raise _NoEnclosureError(f"no interval form of {type(node).__name__}")
        cache[node] = result
        return result

    previous = iv.dps
    iv.dps = dps + 10
    try:
        return walk(expr)
    except (_NoEnclosureError, ZeroDivisionError, ValueError, TypeError):
        return None
    finally:
        iv.dps = previous


def _piecewise(node: sp.Piecewise, point: Point, walk: Callable[[sp.Basic], Any]) -> Any:
    for value, condition in node.args:
        holds = condition.xreplace(dict(point))
        if holds is sp.true:
            return walk(value)
        if holds is not sp.false:
            raise _NoEnclosureError("a condition that is not decided exactly at the point")
    raise _NoEnclosureError("no piece of the Piecewise applies")
