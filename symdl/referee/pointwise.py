r"""Evaluating an expression at a point: exactly in the rationals, or to 50 digits.

Deciding whether two gradients agree (:mod:`symdl.referee.equivalence`) evaluates both at many
points.
SymPy's ``subs`` + ``evalf`` does this correctly but slowly, so this module walks the expression
tree itself, once per point, with a cache so that a shared subexpression is computed once:

- :func:`exact_value` computes a *rational* function (``+ - * /``, integer powers, ``Max``,
  ``Min``, ``Abs``, ``Heaviside``, ``sign``) at a rational point with :class:`fractions.Fraction`,
  exactly; it returns ``None`` as soon as a transcendental function (``exp``, ``tanh``, σ, …)
  or an irrational power makes the value leave the rationals.
- :func:`mp_value` computes any expression symdl's parser admits with mpmath at a given
  precision (50 digits by default); a node it does not know is handed to SymPy's ``evalf``.

:func:`evaluate_at` does both at a list of points, keeping the values aligned with them.

Neither uses ``lambdify`` (no code is generated or executed): an answer's expression tree is
only ever walked.  A pole at the point raises :class:`SingularPointError`; a value that cannot
be computed at the point within bounded memory (:math:`e^{e^{e^{e^x}}}`: an exponential of an
argument beyond :data:`MAX_ARGUMENT`) raises :class:`UnrepresentableError`, and the point is
then left out rather than counted as agreement or difference.  Every value is computed at the
precision the caller asks for (``dps``), never at mpmath's global precision.

Examples
--------
>>> import sympy as sp
>>> x = sp.Symbol("x", real=True)
>>> exact_value((x**2 - 1) / (x + 1), {x: sp.Rational(1, 3)})
Fraction(-2, 3)
>>> exact_value(sp.exp(x), {x: sp.Rational(1, 3)}) is None
True
>>> import mpmath
>>> mpmath.nstr(mp_value(sp.exp(x), {x: sp.Integer(1)}, dps=30), 25)
'2.718281828459045235360287'
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import mpmath
import sympy as sp

from symdl.core.activations import ELU, Sigmoid, Softplus, activation_of_function

__all__ = [
    "MAX_ARGUMENT",
    "MAX_DPS",
    "PointValues",
    "SingularPointError",
    "UnrepresentableError",
    "as_sympy",
    "evaluate_at",
    "exact_value",
    "mp_value",
    "to_mpf",
]

Point = Mapping[sp.Symbol, sp.Rational]


class SingularPointError(ArithmeticError):
    """The expression is undefined at the point (a division by zero, a pole, log 0)."""


class UnrepresentableError(ArithmeticError):
    """The value at the point is too large to compute in bounded memory: the point is skipped."""


#: The largest argument of an exponential (and of the functions computed from one) that is
#: evaluated: beyond it the result is not representable in bounded memory
#: (:math:`e^{10^{8}}` has a 43-million-digit exponent; its exponential could not be stored).
MAX_ARGUMENT = 10**8


class _NotRationalError(Exception):
    """The value leaves the rationals: switch to high precision."""


def _heaviside(value: Fraction, at_zero: Fraction) -> Fraction:
    return Fraction(1) if value > 0 else Fraction(0) if value < 0 else at_zero


def _sign(value: Fraction) -> Fraction:
    return Fraction((value > 0) - (value < 0))


_MAX_BITS = 1_000_000  # an exact power larger than this is evaluated to 50 digits instead


def _exact_power(base: Fraction, exponent: sp.Expr) -> Fraction:
    if not isinstance(exponent, sp.Integer):
        raise _NotRationalError
    n = int(exponent)
    if base == 0 and n < 0:
        raise SingularPointError("0 raised to a negative power")
    if (base.numerator.bit_length() + base.denominator.bit_length()) * abs(n) > _MAX_BITS:
        raise _NotRationalError  # too large to compute exactly in time: use 50 digits
    return base**n


def exact_value(expr: sp.Expr, point: Point) -> Fraction | None:
    """The exact value of a rational function of the point's symbols, or ``None``.

    Raises :class:`SingularPointError` at a pole; returns ``None`` when the value is not rational (a
    transcendental function, an irrational power) or the tree holds an unknown node.
    """
    cache: dict[sp.Basic, Fraction] = {}
    values = {sym: Fraction(int(v.p), int(v.q)) for sym, v in point.items()}

    def walk(node: sp.Basic) -> Fraction:
        if node in cache:
            return cache[node]
        if isinstance(node, sp.Rational):
            result = Fraction(int(node.p), int(node.q))
        elif isinstance(node, sp.Symbol):
            if node not in values:
                raise _NotRationalError
            result = values[node]
        elif isinstance(node, sp.Add):
            result = sum((walk(a) for a in node.args), Fraction(0))
        elif isinstance(node, sp.Mul):
            result = Fraction(1)
            for a in node.args:
                result *= walk(a)
        elif isinstance(node, sp.Pow):
            result = _exact_power(walk(node.base), node.exp)
        elif isinstance(node, (sp.Max, sp.Min)):
            pick = max if isinstance(node, sp.Max) else min
            result = pick(walk(a) for a in node.args)
        elif isinstance(node, sp.Abs):
            result = abs(walk(node.args[0]))
        elif isinstance(node, sp.sign):
            result = _sign(walk(node.args[0]))
        elif isinstance(node, sp.Heaviside) and len(node.args) == 2:
            result = _heaviside(walk(node.args[0]), walk(node.args[1]))
        else:
            raise _NotRationalError
        cache[node] = result
        return result

    try:
        return walk(expr)
    except _NotRationalError:
        return None
    except ZeroDivisionError as error:
        raise SingularPointError(str(error)) from None


#: The largest argument of a trigonometric function that is evaluated; reducing it modulo
#: :math:`2\pi` costs as many extra digits as it has (mpmath adds them itself).
MAX_PERIODIC_ARGUMENT = mpmath.mpf(10) ** 2000


def _bounded(function: Callable[..., Any], bound: Any = MAX_ARGUMENT) -> Callable[..., Any]:
    """``function`` refusing an argument beyond ``bound`` (its value would not fit in
    memory, or need too many digits; see :class:`UnrepresentableError`)."""

    def bounded(t: Any, *rest: Any) -> Any:
        if abs(mpmath.re(t)) > bound or abs(mpmath.im(t)) > MAX_ARGUMENT:
            raise UnrepresentableError(
                f"{function.__name__} of a number of magnitude {mpmath.nstr(abs(t), 3)} "
                f"(at most {mpmath.nstr(bound, 1)} is evaluated)"
            )
        return function(t, *rest)

    bounded.__name__ = function.__name__
    return bounded


def _mp_sigmoid(t: Any) -> Any:
    return 1 / (1 + mpmath.exp(-t))


def _mp_heaviside(t: Any, at_zero: Any = None) -> Any:
    if t == 0:
        return mpmath.mpf(1) / 2 if at_zero is None else at_zero
    return mpmath.mpf(1) if t > 0 else mpmath.mpf(0)


def _mp_log(t: Any) -> Any:
    if t == 0:
        raise SingularPointError("log 0")
    return mpmath.log(t)


def _mp_elu(t: Any, alpha: Any) -> Any:
    return t if t >= 0 else alpha * mpmath.expm1(t)


_MP_FUNCTIONS: dict[type, Callable[..., Any]] = {
    sp.exp: _bounded(mpmath.exp),
    sp.log: _mp_log,
    sp.sin: _bounded(mpmath.sin, MAX_PERIODIC_ARGUMENT),
    sp.cos: _bounded(mpmath.cos, MAX_PERIODIC_ARGUMENT),
    sp.tan: _bounded(mpmath.tan, MAX_PERIODIC_ARGUMENT),
    sp.sec: _bounded(mpmath.sec, MAX_PERIODIC_ARGUMENT),
    sp.csc: _bounded(mpmath.csc, MAX_PERIODIC_ARGUMENT),
    sp.cot: _bounded(mpmath.cot, MAX_PERIODIC_ARGUMENT),
    sp.sinh: _bounded(mpmath.sinh),
    sp.cosh: _bounded(mpmath.cosh),
    sp.tanh: _bounded(mpmath.tanh),
    sp.sech: _bounded(mpmath.sech),
    sp.csch: _bounded(mpmath.csch),
    sp.coth: _bounded(mpmath.coth),
    sp.asin: mpmath.asin,
    sp.acos: mpmath.acos,
    sp.atan: mpmath.atan,
    sp.atanh: mpmath.atanh,
    sp.Abs: abs,
    sp.sign: mpmath.sign,
    sp.Heaviside: _mp_heaviside,
    Sigmoid: _bounded(_mp_sigmoid),
    Softplus: _bounded(lambda t: mpmath.log1p(mpmath.exp(t))),
    ELU: _bounded(_mp_elu),
}


_ORDERED = (sp.Heaviside, sp.sign, ELU)  # defined by comparisons: real arguments only


def _mp_function(cls: type) -> Callable[..., Any] | None:
    """The mpmath form of a function class: the table above (SymPy's functions, and symdl's
    own with forms written for the referee), else the mpmath form of the registered
    activation ``F(z)`` of a course's own class ``F`` (real arguments only)."""
    form = _MP_FUNCTIONS.get(cls)
    if form is not None:
        return form
    activation = activation_of_function(cls)
    if activation is None or activation.mpmath_form is None:
        return None
    course_form = activation.mpmath_form

    def registered(t: Any) -> Any:
        return course_form(mpmath.mp, t)

    registered.__name__ = activation.name
    return _bounded(registered)


def _real(value: Any, node: sp.Basic) -> Any:
    r"""``value``, which an order-based function needs real: a complex one is undefined.

    An imaginary part below the working precision is rounding, not a complex value: through
    the principal branch, :math:`e^{2\log x} = x^2` for :math:`x < 0`, but mpmath leaves an
    imaginary part of the order of :math:`10^{-\mathrm{dps}}`.
    """
    if isinstance(value, mpmath.mpc):
        noise = mpmath.mpf(10) ** (10 - mpmath.mp.dps) * max(1, abs(value.real))
        if abs(value.imag) > noise:
            raise SingularPointError(f"{type(node).__name__} of the complex number {value}")
        return value.real
    return value


def _mp_pow(base: Any, exponent: Any) -> Any:
    if base == 0 and mpmath.re(exponent) < 0:
        raise SingularPointError("0 raised to a negative power")
    if base != 0 and abs(exponent) * (abs(mpmath.mag(base)) + 1) > 4 * MAX_ARGUMENT:
        raise UnrepresentableError(
            f"a power with exponent of magnitude {mpmath.nstr(abs(exponent), 3)} "
            f"and base of magnitude 2^{mpmath.mag(base)}"
        )
    return mpmath.power(base, exponent)


def _mp_piecewise(node: sp.Piecewise, point: Point, walk: Callable[[sp.Basic], Any]) -> Any:
    for value, condition in node.args:
        holds = condition.xreplace(dict(point))
        if holds not in (sp.true, sp.false):
            holds = sp.true if holds.evalf(30) != 0 else sp.false
        if holds is sp.true:
            return walk(value)
    raise SingularPointError("no piece of the Piecewise applies")


def mp_value(expr: sp.Expr, point: Point, *, dps: int = 50) -> Any:
    """The value of ``expr`` at ``point`` as an mpmath number with ``dps`` digits.

    Raises :class:`SingularPointError` at a pole, log 0 or an undefined value.
    """
    cache: dict[sp.Basic, Any] = {}

    def walk(node: sp.Basic) -> Any:
        if node in cache:
            return cache[node]
        if isinstance(node, sp.Rational):
            result = mpmath.mpf(int(node.p)) / int(node.q)
        elif isinstance(node, sp.Symbol):
            value = point[node]
            result = mpmath.mpf(int(value.p)) / int(value.q)
        elif isinstance(node, sp.Add):
            result = mpmath.fsum(walk(a) for a in node.args)
        elif isinstance(node, sp.Mul):
            result = mpmath.fprod(walk(a) for a in node.args)
        elif isinstance(node, sp.Pow):
            result = _mp_pow(walk(node.base), walk(node.exp))
        elif isinstance(node, (sp.Max, sp.Min)):
            pick = max if isinstance(node, sp.Max) else min
            result = pick(_real(walk(a), node) for a in node.args)
        elif isinstance(node, sp.Piecewise):
            result = _mp_piecewise(node, point, walk)
        elif (function := _mp_function(type(node))) is not None:
            values = [walk(a) for a in node.args]
            if type(node) in _ORDERED or type(node) not in _MP_FUNCTIONS:
                values = [_real(v, node) for v in values]
            result = function(*values)
        else:  # E, pi and anything else: SymPy's own evaluation, correct if slower
            result = sp.N(node.xreplace(dict(point)), dps + 10)
            if not result.is_number or result.has(sp.zoo, sp.nan, sp.oo, -sp.oo):
                raise SingularPointError(f"{node} is not a number at the point")
            result = result._to_mpmath(mpmath.mp.prec)
        cache[node] = result
        return result

    with mpmath.workdps(dps + 10):
        try:
            value = walk(expr)
        except ZeroDivisionError as error:
            raise SingularPointError(str(error)) from None
        except OverflowError:  # too large to represent at all: the point decides nothing
            raise UnrepresentableError("the value is too large to represent") from None
        if not mpmath.isfinite(value):
            raise SingularPointError(f"the value {value} is not finite")
        return +value


@dataclass
class PointValues:
    """The values of one expression at a list of points, aligned with the points.

    ``exact[i]`` is the exact value at point ``i`` when it is rational, else ``None``;
    ``mp[i]`` its value to high precision (mpmath), or ``None`` where it is undefined;
    ``skipped`` the indices where it could not be computed in bounded memory (neither defined
    nor undefined: such a point decides nothing).
    """

    exact: list[Fraction | None] = field(default_factory=list)
    mp: list[Any] = field(default_factory=list)
    skipped: set[int] = field(default_factory=set)


def evaluate_at(expr: sp.Expr, points: Sequence[Point], dps: int) -> PointValues:
    """``expr`` at every point: exactly where it is rational, else to ``dps`` digits.

    >>> x = sp.Symbol("x", real=True)
    >>> values = evaluate_at(1 / x, [{x: sp.Integer(2)}, {x: sp.Integer(0)}], 50)
    >>> values.exact, values.mp[1]
    ([Fraction(1, 2), None], None)
    """
    values = PointValues()
    for i, point in enumerate(points):
        try:
            exact = exact_value(expr, point)
            number = to_mpf(exact, dps) if exact is not None else mp_value(expr, point, dps=dps)
        except SingularPointError:
            exact = number = None
        except UnrepresentableError:
            exact = number = None
            values.skipped.add(i)
        values.exact.append(exact)  # the two lists stay aligned with the points
        values.mp.append(number)
    return values


def to_mpf(value: Fraction, dps: int) -> Any:
    """The rational ``value`` rounded to ``dps`` + 10 significant digits (not mpmath's global
    precision, which may be as low as 15 digits)."""
    with mpmath.workdps(dps + 10):
        return mpmath.mpf(value.numerator) / value.denominator


def as_sympy(value: Any, exact: Fraction | None, dps: int) -> sp.Expr:
    """A value for display: the exact rational, else a ``dps``-digit Float (NaN if undefined)."""
    if exact is not None:
        return sp.Rational(exact.numerator, exact.denominator)
    if value is None:
        return sp.nan
    if isinstance(value, mpmath.mpc):
        return sp.Float(value.real, dps) + sp.I * sp.Float(value.imag, dps)
    return sp.Float(value, dps)


#: Digits of a working precision beyond which a comparison is refused (UNKNOWN).  An answer's
#: exact numbers (at most ParseLimits.max_bits = 4,096 bits, about 1,233 digits) fit below it.
MAX_DPS = 10_000
