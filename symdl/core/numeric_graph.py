r"""The independent numeric evaluator of graph networks: NumPy (batched, float64) and mpmath.

This module is the cross-check of the symbolic path for a
:class:`~symdl.core.graph.GraphNetwork`.  It is written by hand from the mathematics of each
operation and never reads the SymPy expressions it checks: from the graph it reads only each
node's kind, its hyperparameters (units, kernel, stride, padding, window, :math:`\varepsilon`),
its activation's independently written NumPy form, and the numbers in its parameter arrays.

Every value is a batch of flat rows, shape ``(batch, units)``, in row-major order (a map of
shape :math:`(C, H, W)` is unit :math:`(c H + i) W + j`).  With :math:`x` a node's input,
:math:`v` what its operation computes and :math:`a = \sigma(v)` its value:

.. math::

    \text{dense:}\quad & z_j = \textstyle\sum_k W_{jk} x_k + b_j, \\
    \text{conv:}\quad & z_{o,i} = b_o + \textstyle\sum_{c,r} W_{o,c,r}\,
        \tilde x_{c,\, i s + r}
        \quad (\tilde x \text{ the input padded by } p \text{ with zeros or circularly}), \\
    \text{max pool:}\quad & v_{c,i} = \max_{r} x_{c,\, i s + r}, \qquad
    \text{avg pool:}\quad v_{c,i} = \tfrac{1}{|K|} \textstyle\sum_r x_{c,\, i s + r}, \\
    \text{batch norm:}\quad & v = \gamma_c\, \frac{x - \mu_c}{\sqrt{\sigma_c^2 + \varepsilon}}
        + \beta_c \quad (\mu_c, \sigma_c^2 \text{ over the batch and the positions}), \\
    \text{softmax:}\quad & v_j = e^{x_j} \big/ \textstyle\sum_k e^{x_k}, \\
    \text{add, concat, flatten:}\quad & \text{the sum, the concatenation along the first
        axis, the same numbers.}

The backward pass (:func:`graph_backward`) visits the nodes in reverse order; a node's error is
the sum over its consumers.  Convolution pulls the error back by scattering
:math:`W_{o,c,r}\,\delta_{o,i}` into the padded input at :math:`i s + r` and then folding the
padding back (dropped for zeros, added onto the entry it copies for circular padding); max
pooling gives each window's error to its first maximal entry in row-major order; batch norm
uses its exact Jacobian, which couples the examples of the batch:

.. math::

    \frac{\partial C}{\partial x} = \frac{1}{\sqrt{\sigma^2 + \varepsilon}}
    \Bigl(g - \overline{g} - \hat x\, \overline{g \hat x}\Bigr), \qquad g = \gamma\,
    \frac{\partial C}{\partial v},

with the means :math:`\overline{\,\cdot\,}` over the batch and the positions of a channel.
:func:`graph_forward_mp` evaluates the same definitions again, written as plain loops over the
indices, in mpmath at 50 digits: the referee where float64 is in doubt.

References
----------
M. Nielsen, *Neural Networks and Deep Learning* (2015), ch. 2 (the backward pass).
V. Dumoulin and F. Visin, *A guide to convolution arithmetic for deep learning* (2016), §2
(output sizes of convolution and pooling).
S. Ioffe and C. Szegedy, *Batch normalization* (ICML 2015), Algorithm 1 and §3 (the
gradient through the batch statistics).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import mpmath
import numpy as np
import sympy as sp
from numpy.typing import NDArray

from symdl.core.activations import Activation
from symdl.core.exceptions import NotSupportedError, did_you_mean
from symdl.core.graph import GraphNetwork, GraphNode
from symdl.core.losses import Loss
from symdl.core.network import applies_softmax
from symdl.core.numeric import (
    _check_registry_loss,
    _mp_activation,
    _number,
    _softmax_pullback,
    _softmax_rows,
    loss_gradient,
)
from symdl.core.targets import validate_targets

__all__ = [
    "GraphGradient",
    "graph_backward",
    "graph_forward",
    "graph_forward_mp",
    "graph_node_values",
]

FloatArray = NDArray[np.float64]
Shape = tuple[int, ...]
GraphParams = Mapping[sp.Symbol, Any] | Sequence[Any] | None
"""The values of a graph's free parameter symbols, as a mapping ``{symbol: number}`` or as one
number per symbol in ``graph.parameters`` order."""

_KINDS = (
    "dense",
    "conv",
    "max_pool",
    "avg_pool",
    "batch_norm",
    "add",
    "concat",
    "activation",
    "flatten",
    "softmax",
)
_PRE_IS_DELTA = ("dense", "conv")  # the kinds whose δ is ∂C/∂z (Nielsen's convention)


# --- reading the graph ---------------------------------------------------------------------------


def _kind(node: GraphNode) -> str:
    kind = str(getattr(node.operation, "kind", ""))
    if kind not in _KINDS:
        raise NotSupportedError(
            f"node {node.name!r}: the numeric evaluator has no rule for an operation of kind "
            f"{kind!r}{did_you_mean(kind, _KINDS)}; it evaluates {', '.join(_KINDS)}"
        )
    return kind


def _activation(node: GraphNode) -> Activation:
    act = getattr(node.operation, "activation", None)
    if not isinstance(act, Activation):
        raise TypeError(
            f"node {node.name!r}: its operation's activation {act!r} is not an Activation"
        )
    return act


def _per_axis(value: Any, axes: int, what: str, node: GraphNode) -> tuple[int, ...]:
    """An int (the same on every spatial axis) or a tuple with one entry per axis."""
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        return (int(value),) * axes
    values = tuple(int(v) for v in value)
    if len(values) != axes:
        raise ValueError(
            f"node {node.name!r}: {what}={value!r} has {len(values)} entries for an input "
            f"with {axes} spatial axes; give an int or one entry per axis"
        )
    return values


def _padding_mode(node: GraphNode) -> str:
    mode = getattr(node.operation, "padding_mode", "zeros")
    name = str(getattr(mode, "value", mode)).lower()
    if name not in ("zeros", "circular"):
        raise NotSupportedError(
            f"node {node.name!r}: padding_mode {mode!r} is not evaluated; accepted: 'zeros', "
            f"'circular'"
        )
    return name


@dataclass(frozen=True)
class _Window:
    """The index arithmetic of a convolution or pooling node over ``d`` spatial axes."""

    lengths: tuple[int, ...]  # N_a, the input's length on each spatial axis
    kernel: tuple[int, ...]
    stride: tuple[int, ...]
    padding: tuple[int, ...]
    circular: bool

    @property
    def axes(self) -> int:
        return len(self.lengths)

    @property
    def outputs(self) -> tuple[int, ...]:
        # floor((N + 2p - K)/s) + 1 on each axis
        return tuple(
            (n + 2 * p - k) // s + 1
            for n, k, s, p in zip(self.lengths, self.kernel, self.stride, self.padding, strict=True)
        )

    def positions(self) -> tuple[NDArray[np.intp], ...]:
        """Per axis ``a``, the padded index ``i s + r`` of output ``i`` and kernel offset ``r``,
        shaped to broadcast as ``(O_1, …, O_d, K_1, …, K_d)``."""
        d, result = self.axes, []
        for a, (out, k, s) in enumerate(zip(self.outputs, self.kernel, self.stride, strict=True)):
            t = np.arange(out)[:, None] * s + np.arange(k)[None, :]
            shape = [1] * (2 * d)
            shape[a], shape[d + a] = out, k
            result.append(t.reshape(shape))
        return tuple(result)


def _eps(node: GraphNode) -> sp.Expr:
    """Batch norm's ε (an exact positive number)."""
    eps: sp.Expr = getattr(node.operation, "eps")  # noqa: B009
    return eps


def _window(node: GraphNode, in_shape: Shape, *, conv: bool) -> _Window:
    op = node.operation
    axes = len(in_shape) - 1
    if axes not in (1, 2):
        raise ValueError(
            f"node {node.name!r}: input shape {in_shape} is not (C, N) or (C, H, W); "
            f"convolution and pooling read a 1-D or 2-D map"
        )
    if conv:
        kernel = _per_axis(getattr(op, "kernel"), axes, "kernel", node)  # noqa: B009
        stride = _per_axis(getattr(op, "stride", 1), axes, "stride", node)
        padding = _per_axis(getattr(op, "padding", 0), axes, "padding", node)
        circular = _padding_mode(node) == "circular"
    else:
        kernel = _per_axis(getattr(op, "size"), axes, "size", node)  # noqa: B009
        given = getattr(op, "stride", None)
        stride = kernel if given is None else _per_axis(given, axes, "stride", node)
        padding, circular = (0,) * axes, False
    window = _Window(tuple(in_shape[1:]), kernel, stride, padding, circular)
    if any(o < 1 for o in window.outputs):
        raise ValueError(
            f"node {node.name!r}: a window of {kernel} with stride {stride} and padding "
            f"{padding} does not fit an input of shape {in_shape}; use a smaller kernel or "
            f"more padding"
        )
    return window


# --- parameters ------------------------------------------------------------------------------


def _given_values(symbols: tuple[sp.Symbol, ...], params: GraphParams) -> dict[sp.Symbol, Any]:
    """The value given for every free parameter symbol (not yet converted)."""
    if params is None:
        if symbols:
            shown = ", ".join(map(str, symbols[:5])) + (", …" if len(symbols) > 5 else "")
            raise ValueError(
                f"the graph has {len(symbols)} free parameter(s) ({shown}); pass "
                f"params={{symbol: value}} or a sequence of {len(symbols)} numbers in "
                f"graph.parameters order"
            )
        return {}
    if isinstance(params, Mapping):
        missing = [s for s in symbols if s not in params]
        if missing:
            raise ValueError(
                f"no value given for the parameter(s) {', '.join(map(str, missing))}; give "
                f"one number for each symbol of graph.parameters"
            )
        return {s: params[s] for s in symbols}
    if isinstance(params, (str, bytes)):
        raise TypeError(f"params={params!r} is text; give a mapping or a sequence of numbers")
    values = list(np.asarray(params, dtype=object).ravel())
    if len(values) != len(symbols):
        raise ValueError(
            f"params has {len(values)} values for {len(symbols)} free parameters; give one "
            f"number per symbol of graph.parameters, in that order"
        )
    return dict(zip(symbols, values, strict=True))


def _exact_values(given: Mapping[sp.Symbol, Any]) -> dict[sp.Symbol, sp.Expr]:
    """The given values as exact numbers (a float at its binary value; text is refused)."""
    return {s: _number(v, str(s)) for s, v in given.items()}


def _float_value(value: Any, symbol: sp.Symbol) -> float:
    if isinstance(value, (float, np.floating)) and math.isfinite(value):
        return float(value)  # what the exact conversion would give back, without it
    return float(_number(value, str(symbol)))


Entries = tuple[tuple[int, ...], tuple[sp.Expr, ...]]
"""A parameter array as its shape and its entries, flat in row-major order."""


def _entries(array: Any) -> Entries:
    """A node's parameter array as its shape and its flat entries.

    An immutable SymPy array holds its entries as its first argument, flat in row-major order:
    read there (reading entry by entry parses every index, which is slow for large kernels).
    """
    if isinstance(array, sp.ImmutableDenseNDimArray):
        flat, shape = array.args
        shape = tuple(int(n) for n in shape)
        if len(flat) == math.prod(shape):
            return shape, tuple(flat)
    listed = np.asarray(array.tolist() if hasattr(array, "tolist") else array, dtype=object)
    shape = tuple(getattr(array, "shape", listed.shape))
    return shape, tuple(sp.sympify(e) for e in listed.ravel())


def _entry_number(entry: sp.Expr, exact: Mapping[sp.Symbol, sp.Expr]) -> sp.Expr:
    if entry.is_Number:
        return entry
    if entry.is_Symbol:
        return exact[entry]
    unknown = entry.free_symbols - set(exact)
    if unknown:
        raise ValueError(
            f"the parameter entry {entry} holds the symbol(s) "
            f"{', '.join(sorted(map(str, unknown)))}, which are not parameters of the graph"
        )
    return entry.xreplace({s: exact[s] for s in entry.free_symbols})


@dataclass(frozen=True)
class _Parameters:
    """The numbers in every node's parameter arrays and, for the gradient, where each free
    symbol occurs in them."""

    symbols: tuple[sp.Symbol, ...]
    arrays: dict[str, dict[str, FloatArray]]
    entries: dict[str, dict[str, Entries]]
    given: dict[sp.Symbol, Any]


def _parameters(graph: GraphNetwork, params: GraphParams) -> _Parameters:
    symbols = tuple(graph.parameters)
    given = _given_values(symbols, params)
    as_float = {s: _float_value(v, s) for s, v in given.items()}
    exact: dict[sp.Symbol, sp.Expr] | None = None  # only for an entry that is an expression
    arrays: dict[str, dict[str, FloatArray]] = {}
    entries: dict[str, dict[str, Entries]] = {}
    for node in graph.nodes:
        arrays[node.name], entries[node.name] = {}, {}
        for key, array in node.parameters.items():
            shape, flat = _entries(array)
            values = []
            for e in flat:
                if e in as_float:
                    values.append(as_float[e])
                elif e.is_Number:
                    values.append(float(e))
                else:
                    exact = _exact_values(given) if exact is None else exact
                    values.append(float(_entry_number(e, exact)))
            arrays[node.name][key] = np.array(values, dtype=float).reshape(shape)
            entries[node.name][key] = (shape, flat)
    return _Parameters(symbols, arrays, entries, given)


# --- inputs ----------------------------------------------------------------------------------


def _one_input(name: str, shape: Shape, value: Any, *, dtype: Any) -> tuple[NDArray[Any], bool]:
    """An input as ``(batch, units)`` and whether it was given with a batch axis: accepted are
    ``(batch, *shape)``, ``(batch, units)``, ``shape`` and ``(units,)``."""
    if np.asarray(value).dtype.kind in "US":
        raise TypeError(f"input {name!r} holds text; give numbers (text is never parsed here)")
    array = np.asarray(value, dtype=dtype)
    units = math.prod(shape)
    if array.ndim == len(shape) + 1 and array.shape[1:] == shape:
        return array.reshape(array.shape[0], units), True
    if array.shape == shape:  # before (batch, units): a (1, N) map is one example
        return array.reshape(1, units), False
    if array.ndim == 2 and array.shape[1] == units:
        return array, True
    if array.ndim == 1 and array.size == units:
        return array.reshape(1, units), False
    raise ValueError(
        f"input {name!r} of shape {array.shape} does not fit the input shape {shape}; give "
        f"an array of shape (batch, {', '.join(map(str, shape))}) or (batch, {units})"
    )


def _inputs(graph: GraphNetwork, X: Any, *, dtype: Any) -> tuple[dict[str, NDArray[Any]], bool]:
    names = list(graph.inputs)
    if not isinstance(X, Mapping):
        if len(names) != 1:
            raise ValueError(
                f"the graph has {len(names)} inputs ({', '.join(names)}); give X as a dict "
                f"input name → array"
            )
        X = {names[0]: X}
    for key in X:
        if key not in graph.inputs:
            raise ValueError(
                f"X names the input {key!r}, which the graph does not have"
                f"{did_you_mean(str(key), names)}; its inputs are {', '.join(names)}"
            )
    missing = [n for n in names if n not in X]
    if missing:
        raise ValueError(f"X gives no value for the input(s) {', '.join(missing)}")
    result, batched = {}, set()
    for name in names:
        result[name], has_batch = _one_input(name, tuple(graph.inputs[name]), X[name], dtype=dtype)
        batched.add(has_batch)
    sizes = {a.shape[0] for a in result.values()}
    if len(sizes) != 1 or len(batched) != 1:
        raise ValueError(
            f"the inputs hold different numbers of examples "
            f"({', '.join(f'{n}: {a.shape[0]}' for n, a in result.items())}); give every "
            f"input the same batch"
        )
    if sizes == {0}:
        raise ValueError("X holds no example; give a batch of at least one")
    return result, batched.pop()


def _check_batch(graph: GraphNetwork, batch: int, *, hint: str) -> None:
    """Refuse a batch smaller than an operation needs (batch norm: the variance of one
    example is 0)."""
    for node in graph.nodes:
        least = int(getattr(node.operation, "min_batch", 1))
        if batch < least:
            raise ValueError(
                f"node {node.name!r} ({_kind(node)}) needs a batch of at least {least} "
                f"examples; got {batch}: {hint}"
            )


# --- the forward pass (NumPy) ------------------------------------------------------------------


def _pad(x: FloatArray, window: _Window) -> FloatArray:
    """``x`` of shape ``(B, C, *N)`` padded by ``p`` on both ends of each spatial axis: with
    zeros, or circularly (:math:`\\tilde x_t = x_{(t - p) \\bmod N}`)."""
    for a, (n, p) in enumerate(zip(window.lengths, window.padding, strict=True)):
        if p == 0:
            continue
        axis = 2 + a
        if window.circular:
            x = np.take(x, (np.arange(n + 2 * p) - p) % n, axis=axis)
        else:
            widths = [(0, 0)] * x.ndim
            widths[axis] = (p, p)
            x = np.pad(x, widths)
    return x


def _fold(g: FloatArray, window: _Window) -> FloatArray:
    """The adjoint of :func:`_pad`: a gradient on the padded input back on the input (the
    padding's zeros dropped; a circular copy's gradient added onto the entry it copies)."""
    for a, (n, p) in enumerate(zip(window.lengths, window.padding, strict=True)):
        if p == 0:
            continue
        axis = 2 + a
        if window.circular:
            moved = np.moveaxis(g, axis, 0)
            folded = np.zeros((n, *moved.shape[1:]))
            np.add.at(folded, (np.arange(n + 2 * p) - p) % n, moved)
            g = np.moveaxis(folded, 0, axis)
        else:
            g = np.take(g, np.arange(p, p + n), axis=axis)
    return g


def _patches(x: FloatArray, window: _Window) -> FloatArray:
    """``P[b, c, i…, r…] = x[b, c, i s + r]``, shape ``(B, C, O_1…O_d, K_1…K_d)``."""
    result: FloatArray = x[_window_index(window)]
    return result


def _scatter(g: FloatArray, window: _Window, shape: tuple[int, ...]) -> FloatArray:
    """The adjoint of :func:`_patches`: ``g`` of the patches' shape summed onto an array of
    ``shape`` at the positions each patch entry was read from."""
    out = np.zeros(shape)
    np.add.at(out, _window_index(window), g)
    return out


def _window_index(window: _Window) -> tuple[Any, ...]:
    """The index ``[:, :, i s + r …]`` that reads every window of a ``(B, C, *N)`` array."""
    whole = slice(None)
    return (whole, whole, *window.positions())


def _channels(x: FloatArray, shape: Shape) -> FloatArray:
    """A batch of flat rows as ``(B, C, positions)``; a vector's units are its channels."""
    return x.reshape(x.shape[0], shape[0], -1)


@dataclass
class _Trace:
    """A forward pass: each node's value and pre-activation, and what the backward pass
    reuses (patches, the first maxima, the batch statistics)."""

    values: dict[str, FloatArray]
    pre: dict[str, FloatArray] = field(default_factory=dict)
    saved: dict[str, Any] = field(default_factory=dict)


def _forward_node(
    graph: GraphNetwork, node: GraphNode, trace: _Trace, arrays: dict[str, FloatArray]
) -> FloatArray:
    kind = _kind(node)
    xs = [trace.values[name] for name in node.inputs]
    shapes = [tuple(graph.shapes[name]) for name in node.inputs]
    B = xs[0].shape[0]
    if kind == "dense":
        return xs[0] @ arrays["W"].T + arrays["b"]
    if kind == "conv":
        window = _window(node, shapes[0], conv=True)
        P = _patches(_pad(xs[0].reshape(B, *shapes[0]), window), window)
        d = window.axes
        # z[b, i…, o] = Σ_{c, r…} P[b, c, i…, r…] W[o, c, r…]
        Z = np.tensordot(
            P, arrays["W"], axes=([1, *range(2 + d, 2 + 2 * d)], list(range(1, 2 + d)))
        )
        Z = np.moveaxis(Z, -1, 1) + arrays["b"].reshape(-1, *([1] * d))
        trace.saved[node.name] = (window, P)
        return Z.reshape(B, -1)
    if kind in ("max_pool", "avg_pool"):
        window = _window(node, shapes[0], conv=False)
        P = _patches(xs[0].reshape(B, *shapes[0]), window)
        flat = P.reshape(*P.shape[: 2 + window.axes], -1)  # the window in row-major order
        if kind == "avg_pool":
            trace.saved[node.name] = window
            return (flat.sum(axis=-1) / flat.shape[-1]).reshape(B, -1)
        first = flat.argmax(axis=-1)  # argmax returns the first maximal entry
        trace.saved[node.name] = (window, P.shape, first)
        return np.take_along_axis(flat, first[..., None], axis=-1).reshape(B, -1)
    if kind == "batch_norm":
        x = _channels(xs[0], shapes[0])
        m = x.shape[0] * x.shape[2]
        mu = x.sum(axis=(0, 2), keepdims=True) / m
        centred = x - mu
        var = (centred**2).sum(axis=(0, 2), keepdims=True) / m
        root = np.sqrt(var + float(_eps(node)))
        x_hat = centred / root
        trace.saved[node.name] = (x_hat, root)
        gamma, beta = arrays["gamma"][None, :, None], arrays["beta"][None, :, None]
        return (gamma * x_hat + beta).reshape(B, -1)
    if kind == "add":
        return np.sum(xs, axis=0)
    if kind == "concat":
        return np.concatenate(
            [_channels(x, s) for x, s in zip(xs, shapes, strict=True)], axis=1
        ).reshape(B, -1)
    if kind == "softmax":
        return _softmax_rows(xs[0])
    return xs[0].copy()  # activation, flatten: v is the input, unchanged


def _forward(graph: GraphNetwork, X: Any, params: GraphParams) -> tuple[_Trace, _Parameters]:
    inputs, _ = _inputs(graph, X, dtype=float)
    trace = _Trace(values=dict(inputs))
    _check_batch(graph, next(iter(inputs.values())).shape[0], hint="give X more rows (examples)")
    parameters = _parameters(graph, params)
    for node in graph.nodes:
        v = _forward_node(graph, node, trace, parameters.arrays[node.name])
        act = _activation(node)
        trace.pre[node.name] = v
        trace.values[node.name] = v if act.name == "identity" else act.numpy(v)
    return trace, parameters


def graph_forward(graph: GraphNetwork, X: Any, params: GraphParams = None) -> FloatArray:
    r"""The graph's output on a batch, shape ``(batch, units)`` (flat, row-major).

    Parameters
    ----------
    graph
        A :class:`~symdl.core.graph.GraphNetwork`.
    X
        The inputs: a dict input name → array of shape ``(batch, *shape)`` (or
        ``(batch, units)``, flat), or one array when the graph has one input.  The batch is
        taken from ``X`` (a batch norm needs at least 2 examples).
    params
        Values for the free parameter symbols: ``{symbol: number}``, or one number per symbol
        in ``graph.parameters`` order; ``None`` when every parameter is a number.

    Raises
    ------
    ValueError
        If an input does not fit its shape, a parameter has no value, or a batch norm gets
        fewer than 2 examples.

    Examples
    --------
    >>> from symdl.core.graph import GraphNetwork
    >>> net = GraphNetwork.residual(2, 1)  # r = x + W^{(f1)} ReLU(W^{(h1)} x + b^{(h1)}) + b^{(f1)}
    >>> graph_forward(net, [[1.0, -2.0]], [0.0] * len(net.parameters))
    array([[ 1., -2.]])
    """
    trace, _ = _forward(graph, X, params)
    return trace.values[graph.output]


def graph_node_values(
    graph: GraphNetwork, X: Any, params: GraphParams = None
) -> dict[str, FloatArray]:
    r"""Every value of a forward pass, each of shape ``(batch, units)``.

    The keys are the graph's inputs and nodes (a node's value :math:`a = \sigma(v)`), and
    ``f"{name}:pre"`` for a node whose activation is not the identity (its :math:`v`, the
    pre-activation :math:`z` of a dense or convolution node).  Arguments as
    :func:`graph_forward`.

    Examples
    --------
    >>> from symdl.core.graph import GraphNetwork
    >>> net = GraphNetwork.residual(1, 1)
    >>> values = graph_node_values(net, [[1.0]], [-2.0, 0.0, 1.0, 0.0])
    >>> values["h1:pre"], values["h1"], values["r1"]
    (array([[-2.]]), array([[0.]]), array([[1.]]))
    """
    trace, _ = _forward(graph, X, params)
    result = dict(trace.values)
    for node in graph.nodes:
        if _activation(node).name != "identity":
            result[f"{node.name}:pre"] = trace.pre[node.name]
    return result


# --- the backward pass -------------------------------------------------------------------------


@dataclass(frozen=True)
class GraphGradient:
    r"""The gradient of the mean loss :math:`C = \frac1B \sum_b \ell(o_b, y_b)` of a graph.

    Attributes
    ----------
    parameters
        :math:`\partial C/\partial\theta` for each free parameter, in ``graph.parameters``
        order (a symbol shared by several entries collects every entry's share).
    nodes
        The error :math:`\delta` of each node, shape ``(batch, units)``:
        :math:`\partial C/\partial z` for a dense or convolution node, :math:`\partial
        C/\partial a` (its value) for every other node.
    inputs
        :math:`\partial C/\partial x` for each graph input, shape ``(batch, units)``.
    symbols
        The parameter symbols, ``graph.parameters``.
    """

    parameters: FloatArray
    nodes: dict[str, FloatArray]
    inputs: dict[str, FloatArray]
    symbols: tuple[sp.Symbol, ...]

    def by_symbol(self) -> dict[sp.Symbol, float]:
        """The parameter gradient as ``{symbol: ∂C/∂θ}``."""
        return {s: float(g) for s, g in zip(self.symbols, self.parameters, strict=True)}


def _output_gradient(
    graph: GraphNetwork, trace: _Trace, Y: Any, loss: Loss
) -> tuple[FloatArray, FloatArray | None]:
    """``∂C/∂a`` of the output node and, after a sigmoid with binary cross-entropy, its
    ``∂C/∂v`` written from the logits (finite where σ rounds to 0 or 1)."""
    O = trace.values[graph.output]
    Y = np.asarray(Y, dtype=float)
    if Y.ndim == 1 and O.shape[0] == 1:
        Y = Y[None, :]
    if Y.shape != O.shape:
        raise ValueError(
            f"targets of shape {Y.shape} do not fit outputs of shape {O.shape}; give one row "
            f"of {O.shape[1]} targets per example"
        )
    B = O.shape[0]
    act = _activation(graph.node(graph.output))
    if loss.name == "bce" and act.name == "sigmoid":
        Y = validate_targets(Y, target=loss.target)
        Z = trace.pre[graph.output]
        # ∂ℓ/∂z = σ(z) - y, written (1 - y) σ(z) - y σ(-z): accurate where σ(z) ≈ 1
        pre: FloatArray = ((1 - Y) * act.numpy(Z) - Y * act.numpy(-Z)) / B
        with np.errstate(divide="ignore", invalid="ignore"):
            return loss_gradient(loss, O, Y) / B, pre
    return loss_gradient(loss, O, Y) / B, None


def _backward_node(
    graph: GraphNetwork,
    node: GraphNode,
    trace: _Trace,
    arrays: dict[str, FloatArray],
    G: FloatArray,
) -> tuple[list[FloatArray], dict[str, FloatArray]]:
    """From ``G = ∂C/∂v`` (batch × units): ``∂C/∂(each input)`` and ``∂C/∂(each parameter
    array)``."""
    kind = _kind(node)
    xs = [trace.values[name] for name in node.inputs]
    shapes = [tuple(graph.shapes[name]) for name in node.inputs]
    B = G.shape[0]
    if kind == "dense":
        W = arrays["W"]
        return [G @ W], {"W": G.T @ xs[0], "b": G.sum(axis=0)}
    if kind == "conv":
        window, P = trace.saved[node.name]
        d = window.axes
        W = arrays["W"]
        Gm = G.reshape(B, W.shape[0], *window.outputs)
        spatial = list(range(2, 2 + d))
        # ∂C/∂W[o, c, r…] = Σ_{b, i…} G[b, o, i…] P[b, c, i…, r…]; ∂C/∂b[o] = Σ_{b, i…} G[b, o, i…]
        dW = np.tensordot(Gm, P, axes=([0, *spatial], [0, *spatial]))
        db = Gm.sum(axis=(0, *spatial))
        # ∂C/∂P[b, c, i…, r…] = Σ_o W[o, c, r…] G[b, o, i…]; then scatter and fold
        GP = np.tensordot(Gm, W, axes=([1], [0]))  # (B, O…, C, K…)
        GP = np.moveaxis(GP, 1 + d, 1)  # (B, C, O…, K…)
        padded = (
            B,
            shapes[0][0],
            *(n + 2 * p for n, p in zip(window.lengths, window.padding, strict=True)),
        )
        gx = _fold(_scatter(GP, window, padded), window)
        return [gx.reshape(B, -1)], {"W": dW, "b": db}
    if kind == "avg_pool":
        window = trace.saved[node.name]
        C = shapes[0][0]
        count = math.prod(window.kernel)
        Gm = G.reshape(B, C, *window.outputs)
        GP = np.broadcast_to(
            (Gm / count).reshape(*Gm.shape, *([1] * window.axes)),
            (B, C, *window.outputs, *window.kernel),
        )
        return [_scatter(GP, window, (B, *shapes[0])).reshape(B, -1)], {}
    if kind == "max_pool":
        window, patch_shape, first = trace.saved[node.name]
        flat = np.zeros((*first.shape, math.prod(window.kernel)))
        np.put_along_axis(flat, first[..., None], G.reshape(first.shape)[..., None], axis=-1)
        return [_scatter(flat.reshape(patch_shape), window, (B, *shapes[0])).reshape(B, -1)], {}
    if kind == "batch_norm":
        x_hat, root = trace.saved[node.name]
        Gc = _channels(G, shapes[0])
        m = Gc.shape[0] * Gc.shape[2]
        gamma = arrays["gamma"][None, :, None]
        g = gamma * Gc
        g_mean = g.sum(axis=(0, 2), keepdims=True) / m
        gx_mean = (g * x_hat).sum(axis=(0, 2), keepdims=True) / m
        gx = (g - g_mean - x_hat * gx_mean) / root
        return [gx.reshape(B, -1)], {
            "gamma": (Gc * x_hat).sum(axis=(0, 2)),
            "beta": Gc.sum(axis=(0, 2)),
        }
    if kind == "add":
        return [G] * len(xs), {}
    if kind == "concat":
        Gc = G.reshape(B, sum(s[0] for s in shapes), -1)
        cuts = np.cumsum([s[0] for s in shapes])[:-1]
        return [part.reshape(B, -1) for part in np.split(Gc, cuts, axis=1)], {}
    if kind == "softmax":  # ∂C/∂x_k = p_k (g_k - Σ_j g_j p_j)
        return [_softmax_pullback(trace.pre[node.name], G)], {}
    return [G], {}  # activation, flatten


def _accumulate_parameters(
    parameters: _Parameters, grads: dict[str, dict[str, FloatArray]]
) -> FloatArray:
    """∂C/∂θ for each free symbol: Σ over the entries holding it of ∂C/∂entry · ∂entry/∂θ."""
    position = {s: i for i, s in enumerate(parameters.symbols)}
    result = np.zeros(len(parameters.symbols))
    exact: dict[sp.Symbol, sp.Expr] | None = None
    for node_name, by_key in grads.items():
        for key, grad in by_key.items():
            _, flat = parameters.entries[node_name][key]
            g = np.asarray(grad, dtype=float).ravel()
            for k, entry in enumerate(flat):
                if entry.is_Number:
                    continue
                if entry in position:
                    result[position[entry]] += g[k]
                    continue
                exact = _exact_values(parameters.given) if exact is None else exact
                for s in entry.free_symbols & position.keys():
                    slope = sp.diff(entry, s).xreplace(exact)
                    result[position[s]] += g[k] * float(slope)
    return result


def graph_backward(
    graph: GraphNetwork, X: Any, Y: Any, loss: Loss, params: GraphParams = None
) -> GraphGradient:
    r"""The gradient of the mean loss :math:`C = \frac1B \sum_b \ell(o_b, y_b)` over a batch.

    Reverse mode by hand: each node's error is the sum over its consumers; add passes it
    unchanged to each input, concat splits it, average pooling spreads
    :math:`\delta/|K|` over the window, max pooling gives it to the first maximal entry
    (row-major), convolution scatters :math:`W^\top\delta` into the padded input and folds
    the padding back, batch norm goes through its exact Jacobian.  At a kink the registry's
    derivative convention holds (ReLU'(0) = 0).

    Parameters
    ----------
    graph, X, params
        As :func:`graph_forward`.
    Y
        The targets, shape ``(batch, output units)``.
    loss
        A registry :class:`~symdl.core.losses.Loss` (its gradient is
        :func:`symdl.core.numeric.loss_gradient`; binary cross-entropy after a sigmoid output
        is differentiated from the logits).

    Returns
    -------
    GraphGradient

    Raises
    ------
    TypeError
        If ``loss`` is not a registry loss.
    ValueError
        If the targets do not fit the outputs (or are not of the loss's kind), or as
        :func:`graph_forward`.

    Examples
    --------
    >>> from symdl.core.graph import GraphNetwork
    >>> from symdl.core.losses import LOSSES
    >>> net = GraphNetwork.residual(1, 1)  # r = x + w_f ReLU(w_h x + b_h) + b_f
    >>> grad = graph_backward(net, [[1.0]], [[0.0]], LOSSES["mse"], [2.0, 0.0, 3.0, 0.0])
    >>> grad.inputs["x"]  # C = (x + 6x)², ∂C/∂x = 2 · 7 · 7 at x = 1
    array([[98.]])
    """
    _check_registry_loss(loss)
    if applies_softmax(loss) and _kind(graph.node(graph.output)) == "softmax":
        raise ValueError(
            f"the loss {loss.name!r} applies the softmax to the graph's output itself, and the "
            f"output node {graph.output!r} is already a softmax: the softmax would be applied "
            f"twice. End the graph before the softmax node (the loss's softmax then gives the "
            f"probabilities), or use a loss that does not apply the softmax"
        )
    trace, parameters = _forward(graph, X, params)
    G_out, pre_out = _output_gradient(graph, trace, Y, loss)
    B = G_out.shape[0]
    upstream: dict[str, FloatArray] = {name: np.zeros_like(v) for name, v in trace.values.items()}
    upstream[graph.output] = G_out
    deltas: dict[str, FloatArray] = {}
    parameter_grads: dict[str, dict[str, FloatArray]] = {}
    for node in reversed(graph.nodes):
        act = _activation(node)
        G_value = upstream[node.name]
        if node.name == graph.output and pre_out is not None:
            G_pre = pre_out
        elif act.name == "identity":
            G_pre = G_value
        else:
            G_pre = G_value * act.numpy_diff(trace.pre[node.name])
        kind = _kind(node)
        deltas[node.name] = G_pre if kind in _PRE_IS_DELTA else G_value
        into_inputs, parameter_grads[node.name] = _backward_node(
            graph, node, trace, parameters.arrays[node.name], G_pre
        )
        for name, g in zip(node.inputs, into_inputs, strict=True):
            upstream[name] = upstream[name] + g
    deltas = {node.name: deltas[node.name] for node in graph.nodes}
    return GraphGradient(
        parameters=_accumulate_parameters(parameters, parameter_grads),
        nodes=deltas,
        inputs={name: upstream[name].reshape(B, -1) for name in graph.inputs},
        symbols=parameters.symbols,
    )


# --- mpmath, written as loops over the indices --------------------------------------------------

Row = list[Any]  # one example's flat values (mpf)


def _mp_node(
    node: GraphNode,
    kind: str,
    xs: list[list[Row]],
    shapes: list[Shape],
    arrays: dict[str, NDArray[Any]],
    eps: Any,
) -> list[Row]:
    """One node's ``v`` for every example, straight from the definitions."""
    if kind == "dense":
        W, b = arrays["W"], arrays["b"]
        return [
            [
                mpmath.fsum(W[j, k] * a[k] for k in range(W.shape[1])) + b[j]
                for j in range(W.shape[0])
            ]
            for a in xs[0]
        ]
    if kind in ("conv", "max_pool", "avg_pool"):
        window = _window(node, shapes[0], conv=kind == "conv")
        C, lengths = shapes[0][0], window.lengths

        def read(a: Row, c: int, at: tuple[int, ...]) -> Any:
            # x̃[c, t] with t the padded index: 0 outside for zeros, wrapped for circular
            flat = c
            for t, n, p in zip(at, lengths, window.padding, strict=True):
                u = t - p
                if window.circular:
                    u %= n
                elif not 0 <= u < n:
                    return mpmath.mpf(0)
                flat = flat * n + u
            return a[flat]

        outputs = list(itertools.product(*map(range, window.outputs)))
        offsets = list(itertools.product(*map(range, window.kernel)))

        def at(i: tuple[int, ...], r: tuple[int, ...]) -> tuple[int, ...]:
            return tuple(ia * s + ra for ia, s, ra in zip(i, window.stride, r, strict=True))

        rows = []
        for a in xs[0]:
            if kind == "conv":  # z[o, i] = b[o] + Σ_{c, r} W[o, c, r] x̃[c, i s + r]
                W, b = arrays["W"], arrays["b"]
                row = []
                for o in range(W.shape[0]):
                    for i in outputs:
                        terms = []
                        for c in range(C):
                            for r in offsets:
                                index = (o, c, *r)
                                terms.append(W[index] * read(a, c, at(i, r)))
                        row.append(b[o] + mpmath.fsum(terms))
            elif kind == "max_pool":
                row = [
                    max(read(a, c, at(i, r)) for r in offsets) for c in range(C) for i in outputs
                ]
            else:
                row = [
                    mpmath.fsum(read(a, c, at(i, r)) for r in offsets) / len(offsets)
                    for c in range(C)
                    for i in outputs
                ]
            rows.append(row)
        return rows
    if kind == "batch_norm":
        C = shapes[0][0]
        per = math.prod(shapes[0]) // C
        gamma, beta = arrays["gamma"], arrays["beta"]
        rows = [[mpmath.mpf(0)] * (C * per) for _ in xs[0]]
        for c in range(C):
            units = range(c * per, (c + 1) * per)
            entries = [a[u] for a in xs[0] for u in units]
            mu = mpmath.fsum(entries) / len(entries)
            var = mpmath.fsum((e - mu) ** 2 for e in entries) / len(entries)
            root = mpmath.sqrt(var + eps)
            for a, row in zip(xs[0], rows, strict=True):
                for u in units:
                    row[u] = gamma[c] * (a[u] - mu) / root + beta[c]
        return rows
    if kind == "add":
        return [
            [mpmath.fsum(col) for col in zip(*examples, strict=True)]
            for examples in zip(*xs, strict=True)
        ]
    if kind == "concat":
        # along the first axis, the major one of the row-major order: all of input 1's values,
        # then all of input 2's, …
        return [[value for a in examples for value in a] for examples in zip(*xs, strict=True)]
    if kind == "softmax":
        rows = []
        for a in xs[0]:
            top = max(a)
            exps = [mpmath.exp(e - top) for e in a]
            total = mpmath.fsum(exps)
            rows.append([e / total for e in exps])
        return rows
    return [list(a) for a in xs[0]]  # activation, flatten


def graph_forward_mp(
    graph: GraphNetwork, x: Any, params: GraphParams = None, *, dps: int = 50
) -> list[Any]:
    r"""The graph's output with mpmath at ``dps`` significant digits, from loops over the
    indices of each definition (a second implementation, independent of the NumPy one).

    Parameters
    ----------
    graph, params
        As :func:`graph_forward`; exact inputs and parameters (ints, Rationals) are converted
        at full precision.
    x
        One example (a dict input name → values of the input's shape, flat or not, or one
        array-like for one input): the result is the flat list of output values.  Or a batch,
        with a leading batch axis as for :func:`graph_forward` (a batch norm needs one): the
        result is a list of such lists, one per example.
    dps
        The number of significant decimal digits.

    Examples
    --------
    >>> import mpmath, sympy as sp
    >>> from symdl.core.graph import GraphNetwork
    >>> net = GraphNetwork.residual(1, 1)  # x + 1 · ReLU(x) + 0 at x = 1/3
    >>> out = graph_forward_mp(net, [sp.Rational(1, 3)], [1, 0, 1, 0], dps=30)
    >>> mpmath.nstr(out[0], 30)
    '0.666666666666666666666666666667'
    """
    if not isinstance(dps, int) or isinstance(dps, bool) or dps < 1:
        raise ValueError(f"dps={dps!r} must be a positive int (e.g. the default 50)")
    inputs, batched = _inputs(graph, x, dtype=object)
    batch = next(iter(inputs.values())).shape[0]
    _check_batch(graph, batch, hint="give x a leading batch axis (a list of examples)")
    exact = _exact_values(_given_values(tuple(graph.parameters), params))
    with mpmath.workdps(dps + 10):

        def convert(value: Any) -> Any:
            return mpmath.mpmathify(sp.N(value, dps + 10))

        values: dict[str, list[Row]] = {
            name: [[convert(_number(v, f"{name}[{k}]")) for k, v in enumerate(row)] for row in X]
            for name, X in inputs.items()
        }
        for node in graph.nodes:
            kind = _kind(node)
            arrays = {}
            for key, array in node.parameters.items():
                shape, flat = _entries(array)
                M = np.empty(len(flat), dtype=object)
                M[:] = [convert(_entry_number(entry, exact)) for entry in flat]
                arrays[key] = M.reshape(shape)
            eps = convert(_eps(node)) if kind == "batch_norm" else None
            shapes = [tuple(graph.shapes[name]) for name in node.inputs]
            v = _mp_node(node, kind, [values[name] for name in node.inputs], shapes, arrays, eps)
            act = _activation(node)
            if act.name != "identity":
                sigma = _mp_activation(act)
                v = [[sigma(e) for e in row] for row in v]
            values[node.name] = v
        out = values[graph.output]
        return out if batched else out[0]
