r"""The local rules of backpropagation, one per kind of layer: forward definitions and errors.

Backpropagation (:mod:`symdl.backpropagation.reverse_mode`) keeps every pre-activation
:math:`z^l_j`, activation
:math:`a^l_j` and error :math:`\delta^l_j` as one symbol.  This module writes, for one layer,

- its forward definitions :math:`z_j := \sum_k w_{jk} a^{l-1}_k + b_j` (one per piece of a
  maxout layer) and :math:`a_j := \sigma(z_j)`, the softmax, or the maximum of the pieces
  (:func:`forward_definitions`);
- its errors from :math:`g_k = \partial C/\partial a_k`, the chain rule through the layer's
  activation (:func:`local_errors`):

.. math::

    \text{dense: } \delta_j = g_j\, \sigma_j'(z_j), \qquad
    \text{softmax: } \delta_j = a_j \Bigl(g_j - \sum_k g_k a_k\Bigr), \qquad
    \text{maxout: } \delta_{jp} = g_j\, \mathbb 1[\text{piece } p \text{ is the first maximal}].

The dense rule is the :math:`\odot \sigma'(z)` of (BP1) and (BP2), with each neuron's own
activation :math:`\sigma_j` when the layer gives its neurons different ones; the softmax rule is the
Jacobian :math:`\partial a_k/\partial z_j = a_k(\mathbb 1[j = k] - a_j)` applied to
:math:`g`; the maxout rule gives a tie to the first maximal piece (NumPy's ``argmax``), so
that the pieces' indicators sum to 1.

A softmax output layer must not be followed by a registry loss that applies the softmax itself
(:data:`~symdl.core.network.SOFTMAX_LOSSES`): :func:`~symdl.core.network.refuse_softmax_twice` says
so, with the two ways out.

References
----------
M. Nielsen, *Neural Networks and Deep Learning* (2015), ch. 2, equations (BP1), (BP2).

I. Goodfellow, D. Warde-Farley, M. Mirza, A. Courville, Y. Bengio, "Maxout networks",
ICML 2013 (the maxout unit :math:`\max_p z_p`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import sympy as sp

from symdl.core.activations import Activation, pin_heaviside
from symdl.core.exceptions import NotSupportedError
from symdl.core.network import (
    SOFTMAX_LOSSES,
    Dense,
    Layer,
    Maxout,
    SoftmaxLayer,
    applies_softmax,
    refuse_softmax_twice,
)

__all__ = [
    "SOFTMAX_LOSSES",
    "TiesToFirst",
    "activated",
    "activation_derivative",
    "affine_pieces",
    "applies_softmax",
    "convention_derivative",
    "first_maximum",
    "forward_definitions",
    "kink_aware",
    "local_errors",
    "maxout_pieces",
    "refuse_softmax_twice",
    "replaced_bottom_up",
    "with_ties_to_first",
]


def maxout_pieces(layer: Layer) -> int | None:
    """The number :math:`k` of pieces of a maxout layer; ``None`` for any other layer."""
    return layer.k if isinstance(layer, Maxout) else None


def affine_pieces(layer: Layer) -> list[tuple[sp.Matrix, sp.Matrix]]:
    """The pairs :math:`(W_p, b_p)` of a layer: one per maxout piece, else the one pair.

    Examples
    --------
    >>> from symdl.core.network import Network
    >>> [(W.shape, b.shape) for W, b in affine_pieces(Network.mlp([2, 3], "tanh").layers[0])]
    [((3, 2), (3, 1))]
    """
    if isinstance(layer, Maxout):
        return list(zip(layer.Ws, layer.bs, strict=True))
    return [(layer.W, layer.b)]


def first_maximum(z: Sequence[sp.Symbol], p: int) -> sp.Expr:
    r""":math:`\partial \max_q z_q / \partial z_p`: 1 if piece ``p`` is the first maximal one.

    A product of indicators: :math:`z_p > z_q` for the pieces before ``p``
    (``Heaviside(·, 0)``) and :math:`z_p \ge z_q` for those after (``Heaviside(·, 1)``), so
    at a tie the first maximal piece takes the whole derivative (NumPy's ``argmax``) and the
    indicators of the pieces always sum to 1.

    Examples
    --------
    >>> import sympy as sp
    >>> z = sp.symbols("z_1 z_2", real=True)
    >>> first_maximum(z, 1)
    Heaviside(-z_1 + z_2, 0)
    >>> [first_maximum(z, p).subs({z[0]: 1, z[1]: 1}) for p in (0, 1)]  # a tie
    [1, 0]
    """
    factors = [sp.Heaviside(z[p] - z[q], 0 if q < p else 1) for q in range(len(z)) if q != p]
    return sp.Mul(*factors)


class TiesToFirst(sp.Function):
    r""":math:`\max(u_1, \dots, u_n)` whose derivative goes to the first maximal argument.

    SymPy differentiates ``Max(u, v)`` as :math:`u' H(u - v) + v' H(v - u)`; with the kink
    convention :math:`H(0) = 0` that vanishes at a tie, even where the tied arguments are
    the same function.  Here :math:`\partial/\partial u_p` is :func:`first_maximum`, so at a
    tie the first maximal argument takes the derivative, as NumPy's ``argmax`` does.  Used
    only while differentiating: :func:`with_ties_to_first`, then back.

    Examples
    --------
    >>> import sympy as sp
    >>> u = sp.Symbol("u", real=True)
    >>> sp.diff(TiesToFirst(u, u), u)  # max(u, u) = u: SymPy's Max would give 0 with H(0) = 0
    1
    >>> sp.diff(TiesToFirst(0, u), u)  # the hinge's kink: 0 comes first, so H(u, 0)
    Heaviside(u, 0)
    """

    def fdiff(self, argindex: int = 1) -> sp.Expr:
        """The derivative in argument ``argindex`` (from 1): the first-maximum indicator."""
        return first_maximum(self.args, argindex - 1)


def with_ties_to_first(expr: sp.Expr) -> sp.Expr:
    """``expr`` with every ``Max`` a :class:`TiesToFirst` of the same arguments, in their order.

    Unlike ``expr.replace(sp.Max, TiesToFirst)``, which builds every enclosing maximum again
    as a ``Max`` (SymPy then searches its arguments for redundant ones, seconds for a large
    one) before replacing it, this builds each distinct subexpression once, bottom up: a value
    that several branches share (a residual block's input) is converted once.

    Examples
    --------
    >>> import sympy as sp
    >>> u, v = sp.symbols("u v", real=True)
    >>> with_ties_to_first(sp.Max(0, sp.Max(u, v) + 1) ** 2)
    TiesToFirst(0, TiesToFirst(u, v) + 1)**2
    """
    return replaced_bottom_up(expr, sp.Max, lambda _, args: TiesToFirst(*args))


def replaced_bottom_up(
    expr: sp.Expr, kind: type, make: Callable[[sp.Basic, tuple[sp.Basic, ...]], sp.Basic]
) -> sp.Expr:
    """``expr`` with each subexpression ``e`` of type ``kind`` replaced by ``make(e, args)``
    (``args`` its arguments, replaced first), each distinct subexpression visited once."""
    done: dict[sp.Basic, sp.Basic] = {}

    def rebuild(e: sp.Basic) -> sp.Basic:
        if not e.args:
            return e
        found = done.get(e)
        if found is not None:
            return found
        args = tuple(rebuild(a) for a in e.args)
        if isinstance(e, kind):
            result = make(e, args)
        elif args == e.args:
            result = e
        else:
            result = e.func(*args)
        done[e] = result
        return result

    return rebuild(expr)


def convention_derivative(tied: sp.Expr, s: sp.Symbol, *, evaluate: bool = True) -> sp.Expr:
    r""":math:`\partial/\partial s` with backprop's conventions where the derivative does not exist.

    ``tied`` is an expression whose maxima are :class:`TiesToFirst`
    (:func:`with_ties_to_first`): a maximum's derivative goes to its first maximal argument,
    and a bare Heaviside is 0 at 0 (:func:`~symdl.core.activations.pin_heaviside`); the maxima
    of the result are SymPy's ``Max`` again.  With ``evaluate=False`` they are not simplified
    as they are built (the same function; SymPy's search for redundant arguments of a large
    maximum, which costs seconds on a deep residual network, is skipped).

    Examples
    --------
    >>> import sympy as sp
    >>> u = sp.Symbol("u", real=True)
    >>> convention_derivative(TiesToFirst(0, u) ** 2, u)
    2*Heaviside(u, 0)*Max(0, u)
    """
    derivative = pin_heaviside(sp.diff(tied, s))
    if evaluate:
        return derivative.replace(TiesToFirst, sp.Max)
    return replaced_bottom_up(
        derivative, TiesToFirst, lambda _, args: sp.Max(*args, evaluate=False)
    )


class _Kinked(sp.Function):
    """An activation with kinks, kept whole while differentiating: its derivative is the
    registry's, with the activation's own convention at the kinks (leaky ReLU's slope
    :math:`a` at 0, ``relu(at_zero=1)``), not the one SymPy's form of it would give."""

    activation: Activation

    def fdiff(self, argindex: int = 1) -> sp.Expr:
        """The registry's derivative at the argument."""
        return self.activation.derivative(self.args[0])

    def _eval_is_extended_real(self) -> bool | None:
        return self.args[0].is_extended_real


_KINKED: dict[str, type[_Kinked]] = {}


def _kinked(activation: Activation) -> type[_Kinked]:
    key = f"{activation.name}:{activation!r}"
    if key not in _KINKED:
        _KINKED[key] = type(f"Kinked_{activation.name}", (_Kinked,), {"activation": activation})
    return _KINKED[key]


def activated(expr: sp.Expr) -> sp.Expr:
    """``expr`` with every kept activation replaced by its value (its SymPy form)."""
    return replaced_bottom_up(expr, _Kinked, lambda e, args: e.activation(args[0]))


def kink_aware(activation: Callable[[sp.Expr], sp.Expr]) -> Callable[[sp.Expr], sp.Expr]:
    """The activation for a true derivative that keeps backprop's conventions at kinks.

    An activation with kinks is kept whole (its derivative the registry's, with its own
    convention at the kinks; :func:`activated` gives its value back afterwards); any other
    has its maxima as :class:`TiesToFirst` from the start: the same function, without SymPy's
    search of a large argument for redundant terms (seconds per unit on a deep residual
    network).
    """
    if isinstance(activation, Activation) and activation.kinks:
        return _kinked(activation)
    z = sp.Dummy("z", real=True)
    template = with_ties_to_first(activation(z))
    return lambda e: template.xreplace({z: e})


def activation_derivative(act: Activation, z: sp.Symbol) -> sp.Expr:
    """The registry's derivative :math:`\\sigma'(z)`, or a clear error when it cannot be formed.

    Raises
    ------
    NotSupportedError
        Naming the activation, when its derivative raises or is left unevaluated by SymPy.

    Examples
    --------
    >>> import sympy as sp
    >>> from symdl.core.activations import ACTIVATIONS
    >>> activation_derivative(ACTIVATIONS["relu"], sp.Symbol("z", real=True))
    Heaviside(z, 0)
    """
    try:
        value = act.derivative(z)
    except Exception as error:
        raise NotSupportedError(
            f"the derivative of the activation {act.name!r} could not be formed ({error}); "
            f"give the Activation a sympy_derivative"
        ) from error
    if not isinstance(value, sp.Expr) or value.has(sp.Derivative, sp.Subs):
        raise NotSupportedError(
            f"SymPy cannot form the derivative of the activation {act.name!r} (it gives "
            f"{value}); give the Activation an explicit sympy_derivative"
        )
    return value


def local_errors(
    layer: Layer, z: list[list[sp.Symbol]], a: list[sp.Symbol], g: list[sp.Expr]
) -> list[list[sp.Expr]]:
    r"""The errors :math:`\delta_{j(p)}` of a layer from :math:`g_k = \partial C/\partial a_k`.

    ``z[j][p]`` are the layer's pre-activation symbols (piece ``p`` of a maxout layer, else
    ``p = 0``) and ``a[j]`` its activation symbols; the result is indexed like ``z``.

    Examples
    --------
    >>> import sympy as sp
    >>> from symdl.core.network import Network
    >>> z, a, g = sp.symbols("z a g", real=True)
    >>> local_errors(Network.mlp([1, 1], "sigmoid").layers[0], [[z]], [a], [g])
    [[a*g*(1 - a)]]
    """
    if isinstance(layer, Dense):
        errors = []
        for j, (zj,) in enumerate(z):
            act = layer.activations[j]  # the neuron's own activation σ_j
            # σ'(z) written in a = σ(z) where it can be (σ(1 - σ), 1 - tanh²): shared, small
            local = activation_derivative(act, zj).xreplace({act(zj): a[j]})
            errors.append([g[j] * local])
        return errors
    if isinstance(layer, SoftmaxLayer):
        # ∂a_k/∂z_j = a_k (1[j = k] - a_j), so δ_j = a_j (g_j - Σ_k g_k a_k)
        mean = sp.Add(*[gk * ak for gk, ak in zip(g, a, strict=True)])
        return [[a[j] * (g[j] - mean)] for j in range(len(a))]
    return [[g[j] * first_maximum(zj, p) for p in range(len(zj))] for j, zj in enumerate(z)]


def forward_definitions(
    layer: Layer, z: list[list[sp.Symbol]], a: list[sp.Symbol], a_prev: list[sp.Symbol]
) -> list[tuple[sp.Symbol, sp.Expr]]:
    r""":math:`z := W a^{l-1} + b` (each piece) and :math:`a := \sigma(z)`, in symbols.

    Examples
    --------
    >>> import sympy as sp
    >>> from symdl.core.network import Network
    >>> z, a, x = sp.symbols("z a x", real=True)
    >>> net = Network.mlp([1, 1], "tanh", weights=[[[2]]], biases=[[1]])
    >>> forward_definitions(net.layers[0], [[z]], [a], [x])
    [(z, 2*x + 1), (a, tanh(z))]
    """
    definitions = []
    for p, (W, b) in enumerate(affine_pieces(layer)):
        for j in range(layer.n_out):
            value = sp.Add(*[W[j, k] * a_prev[k] for k in range(layer.n_in)], b[j, 0])
            definitions.append((z[j][p], value))
    if isinstance(layer, Dense):
        definitions.extend((a[j], act(z[j][0])) for j, act in enumerate(layer.activations))
    elif isinstance(layer, SoftmaxLayer):
        total = sp.Add(*[sp.exp(zj[0]) for zj in z])
        definitions.extend((a[j], sp.exp(z[j][0]) / total) for j in range(layer.n_out))
    else:
        definitions.extend((a[j], sp.Max(*z[j])) for j in range(layer.n_out))
    return definitions
