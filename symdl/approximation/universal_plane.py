r"""Universal approximation on the square, exactly: Cybenko's sums in two variables, decision
regions, and sigmoidal functions.

**Sigmoidal functions.**  Cybenko (1989) calls :math:`\sigma` *sigmoidal* when
:math:`\sigma(t) \to 1` as :math:`t \to +\infty` and :math:`\sigma(t) \to 0` as
:math:`t \to -\infty`; :func:`check_sigmoidal` decides it with SymPy's limits, or says that it
cannot.  The step function :math:`H` (with :math:`H(0) = 1`) and the ramp
:math:`\min(1, \max(0, t))` are sigmoidal and take rational values at rational points
(:class:`ExactSigmoid`): every sum built here is evaluated exactly.

**Theorem 2 on** :math:`[0, 1]^2`, **constructively.**  The sums

.. math::

    G(x) = c + \sum_{i=1}^{N} \alpha_i\, \sigma(w_i \cdot x + b_i)

are dense in :math:`C([0, 1]^2)`.  Cybenko's proof (Hahn–Banach and Riesz) builds nothing; the
constructive route goes through ridge functions (Pinkus 1999, section 3; Leshno, Lin, Pinkus
and Schocken 1993).  A polynomial of degree :math:`D` in two variables is a sum of
:math:`D + 1` ridge polynomials,

.. math::

    P(x, y) = \sum_{j=0}^{D} p_j(a_j x + b_j y),

for any :math:`D + 1` pairwise independent directions :math:`(a_j, b_j)`: the powers
:math:`(a_j x + b_j y)^k`, :math:`j \le k`, span the homogeneous polynomials of degree
:math:`k` (a Vandermonde system in the slopes; :func:`ridge_decomposition` solves it exactly
with integer directions).  Each :math:`p_j` is then a function of one variable on the interval
that :math:`t = a_j x + b_j y` sweeps over the square, and a staircase of :math:`N` units
approximates it: with steps (:math:`H`) at the midpoints of :math:`N` equal intervals of length
:math:`h_j`, within :math:`\tfrac{h_j}{2} \sup|p_j'|`; with ramps spanning the intervals (the
piecewise-linear interpolant), within :math:`\tfrac{h_j^2}{8} \sup|p_j''|`.  So

.. math::

    \sup_{[0,1]^2} |P - G| \le \sum_j \tfrac{h_j}{2} \sup|p_j'| \quad\text{(steps)}, \qquad
    \sup_{[0,1]^2} |P - G| \le \sum_j \tfrac{h_j^2}{8} \sup|p_j''| \quad\text{(ramps)},

with each supremum bounded from above by the largest Bernstein coefficient (an exact
rational).  A continuous :math:`f` that is not a polynomial is first replaced by its tensor
Bernstein polynomial (:func:`bernstein_plane`), which tends to :math:`f` uniformly.  The
construction is explicit but not economical: the ridge coefficients grow quickly with
:math:`D`, which is why a continuous :math:`f` of small Lipschitz constant may still need a
polynomial of high degree and many units.

**What an error on a grid proves.**  :func:`grid_error` computes, exactly,
:math:`E_M = \max_{x \in \Gamma_M} |f(x) - G(x)|` over the grid
:math:`\Gamma_M = \{(i/M, j/M)\}`.  It is a *lower* bound of the sup error: it refutes any claim
:math:`\|f - G\|_\infty < E_M`, and nothing more.  Every point of the square lies within
:math:`1/(2M)` of the grid in the max norm, so if :math:`f` and :math:`G` are
:math:`L_f`- and :math:`L_G`-Lipschitz for that norm,

.. math::

    \|f - G\|_\infty \le E_M + \frac{L_f + L_G}{2M}

(:meth:`GridError.sup_bound`; :func:`polynomial_lipschitz_bound` and
:meth:`PlaneNetwork.lipschitz_bound` give the constants exactly).  A sum of steps is
discontinuous: there its grid error, even 0, says nothing about the points between the grid's,
and only the a priori bound of the construction bounds the sup.

**Theorem 3 (decision regions).**  Let the square be partitioned into classes
:math:`0, \dots, k - 1`, each a finite union of convex rational polygons
(:class:`PlanePartition`), with decision function :math:`f = j` on class :math:`j`.  A network
classifies :math:`x` as the class nearest to :math:`G(x)` (rounded, clamped to
:math:`[0, k - 1]`); Cybenko's Theorem 3 says that for every :math:`\varepsilon > 0` some
:math:`G` is right except on a set of measure :math:`< \varepsilon`.
:func:`misclassified_measure` computes that measure exactly (the wrong set is a union of rational
polygons).  Two constructions (:func:`decision_network` tries them in turn):

- one step unit per boundary line, its coefficients found by an exact linear program
  (:func:`threshold_network`): when they exist the classification is exact, measure 0 (a
  convex polygon against the rest, strips, L-shapes).  They do not always exist (Gibson and
  Cowan 1990): for lines through a point :math:`c`,
  :math:`H(z) + H(-z) = 1` gives :math:`G(c + u) + G(c - u)` independent of :math:`u` near
  :math:`c`, while a checkerboard needs it below 1 on one pair of opposite quadrants and at
  least 1 on the other;
- a partition whose class flips across every boundary line (a *parity* partition, such as a
  checkerboard) is the sign pattern of :math:`P = \prod_i \ell_i(x)`, the product of its lines'
  affine functions; the staircases of :math:`\tfrac12 \pm P` (:func:`parity_network`) err only
  where :math:`|P|` is below the staircase error, a set whose measure tends to 0 as
  :math:`N` grows: Theorem 3's :math:`\varepsilon`.

Other partitions raise :class:`~symdl.core.exceptions.NotSupportedError`: Cybenko's proof
(Lusin's theorem, then Theorem 2) still gives a network, but an explicit one needs a polynomial
of degree growing like :math:`1/\varepsilon`.

References
----------
G. Cybenko, "Approximation by superpositions of a sigmoidal function", Math. Control Signals
Systems 2:303–314, 1989 (the definition of sigmoidal, Theorems 2 and 3).
A. Pinkus, "Approximation theory of the MLP model in neural networks", Acta Numerica 8:143–195,
1999, section 3 (density through ridge functions and the reduction to one variable).
M. Leshno, V. Lin, A. Pinkus, S. Schocken, "Multilayer feedforward networks with a
nonpolynomial activation function can approximate any function", Neural Networks 6:861–867,
1993.
G. J. Gibson, C. F. N. Cowan, "On the decision regions of multilayer perceptrons", Proc. IEEE
78(10):1590–1594, 1990; G. Brightwell, C. Kenyon, H. Paugam-Moisy, "Multilayer neural
networks: one or two hidden layers?", NIPS 9, 1996 (what one hidden layer of threshold units
classifies exactly, and the obstruction at a point where boundary lines cross).
"""

from __future__ import annotations

import bisect
import enum
import functools
import itertools
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import sympy as sp
from sympy.solvers.simplex import lpmax

from symdl.core.activations import Activation, get_activation
from symdl.core.exact import exact_fraction, positive_integer
from symdl.core.exceptions import NotSupportedError
from symdl.core.exceptions import shown as _shown_at
from symdl.core.limits import TimeLimitExceededError, deadline
from symdl.core.notation import plain_expr

__all__ = [
    "MAX_CELLS",
    "MAX_DEGREE",
    "MAX_GRID",
    "MAX_LINES",
    "MAX_POLYGONS",
    "MAX_STEEPNESS",
    "MAX_STEPS",
    "MAX_UNITS",
    "DecisionConstruction",
    "DecisionNetwork",
    "ExactSigmoid",
    "GridError",
    "PlaneApproximation",
    "PlaneNetwork",
    "PlanePartition",
    "PlaneUnit",
    "RidgeTerm",
    "SigmoidalCheck",
    "SigmoidalVerdict",
    "bernstein_plane",
    "check_sigmoidal",
    "checkerboard",
    "cybenko_plane",
    "decision_network",
    "grid_error",
    "grid_partition",
    "misclassified_measure",
    "parity_network",
    "plane_partition",
    "polynomial_lipschitz_bound",
    "ridge_decomposition",
    "steep_ramps",
    "threshold_network",
]

#: The largest total degree of a polynomial decomposed into ridge polynomials.
MAX_DEGREE = 12
#: The most units per ridge direction (the staircase's steps).
MAX_STEPS = 4096
#: The finest grid of :func:`grid_error` (:math:`(M + 1)^2` points).
MAX_GRID = 512
#: The most hidden units of a :class:`PlaneNetwork`.
MAX_UNITS = 200_000
#: The most polygons of a :class:`PlanePartition`.
MAX_POLYGONS = 256
#: The most lines (boundary lines and extra ones) of :func:`threshold_network`'s linear program.
MAX_LINES = 40
#: The most polygons :func:`misclassified_measure` examines before giving up.
MAX_CELLS = 500_000
#: The steepest ramp of :func:`steep_ramps` and :func:`decision_network`.
MAX_STEEPNESS = 2**20

HALF = Fraction(1, 2)
Point = tuple[Fraction, Fraction]


_shown = functools.partial(_shown_at, width=60)


def _integer(value: object, name: str, largest: int, constant: str) -> int:
    number = int(positive_integer(value, name=name))
    if number > largest:
        raise ValueError(f"{name}={number}: at most {largest} ({constant}); give a smaller one")
    return number


def _rational(value: Fraction) -> sp.Rational:
    return sp.Rational(value.numerator, value.denominator)


def _show(value: Fraction) -> str:
    return plain_expr(_rational(value))


# --- sigmoidal functions --------------------------------------------------------------------


class SigmoidalVerdict(enum.Enum):
    """Whether a function is sigmoidal in Cybenko's sense."""

    SIGMOIDAL = "sigmoidal"
    """Both limits are right, 1 at :math:`+\\infty` and 0 at :math:`-\\infty`."""
    NOT_SIGMOIDAL = "not sigmoidal"
    """A limit is wrong, infinite, or does not exist (the function oscillates)."""
    UNDECIDED = "cannot decide"
    """SymPy found no limit at one end and the other end does not settle it."""


@dataclass(frozen=True)
class SigmoidalCheck:
    """The limits of :math:`\\sigma` at :math:`\\pm\\infty` and the verdict they give.

    ``at_plus_infinity`` and ``at_minus_infinity`` are ``None`` where SymPy found no limit; a
    function that oscillates has a SymPy ``AccumBounds`` there.
    """

    function: sp.Expr
    variable: sp.Symbol
    verdict: SigmoidalVerdict
    at_plus_infinity: sp.Expr | None
    at_minus_infinity: sp.Expr | None
    reason: str

    def __str__(self) -> str:
        t = plain_expr(self.variable)
        return f"σ({t}) = {plain_expr(self.function)}: {self.verdict.value}: {self.reason}"


class _UnorderedError(Exception):
    """Two arguments of a Max or Min that no limit orders near the end: leave it to SymPy."""


def _dominant(a: sp.Expr, b: sp.Expr, t: sp.Symbol, end: sp.Expr, larger: bool) -> sp.Expr:
    """The one of ``a``, ``b`` that is eventually the larger (or smaller) as t → end."""
    gap = sp.limit(a - b, t, end)
    if gap.is_extended_positive:
        return a if larger else b
    if gap.is_extended_negative:
        return b if larger else a
    raise _UnorderedError(f"{a} and {b} are not eventually ordered")


def _eventual(expr: sp.Expr, t: sp.Symbol, end: sp.Expr) -> sp.Expr:
    """``expr`` with its Max, Min, Abs, sign and Heaviside replaced by the branch they take for
    t near ``end`` (SymPy's limit fails on some of them, e.g. min(1, max(0, t)) at +∞)."""
    if not expr.args or expr.is_Atom:
        return expr
    args = [_eventual(a, t, end) for a in expr.args]
    if not any(a.has(t) for a in args):
        return expr.func(*args)
    if isinstance(expr, (sp.Max, sp.Min)):
        best = args[0]
        for other in args[1:]:
            best = _dominant(best, other, t, end, larger=isinstance(expr, sp.Max))
        return best
    if isinstance(expr, (sp.Abs, sp.sign, sp.Heaviside)):
        limit = sp.limit(args[0], t, end)
        if limit.is_extended_positive or limit.is_extended_negative:
            positive = bool(limit.is_extended_positive)
            if isinstance(expr, sp.Abs):
                return args[0] if positive else -args[0]
            if isinstance(expr, sp.sign):
                return sp.S.One if positive else sp.S.NegativeOne
            return sp.S.One if positive else sp.S.Zero
    return expr.func(*args)


_SYMPY_FAILURES = (
    ArithmeticError,
    AttributeError,
    NotImplementedError,
    RecursionError,
    TypeError,
    ValueError,
)


def _limit(expr: sp.Expr, t: sp.Symbol, end: sp.Expr, seconds: float) -> tuple[sp.Expr | None, str]:
    """SymPy's limit of ``expr`` as t → end, or None with the reason it is missing."""
    try:
        with deadline(seconds):
            try:
                form = _eventual(expr, t, end)
            except (_UnorderedError, *_SYMPY_FAILURES):
                form = expr
            value = sp.limit(form, t, end)
    except TimeLimitExceededError:
        return None, f"SymPy found no limit within {seconds:g} s"
    except _SYMPY_FAILURES:
        return None, "SymPy could not compute the limit"
    if value.has(sp.Limit) or value is sp.nan:
        return None, "SymPy found no limit"
    return value, ""


def _matches(value: sp.Expr, target: int) -> bool | None:
    """Whether a limit equals ``target``: True, False, or None when it depends on unknowns."""
    if isinstance(value, sp.AccumBounds) or value.has(sp.oo, -sp.oo, sp.zoo):
        return False
    difference = sp.simplify(value - target)
    if difference == 0:
        return True
    if difference.is_zero is False:
        return False
    return None


def check_sigmoidal(
    sigma: sp.Expr | Activation | str, t: sp.Symbol | None = None, *, seconds: float = 10.0
) -> SigmoidalCheck:
    r"""Decide whether :math:`\sigma` is sigmoidal: :math:`\sigma(t) \to 1` as
    :math:`t \to +\infty` and :math:`\sigma(t) \to 0` as :math:`t \to -\infty` (Cybenko 1989).

    Parameters
    ----------
    sigma
        A SymPy expression of one symbol, an :class:`~symdl.core.activations.Activation` or an
        activation's name (``"tanh"``, ``"relu"``, …).
    t
        The variable, when ``sigma`` has other symbols (parameters) or is an activation.
    seconds
        The time allowed to each of the two limits.

    Returns
    -------
    SigmoidalCheck
        The two limits and the verdict: not sigmoidal as soon as one limit is known to be wrong
        (another value, infinite, or no limit because σ oscillates); "cannot decide" when a
        limit is missing and the other one is right.

    Examples
    --------
    >>> t = sp.Symbol("t", real=True)
    >>> print(check_sigmoidal(1 / (1 + sp.exp(-t))).verdict.value)
    sigmoidal
    >>> print(check_sigmoidal("tanh").reason)
    σ(t) → 1 as t → +∞; σ(t) → −1 as t → −∞, not 0
    >>> print(check_sigmoidal(sp.exp(-t**2)).reason)
    σ(t) → 0 as t → +∞, not 1; σ(t) → 0 as t → −∞
    >>> print(check_sigmoidal(sp.Function("f")(t)).verdict.value)
    cannot decide

    References
    ----------
    G. Cybenko (1989), the definition before Theorem 1.
    """
    if isinstance(sigma, (str, Activation)):
        activation = get_activation(sigma)
        variable = sp.Symbol("t", real=True) if t is None else t
        if not isinstance(variable, sp.Symbol):
            raise TypeError(f"t={_shown(t)} is not a SymPy Symbol")
        expr = sp.sympify(activation(variable))
    elif isinstance(sigma, sp.Expr):
        expr = sigma
        if t is None:
            free = sorted(expr.free_symbols, key=str)
            if len(free) != 1:
                names = ", ".join(map(str, free)) or "none"
                raise ValueError(
                    f"sigma = {plain_expr(expr)} has the symbols {names}: pass the variable "
                    "as t (the others are parameters)"
                )
            variable = free[0]
        elif not isinstance(t, sp.Symbol):
            raise TypeError(f"t={_shown(t)} is not a SymPy Symbol")
        else:
            variable = t
    else:
        raise TypeError(
            f"sigma={_shown(sigma)} is not a SymPy expression, an Activation or an activation's "
            "name"
        )
    if isinstance(seconds, bool) or not isinstance(seconds, (int, float)) or not seconds > 0:
        raise ValueError(f"seconds={seconds!r} must be a positive number of seconds")
    name = plain_expr(variable)
    values: list[sp.Expr | None] = []
    parts: list[str] = []
    verdicts: list[bool | None] = []
    for end, target, shown in ((sp.oo, 1, "+∞"), (-sp.oo, 0, "−∞")):
        value, why = _limit(expr, variable, end, float(seconds))
        values.append(value)
        if value is None:
            verdicts.append(None)
            parts.append(f"{why} as {name} → {shown}")
            continue
        right = _matches(value, target)
        verdicts.append(right)
        if isinstance(value, sp.AccumBounds):
            low, high = plain_expr(value.min), plain_expr(value.max)
            parts.append(
                f"σ({name}) oscillates between {low} and {high} as {name} → {shown}: no limit"
            )
        else:
            text = f"σ({name}) → {plain_expr(value)} as {name} → {shown}"
            if right is False:
                text += f", not {target}"
            elif right is None:
                text += f", not known to be {target} (it depends on the parameters)"
            parts.append(text)
    if False in verdicts:
        verdict = SigmoidalVerdict.NOT_SIGMOIDAL
    elif all(v is True for v in verdicts):
        verdict = SigmoidalVerdict.SIGMOIDAL
    else:
        verdict = SigmoidalVerdict.UNDECIDED
    return SigmoidalCheck(expr, variable, verdict, values[0], values[1], "; ".join(parts))


# --- exact sigmoids, units and networks --------------------------------------------------------


class ExactSigmoid(enum.Enum):
    """A sigmoidal function with rational values at rational points."""

    STEP = "step"
    """:math:`H(z) = 1` for :math:`z \\ge 0`, else 0 (the perceptron's; discontinuous)."""
    RAMP = "ramp"
    """:math:`\\min(1, \\max(0, z))` (continuous, piecewise linear, 1-Lipschitz)."""

    def at(self, z: Fraction) -> Fraction:
        """:math:`\\sigma(z)`, exactly."""
        if self is ExactSigmoid.STEP:
            return Fraction(1) if z >= 0 else Fraction(0)
        return min(Fraction(1), max(Fraction(0), z))

    def expression(self, z: sp.Expr) -> sp.Expr:
        """:math:`\\sigma(z)` as a SymPy expression (``Heaviside(z, 1)`` for the step)."""
        if self is ExactSigmoid.STEP:
            return sp.Heaviside(z, sp.S.One)
        return sp.Min(sp.S.One, sp.Max(sp.S.Zero, z))


@dataclass(frozen=True)
class PlaneUnit:
    """One hidden unit :math:`\\alpha\\, \\sigma(w \\cdot x + b)`, with exact rationals."""

    alpha: Fraction
    weight: tuple[Fraction, Fraction]
    bias: Fraction

    def __post_init__(self) -> None:
        if not isinstance(self.weight, tuple) or len(self.weight) != 2:
            raise ValueError(f"weight={_shown(self.weight)} must be a pair (w₁, w₂)")
        object.__setattr__(self, "alpha", exact_fraction(self.alpha, name="alpha"))
        object.__setattr__(
            self, "weight", tuple(exact_fraction(w, name="weight") for w in self.weight)
        )
        object.__setattr__(self, "bias", exact_fraction(self.bias, name="bias"))
        if self.weight == (0, 0):
            raise ValueError(
                "weight=(0, 0): the unit is a constant; add α σ(b) to the network's offset"
            )


@dataclass(frozen=True)
class _Group:
    """The units sharing one weight vector, sorted for exact evaluation in O(log n).

    Step units: ``starts`` are the thresholds :math:`-b` (the unit is on for
    :math:`w \\cdot x \\ge -b`).  Ramp units: the ramp rises from :math:`s = -b` to
    :math:`s = 1 - b`.  ``alphas`` and ``alpha_starts`` are prefix sums in that order.
    """

    weight: tuple[Fraction, Fraction]
    starts: tuple[Fraction, ...]
    ends: tuple[Fraction, ...]
    alphas: tuple[Fraction, ...]
    alpha_starts: tuple[Fraction, ...]
    ramp: bool

    def value(self, s: Fraction) -> Fraction:
        if not self.ramp:
            return self.alphas[bisect.bisect_right(self.starts, s)]
        on = bisect.bisect_right(self.ends, s)
        rising = bisect.bisect_left(self.starts, s)
        if rising <= on:
            return self.alphas[on]
        weight = self.alphas[rising] - self.alphas[on]
        return self.alphas[on] + s * weight - (self.alpha_starts[rising] - self.alpha_starts[on])

    def slope(self, s: Fraction) -> Fraction:
        """d(value)/ds at a point ``s`` that is not a breakpoint (ramps only)."""
        on = bisect.bisect_right(self.ends, s)
        rising = bisect.bisect_left(self.starts, s)
        return self.alphas[rising] - self.alphas[on] if rising > on else Fraction(0)

    @functools.cached_property
    def breakpoints(self) -> tuple[Fraction, ...]:
        return tuple(sorted(set(self.starts) | set(self.ends))) if self.ramp else self.starts

    def at(self, point: Point) -> Fraction:
        return self.weight[0] * point[0] + self.weight[1] * point[1]


def _prefix(values: Iterable[Fraction]) -> tuple[Fraction, ...]:
    total = Fraction(0)
    sums = [total]
    for v in values:
        total += v
        sums.append(total)
    return tuple(sums)


@dataclass(frozen=True)
class PlaneNetwork:
    """:math:`G(x) = c + \\sum_i \\alpha_i\\, \\sigma(w_i \\cdot x + b_i)` on the plane, exact.

    ``offset`` is :math:`c`; it is one more unit :math:`c\\, \\sigma(0 \\cdot x + 1) = c` for
    whoever wants Cybenko's form without an output bias.

    Examples
    --------
    >>> G = PlaneNetwork(ExactSigmoid.STEP, Fraction(0),
    ...                  (PlaneUnit(Fraction(1), (Fraction(1), Fraction(1)), Fraction(-1)),))
    >>> G.value((Fraction(1, 2), Fraction(1, 2))), G.value((Fraction(1, 4), Fraction(1, 2)))
    (Fraction(1, 1), Fraction(0, 1))
    """

    sigmoid: ExactSigmoid
    offset: Fraction
    units: tuple[PlaneUnit, ...]

    def __post_init__(self) -> None:
        if not isinstance(self.sigmoid, ExactSigmoid):
            raise TypeError(
                f"sigmoid={_shown(self.sigmoid)}: pass ExactSigmoid.STEP or ExactSigmoid.RAMP"
            )
        object.__setattr__(self, "offset", exact_fraction(self.offset, name="offset"))
        units = tuple(self.units)
        if len(units) > MAX_UNITS:
            raise ValueError(f"{len(units)} units: at most {MAX_UNITS} (MAX_UNITS)")
        if not all(isinstance(u, PlaneUnit) for u in units):
            raise TypeError("units must be PlaneUnit objects")
        object.__setattr__(self, "units", units)

    def __repr__(self) -> str:
        return (
            f"PlaneNetwork({self.sigmoid.value}, {len(self.units)} units in "
            f"{len(self._groups)} direction{'s' * (len(self._groups) != 1)})"
        )

    @functools.cached_property
    def _groups(self) -> tuple[_Group, ...]:
        by_weight: dict[tuple[Fraction, Fraction], list[PlaneUnit]] = {}
        for unit in self.units:
            by_weight.setdefault(unit.weight, []).append(unit)
        ramp = self.sigmoid is ExactSigmoid.RAMP
        groups = []
        for weight, units in by_weight.items():
            units.sort(key=lambda u: -u.bias)
            starts = tuple(-u.bias for u in units)
            groups.append(
                _Group(
                    weight,
                    starts,
                    tuple(s + 1 for s in starts) if ramp else starts,
                    _prefix(u.alpha for u in units),
                    _prefix(-u.alpha * u.bias for u in units),
                    ramp,
                )
            )
        return tuple(groups)

    def value(self, point: Sequence[Any]) -> Fraction:
        """:math:`G(x)` at a point of the plane, exactly.

        Equal to the literal sum of the units; computed direction by direction by bisection.
        """
        if len(point) != 2:
            raise ValueError(f"point={_shown(point)} must be a pair (x, y)")
        p = (exact_fraction(point[0], name="x"), exact_fraction(point[1], name="y"))
        return self._value(p)

    def _value(self, p: Point) -> Fraction:
        return self.offset + sum((g.value(g.at(p)) for g in self._groups), Fraction(0))

    def expression(self, x: sp.Symbol, y: sp.Symbol) -> sp.Expr:
        """G as a SymPy expression of ``x`` and ``y``."""
        return _rational(self.offset) + sp.Add(
            *(
                _rational(u.alpha)
                * self.sigmoid.expression(
                    _rational(u.weight[0]) * x + _rational(u.weight[1]) * y + _rational(u.bias)
                )
                for u in self.units
            )
        )

    def lipschitz_bound(self) -> Fraction:
        """A Lipschitz constant of G for the max norm, exactly (ramp units only).

        Along a direction :math:`w` the units' sum has slope
        :math:`\\sum_{\\text{rising units}} \\alpha_i` (piecewise constant; its largest absolute
        value is found exactly), and
        :math:`|w \\cdot (x - x')| \\le \\|w\\|_1 \\|x - x'\\|_\\infty`.

        Raises
        ------
        ValueError
            For step units: G jumps, and no Lipschitz constant exists.
        """
        if self.sigmoid is ExactSigmoid.STEP and self.units:
            raise ValueError(
                "a sum of step units is discontinuous: it has no Lipschitz constant, and its "
                "error on a grid bounds the sup error from below only; use the construction's "
                "a priori bound, or ramp units"
            )
        total = Fraction(0)
        for group in self._groups:
            points = group.breakpoints
            steepest = max(
                (abs(group.slope((a + b) / 2)) for a, b in itertools.pairwise(points)),
                default=Fraction(0),
            )
            total += (abs(group.weight[0]) + abs(group.weight[1])) * steepest
        return total


def steep_ramps(network: PlaneNetwork, *, steepness: int) -> PlaneNetwork:
    """A step network with each :math:`H(z)` replaced by the continuous
    :math:`\\min(1, \\max(0, Mz + \\tfrac12))`, :math:`M` = ``steepness``.

    The two differ only where :math:`|z| < 1/(2M)`: a strip of width
    :math:`1/(M \\|w\\|_2)` along each unit's line.

    Examples
    --------
    >>> step = PlaneNetwork(ExactSigmoid.STEP, Fraction(0),
    ...                     (PlaneUnit(Fraction(1), (Fraction(1), Fraction(0)), Fraction(-1, 2)),))
    >>> steep_ramps(step, steepness=10).units[0]
    PlaneUnit(alpha=Fraction(1, 1), weight=(Fraction(10, 1), Fraction(0, 1)), bias=Fraction(-9, 2))
    """
    if not isinstance(network, PlaneNetwork) or network.sigmoid is not ExactSigmoid.STEP:
        raise TypeError("network must be a PlaneNetwork of step units (ExactSigmoid.STEP)")
    m = Fraction(_integer(steepness, "steepness", MAX_STEEPNESS, "MAX_STEEPNESS"))
    return PlaneNetwork(
        ExactSigmoid.RAMP,
        network.offset,
        tuple(
            PlaneUnit(u.alpha, (m * u.weight[0], m * u.weight[1]), m * u.bias + HALF)
            for u in network.units
        ),
    )


# --- exact functions and polynomials ---------------------------------------------------------


def _variables(x: object, y: object) -> tuple[sp.Symbol, sp.Symbol]:
    if not isinstance(x, sp.Symbol) or not isinstance(y, sp.Symbol):
        raise TypeError(f"x={_shown(x)} and y={_shown(y)} must be SymPy Symbols")
    if x == y:
        raise ValueError(f"x and y are the same symbol {x}; pass two different symbols")
    return x, y


def _function(f: object, x: sp.Symbol, y: sp.Symbol) -> sp.Expr:
    if not isinstance(f, sp.Expr):
        raise TypeError(f"f={_shown(f)} is not a SymPy expression of {x} and {y}")
    extra = f.free_symbols - {x, y}
    if extra:
        raise ValueError(
            f"f = {plain_expr(f)} depends on {', '.join(sorted(map(str, extra)))} as well as "
            f"{x} and {y}; substitute numbers for the other symbols"
        )
    return f


def _exact_function(f: sp.Expr, x: sp.Symbol, y: sp.Symbol) -> Callable[[Point], Fraction]:
    """f compiled to exact rational arithmetic (f made of rationals, x, y, +, ×, integer
    powers, |·|, max and min: the functions whose values at rational points are rational)."""

    def build(e: sp.Basic) -> Callable[[Point], Fraction]:
        if e == x:
            return lambda p: p[0]
        if e == y:
            return lambda p: p[1]
        if isinstance(e, sp.Rational):
            constant = Fraction(int(e.p), int(e.q))
            return lambda p: constant
        if isinstance(e, sp.Add):
            terms = [build(a) for a in e.args]
            return lambda p: sum((g(p) for g in terms), Fraction(0))
        if isinstance(e, sp.Mul):
            factors = [build(a) for a in e.args]
            return lambda p: math.prod((g(p) for g in factors), start=Fraction(1))
        if isinstance(e, sp.Pow) and isinstance(e.exp, sp.Integer):
            base, power = build(e.base), int(e.exp)
            return lambda p: base(p) ** power
        if isinstance(e, sp.Abs):
            inner = build(e.args[0])
            return lambda p: abs(inner(p))
        if isinstance(e, (sp.Max, sp.Min)):
            parts, pick = [build(a) for a in e.args], max if isinstance(e, sp.Max) else min
            return lambda p: pick(g(p) for g in parts)
        raise NotSupportedError(
            f"f = {plain_expr(f)} contains {plain_expr(e)}, whose values at rational points are "
            "not rational in general: the exact error needs f built from rational numbers, "
            f"{x}, {y}, +, −, ×, ÷, integer powers, |·|, max and min"
        )

    compiled = build(f)

    def evaluate(p: Point) -> Fraction:
        try:
            return compiled(p)
        except ZeroDivisionError:
            raise ValueError(
                f"f = {plain_expr(f)} is not defined at ({_show(p[0])}, {_show(p[1])}): pass a "
                "function continuous on the square"
            ) from None

    return evaluate


def _polynomial(f: sp.Expr, x: sp.Symbol, y: sp.Symbol) -> dict[tuple[int, int], Fraction] | None:
    """f's coefficients {(i, j): c} of x^i y^j when f is a polynomial with rational
    coefficients, else None."""
    if not f.is_polynomial(x, y):
        return None
    poly = sp.Poly(sp.expand(f), x, y)
    if not poly.domain.is_QQ and not poly.domain.is_ZZ:
        return None
    return {
        (int(i), int(j)): Fraction(int(c.p), int(c.q))
        for (i, j), c in zip(poly.monoms(), poly.coeffs(), strict=True)
    }


def _horner(coefficients: Sequence[Fraction], t: Fraction) -> Fraction:
    value = Fraction(0)
    for c in reversed(coefficients):
        value = value * t + c
    return value


def _bernstein_max(coefficients: Sequence[Fraction]) -> Fraction:
    """The largest |Bernstein coefficient| on [0, 1] of Σ c_k s^k: an upper bound of its sup."""
    n = len(coefficients) - 1
    if n < 0:
        return Fraction(0)
    return max(
        abs(
            sum(
                (
                    Fraction(math.comb(i, k), math.comb(n, k)) * coefficients[k]
                    for k in range(i + 1)
                ),
                Fraction(0),
            )
        )
        for i in range(n + 1)
    )


def _sup_on_interval(coefficients: Sequence[Fraction], lo: Fraction, hi: Fraction) -> Fraction:
    """An exact upper bound of sup |q| on [lo, hi], q = Σ c_k t^k (Bernstein coefficients)."""
    width = hi - lo
    n = len(coefficients)
    shifted = [
        sum(
            (coefficients[k] * math.comb(k, m) * lo ** (k - m) * width**m for k in range(m, n)),
            Fraction(0),
        )
        for m in range(n)
    ]
    return _bernstein_max(shifted)


def _derivative(coefficients: Sequence[Fraction]) -> list[Fraction]:
    return [k * coefficients[k] for k in range(1, len(coefficients))]


def polynomial_lipschitz_bound(f: sp.Expr, x: sp.Symbol, y: sp.Symbol) -> Fraction:
    r"""A Lipschitz constant of the polynomial f on :math:`[0, 1]^2` for the max norm, exactly:
    :math:`\sup|\partial_x f| + \sup|\partial_y f|`, each bounded by its largest Bernstein
    coefficient on the square (the convex-hull property of the Bernstein basis).

    Examples
    --------
    >>> x, y = sp.symbols("x y", real=True)
    >>> polynomial_lipschitz_bound(x * y, x, y)
    Fraction(2, 1)
    >>> polynomial_lipschitz_bound(x**2 - y / 3, x, y)
    Fraction(7, 3)
    """
    x, y = _variables(x, y)
    f = _function(f, x, y)
    coefficients = _polynomial(f, x, y)
    if coefficients is None:
        raise ValueError(
            f"f = {plain_expr(f)} is not a polynomial with rational coefficients; give its "
            "Lipschitz constant yourself"
        )
    total = Fraction(0)
    for axis in (0, 1):
        derivative = {
            (i - 1, j) if axis == 0 else (i, j - 1): c * (i if axis == 0 else j)
            for (i, j), c in coefficients.items()
            if (i if axis == 0 else j) > 0
        }
        total += _bivariate_bernstein_max(derivative)
    return total


def _bivariate_bernstein_max(coefficients: dict[tuple[int, int], Fraction]) -> Fraction:
    if not coefficients:
        return Fraction(0)
    n = max(i for i, _ in coefficients)
    m = max(j for _, j in coefficients)
    best = Fraction(0)
    for k in range(n + 1):
        for l in range(m + 1):
            value = sum(
                (
                    Fraction(math.comb(k, i) * math.comb(l, j), math.comb(n, i) * math.comb(m, j))
                    * c
                    for (i, j), c in coefficients.items()
                    if i <= k and j <= l
                ),
                Fraction(0),
            )
            best = max(best, abs(value))
    return best


def bernstein_plane(f: sp.Expr, x: sp.Symbol, y: sp.Symbol, degree: int) -> sp.Expr:
    r"""The tensor Bernstein polynomial of f on :math:`[0, 1]^2`, exactly:

    .. math::

        B_n f(x, y) = \sum_{k=0}^{n} \sum_{l=0}^{n} f\bigl(\tfrac kn, \tfrac ln\bigr)
        \tbinom nk x^k (1 - x)^{n-k} \tbinom nl y^l (1 - y)^{n-l},

    which tends to a continuous f uniformly; for f with
    :math:`|f(u) - f(v)| \le L \|u - v\|_\infty`,
    :math:`\|B_n f - f\|_\infty \le L/\sqrt n` (from :math:`B_n|s - x| \le \sqrt{x(1-x)/n}`).

    Examples
    --------
    >>> x, y = sp.symbols("x y", real=True)
    >>> sp.expand(bernstein_plane(sp.Max(x, y), x, y, 1))
    -x*y + x + y

    References
    ----------
    G. G. Lorentz, *Bernstein Polynomials*, 1953, section 2.9 (several variables).
    """
    x, y = _variables(x, y)
    f = _function(f, x, y)
    n = _integer(degree, "degree", MAX_DEGREE // 2, "MAX_DEGREE / 2: the total degree is 2n")
    values = _exact_function(f, x, y)
    basis_x = [math.comb(n, k) * x**k * (1 - x) ** (n - k) for k in range(n + 1)]
    basis_y = [math.comb(n, k) * y**k * (1 - y) ** (n - k) for k in range(n + 1)]
    return sp.expand(
        sp.Add(
            *(
                _rational(values((Fraction(k, n), Fraction(l, n)))) * basis_x[k] * basis_y[l]
                for k in range(n + 1)
                for l in range(n + 1)
            )
        )
    )


# --- ridge decomposition -----------------------------------------------------------------------


@dataclass(frozen=True)
class RidgeTerm:
    """One ridge polynomial :math:`p(a x + b y)`, :math:`p(t) = \\sum_k c_k t^k`."""

    direction: tuple[int, int]
    coefficients: tuple[Fraction, ...]

    def polynomial(self, t: sp.Symbol) -> sp.Expr:
        """:math:`p(t)` as a SymPy expression."""
        return sp.Add(*(_rational(c) * t**k for k, c in enumerate(self.coefficients)))

    def value(self, t: Fraction) -> Fraction:
        """:math:`p(t)`, exactly."""
        return _horner(self.coefficients, t)

    @property
    def interval(self) -> tuple[Fraction, Fraction]:
        """The values of :math:`a x + b y` on :math:`[0, 1]^2`."""
        a, b = self.direction
        return Fraction(min(0, a) + min(0, b)), Fraction(max(0, a) + max(0, b))


def _directions(count: int) -> list[tuple[int, int]]:
    """Pairwise independent primitive integer directions, shortest (ℓ¹) first."""
    found: list[tuple[int, int]] = []
    size = 1
    while len(found) < count:
        for a in range(size, -1, -1):
            b = size - a
            for signed in (b, -b) if a and b else (b,):
                if math.gcd(a, abs(signed)) == 1 and len(found) < count:
                    found.append((a, signed))
        size += 1
    return found


def _solve(matrix: list[list[Fraction]], rhs: list[Fraction]) -> list[Fraction]:
    """Gaussian elimination over the rationals for a square invertible system."""
    n = len(rhs)
    rows = [[*row, value] for row, value in zip(matrix, rhs, strict=True)]
    for col in range(n):
        pivot = next(r for r in range(col, n) if rows[r][col] != 0)
        rows[col], rows[pivot] = rows[pivot], rows[col]
        for r in range(n):
            if r != col and rows[r][col] != 0:
                factor = rows[r][col] / rows[col][col]
                rows[r] = [a - factor * b for a, b in zip(rows[r], rows[col], strict=True)]
    return [rows[i][n] / rows[i][i] for i in range(n)]


def ridge_decomposition(p: sp.Expr, x: sp.Symbol, y: sp.Symbol) -> tuple[RidgeTerm, ...]:
    r"""Write the polynomial p of total degree D as :math:`\sum_j p_j(a_j x + b_j y)`, exactly.

    The directions are the first :math:`D + 1` primitive integer vectors (1, 0), (0, 1),
    (1, 1), (1, −1), (2, 1), …; the homogeneous part of degree k is written with the first
    :math:`k + 1` of them, solving the Vandermonde-like system
    :math:`\sum_{j \le k} c_{jk} (a_j x + b_j y)^k = P_k`.

    Examples
    --------
    >>> x, y = sp.symbols("x y", real=True)
    >>> for term in ridge_decomposition(x * y, x, y):
    ...     print(term.direction, term.polynomial(sp.Symbol("t")))
    (1, 0) -t**2/2
    (0, 1) -t**2/2
    (1, 1) t**2/2

    References
    ----------
    A. Pinkus (1999), section 3: the polynomials :math:`(w \cdot x)^k` span the homogeneous
    polynomials of degree k, the step from one variable to several.
    """
    x, y = _variables(x, y)
    p = _function(p, x, y)
    coefficients = _polynomial(p, x, y)
    if coefficients is None:
        raise ValueError(
            f"p = {plain_expr(p)} is not a polynomial in {x}, {y} with rational coefficients"
        )
    degree = max((i + j for i, j in coefficients), default=0)
    if degree > MAX_DEGREE:
        raise ValueError(
            f"p has degree {degree}: at most {MAX_DEGREE} (MAX_DEGREE); the ridge coefficients "
            "grow quickly with the degree"
        )
    directions = _directions(degree + 1)
    table = [[Fraction(0)] * (degree + 1) for _ in directions]
    for k in range(degree + 1):
        rhs = [coefficients.get((k - i, i), Fraction(0)) for i in range(k + 1)]
        if not any(rhs):
            continue
        matrix = [
            [Fraction(math.comb(k, i) * a ** (k - i) * b**i) for a, b in directions[: k + 1]]
            for i in range(k + 1)
        ]
        for j, c in enumerate(_solve(matrix, rhs)):
            table[j][k] = c
    terms = []
    for direction, row in zip(directions, table, strict=True):
        while row and row[-1] == 0:
            row.pop()
        if row:
            terms.append(RidgeTerm(direction, tuple(row)))
    return tuple(terms)


# --- Cybenko's construction on the square --------------------------------------------------------


@dataclass(frozen=True)
class PlaneApproximation:
    r"""A one-hidden-layer sum G built from a polynomial P by ridge staircases.

    Attributes
    ----------
    network
        G.
    polynomial
        P: f itself when f is a polynomial, else its Bernstein polynomial.
    ridges
        The ridge polynomials of P (:func:`ridge_decomposition`).
    steps
        The units per ridge direction.
    ridge_error_bound
        An exact a priori bound: :math:`\sup_{[0,1]^2} |P - G| \le` this.
    """

    network: PlaneNetwork
    polynomial: sp.Expr
    ridges: tuple[RidgeTerm, ...]
    steps: int
    ridge_error_bound: Fraction


def _staircase(
    ridge: RidgeTerm, steps: int, sigmoid: ExactSigmoid
) -> tuple[Fraction, list[PlaneUnit], Fraction]:
    """The units approximating one ridge polynomial, its value at the interval's start, and
    the a priori bound of its error."""
    lo, hi = ridge.interval
    h = (hi - lo) / steps
    nodes = [lo + i * h for i in range(steps + 1)]
    values = [ridge.value(t) for t in nodes]
    a, b = (Fraction(v) for v in ridge.direction)
    units = []
    for i in range(1, steps + 1):
        jump = values[i] - values[i - 1]
        if jump == 0:
            continue
        if sigmoid is ExactSigmoid.STEP:  # H(t − m_i), m_i the midpoint: the nearest node's value
            units.append(PlaneUnit(jump, (a, b), -(nodes[i - 1] + nodes[i]) / 2))
        else:  # σ((t − t_{i−1})/h) rises from t_{i−1} to t_i: the linear interpolant
            units.append(PlaneUnit(jump, (a / h, b / h), -nodes[i - 1] / h))
    first = _derivative(ridge.coefficients)
    if sigmoid is ExactSigmoid.STEP:
        bound = h / 2 * _sup_on_interval(first, lo, hi)
    else:
        bound = h * h / 8 * _sup_on_interval(_derivative(first), lo, hi)
    return values[0], units, bound


def cybenko_plane(
    f: sp.Expr,
    x: sp.Symbol,
    y: sp.Symbol,
    *,
    steps: int,
    sigmoid: ExactSigmoid = ExactSigmoid.RAMP,
    degree: int | None = None,
) -> PlaneApproximation:
    r"""A one-hidden-layer sum approximating the continuous f on :math:`[0, 1]^2`, built
    explicitly: f (or its Bernstein polynomial of degree ``degree`` in each variable, when f is
    not a polynomial) is decomposed into ridge polynomials, and each is replaced by a staircase
    of ``steps`` units along its direction.

    Parameters
    ----------
    f
        A polynomial in x and y with rational coefficients, or (with ``degree``) a function
        made of rational numbers, x, y, arithmetic, integer powers, :math:`|\cdot|`, max and min.
    steps
        The units per direction, N.
    sigmoid
        Ramps (the default: continuous, each ridge's piecewise-linear interpolant) or steps.
    degree
        For a non-polynomial f: n of :func:`bernstein_plane`.

    Examples
    --------
    >>> x, y = sp.symbols("x y", real=True)
    >>> approx = cybenko_plane(x * y, x, y, steps=4)
    >>> len(approx.network.units), approx.ridge_error_bound
    (12, Fraction(3, 64))
    >>> grid_error(x * y, approx.network, x, y, grid=8).error
    Fraction(1, 32)

    References
    ----------
    G. Cybenko (1989), Theorem 2; A. Pinkus (1999), section 3.
    """
    x, y = _variables(x, y)
    f = _function(f, x, y)
    n = _integer(steps, "steps", MAX_STEPS, "MAX_STEPS")
    if not isinstance(sigmoid, ExactSigmoid):
        raise TypeError(f"sigmoid={_shown(sigmoid)}: pass ExactSigmoid.RAMP or ExactSigmoid.STEP")
    if _polynomial(f, x, y) is not None:
        if degree is not None:
            raise ValueError(
                f"f = {plain_expr(f)} is a polynomial and is decomposed exactly; degree is for a "
                "function that is not a polynomial: leave it out"
            )
        polynomial = sp.expand(f)
    elif degree is None:
        raise ValueError(
            f"f = {plain_expr(f)} is not a polynomial with rational coefficients: pass degree=n "
            "to approximate it first by its Bernstein polynomial of degree n in each variable"
        )
    else:
        polynomial = bernstein_plane(f, x, y, degree)
    ridges = ridge_decomposition(polynomial, x, y)
    offset = Fraction(0)
    units: list[PlaneUnit] = []
    bound = Fraction(0)
    for ridge in ridges:
        start, ridge_units, ridge_bound = _staircase(ridge, n, sigmoid)
        offset += start
        units += ridge_units
        bound += ridge_bound
    network = PlaneNetwork(sigmoid, offset, tuple(units))
    return PlaneApproximation(network, polynomial, ridges, n, bound)


# --- errors on grids ---------------------------------------------------------------------------


@dataclass(frozen=True)
class GridError:
    r"""The exact maximum of :math:`|f - G|` over the grid :math:`\{(i/M, j/M)\}`.

    It proves :math:`\|f - G\|_\infty \ge` ``error`` (a lower bound), nothing more: between the
    grid's points the error may be larger.  :meth:`sup_bound` turns it into an upper bound with
    Lipschitz constants of f and G.

    Attributes
    ----------
    grid
        M.
    error
        :math:`\max_{i, j} |f - G|(i/M, j/M)`.
    point
        A grid point where the maximum is attained (the least in the order of (x, y)).
    """

    grid: int
    error: Fraction
    point: Point

    def sup_bound(self, *, lipschitz_f: Any, lipschitz_network: Any) -> Fraction:
        r"""An exact upper bound of :math:`\|f - G\|_\infty`: every point of the square is
        within :math:`1/(2M)` of the grid in the max norm, so

        .. math::

            \|f - G\|_\infty \le E_M + \frac{L_f + L_G}{2M}

        for Lipschitz constants :math:`L_f`, :math:`L_G` of f and G for the max norm
        (:func:`polynomial_lipschitz_bound`, :meth:`PlaneNetwork.lipschitz_bound`).
        """
        total = Fraction(0)
        for name, value in (("lipschitz_f", lipschitz_f), ("lipschitz_network", lipschitz_network)):
            constant = exact_fraction(value, name=name)
            if constant < 0:
                raise ValueError(f"{name}={_show(constant)} must be ≥ 0 (a Lipschitz constant)")
            total += constant
        return self.error + total / (2 * self.grid)


def grid_error(
    f: sp.Expr, network: PlaneNetwork, x: sp.Symbol, y: sp.Symbol, *, grid: int
) -> GridError:
    r""":math:`\max |f - G|` over the :math:`(M + 1)^2` points :math:`(i/M, j/M)`, exactly.

    f must take rational values at rational points (rational numbers, x, y, arithmetic,
    integer powers, :math:`|\cdot|`, max, min).  The result is a lower bound of the sup error;
    see :class:`GridError` for what it does and does not prove.

    Examples
    --------
    >>> x, y = sp.symbols("x y", real=True)
    >>> G = cybenko_plane(x + y, x, y, steps=2, sigmoid=ExactSigmoid.STEP).network
    >>> grid_error(x + y, G, x, y, grid=4)
    GridError(grid=4, error=Fraction(1, 2), point=(Fraction(1, 4), Fraction(1, 4)))
    """
    x, y = _variables(x, y)
    f = _function(f, x, y)
    if not isinstance(network, PlaneNetwork):
        raise TypeError(f"network={_shown(network)} is not a PlaneNetwork")
    m = _integer(grid, "grid", MAX_GRID, "MAX_GRID")
    values = _exact_function(f, x, y)
    best = Fraction(-1)
    where: Point = (Fraction(0), Fraction(0))
    for i in range(m + 1):
        for j in range(m + 1):
            p = (Fraction(i, m), Fraction(j, m))
            error = abs(values(p) - network._value(p))
            if error > best:
                best, where = error, p
    return GridError(m, best, where)


# --- partitions of the square ------------------------------------------------------------------


def _area(polygon: Sequence[Point]) -> Fraction:
    """The signed area (positive counter-clockwise), by the shoelace formula."""
    twice = sum(
        (
            p[0] * q[1] - q[0] * p[1]
            for p, q in zip(polygon, (*polygon[1:], polygon[0]), strict=True)
        ),
        Fraction(0),
    )
    return twice / 2


def _inner_point(polygon: Sequence[Point]) -> Point:
    """The average of the vertices: inside a convex polygon."""
    n = len(polygon)
    return (
        sum((p[0] for p in polygon), Fraction(0)) / n,
        sum((p[1] for p in polygon), Fraction(0)) / n,
    )


def _clip(polygon: Sequence[Point], a: Fraction, b: Fraction, c: Fraction) -> list[Point]:
    """The part of a convex polygon where a x + b y + c ≥ 0 (Sutherland–Hodgman)."""
    result: list[Point] = []
    n = len(polygon)
    for i in range(n):
        p, q = polygon[i], polygon[(i + 1) % n]
        vp, vq = a * p[0] + b * p[1] + c, a * q[0] + b * q[1] + c
        if vp >= 0:
            result.append(p)
        if (vp > 0 > vq) or (vp < 0 < vq):
            s = vp / (vp - vq)
            result.append((p[0] + s * (q[0] - p[0]), p[1] + s * (q[1] - p[1])))
    return _simplified(result)


def _simplified(polygon: list[Point]) -> list[Point]:
    """Without repeated and collinear vertices; empty when the area is 0."""
    points: list[Point] = []
    for p in polygon:
        if not points or p != points[-1]:
            points.append(p)
    while len(points) > 1 and points[0] == points[-1]:
        points.pop()
    changed = True
    while changed and len(points) >= 3:
        changed = False
        for i in range(len(points)):
            o, p, q = points[i - 1], points[i], points[(i + 1) % len(points)]
            if (p[0] - o[0]) * (q[1] - o[1]) - (p[1] - o[1]) * (q[0] - o[0]) == 0:
                del points[i]
                changed = True
                break
    return points if len(points) >= 3 else []


@dataclass(frozen=True)
class _Line:
    """The line a x + b y + c = 0, a and b coprime integers, the first non-zero positive."""

    a: Fraction
    b: Fraction
    c: Fraction

    def at(self, p: Point) -> Fraction:
        return self.a * p[0] + self.b * p[1] + self.c

    def polynomial(self, x: sp.Symbol, y: sp.Symbol) -> sp.Expr:
        return _rational(self.a) * x + _rational(self.b) * y + _rational(self.c)


def _normal_line(a: Fraction, b: Fraction, c: Fraction) -> _Line:
    if a == 0 and b == 0:
        raise ValueError("a line needs a ≠ 0 or b ≠ 0")
    scale = math.lcm(a.denominator, b.denominator, c.denominator)
    ia, ib, ic = int(a * scale), int(b * scale), int(c * scale)
    divisor = math.gcd(math.gcd(ia, ib), ic)
    ia, ib, ic = ia // divisor, ib // divisor, ic // divisor
    if ia < 0 or (ia == 0 and ib < 0):
        ia, ib, ic = -ia, -ib, -ic
    return _Line(Fraction(ia), Fraction(ib), Fraction(ic))


def _through(p: Point, q: Point) -> _Line:
    a, b = q[1] - p[1], p[0] - q[0]
    return _normal_line(a, b, -(a * p[0] + b * p[1]))


_SQUARE_SIDES = {
    _normal_line(Fraction(1), Fraction(0), Fraction(0)),
    _normal_line(Fraction(1), Fraction(0), Fraction(-1)),
    _normal_line(Fraction(0), Fraction(1), Fraction(0)),
    _normal_line(Fraction(0), Fraction(1), Fraction(-1)),
}


@dataclass(frozen=True)
class PlanePartition:
    """A partition of :math:`[0, 1]^2` into classes :math:`0, \\dots, k - 1`, each a union of
    convex polygons with rational vertices (counter-clockwise).

    Build one with :func:`plane_partition`, :func:`grid_partition` or :func:`checkerboard`.
    """

    pieces: tuple[tuple[int, tuple[Point, ...]], ...]
    classes: int

    def __repr__(self) -> str:
        return f"PlanePartition({len(self.pieces)} polygons, {self.classes} classes)"

    def class_at(self, point: Sequence[Any]) -> int:
        """The class of a point (inside a polygon or on its boundary: the first found)."""
        p = (exact_fraction(point[0], name="x"), exact_fraction(point[1], name="y"))
        for label, polygon in self.pieces:
            n = len(polygon)
            if all(
                (polygon[(i + 1) % n][0] - polygon[i][0]) * (p[1] - polygon[i][1])
                - (polygon[(i + 1) % n][1] - polygon[i][1]) * (p[0] - polygon[i][0])
                >= 0
                for i in range(n)
            ):
                return label
        raise ValueError(f"point={_shown(point)} is not in the square [0, 1]²")

    @property
    def boundary_lines(self) -> tuple[tuple[Fraction, Fraction, Fraction], ...]:
        """The lines :math:`a x + b y + c = 0` through the polygons' edges that are not sides
        of the square, as :math:`(a, b, c)` with :math:`a, b` coprime integers."""
        return tuple((line.a, line.b, line.c) for line in self._lines)

    @functools.cached_property
    def _lines(self) -> tuple[_Line, ...]:
        lines: dict[_Line, None] = {}
        for _, polygon in self.pieces:
            for p, q in zip(polygon, (*polygon[1:], polygon[0]), strict=True):
                line = _through(p, q)
                if line not in _SQUARE_SIDES:
                    lines[line] = None
        return tuple(lines)


def plane_partition(pieces: Iterable[tuple[int, Sequence[Sequence[Any]]]]) -> PlanePartition:
    """A :class:`PlanePartition` from ``(class, vertices)`` pairs, checked exactly.

    Each polygon must be convex with rational vertices in :math:`[0, 1]^2` (either orientation);
    the polygons must not overlap and must cover the square (their areas add up to 1); the
    classes must be 0, 1, …, k − 1, each used.

    Examples
    --------
    >>> half = Fraction(1, 2)
    >>> plane_partition([(0, [(0, 0), (half, 0), (half, 1), (0, 1)]),
    ...                  (1, [(half, 0), (1, 0), (1, 1), (half, 1)])])
    PlanePartition(2 polygons, 2 classes)
    """
    checked: list[tuple[int, tuple[Point, ...]]] = []
    for entry in pieces:
        if not isinstance(entry, (tuple, list)) or len(entry) != 2:
            raise TypeError(f"piece={_shown(entry)} must be a pair (class, vertices)")
        label, vertices = entry
        if isinstance(label, bool) or not isinstance(label, int) or label < 0:
            raise ValueError(f"class={_shown(label)} must be an integer ≥ 0")
        points = [
            (exact_fraction(v[0], name="vertex x"), exact_fraction(v[1], name="vertex y"))
            for v in vertices
        ]
        if any(not (0 <= c <= 1) for p in points for c in p):
            raise ValueError(f"polygon {_shown(vertices)} leaves the square [0, 1]²")
        polygon = _simplified(points)
        if not polygon:
            raise ValueError(f"polygon {_shown(vertices)} has area 0")
        if _area(polygon) < 0:
            polygon.reverse()
        n = len(polygon)
        for i in range(n):
            o, p, q = polygon[i - 1], polygon[i], polygon[(i + 1) % n]
            if (p[0] - o[0]) * (q[1] - o[1]) - (p[1] - o[1]) * (q[0] - o[0]) < 0:
                raise ValueError(
                    f"polygon {_shown(vertices)} is not convex; split it into convex polygons "
                    "of the same class"
                )
        checked.append((label, tuple(polygon)))
        if len(checked) > MAX_POLYGONS:
            raise ValueError(f"more than {MAX_POLYGONS} polygons (MAX_POLYGONS)")
    if not checked:
        raise ValueError("no polygon: give (class, vertices) pairs covering the square")
    total = sum((_area(polygon) for _, polygon in checked), Fraction(0))
    if total != 1:
        raise ValueError(
            f"the polygons' areas add up to {_show(total)}, not 1: they must cover the square "
            "[0, 1]² exactly once"
        )
    boxes = [
        (
            min(p[0] for p in poly),
            max(p[0] for p in poly),
            min(p[1] for p in poly),
            max(p[1] for p in poly),
        )
        for _, poly in checked
    ]
    for i, (_, first) in enumerate(checked):
        for j in range(i + 1, len(checked)):
            (a0, a1, a2, a3), (b0, b1, b2, b3) = boxes[i], boxes[j]
            if a1 <= b0 or b1 <= a0 or a3 <= b2 or b3 <= a2:
                continue  # the bounding boxes do not overlap
            second = checked[j][1]
            overlap = list(first)
            for p, q in zip(second, (*second[1:], second[0]), strict=True):
                line = (q[1] - p[1], p[0] - q[0])
                overlap = _clip(overlap, -line[0], -line[1], line[0] * p[0] + line[1] * p[1])
                if not overlap:
                    break
            if overlap:
                raise ValueError(
                    f"the polygons {_shown(first)} and {_shown(second)} overlap; the pieces "
                    "must not overlap"
                )
    classes = max(label for label, _ in checked) + 1
    missing = sorted(set(range(classes)) - {label for label, _ in checked})
    if missing:
        raise ValueError(
            f"class {missing[0]} has no polygon: number the classes 0, 1, …, k − 1 without gaps"
        )
    return PlanePartition(tuple(checked), classes)


def _cuts(value: Any, name: str) -> list[Fraction]:
    if isinstance(value, int) and not isinstance(value, bool):
        count = _integer(value, name, MAX_POLYGONS, "MAX_POLYGONS")
        return [Fraction(i, count) for i in range(count + 1)]
    points = [exact_fraction(v, name=name) for v in value]
    if (
        len(points) < 2
        or points[0] != 0
        or points[-1] != 1
        or any(b <= a for a, b in itertools.pairwise(points))
    ):
        raise ValueError(
            f"{name}={_shown(value)} must increase from 0 to 1 (the cells' edges), e.g. "
            "[0, Fraction(1, 3), 1]"
        )
    return points


def grid_partition(
    labels: Sequence[Sequence[int]],
    *,
    xs: Sequence[Any] | None = None,
    ys: Sequence[Any] | None = None,
) -> PlanePartition:
    """The partition of the square into the rectangles of a grid, ``labels[i][j]`` being the
    class of the cell in row i (counted from the bottom, y between ``ys[i]`` and ``ys[i+1]``)
    and column j (x between ``xs[j]`` and ``xs[j+1]``); equal cells by default.

    Examples
    --------
    >>> grid_partition([[0, 1], [1, 0]]).class_at((Fraction(1, 4), Fraction(3, 4)))
    1
    """
    rows = [list(row) for row in labels]
    if not rows or not rows[0] or any(len(r) != len(rows[0]) for r in rows):
        raise ValueError("labels must be a non-empty rectangular table of classes (rows of ints)")
    x_cuts = _cuts(len(rows[0]) if xs is None else xs, "xs")
    y_cuts = _cuts(len(rows) if ys is None else ys, "ys")
    if len(x_cuts) != len(rows[0]) + 1 or len(y_cuts) != len(rows) + 1:
        raise ValueError(
            f"{len(rows)} rows of {len(rows[0])} labels need {len(rows[0]) + 1} xs and "
            f"{len(rows) + 1} ys"
        )
    return plane_partition(
        (
            label,
            [
                (x_cuts[j], y_cuts[i]),
                (x_cuts[j + 1], y_cuts[i]),
                (x_cuts[j + 1], y_cuts[i + 1]),
                (x_cuts[j], y_cuts[i + 1]),
            ],
        )
        for i, row in enumerate(rows)
        for j, label in enumerate(row)
    )


def checkerboard(rows: int, columns: int) -> PlanePartition:
    """The checkerboard of ``rows`` × ``columns`` equal cells, class :math:`(i + j) \\bmod 2`
    (2 × 2 is the continuous XOR).

    >>> checkerboard(2, 2).class_at((Fraction(3, 4), Fraction(1, 4)))
    1
    """
    r = _integer(rows, "rows", MAX_POLYGONS, "MAX_POLYGONS")
    c = _integer(columns, "columns", MAX_POLYGONS, "MAX_POLYGONS")
    if r * c < 2:
        raise ValueError("a checkerboard needs at least two cells")
    return grid_partition([[(i + j) % 2 for j in range(c)] for i in range(r)])


# --- the measure of the misclassified set ---------------------------------------------------------


def _decided(label: int, classes: int, low: Fraction, high: Fraction) -> bool | None:
    """True: every value in [low, high] rounds to ``label``; False: none does; None: unknown."""
    above = label == 0 or low >= label - HALF
    below = label == classes - 1 or high < label + HALF
    if above and below:
        return True
    if (label > 0 and high < label - HALF) or (label < classes - 1 and low >= label + HALF):
        return False
    return None


def _right_area(
    polygon: list[Point], label: int, classes: int, value: Fraction, gradient: Point
) -> Fraction:
    """The area of the part of the polygon where G = value + gradient·(p − centre) rounds to
    ``label``, exactly (G affine on the polygon)."""
    if gradient == (0, 0):  # constant: decided exactly, a value k + 1/2 included
        return _area(polygon) if _decided(label, classes, value, value) else Fraction(0)
    centre = _inner_point(polygon)
    g0 = value - gradient[0] * centre[0] - gradient[1] * centre[1]
    region = polygon
    if label > 0:
        region = _clip(region, gradient[0], gradient[1], g0 - (label - HALF))
    if label < classes - 1 and region:
        region = _clip(region, -gradient[0], -gradient[1], label + HALF - g0)
    return _area(region) if region else Fraction(0)


def _split(
    polygon: list[Point], weight: tuple[Fraction, Fraction], s: Fraction
) -> list[list[Point]]:
    """The two parts of a convex polygon on either side of the line w·p = s."""
    return [
        part
        for part in (
            _clip(polygon, weight[0], weight[1], -s),
            _clip(polygon, -weight[0], -weight[1], s),
        )
        if part
    ]


def _group_range(
    group: _Group, low: Fraction, high: Fraction, inside: tuple[Fraction, ...]
) -> tuple[Fraction, Fraction]:
    """The least and largest values of a direction's sum for s in [low, high]."""
    samples = [group.value(low), *(group.value(s) for s in inside)]
    if group.ramp:
        samples.append(group.value(high))
    return min(samples), max(samples)


def misclassified_measure(partition: PlanePartition, network: PlaneNetwork) -> Fraction:
    r"""The area of the points of :math:`[0, 1]^2` that the network classifies wrongly, exactly.

    A point is classified as :math:`\min(k - 1, \max(0, \lfloor G(x) + \tfrac12 \rfloor))`: the
    class nearest to :math:`G(x)`.  G is constant (steps) or affine (ramps) between its units'
    lines, so the wrong set is a union of rational polygons; they are found by cutting the
    partition's polygons along those lines, only where a bound of G's range over a polygon does
    not already decide it.

    Examples
    --------
    >>> halves = grid_partition([[0, 1]])
    >>> late = PlaneNetwork(ExactSigmoid.STEP, Fraction(0),
    ...                     (PlaneUnit(Fraction(1), (Fraction(1), Fraction(0)), Fraction(-3, 5)),))
    >>> misclassified_measure(halves, late)  # the strip 1/2 < x < 3/5
    Fraction(1, 10)
    """
    if not isinstance(partition, PlanePartition):
        raise TypeError(f"partition={_shown(partition)} is not a PlanePartition")
    if not isinstance(network, PlaneNetwork):
        raise TypeError(f"network={_shown(network)} is not a PlaneNetwork")
    groups = network._groups
    classes = partition.classes
    wrong = Fraction(0)
    stack = [(list(polygon), label) for label, polygon in partition.pieces]
    examined = 0
    while stack:
        polygon, label = stack.pop()
        examined += 1
        if examined > MAX_CELLS:
            raise NotSupportedError(
                f"more than {MAX_CELLS} polygons examined (MAX_CELLS): the network has too many "
                "units for an exact measure"
            )
        low = high = network.offset
        widest: tuple[int, _Group, tuple[Fraction, ...]] | None = None
        for group in groups:
            values = [group.at(p) for p in polygon]
            s_low, s_high = min(values), max(values)
            points = group.breakpoints
            inside = points[bisect.bisect_right(points, s_low) : bisect.bisect_left(points, s_high)]
            g_low, g_high = _group_range(group, s_low, s_high, inside)
            low, high = low + g_low, high + g_high
            if inside and (widest is None or len(inside) > widest[0]):
                widest = (len(inside), group, inside)
        verdict = _decided(label, classes, low, high)
        if verdict is True:
            continue
        if verdict is False:
            wrong += _area(polygon)
            continue
        if widest is not None:
            _, group, inside = widest
            stack += [
                (part, label) for part in _split(polygon, group.weight, inside[len(inside) // 2])
            ]
            continue
        centre = _inner_point(polygon)  # no breakpoint inside: G is affine here
        gradient = (Fraction(0), Fraction(0))
        if network.sigmoid is ExactSigmoid.RAMP:
            for group in groups:
                slope = group.slope(group.at(centre))
                gradient = (
                    gradient[0] + slope * group.weight[0],
                    gradient[1] + slope * group.weight[1],
                )
        right = _right_area(polygon, label, classes, network._value(centre), gradient)
        wrong += _area(polygon) - right
    return wrong


# --- networks for decision regions ------------------------------------------------------------


def _cells(
    partition: PlanePartition, lines: Sequence[_Line]
) -> list[tuple[int, tuple[bool, ...], Fraction]]:
    """The partition's polygons cut by all the lines: (class, side of each line, area)."""
    cells = []
    for label, polygon in partition.pieces:
        parts = [list(polygon)]
        for line in lines:
            cut = []
            for part in parts:
                values = [line.at(p) for p in part]
                if min(values) < 0 < max(values):
                    cut += [
                        q
                        for q in (
                            _clip(part, line.a, line.b, line.c),
                            _clip(part, -line.a, -line.b, -line.c),
                        )
                        if q
                    ]
                else:
                    cut.append(part)
            parts = cut
        for part in parts:
            centre = _inner_point(part)
            cells.append((label, tuple(line.at(centre) > 0 for line in lines), _area(part)))
    return cells


def _extra_lines(extra_lines: Iterable[Sequence[Any]]) -> list[_Line]:
    lines = []
    for entry in extra_lines:
        if not isinstance(entry, (tuple, list)) or len(entry) != 3:
            raise TypeError(
                f"extra line {_shown(entry)} must be a triple (a, b, c): a x + b y + c = 0"
            )
        a, b, c = (exact_fraction(v, name="extra line coefficient") for v in entry)
        lines.append(_normal_line(a, b, c))
    return lines


def threshold_network(
    partition: PlanePartition, *, extra_lines: Iterable[Sequence[Any]] = ()
) -> PlaneNetwork:
    r"""One step unit per line (the partition's boundary lines and ``extra_lines``), with
    coefficients that classify every point off the lines correctly, when they exist.

    The coefficients :math:`\beta_\ell` and the offset c come from an exact linear program: the
    lines cut the square into cells on which :math:`G = c + \sum_\ell \beta_\ell
    H(\ell(x))` is constant, and the program maximises the margin :math:`\mu` with
    :math:`j - \tfrac12 + \mu \le G \le j + \tfrac12 - \mu` on the cells of class j (one side
    only for the first and last class).

    Raises
    ------
    NotSupportedError
        When the best margin is :math:`\le 0`: no such coefficients exist for these lines (a
        checkerboard, for instance; :func:`parity_network` handles it).

    Examples
    --------
    >>> quarter = grid_partition([[0, 0], [0, 1]])  # the square [1/2, 1]² against the rest
    >>> G = threshold_network(quarter)
    >>> misclassified_measure(quarter, G)
    Fraction(0, 1)

    References
    ----------
    G. J. Gibson, C. F. N. Cowan (1990): one hidden layer of threshold units forms non-convex
    and disconnected regions, but not all.
    """
    if not isinstance(partition, PlanePartition):
        raise TypeError(f"partition={_shown(partition)} is not a PlanePartition")
    lines = list(dict.fromkeys([*partition._lines, *_extra_lines(extra_lines)]))
    if len(lines) > MAX_LINES:
        raise ValueError(f"{len(lines)} lines: at most {MAX_LINES} (MAX_LINES)")
    betas = sp.symbols(f"beta0:{len(lines)}", real=True)
    offset, margin = sp.symbols("c mu", real=True)
    constraints = [margin <= sp.S.Half]
    seen = set()
    for label, sides, _ in _cells(partition, lines):
        if (label, sides) in seen:
            continue
        seen.add((label, sides))
        value = offset + sp.Add(*(b for b, side in zip(betas, sides, strict=True) if side))
        if label > 0:
            constraints.append(value >= label - sp.S.Half + margin)
        if label < partition.classes - 1:
            constraints.append(value <= label + sp.S.Half - margin)
    best, solution = lpmax(margin, constraints)
    if best <= 0:
        raise NotSupportedError(
            f"no combination of one step unit per line classifies this partition: the best "
            f"margin of the linear program over {len(lines)} lines is {plain_expr(best)} ≤ 0 "
            "(a checkerboard is classified by parity_network; other partitions may need "
            "extra_lines)"
        )

    def value_of(symbol: sp.Symbol) -> Fraction:
        v = sp.Rational(solution.get(symbol, 0))
        return Fraction(int(v.p), int(v.q))

    units = tuple(
        PlaneUnit(value_of(beta), (line.a, line.b), line.c)
        for beta, line in zip(betas, lines, strict=True)
        if value_of(beta) != 0
    )
    return PlaneNetwork(ExactSigmoid.STEP, value_of(offset), units)


def parity_network(
    partition: PlanePartition, *, steps: int, sigmoid: ExactSigmoid = ExactSigmoid.RAMP
) -> PlaneApproximation:
    r"""For a partition into two classes whose class flips across every boundary line (a
    checkerboard): the staircases of :math:`\tfrac12 \pm P`, :math:`P = \prod_\ell \ell(x)`.

    The sign of P is the class pattern, so G classifies x correctly wherever
    :math:`|P(x)|` exceeds the staircase error; the misclassified set shrinks to the lines as
    ``steps`` grows (its measure: :func:`misclassified_measure`).

    Raises
    ------
    NotSupportedError
        When the partition is not of this kind.

    Examples
    --------
    >>> xor = checkerboard(2, 2)
    >>> [misclassified_measure(xor, parity_network(xor, steps=n).network) for n in (2, 4, 8)]
    [Fraction(1, 6), Fraction(1, 12), Fraction(5, 168)]
    """
    if not isinstance(partition, PlanePartition):
        raise TypeError(f"partition={_shown(partition)} is not a PlanePartition")
    lines = partition._lines
    if partition.classes != 2 or not lines:
        raise NotSupportedError(
            f"parity_network needs two classes separated by lines; this partition has "
            f"{partition.classes} classes and {len(lines)} boundary lines"
        )
    if len(lines) > MAX_DEGREE:
        raise ValueError(
            f"{len(lines)} boundary lines: the parity polynomial would have degree above "
            f"{MAX_DEGREE} (MAX_DEGREE)"
        )
    cells = _cells(partition, lines)
    reference_label, reference_sides, _ = cells[0]
    for label, sides, _ in cells:
        flips = sum(a != b for a, b in zip(sides, reference_sides, strict=True))
        if (label != reference_label) != (flips % 2 == 1):
            raise NotSupportedError(
                "the class does not flip across every boundary line, so it is not the sign of "
                "the product of the lines (a parity partition such as a checkerboard): try "
                "threshold_network"
            )
    x, y = sp.symbols("x y", real=True)
    product = sp.Mul(*(line.polynomial(x, y) for line in lines))
    negatives = sum(not side for side in reference_sides)
    positive_is_one = (reference_label == 1) == (negatives % 2 == 0)
    target = sp.S.Half + (product if positive_is_one else -product)
    return cybenko_plane(target, x, y, steps=steps, sigmoid=sigmoid)


class DecisionConstruction(enum.Enum):
    """How :func:`decision_network` built its network."""

    LINES = "one unit per boundary line (a linear program)"
    PARITY = "ridge staircases of the parity polynomial"


@dataclass(frozen=True)
class DecisionNetwork:
    """A network for a partition, the exact measure of its misclassified set, and how it was
    built (``resolution``: the ramps' steepness, or the steps per ridge direction; ``None`` for
    exact step units)."""

    network: PlaneNetwork
    measure: Fraction
    method: DecisionConstruction
    resolution: int | None


def decision_network(
    partition: PlanePartition, *, epsilon: Any, sigmoid: ExactSigmoid = ExactSigmoid.RAMP
) -> DecisionNetwork:
    r"""A one-hidden-layer network that classifies the partition correctly except on a set of
    measure :math:`< \varepsilon` (Cybenko's Theorem 3), the measure computed exactly.

    First :func:`threshold_network` (exact for step units; ramps of steepness 2, 4, 8, … until
    the strips where they differ from steps are small enough), else :func:`parity_network` with
    2, 4, 8, … steps per direction.

    Raises
    ------
    NotSupportedError
        For a partition neither construction handles, or when ``epsilon`` needs more than
        :data:`MAX_STEPS` steps or :data:`MAX_STEEPNESS`.

    Examples
    --------
    >>> result = decision_network(checkerboard(2, 2), epsilon=Fraction(1, 20))
    >>> result.measure, result.resolution
    (Fraction(5, 168), 8)

    References
    ----------
    G. Cybenko (1989), Theorem 3.
    """
    if not isinstance(partition, PlanePartition):
        raise TypeError(f"partition={_shown(partition)} is not a PlanePartition")
    eps = exact_fraction(epsilon, name="epsilon")
    if not 0 < eps <= 1:
        raise ValueError(f"epsilon={_show(eps)} must be in (0, 1] (a measure in the unit square)")
    if not isinstance(sigmoid, ExactSigmoid):
        raise TypeError(f"sigmoid={_shown(sigmoid)}: pass ExactSigmoid.STEP or ExactSigmoid.RAMP")
    try:
        exact = threshold_network(partition)
    except NotSupportedError as lines_failed:
        reason = str(lines_failed)
    else:
        if sigmoid is ExactSigmoid.STEP:
            return DecisionNetwork(exact, Fraction(0), DecisionConstruction.LINES, None)
        steepness = 2
        while steepness <= MAX_STEEPNESS:
            network = steep_ramps(exact, steepness=steepness)
            measure = misclassified_measure(partition, network)
            if measure < eps:
                return DecisionNetwork(network, measure, DecisionConstruction.LINES, steepness)
            steepness *= 2
        raise NotSupportedError(
            f"epsilon={_show(eps)} needs ramps steeper than {MAX_STEEPNESS} (MAX_STEEPNESS)"
        )
    steps = 2
    while steps <= MAX_STEPS:
        try:
            approx = parity_network(partition, steps=steps, sigmoid=sigmoid)
        except NotSupportedError as parity_failed:
            raise NotSupportedError(
                f"{reason}; {parity_failed}. Cybenko's Theorem 3 still gives a network, but "
                "symdl builds one only for these two kinds of partition"
            ) from None
        measure = misclassified_measure(partition, approx.network)
        if measure < eps:
            return DecisionNetwork(approx.network, measure, DecisionConstruction.PARITY, steps)
        steps *= 2
    raise NotSupportedError(f"epsilon={_show(eps)} needs more than {MAX_STEPS} steps (MAX_STEPS)")
