"""Exact piecewise-linear functions: arithmetic against pointwise evaluation, conversions."""

from __future__ import annotations

import itertools
from fractions import Fraction

import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from symdl.core import numeric
from symdl.core.activations import get_activation
from symdl.core.exceptions import NotSupportedError
from symdl.core.network import Dense, FloatConversion, Network
from symdl.depth.piecewise import PiecewiseLinear
from symdl.depth.rational_arrays import RationalArray

X = sp.Symbol("x", real=True)
F = Fraction


def tent(x: F) -> F:
    """The tent map written directly, as the independent reference."""
    if 0 <= x <= F(1, 2):
        return 2 * x
    if F(1, 2) < x <= 1:
        return 2 - 2 * x
    return F(0)


def random_pl(rng: np.random.Generator, pieces: int) -> PiecewiseLinear:
    """A random continuous function: random breakpoints and values, random end slopes."""
    points = sorted({F(int(v), 16) for v in rng.integers(-64, 64, size=pieces + 3)})[:pieces]
    values = [F(int(v), 8) for v in rng.integers(-20, 20, size=len(points))]
    slopes = [F(int(rng.integers(-5, 6)), 3)]
    for i in range(1, len(points)):
        slopes.append((values[i] - values[i - 1]) / (points[i] - points[i - 1]))
    slopes.append(F(int(rng.integers(-5, 6)), 2))
    intercepts = [values[0] - slopes[0] * points[0]]
    intercepts += [values[i] - slopes[i + 1] * points[i] for i in range(len(points))]
    return PiecewiseLinear(points, slopes, intercepts)


def probes(rng: np.random.Generator, f: PiecewiseLinear, g: PiecewiseLinear) -> list[F]:
    random = [F(int(v), 48) for v in rng.integers(-400, 400, size=60)]
    return random + list(f.breakpoints) + list(g.breakpoints)


def test_tent_powers_match_direct_iteration(rng: np.random.Generator) -> None:
    m = PiecewiseLinear([0, F(1, 2), 1], [0, 2, -2, 0], [0, 0, 2, 0])
    f = m
    for k in range(2, 7):
        f = m.compose(f)
        for x in [F(int(v), 997) for v in rng.integers(-300, 1300, size=50)]:
            expected = x
            for _ in range(k):
                expected = tent(expected)
            assert f(x) == expected
        assert f.num_pieces(on=(0, 1)) == 2**k


def test_compose_add_scale_agree_with_pointwise(rng: np.random.Generator) -> None:
    for _ in range(20):
        f, g = random_pl(rng, 5), random_pl(rng, 4)
        h, s, d = g.compose(f), f + g, f * F(-3, 7) - g
        for x in probes(rng, f, g):
            assert h(x) == g(f(x))
            assert s(x) == f(x) + g(x)
            assert d(x) == F(-3, 7) * f(x) - g(x)
        # a composition of an s-piece and a t-piece function has at most s·t pieces
        assert h.num_pieces() <= f.num_pieces() * g.num_pieces()
        assert s.num_pieces() <= f.num_pieces() + g.num_pieces()


def test_merging_collinear_pieces() -> None:
    relu = PiecewiseLinear.relu()
    identity = relu - relu.compose(PiecewiseLinear.affine(-1, 0))  # ReLU(x) - ReLU(-x) = x
    assert identity.num_pieces() == 1
    assert identity == PiecewiseLinear.affine(1, 0)
    written_twice = PiecewiseLinear([1, 2], [1, 1, 0], [0, 0, 2])
    assert written_twice.breakpoints == (F(2),)


def test_num_pieces_on_interval() -> None:
    f = PiecewiseLinear([0, 1, 2], [0, 1, -1, 0], [0, 0, 2, 0])
    assert f.num_pieces() == 4
    assert f.num_pieces(on=(0, 2)) == 2
    assert f.num_pieces(on=(F(1, 2), F(3, 4))) == 1
    assert f.num_pieces(on=(-1, 3)) == 4
    with pytest.raises(ValueError, match="empty"):
        f.num_pieces(on=(1, 1))


def test_sympy_round_trip_and_evaluation(rng: np.random.Generator) -> None:
    f = random_pl(rng, 6)
    expr = f.to_sympy(X)
    assert isinstance(expr, sp.Piecewise)
    for x in probes(rng, f, f):
        assert expr.subs(X, sp.Rational(x.numerator, x.denominator)) == sp.Rational(
            f(x).numerator, f(x).denominator
        )
    assert PiecewiseLinear.from_sympy(expr, X) == f


def test_from_sympy_max_abs_min() -> None:
    expr = sp.Max(0, 2 * X - 1) - sp.Abs(X) / 3 + sp.Min(X, 1)
    f = PiecewiseLinear.from_sympy(expr, X)
    for x in [F(v, 7) for v in range(-30, 30)]:
        assert f(x) == F(str(expr.subs(X, sp.Rational(x.numerator, x.denominator))))
    assert f.breakpoints == (F(0), F(1, 2), F(1))


def test_from_sympy_piecewise_with_kinked_branches() -> None:
    expr = sp.Piecewise((sp.Max(0, X), X < 2), (sp.Abs(X - 3) + 1, X <= 4), (6 - X, True))
    f = PiecewiseLinear.from_sympy(expr, X)
    for x in [F(v, 4) for v in range(-20, 40)]:
        assert f(x) == F(str(expr.subs(X, sp.Rational(x.numerator, x.denominator))))
    assert f.breakpoints == (F(0), F(2), F(3), F(4))


def test_from_sympy_rejects_nonlinear_and_jumps() -> None:
    with pytest.raises(ValueError, match="product"):
        PiecewiseLinear.from_sympy(X * sp.Max(0, X), X)
    with pytest.raises(ValueError, match="jumps"):
        PiecewiseLinear.from_sympy(sp.Piecewise((0, X < 1), (1, True)), X)
    with pytest.raises(ValueError, match="cannot read"):
        PiecewiseLinear.from_sympy(sp.sin(X), X)
    with pytest.raises(ValueError, match="not a rational"):
        PiecewiseLinear.from_sympy(sp.sqrt(2) * X, X)


def test_bad_construction_input() -> None:
    with pytest.raises(TypeError, match="float"):
        PiecewiseLinear([0.5], [0, 1], [0, 0])
    with pytest.raises(ValueError, match="jumps"):
        PiecewiseLinear([0], [0, 1], [0, 1])
    with pytest.raises(ValueError, match="strictly increasing"):
        PiecewiseLinear([1, 0], [0, 0, 0], [0, 0, 0])
    with pytest.raises(ValueError, match="slopes"):
        PiecewiseLinear([0], [0], [0])
    with pytest.raises(TypeError, match="not piecewise linear"):
        PiecewiseLinear.relu() * PiecewiseLinear.relu()


def _random_network(rng: np.random.Generator, widths: list[int], act: str = "relu") -> Network:
    sizes = [1, *widths, 1]
    weights = [
        [[F(int(v), 8) for v in row] for row in rng.integers(-16, 17, size=(b, a))]
        for a, b in itertools.pairwise(sizes)
    ]
    biases = [[F(int(v), 8) for v in rng.integers(-16, 17, size=b)] for b in sizes[1:]]
    return Network.mlp(sizes, [act] * len(widths) + ["identity"], weights=weights, biases=biases)


@pytest.mark.parametrize("act", ["relu", "leaky_relu"])
def test_from_network_agrees_with_exact_and_numeric_forward(
    rng: np.random.Generator, act: str
) -> None:
    net = _random_network(rng, [4, 3], act)
    f = PiecewiseLinear.from_network(net)
    for x in [F(int(v), 13) for v in rng.integers(-60, 60, size=12)]:
        assert f(x) == F(str(net.forward([x])[0]))
    xs = np.linspace(-6, 6, 401)
    reference = numeric.forward(net, xs[:, None])[:, 0]
    np.testing.assert_allclose(f.evaluate(xs), reference, rtol=1e-12, atol=1e-12)
    # Serra et al. 2018: one input, widths n_l: at most Π (n_l + 1) pieces
    assert f.num_pieces() <= 5 * 4


def test_from_network_maxout() -> None:
    from symdl.core.network import Maxout, exact_matrix

    # max(x, -x, 1 - 2x) then identity
    maxout = Maxout(
        (exact_matrix([[1]], (1, 1)), exact_matrix([[-1]], (1, 1)), exact_matrix([[-2]], (1, 1))),
        (exact_matrix([0], (1, 1)), exact_matrix([0], (1, 1)), exact_matrix([1], (1, 1))),
    )
    out = Dense(exact_matrix([[1]], (1, 1)), exact_matrix([0], (1, 1)), get_activation("identity"))
    f = PiecewiseLinear.from_network(Network([maxout, out]))
    for x in [F(v, 5) for v in range(-20, 20)]:
        assert f(x) == max(x, -x, 1 - 2 * x)
    assert f.breakpoints == (F(1, 3),)


def test_from_network_bad_input(rng: np.random.Generator) -> None:
    sig = Network.mlp(
        [1, 2, 1], ["sigmoid", "identity"], weights=[[[1], [2]], [[1, 1]]], biases=[[0, 0], [0]]
    )
    with pytest.raises(NotSupportedError, match=r"sigmoid.*identity, relu, leaky_relu"):
        PiecewiseLinear.from_network(sig)
    floats = Network(
        [
            Dense(sp.Matrix([[sp.Float(0.5)], [1]]), sp.zeros(2, 1), get_activation("relu")),
            Dense(sp.Matrix([[1, 1]]), sp.zeros(1, 1), get_activation("identity")),
        ]
    )
    with pytest.raises(TypeError, match="FloatConversion"):
        PiecewiseLinear.from_network(floats)
    converted = PiecewiseLinear.from_network(floats, floats=FloatConversion.DECIMAL)
    assert converted(2) == F(3)
    two = Network.mlp([2, 1], "relu", weights=[[[1, 1]]], biases=[[0]])
    with pytest.raises(ValueError, match="2 inputs"):
        PiecewiseLinear.from_network(two)
    symbolic = Network.mlp([1, 1], "relu")
    with pytest.raises(ValueError, match="symbolic"):
        PiecewiseLinear.from_network(symbolic)
    relu = Network.mlp([1, 1], "relu", weights=[[[1]]], biases=[[0]])
    with pytest.raises(ValueError, match="output=1 is not an output"):
        PiecewiseLinear.from_network(relu, output=1)
    with pytest.raises(TypeError, match=r"output=0\.5"):
        PiecewiseLinear.from_network(relu, output=0.5)
    with pytest.raises(TypeError, match="expected a symdl Network"):
        PiecewiseLinear.from_network("net")


def test_plot_draws_every_vertex() -> None:
    f = PiecewiseLinear([0, F(1, 2), 1], [0, 2, -2, 0], [0, 0, 2, 0])
    figure = f.plot(interval=(-1, 2))
    line = figure.axes[0].lines[0]
    assert list(line.get_xdata()) == [-1.0, 0.0, 0.5, 1.0, 2.0]
    assert list(line.get_ydata()) == [0.0, 0.0, 1.0, 0.0, 0.0]


def test_large_integers_leave_the_int64_fast_path_exactly(rng: np.random.Generator) -> None:
    big = RationalArray.of([2**40, -(2**41) + 1, 3])
    product = (big * big).reduced()
    assert product.to_fractions() == [F(2**80), F((2**41 - 1) ** 2), F(9)]
    assert (big * F(1, 3**45)).reduced().to_fractions()[2] == F(1, 3**44)
    for _ in range(5):
        f = random_pl(rng, 5) * F(2**50, 3**20) + F(1, 7**25)
        g = random_pl(rng, 4).compose(PiecewiseLinear.affine(F(1, 2**55), F(3, 5)))
        h, s = g.compose(f), f + g
        for x in probes(rng, f, g):
            assert h(x) == g(f(x))
            assert s(x) == f(x) + g(x)


def _pl_from(points: list[int], values: list[int], ends: tuple[int, int]) -> PiecewiseLinear:
    xs = sorted({F(p, 4) for p in points})
    ys = [F(v, 3) for v in values[: len(xs)]]
    xs = xs[: len(ys)]
    slopes = [F(ends[0])] + [(ys[i] - ys[i - 1]) / (xs[i] - xs[i - 1]) for i in range(1, len(xs))]
    slopes.append(F(ends[1]))
    intercepts = [ys[0] - slopes[0] * xs[0]] + [
        ys[i] - slopes[i + 1] * xs[i] for i in range(len(xs))
    ]
    return PiecewiseLinear(xs, slopes, intercepts)


small = st.integers(-40, 40)
functions = st.builds(
    _pl_from,
    st.lists(small, min_size=1, max_size=7),
    st.lists(small, min_size=7, max_size=7),
    st.tuples(st.integers(-3, 3), st.integers(-3, 3)),
)


@settings(max_examples=60, deadline=None)
@given(f=functions, g=functions, x=st.fractions(min_value=-15, max_value=15, max_denominator=60))
def test_operations_hold_pointwise(f: PiecewiseLinear, g: PiecewiseLinear, x: Fraction) -> None:
    assert g.compose(f)(x) == g(f(x))
    assert (f + g)(x) == f(x) + g(x)
    assert f.maximum(g)(x) == max(f(x), g(x))
    assert g.compose(f).num_pieces() <= f.num_pieces() * g.num_pieces()


def test_from_sympy_never_parses_text_and_refuses_floats() -> None:
    with pytest.raises(TypeError, match="parse_expression"):
        PiecewiseLinear.from_sympy("Max(0, x)", X)
    with pytest.raises(TypeError, match="float"):
        PiecewiseLinear.from_sympy(0.5, X)
    with pytest.raises(TypeError, match="Symbol"):
        PiecewiseLinear.from_sympy(sp.Max(0, X), "x")
    assert PiecewiseLinear.from_sympy(F(1, 3), X) == PiecewiseLinear.affine(0, F(1, 3))


def test_apply_relu_and_leaky_relu_pointwise(rng: np.random.Generator) -> None:
    for _ in range(10):
        f = random_pl(rng, 5)
        relu, leaky = f.apply_relu(), f.apply_relu(slope_negative=F(1, 10))
        for x in probes(rng, f, f):
            assert relu(x) == max(F(0), f(x))
            assert leaky(x) == max(f(x) / 10, f(x))
        assert relu.num_pieces() <= 2 * f.num_pieces()


@pytest.mark.parametrize("act", ["relu", "leaky_relu"])
def test_from_network_equals_the_network_expression_read_back(
    rng: np.random.Generator, act: str
) -> None:
    # two independent routes: layer-by-layer exact arithmetic, and SymPy's forward expression
    # (nested Max) read by from_sympy
    net = _random_network(rng, [4, 3], act)
    expected = PiecewiseLinear.from_sympy(net.forward()[0], net.inputs[0])
    assert PiecewiseLinear.from_network(net) == expected
    assert PiecewiseLinear.from_network(net) != expected + 1  # the comparison can fail


def test_a_notebook_shows_the_plot_inside_the_html_labelled_with_the_functions_name() -> None:
    import base64
    import re

    from symdl.depth.telgarsky import sawtooth, tent_map

    f = sawtooth(3)
    html = f._repr_html_()
    assert r"m^{3}(x) = \begin{cases}" in html
    encoded = re.search(r'src="data:image/png;base64,([^"]+)"', html)
    assert encoded is not None
    png = base64.b64decode(encoded.group(1))
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert png == f._repr_png_()  # the same picture as the PNG display
    assert tent_map().name == "m"
    assert tent_map()._repr_latex_().startswith("$$m(x) =")


def test_a_name_labels_the_plot_and_takes_no_part_in_equality_or_arithmetic() -> None:
    from symdl.depth.piecewise_display import plot_png

    relu = PiecewiseLinear.relu()
    named = relu.named(r"\operatorname{ReLU}")
    assert named == relu
    assert named.name == r"\operatorname{ReLU}"
    assert relu.name == "f"
    assert (named + 1).name == "f"
    labels: list[str] = []

    class Spy:
        name = "g"
        breakpoint_array = relu.breakpoint_array
        slope_array = relu.slope_array
        intercept_array = relu.intercept_array

        def plot(self, *, interval: tuple[object, object]) -> object:
            figure = relu.plot(interval=interval)
            original = figure.axes[0].set_ylabel

            def set_ylabel(text: str) -> object:
                labels.append(text)
                return original(text)

            figure.axes[0].set_ylabel = set_ylabel  # type: ignore[method-assign]
            return figure

    plot_png(Spy())  # type: ignore[arg-type]
    assert labels == ["$g(x)$"]
    with pytest.raises(TypeError, match="LaTeX text"):
        relu.named("")
