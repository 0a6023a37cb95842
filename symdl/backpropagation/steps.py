r"""Backpropagation written out: the forward definitions, then BP1–BP4 step by step.

:func:`backprop_derivation` turns a :class:`~symdl.backpropagation.reverse_mode.Backpropagation`
into a
:class:`~symdl.core.derivation.Derivation`: the definitions :math:`z^{(l)}_j` and
:math:`a^{(l)}_j` of the forward pass, the loss, the error of every neuron by (BP1) and (BP2),
and the gradient of every parameter by (BP3) and (BP4), each step with its reason, as a
lecturer writes the answer to "derive backpropagation for this network".

References
----------
M. Nielsen, *Neural Networks and Deep Learning* (2015), ch. 2, equations (BP1)–(BP4).
"""

from __future__ import annotations

import sympy as sp

from symdl.backpropagation.backward_pass import BackwardPass, error_symbols
from symdl.core.derivation import Derivation, Reason
from symdl.core.network import Dense, Maxout, SoftmaxLayer

__all__ = ["backprop_derivation"]

COST = sp.Symbol("C", real=True)


def backprop_derivation(bp: BackwardPass) -> Derivation:
    r"""The derivation of every error and gradient of ``bp``, with reasons.

    Examples
    --------
    >>> from symdl.core.network import Network
    >>> from symdl.core.losses import LOSSES
    >>> from symdl.backpropagation.reverse_mode import backprop
    >>> d = backprop(Network.mlp([1, 1], "sigmoid"), LOSSES["mse"]).derivation()
    >>> [step.reason_text for step in d.steps]
    ['by definition', 'by definition', 'by definition', '(BP1)', '(BP4)', '(BP3)']

    References
    ----------
    M. Nielsen, *Neural Networks and Deep Learning* (2015), ch. 2, equations (BP1)–(BP4).
    """
    net = bp.network
    sizes = ", ".join(map(str, net.sizes))
    d = Derivation(
        f"Backpropagation through the network of sizes ({sizes}) with the {bp.loss_name} loss",
        statement=(
            "The errors $\\delta^{(l)}_j = \\partial C / \\partial z^{(l)}_j$ by the backward "
            "recursion (BP1), (BP2), and the gradient of every parameter by (BP3), (BP4)."
        ),
    )
    d.remark("Forward pass.")
    for s, value in bp.definitions.items():
        if s not in error_symbols(bp):
            d.add(s, value, Reason.DEFINITION)
    d.add(COST, bp.loss, Reason.DEFINITION)
    d.remark("Backward pass: the error of every neuron, from the output layer down.")
    for l in range(net.depth, 0, -1):
        for row in bp.errors[l]:
            for s in row:
                d.add(s, bp.definitions[s], _error_reason(bp, l))
    for note in bp.conventions():
        d.remark(f"Convention: {note}.")
    d.remark("Gradient of every parameter.")
    biases = {
        entry
        for layer in net.layers
        for b in (layer.bs if isinstance(layer, Maxout) else (layer.b,))
        for entry in b
    }
    for parameter in bp.parameters:
        reason = Reason.BP3 if parameter in biases else Reason.BP4
        d.add(sp.Derivative(COST, parameter), bp.gradient[parameter], reason)
    return d


def _error_reason(bp: BackwardPass, l: int) -> Reason | str:
    layer = bp.network.layers[l - 1]
    equation = Reason.BP1 if l == bp.network.depth else Reason.BP2
    if isinstance(layer, Dense):
        return equation
    if isinstance(layer, SoftmaxLayer):
        return (
            f"{equation.value}, chain rule through the softmax: "
            "$\\partial a_k / \\partial z_j = a_k (1 - a_j)$ if $j = k$, else $-a_k a_j$"
        )
    return f"{equation.value}, chain rule through the maximum: only the first maximal piece"
