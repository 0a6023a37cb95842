r"""Derivations: ordered steps (left side, right side, reason) rendered as a lecturer writes them.

A :class:`Derivation` is the written form of a proof or a computation: a title, a statement,
and a list of steps :math:`\text{lhs} = \text{rhs}` each with the reason it holds (the chain
rule, BP1–BP4 of Nielsen's chapter 2, the definition of :math:`z^l`, …), with optional prose
remarks between them.  It renders to

- LaTeX: an ``align`` environment (:meth:`Derivation.latex`) or a standalone document that
  compiles with ``pdflatex`` using only ``amsmath`` and ``amssymb``
  (:meth:`Derivation.latex_document`);
- Markdown with ``$$`` display math (:meth:`Derivation.markdown`);
- Jupyter (``_repr_latex_``, ``_repr_html_`` with MathJax delimiters ``\( \)`` and ``\[ \]``).

Expressions are printed by :class:`~symdl.core.notation.LecturePrinter` (see
:func:`~symdl.core.notation.latex_expr`), which writes the
notation of a lecture rather than SymPy's internal forms: :math:`\operatorname{ReLU}(z)` for
``Max(0, z)``, :math:`\mathbb{1}[z > 0]` for ``Heaviside(z, 0)``, and
:math:`\frac{\partial C}{\partial z}` or :math:`\sigma'(z)` for SymPy's
``Subs(Derivative(...))``.

Text (titles, statements, remarks, reasons) is prose with inline math between ``$`` signs.
Prose is escaped for LaTeX and HTML; the common Unicode symbols of the field (σ, δ, ∂, ⊙, ≤,
…) are translated to LaTeX, and any other non-ASCII character is refused with a clear error,
since ``pdflatex`` cannot typeset it.  The math is the author's LaTeX, but a command that acts
beyond typesetting (``\input``, ``\write18``, ``\def``, ``\href``, …) is shown as text, never
run, in every output (:func:`symdl.core.notation.safe_latex`).

References
----------
M. Nielsen, *Neural Networks and Deep Learning*, ch. 2 (2015): the equations BP1–BP4.
D. Rumelhart, G. Hinton, R. Williams, "Learning representations by back-propagating errors",
Nature 323 (1986).
"""

from __future__ import annotations

import enum
import html
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TypeAlias

import sympy as sp

from symdl.core.notation import (
    LecturePrinter,
    latex_expr,
    math_html,
    math_to_latex,
    plain_expr,
    plain_math,
    prose_to_latex,
    safe_latex,
)

__all__ = [
    "Derivation",
    "LecturePrinter",
    "Reason",
    "Relation",
    "Remark",
    "Step",
    "latex_expr",
]


class Reason(enum.Enum):
    """Why a step holds.  Free text is accepted too, wherever a reason is."""

    DEFINITION = "by definition"
    CHAIN_RULE = "chain rule"
    BP1 = "BP1"
    BP2 = "BP2"
    BP3 = "BP3"
    BP4 = "BP4"
    INDUCTION = "induction hypothesis"
    SIMPLIFICATION = "simplification"
    SUBSTITUTION = "substitution"
    LINEARITY = "linearity of the derivative"
    PRODUCT_RULE = "product rule"
    KRONECKER_DELTA = "only the term with equal indices remains"
    CONVENTION = "convention at the kink"
    ASSUMPTION = "assumption"

    @property
    def text(self) -> str:
        """The reason as it is printed next to the step."""
        return f"({self.value})" if self.name.startswith("BP") else self.value


class Relation(enum.Enum):
    """The relation between the two sides of a step, with its LaTeX and its plain text."""

    EQ = ("=", "=")
    DEFINE = (":=", ":=")
    IMPLIES = (r"\implies", "=>")
    IFF = (r"\iff", "<=>")
    LE = (r"\le", "<=")
    GE = (r"\ge", ">=")

    @property
    def latex(self) -> str:
        """The relation in LaTeX (``\\le``)."""
        return self.value[0]

    @property
    def plain(self) -> str:
        """The relation in plain text (``<=``)."""
        return self.value[1]


Side: TypeAlias = sp.Basic | str
"""One side of a step, a SymPy object or a string of LaTeX ("" continues the previous step)."""


@dataclass(frozen=True)
class Step:
    """One step ``lhs <relation> rhs`` of a derivation and the reason it holds.

    ``lhs`` and ``rhs`` are SymPy objects or strings of LaTeX; an empty ``lhs`` continues a
    chain of equalities from the previous step.
    """

    lhs: Side
    rhs: Side
    reason: Reason | str
    relation: Relation = Relation.EQ

    @property
    def reason_text(self) -> str:
        """The reason as printed (prose with ``$`` math)."""
        return self.reason.text if isinstance(self.reason, Reason) else self.reason


@dataclass(frozen=True)
class Remark:
    """A paragraph of prose (with ``$`` inline math) between steps."""

    text: str


_ENVIRONMENTS = ("align", "align*", "aligned")


def _side(value: object, name: str) -> Side:
    """Check one side of a step: SymPy objects, LaTeX strings and ints; no floats."""
    if isinstance(value, str):
        math_to_latex(value)  # refuses characters pdflatex cannot typeset
        return value
    if isinstance(value, bool | float):
        raise TypeError(
            f"{name}={value!r} is a {type(value).__name__}; a step's sides are exact: pass a "
            f"SymPy expression (sympy.Rational for fractions) or a string of LaTeX"
        )
    if isinstance(value, int):
        return sp.Integer(value)
    if isinstance(value, sp.MatrixBase):
        return sp.ImmutableMatrix(value)
    if isinstance(value, sp.Basic):
        if value.atoms(sp.Float):
            raise TypeError(
                f"{name}={value} contains floating-point numbers; symdl derivations are exact: "
                f"use sympy.Rational"
            )
        return value
    raise TypeError(
        f"{name}={value!r} (a {type(value).__name__}) is not a SymPy expression or a LaTeX "
        f"string; pass one of those"
    )


def _reason(value: object) -> Reason | str:
    if isinstance(value, Reason):
        return value
    if isinstance(value, str):
        if not value.strip():
            raise ValueError(
                "a step needs a reason: pass a Reason (e.g. Reason.CHAIN_RULE) or a sentence"
            )
        prose_to_latex(value)  # refuses unbalanced $ and untypesettable characters
        return value
    raise TypeError(f"reason={value!r} must be a Reason or a string; e.g. Reason.CHAIN_RULE")


class Derivation:
    r"""An ordered list of steps with their reasons, rendered to LaTeX, Markdown and Jupyter.

    Parameters
    ----------
    title
        The title (prose with ``$`` math), e.g. ``"Backpropagation in a 2-layer network"``.
    statement
        What is derived or proved (prose with ``$`` math); may be empty.

    Examples
    --------
    >>> import sympy as sp
    >>> z = sp.Symbol("z", real=True)
    >>> d = Derivation("ReLU", statement="The derivative of ReLU, with ReLU'(0) = 0.")
    >>> d.add(sp.Symbol("r'(z)"), sp.Heaviside(z, 0), Reason.CONVENTION)
    >>> print(d.latex(environment="align*"))
    \begin{align*}
    r'(z) &= \mathbb{1}\left[z > 0\right] && \text{convention at the kink}
    \end{align*}
    >>> len(d), d.steps[0].reason
    (1, <Reason.CONVENTION: 'convention at the kink'>)
    """

    def __init__(self, title: str, *, statement: str = "") -> None:
        if not isinstance(title, str) or not title.strip():
            raise ValueError(f"title={title!r}: a derivation needs a non-empty title (a string)")
        if not isinstance(statement, str):
            raise TypeError(f"statement={statement!r} must be a string (prose with $ math)")
        prose_to_latex(title)
        prose_to_latex(statement)
        self.title = title
        self.statement = statement
        self._items: list[Step | Remark] = []

    # --- building ------------------------------------------------------------------------

    def add(
        self,
        lhs: sp.Basic | str,
        rhs: sp.Basic | str,
        reason: Reason | str,
        *,
        relation: Relation = Relation.EQ,
    ) -> None:
        """Append the step ``lhs <relation> rhs`` with its reason.

        ``lhs`` and ``rhs`` are SymPy objects or LaTeX strings; ``lhs=""`` continues the chain
        of the previous step.  ``reason`` is a :class:`Reason` or a sentence.
        """
        if not isinstance(relation, Relation):
            raise TypeError(f"relation={relation!r} must be a Relation, e.g. Relation.EQ")
        step = Step(_side(lhs, "lhs"), _side(rhs, "rhs"), _reason(reason), relation)
        self._items.append(step)

    def remark(self, text: str) -> None:
        """Append a paragraph of prose (with ``$`` math) between steps."""
        if not isinstance(text, str) or not text.strip():
            raise ValueError(f"remark text={text!r} must be a non-empty string")
        prose_to_latex(text)
        self._items.append(Remark(text))

    def extend(self, other: Derivation) -> None:
        """Append every step and remark of ``other`` (its title becomes a remark)."""
        if not isinstance(other, Derivation):
            raise TypeError(f"can only extend with a Derivation, not {type(other).__name__}")
        self._items.append(Remark(other.title))
        self._items.extend(other._items)

    @property
    def steps(self) -> tuple[Step, ...]:
        """The steps, in order (remarks left out)."""
        return tuple(item for item in self._items if isinstance(item, Step))

    @property
    def items(self) -> tuple[Step | Remark, ...]:
        """The steps and remarks, in order."""
        return tuple(self._items)

    def equalities(self) -> list[tuple[sp.Basic, sp.Basic, Step]]:
        """The equalities between SymPy objects that the derivation states, for checking.

        A step ``lhs = rhs`` with two SymPy sides gives ``(lhs, rhs)``; a step continuing a
        chain (empty ``lhs``) gives ``(previous rhs, rhs)`` when both are SymPy objects.
        Sides written as LaTeX strings cannot be checked and are left out.

        Examples
        --------
        >>> import sympy as sp
        >>> x = sp.Symbol("x", real=True)
        >>> d = Derivation("square")
        >>> d.add(sp.Derivative(x**2, x), 2 * x, Reason.SIMPLIFICATION)
        >>> d.add("", "2x", "the same, in LaTeX")
        >>> [(sp.simplify(a.doit() - b), step.reason) for a, b, step in d.equalities()]
        [(0, <Reason.SIMPLIFICATION: 'simplification'>)]
        """
        pairs = []
        previous: Side = ""
        for step in self.steps:
            left = previous if step.lhs == "" else step.lhs
            sympy_sides = isinstance(left, sp.Basic) and isinstance(step.rhs, sp.Basic)
            if sympy_sides and step.relation is Relation.EQ:
                pairs.append((left, step.rhs, step))
            previous = step.rhs
        return pairs

    def __len__(self) -> int:
        return len(self.steps)

    def __iter__(self) -> Iterator[Step]:
        return iter(self.steps)

    # --- rendering ------------------------------------------------------------------------

    def _row(self, step: Step, printer: LecturePrinter) -> str:
        lhs = _side_latex(step.lhs, printer)
        rhs = _side_latex(step.rhs, printer)
        reason = prose_to_latex(step.reason_text)
        return f"{lhs} &{step.relation.latex} {rhs} && \\text{{{reason}}}"

    def _blocks(self, printer: LecturePrinter) -> Iterator[Remark | list[str]]:
        """Runs of consecutive step rows, separated by the remarks."""
        rows: list[str] = []
        for item in self._items:
            if isinstance(item, Remark):
                if rows:
                    yield rows
                    rows = []
                yield item
            else:
                rows.append(self._row(item, printer))
        if rows:
            yield rows

    def latex(self, *, environment: str = "align", indicator: str = r"\mathbb{1}") -> str:
        r"""The steps as one ``align`` (or ``align*``, ``aligned``) environment.

        Remarks become ``\intertext`` in ``align`` and ``align*``, and text rows in
        ``aligned`` (for MathJax, which has no ``\intertext``).  ``indicator`` is the LaTeX of
        the indicator function (``\mathbb{1}`` suits MathJax).
        """
        if environment not in _ENVIRONMENTS:
            raise ValueError(
                f"environment={environment!r} is not supported; use one of {_ENVIRONMENTS}"
            )
        printer = LecturePrinter(indicator=indicator)
        lines: list[str] = []
        for block in self._blocks(printer):
            if isinstance(block, Remark):
                text = prose_to_latex(block.text)
                if environment == "aligned":
                    lines.append(f"&\\text{{{text}}}")
                else:
                    lines.append(f"\\intertext{{{text}}}")
            else:
                lines.extend(block)
        if not any(isinstance(item, Step) for item in self._items):
            lines.append(r"&\text{(no steps yet)}")
        # rows end with \\ except the last one; \intertext follows a \\ and ends no row
        rows = []
        for index, line in enumerate(lines):
            ends_row = index < len(lines) - 1 and not line.startswith(r"\intertext")
            rows.append(line + (r" \\" if ends_row else ""))
        body = "\n".join(rows)
        return f"\\begin{{{environment}}}\n{body}\n\\end{{{environment}}}"

    def latex_document(self) -> str:
        r"""A standalone LaTeX document that compiles with pdflatex.

        It uses ``amsmath``, ``amssymb`` and ``geometry`` (all in Debian's
        ``texlive-latex-base``).

        The indicator is written :math:`\mathbf{1}` there, since ``amssymb`` has no
        blackboard-bold digit.
        """
        parts = [
            r"\documentclass[11pt]{article}",
            r"\usepackage{amsmath}",
            r"\usepackage{amssymb}",
            r"\usepackage[margin=2cm]{geometry}",  # room for wide equations
            r"\allowdisplaybreaks",
            r"\begin{document}",
            f"\\section*{{{prose_to_latex(self.title)}}}",
        ]
        if self.statement.strip():
            parts.append(prose_to_latex(self.statement))
        parts.append(self.latex(environment="align", indicator=r"\mathbf{1}"))
        parts.append(r"\end{document}")
        return "\n\n".join(parts) + "\n"

    def markdown(self) -> str:
        """Markdown: the title as a heading, prose paragraphs and ``$$`` aligned blocks."""
        printer = LecturePrinter()
        # the prose goes to a Markdown renderer with math (MathJax, KaTeX): shown, never run
        parts = [f"### {safe_latex(self.title)}"]
        if self.statement.strip():
            parts.append(safe_latex(self.statement))
        for block in self._blocks(printer):
            if isinstance(block, Remark):
                parts.append(safe_latex(block.text))
            else:
                body = " \\\\\n".join(block)
                parts.append(f"$$\n\\begin{{aligned}}\n{body}\n\\end{{aligned}}\n$$")
        return "\n\n".join(parts) + "\n"

    def _repr_latex_(self) -> str:
        return "$$\n" + self.latex(environment="aligned") + "\n$$"

    def _repr_html_(self) -> str:
        printer = LecturePrinter()
        parts = [f"<h4>{_prose_html(self.title)}</h4>"]
        if self.statement.strip():
            parts.append(f"<p>{_prose_html(self.statement)}</p>")
        for block in self._blocks(printer):
            if isinstance(block, Remark):
                parts.append(f"<p>{_prose_html(block.text)}</p>")
            else:
                body = " \\\\\n".join(block)
                math = f"\\begin{{aligned}}\n{body}\n\\end{{aligned}}"
                parts.append(f"<p>{math_html(math)}</p>")
        return '<div class="symdl-derivation">\n' + "\n".join(parts) + "\n</div>"

    def __str__(self) -> str:
        lines = [self.title]
        if self.statement.strip():
            lines.append(_prose_plain(self.statement))
        for item in self._items:
            if isinstance(item, Remark):
                lines.append(_prose_plain(item.text))
            else:
                lhs = _side_plain(item.lhs)
                rhs = _side_plain(item.rhs)
                reason = _prose_plain(item.reason_text)
                lines.append(f"  {lhs} {item.relation.plain} {rhs}    [{reason}]")
        return "\n".join(lines)

    def __repr__(self) -> str:
        return f"Derivation({self.title!r}, steps={len(self)})"


def _side_latex(side: Side, printer: LecturePrinter) -> str:
    if isinstance(side, str):
        return math_to_latex(side)
    return printer.doprint(side)


def _side_plain(side: Side) -> str:
    return plain_math(side) if isinstance(side, str) else plain_expr(side)


def _prose_plain(text: str) -> str:
    """Prose for a terminal: the ``$…$`` math as plain text, without the dollars."""
    return plain_math(text.replace("$", ""))


def _prose_html(text: str) -> str:
    r"""Prose for HTML: text escaped, ``$…$`` turned into MathJax's ``\(…\)``.

    MathJax reads the whole page, text included: no command of the text is run
    (:func:`symdl.core.notation.safe_latex`).
    """
    pieces = safe_latex(text).split("$")
    out = []
    for index, piece in enumerate(pieces):
        escaped = html.escape(piece, quote=False)
        out.append(f"\\({escaped}\\)" if index % 2 else escaped)
    return "".join(out)
