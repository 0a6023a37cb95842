r"""Convergence of positive series: the tests that decide :math:`\sum_t a_t`, and the sums.

:func:`series_verdict` decides whether :math:`\sum_{t \ge t_0} a_t` converges for a positive
term :math:`a_t` (a SymPy expression in an integer symbol :math:`t`) and finds the exact sum
where SymPy can.  The tests, in order (Knopp, *Theory and Application of Infinite Series*,
§§ 13–15):

- the *p-series* :math:`\sum t^{-q}` converges iff :math:`q > 1` (integral test:
  :math:`\int_1^\infty x^{-q}\,dx < \infty` iff :math:`q > 1`), with sum :math:`\zeta(q)`;
  a symbolic :math:`q` gives the condition :math:`q > 1` itself;
- the *divergence test*: terms that do not tend to 0 give a divergent series;
- the *limit comparison test*: if :math:`a_t t^{q} \to \ell \in (0, \infty)` then
  :math:`\sum a_t` behaves as :math:`\sum t^{-q}`; terms that decay faster than every power
  (:math:`\log a_t / \log t \to -\infty`) give a convergent series;
- otherwise SymPy's own tests (:meth:`sympy.concrete.summations.Sum.is_convergent`: ratio,
  root, integral and condensation tests), which decide :math:`1/(t \log t)`.

References
----------
K. Knopp, *Theory and Application of Infinite Series*, Blackie (1951), §§ 13–15 (comparison,
integral and condensation tests).
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

from symdl.core.exceptions import NotSupportedError

__all__ = ["SeriesVerdict", "p_series", "series_verdict"]


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
    # With q = a·p for a symbolic p, state the condition on p itself: p > 1/a.
    factor, rest = q.as_coeff_Mul()
    converges = sp.Gt(rest, 1 / factor) if factor.is_positive and rest != 1 else sp.Gt(q, 1)
    if converges is sp.true:
        value: sp.Expr = coefficient * sp.zeta(q)
    elif converges is sp.false:
        value = sp.oo
    else:
        value = sp.Piecewise((coefficient * sp.zeta(q), converges), (sp.oo, True))
    if q.is_nonpositive:
        return SeriesVerdict(power, sp.false, sp.oo, "divergence test: the terms do not tend to 0")
    reason = f"p-series with exponent {q}: converges iff {q} > 1 (integral test)"
    return SeriesVerdict(power, converges, value, reason)


def series_verdict(term: sp.Expr, t: sp.Symbol, start: int, power: int) -> SeriesVerdict:
    r"""Decide :math:`\sum_{t \ge \text{start}} a_t` for a positive term :math:`a_t`, with its sum.

    ``power`` only labels the verdict (the term is already :math:`\eta_t^k`).

    Raises
    ------
    NotSupportedError
        No implemented test decides the series.

    Examples
    --------
    >>> t = sp.Symbol("t", integer=True, positive=True)
    >>> series_verdict(1 / (t + 1) ** 2, t, 1, 2).value
    -1 + pi**2/6

    References
    ----------
    Knopp (1951), §§ 13–15 (comparison, integral and condensation tests).
    """
    coefficient, rest = term.as_independent(t, as_Add=False)
    base, exponent = rest.as_base_exp()
    if base == t and not exponent.has(t):
        return p_series(coefficient, -exponent, power)
    verdict = _limit_comparison(rest, t, power)
    if verdict is None:
        verdict = _sympy_tests(rest, t, start, power)
    if verdict.converges is sp.false:
        return SeriesVerdict(power, sp.false, sp.oo, verdict.reason)
    closed = sp.Sum(term, (t, start, sp.oo)).doit()
    value = None if closed.has(sp.Sum) else _tidy(closed)
    return SeriesVerdict(power, verdict.converges, value, verdict.reason)


def _tidy(closed: sp.Expr) -> sp.Expr:
    # SymPy sums Σ 1/(t + a)^s as Lerch's Φ(1, s, a), which is the Hurwitz zeta ζ(s, a).
    closed = closed.replace(
        lambda e: isinstance(e, sp.lerchphi) and e.args[0] == 1,
        lambda e: sp.zeta(e.args[1], e.args[2]),
    )
    return sp.simplify(closed)


def _limit_comparison(rest: sp.Expr, t: sp.Symbol, power: int) -> SeriesVerdict | None:
    x = sp.Symbol("x", positive=True)  # limits behave better over the positive reals
    positive_rest = rest.subs(t, x)
    try:
        tail = sp.limit(positive_rest, x, sp.oo)
        if tail.is_positive:
            return SeriesVerdict(
                power, sp.false, sp.oo, "divergence test: terms tend to a limit > 0"
            )
        rate = sp.limit(sp.log(positive_rest) / sp.log(x), x, sp.oo)
        if rate == -sp.oo:
            return SeriesVerdict(
                power, sp.true, None, "comparison with Σ 1/t²: terms decay faster than any power"
            )
        if not rate.is_finite or not rate.is_real:
            return None
        ratio = sp.limit(positive_rest * x ** (-rate), x, sp.oo)
    except (NotImplementedError, ValueError, TypeError):  # SymPy's limit gave up
        return None
    if ratio.is_positive and ratio.is_finite:
        q = -rate
        return SeriesVerdict(
            power, sp.Gt(q, 1), None, f"limit comparison with the p-series Σ 1/t^{q}"
        )
    return None


def _sympy_tests(rest: sp.Expr, t: sp.Symbol, start: int, power: int) -> SeriesVerdict:
    if rest.free_symbols - {t}:
        raise NotSupportedError(
            f"cannot decide the convergence of Σ {rest}: the comparison tests were inconclusive "
            f"and SymPy's tests handle one symbol only; substitute numbers for "
            f"{sorted(map(str, rest.free_symbols - {t}))}"
        )
    try:
        converges = sp.Sum(rest, (t, start, sp.oo)).is_convergent()
    except NotImplementedError as error:
        raise NotSupportedError(f"cannot decide the convergence of Σ {rest}: {error}") from error
    if converges not in (sp.true, sp.false):
        raise NotSupportedError(f"SymPy cannot decide the convergence of Σ {rest}")
    return SeriesVerdict(
        power, converges, None, "SymPy's convergence tests (integral/condensation)"
    )
