r"""The derivatives of the classical activations, exactly.

For the sigmoid :math:`\sigma(z) = 1/(1 + e^{-z})`,
:math:`\sigma'(z) = \sigma(z)\bigl(1 - \sigma(z)\bigr)`; for the hyperbolic tangent,
:math:`\tanh'(z) = 1 - \tanh^2 z = \operatorname{sech}^2 z`; softplus,
:math:`\log(1 + e^z)`, has the derivative :math:`\sigma(z)`; the ELU with parameter
:math:`\alpha` has the derivative 1 for :math:`z > 0` and :math:`\alpha e^z` for
:math:`z < 0`, continuous at 0 exactly when :math:`\alpha = 1`.  ReLU and leaky ReLU have the
one-sided derivatives 0 and 1 (:math:`a` and 1) at the kink, so any value between them is a
subgradient: symdl takes :math:`\operatorname{ReLU}'(0) = 0` (as PyTorch and ``jax.nn.relu``
do) and :math:`\operatorname{LReLU}'(0) = a`, and the registry's derivatives agree with these
facts.

Each identity is proved from the elementary definition (the exponential, the maximum, the
cases), not from the registry's own derivative, and then compared with the registry.

References: I. Goodfellow, Y. Bengio, A. Courville, *Deep Learning* (2016), section 6.3;
D.-A. Clevert, T. Unterthiner, S. Hochreiter, "Fast and accurate deep network learning by
exponential linear units (ELUs)", ICLR 2016, equation (15).
"""

from __future__ import annotations

import sympy as sp

from symdl import ACTIVATIONS, Sigmoid, get_activation

z = sp.Symbol("z", real=True)
h = sp.Symbol("h", positive=True)


def _is_zero(expr: sp.Expr) -> bool:
    return sp.simplify(expr) == 0


def lemma_sigmoid() -> None:
    sigma = 1 / (1 + sp.exp(-z))
    assert _is_zero(sp.diff(sigma, z) - sigma * (1 - sigma))
    registry = ACTIVATIONS["sigmoid"].derivative(z)
    assert _is_zero(registry.rewrite(sp.exp) - sigma * (1 - sigma))
    assert _is_zero(Sigmoid(z).rewrite(sp.exp) - sigma)


def lemma_tanh() -> None:
    tanh = (sp.exp(z) - sp.exp(-z)) / (sp.exp(z) + sp.exp(-z))
    derivative = sp.diff(tanh, z)
    assert _is_zero(derivative - (1 - tanh**2))
    assert _is_zero((derivative - sp.sech(z) ** 2).rewrite(sp.exp))
    assert _is_zero(ACTIVATIONS["tanh"].derivative(z) - (1 - sp.tanh(z) ** 2))


def lemma_softplus() -> None:
    softplus = sp.log(1 + sp.exp(z))
    assert _is_zero(sp.diff(softplus, z) - 1 / (1 + sp.exp(-z)))
    assert _is_zero(ACTIVATIONS["softplus"].derivative(z).rewrite(sp.exp) - 1 / (1 + sp.exp(-z)))


def lemma_elu() -> None:
    alpha = sp.Symbol("alpha", positive=True)
    left = alpha * (sp.exp(z) - 1)
    # one-sided derivatives at 0: 1 from the right (z), alpha from the left
    right_slope = sp.limit((h - 0) / h, h, 0)
    left_slope = sp.limit((left.subs(z, -h) - 0) / (-h), h, 0)
    assert right_slope == 1
    assert left_slope == alpha
    # continuity of the derivative at 0 holds exactly for alpha = 1
    assert sp.solve(sp.Eq(left_slope, right_slope), alpha) == [1]
    elu = ACTIVATIONS["elu"]
    assert elu.derivative(sp.Integer(0)) == 1
    assert elu.derivative(sp.Integer(-2)) == sp.exp(-2)
    assert get_activation("elu", alpha=3).derivative(sp.Integer(-2)) == 3 * sp.exp(-2)


def lemma_relu() -> None:
    relu = sp.Max(0, z)
    right_slope = sp.limit((relu.subs(z, h) - relu.subs(z, 0)) / h, h, 0)
    left_slope = sp.limit((relu.subs(z, -h) - relu.subs(z, 0)) / (-h), h, 0)
    assert (left_slope, right_slope) == (0, 1)
    # symdl's default convention, and SymPy's own (1/2), both lie in the subdifferential [0, 1]
    assert ACTIVATIONS["relu"].derivative(sp.Integer(0)) == 0
    assert sp.diff(relu, z).subs(z, 0) == sp.S.Half
    for at_zero in (0, sp.S.Half, 1):
        value = get_activation("relu", at_zero=at_zero).derivative(sp.Integer(0))
        assert left_slope <= value <= right_slope
    # away from 0 the registry's derivative is the derivative
    for point in (sp.Rational(-3, 2), sp.Rational(2, 5)):
        assert ACTIVATIONS["relu"].derivative(point) == sp.diff(relu, z).subs(z, point)


def lemma_leaky_relu() -> None:
    a = sp.Rational(1, 10)
    leaky = sp.Max(a * z, z)
    right_slope = sp.limit(leaky.subs(z, h) / h, h, 0)
    left_slope = sp.limit(leaky.subs(z, -h) / (-h), h, 0)
    assert (left_slope, right_slope) == (a, 1)
    assert ACTIVATIONS["leaky_relu"].derivative(sp.Integer(0)) == a
    assert ACTIVATIONS["leaky_relu"].derivative(sp.Integer(5)) == 1
