"""``symdl prove``: run every proof in ``proofs/`` and print a table of results."""

from __future__ import annotations

import argparse
import json

from symdl.proving import ProofResult, discover_proofs, run_proof

NAME = "prove"
HELP = "run every proof of symdl's theorems and print a report; exit 1 if any fails"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--only",
        metavar="NAME",
        action="append",
        help="run only this proof (repeatable); default: all of them",
    )
    parser.add_argument("--json", action="store_true", help="print the results as JSON")


def _table(results: list[ProofResult]) -> str:
    width = max([len("proof"), *(len(result.name) for result in results)])
    lines = [f"{'proof':<{width}}  {'result':<6}  {'lemmas':>6}  {'seconds':>8}"]
    for result in results:
        verdict = "ok" if result.passed else "FAILED"
        held = sum(lemma.passed for lemma in result.lemmas)
        lines.append(
            f"{result.name:<{width}}  {verdict:<6}  {held:>3}/{len(result.lemmas):<2}  "
            f"{result.seconds:8.2f}"
        )
        for lemma in result.lemmas:
            if not lemma.passed:
                lines.append(f"    {lemma.name}: {lemma.error}")
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    names = args.only or discover_proofs()
    try:
        results = [run_proof(name) for name in names]
    except ValueError as error:
        print(f"symdl prove: {error}")
        return 2
    if args.json:
        payload = [
            {
                "proof": result.name,
                "title": result.title,
                "passed": result.passed,
                "seconds": result.seconds,
                "lemmas": [
                    {"name": lemma.name, "passed": lemma.passed, "seconds": lemma.seconds,
                     "error": lemma.error}
                    for lemma in result.lemmas
                ],
            }
            for result in results
        ]
        print(json.dumps(payload, indent=2))
    else:
        print(_table(results))
        failed = [result.name for result in results if not result.passed]
        print(f"\n{len(results) - len(failed)} of {len(results)} proofs hold.")
    return 0 if all(result.passed for result in results) else 1
