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

Exit status: 0 when the batch was graded (whatever the answers), 2 for bad input, 130 when
interrupted by Ctrl-C (a ``SIGTERM`` ends the command as it ends any process).
"""

from __future__ import annotations

import argparse
import json
import sys

from symdl.grading.batch import check_grading_options, grade, read_answer_sheet, terminate_cleanly
from symdl.grading.lexing import AnswerSyntaxError
from symdl.grading.problem_files import load_problem

NAME = "grade"
HELP = "grade a CSV of answers (id, answer) to a gradient problem file; summarise, write a report"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("problem", help="the problem file (.toml)")
    parser.add_argument("answers", help="the answers (CSV with columns id, answer)")
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
        "--progress",
        action="store_true",
        help="draw a progress bar on stderr even when it is not a terminal",
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
    try:
        problem, options = load_problem(args.problem)
        options = check_grading_options(options)
        sheet = read_answer_sheet(args.answers)
        for warning in sheet.warnings:
            print(f"symdl grade: warning: {warning}", file=sys.stderr)
        stream = sys.stderr if args.progress or sys.stderr.isatty() else None
        report = grade(problem, sheet, options=options, workers=args.workers, progress=stream)
        if args.out is not None:
            report.write_csv(args.out)
    except (ValueError, TypeError, OSError, AnswerSyntaxError) as error:
        print(f"symdl grade: {error}")
        return 2
    if args.json:
        print(json.dumps(report.to_dict(), indent=2))
    else:
        print(report.summary())
        if args.out is not None:
            print(f"report written to {args.out}")
    return 0
