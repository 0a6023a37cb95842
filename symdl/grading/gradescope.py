r"""Gradescope autograder results: one student's answer to a gradient problem, as
``results.json``.

Gradescope runs a course's autograder (a zip holding ``setup.sh`` and ``run_autograder``) in a
container, once per submission: the zip's files are in ``/autograder/source``, the student's
files in ``/autograder/submission``, and ``run_autograder`` must leave the results in
``/autograder/results/results.json``.  That file holds a top-level ``score``, ``output`` and
``visibility``, and a list of ``tests``, each with its ``name``, ``score``, ``max_score``,
``status`` (``passed`` or ``failed``), ``output`` and ``visibility``.

:func:`grade_submission` reads the student's answer (:func:`read_submission`), decides it with
:func:`~symdl.grading.answers.check_gradient` in a worker process killed at the problem's time
limit, and returns those results: one test, the problem, worth ``max_score`` when the answer is
right and 0 otherwise, whose output is the verdict's explanation in the lecture's notation
(:func:`symdl.grading.notebooks.explanation`).  Nothing a student submits makes it raise: a
missing, empty, binary or oversized file, an answer that cannot be read, a hostile one (an
exponent tower, a name that is not the problem's) and one that cannot be decided in time all
score 0 with the reason.  :func:`write_results` writes the file atomically: Gradescope never
reads half of it.  ``symdl grade PROBLEM SUBMISSION --format gradescope --out results.json``
does all three.

References
----------
Gradescope, *Autograder Specifications* (file hierarchy; output format; test case
visibility and status; output string formatting),
https://gradescope-autograders.readthedocs.io/en/latest/specs/.

Examples
--------
>>> import sympy as sp
>>> from symdl.grading.answers import GradientProblem, Isolation, check_gradient
>>> w, x = sp.symbols("w x", real=True)
>>> problem = GradientProblem.from_expression(sp.tanh(w * x), w)
>>> verdict = check_gradient(problem, "x sech^2(w x)", isolation=Isolation.NONE)
>>> results = gradescope_results(verdict, name="d/dw tanh(w x)", max_score=2)
>>> results["score"], results["tests"][0]["status"]
(2.0, 'passed')
"""

from __future__ import annotations

import codecs
import enum
import json
import math
import os
import stat
import time
from pathlib import Path
from typing import IO, Any

from symdl.grading.answers import GradientProblem, check_gradient
from symdl.grading.batch import ANSWER_LIMIT, _write_atomically
from symdl.grading.notebooks import Feedback, explanation
from symdl.referee.equivalence import CheckOptions
from symdl.referee.verdict import Mistake, Outcome, Verdict

__all__ = [
    "ANSWER_FILE",
    "MAX_SUBMISSION_BYTES",
    "Visibility",
    "grade_submission",
    "gradescope_results",
    "read_submission",
    "write_results",
]

#: The file of a submission folder that holds the answer, when the folder holds several.
ANSWER_FILE = "answer.txt"
#: The largest answer file read, in bytes, room for :data:`~symdl.grading.batch.ANSWER_LIMIT`
#: characters of four bytes each.
MAX_SUBMISSION_BYTES = 4 * ANSWER_LIMIT + 16
#: The longest test name (characters); a longer problem statement is cut.
MAX_NAME = 200


class Visibility(enum.Enum):
    """When Gradescope shows a test (or the whole results) to the student."""

    VISIBLE = "visible"  #: always (Gradescope's default)
    HIDDEN = "hidden"  #: never
    AFTER_DUE_DATE = "after_due_date"  #: once the (late) due date has passed
    AFTER_PUBLISHED = "after_published"  #: once the grades are published


#: Folders an archiving tool adds beside the student's files (macOS's Finder).
_ARCHIVE_LITTER = frozenset({"__MACOSX"})
#: How many single folders deep the answer is looked for (a zip of the folder holding it).
_MAX_NESTING = 3


def _visible(path: Path) -> list[Path]:
    return sorted(
        p for p in path.iterdir() if not p.name.startswith(".") and p.name not in _ARCHIVE_LITTER
    )


def _submission_file(path: Path) -> Path:
    """The answer file of a submission: ``path`` itself, or the one file of a folder.

    A folder holding nothing but one folder (a student who zipped the folder of the answer)
    is looked into, up to :data:`_MAX_NESTING` levels.
    """
    if not path.is_dir() or path.is_symlink():
        return path
    for _ in range(_MAX_NESTING + 1):
        named = path / ANSWER_FILE
        if named.exists() or named.is_symlink():
            return named
        entries = _visible(path)
        files = [p for p in entries if p.is_file() or p.is_symlink() or not p.is_dir()]
        folders = [p for p in entries if p.is_dir() and not p.is_symlink()]
        if files or len(folders) != 1:
            break
        path = folders[0]
    if not files:
        found = f" (only the folders {', '.join(p.name for p in folders[:5])})" if folders else ""
        raise ValueError(
            f"the submission has no file{found}: upload one text file ({ANSWER_FILE}) holding "
            "your answer"
        )
    if len(files) > 1:
        names = ", ".join(p.name for p in files[:5]) + (", …" if len(files) > 5 else "")
        raise ValueError(
            f"the submission has {len(files)} files ({names}): upload one text file, or name "
            f"the one holding your answer {ANSWER_FILE}"
        )
    return files[0]


class _NotRegularFileError(OSError):
    """The path is a pipe, a device, a socket or a folder: nothing to read an answer from."""


def _read_regular_file(file: Path, limit: int) -> bytes:
    """At most ``limit`` bytes of ``file``, which must be a regular file.

    It is opened without blocking and checked on the open descriptor, so that a named pipe
    (whose ``open`` would wait for a writer forever) or a device (``/dev/zero``, endless) is
    refused before anything is read.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0)
    descriptor = os.open(file, flags)
    try:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            raise _NotRegularFileError(f"{file} is not a regular file")
        chunks = []
        remaining = limit
        while remaining > 0:
            chunk = os.read(descriptor, min(remaining, 1 << 16))
            if not chunk:
                break
            chunks.append(chunk)
            remaining -= len(chunk)
        return b"".join(chunks)
    finally:
        os.close(descriptor)


def read_submission(path: str | Path) -> str:
    """The answer in a submission: a UTF-8 text file, or a folder holding one.

    A folder (Gradescope's ``/autograder/submission``) must hold one file, or a file named
    :data:`ANSWER_FILE` among others; a folder that holds only one folder (the student zipped
    the folder of the answer) is looked into.  Hidden files and ``__MACOSX`` are ignored.
    Only a regular file is read: a link, a named pipe or a device is refused unread.  The
    text is returned without a byte order mark and without the blank lines and spaces around
    it.

    Raises
    ------
    ValueError
        With a message for the student: no file, several files, a link or another file that
        is not a regular file, a file larger than :data:`MAX_SUBMISSION_BYTES`, not UTF-8
        text, or empty.

    Examples
    --------
    >>> import tempfile
    >>> folder = tempfile.TemporaryDirectory()
    >>> _ = Path(folder.name, "gradient.txt").write_text("2 x\\n", encoding="utf-8")
    >>> read_submission(folder.name)
    '2 x'
    >>> _ = Path(folder.name, "notes.txt").write_text("scratch", encoding="utf-8")
    >>> read_submission(folder.name)
    Traceback (most recent call last):
    ...
    ValueError: the submission has 2 files (gradient.txt, notes.txt): upload one text file, ...
    >>> folder.cleanup()
    """
    file = _submission_file(Path(path))
    name = file.name
    if file.is_symlink():
        raise ValueError(f"{name} is a link, not a file: upload the text file itself")
    try:
        raw = _read_regular_file(file, MAX_SUBMISSION_BYTES + 1)
    except FileNotFoundError:
        raise ValueError(
            f"no file {name} was submitted: upload a text file holding your answer"
        ) from None
    except _NotRegularFileError:
        raise ValueError(
            f"{name} is not a regular file (a pipe, a device or a folder): upload the text file "
            "itself"
        ) from None
    except OSError as error:
        raise ValueError(f"{name} could not be read ({error.strerror})") from None
    if len(raw) > MAX_SUBMISSION_BYTES:
        raise ValueError(
            f"{name} is larger than {MAX_SUBMISSION_BYTES:,} bytes; an answer has at most "
            f"{ANSWER_LIMIT:,} characters: submit the gradient only"
        )
    try:
        text = raw.removeprefix(codecs.BOM_UTF8).decode("utf-8")
    except UnicodeDecodeError as error:
        raise ValueError(
            f"{name} is not UTF-8 text (byte {error.start}): save your answer as plain text (UTF-8)"
        ) from None
    text = text.strip()
    if not text:
        raise ValueError(f"{name} is empty: write your gradient in it, e.g. 2 x sech^2(w x)")
    return text


def _max_score(value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"max_score = {value!r}: give a number of points, e.g. 1")
    if not (math.isfinite(value) and value > 0):
        raise ValueError(f"max_score = {value!r}: give a positive, finite number of points")
    return float(value)


def _visibility(value: object) -> str:
    if not isinstance(value, Visibility):
        raise TypeError(
            f"visibility = {value!r}: give a Visibility (VISIBLE, HIDDEN, AFTER_DUE_DATE, "
            "AFTER_PUBLISHED)"
        )
    return value.value


def gradescope_results(
    verdict: Verdict,
    *,
    name: str,
    max_score: float = 1.0,
    visibility: Visibility = Visibility.VISIBLE,
    feedback: Feedback = Feedback.POINT,
    output: str | None = None,
) -> dict[str, Any]:
    """The results of one answer, in Gradescope's ``results.json`` format.

    One test, named ``name``, with ``max_score`` points if the answer is right (its status
    ``passed``) and 0 otherwise (``failed``); its output is the verdict's
    :func:`~symdl.grading.notebooks.explanation` (plain text).  The top-level score is the
    test's.

    Parameters
    ----------
    verdict : Verdict
        The decision on the answer.
    name : str
        The test's name (the problem); cut to 200 characters.
    max_score : float
        The points of a right answer (default 1).
    visibility : Visibility
        When the student sees the test and the score (default: at once).
    feedback : Feedback
        How much the output tells about a wrong answer (default: the mistake and the
        counterexample, not the difference, which would give the true gradient away).
    output : str or None
        The text shown above the tests (default: none).

    Returns
    -------
    dict
        JSON-ready: ``score``, ``output`` (plain text: ``output_format`` is ``"text"``),
        ``visibility``, ``tests``.
    """
    if not isinstance(verdict, Verdict):
        raise TypeError(f"verdict = {verdict!r:.80}: give a symdl.referee.verdict.Verdict")
    if not isinstance(name, str) or not name.strip():
        raise TypeError(f"name = {name!r:.80}: give the test's name (text)")
    if output is not None and not isinstance(output, str):
        raise TypeError(f"output = {output!r:.80}: give text, or None")
    points = _max_score(max_score)
    shown = _visibility(visibility)
    name = " ".join(name.split())
    if len(name) > MAX_NAME:
        name = name[: MAX_NAME - 1] + "…"
    score = points if verdict.correct else 0.0
    test = {
        "name": name,
        "score": score,
        "max_score": points,
        "status": "passed" if verdict.correct else "failed",
        "output": explanation(verdict, feedback=feedback),
        "output_format": "text",
        "visibility": shown,
    }
    return {
        "score": score,
        "output": output or "",
        # the top-level output is rendered as HTML ("simple_format") unless told otherwise:
        # the problem's title may hold "<" (σ(z) < 1), which must be shown, not parsed
        "output_format": "text",
        "visibility": shown,
        "tests": [test],
    }


def grade_submission(
    problem: GradientProblem,
    submission: str | Path,
    *,
    options: CheckOptions | None = None,
    name: str | None = None,
    max_score: float = 1.0,
    visibility: Visibility = Visibility.VISIBLE,
    feedback: Feedback = Feedback.POINT,
) -> dict[str, Any]:
    """Decide a student's submission and return Gradescope's results for it.

    The answer is read from ``submission`` (a text file, or Gradescope's submission folder:
    :func:`read_submission`) and decided in a worker process killed at ``options.time_limit``
    (:func:`~symdl.grading.answers.check_gradient`).  Whatever the submission holds, the
    results are returned: an unreadable file, an answer that cannot be read or decided score
    0, with the reason as the test's output.

    Parameters
    ----------
    problem : GradientProblem
        The problem (e.g. from :func:`symdl.grading.problem_files.load_problem`).
    submission : str or pathlib.Path
        The answer file, or the folder holding it.
    options : CheckOptions or None
        Points, precision and time limit (the problem file's ``[check]``).
    name : str or None
        The test's name (default: the problem's statement, its title).
    max_score, visibility, feedback
        As for :func:`gradescope_results`.

    Returns
    -------
    dict
        The results (:func:`gradescope_results`); the top-level output names the problem.

    Examples
    --------
    >>> import sympy as sp, tempfile
    >>> x = sp.Symbol("x", real=True)
    >>> problem = GradientProblem.from_expression(x**3, x)
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     _ = Path(folder, "answer.txt").write_text("3 x^2", encoding="utf-8")
    ...     right = grade_submission(problem, folder)
    ...     _ = Path(folder, "answer.txt").write_text("__import__('os')", encoding="utf-8")
    ...     hostile = grade_submission(problem, folder)
    >>> right["score"], hostile["score"]
    (1.0, 0.0)
    >>> print(hostile["tests"][0]["output"])
    NOT_COMPARABLE: unexpected '_'; expected a number, a symbol, a function or '(' at column 1
    """
    if not isinstance(problem, GradientProblem):
        raise TypeError(
            f"problem = {problem!r:.80}: give a GradientProblem (e.g. from "
            "symdl.grading.problem_files.load_problem)"
        )
    title = problem.statement if name is None else name
    _max_score(max_score)  # refuse bad options before any work
    _visibility(visibility)
    start = time.perf_counter()
    try:
        answer = read_submission(submission)
    except ValueError as error:
        verdict = Verdict(Outcome.NOT_COMPARABLE, str(error), mistakes=(Mistake.SYNTAX,))
    else:
        try:
            verdict = check_gradient(problem, answer, options=options)
        except Exception as error:  # nothing a student submits may end the autograder
            verdict = Verdict(
                Outcome.UNKNOWN,
                f"could not be checked ({type(error).__name__}: {str(error)[:200]}); your "
                "instructor will grade it",
                seconds=time.perf_counter() - start,
            )
    return gradescope_results(
        verdict,
        name=title,
        max_score=max_score,
        visibility=visibility,
        feedback=feedback,
        output=f"Problem: {title}",
    )


def write_results(results: dict[str, Any], path: str | Path) -> None:
    """Write ``results`` as JSON to ``path`` atomically (a temporary file renamed over it).

    Gradescope reads ``/autograder/results/results.json`` when ``run_autograder`` ends: a run
    stopped while writing leaves no half-written file.  The JSON is ASCII (other characters
    escaped), so its reader needs no encoding.

    Raises
    ------
    TypeError
        If ``results`` is not a dict that JSON can hold.
    OSError
        If the folder of ``path`` does not exist or cannot be written.
    """
    if not isinstance(results, dict):
        raise TypeError(f"results = {results!r:.80}: give the dict of gradescope_results")
    try:
        text = json.dumps(results, indent=2, ensure_ascii=True, allow_nan=False) + "\n"
    except (TypeError, ValueError) as error:
        raise TypeError(f"results cannot be written as JSON: {error}") from None

    def write(handle: IO[str]) -> None:
        handle.write(text)

    _write_atomically(Path(path), write)
