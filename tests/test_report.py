"""The proof report: Markdown, LaTeX (compiled by pdflatex), figures, the prove command."""

from __future__ import annotations

import ast
import functools
import importlib
import io
import json
import re
import struct
import sys
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
import sympy as sp
from latex_tools import overfull_boxes, pdflatex
from matplotlib.figure import Figure

from symdl.cli.prove import ProgressBar
from symdl.core.derivation import Derivation
from symdl.core.exceptions import SymdlError
from symdl.publish import report as report_module
from symdl.publish.proving import (
    LemmaResult,
    ProofResult,
    discover_proofs,
    lemmas,
    theorem_statement,
    theorem_title,
)
from symdl.publish.report import (
    ProofReport,
    collect,
    compile_pdf,
    figure_caption,
    latex_report,
    markdown_report,
    rst_to_markdown,
    unicode_latex,
    write_report,
)

ROOT = Path(__file__).parent.parent
COURSE = Path(__file__).parent / "roots" / "test-proofs"


@pytest.fixture
def course(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The test course's proof package, importable for the test's duration."""
    monkeypatch.syspath_prepend(str(COURSE))
    yield "course_proofs"
    for name in [name for name in sys.modules if name.split(".")[0] == "course_proofs"]:
        del sys.modules[name]


def png_size(path: Path) -> tuple[int, int]:
    """Width and height from a PNG file's header (and a check that it is a PNG)."""
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", header[16:24])
    return width, height


def reports(course: str, out: Path) -> list[ProofReport]:
    return [collect(name, out, package_name=course) for name in ("squares", "wrong", "shaky")]


def body(latex: str) -> str:
    """The part of a LaTeX document after ``\\begin{document}``."""
    return latex.split(r"\begin{document}", 1)[1]


# --- Markdown -----------------------------------------------------------------------------------


def test_markdown_holds_statement_lemmas_derivation_and_figures(
    course: str, tmp_path: Path
) -> None:
    text = markdown_report(reports(course, tmp_path))
    assert "2 of 3 proofs hold." in text
    assert "| `squares` | The derivative of a square. | holds | 2/2 |" in text
    assert r"For every real $w$, $\frac{d}{dw} w^2 = 2w$ (the power rule; see" in text
    assert "`sympy.diff`" in text  # a cross-reference role becomes a code span
    assert "- ✓ power rule (`lemma_power_rule`)" in text
    assert "- ✗ power rule (`lemma_power_rule`): AssertionError: d/dw w^3 is not 2w" in text
    assert "`wrong`: 1 of 1 lemma fails." in text
    assert r"&= 2 w && \text{the limit $h \to 0$}" in text
    # the figure, numbered, with the caption made from its title ("w squared")
    assert "![Figure 1](figures/squares-parabola.png)\n\n*Figure 1.* w squared." in text
    # 3 x 2 inches at 150 dpi (450 x 300), cropped tight: a raster of about that size
    width, height = png_size(tmp_path / "figures" / "squares-parabola.png")
    assert 350 < width <= 500
    assert 250 < height <= 360


def test_broken_optional_parts_are_reported_not_fatal(course: str, tmp_path: Path) -> None:
    shaky = collect("shaky", tmp_path, package_name=course)
    assert shaky.result.passed
    assert shaky.derivation is None
    assert shaky.problems == (
        "derivation() raised ZeroDivisionError: no derivation today",
        "figure name '../escape' is not a file stem (letters, digits, _ and -)",
    )
    # prefixed by the proof's name, once
    assert shaky.figures == (Path("figures/shaky-fine.png"), Path("figures/shaky_detail.png"))
    assert not (tmp_path.parent / "escape.png").exists()
    assert "> Note: derivation() raised ZeroDivisionError" in markdown_report([shaky])
    # figures without titles: captions from their file names
    assert [shaky.caption(0), shaky.caption(1)] == ["Shaky fine.", "Shaky detail."]


def test_rst_math_becomes_markdown_math() -> None:
    text = "Tent map:\n\n.. math::\n\n   m(x) = 2x\n   \\quad x \\le 1/2\n\nso :math:`m(0) = 0`."
    assert rst_to_markdown(text) == (
        "Tent map:\n\n$$\nm(x) = 2x\n\\quad x \\le 1/2\n$$\n\nso $m(0) = 0$."
    )


def test_the_report_says_what_holds_never_how_long_it_took() -> None:
    result = ProofResult(
        "slow",
        "A slow theorem.",
        "It takes :math:`12.345` seconds to state.",
        (
            LemmaResult("lemma_long", passed=True, seconds=98.765),
            LemmaResult("lemma_longer", passed=False, seconds=43.21, error="ValueError: no"),
        ),
    )
    for text in (markdown_report([ProofReport(result)]), latex_report([ProofReport(result)])):
        for shown in ("98.7", "98.8", "43.2", "141.9", "142.0", " s)", " s,"):
            assert shown not in text, shown
        assert "1 of 2 lemmas fails" in text
        assert "12.345" in text  # the statement's own number is kept


# --- LaTeX --------------------------------------------------------------------------------------


def test_latex_report_has_contents_sections_and_numbered_figures(
    course: str, tmp_path: Path
) -> None:
    tex = latex_report(reports(course, tmp_path))
    text = body(tex)
    assert text.index(r"\tableofcontents") < text.index(r"\section{")
    assert r"\caption{The proofs and their results.}\label{symdl:summary}" in text
    assert (
        r"\section{\texorpdfstring{The derivative of a square.}{The derivative of a square.}}"
        r"\label{proof:squares}"
    ) in text
    assert r"\ref{proof:squares} & The derivative of a square. & 2/2 & holds \\" in text
    assert r"\ref{proof:wrong} & A false claim. & 0/1 & \textbf{fails} \\" in text
    # the figure: vector graphics, a numbered caption, referred to from the text
    figure = (
        "\\begin{figure}[htbp]\n\\centering\n\\symdlgraphic{figures/squares-parabola.pdf}\n"
        "\\caption{w squared.}\\label{figure:squares-parabola-1}\n\\end{figure}"
    )
    assert figure in text
    assert r"See Figure~\ref{figure:squares-parabola-1}." in text
    # the lemmas in words, marked; the statement's symbols as LaTeX
    assert r"\item[$\checkmark$] power rule" in text
    assert r"\item[$\times$] power rule: \textbf{fails}." in text
    assert r"$\sigma$ $\le$ 1 -- like ``quotes'' -- is printable" in text
    assert "includegraphics" not in text  # only through \symdlgraphic (never wider than a line)


def test_figures_are_written_as_vector_pdf_beside_the_png(course: str, tmp_path: Path) -> None:
    collect("squares", tmp_path, package_name=course)
    pdf = (tmp_path / "figures" / "squares-parabola.pdf").read_bytes()
    assert pdf.startswith(b"%PDF")
    assert b"/Subtype /Image" not in pdf  # lines and text, no raster
    assert b"/FontFile2" in pdf  # the text as an embedded TrueType font, not as paths


def test_figure_captions_come_from_the_figures_titles() -> None:
    one = Figure()
    one.add_subplot().set_title("one layer of 4 ReLUs: 11 regions")
    assert figure_caption(one) == "One layer of 4 ReLUs: 11 regions."
    row = Figure()
    for axes, power in zip(row.subplots(1, 4), range(1, 5), strict=True):
        axes.set_title(f"$m^{{{power}}}$: {2**power} pieces")
    assert figure_caption(row) == (
        "From left to right: $m^{1}$: 2 pieces; $m^{2}$: 4 pieces; $m^{3}$: 8 pieces; "
        "$m^{4}$: 16 pieces."
    )
    column = Figure()
    top, bottom = column.subplots(2, 1)
    top.set_title("k = 5")  # a variable keeps its case
    bottom.set_title("the error")
    column.suptitle("deep against shallow")
    assert figure_caption(column) == "Deep against shallow. k = 5; the error."
    assert figure_caption(Figure()) == ""


def test_a_caption_given_with_the_figure_is_used(tmp_path: Path) -> None:
    module = ModuleType("course_captions")
    plain, titled = Figure(figsize=(1, 1)), Figure(figsize=(1, 1))
    titled.add_subplot().set_title("from the title")

    def figures() -> dict[str, object]:
        return {"given": (plain, "The $\\sigma$ curve."), "titled": titled, "bad": (plain, 3)}

    module.figures = figures  # type: ignore[attr-defined]
    problems: list[str] = []
    paths, captions = report_module._write_figures("captions", module, tmp_path, problems)
    # a caption that is not text is reported, and the figure shown with one from its titles
    assert captions == ("The $\\sigma$ curve.", "From the title.", "")
    assert [path.stem for path in paths] == ["captions-given", "captions-titled", "captions-bad"]
    assert problems == ["the caption of figure 'bad' is not a string: 3"]


def test_unicode_symbols_get_latex_never_a_code_point() -> None:
    error = "AssertionError: ∫ f̂ − √2 ‖x‖ ≠ σ′(z) for Montúfar – ✓ ☃"
    result = ProofResult("symbols", "Symbols.", "", (LemmaResult("lemma_x", False, 0.0, error),))
    tex = latex_report([ProofReport(result)])
    for declaration in (
        r"\DeclareUnicodeCharacter{222B}{\ensuremath{\int}}",
        r"\DeclareUnicodeCharacter{2212}{\ensuremath{-}}",
        r"\DeclareUnicodeCharacter{221A}{\ensuremath{\surd}}",
        r"\DeclareUnicodeCharacter{2016}{\ensuremath{\|}}",
        r"\DeclareUnicodeCharacter{2260}{\ensuremath{\ne}}",
        r"\DeclareUnicodeCharacter{00FA}{\'{u}}",
        r"\DeclareUnicodeCharacter{2013}{--}",
        r"\DeclareUnicodeCharacter{2713}{\ensuremath{\checkmark}}",
        r"\DeclareUnicodeCharacter{2603}{\textit{[snowman]}}",  # unknown: by its name
    ):
        assert declaration in tex, declaration
    assert r"\ensuremath{\hat{f}}" in body(tex)  # a letter and its combining accent
    assert "\u0302" not in tex
    assert "U+" not in tex


def test_an_unknown_character_is_refused_by_the_table() -> None:
    with pytest.raises(ValueError, match=r"'☃' \(SNOWMAN\) has no LaTeX in the report"):
        unicode_latex("☃")
    with pytest.raises(ValueError, match="not one character outside ASCII"):
        unicode_latex("a")


def _literal_characters(path: Path) -> set[str]:
    """The characters of a Python file's string constants, docstrings left out (they never
    reach a report)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            first = node.body[0] if node.body else None
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                docstrings.add(id(first.value))
    return {
        char
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
        if id(node) not in docstrings
        for char in unicodedata.normalize("NFC", node.value)
    }


def _outside_ascii(text: str) -> set[str]:
    # private-use characters are the notation module's internal markers, never printed
    return {
        char
        for char in unicodedata.normalize("NFC", text)
        if not char.isascii() and unicodedata.category(char) != "Co"
    }


def _has_latex(char: str) -> bool:
    if unicodedata.combining(char):
        return accented(char) is not None
    try:
        unicode_latex(char)
    except ValueError:
        return False
    return True


@functools.cache
def printable_characters() -> tuple[str, ...]:
    """Every character outside ASCII that a report can contain.

    A report holds the proof modules' titles, statements, lemma names, derivations and
    figures (all of their text, docstrings included), the messages of failed lemmas (the
    string constants of symdl's code and of the proofs), and captions made from figure titles
    (the same constants).  symdl's docstrings never reach a report: a character found only
    there is left out (the files are parsed only to look for such characters, which is fast).
    """
    found = set()
    for path in [*sorted((ROOT / "proofs").glob("*.py")), *sorted(COURSE.rglob("*.py"))]:
        found |= _outside_ascii(path.read_text(encoding="utf-8"))
    for path in sorted((ROOT / "symdl").rglob("*.py")):
        chars = _outside_ascii(path.read_text(encoding="utf-8"))
        unknown = {char for char in chars - found if not _has_latex(char)}
        found |= chars - unknown
        if unknown:
            found |= unknown & _literal_characters(path)
    return tuple(sorted(found))


def accented(mark: str) -> str | None:
    """A letter carrying the combining accent ``mark`` as the report can write it: a math
    accent (f̂) or a Latin letter's accent (ú); None if there is no such letter."""
    for letter in "faeioucnszgrAEIOUCNSZ":
        document, declarations = report_module._resolve_unicode(letter + mark)
        if "[" not in document + "".join(declarations):
            return letter + mark
    return None


def test_every_character_a_report_can_contain_has_latex() -> None:
    characters = printable_characters()
    assert {"σ", "∫", "−", "√", "‖", "\u0302", "✓"} <= set(characters)  # the scan sees them
    missing = []
    for char in characters:
        if unicodedata.combining(char):  # an accent: written with its letter
            if accented(char) is None:
                missing.append(f"no letter carries the accent {unicodedata.name(char)}")
            continue
        try:
            unicode_latex(char)
        except ValueError as error:
            missing.append(str(error))
    assert not missing, "\n".join(missing)


def test_a_plain_text_statement_is_kept_as_written(course: str, tmp_path: Path) -> None:
    plain = [collect("plain", tmp_path, package_name=course)]
    assert "Barron's C_f = |x| is written as a mathematician types it" in markdown_report(plain)
    tex = latex_report(plain)
    assert r"Barron's C\_f = \textbar{}x\textbar{} is written" in tex
    assert r"sum\_\{j \textless{}= n\}" in tex


# --- pdflatex -----------------------------------------------------------------------------------


def pdflatex_or_skip() -> None:
    pdflatex()


def assert_clean(log: str) -> None:
    """A log with no overfull box over 1 pt, no bitmap font, no reference left undefined."""
    assert not overfull_boxes(log), overfull_boxes(log)
    assert not re.findall(r"\S+\.\d+pk\b", log), "bitmap fonts: " + str(
        re.findall(r"\S+\.\d+pk\b", log)
    )
    assert "undefined references" not in log
    assert "Rerun to get" not in log


@pytest.mark.latex
def test_the_overfull_check_finds_an_overfull_box(tmp_path: Path) -> None:
    pdflatex_or_skip()
    tex = tmp_path / "wide.tex"
    tex.write_text(
        "\\documentclass{article}\\begin{document}\n"
        "\\noindent\\hbox to \\linewidth{\\hskip\\linewidth\\hskip 12pt}\n"
        "\\vbox to 10pt{\\vskip 15pt}\n\\end{document}\n"
    )
    compile_pdf(tex)
    found = overfull_boxes((tmp_path / "wide.log").read_text())
    assert [entry.split("pt")[0] for entry in found] == ["\\hbox 12.0", "\\vbox 5.0"]


@pytest.mark.latex
def test_the_latex_report_compiles_with_pdflatex(course: str, tmp_path: Path) -> None:
    pdflatex_or_skip()
    paths = write_report(reports(course, tmp_path), tmp_path)
    pdf = compile_pdf(paths["latex"])
    assert pdf == tmp_path / "report.pdf"
    content = pdf.read_bytes()
    assert content.startswith(b"%PDF")
    assert content.rstrip().endswith(b"%%EOF")
    assert len(content) > 20_000  # fonts and the embedded figure, not an empty page
    log = (tmp_path / "report.log").read_text(errors="replace")  # kept beside the PDF
    assert "figures/squares-parabola.pdf" in log  # the vector figure, included
    assert_clean(log)


@pytest.mark.latex
def test_a_document_that_does_not_compile_is_an_error(tmp_path: Path) -> None:
    pdflatex_or_skip()
    tex = tmp_path / "broken.tex"
    tex.write_text("\\documentclass{article}\\begin{document}\\undefinedmacro\\end{document}\n")
    with pytest.raises(SymdlError, match="Undefined control sequence"):
        compile_pdf(tex)


def long_derivation() -> Derivation:
    """Lines wider than any page: a 40-term sum, a long reason, a long left side."""
    x = sp.symbols("x1:41", real=True)
    d = Derivation("A derivation that does not fit as written")
    d.add(sp.Symbol("E"), sum(k * v**2 for k, v in enumerate(x, start=1)), "expand the trace")
    d.add(
        sp.Symbol("F"),
        sp.Symbol("y"),
        "a reason long enough to need three lines in any column: " + "and so on, " * 12,
    )
    d.add(r"\text{the number of regions of the folding network, counted}", 57, "counted")
    d.remark("A remark between the steps, as long as a paragraph. " * 4)
    d.add("", sp.Symbol("z"), "short")
    return d


@pytest.mark.latex
def test_long_equations_reasons_and_messages_fit_the_page(tmp_path: Path) -> None:
    pdflatex_or_skip()
    error = "AssertionError: " + "w^(1)_11*x_1+" * 30 + " then sum_{j<=n0}C(n,j)" * 5
    result = ProofResult(
        "long_module_name_of_a_proof_with_many_words_in_it",
        "A title long enough to wrap over two lines of the page, as titles of theorems do",
        "A plain statement with an_identifier_much_longer_than_any_line_could_hold_at_all_"
        "even_in_small_type_and_then_some_more, and C_f = |x|.",
        (
            LemmaResult("lemma_" + "_".join(["long"] * 30), True, 0.0),
            LemmaResult("lemma_failing", False, 0.0, error),
        ),
    )
    note = "figures() raised ValueError: " + "x" * 200
    report = ProofReport(result, long_derivation(), problems=(note,))
    tex = write_report([report], tmp_path)["latex"]
    compile_pdf(tex)
    assert_clean((tmp_path / "report.log").read_text(errors="replace"))


@pytest.mark.latex
def test_every_character_a_report_can_contain_compiles(tmp_path: Path) -> None:
    pdflatex_or_skip()
    text = " ".join(
        accented(char) or "" if unicodedata.combining(char) else char
        for char in printable_characters()
    )
    lemma = LemmaResult("lemma_characters", passed=False, seconds=0.0, error=text)
    tex = write_report(
        [ProofReport(ProofResult("characters", "Characters.", "", (lemma,)))], tmp_path
    )["latex"]
    assert "[" not in body(tex.read_text()).split("fails}.", 1)[1].split(r"\end{itemize}")[0]
    compile_pdf(tex)
    assert_clean((tmp_path / "report.log").read_text(errors="replace"))


def every_proof_report(out: Path) -> list[ProofReport]:
    """The report of every proof module, with everything it shows except its lemmas' run:
    the title, statement and lemmas of each theorem (marked as holding), its derivation and
    figures; and one failed lemma with a long message, to show how failures read."""
    made = []
    for name in discover_proofs():
        module = importlib.import_module(f"symdl.proofs.{name}")
        held = tuple(LemmaResult(lemma, True, 0.0) for lemma, _ in lemmas(module))
        result = ProofResult(name, theorem_title(module), theorem_statement(module), held)
        problems: list[str] = []
        derivation = report_module._derivation(module, problems)
        figures, captions = report_module._write_figures(name, module, out, problems)
        made.append(ProofReport(result, derivation, figures, tuple(problems), captions))
    failed = LemmaResult(
        "lemma_a_failure",
        False,
        0.0,
        "AssertionError: δ^(2)_1 = " + "σ′(z^(1)_1)*w^(2)_11+" * 20 + " ≠ 0",
    )
    first = made[0]
    made[0] = ProofReport(
        ProofResult(
            first.result.name,
            first.result.title,
            first.result.statement,
            (*first.result.lemmas, failed),
        ),
        first.derivation,
        first.figures,
        first.problems,
        first.captions,
    )
    return made


@pytest.mark.slow
@pytest.mark.latex
def test_the_full_report_compiles_without_overfull_boxes(tmp_path: Path) -> None:
    pdflatex_or_skip()
    made = every_proof_report(tmp_path)
    paths = write_report(made, tmp_path)
    tex = paths["latex"].read_text()
    figures = [figure for report in made for figure in report.figures]
    assert figures, "the proofs draw figures"
    assert tex.count(r"\begin{figure}") == tex.count(r"\caption{") - 1 == len(figures)
    assert "U+" not in tex
    compile_pdf(paths["latex"])
    log = (tmp_path / "report.log").read_text(errors="replace")
    assert_clean(log)
    for figure in figures:
        assert figure.with_suffix(".pdf").as_posix() in log.replace("\n", "")


# --- the command ----------------------------------------------------------------------------------


def test_progress_bar_off_a_terminal_writes_one_line_per_step() -> None:
    stream = io.StringIO()
    bar = ProgressBar(4, stream, width=8)
    bar.show(0, "xor")
    bar.show(2, "telgarsky")
    bar.show(4, "done")
    bar.close()
    assert stream.getvalue() == (
        "[--------] 0/4 xor\n[####----] 2/4 telgarsky\n[########] 4/4 done\n"
    )


def test_prove_writes_the_report_and_prints_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from symdl.cli import main

    status = main(["prove", "--only", "xor", "--out", str(tmp_path / "rep"), "--json"])
    out, err = capsys.readouterr()
    assert status == 0
    (entry,) = json.loads(out)
    assert set(entry) >= {"proof", "title", "passed", "seconds", "lemmas", "captions"}
    assert entry["proof"] == "xor"
    assert entry["passed"] is True
    assert all(lemma["passed"] for lemma in entry["lemmas"])
    assert all(isinstance(lemma["seconds"], float) for lemma in entry["lemmas"])
    assert "[##############################] 1/1 done" in err  # the progress bar, on stderr
    report = (tmp_path / "rep" / "report.md").read_text()
    assert "1 of 1 proofs hold." in report
    assert entry["title"] in report
    assert (tmp_path / "rep" / "report.tex").read_text().startswith("\\documentclass")


def test_prove_exits_1_when_a_proof_fails(
    course: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from symdl.cli import main

    # the test course's "wrong" proof has a lemma that fails
    failing = main(["prove", "--package", course, "--only", "wrong", "--out", str(tmp_path)])
    out = capsys.readouterr().out
    assert failing == 1
    assert "FAILED" in out
    assert "0 of 1 proofs hold." in out
    assert "seconds" not in out  # run times are in --json only
    passing = main(["prove", "--package", course, "--only", "squares", "--out", str(tmp_path)])
    assert passing == 0
    assert "1 of 1 proofs hold." in capsys.readouterr().out
    missing = main(["prove", "--package", "no_such_package_of_proofs", "--out", str(tmp_path)])
    assert missing == 2
    assert "no package 'no_such_package_of_proofs'" in capsys.readouterr().err


def test_prove_refuses_an_unknown_proof(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from symdl.cli import main

    status = main(["prove", "--only", "no_such_theorem", "--out", str(tmp_path)])
    assert status == 2
    assert "no proof named 'no_such_theorem'; the proofs are:" in capsys.readouterr().err
    assert not (tmp_path / "report.md").exists()


def test_a_module_that_cannot_be_imported_is_a_failed_proof(course: str, tmp_path: Path) -> None:
    report = collect("unimportable", tmp_path, package_name=course)
    assert not report.result.passed
    (lemma,) = report.result.lemmas
    assert lemma.name == "import"
    assert lemma.error == "RuntimeError: this module is broken"
    with pytest.raises(ValueError, match="no proof named 'absent'; the proofs are: plain, "):
        collect("absent", tmp_path, package_name=course)
