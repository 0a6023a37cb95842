"""Jupyter displays: ``_repr_latex_``, ``_repr_html_`` (MathJax delimiters) and ``_repr_png_``.

A notebook (Jupyter, sphinx-gallery, myst-nb) hands ``_repr_latex_`` to MathJax as it is, and
shows ``_repr_html_`` as HTML whose ``\\( \\)`` and ``\\[ \\]`` MathJax typesets.  Beyond the
form of the strings, a browser test typesets every display with the MathJax that the
documentation ships, in headless Chromium, and checks that no LaTeX is left raw.
"""

from __future__ import annotations

import html
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
import sympy as sp

from symdl import LOSSES, Network
from symdl.backprop import backprop
from symdl.gradcheck import check_gradient

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


DISPLAYS = {"Network": network, "Derivation": derivation, "Verdict": verdict}


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


@pytest.mark.parametrize("name", ["Network", "Derivation", "Verdict"])
def test_repr_latex_is_math_for_mathjax(name: str) -> None:
    latex = DISPLAYS[name]()._repr_latex_()
    assert MATH.search(latex)
    assert raw_latex_outside_math(latex) == []


@pytest.mark.parametrize("name", ["Network", "Derivation"])
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
    # (Verdict has no _repr_html_)
    body = "".join(
        f"<div>{html.escape(item._repr_latex_())}</div>"
        for item in (network(), derivation(), verdict())
    )
    body += "".join(f"<div>{item._repr_html_()}</div>" for item in (network(), derivation()))
    page = tmp_path / "notebook.html"
    page.write_text(
        "<!DOCTYPE html><html><head><meta charset='utf-8'>"
        "<script>window.MathJax = {svg: {fontCache: 'global'}};</script>"
        f"<script src='{MATHJAX.as_uri()}'></script></head><body>{body}</body></html>"
    )
    expected = len(MATH.findall(TextOf.text_of(body)))
    dom = typeset(page, tmp_path / "profile")
    assert dom.count("<mjx-container") == expected >= 5
    assert dom.count('<g data-mml-node="merror"') == 0
    visible = re.sub(r"<mjx-container.*?</mjx-container>|<script.*?</script>", "", dom, flags=re.S)
    assert COMMAND.findall(html.unescape(re.sub(r"<[^>]+>", "", visible))) == []
