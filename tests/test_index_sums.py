"""Tests of symdl.backpropagation.index_sums: Kronecker deltas over symbolic ranges and the normal
form of sums."""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from symdl.backpropagation.index_sums import assume_indices_in_range, same_entries

n = sp.Symbol("n", integer=True, positive=True)
j, k, m = sp.symbols("j k m", integer=True, positive=True)
j0 = sp.Symbol("j0", integer=True, nonnegative=True)
w, x, d = sp.IndexedBase("w"), sp.IndexedBase("x"), sp.IndexedBase("d")


def _numeric(expr: sp.Expr, size: int, index: int, rng: np.random.Generator) -> float:
    """The formula at n = size, j = index, with random values for every entry."""
    concrete = expr.subs({n: size, j: index}).doit()
    entries = sorted(concrete.atoms(sp.Indexed), key=str)  # same entries, same values
    values = {e: sp.Float(rng.normal(), 30) for e in entries}
    return float(concrete.subs(values))


def test_a_kronecker_sum_collapses_with_the_index_in_range() -> None:
    one_based = sp.Sum(sp.KroneckerDelta(j, k) * x[k], (k, 1, n)).doit()
    assert one_based.has(sp.Piecewise)
    assert assume_indices_in_range(one_based, {j: n}) == x[j]
    zero_based = sp.Sum(sp.KroneckerDelta(j0, k) * x[k], (k, 0, n - 1)).doit()
    assert assume_indices_in_range(zero_based, {j0: n}) == x[j0]
    # without the range the condition stays
    assert assume_indices_in_range(one_based, {}).has(sp.Piecewise)


def test_only_conditions_that_hold_on_the_whole_range_are_taken() -> None:
    # j = 1..n: "j <= n - 1" fails at j = n, so it must not be taken as true
    strict = sp.Piecewise((x[j], j <= n - 1), (sp.S.Zero, True))
    assert assume_indices_in_range(strict, {j: n}) == strict
    assert assume_indices_in_range(sp.Piecewise((x[j], j <= n), (0, True)), {j: n}) == x[j]
    # j0 = 0..n-1: "j0 <= n - 1" holds, "j0 <= n - 2" does not
    assert assume_indices_in_range(sp.Piecewise((x[j0], j0 <= n - 1), (0, True)), {j0: n}) == x[j0]
    tight = sp.Piecewise((x[j0], j0 <= n - 2), (0, True))
    assert assume_indices_in_range(tight, {j0: n}) == tight
    # an index with no sign assumption: nothing is decided
    free = sp.Symbol("i", integer=True)
    loose = sp.Piecewise((x[free], free <= n), (0, True))
    assert assume_indices_in_range(loose, {free: n}) == loose


def test_equal_formulas_with_other_index_names_and_factor_placement() -> None:
    left = sp.Sum(w[k, j] * d[k], (k, 1, n)) * x[j]
    right = sp.Sum(x[j] * d[m] * w[m, j], (m, 1, n))
    assert same_entries(left, right, {j: n})
    # numerically too, at n = 4, j = 2
    values = [_numeric(e, 4, 2, np.random.default_rng(5)) for e in (left, right)]
    assert values[0] == pytest.approx(values[1], rel=1e-12)


def test_nested_sums_do_not_capture_indices() -> None:
    forward = sp.Sum(sp.Sum(w[k, m] * x[m], (m, 1, n)), (k, 1, n))
    transposed = sp.Sum(sp.Sum(w[m, k] * x[m], (m, 1, n)), (k, 1, n))
    renamed = sp.Sum(sp.Sum(w[m, k] * x[k], (k, 1, n)), (m, 1, n))
    assert same_entries(forward, renamed)
    assert not same_entries(forward, transposed)
    # and the difference is real: the two differ at n = 2
    values = [_numeric(e, 2, 1, np.random.default_rng(3)) for e in (forward, transposed)]
    assert abs(values[0] - values[1]) > 1e-6


def test_the_chain_rule_through_a_sum_is_recognised() -> None:
    z_k = sp.Sum(w[k, m] * sp.tanh(x[m]), (m, 1, n))
    chain = sp.Sum(d[k] * sp.diff(z_k, x[j]), (k, 1, n))
    expected = sp.Sum(w[k, j] * d[k], (k, 1, n)) * (1 - sp.tanh(x[j]) ** 2)
    assert same_entries(chain, expected, {j: n})
    assert not same_entries(chain, expected * 2, {j: n})


def test_the_comparison_is_sound_but_not_complete() -> None:
    # the same sum with a shifted summation variable is equal, but not recognised
    shifted = sp.Sum(x[k + 1], (k, 0, n - 1))
    assert not same_entries(sp.Sum(x[k], (k, 1, n)), shifted)
    assert _numeric(sp.Sum(x[k], (k, 1, n)) - shifted, 3, 1, np.random.default_rng(1)) == 0


def test_substitution_dummies_are_named_canonically() -> None:
    f = sp.Function("f")
    t, u = sp.Dummy("t", real=True), sp.Dummy("u")
    at = sp.Sum(x[k], (k, 1, n))
    first = sp.Subs(sp.Derivative(f(t), t), t, at)
    second = sp.Subs(sp.Derivative(f(u), u), u, sp.Sum(x[m], (m, 1, n)))
    assert first != second
    assert same_entries(first, second)
    assert not same_entries(first, sp.Subs(sp.Derivative(f(u), u), u, x[1]))


ATOMS = (w[k, j], w[j, k], x[k], x[j], d[k], sp.tanh(x[k]), sp.Integer(2))


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.tuples(st.sampled_from(ATOMS), st.sampled_from(ATOMS)), min_size=1, max_size=3),
    st.lists(st.tuples(st.sampled_from(ATOMS), st.sampled_from(ATOMS)), min_size=1, max_size=3),
)
def test_same_entries_is_sound(left_terms, right_terms) -> None:
    """Whenever two random sums are declared the same, they agree numerically at n = 3."""

    def build(terms, index):
        return sum(sp.Sum((a * b).xreplace({k: index}), (index, 1, n)) for a, b in terms)

    left, right = build(left_terms, k), build(right_terms, m)
    if same_entries(left, right, {j: n}):
        difference = _numeric(left - right, 3, 2, np.random.default_rng(0))
        assert abs(difference) < 1e-9
    # a sum is always the same as itself with its index renamed
    assert same_entries(left, build(left_terms, m), {j: n})
