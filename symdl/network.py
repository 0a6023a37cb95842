r"""Feed-forward networks as exact SymPy expressions.

A :class:`Network` is a sequence of layers.  Layer :math:`l` (``net.layers[l - 1]``; layers
are numbered from 1 in the mathematics, from 0 in Python) maps :math:`a^{(l-1)}` to

.. math::

    z^{(l)} = W^{(l)} a^{(l-1)} + b^{(l)}, \qquad a^{(l)} = \sigma_l\bigl(z^{(l)}\bigr),

with :math:`a^{(0)} = x` (Nielsen, *Neural Networks and Deep Learning*, ch. 2).  Parameters
are real SymPy symbols named as a lecturer writes them (:math:`w^{(l)}_{jk}`,
:math:`b^{(l)}_j`) or exact numbers; a network with rational weights and ReLU-type
activations computes exact rational outputs.

Three layer types: :class:`Dense` (an affine map and an elementwise activation),
:class:`Maxout` (the maximum of :math:`k` affine pieces, Goodfellow et al. 2013) and
:class:`SoftmaxLayer` (an affine map followed by the softmax).
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Union

import numpy as np
import sympy as sp

from symdl.activations import Activation, get_activation, softmax

__all__ = [
    "Dense",
    "FloatConversion",
    "Layer",
    "Maxout",
    "Network",
    "SoftmaxLayer",
    "Trace",
    "bias_symbol",
    "exact_matrix",
    "input_symbols",
    "softmax",
    "weight_symbol",
]


class FloatConversion(enum.Enum):
    """What to do with a float where symdl needs an exact number."""

    REJECT = "reject"
    """Raise :class:`TypeError` (the default: exactness is never lost silently)."""
    DECIMAL = "decimal"
    """The float's shortest decimal representation: ``0.1`` becomes ``1/10``."""
    BINARY = "binary"
    """The float's exact binary value: ``0.1`` becomes ``3602879701896397/36028797018963968``."""


# --- symbols -------------------------------------------------------------------------------


def _index(*indices: int) -> str:
    # w_{jk} for one-digit indices, w_{j,k} as soon as one index has two digits.
    parts = [str(i) for i in indices]
    return "".join(parts) if all(len(p) == 1 for p in parts) else ",".join(parts)


def weight_symbol(layer: int, j: int, k: int, *, piece: int | None = None) -> sp.Symbol:
    r"""The real symbol :math:`w^{(l)}_{jk}` (1-based indices), or :math:`w^{(l,p)}_{jk}`.

    :math:`w^{(l)}_{jk}` multiplies unit :math:`k` of layer :math:`l - 1` in unit :math:`j` of
    layer :math:`l` (Nielsen, ch. 2); ``piece`` numbers the pieces of a maxout layer.

    Examples
    --------
    >>> weight_symbol(2, 1, 3), weight_symbol(1, 1, 12), weight_symbol(1, 2, 1, piece=3)
    (w^{(2)}_{13}, w^{(1)}_{1,12}, w^{(1,3)}_{21})
    """
    superscript = f"({layer})" if piece is None else f"({layer},{piece})"
    return sp.Symbol(f"w^{{{superscript}}}_{{{_index(j, k)}}}", real=True)


def bias_symbol(layer: int, j: int, *, piece: int | None = None) -> sp.Symbol:
    r"""The real symbol :math:`b^{(l)}_j` (1-based index), or :math:`b^{(l,p)}_j`.

    Examples
    --------
    >>> bias_symbol(2, 1), bias_symbol(2, 1).is_real
    (b^{(2)}_{1}, True)
    """
    superscript = f"({layer})" if piece is None else f"({layer},{piece})"
    return sp.Symbol(f"b^{{{superscript}}}_{{{j}}}", real=True)


def input_symbols(n: int) -> tuple[sp.Symbol, ...]:
    """The real input symbols :math:`x_1, …, x_n`.

    Examples
    --------
    >>> input_symbols(2)
    (x_{1}, x_{2})
    """
    return tuple(sp.Symbol(f"x_{{{i}}}", real=True) for i in range(1, n + 1))


def symbolic_matrix(rows: int, cols: int, layer: int, *, piece: int | None = None) -> sp.Matrix:
    """The weight matrix of a layer with one symbol per entry."""
    return sp.Matrix(rows, cols, lambda j, k: weight_symbol(layer, j + 1, k + 1, piece=piece))


def symbolic_bias(rows: int, layer: int, *, piece: int | None = None) -> sp.Matrix:
    """The bias vector of a layer with one symbol per entry."""
    return sp.Matrix(rows, 1, lambda j, _: bias_symbol(layer, j + 1, piece=piece))


# --- exact values ----------------------------------------------------------------------------


def exact_number(
    value: Any, *, name: str = "value", floats: FloatConversion = FloatConversion.REJECT
) -> sp.Expr:
    """Convert one entry to an exact SymPy number (or keep a SymPy expression).

    Examples
    --------
    >>> exact_number(0.1, floats=FloatConversion.DECIMAL)
    1/10
    >>> exact_number(Fraction(2, 3))
    2/3
    """
    if isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name}={value!r} is a boolean; give a number")
    if isinstance(value, (int, np.integer)):
        return sp.Integer(int(value))
    if isinstance(value, Fraction):
        return sp.Rational(value.numerator, value.denominator)
    if isinstance(value, (float, np.floating)):
        if floats is FloatConversion.REJECT:
            raise TypeError(
                f"{name}={value!r} is a float and symdl computes exactly; give an int, a "
                f"Fraction or a sympy.Rational, or pass floats=FloatConversion.DECIMAL "
                f"(0.1 -> 1/10) or FloatConversion.BINARY (the float's exact binary value)"
            )
        if not np.isfinite(value):
            raise ValueError(f"{name}={value!r} is not finite")
        if floats is FloatConversion.DECIMAL:
            return sp.Rational(repr(float(value)))
        return sp.Rational(*float(value).as_integer_ratio())
    if isinstance(value, sp.Basic):
        if value.has(sp.Float):
            if floats is FloatConversion.REJECT:
                raise TypeError(
                    f"{name}={value!r} contains a SymPy Float; use sympy.Rational, or pass "
                    f"floats=FloatConversion.DECIMAL or FloatConversion.BINARY"
                )
            if floats is FloatConversion.BINARY:  # each Float's exact binary value
                return value.xreplace({f: sp.Rational(f) for f in value.atoms(sp.Float)})
            return sp.nsimplify(value, rational=True)
        if not isinstance(value, sp.Expr):
            raise TypeError(f"{name}={value!r} is not a SymPy expression")
        return value
    raise TypeError(
        f"{name}={value!r} (type {type(value).__name__}) is not a number; accepted: int, "
        f"fractions.Fraction, sympy.Rational or a SymPy expression (floats on request)"
    )


def exact_matrix(
    values: Any,
    shape: tuple[int, int],
    *,
    name: str = "matrix",
    floats: FloatConversion = FloatConversion.REJECT,
) -> sp.Matrix:
    """An exact SymPy matrix of the given shape from nested lists, a NumPy array or a Matrix.

    A vector given as a flat list is read as a column.

    Examples
    --------
    >>> exact_matrix([[1, 2], [3, 4]], (2, 2))
    Matrix([
    [1, 2],
    [3, 4]])
    """
    if isinstance(values, sp.MatrixBase):
        rows = values.tolist()
    elif isinstance(values, np.ndarray):
        rows = values.tolist() if values.ndim == 2 else [[v] for v in values.tolist()]
    elif isinstance(values, (list, tuple)):
        rows = [list(r) if isinstance(r, (list, tuple, np.ndarray)) else [r] for r in values]
    else:
        raise TypeError(
            f"{name} must be nested lists, a NumPy array or a SymPy Matrix of shape {shape}; "
            f"got {type(values).__name__}"
        )
    got = (len(rows), len(rows[0]) if rows else 0)
    if got != shape or any(len(r) != shape[1] for r in rows):
        raise ValueError(f"{name} has shape {got}, but the layer needs shape {shape}")
    return sp.Matrix(
        [
            [exact_number(v, name=f"{name}[{i}][{j}]", floats=floats) for j, v in enumerate(r)]
            for i, r in enumerate(rows)
        ]
    )


# --- layers ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Dense:
    r"""A dense layer :math:`a = \sigma(W a_{\text{prev}} + b)`.

    Examples
    --------
    >>> from symdl.activations import get_activation
    >>> layer = Dense(sp.Matrix([[1, -1]]), sp.Matrix([2]), get_activation("relu"))
    >>> layer.n_in, layer.n_out, layer.activate(layer.pre_activation(sp.Matrix([1, 5])))
    (2, 1, Matrix([[0]]))

    References
    ----------
    M. Nielsen, *Neural Networks and Deep Learning* (2015), ch. 2 (the matrix form).
    """

    W: sp.Matrix
    b: sp.Matrix
    activation: Activation

    kind = "dense"

    def __post_init__(self) -> None:
        _check_affine(self.W, self.b)

    @property
    def n_in(self) -> int:
        return int(self.W.shape[1])

    @property
    def n_out(self) -> int:
        return int(self.W.shape[0])

    @property
    def parameters(self) -> tuple[sp.Symbol, ...]:
        return _ordered_symbols([self.W, self.b])

    def pre_activation(self, a_prev: sp.Matrix) -> sp.Matrix:
        """:math:`z = W a_{\\text{prev}} + b`."""
        return self.W * a_prev + self.b

    def activate(self, z: sp.Matrix) -> sp.Matrix:
        """The elementwise activation of the pre-activation."""
        return z.applyfunc(self.activation)

    def subs(self, mapping: Mapping[sp.Symbol, sp.Expr]) -> Dense:
        return Dense(self.W.xreplace(mapping), self.b.xreplace(mapping), self.activation)


@dataclass(frozen=True)
class SoftmaxLayer:
    r"""An affine map followed by the softmax: :math:`a = \operatorname{softmax}(W a + b)`.

    Examples
    --------
    >>> layer = SoftmaxLayer(sp.Matrix([[1], [0]]), sp.Matrix([0, 0]))
    >>> layer.activate(layer.pre_activation(sp.Matrix([sp.log(3)])))
    Matrix([
    [3/4],
    [1/4]])

    References
    ----------
    I. Goodfellow, Y. Bengio and A. Courville, *Deep Learning* (2016), § 6.2.2.3.
    """

    W: sp.Matrix
    b: sp.Matrix

    kind = "softmax"

    def __post_init__(self) -> None:
        _check_affine(self.W, self.b)

    @property
    def n_in(self) -> int:
        return int(self.W.shape[1])

    @property
    def n_out(self) -> int:
        return int(self.W.shape[0])

    @property
    def parameters(self) -> tuple[sp.Symbol, ...]:
        return _ordered_symbols([self.W, self.b])

    def pre_activation(self, a_prev: sp.Matrix) -> sp.Matrix:
        return self.W * a_prev + self.b

    def activate(self, z: sp.Matrix) -> sp.Matrix:
        return softmax(z)

    def subs(self, mapping: Mapping[sp.Symbol, sp.Expr]) -> SoftmaxLayer:
        return SoftmaxLayer(self.W.xreplace(mapping), self.b.xreplace(mapping))


@dataclass(frozen=True)
class Maxout:
    r"""A maxout layer: :math:`a_j = \max_p \bigl(W_p a_{\text{prev}} + b_p\bigr)_j`.

    Its pre-activation is the :math:`n_{\text{out}} \times k` matrix of the pieces' values
    (column :math:`p` is piece :math:`p`).

    Examples
    --------
    >>> pieces = (sp.Matrix([[1]]), sp.Matrix([[-1]]))  # max(x, -x) = |x|
    >>> layer = Maxout(pieces, (sp.Matrix([0]), sp.Matrix([0])))
    >>> layer.activate(layer.pre_activation(sp.Matrix([-3])))
    Matrix([[3]])

    References
    ----------
    I. Goodfellow, D. Warde-Farley, M. Mirza, A. Courville and Y. Bengio, "Maxout networks",
    ICML 2013, eq. (1).
    """

    Ws: tuple[sp.Matrix, ...]
    bs: tuple[sp.Matrix, ...]

    kind = "maxout"

    def __post_init__(self) -> None:
        if len(self.Ws) < 2 or len(self.Ws) != len(self.bs):
            raise ValueError(
                f"a maxout layer needs k >= 2 pieces, each a weight matrix and a bias; got "
                f"{len(self.Ws)} weight matrices and {len(self.bs)} biases"
            )
        for W, b in zip(self.Ws, self.bs, strict=True):
            _check_affine(W, b)
            if W.shape != self.Ws[0].shape:
                raise ValueError(
                    f"maxout pieces must have equal shapes; got {W.shape} and {self.Ws[0].shape}"
                )

    @property
    def k(self) -> int:
        return len(self.Ws)

    @property
    def n_in(self) -> int:
        return int(self.Ws[0].shape[1])

    @property
    def n_out(self) -> int:
        return int(self.Ws[0].shape[0])

    @property
    def parameters(self) -> tuple[sp.Symbol, ...]:
        return _ordered_symbols([*self.Ws, *self.bs])

    def pre_activation(self, a_prev: sp.Matrix) -> sp.Matrix:
        return sp.Matrix.hstack(*[W * a_prev + b for W, b in zip(self.Ws, self.bs, strict=True)])

    def activate(self, z: sp.Matrix) -> sp.Matrix:
        return sp.Matrix([sp.Max(*z.row(j)) for j in range(z.rows)])

    def subs(self, mapping: Mapping[sp.Symbol, sp.Expr]) -> Maxout:
        return Maxout(
            tuple(W.xreplace(mapping) for W in self.Ws),
            tuple(b.xreplace(mapping) for b in self.bs),
        )


Layer = Union[Dense, Maxout, SoftmaxLayer]  # noqa: UP007 (a runtime alias on Python 3.10)


def _check_affine(W: sp.Matrix, b: sp.Matrix) -> None:
    if not isinstance(W, sp.MatrixBase) or not isinstance(b, sp.MatrixBase):
        raise TypeError("W and b must be SymPy matrices (use exact_matrix to build them)")
    if b.shape != (W.shape[0], 1):
        raise ValueError(f"bias of shape {b.shape} does not fit weights of shape {W.shape}")


def _ordered_symbols(matrices: Iterable[sp.Matrix]) -> tuple[sp.Symbol, ...]:
    seen: dict[sp.Symbol, None] = {}
    for matrix in matrices:
        for entry in matrix:
            for symbol in sorted(entry.free_symbols, key=str):
                seen.setdefault(symbol, None)
    return tuple(seen)


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
        activations: str | Activation | Sequence[str | Activation],
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
            One activation per layer (names from :data:`symdl.activations.ACTIVATIONS`,
            :class:`~symdl.activations.Activation` objects, or ``"softmax"`` for the last
            layer), or a single one for every layer.
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
        """
        sizes = _check_sizes(sizes)
        depth = len(sizes) - 1
        acts = _layer_activations(activations, depth)
        weights = _per_layer(weights, depth, "weights")
        biases = _per_layer(biases, depth, "biases")
        layers: list[Layer] = []
        for l in range(1, depth + 1):
            shape = (sizes[l], sizes[l - 1])
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
            if act == "softmax":
                if l != depth:
                    raise ValueError("softmax is an output layer: only the last layer may use it")
                layers.append(SoftmaxLayer(W, b))
            else:
                layers.append(Dense(W, b, get_activation(act)))
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
        the symbols :attr:`inputs`.

        Examples
        --------
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
        :mod:`symdl.numeric` is the independent check of it.
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
        return f'<div class="math">\\[{body}\\]</div>'

    def __repr__(self) -> str:
        kinds = ", ".join(
            f"{layer.kind}:{layer.activation.name}" if isinstance(layer, Dense) else layer.kind
            for layer in self.layers
        )
        return f"Network(sizes={list(self.sizes)}, layers=[{kinds}])"


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
    else:
        a = f"a^{{({l})}} &= {layer.activation.latex}\\left(z^{{({l})}}\\right)"
    return [z, a]


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
    activations: str | Activation | Sequence[str | Activation], depth: int
) -> list[str | Activation]:
    if isinstance(activations, (str, Activation)):
        return [activations] * depth
    acts = list(activations)
    if len(acts) != depth:
        raise ValueError(
            f"{len(acts)} activations given for {depth} layers; give one per layer or a single "
            f"one for all"
        )
    return acts


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
