r"""Backpropagation written out: the forward definitions, then BP1–BP4 step by step.

:func:`backprop_derivation` turns a :class:`~symdl.backpropagation.reverse_mode.Backpropagation`
into a
:class:`~symdl.core.derivation.Derivation`: the definitions :math:`z^{(l)}_j` and
:math:`a^{(l)}_j` of the forward pass, the loss, the error of every neuron by (BP1) and (BP2),
and the gradient of every parameter by (BP3) and (BP4), each step with its reason, as a
lecturer writes the answer to "derive backpropagation for this network".

The error of a neuron of a dense layer takes three steps (four in the output layer), in the
lecture's order: the equation itself,

.. math::

    \delta^{(l)}_j = \Bigl(\sum_k w^{(l+1)}_{kj} \delta^{(l+1)}_k\Bigr) \sigma'(z^{(l)}_j)
    \quad \text{(BP2)}, \qquad
    \delta^{(L)}_j = \frac{\partial C}{\partial a^{(L)}_j} \sigma'(z^{(L)}_j)
    \quad \text{(BP1)},

then (in the output layer) the derivative of the loss, then the derivative of the activation
written in the neuron's own activation where it can be (:math:`\sigma'(z) = a(1 - a)` for the
sigmoid, :math:`\tanh'(z) = 1 - a^2`, :math:`\operatorname{ReLU}'(z) = \mathbb{1}[z > 0]`),
then the product.  :math:`\sigma'` is written with the layer's own activation
(:class:`ActivationDerivative`); in a layer that gives each neuron its own activation
:math:`\sigma_j`, with the neuron's, and the reason of the step names the neuron.

References
----------
M. Nielsen, *Neural Networks and Deep Learning* (2015), ch. 2, equations (BP1)–(BP4).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import sympy as sp
from sympy.core.symbol import Str

from symdl.backpropagation.backward_pass import BackwardPass, error_symbols
from symdl.backpropagation.layer_rules import (
    activation_derivative,
    affine_pieces,
    convention_derivative,
    with_ties_to_first,
)
from symdl.core.activations import Activation
from symdl.core.derivation import Derivation, Reason
from symdl.core.network import Dense, Maxout, SoftmaxLayer

__all__ = ["ActivationDerivative", "backprop_derivation"]

COST = sp.Symbol("C", real=True)


class ActivationDerivative(sp.Function):
    r""":math:`\sigma'(z)` for a layer's activation :math:`\sigma`, written with its own name.

    ``ActivationDerivative(z, latex, text)`` prints as ``\tanh'\left(z\right)`` in LaTeX and
    ``tanh'(z)`` in plain text; :meth:`of` builds it from an
    :class:`~symdl.core.activations.Activation`.  It stands for the derivative in a written
    step and is never evaluated.

    Examples
    --------
    >>> import sympy as sp
    >>> from symdl.core.activations import ACTIVATIONS
    >>> z = sp.Symbol("z", real=True)
    >>> prime = ActivationDerivative.of(ACTIVATIONS["sigmoid"], z)
    >>> sp.latex(prime), str(prime)
    ("\\sigma'\\left(z\\right)", "σ'(z)")
    """

    nargs = 3

    @classmethod
    def of(cls, activation: Activation, z: sp.Expr) -> ActivationDerivative:
        """:math:`\\sigma'(z)` for ``activation``."""
        return cls(z, Str(activation.latex), Str(activation.text))

    @property
    def argument(self) -> sp.Expr:
        """The point :math:`z`."""
        return self.args[0]

    def _latex(self, printer: Any) -> str:
        name = self.args[1].name
        if name == r"\mathbb{1}":  # the step function: the printer's indicator
            name = getattr(printer, "indicator", name)
        return rf"{name}'\left({printer._print(self.argument)}\right)"

    def _sympystr(self, printer: Any) -> str:
        return f"{self.args[2].name}'({printer._print(self.argument)})"


def backprop_derivation(bp: BackwardPass) -> Derivation:
    r"""The derivation of every error and gradient of ``bp``, with reasons.

    Examples
    --------
    >>> from symdl.core.network import Network
    >>> from symdl.core.losses import LOSSES
    >>> from symdl.backpropagation.reverse_mode import backprop
    >>> d = backprop(Network.mlp([1, 1], "sigmoid"), LOSSES["mse"]).derivation()
    >>> [step.reason_text for step in d.steps]  # doctest: +NORMALIZE_WHITESPACE
    ['by definition', 'by definition', 'by definition', '(BP1)', 'derivative of the loss',
     'derivative of $\\sigma$', 'substitution', '(BP4)', '(BP3)']
    >>> print(d.steps[5].lhs, "=", d.steps[5].rhs)
    σ'(z^{(1)}_{1}) = a^{(1)}_{1}*(1 - a^{(1)}_{1})

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
    softmax = _SoftmaxNames.of(bp)
    if softmax is not None:
        d.remark(
            "The loss applies the softmax to the outputs: with $s$ the sum of their "
            "exponentials, $p_j = e^{a_j} / s$."
        )
        d.add(softmax.total_symbol, softmax.total, Reason.DEFINITION)
        for output, probability in zip(bp.outputs, softmax.probabilities, strict=True):
            d.add(probability, sp.exp(output) / softmax.total_symbol, "the softmax")
    shown = softmax.abbreviate if softmax is not None else _unchanged
    d.add(COST, shown(bp.loss), Reason.DEFINITION)
    d.remark("Backward pass: the error of every neuron, from the output layer down.")
    for l in range(net.depth, 0, -1):
        layer = net.layers[l - 1]
        if isinstance(layer, Dense):
            _dense_errors(d, bp, l, layer, shown)
            continue
        if isinstance(layer, SoftmaxLayer):
            d.remark(
                f"Layer {l} is a softmax: $\\partial a_j / \\partial z_j = a_j (1 - a_j)$ and "
                "$\\partial a_k / \\partial z_j = -a_k a_j$ for $k \\ne j$, so by the chain rule "
                "$\\delta_j = a_j (\\partial C / \\partial a_j - "
                "\\sum_k a_k \\partial C / \\partial a_k)$."
            )
            reason: Reason | str = "chain rule (softmax)"
        else:
            d.remark(
                f"Layer {l} is a maxout layer: each neuron's error goes to its first maximal piece."
            )
            reason = "chain rule (maxout)"
        for row in bp.errors[l]:
            for s in row:
                d.add(s, bp.definitions[s], reason)
    for note in bp.conventions():
        d.remark(f"Convention: {note}.")
    d.remark("Gradient of every parameter.")
    biases = {
        entry
        for layer in net.layers
        for b in (layer.bs if isinstance(layer, Maxout) else (layer.b,))
        for entry in b
    }
    penalised = bp.loss.free_symbols & set(bp.parameters)  # C = L + λΘ: Θ's parameters
    for parameter in bp.parameters:
        equation: Reason | str = Reason.BP3 if parameter in biases else Reason.BP4
        if parameter in penalised:  # ∂C/∂w = δ a + ∂(λΘ)/∂w, e.g. δ a + 2λw for weight decay
            name = "BP3" if parameter in biases else "BP4"
            equation = f"({name}) plus the derivative of the penalty"
        d.add(sp.Derivative(COST, parameter), bp.gradient[parameter], equation)
    return d


def _dense_errors(
    d: Derivation, bp: BackwardPass, l: int, layer: Dense, shown: Callable[[sp.Expr], sp.Expr]
) -> None:
    r"""The error of every neuron of a dense layer: (BP1) or (BP2) with :math:`\sigma'(z)`,
    the derivative of the loss (output layer), :math:`\sigma'(z)` written out, the product."""
    output = l == bp.network.depth
    if layer.is_mixed:
        uses = ", ".join(
            f"neuron {j} uses ${act.latex}$"
            if "\\mathbb" not in act.latex
            else f"neuron {j} uses the {act.name} function"
            for j, act in enumerate(layer.activations, start=1)
        )
        d.remark(f"Layer {l} gives each neuron its own activation: {uses}.")
    for j, (delta,) in enumerate(bp.errors[l]):
        act = layer.activations[j]  # the neuron's own activation
        (z,) = bp.z[l][j]
        a = bp.outputs[j] if output else _activation_symbol(bp, act(z))
        local = activation_derivative(act, z).xreplace({act(z): a})
        value = bp.definitions[delta]
        incoming = _incoming(bp, l, j, local, value)
        if incoming is None:  # no way to show the factors: the error as it is
            d.add(delta, value, Reason.BP1 if output else Reason.BP2)
            continue
        prime = ActivationDerivative.of(act, z)
        incoming = shown(incoming)
        if output:
            gradient = sp.Derivative(COST, a)
            d.add(delta, gradient * prime, Reason.BP1)
            d.add(gradient, incoming, "derivative of the loss")
        else:
            d.add(delta, incoming * prime, Reason.BP2)
        reason = _derivative_reason(act)
        if layer.is_mixed:
            reason += f" (the activation of neuron {j + 1} of layer {l})"
        d.add(prime, local, reason)
        product = incoming * local  # the error, written as the product of the lines above
        d.add(delta, product, Reason.SUBSTITUTION)
        simpler = _simpler(product) if output else None
        if simpler is not None:
            d.add("", simpler, Reason.SIMPLIFICATION)


def _unchanged(expr: sp.Expr) -> sp.Expr:
    return expr


@dataclass(frozen=True)
class _SoftmaxNames:
    r"""The names of a loss's softmax: :math:`s = \sum_k e^{a_k}` and
    :math:`p_j = e^{a_j} / s`, so that the loss and its derivative stay short."""

    outputs: tuple[sp.Symbol, ...]
    total: sp.Expr
    total_symbol: sp.Symbol
    probabilities: tuple[sp.Symbol, ...]

    @classmethod
    def of(cls, bp: BackwardPass) -> _SoftmaxNames | None:
        """The names, if the loss applies the softmax to the outputs (else ``None``)."""
        total = sp.Add(*[sp.exp(o) for o in bp.outputs])
        if len(bp.outputs) < 2 or not bp.loss.has(total):
            return None
        probabilities = tuple(
            sp.Symbol(f"p_{{{j}}}", positive=True) for j in range(1, len(bp.outputs) + 1)
        )
        return cls(bp.outputs, total, sp.Symbol("s", positive=True), probabilities)

    def abbreviate(self, expr: sp.Expr) -> sp.Expr:
        """``expr`` in :math:`s` and :math:`p_j`: :math:`e^{a_j} = p_j s` (unchanged if an
        exponential of an output would remain)."""
        short = expr.subs(self.total, self.total_symbol)
        for output, probability in zip(self.outputs, self.probabilities, strict=True):
            short = short.subs(sp.exp(output), probability * self.total_symbol)
        if any(e.has(*self.outputs) for e in short.atoms(sp.exp)):
            return expr
        return short


def _simpler(value: sp.Expr) -> sp.Expr | None:
    r"""A shorter form of a small error, as a lecturer simplifies it (the sigmoid with the
    cross-entropy: :math:`a - y`); ``None`` if there is none."""
    if sp.count_ops(value) > 40 or value.has(sp.Heaviside, sp.Piecewise, sp.Max, sp.Abs):
        return None
    if not any(power.exp.is_negative for power in value.atoms(sp.Pow)):
        return None  # no quotient to cancel
    simpler = sp.factor_terms(sp.cancel(value))
    if sp.fraction(simpler)[1] != 1 or sp.count_ops(simpler) >= sp.count_ops(value):
        return None  # a quotient, or no shorter
    return simpler


def _derivative_reason(act: Activation) -> str:
    """``derivative of $\\tanh$``; a name for an activation written with a font that needs
    a package (the step function's blackboard 1)."""
    if "\\mathbb" in act.latex:
        return f"derivative of the {act.name} function"
    return f"derivative of ${act.latex}$"


def _activation_symbol(bp: BackwardPass, applied: sp.Expr) -> sp.Symbol:
    r"""The symbol :math:`a^{(l)}_j` that the forward pass defines as ``applied``
    (:math:`\sigma(z^{(l)}_j)`)."""
    return next(s for s, value in bp.definitions.items() if value == applied)


def _incoming(bp: BackwardPass, l: int, j: int, local: sp.Expr, value: sp.Expr) -> sp.Expr | None:
    r""":math:`\partial C / \partial a^{(l)}_j`: the loss's derivative in the output layer
    (factored: :math:`2(a - y)`), :math:`\sum_k w^{(l+1)}_{kj} \delta^{(l+1)}_k` below it;
    ``None`` if the error is not that times ``local``."""
    net = bp.network
    if l == net.depth:
        # as the backward pass takes it: a maximum's derivative goes to its first maximal
        # argument, a bare Heaviside is 0 at 0
        tied = with_ties_to_first(bp.loss)
        incoming = convention_derivative(tied, bp.outputs[j])
    else:
        layer = net.layers[l]
        incoming = sp.Add(
            *[
                W[i, j] * bp.errors[l + 1][i][p]
                for p, (W, _) in enumerate(affine_pieces(layer))
                for i in range(layer.n_out)
            ]
        )
    if incoming * local != value:
        return None
    return sp.factor_terms(incoming) if l == net.depth else incoming
