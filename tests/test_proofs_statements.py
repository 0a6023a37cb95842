"""Every proof's statement is typeset mathematics, in each of its three forms.

The statement (a proof module's docstring after its title line) is reStructuredText whose
mathematics is in ``:math:`` roles and ``.. math::`` blocks; outside them no ASCII
pseudo-mathematics ("z^l = W^l a^{l-1}", "<=", "oo", "sum_t", "C(n, j)", "sigma(x)") and no bare
symbol is left.  Its terminal form has no LaTeX command left, and its LaTeX form compiles with
pdflatex (Debian's texlive-latex-base), without a line running into the margin.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from latex_tools import overfull_boxes, run_pdflatex

from symdl.core.notation import prose_to_latex, statement_latex, statement_text
from symdl.publish.proving import (
    LemmaResult,
    ProofResult,
    discover_proofs,
    load_proof,
    run_proof,
    theorem_statement,
    theorem_title,
)

NAMES = discover_proofs()
NAME = "statements.tex"


def statement(name: str) -> str:
    return theorem_statement(load_proof(name))


# --- the text around the mathematics --------------------------------------------------------

_MARKUP = re.compile(r":[A-Za-z][\w:.+-]*:`[^`]*`|``.*?``", re.DOTALL)


def prose(text: str) -> str:
    """``text`` without its mathematics and literals: roles, ``literals`` and math blocks."""
    kept, skipping = [], False
    for line in text.splitlines():
        if re.match(r"\s*\.\.\s+math::", line):
            skipping = True
            continue
        if skipping and (not line.strip() or line.startswith((" ", "\t"))):
            continue
        skipping = False
        kept.append(line)
    return _MARKUP.sub(" ", "\n".join(kept))


PSEUDO_MATH = {
    "caret": re.compile(r"\^"),
    "subscript": re.compile(r"[A-Za-z)\]]_[{\w(]"),
    "ASCII relation": re.compile(r"<=|>=|!=|->|=>|<|>|="),
    "oo for infinity": re.compile(r"\boo\b"),
    "a function written in letters": re.compile(
        r"\b(sum|prod|sqrt|exp|sigma|delta|alpha|beta|gamma|eta|lambda|omega|theta|epsilon|"
        r"eps|mu|tau|zeta|relu|sign|argmin|min|max)[(_{]",
        re.IGNORECASE,
    ),
    "a Greek name": re.compile(
        r"(?<!Kronecker )\b(sigma|delta|alpha|beta|gamma|eta|lambda|omega|theta|epsilon|mu|tau|"
        r"zeta|pi)\b"
    ),
    "C(n, j)": re.compile(r"\b[A-Z]\(\s*\w+\s*,\s*\w+\s*\)"),
    "a power": re.compile(r"\w\*\*\w|\)\*\*"),
    "a fraction": re.compile(r"\b\w\s*/\s*\w\b|\d\s*/\s*\d"),
    "a bare symbol": re.compile(r"[α-ωΑ-Ω≤≥≠≈∞∑Σ∫√‖²³¹⁰⁻ᵀ∂∇⊙±∓→↦∈⌊⌋]"),
}


def pseudo_maths(text: str) -> list[tuple[str, str]]:
    found = []
    for label, pattern in PSEUDO_MATH.items():
        found.extend((label, match.group()) for match in pattern.finditer(prose(text)))
    return found


def test_the_finder_finds_ascii_pseudo_maths() -> None:
    # the examples of the issue, and bare Unicode symbols, are found in running text ...
    for text in (
        "For a network z^l = W^l a^{l-1} + b^l.",
        "sigma(2 sigma(x) - 4 sigma(x - 1/2)) <= 2^((k-3)/l - 1)",
        "A schedule with sum_t eta_t = oo.",
        "at most sum_{j <= n0} C(n, j) regions",
        "the bound (2 r C_f)**2 / n",
        "with alpha fixed",
        "the ReLU(x) unit",
        "slopes ±2^k and width σ",
    ):
        assert pseudo_maths(text), text
    # ... and not inside the markup
    clean = (
        "For a network :math:`z^l = W^l a^{l-1} + b^l`, see ``sum_t`` and :func:`~a.b_c`:\n\n"
        ".. math::\n\n    \\sum_t \\eta_t = \\infty\n\nThe Robbins–Monro conditions (Theorem 2)."
    )
    assert pseudo_maths(clean) == []


@pytest.mark.parametrize("name", NAMES)
def test_the_statement_writes_its_mathematics_in_markup(name: str) -> None:
    assert pseudo_maths(statement(name)) == []


@pytest.mark.parametrize("name", NAMES)
def test_the_title_is_plain_words(name: str) -> None:
    title = theorem_title(load_proof(name))
    assert not re.search(r"\^|\*\*|<=|>=|\bsum_|\boo\b|sqrt\(|`", title), title


@pytest.mark.parametrize("name", NAMES)
def test_the_statement_cites_papers_not_files(name: str) -> None:
    text = statement(name)
    # a file name (notes.md, bench/depth.py) is no source a reader can look up
    assert not re.search(r"\b[\w/]+\.(md|py|txt|rst|tex)\b", text), text
    assert re.search(r"\bReferences?:", text), "the statement names its papers"


# --- the terminal form ----------------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_the_text_form_has_no_latex_left(name: str) -> None:
    text = statement_text(statement(name))
    assert text.strip()
    assert not re.search(r"\\[A-Za-z]", text), re.findall(r"\\[A-Za-z]+", text)
    assert "**" not in text
    assert not re.search(r"[$`]|:math:|\.\. math|\b[a-z]+:`", text), text
    # the lines are wrapped for a terminal; only a display formula may be longer
    for line in text.splitlines():
        assert len(line) <= 88 or line.startswith("    "), line


def test_a_proof_result_prints_its_statement_in_the_lecture_notation() -> None:
    result = run_proof("xor")
    text = str(result)
    assert text.startswith("XOR: no single perceptron computes it")
    assert "H(w_1 x_1 + w_2 x_2 + b)" in text
    assert "    b < 0,    w_1 + b ≥ 0,    w_2 + b ≥ 0,    w_1 + w_2 + b < 0." in text
    assert "holds: 3 of 3 lemmas\n  ✓ lemma_no_perceptron_computes_xor" in text
    assert not re.search(r"\\[A-Za-z]|:math:|\d\.\d+ s\b", text)  # no LaTeX, no run time
    assert repr(result) == "ProofResult('xor', passed=True, lemmas=3/3)"
    failed = ProofResult(
        "p", "A title", r"With :math:`x^2 \le 1`.", (LemmaResult("lemma_a", False, 0.5, "no"),)
    )
    assert str(failed) == "A title\n\nWith x² ≤ 1.\n\nFAILED: 0 of 1 lemmas\n  ✗ lemma_a: no"
    assert repr(failed) == "ProofResult('p', passed=False, lemmas=0/1)"


# --- the LaTeX form -------------------------------------------------------------------------


@pytest.mark.latex
def test_every_statement_compiles_and_fits_the_page(tmp_path: Path) -> None:
    # One plain article with every statement.  \emergencystretch lets a paragraph with a long
    # formula stretch its spaces rather than run into the margin, as a report should set it.
    body = []
    for name in NAMES:
        title = prose_to_latex(theorem_title(load_proof(name)))
        body.extend([rf"\section*{{{title}}}", statement_latex(statement(name))])
    source = "\n".join(
        [
            r"\documentclass{article}",
            r"\usepackage{amsmath}",
            r"\usepackage{amssymb}",
            r"\setlength{\emergencystretch}{3em}",
            r"\begin{document}",
            *body,
            r"\end{document}",
            "",
        ]
    )
    assert source.isascii()
    log = run_pdflatex(source, tmp_path, name=NAME.removesuffix(".tex"))
    assert overfull_boxes(log) == []
    assert (tmp_path / "statements.pdf").stat().st_size > 1000
