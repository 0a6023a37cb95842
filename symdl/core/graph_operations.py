r"""The operations of a graph network: dense, convolution, pooling, batch norm, sum, concatenation.

A node of a :class:`~symdl.core.graph.GraphNetwork` applies one :class:`Operation` to the
values of its input nodes.  An operation holds hyperparameters only (and, optionally, exact
parameter values); the node gives it a name, from which its parameter symbols are named.

Shapes and the flat order
-------------------------
A value has a :data:`Shape`: ``(n,)`` is a vector of :math:`n` units, ``(C, N)`` is :math:`C`
channels of a 1-D signal of length :math:`N`, ``(C, H, W)`` is :math:`C` channels of an
:math:`H \times W` image.  Every value is stored *flat*, in row-major (C) order, exactly as
``numpy.reshape`` orders it: entry :math:`(c, i, j)` of a ``(C, H, W)`` value is flat unit
:math:`(c H + i) W + j`.  Units are numbered from 1 in symbols and messages, from 0 in Python
lists.

The node's value
----------------
:meth:`Operation.apply` returns :math:`v`, the value before the operation's activation, for a
whole batch at once (batch norm couples the examples; every other operation treats them
independently); the node's value is :math:`a = \sigma(v)` elementwise, with
:math:`\sigma` the operation's :attr:`~Operation.activation` (the identity for operations
without one).  For :class:`Dense` and :class:`Conv`, :math:`v` is the pre-activation
:math:`z`.

The operations
--------------
- :class:`Dense`: :math:`z_j = \sum_k W_{jk} a_k + b_j` on the flattened input.
- :class:`Conv`: the cross-correlation of PyTorch's ``Conv1d``/``Conv2d``,
  :math:`z_{o,i} = b_o + \sum_{c,r} W_{o,c,r}\, \tilde x_{c,\, i s + r}` with zero or circular
  padding; output length :math:`\lfloor (N + 2p - K)/s \rfloor + 1` per axis.
- :class:`MaxPool`, :class:`AvgPool`: the maximum or the mean of each window, per channel.
- :class:`BatchNorm`: training-mode batch normalisation, per unit or per channel.
- :class:`Add`, :class:`Concat`: the sum of inputs of one shape (the residual connection),
  the concatenation along the first axis.
- ``Activation``, :class:`Flatten`, :class:`Softmax`: an elementwise activation, a
  reshape to a vector, the softmax of a vector.

Exact numbers only: a parameter value given to an operation is an exact rational (converted by
:mod:`symdl.core.exact`; floats are refused) or a real SymPy symbol.

References
----------
S. Ioffe and C. Szegedy, "Batch normalization", ICML 2015, Algorithm 1.
K. He, X. Zhang, S. Ren and J. Sun, "Deep residual learning for image recognition", CVPR 2016,
eq. (1).
I. Goodfellow, Y. Bengio and A. Courville, *Deep Learning* (2016), ch. 9 (convolution and
pooling).
"""

from __future__ import annotations

import abc
import enum
import itertools
import math
import operator
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

import sympy as sp

from symdl.core.activations import ACTIVATIONS, get_activation, softmax
from symdl.core.activations import Activation as ActivationFunction
from symdl.core.exact import exact_rational, positive
from symdl.core.exceptions import did_you_mean
from symdl.core.exceptions import shown as _shown
from symdl.core.layers import bias_symbol, weight_symbol

__all__ = [
    "BATCH_NORM_EPS",
    "KINDS",
    "Activation",
    "Add",
    "AvgPool",
    "BatchNorm",
    "Concat",
    "Conv",
    "Dense",
    "Flatten",
    "MaxPool",
    "Operation",
    "PaddingMode",
    "Shape",
    "Softmax",
    "Window",
    "beta_symbol",
    "conv_weight_symbol",
    "gamma_symbol",
    "operation_class",
    "shape_text",
    "unit_index",
]

Shape = tuple[int, ...]
"""A value's shape, ``(n,)``, ``(C, N)`` or ``(C, H, W)`` (flat in row-major order)."""

#: The default :math:`\varepsilon` of batch norm (PyTorch's).
BATCH_NORM_EPS = sp.Rational(1, 100000)


class PaddingMode(str, enum.Enum):
    """How a convolution pads its input: with zeros, or by wrapping around (circular)."""

    ZEROS = "zeros"
    """:math:`\\tilde x` is 0 outside the input (PyTorch's ``padding_mode="zeros"``)."""
    CIRCULAR = "circular"
    """:math:`\\tilde x_t = x_{t \\bmod N}` (PyTorch's ``padding_mode="circular"``)."""


# --- symbols and small helpers -----------------------------------------------------------------


def conv_weight_symbol(node: str, o: int, c: int, *offsets: int) -> sp.Symbol:
    r"""The real symbol :math:`w^{(\text{node})}_{o,c,r}` (or :math:`w_{o,c,r,s}` in 2-D) of a
    convolution kernel; indices 1-based: output channel, input channel, kernel offsets.

    Examples
    --------
    >>> conv_weight_symbol("c1", 1, 2, 3), conv_weight_symbol("c", 2, 1, 1, 2)
    (w^{(c1)}_{1,2,3}, w^{(c)}_{2,1,1,2})
    """
    indices = ",".join(str(i) for i in (o, c, *offsets))
    return sp.Symbol(f"w^{{({node})}}_{{{indices}}}", real=True)


def gamma_symbol(node: str, c: int) -> sp.Symbol:
    r"""The real symbol :math:`\gamma^{(\text{node})}_c` (1-based) of a batch norm's scale.

    >>> gamma_symbol("n", 2)
    \gamma^{(n)}_{2}
    """
    return sp.Symbol(f"\\gamma^{{({node})}}_{{{c}}}", real=True)


def beta_symbol(node: str, c: int) -> sp.Symbol:
    r"""The real symbol :math:`\beta^{(\text{node})}_c` (1-based) of a batch norm's shift.

    >>> beta_symbol("n", 1)
    \beta^{(n)}_{1}
    """
    return sp.Symbol(f"\\beta^{{({node})}}_{{{c}}}", real=True)


def shape_text(shape: Sequence[int]) -> str:
    """A shape as people write it: ``(3,)`` as ``3``, ``(2, 8, 8)`` as ``2×8×8``.

    >>> shape_text((3,)), shape_text((2, 8, 8))
    ('3', '2×8×8')
    """
    return "×".join(str(n) for n in shape)


def unit_index(shape: Sequence[int], flat: int) -> tuple[int, ...]:
    """The row-major multi-index (0-based) of flat unit ``flat`` of a value of ``shape``.

    >>> unit_index((2, 3), 4)  # the value's (1, 1): unit 1·3 + 1 = 4
    (1, 1)
    """
    index = []
    for n in reversed(shape):
        flat, r = divmod(flat, n)
        index.append(r)
    return tuple(reversed(index))


#: The largest size, count, stride or padding read (far beyond any graph that can be built; it
#: keeps every size small enough to compute with and to write in a message).
_MAX_COUNT = 10**18


def _count(value: Any, name: str, *, minimum: int = 1) -> int:
    """An int ≥ ``minimum`` (not a bool; a NumPy integer is one), for sizes and counts."""
    if isinstance(value, (bool, float)) or not hasattr(value, "__index__"):
        raise TypeError(f"{name}={_shown(value)} is not an integer; give an int ≥ {minimum}")
    number = operator.index(value)
    if number < minimum:
        raise ValueError(f"{name}={number} must be an integer ≥ {minimum}")
    if number > _MAX_COUNT:
        raise ValueError(
            f"{name}={_shown(number)} is larger than any graph can use; give an integer from "
            f"{minimum} to 10^18"
        )
    return number


def _per_axis(value: Any, name: str, *, minimum: int = 1) -> int | tuple[int, ...]:
    """An int, or a tuple with one int per spatial axis (1 or 2 of them)."""
    if isinstance(value, (list, tuple)):
        if not 1 <= len(value) <= 2:
            raise ValueError(
                f"{name}={_shown(value)}: give an int (every axis) or one entry per spatial "
                f"axis (1 for a signal, 2 for an image)"
            )
        return tuple(_count(v, f"{name}[{i}]", minimum=minimum) for i, v in enumerate(value))
    return _count(value, name, minimum=minimum)


def _axes(value: int | tuple[int, ...], dims: int, name: str, shape: Shape) -> tuple[int, ...]:
    if isinstance(value, int):
        return (value,) * dims
    if len(value) != dims:
        raise ValueError(
            f"{name}={value} has {len(value)} entries but the input of shape "
            f"{shape_text(shape)} has {dims} spatial axis/axes; give one entry per axis, or an int"
        )
    return value


def _parameter_entry(value: Any, name: str) -> sp.Expr:
    """An exact rational, or a real SymPy symbol (a parameter left free)."""
    if isinstance(value, sp.Symbol):
        if value.is_real is not True:
            raise ValueError(
                f"{name}={value} is a symbol not known to be real; create it with "
                f"sympy.Symbol({str(value)!r}, real=True)"
            )
        return value
    return _bounded(exact_rational(value, name=name), name)


#: The most decimal digits of a parameter's numerator or denominator (a longer number cannot
#: be written out, in text or LaTeX, nor evaluated in floating point).
_MAX_DIGITS = 1000


def _bounded(value: sp.Expr, name: str) -> sp.Expr:
    if isinstance(value, sp.Rational) and max(abs(value.p), value.q) >= 10**_MAX_DIGITS:
        digits = max(abs(value.p), value.q).bit_length() * 30103 // 100000
        raise ValueError(
            f"{name} has about {digits:,} digits; a parameter's numerator and denominator have "
            f"at most {_MAX_DIGITS:,} digits: give a smaller number"
        )
    return value


def _exact_array(values: Any, shape: Sequence[int | None], name: str) -> sp.Array:
    """An exact array of the given shape (``None``: any length on that axis) from nested
    lists, a NumPy array, a SymPy Array or Matrix."""
    rank = len(shape)
    if hasattr(values, "tolist") and not isinstance(values, (list, tuple)):
        values = values.tolist()
    if (
        rank == 1
        and isinstance(values, list)
        and values
        and all(isinstance(row, list) and len(row) == 1 for row in values)
    ):
        values = [row[0] for row in values]  # a column (a SymPy Matrix n × 1)
    found: list[int | None] = [None] * rank
    flat: list[sp.Expr] = []

    def walk(v: Any, depth: int, where: str) -> None:
        if depth == rank:
            flat.append(_parameter_entry(v, f"{name}{where}"))
            return
        if not isinstance(v, (list, tuple)):
            raise ValueError(
                f"{name}{where} = {_shown(v)} is not a list; {name} is an array of {rank} "
                f"axis/axes{_expected(shape)}"
            )
        if found[depth] is None:
            found[depth] = len(v)
            wanted = shape[depth]
            if (wanted is not None and len(v) != wanted) or len(v) == 0:
                raise ValueError(
                    f"{name}{where} has {len(v)} entries; {name} needs {_expected(shape)[2:]}"
                )
        elif len(v) != found[depth]:
            raise ValueError(
                f"{name}{where} has {len(v)} entries, its neighbours {found[depth]}: the "
                f"array is not rectangular; {name} needs {_expected(shape)[2:]}"
            )
        for i, item in enumerate(v):
            walk(item, depth + 1, f"{where}[{i}]")

    walk(values, 0, "")
    dims = tuple(int(n) for n in found if n is not None)
    return sp.ImmutableDenseNDimArray(flat, dims)


def _expected(shape: Sequence[int | None]) -> str:
    parts = ["·" if n is None else str(n) for n in shape]
    return f", shape ({', '.join(parts)})"


def _array_or_none(values: Any, shape: Sequence[int | None], name: str) -> sp.Array | None:
    return None if values is None else _exact_array(values, shape, name)


def _activation(value: str | ActivationFunction, name: str = "activation") -> ActivationFunction:
    if isinstance(value, ActivationFunction):
        return value
    if value == "softmax":
        raise ValueError(
            f"{name}='softmax' is not elementwise: add a node with the operation Softmax() "
            f"after this one instead"
        )
    return get_activation(value)


def _activation_key(act: ActivationFunction) -> tuple[Any, ...]:
    return (act.name, tuple(sorted((k, v) for k, v in act.params.items())))


# --- the base class ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Window:
    """The kernel (or pooling window), stride and padding of an operation on one input shape,
    one entry per spatial axis."""

    kernel: tuple[int, ...]
    stride: tuple[int, ...]
    padding: tuple[int, ...]

    def output_lengths(self, lengths: Sequence[int]) -> tuple[int, ...]:
        r""":math:`\lfloor (N + 2p - K)/s \rfloor + 1` on each axis (may be ≤ 0 when the kernel
        does not fit; the operations refuse that).

        >>> Window((3,), (2,), (1,)).output_lengths((6,))  # (6 + 2 - 3) // 2 + 1
        (3,)
        """
        return tuple(
            (n + 2 * p - k) // s + 1
            for n, k, s, p in zip(lengths, self.kernel, self.stride, self.padding, strict=True)
        )


@dataclass(frozen=True, eq=False, init=False, repr=False)
class Operation(abc.ABC):
    """An operation of a graph network's node (hyperparameters and optional exact parameters).

    Attributes
    ----------
    kind
        Its name: ``"dense"``, ``"conv"``, ``"max_pool"``, ``"avg_pool"``, ``"batch_norm"``,
        ``"add"``, ``"concat"``, ``"activation"``, ``"flatten"`` or ``"softmax"``.
    arity
        The least and the most number of input nodes (``None``: no most).
    activation
        The :class:`~symdl.core.activations.Activation` applied elementwise to :meth:`apply`'s
        result (the identity for operations without one).
    """

    kind: ClassVar[str]
    arity: ClassVar[tuple[int, int | None]] = (1, 1)
    min_batch: ClassVar[int] = 1
    """The smallest batch the operation is defined on."""
    parameter_names: ClassVar[tuple[str, ...]] = ()
    """The keys of :meth:`make_parameters`, in order."""
    _positional: ClassVar[tuple[str, ...]] = ()
    _keywords: ClassVar[tuple[str, ...]] = ()
    _defaults: ClassVar[Mapping[str, Any]] = {}
    _parameter_options: ClassVar[Mapping[str, str]] = {}

    activation: ActivationFunction

    # shapes and parameters --------------------------------------------------------------------

    @abc.abstractmethod
    def output_shape(self, shapes: Sequence[Shape]) -> Shape:
        """The shape of the node's value for inputs of the given shapes (ValueError if they do
        not fit the operation)."""

    def parameter_shapes(self, shapes: Sequence[Shape]) -> dict[str, Shape]:
        """The shape of each parameter array for inputs of the given shapes (empty for a
        parameter-free operation)."""
        return {}

    def make_parameters(self, node: str, shapes: Sequence[Shape]) -> dict[str, sp.Array]:
        """The parameter arrays of node ``node``: the exact values given to the operation, or
        symbols named after the node (empty for a parameter-free operation)."""
        return {}

    @abc.abstractmethod
    def apply(
        self,
        inputs: Sequence[Sequence[Sequence[sp.Expr]]],
        parameters: Mapping[str, sp.Array],
        shapes: Sequence[Shape],
    ) -> list[list[sp.Expr]]:
        """The value :math:`v` before the activation: ``out[b][j]`` for example ``b`` and flat
        unit ``j``, from ``inputs[i][b][k]`` (input node ``i``, example ``b``, flat unit
        ``k``)."""

    def activate(self, values: Sequence[Sequence[sp.Expr]]) -> list[list[sp.Expr]]:
        """:math:`a = \\sigma(v)` elementwise (the values themselves for the identity)."""
        if self.activation is ACTIVATIONS["identity"]:
            return [list(row) for row in values]
        return [[self.activation(v) for v in row] for row in values]

    # construction, comparison, display --------------------------------------------------------

    def options(self) -> dict[str, Any]:
        """The constructor's arguments (by name) that rebuild this operation."""
        return {name: getattr(self, name) for name in (*self._positional, *self._keywords)}

    def with_parameters(self, parameters: Mapping[str, Any]) -> Operation:
        """The same operation with the given parameter arrays (keys of :meth:`make_parameters`)
        as its exact values.

        Examples
        --------
        >>> Dense(1).with_parameters({"W": [[2, 3]], "b": [1]}).weights
        [[2, 3]]
        """
        unknown = sorted(set(parameters) - set(self.parameter_names))
        if unknown:
            raise ValueError(
                f"{type(self).__name__} has no parameter(s) {unknown}; its parameters: "
                f"{', '.join(self.parameter_names) or 'none'}"
            )
        options = self.options()
        for key, value in parameters.items():
            options[self._parameter_options[key]] = value
        positional = [options.pop(name) for name in self._positional]
        return type(self)(*positional, **options)

    def _key(self) -> tuple[Any, ...]:
        return tuple(
            _activation_key(v) if isinstance(v, ActivationFunction) else v
            for v in self.options().values()
        )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Operation):
            return NotImplemented
        return type(self) is type(other) and self._key() == other._key()

    def __hash__(self) -> int:
        return hash((type(self).__name__, self._key()))

    def __repr__(self) -> str:
        parts = []
        for name in self._positional:
            parts.append(_option_repr(getattr(self, name)))
        for name in self._keywords:
            value = getattr(self, name)
            default = self._defaults.get(name)
            shown = _option_repr(value)
            if shown != _option_repr(default):
                parts.append(f"{name}={shown}")
        return f"{type(self).__name__}({', '.join(parts)})"

    def _arity_check(self, shapes: Sequence[Shape]) -> None:
        low, high = self.arity
        if len(shapes) < low or (high is not None and len(shapes) > high):
            wanted = (
                f"exactly {low}"
                if low == high
                else f"at least {low}"
                if high is None
                else f"{low} to {high}"
            )
            raise ValueError(
                f"{type(self).__name__} takes {wanted} input node(s); got {len(shapes)}"
            )


def _option_repr(value: Any) -> str:
    if isinstance(value, ActivationFunction):
        return repr(value.name)
    if isinstance(value, PaddingMode):
        return repr(value.value)
    if isinstance(value, sp.NDimArray):
        return str(value.tolist())
    return str(value) if isinstance(value, sp.Basic) else repr(value)


def _single_input(op: Operation, shapes: Sequence[Shape]) -> Shape:
    op._arity_check(shapes)
    return tuple(shapes[0])


def _spatial(op: Operation, shape: Shape) -> int:
    """The number of spatial axes of a (C, N) or (C, H, W) input."""
    if len(shape) not in (2, 3):
        raise ValueError(
            f"{type(op).__name__} takes a signal (C, N) or an image (C, H, W), one or more "
            f"channels; got an input of shape {shape}: give the input a channel axis, e.g. "
            f"(1, {', '.join(map(str, shape))})"
        )
    return len(shape) - 1


# --- dense --------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False, init=False, repr=False)
class Dense(Operation):
    r"""A dense layer: :math:`z_j = \sum_k W_{jk} a_k + b_j` on the flattened input, then
    :math:`\sigma`.

    Parameters
    ----------
    units
        The number of output units :math:`m`; the node's shape is ``(units,)``.
    activation
        A registry name (``"relu"``) or an :class:`~symdl.core.activations.Activation`.
    weights, bias
        Exact values of :math:`W` (:math:`m \times n`, for an input of :math:`n` units) and
        :math:`b` (:math:`m`); ``None`` makes each entry a symbol :math:`w^{(\text{node})}_{jk}`,
        :math:`b^{(\text{node})}_j`.

    Examples
    --------
    >>> op = Dense(1, "relu", weights=[[1, -1]], bias=[0])
    >>> op.output_shape([(2,)])
    (1,)
    >>> v = op.apply([[[3, 5]]], op.make_parameters("h", [(2,)]), [(2,)])
    >>> v, op.activate(v)
    ([[-2]], [[0]])
    >>> Dense(2).make_parameters("h", [(1,)])["W"]
    [[w^{(h)}_{11}], [w^{(h)}_{21}]]
    """

    units: int
    weights: sp.Array | None
    bias: sp.Array | None

    kind: ClassVar[str] = "dense"
    parameter_names: ClassVar[tuple[str, ...]] = ("W", "b")
    _positional: ClassVar[tuple[str, ...]] = ("units",)
    _keywords: ClassVar[tuple[str, ...]] = ("activation", "weights", "bias")
    _defaults: ClassVar[Mapping[str, Any]] = {
        "activation": ACTIVATIONS["identity"],
        "weights": None,
        "bias": None,
    }
    _parameter_options: ClassVar[Mapping[str, str]] = {"W": "weights", "b": "bias"}

    def __init__(
        self,
        units: int,
        activation: str | ActivationFunction = "identity",
        *,
        weights: Any = None,
        bias: Any = None,
    ) -> None:
        units = _count(units, "units")
        object.__setattr__(self, "units", units)
        object.__setattr__(self, "activation", _activation(activation))
        object.__setattr__(self, "weights", _array_or_none(weights, (units, None), "weights"))
        object.__setattr__(self, "bias", _array_or_none(bias, (units,), "bias"))

    def output_shape(self, shapes: Sequence[Shape]) -> Shape:
        _single_input(self, shapes)
        if self.weights is not None:
            n = math.prod(shapes[0])
            if self.weights.shape[1] != n:
                raise ValueError(
                    f"weights has {self.weights.shape[1]} column(s), but the input has {n} "
                    f"unit(s) (shape {shape_text(shapes[0])}, read flat); give {n} column(s)"
                )
        return (self.units,)

    def parameter_shapes(self, shapes: Sequence[Shape]) -> dict[str, Shape]:
        return {"W": (self.units, math.prod(shapes[0])), "b": (self.units,)}

    def make_parameters(self, node: str, shapes: Sequence[Shape]) -> dict[str, sp.Array]:
        self.output_shape(shapes)
        n = math.prod(shapes[0])
        W = self.weights
        if W is None:
            W = sp.ImmutableDenseNDimArray(
                [
                    weight_symbol(node, j, k)
                    for j in range(1, self.units + 1)
                    for k in range(1, n + 1)
                ],
                (self.units, n),
            )
        b = self.bias
        if b is None:
            b = sp.ImmutableDenseNDimArray(
                [bias_symbol(node, j) for j in range(1, self.units + 1)], (self.units,)
            )
        return {"W": W, "b": b}

    def apply(
        self,
        inputs: Sequence[Sequence[Sequence[sp.Expr]]],
        parameters: Mapping[str, sp.Array],
        shapes: Sequence[Shape],
    ) -> list[list[sp.Expr]]:
        W = parameters["W"].tolist()
        b = parameters["b"].tolist()
        return [
            [
                sp.Add(*(w * a for w, a in zip(row, x, strict=True))) + b[j]
                for j, row in enumerate(W)
            ]
            for x in inputs[0]
        ]


# --- convolution --------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False, init=False, repr=False)
class Conv(Operation):
    r"""A convolution (cross-correlation, as PyTorch's ``Conv1d``/``Conv2d``), then :math:`\sigma`.

    For an input of shape ``(C, N)`` (1-D) or ``(C, H, W)`` (2-D),

    .. math::

        z_{o,i} = b_o + \sum_{c=1}^{C} \sum_{r=0}^{K-1} W_{o,c,r}\, \tilde x_{c,\, i s + r}
        \qquad (i = 0, …, L - 1), \qquad L = \left\lfloor \frac{N + 2p - K}{s} \right\rfloor + 1,

    on each spatial axis, where :math:`\tilde x` is the input padded by :math:`p` on both sides
    with zeros (``padding_mode="zeros"``) or wrapped around (``"circular"``).  One weight
    :math:`W_{o,c,r}` is shared by every position :math:`i`.

    Parameters
    ----------
    channels
        The number of output channels :math:`O`.
    kernel, stride, padding
        :math:`K`, :math:`s`, :math:`p`: an int (every axis) or a tuple with one entry per
        spatial axis.
    padding_mode
        A :class:`PaddingMode` or its value, ``"zeros"`` or ``"circular"``.
    activation
        A registry name or an :class:`~symdl.core.activations.Activation`.
    weights, bias
        Exact values of :math:`W` (``(O, C, K)`` or ``(O, C, KH, KW)``) and :math:`b`
        (``(O,)``); ``None`` makes each entry a symbol :math:`w^{(\text{node})}_{o,c,r}`,
        :math:`b^{(\text{node})}_o`.

    Examples
    --------
    >>> op = Conv(1, 2, weights=[[[1, -1]]], bias=[0])  # differences of neighbours
    >>> op.output_shape([(1, 4)])
    (1, 3)
    >>> op.apply([[[1, 4, 9, 16]]], op.make_parameters("c", [(1, 4)]), [(1, 4)])
    [[-3, -5, -7]]

    References
    ----------
    I. Goodfellow, Y. Bengio and A. Courville, *Deep Learning* (2016), eq. (9.6) (the
    cross-correlation); PyTorch's ``torch.nn.Conv1d`` for the output length.
    """

    channels: int
    kernel: int | tuple[int, ...]
    stride: int | tuple[int, ...]
    padding: int | tuple[int, ...]
    padding_mode: PaddingMode
    weights: sp.Array | None
    bias: sp.Array | None

    kind: ClassVar[str] = "conv"
    parameter_names: ClassVar[tuple[str, ...]] = ("W", "b")
    _positional: ClassVar[tuple[str, ...]] = ("channels", "kernel")
    _keywords: ClassVar[tuple[str, ...]] = (
        "stride",
        "padding",
        "padding_mode",
        "activation",
        "weights",
        "bias",
    )
    _defaults: ClassVar[Mapping[str, Any]] = {
        "stride": 1,
        "padding": 0,
        "padding_mode": PaddingMode.ZEROS,
        "activation": ACTIVATIONS["identity"],
        "weights": None,
        "bias": None,
    }
    _parameter_options: ClassVar[Mapping[str, str]] = {"W": "weights", "b": "bias"}

    def __init__(
        self,
        channels: int,
        kernel: int | Sequence[int],
        *,
        stride: int | Sequence[int] = 1,
        padding: int | Sequence[int] = 0,
        padding_mode: PaddingMode | str = PaddingMode.ZEROS,
        activation: str | ActivationFunction = "identity",
        weights: Any = None,
        bias: Any = None,
    ) -> None:
        channels = _count(channels, "channels")
        kernel_ = _per_axis(kernel, "kernel")
        object.__setattr__(self, "channels", channels)
        object.__setattr__(self, "kernel", kernel_)
        object.__setattr__(self, "stride", _per_axis(stride, "stride"))
        object.__setattr__(self, "padding", _per_axis(padding, "padding", minimum=0))
        object.__setattr__(self, "padding_mode", _padding_mode(padding_mode))
        object.__setattr__(self, "activation", _activation(activation))
        W = None
        if weights is not None:
            W = _exact_array(weights, _weight_shape(weights, channels, kernel_), "weights")
        object.__setattr__(self, "weights", W)
        object.__setattr__(self, "bias", _array_or_none(bias, (channels,), "bias"))

    def window(self, shape: Shape) -> Window:
        """The kernel, stride and padding on each spatial axis of an input of ``shape``."""
        dims = _spatial(self, shape)
        return Window(
            _axes(self.kernel, dims, "kernel", shape),
            _axes(self.stride, dims, "stride", shape),
            _axes(self.padding, dims, "padding", shape),
        )

    def output_shape(self, shapes: Sequence[Shape]) -> Shape:
        shape = _single_input(self, shapes)
        window = self.window(shape)
        lengths = shape[1:]
        if self.padding_mode is PaddingMode.CIRCULAR:
            for axis, (n, p) in enumerate(zip(lengths, window.padding, strict=True), start=1):
                if p > n:
                    raise ValueError(
                        f"circular padding {p} on axis {axis} of an input of length {n} would "
                        f"wrap around more than once; give padding ≤ {n} (as PyTorch requires)"
                    )
        out = window.output_lengths(lengths)
        for axis, (n, k, p, m) in enumerate(
            zip(lengths, window.kernel, window.padding, out, strict=True), start=1
        ):
            if m < 1:
                raise ValueError(
                    f"kernel {k} is larger than the padded input on axis {axis} (length {n} + "
                    f"2·{p} = {n + 2 * p}); give a kernel ≤ {n + 2 * p} or more padding"
                )
        if self.weights is not None and self.weights.shape[1] != shape[0]:
            raise ValueError(
                f"weights has {self.weights.shape[1]} input channel(s) (axis 2), but the input "
                f"of shape {shape_text(shape)} has {shape[0]}; give weights of shape "
                f"({self.channels}, {shape[0]}, {', '.join(map(str, window.kernel))})"
            )
        return (self.channels, *out)

    def parameter_shapes(self, shapes: Sequence[Shape]) -> dict[str, Shape]:
        shape = tuple(shapes[0])
        return {"W": (self.channels, shape[0], *self.window(shape).kernel), "b": (self.channels,)}

    def make_parameters(self, node: str, shapes: Sequence[Shape]) -> dict[str, sp.Array]:
        self.output_shape(shapes)
        W_shape = self.parameter_shapes(shapes)["W"]
        W = self.weights
        if W is None:
            W = sp.ImmutableDenseNDimArray(
                [
                    conv_weight_symbol(node, *(i + 1 for i in index))
                    for index in itertools.product(*(range(n) for n in W_shape))
                ],
                W_shape,
            )
        b = self.bias
        if b is None:
            b = sp.ImmutableDenseNDimArray(
                [bias_symbol(node, o) for o in range(1, self.channels + 1)], (self.channels,)
            )
        return {"W": W, "b": b}

    def connections(self, shape: Shape) -> tuple[tuple[tuple[int, int], ...], ...]:
        """For each flat output unit, the pairs (flat index into ``W``, flat input unit) of its
        sum: :math:`z_m = b_{o(m)} + \\sum W_{\\text{flat}}[w]\\, x[k]` over the pairs
        :math:`(w, k)`; positions in the zero padding are left out.

        Examples
        --------
        >>> Conv(1, 2, padding=1).connections((1, 2))  # x̃ = (0, x_0, x_1, 0)
        (((1, 0),), ((0, 0), (1, 1)), ((0, 1),))
        """
        window = self.window(shape)
        C, lengths = shape[0], shape[1:]
        out = window.output_lengths(lengths)
        circular = self.padding_mode is PaddingMode.CIRCULAR
        kernel_size = math.prod(window.kernel)
        offsets = list(itertools.product(*(range(k) for k in window.kernel)))
        result = []
        for o in range(self.channels):
            for position in itertools.product(*(range(m) for m in out)):
                pairs = []
                for c in range(C):
                    for r_flat, r in enumerate(offsets):
                        index = []
                        for i, rr, s, p, n in zip(
                            position, r, window.stride, window.padding, lengths, strict=True
                        ):
                            t = i * s + rr - p
                            if circular:
                                t %= n
                            elif not 0 <= t < n:
                                break
                            index.append(t)
                        else:
                            flat_input = c
                            for t, n in zip(index, lengths, strict=True):
                                flat_input = flat_input * n + t
                            w = (o * C + c) * kernel_size + r_flat
                            pairs.append((w, flat_input))
                result.append(tuple(pairs))
        return tuple(result)

    def apply(
        self,
        inputs: Sequence[Sequence[Sequence[sp.Expr]]],
        parameters: Mapping[str, sp.Array],
        shapes: Sequence[Shape],
    ) -> list[list[sp.Expr]]:
        shape = tuple(shapes[0])
        W = list(sp.flatten(parameters["W"].tolist()))
        b = parameters["b"].tolist()
        connections = self.connections(shape)
        per_channel = len(connections) // self.channels
        return [
            [
                sp.Add(*(W[w] * x[k] for w, k in pairs)) + b[m // per_channel]
                for m, pairs in enumerate(connections)
            ]
            for x in inputs[0]
        ]


def _padding_mode(value: PaddingMode | str) -> PaddingMode:
    if isinstance(value, PaddingMode):
        return value
    accepted = [mode.value for mode in PaddingMode]
    if isinstance(value, str) and value in accepted:
        return PaddingMode(value)
    word = value if isinstance(value, str) else ""
    raise ValueError(
        f"padding_mode={_shown(value)} is not a padding mode{did_you_mean(word, accepted)}; "
        f"accepted: {', '.join(repr(a) for a in accepted)}"
    )


def _weight_shape(weights: Any, channels: int, kernel: int | tuple[int, ...]) -> tuple[Any, ...]:
    """The expected shape of a convolution's weights: (O, C, K) or (O, C, KH, KW)."""
    if isinstance(kernel, tuple):
        return (channels, None, *kernel)
    depth, probe = 0, weights.tolist() if hasattr(weights, "tolist") else weights
    while isinstance(probe, (list, tuple)) and probe:
        depth, probe = depth + 1, probe[0]
    if depth not in (3, 4):
        raise ValueError(
            f"weights = {_shown(weights)} is an array of {depth} axis/axes; a convolution's "
            f"weights have shape (channels, input channels, K) in 1-D or (channels, input "
            f"channels, KH, KW) in 2-D"
        )
    return (channels, None, *([kernel] * (depth - 2)))


# --- pooling ------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False, init=False, repr=False)
class _Pool(Operation):
    size: int | tuple[int, ...]
    stride: int | tuple[int, ...] | None

    _positional: ClassVar[tuple[str, ...]] = ("size",)
    _keywords: ClassVar[tuple[str, ...]] = ("stride",)
    _defaults: ClassVar[Mapping[str, Any]] = {"stride": None}

    def __init__(
        self, size: int | Sequence[int], *, stride: int | Sequence[int] | None = None
    ) -> None:
        object.__setattr__(self, "size", _per_axis(size, "size"))
        object.__setattr__(self, "stride", None if stride is None else _per_axis(stride, "stride"))
        object.__setattr__(self, "activation", ACTIVATIONS["identity"])

    def window(self, shape: Shape) -> Window:
        """The window, stride (default: the window) and padding (none) on each spatial axis."""
        dims = _spatial(self, shape)
        size = _axes(self.size, dims, "size", shape)
        stride = size if self.stride is None else _axes(self.stride, dims, "stride", shape)
        return Window(size, stride, (0,) * dims)

    def output_shape(self, shapes: Sequence[Shape]) -> Shape:
        shape = _single_input(self, shapes)
        window = self.window(shape)
        out = window.output_lengths(shape[1:])
        for axis, (n, k) in enumerate(zip(shape[1:], window.kernel, strict=True), start=1):
            if k > n:
                raise ValueError(
                    f"pooling window {k} is larger than the input on axis {axis} (length {n}); "
                    f"give a window ≤ {n}"
                )
        return (shape[0], *out)

    def windows(self, shape: Shape) -> tuple[tuple[int, ...], ...]:
        """For each flat output unit, the flat input units of its window, in row-major order.

        Examples
        --------
        >>> MaxPool(2).windows((1, 2, 4))  # a 2×4 image: two 2×2 windows
        ((0, 1, 4, 5), (2, 3, 6, 7))
        """
        window = self.window(shape)
        lengths = shape[1:]
        out = window.output_lengths(lengths)
        result = []
        for c in range(shape[0]):
            for position in itertools.product(*(range(m) for m in out)):
                units = []
                for offset in itertools.product(*(range(k) for k in window.kernel)):
                    flat = c
                    for i, r, s, n in zip(position, offset, window.stride, lengths, strict=True):
                        flat = flat * n + i * s + r
                    units.append(flat)
                result.append(tuple(units))
        return tuple(result)


@dataclass(frozen=True, eq=False, init=False, repr=False)
class MaxPool(_Pool):
    r"""Max pooling: :math:`v_{c,i} = \max_{r} x_{c,\, i s + r}` over each window, per channel.

    The window is read in row-major order; the backward pass gives the subgradient to the
    *first* maximal entry in that order.

    Parameters
    ----------
    size
        The window :math:`K`: an int or one entry per spatial axis.
    stride
        :math:`s` (default: the window, non-overlapping windows).  No padding.

    Examples
    --------
    >>> op = MaxPool(2)
    >>> op.output_shape([(1, 5)]), op.apply([[[3, 1, 2, 2, 9]]], {}, [(1, 5)])
    ((1, 2), [[3, 2]])
    """

    kind: ClassVar[str] = "max_pool"

    def apply(
        self,
        inputs: Sequence[Sequence[Sequence[sp.Expr]]],
        parameters: Mapping[str, sp.Array],
        shapes: Sequence[Shape],
    ) -> list[list[sp.Expr]]:
        windows = self.windows(tuple(shapes[0]))
        return [[_maximum([x[k] for k in units]) for units in windows] for x in inputs[0]]


def _maximum(entries: list[sp.Expr]) -> sp.Expr:
    """``Max`` of a window: evaluated when every entry is a number; otherwise left unevaluated,
    since SymPy's pairwise comparisons of symbolic entries cost seconds per window."""
    numbers = all(sp.sympify(e).is_number for e in entries)
    return sp.Max(*entries) if numbers else sp.Max(*entries, evaluate=False)


@dataclass(frozen=True, eq=False, init=False, repr=False)
class AvgPool(_Pool):
    r"""Average pooling: :math:`v_{c,i} = \frac{1}{|K|} \sum_{r} x_{c,\, i s + r}` over each
    window, per channel (exactly).

    Examples
    --------
    >>> AvgPool(2).apply([[[1, 2, 4, 4]]], {}, [(1, 4)])
    [[3/2, 4]]
    """

    kind: ClassVar[str] = "avg_pool"

    def apply(
        self,
        inputs: Sequence[Sequence[Sequence[sp.Expr]]],
        parameters: Mapping[str, sp.Array],
        shapes: Sequence[Shape],
    ) -> list[list[sp.Expr]]:
        windows = self.windows(tuple(shapes[0]))
        return [
            [sp.Add(*(x[k] for k in units)) * sp.Rational(1, len(units)) for units in windows]
            for x in inputs[0]
        ]


# --- batch norm ---------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False, init=False, repr=False)
class BatchNorm(Operation):
    r"""Batch normalisation in training mode (the batch's own mean and variance).

    For an input of shape ``(n,)`` each unit is normalised over the batch; for ``(C, …)`` each
    channel over the batch and all its positions (:math:`m` values :math:`x_i` in all):

    .. math::

        \mu = \frac1m \sum_i x_i, \quad \sigma^2 = \frac1m \sum_i (x_i - \mu)^2, \quad
        \hat x_i = \frac{x_i - \mu}{\sqrt{\sigma^2 + \varepsilon}}, \quad
        v_i = \gamma_c \hat x_i + \beta_c

    (the biased variance).  It needs a batch of at least 2: the variance of one example is 0.

    Parameters
    ----------
    eps
        :math:`\varepsilon > 0` (default :math:`10^{-5}`, PyTorch's), an exact number.
    gamma, beta
        Exact values of :math:`\gamma` and :math:`\beta`, one per channel (per unit of a
        vector); ``None`` makes each a symbol :math:`\gamma^{(\text{node})}_c`,
        :math:`\beta^{(\text{node})}_c`.

    Examples
    --------
    >>> op = BatchNorm(eps=sp.Rational(1, 4), gamma=[2], beta=[1])
    >>> op.apply([[[1], [-1]]], op.make_parameters("n", [(1,)]), [(1,)])  # x̂ = ±1/√(5/4)
    [[1 + 4*sqrt(5)/5], [1 - 4*sqrt(5)/5]]

    References
    ----------
    S. Ioffe and C. Szegedy, "Batch normalization: accelerating deep network training by
    reducing internal covariate shift", ICML 2015, Algorithm 1.
    """

    eps: sp.Expr
    gamma: sp.Array | None
    beta: sp.Array | None

    kind: ClassVar[str] = "batch_norm"
    min_batch: ClassVar[int] = 2
    parameter_names: ClassVar[tuple[str, ...]] = ("gamma", "beta")
    _keywords: ClassVar[tuple[str, ...]] = ("eps", "gamma", "beta")
    _defaults: ClassVar[Mapping[str, Any]] = {"eps": BATCH_NORM_EPS, "gamma": None, "beta": None}
    _parameter_options: ClassVar[Mapping[str, str]] = {"gamma": "gamma", "beta": "beta"}

    def __init__(self, *, eps: Any = BATCH_NORM_EPS, gamma: Any = None, beta: Any = None) -> None:
        value = _bounded(exact_rational(eps, name="eps"), "eps")
        object.__setattr__(
            self, "eps", positive(value, name="eps", reason="it keeps √(σ² + ε) from 0")
        )
        object.__setattr__(self, "gamma", _array_or_none(gamma, (None,), "gamma"))
        object.__setattr__(self, "beta", _array_or_none(beta, (None,), "beta"))
        object.__setattr__(self, "activation", ACTIVATIONS["identity"])

    def output_shape(self, shapes: Sequence[Shape]) -> Shape:
        shape = _single_input(self, shapes)
        C = shape[0]
        for name in ("gamma", "beta"):
            given = getattr(self, name)
            if given is not None and given.shape[0] != C:
                what = "units" if len(shape) == 1 else "channels"
                raise ValueError(
                    f"{name} has {given.shape[0]} entries, but the input of shape "
                    f"{shape_text(shape)} has {C} {what}; give one per {what[:-1]}"
                )
        return shape

    def parameter_shapes(self, shapes: Sequence[Shape]) -> dict[str, Shape]:
        return {"gamma": (shapes[0][0],), "beta": (shapes[0][0],)}

    def make_parameters(self, node: str, shapes: Sequence[Shape]) -> dict[str, sp.Array]:
        self.output_shape(shapes)
        C = shapes[0][0]
        gamma = self.gamma
        if gamma is None:
            gamma = sp.ImmutableDenseNDimArray([gamma_symbol(node, c) for c in range(1, C + 1)])
        beta = self.beta
        if beta is None:
            beta = sp.ImmutableDenseNDimArray([beta_symbol(node, c) for c in range(1, C + 1)])
        return {"gamma": gamma, "beta": beta}

    def apply(
        self,
        inputs: Sequence[Sequence[Sequence[sp.Expr]]],
        parameters: Mapping[str, sp.Array],
        shapes: Sequence[Shape],
    ) -> list[list[sp.Expr]]:
        batch = inputs[0]
        if len(batch) < self.min_batch:
            raise ValueError(
                f"batch norm needs a batch of at least 2 examples (the variance of one example "
                f"is 0); got {len(batch)}: give the graph batch ≥ 2"
            )
        shape = tuple(shapes[0])
        C = shape[0]
        positions = math.prod(shape[1:])
        gamma, beta = parameters["gamma"].tolist(), parameters["beta"].tolist()
        out: list[list[sp.Expr]] = [[sp.S.Zero] * (C * positions) for _ in batch]
        for c in range(C):
            units = range(c * positions, (c + 1) * positions)
            values = [x[k] for x in batch for k in units]
            m = sp.Rational(1, len(values))
            mu = sp.Add(*values) * m
            variance = sp.Add(*((v - mu) ** 2 for v in values)) * m
            scale = gamma[c] / sp.sqrt(variance + self.eps)
            for b, x in enumerate(batch):
                for k in units:
                    out[b][k] = scale * (x[k] - mu) + beta[c]
        return out


# --- parameter-free operations ------------------------------------------------------------------


@dataclass(frozen=True, eq=False, init=False, repr=False)
class Add(Operation):
    r"""The sum of two or more inputs of one shape: :math:`v = \sum_i x^{(i)}` (the residual
    connection :math:`x + F(x)`).

    Examples
    --------
    >>> Add().apply([[[1, 2]], [[10, 20]]], {}, [(2,), (2,)])
    [[11, 22]]
    """

    kind: ClassVar[str] = "add"
    arity: ClassVar[tuple[int, int | None]] = (2, None)

    def __init__(self) -> None:
        object.__setattr__(self, "activation", ACTIVATIONS["identity"])

    def output_shape(self, shapes: Sequence[Shape]) -> Shape:
        self._arity_check(shapes)
        first = tuple(shapes[0])
        for i, shape in enumerate(shapes[1:], start=2):
            if tuple(shape) != first:
                raise ValueError(
                    f"Add sums inputs of one shape; input 1 has shape {shape_text(first)}, "
                    f"input {i} has {shape_text(shape)}: make the shapes equal (a Dense or Conv "
                    f"node can change one)"
                )
        return first

    def apply(
        self,
        inputs: Sequence[Sequence[Sequence[sp.Expr]]],
        parameters: Mapping[str, sp.Array],
        shapes: Sequence[Shape],
    ) -> list[list[sp.Expr]]:
        return [
            [sp.Add(*units) for units in zip(*examples, strict=True)]
            for examples in zip(*inputs, strict=True)
        ]


@dataclass(frozen=True, eq=False, init=False, repr=False)
class Concat(Operation):
    r"""The concatenation of two or more inputs along the first axis (units or channels); the
    other axes must agree.

    Examples
    --------
    >>> op = Concat()
    >>> op.output_shape([(1, 2), (2, 2)])
    (3, 2)
    >>> op.apply([[[1, 2]], [[3, 4, 5, 6]]], {}, [(1, 2), (2, 2)])
    [[1, 2, 3, 4, 5, 6]]
    """

    kind: ClassVar[str] = "concat"
    arity: ClassVar[tuple[int, int | None]] = (2, None)

    def __init__(self) -> None:
        object.__setattr__(self, "activation", ACTIVATIONS["identity"])

    def output_shape(self, shapes: Sequence[Shape]) -> Shape:
        self._arity_check(shapes)
        first = tuple(shapes[0])
        for i, shape in enumerate(shapes[1:], start=2):
            if len(shape) != len(first) or tuple(shape[1:]) != first[1:]:
                raise ValueError(
                    f"Concat joins inputs along the first axis, so the other axes must agree; "
                    f"input 1 has shape {shape_text(first)}, input {i} has {shape_text(shape)}"
                )
        return (sum(shape[0] for shape in shapes), *first[1:])

    def apply(
        self,
        inputs: Sequence[Sequence[Sequence[sp.Expr]]],
        parameters: Mapping[str, sp.Array],
        shapes: Sequence[Shape],
    ) -> list[list[sp.Expr]]:
        # row-major with the first axis outermost: concatenating flat values is concatenating
        # along the first axis
        return [
            [v for example in examples for v in example] for examples in zip(*inputs, strict=True)
        ]


@dataclass(frozen=True, eq=False, init=False, repr=False)
class Activation(Operation):
    r"""An elementwise activation :math:`a = \sigma(x)` as a node of its own (after a sum, a
    batch norm or a pooling).

    ``apply`` returns its input unchanged; the node's activation does the work.

    Examples
    --------
    >>> op = Activation("relu")
    >>> op.activate(op.apply([[[-1, 2]]], {}, [(2,)]))
    [[0, 2]]
    """

    kind: ClassVar[str] = "activation"
    _positional: ClassVar[tuple[str, ...]] = ("activation",)

    def __init__(self, activation: str | ActivationFunction) -> None:
        object.__setattr__(self, "activation", _activation(activation))

    def output_shape(self, shapes: Sequence[Shape]) -> Shape:
        return _single_input(self, shapes)

    def apply(
        self,
        inputs: Sequence[Sequence[Sequence[sp.Expr]]],
        parameters: Mapping[str, sp.Array],
        shapes: Sequence[Shape],
    ) -> list[list[sp.Expr]]:
        return [list(x) for x in inputs[0]]


@dataclass(frozen=True, eq=False, init=False, repr=False)
class Flatten(Operation):
    """A reshape of ``(C, …)`` to a vector ``(C·…,)``; the flat values are unchanged.

    Examples
    --------
    >>> Flatten().output_shape([(2, 3, 3)])
    (18,)
    """

    kind: ClassVar[str] = "flatten"

    def __init__(self) -> None:
        object.__setattr__(self, "activation", ACTIVATIONS["identity"])

    def output_shape(self, shapes: Sequence[Shape]) -> Shape:
        return (math.prod(_single_input(self, shapes)),)

    def apply(
        self,
        inputs: Sequence[Sequence[Sequence[sp.Expr]]],
        parameters: Mapping[str, sp.Array],
        shapes: Sequence[Shape],
    ) -> list[list[sp.Expr]]:
        return [list(x) for x in inputs[0]]


@dataclass(frozen=True, eq=False, init=False, repr=False)
class Softmax(Operation):
    r"""The softmax of a vector: :math:`v_j = e^{x_j} / \sum_k e^{x_k}` (not elementwise: an
    operation, not an activation; the output of a classifier).

    Examples
    --------
    >>> Softmax().apply([[[0, 0]]], {}, [(2,)])
    [[1/2, 1/2]]
    """

    kind: ClassVar[str] = "softmax"

    def __init__(self) -> None:
        object.__setattr__(self, "activation", ACTIVATIONS["identity"])

    def output_shape(self, shapes: Sequence[Shape]) -> Shape:
        shape = _single_input(self, shapes)
        if len(shape) != 1:
            raise ValueError(
                f"Softmax takes a vector (n,); got shape {shape_text(shape)}: add a Flatten "
                f"node before it"
            )
        return shape

    def apply(
        self,
        inputs: Sequence[Sequence[Sequence[sp.Expr]]],
        parameters: Mapping[str, sp.Array],
        shapes: Sequence[Shape],
    ) -> list[list[sp.Expr]]:
        return [list(softmax(sp.Matrix(list(x)))) for x in inputs[0]]


# --- the registry of kinds ----------------------------------------------------------------------

_CLASSES: dict[str, type[Operation]] = {
    cls.kind: cls
    for cls in (Dense, Conv, MaxPool, AvgPool, BatchNorm, Add, Concat, Activation, Flatten, Softmax)
}

KINDS: tuple[str, ...] = tuple(_CLASSES)
"""The operations' kinds, in the order of this module."""


def operation_class(kind: str) -> type[Operation]:
    """The operation class of a kind (``"conv"`` → :class:`Conv`).

    >>> operation_class("max_pool").__name__
    'MaxPool'
    >>> operation_class("maxpool")
    Traceback (most recent call last):
    ...
    ValueError: unknown operation 'maxpool' (did you mean 'max_pool' or 'avg_pool'?); ...
    """
    if kind not in _CLASSES:
        word = kind if isinstance(kind, str) else ""
        raise ValueError(
            f"unknown operation {_shown(kind)}{did_you_mean(word, _CLASSES)}; accepted: "
            f"{', '.join(_CLASSES)}"
        )
    return _CLASSES[kind]
