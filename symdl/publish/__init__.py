r"""Publishing: the proof runner, the report, the Sphinx directives.

Its modules:

:mod:`~symdl.publish.proving`
    Running symdl's proofs: discovery, execution and results.
:mod:`~symdl.publish.report`
    The proof report: every proof's statement, result, time, derivation and figures.
:mod:`~symdl.publish.directives`
    The directives of symdl's Sphinx extension (:mod:`symdl.sphinxext`), and their options.

The names are imported from their modules on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from symdl import _lazy

if TYPE_CHECKING:
    from symdl.publish.directives import (
        LATEX_FORM,
        DerivationDirective,
        GradcheckDirective,
        ProofDirective,
        SymdlDirective,
    )
    from symdl.publish.proving import (
        LemmaResult,
        ProofResult,
        discover_proofs,
        lemmas,
        run_proof,
        theorem_statement,
        theorem_title,
    )
    from symdl.publish.report import (
        ProofReport,
        collect,
        compile_pdf,
        is_restructuredtext,
        latex_report,
        markdown_report,
        safe_rst_math,
        write_report,
    )

_NAMES = {
    "LemmaResult": "symdl.publish.proving",
    "ProofResult": "symdl.publish.proving",
    "discover_proofs": "symdl.publish.proving",
    "lemmas": "symdl.publish.proving",
    "run_proof": "symdl.publish.proving",
    "theorem_statement": "symdl.publish.proving",
    "theorem_title": "symdl.publish.proving",
    "ProofReport": "symdl.publish.report",
    "collect": "symdl.publish.report",
    "compile_pdf": "symdl.publish.report",
    "is_restructuredtext": "symdl.publish.report",
    "latex_report": "symdl.publish.report",
    "markdown_report": "symdl.publish.report",
    "safe_rst_math": "symdl.publish.report",
    "write_report": "symdl.publish.report",
    "LATEX_FORM": "symdl.publish.directives",
    "DerivationDirective": "symdl.publish.directives",
    "GradcheckDirective": "symdl.publish.directives",
    "ProofDirective": "symdl.publish.directives",
    "SymdlDirective": "symdl.publish.directives",
}
__getattr__, __dir__ = _lazy.exports(__name__, _NAMES)

__all__ = [
    "LATEX_FORM",
    "DerivationDirective",
    "GradcheckDirective",
    "LemmaResult",
    "ProofDirective",
    "ProofReport",
    "ProofResult",
    "SymdlDirective",
    "collect",
    "compile_pdf",
    "discover_proofs",
    "is_restructuredtext",
    "latex_report",
    "lemmas",
    "markdown_report",
    "run_proof",
    "safe_rst_math",
    "theorem_statement",
    "theorem_title",
    "write_report",
]
