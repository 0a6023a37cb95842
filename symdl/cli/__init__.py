"""The ``symdl`` command (also ``python -m symdl``).

Each subcommand lives in its own module of :mod:`symdl.cli`, named after what it does;
such a module defines ``NAME``, ``HELP``, ``configure(parser)`` and ``run(args) -> int``.
The list below is the whole set of subcommands, in the order ``symdl --help`` shows them.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import sys
from collections.abc import Iterator, Sequence
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
    try:
        with escaped_where_unencodable():
            status: int = args._run(args)
    except BrokenPipeError:  # the reader went away (`symdl derive ... | head`): stop quietly
        _silence_stdout()
        return 1
    return status


def _silence_stdout() -> None:
    """Send what is still buffered for a closed pipe to the null device (no second error)."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())


@contextlib.contextmanager
def escaped_where_unencodable() -> Iterator[None]:
    """Write what the terminal cannot encode as escapes (``\\u03c3`` for σ), never fail on it.

    The commands print the lecture's notation (σ, δ, ∂, −); a standard output whose encoding
    lacks it (a Windows console's cp1252, ``PYTHONIOENCODING=ascii``, a Latin-1 locale) would
    end the command with ``UnicodeEncodeError`` after its work was done.  The streams'
    strict error handling is restored afterwards.
    """
    changed = []
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper) and stream.errors == "strict":
            stream.reconfigure(errors="backslashreplace")
            changed.append(stream)
    try:
        yield
    finally:
        for stream in changed:
            with contextlib.suppress(ValueError):  # a stream closed meanwhile
                stream.reconfigure(errors="strict")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
