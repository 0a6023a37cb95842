"""Tests of gradient checking: hand-written answers with the verdict each must get."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import mpmath
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from symdl.core.activations import Sigmoid
from symdl.core.losses import LOSSES
from symdl.core.network import Network
from symdl.grading.answers import GradientProblem, Isolation, check_answer, check_gradient
from symdl.referee.equivalence import CheckOptions, Referee, SamplingInterval
from symdl.referee.verdict import DecisionMethod, Mistake, Outcome, Verdict

x, y, z, a = sp.symbols("x y z a", real=True)
A1, A2, X1, X2 = sp.symbols("a_1 a_2 x_1 x_2", real=True)
W = sp.Matrix(2, 2, sp.symbols("w_11 w_12 w_21 w_22", real=True))

EQ, DIFF, NC = Outcome.EQUIVALENT, Outcome.DIFFERENT, Outcome.NOT_COMPARABLE
PROBLEMS = {
    "tanh": GradientProblem.from_expression(sp.tanh(x), x),
    "sigmoid": GradientProblem.from_expression(Sigmoid(z), z),
    "mse": GradientProblem.from_expression((a - y) ** 2, a, variables=[a, y]),
    "relu2": GradientProblem.from_expression(sp.Max(0, x) ** 2, x),
    "vector": GradientProblem.from_expression(x**2 * y + sp.sin(y), [x, y]),
    "bilinear": GradientProblem.from_expression(
        (sp.Matrix([[A1, A2]]) * W * sp.Matrix([X1, X2]))[0], W,
        variables=[A1, A2, X1, X2, *W]),
    "network": GradientProblem.from_network(
        Network.mlp([2, 2, 1], ["sigmoid", "sigmoid"]), LOSSES["mse"], "W2"),
}  # fmt: skip

NET_RIGHT = r"a^{(2)}(1-a^{(2)})"
ANSWERS = [
    # correct, in unusual forms
    ("tanh", "1 - tanh(x)^2", EQ, ()),
    ("tanh", r"\operatorname{sech}^2 x", EQ, ()),
    ("tanh", "1/cosh(x)^2", EQ, ()),
    ("tanh", "4/(e^x + e^{-x})^2", EQ, ()),
    ("tanh", r"(1 - \tanh x)(1 + \tanh x)", EQ, ()),
    ("sigmoid", "σ(z)(1−σ(z))", EQ, ()),
    ("sigmoid", r"\frac{e^{-z}}{(1+e^{-z})^2}", EQ, ()),
    ("sigmoid", "sigmoid(z) - sigmoid(z)**2", EQ, ()),
    ("sigmoid", r"\sigma(z)\,\sigma(-z)", EQ, ()),
    ("sigmoid", "1/(2 + 2 cosh(z))", EQ, ()),
    ("sigmoid", "sigma'(z)", EQ, ()),
    ("mse", "2(a-y)", EQ, ()),
    ("mse", "-2(y - a)", EQ, ()),
    ("mse", "2a - 2y", EQ, ()),
    ("relu2", "2 max(0, x)", EQ, ()),
    ("relu2", "2 relu(x)", EQ, ()),
    ("relu2", r"\max(0, 2x)", EQ, ()),
    ("vector", "[2xy, x^2 + cos(y)]", EQ, ()),
    ("vector", r"\begin{pmatrix} 2xy & x^2 + \cos y \end{pmatrix}", EQ, ()),
    ("bilinear", "[[a_1 x_1, a_1 x_2], [a_2 x_1, a_2 x_2]]", EQ, ()),
    ("network", rf"[[2(a^{{(2)}}-y) {NET_RIGHT} a^{{(1)}}_1, 2(a^{{(2)}}-y) {NET_RIGHT} "
                r"a^{(1)}_2]]", EQ, ()),
    ("network", r"[[\delta^{(2)} a^{(1)}_1, \delta^{(2)} a^{(1)}_2]]", EQ, ()),
    ("network", r"\delta^{(2)} [[a^{(1)}_1, a^{(1)}_2]]", EQ, ()),
    # wrong, in the ways students are wrong
    ("tanh", "tanh(x)", DIFF, (Mistake.DERIVATIVE_AS_FUNCTION,)),
    ("tanh", "1 + tanh(x)^2", DIFF, ()),
    ("tanh", r"\operatorname{sech} x", DIFF, ()),
    ("tanh", "-sech(x)^2", DIFF, (Mistake.SIGN,)),
    ("tanh", r"2\operatorname{sech}^2 x", DIFF, (Mistake.CONSTANT_FACTOR,)),
    ("tanh", "1.001 (1 - tanh(x)^2)", DIFF, (Mistake.CONSTANT_FACTOR,)),
    ("tanh", "1 - tanh(x)^2 + 10^-30", DIFF, (Mistake.CONSTANT_OFFSET,)),
    ("sigmoid", "σ(z)", DIFF, (Mistake.DERIVATIVE_AS_FUNCTION,)),
    ("sigmoid", "σ(z)(1 + σ(z))", DIFF, ()),
    ("sigmoid", r"\frac{e^{-z}}{1+e^{-z}}", DIFF, ()),
    ("sigmoid", "-σ(z)(1-σ(z))", DIFF, (Mistake.SIGN,)),
    ("mse", "a - y", DIFF, (Mistake.CONSTANT_FACTOR,)),
    ("mse", "2(y - a)", DIFF, (Mistake.SIGN,)),
    ("mse", "2(a + y)", DIFF, ()),
    ("mse", "2(a-y)^2", DIFF, ()),
    ("mse", "2(a-y) + 10^-30", DIFF, (Mistake.CONSTANT_OFFSET,)),
    ("relu2", "2x", DIFF, ()),
    ("vector", "[x^2 + cos(y), 2xy]", DIFF, ()),
    ("vector", "[2xy, x^2]", DIFF, ()),
    ("bilinear", "[[a_1 x_1, a_2 x_1], [a_1 x_2, a_2 x_2]]", DIFF, (Mistake.TRANSPOSED,)),
    ("network", rf"[[(a^{{(2)}}-y) {NET_RIGHT} a^{{(1)}}_1, (a^{{(2)}}-y) {NET_RIGHT} "
                r"a^{(1)}_2]]", DIFF, (Mistake.CONSTANT_FACTOR,)),
    ("network", r"[[2(a^{(2)}-y) a^{(2)} a^{(1)}_1, 2(a^{(2)}-y) a^{(2)} a^{(1)}_2]]", DIFF, ()),
    ("network", r"[\delta^{(2)} a^{(1)}_1, \delta^{(2)} a^{(1)}_2]", DIFF, (Mistake.TRANSPOSED,)),
    ("network", r"[[\delta^{(2)} x_1, \delta^{(2)} x_2]]", DIFF, ()),
    ("network", r"[[2(a^{(2)}-y) \sigma(z^{(2)}) a^{(1)}_1, "
                r"2(a^{(2)}-y) \sigma(z^{(2)}) a^{(1)}_2]]", DIFF,
     (Mistake.DERIVATIVE_AS_FUNCTION,)),
    ("network", r"[[2(a^{(2)}-y) a^{(1)}_1, 2(a^{(2)}-y) a^{(1)}_2]]", DIFF,
     (Mistake.MISSING_DERIVATIVE,)),
    ("tanh", "1", DIFF, (Mistake.MISSING_DERIVATIVE,)),
    # not comparable
    ("vector", "2xy", NC, (Mistake.WRONG_SHAPE,)),
    ("mse", "2(a-y", NC, (Mistake.SYNTAX,)),
    ("mse", "1/2a", NC, (Mistake.AMBIGUOUS,)),
    ("mse", "2(a - q)", NC, (Mistake.UNKNOWN_SYMBOLS,)),
    ("network", r"\delta^{(3)} [[a^{(1)}_1, a^{(1)}_2]]", NC, (Mistake.UNKNOWN_SYMBOLS,)),
]  # fmt: skip


@pytest.mark.parametrize(("problem", "text", "outcome", "mistakes"), ANSWERS,
                         ids=[f"{p}:{t[:30]}" for p, t, _, _ in ANSWERS])  # fmt: skip
def test_hand_written_answers_get_their_verdict(
    problem: str, text: str, outcome: Outcome, mistakes: tuple[Mistake, ...]
) -> None:
    verdict = check_gradient(PROBLEMS[problem], text, isolation=Isolation.NONE)
    assert verdict.outcome is outcome, str(verdict)
    assert set(mistakes) <= set(verdict.mistakes), str(verdict)
    assert verdict.correct is (outcome is EQ)


def test_there_are_at_least_thirty_hand_written_answers() -> None:
    assert len(ANSWERS) >= 30
    assert {outcome for _, _, outcome, _ in ANSWERS} == {EQ, DIFF, NC}


def test_counterexample_values_agree_with_an_independent_evaluation() -> None:
    verdict = check_gradient(
        PROBLEMS["network"], r"[[\delta^{(2)} x_1, \delta^{(2)} x_2]]", isolation=Isolation.NONE
    )
    assert verdict.counterexample is not None
    assert verdict.worst_entry is not None
    truth = PROBLEMS["network"].truth[verdict.worst_entry]
    expected = sp.N(truth.rewrite(sp.exp).subs(verdict.counterexample), 50)
    assert abs(verdict.true_value - expected) < sp.Float(10) ** -45
    assert all(isinstance(v, sp.Rational) for v in verdict.counterexample.values())


def test_exact_counterexample_and_simplified_difference() -> None:
    verdict = check_gradient(PROBLEMS["mse"], "2(a+y)", isolation=Isolation.NONE)
    point = verdict.counterexample
    assert point is not None
    assert verdict.true_value == 2 * (point[a] - point[y])
    assert verdict.submitted_value == 2 * (point[a] + point[y])
    assert verdict.difference == 4 * y
    assert verdict.method is DecisionMethod.EXACT_POINTS


def test_tiny_exact_difference_is_different_exactly() -> None:
    # no simplification: the difference 10^-30 is rational at every point though neither side
    # is, so it is decided exactly
    options = CheckOptions(symbolic_seconds=0)
    verdict = check_gradient(
        PROBLEMS["tanh"], "1 - tanh(x)^2 + 10^-30", options=options, isolation=Isolation.NONE
    )
    assert verdict.outcome is DIFF
    assert verdict.method is DecisionMethod.EXACT_POINTS
    gap = abs(verdict.submitted_value - verdict.true_value)
    assert sp.Float(10) ** -31 < gap < sp.Float(10) ** -29


@pytest.mark.parametrize("exponent", [12, 20, 30, 40, 45, 60, 200])
def test_a_tiny_transcendental_difference_is_never_below_the_tolerance(exponent: int) -> None:
    # 10^-k tanh(x) is not rational at the points: the working precision grows with the
    # constant's digits (50 + k), so even 10^-200 is seen
    options = CheckOptions(symbolic_seconds=0)
    answer = f"1 - tanh(x)^2 + 10^(-{exponent}) tanh(x)"
    verdict = check_gradient(PROBLEMS["tanh"], answer, options=options, isolation=Isolation.NONE)
    assert verdict.outcome is DIFF, str(verdict)
    assert verdict.method is DecisionMethod.HIGH_PRECISION


def test_rational_answers_are_decided_by_the_identity_test() -> None:
    options = CheckOptions(symbolic_seconds=0)
    verdict = check_gradient(
        (x**2 - 1) / (x + 1) * y, "y", wrt=y, options=options, isolation=Isolation.NONE
    )
    assert verdict.outcome is DIFF  # (x^2-1)/(x+1) = x - 1, not 1
    verdict = check_gradient(
        (x**2 - 1) / (x + 1) * y, "x - 1", wrt=y, options=options, isolation=Isolation.NONE
    )
    assert verdict.correct
    assert verdict.method is DecisionMethod.EXACT_POINTS


def test_piecewise_answers_are_not_claimed_by_the_identity_test() -> None:
    options = CheckOptions(symbolic_seconds=0)
    verdict = check_gradient(
        PROBLEMS["relu2"], "2 max(0, x)", options=options, isolation=Isolation.NONE
    )
    assert verdict.correct
    assert verdict.method is DecisionMethod.EXACT_SAMPLES
    # a bump narrower than the sampling grid passes: which is why it is not called a proof
    bump = check_gradient(x**2, "2x + max(0, 1/1000 - |x - 1/7|)", wrt=x, options=options,
                          isolation=Isolation.NONE)  # fmt: skip
    if bump.correct:  # (with the default seed it is: no point falls in the bump)
        assert bump.method is DecisionMethod.EXACT_SAMPLES
        assert "no identity test" in str(bump)
    else:
        assert bump.outcome is DIFF


def test_sampling_domains_decide_where_answers_are_compared() -> None:
    positive = {x: SamplingInterval(sp.Rational(1, 10), 3)}
    problem = GradientProblem.from_expression(sp.Abs(x) ** 2 / 2, x, domains=positive)
    assert check_gradient(problem, "x", isolation=Isolation.NONE).correct
    assert check_gradient(problem, "|x|", isolation=Isolation.NONE).correct
    whole_line = GradientProblem.from_expression(sp.Abs(x) ** 3 / 3, x)
    verdict = check_gradient(whole_line, "x^2", isolation=Isolation.NONE)
    assert verdict.outcome is DIFF
    assert verdict.counterexample is not None
    assert verdict.counterexample[x] < 0


def test_matrix_verdict_names_the_wrong_entries_and_the_worst() -> None:
    verdict = check_gradient(
        PROBLEMS["bilinear"], "[[a_1 x_1, a_1 x_2], [a_2 x_1, 3 a_2 x_2]]", isolation=Isolation.NONE
    )
    assert verdict.outcome is DIFF
    assert verdict.wrong_entries == ((1, 1),)
    assert verdict.worst_entry == (1, 1)
    assert "entry (2, 2)" in verdict.reason


def test_verdict_renders_as_text_latex_and_json() -> None:
    verdict = check_gradient(PROBLEMS["mse"], "a - y", isolation=Isolation.NONE)
    text = str(verdict)
    assert text.startswith("DIFFERENT")
    assert "1/2 times" in text
    latex = verdict.latex()
    assert latex.count(r"\[") == 2  # the point and values, then the difference
    notebook = verdict._repr_latex_()
    assert notebook.startswith(r"$$\begin{array}{l}")
    assert notebook.endswith(r"\end{array}$$")
    assert r"\textbf{Different}" in latex
    assert r"\frac{1}{2}" not in latex.split("\n")[0]
    record = json.loads(json.dumps(verdict.to_dict()))
    assert record["correct"] is False
    assert record["mistakes"] == ["constant_factor"]


def test_special_characters_of_a_reason_render_in_jupyter_and_in_latex() -> None:
    verdict = check_gradient(PROBLEMS["mse"], r"2(a - y) + 100%", isolation=Isolation.NONE)
    assert "%" in verdict.reason
    assert "\\frac" in verdict.reason  # in the list of what is accepted
    notebook = verdict._repr_latex_()
    texts = re.findall(r"\\text\{([^{}]*)\}", notebook)
    assert texts
    assert not any("\\" in text for text in texts)  # MathJax shows \text{…} literally
    assert r"\%" in notebook
    assert r"\backslash \text{frac" in notebook
    document = verdict.latex()
    assert r"\textbackslash{}frac" in document
    assert document.isascii()


@pytest.mark.parametrize(
    "text",
    [
        "__import__('os').system('echo hacked')",
        "().__class__.__bases__[0].__subclasses__()",
        "lambda: 1",
        "9**9**9**9",
        "(" * 10_000 + "a" + ")" * 10_000,
        "a" * 1_000_000,
        "a\0",
        r"\frac{1}{2",
        r"\left( a",
    ],
    ids=lambda t: repr(t[:20]),
)
def test_hostile_answers_are_rejected_within_the_limit(text: str) -> None:
    started = time.perf_counter()
    verdict = check_gradient(PROBLEMS["mse"], text, isolation=Isolation.NONE)
    assert verdict.outcome is NC
    assert time.perf_counter() - started < 2


def test_a_check_in_a_process_returns_the_same_verdict() -> None:
    inside = check_gradient(PROBLEMS["mse"], "2(y - a)", isolation=Isolation.NONE)
    isolated = check_gradient(PROBLEMS["mse"], "2(y - a)")
    assert isolated == inside


def test_the_time_limit_holds_and_gives_unknown() -> None:
    options = CheckOptions(time_limit=0.05, symbolic_seconds=0, points=6)
    slow = "+".join(f"tanh({k}*x)^{k}" for k in range(1, 60))
    started = time.perf_counter()
    verdict = check_answer(PROBLEMS["tanh"], slow, options)
    assert verdict.outcome is Outcome.UNKNOWN
    assert "time limit" in verdict.reason
    assert time.perf_counter() - started < 1


def test_options_are_validated() -> None:
    with pytest.raises(ValueError, match="points"):
        CheckOptions(points=1)
    with pytest.raises(TypeError, match="exact"):
        SamplingInterval(0.1, 1)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="wrt is required"):
        check_gradient(x**2, "2x")
    with pytest.raises(TypeError, match="Symbol"):
        check_gradient(x**2, "2x", wrt=[x, 2])  # type: ignore[list-item]
    with pytest.raises(TypeError, match="must be text"):
        check_gradient(x**2, 2.0, wrt=x)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"CheckOptions\.points = '6': expected an integer"):
        CheckOptions(points="6")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="time_limit = True"):
        CheckOptions(time_limit=True)
    with pytest.raises(TypeError, match="give a CheckOptions"):
        check_gradient(x**2, "2x", wrt=x, options={"points": 3})  # type: ignore[arg-type]


def test_the_referee_caches_true_values_per_point() -> None:
    referee = Referee(sp.tanh(x) ** 2, [x])
    first = referee.truth_values(0)
    assert referee.truth_values(0) is first
    assert all(isinstance(v, mpmath.mpf) for v in first.mp)


_TEXT = st.lists(
    st.sampled_from([*"axyz0123+-*/^()[],|_ ", "\\sigma", "tanh", "e^", "**", "\\frac{", "}"]),
    max_size=30,
).map("".join)


@settings(max_examples=120, deadline=None)
@given(_TEXT)
def test_random_text_always_gets_a_verdict(text: str) -> None:
    verdict = check_answer(PROBLEMS["mse"], text, CheckOptions(time_limit=5))
    assert verdict.outcome in set(Outcome)
    assert verdict.reason
    # check_answer turns any exception into UNKNOWN so that a batch goes on: here only the
    # time limit may give UNKNOWN, a crash of the parser or the referee must not hide in it
    if verdict.outcome is Outcome.UNKNOWN:
        assert "time limit" in verdict.reason, verdict.reason


def test_sympy_answers_are_matched_to_the_problem_by_symbol_name() -> None:
    plain = sp.Symbol("x")  # no assumptions: a different symbol to SymPy
    verdict = check_gradient(x**3, 3 * plain**2, wrt=x, isolation=Isolation.NONE)
    assert verdict.correct
    stranger = sp.Symbol("q")
    verdict = check_gradient(x**3, 3 * stranger**2, wrt=x, isolation=Isolation.NONE)
    assert verdict.outcome is NC
    assert Mistake.UNKNOWN_SYMBOLS in verdict.mistakes


def test_a_network_can_be_checked_directly() -> None:
    net = Network.mlp([1, 1], "sigmoid")
    w = net.parameters[0]
    text = r"2(a^{(1)} - y) a^{(1)} (1 - a^{(1)}) x"
    verdict = check_gradient(net, text, wrt=w, loss=LOSSES["mse"], isolation=Isolation.NONE)
    assert verdict.correct
    bias = text.removesuffix(" x")  # b1 is a 1x1 matrix: a single expression answers it
    verdict = check_gradient(net, bias, wrt="b1", loss=LOSSES["mse"], isolation=Isolation.NONE)
    assert verdict.correct
    verdict = check_gradient(net, text, wrt="b1", loss=LOSSES["mse"], isolation=Isolation.NONE)
    assert verdict.outcome is DIFF
    with pytest.raises(ValueError, match="loss="):
        check_gradient(net, text, wrt=w)


def test_a_chain_rule_mistake_in_one_layer_is_named() -> None:
    net = Network.mlp([2, 2, 1], ["sigmoid", "sigmoid"])
    problem = GradientProblem.from_network(net, LOSSES["mse"], "W1")
    entry = r"2(a^{(2)}-y) a^{(2)}(1-a^{(2)}) w^{(2)}_{1J} \sigma(z^{(1)}_J) x_K"
    rows = [[entry.replace("J", str(j)).replace("K", str(k)) for k in (1, 2)] for j in (1, 2)]
    text = "[" + ", ".join("[" + ", ".join(row) + "]" for row in rows) + "]"
    verdict = check_gradient(problem, text, isolation=Isolation.NONE)
    assert verdict.outcome is DIFF
    assert verdict.mistakes == (Mistake.DERIVATIVE_AS_FUNCTION,)
    assert "σ'(z) as σ(z)" in verdict.reason
    right = text.replace(r"\sigma(z^{(1)}_1)", r"\sigma'(z^{(1)}_1)")
    right = right.replace(r"\sigma(z^{(1)}_2)", r"\sigma'(z^{(1)}_2)")
    assert check_gradient(problem, right, isolation=Isolation.NONE).correct


@pytest.mark.parametrize("wrt", ["W1", "b1", "W2", "b2"])
def test_the_printed_true_gradient_reads_back_as_correct(wrt: str) -> None:
    net = Network.mlp([2, 2, 1], ["tanh", "identity"])
    problem = GradientProblem.from_network(net, LOSSES["mse"], wrt)
    for text in (sp.latex(problem.truth), sp.sstr(problem.truth)):
        assert check_gradient(problem, text, isolation=Isolation.NONE).correct


def _matrix_text(entry: str) -> str:
    rows = [[entry.replace("J", str(j)).replace("K", str(k)) for k in (1, 2)] for j in (1, 2)]
    return "[" + ", ".join("[" + ", ".join(row) + "]" for row in rows) + "]"


def test_a_missing_relu_derivative_is_named() -> None:
    net = Network.mlp([2, 2, 1], ["relu", "identity"])
    problem = GradientProblem.from_network(net, LOSSES["mse"], "W1")
    wrong = _matrix_text(r"2(a^{(2)}-y) w^{(2)}_{1J} x_K")
    verdict = check_gradient(problem, wrong, isolation=Isolation.NONE)
    assert verdict.mistakes == (Mistake.MISSING_DERIVATIVE,)
    right = _matrix_text(r"2(a^{(2)}-y) w^{(2)}_{1J} \operatorname{relu}'(z^{(1)}_J) x_K")
    assert check_gradient(problem, right, isolation=Isolation.NONE).correct


def test_huge_exact_powers_are_decided_quickly() -> None:
    started = time.perf_counter()
    verdict = check_gradient(x**2, "(x^999 + 1)^999", wrt=x, isolation=Isolation.NONE)
    assert verdict.outcome is DIFF
    assert time.perf_counter() - started < 5


def test_an_answer_too_large_to_evaluate_somewhere_is_judged_where_it_can_be() -> None:
    # e^e^e^e^e^x cannot be computed at the far points (x > 3): those points are skipped,
    # and the others show the difference
    verdict = check_gradient(x**2, "exp(exp(exp(exp(exp(x)))))", wrt=x, isolation=Isolation.NONE)
    assert verdict.outcome is DIFF
    assert verdict.counterexample is not None
    assert verdict.counterexample[x] < 2


def test_an_undefined_value_is_shown_as_undefined() -> None:
    verdict = Verdict(Outcome.DIFFERENT, "differs", counterexample={x: sp.Integer(1)},
                      true_value=sp.Integer(2), submitted_value=sp.nan)  # fmt: skip
    assert "undefined" in str(verdict)
    assert r"\text{undefined}" in verdict.latex()


@pytest.mark.latex
def test_a_verdict_compiles_with_pdflatex(tmp_path: Path) -> None:
    from test_latex_compile import compile_latex  # the project's pdflatex check

    problem = PROBLEMS["network"]
    wrong = r"[[2(a^{(2)}-y) \sigma(z^{(2)}) a^{(1)}_1, 2(a^{(2)}-y) \sigma(z^{(2)}) a^{(1)}_2]]"
    verdicts = [check_gradient(problem, wrong, isolation=Isolation.NONE),
                check_gradient(PROBLEMS["mse"], "2(a+y)", isolation=Isolation.NONE),
                check_gradient(PROBLEMS["mse"], "2(a+y) %", isolation=Isolation.NONE)]  # fmt: skip
    body = "\n\n".join(v.latex() for v in verdicts)
    assert body.isascii()
    compile_latex(
        "\\documentclass{article}\n\\usepackage{amsmath}\n\\begin{document}\n"
        f"{body}\n\\end{{document}}\n",
        tmp_path,
    )


def _rewrites(expr: sp.Expr) -> list[sp.Expr]:
    return [sp.expand(expr), expr.rewrite(sp.exp), sp.together(expr), sp.factor_terms(expr)]


@settings(max_examples=40, deadline=None)
@given(st.deferred(lambda: _random_expressions()))
def test_rewritten_truths_are_equivalent_and_shifted_ones_are_not(expr: sp.Expr) -> None:
    referee = Referee(expr, sorted(expr.free_symbols, key=str) or [x])
    for form in _rewrites(expr):
        verdict = referee.judge(form)
        assert verdict.outcome in (EQ, Outcome.UNKNOWN), (expr, form, str(verdict))
    shifted = referee.judge(expr + sp.Rational(1, 7))
    assert shifted.outcome in (DIFF, Outcome.UNKNOWN), (expr, str(shifted))
    if shifted.outcome is DIFF:
        assert Mistake.CONSTANT_OFFSET in shifted.mistakes or expr.is_number


def _random_expressions() -> st.SearchStrategy[sp.Expr]:
    from test_parsing import _EXPRESSIONS  # the parser's property test draws the same kind

    return _EXPRESSIONS


def test_a_deadline_pauses_cyclic_garbage_collection_and_restores_it() -> None:
    import gc

    from symdl.core.limits import deadline

    assert gc.isenabled()
    with deadline(1.0):
        assert not gc.isenabled()  # no gc callback can receive the alarm
        with deadline(0.5):
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()


class _SlowToFinalise:
    """A finaliser that runs long enough for the simplification budget's alarm to land in it."""

    def __del__(self) -> None:
        started = time.perf_counter()
        while time.perf_counter() - started < 0.3:
            pass


def test_a_swallowed_alarm_does_not_change_the_verdict(monkeypatch: pytest.MonkeyPatch) -> None:
    options = CheckOptions(symbolic_seconds=0.05)
    expected = check_gradient(
        PROBLEMS["mse"], "2(y - a)", options=options, isolation=Isolation.NONE
    )
    simplify = sp.simplify

    def simplify_after_a_finaliser(expr: sp.Expr) -> sp.Expr:
        _SlowToFinalise()  # the alarms of the 0.05 s budget land in its __del__, swallowed
        return simplify(expr)

    monkeypatch.setattr(sp, "simplify", simplify_after_a_finaliser)
    verdict = check_gradient(PROBLEMS["mse"], "2(y - a)", options=options, isolation=Isolation.NONE)
    assert verdict.outcome is expected.outcome is DIFF
    assert verdict.mistakes == expected.mistakes == (Mistake.SIGN,)
    assert verdict.counterexample == expected.counterexample
