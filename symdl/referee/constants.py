r"""Numeric constants: cheap values with error bounds, their magnitude and their order.

A constant an answer contains (:math:`1 - \sigma(1000)`, :math:`e^{-1000}`,
:math:`\log 8 - 3 \log 2`) is evaluated with mpmath at 15 digits with a first-order bound on
its relative error (:class:`Numbers`), and only where that bound leaves it uncertain at more
digits.  The parser compares constants this way (:func:`compare_constants`, exactly or not at
all), and the referee sets its working precision from :func:`constant_digits`, so that no
constant hides below a comparison's tolerance.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import mpmath
import sympy as sp

from symdl.core.activations import activation_of_function
from symdl.core.special_functions import Sigmoid, Softplus

__all__ = [
    "MAX_CONSTANT_DIGITS",
    "Numbers",
    "UncertainError",
    "UnevaluableError",
    "compare_constants",
    "constant_digits",
    "count_nodes",
    "distinct_subexpressions",
    "maybe_real",
    "shown",
]


# --- numeric constants: cheap values, and how far they can be trusted -----------------------

#: Bits of the largest argument of an exponential-like or periodic function that is evaluated
#: (:math:`|a| < 2^{5000}`): past it, the value or its reduction modulo π would need more
#: digits than a comparison can afford.
HUGE_BITS = 5000
#: The precisions (decimal digits) at which a constant is evaluated until it is certain.
PRECISIONS = (15, 60, 250, 1000, 4000)
#: Nodes of a constant evaluated beyond 15 digits; a larger one is not raised in precision.
MAX_PRECISE_NODES = 500


class UnevaluableError(Exception):
    """A constant that :class:`Numbers` does not evaluate: too large, not real, or unknown."""

    def __init__(self, reason: str, *, too_large: bool = False, unknown: bool = False) -> None:
        self.too_large, self.unknown = too_large, unknown
        super().__init__(reason)


class UncertainError(Exception):
    """A constant whose value is not known to any digit at this precision (a cancellation)."""


def _sigmoid(ctx: Any, a: Any) -> Any:
    return 1 / (1 + ctx.exp(-a))


#: For each function: its value and its derivative at ``a``, given the mpmath context.
_MPMATH: dict[type, tuple[Callable[[Any, Any], Any], Callable[[Any, Any], Any]]] = {
    sp.exp: (lambda c, a: c.exp(a), lambda c, a: c.exp(a)),
    sp.log: (lambda c, a: c.ln(a), lambda c, a: 1 / a),
    sp.sin: (lambda c, a: c.sin(a), lambda c, a: c.cos(a)),
    sp.cos: (lambda c, a: c.cos(a), lambda c, a: -c.sin(a)),
    sp.tan: (lambda c, a: c.tan(a), lambda c, a: c.sec(a) ** 2),
    sp.sec: (lambda c, a: c.sec(a), lambda c, a: c.sec(a) * c.tan(a)),
    sp.csc: (lambda c, a: c.csc(a), lambda c, a: -c.csc(a) * c.cot(a)),
    sp.cot: (lambda c, a: c.cot(a), lambda c, a: -(c.csc(a) ** 2)),
    sp.sinh: (lambda c, a: c.sinh(a), lambda c, a: c.cosh(a)),
    sp.cosh: (lambda c, a: c.cosh(a), lambda c, a: c.sinh(a)),
    sp.tanh: (lambda c, a: c.tanh(a), lambda c, a: c.sech(a) ** 2),
    sp.sech: (lambda c, a: c.sech(a), lambda c, a: -c.sech(a) * c.tanh(a)),
    sp.csch: (lambda c, a: c.csch(a), lambda c, a: -c.csch(a) * c.coth(a)),
    sp.coth: (lambda c, a: c.coth(a), lambda c, a: -(c.csch(a) ** 2)),
    sp.asin: (lambda c, a: c.asin(a), lambda c, a: 1 / c.sqrt(1 - a**2)),
    sp.acos: (lambda c, a: c.acos(a), lambda c, a: -1 / c.sqrt(1 - a**2)),
    sp.atan: (lambda c, a: c.atan(a), lambda c, a: 1 / (1 + a**2)),
    sp.atanh: (lambda c, a: c.atanh(a), lambda c, a: 1 / (1 - a**2)),
    Sigmoid: (_sigmoid, lambda c, a: _sigmoid(c, a) * _sigmoid(c, -a)),
    Softplus: (lambda c, a: c.ln(1 + c.exp(a)), _sigmoid),
}
_GROWING = frozenset(_MPMATH) - {sp.log, sp.asin, sp.acos, sp.atan, sp.atanh}


def _mpmath_pair(cls: type) -> tuple[Callable[[Any, Any], Any], Callable[[Any, Any], Any]] | None:
    """The value and derivative forms of a function class: the table above, else those of the
    registered activation ``F(z)`` of a course's own class ``F`` (both forms needed: the
    derivative bounds the error)."""
    pair = _MPMATH.get(cls)
    if pair is not None:
        return pair
    activation = activation_of_function(cls)
    if activation is None or activation.mpmath_form is None:
        return None
    if activation.mpmath_derivative is None:
        return None
    return activation.mpmath_form, activation.mpmath_derivative


def _log_sum(*errors: float) -> float:
    """log10 of a sum of terms given by their log10 (``-inf`` for a zero term)."""
    top = max(errors)
    if math.isinf(top):
        return top
    return top + math.log10(sum(10.0 ** (e - top) for e in errors if e - top > -300))


class Numbers:
    r"""Values of numeric SymPy constants with mpmath at ``dps`` digits, with error bounds.

    :meth:`value` returns a constant's value and :math:`\log_{10}` of a bound on its relative
    error, propagated to first order: rounding at each step, cancellation in sums, and the
    condition number :math:`|a f'(a) / f(a)|` of each function.  A value whose bound is below
    :math:`10^{-1}` has a certain sign and magnitude.  Nothing is evaluated that could be
    expensive: an exponential or periodic function of an argument larger than
    :math:`2^{5000}` (:data:`HUGE_BITS`) raises :class:`UnevaluableError`, and so does a
    constant of more than ``max_nodes`` nodes; a value lost to cancellation raises
    :class:`UncertainError`.

    Examples
    --------
    >>> import sympy as sp
    >>> value, error = Numbers(15).value(1 - sp.exp(-sp.Integer(1000)))
    >>> error < -1  # certain: the digits are those of 1
    True
    >>> Numbers(15).value(1 - Sigmoid(1000))
    Traceback (most recent call last):
    ...
    symdl.referee.constants.UncertainError: 1 - Sigmoid(1000) cancels at 15 digits
    >>> value, error = Numbers(1000).value(1 - Sigmoid(1000))
    >>> mpmath.nstr(value, 6), error < -1
    ('5.07596e-435', True)
    """

    def __init__(self, dps: int, *, max_nodes: int = 100_000) -> None:
        self.ctx = mpmath.MPContext()
        self.ctx.dps = dps
        self.rounding = 1.0 - dps  # log10 of the relative error of one rounded operation
        self.memo: dict[sp.Basic, tuple[Any, float]] = {}
        self.nodes, self.max_nodes = 0, max_nodes

    def value(self, node: sp.Basic) -> tuple[Any, float]:
        """The value of the numeric constant ``node`` and log10 of its relative error bound."""
        found = self.memo.get(node)
        if found is None:
            self.nodes += 1
            if self.nodes > self.max_nodes:
                raise UnevaluableError(f"more than {self.max_nodes} nodes to evaluate")
            try:
                found = self._value(node)
            except (ZeroDivisionError, ValueError, OverflowError):  # a pole, at this precision
                raise UncertainError(f"{node} is not finite at {self.ctx.dps} digits") from None
            number, error = found
            if not self.ctx.isfinite(number):
                raise UncertainError(f"{node} is not finite at {self.ctx.dps} digits")
            if not number and error > -math.inf:
                raise UncertainError(f"{node} cancels at {self.ctx.dps} digits")
            self.memo[node] = found
        return found

    def _value(self, node: sp.Basic) -> tuple[Any, float]:
        ctx = self.ctx
        if isinstance(node, sp.Integer):
            exact = abs(node.p).bit_length() <= ctx.prec
            return ctx.mpf(node.p), (-math.inf if exact else self.rounding)
        if isinstance(node, sp.Rational):
            return ctx.mpf(node.p) / node.q, self.rounding
        if isinstance(node, sp.Float):
            return ctx.make_mpf(node._mpf_), self.rounding
        if node is sp.pi:
            return +ctx.pi, self.rounding
        if node is sp.E:
            return +ctx.e, self.rounding
        if node is sp.I:
            return ctx.mpc(0, 1), -math.inf
        if node.is_Add:
            return self._sum([self.value(a) for a in node.args])
        if node.is_Mul:
            factors = [self.value(a) for a in node.args]
            return ctx.fprod(f[0] for f in factors), _log_sum(*(f[1] for f in factors))
        if node.is_Pow:
            return self._power(node)
        if isinstance(node, sp.Abs):
            number, error = self.value(node.args[0])
            return abs(number), error
        if isinstance(node, (sp.Max, sp.Min)):
            values = [self._real(a) for a in node.args]
            pick = max if isinstance(node, sp.Max) else min
            return pick(values, key=lambda v: v[0])
        if isinstance(node, (sp.sign, sp.Heaviside)):
            return self._step(node)
        if len(node.args) == 1 and _mpmath_pair(type(node)) is not None:
            return self._function(node)
        raise UnevaluableError(f"{type(node).__name__} is not evaluated", unknown=True)

    def _sum(self, terms: list[tuple[Any, float]]) -> tuple[Any, float]:
        total = self.ctx.fsum(t[0] for t in terms)
        absolute = _log_sum(*(self.log10(t[0]) + t[1] for t in terms if t[0]))
        if not total:
            return total, absolute  # exact only if every term was exact
        return total, _log_sum(absolute - self.log10(total), self.rounding)

    def _power(self, node: sp.Basic) -> tuple[Any, float]:
        ctx = self.ctx
        base, base_error = self.value(node.base)
        if node.exp.is_Integer:
            k = int(node.exp)
            if base and abs(k) * abs(self.log10(base)) > HUGE_BITS * math.log10(2):
                raise UnevaluableError(f"{node} is too large to evaluate", too_large=True)
            return base**k, _log_sum(math.log10(abs(k)) + base_error, self.rounding)
        exponent, exponent_error = self.value(node.exp)
        if not base:
            raise UncertainError(f"{node}: a power of zero")
        scale = abs(exponent * ctx.ln(base))
        if ctx.mag(scale) > HUGE_BITS:
            raise UnevaluableError(f"{node} is too large to evaluate", too_large=True)
        error = _log_sum(
            self.log10(exponent) + base_error,
            self.log10(scale) + exponent_error,
            self.rounding,
        )
        return ctx.power(base, exponent), error

    def _function(self, node: sp.Basic) -> tuple[Any, float]:
        ctx = self.ctx
        pair = _mpmath_pair(type(node))
        assert pair is not None  # checked by the caller
        function, derivative = pair
        registered = type(node) not in _MPMATH  # a course's activation: real arguments only
        argument, error = (self._real if registered else self.value)(node.args[0])
        growing = type(node) in _GROWING or registered
        if growing and argument and ctx.mag(argument) > HUGE_BITS:
            raise UnevaluableError(f"{node} is too large to evaluate", too_large=True)
        number = function(ctx, argument)
        if error == -math.inf or not argument:
            return number, self.rounding
        condition = abs(argument * derivative(ctx, argument) / number)
        return number, _log_sum(self.log10(condition) + error, self.rounding)

    def _step(self, node: sp.Basic) -> tuple[Any, float]:
        argument, error = self._real(node.args[0])
        if not argument:
            if isinstance(node, sp.sign):
                return argument, -math.inf
            return (
                self.value(node.args[1]) if len(node.args) > 1 else (self.ctx.mpf(0.5), -math.inf)
            )
        if error >= 0:
            raise UncertainError(f"the sign of {node.args[0]} at {self.ctx.dps} digits")
        positive = argument > 0
        if isinstance(node, sp.sign):
            return self.ctx.mpf(1 if positive else -1), -math.inf
        return self.ctx.mpf(1 if positive else 0), -math.inf

    def _real(self, node: sp.Basic) -> tuple[Any, float]:
        number, error = self.value(node)
        if isinstance(number, self.ctx.mpc) and number.imag:
            if abs(number.imag) > abs(number) * 10.0 ** min(error, 0.0):
                raise UnevaluableError(f"{shown(node)} is not a real number")
            raise UncertainError(f"whether {node} is real, at {self.ctx.dps} digits")
        return (number.real if isinstance(number, self.ctx.mpc) else number), error

    def log10(self, number: Any) -> float:
        return float(self.ctx.log10(abs(number))) if number else -math.inf

    def certain(self, node: sp.Basic) -> tuple[Any, float] | None:
        """The value and error of ``node`` if its sign and magnitude are certain, else None."""
        try:
            number, error = self.value(node)
        except UncertainError:
            return None
        return (number, error) if error < -1 else None


def count_nodes(expr: sp.Basic, limit: int) -> int:
    """The nodes of ``expr``, counted up to ``limit`` + 1 at most."""
    count = 0
    for _ in sp.preorder_traversal(expr):
        count += 1
        if count > limit:
            break
    return count


def distinct_subexpressions(expressions: Iterable[sp.Basic]) -> Iterator[sp.Basic]:
    """Every subexpression of ``expressions`` (themselves included), each distinct one once.

    ``preorder_traversal`` and ``free_symbols`` visit a subexpression once for every path to
    it: on a residual network, where each block's input feeds both of its branches, that is
    exponential in the depth; this is linear in the distinct subexpressions.

    Examples
    --------
    >>> import sympy as sp
    >>> x = sp.Symbol("x")
    >>> shared = sp.sin(x) + 1
    >>> found = map(str, distinct_subexpressions([shared * sp.cos(shared)]))  # sin(x) + 1: once
    >>> sorted(found, key=lambda text: (len(text), text))
    ['1', 'x', 'sin(x)', 'sin(x) + 1', 'cos(sin(x) + 1)', '(sin(x) + 1)*cos(sin(x) + 1)']
    """
    seen: set[sp.Basic] = set()
    stack = list(expressions)
    while stack:
        node = stack.pop()
        if node in seen:
            continue
        seen.add(node)
        yield node
        stack.extend(node.args)


def compare_constants(a: sp.Expr, b: sp.Expr, first: Numbers | None = None) -> int | None:
    """The sign of ``a - b`` for numeric constants, at the first precision that makes it certain.

    None if the two agree to the last of :data:`PRECISIONS`; raises :class:`UnevaluableError` for a
    constant too large to evaluate or not real.
    """
    if a == b:
        return 0
    small = count_nodes(a, MAX_PRECISE_NODES) + count_nodes(b, MAX_PRECISE_NODES)
    for dps in PRECISIONS:
        if dps > PRECISIONS[0] and small > MAX_PRECISE_NODES:
            return None
        numbers = first if first is not None and dps == first.ctx.dps else Numbers(dps)
        try:
            (va, ea), (vb, eb) = numbers._real(a), numbers._real(b)
        except UncertainError:
            continue
        bound = sum(
            (
                abs(v) * numbers.ctx.power(10, e)
                for v, e in ((va, ea), (vb, eb))
                if v and e > -math.inf
            ),
            numbers.ctx.mpf(0),
        )
        if abs(va - vb) > bound:
            return 1 if va > vb else -1
    return None


def maybe_real(expr: sp.Expr, first: Numbers | None = None) -> bool:
    """False if the numeric constant ``expr`` is certainly not real, at some precision."""
    small = count_nodes(expr, MAX_PRECISE_NODES) <= MAX_PRECISE_NODES
    for dps in PRECISIONS:
        if dps > PRECISIONS[0] and not small:
            break
        numbers = first if first is not None and dps == first.ctx.dps else Numbers(dps)
        try:
            numbers._real(expr)
        except UncertainError:
            continue
        except UnevaluableError as exc:
            return exc.too_large or exc.unknown
        return True
    return True


#: The largest value :func:`constant_digits` returns.
MAX_CONSTANT_DIGITS = 10_000


def constant_digits(expr: sp.Basic) -> int:
    r"""The decimal digits that the exact constants of ``expr`` need to be seen.

    The largest of: the decimal digits of the numerator and the denominator of each rational
    in ``expr`` (:math:`10^{-45}` needs 46, :math:`(10^{45}+1)/10^{45}` needs 46), and
    :math:`\lceil |\log_{10} |c|| \rceil` for each numeric subexpression :math:`c` that is
    not a rational (:math:`e^{-1000}` needs 435, and so does :math:`1 - \sigma(1000)`, also
    as the constant part of the sum :math:`x + 1 - \sigma(1000)`); at least 1.  A numeric
    comparison of ``expr`` at its usual precision plus this many digits sees every difference
    that such a constant makes, so that a typed :math:`10^{-45}` cannot hide below the
    tolerance.

    Nothing expensive is evaluated: each numeric subexpression is evaluated with mpmath at 15
    digits, with a bound on its error (:class:`Numbers`); only where
    cancellation leaves its magnitude uncertain is the precision raised (to 60, 250, 1,000,
    then 4,000 digits), and only for a subexpression of at most 500 nodes.  The result is
    capped at :data:`MAX_CONSTANT_DIGITS` (10,000), which is also what a constant counts
    that is too large to evaluate (:math:`e^{e^{100}}`), or whose magnitude stays uncertain:
    one past 4,000 digits (:math:`1 - \sigma(10^4)`), one too long to raise in precision,
    or a zero that SymPy has not simplified (:math:`\log 8 - 3 \log 2`).  A function that
    mpmath does not know is looked into: its arguments count.

    Parameters
    ----------
    expr : sympy.Basic
        An expression or a matrix (of expressions), e.g. a parsed answer.

    Returns
    -------
    int
        Between 1 and :data:`MAX_CONSTANT_DIGITS`.

    Examples
    --------
    >>> x = sp.Symbol("x", real=True)
    >>> constant_digits(x / 10**45), constant_digits(x + sp.Rational(1, 3))
    (46, 1)
    >>> constant_digits(sp.exp(-1000) * x)
    435
    """
    if not isinstance(expr, (sp.Basic, sp.MatrixBase)):
        raise TypeError(
            f"expr = {expr!r:.80}: expected a SymPy expression; parse text first with parse_answer"
        )
    numeric: dict[sp.Basic, bool] = {}

    def is_constant(node: sp.Basic) -> bool:  # is_number, each shared node visited once
        found = numeric.get(node)
        if found is None:
            if node.args:
                found = all(is_constant(a) for a in node.args) and isinstance(node, sp.Expr)
            else:
                found = isinstance(node, sp.Expr) and not isinstance(node, sp.Symbol)
            numeric[node] = found
        return found

    entries = list(expr) if isinstance(expr, sp.MatrixBase) else [expr]
    digits = 1
    constants: list[sp.Expr] = []
    for node in distinct_subexpressions(entries):
        if isinstance(node, sp.Rational):
            digits = max(digits, _decimal_digits(int(node.p)), _decimal_digits(int(node.q)))
            continue
        if is_constant(node):
            constants.append(node)
        else:
            parts = [a for a in node.args if is_constant(a)]
            if (node.is_Add or node.is_Mul) and len(parts) > 1:
                constants.append(node.func(*parts))  # x + 1 - σ(1000) holds 1 - σ(1000)
    while constants and digits < MAX_CONSTANT_DIGITS:
        constant = constants.pop()
        found = _magnitude_digits(constant)
        if found is None:  # a function mpmath does not know: its arguments count
            constants.extend(a for a in constant.args if is_constant(a))
        else:
            digits = max(digits, found)
    return min(digits, MAX_CONSTANT_DIGITS)


def _decimal_digits(n: int) -> int:
    n = abs(n)
    if n < 10:
        return 1
    estimate = int((n.bit_length() - 1) * math.log10(2))  # at most the digits - 1
    if estimate >= MAX_CONSTANT_DIGITS:
        return MAX_CONSTANT_DIGITS
    return estimate + (2 if n >= 10 ** (estimate + 1) else 1)


def _magnitude_digits(constant: sp.Expr) -> int | None:
    r""":math:`\lceil |\log_{10}|c|| \rceil` over the non-rational nodes of a numeric constant,
    at the first precision that makes them certain; None for a function mpmath does not know."""
    if isinstance(constant, sp.Rational):
        return 1
    small = count_nodes(constant, MAX_PRECISE_NODES) <= MAX_PRECISE_NODES
    for dps in PRECISIONS:
        if dps > PRECISIONS[0] and not small:
            break
        numbers = Numbers(dps)
        try:
            numbers.value(constant)
        except UncertainError:
            continue
        except UnevaluableError as exc:
            return None if exc.unknown else MAX_CONSTANT_DIGITS
        sizes = [
            (numbers.log10(value), error)
            for node, (value, error) in numbers.memo.items()
            if not isinstance(node, sp.Rational)
        ]
        if all(error < -1 for _, error in sizes):
            largest = max((abs(size) for size, _ in sizes if size > -math.inf), default=0.0)
            return max(1, min(math.ceil(largest), MAX_CONSTANT_DIGITS))
    return MAX_CONSTANT_DIGITS


def shown(value: object, width: int = 40) -> str:
    """A value in plain notation (``^`` for powers), shortened to ``width`` characters."""
    text = sp.sstr(value).replace("**", "^") if isinstance(value, sp.Basic) else str(value)
    return text if len(text) <= width else text[: width - 1] + "…"
