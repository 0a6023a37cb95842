"""The activation registry: SymPy forms against independent NumPy forms, derivatives against
finite differences, kink conventions, and bad input."""

from __future__ import annotations

import warnings
from dataclasses import replace
from fractions import Fraction

import numpy as np
import pytest
import sympy as sp

from symdl.core.activations import (
    ACTIVATIONS,
    Activation,
    Kink,
    Sigmoid,
    Softplus,
    elu,
    get_activation,
    leaky_relu,
    pin_heaviside,
    relu,
)

z = sp.Symbol("z", real=True)
NAMES = sorted(ACTIVATIONS)


def lambdified(expr: sp.Expr) -> np.ufunc:
    function = sp.lambdify(z, expr, modules="numpy")

    def evaluate(x: np.ndarray) -> np.ndarray:
        with np.errstate(over="ignore"):  # a discarded Piecewise branch may overflow
            return np.broadcast_to(function(x), x.shape).astype(float)

    return evaluate


def sample_points(act: Activation, rng: np.random.Generator) -> np.ndarray:
    """Random points, points next to every kink, and points of large magnitude."""
    near = [float(k) + d for k in act.kinks for d in (-1e-9, -1e-300, 0.0, 1e-300, 1e-9)]
    large = [-1000.0, -700.0, -35.0, 35.0, 700.0, 1000.0]
    return np.concatenate([rng.normal(scale=3.0, size=200), near, large])


def derivative_mismatch(act: Activation, points: np.ndarray, *, h: float = 1e-6) -> float:
    """Worst relative disagreement between the symbolic derivative and central differences
    of the NumPy form, at points further than 10 h from every kink."""
    far = np.array([x for x in points if all(abs(x - float(k)) > 10 * h for k in act.kinks)])
    far = far[np.abs(far) < 30]
    symbolic = lambdified(act.derivative(z))(far)
    numeric = (act.numpy(far + h) - act.numpy(far - h)) / (2 * h)
    scale = np.maximum(np.abs(numeric), 1e-3)
    return float(np.max(np.abs(symbolic - numeric) / scale))


@pytest.mark.parametrize("name", NAMES)
def test_sympy_form_agrees_with_numpy_form(name: str, rng: np.random.Generator) -> None:
    act = ACTIVATIONS[name]
    x = sample_points(act, rng)
    symbolic = lambdified(act(z))(x)
    numeric = act.numpy(x)
    np.testing.assert_allclose(symbolic, numeric, rtol=1e-12, atol=0)


@pytest.mark.parametrize("name", NAMES)
def test_symbolic_derivative_agrees_with_numpy_derivative(
    name: str, rng: np.random.Generator
) -> None:
    act = ACTIVATIONS[name]
    x = sample_points(act, rng)
    symbolic, numeric = lambdified(act.derivative(z))(x), act.numpy_diff(x)
    # σ(1 - σ) evaluated in floats cancels for large |z|: relative agreement where it does
    # not, absolute agreement everywhere; mpmath decides which form is accurate (below)
    moderate = np.abs(x) < 5
    np.testing.assert_allclose(symbolic[moderate], numeric[moderate], rtol=1e-12, atol=1e-300)
    np.testing.assert_allclose(symbolic, numeric, rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("name", NAMES)
def test_numpy_derivative_is_accurate_against_mpmath(name: str) -> None:
    act = ACTIVATIONS[name]
    points = [sp.Rational(p) for p in ("-40", "-35/2", "-3/7", "1/3", "35/2", "40")]
    for point in points:
        referee = float(sp.N(act.derivative(point), 50))
        value = act.numpy_diff(np.array([float(point)]))[0]
        assert value == pytest.approx(referee, rel=1e-13, abs=1e-300), (name, point)


@pytest.mark.parametrize("name", NAMES)
def test_derivative_agrees_with_finite_differences(name: str, rng: np.random.Generator) -> None:
    act = ACTIVATIONS[name]
    assert derivative_mismatch(act, sample_points(act, rng)) < 1e-6


@pytest.mark.parametrize("name", NAMES)
def test_derivative_is_the_derivative_of_the_form_away_from_kinks(name: str) -> None:
    act = ACTIVATIONS[name]
    true = pin_heaviside(sp.diff(act(z), z))
    for point in [sp.Rational(-7, 3), sp.Rational(-1, 5), sp.Rational(2, 7), sp.Integer(3)]:
        difference = (true - act.derivative(z)).subs(z, point)
        assert sp.simplify(difference) == 0, (name, point)


def test_the_tester_rejects_a_wrong_derivative(rng: np.random.Generator) -> None:
    sigmoid = ACTIVATIONS["sigmoid"]
    off_by_a_thousandth = replace(
        sigmoid, sympy_derivative=lambda u: sp.Rational(1001, 1000) * Sigmoid(u) * (1 - Sigmoid(u))
    )
    sigma_for_sigma_prime = replace(sigmoid, sympy_derivative=Sigmoid)
    points = sample_points(sigmoid, rng)
    assert derivative_mismatch(sigmoid, points) < 1e-6
    assert derivative_mismatch(off_by_a_thousandth, points) > 5e-4
    assert derivative_mismatch(sigma_for_sigma_prime, points) > 0.1


@pytest.mark.parametrize(
    ("act", "expected"),
    [
        (relu(), 0),
        (relu(at_zero=Kink.HALF), sp.S.Half),
        (relu(at_zero=1), 1),
        (leaky_relu(), sp.Rational(1, 10)),
        (leaky_relu(a=sp.Rational(1, 4)), sp.Rational(1, 4)),
        (elu(), 1),
        (elu(alpha=2), 1),
        (ACTIVATIONS["step"], 0),
    ],
)
def test_derivative_at_the_kink_follows_the_convention(act: Activation, expected: int) -> None:
    assert act.derivative(sp.Integer(0)) == expected
    assert act.numpy_diff(np.array([0.0]))[0] == float(expected)


def test_no_bare_heaviside_leaks_from_relu() -> None:
    # SymPy's own derivative of Max(0, z) is Heaviside(z), which is 1/2 at 0
    assert sp.diff(sp.Max(0, z), z).subs(z, 0) == sp.S.Half
    assert pin_heaviside(sp.diff(relu()(z), z)).subs(z, 0) == 0
    assert relu().derivative(z).subs(z, 0) == 0
    assert pin_heaviside(sp.diff(relu()(z), z), sp.S.One).subs(z, 0) == 1


def test_exact_identities_of_the_smooth_activations() -> None:
    sigma = ACTIVATIONS["sigmoid"]
    assert sp.simplify(sigma(z).rewrite(sp.exp) - 1 / (1 + sp.exp(-z))) == 0
    assert (
        sp.simplify(sp.diff(sigma(z).rewrite(sp.exp), z) - sigma.derivative(z).rewrite(sp.exp)) == 0
    )
    assert sp.simplify(sp.diff(sp.tanh(z), z) - ACTIVATIONS["tanh"].derivative(z)) == 0
    assert sp.diff(Softplus(z), z) == Sigmoid(z)
    assert sp.simplify(sp.diff(Softplus(z).rewrite(sp.exp), z) - Sigmoid(z).rewrite(sp.exp)) == 0


def test_exact_values() -> None:
    assert relu()(sp.Rational(-3, 2)) == 0
    assert relu()(sp.Rational(3, 2)) == sp.Rational(3, 2)
    assert leaky_relu()(sp.Integer(-5)) == sp.Rational(-1, 2)
    assert ACTIVATIONS["step"](sp.Integer(0)) == 1
    assert ACTIVATIONS["step"](sp.Rational(-1, 9)) == 0
    assert elu()(sp.Integer(-1)) == sp.exp(-1) - 1
    assert Sigmoid(0) == sp.S.Half
    assert Softplus(0) == sp.log(2)


@pytest.mark.parametrize("name", ["sigmoid", "softplus", "tanh", "elu"])
def test_numpy_forms_are_stable_at_large_magnitude(name: str) -> None:
    act = ACTIVATIONS[name]
    x = np.array([-1000.0, -745.0, 745.0, 1000.0])
    with warnings.catch_warnings(), np.errstate(over="raise", invalid="raise", divide="raise"):
        warnings.simplefilter("error")
        values = act.numpy(x)
        slopes = act.numpy_diff(x)
    assert np.all(np.isfinite(values))
    assert np.all(np.isfinite(slopes))


def test_stable_forms_are_accurate_at_large_magnitude() -> None:
    sigmoid, softplus = ACTIVATIONS["sigmoid"], ACTIVATIONS["softplus"]
    x = np.array([-700.0, -40.0, 40.0, 1000.0])
    for xi, value in zip(x, sigmoid.numpy(x), strict=True):
        exact = float(sp.N(1 / (1 + sp.exp(-sp.Integer(int(xi)))), 30))
        assert value == pytest.approx(exact, rel=1e-14)
    for xi, value in zip(x, softplus.numpy(x), strict=True):
        exact = float(sp.N(sp.log(1 + sp.exp(sp.Integer(int(xi)))), 30))
        assert value == pytest.approx(exact, rel=1e-14)


def test_unknown_activation_names_the_value_and_the_choices() -> None:
    with pytest.raises(ValueError, match=r"'relux'.*accepted.*sigmoid.*relu"):
        get_activation("relux")
    with pytest.raises(TypeError, match="name or an Activation"):
        get_activation(3)  # type: ignore[arg-type]


def test_bad_parameters() -> None:
    with pytest.raises(TypeError, match=r"a=0\.1 is a float.*Rational"):
        get_activation("leaky_relu", a=0.1)
    with pytest.raises(TypeError, match="exact rational"):
        get_activation("leaky_relu", a="1/5")
    assert leaky_relu(a=Fraction(1, 4)).params["a"] == sp.Rational(1, 4)
    with pytest.raises(ValueError, match=r"\[0, 1\)"):
        leaky_relu(a=2)
    with pytest.raises(ValueError, match=r"unknown parameter.*'slope'.*accepted: a"):
        get_activation("leaky_relu", slope=sp.Rational(1, 5))
    with pytest.raises(ValueError, match="takes no parameters"):
        get_activation("sigmoid", a=1)
    with pytest.raises(ValueError, match=r"\['a'\] given with an Activation.*'leaky_relu'"):
        get_activation(leaky_relu(), a=sp.Rational(1, 5))
    with pytest.raises(ValueError, match="0, 1/2 or 1"):
        relu(at_zero=2)
    with pytest.raises(ValueError, match="positive"):
        elu(alpha=0)
    assert get_activation("leaky_relu", a=sp.Rational(1, 5)).params["a"] == sp.Rational(1, 5)
    assert get_activation("relu", at_zero=sp.S.Half).derivative(sp.Integer(0)) == sp.S.Half


def test_text_is_never_parsed() -> None:
    # sympify would evaluate the string; the activation refuses it instead
    for name in ("relu", "sigmoid"):
        with pytest.raises(TypeError, match=r"z='__import__\(\"os\"\)' is text.*sympy\.Symbol"):
            ACTIVATIONS[name]('__import__("os")')
        with pytest.raises(TypeError, match=r"z='1/2' is text"):
            ACTIVATIONS[name].derivative("1/2")
    with pytest.raises(TypeError, match=r"z=\[1\] \(type list\).*accepted: int"):
        relu()([1])  # type: ignore[arg-type]
    assert relu()(Fraction(-1, 3)) == 0
    assert ACTIVATIONS["identity"](Fraction(2, 3)) == sp.Rational(2, 3)


def test_latex_of_powers_of_the_named_functions() -> None:
    # SymPy's printer passes the exponent to _latex for f(z)**k
    assert sp.latex(Sigmoid(z) ** 2) == r"\sigma^{2}\left(z\right)"
    assert sp.latex(Softplus(z) ** 3) == r"\operatorname{softplus}^{3}\left(z\right)"
    assert sp.latex(ACTIVATIONS["elu"](z) ** 2) == r"\operatorname{ELU}^{2}\left(z\right)"
