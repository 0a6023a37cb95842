r"""Exact convex polygons in the plane, cut by lines, inside a square that may be infinite.

The linear regions of a two-input ReLU network are convex, and some are unbounded.  To count
them in the whole plane exactly, symdl works inside the square :math:`[-B, B]^2` where
:math:`B` is *infinitely large*: every coordinate is a :class:`Far` number :math:`a + bB`
with rational :math:`a, b`, and a sign is the sign for all sufficiently large :math:`B`
(that of :math:`b`, or of :math:`a` when :math:`b = 0`).  A vertex is either a rational point
(two lines of the arrangement meet) or lies on a side of the square (a coordinate
:math:`\pm B`, the other affine in :math:`B`), so the arithmetic never leaves these numbers as
long as crossings are computed as intersections of lines, which :func:`split` does.  A finite
square is the special case :math:`b = 0`.

A :class:`Cell` lists its vertices counter-clockwise, each with the line of the edge that
leaves it.  :func:`split` cuts a cell by a line (Sutherland–Hodgman, exactly), and
:meth:`SignRecord.large_enough` gives a finite :math:`B` at which every sign decided so far
already holds, to draw the cells.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Union

from symdl.core.exact import exact_fraction

__all__ = ["Cell", "Far", "Line", "SignRecord", "split", "square"]


@dataclass(frozen=True)
class Far:
    r"""The number :math:`a + bB` for an infinitely large :math:`B` (exact rationals a, b)."""

    a: Fraction
    b: Fraction = Fraction(0)

    def __add__(self, other: Far) -> Far:
        return Far(self.a + other.a, self.b + other.b)

    def __sub__(self, other: Far) -> Far:
        return Far(self.a - other.a, self.b - other.b)

    def __neg__(self) -> Far:
        return Far(-self.a, -self.b)

    def scale(self, factor: Fraction) -> Far:
        """The product with a rational number."""
        return Far(self.a * factor, self.b * factor)

    def at(self, size: Fraction) -> Fraction:
        """The value at a finite :math:`B`."""
        return self.a + self.b * size


Number = Union[Far, Fraction]  # noqa: UP007 (a runtime alias on Python 3.10)


def _far(value: Number) -> Far:
    return value if isinstance(value, Far) else Far(exact_fraction(value, name="coefficient"))


@dataclass(frozen=True)
class Line:
    """The line :math:`p x + q y + r = 0`; ``r`` is :class:`Far` for the sides of the square."""

    p: Fraction
    q: Fraction
    r: Far

    def value(self, point: tuple[Far, Far]) -> Far:
        """:math:`p x + q y + r` at a point."""
        return point[0].scale(self.p) + point[1].scale(self.q) + self.r


@dataclass
class SignRecord:
    r"""Every sign decided "for large :math:`B`", to find a finite :math:`B` where all hold.

    Examples
    --------
    >>> signs = SignRecord()
    >>> signs.sign(Far(Fraction(-1000), Fraction(1)))  # B - 1000 > 0 for large B
    1
    >>> signs.large_enough()  # and already at B = 2001
    Fraction(2001, 1)
    """

    ratio: Fraction = field(default=Fraction(0))

    def sign(self, value: Far) -> int:
        """The sign of :math:`a + bB` for all large :math:`B`; records :math:`|a/b|`."""
        if value.b:
            self.ratio = max(self.ratio, abs(value.a / value.b))
            return 1 if value.b > 0 else -1
        return (value.a > 0) - (value.a < 0)

    def large_enough(self) -> Fraction:
        """A finite :math:`B` at which every recorded sign holds (and at least 1)."""
        return 2 * self.ratio + 1


@dataclass(frozen=True)
class Cell:
    """A convex polygon: vertices counter-clockwise, each with the line of its outgoing edge."""

    vertices: tuple[tuple[Far, Far], ...]
    lines: tuple[Line, ...]

    def interior_point(self) -> tuple[Far, Far]:
        """The mean of the vertices (inside, for a polygon of positive area)."""
        n = len(self.vertices)
        x, y = Far(Fraction(0)), Far(Fraction(0))
        for vx, vy in self.vertices:
            x, y = x + vx, y + vy
        return x.scale(Fraction(1, n)), y.scale(Fraction(1, n))

    def at(self, size: Fraction) -> tuple[tuple[Fraction, Fraction], ...]:
        """The rational vertices at a finite :math:`B`."""
        return tuple((x.at(size), y.at(size)) for x, y in self.vertices)


def square(size: Number) -> Cell:
    """The square :math:`[-B, B]^2`; ``size=Far(0, 1)`` is the infinite one.

    Examples
    --------
    >>> square(Far(Fraction(1))).at(Fraction(1))[0]
    (Fraction(-1, 1), Fraction(-1, 1))
    """
    b = _far(size)
    one, zero = Fraction(1), Fraction(0)
    corners = ((-b, -b), (b, -b), (b, b), (-b, b))
    sides = (Line(zero, one, b), Line(one, zero, -b), Line(zero, one, -b), Line(one, zero, b))
    return Cell(corners, sides)


def intersection(first: Line, second: Line) -> tuple[Far, Far]:
    """The crossing of two non-parallel lines (Cramer's rule; rational determinant).

    Examples
    --------
    >>> x_is_1 = Line(Fraction(1), Fraction(0), Far(Fraction(-1)))
    >>> y_is_2 = Line(Fraction(0), Fraction(1), Far(Fraction(-2)))
    >>> [v.at(Fraction(0)) for v in intersection(x_is_1, y_is_2)]
    [Fraction(1, 1), Fraction(2, 1)]
    """
    det = first.p * second.q - second.p * first.q
    if det == 0:
        raise ValueError(f"{first} and {second} are parallel")
    x = (second.r.scale(first.q) - first.r.scale(second.q)).scale(1 / det)
    y = (first.r.scale(second.p) - second.r.scale(first.p)).scale(1 / det)
    return x, y


def split(cell: Cell, cut: Line, signs: SignRecord) -> list[Cell]:
    """The parts of ``cell`` on the two sides of ``cut`` (the cell itself if it is not cut).

    A part is returned only when it has positive area: the line must pass through the
    interior, with vertices strictly on both sides.

    Examples
    --------
    The line :math:`x = 1` cuts the infinite square in two quadrilaterals:

    >>> signs = SignRecord()
    >>> parts = split(square(Far(Fraction(0), Fraction(1))),
    ...               Line(Fraction(1), Fraction(0), Far(Fraction(-1))), signs)
    >>> [len(part.vertices) for part in parts]
    [4, 4]

    References
    ----------
    Sutherland and Hodgman, "Reentrant polygon clipping", Comm. ACM 17(1), 1974.
    """
    values = [signs.sign(cut.value(v)) for v in cell.vertices]
    if all(s >= 0 for s in values) or all(s <= 0 for s in values):
        return [cell]
    return [_side(cell, cut, values, 1), _side(cell, cut, values, -1)]


def _side(cell: Cell, cut: Line, values: list[int], side: int) -> Cell:
    vertices: list[tuple[Far, Far]] = []
    lines: list[Line] = []
    n = len(cell.vertices)
    for i in range(n):
        s, t = values[i] * side, values[(i + 1) % n] * side
        vertex, line = cell.vertices[i], cell.lines[i]
        if s > 0 or (s == 0 and t > 0):
            vertices.append(vertex)
            lines.append(line)
            if s > 0 > t:  # the edge leaves the side: a new vertex, then the cut
                vertices.append(intersection(line, cut))
                lines.append(cut)
        elif s == 0:  # on the cut, the next vertex outside: the edge runs along the cut
            vertices.append(vertex)
            lines.append(cut)
        elif t > 0:  # the edge enters the side
            vertices.append(intersection(line, cut))
            lines.append(line)
    return Cell(tuple(vertices), tuple(lines))
