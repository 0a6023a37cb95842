"""The operations of graph networks, each against values computed by hand or by an independent
loop over NumPy arrays: convolution (stride, zero and circular padding, 1-D and 2-D), pooling
with ties, batch norm on a batch of two, concatenation, and every bad input."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import numpy as np
import pytest
import sympy as sp

from symdl.core.activations import ACTIVATIONS, get_activation
from symdl.core.graph_operations import (
    KINDS,
    Activation,
    Add,
    AvgPool,
    BatchNorm,
    Concat,
    Conv,
    Dense,
    Flatten,
    MaxPool,
    Operation,
    PaddingMode,
    Softmax,
    conv_weight_symbol,
    operation_class,
    unit_index,
)

R = sp.Rational


def run(op: Operation, inputs: list[list[list[Any]]], shapes: list[tuple[int, ...]]) -> Any:
    """``op``'s value a = σ(v) for exact inputs, with the op's own parameters (named 'n')."""
    parameters = op.make_parameters("n", shapes)
    exact = [[[sp.sympify(v) for v in example] for example in node] for node in inputs]
    return op.activate(op.apply(exact, parameters, shapes))


# --- dense ----------------------------------------------------------------------------------------


def test_dense_computes_w_times_a_plus_b_by_hand() -> None:
    op = Dense(2, "relu", weights=[[1, R(1, 2)], [-2, 3]], bias=[R(1, 3), 0])
    # z_1 = 4 + 1/2·6 + 1/3 = 22/3, z_2 = -8 + 18 = 10; a = ReLU(z)
    assert run(op, [[[4, 6]]], [(2,)]) == [[R(22, 3), 10]]
    # a negative pre-activation is cut to 0
    assert run(op, [[[-4, 0]]], [(2,)]) == [[0, 8]]


def test_dense_reads_a_map_flat_in_row_major_order() -> None:
    # input (1, 2, 2) = [[1, 2], [3, 4]] read flat as 1, 2, 3, 4
    op = Dense(1, weights=[[1, 10, 100, 1000]], bias=[0])
    assert op.output_shape([(1, 2, 2)]) == (1,)
    assert run(op, [[[1, 2, 3, 4]]], [(1, 2, 2)]) == [[4321]]


def test_dense_symbols_are_named_after_the_node() -> None:
    params = Dense(2).make_parameters("h1", [(3,)])
    assert str(params["W"][1, 2]) == "w^{(h1)}_{23}"
    assert str(params["b"][0]) == "b^{(h1)}_{1}"
    assert params["W"][0, 0].is_real


def test_dense_treats_each_example_of_a_batch_alone() -> None:
    op = Dense(1, weights=[[2]], bias=[1])
    assert run(op, [[[1], [5], [-1]]], [(1,)]) == [[3], [11], [-1]]


# --- convolution ----------------------------------------------------------------------------------


def test_conv_1d_with_stride_2_and_zero_padding_by_hand() -> None:
    # x̃ = 0 | 1 2 3 4 5 | 0, kernel (1/2, 0, -1), bias 1/3, stride 2: L = (5 + 2 - 3)//2 + 1 = 3
    op = Conv(1, 3, stride=2, padding=1, weights=[[[R(1, 2), 0, -1]]], bias=[R(1, 3)])
    assert op.output_shape([(1, 5)]) == (1, 3)
    # i = 0: x̃[0:3] = 0, 1, 2 → 0 + 0 - 2;  i = 1: x̃[2:5] = 2, 3, 4 → 1 - 4;
    # i = 2: x̃[4:7] = 4, 5, 0 → 2 + 0 - 0
    assert run(op, [[[1, 2, 3, 4, 5]]], [(1, 5)]) == [[R(-5, 3), R(-8, 3), R(7, 3)]]


def test_conv_with_circular_padding_by_hand() -> None:
    # x̃ = 4 | 1 2 3 4 | 1 (wrapped around), kernel (1, 2, 3)
    op = Conv(1, 3, padding=1, padding_mode="circular", weights=[[[1, 2, 3]]], bias=[0])
    assert op.padding_mode is PaddingMode.CIRCULAR
    # 4+2+6, 1+4+9, 2+6+12, 3+8+3
    assert run(op, [[[1, 2, 3, 4]]], [(1, 4)]) == [[12, 14, 20, 14]]


def test_conv_sums_over_input_channels_and_keeps_output_channels_apart() -> None:
    # two input channels, two output channels, kernel 1: a 1×1 convolution mixes channels
    op = Conv(2, 1, weights=[[[1], [10]], [[-1], [0]]], bias=[0, 5])
    # input channel 0 = (1, 2), channel 1 = (3, 4): output 0 = (31, 42), output 1 = (4, 3)
    assert run(op, [[[1, 2, 3, 4]]], [(2, 2)]) == [[31, 42, 4, 3]]


def correlate_2d(x: np.ndarray, w: np.ndarray, b: np.ndarray, stride: Any, pad: Any, mode: str):
    """An independent 2-D cross-correlation: pad with NumPy, then a loop over every index."""
    x = np.pad(x, ((0, 0), (pad[0], pad[0]), (pad[1], pad[1])), mode=mode)
    O, C, KH, KW = w.shape
    H = (x.shape[1] - KH) // stride[0] + 1
    W = (x.shape[2] - KW) // stride[1] + 1
    out = np.zeros((O, H, W), dtype=np.int64)
    for o in range(O):
        for i in range(H):
            for j in range(W):
                total = b[o]
                for c in range(C):
                    for r in range(KH):
                        for s in range(KW):
                            total += w[o, c, r, s] * x[c, i * stride[0] + r, j * stride[1] + s]
                out[o, i, j] = total
    return out


@pytest.mark.parametrize(
    ("stride", "padding", "mode"),
    [((1, 1), (0, 0), "zeros"), ((2, 1), (1, 0), "zeros"), ((1, 2), (1, 2), "circular")],
)
def test_conv_2d_equals_a_hand_written_loop(
    rng: np.random.Generator, stride: Any, padding: Any, mode: str
) -> None:
    x = rng.integers(-5, 6, size=(2, 5, 4))
    w = rng.integers(-3, 4, size=(3, 2, 3, 2))
    b = rng.integers(-3, 4, size=3)
    op = Conv(3, (3, 2), stride=stride, padding=padding, padding_mode=mode, weights=w, bias=b)
    expected = correlate_2d(x, w, b, stride, padding, "constant" if mode == "zeros" else "wrap")
    shape = op.output_shape([(2, 5, 4)])
    assert shape == expected.shape
    got = run(op, [[x.reshape(-1).tolist()]], [(2, 5, 4)])
    assert got == [expected.reshape(-1).tolist()]


def test_conv_2d_symbols_and_one_weight_shared_by_every_position() -> None:
    op = Conv(1, 2)
    params = op.make_parameters("c", [(1, 3, 3)])
    assert params["W"].shape == (1, 1, 2, 2)
    assert params["W"][0, 0, 1, 0] == conv_weight_symbol("c", 1, 1, 2, 1)
    assert str(conv_weight_symbol("c", 1, 1, 2, 1)) == "w^{(c)}_{1,1,2,1}"
    x = [sp.Symbol(f"x{i}", real=True) for i in range(9)]
    v = op.apply([[x]], params, [(1, 3, 3)])[0]
    w = params["W"][0, 0, 0, 0]
    # the top-left weight meets x[0, 0], x[0, 1], x[1, 0], x[1, 1] at the four positions
    assert [sp.diff(e, w) for e in v] == [x[0], x[1], x[3], x[4]]


@pytest.mark.parametrize("N", range(1, 8))
def test_conv_output_length_follows_the_formula_for_every_padding_and_stride(N: int) -> None:
    for K in range(1, 5):
        for s in range(1, 4):
            for p in range(3):
                expected = (N + 2 * p - K) // s + 1
                op = Conv(2, K, stride=s, padding=p)
                if expected >= 1:
                    assert op.output_shape([(1, N)]) == (2, expected)
                    assert len(op.connections((1, N))) == 2 * expected
                    assert op.output_shape([(1, N, N + 1)]) == (
                        2,
                        expected,
                        (N + 1 + 2 * p - K) // s + 1,
                    )
                else:
                    with pytest.raises(ValueError, match=f"kernel {K} is larger"):
                        op.output_shape([(1, N)])


def test_conv_checks_kernel_tuples_and_weights() -> None:
    with pytest.raises(ValueError, match=r"kernel=\(2, 2\) has 2 entries.*1 spatial"):
        Conv(1, (2, 2)).output_shape([(1, 5)])
    with pytest.raises(ValueError, match=r"input channel"):
        Conv(1, 2, weights=[[[1, 2]]]).output_shape([(3, 5)])
    with pytest.raises(ValueError, match=r"weights"):
        Conv(1, 3, weights=[[[1, 2]]])  # a kernel of 2 for kernel=3
    with pytest.raises(ValueError, match=r"wrap around more than once"):
        Conv(1, 3, padding=3, padding_mode="circular").output_shape([(1, 2)])
    with pytest.raises(ValueError, match=r"circulr.*did you mean 'circular'"):
        Conv(1, 3, padding_mode="circulr")
    with pytest.raises(ValueError, match=r"signal \(C, N\) or an image.*\(1, 5\)"):
        Conv(1, 3).output_shape([(5,)])


# --- pooling --------------------------------------------------------------------------------------


def test_max_and_average_pooling_with_ties_by_hand() -> None:
    image = [1, 3, 3, 0, 3, 2, 1, 1]  # the 2×4 image [[1, 3, 3, 0], [3, 2, 1, 1]]
    shape = [(1, 2, 4)]
    assert MaxPool(2).output_shape(shape) == (1, 1, 2)
    # windows [[1, 3], [3, 2]] and [[3, 0], [1, 1]]: maxima 3 (three times) and 3
    assert run(MaxPool(2), [[image]], shape) == [[3, 3]]
    assert run(AvgPool(2), [[image]], shape) == [[R(9, 4), R(5, 4)]]
    # the window in row-major order: (0, 0), (0, 1), (1, 0), (1, 1)
    assert MaxPool(2).windows((1, 2, 4)) == ((0, 1, 4, 5), (2, 3, 6, 7))


def test_pooling_with_overlapping_windows_and_channels() -> None:
    signal = [2, 2, 1, 5, 0, -1, -1, 7]  # two channels of length 4
    assert run(MaxPool(3, stride=1), [[signal]], [(2, 4)]) == [[2, 5, 0, 7]]
    assert run(AvgPool(2, stride=1), [[signal]], [(2, 4)]) == [[2, R(3, 2), 3, R(-1, 2), -1, 3]]
    assert MaxPool(2).output_shape([(3, 5)]) == (3, 2)  # (5 - 2)//2 + 1: the last entry unused


def test_max_pool_of_symbols_is_sympy_max() -> None:
    x = sp.symbols("x:4", real=True)
    assert MaxPool(2).apply([[list(x)]], {}, [(1, 4)]) == [[sp.Max(x[0], x[1]), sp.Max(x[2], x[3])]]


def test_pool_window_larger_than_input_is_refused() -> None:
    with pytest.raises(ValueError, match=r"pooling window 5 is larger than the input on axis 1"):
        MaxPool(5).output_shape([(1, 4)])
    with pytest.raises(ValueError, match=r"pooling window 3 .* axis 2"):
        AvgPool((1, 3)).output_shape([(1, 4, 2)])


# --- batch norm -----------------------------------------------------------------------------------


def test_batch_norm_of_two_examples_is_plus_minus_gamma_over_root_by_hand() -> None:
    op = BatchNorm()
    params = op.make_parameters("n", [(1,)])
    gamma, beta = params["gamma"][0], params["beta"][0]
    assert str(gamma) == "\\gamma^{(n)}_{1}"
    # x = 3 and 2: μ = 5/2, σ² = 1/4, x̂ = ±(1/2)/√(1/4 + ε) = ±1/√(1 + 4ε)
    eps = R(1, 100000)
    v = op.apply([[[3], [2]]], params, [(1,)])
    root = sp.sqrt(1 + 4 * eps)
    assert sp.simplify(v[0][0] - (gamma / root + beta)) == 0
    assert sp.simplify(v[1][0] - (-gamma / root + beta)) == 0


def test_batch_norm_normalises_each_channel_over_batch_and_positions_by_hand() -> None:
    op = BatchNorm(eps=1, gamma=[2, 1], beta=[0, R(1, 2)])
    # channel 0: values 1, 3 | 1, 3 → μ = 2, σ² = 1, x̂ = ±1/√2, 2·x̂ = ±√2
    # channel 1: values 0, 0 | 0, 4 → μ = 1, σ² = (1 + 1 + 1 + 9)/4 = 3, x̂ = (x - 1)/2
    got = run(op, [[[1, 3, 0, 0], [1, 3, 0, 4]]], [(2, 2)])
    root2 = sp.sqrt(2)
    assert got == [[-root2, root2, 0, 0], [-root2, root2, 0, 2]]


def test_batch_norm_refuses_a_batch_of_one_and_a_bad_eps() -> None:
    op = BatchNorm()
    with pytest.raises(ValueError, match=r"at least 2 examples"):
        op.apply([[[1]]], op.make_parameters("n", [(1,)]), [(1,)])
    with pytest.raises(ValueError, match=r"eps=0 must be positive"):
        BatchNorm(eps=0)
    with pytest.raises(ValueError, match=r"gamma has 3 entries.*2 channels"):
        BatchNorm(gamma=[1, 1, 1]).output_shape([(2, 5)])


# --- sums, concatenation, activation, flatten, softmax --------------------------------------------


def test_add_and_concat_by_hand() -> None:
    assert run(Add(), [[[1, 2]], [[10, 20]], [[100, 200]]], [(2,)] * 3) == [[111, 222]]
    # concatenation along the first axis: units u1, u2, v1
    assert run(Concat(), [[[1, 2]], [[3]]], [(2,), (1,)]) == [[1, 2, 3]]
    # of maps: channels of u, then channels of v
    assert Concat().output_shape([(1, 2), (2, 2)]) == (3, 2)
    assert run(Concat(), [[[1, 2]], [[3, 4, 5, 6]]], [(1, 2), (2, 2)]) == [[1, 2, 3, 4, 5, 6]]


def test_add_and_concat_refuse_mismatched_shapes() -> None:
    with pytest.raises(ValueError, match=r"input 1 has shape 3, input 2 has 4"):
        Add().output_shape([(3,), (4,)])
    with pytest.raises(ValueError, match=r"input 1 has shape 1×2, input 2 has 1×3"):
        Concat().output_shape([(1, 2), (1, 3)])
    with pytest.raises(ValueError, match=r"at least 2 input"):
        Add().output_shape([(3,)])


def test_activation_flatten_and_softmax() -> None:
    assert run(Activation("relu"), [[[-1, 2]]], [(2,)]) == [[0, 2]]
    assert run(Activation("leaky_relu"), [[[-1, 2]]], [(2,)]) == [[R(-1, 10), 2]]
    assert Flatten().output_shape([(2, 3, 3)]) == (18,)
    assert run(Flatten(), [[[1, 2, 3, 4]]], [(2, 2)]) == [[1, 2, 3, 4]]
    # softmax(0, log 3) = (1/4, 3/4)
    assert run(Softmax(), [[[0, sp.log(3)]]], [(2,)]) == [[R(1, 4), R(3, 4)]]
    with pytest.raises(ValueError, match=r"not elementwise"):
        Dense(2, "softmax")


# --- bad input and comparison ---------------------------------------------------------------------


def test_float_weights_are_refused_naming_the_entry() -> None:
    with pytest.raises(TypeError, match=r"weights\[0\]\[1\]=0.5 is a float"):
        Dense(1, weights=[[1, 0.5]])
    with pytest.raises(TypeError, match=r"bias\[0\]=.* is a float"):
        Conv(1, 1, bias=np.array([0.25]))
    with pytest.raises(TypeError, match=r"gamma\[0\]=.* is a float"):
        BatchNorm(gamma=[sp.Float(1.5)])


def test_exact_values_of_every_accepted_kind() -> None:
    op = Dense(1, weights=np.array([[1, 2]]), bias=[Fraction(1, 2)])
    assert op.weights is not None
    assert op.weights.tolist() == [[1, 2]]
    assert op.bias is not None
    assert op.bias.tolist() == [R(1, 2)]
    w = sp.Symbol("w", real=True)
    assert Dense(1, weights=[[w, 1]], bias=sp.Matrix([0])).weights[0, 0] == w
    with pytest.raises(ValueError, match=r"not known to be real"):
        Dense(1, weights=[[sp.Symbol("w"), 1]])


def test_bad_hyperparameters_name_the_value() -> None:
    with pytest.raises(ValueError, match=r"units=0 must be an integer ≥ 1"):
        Dense(0)
    with pytest.raises(TypeError, match=r"units=True is not an integer"):
        Dense(True)
    with pytest.raises(ValueError, match=r"stride=0"):
        Conv(1, 2, stride=0)
    with pytest.raises(ValueError, match=r"padding=-1"):
        Conv(1, 2, padding=-1)
    with pytest.raises(ValueError, match=r"bias has 3 entries"):
        Dense(2, bias=[1, 2, 3])
    with pytest.raises(ValueError, match=r"weights has 3 column"):
        Dense(1, weights=[[1, 2, 3]]).output_shape([(2,)])
    with pytest.raises(ValueError, match=r"not rectangular"):
        Dense(2, weights=[[1, 2], [3]])
    with pytest.raises(ValueError, match=r"unknown activation 'rel'.*did you mean 'relu'"):
        Dense(2, "rel")


def test_operations_compare_by_hyperparameters_and_rebuild() -> None:
    assert Dense(3, "relu") == Dense(3, get_activation("relu"))
    assert Dense(3, "relu") != Dense(3, "tanh")
    assert Dense(3) != Dense(3, weights=[[1]] * 3)
    assert Activation("leaky_relu") == Activation(get_activation("leaky_relu", a=R(1, 10)))
    assert Activation("leaky_relu") != Activation(get_activation("leaky_relu", a=R(1, 5)))
    assert len({Conv(2, 3), Conv(2, 3), MaxPool(2)}) == 2
    op = Conv(1, 2).with_parameters({"W": [[[1, 2]]], "b": [0]})
    assert op == Conv(1, 2, weights=[[[1, 2]]], bias=[0])
    assert repr(Dense(3, "relu")) == "Dense(3, activation='relu')"
    assert repr(Conv(2, 3, stride=2)) == "Conv(2, 3, stride=2)"
    with pytest.raises(ValueError, match=r"no parameter"):
        Add().with_parameters({"W": [[1]]})


def test_every_kind_has_its_class_and_identity_where_no_activation() -> None:
    assert KINDS == (
        "dense", "conv", "max_pool", "avg_pool", "batch_norm", "add", "concat", "activation",
        "flatten", "softmax",
    )  # fmt: skip
    for kind in KINDS:
        assert operation_class(kind).kind == kind
    for op in (MaxPool(2), AvgPool(2), BatchNorm(), Add(), Concat(), Flatten(), Softmax()):
        assert op.activation is ACTIVATIONS["identity"]
    with pytest.raises(ValueError, match=r"'maxpool' .*did you mean 'max_pool'"):
        operation_class("maxpool")


def test_unit_index_is_row_major() -> None:
    # numpy's own unravel_index is the independent oracle
    for flat in range(24):
        assert unit_index((2, 3, 4), flat) == tuple(np.unravel_index(flat, (2, 3, 4)))
