r"""Random exact points in per-variable domains, for comparing two functions by evaluation.

Each variable is sampled in its own closed :class:`SamplingInterval` with rational ends (as
the MITx grading library's ``sample_from`` does), so that a problem can keep a variable where
its function is defined or where the question is asked (a positive learning rate, a target in
[0, 1]).  A group of variables can be constrained together: a probability vector
(:class:`Simplex`) or a one-hot vector (:class:`OneHot`), as the targets of a softmax loss are.

Values are exact rationals, of several kinds in a fixed order:

1. three *readable* points with denominators at most 5, so that a counterexample is easy to
   read (:math:`x = 3/2`); they come from a fixed seed, so the same problem shows the same
   counterexample;
2. *fine* points whose denominators are random primes between :math:`10^6` and
   :math:`2\cdot 10^6`, drawn afresh for every check (from the operating system's entropy
   unless a seed is given): no answer built on a known denominator, such as
   :math:`e^x (1 + \sin^2(K\pi x))`, can vanish at all of them, and the polynomial identity test
   of :mod:`symdl.referee.equivalence` gets its large sample set;
3. *far* points, outside the default interval at log-uniform scales of 2 to 20 and 20 to
   1000 times its size, each in a pair of opposite signs, and one *small* point near 0 — for
   variables whose domain the problem does not declare, so that an answer that is right only
   on :math:`[-2, 2]` is found (a difference where :math:`|x| > c` is always sampled for
   :math:`c` up to 40).  A declared interval or constraint is never left.

Examples
--------
>>> import sympy as sp
>>> x, y = sp.symbols("x y", real=True)
>>> points = sample_points([x, y], {y: SamplingInterval(0, 1)}, 8, seed=1)
>>> all(0 <= p[y] <= 1 for p in points)
True
>>> any(abs(p[x]) > 2 for p in points)  # x has no declared domain: far points too
True
>>> all(isinstance(v, sp.Rational) for p in points for v in p.values())
True
>>> y1, y2 = sp.symbols("y1 y2", real=True)
>>> [p[y1] + p[y2] for p in sample_points([y1, y2], {}, 3, seed=1,
...                                        constraints=[Simplex([y1, y2])])]
[1, 1, 1]
"""

from __future__ import annotations

import enum
import math
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import TypeAlias

import sympy as sp

from symdl.core.notation import plain_math

__all__ = [
    "Constraint",
    "OneHot",
    "SamplingInterval",
    "Simplex",
    "check_constraints",
    "default_interval",
    "sample_points",
]


@dataclass(frozen=True)
class SamplingInterval:
    """A closed sampling interval :math:`[low, high]` with rational ends."""

    low: sp.Rational
    high: sp.Rational

    def __post_init__(self) -> None:
        for name in ("low", "high"):
            value = getattr(self, name)
            if isinstance(value, (float, bool)) or not isinstance(
                value, (int, Fraction, sp.Rational)
            ):
                raise TypeError(
                    f"SamplingInterval.{name} = {value!r}: give an int, Fraction or "
                    "sympy Rational (exact), e.g. sympy.Rational(1, 10)"
                )
            object.__setattr__(self, name, sp.Rational(value))
        if not self.low < self.high:
            raise ValueError(f"SamplingInterval({self.low}, {self.high}): low must be below high")


def _group(symbols: object, kind: str) -> tuple[sp.Symbol, ...]:
    if isinstance(symbols, (str, sp.Basic)) or not isinstance(symbols, Sequence):
        raise TypeError(f"{kind}({symbols!r}): give a list of at least two SymPy Symbols")
    group = tuple(symbols)
    if len(group) < 2 or not all(isinstance(s, sp.Symbol) for s in group):
        raise TypeError(f"{kind}({symbols!r}): give a list of at least two SymPy Symbols")
    if len(set(group)) != len(group):
        raise ValueError(f"{kind}({symbols!r}): a symbol is listed twice")
    return group


def _names(symbols: Sequence[sp.Symbol]) -> str:
    return ", ".join(plain_math(s.name) for s in symbols)


@dataclass(frozen=True, init=False)
class Simplex:
    r"""The variables form a probability vector: :math:`y_i \ge 0`, :math:`\sum_i y_i = 1`.

    Points are drawn inside the simplex (every entry positive), exactly.
    """

    symbols: tuple[sp.Symbol, ...]

    def __init__(self, symbols: Sequence[sp.Symbol]) -> None:
        object.__setattr__(self, "symbols", _group(symbols, "Simplex"))

    def __str__(self) -> str:
        return f"({_names(self.symbols)}) is a probability vector (entries ≥ 0, sum 1)"


@dataclass(frozen=True, init=False)
class OneHot:
    """The variables form a one-hot vector: one entry is 1, the others 0.

    Every position of the 1 is used in turn, so that each class is sampled.
    """

    symbols: tuple[sp.Symbol, ...]

    def __init__(self, symbols: Sequence[sp.Symbol]) -> None:
        object.__setattr__(self, "symbols", _group(symbols, "OneHot"))

    def __str__(self) -> str:
        return f"({_names(self.symbols)}) is one-hot (one entry 1, the others 0)"


#: A constraint on a group of variables.
Constraint: TypeAlias = "Simplex | OneHot"


def default_interval(symbol: sp.Symbol) -> SamplingInterval:
    """[-2, 2], or [1/10, 3] for a positive symbol."""
    if symbol.is_positive:
        return SamplingInterval(sp.Rational(1, 10), sp.Integer(3))
    if symbol.is_nonnegative:
        return SamplingInterval(sp.Integer(0), sp.Integer(3))
    return SamplingInterval(sp.Integer(-2), sp.Integer(2))


class _Kind(enum.Enum):
    READABLE = "readable"  # small denominators, fixed seed
    FINE = "fine"  # random prime denominators
    FAR = "far"  # 2 to 20 times the default interval's size, random signs
    FAR_MIRROR = "far, opposite signs"  # the signs of the previous far point, negated
    HUGE = "huge"  # 20 to 1000 times the default interval's size, random signs
    HUGE_MIRROR = "huge, opposite signs"
    SMALL = "small"  # near zero


_READABLE = (1, 2, 3, 4, 5)
#: Points after the readable ones, in order (then FINE for the rest).
_ORDER = (
    _Kind.FINE, _Kind.FAR, _Kind.FAR_MIRROR, _Kind.FINE, _Kind.SMALL, _Kind.HUGE,
    _Kind.HUGE_MIRROR,
)  # fmt: skip
_PRIMES = (10**6, 2 * 10**6)  # fine denominators: random primes in this range
#: The ranges of far and huge points, in multiples of the default interval's size.
_SCALES = {"far": (2, 20), "huge": (20, 1000)}
_READABLE_SEED = 20261123  # the readable points: the same problem, the same counterexample


def _kind(i: int) -> _Kind:
    if i < 3:
        return _Kind.READABLE
    return _ORDER[i - 3] if i - 3 < len(_ORDER) else _Kind.FINE


def _prime(rng: random.Random) -> int:
    return int(sp.nextprime(rng.randint(*_PRIMES)))


def _in(low: sp.Rational, high: sp.Rational, rng: random.Random, q: int) -> sp.Rational:
    """A random p/q in [low, high], or the midpoint when no such p/q exists."""
    lo, hi = math.ceil(low * q), math.floor(high * q)
    if lo > hi:
        return (low + high) / 2
    return sp.Rational(rng.randint(lo, hi), q)


def _log_uniform(low: float, high: float, rng: random.Random) -> sp.Rational:
    """A rational of magnitude log-uniform in [low, high], with a random prime denominator."""
    q = _prime(rng)
    magnitude = math.exp(rng.uniform(math.log(low), math.log(high)))
    return sp.Rational(max(1, round(magnitude * q)), q)


def _draw(
    symbol: sp.Symbol,
    interval: SamplingInterval,
    declared: bool,
    kind: _Kind,
    rngs: tuple[random.Random, random.Random],
    sign: int,
) -> sp.Rational:
    readable, fresh = rngs
    if kind is _Kind.READABLE:
        return _in(interval.low, interval.high, readable, readable.choice(_READABLE))
    if declared or kind is _Kind.FINE:
        return _in(interval.low, interval.high, fresh, _prime(fresh))
    size = float(max(abs(interval.low), abs(interval.high)))
    nonnegative = bool(symbol.is_nonnegative)
    if kind is _Kind.SMALL:
        value = _log_uniform(size * 1e-4, size * 1e-2, fresh)
    else:
        low, high = _SCALES["far" if kind in (_Kind.FAR, _Kind.FAR_MIRROR) else "huge"]
        value = _log_uniform(low * size, high * size, fresh)
    return value if nonnegative or sign > 0 else -value


def _simplex(size: int, kind: _Kind, rngs: tuple[random.Random, random.Random]) -> list:
    readable, fresh = rngs
    if kind is _Kind.READABLE:
        weights = [readable.randint(1, 4) for _ in range(size)]
    else:
        weights = [fresh.randint(1, 10**6) for _ in range(size)]
    total = sum(weights)
    return [sp.Rational(w, total) for w in weights]


def check_constraints(
    variables: Sequence[sp.Symbol],
    domains: Mapping[sp.Symbol, SamplingInterval],
    constraints: Sequence[Constraint],
) -> None:
    """Each constraint a Simplex or OneHot over variables of the problem, each variable in at
    most one constraint or declared domain; else a TypeError or ValueError saying so."""
    seen: set[sp.Symbol] = set()
    for constraint in constraints:
        if not isinstance(constraint, (Simplex, OneHot)):
            raise TypeError(
                f"constraint {constraint!r:.80}: give symdl.referee.sampling.Simplex([...]) or "
                "symdl.referee.sampling.OneHot([...])"
            )
        for symbol in constraint.symbols:
            if symbol not in variables:
                raise ValueError(
                    f"the constraint {constraint} names {symbol}, which is not a variable of "
                    "the problem (the problem does not use it): constrain the problem's own "
                    "variables"
                )
            if symbol in seen or symbol in domains:
                raise ValueError(f"{symbol} has two domains or constraints: give each variable one")
            seen.add(symbol)


def sample_points(
    variables: Sequence[sp.Symbol],
    domains: Mapping[sp.Symbol, SamplingInterval],
    count: int,
    seed: int | None = None,
    *,
    constraints: Sequence[Constraint] = (),
) -> list[dict[sp.Symbol, sp.Rational]]:
    """``count`` random rational points: readable, fine, far and small (the module's order).

    Within a point the unconstrained values are distinct and nonzero where the domain allows,
    so that a transposed matrix or a dropped term cannot hide behind equal or zero values.

    Parameters
    ----------
    variables : Sequence[sympy.Symbol]
    domains : Mapping[sympy.Symbol, SamplingInterval]
        Declared intervals: never left.  Other variables use :func:`default_interval` for
        the readable and fine points, and leave it for the far and small ones.
    count : int
    seed : int or None
        ``None`` (the default): the points after the readable ones are drawn from the
        operating system's entropy, afresh at every call.  An int makes every point
        reproducible.
    constraints : Sequence[Simplex | OneHot]
        Groups of variables sampled together.
    """
    check_constraints(variables, domains, constraints)
    readable = random.Random(_READABLE_SEED if seed is None else seed)
    fresh = (
        random.Random(seed)
        if seed is not None
        else random.Random(random.SystemRandom().getrandbits(128))
    )
    rngs = (readable, fresh)
    grouped = {s for c in constraints for s in c.symbols}
    free = [s for s in variables if s not in grouped]
    points = []
    signs: dict[sp.Symbol, int] = {}
    for i in range(count):
        kind = _kind(i)
        if kind in (_Kind.FAR, _Kind.HUGE):
            signs = {s: fresh.choice((-1, 1)) for s in free}
        point: dict[sp.Symbol, sp.Rational] = {}
        for symbol in free:
            declared = symbol in domains
            interval = domains.get(symbol) or default_interval(symbol)
            mirror = kind in (_Kind.FAR_MIRROR, _Kind.HUGE_MIRROR)
            sign = -signs.get(symbol, 1) if mirror else signs.get(symbol, 1)
            for _ in range(20):
                value = _draw(symbol, interval, declared, kind, rngs, sign)
                if value != 0 and value not in point.values():
                    break
            point[symbol] = value
        for constraint in constraints:
            if isinstance(constraint, Simplex):
                values = _simplex(len(constraint.symbols), kind, rngs)
            else:
                hot = i % len(constraint.symbols)
                values = [sp.Integer(int(j == hot)) for j in range(len(constraint.symbols))]
            point.update(zip(constraint.symbols, values, strict=True))
        points.append({s: point[s] for s in variables})
    return points
