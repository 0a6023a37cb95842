"""The exceptions symdl raises.

Bad input raises the built-in :class:`ValueError` or :class:`TypeError` with a message that
names the value, says what is accepted and what to do.  :class:`SymdlError` is the base of the
few errors that are symdl's own.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

__all__ = ["NotSupportedError", "SymdlError", "did_you_mean", "shown"]


class SymdlError(Exception):
    """Base class of symdl's own errors."""


class NotSupportedError(SymdlError):
    """symdl cannot do this (yet): the input is valid, the method is missing."""


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """`` (did you mean 'x'?)`` for the closest of ``choices`` to a misspelt ``word`` (up to
    three, closest first), or ``""`` when none is close; for error messages.

    >>> did_you_mean("sigmod", ["sigmoid", "tanh", "relu"])
    " (did you mean 'sigmoid'?)"
    >>> did_you_mean("xyz", ["sigmoid"])
    ''
    """
    close = difflib.get_close_matches(word, list(choices), n=3)
    if not close:
        return ""
    return f" (did you mean {' or '.join(repr(c) for c in close)}?)"


def shown(value: object, *, width: int = 80) -> str:
    """``repr(value)`` cut to ``width`` characters for an error message (the end kept, so a
    bracket still closes); an integer too long for Python to write out is described.

    Examples
    --------
    >>> shown([1, 2]), shown("x" * 100, width=20)
    ('[1, 2]', "'xxxxxxxxxxxxxxx...'")
    """
    try:
        text = repr(value)
    except ValueError:  # an int beyond Python's digit limit for conversion to text
        return f"<an integer of {value.bit_length() if isinstance(value, int) else '?'} bits>"
    return text if len(text) <= width else text[: width - 4] + "..." + text[-1]
