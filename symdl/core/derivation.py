r"""Derivations: ordered steps (left side, right side, reason) rendered as a lecturer writes them.

A :class:`Derivation` is the written form of a proof or a computation: a title, a statement,
and a list of steps :math:`\text{lhs} = \text{rhs}` each with the reason it holds (the chain
rule, BP1–BP4 of Nielsen's chapter 2, the definition of :math:`z^l`, …), with optional prose
remarks between them.  It renders to

- LaTeX: an ``align*`` (or ``align``, ``aligned``) environment (:meth:`Derivation.latex`) or a
  standalone document that compiles with ``pdflatex`` using only ``amsmath`` and ``amssymb``
  (:meth:`Derivation.latex_document`);
- Markdown with ``$$`` display math (:meth:`Derivation.markdown`);
- Jupyter (``_repr_latex_``, ``_repr_html_`` with MathJax delimiters ``\( \)`` and ``\[ \]``);
- a terminal (``str``): each side in the lecture's Unicode notation
  (:func:`symdl.core.notation.math_text`: δ^(2)_1, ∂C/∂w, σ'(z), a², ≤).

The LaTeX fits the page (:class:`Layout`):

- a step whose reason is one of (BP1)–(BP4) carries it as the equation's tag
  (``\tag{BP2}``), any other reason is set in the tag's place (``\tag*{chain rule}``), so no
  line is numbered twice;
- a page may break between two steps (``\displaybreak[0]`` before their ``\\``), never inside
  one, so a derivation longer than a page needs no ``\allowdisplaybreaks`` in the preamble;
- a right side too wide for the line is broken: a long sum after a ``+`` or ``-``, a product
  between its factors, or inside the parentheses of a long factor (``\bigl(`` … ``\bigr)``),
  each continuation line indented by ``\quad``.  The widths are those of Computer Modern at the
  document's font size, estimated from the LaTeX (:func:`math_width`).

Expressions are printed by :class:`~symdl.core.notation.LecturePrinter` (see
:func:`~symdl.core.notation.latex_expr`), which writes the
notation of a lecture rather than SymPy's internal forms: :math:`\operatorname{ReLU}(z)` for
``Max(0, z)``, :math:`\mathbb{1}[z > 0]` for ``Heaviside(z, 0)``, and
:math:`\frac{\partial C}{\partial z}` or :math:`\sigma'(z)` for SymPy's
``Subs(Derivative(...))``.  Sums and products are written in the lecture's order: a weighted
input as :math:`w a + b` (products before a lone symbol), a product as :math:`w\,\delta` and
:math:`\delta\, a` (weights, then errors, then targets, then the rest), each factor's own
order kept otherwise.

Text (titles, statements, remarks, reasons) is prose with inline math between ``$`` signs.
Prose is escaped for LaTeX and HTML; the common Unicode symbols of the field (σ, δ, ∂, ⊙, ≤,
…) are translated to LaTeX, and a character ``pdflatex`` cannot typeset is refused with a
clear error.  The math is the author's LaTeX, but a command that acts
beyond typesetting (``\input``, ``\write18``, ``\def``, ``\href``, …) is shown as text, never
run, in every output (:func:`symdl.core.notation.safe_latex`).

References
----------
M. Nielsen, *Neural Networks and Deep Learning*, ch. 2 (2015): the equations BP1–BP4.
D. Rumelhart, G. Hinton, R. Williams, "Learning representations by back-propagating errors",
Nature 323 (1986).
D. E. Knuth, *The TeXbook* (1984), ch. 17 and appendix G: the spacing of math atoms used to
estimate widths.
"""

from __future__ import annotations

import enum
import html
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, TypeAlias

import sympy as sp

from symdl.core.notation import (
    LecturePrinter,
    latex_expr,
    math_html,
    math_text,
    math_to_latex,
    prose_to_latex,
    safe_latex,
)

__all__ = [
    "Derivation",
    "Layout",
    "LecturePrinter",
    "Reason",
    "Relation",
    "Remark",
    "Step",
    "latex_expr",
    "lecture_factors",
    "lecture_terms",
    "math_width",
    "text_width",
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

    @property
    def tag(self) -> str | None:
        """The equation tag of (BP1)–(BP4) (``"BP2"``), ``None`` for any other reason."""
        return self.value if self.name.startswith("BP") else None


class Relation(enum.Enum):
    """The relation between the two sides of a step, with its LaTeX and its plain text."""

    EQ = ("=", "=")
    DEFINE = (":=", ":=")
    IMPLIES = (r"\implies", "⇒")
    IFF = (r"\iff", "⇔")
    LE = (r"\le", "≤")
    GE = (r"\ge", "≥")

    @property
    def latex(self) -> str:
        """The relation in LaTeX (``\\le``)."""
        return self.value[0]

    @property
    def plain(self) -> str:
        """The relation in plain text, the lecture's symbol (``≤``)."""
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


# --- the page ---------------------------------------------------------------------------------

_EM = 10.0  # points in an em of a 10 pt font, the unit of the widths below


@dataclass(frozen=True)
class Layout:
    r"""The page a derivation's LaTeX is laid out for.

    Parameters
    ----------
    width_em
        The width of the text in ems of the document's font.  The default, 32, fits LaTeX's
        ``article`` class at 10, 11 and 12 pt (its ``\textwidth`` is 34.5, 32.9 and 32.6 em)
        with room to spare; ``latex_document`` uses 44 (2 cm margins at 11 pt).

    Examples
    --------
    >>> Layout().width_pt, Layout(width_em=44).width_pt
    (320.0, 440.0)
    >>> Layout(width_em=3)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: Layout width_em=3 is not a text width: give a number of ems between 12 and 200 ...
    """

    width_em: float = 32.0

    def __post_init__(self) -> None:
        if isinstance(self.width_em, bool) or not isinstance(self.width_em, int | float):
            raise TypeError(f"Layout width_em={self.width_em!r} must be a number of ems, e.g. 32")
        if not 12 <= self.width_em <= 200:
            raise ValueError(
                f"Layout width_em={self.width_em!r} is not a text width: give a number of ems "
                f"between 12 and 200 (32 fits LaTeX's article class)"
            )

    @property
    def width_pt(self) -> float:
        """The width in points of a 10 pt font, the unit of :func:`math_width`."""
        return float(self.width_em) * _EM


DEFAULT_LAYOUT = Layout()
"""The page of LaTeX's ``article`` class (32 em)."""
DOCUMENT_LAYOUT = Layout(width_em=44)
"""The page of :meth:`Derivation.latex_document` (11 pt, 2 cm margins)."""


# --- the width of LaTeX on the page -----------------------------------------------------------

# Widths in points of Computer Modern at 10 pt, measured with pdflatex: math italic letters
# (with their italic correction) and roman text.
_ITALIC = dict(
    zip(
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
        (5.29, 4.29, 4.33, 5.20, 4.66, 5.97, 5.13, 5.76, 3.45, 4.69, 5.52, 3.18, 8.78, 6.00,
         4.85, 5.03, 4.82, 4.79, 4.69, 3.61, 5.72, 5.21, 7.43, 5.72, 5.26, 5.09, 7.50, 8.09,
         7.86, 8.56, 7.96, 7.82, 7.86, 9.12, 5.18, 6.51, 9.21, 6.81, 10.79, 9.12, 7.91, 7.81,
         7.91, 7.67, 6.71, 7.23, 7.92, 8.06, 10.83, 9.07, 8.03, 7.54),
        strict=True,
    )
)  # fmt: skip
_ROMAN = dict(
    zip(
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
        (5.00, 5.56, 4.44, 5.56, 4.44, 3.06, 5.00, 5.56, 2.78, 3.06, 5.28, 2.78, 8.33, 5.56,
         5.00, 5.56, 5.28, 3.92, 3.94, 3.89, 5.56, 5.28, 7.22, 5.28, 5.28, 4.44, 7.50, 7.08,
         7.22, 7.64, 6.81, 6.53, 7.85, 7.50, 3.61, 5.14, 7.78, 6.25, 9.17, 7.50, 7.78, 6.81,
         7.78, 7.36, 5.56, 7.22, 7.50, 7.50, 10.28, 7.50, 7.50, 6.11),
        strict=True,
    )
)  # fmt: skip
_ROMAN.update({" ": 3.33, "(": 3.89, ")": 3.89, "[": 2.78, "]": 2.78, "'": 2.78, "-": 3.33,
               ",": 2.78, ".": 2.78, ":": 2.78, ";": 2.78, "=": 7.78, "+": 7.78, "/": 5.0,
               "!": 2.78, "?": 4.72, "%": 8.33, "&": 7.78, "#": 8.33, "_": 3.5,
               "`": 2.78})  # fmt: skip

# The classes of math atoms (The TeXbook, ch. 17) and the space between two of them, in
# points at 10 pt: thin 1.67, medium 2.22, thick 2.78; spaces marked "display" vanish in
# subscripts and superscripts.
ORD, OP, BIN, REL, OPEN, CLOSE, PUNCT, INNER = range(8)
_THIN, _MEDIUM, _THICK = 1.67, 2.22, 2.78
_SPACING = (
    # right: ORD  OP  BIN  REL  OPEN CLOSE PUNCT INNER      (negative: display styles only)
    (0, 1, -2, -3, 0, 0, 0, -1),  # left ORD
    (1, 1, 0, -3, 0, 0, 0, -1),  # OP
    (-2, -2, 0, 0, -2, 0, 0, -2),  # BIN
    (-3, -3, 0, 0, -3, 0, 0, -3),  # REL
    (0, 0, 0, 0, 0, 0, 0, 0),  # OPEN
    (0, 1, -2, -3, 0, 0, 0, -1),  # CLOSE
    (-1, -1, 0, -1, -1, -1, -1, -1),  # PUNCT
    (-1, 1, -2, -3, -1, 0, -1, -1),  # INNER
)
_SPACES = {1: _THIN, 2: _MEDIUM, 3: _THICK}

# Control words: width at 10 pt (display and text style) and atom class.
_COMMANDS: dict[str, tuple[float, int]] = {
    "alpha": (6.43, ORD), "beta": (6.18, ORD), "gamma": (5.73, ORD), "delta": (4.82, ORD),
    "epsilon": (4.66, ORD), "varepsilon": (4.66, ORD), "zeta": (5.11, ORD), "eta": (5.32, ORD),
    "theta": (4.97, ORD), "iota": (3.67, ORD), "kappa": (5.76, ORD), "lambda": (5.83, ORD),
    "mu": (6.03, ORD), "nu": (5.58, ORD), "xi": (4.84, ORD), "pi": (6.06, ORD),
    "rho": (5.17, ORD), "sigma": (6.07, ORD), "tau": (5.50, ORD), "phi": (5.96, ORD),
    "varphi": (6.54, ORD), "chi": (6.26, ORD), "psi": (6.87, ORD), "omega": (6.58, ORD),
    "Gamma": (6.25, ORD), "Delta": (8.33, ORD), "Theta": (7.78, ORD), "Lambda": (6.94, ORD),
    "Xi": (6.67, ORD), "Pi": (7.50, ORD), "Sigma": (7.22, ORD), "Phi": (7.22, ORD),
    "Psi": (7.78, ORD), "Omega": (7.22, ORD), "partial": (5.86, ORD), "nabla": (8.33, ORD),
    "infty": (10.0, ORD), "ell": (4.17, ORD), "prime": (2.75, ORD), "backslash": (5.0, ORD),
    "emptyset": (5.0, ORD), "forall": (5.56, ORD), "exists": (5.56, ORD), "neg": (6.67, ORD),
    "|": (5.0, ORD), "{": (5.0, OPEN), "}": (5.0, CLOSE), "lvert": (2.78, OPEN),
    "rvert": (2.78, CLOSE), "langle": (3.89, OPEN), "rangle": (3.89, CLOSE),
    "lfloor": (4.44, OPEN), "rfloor": (4.44, CLOSE), "lceil": (4.44, OPEN), "rceil": (4.44, CLOSE),
    "odot": (7.78, BIN), "cdot": (2.78, BIN), "times": (7.78, BIN), "pm": (7.78, BIN),
    "mp": (7.78, BIN), "circ": (5.0, BIN), "setminus": (5.0, BIN), "cup": (6.67, BIN),
    "cap": (6.67, BIN), "otimes": (7.78, BIN), "oplus": (7.78, BIN), "ast": (5.0, BIN),
    "le": (7.78, REL), "ge": (7.78, REL), "leq": (7.78, REL), "geq": (7.78, REL),
    "ne": (7.78, REL), "neq": (7.78, REL), "approx": (7.78, REL), "equiv": (7.78, REL),
    "sim": (7.78, REL), "in": (6.67, REL), "notin": (6.67, REL), "subset": (7.78, REL),
    "subseteq": (7.78, REL), "to": (10.0, REL), "mapsto": (10.0, REL), "implies": (21.67, REL),
    "iff": (23.89, REL), "Rightarrow": (10.0, REL), "Leftrightarrow": (10.0, REL),
    "mid": (2.78, REL), "ll": (10.0, REL), "gg": (10.0, REL), "propto": (7.78, REL),
    "dots": (13.33, INNER), "ldots": (13.33, INNER), "cdots": (13.33, INNER),
    "vdots": (2.78, ORD), "sum": (14.44, OP), "prod": (12.78, OP), "int": (8.34, OP),
    "%": (8.33, ORD), "$": (5.0, ORD), "&": (7.78, ORD), "#": (8.33, ORD), "_": (3.5, ORD),
}  # fmt: skip
# Operator names in roman type (class OP); those marked with limits put them below.
_OPERATORS = {"log", "ln", "exp", "sin", "cos", "tan", "sinh", "cosh", "tanh", "arg", "det",
              "dim", "ker", "deg", "sec", "csc", "cot", "arcsin", "arccos", "arctan",
              "sgn"}  # fmt: skip
_LIMIT_OPERATORS = {"max", "min", "sup", "inf", "lim", "argmax", "argmin", "liminf", "limsup"}
_SPACE_COMMANDS = {"quad": 10.0, "qquad": 20.0, ",": _THIN, ":": _MEDIUM, ";": _THICK,
                   "!": -_THIN, " ": 3.33, "enspace": 5.0, "thinspace": _THIN}  # fmt: skip
_TEXT_COMMANDS = {"text", "textrm", "mbox", "textit", "textup", "textnormal", "textsf"}
_ROMAN_COMMANDS = {"mathrm", "mathsf", "mathtt", "mathcal", "mathscr", "mathfrak"}
_ACCENTS = {"hat", "bar", "tilde", "vec", "dot", "ddot", "widehat", "widetilde", "overline",
            "underline", "check", "breve", "acute", "grave", "mathring"}  # fmt: skip
_IGNORED = {"left", "right", "limits", "nolimits", "displaystyle", "textstyle", "scriptstyle",
            "notag", "nonumber", "relax", "strut", "allowbreak", "nobreak",
            "mathstrut"}  # fmt: skip
_WITH_ARGUMENT_IGNORED = {"tag", "tag*", "label", "displaybreak", "phantom", "hphantom"}
# Styles: display, text, script, scriptscript, and the scale of their glyphs.
_DISPLAY, _TEXT, _SCRIPT, _SCRIPTSCRIPT = range(4)
_SCALE = (1.0, 1.0, 0.8, 0.68)


def _script_style(style: int) -> int:
    return _SCRIPT if style <= _TEXT else _SCRIPTSCRIPT


def _fraction_style(style: int) -> int:
    return min(style + 1, _SCRIPTSCRIPT)


_TOKEN = re.compile(r"\\[A-Za-z]+\*?|\\.|\s+|.", re.DOTALL)


def _tokens(latex: str) -> list[str]:
    """LaTeX as tokens: control sequences, characters, and " " for a run of spaces."""
    return [" " if t.isspace() else t for t in _TOKEN.findall(latex)]


def _group_end(tokens: list[str], start: int) -> int:
    """The index after the group that opens at ``tokens[start] == "{"``."""
    depth = 0
    for index in range(start, len(tokens)):
        if tokens[index] == "{":
            depth += 1
        elif tokens[index] == "}":
            depth -= 1
            if depth == 0:
                return index + 1
    return len(tokens)


def _argument(tokens: list[str], start: int) -> tuple[list[str], int]:
    """The argument starting at ``start`` (a braced group or one token) and the index after."""
    while start < len(tokens) and tokens[start] == " ":
        start += 1
    if start >= len(tokens):
        return [], start
    if tokens[start] == "{":
        end = _group_end(tokens, start)
        return tokens[start + 1 : end - 1], end
    return [tokens[start]], start + 1


def _optional(tokens: list[str], start: int) -> int:
    """Skip an optional argument ``[...]`` at ``start``."""
    if start < len(tokens) and tokens[start] == "[":
        while start < len(tokens) and tokens[start] != "]":
            start += 1
        return start + 1
    return start


def _text_width(text: str, style: int) -> float:
    """The width of text-mode LaTeX (``\\text{…}``), inline ``$…$`` math included."""
    width = 0.0
    for index, piece in enumerate(text.split("$")):
        if index % 2:
            width += _width(_tokens(piece), max(style, _TEXT))
            continue
        tokens = _tokens(piece)
        position = 0
        while position < len(tokens):
            token = tokens[position]
            position += 1
            if token == " ":
                width += 3.33
            elif token.startswith("\\") and token[1:] in _COMMANDS and len(token) > 2:
                width += _COMMANDS[token[1:]][0]  # \textbackslash and friends are rare
            elif token.startswith("\\"):
                if token.rstrip("*")[1:] in _TEXT_COMMANDS | _ROMAN_COMMANDS:
                    continue  # a font command: its argument is text
                width += _ROMAN.get(token[1:], 5.0) if len(token) == 2 else 5.0
            elif token in "{}":
                continue
            else:
                width += _ROMAN.get(token, 5.0)
    return width * _SCALE[style]


def _delimiter(tokens: list[str], index: int) -> tuple[str, int]:
    """The delimiter after ``\\left``, ``\\bigl``, … and the index after it."""
    while index < len(tokens) and tokens[index] == " ":
        index += 1
    if index >= len(tokens):
        return ".", index
    return tokens[index], index + 1


def _matching_right(tokens: list[str], start: int) -> int:
    """The index of the ``\\right`` matching the ``\\left`` at ``tokens[start]``."""
    depth = 0
    for index in range(start, len(tokens)):
        if tokens[index] == "\\left":
            depth += 1
        elif tokens[index] == "\\right":
            depth -= 1
            if depth == 0:
                return index
    return len(tokens)


def _environment_width(body: list[str], name: str, style: int) -> float:
    """The width of a ``cases``, ``matrix`` or ``array`` environment's body."""
    rows: list[list[list[str]]] = [[[]]]
    depth = 0
    for token in body:
        if token == "{":
            depth += 1
        elif token == "}":
            depth -= 1
        if depth == 0 and token == "&":
            rows[-1].append([])
        elif depth == 0 and token == "\\\\":
            rows.append([[]])
        else:
            rows[-1][-1].append(token)
    columns = max(len(row) for row in rows)
    widths = [
        max((_width(row[c], max(style, _TEXT)) for row in rows if c < len(row)), default=0.0)
        for c in range(columns)
    ]
    if name.startswith("cases"):
        return 8.9 + sum(widths) + 10.0 * (columns - 1)
    delimiters = 2 * 5.0 if name[:1] in "pbBvV" else 0.0
    return sum(widths) + 10.0 * (columns - 1) + delimiters


class _Atom:
    """A math atom: its class, its box (width, height, depth) and its scripts' boxes."""

    __slots__ = ("cls", "depth", "height", "limits", "simple", "sub", "sup", "width")

    def __init__(
        self,
        cls: int,
        width: float,
        height: float,
        depth: float,
        *,
        limits: bool = False,
        simple: bool = True,
    ) -> None:
        self.cls = cls
        self.width, self.height, self.depth = width, height, depth
        self.sup: tuple[float, float, float] | None = None
        self.sub: tuple[float, float, float] | None = None
        self.limits = limits
        self.simple = simple  # a single character: scripts attach at fixed heights

    def box(self, style: int) -> tuple[float, float, float]:
        """The atom with its scripts placed as TeX places them (The TeXbook, appendix G)."""
        if self.sup is None and self.sub is None:
            return self.width, self.height, self.depth
        k = _HEIGHT_SCALE[style]
        sup = self.sup or (0.0, 0.0, 0.0)
        sub = self.sub or (0.0, 0.0, 0.0)
        if self.limits and style == _DISPLAY:
            height = self.height + (sup[1] + sup[2] + 1.1 if self.sup else 0.0)
            depth = self.depth + (sub[1] + sub[2] + 1.7 if self.sub else 0.0)
            return max(self.width, sup[0], sub[0]), height, depth
        height, depth = self.height, self.depth
        if self.sup is not None:
            shift = max(
                0.0 if self.simple else self.height - 2.5 * k,
                (4.13 if style == _DISPLAY else 3.63) * k,
                sup[2] + 1.08 * k,
            )
            height = max(height, shift + sup[1])
        if self.sub is not None:
            shift = max(
                0.0 if self.simple else self.depth + 0.5 * k,
                (2.47 if self.sup is not None else 1.5) * k,
                sub[1] - 3.44 * k,
            )
            depth = max(depth, shift + sub[2])
        return self.width + max(sup[0], sub[0]) + 0.5, height, depth  # \scriptspace


# Heights of glyphs in points at 10 pt, and the scale of heights in each style.
_HEIGHT_SCALE = (1.0, 1.0, 0.7, 0.5)
_TALL = set("bdfhklt0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ")
_DESCENDING = set("fgjpqy")
_TALL_COMMANDS = {"delta", "partial", "theta", "lambda", "beta", "zeta", "xi", "ell", "phi",
                  "psi", "infty", "nabla", "backslash", "prime", "sum", "prod", "int"}  # fmt: skip
_DESCENDING_COMMANDS = {"beta", "zeta", "eta", "mu", "xi", "rho", "phi", "varphi", "chi",
                        "psi", "gamma"}  # fmt: skip
# Delimiters by size (normal, \big, \Big, \bigg, \Bigg): total height plus depth, and widths.
_DELIMITER_TOTALS = (10.0, 12.0, 18.0, 24.0, 30.0)
_DELIMITER_WIDTHS = {
    "(": (3.89, 4.58, 5.97, 7.36, 7.92),
    "[": (2.78, 4.17, 4.72, 5.28, 5.83),
    "|": (2.78, 3.33, 3.33, 3.33, 3.33),
    "\\{": (5.0, 5.83, 6.67, 7.5, 8.33),
    "\\langle": (3.89, 4.72, 5.83, 6.94, 8.06),
    "/": (5.0, 5.83, 7.92, 10.0, 12.08),
}
_SAME_DELIMITER = {")": "(", "]": "[", "\\}": "\\{", "\\rangle": "\\langle", "\\|": "|",
                   "\\lvert": "|", "\\rvert": "|", "\\vert": "|", "\\lbrack": "[",
                   "\\rbrack": "["}  # fmt: skip
_BIG_SIZES = {"big": 1, "Big": 2, "bigg": 3, "Bigg": 4}


def _glyph_box(token: str, width: float, style: int) -> tuple[float, float, float]:
    k = _HEIGHT_SCALE[style]
    name = token.lstrip("\\")
    tall = token in _TALL or name in _TALL_COMMANDS
    deep = token in _DESCENDING or name in _DESCENDING_COMMANDS
    return width, (6.94 if tall else 4.31) * k, (1.94 if deep else 0.0) * k


def _delimiter_box(delimiter: str, size: int, style: int) -> tuple[float, float, float]:
    """The box of a delimiter of a size (0 normal … 4 \\Bigg) around the math axis."""
    k = _HEIGHT_SCALE[style]
    if delimiter == ".":
        return 1.2 * _SCALE[style], 0.0, 0.0
    widths = _DELIMITER_WIDTHS.get(_SAME_DELIMITER.get(delimiter, delimiter), (5.0,) * 5)
    total = _DELIMITER_TOTALS[size] * (k if size == 0 else 1.0)
    scale = _SCALE[style] if size == 0 else 1.0
    return widths[size] * scale, total / 2 + 2.5 * k, total / 2 - 2.5 * k


def _delimiter_size(height: float, depth: float, style: int) -> int:
    """The size TeX's ``\\left`` takes to cover a height and depth (The TeXbook, rule 19)."""
    axis = 2.5 * _HEIGHT_SCALE[style]
    half = max(height - axis, depth + axis)
    needed = max(2 * half * 0.901, 2 * half - 5.0)
    for size, total in enumerate(_DELIMITER_TOTALS):
        if total * (_HEIGHT_SCALE[style] if size == 0 else 1.0) >= needed - 0.01:
            return size
    return len(_DELIMITER_TOTALS) - 1


def _width(tokens: list[str], style: int) -> float:
    """The width of a math list at 10 pt in a style (display, text, script, scriptscript)."""
    return _measure(tokens, style)[0]


def _measure(tokens: list[str], style: int) -> tuple[float, float, float]:
    """The box (width, height, depth) of a math list at 10 pt in a style."""
    scale, k = _SCALE[style], _HEIGHT_SCALE[style]
    atoms: list[_Atom] = []
    index = 0

    def add(
        cls: int,
        box: tuple[float, float, float],
        *,
        limits: bool = False,
        simple: bool = False,
    ) -> None:
        atoms.append(_Atom(cls, *box, limits=limits, simple=simple))

    def glyph(cls: int, token: str, width: float) -> None:
        add(cls, _glyph_box(token, width * scale, style), simple=True)

    while index < len(tokens):
        token = tokens[index]
        index += 1
        if token == " " or token == "}" or token == "&":
            continue
        if token in ("^", "_", "'"):
            if not atoms:
                add(ORD, (0.0, 0.0, 0.0))
            if token == "'":
                atoms[-1].sup = (2.75 * scale, 5.6 * k, 0.0)
                continue
            argument, index = _argument(tokens, index)
            script = _measure(argument, _script_style(style))
            if token == "^":
                atoms[-1].sup = script
            else:
                atoms[-1].sub = script
        elif token == "{":
            end = _group_end(tokens, index - 1)
            add(ORD, _measure(tokens[index : end - 1], style))
            index = end
        elif token.startswith("\\") and len(token) > 1:
            index = _command(token[1:], tokens, index, style, add, glyph)
        elif token in "+-*":
            glyph(BIN, token, 5.0 if token == "*" else 7.78)
            atoms[-1].height, atoms[-1].depth = 5.83 * k, 0.83 * k
        elif token in "=<>":
            glyph(REL, token, 7.78)
        elif token == ":":
            glyph(REL, token, 2.78)
        elif token in "([":
            add(OPEN, _delimiter_box(token, 0, style))
        elif token in ")]":
            add(CLOSE, _delimiter_box(token, 0, style))
        elif token in ",;":
            glyph(PUNCT, token, 2.78)
        elif token in "!?":
            glyph(CLOSE, token, 2.78 if token == "!" else 4.72)
        elif token == "~":
            add(-1, (3.33, 0.0, 0.0))
        elif token in _ITALIC:
            glyph(ORD, token, _ITALIC[token])
        elif token.isdigit():
            glyph(ORD, token, 5.0)
        elif token == "|":
            add(ORD, _delimiter_box("|", 0, style))
        else:
            glyph(ORD, token, 2.78 if token == "." else 5.0)
    return _spaced(atoms, style)


_Add = Callable[..., None]


def _command(name: str, tokens: list[str], index: int, style: int, add: _Add, glyph: _Add) -> int:
    """Measure the control word ``\\name`` (its arguments from ``tokens[index]``) into an atom
    with ``add``; return the index after it."""
    scale, k = _SCALE[style], _HEIGHT_SCALE[style]
    if name in ("frac", "dfrac", "tfrac", "cfrac"):
        numerator, index = _argument(tokens, index)
        denominator, index = _argument(tokens, index)
        inner = _TEXT if name == "dfrac" else _fraction_style(style)
        top, bottom = _measure(numerator, inner), _measure(denominator, inner)
        display = style == _DISPLAY or name == "dfrac"
        up = max((6.77 if display else 3.94) * k, top[2] + (3.9 if display else 1.7) * k)
        down = max((6.86 if display else 3.45) * k, bottom[1] - (1.1 if display else 2.1) * k)
        width = max(top[0], bottom[0]) + 2.4 * scale
        add(INNER, (width, up + top[1], down + bottom[2]))
    elif name == "sqrt":
        index = _optional(tokens, index)
        argument, index = _argument(tokens, index)
        w, h, d = _measure(argument, style)
        size = _delimiter_size(h + 1.0 * k, d + 1.0 * k, style)
        add(ORD, (w + (8.33 + 1.39 * size) * scale, h + 1.4 * k, d + 1.0 * k))
    elif name == "left":
        end = _matching_right(tokens, index - 1)
        opening, start = _delimiter(tokens, index)
        closing, after = _delimiter(tokens, end + 1)
        w, h, d = _measure(tokens[start:end], style)
        size = _delimiter_size(h, d, style)
        left = _delimiter_box(opening, size, style)
        right = _delimiter_box(closing, size, style)
        add(INNER, (w + left[0] + right[0], max(h, left[1]), max(d, left[2])))
        return after
    elif name.rstrip("lr") in _BIG_SIZES or name in _BIG_SIZES:
        size = _BIG_SIZES[name if name in _BIG_SIZES else name[:-1]]
        delimiter, index = _delimiter(tokens, index)
        cls = ORD if name in _BIG_SIZES else OPEN if name.endswith("l") else CLOSE
        add(cls, _delimiter_box(delimiter, size, style))
    elif name in _TEXT_COMMANDS or name in _ROMAN_COMMANDS or name == "operatorname":
        argument, index = _argument(tokens, index)
        text = "".join(argument)
        deep = any(c in "gjpqy" for c in text)
        box = (_text_width(text, style), 6.94 * k, (1.94 if deep else 0.0) * k)
        add(OP if name == "operatorname" else ORD, box)
    elif name in ("mathbb", "mathbf", "boldsymbol", "mathit", "bm"):
        argument, index = _argument(tokens, index)
        w, h, d = _measure(argument, style)
        if name == "mathbb":
            w = 7.22 * scale * max(len([t for t in argument if t != " "]), 1)
        elif name == "mathbf":
            w = 1.15 * _text_width("".join(argument), style)
        add(ORD, (w * (1.1 if name in ("boldsymbol", "bm") else 1.0), max(h, 6.94 * k), d))
    elif name in _ACCENTS:
        argument, index = _argument(tokens, index)
        w, h, d = _measure(argument, style)
        add(ORD, (w, h + 2.5 * k, d))
    elif name == "begin":
        environment, index = _argument(tokens, index)
        env = "".join(environment)
        depth, end = 1, index
        while end < len(tokens) and depth:
            if tokens[end] in ("\\begin", "\\end"):
                depth += 1 if tokens[end] == "\\begin" else -1
            end += 1
        if env in ("array", "tabular"):
            _, index = _argument(tokens, index)  # the column specification
        body = tokens[index : end - 1]
        rows = 1 + sum(1 for t in body if t == "\\\\")
        total = 12.0 * rows + (6.0 if "\\frac" in body else 0.0)
        width = _environment_width(body, env, style)
        add(INNER, (width, total / 2 + 2.5, total / 2 - 2.5))
        _, index = _argument(tokens, end)
    elif name in _SPACE_COMMANDS:
        add(-1, (_SPACE_COMMANDS[name] * (1.0 if name.endswith("quad") else scale), 0.0, 0.0))
    elif name in _IGNORED:
        pass
    elif name in _WITH_ARGUMENT_IGNORED:
        index = _optional(tokens, index)
        _, index = _argument(tokens, index)
    elif name in _OPERATORS or name in _LIMIT_OPERATORS:
        width = sum(_ROMAN.get(c, 5.0) for c in name) * scale
        box = (width, 6.94 * k, (1.94 if any(c in "gjpqy" for c in name) else 0.0) * k)
        add(OP, box, limits=name in _LIMIT_OPERATORS)
    elif name in ("sum", "prod"):
        large = style == _DISPLAY
        width = _COMMANDS[name][0] * (1.0 if large else 0.73) * scale
        box = (width, (7.5 if large else 5.0) * k, (7.5 if large else 2.5) * k)
        add(OP, box, limits=True)
    elif name in _COMMANDS:
        width, cls = _COMMANDS[name]
        glyph(cls, "\\" + name, width)
    else:
        glyph(ORD, "\\" + name, 6.0)  # a command symdl does not know: a typical symbol
    return index


def _spaced(atoms: list[_Atom], style: int) -> tuple[float, float, float]:
    """The box of a list of atoms with TeX's spaces between them (binary to ordinary as TeX
    turns them: at the start, after an operator, relation, opening or punctuation, and before
    a relation, closing or punctuation)."""
    classes = [atom.cls for atom in atoms]
    previous = None
    for position, cls in enumerate(classes):
        if cls == BIN:
            following = next((c for c in classes[position + 1 :] if c >= 0), None)
            if previous in (None, BIN, OP, REL, OPEN, PUNCT) or following in (
                None,
                REL,
                CLOSE,
                PUNCT,
            ):
                classes[position] = ORD
        if cls >= 0:
            previous = classes[position]
    width = height = depth = 0.0
    previous = None
    for atom, cls in zip(atoms, classes, strict=True):
        w, h, d = atom.box(style)
        width += w
        height, depth = max(height, h), max(depth, d)
        if cls < 0:  # an explicit space
            continue
        if previous is not None:
            space = _SPACING[previous][cls]
            if space > 0 or (space < 0 and style <= _TEXT):
                width += _SPACES[abs(space)] * _SCALE[style]
        previous = cls
    return width, height, depth


def math_width(latex: str) -> float:
    r"""The width of LaTeX math in a display, in points of a 10 pt Computer Modern font.

    An estimate from TeX's rules (glyph widths measured with pdflatex, the spaces between
    atoms of The TeXbook's chapter 17, scripts, fractions, delimiters), within a few percent
    for the notation symdl writes; :class:`Derivation` breaks lines by it.

    Examples
    --------
    >>> round(math_width("a + b"), 1)  # 5.29 + 2.22 + 7.78 + 2.22 + 4.29
    21.8
    >>> round(math_width(r"\frac{\partial C}{\partial w}"), 1)  # ∂C (5.86 + 7.86), 1.2 each side
    16.1
    >>> math_width(r"x_{1}") < math_width("x1")  # the subscript is smaller
    True
    """
    return _width(_tokens(latex), _DISPLAY)


def text_width(latex: str) -> float:
    r"""The width of LaTeX text (with ``$…$`` math) in points of a 10 pt roman font.

    Examples
    --------
    >>> round(text_width("by definition"), 1)  # pdflatex: 55.0 (the ligature fi)
    55.6
    """
    return _text_width(latex, _TEXT)


# --- the lecture's order of terms and factors -----------------------------------------------

# The role of a symbol in a product, by the letters its name starts with: weights first
# (w a, w δ), then errors (δ a), then targets (y log a); everything else keeps SymPy's order.
_ROLES = {"w": 0, "W": 0, "delta": 1, "y": 2}
_NAME = re.compile(r"\\?([A-Za-z]+)")


def _role(symbol: sp.Basic) -> int:
    match = _NAME.match(getattr(symbol, "name", ""))
    return _ROLES.get(match.group(1), 3) if match else 3


def _factor_key(factor: sp.Basic) -> tuple[int, int]:
    if factor.is_Number:
        return (-1, 0)
    if isinstance(factor, sp.Derivative):
        return (2, 0)  # ∂C/∂a: the gradient that comes in, like a target
    roles = [_role(s) for s in factor.free_symbols]
    return (min(roles, default=3), 1 if factor.is_Add else 0)


def lecture_factors(expr: sp.Mul) -> list[sp.Basic]:
    r"""The factors of a product in the lecture's order.

    Numbers first, then weights (:math:`w`), errors (:math:`\delta`), targets (:math:`y`)
    and the rest, a sum after a single factor of the same kind, SymPy's order otherwise.

    Examples
    --------
    >>> import sympy as sp
    >>> a, w, d = sp.symbols(r"a^{(1)}_{1} w^{(2)}_{11} \delta^{(2)}_{1}", real=True)
    >>> lecture_factors(2 * a * w), lecture_factors(a * d)
    ([2, w^{(2)}_{11}, a^{(1)}_{1}], [\delta^{(2)}_{1}, a^{(1)}_{1}])
    >>> lecture_factors(a * (1 - a))
    [a^{(1)}_{1}, 1 - a^{(1)}_{1}]
    """
    return sorted(expr.as_ordered_factors(), key=_factor_key)


def _is_lone(term: sp.Basic) -> bool:
    """A symbol alone, or a number times a symbol: the bias in :math:`w a + b`."""
    if term.is_Symbol:
        return True
    return bool(
        term.is_Mul and len(term.args) == 2 and term.args[0].is_Number and term.args[1].is_Symbol
    )


def lecture_terms(expr: sp.Add) -> list[sp.Basic]:
    r"""The terms of a sum in the lecture's order: :math:`w_1 a_1 + w_2 a_2 + b`.

    In a sum of products and lone symbols, the products come first, then the lone symbols,
    then the numbers; any other sum keeps SymPy's order (:math:`1 - a^2`, :math:`a - y`),
    except that it starts with a positive term when it has one (:math:`a - \log s`).

    Examples
    --------
    >>> import sympy as sp
    >>> b, w, x = sp.symbols("b w x", real=True)
    >>> lecture_terms(b + w * x), lecture_terms(1 - x**2), lecture_terms(2 * x + 1)
    ([w*x, b], [1, -x**2], [2*x, 1])
    >>> lecture_terms(x - sp.log(w))
    [x, -log(w)]
    """
    terms = list(expr.as_ordered_terms())
    lone = [_is_lone(t) for t in terms]
    products = [not flag and not t.is_Number for t, flag in zip(terms, lone, strict=True)]
    if any(lone) and any(products):

        def key(position: int) -> int:
            return 1 if lone[position] else 2 if terms[position].is_Number else 0

        terms = [terms[i] for i in sorted(range(len(terms)), key=key)]
    if terms[0].could_extract_minus_sign():  # a sum starts with a positive term: a - log s
        positive = next((t for t in terms if not t.could_extract_minus_sign()), None)
        if positive is not None:
            terms.remove(positive)
            terms.insert(0, positive)
    return terms


class _OrderedLatex(LecturePrinter):
    """The lecture's LaTeX with sums and products in the lecture's order."""

    def __init__(self, *, indicator: str) -> None:
        super().__init__({"order": "none"}, indicator=indicator)
        self._printed: dict[sp.Basic, str] = {}

    def _print(self, expr: Any, **kwargs: Any) -> str:
        # a long derivation prints the same subexpressions many times: once is enough
        if kwargs or not isinstance(expr, sp.Basic):
            return str(super()._print(expr, **kwargs))
        if expr not in self._printed:
            self._printed[expr] = str(super()._print(expr))
        return self._printed[expr]

    def _as_ordered_terms(self, expr: sp.Basic, order: str | None = None) -> list[sp.Basic]:
        return lecture_terms(expr) if isinstance(expr, sp.Add) else list(expr.args)

    def _print_Mul(self, expr: sp.Basic) -> str:
        if isinstance(expr, sp.Mul):
            factors = lecture_factors(expr)
            # the numbers as one coefficient: -r/2 is "-r/2", never "(-1) 1/2 r"
            coefficient = sp.Mul(*[f for f in factors if f.is_Number])
            rest = [f for f in factors if not f.is_Number]
            factors = rest if coefficient == 1 else [coefficient, *rest]
            expr = sp.Mul._from_args(factors, expr.is_commutative)
        return str(super()._print_Mul(expr))


# --- long right sides broken across lines -----------------------------------------------------

_HOLE = sp.Symbol("SYMDLHOLE")
_UNBREAKABLE_BEFORE = ("^", "_", "}", "]")  # a group after these is a script or an argument
_BREAKABLE_COMMANDS = {f"\\{name}" for name in _OPERATORS | _LIMIT_OPERATORS}


class _Breaker:
    """A right side as lines that fit the budgets (in points at 10 pt): ``first`` for the
    first line, ``rest`` for each continuation line.

    A first line ``""`` means: start on the next line (the caller's line has no room).
    """

    def __init__(self, printer: _OrderedLatex) -> None:
        self.printer = printer

    def tex(self, expr: sp.Basic) -> str:
        return str(self.printer.doprint(expr))

    def lines(self, expr: sp.Basic, first: float, rest: float) -> list[str]:
        tex = self.tex(expr)
        if math_width(tex) <= first:
            return [tex]
        if math_width(tex) <= rest:
            return ["", tex]
        if isinstance(expr, sp.Add):
            return self._sum(expr, first, rest)
        if isinstance(expr, sp.Mul):
            return self._product(expr, first, rest)
        if isinstance(expr, sp.Pow):
            return self._power(expr, first, rest)
        if isinstance(expr, sp.Max | sp.Min) and not tex.startswith(r"\operatorname{ReLU}"):
            return self._arguments(expr, first, rest)
        if isinstance(expr, sp.Expr) and expr.args and not expr.is_Atom:
            return self._applied(expr, first, rest) or [tex]
        return [tex]

    # a sum: a new line before a + or a -
    def _sum(self, expr: sp.Add, first: float, rest: float) -> list[str]:
        pieces: list[tuple[str, str, sp.Basic]] = []
        for index, term in enumerate(self.printer._as_ordered_terms(expr)):
            if index == 0:
                pieces.append(("", "", term))
            elif term.could_extract_minus_sign():
                pieces.append(("- ", "- ", -term))
            else:
                pieces.append(("+ ", "+ ", term))
        return self._pack(pieces, first, rest, self._term_tex)

    def _term_tex(self, term: sp.Basic) -> str:
        tex = self.tex(term)
        return rf"\left({tex}\right)" if self.printer._needs_add_brackets(term) else tex

    def _pack(
        self,
        pieces: list[tuple[str, str, sp.Basic]],
        first: float,
        rest: float,
        render: Callable[[sp.Basic], str],
        *,
        brackets: Callable[[sp.Basic], bool] | None = None,
        ending: str = "",
    ) -> list[str]:
        """Pieces (separator within a line, separator at the start of a line, expression)
        packed greedily into lines; a piece too wide for a line of its own is broken itself,
        on the current line if at least half a line is left, else from the next.  A line
        that a break ends gets ``ending`` (a comma between arguments)."""
        lines = [""]

        def next_line() -> None:
            if lines[-1]:
                lines[-1] += ending
                lines.append("")
            elif len(lines) == 1:
                lines.append("")  # nothing here yet: the caller's line ends before us

        for inline, leading, expr in pieces:
            budget = first if len(lines) == 1 else rest
            tex = render(expr)
            joined = f"{lines[-1]} {inline}{tex}" if lines[-1] else f"{leading}{tex}"
            if math_width(_binary(joined)) <= budget:
                lines[-1] = joined
                continue
            alone = f"{leading}{tex}"
            if math_width(_binary(alone)) <= rest:
                next_line()
                lines[-1] = alone
                continue
            # wider than a line: break it, from the next line if little room is left here
            lead = f"{lines[-1]} {inline}" if lines[-1] else leading
            room = budget - math_width(_binary(lead + "x")) + math_width("x")
            if room < 0.5 * rest and (lines[-1] or len(lines) == 1):
                next_line()
                lead, room = leading, rest - math_width(_binary(leading + "x")) + math_width("x")
            inner = None
            if brackets is not None and brackets(expr):
                inner = self._delimited(expr, room, rest)
            if inner is None:
                inner = self.lines(expr, room, rest)
            if inner[0] == "":  # it starts on the next line after all
                next_line()
                inner, lead = inner[1:], leading
            lines[-1] = lead + inner[0]
            lines.extend(inner[1:])
        return lines

    # a product: between factors, or inside the parentheses of a long factor
    def _product(self, expr: sp.Mul, first: float, rest: float) -> list[str]:
        if expr.could_extract_minus_sign():
            return _wrap("- ", self.lines(-expr, first - math_width("-{}"), rest), "")
        factors = lecture_factors(expr)
        numerator = [f for f in factors if not _in_denominator(f)]
        denominator = [_inverted(f) for f in factors if _in_denominator(f)]
        if denominator:
            return self._fraction(numerator, denominator, first, rest)
        count = len(factors)

        def needs_brackets(factor: sp.Basic) -> bool:
            position = factors.index(factor)
            return bool(
                self.printer._needs_mul_brackets(
                    factor, first=position == 0, last=position == count - 1
                )
            )

        def render(factor: sp.Basic) -> str:
            tex = self.tex(factor)
            return rf"\left({tex}\right)" if needs_brackets(factor) else tex

        # factors side by side; a \cdot only where a line breaks between two of them
        pieces = [("", "" if i == 0 else r"\cdot ", f) for i, f in enumerate(factors)]
        return self._pack(pieces, first, rest, render, brackets=needs_brackets)

    def _delimited(self, expr: sp.Basic, first: float, rest: float) -> list[str]:
        """``expr`` in parentheses that open on its first line and close on its last."""
        opening, closing = _big_delimiters(self.tex(expr))
        inner = self.lines(
            expr, first - math_width(opening), rest - math_width(closing + "{} + {}")
        )
        return _wrap(opening, inner, closing)

    def _fraction(
        self, numerator: list[sp.Basic], denominator: list[sp.Basic], first: float, rest: float
    ) -> list[str]:
        top = _product_of(numerator)
        bottom = _product_of(denominator)
        bottom_tex = self.tex(bottom)
        if math_width(bottom_tex) <= 0.3 * rest:  # a short denominator: 1/d times the rest
            lead = rf"\frac{{1}}{{{bottom_tex}}} "
            if top.is_Add or top.is_Mul:
                inner = self._delimited(top, first - math_width(lead), rest)
            else:
                inner = self.lines(top, first - math_width(lead), rest)
            return _wrap(lead, inner, "")
        top_lines = (
            self._delimited(top, first, rest) if top.is_Add else self.lines(top, first, rest)
        )
        slash = r"\big/ "
        bottom_lines = _strip(self._delimited(bottom, rest - math_width(slash), rest))
        last = top_lines[-1] + slash + bottom_lines[0]
        if math_width(last) <= (first if len(top_lines) == 1 else rest):
            return [*top_lines[:-1], last, *bottom_lines[1:]]
        return [*top_lines, slash + bottom_lines[0], *bottom_lines[1:]]

    def _power(self, expr: sp.Pow, first: float, rest: float) -> list[str]:
        base, exponent = expr.as_base_exp()
        if exponent.is_negative:
            return self._fraction([sp.S.One], [sp.Pow(base, -exponent)], first, rest)
        if exponent.is_Rational and not exponent.is_Integer:
            power = f"^{{{exponent.p}/{exponent.q}}}"
        else:
            power = f"^{{{self.tex(exponent)}}}"
        if base.is_Add or base.is_Mul or base.is_Pow:
            return _wrap("", self._delimited(base, first, rest - math_width(power)), power)
        return _wrap("", self.lines(base, first, rest - math_width(power)), power)

    # a maximum or minimum of many arguments: a new line after a comma
    def _arguments(self, expr: sp.Max | sp.Min, first: float, rest: float) -> list[str]:
        opening, closing = _big_delimiters(self.tex(expr))
        lead = rf"\{type(expr).__name__.lower()}" + opening
        arguments = sorted(expr.args, key=sp.default_sort_key)  # as SymPy prints them
        pieces = [("" if i == 0 else ", ", "", argument) for i, argument in enumerate(arguments)]
        inner = self._pack(
            pieces, first - math_width(lead), rest - math_width(closing), self.tex, ending=","
        )
        return _wrap(lead, inner, closing)

    # a function of a long argument: ReLU, |·|, log, 1[· > 0], ...
    def _applied(self, expr: sp.Expr, first: float, rest: float) -> list[str] | None:
        arguments = list(expr.args)
        widest = max(range(len(arguments)), key=lambda i: len(self.tex(arguments[i])))
        if not isinstance(arguments[widest], sp.Expr):
            return None
        holed = list(arguments)
        holed[widest] = _HOLE
        try:
            shown = self.tex(expr.func(*holed))
        except (TypeError, ValueError, AttributeError):
            return None
        if shown.count(_HOLE.name) != 1:
            return None
        split = _open_around(*shown.split(_HOLE.name))
        if split is None:
            return None
        before, after = split
        inner = self.lines(arguments[widest], first - math_width(before), rest - math_width(after))
        return _wrap(before, inner, after)


def _wrap(before: str, inner: list[str], after: str) -> list[str]:
    """Lines with ``before`` on the first and ``after`` on the last (a leading ``""``, the
    mark of a start on the next line, kept)."""
    if inner and inner[0] == "":
        return ["", *_wrap(before, inner[1:], after)]
    lines = [before + inner[0], *inner[1:]]
    lines[-1] += after
    return lines


def _strip(lines: list[str]) -> list[str]:
    """Lines without the mark of a start on the next line."""
    return lines[1:] if lines and lines[0] == "" and len(lines) > 1 else lines


def _binary(line: str) -> str:
    """A line as TeX sets it: a leading + - or · is a binary operator after ``{}``."""
    return "{} " + line if line[:1] in "+-" or line.startswith(r"\cdot") else line


def _product_of(factors: list[sp.Basic]) -> sp.Basic:
    """The product of factors in the given order (unevaluated), 1 for none."""
    if not factors:
        return sp.S.One
    return factors[0] if len(factors) == 1 else sp.Mul._from_args(factors)


def _in_denominator(factor: sp.Basic) -> bool:
    if isinstance(factor, sp.Pow):
        return bool(factor.exp.is_negative)
    return bool(factor.is_Rational and not factor.is_Integer)


def _inverted(factor: sp.Basic) -> sp.Basic:
    if isinstance(factor, sp.Pow):
        return sp.Pow(factor.base, -factor.exp)
    return sp.Integer(factor.q)


def _big_delimiters(tex: str) -> tuple[str, str]:
    """``\\bigl(`` and ``\\bigr)``, or ``\\Bigl(`` … for a factor with fractions."""
    size = "Big" if "\\frac" in tex else "big"
    return rf"\{size}l(", rf"\{size}r)"


def _open_around(before: str, after: str) -> tuple[str, str] | None:
    r"""The LaTeX around a hole with its ``\left``/``\right`` pairs made ``\bigl``/``\bigr``
    and the braces around the hole dropped; ``None`` if the hole is in a script, a fraction
    or an argument, where no line can break."""
    tokens = _tokens(before)
    opened: list[int] = []  # \left and { not closed before the hole
    for index, token in enumerate(tokens):
        if token in ("\\left", "{"):
            opened.append(index)
        elif token in ("\\right", "}") and opened:
            opened.pop()
    size = "Big" if "\\frac" in before + after else "big"
    drop: set[int] = set()
    for index in opened:
        if tokens[index] == "{":
            previous = next((t for t in reversed(tokens[:index]) if t != " "), "")
            unbreakable = previous in _UNBREAKABLE_BEFORE or (
                previous.startswith("\\")
                and previous not in _BREAKABLE_COMMANDS
                and previous not in ("\\left", "\\right")
                and not previous.startswith("\\big")
                and not previous.startswith("\\Big")
            )
            if unbreakable:
                return None
            drop.add(index)
        else:
            tokens[index] = f"\\{size}l"
    tail = _tokens(after)
    closing: list[int] = []  # } and \right that close what the hole is in
    depth = 0
    for index, token in enumerate(tail):
        if token in ("\\left", "{"):
            depth += 1
        elif token in ("\\right", "}"):
            if depth:
                depth -= 1
            else:
                closing.append(index)
    if len(closing) != len(opened):
        return None
    for index in closing:
        if tail[index] == "}":
            tail[index] = ""
        else:
            tail[index] = f"\\{size}r"
    head = "".join(" " if i in drop else t for i, t in enumerate(tokens))
    return head, "".join(tail)


# --- rows of an environment -------------------------------------------------------------------

_MINTAGSEP = 10.0  # amsmath's \mintagsep, the least space between an equation and its tag
_REASON_SHARE = 0.4  # a reason wider than this share of the line is set on several lines
_KEEP_TOGETHER = 8  # a step of more lines than this may break across pages
_SAFETY = 0.97  # the estimated widths err by a few percent: lines fill 97% of the width


def _words(text: str) -> list[str]:
    """The words of prose, a ``$…$`` math span never cut."""
    words, current, math = [], "", False
    for char in text:
        if char == "$":
            math = not math
        if char == " " and not math:
            if current:
                words.append(current)
            current = ""
        else:
            current += char
    if current:
        words.append(current)
    return words


def _prose_pieces(text: str, width: float) -> list[str]:
    """Prose (with ``$…$`` math) cut between words into pieces no wider than ``width``."""
    pieces: list[str] = []
    for word in _words(text):
        joined = f"{pieces[-1]} {word}" if pieces else word
        if pieces and text_width(prose_to_latex(joined)) <= width:
            pieces[-1] = joined
        else:
            pieces.append(word)
    return pieces or [text]


def _continuation(line: str) -> str:
    r"""A continuation line: indented by ``\quad``, its leading + - or · a binary operator."""
    return r"&\quad " + _binary(line)


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
    r'(z) &= \mathbb{1}\left[z > 0\right] \tag*{convention at the kink}
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

    def _rows(
        self,
        items: Sequence[Step | Remark],
        environment: str,
        printer: _OrderedLatex,
        layout: Layout,
    ) -> str:
        """The body of one environment: a row per line of each step, remarks between."""
        tagged = environment != "aligned"
        width = layout.width_pt * _SAFETY
        steps = [item for item in items if isinstance(item, Step)]
        left = [_side_latex(step.lhs, printer) for step in steps]
        lhs_width = max((math_width(tex) for tex in left), default=0.0)
        reasons = [prose_to_latex(step.reason_text) for step in steps]
        reason_column = min(max((text_width(r) for r in reasons), default=0.0), 0.4 * width)
        breaker = _Breaker(printer)
        rows: list[tuple[str, str]] = []  # (row, its end: "step", "inside" or "remark")
        position = 0
        for item in items:
            if isinstance(item, Remark):
                text = prose_to_latex(item.text)
                rows.append(
                    (rf"\intertext{{{text}}}" if tagged else rf"&\text{{{text}}}", "remark")
                )
                continue
            step, lhs = item, left[position]
            position += 1
            relation = step.relation.latex
            opening = math_width(f"{{}} {relation} {{}}")
            tags = self._tags(step, width) if tagged else []
            if tagged:
                room = max((text_width(t[t.index("{") + 1 : -1]) for t in tags), default=0.0)
                if isinstance(step.reason, Reason) and step.reason.tag is not None:
                    room = text_width(f"({step.reason.tag})")
                allowance = room + 2 * _MINTAGSEP
            else:
                allowance = reason_column + _MINTAGSEP
            first = width - lhs_width - opening
            # (a right side that starts on the next line starts on the first after all)
            rest = min(width - lhs_width - math_width(r"\quad"), first)
            lines = self._step_lines(step.rhs, breaker, first, rest, allowance, tagged=tagged)
            body = [f"{lhs} &{relation} {lines[0]}", *map(_continuation, lines[1:])]
            if tagged:
                body.extend("&" for _ in range(len(tags) - len(body)))
                offset = len(body) - len(tags)
                for index, tag in enumerate(tags):
                    body[offset + index] += " " + tag
                if environment == "align":
                    body = [row if r"\tag" in row else row + r" \notag" for row in body]
            else:  # on a web page the reason column wraps only if its lines are rows
                pieces = _prose_pieces(step.reason_text, reason_column) or [""]
                body[-1] += rf" && \text{{{prose_to_latex(pieces[0])}}}"
                body.extend(rf"& && \text{{{prose_to_latex(p)}}}" for p in pieces[1:])
            inside = "inside" if len(body) <= _KEEP_TOGETHER else "step"  # a tall step may break
            rows.extend((row, inside) for row in body[:-1])
            rows.append((body[-1], "step"))
        if not steps:
            empty = r"&\text{(no steps yet)}"
            rows.append((empty + (r" \notag" if environment == "align" else ""), "step"))
        out = []
        for index, (row, kind) in enumerate(rows):
            if index == len(rows) - 1 or (kind == "remark" and tagged):
                out.append(row)  # \intertext follows a \\ and ends no row
            elif not tagged:
                out.append(row + r" \\")
            elif kind == "inside":
                out.append(row + r" \\*")  # no page break inside a step
            else:
                out.append(row + r" \displaybreak[0] \\")  # a page may break between steps
        return "\n".join(out)

    @staticmethod
    def _tags(step: Step, width: float) -> list[str]:
        """The step's reason as tags: ``\\tag{BP2}``, or the sentence in one or more
        ``\\tag*{…}`` (one per line it needs)."""
        if isinstance(step.reason, Reason) and step.reason.tag is not None:
            return [rf"\tag{{{step.reason.tag}}}"]
        pieces = _prose_pieces(step.reason_text, _REASON_SHARE * width)
        return [rf"\tag*{{{prose_to_latex(piece)}}}" for piece in pieces]

    @staticmethod
    def _step_lines(
        rhs: Side, breaker: _Breaker, first: float, rest: float, tag: float, *, tagged: bool
    ) -> list[str]:
        """The right side's lines: ``first`` and ``rest`` are the room without the tag,
        ``tag`` the room the tag (or the reason column) takes beside the line it is on."""
        if isinstance(rhs, str):
            return [math_to_latex(rhs)]
        if isinstance(rhs, sp.MatrixBase):
            return [breaker.tex(rhs)]
        if tag > 0.4 * (rest + tag):  # a tag this wide goes on a line of its own
            tag = 0.0
        if not tagged:  # a column of reasons beside every line
            return _strip(breaker.lines(rhs, first - tag, rest - tag))
        # the tag is beside the last line only: the others may take the whole width
        lines = _strip(breaker.lines(rhs, first - tag, rest))
        if len(lines) > 1 and math_width(_binary(lines[-1])) > rest - tag:
            narrower = _strip(breaker.lines(rhs, first - tag, rest - tag))
            if len(narrower) <= len(lines) + 1:
                return narrower
        return lines

    def latex(
        self,
        *,
        environment: str = "align",
        indicator: str = r"\mathbb{1}",
        layout: Layout = DEFAULT_LAYOUT,
    ) -> str:
        r"""The steps as one ``align`` (or ``align*``, ``aligned``) environment.

        In ``align`` and ``align*`` a reason (BP1)–(BP4) is the step's tag (``\tag{BP2}``) and
        any other reason is set in the tag's place (``\tag*{…}``, on several lines if it is
        long), so no line is numbered twice; a page may break between two steps
        (``\displaybreak[0]``), not inside one; a right side too wide for ``layout`` is broken
        after a ``+`` or a ``-``, between factors, or inside a long factor's parentheses, the
        continuation lines indented by ``\quad``.  The snippet needs ``amsmath`` alone
        (``amssymb`` too for the default ``indicator``); no ``\allowdisplaybreaks``.

        In ``aligned`` (for MathJax, which has no tags, ``\intertext`` or page breaks) the
        reasons are a column of text and the remarks text rows.

        Parameters
        ----------
        environment
            ``"align"``, ``"align*"`` or ``"aligned"``.
        indicator
            The LaTeX of the indicator function (``\mathbb{1}`` suits MathJax;
            ``\mathbf{1}`` needs no ``amssymb``).
        layout
            The page: the width lines are broken to (:class:`Layout`).

        Examples
        --------
        >>> import sympy as sp
        >>> w = sp.symbols("w_1:7", real=True)
        >>> x = sp.symbols("x_1:7", real=True)
        >>> d = Derivation("A weighted input")
        >>> d.add(sp.Symbol("z"), sum(wi * xi for wi, xi in zip(w, x)), "sum")
        >>> d.add(sp.Symbol(r"\delta"), sp.Symbol("g") * (1 - sp.Symbol("a") ** 2), Reason.BP1)
        >>> print(d.latex(environment="align*", layout=Layout(width_em=17)))
        \begin{align*}
        z &= w_{1} x_{1} + w_{2} x_{2} + w_{3} x_{3} \\*
        &\quad {} + w_{4} x_{4} + w_{5} x_{5} + w_{6} x_{6} \tag*{sum} \displaybreak[0] \\
        \delta &= g \left(1 - a^{2}\right) \tag{BP1}
        \end{align*}
        """
        if environment not in _ENVIRONMENTS:
            raise ValueError(
                f"environment={environment!r} is not supported; use one of {_ENVIRONMENTS}"
            )
        if not isinstance(layout, Layout):
            raise TypeError(f"layout={layout!r} must be a Layout, e.g. Layout(width_em=32)")
        printer = _OrderedLatex(indicator=indicator)
        body = self._rows(self._items, environment, printer, layout)
        return f"\\begin{{{environment}}}\n{body}\n\\end{{{environment}}}"

    def latex_document(self, *, layout: Layout = DOCUMENT_LAYOUT) -> str:
        r"""A standalone LaTeX document that compiles with pdflatex.

        It uses ``amsmath``, ``amssymb`` and ``geometry`` (all in Debian's
        ``texlive-latex-base``), with 2 cm margins: the steps are laid out for ``layout``.

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
        parts.append(self.latex(environment="align", indicator=r"\mathbf{1}", layout=layout))
        parts.append(r"\end{document}")
        return "\n\n".join(parts) + "\n"

    def _block_math(self, block: list[Step], printer: _OrderedLatex, layout: Layout) -> str:
        return (
            f"\\begin{{aligned}}\n{self._rows(block, 'aligned', printer, layout)}\n\\end{{aligned}}"
        )

    def markdown(self, *, layout: Layout = DEFAULT_LAYOUT) -> str:
        """Markdown: the title as a heading, prose paragraphs and ``$$`` aligned blocks."""
        printer = _OrderedLatex(indicator=r"\mathbb{1}")
        # the prose goes to a Markdown renderer with math (MathJax, KaTeX): shown, never run
        parts = [f"### {safe_latex(self.title)}"]
        if self.statement.strip():
            parts.append(safe_latex(self.statement))
        for block in self._blocks():
            if isinstance(block, Remark):
                parts.append(safe_latex(block.text))
            else:
                parts.append(f"$$\n{self._block_math(block, printer, layout)}\n$$")
        return "\n\n".join(parts) + "\n"

    def _blocks(self) -> Iterator[Remark | list[Step]]:
        """Runs of consecutive steps, separated by the remarks."""
        steps: list[Step] = []
        for item in self._items:
            if isinstance(item, Remark):
                if steps:
                    yield steps
                    steps = []
                yield item
            else:
                steps.append(item)
        if steps:
            yield steps

    def _repr_latex_(self) -> str:
        return "$$\n" + self.latex(environment="aligned") + "\n$$"

    def _repr_html_(self) -> str:
        printer = _OrderedLatex(indicator=r"\mathbb{1}")
        layout = DEFAULT_LAYOUT
        parts = [f"<h4>{_prose_html(self.title)}</h4>"]
        if self.statement.strip():
            parts.append(f"<p>{_prose_html(self.statement)}</p>")
        for block in self._blocks():
            if isinstance(block, Remark):
                parts.append(f"<p>{_prose_html(block.text)}</p>")
            else:
                parts.append(f"<p>{math_html(self._block_math(block, printer, layout))}</p>")
        return '<div class="symdl-derivation">\n' + "\n".join(parts) + "\n</div>"

    def __str__(self) -> str:
        printer = _OrderedLatex(indicator=r"\mathbb{1}")
        lines = [self.title]
        if self.statement.strip():
            lines.append(_prose_plain(self.statement))
        for item in self._items:
            if isinstance(item, Remark):
                lines.append(_prose_plain(item.text))
            else:
                lhs = _side_plain(item.lhs, printer)
                rhs = _side_plain(item.rhs, printer)
                reason = _prose_plain(item.reason_text)
                lines.append(f"  {lhs} {item.relation.plain} {rhs}    [{reason}]")
        return "\n".join(lines)

    def __repr__(self) -> str:
        return f"Derivation({self.title!r}, steps={len(self)})"


def _side_latex(side: Side, printer: LecturePrinter) -> str:
    if isinstance(side, str):
        return math_to_latex(side)
    return str(printer.doprint(side))


def _side_plain(side: Side, printer: LecturePrinter) -> str:
    """A side for a terminal: its LaTeX in the lecture's Unicode notation."""
    return math_text(_side_latex(side, printer))


def _prose_plain(text: str) -> str:
    """Prose for a terminal: the ``$…$`` math in the lecture's Unicode notation."""
    pieces = text.split("$")
    return "".join(math_text(p) if i % 2 else p for i, p in enumerate(pieces))


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
