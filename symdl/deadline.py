"""Real time limits: an interrupting timer inside a process, and a process killed on timeout.

A symbolic computation can run for hours (``simplify`` of an adversarial expression), and an
answer's text is untrusted, so every check runs under a limit that holds whatever the code
inside does:

- :func:`deadline` arms a ``SIGALRM`` timer that raises :class:`TimeLimitExceededError` in the
  running Python code (SymPy is pure Python, so it is interrupted between two bytecodes).
  Deadlines nest: an inner one (a budget for one step) never extends an outer one.  The alarm
  repeats every 50 ms until the block ends, so code that swallows it (a broad ``except``, a
  ``__del__`` method or a weakref callback, whose exceptions Python only reports) is stopped
  by the next one; such a swallowed alarm is not reported.  Without ``SIGALRM`` (Windows) or
  outside the main thread it only measures, and the process limit below is what holds.
- :func:`run_isolated` runs a picklable function in a child process and kills it when the
  limit passes: this also stops code that does not return to the interpreter (a huge integer
  multiplication inside GMP).

Examples
--------
>>> import time
>>> try:
...     with deadline(0.05):
...         while True:
...             time.sleep(0.001)
... except TimeLimitExceededError as error:
...     print(error)
time limit of 0.05 s exceeded
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from multiprocessing.connection import Connection
from typing import Any

__all__ = ["TimeLimitExceededError", "deadline", "process_context", "run_isolated"]

_ACTIVE: list[float] = []  # the monotonic end times of the deadlines open in this process


class TimeLimitExceededError(TimeoutError):
    """A computation ran past its time limit and was stopped."""


def _can_interrupt() -> bool:
    return hasattr(signal, "SIGALRM") and threading.current_thread() is threading.main_thread()


def _on_alarm(signum: int, frame: Any) -> None:
    if frame is not None and frame.f_code in _CLEAN_UP:
        return  # a deadline is closing: it stops the timer and re-arms what is still open
    raise TimeLimitExceededError("alarm")


def _drop_swallowed_alarms(previous: Callable[[Any], object]) -> Callable[[Any], None]:
    """An unraisable-exception hook that drops the alarms a finaliser swallowed.

    An alarm that lands in a ``__del__`` method or a weakref callback cannot propagate: Python
    reports it as "ignored" and goes on.  That report is noise (the timer repeats, so the limit
    still holds), and a test runner would count it as an error; anything else goes to
    ``previous``.
    """

    def hook(unraisable: Any) -> None:
        if not isinstance(unraisable.exc_value, TimeLimitExceededError):
            previous(unraisable)

    return hook


def _arm(end: float) -> None:
    # the alarm repeats every 50 ms until disarmed: code that swallows one exception (a broad
    # ``except Exception`` inside a library) gets the next one
    signal.setitimer(signal.ITIMER_REAL, max(end - time.monotonic(), 1e-4), 0.05)


@contextlib.contextmanager
def deadline(seconds: float) -> Iterator[None]:
    """Stop the enclosed code with :class:`TimeLimitExceededError` after ``seconds``.

    Raises
    ------
    ValueError
        If ``seconds`` is not a positive number.
    """
    if not isinstance(seconds, (int, float)) or isinstance(seconds, bool) or not seconds > 0:
        raise ValueError(f"seconds = {seconds!r}: expected a positive number of seconds")
    end = time.monotonic() + seconds
    if not _can_interrupt():
        yield
        return
    previous = signal.getsignal(signal.SIGALRM)
    # The alarm must interrupt the computation, not a finaliser: an exception raised in a
    # garbage-collector callback, a ``__del__`` method or a weakref callback is reported as
    # "ignored" and swallowed.  Cyclic collection (whose callbacks and finalisers run at
    # unpredictable moments) is paused for the block, reference counting still frees memory;
    # an alarm swallowed anyway is not reported, and the repeating timer fires again.
    collecting = gc.isenabled()
    gc.disable()
    hook = sys.unraisablehook
    sys.unraisablehook = _drop_swallowed_alarms(hook)
    try:
        signal.signal(signal.SIGALRM, _on_alarm)
        _ACTIVE.append(end)
        _arm(min(_ACTIVE))
        yield
    except TimeLimitExceededError:
        if time.monotonic() < end - 1e-3:  # an outer deadline fired: let it through
            raise
        raise TimeLimitExceededError(f"time limit of {seconds:g} s exceeded") from None
    finally:
        _close(end, previous, collecting, hook)


def _close(end: float, handler: Any, collecting: bool, hook: Callable[[Any], object]) -> None:
    """Stop the timer and restore what :func:`deadline` changed (no alarm is raised in here)."""
    _disarm()
    if end in _ACTIVE:
        _ACTIVE.remove(end)
    signal.signal(signal.SIGALRM, signal.SIG_DFL if handler is None else handler)
    sys.unraisablehook = hook
    if collecting:
        gc.enable()
    if _ACTIVE:  # an outer deadline: its alarm, even one swallowed inside, fires again
        _arm(min(_ACTIVE))


def _disarm() -> None:
    # the alarm may fire just as the block ends, before the timer is stopped: absorb it here,
    # so that the clean-up always runs
    while True:
        try:
            signal.setitimer(signal.ITIMER_REAL, 0)
            return
        except TimeLimitExceededError:
            continue


#: The code of the clean-up: an alarm that lands there is dropped (the clean-up re-arms).
_CLEAN_UP = frozenset((_close.__code__, _disarm.__code__, _arm.__code__))


def _child(connection: Connection, function: Callable[..., Any], args: tuple[Any, ...]) -> None:
    try:
        connection.send((True, function(*args)))
    except BaseException as error:  # reported to the parent, which re-raises it
        connection.send((False, error))
    finally:
        connection.close()


def process_context() -> Any:
    """The multiprocessing context for workers: fork when safe, else a fork server, else spawn.

    ``fork`` is fastest (SymPy is already imported) but unsafe once other threads run (in
    Jupyter, for one); a fork server started once with symdl preloaded is almost as fast for
    later checks; ``spawn`` (Windows) imports everything in each child.
    """
    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    if "forkserver" in methods:
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["symdl.gradcheck", "symdl.grading"])
        return context
    return multiprocessing.get_context("spawn")


def run_isolated(function: Callable[..., Any], *args: Any, timeout: float) -> Any:
    """``function(*args)`` in a child process, killed if it runs past ``timeout`` seconds.

    ``function`` and ``args`` must be picklable where the platform spawns processes.

    Raises
    ------
    TimeLimitExceededError
        If the child did not finish in time (it is killed).
    Exception
        Whatever ``function`` raised, re-raised in the parent.
    """
    if not isinstance(timeout, (int, float)) or isinstance(timeout, bool) or not timeout > 0:
        raise ValueError(f"timeout = {timeout!r}: expected a positive number of seconds")
    receiver, sender = process_context().Pipe(duplex=False)
    process = process_context().Process(target=_child, args=(sender, function, args), daemon=True)
    process.start()
    sender.close()
    try:
        if not receiver.poll(timeout):
            raise TimeLimitExceededError(
                f"time limit of {timeout:g} s exceeded: the check was killed"
            )
        try:
            ok, value = receiver.recv()
        except EOFError:
            raise RuntimeError(f"the worker process died (exit code {process.exitcode})") from None
    finally:
        if process.is_alive():
            process.kill()
        process.join()
        receiver.close()
    if not ok:
        raise value
    return value
