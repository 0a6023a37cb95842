r"""What linear units cannot do: identity networks are affine, no perceptron cuts out a disk.

**Identity activations collapse.**  A network whose every layer is
:math:`a^{(l)} = W^{(l)} a^{(l-1)} + b^{(l)}` computes

.. math::

    a^{(L)} = W x + b, \qquad W = W^{(L)} \cdots W^{(1)}, \qquad
    b = \sum_{l=1}^{L} W^{(L)} \cdots W^{(l+1)} b^{(l)},

one affine map, whatever its depth: proved with symbolic weights for several shapes, so depth
adds nothing without a nonlinear activation.

**A disk is not a halfspace.**  A perceptron outputs :math:`H(w \cdot x + b)` with
:math:`H(0) = 1`.  Classifying the inside of the unit disk as 1 asks, at the centre
:math:`(0, 0)` and at the outside points :math:`(\pm 2, 0)`, for

.. math::

    b \ge 0, \qquad 2 w_1 + b < 0, \qquad -2 w_1 + b < 0 ,

and the non-negative combination :math:`2 \cdot b - (2 w_1 + b) - (-2 w_1 + b) = 0` of
quantities that would be :math:`\ge 0`, :math:`> 0`, :math:`> 0` is identically zero: the
system has no solution (a Farkas certificate, as for XOR).  The same certificate holds along
every diameter, so no perceptron separates any disk from its outside.

References: M. Minsky and S. Papert, *Perceptrons* (1969); I. Goodfellow, Y. Bengio and
A. Courville, *Deep Learning* (2016), section 6.1.
"""

from __future__ import annotations

import sympy as sp

from symdl.core.network import Network

w1, w2, b = sp.symbols("w_1 w_2 b", real=True)


def lemma_a_network_of_identity_units_is_one_affine_map() -> None:
    for sizes in ([2, 3, 1], [1, 2, 2, 1], [3, 2, 4, 2]):
        net = Network.mlp(sizes, "identity")
        output = net.forward()
        weights = [layer.W for layer in net.layers]
        biases = [layer.b for layer in net.layers]
        total_w = sp.eye(sizes[-1])
        total_b = sp.zeros(sizes[-1], 1)
        for W, bias in zip(reversed(weights), reversed(biases), strict=True):
            total_b += total_w * bias
            total_w = total_w * W
        x = sp.Matrix(net.inputs)
        assert sp.expand(output - (total_w * x + total_b)) == sp.zeros(sizes[-1], 1)
        for entry in output:  # affine: every second derivative in the inputs vanishes
            assert all(sp.diff(entry, u, v) == 0 for u in net.inputs for v in net.inputs)


def _certificate(points: list[tuple[sp.Expr, sp.Expr]], inside: list[bool]) -> None:
    """The Farkas certificate: multipliers 2, 1, 1 on b ≥ 0 and the two strict conditions."""
    parts = []
    for (p, q), label in zip(points, inside, strict=True):
        z = w1 * p + w2 * q + b
        parts.append((z, False) if label else (-z, True))  # z ≥ 0, or -z > 0
    multipliers = [2, 1, 1]
    combination = sp.expand(sum(m * g for m, (g, _) in zip(multipliers, parts, strict=True)))
    assert combination == 0
    assert all(m >= 0 for m in multipliers)
    assert any(strict and m > 0 for m, (_, strict) in zip(multipliers, parts, strict=True))


def lemma_no_perceptron_separates_the_unit_disk() -> None:
    _certificate(
        [(sp.S(0), sp.S(0)), (sp.S(2), sp.S(0)), (sp.S(-2), sp.S(0))], [True, False, False]
    )


def lemma_the_certificate_holds_along_every_diameter() -> None:
    theta = sp.Symbol("theta", real=True)
    c, s = sp.cos(theta), sp.sin(theta)
    assert sp.simplify((2 * c) ** 2 + (2 * s) ** 2 - 4) == 0  # both ends lie outside the disk
    _certificate([(sp.S(0), sp.S(0)), (2 * c, 2 * s), (-2 * c, -2 * s)], [True, False, False])
