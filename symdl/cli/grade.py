"""``symdl grade``: grade a class's answers to one gradient problem.

``symdl grade PROBLEM.toml ANSWERS.csv [--out report.csv] [--json] [--workers N]``: the answers
file has a header with the columns ``id`` and ``answer`` (UTF-8, as Excel's "CSV UTF-8"
writes it; a row in another encoding is read as Windows-1252, with a warning); the report has
one row per answer (correct, outcome, reason, counterexample, …); no cell of it runs as a
spreadsheet formula (``=…``, ``-3/2`` are written with a leading ``'``).  A summary (how many
are correct, the most common mistakes) is printed, as JSON with ``--json``; without ``--out``
only the summary is printed.  What looks wrong in
the answers file (a quote never closed, duplicate ids, …) is printed on stderr as warnings,
and listed in the summary; it never stops the grading, nor does any one answer.  Runs on every
core; a progress bar is drawn on stderr when it is a terminal (or with ``--progress``).

The report is replaced only once it is complete: a run stopped by Ctrl-C or ``SIGTERM`` stops
its workers and leaves the previous report intact.

``--scheduler ADDRESS`` checks the answers on the workers of a Dask cluster instead of this
machine's cores (:mod:`symdl.grading.cluster`; install ``symdl[dask]``): ``ADDRESS`` is the
scheduler's, as ``dask scheduler`` prints it (``tcp://10.0.0.5:8786``).  Each answer is
checked on a worker under the problem's time and memory limits.  A scheduler that does not
answer within 10 s, or whose workers cannot start processes, ends the command with status 2
and what to do.

``symdl grade PROBLEM.toml SUBMISSION --format gradescope [--out results.json] [--max-score
POINTS]`` grades one student's answer for a Gradescope autograder
(:mod:`symdl.grading.gradescope`): ``SUBMISSION`` is a UTF-8 text file holding the answer, or
the submission folder holding one such file (or ``answer.txt`` among others); the results
(one test worth ``--max-score`` points, 1 by default, whose output explains the verdict) are
written to ``--out`` atomically, or printed.  Whatever the student submitted, results are
written (an unreadable or hostile answer scores 0, with the reason); only a problem that
cannot be read ends with status 2.

Exit status: 0 when the batch was graded (whatever the answers), 2 for bad input, 130 when
interrupted by Ctrl-C (a ``SIGTERM`` ends the command as it ends any process).
"""

from __future__ import annotations

import argparse
import concurrent.futures
import contextlib
import enum
import json
import sys

from symdl.core.limits import WorkerStartError
from symdl.grading.batch import check_grading_options, grade, read_answer_sheet, terminate_cleanly
from symdl.grading.cluster import scheduler_executor
from symdl.grading.gradescope import grade_submission, write_results
from symdl.grading.lexing import AnswerSyntaxError
from symdl.grading.problem_files import load_problem

NAME = "grade"
HELP = "grade a CSV of answers (id, answer) to a gradient problem file; summarise, write a report"


class Format(enum.Enum):
    """What ``symdl grade`` writes."""

    REPORT = "report"  #: a class's summary, and a CSV report with --out
    GRADESCOPE = "gradescope"  #: one submission's results.json for a Gradescope autograder


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("problem", help="the problem file (.toml)")
    parser.add_argument(
        "answers",
        help="the answers (CSV with columns id, answer); with --format gradescope, one "
        "student's answer: a text file, or the submission folder holding it",
    )
    parser.add_argument(
        "--out", default=None, help="where to write the report (CSV); without it, the summary only"
    )
    parser.add_argument(
        "--json", action="store_true", help="print the summary and every verdict as JSON"
    )
    parser.add_argument(
        "--workers", type=int, default=None, help="worker processes (default: one per core)"
    )
    parser.add_argument(
        "--scheduler",
        default=None,
        metavar="ADDRESS",
        help="check the answers on the Dask cluster whose scheduler is at ADDRESS "
        "(tcp://HOST:8786) instead of this machine's cores; needs symdl[dask]",
    )
    parser.add_argument(
        "--progress",
        action="store_true",
        help="draw a progress bar on stderr even when it is not a terminal",
    )
    parser.add_argument(
        "--format",
        choices=[f.value for f in Format],
        default=Format.REPORT.value,
        help="report: grade a class's CSV (summary; CSV report with --out); gradescope: grade "
        "one submission and write Gradescope's results.json to --out (or print it)",
    )
    parser.add_argument(
        "--max-score",
        type=float,
        default=None,
        metavar="POINTS",
        help="with --format gradescope: the points of a right answer (default 1)",
    )


def run(args: argparse.Namespace) -> int:
    try:
        with terminate_cleanly():  # SIGTERM: stop the workers, remove the temporary report
            return _run(args)
    except KeyboardInterrupt:
        print(
            "symdl grade: interrupted; the report was not written (a previous one is unchanged)",
            file=sys.stderr,
        )
        return 130


def _run(args: argparse.Namespace) -> int:
    if args.format == Format.GRADESCOPE.value or args.max_score is not None:
        return _run_gradescope(args)
    try:
        problem, options = load_problem(args.problem)
        options = check_grading_options(options)
        sheet = read_answer_sheet(args.answers)
        for warning in sheet.warnings:
            print(f"symdl grade: warning: {warning}", file=sys.stderr)
        stream = sys.stderr if args.progress or sys.stderr.isatty() else None
        with _executor(args) as executor:
            report = grade(
                problem,
                sheet,
                options=options,
                workers=args.workers,
                progress=stream,
                executor=executor,
            )
        if args.out is not None:
            report.write_csv(args.out)
    except (
        ValueError,
        TypeError,
        OSError,
        AnswerSyntaxError,
        ImportError,
        WorkerStartError,
    ) as error:
        print(f"symdl grade: {error}")
        return 2
    if args.json:
        print(json.dumps(report.to_dict(), indent=2))
    else:
        print(report.summary())
        if args.out is not None:
            print(f"report written to {args.out}")
    return 0


def _executor(
    args: argparse.Namespace,
) -> contextlib.AbstractContextManager[concurrent.futures.Executor | None]:
    """The Dask cluster's executor with ``--scheduler``; else ``None`` (this machine's pool)."""
    if args.scheduler is None:
        return contextlib.nullcontext(None)
    if args.workers is not None:
        raise ValueError(
            "--workers and --scheduler cannot be used together: --workers counts this "
            "machine's processes; with --scheduler the cluster's workers check the answers "
            "(start them with `dask worker ADDRESS --nthreads N`)"
        )
    return scheduler_executor(args.scheduler)


def _run_gradescope(args: argparse.Namespace) -> int:
    """``--format gradescope``: one submission's results; 2 only for the instructor's input."""
    mixed = [
        option
        for option, given in (
            ("--json", args.json),
            ("--workers", args.workers is not None),
            ("--progress", args.progress),
            ("--scheduler", args.scheduler is not None),
        )
        if given
    ]
    if args.format != Format.GRADESCOPE.value:
        mixed = ["--max-score"]
    if mixed:
        print(
            f"symdl grade: {', '.join(mixed)} cannot be used with --format {args.format}: "
            "--format gradescope grades one submission (options --out, --max-score); "
            "--format report grades a CSV of answers (--json, --workers, --progress)"
        )
        return 2
    try:
        problem, options = load_problem(args.problem)
        options = check_grading_options(options)
        results = grade_submission(
            problem,
            args.answers,
            options=options,
            max_score=1.0 if args.max_score is None else args.max_score,
        )
        if args.out is not None:
            write_results(results, args.out)
    except (ValueError, TypeError, OSError, AnswerSyntaxError) as error:
        print(f"symdl grade: {error}")
        return 2
    if args.out is None:
        text = json.dumps(results, indent=2, ensure_ascii=False)
        if not _encodable(text):  # the same JSON, its other characters escaped as JSON does
            text = json.dumps(results, indent=2, ensure_ascii=True)
        print(text)
    else:
        (test,) = results["tests"]
        print(f"score {test['score']:g} of {test['max_score']:g}: {test['output']}")
        print(f"results written to {args.out}")
    return 0


def _encodable(text: str) -> bool:
    """Whether standard output's encoding can write ``text`` (not always UTF-8)."""
    try:
        text.encode(getattr(sys.stdout, "encoding", None) or "utf-8")
    except (UnicodeEncodeError, LookupError):
        return False
    return True
