r"""Information bottleneck: a quantized layer keeps at most what the input says about the label.

Take :math:`X` uniform on the eight inputs :math:`x = k/8`, a label :math:`Y \in \{0, 1\}`
with :math:`P(Y = 1 \mid x)` equal to :math:`0, \tfrac18, \tfrac18, \tfrac14, \tfrac34,
\tfrac78, \tfrac78, 1`, and the hidden layer :math:`h(x) = \mathrm{ReLU}(2x - \tfrac12,\,
\tfrac32 - 2x)` quantized into :math:`n` equal bins of :math:`[0, \tfrac32]`: a
representation :math:`T = \varphi(X)`.  With rational probabilities every mutual information
is a finite sum of rational multiples of logarithms, computed exactly; for instance

.. math::

    I(X;Y) = \tfrac{7}{16} \log_2 7 + \tfrac{3}{16} \log_2 3 - 1 ,

and, for two bins, :math:`I(X;T) = H(T) = 2 - \tfrac38 \log_2 3`.

The data-processing inequality :math:`I(X;Y) \ge I(T;Y)` holds for every quantization, by
grouping the sum over the inputs of each bin:

.. math::

    I(X;Y) - I(T;Y) = \sum_t \sum_{x:\ \varphi(x) = t} p(x)\,
        D\bigl(p(\cdot \mid x) \,\big\|\, p(\cdot \mid t)\bigr) \ge 0 ,

an identity checked exactly (a sum of logarithms of rationals is zero exactly when its
exponents on the primes are), with the sign of each relative entropy decided exactly; the
grouping identity itself is proved with symbolic probabilities.  A finer quantization (a
refinement of the bins) keeps at least as much about :math:`Y`, and twelve bins separate the
inputs and lose nothing: :math:`I(T;Y) = I(X;Y)` at :math:`I(X;T) = 3` bits.

References: N. Tishby, F. C. Pereira and W. Bialek, "The information bottleneck method",
Allerton Conference 1999; R. Shwartz-Ziv and N. Tishby, "Opening the black box of deep
neural networks via information", 2017; T. M. Cover and J. A. Thomas, *Elements of
Information Theory*, Theorems 2.7.1 and 2.8.1.
"""

from __future__ import annotations

import functools
import itertools

import sympy as sp
from matplotlib.figure import Figure

from symdl.core.network import Network
from symdl.optimization.information_bottleneck import (
    InformationPlanePoint,
    data_processing_certificate,
    exact_log_sign,
    hidden_layer_labels,
    information_plane_figure,
    information_plane_point,
)

R = sp.Rational
LABEL_ONE = [0, R(1, 8), R(1, 8), R(1, 4), R(3, 4), R(7, 8), R(7, 8), 1]  # P(Y = 1 | x)
JOINT = [[R(1, 8) * (1 - q), R(1, 8) * q] for q in LABEL_ONE]
INPUTS = [[R(k, 8)] for k in range(8)]
LAYER = Network.mlp([1, 2], "relu", weights=[[[2], [-2]]], biases=[[R(-1, 2), R(3, 2)]])
BINS = (1, 2, 3, 4, 6, 12)
log2 = sp.log(2)


def _labels(bins: int) -> tuple[tuple[int, ...], ...]:
    return hidden_layer_labels(LAYER, INPUTS, bins=bins, low=0, high=R(3, 2))


@functools.cache
def _points() -> dict[int, InformationPlanePoint]:
    return {bins: information_plane_point(JOINT, _labels(bins)) for bins in BINS}


def lemma_the_mutual_informations_are_exact() -> None:
    points = _points()
    # H(Y) = 1, H(Y|X) = h(1/8)/2 + h(1/4)/4 with h(1/8) = 3 - 7/8 log₂7, h(1/4) = 2 - 3/4 log₂3
    i_xy = R(7, 16) * sp.log(7) / log2 + R(3, 16) * sp.log(3) / log2 - 1
    assert all(exact_log_sign(p.i_xy - i_xy) == 0 for p in points.values())
    # two bins: T takes the values of probability 1/2, 1/8, 3/8
    assert _labels(2) == ((0, 1),) * 4 + ((0, 0),) + ((1, 0),) * 3
    assert exact_log_sign(points[2].i_xt - (2 - R(3, 8) * sp.log(3) / log2)) == 0
    assert points[1].i_xt == 0
    assert points[1].i_ty == 0
    assert points[12].i_xt == 3  # eight equally likely values of T


def lemma_the_grouping_identity() -> None:
    # two inputs merged into one t, with symbolic positive probabilities p(x, y)
    a, b, c, d = sp.symbols("a b c d", positive=True)  # p(x1, 0), p(x1, 1), p(x2, 0), p(x2, 1)
    py = {0: a + c, 1: b + d}
    px = {1: a + b, 2: c + d}
    cells = {(1, 0): a, (1, 1): b, (2, 0): c, (2, 1): d}
    pt = px[1] + px[2]
    inputs = sum(p * sp.log(p / (px[x] * py[y])) for (x, y), p in cells.items())
    merged = sum(py[y] * sp.log(py[y] / (pt * py[y])) for y in (0, 1))
    divergences = sum(p * sp.log((p / px[x]) / (py[y] / pt)) for (x, y), p in cells.items())
    assert sp.simplify(sp.expand_log(inputs - merged - divergences, force=True)) == 0


def lemma_the_data_processing_inequality_holds_for_every_quantization() -> None:
    for bins in BINS:
        proof = data_processing_certificate(JOINT, _labels(bins))
        assert proof.identity
        assert proof.holds
        assert all(sign >= 0 for sign in proof.term_signs)
        assert exact_log_sign(proof.i_xy - proof.i_ty) >= 0
        point = _points()[bins]
        assert exact_log_sign(point.i_xt - point.i_ty) >= 0  # I(T;Y) ≤ H(T) too
    assert data_processing_certificate(JOINT, _labels(2)).term_signs.count(1) == 5


def lemma_a_refinement_keeps_at_least_as_much_about_the_label() -> None:
    points = _points()
    for chain in ((1, 2, 4, 12), (1, 3, 6, 12)):
        for coarse, fine in itertools.pairwise(chain):
            # each bin of the coarse quantization is a union of bins of the fine one
            coarse_of = dict(zip(_labels(fine), _labels(coarse), strict=True))
            assert all(
                coarse_of[f] == c for f, c in zip(_labels(fine), _labels(coarse), strict=True)
            )
            assert exact_log_sign(points[fine].i_ty - points[coarse].i_ty) >= 0
            assert exact_log_sign(points[fine].i_xt - points[coarse].i_xt) > 0


def lemma_twelve_bins_lose_nothing() -> None:
    proof = data_processing_certificate(JOINT, _labels(12))
    assert len(set(_labels(12))) == 8
    assert proof.lossless
    assert exact_log_sign(proof.i_xy - proof.i_ty) == 0


def figures() -> dict[str, Figure]:
    """The information plane of the quantized layer, for 1, 2, 3, 4, 6 and 12 bins."""
    points = _points()
    return {
        "information_plane": information_plane_figure(
            [points[b] for b in BINS], names=[f"{b} bin" + ("s" if b > 1 else "") for b in BINS]
        )
    }
