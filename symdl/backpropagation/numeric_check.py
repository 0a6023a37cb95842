r"""Checking gradients three ways: symbolic, numeric backward pass, finite differences.

:func:`cross_check_gradients` evaluates, at one random point (inputs, targets and parameter values),

1. a symbolic gradient (by default :func:`symdl.backpropagation.reverse_mode.backprop`'s, or
   one you give: a hand-derived gradient to be checked), compiled to NumPy
   (:meth:`symdl.backpropagation.reverse_mode.Backpropagation.numpy_gradient`);
2. the independent hand-written batched backward pass :func:`symdl.core.numeric.parameter_gradient`;
3. central finite differences of the NumPy loss along a random direction
   (:func:`symdl.core.numeric.directional_difference`), as ``autograd.test_util.check_grads`` does,

and fails with an :class:`AssertionError` naming the worst parameter and both values when any
two disagree beyond the tolerance, or when one is not finite; otherwise it returns the
comparison.

Where the loss applies a sigmoid or a softmax to the network's output, all three are computed
in the logits, in log space (the loss's logit-space gradient, the error
:math:`\partial C/\partial z^L` of the output layer, and the loss from
:math:`\log \sigma(z) = -\operatorname{softplus}(-z)` or the log-softmax), so that a correct
gradient passes for logits of any size (:math:`\pm 700` and beyond), where
:math:`\sigma(z)` or the softmax rounds to 0 and 1.

References
----------
D. Maclaurin, D. Duvenaud, M. Johnson, *autograd* (HIPS), ``autograd/test_util.py``:
``check_grads`` compares a gradient with finite differences along a random direction.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import sympy as sp
from numpy.typing import NDArray

from symdl.backpropagation.reverse_mode import backprop
from symdl.core import numeric
from symdl.core.losses import Loss
from symdl.core.network import Network
from symdl.core.targets import random_targets, validate_targets

__all__ = ["GradientComparison", "check_gradients", "cross_check_gradients"]

FloatArray = NDArray[np.float64]


@dataclass(frozen=True)
class GradientComparison:
    """The three gradients at one point and how far apart they are.

    ``symbolic`` and ``numeric`` are in the order of ``parameters``; ``directional`` holds the
    derivative along ``direction`` from the symbolic gradient, the numeric gradient and finite
    differences, in that order.
    """

    parameters: tuple[sp.Symbol, ...]
    symbolic: FloatArray
    numeric: FloatArray
    direction: FloatArray
    directional: tuple[float, float, float]
    worst_parameter: sp.Symbol | None
    worst_error: float

    def __str__(self) -> str:
        s, n, f = self.directional
        return (
            f"{len(self.parameters)} parameters; worst relative difference {self.worst_error:.2e}"
            f" at {self.worst_parameter}; along a random direction: symbolic {s:.12g}, "
            f"numeric {n:.12g}, finite differences {f:.12g}"
        )


def _relative(a: FloatArray, b: FloatArray, atol: float) -> FloatArray:
    result: FloatArray = np.abs(a - b) / np.maximum(np.maximum(np.abs(a), np.abs(b)), atol)
    return result


def cross_check_gradients(
    net: Network,
    loss: Loss,
    *,
    gradient: Mapping[sp.Symbol, sp.Expr] | None = None,
    X: Any = None,
    Y: Any = None,
    params: Mapping[sp.Symbol, float] | None = None,
    rtol: float = 1e-8,
    atol: float = 1e-10,
    seed: int = 0,
) -> GradientComparison:
    r"""Compare a symbolic gradient, the numeric backward pass and finite differences.

    Parameters
    ----------
    net, loss
        The network (with symbolic parameters) and a registry loss (a
        :class:`~symdl.core.losses.Loss`): the numeric backward pass has a hand-written gradient
        for each of them only, so a loss given as a SymPy expression is refused; check such
        a loss with :meth:`symdl.backpropagation.reverse_mode.Backpropagation.verify` instead.
    gradient
        The symbolic gradient to check, ``{parameter: expression}``, in the inputs
        :math:`x`, targets :math:`y_j`, parameters and (optionally) the symbols of
        :func:`~symdl.backpropagation.reverse_mode.backprop`'s program; default: backprop's own
        gradient.
    X, Y, params
        The point (default: random, from ``seed``: 3 examples, parameters of scale
        :math:`1/\sqrt{n_{\text{in}}}`, targets of the loss's kind).
    rtol, atol
        Entry ``θ`` agrees when :math:`|g_1 - g_2| \le \text{rtol} \max(|g_1|, |g_2|,
        \text{atol}/\text{rtol})`; the directional derivatives are compared likewise.

    Returns
    -------
    GradientComparison

    Raises
    ------
    AssertionError
        Naming the parameter and the two values, when two gradients disagree or one of them
        is not finite.
    TypeError
        If ``loss`` is not a registry loss.
    ValueError
        If the network has no free parameters, ``params`` misses one of them, ``gradient``
        has other keys than the parameters, a row of ``Y`` is not of the loss's kind of
        target, or a loss that applies the softmax follows a softmax layer.

    Examples
    --------
    >>> import sympy as sp
    >>> from symdl.core.network import Network
    >>> from symdl.core.losses import LOSSES
    >>> from symdl.backpropagation.reverse_mode import backprop
    >>> net = Network.mlp([2, 2, 1], ["tanh", "identity"])
    >>> cross_check_gradients(net, LOSSES["mse"]).worst_error < 1e-12
    True
    >>> wrong = dict(backprop(net, LOSSES["mse"]).gradient)
    >>> w = net.parameters[0]
    >>> wrong[w] = wrong[w] * sp.Rational(1001, 1000)  # off by 0.1%
    >>> cross_check_gradients(net, LOSSES["mse"], gradient=wrong)
    Traceback (most recent call last):
    ...
    AssertionError: ∂C/∂w^{(1)}_{11}: the symbolic gradient gives ... and the numeric ...

    References
    ----------
    D. Maclaurin, D. Duvenaud, M. Johnson, *autograd*, ``autograd/test_util.py``
    (``check_grads``: a gradient against finite differences along a random direction).
    """
    if not isinstance(loss, Loss):
        raise TypeError(
            f"loss {loss!r} must be a symdl Loss from the registry (e.g. LOSSES['mse']); for a "
            f"loss given as a SymPy expression use backprop(net, loss).verify()"
        )
    if not net.parameters:
        raise ValueError("the network has no free parameters: build it with symbolic weights")
    rng = np.random.default_rng(seed)
    parameters = net.parameters
    X = rng.normal(size=(3, net.n_inputs)) if X is None else np.atleast_2d(X)
    Y = (
        random_targets(loss.target, rng, X.shape[0], net.n_outputs)
        if Y is None
        else np.atleast_2d(Y)
    )
    Y = validate_targets(Y, target=loss.target)
    params = _parameter_values(net, params, rng)
    theta = np.array([float(params[p]) for p in parameters])

    # 1 against 2, entry by entry: both are exact formulas, so they agree to rounding; a
    # gradient that overflows in float64 is reported below, not as a warning
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        symbolic = _symbolic_values(net, loss, gradient, X, Y, theta)
    by_pass = numeric.parameter_gradient(net, X, Y, loss, params)
    numeric_array = np.array([by_pass[p] for p in parameters])
    _check_finite(parameters, symbolic, "the symbolic gradient")
    _check_finite(parameters, numeric_array, "the numeric backward pass")
    errors = _relative(symbolic, numeric_array, atol / rtol)
    worst = int(np.argmax(errors))
    if errors[worst] > rtol:
        raise AssertionError(
            f"∂C/∂{parameters[worst]}: the symbolic gradient gives {float(symbolic[worst])!r} "
            f"and the numeric backward pass {float(numeric_array[worst])!r} (relative difference "
            f"{errors[worst]:.3e} > rtol = {rtol:g})"
        )

    # 2 against 3 along one random unit direction v: ∇C · v = dC(θ + t v)/dt at t = 0
    direction = rng.normal(size=len(parameters))
    direction /= np.linalg.norm(direction)
    along, noise = _along_direction(net, loss, X, Y, theta, direction, symbolic, numeric_array)
    scale = max(abs(along[1]), abs(along[2]), atol / rtol)
    gap = abs(along[1] - along[2]) / scale
    if not np.isfinite(along[2]) or gap > rtol + noise / scale:
        raise AssertionError(
            f"along a random direction the numeric gradient gives {along[1]!r} and finite "
            f"differences {along[2]!r} (relative difference {gap:.3e} > rtol = {rtol:g}, "
            f"with {noise:.1e} allowed for the rounding of the finite differences)"
        )
    return GradientComparison(
        parameters,
        symbolic,
        numeric_array,
        direction,
        along,
        parameters[worst],
        float(errors[worst]),
    )


def _parameter_values(
    net: Network, params: Mapping[sp.Symbol, float] | None, rng: np.random.Generator
) -> Mapping[sp.Symbol, float]:
    """The given values, checked, or random ones of scale :math:`1/\\sqrt{n_{\\text{in}}}`."""
    parameters = net.parameters
    if params is None:
        scale = 1 / np.sqrt(max(layer.n_in for layer in net.layers))
        return dict(zip(parameters, rng.normal(scale=scale, size=len(parameters)), strict=True))
    unknown = [p for p in params if p not in set(parameters)]
    if unknown:
        raise ValueError(
            f"params gives values for {unknown}, which are not parameters of the network; "
            f"its parameters are {list(parameters)}"
        )
    missing = [p for p in parameters if p not in params]
    if missing:
        raise ValueError(
            f"params gives no value for the parameters {missing}: give one for each of "
            f"{list(parameters)}, or leave params out for random values"
        )
    return params


def _check_finite(parameters: tuple[sp.Symbol, ...], values: FloatArray, source: str) -> None:
    bad = np.flatnonzero(~np.isfinite(values))
    if bad.size:
        raise AssertionError(
            f"∂C/∂{parameters[bad[0]]}: {source} gives {float(values[bad[0]])!r} in float64 "
            f"at this point; write it so that float64 can evaluate it (e.g. σ(z) - y rather "
            f"than the chain rule through 1/σ(z) and 1/(1 - σ(z)))"
        )


_STEP = 1e-3  # numeric.directional_difference's default step
_ROUNDING = 100 * float(np.finfo(float).eps)


def _along_direction(
    net: Network,
    loss: Loss,
    X: FloatArray,
    Y: FloatArray,
    theta: FloatArray,
    direction: FloatArray,
    symbolic: FloatArray,
    by_pass: FloatArray,
) -> tuple[tuple[float, float, float], float]:
    """The derivative along ``direction`` (symbolic, numeric, finite differences) and a bound
    on the rounding error of the finite differences.

    Richardson's combination of central differences with steps h and h/2 divides rounding
    errors of size ε|C| by about h/3: a loss of 500 (binary cross-entropy at logits ±700)
    leaves an absolute error near 1e-10 in the derivative, which ``rtol`` alone would not allow
    where the derivative along the direction is small.
    """
    parameters = net.parameters

    def cost(t: FloatArray) -> float:
        return numeric.mean_loss(net, X, Y, loss, dict(zip(parameters, t, strict=True)))

    fd = numeric.directional_difference(cost, theta, direction, step=_STEP)
    noise = _ROUNDING * abs(cost(theta)) / _STEP
    return (float(symbolic @ direction), float(by_pass @ direction), float(fd)), noise


def _symbolic_values(
    net: Network,
    loss: Loss,
    gradient: Mapping[sp.Symbol, sp.Expr] | None,
    X: FloatArray,
    Y: FloatArray,
    theta: FloatArray,
) -> FloatArray:
    bp = backprop(net, loss)
    if gradient is not None:
        unknown = [p for p in gradient if p not in set(net.parameters)]
        missing = [p for p in net.parameters if p not in gradient]
        if unknown or missing:
            raise ValueError(
                f"the gradient to check must have exactly the network's parameters as keys; "
                f"not parameters: {unknown}; missing: {missing}"
            )
    return bp.numpy_gradient(gradient=gradient)(X, Y, theta)


#: The name before: easily confused with :func:`symdl.grading.answers.check_gradient`, which
#: grades a student's answer.
check_gradients = cross_check_gradients
