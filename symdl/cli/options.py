"""Options and messages shared by the theory commands: ``--time-limit`` and the message of a
mathematical failure (exit status 1), in plain notation."""

from __future__ import annotations

from symdl.core.exceptions import NotSupportedError
from symdl.core.limits import MAX_SECONDS, TimeLimitExceededError
from symdl.optimization.series import plain_text

__all__ = ["failure", "time_limit"]


def time_limit(value: float) -> float:
    """A ``--time-limit``: a positive, finite number of seconds, at most a year.

    Examples
    --------
    >>> time_limit(0.5)
    0.5
    >>> time_limit(0.0)
    Traceback (most recent call last):
    ...
    ValueError: --time-limit 0: give a number of seconds above 0 and at most 31536000 (a year)
    """
    if not (isinstance(value, (int, float)) and 0 < value <= MAX_SECONDS):  # also nan, inf
        raise ValueError(
            f"--time-limit {value:g}: give a number of seconds above 0 and at most "
            f"{MAX_SECONDS} (a year)"
        )
    return float(value)


def failure(command: str, error: BaseException, *, seconds: float) -> str:
    """The message of a mathematical failure, in plain notation, for standard error.

    Examples
    --------
    >>> print(failure("barron", NotSupportedError("no transform of 1/x**3"), seconds=60))
    symdl barron: not supported: no transform of 1/x^3
    """
    if isinstance(error, TimeLimitExceededError):
        text = (
            f"no answer within the time limit of {seconds:g} s; raise --time-limit or try a "
            "simpler input"
        )
    elif isinstance(error, NotSupportedError):
        text = f"not supported: {error}"
    elif isinstance(error, (ValueError, ArithmeticError)):
        text = str(error)
    else:  # not an expected outcome: say what it was
        text = f"the computation failed ({type(error).__name__}: {error})"
    return f"symdl {command}: {plain_text(text)}"
