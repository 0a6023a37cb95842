"""Tests of one check's limits as a user meets them: every failure of the worker is a verdict.

A check in a worker process (``Isolation.PROCESS``) must end in a verdict whatever happens to
the worker: killed (the out-of-memory killer's SIGKILL), out of its memory limit, unable to
start, or a script that a worker would run again.  ``Isolation.NONE`` off the main thread,
where no timer can interrupt, runs in a worker too; on the main thread it leaves the caller's
own timer as it found it.

Several tests replace the answer parser with a slow or greedy one: with the ``fork`` start
method the worker inherits the replacement, so the tests control what runs in the worker.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
import sympy as sp

from symdl.core import limits as deadline_module
from symdl.core.limits import UnguardedMainError
from symdl.grading import answers as gradcheck
from symdl.grading.answers import Isolation, check_gradient
from symdl.referee.equivalence import CheckOptions
from symdl.referee.verdict import Outcome

x, y = sp.symbols("x y", real=True)
ROOT = Path(__file__).resolve().parents[1]


def _spin(seconds: float) -> None:
    started = time.perf_counter()
    while time.perf_counter() - started < seconds:
        pass


@pytest.fixture
def forked(monkeypatch: pytest.MonkeyPatch) -> None:
    """Workers start by ``fork``, so that they inherit what a test replaced."""
    monkeypatch.setattr(
        deadline_module, "process_context", lambda: multiprocessing.get_context("fork")
    )


def _slow_parser(seconds: float) -> Any:
    real = gradcheck.parse_answer

    def parse(text: str, **kwargs: Any) -> Any:
        _spin(seconds)  # interruptible Python code, as SymPy is
        return real(text, **kwargs)

    return parse


# --- the worker dies ------------------------------------------------------------------------


@pytest.fixture
def kill_workers_after() -> Iterator[Any]:
    """Arm a timer that kills this process's workers with SIGKILL, as the OOM killer would."""
    killed: list[int] = []

    def kill(signum: int, frame: Any) -> None:
        for child in multiprocessing.active_children():
            assert child.pid is not None
            os.kill(child.pid, signal.SIGKILL)
            killed.append(child.pid)

    previous = signal.signal(signal.SIGALRM, kill)

    def arm(seconds: float) -> list[int]:
        signal.setitimer(signal.ITIMER_REAL, seconds)
        return killed

    try:
        yield arm
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def test_a_worker_killed_while_it_runs_gives_an_unknown_verdict(
    forked: None, kill_workers_after: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(gradcheck, "parse_answer", _slow_parser(8))
    killed = kill_workers_after(0.3)
    started = time.perf_counter()
    verdict = check_gradient(x**2, "2x", wrt=x)  # no exception
    elapsed = time.perf_counter() - started
    assert len(killed) == 1  # the worker was running, and was killed
    assert verdict.outcome is Outcome.UNKNOWN
    assert "SIGKILL" in verdict.reason
    assert "out-of-memory killer" in verdict.reason
    assert "free memory or run fewer checks at once" in verdict.reason
    assert elapsed < 2  # seen at once, not at the time limit
    assert verdict.seconds == pytest.approx(elapsed, abs=0.2)


def test_a_worker_that_exits_early_gives_an_unknown_verdict(
    forked: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    def exits(text: str, **kwargs: Any) -> Any:
        os._exit(1)

    monkeypatch.setattr(gradcheck, "parse_answer", exits)
    verdict = check_gradient(x**2, "2x", wrt=x)
    assert verdict.outcome is Outcome.UNKNOWN
    assert "exit code 1" in verdict.reason


def test_a_worker_that_cannot_start_gives_an_unknown_verdict(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def refusing() -> Any:
        def start() -> None:
            raise BlockingIOError(11, "Resource temporarily unavailable")

        fork = multiprocessing.get_context("fork")
        return SimpleNamespace(Pipe=fork.Pipe, Process=lambda **_: SimpleNamespace(start=start))

    monkeypatch.setattr(deadline_module, "process_context", refusing)
    verdict = check_gradient(x**2, "2x", wrt=x)
    assert verdict.outcome is Outcome.UNKNOWN
    assert "could not start a worker process" in verdict.reason
    assert "Resource temporarily unavailable" in verdict.reason


def test_a_script_a_worker_would_run_again_gives_an_unknown_verdict_with_the_fix(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def refusing() -> Any:
        raise UnguardedMainError("/home/student/grade.py")

    monkeypatch.setattr(deadline_module, "process_context", refusing)
    verdict = check_gradient(x**2, "2x", wrt=x)
    assert verdict.outcome is Outcome.UNKNOWN
    assert "/home/student/grade.py" in verdict.reason
    assert 'add `if __name__ == "__main__":`' in verdict.reason
    assert "or use Isolation.NONE" in verdict.reason


# --- memory ---------------------------------------------------------------------------------


def test_a_check_past_the_memory_limit_gives_an_unknown_verdict_naming_it(
    forked: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = gradcheck.parse_answer

    def greedy(text: str, **kwargs: Any) -> Any:
        assert len(bytearray(3 << 30)) > 0  # 3 GiB: more than a worker may take
        return real(text, **kwargs)

    monkeypatch.setattr(gradcheck, "parse_answer", greedy)
    started = time.perf_counter()
    verdict = check_gradient(x**2, "2x", wrt=x)
    assert verdict.outcome is Outcome.UNKNOWN
    assert verdict.reason.startswith("could not decide: the check needed more than 1024 MiB")
    assert time.perf_counter() - started < 3


def _run(code: str, cwd: Path, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), *sys.path])}
    return subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=cwd,
        env=environment,
    )


@pytest.mark.slow
def test_exp6_ends_within_the_time_limit_in_a_worker_under_a_gib(tmp_path: Path) -> None:
    # in a fresh interpreter, so that the children's peak memory is this check's worker's
    code = textwrap.dedent(
        """
        import resource, time
        import sympy as sp
        from symdl.grading.answers import check_gradient
        x, y = sp.symbols("x y", real=True)
        started = time.perf_counter()
        v = check_gradient(x**3 * y, "exp(exp(exp(exp(exp(exp(x))))))", wrt=x)
        seconds = time.perf_counter() - started
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
        print(v.outcome.name, seconds, peak)
        """
    )
    run = _run(code, tmp_path)
    assert run.returncode == 0, run.stderr
    outcome, seconds, peak = run.stdout.split()
    assert outcome in ("UNKNOWN", "DIFFERENT")
    assert float(seconds) < CheckOptions().time_limit + 2
    assert 0 < int(peak) < 2**30


# --- a script without `if __name__ == "__main__":` ------------------------------------------


@pytest.mark.slow
def test_an_unguarded_script_with_a_thread_runs_once_and_gets_its_verdict(
    tmp_path: Path,
) -> None:
    script = tmp_path / "grade.py"
    script.write_text(
        textwrap.dedent(
            """
            import threading
            import sympy as sp
            from symdl.grading.answers import check_gradient
            threading.Thread(target=threading.Event().wait, daemon=True).start()
            print("side effect", flush=True)
            x = sp.Symbol("x", real=True)
            print(check_gradient(x**2, "2x", wrt=x).outcome.name, flush=True)
            """
        )
    )
    run = _run(f"import runpy; runpy.run_path({str(script)!r}, run_name='__main__')", tmp_path)
    assert run.returncode == 0, run.stderr
    assert run.stdout.split() == ["side", "effect", "EQUIVALENT"]


# --- Isolation.NONE -------------------------------------------------------------------------


def test_isolation_none_off_the_main_thread_is_limited_in_a_worker(
    forked: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(gradcheck, "parse_answer", _slow_parser(3))  # past the limit
    verdicts: list[Any] = []

    def check() -> None:
        options = CheckOptions(time_limit=0.2)
        verdicts.append(
            check_gradient(x**2, "2x", wrt=x, options=options, isolation=Isolation.NONE)
        )

    started = time.perf_counter()
    thread = threading.Thread(target=check)
    thread.start()
    thread.join(timeout=10)
    assert not thread.is_alive()
    (verdict,) = verdicts
    assert verdict.outcome is Outcome.UNKNOWN
    assert "time limit of 0.2 s" in verdict.reason
    assert time.perf_counter() - started < 2  # stopped, not left to run its 3 s


def test_isolation_none_on_the_main_thread_leaves_the_callers_timer_running() -> None:
    fired: list[float] = []
    previous = signal.signal(signal.SIGALRM, lambda signum, frame: fired.append(time.monotonic()))
    try:
        signal.setitimer(signal.ITIMER_REAL, 0.5)
        set_at = time.monotonic()
        verdict = check_gradient(x**2, "2x", wrt=x, isolation=Isolation.NONE)
        assert verdict.correct
        now = time.monotonic()  # before reading the timer: a pause in between cannot fail it
        remaining = signal.getitimer(signal.ITIMER_REAL)[0]
        # the kernel's interval timer counts in ticks (a few ms): allow one tick of slack
        assert 0 < remaining <= 0.5 - (now - set_at) + 0.01
        while not fired and time.monotonic() - set_at < 3:
            time.sleep(0.01)
        assert len(fired) == 1
        assert fired[0] - set_at == pytest.approx(0.5, abs=0.15)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _check_in_a_daemon(queue: Any) -> None:
    from symdl.core.limits import run_isolated

    try:
        run_isolated(abs, (-1,), timeout=5.0)
        queue.put("started")
    except Exception as error:  # the message is what the test reads
        queue.put(f"{type(error).__name__}: {error}")


def test_a_daemonic_process_says_it_cannot_start_a_check_and_how_to_fix_it() -> None:
    # a Dask worker started by a nanny is daemonic: before, the check died with
    # "AssertionError: daemonic processes are not allowed to have children"
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    daemon = context.Process(target=_check_in_a_daemon, args=(queue,), daemon=True)
    daemon.start()
    message = queue.get(timeout=30)
    daemon.join(10)
    assert message.startswith("WorkerStartError: this process is daemonic")
    assert "--no-nanny" in message
    assert "distributed.worker.daemon" in message
