r"""Exact linear regions of ReLU networks with one or two inputs.

A *linear region* of a ReLU network is a maximal connected set of inputs on which the
activation pattern (which neurons are active, :math:`z > 0`) is constant; the network is affine
on each.  symdl counts them exactly, with rational arithmetic:

- one input (:func:`activation_regions_1d`, :func:`pieces_1d`): the pre-activations
  :math:`z^{(l)}_j(x)` are exact piecewise-linear functions (:mod:`symdl.depth.piecewise`); the
  regions are the intervals between their sign changes;
- two inputs (:func:`regions_2d`): layer by layer, every region is a convex polygon with
  rational vertices on which each neuron's pre-activation is affine, :math:`z_j = p x_1 + q
  x_2 + r`; the line :math:`z_j = 0` splits it (Sutherland–Hodgman clipping, exactly).  The
  computation starts from an infinitely large square (:mod:`symdl.depth.polygons`), so the count
  is that of the whole plane, or from a given square :math:`[-B, B]^2`.

An independent check is :func:`sample_patterns_2d`: float64 activation patterns on a grid,
which can find no more regions than exist, and finds all of them when they are wide enough.
Bounds and constructions are in :mod:`symdl.depth.montufar`.

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

from symdl.core.activations import ACTIVATIONS
from symdl.core.exceptions import NotSupportedError
from symdl.core.network import Dense, FloatConversion, Network
from symdl.depth.piecewise import PiecewiseLinear, exact_fraction
from symdl.depth.piecewise_sympy import affine_images, exact_entry
from symdl.depth.polygons import Cell, Far, Line, SignRecord, split, square

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


def _negative_slopes(layer: Dense, where: str) -> tuple[Fraction | None, ...]:
    """Each neuron's slope of the activation for z < 0 (0 for ReLU), or None for the identity:
    read from the activation's registered piecewise-linear form, which must be max(az, z) or z.
    A layer may give each neuron its own activation."""
    slopes: list[Fraction | None] = []
    for j, act in enumerate(layer.activations, start=1):
        form = act.linear_pieces
        if form is not None and form.is_identity:
            slopes.append(None)
            continue
        slope = None if form is None else form.negative_slope
        if slope is None:
            neuron = f", neuron {j}," if layer.is_mixed else ""
            raise NotSupportedError(
                f"{where}{neuron} uses the activation {act.name!r}; linear regions are "
                f"defined for layers whose activations are the identity or max(az, z) "
                f"({', '.join(_region_activations())})"
            )
        slopes.append(exact_fraction(slope))
    return tuple(slopes)


def _region_activations() -> list[str]:
    return [
        name
        for name, act in ACTIVATIONS.items()
        if act.linear_pieces is not None
        and (act.linear_pieces.is_identity or act.linear_pieces.negative_slope is not None)
    ]


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
                f"layers with {', '.join(_region_activations())}"
            )
        _negative_slopes(layer, f"layer {l}")
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

    References
    ----------
    Serra, Tjandraatmadja, Ramalingam, "Bounding and counting linear regions of deep neural
    networks", ICML 2018 (arXiv:1711.02114): for one input the maximum is exactly
    :math:`\\prod_l (n_l + 1)` when every :math:`n_l \\ge 3`.
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

    References
    ----------
    Serra, Tjandraatmadja, Ramalingam, "Bounding and counting linear regions of deep neural
    networks", ICML 2018 (arXiv:1711.02114) (linear regions as sets of constant activation pattern).
    """
    layers = _dense_layers(net, 1)
    current = [PiecewiseLinear.affine(1, 0)]
    pre_activations: list[PiecewiseLinear] = []
    for l, layer in enumerate(layers, start=1):
        z = affine_images(layer.W, layer.b, current, f"layer {l}", floats)
        current = []
        for zj, slope in zip(z, _negative_slopes(layer, f"layer {l}"), strict=True):
            if slope is None:  # an identity neuron: no kink, no part of the pattern
                current.append(zj)
            else:
                pre_activations.append(zj)
                current.append(zj.apply_relu(slope_negative=slope))
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

    References
    ----------
    Serra, Tjandraatmadja, Ramalingam, "Bounding and counting linear regions of deep neural
    networks", ICML 2018 (arXiv:1711.02114).
    """
    return 1 + len(region_boundaries_1d(net, floats=floats))


def sample_patterns_1d(net: Network, xs: NDArray[np.float64]) -> int:
    """The number of maximal runs of equal float64 activation patterns at sorted points.

    Examples
    --------
    >>> net = Network.mlp([1, 1, 1], ["relu", "identity"], weights=[[[1]], [[1]]],
    ...                   biases=[[0], [0]])
    >>> sample_patterns_1d(net, np.linspace(-1, 1, 11))
    2

    References
    ----------
    Serra, Tjandraatmadja, Ramalingam, "Bounding and counting linear regions of deep neural
    networks", ICML 2018 (arXiv:1711.02114) (counting regions by sampling, for comparison).
    """
    patterns = _float_patterns(net, np.asarray(xs, dtype=float)[:, None])
    changes = np.any(patterns[1:] != patterns[:-1], axis=1)
    return 1 + int(np.count_nonzero(changes))


# --- two inputs -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Region:
    """One linear region within the box: a convex polygon and its activation pattern.

    ``vertices`` run counter-clockwise; ``pattern[l]`` lists, for layer ``l + 1``, 1 for each
    active neuron and 0 for each inactive one, in the order of the neurons, leaving out the
    neurons whose activation is the identity (empty for an identity layer); ``output`` holds
    the rows :math:`(p, q, r)` of the network's affine map on the region.

    Examples
    --------
    The half-planes :math:`x_1 > 0` (active, output :math:`x_1`) and :math:`x_1 < 0` in
    :math:`[-1, 1]^2`:

    >>> net = Network.mlp([2, 1, 1], ["relu", "identity"], weights=[[[1, 0]], [[1]]],
    ...                   biases=[[0], [0]])
    >>> [(r.pattern, r.area(), [str(c) for c in r.output[0]]) for r in regions_2d(net, box=1)]
    [(((1,), ()), Fraction(2, 1), ['1', '0', '0']), (((0,), ()), Fraction(2, 1), ['0', '0', '0'])]
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


def _line(row: Row) -> Line:
    return Line(row[0], row[1], Far(row[2]))


def _cell_of(vertices: Sequence[Point]) -> Cell:
    """A cell from rational vertices (counter-clockwise), each edge on the line through its ends."""
    n = len(vertices)
    lines = []
    for i in range(n):
        (x1, y1), (x2, y2) = vertices[i], vertices[(i + 1) % n]
        lines.append(Line(y1 - y2, x2 - x1, Far(x1 * y2 - x2 * y1)))
    return Cell(tuple((Far(x), Far(y)) for x, y in vertices), tuple(lines))


def regions_in_window(regions: Sequence[Region], window: tuple[Any, Any, Any, Any]) -> list[Region]:
    r"""The regions that meet the open rectangle ``(x_lo, x_hi, y_lo, y_hi)``, clipped to it.

    Exact: each polygon is cut by the rectangle's four sides; a region counts when a part of
    positive area remains.

    Examples
    --------
    >>> net = Network.mlp([2, 1, 1], ["relu", "identity"], weights=[[[1, 0]], [[1]]],
    ...                   biases=[[0], [0]])
    >>> regions = regions_2d(net, box=4)
    >>> len(regions), len(regions_in_window(regions, (1, 2, 0, 1)))
    (2, 1)

    References
    ----------
    Serra, Tjandraatmadja, Ramalingam, "Bounding and counting linear regions of deep neural
    networks", ICML 2018 (arXiv:1711.02114).
    """
    x_lo, x_hi, y_lo, y_hi = (exact_fraction(v, name="window") for v in window)
    if not (x_lo < x_hi and y_lo < y_hi):
        raise ValueError(f"window={window!r} is empty; give (x_lo, x_hi, y_lo, y_hi) with lo < hi")
    one, zero = Fraction(1), Fraction(0)
    # each side as a line whose positive side holds the window
    sides = [
        _line(row)
        for row in ((one, zero, -x_lo), (-one, zero, x_hi), (zero, one, -y_lo), (zero, -one, y_hi))
    ]
    signs = SignRecord()
    clipped = []
    for region in regions:
        cell: Cell | None = _cell_of(region.vertices)
        for side in sides:
            if cell is None:
                break
            parts = split(cell, side, signs)
            inside = parts[0]  # the positive side comes first when the cell is cut
            if len(parts) == 1 and signs.sign(side.value(cell.interior_point())) <= 0:
                cell = None
            else:
                cell = inside
        if cell is not None:
            vertices = tuple((x.a, y.a) for x, y in cell.vertices)
            clipped.append(Region(vertices, region.pattern, region.output))
    return clipped


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


def _cells(
    layers: list[Dense], size: Far, floats: FloatConversion, signs: SignRecord
) -> list[tuple[Cell, list[Row], tuple[tuple[int, ...], ...]]]:
    """Layer by layer, every cell split by each neuron's line; the pattern and affine map."""
    cells: list[tuple[Cell, list[Row], tuple[tuple[int, ...], ...]]] = [
        (square(size), list(INPUT_ROWS), ())
    ]
    for l, layer in enumerate(layers, start=1):
        slopes = _negative_slopes(layer, f"layer {l}")
        # the neurons with a kink and their slopes for z < 0 (identity neurons have none)
        kinked = {j: slope for j, slope in enumerate(slopes) if slope is not None}
        refined = []
        for cell, rows, pattern in cells:
            z = _layer_rows(layer, rows, f"layer {l}", floats)
            if not kinked:
                refined.append((cell, z, (*pattern, ())))
                continue
            pieces = [cell]
            for j in kinked:
                pieces = [part for piece in pieces for part in split(piece, _line(z[j]), signs)]
            for piece in pieces:
                inside = piece.interior_point()
                # the pattern: the activity of each neuron with a kink (identity ones have none)
                active = tuple(int(signs.sign(_line(z[j]).value(inside)) > 0) for j in kinked)
                a = list(z)
                for (j, slope), on in zip(kinked.items(), active, strict=True):
                    if not on:
                        a[j] = (z[j][0] * slope, z[j][1] * slope, z[j][2] * slope)
                refined.append((piece, a, (*pattern, active)))
        cells = refined
    return cells


def regions_2d(
    net: Network, *, box: Any = None, floats: FloatConversion = FloatConversion.REJECT
) -> list[Region]:
    r"""The exact linear regions of a two-input ReLU network, as convex rational polygons.

    Parameters
    ----------
    net
        A network with two inputs and Dense layers (identity, relu, leaky_relu) with exact
        weights.
    box
        ``None`` (default): every region of the whole plane.  The computation runs in an
        infinitely large square (:mod:`symdl.depth.polygons`: coordinates :math:`a + bB` with
        :math:`B \to \infty`), so no region is missed however far away; the unbounded
        regions are returned clipped to a finite square :math:`[-B, B]^2` at which the
        computation takes exactly the same steps (it holds every vertex).  A number:
        the regions inside the square :math:`[-\text{box}, \text{box}]^2`.
    floats
        Float weights raise :class:`TypeError` unless a conversion is chosen.

    Examples
    --------
    Zaslavsky: four lines in general position cut the plane into 1 + 4 + 6 = 11 regions.

    >>> net = Network.mlp([2, 4, 1], ["relu", "identity"],
    ...     weights=[[[1, 1], [1, 2], [1, 3], [1, 4]], [[1, 1, 1, 1]]],
    ...     biases=[[-1, -4, -9, -16], [0]])
    >>> len(regions_2d(net))
    11

    References
    ----------
    Montúfar, Pascanu, Cho, Bengio, "On the number of linear regions of deep neural networks",
    NeurIPS 2014 (linear regions); Sutherland and Hodgman, "Reentrant polygon clipping",
    Comm. ACM 17(1), 1974 (cutting a convex polygon by a line).
    """
    layers = _dense_layers(net, 2)
    signs = SignRecord()
    if box is None:
        cells = _cells(layers, Far(Fraction(0), Fraction(1)), floats, signs)
        # any B from signs.large_enough() on gives the same computation; leave a margin
        # around the finite vertices for drawing
        finite = [abs(c.a) for cell, _, _ in cells for v in cell.vertices for c in v if not c.b]
        size = max(signs.large_enough(), 2 * max(finite, default=Fraction(0)) + 1)
    else:
        size = exact_fraction(box, name="box")
        if size <= 0:
            raise ValueError(f"box={box!r} must be positive: the half-width of the square")
        cells = _cells(layers, Far(size), floats, signs)
    return [Region(cell.at(size), pattern, tuple(rows)) for cell, rows, pattern in cells]


# --- sampling (the independent float check) --------------------------------------------------


def _float_patterns(net: Network, X: NDArray[np.float64]) -> NDArray[np.bool_]:
    """Float64 activation patterns (z > 0) of every ReLU-type neuron at the rows of X."""
    from symdl.core.numeric import layer_arrays

    columns = []
    A = X
    for (W, b), layer in zip(layer_arrays(net), net.layers, strict=True):
        Z = A @ W.T + b
        if not isinstance(layer, Dense):
            raise NotSupportedError(f"sampling accepts Dense layers, not {type(layer).__name__}")
        A = np.empty_like(Z)
        for j, (act, slope) in enumerate(
            zip(layer.activations, _negative_slopes(layer, "a layer"), strict=True)
        ):
            A[:, j] = act.numpy(Z[:, j])
            if slope is not None:  # identity neurons have no part in the pattern
                columns.append(Z[:, j : j + 1] > 0)
    if not columns:
        return np.zeros((len(X), 0), dtype=bool)
    return np.concatenate(columns, axis=1)


def sample_patterns_2d(net: Network, *, box: float, resolution: int) -> int:
    """The number of distinct float64 activation patterns on a square grid of points.

    The grid has ``resolution`` points per side, the cell centres of :math:`[-B, B]^2`.  It
    can only under-count the exact regions inside the box (each pattern is one convex
    region); it counts all of them when every region contains a grid point.

    Examples
    --------
    >>> net = Network.mlp([2, 2, 1], ["relu", "identity"], weights=[[[1, 0], [0, 1]], [[1, 1]]],
    ...                   biases=[[0, 0], [0]])
    >>> sample_patterns_2d(net, box=1.0, resolution=10)  # the four quadrants
    4

    References
    ----------
    Serra, Tjandraatmadja, Ramalingam, "Bounding and counting linear regions of deep neural
    networks", ICML 2018 (arXiv:1711.02114) (counting regions by sampling, for comparison).
    """
    if isinstance(resolution, bool) or not isinstance(resolution, (int, np.integer)):
        raise TypeError(f"resolution={resolution!r} must be an integer (grid points per side)")
    if resolution < 2:
        raise ValueError(f"resolution={resolution} must be at least 2")
    if not box > 0:
        raise ValueError(f"box={box!r} must be positive: the half-width of the sampled square")
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


#: The smallest share of its panel that a region takes in the figure of :func:`plot_regions`:
#: in a panel of side :math:`s` (in data units), a region of area at least :math:`s^2/800`,
#: drawn at the figure's size, covers at least about a 10-point square.
_MIN_SHARE = Fraction(1, 800)
_MAX_PANELS = 5  # the whole view and at most four zoomed ones
_COLUMNS = 3  # panels in a row
_MARGIN = Fraction(1, 10)  # the space around the regions of a zoomed panel, per side

_Window = tuple[Fraction, Fraction, Fraction, Fraction]  # x_lo, x_hi, y_lo, y_hi


def _extent(regions: Sequence[Region]) -> _Window:
    xs = [x for r in regions for x, _ in r.vertices]
    ys = [y for r in regions for _, y in r.vertices]
    return min(xs), max(xs), min(ys), max(ys)


def _side(window: _Window) -> Fraction:
    return max(window[1] - window[0], window[3] - window[2])


def _zoom(regions: Sequence[Region], whole: _Window) -> _Window:
    """A square around ``regions`` with a margin, moved inside ``whole`` where it fits: the
    window of a zoomed panel."""
    x_lo, x_hi, y_lo, y_hi = _extent(regions)
    side = _side((x_lo, x_hi, y_lo, y_hi)) * (1 + 2 * _MARGIN)
    corner = []
    for lo, hi, outer_lo, outer_hi in (
        (x_lo, x_hi, whole[0], whole[1]),
        (y_lo, y_hi, whole[2], whole[3]),
    ):
        start = (lo + hi - side) / 2
        if side <= outer_hi - outer_lo:  # slide into the whole view, keeping the regions
            start = min(max(start, outer_lo), outer_hi - side)
        corner.append(start)
    return corner[0], corner[0] + side, corner[1], corner[1] + side


def _shown(region: Region, window: _Window) -> bool:
    """Whether ``region`` lies inside ``window`` and is large enough there to be seen."""
    x_lo, x_hi, y_lo, y_hi = window
    inside = all(x_lo <= x <= x_hi and y_lo <= y <= y_hi for x, y in region.vertices)
    return inside and abs(region.area()) >= _MIN_SHARE * _side(window) ** 2


def _views(regions: Sequence[Region]) -> list[_Window]:
    """The windows of the panels of :func:`plot_regions`: the whole view, then zooms.

    The regions too small to be seen in the whole view, and that a closer view enlarges (not
    the unbounded ones, which reach its edge however close one looks), are gathered, smallest
    first, into groups that one square shows together: each group is a zoomed panel.
    """
    whole = _extent(regions)
    views = [whole]
    pending = [
        r for r in regions if not _shown(r, whole) and 2 * _side(_zoom([r], whole)) <= _side(whole)
    ]
    pending.sort(key=lambda r: abs(r.area()))
    while pending and len(views) < _MAX_PANELS:
        group = [pending[0]]
        x0, _, y0, _ = _extent(group)
        for other in sorted(
            pending[1:], key=lambda r: abs(r.vertices[0][0] - x0) + abs(r.vertices[0][1] - y0)
        ):
            window = _zoom([*group, other], whole)
            if all(_shown(r, window) for r in (*group, other)):
                group.append(other)
        window = _zoom(group, whole)
        views.append(window)
        pending = [r for r in pending if r not in group and not _shown(r, window)]
    # numbered in reading order: top to bottom, then left to right
    zooms = sorted(views[1:], key=lambda w: (-(w[2] + w[3]), w[0] + w[1]))
    return [whole, *zooms]


def plot_regions(regions: Sequence[Region], *, title: str | None = None) -> Figure:
    """The regions in the plane, each polygon filled with its own colour.

    The first panel shows every region.  When regions are too small there to be seen (each
    region should cover at least 1/800 of its panel), further panels zoom in on them: the
    smallest first, with those near it that the same square shows large enough (at most four
    zoomed panels, three to a row).  Each zoomed window is outlined, dashed, in the first panel,
    numbered when there are several; a region keeps its colour in every panel.

    Examples
    --------
    >>> net = Network.mlp([2, 2, 1], ["relu", "identity"], weights=[[[1, 0], [0, 1]], [[1, 1]]],
    ...                   biases=[[0, 0], [0]])
    >>> len(plot_regions(regions_2d(net, box=1)).axes[0].patches)
    4

    Four lines in general position: the three bounded regions, of area 1, 1 and 2 beside
    unbounded ones drawn to width 86, are shown again in a zoomed panel.

    >>> net = Network.mlp([2, 4, 1], ["relu", "identity"],
    ...     weights=[[[1, 1], [1, 2], [1, 3], [1, 4]], [[1, 1, 1, 1]]],
    ...     biases=[[-1, -4, -9, -16], [0]])
    >>> [ax.get_title() for ax in plot_regions(regions_2d(net)).axes]
    ['all 11 regions', 'zoomed in ×7']
    """
    import matplotlib
    from matplotlib.figure import Figure
    from matplotlib.patches import Polygon

    if not regions:
        raise ValueError(
            "no regions to draw; give the list from regions_2d (or a window of it that meets "
            "at least one region)"
        )
    views = _views(regions)
    columns = min(len(views), _COLUMNS)
    rows = -(-len(views) // columns)
    size = 4.5 if len(views) <= 2 else 4.0
    figure = Figure(figsize=(size * columns, size * rows), layout="constrained")
    cmap = matplotlib.colormaps["tab20"]
    axes = [figure.add_subplot(rows, columns, i + 1) for i in range(len(views))]
    for ax, (x_lo, x_hi, y_lo, y_hi) in zip(axes, views, strict=True):
        for i, region in enumerate(regions):
            xy = np.array([[float(x), float(y)] for x, y in region.vertices])
            ax.add_patch(
                Polygon(xy, closed=True, facecolor=cmap(i % 20), edgecolor="black", lw=0.4)
            )
        ax.set_xlim(float(x_lo), float(x_hi))
        ax.set_ylim(float(y_lo), float(y_hi))
        ax.set_aspect("equal")
        ax.set_xlabel("$x_1$")
        ax.set_ylabel("$x_2$")
    heading = title or f"{len(regions)} linear regions"
    if len(views) == 1:
        axes[0].set_title(heading)
        return figure
    figure.suptitle(heading)
    axes[0].set_title(f"all {len(regions)} regions")
    for number, (ax, window) in enumerate(zip(axes[1:], views[1:], strict=True), start=1):
        left, right, bottom, top = (float(v) for v in window)
        # the window, outlined in the first panel (a line: the patches are the regions)
        axes[0].plot(
            [left, right, right, left, left], [bottom, bottom, top, top, bottom], "k--", lw=0.8
        )
        factor = f"×{round(_side(views[0]) / _side(window))}"
        if len(views) == 2:
            ax.set_title(f"zoomed in {factor}")
            continue
        axes[0].annotate(
            str(number),
            (right, top),
            xytext=(3, 3),
            textcoords="offset points",
            fontsize=9,
            bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "linewidth": 0.5},
        )
        ax.set_title(f"{number}: zoomed in {factor}")
    return figure


def plot_regions_1d(net: Network, *, floats: FloatConversion = FloatConversion.REJECT) -> Figure:
    """A one-input network's output with its linear regions shaded alternately.

    Examples
    --------
    >>> net = Network.mlp([1, 2, 1], ["relu", "identity"],
    ...                   weights=[[[1], [1]], [[1, -2]]], biases=[[0, -1], [0]])
    >>> plot_regions_1d(net).axes[0].get_title()
    '3 linear regions, 3 pieces of the output'
    """
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
