r"""Feed-forward networks as exact SymPy expressions.

A :class:`Network` is a sequence of layers.  Layer :math:`l` (``net.layers[l - 1]``; layers
are numbered from 1 in the mathematics, from 0 in Python) maps :math:`a^{(l-1)}` to

.. math::

    z^{(l)} = W^{(l)} a^{(l-1)} + b^{(l)}, \qquad a^{(l)} = \sigma_l\bigl(z^{(l)}\bigr),

with :math:`a^{(0)} = x` (Nielsen, *Neural Networks and Deep Learning*, ch. 2).  Parameters
are real SymPy symbols named as a lecturer writes them (:math:`w^{(l)}_{jk}`,
:math:`b^{(l)}_j`) or exact numbers; a network with rational weights and ReLU-type
activations computes exact rational outputs.

The layers (:class:`~symdl.core.layers.Dense`, :class:`~symdl.core.layers.Maxout`,
:class:`~symdl.core.layers.SoftmaxLayer`) are in
:mod:`symdl.core.layers`, the conversion of user values to exact numbers in :mod:`symdl.core.exact`.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import sympy as sp

from symdl.core.activations import Activation, get_activation, softmax
from symdl.core.exact import FloatConversion, exact_matrix, exact_number
from symdl.core.exceptions import shown as _shown
from symdl.core.layers import (
    Dense,
    Layer,
    Maxout,
    SoftmaxLayer,
    bias_symbol,
    input_symbols,
    symbolic_bias,
    symbolic_matrix,
    weight_symbol,
)
from symdl.core.losses import Loss
from symdl.core.notation import math_html

# Layers, symbols and exact values live in symdl.core.layers and symdl.core.exact; they are
# re-exported here because a network is where users meet them.
__all__ = [
    "MAX_TEXT_DEPTH",
    "MAX_TEXT_PARAMETERS",
    "MAX_TEXT_WIDTH",
    "SOFTMAX_LOSSES",
    "Dense",
    "FloatConversion",
    "Layer",
    "Maxout",
    "Network",
    "SoftmaxLayer",
    "Trace",
    "applies_softmax",
    "bias_symbol",
    "exact_matrix",
    "exact_number",
    "input_symbols",
    "mlp_parameter_count",
    "read_layer_activations",
    "read_layer_sizes",
    "refuse_softmax_twice",
    "softmax",
    "symbolic_bias",
    "symbolic_matrix",
    "weight_symbol",
]


# --- networks read from text ------------------------------------------------------------------

#: The widest layer of a network whose sizes are read from text (a problem file, a directive's
#: option, a command line, a file of weights).  Networks built in Python are not bounded.
MAX_TEXT_WIDTH = 256
#: The most layers (after the input) of a network read from text.
MAX_TEXT_DEPTH = 32
#: The most parameters (weights and biases) of a network read from text.
MAX_TEXT_PARAMETERS = 10_000
_MAX_SIZE_DIGITS = 12  # a size written with more digits is past every limit: never convert it


def mlp_parameter_count(sizes: Sequence[int]) -> int:
    r"""The number of weights and biases of an MLP: :math:`\sum_l n_l (n_{l-1} + 1)`.

    Examples
    --------
    >>> mlp_parameter_count([2, 3, 1])  # 3 * (2 + 1) + 1 * (3 + 1)
    13
    """
    return sum(n * (m + 1) for m, n in itertools.pairwise(sizes))


def _limit(name: str) -> str:
    return (
        f"symdl.core.network.{name}; to raise the limit, set it in Python before the network is "
        "read (for a documentation build, in conf.py)"
    )


def read_layer_sizes(value: str | Sequence[Any], *, name: str = "sizes") -> list[int]:
    """The layer sizes of an MLP read from text, checked against the limits for text.

    ``value`` is text (``"2, 3, 1"``: commas or spaces between the sizes) or a list of
    integers (a TOML array, the shapes of a file of weights): positive integers, inputs
    first, at least two of them.  The widths, the depth and the number of parameters are at
    most :data:`MAX_TEXT_WIDTH`, :data:`MAX_TEXT_DEPTH` and :data:`MAX_TEXT_PARAMETERS`, so
    that no text can ask for a network too large to build.  ``name`` names the option in
    error messages.

    Examples
    --------
    >>> read_layer_sizes("2, 3, 1")
    [2, 3, 1]
    >>> read_layer_sizes([2, 100000000])
    Traceback (most recent call last):
    ...
    ValueError: sizes = [2, 100000000]: a layer of 100,000,000 units; a network read from text ...
    """
    # "--sizes '2,x'" for a command-line option, "sizes = [2, 0]" for a key
    shown = ("" if name.startswith("-") else "= ") + _shown(value)
    if isinstance(value, str):
        items: list[Any] = [item for item in re.split(r"[\s,]+", value.strip()) if item]
    elif isinstance(value, Sequence) and not isinstance(value, bytes):
        items = list(value)
    else:
        raise TypeError(
            f"{name} {shown}: give the layer sizes as a list of positive integers, inputs "
            "first, e.g. [2, 3, 1]"
        )
    if len(items) - 1 > MAX_TEXT_DEPTH:
        raise ValueError(
            f"{name} {shown}: {len(items) - 1} layers after the input; a network read from "
            f"text has at most {MAX_TEXT_DEPTH} ({_limit('MAX_TEXT_DEPTH')})"
        )
    too_wide = (
        f"{name} {shown}: a layer of {{}} units; a network read from text has layers of at "
        f"most {MAX_TEXT_WIDTH:,} units ({_limit('MAX_TEXT_WIDTH')})"
    )
    sizes = []
    for item in items:
        if isinstance(value, str) and item.isascii() and item.isdigit():
            if len(item) > _MAX_SIZE_DIGITS:  # never convert a number that long
                raise ValueError(too_wide.format(f"more than 10^{_MAX_SIZE_DIGITS}"))
            item = int(item)
        if isinstance(item, bool) or not isinstance(item, (int, np.integer)) or item < 1:
            raise ValueError(
                f"{name} {shown}: every size must be a positive integer (inputs first, "
                f"e.g. 2, 3, 1); {_shown(item)} is not"
            )
        if item > MAX_TEXT_WIDTH:
            raise ValueError(too_wide.format(f"{int(item):,}"))
        sizes.append(int(item))
    if len(sizes) < 2:
        raise ValueError(
            f"{name} {shown}: give an input size and at least one layer width, e.g. 2, 3, 1"
        )
    count = mlp_parameter_count(sizes)
    if count > MAX_TEXT_PARAMETERS:
        raise ValueError(
            f"{name} {shown}: {count:,} parameters; a network read from text has at most "
            f"{MAX_TEXT_PARAMETERS:,} parameters ({_limit('MAX_TEXT_PARAMETERS')})"
        )
    return sizes


def read_layer_activations(
    value: str | Sequence[Any], *, name: str = "activations"
) -> list[str | list[str]]:
    """The activation names of an MLP's layers read from text (names are not yet checked).

    ``value`` is text or a list (a TOML array).  Text names one activation per layer,
    separated by commas or spaces (``"sigmoid, identity"``); when a layer gives each neuron its
    own activation, semicolons separate the layers and commas the neurons of a layer
    (``"relu, tanh, sigmoid; identity"``).  In a list, each layer is a name or a list of names,
    one per neuron (``[["relu", "tanh", "sigmoid"], "identity"]``).  A layer with one name
    is a string in the result, a layer with several a list.  ``name`` names the option in
    error messages.

    Examples
    --------
    >>> read_layer_activations("sigmoid, identity")
    ['sigmoid', 'identity']
    >>> read_layer_activations("relu, tanh; identity")
    [['relu', 'tanh'], 'identity']
    >>> read_layer_activations([["relu", "tanh"], "identity"])
    [['relu', 'tanh'], 'identity']
    """
    shown = ("" if name.startswith("-") else "= ") + _shown(value)
    how = (
        "give an activation name per layer (e.g. sigmoid, identity), or one for all; for a "
        "layer whose neurons have their own activations, separate the layers by semicolons and "
        "the neurons' names by commas (e.g. relu, tanh; identity)"
    )
    layers: list[str | list[str]] = []
    if isinstance(value, str):
        if ";" in value:
            for l, text in enumerate(value.split(";"), start=1):
                names = [item for item in re.split(r"[\s,]+", text.strip()) if item]
                if not names:
                    raise ValueError(f"{name} {shown}: layer {l} has no activation name; {how}")
                layers.append(names[0] if len(names) == 1 else names)
        else:
            layers.extend(item for item in re.split(r"[\s,]+", value.strip()) if item)
    elif isinstance(value, Sequence) and not isinstance(value, bytes):
        for l, entry in enumerate(value, start=1):
            if isinstance(entry, str):
                layers.append(entry)
            elif (
                isinstance(entry, Sequence)
                and not isinstance(entry, bytes)
                and entry
                and all(isinstance(item, str) for item in entry)
            ):
                layers.append(list(entry))
            else:
                raise TypeError(
                    f"{name} {shown}: layer {l} is {_shown(entry)}; give a name, or a list of "
                    f"names with one per neuron"
                )
    else:
        raise TypeError(f"{name} {shown}: {how}")
    if not layers:
        raise ValueError(f"{name} {shown}: {how}")
    return layers


# --- the network -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Trace:
    r"""The intermediate values of a forward pass.

    ``a[l]`` is :math:`a^{(l)}` for :math:`l = 0, …, L` (``a[0]`` is the input) and ``z[l]``
    is :math:`z^{(l)}` for :math:`l = 1, …, L` (``z[0]`` is ``None``).
    """

    z: tuple[sp.Matrix | None, ...]
    a: tuple[sp.Matrix, ...]


@dataclass(frozen=True)
class SequenceStage:
    r"""One stage :math:`\varphi^{(l)} \circ \alpha^{(l)}` of the sequence view.

    ``affine`` is :math:`\hat W^{(l)} = [\,b^{(l)} \mid W^{(l)}\,]`, acting on the input
    augmented by a leading constant 1 (the "zero-indexed bias").
    """

    affine: sp.Matrix
    layer: Layer


class Network:
    r"""A feed-forward network: a sequence of layers whose sizes chain.

    Parameters
    ----------
    layers
        The layers, first to last.
    inputs
        The input symbols (default :math:`x_1, …, x_n`).

    Examples
    --------
    >>> net = Network.mlp([2, 2, 1], ["relu", "identity"],
    ...                   weights=[[[1, -1], [-1, 1]], [[1, 1]]], biases=[[0, 0], [0]])
    >>> net.forward([3, 5])
    Matrix([[2]])
    """

    def __init__(
        self, layers: Sequence[Layer], *, inputs: Sequence[sp.Symbol] | None = None
    ) -> None:
        if not layers:
            raise ValueError("a network needs at least one layer")
        for index, layer in enumerate(layers):
            if not isinstance(layer, (Dense, Maxout, SoftmaxLayer)):
                raise TypeError(
                    f"layer {index + 1} is a {type(layer).__name__}; accepted: Dense, Maxout, "
                    f"SoftmaxLayer"
                )
        for index in range(1, len(layers)):
            if layers[index].n_in != layers[index - 1].n_out:
                raise ValueError(
                    f"layer {index + 1} takes {layers[index].n_in} inputs but layer {index} "
                    f"gives {layers[index - 1].n_out} outputs"
                )
        self.layers: tuple[Layer, ...] = tuple(layers)
        n_in = self.layers[0].n_in
        self.inputs: tuple[sp.Symbol, ...] = (
            input_symbols(n_in) if inputs is None else tuple(inputs)
        )
        if len(self.inputs) != n_in:
            raise ValueError(f"{len(self.inputs)} input symbols given for {n_in} inputs")

    # construction -------------------------------------------------------------------------

    @classmethod
    def mlp(
        cls,
        sizes: Sequence[int],
        activations: str | Activation | Sequence[str | Activation | Sequence[str | Activation]],
        *,
        weights: Sequence[Any] | None = None,
        biases: Sequence[Any] | None = None,
        floats: FloatConversion = FloatConversion.REJECT,
    ) -> Network:
        r"""A multilayer perceptron with layer sizes ``sizes`` (inputs first).

        Parameters
        ----------
        sizes
            :math:`[n_0, n_1, …, n_L]`: the input size and each layer's width.
        activations
            One activation per layer (names from :data:`symdl.core.activations.ACTIVATIONS`,
            :class:`~symdl.core.activations.Activation` objects, or ``"softmax"`` for the last
            layer), or a single one for every layer.  A layer whose neurons have different
            activations is given as a list with one activation per neuron:
            ``[["relu", "tanh", "sigmoid"], "identity"]`` for sizes ``[2, 3, 1]``.
        weights, biases
            Exact values per layer (nested lists, NumPy arrays, SymPy matrices); ``None``
            makes every parameter a symbol :math:`w^{(l)}_{jk}`, :math:`b^{(l)}_j`.
        floats
            How to treat float values (default: reject them).

        Examples
        --------
        >>> net = Network.mlp([2, 3, 1], ["sigmoid", "identity"])
        >>> len(net.parameters), net.layers[0].W[0, 1]
        (13, w^{(1)}_{12})

        Each neuron of the hidden layer with its own activation:

        >>> mixed = Network.mlp([2, 3, 1], [["relu", "tanh", "sigmoid"], "identity"])
        >>> [act.name for act in mixed.layers[0].activations]
        ['relu', 'tanh', 'sigmoid']
        """
        sizes = _check_sizes(sizes)
        depth = len(sizes) - 1
        acts = _layer_activations(activations, depth)
        weights = _per_layer(weights, depth, "weights")
        biases = _per_layer(biases, depth, "biases")
        layers: list[Layer] = []
        for l in range(1, depth + 1):
            shape = (sizes[l], sizes[l - 1])
            _check_rows(weights[l - 1], shape, f"weights[{l - 1}]")
            W = (
                symbolic_matrix(*shape, l)
                if weights[l - 1] is None
                else exact_matrix(weights[l - 1], shape, name=f"weights[{l - 1}]", floats=floats)
            )
            b = (
                symbolic_bias(sizes[l], l)
                if biases[l - 1] is None
                else exact_matrix(
                    biases[l - 1], (sizes[l], 1), name=f"biases[{l - 1}]", floats=floats
                )
            )
            act = acts[l - 1]
            if isinstance(act, (str, Activation)):
                if act == "softmax":
                    if l != depth:
                        raise ValueError(
                            "softmax is an output layer: only the last layer may use it"
                        )
                    layers.append(SoftmaxLayer(W, b))
                else:
                    layers.append(Dense(W, b, get_activation(act)))
            else:
                layers.append(Dense(W, b, activations=_neuron_activations(act, l, sizes[l])))
        return cls(layers)

    # shape and parameters ---------------------------------------------------------------------

    @property
    def n_inputs(self) -> int:
        return self.layers[0].n_in

    @property
    def n_outputs(self) -> int:
        return self.layers[-1].n_out

    @property
    def depth(self) -> int:
        """The number of layers :math:`L`."""
        return len(self.layers)

    @property
    def sizes(self) -> tuple[int, ...]:
        """:math:`(n_0, n_1, …, n_L)`."""
        return (self.n_inputs, *(layer.n_out for layer in self.layers))

    @property
    def parameters(self) -> tuple[sp.Symbol, ...]:
        """The free parameter symbols, layer by layer (weights row by row, then biases)."""
        seen: dict[sp.Symbol, None] = {}
        for layer in self.layers:
            for symbol in layer.parameters:
                seen.setdefault(symbol, None)
        return tuple(seen)

    @property
    def is_exact(self) -> bool:
        """True when every parameter is a number (no free parameter symbol)."""
        return not self.parameters

    # evaluation -------------------------------------------------------------------------------

    def _input_vector(self, x: Any) -> sp.Matrix:
        if x is None:
            return sp.Matrix(self.inputs)
        values = list(x)
        if len(values) != self.n_inputs:
            raise ValueError(f"the network takes {self.n_inputs} inputs; got {len(values)}: {x!r}")
        return sp.Matrix([exact_number(v, name=f"x[{i}]") for i, v in enumerate(values)])

    def trace(self, x: Any = None) -> Trace:
        """Every :math:`z^{(l)}` and :math:`a^{(l)}` of the forward pass (symbolic inputs by
        default).

        Examples
        --------
        >>> net = Network.mlp([1, 1, 1], ["relu", "identity"], weights=[[[2]], [[3]]],
        ...                   biases=[[-1], [0]])
        >>> trace = net.trace([-1])
        >>> trace.z[1], trace.a[1], trace.a[2]  # z = 2(-1) - 1 = -3, ReLU(-3) = 0
        (Matrix([[-3]]), Matrix([[0]]), Matrix([[0]]))
        """
        a = self._input_vector(x)
        zs: list[sp.Matrix | None] = [None]
        activations = [a]
        for layer in self.layers:
            z = layer.pre_activation(a)
            a = layer.activate(z)
            zs.append(z)
            activations.append(a)
        return Trace(tuple(zs), tuple(activations))

    def forward(self, x: Any = None) -> sp.Matrix:
        """The exact output :math:`a^{(L)}` as an :math:`n_L \\times 1` SymPy matrix.

        ``x`` is a sequence of exact numbers (or SymPy expressions); without it the inputs are
        the symbols ``inputs``.

        Examples
        --------
        >>> from fractions import Fraction
        >>> net = Network.mlp([2, 1], "relu", weights=[[[1, -1]]], biases=[[0]])
        >>> net.forward(), net.forward([Fraction(1, 2), 3])
        (Matrix([[Max(0, x_{1} - x_{2})]]), Matrix([[0]]))
        """
        return self.trace(x).a[-1]

    def substitute(self, mapping: Mapping[sp.Symbol, Any]) -> Network:
        """The network with the given parameters fixed to exact values.

        Examples
        --------
        >>> net = Network.mlp([1, 1], "identity")
        >>> w, b = net.parameters
        >>> net.substitute({w: 2, b: -1}).forward([3])
        Matrix([[5]])
        """
        known = set(self.parameters)
        exact: dict[sp.Symbol, sp.Expr] = {}
        for symbol, value in mapping.items():
            if symbol not in known:
                raise ValueError(
                    f"{symbol!r} is not a parameter of this network; its parameters are "
                    f"{', '.join(map(str, self.parameters)) or 'none (it is exact)'}"
                )
            exact[symbol] = exact_number(value, name=str(symbol))
        return Network([layer.subs(exact) for layer in self.layers], inputs=self.inputs)

    def lambdify(self) -> Callable[..., Any]:
        """A NumPy function ``f(X, params=None)`` of the symbolic forward pass.

        It is generated from the SymPy expression (``sympy.lambdify`` with common
        subexpressions shared); ``X`` has shape ``(batch, n_in)`` and ``params`` maps the
        free parameter symbols to numbers.  This is the symbolic path in NumPy form;
        :mod:`symdl.core.numeric` is the independent check of it.
        """
        parameters = self.parameters
        outputs = list(self.forward())
        function = sp.lambdify([*self.inputs, *parameters], outputs, modules="numpy", cse=True)

        def evaluate(X: Any, params: Mapping[sp.Symbol, Any] | None = None) -> Any:
            X = np.atleast_2d(np.asarray(X, dtype=float))
            if X.shape[1] != self.n_inputs:
                raise ValueError(f"inputs of shape {X.shape}: the network has {self.n_inputs}")
            given = dict(params or {})
            missing = [str(p) for p in parameters if p not in given]
            if missing:
                raise ValueError(f"no value given for the parameter(s) {', '.join(missing)}")
            values = [float(given[p]) for p in parameters]
            # exp may overflow to inf in a branch that Piecewise then discards (ELU): harmless
            with np.errstate(over="ignore"):
                columns = function(*X.T, *values)
            return np.stack([np.broadcast_to(c, X.shape[:1]) for c in columns], axis=1)

        return evaluate

    # the sequence view ------------------------------------------------------------------------

    def sequence(self) -> tuple[SequenceStage, ...]:
        r"""The lecture's view :math:`f^{(l)} = \varphi^{(l)} \circ \alpha^{(l)} \circ f^{(l-1)}`
        with the bias folded into the weights: :math:`\alpha^{(l)}(a) = \hat W^{(l)}
        \binom{1}{a}` (Dense and softmax layers; maxout pieces fold the same way).

        Examples
        --------
        >>> net = Network.mlp([2, 1], "identity", weights=[[[3, 4]]], biases=[[5]])
        >>> net.sequence()[0].affine  # [b | W]: the "zero-indexed bias" in column 0
        Matrix([[5, 3, 4]])
        """
        stages = []
        for layer in self.layers:
            if isinstance(layer, Maxout):
                affine = sp.Matrix.vstack(
                    *[sp.Matrix.hstack(b, W) for W, b in zip(layer.Ws, layer.bs, strict=True)]
                )
            else:
                affine = sp.Matrix.hstack(layer.b, layer.W)
            stages.append(SequenceStage(affine, layer))
        return tuple(stages)

    def forward_sequence(self, x: Any = None) -> sp.Matrix:
        """The output computed through the sequence view (augmented inputs).

        Examples
        --------
        >>> net = Network.mlp([2, 2, 1], ["tanh", "identity"])
        >>> net.forward_sequence() == net.forward()
        True
        """
        a = self._input_vector(x)
        for stage in self.sequence():
            z = stage.affine * sp.Matrix.vstack(sp.Matrix([1]), a)
            layer = stage.layer
            if isinstance(layer, Maxout):
                # the stacked pieces back into the n_out x k pre-activation matrix
                z = sp.Matrix.hstack(
                    *[z[p * layer.n_out : (p + 1) * layer.n_out, :] for p in range(layer.k)]
                )
            a = layer.activate(z)
        return a

    # display ----------------------------------------------------------------------------------

    def latex(self) -> str:
        r"""The layer equations, one line each, as the body of an ``aligned`` environment.

        Examples
        --------
        >>> net = Network.mlp([1, 1], "relu", weights=[[[2]]], biases=[[-1]])
        >>> print(net.latex().splitlines()[1])
        a^{(1)} &= \operatorname{ReLU}\left(z^{(1)}\right)
        >>> "Max" in net.latex()
        False
        """
        lines = []
        for l, layer in enumerate(self.layers, start=1):
            lines.extend(_layer_equations(l, layer))
        return " \\\\\n".join(lines)

    def _repr_latex_(self) -> str:
        return f"$$\\begin{{aligned}}\n{self.latex()}\n\\end{{aligned}}$$"

    def _repr_html_(self) -> str:
        body = f"\\begin{{aligned}}\n{self.latex()}\n\\end{{aligned}}"
        return f'<div class="math">{math_html(body)}</div>'

    def __repr__(self) -> str:
        kinds = ", ".join(_layer_kind(layer) for layer in self.layers)
        return f"Network(sizes={list(self.sizes)}, layers=[{kinds}])"


def _layer_kind(layer: Layer) -> str:
    """``dense:relu``, ``dense:(relu, tanh)`` for a layer that mixes activations, ``maxout``."""
    if not isinstance(layer, Dense):
        return layer.kind
    if layer.is_mixed:
        return f"{layer.kind}:({', '.join(act.name for act in layer.activations)})"
    return f"{layer.kind}:{layer.activation.name}"


def _layer_equations(l: int, layer: Layer) -> list[str]:
    prev = "x" if l == 1 else f"a^{{({l - 1})}}"
    if isinstance(layer, Maxout):
        lines = [
            f"z^{{({l},{p})}} &= {sp.latex(W)} {prev} + {sp.latex(b)}"
            for p, (W, b) in enumerate(zip(layer.Ws, layer.bs, strict=True), start=1)
        ]
        pieces = ", ".join(f"z^{{({l},{p})}}_j" for p in range(1, layer.k + 1))
        lines.append(f"a^{{({l})}}_j &= \\max\\left({pieces}\\right)")
        return lines
    z = f"z^{{({l})}} &= {sp.latex(layer.W)} {prev} + {sp.latex(layer.b)}"
    if isinstance(layer, SoftmaxLayer):
        a = f"a^{{({l})}}_j &= \\frac{{e^{{z^{{({l})}}_j}}}}{{\\sum_k e^{{z^{{({l})}}_k}}}}"
    elif layer.is_mixed:  # each neuron's own activation, one row per neuron
        rows = "\\\\".join(
            f"{act.latex}\\left(z^{{({l})}}_{{{j}}}\\right)"
            for j, act in enumerate(layer.activations, start=1)
        )
        a = f"a^{{({l})}} &= \\left[\\begin{{matrix}}{rows}\\end{{matrix}}\\right]"
    else:
        a = f"a^{{({l})}} &= {layer.activation.latex}\\left(z^{{({l})}}\\right)"
    return [z, a]


def _check_rows(values: Any, shape: tuple[int, int], name: str) -> None:
    """Nested lists of a weight matrix: a list of rows of equal lengths, as many as needed."""
    if not isinstance(values, (list, tuple)):
        return  # None (symbols), a NumPy array or a SymPy matrix: their shape is checked later
    rows = [isinstance(row, (list, tuple)) for row in values]
    if not any(rows) and shape[1] == 1:
        return  # a column written as a flat list
    if not all(rows):
        raise ValueError(
            f"{name} = {_shown(values)}: a weight matrix is a list of {shape[0]} row(s), each a "
            f"list of {shape[1]} number(s), e.g. {[[1] * shape[1]] * shape[0]}"
        )
    lengths = sorted({len(row) for row in values})
    if len(lengths) > 1:
        raise ValueError(
            f"{name}: the rows have different lengths ({', '.join(map(str, lengths))}); "
            f"every row needs {shape[1]} number(s), one per input of the layer"
        )


def _check_sizes(sizes: Sequence[int]) -> list[int]:
    if isinstance(sizes, (str, bytes)) or not isinstance(sizes, Sequence):
        raise TypeError(f"sizes={sizes!r} must be a list of positive integers like [2, 3, 1]")
    out = []
    for s in sizes:
        if isinstance(s, bool) or not isinstance(s, (int, np.integer)) or s < 1:
            raise ValueError(f"sizes={list(sizes)!r}: every size must be a positive integer")
        out.append(int(s))
    if len(out) < 2:
        raise ValueError(f"sizes={out!r} needs an input size and at least one layer width")
    return out


def _layer_activations(
    activations: str | Activation | Sequence[str | Activation | Sequence[str | Activation]],
    depth: int,
) -> list[str | Activation | Sequence[str | Activation]]:
    if isinstance(activations, (str, Activation)):
        return [activations] * depth
    if not isinstance(activations, Sequence):
        raise TypeError(
            f"activations={activations!r}: give an activation name, one per layer (e.g. "
            f"['relu', 'identity']), or for a layer a list with one per neuron"
        )
    acts = list(activations)
    if len(acts) != depth:
        raise ValueError(
            f"{len(acts)} activations given for {depth} layers; give one per layer or a single "
            f"one for all"
        )
    return acts


def _neuron_activations(given: Any, l: int, width: int) -> tuple[Activation, ...]:
    """The activations of the ``width`` neurons of layer ``l``, one per neuron (names or
    :class:`~symdl.core.activations.Activation` objects)."""
    where = f"activations[{l - 1}]"
    if isinstance(given, bytes) or not isinstance(given, Sequence):
        raise TypeError(
            f"{where} = {_shown(given)}: give the layer's activation as a name or an Activation, "
            f"or a list of {width} of them, one per neuron"
        )
    names = list(given)
    if len(names) != width:
        raise ValueError(
            f"{where} = {_shown(given)}: {len(names)} activation(s) for the {width} neuron(s) "
            f"of layer {l}; give one per neuron, or a single name for the whole layer"
        )
    acts = []
    for j, name in enumerate(names, start=1):
        if isinstance(name, Activation):
            acts.append(name)
        elif name == "softmax":
            raise ValueError(
                f"{where}: neuron {j} of layer {l} asks for softmax, which is a function of the "
                f"whole layer, not of one neuron; give softmax as the last layer's activation"
            )
        elif isinstance(name, str):
            acts.append(get_activation(name))
        else:
            raise TypeError(
                f"{where}: the activation of neuron {j} of layer {l} is {_shown(name)}; give a "
                f"name (e.g. 'relu') or an Activation"
            )
    return tuple(acts)


def _per_layer(values: Sequence[Any] | None, depth: int, name: str) -> list[Any]:
    if values is None:
        return [None] * depth
    values = list(values)
    if len(values) != depth:
        raise ValueError(
            f"{name} has {len(values)} entries for {depth} layers; give one per layer "
            f"(None for a layer of symbols)"
        )
    return values


# --- a softmax applied twice ---------------------------------------------------------------

SOFTMAX_LOSSES = frozenset(
    {
        "expectation",
        "regularised_expectation",
        "chebyshev",
        "log",
        "squared_log",
        "tanimoto",
        "cauchy_schwarz",
    }
)
"""The registry losses written in the softmax :math:`\\sigma(o)` of the output (Janocha and
Czarnecki 2017, Table 1): they take the network's raw scores :math:`o`, not probabilities."""


def applies_softmax(loss: Loss) -> bool:
    r"""Whether a registry loss applies the softmax to the output itself.

    Such a loss :math:`C(\sigma(o), y)` is unchanged when the same constant is added to every
    score, :math:`C(o + c\mathbb 1) = C(o)`, since :math:`\sigma(o + c \mathbb 1) = \sigma(o)`.
    The built-in ones are :data:`SOFTMAX_LOSSES`; a registered loss says so by giving its
    gradient in the logits (``logit_gradient_form``).

    Examples
    --------
    >>> from symdl.core.losses import LOSSES
    >>> applies_softmax(LOSSES["log"]), applies_softmax(LOSSES["mse"])
    (True, False)
    """
    return loss.name in SOFTMAX_LOSSES or loss.logit_gradient_form is not None


def refuse_softmax_twice(net: Network, loss: Loss | sp.Expr) -> None:
    r"""Refuse a softmax output layer followed by a loss that applies the softmax again.

    The composition :math:`C(\sigma(\sigma(z^L)), y)` is a valid function but not the loss
    a user means (say, the cross-entropy of the softmax layer's probabilities): probabilities
    in :math:`[0, 1]` would be squashed a second time, into :math:`[1/(n-1+e), e/(n-1+e)]`
    for :math:`n` outputs.  Losses given as SymPy expressions, and losses that do not apply
    the softmax, pass.

    Raises
    ------
    ValueError
        Naming the loss and saying the two ways out.

    Examples
    --------
    >>> from symdl.core.losses import LOSSES
    >>> from symdl.core.network import Network
    >>> refuse_softmax_twice(Network.mlp([2, 3], "softmax"), LOSSES["mse"])  # passes
    >>> refuse_softmax_twice(Network.mlp([2, 3], "softmax"), LOSSES["log"])
    Traceback (most recent call last):
    ...
    ValueError: the loss 'log' applies the softmax to the network's output itself, ...
    """
    if not isinstance(loss, Loss) or not applies_softmax(loss):
        return
    if net.layers and isinstance(net.layers[-1], SoftmaxLayer):
        raise ValueError(
            f"the loss {loss.name!r} applies the softmax to the network's output itself, and "
            f"the last layer is already a softmax layer: the softmax would be applied twice. "
            f"End the network with an identity layer (the loss's softmax then gives the "
            f"probabilities), or keep the softmax layer and give the loss as a SymPy "
            f"expression in its outputs (e.g. -Σ_j y_j log a^(L)_j for the cross-entropy)"
        )
