r"""Batch normalization, exactly: the forward map and its closed-form backward pass.

Ioffe & Szegedy's transform (Algorithm 1) normalises one unit over a mini-batch
:math:`x_1, \dots, x_m` (training mode, biased variance):

.. math::

    \mu = \frac1m \sum_{i=1}^{m} x_i, \qquad
    \sigma^2 = \frac1m \sum_{i=1}^{m} (x_i - \mu)^2, \qquad
    \hat x_i = \frac{x_i - \mu}{\sqrt{\sigma^2 + \epsilon}}, \qquad
    y_i = \gamma \hat x_i + \beta .

With upstream gradients :math:`g_i = \partial\ell/\partial y_i`, the backward pass of their
section 3 is

.. math::

    \begin{aligned}
    \frac{\partial \ell}{\partial \hat x_i} &= g_i\, \gamma, \qquad
    \frac{\partial \ell}{\partial \sigma^2} = \sum_{i=1}^{m}
        \frac{\partial \ell}{\partial \hat x_i} (x_i - \mu)
        \cdot \Bigl(-\frac12\Bigr) (\sigma^2 + \epsilon)^{-3/2}, \\
    \frac{\partial \ell}{\partial \mu} &= \Bigl(\sum_{i=1}^{m}
        \frac{\partial \ell}{\partial \hat x_i} \cdot \frac{-1}{\sqrt{\sigma^2 + \epsilon}}\Bigr)
        + \frac{\partial \ell}{\partial \sigma^2}
        \cdot \frac{\sum_{i=1}^{m} -2 (x_i - \mu)}{m}, \\
    \frac{\partial \ell}{\partial x_i} &= \frac{\partial \ell}{\partial \hat x_i}
        \cdot \frac{1}{\sqrt{\sigma^2 + \epsilon}}
        + \frac{\partial \ell}{\partial \sigma^2} \cdot \frac{2 (x_i - \mu)}{m}
        + \frac{\partial \ell}{\partial \mu} \cdot \frac1m, \qquad
    \frac{\partial \ell}{\partial \gamma} = \sum_{i=1}^{m} g_i\, \hat x_i, \qquad
    \frac{\partial \ell}{\partial \beta} = \sum_{i=1}^{m} g_i ,
    \end{aligned}

equivalently :math:`\frac{\partial \ell}{\partial x_i} = \frac{\gamma}{m
\sqrt{\sigma^2 + \epsilon}} \bigl(m g_i - \sum_k g_k - \hat x_i \sum_k g_k \hat x_k\bigr)`.
Every quantity is an exact SymPy expression for a batch of :math:`m` (symbols or exact
numbers); :func:`verify_batch_norm_backward` proves each equal to ``sympy.diff`` of the forward
map, and proves what the normalisation removes.  A shift of the whole batch changes nothing,
so the gradient is orthogonal to it exactly, :math:`\sum_i \partial\ell/\partial x_i = 0`;
a scaling of the batch about its mean changes :math:`\hat x` only through :math:`\epsilon`:

.. math::

    \sum_{i=1}^{m} \frac{\partial \ell}{\partial x_i} (x_i - \mu)
    = \frac{\gamma\, \epsilon}{\sigma^2 + \epsilon} \sum_{i=1}^{m} g_i \hat x_i ,

which is 0 for every loss only in the limit :math:`\epsilon \to 0`.

The proofs are exact: :math:`\epsilon` is written :math:`s^2 - \sigma^2` with :math:`s > 0` a
new symbol, so that :math:`\sqrt{\sigma^2 + \epsilon} = s` and each difference is a rational
function, reduced to 0 by ``sympy.cancel``; with :math:`\epsilon` a number, the root is
written :math:`s` and the numerator reduced modulo :math:`s^2 - \sigma^2 - \epsilon`.

References
----------
S. Ioffe, C. Szegedy, "Batch normalization: accelerating deep network training by reducing
internal covariate shift", ICML 2015, Algorithm 1 (the transform) and section 3 (its
backward pass).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np
import sympy as sp

from symdl.core.exact import exact_number, positive
from symdl.core.graph import MAX_BATCH
from symdl.core.layers import input_symbols

__all__ = [
    "BETA",
    "EPSILON",
    "GAMMA",
    "MAX_VERIFIED_BATCH",
    "BatchNormBackward",
    "BatchNormCheck",
    "BatchNormForward",
    "batch_norm_backward",
    "batch_norm_forward",
    "batch_norm_input_gradient",
    "upstream_symbols",
    "verify_batch_norm_backward",
    "verify_graph_batch_norm",
]

GAMMA = sp.Symbol("gamma", real=True)
r"""The scale :math:`\gamma` (symbolic by default)."""
BETA = sp.Symbol("beta", real=True)
r"""The shift :math:`\beta` (symbolic by default)."""
EPSILON = sp.Symbol("epsilon", positive=True)
r"""The constant :math:`\epsilon > 0` added to the variance (symbolic by default)."""

MAX_VERIFIED_BATCH = 8
"""The largest batch :func:`verify_batch_norm_backward` differentiates symbolically."""


def _batch_size(m: Any) -> int:
    if isinstance(m, bool) or not isinstance(m, (int, np.integer)):
        raise TypeError(f"m={m!r} must be an int (the batch size)")
    if m < 2:
        raise ValueError(
            f"a batch of m={m}: batch normalization needs m ≥ 2 (the variance of one example is "
            f"0, so every x̂ would be 0); give at least 2 examples"
        )
    if m > MAX_BATCH:
        raise ValueError(
            f"a batch of m={m} is beyond symdl.core.graph.MAX_BATCH = {MAX_BATCH}: give at most "
            f"{MAX_BATCH} examples"
        )
    return int(m)


def _batch(values: Sequence[Any], name: str) -> tuple[sp.Expr, ...]:
    if isinstance(values, (str, bytes, sp.Basic)) or not isinstance(values, Sequence):
        raise TypeError(
            f"{name}={values!r} must be a sequence (one exact number or SymPy expression per "
            f"example of the batch)"
        )
    _batch_size(len(values))
    return tuple(exact_number(v, name=f"{name}[{i}]") for i, v in enumerate(values))


def _eps(eps: Any) -> sp.Expr:
    return positive(eps, name="eps", reason="it keeps the square root away from 0")


def upstream_symbols(m: int) -> tuple[sp.Symbol, ...]:
    r"""The upstream gradients :math:`g_i = \partial\ell/\partial y_i`, :math:`i = 1, \dots,
    m`, as real symbols.

    Examples
    --------
    >>> upstream_symbols(2)
    (g_{1}, g_{2})

    References
    ----------
    Ioffe & Szegedy (2015), section 3 (the gradients :math:`\partial\ell/\partial y_i` that
    the backward pass starts from).
    """
    return tuple(sp.Symbol(f"g_{{{i}}}", real=True) for i in range(1, _batch_size(m) + 1))


# --- forward ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class BatchNormForward:
    """The batch-norm transform of one unit over a batch (:func:`batch_norm_forward`)."""

    inputs: tuple[sp.Expr, ...]
    r"""The batch :math:`x_1, \dots, x_m`."""
    gamma: sp.Expr
    r""":math:`\gamma`."""
    beta: sp.Expr
    r""":math:`\beta`."""
    eps: sp.Expr
    r""":math:`\epsilon`."""
    mean: sp.Expr
    r""":math:`\mu`."""
    variance: sp.Expr
    r""":math:`\sigma^2` (biased: divided by :math:`m`)."""
    normalised: tuple[sp.Expr, ...]
    r""":math:`\hat x_i = (x_i - \mu)/\sqrt{\sigma^2 + \epsilon}`."""
    outputs: tuple[sp.Expr, ...]
    r""":math:`y_i = \gamma \hat x_i + \beta`."""

    @property
    def m(self) -> int:
        """The batch size."""
        return len(self.inputs)

    @property
    def root(self) -> sp.Expr:
        r""":math:`\sqrt{\sigma^2 + \epsilon}`."""
        return sp.sqrt(self.variance + self.eps)


def batch_norm_forward(
    inputs: Sequence[Any],
    *,
    gamma: Any = GAMMA,
    beta: Any = BETA,
    eps: Any = EPSILON,
) -> BatchNormForward:
    r"""Ioffe & Szegedy's transform of a batch, exactly (training mode, biased variance).

    Parameters
    ----------
    inputs
        The batch :math:`x_1, \dots, x_m` of one unit (:math:`2 \le m \le`
        :data:`~symdl.core.graph.MAX_BATCH`): exact numbers or SymPy expressions.
    gamma, beta
        The scale and shift (symbols :data:`GAMMA`, :data:`BETA` by default).
    eps
        :math:`\epsilon > 0` (the symbol :data:`EPSILON` by default; PyTorch's default is
        ``Fraction(1, 100000)``).

    Raises
    ------
    ValueError
        For a batch of fewer than 2 examples or more than :data:`~symdl.core.graph.MAX_BATCH`, or
        :math:`\epsilon \le 0`.
    TypeError
        For floats.

    Examples
    --------
    >>> bn = batch_norm_forward([1, 3], gamma=2, beta=0, eps=sp.Rational(1, 100))
    >>> bn.mean, bn.variance, bn.outputs
    (2, 1, (-20*sqrt(101)/101, 20*sqrt(101)/101))
    >>> batch_norm_forward([1])
    Traceback (most recent call last):
    ...
    ValueError: a batch of m=1: batch normalization needs m ≥ 2 (the variance of one example ...

    References
    ----------
    Ioffe & Szegedy (2015), Algorithm 1.
    """
    xs = _batch(inputs, "inputs")
    gamma = exact_number(gamma, name="gamma")
    beta = exact_number(beta, name="beta")
    eps = _eps(eps)
    m = len(xs)
    mean = sp.Add(*xs) / m
    variance = sp.Add(*((x - mean) ** 2 for x in xs)) / m
    root = sp.sqrt(variance + eps)
    normalised = tuple((x - mean) / root for x in xs)
    return BatchNormForward(
        inputs=xs,
        gamma=gamma,
        beta=beta,
        eps=eps,
        mean=mean,
        variance=variance,
        normalised=normalised,
        outputs=tuple(gamma * h + beta for h in normalised),
    )


# --- backward ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class BatchNormBackward:
    r"""Ioffe & Szegedy's backward pass for upstream gradients :math:`g_i`
    (:func:`batch_norm_backward`)."""

    forward: BatchNormForward
    """The forward pass it differentiates."""
    upstream: tuple[sp.Expr, ...]
    r""":math:`g_i = \partial\ell/\partial y_i`."""
    normalised: tuple[sp.Expr, ...]
    r""":math:`\partial\ell/\partial\hat x_i = g_i \gamma`."""
    variance: sp.Expr
    r""":math:`\partial\ell/\partial\sigma^2`."""
    mean: sp.Expr
    r""":math:`\partial\ell/\partial\mu` (the path through :math:`\sigma^2` included)."""
    inputs: tuple[sp.Expr, ...]
    r""":math:`\partial\ell/\partial x_i`."""
    gamma: sp.Expr
    r""":math:`\partial\ell/\partial\gamma = \sum_i g_i \hat x_i`."""
    beta: sp.Expr
    r""":math:`\partial\ell/\partial\beta = \sum_i g_i`."""

    def compact(self) -> tuple[sp.Expr, ...]:
        r"""The input gradient in the compact form, :math:`\frac{\gamma}{m
        \sqrt{\sigma^2+\epsilon}} (m g_i - \sum_k g_k - \hat x_i \sum_k g_k \hat x_k)`."""
        f, g = self.forward, self.upstream
        total = sp.Add(*g)
        projection = sp.Add(*(gk * hk for gk, hk in zip(g, f.normalised, strict=True)))
        factor = f.gamma / (f.m * f.root)
        return tuple(
            factor * (f.m * gi - total - hi * projection)
            for gi, hi in zip(g, f.normalised, strict=True)
        )


def batch_norm_backward(
    inputs: Sequence[Any],
    upstream: Sequence[Any],
    *,
    gamma: Any = GAMMA,
    beta: Any = BETA,
    eps: Any = EPSILON,
) -> BatchNormBackward:
    r"""The textbook backward pass of batch normalization, as exact expressions.

    Each quantity is written as in section 3 of Ioffe & Szegedy (the second term of
    :math:`\partial\ell/\partial\mu` is kept although :math:`\sum_i (x_i - \mu) = 0`).

    Parameters
    ----------
    inputs
        The batch :math:`x_1, \dots, x_m` (:math:`m \ge 2`).
    upstream
        :math:`g_i = \partial\ell/\partial y_i`, one per example (any values: the formulas
        hold for every loss).
    gamma, beta, eps
        As in :func:`batch_norm_forward`.

    Examples
    --------
    >>> x, g = sp.symbols("x_1 x_2", real=True), sp.symbols("g_1 g_2", real=True)
    >>> back = batch_norm_backward(x, g)
    >>> back.beta, sp.simplify(sum(back.inputs))
    (g_1 + g_2, 0)
    >>> numbers = batch_norm_backward([0, 2], [1, 0], gamma=1, eps=sp.Rational(1, 100))
    >>> numbers.inputs  # by hand: x̂ = ∓10/√101, (5/√101) (2 g_i − 1 − x̂_i x̂_1)
    (5*sqrt(101)/10201, -5*sqrt(101)/10201)

    References
    ----------
    Ioffe & Szegedy (2015), section 3 (the chain-rule equations under Algorithm 1).
    """
    forward = batch_norm_forward(inputs, gamma=gamma, beta=beta, eps=eps)
    if isinstance(upstream, (str, bytes, sp.Basic)) or not isinstance(upstream, Sequence):
        raise TypeError(
            f"upstream={upstream!r} must be a sequence (one ∂ℓ/∂y_i per example of the batch)"
        )
    if len(upstream) != forward.m:
        raise ValueError(
            f"upstream has {len(upstream)} entries but the batch has {forward.m}; give one "
            f"∂ℓ/∂y_i per example"
        )
    g = tuple(exact_number(v, name=f"upstream[{i}]") for i, v in enumerate(upstream))
    m, mu, root = forward.m, forward.mean, forward.root
    xs, var, eps_ = forward.inputs, forward.variance, forward.eps
    d_hat = tuple(gi * forward.gamma for gi in g)
    d_var = (
        sp.Add(*(d * (x - mu) for d, x in zip(d_hat, xs, strict=True)))
        * sp.Rational(-1, 2)
        * (var + eps_) ** sp.Rational(-3, 2)
    )
    d_mu = (
        sp.Add(*(d * (-1 / root) for d in d_hat)) + d_var * sp.Add(*(-2 * (x - mu) for x in xs)) / m
    )
    d_x = tuple(
        d / root + d_var * 2 * (x - mu) / m + d_mu / m for d, x in zip(d_hat, xs, strict=True)
    )
    return BatchNormBackward(
        forward=forward,
        upstream=g,
        normalised=d_hat,
        variance=d_var,
        mean=d_mu,
        inputs=d_x,
        gamma=sp.Add(*(gi * h for gi, h in zip(g, forward.normalised, strict=True))),
        beta=sp.Add(*g),
    )


def batch_norm_input_gradient(
    inputs: Sequence[Any],
    upstream: Sequence[Any],
    *,
    gamma: Any = GAMMA,
    eps: Any = EPSILON,
) -> tuple[sp.Expr, ...]:
    r"""The input gradient in the compact form,

    .. math::

        \frac{\partial \ell}{\partial x_i} = \frac{\gamma}{m \sqrt{\sigma^2 + \epsilon}}
        \Bigl(m\, g_i - \sum_{k=1}^{m} g_k - \hat x_i \sum_{k=1}^{m} g_k \hat x_k\Bigr) .

    Examples
    --------
    >>> batch_norm_input_gradient([0, 2], [1, 0], gamma=1, eps=sp.Rational(1, 100))
    (5*sqrt(101)/10201, -5*sqrt(101)/10201)

    References
    ----------
    Ioffe & Szegedy (2015), section 3, its equations for :math:`\partial\ell/\partial x_i`,
    :math:`\partial\ell/\partial\sigma^2` and :math:`\partial\ell/\partial\mu` combined.
    """
    return batch_norm_backward(inputs, upstream, gamma=gamma, beta=0, eps=eps).compact()


# --- verification -----------------------------------------------------------------------------


@dataclass(frozen=True)
class BatchNormCheck:
    """Which facts of the backward pass hold for a batch of ``m``
    (:func:`verify_batch_norm_backward`)."""

    m: int
    """The batch size."""
    facts: Mapping[str, bool]
    """Each fact, by name, and whether it was proved."""

    @property
    def holds(self) -> bool:
        """Whether every fact was proved."""
        return all(self.facts.values())

    def __str__(self) -> str:
        lines = [f"batch normalization, batch of m = {self.m}:"]
        lines.extend(f"  {'✓' if ok else '✗'} {name}" for name, ok in self.facts.items())
        return "\n".join(lines)


def _is_root(e: sp.Basic) -> bool:
    """A power :math:`B^{k/2}` (k odd) of a base with symbols."""
    return (
        isinstance(e, sp.Pow) and e.exp.is_Rational and e.exp.q == 2 and bool(e.base.free_symbols)
    )


def _vanishes(expr: sp.Expr, forward: BatchNormForward | None = None) -> bool:
    r"""Whether ``expr``, rational in its symbols and in one square root :math:`\sqrt B`, is 0.

    With ``forward`` of a symbolic :math:`\epsilon`, :math:`\epsilon` is written
    :math:`s^2 - \sigma^2` (:math:`s > 0` a new symbol), so that
    :math:`\sqrt{\sigma^2 + \epsilon} = s` and ``expr`` is a rational function of the inputs and
    :math:`s`, cancelled to 0.  Otherwise the root is written :math:`s` with :math:`s^2 = B`
    and the numerator, a polynomial in :math:`s`, is reduced modulo :math:`s^2 - B`.  A
    nonzero result, or more than one distinct root, is "not proved" (``False``).
    """
    s = sp.Dummy("s", positive=True)
    if forward is not None and isinstance(forward.eps, sp.Symbol):
        rational = expr.subs(forward.eps, s**2 - forward.variance)
        if any(_is_root(e) for e in rational.atoms(sp.Pow)):
            return False  # a root that did not reduce: not proved
        return bool(sp.cancel(rational) == 0)
    canonical = expr.replace(_is_root, lambda e: sp.Pow(sp.expand(e.base), e.exp))
    bases = {e.base for e in canonical.atoms(sp.Pow) if _is_root(e)}
    if len(bases) > 1:
        return False
    if not bases:
        return bool(sp.cancel(canonical) == 0)
    (base,) = bases
    rational = canonical.replace(
        lambda e: _is_root(e) and e.base == base, lambda e: s ** int(2 * e.exp)
    )
    numerator, _ = sp.fraction(sp.together(rational))
    remainder = sp.rem(sp.expand(numerator), s**2 - base, s)
    return bool(sp.expand(remainder) == 0)


def verify_batch_norm_backward(
    m: int,
    *,
    backward: Callable[..., BatchNormBackward] | None = None,
) -> BatchNormCheck:
    r"""Prove the backward pass of batch normalization for a batch of ``m``, exactly.

    With symbols :math:`x_i`, :math:`g_i`, :math:`\gamma`, :math:`\beta`,
    :math:`\epsilon > 0` and the loss :math:`\ell = \sum_i g_i y_i` (whose gradient in the
    :math:`y_i` is any :math:`g_i`, so the chain rule covers every loss), each quantity of
    :func:`batch_norm_backward` is compared with ``sympy.diff`` of the forward map:
    :math:`\partial\ell/\partial\hat x_i` with the :math:`\hat x_i` free,
    :math:`\partial\ell/\partial\sigma^2` with :math:`\mu` and :math:`\sigma^2` free,
    :math:`\partial\ell/\partial\mu` with :math:`\sigma^2` a function of :math:`x` and
    :math:`\mu`, and the rest through the whole map.  Also proved: the compact form,
    :math:`\sum_i \partial\ell/\partial x_i = 0`, and
    :math:`\sum_i (\partial\ell/\partial x_i)(x_i - \mu) = \frac{\gamma\,\epsilon}{\sigma^2 +
    \epsilon} \sum_i g_i \hat x_i` (not 0: with :math:`\epsilon > 0` the scale direction is
    not removed exactly).

    Parameters
    ----------
    m
        The batch size, :math:`2 \le m \le` :data:`MAX_VERIFIED_BATCH`.
    backward
        The backward pass to check, called as ``backward(inputs, upstream, gamma=, beta=,
        eps=)`` (default :func:`batch_norm_backward`): a hand-written one is checked the same
        way.

    Examples
    --------
    >>> check = verify_batch_norm_backward(2)
    >>> check.holds, len(check.facts)
    (True, 9)

    References
    ----------
    Ioffe & Szegedy (2015), Algorithm 1 and section 3.
    """
    m = _batch_size(m)
    if m > MAX_VERIFIED_BATCH:
        raise ValueError(
            f"m={m} is beyond MAX_VERIFIED_BATCH = {MAX_VERIFIED_BATCH} (symbolic "
            f"differentiation of the whole batch grows fast); check a smaller batch"
        )
    run = batch_norm_backward if backward is None else backward
    xs, g = input_symbols(m), upstream_symbols(m)
    result = run(xs, g, gamma=GAMMA, beta=BETA, eps=EPSILON)
    forward = batch_norm_forward(xs, gamma=GAMMA, beta=BETA, eps=EPSILON)
    mu, var = forward.mean, forward.variance

    def loss_of(normalised: Sequence[sp.Expr]) -> sp.Expr:
        return sp.Add(*(gi * (GAMMA * h + BETA) for gi, h in zip(g, normalised, strict=True)))

    hats = tuple(sp.Dummy(f"h{i}", real=True) for i in range(m))
    mean_, var_ = sp.Dummy("mu", real=True), sp.Dummy("v", nonnegative=True)

    def normalised_by(mean: sp.Expr, variance: sp.Expr) -> list[sp.Expr]:
        return [(x - mean) / sp.sqrt(variance + EPSILON) for x in xs]

    loss = loss_of(forward.normalised)
    by_variance = sp.diff(loss_of(normalised_by(mean_, var_)), var_).subs({var_: var, mean_: mu})
    variance_of_mean = sp.Add(*((x - mean_) ** 2 for x in xs)) / m
    by_mean = sp.diff(loss_of(normalised_by(mean_, variance_of_mean)), mean_).subs(mean_, mu)
    pairs: dict[str, list[tuple[sp.Expr, sp.Expr]]] = {
        "∂ℓ/∂x̂_i = g_i γ (sympy.diff)": [
            (result.normalised[i], sp.diff(loss_of(hats), hats[i])) for i in range(m)
        ],
        "∂ℓ/∂σ² (sympy.diff, μ and σ² free)": [(result.variance, by_variance)],
        "∂ℓ/∂μ (sympy.diff, σ² through μ)": [(result.mean, by_mean)],
        "∂ℓ/∂x_i (sympy.diff of the forward map)": [
            (result.inputs[i], sp.diff(loss, xs[i])) for i in range(m)
        ],
        "∂ℓ/∂γ (sympy.diff)": [(result.gamma, sp.diff(loss, GAMMA))],
        "∂ℓ/∂β (sympy.diff)": [(result.beta, sp.diff(loss, BETA))],
        "Σ_i ∂ℓ/∂x_i = 0": [(sp.Add(*result.inputs), sp.S.Zero)],
        "Σ_i (∂ℓ/∂x_i)(x_i − μ) = γ ε/(σ² + ε) Σ_i g_i x̂_i": [
            (
                sp.Add(*(d * (x - mu) for d, x in zip(result.inputs, xs, strict=True))),
                GAMMA
                * EPSILON
                / (var + EPSILON)
                * sp.Add(*(gi * h for gi, h in zip(g, forward.normalised, strict=True))),
            )
        ],
        "∂ℓ/∂x_i = γ/(m √(σ² + ε)) (m g_i − Σ g − x̂_i Σ g x̂)": list(
            zip(result.inputs, batch_norm_input_gradient(xs, g), strict=True)
        ),
    }
    facts = {
        name: all(_vanishes(a - b, forward) for a, b in entries) for name, entries in pairs.items()
    }
    return BatchNormCheck(m=m, facts=facts)


def verify_graph_batch_norm(m: int, *, eps: Any = Fraction(1, 100000)) -> BatchNormCheck:
    r"""Prove that graph backpropagation through a ``BatchNorm`` node gives the textbook
    backward pass, for a batch of ``m``.

    The graph has one input :math:`x` of one unit and one node
    :class:`~symdl.core.graph_operations.BatchNorm` (``eps`` exact, symbols
    :math:`\gamma`, :math:`\beta`); the loss is :math:`C = \sum_b g_b\, a_b` in the node's
    outputs :math:`a_b`, so :math:`g_b = \partial C/\partial a_b` is arbitrary.  The errors
    :math:`\delta^{(x)}_b = \partial C/\partial x_b` and the gradients in :math:`\gamma` and
    :math:`\beta` that :func:`~symdl.backpropagation.graph_mode.graph_backprop` computes
    (through its own pull-back of batch norm) are compared exactly with
    :func:`batch_norm_backward`.

    Examples
    --------
    >>> verify_graph_batch_norm(2).holds
    True

    References
    ----------
    Ioffe & Szegedy (2015), section 3.
    """
    from symdl.backpropagation.graph_forward import graph_symbol
    from symdl.backpropagation.graph_mode import graph_backprop
    from symdl.core.graph import GraphNetwork, Node
    from symdl.core.graph_operations import BatchNorm

    m = _batch_size(m)
    if m > MAX_VERIFIED_BATCH:
        raise ValueError(
            f"m={m} is beyond MAX_VERIFIED_BATCH = {MAX_VERIFIED_BATCH}; check a smaller batch"
        )
    eps = _eps(eps)
    graph = GraphNetwork({"x": 1}, [Node("n", BatchNorm(eps=eps), "x")], batch=m)
    gamma, beta = graph.parameters
    xs = [row[0] for row in graph.input_symbols("x")]
    g = upstream_symbols(m)
    outputs = [graph_symbol("a", "n", (1,), 0, example=b, batch=m) for b in range(1, m + 1)]
    bp = graph_backprop(graph, sp.Add(*(gb * a for gb, a in zip(g, outputs, strict=True))))
    textbook = batch_norm_backward(xs, g, gamma=gamma, beta=beta, eps=eps)
    pairs = {
        "∂C/∂x_i: graph backprop = textbook": [
            (bp.delta("x", 1, example=b + 1, expanded=True), textbook.inputs[b]) for b in range(m)
        ],
        "∂C/∂γ: graph backprop = textbook": [(bp.partial(gamma, expanded=True), textbook.gamma)],
        "∂C/∂β: graph backprop = textbook": [(bp.partial(beta, expanded=True), textbook.beta)],
    }
    return BatchNormCheck(
        m=m, facts={name: all(_vanishes(a - b) for a, b in e) for name, e in pairs.items()}
    )
