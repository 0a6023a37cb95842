r"""The independent numeric evaluator: NumPy (batched, float64) and mpmath (50 digits).

This module is the cross-check of the symbolic path.  It is written by hand in matrix form,

.. math::

    Z^{(l)} = A^{(l-1)} (W^{(l)})^\top + \mathbf{1} (b^{(l)})^\top, \qquad
    A^{(l)} = \sigma_l\bigl(Z^{(l)}\bigr),

with one row per example, and it never lambdifies the expression it checks: from a
:class:`~symdl.network.Network` it reads only the numbers in the weight matrices and the name
and parameters of each activation, and evaluates the activations with their independently
written NumPy forms (or, at high precision, with the mpmath forms below).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import mpmath
import numpy as np
import sympy as sp
from numpy.typing import NDArray

from symdl.activations import Activation
from symdl.network import Dense, Layer, Maxout, Network, SoftmaxLayer

__all__ = ["forward", "forward_mp", "forward_trace", "layer_arrays"]

FloatArray = NDArray[np.float64]
Params = Mapping[sp.Symbol, Any] | None


def _entry_value(entry: sp.Expr, params: Params, convert: Callable[[sp.Expr], Any]) -> Any:
    if entry.is_Number:
        return convert(entry)
    if params is None:
        raise ValueError(
            f"the network has free parameters ({entry}); pass params={{symbol: value}}"
        )
    missing = entry.free_symbols - set(params)
    if missing:
        names = ", ".join(sorted(map(str, missing)))
        raise ValueError(f"no value given for the parameter(s) {names}")
    if entry.is_Symbol:
        return convert(sp.sympify(params[entry]))
    return convert(entry.xreplace({s: sp.sympify(params[s]) for s in entry.free_symbols}))


def _matrix(matrix: sp.Matrix, params: Params) -> FloatArray:
    rows, cols = matrix.shape
    values = [_entry_value(e, params, lambda v: float(v)) for e in matrix]
    return np.array(values, dtype=float).reshape(rows, cols)


def layer_arrays(net: Network, params: Params = None) -> list[tuple[FloatArray, FloatArray]]:
    """The weights and biases of each layer as float arrays.

    For a maxout layer the weights are stacked into shape ``(k, n_out, n_in)`` and the biases
    into ``(k, n_out)``; otherwise the shapes are ``(n_out, n_in)`` and ``(n_out,)``.
    """
    arrays = []
    for layer in net.layers:
        if isinstance(layer, Maxout):
            W = np.stack([_matrix(Wp, params) for Wp in layer.Ws])
            b = np.stack([_matrix(bp, params)[:, 0] for bp in layer.bs])
        else:
            W = _matrix(layer.W, params)
            b = _matrix(layer.b, params)[:, 0]
        arrays.append((W, b))
    return arrays


def _softmax_rows(Z: FloatArray) -> FloatArray:
    # subtract the row maximum: exp never overflows and the ratios are unchanged
    shifted = Z - Z.max(axis=1, keepdims=True)
    E = np.exp(shifted)
    return E / E.sum(axis=1, keepdims=True)


def _layer_forward(
    layer: Layer, W: FloatArray, b: FloatArray, A: FloatArray
) -> tuple[FloatArray, FloatArray]:
    if isinstance(layer, Maxout):
        # Z[:, j, p] = (W_p A^T)_j + b_p[j]; the output is the maximum over the pieces p
        Z = np.einsum("pjk,nk->njp", W, A) + b.T[None, :, :]
        return Z, Z.max(axis=2)
    Z = A @ W.T + b
    if isinstance(layer, SoftmaxLayer):
        return Z, _softmax_rows(Z)
    return Z, layer.activation.numpy(Z)


def _as_batch(net: Network, X: Any) -> FloatArray:
    X = np.asarray(X, dtype=float)
    if X.ndim == 1:
        X = X[None, :]
    if X.ndim != 2 or X.shape[1] != net.n_inputs:
        raise ValueError(
            f"inputs of shape {X.shape} do not fit a network with {net.n_inputs} inputs; "
            f"give an array of shape (batch, {net.n_inputs})"
        )
    return X


def forward_trace(
    net: Network, X: Any, params: Params = None
) -> tuple[list[FloatArray], list[FloatArray]]:
    """Every pre-activation and activation of a batched forward pass.

    Returns ``(Z, A)`` with ``A[0] = X`` and ``Z[l], A[l]`` for layer ``l`` (``Z[0]`` is
    ``X`` too, as a placeholder).  A maxout layer's ``Z[l]`` has shape ``(batch, n_out, k)``.
    """
    A = _as_batch(net, X)
    Zs, As = [A], [A]
    for layer, (W, b) in zip(net.layers, layer_arrays(net, params), strict=True):
        Z, A = _layer_forward(layer, W, b, A)
        Zs.append(Z)
        As.append(A)
    return Zs, As


def forward(net: Network, X: Any, params: Params = None) -> FloatArray:
    """The network's output on a batch, shape ``(batch, n_out)``.

    Examples
    --------
    >>> from symdl.network import Network
    >>> net = Network.mlp([2, 1], "relu", weights=[[[1, -2]]], biases=[[1]])
    >>> forward(net, [[3.0, 1.0], [0.0, 1.0]])
    array([[2.],
           [0.]])
    """
    return forward_trace(net, X, params)[1][-1]


# --- mpmath at high precision ------------------------------------------------------------------


def _mp_activation(activation: Activation) -> Callable[[Any], Any]:
    """mpmath forms written by hand from the definitions (REFERENCE.md section 1)."""
    name, params = activation.name, activation.params
    if name == "identity":
        return lambda x: x
    if name == "step":
        return lambda x: mpmath.mpf(1) if x >= 0 else mpmath.mpf(0)
    if name == "sigmoid":
        return lambda x: 1 / (1 + mpmath.exp(-x))
    if name == "tanh":
        return mpmath.tanh
    if name == "relu":
        return lambda x: x if x > 0 else mpmath.mpf(0)
    if name == "leaky_relu":
        a = mpmath.mpf(params["a"].p) / params["a"].q
        return lambda x: x if x > 0 else a * x
    if name == "elu":
        alpha = mpmath.mpf(params["alpha"].p) / params["alpha"].q
        return lambda x: x if x >= 0 else alpha * mpmath.expm1(x)
    if name == "softplus":
        return lambda x: mpmath.log1p(mpmath.exp(x))
    raise ValueError(f"no mpmath form for the activation {name!r}")


def forward_mp(net: Network, x: Any, params: Params = None, *, dps: int = 50) -> list[Any]:
    """The network's output at one input, with mpmath at ``dps`` significant digits.

    Exact inputs and parameters (ints, Rationals) are converted at full precision.

    Examples
    --------
    >>> import sympy as sp
    >>> from symdl.network import Network
    >>> net = Network.mlp([1, 1], "sigmoid", weights=[[[1]]], biases=[[0]])
    >>> import mpmath
    >>> mpmath.nstr(forward_mp(net, [sp.Rational(1, 3)], dps=30)[0], 30)
    '0.582570206462314676866394613961'
    """
    values = list(x)
    if len(values) != net.n_inputs:
        raise ValueError(f"the network takes {net.n_inputs} inputs; got {len(values)}")
    with mpmath.workdps(dps + 10):
        convert = lambda v: mpmath.mpmathify(sp.N(v, dps + 10))  # noqa: E731
        a = [convert(sp.sympify(v)) for v in values]
        for layer in net.layers:
            a = _mp_layer(layer, a, params, convert)
        return a


def _mp_affine(W: sp.Matrix, b: sp.Matrix, a: list[Any], params: Params, convert: Any) -> list[Any]:
    rows, cols = W.shape
    Wv = [[_entry_value(W[j, k], params, convert) for k in range(cols)] for j in range(rows)]
    bv = [_entry_value(b[j, 0], params, convert) for j in range(rows)]
    return [mpmath.fsum(Wv[j][k] * a[k] for k in range(cols)) + bv[j] for j in range(rows)]


def _mp_layer(layer: Layer, a: list[Any], params: Params, convert: Any) -> list[Any]:
    if isinstance(layer, Maxout):
        pieces = [
            _mp_affine(W, b, a, params, convert) for W, b in zip(layer.Ws, layer.bs, strict=True)
        ]
        return [max(piece[j] for piece in pieces) for j in range(layer.n_out)]
    z = _mp_affine(layer.W, layer.b, a, params, convert)
    if isinstance(layer, SoftmaxLayer):
        top = max(z)
        exps = [mpmath.exp(v - top) for v in z]
        total = mpmath.fsum(exps)
        return [e / total for e in exps]
    assert isinstance(layer, Dense)
    phi = _mp_activation(layer.activation)
    return [phi(v) for v in z]
