"""A course registers its own activation and loss: every part of symdl then knows them."""

from __future__ import annotations

import mpmath
import numpy as np
import pytest
import sympy as sp

from symdl.backpropagation.numeric_check import check_gradients
from symdl.backpropagation.reverse_mode import backprop
from symdl.core.activations import (
    ACTIVATIONS,
    Activation,
    PiecewiseLinearForm,
    Sigmoid,
    get_activation,
    register_activation,
    registered_activation,
    unregister_activation,
)
from symdl.core.losses import LOSSES, Loss, Target, get_loss, register_loss, registered_loss
from symdl.core.network import Network
from symdl.core.notation import latex_expr, plain_expr
from symdl.depth.piecewise_sympy import from_network
from symdl.depth.regions import activation_regions_1d
from symdl.grading.answers import Isolation, check_gradient
from symdl.grading.lexing import UnknownNameError
from symdl.grading.parsing import parse_expression
from symdl.optimization.landscape import homogeneity_degree
from symdl.referee.intervals import interval_value
from symdl.referee.pointwise import mp_value
from symdl.referee.verdict import Mistake

x = sp.Symbol("x", real=True)


def _np_sigmoid(t: np.ndarray) -> np.ndarray:
    return 0.5 * (1.0 + np.tanh(t / 2))  # σ(t) = (1 + tanh(t/2))/2, written independently


def swish() -> Activation:
    """swish(z) = z σ(z) (Ramachandran, Zoph and Le 2017), as a course would register it."""
    return Activation(
        name="swish",
        latex=r"\operatorname{swish}",
        sympy_form=lambda z: z * Sigmoid(z),
        sympy_derivative=lambda z: Sigmoid(z) + z * Sigmoid(z) * (1 - Sigmoid(z)),
        numpy_form=lambda t: t * _np_sigmoid(t),
        numpy_derivative=lambda t: _np_sigmoid(t) * (1 + t * _np_sigmoid(-t)),
        parser_names=("swish",),
        mpmath_form=lambda c, t: t / (1 + c.exp(-t)),
    )


def hard_tanh() -> Activation:
    """hard tanh: -1 below -1, z on [-1, 1], 1 above 1; its derivative taken 0 at ±1."""
    return Activation(
        name="hard_tanh",
        latex=r"\operatorname{htanh}",
        sympy_form=lambda z: sp.Max(-1, sp.Min(1, z)),
        sympy_derivative=lambda z: sp.Heaviside(z + 1, 0) * sp.Heaviside(1 - z, 0),
        numpy_form=lambda t: np.clip(t, -1.0, 1.0),
        numpy_derivative=lambda t: np.where(np.abs(t) < 1, 1.0, 0.0),
        kinks=(-1, 1),
        derivative_at_kinks=(0, 0),
        parser_names=("htanh",),
        linear_pieces=PiecewiseLinearForm((-1, 1), (0, 1, 0), intercept=-1),
    )


def quartic() -> Loss:
    """C = Σ_j (o_j - y_j)^4 / 4 with its hand-written gradient (o - y)^3."""
    return Loss(
        "quartic",
        "quartic loss",
        r"\frac14 \sum_j (o_j - y_j)^4",
        Target.REAL,
        lambda o, y: sp.Add(*[(a - b) ** 4 for a, b in zip(o, y, strict=True)]) / 4,
        lambda O, Y: ((O - Y) ** 4).sum(axis=1) / 4,
        numpy_gradient_form=lambda O, Y: (O - Y) ** 3,
    )


def test_a_registered_activation_is_known_everywhere_and_then_forgotten() -> None:
    with registered_activation(swish()):
        net = Network.mlp([2, 2, 1], ["swish", "identity"])
        assert backprop(net, LOSSES["mse"]).verify().holds
        assert check_gradients(net, LOSSES["mse"], seed=5).worst_error <= 1e-8
        # the parser: swish(x) is x σ(x); swish'(x) its registered derivative
        assert parse_expression("swish(x)", symbols=[x]) == x * Sigmoid(x)
        primed = parse_expression("swish'(x)", symbols=[x])
        assert sp.simplify((primed - sp.diff(x / (1 + sp.exp(-x)), x)).rewrite(sp.exp)) == 0
    assert "swish" not in ACTIVATIONS
    with pytest.raises(UnknownNameError):
        parse_expression("swish(x)", symbols=[x])
    with pytest.raises(ValueError, match="unknown activation 'swish'"):
        get_activation("swish")


def test_check_gradient_grades_an_answer_written_with_the_new_name() -> None:
    with registered_activation(swish()):
        net = Network.mlp([1, 1], "swish")
        w = net.parameters[0]
        # C = (swish(z) - y)², ∂C/∂w = 2 (a - y) swish'(z) x, swish' = σ + z σ (1 - σ) by hand
        right = (
            r"2(swish(z^{(1)}) - y)"
            r"(\sigma(z^{(1)}) + z^{(1)}\sigma(z^{(1)})(1 - \sigma(z^{(1)}))) x"
        )
        verdict = check_gradient(net, right, wrt=w, loss=LOSSES["mse"], isolation=Isolation.NONE)
        assert verdict.correct
        primed = r"2(a^{(1)} - y) swish'(z^{(1)}) x"
        verdict = check_gradient(net, primed, wrt=w, loss=LOSSES["mse"], isolation=Isolation.NONE)
        assert verdict.correct
        missing = r"2(a^{(1)} - y) x"  # swish' left out
        verdict = check_gradient(net, missing, wrt=w, loss=LOSSES["mse"], isolation=Isolation.NONE)
        assert not verdict.correct
        assert Mistake.MISSING_DERIVATIVE in verdict.mistakes


def test_a_piecewise_linear_activation_reaches_the_depth_code() -> None:
    with registered_activation(hard_tanh()):
        # x ↦ htanh(2x): pieces (-∞, -1/2], [-1/2, 1/2], [1/2, ∞), by hand
        net = Network.mlp([1, 1, 1], ["hard_tanh", "identity"], weights=[[[2]], [[1]]],
                          biases=[[0], [0]])  # fmt: skip
        f = from_network(net)
        assert f.breakpoints == (sp.Rational(-1, 2), sp.Rational(1, 2))
        assert [f(t) for t in (-5, sp.Rational(1, 4), 7)] == [-1, sp.Rational(1, 2), 1]
        assert backprop(net, LOSSES["mse"]).verify().holds
        with pytest.raises(ValueError, match="not positively homogeneous"):
            homogeneity_degree(Network.mlp([1, 1], "hard_tanh", biases=[[0]]))
        with pytest.raises(Exception, match="identity or max"):
            activation_regions_1d(net)
        assert parse_expression("htanh(x/3)", symbols=[x]).subs(x, 6) == 1


def test_a_registered_loss_is_known_to_backpropagation_and_then_forgotten() -> None:
    with registered_loss(quartic()):
        loss = get_loss("quartic")
        assert loss(sp.Matrix([3, 1]), sp.Matrix([1, 1])) == 4  # 2⁴/4
        O, Y = np.array([[0.5, -2.0]]), np.array([[1.5, 1.0]])
        assert loss.numpy(O, Y)[0] == pytest.approx((1 + 81) / 4)
        net = Network.mlp([2, 2], "sigmoid")
        assert backprop(net, loss).verify().holds
        # the independent NumPy backward pass uses the loss's hand-written gradient (o − y)³
        assert check_gradients(net, loss, seed=3).worst_error <= 1e-8
    assert "quartic" not in LOSSES


def test_registration_refuses_forms_that_disagree() -> None:
    good = swish()
    off = Activation(**{**vars(good), "numpy_form": lambda t: 1.001 * t * _np_sigmoid(t)})
    with pytest.raises(ValueError, match=r"'swish'.*NumPy form.*same function"):
        register_activation(off)
    slope = Activation(**{**vars(good), "sympy_derivative": lambda z: Sigmoid(z)})
    with pytest.raises(ValueError, match="derivative"):
        register_activation(slope)
    pieces = PiecewiseLinearForm((-1, 1), (0, 1, 0), intercept=0)  # shifted up by 1
    with pytest.raises(ValueError, match="piecewise-linear form"):
        register_activation(Activation(**{**vars(hard_tanh()), "linear_pieces": pieces}))
    four_times = Loss(**{**vars(quartic()), "numpy_gradient_form": lambda O, Y: 4 * (O - Y) ** 3})
    with pytest.raises(ValueError, match="NumPy gradient"):
        register_loss(four_times)
    assert "swish" not in ACTIVATIONS
    assert "hard_tanh" not in ACTIVATIONS
    assert "quartic" not in LOSSES


def test_registration_refuses_taken_and_reserved_names() -> None:
    with pytest.raises(ValueError, match="'relu' is registered already"):
        register_activation(Activation(**{**vars(swish()), "name": "relu"}))
    for word, reason in (("exp", "standard function"), ("leaky_swish", "letters only"),
                         ("sigma", "already names the activation 'sigmoid'")):  # fmt: skip
        with pytest.raises(ValueError, match=reason):
            register_activation(Activation(**{**vars(swish()), "parser_names": (word,)}))
    with pytest.raises(ValueError, match="built-in"):
        unregister_activation("relu")
    with pytest.raises(ValueError, match="no activation 'swish'"):
        unregister_activation("swish")
    with pytest.raises(ValueError, match="'mse' is registered already"):
        register_loss(Loss(**{**vars(quartic()), "name": "mse"}))


class HardSigmoid(sp.Function):
    """A course's own SymPy function: max(0, min(1, (z + 1)/2))."""

    nargs = 1

    @classmethod
    def eval(cls, z: sp.Expr) -> sp.Expr | None:
        if z.is_Rational:
            return sp.Max(0, sp.Min(1, (z + 1) / 2))
        return None


def test_a_course_function_class_is_printed_and_evaluated_by_the_referee() -> None:
    act = Activation(
        name="hard_sigmoid",
        latex=r"\operatorname{hsig}",
        sympy_form=HardSigmoid,
        sympy_derivative=lambda z: sp.Heaviside(z + 1, 0) * sp.Heaviside(1 - z, 0) / 2,
        numpy_form=lambda t: np.clip((t + 1) / 2, 0.0, 1.0),
        numpy_derivative=lambda t: np.where(np.abs(t) < 1, 0.5, 0.0),
        kinks=(-1, 1),
        derivative_at_kinks=(0, 0),
        text="hsig",
        mpmath_form=lambda c, t: max(c.mpf(0), min(c.mpf(1), (t + 1) / 2)),
        mpmath_derivative=lambda c, t: c.mpf(1) / 2 if abs(t) < 1 else c.mpf(0),
        linear_pieces=PiecewiseLinearForm((-1, 1), (0, sp.S.Half, 0)),
    )
    with pytest.raises(ValueError, match="SymPy derivative"):  # HardSigmoid has no fdiff
        register_activation(act)
    HardSigmoid.fdiff = lambda self, argindex=1: (  # type: ignore[method-assign]
        sp.Heaviside(self.args[0] + 1, 0) * sp.Heaviside(1 - self.args[0], 0) / 2
    )
    try:
        with registered_activation(act):
            y = sp.Symbol("y", real=True)
            assert latex_expr(HardSigmoid(y)) == r"\operatorname{hsig}\left(y\right)"
            assert plain_expr(HardSigmoid(y) + 1) == "hsig(y) + 1"
            value = mp_value(HardSigmoid(y) * 3, {y: sp.Rational(1, 3)})
            assert value == mpmath.mpf(2)  # 3 · (1/3 + 1)/2
            box = interval_value(HardSigmoid(y), {y: sp.Rational(1, 3)}, dps=20)
            assert box is not None
            assert 2 in box * 3
            assert box.delta < mpmath.mpf(10) ** -15
    finally:
        del HardSigmoid.fdiff
    with pytest.raises(ValueError, match="no activation 'hard_sigmoid'"):
        unregister_activation("hard_sigmoid")
