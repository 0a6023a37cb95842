r"""The proof report: every proof's statement, result, time, derivation and figures.

``symdl prove`` writes, into one folder,

- ``report.md``: Markdown with ``$`` and ``$$`` math (GitHub, Jupyter and most static-site
  tools render it);
- ``report.tex``: a LaTeX document that compiles with ``pdflatex`` (with the packages of
  Debian's ``texlive-latex-base`` alone); ``report.pdf`` on request;
- ``figures/``: the PNG figures of the proof modules' ``figures()``.

A proof module's docstring is reStructuredText (as Sphinx reads it): docutils' own LaTeX writer
translates it, and the Markdown keeps it almost as written, with its ``:math:`` roles and
``math`` directives turned into ``$`` and ``$$``.  Cross-reference roles (``:func:`…```) become
code spans, since a report has nothing to link them to.  docutils comes with Sphinx; without
it, statements are shown as written, as plain text.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

from symdl.core.derivation import Derivation
from symdl.core.exceptions import SymdlError
from symdl.core.notation import math_to_latex, prose_to_latex, safe_latex
from symdl.publish.proving import (
    PROOF_PACKAGE,
    LemmaResult,
    ProofResult,
    discover_proofs,
    load_proof,
    run_proof,
)

__all__ = [
    "ProofReport",
    "collect",
    "compile_pdf",
    "is_restructuredtext",
    "latex_report",
    "markdown_report",
    "safe_rst_math",
    "write_report",
]

FIGURE_DPI = 150
_FIGURE_STEM = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")
# a role such as :func:`symdl.backpropagation.reverse_mode` (the math role is handled apart)
_ROLE = re.compile(r":(?!math:)[a-z]+(?::[a-z]+)?:`([^`]+)`")
_MATH_ROLE = re.compile(r":math:`([^`]+)`")
_MATH_DIRECTIVE = re.compile(r"^\.\. math::[ \t]*\n((?:[ \t]*\n)*(?:(?:[ \t]+.*)?\n)+)", re.M)
# docutils settings for a proof's docstring: its markup problems show as text and never stop
# the report, and it can neither include a file nor pass raw LaTeX or HTML through
_DOCUTILS = {
    "report_level": 5,
    "halt_level": 5,
    "raw_enabled": False,
    "file_insertion_enabled": False,
}


def safe_rst_math(text: str) -> str:
    r"""A docstring with the LaTeX of its math roles and ``math`` blocks made safe.

    docutils and Sphinx pass math to LaTeX and MathJax as written: a command that acts beyond
    typesetting is shown instead (:func:`symdl.core.notation.safe_latex`).

    Examples
    --------
    >>> print(safe_rst_math(r"Hence :math:`\frac{1}{2} \input{x}`."))
    Hence :math:`\frac{1}{2} \backslash\mathrm{input}{x}`.
    """
    text = _MATH_ROLE.sub(lambda m: f":math:`{safe_latex(m.group(1))}`", text)
    # a math block ends at a line end: the text's last line gets one, then loses it again
    safe = _MATH_DIRECTIVE.sub(lambda m: f".. math::\n{safe_latex(m.group(1))}", text + "\n")
    return safe[:-1]


@dataclass(frozen=True)
class ProofReport:
    """One proof as the report shows it.

    ``figures`` are the PNG files written, relative to the report folder; ``problems`` are
    the errors of the module's optional parts (``derivation()``, ``figures()``), which the
    report shows but which do not make the theorem fail.
    """

    result: ProofResult
    derivation: Derivation | None = None
    figures: tuple[Path, ...] = ()
    problems: tuple[str, ...] = ()


def collect(name: str, out: Path, *, package_name: str = PROOF_PACKAGE) -> ProofReport:
    """Run the proof ``name`` and gather its derivation and figures (PNGs written to ``out``).

    A module that cannot even be imported is a proof that fails (its one "lemma" is the
    import), so that one broken module never stops the report.

    Raises
    ------
    ValueError
        when there is no proof module of that name.
    """
    if name not in discover_proofs(package_name=package_name):
        load_proof(name, package_name=package_name)  # raises the error naming the proofs
    try:
        module = load_proof(name, package_name=package_name)
    except Exception as error:  # the module's code: a failed proof, not a crash
        detail = f"{type(error).__name__}: {error}"
        failed = LemmaResult("import", passed=False, seconds=0.0, error=detail)
        return ProofReport(ProofResult(name, f"{name} (cannot be imported)", "", (failed,)))
    result = run_proof(name, package_name=package_name)
    problems: list[str] = []
    derivation = _derivation(module, problems)
    figures = _write_figures(name, module, Path(out), problems)
    return ProofReport(result, derivation, figures, tuple(problems))


def _derivation(module: ModuleType, problems: list[str]) -> Derivation | None:
    make = getattr(module, "derivation", None)
    if not callable(make):
        return None
    try:
        derivation = make()
    except Exception as error:  # the module's code: report it, never stop the report
        problems.append(f"derivation() raised {type(error).__name__}: {error}")
        return None
    if not isinstance(derivation, Derivation):
        problems.append(f"derivation() returned a {type(derivation).__name__}, not a Derivation")
        return None
    return derivation


def _write_figures(
    name: str, module: ModuleType, out: Path, problems: list[str]
) -> tuple[Path, ...]:
    make = getattr(module, "figures", None)
    if not callable(make):
        return ()
    try:
        figures: Mapping[str, Any] = make()
    except Exception as error:  # the module's code: report it, never stop the report
        problems.append(f"figures() raised {type(error).__name__}: {error}")
        return ()
    written = []
    (out / "figures").mkdir(parents=True, exist_ok=True)
    for stem, figure in figures.items():
        if not _FIGURE_STEM.fullmatch(stem):
            problems.append(f"figure name {stem!r} is not a file stem (letters, digits, _ and -)")
            continue
        # prefixed by the proof's name (unless it already is), so that names never collide
        path = Path("figures") / f"{stem if stem.startswith(name) else f'{name}-{stem}'}.png"
        figure.savefig(out / path, dpi=FIGURE_DPI, bbox_inches="tight")
        _release(figure)
        written.append(path)
    return tuple(written)


def _release(figure: Any) -> None:
    """Close a figure that pyplot manages (one made with ``matplotlib.figure.Figure`` needs not)."""
    if getattr(figure.canvas, "manager", None) is not None:
        import matplotlib.pyplot as plt

        plt.close(figure)


def is_restructuredtext(text: str) -> bool:
    r"""Whether a docstring is clean reStructuredText (Sphinx's roles allowed).

    A proof's statement may be written as plain text (``C_f = |x|``, ``sum_{j <= n}``), which
    reStructuredText would misread (``|x|`` is a substitution); such a statement is shown as
    it is written.

    Examples
    --------
    >>> is_restructuredtext("For :math:`k \\ge 1`, see :func:`sawtooth`.")
    True
    >>> is_restructuredtext("C_f = |x| is not smooth")
    False
    """
    try:
        from docutils import nodes
        from docutils.core import publish_doctree
    except ImportError:  # no docutils (it comes with Sphinx): show statements as written
        return False
    # math blocks are fine, and inside a Sphinx build Sphinx's own math directive (which
    # docutils finds there) needs a Sphinx environment: check the text around them
    text = _MATH_DIRECTIVE.sub("math block\n\n", _ROLE.sub(r"``\1``", text + "\n"))
    doctree = publish_doctree(text, settings_overrides=_DOCUTILS)
    messages = [
        *doctree.findall(nodes.system_message),
        *doctree.parse_messages,
        *doctree.transform_messages,
    ]
    return not any(message["level"] >= 2 for message in messages)


def paragraphs(text: str) -> list[str]:
    """The blank-line-separated paragraphs of a plain-text statement."""
    return [block.strip() for block in re.split(r"\n\s*\n", text) if block.strip()]


# --- Markdown -----------------------------------------------------------------------------------


def rst_to_markdown(text: str) -> str:
    r"""A docstring's reStructuredText as Markdown: math in ``$``, roles as code spans.

    Examples
    --------
    >>> print(rst_to_markdown("For :math:`k \\ge 1` see :func:`sawtooth` and ``m``."))
    For $k \ge 1$ see `sawtooth` and `m`.
    """

    def display(match: re.Match[str]) -> str:
        return "$$\n" + _dedent(match.group(1)).strip() + "\n$$\n\n"

    text = _MATH_DIRECTIVE.sub(display, text + "\n")
    text = re.sub(r"\n{3,}", "\n\n", text).rstrip("\n")
    text = _MATH_ROLE.sub(r"$\1$", text)
    text = _ROLE.sub(r"``\1``", text)
    return text.replace("``", "`")


def _dedent(block: str) -> str:
    lines = block.splitlines()
    indents = [len(line) - len(line.lstrip()) for line in lines if line.strip()]
    cut = min(indents, default=0)
    return "\n".join(line[cut:] for line in lines)


def _summary(result: ProofResult) -> tuple[str, str, str]:
    """A proof's row of the summary table: its result, the lemmas that hold, its time."""
    held = sum(lemma.passed for lemma in result.lemmas)
    word = "holds" if result.passed else "FAILED"
    return word, f"{held}/{len(result.lemmas)}", f"{result.seconds:.2f}"


def _verdict(result: ProofResult) -> str:
    held = sum(lemma.passed for lemma in result.lemmas)
    word = "holds" if result.passed else "FAILED"
    return f"{word}: {held} of {len(result.lemmas)} lemmas, {result.seconds:.2f} s"


def markdown_report(reports: Sequence[ProofReport]) -> str:
    """The report as Markdown."""
    held = sum(report.result.passed for report in reports)
    lines = [
        "# symdl: the theorems, verified",
        "",
        f"{held} of {len(reports)} proofs hold.",
        "",
        "| proof | theorem | result | lemmas | seconds |",
        "|---|---|---|---|---:|",
    ]
    for report in reports:
        word, lemmas, seconds = _summary(report.result)
        lines.append(
            f"| `{report.result.name}` | {report.result.title} | {word} | {lemmas} | {seconds} |"
        )
    for report in reports:
        lines.extend(["", *_markdown_proof(report)])
    # Markdown renderers typeset math (MathJax, KaTeX) anywhere in the text: the proofs'
    # statements, errors and derivations are shown, never run
    return safe_latex("\n".join(lines) + "\n")


def _markdown_proof(report: ProofReport) -> list[str]:
    result = report.result
    lines = [f"## {result.title}", "", f"`{result.name}` — {_verdict(result)}.", ""]
    if result.statement:
        statement = result.statement
        if is_restructuredtext(statement):
            statement = rst_to_markdown(statement)
        lines.extend([statement, ""])
    for lemma in result.lemmas:
        mark = "✓" if lemma.passed else "✗"
        error = f": {lemma.error}" if lemma.error else ""
        lines.append(f"- {mark} `{lemma.name}` ({lemma.seconds:.2f} s){error}")
    for problem in report.problems:
        lines.extend(["", f"> Note: {problem}"])
    if report.derivation is not None:
        lines.extend(["", report.derivation.markdown().rstrip("\n")])
    for figure in report.figures:
        lines.extend(["", f"![{figure.stem}]({figure.as_posix()})"])
    return lines


# --- LaTeX --------------------------------------------------------------------------------------

_PREAMBLE = r"""\documentclass[11pt]{article}
\usepackage[utf8]{inputenc}
\usepackage[T1]{fontenc}
\usepackage{amsmath}
\usepackage{amssymb}
\usepackage{graphicx}
\usepackage{longtable}
\usepackage{hyperref}
\allowdisplaybreaks
"""


def rst_to_latex(text: str) -> str:
    r"""A docstring's reStructuredText as a LaTeX body, by docutils' LaTeX writer.

    Examples
    --------
    >>> print(rst_to_latex("For :math:`k \\ge 1`, *every* ``m``."))
    For $k \ge 1$, \emph{every} \texttt{m}.
    """
    from docutils.core import publish_parts

    parts = publish_parts(
        _ROLE.sub(r"``\1``", safe_rst_math(text)),
        writer="latex",
        settings_overrides={
            **_DOCUTILS,
            "use_latex_citations": True,
            "legacy_column_widths": False,
            "use_latex_toc": True,
        },
    )
    body: str = parts["body"]
    return body.strip()


def _latex_text(text: str) -> str:
    """Plain text (a lemma's error, a title) for LaTeX: specials escaped."""
    specials = {c: "\\" + c for c in "&%$#_{}"}
    specials.update({"\\": r"\textbackslash{}", "~": r"\textasciitilde{}", "^": r"\^{}"})
    return "".join(specials.get(char, char) for char in text)


def _unicode_declarations(document: str) -> list[str]:
    r"""``\DeclareUnicodeCharacter`` for the non-Latin-1 characters of the document.

    The field's symbols (σ, δ, ∂, …) get their LaTeX from :func:`symdl.core.notation.math_to_latex`,
    dashes and quotes from :func:`symdl.core.notation.prose_to_latex`; any other character is
    printed as its code point, so the report always compiles.
    """
    lines = []
    for char in sorted({char for char in document if ord(char) > 0xFF}):
        try:
            latex = r"\ensuremath{" + math_to_latex(char).strip() + "}"
        except ValueError:
            try:  # typography of prose: dashes, quotes, ellipsis
                latex = prose_to_latex(char)
            except ValueError:
                latex = rf"\texttt{{U+{ord(char):04X}}}"
        lines.append(rf"\DeclareUnicodeCharacter{{{ord(char):04X}}}{{{latex}}}")
    return lines


def latex_report(reports: Sequence[ProofReport]) -> str:
    """The report as a LaTeX document."""
    held = sum(report.result.passed for report in reports)
    body = [
        r"\title{symdl: the theorems, verified}",
        r"\date{}",
        r"\maketitle",
        f"{held} of {len(reports)} proofs hold.",
        r"\begin{longtable}{llrr}",
        r"proof & result & lemmas & seconds \\ \hline",
    ]
    for report in reports:
        word, lemmas, seconds = _summary(report.result)
        name = _latex_text(report.result.name)
        body.append(rf"\texttt{{{name}}} & {word} & {lemmas} & {seconds} \\")
    body.append(r"\end{longtable}")
    for report in reports:
        body.extend(_latex_proof(report))
    text = "\n".join(body)
    preamble = _PREAMBLE + "\n".join(_unicode_declarations(text))
    return f"{preamble}\n\\begin{{document}}\n{text}\n\\end{{document}}\n"


def _latex_proof(report: ProofReport) -> list[str]:
    result = report.result
    lines = [
        rf"\section{{{_latex_text(result.title)}}}",
        rf"\texttt{{{_latex_text(result.name)}}}: {_latex_text(_verdict(result))}.",
        "",
    ]
    if result.statement and is_restructuredtext(result.statement):
        lines.append(rst_to_latex(result.statement))
    elif result.statement:
        lines.extend(_latex_text(block) + "\n" for block in paragraphs(result.statement))
    lines.append(r"\begin{itemize}")
    for lemma in result.lemmas:
        mark = r"$\checkmark$" if lemma.passed else r"$\times$"
        error = f": {_latex_text(lemma.error)}" if lemma.error else ""
        name = _latex_text(lemma.name)
        lines.append(rf"\item[{mark}] \texttt{{{name}}} ({lemma.seconds:.2f} s){error}")
    lines.append(r"\end{itemize}")
    for problem in report.problems:
        lines.append(rf"\noindent\emph{{Note: {_latex_text(problem)}}}")
    if report.derivation is not None:
        lines.append(report.derivation.latex(environment="align*", indicator=r"\mathbf{1}"))
    for figure in report.figures:
        lines.append(
            r"\begin{center}\includegraphics[width=0.8\linewidth]"
            rf"{{{figure.as_posix()}}}\end{{center}}"
        )
    return lines


# --- files --------------------------------------------------------------------------------------


def write_report(reports: Sequence[ProofReport], out: Path) -> dict[str, Path]:
    """Write ``report.md`` and ``report.tex`` into ``out``; the paths written, by format."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    paths = {"markdown": out / "report.md", "latex": out / "report.tex"}
    paths["markdown"].write_text(markdown_report(reports), encoding="utf-8")
    paths["latex"].write_text(latex_report(reports), encoding="utf-8")
    return paths


def compile_pdf(tex: Path, *, timeout: float = 120.0) -> Path:
    """Compile a report's ``.tex`` with ``pdflatex`` beside it; the PDF's path.

    Raises
    ------
    symdl.core.exceptions.SymdlError
        when ``pdflatex`` is missing or the document does not compile (with the log's errors).
    """
    engine = shutil.which("pdflatex")
    if engine is None:
        raise SymdlError(
            "pdflatex is not installed; install it (Debian: texlive-latex-base) "
            "or use the Markdown report"
        )
    tex = Path(tex).resolve()
    with tempfile.TemporaryDirectory() as scratch:
        command = [
            engine,
            "-interaction=nonstopmode",
            "-halt-on-error",
            f"-output-directory={scratch}",
            tex.name,
        ]
        for _ in range(2):  # the second run settles the longtable's column widths
            run = subprocess.run(
                command,
                cwd=tex.parent,
                capture_output=True,
                text=True,
                encoding="utf-8",
                errors="replace",  # the log quotes the document's bytes, not always UTF-8
                timeout=timeout,
                check=False,
            )
            if run.returncode != 0:
                errors = [line for line in run.stdout.splitlines() if line.startswith("!")]
                raise SymdlError(
                    f"pdflatex could not compile {tex}: {'; '.join(errors) or run.stdout[-500:]}"
                )
        pdf = tex.with_suffix(".pdf")
        shutil.copyfile(Path(scratch) / pdf.name, pdf)
    return pdf
