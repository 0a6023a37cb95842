r"""Telgarsky's sawtooth: the tent map, its ReLU networks, and depth separation.

The tent map

.. math::

    m(x) = \begin{cases} 2x & 0 \le x \le \tfrac12 \\ 2(1 - x) & \tfrac12 < x \le 1 \\
    0 & \text{otherwise} \end{cases}
    \;=\; \sigma\bigl(2\sigma(x) - 4\sigma(x - \tfrac12)\bigr) \quad (x \in \mathbb{R})

composed :math:`k` times is the sawtooth :math:`m^k`: on :math:`[0, 1]` it has exactly
:math:`2^k` affine pieces, breakpoints :math:`j/2^k`, slopes :math:`\pm 2^k`, and
:math:`m^k(i/2^k) = i \bmod 2`.  A deep network computes it with :math:`O(k)` neurons; a
network with :math:`l` layers of width :math:`m` has at most :math:`(2m)^l` pieces, and so
(Theorem 1.1 of Telgarsky 2015) misclassifies at least a sixth of the :math:`2^k` alternating
points :math:`(i/2^k, i \bmod 2)` when :math:`m \le 2^{(k-3)/l - 1}`.

Three networks compute :math:`m` (:class:`TentForm`):

- ``TELGARSKY``: :math:`\sigma(2\sigma(x) - 4\sigma(x - \frac12))`, exact on all of R;
  :math:`m^k` takes 2k ReLU layers of widths 2, 1, 2, 1, …: 3k ReLUs;
- ``WIDTH3``: :math:`2\sigma(x) - 4\sigma(x - \frac12) + 2\sigma(x - 1)`, exact on all of R;
  :math:`m^k` takes k ReLU layers of width 3 and one affine output: 3k + 1 neurons;
- ``TWO_RELU``: :math:`2\sigma(x) - 4\sigma(x - \frac12)`, exact on [0, 1] only; :math:`m^k`
  takes k ReLU layers of width 2 and one affine output: 2k + 1 neurons.

The lecture's "3k + 1 neurons" counts the WIDTH3 form: 3 ReLUs per copy of :math:`m` (the
affine combination of one copy is absorbed into the next copy's weights) plus one affine output
neuron.  Telgarsky's abstract counts "2 nodes in each of 2k layers" (the class
:math:`N(\sigma; 2, 2k)` of Theorem 1.1), "or 3 distinct nodes iterated k times": the TELGARSKY
form uses 2k layers of at most 2 nodes, 3k ReLUs in all (widths 2, 1, 2, 1, …), whose 3
distinct nodes repeat k times.  On :math:`[0, 1]` alone 2k ReLUs suffice (TWO_RELU).

References
----------
Telgarsky, "Representation benefits of deep feedforward networks", arXiv:1509.08101, 2015:
Theorem 1.1 (separation) and its proof (piece counts, the tent map).
Telgarsky, "Benefits of depth in neural networks", COLT 2016.
"""

from __future__ import annotations

import enum
import time
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING

import numpy as np
import sympy as sp

from symdl.core.activations import get_activation
from symdl.core.network import Dense, Network, exact_matrix
from symdl.depth.piecewise import PiecewiseLinear
from symdl.depth.rational_arrays import RationalArray

# Theorem 1.1's points and bounds live in separation_bounds.py; re-exported here
from symdl.depth.separation_bounds import (
    alternating_points,
    classification_error,
    error_lower_bound,
    piece_bound,
    require_count,
    shallow_error_bound,
    width_limit,
)

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = [
    "MAX_K",
    "NetworkSize",
    "SawtoothCheck",
    "TentForm",
    "alternating_points",
    "build_and_check_sawtooth",
    "check_sawtooth",
    "classification_error",
    "error_lower_bound",
    "network_size",
    "piece_bound",
    "plot_sawtooth",
    "sawtooth",
    "sawtooth_induction",
    "sawtooth_network",
    "shallow_error_bound",
    "tent_map",
    "verify_sawtooth",
    "width_limit",
]

HALF = Fraction(1, 2)
MAX_K = 24
"""The largest k for which :func:`sawtooth` builds :math:`m^k` piece by piece (16M pieces)."""


def tent_map() -> PiecewiseLinear:
    r"""The tent map :math:`m` as an exact piecewise-linear function on :math:`\mathbb{R}`.

    Examples
    --------
    >>> m = tent_map()
    >>> m(Fraction(1, 4)), m(Fraction(3, 4)), m(2)
    (Fraction(1, 2), Fraction(1, 2), Fraction(0, 1))

    References
    ----------
    Telgarsky, "Representation benefits of deep feedforward networks", arXiv:1509.08101, 2015,
    proof of Theorem 1.1 (the tent map and its ReLU form).
    """
    return PiecewiseLinear([0, HALF, 1], [0, 2, -2, 0], [0, 0, 2, 0]).named("m")


def sawtooth(k: int) -> PiecewiseLinear:
    r"""The sawtooth :math:`m^k`, by :math:`k - 1` exact compositions :math:`m \circ m^{j}`.

    Each composition costs time proportional to its result's pieces, so the whole costs
    :math:`O(2^k)`: about 2 s for :math:`k = 20` (``bench/depth.py``).

    Examples
    --------
    >>> sawtooth(3).num_pieces(on=(0, 1))
    8

    References
    ----------
    Telgarsky, "Representation benefits of deep feedforward networks", arXiv:1509.08101, 2015,
    proof of Theorem 1.1 (:math:`m^k` is the :math:`2^k`-piece sawtooth).
    """
    require_count(k)
    if k > MAX_K:
        raise ValueError(
            f"k={k}: m^k has 2^{k} pieces, beyond this machine's memory for exact pieces "
            f"(k <= {MAX_K}); for larger k use the induction valid for every k "
            f"(sawtooth_induction) or exact values at single points"
        )
    m = tent_map()
    f = m
    for _ in range(k - 1):
        f = m.compose(f)
    return f.named(f"m^{{{k}}}") if k > 1 else f


# --- networks ----------------------------------------------------------------------------


class TentForm(enum.Enum):
    """Which ReLU network computes the tent map (see the module docstring).

    Examples
    --------
    >>> [form.value for form in TentForm]
    ['telgarsky', 'width3', 'two_relu']
    """

    TELGARSKY = "telgarsky"
    """:math:`\\sigma(2\\sigma(x) - 4\\sigma(x - 1/2))`: exact on R, widths 2, 1 per copy."""
    WIDTH3 = "width3"
    """:math:`2(\\sigma(x) - 2\\sigma(x - 1/2) + \\sigma(x - 1))`: exact on R, width 3 per copy."""
    TWO_RELU = "two_relu"
    """:math:`2\\sigma(x) - 4\\sigma(x - 1/2)`: exact on [0, 1] only, width 2 per copy."""


@dataclass(frozen=True)
class NetworkSize:
    """The size of a sawtooth network: layers and neurons, ReLU and affine.

    Examples
    --------
    >>> size = network_size(3, form=TentForm.TELGARSKY)
    >>> size.widths, size.relus, size.exact_on
    ((2, 1, 2, 1, 2, 1), 9, 'R')
    """

    form: TentForm
    k: int
    layers: int
    relus: int
    affine_outputs: int
    widths: tuple[int, ...]
    exact_on: str

    @property
    def neurons(self) -> int:
        """ReLUs plus affine output neurons."""
        return self.relus + self.affine_outputs


def _relu_layer(W: Sequence[Sequence[Fraction | int]], b: Sequence[Fraction | int]) -> Dense:
    return Dense(
        exact_matrix(W, (len(W), len(W[0]))),
        exact_matrix(b, (len(b), 1)),
        get_activation("relu"),
    )


def _affine_layer(W: Sequence[Sequence[Fraction | int]], b: Sequence[Fraction | int]) -> Dense:
    return Dense(
        exact_matrix(W, (len(W), len(W[0]))),
        exact_matrix(b, (len(b), 1)),
        get_activation("identity"),
    )


def sawtooth_network(k: int, *, form: TentForm = TentForm.TELGARSKY) -> Network:
    r"""A ReLU :class:`~symdl.core.network.Network` computing :math:`m^k`.

    Consecutive affine maps are merged: the readout of one copy of :math:`m` is folded into
    the input weights of the next, so the network has exactly the sizes :func:`network_size`
    reports.

    Examples
    --------
    >>> net = sawtooth_network(2, form=TentForm.WIDTH3)
    >>> net.sizes, net.forward([Fraction(3, 8)])
    ((1, 3, 3, 1), Matrix([[1/2]]))

    References
    ----------
    Telgarsky, "Representation benefits of deep feedforward networks", arXiv:1509.08101, 2015,
    abstract and Theorem 1.1 (2 nodes in each of 2k layers); Telgarsky, "Benefits of depth in
    neural networks", COLT 2016.
    """
    require_count(k)
    if not isinstance(form, TentForm):
        raise TypeError(f"form={form!r} must be a TentForm: {', '.join(f.name for f in TentForm)}")
    layers: list[Dense] = []
    if form is TentForm.TELGARSKY:
        for _ in range(k):
            layers.append(_relu_layer([[1], [1]], [0, -HALF]))
            layers.append(_relu_layer([[2, -4]], [0]))
        return Network(layers)
    readout = [2, -4, 2] if form is TentForm.WIDTH3 else [2, -4]
    shifts = [Fraction(0), -HALF, Fraction(-1)][: len(readout)]
    ones = [[Fraction(1)] for _ in readout]
    layers.append(_relu_layer(ones, shifts))
    for _ in range(k - 1):
        # σ(m(x) - s) with m(x) = readout · a: the previous readout times the next input weights
        layers.append(_relu_layer([[Fraction(w) for w in readout] for _ in readout], shifts))
    layers.append(_affine_layer([[Fraction(w) for w in readout]], [Fraction(0)]))
    return Network(layers)


def network_size(k: int, *, form: TentForm = TentForm.TELGARSKY) -> NetworkSize:
    """Layers and neurons of :func:`sawtooth_network` (counted from the formula, not the net).

    Examples
    --------
    >>> network_size(5, form=TentForm.WIDTH3).neurons
    16

    References
    ----------
    Telgarsky, "Representation benefits of deep feedforward networks", arXiv:1509.08101, 2015,
    abstract (2 nodes in each of 2k layers, or 3 distinct nodes iterated k times).
    """
    require_count(k)
    if form is TentForm.TELGARSKY:
        return NetworkSize(form, k, 2 * k, 3 * k, 0, (2, 1) * k, "R")
    width = 3 if form is TentForm.WIDTH3 else 2
    return NetworkSize(
        form, k, k + 1, width * k, 1, (width,) * k + (1,), "R" if width == 3 else "[0, 1]"
    )


# --- exact verification -------------------------------------------------------------------


@dataclass(frozen=True)
class SawtoothCheck:
    r"""The exact check of :math:`m^k` on :math:`[0, 1]`; ``holds`` when all parts hold.

    ``zero_outside`` is required only when ``whole_line`` is true (the forms exact on R).

    Examples
    --------
    >>> check = check_sawtooth(sawtooth(4), 4)
    >>> check.pieces, check.breakpoints_dyadic, check.values_alternate, check.holds
    (16, True, True, True)
    """

    k: int
    pieces: int
    breakpoints_dyadic: bool
    values_alternate: bool
    slopes_alternate: bool
    zero_outside: bool
    seconds: float
    whole_line: bool = True

    @property
    def holds(self) -> bool:
        """:math:`2^k` pieces, dyadic breakpoints, alternating values and slopes (and zero
        outside :math:`[0, 1]` when ``whole_line``)."""
        return (
            self.pieces == 2**self.k
            and self.breakpoints_dyadic
            and self.values_alternate
            and self.slopes_alternate
            and (self.zero_outside or not self.whole_line)
        )


def _all_zero(values: RationalArray) -> bool:
    return bool(np.all(values.num == 0))


def check_sawtooth(f: PiecewiseLinear, k: int, *, whole_line: bool = True) -> SawtoothCheck:
    r"""Check exactly that ``f`` is :math:`m^k` on :math:`[0, 1]` (and 0 outside).

    The breakpoints inside :math:`(0, 1)` are :math:`j/2^k` for :math:`j = 1, …, 2^k - 1`,
    the values at :math:`j/2^k` (:math:`j = 0, …, 2^k`) are :math:`j \bmod 2`, the slopes on
    :math:`[0, 1]` alternate :math:`+2^k, -2^k`; with ``whole_line`` the function must also
    vanish outside :math:`[0, 1]`.  Vectorised integer arithmetic; no float anywhere.

    Examples
    --------
    >>> check_sawtooth(sawtooth(3), 3).holds, check_sawtooth(sawtooth(3), 4).holds
    (True, False)

    References
    ----------
    Telgarsky, "Representation benefits of deep feedforward networks", arXiv:1509.08101, 2015,
    proof of Theorem 1.1 (the breakpoints, values and slopes of :math:`m^k`).
    """
    require_count(k)
    if not isinstance(f, PiecewiseLinear):
        raise TypeError(
            f"f is a {type(f).__name__}; give a PiecewiseLinear (from a network: "
            f"PiecewiseLinear.from_network(net))"
        )
    start = time.perf_counter()
    n = 2**k
    b, s, c = f.breakpoint_array, f.slope_array, f.intercept_array
    first = int(b.searchsorted(RationalArray.of([0]), right=True)[0])  # breakpoints <= 0
    last = int(b.searchsorted(RationalArray.of([1]))[0])  # breakpoints < 1
    inner = b[first:last]
    j = np.arange(1, n, dtype=np.int64)
    # exact comparisons (RationalArray guards its products against int64 overflow)
    dyadic = len(inner) == n - 1 and bool(np.all(inner.equal(RationalArray(j, np.full(n - 1, n)))))
    alternate = f(0) == 0 and f(1) == 0
    if dyadic:
        values = s[first:last] * inner + c[first:last]
        alternate = alternate and bool(np.all(values.equal(RationalArray.integers(j % 2))))
    pieces = s[first : last + 1]
    expected = RationalArray.integers(np.where(np.arange(n) % 2 == 0, n, -n).astype(object))
    slopes = len(pieces) == n and bool(np.all(pieces.equal(expected)))
    outside = [s[:first], c[:first], s[last + 1 :], c[last + 1 :]]
    ends = first >= 1 and last < len(b) and b.item(first - 1) == 0 and b.item(last) == 1
    zero = ends and all(_all_zero(part) for part in outside)
    return SawtoothCheck(
        k,
        last - first + 1,
        dyadic,
        alternate,
        slopes,
        zero,
        time.perf_counter() - start,
        whole_line,
    )


def build_and_check_sawtooth(k: int) -> SawtoothCheck:
    r"""Build :math:`m^k` exactly and check it (:func:`check_sawtooth`); times both.

    Examples
    --------
    >>> build_and_check_sawtooth(10).holds
    True

    References
    ----------
    Telgarsky, "Representation benefits of deep feedforward networks", arXiv:1509.08101, 2015,
    proof of Theorem 1.1.
    """
    start = time.perf_counter()
    f = sawtooth(k)
    check = check_sawtooth(f, k)
    return SawtoothCheck(
        k,
        check.pieces,
        check.breakpoints_dyadic,
        check.values_alternate,
        check.slopes_alternate,
        check.zero_outside,
        time.perf_counter() - start,
    )


def sawtooth_induction() -> dict[str, sp.Expr]:
    r"""The induction step :math:`m^k \to m^{k+1}` as symbolic identities, valid for all k.

    On piece :math:`j` of :math:`[0, 1]`, :math:`x \in [j/2^k, (j+1)/2^k]`, the claim is
    :math:`m^k(x) = 2^k x - j` for even :math:`j` and :math:`j + 1 - 2^k x` for odd
    :math:`j` (slope :math:`\pm 2^k`, values 0 and 1 at the ends).  Applying :math:`m`
    (:math:`2y` below :math:`\frac12`, :math:`2 - 2y` above) splits the piece at
    :math:`m^k(x) = \frac12`, :math:`x = (2j+1)/2^{k+1}`, into pieces :math:`2j` and
    :math:`2j+1` of :math:`m^{k+1}` of the same form.  Every returned expression, in
    symbols :math:`k, j, x`, must simplify to 0.

    Examples
    --------
    >>> all(sp.simplify(e) == 0 for e in sawtooth_induction().values())
    True

    References
    ----------
    Telgarsky, "Representation benefits of deep feedforward networks", arXiv:1509.08101, 2015,
    proof of Theorem 1.1 (the induction on :math:`k`).
    """
    k = sp.Symbol("k", integer=True, positive=True)
    j = sp.Symbol("j", integer=True, nonnegative=True)
    x = sp.Symbol("x", real=True)

    def piece(level: sp.Expr, index: sp.Expr, parity: int) -> sp.Expr:
        return 2**level * x - index if parity == 0 else index + 1 - 2**level * x

    identities: dict[str, sp.Expr] = {}
    for parity, name in ((0, "even"), (1, "odd")):
        p = piece(k, j, parity)
        split = (2 * j + 1) / 2 ** (k + 1)
        identities[f"{name}: m^k = 1/2 at the split"] = p.subs(x, split) - sp.S.Half
        identities[f"{name}: value 0/1 at left end"] = p.subs(x, j / 2**k) - parity
        identities[f"{name}: value 1/0 at right end"] = p.subs(x, (j + 1) / 2**k) - (1 - parity)
        left, right = (2 * p, 2 - 2 * p) if parity == 0 else (2 - 2 * p, 2 * p)
        # even j: m^k rises, so x left of the split has m^k <= 1/2 and m(y) = 2y; odd: mirrored
        identities[f"{name}: left half is piece 2j"] = sp.expand(left - piece(k + 1, 2 * j, 0))
        identities[f"{name}: right half is piece 2j+1"] = sp.expand(
            right - piece(k + 1, 2 * j + 1, 1)
        )
        identities[f"{name}: slope is ±2^k"] = sp.diff(p, x) - (-1) ** parity * 2**k
    return {name: sp.powsimp(sp.expand(e)) for name, e in identities.items()}


# --- figures -------------------------------------------------------------------------------


def plot_sawtooth(ks: tuple[int, ...] = (1, 2, 3, 4)) -> Figure:
    r"""The sawtooth functions :math:`m, m^2, m^3, m^4` on :math:`[0, 1]`, one panel each.

    Examples
    --------
    >>> figure = plot_sawtooth((1, 2))
    >>> [ax.get_title() for ax in figure.axes]
    ['$m^{1}$: 2 pieces', '$m^{2}$: 4 pieces']

    References
    ----------
    Telgarsky, "Representation benefits of deep feedforward networks", arXiv:1509.08101, 2015,
    proof of Theorem 1.1 (the sawtooth).
    """
    from matplotlib.figure import Figure

    figure = Figure(figsize=(3 * len(ks), 2.6), layout="constrained")
    axes = figure.subplots(1, len(ks), sharey=True)
    for ax, k in zip(np.atleast_1d(axes), ks, strict=True):
        sawtooth(k).plot(interval=(0, 1), ax=ax)
        ax.set_title(f"$m^{{{k}}}$: {2**k} pieces")
    return figure


#: The name before, too close to :func:`check_sawtooth`, which checks a given function.
verify_sawtooth = build_and_check_sawtooth
