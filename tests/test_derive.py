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
    # align*: the equations are the tags, so no line is numbered twice
    assert out.startswith(r"\begin{align*}")
    assert out.rstrip().endswith(r"\end{align*}")
    assert out.count(r"\tag{BP1}") == 1
    assert out.count(r"\tag{BP2}") == 3  # three hidden neurons
    assert out.count(r"\tag{BP3}") == 4  # 3 + 1 biases
    assert out.count(r"\tag{BP4}") == 9  # 6 + 3 weights
    assert "(BP" not in out  # no reason column beside the tags
    # each BP2 step, then sigma'(z) written out, then the product
    assert (
        out.count(r"\sigma'\left(z^{(1)}_{1}\right) &= a^{(1)}_{1} \left(1 - a^{(1)}_{1}\right)")
        == 1
    )
    assert r"\tag*{derivative of $\sigma$}" in out


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
    assert out.count(r"\tag{BP2}") == 2


def test_derive_latex_needs_amsmath_alone_and_says_so(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["derive", "--sizes", "2,2,1", "--activations", "relu,identity", "--latex"]) == 0
    out = capsys.readouterr().out
    assert r"\mathbf{1}\left[z^{(1)}_{1} > 0\right]" in out  # no blackboard 1: no amssymb
    assert r"\mathbb" not in out
    assert r"\allowdisplaybreaks" not in out  # breaks are allowed step by step instead
    assert out.count(r"\displaybreak[0]") == out.count(r"\tag") - 1  # after each step but the last
    with pytest.raises(SystemExit):
        main(["derive", "--help"])
    help_text = " ".join(capsys.readouterr().out.split())
    assert "align* environment for a document that loads amsmath" in help_text
    assert r"\displaybreak[0]: no \allowdisplaybreaks needed" in help_text
    assert "--width EM" in help_text


def test_derive_width_breaks_long_sums_over_more_lines(
    capsys: pytest.CaptureFixture[str],
) -> None:
    arguments = ["derive", "--sizes", "8,2,1", "--activations", "tanh,identity", "--latex"]
    assert main(arguments) == 0
    wide = capsys.readouterr().out
    assert main([*arguments, "--width", "16"]) == 0
    narrow = capsys.readouterr().out
    # z^(1)_j = w x (8 terms) + b: one line at 32 em, several at 16, each after a + sign
    z = r"z^{(1)}_{1} &= w^{(1)}_{11} x_{1} + w^{(1)}_{12} x_{2}"
    assert z in wide
    assert wide.count(r"&\quad {} + ") < narrow.count(r"&\quad {} + ")
    rows = narrow.splitlines()
    start = next(i for i, row in enumerate(rows) if row.startswith(z))
    assert rows[start].endswith(r"\\*")  # no page break inside the step
    assert rows[start + 1].startswith(r"&\quad {} + w^{(1)}_{1")
    assert main([*arguments, "--width", "3"]) == 2
    assert "width_em=3.0" in capsys.readouterr().out
