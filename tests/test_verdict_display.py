"""Every verdict can be displayed: huge exact values are shown by their leading digits.

Python refuses to convert an integer of more than 4,300 digits to text (``str`` raises
``ValueError``), and an exact value at a sample point can have far more: the verdict shows such
a number as its first digits, "…" and its power of ten, in every form (text, JSON, LaTeX, the
notebook's HTML and LaTeX).  The expected digits are worked out here by hand or with
:mod:`decimal`, independently of the code under test.
"""

from __future__ import annotations

import json
import time
from decimal import Decimal, localcontext
from fractions import Fraction

import pytest
import sympy as sp

from symdl.grading.answers import Isolation, check_gradient
from symdl.referee.verdict import EntryVerdict, Outcome, Verdict

x, y = sp.symbols("x y", real=True)

# 10^10000 / 3 = 3.333…×10^9999: 10,000 digits in the numerator, 4,300 at most convertible
THIRD = sp.Rational(10**10000 + 1, 3)
THIRD_TEXT = "3.3333333333333333333…×10^9999"  # 20 significant digits
THIRD_LATEX = r"3.3333333333333333333\ldots \times 10^{9999}"


def every_form(verdict: Verdict) -> dict[str, str]:
    return {
        "str": str(verdict),
        "repr": repr(verdict),
        "json": json.dumps(verdict.to_dict(), ensure_ascii=False),
        "latex": verdict.latex(),
        "html": verdict._repr_html_(),
        "notebook latex": verdict._repr_latex_(),
    }


def test_python_cannot_print_the_value_itself() -> None:
    with pytest.raises(ValueError, match="4300 digits"):
        str(THIRD)


def test_a_huge_rational_value_is_shown_by_its_leading_digits_in_every_form() -> None:
    verdict = Verdict(
        Outcome.DIFFERENT,
        "differs from the true gradient",
        counterexample={x: sp.Integer(2)},
        true_value=THIRD,
        submitted_value=-THIRD,
    )
    forms = every_form(verdict)
    assert f"true value {THIRD_TEXT}, submitted -{THIRD_TEXT}" in forms["str"]
    assert verdict.to_dict()["true_value"] == THIRD_TEXT
    assert verdict.to_dict()["submitted_value"] == "-" + THIRD_TEXT
    for form in ("latex", "notebook latex", "html"):
        assert rf"\text{{true}} = {THIRD_LATEX}" in forms[form]
        assert rf"\text{{submitted}} = - {THIRD_LATEX}" in forms[form]
    assert verdict.latex().isascii()  # pdflatex
    assert f"true_value={THIRD_TEXT}" in forms["repr"]


def test_a_small_value_is_still_shown_exactly() -> None:
    verdict = Verdict(
        Outcome.DIFFERENT,
        "r",
        counterexample={x: sp.Rational(7, 3)},
        true_value=sp.Rational(10**59, 7),  # 60 digits: still exact
        submitted_value=sp.Integer(-(10**20)),
    )
    assert f"at x = 7/3: true value {10**59}/7, submitted -{10**20}" in str(verdict)
    assert verdict.to_dict()["counterexample"] == {"x": "7/3"}


def test_sixty_digits_are_shown_exactly_and_sixty_one_are_abbreviated() -> None:
    sixty, sixty_one = sp.Integer(10**60 - 1), sp.Integer(10**60)
    shown = Verdict(Outcome.DIFFERENT, "r", true_value=sixty, submitted_value=sixty_one)
    assert shown.to_dict()["true_value"] == "9" * 60
    assert shown.to_dict()["submitted_value"] == "1.0000000000000000000…×10^60"


def test_huge_numbers_in_the_point_the_difference_and_the_entries_are_shown_too() -> None:
    big = sp.Integer(10) ** 5000
    verdict = Verdict(
        Outcome.DIFFERENT,
        "r",
        counterexample={x: big / 7, y: sp.Rational(1, 2)},
        true_value=sp.Integer(1),
        submitted_value=sp.Rational(1, 10**400),
        difference=big / 7 * x * y - sp.Rational(1, 10**400),
        entries=(EntryVerdict((0, 0), Outcome.DIFFERENT, big, sp.Integer(1)),),
    )
    forms = every_form(verdict)
    point = "1.4285714285714285714…×10^4999"  # 10^5000 / 7 = 1.42857…×10^4999
    tiny = "1.0000000000000000000…×10^-400"
    assert f"at x = {point}, y = 1/2: true value 1, submitted {tiny}" in forms["str"]
    # the difference in the lecture's notation: − and superscript powers of ten
    shown_point, shown_tiny = "1.4285714285714285714… × 10⁴⁹⁹⁹", "1.0000000000000000000… × 10⁻⁴⁰⁰"
    assert f"submitted − true = −{shown_tiny} + {shown_point} x y" in forms["str"]
    assert verdict.to_dict()["counterexample"] == {"x": point, "y": "1/2"}
    assert verdict.to_dict()["difference"] == f"-{tiny} + {point}*x*y"
    assert r"x = 1.4285714285714285714\ldots \times 10^{4999},\ y = \frac{1}{2}" in forms["latex"]
    assert r"1.4285714285714285714\ldots \times 10^{4999} x y" in forms["latex"]
    assert "true_value=1.0000000000000000000…×10^5000" in forms["repr"]  # the entry


def test_a_huge_value_of_moderate_size_has_no_power_of_ten() -> None:
    # (10^300 + 1) / (3·10^300) = 0.3333…: huge numerator and denominator, a small value
    verdict = Verdict(
        Outcome.DIFFERENT,
        "r",
        counterexample={},
        true_value=sp.Rational(10**300 + 1, 3 * 10**300),
        submitted_value=sp.Integer(0),
    )
    assert "true value 3.3333333333333333333…×10^-1, submitted 0" in str(verdict)


def _leading_digits(value: Fraction, digits: int) -> tuple[str, int]:
    """The first ``digits`` digits of ``value`` > 0 and its power of ten, with decimal."""
    with localcontext() as context:
        context.prec = digits + 30
        number = Decimal(value.numerator) / Decimal(value.denominator)
        exponent = number.adjusted()
        scaled = number.scaleb(-exponent).quantize(Decimal(1).scaleb(1 - digits))
    return str(scaled), exponent


def test_the_verdict_of_a_product_of_thousandth_powers_renders_in_every_form_at_once() -> None:
    answer = "(x+98)^1000 (x+99)^1000 (x+100)^1000"
    verdict = check_gradient(x**3 * y, answer, wrt=x, isolation=Isolation.NONE)
    assert verdict.outcome is Outcome.DIFFERENT
    assert verdict.counterexample is not None
    point = Fraction(int(verdict.counterexample[x].p), int(verdict.counterexample[x].q))
    submitted = ((point + 98) * (point + 99) * (point + 100)) ** 1000
    started = time.perf_counter()
    forms = every_form(verdict)
    assert time.perf_counter() - started < 1
    mantissa, exponent = _leading_digits(submitted, 20)
    assert exponent > 4300  # too long for str()
    assert f"submitted {mantissa}…×10^{exponent}" in forms["str"]
    assert rf"\text{{submitted}} = {mantissa}\ldots \times 10^{{{exponent}}}" in forms["latex"]
    assert json.loads(forms["json"])["submitted_value"] == f"{mantissa}…×10^{exponent}"


def test_the_oracle_of_leading_digits() -> None:
    assert _leading_digits(Fraction(10**10000 + 1, 3), 20) == ("3.3333333333333333333", 9999)
    assert _leading_digits(Fraction(1030200**2), 5) == ("1.0613", 12)  # 1,061,312,040,000


def test_the_difference_of_real_functions_is_shown_without_the_imaginary_unit() -> None:
    # d/dx e^x sin x = e^x (sin x + cos x); the answer e^x cos x is off by -e^x sin x, which
    # the exponential form that decides 0 writes as i(e^{2ix} - 1)e^{x(1 - i)}/2
    verdict = check_gradient(sp.exp(x) * sp.sin(x), "exp(x)*cos(x)", wrt=x)
    assert verdict.outcome is Outcome.DIFFERENT
    assert verdict.difference is not None
    assert not verdict.difference.has(sp.I)
    assert sp.simplify(verdict.difference + sp.exp(x) * sp.sin(x)) == 0


def test_text_and_repr_are_short_and_values_have_a_readable_precision() -> None:
    verdict = check_gradient(sp.exp(x) * sp.sin(x), "exp(x)*cos(x)", wrt=x)
    text, shown = str(verdict), repr(verdict)
    assert len(text) < 200
    assert len(shown) < 450
    for field in ("mistakes=", "entries=", "worst_entry=", "seconds=", "conditions="):
        assert field not in shown  # left at their defaults (or timing noise)
    point = verdict.counterexample
    assert point is not None
    (value,) = point.values()
    true = sp.N((sp.exp(x) * (sp.sin(x) + sp.cos(x))).subs(x, value), 30)
    assert f"true value {sp.N(true, 12)}," in text  # 12 significant digits, not 50
