"""The ``symdl`` command's entry points."""

from __future__ import annotations

import subprocess
import sys

import pytest

from symdl import __version__
from symdl.cli import COMMANDS, build_parser, main


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0
    assert capsys.readouterr().out.strip() == f"symdl {__version__}"


def test_python_dash_m_is_the_same_command() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "symdl", "--version"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0
    assert done.stdout.strip() == f"symdl {__version__}"


def test_no_command_prints_help_and_fails(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 2
    assert "prove" in capsys.readouterr().out


def test_unknown_command_is_an_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["disprove"]) == 2
    error = capsys.readouterr().err
    assert "unknown command 'disprove'" in error
    assert "the commands: prove, schedule" in error


def test_every_command_is_registered_once() -> None:
    names = [command.NAME for command in COMMANDS]
    assert len(names) == len(set(names))
    help_text = build_parser().format_help()
    for name in names:
        assert name in help_text


def test_check_exits_3_when_it_cannot_decide(capsys: pytest.CaptureFixture[str]) -> None:
    # a time limit of a millisecond leaves no time to decide: UNKNOWN is not a wrong answer
    status = main(["check", "d/dx of x^2", "--answer", "2x", "--time-limit", "0.001"])
    assert status == 3
    assert "UNKNOWN" in capsys.readouterr().out
