"""``symdl derive``: the backpropagation derivation on the command line."""

from __future__ import annotations

import pytest

from symdl.cli import main


def test_derive_latex_has_one_bp_step_per_neuron(capsys: pytest.CaptureFixture[str]) -> None:
    status = main(
        [
            "derive",
            "--sizes",
            "2,3,1",
            "--activations",
            "sigmoid,identity",
            "--loss",
            "mse",
            "--latex",
        ]
    )
    out = capsys.readouterr().out
    assert status == 0
    assert out.startswith(r"\begin{align}")
    assert out.count(r"\text{(BP1)}") == 1
    assert out.count(r"\text{(BP2)}") == 3  # three hidden neurons
    assert out.count(r"\text{(BP4)}") == 9  # 6 + 3 weights


def test_derive_markdown_and_verify(capsys: pytest.CaptureFixture[str]) -> None:
    status = main(
        ["derive", "--sizes", "2,2,1", "--activations", "relu,identity", "--markdown", "--verify"]
    )
    out = capsys.readouterr().out
    assert status == 0
    assert out.startswith("### Backpropagation")
    assert "every δ equals ∂C/∂z" in out
    assert "ReLU'(0) = 0" in out


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--sizes", "2,x", "--activations", "relu"], "--sizes '2,x'"),
        (["--sizes", "2,40", "--activations", "relu"], "between 1 and 8"),
        (["--sizes", "2,2", "--activations", "relu", "--loss", "mse2"], "unknown loss 'mse2'"),
        (["--sizes", "2,2,1", "--activations", "relu,swish"], "unknown activation 'swish'"),
        (
            ["--sizes", "2,3", "--activations", "softmax", "--loss", "log"],
            "the softmax would be applied twice",
        ),
    ],
)
def test_derive_bad_input_is_named(
    arguments: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["derive", *arguments]) == 2
    assert message in capsys.readouterr().out


def test_derive_rejects_two_formats() -> None:
    with pytest.raises(SystemExit):
        main(["derive", "--sizes", "1,1", "--activations", "relu", "--latex", "--markdown"])


def test_derive_verify_exits_1_when_an_error_is_wrong(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from symdl.backpropagation.reverse_mode import Backpropagation
    from symdl.backpropagation.verification import ErrorCheck, ErrorVerification
    from symdl.referee.verdict import DecisionMethod

    check = ErrorCheck(1, 1, None, False, DecisionMethod.EXACT_POINTS, "differ by 1")
    wrong = ErrorVerification((check,), ())
    monkeypatch.setattr(Backpropagation, "verify", lambda self: wrong)
    assert main(["derive", "--sizes", "1,1", "--activations", "tanh", "--verify"]) == 1
    assert "1 δ differ" in capsys.readouterr().out


def test_derive_document_is_a_standalone_latex_file(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["derive", "--sizes", "1,2,1", "--activations", "tanh,identity", "--document"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(r"\documentclass")
    assert out.rstrip().endswith(r"\end{document}")
    assert out.count(r"\text{(BP2)}") == 2
