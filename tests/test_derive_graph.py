"""Graph networks in ``symdl derive --graph FILE`` and in the ``symdl-derivation`` directive.

The expected equations are derived by hand in the comments: for the residual block
``r = x + f``, ``f = W^(f) h + b^(f)``, ``h = ReLU(W^(h) x + b^(h))`` the sum passes its error
unchanged to both summands, so ``δ^(f) = δ^(r)`` and ``δ^(x) = δ^(r) + (W^(h))ᵀ δ^(h)``; in the
convolutional example a shared weight collects the error of every position it is applied at.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from latex_tools import run_pdflatex
from sphinx.testing.util import SphinxTestApp
from sphinx.util.console import strip_escape_sequences

import symdl.backpropagation.graph_steps as graph_steps
from symdl.cli import main
from symdl.core import graph_description
from symdl.core.graph_description import read_graph

EXAMPLES = Path(__file__).resolve().parent.parent / "docs" / "examples"
RESIDUAL = EXAMPLES / "residual_block.toml"
CONV_POOL = EXAMPLES / "conv_pool.toml"

# δ^(x)_1 = ∂C/∂x_1: through r directly (δ^(r)_1), and through h: z^(h)_j = Σ_k w^(h)_jk x_k,
# so the branch sends Σ_j w^(h)_j1 δ^(h)_j = w^(h)_11 δ^(h)_1 + w^(h)_21 δ^(h)_2.
RESIDUAL_DELTA_X1 = (
    r"\delta^{(x)}_{1} &= w^{(h)}_{11} \delta^{(h)}_{1} + w^{(h)}_{21} \delta^{(h)}_{2} "
    r"+ \delta^{(r)}_{1}"
)
# z^(conv)_(1,i,j) = Σ_(r,s) w_(1,1,r,s) x_(1,i+r-1,j+s-1) + b: the weight w_(1,1,1,1) multiplies
# x_(1,i,j) at each of the four output positions (i, j) ∈ {1,2}², so ∂C/∂w sums four products.
CONV_WEIGHT_GRADIENT = (
    r"\frac{\partial C}{\partial w^{(conv)}_{1,1,1,1}} &= \delta^{(conv)}_{1,1,1} x_{1,1,1} "
    r"+ \delta^{(conv)}_{1,1,2} x_{1,1,2} + \delta^{(conv)}_{1,2,1} x_{1,2,1} "
    r"+ \delta^{(conv)}_{1,2,2} x_{1,2,2}"
)
ARTICLE = (
    "\\documentclass{article}\n\\usepackage{amsmath}\n\\begin{document}\n%s\n\\end{document}\n"
)


def derive_out(capsys: pytest.CaptureFixture[str], *arguments: str) -> tuple[int, str]:
    status = main(["derive", *arguments])
    return status, capsys.readouterr().out


# --- the command line ----------------------------------------------------------------------------


@pytest.mark.latex
def test_residual_block_latex_compiles_and_passes_the_error_through_the_identity(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out = derive_out(capsys, "--graph", str(RESIDUAL), "--loss", "mse", "--latex")
    assert status == 0
    assert out.startswith(r"\begin{align*}")
    assert "A residual connection carries the gradient through the identity" in out
    assert r"\delta^{(f)} &= \delta^{(r)} \tag*{the identity path of r}" in out
    assert r"\delta^{(x)} &= \delta^{(r)} + \bigl(W^{(h)}\bigr)^{\top} \delta^{(h)}" in out
    assert RESIDUAL_DELTA_X1 in out
    assert r"\mathbb" not in out  # the indicator of --latex: amsmath alone suffices
    run_pdflatex(ARTICLE % out, tmp_path, name="residual")


@pytest.mark.latex
def test_conv_pool_document_compiles_and_sums_the_shared_weight(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out = derive_out(capsys, "--graph", str(CONV_POOL), "--document")
    assert status == 0
    assert out.startswith(r"\documentclass")
    assert CONV_WEIGHT_GRADIENT in out
    assert "first maximal entry (row-major)" in out
    run_pdflatex(out, tmp_path, name="conv_pool")


def test_text_and_markdown_forms_of_a_graph(capsys: pytest.CaptureFixture[str]) -> None:
    status, text = derive_out(capsys, "--graph", str(RESIDUAL))
    assert status == 0
    assert text.startswith("Backpropagation through a graph network of 3 nodes with the mse loss")
    assert "δ^(f) = δ^(r)    [the identity path of r]" in text
    status, markdown = derive_out(capsys, "--graph", str(RESIDUAL), "--markdown")
    assert status == 0
    assert markdown.startswith("### Backpropagation through a graph network")
    assert r"\delta^{(f)} &= \delta^{(r)}" in markdown


def test_width_breaks_a_graph_derivation(capsys: pytest.CaptureFixture[str]) -> None:
    status, wide = derive_out(capsys, "--graph", str(CONV_POOL), "--latex")
    assert status == 0
    status, narrow = derive_out(capsys, "--graph", str(CONV_POOL), "--latex", "--width", "16")
    assert status == 0
    assert narrow.count(r"\\*") > wide.count(r"\\*")  # more lines broken inside a step


def test_verify_a_residual_block(capsys: pytest.CaptureFixture[str]) -> None:
    status, out = derive_out(capsys, "--graph", str(RESIDUAL), "--verify")
    assert status == 0
    assert out.rstrip().endswith("every δ equals the partial derivative of C")
    assert "δ^(x)_1: symbolic simplification" in out


@pytest.mark.slow
def test_verify_a_convolution_with_max_pooling(capsys: pytest.CaptureFixture[str]) -> None:
    status, out = derive_out(capsys, "--graph", str(CONV_POOL), "--verify")
    assert status == 0
    assert "every δ equals the partial derivative of C" in out


def test_verify_exits_1_when_a_graph_error_is_wrong(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from symdl.backpropagation.graph_mode import GraphBackpropagation
    from symdl.backpropagation.graph_verification import GraphDeltaVerification

    class Wrong(GraphDeltaVerification):
        @property
        def holds(self) -> bool:
            return False

        def __str__(self) -> str:
            return "δ^(x)_1 differs"

    monkeypatch.setattr(GraphBackpropagation, "verify", lambda self: Wrong((), ()))
    status, out = derive_out(capsys, "--graph", str(RESIDUAL), "--verify")
    assert status == 1
    assert out.rstrip().endswith("δ^(x)_1 differs")


def write(tmp_path: Path, text: str, name: str = "graph.toml") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


DENSE = '[inputs]\nx = {x}\n[[nodes]]\nname = "y"\nop = "dense"\ninputs = ["x"]\nunits = {units}\n'


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            '[inputs]\nx = 2\n[[nodes]]\nname = "y"\nop = "dens"\ninputs = ["x"]\n',
            "node 'y': unknown op 'dens' (did you mean 'dense'?)",
        ),
        (
            '[inputs]\nx = 2\n[[nodes]]\nname = "y"\nop = "dense"\ninputs = ["x"]\nunit = 1\n',
            "node 'y' (dense): unknown key 'unit' (did you mean 'units'?)",
        ),
        ("[input]\nx = 2\n", "unknown key 'input' (did you mean 'inputs'?)"),
        ("x = [1, 2", "is not valid TOML"),
        # a graph beyond the bounds of every graph
        (DENSE.format(x=5000, units=1), "symdl.core.graph.MAX_GRAPH_UNITS"),
        # beyond the bounds of a derivation: 100·100 = 10,000 products > 8,192
        (DENSE.format(x=100, units=100), "symdl.backpropagation.graph_steps.MAX_GRAPH_PRODUCTS"),
        # 900 + 900 values > 1,024
        (
            '[inputs]\nx = [1, 30, 30]\n[[nodes]]\nname = "f"\nop = "flatten"\ninputs = ["x"]\n',
            "the graph has 1,800 values",
        ),
        # a 6×6 window: 36 entries > 25
        (
            '[inputs]\nx = [1, 6, 6]\n[[nodes]]\nname = "p"\nop = "max_pool"\ninputs = ["x"]\n'
            "size = 6\n",
            "node 'p' pools windows of 36 entries",
        ),
    ],
)
def test_a_bad_graph_file_is_named(
    text: str, message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, text)
    status, out = derive_out(capsys, "--graph", path)
    assert status == 2
    assert out.startswith(f"symdl derive: --graph {path}: ")
    assert message in out


def test_an_oversized_file_is_refused_before_it_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(graph_description, "MAX_DESCRIPTION_CHARS", 200)
    path = write(tmp_path, "# padding\n" * 25 + RESIDUAL.read_text())
    status, out = derive_out(capsys, "--graph", path)
    assert status == 2
    assert "more than 200 characters" in out
    assert "symdl.core.graph_description.MAX_DESCRIPTION_CHARS" in out
    # within the (raised) limit the same file is read
    monkeypatch.setattr(graph_description, "MAX_DESCRIPTION_CHARS", 100_000)
    assert derive_out(capsys, "--graph", path)[0] == 0


def test_files_that_cannot_be_read(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = str(tmp_path / "nothing.toml")
    assert derive_out(capsys, "--graph", missing) == (
        2,
        f"symdl derive: --graph {missing}: no such file; give the path of a graph description "
        "in TOML (the format of symdl.core.graph_description)\n",
    )
    binary = tmp_path / "graph.toml"
    binary.write_bytes(b"\xff\xfe[inputs]")
    status, out = derive_out(capsys, "--graph", str(binary))
    assert status == 2
    assert "not UTF-8 text" in out
    status, out = derive_out(capsys, "--graph", str(tmp_path))
    assert status == 2
    assert "cannot be read" in out


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ([], "give the network: --sizes and --activations for a multilayer perceptron"),
        (["--sizes", "2,1"], "--sizes needs --activations too"),
        (["--activations", "relu"], "--activations needs --sizes too"),
        (
            ["--graph", str(RESIDUAL), "--sizes", "2,1"],
            "--graph describes the whole network, and --sizes describes a multilayer perceptron",
        ),
        (
            ["--graph", str(RESIDUAL), "--sizes", "2,1", "--activations", "relu"],
            "and --sizes and --activations describe a multilayer perceptron: give either",
        ),
        (["--graph", str(RESIDUAL), "--loss", "mse2"], "unknown loss 'mse2'"),
    ],
)
def test_the_network_is_given_once(
    arguments: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out = derive_out(capsys, *arguments)
    assert status == 2
    assert out.startswith("symdl derive: ")
    assert message in out


def test_the_derivation_bounds_are_counted_as_by_hand(monkeypatch: pytest.MonkeyPatch) -> None:
    # a 1-D convolution: input 2 channels × 10, 3 output channels, kernel 4 → length 7;
    # each of the 3·7 outputs sums 2·4 products: 168 per example, 336 for a batch of 2
    conv = read_graph(
        {
            "batch": 2,
            "inputs": {"x": [2, 10]},
            "nodes": [{"name": "c", "op": "conv", "inputs": ["x"], "channels": 3, "kernel": 4}],
        }
    )
    monkeypatch.setattr(graph_steps, "MAX_GRAPH_PRODUCTS", 336)
    graph_steps.check_derivation_size(conv)
    monkeypatch.setattr(graph_steps, "MAX_GRAPH_PRODUCTS", 335)
    with pytest.raises(ValueError, match="sum 336 products w·a over the batch"):
        graph_steps.check_derivation_size(conv)
    # values: (2·10 + 3·7) units × 2 examples = 82
    monkeypatch.setattr(graph_steps, "MAX_GRAPH_VALUES", 82)
    monkeypatch.setattr(graph_steps, "MAX_GRAPH_PRODUCTS", 10_000)
    graph_steps.check_derivation_size(conv)
    monkeypatch.setattr(graph_steps, "MAX_GRAPH_VALUES", 81)
    with pytest.raises(ValueError, match=r"the graph has 82 values .* for each of the 2 examples"):
        graph_steps.check_derivation_size(conv)
    # a 5×5 max-pooling window has 25 entries: the largest a derivation takes
    pool = read_graph(
        {
            "inputs": {"x": [1, 5, 5]},
            "nodes": [{"name": "p", "op": "max_pool", "inputs": ["x"], "size": 5}],
        }
    )
    graph_steps.check_derivation_size(pool)
    monkeypatch.setattr(graph_steps, "MAX_POOL_WINDOW", 24)
    with pytest.raises(ValueError, match=r"symdl\.backpropagation\.graph_steps\.MAX_POOL_WINDOW"):
        graph_steps.check_derivation_size(pool)


# --- the Sphinx directive ------------------------------------------------------------------------


def build(tmp_path: Path, files: dict[str, str]) -> tuple[Path, str, SphinxTestApp]:
    """Build a project made of ``files``: the HTML folder, the warnings, the application."""
    source = tmp_path / "project"
    source.mkdir()
    (source / "conf.py").write_text(
        'extensions = ["symdl.sphinxext"]\nexclude_patterns = ["_build"]\n'
        'source_suffix = {".rst": "restructuredtext"}\n'
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
    return source / "_build" / "html", strip_escape_sequences(warnings.getvalue()), app


def indented(text: str) -> str:
    return "".join(f"   {line}\n" if line.strip() else "\n" for line in text.splitlines())


TINY = '[inputs]\nx = 1\n\n[[nodes]]\nname = "r"\nop = "add"\ninputs = ["x", "x"]\n'


def test_the_directive_reads_a_graph_file_relative_to_the_document(tmp_path: Path) -> None:
    page = (
        "Block\n=====\n\n"
        ".. symdl-derivation::\n   :graph: graphs/block.toml\n   :loss: mse\n\n"
        ".. symdl-derivation::\n   :graph: /shared/tiny.toml\n   :loss: mse\n"
    )
    html, warnings, app = build(
        tmp_path,
        {
            "index.rst": "Notes\n=====\n\n.. toctree::\n\n   notes/block\n",
            "notes/block.rst": page,
            "notes/graphs/block.toml": RESIDUAL.read_text(),
            "shared/tiny.toml": TINY,
        },
    )
    assert warnings == ""
    out = (html / "notes" / "block.html").read_text()
    assert "A residual connection carries the gradient through the identity" in out
    assert r"\delta^{(f)} &amp;= \delta^{(r)}" in out
    assert RESIDUAL_DELTA_X1.replace("&", "&amp;") in out
    # r = x + x: x is both summands, so it receives δ^(r) twice
    assert r"\delta^{(x)}_{1} &amp;= 2 \delta^{(r)}_{1}" in out
    # both files are dependencies of the page: a change to one re-reads it
    source = html.parent.parent
    dependencies = {(source / path).resolve() for path in app.env.dependencies["notes/block"]}
    assert (source / "notes" / "graphs" / "block.toml").resolve() in dependencies
    assert (source / "shared" / "tiny.toml").resolve() in dependencies


def test_the_directive_reads_a_graph_from_its_content(tmp_path: Path) -> None:
    page = (
        f"Pool\n====\n\n.. symdl-derivation::\n   :loss: mse\n\n{indented(CONV_POOL.read_text())}"
    )
    html, warnings, _ = build(tmp_path, {"index.rst": page})
    assert warnings == ""
    out = (html / "index.html").read_text()
    # the web form breaks the long sum over the positions into lines: join them
    joined = out.replace(" \\\\\n&amp;\\quad {} + ", " + ")
    assert CONV_WEIGHT_GRADIENT.replace("&", "&amp;") in joined
    assert "each window’s error goes to its first maximal entry" in out


def test_graph_mistakes_are_warnings_at_the_directive(tmp_path: Path) -> None:
    bad_op = '[inputs]\nx = 2\n[[nodes]]\nname = "y"\nop = "dens"\ninputs = ["x"]\n'
    page = (
        "Mistakes\n========\n\n"  # lines 1-3
        ".. symdl-derivation::\n   :graph: missing.toml\n   :loss: mse\n\n"  # line 4
        ".. symdl-derivation::\n   :graph: tiny.toml\n   :sizes: 1, 1\n   :loss: mse\n\n"  # 8
        f".. symdl-derivation::\n   :loss: mse\n\n{indented(bad_op)}\n"  # line 13
        ".. symdl-derivation::\n   :graph: tiny.toml\n\n"
        ".. symdl-derivation::\n   :graph: tiny.toml\n   :loss: mse\n\n"
        f"{indented(TINY)}\n"
    )
    _html, warnings, _ = build(tmp_path, {"index.rst": page, "tiny.toml": TINY})
    lines = [line for line in warnings.splitlines() if "WARNING" in line]
    assert len(lines) == 5, warnings
    starts = [i for i, line in enumerate(page.splitlines(), 1) if line.startswith(".. symdl")]
    assert starts[:3] == [4, 8, 13]
    assert (
        "index.rst:4: WARNING: symdl-derivation: the graph file missing.toml is not found"
        in (lines[0])
    )
    assert "relative to this document, or absolute from the source folder" in lines[0]
    assert (
        "index.rst:8: WARNING: symdl-derivation: the graph file tiny.toml describes the whole "
        "network, and :sizes: describe a multilayer perceptron"
    ) in lines[1]
    assert (
        "index.rst:13: WARNING: symdl-derivation: the graph in the directive's content: node "
        "'y': unknown op 'dens' (did you mean 'dense'?)"
    ) in lines[2]
    assert f"index.rst:{starts[3]}: WARNING: symdl-derivation needs the option(s) loss" in lines[3]
    assert (
        f"index.rst:{starts[4]}: WARNING: symdl-derivation: the graph is given twice" in (lines[4])
    )


def test_the_examples_are_the_networks_their_comments_describe() -> None:
    block = read_graph(RESIDUAL.read_text())
    # x (2) → h = ReLU(W x + b): 2·2 + 2 parameters; f = W h + b: 2·2 + 2; r = x + f
    assert block.shapes == {"x": (2,), "h": (2,), "f": (2,), "r": (2,)}
    assert block.consumers("x") == ("h", "r")
    assert block.parameter_count == 12
    net = read_graph(CONV_POOL.read_text())
    # a 3×3 image, a 2×2 kernel: a 2×2 map; one 2×2 pooling window: 1 value; 4 + 1 and 1 + 1
    assert net.shapes == {
        "x": (1, 3, 3),
        "conv": (1, 2, 2),
        "pool": (1, 1, 1),
        "flat": (1,),
        "out": (1,),
    }
    assert net.parameter_count == 7
