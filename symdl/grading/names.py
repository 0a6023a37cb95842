r"""The names half of the answer parser: symbols, functions, primes and LaTeX commands.

:mod:`symdl.grading.parsing` holds the expression grammar (sums, products, powers, groups,
matrices);
this module holds the cursor over the tokens that both halves share, and the rules for what a
*name* is in an answer:

- a symbol of the problem, matched by its written form (:func:`symdl.grading.lexing.symbol_key`:
  ``w_{11}^{(1)}`` and ``w^(1)_11`` are ``w^{(1)}_{11}``; ``a^{(2)}`` is a layer superscript
  only when the problem has such a symbol, and ambiguous when it also has ``a``);
- an unknown word read as a product of known names when that reading is unique (``xy``);
- a constant (``e``, ``pi``), unless the problem declares a symbol of that name;
- a whitelisted function, with parentheses or, LaTeX-style, without (``\tanh x``), with a
  power (``\tanh^2 x``) and primes for derivatives (``\sigma'(z)``);
- the LaTeX commands ``\frac``, ``\sqrt``, ``\begin{pmatrix}``, ``\operatorname{…}``.

It also holds what keeps building an answer safe and bounded: every function value and power is
checked as it is built (an undefined constant such as :math:`\log 0` is refused, a number larger
than :attr:`~symdl.grading.lexing.ParseLimits.max_bits` allows is refused before it grows), and a
comparison of numeric constants that SymPy cannot decide (``max``, ``heaviside``) is decided here
with :class:`~symdl.referee.constants.Numbers`, mpmath at a precision raised until the answer is
certain.
"""

from __future__ import annotations

import abc
import functools
import math
import re
from collections.abc import Callable
from typing import Any, TypeAlias

import sympy as sp

from symdl.core.exceptions import did_you_mean
from symdl.grading.lexing import (
    GREEK_NAMES,
    NAME_COMMANDS,
    AmbiguousAnswerError,
    AnswerSyntaxError,
    FunctionSpec,
    ParseLimits,
    SymbolKey,
    Token,
    UnknownNameError,
    base_name,
    heaviside,
    normal_part,
    reject,
)
from symdl.referee.constants import (
    PRECISIONS,
    Numbers,
    UncertainError,
    UnevaluableError,
    compare_constants,
    maybe_real,
    shown,
)

__all__ = ["Answer", "Cursor", "NameReader", "Numbers", "UncertainError", "UnevaluableError"]

#: What an answer parses to, a scalar expression or a vector or matrix.
Answer: TypeAlias = "sp.Expr | sp.ImmutableMatrix"

FRACTIONS = frozenset(("frac", "dfrac", "tfrac"))
MATRIX_ENVIRONMENTS = frozenset(("pmatrix", "bmatrix", "matrix", "Bmatrix", "smallmatrix"))
CONSTANTS: dict[str, sp.Expr] = {"e": sp.E, "E": sp.E, "pi": sp.pi}


_UNDEFINED = (sp.S.ComplexInfinity, sp.S.NaN, sp.S.Infinity, sp.S.NegativeInfinity)
_STEPS = (heaviside, sp.Heaviside, sp.sign, sp.Abs)


def _bits(number: sp.Rational) -> int:
    return max(abs(int(number.p)).bit_length(), int(number.q).bit_length())


def _settle_sign(number: sp.Rational) -> None:
    """Ask a large rational's sign by comparison, so that SymPy caches it: left unasked, a later
    ``is_negative`` may be decided by a primality test, which takes seconds past 2,000 bits."""
    number.is_positive  # noqa: B018 (the query caches the sign)
    number.is_zero  # noqa: B018


def _ordering(function: Callable[..., Any]) -> tuple[Any, tuple[Any, ...]] | None:
    """``(Max or Min, leading arguments)`` when ``function`` compares (``max``, ``relu``)."""
    if function in (sp.Max, sp.Min):
        return function, ()
    if (
        isinstance(function, functools.partial)
        and function.func in (sp.Max, sp.Min)
        and not function.keywords
    ):
        return function.func, function.args
    return None


def _radicands(value: Answer) -> dict[int, int]:
    """Bits of the integers under roots in the factors of ``value``, by root index."""
    found: dict[int, int] = {}
    entries = list(value) if isinstance(value, sp.MatrixBase) else [value]
    for entry in entries:
        own: dict[int, int] = {}
        for factor in sp.Mul.make_args(entry):
            if (
                factor.is_Pow
                and isinstance(factor.base, sp.Rational)
                and isinstance(factor.exp, sp.Rational)
                and not factor.exp.is_Integer
            ):
                q = int(factor.exp.q)
                own[q] = own.get(q, 0) + _bits(factor.base)
        for q, bits in own.items():
            found[q] = max(found.get(q, 0), bits)
    return found


def _power_bits(base: sp.Expr) -> float:
    """Bits of the numbers that raising ``base`` to the power 1 multiplies out."""
    total = 0.0
    for factor in sp.Mul.make_args(base):
        if isinstance(factor, sp.Rational):
            total += _bits(factor)
        elif (
            factor.is_Pow
            and isinstance(factor.base, sp.Rational)
            and isinstance(factor.exp, sp.Rational)
        ):
            total += _bits(factor.base) * abs(float(factor.exp))
    return total


def exact_root(number: sp.Rational, index: int) -> sp.Rational | None:
    """The ``index``-th root of a positive rational when it is rational, else None."""
    if number <= 0:
        return None
    p, p_exact = sp.integer_nthroot(int(number.p), index)
    q, q_exact = sp.integer_nthroot(int(number.q), index)
    return sp.Rational(p, q) if p_exact and q_exact else None


class Cursor:
    """The position in the token list, and errors that point at a token."""

    def __init__(
        self,
        text: str,
        tokens: list[Token],
        table: dict[SymbolKey, list[sp.Symbol]],
        functions: dict[str, FunctionSpec],
        limits: ParseLimits,
    ) -> None:
        self.text, self.tokens, self.table = text, tokens, table
        self.functions, self.limits = functions, limits
        self.latex = "\\" in text
        self.bases = {key[0] for key in table}
        self.index = self.depth = self.abs_depth = 0
        self.numbers = Numbers(PRECISIONS[0])  # the constants built so far, to 15 digits
        self.shapes: dict[sp.Basic, tuple[bool, int, bool]] = {}

    # -- tokens and errors --
    def peek(self, ahead: int = 0) -> Token:
        return self.tokens[min(self.index + ahead, len(self.tokens) - 1)]

    def take(self) -> Token:
        token = self.peek()
        self.index += 1
        return token

    def is_op(self, *texts: str, ahead: int = 0) -> bool:
        token = self.peek(ahead)
        return token.kind == "op" and token.text in texts

    def error(self, message: str, token: Token) -> AnswerSyntaxError:
        return reject(f"{message} at column {token.pos + 1}", self.text, token.pos)

    def ambiguous(self, what: str, token: Token, *readings: object) -> AmbiguousAnswerError:
        written = [r if isinstance(r, str) else sp.sstr(r).replace("**", "^") for r in readings]
        return AmbiguousAnswerError(
            f"ambiguous at column {token.pos + 1}: {what}",
            readings=written,
            text=self.text,
            position=token.pos,
        )

    def expect(self, text: str, opened: Token) -> None:
        token = self.take()
        if token.kind != "op" or token.text != text:
            found = repr(token.text) if token.kind != "end" else "the end of the answer"
            raise self.error(
                f"expected {text!r} to close the {opened.text!r} opened at column "
                f"{opened.pos + 1}, found {found}",
                token,
            )

    def enter(self, token: Token) -> None:
        self.depth += 1
        if self.depth > self.limits.max_depth:
            raise self.error(
                f"nesting deeper than {self.limits.max_depth} levels (ParseLimits.max_depth)", token
            )

    def span(self, start: Token) -> str:
        """The text from ``start`` to the current token, as the answer wrote it."""
        written = self.text[start.pos : self.peek().pos].strip() or start.text
        return written if len(written) <= 60 else written[:59] + "…"

    # -- numbers: every value is checked as it is built --
    def shape(self, node: sp.Basic) -> tuple[bool, int, bool]:
        """(is numeric, nodes counted with repetition, is undefined), each node visited once."""
        found = self.shapes.get(node)
        if found is None:
            if not node.args:
                numeric = not isinstance(node, sp.Symbol)
                found = (numeric, 1, node in _UNDEFINED)
            else:
                parts = [self.shape(arg) for arg in node.args]
                found = (
                    all(p[0] for p in parts),
                    1 + sum(p[1] for p in parts),
                    any(p[2] for p in parts),
                )
            self.shapes[node] = found
        return found

    def check_value(self, value: sp.Expr, start: Token) -> sp.Expr:
        """``value``, unless it is undefined or holds a number past the limits."""
        numeric, size, undefined = self.shape(value)
        if undefined:
            raise self.error(f"{self.span(start)} is undefined (infinite or not a number)", start)
        if size > self.limits.max_nodes:
            raise self.error(
                f"{self.span(start)} builds an expression of more than {self.limits.max_nodes} "
                "nodes (ParseLimits.max_nodes); primes repeat the argument of a function: "
                "write the derivatives out",
                start,
            )
        self.check_sizes(value, start)
        if numeric and not isinstance(value, sp.Rational):
            self.check_magnitude(value, start)
        return value

    def check_constants(self, args: list[sp.Expr], start: Token) -> None:
        """Refuse a numeric constant too long to give to a function or a power."""
        for arg in args:
            numeric, size, _ = self.shape(arg)
            if numeric and size > self.limits.max_constant_nodes:
                raise self.error(
                    f"{self.span(start)} holds a numeric constant of {size} nodes (at most "
                    f"{self.limits.max_constant_nodes}, ParseLimits.max_constant_nodes): "
                    "simplify it",
                    start,
                )

    def is_constant(self, value: sp.Expr) -> bool:
        """A numeric constant that is not a plain rational (``pi``, ``sqrt(2)``, ``σ(1)``)."""
        return not isinstance(value, sp.Rational) and self.shape(value)[0]

    def check_sizes(self, value: Answer, start: Token, depth: int = 2) -> None:
        """The rationals ``depth`` levels into ``value``, where an operation puts new ones."""
        stack = [(entry, 0) for entry in value] if isinstance(value, sp.MatrixBase) else []
        stack = stack or [(value, 0)]
        while stack:
            node, level = stack.pop()
            if isinstance(node, sp.Rational):
                self.check_rational(node, start)
            elif level < depth:
                stack.extend((arg, level + 1) for arg in node.args)

    def check_all(self, value: Answer, start: Token) -> None:
        """Every rational in ``value`` (a last check of the whole answer)."""
        entries = list(value) if isinstance(value, sp.MatrixBase) else [value]
        for entry in entries:
            for node in sp.preorder_traversal(entry):
                if isinstance(node, sp.Rational):
                    self.check_rational(node, start)

    def check_rational(self, number: sp.Rational, start: Token) -> None:
        bits = _bits(number)
        if bits > self.limits.max_bits:
            raise self.error(
                f"{self.span(start)} builds a number of {bits} bits, about "
                f"{int(bits * math.log10(2))} digits (at most {self.limits.max_bits} bits, "
                "ParseLimits.max_bits)",
                start,
            )
        if bits > self.limits.max_root_bits:
            _settle_sign(number)

    def check_magnitude(self, value: sp.Expr, start: Token) -> None:
        """Refuse a numeric constant that is not real, or larger than 2^max_bits or smaller
        than 2^-max_bits (SymPy's own reasoning about complex constants can take minutes)."""
        try:
            number, error = self.numbers.value(value)
        except UnevaluableError as exc:
            if exc.too_large:
                raise self.error(
                    f"{self.span(start)} is too large to evaluate (a constant is at most "
                    f"2^{self.limits.max_bits} in size, ParseLimits.max_bits)",
                    start,
                ) from None
            return
        except UncertainError:
            return
        if isinstance(number, self.numbers.ctx.mpc) and number.imag:
            if not maybe_real(value, self.numbers):
                raise self.error(
                    f"{self.span(start)} is not a real number; an answer's values are real "
                    "(not a logarithm of a negative number, an arcsin beyond ±1, or a root "
                    "of a negative number, which SymPy takes complex: write -(8^(1/3)))",
                    start,
                )
            return
        if error >= -1 or not number:
            return
        bits = abs(self.numbers.log10(number)) / math.log10(2)
        if bits > self.limits.max_bits:
            power = int(self.numbers.log10(number))
            raise self.error(
                f"{self.span(start)} is about 10^{power}, beyond 2^±{self.limits.max_bits} "
                "(ParseLimits.max_bits)",
                start,
            )

    def check_power(self, base: sp.Expr, exponent: sp.Expr, caret: Token) -> None:
        """Refuse ``base^exponent`` before it is built if its numbers would be too large."""
        limit = self.limits.max_exponent
        for term in sp.Add.make_args(exponent):  # x^(5000 y) is (x^y)^5000 to SymPy's polys
            coefficient = term.as_coeff_Mul()[0]
            if (
                isinstance(coefficient, sp.Rational)
                and max(abs(coefficient.p), coefficient.q) > limit
            ):
                what = "exponent" if term is exponent else "coefficient in the exponent"
                raise self.error(
                    f"the {what} {shown(coefficient)} is too large (at most {limit} in "
                    "absolute value, ParseLimits.max_exponent)",
                    caret,
                )
        if not isinstance(exponent, sp.Rational):
            return
        bits = abs(float(exponent)) * _power_bits(base)
        if bits > self.limits.max_bits:
            raise self.error(
                f"the power {shown(base, 30)}^{shown(exponent)} would have about {bits:.0f} "
                f"bits (at most {self.limits.max_bits}, ParseLimits.max_bits)",
                caret,
            )
        if exponent.is_Integer:
            return
        for factor in sp.Mul.make_args(base):
            number = factor.base if factor.is_Pow else factor
            if not isinstance(number, sp.Rational) or _bits(number) <= self.limits.max_root_bits:
                continue
            if not factor.is_Pow and exact_root(number, int(exponent.q)) is not None:
                continue
            raise self.error(
                f"a root (the power {shown(exponent)}) of a number of {_bits(number)} bits: "
                f"at most {self.limits.max_root_bits} bits are accepted under a root unless "
                "the root is exact (ParseLimits.max_root_bits)",
                caret,
            )

    def check_exponential(self, argument: sp.Expr, token: Token) -> None:
        """SymPy writes ``exp(c log b)`` as ``b^c``: check that power before it is built."""
        for term in sp.Add.make_args(argument):
            factors = sp.Mul.make_args(term)
            logs = [f for f in factors if isinstance(f, sp.log)]
            rest = [f for f in factors if not isinstance(f, sp.log)]
            if len(logs) == 1 and all(isinstance(f, sp.Rational) for f in rest):
                self.check_power(logs[0].args[0], sp.Mul(*rest), token)

    def check_radicals(self, left: Answer, right: Answer, token: Token) -> None:
        """SymPy multiplies roots of the same index (√a √b = √(ab)): bound that product."""
        roots, others = _radicands(left), _radicands(right)
        for index in roots.keys() & others.keys():
            bits = roots[index] + others[index]
            if bits > self.limits.max_root_bits:
                raise self.error(
                    f"this product puts a number of about {bits} bits under a root (at most "
                    f"{self.limits.max_root_bits}, ParseLimits.max_root_bits)",
                    token,
                )

    def compare(self, a: sp.Expr, b: sp.Expr, start: Token) -> int:
        """The sign of ``a - b`` for numeric constants SymPy cannot order; refuses if unknown."""
        try:
            sign = compare_constants(a, b, self.numbers)
        except UnevaluableError as exc:
            raise self.error(f"{self.span(start)} cannot be evaluated: {exc}", start) from None
        if sign is None:
            raise self.error(
                f"{self.span(start)}: symdl cannot tell which of {shown(a)} and {shown(b)} is "
                f"larger (they agree to {PRECISIONS[-1]} digits or are too long to evaluate "
                "precisely); write the answer in a simpler form",
                start,
            )
        return sign


@functools.lru_cache(maxsize=64)
def _derivative(spec: FunctionSpec, primes: int) -> tuple[sp.Dummy, sp.Expr]:
    """The ``primes``-th derivative of a one-argument function, in a dummy variable."""
    t = sp.Dummy("t", real=True)
    first = spec.derivative(t) if spec.derivative else sp.diff(spec.build(t), t)
    return t, first if primes == 1 else sp.diff(first, t)


class NameReader(Cursor, abc.ABC):
    """Reads names, function calls and LaTeX commands; the grammar supplies the rest.

    A name or a command contains whole expressions (``\\frac{a}{b}``, ``f(x + 1)``, ``x^{2}``),
    so reading it calls back into the expression grammar: the abstract methods below are
    that grammar's productions, implemented by the parser of :mod:`symdl.grading.parsing`.
    """

    # -- the grammar's productions (symdl.grading.parsing implements them) --
    @abc.abstractmethod
    def sum(self) -> Answer:
        """A sum of terms: the whole expression grammar."""

    @abc.abstractmethod
    def power(self) -> Answer:
        """A primary with its exponents."""

    @abc.abstractmethod
    def primary(self) -> Answer:
        """A number, a name, a call, a group or a matrix."""

    @abc.abstractmethod
    def implicit_product(self) -> Answer:
        """Factors written side by side (``2 x y``)."""

    @abc.abstractmethod
    def starts_factor(self) -> bool:
        """Whether the next token can start a factor of an implicit product."""

    @abc.abstractmethod
    def group(self, opened: Token, closer: str) -> Answer:
        """The expression between ``opened`` and ``closer``."""

    @abc.abstractmethod
    def matrix(self, opened: Token, column: str, row: str, closer: str) -> sp.ImmutableMatrix:
        """The entries between ``opened`` and ``closer``, split at ``column`` and ``row``."""

    @abc.abstractmethod
    def divide(self, left: Answer, right: Answer, token: Token) -> Answer:
        """``left / right``, refusing a division by zero or by a matrix."""

    @abc.abstractmethod
    def combine(self, left: Answer, right: Answer, op: type, token: Token) -> Answer:
        """``op(left, right)`` for ``op`` = Add or Mul, checked for shapes and sizes."""

    @abc.abstractmethod
    def pow(
        self, base: sp.Expr, exponent: sp.Expr, caret: Token, start: Token | None = None
    ) -> sp.Expr:
        """``base`` to the power ``exponent``, refusing numbers too large to build."""

    @abc.abstractmethod
    def exponent(self, caret: Token) -> tuple[sp.Expr, bool]:
        """The exponent after ``caret``, and whether it was braced."""

    # -- LaTeX commands --
    def command(self) -> Answer:
        token = self.take()
        name = token.text[1:]
        if name in FRACTIONS:
            numerator = self.argument(token)
            return self.divide(numerator, self.argument(token), token)
        if name == "sqrt":
            index: Answer = sp.Integer(2)
            if self.is_op("["):
                index = self.group(self.take(), "]")
            radicand = self.argument(token)
            if isinstance(radicand, sp.MatrixBase) or isinstance(index, sp.MatrixBase):
                raise self.error("\\sqrt of a matrix is not accepted", token)
            return self.pow(radicand, 1 / index, token, token)
        if name == "begin":
            environment = self.braced_word(token)
            if environment not in MATRIX_ENVIRONMENTS:
                raise self.error(
                    f"\\begin{{{environment}}} is not accepted; accepted: "
                    + ", ".join(sorted(MATRIX_ENVIRONMENTS)),
                    token,
                )
            value = self.matrix(token, "&", "\\\\", "\\end")
            if self.braced_word(token) != environment:
                raise self.error(f"\\begin{{{environment}}} is closed by a different \\end", token)
            return value
        if name in NAME_COMMANDS:
            word = self.braced_word(token)
            return self.resolve(Token("name", word, token.pos, token.spaced), base_name(word))
        if name in GREEK_NAMES or name in self.functions:
            return self.resolve(token, name)
        raise self.error(
            f"the LaTeX command {token.text} is not accepted; accepted: \\frac, "
            "\\sqrt, \\cdot, \\left( \\right), \\operatorname{…}, Greek letters "
            "and the functions \\exp, \\log, \\tanh, \\sigma, \\max, …",
            token,
        )

    def braced_word(self, opened: Token) -> str:
        self.expect("{", opened)
        words: list[str] = []
        while self.peek().kind in ("name", "num") or self.is_op(",", "*"):
            words.append(self.take().text)
        self.expect("}", opened)
        return "".join(words)

    def argument(self, command: Token) -> Answer:
        """A LaTeX argument: ``{…}`` or one character (``\\frac12``)."""
        token = self.peek()
        if self.is_op("{"):
            return self.group(self.take(), "}")
        if token.kind in ("num", "name") and len(token.text) > 1:
            head, rest = token.text[0], token.text[1:]
            kind = "num" if rest[0].isdigit() else "name"
            self.tokens[self.index] = Token(kind, rest, token.pos + 1, False)
            self.tokens.insert(self.index, Token(token.kind, head, token.pos, token.spaced))
        if token.kind == "end":
            raise self.error(
                f"{command.text} needs its arguments in braces, e.g. \\frac{{a}}{{b}}", token
            )
        self.enter(token)  # \sqrt\sqrt\sqrt x nests without braces
        value = self.primary()
        self.depth -= 1
        return value

    # -- names: symbols, constants, functions --
    def named(self) -> Answer:
        token = self.peek()
        base = base_name(token.text)
        known = base in self.bases or base in self.functions or base in CONSTANTS
        if not known and not (base == "Matrix" and self.is_op("(", ahead=1)):
            self.split(token)
            token = self.peek()
        self.take()
        return self.resolve(token, base_name(token.text))

    def split(self, token: Token) -> None:
        """Read an unknown word as a product of known names (``xy`` is ``x*y``), if unique."""
        known = self.bases | set(CONSTANTS)
        word = token.text
        readings: list[list[str]] = []

        def extend(start: int, pieces: list[str]) -> None:
            if len(readings) > 1:
                return
            if start == len(word):
                readings.append(pieces)
            for end in range(start + 1, len(word) + 1):
                if word[start:end] in known:
                    extend(end, [*pieces, word[start:end]])

        if len(word) <= 40:
            extend(0, [])
        if not readings:
            hint = self.suggestion(word)
            raise self.unknown(word, hint, token)
        if len(readings) > 1:
            raise self.ambiguous(
                f"the word {word!r}", token, *("·".join(pieces) for pieces in readings)
            )
        pieces, offset = readings[0], token.pos
        replacement = []
        for piece in pieces:
            replacement.append(Token("name", piece, offset, token.spaced and offset == token.pos))
            offset += len(piece)
        self.tokens[self.index : self.index + 1] = replacement

    def suggestion(self, word: str) -> str:
        """A hint for a word such as ``a2``: the symbols it may mean (``a^{(2)}_{1}``)."""
        digits = re.fullmatch(r"([A-Za-z]+)([0-9]+)", word)
        if digits is None:  # a misspelt function or symbol: sigmod, tahn
            symbols = {sym.name for entries in self.table.values() for sym in entries}
            functions = [name for name in self.functions if name.islower()]
            return did_you_mean(word, [*functions, *symbols])
        letters, number = digits.groups()
        close = sorted(
            {
                sym.name
                for (base, layer, sub), entries in self.table.items()
                for sym in entries
                if base == letters and number in (layer, sub, layer + sub)
            }
        )
        if close:
            return f" (did you mean {' or '.join(close[:3])}?)"
        return f" (a subscript is {letters}_{number}, a product {letters}*{number})"

    def accepted_names(self) -> str:
        symbols = sorted({sym.name for entries in self.table.values() for sym in entries})
        shown = ", ".join(symbols[:12]) + (", …" if len(symbols) > 12 else "")
        functions = ", ".join(sorted(name for name in self.functions if name.islower()))
        return (
            f"the problem's symbols ({shown or 'none'}), the functions ({functions}) and "
            "the constants e, pi"
        )

    def resolve(self, token: Token, base: str) -> Answer:
        if base == "Matrix" and self.is_op("(") and base not in self.bases:
            value = self.group(self.take(), ")")  # SymPy's Matrix([[a, b], [c, d]])
            if not isinstance(value, sp.MatrixBase):
                raise self.error("Matrix(…) takes a list of rows, e.g. Matrix([[a, b]])", token)
            return value
        if base == "log" and "log" in self.functions and self.is_op("_"):
            underscore = self.take()  # \log_2 x
            logarithm_base = self.argument(underscore)
            value = self.call(token, base, self.functions[base])
            if isinstance(value, sp.MatrixBase) or isinstance(logarithm_base, sp.MatrixBase):
                raise self.error("log of a matrix is not accepted", token)
            return self.divide(value, self.build(sp.log, [logarithm_base], token), underscore)
        if base in self.functions and not self.is_op("_"):
            if base not in self.bases:
                return self.call(token, base, self.functions[base])
            if self.is_op("("):
                raise self.ambiguous(
                    f"{base!r} is both a symbol and a function",
                    token,
                    f"the function {base} applied to (…)",
                    f"the symbol {base} times (…)",
                )
        layer, sub, decorated = self.decorations(base)
        entries = self.table.get((base, layer, sub), [])
        if len(entries) == 1:
            return entries[0]
        if len(entries) > 1:
            raise self.ambiguous(f"the name {token.text!r}", token, *(s.name for s in entries))
        if not decorated and base in CONSTANTS:
            return CONSTANTS[base]
        written = base + (f"^{{({layer})}}" if layer else "") + (f"_{{{sub}}}" if sub else "")
        raise self.unknown(written, "", token)

    def unknown(self, name: str, hint: str, token: Token) -> UnknownNameError:
        return UnknownNameError(
            f"unknown name {name!r}{hint}; accepted: {self.accepted_names()} "
            f"at column {token.pos + 1}",
            name=name,
            text=self.text,
            position=token.pos,
        )

    def decorations(self, base: str) -> tuple[str, str, bool]:
        """Subscripts (``_{jk}``, ``_1``) and layer superscripts (``^{(l)}``, ``^{[l]}``)."""
        layer, sub, decorated = "", "", False
        while True:
            if self.is_op("_"):
                underscore = self.take()
                sub, decorated = self.subscript(base, underscore), True
            elif self.is_op("^", "**") and (found := self.layer_ahead(base)) is not None:
                layer, skip = found
                self.index += skip
                decorated = True
            else:
                return layer, sub, decorated

    def subscript(self, base: str, underscore: Token) -> str:
        if self.is_op("{"):
            return normal_part(self.braced_word(underscore))
        token = self.take()
        if token.kind not in ("num", "name"):
            raise self.error("expected a subscript after '_' (x_1, w_{jk})", token)
        subs = {key[2] for key in self.table if key[0] == base}
        if self.latex and len(token.text) > 1 and token.text[0] in subs:
            if token.text in subs:  # LaTeX reads w_11 as w_1 times 1
                raise self.ambiguous(
                    f"'_{token.text}' in LaTeX",
                    token,
                    f"{base}_{{{token.text}}}",
                    f"{base}_{{{token.text[0]}}}·{token.text[1:]}",
                )
            rest = token.text[1:]
            self.index -= 1
            self.tokens[self.index] = Token(token.kind, token.text[0], token.pos)
            self.tokens.insert(
                self.index + 1, Token("num" if rest[0].isdigit() else "name", rest, token.pos + 1)
            )
            self.take()
            return token.text[0]
        return normal_part(token.text)

    def layer_ahead(self, base: str) -> tuple[str, int] | None:
        """A layer superscript ``^{(l)}`` or ``^(l)`` ahead: (l, tokens to skip) or None."""
        braced = self.is_op("{", ahead=1)
        start = 2 if braced else 1
        if not self.is_op("(", "[", ahead=start):
            return None
        words: list[str] = []
        ahead = start + 1
        while self.peek(ahead).kind in ("num", "name") and len(words) < 4:
            words.append(self.peek(ahead).text)
            ahead += 1
        if not words or not self.is_op(")", "]", ahead=ahead):
            return None
        if braced and not self.is_op("}", ahead=ahead + 1):
            return None
        layer = normal_part("".join(words))
        if not any(key[0] == base and key[1] == layer for key in self.table):
            return None
        if not braced and (base in CONSTANTS or (base, "", "") in self.table):
            raise self.ambiguous(
                f"'{base}^({layer})'",
                self.peek(),
                f"{base}^{{({layer})}}",
                f"{base} to the power {layer}",
            )
        return layer, ahead + (2 if braced else 1)

    # -- function calls --
    def call(self, token: Token, name: str, spec: FunctionSpec) -> Answer:
        primes, power = self.primes(), None
        if self.is_op("^", "**"):
            caret = self.take()
            power, _ = self.exponent(caret)
            if power == -1:
                raise self.ambiguous(
                    f"'{name}^{{-1}}'", caret, f"the inverse function of {name}", f"1/{name}(…)"
                )
            if not (power.is_Integer and power > 0):
                raise self.error(
                    f"a power written on a function name must be a positive "
                    f"integer, as in \\{name}^2(x); got {power}",
                    caret,
                )
        primes += self.primes()
        if self.is_op("("):
            opened = self.take()
            self.enter(opened)
            args = [self.sum()]
            while self.is_op(","):
                self.take()
                args.append(self.sum())
            self.expect(")", opened)
            self.depth -= 1
        elif 1 in spec.arity and self.is_op("{"):  # \log{\left(x\right)}^2: (log x)^2
            args = [self.group(self.take(), "}")]
        elif 1 in spec.arity and self.peek().kind != "end":
            self.enter(token)  # \tanh\tanh\tanh x nests without parentheses
            args = [self.power()]  # \sin x^2 is sin(x^2)
            self.depth -= 1
            if self.starts_factor() and not self.starts_call():
                rest = self.implicit_product()
                raise self.ambiguous(
                    f"{name} without parentheses, followed by a factor",
                    token,
                    self.combine(self.apply(spec, args, primes, token), rest, sp.Mul, token),
                    self.apply(spec, [self.combine(args[0], rest, sp.Mul, token)], primes, token),
                )
        else:
            raise self.error(f"{name} needs its arguments in parentheses, e.g. {name}(0, x)", token)
        value = self.apply(spec, args, primes, token)
        if power is None or isinstance(value, sp.MatrixBase):
            return value
        return self.pow(value, power, token, token)

    def primes(self) -> int:
        """Primes after a function name: ``'``, ``^\\prime``, ``^{\\prime\\prime}``, ``^{''}``."""
        count = 0
        while True:
            if self.is_op("'"):
                self.take()
                count += 1
            elif self.is_op("^") and self.is_op("'", ahead=1):  # f^\prime
                self.index += 2
                count += 1
            elif self.is_op("^") and self.is_op("{", ahead=1) and self.is_op("'", ahead=2):
                ahead = 2
                while self.is_op("'", ahead=ahead):
                    ahead += 1
                if not self.is_op("}", ahead=ahead):
                    return count  # f^{'2}: the exponent reader reports it
                self.index += ahead + 1
                count += ahead - 2
            else:
                return count

    def starts_call(self) -> bool:
        token = self.peek()
        name = base_name(token.text)
        return (token.kind == "cmd" and name in self.functions | dict.fromkeys(FRACTIONS)) or (
            token.kind == "name" and name in self.functions and name not in self.bases
        )

    def apply(self, spec: FunctionSpec, args: list[Answer], primes: int, token: Token) -> Answer:
        name = token.text.lstrip("\\")
        if len(args) not in spec.arity:
            raise self.error(
                f"{name} takes {' or '.join(map(str, spec.arity))} argument(s), got {len(args)}",
                token,
            )
        scalars = [arg for arg in args if not isinstance(arg, sp.MatrixBase)]
        if len(scalars) != len(args):
            raise self.error(f"{name} of a matrix is not accepted: apply it entry by entry", token)
        if primes == 0:
            return self.build(spec.build, scalars, token)
        if len(args) != 1 or primes > 2:
            raise self.error(
                f"a prime is accepted on a one-argument function, at most twice; "
                f"got {name} with {primes} prime(s)",
                token,
            )
        written, inner = name + "'" * primes, name + "'" * (primes - 1)
        try:
            t, derivative = _derivative(spec, primes)
        except (ValueError, TypeError, ArithmeticError, NotImplementedError) as exc:
            raise self.error(f"symdl cannot differentiate {name}: {exc}", token) from None
        if derivative.has(sp.DiracDelta):
            raise self.error(
                f"{written} is not a function: {inner} jumps where its argument is 0, so its "
                "derivative is a Dirac delta there; away from that point it is 0, so write 0",
                token,
            )
        if derivative.has(sp.Derivative, sp.Subs):
            raise self.error(f"symdl cannot take {written}: write the derivative out", token)
        return self.check_value(self.substitute(derivative, t, scalars[0], token), token)

    def substitute(self, expr: sp.Expr, t: sp.Dummy, arg: sp.Expr, token: Token) -> sp.Expr:
        """``expr`` with ``arg`` for ``t``, rebuilt with the checks of the parser's own steps."""
        if expr == t:
            return arg
        if not expr.has(t):
            return expr
        args = [self.substitute(a, t, arg, token) for a in expr.args]
        if expr.is_Add or expr.is_Mul:
            op = sp.Add if expr.is_Add else sp.Mul
            value: Answer = args[0]
            for other in args[1:]:
                value = self.combine(value, other, op, token)
            return value
        if expr.is_Pow:
            return self.pow(args[0], args[1], token, token)
        if isinstance(expr, sp.Function):
            return self.build(expr.func, args, token)
        return expr.func(*args)

    def build(self, function: Callable[..., Any], args: list[sp.Expr], start: Token) -> sp.Expr:
        """``function(*args)``, checked: defined, of bounded size, comparisons decided."""
        self.check_constants(args, start)
        ordering = _ordering(function)
        if ordering is not None:
            kind, leading = ordering
            return self.check_value(self.order(kind, [*leading, *args], start), start)
        if function is sp.sqrt and len(args) == 1:
            return self.pow(args[0], sp.S.Half, start, start)
        if function in _STEPS and args and self.is_constant(args[0]):
            return self.check_value(self.step(function, args, start), start)
        if function is sp.exp and len(args) == 1:
            self.check_power(sp.E, args[0], start)
            self.check_exponential(args[0], start)
        try:
            value = function(*args)
        except (ValueError, TypeError, ArithmeticError) as exc:
            raise self.error(
                f"{self.span(start)} cannot be evaluated ({shown(exc, 80)})", start
            ) from None
        return self.check_value(value, start)

    def order(self, kind: type, args: list[sp.Expr], start: Token) -> sp.Expr:
        """``Max`` or ``Min`` of ``args``, numeric constants ordered here (not by SymPy)."""
        name = "max" if kind is sp.Max else "min"
        numbers = [a for a in args if self.shape(a)[0]]  # real: built through check_value
        others = [a for a in args if not self.shape(a)[0]]
        if len(numbers) > 1 and any(self.is_constant(a) for a in numbers):
            best = numbers[0]
            for arg in numbers[1:]:
                sign = self.compare(arg, best, start)
                if (sign > 0 and kind is sp.Max) or (sign < 0 and kind is sp.Min):
                    best = arg
            numbers = [best]
            if not others:
                return best
        try:
            return kind(*numbers, *others)
        except ValueError:
            raise self.error(
                f"{self.span(start)}: {name} compares real values, and SymPy cannot compare "
                "these (a constant it cannot evaluate, or a value that is not real): write "
                "them in another form",
                start,
            ) from None

    def step(self, function: Callable[..., Any], args: list[sp.Expr], start: Token) -> sp.Expr:
        """``heaviside``, ``sign`` or ``abs`` of a real numeric constant, its sign decided here."""
        sign = self.compare(args[0], sp.S.Zero, start)
        if function is sp.Abs:
            return args[0] if sign >= 0 else -args[0]
        if function is sp.sign:
            return sp.Integer(sign)
        if sign == 0:  # H(0): the value given, else the convention of the function called
            return args[1] if len(args) > 1 else sp.S(0 if function is heaviside else 1) / 2
        return sp.S.One if sign > 0 else sp.S.Zero
