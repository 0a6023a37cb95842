"""Tests of real time limits: the interrupting timer and the killed child process."""

from __future__ import annotations

import signal
import sys
import time
import weakref
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest

from symdl.deadline import TimeLimitExceededError, deadline, run_isolated


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


def test_an_outer_deadline_swallowed_inside_fires_again() -> None:
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
    assert outcomes == ["gave up"]
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
            except Exception:  # a careless library
                swallowed += 1
                if swallowed > 1:
                    raise
    assert swallowed == 2
    assert time.perf_counter() - started < 1


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
    from symdl import deadline as module

    cleaning = SimpleNamespace(f_code=module._close.__code__)
    module._on_alarm(signal.SIGALRM, cleaning)  # no exception: the clean-up re-arms
    computing = SimpleNamespace(f_code=_spin.__code__)
    with pytest.raises(TimeLimitExceededError):
        module._on_alarm(signal.SIGALRM, computing)
