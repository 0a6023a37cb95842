"""Real limits on a check: an interrupting timer, and a worker process with time and memory limits.

A symbolic computation can run for hours (``simplify`` of an adversarial expression) or fill the
memory (the exponential of a huge number), and an answer's text is untrusted, so every check
runs under limits that hold whatever the code inside does:

- :func:`deadline` arms a ``SIGALRM`` timer that interrupts the running Python code (SymPy is
  pure Python, so it is interrupted between two bytecodes); the block then ends with
  :class:`TimeLimitExceededError`.  On its way out the interruption is not an ``Exception``,
  so a broad ``except Exception`` inside (SymPy's, or code that turns every failure into an
  error of its own) neither swallows it nor changes it into another error.  Deadlines nest:
  an inner one (a budget for one step) never extends an outer one, and an outer one's alarm
  passes through the inner one unchanged.  The alarm repeats every 50 ms until the block
  ends, so code that swallows it anyway (a bare ``except``, a ``__del__`` method or a weakref
  callback, whose exceptions Python only reports) is stopped by the next one; such a
  swallowed alarm is not reported, and a block that ends after swallowing it, before the
  next, raises the time limit all the same (what it computed cannot be trusted).  While a
  deadline opens and closes, Ctrl-C and the timer wait, so that an interrupt never leaves
  one half open.  A timer of the caller's own
  (``signal.setitimer(ITIMER_REAL, …)`` or ``signal.alarm``) that is pending when the outermost
  deadline opens is taken off for the block and set again when it closes, with the time it
  still had (at once, if it came due meanwhile) and its interval.  Without ``SIGALRM``
  (Windows) or outside the main thread (:func:`can_interrupt` is false) it only measures:
  there, only a worker process (below) limits a check, and
  :func:`symdl.grading.answers.check_gradient` runs one even when asked for ``Isolation.NONE``.
- :func:`run_isolated` runs a picklable function in a worker process and kills it when the
  time limit passes: this also stops code that does not return to the interpreter (a huge
  integer multiplication).  The worker's address space is limited to what it holds at its
  start plus ``memory_limit`` bytes (:data:`MEMORY_LIMIT`, 1 GiB, by default; Linux), so that a
  check that would fill the memory fails with :class:`MemoryLimitExceededError` instead.  A
  worker that cannot start, or dies before it answers (killed by the system's out-of-memory
  killer, a crash), raises :class:`WorkerError`, whose message names the cause and what to do.
- :func:`process_context` chooses how workers start: the start method the program set with
  ``multiprocessing.set_start_method``, if not the platform's default; else ``fork`` when no
  other thread runs; else a fork server, which (like ``spawn``) runs the main script's top
  level again in each worker unless it is guarded by ``if __name__ == "__main__":``.  For a
  script without that guard (:func:`unguarded_main`) it forks anyway, which does not run the
  script again; where fork is missing (Windows) it refuses with :class:`UnguardedMainError`,
  which says what to add.

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
>>> run_isolated(pow, 2, 10, timeout=30)
1024
"""

from __future__ import annotations

import ast
import contextlib
import gc
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from multiprocessing.connection import Connection
from typing import Any

__all__ = [
    "MEMORY_LIMIT",
    "MemoryLimitExceededError",
    "TimeLimitExceededError",
    "UnguardedMainError",
    "WorkerError",
    "WorkerStartError",
    "can_interrupt",
    "deadline",
    "limit_memory",
    "process_context",
    "run_isolated",
    "unguarded_main",
]

#: The memory (bytes) a worker process may take beyond what it holds when it starts, 1 GiB.
MEMORY_LIMIT = 1 << 30

_ACTIVE: list[float] = []  # the monotonic end times of the deadlines open in this process


class TimeLimitExceededError(TimeoutError):
    """A computation ran past its time limit and was stopped."""


class _Alarm(BaseException):
    """The timer's interruption while it travels from the running code to its :func:`deadline`.

    Not an ``Exception``: a broad ``except Exception`` on the way (in SymPy, or code that turns
    every failure into an error of its own) must neither swallow it nor turn it into another
    error.  The :func:`deadline` whose time is up raises :class:`TimeLimitExceededError`
    in its place.
    """


class WorkerError(RuntimeError):
    """The worker process of a check could not start, or died before it answered.

    The message names the cause (the signal that killed it, its exit code) and what to do.
    """


class WorkerStartError(WorkerError):
    """No worker process could be started (too many processes, an argument not picklable)."""


class UnguardedMainError(WorkerStartError):
    """A worker would run the main script again, which has no ``if __name__ == "__main__":``.

    Raised where the only ways to start a process (``spawn``, a fork server) import the main
    module again in the worker: its top-level code would run twice.
    """

    def __init__(self, path: str) -> None:
        super().__init__(
            f"a worker process would run the script {path} again (it has no "
            '`if __name__ == "__main__":` guard): add `if __name__ == "__main__":` before the '
            "code that should run once"
        )
        self.path = path

    def __reduce__(self) -> tuple[Any, ...]:
        return type(self), (self.path,)


class MemoryLimitExceededError(MemoryError):
    """A worker process ran out of the memory it was allowed, and the check was stopped."""

    def __init__(self, limit: int | None) -> None:
        if limit is None:
            message = "the check ran out of memory (the machine has no more to give)"
        else:
            message = (
                f"the check needed more than {_mib(limit)} of memory (limit: memory_limit = "
                f"{_mib(limit)} beyond what a worker holds at its start)"
            )
        super().__init__(message)
        self.limit = limit

    def __reduce__(self) -> tuple[Any, ...]:
        return type(self), (self.limit,)


def _mib(size: int) -> str:
    return f"{size / 2**20:g} MiB"


# -- the interrupting timer --------------------------------------------------------------------


def can_interrupt() -> bool:
    """Whether :func:`deadline` can stop code here: ``SIGALRM`` exists, on the main thread."""
    return hasattr(signal, "SIGALRM") and threading.current_thread() is threading.main_thread()


_FIRED = [0]  # the alarms raised in this process so far


def _on_alarm(signum: int, frame: Any) -> None:
    if frame is not None and frame.f_code in _CLEAN_UP:
        return  # a deadline is closing: it stops the timer and re-arms what is still open
    _FIRED[0] += 1
    raise _Alarm


def _drop_swallowed_alarms(previous: Callable[[Any], object]) -> Callable[[Any], None]:
    """An unraisable-exception hook that drops the alarms a finaliser swallowed.

    An alarm that lands in a ``__del__`` method or a weakref callback cannot propagate: Python
    reports it as "ignored" and goes on.  That report is noise (the timer repeats, so the limit
    still holds), and a test runner would count it as an error; anything else goes to
    ``previous``.
    """

    def hook(unraisable: Any) -> None:
        if not isinstance(unraisable.exc_value, _Alarm):
            previous(unraisable)

    return hook


def _arm(end: float) -> None:
    # the alarm repeats every 50 ms until disarmed: code that swallows one exception (a broad
    # ``except Exception`` inside a library) gets the next one
    signal.setitimer(signal.ITIMER_REAL, max(end - time.monotonic(), 1e-4), 0.05)


def _take_caller_timer() -> tuple[float, float] | None:
    """Stop the caller's pending ``ITIMER_REAL`` timer: its due time (monotonic) and interval."""
    remaining, interval = signal.setitimer(signal.ITIMER_REAL, 0)
    if remaining <= 0:
        return None
    return time.monotonic() + remaining, interval


#: The longest time limit accepted, a year (the interval timer refuses much longer ones).
MAX_SECONDS = 365 * 86400


def _check_seconds(value: object, name: str) -> None:
    if (
        not isinstance(value, (int, float))
        or isinstance(value, bool)
        or not 0 < value <= MAX_SECONDS
    ):
        raise ValueError(
            f"{name} = {value!r}: expected a positive, finite number of seconds, at most "
            f"{MAX_SECONDS} (symdl.core.limits.MAX_SECONDS)"
        )


@contextlib.contextmanager
def deadline(seconds: float) -> Iterator[None]:
    """Stop the enclosed code with :class:`TimeLimitExceededError` after ``seconds``.

    A timer of the caller's that is pending when the outermost deadline opens is set again
    when it closes, with the time it had left (at once if it came due) and its interval.
    Without ``SIGALRM`` or off the main thread (:func:`can_interrupt`), the block runs
    without a limit.

    Raises
    ------
    ValueError
        If ``seconds`` is not a positive number.
    """
    _check_seconds(seconds, "seconds")
    end = time.monotonic() + seconds
    if not can_interrupt():
        yield
        return
    previous = signal.getsignal(signal.SIGALRM)
    collecting = gc.isenabled()
    hook = sys.unraisablehook
    caller = None
    # Ctrl-C and the timer wait while the deadline's bookkeeping changes (their handlers run
    # after it): a KeyboardInterrupt in the middle would leave a deadline half open
    held = signal.pthread_sigmask(signal.SIG_BLOCK, _HELD) if _CAN_HOLD else None
    try:
        # The alarm must interrupt the computation, not a finaliser: an exception raised in a
        # garbage-collector callback, a ``__del__`` method or a weakref callback is reported
        # as "ignored" and swallowed.  Cyclic collection (whose callbacks and finalisers run
        # at unpredictable moments) is paused for the block, reference counting still frees
        # memory; an alarm swallowed anyway is not reported, and the repeating timer fires
        # again.
        gc.disable()
        sys.unraisablehook = _drop_swallowed_alarms(hook)
        if not _ACTIVE:  # the outermost deadline: the timer may be the caller's
            caller = _take_caller_timer()
        signal.signal(signal.SIGALRM, _on_alarm)
        _ACTIVE.append(end)
        _arm(min(_ACTIVE))
        _release_signals(held)
        held = None  # released: the mask is the caller's again
        fired = _FIRED[0]
        yield
        if _FIRED[0] != fired and time.monotonic() >= end - 1e-3:
            # the block's alarm was swallowed (a bare ``except`` that returned a fallback:
            # mpmath's from_float gives nan) and the block ended before the next one: what it
            # computed cannot be trusted
            raise TimeLimitExceededError(f"time limit of {seconds:g} s exceeded")
    except _Alarm:
        if time.monotonic() < end - 1e-3 and _ACTIVE and _ACTIVE[0] != end:
            raise  # an outer deadline's time is up: on to that one
        if time.monotonic() < end - 1e-3:  # a timer of the block's own, before the limit
            raise TimeLimitExceededError(
                f"interrupted by a timer before the time limit of {seconds:g} s"
            ) from None
        raise TimeLimitExceededError(f"time limit of {seconds:g} s exceeded") from None
    finally:
        # the C call itself, not a Python helper: a pending Ctrl-C could run on a helper's entry
        closing = signal.pthread_sigmask(signal.SIG_BLOCK, _HELD) if _CAN_HOLD else None
        try:
            _close(end, previous, collecting, hook, caller)
        finally:
            _release_signals(closing if held is None else held)


_HELD = frozenset(getattr(signal, name) for name in ("SIGINT", "SIGALRM") if hasattr(signal, name))


_CAN_HOLD = hasattr(signal, "pthread_sigmask")


def _release_signals(mask: Iterable[int] | None) -> None:
    """Restore the signal mask that holding Ctrl-C and the timer returned; what waited runs."""
    if mask is not None:
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)


def _close(
    end: float,
    handler: Any,
    collecting: bool,
    hook: Callable[[Any], object],
    caller: tuple[float, float] | None,
) -> None:
    """Stop the timer and restore what :func:`deadline` changed (no alarm is raised in here).

    Called with the timer's signal held: an alarm that came due meanwhile is this deadline's
    (or an outer one's, which fires again), and is dropped before the caller's handler, which
    may be the default that ends the process, is back.
    """
    _disarm()
    _drop_pending_alarm()
    if end not in _ACTIVE:  # closed already (an alarm cut an inner deadline's clean-up short)
        if _ACTIVE:
            _arm(min(_ACTIVE))
        return
    # this deadline, and any opened inside it whose clean-up an alarm cut short
    del _ACTIVE[_ACTIVE.index(end) :]
    signal.signal(signal.SIGALRM, signal.SIG_DFL if handler is None else handler)
    sys.unraisablehook = hook
    if collecting:
        gc.enable()
    if _ACTIVE:  # an outer deadline: its alarm, even one swallowed inside, fires again
        _arm(min(_ACTIVE))
    elif caller is not None:  # the caller's own timer, with the time it still had
        due, interval = caller
        signal.setitimer(signal.ITIMER_REAL, max(due - time.monotonic(), 1e-6), interval)


def _drop_pending_alarm() -> None:
    """Take a held, pending ``SIGALRM`` off (the timer is stopped: it is not the caller's)."""
    if hasattr(signal, "sigpending") and signal.SIGALRM in signal.sigpending():
        signal.sigwait({signal.SIGALRM})


def _disarm() -> None:
    # the alarm may fire just as the block ends, before the timer is stopped: absorb it here,
    # so that the clean-up always runs
    while True:
        try:
            signal.setitimer(signal.ITIMER_REAL, 0)
            return
        except _Alarm:
            continue


#: The code of the clean-up: an alarm that lands there is dropped (the clean-up re-arms).
_CLEAN_UP = frozenset(
    (
        _close.__code__,
        _disarm.__code__,
        _drop_pending_alarm.__code__,
        _release_signals.__code__,
        _arm.__code__,
        # the context manager around deadline(): an alarm there would skip _close
        contextlib._GeneratorContextManager.__enter__.__code__,
        contextlib._GeneratorContextManager.__exit__.__code__,
        deadline.__wrapped__.__code__,  # type: ignore[attr-defined]
    )
)


# -- the memory limit --------------------------------------------------------------------------


def _address_space() -> int | None:
    """The size of this process's address space in bytes (Linux), or ``None``."""
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            pages = int(statm.read().split()[0])
    except (OSError, ValueError, IndexError):
        return None
    return pages * os.sysconf("SC_PAGE_SIZE")


def limit_memory(extra: int) -> int | None:
    """Limit this process's address space to its present size plus ``extra`` bytes.

    For a worker process, at its start: past the limit an allocation fails with
    ``MemoryError`` instead of filling the machine's memory.  Only lowers a limit already
    set, never raises one.

    Returns
    -------
    int or None
        The limit set (bytes), or ``None`` where the platform has no such limit (only Linux
        enforces ``RLIMIT_AS`` and tells the address space's size).

    Raises
    ------
    ValueError
        If ``extra`` is not a positive number of bytes.
    """
    if isinstance(extra, bool) or not isinstance(extra, int) or extra <= 0:
        raise ValueError(f"extra = {extra!r}: expected a positive number of bytes, e.g. 2**30")
    try:
        import resource
    except ImportError:  # Windows
        return None
    size = _address_space()
    if size is None or not hasattr(resource, "RLIMIT_AS"):
        return None
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = size + extra
    for bound in (soft, hard):
        if bound != resource.RLIM_INFINITY:
            limit = min(limit, bound)
    try:
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (ValueError, OSError):
        return None
    return limit


# -- the worker process ------------------------------------------------------------------------

# what a worker sends back: (kind, value)
_RETURNED, _RAISED, _OUT_OF_MEMORY = "returned", "raised", "out of memory"


def _forget_inherited_deadlines() -> None:
    """A forked worker starts with no deadline open: those of the parent it was forked inside
    (their end times, cyclic garbage collection paused) are not its own."""
    if _ACTIVE:
        _ACTIVE.clear()
        gc.enable()
    if signal.getsignal(signal.SIGALRM) is _on_alarm:
        with contextlib.suppress(ValueError):  # not the main thread: no handler to reset
            signal.signal(signal.SIGALRM, signal.SIG_DFL)


if hasattr(os, "register_at_fork"):  # every fork: run_isolated's, grade()'s workers, the user's
    os.register_at_fork(after_in_child=_forget_inherited_deadlines)


def _child(
    connection: Connection,
    function: Callable[..., Any],
    args: tuple[Any, ...],
    memory_limit: int | None = None,
) -> None:
    limit = None  # the memory limit in force, if the platform has one
    message: tuple[str, Any]
    try:
        if memory_limit is not None and limit_memory(memory_limit) is not None:
            limit = memory_limit
        message = (_RETURNED, function(*args))
    except MemoryError:  # the large allocation failed, so there is memory to report it
        message = (_OUT_OF_MEMORY, limit)
    except Exception as error:  # reported to the parent, which re-raises it
        message = (_RAISED, error)
    except BaseException as error:  # SystemExit: the caller's process must not exit with it
        message = (_RAISED, WorkerError(f"the check stopped its worker ({_describe(error)})"))
    try:
        connection.send(message)
    except MemoryError:
        connection.send((_OUT_OF_MEMORY, limit))
    except Exception as error:  # a result or an exception that cannot be pickled
        connection.send(
            (_RAISED, WorkerError(f"the worker could not send its answer ({_describe(error)})"))
        )
    finally:
        connection.close()


def _describe(error: BaseException) -> str:
    return f"{type(error).__name__}: {str(error)[:200]}"


def unguarded_main() -> str | None:
    """The main script, if a worker started by ``spawn`` or a fork server would run it again.

    Such a worker imports the main module again (to find the functions it is given), which
    runs the script's top-level code a second time unless it is guarded by
    ``if __name__ == "__main__":``.  ``None`` when there is no script (an interactive session,
    a notebook, ``python -c``), for a package's ``__main__`` (never run again), and for a
    script that has the guard.
    """
    main = sys.modules.get("__main__")
    spec = getattr(main, "__spec__", None)
    name = getattr(spec, "name", None)
    if name is not None:  # python -m module
        if name == "__main__" or name.endswith(".__main__"):
            return None
        path = getattr(spec, "origin", None)
    else:
        path = getattr(main, "__file__", None)
    if not isinstance(path, str) or os.path.splitext(os.path.basename(path))[0] == "ipython":
        return None  # the ipython launcher is never run again either
    return None if _has_main_guard(path) else path


def _has_main_guard(path: str) -> bool:
    """Whether the script has a top-level ``if __name__ == "__main__":`` (read, not run)."""
    try:
        with open(path, "rb") as script:
            tree = ast.parse(script.read())
    except (OSError, SyntaxError, ValueError):
        return False
    return any(isinstance(node, ast.If) and _is_main_test(node.test) for node in tree.body)


def _is_main_test(test: ast.expr) -> bool:
    if not (isinstance(test, ast.Compare) and len(test.ops) == 1):
        return False
    if not isinstance(test.ops[0], ast.Eq):
        return False
    sides = (test.left, test.comparators[0])
    name = any(isinstance(s, ast.Name) and s.id == "__name__" for s in sides)
    main = any(isinstance(s, ast.Constant) and s.value == "__main__" for s in sides)
    return name and main


def process_context() -> Any:
    """The multiprocessing context for workers: fork when safe, else a fork server, else spawn.

    ``fork`` is fastest (SymPy is already imported) but can deadlock in the child when other
    threads run (in Jupyter, for one); a fork server started once with symdl preloaded is
    almost as fast for later checks; ``spawn`` (Windows) imports everything in each child.
    A fork server and ``spawn`` run the main script again in each worker: for a script
    without an ``if __name__ == "__main__":`` guard (:func:`unguarded_main`) this forks even
    with other threads running (a worker stuck on a lock is killed at its time limit).

    A program that chose a start method other than the platform's default
    (``multiprocessing.set_start_method("spawn")``, say) gets it, except that a script
    without the guard is forked all the same.  The default method itself cannot be told
    apart from one taken implicitly (any use of :mod:`multiprocessing` fixes it), so it is
    treated as no choice.

    Raises
    ------
    UnguardedMainError
        Where fork is missing (Windows) and the main script has no guard.
    """
    methods = multiprocessing.get_all_start_methods()
    chosen = multiprocessing.get_start_method(allow_none=True)
    if chosen is not None and chosen != methods[0] and chosen in methods:
        # the program chose a start method other than the platform's default (the first
        # listed): ``multiprocessing.set_start_method("spawn")``
        return _chosen_context(chosen, methods)
    if "fork" in methods and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    script = unguarded_main()
    if script is not None:
        if "fork" in methods:
            return multiprocessing.get_context("fork")
        raise UnguardedMainError(script)
    if "forkserver" in methods:
        return _chosen_context("forkserver", methods)
    return multiprocessing.get_context("spawn")


def _chosen_context(method: str, methods: list[str]) -> Any:
    """The context of ``method``; a script without a guard is forked instead (or refused)."""
    if method != "fork":
        script = unguarded_main()
        if script is not None:
            if "fork" not in methods:
                raise UnguardedMainError(script)
            return multiprocessing.get_context("fork")  # which does not run the script again
    context = multiprocessing.get_context(method)
    if method == "forkserver":
        context.set_forkserver_preload(["symdl.grading.answers", "symdl.grading.batch"])
    return context


def _signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return f"signal {number}"


def _died(exitcode: int | None, memory_limit: int | None, script: str | None) -> WorkerError:
    """Why a worker ended without an answer, and what to do."""
    if exitcode is not None and exitcode < 0:
        number = -exitcode
        if number == getattr(signal, "SIGKILL", None):
            return WorkerError(
                "the worker process was killed (SIGKILL: by another process, or by the "
                "system's out-of-memory killer when the machine runs out of memory): free "
                "memory or run fewer checks at once, then check again"
            )
        if number == getattr(signal, "SIGABRT", None) and memory_limit is not None:
            return WorkerError(
                f"the worker process aborted (SIGABRT), as native code does when an "
                f"allocation fails: the check probably needed more than {_mib(memory_limit)} "
                f"of memory (limit: memory_limit = {_mib(memory_limit)} beyond what a worker "
                "holds at its start)"
            )
        return WorkerError(
            f"the worker process was stopped by {_signal_name(number)} (a crash in native "
            "code, or a signal from another process): check again, and report the answer "
            "if it happens again"
        )
    message = f"the worker process exited (exit code {exitcode}) before it answered"
    if script is None:
        return WorkerError(f"{message}: see the error it wrote to standard error")
    return WorkerError(
        f"{message}: see the error it wrote to standard error; a worker runs the script "
        f'{script} again, so add `if __name__ == "__main__":` before the code that should '
        "run once, and define the functions a check uses outside it"
    )


def _main_script(context: Any) -> str | None:
    """The main script that a worker of ``context`` runs again (not with fork), if any."""
    if context.get_start_method() == "fork":
        return None
    main = sys.modules.get("__main__")
    path = getattr(main, "__file__", None)
    return path if isinstance(path, str) else None


def run_isolated(
    function: Callable[..., Any],
    *args: Any,
    timeout: float,
    memory_limit: int | None = MEMORY_LIMIT,
) -> Any:
    """``function(*args)`` in a worker process, killed if it runs past ``timeout`` seconds.

    ``function`` and ``args`` must be picklable where the platform spawns processes.  The
    worker may take ``memory_limit`` bytes beyond what it holds at its start
    (:func:`limit_memory`; ``None``: no limit).

    Raises
    ------
    TimeLimitExceededError
        If the worker did not finish in time (it is killed).
    MemoryLimitExceededError
        If the worker ran out of memory (an allocation past the limit failed).
    WorkerStartError
        If no worker could be started (:class:`UnguardedMainError`: a script without an
        ``if __name__ == "__main__":`` guard, where it would run again in the worker).
    WorkerError
        If the worker died before it answered (killed by a signal: the out-of-memory killer's
        SIGKILL, a crash), with the cause and what to do.
    Exception
        Whatever ``function`` raised, re-raised in the parent.
    """
    _check_seconds(timeout, "timeout")
    if memory_limit is not None and (
        isinstance(memory_limit, bool) or not isinstance(memory_limit, int) or memory_limit <= 0
    ):
        raise ValueError(
            f"memory_limit = {memory_limit!r}: expected a positive number of bytes "
            "(e.g. 2**30) or None for no limit"
        )
    if multiprocessing.current_process().daemon:  # e.g. a Dask worker started by a nanny
        raise WorkerStartError(
            "this process is daemonic and cannot start the process a check runs in (a "
            "daemonic process may have no children; a Dask worker started by a nanny is one): "
            "start the Dask workers with --no-nanny, or set distributed.worker.daemon to False "
            "(DASK_DISTRIBUTED__WORKER__DAEMON=False), or check in this process"
        )
    context = process_context()
    try:
        receiver, sender = context.Pipe(duplex=False)
    except OSError as error:
        raise WorkerStartError(
            f"could not start a worker process ({_describe(error)}): close files or "
            "processes, then check again"
        ) from error
    process = context.Process(
        target=_child, args=(sender, function, args, memory_limit), daemon=True
    )
    try:
        process.start()
    except Exception as error:  # no process: too many already, or an argument not picklable
        receiver.close()
        raise WorkerStartError(
            f"could not start a worker process ({_describe(error)}): if processes or memory "
            "ran short, check again later; if an argument cannot be pickled, check in this "
            "process"
        ) from error
    finally:
        sender.close()
    try:
        if not receiver.poll(timeout):
            raise TimeLimitExceededError(
                f"time limit of {timeout:g} s exceeded: the check was killed"
            )
        try:
            kind, value = receiver.recv()
        except EOFError:  # it died: its exit code says how
            kind, value = "died", None
        except Exception as error:  # an answer that cannot be unpickled here
            kind = _RAISED
            value = WorkerError(f"could not read the worker's answer ({_describe(error)})")
    finally:
        if process.is_alive():
            process.kill()
        process.join()
        receiver.close()
    if kind == "died":
        raise _died(process.exitcode, memory_limit, _main_script(context))
    if kind == _OUT_OF_MEMORY:
        raise MemoryLimitExceededError(value)
    if kind == _RAISED:
        raise value
    return value
