"""Tests of the ``symdl schedule`` and ``symdl stability`` commands."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from symdl.cli import main


def test_schedule_verdict_for_one_over_t(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schedule", "1/t"]) == 0
    out = capsys.readouterr().out
    assert "pi**2/6" in out
    assert "Robbins–Monro conditions hold: True" in out


def test_schedule_symbolic_exponent_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schedule", "c/t**p", "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["holds"] == "(p <= 1) & (p > 1/2)"


def test_schedule_failing_and_start(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schedule", "1/sqrt(t)"]) == 0
    assert "hold: False" in capsys.readouterr().out
    assert main(["schedule", "1/(t*log(t))", "--start", "2"]) == 0
    assert "hold: True" in capsys.readouterr().out


def test_schedule_rejects_bad_text(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schedule", "__import__('os')"]) == 2
    assert "unexpected" in capsys.readouterr().out
    assert main(["schedule", "0 - 1/t"]) == 2
    assert "must be positive" in capsys.readouterr().out
    assert main(["schedule", "x/t"]) == 2
    assert "unknown name 'x'" in capsys.readouterr().out


def test_schedule_stops_at_its_time_limit(capsys: pytest.CaptureFixture[str]) -> None:
    # the integral/condensation tests for 1/(t log t) take far longer than a millisecond
    assert main(["schedule", "1/(t*log(t))", "--start", "2", "--timeout", "0.001"]) == 2
    assert "no verdict within 0.001 s" in capsys.readouterr().out
    assert main(["schedule", "1/t", "--timeout", "0"]) == 2
    assert "--timeout 0.0: give a positive number" in capsys.readouterr().out


def test_stability_command(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    figure = tmp_path / "stability.png"
    code = main(["stability", "--steps", "30", "--runs", "4", "--figure", str(figure)])
    out = capsys.readouterr().out
    assert code == 0
    assert "0.02000" in out  # T = 1: 2 L² c / n = 2/100
    assert "holds" in out
    assert figure.stat().st_size > 1000


def test_stability_rejects_bad_options(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["stability", "--runs", "0"]) == 2
    assert "runs=0" in capsys.readouterr().out
    # beta = 1/4 for the logistic loss: step sizes c/t with c = 9 > 2/beta = 8 are refused
    assert main(["stability", "--c", "9", "--steps", "5", "--runs", "1"]) == 2
    assert "reaches 9 > 2/beta = 8" in capsys.readouterr().out
    assert main(["stability", "--c", "0", "--steps", "5", "--runs", "1"]) == 2
    assert "c=0 must be positive" in capsys.readouterr().out
