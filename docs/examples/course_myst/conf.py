"""Sphinx configuration of course notes in MyST Markdown, computed by symdl.

Build: ``npm install`` (MathJax, so that equations render offline), then
``sphinx-build -W -b html . _build/html``.
"""

import sys
from pathlib import Path

# the course's own proofs: the package course_proofs beside this file
sys.path.insert(0, str(Path(__file__).parent))

project = "Deep learning, computed (MyST)"
author = "A course"

extensions = ["myst_parser", "symdl.sphinxext"]
myst_enable_extensions = ["dollarmath"]
exclude_patterns = ["_build"]

symdl_proof_package = "course_proofs"
# MathJax from node_modules (see package.json), shipped with the pages
symdl_offline_math = True
