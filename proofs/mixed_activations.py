r"""Backpropagation through layers whose neurons have their own activations.

A layer may give each neuron :math:`j` its own activation :math:`\sigma_j`:
:math:`a^l_j = \sigma^l_j(z^l_j)`.  The backward recursion keeps its form, with each neuron's
own derivative in the Hadamard product:

.. math::

    \begin{aligned}
    \delta^L_j &= \frac{\partial C}{\partial a^L_j}\, (\sigma^L_j)'(z^L_j) && \text{(BP1)} \\
    \delta^l_j &= \Bigl(\sum_k w^{l+1}_{kj} \delta^{l+1}_k\Bigr) (\sigma^l_j)'(z^l_j)
        && \text{(BP2)}
    \end{aligned}

since :math:`a^l_j` depends on :math:`z^l_j` alone.  Checked here, for networks whose layers
mix sigmoid, tanh, softplus, ReLU, leaky ReLU and the identity (symbolic weights), by
comparing each :math:`\delta^l_j` with the partial derivative of the loss written as a
function of :math:`z^l` (symbolic simplification; region by region of the kinks for the
piecewise-linear neurons).  The gradient equals :func:`sympy.diff` of the composed loss, and
the independent NumPy evaluator (each neuron's hand-written derivative applied to its own
column) agrees with the symbolic gradient evaluated exactly at rational points.

References: M. Nielsen, *Neural Networks and Deep Learning* (2015), ch. 2, equations
(BP1)–(BP4); D. E. Rumelhart, G. E. Hinton, R. J. Williams, "Learning representations by
back-propagating errors", Nature 323 (1986).
"""

from __future__ import annotations

import mpmath
import numpy as np
import sympy as sp

from symdl.backpropagation.reverse_mode import backprop
from symdl.backpropagation.verification import ErrorVerification
from symdl.core import numeric
from symdl.core.losses import LOSSES
from symdl.core.network import Network
from symdl.referee.verdict import DecisionMethod


def _exactly(report: ErrorVerification) -> None:
    failures = [str(check.name) for check in report.checks if not check.proved]
    assert report.holds, str(report)
    assert not failures, f"not proved symbolically: {failures}\n{report}"


def lemma_smooth_neurons_of_different_activations() -> None:
    """Sizes (2, 3, 2): sigmoid, tanh and softplus neurons, then tanh and identity outputs."""
    net = Network.mlp([2, 3, 2], [["sigmoid", "tanh", "softplus"], ["tanh", "identity"]])
    report = backprop(net, LOSSES["l2"]).verify()
    _exactly(report)
    assert len(report.checks) == 5  # one per neuron
    assert {check.method for check in report.checks} == {DecisionMethod.SYMBOLIC}


def lemma_piecewise_linear_neurons_beside_smooth_ones() -> None:
    """ReLU, identity and leaky ReLU neurons in one layer, a tanh output: the kinked neurons
    are proved region by region, and their convention stated."""
    net = Network.mlp([2, 3, 1], [["relu", "identity", "leaky_relu"], "tanh"])
    report = backprop(net, LOSSES["mse"]).verify()
    _exactly(report)
    assert len(report.checks) == 4
    assert report.conventions  # ReLU'(0) = 0 and its leaky version, named by neuron


def lemma_gradient_equals_differentiating_the_composed_loss() -> None:
    """BP3 and BP4 give sympy.diff of the composed loss for every parameter."""
    net = Network.mlp([2, 2, 1], [["tanh", "sigmoid"], "identity"])
    bp = backprop(net, LOSSES["mse"])
    cost = LOSSES["mse"](net.forward(), sp.Matrix(bp.targets))
    for parameter in net.parameters:
        difference = bp.partial(parameter, expanded=True) - sp.diff(cost, parameter)
        assert sp.simplify(difference.rewrite(sp.exp)) == 0, parameter


def lemma_numeric_evaluator_agrees_at_exact_points() -> None:
    """At rational inputs, targets and weights the symbolic gradient (evaluated exactly, then
    rounded to 30 digits) equals the NumPy backward pass to 1e-12, and the 50-digit mpmath
    forward pass equals the exact output to 1e-45."""
    sizes, acts = [2, 3, 2], [["sigmoid", "relu", "tanh"], ["identity", "softplus"]]
    net = Network.mlp(sizes, acts)
    loss = LOSSES["l2"]
    bp = backprop(net, loss)
    values = [sp.Rational(k - 7, 5) for k in range(len(net.parameters))]
    params = dict(zip(net.parameters, values, strict=True))
    for x, y in [((1, -2), (0, 1)), ((sp.Rational(1, 3), sp.Rational(5, 2)), (1, -1))]:
        point = {**params, **dict(zip(net.inputs, x, strict=True))}
        point.update(zip(bp.targets, y, strict=True))
        arrays = numeric.backward(net, [[float(v) for v in x]], [list(map(float, y))], loss, params)
        for l, (dW, db) in enumerate(arrays, start=1):
            symbolic_W = bp.weight_gradient(l)
            symbolic_b = bp.bias_gradient(l)
            for (j, k), value in np.ndenumerate(dW):
                exact = bp.expand(symbolic_W[j, k]).xreplace(point)
                assert abs(float(sp.N(exact, 30)) - value) <= 1e-12 * max(1.0, abs(value))
            for j, value in enumerate(db):
                exact = bp.expand(symbolic_b[j, 0]).xreplace(point)
                assert abs(float(sp.N(exact, 30)) - value) <= 1e-12 * max(1.0, abs(value))
        exact_net = net.substitute(params)
        output = exact_net.forward(x)
        high = numeric.forward_mp(exact_net, x, dps=50)
        for exact_value, mp_value in zip(output, high, strict=True):
            digits = mpmath.nstr(mp_value, 55)
            assert abs(sp.N(exact_value, 60) - sp.Float(digits, 60)) < sp.Float("1e-45")
