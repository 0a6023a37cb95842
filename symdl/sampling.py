r"""Random exact points in per-variable domains, for comparing two functions by evaluation.

Each variable is sampled in its own closed :class:`SamplingInterval` with rational ends (as
the MITx grading library's ``sample_from`` does), so that a problem can keep a variable where
its function is defined or where the question is asked (a positive learning rate, a target in
[0, 1]).  Values are exact rationals: the first points have small denominators, so that a
counterexample is easy to read (:math:`x = 3/2`); the later ones come from a much larger set,
which is what the polynomial identity test of :mod:`symdl.equivalence` needs.

Examples
--------
>>> import sympy as sp
>>> x, y = sp.symbols("x y", real=True)
>>> points = sample_points([x, y], {y: SamplingInterval(0, 1)}, 4, seed=1)
>>> all(0 <= p[y] <= 1 and -2 <= p[x] <= 2 for p in points)
True
>>> all(isinstance(v, sp.Rational) for p in points for v in p.values())
True
"""

from __future__ import annotations

import math
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

import sympy as sp

__all__ = ["SamplingInterval", "default_interval", "sample_points"]


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


def default_interval(symbol: sp.Symbol) -> SamplingInterval:
    """[-2, 2], or [1/10, 3] for a positive symbol."""
    if symbol.is_positive:
        return SamplingInterval(sp.Rational(1, 10), sp.Integer(3))
    if symbol.is_nonnegative:
        return SamplingInterval(sp.Integer(0), sp.Integer(3))
    return SamplingInterval(sp.Integer(-2), sp.Integer(2))


_NICE = (1, 2, 3, 4, 5)
_FINE = (101, 997, 1009, 10007)  # large sets: a small chance of hitting a root


def _draw(
    interval: SamplingInterval, rng: random.Random, denominators: Sequence[int]
) -> sp.Rational:
    q = rng.choice(denominators)
    low, high = math.ceil(interval.low * q), math.floor(interval.high * q)
    if low > high:
        return (interval.low + interval.high) / 2
    return sp.Rational(rng.randint(low, high), q)


def sample_points(
    variables: Sequence[sp.Symbol],
    domains: Mapping[sp.Symbol, SamplingInterval],
    count: int,
    seed: int,
) -> list[dict[sp.Symbol, sp.Rational]]:
    """``count`` random rational points, the first three with small denominators.

    Within a point the values are distinct and nonzero where the domain allows, so that a
    transposed matrix or a dropped term cannot hide behind equal or zero values.
    """
    rng = random.Random(seed)
    points = []
    for i in range(count):
        denominators = _NICE if i < 3 else _FINE
        point: dict[sp.Symbol, sp.Rational] = {}
        for symbol in variables:
            interval = domains.get(symbol) or default_interval(symbol)
            value = _draw(interval, rng, denominators)
            for _ in range(20):
                if value != 0 and value not in point.values():
                    break
                value = _draw(interval, rng, denominators)
            point[symbol] = value
        points.append(point)
    return points
