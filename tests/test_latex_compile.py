"""The LaTeX that symdl writes compiles with a real engine (pdflatex, Debian texlive-latex-base).

Without pdflatex these tests fail when the environment variable ``CI`` is set, and are skipped
(with the reason) otherwise.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
import sympy as sp

from symdl.activations import Sigmoid
from symdl.derivation import Derivation, Reason

pytestmark = pytest.mark.latex


def _pdflatex() -> str:
    engine = shutil.which("pdflatex")
    if engine is None:
        if os.environ.get("CI"):
            pytest.fail("pdflatex is required in CI (Debian package texlive-latex-base)")
        pytest.skip("pdflatex is not installed (Debian package texlive-latex-base)")
    return engine


def compile_latex(source: str, directory: Path) -> Path:
    """Compile ``source`` with pdflatex; fail the test on any LaTeX error, with the log."""
    engine = _pdflatex()
    tex = directory / "document.tex"
    tex.write_text(source, encoding="ascii")  # pdflatex input: symdl writes ASCII only
    result = subprocess.run(
        [engine, "-interaction=nonstopmode", "-halt-on-error", "-no-shell-escape", tex.name],
        cwd=directory,
        capture_output=True,
        text=True,
        errors="replace",
        timeout=120,
        check=False,
    )
    log = (directory / "document.log").read_text(errors="replace")
    errors = [line for line in log.splitlines() if line.startswith("!")]
    if result.returncode != 0 or errors:
        pytest.fail(f"pdflatex failed ({result.returncode}): {errors}\n{result.stdout[-3000:]}")
    pdf = directory / "document.pdf"
    assert pdf.stat().st_size > 1000
    return pdf


def two_layer_derivation() -> Derivation:
    """Backpropagation through a 2-2-1 network (sigmoid, then identity) with squared error."""
    x1, x2, y = sp.symbols("x_1 x_2 y", real=True)
    w = {(l, j, k): sp.Symbol(f"w^{{({l})}}_{{{j}{k}}}", real=True) for l, j, k in _indices()}
    b1 = [sp.Symbol(f"b^{{(1)}}_{{{j}}}", real=True) for j in (1, 2)]
    b2 = sp.Symbol("b^{(2)}_{1}", real=True)
    z1 = [w[1, j, 1] * x1 + w[1, j, 2] * x2 + b1[j - 1] for j in (1, 2)]
    a1 = [Sigmoid(zj) for zj in z1]
    z2 = w[2, 1, 1] * a1[0] + w[2, 1, 2] * a1[1] + b2
    loss = (z2 - y) ** 2 / 2
    d = Derivation(
        "Backpropagation in a 2-2-1 network",
        statement="Sigmoid hidden layer, identity output, loss $C = (a^2 - y)^2/2$.",
    )
    delta2 = sp.Symbol(r"\delta^{(2)}_{1}", real=True)
    d.add(delta2, z2 - y, Reason.BP1)
    for j in (1, 2):
        delta1 = sp.Symbol(rf"\delta^{{(1)}}_{{{j}}}", real=True)
        d.add(delta1, delta2 * w[2, 1, j] * Sigmoid(z1[j - 1]) * (1 - Sigmoid(z1[j - 1])), "BP2")
        d.add(sp.Derivative(sp.Function("C")(w[1, j, 1]), w[1, j, 1]), delta1 * x1, Reason.BP4)
    d.remark("Each $\\delta$ equals the partial derivative of the loss; for instance")
    d.add(sp.Derivative(loss, w[2, 1, 1]), sp.diff(loss, w[2, 1, 1]), Reason.CHAIN_RULE)
    d.add(r"\frac{\partial C}{\partial b^{(1)}_1}", sp.diff(loss, b1[0]), Reason.BP3)
    return d


def _indices() -> list[tuple[int, int, int]]:
    return [(1, j, k) for j in (1, 2) for k in (1, 2)] + [(2, 1, k) for k in (1, 2)]


def test_two_layer_network_derivation_compiles(tmp_path: Path) -> None:
    d = two_layer_derivation()
    assert len(d) == 7
    compile_latex(d.latex_document(), tmp_path)


def test_the_compile_check_catches_a_latex_error(tmp_path: Path) -> None:
    broken = two_layer_derivation().latex_document().replace(r"\end{align}", "", 1)
    with pytest.raises(pytest.fail.Exception, match="pdflatex failed"):
        compile_latex(broken, tmp_path)


def test_every_printer_rule_compiles(tmp_path: Path) -> None:
    z, x = sp.symbols("z x", real=True)
    j, k = sp.symbols("j k", integer=True)
    C = sp.Function("C")
    d = Derivation("Notation: ReLU, indicator, primes & partials (100% ASCII)")
    d.add(sp.Derivative(sp.Max(0, z), z), sp.Heaviside(z, 0), Reason.CONVENTION)
    d.add("H(z)", sp.Heaviside(z, 1) + sp.KroneckerDelta(j, k), "δ, ⊙ and ≤ are translated")
    d.add(sp.diff(C(Sigmoid(z)), z), sp.diff(C(Sigmoid(z), x), z), Reason.CHAIN_RULE)
    d.add(sp.Derivative(x * z**2, z, x), sp.Derivative(C(z), z, 2), Reason.SIMPLIFICATION)
    compile_latex(d.latex_document(), tmp_path)
