"""Tests of the convergence tests for positive series."""

from __future__ import annotations

import pytest
import sympy as sp

from symdl.core.exceptions import NotSupportedError
from symdl.optimization.series import p_series, series_verdict

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
