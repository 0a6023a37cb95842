"""The subcommands of the ``symdl`` command, one module each (see :mod:`symdl.cli`)."""
