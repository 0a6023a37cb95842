"""Whether a worker process knows what its parent registered.

Registration (:func:`~symdl.core.activations.register_activation`,
:func:`~symdl.core.losses.register_loss`) is per process.  A worker started by ``fork``
inherits the registries; one started by ``spawn`` or a fork server is a fresh interpreter that
knows only what the modules it imports register at their top level.  Grading in such a worker
with an activation missing would judge a student's ``swish(z)`` an unknown name: so the parent
sends its :func:`registrations`, and the worker refuses to grade (:func:`require_registrations`)
when it lacks one, naming it and saying where to register it.
"""

from __future__ import annotations

from collections.abc import Iterable

from symdl.core import activations, losses
from symdl.core.exceptions import SymdlError

__all__ = ["RegistrationMismatchError", "registrations", "require_registrations"]


class RegistrationMismatchError(SymdlError):
    """A worker process lacks an activation or a loss that its parent process registered."""


def registrations() -> frozenset[tuple[str, str, str]]:
    """What this process registered beyond the built-ins: ``(kind, name, notation)`` for each
    activation and loss (the notation tells two registrations under one name apart)."""
    found = {
        ("activation", name, act.latex + " " + " ".join(act.parser_names))
        for name, act in activations.ACTIVATIONS.items()
        if name not in activations._BUILT_IN
    }
    found |= {
        ("loss", name, loss.latex)
        for name, loss in losses.LOSSES.items()
        if name not in losses._BUILT_IN
    }
    return frozenset(found)


def require_registrations(expected: Iterable[tuple[str, str, str]]) -> None:
    """Raise :class:`RegistrationMismatchError` unless this process has registered everything in
    ``expected`` (a parent's :func:`registrations`), the same way.

    Examples
    --------
    >>> require_registrations(registrations())  # a process agrees with itself
    >>> require_registrations({("activation", "swish", "s")})
    Traceback (most recent call last):
    ...
    symdl.core.registration.RegistrationMismatchError: the activation 'swish' is registered in ...
    """
    here = registrations()
    missing = sorted(set(expected) - here)
    if not missing:
        return
    kind, name, _ = missing[0]
    how = "registered differently" if any(h[:2] == (kind, name) for h in here) else "not registered"
    raise RegistrationMismatchError(
        f"the {kind} {name!r} is registered in the grading process but {how} in its worker "
        "process (a worker started by 'spawn' or a fork server is a fresh interpreter that "
        "knows only what its imports register): register it at the top level of a module the "
        "worker imports (the module that defines the problem, or the script outside its "
        '`if __name__ == "__main__":` block), not inside a function'
        + (f"; {len(missing) - 1} more missing" if len(missing) > 1 else "")
    )
