"""symdl's Sphinx extension: derivations, proofs and gradient checks computed at build time.

Add ``"symdl.sphinxext"`` to ``extensions`` in a project's ``conf.py``.  The directives compute
their content when the documentation is built, so that course notes cannot drift from the
mathematics:

``symdl-derivation``
    a network and a loss given as options; shows the backpropagation derivation
    (Rumelhart, Hinton & Williams 1986; Nielsen, ch. 2) as displayed math::

        .. symdl-derivation::
           :sizes: 2, 2, 1
           :activations: sigmoid, identity
           :loss: mse

``symdl-proof``
    runs a proof module of ``symdl.proofs`` and shows its statement, its written derivation
    (when the module has one) and the result of every lemma.  A proof that fails is a build
    warning at the directive's location, so ``sphinx-build -W`` fails::

        .. symdl-proof:: xor

``symdl-gradcheck``
    checks a hand-derived gradient (read safely by :mod:`symdl.grading.parsing`, never evaluated)
    and shows the verdict; ``:expect:`` states the verdict the notes rely on, and a different
    one is a build warning::

        .. symdl-gradcheck::
           :function: (w*x - y)^2
           :variables: w, x, y
           :wrt: w
           :answer: 2x(wx - y)
           :expect: correct

``symdl-commands``
    lists the subcommands of the ``symdl`` command, each with its purpose and usage, read
    from the command itself.

Figures come from matplotlib's own ``plot`` directive
(:mod:`matplotlib.sphinxext.plot_directive`), which this extension loads.

The extension ships its style sheet, ``symdl-directives.css`` (proof boxes, verdicts and
derivations set apart from the text; see :mod:`symdl.publish.directives` for its classes), and
adds it to every HTML page.  A course changes it with rules of its own, or replaces it by a file
of the same name in its own ``html_static_path``.

Configuration values (``conf.py``), each checked when the build starts:

``symdl_show_lemmas`` (bool, default ``True``)
    list each lemma of a proof with its outcome;
``symdl_show_timings`` (bool, default ``False``)
    print the time each proof took (off by default, so that builds are reproducible);
``symdl_proof_package`` (str, default ``"symdl.proofs"``)
    the importable package whose modules ``symdl-proof`` runs: a course can keep its own
    proofs, written to the contract of :mod:`symdl.publish.proving`, in a package of its own;
``symdl_offline_math`` (bool, str or path, default ``False``)
    ship MathJax 3 with the pages, so that their equations render offline: ``True`` takes
    the npm package ``mathjax`` of the project (``npm install mathjax@3`` beside
    ``conf.py``, or in a folder above it), a path (relative to ``conf.py``) names the MathJax
    package, its ``es5`` folder or the script itself.  The extension copies
    ``tex-svg-full.js`` (one file that holds MathJax, its TeX extensions and its fonts) into
    ``_static``, sets ``mathjax_path`` to it, and excludes ``node_modules`` and the MathJax
    package from the sources, so that none of their files is read as a page.

A page that uses the directives depends on symdl's code and on the proof modules it runs, so
an incremental build re-reads it when they change.

The extension follows :mod:`sphinx.ext.todo`: :class:`~sphinx.util.docutils.SphinxDirective`
subclasses, typed configuration values, warnings with a location, no global state, and safe
for parallel reading and writing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.errors import ConfigError
from sphinx.transforms.post_transforms import SphinxPostTransform

import symdl
from symdl.cli.documentation import CommandsDirective
from symdl.publish.directives import (
    LATEX_FORM,
    DerivationDirective,
    GradcheckDirective,
    ProofDirective,
)
from symdl.publish.proving import PROOF_PACKAGE

__all__ = [
    "CSS_FILE",
    "MATHJAX_SCRIPT",
    "STATIC",
    "CommandsDirective",
    "DerivationDirective",
    "GradcheckDirective",
    "LatexDerivations",
    "ProofDirective",
    "find_mathjax",
    "setup",
]

#: The folder of the extension's static files, a static path of every HTML build.
STATIC = Path(__file__).parent / "publish" / "static"
#: The extension's style sheet (in :data:`STATIC`), added to every HTML page.
CSS_FILE = "symdl-directives.css"
#: The MathJax 3 script that ``symdl_offline_math`` ships: MathJax, every TeX extension and
#: the SVG fonts in one file, so that nothing else is fetched.
MATHJAX_SCRIPT = Path("es5") / "tex-svg-full.js"

#: The configuration values, name → (default, accepted types).
CONFIG_VALUES: dict[str, tuple[object, tuple[type, ...]]] = {
    "symdl_show_lemmas": (True, (bool,)),
    "symdl_show_timings": (False, (bool,)),
    "symdl_proof_package": (PROOF_PACKAGE, (str,)),
    "symdl_offline_math": (False, (bool, str, Path)),
}


class LatexDerivations(SphinxPostTransform):
    """For LaTeX output, put each derivation's ``align*`` form in place of its MathJax form."""

    default_priority = 200
    formats = ("latex",)

    def run(self, **kwargs: Any) -> None:
        for block in self.document.findall(nodes.math_block):
            if LATEX_FORM in block:
                block.replace(block[0], nodes.Text(block[LATEX_FORM]))


# --- set-up -----------------------------------------------------------------------------------


def accepts(kinds: tuple[type, ...], value: object) -> bool:
    """Whether ``value`` is of one of ``kinds`` (a bool only where ``bool`` is one of them)."""
    if isinstance(value, bool):
        return bool in kinds
    return isinstance(value, tuple(kind for kind in kinds if kind is not bool))


def check_config(app: Sphinx, config: Config) -> None:
    """Reject a configuration value of the wrong type, naming it and what is accepted."""
    for name, (default, kinds) in CONFIG_VALUES.items():
        value = config[name]
        if not accepts(kinds, value):
            names = [kind.__name__ for kind in kinds]
            accepted = " or ".join([", ".join(names[:-1]), names[-1]] if names[:-1] else names)
            raise ConfigError(
                f"{name} = {value!r} is not a {accepted}; set it to a {accepted} "
                f"in conf.py (the default is {default!r})"
            )
    package = config.symdl_proof_package
    if not all(part.isidentifier() for part in package.split(".")):
        raise ConfigError(
            f"symdl_proof_package = {package!r} is not an importable package name; "
            f"set it to a dotted name such as {PROOF_PACKAGE!r}"
        )


def add_static_path(app: Sphinx, config: Config) -> None:
    """Put the extension's static folder first among the static paths.

    First, so that a file of the same name in the project's own static path replaces it.
    """
    config.html_static_path = [str(STATIC), *config.html_static_path]


def find_mathjax(setting: Literal[True] | str | Path, *, confdir: Path) -> Path:
    """The MathJax 3 script that ``symdl_offline_math = setting`` names.

    ``True`` looks for the npm package ``mathjax`` in ``node_modules`` beside ``confdir``,
    then in each folder above it (as Node resolves a package); a path, relative to
    ``confdir``, is the MathJax package, its ``es5`` folder, or the script itself.

    Raises
    ------
    sphinx.errors.ConfigError
        when there is no such script, naming where it was looked for and how to install it.

    Examples
    --------
    >>> import tempfile
    >>> folder = tempfile.TemporaryDirectory()
    >>> root = Path(folder.name)
    >>> (root / "node_modules" / "mathjax" / "es5").mkdir(parents=True)
    >>> _ = (root / "node_modules" / "mathjax" / "es5" / "tex-svg-full.js").write_text("")
    >>> find_mathjax(True, confdir=root / "docs").relative_to(root).as_posix()
    'node_modules/mathjax/es5/tex-svg-full.js'
    >>> find_mathjax("node_modules/mathjax", confdir=root).name
    'tex-svg-full.js'
    >>> find_mathjax("no/such/folder", confdir=root)
    Traceback (most recent call last):
    ...
    sphinx.errors.ConfigError: symdl_offline_math = 'no/such/folder': .../no/such/folder ...
    >>> folder.cleanup()
    """
    install = (
        "install MathJax 3 with `npm install mathjax@3` beside conf.py, or set "
        "symdl_offline_math to the path of its es5/tex-svg-full.js (MathJax 4, which has no "
        "es5 folder, is not supported yet)"
    )
    if setting is True:
        folders = [confdir, *confdir.parents]
        for folder in folders:
            script = folder / "node_modules" / "mathjax" / MATHJAX_SCRIPT
            if script.is_file():
                return script
        raise ConfigError(
            f"symdl_offline_math = True, but there is no MathJax 3 in node_modules beside "
            f"{confdir} or above it (no node_modules/mathjax/{MATHJAX_SCRIPT.as_posix()}); "
            f"{install}"
        )
    given = confdir / Path(setting)
    candidates = [given, given / MATHJAX_SCRIPT.name, given / MATHJAX_SCRIPT]
    for script in candidates:
        if script.is_file():
            return script
    found = "is a folder without it" if given.is_dir() else "does not exist"
    raise ConfigError(
        f"symdl_offline_math = {str(setting)!r}: {given} {found}; give MathJax 3's "
        f"{MATHJAX_SCRIPT.as_posix()}, its es5 folder or the MathJax package; {install}"
    )


def offline_math(app: Sphinx, config: Config) -> None:
    """Ship MathJax with the pages when ``symdl_offline_math`` asks for it.

    The script becomes a static file (copied into ``_static``) and ``mathjax_path``;
    ``node_modules`` and the MathJax package are excluded from the sources.
    """
    setting = config.symdl_offline_math
    if setting is False:
        return
    script = find_mathjax(setting, confdir=Path(app.confdir))
    config.html_static_path = [*config.html_static_path, str(script)]
    config.mathjax_path = script.name
    if not config.mathjax3_config:
        config.mathjax3_config = {"svg": {"fontCache": "global"}}  # each glyph drawn once
    excluded = ["node_modules", "**/node_modules"]
    package = (script.parent.parent if script.parent.name == "es5" else script.parent).resolve()
    sources = Path(app.srcdir).resolve()
    # a MathJax package among the sources (its README is no page); one outside cannot be read
    if package != sources and package.is_relative_to(sources):
        excluded.append(package.relative_to(sources).as_posix())
    config.exclude_patterns = [*config.exclude_patterns, *excluded]


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the directives, configuration values and style sheet (Sphinx calls this)."""
    app.setup_extension("matplotlib.sphinxext.plot_directive")
    app.setup_extension("sphinx.ext.mathjax")
    for name, (default, kinds) in CONFIG_VALUES.items():
        types = {*kinds, *(type(Path()) for kind in kinds if kind is Path)}
        app.add_config_value(name, default, "env", types=frozenset(types))
    app.connect("config-inited", check_config)
    app.connect("config-inited", add_static_path)
    app.connect("config-inited", offline_math)
    app.add_css_file(CSS_FILE)
    app.add_directive("symdl-derivation", DerivationDirective)
    app.add_directive("symdl-proof", ProofDirective)
    app.add_directive("symdl-gradcheck", GradcheckDirective)
    app.add_directive("symdl-commands", CommandsDirective)
    app.add_post_transform(LatexDerivations)
    return {
        "version": symdl.__version__,
        "env_version": 1,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
