"""Derivations that fit the page: widths, broken lines, tags, page breaks, checked by pdflatex.

The LaTeX that ``symdl derive --latex`` writes is pasted into a plain ``article`` that loads
``amsmath`` alone and compiled; the log must show no overfull box over 1 pt, the pages must
hold every line (every tag is shipped out, inside the text area), and the text extracted from
the PDF (``pdftotext``, when it is installed) must hold every equation tag.

Without pdflatex the compiling tests fail when the environment variable ``CI`` is set, and are
skipped (with the reason) otherwise.
"""

from __future__ import annotations

import itertools
import math
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import sympy as sp
from latex_tools import overfull_boxes, run_pdflatex

from symdl.backpropagation.reverse_mode import backprop
from symdl.cli import main
from symdl.core.derivation import Derivation, Layout, Reason, math_width, text_width
from symdl.core.losses import LOSSES
from symdl.core.network import Network

ARTICLE = "\\documentclass{article}\n\\usepackage{amsmath}\n"
# Every tag, when its page is shipped out, writes its page and its position (the right end of
# the tag, on its baseline, in sp from the page's lower left corner) to the .aux file; the
# page's text area is written there too.
PROBE = r"""\makeatletter
\gdef\symdltag#1#2#3{}\gdef\symdlpage#1#2#3#4{}
\let\symdl@maketag\maketag@@@
\def\maketag@@@#1{\symdl@maketag{#1\pdfsavepos
  \write\@auxout{\string\symdltag{\thepage}{\the\pdflastxpos}{\the\pdflastypos}}}}
\AtBeginDocument{\immediate\write\@auxout{\string\symdlpage{\the\pdfpageheight}{%
  \the\dimexpr 1in + \topmargin + \headheight + \headsep\relax}{\the\textheight}{%
  \the\dimexpr 1in + \oddsidemargin + \textwidth\relax}}}
\makeatother
"""
SP = 65536  # scaled points per point


def compile_article(body: str, directory: Path, *, preamble: str = "") -> tuple[str, str, int]:
    """Compile ``body`` in a plain article; the log, the .aux file and the number of pages."""
    source = ARTICLE + preamble + "\\begin{document}\n" + body + "\n\\end{document}\n"
    log = run_pdflatex(source, directory, name="article", timeout=300)
    pages = re.search(r"Output written on article\.pdf \((\d+) pages?", log)
    assert pages is not None, log[-2000:]
    return log, (directory / "article.aux").read_text(), int(pages.group(1))


def overfull(log: str) -> list[str]:
    """The overfull boxes of a log over 1 pt."""
    return overfull_boxes(log)


def tex_widths(pieces: list[str], directory: Path, *, text: bool = False) -> list[float]:
    """The widths that pdflatex gives LaTeX math in a display (or text), in points."""
    lines = []
    for index, piece in enumerate(pieces):
        box = piece if text else f"$\\displaystyle {piece}$"
        lines.append(f"\\setbox0\\hbox{{{box}}}\\typeout{{WIDTH {index} \\the\\wd0}}")
    log, _, _ = compile_article("x\n" + "\n".join(lines), directory)
    widths = dict(re.findall(r"^WIDTH (\d+) ([\d.]+)pt$", log, flags=re.MULTILINE))
    return [float(widths[str(index)]) for index in range(len(pieces))]


# --- widths ---------------------------------------------------------------------------------


def _derivation_pieces() -> list[str]:
    """Left sides and lines of right sides that symdl writes, of several kinds."""
    pieces: set[str] = set()
    cases = [
        ([2, 2, 2], "tanh", "mse"),
        ([2, 2, 2], ["relu", "softmax"], "hinge"),
        ([2, 3], "sigmoid", "log"),
        ([1, 2], "leaky_relu", "bce"),
    ]
    for sizes, activations, loss in cases:
        tex = (
            backprop(Network.mlp(sizes, activations), LOSSES[loss])
            .derivation()
            .latex(environment="align*", indicator=r"\mathbf{1}", layout=Layout(width_em=24))
        )
        for row in tex.splitlines()[1:-1]:
            if row.startswith(r"\intertext"):
                continue
            row = re.sub(r"\s*\\\\\*?$", "", row).replace(r" \displaybreak[0]", "")
            row = re.sub(r"\s*\\tag\*?\{.*\}$", "", row)
            left, right = row.split("&", 1)
            pieces.update(p for p in (left.strip(), right.lstrip("=").strip()) if p)
    return sorted(pieces)


@pytest.mark.latex
def test_math_width_agrees_with_pdflatex(tmp_path: Path) -> None:
    pieces = _derivation_pieces()
    pieces += [
        r"\frac{\partial C}{\partial w^{(1)}_{11}}",
        r"\left(\frac{a}{b}\right)^{2} + \sqrt{y_{1}^{2} + y_{2}^{2}}",
        r"\begin{cases} 1 & \text{for}\: z > 0 \\ \frac{1}{10} & \text{otherwise} \end{cases}",
        r"\left[\begin{matrix}a & b\\c & d\end{matrix}\right]",
        r"\max\bigl(\left|{p_{1} - y_{1}}\right|, \left|{p_{2} - y_{2}}\right|\bigr)",
    ]
    assert len(pieces) > 50
    widths = tex_widths(pieces, tmp_path)
    # within a few percent; an estimate may err wide (a line broken early), rarely narrow
    ratios = {piece: math_width(piece) / width for piece, width in zip(pieces, widths, strict=True)}
    too_narrow = {p: r for p, r in ratios.items() if r < 0.95}
    too_wide = {p: r for p, r in ratios.items() if r > 1.1}
    assert not too_narrow, too_narrow
    assert not too_wide, too_wide


@pytest.mark.latex
def test_text_width_agrees_with_pdflatex(tmp_path: Path) -> None:
    reasons = [
        "by definition",
        "derivative of the loss",
        r"derivative of $\tanh$",
        r"derivative of $\operatorname{ReLU}$",
        "only the term with equal indices remains",
        r"the recursion BP2 defines $\delta^l_j$",
        r"evaluating at $z = 0$, 100\% exact",
        "(BP4)",
    ]
    widths = tex_widths(reasons, tmp_path, text=True)
    for reason, width in zip(reasons, widths, strict=True):
        assert 0.97 * width <= text_width(reason) <= 1.05 * width, (reason, width)


# --- broken lines ---------------------------------------------------------------------------


def _rows(tex: str) -> list[str]:
    return [row for row in tex.splitlines()[1:-1] if not row.startswith(r"\intertext")]


def _balanced(line: str) -> bool:
    """Braces and \\left … \\right pairs balanced within one line (one cell of the align)."""
    depth = 0
    for char in re.sub(r"\\[{}]", "", line):
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth < 0:
            return False
    return depth == 0 and line.count(r"\left") == line.count(r"\right")


def test_a_long_sum_is_broken_after_its_signs_and_each_line_fits() -> None:
    w = sp.symbols("w_1:10", real=True)
    a = sp.symbols("a_1:10", real=True)
    weighted = sum(wi * ai for wi, ai in zip(w, a, strict=True)) + sp.Symbol("b", real=True)
    d = Derivation("z")
    d.add(sp.Symbol("z"), weighted, Reason.DEFINITION)
    one_line = d.latex(environment="align*", layout=Layout(width_em=200))
    for width_em in (14, 20, 26):
        layout = Layout(width_em=width_em)
        rows = _rows(d.latex(environment="align*", layout=layout))
        assert len(rows) > 1
        first, *continued = rows
        assert first.startswith(r"z &= w_{1} a_{1}")
        assert all(row.startswith(r"&\quad {} + ") for row in continued)
        for row in rows:  # the lines fit: the left side, the = and the line, or \quad and it
            line = re.sub(r" (\\tag\*\{[^}]*\}|\\\\\*)+.*$", "", row)
            assert math_width(line.replace("&", "")) <= layout.width_pt, line
        # the same sum, terms in the same order: only the line breaks differ
        joined = " ".join(re.sub(r"^&\\quad \{\} |^z &= | \\tag.*$| \\\\\*$", "", r) for r in rows)
        assert joined == _rows(one_line)[0][len("z &= ") : -len(r" \tag*{by definition}")]


def test_a_product_breaks_inside_the_parentheses_of_its_long_factor() -> None:
    w = sp.symbols("w_1:9", real=True)
    deltas = sp.symbols(r"\delta_1:9", real=True)
    z = sp.Symbol("z", real=True)
    incoming = sum(wi * di for wi, di in zip(w, deltas, strict=True))
    d = Derivation("BP2")
    d.add(sp.Symbol(r"\delta"), incoming * (1 - sp.tanh(z) ** 2), Reason.BP2)
    rows = _rows(d.latex(environment="align*", layout=Layout(width_em=20)))
    assert len(rows) >= 2
    assert rows[0].startswith(r"\delta &= \bigl(w_{1} \delta_{1} + ")
    closing = next(row for row in rows if r"\bigr)" in row)
    assert r"\bigr) \left(1 - \tanh^{2}{\left(z \right)}\right)" in closing or (
        r"\cdot \left(1 - \tanh^{2}" in rows[rows.index(closing) + 1]
    )
    assert rows[-1].endswith(r"\tag{BP2}")
    assert all(_balanced(re.sub(r"\\[bB]ig[lr][(|\[]", "", row)) for row in rows)


@pytest.fixture(scope="module")
def long_derivations() -> list[Derivation]:
    """Derivations with long sums, products, maxima, indicators and fractions."""
    return [
        backprop(Network.mlp([3, 6, 3], "sigmoid"), LOSSES["chebyshev"]).derivation(),
        backprop(Network.mlp([3, 8, 4], ["relu", "softmax"]), LOSSES["bce"]).derivation(),
    ]


@pytest.mark.parametrize("width_em", [14, 32])
def test_every_line_of_a_long_derivation_is_one_balanced_cell(
    long_derivations: list[Derivation], width_em: int
) -> None:
    for derivation in long_derivations:
        rows = _rows(derivation.latex(environment="align*", layout=Layout(width_em=width_em)))
        cells = [cell for row in rows for cell in re.sub(r"\\\\\*?$", "", row).split("&")]
        unpaired = re.compile(r"\\[bB]ig(g?)[lr]?(\\[{}]|[(|\[\])/])")
        assert all(_balanced(unpaired.sub("", cell)) for cell in cells)
        opened = sum(len(re.findall(r"\\[bB]igl", row)) for row in rows)
        closed = sum(len(re.findall(r"\\[bB]igr", row)) for row in rows)
        assert opened == closed
        if width_em == 14:
            assert len(rows) > len(derivation.steps)  # some steps did need several lines


# --- the derivation of `symdl derive --latex` in a plain article ----------------------------


def _expected_tags(sizes: list[int]) -> dict[str, int]:
    """How many times each equation is a tag, from the sizes alone: (BP1) for each output,
    (BP2) for each hidden neuron, (BP3) for each bias, (BP4) for each weight."""
    return {
        "BP1": sizes[-1],
        "BP2": sum(sizes[1:-1]),
        "BP3": sum(sizes[1:]),
        "BP4": sum(n * m for n, m in itertools.pairwise(sizes)),
    }


@pytest.mark.latex
def test_the_3_4_4_2_tanh_derivation_fits_a_plain_article(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sizes = [3, 4, 4, 2]
    assert main(["derive", "--sizes", "3,4,4,2", "--activations", "tanh", "--latex"]) == 0
    snippet = capsys.readouterr().out
    expected = _expected_tags(sizes)
    for equation, count in expected.items():
        assert snippet.count(f"\\tag{{{equation}}}") == count
    tags = snippet.count(r"\tag")
    log, aux, pages = compile_article(snippet, tmp_path, preamble=PROBE)
    assert overfull(log) == []
    # every tag was shipped out on a page, and sits inside the text area of its page
    (page,) = re.findall(
        r"\\symdlpage\{([\d.]+)pt\}\{([\d.]+)pt\}\{([\d.]+)pt\}\{([\d.]+)pt\}", aux
    )
    height, top, text_height, right = (float(v) for v in page)
    shipped = [
        tuple(map(int, t)) for t in re.findall(r"\\symdltag\{(\d+)\}\{(\d+)\}\{(\d+)\}", aux)
    ]
    assert len(shipped) == tags
    bottom = height - top - text_height
    for number, x, y in shipped:
        assert 1 <= number <= pages
        assert bottom - 1 <= y / SP <= height - top + 1, (number, y / SP)
        assert x / SP <= right + 1, (number, x / SP)
    # a plausible number of pages: every line is at least a baselineskip high, none more than
    # three (a fraction over a fraction is about 30 pt)
    lines = len(_rows(snippet)) + snippet.count(r"\intertext")
    assert math.ceil(lines * 12 / text_height) <= pages <= math.ceil(lines * 36 / text_height)
    # the tags are in the text of the PDF
    if shutil.which("pdftotext") is not None:
        text = subprocess.run(
            ["pdftotext", "-layout", "article.pdf", "-"],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for equation, count in expected.items():
            assert text.count(f"({equation})") == count
        for reason in ("by definition", "derivative of the loss", "derivative of tanh"):
            assert reason in text
        assert text.count("substitution") == sum(sizes[1:])


@pytest.mark.latex
def test_the_probe_catches_a_derivation_that_runs_off_the_page(tmp_path: Path) -> None:
    # the same derivation as the issue saw it: one align, no page break allowed, a wide line
    d = backprop(Network.mlp([3, 4, 4, 2], "tanh"), LOSSES["mse"]).derivation()
    snippet = d.latex(environment="align*").replace(r" \displaybreak[0]", "")
    wide = r"\text{" + "a very long line " * 20 + "}"
    snippet = snippet.replace(r"\end{align*}", "\\\\\n" + wide + "\n\\end{align*}")
    log, _, _ = compile_article(snippet, tmp_path, preamble=PROBE)
    found = overfull(log)
    assert any("vbox" in f for f in found)
    assert any("hbox" in f for f in found)


# --- every network `symdl derive` accepts ------------------------------------------------------

WIDEST = "8,8,8"
NETWORKS = (
    [(WIDEST, "tanh", loss) for loss in LOSSES]
    + [
        (WIDEST, activation, "mse")
        for activation in ("identity", "step", "sigmoid", "relu", "leaky_relu", "elu", "softplus")
    ]
    + [
        (WIDEST, f"{hidden},softmax", loss)
        for hidden in ("tanh", "relu")
        for loss in ("mse", "bce")
    ]
)


@pytest.mark.slow
@pytest.mark.latex
@pytest.mark.parametrize(("sizes", "activations", "loss"), NETWORKS)
def test_every_derivation_of_the_widest_networks_fits_the_page(
    sizes: str, activations: str, loss: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    arguments = ["derive", "--sizes", sizes, "--activations", activations, "--loss", loss]
    assert main([*arguments, "--latex"]) == 0
    snippet = capsys.readouterr().out
    log, aux, _ = compile_article(snippet, tmp_path, preamble=PROBE)
    assert overfull(log) == []
    assert aux.count(r"\symdltag") == snippet.count(r"\tag")
