"""Tests of symdl.core.derivation and symdl.core.notation: steps, rendering, lecture notation."""

from __future__ import annotations

import dataclasses

import pytest
import sympy as sp

from symdl.core.activations import Sigmoid
from symdl.core.derivation import Derivation, Reason, Relation, Remark, Step, latex_expr
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
    assert r"&= \frac{1}{4} && \text{evaluating at $z = 0$}" in tex
    aligned = _two_steps().latex(environment="aligned")
    assert r"\intertext" not in aligned
    assert r"&\text{At $z = 0$:}" in aligned


def test_relations_other_than_equality() -> None:
    d = Derivation("Bound")
    d.add(x**2, sp.S.Zero, Reason.ASSUMPTION, relation=Relation.GE)
    assert r"x^{2} &\ge 0" in d.latex()
    assert "x**2 >= 0" in str(d)


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
    assert "∂σ(z)/∂z = (1 - σ(z))*σ(z)" in text
    assert "[chain rule]" in text
    assert "[evaluating at z = 0]" in text


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
    with pytest.raises(ValueError, match="U\\+00E9"):
        Derivation("Café")
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
    assert "∂C/∂w^(1)_11 = δ^(1)_1*x_1" in text
    assert "δ^(1)_1 = δ^(2)_1*w^(2)_11*1[z^(1)_1 > 0]" in text
    assert "a^(2)_1 = σ(z^(2)_1)" in text
    assert "a^(1)_1 = ReLU(z^(1)_1)" in text
    for leftover in ("\\delta", "Derivative(", "Heaviside", "Sigmoid", "Max(", "{", "$"):
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
        r"\backslash\mathrm{openout} &= \backslash\mathrm{write}18{ls} && "
        r"\text{as $\backslash\mathrm{def}\x{y}$ says}"
    )
