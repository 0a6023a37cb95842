r"""Where the lecture differs: two conventions of the perceptron, stated once.

A step unit fires at equality.  The lecture's perceptron outputs :math:`H(w \cdot x + b)` with
:math:`H(0) = 1`, so it fires when :math:`w \cdot x + b \ge 0`; symdl's ``step`` activation does
the same.  Other texts let a perceptron fire only when :math:`w \cdot x + b > 0` (Nielsen,
ch. 1, equations (1) and (2)).  Where :math:`w \cdot x + b = 0` the two conventions give
different functions: on :math:`\{0, 1\}^2` the unit :math:`H(x_1 + x_2 - 1)` is OR with the
first and AND with the second, and the two-layer XOR network of the proof ``xor`` computes the
constant 0 with the second.

The bias is the weight of a constant input.  The lecture's sequence view, as symdl's
``Network.sequence``, folds the bias into the weights as the weight of a constant input
:math:`x_0 = 1`: :math:`w \cdot x + b = \hat w \cdot (1, x)` with :math:`\hat w = (b, w)`.  The
threshold form :math:`w \cdot x \ge \theta` folds it as the weight :math:`\theta = -b` of a
constant input :math:`x_0 = -1`.  Both describe the same unit, but a weight vector copied from
one convention into the other flips the sign of its bias: :math:`\hat w = (-1, 1, 1)` computes
OR with :math:`x_0 = 1`, and fires on every input of :math:`\{0, 1\}^2` with :math:`x_0 = -1`.

References: F. Rosenblatt, "The perceptron: a probabilistic model for information storage and
organization in the brain", Psychological Review 65 (1958); M. Minsky and S. Papert,
*Perceptrons* (1969); M. Nielsen, *Neural Networks and Deep Learning* (2015), ch. 1,
equations (1) and (2).
"""

from __future__ import annotations

import itertools

import numpy as np
import sympy as sp
from symdl.proofs.xor import xor, xor_step_network

from symdl import ACTIVATIONS, Derivation, Network

POINTS = list(itertools.product((0, 1), repeat=2))


def strict_forward(net: Network, point: tuple[int, ...]) -> sp.Expr:
    """The output of a network of step units that fire only above 0, :math:`H(0) = 0`.

    Written from the network's weights, independently of its own forward pass.
    """
    a = sp.Matrix(point)
    for stage in net.sequence():
        a = (stage.affine * sp.Matrix.vstack(sp.Matrix([1]), a)).applyfunc(
            lambda z: sp.Heaviside(z, 0)
        )
    return a[0]


def unit(weights: tuple[int, int], bias: int) -> Network:
    """One step unit :math:`H(w_1 x_1 + w_2 x_2 + b)`."""
    return Network.mlp([2, 1], ["step"], weights=[[list(weights)]], biases=[[bias]])


def lemma_a_step_unit_fires_at_equality() -> None:
    step = ACTIVATIONS["step"]
    assert step(sp.Integer(0)) == 1
    assert step(sp.Rational(-1, 10**9)) == 0
    assert step.numpy(np.array([0.0]))[0] == 1.0


def lemma_the_convention_changes_the_function() -> None:
    either = unit((1, 1), -1)
    for point in POINTS:
        at_equality = either.forward(point)[0]
        above_only = strict_forward(either, point)
        assert at_equality == int(point[0] or point[1])  # OR
        assert above_only == int(point[0] and point[1])  # AND


def lemma_the_xor_network_needs_firing_at_equality() -> None:
    net = xor_step_network()
    assert [net.forward(point)[0] for point in POINTS] == [xor(*point) for point in POINTS]
    assert [strict_forward(net, point) for point in POINTS] == [0, 0, 0, 0]


def lemma_the_bias_as_a_constant_input() -> None:
    net = unit((1, 1), -1)
    (stage,) = net.sequence()
    folded = stage.affine  # (b, w): the weight of the constant input 1 first
    assert folded == sp.Matrix([[-1, 1, 1]])
    threshold = sp.Matrix([[-folded[0], *folded[1:]]])  # (θ, w) with θ = -b
    for point in POINTS:
        plus_one = (folded * sp.Matrix([1, *point]))[0]
        minus_one = (threshold * sp.Matrix([-1, *point]))[0]
        assert plus_one == minus_one == point[0] + point[1] - 1
        # the folded vector fed the other constant input fires everywhere
        assert (folded * sp.Matrix([-1, *point]))[0] >= 1


def derivation() -> Derivation:
    """The two conventions at the input :math:`x = (1, 0)`, computed."""
    d = Derivation(
        "The same weights under the two conventions, at $x = (1, 0)$",
        statement=(
            "$H_{\\ge}$ fires at equality ($H_{\\ge}(0) = 1$), $H_{>}$ only above 0 "
            "($H_{>}(0) = 0$); $f$ is the XOR network of the proof xor."
        ),
    )
    either, point = unit((1, 1), -1), (1, 0)
    d.add("H_{\\ge}(1 + 0 - 1)", either.forward(point)[0], "the unit $H(x_1 + x_2 - 1)$ is OR")
    d.add("H_{>}(1 + 0 - 1)", strict_forward(either, point), "the same unit is AND")
    d.add("f_{\\ge}(1, 0)", xor_step_network().forward(point)[0], "XOR, as it should")
    d.add("f_{>}(1, 0)", strict_forward(xor_step_network(), point), "the same weights: not XOR")
    (stage,) = either.sequence()
    d.add(
        "(-1, 1, 1) \\cdot (1, 0, 0)",
        (stage.affine * sp.Matrix([1, 0, 0]))[0],
        "bias folded with $x_0 = 1$: no firing at $(0, 0)$",
    )
    d.add(
        "(-1, 1, 1) \\cdot (-1, 0, 0)",
        (stage.affine * sp.Matrix([-1, 0, 0]))[0],
        "the same vector with $x_0 = -1$: it fires",
    )
    return d
