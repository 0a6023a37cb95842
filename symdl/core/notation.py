r"""The notation of a lecture on deep learning, as a SymPy LaTeX printer.

SymPy prints what it stores: ``\max\left(0, z\right)``, ``\theta\left(z, 0\right)`` and, for the
chain rule through an undefined function,
``\left. \frac{d}{d \xi_{1}} C{\left(\xi_{1} \right)} \right|_{\xi_{1}=z}``.  A lecturer writes
:math:`\operatorname{ReLU}(z)`, :math:`\mathbb{1}[z > 0]` and :math:`C'(z)` or
:math:`\frac{\partial C}{\partial a_1}`.  :class:`LecturePrinter` writes the latter; its rules
are one method per SymPy class, and everything else falls back to SymPy's printer.

The module also holds the treatment of text in derivations: prose with ``$`` inline math,
escaped for LaTeX, with the field's Unicode symbols translated (:func:`prose_to_latex`).

References
----------
M. Nielsen, *Neural Networks and Deep Learning*, ch. 2 (2015), for the notation
:math:`z^l_j, a^l_j, \delta^l_j, w^l_{jk}`.
"""

from __future__ import annotations

import html
import re
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
    "math_to_latex",
    "mathjax_text",
    "plain_expr",
    "plain_math",
    "prose_to_latex",
    "safe_latex",
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
}
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
    for char in math:
        if char in _UNICODE_MATH:
            out.append(_UNICODE_MATH[char] + ("" if char in "ᵀ′" else " "))
        elif char.isascii():
            out.append(char)
        else:
            raise _unsupported(char, math)
    return safe_latex("".join(out))


def _text_to_latex(text: str) -> str:
    out = []
    for char in text:
        if char in _TEXT_SPECIALS:
            out.append(_TEXT_SPECIALS[char])
        elif char in _UNICODE_TEXT:
            out.append(_UNICODE_TEXT[char])
        elif char in _UNICODE_MATH:
            out.append(f"${math_to_latex(char).strip()}$")
        elif char.isascii():
            out.append(char)
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
    """An expression as plain text in the lecture's notation.

    >>> from symdl.core.activations import Sigmoid
    >>> w, z = sp.Symbol("w^{(1)}_{11}"), sp.Symbol("z^{(1)}_{1}")
    >>> plain_expr(sp.Derivative(sp.Function("C")(w), w))
    '∂C(w^(1)_11)/∂w^(1)_11'
    >>> plain_expr(Sigmoid(z) * sp.Heaviside(z, 0) + sp.Max(0, z))
    '1[z^(1)_1 > 0]*σ(z^(1)_1) + ReLU(z^(1)_1)'
    """
    return PlainPrinter().doprint(expr)
