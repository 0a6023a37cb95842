r"""A ReLU network with a spurious local minimum, where the linear network has none.

The data :math:`(x, y) = (1, 1)` and :math:`(-1, 2)`, the network
:math:`f(x) = v \operatorname{ReLU}(wx)` and the squared loss
:math:`R(w, v) = \sum_i \bigl(f(x_i) - y_i\bigr)^2`.  For :math:`w > 0` only the first example
is active and :math:`R = (vw - 1)^2 + 4`, so every point of the curve :math:`vw = 1`,
:math:`w > 0`, is a local minimum with :math:`R = 4`; the global minimum is :math:`R = 1` (at
:math:`vw = -2`, :math:`w < 0`).  At :math:`(w, v) = (1, 1)` the gradient is 0 and the Hessian
is :math:`\begin{pmatrix} 2 & 2 \\ 2 & 2 \end{pmatrix}` (eigenvalues 0 and 4).  The same data
with the identity activation give :math:`R = (p - 1)^2 + (p + 2)^2` with :math:`p = vw`: the
critical points are the curve :math:`p = -\tfrac12` (the global minimum,
:math:`R = \tfrac92`) and the origin, a saddle (Hessian eigenvalues :math:`-2` and 2): no
spurious minimum, as Baldi and Hornik predict.  The nonlinearity creates it, and gradient
descent started near :math:`(1, 1)` stays there.

References: R. Vidal, J. Bruna, R. Giryes, S. Soatto, "Mathematics of deep learning",
arXiv:1712.04741 (2017), section 3; P. Auer, M. Herbster, M. Warmuth, "Exponentially many
local minima for single neurons", NIPS 1995.
"""

from __future__ import annotations

import numpy as np
import sympy as sp

from symdl.core import numeric
from symdl.core.losses import LOSSES
from symdl.core.network import Network
from symdl.optimization.schedules import Constant
from symdl.optimization.stochastic_gradient import sgd_network

w, v = sp.symbols("w v", real=True)
DATA = ((1, 1), (-1, 2))


def _risk(activation: str) -> sp.Expr:
    net = Network.mlp(
        [1, 1, 1], [activation, "identity"], weights=[[[w]], [[v]]], biases=[[0], [0]]
    )
    return sum((net.forward([x])[0] - y) ** 2 for x, y in DATA)


def lemma_risk_on_the_region_w_positive() -> None:
    s = sp.Symbol("s", positive=True)  # w = s > 0
    risk = _risk("relu").subs(w, s)
    assert sp.expand(risk - ((v * s - 1) ** 2 + 4)) == 0


def lemma_spurious_point_is_a_local_minimum() -> None:
    s = sp.Symbol("s", positive=True)
    local = _risk("relu").subs(w, s)  # the risk on the open set w > 0
    point = {s: 1, v: 1}
    assert local.subs(point) == 4
    gradient = [sp.diff(local, x).subs(point) for x in (s, v)]
    assert gradient == [0, 0]
    hessian = sp.hessian(local, (s, v)).subs(point)
    assert hessian == sp.Matrix([[2, 2], [2, 2]])
    assert hessian.eigenvals() == {0: 1, 4: 1}
    # R - 4 = (v w - 1)^2 >= 0 on the whole open neighbourhood w > 0: a local minimum.
    assert sp.factor(local - 4) == (s * v - 1) ** 2


def lemma_global_minimum_is_lower() -> None:
    n = sp.Symbol("n", positive=True)  # w = -n < 0
    risk = _risk("relu").subs(w, -n)
    assert sp.expand(risk - (1 + (n * v - 2) ** 2)) == 0
    assert risk.subs({n: 1, v: 2}) == 1  # the global minimum R = 1 < 4


def lemma_linear_network_has_no_spurious_minimum() -> None:
    risk = _risk("identity")
    critical = sp.solve([sp.diff(risk, w), sp.diff(risk, v)], [w, v], dict=True)
    values = set()
    for point in critical:
        value = sp.simplify(risk.subs(point))
        values.add(value)
        if value != sp.Rational(9, 2):
            hessian = sp.hessian(risk, (w, v)).subs(point)
            assert point == {w: 0, v: 0}
            assert hessian.eigenvals() == {-2: 1, 2: 1}  # a saddle
    assert values == {sp.Rational(9, 2), 5}
    p = sp.Symbol("p", real=True)  # R depends on p = v w only, minimised at p = -1/2
    assert sp.expand(risk.subs(v, p / w) - ((p - 1) ** 2 + (p + 2) ** 2)) == 0
    assert sp.solve(sp.diff((p - 1) ** 2 + (p + 2) ** 2, p), p) == [-sp.S.Half]


def lemma_gradient_descent_is_trapped() -> None:
    # Full-batch gradient descent with the numeric backward pass: started near (1, 1) it stays
    # at R = 4 (mean loss 2); started at w < 0 it reaches the global minimum R = 1.
    net = Network.mlp([1, 1, 1], ["relu", "identity"], biases=[[0], [0]])
    X = np.array([[float(x)] for x, _ in DATA])
    Y = np.array([[float(y)] for _, y in DATA])
    mse = LOSSES["mse"]
    for start, expected in (((1.2, 0.7), 2.0), ((-0.5, 1.0), 0.5)):
        run = sgd_network(
            net,
            mse,
            X,
            Y,
            schedule=Constant(sp.Rational(1, 10)),
            steps=400,
            batch_size=2,
            start=np.array(start),
        )
        final = dict(zip(net.parameters, run.final, strict=True))
        assert abs(numeric.mean_loss(net, X, Y, mse, final) - expected) < 1e-9
