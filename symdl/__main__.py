"""``python -m symdl``: the same as the ``symdl`` command."""

import sys

from symdl.cli import main

sys.exit(main())
