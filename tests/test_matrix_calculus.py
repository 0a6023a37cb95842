"""Tests of symdl.backpropagation.matrix_form: the textbook matrix form of BP1–BP4 and its
agreement."""

from __future__ import annotations

import mpmath
import numpy as np
import pytest
import sympy as sp

from symdl.backpropagation.index_sums import same_entries
from symdl.backpropagation.matrix_form import (
    MatrixLayer,
    agree_at_sizes,
    bp1,
    bp2,
    bp3,
    bp4,
    elementwise,
    entry_gradient,
    linearised_loss,
    matrix_layer,
    quadratic_cost,
    sympy_gradient,
    textbook_form,
)
from symdl.core.activations import ACTIVATIONS, Sigmoid
from symdl.core.exceptions import NotSupportedError
from symdl.core.notation import latex_expr

LAYER = matrix_layer()
K, N, M = LAYER.sizes
j, c = sp.symbols("j c", integer=True, nonnegative=True)
sigma = sp.Function("sigma")


def sigma_prime(x: sp.Expr) -> sp.Expr:
    return sp.Derivative(sigma(x), x)


# (activation, its derivative): a generic σ and two from the registry
ACTS = [
    (sigma, sigma_prime),
    (Sigmoid, ACTIVATIONS["sigmoid"].derivative),
    (sp.tanh, ACTIVATIONS["tanh"].derivative),
]


# --- symbolic sizes -------------------------------------------------------------------------


@pytest.mark.parametrize(("act", "derivative"), ACTS)
def test_bp1_entry_equals_the_elementwise_derivative_for_symbolic_size(act, derivative) -> None:
    cost = quadratic_cost(LAYER, act)
    formula = bp1(elementwise(act, LAYER.z) - LAYER.y, LAYER.z, derivative)
    assert same_entries(formula[j, 0], entry_gradient(cost, LAYER.z, j), {j: N})


@pytest.mark.parametrize(("act", "derivative"), ACTS)
def test_bp2_entry_equals_the_elementwise_derivative_for_symbolic_size(act, derivative) -> None:
    ell = linearised_loss(LAYER, act)
    elementwise_result = entry_gradient(ell, LAYER.z, j)
    # the element-wise result is Σ_k w^{l+1}_{kj} δ^{l+1}_k σ'(z^l_j), a sum of symbolic length
    assert elementwise_result.has(sp.Sum)
    assert same_entries(bp2(LAYER, derivative)[j, 0], elementwise_result, {j: N})


def test_bp3_and_bp4_entries_for_symbolic_sizes() -> None:
    ell = linearised_loss(LAYER)
    assert same_entries(bp3(LAYER)[j, 0], entry_gradient(ell, LAYER.b, j), {j: N})
    dW = entry_gradient(ell, LAYER.W, j, c)
    assert dW == LAYER.delta[j, 0] * LAYER.a_prev[c, 0]
    assert same_entries(bp4(LAYER)[j, c], dW, {j: N, c: K})


def test_sympy_matrix_calculus_rewritten_in_textbook_form() -> None:
    raw = sympy_gradient(linearised_loss(LAYER, sigma), LAYER.z)
    assert "DiagMatrix" in sp.srepr(raw)
    assert textbook_form(raw) == bp2(LAYER, sigma_prime)
    # SymPy's own answer agrees entry by entry with the element-wise result too
    ell = linearised_loss(LAYER, sigma)
    assert same_entries(raw[j, 0], entry_gradient(ell, LAYER.z, j), {j: N})
    raw_w = sympy_gradient(linearised_loss(LAYER), LAYER.W)
    assert type(raw_w).__name__ == "PermuteDims"
    assert raw_w.shape == (N, K, 1, 1)
    assert textbook_form(raw_w) == bp4(LAYER)
    assert textbook_form(sympy_gradient(linearised_loss(LAYER), LAYER.b)) == bp3(LAYER)


def test_sympy_answer_for_bp1_is_an_array_expression_symdl_does_not_rewrite() -> None:
    # For the quadratic cost SymPy answers with ArrayAdd(PermuteDims(ArrayDiagonal(...)), ...),
    # which SymPy 1.14 can neither make explicit nor index; BP1 is therefore checked against
    # the element-wise derivative (test_bp1_entry_equals_...), and the rewrite says so.
    raw = sympy_gradient(quadratic_cost(LAYER, sigma), LAYER.z)
    assert type(raw).__name__ == "ArrayAdd"
    assert "ArrayDiagonal" in sp.srepr(raw)
    with pytest.raises(NotSupportedError, match="ArrayAdd"):
        textbook_form(raw)


# --- concrete sizes -------------------------------------------------------------------------


@pytest.mark.parametrize("sizes", [(1, 1, 1), (2, 3, 2), (3, 2, 4)])
def test_matrix_form_agrees_entry_by_entry_at_concrete_sizes(sizes) -> None:
    subs = dict(zip(LAYER.sizes, sizes, strict=True))
    ell = linearised_loss(LAYER, Sigmoid)
    assert agree_at_sizes(bp2(LAYER, ACTIVATIONS["sigmoid"].derivative), ell, LAYER.z, subs)
    ell = linearised_loss(LAYER)
    assert agree_at_sizes(bp4(LAYER), ell, LAYER.W, subs)
    assert agree_at_sizes(bp3(LAYER), ell, LAYER.b, subs)
    cost = quadratic_cost(LAYER, sp.tanh)
    grad = bp1(elementwise(sp.tanh, LAYER.z) - LAYER.y, LAYER.z, ACTIVATIONS["tanh"].derivative)
    assert agree_at_sizes(grad, cost, LAYER.z, subs)


def test_the_checkers_reject_wrong_formulas() -> None:
    square = {K: 2, N: 2, M: 2}
    ell = linearised_loss(LAYER, Sigmoid)
    derivative = ACTIVATIONS["sigmoid"].derivative
    no_transpose = sp.HadamardProduct(
        LAYER.W_next * LAYER.delta_next, elementwise(derivative, LAYER.z)
    )
    assert not agree_at_sizes(no_transpose, ell, LAYER.z, square)
    assert not agree_at_sizes(LAYER.W_next.T * LAYER.delta_next, ell, LAYER.z, square)
    rectangular = {K: 2, N: 3, M: 2}
    assert not agree_at_sizes(
        LAYER.a_prev * LAYER.delta.T, linearised_loss(LAYER), LAYER.W, rectangular
    )
    assert not agree_at_sizes(
        (LAYER.delta * LAYER.a_prev.T).T, linearised_loss(LAYER), LAYER.W, square
    )
    # symbolically: the entry of σ' at the wrong neuron, or a missing factor, is refused
    right = entry_gradient(ell, LAYER.z, j)
    wrong = bp2(LAYER, derivative)[j, 0].subs(LAYER.z[j, 0], LAYER.z[0, 0])
    assert not same_entries(wrong, right, {j: N})
    assert not same_entries((LAYER.W_next.T * LAYER.delta_next)[j, 0], right, {j: N})


# --- numeric cross-check (independent of SymPy's calculus) ----------------------------------


def test_bp2_numerically_against_finite_differences(rng: np.random.Generator) -> None:
    sizes = {K: 2, N: 3, M: 2}
    layer = matrix_layer((2, 3, 2))
    W = rng.normal(size=(2, 3))
    delta = rng.normal(size=(2, 1))
    b = rng.normal(size=(2, 1))
    z = rng.normal(size=(3, 1))
    sigmoid = ACTIVATIONS["sigmoid"]
    # the textbook formula, evaluated by NumPy by hand
    by_formula = (W.T @ delta) * sigmoid.numpy_diff(z)
    # the linearised loss ℓ(z) = δᵀ (W σ(z) + b), differentiated by mpmath at 30 digits
    ell = linearised_loss(layer, Sigmoid).as_explicit()[0, 0]
    values = {layer.W_next[r, s]: W[r, s] for r in range(2) for s in range(3)}
    values.update({layer.delta_next[r, 0]: delta[r, 0] for r in range(2)})
    values.update({layer.b_next[r, 0]: b[r, 0] for r in range(2)})
    zs = [layer.z[r, 0] for r in range(3)]
    f = sp.lambdify(zs, ell.subs(values).rewrite(sp.exp), modules="mpmath")
    with mpmath.workdps(30):
        for r in range(3):
            point = [mpmath.mpf(float(v)) for v in z[:, 0]]

            def along(t, r=r, point=point):
                shifted = list(point)
                shifted[r] += t
                return f(*shifted)

            assert float(mpmath.diff(along, 0)) == pytest.approx(by_formula[r, 0], rel=1e-12)
    assert len(sizes) == 3


# --- notation and bad input -----------------------------------------------------------------


def test_the_matrix_form_prints_as_in_a_textbook() -> None:
    assert latex_expr(bp2(LAYER, sigma_prime)) == (
        r"\left(\left(W^{l+1}\right)^{T} \delta^{l+1}\right) \odot \sigma'\left(z^{l}\right)"
    )
    assert latex_expr(bp4(LAYER)) == r"\delta^{l} \left(a^{l-1}\right)^{T}"


def test_bad_input() -> None:
    with pytest.raises(ValueError, match="size n_l=0 is not an integer ≥ 1"):
        matrix_layer((2, 0, 1))
    with pytest.raises(TypeError, match=r"1\.5 is a float"):
        matrix_layer((2, 1.5, 1))
    with pytest.raises(ValueError, match="must be a tuple"):
        matrix_layer((2, 3))  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="1x1"):
        sympy_gradient(LAYER.z, LAYER.z)
    with pytest.raises(ValueError, match="symbolic"):
        agree_at_sizes(bp3(LAYER), linearised_loss(LAYER), LAYER.b, {N: 2})
    with pytest.raises(NotSupportedError, match="textbook"):
        textbook_form(sp.Integer(3))
    assert isinstance(matrix_layer((1, 2, 3)), MatrixLayer)


# --- agreement with symdl.backpropagation.reverse_mode's per-neuron errors
# --------------------------------------


def test_matrix_form_agrees_with_the_per_neuron_errors_of_backprop() -> None:
    from symdl.backpropagation.reverse_mode import backprop
    from symdl.core.losses import LOSSES
    from symdl.core.network import Network

    net = Network.mlp([2, 3, 2], ["tanh", "sigmoid"])
    bp = backprop(net, LOSSES["mse"])
    layer = matrix_layer((2, 3, 2))
    trace = net.trace()
    explicit = {
        layer.W_next: net.layers[1].W,
        layer.delta_next: sp.Matrix([bp.delta(2, q, expanded=True) for q in (1, 2)]),
        layer.z: sp.Matrix(trace.z[1]),
        layer.delta: sp.Matrix([bp.delta(1, q, expanded=True) for q in (1, 2, 3)]),
        layer.a_prev: sp.Matrix(net.inputs),
    }
    by_matrix_form = bp2(layer, ACTIVATIONS["tanh"].derivative).subs(explicit).doit()
    by_matrix_bp4 = bp4(layer).subs(explicit).doit()
    by_neuron_bp4 = bp.weight_gradient(1).applyfunc(bp.expand)
    # exact rational values of every parameter, input and target; compared at 50 digits
    rng = np.random.default_rng(7)
    symbols = sorted(set(net.parameters) | set(net.inputs) | set(bp.targets), key=str)
    point = {v: sp.Rational(int(rng.integers(-9, 10)), int(rng.integers(1, 10))) for v in symbols}
    for q in range(3):
        value = by_matrix_form[q, 0].subs(point).evalf(50)
        assert abs(value - bp.delta(1, q + 1, expanded=True).subs(point).evalf(50)) < 1e-40
        for col in range(2):
            difference = (by_matrix_bp4[q, col] - by_neuron_bp4[q, col]).subs(point).evalf(50)
            assert abs(difference) < 1e-40
    # a wrong matrix form (z in place of σ'(z)) is told apart by the same comparison
    wrong = sp.HadamardProduct(layer.W_next.T * layer.delta_next, layer.z).subs(explicit).doit()
    value = wrong[0, 0].subs(point).evalf(50)
    assert abs(value - bp.delta(1, 1, expanded=True).subs(point).evalf(50)) > 1e-6
