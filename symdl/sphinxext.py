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

Configuration values (``conf.py``), each checked when the build starts:

``symdl_show_lemmas`` (bool, default ``True``)
    list each lemma of a proof with its outcome;
``symdl_show_timings`` (bool, default ``False``)
    print the time each proof took (off by default, so that builds are reproducible);
``symdl_proof_package`` (str, default ``"symdl.proofs"``)
    the importable package whose modules ``symdl-proof`` runs: a course can keep its own
    proofs, written to the contract of :mod:`symdl.publish.proving`, in a package of its own.

A page that uses the directives depends on symdl's code and on the proof modules it runs, so
an incremental build re-reads it when they change.

The extension follows :mod:`sphinx.ext.todo`: :class:`~sphinx.util.docutils.SphinxDirective`
subclasses, typed configuration values, warnings with a location, no global state, and safe
for parallel reading and writing.
"""

from __future__ import annotations

from typing import Any

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
    "CommandsDirective",
    "DerivationDirective",
    "GradcheckDirective",
    "LatexDerivations",
    "ProofDirective",
    "setup",
]

#: The configuration values, name → (default, accepted type).
CONFIG_VALUES: dict[str, tuple[object, type]] = {
    "symdl_show_lemmas": (True, bool),
    "symdl_show_timings": (False, bool),
    "symdl_proof_package": (PROOF_PACKAGE, str),
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


def check_config(app: Sphinx, config: Config) -> None:
    """Reject a configuration value of the wrong type, naming it and what is accepted."""
    for name, (default, kind) in CONFIG_VALUES.items():
        value = config[name]
        if type(value) is not kind:
            raise ConfigError(
                f"{name} = {value!r} is not a {kind.__name__}; set it to a {kind.__name__} "
                f"in conf.py (the default is {default!r})"
            )
    package = config.symdl_proof_package
    if not all(part.isidentifier() for part in package.split(".")):
        raise ConfigError(
            f"symdl_proof_package = {package!r} is not an importable package name; "
            f"set it to a dotted name such as {PROOF_PACKAGE!r}"
        )


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the directives and configuration values (Sphinx calls this)."""
    app.setup_extension("matplotlib.sphinxext.plot_directive")
    for name, (default, kind) in CONFIG_VALUES.items():
        app.add_config_value(name, default, "env", types=frozenset({kind}))
    app.connect("config-inited", check_config)
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
