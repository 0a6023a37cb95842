"""Tests of the one decision procedure (symdl.referee.equivalence.Referee) and its stages.

Every expected verdict here is derived by hand in the comment beside it.
"""

from __future__ import annotations

import math
from typing import Any

import mpmath
import pytest
import sympy as sp

from symdl.core.activations import Sigmoid
from symdl.core.losses import LOSSES
from symdl.core.network import Network
from symdl.grading.answers import Isolation, check_gradient
from symdl.referee.equivalence import CheckOptions, Referee
from symdl.referee.kinks import vanishes_on_regions
from symdl.referee.sampling import OneHot, SamplingInterval, Simplex
from symdl.referee.verdict import DecisionMethod, Outcome

x, y, z = sp.symbols("x y z", real=True)
EQ, DIFF = Outcome.EQUIVALENT, Outcome.DIFFERENT
NUMERIC_ONLY = CheckOptions(symbolic_seconds=0)


def _check(f: sp.Expr, answer: str, **kwargs: object) -> object:
    return check_gradient(f, answer, wrt=kwargs.pop("wrt", x), isolation=Isolation.NONE, **kwargs)


# --- precision: set per comparison, never mpmath's global one -------------------------------


def test_a_rational_truth_against_an_irrational_form_of_it_is_equivalent() -> None:
    # d/dx x² = 2x = 2x(sin²x + cos²x); the truth is rational at the points, the answer not:
    # both must be compared at the working precision, not at mpmath's global 15 digits
    mpmath.mp.dps = 15
    verdict = _check(x**2, "2x(sin(x)^2+cos(x)^2)", options=NUMERIC_ONLY)
    assert verdict.outcome is EQ, str(verdict)
    assert mpmath.mp.dps == 15  # the global precision is left alone


def test_the_network_answer_with_a_hidden_identity_is_equivalent() -> None:
    # C = (a² − y)², a² = w² ReLU(z¹) + b², z¹ = w¹ x + b¹: ∂C/∂w¹ = 2(a² − y) w² H(z¹) x, and
    # σ(z) + σ(−z) = 1, so the answer is that times 1
    net = Network.mlp([1, 1, 1], ["relu", "identity"])
    answer = r"2(a^{(2)} - y) w^{(2)}_{11} heaviside(z^{(1)}) x (σ(z^{(1)}) + σ(-z^{(1)}))"
    for options in (CheckOptions(), NUMERIC_ONLY):
        verdict = check_gradient(net, answer, wrt=net.parameters[0], loss=LOSSES["mse"],
                                 options=options, isolation=Isolation.NONE)  # fmt: skip
        assert verdict.outcome is EQ, str(verdict)


@pytest.mark.parametrize("exponent", [12, 30, 45, 100, 1000])
def test_no_typed_constant_hides_below_the_tolerance(exponent: int) -> None:
    # e^x + 10^-k x − e^x = x/10^k ≠ 0: decided exactly (the difference is rational)
    verdict = _check(sp.exp(x), f"exp(x) + 10^(-{exponent}) x")
    assert verdict.outcome is DIFF
    # e^x (1 + 10^-k): the difference 10^-k e^x is never rational: high precision must see it
    verdict = _check(sp.exp(x), f"exp(x) (1 + 10^(-{exponent}))", options=NUMERIC_ONLY)
    assert verdict.outcome is DIFF, str(verdict)


def test_a_transcendental_tiny_constant_raises_the_precision() -> None:
    # e^-1000 ≈ 10^-434.3: the answer differs from tanh' by e^-1000 tanh(x)
    verdict = _check(sp.tanh(x), "1 - tanh(x)^2 + exp(-1000) tanh(x)", options=NUMERIC_ONLY)
    assert verdict.outcome is DIFF


def test_a_cancellation_beyond_the_working_precision_is_escalated_not_called_different() -> None:
    # (e^x + e^100)² − e^200 − 2e^100 e^x = e^{2x}, the derivative of e^{2x}/2; at 50 + 44
    # digits the e^200 terms cancel with noise of about 10^-7: the gap is re-measured at
    # higher precision, where it vanishes
    answer = "(exp(x) + exp(100))^2 - exp(200) - 2 exp(100) exp(x)"
    verdict = _check(sp.exp(2 * x) / 2, answer, options=NUMERIC_ONLY)
    assert verdict.outcome is EQ, str(verdict)
    assert verdict.method is DecisionMethod.HIGH_PRECISION


# --- sample points that no fixed trick can hit ---------------------------------------------


@pytest.mark.parametrize(
    "K", ["2520", "720720", "10^12", "2*3*5*7*11*13*17*19*23*29*31*37*41*43*47*53*59*61*67*71"]
)
def test_an_answer_that_vanishes_on_a_known_set_of_denominators_is_found(K: str) -> None:
    # e^x (1 + sin²(Kπx)) = e^x exactly where Kx is an integer: at p/q with q ∤ K it differs
    verdict = _check(sp.exp(x), f"exp(x)(1 + sin({K} pi x)^2)", options=NUMERIC_ONLY)
    assert verdict.outcome is DIFF, str(verdict)


@pytest.mark.parametrize(
    "answer",
    [
        "2x + max(0, x - 3)",
        "2x + max(0, -x - 3)",
        "2x + max(0, |x| - 5)^2",
        "2x + heaviside(x - 39)",
    ],
)
def test_an_answer_right_only_on_the_default_interval_is_found(answer: str) -> None:
    # each extra term is 0 on [−2, 2] and positive for x > 3 (or x < −3, |x| > 5, x > 39)
    verdict = _check(x**2, answer)
    assert verdict.outcome is DIFF, str(verdict)
    assert abs(verdict.counterexample[x]) > 2


def test_a_declared_domain_is_respected() -> None:
    # on [−2, 2] the extra term max(0, x − 3) is 0: equivalent there
    verdict = _check(x**2, "2x + max(0, x - 3)", domains={x: SamplingInterval(-2, 2)})
    assert verdict.outcome is EQ, str(verdict)


def test_two_checks_use_different_fine_points() -> None:
    referee_a, referee_b = Referee(x, [x]), Referee(x, [x])
    assert referee_a.points[:3] == referee_b.points[:3]
    assert referee_a.points[3:] != referee_b.points[3:]


# --- region by region: proofs for piecewise functions ---------------------------------------


@pytest.mark.parametrize(
    ("truth", "answer"),
    [
        (sp.Max(0, x), "heaviside(x)"),  # ReLU' = H (x ≠ 0)
        (sp.Max(0, x), "(sign(x) + 1)/2"),  # H(x) = (1 + sign x)/2 for x ≠ 0
        (sp.Max(0, x), "max(0, x)/x"),  # ReLU(x)/x = 1 for x > 0, 0 for x < 0
        (sp.Abs(x), "sign(x)"),
        (sp.Max(0, x) ** 2, "2 max(0, x)"),
        (sp.Max(x / 10, x), "heaviside(x) + heaviside(-x)/10"),  # leaky ReLU'
    ],
)
def test_kinked_identities_are_proved_region_by_region(truth: sp.Expr, answer: str) -> None:
    verdict = _check(truth, answer)
    assert verdict.outcome is EQ, str(verdict)
    assert verdict.method in (DecisionMethod.SYMBOLIC_REGIONS, DecisionMethod.SYMBOLIC)
    assert verdict.method.proves


def test_a_region_proof_needs_kinks_that_do_not_vanish_identically() -> None:
    # H(sin²x + cos²x − 1) is H(0) everywhere: no open region where its sign is fixed exists,
    # so no region-by-region proof may be given (even though both branches would agree)
    u = sp.sin(x) ** 2 + sp.cos(x) ** 2 - 1
    assert vanishes_on_regions(sp.Heaviside(u, 0) * x - sp.Heaviside(u, 1) * x) is None
    # a branch that is not 0 proves nothing (it may be empty): undecided, never "equal"
    assert vanishes_on_regions(sp.Max(0, x) - x) is None
    assert vanishes_on_regions(sp.Max(0, x) - sp.Max(0, x)) is None  # no kinks left: 0


def test_piecewise_agreement_at_points_is_evidence_not_proof() -> None:
    # without the symbolic stages, agreement of ReLU forms is EXACT_SAMPLES: not a proof
    verdict = _check(sp.Max(0, x) ** 2, "2 max(0, x)", options=NUMERIC_ONLY)
    assert verdict.outcome is EQ
    assert verdict.method is DecisionMethod.EXACT_SAMPLES
    assert not verdict.method.proves


# --- constraints ----------------------------------------------------------------------------

U1, U2, Y1, Y2 = sp.symbols("u1 u2 y1 y2", real=True)
_S = sp.exp(U1) + sp.exp(U2)
CROSS_ENTROPY = -Y1 * sp.log(sp.exp(U1) / _S) - Y2 * sp.log(sp.exp(U2) / _S)


def test_an_answer_right_only_under_a_declared_constraint_says_so() -> None:
    # ∂/∂u1 = e^{u1}(y1 + y2)/S − y1, which is e^{u1}/S − y1 exactly when y1 + y2 = 1
    softmax = "e^{u1}/(e^{u1}+e^{u2}) - y1"
    verdict = _check(CROSS_ENTROPY, softmax, wrt=U1, constraints=[Simplex([Y1, Y2])])
    assert verdict.outcome is EQ, str(verdict)
    assert len(verdict.conditions) == 1
    assert "probability vector" in verdict.conditions[0]
    assert "probability vector" in verdict.reason
    assert verdict.to_dict()["conditions"] == list(verdict.conditions)
    # without the constraint the same answer is wrong (y1 + y2 ≠ 1 at the points)
    assert _check(CROSS_ENTROPY, softmax, wrt=U1).outcome is DIFF
    # the general answer is right without the constraint: no condition is named
    general = "e^{u1}(y1 + y2)/(e^{u1}+e^{u2}) - y1"
    verdict = _check(CROSS_ENTROPY, general, wrt=U1, constraints=[OneHot([Y1, Y2])])
    assert verdict.outcome is EQ
    assert verdict.conditions == ()


def test_a_wrong_answer_is_still_wrong_under_the_constraint() -> None:
    verdict = _check(CROSS_ENTROPY, "e^{u1}/(e^{u1}+e^{u2}) + y1", wrt=U1,
                     constraints=[Simplex([Y1, Y2])])  # fmt: skip
    assert verdict.outcome is DIFF
    point = verdict.counterexample
    assert point[Y1] + point[Y2] == 1  # the counterexample honours the constraint


def test_softmax_cross_entropy_targets_are_one_hot_by_default() -> None:
    # the log loss takes one-hot targets: δ = softmax − y, the textbook answer
    net = Network.mlp([2, 2], "identity")
    answer = r"\frac{e^{z^{(1)}_1}}{e^{z^{(1)}_1}+e^{z^{(1)}_2}} - y_1"
    verdict = check_gradient(net, answer, wrt=net.layers[0].b[0], loss=LOSSES["log"],
                             isolation=Isolation.NONE)  # fmt: skip
    assert verdict.outcome is EQ, str(verdict)
    assert verdict.conditions
    assert "one-hot" in verdict.conditions[0]


def test_constraints_are_validated() -> None:
    with pytest.raises(TypeError, match="Simplex"):
        _check(CROSS_ENTROPY, "y1", wrt=U1, constraints=Simplex([Y1, Y2]))
    with pytest.raises(ValueError, match="does not use"):
        _check(x**2, "2x", constraints=[Simplex([Y1, Y2])])


# --- failures are verdicts ------------------------------------------------------------------


def test_an_answer_too_large_to_evaluate_anywhere_is_unknown_not_equivalent() -> None:
    # exp⁶(x) is beyond MAX_ARGUMENT at every sample point with x > −1.3 or so, and a float
    # tower elsewhere; whatever is decided must not be EQUIVALENT
    verdict = _check(x**3 * y, "exp(exp(exp(exp(exp(exp(x))))))", wrt=x)
    assert verdict.outcome in (DIFF, Outcome.UNKNOWN)


def test_options_are_checked() -> None:
    with pytest.raises(ValueError, match="finite"):
        CheckOptions(time_limit=math.inf)
    with pytest.raises(TypeError, match="seed"):
        CheckOptions(seed=1.5)  # type: ignore[arg-type]
    assert CheckOptions(seed=None).seed is None


def test_sigmoid_forms_are_equivalent_numerically() -> None:
    # σ' = σ(1 − σ) = e^{−x}/(1 + e^{−x})²
    for answer in ("σ(x)(1 - σ(x))", "exp(-x)/(1+exp(-x))^2", "1/(4 cosh(x/2)^2)"):
        verdict = _check(Sigmoid(x), answer, options=NUMERIC_ONLY)
        assert verdict.outcome is EQ, (answer, str(verdict))


@pytest.mark.parametrize(
    ("answer", "inside"),
    [
        # the bump is nonzero only on |x − 1/7| < 1/1000: random points miss it, the kink's
        # region, solved exactly, does not
        ("2x + max(0, 1/1000 - |x - 1/7|)", lambda v: abs(v - sp.Rational(1, 7)) < 1 / 1000),
        # nonzero only beyond x = 10^6, past every far point
        ("2x + max(0, x - 10^6)", lambda v: v > 10**6),
        # transcendental: the difference is shown by disjoint enclosures
        ("2x + max(0, 1/1000 - |x - 1/7|) exp(x)", lambda v: abs(v - sp.Rational(1, 7)) < 1e-3),
    ],
)
def test_a_difference_hidden_in_a_region_of_the_kinks_is_found(answer: str, inside) -> None:
    verdict = _check(x**2, answer)
    assert verdict.outcome is DIFF, str(verdict)
    assert inside(verdict.counterexample[x])


def test_a_cancellation_at_a_far_point_is_not_called_a_difference() -> None:
    # cosh²x − sinh²x = 1 exactly; at the huge points (|x| up to 2000) 50 digits hold none of
    # it: a gap there must be checked with interval arithmetic, which shows it is rounding
    for _ in range(3):
        verdict = _check(x**2, r"2x\cosh^2 x - 2x\sinh^2 x", options=NUMERIC_ONLY)
        assert verdict.outcome is EQ, str(verdict)


def test_decimal_factors_are_exact_binary_numbers_not_undecidable() -> None:
    # 3.0·t was judged equivalent to t = x(1 − tanh²(wx)): interval arithmetic had no
    # enclosure of a Float, so every informative point was left undecided and the far points
    # (where both sides are ~0) agreed.  A Float is an exact binary fraction.
    from symdl.referee.intervals import interval_value

    w, x = sp.symbols("w x", real=True)
    t = x * (1 - sp.tanh(w * x) ** 2)
    point = {w: sp.Rational(1, 3), x: sp.Rational(2, 7)}
    enclosure = interval_value(sp.Float(3) * t, point, dps=30)
    assert enclosure is not None
    assert abs(float(enclosure.a) - 3 * float(t.subs(point))) < 1e-12
    referee = Referee(sp.Matrix([t]), [w, x])
    for wrong in (3.0 * t, 2.0 * t, 1.0000001 * t):
        assert referee.judge(sp.Matrix([wrong])).outcome is Outcome.DIFFERENT
    assert referee.judge(sp.Matrix([1.0 * t])).outcome is Outcome.EQUIVALENT


@pytest.mark.parametrize(
    "make",
    [
        lambda x: sp.besselj(0, x) * sp.exp(-(x**2)),
        lambda x: sp.gamma(x**2 + 1) * sp.exp(-(x**4)),
    ],
)
def test_a_gap_no_enclosure_can_prove_is_never_called_equivalent(make: Any) -> None:
    # 3·erf(x)e^{-x²} was EQUIVALENT to erf(x)e^{-x²}: no interval form of erf confirmed the
    # gap at the informative points, and the far points, where both sides vanish, agreed;
    # Bessel functions and Γ still have none: the verdict says it cannot decide
    x = sp.Symbol("x", real=True)
    truth = make(x)
    referee = Referee(sp.Matrix([truth]), [x])
    wrong = referee.judge(sp.Matrix([3 * truth]))
    assert wrong.outcome is Outcome.UNKNOWN
    assert "check this answer by hand" in wrong.reason
    # the same function written otherwise is still recognised
    assert referee.judge(sp.Matrix([sp.expand(truth * 1)])).outcome is Outcome.EQUIVALENT


@pytest.mark.parametrize(
    ("make", "point"),
    [
        (lambda x: sp.erf(x), sp.Rational(3, 7)),
        (lambda x: sp.erfc(x), sp.Rational(-5, 3)),
        (lambda x: sp.asinh(x), sp.Rational(-9, 4)),
        (lambda x: sp.acosh(x + 2), sp.Rational(1, 5)),
        (lambda x: sp.LambertW(x**2), sp.Rational(7, 3)),
    ],
)
def test_monotone_special_functions_have_enclosures(make: Any, point: sp.Rational) -> None:
    import mpmath

    from symdl.referee.intervals import interval_value

    x = sp.Symbol("x", real=True)
    f = make(x)
    enclosure = interval_value(f, {x: point}, dps=30)
    assert enclosure is not None
    with mpmath.workdps(80):
        low, high = mpmath.mpf(enclosure.a.a), mpmath.mpf(enclosure.b.b)
        truth = mpmath.mpf(str(sp.N(f.subs(x, point), 60)))  # SymPy's own evaluation
        assert low <= truth <= high
        assert high - low < mpmath.mpf(10) ** -20
    # so a constant factor is proved different
    g = f * sp.exp(-(x**2))
    assert Referee(sp.Matrix([g]), [x]).judge(sp.Matrix([3 * g])).outcome is Outcome.DIFFERENT
