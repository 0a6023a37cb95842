r"""Receptive fields of stacked convolutions and poolings, and the VGG argument.

A stack of :math:`L` convolution or pooling layers, layer :math:`l` with kernel :math:`k_l`,
stride :math:`s_l` and padding :math:`p_l` on an axis (dilation 1), maps each output position
:math:`u` to a window of the input along that axis.  Its length, the *receptive field*, its
*jump* (how far the window moves when :math:`u` grows by one) and its *start* are

.. math::

    r = 1 + \sum_{l=1}^{L} (k_l - 1) \prod_{i=1}^{l-1} s_i, \qquad
    J = \prod_{l=1}^{L} s_l, \qquad
    \text{window}(u) = [\,uJ + a,\; uJ + a + r - 1\,], \quad
    a = -\sum_{l=1}^{L} p_l \prod_{i=1}^{l-1} s_i,

the closed forms of the recurrence :math:`r_{l-1} = s_l r_l + (k_l - s_l)`, :math:`r_L = 1`
(Araujo, Norris & Sim 2019, "Single-path networks").  On an image the axes are independent:
the window is the product of the windows of the axes.

Every input position in the window influences the output when each layer's kernel covers its
stride (:math:`k_l \ge s_l`) and no window reaches into padding or past the last position
a layer reads; otherwise some positions of the window are never read.
:func:`input_units` computes the exact set of input units an output depends on, by following
the indices through the layers (a second method, independent of the formula), and the tests
compare both with the free symbols of a :class:`~symdl.core.graph.GraphNetwork`'s symbolic
output.

The VGG argument (Simonyan & Zisserman 2015, section 2.3): :math:`n` stacked :math:`3\times3`
convolutions of stride 1 see a :math:`(2n+1)\times(2n+1)` window, with :math:`n \cdot 3^2 C^2`
weights for :math:`C` channels in and out, against :math:`(2n+1)^2 C^2` for one layer with
that kernel: :math:`27C^2` against :math:`49C^2` for three, :math:`18C^2` against
:math:`25C^2` for two (:func:`stacked_versus_single`).

References
----------
A. Araujo, W. Norris, J. Sim, "Computing receptive fields of convolutional neural networks",
Distill (2019), doi:10.23915/distill.00021, section "Single-path networks" (receptive field
size and region).  K. Simonyan, A. Zisserman, "Very deep convolutional networks for
large-scale image recognition", ICLR 2015, section 2.3.  A. Krizhevsky, I. Sutskever,
G. E. Hinton, "ImageNet classification with deep convolutional neural networks", NeurIPS
2012, section 3.4 and figure 2 (11×11 stride 4, then overlapping 3×3 pooling of stride 2).
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import sympy as sp

from symdl.core.graph import GraphNetwork
from symdl.core.graph_operations import AvgPool, Conv, MaxPool, Operation, PaddingMode
from symdl.core.notation import plain_expr

__all__ = [
    "CHANNELS",
    "MAX_INPUT_UNITS",
    "MAX_LAYERS",
    "LayerWindow",
    "ReceptiveField",
    "StackComparison",
    "input_units",
    "layer_windows",
    "receptive_field",
    "stacked_versus_single",
]

#: The most layers a stack may have.
MAX_LAYERS = 1000
#: The most input units (channels times positions) :func:`input_units` follows.
MAX_INPUT_UNITS = 1_000_000

#: The most spatial axes :func:`stacked_versus_single` compares.
_MAX_AXES = 16

#: The default number of channels of :func:`stacked_versus_single`: a symbol :math:`C`.
CHANNELS = sp.Symbol("C", positive=True, integer=True)
#: The kinds of operation that have a window: convolution and the two poolings.
_WINDOWED = ("conv", "max_pool", "avg_pool")
#: The kinds that act position by position and leave the window as it is.
_POINTWISE = ("activation",)


def _count(value: object, name: str, *, minimum: int) -> int:
    """``value`` as a Python int ≥ ``minimum``, or a ValueError/TypeError naming it."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(
            f"{name}={value!r} is not an integer; give an integer ≥ {minimum} (or a tuple of "
            "them, one per spatial axis)"
        )
    number = int(value)
    if number < minimum:
        raise ValueError(f"{name}={number} must be an integer ≥ {minimum}")
    return number


def _per_axis(value: object, axes: int | None, name: str, *, minimum: int) -> tuple[int, ...]:
    """An int (the same on every axis) or a tuple with one entry per axis, as a tuple."""
    if isinstance(value, (tuple, list)):
        entries = tuple(_count(v, name, minimum=minimum) for v in value)
        if not entries:
            raise ValueError(f"{name}={value!r} is empty; give one entry per spatial axis")
        if axes is not None and len(entries) != axes:
            raise ValueError(
                f"{name}={value!r} has {len(entries)} entries for {axes} spatial axes; give "
                f"{axes} entries or one int for every axis"
            )
        return entries
    return (_count(value, name, minimum=minimum),) * (axes or 1)


@dataclass(frozen=True)
class LayerWindow:
    """The geometry of one convolution or pooling layer, one entry per spatial axis.

    Attributes
    ----------
    kernel, stride, padding : tuple of int
        The window's length, how far it moves, and the padding added on both sides.
    padding_mode : PaddingMode
        What the padded positions hold (:class:`symdl.core.graph_operations.PaddingMode`).
    channels : int or None
        A convolution's output channels (each reads every input channel); None for a
        pooling, which reads each channel on its own and keeps their number.

    Examples
    --------
    >>> LayerWindow((3, 3), (1, 1))
    LayerWindow(kernel=(3, 3), stride=(1, 1), padding=(0, 0))
    """

    kernel: tuple[int, ...]
    stride: tuple[int, ...]
    padding: tuple[int, ...] = ()
    padding_mode: PaddingMode = PaddingMode.ZEROS
    channels: int | None = None

    def __post_init__(self) -> None:
        axes = len(self.kernel) if isinstance(self.kernel, tuple) else None
        kernel = _per_axis(self.kernel, axes, "kernel", minimum=1)
        stride = _per_axis(self.stride, len(kernel), "stride", minimum=1)
        padding = _per_axis(self.padding or 0, len(kernel), "padding", minimum=0)
        if not isinstance(self.padding_mode, PaddingMode):
            raise TypeError(
                f"padding_mode={self.padding_mode!r} is not a PaddingMode; give "
                "PaddingMode.ZEROS or PaddingMode.CIRCULAR"
            )
        if self.channels is not None:
            _count(self.channels, "channels", minimum=1)
        object.__setattr__(self, "kernel", kernel)
        object.__setattr__(self, "stride", stride)
        object.__setattr__(self, "padding", padding)

    @property
    def axes(self) -> int:
        """The number of spatial axes."""
        return len(self.kernel)

    def output_size(self, size: Sequence[int]) -> tuple[int, ...]:
        r"""The output length on each axis, :math:`\lfloor (N + 2p - k)/s \rfloor + 1`."""
        lengths = []
        for n, k, s, p in zip(size, self.kernel, self.stride, self.padding, strict=True):
            if n + 2 * p < k:
                raise ValueError(
                    f"an input of length {n} with padding {p} is shorter than the kernel {k}; "
                    "give a longer input, more padding or a smaller kernel"
                )
            lengths.append((n + 2 * p - k) // s + 1)
        return tuple(lengths)

    def __repr__(self) -> str:
        mode = "" if self.padding_mode is PaddingMode.ZEROS else ", padding_mode=CIRCULAR"
        mixing = "" if self.channels is None else f", channels={self.channels}"
        return (
            f"LayerWindow(kernel={self.kernel}, stride={self.stride}, "
            f"padding={self.padding}{mode}{mixing})"
        )


def _from_operation(operation: Operation, axes: int | None) -> LayerWindow:
    """The window of a Conv, MaxPool or AvgPool operation."""
    if isinstance(operation, Conv):
        mode = PaddingMode(operation.padding_mode)
        kernel = _per_axis(operation.kernel, axes, "kernel", minimum=1)
        return LayerWindow(
            kernel,
            _per_axis(operation.stride, len(kernel), "stride", minimum=1),
            _per_axis(operation.padding, len(kernel), "padding", minimum=0),
            mode,
            _count(operation.channels, "channels", minimum=1),
        )
    if isinstance(operation, (MaxPool, AvgPool)):
        kernel = _per_axis(operation.size, axes, "size", minimum=1)
        stride = kernel if operation.stride is None else operation.stride
        return LayerWindow(kernel, _per_axis(stride, len(kernel), "stride", minimum=1))
    raise ValueError(
        f"a {type(operation).__name__} operation has no window; a receptive field is "
        "computed for Conv, MaxPool and AvgPool layers (and (kernel, stride) pairs)"
    )


def _axes_of(layer: object) -> int | None:
    """The number of spatial axes a layer states with a tuple, or None when it gives ints."""
    if isinstance(layer, LayerWindow):
        return layer.axes
    if isinstance(layer, Conv):
        values: Iterable[object] = (layer.kernel, layer.stride, layer.padding)
    elif isinstance(layer, (MaxPool, AvgPool)):
        values = (layer.size, layer.stride)
    elif isinstance(layer, (tuple, list)):
        values = layer
    else:
        return None
    lengths = {len(v) for v in values if isinstance(v, (tuple, list))}
    if len(lengths) > 1:
        raise ValueError(
            f"the layer {layer!r} gives tuples of different lengths {sorted(lengths)}; give "
            "one entry per spatial axis in each"
        )
    return lengths.pop() if lengths else None


def layer_windows(
    layers: Sequence[object] | GraphNetwork, *, axes: int | None = None
) -> tuple[LayerWindow, ...]:
    """The windows of a stack of layers, from the input up.

    Parameters
    ----------
    layers : list or GraphNetwork
        Each a :class:`~symdl.core.graph_operations.Conv`,
        :class:`~symdl.core.graph_operations.MaxPool` or
        :class:`~symdl.core.graph_operations.AvgPool` operation, a ``(kernel, stride)`` or
        ``(kernel, stride, padding)`` tuple (ints, or tuples with one entry per spatial axis),
        or a :class:`LayerWindow`.  A :class:`~symdl.core.graph.GraphNetwork` is read along
        its one path from its input to its output (convolutions and poolings; activations
        keep the window as it is).
    axes : int or None
        The number of spatial axes; by default the length of the tuples given, else the
        input's (for a graph), else 1.

    Examples
    --------
    >>> layer_windows([(11, 4), (3, 2)])
    (LayerWindow(kernel=(11,), stride=(4,), padding=(0,)), LayerWindow(kernel=(3,), stride=(2,), padding=(0,)))
    """  # noqa: E501
    if isinstance(layers, GraphNetwork):
        layers, graph_axes = _path(layers)
        axes = graph_axes if axes is None else axes
    if isinstance(layers, (str, bytes)) or not isinstance(layers, Sequence):
        raise TypeError(
            f"layers={layers!r} is not a sequence of layers; give a list of Conv/MaxPool/AvgPool "
            "operations or (kernel, stride) pairs, or a GraphNetwork"
        )
    if len(layers) > MAX_LAYERS:
        raise ValueError(f"{len(layers)} layers is more than MAX_LAYERS = {MAX_LAYERS}")
    stated = {a for a in (_axes_of(layer) for layer in layers) if a is not None}
    if axes is not None:
        stated.add(_count(axes, "axes", minimum=1))
    if len(stated) > 1:
        raise ValueError(
            f"the layers disagree on the number of spatial axes ({sorted(stated)}); give "
            "every layer's tuples the same length"
        )
    n = stated.pop() if stated else 1
    windows = []
    for index, layer in enumerate(layers, start=1):
        if isinstance(layer, LayerWindow):
            windows.append(layer)
        elif isinstance(layer, Operation):
            windows.append(_from_operation(layer, n))
        elif isinstance(layer, (tuple, list)) and len(layer) in (2, 3):
            kernel = _per_axis(layer[0], n, f"layer {index}'s kernel", minimum=1)
            stride = _per_axis(layer[1], n, f"layer {index}'s stride", minimum=1)
            padding = _per_axis(
                layer[2] if len(layer) == 3 else 0, n, f"layer {index}'s padding", minimum=0
            )
            windows.append(LayerWindow(kernel, stride, padding))
        else:
            raise TypeError(
                f"layer {index} = {layer!r} is not a layer; give a Conv, MaxPool or AvgPool "
                "operation, a (kernel, stride) or (kernel, stride, padding) tuple, or a "
                "LayerWindow"
            )
    return tuple(windows)


def _path(graph: GraphNetwork) -> tuple[list[Operation], int]:
    """The operations on the graph's one path from its input to its output, from the input."""
    if len(graph.inputs) != 1:
        raise ValueError(
            f"the graph has {len(graph.inputs)} inputs; a receptive field is computed for a "
            "graph with one input"
        )
    (shape,) = graph.inputs.values()
    if len(shape) not in (2, 3):
        raise ValueError(
            f"the graph's input has shape {shape}; a receptive field needs a signal (C, N) or "
            "an image (C, H, W)"
        )
    operations: list[Operation] = []
    name = graph.output
    while name not in graph.inputs:
        node = graph.node(name)
        kind = node.operation.kind
        if len(node.inputs) != 1:
            raise ValueError(
                f"node {name!r} ({kind}) has {len(node.inputs)} inputs; a receptive field is "
                "computed along a single path of convolutions and poolings (a graph with "
                "branches has one per path)"
            )
        if kind in _WINDOWED:
            operations.append(node.operation)
        elif kind not in _POINTWISE:
            raise ValueError(
                f"node {name!r} is a {kind} operation, which mixes every position (its "
                "receptive field is the whole input); a receptive field is computed for "
                "convolutions, poolings and activations"
            )
        name = node.inputs[0]
    operations.reverse()
    return operations, len(shape) - 1


@dataclass(frozen=True)
class ReceptiveField:
    r"""The receptive field of a stack, one entry per spatial axis.

    Attributes
    ----------
    size : tuple of int
        :math:`r = 1 + \sum_l (k_l - 1) \prod_{i<l} s_i`.
    jump : tuple of int
        :math:`J = \prod_l s_l`: the window of output position :math:`u + 1` starts
        :math:`J` input positions after that of :math:`u`.
    start : tuple of int
        :math:`a = -\sum_l p_l \prod_{i<l} s_i`: where the window of output position 0
        starts (negative: in the padding).
    layers : tuple of LayerWindow

    Examples
    --------
    >>> rf = receptive_field([((11, 11), (4, 4)), ((3, 3), (2, 2))])  # AlexNet's first layers
    >>> rf.size, rf.jump
    ((19, 19), (8, 8))
    >>> print(rf)
    receptive field 19×19, jump 8×8, start 0×0
    >>> rf.window((1, 2))
    ((8, 26), (16, 34))
    """

    size: tuple[int, ...]
    jump: tuple[int, ...]
    start: tuple[int, ...]
    layers: tuple[LayerWindow, ...]

    @property
    def axes(self) -> int:
        """The number of spatial axes."""
        return len(self.size)

    def _check_axis(self, axis: object) -> None:
        if isinstance(axis, bool) or not isinstance(axis, numbers.Integral):
            raise TypeError(f"axis={axis!r} is not an int; give 0 to {self.axes - 1}")
        if not 0 <= int(axis) < self.axes:
            raise ValueError(
                f"axis={axis} is not an axis of this {self.axes}-axis receptive field; give 0 "
                f"to {self.axes - 1}"
            )

    def window(self, position: int | Sequence[int]) -> tuple[tuple[int, int], ...]:
        """The first and last input position (0-based, inclusive) on each axis of the window
        of output ``position``; positions below 0 or past the input are padding."""
        where = _per_axis(
            list(position) if isinstance(position, Sequence) else position,
            self.axes,
            "position",
            minimum=0,
        )
        return tuple(
            (u * j + a, u * j + a + r - 1)
            for u, j, a, r in zip(where, self.jump, self.start, self.size, strict=True)
        )

    def terms(self, axis: int = 0) -> tuple[tuple[int, int], ...]:
        r"""The pairs :math:`(k_l - 1, \prod_{i<l} s_i)` of the sum, on ``axis``."""
        self._check_axis(axis)
        pairs, product = [], 1
        for layer in self.layers:
            pairs.append((layer.kernel[axis] - 1, product))
            product *= layer.stride[axis]
        return tuple(pairs)

    def latex(self, axis: int = 0) -> str:
        r"""The sum written out, e.g. ``r = 1 + 10 \cdot 1 + 2 \cdot 4 = 19``."""
        self._check_axis(axis)
        terms = " + ".join(rf"{k} \cdot {j}" for k, j in self.terms(axis))
        return f"r = 1 + {terms} = {self.size[axis]}" if terms else "r = 1"

    def __str__(self) -> str:
        def joined(values: tuple[int, ...]) -> str:
            return "×".join(str(v).replace("-", "−") for v in values)

        return (
            f"receptive field {joined(self.size)}, jump {joined(self.jump)}, "
            f"start {joined(self.start)}"
        )


def receptive_field(
    layers: Sequence[object] | GraphNetwork, *, axes: int | None = None
) -> ReceptiveField:
    r"""The receptive field, jump and start of a stack of convolutions and poolings.

    .. math::

        r = 1 + \sum_{l=1}^{L} (k_l - 1) \prod_{i=1}^{l-1} s_i, \qquad
        J = \prod_{l=1}^{L} s_l, \qquad a = -\sum_{l=1}^{L} p_l \prod_{i=1}^{l-1} s_i.

    Parameters
    ----------
    layers : list or GraphNetwork
        As for :func:`layer_windows`, from the input up.
    axes : int or None
        The number of spatial axes (see :func:`layer_windows`).

    Returns
    -------
    ReceptiveField

    Examples
    --------
    >>> receptive_field([(3, 1)] * 3).size  # VGG: three 3×3 convolutions see 7×7
    (7,)
    >>> from symdl.core.graph_operations import Conv, MaxPool
    >>> rf = receptive_field([Conv(8, 3, padding=1), MaxPool(2), Conv(8, 3, padding=1)])
    >>> rf.size, rf.jump, rf.start
    ((8,), (2,), (-3,))

    References
    ----------
    Araujo, Norris & Sim, "Computing receptive fields of convolutional neural networks",
    Distill 2019, section "Single-path networks".
    """
    windows = layer_windows(layers, axes=axes)
    n = windows[0].axes if windows else (axes or 1)
    size, jump, start = [1] * n, [1] * n, [0] * n
    for layer in windows:
        for axis in range(n):
            size[axis] += (layer.kernel[axis] - 1) * jump[axis]
            start[axis] -= layer.padding[axis] * jump[axis]
            jump[axis] *= layer.stride[axis]
    return ReceptiveField(tuple(size), tuple(jump), tuple(start), windows)


def _shape_of(shape: object, name: str) -> tuple[int, ...]:
    if not isinstance(shape, (tuple, list)) or len(shape) not in (2, 3):
        raise ValueError(
            f"{name}={shape!r} is not a shape (C, N) or (C, H, W); give the channels and the "
            "spatial sizes"
        )
    return tuple(_count(v, name, minimum=1) for v in shape)


def input_units(
    layers: Sequence[object] | GraphNetwork,
    output_unit: int,
    *,
    input_shape: Sequence[int] | None = None,
) -> frozenset[int]:
    """The input units on which one output unit depends, found by following the indices.

    Independent of the formula of :func:`receptive_field`: starting from the output unit,
    each layer (from the top down) replaces a set of its output units by every unit its
    windows read (a convolution every input channel, a pooling its own channel), padding
    dropped (zeros) or wrapped around (circular).  Units are flat, 0-based, in row-major
    order (as :func:`numpy.reshape` orders them).

    Parameters
    ----------
    layers : list or GraphNetwork
        Conv/MaxPool/AvgPool operations or :class:`LayerWindow` objects, from the input up
        (a bare ``(kernel, stride)`` pair is read as a pooling: channel by channel); or a
        graph (see :func:`layer_windows`).
    output_unit : int
        The flat index of the output unit, from 0.
    input_shape : tuple of int
        The input's shape, (C, N) or (C, H, W); for a graph, its input's shape (the default).

    Returns
    -------
    frozenset of int

    Examples
    --------
    >>> sorted(input_units([(3, 1), (2, 2)], 1, input_shape=(1, 8)))  # positions 2 to 5
    [2, 3, 4, 5]
    >>> from symdl.core.graph_operations import Conv
    >>> sorted(input_units([Conv(1, 1, stride=2)], 1, input_shape=(2, 5)))  # both channels
    [2, 7]
    """
    if isinstance(layers, GraphNetwork) and input_shape is None:
        (input_shape,) = layers.inputs.values()
    if input_shape is None:
        raise ValueError("input_shape is needed: give the input's (C, N) or (C, H, W)")
    shape = _shape_of(input_shape, "input_shape")
    if math.prod(shape) > MAX_INPUT_UNITS:
        raise ValueError(
            f"input_shape={shape} has {math.prod(shape)} units, more than MAX_INPUT_UNITS = "
            f"{MAX_INPUT_UNITS}"
        )
    windows = layer_windows(layers, axes=len(shape) - 1)
    shapes = [shape]
    for index, layer in enumerate(windows, start=1):
        channels = shapes[-1][0] if layer.channels is None else layer.channels
        shapes.append((channels, *layer.output_size(shapes[-1][1:])))
        if math.prod(shapes[-1]) > MAX_INPUT_UNITS:
            raise ValueError(
                f"layer {index} outputs shape {shapes[-1]}: {math.prod(shapes[-1])} units, "
                f"more than MAX_INPUT_UNITS = {MAX_INPUT_UNITS}; give fewer channels or a "
                "smaller input"
            )
    total = math.prod(shapes[-1])
    unit = _count(output_unit, "output_unit", minimum=0)
    if unit >= total:
        raise ValueError(
            f"output_unit={unit} is past the output's {total} units (shape {shapes[-1]}); "
            f"give 0 to {total - 1}"
        )
    current = {_unravel(unit, shapes[-1])}
    for index in range(len(windows) - 1, -1, -1):
        current = _read_by(windows[index], current, shapes[index])
    return frozenset(_ravel(u, shape) for u in current)


def _unravel(unit: int, shape: tuple[int, ...]) -> tuple[int, ...]:
    index = []
    for n in reversed(shape):
        unit, rest = divmod(unit, n)
        index.append(rest)
    return tuple(reversed(index))


def _ravel(index: tuple[int, ...], shape: tuple[int, ...]) -> int:
    unit = 0
    for i, n in zip(index, shape, strict=True):
        unit = unit * n + i
    return unit


def _read_by(
    layer: LayerWindow, outputs: set[tuple[int, ...]], shape: tuple[int, ...]
) -> set[tuple[int, ...]]:
    """The units of the layer's input (of ``shape``) that its ``outputs`` read."""
    found: set[tuple[int, ...]] = set()
    if layer.channels is not None:
        # a convolution reads every input channel: follow each output position once
        outputs = {(0, *unit[1:]) for unit in outputs}
    for unit in outputs:
        channel, position = unit[0], unit[1:]
        per_axis = []
        for u, k, s, p, n in zip(
            position, layer.kernel, layer.stride, layer.padding, shape[1:], strict=True
        ):
            read = []
            for offset in range(k):
                i = u * s + offset - p
                if layer.padding_mode is PaddingMode.CIRCULAR:
                    read.append(i % n)
                elif 0 <= i < n:
                    read.append(i)
            per_axis.append(read)
        channels = (channel,) if layer.channels is None else range(shape[0])
        for c in channels:
            for place in _product(per_axis):
                found.add((c, *place))
    return found


def _product(lists: list[list[int]]) -> Iterable[tuple[int, ...]]:
    if not lists:
        yield ()
        return
    for first in lists[0]:
        for rest in _product(lists[1:]):
            yield (first, *rest)


# --- the VGG argument --------------------------------------------------------------------------


@dataclass(frozen=True)
class StackComparison:
    r"""A stack of :math:`n` small convolutions against one convolution that sees as much.

    Attributes
    ----------
    layers : int
        :math:`n`, the convolutions of the stack (stride 1, no pooling between).
    kernel : int
        Their kernel :math:`k` (on each of ``axes`` axes).
    axes : int
        Spatial axes (2 for images).
    channels : sympy.Expr
        :math:`C`, the channels in and out of every layer.
    receptive_field : int
        :math:`1 + n(k - 1)`: the kernel of the single layer that sees the same window.
    stacked_weights, single_weights : sympy.Expr
        :math:`n k^{d} C^2` and :math:`(1 + n(k-1))^{d} C^2` (biases not counted, as the VGG
        paper counts).
    """

    layers: int
    kernel: int
    axes: int
    channels: sp.Expr
    receptive_field: int
    stacked_weights: sp.Expr
    single_weights: sp.Expr

    @property
    def ratio(self) -> sp.Rational:
        """The single layer's weights over the stack's (49/27 for VGG's three 3×3)."""
        return sp.Rational(sp.cancel(self.single_weights / self.stacked_weights))

    @property
    def nonlinearities(self) -> tuple[int, int]:
        """The rectifications each applies (one per layer of the stack, one for the single)."""
        return (self.layers, 1)

    def __str__(self) -> str:
        side = "×".join([str(self.kernel)] * self.axes)
        seen = "×".join([str(self.receptive_field)] * self.axes)
        return (
            f"{self.layers} stacked {side} convolutions see {seen} with "
            f"{_product_text(self.stacked_weights)} weights; one {seen} convolution has "
            f"{_product_text(self.single_weights)}"
        )


def _product_text(expr: sp.Expr) -> str:
    """``27C²`` for ``27*C**2``: the lecture's notation, not SymPy's."""
    coefficient, rest = expr.as_coeff_Mul()
    factors = [f.as_base_exp() for f in sp.Mul.make_args(rest) if f != 1]
    if not coefficient.is_Integer or not all(
        isinstance(base, sp.Symbol) and power.is_Integer and power > 0 for base, power in factors
    ):
        return plain_expr(expr)
    text = "" if coefficient == 1 else str(coefficient)
    for base, power in factors:
        text += str(base) + ({1: "", 2: "²", 3: "³"}.get(int(power), f"^{power}"))
    return text or "1"


def stacked_versus_single(
    layers: int = 3,
    kernel: int = 3,
    *,
    channels: int | sp.Expr = CHANNELS,
    axes: int = 2,
) -> StackComparison:
    r"""Simonyan & Zisserman's comparison of a stack of small convolutions with one large one.

    :math:`n` convolutions with kernel :math:`k` and stride 1 see :math:`1 + n(k-1)` input
    positions per axis (:func:`receptive_field`) and have :math:`n k^d C^2` weights; one
    convolution that sees as much has :math:`(1 + n(k-1))^d C^2`.

    Examples
    --------
    >>> vgg = stacked_versus_single(3, 3)
    >>> print(vgg)
    3 stacked 3×3 convolutions see 7×7 with 27C² weights; one 7×7 convolution has 49C²
    >>> vgg.ratio, stacked_versus_single(2).receptive_field
    (49/27, 5)

    References
    ----------
    K. Simonyan, A. Zisserman, "Very deep convolutional networks for large-scale image
    recognition", ICLR 2015, section 2.3.
    """
    n = _count(layers, "layers", minimum=1)
    k = _count(kernel, "kernel", minimum=1)
    d = _count(axes, "axes", minimum=1)
    if d > _MAX_AXES:
        raise ValueError(f"axes={d} is more than {_MAX_AXES} spatial axes; give 1 to {_MAX_AXES}")
    if isinstance(channels, sp.Expr):
        if channels.is_positive is not True:
            raise ValueError(
                f"channels={channels} is not known to be positive; give a positive int or a "
                "Symbol with positive=True"
            )
        C: sp.Expr = channels
    else:
        C = sp.Integer(_count(channels, "channels", minimum=1))
    (seen,) = receptive_field([(k, 1)] * n).size
    return StackComparison(
        layers=n,
        kernel=k,
        axes=d,
        channels=C,
        receptive_field=seen,
        stacked_weights=n * k**d * C**2,
        single_weights=seen**d * C**2,
    )
