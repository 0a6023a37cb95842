r"""The experiment behind Telgarsky's Theorem 1.1, and where float64 gives up.

Theorem 1.1 (Telgarsky 2015): with :math:`n = 2^k` points :math:`x_i = i/2^k` labelled
:math:`y_i = i \bmod 2`, the deep sawtooth network classifies all of them, while every network
with :math:`l` layers of width :math:`m \le 2^{(k-3)/l - 1}` has at most
:math:`t \le (2m)^l \le n/8` pieces and so errs on at least
:math:`(n - 4t)/(3n) \ge \frac16` of them.

:func:`shallow_experiment` checks this on actual shallow networks within the width limit,
random ones and ones trained by gradient descent (NumPy): their weights are made exact
(binary value of each float), their pieces are counted exactly
(:meth:`~symdl.depth.piecewise.PiecewiseLinear.from_network`) and their error on the points is
computed exactly.

:func:`float_collapse` shows why exact arithmetic matters: evaluated in float64 by the
independent evaluator :func:`symdl.core.numeric.forward`, :math:`m^k` at the points :math:`i/2^k`
is right while :math:`i` fits the 53-bit mantissa and wrong on about half the points from
:math:`k = 54` on, while the exact values are :math:`i \bmod 2` for every :math:`k`.

References
----------
Telgarsky, "Representation benefits of deep feedforward networks", arXiv:1509.08101, 2015,
Theorem 1.1 and the piece counting behind its proof.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING

import numpy as np

from symdl.core import numeric
from symdl.core.losses import LOSSES
from symdl.core.network import FloatConversion, Network
from symdl.depth.piecewise import PiecewiseLinear
from symdl.depth.telgarsky import (
    classification_error,
    error_lower_bound,
    piece_bound,
    sawtooth,
    sawtooth_network,
    width_limit,
)

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = [
    "CollapsePoint",
    "ShallowResult",
    "first_float_failure",
    "float_collapse",
    "measure",
    "plot_depth_separation",
    "random_shallow_network",
    "shallow_experiment",
    "train_shallow_network",
]


def _width(k: int, layers: int) -> int:
    width = width_limit(k, layers)
    if width < 1:
        raise ValueError(
            f"no width m >= 1 satisfies m <= 2^((k-3)/l - 1) for k={k}, l={layers}; take a "
            f"larger k or fewer layers (k >= l + 3)"
        )
    return width


def _exact_mlp(weights: list[np.ndarray], biases: list[np.ndarray]) -> Network:
    sizes = [1, *(len(b) for b in biases)]
    acts = ["relu"] * (len(biases) - 1) + ["identity"]
    return Network.mlp(sizes, acts, weights=weights, biases=biases, floats=FloatConversion.BINARY)


def _initial(k: int, layers: int, rng: np.random.Generator) -> tuple[list, list]:
    """He-style weights; first-layer breakpoints spread over [0, 1] so the pieces matter."""
    width = _width(k, layers)
    sizes = [1] + [width] * layers + [1]
    weights, biases = [], []
    for l in range(1, len(sizes)):
        W = rng.normal(0.0, np.sqrt(2.0 / sizes[l - 1]), size=(sizes[l], sizes[l - 1]))
        if l == 1:
            b = -W[:, 0] * rng.uniform(0.0, 1.0, size=sizes[l])
        else:
            b = rng.normal(0.0, 0.1, size=sizes[l])
        weights.append(W)
        biases.append(b)
    return weights, biases


def random_shallow_network(
    k: int, layers: int, *, rng: np.random.Generator, denominator: int = 256
) -> Network:
    r"""A random ReLU network with ``layers`` hidden layers of the largest allowed width.

    Weights are rounded to multiples of ``1/denominator`` (exact rationals).

    Examples
    --------
    >>> net = random_shallow_network(8, 1, rng=np.random.default_rng(0))
    >>> net.sizes, net.is_exact  # width 2^(8-3-1) = 16, the limit of Theorem 1.1
    ((1, 16, 1), True)

    References
    ----------
    Telgarsky, "Representation benefits of deep feedforward networks", arXiv:1509.08101, 2015,
    Theorem 1.1 (the width limit).
    """
    weights, biases = _initial(k, layers, rng)
    weights = [np.round(W * denominator) / denominator for W in weights]
    biases = [np.round(b * denominator) / denominator for b in biases]
    return _exact_mlp(weights, biases)


def train_shallow_network(
    k: int, layers: int, *, rng: np.random.Generator, steps: int = 3000, rate: float = 0.01
) -> Network:
    r"""A ReLU network of the largest allowed width trained (Adam, NumPy) on the points.

    The loss is the mean squared error to the labels :math:`y_i = i \bmod 2`, its gradient
    :func:`symdl.core.numeric.backward_arrays`; the trained float weights become exact rationals
    (their binary values).

    References
    ----------
    Telgarsky, "Representation benefits of deep feedforward networks", arXiv:1509.08101, 2015,
    Theorem 1.1 (no network within the width limit does better than error 1/6).
    """
    weights, biases = _initial(k, layers, rng)
    n = 2**k
    X = (np.arange(n) / n)[:, None]
    Y = (np.arange(n) % 2).astype(float)[:, None]
    params = [p for pair in zip(weights, biases, strict=True) for p in pair]
    first = [np.zeros_like(p) for p in params]
    second = [np.zeros_like(p) for p in params]
    # the layer structure for the independent NumPy backward pass (values come from arrays)
    sizes = [1, *(len(b) for b in biases)]
    structure = Network.mlp(sizes, ["relu"] * (len(biases) - 1) + ["identity"])
    arrays = list(zip(weights, biases, strict=True))
    for step in range(1, steps + 1):
        layer_grads = numeric.backward_arrays(structure, arrays, X, Y, LOSSES["mse"])
        grads = [g for pair in layer_grads for g in pair]
        for i, (p, g) in enumerate(zip(params, grads, strict=True)):
            first[i] = 0.9 * first[i] + 0.1 * g
            second[i] = 0.999 * second[i] + 0.001 * g * g
            corrected = first[i] / (1 - 0.9**step)
            p -= rate * corrected / (np.sqrt(second[i] / (1 - 0.999**step)) + 1e-8)
    return _exact_mlp(weights, biases)


@dataclass(frozen=True)
class ShallowResult:
    """One shallow network measured against Theorem 1.1's bounds (all counts exact)."""

    kind: str
    k: int
    layers: int
    width: int
    pieces: int
    pieces_on_unit_interval: int
    piece_bound: int
    error: Fraction
    error_bound: Fraction

    @property
    def respects_bounds(self) -> bool:
        """Pieces within :math:`(2m)^l`, error at least :math:`(n - 4t)/(3n)` and 1/6."""
        return (
            self.pieces <= self.piece_bound
            and self.error >= self.error_bound
            and self.error >= Fraction(1, 6)
        )


def measure(net: Network, k: int, layers: int, width: int, kind: str) -> ShallowResult:
    """Count the pieces of ``net`` and its error on the :math:`2^k` points, exactly.

    Examples
    --------
    >>> net = random_shallow_network(8, 1, rng=np.random.default_rng(0))
    >>> result = measure(net, 8, 1, 16, "random")
    >>> result.piece_bound, result.respects_bounds
    (32, True)

    References
    ----------
    Telgarsky, "Representation benefits of deep feedforward networks", arXiv:1509.08101, 2015,
    Theorem 1.1 and the piece counting of its proof.
    """
    f = PiecewiseLinear.from_network(net)
    t = f.num_pieces(on=(0, 1))
    return ShallowResult(
        kind,
        k,
        layers,
        width,
        f.num_pieces(),
        t,
        piece_bound(width, layers),
        classification_error(f, k),
        error_lower_bound(t, 2**k),
    )


def shallow_experiment(
    k: int,
    layers: int,
    *,
    rng: np.random.Generator,
    random_trials: int = 5,
    trained_trials: int = 1,
    steps: int = 3000,
) -> list[ShallowResult]:
    r"""Random and trained networks of the largest width allowed by Theorem 1.1, measured.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> results = shallow_experiment(8, 1, rng=rng, random_trials=2, trained_trials=0)
    >>> [r.respects_bounds for r in results], results[0].width
    ([True, True], 16)

    References
    ----------
    Telgarsky, "Representation benefits of deep feedforward networks", arXiv:1509.08101, 2015,
    Theorem 1.1.
    """
    width = _width(k, layers)
    results = [
        measure(random_shallow_network(k, layers, rng=rng), k, layers, width, "random")
        for _ in range(random_trials)
    ]
    results += [
        measure(train_shallow_network(k, layers, rng=rng, steps=steps), k, layers, width, "trained")
        for _ in range(trained_trials)
    ]
    return results


# --- float64 ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class CollapsePoint:
    """Float64 against exact evaluation of :math:`m^k` at sampled points :math:`i/2^k`."""

    k: int
    samples: int
    float_wrong: int
    exact_wrong: int


def _exact_tent_power(x: Fraction, k: int) -> Fraction:
    for _ in range(k):
        x = 2 * x if x <= Fraction(1, 2) else 2 - 2 * x
    return x


def float_collapse(
    ks: range | list[int], *, samples: int = 200, seed: int = 0
) -> list[CollapsePoint]:
    r"""Classify sampled points :math:`i/2^k` with :math:`m^k` in float64 and exactly.

    The float path is the network :func:`~symdl.depth.telgarsky.sawtooth_network` evaluated by
    :func:`symdl.core.numeric.forward` at the correctly rounded :math:`i/2^k`; the exact path
    iterates the tent map on the fraction :math:`i/2^k`.  ``float_wrong`` counts the points
    misclassified in float64, ``exact_wrong`` those misclassified exactly (always 0).
    The sample always includes :math:`i = 2^k - 1`, which rounds to 1.0 once :math:`k > 53`.

    Examples
    --------
    >>> [(p.k, p.float_wrong, p.exact_wrong) for p in float_collapse([53, 54], samples=8)]
    [(53, 0, 0), (54, 3, 0)]

    References
    ----------
    IEEE 754-2008, binary64: a 53-bit significand; Telgarsky 2015 (arXiv:1509.08101) for
    :math:`m^k`.
    """
    generator = random.Random(seed)
    points = []
    for k in ks:
        indices = [generator.getrandbits(k) for _ in range(samples - 1)] + [2**k - 1]
        labels = np.array([i % 2 for i in indices])
        X = np.array([[i / 2**k] for i in indices])  # correctly rounded int division
        floats = numeric.forward(sawtooth_network(k), X)[:, 0] >= 0.5
        exact = np.array(
            [_exact_tent_power(Fraction(i, 2**k), k) >= Fraction(1, 2) for i in indices]
        )
        points.append(
            CollapsePoint(
                k,
                len(indices),
                int(np.count_nonzero(floats != labels)),
                int(np.count_nonzero(exact != labels)),
            )
        )
    return points


def first_float_failure(*, k_max: int = 80, samples: int = 64, seed: int = 0) -> int | None:
    r"""The smallest :math:`k` at which float64 misclassifies a sampled point :math:`i/2^k`.

    Scans :math:`k = 1, …, k_{\max}` with :func:`float_collapse`; ``None`` if float64 never
    fails.  The answer is 54: from there on :math:`i` has more bits than the 53-bit mantissa
    (the sample always holds :math:`i = 2^k - 1`, which rounds to 1.0).

    Examples
    --------
    >>> first_float_failure(k_max=56, samples=4)
    54

    References
    ----------
    IEEE 754-2008, binary64: a 53-bit significand.
    """
    for point in float_collapse(range(1, k_max + 1), samples=samples, seed=seed):
        if point.float_wrong:
            return point.k
    return None


# --- figure ------------------------------------------------------------------------------------


def plot_depth_separation(k: int = 4, shallow: PiecewiseLinear | None = None) -> Figure:
    r"""The deep :math:`m^k` and a shallow fit on the :math:`2^k` alternating points.

    Without ``shallow``, a network with one hidden layer of the largest width Theorem 1.1
    allows for these points, :math:`2^{k-4}` (so :math:`k \ge 4`), is trained (seeded) on
    them and shown with its exact error, at least :math:`\frac16`.

    Examples
    --------
    >>> figure = plot_depth_separation(5)
    >>> figure.axes[0].get_legend_handles_labels()[1][1:]
    ['deep: $m^{5}$, error 0', 'shallow fit, error 1/2']

    References
    ----------
    Telgarsky, "Representation benefits of deep feedforward networks", arXiv:1509.08101, 2015,
    Theorem 1.1.
    """
    from matplotlib.figure import Figure

    if shallow is None:
        net = train_shallow_network(k, 1, rng=np.random.default_rng(0), steps=1500)
        shallow = PiecewiseLinear.from_network(net)
    figure = Figure(figsize=(6, 3.2), layout="constrained")
    ax = figure.add_subplot()
    n = 2**k
    ax.scatter(
        np.arange(n) / n,
        np.arange(n) % 2,
        color="black",
        zorder=3,
        s=14,
        label=r"$(i/2^k,\ i\ \mathrm{mod}\ 2)$",
    )
    sawtooth(k).plot(interval=(0, 1), ax=ax, label=f"deep: $m^{{{k}}}$, error 0")
    error = classification_error(shallow, k)
    shallow.plot(interval=(0, 1), ax=ax, label=f"shallow fit, error {error}")
    ax.axhline(0.5, color="grey", linewidth=0.6, linestyle="--")
    ax.legend(fontsize=7, loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=3)
    ax.set_title(f"k = {k}: {n} alternating points")
    return figure
