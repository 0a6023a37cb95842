"""The converters of statements: reST with :math: roles to Unicode text and to LaTeX.

Every expected output below is written by hand from the notation of the lecture (Nielsen's
chapter 2 for the errors and gradients), not produced by the code under test.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from latex_tools import run_pdflatex

from symdl.core.notation import (
    math_text,
    math_to_latex,
    prose_to_latex,
    statement_latex,
    statement_text,
)

# --- LaTeX math in Unicode ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("latex", "text"),
    [
        # the notation of backpropagation
        (r"\delta^{(l)}_j", "δ^(l)_j"),
        (r"\delta^l_j = \frac{\partial C}{\partial z^l_j}", "δ^l_j = ∂C/∂z^l_j"),
        (r"z^l = W^l a^{l-1} + b^l", "z^l = W^l a^(l−1) + b^l"),
        (
            r"\delta^{l} = \bigl((W^{l+1})^{T} \delta^{l+1}\bigr) \odot \sigma_l'(z^{l})",
            "δ^l = ((W^(l+1))ᵀ δ^(l+1)) ⊙ σ_l'(z^l)",
        ),
        (r"\nabla_a C", "∇_a C"),
        # relations, infinity, sums and their limits (an upper limit T is not a transpose)
        (r"a \le b \ge c \ne d", "a ≤ b ≥ c ≠ d"),
        (r"\sum_t \eta_t = \infty", "Σ_t η_t = ∞"),
        (r"\sum_{t=1}^{T} \alpha_t", "Σ_(t=1)^T α_t"),
        (r"\prod_{i<L} n_i", "Π_(i<L) n_i"),
        (r"\lim_{n \to \infty} a_n = 0", "lim_(n→∞) a_n = 0"),
        # fractions: parentheses exactly where the reading needs them
        (r"\frac{x}{y}", "x/y"),
        (r"\frac{a+b}{c}", "(a + b)/c"),
        (r"\frac{1}{2n}", "1/(2n)"),
        (r"\frac{1}{3 \cdot 2^{k-1}}", "1/(3 · 2^(k−1))"),
        (r"\frac{(2 r C_f)^2}{n}", "(2 r C_f)²/n"),
        (r"\frac{2^k}{8}", "2^k/8"),
        (r"\frac12 - \tfrac{1}{24}", "½ − 1/24"),
        (r"\tfrac32", "3/2"),
        # scripts
        (r"x^{2} + y^{-1} + 2^{20}", "x² + y⁻¹ + 2²⁰"),
        (r"e^{-x^2/2}", "e^(−x²/2)"),
        (r"m \le 2^{(k-3)/l - 1}", "m ≤ 2^((k−3)/l − 1)"),
        (r"w^{l+1}_{kj}", "w^(l+1)_kj"),
        (r"x_{i+r-1}", "x_(i+r−1)"),
        # roots, binomials, fonts, accents, delimiters
        (r"\sqrt{2}\,\Gamma(x)", "√2 Γ(x)"),
        (r"\sqrt{x+1}", "√(x + 1)"),
        (r"\sum_{j=0}^{n_0} \binom{n}{j}", "Σ_(j=0)^(n_0) C(n, j)"),
        (r"\operatorname{ReLU}'(0) = 0", "ReLU'(0) = 0"),
        (r"\mathbb{1}[f(x) \ge \tfrac12]", "1[f(x) ≥ ½]"),
        (r"x \in \mathbb{R}^{d}", "x ∈ ℝ^d"),
        (r"\hat J - J", "Ĵ − J"),
        (r"\left( \frac{R}{\gamma} \right)^2", "(R/γ)²"),
        (r"\Bigl\lfloor \frac{n_i}{n_0} \Bigr\rfloor", "⌊n_i/n_0⌋"),
        (r"\|B_n f - f\|_\infty", "‖B_n f − f‖_∞"),
        (r"i \bmod 2", "i mod 2"),
        # operator names, signs, text
        (r"\log x + \log(1 + e^z)", "log x + log(1 + e^z)"),
        (r"\log \log t \to \infty", "log log t → ∞"),
        (r"-\sum_k y_k \log a_k", "−Σ_k y_k log a_k"),
        (r"\pm 2^k", "±2^k"),
        (r"2(a - y)", "2(a − y)"),
        (r"b < 0, \qquad w_1 + b \ge 0", "b < 0,    w_1 + b ≥ 0"),
        (r"x \text{ for } x > 0", "x for x > 0"),
        (r"\{0, 1\}^2", "{0, 1}²"),
        # cases and matrices on one line
        (
            r"\begin{cases} 2x & 0 \le x \le \tfrac12, \\ 0 & \text{otherwise} \end{cases}",
            "{2x for 0 ≤ x ≤ ½; 0 otherwise}",
        ),
        (r"\begin{pmatrix} 2 & 2 \\ 2 & 2 \end{pmatrix}", "(2, 2; 2, 2)"),
        # a command symdl does not know: its name, and never a backslash
        (r"\foo{x} + \bar y", "foo(x) + ȳ"),
    ],
)
def test_math_text_writes_the_lecture_notation(latex: str, text: str) -> None:
    assert math_text(latex) == text


def test_math_text_puts_the_rows_of_a_display_on_lines() -> None:
    latex = (
        r"\begin{aligned} \delta^L &= \nabla_a C \odot \sigma_L'(z^L) && \text{(BP1)} \\"
        r" \frac{\partial C}{\partial b^l_j} &= \delta^l_j && \text{(BP3)} \end{aligned}"
    )
    assert math_text(latex, display=True) == (
        "δ^L = ∇_a C ⊙ σ_L'(z^L)    (BP1)\n∂C/∂b^l_j = δ^l_j    (BP3)"
    )
    # inline, the rows are separated by a semicolon
    assert math_text(r"\begin{aligned} a &= b \\ c &= d \end{aligned}") == "a = b; c = d"


# --- statements as text ---------------------------------------------------------------------

STATEMENT = r"""The error of neuron :math:`j` in layer :math:`l` is
:math:`\delta^{(l)}_j = \partial C / \partial z^{(l)}_j`, and for the quadratic cost

.. math::

    \delta^L_j = (a^L_j - y_j)\, \sigma'(z^L_j).

- **BP1** (base case), see :func:`~symdl.backpropagation.reverse_mode.backprop`;
- *BP2*, with ``Sum`` over :mod:`symdl.core.network`.

References: M. Nielsen (2015), ch. 2; 100% of Montúfar's \*stars\*.
"""


def test_statement_text_in_the_lecture_notation() -> None:
    assert statement_text(STATEMENT) == (
        "The error of neuron j in layer l is δ^(l)_j = ∂C / ∂z^(l)_j, and for the quadratic cost\n"
        "\n"
        "    δ^L_j = (a^L_j − y_j) σ'(z^L_j).\n"
        "\n"
        "- BP1 (base case), see backprop();\n"
        "- BP2, with Sum over symdl.core.network.\n"
        "\n"
        "References: M. Nielsen (2015), ch. 2; 100% of Montúfar's *stars*."
    )


def test_statement_text_wraps_paragraphs_but_never_inside_a_formula() -> None:
    text = statement_text(
        "A long sentence that runs on for a while before its formula "
        r":math:`\sum_{j=0}^{n_0} \binom{n}{j} = 11` and more words after it.",
        width=40,
    )
    assert text == (
        "A long sentence that runs on for a while\n"
        "before its formula\n"
        "Σ_(j=0)^(n_0) C(n, j) = 11 and more\n"
        "words after it."
    )
    assert statement_text("one :math:`a + b` two", width=None) == "one a + b two"


def test_statement_text_refuses_what_is_not_a_statement() -> None:
    with pytest.raises(TypeError, match="must be a string"):
        statement_text(b":math:`x`")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="width=5"):
        statement_text("x", width=5)


# --- statements as LaTeX --------------------------------------------------------------------


def test_statement_latex_for_the_report() -> None:
    assert statement_latex(STATEMENT) == (
        "The error of neuron $j$ in layer $l$ is\n"
        r"$\delta^{(l)}_j = \partial C / \partial z^{(l)}_j$, and for the quadratic cost"
        "\n\n"
        "\\[\n"
        r"\delta^L_j = (a^L_j - y_j)\, \sigma'(z^L_j)."
        "\n\\]\n"
        "\\begin{itemize}\n"
        r"\item \textbf{BP1} (base case), see \texttt{backprop()};"
        "\n"
        r"\item \emph{BP2}, with \texttt{Sum} over "
        r"\texttt{symdl.\allowbreak{}core.\allowbreak{}network}."
        "\n\\end{itemize}\n\n"
        r"References: M. Nielsen (2015), ch. 2; 100\% of Mont\'{u}far's *stars*."
    )


def test_statement_latex_escapes_text_and_maps_unicode() -> None:
    assert statement_latex("a_b & c # d ~ e ^ f {g}") == (
        r"a\_b \& c \# d \textasciitilde{} e \textasciicircum{} f \{g\}"
    )
    assert statement_latex("the error δ — Erdős, ½") == (
        r"the error $\delta$ --- Erd\H{o}s, $\tfrac{1}{2}$"
    )
    # an indicator that amssymb can typeset, unless another is asked for
    assert statement_latex(r":math:`\mathbb{1}[z > 0]`") == r"$\mathbf{1}[z > 0]$"
    assert statement_latex(r":math:`\mathbb{1}[z > 0]`", indicator=r"\mathbb{1}") == (
        r"$\mathbb{1}[z > 0]$"
    )
    # rows of a display are aligned; a display with its own environment is kept
    assert statement_latex(".. math::\n\n   a &= b \\\\\n   c &= d") == (
        "\\[\n\\begin{aligned}\na &= b \\\\\nc &= d\n\\end{aligned}\n\\]"
    )
    two = statement_latex(".. math::\n\n   x = 1\n\n   y = 2")
    assert two == "\\[\nx = 1\n\\]\n\\[\ny = 2\n\\]"


def test_statement_latex_shows_dangerous_commands_and_refuses_unknown_characters() -> None:
    assert statement_latex(r":math:`x \input{/etc/passwd}`") == (
        r"$x \backslash\mathrm{input}{/etc/passwd}$"
    )
    with pytest.raises(ValueError, match="U\\+263A"):
        statement_latex("a smile ☺")
    with pytest.raises(TypeError, match="must be a string"):
        statement_latex(None)  # type: ignore[arg-type]


def test_accents_and_combining_marks_become_latex() -> None:
    assert prose_to_latex("Montúfar and Hölder, f̂") == r"Mont\'{u}far and H\"{o}lder, $\hat{f}$"
    assert math_to_latex("f̂(ω)") == r"\hat{f}(\omega )"
    assert math_to_latex("‖x‖² − 1") == r"\| x\| ^{2} -  1"


@pytest.mark.latex
def test_a_statement_with_every_construct_compiles(tmp_path: Path) -> None:
    body = statement_latex(
        STATEMENT
        + "\n1. first, with :math:`\\begin{cases} 1 & x \\ge 0 \\\\ 0 & x < 0 \\end{cases}`\n"
        "2. second: 50% of a_b & c # ~ ^ {} — Erdős ½ σ ≤ ∞\n\n"
        ".. math::\n\n   a &= b && \\text{(BP1)} \\\\\n   c &= \\frac{\\partial C}{\\partial w}\n"
    )
    source = (
        "\\documentclass{article}\n\\usepackage{amsmath}\n\\usepackage{amssymb}\n"
        f"\\begin{{document}}\n{body}\n\\end{{document}}\n"
    )
    run_pdflatex(source, tmp_path, name="statement")


def test_an_indexed_symbol_with_a_superscript_keeps_its_index_under_it() -> None:
    import sympy as sp

    from symdl.core.notation import latex_expr

    j = sp.Symbol("j")
    z = sp.IndexedBase("z^{l}")
    assert latex_expr(z[j]) == "z^{l}_{j}"  # not {z^{l}}_{j}, set by MathJax as z^l{}_j
    assert latex_expr(z[j] ** 2) == r"\left(z^{l}_{j}\right)^{2}"
    assert latex_expr(sp.IndexedBase("w")[j]) == "{w}_{j}"  # SymPy's own form, unchanged
