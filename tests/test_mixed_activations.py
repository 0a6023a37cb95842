"""Dense layers whose neurons have their own activations, in every part that reads a layer."""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pytest
import sympy as sp

from symdl.backpropagation.reverse_mode import backprop
from symdl.cli import main
from symdl.core import numeric
from symdl.core.activations import ACTIVATIONS
from symdl.core.exceptions import NotSupportedError
from symdl.core.layers import Dense
from symdl.core.losses import LOSSES
from symdl.core.network import Network, read_layer_activations
from symdl.depth.piecewise import PiecewiseLinear
from symdl.depth.regions import region_boundaries_1d, regions_2d
from symdl.grading.problem_files import ProblemFieldError, load_problem_text
from symdl.optimization.landscape import homogeneity_degree, scale_weights

relu, tanh, identity = ACTIVATIONS["relu"], ACTIVATIONS["tanh"], ACTIVATIONS["identity"]


# --- construction and validation --------------------------------------------------------------


def test_a_shared_activation_is_repeated_for_every_neuron() -> None:
    layer = Dense(sp.ones(3, 2), sp.zeros(3, 1), relu)
    assert layer.activations == (relu, relu, relu)
    assert layer.activation is relu
    assert not layer.is_mixed


def test_one_activation_per_neuron_by_position_or_keyword() -> None:
    by_position = Dense(sp.ones(2, 1), sp.zeros(2, 1), [relu, tanh])
    by_keyword = Dense(sp.ones(2, 1), sp.zeros(2, 1), activations=(relu, tanh))
    assert by_position == by_keyword
    assert by_position.activations == (relu, tanh)
    assert by_position.is_mixed


def test_the_same_activation_listed_per_neuron_is_a_shared_one() -> None:
    layer = Dense(sp.ones(2, 1), sp.zeros(2, 1), [tanh, tanh])
    assert not layer.is_mixed
    assert layer.activation is tanh


def test_a_mixed_layer_has_no_single_activation() -> None:
    layer = Dense(sp.ones(2, 1), sp.zeros(2, 1), [relu, tanh])
    with pytest.raises(NotSupportedError, match=r"neuron 1 relu, neuron 2 tanh.*\.activations"):
        _ = layer.activation


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"activation": [relu, tanh]}, ValueError, "2 entries for a layer of 3 neurons"),
        ({"activation": [relu, "tanh", relu]}, TypeError, r"activations\[1\]='tanh'"),
        ({"activation": relu, "activations": [relu] * 3}, TypeError, "not both|give one"),
        ({}, TypeError, "not an Activation"),
        ({"activation": "relu"}, TypeError, "get_activation"),
    ],
)
def test_bad_activations_are_refused_with_what_is_accepted(
    kwargs: dict[str, object], error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        Dense(sp.ones(3, 1), sp.zeros(3, 1), **kwargs)  # type: ignore[arg-type]


def test_mlp_takes_a_list_of_names_per_neuron() -> None:
    net = Network.mlp([2, 3, 1], [["relu", "tanh", "sigmoid"], "identity"])
    first, second = net.layers
    assert isinstance(first, Dense)
    assert isinstance(second, Dense)
    assert [a.name for a in first.activations] == ["relu", "tanh", "sigmoid"]
    assert second.activation is identity


@pytest.mark.parametrize(
    ("activations", "error", "message"),
    [
        ([["relu", "tanh"], "identity"], ValueError, "2 activation.*3 neuron.*layer 1"),
        ([["relu", "softmax", "tanh"], "identity"], ValueError, "neuron 2 of layer 1.*softmax"),
        ([["relu", 3, "tanh"], "identity"], TypeError, "neuron 2 of layer 1 is 3"),
        ([["relu", "tahn", "tanh"], "identity"], ValueError, "tahn"),
    ],
)
def test_mlp_refuses_a_bad_list_per_neuron(
    activations: list[object], error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        Network.mlp([2, 3, 1], activations)  # type: ignore[arg-type]


# --- forward values by hand -------------------------------------------------------------------


def _three_neurons() -> Network:
    # a_1 = ReLU(x), a_2 = x, a_3 = step(x) (step(0) = 1); output a_1 + 2 a_2 + 3 a_3
    return Network.mlp(
        [1, 3, 1],
        [["relu", "identity", "step"], "identity"],
        weights=[[[1], [1], [1]], [[1, 2, 3]]],
        biases=[[0, 0, 0], [0]],
    )


def test_each_neuron_applies_its_own_activation() -> None:
    net = _three_neurons()
    # x = -2: (0, -2, 0) -> 0 - 4 + 0 = -4;  x = 3: (3, 3, 1) -> 3 + 6 + 3 = 12
    assert net.trace([-2]).a[1] == sp.Matrix([0, -2, 0])
    assert net.forward([-2]) == sp.Matrix([-4])
    assert net.forward([3]) == sp.Matrix([12])
    assert net.forward_sequence([3]) == sp.Matrix([12])


def test_the_numeric_evaluator_applies_each_neuron_its_own_activation() -> None:
    X = np.array([[-2.0], [3.0], [0.5]])
    # x = 1/2: (1/2, 1/2, 1) -> 1/2 + 1 + 3 = 4.5
    assert numeric.forward(_three_neurons(), X).ravel().tolist() == [-4.0, 12.0, 4.5]
    mixed = Network.mlp([1, 2], [["tanh", "sigmoid"]], weights=[[[1], [1]]], biases=[[0, 0]])
    value = numeric.forward_mp(mixed, [1], dps=30)
    assert abs(value[0] - math.tanh(1)) < 1e-15
    assert abs(value[1] - 1 / (1 + math.exp(-1))) < 1e-15


# --- gradients ----------------------------------------------------------------------------------


def test_gradients_equal_sympy_diff_of_the_forward_expression() -> None:
    net = Network.mlp([2, 2, 1], [["tanh", "softplus"], "identity"])
    bp = backprop(net, LOSSES["l2"])
    cost = LOSSES["l2"](net.forward(), sp.Matrix(bp.targets))
    for parameter in net.parameters:
        difference = bp.partial(parameter, expanded=True) - sp.diff(cost, parameter)
        assert sp.simplify(difference.rewrite(sp.exp)) == 0, parameter


def test_each_error_carries_its_neurons_derivative() -> None:
    # one input, weights 1, biases 0, output a_1 + a_2 with C = (o - y)^2: by hand
    # δ^1_1 = 2(o - y) ReLU'(x) and δ^1_2 = 2(o - y) tanh'(x) = 2(o - y)(1 - tanh² x)
    net = Network.mlp(
        [1, 2, 1],
        [["relu", "tanh"], "identity"],
        weights=[[[1], [1]], [[1, 1]]],
        biases=[[0, 0], [0]],
    )
    bp = backprop(net, LOSSES["l2"])
    x, (y,) = net.inputs[0], bp.targets
    for point in (sp.Rational(1, 2), sp.Rational(-3, 4)):
        at = {x: point, y: 0}
        o = max(point, 0) + sp.tanh(point)
        assert bp.expand(bp.delta(1, 1)).xreplace(at) == 2 * o * (1 if point > 0 else 0)
        assert (
            sp.simplify(bp.expand(bp.delta(1, 2)).xreplace(at) - 2 * o * (1 - sp.tanh(point) ** 2))
            == 0
        )


def test_the_numeric_backward_pass_agrees_with_the_symbolic_gradient() -> None:
    net = Network.mlp([2, 2, 1], [["relu", "sigmoid"], "tanh"])
    bp = backprop(net, LOSSES["l2"])
    params = {p: sp.Rational(k + 1, 4) * (-1) ** k for k, p in enumerate(net.parameters)}
    x, y = (sp.Rational(3, 2), sp.Rational(-1, 3)), (sp.Rational(1, 5),)
    point = {**params, **dict(zip(net.inputs, x, strict=True))}
    point.update(zip(bp.targets, y, strict=True))
    arrays = numeric.backward(net, [[float(v) for v in x]], [[float(y[0])]], LOSSES["l2"], params)
    for l, (dW, db) in enumerate(arrays, start=1):
        for (j, k), value in np.ndenumerate(dW):
            exact = float(sp.N(bp.expand(bp.weight_gradient(l)[j, k]).xreplace(point), 30))
            assert exact == pytest.approx(value, rel=1e-12, abs=1e-15)
        for j, value in enumerate(db):
            exact = float(sp.N(bp.expand(bp.bias_gradient(l)[j, 0]).xreplace(point), 30))
            assert exact == pytest.approx(value, rel=1e-12, abs=1e-15)


def test_a_kink_convention_names_the_neurons_that_have_it() -> None:
    net = Network.mlp([1, 3, 1], [["tanh", "relu", "relu"], "identity"])
    assert backprop(net, LOSSES["mse"]).conventions() == (
        "layer 1, neurons 2, 3 (relu): ReLU'(0) = 0 (the registry's convention)",
    )


# --- displays -----------------------------------------------------------------------------------


def test_displays_show_each_neurons_activation() -> None:
    net = Network.mlp([2, 2, 1], [["relu", "tanh"], "sigmoid"])
    assert repr(net) == "Network(sizes=[2, 2, 1], layers=[dense:(relu, tanh), dense:sigmoid])"
    latex = net.latex()
    assert r"\operatorname{ReLU}\left(z^{(1)}_{1}\right)" in latex
    assert r"\tanh\left(z^{(1)}_{2}\right)" in latex
    assert r"\sigma\left(z^{(2)}\right)" in latex  # a shared activation as before
    assert r"\tanh\left(z^{(1)}_{2}\right)" in net._repr_html_()


def test_the_derivation_names_each_neurons_activation() -> None:
    net = Network.mlp([1, 2, 1], [["relu", "tanh"], "identity"])
    reasons = [step.reason_text for step in backprop(net, LOSSES["mse"]).derivation().steps]
    assert r"derivative of $\operatorname{ReLU}$ (the activation of neuron 1 of layer 1)" in reasons
    assert r"derivative of $\tanh$ (the activation of neuron 2 of layer 1)" in reasons


# --- piecewise-linear functions, regions, homogeneity -------------------------------------------


def _relu_beside_identity(inputs: int) -> Network:
    # neuron 1: ReLU(x_1), neuron 2: x_last - 1 (identity); output their sum
    first = [[1] + [0] * (inputs - 1), [0] * (inputs - 1) + [1]]
    return Network.mlp(
        [inputs, 2, 1],
        [["relu", "identity"], "identity"],
        weights=[first, [[1, 1]]],
        biases=[[0, -1], [0]],
    )


def test_piecewise_linear_building_of_a_relu_beside_an_identity() -> None:
    f = PiecewiseLinear.from_network(_relu_beside_identity(1))
    # f(x) = max(0, x) + x - 1: slope 1 left of 0, slope 2 right of it
    assert f.breakpoints == (Fraction(0),)
    assert f.num_pieces() == 2
    assert [f(Fraction(v)) for v in (-2, 0, Fraction(1, 2), 2)] == [-3, -1, 0, 3]
    assert region_boundaries_1d(_relu_beside_identity(1)) == [Fraction(0)]


def test_regions_count_only_the_neurons_with_a_kink() -> None:
    regions = regions_2d(_relu_beside_identity(2), box=1)
    # only ReLU(x_1) cuts the square [-1, 1]^2: two halves of area 2
    assert sorted((r.pattern, r.area()) for r in regions) == [
        (((0,), ()), Fraction(2)),
        (((1,), ()), Fraction(2)),
    ]


def test_homogeneity_of_a_mixed_bias_free_network() -> None:
    net = Network.mlp(
        [1, 2, 1],
        [["relu", "identity"], "identity"],
        weights=[[[1], [-1]], [[1, 1]]],
        biases=[[0, 0], [0]],
    )
    assert homogeneity_degree(net) == 2
    # f(x) = ReLU(x) - x; scaling every weight by 3 scales f by 3^2: f(2) = 0 -> 0, f(-2) = 2
    assert scale_weights(net, 3).forward([-2]) == sp.Matrix([18])
    smooth = Network.mlp([1, 2, 1], [["relu", "tanh"], "identity"], biases=[[0, 0], [0]])
    with pytest.raises(ValueError, match="layer 1, neuron 2, uses tanh"):
        homogeneity_degree(smooth)


# --- text forms ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "layers"),
    [
        ("sigmoid, identity", ["sigmoid", "identity"]),
        ("relu,tanh;identity", [["relu", "tanh"], "identity"]),
        ("relu tanh sigmoid ; identity", [["relu", "tanh", "sigmoid"], "identity"]),
        ([["relu", "tanh"], "identity"], [["relu", "tanh"], "identity"]),
    ],
)
def test_activations_read_from_text(text: str | list[object], layers: list[object]) -> None:
    assert read_layer_activations(text) == layers


@pytest.mark.parametrize(
    ("text", "error", "message"),
    [
        ("relu,tanh;", ValueError, "layer 2 has no activation name"),
        ("", ValueError, "semicolons"),
        ([["relu", 2]], TypeError, "layer 1 is"),
        (3, TypeError, "semicolons"),
    ],
)
def test_bad_activation_text_is_refused(text: object, error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=message):
        read_layer_activations(text)  # type: ignore[arg-type]


def test_a_problem_file_may_give_each_neuron_its_activation() -> None:
    problem, _ = load_problem_text(
        '[network]\nsizes = [1, 2, 1]\nactivations = "relu, tanh; identity"\nloss = "mse"\n'
        'wrt = "W1"\n'
    )
    as_list, _ = load_problem_text(
        '[network]\nsizes = [1, 2, 1]\nactivations = [["relu", "tanh"], "identity"]\n'
        'loss = "mse"\nwrt = "W1"\n'
    )
    assert problem.truth == as_list.truth
    assert problem.truth.has(sp.tanh)
    assert problem.truth.has(sp.Heaviside)
    with pytest.raises(ProblemFieldError, match=r"activations.*2 neuron"):
        load_problem_text(
            '[network]\nsizes = [1, 2, 1]\nactivations = "relu, tanh, tanh; identity"\n'
            'loss = "mse"\nwrt = "W1"\n'
        )


def test_derive_accepts_an_activation_per_neuron(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["derive", "--sizes", "1,2,1", "--activations", "relu,tanh;identity", "--verify"])
    out = capsys.readouterr().out
    assert code == 0, out
    assert "every δ equals ∂C/∂z" in out
    assert "neuron 2 of layer 1" in out
