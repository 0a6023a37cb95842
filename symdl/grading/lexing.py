r"""The words of an answer: tokens, the problem's symbols by written form, functions, limits.

This module holds the lexical half of the safe answer parser (:mod:`symdl.grading.parsing` holds the
grammar): the errors it raises, the size limits it enforces, the whitelist of functions, the
tokenizer, and the keys by which a symbol's written forms (``w^{(1)}_{12}``, ``w_{1,2}^{(1)}``,
``w_12^(1)``) are matched to the problem's symbols.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass

import sympy as sp

from symdl.core.activations import RESERVED_PARSER_NAMES, Activation, parser_activations

__all__ = [
    "DEFAULT_FUNCTIONS",
    "AmbiguousAnswerError",
    "AnswerSyntaxError",
    "FunctionSpec",
    "ParseLimits",
    "UnknownNameError",
    "symbol_key",
]


class AnswerSyntaxError(ValueError):
    """The answer text is not an expression symdl accepts; the message says where and why.

    Attributes
    ----------
    text : str
        The rejected text (shortened if long).
    position : int or None
        The 0-based offset in the text where the problem is, when there is one.
    """

    def __init__(self, message: str, *, text: str = "", position: int | None = None) -> None:
        self.text = text if len(text) <= 200 else text[:200] + "…"
        self.position = position
        if position is not None and text and len(text) <= 200 and "\n" not in text:
            message = f"{message}\n    {text}\n    {' ' * position}^"
        super().__init__(message)


class AmbiguousAnswerError(AnswerSyntaxError):
    """The answer text can be read in more than one way; ``readings`` lists them."""

    def __init__(
        self, message: str, *, readings: Sequence[str], text: str = "", position: int | None = None
    ) -> None:
        self.readings = tuple(readings)
        listed = "; ".join(f"({i}) {r}" for i, r in enumerate(self.readings, 1))
        super().__init__(
            f"{message}: it can be read as {listed}; add parentheses or '*' to say which",
            text=text,
            position=position,
        )


class UnknownNameError(AnswerSyntaxError):
    """The answer uses a name that is neither the problem's symbol nor a function or constant.

    Attributes
    ----------
    name : str
        The unknown name as written (``q``, ``w^{(3)}_{11}``).
    """

    def __init__(
        self, message: str, *, name: str, text: str = "", position: int | None = None
    ) -> None:
        self.name = name
        super().__init__(message, text=text, position=position)


@dataclass(frozen=True)
class ParseLimits:
    r"""Bounds on the size of an answer, checked before anything large is built.

    Attributes
    ----------
    max_length : int
        Characters of text.
    max_tokens : int
        Tokens (numbers, names, operators).
    max_depth : int
        Nesting depth of parentheses, function calls, powers and unary signs.
    max_digits : int
        Digits of one number literal.
    max_exponent : int
        Absolute value of the numerator and denominator of a numeric exponent.
    max_bits : int
        Bits of every exact number the answer builds: the numerator and the denominator of
        each rational, whether typed, multiplied, added or raised to a power
        (:math:`10^{\pm 1000}` has 3,322), and the binary magnitude :math:`|\log_2 |c||` of
        each numeric constant a function or a power gives (up to about :math:`e^{\pm 2839}`).
        The default, 4,096 bits (1,233 digits), keeps every number printable and cheap to
        test.
    max_root_bits : int
        Bits of an integer under a root (a power with a non-integer exponent, as in
        :math:`\sqrt{n}` or :math:`n^{2/3}`), unless the root is exact: SymPy factors such an
        integer, which takes seconds past a few hundred bits.  The default, 256 bits, admits
        every 60-digit literal; a product of roots counts the product of the integers.
    max_nodes : int
        Nodes of the expression the answer builds, counting a repeated subexpression each time
        it occurs (a derivative written with primes repeats its argument: :math:`\sigma''` of
        :math:`\sigma''` of …  grows fast).
    max_constant_nodes : int
        Nodes of a numeric constant given to a function or a power (SymPy may evaluate it
        numerically, node by node, several times).
    """

    max_length: int = 10_000
    max_tokens: int = 4000
    max_depth: int = 60
    max_digits: int = 60
    max_exponent: int = 1000
    max_bits: int = 4096
    max_root_bits: int = 256
    max_nodes: int = 20_000
    max_constant_nodes: int = 200

    def __post_init__(self) -> None:
        for name, value in vars(self).items():
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                raise ValueError(f"ParseLimits.{name} = {value!r}: expected a positive integer")


@dataclass(frozen=True)
class FunctionSpec:
    """A whitelisted function: how to build it from SymPy arguments, and how many it takes.

    Attributes
    ----------
    build : Callable[..., sympy.Expr]
        Called with the parsed SymPy arguments; returns a SymPy expression.
    arity : tuple of int
        The accepted numbers of arguments (``(2, 3, 4)`` for ``max``).
    derivative : Callable[[sympy.Expr], sympy.Expr] or None
        The derivative of a one-argument function, for primes (``tanh'(z)``); by default
        ``sympy.diff`` of ``build``.
    """

    build: Callable[..., sp.Expr]
    arity: tuple[int, ...] = (1,)
    derivative: Callable[[sp.Expr], sp.Expr] | None = None


def _log(arg: sp.Expr, base: sp.Expr | None = None) -> sp.Expr:
    return sp.log(arg) if base is None else sp.log(arg) / sp.log(base)


def heaviside(t: sp.Expr, at_zero: sp.Expr = sp.S.Zero) -> sp.Expr:
    """The step function with the project's convention H(0) = 0 unless ``at_zero`` is given."""
    return sp.Heaviside(t, at_zero)


def _one(f: Callable[[sp.Expr], sp.Expr]) -> FunctionSpec:
    return FunctionSpec(build=f)


_MANY = tuple(range(2, 9))
#: The standard functions; the activations (sigma, relu, tanh, softplus, …) come from the
#: activation registry (:func:`symdl.core.activations.parser_activations`).
_FUNCTIONS: dict[str, FunctionSpec] = {
    "exp": _one(sp.exp),
    "log": FunctionSpec(build=_log, arity=(1, 2)),
    "ln": _one(sp.log),
    "sqrt": _one(sp.sqrt),
    "abs": _one(sp.Abs),
    "sin": _one(sp.sin),
    "cos": _one(sp.cos),
    "tan": _one(sp.tan),
    "sec": _one(sp.sec),
    "csc": _one(sp.csc),
    "cot": _one(sp.cot),
    "sinh": _one(sp.sinh),
    "cosh": _one(sp.cosh),
    "sech": _one(sp.sech),
    "csch": _one(sp.csch),
    "coth": _one(sp.coth),
    "arcsin": _one(sp.asin),
    "arccos": _one(sp.acos),
    "arctan": _one(sp.atan),
    "arctanh": _one(sp.atanh),
    "max": FunctionSpec(build=sp.Max, arity=_MANY),
    "min": FunctionSpec(build=sp.Min, arity=_MANY),
    # H(0) = 0 unless given: heaviside(x, 1/2) is SymPy's Heaviside(x, 1/2)
    "heaviside": FunctionSpec(
        build=heaviside,
        arity=(1, 2),
        derivative=lambda t: sp.S.Zero,
    ),
    "sign": _one(sp.sign),
}
_ALIASES = {
    "Abs": "abs",
    "Max": "max",
    "Min": "min",
    "Heaviside": "heaviside",
    "sgn": "sign",
    "asin": "arcsin",
    "acos": "arccos",
    "atan": "arctan",
    "atanh": "arctanh",
}
_FUNCTIONS.update({alias: _FUNCTIONS[name] for alias, name in _ALIASES.items()})


_SPECS: dict[int, tuple[Activation, FunctionSpec]] = {}
_T = sp.Dummy("t", real=True)


def _activation_spec(activation: Activation) -> FunctionSpec:
    # an activation's own derivative, with its kink convention (relu'(0) = 0), for primes
    cached = _SPECS.get(id(activation))
    if cached is None or cached[0] is not activation:
        build: Callable[..., sp.Expr] = activation.sympy_form
        if activation.sympy_form(_T) == sp.Max(sp.S.Zero, _T):
            # max(0, ·) as a partial: the grammar then orders constants exactly (relu(σ(9) - 1))
            build = functools.partial(sp.Max, sp.S.Zero)
        spec = FunctionSpec(build=build, derivative=activation.sympy_derivative)
        cached = (activation, spec)
        _SPECS[id(activation)] = cached
    return cached[1]


class _FunctionTable(Mapping[str, FunctionSpec]):
    """The standard functions and the registered activations, read when a parse starts."""

    def _activations(self) -> Mapping[str, Activation]:
        return {
            word: act
            for word, act in parser_activations().items()
            if word not in RESERVED_PARSER_NAMES
        }

    def __getitem__(self, name: str) -> FunctionSpec:
        if name in _FUNCTIONS:
            return _FUNCTIONS[name]
        activation = self._activations().get(name)
        if activation is None:
            raise KeyError(name)
        return _activation_spec(activation)

    def __iter__(self) -> Iterator[str]:
        yield from _FUNCTIONS
        yield from (word for word in self._activations() if word not in _FUNCTIONS)

    def __len__(self) -> int:
        return sum(1 for _ in self)

    def __repr__(self) -> str:
        return f"DEFAULT_FUNCTIONS({', '.join(self)})"


#: The functions an answer may use, by name (LaTeX commands use the same names).  They are the
#: standard functions and the registered activations' parser names (a live view of the registry).
DEFAULT_FUNCTIONS: Mapping[str, FunctionSpec] = _FunctionTable()

_GREEK_TEXT = (
    "alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa lambda mu nu "
    "xi pi varpi rho varrho sigma tau upsilon phi varphi chi psi omega Gamma Delta Theta Lambda "
    "Xi Pi Sigma Phi Psi Omega"
)
#: The names of the Greek letters, as LaTeX commands without the backslash.
GREEK_NAMES = frozenset(_GREEK_TEXT.split())
#: Unicode Greek letters and the names they are read as.
GREEK_UNICODE = dict(
    zip("αβγδεϵζηθϑικλμνξπϖρϱστυφϕχψωΓΔΘΛΞΠΣΦΨΩ", _GREEK_TEXT.split(), strict=True)
)
_UNICODE_OPERATORS = {"−": "-", "–": "-", "·": "*", "⋅": "*", "×": "*", "÷": "/",
                      "²": "^2", "³": "^3", "′": "'", "″": "''", "⊤": "T"}  # fmt: skip
_SPACING_TEXT = ", ; : ! quad qquad left right big Big bigg Bigg bigl bigr Bigl Bigr biggl biggr"
#: LaTeX commands that only change spacing or delimiter size, skipped like whitespace.
SPACING = frozenset([*_SPACING_TEXT.split(), " ", "displaystyle", "textstyle"])
_OPERATOR_COMMANDS = {
    "cdot": "*",
    "times": "*",
    "div": "/",
    "ast": "*",
    "top": "T",
    "intercal": "T",
    "prime": "'",
    "lvert": "|",
    "rvert": "|",
    "vert": "|",
    "{": "{",
    "}": "}",
    "lbrace": "{",
    "rbrace": "}",
}
NAME_COMMANDS = frozenset(("mathrm", "operatorname", "text", "mathit", "textrm", "mathbf"))
ACCEPTED = (
    "numbers, the problem's symbols, the functions {functions}, the constants e and pi, "
    "+ - * / ^ **, parentheses, |x|, [vectors], and LaTeX \\frac, \\sqrt, \\cdot, \\left( \\right)"
)


@dataclass(frozen=True)
class Token:
    kind: str  # "num", "name", "cmd" (a LaTeX command), "op", "end"
    text: str
    pos: int
    spaced: bool = False  # whitespace came right before this token


_TOKEN = re.compile(
    r"(?P<space>\s+|~)|(?P<num>[0-9]+\.?[0-9]*|\.[0-9]+)|(?P<name>[A-Za-z][A-Za-z0-9]*)"
    r"|(?P<cmd>\\(?:[A-Za-z]+|.))|(?P<op>\*\*|[-+*/^()\[\]{},;|'_&=])",
    re.DOTALL,
)


def reject(message: str, text: str, pos: int | None) -> AnswerSyntaxError:
    return AnswerSyntaxError(message, text=text, position=pos)


def check_text(text: object, limits: ParseLimits) -> str:
    if not isinstance(text, str):
        raise TypeError(f"answer text must be a str, got {type(text).__name__}: {text!r:.80}")
    if len(text) > limits.max_length:
        raise AnswerSyntaxError(
            f"the answer is {len(text)} characters long; at most {limits.max_length} are "
            "accepted (ParseLimits.max_length): shorten it"
        )
    for pos, char in enumerate(text):
        if (ord(char) < 32 and char not in "\t\n\r") or ord(char) == 127:
            raise reject(
                f"control character {char!r} at column {pos + 1} is not accepted: remove it",
                text.replace("\0", "?"),
                pos,
            )
    if not text.strip():
        raise AnswerSyntaxError("the answer is empty: write an expression, e.g. 2*x")
    return text


def non_ascii_digit(char: str, pos: int) -> str:
    """The message for a digit that is not one of the ASCII digits 0-9 (``３``, ``٣``, ``𝟑``)."""
    name = unicodedata.name(char, "a non-ASCII digit")
    if "SUPERSCRIPT" in name or "SUBSCRIPT" in name:
        return (
            f"the character {char!r} ({name}) at column {pos + 1} is not accepted: write a "
            "power as x^4 and a subscript as x_4, with the ASCII digits 0-9"
        )
    return (
        f"the digit {char!r} ({name}) at column {pos + 1} is not accepted: type the ASCII "
        "digits 0-9"
    )


def tokenize(text: str, limits: ParseLimits) -> list[Token]:
    tokens: list[Token] = []
    pos, spaced = 0, False
    while pos < len(text):
        char = text[pos]
        if char in GREEK_UNICODE:
            tokens.append(Token("name", GREEK_UNICODE[char], pos, spaced))
            pos, spaced = pos + 1, False
            continue
        if char in _UNICODE_OPERATORS:
            for piece in tokenize(_UNICODE_OPERATORS[char], limits)[:-1]:
                tokens.append(Token(piece.kind, piece.text, pos, spaced))
            pos, spaced = pos + 1, False
            continue
        if not char.isascii() and (char.isdigit() or unicodedata.category(char) == "Nd"):
            raise reject(non_ascii_digit(char, pos), text, pos)
        match = _TOKEN.match(text, pos)
        if match is None:
            raise reject(
                f"character {char!r} at column {pos + 1} is not accepted; accepted: "
                + ACCEPTED.format(functions="exp, log, tanh, sigma, max, …"),
                text,
                pos,
            )
        kind = match.lastgroup
        word = match.group()
        assert kind is not None
        if kind == "num" and re.match(r"[eE][-+]?[0-9]", text[match.end() : match.end() + 3]):
            raise reject(
                f"scientific notation at column {pos + 1} is not accepted: for a power of ten "
                "write 2*10^(-3); for Euler's number, 2e - 3 with spaces",
                text,
                pos,
            )
        if kind == "num" and len(word.replace(".", "")) > limits.max_digits:
            raise reject(
                f"the number at column {pos + 1} has more than {limits.max_digits} "
                "digits (ParseLimits.max_digits)",
                text,
                pos,
            )
        if kind == "space" or (kind == "cmd" and word[1:] in SPACING):
            spaced = True
        elif kind == "cmd" and word[1:] in _OPERATOR_COMMANDS:
            tokens.append(Token("op", _OPERATOR_COMMANDS[word[1:]], pos, spaced))
            spaced = False
        else:
            tokens.append(Token(kind, word, pos, spaced))
            spaced = False
        if len(tokens) > limits.max_tokens:
            raise reject(
                f"the answer has more than {limits.max_tokens} tokens "
                "(ParseLimits.max_tokens): shorten it",
                text,
                None,
            )
        pos = match.end()
    tokens.append(Token("end", "", len(text), spaced))
    return tokens


# --- the problem's symbols, keyed by how they are written ------------------------------------

#: How a symbol is written, as (base name, layer superscript, subscript).
SymbolKey = tuple[str, str, str]
_DECORATION = re.compile(
    r"_\{(?P<sub>[^{}]*)\}|_(?P<sub1>[A-Za-z0-9]+)"
    r"|\^\{?[(\[](?P<layer>[^)\]]*)[)\]]\}?"
)


def normal_part(part: str) -> str:
    return re.sub(r"[\s,{}]", "", part)


def base_name(name: str) -> str:
    name = name.lstrip("\\")
    return GREEK_UNICODE.get(name, name)


def symbol_key(name: str) -> SymbolKey:
    """The key a symbol's name is looked up by: base, layer superscript, subscript.

    >>> symbol_key("w^{(1)}_{1,2}")
    ('w', '1', '12')
    >>> symbol_key("x_1")
    ('x', '', '1')
    """
    match = re.match(r"\\?[A-Za-z][A-Za-z0-9]*|.", name)
    if match is None:
        return (name, "", "")
    base, rest = base_name(match.group()), name[match.end() :]
    layer, sub = "", ""
    while rest:
        deco = _DECORATION.match(rest)
        if deco is None:
            return (name, "", "")
        if deco.group("layer") is not None:
            layer = normal_part(deco.group("layer"))
        else:
            sub = normal_part(deco.group("sub") or deco.group("sub1"))
        rest = rest[deco.end() :]
    return (base, layer, sub)


def symbol_table(
    symbols: Mapping[str, sp.Symbol] | Iterable[sp.Symbol],
) -> dict[SymbolKey, list[sp.Symbol]]:
    """The problem's symbols by :func:`symbol_key`: a mapping's names and each symbol's own."""
    if isinstance(symbols, str):
        raise TypeError(f"symbols must be SymPy Symbols or a mapping, not the str {symbols!r}")
    pairs = list(symbols.items()) if isinstance(symbols, Mapping) else []
    found = list(symbols.values()) if isinstance(symbols, Mapping) else list(symbols)
    for sym in found:
        if not isinstance(sym, sp.Symbol):
            raise TypeError(f"symbols must be SymPy Symbols; got {sym!r}: make it sp.Symbol")
    table: dict[SymbolKey, list[sp.Symbol]] = {}
    for name, sym in [*pairs, *((sym.name, sym) for sym in found)]:
        entries = table.setdefault(symbol_key(name), [])
        if sym not in entries:
            entries.append(sym)
    return table
