r"""Bounds on the number of linear regions, and networks that attain them.

For a ReLU network on :math:`\mathbb{R}^{n_0}`:

- one layer of :math:`n` ReLUs has at most :math:`\sum_{j=0}^{n_0} \binom{n}{j}` regions,
  with equality for hyperplanes in general position (Zaslavsky 1975;
  :func:`zaslavsky_bound`);
- for :math:`L` hidden layers of widths :math:`n_i \ge n_0` the maximum is at least
  :math:`\bigl(\prod_{i<L} \lfloor n_i/n_0 \rfloor^{n_0}\bigr) \sum_{j=0}^{n_0}
  \binom{n_L}{j}` (Montúfar et al. 2014, Theorem 4; :func:`montufar_lower_bound`);
- for one input and all widths :math:`n_l \ge 3` the maximum is exactly
  :math:`\prod_l (n_l + 1)` (Serra et al. 2018, Theorem 1 and its tightness construction;
  :func:`serra_one_input_maximum`).

Constructions, each verified exactly by :mod:`symdl.regions`:

- :func:`general_position_network`: one layer of :math:`n` lines
  :math:`x_1 + j x_2 = j^2` in general position in the plane (Zaslavsky's count);
- :func:`folding_network`: Montúfar's folding on :math:`\mathbb{R}^2`: each hidden layer of
  width 4 folds each coordinate of :math:`[0, 1]` in two, so the last layer's arrangement of
  4 lines is repeated :math:`4^{L-1}` times (:math:`\ge 44` regions for widths [4, 4]);
- :func:`zigzag_network`: one input, width-3 layers :math:`\sigma(v), \sigma(v - 1),
  \sigma(2 - v)` whose combination maps each of its 4 pieces onto a common interval, so the
  :math:`L` layers have :math:`4^L` regions, Serra's maximum (16 for widths [3, 3]).

References
----------
Zaslavsky, "Facing up to arrangements", Mem. AMS 154, 1975.  Montúfar, Pascanu, Cho, Bengio,
"On the number of linear regions of deep neural networks", NeurIPS 2014, Theorem 4 and
Section 3 (folding).  Serra, Tjandraatmadja, Ramalingam, "Bounding and counting linear regions
of deep neural networks", ICML 2018, Theorem 1.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from math import comb, prod

from symdl.activations import get_activation
from symdl.network import Dense, Network, exact_matrix

__all__ = [
    "folding_network",
    "general_position_network",
    "montufar_lower_bound",
    "serra_one_input_maximum",
    "zaslavsky_bound",
    "zigzag_network",
]


def _check_widths(widths: Sequence[int], *, at_least: int = 1) -> list[int]:
    values = list(widths)
    if not values or any(isinstance(w, bool) or not isinstance(w, int) for w in values):
        raise ValueError(f"widths={widths!r} must be a non-empty list of integers")
    if min(values) < at_least:
        raise ValueError(f"widths={widths!r}: every width must be at least {at_least}")
    return values


def zaslavsky_bound(n: int, n0: int) -> int:
    r""":math:`\sum_{j=0}^{n_0} \binom{n}{j}`: regions of :math:`n` hyperplanes in
    :math:`\mathbb{R}^{n_0}` in general position (the most possible).

    Examples
    --------
    >>> zaslavsky_bound(4, 2), zaslavsky_bound(3, 1)
    (11, 4)
    """
    if n < 0 or n0 < 1:
        raise ValueError(f"need n >= 0 neurons and n0 >= 1 inputs; got n={n}, n0={n0}")
    return sum(comb(n, j) for j in range(n0 + 1))


def montufar_lower_bound(widths: Sequence[int], n0: int) -> int:
    r"""Montúfar et al.'s lower bound on the maximal number of regions.

    :math:`\bigl(\prod_{i=1}^{L-1} \lfloor n_i/n_0 \rfloor^{n_0}\bigr)
    \sum_{j=0}^{n_0} \binom{n_L}{j}` for widths :math:`n_i \ge n_0` (Theorem 4, 2014).

    Examples
    --------
    >>> montufar_lower_bound([4, 4], 2), montufar_lower_bound([3, 3], 1)
    (44, 12)
    """
    values = _check_widths(widths, at_least=n0)
    return prod((w // n0) ** n0 for w in values[:-1]) * zaslavsky_bound(values[-1], n0)


def serra_one_input_maximum(widths: Sequence[int]) -> int:
    r""":math:`\prod_l (n_l + 1)`, the maximal number of regions for one input and widths
    :math:`n_l \ge 3` (Serra et al. 2018).

    Examples
    --------
    >>> serra_one_input_maximum([3, 3])
    16
    """
    values = _check_widths(widths)
    if min(values) < 3:
        raise ValueError(
            f"widths={list(widths)}: Serra et al.'s exact maximum holds for widths >= 3 "
            f"only; for narrower layers it is an upper bound, not the maximum"
        )
    return prod(w + 1 for w in values)


def _dense(W: list[list[Fraction]], b: list[Fraction], activation: str) -> Dense:
    return Dense(
        exact_matrix(W, (len(W), len(W[0]))),
        exact_matrix(b, (len(b), 1)),
        get_activation(activation),
    )


def _readout(width: int) -> Dense:
    return _dense([[Fraction(1)] * width], [Fraction(0)], "identity")


def general_position_network(n: int) -> Network:
    r"""One layer of :math:`n` ReLUs on :math:`\mathbb{R}^2` with lines :math:`x_1 + j x_2 = j^2`.

    Lines :math:`j \ne k` meet at :math:`(-jk, j + k)`, which determines :math:`\{j, k\}`: no
    two are parallel and no three concurrent, so there are
    :math:`1 + n + \binom{n}{2}` regions.
    """
    if n < 1:
        raise ValueError(f"n={n} must be at least 1")
    W = [[Fraction(1), Fraction(j)] for j in range(1, n + 1)]
    b = [Fraction(-(j**2)) for j in range(1, n + 1)]
    return Network([_dense(W, b, "relu"), _readout(n)])


def _fold_row(level: int, coordinate: int, factor: Fraction) -> list[Fraction]:
    """Input weights of ``factor * u_coordinate`` in folding layer ``level`` (0-based)."""
    zero = Fraction(0)
    if level == 0:
        return [factor if k == coordinate else zero for k in range(2)]
    pair = [2 * factor, -2 * factor]
    return [pair[k % 2] if k // 2 == coordinate else zero for k in range(4)]


def folding_network(depth: int) -> Network:
    r"""Montúfar's folding network on :math:`\mathbb{R}^2`: ``depth`` hidden layers of width 4.

    Layers :math:`1, …, L-1` fold: for each coordinate :math:`u \in [0, 1]`, the neurons
    :math:`\sigma(u)` and :math:`\sigma(2u - 1)` give :math:`g = \sigma(u) - \sigma(2u - 1)`,
    which maps :math:`[0, \frac12]` and :math:`[\frac12, 1]` both onto :math:`[0, \frac12]`;
    the next layer reads :math:`2g`.  The last layer has 4 lines in general position with
    all 6 crossings inside :math:`(0, \frac12)^2` (the lines :math:`x + jy = j^2` mapped by
    :math:`x = 24X - 13`, :math:`y = 12Y + 2`), so each of the :math:`4^{L-1}` folded copies
    of the unit square holds 11 regions: at least :math:`4^{L-1} \cdot 11`.
    """
    if depth < 1:
        raise ValueError(f"depth={depth} must be at least 1")
    one, zero = Fraction(1), Fraction(0)
    layers = []
    # first folding layer reads the inputs u = x directly
    for level in range(depth - 1):
        W, b = [], []
        for i in range(2):
            # neurons σ(u_i) and σ(2u_i - 1), with u_i = x_i or 2 (h_{i,1} - h_{i,2})
            W += [_fold_row(level, i, one), _fold_row(level, i, Fraction(2))]
            b += [zero, -one]
        layers.append(_dense(W, b, "relu"))
    final_W, final_b = [], []
    for j in range(1, 5):
        # 24 g_1 + 12 j g_2 + (2j - 13 - j^2), with g_i = h_{i,1} - h_{i,2} (or x_i if depth 1)
        a1, a2 = Fraction(24), Fraction(12 * j)
        if depth == 1:
            final_W.append([a1, a2])
        else:
            final_W.append([a1, -a1, a2, -a2])
        final_b.append(Fraction(2 * j - 13 - j * j))
    layers.append(_dense(final_W, final_b, "relu"))
    layers.append(_readout(4))
    return Network(layers)


def zigzag_network(depth: int) -> Network:
    r"""One input, ``depth`` layers of width 3 with :math:`4^{\text{depth}}` linear regions.

    Each layer computes :math:`\sigma(v), \sigma(v - 1), \sigma(2 - v)` of its input
    :math:`v`; the combination :math:`g = -\frac52 + 2\sigma(v) - \frac32\sigma(v - 1) +
    \sigma(2 - v)` has slopes :math:`-1, 1, -\frac12, \frac12` on its four pieces and maps each
    of them onto a set containing :math:`(0, \frac12)`, so the next layer's input
    :math:`v' = 8g - 1` crosses all three breakpoints 0, 1, 2 inside every region: each layer
    multiplies the number of regions by 4, Serra et al.'s maximum :math:`\prod (n_l + 1)`.
    """
    if depth < 1:
        raise ValueError(f"depth={depth} must be at least 1")
    one, zero = Fraction(1), Fraction(0)
    shifts = [zero, -one, Fraction(2)]
    signs = [one, one, -one]
    layers = [_dense([[s] for s in signs], shifts, "relu")]
    # v' = 8 g - 1 = -21 + 16 h_1 - 12 h_2 + 8 h_3
    combination, constant = [Fraction(16), Fraction(-12), Fraction(8)], Fraction(-21)
    for _ in range(depth - 1):
        W = [[s * c for c in combination] for s in signs]
        b = [s * constant + t for s, t in zip(signs, shifts, strict=True)]
        layers.append(_dense(W, b, "relu"))
    layers.append(_readout(3))
    return Network(layers)
