r"""Theorem 1.1 of Telgarsky (2015) in numbers: the alternating points, the classification
error, and the counting bounds that separate deep from shallow networks.

A network with :math:`l` layers of width :math:`m` computes at most :math:`(2m)^l` affine
pieces on the line; a function with :math:`t` pieces misclassifies at least
:math:`(n - 4t)/(3n)` of the :math:`n = 2^k` alternating points :math:`(i/2^k, i \bmod 2)`;
so for :math:`m \le 2^{(k-3)/l - 1}` its error is at least :math:`1/6`, while the sawtooth
network of :mod:`symdl.depth.telgarsky` (depth :math:`O(k)`) has error 0.

References
----------
Telgarsky, "Representation benefits of deep feedforward networks", arXiv:1509.08101, 2015:
Theorem 1.1 and Lemmas 2.1–2.3 (piece counts and the error of a t-piece function).
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from symdl.depth.piecewise import PiecewiseLinear
from symdl.depth.rational_arrays import RationalArray

__all__ = [
    "alternating_points",
    "classification_error",
    "error_lower_bound",
    "piece_bound",
    "require_count",
    "shallow_error_bound",
    "width_limit",
]

HALF = Fraction(1, 2)


def require_count(k: int, *, low: int = 1, name: str = "k") -> None:
    """Refuse anything but an integer ``>= low`` (a depth, a width, a number of points)."""
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or k < low:
        raise ValueError(f"{name}={k!r} must be an integer >= {low}")


def alternating_points(k: int) -> tuple[RationalArray, np.ndarray]:
    r"""The :math:`n = 2^k` points :math:`x_i = i/2^k` and labels :math:`y_i = i \bmod 2`.

    Examples
    --------
    >>> points, labels = alternating_points(2)
    >>> [str(x) for x in points.to_fractions()], labels.tolist()
    (['0', '1/4', '1/2', '3/4'], [0, 1, 0, 1])

    References
    ----------
    Telgarsky, "Representation benefits of deep feedforward networks", arXiv:1509.08101, 2015,
    Theorem 1.1 (the points :math:`x_i = i/2^k` with labels :math:`y_i = i \bmod 2`).
    """
    require_count(k)
    n = 2**k
    i = np.arange(n, dtype=object)
    den = np.empty(n, dtype=object)
    den[:] = n
    return RationalArray(i, den).reduced(), np.arange(n) % 2


def classification_error(f: PiecewiseLinear, k: int) -> Fraction:
    r"""The exact fraction of the alternating points that :math:`1[f(x) \ge \frac12]` gets wrong.

    Examples
    --------
    >>> from symdl.depth.telgarsky import sawtooth, tent_map
    >>> classification_error(sawtooth(6), 6), classification_error(tent_map(), 6)
    (Fraction(0, 1), Fraction(33, 64))

    References
    ----------
    Telgarsky, "Representation benefits of deep feedforward networks", arXiv:1509.08101, 2015,
    Theorem 1.1 (the classifier :math:`1[f(x) \ge \frac12]` and its error).
    """
    points, labels = alternating_points(k)
    values = f.values(points)
    predicted = ~values.less(HALF)
    return Fraction(int(np.count_nonzero(predicted != labels.astype(bool))), len(labels))


def width_limit(k: int, layers: int) -> int:
    r"""The largest width :math:`m \ge 0` with :math:`m \le 2^{(k-3)/l - 1}` (exact).

    :math:`m \le 2^{(k-3)/l - 1} \iff m^l \le 2^{k - 3 - l}`, an integer comparison.

    Examples
    --------
    >>> width_limit(10, 1), width_limit(10, 2), width_limit(5, 3)
    (64, 5, 0)

    References
    ----------
    Telgarsky, "Representation benefits of deep feedforward networks", arXiv:1509.08101, 2015,
    Theorem 1.1 (the width condition).
    """
    require_count(k)
    require_count(layers)
    if k - 3 - layers < 0:
        return 0
    target = 2 ** (k - 3 - layers)
    width = round(target ** (1 / layers))
    while width**layers > target:
        width -= 1
    while (width + 1) ** layers <= target:
        width += 1
    return width


def piece_bound(width: int, layers: int) -> int:
    r""":math:`(2m)^l`: pieces of a network with :math:`l` ReLU layers of width :math:`\le m`
    and an affine output (Telgarsky 2015, proof of Theorem 1.1).

    A sum of an :math:`s`- and a :math:`t`-piece function has at most :math:`s + t` pieces
    and a composition at most :math:`st`, so each layer multiplies the count by at most
    :math:`2m`.

    Examples
    --------
    >>> piece_bound(5, 2), piece_bound(64, 1)
    (100, 128)

    References
    ----------
    Telgarsky, "Representation benefits of deep feedforward networks", arXiv:1509.08101, 2015,
    proof of Theorem 1.1.
    """
    require_count(width, name="width")
    require_count(layers, name="layers")
    return (2 * width) ** layers


def error_lower_bound(pieces: int, n: int) -> Fraction:
    r""":math:`(n - 4t)/(3n)`: a :math:`t`-piece function errs on at least this fraction of
    the :math:`n` alternating points (Telgarsky 2015, proof of Theorem 1.1).

    Negative when :math:`t > n/4`: then the bound says nothing.

    Examples
    --------
    >>> error_lower_bound(128, 1024), error_lower_bound(256, 1024)
    (Fraction(1, 6), Fraction(0, 1))

    References
    ----------
    Telgarsky, "Representation benefits of deep feedforward networks", arXiv:1509.08101, 2015,
    proof of Theorem 1.1.
    """
    require_count(pieces, name="pieces")
    require_count(n, name="n")
    return Fraction(n - 4 * pieces, 3 * n)


def shallow_error_bound(k: int, layers: int, width: int) -> Fraction:
    r"""The error bound for width ``width`` and ``layers`` layers: :math:`(n - 4(2m)^l)/(3n)`.

    Within the width limit it is at least :math:`\frac16`.

    Examples
    --------
    >>> shallow_error_bound(10, 2, width_limit(10, 2)) >= Fraction(1, 6)
    True

    References
    ----------
    Telgarsky, "Representation benefits of deep feedforward networks", arXiv:1509.08101, 2015,
    Theorem 1.1 (error at least 1/6).
    """
    return error_lower_bound(piece_bound(width, layers), 2**k)
