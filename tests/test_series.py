"""Tests of the convergence tests for positive series."""

from __future__ import annotations

import mpmath
import numpy as np
import pytest
import sympy as sp

from symdl.core.exceptions import NotSupportedError
from symdl.core.limits import TimeLimitExceededError
from symdl.optimization.series import (
    p_series,
    plain_text,
    positive_at_every_step,
    series_verdict,
    term_range,
)

t = sp.Symbol("t", integer=True, positive=True)


def test_p_series_thresholds() -> None:
    assert p_series(sp.Integer(1), sp.Integer(1), 1).converges is sp.false
    assert p_series(sp.Integer(3), sp.Integer(2), 1).value == sp.pi**2 / 2
    assert p_series(sp.Integer(1), sp.Rational(1, 2), 1).value == sp.oo
    assert "divergence test" in p_series(sp.Integer(1), sp.Integer(-1), 1).reason
    q = sp.Symbol("q", positive=True)
    assert p_series(sp.Integer(1), 3 * q, 1).converges == (q > sp.Rational(1, 3))


@pytest.mark.parametrize(
    ("term", "start", "converges", "value"),
    [
        (1 / (t + 1) ** 2, 1, True, sp.pi**2 / 6 - 1),
        (1 / (2 * t + 3), 1, False, sp.oo),
        (sp.Rational(1, 3) ** t, 1, True, sp.S.Half),
        ((t + 1) / t, 1, False, sp.oo),  # terms tend to 1
        (1 / (t * sp.log(t) ** 2), 2, True, None),
        (1 / (t * sp.log(t)), 2, False, sp.oo),
    ],
)
def test_series_verdicts(term: sp.Expr, start: int, converges: bool, value: sp.Expr) -> None:
    verdict = series_verdict(term, t, start, 1)
    assert bool(verdict.converges) is converges
    if value is None:
        assert verdict.value is None
    elif value == sp.oo:
        assert verdict.value == sp.oo
    else:
        assert sp.simplify(verdict.value - value) == 0


def test_symbolic_parameters_beyond_comparison_are_not_supported() -> None:
    a = sp.Symbol("a", positive=True)
    with pytest.raises(NotSupportedError, match="substitute numbers"):
        series_verdict(1 / (t * sp.log(t) ** a), t, 2, 1)


# --- bounded oscillating factors: interval bounds and the comparison test --------------------


@pytest.mark.parametrize(
    ("expr", "start", "bounds"),
    [
        (2 + sp.sin(t), 1, (1, 3)),
        (1 + sp.sin(t) / t, 10, (sp.Rational(9, 10), sp.Rational(11, 10))),
        # numerator in [2, 4], denominator 1 + 1/t in (1, 2]: the quotient in [1, 4]
        ((3 + (-1) ** t) / (1 + 1 / t), 1, (1, 4)),
        (sp.exp(sp.cos(t)), 1, (sp.exp(-1), sp.E)),
        (t * sp.sin(t), 1, (-sp.oo, sp.oo)),
        (sp.frac(t * sp.sqrt(2)) + 1 / t**2, 2, (0, sp.Rational(5, 4))),
    ],
    ids=str,
)
def test_term_range_by_hand(expr: sp.Expr, start: int, bounds: tuple[sp.Expr, sp.Expr]) -> None:
    assert term_range(expr, t, start) == bounds


def test_term_range_refuses_what_it_cannot_bound() -> None:
    a = sp.Symbol("a", positive=True)
    assert term_range(a / t, t, 1) is None  # a symbol other than t
    assert term_range(1 / sp.sin(t), t, 1) is None  # a division by an interval holding 0
    assert term_range(sp.gamma(sp.sin(t)), t, 1) is None  # no rule for gamma
    with pytest.raises(TypeError, match="not a SymPy expression"):
        term_range("2 + sin(t)", t, 1)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="start"):
        positive_at_every_step(1 / t, t, 1.5)  # type: ignore[arg-type]


def test_term_range_holds_at_every_step(rng: np.random.Generator) -> None:
    # the bounds against the values themselves, at 60 digits, at the first 200 steps
    pieces = [sp.sin(t), sp.cos(2 * t), (-1) ** t, 1 / t, sp.sqrt(t), sp.log(t + 1), sp.Integer(2)]
    for _ in range(40):
        expr: sp.Expr = pieces[rng.integers(len(pieces))]
        for _ in range(3):
            other = pieces[rng.integers(len(pieces))]
            expr = [expr + other, expr * other, expr - other][rng.integers(3)]
        start = int(rng.integers(1, 5))
        bounds = term_range(expr, t, start)
        if bounds is None:
            continue
        function = sp.lambdify(t, expr, modules="mpmath")
        with mpmath.workdps(60):
            low, high = (mpmath.mpf(sp.N(b, 60)) if b.is_finite else b for b in bounds)
            for step in range(start, start + 200):
                value = function(mpmath.mpf(step))
                assert low == -sp.oo or value >= low - 1e-50, (expr, step, bounds)
                assert high == sp.oo or value <= high + 1e-50, (expr, step, bounds)


def test_positivity_proved_not_probed() -> None:
    assert positive_at_every_step((2 + sp.sin(t)) / t, t, 1)
    assert positive_at_every_step(sp.sin(t) ** 2 / t + 1 / t**2, t, 1)  # (t sin²t + 1)/t²
    assert not positive_at_every_step(1 - 1 / t, t, 1)  # 0 at t = 1
    assert positive_at_every_step(1 - 1 / t, t, 2)
    assert not positive_at_every_step(sp.sin(t) / t, t, 1)
    assert not positive_at_every_step(1 / t - sp.Rational(1, 250), t, 1)  # < 0 from t = 251


@pytest.mark.parametrize(
    ("term", "converges"),
    [
        ((2 + sp.sin(t)) / t, False),  # between 1/t and 3/t
        (((2 + sp.sin(t)) / t) ** 2, True),  # between 1/t² and 9/t²
        ((t + sp.sin(t)) / t**2, False),  # 1/t (1 + sin(t)/t), the factor in [9/10, 11/10]
        ((2 + (-1) ** t) / t ** sp.Rational(3, 4), False),
        ((2 + (-1) ** t) / t ** sp.Rational(3, 2), True),
        ((2 + sp.cos(t)) / (t * sp.log(t) ** 2), True),  # Σ 1/(t log²t) < ∞ (condensation)
        (sp.exp(sp.sin(t)) / t, False),  # e^{-1}/t ≤ term
    ],
    ids=str,
)
def test_comparison_with_bounded_factors(term: sp.Expr, converges: bool) -> None:
    verdict = series_verdict(term, t, 2, 1)
    assert bool(verdict.converges) is converges
    assert "comparison test" in verdict.reason
    if not converges:
        assert verdict.value == sp.oo


def test_comparison_keeps_a_symbolic_condition() -> None:
    p = sp.Symbol("p", positive=True)
    verdict = series_verdict((3 + sp.sin(t)) / t**p, t, 1, 1)
    assert verdict.converges == (p > 1)


def test_alternating_terms_are_summed() -> None:
    # Σ (-1)^t/t² = -π²/12 (the alternating zeta η(2) = π²/12) and Σ 2/t² = π²/3
    verdict = series_verdict(((-1) ** t + 2) / t**2, t, 1, 1)
    assert verdict.converges is sp.true
    assert sp.simplify(verdict.value - sp.pi**2 / 4) == 0


@pytest.mark.parametrize(
    "term",
    [
        sp.sin(t) ** 2 / t,  # diverges, but only by equidistribution: no comparison shows it
        sp.exp(t * sp.sin(t)) / t**3,  # the factor is not bounded relative to any power
    ],
    ids=str,
)
def test_oscillating_terms_beyond_comparison_are_not_supported(term: sp.Expr) -> None:
    with pytest.raises(NotSupportedError, match="oscillating"):
        series_verdict(term, t, 1, 1)


def test_series_verdict_has_a_time_limit_and_checks_its_arguments() -> None:
    with pytest.raises(TimeLimitExceededError, match=r"0\.001 s"):
        series_verdict(1 / (t * sp.log(t)), t, 2, 1, seconds=0.001)
    with pytest.raises(ValueError, match="seconds"):
        series_verdict(1 / t**2, t, 1, 1, seconds=0)
    with pytest.raises(TypeError, match="not a SymPy expression"):
        series_verdict("1/t", t, 1, 1)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="start"):
        series_verdict(1 / t**2, t, 1.0, 1)  # type: ignore[arg-type]


def test_plain_text() -> None:
    assert plain_text(sp.pi**2 / 6) == "π²/6"
    assert plain_text(sp.oo) == "∞"
    assert plain_text(sp.zoo) == "∞"
    assert plain_text("zoom = 2**k") == "zoom = 2^k"
