r"""XOR: no single perceptron computes it, a two-layer network does (Minsky and Papert).

A perceptron outputs :math:`H(w_1 x_1 + w_2 x_2 + b)`, its step firing at equality
(:math:`H(0) = 1`).  Computing XOR on :math:`\{0, 1\}^2` asks for

.. math::

    b < 0, \qquad w_1 + b \ge 0, \qquad w_2 + b \ge 0, \qquad w_1 + w_2 + b < 0.

These four inequalities are contradictory: the combination
:math:`(w_1 + b) + (w_2 + b) - b - (w_1 + w_2 + b)` is identically 0, yet its first two terms
are :math:`\ge 0` and its last two :math:`> 0`, so it would be :math:`> 0` (a Farkas
certificate, checked symbolically).  A network with one hidden layer and exact integer weights
computes XOR on all four inputs, both with step units (OR and AND, then "OR and not AND") and
with ReLU units (:math:`h_1 - 2h_2`).  Which convention the step follows matters: see the
proof ``lecture_conventions``.

References: M. Minsky and S. Papert, *Perceptrons* (1969); F. Rosenblatt, "The perceptron: a
probabilistic model for information storage and organization in the brain", Psychological
Review 65 (1958); I. Goodfellow, Y. Bengio, A. Courville, *Deep Learning* (2016), section 6.1.
"""

from __future__ import annotations

import itertools

import numpy as np
import sympy as sp

from symdl import Network, numeric

w1, w2, b = sp.symbols("w_1 w_2 b", real=True)
POINTS = [(0, 0), (0, 1), (1, 0), (1, 1)]


def xor(x1: int, x2: int) -> int:
    return (x1 + x2) % 2


def perceptron_conditions() -> list[sp.Rel]:
    """The inequality each input imposes: z >= 0 for output 1, z < 0 for output 0."""
    conditions = []
    for x1, x2 in POINTS:
        z = w1 * x1 + w2 * x2 + b
        conditions.append(z >= 0 if xor(x1, x2) else z < 0)
    return conditions


def lemma_no_perceptron_computes_xor() -> None:
    conditions = perceptron_conditions()
    # write each as  g_i >= 0  (non-strict) or  g_i > 0  (strict), with g_i linear
    parts = []
    for condition in conditions:
        if isinstance(condition, sp.GreaterThan):
            parts.append((condition.lhs - condition.rhs, False))
        else:  # z < 0  is  -z > 0
            parts.append((condition.rhs - condition.lhs, True))
    multipliers = [1, 1, 1, 1]
    combination = sp.expand(sum(m * g for m, (g, _) in zip(multipliers, parts, strict=True)))
    # the non-negative combination vanishes identically while one strict part carries a
    # positive multiplier: the system has no solution (Farkas / Motzkin)
    assert combination == 0
    assert any(strict and m > 0 for m, (_, strict) in zip(multipliers, parts, strict=True))
    assert all(m >= 0 for m in multipliers)


def lemma_no_small_integer_perceptron_computes_xor() -> None:
    # an independent, exhaustive check on a grid (not a proof; the certificate above is)
    grid = range(-4, 5)
    for v1, v2, c in itertools.product(grid, grid, grid):
        outputs = [int(v1 * x1 + v2 * x2 + c >= 0) for x1, x2 in POINTS]
        assert outputs != [xor(*p) for p in POINTS]


def xor_step_network() -> Network:
    """Hidden units OR = H(x1 + x2 - 1) and AND = H(x1 + x2 - 2); out = H(OR - AND - 1)."""
    return Network.mlp(
        [2, 2, 1],
        ["step", "step"],
        weights=[[[1, 1], [1, 1]], [[1, -1]]],
        biases=[[-1, -2], [-1]],
    )


def xor_relu_network() -> Network:
    """Hidden units h1 = ReLU(x1 + x2), h2 = ReLU(x1 + x2 - 1); out = h1 - 2 h2."""
    return Network.mlp(
        [2, 2, 1],
        ["relu", "identity"],
        weights=[[[1, 1], [1, 1]], [[1, -2]]],
        biases=[[0, -1], [0]],
    )


def lemma_two_layer_networks_compute_xor() -> None:
    for net in (xor_step_network(), xor_relu_network()):
        assert net.is_exact
        for point in POINTS:
            out = net.forward(point)[0]
            assert out == xor(*point)
            assert out.is_Integer
        # the independent evaluator agrees
        values = numeric.forward(net, np.array(POINTS, dtype=float))[:, 0]
        assert values.tolist() == [float(xor(*p)) for p in POINTS]
