"""Tests of the safe answer parser: accepted forms, symbol names, ambiguity, hostile text."""

from __future__ import annotations

import math
import re
import time

import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from symdl.core.activations import Sigmoid, Softplus
from symdl.grading.answers import Isolation, check_gradient
from symdl.grading.lexing import FunctionSpec, ParseLimits, symbol_key
from symdl.grading.parsing import (
    DEFAULT_FUNCTIONS,
    MAX_CONSTANT_DIGITS,
    AmbiguousAnswerError,
    AnswerSyntaxError,
    UnknownNameError,
    constant_digits,
    parse_answer,
    parse_expression,
)
from symdl.referee.verdict import Outcome

x, y, z, a = sp.symbols("x y z a", real=True)
W11 = sp.Symbol("w^{(1)}_{11}", real=True)
W12 = sp.Symbol("w^{(1)}_{12}", real=True)
W2 = sp.Symbol("w^{(2)}_{11}", real=True)
SYMBOLS = (x, y, z, a, W11, W12, W2)


def parse(text: str) -> sp.Expr:
    return parse_expression(text, symbols=SYMBOLS)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2*(a-y)*sigmoid(z)*(1-sigmoid(z))", 2 * (a - y) * Sigmoid(z) * (1 - Sigmoid(z))),
        (r"2(a-y)\,\sigma(z)(1-\sigma(z))", 2 * (a - y) * Sigmoid(z) * (1 - Sigmoid(z))),
        ("σ(z)(1−σ(z))", Sigmoid(z) * (1 - Sigmoid(z))),
        ("x^2", x**2),
        ("x**2", x**2),
        ("2x", 2 * x),
        ("2xy^2", 2 * x * y**2),
        ("x y", x * y),
        ("-x^2", -(x**2)),
        ("2^-1", sp.S.Half),
        ("0.25x", x / 4),
        (r"1 - \tanh(x)^2", 1 - sp.tanh(x) ** 2),
        (r"\operatorname{sech}^2(x)", sp.sech(x) ** 2),
        (r"\operatorname{sech}^2 x", sp.sech(x) ** 2),
        (r"\mathrm{sech}^{2}\left(x\right)", sp.sech(x) ** 2),
        (r"\frac{e^{-z}}{(1+e^{-z})^2}", sp.exp(-z) / (1 + sp.exp(-z)) ** 2),
        (r"\dfrac12 x", x / 2),
        (r"\max(0,x)", sp.Max(0, x)),
        (r"\exp(x) \cdot \log x", sp.exp(x) * sp.log(x)),
        (r"\sin x \cos x", sp.sin(x) * sp.cos(x)),
        (r"\log_2 x", sp.log(x) / sp.log(2)),
        (r"\sqrt[3]{x}", sp.cbrt(x)),
        ("|x - y|", sp.Abs(x - y)),
        ("||x|-1|", sp.Abs(sp.Abs(x) - 1)),
        ("e^x + pi", sp.exp(x) + sp.pi),
        ("x×y÷2", x * y / 2),
        ("x²", x**2),
        ("sigma'(z)", Sigmoid(z) * (1 - Sigmoid(z))),
        (r"\tanh'(x)", 1 - sp.tanh(x) ** 2),
        ("relu'(x)", sp.Heaviside(x, 0)),
        ("log(x, 2)", sp.log(x) / sp.log(2)),
    ],
)
def test_accepted_forms(text: str, expected: sp.Expr) -> None:
    assert parse(text) == expected


@pytest.mark.parametrize(
    "text",
    ["w^{(1)}_{11}", "w_{11}^{(1)}", "w^(1)_11", "w_11^(1)", "w^{(1)}_{1,1}", "w^{[1]}_{11}"],
)
def test_layer_and_subscript_spellings_name_the_same_symbol(text: str) -> None:
    assert parse(text) == W11


def test_symbols_are_found_through_a_mapping_of_names() -> None:
    b = sp.Symbol("b^{(2)}_1", real=True)
    assert parse_expression("3*bias", symbols={"bias": b}) == 3 * b
    assert parse_expression("b_1^{(2)}", symbols={"bias": b}) == b


def test_symbol_key_normalizes_separators() -> None:
    assert symbol_key("w^{(1)}_{1,2}") == symbol_key("w_{12}^{(1)}") == ("w", "1", "12")
    assert symbol_key(r"\alpha") == symbol_key("α") == ("alpha", "", "")


def test_vectors_and_matrices() -> None:
    assert parse_answer("[x, y]", symbols=SYMBOLS) == sp.Matrix([x, y])
    assert parse_answer("[[x, y], [z, a]]^T", symbols=SYMBOLS) == sp.Matrix([[x, z], [y, a]])
    assert parse_answer("[x, y; z, a]", symbols=SYMBOLS) == sp.Matrix([[x, y], [z, a]])
    latex = r"\begin{pmatrix} x & y \\ z & a \\ \end{pmatrix}"
    assert parse_answer(latex, symbols=SYMBOLS) == sp.Matrix([[x, y], [z, a]])
    assert parse_answer("2[x, y]", symbols=SYMBOLS) == sp.Matrix([2 * x, 2 * y])
    with pytest.raises(AnswerSyntaxError, match="single expression"):
        parse_expression("[x, y]", symbols=SYMBOLS)
    with pytest.raises(AnswerSyntaxError, match="do not fit"):
        parse_answer("[x, y] + [x, y, z]", symbols=SYMBOLS)


@pytest.mark.parametrize(
    ("text", "readings"),
    [
        ("1/2x", ("x/2", "1/(2*x)")),
        ("e^2x", ("x*exp(2)", "exp(2*x)")),
        (r"\tanh x y", ("y*tanh(x)", "tanh(x*y)")),
        (r"x^23 + \alpha", ("^{23}", "^{2}·3")),
        (r"\tanh^{-1}(x)", ("the inverse function of tanh", "1/tanh(…)")),
    ],
)
def test_ambiguous_text_lists_its_readings(text: str, readings: tuple[str, str]) -> None:
    alpha = sp.Symbol("alpha", real=True)
    with pytest.raises(AmbiguousAnswerError) as caught:
        parse_expression(text, symbols=(*SYMBOLS, alpha))
    assert caught.value.readings == readings
    assert all(reading in str(caught.value) for reading in readings)


def test_a_word_with_two_segmentations_is_ambiguous() -> None:
    ab = sp.Symbol("ab", real=True)
    b, c = sp.symbols("b c", real=True)
    assert parse_expression("abc", symbols=[a, b, c]) == a * b * c
    with pytest.raises(AmbiguousAnswerError):
        parse_expression("abc", symbols=[a, b, c, ab, sp.Symbol("bc")])


def test_a_symbol_that_is_also_a_function_is_ambiguous_before_a_parenthesis() -> None:
    sigma = sp.Symbol("sigma", positive=True)
    with pytest.raises(AmbiguousAnswerError):
        parse_expression(r"\sigma(x)", symbols=[sigma, x])
    assert parse_expression(r"2\sigma", symbols=[sigma, x]) == 2 * sigma


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("__import__('os').system('echo hacked')", "not accepted"),
        ("x.real", "'.'"),
        ("lambda: 1", "':'"),
        ("(lambda(x))", "unknown name 'lambda'"),
        ("exec(x)", "unknown name 'exec'"),
        ("9**9**9**9", "exponent 387420489 is too large"),
        ("10^100^100", "too large"),
        ("(x^1000)^1000", "exponent 1000000"),
        ("(" * 10_000 + "x" + ")" * 10_000, "characters long"),
        ("(" * 600 + "x" + ")" * 600, "nesting deeper"),
        ("-" * 1000 + "x", "nesting deeper"),
        ("x^" * 700 + "x", "nesting deeper"),
        ("\\sqrt" * 1500 + "x", "nesting deeper"),  # nested without braces
        ("\\tanh " * 1200 + "x", "nesting deeper"),  # nested without parentheses
        ("\\sigma'" * 500 + "x", "nesting deeper"),
        ("\\frac1" * 1500 + "x", "nesting deeper"),
        ("x" * 3000, "unknown name"),
        ("x" * 1_000_000, "characters long"),
        ("x\0", "control character"),
        ("x + \0 y", "control character"),
        (r"\frac{1}{2", "expected '}'"),
        (r"\left( x", "expected ')'"),
        (r"\begin{pmatrix} x & y", "expected"),
        (r"\partial x", r"\partial is not accepted"),
        ("x = 2", "'=' is not accepted"),
        ("foo(x)", "unknown name 'foo'"),
        ("x2", "x_2"),
        ("2e-3", "scientific notation"),
        ("1/0", "division by zero"),
        ("", "empty"),
        ("max x", "parentheses"),
        ("x'", "unexpected"),
    ],
    ids=lambda value: repr(value[:24]),
)
def test_hostile_or_broken_text_is_rejected_cleanly(text: str, message: str) -> None:
    started = time.perf_counter()
    with pytest.raises(AnswerSyntaxError, match=re.escape(message)):
        parse(text)
    assert time.perf_counter() - started < 1.0


def test_rejection_has_no_side_effect(tmp_path: pytest.TempPathFactory) -> None:
    marker = tmp_path / "pwned"  # type: ignore[operator]
    text = f"__import__('os').system('touch {marker}')"
    with pytest.raises(AnswerSyntaxError):
        parse(text)
    assert not marker.exists()


def test_error_names_the_column_and_what_is_accepted() -> None:
    with pytest.raises(AnswerSyntaxError) as caught:
        parse("2*x + q")
    assert caught.value.position == 6
    assert "w^{(1)}_{11}" in str(caught.value)
    assert "tanh" in str(caught.value)


@pytest.mark.parametrize(
    ("text", "name"),
    [("2*x + q", "q"), ("qx", "qx"), ("w_{11}^{(3)}", "w_{11}"), ("foo(x)", "foo")],
)
def test_an_unknown_name_is_named(text: str, name: str) -> None:
    with pytest.raises(UnknownNameError, match="unknown name") as caught:
        parse(text)
    assert caught.value.name == name


def test_a_known_name_misused_is_not_an_unknown_name() -> None:
    with pytest.raises(AnswerSyntaxError) as caught:
        parse("x +* y")
    assert not isinstance(caught.value, UnknownNameError)


def test_limits_are_configurable_and_validated() -> None:
    with pytest.raises(AnswerSyntaxError, match="max_exponent"):
        parse_expression("x^11", symbols=[x], limits=ParseLimits(max_exponent=10))
    with pytest.raises(ValueError, match="positive integer"):
        ParseLimits(max_depth=0)
    loose = ParseLimits(max_depth=100_000, max_tokens=100_000)  # Python's stack gives out first
    with pytest.raises(AnswerSyntaxError, match="nested too deeply"):
        parse_expression("(" * 4000 + "x" + ")" * 4000, symbols=[x], limits=loose)
    with pytest.raises(TypeError, match="str"):
        parse_expression("x", symbols="x")  # type: ignore[arg-type]


_ALPHABET = st.sampled_from(
    [*"xyza0123456789+-*/^()[]{}|,._'=! \\", r"\frac", r"\sigma", "sigma", "exp", "**"]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_ALPHABET, max_size=40).map("".join))
def test_random_text_parses_or_is_rejected_cleanly(text: str) -> None:
    try:
        result = parse_answer(text, symbols=SYMBOLS)
    except AnswerSyntaxError:
        return
    assert isinstance(result, sp.Basic)


_LEAVES = st.sampled_from([x, y, W11, sp.Integer(2), sp.Integer(-3), sp.Rational(1, 2)])
# (Sigmoid is left out: SymPy cannot print a power of it in LaTeX yet)
_UNARY = st.sampled_from([sp.exp, sp.tanh, sp.Abs, sp.sqrt, sp.log, sp.cosh])


def _real_max(a: sp.Expr, b: sp.Expr) -> sp.Expr:
    return sp.Max(a, b) if a.is_real is not False and b.is_real is not False else a + b


def _extend(children: st.SearchStrategy[sp.Expr]) -> st.SearchStrategy[sp.Expr]:
    pairs = st.tuples(children, children)
    return st.one_of(
        pairs.map(lambda p: p[0] + p[1]),
        pairs.map(lambda p: p[0] * p[1]),
        pairs.map(lambda p: _real_max(*p)),
        st.tuples(children, st.integers(-3, 3)).map(lambda p: p[0] ** p[1]),
        st.tuples(_UNARY, children).map(lambda p: p[0](p[1])),
    )


_EXPRESSIONS = st.recursive(_LEAVES, _extend, max_leaves=6).filter(
    lambda e: e.is_finite is not False and not e.has(sp.zoo, sp.nan, sp.I)
)


@settings(max_examples=60, deadline=None)
@given(_EXPRESSIONS)
def test_sympy_text_and_latex_parse_back_to_the_same_expression(expr: sp.Expr) -> None:
    for text in (sp.sstr(expr), sp.latex(expr)):
        back = parse_answer(text, symbols=SYMBOLS)
        assert back == expr or (back - expr).equals(0), (text, back)


# --- derivatives written with primes, in every usual form -------------------------------------

_S = Sigmoid(x)
#: First and second derivatives, written out by hand (not by the parser).
_DERIVATIVES: dict[str, tuple[sp.Expr, sp.Expr]] = {
    "sigma": (_S * (1 - _S), _S * (1 - _S) * (1 - 2 * _S)),
    "tanh": (1 - sp.tanh(x) ** 2, -2 * sp.tanh(x) * (1 - sp.tanh(x) ** 2)),
    "exp": (sp.exp(x), sp.exp(x)),
    "log": (1 / x, -1 / x**2),
    "softplus": (_S, _S * (1 - _S)),
    "sech": (-sp.sech(x) * sp.tanh(x), sp.sech(x) * sp.tanh(x) ** 2 - sp.sech(x) ** 3),
    "sin": (sp.cos(x), -sp.sin(x)),
}
_FIRST = ["{f}'(x)", "{f}^{{\\prime}}(x)", "{f}^\\prime(x)", "{f}^{{'}}(x)", "{f}′(x)"]
_SECOND = ["{f}''(x)", "{f}^{{\\prime\\prime}}(x)", "{f}^{{''}}(x)", "{f}″(x)", "{f}'^\\prime(x)"]


def _same(a: sp.Expr, b: sp.Expr) -> bool:
    return a == b or sp.simplify((a - b).rewrite(sp.exp)) == 0


@pytest.mark.parametrize("name", sorted(_DERIVATIVES))
@pytest.mark.parametrize("form", _FIRST)
def test_a_first_derivative_is_read_in_every_usual_form(name: str, form: str) -> None:
    for written in (name, "\\" + name):
        assert _same(parse(form.format(f=written)), _DERIVATIVES[name][0]), written


@pytest.mark.parametrize("name", ["sigma", "tanh", "log", "sech"])
@pytest.mark.parametrize("form", _SECOND)
def test_a_second_derivative_is_read_in_every_usual_form(name: str, form: str) -> None:
    assert _same(parse(form.format(f="\\" + name)), _DERIVATIVES[name][1])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (r"\mathrm{sigmoid}'(x)", _S * (1 - _S)),
        (r"\operatorname{ReLU}^{\prime}(x)", sp.Heaviside(x, 0)),
        (r"\sigma^{\prime}(2x)", Sigmoid(2 * x) * (1 - Sigmoid(2 * x))),
        (r"\tanh^{\prime}(x)^2", (1 - sp.tanh(x) ** 2) ** 2),
    ],
)
def test_primes_combine_with_names_and_powers(text: str, expected: sp.Expr) -> None:
    assert _same(parse(text), expected)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("relu''(x)", "Dirac delta"),  # relu' = H jumps at 0
        ("abs''(x)", "Dirac delta"),
        ("sign'(x)", "Dirac delta"),
        ("sigma'''(x)", "at most twice"),
        (r"\sigma^{\prime\prime\prime}(x)", "at most twice"),
        (r"\dot{\sigma}(x)", r"\dot is not accepted"),  # a dot is not a prime
        (r"\dot{x}", r"\dot is not accepted"),
    ],
)
def test_a_derivative_that_is_not_a_function_is_refused(text: str, message: str) -> None:
    with pytest.raises(AnswerSyntaxError, match=re.escape(message)):
        parse(text)


@pytest.mark.parametrize(
    ("f", "answer"),
    [
        (Sigmoid(x), r"\sigma^{\prime}(x)"),
        (Sigmoid(x), r"\sigma^\prime(x)"),
        (sp.tanh(x), r"\tanh^{\prime}(x)"),
        (Softplus(x), r"\operatorname{softplus}^{\prime}(x)"),
        (sp.tanh(x), r"\operatorname{sech}^2 x"),
    ],
)
def test_check_gradient_accepts_primes_and_named_operators(f: sp.Expr, answer: str) -> None:
    verdict = check_gradient(f, answer, wrt=x, isolation=Isolation.NONE)
    assert verdict.outcome is Outcome.EQUIVALENT, verdict


# --- \operatorname{…}, \mathrm{…}, \text{…} ----------------------------------------------------

_BY_HAND = {
    "exp": sp.exp(x),
    "tanh": sp.tanh(x),
    "sech": sp.sech(x),
    "sigmoid": _S,
    "sigma": _S,
    "softplus": Softplus(x),
    "ReLU": sp.Max(0, x),
    "relu": sp.Max(0, x),
    "arctanh": sp.atanh(x),
    "sgn": sp.sign(x),
}
_ONE_ARGUMENT = sorted(name for name, spec in DEFAULT_FUNCTIONS.items() if 1 in spec.arity)


@pytest.mark.parametrize("command", ["operatorname", "mathrm", "text"])
@pytest.mark.parametrize("name", sorted(_BY_HAND))
def test_a_function_name_in_a_latex_name_command(command: str, name: str) -> None:
    assert parse(f"\\{command}{{{name}}}(x)") == _BY_HAND[name]


@pytest.mark.parametrize("name", _ONE_ARGUMENT)
def test_every_known_function_reads_the_same_inside_operatorname(name: str) -> None:
    assert parse(f"\\operatorname{{{name}}}(x + 2)") == parse(f"{name}(x + 2)")


@pytest.mark.parametrize(
    "text", [r"\operatorname{foo}(x)", r"\mathrm{tanhh}(x)", r"\text{exec}(x)"]
)
def test_an_unknown_name_in_a_latex_name_command_is_an_unknown_name(text: str) -> None:
    with pytest.raises(UnknownNameError, match="unknown name"):
        parse(text)


# --- undefined constants and comparisons of constants -------------------------------------------


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("0^(-1)", "0^(-1) is undefined"),
        ("log(0)", "log(0) is undefined"),
        ("tan(pi/2)", "tan(pi/2) is undefined"),
        ("x + cot(0)", "cot(0) is undefined"),
        ("max(0^(-1),x)", "0^(-1) is undefined"),
        ("max(log(0),x)", "log(0) is undefined"),
        ("min(tan(pi/2),1)", "tan(pi/2) is undefined"),
        ("heaviside(log(0,x),1)", "log(0,x) is undefined"),
        ("log(2,1)", "log(2,1) is undefined"),
        ("atanh(1)", "atanh(1) is undefined"),
        (r"\sqrt[0]{x}", "undefined"),
        ("0/0", "division by zero"),
        (r"\log_1 x", "division by zero"),
        ("min(x, 1/0)", "division by zero"),
    ],
)
def test_an_undefined_constant_is_a_syntax_error(text: str, message: str) -> None:
    with pytest.raises(AnswerSyntaxError, match=re.escape(message)):
        parse(text)


_TINY = (1 - Sigmoid(1000)) * Sigmoid(1000)  # σ'(1000) = e^-1000/(1+e^-1000)^2 ≈ 5e-435 > 0


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("max(σ'(1000),1/2)", sp.S.Half),
        ("min(σ'(1000),1/2)", _TINY),
        ("max(σ'(1000), 0)", _TINY),
        ("heaviside(σ'(1000) - 1/2)", sp.S.Zero),
        ("heaviside(σ'(1000))", sp.S.One),
        ("relu(σ(1000) - 1)", sp.S.Zero),  # σ(1000) < 1
        ("relu'(σ(1000) - 1)", sp.S.Zero),
        ("sign(1 - σ(1000))", sp.S.One),
        ("abs'(σ(1000) - 1)", -sp.S.One),
        ("|σ(1000) - 1|", 1 - Sigmoid(1000)),
        ("max(pi, 355/113)", sp.Rational(355, 113)),  # π = 3.14159265… < 3.14159292…
    ],
)
def test_constants_that_sympy_cannot_order_are_ordered_exactly(
    text: str, expected: sp.Expr
) -> None:
    assert parse(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("max(log(8), 3*log(2))", "cannot tell which"),  # equal: no precision separates them
        ("max(1 - sigma(10^4), 0)", "cannot tell which"),  # e^-10000 needs 4343 digits
        ("max(x, σ'(1000))", "cannot compare"),
        ("sqrt(-1)", "not a real number"),
        ("log(-2)", "not a real number"),
        ("arcsin(3) + x", "not a real number"),
        ("max(sqrt(-1), 1)", "not a real number"),
        ("heaviside((-8)^(1/3))", "not a real number"),
    ],
)
def test_an_undecidable_or_complex_constant_is_refused_clearly(text: str, message: str) -> None:
    with pytest.raises(AnswerSyntaxError, match=re.escape(message)):
        parse(text)


def test_any_failure_while_building_is_a_syntax_error_but_a_time_limit_is_not() -> None:
    def broken(t: sp.Expr) -> sp.Expr:
        raise KeyError("a bug inside a function")

    def slow(t: sp.Expr) -> sp.Expr:
        raise TimeoutError("the time limit")

    functions = {**DEFAULT_FUNCTIONS, "broken": FunctionSpec(broken), "slow": FunctionSpec(slow)}
    with pytest.raises(AnswerSyntaxError, match="could not build"):
        parse_expression("broken(x)", symbols=[x], functions=functions)
    with pytest.raises(TimeoutError):
        parse_expression("slow(x)", symbols=[x], functions=functions)


def test_readings_of_an_ambiguous_answer_write_powers_with_a_caret() -> None:
    with pytest.raises(AmbiguousAnswerError) as caught:
        parse("1/2x^2")
    assert caught.value.readings == ("x^2/2", "1/(2*x^2)")


# --- Unicode digits ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "char"),
    [("３", "３"), ("٣", "٣"), ("𝟑", "𝟑"), ("x^３", "３"), ("2x + ٣", "٣"), ("x_𝟏", "𝟏")],
)
def test_a_non_ascii_digit_is_refused_by_name(text: str, char: str) -> None:
    with pytest.raises(AnswerSyntaxError, match="ASCII digits 0-9") as caught:
        parse(text)
    assert repr(char) in str(caught.value)
    assert caught.value.position == text.index(char)


def test_a_superscript_digit_other_than_two_and_three_says_how_to_write_a_power() -> None:
    with pytest.raises(AnswerSyntaxError, match=r"write a power as x\^4"):
        parse("x⁴")
    assert parse("x² + x³ + σ(x)") == x**2 + x**3 + _S  # the Unicode that worked still works


# --- bounds on the numbers an answer builds ------------------------------------------------------


def test_numbers_are_bounded_by_named_limits() -> None:
    big = 10**60 + 7
    assert parse("((10^60+7)^20)^(1/2)") == sp.Integer(big**10)  # an exact root is taken
    assert parse("exp(log((10^60+7)^4)/2)") == sp.Integer(big**2)
    assert parse("(10^60+7)^(1/2)") == sp.sqrt(sp.Integer(big))  # 200 bits under a root
    cases = {
        "((10^60+7)^100)^(1/2)": "ParseLimits.max_bits",
        "*".join(["(10^60)^20"] * 3): "ParseLimits.max_bits",
        "((10^60+7)^19)^(1/2)": "ParseLimits.max_root_bits",
        "sqrt(10^59+1)*sqrt(10^59+3)": "ParseLimits.max_root_bits",
        "exp(10^6*log(2))": "ParseLimits.max_exponent",
        "exp(5000*x)": "ParseLimits.max_exponent",
        "x^(5000*y)": "ParseLimits.max_exponent",
        "exp(exp(10))": "ParseLimits.max_bits",  # about 10^9566
        "exp(-1000)*exp(-1000)*exp(-1000)*exp(-1000)*sin(exp(-1000)^3)": "ParseLimits.max_bits",
    }
    for text, limit in cases.items():
        with pytest.raises(AnswerSyntaxError, match=re.escape(limit)):
            parse(text)


def test_the_node_limits_bound_primes_and_long_constants() -> None:
    nested = "sigma''(" * 4 + "x" + ")" * 4  # each σ'' repeats its argument three times
    with pytest.raises(AnswerSyntaxError, match=re.escape("ParseLimits.max_nodes")):
        parse_expression(nested, symbols=[x], limits=ParseLimits(max_nodes=1000))
    long_constant = "exp(sqrt(2) + sqrt(3) + sqrt(5) + sqrt(7))"
    with pytest.raises(AnswerSyntaxError, match=re.escape("ParseLimits.max_constant_nodes")):
        parse_expression(long_constant, limits=ParseLimits(max_constant_nodes=8))
    assert parse_expression(long_constant) == sp.exp(
        sp.sqrt(2) + sp.sqrt(3) + sp.sqrt(5) + sp.sqrt(7)
    )
    for field in ("max_root_bits", "max_nodes", "max_constant_nodes"):
        with pytest.raises(ValueError, match=field):
            ParseLimits(**{field: 0})


# --- constant_digits ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("expr", "digits"),
    [
        (x / sp.Integer(10) ** 45, (45, 46)),
        ((sp.Integer(10) ** 45 + 1) / sp.Integer(10) ** 45, (46,)),
        (x + sp.Rational(1, 3), (1,)),
        (x, (1,)),
        (sp.pi * x + sp.sqrt(2), (1,)),
        (sp.Matrix([x / 1000, 7 * x]), (4,)),
        # |log10 e^-1000| = 1000 / ln 10 = 434.29…
        (sp.exp(-1000) * x, (math.ceil(1000 / math.log(10)),)),
        (sp.exp(-1000), (math.ceil(1000 / math.log(10)),)),
        # 1 - σ(1000) = σ(-1000) ≈ e^-1000: a cancellation that 15 digits cannot see
        ((1 - Sigmoid(1000)) * x, (math.ceil(1000 / math.log(10)),)),
        (x + 1 - Sigmoid(1000), (math.ceil(1000 / math.log(10)),)),  # a flattened sum
        (sp.exp(-sp.exp(10)) * x, (math.ceil(math.exp(10) / math.log(10)),)),
        (sp.exp(sp.exp(100)) * x, (MAX_CONSTANT_DIGITS,)),  # too large to evaluate: the cap
    ],
)
def test_constant_digits_on_hand_computed_cases(expr: sp.Basic, digits: tuple[int, ...]) -> None:
    started = time.perf_counter()
    assert constant_digits(expr) in digits
    assert time.perf_counter() - started < 1.0


def test_constant_digits_of_a_parsed_answer_and_of_bad_input() -> None:
    assert constant_digits(parse("x*10^(-45)")) in (45, 46)
    assert constant_digits(parse("exp(-1000) + x")) == 435
    with pytest.raises(TypeError, match="parse text first"):
        constant_digits("x + 1")  # type: ignore[arg-type]
