r"""Publishing: the proof runner, the report, the Sphinx directives.

Its modules:

:mod:`~symdl.publish.proving`
    Running symdl's proofs: discovery, execution and results.
:mod:`~symdl.publish.report`
    The proof report: every proof's statement, verification, derivation and figures.
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
        REPORT_SYMBOLS,
        ProofReport,
        collect,
        compile_pdf,
        figure_caption,
        is_restructuredtext,
        latex_report,
        markdown_report,
        safe_rst_math,
        unicode_latex,
        write_report,
    )

__getattr__, __dir__, __all__ = _lazy.attach(__name__, __file__)
