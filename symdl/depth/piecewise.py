r"""Exact continuous piecewise-linear functions on the real line.

A :class:`PiecewiseLinear` function with breakpoints :math:`b_1 < \dots < b_{n-1}` (rational)
is affine on each of its :math:`n` pieces

.. math::

    f(x) = s_i x + c_i \quad \text{for } x \in [b_i, b_{i+1}],
    \qquad b_0 = -\infty,\ b_n = +\infty,

with rational slopes :math:`s_i` and intercepts :math:`c_i`; the two end pieces are unbounded.
Functions are continuous (every ReLU network is) and kept *merged*: neighbouring pieces are
never collinear, so :meth:`PiecewiseLinear.num_pieces` is the number of affine pieces of the
function itself, not of one way of writing it.

Arithmetic is exact (Python integers of any size, vectorised by
:class:`symdl.depth.rational_arrays.RationalArray`), and composition :math:`g \circ f` walks the
pieces of :math:`f`, splitting each where :math:`f` crosses a breakpoint of :math:`g`: its cost
is proportional to the number of pieces of the result, with no sampling anywhere.  This is what
the depth theorems need: the sawtooth :math:`m^{20}` has :math:`2^{20}` pieces
(:mod:`symdl.depth.telgarsky`), and the piece count of a ReLU network is exact
(:func:`PiecewiseLinear.from_network`).

References
----------
Telgarsky, "Representation benefits of deep feedforward networks", arXiv:1509.08101, 2015: the
counting of pieces of sums and compositions of piecewise-affine ("sawtooth") functions.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import numpy as np
import sympy as sp
from numpy.typing import NDArray

from symdl.core.exact import FloatConversion, exact_fraction, to_rational
from symdl.core.network import Network
from symdl.core.notation import math_html
from symdl.depth.piecewise_building import network_function, read_sympy, to_sympy
from symdl.depth.piecewise_display import cases_latex, plot_html, plot_png
from symdl.depth.rational_arrays import RationalArray

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["PiecewiseLinear", "exact_fraction", "to_rational"]


class PiecewiseLinear:
    r"""A continuous piecewise-linear function on :math:`\mathbb{R}` with exact coefficients.

    The function must be continuous; collinear neighbours are merged.

    Parameters
    ----------
    breakpoints
        :math:`b_1 < \dots < b_{n-1}`, exact rationals (int, Fraction, sympy.Rational).
    slopes, intercepts
        :math:`s_i, c_i` for the :math:`n` pieces, left to right.

    Examples
    --------
    The tent map :math:`m` of Telgarsky (2015), and :math:`m \circ m`:

    >>> from fractions import Fraction as F
    >>> m = PiecewiseLinear([0, F(1, 2), 1], [0, 2, -2, 0], [0, 0, 2, 0])
    >>> mm = m.compose(m)
    >>> mm.num_pieces(on=(0, 1)), [str(b) for b in mm.breakpoints]
    (4, ['0', '1/4', '1/2', '3/4', '1'])
    >>> mm(F(1, 4)), mm(F(3, 8))
    (Fraction(1, 1), Fraction(1, 2))
    """

    __slots__ = ("_b", "_c", "_name", "_s")
    _b: RationalArray
    _s: RationalArray
    _c: RationalArray
    _name: str

    def __init__(
        self, breakpoints: Sequence[Any], slopes: Sequence[Any], intercepts: Sequence[Any]
    ) -> None:
        b = [exact_fraction(v, name=f"breakpoints[{i}]") for i, v in enumerate(breakpoints)]
        s = [exact_fraction(v, name=f"slopes[{i}]") for i, v in enumerate(slopes)]
        c = [exact_fraction(v, name=f"intercepts[{i}]") for i, v in enumerate(intercepts)]
        if len(s) != len(b) + 1 or len(c) != len(s):
            raise ValueError(
                f"{len(b)} breakpoints need {len(b) + 1} slopes and intercepts; got "
                f"{len(s)} slopes and {len(c)} intercepts"
            )
        for i in range(1, len(b)):
            if not b[i - 1] < b[i]:
                raise ValueError(
                    f"breakpoints must be strictly increasing; breakpoints[{i - 1}] = "
                    f"{b[i - 1]} and breakpoints[{i}] = {b[i]}"
                )
        for i, x in enumerate(b):
            if s[i] * x + c[i] != s[i + 1] * x + c[i + 1]:
                raise ValueError(
                    f"the function jumps at breakpoint {x}: {s[i] * x + c[i]} from the left, "
                    f"{s[i + 1] * x + c[i + 1]} from the right; only continuous functions "
                    f"are accepted"
                )
        merged = self._from_arrays(RationalArray.of(b), RationalArray.of(s), RationalArray.of(c))
        self._b, self._s, self._c, self._name = merged._b, merged._s, merged._c, "f"

    @classmethod
    def _from_arrays(
        cls, b: RationalArray, s: RationalArray, c: RationalArray, *, merge: bool = True
    ) -> PiecewiseLinear:
        """Build from reduced arrays without validation, merging collinear neighbours."""
        if merge and len(b):
            # Continuity makes equal slopes on both sides of a breakpoint mean one line.
            distinct = ~s[1:].equal(s[:-1])
            keep = np.concatenate([[True], distinct])
            b, s, c = b[distinct], s[keep], c[keep]
        function = cls.__new__(cls)
        function._b, function._s, function._c, function._name = b, s, c, "f"
        return function

    @property
    def name(self) -> str:
        """The function's name in LaTeX, as its displays show it (``f`` unless
        :meth:`named`): the tent map is ``m``, the sawtooth ``m^{3}``."""
        return self._name

    def named(self, name: str) -> PiecewiseLinear:
        """The same function under the LaTeX name ``name`` (for its displays and plots); the
        name takes no part in equality or arithmetic, whose results are named ``f``.

        >>> PiecewiseLinear.relu().named(r"\\operatorname{ReLU}").name
        '\\\\operatorname{ReLU}'
        """
        if not isinstance(name, str) or not name.strip():
            raise TypeError(
                f"name = {name!r}: give the function's name as LaTeX text, e.g. 'm^{{3}}'"
            )
        function = self._from_arrays(self._b, self._s, self._c, merge=False)
        function._name = name
        return function

    # --- simple functions -------------------------------------------------------------------

    @classmethod
    def affine(cls, slope: Any = 1, intercept: Any = 0) -> PiecewiseLinear:
        """The affine function :math:`x \\mapsto \\text{slope}\\,x + \\text{intercept}`."""
        return cls([], [slope], [intercept])

    @classmethod
    def relu(cls, slope_negative: Any = 0) -> PiecewiseLinear:
        r"""ReLU :math:`\max(0, x)`, or leaky ReLU :math:`\max(ax, x)` with ``slope_negative=a``.

        Examples
        --------
        >>> PiecewiseLinear.relu()(-3), PiecewiseLinear.relu()(5)
        (Fraction(0, 1), Fraction(5, 1))
        """
        return cls([0], [slope_negative, 1], [0, 0])

    # --- the data ---------------------------------------------------------------------------

    @property
    def breakpoints(self) -> tuple[Fraction, ...]:
        """The breakpoints :math:`b_1 < \\dots < b_{n-1}` (where the slope changes)."""
        return tuple(self._b.to_fractions())

    @property
    def slopes(self) -> tuple[Fraction, ...]:
        """The slope of each piece, left to right."""
        return tuple(self._s.to_fractions())

    @property
    def intercepts(self) -> tuple[Fraction, ...]:
        """The intercept of each piece, left to right."""
        return tuple(self._c.to_fractions())

    @property
    def breakpoint_array(self) -> RationalArray:
        """The breakpoints as an exact vectorised array (cheap for millions of pieces)."""
        return self._b

    @property
    def slope_array(self) -> RationalArray:
        """The slopes as an exact vectorised array, one per piece, left to right."""
        return self._s

    @property
    def intercept_array(self) -> RationalArray:
        """The intercepts as an exact vectorised array, one per piece, left to right."""
        return self._c

    def breakpoint_values(self) -> RationalArray:
        """The exact values :math:`f(b_i)` at the breakpoints, as a vectorised array."""
        return (self._s[:-1] * self._b + self._c[:-1]).reduced()

    def num_pieces(self, *, on: tuple[Any, Any] | None = None) -> int:
        r"""The number of affine pieces, on :math:`\mathbb{R}` or on the interval ``on``.

        ``on=(lo, hi)`` counts the pieces meeting the open interval :math:`(lo, hi)`: one more
        than the number of breakpoints strictly inside it.

        Examples
        --------
        >>> PiecewiseLinear.relu().num_pieces(), PiecewiseLinear.relu().num_pieces(on=(1, 2))
        (2, 1)
        """
        if on is None:
            return len(self._s)
        return len(self.breakpoints_in(*on)) + 1

    def breakpoints_in(self, lo: Any, hi: Any) -> RationalArray:
        """The breakpoints strictly between ``lo`` and ``hi``."""
        lo_f, hi_f = exact_fraction(lo, name="lo"), exact_fraction(hi, name="hi")
        if not lo_f < hi_f:
            raise ValueError(f"the interval ({lo_f}, {hi_f}) is empty; give lo < hi")
        ends = RationalArray.of([lo_f, hi_f])
        first = self._b.searchsorted(ends[:1], right=True)[0]
        last = self._b.searchsorted(ends[1:], right=False)[0]
        return self._b[first:last]

    # --- evaluation -------------------------------------------------------------------------

    def __call__(self, x: Any) -> Fraction:
        """The exact value at a rational point."""
        point = exact_fraction(x, name="x")
        lo, hi = 0, len(self._b)
        while lo < hi:  # binary search: the piece is the number of breakpoints below the point
            middle = (lo + hi) // 2
            if self._b.item(middle) < point:
                lo = middle + 1
            else:
                hi = middle
        return self._s.item(lo) * point + self._c.item(lo)

    def values(self, points: RationalArray | Iterable[Any]) -> RationalArray:
        """The exact values at many rational points (vectorised)."""
        if not isinstance(points, RationalArray):
            points = RationalArray.of(
                exact_fraction(p, name=f"points[{i}]") for i, p in enumerate(points)
            )
        piece = self._b.searchsorted(points)
        return (self._s[piece] * points + self._c[piece]).reduced()

    def evaluate(self, x: Any) -> NDArray[np.float64]:
        """Float values at float points, for plotting (the piece choice uses float breakpoints)."""
        xs = np.asarray(x, dtype=float)
        piece = np.searchsorted(self._b.to_float(), xs)
        return np.asarray(self._s.to_float()[piece] * xs + self._c.to_float()[piece])

    # --- arithmetic -------------------------------------------------------------------------

    def __add__(self, other: PiecewiseLinear | Any) -> PiecewiseLinear:
        if not isinstance(other, PiecewiseLinear):
            value = exact_fraction(other, name="summand")
            return self._from_arrays(self._b, self._s, (self._c + value).reduced(), merge=False)
        union = _union(self._b, other._b)
        i, j = self._piece_of(union), other._piece_of(union)
        slopes = (self._s[i] + other._s[j]).reduced()
        intercepts = (self._c[i] + other._c[j]).reduced()
        return self._from_arrays(union, slopes, intercepts)

    __radd__ = __add__

    def __neg__(self) -> PiecewiseLinear:
        return self._from_arrays(self._b, -self._s, -self._c, merge=False)

    def __sub__(self, other: PiecewiseLinear | Any) -> PiecewiseLinear:
        return self + (-other)

    def __rsub__(self, other: Any) -> PiecewiseLinear:
        return (-self) + other

    def __mul__(self, scalar: Any) -> PiecewiseLinear:
        if isinstance(scalar, PiecewiseLinear):
            raise TypeError(
                "the product of two piecewise-linear functions is not piecewise linear; "
                "multiply by a rational scalar, or use compose() for g∘f"
            )
        factor = exact_fraction(scalar, name="scalar")
        if factor == 0:
            return PiecewiseLinear.affine(0, 0)
        return self._from_arrays(
            self._b, (self._s * factor).reduced(), (self._c * factor).reduced(), merge=False
        )

    __rmul__ = __mul__

    def _piece_of(self, union: RationalArray) -> NDArray[np.int64]:
        # The pieces of a function on a refinement of its breakpoints: piece t of the
        # refinement lies left of union[t], inside this function's piece #{b < union[t]}.
        inner = self._b.searchsorted(union)
        return np.concatenate([inner, [len(self._s) - 1]]).astype(np.int64)

    def compose(self, inner: PiecewiseLinear) -> PiecewiseLinear:
        r"""The composition :math:`g \circ f` with ``self`` as :math:`g` and ``inner`` as :math:`f`.

        Each piece of :math:`f` (slope :math:`a`, intercept :math:`c`) is split where
        :math:`f` crosses a breakpoint :math:`\beta` of :math:`g` inside the piece's image, at
        :math:`x = (\beta - c)/a`; on each part, :math:`g \circ f` has slope :math:`g_s a` and
        intercept :math:`g_s c + g_c`.  The cost is proportional to the number of pieces of
        the result (plus a search among :math:`g`'s breakpoints).

        Examples
        --------
        >>> relu = PiecewiseLinear.relu()
        >>> relu.compose(PiecewiseLinear.affine(-1, 1)).breakpoints
        (Fraction(1, 1),)
        """
        return _compose(self, inner)

    def __matmul__(self, inner: PiecewiseLinear) -> PiecewiseLinear:
        """``g @ f`` is :math:`g \\circ f`."""
        return self.compose(inner)

    def apply_relu(self, *, slope_negative: Any = 0) -> PiecewiseLinear:
        r""":math:`\max(0, f)` (or :math:`\max(af, f)` for leaky ReLU with ``slope_negative=a``)."""
        return PiecewiseLinear.relu(slope_negative).compose(self)

    def maximum(self, other: PiecewiseLinear) -> PiecewiseLinear:
        r""":math:`\max(f, g) = g + \operatorname{ReLU}(f - g)`."""
        return other + (self - other).apply_relu()

    def equals_on(self, other: PiecewiseLinear, lo: Any, hi: Any) -> bool:
        """True when the two functions agree on the closed interval :math:`[lo, hi]`.

        Examples
        --------
        >>> relu, identity = PiecewiseLinear.relu(), PiecewiseLinear.affine(1, 0)
        >>> relu.equals_on(identity, 0, 5), relu.equals_on(identity, -1, 5)
        (True, False)
        """
        difference = self - other
        ends = RationalArray.of([exact_fraction(lo, name="lo"), exact_fraction(hi, name="hi")])
        points = RationalArray.concatenate([ends, difference.breakpoints_in(lo, hi)])
        return bool(np.all(difference.values(points).num == 0))

    # --- comparison and display -------------------------------------------------------------

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, PiecewiseLinear):
            return NotImplemented
        return (
            len(self._b) == len(other._b)
            and bool(np.all(self._b.equal(other._b)))
            and bool(np.all(self._s.equal(other._s)))
            and bool(np.all(self._c.equal(other._c)))
        )

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        if len(self._s) > 6:
            return f"PiecewiseLinear(<{len(self._s)} pieces>)"
        return (
            f"PiecewiseLinear(breakpoints={[str(v) for v in self.breakpoints]}, "
            f"slopes={[str(v) for v in self.slopes]}, "
            f"intercepts={[str(v) for v in self.intercepts]})"
        )

    # --- notebook displays (piecewise_display.py) ---------------------------------------

    def _repr_latex_(self) -> str:
        return f"$${cases_latex(self)}$$"

    def _repr_html_(self) -> str:
        # the plot inside the HTML: a notebook shows one representation, the richest (HTML)
        return f'<div class="math">{math_html(cases_latex(self))}</div>{plot_html(self)}'

    def _repr_png_(self) -> bytes:
        return plot_png(self)

    # --- SymPy and networks (piecewise_building.py) ----------------------------------------

    def to_sympy(self, x: sp.Symbol | None = None) -> sp.Expr:
        """The function as a SymPy ``Piecewise`` in ``x`` (default: a real symbol ``x``).

        An affine function (one piece) comes back as the plain expression ``s x + c``.
        """
        return to_sympy(self, x)

    @classmethod
    def from_sympy(cls, expr: sp.Expr, x: sp.Symbol) -> PiecewiseLinear:
        """The function of ``x`` given by a SymPy expression (see
        :func:`~symdl.depth.piecewise_sympy.from_sympy`)."""
        return read_sympy(cls, expr, x)

    @classmethod
    def from_network(
        cls, net: Network, *, output: int = 0, floats: FloatConversion = FloatConversion.REJECT
    ) -> PiecewiseLinear:
        """The exact function of a one-input ReLU-type network (see
        :func:`~symdl.depth.piecewise_sympy.from_network`)."""
        return network_function(cls, net, output, floats)

    def plot(
        self,
        *,
        interval: tuple[Any, Any] = (0, 1),
        ax: Axes | None = None,
        label: str | None = None,
    ) -> Figure:
        """Draw the function on ``interval`` exactly (a vertex at every breakpoint).

        Parameters
        ----------
        interval : tuple[Any, Any]
            The ends of the drawn interval, exact numbers.
        ax : matplotlib.axes.Axes or None
            The axes to draw on; by default a new figure's.
        label : str or None
            The line's legend label.

        Returns
        -------
        matplotlib.figure.Figure
            The figure of the axes.
        """
        from matplotlib.figure import Figure

        lo, hi = exact_fraction(interval[0], name="lo"), exact_fraction(interval[1], name="hi")
        inside = self.breakpoints_in(lo, hi)
        xs = RationalArray.concatenate([RationalArray.of([lo]), inside, RationalArray.of([hi])])
        ys = self.values(xs)
        if ax is None:
            figure = Figure(figsize=(5, 3))
            ax = figure.add_subplot()
        ax.plot(xs.to_float(), ys.to_float(), label=label, linewidth=1)
        ax.set_xlabel("$x$")
        result = ax.get_figure()
        if result is None:  # pragma: no cover (an Axes always has a figure)
            raise ValueError("the axes belong to no figure")
        return result  # type: ignore[return-value]


def _union(a: RationalArray, b: RationalArray) -> RationalArray:
    """The sorted union of two strictly increasing arrays, without repeats."""
    if len(b) == 0:
        return a
    if len(a) == 0:
        return b
    # Where each element of b falls among a; equal elements are kept once (from a).
    position = a.searchsorted(b)
    duplicate = np.zeros(len(b), dtype=bool)
    inside = position < len(a)
    duplicate[inside] = a[position[inside]].equal(b[inside])
    b, position = b[~duplicate], position[~duplicate]
    order = np.argsort(np.concatenate([np.arange(len(a)) * 2 + 1, position * 2]), kind="stable")
    return RationalArray.concatenate([a, b])[order]


def _compose(g: PiecewiseLinear, f: PiecewiseLinear) -> PiecewiseLinear:
    beta, m = g._b, len(g._b)
    a, c = f._s, f._c
    n = len(a)
    y = f.breakpoint_values()
    below = g._b.searchsorted(y)  # #β < y_j
    upto = g._b.searchsorted(y, right=True)  # #β <= y_j
    sign = a.sign()
    # β strictly inside the image of piece i are beta[lo_i:hi_i]; the image runs from the value
    # at the left end to the value at the right end (±∞ on the unbounded end pieces).
    zero, top = np.zeros(1, dtype=np.int64), np.full(1, m, dtype=np.int64)
    lo = np.where(sign > 0, np.concatenate([zero, upto]), np.concatenate([upto, zero]))
    hi = np.where(sign > 0, np.concatenate([below, top]), np.concatenate([top, below]))
    count = np.where(sign != 0, np.maximum(hi - lo, 0), 0)
    flat = g._b.searchsorted(c)  # the g-piece of a constant piece of f
    sizes = count + 1
    owner = np.repeat(np.arange(n), sizes)
    start = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    j = np.arange(len(owner)) - start[owner]
    s_own = sign[owner]
    piece = np.where(s_own > 0, lo[owner] + j, np.where(s_own < 0, hi[owner] - j, flat[owner]))
    slopes = (g._s[piece] * a[owner]).reduced()
    intercepts = (g._s[piece] * c[owner] + g._c[piece]).reduced()
    # Breakpoint between output pieces t and t+1: a crossing inside f's piece, or f's own
    # breakpoint after the last part of the piece.
    owner_b, j_b, s_b = owner[:-1], j[:-1], s_own[:-1]
    crossing = j_b < count[owner_b]
    new = np.flatnonzero(crossing)
    k = owner_b[new]
    which = np.where(s_b[new] > 0, lo[k] + j_b[new], hi[k] - 1 - j_b[new])
    crossings = ((beta[which] - c[k]) / a[k]).reduced()
    old = np.flatnonzero(~crossing)
    kept = f._b[owner_b[old]]
    order = np.argsort(np.concatenate([new, old]), kind="stable")
    breakpoints = RationalArray.concatenate([crossings, kept])[order]
    return PiecewiseLinear._from_arrays(breakpoints, slopes, intercepts)
