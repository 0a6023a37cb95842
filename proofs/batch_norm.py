r"""Batch normalization's backward pass, exactly

Ioffe and Szegedy's transform (Algorithm 1, training mode) maps a batch
:math:`x_1, \dots, x_m` of one unit to :math:`y_i = \gamma \hat x_i + \beta`, with

.. math::

    \mu = \frac1m \sum_{i=1}^{m} x_i, \qquad
    \sigma^2 = \frac1m \sum_{i=1}^{m} (x_i - \mu)^2, \qquad
    \hat x_i = \frac{x_i - \mu}{\sqrt{\sigma^2 + \epsilon}} .

For any upstream gradients :math:`g_i = \partial\ell/\partial y_i`, the backward equations of
their section 3 (:math:`\partial\ell/\partial\hat x_i = g_i \gamma`, then
:math:`\partial\ell/\partial\sigma^2`, :math:`\partial\ell/\partial\mu`,
:math:`\partial\ell/\partial x_i`, :math:`\partial\ell/\partial\gamma = \sum_i g_i \hat x_i`
and :math:`\partial\ell/\partial\beta = \sum_i g_i`) equal the derivatives of the forward map
computed by SymPy, for :math:`m = 2, \dots, 5` with symbolic :math:`\epsilon > 0`, and so does
the compact form

.. math::

    \frac{\partial \ell}{\partial x_i} = \frac{\gamma}{m \sqrt{\sigma^2 + \epsilon}}
    \Bigl(m\, g_i - \sum_{k=1}^{m} g_k - \hat x_i \sum_{k=1}^{m} g_k \hat x_k\Bigr) .

Shifting the whole batch changes nothing, and the gradient is orthogonal to the shift
exactly; scaling the batch about its mean changes :math:`\hat x` only through
:math:`\epsilon`:

.. math::

    \sum_{i=1}^{m} \frac{\partial \ell}{\partial x_i} = 0, \qquad
    \sum_{i=1}^{m} \frac{\partial \ell}{\partial x_i} (x_i - \mu)
    = \frac{\gamma\, \epsilon}{\sigma^2 + \epsilon} \sum_{i=1}^{m} g_i \hat x_i ,

so the scale direction is removed only in the limit :math:`\epsilon \to 0`.  Graph
backpropagation through a batch-norm node gives the same gradients exactly, for
:math:`m = 2, \dots, 5`; a backward pass that divides the variance by :math:`m - 1`, or drops
the path through :math:`\sigma^2`, fails the check; and the formulas agree with mpmath's
numerical derivative at 50 digits.

References: S. Ioffe, C. Szegedy, "Batch normalization: accelerating deep network training
by reducing internal covariate shift", ICML 2015, Algorithm 1 and section 3.
"""

from __future__ import annotations

import dataclasses
import random

import mpmath
import sympy as sp

from symdl.architectures.batch_norm import (
    BETA,
    EPSILON,
    GAMMA,
    BatchNormBackward,
    batch_norm_backward,
    upstream_symbols,
    verify_batch_norm_backward,
    verify_graph_batch_norm,
)
from symdl.core.layers import input_symbols

R = sp.Rational


def lemma_textbook_backward_pass_is_the_derivative_for_m_2_to_5() -> None:
    """Every quantity against sympy.diff, the compact form, and the two directions."""
    for m in range(2, 6):
        check = verify_batch_norm_backward(m)
        assert check.holds, str(check)


def _unbiased(inputs, upstream, **options) -> BatchNormBackward:  # type: ignore[no-untyped-def]
    right = batch_norm_backward(inputs, upstream, **options)
    f, m = right.forward, right.forward.m
    scale = sp.sqrt((f.variance + f.eps) / (f.variance * m / (m - 1) + f.eps))
    return dataclasses.replace(right, inputs=tuple(d * scale for d in right.inputs))


def _no_variance_path(inputs, upstream, **options) -> BatchNormBackward:  # type: ignore[no-untyped-def]
    right = batch_norm_backward(inputs, upstream, **options)
    f = right.forward
    inputs_ = tuple(d / f.root + right.mean / f.m for d in right.normalised)
    return dataclasses.replace(right, inputs=inputs_)


def lemma_wrong_backward_passes_fail() -> None:
    """The unbiased variance, and the input gradient without the path through σ², fail."""
    for wrong in (_unbiased, _no_variance_path):
        check = verify_batch_norm_backward(3, backward=wrong)
        assert not check.facts["∂ℓ/∂x_i (sympy.diff of the forward map)"]


def lemma_the_scale_direction_is_removed_only_without_eps() -> None:
    """At a rational point with ε = 1/10 the component along x − μ is not 0."""
    xs, g = input_symbols(3), upstream_symbols(3)
    back = batch_norm_backward(xs, g)
    point = dict(zip(xs, [0, 1, 3], strict=True))
    point.update(zip(g, [1, 0, 0], strict=True))
    point.update({GAMMA: 1, EPSILON: R(1, 10)})
    mu = back.forward.mean.subs(point)
    along = sp.Add(
        *(d.subs(point) * (x.subs(point) - mu) for d, x in zip(back.inputs, xs, strict=True))
    )
    assert sp.radsimp(along) != 0
    assert sp.radsimp(sp.Add(*(d.subs(point) for d in back.inputs))) == 0


def lemma_graph_backprop_agrees_for_m_2_to_5() -> None:
    """A BatchNorm node with ε = 1/100000 (PyTorch's default), exactly."""
    for m in range(2, 6):
        check = verify_graph_batch_norm(m)
        assert check.holds, str(check)


def lemma_numeric_cross_check_at_50_digits() -> None:
    """m = 5, ε = 1/100000, random rational batch: mpmath.diff of an mpmath forward pass."""
    m = 5
    rng = random.Random(2015)
    xs, g = input_symbols(m), upstream_symbols(m)
    back = batch_norm_backward(xs, g)
    x_values = [R(rng.randint(-300, 300), 101) for _ in range(m)]
    g_values = [R(rng.randint(-50, 50), 17) for _ in range(m)]
    gamma, beta, eps = R(4, 3), R(-1, 2), R(1, 100000)
    point = dict(zip(xs, x_values, strict=True))
    point.update(zip(g, g_values, strict=True))
    point.update({GAMMA: gamma, BETA: beta, EPSILON: eps})
    with mpmath.workdps(50):

        def mp(v: sp.Rational) -> mpmath.mpf:
            return mpmath.mpf(int(v.p)) / int(v.q)

        def loss(x: list[mpmath.mpf]) -> mpmath.mpf:
            mu = mpmath.fsum(x) / m
            root = mpmath.sqrt(mpmath.fsum((v - mu) ** 2 for v in x) / m + mp(eps))
            return mpmath.fsum(
                mp(gi) * (mp(gamma) * (v - mu) / root + mp(beta))
                for gi, v in zip(g_values, x, strict=True)
            )

        x0 = [mp(v) for v in x_values]
        for i in range(m):

            def along(t: mpmath.mpf, i: int = i) -> mpmath.mpf:
                return loss([v + t if k == i else v for k, v in enumerate(x0)])

            exact = mpmath.mpf(str(back.inputs[i].subs(point).evalf(60)))
            assert abs(mpmath.diff(along, 0) - exact) < mpmath.mpf(10) ** -40
