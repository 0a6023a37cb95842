r"""Deciding an identity of piecewise functions symbolically, region by region of its kinks.

An expression built with :math:`\max`, :math:`\min`, :math:`|\cdot|`, Heaviside and sign is
smooth on each open region where the arguments of those *kinks* keep their signs.  On such a
region every kink is one of its branches (:math:`\max(a, b) = a` where :math:`a > b`,
:math:`H(u) = 1` where :math:`u > 0`, …), so the expression is an ordinary one there.
:func:`vanishes_on_regions` substitutes every sign pattern of the kinks, innermost first, and
simplifies each branch: when every branch is 0, the expression is 0 on every open region,
that is everywhere except on the kink sets :math:`\{u = 0\}`, which have measure zero because
no kink argument vanishes identically (checked at a point).  That is a proof, unlike agreement
at sample points, which a region that no point falls in can hide from.

A branch that does not simplify to 0 proves nothing: its sign pattern may be empty (the
conditions contradict each other), so the procedure then answers ``None`` (undecided) and the
caller falls back to evaluation at points, where a difference is shown by a counterexample.

Examples
--------
>>> import sympy as sp
>>> z = sp.Symbol("z", real=True)
>>> vanishes_on_regions(sp.Heaviside(z, 0) - sp.Heaviside(z))  # equal off z = 0
True
>>> vanishes_on_regions(sp.Max(0, z) - z * sp.Heaviside(z, 0))
True
>>> vanishes_on_regions(sp.Abs(z) - z) is None  # 2z on z < 0: not zero, undecided here
True
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import TypeAlias

import mpmath
import sympy as sp

from symdl.referee.pointwise import SingularPointError, UnrepresentableError, mp_value

__all__ = ["KINKS", "nonzero_regions", "points_in_region", "vanishes_on_regions"]

#: The functions that are smooth only between their kinks (a Piecewise only when its
#: conditions are comparisons, ``_piecewise_branches``; DiracDelta, the derivative of a
#: step, is 0 between them).
KINKS = (sp.Max, sp.Min, sp.Abs, sp.Heaviside, sp.sign, sp.Piecewise, sp.DiracDelta)

#: The branches of a kink, each (expressions that are positive on the branch, the kink's value).
Branches: TypeAlias = "list[tuple[tuple[sp.Expr, ...], sp.Expr]]"


def _positive_part(condition: sp.Basic) -> sp.Expr | None:
    """``u`` such that the comparison ``condition`` holds exactly where u > 0 (off u = 0)."""
    if isinstance(condition, (sp.StrictGreaterThan, sp.GreaterThan)):
        return condition.lhs - condition.rhs
    if isinstance(condition, (sp.StrictLessThan, sp.LessThan)):
        return condition.rhs - condition.lhs
    return None


class _NotSignConditionsError(Exception):
    pass


def _piecewise_branches(kink: sp.Piecewise) -> Branches:
    """A Piecewise whose conditions are comparisons, then ``True``: branch i holds where its
    condition holds and the earlier ones fail."""
    branches: Branches = []
    earlier: list[sp.Expr] = []
    for value, condition in kink.args:
        if condition is sp.true:
            branches.append((tuple(-u for u in earlier), value))
            return branches
        u = _positive_part(condition)
        if u is None:
            raise _NotSignConditionsError
        branches.append(((u, *(-v for v in earlier)), value))
        earlier.append(u)
    raise _NotSignConditionsError  # no final True branch: undefined somewhere


def _branches(kink: sp.Expr) -> Branches:
    if isinstance(kink, sp.Piecewise):
        return _piecewise_branches(kink)
    if isinstance(kink, sp.Heaviside):
        u = kink.args[0]
        return [((u,), sp.Integer(1)), ((-u,), sp.Integer(0))]
    if isinstance(kink, sp.DiracDelta):  # H' (and its derivatives): 0 off its argument's zeros
        u = kink.args[0]
        return [((u,), sp.Integer(0)), ((-u,), sp.Integer(0))]
    if isinstance(kink, sp.Abs):
        u = kink.args[0]
        return [((u,), u), ((-u,), -u)]
    if isinstance(kink, sp.sign):
        u = kink.args[0]
        return [((u,), sp.Integer(1)), ((-u,), sp.Integer(-1))]
    arguments = kink.args
    larger = isinstance(kink, sp.Max)
    return [
        (tuple((a - b if larger else b - a) for b in arguments if b is not a), a) for a in arguments
    ]


def _innermost(expr: sp.Expr) -> list[sp.Expr]:
    """The kinks of ``expr`` whose arguments hold no other kink."""
    return sorted(
        (k for k in expr.atoms(*KINKS) if not any(a.has(*KINKS) for a in k.args)),
        key=sp.default_sort_key,
    )


def _not_identically_zero(u: sp.Expr, rng: random.Random) -> bool:
    """Whether ``u`` is nonzero at some random point (so it does not vanish identically)."""
    symbols = sorted(u.free_symbols, key=sp.default_sort_key)
    for _ in range(3):
        point = {s: sp.Rational(rng.randint(-(10**6), 10**6), 999983) for s in symbols}
        try:  # above rounding noise: sin²x + cos²x − 1 evaluates to about 10^-40, not 0
            if abs(mp_value(u, point, dps=40)) > mpmath.mpf(10) ** -20:
                return True
        except (SingularPointError, UnrepresentableError):
            continue
    return False


def _regions(
    expr: sp.Expr, conditions: frozenset[sp.Expr], budget: list[int]
) -> Iterator[tuple[sp.Expr, frozenset[sp.Expr]]]:
    kinks = _innermost(expr)
    if not kinks:
        yield expr, conditions
        return
    kink = kinks[0]
    for positive, value in _branches(kink):
        new = conditions | {_canonical(c) for c in positive}
        if any(_canonical(-c) in new for c in new):  # u > 0 and -u > 0: an empty region
            continue
        budget[0] -= 1
        if budget[0] < 0:
            raise _TooManyRegionsError
        yield from _regions(expr.xreplace({kink: value}), new, budget)


class _TooManyRegionsError(Exception):
    pass


def _canonical(u: sp.Expr) -> sp.Expr:
    """``u`` without its positive rational content: 9z/10 > 0 and z > 0 are one condition."""
    content, primitive = sp.expand(u).as_content_primitive()
    return primitive if content > 0 else -primitive


def _zero(expr: sp.Expr) -> bool:
    if sp.expand(expr) == 0:
        return True
    return sp.simplify(expr.rewrite(sp.exp)) == 0


def vanishes_on_regions(
    expr: sp.Expr,
    *,
    max_regions: int = 256,
    is_zero: Callable[[sp.Expr], bool] = _zero,
) -> bool | None:
    """True when ``expr`` is 0 on every open region of its kinks; ``None`` when undecided.

    A ``Piecewise`` whose conditions are not comparisons (or that has no final ``True``
    branch) is left undecided.

    Parameters
    ----------
    expr : sympy.Expr
        Typically the difference of two piecewise functions.
    max_regions : int
        At most this many branches are examined (the sign patterns grow as :math:`2^k`).
    is_zero : Callable[[sympy.Expr], bool]
        Decides whether a kink-free branch is 0 (by default: expansion, then ``simplify``).
        Run the call under a time limit (:func:`symdl.core.limits.deadline`).
    """
    if not expr.has(*KINKS):
        return None
    rng = random.Random(0)
    try:
        for kink in expr.atoms(*KINKS):
            for positive, _ in _branches(kink):
                if not all(_not_identically_zero(u, rng) for u in positive):
                    return None  # a kink argument that may vanish identically: no proof
    except _NotSignConditionsError:
        return None
    try:
        for branch, _ in _regions(expr, frozenset(), [max_regions]):
            if not is_zero(branch):
                return None
    except (_TooManyRegionsError, _NotSignConditionsError):
        return None
    return True


def nonzero_regions(
    expr: sp.Expr,
    *,
    max_regions: int = 256,
    is_zero: Callable[[sp.Expr], bool] = _zero,
) -> list[frozenset[sp.Expr]]:
    """The sign patterns (sets of expressions positive there) on which ``expr``'s branch is
    not shown to be 0: where to look for a point at which ``expr`` differs from 0.

    Empty when every branch is 0 or when the regions cannot be enumerated.
    """
    if not expr.has(*KINKS):
        return []
    found = []
    try:
        for branch, conditions in _regions(expr, frozenset(), [max_regions]):
            if not is_zero(branch):
                found.append(conditions)
    except (_TooManyRegionsError, _NotSignConditionsError):
        return found
    return found


def _linear_bounds(
    conditions: frozenset[sp.Expr], symbol: sp.Symbol
) -> tuple[sp.Rational | None, sp.Rational | None] | None:
    """The open interval of ``symbol`` where every condition (linear in it) is positive."""
    low: sp.Rational | None = None
    high: sp.Rational | None = None
    for u in conditions:
        poly = sp.Poly(u, symbol) if u.has(symbol) else None
        if poly is None:
            if not (u.is_Rational and u > 0):
                return None
            continue
        if poly.degree() != 1:
            return None
        a, b = poly.all_coeffs()
        if not (a.is_Rational and b.is_Rational):
            return None
        root = -b / a
        if a > 0:
            low = root if low is None else max(low, root)
        else:
            high = root if high is None else min(high, root)
    if low is not None and high is not None and not low < high:
        return None
    return low, high


def _inside(low: sp.Rational | None, high: sp.Rational | None) -> sp.Rational:
    if low is not None and high is not None:
        return (low + high) / 2
    if low is not None:
        return low + 1
    if high is not None:
        return high - 1
    return sp.Integer(0)


def points_in_region(
    conditions: frozenset[sp.Expr],
    base: Mapping[sp.Symbol, sp.Rational],
    movable: Sequence[sp.Symbol],
) -> Iterator[dict[sp.Symbol, sp.Rational]]:
    """Exact points inside the region where every condition is positive.

    From the point ``base``, one variable of ``movable`` is moved at a time: where every
    condition is linear in it (the others fixed at ``base``), the open interval it may take
    is solved exactly and its midpoint yields a point.  A narrow region that random sampling
    would miss (:math:`|x - 1/7| < 10^{-3}`) is found this way.
    """
    for symbol in movable:
        fixed = {s: v for s, v in base.items() if s != symbol}
        restricted = frozenset(sp.expand(c.xreplace(fixed)) for c in conditions)
        try:
            bounds = _linear_bounds(restricted, symbol)
        except sp.PolynomialError:
            continue
        if bounds is not None:
            yield {**base, symbol: _inside(*bounds)}
