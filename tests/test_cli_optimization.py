"""Tests of the ``symdl schedule`` and ``symdl stability`` commands."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from symdl.cli import main


def test_schedule_verdict_for_one_over_t(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schedule", "1/t"]) == 0
    out = capsys.readouterr().out
    assert "π²/6" in out  # Euler: Σ 1/t² = π²/6, in the lecture's notation (never SymPy's **)
    assert "**" not in out
    assert "Robbins–Monro conditions hold: yes" in out


def test_schedule_symbolic_exponent_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schedule", "c/t**p", "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["holds"] == "(p <= 1) & (p > 1/2)"


def test_schedule_failing_and_start(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schedule", "1/sqrt(t)"]) == 0
    assert "hold: no" in capsys.readouterr().out
    assert main(["schedule", "1/(t*log(t))", "--start", "2"]) == 0
    assert "hold: yes" in capsys.readouterr().out


def test_schedule_oscillating_by_comparison(capsys: pytest.CaptureFixture[str]) -> None:
    # 1/t ≤ (2 + sin t)/t ≤ 3/t: Σ η_t diverges with Σ 1/t, Σ η_t² ≤ 9 Σ 1/t² converges
    assert main(["schedule", "(2 + sin(t))/t", "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert (payload["sum_diverges"], payload["squares_converge"]) == ("True", "True")
    assert payload["holds"] == "True"


def test_schedule_rejects_bad_text(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schedule", "__import__('os')"]) == 2
    captured = capsys.readouterr()
    assert "unexpected" in captured.err
    assert captured.out == ""
    assert main(["schedule", "0 - 1/t"]) == 2
    assert "must be positive" in capsys.readouterr().err
    assert main(["schedule", "x/t"]) == 2
    assert "unknown name 'x'" in capsys.readouterr().err
    assert main(["schedule", "1/t", "--start", "0"]) == 2
    assert "--start 0" in capsys.readouterr().err


def test_schedule_stops_at_its_time_limit(capsys: pytest.CaptureFixture[str]) -> None:
    # the integral/condensation tests for 1/(t log t) take far longer than a millisecond: a
    # mathematical failure (status 1), not bad input
    argv = ["schedule", "1/(t*log(t))", "--start", "2", "--time-limit", "0.001"]
    assert main(argv) == 1
    assert "no answer within the time limit of 0.001 s" in capsys.readouterr().err
    # the old name of the option still works
    assert main(["schedule", "1/(t*log(t))", "--start", "2", "--timeout", "0.001"]) == 1
    assert "0.001 s" in capsys.readouterr().err
    assert main(["schedule", "1/t", "--time-limit", "0"]) == 2
    assert "--time-limit 0: give a number of seconds above 0" in capsys.readouterr().err
    assert main(["schedule", "1/t", "--time-limit", "nan"]) == 2
    assert "--time-limit nan" in capsys.readouterr().err


def test_schedule_undecided_is_a_mathematical_failure(capsys: pytest.CaptureFixture[str]) -> None:
    # e^{t sin t}/t³ is positive, but no comparison with a decided series bounds it: exit 1
    assert main(["schedule", "exp(t*sin(t))/t^3"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("symdl schedule: not supported: cannot decide the convergence")
    assert "**" not in err


def test_stability_command(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    figure = tmp_path / "stability.png"
    code = main(["stability", "--steps", "30", "--runs", "4", "--figure", str(figure)])
    out = capsys.readouterr().out
    assert code == 0
    assert "0.02000" in out  # T = 1: 2 L² c / n = 2/100
    assert "holds" in out
    assert figure.stat().st_size > 1000


def test_stability_rejects_bad_options(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert main(["stability", "--runs", "0"]) == 2
    assert "runs=0" in capsys.readouterr().err
    # beta = 1/4 for the logistic loss: step sizes c/t with c = 9 > 2/beta = 8 are refused
    assert main(["stability", "--c", "9", "--steps", "5", "--runs", "1"]) == 2
    assert "reaches 9 > 2/beta = 8" in capsys.readouterr().err
    assert main(["stability", "--c", "0", "--steps", "5", "--runs", "1"]) == 2
    assert "c=0 must be positive" in capsys.readouterr().err
    assert main(["stability", "--seed", "-1"]) == 2
    assert "seed=-1" in capsys.readouterr().err
    # a figure that cannot be written is refused before the experiment runs
    assert main(["stability", "--figure", str(tmp_path / "plot.xyz")]) == 2
    assert "--figure" in capsys.readouterr().err
    assert main(["stability", "--figure", str(tmp_path / "missing" / "plot.png")]) == 2
    assert "does not exist" in capsys.readouterr().err
    assert main(["stability", "--time-limit", "-1"]) == 2
    assert "--time-limit -1" in capsys.readouterr().err


def test_stability_stops_at_its_time_limit(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["stability", "--steps", "100000", "--time-limit", "0.2"]) == 1
    captured = capsys.readouterr()
    assert "no answer within the time limit of 0.2 s" in captured.err
    assert captured.out == ""
