"""Tests of real time limits: the interrupting timer and the killed child process."""

from __future__ import annotations

import signal
import time

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
