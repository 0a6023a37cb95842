"""Tests of symdl.core.derivation and symdl.core.notation: steps, rendering, lecture notation."""

from __future__ import annotations

import dataclasses
import re

import pytest
import sympy as sp

from symdl.core.activations import Sigmoid
from symdl.core.derivation import (
    Derivation,
    Layout,
    Reason,
    Relation,
    Remark,
    Step,
    latex_expr,
    text_width,
)
from symdl.core.notation import math_to_latex, prose_to_latex

z, x = sp.symbols("z x", real=True)
a1, a2 = sp.symbols("a_1 a_2", real=True)
C = sp.Function("C")


# --- the lecture notation -------------------------------------------------------------------


def test_relu_is_printed_by_name() -> None:
    assert latex_expr(sp.Max(0, z)) == r"\operatorname{ReLU}\left(z\right)"
    assert latex_expr(sp.Max(0, 2 * x + 1)) == r"\operatorname{ReLU}\left(2 x + 1\right)"
    # a maximum that is not a ReLU stays a maximum
    assert "ReLU" not in latex_expr(sp.Max(z / 10, z))


def test_heaviside_shows_its_value_at_zero() -> None:
    assert latex_expr(sp.Heaviside(z, 0)) == r"\mathbb{1}\left[z > 0\right]"
    assert latex_expr(sp.Heaviside(z, 1)) == r"\mathbb{1}\left[z \ge 0\right]"
    # the value 1/2 has no indicator notation: it must not be printed as one
    assert r"\mathbb{1}" not in latex_expr(sp.Heaviside(z))
    assert latex_expr(sp.Heaviside(z, 0), indicator=r"\mathbf{1}").startswith(r"\mathbf{1}")


def test_kronecker_delta_is_not_printed_as_delta() -> None:
    j, k = sp.symbols("j k", integer=True)
    assert latex_expr(sp.KroneckerDelta(j, k)) == r"\mathbb{1}\left[j = k\right]"


def test_sigmoid_prints_as_sigma() -> None:
    assert latex_expr(Sigmoid(z)) == r"\sigma\left(z\right)"


def test_chain_rule_through_a_function_of_one_variable_uses_a_prime() -> None:
    tex = latex_expr(sp.diff(C(Sigmoid(z)), z))
    assert r"C'\left(\sigma\left(z\right)\right)" in tex
    assert "Subs" not in tex
    assert r"\xi" not in tex


def test_partial_derivatives_of_functions_of_several_variables() -> None:
    assert latex_expr(sp.diff(C(a1, a2), a1)) == r"\frac{\partial C}{\partial a_{1}}"
    # evaluated at a symbol: the symbol is the variable
    expr = sp.Subs(sp.Derivative(C(x, a2), x), x, a1)
    assert latex_expr(expr) == r"\frac{\partial C}{\partial a_{1}}"
    # evaluated at a compound point: the point is shown
    tex = latex_expr(sp.diff(C(Sigmoid(z), x), z))
    assert r"\sigma\left(z\right)" in tex
    assert r"\right|" in tex


def test_higher_and_mixed_derivatives() -> None:
    assert latex_expr(sp.Derivative(C(z), z, 2)) == r"C''\left(z\right)"
    assert latex_expr(sp.Derivative(C(z), z, 4)) == r"C^{(4)}\left(z\right)"
    two = sp.Derivative(C(a1, a2), a1, 2)
    assert latex_expr(two) == r"\frac{\partial^{2} C}{\partial a_{1}^{2}}"
    tex = latex_expr(sp.Derivative(x * z**2, z, x))
    assert tex == r"\frac{\partial^{2}}{\partial z \partial x} \left(x z^{2}\right)"
    assert latex_expr(sp.Derivative(sp.Max(0, z), z)).endswith(r"\operatorname{ReLU}\left(z\right)")


def test_unicode_is_translated_and_unknown_characters_refused() -> None:
    assert math_to_latex("σ ⊙ δ") == r"\sigma  \odot  \delta "
    assert prose_to_latex("δ — 50%") == r"$\delta$ --- 50\%"
    with pytest.raises(ValueError, match="U\\+263A"):
        prose_to_latex("smile ☺")
    with pytest.raises(ValueError, match="unbalanced"):
        prose_to_latex("a $b")


# --- building a derivation ------------------------------------------------------------------


def _two_steps() -> Derivation:
    d = Derivation("Sigmoid", statement="The derivative of $\\sigma$ & its value at 0.")
    d.add(sp.Derivative(Sigmoid(z), z), Sigmoid(z) * (1 - Sigmoid(z)), Reason.CHAIN_RULE)
    d.remark("At $z = 0$:")
    d.add("", sp.Rational(1, 4), "evaluating at $z = 0$")
    return d


def test_steps_are_recorded_in_order_and_frozen() -> None:
    d = _two_steps()
    assert len(d) == 2
    assert [step.reason for step in d.steps] == [Reason.CHAIN_RULE, "evaluating at $z = 0$"]
    assert isinstance(d.items[1], Remark)
    assert d.steps[1].rhs == sp.Rational(1, 4)
    with pytest.raises(dataclasses.FrozenInstanceError):
        d.steps[0].rhs = sp.S.Zero  # type: ignore[misc]
    assert list(d) == list(d.steps)
    # the two sides of the first step are equal, and the second step's value is right
    step = d.steps[0]
    assert isinstance(step, Step)
    assert isinstance(step.lhs, sp.Basic)
    assert sp.simplify((step.lhs.doit() - step.rhs).rewrite(sp.exp)) == 0
    assert step.rhs.subs(z, 0) == d.steps[1].rhs


def test_reasons_print_as_a_lecturer_writes_them() -> None:
    assert Reason.BP2.text == "(BP2)"
    assert Reason.CHAIN_RULE.text == "chain rule"


def test_latex_align_has_one_row_per_step_and_intertext_for_remarks() -> None:
    tex = _two_steps().latex()
    assert tex.startswith("\\begin{align}\n")
    assert tex.endswith("\n\\end{align}")
    assert tex.count("&=") == 2
    assert r"\intertext{At $z = 0$:}" in tex
    assert r"\frac{\partial}{\partial z} \sigma\left(z\right) &=" in tex
    # the reason in the tag's place: no line gets a number besides
    assert r"&= \frac{1}{4} \tag*{evaluating at $z = 0$}" in tex
    aligned = _two_steps().latex(environment="aligned")
    assert r"\intertext" not in aligned
    assert r"\tag" not in aligned  # MathJax has no tags in aligned: a column of reasons
    assert r"&= \frac{1}{4} && \text{evaluating at $z = 0$}" in aligned
    assert r"&\text{At $z = 0$:} \\" in aligned  # a text row, ended like the others


def test_relations_other_than_equality() -> None:
    d = Derivation("Bound")
    d.add(x**2, sp.S.Zero, Reason.ASSUMPTION, relation=Relation.GE)
    assert r"x^{2} &\ge 0" in d.latex()
    assert "x² ≥ 0" in str(d)


def test_document_markdown_html_and_text() -> None:
    d = _two_steps()
    doc = d.latex_document()
    assert doc.startswith("\\documentclass")
    assert doc.rstrip().endswith("\\end{document}")
    assert "\\section*{Sigmoid}" in doc
    assert r"$\sigma$ \& its value" in doc
    md = d.markdown()
    assert md.startswith("### Sigmoid")
    assert md.count("$$") == 4
    assert "\\begin{aligned}" in md
    page = d._repr_html_()
    assert page.count("\\[") == 2
    assert "\\(\\sigma\\)" in page
    assert "&amp;=" in page
    assert "&=" not in page
    assert d._repr_latex_().startswith("$$\n\\begin{aligned}")
    text = str(d)
    assert "∂/∂z σ(z) = σ(z) (1 − σ(z))" in text  # the lecture's order: σ(z)(1 − σ(z))
    assert "[chain rule]" in text
    assert "= ¼    [evaluating at z = 0]" in text


# --- bad input ------------------------------------------------------------------------------


def test_bad_input_is_refused_with_a_clear_message() -> None:
    d = Derivation("t")
    with pytest.raises(TypeError, match="exact"):
        d.add(z, 0.5, Reason.DEFINITION)
    with pytest.raises(TypeError, match="floating-point"):
        d.add(z, sp.Float(0.5) * z, Reason.DEFINITION)
    with pytest.raises(TypeError, match="not a SymPy expression"):
        d.add(z, [1, 2], Reason.DEFINITION)
    with pytest.raises(ValueError, match="needs a reason"):
        d.add(z, z, " ")
    with pytest.raises(TypeError, match="Relation"):
        d.add(z, z, Reason.DEFINITION, relation="=")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="environment='equation'"):
        d.latex(environment="equation")
    with pytest.raises(ValueError, match="non-empty title"):
        Derivation("")
    with pytest.raises(ValueError, match="U\\+263A"):
        Derivation("Smile ☺")
    with pytest.raises(TypeError, match="Layout"):
        d.latex(layout=32)  # type: ignore[arg-type]
    assert len(d) == 0  # nothing was added by the refused calls


def test_ints_and_matrices_are_accepted_exactly() -> None:
    d = Derivation("m")
    d.add(sp.Matrix([[x, 1]]), 3, Reason.DEFINITION)
    step = d.steps[0]
    assert step.rhs == sp.Integer(3)
    assert isinstance(step.lhs, sp.ImmutableMatrix)


def test_equalities_follow_chains_and_leave_out_latex_and_inequalities() -> None:
    d = Derivation("chain")
    d.add(sp.Derivative(x**3, x), 3 * x**2, Reason.SIMPLIFICATION)
    d.add("", 3 * x * x, Reason.SIMPLIFICATION)
    d.add("", sp.S.Zero, Reason.ASSUMPTION, relation=Relation.GE)
    d.add("", "0", "as LaTeX")
    d.add("", x, "a wrong step, stated")
    pairs = d.equalities()
    assert [(left, right) for left, right, _ in pairs] == [
        (sp.Derivative(x**3, x), 3 * x**2),
        (3 * x**2, 3 * x * x),
    ]
    # checked by the caller: every stated equality holds here
    assert all(sp.simplify(left.doit() - right) == 0 for left, right, _ in pairs)
    wrong = Derivation("wrong")
    wrong.add(sp.Derivative(x**3, x), 3 * x, Reason.SIMPLIFICATION)
    ((left, right, _),) = wrong.equalities()
    assert sp.simplify(left.doit() - right) != 0


def test_plain_text_uses_the_lecture_notation_not_latex_or_sympy_names() -> None:
    from symdl import Network, backprop, get_loss

    net = Network.mlp([2, 2, 1], ["relu", "sigmoid"])
    text = str(backprop(net, get_loss("bce")).derivation())
    assert "∂C/∂w^(1)_11 = δ^(1)_1 x_1" in text
    assert "z^(1)_1 = w^(1)_11 x_1 + w^(1)_12 x_2 + b^(1)_1" in text
    assert "δ^(1)_1 = w^(2)_11 δ^(2)_1 ReLU'(z^(1)_1)    [(BP2)]" in text
    assert "ReLU'(z^(1)_1) = 1[z^(1)_1 > 0]    [derivative of ReLU]" in text
    assert "δ^(1)_1 = w^(2)_11 δ^(2)_1 1[z^(1)_1 > 0]    [substitution]" in text
    assert "a^(2)_1 = σ(z^(2)_1)" in text
    assert "a^(1)_1 = ReLU(z^(1)_1)" in text
    # the sigmoid with the cross-entropy: the error simplifies to a - y
    assert "   = a^(2)_1 − y_1    [simplification]" in text
    for leftover in ("\\", "Derivative(", "Heaviside", "Sigmoid", "Max(", "{", "$", "**"):
        assert leftover not in text


def test_an_authors_latex_is_typeset_but_never_run() -> None:
    # the inline math of prose and the LaTeX of a step keep their mathematics, and show a
    # command that reads a file or makes a link as its name
    assert prose_to_latex(r"see $\frac{a}{b} \input{x}$") == (
        r"see $\frac{a}{b} \backslash\mathrm{input}{x}$"
    )
    assert math_to_latex(r"\sigma(z) \href{javascript:x}{y}") == (
        r"\sigma(z) \backslash\mathrm{href}{javascript:x}{y}"
    )
    d = Derivation("t")
    d.add(sp.Symbol(r"\openout"), r"\write18{ls}", r"as $\def\x{y}$ says")
    assert d.latex(environment="align*").splitlines()[1] == (
        r"\backslash\mathrm{openout} &= \backslash\mathrm{write}18{ls} "
        r"\tag*{as $\backslash\mathrm{def}\x{y}$ says}"
    )
    assert (
        d.latex(environment="aligned")
        .splitlines()[1]
        .endswith(r"&& \text{as $\backslash\mathrm{def}\x{y}$ says}")
    )


# --- tags, page breaks and the lecture's order ------------------------------------------------


def _bp_rows(tex: str) -> list[str]:
    body = tex.split("\n")[1:-1]
    return [row for row in body if not row.startswith(r"\intertext")]


def test_bp_equations_are_tags_and_no_line_is_numbered_twice() -> None:
    d = Derivation("Two steps")
    d.add(sp.Symbol(r"\delta"), x * z, Reason.BP1)
    d.add(sp.Symbol("g"), x, Reason.CHAIN_RULE)
    for environment in ("align", "align*"):
        rows = _bp_rows(d.latex(environment=environment))
        assert rows[0].startswith(r"\delta &= x z \tag{BP1}")
        assert r"\tag*{chain rule}" in rows[1]
        # every row carries exactly one tag: amsmath numbers none of them besides
        assert all(row.count(r"\tag") == 1 for row in rows)
        assert r"\text{(BP1)}" not in "".join(rows)
    # in a numbered align a line without a reason (a continuation) is not numbered either
    long = Derivation("Long")
    long.add(z, sp.Add(*sp.symbols("t_1:31", real=True)), Reason.DEFINITION)
    rows = _bp_rows(long.latex(environment="align"))
    assert len(rows) > 1
    assert all(r"\tag" in row or r"\notag" in row for row in rows)


def test_a_page_may_break_between_steps_but_not_inside_one() -> None:
    d = Derivation("Breaks")
    d.add(z, sp.Add(*sp.symbols("t_1:31", real=True)), Reason.DEFINITION)
    d.add(x, z, Reason.SUBSTITUTION)
    rows = _bp_rows(d.latex(environment="align*"))
    first_step = [row for row in rows if r"\tag*{by definition}" in row]
    assert len(rows) >= 3
    assert len(first_step) == 1
    end = rows.index(first_step[0])
    assert all(row.endswith(r"\\*") for row in rows[:end])  # inside the step: no break
    assert rows[end].endswith(r"\displaybreak[0] \\")  # between steps: a break may fall
    assert not rows[-1].endswith("\\")
    # the snippet needs no \allowdisplaybreaks: nothing outside the environment
    tex = d.latex(environment="align*")
    assert tex.startswith(r"\begin{align*}")
    assert tex.endswith(r"\end{align*}")


def test_a_long_reason_is_set_on_several_lines_in_the_tag_place() -> None:
    d = Derivation("Reason")
    reason = "only the term with equal indices remains, by the definition of $\\delta_{jk}$"
    d.add(z, x, reason)
    rows = _bp_rows(d.latex(environment="align*"))
    tags = [re.sub(r"\} ?(\\\\\*?)?$", "", row.split(r"\tag*{", 1)[1]) for row in rows]
    # cut between words into lines, in order, the first beside the step
    assert len(tags) >= 2
    assert rows[0].startswith(r"z &= x \tag*{only the term")
    assert " ".join(tags) == prose_to_latex(reason)
    assert all(text_width(tag) <= 0.4 * Layout().width_pt for tag in tags)


def test_terms_and_factors_are_in_the_lecture_order() -> None:
    from symdl import Network, backprop, get_loss

    d = backprop(Network.mlp([2, 2, 1], ["sigmoid", "identity"]), get_loss("l2")).derivation()
    tex = d.latex(environment="align*")
    # a weighted input: w a + b, weights before activations, the bias last
    assert (
        r"z^{(2)}_{1} &= w^{(2)}_{11} a^{(1)}_{1} + w^{(2)}_{12} a^{(1)}_{2} + b^{(2)}_{1}" in tex
    )
    assert r"z^{(1)}_{1} &= w^{(1)}_{11} x_{1} + w^{(1)}_{12} x_{2} + b^{(1)}_{1}" in tex
    # the derivative of (a - y)^2: 2(a - y), not 2a - 2y
    assert r"\frac{\partial C}{\partial a^{(2)}_{1}} &= 2 \left(a^{(2)}_{1} - y_{1}\right)" in tex
    # (W^T delta)_j: w delta; BP4: delta a
    assert r"w^{(2)}_{11} \delta^{(2)}_{1} \sigma'\left(z^{(1)}_{1}\right)" in tex
    assert r"\frac{\partial C}{\partial w^{(2)}_{12}} &= \delta^{(2)}_{1} a^{(1)}_{2}" in tex


SIGMA_PRIMES = [
    ("sigmoid", r"\sigma", r"a^{(1)}_{1} \left(1 - a^{(1)}_{1}\right)", None),
    (
        "tanh",
        r"\tanh",
        r"1 - \left(a^{(1)}_{1}\right)^{2}",
        r"\left(1 - \left(a^{(1)}_{1}\right)^{2}\right)",
    ),
    ("relu", r"\operatorname{ReLU}", r"\mathbb{1}\left[z^{(1)}_{1} > 0\right]", None),
]


@pytest.mark.parametrize(("activation", "name", "written_out", "in_product"), SIGMA_PRIMES)
def test_bp2_then_sigma_prime_written_out_then_the_product(
    activation: str, name: str, written_out: str, in_product: str | None
) -> None:
    from symdl import Network, backprop, get_loss

    bp = backprop(Network.mlp([1, 1, 1], [activation, "identity"]), get_loss("mse"))
    steps = bp.derivation().steps
    delta = sp.Symbol(r"\delta^{(1)}_{1}", real=True)
    first = next(i for i, step in enumerate(steps) if step.lhs == delta)
    bp2, prime, product = steps[first : first + 3]
    assert bp2.reason is Reason.BP2
    assert isinstance(prime.reason, str)
    assert prime.reason.startswith("derivative of")
    assert product.reason is Reason.SUBSTITUTION
    assert product.lhs == delta
    tex = Derivation("one")
    for step in (bp2, prime, product):
        tex.add(step.lhs, step.rhs, step.reason)
    rows = _bp_rows(tex.latex(environment="align*"))
    w, d2 = r"w^{(2)}_{11}", r"\delta^{(2)}_{1}"
    assert rows[0].startswith(
        rf"\delta^{{(1)}}_{{1}} &= {w} {d2} {name}'\left(z^{{(1)}}_{{1}}\right)"
    )
    assert rows[1].startswith(rf"{name}'\left(z^{{(1)}}_{{1}}\right) &= {written_out}")
    assert rows[2].startswith(rf"\delta^{{(1)}}_{{1}} &= {w} {d2} {in_product or written_out}")
    # the written-out derivative is the derivative of the activation (an independent check
    # at points away from the kink, with a = σ(z) substituted)
    zz = sp.Symbol("z^{(1)}_{1}", real=True)
    aa = sp.Symbol("a^{(1)}_{1}", real=True)
    explicit = {"sigmoid": 1 / (1 + sp.exp(-zz)), "tanh": sp.tanh(zz), "relu": sp.Max(0, zz)}
    f = explicit[activation]
    for point in (sp.Rational(-3, 2), sp.Rational(1, 3), 2):
        shown = prime.rhs.subs(aa, f).subs(zz, point)
        assert abs(sp.N(shown - sp.diff(f, zz).subs(zz, point), 30)) < 1e-25
    # and the product is the error the backward pass computed
    assert sp.expand(product.rhs - bp.delta(1, 1)) == 0


def test_the_loss_softmax_is_named_so_the_derivation_stays_short() -> None:
    from symdl import Network, backprop, get_loss

    bp = backprop(Network.mlp([1, 3], "identity"), get_loss("log"))
    d = bp.derivation()
    s = sp.Symbol("s", positive=True)
    p = [sp.Symbol(f"p_{{{j}}}", positive=True) for j in (1, 2, 3)]
    outputs = bp.outputs
    definitions = {step.lhs: step.rhs for step in d.steps if step.lhs in (s, *p)}
    assert definitions[s] == sum(sp.exp(o) for o in outputs)
    assert definitions[p[0]] == sp.exp(outputs[0]) / s
    # the loss and its derivative as written, with p and s put back, are the true ones
    back = {
        pj: sp.exp(o) / sum(sp.exp(q) for q in outputs) for pj, o in zip(p, outputs, strict=True)
    }
    back[s] = sum(sp.exp(o) for o in outputs)
    (cost,) = [step.rhs for step in d.steps if step.lhs == sp.Symbol("C", real=True)]
    (gradient,) = [step.rhs for step in d.steps if step.reason == "derivative of the loss"][:1]
    assert not cost.has(sp.exp)
    assert not gradient.has(sp.exp)
    y = sp.symbols("y_{1} y_{2} y_{3}", real=True)
    point = {outputs[0]: sp.Rational(1, 2), outputs[1]: -1, outputs[2]: 2, y[0]: 1, y[1]: 0}
    point[y[2]] = 0
    # the log loss of the softmax, written from its definition
    true_cost = -sum(yj * sp.log(sp.exp(o) / back[s]) for yj, o in zip(y, outputs, strict=True))
    assert abs(sp.N((cost.subs(back) - true_cost).subs(point), 30)) < 1e-25
    true_gradient = sp.diff(true_cost, outputs[0])
    assert abs(sp.N((gradient.subs(back) - true_gradient).subs(point), 30)) < 1e-25


def test_an_activation_derivative_prints_with_the_activations_own_name() -> None:
    from symdl.backpropagation.steps import ActivationDerivative
    from symdl.core.activations import ACTIVATIONS

    prime = ActivationDerivative.of(ACTIVATIONS["tanh"], z)
    assert latex_expr(prime) == r"\tanh'\left(z\right)"
    assert str(prime) == "tanh'(z)"
    assert prime.free_symbols == {z}
    step = ActivationDerivative.of(ACTIVATIONS["step"], z)
    assert latex_expr(step, indicator=r"\mathbf{1}") == r"\mathbf{1}'\left(z\right)"


def test_a_negative_fraction_prints_as_one_coefficient() -> None:
    # -r²/2 inside exp, inside a maximum and alone: "-\frac{..}{2}", never "(-1) \frac{1}{2}"
    r = sp.Symbol("r", real=True)
    d = Derivation("t")
    d.add(sp.Symbol("u"), sp.exp(-(r**2) / 2) + sp.Max(0, -r / 2) - sp.pi * r / 2, "defined")
    tex = d.latex()
    assert r"\left(-1\right)" not in tex
    assert r"e^{- \frac{r^{2}}{2}}" in tex
