r"""Bounds on the number of linear regions, and networks that attain them.

For a ReLU network on :math:`\mathbb{R}^{n_0}`:

- one layer of :math:`n` ReLUs has at most :math:`\sum_{j=0}^{n_0} \binom{n}{j}` regions,
  with equality for hyperplanes in general position (Zaslavsky 1975;
  :func:`zaslavsky_bound`);
- for :math:`L` hidden layers of widths :math:`n_i \ge n_0` the maximum is at least
  :math:`\bigl(\prod_{i<L} \lfloor n_i/n_0 \rfloor^{n_0}\bigr) \sum_{j=0}^{n_0}
  \binom{n_L}{j}` (Montúfar et al. 2014, Theorem 4; :func:`montufar_lower_bound`);
- for any widths the number of regions is at most
  :math:`\sum_{(j_1, \dots, j_L) \in J} \prod_{l=1}^{L} \binom{n_l}{j_l}` with
  :math:`J = \{0 \le j_l \le \min(n_0, n_1 - j_1, \dots, n_{l-1} - j_{l-1}, n_l)\}`
  (Serra et al. 2018, Theorem 1; :func:`serra_upper_bound`: 121 for widths [4, 4] on
  :math:`\mathbb{R}^2`);
- for one input and all widths :math:`n_l \ge 3` the maximum is exactly
  :math:`\prod_l (n_l + 1)` (Serra et al. 2018, Theorem 1 and its tightness construction;
  :func:`serra_one_input_maximum`).

Constructions, each verified exactly by :mod:`symdl.depth.regions`:

- :func:`general_position_network`: one layer of :math:`n` lines
  :math:`x_1 + j x_2 = j^2` in general position in the plane (Zaslavsky's count);
- :func:`folding_network`: Montúfar's folding on :math:`\mathbb{R}^2` (or on
  :math:`\mathbb{R}`, ``inputs=1``): each hidden layer but
  the last folds each coordinate of :math:`[0, 1]` :math:`\lfloor n_l/2 \rfloor` times, so
  the last layer's arrangement of lines is repeated in every fold: inside the unit square
  exactly the lower bound (44 regions for widths [4, 4]), and more in the plane;
- :func:`zigzag_network`: one input, layers of widths :math:`n_l \ge 3` whose neurons fold
  each of their :math:`n_l + 1` pieces onto a common interval, so the network has
  :math:`\prod_l (n_l + 1)` regions, Serra's maximum (16 for widths [3, 3]).

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

from symdl.core.activations import get_activation
from symdl.core.exceptions import NotSupportedError
from symdl.core.network import Dense, Network, exact_matrix

__all__ = [
    "folding_network",
    "general_position_network",
    "montufar_lower_bound",
    "serra_one_input_maximum",
    "serra_upper_bound",
    "zaslavsky_bound",
    "zigzag_fold",
    "zigzag_network",
]


def _check_count(value: int, name: str, *, at_least: int) -> int:
    """An integer at least ``at_least`` (a number of neurons, inputs or lines)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(
            f"{name}={value!r} must be an integer (a count), not {type(value).__name__}"
        )
    if value < at_least:
        raise ValueError(f"{name}={value} must be at least {at_least}")
    return value


def _check_widths(widths: Sequence[int], *, at_least: int = 1) -> list[int]:
    if isinstance(widths, (str, bytes)) or not isinstance(widths, Sequence):
        raise TypeError(f"widths={widths!r} must be a list of integers, e.g. [4, 4]")
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

    References
    ----------
    Zaslavsky, "Facing up to arrangements", Mem. AMS 154, 1975 (regions of an arrangement in
    general position).
    """
    _check_count(n, "n", at_least=0)
    _check_count(n0, "n0", at_least=1)
    return sum(comb(n, j) for j in range(n0 + 1))


def montufar_lower_bound(widths: Sequence[int], n0: int) -> int:
    r"""Montúfar et al.'s lower bound on the maximal number of regions.

    :math:`\bigl(\prod_{i=1}^{L-1} \lfloor n_i/n_0 \rfloor^{n_0}\bigr)
    \sum_{j=0}^{n_0} \binom{n_L}{j}` for widths :math:`n_i \ge n_0` (Theorem 4, 2014).

    Examples
    --------
    >>> montufar_lower_bound([4, 4], 2), montufar_lower_bound([3, 3], 1)
    (44, 12)

    References
    ----------
    Montúfar, Pascanu, Cho, Bengio, "On the number of linear regions of deep neural networks",
    NeurIPS 2014, Theorem 4.
    """
    _check_count(n0, "n0", at_least=1)
    values = _check_widths(widths, at_least=n0)
    return prod((w // n0) ** n0 for w in values[:-1]) * zaslavsky_bound(values[-1], n0)


def serra_one_input_maximum(widths: Sequence[int]) -> int:
    r""":math:`\prod_l (n_l + 1)`, the maximal number of regions for one input and widths
    :math:`n_l \ge 3` (Serra et al. 2018).

    Examples
    --------
    >>> serra_one_input_maximum([3, 3])
    16

    References
    ----------
    Serra, Tjandraatmadja, Ramalingam, "Bounding and counting linear regions of deep neural
    networks", ICML 2018 (arXiv:1711.02114): the upper bound, exact for inputs of dimension one.
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

    Examples
    --------
    >>> from symdl.depth.regions import regions_2d
    >>> len(regions_2d(general_position_network(4)))  # 1 + 4 + 6
    11

    References
    ----------
    Zaslavsky, "Facing up to arrangements", Mem. AMS 154, 1975.
    """
    _check_count(n, "n", at_least=1)
    W = [[Fraction(1), Fraction(j)] for j in range(1, n + 1)]
    b = [Fraction(-(j**2)) for j in range(1, n + 1)]
    return Network([_dense(W, b, "relu"), _readout(n)])


def _fold_coefficients(p: int) -> list[Fraction]:
    r""":math:`a_k` with :math:`g(u) = \sum_{k<p} a_k \sigma(pu - k)` folding [0, 1] p times.

    :math:`g = \sigma(pu) - 2\sigma(pu - 1) + 2\sigma(pu - 2) - \dots` rises on
    :math:`[0, \frac1p]`, falls on :math:`[\frac1p, \frac2p]`, … and maps each of the
    :math:`p` intervals :math:`[\frac kp, \frac{k+1}p]` onto :math:`[0, 1]`.
    """
    return [Fraction(1)] + [Fraction(2 * (-1) ** k) for k in range(1, p)]


def _general_position_rows(n: int) -> list[tuple[Fraction, Fraction, Fraction]]:
    r"""Lines :math:`\alpha X + j\gamma Y + c_j = 0` in general position, all crossings in
    :math:`(0, 1)^2`: the lines :math:`x + jy = j^2` (crossings :math:`(-jk, j + k)`) under
    :math:`x = \alpha X - n(n-1) - 1`, :math:`y = 2nY + 1` with :math:`\alpha = n(n-1) + 2`."""
    alpha, gamma = Fraction(n * (n - 1) + 2), Fraction(2 * n)
    return [(alpha, j * gamma, Fraction(-n * (n - 1) - 1 + j - j * j)) for j in range(1, n + 1)]


def _threshold_rows(n: int) -> list[tuple[Fraction, Fraction]]:
    r"""Points :math:`u = j/(n + 1)`, :math:`j = 1, …, n`, as rows :math:`(n+1)u - j`: the
    :math:`n` breakpoints of one input's last layer, all inside :math:`(0, 1)`."""
    return [(Fraction(n + 1), Fraction(-j)) for j in range(1, n + 1)]


def folding_network(widths: Sequence[int], *, inputs: int = 2) -> Network:
    r"""Montúfar's folding network on :math:`\mathbb{R}^{n_0}` (``inputs`` :math:`= n_0`
    is 1 or 2) with hidden widths ``widths``.

    Each layer but the last folds: with :math:`p = \lfloor n_l/n_0 \rfloor` neurons per
    coordinate :math:`u_i \in [0, 1]` it computes :math:`\sigma(p u_i - k)`,
    :math:`k < p` (any other neurons are zero), whose combination
    :math:`g_i = \sum_k a_k \sigma(p u_i - k)` maps each of :math:`p` intervals onto
    :math:`[0, 1]` (``_fold_coefficients``); the next layer reads :math:`u_i = g_i`.  The
    last layer cuts the folded unit cube :math:`[0, 1]^{n_0}` into
    :math:`\sum_{j \le n_0} \binom{n_L}{j}` regions: for two inputs :math:`n_L` lines in
    general position with every crossing inside the unit square, for one input the
    :math:`n_L` points :math:`j/(n_L + 1)`.  Each of the :math:`\prod_{l<L} p_l^{n_0}`
    folded copies of the cube holds them all: Montúfar et al.'s lower bound, inside the
    unit cube.

    Parameters
    ----------
    widths
        Hidden widths :math:`n_1, …, n_L \ge n_0`.
    inputs
        :math:`n_0`: 2 (the default, regions in the plane) or 1 (intervals of the line).

    Examples
    --------
    >>> from symdl.depth.regions import regions_2d, region_boundaries_1d
    >>> len(regions_2d(folding_network([4])))
    11
    >>> cuts = region_boundaries_1d(folding_network([3, 2], inputs=1))
    >>> sum(0 < c < 1 for c in cuts) + 1  # Π n_l (n_L + 1) = 3 · 3 regions in (0, 1)
    9

    References
    ----------
    Montúfar, Pascanu, Cho, Bengio, NeurIPS 2014, Section 3 (folding) and Theorem 4.
    """
    if isinstance(inputs, bool) or not isinstance(inputs, int):
        raise TypeError(f"inputs={inputs!r} must be the integer 1 or 2")
    if inputs not in (1, 2):
        raise NotSupportedError(
            f"inputs={inputs}: folding networks are built for 1 or 2 inputs (the regions "
            f"symdl enumerates exactly); use montufar_lower_bound for the bound itself"
        )
    values = _check_widths(widths, at_least=inputs)
    zero = Fraction(0)
    layers = []
    # u_i = Σ coefficient · (previous output neuron); at the start u_i = x_i
    previous: list[list[tuple[int, Fraction]]] = [[(i, Fraction(1))] for i in range(inputs)]
    n_in = inputs
    for n in values[:-1]:
        p = n // inputs
        W, b, current = [], [], []
        for i in range(inputs):
            terms = []
            for k, a in enumerate(_fold_coefficients(p)):
                row = [zero] * n_in
                for neuron, coefficient in previous[i]:
                    row[neuron] += p * coefficient
                W.append(row)
                b.append(Fraction(-k))
                terms.append((len(W) - 1, a))
            current.append(terms)
        W += [[zero] * n_in for _ in range(n - inputs * p)]
        b += [zero] * (n - inputs * p)
        layers.append(_dense(W, b, "relu"))
        previous, n_in = current, n
    last = _general_position_rows(values[-1]) if inputs == 2 else _threshold_rows(values[-1])
    W, b = [], []
    for *weights, c in last:
        row = [zero] * n_in
        for i, weight in enumerate(weights):
            for neuron, coefficient in previous[i]:
                row[neuron] += weight * coefficient
        W.append(row)
        b.append(c)
    layers.append(_dense(W, b, "relu"))
    layers.append(_readout(values[-1]))
    return Network(layers)


def _zigzag_slopes(n: int) -> list[Fraction]:
    """Slopes :math:`s_0, …, s_n` of the fold of a width-``n`` layer, alternating in sign."""
    if n % 2:
        return [Fraction(-2)] + [Fraction((-1) ** (p + 1)) for p in range(1, n)] + [Fraction(1)]
    inner = [Fraction(2 * (-1) ** (p + 1)) for p in range(1, n - 1)]
    return [Fraction(-1), *inner, Fraction(1), Fraction(-1)]


def zigzag_fold(n: int) -> tuple[list[int], list[Fraction], Fraction]:
    r"""The fold of one zigzag layer of width :math:`n \ge 3`: signs, coefficients, constant.

    Neuron :math:`i = 1, …, n` computes :math:`\sigma(\epsilon_i (u - i))` (right-facing,
    :math:`\epsilon_i = 1`, or left-facing, :math:`-1`), and
    :math:`g(u) = d + \sum_i c_i \sigma(\epsilon_i(u - i))` has slopes of alternating sign on
    its :math:`n + 1` pieces with :math:`g = 0, 1, 0, …` (or :math:`0, 2, 0, …, 0, 1`) at
    :math:`u = 1, …, n`, so every piece maps onto a set containing :math:`(0, 1)` (the end
    pieces over :math:`(0, 1]` and :math:`[n, n + 1)` already do).  With ReLUs alone the
    first slope is :math:`s_0 = -\sum_{i \text{ left-facing}} c_i`, which the left-facing set
    :math:`\{n\}` (odd :math:`n`) or :math:`\{1, n\}` (even :math:`n`) allows; no choice
    works for :math:`n \le 2`, matching Serra et al.'s condition :math:`n_l \ge 3`.

    Examples
    --------
    >>> signs, coefficients, constant = zigzag_fold(3)
    >>> signs, [str(c) for c in coefficients], constant
    ([1, 1, -1], ['3', '-2', '2'], Fraction(-4, 1))

    References
    ----------
    Serra, Tjandraatmadja, Ramalingam, ICML 2018 (arXiv:1711.02114): the construction attaining
    their bound for one input.
    """
    if n < 3:
        raise ValueError(f"a zigzag layer needs width >= 3 (Serra et al.'s condition); got {n}")
    slopes = _zigzag_slopes(n)
    coefficients = [slopes[i] - slopes[i - 1] for i in range(1, n + 1)]
    left = {n} if n % 2 else {1, n}
    signs = [-1 if i in left else 1 for i in range(1, n + 1)]
    # g(1) = 0: only left-facing neurons are active at u = 1, with value b_i - 1
    constant = -sum((coefficients[i - 1] * (i - 1) for i in left), Fraction(0))
    return signs, coefficients, constant


def zigzag_network(widths: Sequence[int]) -> Network:
    r"""One input, hidden widths :math:`n_l \ge 3`, with exactly :math:`\prod_l (n_l + 1)`
    linear regions: Serra et al.'s maximum.

    Layer :math:`l` has the breakpoints :math:`u = 1, …, n_l` of its input
    :math:`u_l` (:math:`u_1 = x`), and folds each of its :math:`n_l + 1` pieces onto
    :math:`(0, 1)` (:func:`zigzag_fold`); the next layer reads
    :math:`u_{l+1} = (n_{l+1} + 1)\, g_l`, which sweeps :math:`(0, n_{l+1} + 1)` inside every
    region and so crosses all :math:`n_{l+1}` of its breakpoints there: each layer multiplies
    the number of regions by :math:`n_l + 1`.

    Examples
    --------
    >>> from symdl.depth.regions import activation_regions_1d
    >>> activation_regions_1d(zigzag_network([3, 4]))
    20

    References
    ----------
    Serra, Tjandraatmadja, Ramalingam, ICML 2018 (arXiv:1711.02114): the construction attaining
    their bound for one input.
    """
    values = _check_widths(widths, at_least=3)
    layers = []
    coefficients: list[Fraction] = []  # the previous layer's fold g = d + Σ c_i h_i
    constant = Fraction(0)
    for l, n in enumerate(values):
        signs, fold_coefficients, fold_constant = zigzag_fold(n)
        if l == 0:  # σ(ε_j (x - j))
            W = [[Fraction(e)] for e in signs]
            b = [Fraction(-e * j) for j, e in enumerate(signs, start=1)]
        else:  # σ(ε_j (u - j)) with u = (n + 1) g of the previous layer
            W = [[e * (n + 1) * c for c in coefficients] for e in signs]
            b = [e * ((n + 1) * constant - j) for j, e in enumerate(signs, start=1)]
        layers.append(_dense(W, b, "relu"))
        coefficients, constant = fold_coefficients, fold_constant
    layers.append(_dense([coefficients], [constant], "identity"))
    return Network(layers)


def serra_upper_bound(widths: Sequence[int], n0: int) -> int:
    r"""Serra et al.'s upper bound on the regions of a ReLU network with ``n0`` inputs and
    hidden layers of the given ``widths``:

    .. math::

        \sum_{(j_1, \dots, j_L) \in J} \prod_{l=1}^{L} \binom{n_l}{j_l}, \qquad
        J = \{(j_l) : 0 \le j_l \le \min(n_0, n_1 - j_1, \dots, n_{l-1} - j_{l-1}, n_l)\}.

    A layer can add at most as many independent directions as the inputs, and no more than the
    previous layers left active: for one layer it is Zaslavsky's count.

    Examples
    --------
    >>> serra_upper_bound([4, 4], 2), serra_upper_bound([4], 2), serra_upper_bound([3, 3], 1)
    (121, 11, 16)

    References
    ----------
    Serra, Tjandraatmadja, Ramalingam, "Bounding and counting linear regions of deep neural
    networks", ICML 2018 (arXiv:1711.02114), Theorem 1.
    """
    _check_count(n0, "n0", at_least=1)
    values = _check_widths(widths)
    if len(values) > 12 or max(values) > 64:
        raise ValueError(
            f"widths={values}: at most 12 layers of at most 64 units (the sum runs over every "
            "admissible (j_1, …, j_L))"
        )

    def total(layer: int, room: int) -> int:
        # room = min(n_0, n_1 - j_1, …, n_{l-1} - j_{l-1}): how many j_l the layer may take
        if layer == len(values):
            return 1
        width = values[layer]
        return sum(
            comb(width, j) * total(layer + 1, min(room, width - j))
            for j in range(min(room, width) + 1)
        )

    return total(0, n0)
