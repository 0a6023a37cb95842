"""The LaTeX that symdl writes compiles with a real engine (pdflatex, Debian texlive-latex-base).

Without pdflatex these tests fail when the environment variable ``CI`` is set, and are skipped
(with the reason) otherwise.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import sympy as sp
from latex_tools import pdflatex, run_pdflatex
from symdl.proofs import backprop_general, backprop_shortcuts, convolution

from symdl.backpropagation.reverse_mode import backprop
from symdl.core.activations import Sigmoid
from symdl.core.derivation import Derivation, Reason
from symdl.core.losses import LOSSES
from symdl.core.network import Network

pytestmark = pytest.mark.latex


def compile_latex(source: str, directory: Path) -> Path:
    """Compile ``source`` with pdflatex; fail the test on any LaTeX error, with the log."""
    run_pdflatex(source, directory)
    pdf = directory / "document.pdf"
    assert pdf.stat().st_size > 1000
    return pdf


def two_layer_derivation(activation: str = "sigmoid", loss: str = "mse") -> Derivation:
    """The derivation that :func:`symdl.backpropagation.reverse_mode.backprop` writes for a 2-3-1
    network."""
    net = Network.mlp([2, 3, 1], [activation, "identity"])
    return backprop(net, LOSSES[loss]).derivation()


@pytest.mark.parametrize(("activation", "loss"), [("sigmoid", "mse"), ("relu", "l1")])
def test_two_layer_network_derivation_compiles(tmp_path: Path, activation, loss) -> None:
    d = two_layer_derivation(activation, loss)
    # one BP1 row, three BP2 rows, and a gradient row for each of the 13 parameters
    reasons = [step.reason for step in d.steps]
    assert reasons.count(Reason.BP1) == 1
    assert reasons.count(Reason.BP2) == 3
    assert reasons.count(Reason.BP3) + reasons.count(Reason.BP4) == 13
    compile_latex(d.latex_document(), tmp_path)


def test_the_homework_proof_compiles(tmp_path: Path) -> None:
    d = backprop_general.derivation()
    tex = d.latex_document()
    for equation in ("(BP1)", "(BP2)", r"\tag{BP3}", r"\tag{BP4}", "induction hypothesis"):
        assert equation in tex
    compile_latex(tex, tmp_path)


@pytest.mark.parametrize("proof", [backprop_shortcuts, convolution])
def test_the_other_backpropagation_proofs_compile(tmp_path: Path, proof) -> None:
    d = proof.derivation()
    assert len(d) >= 5
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


def test_a_missing_pdflatex_fails_in_ci_and_skips_elsewhere(monkeypatch) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: None)
    monkeypatch.setenv("CI", "1")
    with pytest.raises(pytest.fail.Exception, match="pdflatex is required in CI"):
        pdflatex()
    monkeypatch.delenv("CI")
    with pytest.raises(pytest.skip.Exception, match="texlive-latex-base"):
        pdflatex()


def test_a_derivation_that_starts_and_ends_with_prose_compiles(tmp_path: Path) -> None:
    z = sp.Symbol("z", real=True)
    d = Derivation("Prose around the steps")
    d.remark("First, a remark.")
    d.add(z, z, Reason.SIMPLIFICATION)
    d.remark("Then another; nothing follows it.")
    compile_latex(d.latex_document(), tmp_path)
    empty = Derivation("No steps yet")
    compile_latex(empty.latex_document(), tmp_path)
