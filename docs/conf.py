"""Sphinx configuration of symdl's documentation.

Build: ``sphinx-build -W -b html docs docs/_build/html`` (after ``npm ci --prefix docs``).

Equations are typeset by MathJax 3, shipped into the built site (``_static/tex-svg-full.js``)
so that the pages render offline, with no request to a CDN.  MathJax comes from the npm
registry at the version pinned in ``docs/package-lock.json``; the build stops with an error
when it is missing, rather than produce pages whose equations would not render.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from sphinx.errors import ConfigError

import symdl

HERE = Path(__file__).parent

project = "symdl"
author = "The symdl developers"
copyright = "2026, the symdl developers"
release = symdl.__version__
version = release

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
    "sphinx.ext.doctest",
    "sphinx.ext.mathjax",
    "symdl.sphinxext",
]

exclude_patterns = ["_build", "node_modules", "examples"]
nitpicky = True

# --- cross-references ---------------------------------------------------------------------------
# The build is offline: no intersphinx inventory is fetched, so references to other projects'
# objects (in signatures and parameter types) cannot resolve.  They are ignored here, package by
# package; every reference to symdl's own objects must resolve.  ``sp`` and ``np`` are the usual
# import names of SymPy and NumPy, kept in annotations that are shown as written.
_EXTERNAL = (
    "sympy",
    "sp",
    "numpy",
    "np",
    "mpmath",
    "collections.abc",
    "fractions",
    "decimal",
    "pathlib",
    "docutils",
    "sphinx",
    "types",
    "typing",
    "matplotlib",
    "argparse",
    "concurrent.futures",
    "multiprocessing",
    "io",
    "random",
    "enum",
    "pkgutil",
)
nitpick_ignore_regex = [
    (r"py:.*", r"'?(" + "|".join(map(re.escape, _EXTERNAL)) + r")(\.[^']*)?'?"),
    # symdl's private helpers (a leading underscore) are not documented, but a public
    # signature may still name one (``Referee.compare`` returns a ``_Entry``).
    (r"py:class", r"symdl(\.\w+)*\._\w+"),
]
# Names that annotations import only for type checking, spelled out so that they resolve (or fall
# under the ignored packages above).
autodoc_type_aliases = {
    "Figure": "matplotlib.figure.Figure",
}

# --- offline MathJax ----------------------------------------------------------------------------

MATHJAX = Path(
    os.environ.get("SYMDL_MATHJAX", HERE / "node_modules" / "mathjax" / "es5" / "tex-svg-full.js")
)
if not MATHJAX.is_file():
    raise ConfigError(
        f"MathJax is missing: {MATHJAX} does not exist. The documentation ships MathJax so "
        "that its equations render offline; install it with `npm ci --prefix docs` (MathJax "
        "3.2.2, pinned in docs/package-lock.json), or set SYMDL_MATHJAX to a copy of MathJax "
        "3's es5/tex-svg-full.js."
    )
html_static_path = ["_static", str(MATHJAX)]
mathjax_path = MATHJAX.name
mathjax3_config = {"svg": {"fontCache": "global"}}

# --- HTML ---------------------------------------------------------------------------------------

html_theme = "alabaster"
html_theme_options = {
    "page_width": "1180px",
    "sidebar_width": "220px",
    # links to the previous and the next page, above and below the text of every page
    "show_relbars": True,
    "relbar_border": "#ddd",
}
html_title = f"symdl {release}"
html_css_files = ["symdl.css"]

# --- autodoc: NumPy-style docstrings ------------------------------------------------------------

autodoc_member_order = "bysource"
autodoc_typehints = "description"
napoleon_google_docstring = False
napoleon_numpy_docstring = True

# --- doctests --------------------------------------------------------------------------------
# The pages' ``.. doctest::`` blocks run with ``pytest --doctest-glob='*.rst' docs`` (or
# ``sphinx-build -b doctest``); the docstrings' own examples run with ``pytest symdl``.
doctest_test_doctest_blocks = ""

# --- matplotlib's plot directive ------------------------------------------------------------------

plot_include_source = True
plot_html_show_source_link = False
plot_html_show_formats = False
plot_formats = [("png", 110)]
plot_rcparams = {"figure.figsize": (6.0, 3.2)}
autodoc_inherit_docstrings = False  # no SymPy docstrings (eval, fdiff) on symdl classes
