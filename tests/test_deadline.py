"""Tests of real time limits: the interrupting timer and the killed child process."""

from __future__ import annotations

import contextlib
import gc
import os
import signal
import sys
import threading
import time
import weakref
from collections.abc import Callable, Iterator
from types import SimpleNamespace
from typing import Any

import pytest

from symdl.core.limits import (
    MEMORY_LIMIT,
    MemoryLimitExceededError,
    TimeLimitExceededError,
    UnguardedMainError,
    WorkerError,
    WorkerStartError,
    deadline,
    limit_memory,
    run_isolated,
    unguarded_main,
)


def _spin(seconds: float) -> None:
    started = time.perf_counter()
    while time.perf_counter() - started < seconds:
        pass


def test_a_deadline_stops_a_busy_loop() -> None:
    started = time.perf_counter()
    with pytest.raises(TimeLimitExceededError, match=r"0\.1 s"), deadline(0.1):
        _spin(10)
    assert time.perf_counter() - started < 0.5


def test_no_alarm_escapes_a_deadline_that_expires_as_its_block_ends() -> None:
    handler = signal.getsignal(signal.SIGALRM)
    for _ in range(400):
        try:
            with deadline(0.0005):
                _spin(0.0005)
        except TimeLimitExceededError:
            pass
        _spin(0.001)  # a stray alarm would raise here
    assert signal.getsignal(signal.SIGALRM) == handler
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def test_an_outer_deadline_passes_through_an_inner_one_unchanged() -> None:
    # the outer limit's alarm inside an inner deadline is not the inner one's time limit: the
    # step's "gave up" handler must not see it, the outer block ends with its own limit
    def budgeted() -> str:
        try:
            with deadline(5):
                _spin(10)
        except TimeLimitExceededError:
            return "gave up"
        return "finished"

    started = time.perf_counter()
    outcomes = []
    with pytest.raises(TimeLimitExceededError, match=r"0\.2 s"), deadline(0.2):  # noqa: PT012
        outcomes.append(budgeted())
        _spin(10)
    assert outcomes == []
    assert time.perf_counter() - started < 1


def test_an_outer_deadline_swallowed_inside_fires_again() -> None:
    swallowed = []

    def careless() -> None:
        try:
            with deadline(5):
                _spin(10)
        except BaseException:  # code that swallows everything
            swallowed.append(True)

    started = time.perf_counter()
    with pytest.raises(TimeLimitExceededError, match=r"0\.2 s"), deadline(0.2):  # noqa: PT012
        careless()
        _spin(10)
    assert swallowed == [True]
    assert time.perf_counter() - started < 1


def _square(n: int) -> int:
    if n < 0:
        raise ValueError(f"negative: {n}")
    return n * n


def _hang() -> None:
    signal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGALRM])  # deaf to the timer
    time.sleep(60)


def test_run_isolated_returns_raises_and_kills() -> None:
    assert run_isolated(_square, 7, timeout=10) == 49
    with pytest.raises(ValueError, match="negative: -1"):
        run_isolated(_square, -1, timeout=10)
    started = time.perf_counter()
    with pytest.raises(TimeLimitExceededError, match="killed"):
        run_isolated(_hang, timeout=0.5)
    assert time.perf_counter() - started < 3


def test_limits_must_be_positive() -> None:
    with pytest.raises(ValueError, match="positive"), deadline(0):
        pass
    with pytest.raises(ValueError, match="positive"):
        run_isolated(_square, 1, timeout=-1)


def test_the_alarm_repeats_when_code_swallows_it() -> None:
    swallowed = 0
    started = time.perf_counter()
    with pytest.raises(TimeLimitExceededError), deadline(0.1):  # noqa: PT012
        while True:
            try:
                _spin(10)
            except BaseException:  # a careless library
                swallowed += 1
                if swallowed > 1:
                    raise
    assert swallowed == 2
    assert time.perf_counter() - started < 1


class _OwnError(ValueError):
    pass


@pytest.mark.parametrize("seconds", [0.01, 0.03, 0.05, 0.1])
def test_a_broad_except_neither_swallows_the_alarm_nor_changes_it(seconds: float) -> None:
    # code that turns every failure into an error of its own (``except Exception: raise
    # ValueError``) would otherwise report the time limit as a failure of the computation
    seen = []

    def wraps_every_failure() -> None:
        try:
            _spin(10)
        except Exception as error:
            seen.append(error)
            raise _OwnError("the computation failed") from error

    with pytest.raises(TimeLimitExceededError, match=f"{seconds:g} s"), deadline(seconds):
        wraps_every_failure()
    assert seen == []


_FINISHED: list[str] = []  # the finalisers that ran to their end


class _SlowToFinalise:
    """An object whose finaliser runs long enough for the alarm to land inside it."""

    def __del__(self) -> None:
        _spin(0.2)
        _FINISHED.append("__del__")


class _Referent:
    pass


def _slow_callback(_: object) -> None:
    _spin(0.2)
    _FINISHED.append("callback")


def _drop_in_finaliser() -> None:
    _SlowToFinalise()  # freed at once by reference counting: its __del__ runs here


def _drop_with_weakref_callback() -> None:
    referent = _Referent()
    reference = weakref.ref(referent, _slow_callback)
    del referent  # the callback runs here
    assert reference() is None


@pytest.mark.parametrize("finalise", [_drop_in_finaliser, _drop_with_weakref_callback])
def test_an_alarm_swallowed_by_a_finaliser_is_not_reported_and_fires_again(
    finalise: Callable[[], None],
) -> None:
    _FINISHED.clear()
    reported: list[object] = []
    previous, report = sys.unraisablehook, reported.append
    sys.unraisablehook = report
    try:
        started = time.perf_counter()
        with pytest.raises(TimeLimitExceededError), deadline(0.05):  # noqa: PT012
            finalise()  # the first alarms land in there and are swallowed by Python
            _spin(10)  # a later one stops this
        elapsed = time.perf_counter() - started
        assert sys.unraisablehook is report  # restored on the way out
    finally:
        sys.unraisablehook = previous
    assert _FINISHED == []  # the alarm did land in the finaliser (and cut it short)
    assert reported == []  # ... and was not reported as an error
    assert elapsed < 1


def test_an_unrelated_unraisable_exception_is_still_reported() -> None:
    class Broken:
        def __del__(self) -> None:
            raise RuntimeError("a real bug in a finaliser")

    reported: list[Any] = []
    previous = sys.unraisablehook
    sys.unraisablehook = reported.append
    try:
        with deadline(5):
            Broken()
    finally:
        sys.unraisablehook = previous
    assert [type(r.exc_value) for r in reported] == [RuntimeError]


def test_an_alarm_in_the_clean_up_of_a_deadline_is_dropped() -> None:
    from symdl.core import limits as module

    cleaning = SimpleNamespace(f_code=module._close.__code__)
    module._on_alarm(signal.SIGALRM, cleaning)  # no exception: the clean-up re-arms
    computing = SimpleNamespace(f_code=_spin.__code__)
    with pytest.raises(module._Alarm):  # the interruption, which its deadline turns into the error
        module._on_alarm(signal.SIGALRM, computing)


# --- the caller's own timer -------------------------------------------------------------------


@pytest.fixture
def caller_alarm() -> Iterator[list[float]]:
    """A SIGALRM handler of the caller's that records when it fires; restored afterwards."""
    fired: list[float] = []
    previous = signal.signal(signal.SIGALRM, lambda signum, frame: fired.append(time.monotonic()))
    try:
        yield fired
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _wait_for(fired: list[float], seconds: float) -> None:
    stop = time.monotonic() + seconds
    while not fired and time.monotonic() < stop:
        time.sleep(0.005)


def test_a_callers_pending_timer_keeps_its_remaining_time(caller_alarm: list[float]) -> None:
    signal.setitimer(signal.ITIMER_REAL, 0.6)
    set_at = time.monotonic()
    with deadline(5):
        _spin(0.1)
    remaining, interval = signal.getitimer(signal.ITIMER_REAL)
    elapsed = time.monotonic() - set_at
    assert caller_alarm == []  # not fired inside the block, nor lost
    assert interval == 0.0
    assert 0.6 - elapsed - 0.05 < remaining <= 0.6 - elapsed + 1e-3
    _wait_for(caller_alarm, 2)
    assert len(caller_alarm) == 1
    assert caller_alarm[0] - set_at == pytest.approx(0.6, abs=0.1)


def test_a_callers_timer_that_came_due_in_the_block_fires_after_it(
    caller_alarm: list[float],
) -> None:
    signal.setitimer(signal.ITIMER_REAL, 0.05)
    with deadline(5), deadline(2):  # nested: only the outermost takes the caller's timer
        _spin(0.2)
        in_block = list(caller_alarm)
        closing = time.monotonic()
    _wait_for(caller_alarm, 1)
    assert in_block == []  # the block was not interrupted by the caller's handler
    assert len(caller_alarm) == 1
    assert 0 <= caller_alarm[0] - closing < 0.05  # at once when the block ended


def test_a_callers_repeating_timer_keeps_its_interval(caller_alarm: list[float]) -> None:
    signal.setitimer(signal.ITIMER_REAL, 0.3, 0.25)
    with pytest.raises(TimeLimitExceededError), deadline(0.05):
        _spin(1)
    assert signal.getitimer(signal.ITIMER_REAL)[1] == pytest.approx(0.25)
    _wait_for(caller_alarm, 2)
    assert caller_alarm


# --- the worker's memory limit and its failures -----------------------------------------------


def _allocate(size: int) -> int:
    return len(bytearray(size))  # touches every byte: really taken, not only reserved


def test_a_worker_past_its_memory_limit_raises_a_memory_limit_error() -> None:
    limit = 64 << 20
    assert run_isolated(_allocate, 16 << 20, timeout=10, memory_limit=limit) == 16 << 20
    started = time.perf_counter()
    with pytest.raises(MemoryLimitExceededError, match="more than 64 MiB of memory") as caught:
        run_isolated(_allocate, 256 << 20, timeout=10, memory_limit=limit)
    assert caught.value.limit is not None
    assert time.perf_counter() - started < 3


def test_the_default_memory_limit_is_a_gib_beyond_the_start() -> None:
    assert MEMORY_LIMIT == 2**30
    assert run_isolated(_allocate, 512 << 20, timeout=20) == 512 << 20
    with pytest.raises(MemoryLimitExceededError, match="1024 MiB"):
        run_isolated(_allocate, 3 << 30, timeout=20)


def test_limit_memory_rejects_a_bad_size() -> None:
    for bad in (0, -1, 1.5, True):
        with pytest.raises(ValueError, match="positive number of bytes"):
            limit_memory(bad)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="memory_limit"):
        run_isolated(_square, 1, timeout=1, memory_limit=0)


def _kill_myself(number: int) -> None:
    os.kill(os.getpid(), number)
    time.sleep(10)


def _exit(code: int) -> None:
    os._exit(code)


def test_a_worker_killed_by_sigkill_names_the_out_of_memory_killer_and_the_fix() -> None:
    started = time.perf_counter()
    with pytest.raises(WorkerError, match="SIGKILL") as caught:
        run_isolated(_kill_myself, signal.SIGKILL, timeout=10)
    assert "out-of-memory killer" in str(caught.value)
    assert "run fewer checks at once" in str(caught.value)
    assert isinstance(caught.value, RuntimeError)  # as the error was before
    assert time.perf_counter() - started < 3  # seen at once, not at the time limit


def test_a_worker_that_crashes_or_exits_names_the_signal_or_the_exit_code() -> None:
    with pytest.raises(WorkerError, match="SIGTERM"):
        run_isolated(_kill_myself, signal.SIGTERM, timeout=10)
    with pytest.raises(WorkerError, match=r"exit code 3\b.*standard error"):
        run_isolated(_exit, 3, timeout=10)
    with pytest.raises(WorkerError, match=r"stopped its worker.*SystemExit"):
        run_isolated(sys.exit, 4, timeout=10)  # not this process


class _Refusing:
    """A multiprocessing context whose processes cannot start (as when there are too many)."""

    def Pipe(self, duplex: bool) -> Any:
        import multiprocessing

        return multiprocessing.get_context("fork").Pipe(duplex=duplex)

    def Process(self, **kwargs: Any) -> Any:
        def start() -> None:
            raise BlockingIOError(11, "Resource temporarily unavailable")

        return SimpleNamespace(start=start)


def test_a_worker_that_cannot_start_raises_a_start_error(monkeypatch: pytest.MonkeyPatch) -> None:
    from symdl.core import limits as module

    monkeypatch.setattr(module, "process_context", _Refusing)
    with pytest.raises(WorkerStartError, match="Resource temporarily unavailable"):
        run_isolated(_square, 2, timeout=5)


# --- the main script, run again by a fork server or spawn -------------------------------------


@pytest.mark.parametrize(
    ("source", "guarded"),
    [
        ("print('top level')\n", False),
        ("import sys\nif __name__ == '__main__':\n    print(1)\n", True),
        ('if "__main__" == __name__:\n    pass\n', True),
        ("def main():\n    if __name__ == '__main__':\n        pass\n", False),  # not top level
        ("if __name__ != '__main__':\n    pass\n", False),
        ("this is not python\n", False),
    ],
)
def test_unguarded_main_reads_the_script_for_its_guard(
    source: str, guarded: bool, tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    script = tmp_path / "script.py"
    script.write_text(source)
    main = SimpleNamespace(__file__=str(script), __spec__=None)
    monkeypatch.setitem(sys.modules, "__main__", main)
    assert unguarded_main() == (None if guarded else str(script))


def test_there_is_nothing_to_run_again_without_a_script(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "__main__", SimpleNamespace(__spec__=None))  # python -c
    assert unguarded_main() is None
    package = SimpleNamespace(__spec__=SimpleNamespace(name="pytest.__main__", origin="x.py"))
    monkeypatch.setitem(sys.modules, "__main__", package)  # python -m package
    assert unguarded_main() is None


def test_an_unguarded_script_with_threads_is_forked_not_run_again(
    tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import multiprocessing

    from symdl.core.limits import process_context

    script = tmp_path / "script.py"
    script.write_text("print('side effect')\n")
    monkeypatch.setitem(sys.modules, "__main__", SimpleNamespace(__file__=str(script)))
    monkeypatch.setattr(threading, "active_count", lambda: 2)
    assert process_context().get_start_method() == "fork"
    script.write_text("if __name__ == '__main__':\n    print('side effect')\n")
    assert process_context().get_start_method() == "forkserver"
    script.write_text("print('side effect')\n")
    monkeypatch.setattr(multiprocessing, "get_all_start_methods", lambda: ["spawn"])
    with pytest.raises(UnguardedMainError, match=r'add `if __name__ == "__main__":`') as caught:
        process_context()
    assert caught.value.path == str(script)


@pytest.mark.parametrize("seconds", [1e10, float("inf"), float("nan"), 0, -1])
def test_a_time_limit_out_of_range_is_refused_with_the_range(seconds: float) -> None:
    # the interval timer itself overflows ("timestamp out of range") for 10^10 s
    from symdl.core.limits import MAX_SECONDS, deadline, run_isolated

    with pytest.raises(ValueError, match="MAX_SECONDS"), deadline(seconds):
        pass
    with pytest.raises(ValueError, match=str(MAX_SECONDS)):
        run_isolated(abs, 1, timeout=seconds)


def test_an_outer_deadline_closes_an_inner_one_whose_clean_up_an_alarm_cut_short() -> None:
    # an alarm that lands in contextlib's __exit__ of the inner deadline skips its clean-up;
    # the outer one must then close both, restore the handler and leave no timer armed, or a
    # later SIGALRM would find the default handler and kill the process
    from symdl.core import limits

    before = signal.getsignal(signal.SIGALRM)
    outer, inner = deadline(60), deadline(30)
    outer.__enter__()
    inner.__enter__()  # its __exit__ never runs: the clean-up was cut short
    assert len(limits._ACTIVE) == 2
    outer.__exit__(None, None, None)
    assert limits._ACTIVE == []
    assert signal.getsignal(signal.SIGALRM) == before
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    # and the inner one, closing late, changes nothing
    inner.__exit__(None, None, None)
    assert limits._ACTIVE == []
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    for code in (
        contextlib._GeneratorContextManager.__exit__.__code__,
        contextlib._GeneratorContextManager.__enter__.__code__,
    ):
        assert code in limits._CLEAN_UP


def _deadline_state() -> tuple[bool, list[float], bool]:
    from symdl.core import limits as module

    with deadline(5):  # a deadline of the worker's own works as anywhere
        _spin(0.01)
    return gc.isenabled(), list(module._ACTIVE), signal.getsignal(signal.SIGALRM) is signal.SIG_DFL


def test_a_worker_forked_inside_a_deadline_has_none_of_its_own() -> None:
    # a fork copies the parent's open deadlines (their end times) and its paused garbage
    # collector: the worker must start with neither
    with deadline(30):
        assert not gc.isenabled()
        enabled, active, default = run_isolated(_deadline_state, timeout=20)
    assert enabled
    assert active == []
    assert default


def test_a_block_that_swallowed_its_alarm_and_finished_does_not_return_its_value() -> None:
    # a bare ``except`` returns a fallback in place of the interrupted work (mpmath's
    # from_float returns nan); if the block ends before the next alarm its value is suspect
    def lookup() -> str:
        try:
            _spin(1.0)
        except BaseException:  # a careless library's bare except
            return "fallback"
        return "computed"

    started = time.perf_counter()
    with pytest.raises(TimeLimitExceededError, match=r"0\.1 s"), deadline(0.1):
        lookup()
    assert time.perf_counter() - started < 0.5


def test_a_timer_of_the_blocks_own_does_not_reach_the_caller_as_a_private_exception() -> None:
    # the block replaces the deadline's handler's timer with one of its own (signal.alarm):
    # the interruption reaches the caller as the documented error, not symdl's internal one
    with (  # noqa: PT012
        pytest.raises(TimeLimitExceededError, match="before the time limit of 5 s"),
        deadline(5),
    ):
        signal.setitimer(signal.ITIMER_REAL, 0.05)
        _spin(1.0)
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def _worker_state_in_a_batch(_: object) -> tuple[bool, list[float]]:
    from symdl.core import limits as module

    return gc.isenabled(), list(module._ACTIVE)


def test_every_fork_forgets_the_parents_deadlines() -> None:
    # not only run_isolated's workers: any process forked inside a deadline (a pool's)
    import multiprocessing

    if "fork" not in multiprocessing.get_all_start_methods():
        pytest.skip("no fork on this platform")
    with deadline(30), multiprocessing.get_context("fork").Pool(1) as pool:
        (state,) = pool.map(_worker_state_in_a_batch, [None])
    assert state == (True, [])
