"""The ``symdl`` command (also ``python -m symdl``).

Each subcommand lives in its own module of :mod:`symdl.cli`, named after what it does;
such a module defines ``NAME``, ``HELP``, ``configure(parser)`` and ``run(args) -> int``.
The list below is the whole set of subcommands, in the order ``symdl --help`` shows them.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from types import ModuleType

from symdl import __version__
from symdl.cli import (
    barron,
    check,
    derive,
    grade,
    prove,
    regions,
    schedule,
    stability,
    telgarsky,
)
from symdl.core.exceptions import did_you_mean

COMMANDS: tuple[ModuleType, ...] = (
    prove,
    schedule,
    stability,
    derive,
    check,
    grade,
    telgarsky,
    regions,
    barron,
)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``symdl`` command, with every subcommand."""
    parser = argparse.ArgumentParser(
        prog="symdl",
        description="The mathematics of deep learning, exactly.",
    )
    parser.add_argument("--version", action="version", version=f"symdl {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for command in COMMANDS:
        sub_parser = sub.add_parser(command.NAME, help=command.HELP, description=command.HELP)
        command.configure(sub_parser)
        sub_parser.set_defaults(_run=command.run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``symdl`` command; returns the exit status."""
    parser = build_parser()
    words = list(sys.argv[1:] if argv is None else argv)
    names = [command.NAME for command in COMMANDS]
    if words and not words[0].startswith("-") and words[0] not in names:
        parser.print_usage(sys.stderr)
        print(
            f"symdl: error: unknown command {words[0]!r}{did_you_mean(words[0], names)}; "
            f"the commands: {', '.join(names)}",
            file=sys.stderr,
        )
        return 2
    args = parser.parse_args(words)
    if args.command is None:
        parser.print_help()
        return 2
    status: int = args._run(args)
    return status


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
