r"""Exact linear regions of ReLU networks with one or two inputs.

A *linear region* of a ReLU network is a maximal connected set of inputs on which the
activation pattern (which neurons are active, :math:`z > 0`) is constant; the network is affine
on each.  symdl counts them exactly, with rational arithmetic:

- one input (:func:`activation_regions_1d`, :func:`pieces_1d`): the pre-activations
  :math:`z^{(l)}_j(x)` are exact piecewise-linear functions (:mod:`symdl.piecewise`); the
  regions are the intervals between their sign changes;
- two inputs (:func:`regions_2d`): layer by layer, every region is a convex polygon with
  rational vertices on which each neuron's pre-activation is affine, :math:`z_j = p x_1 + q
  x_2 + r`; the line :math:`z_j = 0` splits it (Sutherland–Hodgman clipping, exactly).  The
  plane is represented by a box :math:`[-B, B]^2`: given, or enlarged until it holds every
  vertex of the arrangement with room to spare (see :func:`regions_2d`).

An independent check is :func:`sample_patterns_2d`: float64 activation patterns on a grid,
which can find no more regions than exist, and finds all of them when they are wide enough.
Bounds and constructions are in :mod:`symdl.montufar`.

References
----------
Montúfar, Pascanu, Cho, Bengio, "On the number of linear regions of deep neural networks",
NeurIPS 2014.  Serra, Tjandraatmadja, Ramalingam, "Bounding and counting linear regions of deep
neural networks", ICML 2018.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from symdl.exceptions import NotSupportedError
from symdl.network import Dense, FloatConversion, Network
from symdl.piecewise import PiecewiseLinear, exact_fraction
from symdl.piecewise_sympy import ACCEPTED_ACTIVATIONS, affine_images, exact_entry

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = [
    "Region",
    "activation_regions_1d",
    "pieces_1d",
    "plot_regions",
    "plot_regions_1d",
    "region_boundaries_1d",
    "regions_2d",
    "regions_in_window",
    "sample_patterns_1d",
    "sample_patterns_2d",
]

Point = tuple[Fraction, Fraction]
Row = tuple[Fraction, Fraction, Fraction]  # p, q, r of p x1 + q x2 + r
INPUT_ROWS: tuple[Row, ...] = (
    (Fraction(1), Fraction(0), Fraction(0)),
    (Fraction(0), Fraction(1), Fraction(0)),
)
Cell = tuple[list[Point], list[Row], tuple[tuple[int, ...], ...]]


def _negative_slope(layer: Dense, where: str) -> Fraction | None:
    """The slope of the activation for z < 0 (0 for ReLU), or None for the identity."""
    name = layer.activation.name
    if name == "identity":
        return None
    if name == "relu":
        return Fraction(0)
    if name == "leaky_relu":
        return exact_fraction(layer.activation.params["a"])
    raise NotSupportedError(
        f"{where} uses the activation {name!r}; linear regions are defined for "
        f"{', '.join(ACCEPTED_ACTIVATIONS)} layers"
    )


def _dense_layers(net: Network, inputs: int) -> list[Dense]:
    if not isinstance(net, Network):
        raise TypeError(f"expected a symdl Network, got {type(net).__name__}")
    if net.n_inputs != inputs:
        more = " (regions are drawn and counted in the plane only)" if net.n_inputs > 2 else ""
        raise ValueError(
            f"the network has {net.n_inputs} inputs; this function accepts {inputs}{more}"
        )
    layers = []
    for l, layer in enumerate(net.layers, start=1):
        if not isinstance(layer, Dense):
            raise NotSupportedError(
                f"layer {l} is a {type(layer).__name__}; region counting accepts Dense "
                f"layers with {', '.join(ACCEPTED_ACTIVATIONS)}"
            )
        _negative_slope(layer, f"layer {l}")
        layers.append(layer)
    return layers


# --- one input --------------------------------------------------------------------------------


def pieces_1d(net: Network, *, floats: FloatConversion = FloatConversion.REJECT) -> int:
    """The exact number of affine pieces of a one-input network's (first) output on R.

    Examples
    --------
    >>> net = Network.mlp([1, 2, 1], ["relu", "identity"],
    ...                   weights=[[[1], [1]], [[1, -2]]], biases=[[0, -1], [0]])
    >>> pieces_1d(net)
    3
    """
    return PiecewiseLinear.from_network(net, floats=floats).num_pieces()


def _sign_changes(z: PiecewiseLinear) -> list[Fraction]:
    """Candidate points where z may change sign: its breakpoints and the roots of its pieces."""
    points = list(z.breakpoints)
    bounds = [None, *points, None]
    for i, (s, c) in enumerate(zip(z.slopes, z.intercepts, strict=True)):
        if s != 0:
            root = -c / s
            lo, hi = bounds[i], bounds[i + 1]
            if (lo is None or lo < root) and (hi is None or root < hi):
                points.append(root)
    return points


def region_boundaries_1d(
    net: Network, *, floats: FloatConversion = FloatConversion.REJECT
) -> list[Fraction]:
    r"""The exact points of R where the activation pattern of a one-input network changes.

    Every neuron's pre-activation :math:`z^{(l)}_j` is computed as an exact piecewise-linear
    function; between consecutive candidate sign changes the pattern is constant and is read
    at one interior point; a candidate is a boundary when the patterns on its two sides differ.

    Examples
    --------
    >>> net = Network.mlp([1, 2, 1], ["relu", "identity"],
    ...                   weights=[[[1], [-1]], [[1, 1]]], biases=[[0, 0], [0]])
    >>> region_boundaries_1d(net)
    [Fraction(0, 1)]
    """
    layers = _dense_layers(net, 1)
    current = [PiecewiseLinear.affine(1, 0)]
    pre_activations: list[PiecewiseLinear] = []
    for l, layer in enumerate(layers, start=1):
        z = affine_images(layer.W, layer.b, current, f"layer {l}", floats)
        slope = _negative_slope(layer, f"layer {l}")
        if slope is not None:
            pre_activations.extend(z)
            current = [zj.apply_relu(slope_negative=slope) for zj in z]
        else:
            current = z
    cuts = sorted({t for z in pre_activations for t in _sign_changes(z)})
    if not cuts:
        return []
    probes = [cuts[0] - 1, *((u + v) / 2 for u, v in itertools.pairwise(cuts))]
    probes.append(cuts[-1] + 1)
    patterns = [tuple(z(p) > 0 for z in pre_activations) for p in probes]
    return [cut for cut, (a, b) in zip(cuts, itertools.pairwise(patterns), strict=True) if a != b]


def activation_regions_1d(net: Network, *, floats: FloatConversion = FloatConversion.REJECT) -> int:
    r"""The exact number of linear regions (intervals of constant activation pattern) on R.

    One more than the number of :func:`region_boundaries_1d`.

    Examples
    --------
    >>> net = Network.mlp([1, 3, 1], ["relu", "identity"],
    ...                   weights=[[[1], [1], [-1]], [[1, 1, 1]]], biases=[[0, -1, 2], [0]])
    >>> activation_regions_1d(net)
    4
    """
    return 1 + len(region_boundaries_1d(net, floats=floats))


def sample_patterns_1d(net: Network, xs: NDArray[np.float64]) -> int:
    """The number of maximal runs of equal float64 activation patterns at sorted points."""
    patterns = _float_patterns(net, np.asarray(xs, dtype=float)[:, None])
    changes = np.any(patterns[1:] != patterns[:-1], axis=1)
    return 1 + int(np.count_nonzero(changes))


# --- two inputs -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Region:
    """One linear region within the box: a convex polygon and its activation pattern.

    ``vertices`` run counter-clockwise; ``pattern[l]`` lists, for layer ``l + 1``, 1 for each
    active neuron and 0 for each inactive one (empty for an identity layer); ``output`` holds
    the rows :math:`(p, q, r)` of the network's affine map on the region.
    """

    vertices: tuple[Point, ...]
    pattern: tuple[tuple[int, ...], ...]
    output: tuple[Row, ...]

    def area(self) -> Fraction:
        """The exact area (shoelace formula)."""
        v = self.vertices
        twice = sum(
            v[i][0] * v[(i + 1) % len(v)][1] - v[(i + 1) % len(v)][0] * v[i][1]
            for i in range(len(v))
        )
        return Fraction(twice) / 2


def _value(row: Row, point: Point) -> Fraction:
    return row[0] * point[0] + row[1] * point[1] + row[2]


def _split(polygon: list[Point], row: Row) -> list[list[Point]]:
    """Split a convex polygon by the line ``row = 0`` if it crosses the interior."""
    values = [_value(row, v) for v in polygon]
    if all(s >= 0 for s in values) or all(s <= 0 for s in values):
        return [polygon]
    positive: list[Point] = []
    negative: list[Point] = []
    for i, (v, s) in enumerate(zip(polygon, values, strict=True)):
        w, t = polygon[(i + 1) % len(polygon)], values[(i + 1) % len(polygon)]
        if s >= 0:
            positive.append(v)
        if s <= 0:
            negative.append(v)
        if (s > 0 > t) or (s < 0 < t):
            u = s / (s - t)
            crossing = (v[0] + u * (w[0] - v[0]), v[1] + u * (w[1] - v[1]))
            positive.append(crossing)
            negative.append(crossing)
    return [positive, negative]


def _inside(polygon: list[Point], row: Row) -> list[Point] | None:
    """The part of a convex polygon where ``row > 0``, or None when it has no area."""
    for part in _split(polygon, row):
        if any(_value(row, v) > 0 for v in part):
            return part
    return None


def regions_in_window(regions: Sequence[Region], window: tuple[Any, Any, Any, Any]) -> list[Region]:
    r"""The regions that meet the open rectangle ``(x_lo, x_hi, y_lo, y_hi)``, clipped to it.

    Exact: each polygon is cut by the rectangle's four sides; a region counts when a part of
    positive area remains.

    Examples
    --------
    >>> net = Network.mlp([2, 1, 1], ["relu", "identity"], weights=[[[1, 0]], [[1]]],
    ...                   biases=[[0], [0]])
    >>> len(regions_2d(net)), len(regions_in_window(regions_2d(net), (1, 2, 0, 1)))
    (2, 1)
    """
    x_lo, x_hi, y_lo, y_hi = (exact_fraction(v, name="window") for v in window)
    if not (x_lo < x_hi and y_lo < y_hi):
        raise ValueError(f"window={window!r} is empty; give (x_lo, x_hi, y_lo, y_hi) with lo < hi")
    one, zero = Fraction(1), Fraction(0)
    sides: list[Row] = [
        (one, zero, -x_lo),
        (-one, zero, x_hi),
        (zero, one, -y_lo),
        (zero, -one, y_hi),
    ]
    clipped = []
    for region in regions:
        polygon: list[Point] | None = list(region.vertices)
        for side in sides:
            polygon = _inside(polygon, side) if polygon is not None else None
        if polygon is not None:
            clipped.append(Region(tuple(polygon), region.pattern, region.output))
    return clipped


def _interior_point(polygon: list[Point]) -> Point:
    n = len(polygon)
    zero = Fraction(0)
    return (sum((v[0] for v in polygon), zero) / n, sum((v[1] for v in polygon), zero) / n)


def _layer_rows(
    layer: Dense, rows: Sequence[Row], where: str, floats: FloatConversion
) -> list[Row]:
    out = []
    for j in range(layer.n_out):
        weights = [
            exact_entry(layer.W[j, k], f"{where} W[{j},{k}]", floats) for k in range(len(rows))
        ]
        bias = exact_entry(layer.b[j], f"{where} b[{j}]", floats)
        out.append(
            (
                sum((w * r[0] for w, r in zip(weights, rows, strict=True)), Fraction(0)),
                sum((w * r[1] for w, r in zip(weights, rows, strict=True)), Fraction(0)),
                sum((w * r[2] for w, r in zip(weights, rows, strict=True)), bias),
            )
        )
    return out


def _regions_in_box(layers: list[Dense], box: Fraction, floats: FloatConversion) -> list[Region]:
    square = [(-box, -box), (box, -box), (box, box), (-box, box)]
    cells: list[Cell] = [(square, list(INPUT_ROWS), ())]
    for l, layer in enumerate(layers, start=1):
        slope = _negative_slope(layer, f"layer {l}")
        refined: list[Cell] = []
        for polygon, rows, pattern in cells:
            z = _layer_rows(layer, rows, f"layer {l}", floats)
            if slope is None:
                refined.append((polygon, z, (*pattern, ())))
                continue
            pieces = [polygon]
            for row in z:
                pieces = [part for piece in pieces for part in _split(piece, row)]
            for piece in pieces:
                inside = _interior_point(piece)
                active = tuple(int(_value(row, inside) > 0) for row in z)
                a = [
                    row if on else (row[0] * slope, row[1] * slope, row[2] * slope)
                    for row, on in zip(z, active, strict=True)
                ]
                refined.append((piece, a, (*pattern, active)))
        cells = refined
    return [Region(tuple(p), pattern, tuple(rows)) for p, rows, pattern in cells]


def _first_layer_extent(layer: Dense, floats: FloatConversion) -> Fraction:
    """A radius holding every vertex of the first layer's lines and a point of each line."""
    rows = _layer_rows(
        layer,
        INPUT_ROWS,
        "layer 1",
        floats,
    )
    rows = [r for r in rows if r[0] or r[1]]
    extent = Fraction(1)
    for i, (p, q, r) in enumerate(rows):
        norm = p * p + q * q
        extent = max(extent, abs(p * r / norm), abs(q * r / norm))  # the foot of the origin
        for p2, q2, r2 in rows[i + 1 :]:
            det = p * q2 - q * p2
            if det:
                extent = max(extent, abs((q * r2 - q2 * r) / det), abs((p2 * r - p * r2) / det))
    return extent


def regions_2d(
    net: Network,
    *,
    box: Any = None,
    floats: FloatConversion = FloatConversion.REJECT,
    max_doublings: int = 12,
) -> list[Region]:
    r"""The exact linear regions of a two-input ReLU network, as convex rational polygons.

    Parameters
    ----------
    net
        A network with two inputs and Dense layers (identity, relu, leaky_relu) with exact
        weights.
    box
        Half-width :math:`B` of the square :math:`[-B, B]^2` that stands for the plane.  With
        ``None`` it starts from a square holding every vertex of the first layer's lines and
        is doubled until every vertex of the final arrangement lies in its inner half and the
        count no longer changes when the box is doubled again (regions lying entirely outside
        every box tried cannot be seen; give ``box`` to count inside a known window).
    floats
        Float weights raise :class:`TypeError` unless a conversion is chosen.
    max_doublings
        The limit on doublings with ``box=None``.

    Examples
    --------
    Zaslavsky: four lines in general position cut the plane into 1 + 4 + 6 = 11 regions.

    >>> net = Network.mlp([2, 4, 1], ["relu", "identity"],
    ...     weights=[[[1, 1], [1, 2], [1, 3], [1, 4]], [[1, 1, 1, 1]]],
    ...     biases=[[-1, -4, -9, -16], [0]])
    >>> len(regions_2d(net))
    11
    """
    layers = _dense_layers(net, 2)
    if box is not None:
        size = exact_fraction(box, name="box")
        if size <= 0:
            raise ValueError(f"box={box!r} must be positive: the half-width of the square")
        return _regions_in_box(layers, size, floats)
    size = 2 * _first_layer_extent(layers[0], floats) + 1
    regions = _regions_in_box(layers, size, floats)
    for _ in range(max_doublings):
        inner = [
            max(abs(v[0]), abs(v[1]))
            for region in regions
            for v in region.vertices
            if max(abs(v[0]), abs(v[1])) != size
        ]
        larger = _regions_in_box(layers, 2 * size, floats)
        if (not inner or max(inner) <= size / 2) and len(larger) == len(regions):
            return regions
        size, regions = 2 * size, larger
    raise ValueError(
        f"the region count did not settle within a box of half-width {size}; pass box=... "
        f"to count inside a window of your choice"
    )


# --- sampling (the independent float check) --------------------------------------------------


def _float_patterns(net: Network, X: NDArray[np.float64]) -> NDArray[np.bool_]:
    """Float64 activation patterns (z > 0) of every ReLU-type neuron at the rows of X."""
    from symdl.numeric import layer_arrays

    columns = []
    A = X
    for (W, b), layer in zip(layer_arrays(net), net.layers, strict=True):
        Z = A @ W.T + b
        if not isinstance(layer, Dense):
            raise NotSupportedError(f"sampling accepts Dense layers, not {type(layer).__name__}")
        if layer.activation.name == "identity":
            A = Z
            continue
        columns.append(Z > 0)
        A = layer.activation.numpy(Z)
    if not columns:
        return np.zeros((len(X), 0), dtype=bool)
    return np.concatenate(columns, axis=1)


def sample_patterns_2d(net: Network, *, box: float, resolution: int) -> int:
    """The number of distinct float64 activation patterns on a square grid of points.

    The grid has ``resolution`` points per side, the cell centres of :math:`[-B, B]^2`.  It
    can only under-count the exact regions inside the box (each pattern is one convex
    region); it counts all of them when every region contains a grid point.
    """
    if resolution < 2:
        raise ValueError(f"resolution={resolution} must be at least 2")
    step = 2 * box / resolution
    axis = -box + step * (np.arange(resolution) + 0.5)
    g1, g2 = np.meshgrid(axis, axis)
    patterns = _float_patterns(net, np.column_stack([g1.ravel(), g2.ravel()]))
    if not patterns.shape[1]:
        return 1
    # one bytes key per row: np.unique on packed bits is much faster than on boolean rows
    packed = np.ascontiguousarray(np.packbits(patterns, axis=1))
    keys = packed.view(np.dtype((np.void, packed.shape[1])))
    return len(np.unique(keys))


# --- figures ----------------------------------------------------------------------------------


def plot_regions(regions: Sequence[Region], *, title: str | None = None) -> Figure:
    """The regions in the plane, each polygon filled with its own colour."""
    import matplotlib
    from matplotlib.figure import Figure
    from matplotlib.patches import Polygon

    figure = Figure(figsize=(4.5, 4.5), layout="constrained")
    ax = figure.add_subplot()
    cmap = matplotlib.colormaps["tab20"]
    for i, region in enumerate(regions):
        xy = np.array([[float(x), float(y)] for x, y in region.vertices])
        ax.add_patch(Polygon(xy, closed=True, facecolor=cmap(i % 20), edgecolor="black", lw=0.4))
    corners = np.array([[float(x), float(y)] for r in regions for x, y in r.vertices])
    ax.set_xlim(corners[:, 0].min(), corners[:, 0].max())
    ax.set_ylim(corners[:, 1].min(), corners[:, 1].max())
    ax.set_aspect("equal")
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    ax.set_title(title or f"{len(regions)} linear regions")
    return figure


def plot_regions_1d(net: Network, *, floats: FloatConversion = FloatConversion.REJECT) -> Figure:
    """A one-input network's output with its linear regions shaded alternately."""
    from matplotlib.figure import Figure

    f = PiecewiseLinear.from_network(net, floats=floats)
    cuts = region_boundaries_1d(net, floats=floats)
    span = (cuts[-1] - cuts[0]) / 10 if len(cuts) > 1 else Fraction(1)
    lo = (cuts[0] if cuts else Fraction(-1)) - span
    hi = (cuts[-1] if cuts else Fraction(1)) + span
    figure = Figure(figsize=(6, 3), layout="constrained")
    ax = figure.add_subplot()
    edges = [lo, *cuts, hi]
    for i, (a, b) in enumerate(itertools.pairwise(edges)):
        ax.axvspan(float(a), float(b), color="0.9" if i % 2 else "white", linewidth=0)
    f.plot(interval=(lo, hi), ax=ax)
    ax.set_title(f"{len(cuts) + 1} linear regions, {f.num_pieces()} pieces of the output")
    return figure
