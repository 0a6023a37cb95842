"""The proof report: Markdown, LaTeX (compiled by pdflatex), PNG figures, the prove command."""

from __future__ import annotations

import io
import json
import os
import shutil
import struct
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from symdl.cli.prove import ProgressBar
from symdl.core.exceptions import SymdlError
from symdl.publish.report import (
    ProofReport,
    collect,
    compile_pdf,
    latex_report,
    markdown_report,
    rst_to_markdown,
    write_report,
)

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


def test_markdown_holds_statement_lemmas_derivation_and_figures(
    course: str, tmp_path: Path
) -> None:
    text = markdown_report(reports(course, tmp_path))
    assert "2 of 3 proofs hold." in text
    assert "| `squares` | The derivative of a square. | holds | 2/2 |" in text
    assert r"For every real $w$, $\frac{d}{dw} w^2 = 2w$ (the power rule; see" in text
    assert "`sympy.diff`" in text  # a cross-reference role becomes a code span
    assert "- ✓ `lemma_power_rule`" in text
    assert "- ✗ `lemma_power_rule`" in text
    assert "AssertionError: d/dw w^3 is not 2w" in text
    assert r"&= 2 w && \text{the limit $h \to 0$}" in text
    assert "![squares-parabola](figures/squares-parabola.png)" in text
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


def test_rst_math_becomes_markdown_math() -> None:
    text = "Tent map:\n\n.. math::\n\n   m(x) = 2x\n   \\quad x \\le 1/2\n\nso :math:`m(0) = 0`."
    assert rst_to_markdown(text) == (
        "Tent map:\n\n$$\nm(x) = 2x\n\\quad x \\le 1/2\n$$\n\nso $m(0) = 0$."
    )


def test_latex_report_declares_the_unicode_it_uses(course: str, tmp_path: Path) -> None:
    tex = latex_report(reports(course, tmp_path))
    assert r"\DeclareUnicodeCharacter{03C3}{\ensuremath{\sigma}}" in tex
    assert r"\DeclareUnicodeCharacter{2013}{--}" in tex  # typography: an en dash
    assert r"\DeclareUnicodeCharacter{201C}{``}" in tex
    assert r"\section{The derivative of a square.}" in tex
    assert r"\includegraphics[width=0.8\linewidth]{figures/squares-parabola.png}" in tex
    assert r"lemma\_power\_rule" in tex


def pdflatex_or_skip() -> None:
    if shutil.which("pdflatex") is None:
        if os.environ.get("CI"):
            pytest.fail("pdflatex is missing in CI: install Debian's texlive-latex-base")
        pytest.skip("pdflatex is not installed (Debian: texlive-latex-base)")


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


@pytest.mark.latex
def test_a_document_that_does_not_compile_is_an_error(tmp_path: Path) -> None:
    pdflatex_or_skip()
    tex = tmp_path / "broken.tex"
    tex.write_text("\\documentclass{article}\\begin{document}\\undefinedmacro\\end{document}\n")
    with pytest.raises(SymdlError, match="Undefined control sequence"):
        compile_pdf(tex)


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
    assert set(entry) >= {"proof", "title", "passed", "seconds", "lemmas"}
    assert entry["proof"] == "xor"
    assert entry["passed"] is True
    assert all(lemma["passed"] for lemma in entry["lemmas"])
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


def test_a_plain_text_statement_is_kept_as_written(course: str, tmp_path: Path) -> None:
    plain = [collect("plain", tmp_path, package_name=course)]
    assert "Barron's C_f = |x| is written as a mathematician types it" in markdown_report(plain)
    tex = latex_report(plain)
    assert r"Barron's C\_f = |x| is written" in tex
    assert r"sum\_\{j <= n\}" in tex


def test_a_module_that_cannot_be_imported_is_a_failed_proof(course: str, tmp_path: Path) -> None:
    report = collect("unimportable", tmp_path, package_name=course)
    assert not report.result.passed
    (lemma,) = report.result.lemmas
    assert lemma.name == "import"
    assert lemma.error == "RuntimeError: this module is broken"
    with pytest.raises(ValueError, match="no proof named 'absent'; the proofs are: plain, "):
        collect("absent", tmp_path, package_name=course)
