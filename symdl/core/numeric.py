r"""The independent numeric evaluator: NumPy (batched, float64) and mpmath (50 digits).

This module is the cross-check of the symbolic path.  It is written by hand in matrix form,

.. math::

    Z^{(l)} = A^{(l-1)} (W^{(l)})^\top + \mathbf{1} (b^{(l)})^\top, \qquad
    A^{(l)} = \sigma_l\bigl(Z^{(l)}\bigr),

with one row per example (a layer whose neurons have their own activations applies
:math:`\sigma_{l,j}` to column :math:`j`), and it never lambdifies the expression it checks: from a
:class:`~symdl.core.network.Network` it reads only the numbers in the weight matrices and the name
and parameters of each activation, and evaluates the activations with their independently
written NumPy forms (or, at high precision, with the mpmath forms below).

Losses that apply a softmax, and binary cross-entropy after a sigmoid output layer, are
evaluated and differentiated from the logits in log space (:func:`loss_gradient`,
:func:`mean_loss`, :func:`backward`), so that the pass stays finite and accurate where the
probabilities round to 0 or 1 (logits of :math:`\pm 700` and beyond).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import mpmath
import numpy as np
import sympy as sp
from numpy.typing import NDArray

from symdl.core.activations import Activation
from symdl.core.exact import FloatConversion, exact_number
from symdl.core.exceptions import NotSupportedError
from symdl.core.losses import Loss
from symdl.core.network import Dense, Layer, Maxout, Network, SoftmaxLayer, refuse_softmax_twice
from symdl.core.targets import Target, validate_targets

__all__ = [
    "backward",
    "backward_arrays",
    "directional_difference",
    "forward",
    "forward_mp",
    "forward_trace",
    "layer_arrays",
    "loss_gradient",
    "mean_loss",
    "parameter_gradient",
]

FloatArray = NDArray[np.float64]
Params = Mapping[sp.Symbol, Any] | None


def _entry_value(entry: sp.Expr, params: Params, convert: Callable[[sp.Expr], Any]) -> Any:
    if entry.is_Number:
        return convert(entry)
    if params is None:
        raise ValueError(
            f"the network has free parameters ({entry}); pass params={{symbol: value}}"
        )
    # membership in the mapping, not set(params): that would make a layer cost O(P^2)
    missing = [s for s in entry.free_symbols if s not in params]
    if missing:
        names = ", ".join(sorted(map(str, missing)))
        raise ValueError(f"no value given for the parameter(s) {names}")
    if entry.is_Symbol:
        return convert(_number(params[entry], str(entry)))
    return convert(entry.xreplace({s: _number(params[s], str(s)) for s in entry.free_symbols}))


def _number(value: Any, name: str) -> sp.Expr:
    """A number given for ``name`` as a SymPy number (a float as its exact binary value, since
    the evaluator computes in floats anyway); text is refused, never parsed."""
    number = exact_number(value, name=name, floats=FloatConversion.BINARY)
    if not number.is_number:
        raise TypeError(
            f"{name}={value!r} (type {type(value).__name__}) is not a number; accepted: int, "
            f"float, fractions.Fraction, sympy.Rational or a constant SymPy expression"
        )
    return number


def _matrix(matrix: sp.Matrix, params: Params) -> FloatArray:
    rows, cols = matrix.shape
    values = [_entry_value(e, params, lambda v: float(v)) for e in matrix]
    return np.array(values, dtype=float).reshape(rows, cols)


def layer_arrays(net: Network, params: Params = None) -> list[tuple[FloatArray, FloatArray]]:
    """The weights and biases of each layer as float arrays.

    For a maxout layer the weights are stacked into shape ``(k, n_out, n_in)`` and the biases
    into ``(k, n_out)``; otherwise the shapes are ``(n_out, n_in)`` and ``(n_out,)``.

    Examples
    --------
    >>> from symdl.core.network import Network
    >>> net = Network.mlp([2, 1], "relu")
    >>> (W, b), = layer_arrays(net, dict(zip(net.parameters, [1, 2, 3])))
    >>> W.tolist(), b.tolist()
    ([[1.0, 2.0]], [3.0])
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
    return Z, _dense_columns(layer, Z, derivative=False)


def _dense_columns(layer: Dense, Z: FloatArray, *, derivative: bool) -> FloatArray:
    """Each neuron's activation (or its derivative) applied to its column of ``Z``, with the
    activation's own NumPy form."""
    acts = layer.activations
    if all(act == acts[0] for act in acts):
        return acts[0].numpy_diff(Z) if derivative else acts[0].numpy(Z)
    out = np.empty_like(Z)
    for j, act in enumerate(acts):
        out[:, j] = act.numpy_diff(Z[:, j]) if derivative else act.numpy(Z[:, j])
    return out


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

    Examples
    --------
    >>> from symdl.core.network import Network
    >>> net = Network.mlp([1, 1], "relu", weights=[[[2]]], biases=[[-1]])
    >>> Z, A = forward_trace(net, [[-1.0], [3.0]])
    >>> Z[1].tolist(), A[1].tolist()
    ([[-3.0], [5.0]], [[0.0], [5.0]])

    References
    ----------
    M. Nielsen, *Neural Networks and Deep Learning* (2015), ch. 2 (the matrix form of the
    forward pass).
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
    >>> from symdl.core.network import Network
    >>> net = Network.mlp([2, 1], "relu", weights=[[[1, -2]]], biases=[[1]])
    >>> forward(net, [[3.0, 1.0], [0.0, 1.0]])
    array([[2.],
           [0.]])
    """
    return forward_trace(net, X, params)[1][-1]


# --- mpmath at high precision ------------------------------------------------------------------


def _mp_activation(activation: Activation) -> Callable[[Any], Any]:
    """mpmath forms written by hand from the definitions (Goodfellow et al. 2016, §6.3)."""
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
    form = activation.mpmath_form
    if form is not None:  # a course's own activation: its registered mpmath form
        return lambda x: form(mpmath.mp, x)
    raise ValueError(f"no mpmath form for the activation {name!r}")


def forward_mp(net: Network, x: Any, params: Params = None, *, dps: int = 50) -> list[Any]:
    """The network's output at one input, with mpmath at ``dps`` significant digits.

    Exact inputs and parameters (ints, Rationals) are converted at full precision.

    Examples
    --------
    >>> import sympy as sp
    >>> from symdl.core.network import Network
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
        a = [convert(_number(v, f"x[{i}]")) for i, v in enumerate(values)]
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
    return [_mp_activation(act)(v) for act, v in zip(layer.activations, z, strict=True)]


# --- backward pass and finite differences ---
#
# The batched backward pass in matrix form (Nielsen ch. 2, BP1–BP4 with one row per example):
#   D^L = ∇_A C ⊙ σ_L'(Z^L),  D^l = (D^{l+1} W^{l+1}) ⊙ σ_l'(Z^l),
#   ∂C/∂W^l = (D^l)ᵀ A^{l-1},  ∂C/∂b^l = Σ_rows D^l,
# for the mean loss over the batch.  The loss's gradient in the output is written by hand for
# every loss of the registry (below), never obtained from its SymPy form.
#
# Where the loss applies a softmax or follows a sigmoid output layer, it is computed from the
# logits in log space: log p_j = -log(1 + Σ_{k≠j} e^{o_k - o_j}) for each entry (its relative
# accuracy kept where p_j ≈ 1), 1 - p_j = -expm1(log p_j), and for binary cross-entropy after a
# sigmoid, log σ(z) = -softplus(-z), log(1 - σ(z)) = -softplus(z) and ∂C/∂z = (1 - y)σ(z) - yσ(-z).


def _sign(X: FloatArray) -> FloatArray:
    return np.sign(X)


def _softmax_pullback(P: FloatArray, G: FloatArray) -> FloatArray:
    # ∂C/∂o_k = Σ_j g_j ∂p_j/∂o_k = p_k (g_k - Σ_j g_j p_j): the softmax Jacobian applied to g
    return P * (G - (G * P).sum(axis=1, keepdims=True))


def _log_softmax_each(O: FloatArray) -> FloatArray:
    """log p_j = -log(1 + Σ_{k≠j} e^{o_k - o_j}) for every entry of every row.

    Each entry keeps its relative accuracy: at o = (300, 0), log p_1 = -e^{-300}, which
    (o_1 - max o) - log Σ_k e^{o_k - max o} rounds to 0.
    """
    n = O.shape[1]
    A = O[:, None, :] - O[:, :, None]  # A[b, j, k] = o_k - o_j
    A[:, np.arange(n), np.arange(n)] = -np.inf
    M = np.maximum(A.max(axis=2), 0.0)
    # with M > 0 the sum holds a term e^0 = 1, so t = e^{-M} - 1 + (that sum) >= 0
    t = np.expm1(-M) + np.exp(A - M[..., None]).sum(axis=2)
    result: FloatArray = -(M + np.log1p(t))
    return result


def _hinge_gradient(margin: float, power: int) -> Callable[[FloatArray, FloatArray], FloatArray]:
    def gradient(O: FloatArray, Y: FloatArray) -> FloatArray:
        signed = 2 * Y - 1  # ŷ = ±1
        slack = margin - signed * O
        active = slack > 0  # H(0) = 0 at the kink
        return np.where(active, -power * signed * np.maximum(slack, 0.0) ** (power - 1), 0.0)

    return gradient


def _softmax_loss_gradient(name: str, O: FloatArray, Y: FloatArray) -> FloatArray:
    """∂C/∂o for the losses that apply the softmax p = σ(o) (Janocha & Czarnecki, Table 1).

    Y is one-hot with true class t.  Written from the log-probabilities, with 1 - p_j as
    -expm1(log p_j), so that no entry is a difference of nearly equal numbers unless the
    gradient itself is one: p_t - 1 is -(1 - p_t), not 1.0 - 1.0.
    """
    L = _log_softmax_each(O)
    P, Q = np.exp(L), -np.expm1(L)  # p_j and 1 - p_j
    true = Y == 1
    p_t, q_t = P[true][:, None], Q[true][:, None]
    p_minus_y = np.where(true, -Q, P)  # ∂(-log p_t)/∂o = p - y
    if name == "log":  # -Σ y log p
        return p_minus_y
    if name == "squared_log":  # (log p_t)²: 2 log p_t ∂(log p_t)/∂o
        return -2 * L[true][:, None] * p_minus_y
    if name == "expectation":  # Σ |y - p| = 2(1 - p_t), and ∂p_t/∂o = -p_t (p - y)
        return 2 * p_t * p_minus_y
    if name == "chebyshev":  # max_j |p_j - y_j| = 1 - p_t: 1 - p_t = Σ_{k≠t} p_k >= each p_k
        return p_t * p_minus_y
    if name == "regularised_expectation":  # Σ r_j², r = y - p
        # ∂C/∂o_k = -2 p_k Σ_j (r_k - r_j) p_j (from Σ_j p_j = 1); with r_t = 1 - p_t and
        # r_k = -p_k every difference r_k - r_j is a sum of same-signed terms or p_j - p_k
        R = np.where(true, Q, -P)
        differences = R[:, :, None] - R[:, None, :]
        return -2 * P * (differences * P[:, None, :]).sum(axis=2)
    if name == "tanimoto":  # -p_t / D, D = ‖p‖² + 1 - p_t
        # g_t = -p_t (q A + q²(1 + p_t) + 2 p_t A) / D² and, for k ≠ t,
        # g_k = p_k p_t (2 p_k + Σ_{j≠t} p_j (p_t + 1 - p_j)) / D², with q = 1 - p_t and
        # A = Σ_{j≠t} p_j²: only sums of positive terms
        off = np.where(true, 0.0, P)
        A = (off**2).sum(axis=1, keepdims=True)
        D = A + p_t**2 + q_t
        spread = (off * (p_t + Q)).sum(axis=1, keepdims=True)
        on_true = -p_t * (q_t * A + q_t**2 * (1 + p_t) + 2 * p_t * A)
        result: FloatArray = np.where(true, on_true, P * p_t * (2 * P + spread)) / D**2
        return result
    if name == "cauchy_schwarz":  # -log p_t + ½ log ‖p‖²: ∂C/∂o = σ(2o) - y
        L2 = _log_softmax_each(2 * O)
        return np.where(true, np.expm1(L2), np.exp(L2))
    raise NotSupportedError(f"no hand-written gradient for the loss {name!r}")


def _check_registry_loss(loss: object) -> None:
    if not isinstance(loss, Loss):
        raise TypeError(
            f"loss {loss!r} must be a symdl Loss from the registry (e.g. LOSSES['mse']): the "
            f"numeric backward pass has a hand-written gradient for each of them only; for a "
            "loss given as a SymPy expression use "
            "symdl.backpropagation.reverse_mode.backprop(...).verify()"
        )


def _check_loss(net: Network, loss: object) -> None:
    _check_registry_loss(loss)
    refuse_softmax_twice(net, loss)


def loss_gradient(loss: Loss, O: Any, Y: Any) -> FloatArray:
    r"""The gradient :math:`\partial C/\partial o` of a registry loss, one row per example.

    Written by hand for every loss of :data:`symdl.core.losses.LOSSES`; the softmax losses from the
    log-probabilities :math:`\log p_j = -\log(1 + \sum_{k \ne j} e^{o_k - o_j})` of the
    logits, with :math:`1 - p_j` as ``-expm1(log p_j)``, so that every entry keeps its
    relative accuracy for logits of any size.  At a kink the derivative is taken
    with :math:`H(0) = 0`, as symbolic backpropagation does.

    Raises
    ------
    TypeError
        If ``loss`` is not a registry loss.
    ValueError
        If a row of ``Y`` is not one-hot for a loss that applies the softmax (the gradient
        is written for the one-hot targets the loss accepts).

    Examples
    --------
    >>> from symdl.core.losses import LOSSES
    >>> loss_gradient(LOSSES["mse"], [[1.0, 2.0]], [[0.0, 0.0]])
    array([[1., 2.]])
    """
    _check_registry_loss(loss)
    O = np.atleast_2d(np.asarray(O, dtype=float))
    Y = np.atleast_2d(np.asarray(Y, dtype=float))
    name = loss.name
    if name == "l1":
        return _sign(O - Y)
    if name == "l2":
        return 2 * (O - Y)
    if name == "mse":
        return 2 * (O - Y) / O.shape[1]
    if name == "bce":  # -y/o + (1 - y)/(1 - o)
        return -Y / O + (1 - Y) / (1 - O)
    if name in ("hinge", "squared_hinge", "cubed_hinge"):
        power = {"hinge": 1, "squared_hinge": 2, "cubed_hinge": 3}[name]
        return _hinge_gradient(float(loss.params["margin"]), power)(O, Y)
    if loss.numpy_gradient_form is not None:  # a course's own loss: its registered gradient
        return np.asarray(loss.numpy_gradient_form(O, Y), dtype=float)
    return _softmax_loss_gradient(name, O, validate_targets(Y, target=Target.ONE_HOT))


def _sigmoid_before_bce(net: Network, loss: Loss) -> Dense | None:
    """The sigmoid output layer followed by binary cross-entropy (computed from the logits)."""
    last = net.layers[-1] if net.layers else None
    if (
        loss.name == "bce"
        and isinstance(last, Dense)
        and all(act.name == "sigmoid" for act in last.activations)
    ):
        return last
    return None


def _softplus(X: FloatArray) -> FloatArray:
    return np.logaddexp(0.0, X)


def _bce_of_logits(Z: FloatArray, Y: FloatArray) -> FloatArray:
    # -[y log σ(z) + (1 - y) log(1 - σ(z))] = y softplus(-z) + (1 - y) softplus(z)
    result: FloatArray = (Y * _softplus(-Z) + (1 - Y) * _softplus(Z)).sum(axis=1)
    return result


def _bce_logit_errors(layer: Dense, Z: FloatArray, Y: FloatArray) -> FloatArray:
    # ∂C/∂z = σ(z) - y written (1 - y) σ(z) - y σ(-z): for y = 1 and σ(z) ≈ 1 that is
    # -σ(-z), small and accurate, where σ(z) - 1 rounds to 0
    sigma = layer.activations[0].numpy  # every neuron's is the sigmoid
    result: FloatArray = (1 - Y) * sigma(Z) - Y * sigma(-Z)
    return result


def _layer_backward(
    layer: Layer, W: FloatArray, Z: FloatArray, A: FloatArray, G: FloatArray
) -> FloatArray:
    """The errors D of a layer from G = ∂C/∂A (rows are examples)."""
    if isinstance(layer, SoftmaxLayer):
        return _softmax_pullback(A, G)
    if isinstance(layer, Maxout):
        # the first maximal piece takes the derivative (argmax), D has shape (batch, n, k)
        winner = Z.argmax(axis=2)
        mask = np.arange(Z.shape[2])[None, None, :] == winner[:, :, None]
        return np.where(mask, G[:, :, None], 0.0)
    return G * _dense_columns(layer, Z, derivative=True)


def backward(
    net: Network, X: Any, Y: Any, loss: Loss, params: Params = None
) -> list[tuple[FloatArray, FloatArray]]:
    r"""The gradient of the mean loss over a batch, layer by layer: ``[(dW, db), …]``.

    Shapes as :func:`layer_arrays` (maxout: ``(k, n_out, n_in)`` and ``(k, n_out)``).

    Examples
    --------
    >>> from symdl.core.network import Network
    >>> from symdl.core.losses import LOSSES
    >>> net = Network.mlp([1, 1], "identity", weights=[[[2]]], biases=[[1]])
    >>> dW, db = backward(net, [[3.0]], [[0.0]], LOSSES["l2"])[0]
    >>> dW, db  # C = (2x + 1)², so ∂C/∂w = 2(2x + 1)x = 42 and ∂C/∂b = 14
    (array([[42.]]), array([14.]))
    """
    _check_loss(net, loss)
    return backward_arrays(net, layer_arrays(net, params), X, Y, loss)


def backward_arrays(
    net: Network, arrays: list[tuple[FloatArray, FloatArray]], X: Any, Y: Any, loss: Loss
) -> list[tuple[FloatArray, FloatArray]]:
    """:func:`backward` with the weights already as float arrays (from :func:`layer_arrays`).

    Raises
    ------
    TypeError
        If ``loss`` is not a registry :class:`~symdl.core.losses.Loss` (the loss's gradient is
        written by hand for each of them; a free SymPy loss has none).
    ValueError
        If a loss that applies the softmax itself follows a softmax layer
        (:func:`symdl.core.network.refuse_softmax_twice`).
    """
    _check_loss(net, loss)
    A = _as_batch(net, X)
    Zs, As = [A], [A]
    for layer, (W, b) in zip(net.layers, arrays, strict=True):
        Z, A = _layer_forward(layer, W, b, A)
        Zs.append(Z)
        As.append(A)
    Y = np.atleast_2d(np.asarray(Y, dtype=float))
    if Y.shape != As[-1].shape:
        raise ValueError(f"targets of shape {Y.shape} do not fit outputs of shape {As[-1].shape}")
    output_errors = None
    sigmoid_layer = _sigmoid_before_bce(net, loss)
    if sigmoid_layer is not None:  # BP1 in the logits: D^L = ∂C/∂Z^L directly
        Y = validate_targets(Y, target=Target.PROBABILITY)
        output_errors = _bce_logit_errors(sigmoid_layer, Zs[-1], Y) / Y.shape[0]
        G = np.zeros_like(Y)
    else:
        G = loss_gradient(loss, As[-1], Y) / Y.shape[0]  # BP1's ∇_a C, mean over the batch
    grads: list[tuple[FloatArray, FloatArray]] = []
    for l in range(net.depth, 0, -1):
        layer, (W, _) = net.layers[l - 1], arrays[l - 1]
        if l == net.depth and output_errors is not None:
            D = output_errors
        else:
            D = _layer_backward(layer, W, Zs[l], As[l], G)
        if isinstance(layer, Maxout):
            grads.append((np.einsum("njp,nk->pjk", D, As[l - 1]), D.sum(axis=0).T))
            G = np.einsum("njp,pjk->nk", D, W)  # BP2: Σ_pieces (W_p)ᵀ δ_p
        else:
            grads.append((D.T @ As[l - 1], D.sum(axis=0)))  # BP4, BP3
            G = D @ W  # BP2
    grads.reverse()
    return grads


def parameter_gradient(
    net: Network, X: Any, Y: Any, loss: Loss, params: Params = None
) -> dict[sp.Symbol, float]:
    r"""The numeric gradient as ``{parameter symbol: ∂C/∂θ}`` (mean loss over the batch).

    A parameter that occurs in several entries (shared weights) collects every entry's share;
    an entry that is an expression in parameters contributes
    :math:`\partial C/\partial w \cdot \partial w/\partial\theta`.
    """
    result = dict.fromkeys(net.parameters, 0.0)
    known = set(result)
    for layer, (dW, db) in zip(net.layers, backward(net, X, Y, loss, params), strict=True):
        if isinstance(layer, Maxout):
            pairs = [(layer.Ws[p], dW[p]) for p in range(layer.k)]
            pairs += [(layer.bs[p], db[p][:, None]) for p in range(layer.k)]
        else:
            pairs = [(layer.W, dW), (layer.b, db[:, None])]
        for matrix, grad in pairs:
            for (j, k), entry in np.ndenumerate(np.array(matrix.tolist(), dtype=object)):
                for symbol in entry.free_symbols & known:
                    scale = (
                        1.0
                        if entry == symbol
                        else _entry_value(sp.diff(entry, symbol), params, float)
                    )
                    result[symbol] += float(grad[j, k]) * scale
    return result


def mean_loss(net: Network, X: Any, Y: Any, loss: Loss, params: Params = None) -> float:
    r"""The mean of ``loss`` over the batch, by the NumPy forward pass.

    Binary cross-entropy after a sigmoid output layer is computed from the logits :math:`z`,
    :math:`y \operatorname{softplus}(-z) + (1 - y) \operatorname{softplus}(z)`: finite and
    accurate where :math:`\sigma(z)` rounds to 0 or 1.

    Examples
    --------
    >>> from symdl.core.network import Network
    >>> from symdl.core.losses import LOSSES
    >>> net = Network.mlp([1, 1], "sigmoid", weights=[[[1]]], biases=[[0]])
    >>> mean_loss(net, [[800.0]], [[0.25]], LOSSES["bce"])  # 0.75 · 800: σ(800) rounds to 1
    600.0
    """
    if _sigmoid_before_bce(net, loss) is not None:
        Zs, _ = forward_trace(net, X, params)
        Y = validate_targets(np.atleast_2d(np.asarray(Y, dtype=float)), target=Target.PROBABILITY)
        if Y.shape != Zs[-1].shape:
            raise ValueError(
                f"targets of shape {Y.shape} do not fit outputs of shape {Zs[-1].shape}"
            )
        return float(_bce_of_logits(Zs[-1], Y).mean())
    return float(loss.numpy(forward(net, X, params), np.atleast_2d(Y)).mean())


def directional_difference(
    f: Callable[[FloatArray], float], theta: Any, direction: Any, *, step: float = 1e-3
) -> float:
    r"""The derivative of ``f`` at ``theta`` along ``direction`` by central differences.

    Two central differences with steps :math:`h` and :math:`h/2` combined by Richardson
    extrapolation, :math:`(4 D(h/2) - D(h))/3`, an error of order :math:`h^4` (as
    ``autograd.test_util.check_grads`` checks a gradient along a random direction).

    Examples
    --------
    >>> round(directional_difference(lambda t: float(t[0] ** 3), [2.0], [1.0]), 10)
    12.0
    """
    theta = np.asarray(theta, dtype=float)
    v = np.asarray(direction, dtype=float)
    if v.shape != theta.shape:
        raise ValueError(
            f"direction of shape {v.shape} does not fit theta of shape {theta.shape}: give one "
            f"entry per entry of theta"
        )
    if not step > 0:
        raise ValueError(f"step={step!r} must be a positive number (e.g. the default 1e-3)")

    def central(h: float) -> float:
        return (f(theta + h * v) - f(theta - h * v)) / (2 * h)

    return (4 * central(step / 2) - central(step)) / 3
