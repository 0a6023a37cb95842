"""The ``symdl`` command's entry points."""

from __future__ import annotations

import io
import os
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


# --- standard output that is not UTF-8, or a pipe that closes ---------------------------------


_DERIVE = ["derive", "--sizes", "1,1", "--activations", "sigmoid", "--loss", "l2"]


def _symdl(*words: str, encoding: str) -> subprocess.CompletedProcess[bytes]:
    environment = {**os.environ, "PYTHONIOENCODING": encoding}
    return subprocess.run(
        [sys.executable, "-m", "symdl", *words], capture_output=True, env=environment, check=False
    )


@pytest.mark.parametrize("encoding", ["ascii", "latin-1", "cp1252"])
def test_notation_the_terminal_cannot_encode_is_escaped_not_an_error(encoding: str) -> None:
    # σ, δ and ∂ are in none of these encodings: the derivation used to end with
    # UnicodeEncodeError after its work was done
    done = _symdl(*_DERIVE, encoding=encoding)
    assert done.returncode == 0, done.stderr.decode(encoding, "replace")
    printed = done.stdout.decode(encoding)
    assert "\\u03c3(z^(1)_1)" in printed  # σ(z), escaped
    assert "\\u03b4^(1)_1" in printed  # δ
    assert b"Traceback" not in done.stderr


def test_the_same_command_prints_the_notation_itself_in_utf8() -> None:
    done = _symdl(*_DERIVE, encoding="utf-8")
    assert done.returncode == 0
    assert "σ(z^(1)_1)" in done.stdout.decode("utf-8")


def test_the_streams_error_handling_is_restored(monkeypatch: pytest.MonkeyPatch) -> None:
    buffer = io.BytesIO()
    stream = io.TextIOWrapper(buffer, encoding="ascii", errors="strict")
    monkeypatch.setattr(sys, "stdout", stream)
    assert main(_DERIVE) == 0
    assert stream.errors == "strict"
    with pytest.raises(UnicodeEncodeError):
        print("σ", file=stream)


def test_a_reader_that_goes_away_ends_the_command_quietly() -> None:
    # `symdl derive ... | head -1`: the pipe is closed when the derivation is written (here
    # before it starts, so that every write meets the closed pipe)
    reader, writer = os.pipe()
    os.close(reader)
    try:
        done = subprocess.run(
            [sys.executable, "-m", "symdl", *_DERIVE],
            stdout=writer,
            capture_output=False,
            stderr=subprocess.PIPE,
            check=False,
        )
    finally:
        os.close(writer)
    assert done.returncode == 1
    assert b"Traceback" not in done.stderr
    assert b"BrokenPipeError" not in done.stderr
