r"""How a :class:`~symdl.depth.piecewise.PiecewiseLinear` function shows itself in a notebook.

As LaTeX, the function is a ``cases`` environment of its affine pieces with exact rational
coefficients,

.. math::

    m(x) = \begin{cases} 0 & x \le 0 \\ 2 x & x \in \left[0, \tfrac{1}{2}\right] \\
    \dots \end{cases}

and a function with many pieces (the sawtooth :math:`m^{20}` has :math:`2^{20}`) shows its count,
its first and last pieces and :math:`\vdots` between them.  As a figure, it is its plot
(:meth:`~symdl.depth.piecewise.PiecewiseLinear.plot`) around its breakpoints, as PNG bytes.
"""

from __future__ import annotations

import base64
import io
from fractions import Fraction
from typing import TYPE_CHECKING, Any, Protocol

import sympy as sp

from symdl.core.exact import to_rational
from symdl.depth.rational_arrays import RationalArray

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["cases_latex", "plot_html", "plot_png"]


class Pieces(Protocol):
    """What the displays read of a :class:`~symdl.depth.piecewise.PiecewiseLinear` function:
    its breakpoints, slopes and intercepts as exact arrays, and its plot."""

    @property
    def breakpoint_array(self) -> RationalArray: ...

    @property
    def slope_array(self) -> RationalArray: ...

    @property
    def intercept_array(self) -> RationalArray: ...

    @property
    def name(self) -> str: ...

    def plot(self, *, interval: tuple[Any, Any]) -> Figure: ...


_X = sp.Symbol("x", real=True)
# at most this many pieces are listed; beyond, the first and last EDGE pieces
_MOST, _EDGE = 8, 3


def _affine(f: Pieces, i: int) -> str:
    """Piece ``i`` of ``f``, :math:`s_i x + c_i`, exactly."""
    return sp.latex(
        to_rational(f.slope_array.item(i)) * _X + to_rational(f.intercept_array.item(i))
    )


def _piece_row(f: Pieces, i: int) -> str:
    """Row ``i`` of the cases: the affine piece and the interval where it holds."""
    n = len(f.slope_array)
    if i == 0:
        where = rf"x \le {sp.latex(to_rational(f.breakpoint_array.item(0)))}"
    elif i == n - 1:
        where = rf"x \ge {sp.latex(to_rational(f.breakpoint_array.item(i - 1)))}"
    else:
        lo, hi = (sp.latex(to_rational(f.breakpoint_array.item(j))) for j in (i - 1, i))
        where = rf"x \in \left[{lo}, {hi}\right]"
    return f"{_affine(f, i)} & {where}"


def cases_latex(f: Pieces) -> str:
    r"""``f(x) = \begin{cases} … \end{cases}`` (math mode, no delimiters), exact coefficients.

    Examples
    --------
    >>> from fractions import Fraction as F
    >>> from symdl.depth.piecewise import PiecewiseLinear
    >>> print(cases_latex(PiecewiseLinear([0], [0, 1], [0, 0])))
    f(x) = \begin{cases} 0 & x \le 0 \\ x & x \ge 0 \end{cases}
    >>> print(cases_latex(PiecewiseLinear([], [F(1, 2)], [1])))
    f(x) = \frac{x}{2} + 1
    """
    n = len(f.slope_array)
    if n == 1:
        return f"{f.name}(x) = {_affine(f, 0)}"
    if n <= _MOST:
        rows = [_piece_row(f, i) for i in range(n)]
        count = ""
    else:
        rows = [_piece_row(f, i) for i in range(_EDGE)]
        rows.append(r"\vdots & \vdots")
        rows += [_piece_row(f, i) for i in range(n - _EDGE, n)]
        count = rf" \qquad \text{{({n} pieces)}}"
    body = r" \\ ".join(rows)
    return rf"{f.name}(x) = \begin{{cases}} {body} \end{{cases}}{count}"


def plot_png(f: Pieces) -> bytes:
    """The plot of ``f`` around its breakpoints as PNG bytes (Agg, no pyplot state)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    breakpoints = f.breakpoint_array
    if len(breakpoints) == 0:
        lo, hi = Fraction(-1), Fraction(1)
    else:
        lo, hi = breakpoints.item(0), breakpoints.item(len(breakpoints) - 1)
    margin = (hi - lo) / 4 or Fraction(1)
    figure = f.plot(interval=(lo - margin, hi + margin))
    figure.axes[0].set_ylabel(f"${f.name}(x)$")
    buffer = io.BytesIO()
    FigureCanvasAgg(figure).print_png(buffer)
    return buffer.getvalue()


def plot_html(f: Pieces) -> str:
    """The plot of ``f`` as an HTML ``<img>`` holding the PNG (base64), for a notebook's HTML
    display, which hides the PNG one."""
    encoded = base64.b64encode(plot_png(f)).decode("ascii")
    return f'<img alt="plot of the function" src="data:image/png;base64,{encoded}">'
