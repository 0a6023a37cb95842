"""Grading a class: many answers to one gradient problem, in parallel, under time limits.

:func:`grade` decides every answer with :func:`symdl.grading.answers.check_answer` in worker
processes, one per core.  Each worker builds the problem's
:class:`~symdl.referee.equivalence.Referee`
once (the true values at the sample points are computed once per worker, not per answer).
Every answer runs under the problem's time limit inside its worker; a worker that does not come
back within the limit plus a grace period is killed and replaced, and its answer is UNKNOWN.

The work is a map of the plain, picklable function :func:`~symdl.grading.answers.check_answer` over
the answers, so a cluster (Dask, Ray) can run it unchanged.

One student's answer never costs the others their grades, the machine its memory, or the
instructor the previous report:

- every row is decided and reported on its own.  An answer that cannot be checked, or whose
  verdict cannot be turned into text (an exact value with more digits than Python writes out),
  is that row's UNKNOWN with the reason; an answer longer than the parser reads
  (:data:`ANSWER_LIMIT`) is that row's NOT_COMPARABLE and never reaches a worker.  Identical
  answers are decided once.
- the workers end with the grading process: on Linux the kernel kills them when it exits,
  however it exits (``PR_SET_PDEATHSIG``); elsewhere they watch their parent.  A ``SIGTERM``
  stops them before the process ends.
- :meth:`GradeReport.write_csv` writes a temporary file next to the report and renames it over
  the report only when it is complete: an interrupted run leaves the previous report intact.
- a report's cells never run as spreadsheet formulas, whatever the separator a spreadsheet
  splits them on (OWASP's advice on CSV injection).

:func:`read_answer_sheet` reads the answers as spreadsheets write them (UTF-8, with or without
Excel's byte order mark; a row in another encoding is read as Windows-1252), and reports what
looks wrong in the file (a quote never closed, rows with cells out of place, duplicate ids) as
warnings, which never stop the batch.

:class:`GradeReport` holds the verdicts in input order and summarises them: how many are
correct, and the most common mistakes (by kind, and the most common identical wrong answers).

Examples
--------
>>> import sympy as sp
>>> from symdl.grading.answers import check_isolated, GradientProblem
>>> x = sp.Symbol("x", real=True)
>>> problem = GradientProblem.from_expression(x**3, x)
>>> report = grade(problem, [("ann", "3x^2"), ("bob", "x^2"), ("cy", "3x^2)")], workers=1)
>>> [row.verdict.outcome.name for row in report.rows]
['EQUIVALENT', 'DIFFERENT', 'NOT_COMPARABLE']
>>> report.correct
1
"""

from __future__ import annotations

import codecs
import collections
import concurrent.futures
import contextlib
import json
import math
import os
import pickle
import queue
import re
import secrets
import signal
import stat
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from symdl.core.limits import MemoryLimitExceededError, deadline, limit_memory, process_context
from symdl.core.registration import (
    RegistrationMismatchError,
    registrations,
    require_registrations,
)
from symdl.grading.answers import GradientProblem, check_answer, check_isolated
from symdl.grading.lexing import ParseLimits
from symdl.referee.equivalence import CheckOptions
from symdl.referee.verdict import Mistake, Outcome, Verdict

__all__ = [
    "ANSWER_LIMIT",
    "MAX_TIME_LIMIT",
    "AnswerSheet",
    "GradeReport",
    "GradedAnswer",
    "check_grading_options",
    "grade",
    "read_answer_sheet",
    "read_answers",
    "terminate_cleanly",
]

_GRACE = 3.0  # seconds past the time limit before a worker is killed

#: The longest answer that is decided (characters), the parser's own limit.  A longer answer is
#: its row's NOT_COMPARABLE, decided without a worker.
ANSWER_LIMIT: int = ParseLimits().max_length

#: The longest time limit per answer that :func:`grade` accepts (seconds): one day.
MAX_TIME_LIMIT: float = 86_400.0

_ID_LIMIT = 200  # characters of an id read from a file; a longer one is cut, with a warning
_PREVIEW = 80  # characters shown of an answer too long to decide


@dataclass(frozen=True)
class GradedAnswer:
    """One row of the report: the student's id, the answer text and its verdict.

    ``length`` is the answer's length in characters when ``answer`` holds only its beginning
    (a cell too large to keep, cut on reading); ``None`` when ``answer`` is the whole text.
    """

    id: str
    answer: str
    verdict: Verdict
    length: int | None = None

    @property
    def characters(self) -> int:
        """The length of the answer as submitted (characters)."""
        return len(self.answer) if self.length is None else self.length


# --- the workers ------------------------------------------------------------------------------

_PR_SET_PDEATHSIG = 1  # <linux/prctl.h>
_EXHAUSTED = 3  # the exit code of a worker that ran out of memory (it is replaced)


def _die_with_parent(expected_parent: int | None) -> None:
    """End this worker when its parent process ends, however that ends (even by SIGKILL).

    On Linux the kernel sends SIGKILL to the worker when its parent exits; elsewhere a thread
    polls the parent.  A worker whose parent is already gone exits at once.
    """
    parent = os.getppid()
    if expected_parent is not None and parent != expected_parent:
        os._exit(1)  # the grading process ended before this worker started
    armed = False
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            armed = libc.prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0) == 0
        except (OSError, AttributeError):
            armed = False
    if os.getppid() != parent:  # the parent ended before the death signal was armed
        os._exit(1)
    if not armed:
        threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(1)


def _ended(exitcode: int | None) -> str:
    """How a worker process ended, from its exit code."""
    if exitcode is not None and exitcode < 0:
        if -exitcode == getattr(signal, "SIGKILL", None):
            return "killed by SIGKILL: by the system when memory ran short, or by another process"
        try:
            return f"stopped by {signal.Signals(-exitcode).name}"
        except ValueError:
            return f"stopped by signal {-exitcode}"
    return f"exit code {exitcode}"


def _error_text(error: BaseException) -> str:
    try:
        message = str(error).split("\n", 1)[0]
    except Exception:  # an exception whose text cannot be made
        message = ""
    return f"{type(error).__name__}: {message[:200]}" if message else type(error).__name__


def _checked(
    problem: GradientProblem, text: str, options: CheckOptions, referee: Any, memory: int | None
) -> tuple[bytes, bool]:
    """The pickled verdict on one answer, and whether the worker ran out of memory.

    A verdict that cannot be written out is UNKNOWN; so is a check that ran out of memory
    (``memory``: the worker's limit, ``None`` where there is none).
    """
    exhausted = False
    start = time.perf_counter()
    try:
        verdict = check_answer(problem, text, options, referee)
    except MemoryError:
        exhausted = True
        verdict = Verdict(
            Outcome.UNKNOWN,
            f"could not decide: {MemoryLimitExceededError(memory)}",
            seconds=time.perf_counter() - start,
        )
    except Exception as error:  # one bad row never stops the batch
        verdict = Verdict(Outcome.UNKNOWN, f"could not be checked ({_error_text(error)})")
    try:
        # every row is written out later: find now whether this verdict can be (an exact value
        # with more digits than Python turns into text cannot), under the answer's time limit
        with deadline(options.time_limit):
            verdict.to_dict()
            return pickle.dumps(verdict, protocol=pickle.HIGHEST_PROTOCOL), exhausted
    except Exception as error:
        fallback = Verdict(
            Outcome.UNKNOWN,
            _unwritable(error),
            answer=verdict.answer if isinstance(verdict.answer, str) else None,
            seconds=verdict.seconds,
        )
        exhausted = exhausted or isinstance(error, MemoryError)
        return pickle.dumps(fallback, protocol=pickle.HIGHEST_PROTOCOL), exhausted


def _unwritable(error: Exception) -> str:
    """Why a verdict could not be written out, for the report."""
    if isinstance(error, ValueError) and "integer string conversion" in str(error):
        return (
            "the verdict could not be written out: an exact value in it has more than "
            f"{getattr(sys, 'get_int_max_str_digits', lambda: 4300)()} digits"
        )
    return f"the verdict could not be written out ({_error_text(error)})"


def _worker(
    problem: GradientProblem,
    options: CheckOptions,
    tasks: Any,
    results: Any,
    worker: int,
    parent: int | None,
    current: Any = None,
    expected: frozenset[tuple[str, str, str]] = frozenset(),
) -> None:
    """Check the answers on ``tasks``, reporting on ``results``; refuse (one "refused"
    message) when this process lacks an activation or a loss that the grading process
    registered (``expected``), which would turn students' answers into unknown names.

    ``current`` (a shared integer) holds the index + 1 of the answer being checked (0: none).
    The grading process reads it as well as the "start" message: a message waits for the
    queue's feeder thread, which native code holding the interpreter (a huge multiplication)
    may never let run, and the grading process would never know what to stop.
    """
    _die_with_parent(parent)
    try:
        require_registrations(expected)
    except RegistrationMismatchError as error:
        results.put(("refused", worker, -1, str(error)))
        return
    # Ctrl-C reaches the whole process group: the grading process stops the workers itself
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    # past the limit an allocation fails (None: the platform has no such limit)
    memory = options.memory_limit if limit_memory(options.memory_limit) is not None else None
    referee = problem.referee(options)
    try:  # the true values, once per worker (else lazily, under each answer's time limit)
        with deadline(options.time_limit):
            for k in range(len(referee.truth)):
                referee.truth_selected(k)
    except Exception:
        pass
    while True:
        item = tasks.get()
        if item is None:
            return
        index, text = item
        if current is not None:
            current.value = index + 1
        results.put(("start", worker, index, None))
        payload, exhausted = _checked(problem, text, options, referee, memory)
        results.put(("done", worker, index, payload))
        if current is not None:
            current.value = 0
        if exhausted:  # its memory may stay fragmented near the limit: a fresh worker goes on
            sys.exit(_EXHAUSTED)


class _Progress:
    """A one-line progress bar on a stream (stderr), for runs that take a while."""

    def __init__(self, total: int, stream: IO[str] | None) -> None:
        self.total, self.stream = total, stream
        self.start = self.last = time.monotonic()

    def update(self, done: int, *, final: bool = False) -> None:
        now = time.monotonic()
        if self.stream is None or (not final and now - self.last < 0.2):
            return
        if now - self.start < 1.0 and not final:
            return
        self.last = now
        width = 30
        filled = int(width * done / max(self.total, 1))
        rate = done / max(now - self.start, 1e-9)
        self.stream.write(
            f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{self.total} answers, {rate:.1f}/s"
        )
        if final:
            self.stream.write("\n")
        self.stream.flush()


class _Terminated(BaseException):
    """SIGTERM arrived: unwind (closing workers and files), then end as SIGTERM would."""


@contextlib.contextmanager
def terminate_cleanly() -> Iterator[None]:
    """Turn ``SIGTERM`` into an exception inside the block, so that clean-up code runs.

    Workers are stopped and temporary files removed; then the process ends by ``SIGTERM``,
    as it would have without the block.  Only in the main thread, and only while ``SIGTERM``
    has its default action (a program with its own handler keeps it).
    """
    if (
        not hasattr(signal, "SIGTERM")
        or threading.current_thread() is not threading.main_thread()
        or signal.getsignal(signal.SIGTERM) is not signal.SIG_DFL
    ):
        yield
        return

    def on_term(signum: int, frame: Any) -> None:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)  # one is enough: let clean-up finish
        raise _Terminated

    signal.signal(signal.SIGTERM, on_term)
    try:
        yield
    except _Terminated:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.raise_signal(signal.SIGTERM)
        raise  # only if SIGTERM did not end the process
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)


def _run_pool(
    problem: GradientProblem,
    texts: Sequence[str],
    options: CheckOptions,
    workers: int,
    progress: _Progress,
) -> list[Verdict]:
    context = process_context()
    tasks, results = context.Queue(), context.Queue()
    # a forked or spawned worker's parent is this process; a fork server's child's is the server
    parent = None if context.get_start_method() == "forkserver" else os.getpid()
    processes: dict[int, Any] = {}
    currents: dict[int, Any] = {}  # worker -> the shared index + 1 of the answer it checks
    verdicts: dict[int, Verdict] = {}
    running: dict[int, tuple[int, float]] = {}  # worker -> (answer index, start time)
    # answers whose start was read after their worker had been killed and replaced (it had
    # finished the answer it was killed for, and taken the next, before this process noticed)
    orphans: set[int] = set()
    served: set[int] = set()  # workers that have answered (so started well)
    expected = registrations()
    limit = options.time_limit + _GRACE
    sent = 0  # answers put on the queue: a few per worker ahead, never the whole class
    closed = False  # the end-of-work markers are on the queue
    next_id = 0

    def spawn() -> None:
        nonlocal next_id
        current = context.RawValue("q", 0)
        process = context.Process(
            target=_worker,
            args=(problem, options, tasks, results, next_id, parent, current, expected),
            daemon=True,
        )
        process.start()
        processes[next_id] = process
        currents[next_id] = current
        next_id += 1

    def feed() -> None:
        nonlocal sent, closed
        while sent < len(texts) and sent - len(verdicts) < 4 * workers:
            tasks.put((sent, texts[sent]))
            sent += 1
        if sent == len(texts) and not closed:
            for _ in processes:
                tasks.put(None)
            closed = True

    def receive(message: tuple[str, int, int, Any]) -> None:
        kind, worker, index, payload = message
        if kind == "refused":  # the course's registrations are missing: grade nothing
            raise RegistrationMismatchError(payload)
        if kind == "start":
            if worker in processes:
                if running.get(worker, (None,))[0] != index:  # else seen already (watch)
                    running[worker] = (index, time.monotonic())
            else:
                orphans.add(index)
            return
        served.add(worker)
        if running.get(worker, (None,))[0] == index:
            del running[worker]
        if index not in verdicts:
            try:
                verdicts[index] = pickle.loads(payload)
            except Exception as error:
                verdicts[index] = Verdict(
                    Outcome.UNKNOWN, f"the verdict could not be read ({_error_text(error)})"
                )

    def drain(wait: float) -> None:
        while True:
            try:
                receive(results.get(timeout=wait))
            except queue.Empty:
                return

    def watch() -> None:
        # what each worker checks, from its shared value: even one whose "start" message is
        # held up (see _worker)
        for worker, current in currents.items():
            index = current.value - 1
            if index >= 0 and index not in verdicts and running.get(worker, (None,))[0] != index:
                running[worker] = (index, time.monotonic())

    def replace(worker: int) -> None:
        process = processes.pop(worker)
        del currents[worker]
        if process.is_alive():
            process.kill()
        process.join()
        spawn()  # it took no end-of-work marker: its replacement takes one
        feed()

    def stop(worker: int, index: int, reason: str, seconds: float) -> None:
        del running[worker]
        verdicts.setdefault(index, Verdict(Outcome.UNKNOWN, reason, seconds=seconds))
        replace(worker)

    # the workers are stopped (finally) before a SIGTERM ends this process
    with terminate_cleanly():
        try:
            for _ in range(workers):
                spawn()
            feed()
            while len(verdicts) < len(texts):
                with contextlib.suppress(queue.Empty):
                    receive(results.get(timeout=0.25))
                feed()
                watch()
                now = time.monotonic()
                for worker, (index, started) in list(running.items()):
                    if running.get(worker) != (index, started):
                        continue  # done meanwhile
                    if now - started > limit:  # stuck beyond the interrupting timer: kill it
                        stop(
                            worker,
                            index,
                            f"could not decide within the time limit of "
                            f"{options.time_limit:g} s (the check was stopped)",
                            now - started,
                        )
                    elif not processes[worker].is_alive():  # crashed, or killed from outside
                        drain(0.05)  # its last messages, if it sent them
                        if running.get(worker, (None,))[0] == index:
                            how = _ended(processes[worker].exitcode)
                            stop(
                                worker,
                                index,
                                f"the worker checking this answer stopped ({how})",
                                now - started,
                            )
                for worker, process in list(processes.items()):
                    # a worker that ended on its own after some answers (out of memory, or
                    # killed from outside while idle): a fresh one takes over
                    idle = worker in served and worker not in running
                    if idle and not process.is_alive() and process.exitcode != 0:
                        drain(0.05)  # its last messages: it may have started another answer
                        if worker not in running:  # else stopped above on the next round
                            replace(worker)
                if orphans:  # what their killed workers sent before dying is here by now
                    drain(0.05)
                    for index in orphans - set(verdicts):
                        verdicts[index] = Verdict(
                            Outcome.UNKNOWN,
                            "the worker checking this answer was stopped (at the time limit "
                            "of the answer before it): grade this answer again",
                        )
                    orphans.clear()
                if not any(p.is_alive() for p in processes.values()):
                    drain(1.0)  # the last messages of workers that have exited
                    for index in set(range(len(texts))) - set(verdicts):
                        verdicts[index] = Verdict(
                            Outcome.UNKNOWN, "the worker checking this answer exited unexpectedly"
                        )
                progress.update(len(verdicts))
        finally:
            for process in processes.values():
                if process.is_alive():
                    process.kill()
            for process in processes.values():
                process.join()
            # stop the queue's feeder thread, so that later forks happen in a one-thread process
            tasks.cancel_join_thread()
            tasks.close()
            tasks.join_thread()
            results.close()
    progress.update(len(verdicts), final=True)
    return [verdicts[i] for i in range(len(texts))]


# --- grading ----------------------------------------------------------------------------------


def check_grading_options(options: CheckOptions | None) -> CheckOptions:
    """The options :func:`grade` will use; refuse those it cannot honour.

    Raises
    ------
    TypeError
        If ``options`` is not a :class:`~symdl.referee.equivalence.CheckOptions`.
    ValueError
        If the time limit is not a finite number of seconds in (0, :data:`MAX_TIME_LIMIT`].
    """
    if options is None:
        return CheckOptions()
    if not isinstance(options, CheckOptions):
        raise TypeError(f"options = {options!r:.80}: give a CheckOptions")
    seconds = options.time_limit
    if not (isinstance(seconds, (int, float)) and math.isfinite(seconds)) or not (
        0 < seconds <= MAX_TIME_LIMIT
    ):
        raise ValueError(
            f"time_limit = {seconds!r}: the time limit per answer must be a number of seconds "
            f"with 0 < time_limit ≤ {MAX_TIME_LIMIT:g} (one day); set e.g. time_limit = 10 "
            "under [check] in the problem file"
        )
    return options


def grade(
    problem: GradientProblem,
    answers: Iterable[tuple[str, str]],
    *,
    options: CheckOptions | None = None,
    workers: int | None = None,
    progress: IO[str] | None = None,
    executor: concurrent.futures.Executor | None = None,
) -> GradeReport:
    """Decide every ``(id, answer text)`` pair; the report keeps the input order.

    Parameters
    ----------
    problem : GradientProblem
    answers : Iterable[tuple[str, str]] or AnswerSheet
        The student's id and the answer text.  An :class:`AnswerSheet` (from
        :func:`read_answer_sheet`) brings its warnings into the report.
    options : CheckOptions or None
        Points, precision and the per-answer time limit (at most :data:`MAX_TIME_LIMIT`).
    workers : int or None
        Worker processes (default: the machine's cores).
    progress : typing.TextIO or None
        A text stream: where to draw a progress bar for runs longer than a second (e.g.
        ``sys.stderr``).
    executor : concurrent.futures.Executor or None
        Run the checks on this executor instead of symdl's own pool (``workers`` is then
        ignored): a thread or process pool, or a cluster's (``dask.distributed``'s
        ``Client.get_executor()``).  Each answer is one task that decides it in a killable
        worker process (:func:`~symdl.grading.answers.check_isolated`), so the time and memory
        limits hold per answer, and a task that fails becomes that answer's UNKNOWN verdict.

    Returns
    -------
    GradeReport
        One row per answer.  Nothing one answer does stops the others: an answer longer than
        :data:`ANSWER_LIMIT` characters is NOT_COMPARABLE, one that cannot be checked or whose
        verdict cannot be written out is UNKNOWN, each with the reason.

    Raises
    ------
    ValueError
        If an item is not an (id, answer) pair, ``workers`` is not positive, or the time limit
        is out of range.

    Examples
    --------
    >>> import sympy as sp
    >>> x = sp.Symbol("x", real=True)
    >>> problem = GradientProblem.from_expression(x**2, x)
    >>> report = grade(problem, [("a", "2x"), ("b", "x" * 20_000)], workers=1)
    >>> print(report.rows[1].verdict.reason)
    the answer is 20000 characters long; at most 10000 are accepted: shorten it
    """
    sheet = answers if isinstance(answers, AnswerSheet) else None
    rows = list(sheet.answers) if sheet is not None else [_row(pair) for pair in answers]
    options = check_grading_options(options)
    count = workers if workers is not None else (os.cpu_count() or 1)
    if not isinstance(count, int) or isinstance(count, bool) or count < 1:
        raise ValueError(f"workers = {workers!r}: give a positive number of processes")
    lengths = list(sheet.lengths) if sheet is not None else [len(a) for _, a in rows]
    if sheet is not None:
        warnings = sheet.warnings
    else:
        places = [f"{n}" for n in range(1, len(rows) + 1)]
        warnings = tuple(_duplicates([i for i, _ in rows], places, "rows"))
    started = time.monotonic()
    verdicts: list[Verdict | None] = [None] * len(rows)
    distinct: dict[str, list[int]] = {}  # identical answers are decided once
    for n, ((_, text), length) in enumerate(zip(rows, lengths, strict=True)):
        if length > ANSWER_LIMIT:
            verdicts[n] = Verdict(
                Outcome.NOT_COMPARABLE,
                f"the answer is {length} characters long; at most {ANSWER_LIMIT} are "
                "accepted: shorten it",
                mistakes=(Mistake.SYNTAX,),
            )
        else:
            distinct.setdefault(text, []).append(n)
    texts = list(distinct)
    if texts:
        count = min(count, len(texts))
        bar = _Progress(len(texts), progress)
        if executor is not None:
            decided = _run_executor(problem, texts, options, executor, bar)
        else:
            decided = _run_pool(problem, texts, options, count, bar)
        for text, verdict in zip(texts, decided, strict=True):
            for n in distinct[text]:
                verdicts[n] = verdict
    graded = tuple(
        GradedAnswer(i, a, v, None if length == len(a) else length)
        for (i, a), v, length in zip(rows, verdicts, lengths, strict=True)
        if v is not None
    )
    return GradeReport(problem.statement, graded, time.monotonic() - started, warnings)


def _run_executor(
    problem: GradientProblem,
    texts: Sequence[str],
    options: CheckOptions,
    executor: concurrent.futures.Executor,
    progress: _Progress,
) -> list[Verdict]:
    """Each answer as one task of ``executor``; a task that raises is that answer's UNKNOWN."""
    if not isinstance(executor, concurrent.futures.Executor):
        raise TypeError(
            f"executor = {executor!r:.80}: give a concurrent.futures.Executor (a thread or "
            "process pool, or dask.distributed's Client.get_executor())"
        )
    expected = registrations()  # what this process registered, checked in every worker
    futures = {
        executor.submit(check_isolated, problem, text, options, registered=expected): n
        for n, text in enumerate(texts)
    }
    verdicts: list[Verdict | None] = [None] * len(texts)
    for future in concurrent.futures.as_completed(futures):
        n = futures[future]
        try:
            verdicts[n] = future.result()
        except Exception as error:  # the executor lost the task: one answer, not the batch
            verdicts[n] = Verdict(
                Outcome.UNKNOWN, f"the executor could not check this answer ({_error_text(error)})"
            )
        progress.update(sum(v is not None for v in verdicts))
    progress.update(len(texts), final=True)
    return [v for v in verdicts if v is not None]


def _row(pair: object) -> tuple[str, str]:
    if isinstance(pair, (str, bytes)) or not isinstance(pair, Sequence) or len(pair) != 2:
        raise ValueError(f"answer {pair!r:.80}: give (id, answer text) pairs, e.g. ('s01', '2x')")
    return str(pair[0]), str(pair[1])


def _places(places: Sequence[str], noun: str) -> str:
    """``lines 3, 7, 9`` (the first ten, and how many in all)."""
    shown = ", ".join(places[:10])
    more = f", … ({len(places)} in all)" if len(places) > 10 else ""
    plural = len(places) > 1 or "–" in places[0]  # several, or one range
    return f"{noun if plural else noun[:-1]} {shown}{more}"


def _duplicates(ids: Sequence[str], places: Sequence[str], noun: str) -> list[str]:
    where: dict[str, list[str]] = {}
    for identifier, place in zip(ids, places, strict=True):
        where.setdefault(identifier, []).append(place)
    repeated = [(i, p) for i, p in where.items() if len(p) > 1]
    if not repeated:
        return []
    named = "; ".join(f"{_clip(i, 40)} ({_places(p, noun)})" for i, p in repeated[:10])
    more = f"; … ({len(repeated)} ids in all)" if len(repeated) > 10 else ""
    return [f"duplicate ids: {named}{more}; each row is graded and reported on its own"]


def _clip(text: str, limit: int, length: int | None = None) -> str:
    """``text``, or its beginning, an ellipsis and its length when it is longer than ``limit``."""
    total = len(text) if length is None else length
    if total <= limit:
        return text
    return f"{text[:limit]}… ({total} characters)"


# --- the report -------------------------------------------------------------------------------


def _verdict_record(verdict: Verdict) -> dict[str, Any]:
    """``verdict.to_dict()``; a verdict that cannot be written out becomes an UNKNOWN one."""
    try:
        return verdict.to_dict()
    except Exception as error:
        return Verdict(Outcome.UNKNOWN, _unwritable(error), seconds=verdict.seconds).to_dict()


@dataclass(frozen=True)
class GradeReport:
    """The verdicts on a class's answers, in input order, and their summary.

    ``warnings`` are what looked wrong in the answers file (a row not in UTF-8, a quote never
    closed, duplicate ids): each names the rows.  They never stop the grading.
    """

    statement: str
    rows: tuple[GradedAnswer, ...]
    seconds: float = 0.0
    warnings: tuple[str, ...] = ()

    @property
    def correct(self) -> int:
        """How many answers are correct."""
        return sum(row.verdict.correct for row in self.rows)

    def outcomes(self) -> dict[str, int]:
        """The number of answers with each outcome."""
        counts = collections.Counter(row.verdict.outcome.name for row in self.rows)
        return {outcome.name: counts[outcome.name] for outcome in Outcome}

    def common_mistakes(self, top: int = 5) -> list[tuple[str, int]]:
        """The most common kinds of mistake, and the most common identical wrong answers."""
        kinds = collections.Counter(
            mistake.value for row in self.rows for mistake in row.verdict.mistakes
        )
        wrong = collections.Counter(
            row.verdict.answer
            for row in self.rows
            if row.verdict.outcome is Outcome.DIFFERENT and row.verdict.answer
        )
        listed = [(kind, n) for kind, n in kinds.most_common(top)]
        listed += [
            (f"the answer {_clip(answer, _PREVIEW)}", n)
            for answer, n in wrong.most_common(top)
            if n > 1
        ]
        return listed

    def summary(self) -> str:
        """A few lines for the terminal, in the lecture's notation."""
        n = len(self.rows)
        lines = [self.statement, f"{self.correct} of {n} answers correct"]
        outcomes = ", ".join(
            f"{k.lower().replace('_', ' ')}: {v}" for k, v in self.outcomes().items() if v
        )
        lines.append(
            f"  ({outcomes}); {self.seconds:.1f} s, {n / max(self.seconds, 1e-9):.1f} answers/s"
        )
        mistakes = self.common_mistakes()
        if mistakes:
            lines.append("most common mistakes:")
            lines += [f"  {count:>5} × {what}" for what, count in mistakes]
        if self.warnings:
            lines.append("warnings about the answers file:")
            lines += [f"  {warning}" for warning in self.warnings]
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: the summary and one record per answer.

        An answer longer than :data:`ANSWER_LIMIT` is echoed cut, with an ellipsis and its
        length.
        """
        records: dict[int, dict[str, Any]] = {}  # identical answers share one verdict
        verdicts = []
        for row in self.rows:
            record = records.get(id(row.verdict))
            if record is None:
                record = records[id(row.verdict)] = _verdict_record(row.verdict)
            text = row.answer
            if row.characters > ANSWER_LIMIT:  # never echo a huge cell
                text = _clip(row.answer[:_PREVIEW], _PREVIEW, row.characters)
            verdicts.append({"id": _clip(row.id, _ID_LIMIT), "text": text, **record})
        return {
            "statement": self.statement,
            "answers": len(self.rows),
            "correct": self.correct,
            "outcomes": self.outcomes(),
            "common_mistakes": [{"mistake": m, "count": c} for m, c in self.common_mistakes()],
            "seconds": round(self.seconds, 3),
            "warnings": list(self.warnings),
            "verdicts": verdicts,
        }

    def write_csv(self, path: str | Path) -> None:
        """One row per answer: id, correct, outcome, reason, counterexample, values, …

        ``read_as`` is the answer as symdl read it (SymPy's form), to settle what a text meant.
        No cell can run as a spreadsheet formula, whichever of ``,``, ``;`` or tab a
        spreadsheet splits the file on: a cell containing ``;`` or a tab is quoted, and a
        ``'`` (which spreadsheets show as text) goes before any part of a cell that would start
        with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return (an id such as
        ``=HYPERLINK(…)``, a value such as ``-3/2``).  Read the values with :meth:`to_dict`
        (``--json``) when a program consumes them.

        The report is written to a temporary file in the same directory, synced to disk, and
        renamed over ``path``: a run stopped while writing leaves the previous report intact.
        """
        columns = ["id", "correct", "outcome", "reason", "mistakes", "counterexample",
                   "true_value", "submitted_value", "difference", "method", "read_as",
                   "seconds"]  # fmt: skip

        def write(handle: IO[str]) -> None:
            handle.write(_csv_line(columns))
            lines: dict[int, str] = {}  # identical answers share one verdict: one line's end
            for row in self.rows:
                rest = lines.get(id(row.verdict))
                if rest is None:
                    record = _verdict_record(row.verdict)
                    record["read_as"] = record["answer"]  # how the text was read
                    record["mistakes"] = ";".join(record["mistakes"])
                    point = record["counterexample"]
                    record["counterexample"] = "" if point is None else json.dumps(point)
                    rest = lines[id(row.verdict)] = _csv_line(
                        [_as_cell(record.get(k)) for k in columns[1:]]
                    )
                handle.write(_csv_line([_as_cell(_clip(row.id, _ID_LIMIT))])[:-2] + "," + rest)

        with terminate_cleanly():
            _write_atomically(Path(path), write)


def _write_atomically(path: Path, write: Callable[[IO[str]], None]) -> None:
    """Write a text file through a temporary file in its directory, renamed over it at the end."""
    directory = path.parent
    temporary = directory / f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp"
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with open(descriptor, "w", encoding="utf-8", newline="") as handle:
            write(handle)
            handle.flush()
            os.fsync(handle.fileno())
        with contextlib.suppress(OSError):  # keep the permissions of the report it replaces
            os.chmod(temporary, stat.S_IMODE(os.stat(path).st_mode))
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    with contextlib.suppress(OSError, AttributeError):  # the rename itself, on disk
        directory_descriptor = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(directory_descriptor)
        finally:
            os.close(directory_descriptor)


#: a place where a spreadsheet may start a cell (the text's start, or after a separator it may
#: split on) followed by a character that makes that cell a formula
_FORMULA = re.compile(r"(^|[,;\t\r\n])(?=[=+\-@\t\r])")
_NEEDS_QUOTES = re.compile(r'[,;"\t\r\n]')


def _as_cell(value: object) -> str:
    """A CSV cell that a spreadsheet shows as it is, never runs as a formula (OWASP's advice).

    >>> _as_cell("-3/2"), _as_cell("s18;=1+1;"), _as_cell(None)
    ("'-3/2", "s18;'=1+1;", '')
    """
    if value is None:
        return ""
    text = str(value)
    return _FORMULA.sub(r"\1'", text) if _FORMULA.search(text) else text


def _csv_line(cells: Sequence[str]) -> str:
    """One CSV line; a cell containing a comma, semicolon, tab, quote or line break is quoted."""
    quoted = (
        '"' + cell.replace('"', '""') + '"' if _NEEDS_QUOTES.search(cell) else cell
        for cell in cells
    )
    return ",".join(quoted) + "\r\n"


# --- reading the answers ----------------------------------------------------------------------

#: Kept for code that refers to it.  Cells are no longer refused by size when read; an answer
#: longer than :data:`ANSWER_LIMIT` is its row's NOT_COMPARABLE.
FIELD_LIMIT = 64 * 2**20

_CHUNK = 1 << 16  # characters read at a time: a longer line is read in pieces
_KEEP = 1 << 16  # bytes of a cell kept (enough for ANSWER_LIMIT characters); the rest is counted
_MAX_CELLS = 64  # cells of a row kept; more are counted
_START, _PLAIN, _QUOTED, _QUOTE = range(4)  # the states of the CSV reader


def _legacy(raw: bytes) -> str:
    """Text that is not UTF-8, read as Excel writes it on Western systems."""
    try:
        return raw.decode("cp1252")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


class _Cell:
    """A cell being read (as Latin-1, one character per byte): its beginning, and its length."""

    __slots__ = ("chars", "decoder", "parts", "size")

    def __init__(self, text: str = "") -> None:
        self.parts = [text] if text else []
        self.size = len(text)
        self.decoder: Any = None  # counts the characters of a cell longer than _KEEP bytes
        self.chars = 0

    def add(self, text: str) -> None:
        if not text:
            return
        room = _KEEP - self.size
        if room > 0:
            self.parts.append(text[:room])
        if len(text) > room:
            if self.decoder is None:
                self.decoder = codecs.getincrementaldecoder("utf-8")("replace")
                self.chars = len(self.decoder.decode("".join(self.parts).encode("latin-1")))
            self.chars += len(self.decoder.decode(text[max(room, 0) :].encode("latin-1")))
        self.size += len(text)

    def text(self) -> tuple[str, int, bool]:
        """The cell's text (its beginning, for a long one), its length, and whether UTF-8."""
        raw = "".join(self.parts).encode("latin-1")
        if self.decoder is None:
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError:
                text = _legacy(raw)
                return text, len(text), False
            return text, len(text), True
        length = self.chars + len(self.decoder.decode(b"", final=True))
        try:  # a character cut in two at the end of the part kept is dropped
            return codecs.getincrementaldecoder("utf-8")().decode(raw), length, True
        except UnicodeDecodeError:
            return _legacy(raw), length, False


class _Record:
    """One CSV record: the line it starts on, the line it ends on, its cells."""

    __slots__ = ("cells", "count", "end", "line", "unterminated")

    def __init__(self, line: int, texts: Sequence[str] = ()) -> None:
        self.line = self.end = line
        self.cells = [_Cell(t) for t in texts[:_MAX_CELLS]]
        self.count = len(texts)
        self.unterminated = False

    def new_cell(self) -> _Cell:
        self.count += 1
        cell = _Cell()
        if len(self.cells) < _MAX_CELLS:
            self.cells.append(cell)
        return cell  # past _MAX_CELLS: read, counted, not kept

    def blank(self) -> bool:
        return all(cell.size == 0 for cell in self.cells)


def _records(handle: IO[str]) -> Iterator[_Record]:
    """The records of a CSV file (Excel's dialect) opened as Latin-1 text with ``newline=""``.

    Reads as Python's :mod:`csv` module does (a doubled quote inside quotes stands for one, text
    after a closing quote is kept), in pieces of at most ``_CHUNK`` characters, keeping at most
    ``_KEEP`` bytes of any cell: a huge cell costs time, not memory.  Blank lines are skipped.
    """
    line = 1
    record: _Record | None = None
    cell = _Cell()
    state = _START
    eol = False
    while True:
        piece = handle.readline(_CHUNK)
        if not piece:
            break
        eol = piece[-1] in "\r\n"
        end = len(piece) - (2 if piece.endswith("\r\n") else 1) if eol else len(piece)
        if record is None:
            if eol and '"' not in piece:  # the common case: a whole line without quotes
                if end > 0:
                    yield _Record(line, piece[:end].split(","))
                line += 1
                continue
            record = _Record(line)
            cell = record.new_cell()
            state = _START
        p = 0
        while p < end:
            if state == _START:
                if piece[p] == '"':
                    state, p = _QUOTED, p + 1
                    continue
                state = _PLAIN
            if state == _PLAIN:
                q = piece.find(",", p, end)
                cell.add(piece[p : end if q < 0 else q])
                if q < 0:
                    p = end
                else:
                    cell, state, p = record.new_cell(), _START, q + 1
            elif state == _QUOTED:
                q = piece.find('"', p, end)
                cell.add(piece[p : end if q < 0 else q])
                p, state = (end, _QUOTED) if q < 0 else (q + 1, _QUOTE)
            else:  # a quote inside quotes: doubled, it stands for itself; else the quotes end
                char = piece[p]
                if char == '"':
                    cell.add('"')
                    state, p = _QUOTED, p + 1
                elif char == ",":
                    cell, state, p = record.new_cell(), _START, p + 1
                else:
                    state = _PLAIN
        if not eol:
            continue
        if state == _QUOTED:  # a line break inside quotes belongs to the cell
            cell.add(piece[end:])
        else:
            record.end = line
            yield record
            record, state = None, _START
        line += 1
    if record is not None:  # the end of the file, in a row
        record.end = line - 1 if eol else line
        record.unterminated = state == _QUOTED
        yield record


@dataclass(frozen=True)
class AnswerSheet:
    """A class's answers as read from a CSV file, and what looked wrong in the file.

    Iterating over a sheet gives its ``(id, answer)`` pairs, so it can be passed to
    :func:`grade` as it is: the report then carries the sheet's warnings.

    Attributes
    ----------
    answers : tuple of (str, str)
        The student's id and the answer text, in the file's order.
    lines : tuple of int
        The line of the file on which each row starts.
    lengths : tuple of int
        The length of each answer in the file (characters).  An answer longer than
        :data:`ANSWER_LIMIT` is kept cut to ``ANSWER_LIMIT + 1`` characters.
    warnings : tuple of str
        What looked wrong, naming the lines: rows not in UTF-8, a quote never closed, rows
        whose cells do not match the header, long ids, duplicate ids.
    """

    answers: tuple[tuple[str, str], ...]
    lines: tuple[int, ...] = ()
    lengths: tuple[int, ...] = ()
    warnings: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        n = len(self.answers)
        if not self.lines:
            object.__setattr__(self, "lines", tuple(range(2, n + 2)))
        if not self.lengths:
            object.__setattr__(self, "lengths", tuple(len(a) for _, a in self.answers))
        if len(self.lines) != n or len(self.lengths) != n:
            raise ValueError(
                f"AnswerSheet: {n} answers, {len(self.lines)} lines and {len(self.lengths)} "
                "lengths: give one line and one length per answer"
            )

    def __iter__(self) -> Iterator[tuple[str, str]]:
        return iter(self.answers)

    def __len__(self) -> int:
        return len(self.answers)


def read_answer_sheet(path: str | Path) -> AnswerSheet:
    """The answers in a CSV file with a header naming the columns ``id`` and ``answer``.

    The file is read as spreadsheets write it: UTF-8, with or without Excel's byte order mark
    ("CSV UTF-8"); a row that is not UTF-8 is read as Windows-1252 (Excel's plain "CSV" on
    Western systems), with a warning naming it.  Nothing in the file's rows stops the reading:
    what looks wrong is reported in :attr:`AnswerSheet.warnings` (a quote that is never closed,
    or a quoted cell running over several lines, either of which merges rows; a row whose cells
    do not match the header, as when an answer containing a comma is not quoted; an id longer
    than 200 characters, cut; duplicate ids).  A cell of any size is read in constant memory.

    Raises
    ------
    ValueError
        If the header lacks ``id`` or ``answer``, or the file is UTF-16.
    OSError
        If the file cannot be read.

    Examples
    --------
    >>> import tempfile
    >>> path = Path(tempfile.mkdtemp()) / "answers.csv"
    >>> _ = path.write_bytes(b'\\xef\\xbb\\xbfid,answer\\ns1,2x\\ns1,"[x, 1]"\\n')
    >>> sheet = read_answer_sheet(path)
    >>> sheet.answers
    (('s1', '2x'), ('s1', '[x, 1]'))
    >>> sheet.warnings
    ('duplicate ids: s1 (lines 2, 3); each row is graded and reported on its own',)
    """
    with Path(path).open(encoding="latin-1", newline="") as handle:
        head = handle.read(3)
        if head.startswith(("\xff\xfe", "\xfe\xff")):
            raise ValueError(
                f"{path} is UTF-16 text (Excel's 'Unicode Text'): save it as "
                "'CSV UTF-8 (Comma delimited)' and grade that file"
            )
        if head != "\xef\xbb\xbf":  # Excel's byte order mark, which is not part of the header
            handle.seek(0)
        records = _records(handle)
        header = next(records, None)
        names = [] if header is None else [c.text()[0].strip() for c in header.cells]
        columns: dict[str, int] = {}
        for n, name in enumerate(names):
            columns.setdefault(name.lower(), n)
        if "id" not in columns or "answer" not in columns:
            found = [_clip(name, 40) for name in names[:10]]
            raise ValueError(
                f"{path}: the first row must be a header with the columns 'id' and "
                f"'answer' (found {found})"
            )
        return _sheet(records, len(names), columns["id"], columns["answer"])


def _sheet(records: Iterator[_Record], width: int, id_column: int, column: int) -> AnswerSheet:
    answers: list[tuple[str, str]] = []
    lines: list[int] = []
    lengths: list[int] = []
    legacy: list[str] = []
    misplaced: list[str] = []
    long_ids: list[str] = []
    spans: list[str] = []
    warnings: list[str] = []
    for record in records:
        if record.blank() and not record.unterminated:
            continue  # an empty row (spreadsheets write them as ",")
        line = record.line
        identifier, id_length, id_ok = _cell(record, id_column)
        text, length, ok = _cell(record, column)
        if not (id_ok and ok):
            legacy.append(str(line))
        if id_length > _ID_LIMIT:
            identifier = _clip(identifier[:_ID_LIMIT], _ID_LIMIT, id_length)
            long_ids.append(str(line))
        extra = record.cells[width:]
        if record.count < width or any(c.size for c in extra) or record.count > _MAX_CELLS:
            misplaced.append(str(line))
        if record.unterminated:
            warnings.append(
                f"line {line}: a quote opened in this row is never closed, so the rest of the "
                f"file (to line {record.end}) was read into it: add the closing quote"
            )
        elif record.end > line:
            spans.append(f"{line}–{record.end}")
        answers.append((identifier or f"row {line}", text[: ANSWER_LIMIT + 1]))
        lines.append(line)
        lengths.append(length)
    if legacy:
        warnings.append(
            f"{_places(legacy, 'lines')}: not UTF-8, read as Windows-1252 (Latin-1): check "
            "the names there, or save the file as 'CSV UTF-8'"
        )
    if misplaced:
        warnings.append(
            f"{_places(misplaced, 'lines')}: the cells do not match the header's {width} "
            "columns (an answer that contains a comma must be in double quotes); the cell "
            "under 'answer' was graded"
        )
    if spans:
        warnings.append(
            f"{_places(spans, 'lines')}: a quoted cell runs over several lines; if a closing "
            "quote is missing there, the rows in between were read into it"
        )
    if long_ids:
        warnings.append(
            f"{_places(long_ids, 'lines')}: the id is longer than {_ID_LIMIT} characters "
            "and was cut"
        )
    warnings += _duplicates([i for i, _ in answers], [str(n) for n in lines], "lines")
    return AnswerSheet(tuple(answers), tuple(lines), tuple(lengths), tuple(warnings))


def _cell(record: _Record, column: int) -> tuple[str, int, bool]:
    if column >= len(record.cells):
        return "", 0, True
    return record.cells[column].text()


def read_answers(path: str | Path) -> list[tuple[str, str]]:
    """The ``(id, answer)`` pairs of a CSV file with a header naming ``id`` and ``answer``.

    The pairs of :func:`read_answer_sheet`, without its warnings (read the sheet to have them).

    Raises
    ------
    ValueError
        If the header lacks ``id`` or ``answer``, or the file is UTF-16.
    """
    return list(read_answer_sheet(path).answers)
