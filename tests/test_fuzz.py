"""Fuzzing the parser and whole checks with hostile text: only clean refusals or verdicts.

Every answer, however built, must end as a value or an ``AnswerSyntaxError`` from the parser
(quickly), and as a verdict from a whole check (within its time limit and memory cap).
"""

from __future__ import annotations

import time

import sympy as sp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from symdl.grading.answers import Isolation, check_gradient
from symdl.grading.lexing import AnswerSyntaxError
from symdl.grading.parsing import parse_answer
from symdl.referee.equivalence import CheckOptions
from symdl.referee.verdict import Outcome, Verdict

x, y = sp.symbols("x y", real=True)

#: Pieces of hostile answers: huge numbers and exponents, towers, kinks, undefined constants.
_PIECES = st.sampled_from(
    [
        "x", "y", "0", "1", "2", "9", "10^60", "10^(-45)", "1000", "999999", "pi", "e",
        "+", "-", "*", "/", "^", "^", "(", ")", "(", ")", ",", "!", "'",
        "exp(", "log(", "sin(", "tanh(", "σ(", "σ'(", "max(", "min(", "heaviside(",
        "sqrt(", "|", r"\frac{", "}{", "}", r"\sigma^{\prime}(", r"\operatorname{sech}",
    ]
)  # fmt: skip
_TEXTS = st.lists(_PIECES, min_size=1, max_size=30).map("".join)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_TEXTS)
def test_hostile_text_parses_or_is_refused_quickly(text: str) -> None:
    start = time.perf_counter()
    try:
        result = parse_answer(text, symbols={"x": x, "y": y})
    except AnswerSyntaxError:
        result = None
    assert result is None or isinstance(result, (sp.Basic, sp.MatrixBase))
    assert time.perf_counter() - start < 5, text


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_TEXTS)
def test_a_whole_check_of_hostile_text_is_a_verdict_within_its_limits(text: str) -> None:
    # each check in a worker limited to 2 s and 256 MiB: whatever the text, a verdict
    options = CheckOptions(time_limit=2, memory_limit=256 << 20)
    start = time.perf_counter()
    verdict = check_gradient(x**3 * y, text, wrt=x, options=options, isolation=Isolation.PROCESS)
    assert isinstance(verdict, Verdict)
    assert verdict.outcome in Outcome
    assert str(verdict)  # displayable
    assert time.perf_counter() - start < options.time_limit + 5, text
