"""The exceptions symdl raises.

Bad input raises the built-in :class:`ValueError` or :class:`TypeError` with a message that
names the value, says what is accepted and what to do.  :class:`SymdlError` is the base of the
few errors that are symdl's own.
"""

from __future__ import annotations

__all__ = ["NotSupportedError", "SymdlError"]


class SymdlError(Exception):
    """Base class of symdl's own errors."""


class NotSupportedError(SymdlError):
    """symdl cannot do this (yet): the input is valid, the method is missing."""
