r"""Symbolic backpropagation: the error of every neuron, by the backward recursion.

For a network :math:`z^l = W^l a^{l-1} + b^l`, :math:`a^l = \sigma_l(z^l)`, :math:`a^0 = x`
and a loss :math:`C(a^L, y)`, the error of neuron :math:`j` of layer :math:`l` is
:math:`\delta^l_j := \partial C / \partial z^l_j`.  :func:`backprop` computes it by the four
equations of backpropagation (Nielsen, ch. 2, equations (BP1)–(BP4)),

.. math::

    \delta^L = \nabla_{a} C \odot \sigma_L'(z^L), \quad
    \delta^l = \bigl((W^{l+1})^\top \delta^{l+1}\bigr) \odot \sigma_l'(z^l), \quad
    \frac{\partial C}{\partial b^l_j} = \delta^l_j, \quad
    \frac{\partial C}{\partial w^l_{jk}} = \delta^l_j a^{l-1}_k,

not by differentiating the composed expression.  Every pre-activation :math:`z^l_j`,
activation :math:`a^l_j` and error :math:`\delta^l_j` is one symbol with one definition (a
:class:`~symdl.backpropagation.straight_line.StraightLineProgram`), so that the whole gradient
costs a small
constant times the forward pass (Baur and Strassen 1983); the definitions are substituted
into one expression only on request (:meth:`Backpropagation.expand`).

Softmax and maxout layers are not elementwise: for them :math:`\delta^l_j = \sum_k
(\partial C/\partial a^l_k)(\partial a^l_k / \partial z^l_j)`, with the softmax Jacobian
:math:`a_k(\mathbb 1[j = k] - a_j)`, and for maxout the indicator of the first maximal piece.

At a kink the derivative of an activation is the registry's convention (the ``kink_note`` of its
:class:`~symdl.core.activations.Activation`; ReLU'(0) = 0 by default), and a bare Heaviside arising
from the loss (the hinge losses) is pinned to 0 at 0 likewise.

References
----------
D. E. Rumelhart, G. E. Hinton, R. J. Williams, "Learning representations by back-propagating
errors", Nature 323 (1986), 533–536.

M. Nielsen, *Neural Networks and Deep Learning* (2015), ch. 2, equations (BP1)–(BP4).

W. Baur and V. Strassen, "The complexity of partial derivatives", Theoretical Computer Science
22 (1983), 317–330.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, overload

import numpy as np
import sympy as sp
from numpy.typing import NDArray

from symdl.backpropagation.backward_pass import error_symbols
from symdl.backpropagation.graph_mode import GraphBackpropagation, graph_backprop
from symdl.backpropagation.layer_rules import (
    SOFTMAX_LOSSES,
    affine_pieces,
    applies_softmax,
    convention_derivative,
    forward_definitions,
    local_errors,
    maxout_pieces,
    refuse_softmax_twice,
    with_ties_to_first,
)
from symdl.backpropagation.steps import backprop_derivation
from symdl.backpropagation.straight_line import StraightLineProgram
from symdl.backpropagation.verification import DeltaVerification, verify_deltas
from symdl.core.activations import Activation
from symdl.core.derivation import Derivation
from symdl.core.exact import nonnegative
from symdl.core.graph import GraphNetwork
from symdl.core.losses import LOSSES, Loss
from symdl.core.network import Dense, Layer, Maxout, Network, SoftmaxLayer
from symdl.core.special_functions import LogSoftmaxEntry, Sigmoid, SoftmaxEntry, Softplus
from symdl.core.targets import Target, validate_targets

__all__ = [
    "SOFTMAX_LOSSES",
    "Backpropagation",
    "activation_symbol",
    "applies_softmax",
    "backprop",
    "error_symbol",
    "pre_activation_symbol",
    "refuse_softmax_twice",
    "target_symbols",
    "weight_decay",
]

FloatArray = NDArray[np.float64]


# --- the symbols of the program --------------------------------------------------------------


def _superscript(layer: int, piece: int | None) -> str:
    return f"({layer})" if piece is None else f"({layer},{piece})"


def pre_activation_symbol(layer: int, j: int, *, piece: int | None = None) -> sp.Symbol:
    r"""The real symbol :math:`z^{(l)}_j` (or :math:`z^{(l,p)}_j`, piece :math:`p` of maxout).

    Examples
    --------
    >>> pre_activation_symbol(2, 1)
    z^{(2)}_{1}
    """
    return sp.Symbol(f"z^{{{_superscript(layer, piece)}}}_{{{j}}}", real=True)


def activation_symbol(layer: int, j: int) -> sp.Symbol:
    r"""The real symbol :math:`a^{(l)}_j`; :math:`a^{(L)}_j` is the network's output.

    A loss given to :func:`backprop` as a SymPy expression is written in these symbols.

    Examples
    --------
    >>> activation_symbol(2, 1)
    a^{(2)}_{1}
    """
    return sp.Symbol(f"a^{{({layer})}}_{{{j}}}", real=True)


def error_symbol(layer: int, j: int, *, piece: int | None = None) -> sp.Symbol:
    r"""The real symbol :math:`\delta^{(l)}_j = \partial C / \partial z^{(l)}_j`.

    Examples
    --------
    >>> error_symbol(1, 2), error_symbol(1, 2, piece=1)
    (\delta^{(1)}_{2}, \delta^{(1,1)}_{2})
    """
    return sp.Symbol(f"\\delta^{{{_superscript(layer, piece)}}}_{{{j}}}", real=True)


def target_symbols(n: int) -> tuple[sp.Symbol, ...]:
    """The real target symbols :math:`y_1, …, y_n`.

    Examples
    --------
    >>> target_symbols(2)
    (y_{1}, y_{2})
    """
    return tuple(sp.Symbol(f"y_{{{j}}}", real=True) for j in range(1, n + 1))


# --- the local derivative of each layer ---------------------------------------------------------


def _pieces(layer: Layer) -> list[int | None]:
    """The piece numbers of a layer's neurons: ``[None]``, or ``1..k`` for maxout."""
    k = maxout_pieces(layer)
    return [None] if k is None else list(range(1, k + 1))


def _layer_symbols(l: int, layer: Layer) -> tuple[list[list[sp.Symbol]], list[sp.Symbol]]:
    """``z[j][p]`` (one piece unless maxout) and ``a[j]`` for layer ``l``."""
    pieces = _pieces(layer)
    z = [[pre_activation_symbol(l, j, piece=p) for p in pieces] for j in range(1, layer.n_out + 1)]
    a = [activation_symbol(l, j) for j in range(1, layer.n_out + 1)]
    return z, a


def _error_symbols(l: int, layer: Layer) -> list[list[sp.Symbol]]:
    pieces = _pieces(layer)
    return [[error_symbol(l, j, piece=p) for p in pieces] for j in range(1, layer.n_out + 1)]


# --- the result ---------------------------------------------------------------------------


class Backpropagation:
    r"""The errors and gradients of a network and a loss, as a straight-line program.

    Built by :func:`backprop`.  Layers are numbered :math:`1, …, L`; neurons from 1; maxout
    pieces from 1 (``piece=p``).

    Attributes
    ----------
    network
        The :class:`~symdl.core.network.Network`.
    loss
        :math:`C` as an expression in the output symbols :math:`a^{(L)}_j` and the targets.
    targets
        The target symbols :math:`y_1, …, y_{n_L}`.
    outputs
        The output symbols :math:`a^{(L)}_1, …`.
    parameters
        The network's free parameter symbols.
    program
        The definitions :math:`z := …, a := …, \delta := …` in order, with the gradient (one
        entry per parameter) as outputs.
    gradient
        :math:`\{\theta : \partial C/\partial \theta\}` in the program's symbols.
    z, a, errors
        The symbols by layer: ``z[l][j - 1][p]`` is :math:`z^{(l)}_j` (piece ``p + 1`` of a
        maxout layer, else ``p = 0``), ``errors[l][j - 1][p]`` likewise :math:`\delta^{(l)}_j`,
        and ``a[l][j - 1]`` is :math:`a^{(l)}_j`, with ``a[0]`` the inputs.

    Examples
    --------
    A 1-1-1 network, ReLU then identity, with :math:`C = (a^{(2)}_1 - y_1)^2`:

    >>> from symdl.core.network import Network
    >>> from symdl.core.losses import LOSSES
    >>> net = Network.mlp([1, 1, 1], ["relu", "identity"])
    >>> bp = backprop(net, LOSSES["l2"])
    >>> bp.delta(2, 1)  # (BP1), in the output symbol
    2*a^{(2)}_{1} - 2*y_{1}
    >>> bp.delta(1, 1)  # (BP2), in the next layer's error: one symbol each, a DAG
    \delta^{(2)}_{1}*w^{(2)}_{11}*Heaviside(z^{(1)}_{1}, 0)
    >>> w1, b1, w2, b2 = net.parameters
    >>> bp.gradient[w1], bp.weight_gradient(2)  # (BP4)
    (\delta^{(1)}_{1}*x_{1}, Matrix([[\delta^{(2)}_{1}*a^{(1)}_{1}]]))
    >>> bp.expand(bp.delta(2, 1))  # every definition substituted, on request
    2*b^{(2)}_{1} + 2*w^{(2)}_{11}*Max(0, b^{(1)}_{1} + w^{(1)}_{11}*x_{1}) - 2*y_{1}
    >>> bp.conventions()
    ("layer 1: ReLU'(0) = 0 (the registry's convention)",)

    At :math:`x = 2, y = 1, w^{(1)} = 1, b^{(1)} = 0, w^{(2)} = 3, b^{(2)} = 0`: the output is
    6, so :math:`\delta^{(2)} = 2 (6 - 1) = 10`, :math:`\delta^{(1)} = 10 \cdot 3 = 30`, and
    the gradient is :math:`(30 \cdot 2, 30, 10 \cdot 2, 10)`:

    >>> bp.numpy_gradient()([[2.0]], [[1.0]], [1.0, 0.0, 3.0, 0.0])
    array([60., 30., 20., 10.])

    References
    ----------
    M. Nielsen, *Neural Networks and Deep Learning* (2015), ch. 2, equations (BP1)–(BP4).
    """

    def __init__(
        self, network: Network, loss: sp.Expr, targets: tuple[sp.Symbol, ...], name: str
    ) -> None:
        self.network = network
        self.loss = loss
        self.loss_name = name
        self.targets = targets
        self.parameters: tuple[sp.Symbol, ...] = network.parameters
        self.z: list[list[list[sp.Symbol]]] = [[]]
        self.a: list[list[sp.Symbol]] = [list(network.inputs)]
        definitions: list[tuple[sp.Symbol, sp.Expr]] = []
        for l, layer in enumerate(network.layers, start=1):
            z, a = _layer_symbols(l, layer)
            definitions.extend(forward_definitions(layer, z, a, self.a[-1]))
            self.z.append(z)
            self.a.append(a)
        self.outputs: tuple[sp.Symbol, ...] = tuple(self.a[-1])
        self.errors: list[list[list[sp.Symbol]]] = [[]] + [
            _error_symbols(l, layer) for l, layer in enumerate(network.layers, start=1)
        ]
        definitions.extend(self._backward_definitions())
        self.gradient: dict[sp.Symbol, sp.Expr] = self._parameter_gradient()
        self.program = StraightLineProgram(
            tuple(definitions), tuple(self.gradient[p] for p in self.parameters)
        )

    # --- construction ----------------------------------------------------------------------

    def output_gradient(self) -> list[sp.Expr]:
        r""":math:`\nabla_a C`: the partial derivatives of the loss in :math:`a^{(L)}_j`.

        At a kink of the loss the conventions of the NumPy backward pass are used: a bare
        Heaviside (from ``Abs`` or a power of ``Max``) is 0 at 0, and a maximum gives its
        derivative to its first maximal argument
        (:func:`~symdl.backpropagation.layer_rules.first_maximum`),
        so that a maximum of arguments that coincide (Chebyshev's loss with two outputs: there
        :math:`|p_1 - y_1| = |p_2 - y_2|` identically) keeps its true derivative.
        """
        tied = with_ties_to_first(self.loss)
        return [convention_derivative(tied, o) for o in self.outputs]

    def _backward_definitions(self) -> list[tuple[sp.Symbol, sp.Expr]]:
        definitions = []
        g = self.output_gradient()  # BP1: the loss's gradient feeds the last layer
        for l in range(self.network.depth, 0, -1):
            layer = self.network.layers[l - 1]
            local = local_errors(layer, self.z[l], self.a[l], g)
            for j, row in enumerate(local):
                for p, value in enumerate(row):
                    definitions.append((self.errors[l][j][p], value))
            if l > 1:  # BP2: g^{l-1} = Σ_pieces (W^l)ᵀ δ^l
                g = self._pull_back(l)
        return definitions

    def _pull_back(self, l: int) -> list[sp.Expr]:
        r""":math:`\partial C/\partial a^{l-1}_k = \sum_{p,j} (W^l_p)_{jk} \delta^{l}_{jp}`."""
        layer = self.network.layers[l - 1]
        pieces = affine_pieces(layer)
        return [
            sp.Add(
                *[
                    W[j, k] * self.errors[l][j][p]
                    for p, (W, _) in enumerate(pieces)
                    for j in range(layer.n_out)
                ]
            )
            for k in range(layer.n_in)
        ]

    def _parameter_gradient(self) -> dict[sp.Symbol, sp.Expr]:
        r"""BP3 and BP4, summed over every entry a parameter occurs in (shared weights)."""
        known = set(self.parameters)
        terms: dict[sp.Symbol, list[sp.Expr]] = {p: [] for p in self.parameters}
        for l, layer in enumerate(self.network.layers, start=1):
            for p, (W, b) in enumerate(affine_pieces(layer)):
                for j in range(layer.n_out):
                    delta = self.errors[l][j][p]
                    for k in range(layer.n_in):
                        _accumulate(terms, known, W[j, k], delta * self.a[l - 1][k])
                    _accumulate(terms, known, b[j, 0], delta)
        for symbol in known & self.loss.free_symbols:  # a penalty written in the loss itself
            terms[symbol].append(sp.diff(self.loss, symbol))
        return {p: sp.Add(*terms[p]) for p in self.parameters}

    # --- reading the result ------------------------------------------------------------------

    @property
    def definitions(self) -> Mapping[sp.Symbol, sp.Expr]:
        """Every definition :math:`z := …`, :math:`a := …`, :math:`\\delta := …`, in order."""
        return self.program.defined

    def expand(self, expr: sp.Expr) -> sp.Expr:
        """Substitute every definition into ``expr``: inputs, parameters and targets remain."""
        return self.program.expand(expr)

    def _check_position(self, l: int, j: int, piece: int | None) -> int:
        if not isinstance(l, int) or not 1 <= l <= self.network.depth:
            raise ValueError(f"layer {l!r} does not exist; layers are 1..{self.network.depth}")
        n = self.network.layers[l - 1].n_out
        if not isinstance(j, int) or not 1 <= j <= n:
            raise ValueError(f"neuron {j!r} does not exist in layer {l}; neurons are 1..{n}")
        k = maxout_pieces(self.network.layers[l - 1])
        if k is None:
            if piece is not None:
                raise ValueError(f"layer {l} is not a maxout layer; it has no piece {piece!r}")
            return 0
        if piece is None or not 1 <= piece <= k:
            raise ValueError(f"layer {l} is a maxout layer: give piece=1..{k}, not {piece!r}")
        return piece - 1

    def delta(self, l: int, j: int, *, piece: int | None = None, expanded: bool = False) -> sp.Expr:
        r"""The error :math:`\delta^{(l)}_j`.

        Unexpanded it is its definition (BP1 or BP2) in the symbols :math:`\delta^{(l+1)}`,
        :math:`z^{(l)}`, :math:`a^{(l)}`; expanded, an expression in the inputs, parameters
        and targets.
        """
        p = self._check_position(l, j, piece)
        value = self.definitions[self.errors[l][j - 1][p]]
        return self.expand(value) if expanded else value

    def bias_gradient(self, l: int, *, piece: int | None = None) -> sp.Matrix:
        r""":math:`\partial C/\partial b^{(l)} = \delta^{(l)}` (BP3), in error symbols."""
        p = self._check_position(l, 1, piece)
        return sp.Matrix([row[p] for row in self.errors[l]])

    def weight_gradient(self, l: int, *, piece: int | None = None) -> sp.Matrix:
        r""":math:`\partial C/\partial W^{(l)} = \delta^{(l)} (a^{(l-1)})^\top` (BP4)."""
        return self.bias_gradient(l, piece=piece) * sp.Matrix([self.a[l - 1]])

    def partial(self, parameter: sp.Symbol, *, expanded: bool = False) -> sp.Expr:
        r""":math:`\partial C/\partial\theta` for one parameter symbol :math:`\theta`."""
        if parameter not in self.gradient:
            names = ", ".join(map(str, self.parameters)) or "none (every weight is a number)"
            raise ValueError(
                f"{parameter!r} is not a parameter of this network; its parameters are: {names}"
            )
        value = self.gradient[parameter]
        return self.expand(value) if expanded else value

    def operation_count(self) -> int:
        """Operations of the whole gradient program, shared subexpressions counted once."""
        return self.program.operation_count()

    def forward_operation_count(self) -> int:
        """Operations of the forward pass and the loss, as a straight-line program."""
        forward = [(s, e) for s, e in self.program.definitions if s not in error_symbols(self)]
        return StraightLineProgram(tuple(forward), (self.loss,)).operation_count()

    def conventions(self) -> tuple[str, ...]:
        """The conventions used where a derivative does not exist (kinks, ties), in words."""
        notes = []
        for l, layer in enumerate(self.network.layers, start=1):
            if isinstance(layer, Dense):
                notes.extend(_kink_notes(l, layer))
            if isinstance(layer, Maxout):
                notes.append(f"layer {l}: at a tie of maxout pieces the first maximal piece wins")
        if self.loss.has(sp.Max, sp.Abs, sp.Heaviside):
            notes.append(
                "the loss has kinks: its derivative is taken with H(0) = 0 there, and at a tie "
                "of a maximum the first maximal argument takes the derivative"
            )
        return tuple(notes)

    def numpy_gradient(
        self, *, gradient: Mapping[sp.Symbol, sp.Expr] | None = None
    ) -> Callable[[Any, Any, Any], FloatArray]:
        r"""The gradient compiled to NumPy from the program (one line of code per definition).

        Returns ``f(X, Y, theta)`` with ``X`` of shape ``(batch, n_in)``, ``Y`` of shape
        ``(batch, n_out)`` and ``theta`` the parameter values in the order of
        :attr:`parameters`; ``f`` returns the gradient of the mean loss over the batch.

        The program is compiled in a form that float64 evaluates without overflow and with
        its relative accuracy, for logits of any size (the same values as
        :attr:`definitions`):

        - a softmax layer's outputs are :class:`~symdl.core.special_functions.SoftmaxEntry`
          (no :math:`e^{z}` overflows);
        - for a registry loss that applies the softmax, the output layer's error is the
          loss's gradient in the logits, :meth:`symdl.core.losses.Loss.logit_gradient` (then
          ``Y`` must be one-hot, as the loss requires);
        - for a sigmoid output layer, the output layer's error is the derivative of the loss
          in the logits :math:`z^L`, with :math:`\log \sigma(z) = -\operatorname{softplus}(-z)`,
          :math:`\log(1 - \sigma(z)) = -\operatorname{softplus}(z)` and
          :math:`\sigma'(z) = \sigma(z)\sigma(-z)`: binary cross-entropy gives
          :math:`(1 - y)\sigma(z) - y\,\sigma(-z)`, finite where :math:`\sigma(z)` rounds to 1.

        Parameters
        ----------
        gradient
            Expressions to compile instead of the program's gradient, ``{parameter:
            expression}`` with the network's parameters as keys, in the inputs, targets,
            parameters and the program's symbols (a hand-derived gradient to check, say);
            default: the program's gradient.

        Raises
        ------
        ValueError
            If ``gradient`` does not have exactly the parameters as keys; ``f`` raises it for
            shapes that do not fit, or targets that are not one-hot where the loss needs them.

        Examples
        --------
        >>> from symdl.core.network import Network
        >>> from symdl.core.losses import LOSSES
        >>> bp = backprop(Network.mlp([1, 1], "sigmoid"), LOSSES["bce"])
        >>> bp.numpy_gradient()([[1.0]], [[0.25]], [800.0, 0.0])  # σ(800) rounds to 1
        array([0.75, 0.75])
        """
        args = [*self.network.inputs, *self.targets, *self.parameters]
        if gradient is None:
            outputs = self.program.outputs
        else:
            unknown = [p for p in gradient if p not in set(self.parameters)]
            missing = [p for p in self.parameters if p not in gradient]
            if unknown or missing:
                raise ValueError(
                    f"the gradient to compile must have exactly the network's parameters as "
                    f"keys; not parameters: {unknown}; missing: {missing}"
                )
            outputs = tuple(sp.sympify(gradient[p]) for p in self.parameters)
        program = StraightLineProgram(_float64_definitions(self), outputs)
        compiled = program.numpy_function(args)
        n_in, n_out = self.network.n_inputs, len(self.targets)
        parameters = self.parameters
        one_hot = _softmax_registry_loss(self) is not None

        def gradient_at(X: Any, Y: Any, theta: Any = ()) -> FloatArray:
            X = np.atleast_2d(np.asarray(X, dtype=float))
            Y = np.atleast_2d(np.asarray(Y, dtype=float))
            if X.shape[1] != n_in or Y.shape != (X.shape[0], n_out):
                raise ValueError(
                    f"X of shape {X.shape} and Y of shape {Y.shape} do not fit a network with "
                    f"{n_in} inputs and {n_out} outputs: give (batch, {n_in}) and (batch, {n_out})"
                )
            if one_hot:
                validate_targets(Y, target=Target.ONE_HOT)
            values = np.asarray(theta, dtype=float).ravel()
            if values.size != len(parameters):
                raise ValueError(
                    f"theta has {values.size} values; give one per parameter, "
                    f"{len(parameters)} in the order of Backpropagation.parameters"
                )
            return compiled(*X.T, *Y.T, *values)

        return gradient_at

    def verify(
        self,
        *,
        points: int = 8,
        seed: int = 0,
        dps: int = 50,
        simplify_limit: int = 300,
        seconds: float = 10.0,
    ) -> DeltaVerification:
        """Check every :math:`\\delta^{(l)}_j = \\partial C/\\partial z^{(l)}_j` independently.

        See :func:`symdl.backpropagation.verification.verify_deltas` for the method and the options.
        """
        return verify_deltas(
            self, points=points, seed=seed, dps=dps, simplify_limit=simplify_limit, seconds=seconds
        )

    def derivation(self) -> Derivation:
        """This network's steps of backpropagation, a :class:`~symdl.core.derivation.Derivation`."""
        return backprop_derivation(self)

    def expanded_gradient(self) -> dict[sp.Symbol, sp.Expr]:
        """:attr:`gradient` with every definition substituted (inputs, parameters, targets)."""
        values = self.program.expand_many(list(self.gradient.values()))
        return dict(zip(self.gradient, values, strict=True))

    def __repr__(self) -> str:
        return (
            f"Backpropagation({self.network!r}, loss={self.loss_name}, "
            f"{len(self.parameters)} parameters)"
        )


# --- the program in a form for float64 ----------------------------------------------------------


def _float64_definitions(bp: Backpropagation) -> tuple[tuple[sp.Symbol, sp.Expr], ...]:
    """The program's definitions, with the same values, in a form float64 evaluates stably.

    A softmax layer's outputs become :class:`SoftmaxEntry` and the output layer's errors are
    rewritten in the logits (:func:`_output_errors_in_logits`); the rest is unchanged.
    """
    rewritten: dict[sp.Symbol, sp.Expr] = {}
    for l, layer in enumerate(bp.network.layers, start=1):
        if isinstance(layer, SoftmaxLayer):
            logits = [row[0] for row in bp.z[l]]
            for j, a in enumerate(bp.a[l], start=1):
                rewritten[a] = SoftmaxEntry(j, *logits)
    shared, errors = _output_errors_in_logits(bp)
    rewritten.update(errors)
    definitions = []
    for symbol, value in bp.program.definitions:
        if shared and symbol in errors:  # computed once, before the first output error
            definitions.extend(shared)
            shared = []
        definitions.append((symbol, rewritten.get(symbol, value)))
    return tuple(definitions)


def _softmax_registry_loss(bp: Backpropagation) -> Loss | None:
    """The registry loss of ``bp`` if it applies the softmax (it has a logit-space gradient)."""
    loss = LOSSES.get(bp.loss_name)
    if loss is None or loss.logit_gradient_form is None:
        return None
    same = loss(sp.Matrix(bp.outputs), sp.Matrix(bp.targets)) == bp.loss
    return loss if same else None


def _kink_notes(l: int, layer: Dense) -> list[str]:
    """The kink conventions of a dense layer's activations, naming the neurons when the
    layer gives its neurons different activations."""
    if not layer.is_mixed:
        act = layer.activations[0]
        return [f"layer {l}: {act.kink_note} (the registry's convention)"] if act.kinks else []
    notes: list[str] = []
    distinct: list[Activation] = []
    for act in layer.activations:
        if act not in distinct:
            distinct.append(act)
    for act in distinct:
        if act.kinks:
            neurons = [j for j, other in enumerate(layer.activations, start=1) if other == act]
            which = ", ".join(map(str, neurons))
            notes.append(
                f"layer {l}, neuron{'s' if len(neurons) > 1 else ''} {which} ({act.name}): "
                f"{act.kink_note} (the registry's convention)"
            )
    return notes


def _is_sigmoid_layer(layer: Layer) -> bool:
    probe = sp.Dummy(real=True)
    return isinstance(layer, Dense) and all(
        act(probe) == Sigmoid(probe) for act in layer.activations
    )


def _output_errors_in_logits(
    bp: Backpropagation,
) -> tuple[list[tuple[sp.Symbol, sp.Expr]], dict[sp.Symbol, sp.Expr]]:
    r"""The errors :math:`\delta^L` of the output layer, written for float64 where needed, and
    the definitions they share.

    For a registry loss that applies the softmax: its logit-space gradient through the
    layer's local derivative, in symbols for the softmax entries, their logarithms and their
    complements (each defined once).  For a sigmoid output layer: the derivative of the loss
    in the logits, with the logarithms of σ written as softplus and :math:`1 - \sigma(x)` as
    :math:`\sigma(-x)`.  Otherwise nothing is rewritten.
    """
    depth = bp.network.depth
    layer = bp.network.layers[-1]
    errors = [symbol for row in bp.errors[depth] for symbol in row]
    sigmoid = _is_sigmoid_layer(layer)
    z = [row[0] for row in bp.z[depth]]
    loss = _softmax_registry_loss(bp)
    if loss is not None:
        shared, entries = _softmax_entries(bp.outputs, depth)
        g = list(loss.logit_gradient(bp.outputs, bp.targets, entries=entries))
        if sigmoid:  # σ'(z) = σ(z) σ(-z): no 1 - σ(z)
            values = [gj * a * Sigmoid(-zj) for gj, a, zj in zip(g, bp.a[depth], z, strict=True)]
        else:
            values = [v for row in local_errors(layer, bp.z[depth], bp.a[depth], g) for v in row]
        return shared, dict(zip(errors, values, strict=True))
    if sigmoid:
        cost = bp.loss.xreplace({a: Sigmoid(zj) for a, zj in zip(bp.a[depth], z, strict=True)})
        cost = cost.replace(lambda e: isinstance(e, sp.log), lambda e: _log_in_logits(e.args[0]))
        tied = with_ties_to_first(cost)  # the kink conventions of output_gradient
        values = [_sigmoid_complements(convention_derivative(tied, zj)) for zj in z]
        computed = {Sigmoid(zj): a for zj, a in zip(z, bp.a[depth], strict=True)}  # a^L = σ(z^L)
        return [], {error: v.xreplace(computed) for error, v in zip(errors, values, strict=True)}
    return [], {}


def _softmax_entries(
    logits: Sequence[sp.Symbol], layer: int
) -> tuple[
    list[tuple[sp.Symbol, sp.Expr]], tuple[list[sp.Symbol], list[sp.Symbol], list[sp.Symbol]]
]:
    """Definitions of p_j = softmax(o)_j, log p_j and q_j = Σ_{m≠j} p_m, and their symbols."""
    n = len(logits)
    p = [sp.Symbol(f"p^{{({layer})}}_{{{j}}}", positive=True) for j in range(1, n + 1)]
    log_p = [sp.Symbol(f"log p^{{({layer})}}_{{{j}}}", real=True) for j in range(1, n + 1)]
    q = [sp.Symbol(f"q^{{({layer})}}_{{{j}}}", real=True) for j in range(1, n + 1)]
    definitions = [(p[j - 1], SoftmaxEntry(j, *logits)) for j in range(1, n + 1)]
    definitions += [(log_p[j - 1], LogSoftmaxEntry(j, *logits)) for j in range(1, n + 1)]
    definitions += [(q[j], sp.Add(*[pm for m, pm in enumerate(p) if m != j])) for j in range(n)]
    return definitions, (p, log_p, q)


def _log_in_logits(argument: sp.Expr) -> sp.Expr:
    """log σ(x) = -softplus(-x) and log(1 - σ(x)) = -softplus(x); other logarithms stay."""
    if isinstance(argument, Sigmoid):
        return -Softplus(-argument.args[0])
    complement = 1 - argument
    if isinstance(complement, Sigmoid):
        return -Softplus(complement.args[0])
    return sp.log(argument)


def _sigmoid_complements(expr: sp.Expr) -> sp.Expr:
    """Every sum 1 - σ(x) + … written σ(-x) + …: no difference of numbers close to 1."""

    def complement(total: sp.Expr) -> sp.Expr:
        term = next(t for t in total.args if isinstance(-t, Sigmoid))
        return total - 1 - term + Sigmoid(-(-term).args[0])

    return expr.replace(
        lambda e: e.is_Add and sp.S.One in e.args and any(isinstance(-t, Sigmoid) for t in e.args),
        complement,
    )


def _accumulate(
    terms: dict[sp.Symbol, list[sp.Expr]], known: set[sp.Symbol], entry: sp.Expr, factor: sp.Expr
) -> None:
    # ∂C/∂θ += (∂C/∂entry) ∂entry/∂θ; a plain symbol entry contributes the factor itself
    if entry.is_Symbol:
        if entry in known:
            terms[entry].append(factor)
        return
    for symbol in entry.free_symbols & known:
        terms[symbol].append(factor * sp.diff(entry, symbol))


# --- the entry point ----------------------------------------------------------------------


def weight_decay(net: Network, strength: Any) -> sp.Expr:
    r"""The weight-decay penalty :math:`\lambda \Theta = \lambda \sum_l \sum_{j,k}
    (w^{(l)}_{jk})^2` over the network's symbolic weights (biases are not penalised), for
    ``penalty=`` of :func:`backprop`; its gradient adds :math:`2 \lambda w` to
    :math:`\partial C/\partial w = \delta a`.

    ``strength`` :math:`\lambda` is an exact non-negative number or a SymPy symbol.

    >>> from symdl.core.network import Network
    >>> weight_decay(Network.mlp([1, 1], "sigmoid"), sp.Symbol("lambda", positive=True))
    lambda*w^{(1)}_{11}**2
    """
    if isinstance(strength, sp.Symbol):
        lam: sp.Expr = strength
    else:
        lam = nonnegative(strength, name="strength")
    weights = [
        w
        for layer in net.layers
        for matrix in _weight_matrices(layer)
        for w in matrix
        if isinstance(w, sp.Symbol)
    ]
    return lam * sp.Add(*(w**2 for w in weights))


def _weight_matrices(layer: Any) -> list[sp.Matrix]:
    if isinstance(layer, Maxout):
        return list(layer.Ws)
    return [layer.W] if hasattr(layer, "W") else []


@overload
def backprop(
    net: Network,
    loss: Loss | sp.Expr,
    *,
    targets: Sequence[sp.Symbol] | None = None,
    penalty: sp.Expr | None = None,
) -> Backpropagation: ...


@overload
def backprop(
    net: GraphNetwork,
    loss: Loss | sp.Expr,
    *,
    targets: Sequence[sp.Symbol] | None = None,
    penalty: sp.Expr | None = None,
) -> GraphBackpropagation: ...


def backprop(
    net: Network | GraphNetwork,
    loss: Loss | sp.Expr,
    *,
    targets: Sequence[sp.Symbol] | None = None,
    penalty: sp.Expr | None = None,
) -> Backpropagation | GraphBackpropagation:
    r"""Backpropagation through ``net`` for ``loss``: every error and every gradient.

    Parameters
    ----------
    net
        A :class:`~symdl.core.network.Network` (dense, softmax and maxout layers; symbolic or exact
        parameters), or a :class:`~symdl.core.graph.GraphNetwork` (residual blocks, branches,
        convolution, pooling, batch norm): then the result is
        :func:`~symdl.backpropagation.graph_mode.graph_backprop`'s.
    loss
        A :class:`~symdl.core.losses.Loss` (e.g. ``LOSSES["mse"]``), or a SymPy expression in the
        output symbols :math:`a^{(L)}_j` (:func:`activation_symbol`) and the targets.
    targets
        The target symbols (default :math:`y_1, …, y_{n_L}`, :func:`target_symbols`).
    penalty
        A regularizer :math:`\lambda \Theta` in the network's parameters, added to the loss:
        :math:`C = L + \lambda \Theta` (e.g. :func:`weight_decay`).  Its partial derivatives
        are added to the gradient (:math:`\partial C/\partial w = \delta a + 2\lambda w`
        for weight decay); the errors :math:`\delta` are those of :math:`L`.

    Returns
    -------
    Backpropagation or GraphBackpropagation
        The program of errors and the gradient.

    Raises
    ------
    ValueError
        If the loss does not depend on the network's output, or if a registry loss that applies the
        softmax itself (:data:`~symdl.core.network.SOFTMAX_LOSSES`) follows a softmax layer
        (:func:`~symdl.core.network.refuse_softmax_twice`).
    TypeError
        If ``net`` is neither a Network nor a GraphNetwork, or ``loss`` neither a Loss nor a
        SymPy expression.

    Examples
    --------
    >>> import sympy as sp
    >>> from symdl.core.network import Network
    >>> from symdl.core.losses import LOSSES
    >>> net = Network.mlp([1, 1], "sigmoid")
    >>> bp = backprop(net, LOSSES["mse"])
    >>> bp.delta(1, 1)
    a^{(1)}_{1}*(1 - a^{(1)}_{1})*(2*a^{(1)}_{1} - 2*y_{1})
    >>> w, b = net.parameters
    >>> bp.gradient[w]
    \delta^{(1)}_{1}*x_{1}
    >>> sp.simplify(bp.partial(w, expanded=True) - sp.diff(LOSSES["mse"](
    ...     net.forward(), sp.Matrix(bp.targets)), w).doit())
    0

    References
    ----------
    Nielsen, *Neural Networks and Deep Learning*, ch. 2, equations (BP1)–(BP4).
    """
    if isinstance(net, GraphNetwork):
        return graph_backprop(net, loss, targets=targets, penalty=penalty)
    if not isinstance(net, Network):
        raise TypeError(f"net must be a symdl Network or GraphNetwork, not {type(net).__name__}")
    n_out = net.n_outputs
    ys = target_symbols(n_out) if targets is None else tuple(targets)
    if len(ys) != n_out or not all(isinstance(y, sp.Symbol) for y in ys):
        raise ValueError(f"targets={ys!r}: give {n_out} SymPy symbols, one per output")
    outputs = sp.Matrix([activation_symbol(net.depth, j) for j in range(1, n_out + 1)])
    if isinstance(loss, Loss):
        refuse_softmax_twice(net, loss)
        expr, name = loss(outputs, sp.Matrix(ys)), loss.name
    elif isinstance(loss, sp.Expr):
        expr, name = loss, "expression"
    else:
        raise TypeError(
            f"loss {loss!r} must be a symdl Loss (e.g. LOSSES['mse']) or a SymPy expression in "
            f"the outputs {', '.join(map(str, outputs))} and the targets"
        )
    if not expr.free_symbols & set(outputs):
        hint = (
            "the loss applies the softmax, which is 1 for a single output: give the network "
            "at least 2 outputs"
            if isinstance(loss, Loss) and applies_softmax(loss) and n_out == 1
            else "write it in these symbols (activation_symbol)"
        )
        raise ValueError(
            f"the loss {expr} does not depend on the network's output "
            f"({', '.join(map(str, outputs))}); {hint}"
        )
    if penalty is not None:
        if not isinstance(penalty, sp.Expr):
            raise TypeError(
                f"penalty={penalty!r} must be a SymPy expression in the network's parameters "
                "(e.g. weight_decay(net, lambda))"
            )
        stray = penalty.free_symbols & (set(outputs) | set(ys) | set(net.inputs))
        if stray:
            raise ValueError(
                f"the penalty {penalty} depends on {', '.join(sorted(map(str, stray)))}: a "
                "regularizer is a function of the parameters alone"
            )
        expr, name = expr + penalty, f"{name} + penalty"
    return Backpropagation(net, expr, ys, name)
