"""Exact networks: construction, exact values, the sequence view, display, bad input."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
import sympy as sp

from symdl.core.activations import get_activation
from symdl.core.network import (
    Dense,
    FloatConversion,
    Maxout,
    Network,
    SoftmaxLayer,
    exact_matrix,
)


def maxout_network() -> Network:
    """2 inputs -> maxout (2 units, 3 pieces) -> identity output."""
    Ws = tuple(
        exact_matrix(w, (2, 2)) for w in ([[1, 0], [0, 1]], [[-1, 0], [0, -1]], [[1, 1], [1, -1]])
    )
    bs = tuple(exact_matrix(b, (2, 1)) for b in ([0, 0], [0, 0], [-1, 2]))
    out = Dense(
        exact_matrix([[1, -1]], (1, 2)), exact_matrix([3], (1, 1)), get_activation("identity")
    )
    return Network([Maxout(Ws, bs), out])


def test_symbolic_mlp_has_lecture_names_and_shapes() -> None:
    net = Network.mlp([2, 3, 1], ["sigmoid", "identity"])
    assert net.sizes == (2, 3, 1)
    assert net.layers[0].W.shape == (3, 2)
    assert net.layers[1].b.shape == (1, 1)
    assert len(net.parameters) == 3 * 2 + 3 + 1 * 3 + 1
    assert str(net.layers[0].W[2, 1]) == "w^{(1)}_{32}"
    assert str(net.layers[1].b[0]) == "b^{(2)}_{1}"
    assert all(p.is_real for p in net.parameters)
    assert [str(x) for x in net.inputs] == ["x_{1}", "x_{2}"]
    assert not net.is_exact


def test_wide_layers_separate_indices() -> None:
    net = Network.mlp([12, 1], "identity")
    assert str(net.layers[0].W[0, 11]) == "w^{(1)}_{1,12}"


def test_relu_network_with_rational_weights_is_exact() -> None:
    W1 = [[sp.Rational(1, 3), -1], [2, sp.Rational(-1, 7)]]
    net = Network.mlp(
        [2, 2, 1],
        ["relu", "identity"],
        weights=[W1, [[1, 1]]],
        biases=[[sp.Rational(1, 2), 0], [sp.Rational(-1, 5)]],
    )
    out = net.forward([sp.Rational(3, 2), Fraction(1, 4)])[0]
    # by hand: z1 = (1/2 - 1/4 + 1/2, 3 - 1/28) = (3/4, 83/28); relu keeps both
    assert out == sp.Rational(3, 4) + sp.Rational(83, 28) - sp.Rational(1, 5)
    assert out.is_Rational
    assert not out.has(sp.Float)
    # an input where the first unit is cut by the ReLU: z1 = (1/3*(-3) - 0 + 1/2) < 0
    assert net.forward([-3, 0])[0] == 0 + sp.Max(0, -6) - sp.Rational(1, 5)


def test_numpy_integer_arrays_are_exact_and_floats_need_consent() -> None:
    W = np.array([[1, 2]])
    net = Network.mlp([2, 1], "identity", weights=[W], biases=[np.array([0])])
    assert net.forward([1, 1])[0] == 3
    with pytest.raises(TypeError, match=r"0\.1.*float.*FloatConversion\.DECIMAL"):
        Network.mlp([1, 1], "identity", weights=[[[0.1]]], biases=[[0]])
    decimal = Network.mlp(
        [1, 1],
        "identity",
        weights=[np.array([[0.1]])],
        biases=[[0]],
        floats=FloatConversion.DECIMAL,
    )
    assert decimal.layers[0].W[0, 0] == sp.Rational(1, 10)
    binary = Network.mlp(
        [1, 1], "identity", weights=[[[0.1]]], biases=[[0]], floats=FloatConversion.BINARY
    )
    assert binary.layers[0].W[0, 0] == sp.Rational(3602879701896397, 36028797018963968)
    with pytest.raises(TypeError, match=r"0\.5000+ is a float and symdl computes exactly"):
        Network.mlp([1, 1], "identity", weights=[[[sp.Float(0.5)]]], biases=[[0]])
    # a SymPy Float converts like a Python float: DECIMAL 1/10, BINARY its exact binary value
    sympy_binary = Network.mlp(
        [1, 1], "identity", weights=[[[sp.Float(0.1)]]], biases=[[0]], floats=FloatConversion.BINARY
    )
    assert sympy_binary.layers[0].W[0, 0] == sp.Rational(3602879701896397, 36028797018963968)
    sympy_decimal = Network.mlp(
        [1, 1],
        "identity",
        weights=[[[sp.Float(0.1)]]],
        biases=[[0]],
        floats=FloatConversion.DECIMAL,
    )
    assert sympy_decimal.layers[0].W[0, 0] == sp.Rational(1, 10)


def test_forward_without_input_is_symbolic_and_with_input_is_substituted() -> None:
    net = Network.mlp([2, 1], "tanh")
    w1, w2, b = net.parameters
    x1, x2 = net.inputs
    assert net.forward()[0] == sp.tanh(w1 * x1 + w2 * x2 + b)
    assert net.forward([1, 2])[0] == sp.tanh(w1 + 2 * w2 + b)


def test_substitute_fixes_parameters() -> None:
    net = Network.mlp([1, 1, 1], ["relu", "identity"])
    values = dict(zip(net.parameters, [2, -1, 3, 1], strict=True))
    exact = net.substitute(values)
    assert exact.is_exact
    assert exact.forward([2])[0] == 3 * max(0, 2 * 2 - 1) + 1
    partial = net.substitute({net.parameters[0]: 5})
    assert len(partial.parameters) == 3
    stranger = sp.Symbol("w")
    with pytest.raises(ValueError, match=r"'w' is not a parameter|w is not a parameter"):
        net.substitute({stranger: 1})


def test_trace_exposes_every_layer() -> None:
    net = Network.mlp([2, 3, 2], ["relu", "sigmoid"])
    trace = net.trace()
    assert trace.z[0] is None
    assert list(trace.a[0]) == list(net.inputs)
    assert len(trace.z) == len(trace.a) == 3
    assert trace.a[1] == trace.z[1].applyfunc(lambda u: sp.Max(0, u))
    assert trace.z[2] == net.layers[1].W * trace.a[1] + net.layers[1].b
    assert trace.a[2] == net.forward()


def test_softmax_output_is_a_probability_vector() -> None:
    net = Network.mlp([2, 3], "softmax")
    assert isinstance(net.layers[0], SoftmaxLayer)
    out = net.forward()
    assert sp.simplify(sum(out) - 1) == 0
    exact = Network.mlp([1, 2], "softmax", weights=[[[1], [0]]], biases=[[0, 0]])
    assert exact.forward([sp.log(3)])[0] == sp.Rational(3, 4)
    with pytest.raises(ValueError, match="only the last layer"):
        Network.mlp([2, 3, 1], ["softmax", "identity"])


def test_maxout_layer_takes_the_maximum_piece() -> None:
    net = maxout_network()
    # x = (2, -3): pieces for unit 1: 2, -2, 2 + (-3) - 1 = -2 -> 2;
    #              unit 2: -3, 3, 2 + 3 + 2 = 7 -> 7; output 2 - 7 + 3 = -2
    assert net.forward([2, -3])[0] == -2
    assert net.layers[0].k == 3


@pytest.mark.parametrize(
    "build",
    [
        lambda: Network.mlp([2, 3, 1], ["sigmoid", "identity"]),
        lambda: Network.mlp([3, 2, 2], ["relu", "softmax"]),
        lambda: Network.mlp([1, 2, 2, 1], ["tanh", "leaky_relu", "elu"]),
        maxout_network,
    ],
)
def test_sequence_view_with_folded_bias_equals_layer_view(build) -> None:  # type: ignore[no-untyped-def]
    net = build()
    stages = net.sequence()
    assert len(stages) == net.depth
    for stage, layer in zip(stages, net.layers, strict=True):
        # the first column of the augmented matrix is the bias ("zero-indexed bias")
        bias = layer.bs[0] if isinstance(layer, Maxout) else layer.b
        assert stage.affine[: bias.rows, 0] == bias
    assert net.forward_sequence() == net.forward()


def test_latex_is_written_as_a_lecturer_writes() -> None:
    net = Network.mlp([2, 2, 1], ["relu", "sigmoid"])
    tex = net.latex()
    assert r"z^{(1)} &=" in tex
    assert r"a^{(1)} &= \operatorname{ReLU}\left(z^{(1)}\right)" in tex
    assert r"a^{(2)} &= \sigma\left(z^{(2)}\right)" in tex
    assert "Max" not in tex
    assert "Heaviside" not in tex
    assert net._repr_latex_().startswith("$$\\begin{aligned}")
    assert "\\[" in net._repr_html_()
    assert "w^{(1)}_{21}" in tex


def test_mismatched_sizes_are_rejected() -> None:
    relu = get_activation("relu")
    first = Dense(sp.ones(3, 2), sp.zeros(3, 1), relu)
    second = Dense(sp.ones(1, 2), sp.zeros(1, 1), relu)
    with pytest.raises(ValueError, match="layer 2 takes 2 inputs but layer 1 gives 3 outputs"):
        Network([first, second])
    with pytest.raises(ValueError, match=r"shape \(2, 2\).*needs shape \(3, 2\)"):
        Network.mlp([2, 3], "relu", weights=[[[1, 2], [3, 4]]])
    with pytest.raises(ValueError, match="2 activations given for 1 layers"):
        Network.mlp([2, 3], ["relu", "relu"])
    with pytest.raises(ValueError, match="positive integer"):
        Network.mlp([2, 0, 1], "relu")
    with pytest.raises(ValueError, match="bias of shape"):
        Dense(sp.ones(2, 2), sp.zeros(3, 1), relu)
    with pytest.raises(ValueError, match="takes 2 inputs; got 3"):
        Network.mlp([2, 1], "relu").forward([1, 2, 3])


def test_non_numeric_weights_are_rejected() -> None:
    with pytest.raises(TypeError, match=r"'abc'.*not a number"):
        Network.mlp([1, 1], "relu", weights=[[["abc"]]], biases=[[0]])
    with pytest.raises(TypeError, match="boolean"):
        Network.mlp([1, 1], "relu", weights=[[[True]]], biases=[[0]])
    with pytest.raises(ValueError, match="unknown activation 'rectifier'"):
        Network.mlp([1, 1], "rectifier")
    with pytest.raises(TypeError, match="Dense, Maxout, SoftmaxLayer"):
        Network(["relu"])  # type: ignore[list-item]
    with pytest.raises(TypeError, match=r"x\[0\]=0\.5 is a float"):
        Network.mlp([1, 1], "relu").forward([0.5])


def test_more_bad_input_names_the_value() -> None:
    with pytest.raises(ValueError, match=r"weights has 1 entries.*one per layer \(None"):
        Network.mlp([1, 1, 1], "relu", weights=[[[1]]])
    with pytest.raises(ValueError, match="biases has 3 entries for 2 layers"):
        Network.mlp([1, 1, 1], "relu", biases=[[0], [0], [0]])
    with pytest.raises(TypeError, match=r"sizes='231' must be a list of positive integers"):
        Network.mlp("231", "relu")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"sizes=\[2\] needs an input size and at least one"):
        Network.mlp([2], "relu")
    net = Network.mlp([1, 1], "identity")
    w, _ = net.parameters
    with pytest.raises(TypeError, match=r"w\^\{\(1\)\}_\{11\}=0\.5 is a float"):
        net.substitute({w: 0.5})
    with pytest.raises(TypeError, match=r"w\^\{\(1\)\}_\{11\}='2'.*not a number"):
        net.substitute({w: "2"})
    with pytest.raises(ValueError, match=r"weights\[0\]\[0\]\[0\]=nan is not finite"):
        Network.mlp([1, 1], "relu", weights=[[[float("nan")]]], floats=FloatConversion.DECIMAL)
    with pytest.raises(TypeError, match="nested lists, a NumPy array or a SymPy Matrix"):
        exact_matrix({1: 2}, (1, 1))
    one = exact_matrix([[1]], (1, 1))
    with pytest.raises(ValueError, match=r"k >= 2 pieces.*got 1 weight matrices and 1 biases"):
        Maxout((one,), (one,))
    with pytest.raises(ValueError, match=r"equal shapes; got \(1, 2\) and \(1, 1\)"):
        Maxout((one, exact_matrix([[1, 2]], (1, 2))), (one, one))
    with pytest.raises(ValueError, match="1 input symbols given for 2 inputs"):
        Network([Dense(sp.ones(1, 2), sp.zeros(1, 1), get_activation("relu"))], inputs=[w])


def test_weight_matrices_with_rows_of_different_lengths_say_so() -> None:
    with pytest.raises(ValueError, match=r"weights\[0\]: the rows have different lengths \(1, 2\)"):
        Network.mlp([2, 2], "relu", weights=[[[1, 2], [3]]], biases=[[0, 0]])
    with pytest.raises(
        ValueError, match=r"weights\[0\] = \[1, 2\]: a weight matrix is a list of 2"
    ):
        Network.mlp([2, 2], "relu", weights=[[1, 2]], biases=[[0, 0]])
    # a one-input layer may give its column as a flat list, as before
    net = Network.mlp([1, 2], "identity", weights=[[3, 4]], biases=[[0, 0]])
    assert net.forward([1]) == sp.Matrix([3, 4])


def test_a_dense_layer_needs_an_activation_object() -> None:
    with pytest.raises(TypeError, match=r"activation='relu' is not an Activation.*get_activation"):
        Dense(sp.ones(1, 1), sp.zeros(1, 1), "relu")  # type: ignore[arg-type]
