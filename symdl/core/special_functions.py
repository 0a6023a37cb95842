r"""The functions that SymPy lacks, as named SymPy functions: σ, softplus, ELU, the softmax.

Named functions keep expressions small and readable (:math:`\sigma(z)` rather than
:math:`1/(1 + e^{-z})`), carry their exact derivatives (``fdiff``), evaluate exactly at numbers,
print as a lecturer writes them, and lambdify to numerically stable NumPy code.  Their
elementary forms are one ``rewrite`` away.

The softmax entries :class:`SoftmaxEntry` and :class:`LogSoftmaxEntry` are what a loss
that applies the softmax is compiled with: in float64 they never overflow and keep their
relative accuracy down to the smallest normal number (:math:`e^{-708}`), where
:math:`e^{o_j} / \sum_k e^{o_k}` overflows for :math:`o_j > 709`.

:func:`exact_sign` and :func:`exact_max` decide comparisons of exact constants exactly, where
SymPy's ``Max`` gives up ("not comparable") on differences such as :math:`1 - \sigma(o)_t`
at :math:`o = (300, -300, 0)`, which are :math:`\approx e^{-300}`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import sympy as sp
from sympy.core.evalf import PrecisionExhausted
from sympy.core.function import ArgumentIndexError

__all__ = [
    "ELU",
    "LogSoftmaxEntry",
    "Sigmoid",
    "SoftmaxEntry",
    "Softplus",
    "exact_max",
    "exact_sign",
]


class _CodePrintable:
    """Prints, for every SymPy code printer and ``lambdify`` module other than NumPy's, as an
    elementary expression (:meth:`_code_form`) that no float overflows: ``math``, ``cmath``,
    ``mpmath``, ``jax``, ``cupy``, ``torch``, ``tensorflow`` and ``pycode``, ``ccode``,
    ``fcode`` (code generation).  NumPy and SciPy use the class's own ``_numpycode``."""

    _code_form: Callable[[], sp.Expr]  # every subclass: its elementary, overflow-free form

    def _print_code(self, printer: Any, **kwargs: Any) -> str:
        # parenthesized: the printer sees a function call, and places no brackets around it
        return f"({printer._print(self._code_form(), **kwargs)})"

    _pythoncode = _mpmathcode = _cmathcode = _print_code
    _ccode = _fcode = _jaxcode = _cupycode = _torchcode = _tensorflowcode = _print_code


class Sigmoid(_CodePrintable, sp.Function):
    r"""The logistic sigmoid :math:`\sigma(z) = 1/(1 + e^{-z})` as a SymPy function.

    Kept as a named function so that expressions stay small and print as :math:`\sigma(z)`;
    its derivative is :math:`\sigma(z)(1 - \sigma(z))`, and ``rewrite(sp.exp)`` gives the
    elementary form.

    Examples
    --------
    >>> import sympy as sp
    >>> z = sp.Symbol("z", real=True)
    >>> Sigmoid(z).diff(z)
    (1 - Sigmoid(z))*Sigmoid(z)
    >>> Sigmoid(0)
    1/2
    """

    is_real = True

    @classmethod
    def eval(cls, arg: sp.Expr) -> sp.Expr | None:
        if arg.is_zero:
            return sp.S.Half
        if arg is sp.oo:
            return sp.S.One
        if arg is sp.S.NegativeInfinity:
            return sp.S.Zero
        return None

    def fdiff(self, argindex: int = 1) -> sp.Expr:
        return Sigmoid(self.args[0]) * (1 - Sigmoid(self.args[0]))

    def _eval_rewrite_as_exp(self, arg: sp.Expr, **kwargs: Any) -> sp.Expr:
        return 1 / (1 + sp.exp(-arg))

    def _eval_evalf(self, prec: int) -> sp.Expr:
        return (1 / (1 + sp.exp(-self.args[0])))._eval_evalf(prec)

    def _eval_is_positive(self) -> bool | None:
        return True if self.args[0].is_real else None

    def _latex(self, printer: Any, exp: str | None = None) -> str:
        name = r"\sigma" if exp is None else rf"\sigma^{{{exp}}}"
        return rf"{name}\left({printer._print(self.args[0])}\right)"

    def _numpycode(self, printer: Any) -> str:
        # the lambdified form: σ(z) = exp(-log(1 + e^{-z})), stable for every z
        return f"numpy.exp(-numpy.logaddexp(0, -({printer._print(self.args[0])})))"

    _scipycode = _numpycode

    def _code_form(self) -> sp.Expr:
        # e^{min(z, 0)} / (1 + e^{-|z|}): 1/(1 + e^{-z}) for z ≥ 0, e^z/(1 + e^z) below
        z = self.args[0]
        return sp.exp(sp.Min(z, 0)) / (1 + sp.exp(-sp.Abs(z)))


class Softplus(_CodePrintable, sp.Function):
    r"""The softplus :math:`\log(1 + e^{z})` as a SymPy function; its derivative is
    :math:`\sigma(z)` (Dugas et al. 2001).

    Examples
    --------
    >>> import sympy as sp
    >>> z = sp.Symbol("z", real=True)
    >>> Softplus(z).diff(z), Softplus(0)
    (Sigmoid(z), log(2))
    """

    is_real = True

    @classmethod
    def eval(cls, arg: sp.Expr) -> sp.Expr | None:
        if arg.is_zero:
            return sp.log(2)
        return None

    def fdiff(self, argindex: int = 1) -> sp.Expr:
        return Sigmoid(self.args[0])

    def _eval_rewrite_as_exp(self, arg: sp.Expr, **kwargs: Any) -> sp.Expr:
        return sp.log(1 + sp.exp(arg))

    def _eval_rewrite_as_log(self, arg: sp.Expr, **kwargs: Any) -> sp.Expr:
        return sp.log(1 + sp.exp(arg))

    def _eval_evalf(self, prec: int) -> sp.Expr:
        return sp.log(1 + sp.exp(self.args[0]))._eval_evalf(prec)

    def _eval_is_positive(self) -> bool | None:
        return True if self.args[0].is_real else None

    def _latex(self, printer: Any, exp: str | None = None) -> str:
        name = (
            r"\operatorname{softplus}" if exp is None else rf"\operatorname{{softplus}}^{{{exp}}}"
        )
        return rf"{name}\left({printer._print(self.args[0])}\right)"

    def _numpycode(self, printer: Any) -> str:
        # the lambdified form: log(1 + e^z) = logaddexp(0, z), stable for every z
        return f"numpy.logaddexp(0, {printer._print(self.args[0])})"

    _scipycode = _numpycode

    def _code_form(self) -> sp.Expr:
        # log(1 + e^z) = max(z, 0) + log(1 + e^{-|z|})
        z = self.args[0]
        return sp.Max(z, 0) + sp.log(1 + sp.exp(-sp.Abs(z)))


class ELU(_CodePrintable, sp.Function):
    r"""The exponential linear unit :math:`\operatorname{ELU}_\alpha(z)`: :math:`z` for
    :math:`z \ge 0`, :math:`\alpha(e^z - 1)` for :math:`z < 0` (Clevert, Unterthiner,
    Hochreiter 2016, eq. (15)).

    A named function rather than a ``Piecewise``, so that compositions stay readable and no
    ``Piecewise`` ends up inside another one's condition.

    Examples
    --------
    >>> import sympy as sp
    >>> ELU(sp.Integer(-1), sp.Integer(1)), ELU(sp.Rational(3, 2), sp.Integer(1))
    (-1 + exp(-1), 3/2)
    """

    nargs = 2
    is_real = True

    @classmethod
    def eval(cls, z: sp.Expr, alpha: sp.Expr) -> sp.Expr | None:
        if z.is_extended_nonnegative:
            return z
        if z.is_extended_negative:
            return alpha * (sp.exp(z) - 1)
        return None

    def fdiff(self, argindex: int = 1) -> sp.Expr:
        z, alpha = self.args
        if argindex == 1:
            return sp.Piecewise((sp.S.One, z >= 0), (alpha * sp.exp(z), True))
        return sp.Piecewise((sp.S.Zero, z >= 0), (sp.exp(z) - 1, True))

    def _eval_rewrite_as_Piecewise(self, z: sp.Expr, alpha: sp.Expr, **kwargs: Any) -> sp.Expr:
        return sp.Piecewise((z, z >= 0), (alpha * (sp.exp(z) - 1), True))

    def _eval_evalf(self, prec: int) -> sp.Expr:
        return self.rewrite(sp.Piecewise)._eval_evalf(prec)

    def _latex(self, printer: Any, exp: str | None = None) -> str:
        z, alpha = (printer._print(a) for a in self.args)
        name = r"\operatorname{ELU}" if self.args[1] == 1 else rf"\operatorname{{ELU}}_{{{alpha}}}"
        if exp is not None:
            name = rf"{name}^{{{exp}}}"
        return rf"{name}\left({z}\right)"

    def _numpycode(self, printer: Any) -> str:
        z, alpha = (printer._print(a) for a in self.args)
        return f"numpy.where(({z}) >= 0, {z}, ({alpha}) * numpy.expm1(numpy.minimum({z}, 0)))"

    _scipycode = _numpycode

    def _code_form(self) -> sp.Expr:
        # max(z, 0) + α(e^{min(z, 0)} - 1): z for z ≥ 0, α(e^z - 1) below
        z, alpha = self.args
        return sp.Max(z, 0) + alpha * (sp.exp(sp.Min(z, 0)) - 1)


# --- the softmax, entry by entry ------------------------------------------------------------------


def _relative_log_sum_exp(printer: Any, j: int, logits: tuple[sp.Expr, ...]) -> str:
    """NumPy code of :math:`R_j = \\log \\sum_{k \\ne j} e^{x_k - x_j}` (``j`` from 1).

    Nested ``logaddexp``: nothing overflows, and the entries may be arrays or numbers.
    """
    own = printer._print(logits[j - 1])
    terms = [f"({printer._print(x)}) - ({own})" for k, x in enumerate(logits, 1) if k != j]
    code = terms[0]
    for term in terms[1:]:
        code = f"numpy.logaddexp({code}, {term})"
    return code


class _SoftmaxFunction(_CodePrintable, sp.Function):
    """The arguments ``(j, x_1, ..., x_n)`` of a softmax entry, the index ``j`` from 1."""

    is_real = True

    @classmethod
    def _check_arguments(cls, j: sp.Expr, logits: tuple[sp.Expr, ...]) -> None:
        if not logits:
            raise ValueError(f"{cls.__name__}({j}) has no logits; give (j, x_1, ..., x_n)")
        if not (j.is_Integer and 1 <= int(j) <= len(logits)):
            raise ValueError(
                f"{cls.__name__}: the index j = {j} must be an integer from 1 to {len(logits)}, "
                f"the number of logits"
            )

    @property
    def index(self) -> int:
        """The entry :math:`j`, from 1."""
        return int(self.args[0])

    @property
    def logits(self) -> tuple[sp.Expr, ...]:
        """The logits :math:`x_1, \\dots, x_n`."""
        return tuple(self.args[1:])

    def _others(self) -> sp.Expr:
        # 1 - σ(x)_j written as Σ_{k≠j} σ(x)_k: a sum of positive terms, never a difference
        xs = self.logits
        return sp.Add(*[SoftmaxEntry(k, *xs) for k in range(1, len(xs) + 1) if k != self.index])

    _latex_name: str  # \operatorname{softmax}, or \log \operatorname{softmax}

    def _latex(self, printer: Any, exp: str | None = None) -> str:
        logits = ", ".join(printer._print(x) for x in self.logits)
        base = rf"{self._latex_name}\left({logits}\right)_{{{self.index}}}"
        return base if exp is None else rf"\left({base}\right)^{{{exp}}}"

    def _eval_evalf(self, prec: int) -> sp.Expr:
        return self.rewrite(sp.exp)._eval_evalf(prec)

    def _shifted(self) -> tuple[sp.Expr, sp.Expr]:
        """:math:`x_j - m` and :math:`\\sum_k e^{x_k - m}` with :math:`m = \\max_k x_k`: no
        exponential overflows."""
        top = sp.Max(*self.logits)
        total = sp.Add(*[sp.exp(x - top) for x in self.logits])
        return self.logits[self.index - 1] - top, total


class SoftmaxEntry(_SoftmaxFunction):
    r"""The softmax entry :math:`\operatorname{softmax}(x)_j = e^{x_j} / \sum_k e^{x_k}`.

    ``SoftmaxEntry(j, x_1, ..., x_n)``, with ``j`` from 1.  Its derivatives are products of
    entries, :math:`\partial_{x_j} \operatorname{softmax}_j = \operatorname{softmax}_j
    \sum_{k \ne j} \operatorname{softmax}_k` and :math:`\partial_{x_k}
    \operatorname{softmax}_j = -\operatorname{softmax}_j \operatorname{softmax}_k`: the
    complement :math:`1 - \operatorname{softmax}_j` is written as the sum of the other
    entries, so that no difference close to 0 is ever formed.

    It lambdifies to :math:`\sigma(-R_j)` with :math:`R_j = \log \sum_{k \ne j} e^{x_k -
    x_j}` (nested ``numpy.logaddexp``): no exponential overflows, and the entry keeps its
    relative accuracy down to the smallest normal float64.

    Examples
    --------
    >>> import sympy as sp
    >>> a, b = sp.symbols("a b", real=True)
    >>> SoftmaxEntry(1, a, b).diff(a)
    SoftmaxEntry(1, a, b)*SoftmaxEntry(2, a, b)
    >>> SoftmaxEntry(1, a, b).rewrite(sp.exp)
    exp(a)/(exp(a) + exp(b))
    >>> f = sp.lambdify([a, b], SoftmaxEntry(2, a, b), "numpy")
    >>> float(f(1000.0, 0.0)), float(f(0.0, 1000.0))  # e^{-1000} underflows; no overflow
    (0.0, 1.0)
    """

    _latex_name = r"\operatorname{softmax}"

    @classmethod
    def eval(cls, j: sp.Expr, *logits: sp.Expr) -> sp.Expr | None:
        cls._check_arguments(j, logits)
        if len(logits) == 1:
            return sp.S.One
        return None

    def fdiff(self, argindex: int = 1) -> sp.Expr:
        if argindex == 1:
            raise ArgumentIndexError(self, argindex)
        k = argindex - 1
        if k == self.index:
            return self * self._others()
        return -self * SoftmaxEntry(k, *self.logits)

    def _eval_rewrite_as_exp(self, j: sp.Expr, *logits: sp.Expr, **kwargs: Any) -> sp.Expr:
        return sp.exp(logits[int(j) - 1]) / sp.Add(*[sp.exp(x) for x in logits])

    def _eval_is_positive(self) -> bool | None:
        return True if all(x.is_real for x in self.logits) else None

    def _numpycode(self, printer: Any) -> str:
        # softmax_j = 1/(1 + e^{R_j}) = exp(-log(1 + e^{R_j})), R_j = log Σ_{k≠j} e^{x_k - x_j}
        code = _relative_log_sum_exp(printer, self.index, self.logits)
        return f"numpy.exp(-numpy.logaddexp(0, {code}))"

    _scipycode = _numpycode

    def _code_form(self) -> sp.Expr:
        own, total = self._shifted()
        return sp.exp(own) / total


class LogSoftmaxEntry(_SoftmaxFunction):
    r"""The log-softmax entry :math:`\log \operatorname{softmax}(x)_j = x_j - \log \sum_k
    e^{x_k}`.

    ``LogSoftmaxEntry(j, x_1, ..., x_n)``, with ``j`` from 1.  Its derivative in :math:`x_j`
    is :math:`\sum_{k \ne j} \operatorname{softmax}_k` (:math:`= 1 - \operatorname{softmax}_j`,
    written without a difference), in :math:`x_k` it is :math:`-\operatorname{softmax}_k`.

    It lambdifies to :math:`-\operatorname{softplus}(R_j)` with :math:`R_j = \log \sum_{k
    \ne j} e^{x_k - x_j}`, so that a log-probability close to 0 keeps its relative accuracy
    (:math:`-e^{-300}` at :math:`x = (300, 0)`, where :math:`x_j - \log\sum_k e^{x_k}` gives
    0).

    Examples
    --------
    >>> import sympy as sp
    >>> a, b = sp.symbols("a b", real=True)
    >>> LogSoftmaxEntry(1, a, b).diff(b)
    -SoftmaxEntry(2, a, b)
    >>> f = sp.lambdify([a, b], LogSoftmaxEntry(1, a, b), "numpy")
    >>> float(f(300.0, 0.0)) == -float(sp.exp(-300))
    True
    """

    _latex_name = r"\log \operatorname{softmax}"

    @classmethod
    def eval(cls, j: sp.Expr, *logits: sp.Expr) -> sp.Expr | None:
        cls._check_arguments(j, logits)
        if len(logits) == 1:
            return sp.S.Zero
        return None

    def fdiff(self, argindex: int = 1) -> sp.Expr:
        if argindex == 1:
            raise ArgumentIndexError(self, argindex)
        k = argindex - 1
        if k == self.index:
            return self._others()
        return -SoftmaxEntry(k, *self.logits)

    def _eval_rewrite_as_exp(self, j: sp.Expr, *logits: sp.Expr, **kwargs: Any) -> sp.Expr:
        return logits[int(j) - 1] - sp.log(sp.Add(*[sp.exp(x) for x in logits]))

    def _eval_is_negative(self) -> bool | None:
        return True if all(x.is_real for x in self.logits) else None

    def _numpycode(self, printer: Any) -> str:
        code = _relative_log_sum_exp(printer, self.index, self.logits)
        return f"(-numpy.logaddexp(0, {code}))"

    _scipycode = _numpycode

    def _code_form(self) -> sp.Expr:
        own, total = self._shifted()
        return own - sp.log(total)


# --- exact comparisons ---------------------------------------------------------------------------

_DIGITS = (15, 100, 1000)
"""The precisions (digits) at which :func:`exact_sign` asks ``evalf`` for a certified value: a
difference of two constants of size 1 is decided down to about :math:`10^{-990}`
(:math:`e^{-2280}`)."""


def exact_sign(value: sp.Expr) -> int | None:
    r"""The sign of a real constant, decided exactly: 1, 0 or -1; ``None`` if undecided.

    A rational number is read off.  Any other constant is evaluated by ``evalf`` with
    ``strict=True``, which raises rather than return digits it cannot guarantee, at 15, then
    100, then 1000 digits (SymPy's own sign tests evaluate at 2 digits, and can be wrong where
    terms cancel to :math:`e^{-700}`); a certified nonzero value fixes the sign.  A value that
    no precision separates from 0 is 0 if ``simplify`` makes it 0.  An expression with free
    symbols has a sign only when its assumptions give one.

    Raises
    ------
    ValueError
        If ``value`` is a number that is not real.

    Examples
    --------
    >>> import sympy as sp
    >>> softmax_1 = sp.exp(300) / (sp.exp(300) + 1 + sp.exp(-300))  # of (300, 0, -300)
    >>> exact_sign(1 - softmax_1), exact_sign(sp.log(6) - sp.log(2) - sp.log(3))
    (1, 0)
    """
    value = sp.sympify(value)
    if value.is_Rational:
        return int(sp.sign(value))
    if value.free_symbols:
        for sign, holds in ((0, value.is_zero), (1, value.is_positive), (-1, value.is_negative)):
            if holds:
                return sign
        return None
    if value.is_extended_real is False:
        raise ValueError(f"{value} is not a real number; a sign is defined for real numbers")
    # |u| of a constant u as ±u, decided the same way: evalf cannot certify |u| when u is tiny
    value = value.replace(
        lambda e: isinstance(e, sp.Abs) and e.args[0].is_number, _without_absolute_value
    )
    for digits in _DIGITS:
        try:
            approximation = value.evalf(digits, maxn=2 * digits, strict=True)
        except PrecisionExhausted:
            if digits == _DIGITS[0] and sp.simplify(value) == 0:
                return 0
            continue
        if isinstance(approximation, sp.Float) and approximation != 0:
            return 1 if approximation > 0 else -1
        if approximation == 0 and sp.simplify(value) == 0:
            return 0
    return None


def _without_absolute_value(absolute: sp.Abs) -> sp.Expr:
    inner = absolute.args[0]
    sign = exact_sign(inner)
    if sign is None:
        return absolute
    return inner if sign >= 0 else -inner


def exact_max(*args: Any) -> sp.Expr:
    r"""The maximum of its arguments, with comparisons of constants decided exactly.

    SymPy's ``Max`` compares constants at two digits and raises ("not comparable") when they
    cannot be told apart there, as for the differences :math:`\approx e^{-300}` of softmax
    entries at logits :math:`\pm 300`.  Here each constant is compared with
    :func:`exact_sign`; symbolic arguments are left to ``Max``.  It never raises on real
    arguments: a comparison that stays undecided leaves an unevaluated ``Max``, an exact
    expression of the same value.

    Examples
    --------
    >>> import sympy as sp
    >>> S = sp.exp(300) + 1 + sp.exp(-300)
    >>> exact_max(sp.Abs(sp.exp(300) / S - 1), 1 / S, sp.exp(-300) / S) == sp.Abs(
    ...     sp.exp(300) / S - 1)
    True
    >>> x = sp.Symbol("x", real=True)
    >>> exact_max(0, x), exact_max(0, sp.Rational(-1, 2))
    (Max(0, x), 0)
    """
    values = [sp.sympify(arg) for arg in args]
    if not values:
        raise ValueError("exact_max() needs at least one argument")
    candidates: list[sp.Expr] = []
    for value in (v for v in values if v.is_number):
        dominated = False
        kept = []
        for candidate in candidates:
            sign = exact_sign(value - candidate)
            if sign == 1:
                continue  # value > candidate: drop the candidate
            if sign is not None:
                dominated = True  # candidate >= value: on a tie the earlier one stays
            kept.append(candidate)
        candidates = kept if dominated else [*kept, value]
    rest = [*candidates, *(v for v in values if not v.is_number)]
    if len(rest) == 1:
        return rest[0]
    if len(candidates) > 1:  # undecided constants: not to be compared again at two digits
        return sp.Max(*rest, evaluate=False)
    try:
        return sp.Max(*rest)
    except ValueError:  # a constant SymPy cannot compare at two digits, next to a symbol
        return sp.Max(*rest, evaluate=False)
