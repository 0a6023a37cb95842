r"""Convergence of positive series: the tests that decide :math:`\sum_t a_t`, and the sums.

:func:`series_verdict` decides whether :math:`\sum_{t \ge t_0} a_t` converges for a positive
term :math:`a_t` (a SymPy expression in an integer symbol :math:`t`) and finds the exact sum
where SymPy can.  The tests, in order (Knopp, *Theory and Application of Infinite Series*,
§§ 13–15):

- the *p-series* :math:`\sum t^{-q}` converges iff :math:`q > 1` (integral test:
  :math:`\int_1^\infty x^{-q}\,dx < \infty` iff :math:`q > 1`), with sum :math:`\zeta(q)`;
  a symbolic :math:`q` gives the condition :math:`q > 1` itself;
- the *comparison test* for terms with bounded oscillating factors (:math:`\sin`,
  :math:`\cos`, :math:`(-1)^t`, the fractional part): :math:`a_t` is compared with the
  sequence :math:`r_t` obtained by putting each oscillating factor at the middle of its range,
  and :math:`m \le a_t / r_t \le M` (:math:`0 < m`, :math:`M < \infty`) is proved for every
  :math:`t \ge N` by exact interval arithmetic (:func:`term_range`); then :math:`\sum a_t`
  converges iff :math:`\sum r_t` does.  :math:`(2 + \sin t)/t` lies between :math:`1/t` and
  :math:`3/t`, so its sum diverges and the sum of its squares converges;
- the *divergence test*: terms that do not tend to 0 give a divergent series;
- the *limit comparison test*: if :math:`a_t t^{q} \to \ell \in (0, \infty)` then
  :math:`\sum a_t` behaves as :math:`\sum t^{-q}`; terms that decay faster than every power
  (:math:`\log a_t / \log t \to -\infty`) give a convergent series.  A limit in the real
  variable that exists is the limit of the sequence; an oscillating one decides nothing;
- otherwise SymPy's own tests (:meth:`sympy.concrete.summations.Sum.is_convergent`: ratio,
  root, integral and condensation tests), which decide :math:`1/(t \log t)`.

Every SymPy call (a limit, a sum, a simplification) runs under a short time budget
(:data:`STEP_SECONDS`): a test that does not finish in it decides nothing, and when no test
decides, :class:`~symdl.core.exceptions.NotSupportedError` says so.  :func:`series_verdict`
as a whole runs under ``seconds``.

References
----------
K. Knopp, *Theory and Application of Infinite Series*, Blackie (1951), §§ 13–15 (comparison,
integral and condensation tests).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from typing import TypeVar

import sympy as sp

from symdl.core.exact import exact_number
from symdl.core.exceptions import NotSupportedError
from symdl.core.limits import TimeLimitExceededError, deadline
from symdl.core.notation import plain_expr

__all__ = [
    "STEP_SECONDS",
    "SeriesVerdict",
    "p_series",
    "plain_text",
    "positive_at_every_step",
    "series_verdict",
    "term_range",
]

#: The time (seconds) one SymPy call may take before the test that needs it decides nothing.
STEP_SECONDS = 10.0

_T = TypeVar("_T")

# the time given to SymPy's search for the closed-form sum of an oscillating term
_CLOSED_FORM_OSCILLATING = 3.0

# the largest integer q whose ζ(q) is evaluated (through a Bernoulli number)
_LARGEST_ZETA = 1000


@dataclass(frozen=True)
class SeriesVerdict:
    r"""Whether :math:`\sum_t \eta_t^k` converges, its value when known, and why.

    ``power`` is :math:`k`.  ``converges`` is a SymPy Boolean: ``sympy.true``, ``sympy.false``,
    or a condition on the schedule's symbols (``p > 1/2`` for :math:`c/t^p` with a symbolic
    :math:`p`).  ``value`` is the exact sum (``oo`` when divergent) or ``None`` when no closed
    form was found.
    """

    power: int
    converges: sp.Basic
    value: sp.Expr | None
    reason: str


def plain_text(value: object) -> str:
    """A SymPy value, or a message that shows some, in plain mathematical notation.

    A value in the lecture's Unicode notation (:func:`symdl.core.notation.plain_expr`), a truth
    value as yes or no; in a message (text), powers written ``^`` and infinity ``∞``.

    Examples
    --------
    >>> plain_text(sp.pi**2 / 6), plain_text(sp.oo), plain_text("Σ 1/t**2 = pi**2/6")
    ('π²/6', '∞', 'Σ 1/t^2 = pi^2/6')
    >>> w = sp.Symbol("omega", real=True)
    >>> plain_text(sp.Piecewise((sp.S.Half, sp.Abs(w) < 1), (0, True)))
    '{½ for |ω| < 1; 0 otherwise}'
    """
    if isinstance(value, bool):
        return "yes" if value else "no"
    if value is sp.true or value is sp.false:
        return "yes" if value is sp.true else "no"
    if value is sp.zoo:  # 1/0: SymPy's complex infinity, an infinite value
        return "∞"
    if isinstance(value, sp.Basic):
        return plain_expr(value)
    text = str(value).replace("**", "^")
    return re.sub(r"\b(?:z?oo)\b", "∞", text)


def _attempt(function: Callable[[], _T], seconds: float = STEP_SECONDS) -> _T | None:
    """``function()`` within its own budget; ``None`` if SymPy gave up or ran out of it.

    The time limit of a caller (an enclosing :func:`~symdl.core.limits.deadline` that ends
    first) is not caught: it passes through.
    """
    end = time.monotonic() + seconds
    try:
        with deadline(seconds):
            return function()
    except TimeLimitExceededError:
        if time.monotonic() < end - 1e-3:  # an enclosing deadline fired first
            raise
        return None
    except Exception:  # SymPy's own failures (NotImplementedError, PolynomialError, ...)
        return None


# --- exact interval arithmetic on the terms of a sequence -------------------------------------

Interval = tuple[sp.Expr, sp.Expr]

# functions that increase on their domain, with the lower end their domain needs (None: ℝ)
_INCREASING: dict[type, sp.Expr | None] = {
    sp.exp: None,
    sp.log: sp.S.Zero,
    sp.atan: None,
    sp.tanh: None,
    sp.sinh: None,
    sp.asinh: None,
    sp.erf: None,
}


def _decided(value: sp.Basic) -> bool:
    return (
        isinstance(value, sp.Expr)
        and not isinstance(value, (sp.Min, sp.Max))
        and (value.is_extended_real is True)
    )


def _low_high(candidates: list[sp.Expr]) -> Interval | None:
    if any(c is sp.nan for c in candidates):
        return None
    low, high = sp.Min(*candidates), sp.Max(*candidates)
    return (low, high) if _decided(low) and _decided(high) else None


def _times(a: sp.Expr, b: sp.Expr) -> sp.Expr:
    # an end 0 is attained (the values are finite), so 0 times an unbounded end is 0
    return sp.S.Zero if a == 0 or b == 0 else a * b


def _is(relation: sp.Basic) -> bool:
    return relation is sp.true


def _reciprocal(low: sp.Expr, high: sp.Expr) -> Interval | None:
    if not (_is(low > 0) or _is(high < 0)):
        return None  # 0 is in the interval
    return (1 / high, 1 / low)


def _integer_power(low: sp.Expr, high: sp.Expr, n: int) -> Interval | None:
    if n < 0:
        inverse = _reciprocal(low, high)
        return None if inverse is None else _integer_power(*inverse, -n)
    if n % 2 == 1 or _is(low >= 0):
        return (low**n, high**n)
    if _is(high <= 0):
        return (high**n, low**n)
    return _low_high([sp.S.Zero, low**n, high**n])


def _power(base: Interval, exponent: sp.Expr) -> Interval | None:
    low, high = base
    if exponent.is_Integer:
        return _integer_power(low, high, int(exponent))
    if exponent.is_extended_real is not True or exponent.is_finite is not True:
        return None
    if _is(exponent > 0) and _is(low >= 0):
        return (low**exponent, high**exponent)
    if _is(exponent < 0) and _is(low > 0):
        return (high**exponent, low**exponent)
    return None


def _enclose(node: sp.Basic, t: sp.Symbol, first: int) -> Interval | None:
    """Exact ends of an interval holding ``node`` at every integer ``t ≥ first``, or None."""
    if not node.has(t):
        if isinstance(node, sp.Expr) and node.is_number and node.is_extended_real is True:
            return (node, node) if node.is_finite else None
        return None  # a constant with symbols: not bounded here
    if node == t:
        return (sp.Integer(first), sp.oo)
    if isinstance(node, sp.Add):
        ends = [_enclose(a, t, first) for a in node.args]
        if any(e is None for e in ends):
            return None
        low = sp.Add(*(e[0] for e in ends if e is not None))
        high = sp.Add(*(e[1] for e in ends if e is not None))
        return None if sp.nan in (low, high) else (low, high)
    if isinstance(node, sp.Mul):
        result: Interval | None = (sp.S.One, sp.S.One)
        for factor in node.args:
            end = _enclose(factor, t, first)
            if end is None or result is None:
                return None
            products = [_times(a, b) for a in result for b in end]
            result = _low_high(products)
        return result
    if isinstance(node, sp.Pow):
        base, exponent = node.args
        if base == -1 and exponent.is_integer is True:  # (-1)^n
            return (sp.Integer(-1), sp.Integer(1))
        if exponent.has(t):  # b^e with a constant base b > 0: monotone in e
            if base.has(t) or not (base.is_number and _is(base > 0)):
                return None
            powers = _enclose(exponent, t, first)
            if powers is None:
                return None
            return _low_high([base ** powers[0], base ** powers[1]])
        inner = _enclose(base, t, first)
        return None if inner is None else _power(inner, exponent)
    if isinstance(node, (sp.sin, sp.cos)):
        return (sp.Integer(-1), sp.Integer(1)) if node.args[0].is_extended_real else None
    if isinstance(node, sp.frac):
        return (sp.S.Zero, sp.S.One) if node.args[0].is_extended_real else None
    inner = _enclose(node.args[0], t, first) if node.args else None
    if inner is None:
        return None
    low, high = inner
    if isinstance(node, sp.Abs):
        if _is(low >= 0):
            return inner
        if _is(high <= 0):
            return (-high, -low)
        return _low_high([sp.S.Zero, -low, high])
    if type(node) in _INCREASING and len(node.args) == 1:
        domain = _INCREASING[type(node)]
        if domain is not None and not _is(low > domain):
            return None
        return _low_high([type(node)(low), type(node)(high)])
    return None


def _check_sequence(term: object, t: object, start: object) -> None:
    """Refuse what is not a term in the integer ``t`` from an integer ``start``."""
    if not isinstance(t, sp.Symbol):
        raise TypeError(f"t={t!r} is not a SymPy Symbol; give the index of the sequence")
    if not isinstance(term, sp.Expr):
        raise TypeError(f"term={term!r} is not a SymPy expression; give the term a_t in {t}")
    if isinstance(start, bool) or not isinstance(start, int):
        raise TypeError(f"start={start!r} is not an integer; give the first index, a Python int")


def _forms(expr: sp.Expr) -> Iterator[sp.Expr]:
    """``expr`` and equal forms that interval arithmetic may bound more tightly."""
    yield expr
    for rewrite in (sp.expand, sp.cancel):
        form = _attempt(partial(rewrite, expr), seconds=2.0)
        if isinstance(form, sp.Expr) and form != expr:
            yield form


def term_range(expr: sp.Expr, t: sp.Symbol, start: int) -> Interval | None:
    r"""Exact bounds :math:`m \le a_t \le M` for every integer :math:`t \ge` ``start``, or None.

    Interval arithmetic with exact ends (``M`` may be ``oo``) over :math:`t \in [`start
    :math:`, \infty)`, with :math:`\sin`, :math:`\cos` and :math:`(-1)^n` in
    :math:`[-1, 1]` and the fractional part in :math:`[0, 1]`.  Each step encloses every value
    it can take, so the bounds are proved (they may be loose: each occurrence of a factor
    varies on its own).  Several equal forms of ``expr`` are bounded and the bounds
    intersected.  ``None`` when some part has no enclosure (a symbol other than ``t``, a
    function without a rule, a division by an interval that holds 0).

    Examples
    --------
    >>> t = sp.Symbol("t", integer=True, positive=True)
    >>> term_range(2 + sp.sin(t), t, 1)
    (1, 3)
    >>> term_range(1 + sp.sin(t) / t, t, 10)
    (9/10, 11/10)
    >>> term_range((-1) ** t / t, t, 2)
    (-1/2, 1/2)
    """
    _check_sequence(expr, t, start)
    lows: list[sp.Expr] = []
    highs: list[sp.Expr] = []
    for form in _forms(expr):
        found = _attempt(partial(_enclose, form, t, start), seconds=2.0)
        if found is not None:
            lows.append(found[0])
            highs.append(found[1])
    if not lows:
        return None
    low, high = sp.Max(*lows), sp.Min(*highs)  # each form's bounds hold: so does the meet
    return (low, high) if _decided(low) and _decided(high) else (lows[0], highs[0])


def positive_at_every_step(expr: sp.Expr, t: sp.Symbol, start: int) -> bool:
    r"""Whether :math:`a_t > 0` is *proved* for every integer :math:`t \ge` ``start``.

    By SymPy's assumptions on :math:`t = \text{start} + k`, :math:`k \ge 0` an integer; by the
    factors or terms of a product or sum, each proved positive; or by a positive lower bound
    of :func:`term_range`.  ``False`` means "not proved", not "negative somewhere".

    Examples
    --------
    >>> t = sp.Symbol("t", integer=True, positive=True)
    >>> positive_at_every_step((2 + sp.sin(t)) / t, t, 1)
    True
    >>> positive_at_every_step(1 - 1 / t, t, 1), positive_at_every_step(1 - 1 / t, t, 2)
    (False, True)
    """
    _check_sequence(expr, t, start)
    k = sp.Dummy("k", integer=True, nonnegative=True)

    def proved(node: sp.Expr) -> bool:
        if _attempt(lambda: node.subs(t, start + k).is_positive, seconds=2.0) is True:
            return True
        if isinstance(node, (sp.Mul, sp.Add)) and all(proved(a) for a in node.args):
            return True
        real_power = isinstance(node, sp.Pow) and node.exp.is_extended_real is True
        if real_power and not node.exp.has(t) and proved(node.base):
            return True
        bounds = term_range(node, t, start)
        return bounds is not None and _is(bounds[0] > 0)

    for form in (expr, _attempt(lambda: sp.factor(sp.together(expr)), seconds=2.0)):
        if isinstance(form, sp.Expr) and proved(form):
            return True
    return False


# --- the tests --------------------------------------------------------------------------------


def p_series(coefficient: sp.Expr, q: sp.Expr, power: int) -> SeriesVerdict:
    r""":math:`\sum_{t \ge 1} C t^{-q}`: convergent iff :math:`q > 1`, with sum :math:`C\zeta(q)`.

    Examples
    --------
    >>> p_series(sp.Integer(1), sp.Integer(2), 1).value
    pi**2/6

    References
    ----------
    Knopp (1951), §§ 13–15 (the integral test and the p-series).
    """
    coefficient = exact_number(coefficient, name="coefficient")
    q = exact_number(q, name="q")
    # With q = a·p for a symbolic p, state the condition on p itself: p > 1/a.
    factor, rest = q.as_coeff_Mul()
    converges = sp.Gt(rest, 1 / factor) if factor.is_positive and rest != 1 else sp.Gt(q, 1)
    # ζ of an even integer is a Bernoulli number times π^q: beyond a few thousand, far too
    # long to compute, so it stays ζ(q)
    zeta = sp.zeta(q, evaluate=not (q.is_Integer and q > _LARGEST_ZETA))
    if converges is sp.true:
        value: sp.Expr = coefficient * zeta
    elif converges is sp.false:
        value = sp.oo
    else:
        value = sp.Piecewise((coefficient * zeta, converges), (sp.oo, True))
    if q.is_nonpositive:
        return SeriesVerdict(power, sp.false, sp.oo, "divergence test: the terms do not tend to 0")
    reason = (
        f"p-series with exponent {plain_text(q)}: converges iff {plain_text(q)} > 1 (integral test)"
    )
    return SeriesVerdict(power, converges, value, reason)


def series_verdict(
    term: sp.Expr, t: sp.Symbol, start: int, power: int, *, seconds: float = 30.0
) -> SeriesVerdict:
    r"""Decide :math:`\sum_{t \ge \text{start}} a_t` for a positive term :math:`a_t`, with its sum.

    ``power`` only labels the verdict (the term is already :math:`\eta_t^k`).  The whole
    decision runs within ``seconds``; each SymPy call within :data:`STEP_SECONDS`.

    Raises
    ------
    TypeError
        ``term`` is not a SymPy expression, ``t`` not a Symbol, ``start`` or ``power`` not an
        integer.
    ValueError
        ``seconds`` is not a positive number.
    NotSupportedError
        No implemented test decides the series.
    TimeLimitExceededError
        The decision took more than ``seconds``.

    Examples
    --------
    >>> t = sp.Symbol("t", integer=True, positive=True)
    >>> series_verdict(1 / (t + 1) ** 2, t, 1, 2).value
    -1 + pi**2/6
    >>> verdict = series_verdict((2 + sp.sin(t)) / t, t, 1, 1)
    >>> verdict.converges, verdict.value
    (False, oo)

    References
    ----------
    Knopp (1951), §§ 13–15 (comparison, integral and condensation tests).
    """
    _check_sequence(term, t, start)
    if isinstance(power, bool) or not isinstance(power, int):
        raise TypeError(f"power={power!r} is not an integer; give a Python int")
    with deadline(seconds):
        return _verdict(term, t, start, power)


def _verdict(term: sp.Expr, t: sp.Symbol, start: int, power: int) -> SeriesVerdict:
    coefficient, rest = term.as_independent(t, as_Add=False)
    base, exponent = rest.as_base_exp()
    if base == t and not exponent.has(t):
        return p_series(coefficient, -exponent, power)
    factors = _oscillating(rest, t)
    oscillating = bool(factors)
    if oscillating:
        # SymPy's own tests read an oscillating term through its order O(·), an upper bound:
        # they could call a series divergent that is not, so only the comparison decides
        verdict = _bounded_comparison(term, t, start, power)
        if verdict is None:
            raise NotSupportedError(
                f"cannot decide the convergence of Σ {plain_text(rest)}: its oscillating "
                "factors are not bounded away from 0 and ∞ relative to a sequence whose "
                "series is decided (comparison test), and no other test applies to "
                "oscillating terms"
            )
    else:
        verdict = _limit_comparison(rest, t, power) or _sympy_tests(rest, t, start, power)
    if verdict.converges is sp.false:
        return SeriesVerdict(power, sp.false, sp.oo, verdict.reason)
    # SymPy sums alternating terms ((-1)^t), but not sines and cosines of t: it searches long
    # before it gives up, so those are not tried
    closed = None
    if not oscillating:
        closed = _attempt(lambda: sp.Sum(term, (t, start, sp.oo)).doit())
    elif all(isinstance(f, sp.Pow) for f in factors):
        closed = _attempt(
            lambda: sp.Sum(term, (t, start, sp.oo)).doit(), seconds=_CLOSED_FORM_OSCILLATING
        )
    value = None if closed is None or closed.has(sp.Sum) else _tidy(closed)
    return SeriesVerdict(power, verdict.converges, value, verdict.reason)


def _tidy(closed: sp.Expr) -> sp.Expr:
    # SymPy sums Σ 1/(t + a)^s as Lerch's Φ(1, s, a), which is the Hurwitz zeta ζ(s, a).
    closed = closed.replace(
        lambda e: isinstance(e, sp.lerchphi) and e.args[0] == 1,
        lambda e: sp.zeta(e.args[1], e.args[2]),
    )
    simpler = _attempt(lambda: sp.simplify(closed))
    return closed if simpler is None else simpler


# Oscillating factors: where each lies, and the middle of that range.
def _oscillating(expr: sp.Expr, t: sp.Symbol) -> dict[sp.Expr, sp.Expr]:
    """The outermost bounded oscillating factors of ``expr`` in ``t``, each with the middle of
    its range (sin, cos, (-1)^n: 0; the fractional part: 1/2)."""
    found: dict[sp.Expr, sp.Expr] = {}
    for node in sp.preorder_traversal(expr):
        if not isinstance(node, sp.Expr) or not node.has(t) or any(a.has(node) for a in found):
            continue
        if isinstance(node, (sp.sin, sp.cos)) and node.args[0].is_extended_real:
            found[node] = sp.S.Zero
        elif isinstance(node, sp.frac) and node.args[0].is_extended_real:
            found[node] = sp.S.Half
        elif isinstance(node, sp.Pow) and node.base == -1 and node.exp.is_integer:
            found[node] = sp.S.Zero
    return found


def _bounded_comparison(
    term: sp.Expr, t: sp.Symbol, start: int, power: int
) -> SeriesVerdict | None:
    """The comparison test against the term with its oscillating factors at fixed values."""
    middles = _oscillating(term, t)
    tops = dict.fromkeys(middles, sp.S.One)
    for values in (middles, tops):
        reference = term.xreplace(values)
        if reference == 0 or _oscillating(reference, t):
            continue
        if not positive_at_every_step(reference, t, start):
            continue
        try:
            compared = _verdict(reference, t, start, power)
        except NotSupportedError:
            continue
        ratio = term / reference
        for first in sorted({start, max(start, 10), max(start, 100), max(start, 10**4)}):
            bounds = term_range(ratio, t, first)
            if bounds is None:
                continue
            low, high = bounds
            below, above = _is(low > 0), high.is_finite is True
            if compared.converges is sp.true and above:
                converges: sp.Basic = sp.true
            elif compared.converges is sp.false and below:
                converges = sp.false
            elif below and above:
                converges = compared.converges
            else:
                continue
            shown = ", ".join(plain_text(a) for a in values)
            reason = (
                f"comparison test: {plain_text(low)} ≤ a_t / r_t ≤ {plain_text(high)} for "
                f"t ≥ {first}, where r_t = {plain_text(reference)} (the term with "
                f"{shown} at {', '.join(plain_text(v) for v in values.values())}); "
                f"for Σ r_t: {compared.reason}"
            )
            return SeriesVerdict(power, converges, None, reason)
    return None


def _limit(expr: sp.Expr, x: sp.Symbol) -> sp.Expr | None:
    """The limit at ∞ when it exists (SymPy finds it in time, and it is not oscillating)."""
    found = _attempt(lambda: sp.limit(expr, x, sp.oo))
    if not isinstance(found, sp.Expr) or found.has(sp.AccumBounds, sp.Limit, sp.nan):
        return None
    return found


def _limit_comparison(rest: sp.Expr, t: sp.Symbol, power: int) -> SeriesVerdict | None:
    # A limit in the real variable x that exists is the limit of the sequence at integers.
    if rest.has(sp.floor, sp.ceiling):
        return None
    x = sp.Symbol("x", positive=True)  # limits behave better over the positive reals
    positive_rest = rest.subs(t, x)
    tail = _limit(positive_rest, x)
    if tail is None:
        return None
    if tail.is_positive:
        return SeriesVerdict(power, sp.false, sp.oo, "divergence test: terms tend to a limit > 0")
    rate = _limit(sp.log(positive_rest) / sp.log(x), x)
    if rate is None:
        return None
    if rate == -sp.oo:
        return SeriesVerdict(
            power, sp.true, None, "comparison with Σ 1/t²: terms decay faster than any power"
        )
    if not rate.is_finite or not rate.is_real:
        return None
    ratio = _limit(positive_rest * x ** (-rate), x)
    if ratio is not None and ratio.is_positive and ratio.is_finite:
        q = -rate
        return SeriesVerdict(
            power, sp.Gt(q, 1), None, f"limit comparison with the p-series Σ 1/t^{plain_text(q)}"
        )
    return None


def _sympy_tests(rest: sp.Expr, t: sp.Symbol, start: int, power: int) -> SeriesVerdict:
    if rest.free_symbols - {t}:
        raise NotSupportedError(
            f"cannot decide the convergence of Σ {plain_text(rest)}: the comparison tests were "
            f"inconclusive and SymPy's tests handle one symbol only; substitute numbers for "
            f"{sorted(map(str, rest.free_symbols - {t}))}"
        )
    converges = _attempt(lambda: sp.Sum(rest, (t, start, sp.oo)).is_convergent())
    if converges not in (sp.true, sp.false):
        raise NotSupportedError(
            f"cannot decide the convergence of Σ {plain_text(rest)}: the comparison tests were "
            f"inconclusive, and SymPy's tests did not decide within {STEP_SECONDS:g} s"
        )
    return SeriesVerdict(
        power, converges, None, "SymPy's convergence tests (integral/condensation)"
    )
