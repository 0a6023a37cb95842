r"""Backpropagation derives the error on every neuron, for concrete networks, exactly.

For a network :math:`z^l = W^l a^{l-1} + b^l`, :math:`a^l = \sigma_l(z^l)` and a loss
:math:`C(a^L, y)`, the backward recursion

.. math::

    \begin{aligned}
    \delta^L &= \nabla_a C \odot \sigma_L'(z^L) && \text{(BP1)} \\
    \delta^l &= \bigl((W^{l+1})^T \delta^{l+1}\bigr) \odot \sigma_l'(z^l) && \text{(BP2)}
    \end{aligned}

gives, for every layer :math:`l` and neuron :math:`j`,
:math:`\delta^l_j = \partial C/\partial z^l_j`; then BP3 and BP4 give
:math:`\partial C/\partial b^l_j = \delta^l_j` and
:math:`\partial C/\partial w^l_{jk} = \delta^l_j a^{l-1}_k`.  Checked here for networks of
several shapes and activations with symbolic weights (sigmoid, tanh, softplus, ReLU, leaky
ReLU, step, ELU; softmax and maxout layers; rational weights): each :math:`\delta` computed by
the recursion is compared with the partial derivative of the loss written as a function of
:math:`z^l` through the network's own layer maps, by symbolic simplification of the
difference.  For the piecewise-linear networks the partial derivative takes the convention
:math:`\operatorname{ReLU}'(0) = 0` at the kinks, where the derivative does not exist, as
backpropagation does; the difference then simplifies to 0 as a whole, or region by region
(every sign pattern of the kinks substituted and each branch simplified to 0).  Agreement at
sample points is never counted as a proof here.  The gradients also agree with
differentiating the composed loss, and with an independent NumPy backward pass and finite
differences.

References: D. E. Rumelhart, G. E. Hinton, R. J. Williams, "Learning representations by
back-propagating errors", Nature 323 (1986); M. Nielsen, *Neural Networks and Deep Learning*
(2015), ch. 2, equations (BP1)–(BP4) and their proof.
"""

from __future__ import annotations

import sympy as sp

from symdl import (
    ACTIVATIONS,
    LOSSES,
    Dense,
    Derivation,
    Maxout,
    Network,
    backprop,
    check_gradients,
)
from symdl.backpropagation.verification import ErrorVerification
from symdl.referee.verdict import DecisionMethod


def _exactly(report: ErrorVerification) -> None:
    failures = [str(check.name) for check in report.checks if not check.proved]
    assert report.holds, str(report)
    assert not failures, f"not proved symbolically: {failures}\n{report}"


def lemma_two_layer_sigmoid_network() -> None:
    """Sizes (2, 3, 1), sigmoid then identity, mean squared error: by simplification."""
    report = backprop(Network.mlp([2, 3, 1], ["sigmoid", "identity"]), LOSSES["mse"]).verify()
    _exactly(report)
    assert {check.method for check in report.checks} == {DecisionMethod.SYMBOLIC}
    assert len(report.checks) == 4


def lemma_three_layer_smooth_networks() -> None:
    """Sizes (2, 2, 2, 2) with tanh, softplus and sigmoid layers, squared error."""
    net = Network.mlp([2, 2, 2, 2], ["tanh", "softplus", "sigmoid"])
    report = backprop(net, LOSSES["l2"]).verify()
    _exactly(report)
    assert len(report.checks) == 6


def lemma_piecewise_linear_networks() -> None:
    """ReLU, leaky ReLU and step networks: proved symbolically, the kinks included."""
    for hidden in ("relu", "leaky_relu", "step"):
        net = Network.mlp([2, 2, 2, 1], [hidden, hidden, "identity"])
        report = backprop(net, LOSSES["mse"]).verify()
        _exactly(report)
        hidden_checks = [c for c in report.checks if c.layer < 3]
        symbolic = (DecisionMethod.SYMBOLIC, DecisionMethod.SYMBOLIC_REGIONS)
        assert all(c.method in symbolic for c in hidden_checks), hidden
        assert report.conventions  # the convention at the kink is stated


def lemma_softmax_and_maxout_layers() -> None:
    """A softmax output layer (squared error of its probabilities) and a maxout layer (first
    maximal piece at ties)."""
    softmax_net = Network.mlp([2, 2, 3], ["elu", "softmax"])
    _exactly(backprop(softmax_net, LOSSES["l2"]).verify())
    w = [[sp.Symbol(f"v_{{{p}{j}{k}}}", real=True) for k in (1, 2)] for p in (1, 2) for j in (1, 2)]
    pieces = (sp.Matrix(w[0:2]), sp.Matrix(w[2:4]))
    biases = (sp.Matrix([1, 0]), sp.Matrix([0, sp.Rational(1, 2)]))
    head = Dense(sp.Matrix([[2, -1]]), sp.Matrix([0]), ACTIVATIONS["identity"])
    _exactly(backprop(Network([Maxout(pieces, biases), head]), LOSSES["mse"]).verify())


def lemma_rational_weights() -> None:
    """Exact rational weights, symbolic inputs: every δ is exact in x and y."""
    net = Network.mlp(
        [2, 2, 1],
        ["tanh", "sigmoid"],
        weights=[[[1, -2], [sp.Rational(1, 3), 1]], [[3, sp.Rational(-1, 2)]]],
        biases=[[0, 1], [sp.Rational(1, 4)]],
    )
    _exactly(backprop(net, LOSSES["bce"]).verify())


def lemma_gradients_equal_differentiating_the_composed_loss() -> None:
    """BP3 and BP4 give ∂C/∂θ = sympy.diff of the composed loss, for every parameter."""
    net = Network.mlp([2, 2, 1], ["tanh", "sigmoid"])
    bp = backprop(net, LOSSES["mse"])
    cost = LOSSES["mse"](net.forward(), sp.Matrix(bp.targets))
    for parameter in net.parameters:
        difference = bp.partial(parameter, expanded=True) - sp.diff(cost, parameter)
        assert sp.expand(difference) == 0, parameter


def lemma_numeric_cross_check() -> None:
    """The symbolic gradient, a NumPy backward pass and finite differences agree to 1e-8."""
    for hidden in ("sigmoid", "relu", "elu"):
        net = Network.mlp([3, 4, 2], [hidden, "identity"])
        assert check_gradients(net, LOSSES["mse"], seed=7).worst_error <= 1e-8


def derivation() -> Derivation:
    """The written answer for a 2-2-1 sigmoid network, then the induction it instantiates."""
    bp = backprop(Network.mlp([2, 2, 1], ["sigmoid", "identity"]), LOSSES["mse"])
    d = bp.derivation()
    d.remark(
        "Each step of the backward pass is the chain rule: $C$ depends on $z^{(l)}_j$ only "
        "through $a^{(l)}_j$, which enters every $z^{(l+1)}_k$ with weight $w^{(l+1)}_{kj}$ "
        "(BP2); by induction downward from the output layer (BP1) every error is the partial "
        "derivative, as checked neuron by neuron above."
    )
    return d
