"""The symbolic forward pass (lambdified) against the independent NumPy evaluator, and both
against exact and 50-digit values."""

from __future__ import annotations

from collections.abc import Callable

import mpmath
import numpy as np
import pytest
import sympy as sp

from symdl.core import numeric
from symdl.core.activations import ACTIVATIONS
from symdl.core.network import Dense, Maxout, Network, exact_matrix

NAMES = sorted(ACTIVATIONS)


def random_params(net: Network, rng: np.random.Generator) -> dict[sp.Symbol, float]:
    return {p: float(rng.normal()) for p in net.parameters}


def inputs(n: int, rng: np.random.Generator, *, scale: float) -> np.ndarray:
    X = rng.normal(scale=scale, size=(64, n))
    X[:4] = 0.0  # exactly at the kinks of a bias-free first layer
    X[4:8] = 1e-12 * rng.normal(size=(4, n))
    return X


def assert_symbolic_matches_numeric(
    net: Network, X: np.ndarray, params: dict[sp.Symbol, float]
) -> None:
    symbolic = net.lambdify()(X, params)
    independent = numeric.forward(net, X, params)
    np.testing.assert_allclose(symbolic, independent, rtol=1e-12, atol=1e-300)


def architectures(hidden: str) -> list[Callable[[], Network]]:
    return [
        lambda: Network.mlp([2, 3, 1], [hidden, "identity"]),
        lambda: Network.mlp([3, 4, 4, 2], [hidden, hidden, "identity"]),
        lambda: Network.mlp([2, 5, 3], [hidden, "softmax"]),
    ]


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("arch", [0, 1, 2])
def test_lambdified_forward_agrees_with_numeric(
    name: str, arch: int, rng: np.random.Generator
) -> None:
    net = architectures(name)[arch]()
    params = random_params(net, rng)
    assert_symbolic_matches_numeric(net, inputs(net.n_inputs, rng, scale=2.0), params)


@pytest.mark.parametrize("name", NAMES)
def test_agreement_at_large_magnitude(name: str, rng: np.random.Generator) -> None:
    net = Network.mlp([2, 3, 1], [name, "identity"])
    params = random_params(net, rng)
    assert_symbolic_matches_numeric(net, inputs(2, rng, scale=300.0), params)


def test_maxout_network_agrees(rng: np.random.Generator) -> None:
    from symdl.core.network import symbolic_bias, symbolic_matrix

    layer = Maxout(
        tuple(symbolic_matrix(3, 2, 1, piece=p) for p in (1, 2, 3)),
        tuple(symbolic_bias(3, 1, piece=p) for p in (1, 2, 3)),
    )
    out = Dense(symbolic_matrix(1, 3, 2), symbolic_bias(1, 2), ACTIVATIONS["identity"])
    net = Network([layer, out])
    assert_symbolic_matches_numeric(net, inputs(2, rng, scale=3.0), random_params(net, rng))


def test_a_wrong_numpy_activation_is_caught(rng: np.random.Generator) -> None:
    from dataclasses import replace

    tanh = ACTIVATIONS["tanh"]
    wrong = replace(tanh, numpy_form=lambda x: np.tanh(x) * (1 + 1e-9))
    good = Network.mlp([2, 3, 1], [tanh, "identity"])
    bad = Network([Dense(good.layers[0].W, good.layers[0].b, wrong), good.layers[1]])
    params = random_params(good, rng)
    X = inputs(2, rng, scale=1.0)
    assert_symbolic_matches_numeric(good, X, params)
    with pytest.raises(AssertionError):
        assert_symbolic_matches_numeric(bad, X, params)


def test_exact_relu_network_against_floats_and_mpmath() -> None:
    third = sp.Rational(1, 3)
    net = Network.mlp(
        [2, 2, 1],
        ["relu", "identity"],
        weights=[[[third, -1], [2, sp.Rational(-1, 7)]], [[1, -3]]],
        biases=[[sp.Rational(1, 2), 0], [sp.Rational(-1, 5)]],
    )
    x = [sp.Rational(3, 2), sp.Rational(1, 4)]
    exact = net.forward(x)[0]
    assert exact.is_Rational
    assert numeric.forward(net, [[1.5, 0.25]])[0, 0] == pytest.approx(float(exact), rel=1e-15)
    with mpmath.workdps(60):
        value = numeric.forward_mp(net, x, dps=50)[0]
        assert abs(value - mpmath.mpf(exact.p) / exact.q) < mpmath.mpf(10) ** -48


@pytest.mark.parametrize("name", ["sigmoid", "tanh", "elu", "softplus"])
def test_fifty_digits_agree_with_sympy_evaluation(name: str) -> None:
    net = Network.mlp(
        [2, 2, 1],
        [name, "identity"],
        weights=[[[sp.Rational(3, 2), -2], [sp.Rational(1, 3), 1]], [[1, sp.Rational(-2, 5)]]],
        biases=[[sp.Rational(-1, 2), 1], [sp.Rational(1, 7)]],
    )
    x = [sp.Rational(1, 3), sp.Rational(-5, 4)]
    reference = sp.N(net.forward(x)[0], 60)
    with mpmath.workdps(60):
        value = numeric.forward_mp(net, x, dps=50)[0]
        assert abs(value - mpmath.mpf(str(reference))) < mpmath.mpf(10) ** -48
    assert numeric.forward(net, [[1 / 3, -1.25]])[0, 0] == pytest.approx(
        float(reference), rel=1e-14
    )


def test_numeric_forward_on_an_exact_softmax_network() -> None:
    net = Network.mlp([1, 2], "softmax", weights=[[[1], [0]]], biases=[[0, 0]])
    out = numeric.forward(net, [[np.log(3.0)], [1000.0]])
    np.testing.assert_allclose(out, [[0.75, 0.25], [1.0, 0.0]], rtol=1e-14)
    assert net.forward([sp.log(3)])[0] == sp.Rational(3, 4)


def test_layer_arrays_shapes() -> None:
    net = Network.mlp([2, 3, 1], ["relu", "identity"])
    arrays = numeric.layer_arrays(net, dict.fromkeys(net.parameters, 1.0))
    assert [W.shape for W, _ in arrays] == [(3, 2), (1, 3)]
    assert [b.shape for _, b in arrays] == [(3,), (1,)]
    layer = Maxout((exact_matrix([[1]], (1, 1)),) * 2, (exact_matrix([0], (1, 1)),) * 2)
    W, b = numeric.layer_arrays(Network([layer]))[0]
    assert W.shape == (2, 1, 1)
    assert b.shape == (2, 1)


def test_bad_input() -> None:
    net = Network.mlp([2, 1], "relu")
    with pytest.raises(ValueError, match="free parameters"):
        numeric.forward(net, [[1.0, 2.0]])
    with pytest.raises(
        ValueError, match=r"no value given for the parameter\(s\) b\^\{\(1\)\}_\{1\}"
    ):
        numeric.forward(net, [[1.0, 2.0]], dict.fromkeys(net.parameters[:2], 1.0))
    with pytest.raises(ValueError, match=r"shape \(1, 3\).*2 inputs"):
        numeric.forward(net, [[1.0, 2.0, 3.0]], dict.fromkeys(net.parameters, 1.0))
    with pytest.raises(ValueError, match="takes 2 inputs; got 1"):
        numeric.forward_mp(net, [1], dict.fromkeys(net.parameters, 1))


def test_text_is_never_parsed() -> None:
    net = Network.mlp([1, 1], "identity")
    w, b = net.parameters
    with pytest.raises(TypeError, match=r"b\^\{\(1\)\}_\{1\}='__import__\(\"os\"\)' is text"):
        numeric.forward(net, [[1.0]], {w: 2, b: '__import__("os")'})
    with pytest.raises(TypeError, match=r"w\^\{\(1\)\}_\{11\}=\[2\] \(type list\) is not a number"):
        numeric.forward(net, [[1.0]], {w: [2], b: 0})
    exact = net.substitute({w: 1, b: 0})
    with pytest.raises(TypeError, match=r"x\[0\]='1/3' is text"):
        numeric.forward_mp(exact, ["1/3"])
    with mpmath.workdps(50):
        value = numeric.forward_mp(exact, [sp.Rational(1, 3)], dps=40)[0]
        assert abs(value - mpmath.mpf(1) / 3) < mpmath.mpf(10) ** -38


@pytest.mark.parametrize("name", NAMES)
def test_agreement_exactly_at_the_kinks(name: str, rng: np.random.Generator) -> None:
    # bias-free first layer: X = 0 puts every pre-activation of layer 1 exactly on the kink 0,
    # and X = ±1e-300 puts it on either side within a rounding error
    net = Network.mlp([2, 3, 1], [name, "identity"], biases=[[0, 0, 0], None])
    params = random_params(net, rng)
    X = np.array([[0.0, 0.0], [1e-300, 1e-300], [-1e-300, -1e-300], [1e-300, -1e-300]])
    assert_symbolic_matches_numeric(net, X, params)
    trace = numeric.forward_trace(net, X[:1], params)[0]
    assert (trace[1] == 0).all()
