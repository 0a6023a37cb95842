r"""Activation maximization: the best input of norm at most r for a monotone unit points along w.

For a unit :math:`\sigma(w \cdot x + b)` with :math:`w \ne 0` and :math:`\sigma`
non-decreasing, the input of norm at most :math:`r` that maximizes it is

.. math::

    x^* = r\, \frac{w}{\|w\|}, \qquad \max_{\|x\| \le r} \sigma(w \cdot x + b)
        = \sigma(r \|w\| + b),

by the Cauchy–Schwarz inequality :math:`w \cdot x \le \|w\|\,\|x\|`, whose gap is a sum of
squares (Lagrange's identity)

.. math::

    \|w\|^2 \|x\|^2 - (w \cdot x)^2 = \sum_{i < j} (w_i x_j - w_j x_i)^2 ,

zero exactly when :math:`x` is parallel to :math:`w`.  For a unit of a small ReLU network,
projected gradient ascent is run exactly: every iterate is a rational point of the ball (a
projection onto the sphere is a rational point on it, certified close to the Euclidean
projection), every value a lower bound of the maximum, and the ascent ends at an exact
maximiser :math:`r v/\|v\|` of the linear piece :math:`v \cdot x + c` it settles on, certified
a strict local maximum by lying strictly inside that piece's region.  On one unit the ascent
finds the closed form; on a network with two local maxima, two starts find both.

References: D. Erhan, Y. Bengio, A. Courville and P. Vincent, "Visualizing higher-layer
features of a deep network", Université de Montréal, 2009; K. Simonyan, A. Vedaldi and
A. Zisserman, "Deep inside convolutional networks", ICLR Workshop 2014.
"""

from __future__ import annotations

import functools
import itertools

import sympy as sp
from matplotlib.figure import Figure

from symdl.core.network import Network
from symdl.optimization.activation_maximization import (
    AscentRun,
    activation_ascent,
    activation_ascent_figure,
    maximizing_input,
)

R = sp.Rational
# a^{(2)}_1 = ReLU(2x₁ - x₂) + 3/2 ReLU(2x₂ - x₁) - 2 ReLU(x₁ + x₂ - 1/2): two local maxima
# on the unit disk, at (2, -1)/√5 and (-1, 2)/√5, of values √5 and 3√5/2
NETWORK = Network.mlp(
    [2, 3, 1],
    ["relu", "identity"],
    weights=[[[2, -1], [-1, 2], [1, 1]], [[1, R(3, 2), -2]]],
    biases=[[0, 0, R(-1, 2)], [0]],
)
STARTS = ([R(1, 2), R(-1, 3)], [R(-1, 2), R(1, 5)])


@functools.cache
def _runs() -> tuple[AscentRun, ...]:
    return tuple(activation_ascent(NETWORK, s, radius=1, step=R(1, 4)) for s in STARTS)


def lemma_lagrange_identity_gives_cauchy_schwarz() -> None:
    for d in (2, 3):
        w = sp.symbols(f"w_1:{d + 1}", real=True)
        x = sp.symbols(f"x_1:{d + 1}", real=True)
        norms = sum(v**2 for v in w) * sum(v**2 for v in x)
        dot = sum(a * b for a, b in zip(w, x, strict=True))
        squares = sum(
            (w[i] * x[j] - w[j] * x[i]) ** 2 for i, j in itertools.combinations(range(d), 2)
        )
        assert sp.expand(norms - dot**2 - squares) == 0
        # every square vanishes on x = t w: equality exactly on the ray of w
        t = sp.Symbol("t", positive=True)
        assert sp.expand(squares.subs(dict(zip(x, (t * v for v in w), strict=True)))) == 0


def lemma_the_closed_form_maximizer() -> None:
    w1, w2 = sp.symbols("w_1 w_2", positive=True)
    r = sp.Symbol("r", positive=True)
    best = maximizing_input([w1, -w2], radius=r)  # a linear unit
    x = best.maximizer
    assert sp.simplify(x[0] ** 2 + x[1] ** 2 - r**2) == 0  # on the sphere
    assert sp.simplify(w1 * x[0] - w2 * x[1] - r * sp.sqrt(w1**2 + w2**2)) == 0  # w·x* = r|w|
    assert best.unique
    relu = maximizing_input([3, 4], radius=2, bias=-1, activation="relu")
    assert relu.maximizer == sp.Matrix([R(6, 5), R(8, 5)])
    assert relu.maximum == 9  # ReLU(2·5 - 1)
    assert relu.unique
    dead = maximizing_input([3, 4], radius=2, bias=-10, activation="relu")
    assert dead.maximum == 0  # 2·5 - 10 = 0: the whole ball gives 0
    assert not dead.unique
    sigmoid = maximizing_input([1, 2, 2], radius=R(3, 2), activation="sigmoid")
    assert sigmoid.maximizer == sp.Matrix([R(1, 2), 1, 1])  # |w| = 3
    assert sigmoid.pre_activation == R(9, 2)
    assert sigmoid.unique


def lemma_the_ascent_finds_the_closed_form_on_one_unit() -> None:
    for weights, bias, radius in (([3, 4], -1, 2), ([1, 2, 2], R(1, 2), R(3, 2))):
        unit = Network.mlp([len(weights), 1], "relu", weights=[[weights]], biases=[[bias]])
        start = [R(1, 2)] + [0] * (len(weights) - 1)  # where the unit is active
        run = activation_ascent(unit, start, radius=radius, step=R(1, 10))
        best = maximizing_input(weights, radius=radius, bias=bias, activation="relu")
        assert run.certified
        assert run.maximizer == best.maximizer
        assert run.maximum == best.maximum


def lemma_every_iterate_is_a_rational_point_of_the_ball_and_a_lower_bound() -> None:
    for run in _runs():
        assert run.certified
        assert run.maximum is not None
        on_sphere = 0
        for point, value in zip(run.path, run.values, strict=True):
            assert all(v.is_Rational for v in point)
            norm = sum(v**2 for v in point)
            assert norm <= 1
            on_sphere += norm == 1
            assert NETWORK.forward(list(point))[0] == value
            assert bool(value <= run.maximum)
        assert on_sphere > 0  # the projections land exactly on the sphere


def lemma_two_starts_find_the_two_local_maxima() -> None:
    first, second = _runs()
    assert first.maximizer == sp.Matrix([2, -1]) / sp.sqrt(5)
    assert first.maximum == sp.sqrt(5)
    assert second.maximizer == sp.Matrix([-1, 2]) / sp.sqrt(5)
    assert second.maximum == 3 * sp.sqrt(5) / 2
    for run in (first, second):
        assert run.maximizer is not None
        # the network's own expression (with Max) at the exact maximiser gives the maximum
        assert sp.simplify(NETWORK.forward(list(run.maximizer))[0] - run.maximum) == 0


def figures() -> dict[str, Figure]:
    """Two ascents on one unit of a ReLU network, ending at its two local maxima."""
    return {"activation_maximization": activation_ascent_figure(list(_runs()))}
