r"""The proof report: every proof's statement, verification, derivation and figures.

``symdl prove`` writes, into one folder,

- ``report.md``: Markdown with ``$`` and ``$$`` math (GitHub, Jupyter and most static-site
  tools render it);
- ``report.tex``: a LaTeX document set like a short textbook: a table of contents, a table of
  the results, and for each theorem a numbered section with its statement, the lemmas that
  verify it, its written derivation (steps on the left, reasons wrapped on the right) and its
  figures, numbered and captioned.  It compiles with ``pdflatex`` using the packages of
  Debian's ``texlive-latex-base`` alone; ``report.pdf`` on request (:func:`compile_pdf`, which
  keeps pdflatex's ``report.log`` beside it);
- ``figures/``: every figure of the proof modules' ``figures()`` twice, as a PNG for the
  Markdown and as a PDF (vector graphics) for LaTeX.

The report says what holds, never how long it took: run times are in ``symdl prove --json``.

A proof module's docstring is reStructuredText (as Sphinx reads it): in LaTeX its text is
escaped and its math (``:math:`` roles and ``math`` directives) kept; the Markdown keeps it
almost as written, with the math in ``$`` and ``$$``.  Cross-reference roles (``:func:`…```)
become code spans, since a report has nothing to link them to.  A statement that is not clean
reStructuredText is shown as written, as plain text.

Every character outside ASCII gets LaTeX: the field's symbols (σ, δ, ∂, ∫, √, ‖, …) and the
typography of prose (dashes, quotes, accented letters) from the tables of
:mod:`symdl.core.notation`, a letter with a combining accent (f̂) as a math accent, and the
report's own marks (✓, ✗) from :data:`REPORT_SYMBOLS` (see :func:`unicode_latex`).  A
character none of these knows, which only text from outside symdl can bring (a course's proof
module, an error message quoting its input), is written as its Unicode name, so that the
report always compiles.
"""

from __future__ import annotations

import contextlib
import logging
import re
import shutil
import subprocess
import tempfile
import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

from symdl.core.derivation import Derivation, Remark
from symdl.core.exceptions import SymdlError
from symdl.core.notation import (
    LecturePrinter,
    math_to_latex,
    prose_to_latex,
    safe_latex,
    statement_latex,
    statement_text,
)
from symdl.publish.proving import (
    PROOF_PACKAGE,
    LemmaResult,
    ProofResult,
    discover_proofs,
    load_proof,
    run_proof,
)

__all__ = [
    "REPORT_SYMBOLS",
    "ProofReport",
    "collect",
    "compile_pdf",
    "figure_caption",
    "is_restructuredtext",
    "latex_report",
    "markdown_report",
    "safe_rst_math",
    "unicode_latex",
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

    ``figures`` are the PNG files written, relative to the report folder (each has a PDF of
    the same name beside it, for LaTeX), and ``captions`` their captions (prose with ``$``
    math), in the same order; ``problems`` are the errors of the module's optional parts
    (``derivation()``, ``figures()``), which the report shows but which do not make the
    theorem fail.
    """

    result: ProofResult
    derivation: Derivation | None = None
    figures: tuple[Path, ...] = ()
    problems: tuple[str, ...] = ()
    captions: tuple[str, ...] = ()

    def caption(self, index: int) -> str:
        """The caption of figure ``index``: the one given, else one made from its file name."""
        if index < len(self.captions) and self.captions[index].strip():
            return self.captions[index]
        return _sentence(self.figures[index].stem.replace("_", " ").replace("-", " "))


def collect(name: str, out: Path, *, package_name: str = PROOF_PACKAGE) -> ProofReport:
    """Run the proof ``name`` and gather its derivation and figures (written to ``out``).

    A module that cannot even be imported is a proof that fails (its one "lemma" is the
    import), so that one broken module never stops the report.

    A module's ``figures()`` maps a file stem to a matplotlib figure, or to a pair (figure,
    caption) with the caption as prose with ``$`` math; without one, the caption is made from
    the figure's own titles (:func:`figure_caption`).

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
    figures, captions = _write_figures(name, module, Path(out), problems)
    return ProofReport(result, derivation, figures, tuple(problems), captions)


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
) -> tuple[tuple[Path, ...], tuple[str, ...]]:
    make = getattr(module, "figures", None)
    if not callable(make):
        return (), ()
    try:
        figures: Mapping[str, Any] = make()
    except Exception as error:  # the module's code: report it, never stop the report
        problems.append(f"figures() raised {type(error).__name__}: {error}")
        return (), ()
    import matplotlib

    written, captions = [], []
    (out / "figures").mkdir(parents=True, exist_ok=True)
    for stem, value in figures.items():
        if not _FIGURE_STEM.fullmatch(stem):
            problems.append(f"figure name {stem!r} is not a file stem (letters, digits, _ and -)")
            continue
        figure, caption = value if isinstance(value, tuple) else (value, None)
        if not isinstance(caption, str | None):
            problems.append(f"the caption of figure {stem!r} is not a string: {caption!r}")
            caption = None
        # prefixed by the proof's name (unless it already is), so that names never collide
        path = Path("figures") / f"{stem if stem.startswith(name) else f'{name}-{stem}'}.png"
        try:
            figure.savefig(out / path, dpi=FIGURE_DPI, bbox_inches="tight")
            # the text of the PDF as TrueType, selectable and searchable
            with matplotlib.rc_context({"pdf.fonttype": 42}), _quiet("fontTools"):
                figure.savefig(out / path.with_suffix(".pdf"), bbox_inches="tight")
            caption = figure_caption(figure) if caption is None else caption
        except Exception as error:  # the module's figure: report it, never stop the report
            problems.append(f"figure {stem!r} cannot be saved: {type(error).__name__}: {error}")
            continue
        finally:
            _release(figure)
        written.append(path)
        captions.append(caption)
    return tuple(written), tuple(captions)


@contextlib.contextmanager
def _quiet(logger_name: str) -> Iterator[None]:
    """Only errors from the logger ``logger_name`` while the block runs (fontTools warns about
    the dates inside matplotlib's own fonts when it embeds them)."""
    logger = logging.getLogger(logger_name)
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


def _release(figure: Any) -> None:
    """Close a figure that pyplot manages (one made with ``matplotlib.figure.Figure`` needs not)."""
    if getattr(getattr(figure, "canvas", None), "manager", None) is not None:
        import matplotlib.pyplot as plt

        plt.close(figure)


def _sentence(text: str) -> str:
    """``text`` as a sentence: a capital first letter (outside math) and a full stop."""
    text = text.strip()
    if not text:
        return text
    first = re.match(r"[^\W\d_]+", text)
    if first and len(first.group()) > 1 and first.group().islower():  # "k = 5" stays
        text = text[0].upper() + text[1:]
    return text if text[-1] in ".!?" else text + "."


def figure_caption(figure: Any) -> str:
    r"""A caption for a matplotlib figure, from its own titles (prose with ``$`` math).

    The figure's title, then its panels' titles: one panel's title alone; for panels side by
    side, "Left: …; right: …" or "From left to right: …".  A figure without titles gets an
    empty caption.

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> figure = Figure()
    >>> left, right = figure.subplots(1, 2)
    >>> _ = left.set_title("sigmoid units"), right.set_title("$m^{2}$: 4 pieces")
    >>> figure_caption(figure)
    'Left: sigmoid units; right: $m^{2}$: 4 pieces.'
    """
    get_suptitle = getattr(figure, "get_suptitle", None)
    heading = get_suptitle() if callable(get_suptitle) else ""
    panels = [(axes, axes.get_title()) for axes in figure.axes]
    titled = [(axes, title.strip()) for axes, title in panels if title.strip()]
    titles = [title for _, title in titled]
    side_by_side = (
        len(titled) == len(panels) > 1
        and len({round(axes.get_position().y0, 2) for axes, _ in titled}) == 1
    )
    if side_by_side:
        ordered = [t for _, t in sorted(titled, key=lambda item: item[0].get_position().x0)]
        if len(ordered) == 2:
            body = f"Left: {ordered[0]}; right: {ordered[1]}"
        else:
            body = "From left to right: " + "; ".join(ordered)
    else:
        body = "; ".join(titles)
    parts = [_sentence(part) for part in (heading, body) if part.strip()]
    return " ".join(parts)


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


def _lemma_words(name: str) -> str:
    """A lemma's function name as words: ``lemma_two_layer_network`` → "two layer network"."""
    words = name.removeprefix("lemma_").replace("_", " ").strip()
    return words or name


def _outcome(result: ProofResult) -> str:
    """How many lemmas hold, in words: "all 6 lemmas hold", "1 of 2 lemmas fails"."""
    total = len(result.lemmas)
    failed = sum(not lemma.passed for lemma in result.lemmas)
    if total == 0:
        return "it has no lemma, so nothing is verified"
    if failed == 0:
        return "the lemma holds" if total == 1 else f"all {total} lemmas hold"
    verb = "fails" if failed == 1 else "fail"
    return f"{failed} of {total} {'lemma' if total == 1 else 'lemmas'} {verb}"


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


def _summary(result: ProofResult) -> tuple[str, str]:
    """A proof's row of the summary table: its result and the lemmas that hold."""
    held = sum(lemma.passed for lemma in result.lemmas)
    word = "holds" if result.passed else "FAILED"
    return word, f"{held}/{len(result.lemmas)}"


def markdown_report(reports: Sequence[ProofReport]) -> str:
    """The report as Markdown."""
    held = sum(report.result.passed for report in reports)
    lines = [
        "# symdl: the theorems, verified",
        "",
        f"{held} of {len(reports)} proofs hold.",
        "",
        "| proof | theorem | result | lemmas |",
        "|---|---|---|---:|",
    ]
    for report in reports:
        word, lemmas = _summary(report.result)
        lines.append(f"| `{report.result.name}` | {report.result.title} | {word} | {lemmas} |")
    number = 0
    for report in reports:
        lines.extend(["", *_markdown_proof(report, number)])
        number += len(report.figures)
    # Markdown renderers typeset math (MathJax, KaTeX) anywhere in the text: the proofs'
    # statements, errors and derivations are shown, never run
    return safe_latex("\n".join(lines) + "\n")


def _markdown_proof(report: ProofReport, figures_before: int) -> list[str]:
    result = report.result
    lines = [f"## {result.title}", "", f"`{result.name}`: {_outcome(result)}.", ""]
    if result.statement:
        statement = result.statement
        if is_restructuredtext(statement):
            statement = rst_to_markdown(statement)
        lines.extend([statement, ""])
    for lemma in result.lemmas:
        mark = "✓" if lemma.passed else "✗"
        error = f": {lemma.error}" if lemma.error else ""
        lines.append(f"- {mark} {_lemma_words(lemma.name)} (`{lemma.name}`){error}")
    for problem in report.problems:
        lines.extend(["", f"> Note: {problem}"])
    if report.derivation is not None:
        lines.extend(["", report.derivation.markdown().rstrip("\n")])
    for index, figure in enumerate(report.figures):
        number = figures_before + index + 1
        lines.extend(
            [
                "",
                f"![Figure {number}]({figure.as_posix()})",
                "",
                f"*Figure {number}.* {report.caption(index)}",
            ]
        )
    return lines


# --- Unicode ------------------------------------------------------------------------------------

REPORT_SYMBOLS: Mapping[str, str] = {
    # the report's own marks, spaces and signs
    "✓": r"\ensuremath{\checkmark}",
    "✔": r"\ensuremath{\checkmark}",
    "✗": r"\ensuremath{\times}",
    "✘": r"\ensuremath{\times}",
    "§": r"\ensuremath{\S}",
    "¶": r"\ensuremath{\P}",
    "•": r"\ensuremath{\bullet}",
    "°": r"\ensuremath{^\circ}",
    "†": r"\ensuremath{\dagger}",
    "¿": "?`",
    "þ": "th",
    "\u00a0": "~",  # no-break space
    "\u2009": r"\,",  # thin space
    "\u202f": r"\,",  # narrow no-break space
    # symbols of symdl's messages that the notation's tables leave out
    "ȷ": r"\ensuremath{\jmath}",
    "ι": r"\ensuremath{\iota}",
    "υ": r"\ensuremath{\upsilon}",
    "ϖ": r"\ensuremath{\varpi}",
    "ℏ": r"\ensuremath{\hbar}",
    "℘": r"\ensuremath{\wp}",
    "ℵ": r"\ensuremath{\aleph}",
    "⅕": r"\ensuremath{\tfrac{1}{5}}",
    "↑": r"\ensuremath{\uparrow}",
    "↓": r"\ensuremath{\downarrow}",
    "↗": r"\ensuremath{\nearrow}",
    "↘": r"\ensuremath{\searrow}",
    "↛": r"\ensuremath{\nrightarrow}",
    "∐": r"\ensuremath{\coprod}",
    "∗": r"\ensuremath{\ast}",
    "∠": r"\ensuremath{\angle}",
    "∥": r"\ensuremath{\parallel}",
    "∬": r"\ensuremath{\iint}",
    "∮": r"\ensuremath{\oint}",
    "≮": r"\ensuremath{\nless}",
    "≯": r"\ensuremath{\ngtr}",
    "≰": r"\ensuremath{\nleq}",
    "≱": r"\ensuremath{\ngeq}",
    "⊤": r"\ensuremath{^{\top}}",
    "⊢": r"\ensuremath{\vdash}",
    "⊨": r"\ensuremath{\models}",
    "∣": r"\ensuremath{\mid}",
    "∤": r"\ensuremath{\nmid}",
    "≺": r"\ensuremath{\prec}",
    "≻": r"\ensuremath{\succ}",
    "∎": r"\ensuremath{\blacksquare}",
    "◦": r"\ensuremath{\circ}",
    "⋂": r"\ensuremath{\bigcap}",
    "⋃": r"\ensuremath{\bigcup}",
    "⋅": r"\ensuremath{\cdot}",
    "⋆": r"\ensuremath{\star}",
    "⋮": r"\ensuremath{\vdots}",
    "⋱": r"\ensuremath{\ddots}",
    "□": r"\ensuremath{\square}",
    "△": r"\ensuremath{\triangle}",
    "ᵏ": r"\ensuremath{^{k}}",
    "ₗ": r"\ensuremath{_{l}}",
    "«": r"\ensuremath{\ll}",
    "»": r"\ensuremath{\gg}",
}
"""LaTeX for the characters of the report itself (its marks ✓ and ✗, spaces, §) and for the
symbols of symdl's messages that the tables of :mod:`symdl.core.notation` leave out; those
tables come first."""

# a letter followed by combining accents: f̂, ω̂
_ACCENTED = re.compile(r"(.)([\u0300-\u036f\u20d0-\u20ff]+)", re.S)
# characters that TeX cannot read (escape codes of a terminal, form feeds)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def unicode_latex(char: str) -> str:
    r"""The LaTeX of one character outside ASCII, valid in text and in math mode.

    The field's symbols come from :func:`symdl.core.notation.math_to_latex` (as
    ``\ensuremath``), the typography of prose (dashes, quotes, accented letters) from
    :func:`symdl.core.notation.prose_to_latex`, the report's own marks from
    :data:`REPORT_SYMBOLS`, and a compatibility form (a full-width or bold digit) from its
    ASCII equivalent.

    Raises
    ------
    ValueError
        for a character none of these knows.

    Examples
    --------
    >>> print(unicode_latex("σ"), unicode_latex("–"), unicode_latex("ú"), unicode_latex("✓"))
    \ensuremath{\sigma} -- \'{u} \ensuremath{\checkmark}
    >>> unicode_latex("☃")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: character '☃' (SNOWMAN) has no LaTeX in the report: add it to the tables of ...
    """
    if len(char) != 1 or char.isascii():
        raise ValueError(f"{char!r} is not one character outside ASCII; pass one, e.g. 'σ'")
    try:
        math = math_to_latex(char).strip()
    except ValueError:
        pass
    else:
        if math:
            return rf"\ensuremath{{{math}}}"
    try:
        text = prose_to_latex(char)
    except ValueError:
        pass
    else:
        if text and "$" not in text:
            return text
    if char in REPORT_SYMBOLS:
        return REPORT_SYMBOLS[char]
    compatible = unicodedata.normalize("NFKC", char)
    if compatible.isascii() and compatible.strip():
        return _latex_text(compatible)
    name = unicodedata.name(char, "an unnamed character")
    raise ValueError(
        f"character {char!r} ({name}) has no LaTeX in the report: add it to the tables of "
        f"symdl.core.notation or to REPORT_SYMBOLS"
    )


def _unknown_character(char: str) -> str:
    """A character without LaTeX, written as its Unicode name ("[snowman]")."""
    name = unicodedata.name(char, "unknown character").lower()
    return rf"\textit{{[{name}]}}"


def _character_latex(char: str) -> str:
    try:
        return unicode_latex(char)
    except ValueError:
        return _unknown_character(char)


def _resolve_unicode(document: str) -> tuple[str, list[str]]:
    r"""The document with its accented letters written out, and the
    ``\DeclareUnicodeCharacter`` lines for every other character outside ASCII in it."""
    document = _CONTROL.sub(" ", unicodedata.normalize("NFC", document))

    def accented(match: re.Match[str]) -> str:
        letter, marks = match.group(1), match.group(2)
        try:
            return rf"\ensuremath{{{math_to_latex(letter + marks).strip()}}}"
        except ValueError:
            return _character_latex(letter) if not letter.isascii() else letter

    document = _ACCENTED.sub(accented, document)
    declarations = [
        rf"\DeclareUnicodeCharacter{{{ord(char):04X}}}{{{_character_latex(char)}}}"
        for char in sorted({char for char in document if not char.isascii()})
    ]
    return document, declarations


# --- LaTeX --------------------------------------------------------------------------------------

# Computer Modern in the OT1 encoding: Type 1 fonts of texlive-base, so that the PDF's text is
# vector (T1 would need the cm-super fonts, or pdflatex draws bitmaps)
_PREAMBLE = r"""\documentclass[11pt,a4paper]{article}
\usepackage[utf8]{inputenc}
\usepackage[hmargin=2.8cm,vmargin=3cm]{geometry}
\usepackage{amsmath}
\usepackage{amssymb}
\usepackage{graphicx}
\usepackage{array}
\usepackage{longtable}
\usepackage{color}
\definecolor{symdllink}{rgb}{0.1,0.2,0.55}
\usepackage{hyperref}
\hypersetup{colorlinks=true,linkcolor=symdllink,urlcolor=symdllink,
  pdftitle={symdl: the theorems, verified}}
\allowdisplaybreaks
\setlength{\emergencystretch}{3em}
\tolerance=1000
\DeclareTextCommandDefault{\textquotedbl}{''}
% list marks from the math fonts (the text ones would be bitmaps in this encoding)
\renewcommand\labelitemi{\ensuremath{\bullet}}
\renewcommand\labelitemiii{\ensuremath{\ast}}
\renewcommand\labelitemiv{\ensuremath{\cdot}}
\makeatletter
% section titles set ragged right: a long title wraps instead of running into the margin
\renewcommand\section{\@startsection{section}{1}{\z@}{-3.5ex \@plus -1ex \@minus -.2ex}%
  {2.3ex \@plus.2ex}{\normalfont\Large\bfseries\raggedright}}
\renewcommand\subsection{\@startsection{subsection}{2}{\z@}{-3.25ex\@plus -1ex \@minus -.2ex}%
  {1.5ex \@plus .2ex}{\normalfont\large\bfseries\raggedright}}
% the contents: entries closer together than the article's, long titles ragged right
\renewcommand*\l@section[2]{\ifnum\c@tocdepth>\z@\addpenalty\@secpenalty
  \addvspace{0.5em \@plus\p@}\setlength\@tempdima{1.5em}\begingroup
  \parindent\z@\rightskip\@pnumwidth\@plus 3em\parfillskip-\@pnumwidth
  \leavevmode\bfseries\advance\leftskip\@tempdima\hskip-\leftskip
  #1\nobreak\hfil\nobreak\hb@xt@\@pnumwidth{\hss#2\kern-\p@\kern\p@}\par\endgroup\fi}
% a graphic at its own size, or as wide as the text when it is wider
\newlength\symdl@box
\newcommand\symdlgraphic[1]{\settowidth\symdl@box{\includegraphics{#1}}%
  \ifdim\symdl@box>\linewidth\includegraphics[width=\linewidth]{#1}%
  \else\includegraphics{#1}\fi}
% A derivation: \symdlderivation{\symdlstep{lhs}{= rhs}{reason} \symdlremark{text} ...}.
% Its steps are measured first.  The left sides are set flush right in a column (as wide as
% the widest one up to 2/5 of the line), the right sides after them, and the reasons in a
% column at the right margin: as wide as the widest reason, or of the width (7/10, 3/5, 1/2,
% 2/5 or 3/10 of the room the left sides leave) that costs the fewest extra lines.  A reason
% longer than its column wraps; an equation too long for the room beside the reasons takes
% the whole line (breaking after an operator if it must), and its reason goes below it; a
% left side wider than its column starts the equation at the margin.
\newcount\symdl@mode % 0: set the steps; 1: measure them; 2: count the extra lines
\newcount\symdl@cost \newcount\symdl@best
\newlength\symdl@lhs \newlength\symdl@why \newlength\symdl@need \newlength\symdl@trial
\newlength\symdl@free
\newif\ifsymdl@wide
% \symdl@span{lhs}{rhs}: the width of the step's equation, from the margin, into \symdl@box;
% \ifsymdl@wide when its left side does not fit the column
\newcommand\symdl@span[2]{\settowidth\symdl@box{$\displaystyle#1$}%
  \ifdim\symdl@box>\symdl@lhs\symdl@widetrue\settowidth\symdl@box{$\displaystyle#1#2$}%
  \else\symdl@widefalse\settowidth\symdl@box{$\displaystyle{}#2$}%
    \addtolength\symdl@box{\symdl@lhs}\fi}
\newcommand\symdl@reason[1]{\parbox[t]{\symdl@why}{\raggedright\small#1}}
\newcommand\symdlstep[3]{%
  \ifcase\symdl@mode
    \par\noindent\symdl@span{#1}{#2}%
    \ifdim\symdl@box>\dimexpr\linewidth-2em-\symdl@why\relax
      \parbox[t]{\linewidth}{\raggedright\hangafter=1\relax
        \ifsymdl@wide\hangindent=2em$\displaystyle#1#2$\else
        \hangindent=\dimexpr\symdl@lhs+2em\relax
        \makebox[\symdl@lhs][r]{$\displaystyle#1$}$\displaystyle{}#2$\fi}\par
      \nopagebreak\noindent\hfill\symdl@reason{#3}\par
    \else
      \parbox[t]{\dimexpr\linewidth-2em-\symdl@why\relax}{\raggedright
        \ifsymdl@wide$\displaystyle#1#2$\else
        \makebox[\symdl@lhs][r]{$\displaystyle#1$}$\displaystyle{}#2$\fi}%
      \hspace{2em}\symdl@reason{#3}\par
    \fi
  \or
    \settowidth\symdl@box{$\displaystyle#1$}%
    \ifdim\symdl@box>\symdl@lhs\ifdim\symdl@box>0.4\linewidth\else
      \setlength\symdl@lhs{\symdl@box}\fi\fi
    \settowidth\symdl@box{\small#3}%
    \ifdim\symdl@box>\symdl@need\setlength\symdl@need{\symdl@box}\fi
  \or
    \symdl@span{#1}{#2}%
    \ifdim\symdl@box>\dimexpr\linewidth-2em-\symdl@trial\relax\advance\symdl@cost\@ne\fi
    \settowidth\symdl@box{\small#3}%
    \ifdim\symdl@box>\symdl@trial\advance\symdl@cost\@ne\fi
  \fi}
\newcommand\symdlremark[1]{\ifnum\symdl@mode=\z@\par\smallskip\noindent#1\par\smallskip\fi}
\newcommand\symdl@try[1]{\setlength\symdl@trial{#1}%
  \ifdim\symdl@trial>\symdl@need\setlength\symdl@trial{\symdl@need}\fi
  \symdl@cost\z@\symdl@mode\tw@\symdl@body
  \ifnum\symdl@cost<\symdl@best\symdl@best\symdl@cost\setlength\symdl@why{\symdl@trial}\fi}
\newcommand\symdlderivation[1]{\par\begingroup
  \def\symdl@body{#1}%
  \setlength\symdl@lhs{0pt}\setlength\symdl@need{0pt}%
  \symdl@mode\@ne\symdl@body
  \setlength\symdl@free{\dimexpr\linewidth-\symdl@lhs-2em\relax}%
  \symdl@best\maxdimen
  \symdl@try{0.7\symdl@free}\symdl@try{0.6\symdl@free}\symdl@try{0.5\symdl@free}%
  \symdl@try{0.4\symdl@free}\symdl@try{0.3\symdl@free}%
  \symdl@mode\z@\setlength\parskip{1.2ex plus 0.3ex}\medskip\symdl@body\par\endgroup\medskip}
\makeatother
"""

# breaks allowed in a long word of plain text (an identifier, an expression written in ASCII)
_LONG_WORD = 24
_TEXT_SPECIALS = {
    "\\": r"\textbackslash{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "{": r"\{",
    "}": r"\}",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
    "<": r"\textless{}",
    ">": r"\textgreater{}",
    "|": r"\textbar{}",
}


def _latex_text(text: str, *, breakable: bool = False, typewriter: bool = False) -> str:
    """Plain text (a title, a lemma's error) for LaTeX: specials escaped, straight double
    quotes paired as opening and closing quotes (kept straight in ``typewriter`` type); with
    ``breakable``, a word longer than 24 characters may break between any two of them."""
    out = []
    opening = True
    for word in re.split(r"(\s+)", text):
        gap = "\\allowbreak{}" if breakable and len(word) > _LONG_WORD else ""
        pieces = []
        for char in word:
            if char == '"' and not typewriter:
                pieces.append("``" if opening else "''")
                opening = not opening
            else:
                pieces.append(_TEXT_SPECIALS.get(char, char))
        out.append(gap.join(pieces))
    return "".join(out)


def rst_to_latex(text: str) -> str:
    r"""A docstring's reStructuredText as a LaTeX body, by docutils' LaTeX writer.

    The report itself writes statements with :func:`symdl.core.notation.statement_latex`,
    which gives the lecture's notation and ASCII LaTeX for ``pdflatex``.

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


_TEXTTT = re.compile(r"\\texttt\{((?:[^{}]|\{\})*)\}")
# a quotation in straight quotes, within a paragraph and outside math
_QUOTED = re.compile(r'"([^"$\n]*(?:\n[^"$\n]+)*)"')


def _statement_latex(text: str) -> str:
    """A reStructuredText statement as LaTeX: text escaped, math kept
    (:func:`symdl.core.notation.statement_latex`), code spans that may break after a dot,
    an underscore or a slash, and quotations between opening and closing quotes."""
    latex = _QUOTED.sub(r"``\1''", statement_latex(text))
    return _TEXTTT.sub(
        lambda m: r"\texttt{" + re.sub(r"(\.|\\_|/)", r"\1\\allowbreak{}", m.group(1)) + "}",
        latex,
    )


def _title_latex(title: str) -> str:
    """A proof's title (a line of reStructuredText or plain text) as LaTeX."""
    if is_restructuredtext(title):
        return _statement_latex(title)
    return _latex_text(title)


def _title_plain(title: str) -> str:
    """A title as plain text for the PDF's bookmarks, in the notation of a terminal."""
    if is_restructuredtext(title):
        return statement_text(title, width=None)
    return title


def _side(side: Any, printer: LecturePrinter) -> str:
    return math_to_latex(side) if isinstance(side, str) else str(printer.doprint(side))


def _derivation_latex(derivation: Derivation) -> list[str]:
    r"""A derivation as the report sets it: its title, its statement and its steps, each with
    its reason wrapped in a column of its own (``\symdlderivation``)."""
    printer = LecturePrinter(indicator=r"\mathbf{1}")
    lines = [rf"\subsection*{{Derivation: {prose_to_latex(derivation.title)}}}"]
    if derivation.statement.strip():
        lines.append(prose_to_latex(derivation.statement))
    rows = []
    for item in derivation.items:
        if isinstance(item, Remark):
            rows.append(rf"\symdlremark{{{prose_to_latex(item.text)}}}")
        else:
            lhs = _side(item.lhs, printer)
            # no line break right after the relation: a long side breaks further on
            rhs = f"{item.relation.latex}\\nobreak {_side(item.rhs, printer)}"
            reason = prose_to_latex(item.reason_text)
            rows.append(rf"\symdlstep{{{lhs}}}{{{rhs}}}{{{reason}}}")
    if rows:
        lines.extend([r"\symdlderivation{%", *rows, "}"])
    return lines


def _references(labels: Sequence[str]) -> str:
    """The words that refer to figures: "Figure 3", "Figures 3 and 4", with links."""
    refs = [rf"\ref{{{label}}}" for label in labels]
    if len(refs) == 1:
        return f"Figure~{refs[0]}"
    return "Figures~" + ", ".join(refs[:-1]) + f" and~{refs[-1]}"


def latex_report(reports: Sequence[ProofReport]) -> str:
    """The report as a LaTeX document."""
    held = sum(report.result.passed for report in reports)
    body = [
        r"\begin{center}",
        r"{\LARGE\bfseries symdl: the theorems, verified\par}\bigskip",
        rf"{{\large {held} of {len(reports)} proofs hold.\par}}",
        r"\end{center}",
        r"\bigskip",
        r"\noindent Each section states a theorem, lists the lemmas by which symdl verifies it "
        r"(each asserts facts through symdl's public functions, exactly wherever it can) and, "
        r"where the proof module gives them, writes out its derivation and shows its figures. "
        r"Table~\ref{symdl:summary} gives the results at a glance.",
        r"{\hypersetup{linkcolor=black}\tableofcontents}",
        r"\begin{longtable}{@{}r>{\raggedright\arraybackslash}p{\dimexpr\linewidth-11em\relax}rl@{}}",
        r"\caption{The proofs and their results.}\label{symdl:summary}\\",
        r"\hline",
        r"& theorem & lemmas & result \\ \hline",
        r"\endfirsthead",
        r"\hline",
        r"& theorem & lemmas & result \\ \hline",
        r"\endhead",
        r"\hline",
        r"\endfoot",
    ]
    for report in reports:
        _, lemmas = _summary(report.result)
        label = _label(report.result.name)
        title = _title_latex(report.result.title)
        result = "holds" if report.result.passed else r"\textbf{fails}"
        body.append(rf"\ref{{{label}}} & {title} & {lemmas} & {result} \\")
    body.append(r"\end{longtable}")
    number = 0
    for report in reports:
        body.extend(_latex_proof(report, number))
        number += len(report.figures)
    text, declarations = _resolve_unicode("\n".join(body))
    preamble = _PREAMBLE + "\n".join(declarations)
    return f"{preamble}\n\\begin{{document}}\n{text}\n\\end{{document}}\n"


def _label(name: str) -> str:
    return "proof:" + re.sub(r"[^A-Za-z0-9_.-]", "-", name)


def _latex_proof(report: ProofReport, figures_before: int) -> list[str]:
    result = report.result
    title = _title_latex(result.title)
    plain = _latex_text(_title_plain(result.title))
    name = _latex_text(result.name, breakable=True)
    lines = [
        rf"\section{{\texorpdfstring{{{title}}}{{{plain}}}}}\label{{{_label(result.name)}}}",
        rf"\noindent\emph{{Proof module}} \texttt{{{name}}}\emph{{: {_outcome(result)}.}}",
        "",
    ]
    if result.statement and is_restructuredtext(result.statement):
        lines.append(r"\noindent " + _statement_latex(result.statement))
    elif result.statement:
        lines.extend(
            _latex_text(block, breakable=True) + "\n" for block in paragraphs(result.statement)
        )
    labels = [
        f"figure:{figure.stem}-{figures_before + index + 1}"
        for index, figure in enumerate(report.figures)
    ]
    if labels:
        lines.extend(["", f"See {_references(labels)}.", ""])
    if result.lemmas:
        lines.extend([r"\subsection*{Verification}", r"\begin{itemize}\setlength\itemsep{0pt}"])
        for lemma in result.lemmas:
            lines.append(_latex_lemma(lemma))
        lines.append(r"\end{itemize}")
    for problem in report.problems:
        lines.append(
            rf"\par{{\raggedright\noindent\emph{{Note:}} {_latex_text(problem, breakable=True)}"
            r"\par}"
        )
    if report.derivation is not None:
        lines.extend(_derivation_latex(report.derivation))
    for index, (figure, label) in enumerate(zip(report.figures, labels, strict=True)):
        graphic = figure.with_suffix(".pdf").as_posix()
        caption = _caption_latex(report.caption(index))
        lines.extend(
            [
                r"\begin{figure}[htbp]",
                r"\centering",
                rf"\symdlgraphic{{{graphic}}}",
                rf"\caption{{{caption}}}\label{{{label}}}",
                r"\end{figure}",
            ]
        )
    return lines


def _latex_lemma(lemma: LemmaResult) -> str:
    words = _latex_text(_lemma_words(lemma.name), breakable=True)
    if lemma.passed:
        return rf"\item[$\checkmark$] {words}"
    error = _latex_text(lemma.error, breakable=True, typewriter=True) or "no message"
    return (
        rf"\item[$\times$] {words}: \textbf{{fails}}."
        rf"\par{{\raggedright\small\ttfamily {error}\par}}"
    )


def _caption_latex(caption: str) -> str:
    """A caption (prose with ``$`` math, as matplotlib writes titles) as LaTeX."""
    try:
        return prose_to_latex(caption)
    except ValueError:  # unbalanced $ or a character prose cannot have: shown as text
        return _latex_text(caption, breakable=True)


# --- files --------------------------------------------------------------------------------------


def write_report(reports: Sequence[ProofReport], out: Path) -> dict[str, Path]:
    """Write ``report.md`` and ``report.tex`` into ``out``; the paths written, by format."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    paths = {"markdown": out / "report.md", "latex": out / "report.tex"}
    paths["markdown"].write_text(markdown_report(reports), encoding="utf-8")
    paths["latex"].write_text(latex_report(reports), encoding="utf-8")
    return paths


_RERUN = re.compile(r"Rerun to get|Label\(s\) may have changed|run LaTeX again", re.I)


def compile_pdf(tex: Path, *, timeout: float = 120.0) -> Path:
    """Compile a report's ``.tex`` with ``pdflatex`` beside it; the PDF's path.

    pdflatex runs until the table of contents and the references settle (two to four runs),
    without shell escape; its log is kept beside the PDF (``report.log``).

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
            "-no-shell-escape",
            f"-output-directory={scratch}",
            tex.name,
        ]
        log = Path(scratch) / tex.with_suffix(".log").name
        for run_number in range(4):
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
            # the first run writes the contents and the labels, the second reads them
            if run_number >= 1 and not _RERUN.search(log.read_text(errors="replace")):
                break
        pdf = tex.with_suffix(".pdf")
        shutil.copyfile(Path(scratch) / pdf.name, pdf)
        shutil.copyfile(log, tex.with_suffix(".log"))
    return pdf
