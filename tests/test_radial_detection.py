"""Radial means proved radial: random radial functions g(|x|²) are recognised, and random
non-radial ones (a radial function plus or times a term that vanishes on the axes or at a few
points, anisotropic scalings) are never reported radial."""

from __future__ import annotations

from collections.abc import Callable

import pytest
import sympy as sp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from symdl.approximation import hankel
from symdl.approximation.hankel import quadratic_form_profile, radial_profile

X2 = sp.symbols("x1 x2", real=True)
X3 = sp.symbols("x1 x2 x3", real=True)
SETTINGS = settings(max_examples=15, deadline=20_000, suppress_health_check=[HealthCheck.too_slow])

# small denominators: a coefficient of 10^-30 would hide the added term from the points that
# refute an identity, and leave a (correct but slow) failed proof
positive = st.fractions(min_value=sp.Rational(1, 4), max_value=3, max_denominator=24).map(
    sp.Rational
)
nonzero = (
    st.fractions(min_value=-3, max_value=3, max_denominator=24)
    .map(sp.Rational)
    .filter(lambda q: q != 0)
)

# h(s), to be composed with s = |x|²: a small grammar
Profile = Callable[[sp.Expr], sp.Expr]


@st.composite
def profiles(draw: st.DrawFn) -> Profile:
    a, b = draw(positive), draw(positive)
    k = draw(st.sampled_from([1, 2, 3, sp.Rational(3, 2)]))
    shapes: list[Profile] = [
        lambda s: sp.exp(-a * s),
        lambda s: (1 + a * s) ** -k,
        lambda s: s * sp.exp(-a * s),
        lambda s: sp.exp(-a * s) * (1 + b * s),
        lambda s: sp.exp(-a * s) + b / (1 + s) ** 2,
        lambda s: sp.cos(b * sp.sqrt(s)) * sp.exp(-a * s),
    ]
    return draw(st.sampled_from(shapes))


def squared_norm(variables: tuple[sp.Symbol, ...], form: int) -> sp.Expr:
    """|x|² written three ways: a sum of squares, rotated by (3/5, 4/5), or polarised."""
    a, b = variables[0], variables[1]
    rest = sum((v**2 for v in variables[2:]), sp.S.Zero)
    if form == 1:
        return ((3 * a - 4 * b) / 5) ** 2 + ((4 * a + 3 * b) / 5) ** 2 + rest
    if form == 2:
        return ((a + b) ** 2 + (a - b) ** 2) / 2 + rest
    return a**2 + b**2 + rest


dims = st.sampled_from([X2, X3])


@SETTINGS
@given(profiles(), dims, st.integers(min_value=0, max_value=2))
def test_radial_functions_are_recognised(h: Profile, variables: tuple, form: int) -> None:
    f = h(squared_norm(variables, form))
    found = radial_profile(f, variables)
    assert found is not None
    g, r = found
    for value in (sp.Rational(7, 10), sp.Rational(13, 10)):  # g(r) = h(r²)
        assert abs(sp.N(g.subs(r, value) - h(value**2), 30)) < 1e-25


@SETTINGS
@given(profiles(), dims, st.sampled_from([sp.Rational(1, 4), sp.Rational(1, 2), 2, 3, 4]))
def test_anisotropic_scalings_are_not_radial(h: Profile, variables: tuple, c: sp.Expr) -> None:
    a, b = variables[0], variables[1]
    f = h(a**2 + c * b**2 + sum((v**2 for v in variables[2:]), sp.S.Zero))
    assert radial_profile(f, variables) is None


@SETTINGS
@given(profiles(), dims, nonzero)
def test_a_term_vanishing_on_the_axes_is_not_radial(
    h: Profile, variables: tuple, e: sp.Expr
) -> None:
    s = squared_norm(variables, 0)
    f = h(s) + e * variables[0] * variables[1] * sp.exp(-s)
    assert radial_profile(f, variables) is None


# the coordinates at which radial_profile refutes an identity, and the three points of the
# wrong-value example: a term vanishing there can only be rejected by the failed proof
REFUTING = sorted(
    {p[0] for p in hankel._REFUTING_POINTS} | {sp.Rational(1, 3), sp.Rational(-7, 5), 2}
)


@SETTINGS
@given(
    profiles(),
    dims,
    nonzero,
    st.lists(st.one_of(st.sampled_from(REFUTING), nonzero), min_size=1, max_size=5, unique=True),
)
def test_a_term_vanishing_at_a_few_points_is_not_radial(
    h: Profile, variables: tuple, e: sp.Expr, roots: list[sp.Expr]
) -> None:
    a, b = variables[0], variables[1]
    bump = b * sp.Mul(*(a - p for p in roots))
    f = h(squared_norm(variables, 0)) * (1 + e * bump)
    assert radial_profile(f, variables) is None


def test_a_term_vanishing_at_every_refuting_point_is_left_to_the_proof() -> None:
    # the values at the points cannot tell this f from e^{-|x|²}; the proof must fail
    a, b = X2
    bump = b * sp.Mul(*(a - p[0] for p in hankel._REFUTING_POINTS))
    f = sp.exp(-(a**2) - b**2) * (1 + bump)
    point = hankel._REFUTING_POINTS[0]
    assert f.subs({a: point[0], b: point[1]}) == sp.exp(-(point[0] ** 2) - point[1] ** 2)
    assert radial_profile(f, X2) is None


def test_the_wrong_value_example() -> None:
    a, b = X2
    bump = b * (a - sp.Rational(1, 3)) * (a + sp.Rational(7, 5)) * (a - 2)
    assert radial_profile(sp.exp(-(a**2) - b**2) * (1 + bump), X2) is None


def test_even_and_odd_in_one_variable() -> None:
    x = sp.Symbol("x", real=True)
    assert radial_profile(sp.exp(-(x**2)), [x]) is not None
    assert radial_profile(x * sp.exp(-(x**2)), [x]) is None


@pytest.mark.parametrize(
    ("f", "form", "center", "found"),
    [
        (sp.exp(-(X2[0] ** 2) - 4 * X2[1] ** 2), [[1, 0], [0, 4]], None, True),
        (sp.exp(-((X2[0] - 1) ** 2) - X2[1] ** 2), [[1, 0], [0, 1]], [1, 0], True),
        (sp.exp(-(X2[0] ** 2) - 4 * X2[1] ** 2), [[4, 0], [0, 1]], None, False),
        (
            1 / (1 + X2[0] ** 2 + X2[0] * X2[1] + X2[1] ** 2),
            [[1, sp.S.Half], [sp.S.Half, 1]],
            None,
            True,
        ),
    ],
)
def test_quadratic_form_profile(
    f: sp.Expr, form: list[list[int]], center: list[int] | None, found: bool
) -> None:
    assert (quadratic_form_profile(f, X2, sp.Matrix(form), center) is not None) is found


def test_rotation_invariance_is_proved_or_not() -> None:
    # the second proof: invariance under a rotation by a symbolic angle in each plane
    a, b, c = X3
    assert hankel._rotation_invariant(
        sp.exp(-(a**2) - b**2 - c**2) * sp.cos(a**2 + b**2 + c**2), X3
    )
    assert not hankel._rotation_invariant(sp.exp(-(a**2) - 2 * b**2 - c**2), X3)
    assert not hankel._rotation_invariant(sp.exp(-(a**2) - b**2 - c**2) * (1 + a * b * c), X3)
