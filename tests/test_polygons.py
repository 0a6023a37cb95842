"""Exact convex polygons in a square that may be infinitely large."""

from __future__ import annotations

from fractions import Fraction

import pytest

from symdl.depth.polygons import Far, Line, SignRecord, intersection, split, square

F = Fraction
INFINITE = Far(F(0), F(1))


def test_far_numbers_have_the_sign_for_large_b() -> None:
    signs = SignRecord()
    assert signs.sign(Far(F(-1000), F(1))) == 1  # B - 1000 > 0 for large B
    assert signs.sign(Far(F(5), F(-1, 3))) == -1
    assert signs.sign(Far(F(0))) == 0
    assert signs.sign(Far(F(-2))) == -1
    assert signs.ratio == 1000
    big = signs.large_enough()
    assert Far(F(-1000), F(1)).at(big) > 0
    assert Far(F(5), F(-1, 3)).at(big) < 0


def test_infinite_square_split_by_lines() -> None:
    signs = SignRecord()
    cell = square(INFINITE)
    # x = 1000 and y = x / 7: far from the origin, still found
    parts = split(cell, Line(F(1), F(0), Far(F(-1000))), signs)
    assert len(parts) == 2
    pieces = [q for part in parts for q in split(part, Line(F(1, 7), F(-1), Far(F(0))), signs)]
    assert len(pieces) == 4
    # the crossing (1000, 1000/7) is a finite vertex of the pieces
    crossing = (Far(F(1000)), Far(F(1000, 7)))
    assert sum(crossing in piece.vertices for piece in pieces) == 4
    # parallel lines make strips: x = 0 and x = 1 cut the plane in three
    strips = [
        q
        for part in split(square(INFINITE), Line(F(1), F(0), Far(F(0))), signs)
        for q in split(part, Line(F(1), F(0), Far(F(-1))), signs)
    ]
    assert len(strips) == 3


def test_split_needs_the_interior() -> None:
    signs = SignRecord()
    cell = square(Far(F(1)))
    assert split(cell, Line(F(1), F(0), Far(F(-1))), signs) == [cell]  # a side: no cut
    assert split(cell, Line(F(1), F(1), Far(F(-2))), signs) == [cell]  # a corner only
    assert len(split(cell, Line(F(1), F(1), Far(F(0))), signs)) == 2  # the diagonal


def test_intersection_of_parallel_lines_is_an_error() -> None:
    with pytest.raises(ValueError, match="parallel"):
        intersection(Line(F(1), F(0), Far(F(0))), Line(F(2), F(0), Far(F(1))))
