r"""Where the lecture differs: Telgarsky's bound on shallow networks.

The lecture states the shallow half of Telgarsky's theorem as: on the :math:`n = 2^k` points
:math:`(i/2^k, i \bmod 2)`, every network with :math:`l` layers of width below
:math:`2^{(n-k)/l - 1}` errs on more than a fraction
:math:`\tfrac12 - \frac{1}{3 \cdot 2^{k-1}}` of them; and it builds the deep network with
:math:`2^k` hidden layers.  Telgarsky's Theorem 1.1 allows only the widths
:math:`m \le 2^{(k-3)/l - 1}`, proves an error of at least :math:`\tfrac16` for them, and his
deep network has 2 ReLUs in each of :math:`2k` layers: the lecture's ":math:`2^k` hidden
layers" should read :math:`2k`.

Computed here, exactly, at :math:`k = 4` (16 points) and one hidden layer: the lecture's limit
is :math:`2^{(16 - 4)/1 - 1} = 2048`, so it covers width 16; and the width-16 network

.. math::

    f(x) = 16 \operatorname{ReLU}(x)
    + \sum_{j=1}^{14} (-1)^j\, 32 \operatorname{ReLU}\bigl(x - \tfrac{j}{16}\bigr)
    - 16 \operatorname{ReLU}\bigl(x - \tfrac{15}{16}\bigr)

interpolates the points, :math:`f(i/16) = i \bmod 2`, so its error is 0, not above
:math:`\tfrac12 - \tfrac{1}{24} = \tfrac{11}{24}`.  Telgarsky's limit at :math:`k = 4`,
:math:`l = 1` is width 1: at most :math:`(2m)^l = 2 \le 2^k/8` pieces, an error of at least
:math:`\tfrac16`.  For every :math:`k` the deep network has :math:`2k` layers.

References: M. Telgarsky, "Representation benefits of deep feedforward networks",
arXiv:1509.08101 (2015), Theorem 1.1 (the width condition, the error :math:`\tfrac16`, and the
deep networks with 2 nodes in each of :math:`2k` layers) and its proof.
"""

from __future__ import annotations

from fractions import Fraction

import sympy as sp

from symdl import Derivation, Network, PiecewiseLinear
from symdl.depth.separation_bounds import (
    classification_error,
    error_lower_bound,
    piece_bound,
    shallow_error_bound,
    width_limit,
)
from symdl.depth.telgarsky import TentForm, network_size, sawtooth_network

K = 4
POINTS = 2**K
LAYERS = 1


def lecture_width_limit(n: int, k: int, layers: int) -> sp.Expr:
    """The lecture's width limit :math:`2^{(n-k)/l - 1}`, exactly."""
    return sp.Integer(2) ** (sp.Rational(n - k, layers) - 1)


def lecture_error_claim(k: int) -> sp.Rational:
    r"""The error the lecture claims: :math:`\frac12 - \frac{1}{3 \cdot 2^{k-1}}`."""
    return sp.S.Half - sp.Rational(1, 3 * 2 ** (k - 1))


def interpolant(k: int = K) -> Network:
    r"""One hidden layer of :math:`2^k` ReLUs through the points :math:`(i/2^k, i \bmod 2)`.

    The unit at :math:`j/2^k` changes the slope by :math:`(-1)^j\,2^{k+1}` (by :math:`2^k` at
    the first and the last point), so the slope alternates between :math:`\pm 2^k`.
    """
    n = 2**k
    outer = [n] + [(-1) ** j * 2 * n for j in range(1, n - 1)] + [-n]
    return Network.mlp(
        [1, n, 1],
        ["relu", "identity"],
        weights=[[[1]] * n, [outer]],
        biases=[[sp.Rational(-j, n) for j in range(n)], [0]],
    )


def lemma_the_lecture_limit_admits_width_16() -> None:
    limit = lecture_width_limit(POINTS, K, LAYERS)
    assert limit == 2048
    assert interpolant().layers[0].W.shape == (16, 1)
    assert limit > 16


def lemma_the_width_16_interpolant_has_error_zero() -> None:
    net = interpolant()
    # the network's exact values at the points, one by one
    for i in range(POINTS):
        assert net.forward([sp.Rational(i, POINTS)])[0] == i % 2
    # and the error of its classifier, read from its pieces
    f = PiecewiseLinear.from_network(net)
    assert classification_error(f, K) == 0
    assert lecture_error_claim(K) == sp.Rational(11, 24)
    assert classification_error(f, K) < lecture_error_claim(K)


def lemma_telgarsky_limit_at_k_4_is_width_1() -> None:
    assert width_limit(K, LAYERS) == 1
    assert piece_bound(1, LAYERS) == 2 == 2**K // 8
    assert error_lower_bound(2, POINTS) == Fraction(1, 6)
    assert shallow_error_bound(K, LAYERS, 1) == Fraction(1, 6)
    # width 16 is far outside Telgarsky's condition: his theorem says nothing about it
    assert piece_bound(16, LAYERS) > 2**K // 8


def lemma_the_deep_network_has_2k_layers() -> None:
    for k in range(1, 11):
        size = network_size(k, form=TentForm.TELGARSKY)
        assert size.layers == 2 * k
        assert size.widths == (2, 1) * k
        assert len(sawtooth_network(k, form=TentForm.TELGARSKY).layers) == 2 * k
    assert network_size(K).layers == 8 != 2**K


def derivation() -> Derivation:
    """The lecture's numbers and Telgarsky's at k = 4, computed."""
    f = PiecewiseLinear.from_network(interpolant())
    d = Derivation(
        "The shallow bound at $k = 4$ with one hidden layer",
        statement="On the $n = 16$ points $(i/16, i \\bmod 2)$, computed exactly.",
    )
    d.add(
        "2^{(n-k)/l - 1}",
        lecture_width_limit(POINTS, K, LAYERS),
        "the lecture's width limit: it covers width 16",
    )
    d.add(
        "\\tfrac12 - \\frac{1}{3 \\cdot 2^{k-1}}",
        lecture_error_claim(K),
        "the error the lecture claims below its limit",
    )
    d.add(
        "\\text{error of the width-16 interpolant}",
        sp.Rational(classification_error(f, K)),
        "computed exactly from its weights",
    )
    d.add(
        "2^{(k-3)/l - 1}",
        sp.Integer(width_limit(K, LAYERS)),
        "Telgarsky's width limit (Theorem 1.1)",
    )
    d.add(
        "\\frac{n - 4t}{3n}",
        sp.Rational(shallow_error_bound(K, LAYERS, width_limit(K, LAYERS))),
        "his error bound, with $t = (2m)^l = 2$ pieces",
    )
    d.add(
        "\\text{layers of the deep network}",
        sp.Integer(network_size(K).layers),
        "$2k$, not $2^k = 16$",
    )
    return d
