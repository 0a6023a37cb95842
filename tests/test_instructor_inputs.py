"""Text from instructors and authors: bounded before it is used, and never run as LaTeX.

Problem files have their own tests (test_problem_file.py) and the Sphinx directives theirs
(test_sphinxext.py); here: the command line, files of weights, networks read from text, and
the LaTeX and MathJax of derivations and reports.
"""

from __future__ import annotations

import json
import re
import time
import zipfile
from pathlib import Path

import numpy as np
import pytest
import sympy as sp

from symdl.cli import main, regions
from symdl.core import network
from symdl.core.derivation import Derivation, Reason
from symdl.core.network import mlp_parameter_count, read_layer_sizes
from symdl.core.notation import latex_expr, safe_latex
from symdl.publish.proving import LemmaResult, ProofResult
from symdl.publish.report import ProofReport, latex_report, markdown_report, rst_to_latex

# what must never be run: pdflatex's file, shell and definition commands, MathJax's links,
# HTML and styles
FORBIDDEN = {
    "write", "input", "include", "openout", "catcode", "def", "csname", "newcommand",
    "href", "url", "htmlClass", "htmlStyle", "class", "style", "unicode", "require", "cssId",
}  # fmt: skip
HOSTILE = (
    r"\write18{rm -rf ~} \input{/etc/passwd} \include{x} \openout\f=x \catcode`\@=11 "
    r"\def\x{y} \csname input\endcsname \newcommand{\y}{z} \href{javascript:alert(1)}{a} "
    r"\url{javascript:x} \htmlClass{c}{b} \htmlStyle{color:red}{b} \class{c}{b} "
    r"\style{color:red}{b} \unicode{x41} \require{html} \cssId{i}{b}"
)


def commands(latex: str) -> set[str]:
    """The control words that TeX or MathJax would run in ``latex``."""
    return set(re.findall(r"\\([A-Za-z]+)", latex))


# --- safe_latex ----------------------------------------------------------------------------------


def test_safe_latex_shows_every_dangerous_command_as_text() -> None:
    out = safe_latex(HOSTILE)
    # \f, \x and \y are the hostile text's own names: undefined, so they do nothing
    assert commands(out) == {"backslash", "mathrm", "f", "x", "y"}
    # each command is still readable: \backslash\mathrm{input} typesets as "\input"
    assert r"\backslash\mathrm{input}{/etc/passwd}" in out
    assert r"\backslash\mathrm{href}{javascript:alert(1)}{a}" in out


def test_safe_latex_keeps_the_mathematics() -> None:
    math = (
        r"\frac{\partial C}{\partial w^{(1)}_{11}} = \delta^{(1)}_1 x_1 \odot \sigma'(z) \le "
        r"\sum_{j} \operatorname{ReLU}\left(z\right) \bullet \displaystyle \mathbb{1} "
        r"\begin{pmatrix} a \\ b \end{pmatrix} \text{for all } \infty"
    )
    assert safe_latex(math) == math


def test_safe_latex_closes_the_roundabout_ways() -> None:
    # ^^5c is a backslash to TeX; \begin{filecontents} writes a file
    assert "^^" not in safe_latex(r"^^5cinput{/etc/passwd}")
    assert r"\begin{filecontents}" not in safe_latex(r"\begin{filecontents}{x.tex}")
    assert r"\begin{aligned}" in safe_latex(r"\begin{aligned} a \end{aligned}")
    assert "input" not in commands(safe_latex(r"\\input{x}"))
    assert "INPUT" not in commands(safe_latex(r"\INPUT \Write"))  # any case
    assert commands(safe_latex(r"\directlua{os.execute()} \pdfobj \mathchardef")) <= {
        "backslash",
        "mathrm",
    }


# --- derivations: LaTeX, Markdown, HTML ------------------------------------------------------


def hostile_derivation() -> Derivation:
    d = Derivation(r"Title $\href{javascript:alert(1)}{x}$", statement=r"By $\input{/etc/passwd}$.")
    evil = sp.Symbol(r"\write18{touch pwned}")
    d.add(sp.Symbol(r"w_{\unicode{x41}}"), 2 * evil, Reason.DEFINITION)
    d.add("", r"\def\a{b} \include{x}", r"since $\catcode`\^=7$")
    d.remark(r"then $\htmlClass{c}{\openout\f=x}$")
    return d


def test_a_derivation_runs_none_of_its_authors_commands_in_latex() -> None:
    d = hostile_derivation()
    for latex in (d.latex(), d.latex(environment="aligned"), d.latex_document()):
        assert not commands(latex) & FORBIDDEN, commands(latex) & FORBIDDEN
    # what is safe stays: the steps are still there, in order
    assert r"\backslash\mathrm{write}18" in d.latex()
    assert r"\backslash\mathrm{catcode}" in d.latex()


def test_a_derivation_runs_none_of_its_authors_commands_in_markdown_and_html() -> None:
    d = hostile_derivation()
    for text in (d.markdown(), d._repr_html_(), d._repr_latex_()):
        assert not commands(text) & FORBIDDEN, commands(text) & FORBIDDEN
    assert r"\backslash\mathrm{href}{javascript:alert(1)}{x}" in d.markdown()


def test_symbol_and_function_names_are_printed_safely() -> None:
    f = sp.Function(r"\input{/etc/passwd}")
    x = sp.Symbol(r"\href{javascript:alert(1)}{x}")
    assert not commands(latex_expr(f(x) + sp.Symbol("y"))) & FORBIDDEN


# --- the report ----------------------------------------------------------------------------------


def test_the_report_runs_none_of_a_proofs_commands(tmp_path: Path) -> None:
    statement = (
        "A statement with :math:`\\input{/etc/passwd}` and\n\n"
        ".. math::\n\n   \\write18{ls} x\n\n"
        ".. raw:: latex\n\n   \\def\\x{y}\n\n"
        f".. include:: {tmp_path / 'secret.txt'}\n"
    )
    (tmp_path / "secret.txt").write_text("the secret is SECRET-CONTENT-q7zx\n")
    result = ProofResult(
        "evil",
        r"A title \input{x} $\href{javascript:alert(1)}{y}$",
        statement,
        (LemmaResult("lemma", passed=False, seconds=0.0, error=r"failed: $\url{javascript:x}$"),),
    )
    report = ProofReport(result, derivation=hostile_derivation())
    latex, markdown = latex_report([report]), markdown_report([report])
    # the report's own commands (sections, tables, hyperref) are there; none of the proof's
    body = latex.split(r"\begin{document}")[1]
    assert not commands(body) & FORBIDDEN, commands(body) & FORBIDDEN
    assert not commands(markdown) & FORBIDDEN, commands(markdown) & FORBIDDEN
    # no file was read into the report, and raw LaTeX was not passed through
    # (a word no path holds: the temporary folder's name, pytest-425, did contain "42")
    assert "SECRET-CONTENT-q7zx" not in latex
    assert "SECRET-CONTENT-q7zx" not in markdown
    assert r"\def\x" not in rst_to_latex(statement)


# --- networks read from text ---------------------------------------------------------------


def test_parameters_of_an_mlp_counted_by_hand() -> None:
    # 2-3-1: W1 is 3x2 and b1 has 3 (9), W2 is 1x3 and b2 has 1 (4)
    assert mlp_parameter_count([2, 3, 1]) == 13
    assert mlp_parameter_count([1, 1]) == 2


def test_layer_sizes_from_text_are_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    assert read_layer_sizes("2, 3, 1") == read_layer_sizes("2 3 1") == [2, 3, 1]
    assert read_layer_sizes([4, 8, 2]) == [4, 8, 2]
    start = time.perf_counter()
    with pytest.raises(ValueError, match=r"a layer of 100,000,000 units.*MAX_TEXT_WIDTH"):
        read_layer_sizes("100000000, 1")
    with pytest.raises(ValueError, match=r"a layer of more than 10\^12 units"):
        read_layer_sizes("1" * 5000 + ", 1")  # never converted (Python refuses > 4300 digits)
    with pytest.raises(ValueError, match=r"33 layers after the input.*MAX_TEXT_DEPTH"):
        read_layer_sizes([1] * 34)
    # 200 inputs, 49 units, 1 output: 49 * 201 + 1 * 50 = 9,899 parameters; 50 units: 10,101
    assert read_layer_sizes([200, 49, 1]) == [200, 49, 1]
    with pytest.raises(ValueError, match=r"10,101 parameters.*at most 10,000"):
        read_layer_sizes([200, 50, 1])
    assert time.perf_counter() - start < 5
    monkeypatch.setattr(network, "MAX_TEXT_PARAMETERS", 20_000)
    assert read_layer_sizes([200, 50, 1]) == [200, 50, 1]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2, x", "'x' is not"),
        ("2, 0", "; 0 is not"),
        ("2", "at least one layer width"),
        ([2, 2.0], "2.0 is not"),
        ([2, True], "True is not"),
        ([2, "3"], "'3' is not"),
    ],
)
def test_layer_sizes_that_are_not_sizes(value: object, message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        read_layer_sizes(value)  # type: ignore[arg-type]


# --- symdl check: the question or the file -------------------------------------------------


def test_a_long_question_is_a_question_not_a_file_name(capsys: pytest.CaptureFixture[str]) -> None:
    question = "d/dx of " + " + ".join(["x"] * 1500)  # 4,500 characters: too long for a name
    assert main(["check", question, "--answer", "1500"]) == 0
    out = capsys.readouterr().out
    assert "Errno" not in out
    assert "EQUIVALENT" in out
    assert main(["check", "x" * 5000, "--answer", "1"]) == 2
    out = capsys.readouterr().out
    assert "Errno" not in out
    assert "write 'd/dx of EXPRESSION'" in out


def test_check_refuses_unbounded_time_and_hostile_names(
    capsys: pytest.CaptureFixture[str],
) -> None:
    for limit in ("inf", "nan", "-1", "1e9"):
        assert main(["check", "d/dx of x^2", "--answer", "2x", "--time-limit", limit]) == 2
        out = capsys.readouterr().out
        assert out.count("\n") == 1
        assert "--time-limit" in out
        assert "MAX_SECONDS" in out
    assert main(["check", "d/dx of x y", "--variables", r"\write18{ls}", "--answer", "y"]) == 2
    assert "cannot be written in an answer" in capsys.readouterr().out


def test_check_reports_a_bounded_problem_file_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "p.toml"
    path.write_text(
        '[expression]\nfunction = "x^2"\nvariables = ["x"]\nwrt = "x"\n'
        "[check]\npoints = 100000000\n"
    )
    assert main(["check", str(path), "--answer", "2x"]) == 2
    out = capsys.readouterr().out
    assert out.count("\n") == 1
    assert "points = 100000000" in out
    assert "MAX_POINTS" in out
    assert main(["grade", str(path), str(tmp_path / "a.csv"), "--out", str(tmp_path / "r")]) == 2
    assert "MAX_POINTS" in capsys.readouterr().out


def test_derive_refuses_a_huge_network(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["derive", "--sizes", "100000000,1", "--activations", "relu"]) == 2
    assert "MAX_TEXT_WIDTH" in capsys.readouterr().out
    assert main(["derive", "--sizes", "2,9", "--activations", "relu"]) == 2
    assert "between 1 and 8" in capsys.readouterr().out


# --- symdl regions: files of weights -------------------------------------------------------------


def run_regions(path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(["regions", str(path)])
    return code, capsys.readouterr().out


def test_a_huge_number_literal_is_refused_before_it_is_computed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "n.json"
    start = time.perf_counter()
    for number, message in (
        ("1e1000000000", "the exponent 1000000000 is beyond ±400"),
        ("1E-401", "the exponent -401 is beyond ±400"),
        ("1" * 401, "a number of 401 characters; at most 400"),
    ):
        path.write_text(json.dumps({"weights": [[[number]]], "biases": [[0]]}))
        code, out = run_regions(path, capsys)
        assert code == 2
        assert message in out, out
    path.write_text('{"weights": [[[' + "9" * 401 + "]]], " + '"biases": [[0]]}')
    code, out = run_regions(path, capsys)
    assert code == 2
    assert "more than 400 digits" in out
    assert "MAX_DIGITS" in out
    assert time.perf_counter() - start < 5
    # within the bounds: 1e-3 is read exactly, 5/2 too
    path.write_text(
        json.dumps({"weights": [[["1e-3"], ["5/2"]], [[1, 1]]], "biases": [[1, 0], [0]]})
    )
    net = regions.load_network(path, network.FloatConversion.REJECT)
    assert net.layers[0].W[0, 0] == sp.Rational(1, 1000)
    assert net.layers[0].W[1, 0] == sp.Rational(5, 2)


def test_malformed_weights_say_what_shape_is_expected(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "w.json"
    cases = [
        ({"weights": [1], "biases": [1]}, "a weight matrix is a list of rows"),
        ({"weights": [[[1, 2], [3]]], "biases": [[1, 2]]}, "the rows of a weight matrix have"),
        ({"weights": [[[1, 2]]], "biases": [[1, 2]]}, "biases[0] has 2 entries but weights[0]"),
        ({"weights": [[[1]]], "biases": [[1]], "activations": [3]}, "a list of names"),
        ({"weights": [], "biases": []}, "one entry per layer"),
        ({"weights": [[[None]]], "biases": [[0]]}, "None is not a number"),
    ]
    for data, message in cases:
        path.write_text(json.dumps(data))
        code, out = run_regions(path, capsys)
        assert code == 2
        assert message in out, out
        assert "Traceback" not in out
        assert out.count("\n") == 1
    # a bias written as a column of one-number rows is read as the vector it is
    path.write_text(json.dumps({"weights": [[[1], [-1]], [[1, 1]]], "biases": [[[0], [0]], [0]]}))
    code, out = run_regions(path, capsys)
    assert code == 0
    assert "2 linear pieces on ℝ" in out


def test_deep_json_is_an_error_not_a_recursion_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "deep.json"
    path.write_text('{"weights": ' + "[" * 100_000 + "]" * 100_000 + ', "biases": []}')
    code, out = run_regions(path, capsys)
    assert code == 2
    assert "nested too deeply" in out


def test_a_network_too_large_for_text_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "wide.json"
    path.write_text(json.dumps({"weights": [[[1]] * 300], "biases": [[0] * 300]}))
    code, out = run_regions(path, capsys)
    assert code == 2
    assert "a layer of 300 units" in out
    assert "MAX_TEXT_WIDTH" in out


def write_npz_member(
    archive: zipfile.ZipFile, name: str, shape: tuple[int, ...], rows: int
) -> None:
    """An .npy member whose header declares ``shape`` of int64, with ``rows`` rows of zeros."""
    with archive.open(name, "w", force_zip64=True) as member:
        header = {"descr": "<i8", "fortran_order": False, "shape": shape}
        np.lib.format.write_array_header_1_0(member, header)
        row = bytes(8 * shape[-1])
        for _ in range(rows):
            member.write(row)


def test_an_npz_zip_bomb_is_refused_from_its_declared_sizes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bomb = tmp_path / "bomb.npz"
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        write_npz_member(archive, "W1.npy", (3000, 1000), 3000)  # 24 MB of zeros
        archive.writestr("b1.npy", b"")
    assert bomb.stat().st_size < 100_000
    code, out = run_regions(bomb, capsys)
    assert code == 2
    assert "unpacks to 24,000,128 bytes" in out
    assert "MAX_FILE_BYTES" in out
    # a header that claims more than the member holds is refused from the header alone
    liar = tmp_path / "liar.npz"
    with zipfile.ZipFile(liar, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        write_npz_member(archive, "W1.npy", (10**6, 10**4), 0)
        archive.writestr("b1.npy", b"")
    code, out = run_regions(liar, capsys)
    assert code == 2
    assert "10,000,000,000 entries of int64" in out


def test_npz_arrays_are_checked_before_they_are_loaded(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "net.npz"
    np.savez(path, W1=np.ones((300, 1), dtype=np.int64), b1=np.zeros(300, dtype=np.int64))
    code, out = run_regions(path, capsys)
    assert code == 2
    assert "a layer of 300 units" in out
    np.savez(path, W1=np.ones((2, 1, 1), dtype=np.int64), b1=np.zeros(2, dtype=np.int64))
    code, out = run_regions(path, capsys)
    assert code == 2
    assert "expected a matrix (units, inputs)" in out
    monkeypatch.setattr(regions, "MAX_ARRAYS", 3)
    np.savez(path, W1=[[1]], b1=[0], W2=[[1]], b2=[0])
    code, out = run_regions(path, capsys)
    assert code == 2
    assert "4 arrays; at most 3" in out


def test_a_big_file_of_weights_is_not_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "w.json"
    path.write_text(json.dumps({"weights": [[[1]]], "biases": [[0]]}) + " " * 100)
    monkeypatch.setattr(regions, "MAX_FILE_BYTES", 50)
    code, out = run_regions(path, capsys)
    assert code == 2
    assert "bytes; a file of weights has at most 50" in out


def test_exact_arrays_never_read_text() -> None:
    from symdl.depth.rational_arrays import RationalArray

    start = time.perf_counter()
    with pytest.raises(TypeError, match=r"is text, not a number.*fractions\.Fraction"):
        RationalArray.of(["1e1000000000"])  # would be 10^(10^9) if read
    assert time.perf_counter() - start < 5
