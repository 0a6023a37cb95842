"""A misspelt name gets a suggestion: in an answer, an activation, a loss, a command."""

from __future__ import annotations

import pytest
import sympy as sp

from symdl.cli import main
from symdl.core.activations import get_activation
from symdl.core.exceptions import did_you_mean
from symdl.core.losses import get_loss
from symdl.grading.answers import check_gradient
from symdl.referee.verdict import Outcome

x = sp.Symbol("x", real=True)


@pytest.mark.parametrize(
    ("answer", "meant"),
    [("sigmod(x)", "sigmoid"), ("x*tahn(x)", "tanh"), ("sqtr(x)", "sqrt"), ("exq(x)", "exp")],
)
def test_a_misspelt_function_in_an_answer_is_suggested(answer: str, meant: str) -> None:
    verdict = check_gradient(x**2, answer, wrt=x)
    assert verdict.outcome is Outcome.NOT_COMPARABLE
    hint = verdict.reason.split("(did you mean ", 1)[1].split("?)")[0]
    assert f"'{meant}'" in hint.split(" or ")


def test_a_word_close_to_nothing_gets_no_suggestion() -> None:
    assert did_you_mean("qqqq", ["sigmoid", "tanh"]) == ""
    assert "did you mean" not in check_gradient(x**2, "qqqq(x)", wrt=x).reason


def test_misspelt_activations_and_losses_are_suggested() -> None:
    with pytest.raises(ValueError, match=r"unknown activation 'sigmod' \(did you mean 'sigmoid'"):
        get_activation("sigmod")
    with pytest.raises(ValueError, match=r"unknown loss 'hinje' \(did you mean 'hinge'"):
        get_loss("hinje")


def test_a_misspelt_command_is_suggested(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["prov"]) == 2
    assert "unknown command 'prov' (did you mean 'prove'?)" in capsys.readouterr().err
    assert main(["derive", "--sizes", "1,1", "--activations", "tahn"]) == 2
    assert "did you mean 'tanh'?" in capsys.readouterr().out
