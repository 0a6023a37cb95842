r"""The names half of the answer parser: symbols, functions, primes and LaTeX commands.

:mod:`symdl.parsing` holds the expression grammar (sums, products, powers, groups, matrices);
this module holds the cursor over the tokens that both halves share, and the rules for what a
*name* is in an answer:

- a symbol of the problem, matched by its written form (:func:`symdl.lexing.symbol_key`:
  ``w_{11}^{(1)}`` and ``w^(1)_11`` are ``w^{(1)}_{11}``; ``a^{(2)}`` is a layer superscript
  only when the problem has such a symbol, and ambiguous when it also has ``a``);
- an unknown word read as a product of known names when that reading is unique (``xy``);
- a constant (``e``, ``pi``), unless the problem declares a symbol of that name;
- a whitelisted function, with parentheses or, LaTeX-style, without (``\tanh x``), with a
  power (``\tanh^2 x``) and primes for derivatives (``\sigma'(z)``);
- the LaTeX commands ``\frac``, ``\sqrt``, ``\begin{pmatrix}``, ``\operatorname{…}``.
"""

from __future__ import annotations

import functools
import re
from typing import TypeAlias

import sympy as sp

from symdl.lexing import (
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
    normal_part,
    reject,
)

__all__ = ["Answer", "Cursor", "NameReader"]

#: What an answer parses to: a scalar expression, or a vector or matrix.
Answer: TypeAlias = "sp.Expr | sp.ImmutableMatrix"

FRACTIONS = frozenset(("frac", "dfrac", "tfrac"))
MATRIX_ENVIRONMENTS = frozenset(("pmatrix", "bmatrix", "matrix", "Bmatrix", "smallmatrix"))
CONSTANTS: dict[str, sp.Expr] = {"e": sp.E, "E": sp.E, "pi": sp.pi}


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
        shown = [r if isinstance(r, str) else sp.sstr(r) for r in readings]
        return AmbiguousAnswerError(
            f"ambiguous at column {token.pos + 1}: {what}",
            readings=shown,
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


@functools.lru_cache(maxsize=64)
def _derivative(spec: FunctionSpec, primes: int) -> tuple[sp.Dummy, sp.Expr]:
    """The ``primes``-th derivative of a one-argument function, in a dummy variable."""
    t = sp.Dummy("t", real=True)
    first = spec.derivative(t) if spec.derivative else sp.diff(spec.build(t), t)
    return t, first if primes == 1 else sp.diff(first, t)


class NameReader(Cursor):
    """Reads names, function calls and LaTeX commands; the grammar supplies the rest."""

    # -- provided by the grammar (symdl.parsing) --
    def sum(self) -> Answer:
        raise NotImplementedError

    def power(self) -> Answer:
        raise NotImplementedError

    def primary(self) -> Answer:
        raise NotImplementedError

    def implicit_product(self) -> Answer:
        raise NotImplementedError

    def starts_factor(self) -> bool:
        raise NotImplementedError

    def group(self, opened: Token, closer: str) -> Answer:
        raise NotImplementedError

    def matrix(self, opened: Token, column: str, row: str, closer: str) -> sp.ImmutableMatrix:
        raise NotImplementedError

    def divide(self, left: Answer, right: Answer, token: Token) -> Answer:
        raise NotImplementedError

    def pow(self, base: sp.Expr, exponent: sp.Expr, caret: Token) -> sp.Expr:
        raise NotImplementedError

    def exponent(self, caret: Token) -> tuple[sp.Expr, bool]:
        raise NotImplementedError

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
            return self.pow(radicand, 1 / index, token)
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
        if digits is None:
            return ""
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
            return value / sp.log(logarithm_base)
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
                    self.apply(spec, args, primes, token) * rest,
                    self.apply(spec, [args[0] * rest], primes, token),
                )
        else:
            raise self.error(f"{name} needs its arguments in parentheses, e.g. {name}(0, x)", token)
        value = self.apply(spec, args, primes, token)
        return value if power is None else self.pow(value, power, token)

    def primes(self) -> int:
        count = 0
        while self.is_op("'"):
            self.take()
            count += 1
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
        if any(isinstance(arg, sp.MatrixBase) for arg in args):
            raise self.error(f"{name} of a matrix is not accepted: apply it entry by entry", token)
        if primes == 0:
            return spec.build(*args)
        if len(args) != 1 or primes > 2:
            raise self.error(
                f"a prime is accepted on a one-argument function, at most twice; "
                f"got {name} with {primes} prime(s)",
                token,
            )
        t, derivative = _derivative(spec, primes)
        return derivative.xreplace({t: args[0]})
