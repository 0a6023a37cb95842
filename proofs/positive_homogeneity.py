r"""Positive homogeneity of bias-free ReLU networks.

For a bias-free network of depth :math:`L` whose activations commute with positive scaling
(ReLU, leaky ReLU, identity),

.. math::

    f(x; \alpha W_1, \dots, \alpha W_L) = \alpha^L f(x; W_1, \dots, W_L)
    \qquad \text{for every } \alpha > 0,

with symbolic weights and inputs.  The proof: the lemma
:math:`\sigma(\alpha z) = \alpha\,\sigma(z)` for :math:`\alpha > 0`, by cases on the sign of
:math:`z`, then induction over the layers (each layer's pre-activation is linear in its weights
and in its input).  With biases, with :math:`\alpha < 0`, or with a sigmoid, the identity
fails, and a witness shows it.

References: B. D. Haeffele and R. Vidal, "Global optimality in neural network training", CVPR
2017, section 2; R. Vidal, J. Bruna, R. Giryes, S. Soatto, "Mathematics of deep learning",
arXiv:1712.04741 (2017), section 4.
"""

from __future__ import annotations

import numpy as np
import sympy as sp

from symdl.core import numeric
from symdl.core.activations import get_activation
from symdl.core.network import Network
from symdl.optimization.landscape import factor_positive_scale, homogeneity_degree, scale_weights

alpha = sp.Symbol("alpha", positive=True)


def _bias_free(sizes: list[int], activations: list[str]) -> Network:
    return Network.mlp(sizes, activations, biases=[[0] * n for n in sizes[1:]])


def lemma_relu_commutes_with_positive_scaling() -> None:
    relu = get_activation("relu")
    positive = sp.Symbol("z", positive=True)
    nonpositive = sp.Symbol("z", nonpositive=True)
    for z in (positive, nonpositive):  # the two cases cover the real line
        assert relu(alpha * z) - alpha * relu(z) == 0
    leaky = get_activation("leaky_relu")
    for z in (positive, nonpositive):
        assert sp.simplify(leaky(alpha * z) - alpha * leaky(z)) == 0


def lemma_depth_three_relu_network() -> None:
    net = _bias_free([2, 3, 2, 1], ["relu", "relu", "identity"])
    L = homogeneity_degree(net)
    assert L == 3
    scaled = factor_positive_scale(scale_weights(net, alpha).forward()[0], alpha)
    assert sp.expand(scaled - alpha**L * net.forward()[0]) == 0


def lemma_leaky_relu_network_with_two_outputs() -> None:
    net = _bias_free([2, 2, 2], ["leaky_relu", "identity"])
    scaled = scale_weights(net, alpha).forward()
    for j in range(2):
        lhs = factor_positive_scale(scaled[j], alpha)
        assert sp.expand(lhs - alpha**2 * net.forward()[j]) == 0


def lemma_numeric_cross_check() -> None:
    # The independent NumPy evaluator on random weights and inputs.
    net = _bias_free([3, 4, 4, 2], ["relu", "relu", "identity"])
    rng = np.random.default_rng(7)
    X = rng.normal(size=(20, 3))
    values = dict(zip(net.parameters, rng.normal(size=len(net.parameters)), strict=True))
    for a in (0.3, 2.0, 7.5):
        scaled = {p: a * v for p, v in values.items()}
        assert np.allclose(numeric.forward(net, X, scaled), a**3 * numeric.forward(net, X, values))


def lemma_fails_with_biases_negative_scale_or_sigmoid() -> None:
    # Witnesses that the hypotheses matter.
    with_bias = Network.mlp(
        [1, 1, 1], ["relu", "identity"], weights=[[[1]], [[1]]], biases=[[1], [0]]
    )
    assert with_bias.forward([1])[0] == 2
    assert scale_weights(with_bias, 2).forward([1])[0] == 6  # not 2^2 * 2 = 8
    plain = Network.mlp([1, 1, 1], ["relu", "identity"], weights=[[[1]], [[1]]], biases=[[0], [0]])
    assert plain.forward([1])[0] == 1
    flipped = scale_weights(plain, -1)
    assert flipped.forward([1])[0] == 0  # (-1)^2 f(1) = 1, but relu(-1) = 0
    sigmoid = _bias_free([1, 1], ["sigmoid"])
    message = ""
    try:
        homogeneity_degree(sigmoid)
    except ValueError as error:
        message = str(error)
    assert "not positively homogeneous" in message
