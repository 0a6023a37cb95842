r"""Sums over symbolic index ranges: Kronecker deltas collapsed, and a normal form to compare.

A formula for an entry of a vector of symbolic length :math:`n` (a gradient entry,
:math:`\sum_{k=1}^{n} w_{kj} \delta_k \sigma'(z_j)`) is a SymPy ``Sum`` over ``Indexed`` or
``MatrixElement`` entries.  Differentiating such a sum by an entry gives Kronecker deltas;
SymPy collapses their sums (``doit``), with a condition that the free index lies in its range
(:func:`assume_indices_in_range` takes it as true).  Two formulas are the same
(:func:`same_entries`) when their normal forms agree: one term per sum, the factors that do
not depend on the summation index outside, and the summation indices renamed canonically.

The comparison is sound (equal normal forms are equal formulas) but not complete: two equal
formulas whose sums need an identity beyond this normal form (a change of summation
variable, a telescoping sum) are reported as different.
"""

from __future__ import annotations

from collections.abc import Mapping

import sympy as sp

__all__ = ["assume_indices_in_range", "same_entries"]


def _in_range_decision(relation: sp.Basic, index: sp.Symbol, size: sp.Expr) -> sp.Basic:
    # An index declared positive counts 1..n: write n = index + p with p >= 0.  One declared
    # nonnegative counts 0..n-1: write n = index + 1 + p.  Any other index: decide nothing.
    if index.is_positive:
        offset = 0
    elif index.is_nonnegative:
        offset = 1
    else:
        return relation
    p = sp.Dummy("p", integer=True, nonnegative=True)
    decided = relation.subs(size, index + offset + p)
    return decided if decided in (sp.true, sp.false) else relation


def assume_indices_in_range(expr: sp.Expr, ranges: Mapping[sp.Symbol, sp.Expr]) -> sp.Expr:
    r"""Resolve the conditions :math:`0 \le i < n` that SymPy attaches to a symbolic index.

    ``ranges`` maps each index to the size :math:`n` of its range.  A sum of Kronecker deltas
    over a symbolic range gives ``Piecewise((value, i <= n - 1), (0, True))``; an index of a
    vector of size :math:`n` lies in range, so the value is taken.  An index declared
    ``nonnegative=True`` counts :math:`0, \dots, n - 1`, one declared ``positive=True``
    counts :math:`1, \dots, n`; for an index without either assumption nothing is decided.

    Examples
    --------
    >>> import sympy as sp
    >>> n = sp.Symbol("n", integer=True, positive=True)
    >>> j, m = sp.symbols("j m", integer=True, nonnegative=True)
    >>> x = sp.IndexedBase("x")
    >>> collapsed = sp.Sum(sp.KroneckerDelta(j, m) * x[m], (m, 0, n - 1)).doit()
    >>> collapsed.has(sp.Piecewise), assume_indices_in_range(collapsed, {j: n})
    (True, x[j])
    """

    def resolve(piecewise: sp.Piecewise) -> sp.Expr:
        for value, condition in piecewise.args:
            decided = condition
            for index, size in ranges.items():
                decided = decided.replace(
                    lambda r: isinstance(r, sp.core.relational.Relational),
                    lambda r, index=index, size=size: _in_range_decision(r, index, size),
                )
            if decided == sp.true:
                return value
            if decided != sp.false:
                return piecewise  # undecided: this branch may hold, so nothing is resolved
        return piecewise

    return expr.replace(lambda e: isinstance(e, sp.Piecewise), resolve)


def _collapse(expr: sp.Expr, ranges: Mapping[sp.Symbol, sp.Expr]) -> sp.Expr:
    """Evaluate the sums of Kronecker deltas, nested ones too, with the indices in range."""
    for _ in range(8):  # one level of nesting per pass
        collapsed = assume_indices_in_range(expr.doit(), ranges)
        if collapsed == expr:
            break
        expr = collapsed
    return expr


def _height(expr: sp.Basic) -> int:
    """How deeply sums nest in ``expr`` (0: no sum; a sum over two indices counts 2)."""
    own = len(expr.limits) if isinstance(expr, sp.Sum) else 0
    return own + max((_height(arg) for arg in expr.args), default=0)


def _one_sum(function: sp.Expr, limit: tuple[sp.Symbol, sp.Expr, sp.Expr]) -> sp.Expr:
    """Sum ``function`` over one limit, term by term, constants outside, the index renamed."""
    variable, low, high = limit
    total = sp.S.Zero
    for term in sp.Add.make_args(sp.expand(function)):
        constant, dependent = term.as_independent(variable, as_Add=False)
        index = sp.Symbol(f"summation_index_{_height(dependent)}", integer=True)
        total += constant * sp.Sum(dependent.xreplace({variable: index}), (index, low, high))
    return total


def _canonical_sums(expr: sp.Expr) -> sp.Expr:
    """A normal form of sums: one term per sum, constant factors outside, indices renamed.

    Built bottom-up: a sum's index is named after the nesting height of its summand, so
    inner indices never capture outer ones and equal sums get equal names wherever they sit.
    """
    if isinstance(expr, sp.Sum):
        result = _canonical_sums(expr.function)
        for limit in expr.limits:  # innermost first
            result = _one_sum(result, limit)
        return result
    if isinstance(expr, sp.Subs):
        # σ'(e) is Subs(Derivative(σ(t), t), t, e) with a dummy t: name the dummies canonically
        inner, variables, points = expr.args
        names = [sp.Symbol(f"substituted_{place}") for place in range(len(variables))]
        inner = inner.xreplace(dict(zip(variables, names, strict=True)))
        return sp.Subs(inner, names, [_canonical_sums(point) for point in points])
    if not expr.args:
        return expr
    return expr.func(*(_canonical_sums(arg) for arg in expr.args))


def same_entries(a: sp.Expr, b: sp.Expr, ranges: Mapping[sp.Symbol, sp.Expr] | None = None) -> bool:
    """True when two entry formulas (sums over symbolic ranges) are identical.

    ``ranges`` maps each free index to the size of its range, so that SymPy's condition
    :math:`0 \\le i \\le n - 1` can be taken as true.

    Examples
    --------
    >>> import sympy as sp
    >>> n = sp.Symbol("n", integer=True, positive=True)
    >>> j, k, m = sp.symbols("j k m", integer=True, positive=True)
    >>> w, d = sp.IndexedBase("w"), sp.IndexedBase("d")
    >>> z_k = sp.Sum(w[k, m] * sp.IndexedBase("a")[m], (m, 1, n))
    >>> chain_rule = sp.Sum(d[k] * sp.diff(z_k, sp.IndexedBase("a")[j]), (k, 1, n))
    >>> same_entries(chain_rule, sp.Sum(w[k, j] * d[k], (k, 1, n)), {j: n})
    True
    >>> same_entries(chain_rule, sp.Sum(w[j, k] * d[k], (k, 1, n)), {j: n})
    False
    """
    ranges = ranges or {}
    forms = [_canonical_sums(sp.expand(_collapse(sp.sympify(e), ranges))) for e in (a, b)]
    return sp.expand(forms[0] - forms[1]) == 0
