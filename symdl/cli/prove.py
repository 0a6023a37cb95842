"""``symdl prove``: run every proof in ``proofs/`` and write the report.

The report (statement, verification, derivation and figures of every proof) goes into
``--out DIR`` (default ``symdl-report/``) as ``report.md``, ``report.tex`` and ``figures/``
(PNG and PDF); ``--pdf`` also compiles ``report.pdf`` with pdflatex (its log beside it, as
``report.log``).  A table of results goes to standard output and a progress bar to standard
error.  Run times are in the JSON of ``--json`` only.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TextIO

from symdl.core.exceptions import SymdlError
from symdl.publish.proving import PROOF_PACKAGE, ProofResult, discover_proofs
from symdl.publish.report import ProofReport, collect, compile_pdf, write_report

NAME = "prove"
HELP = "run every proof of symdl's theorems and write a report; exit 1 if any fails"
DEFAULT_OUT = Path("symdl-report")


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--only",
        metavar="NAME",
        action="append",
        help="run only this proof (repeatable); default: all of them",
    )
    parser.add_argument(
        "--json",
        action="store_true",
        help="print the results as JSON, with the run time of every proof and lemma",
    )
    parser.add_argument(
        "--out",
        metavar="DIR",
        type=Path,
        default=DEFAULT_OUT,
        help=f"folder of the report (Markdown, LaTeX, figures); default: {DEFAULT_OUT}/",
    )
    parser.add_argument(
        "--pdf",
        action="store_true",
        help="also compile the LaTeX report with pdflatex (report.pdf, and its report.log)",
    )
    parser.add_argument(
        "--package",
        metavar="MODULE",
        default=PROOF_PACKAGE,
        help=f"the importable package of proof modules (a course's own); default: {PROOF_PACKAGE}",
    )


def _table(results: list[ProofResult]) -> str:
    width = max([len("proof"), *(len(result.name) for result in results)])
    lines = [f"{'proof':<{width}}  {'result':<6}  {'lemmas':>6}"]
    for result in results:
        verdict = "ok" if result.passed else "FAILED"
        held = sum(lemma.passed for lemma in result.lemmas)
        lines.append(f"{result.name:<{width}}  {verdict:<6}  {held:>3}/{len(result.lemmas):<2}")
        for lemma in result.lemmas:
            if not lemma.passed:
                lines.append(f"    {lemma.name}: {lemma.error}")
    return "\n".join(lines)


def _json(reports: list[ProofReport]) -> str:
    payload = [
        {
            "proof": report.result.name,
            "title": report.result.title,
            "passed": report.result.passed,
            "seconds": report.result.seconds,
            "lemmas": [
                {
                    "name": lemma.name,
                    "passed": lemma.passed,
                    "seconds": lemma.seconds,
                    "error": lemma.error,
                }
                for lemma in report.result.lemmas
            ],
            "figures": [figure.as_posix() for figure in report.figures],
            "captions": [report.caption(index) for index in range(len(report.figures))],
            "problems": list(report.problems),
        }
        for report in reports
    ]
    return json.dumps(payload, indent=2)


class ProgressBar:
    """A one-line progress bar (redrawn in place on a terminal, one line per step otherwise)."""

    def __init__(self, total: int, stream: TextIO, *, width: int = 30) -> None:
        self.total = total
        self.stream = stream
        self.width = width
        self.live = stream.isatty()

    def show(self, done: int, label: str) -> None:
        """Draw the bar with ``done`` of ``total`` steps finished, ``label`` the current one."""
        filled = self.width * done // max(self.total, 1)
        bar = "#" * filled + "-" * (self.width - filled)
        line = f"[{bar}] {done}/{self.total} {label}"
        if self.live:
            self.stream.write(f"\r{line:<{self.width + 40}}")
        else:
            self.stream.write(line + "\n")
        self.stream.flush()

    def close(self) -> None:
        """End the bar's line."""
        if self.live:
            self.stream.write("\n")
            self.stream.flush()


def run(args: argparse.Namespace) -> int:
    try:
        available = discover_proofs(package_name=args.package)
    except ModuleNotFoundError:
        print(
            f"symdl prove: no package {args.package!r} to import; give an importable package "
            f"of proof modules (default {PROOF_PACKAGE})",
            file=sys.stderr,
        )
        return 2
    names = args.only or available
    unknown = [name for name in names if name not in available]
    if unknown:
        print(
            f"symdl prove: no proof named {', '.join(map(repr, unknown))}; "
            f"the proofs are: {', '.join(available)}",
            file=sys.stderr,
        )
        return 2
    out: Path = args.out
    bar = ProgressBar(len(names), sys.stderr)
    reports = []
    for done, name in enumerate(names):
        bar.show(done, name)
        reports.append(collect(name, out, package_name=args.package))
    bar.show(len(names), "done")
    bar.close()
    paths = write_report(reports, out)
    if args.pdf:
        try:
            paths["pdf"] = compile_pdf(paths["latex"])
        except SymdlError as error:
            print(f"symdl prove: {error}", file=sys.stderr)
            return 2
    results = [report.result for report in reports]
    if args.json:
        print(_json(reports))
    else:
        print(_table(results))
        failed = [result.name for result in results if not result.passed]
        print(f"\n{len(results) - len(failed)} of {len(results)} proofs hold.")
        print(f"Report: {', '.join(str(path) for path in paths.values())}")
    return 0 if all(result.passed for result in results) else 1
