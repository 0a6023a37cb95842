"""Sphinx configuration of course notes computed by symdl.

Build: ``sphinx-build -W -b html . _build/html``.
"""

project = "Deep learning, computed"
author = "A course"

extensions = ["symdl.sphinxext"]
exclude_patterns = ["_build"]

# Equations render offline when MathJax ships with the pages:
# run `npm install mathjax@3` here, then uncomment the line below.
# symdl_offline_math = True
