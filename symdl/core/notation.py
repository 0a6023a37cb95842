r"""The notation of a lecture on deep learning, as a SymPy LaTeX printer.

SymPy prints what it stores: ``\max\left(0, z\right)``, ``\theta\left(z, 0\right)`` and, for the
chain rule through an undefined function,
``\left. \frac{d}{d \xi_{1}} C{\left(\xi_{1} \right)} \right|_{\xi_{1}=z}``.  A lecturer writes
:math:`\operatorname{ReLU}(z)`, :math:`\mathbb{1}[z > 0]` and :math:`C'(z)` or
:math:`\frac{\partial C}{\partial a_1}`.  :class:`LecturePrinter` writes the latter; its rules
are one method per SymPy class, and everything else falls back to SymPy's printer.

The module also holds the treatment of text in derivations: prose with ``$`` inline math,
escaped for LaTeX, with the field's Unicode symbols translated (:func:`prose_to_latex`); and
the two forms of a theorem's statement (reStructuredText with ``:math:`` roles and
``.. math::`` blocks, as Sphinx renders it in HTML) that output meant for people uses:
:func:`statement_latex` for a LaTeX document, and :func:`statement_text`, with
:func:`math_text` for its formulas, for a terminal in the lecture's Unicode notation
(:math:`\delta^{(l)}_j` as δ^(l)_j).

References
----------
M. Nielsen, *Neural Networks and Deep Learning*, ch. 2 (2015), for the notation
:math:`z^l_j, a^l_j, \delta^l_j, w^l_{jk}`.
"""

from __future__ import annotations

import html
import re
import textwrap
import unicodedata
from dataclasses import dataclass
from typing import Any

import sympy as sp
from sympy.core.function import AppliedUndef
from sympy.printing.latex import LatexPrinter
from sympy.printing.str import StrPrinter

from symdl.core.activations import Activation, activation_of_function

__all__ = [
    "LecturePrinter",
    "PlainPrinter",
    "latex_expr",
    "math_html",
    "math_text",
    "math_to_latex",
    "mathjax_text",
    "plain_expr",
    "plain_math",
    "prose_to_latex",
    "safe_latex",
    "statement_latex",
    "statement_text",
]

# Unicode symbols of the field and their LaTeX (math mode).
_UNICODE_MATH = {
    "α": r"\alpha",
    "β": r"\beta",
    "γ": r"\gamma",
    "δ": r"\delta",
    "ε": r"\varepsilon",
    "ζ": r"\zeta",
    "η": r"\eta",
    "θ": r"\theta",
    "κ": r"\kappa",
    "λ": r"\lambda",
    "μ": r"\mu",
    "ν": r"\nu",
    "ξ": r"\xi",
    "π": r"\pi",
    "ρ": r"\rho",
    "σ": r"\sigma",
    "τ": r"\tau",
    "φ": r"\varphi",
    "χ": r"\chi",
    "ψ": r"\psi",
    "ω": r"\omega",
    "Γ": r"\Gamma",
    "Δ": r"\Delta",
    "Θ": r"\Theta",
    "Λ": r"\Lambda",
    "Π": r"\Pi",
    "Σ": r"\Sigma",
    "Φ": r"\Phi",
    "Ψ": r"\Psi",
    "Ω": r"\Omega",
    "∂": r"\partial",
    "∇": r"\nabla",
    "⊙": r"\odot",
    "≤": r"\le",
    "≥": r"\ge",
    "≠": r"\ne",
    "≈": r"\approx",
    "∈": r"\in",
    "∑": r"\sum",
    "∞": r"\infty",
    "→": r"\to",
    "⇒": r"\implies",
    "⇔": r"\iff",
    "·": r"\cdot",
    "×": r"\times",
    "ᵀ": r"^{T}",
    "′": r"'",
    "″": r"''",
    "−": "-",
    "∫": r"\int",
    "∏": r"\prod",
    "√": r"\surd",
    "‖": r"\|",
    "⌊": r"\lfloor",
    "⌋": r"\rfloor",
    "⌈": r"\lceil",
    "⌉": r"\rceil",
    "⟨": r"\langle",
    "⟩": r"\rangle",
    "±": r"\pm",
    "∓": r"\mp",
    "∘": r"\circ",
    "⊗": r"\otimes",
    "⊕": r"\oplus",
    "÷": r"\div",
    "≡": r"\equiv",
    "∼": r"\sim",
    "≃": r"\simeq",
    "≅": r"\cong",
    "∝": r"\propto",
    "≪": r"\ll",
    "≫": r"\gg",
    "∉": r"\notin",
    "∋": r"\ni",
    "⊂": r"\subset",
    "⊆": r"\subseteq",
    "⊃": r"\supset",
    "⊇": r"\supseteq",
    "∪": r"\cup",
    "∩": r"\cap",
    "∖": r"\setminus",
    "∅": r"\emptyset",
    "∀": r"\forall",
    "∃": r"\exists",
    "¬": r"\neg",
    "∧": r"\wedge",
    "∨": r"\vee",
    "⊥": r"\perp",
    "←": r"\leftarrow",
    "↦": r"\mapsto",
    "⇐": r"\Leftarrow",
    "↔": r"\leftrightarrow",
    "…": r"\dots",
    "⋯": r"\cdots",
    "ℓ": r"\ell",
    "ℝ": r"\mathbb{R}",
    "ℕ": r"\mathbb{N}",
    "ℤ": r"\mathbb{Z}",
    "ℚ": r"\mathbb{Q}",
    "ℂ": r"\mathbb{C}",
    "𝔼": r"\mathbb{E}",
    "𝟙": r"\mathbf{1}",
    "ϵ": r"\epsilon",
    "ϑ": r"\vartheta",
    "ϕ": r"\phi",
    "ϱ": r"\varrho",
    "ς": r"\varsigma",
    "Ξ": r"\Xi",
    "Υ": r"\Upsilon",
    "⁰": "^{0}",
    "¹": "^{1}",
    "²": "^{2}",
    "³": "^{3}",
    "⁴": "^{4}",
    "⁵": "^{5}",
    "⁶": "^{6}",
    "⁷": "^{7}",
    "⁸": "^{8}",
    "⁹": "^{9}",
    "⁻": "^{-}",
    "₀": "_{0}",
    "₁": "_{1}",
    "₂": "_{2}",
    "₃": "_{3}",
    "₄": "_{4}",
    "½": r"\tfrac{1}{2}",
    "⅓": r"\tfrac{1}{3}",
    "⅔": r"\tfrac{2}{3}",
    "¼": r"\tfrac{1}{4}",
    "¾": r"\tfrac{3}{4}",
    "⅙": r"\tfrac{1}{6}",
    "⅛": r"\tfrac{1}{8}",
}
# Combining accents (a letter followed by one of these, "f̂") and their LaTeX math accents.
_COMBINING_MATH = {
    "\u0302": r"\hat",
    "\u0304": r"\bar",
    "\u0305": r"\overline",
    "\u0303": r"\tilde",
    "\u0307": r"\dot",
    "\u0308": r"\ddot",
    "\u030c": r"\check",
    "\u0306": r"\breve",
    "\u20d7": r"\vec",
}
# Combining accents of Latin letters in prose ("Montúfar", "Erdős") and LaTeX's text accents.
_COMBINING_TEXT = {
    "\u0301": "\\'",
    "\u0300": "\\`",
    "\u0302": "\\^",
    "\u0308": '\\"',
    "\u0303": "\\~",
    "\u0304": "\\=",
    "\u0307": "\\.",
    "\u030b": "\\H",
    "\u030c": "\\v",
    "\u0306": "\\u",
    "\u030a": "\\r",
    "\u0327": "\\c",
    "\u0328": "\\k",
}
# Latin letters that are not a letter plus an accent.
_LATIN_TEXT = {"ß": r"\ss{}", "æ": r"\ae{}", "Æ": r"\AE{}", "ø": r"\o{}", "Ø": r"\O{}",
               "œ": r"\oe{}", "Œ": r"\OE{}", "ł": r"\l{}", "Ł": r"\L{}", "ı": r"\i{}"}  # fmt: skip
# Typographic characters of prose and their LaTeX (text mode).
_UNICODE_TEXT = {"—": "---", "–": "--", "’": "'", "‘": "`", "“": "``", "”": "''", "…": r"\dots{}"}
# LaTeX's special characters in text mode.
_TEXT_SPECIALS = {
    "\\": r"\textbackslash{}",
    "&": r"\&",
    "%": r"\%",
    "#": r"\#",
    "_": r"\_",
    "{": r"\{",
    "}": r"\}",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
    "<": r"\textless{}",
    ">": r"\textgreater{}",
}


# --- author text that reaches pdflatex and MathJax --------------------------------------------

# Control words that define macros, change how TeX reads its input, read or write files or run
# programs (pdflatex), or make links, HTML, styles and characters by number (MathJax).  Math in
# author text (a derivation's $…$, a step written as LaTeX, a symbol's name) may use any other
# command; these are shown as text, never run.
_UNSAFE_WORDS = frozenset({
    # TeX and LaTeX: definitions, reading, files and the shell, the output, stopping
    "def", "edef", "gdef", "xdef", "let", "futurelet", "glet", "csname", "endcsname",
    "expandafter", "noexpand", "scantokens", "usepackage", "documentclass", "makeatletter",
    "makeatother", "special", "immediate", "font", "output", "shipout", "primitive", "global",
    "afterassignment", "aftergroup", "uppercase", "lowercase", "endinput", "bye", "dump",
    # MathJax: links, HTML attributes, styles, characters by number, extensions, actions
    "href", "url", "nolinkurl", "hyperlink", "hypertarget", "hyperref", "class", "cssId",
    "style", "unicode", "require", "bbox", "toggle", "mathtip", "texttip", "tooltip", "action",
    "data", "mmlToken",
})  # fmt: skip
# Families of control words, matched anywhere in the name (any case): \input, \include,
# \openout, \write18, \catcode, \mathchardef, \directlua, \pdfobj, \htmlClass, \newcommand, ...
_UNSAFE_PARTS = re.compile(
    "input|include|write|read|open|file|code|def|shell|escape|lua|pdf|html|every|package|"
    "command|environment|csname",
    re.IGNORECASE,
)
_CONTROL_WORD = re.compile(r"\\([A-Za-z]+)")
# \begin{filecontents} writes a file: an environment with an unsafe name is shown, not opened
_ENVIRONMENT = re.compile(r"\\(begin|end)(\s*\{\s*([A-Za-z*]+)\s*\})")


def _unsafe(word: str) -> bool:
    return word in _UNSAFE_WORDS or _UNSAFE_PARTS.search(word) is not None


def safe_latex(latex: str) -> str:
    r"""Author-written LaTeX math, with every command that acts beyond typesetting shown, not run.

    Math written by an author (a derivation's ``$…$`` and its steps, a symbol's name, a
    directive's option) reaches ``pdflatex`` and MathJax as it is.  A command that reads or
    writes files or runs programs in ``pdflatex`` (``\input``, ``\include``, ``\openout``,
    ``\write18``), that changes how TeX reads (``\catcode``, ``\csname``, ``^^5c``), that
    defines macros (``\def``, ``\newcommand``), or that makes links, HTML, styles or
    characters in MathJax (``\href``, ``\url``, ``\htmlClass``, ``\class``, ``\style``,
    ``\unicode``, ``\require``) is written as its name: ``\backslash\mathrm{input}``, which
    both show as the text "\input".  Every other command (``\frac``, ``\sigma``,
    ``\operatorname``, …) is kept.  Student answers need none of this: they are parsed, and
    only whitelisted names reach LaTeX.

    Examples
    --------
    >>> print(safe_latex(r"\frac{\partial C}{\partial w} \input{/etc/passwd}"))
    \frac{\partial C}{\partial w} \backslash\mathrm{input}{/etc/passwd}
    >>> print(safe_latex(r"\href{javascript:alert(1)}{x}"))
    \backslash\mathrm{href}{javascript:alert(1)}{x}
    """
    if "^^" in latex:  # TeX reads ^^5c as a backslash: \input without one
        latex = latex.replace("^^", r"\hat{}\hat{}")
    latex = _ENVIRONMENT.sub(
        lambda m: (
            rf"\backslash\mathrm{{{m.group(1)}}}{m.group(2)}"
            if _unsafe(m.group(3).rstrip("*"))
            else m.group(0)
        ),
        latex,
    )
    return _CONTROL_WORD.sub(
        lambda m: rf"\backslash\mathrm{{{m.group(1)}}}" if _unsafe(m.group(1)) else m.group(0),
        latex,
    )


def _unsupported(char: str, text: str) -> ValueError:
    return ValueError(
        f"character {char!r} (U+{ord(char):04X}) in {text!r} cannot be typeset by pdflatex; "
        f"write it in LaTeX between $ signs (e.g. $\\delta$) or use ASCII"
    )


def math_to_latex(math: str) -> str:
    r"""LaTeX math with the field's Unicode symbols (σ, δ, ∂, ⊙, …) replaced by commands.

    The math is an author's: commands that act beyond typesetting are shown, not run
    (:func:`safe_latex`).

    Examples
    --------
    >>> math_to_latex("δ^L = ∇_a C ⊙ σ'(z^L)")
    "\\delta ^L = \\nabla _a C \\odot \\sigma '(z^L)"
    """
    out = []
    for index, char in enumerate(math):
        following = math[index + 1] if index + 1 < len(math) else ""
        if char in _COMBINING_MATH:
            continue  # written with the letter before it
        if following in _COMBINING_MATH:  # f̂: the accent applies to this letter
            inner = _UNICODE_MATH.get(char, char)
            if not (char.isascii() or char in _UNICODE_MATH):
                raise _unsupported(char, math)
            out.append(f"{_COMBINING_MATH[following]}{{{inner}}}")
        elif char in _UNICODE_MATH:
            out.append(_UNICODE_MATH[char] + ("" if char in "ᵀ′″⁰¹²³⁴⁵⁶⁷⁸⁹⁻₀₁₂₃₄" else " "))
        elif char.isascii():
            out.append(char)
        else:
            raise _unsupported(char, math)
    return safe_latex("".join(out))


def _latin_letter(char: str) -> str | None:
    """A Latin letter with accents (ú, ő, ç) as LaTeX text accents (``\\'{u}``), else None."""
    if char in _LATIN_TEXT:
        return _LATIN_TEXT[char]
    decomposed = unicodedata.normalize("NFD", char)
    base, marks = decomposed[0], decomposed[1:]
    if not marks or not base.isascii() or not base.isalpha():
        return None
    if any(mark not in _COMBINING_TEXT for mark in marks):
        return None
    letter = r"\i" if base == "i" else base  # a dotless i under an accent
    for mark in marks:
        letter = f"{_COMBINING_TEXT[mark]}{{{letter}}}"
    return letter


def _text_to_latex(text: str) -> str:
    out = []
    text = unicodedata.normalize("NFC", text)
    for index, char in enumerate(text):
        following = text[index + 1] if index + 1 < len(text) else ""
        if char in _COMBINING_MATH:
            continue  # written with the letter before it
        if following in _COMBINING_MATH:  # f̂ in prose is mathematics
            out.append(f"${math_to_latex(char + following).strip()}$")
        elif char in _TEXT_SPECIALS:
            out.append(_TEXT_SPECIALS[char])
        elif char in _UNICODE_TEXT:
            out.append(_UNICODE_TEXT[char])
        elif char in _UNICODE_MATH:
            out.append(f"${math_to_latex(char).strip()}$")
        elif char.isascii():
            out.append(char)
        elif (letter := _latin_letter(char)) is not None:
            out.append(letter)
        else:
            raise _unsupported(char, text)
    return "".join(out)


def prose_to_latex(text: str) -> str:
    r"""Prose with ``$`` inline math, as LaTeX text: prose escaped, math kept.

    Examples
    --------
    >>> prose_to_latex("the error δ of neuron $j$ in layer $l$ (100% exact)")
    'the error $\\delta$ of neuron $j$ in layer $l$ (100\\% exact)'
    >>> prose_to_latex("an unclosed $x")
    Traceback (most recent call last):
    ...
    ValueError: unbalanced $ in 'an unclosed $x': inline math is written between two $ signs
    """
    pieces = text.split("$")
    if len(pieces) % 2 == 0:
        raise ValueError(f"unbalanced $ in {text!r}: inline math is written between two $ signs")
    out = []
    for index, piece in enumerate(pieces):
        out.append(f"${math_to_latex(piece)}$" if index % 2 else _text_to_latex(piece))
    return "".join(out)


def _function_name(printer: LatexPrinter, expr: sp.Basic) -> str | None:
    """The printed name of C in ``C`` or ``C(x, y)`` (an undefined function), else None."""
    if isinstance(expr, sp.Symbol):
        return str(printer._print(expr))
    if isinstance(expr, AppliedUndef):
        return str(printer._print(sp.Symbol(expr.func.__name__)))
    return None


def _registered(expr: sp.Basic) -> Activation | None:
    """The registered activation whose SymPy form is ``expr``'s own function class (a
    course's ``sympy.Function`` subclass; SymPy's functions keep SymPy's printing)."""
    cls = type(expr)
    if (cls.__module__ or "sympy").split(".")[0] == "sympy" or len(expr.args) != 1:
        return None
    return activation_of_function(cls)


def _is_atomic_point(expr: sp.Basic) -> bool:
    return isinstance(expr, sp.Symbol | sp.Indexed)


class LecturePrinter(LatexPrinter):
    r"""SymPy's LaTeX printer with a lecture's notation.

    - ``Max(0, z)`` → :math:`\operatorname{ReLU}(z)`;
    - ``Heaviside(z, 0)`` → :math:`\mathbb{1}[z > 0]`, ``Heaviside(z, 1)`` →
      :math:`\mathbb{1}[z \ge 0]` (the value at 0 is in the notation);
    - ``KroneckerDelta(j, k)`` → :math:`\mathbb{1}[j = k]` (δ is kept for the errors);
    - ``Derivative(C(a1, a2), a1)`` → :math:`\frac{\partial C}{\partial a_1}`, and for a
      function of one variable ``Derivative(f(z), z)`` → :math:`f'(z)`;
    - ``Subs(Derivative(f(ξ), ξ), ξ, z)`` → :math:`f'(z)`, and for a function of several
      variables evaluated at a symbol, :math:`\frac{\partial C}{\partial a_1}`;
    - the sigmoid function of :mod:`symdl.core.activations` prints as :math:`\sigma(z)` (its own
      ``_latex`` method), an undefined function as :math:`C(a_1, a_2)`;
    - matrices: :math:`(W^{l+1})^T`, the Hadamard product :math:`\odot`,
      :math:`\operatorname{diag}(v)`, and a function applied entry by entry as
      :math:`\sigma'(z^l)`.

    Parameters
    ----------
    indicator
        The LaTeX of the indicator function, ``\mathbb{1}`` by default; ``\mathbf{1}`` for
        documents typeset with ``amssymb`` alone, which has no blackboard-bold digit.
    """

    printmethod = "_latex"

    def __init__(self, settings: dict[str, Any] | None = None, *, indicator: str = r"\mathbb{1}"):
        super().__init__(settings)
        self.indicator = indicator

    def doprint(self, expr: Any) -> str:
        """The LaTeX of ``expr``; a symbol's or a function's name never runs a command.

        Names are an author's text (``Symbol(r"\\href{…}{x}")``): see :func:`safe_latex`.
        """
        return safe_latex(str(super().doprint(expr)))

    # ReLU(z) = max(0, z)
    def _print_Indexed(self, expr: sp.Indexed) -> str:
        # z^{l} indexed by j is z^{l}_{j}, not SymPy's {z^{l}}_{j} (shown as z^l{}_j)
        base = self._print(expr.base)
        indices = ",".join(self._print(i) for i in expr.indices)
        if re.fullmatch(r"\\?[A-Za-z]+\^\{[^{}]*\}", base):
            return f"{base}_{{{indices}}}"
        return str(super()._print_Indexed(expr))

    def _helper_print_standard_power(self, expr: sp.Pow, template: str) -> str:
        # (z^{l}_{j})^2: the indexed base in brackets, never a double superscript
        if isinstance(expr.base, sp.Indexed):
            base = self._print(expr.base)
            if "^" in base and not base.startswith("{"):
                return template % (rf"\left({base}\right)", self._print(expr.exp))
        return str(super()._helper_print_standard_power(expr, template))

    def _print_Max(self, expr: sp.Max, exp: str | None = None) -> str:
        if len(expr.args) == 2 and sp.S.Zero in expr.args:
            (inner,) = (arg for arg in expr.args if arg != sp.S.Zero)
            tex = rf"\operatorname{{ReLU}}\left({self._print(inner)}\right)"
            return f"{tex}^{{{exp}}}" if exp else tex
        return str(super()._print_Max(expr, exp))

    # Heaviside(z, h0): the value at 0 decides between 1[z > 0] and 1[z >= 0].
    def _print_Heaviside(self, expr: sp.Heaviside, exp: str | None = None) -> str:
        arg, at_zero = expr.args
        relation = {sp.S.Zero: ">", sp.S.One: r"\ge"}.get(at_zero)
        if relation is None:
            return str(super()._print_Heaviside(expr, exp))
        tex = rf"{self.indicator}\left[{self._print(arg)} {relation} 0\right]"
        return f"{tex}^{{{exp}}}" if exp else tex

    def _print_KroneckerDelta(self, expr: sp.KroneckerDelta, exp: str | None = None) -> str:
        i, j = expr.args[:2]
        tex = rf"{self.indicator}\left[{self._print(i)} = {self._print(j)}\right]"
        return f"{tex}^{{{exp}}}" if exp else tex

    def _partial_fraction(self, name: str | None, variables: list[tuple[sp.Basic, int]]) -> str:
        order = sum(int(count) for _, count in variables)
        top = r"\partial" if order == 1 else rf"\partial^{{{order}}}"
        bottom = " ".join(
            rf"\partial {self._print(v)}" + ("" if count == 1 else f"^{{{count}}}")
            for v, count in variables
        )
        return rf"\frac{{{top} {name}}}{{{bottom}}}" if name else rf"\frac{{{top}}}{{{bottom}}}"

    # a course's registered activation F(z) by its LaTeX name, in the style of σ(z)
    def _print_Function(self, expr: sp.Function, exp: str | None = None) -> str:
        activation = _registered(expr)
        if activation is None:
            return str(super()._print_Function(expr, exp))
        name = activation.latex if exp is None else f"{activation.latex}^{{{exp}}}"
        return rf"{name}\left({self._print(expr.args[0])}\right)"

    # C(a_1, a_2) for an undefined function, in the same style as σ(z) and ReLU(z)
    def _print_AppliedUndef(self, expr: AppliedUndef, exp: str | None = None) -> str:
        arguments = ", ".join(self._print(arg) for arg in expr.args)
        tex = rf"{_function_name(self, expr)}\left({arguments}\right)"
        return f"{tex}^{{{exp}}}" if exp else tex

    def _prime(self, function: sp.Basic, order: int, point: sp.Basic) -> str:
        # f'(x), f''(x) and f'''(x), then f^{(4)}(x)
        primes = "'" * order if order <= 3 else f"^{{({order})}}"
        return rf"{_function_name(self, function)}{primes}\left({self._print(point)}\right)"

    def _print_Derivative(self, expr: sp.Derivative) -> str:
        variables = list(expr.variable_count)
        name = _function_name(self, expr.expr)
        function = expr.expr
        if (
            isinstance(function, AppliedUndef)
            and len(variables) == 1
            and function.args == (variables[0][0],)
        ):
            # a function of one variable differentiated at its argument: σ'(z)
            return self._prime(function, int(variables[0][1]), variables[0][0])
        if name is not None:
            return self._partial_fraction(name, variables)
        inner = self._print(expr.expr)
        if isinstance(expr.expr, sp.Add | sp.Mul | sp.Pow):
            inner = rf"\left({inner}\right)"
        return rf"{self._partial_fraction(None, variables)} {inner}"

    def _print_Subs(self, subs: sp.Subs) -> str:
        derivative, variables, points = subs.args
        if (
            isinstance(derivative, sp.Derivative)
            and isinstance(derivative.expr, AppliedUndef)
            and len(variables) == 1
            and len(derivative.variable_count) == 1
            and derivative.variable_count[0][0] == variables[0]
        ):
            function, point = derivative.expr, points[0]
            order = int(derivative.variable_count[0][1])
            name = _function_name(self, function)
            if len(function.args) == 1:
                return self._prime(function, order, point)
            if _is_atomic_point(point):
                return self._partial_fraction(name, [(point, order)])
        return str(super()._print_Subs(subs))

    # --- matrices: (W)^T, ⊙, diag, σ'(z) applied entry by entry ---------------------------

    def _print_Transpose(self, expr: sp.Transpose) -> str:
        return rf"\left({self._print(expr.arg)}\right)^{{T}}"

    def _print_HadamardProduct(self, expr: sp.HadamardProduct) -> str:
        return r" \odot ".join(
            (
                rf"\left({self._print(arg)}\right)"
                if isinstance(arg, sp.MatAdd | sp.MatMul)
                else self._print(arg)
            )
            for arg in expr.args
        )

    def _print_DiagMatrix(self, expr: Any) -> str:
        return rf"\operatorname{{diag}}\left({self._print(expr.args[0])}\right)"

    def _print_ElementwiseApplyFunction(self, expr: Any) -> str:
        # f applied entry by entry is written f(Z), as in σ'(z^l) ⊙ …
        function, matrix = expr.function, expr.expr
        if not isinstance(function, sp.Lambda) or len(function.variables) != 1:
            return str(super()._print_ElementwiseApplyFunction(expr))
        (variable,) = function.variables
        body = function.expr
        argument = self._print(matrix)
        if (
            isinstance(body, sp.Derivative)
            and isinstance(body.expr, AppliedUndef)
            and body.expr.args == (variable,)
            and body.variable_count == ((variable, 1),)
        ):
            return rf"{_function_name(self, body.expr)}'\left({argument}\right)"
        placeholder = sp.Symbol(argument)
        return str(self._print(body.xreplace({variable: placeholder})))


def latex_expr(expr: sp.Basic, *, indicator: str = r"\mathbb{1}") -> str:
    r"""LaTeX of a SymPy expression in a lecture's notation (see :class:`LecturePrinter`).

    Examples
    --------
    >>> import sympy as sp
    >>> z = sp.Symbol("z", real=True)
    >>> latex_expr(sp.Max(0, z) + sp.Heaviside(z, 0))
    '\\mathbb{1}\\left[z > 0\\right] + \\operatorname{ReLU}\\left(z\\right)'
    >>> C = sp.Function("C")
    >>> latex_expr(sp.diff(C(z**2), z))
    "2 z C'\\left(z^{2}\\right)"
    >>> a1, a2 = sp.symbols("a_1 a_2", real=True)
    >>> latex_expr(sp.diff(C(a1, a2), a1))
    '\\frac{\\partial C}{\\partial a_{1}}'
    """
    return str(LecturePrinter(indicator=indicator).doprint(expr))


# --- LaTeX for MathJax: Jupyter, sphinx-gallery and myst-nb -----------------------------------

# LaTeX's special characters in math mode (MathJax shows the content of \text{…} literally, so
# a text-mode \% there would print "\%").
_MATH_MODE = {"\\": r"\backslash ", "{": r"\{", "}": r"\}", "$": r"\$", "&": r"\&",
              "#": r"\#", "%": r"\%", "_": r"\_", "^": r"\hat{}", "~": r"\sim "}  # fmt: skip
_SPECIAL = re.compile(r"([\\{}$&#%_^~])")


def mathjax_text(text: str) -> str:
    r"""``text`` inside math for MathJax: plain runs in ``\text{…}``, special characters as math.

    >>> mathjax_text("50% of a_1")
    '\\text{50}\\%\\text{ of a}\\_\\text{1}'
    """
    pieces = _SPECIAL.split(text)
    return "".join(_MATH_MODE.get(p) or rf"\text{{{p}}}" for p in pieces if p)


def math_html(latex: str, *, display: bool = True) -> str:
    r"""``latex`` as HTML text that MathJax typesets: in ``\[ \]`` (or ``\( \)`` inline).

    ``&`` and ``<`` are escaped: the browser hands MathJax the text ``a & b`` back.

    >>> print(math_html(r"a &< b"))
    \[a &amp;&lt; b\]
    >>> print(math_html("x", display=False))
    \(x\)
    """
    opening, closing = (r"\[", r"\]") if display else (r"\(", r"\)")
    return f"{opening}{html.escape(latex, quote=False)}{closing}"


# --- the same notation in plain text (terminal output) ---------------------------------------

# LaTeX commands of the field and the Unicode a terminal shows for them
_PLAIN_COMMANDS = {
    r"\delta": "δ",
    r"\sigma": "σ",
    r"\partial": "∂",
    r"\odot": "⊙",
    r"\nabla": "∇",
    r"\alpha": "α",
    r"\beta": "β",
    r"\eta": "η",
    r"\omega": "ω",
    r"\cdot": "·",
    r"\le": "≤",
    r"\ge": "≥",
}
_COMMAND = re.compile(r"\\[A-Za-z]+")
_BRACED = re.compile(r"\{([^{}]*)\}")


def plain_math(text: str) -> str:
    r"""LaTeX-style names and inline math as plain text: braces dropped, commands as Unicode.

    >>> plain_math(r"\delta^{(2)}_{1} = \partial C / \partial z^{(2)}_{1}")
    'δ^(2)_1 = ∂C / ∂z^(2)_1'
    """
    text = _COMMAND.sub(lambda m: _PLAIN_COMMANDS.get(m.group(0), m.group(0)), text)
    text = re.sub(r"([δσ∂∇⊙αβηω·]) (?=[A-Za-z(])", r"\1", text)  # "\partial C" → "∂C"
    while _BRACED.search(text):
        text = _BRACED.sub(r"\1", text)
    return text


class PlainPrinter(StrPrinter):
    """SymPy's string printer with the lecture's names: σ(z), ReLU(z), 1[z > 0], ∂C/∂w."""

    def _print_Symbol(self, expr: sp.Symbol) -> str:
        return plain_math(expr.name)

    def _print_Derivative(self, expr: sp.Derivative) -> str:
        numerator = self._print(expr.expr)
        variables = "".join(f"∂{self._print(v)}" for v in expr.variables)
        order = f"^{len(expr.variables)}" if len(expr.variables) > 1 else ""
        return f"∂{order}{numerator}/{variables}"

    def _print_Sigmoid(self, expr: sp.Basic) -> str:
        return f"σ({self._print(expr.args[0])})"

    def _print_Function(self, expr: sp.Function) -> str:
        activation = _registered(expr)
        if activation is None:
            return str(super()._print_Function(expr))
        return f"{activation.text}({self._print(expr.args[0])})"

    def _print_Max(self, expr: sp.Max) -> str:
        if len(expr.args) == 2 and sp.S.Zero in expr.args:
            other = expr.args[1] if expr.args[0] == 0 else expr.args[0]
            return f"ReLU({self._print(other)})"
        return f"max({', '.join(self._print(a) for a in expr.args)})"

    def _print_Heaviside(self, expr: sp.Heaviside) -> str:
        argument, at_zero = expr.args
        relation = ">" if at_zero == 0 else "≥" if at_zero == 1 else None
        if relation is None:
            return f"H({self._print(argument)})"
        return f"1[{self._print(argument)} {relation} 0]"


def plain_expr(expr: sp.Basic) -> str:
    """An expression as plain text in the lecture's Unicode notation: its lecture LaTeX
    (:func:`latex_expr`) read as text (:func:`math_text`), never SymPy's ``**`` or ``*``.

    >>> from symdl.core.activations import Sigmoid
    >>> w, z = sp.Symbol("w^{(1)}_{11}"), sp.Symbol("z^{(1)}_{1}")
    >>> plain_expr((3 * w - 1) ** 2)
    '(3 w^(1)_11 − 1)²'
    >>> plain_expr(Sigmoid(z) * sp.Heaviside(z, 0) + sp.Max(0, z))
    '1[z^(1)_1 > 0] σ(z^(1)_1) + ReLU(z^(1)_1)'
    """
    return math_text(latex_expr(expr))


# --- LaTeX math as Unicode text (a terminal) ---------------------------------------------------

_GREEK = {
    "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ε", "varepsilon": "ε",
    "zeta": "ζ", "eta": "η", "theta": "θ", "vartheta": "ϑ", "iota": "ι", "kappa": "κ",
    "lambda": "λ", "mu": "μ", "nu": "ν", "xi": "ξ", "pi": "π", "varpi": "ϖ", "rho": "ρ",
    "varrho": "ρ", "sigma": "σ", "varsigma": "ς", "tau": "τ", "upsilon": "υ", "phi": "φ",
    "varphi": "φ", "chi": "χ", "psi": "ψ", "omega": "ω", "Gamma": "Γ", "Delta": "Δ",
    "Theta": "Θ", "Lambda": "Λ", "Xi": "Ξ", "Pi": "Π", "Sigma": "Σ", "Upsilon": "Υ",
    "Phi": "Φ", "Psi": "Ψ", "Omega": "Ω",
}  # fmt: skip
# Commands that print as a symbol.
_SYMBOL_COMMANDS = {
    **_GREEK,
    "le": "≤", "leq": "≤", "leqslant": "≤", "ge": "≥", "geq": "≥", "geqslant": "≥",
    "ne": "≠", "neq": "≠", "lt": "<", "gt": ">", "approx": "≈", "sim": "∼", "simeq": "≃",
    "cong": "≅", "equiv": "≡", "propto": "∝", "ll": "≪", "gg": "≫", "in": "∈", "ni": "∋",
    "notin": "∉", "subset": "⊂", "subseteq": "⊆", "supset": "⊃", "supseteq": "⊇",
    "to": "→", "rightarrow": "→", "longrightarrow": "→", "leftarrow": "←", "gets": "←",
    "mapsto": "↦", "longmapsto": "↦", "Rightarrow": "⇒", "implies": "⇒", "Longrightarrow": "⇒",
    "Leftarrow": "⇐", "Leftrightarrow": "⇔", "iff": "⇔", "leftrightarrow": "↔",
    "uparrow": "↑", "downarrow": "↓", "nearrow": "↗", "searrow": "↘",
    "cdot": "·", "times": "×", "div": "÷", "pm": "±", "mp": "∓", "ast": "∗", "star": "⋆",
    "circ": "∘", "bullet": "•", "odot": "⊙", "oplus": "⊕", "otimes": "⊗", "cup": "∪",
    "cap": "∩", "setminus": "∖", "wedge": "∧", "land": "∧", "vee": "∨", "lor": "∨", "neg": "¬",
    "lnot": "¬", "forall": "∀", "exists": "∃", "emptyset": "∅", "varnothing": "∅",
    "infty": "∞", "partial": "∂", "nabla": "∇", "ell": "ℓ", "hbar": "ℏ", "Re": "ℜ", "Im": "ℑ",
    "aleph": "ℵ", "wp": "℘", "imath": "ı", "jmath": "ȷ", "perp": "⊥", "parallel": "∥",
    "mid": "|", "vert": "|", "lvert": "|", "rvert": "|", "Vert": "‖", "lVert": "‖",
    "rVert": "‖", "|": "‖", "langle": "⟨", "rangle": "⟩", "lfloor": "⌊", "rfloor": "⌋",
    "lceil": "⌈", "rceil": "⌉", "lbrace": "{", "rbrace": "}", "{": "{", "}": "}",
    "sum": "Σ", "prod": "Π", "coprod": "∐", "int": "∫", "iint": "∬", "oint": "∮",
    "bigcup": "⋃", "bigcap": "⋂", "bigoplus": "⊕", "bigotimes": "⊗",
    "ldots": "…", "dots": "…", "cdots": "…", "dotsc": "…", "dotsb": "…", "dotsm": "…",
    "vdots": "⋮", "ddots": "⋱", "prime": "'", "top": "ᵀ", "intercal": "ᵀ", "dagger": "†",
    "angle": "∠", "triangle": "△", "square": "□", "checkmark": "✓", "surd": "√",
    "%": "%", "_": "_", "&": "&", "#": "#", "$": "$", "backslash": "∖", "colon": ":",
    "lbrack": "[", "rbrack": "]", "Box": "□", "bot": "⊥", "models": "⊨",
}  # fmt: skip
# Commands that print as a word (an operator name): "log x", "max(a, b)".
_WORD_COMMANDS = frozenset({
    "log", "ln", "lg", "exp", "sin", "cos", "tan", "sec", "csc", "cot", "sinh", "cosh", "tanh",
    "coth", "arcsin", "arccos", "arctan", "max", "min", "sup", "inf", "lim", "limsup",
    "liminf", "arg", "det", "dim", "ker", "deg", "gcd", "hom", "Pr", "mod", "argmax", "argmin",
    "sgn", "sign", "tr", "diag", "rank", "softmax",
})  # fmt: skip
# Spacing commands: a space, or nothing.
_SPACING = {",": " ", ";": " ", ":": " ", ">": " ", " ": " ", "!": "", "/": "",
            "quad": "\ue001", "qquad": "\ue002", "enspace": " ", "thinspace": " "}  # fmt: skip
# Commands that only change the size or the style of what follows: dropped.
_DROPPED = frozenset({
    "left", "right", "middle", "big", "Big", "bigg", "Bigg", "bigl", "bigr", "Bigl", "Bigr",
    "biggl", "biggr", "Biggl", "Biggr", "bigm", "Bigm", "displaystyle", "textstyle",
    "scriptstyle", "scriptscriptstyle", "limits", "nolimits", "nonumber", "notag", "mathstrut",
    "strut", "allowbreak", "relax", "protect", "hfill", "cr", "noindent", "centering",
})  # fmt: skip
# Commands whose one argument is text, shown as written.
_TEXT_ARGUMENT = frozenset({"text", "textrm", "textnormal", "textit", "textbf", "textsf",
                            "texttt", "mbox", "hbox", "emph", "textup"})  # fmt: skip
# Commands whose one argument is math in another font (shown in the plain font).
_FONT_ARGUMENT = frozenset({"mathrm", "mathit", "mathbf", "mathsf", "mathtt", "boldsymbol",
                            "bm", "mathnormal", "pmb", "mathscr", "mathfrak", "underline",
                            "displaylimits", "ensuremath", "smash", "operatorname",
                            "underbrace", "overbrace", "boxed", "cancel"})  # fmt: skip
# Commands whose one argument is dropped with them.
_ARGUMENT_DROPPED = frozenset({"label", "phantom", "hphantom", "vphantom", "hspace", "vspace",
                               "hspace*", "vspace*", "color", "kern", "mkern"})  # fmt: skip
_BLACKBOARD = {"R": "ℝ", "N": "ℕ", "Z": "ℤ", "Q": "ℚ", "C": "ℂ", "E": "𝔼", "P": "ℙ", "1": "1",
               "H": "ℍ", "S": "𝕊"}  # fmt: skip
_MATH_ACCENTS = {"hat": "\u0302", "widehat": "\u0302", "bar": "\u0304", "overline": "\u0305",
                 "tilde": "\u0303", "widetilde": "\u0303", "dot": "\u0307", "ddot": "\u0308",
                 "check": "\u030c", "breve": "\u0306", "vec": "\u20d7", "acute": "\u0301",
                 "grave": "\u0300", "mathring": "\u030a"}  # fmt: skip
_FRACTION_COMMANDS = frozenset({"frac", "dfrac", "tfrac", "cfrac"})
_VULGAR = {("1", "2"): "½", ("1", "3"): "⅓", ("2", "3"): "⅔", ("1", "4"): "¼", ("3", "4"): "¾",
           ("1", "5"): "⅕", ("1", "6"): "⅙", ("1", "8"): "⅛"}  # fmt: skip
_SUPERSCRIPTS = str.maketrans("0123456789−+", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺")
_RELATIONS = "=<>≤≥≠≈∼≃≅≡∝≪≫∈∋∉⊂⊆⊃⊇→←↦⇒⇐⇔↔"
# Characters after which a + or − is binary (between two operands).
_OPERAND_END = re.compile(r"[\w)\]}|‖'′!∞…⌋⌉⟩ᵀ⁰¹²³⁴⁵⁶⁷⁸⁹\ue0ff\u0300-\u036f\u20d7]")
_LINE_BREAK = "\ue000"
_SCRIPT = re.compile("\ue0fe(\\d+)\ue0ff")
_QUADS = {"\ue001": "  ", "\ue002": "    "}
_BIG_OPERATORS = ("Σ", "Π", "∐", "∫", "∬", "∮", "⋃", "⋂", "lim", "max", "min", "sup", "inf",
                  "argmax", "argmin", "limsup", "liminf")  # fmt: skip

_MATH_TOKEN = re.compile(
    r"(?P<command>\\(?:[A-Za-z]+\*?|.))|(?P<open>\{)|(?P<close>\})|(?P<sup>\^)|(?P<sub>_)"
    r"|(?P<tab>&)|(?P<space>\s+)|(?P<comment>%[^\n]*)|(?P<char>.)",
    re.DOTALL,
)


@dataclass(frozen=True)
class _Token:
    kind: str
    text: str
    start: int
    end: int


def _math_tokens(latex: str) -> list[_Token]:
    tokens = []
    for match in _MATH_TOKEN.finditer(latex):
        kind = match.lastgroup or "char"
        if kind == "comment":
            continue
        tokens.append(_Token(kind, match.group(), match.start(), match.end()))
    return tokens


def _split_top_level(latex: str, separator: str) -> list[str]:
    """``latex`` cut at ``separator`` (``\\\\`` or ``&``) outside braces and environments."""
    parts, depth, start, i = [], 0, 0, 0
    while i < len(latex):
        if latex.startswith(r"\begin", i):
            depth += 1
        elif latex.startswith(r"\end", i):
            depth -= 1
        char = latex[i]
        if char == "\\" and latex.startswith(separator, i) and depth == 0:
            parts.append(latex[start:i])
            i += len(separator)
            start = i
            continue
        if char == "\\":
            i += 2
            continue
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
        elif char == separator and depth == 0:
            parts.append(latex[start:i])
            start = i + 1
        i += 1
    parts.append(latex[start:])
    return parts


def _outside_brackets(text: str) -> str:
    """``text`` with the contents of its (…), […], {…}, |…| and scripts removed."""
    text = _SCRIPT.sub("", text)
    previous = None
    while previous != text:
        previous = text
        text = re.sub(r"\([^()]*\)|\[[^\[\]]*\]|\{[^{}]*\}|‖[^‖]*‖|⟨[^⟨⟩]*⟩", "", text)
    return text


def _is_unit(text: str) -> bool:
    """One symbol with its scripts (``2``, ``n_0``, ``2^k``, ``∂z^l_j``): no parentheses needed
    around it after ``/`` or ``√``."""
    core = _SCRIPT.sub("", text).rstrip("⁰¹²³⁴⁵⁶⁷⁸⁹⁻ᵀ'′")
    return re.fullmatch(r"∂?(\d+|[^\W\d_])\u0302?", core) is not None


def _needs_parentheses(text: str, *, strict: bool) -> bool:
    """Whether ``text`` must be parenthesized as a numerator (or, ``strict``, a denominator)."""
    if strict and _is_unit(text):
        return False
    outside = _outside_brackets(text).strip()
    if re.fullmatch(r"\(.*\)", text.strip()) and not outside:
        return False  # already one parenthesized group
    if strict:
        return True
    return re.search(r"[\s+\-−=<>≤≥≠≈,;/±∓]", outside) is not None


class _UnicodeMath:
    """A reader of LaTeX math that writes the same mathematics in Unicode.

    Scripts are written as ``^`` and ``_`` followed by one symbol or a parenthesized group
    (``δ^(l)_j``, ``2^(k−1)``), integer exponents as superscript digits (``x²``), fractions
    as ``a/b`` with the parentheses the reading needs, and commands as their symbols.  A
    script is kept aside (a placeholder) while the spaces around relations are normalized, so
    that ``Σ_(k=1)^n`` keeps its ``k=1`` tight.
    """

    def __init__(self, latex: str, scripts: list[str], *, display: bool) -> None:
        self.latex = latex
        self.tokens = _math_tokens(latex)
        self.position = 0
        self.scripts = scripts
        self.display = display

    # --- reading --------------------------------------------------------------------------

    def _peek(self) -> _Token | None:
        return self.tokens[self.position] if self.position < len(self.tokens) else None

    def _next(self) -> _Token | None:
        token = self._peek()
        if token is not None:
            self.position += 1
        return token

    def _skip_spaces(self) -> None:
        while (token := self._peek()) is not None and token.kind == "space":
            self.position += 1

    def _raw_group(self) -> str:
        """The raw text of the next ``{…}`` group (or of the next token), consumed."""
        self._skip_spaces()
        token = self._next()
        if token is None:
            return ""
        if token.kind != "open":
            return token.text
        depth, start = 1, token.end
        while (inner := self._next()) is not None:
            if inner.kind == "open":
                depth += 1
            elif inner.kind == "close":
                depth -= 1
                if depth == 0:
                    return self.latex[start : inner.start]
        return self.latex[start:]

    def _optional(self) -> str | None:
        """The raw text of an optional ``[…]`` argument, consumed, or None."""
        token = self._peek()
        if token is None or token.text != "[":
            return None
        self.position += 1
        start = token.end
        while (inner := self._next()) is not None:
            if inner.text == "]":
                return self.latex[start : inner.start]
        return self.latex[start:]

    def _argument(self) -> str:
        """The next argument (a group or one token), written in Unicode."""
        return self._sub(self._raw_group())

    def _sub(self, latex: str, *, display: bool | None = None) -> str:
        reader = _UnicodeMath(latex, self.scripts, display=self.display)
        if display is not None:
            reader.display = display
        return reader.sequence()

    # --- writing --------------------------------------------------------------------------

    def sequence(self) -> str:
        out: list[str] = []
        while (token := self._peek()) is not None:
            if token.kind in ("sup", "sub"):
                base = "".join(out).rstrip()
                out.append(self._scripts(limits=base.endswith(_BIG_OPERATORS)))
                continue
            self.position += 1
            out.append(self._atom(token))
        return "".join(out)

    def _atom(self, token: _Token) -> str:
        kind, text = token.kind, token.text
        if kind == "space":
            return " "
        if kind == "open":
            self.position -= 1
            return self._argument()
        if kind == "close":
            return ""
        if kind == "tab":
            return ""
        if kind == "char":
            return "−" if text == "-" else ("\u00a0" if text == "~" else text)
        return self._command(text[1:])

    def _command(self, name: str) -> str:
        if name == "\\":
            return _LINE_BREAK if self.display else "; "
        if name in _SPACING:
            return _SPACING[name]
        if name in _DROPPED:
            return ""
        if name in ("partial", "nabla"):  # ∂C, ∇f: the space that ends the command is dropped
            self._skip_spaces()
            return _SYMBOL_COMMANDS[name]
        if name in _SYMBOL_COMMANDS:
            return _SYMBOL_COMMANDS[name]
        if name in _WORD_COMMANDS:  # log x, log log t, but log(x) and max_j
            following = self._peek()
            tight = (
                following is None
                or following.kind in ("sup", "sub", "open", "close")
                or (following.text in ("(", "[", "|", ")", ",", "'", r"\left", r"\bigl", r"\Bigl"))
            )
            return name + ("" if tight else " ")
        if name in _FRACTION_COMMANDS:
            return self._fraction(self._argument(), self._argument())
        if name == "binom" or name == "dbinom" or name == "tbinom":
            return f"C({self._argument()}, {self._argument()})"
        if name == "sqrt":
            index = self._optional()
            radicand = self._argument()
            if index is not None:
                return f"{self._wrap(radicand)}^(1/{self._sub(index)})"
            return "√" + (radicand if _is_unit(radicand) else f"({radicand})")
        if name in _TEXT_ARGUMENT:
            return _text_in_math(self._raw_group(), self.scripts)
        if name in ("operatorname", "operatorname*"):
            return self._argument().replace(" ", "")
        if name == "mathbb":
            letter = self._argument()
            return _BLACKBOARD.get(letter, letter)
        if name == "mathcal":
            return self._argument()
        if name in _FONT_ARGUMENT:
            return self._argument()
        if name in _MATH_ACCENTS:
            inner = self._argument()
            accent = _MATH_ACCENTS[name]
            return inner + accent if len(inner) == 1 else f"({inner}){accent}"
        if name in _ARGUMENT_DROPPED:
            self._raw_group()
            return ""
        if name == "tag":
            return f"\ue002({self._argument()})"
        if name in ("bmod", "mod"):
            return " mod "
        if name == "pmod":
            return f" (mod {self._argument()})"
        if name == "not":
            negated = self._argument()
            return {"=": "≠", "∈": "∉", "<": "≮", ">": "≯", "≤": "≰", "≥": "≱"}.get(
                negated, "¬" + negated
            )
        if name == "begin":
            return self._environment(self._raw_group())
        if name == "end":
            self._raw_group()
            return ""
        # any other command: its name, never a backslash; an argument in parentheses
        following = self._peek()
        if following is not None and following.kind == "open":
            return f"{name.rstrip('*')}({self._argument()})"
        return name.rstrip("*")

    def _wrap(self, text: str) -> str:
        return text if _is_unit(text) else f"({text})"

    def _fraction(self, numerator: str, denominator: str) -> str:
        if (numerator.strip(), denominator.strip()) in _VULGAR:
            return _VULGAR[numerator.strip(), denominator.strip()]
        if _needs_parentheses(numerator, strict=False):
            numerator = f"({numerator.strip()})"
        if _needs_parentheses(denominator, strict=True):
            denominator = f"({denominator.strip()})"
        return f"{numerator.strip()}/{denominator.strip()}"

    def _scripts(self, *, limits: bool = False) -> str:
        """The scripts that follow, kept aside; ``limits``: of a sum or an integral (``^T`` is
        its upper limit there, not a transpose)."""
        out = []
        while (token := self._peek()) is not None and token.kind in ("sup", "sub"):
            self.position += 1
            self._skip_spaces()
            argument = self._peek()
            if argument is None:
                content = ""
            elif argument.kind == "open":
                content = self._argument()
            else:  # one symbol, or a command with its own arguments (^\frac12, _\infty)
                self.position += 1
                content = self._atom(argument)
            out.append(_script(token.kind, _tight(content), limits=limits))
        self.scripts.append("".join(out))
        return f"\ue0fe{len(self.scripts) - 1}\ue0ff"

    def _environment(self, name: str) -> str:
        # the raw body up to the matching \end{name}
        depth, start = 1, self.tokens[self.position].start if self._peek() else len(self.latex)
        end = len(self.latex)
        while (token := self._next()) is not None:
            if token.text == r"\begin":
                depth += 1
            elif token.text == r"\end":
                depth -= 1
                if depth == 0:
                    end = token.start
                    self._raw_group()
                    break
        body = self.latex[start:end]
        base = name.rstrip("*")
        rows = [row for row in _split_top_level(body, "\\\\") if row.strip()]
        cells = [[self._sub(cell, display=False).strip() for cell in _split_top_level(row, "&")]
                 for row in rows]  # fmt: skip
        if base in ("cases", "dcases", "rcases"):
            pieces = []
            for row in cells:
                value = row[0].rstrip(",;. ")
                condition = " ".join(row[1:]).strip().rstrip(",;. ")
                if not condition:
                    pieces.append(value)
                elif re.match(r"(if|for|when|otherwise|else|where)\b", condition):
                    pieces.append(f"{value} {condition}")
                else:
                    pieces.append(f"{value} for {condition}")
            return "{" + "; ".join(pieces) + "}"
        if base in ("matrix", "pmatrix", "bmatrix", "Bmatrix", "vmatrix", "Vmatrix", "array",
                    "smallmatrix"):  # fmt: skip
            brackets = {"pmatrix": "()", "vmatrix": "||", "Vmatrix": "‖‖"}.get(base, "[]")
            opening, closing = brackets[0], brackets[1]
            if base == "array":  # \begin{array}{cc}: the column spec is not a row
                rows = [r for r in _split_top_level(body.split("}", 1)[-1], "\\\\") if r.strip()]
                cells = [
                    [self._sub(cell, display=False).strip() for cell in _split_top_level(r, "&")]
                    for r in rows
                ]
            return opening + "; ".join(", ".join(row) for row in cells) + closing
        # aligned, align, split, gathered, equation, multline, …: one line per row, and a
        # wide gap where the row has an empty column (a tag after &&)
        lines = []
        for row in cells:
            line, gap = row[0], False
            for cell in row[1:]:
                if not cell:
                    gap = True
                    continue
                line += ("\ue002" if gap else " ") + cell
                gap = False
            lines.append(line)
        return (_LINE_BREAK if self.display else "; ").join(lines)


def _script(kind: str, content: str, *, limits: bool = False) -> str:
    """``^`` or ``_`` and its argument, readable: ``x²``, ``W⁻¹``, ``δ^(l)``, ``w_jk``."""
    if kind == "sup" and not limits:
        if content in ("ᵀ", "T", "⊤"):
            return "ᵀ"
        if content in ("'", "''", "*", "∗", "†") or re.fullmatch(r"'+", content):
            return content.replace("∗", "*")
        if re.fullmatch(r"[−-]?\d+", content):
            return content.replace("-", "−").translate(_SUPERSCRIPTS)
    if not content:
        return ""
    marker = "^" if kind == "sup" else "_"
    bare = _SCRIPT.sub("", content)
    if len(bare) == 1 and bare == content:
        return marker + content
    if re.fullmatch(r"\(.*\)", content) and not _outside_brackets(content).strip():
        return marker + content
    if kind == "sub" and re.fullmatch(r"[^\W_]+", content):
        return marker + content  # w_jk, x_11
    if kind == "sup" and re.fullmatch(r"\d+", bare) and bare == content:
        return marker + content
    return f"{marker}({content})"


def _tight(text: str) -> str:
    """Script content: single spaces, none around relations (``k=1``, ``j≤n_0``) nor inside
    brackets."""
    text = re.sub(r"\s+", " ", text).strip()
    text = re.sub(r"([(\[{⌊⌈⟨]) +", r"\1", text)
    text = re.sub(r" +([)\]}⌋⌉⟩])", r"\1", text)
    return re.sub(rf"\s*([{_RELATIONS}·])\s*", r"\1", text)


def _text_in_math(raw: str, scripts: list[str]) -> str:
    """The argument of ``\\text{…}``: text, with its own ``$…$`` math."""
    pieces = raw.split("$")
    out = []
    for index, piece in enumerate(pieces):
        if index % 2:
            out.append(_UnicodeMath(piece, scripts, display=False).sequence())
        else:
            out.append(re.sub(r"\\([%&#_{}$ ])", r"\1", piece).replace("~", "\u00a0"))
    return "".join(out)


def _spaced(text: str) -> str:
    """Single spaces; relations spaced (``a = b``); binary ``+``/``−`` spaced, unary tight."""
    text = re.sub(r"[ \t\n]+", " ", text)
    text = re.sub(rf" ?([{_RELATIONS}]) ?", r" \1 ", text)
    out: list[str] = []
    skip_spaces = False
    for index, char in enumerate(text):
        if skip_spaces and char == " ":
            continue
        skip_spaces = False
        if char in "+−±∓":
            before = "".join(out).rstrip(" ")
            rest = text[index + 1 :]
            binary = bool(before) and _OPERAND_END.match(before[-1]) is not None
            if binary and rest.strip() and not rest.lstrip().startswith((")", ",", ";")):
                out[:] = list(before)
                out.append(f" {char} ")
                continue
            if not binary:  # a sign: −x, ±2^k
                out[:] = list("".join(out))
                out.append(char)
                skip_spaces = True
                continue
        if char == " " and out and out[-1].endswith(" "):
            continue
        out.append(char)
    text = "".join(out)
    text = re.sub(r"([(\[{⌊⌈⟨]) +", r"\1", text)
    text = re.sub(r" +([)\]}⌋⌉⟩,;.:!])", r"\1", text)
    return text.strip()


def _restore(text: str, scripts: list[str]) -> str:
    while _SCRIPT.search(text):
        text = _SCRIPT.sub(lambda m: scripts[int(m.group(1))], text)
    for mark, spaces in _QUADS.items():
        text = re.sub(f" ?{mark} ?", spaces, text)
    return text.replace("\u00a0", " ")


def math_text(latex: str, *, display: bool = False) -> str:
    r"""LaTeX math written in Unicode for a terminal, in the notation of the lecture.

    Symbols become their characters (``\delta`` → δ, ``\le`` → ≤, ``\infty`` → ∞, ``\sum`` →
    Σ), scripts stay readable (``\delta^{(l)}_j`` → δ^(l)_j, ``x^{2}`` → x², ``2^{k-1}`` →
    2^(k−1)), fractions are written ``a/b`` with the parentheses the reading needs, and every
    other command is written as its symbol or its name: no backslash is left.  With
    ``display=True`` the rows of an ``aligned`` block are separate lines.

    Examples
    --------
    >>> math_text(r"\delta^{(l)}_j = \frac{\partial C}{\partial z^{(l)}_j}")
    'δ^(l)_j = ∂C/∂z^(l)_j'
    >>> math_text(r"\sum_t \eta_t = \infty, \quad \sum_t \eta_t^2 < \infty")
    'Σ_t η_t = ∞,  Σ_t η_t² < ∞'
    >>> math_text(r"\frac{1}{2} - \frac{1}{3 \cdot 2^{k-1}}")
    '½ − 1/(3 · 2^(k−1))'
    >>> math_text(r"\int (f - f_n)^2 \, d\mu \le \frac{(2 r C_f)^2}{n}")
    '∫ (f − f_n)² dμ ≤ (2 r C_f)²/n'
    """
    scripts: list[str] = []
    reader = _UnicodeMath(latex, scripts, display=display)
    lines = reader.sequence().split(_LINE_BREAK)
    text = "\n".join(_restore(_spaced(line), scripts) for line in lines if line.strip())
    return unicodedata.normalize("NFC", text)  # Ĵ as one character where Unicode has one


# --- statements: reStructuredText with :math: roles and math blocks --------------------------


@dataclass(frozen=True)
class _Block:
    """A block of a statement: a paragraph, a list item (``marker`` "-" or "1."), or math."""

    kind: str
    text: str
    marker: str = ""


_DIRECTIVE = re.compile(r"\.\.\s+([\w:-]+)::\s*(.*)$")
_ITEM = re.compile(r"([-*+•]|\d+[.)]|#\.)\s+(.*)$")


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def _statement_blocks(text: str) -> list[_Block]:
    """The blocks of a reST statement: paragraphs, bullet or numbered items, math blocks.

    Other directives keep their content as paragraphs; comments are dropped.
    """
    lines = textwrap.dedent(text.expandtabs()).splitlines()
    blocks: list[_Block] = []
    i, in_list = 0, False
    while i < len(lines):
        line = lines[i]
        if not line.strip():
            i += 1
            continue
        indent, stripped = _indent(line), line.strip()
        directive = _DIRECTIVE.match(stripped)
        if directive or stripped.startswith(".. ") or stripped == "..":
            body = [directive.group(2)] if directive and directive.group(2) else []
            i += 1
            while i < len(lines) and (not lines[i].strip() or _indent(lines[i]) > indent):
                body.append(lines[i])
                i += 1
            while body and re.match(r"\s*:[\w-]+:", body[0]):  # options (:label:, :nowrap:)
                body.pop(0)
            content = textwrap.dedent("\n".join(body)).strip("\n")
            if directive and directive.group(1) == "math":
                for equation in re.split(r"\n\s*\n", content):
                    if equation.strip():
                        blocks.append(_Block("math", equation.strip("\n")))
            elif directive and content.strip():
                blocks.extend(_statement_blocks(content))
            in_list = False
            continue
        item = _ITEM.match(stripped)
        starts_item = item is not None and (
            in_list or i == 0 or not lines[i - 1].strip() or bool(blocks and not lines[i - 1])
        )
        if item and starts_item:
            body = [item.group(2)]
            i += 1
            while (
                i < len(lines)
                and lines[i].strip()
                and _indent(lines[i]) > indent
                and not _DIRECTIVE.match(lines[i].strip())
            ):
                body.append(lines[i].strip())
                i += 1
            blocks.append(_Block("item", "\n".join(body), item.group(1)))
            in_list = i < len(lines) and bool(lines[i].strip())
            continue
        in_list = False
        body = [stripped]
        i += 1
        while i < len(lines) and lines[i].strip() and not _DIRECTIVE.match(lines[i].strip()):
            body.append(lines[i].strip())
            i += 1
        blocks.append(_Block("paragraph", "\n".join(body)))
    return blocks


# inline markup: roles (:math:`…`, :func:`…`), ``literals``, `interpreted text`
_INLINE = re.compile(
    r":(?P<role>[A-Za-z][\w:+.-]*):`(?P<body>(?:[^`\\]|\\.)+)`"
    r"|``(?P<literal>.+?)``"
    r"|`(?P<interpreted>[^`]+)`(?P<link>__?)?",
    re.DOTALL,
)
_STRONG = re.compile(r"(?<![\w*\\])\*\*(?=\S)(.+?)(?<=\S)\*\*(?![\w*])", re.DOTALL)
_EMPHASIS = re.compile(r"(?<![\w*\\])\*(?=[^\s*])(.+?)(?<=[^\s*])\*(?![\w*])", re.DOTALL)
_CROSS_REFERENCE_ROLES = ("func", "meth", "py:func", "py:meth")


def _reference_text(role: str, body: str) -> str:
    """What Sphinx shows for a cross-reference: its title, or the target (``~``: its last
    part), with ``()`` after a function."""
    title = re.match(r"(.*?)\s*<([^<>]+)>$", body, re.DOTALL)
    if title:
        return re.sub(r"\s+", " ", title.group(1))
    target = body.lstrip("!")
    if target.startswith("~"):
        target = target[1:].rsplit(".", 1)[-1]
    if role in _CROSS_REFERENCE_ROLES and not target.endswith(")"):
        target += "()"
    return target


def _inline(text: str) -> list[tuple[str, str]]:
    """The inline pieces of a paragraph: ("math", latex), ("code", text), ("emphasis", text),
    ("strong", text) or ("text", text)."""
    pieces: list[tuple[str, str]] = []

    def plain(segment: str) -> None:
        position = 0
        strong = [(m.start(), m.end(), "strong", m.group(1)) for m in _STRONG.finditer(segment)]
        emphasis = [
            (m.start(), m.end(), "emphasis", m.group(1))
            for m in _EMPHASIS.finditer(segment)
            if not m.group().startswith("**")
        ]
        marks = sorted(strong + emphasis)
        for start, end, kind, inner in marks:
            if start < position:
                continue
            pieces.append(("text", _unescape(segment[position:start])))
            pieces.append((kind, _unescape(inner)))
            position = end
        pieces.append(("text", _unescape(segment[position:])))

    position = 0
    for match in _INLINE.finditer(text):
        plain(text[position : match.start()])
        if match.group("role") is not None:
            role, body = match.group("role"), match.group("body")
            if role == "math":
                pieces.append(("math", body))
            elif role in ("emphasis", "dfn", "term"):
                pieces.append(("emphasis", body))
            elif role == "strong":
                pieces.append(("strong", body))
            else:
                pieces.append(("code", _reference_text(role, body)))
        elif match.group("literal") is not None:
            pieces.append(("code", match.group("literal")))
        else:
            body = match.group("interpreted")
            link = re.match(r"(.*?)\s*<([^<>]+)>$", body, re.DOTALL)
            pieces.append(("text", link.group(1) if link else body))
        position = match.end()
    plain(text[position:])
    return [(kind, value) for kind, value in pieces if value or kind == "math"]


def _unescape(text: str) -> str:
    r"""reST's backslash escapes: ``\*`` is a star, ``\ `` nothing."""
    return re.sub(r"\\(.)", lambda m: "" if m.group(1).isspace() else m.group(1), text)


def _unbreakable(formula: str) -> str:
    """``formula`` with its spaces made no-break (``\\xa0``), except after a comma outside
    brackets: a line of text may end there."""
    out: list[str] = []
    depth = 0
    for char in formula:
        if char in "([{⌊⌈⟨":
            depth += 1
        elif char in ")]}⌋⌉⟩":
            depth -= 1
        out.append(
            "\u00a0" if char == " " and not (depth == 0 and out and out[-1] == ",") else char
        )
    return "".join(out)


def _inline_text(text: str) -> str:
    """A paragraph as text; the spaces inside a formula are kept from line breaks (``\xa0``,
    made spaces again by :func:`_wrap`), except after its commas."""
    out = []
    for kind, value in _inline(text):
        if kind == "math":
            out.append(_unbreakable(math_text(value)))
        else:
            out.append(value.replace("\u00a0", " "))
    return re.sub(r"[ \t\n\r]+", " ", "".join(out)).strip()


def statement_text(text: str, *, width: int | None = 88) -> str:
    r"""A statement (reST with ``:math:`` roles and ``.. math::`` blocks) as Unicode text.

    For a terminal: inline math in the lecture's notation (``:math:`\delta^{(l)}_j``` →
    δ^(l)_j, ``\le`` → ≤, ``\infty`` → ∞, ``\sum`` → Σ, ``\frac{a}{b}`` → a/b; see
    :func:`math_text`), display math on lines of their own, indented, cross-references as
    their names, literals and emphasis without their marks, bullet items with a dash.  No
    backslash command is left.

    Parameters
    ----------
    text
        The statement, as written in a proof module's docstring.
    width
        Paragraphs and items are wrapped to this many characters; ``None`` keeps each on one
        line.

    Examples
    --------
    >>> print(statement_text(r"The error :math:`\delta^{(l)}_j` of neuron :math:`j`:"
    ...                      "\n\n.. math::\n\n   \\delta^{(l)}_j = \\frac{\\partial C}"
    ...                      "{\\partial z^{(l)}_j}\n\nSee :func:`~symdl.backprop`."))
    The error δ^(l)_j of neuron j:
    <BLANKLINE>
        δ^(l)_j = ∂C/∂z^(l)_j
    <BLANKLINE>
    See backprop().
    """
    if not isinstance(text, str):
        raise TypeError(f"text={text!r} must be a string: a statement in reStructuredText")
    if width is not None and (isinstance(width, bool) or not isinstance(width, int) or width < 20):
        raise ValueError(f"width={width!r} must be an integer of at least 20, or None")
    out: list[str] = []
    previous = ""
    for block in _statement_blocks(text):
        if block.kind == "math":
            body = "\n".join(
                "    " + line for line in math_text(block.text, display=True).splitlines()
            )
        elif block.kind == "item":
            marker = "-" if block.marker in "-*+•" else block.marker
            body = _wrap(_inline_text(block.text), width, f"{marker} ", " " * (len(marker) + 1))
        else:
            body = _wrap(_inline_text(block.text), width, "", "")
        if out:
            # consecutive items of a list are not separated by a blank line
            out.append("\n" if block.kind == previous == "item" else "\n\n")
        out.append(body)
        previous = block.kind
    return "".join(out)


def _wrap(text: str, width: int | None, first: str, rest: str) -> str:
    if width is None:
        return (first + text).replace("\u00a0", " ")
    return textwrap.fill(
        text,
        width=width,
        initial_indent=first,
        subsequent_indent=rest,
        break_long_words=False,
        break_on_hyphens=False,
    ).replace("\u00a0", " ")


# --- statements as LaTeX (the report) ----------------------------------------------------------


def _code_latex(text: str) -> str:
    """A name or a literal in ``\\texttt``, breakable after its dots and underscores."""
    escaped = _text_to_latex(text)
    escaped = escaped.replace(".", r".\allowbreak{}").replace(r"\_", r"\_\allowbreak{}")
    return rf"\texttt{{{escaped}}}"


def _math_latex(latex: str, indicator: str) -> str:
    math = math_to_latex(re.sub(r"\s+", " ", latex).strip())
    return math.replace(r"\mathbb{1}", indicator)


def _inline_latex(text: str, indicator: str) -> str:
    out = []
    for kind, value in _inline(text):
        if kind == "math":
            out.append(f"${_math_latex(value, indicator)}$")
        elif kind == "code":
            out.append(_code_latex(value))
        elif kind == "emphasis":
            out.append(rf"\emph{{{_text_to_latex(value)}}}")
        elif kind == "strong":
            out.append(rf"\textbf{{{_text_to_latex(value)}}}")
        else:
            out.append(_text_to_latex(value))
    return "".join(out).strip()


def _display_latex(latex: str, indicator: str) -> str:
    body = "\n".join(_math_latex(line, indicator) for line in latex.splitlines() if line.strip())
    rows = _split_top_level(body, "\\\\")
    aligned = len(rows) > 1 or len(_split_top_level(body, "&")) > 1
    if aligned and r"\begin{" not in body:
        body = f"\\begin{{aligned}}\n{body}\n\\end{{aligned}}"
    return f"\\[\n{body}\n\\]"


def statement_latex(text: str, *, indicator: str = r"\mathbf{1}") -> str:
    r"""A statement (reST with ``:math:`` roles and ``.. math::`` blocks) as a LaTeX body.

    For the report: inline math as ``$…$``, each equation of a math block as ``\[…\]`` (its
    rows in ``aligned``), bullet lists as ``itemize``, cross-references and literals in
    ``\texttt``, emphasis as ``\emph``; other text with LaTeX's special characters escaped and
    the Unicode symbols of the field (σ, ≤, —, accented letters) written as LaTeX commands, so
    that the result is ASCII and compiles with ``pdflatex`` and ``amsmath``, ``amssymb``.
    Commands in the math that act beyond typesetting are shown, not run (:func:`safe_latex`).

    Parameters
    ----------
    text
        The statement, as written in a proof module's docstring.
    indicator
        The LaTeX written for ``\mathbb{1}`` (the indicator function): ``\mathbf{1}`` by
        default, since ``amssymb`` has no blackboard-bold digit.

    Examples
    --------
    >>> print(statement_latex(r"For :math:`k \ge 1`, *every* ``m``: 100% of Montúfar's."))
    For $k \ge 1$, \emph{every} \texttt{m}: 100\% of Mont\'{u}far's.
    >>> print(statement_latex(".. math::\n\n   a &= b \\\\\n   c &= d"))
    \[
    \begin{aligned}
    a &= b \\
    c &= d
    \end{aligned}
    \]
    """
    if not isinstance(text, str):
        raise TypeError(f"text={text!r} must be a string: a statement in reStructuredText")
    out: list[str] = []
    blocks = _statement_blocks(text)
    for index, block in enumerate(blocks):
        previous = blocks[index - 1].kind if index else ""
        following = blocks[index + 1].kind if index + 1 < len(blocks) else ""
        if block.kind == "item":
            numbered = block.marker not in "-*+•"
            environment = "enumerate" if numbered else "itemize"
            if previous != "item":
                out.append(f"\\begin{{{environment}}}")
            out.append(rf"\item {_inline_latex(block.text, indicator)}")
            if following != "item":
                out.append(f"\\end{{{environment}}}\n")
        elif block.kind == "math":
            out.append(_display_latex(block.text, indicator))
        else:
            out.append(_inline_latex(block.text, indicator) + "\n")
    return "\n".join(out).strip()
