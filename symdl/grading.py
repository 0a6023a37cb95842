"""Grading a class: many answers to one gradient problem, in parallel, under time limits.

:func:`grade` decides every answer with :func:`symdl.gradcheck.check_answer` in worker
processes, one per core.  Each worker builds the problem's :class:`~symdl.equivalence.Referee`
once (the true values at the sample points are computed once per worker, not per answer).
Every answer runs under the problem's time limit inside its worker; a worker that does not come
back within the limit plus a grace period is killed and replaced, and its answer is UNKNOWN.
One bad row never stops the batch.

The work is a map of the plain, picklable function :func:`~symdl.gradcheck.check_answer` over
the answers, so a cluster (Dask, Ray) can run it unchanged (DESIGN.md, Scale).

:class:`GradeReport` holds the verdicts in input order and summarises them: how many are
correct, and the most common mistakes (by kind, and the most common identical wrong answers).

Examples
--------
>>> import sympy as sp
>>> from symdl.gradcheck import GradientProblem
>>> x = sp.Symbol("x", real=True)
>>> problem = GradientProblem.from_expression(x**3, x)
>>> report = grade(problem, [("ann", "3x^2"), ("bob", "x^2"), ("cy", "3x^2)")], workers=1)
>>> [row.verdict.outcome.name for row in report.rows]
['EQUIVALENT', 'DIFFERENT', 'NOT_COMPARABLE']
>>> report.correct
1
"""

from __future__ import annotations

import collections
import csv
import json
import os
import queue
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from symdl.deadline import TimeLimitExceededError, deadline, process_context
from symdl.equivalence import CheckOptions
from symdl.gradcheck import GradientProblem, check_answer
from symdl.verdict import Outcome, Verdict

__all__ = ["GradeReport", "GradedAnswer", "grade", "read_answers"]

_GRACE = 3.0  # seconds past the time limit before a worker is killed


@dataclass(frozen=True)
class GradedAnswer:
    """One row of the report: the student's id, the answer text and its verdict."""

    id: str
    answer: str
    verdict: Verdict


def _worker(
    problem: GradientProblem, options: CheckOptions, tasks: Any, results: Any, worker: int
) -> None:
    referee = problem.referee(options)
    try:  # the true values, once per worker (else lazily, under each answer's time limit)
        with deadline(options.time_limit):
            for k in range(len(referee.truth)):
                referee.truth_selected(k)
    except TimeLimitExceededError:
        pass
    while True:
        item = tasks.get()
        if item is None:
            return
        index, text = item
        results.put(("start", worker, index, None))
        try:
            verdict = check_answer(problem, text, options, referee)
        except Exception as error:  # one bad row never stops the batch
            verdict = Verdict(Outcome.UNKNOWN, f"could not be checked ({type(error).__name__})")
        results.put(("done", worker, index, verdict))


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


def _drain(results: Any, verdicts: dict[int, Verdict]) -> None:
    while True:
        try:
            kind, _, index, verdict = results.get(timeout=1.0)
        except queue.Empty:
            return
        if kind == "done":
            verdicts.setdefault(index, verdict)


def _run_pool(
    problem: GradientProblem,
    texts: Sequence[str],
    options: CheckOptions,
    workers: int,
    progress: _Progress,
) -> list[Verdict]:
    context = process_context()
    tasks, results = context.Queue(), context.Queue()
    for item in enumerate(texts):
        tasks.put(item)
    processes: dict[int, Any] = {}
    next_id = 0

    def spawn() -> None:
        nonlocal next_id
        process = context.Process(
            target=_worker, args=(problem, options, tasks, results, next_id), daemon=True
        )
        process.start()
        processes[next_id] = process
        next_id += 1

    for _ in range(workers):
        tasks.put(None)
        spawn()
    verdicts: dict[int, Verdict] = {}
    running: dict[int, tuple[int, float]] = {}  # worker -> (answer index, start time)
    limit = options.time_limit + _GRACE
    try:
        while len(verdicts) < len(texts):
            try:
                kind, worker, index, verdict = results.get(timeout=0.25)
            except queue.Empty:
                kind = ""
            if kind == "start":
                running[worker] = (index, time.monotonic())
            elif kind == "done":
                running.pop(worker, None)
                verdicts.setdefault(index, verdict)
            now = time.monotonic()
            for worker, (index, started) in list(running.items()):
                if now - started > limit:  # stuck beyond the interrupting timer: kill it
                    stuck = processes.pop(worker)
                    stuck.kill()
                    stuck.join()
                    del running[worker]
                    verdicts[index] = Verdict(
                        Outcome.UNKNOWN,
                        f"could not decide within the time limit of {options.time_limit:g} s "
                        "(the check was stopped)",
                        seconds=now - started,
                    )
                    spawn()
            if not any(p.is_alive() for p in processes.values()):
                _drain(results, verdicts)  # the last messages of workers that have exited
                for index in set(range(len(texts))) - set(verdicts):
                    verdicts[index] = Verdict(
                        Outcome.UNKNOWN, "the worker checking this answer exited unexpectedly"
                    )
            progress.update(len(verdicts))
    finally:
        for process in processes.values():
            if process.is_alive():
                process.kill()
            process.join()
        # stop the queue's feeder thread, so that later forks happen in a one-thread process
        if len(verdicts) < len(texts):
            tasks.cancel_join_thread()
        tasks.close()
        tasks.join_thread()
        results.close()
    progress.update(len(verdicts), final=True)
    return [verdicts[i] for i in range(len(texts))]


def grade(
    problem: GradientProblem,
    answers: Iterable[tuple[str, str]],
    *,
    options: CheckOptions | None = None,
    workers: int | None = None,
    progress: IO[str] | None = None,
) -> GradeReport:
    """Decide every ``(id, answer text)`` pair; the report keeps the input order.

    Parameters
    ----------
    problem : GradientProblem
    answers : iterable of (str, str)
        The student's id and the answer text.
    options : CheckOptions, optional
        Points, precision and the per-answer time limit.
    workers : int, optional
        Worker processes (default: the machine's cores).
    progress : text stream, optional
        Where to draw a progress bar for runs longer than a second (e.g. ``sys.stderr``).
    """
    rows = [_row(pair) for pair in answers]
    if options is not None and not isinstance(options, CheckOptions):
        raise TypeError(f"options = {options!r:.80}: give a CheckOptions")
    options = options or CheckOptions()
    count = workers if workers is not None else (os.cpu_count() or 1)
    if not isinstance(count, int) or count < 1:
        raise ValueError(f"workers = {workers!r}: give a positive number of processes")
    count = min(count, max(len(rows), 1))
    started = time.monotonic()
    verdicts = (
        _run_pool(problem, [a for _, a in rows], options, count, _Progress(len(rows), progress))
        if rows
        else []
    )
    graded = tuple(GradedAnswer(i, a, v) for (i, a), v in zip(rows, verdicts, strict=True))
    return GradeReport(problem.statement, graded, time.monotonic() - started)


def _row(pair: object) -> tuple[str, str]:
    if isinstance(pair, (str, bytes)) or not isinstance(pair, Sequence) or len(pair) != 2:
        raise ValueError(f"answer {pair!r:.80}: give (id, answer text) pairs, e.g. ('s01', '2x')")
    return str(pair[0]), str(pair[1])


@dataclass(frozen=True)
class GradeReport:
    """The verdicts on a class's answers, in input order, and their summary."""

    statement: str
    rows: tuple[GradedAnswer, ...]
    seconds: float = 0.0

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
        listed += [(f"the answer {answer}", n) for answer, n in wrong.most_common(top) if n > 1]
        return listed

    def summary(self) -> str:
        """A few lines for the terminal."""
        n = len(self.rows)
        lines = [f"{self.statement}", f"{self.correct} of {n} answers correct"]
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
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: the summary and one record per answer."""
        return {
            "statement": self.statement,
            "answers": len(self.rows),
            "correct": self.correct,
            "outcomes": self.outcomes(),
            "common_mistakes": [{"mistake": m, "count": c} for m, c in self.common_mistakes()],
            "seconds": round(self.seconds, 3),
            "verdicts": [{"id": r.id, "text": r.answer, **r.verdict.to_dict()} for r in self.rows],
        }

    def write_csv(self, path: str | Path) -> None:
        """One row per answer: id, correct, outcome, reason, counterexample, values, …

        ``read_as`` is the answer as symdl read it (SymPy's form), to settle what a text meant.
        A cell that a spreadsheet would run as a formula (it starts with ``=``, ``+``, ``-``,
        ``@``, a tab or a carriage return: an id such as ``=HYPERLINK(…)``, or a value such as
        ``-3/2``) is written with a leading ``'``, which spreadsheets show as text; read the
        values with :meth:`to_dict` (``--json``) when a program consumes them.
        """
        columns = ["id", "correct", "outcome", "reason", "mistakes", "counterexample",
                   "true_value", "submitted_value", "difference", "method", "read_as",
                   "seconds"]  # fmt: skip
        with Path(path).open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=columns, extrasaction="ignore")
            writer.writeheader()
            for row in self.rows:
                record = row.verdict.to_dict()
                record["id"] = row.id
                record["read_as"] = record["answer"]  # how the text was read
                record["mistakes"] = ";".join(record["mistakes"])
                point = record["counterexample"]
                record["counterexample"] = "" if point is None else json.dumps(point)
                writer.writerow({k: _as_cell(record.get(k)) for k in columns})


_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _as_cell(value: object) -> object:
    """A CSV cell that a spreadsheet shows as it is, never runs as a formula (OWASP's advice)."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


#: The largest CSV cell read (bytes): a longer answer is read, then refused by the parser's
#: own length limit, so that one absurd row never stops the batch.
FIELD_LIMIT = 64 * 2**20


def read_answers(path: str | Path) -> list[tuple[str, str]]:
    """The ``(id, answer)`` pairs of a CSV file with a header naming ``id`` and ``answer``.

    Raises
    ------
    ValueError
        If the header lacks ``id`` or ``answer``, or the file is not readable as CSV.
    """
    previous = csv.field_size_limit(max(csv.field_size_limit(), FIELD_LIMIT))
    try:
        with Path(path).open(newline="", encoding="utf-8", errors="replace") as handle:
            reader = csv.DictReader(handle)
            fields = reader.fieldnames or []
            if "id" not in fields or "answer" not in fields:
                raise ValueError(
                    f"{path}: the first row must be a header with the columns 'id' and "
                    f"'answer' (found {fields})"
                )
            return [
                (row.get("id") or f"row {n}", row.get("answer") or "")
                for n, row in enumerate(reader, start=2)
            ]
    except csv.Error as error:
        raise ValueError(
            f"{path}: not readable as CSV ({error}); write one answer per row: id,answer"
        ) from None
    finally:
        csv.field_size_limit(previous)
