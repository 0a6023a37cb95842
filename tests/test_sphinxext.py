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
    _html, warnings = build(tmp_path, "test-derivation")
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
    assert "Is this the gradient of the mse loss with respect to w^{(1)}_{11}?" in page
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
