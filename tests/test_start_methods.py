"""Checks in worker processes under every start method: ``fork``, ``spawn`` and a fork server.

A check's worker (``Isolation.PROCESS``, :func:`symdl.core.limits.run_isolated`) and the
workers of a batch (:func:`symdl.grading.batch.grade`) must give the right verdicts, and keep
their time and memory limits, however they start.  Each method is tested in a fresh
interpreter running a small script that sets it with ``multiprocessing.set_start_method``
under an ``if __name__ == "__main__":`` guard, as a user's script would.

The script replaces the answer parser at its top level, so that every worker runs the
replacement whatever the method (a forked worker inherits it; a spawned one, or one started
by a fork server, imports the script again): a few answer texts stand for hostile answers.
"""

from __future__ import annotations

import json
import multiprocessing
import multiprocessing.queues
import os
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path
from typing import Any

import pytest
import sympy as sp

import symdl.grading.batch
from symdl.grading import answers as answers_module
from symdl.grading.answers import GradientProblem
from symdl.grading.batch import grade
from symdl.referee.equivalence import CheckOptions
from symdl.referee.verdict import Outcome

ROOT = Path(__file__).resolve().parents[1]
METHODS = [
    m for m in ("fork", "spawn", "forkserver") if m in multiprocessing.get_all_start_methods()
]

SCRIPT = textwrap.dedent(
    '''
    """Checks and a batch under one start method: script.py METHOD (fast | stuck)."""
    import json
    import multiprocessing
    import os
    import sys
    import time

    import sympy as sp

    from symdl.core.limits import process_context
    from symdl.grading import answers
    from symdl.grading.answers import GradientProblem, Isolation, check_gradient
    from symdl.grading.batch import grade
    from symdl.referee.equivalence import CheckOptions

    FORKED = False  # True only in the main process, and in the workers forked from it
    _parse = answers.parse_answer


    def parse(text, **kwargs):
        if text == "where":  # how this worker started
            raise LookupError(f"forked={FORKED} parent={os.getppid()}")
        if text == "greedy":  # 256 MiB, past the limit of 64 MiB
            bytearray(256 << 20)
        if text == "spin":  # Python code: the interrupting timer stops it
            while True:
                pass
        if text == "stuck":  # native code, never back in the interpreter: only a kill stops it
            sum(range(10**15))
        return _parse(text, **kwargs)


    answers.parse_answer = parse  # at the top level: run again by spawned workers


    def main(method, part):
        global FORKED
        multiprocessing.set_start_method(method)
        FORKED = True
        x = sp.Symbol("x", real=True)
        options = CheckOptions(time_limit=1, memory_limit=64 << 20)
        texts = ["2x", "x", "where", "greedy", "spin"] if part == "fast" else ["stuck"]
        result = {"pid": os.getpid(), "method": process_context().get_start_method()}
        checks = result["checks"] = {}
        for text in texts:
            started = time.monotonic()
            verdict = check_gradient(
                x**2, text, wrt=x, options=options, isolation=Isolation.PROCESS
            )
            checks[text] = [verdict.outcome.name, verdict.reason, time.monotonic() - started]
        started = time.monotonic()
        problem = GradientProblem.from_expression(x**2, x)
        report = grade(problem, [(t, t) for t in [*texts, "2*x"]], options=options, workers=2)
        result["batch_seconds"] = time.monotonic() - started
        result["batch"] = {r.id: [r.verdict.outcome.name, r.verdict.reason] for r in report.rows}
        print(json.dumps(result))


    if __name__ == "__main__":
        main(*sys.argv[1:])
    '''
)


def _run(method: str, part: str, tmp_path: Path) -> dict[str, Any]:
    script = tmp_path / "start_method_check.py"
    script.write_text(SCRIPT)
    environment = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), *sys.path])}
    done = subprocess.run(
        [sys.executable, str(script), method, part],
        capture_output=True,
        text=True,
        timeout=180,
        cwd=tmp_path,
        env=environment,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _started_by(method: str, pid: int, reason: str) -> None:
    """The worker that gave ``reason`` (the "where" answer) was started by ``method``."""
    forked = method == "fork"
    # a spawned or forked worker is the grading process's child; a fork server's is not
    child = method != "forkserver"
    prefix = "could not be evaluated (LookupError: "
    assert reason.startswith(prefix), reason
    facts = dict(part.split("=") for part in reason[len(prefix) : -1].split())
    assert facts["forked"] == str(forked), (method, reason)
    assert (facts["parent"] == str(pid)) is child, (method, reason)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the memory limit is Linux's")
@pytest.mark.parametrize("method", METHODS)
def test_checks_and_a_batch_are_right_and_limited_under_each_start_method(
    method: str, tmp_path: Path
) -> None:
    result = _run(method, "fast", tmp_path)
    assert result["method"] == method
    memory = "could not decide: the check needed more than 64 MiB of memory"
    for verdicts in (result["checks"], result["batch"]):
        # d/dx x^2 = 2x: "2x" is right, "x" is half of it
        assert verdicts["2x"][0] == "EQUIVALENT"
        assert verdicts["x"][0] == "DIFFERENT"
        _started_by(method, result["pid"], verdicts["where"][1])
        assert verdicts["greedy"][0] == "UNKNOWN"
        assert verdicts["greedy"][1].startswith(memory), verdicts["greedy"][1]
        assert verdicts["spin"][0] == "UNKNOWN"
        assert verdicts["spin"][1].startswith("could not decide within the time limit of 1 s")
    assert result["batch"]["2*x"][0] == "EQUIVALENT"
    # the Python loop is stopped at its limit of 1 s (plus a worker's start, for spawn)
    assert 1 <= result["checks"]["spin"][2] < 4
    assert result["batch_seconds"] < 20


@pytest.mark.slow
@pytest.mark.parametrize("method", METHODS)
def test_native_code_past_the_time_limit_is_killed_under_each_start_method(
    method: str, tmp_path: Path
) -> None:
    result = _run(method, "stuck", tmp_path)
    assert result["method"] == method
    outcome, reason, seconds = result["checks"]["stuck"]
    # the worker is killed 2 s past the limit of 1 s
    assert outcome == "UNKNOWN"
    assert reason == "could not decide within the time limit of 1 s (the check was stopped)"
    assert 3 <= seconds < 6
    outcome, reason = result["batch"]["stuck"]
    assert outcome == "UNKNOWN"
    # the batch kills it 3 s past the limit; the timer may stop it before (in another thread)
    assert reason.startswith("could not decide within the time limit of 1 s"), reason
    assert result["batch"]["2*x"][0] == "EQUIVALENT"
    assert result["batch_seconds"] < 20


# --- a worker that ends before its last messages are read ---------------------------------------


class _SlowQueue(multiprocessing.queues.Queue):
    """A queue whose reader falls behind: the batch's main loop waits before each read."""

    def get(self, block: bool = True, timeout: float | None = None) -> Any:
        if timeout == 0.25:  # the main loop's read (not the drains)
            time.sleep(0.6)
        return super().get(block, timeout)


class _SlowReader:
    def __init__(self) -> None:
        self.context = multiprocessing.get_context("fork")

    def Queue(self) -> _SlowQueue:
        return _SlowQueue(ctx=self.context)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.context, name)


@pytest.mark.skipif("fork" not in METHODS, reason="needs fork")
def test_a_worker_that_exits_before_its_last_start_is_read_is_not_lost(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # the worker answers "nap" in 0.9 s, then "greedy" (out of memory) at once, and exits: the
    # grading process reads the answer to "nap" only after the worker is gone, with the start
    # of "greedy" still unread behind it
    real = answers_module.parse_answer

    def parse(text: str, **kwargs: Any) -> Any:
        if text == "nap":
            time.sleep(0.9)
            return real("2*x", **kwargs)
        if text == "greedy":
            raise MemoryError
        return real(text, **kwargs)

    monkeypatch.setattr(answers_module, "parse_answer", parse)
    monkeypatch.setattr(symdl.grading.batch, "process_context", _SlowReader)
    x = sp.Symbol("x", real=True)
    problem = GradientProblem.from_expression(x**2, x)
    options = CheckOptions(time_limit=5)
    report = grade(problem, [("a", "nap"), ("b", "greedy")], options=options, workers=1)
    assert [row.verdict.outcome for row in report.rows] == [Outcome.EQUIVALENT, Outcome.UNKNOWN]
    assert report.rows[1].verdict.reason.startswith("could not decide: the check needed more")


def _fork() -> Any:
    return multiprocessing.get_context("fork")


@pytest.mark.skipif("fork" not in METHODS, reason="needs fork")
def test_native_code_that_starves_the_start_message_is_still_stopped(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # the answer enters native code at once, holding the interpreter: the queue's feeder
    # thread never sends the worker's "start" message, yet the worker must be killed
    real = answers_module.parse_answer

    def parse(text: str, **kwargs: Any) -> Any:
        if text == "stuck":
            sum(range(10**15))
        return real(text, **kwargs)

    monkeypatch.setattr(answers_module, "parse_answer", parse)
    monkeypatch.setattr(symdl.grading.batch, "process_context", _fork)
    monkeypatch.setattr(symdl.grading.batch, "_GRACE", 0.5)
    x = sp.Symbol("x", real=True)
    problem = GradientProblem.from_expression(x**2, x)
    reports: list[Any] = []
    # in a thread, so that a batch that never ends fails the test instead of hanging it
    thread = threading.Thread(
        target=lambda: reports.append(
            grade(problem, [("a", "stuck")], options=CheckOptions(time_limit=0.5), workers=1)
        ),
        daemon=True,
    )
    started = time.monotonic()
    thread.start()
    thread.join(15)
    assert reports, "the batch never ended"
    assert time.monotonic() - started < 5
    verdict = reports[0].rows[0].verdict
    assert verdict.outcome is Outcome.UNKNOWN
    assert (
        verdict.reason == "could not decide within the time limit of 0.5 s (the check was stopped)"
    )


def test_a_start_method_the_program_chose_is_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from types import SimpleNamespace

    from symdl.core.limits import UnguardedMainError, process_context

    script = tmp_path / "script.py"
    script.write_text("if __name__ == '__main__':\n    print(1)\n")
    monkeypatch.setitem(sys.modules, "__main__", SimpleNamespace(__file__=str(script)))
    methods = ["fork", "spawn", "forkserver"]
    monkeypatch.setattr(multiprocessing, "get_all_start_methods", lambda: methods)
    chosen: list[str | None] = [None]
    monkeypatch.setattr(multiprocessing, "get_start_method", lambda allow_none: chosen[0])
    monkeypatch.setattr(threading, "active_count", lambda: 1)  # whatever earlier tests left
    assert process_context().get_start_method() == "fork"  # nothing chosen, one thread
    for method in ("spawn", "forkserver"):
        chosen[0] = method
        assert process_context().get_start_method() == method
    chosen[0] = "fork"  # the default: taken implicitly by any use of multiprocessing
    monkeypatch.setattr(threading, "active_count", lambda: 2)
    assert process_context().get_start_method() == "forkserver"  # threads: fork is unsafe
    # a script without the guard would run again: it is forked, or refused without fork
    script.write_text("print('side effect')\n")
    chosen[0] = "spawn"
    assert process_context().get_start_method() == "fork"
    methods.remove("fork")
    methods.insert(0, "spawn")
    chosen[0] = "forkserver"
    with pytest.raises(UnguardedMainError):
        process_context()
