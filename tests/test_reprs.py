"""Jupyter displays: ``_repr_latex_``, ``_repr_html_`` (MathJax delimiters) and ``_repr_png_``.

A notebook (Jupyter, sphinx-gallery, myst-nb) hands ``_repr_latex_`` to MathJax as it is, and
shows ``_repr_html_`` as HTML whose ``\\( \\)`` and ``\\[ \\]`` MathJax typesets.  Beyond the
form of the strings, a browser test typesets every display with the MathJax that the
documentation ships, in headless Chromium, and checks that no LaTeX is left raw.
"""

from __future__ import annotations

import dataclasses
import html
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
import sympy as sp

from symdl import LOSSES, Network
from symdl.approximation.barron import BarronConstant, barron_constant, barron_constant_radial
from symdl.backpropagation.reverse_mode import backprop
from symdl.core.notation import math_html
from symdl.depth.piecewise import PiecewiseLinear
from symdl.grading.answers import check_gradient

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

MATH = re.compile(r"\$\$.*?\$\$|\\\[.*?\\\]|\\\(.*?\\\)|\$.*?\$", re.S)
COMMAND = re.compile(r"\\[A-Za-z]+")


def network() -> Network:
    """A ReLU network with exact weights (it computes the tent map on [0, 1])."""
    return Network.mlp(
        [1, 2, 1],
        ["relu", "relu"],
        weights=[[[1], [1]], [[2, -4]]],
        biases=[[0, sp.Rational(-1, 2)], [0]],
    )


def derivation():  # type: ignore[no-untyped-def]
    return backprop(Network.mlp([1, 1], "sigmoid"), LOSSES["mse"]).derivation()


def verdict():  # type: ignore[no-untyped-def]
    w = sp.Symbol("w", real=True)
    return check_gradient((3 * w - 1) ** 2, "3(3w-1)", wrt=w)


def tent() -> PiecewiseLinear:
    """Telgarsky's tent map m: 2x on [0, 1/2], 2 - 2x on [1/2, 1], 0 elsewhere."""
    return PiecewiseLinear([0, sp.Rational(1, 2), 1], [0, 2, -2, 0], [0, 0, 2, 0])


def gaussian_barron() -> BarronConstant:
    """C_f of e^{-x^2/2}: sqrt(2/pi) (Barron 1993)."""
    x = sp.Symbol("x", real=True)
    return barron_constant(sp.exp(-(x**2) / 2), x)


def kink_barron() -> BarronConstant:
    """C_f of |x|: infinite, f is not C^1."""
    x = sp.Symbol("x", real=True)
    return barron_constant(sp.Abs(x), x)


DISPLAYS = {
    "Network": network,
    "Derivation": derivation,
    "Verdict": verdict,
    "PiecewiseLinear": tent,
    "BarronConstant": gaussian_barron,
    "BarronConstant (infinite)": kink_barron,
}


def raw_latex_outside_math(text: str) -> list[str]:
    """The LaTeX commands of ``text`` that no math delimiter encloses."""
    return COMMAND.findall(MATH.sub("", text))


class TextOf(HTMLParser):
    """The text of an HTML fragment, and whether its tags are balanced."""

    VOID = frozenset({"br", "hr", "img", "meta", "link", "input"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.open: list[str] = []
        self.balanced = True

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in self.VOID:
            self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.open or self.open.pop() != tag:
            self.balanced = False

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    @classmethod
    def text_of(cls, fragment: str) -> str:
        parser = cls()
        parser.feed(fragment)
        parser.close()
        return "".join(parser.text)


def test_the_checker_finds_raw_latex() -> None:
    assert raw_latex_outside_math(r"$$\frac{1}{2}$$ and \(\sigma\)") == []
    assert raw_latex_outside_math(r"\textbf{Wrong}: $x$") == ["\\textbf"]


@pytest.mark.parametrize("name", list(DISPLAYS))
def test_repr_latex_is_math_for_mathjax(name: str) -> None:
    latex = DISPLAYS[name]()._repr_latex_()
    assert MATH.search(latex)
    assert raw_latex_outside_math(latex) == []


@pytest.mark.parametrize("name", list(DISPLAYS))
def test_repr_html_is_balanced_html_with_mathjax_delimiters(name: str) -> None:
    fragment = DISPLAYS[name]()._repr_html_()
    parser = TextOf()
    parser.feed(fragment)
    parser.close()
    assert parser.balanced
    assert not parser.open
    text = "".join(parser.text)
    assert re.search(r"\\\[.*?\\\]", text, re.S)  # displayed math in MathJax delimiters
    assert raw_latex_outside_math(text) == []


def test_network_html_and_latex_show_the_same_equations() -> None:
    net = network()
    parser = TextOf()
    parser.feed(net._repr_html_())
    html_math = [m.strip("$\\[] \n") for m in MATH.findall("".join(parser.text))]
    latex_math = [m.strip("$\\[] \n") for m in MATH.findall(net._repr_latex_())]
    assert html_math == latex_math
    assert r"\operatorname{ReLU}" in latex_math[0]
    assert r"- \frac{1}{2}" in latex_math[0]  # the exact bias, not -0.5


def test_a_derivation_shows_its_title_and_every_step() -> None:
    shown = derivation()
    page = html.unescape(shown._repr_html_())
    assert shown.title in page
    assert page.count("&&") == len(shown.steps)  # one row, with its reason, per step
    assert page.count(r"\text{(BP1)}") == 1


@pytest.mark.slow
@pytest.mark.browser
def test_mathjax_typesets_every_display(tmp_path: Path) -> None:
    from test_docs_browser import MATHJAX, require, typeset

    require(MATHJAX.is_file(), "MathJax", "run `npm ci --prefix docs`")
    require(shutil.which("chromium") is not None, "chromium", "apt-get install chromium")
    # as a notebook shows them: text/latex typeset by MathJax, text/html as it is
    items = [display() for display in DISPLAYS.values()]
    body = "".join(f"<div>{html.escape(item._repr_latex_())}</div>" for item in items)
    body += "".join(f"<div>{item._repr_html_()}</div>" for item in items)
    page = tmp_path / "notebook.html"
    page.write_text(
        "<!DOCTYPE html><html><head><meta charset='utf-8'>"
        "<script>window.MathJax = {svg: {fontCache: 'global'}};</script>"
        f"<script src='{MATHJAX.as_uri()}'></script></head><body>{body}</body></html>"
    )
    expected = len(MATH.findall(TextOf.text_of(body)))
    dom = typeset(page, tmp_path / "profile")
    assert dom.count("<mjx-container") == expected >= 12
    assert dom.count('<g data-mml-node="merror"') == 0
    visible = re.sub(r"<mjx-container.*?</mjx-container>|<script.*?</script>", "", dom, flags=re.S)
    assert COMMAND.findall(html.unescape(re.sub(r"<[^>]+>", "", visible))) == []


# --- the math of an HTML display is escaped -----------------------------------------------------


def math_of_html(fragment: str) -> list[str]:
    """The raw (still escaped) text inside the MathJax delimiters of an HTML fragment."""
    pairs = re.findall(r"\\\[(.*?)\\\]|\\\((.*?)\\\)", fragment, re.S)
    return ["".join(pair) for pair in pairs]


def unescaped(math: str) -> list[str]:
    """The characters of ``math`` that HTML would read as markup: ``<``, ``>``, a bare ``&``."""
    return re.findall(r"[<>]|&(?!amp;|lt;|gt;)", math)


@pytest.mark.parametrize("name", list(DISPLAYS))
def test_repr_html_escapes_the_math(name: str) -> None:
    fragment = DISPLAYS[name]()._repr_html_()
    maths = math_of_html(fragment)
    assert maths
    assert [unescaped(math) for math in maths] == [[] for _ in maths]


def test_math_html_escapes_what_html_reads_and_the_checker_sees_it() -> None:
    assert math_html(r"a & b < c") == r"\[a &amp; b &lt; c\]"
    assert math_html("x", display=False) == r"\(x\)"
    # the check above fails on an unescaped display
    (raw,) = math_of_html(r"\[\begin{aligned} a &< b \end{aligned}\]")
    assert unescaped(raw) == ["&", "<"]
    assert unescaped(math_html(raw)) == []


def test_network_html_escapes_the_ampersands_of_its_aligned_equations() -> None:
    fragment = network()._repr_html_()
    assert "&amp;=" in fragment
    assert "&=" not in fragment.replace("&amp;=", "")


# --- PiecewiseLinear ----------------------------------------------------------------------------


def test_the_tent_map_shows_its_exact_pieces() -> None:
    latex = tent()._repr_latex_()
    assert latex.startswith("$$")
    assert latex.endswith("$$")
    rows = re.search(r"\\begin\{cases\}(.*)\\end\{cases\}", latex, re.S)
    assert rows is not None
    pieces = [row.strip() for row in rows.group(1).split(r"\\")]
    assert pieces == [
        r"0 & x \le 0",
        r"2 x & x \in \left[0, \frac{1}{2}\right]",
        r"2 - 2 x & x \in \left[\frac{1}{2}, 1\right]",
        r"0 & x \ge 1",
    ]
    assert "0.5" not in latex  # exact, never a decimal


def test_the_pieces_shown_are_the_function() -> None:
    # each row, read back with SymPy, agrees with f at the middle of its interval
    f = tent().compose(tent())
    x = sp.Symbol("x", real=True)
    latex = f._repr_latex_()
    assert latex.count(r"\in") == 4  # 6 pieces: two unbounded, four on [0, 1]
    for i, b in enumerate(f.breakpoints[:-1]):
        middle = (b + f.breakpoints[i + 1]) / 2
        slope, intercept = f.slopes[i + 1], f.intercepts[i + 1]
        expected = sp.latex(sp.Rational(slope) * x + sp.Rational(intercept))
        assert f"{expected} & x \\in" in latex
        assert f(middle) == slope * middle + intercept


def test_a_function_with_many_pieces_shows_a_summary() -> None:
    saw = tent()
    for _ in range(9):
        saw = saw.compose(tent())  # m^10: 2^10 pieces on [0, 1], 2 more outside
    latex = saw._repr_latex_()
    assert saw.num_pieces() == 2**10 + 2
    assert rf"\text{{({2**10 + 2} pieces)}}" in latex
    assert latex.count(r"\vdots") == 2
    assert latex.count("&") == 2 * 3 + 1  # three pieces, the dots, three pieces
    assert r"1024 x & x \in \left[0, \frac{1}{1024}\right]" in latex
    assert r"1024 - 1024 x & x \in \left[\frac{1023}{1024}, 1\right]" in latex


def test_an_affine_function_is_one_line() -> None:
    assert (
        PiecewiseLinear([], [sp.Rational(1, 3)], [-1])._repr_latex_()
        == r"$$f(x) = \frac{x}{3} - 1$$"
    )


def test_the_png_is_the_plot() -> None:
    png = tent()._repr_png_()
    assert isinstance(png, bytes)
    assert png.startswith(PNG_SIGNATURE)
    # a 5 x 3 inch figure at matplotlib's default 100 dpi: the IHDR chunk holds 500 x 300
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    assert (width, height) == (500, 300)
    assert tent()._repr_png_() != PiecewiseLinear([], [1], [0])._repr_png_()


# --- Barron's constant --------------------------------------------------------------------------


def test_the_gaussian_shows_its_exact_and_numeric_constant() -> None:
    latex = gaussian_barron()._repr_latex_()
    assert r"C_f = \frac{\sqrt{2}}{\sqrt{\pi}}" in latex
    # an exact value needs no error bar: the decimal to the digits the quadrature confirms
    value = re.search(r"\\approx (\d\.\d+) \\quad", latex)
    assert value is not None
    assert value.group(1).startswith("0.7978845608")
    assert abs(float(value.group(1)) - float(sp.sqrt(2 / sp.pi))) < 1e-13
    assert r"\pm" not in latex
    assert r"f\left(x\right) = e^{- \frac{x^{2}}{2}}" in latex


def test_an_infinite_constant_shows_why() -> None:
    shown = kink_barron()
    latex, page = shown._repr_latex_(), shown._repr_html_()
    assert r"C_f = \infty" in latex
    assert r"C_f = \infty" in page
    assert r"\text{f is not C¹" in latex
    assert "0.79" not in latex
    assert html.escape(shown.reason, quote=False) in page
    assert "C_f &lt; ∞" in page  # the reason's < is escaped


# --- Verdict ------------------------------------------------------------------------------------


def test_a_wrong_answers_verdict_html_names_the_outcome_and_the_counterexample() -> None:
    shown = verdict()
    page = shown._repr_html_()
    assert "<strong>Different</strong>" in page
    assert html.escape(shown.reason, quote=False) in page
    assert r"\[\text{at } w = 2:\quad \text{true} = 30,\quad \text{submitted} = 15\]" in page
    assert r"\[\text{submitted} - \text{true} = 3 - 9 w\]" in page


def test_a_right_answers_verdict_html_has_no_evidence() -> None:
    w = sp.Symbol("w", real=True)
    page = check_gradient((3 * w - 1) ** 2, "6(3w-1)", wrt=w)._repr_html_()
    assert "<strong>Equivalent</strong>" in page
    assert r"\[" not in page


# --- the LaTeX compiles -------------------------------------------------------------------------


@pytest.mark.latex
def test_the_latex_displays_compile(tmp_path: Path) -> None:
    from test_latex_compile import compile_latex

    saw = tent().compose(tent()).compose(tent()).compose(tent())
    displays = [tent()._repr_latex_(), saw._repr_latex_(), gaussian_barron()._repr_latex_()]
    displays += [network()._repr_latex_()]
    source = "\n".join(
        [r"\documentclass{article}", r"\usepackage{amsmath,amssymb}", r"\begin{document}"]
        + [rf"\[ {latex.strip('$')} \]" for latex in displays]
        + [r"\end{document}"]
    )
    compile_latex(source, tmp_path)


def test_a_symbolic_dimension_shows_the_formula_and_where_quadrature_confirmed_it() -> None:
    r = sp.Symbol("r", positive=True)
    d = sp.Symbol("d", positive=True, integer=True)
    shown = barron_constant_radial(sp.exp(-(r**2) / 2), r, dim=d)
    latex = shown._repr_latex_()
    # E|Z| for Z ~ N(0, I_d): C_f = sqrt(2) Gamma((d+1)/2) / Gamma(d/2) for e^{-|x|^2/2} on R^d
    formula = sp.sqrt(2) * sp.gamma((d + 1) / 2) / sp.gamma(d / 2)
    assert rf"C_f = {sp.latex(formula)} \quad" in latex
    assert r"\approx" not in latex  # no number for a symbolic d
    assert r"g(r) = e^{- \frac{r^{2}}{2}},\ x \in \mathbb{R}^{d}" in latex
    assert r"\text{(quadrature agrees at } d = 1, 2, 3, 4, 5, 6)" in latex
    assert raw_latex_outside_math(latex) == []


def test_a_constant_without_closed_form_shows_its_quadrature() -> None:
    x = sp.Symbol("x", real=True)
    shown = dataclasses.replace(gaussian_barron(), exact=None, error=2.5e-20)
    latex = shown._repr_latex_()
    # a numeric value to 15 significant digits, with its error estimate
    assert latex.startswith(r"$$C_f = 0.797884560802865 \pm 2.5 \cdot 10^{-20} \quad")
    assert sp.latex(sp.sqrt(2)) not in latex
    assert shown.variables == (x,)


def test_a_barron_constant_reads_as_mathematics_in_plain_text() -> None:
    shown = gaussian_barron()
    text, short = str(shown), repr(shown)
    assert short.startswith("BarronConstant(C_f = √2/(√π) ≈ 0.7978845608")
    assert len(short) < 150
    for sympy_text in ("**", "sqrt(", "exp(", "^(5/2)", "oo"):
        assert sympy_text not in text, sympy_text
