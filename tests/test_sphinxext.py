"""The Sphinx extension, built on tiny projects under ``tests/roots/`` with ``sphinx.testing``."""

from __future__ import annotations

import io
import re
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sphinx.errors import ConfigError
from sphinx.testing.util import SphinxTestApp
from sphinx.util.console import strip_escape_sequences

import symdl
import symdl.sphinxext

ROOTS = Path(__file__).parent / "roots"
# the pages of the test-proofs project that hold no failing proof
CLEAN = ["_build", "broken.rst", "unknown.rst", "unimportable.rst"]


@pytest.fixture
def isolated_imports(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Undo what a test project's conf.py does to sys.path, and forget its proof modules."""
    monkeypatch.setattr(sys, "path", list(sys.path))
    yield
    for name in [name for name in sys.modules if name.split(".")[0] == "course_proofs"]:
        del sys.modules[name]


def build(
    tmp_path: Path,
    root: str,
    conf: str = "",
    builder: str = "html",
    parallel: int = 0,
    **overrides: object,
) -> tuple[Path, str]:
    """Build a copy of ``tests/roots/<root>`` as HTML; the output folder and the warnings.

    ``conf`` is appended to the copy's conf.py; ``overrides`` go through Sphinx's -D.
    """
    source = tmp_path / root
    shutil.copytree(ROOTS / root, source)
    with (source / "conf.py").open("a") as conf_file:
        conf_file.write(conf)
    warnings = io.StringIO()
    app = SphinxTestApp(
        builder,
        srcdir=source,
        parallel=parallel,
        confoverrides=overrides,
        status=io.StringIO(),
        warning=warnings,
    )
    try:
        app.build()
    finally:
        app.cleanup()
    return source / "_build" / builder, strip_escape_sequences(warnings.getvalue())


@pytest.mark.usefixtures("isolated_imports")
def test_a_proof_that_holds_builds_without_warnings(tmp_path: Path) -> None:
    html, warnings = build(
        tmp_path,
        "test-proofs",
        exclude_patterns=CLEAN,
    )
    assert warnings == ""
    page = (html / "index.html").read_text()
    assert "The derivative of a square." in page
    assert "Verified: 2 of 2 lemmas hold." in page
    assert "lemma_power_rule" in page
    assert "lemma_at_three" in page
    # the written derivation: its title (prose with math), then its steps
    assert r'<p class="symdl-derivation-title">The power rule for <span class="math' in page
    assert r"&amp;= 2 w &amp;&amp; \text{the limit $h \to 0$}" in page
    # the statement is parsed as reStructuredText: its math reaches MathJax
    assert r"\(\frac{d}{dw} w^2 = 2w\)" in page
    assert r"\[\lim_{h \to 0} \frac{(w + h)^2 - w^2}{h} = 2w\]" in page
    # the flags leave the parts out
    flags = (html / "flags.html").read_text()
    assert "Verified: 2 of 2 lemmas hold." in flags
    assert "The power rule" not in flags  # the derivation's title
    assert "For every real" not in flags
    assert "lemma_power_rule" not in flags
    # a plain-text statement, which reStructuredText would misread, is shown as written
    assert "<p>Barron’s C_f = |x| is written as a mathematician types it" in page
    assert "<p>A second paragraph.</p>" in page


@pytest.mark.usefixtures("isolated_imports")
@pytest.mark.parametrize("parallel", [0, 2])
def test_a_failing_proof_is_a_warning_at_the_directive(tmp_path: Path, parallel: int) -> None:
    html, warnings = build(tmp_path, "test-proofs", parallel=parallel)
    assert "broken.rst:8: WARNING: proof 'wrong' failed: lemma_power_rule" in warnings
    assert "d/dw w^3 is not 2w" in warnings
    assert warnings.count("WARNING") == 3
    assert (
        "unimportable.rst:6: WARNING: symdl-proof: the proof 'unimportable' cannot be "
        "imported: RuntimeError: this module is broken"
    ) in warnings
    assert (
        "unknown.rst:6: WARNING: symdl-proof: no proof named 'no_such_proof'; the proofs are:"
        in (warnings)
    )
    page = (html / "broken.html").read_text()
    assert "FAILED: 0 of 1 lemmas hold." in page
    # a failed proof's box and verdict are marked so (red in the style sheet)
    assert '<div class="symdl-proof symdl-failed docutils container">' in page
    assert '<p class="symdl-verdict symdl-failed"><strong>FAILED' in page
    assert "symdl-passed" not in page
    assert (
        '<div class="symdl-proof symdl-passed docutils container">'
        in (html / "index.html").read_text()
    )


@pytest.mark.usefixtures("isolated_imports")
def test_timings_and_lemmas_follow_the_configuration(tmp_path: Path) -> None:
    html, warnings = build(
        tmp_path,
        "test-proofs",
        exclude_patterns=CLEAN,
        symdl_show_lemmas=False,
        symdl_show_timings=True,
    )
    assert warnings == ""
    page = (html / "index.html").read_text()
    assert "lemma_at_three" not in page
    assert " s).</strong>" in page


@pytest.mark.usefixtures("isolated_imports")
@pytest.mark.parametrize(
    ("conf", "message"),
    [
        ("symdl_show_lemmas = 'yes'", "symdl_show_lemmas = 'yes' is not a bool"),
        ("symdl_proof_package = 'my proofs'", "'my proofs' is not an importable package name"),
    ],
)
def test_a_configuration_value_of_the_wrong_kind_stops_the_build(
    tmp_path: Path, conf: str, message: str
) -> None:
    with pytest.raises(ConfigError, match=message):
        build(tmp_path, "test-proofs", conf=f"\n{conf}\n")


def test_a_derivation_is_computed_into_the_html(tmp_path: Path) -> None:
    html, warnings = build(tmp_path, "test-derivation", exclude_patterns=["_build", "mistakes.rst"])
    assert warnings == ""
    page = (html / "index.html").read_text()
    # the forward pass in the lecture's notation (σ, not SymPy's Sigmoid)
    assert r"a^{(1)}_{1} &amp;= \sigma\left(z^{(1)}_{1}\right)" in page
    # BP4 and BP3 for the single weight and bias
    assert r"\frac{\partial C}{\partial w^{(1)}_{11}} &amp;= \delta^{(1)}_{1} x_{1}" in page
    assert r"\frac{\partial C}{\partial b^{(1)}_{1}} &amp;= \delta^{(1)}_{1}" in page
    # MathJax form: aligned blocks in display delimiters, the remarks as paragraphs between
    # them (MathJax has no \intertext)
    assert page.count(r"\[\begin{aligned}") == 3
    assert "<p>Backward pass: the error of every neuron, from the output layer down.</p>" in page
    assert r"\intertext" not in page
    # the whole derivation, remarks and steps, in one box that the style sheet sets apart
    (box,) = re.findall(
        r'<div class="symdl-derivation docutils container">(.*?)</div>\s*</section>', page, re.S
    )
    assert box.count(r"\[\begin{aligned}") == 3
    assert "Backward pass" in box


def test_the_latex_builder_gets_align_with_intertext(tmp_path: Path) -> None:
    out, warnings = build(
        tmp_path, "test-derivation", builder="latex", exclude_patterns=["_build", "mistakes.rst"]
    )
    assert warnings == ""
    (tex_file,) = out.glob("*.tex")
    tex = tex_file.read_text()
    assert tex.count(r"\begin{align*}") == 3  # forward pass, backward pass, gradients
    assert "Backward pass: the error of every neuron, from the output layer down." in tex
    assert r"\begin{aligned}" not in tex


def test_bad_derivation_options_are_warnings_at_their_lines(tmp_path: Path) -> None:
    # the warning's type is shown (the default from Sphinx 8 on; Jupyter Book 1 has Sphinx 7)
    _html, warnings = build(tmp_path, "test-derivation", show_warning_types=True)
    lines = [line for line in warnings.splitlines() if "mistakes.rst" in line]
    assert len(lines) == 4
    assert 'mistakes.rst:6: ERROR: Error in "symdl-derivation" directive:' in lines[0]
    assert "sizes = '2, x': every size must be a positive integer" in warnings
    assert lines[1].endswith(
        "mistakes.rst:11: WARNING: symdl-derivation: the sizes 2, 1 give 1 layer(s) after the "
        "input, so give 1 activation name(s), or one for all; got 2: sigmoid, tanh "
        "[symdl.derivation]"
    )
    assert "mistakes.rst:16: WARNING: symdl-derivation: unknown loss 'no_such_loss'" in lines[2]
    assert "mistakes.rst:21: WARNING: symdl-derivation needs the option(s) activations" in lines[3]


def test_gradient_checks_show_their_verdicts(tmp_path: Path) -> None:
    html, warnings = build(tmp_path, "test-gradcheck", exclude_patterns=["_build", "mistakes.rst"])
    assert warnings == ""
    page = (html / "index.html").read_text()
    assert page.count("<strong>Equivalent</strong>") == 2
    assert page.count("<strong>Different</strong>") == 1
    # the wrong answer is half the truth; a counterexample point is shown as math
    assert "1/2 times the gradient" in page
    assert r"\text{at } " in page
    # the question in words and mathematics: never SymPy's ** nor a LaTeX name as text
    assert (
        '<p>Is this the gradient of the mean squared error with respect to <span class="math '
        'notranslate nohighlight">\\(w^{(1)}_{11}\\)</span>?</p>'
    ) in page
    assert page.count("<p>Is this the derivative with respect to <span") == 2
    assert "**" not in page
    assert "Is this d/dw" not in page
    # each check in a box of its own, its verdict marked with its outcome for the style sheet
    assert page.count('<div class="symdl-gradcheck docutils container">') == 3
    assert page.count('<p class="symdl-verdict symdl-equivalent">') == 2
    assert page.count('<p class="symdl-verdict symdl-different">') == 1
    # the question and the answer as the reader sees them
    assert (
        r"\frac{\partial}{\partial w}\left(\left(w x - y\right)^{2}\right) \overset{?}{=}" in page
    )
    assert r"\frac{\partial C}{\partial w^{(1)}_{11}} \overset{?}{=}" in page


def test_a_verdict_the_notes_do_not_expect_is_a_warning(tmp_path: Path) -> None:
    html, warnings = build(tmp_path, "test-gradcheck")
    lines = [line for line in warnings.splitlines() if "mistakes.rst" in line]
    assert len(lines) == 3
    assert (
        "mistakes.rst:6: WARNING: symdl-gradcheck: the notes expect the answer to be " in lines[0]
    )
    assert "correct, but symdl finds it wrong" in lines[0]
    # hostile text is read, never run: a verdict of its own, and no file was created
    assert "mistakes.rst:13: WARNING: symdl-gradcheck: the notes expect" in lines[1]
    assert not (tmp_path / "pwned").exists()
    assert not Path("pwned").exists()
    assert "<strong>Not comparable</strong>" in (html / "mistakes.html").read_text()
    assert (
        "mistakes.rst:19: WARNING: symdl-gradcheck: wrt: 'v' is not one of the variables (w); "
        "list it among the variables" in (lines[2])
    )


@pytest.mark.usefixtures("isolated_imports")
def test_pages_depend_on_the_code_they_compute_from(tmp_path: Path) -> None:
    source = tmp_path / "test-proofs"
    shutil.copytree(ROOTS / "test-proofs", source)
    app = SphinxTestApp("html", srcdir=source, status=io.StringIO(), warning=io.StringIO())
    try:
        app.build()
        dependencies = {Path(path).name for path in app.env.dependencies["index"]}
    finally:
        app.cleanup()
    # the proof module itself, and symdl's own code (a change re-reads the page)
    assert {"squares.py", "plain.py", "proving.py", "derivation.py"} <= dependencies
    assert "wrong.py" not in dependencies  # used by another page


def test_the_command_line_is_listed_from_the_commands_themselves(tmp_path: Path) -> None:
    html, warnings = build(tmp_path, "test-derivation", exclude_patterns=["_build", "mistakes.rst"])
    assert warnings == ""
    page = (html / "commands.html").read_text()
    assert "symdl prove [-h] [--only NAME] [--json] [--out DIR] [--pdf]" in page
    assert "Run every proof of symdl" in page
    assert "\u2013answer" not in page  # the purpose's --answer is not turned into an en dash


# --- author text: bounded, and never run as LaTeX ------------------------------------------


def build_page(tmp_path: Path, page: str, files: dict[str, str] | None = None) -> tuple[str, str]:
    """Build a one-page project whose index.rst is ``page``; the HTML and the warnings.

    ``files`` are written into the project too (a proof package, for ``symdl-proof``).
    """
    source = tmp_path / "page"
    source.mkdir()
    (source / "conf.py").write_text(
        "import sys\nfrom pathlib import Path\n\nsys.path.insert(0, str(Path(__file__).parent))\n"
        'extensions = ["symdl.sphinxext"]\nexclude_patterns = ["_build"]\n'
        'symdl_proof_package = "course_proofs"\n'
    )
    (source / "index.rst").write_text(page)
    for name, text in (files or {}).items():
        (source / name).parent.mkdir(parents=True, exist_ok=True)
        (source / name).write_text(text)
    warnings = io.StringIO()
    app = SphinxTestApp("html", srcdir=source, status=io.StringIO(), warning=warnings)
    try:
        app.build()
    finally:
        app.cleanup()
    html = (source / "_build" / "html" / "index.html").read_text()
    return html, strip_escape_sequences(warnings.getvalue())


def run_commands(html: str) -> set[str]:
    """The control words MathJax would run on the page: those of its math elements."""
    math = re.findall(r'<(div|span) class="math[^"]*">(.*?)</\1>', html, flags=re.S)
    return {word for _, latex in math for word in re.findall(r"\\([A-Za-z]+)", latex)}


MATHJAX_FORBIDDEN = {"href", "url", "htmlClass", "class", "style", "unicode", "require", "input"}


def test_gradcheck_refuses_variables_that_are_not_names(tmp_path: Path) -> None:
    page = (
        "Page\n====\n\n.. symdl-gradcheck::\n   :function: w^2\n"
        "   :variables: w, \\href{javascript:alert(1)}{x}\n   :wrt: w\n   :answer: 2w\n"
    )
    html, warnings = build_page(tmp_path, page)
    assert "cannot be written in an answer" in warnings
    # the name is shown as text in the error box, and nowhere else
    (box,) = re.findall(r'<div class="admonition error">.*?</div>', html, flags=re.S)
    assert html.count("javascript") == box.count("javascript") == 1
    assert not run_commands(html) & MATHJAX_FORBIDDEN


def test_a_whole_layer_is_named_as_the_notes_write_it(tmp_path: Path) -> None:
    # the gradient of mse with respect to W1 of a 1-1-1 identity network is a 1x1 matrix
    # δ^(1) x_1; with respect to b2 the 1-vector δ^(2)
    page = (
        "Page\n====\n\n"
        ".. symdl-gradcheck::\n   :sizes: 1, 1, 1\n   :activations: identity\n   :loss: mse\n"
        "   :wrt: W1\n   :answer: [[\\delta^{(1)}_1 x_1]]\n   :expect: correct\n\n"
        ".. symdl-gradcheck::\n   :sizes: 1, 1, 1\n   :activations: identity\n   :loss: mse\n"
        "   :wrt: b2\n   :answer: [\\delta^{(2)}_1]\n   :expect: correct\n"
    )
    html, warnings = build_page(tmp_path, page)
    assert warnings == ""
    assert html.count("<strong>Equivalent</strong>") == 2
    assert r"\frac{\partial C}{\partial W^{(1)}}" in html


def test_gradcheck_constraints(tmp_path: Path) -> None:
    # d/du_1 of the softmax cross-entropy is (y_1 + y_2) p_1 - y_1: p_1 - y_1 only on the simplex
    check = (
        ".. symdl-gradcheck::\n"
        "   :function: -y_1 \\log(e^{u_1}/(e^{u_1} + e^{u_2})) - y_2 \\log(e^{u_2}/(e^{u_1} + "
        "e^{u_2}))\n   :variables: u_1, u_2, y_1, y_2\n   :wrt: u_1\n"
        "   :answer: e^{u_1}/(e^{u_1} + e^{u_2}) - y_1\n"
    )
    page = (
        f"Page\n====\n\n{check}   :constraints: simplex(y_1, y_2)\n   :expect: correct\n\n"
        f"{check}   :expect: wrong\n\n"
        f"{check}   :constraints: simplex(y_1)\n\n"
        f"{check}   :constraints: triangle(y_1, y_2)\n"
    )
    html, warnings = build_page(tmp_path, page)
    lines = [line for line in warnings.splitlines() if "index.rst:" in line]
    assert html.count("<strong>Equivalent</strong>") == 1
    assert html.count("<strong>Different</strong>") == 1
    assert "probability vector" in html  # the verdict names the condition
    assert len(lines) == 2, warnings
    assert "symdl-gradcheck: constraints simplex: the group ['y_1'] has 1 name(s)" in lines[0]
    assert "at least two" in lines[0]
    assert "symdl-gradcheck: constraints: 'triangle(y_1, y_2)' is not a group" in lines[1]
    assert "'triangle(y_1, y_2)' is not a group such as 'simplex(y_1, y_2)'" in warnings


def test_a_network_too_large_for_text_is_a_warning(tmp_path: Path) -> None:
    page = (
        "Page\n====\n\n.. symdl-derivation::\n   :sizes: 100000000, 1\n"
        "   :activations: relu\n   :loss: mse\n"
    )
    _html, warnings = build_page(tmp_path, page)
    assert "a layer of 100,000,000 units" in warnings
    assert "symdl.core.network.MAX_TEXT_WIDTH" in warnings


HOSTILE_PROOF = '''r"""A proof whose statement, :math:`\\href{javascript:alert(1)}{x}`, is hostile.

.. math::

   \\unicode{x41} + \\require{html}
"""

import sympy as sp

from symdl.core.derivation import Derivation, Reason


def lemma_holds():
    assert True


def derivation():
    d = Derivation(r"Title $\\href{javascript:alert(1)}{x}$")
    d.add(sp.Symbol(r"w_{\\unicode{x41}}"), sp.Symbol(r"\\input{/etc/passwd}"), Reason.DEFINITION)
    d.remark(r"then $\\htmlClass{c}{\\style{color:red}{z}}$ and $\\require{html}$")
    d.add("", r"\\url{javascript:x} + \\class{c}{y}", "so")
    return d
'''


@pytest.mark.usefixtures("isolated_imports")
def test_a_derivations_latex_is_never_run_by_mathjax(tmp_path: Path) -> None:
    html, warnings = build_page(
        tmp_path,
        "Page\n====\n\n.. symdl-proof:: hostile\n",
        {"course_proofs/__init__.py": "", "course_proofs/hostile.py": HOSTILE_PROOF},
    )
    assert warnings == ""
    assert "backslash" in run_commands(html)  # the derivation is shown, its commands as text
    assert not run_commands(html) & MATHJAX_FORBIDDEN, run_commands(html) & MATHJAX_FORBIDDEN


def test_a_verdict_with_huge_exact_values_builds(tmp_path: Path) -> None:
    # (x+98)^1000 (x+99)^1000 (x+100)^1000 has exact values of about 6,000 digits at the
    # points, beyond Python's int-to-str limit: the page must still build, values truncated
    page = (
        "Page\n====\n\n.. symdl-gradcheck::\n   :function: x^3 y\n   :variables: x, y\n"
        "   :wrt: x\n   :answer: (x+98)^1000 (x+99)^1000 (x+100)^1000\n"
    )
    html, warnings = build_page(tmp_path, page)
    assert "Traceback" not in warnings
    assert "Different" in html or "different" in html
    assert "×10^" in html or r"\times 10^" in html


# --- the style sheet ----------------------------------------------------------------------------


def build_project(tmp_path: Path, files: dict[str, str], conf: str = "") -> tuple[Path, str]:
    """Build a project made of ``files`` (conf.py gets the extension, then ``conf``).

    The HTML output folder and the warnings.
    """
    source = tmp_path / "project"
    source.mkdir(exist_ok=True)
    # source_suffix given: Sphinx shares its default between the applications of one process,
    # and an earlier build with myst-parser would have added Markdown to it
    (source / "conf.py").write_text(
        'extensions = ["symdl.sphinxext"]\nexclude_patterns = ["_build"]\n'
        'source_suffix = {".rst": "restructuredtext"}\n' + conf
    )
    for name, text in files.items():
        (source / name).parent.mkdir(parents=True, exist_ok=True)
        (source / name).write_text(text)
    warnings = io.StringIO()
    app = SphinxTestApp("html", srcdir=source, status=io.StringIO(), warning=warnings)
    try:
        app.build()
    finally:
        app.cleanup()
    return source / "_build" / "html", strip_escape_sequences(warnings.getvalue())


STYLE_SHEET = Path(symdl.sphinxext.__file__).parent / "publish" / "static" / "symdl-directives.css"


def test_the_style_sheet_ships_with_the_extension(tmp_path: Path) -> None:
    html, warnings = build_project(tmp_path, {"index.rst": "Page\n====\n\nText.\n"})
    assert warnings == ""
    assert (html / "_static" / "symdl-directives.css").read_bytes() == STYLE_SHEET.read_bytes()
    page = (html / "index.html").read_text()
    assert re.search(r'<link [^>]*href="_static/symdl-directives\.css(\?v=\w+)?"', page)


def test_a_course_replaces_the_style_sheet_by_its_own(tmp_path: Path) -> None:
    html, warnings = build_project(
        tmp_path,
        {"index.rst": "Page\n====\n", "_static/symdl-directives.css": "/* the course's */\n"},
        'html_static_path = ["_static"]\n',
    )
    assert warnings == ""
    assert (html / "_static" / "symdl-directives.css").read_text() == "/* the course's */\n"


def test_the_style_sheet_draws_the_classes_the_directives_give() -> None:
    css = STYLE_SHEET.read_text()
    drawn = set(re.findall(r"\.(symdl-[a-z-]+)", css))
    # the classes the directives put on their output (documented in symdl.publish.directives)
    given = {
        "symdl-proof",
        "symdl-passed",
        "symdl-failed",
        "symdl-verdict",
        "symdl-lemmas",
        "symdl-derivation",
        "symdl-derivation-title",
        "symdl-gradcheck",
        "symdl-equivalent",
        "symdl-different",
        "symdl-not-comparable",
        "symdl-unknown",
    }
    assert drawn == given
    # the outcome classes are the verdict's outcomes, spelled as the directive spells them
    outcomes = {"symdl-" + outcome.value.replace(" ", "-") for outcome in symdl.Outcome}
    assert outcomes <= given
    # a box outweighs the themes' rules for containers (.docutils.container resets padding)
    assert "div.container.symdl-proof {" in css
    assert "div.container.symdl-gradcheck {" in css
    assert "div.container.symdl-derivation {" in css


# --- statements are reStructuredText, whatever the page's format -------------------------------

MATH_PROOF = '''r"""The derivative of a square.

For every real :math:`w`, :math:`\\frac{d}{dw} w^2 = 2w` (see :func:`sympy.diff`).

.. math::

   \\lim_{h \\to 0} \\frac{(w + h)^2 - w^2}{h} = 2w
"""


def lemma_holds():
    assert 2 + 2 == 4
'''

PROOF_FILES = {"course_proofs/__init__.py": "", "course_proofs/square.py": MATH_PROOF}
PROOF_CONF = (
    "import sys\nfrom pathlib import Path\n\nsys.path.insert(0, str(Path(__file__).parent))\n"
    'symdl_proof_package = "course_proofs"\n'
)


@pytest.mark.usefixtures("isolated_imports")
def test_a_statement_in_a_myst_page_is_read_as_restructuredtext(tmp_path: Path) -> None:
    pytest.importorskip("myst_parser", reason="myst-parser is not installed (symdl[course])")
    page = "# Page\n\nBefore.\n\n```{symdl-proof} square\n```\n\nAfter, $x^2$.\n"
    html, warnings = build_project(
        tmp_path,
        {"index.md": page, **PROOF_FILES},
        PROOF_CONF + 'extensions.append("myst_parser")\nmyst_enable_extensions = ["dollarmath"]\n',
    )
    assert warnings == ""
    page = (html / "index.html").read_text()
    # the roles and the math block are typeset, not shown as written
    assert r'<span class="math notranslate nohighlight">\(\frac{d}{dw} w^2 = 2w\)</span>' in page
    assert r"\[\lim_{h \to 0} \frac{(w + h)^2 - w^2}{h} = 2w\]" in page
    assert ":math:" not in page
    assert ":func:" not in page
    assert "sympy.diff" in page
    # the page's own Markdown is still Markdown
    assert r'<span class="math notranslate nohighlight">\(x^2\)</span>' in page
    assert "Verified: 1 of 1 lemmas hold." in page


@pytest.mark.usefixtures("isolated_imports")
def test_reading_a_statement_keeps_the_pages_default_role(tmp_path: Path) -> None:
    page = "Page\n====\n\n.. symdl-proof:: square\n\nAfter it, `x^2` is math.\n"
    html, warnings = build_project(
        tmp_path, {"index.rst": page, **PROOF_FILES}, PROOF_CONF + 'default_role = "math"\n'
    )
    assert warnings == ""
    page = (html / "index.html").read_text()
    assert r'<span class="math notranslate nohighlight">\(x^2\)</span> is math' in page


# --- math offline ---------------------------------------------------------------------------

FAKE_MATHJAX = "/* MathJax 3, es5/tex-svg-full.js */\n"


def fake_mathjax(folder: Path) -> Path:
    """A MathJax 3 package as npm installs it: a README, package.json and the es5 script."""
    (folder / "es5").mkdir(parents=True)
    (folder / "README.md").write_text("# MathJax\n\nBeautiful math in all browsers.\n")
    (folder / "package.json").write_text('{"name": "mathjax", "version": "3.2.2"}\n')
    (folder / "es5" / "tex-svg-full.js").write_text(FAKE_MATHJAX)
    return folder


def myst_pages() -> dict[str, str]:
    return {"index.md": "# Page\n\nThe cost $C = (a - y)^2$.\n"}


MYST_CONF = 'extensions.append("myst_parser")\nmyst_enable_extensions = ["dollarmath"]\n'


def shipped_mathjax(html: Path) -> str:
    """The MathJax script the page loads."""
    page = (html / "index.html").read_text()
    (script,) = re.findall(r'<script [^>]*src="([^"]*/tex-[a-z-]+\.js[^"]*)"', page)
    return script


def test_offline_math_ships_mathjax_from_node_modules(tmp_path: Path) -> None:
    # the recipe of a MyST course: no _static folder, MathJax installed by npm beside conf.py;
    # the README of node_modules/mathjax is no page, and nothing warns (-W would fail)
    pytest.importorskip("myst_parser", reason="myst-parser is not installed (symdl[course])")
    fake_mathjax(tmp_path / "project" / "node_modules" / "mathjax")
    html, warnings = build_project(
        tmp_path, myst_pages(), MYST_CONF + "symdl_offline_math = True\n"
    )
    assert warnings == ""
    assert (html / "_static" / "tex-svg-full.js").read_text() == FAKE_MATHJAX
    assert shipped_mathjax(html).startswith("_static/tex-svg-full.js")
    assert "cdn.jsdelivr" not in (html / "index.html").read_text()
    assert not (html / "node_modules").exists()
    assert sorted(path.name for path in html.glob("**/*.html")) == [
        "genindex.html",
        "index.html",
        "search.html",
    ]


@pytest.mark.parametrize(
    "setting", ["vendor/mathjax", "vendor/mathjax/es5", "vendor/mathjax/es5/tex-svg-full.js"]
)
def test_offline_math_from_a_path(tmp_path: Path, setting: str) -> None:
    pytest.importorskip("myst_parser", reason="myst-parser is not installed (symdl[course])")
    # a MathJax package among the sources, outside node_modules: its README is no page either
    fake_mathjax(tmp_path / "project" / "vendor" / "mathjax")
    html, warnings = build_project(
        tmp_path, myst_pages(), MYST_CONF + f"symdl_offline_math = {setting!r}\n"
    )
    assert warnings == ""
    assert (html / "_static" / "tex-svg-full.js").read_text() == FAKE_MATHJAX
    assert not (html / "vendor").exists()


def test_offline_math_finds_node_modules_above_the_configuration(tmp_path: Path) -> None:
    # a course keeps its notes in docs/ and its node_modules at the top, as npm installs it
    fake_mathjax(tmp_path / "node_modules" / "mathjax")
    html, warnings = build_project(
        tmp_path,
        {"index.rst": "Page\n====\n\n:math:`x^2`\n"},
        "from pathlib import Path\nsymdl_offline_math = Path('..') / 'node_modules' / 'mathjax'\n",
    )
    assert warnings == ""
    assert (html / "_static" / "tex-svg-full.js").read_text() == FAKE_MATHJAX


def test_without_offline_math_nothing_is_shipped(tmp_path: Path) -> None:
    fake_mathjax(tmp_path / "project" / "node_modules" / "mathjax")
    html, _warnings = build_project(tmp_path, {"index.rst": "Page\n====\n\n:math:`x^2`\n"})
    assert not (html / "_static" / "tex-svg-full.js").exists()
    assert shipped_mathjax(html).startswith("https://")  # Sphinx's default, from a CDN


@pytest.mark.parametrize(
    ("conf", "message"),
    [
        ("symdl_offline_math = True", "no MathJax 3 in node_modules beside"),
        ("symdl_offline_math = 'no/such/folder'", "no/such/folder does not exist"),
        ("symdl_offline_math = 3", "symdl_offline_math = 3 is not a bool, str or Path"),
    ],
)
def test_offline_math_that_cannot_be_had_stops_the_build(
    tmp_path: Path, conf: str, message: str
) -> None:
    with pytest.raises(ConfigError, match=re.escape(message)) as error:
        build_project(tmp_path, {"index.rst": "Page\n====\n"}, conf + "\n")
    if "True" in conf or "'" in conf:
        assert "npm install mathjax@3" in str(error.value)


def test_offline_math_refuses_mathjax_4(tmp_path: Path) -> None:
    # MathJax 4 has no es5 folder (and loads its fonts from elsewhere)
    package = tmp_path / "project" / "node_modules" / "mathjax"
    package.mkdir(parents=True)
    (package / "tex-svg.js").write_text("/* MathJax 4 */\n")
    with pytest.raises(ConfigError, match="MathJax 4, which has no es5 folder, is not supported"):
        build_project(tmp_path, {"index.rst": "Page\n====\n"}, "symdl_offline_math = True\n")
