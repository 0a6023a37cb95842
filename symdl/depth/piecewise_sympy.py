r"""Conversions of :class:`~symdl.depth.piecewise.PiecewiseLinear` functions: SymPy and networks.

- :func:`~symdl.depth.piecewise_building.to_sympy` writes a function as a SymPy
  ``Piecewise`` of linear branches;
- :func:`from_sympy` reads one back from an expression built of rational numbers, the
  variable, ``+``, scalar ``*``, ``Max``, ``Min``, ``Abs`` and ``Piecewise`` with linear
  branches and conditions :math:`x < a`, :math:`x \le a` (and their mirror images);
- :func:`from_network` computes the exact function of a one-input network with ReLU-type
  activations (identity, ReLU, leaky ReLU, maxout) and exact weights, layer by layer with
  exact sums and compositions.

References
----------
Telgarsky, "Representation benefits of deep feedforward networks", arXiv:1509.08101, 2015: each
layer adds and composes piecewise-affine ("sawtooth") functions.
"""

from __future__ import annotations

import sympy as sp

from symdl.core.exact import FloatConversion
from symdl.core.network import Network
from symdl.depth.piecewise import PiecewiseLinear
from symdl.depth.piecewise_building import (
    ACCEPTED_ACTIVATIONS,
    affine_images,
    exact_entry,
    network_functions,
    piecewise_linear_activations,
    splice,
    to_sympy,
)

__all__ = [
    "ACCEPTED_ACTIVATIONS",
    "affine_images",
    "exact_entry",
    "from_network",
    "from_sympy",
    "layer_functions",
    "piecewise_linear_activations",
    "splice",
    "to_sympy",
]


def from_sympy(expr: sp.Expr, x: sp.Symbol) -> PiecewiseLinear:
    """The exact piecewise-linear function of ``x`` that ``expr`` denotes.

    Raises :class:`ValueError` (naming the offending part) when ``expr`` is not piecewise
    linear in ``x``, has a non-rational coefficient, or jumps; :class:`TypeError` for text
    (parse untrusted text with :func:`symdl.grading.parsing.parse_expression` first) and floats.

    Examples
    --------
    >>> x = sp.Symbol("x", real=True)
    >>> from_sympy(sp.Max(0, 2 * x - 1) + sp.Abs(x), x).breakpoints
    (Fraction(0, 1), Fraction(1, 2))
    >>> from_sympy(to_sympy(PiecewiseLinear.relu(), x), x) == PiecewiseLinear.relu()
    True
    """
    return PiecewiseLinear.from_sympy(expr, x)


def layer_functions(
    net: Network, *, floats: FloatConversion = FloatConversion.REJECT
) -> list[list[PiecewiseLinear]]:
    """The exact activations :math:`a^{(l)}_j` of every layer of a one-input network.

    Element ``l - 1`` lists the functions of layer ``l`` (one per neuron).

    Examples
    --------
    >>> net = Network.mlp([1, 2, 1], ["relu", "identity"],
    ...                   weights=[[[1], [-1]], [[1, 1]]], biases=[[0, 0], [0]])
    >>> [[f.num_pieces() for f in layer] for layer in layer_functions(net)]
    [[2, 2], [2]]
    """
    return network_functions(PiecewiseLinear, net, floats)


def from_network(
    net: Network, *, output: int = 0, floats: FloatConversion = FloatConversion.REJECT
) -> PiecewiseLinear:
    """The exact function :math:`x \\mapsto` output ``output`` of a one-input network.

    Parameters
    ----------
    net
        A :class:`~symdl.core.network.Network` with one input, layers ``Dense`` (identity, relu,
        leaky_relu) or ``Maxout``, and exact (rational) weights.
    output
        Which output neuron (0-based).
    floats
        Float weights raise :class:`TypeError` unless a conversion is chosen.

    Examples
    --------
    >>> net = Network.mlp([1, 2, 1], ["relu", "identity"],
    ...                   weights=[[[1], [-1]], [[1, 1]]], biases=[[0, 0], [0]])
    >>> f = from_network(net)
    >>> f(-3), f(2), f.num_pieces()
    (Fraction(3, 1), Fraction(2, 1), 2)
    """
    return PiecewiseLinear.from_network(net, output=output, floats=floats)
