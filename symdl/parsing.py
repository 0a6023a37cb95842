r"""A safe parser for untrusted answer text: Python-like and LaTeX forms of an expression.

A student's answer is text, and untrusted: it is never given to ``eval``, ``exec``,
``sympify`` or ``parse_expr``.  :func:`parse_expression` reads it with its own tokenizer and a
recursive-descent parser that builds SymPy objects directly, admitting only

- numbers (integers and exact decimals: ``0.25`` is :math:`1/4`),
- the problem's own symbols, written as people write them (``w_{jk}``, ``w^{(1)}_{11}``,
  ``w_11^(1)``, ``a^{[2]}``, ``\alpha``, ``σ``),
- the constants ``e`` and ``pi`` (unless the problem declares symbols of that name),
- a whitelist of functions (:data:`DEFAULT_FUNCTIONS`; ``σ``, ``\sigma`` and ``sigmoid`` are
  :class:`symdl.activations.Sigmoid`), with primes for derivatives (``\sigma'(z)``),
- the operators ``+ - * / ^ **``, implicit multiplication (``2x``, ``2(a-y)``), ``|x|``,
  LaTeX's ``\frac``, ``\sqrt``, ``\cdot``, ``\left( \right)``, spacing commands, and
  vectors and matrices (``[a, b]``, ``[[a, b], [c, d]]``, ``\begin{pmatrix} … \end{pmatrix}``,
  ``^T``).

Anything else is rejected with an :class:`AnswerSyntaxError` that says what is wrong, where,
and what is accepted.  Size is bounded (:class:`ParseLimits`): the length of the text, the
number of tokens, the nesting depth, the digits of a number, the size of a numeric exponent
and the bits of a number a power would produce (``9**9**9**9`` is refused before it is
computed).  A text that can be read in two ways (``1/2x``, ``x^23`` in LaTeX, ``\tanh^{-1}``)
raises :class:`AmbiguousAnswerError` listing the readings: the parser never guesses.

Examples
--------
>>> import sympy as sp
>>> x, y = sp.symbols("x y", real=True)
>>> parse_expression("2x^2 + 3(x - y)", symbols=[x, y])
2*x**2 + 3*x - 3*y
>>> z = sp.Symbol("z", real=True)
>>> parse_expression(r"\sigma(z)\,(1-\sigma(z))", symbols=[z])
(1 - Sigmoid(z))*Sigmoid(z)
>>> parse_expression("1/2x", symbols=[x])
Traceback (most recent call last):
...
symdl.lexing.AmbiguousAnswerError: ambiguous at column 2: ...
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from typing import TypeAlias

import sympy as sp

from symdl.lexing import (
    DEFAULT_FUNCTIONS,
    GREEK_NAMES,
    NAME_COMMANDS,
    AmbiguousAnswerError,
    AnswerSyntaxError,
    FunctionSpec,
    ParseLimits,
    SymbolKey,
    Token,
    base_name,
    check_text,
    normal_part,
    reject,
    symbol_table,
    tokenize,
)

__all__ = [
    "DEFAULT_FUNCTIONS",
    "AmbiguousAnswerError",
    "AnswerSyntaxError",
    "FunctionSpec",
    "ParseLimits",
    "parse_answer",
    "parse_expression",
]

#: What an answer parses to: a scalar expression, or a vector or matrix.
Answer: TypeAlias = "sp.Expr | sp.ImmutableMatrix"


def parse_expression(
    text: str,
    *,
    symbols: Mapping[str, sp.Symbol] | Iterable[sp.Symbol] = (),
    functions: Mapping[str, FunctionSpec] = DEFAULT_FUNCTIONS,
    limits: ParseLimits = ParseLimits(),  # noqa: B008 (frozen, immutable default)
) -> sp.Expr:
    r"""Parse untrusted answer text into a SymPy expression, safely.

    Parameters
    ----------
    text : str
        The answer, in Python-like (``2*(a-y)*sigmoid(z)``, ``x^2``, ``2x``) or LaTeX form
        (``2(a-y)\,\sigma(z)(1-\sigma(z))``, ``\operatorname{sech}^2 z``).
    symbols : mapping from name to Symbol, or iterable of Symbols
        The problem's symbols; a name not among them (nor a function or constant) is rejected.
        A symbol is found by its written form: ``w^{(1)}_{12}``, ``w_{1,2}^{(1)}`` and
        ``w_12^(1)`` all name ``Symbol("w^{(1)}_{12}")``.
    functions : mapping from name to FunctionSpec
        The whitelist of functions (default :data:`DEFAULT_FUNCTIONS`).
    limits : ParseLimits
        Bounds on the size of the text and of what it builds.

    Returns
    -------
    sympy.Expr

    Raises
    ------
    AnswerSyntaxError
        The text is not an accepted expression (or is a matrix: use :func:`parse_answer`).
    AmbiguousAnswerError
        The text can be read in two ways; the readings are listed.

    Examples
    --------
    >>> import sympy as sp
    >>> w = sp.Symbol("w^{(1)}_{11}", real=True)
    >>> parse_expression("3 w_{11}^{(1)}", symbols=[w])
    3*w^{(1)}_{11}
    >>> parse_expression("__import__('os')")
    Traceback (most recent call last):
    ...
    symdl.lexing.AnswerSyntaxError: unexpected '_'; expected a number, ... at column 1 ...
    """
    result = parse_answer(text, symbols=symbols, functions=functions, limits=limits)
    if isinstance(result, sp.MatrixBase):
        raise AnswerSyntaxError(
            f"expected a single expression, got a {result.rows}x{result.cols} matrix: {text!r:.80}",
            text=text,
        )
    return result


def parse_answer(
    text: str,
    *,
    symbols: Mapping[str, sp.Symbol] | Iterable[sp.Symbol] = (),
    functions: Mapping[str, FunctionSpec] = DEFAULT_FUNCTIONS,
    limits: ParseLimits = ParseLimits(),  # noqa: B008 (frozen, immutable default)
) -> Answer:
    r"""Parse an answer that may be a scalar, a vector or a matrix (see :func:`parse_expression`).

    ``[a, b]`` is a column vector, ``[[a, b], [c, d]]`` and ``[a, b; c, d]`` are matrices by
    rows, as is LaTeX's ``\begin{pmatrix} a & b \\ c & d \end{pmatrix}``; ``M^T`` transposes.

    Examples
    --------
    >>> import sympy as sp
    >>> x, y = sp.symbols("x y", real=True)
    >>> parse_answer("[2x, 3y]^T", symbols=[x, y])
    Matrix([[2*x, 3*y]])
    """
    checked = check_text(text, limits)
    tokens = tokenize(checked, limits)
    parser = _Parser(checked, tokens, symbol_table(symbols), dict(functions), limits)
    return parser.parse()


# --- the grammar ------------------------------------------------------------------------------
#
#   answer   := sum
#   sum      := term (('+' | '-') term)*
#   term     := unary (('*' | '/') unary | <implicit> power)*
#   unary    := ('+' | '-') unary | power
#   power    := primary [('^' | '**') exponent]
#   exponent := '{' sum '}' | ('+' | '-') exponent | primary [('^' | '**') exponent]
#   primary  := number | name [decorations] | function call | '(' sum ')' | '{' sum '}'
#             | '|' sum '|' | '[' entries ']' | \frac{..}{..} | \sqrt[n]{..} | \begin{pmatrix}

_FRACTIONS = frozenset(("frac", "dfrac", "tfrac"))
_MATRIX_ENVIRONMENTS = frozenset(("pmatrix", "bmatrix", "matrix", "Bmatrix", "smallmatrix"))
_CONSTANTS: dict[str, sp.Expr] = {"e": sp.E, "pi": sp.pi}


class _Parser:
    """Recursive descent over the tokens; builds SymPy objects directly, checking sizes."""

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

    # -- the grammar --
    def parse(self) -> Answer:
        value = self.sum()
        token = self.peek()
        if token.kind != "end":
            if token.kind == "op" and token.text == "=":
                raise self.error(
                    "'=' is not accepted: write only the expression (the right-hand side)", token
                )
            raise self.error(f"unexpected {token.text!r} after a complete expression", token)
        return value

    def sum(self) -> Answer:
        value = self.term()
        while self.is_op("+", "-"):
            token = self.take()
            right = self.term()
            value = self.combine(value, right if token.text == "+" else -right, sp.Add, token)
        return value

    def term(self) -> Answer:
        value = self.unary()
        while True:
            token = self.peek()
            if self.is_op("*"):
                self.take()
                value = self.combine(value, self.unary(), sp.Mul, token)
            elif self.is_op("/"):
                self.take()
                divisor = self.unary()
                if self.starts_factor():
                    rest = self.implicit_product()
                    raise self.ambiguous(
                        f"'{self.text[token.pos : self.peek().pos].strip()}'",
                        token,
                        self.divide(value, divisor, token) * rest,
                        self.divide(value, divisor * rest, token),
                    )
                value = self.divide(value, divisor, token)
            elif self.starts_factor():
                if token.kind == "num":
                    raise self.error(
                        f"a number ({token.text}) right after an expression: "
                        "write '*' between them",
                        token,
                    )
                value = self.combine(value, self.power(), sp.Mul, token)
            else:
                return value

    def implicit_product(self) -> Answer:
        value = self.power()
        while self.starts_factor():
            value = self.combine(value, self.power(), sp.Mul, self.peek())
        return value

    def starts_factor(self) -> bool:
        token = self.peek()
        if token.kind in ("num", "name"):
            return True
        if token.kind == "cmd":
            return token.text not in ("\\\\", "\\end")
        if token.kind == "op":
            return token.text in "([{" or (token.text == "|" and self.abs_depth == 0)
        return False

    def unary(self) -> Answer:
        if self.is_op("+", "-"):
            token = self.take()
            self.enter(token)
            value = self.unary()
            self.depth -= 1
            return -value if token.text == "-" else value
        return self.power()

    def power(self) -> Answer:
        base = self.primary()
        if self.is_op("^", "**"):
            return self.raise_to(base, self.take())
        return base

    def raise_to(self, base: Answer, caret: Token) -> Answer:
        if isinstance(base, sp.MatrixBase):
            return self.transpose(base, caret)
        exponent, braced = self.exponent(caret)
        nxt = self.peek()
        if not braced and not nxt.spaced and nxt.kind in ("num", "name"):
            raise self.ambiguous(
                "an exponent without parentheses followed by a factor",
                caret,
                *self.exponent_readings(base, exponent, caret),
            )
        return self.pow(base, exponent, caret)

    def exponent_readings(self, base: sp.Expr, exponent: sp.Expr, caret: Token) -> list[Answer]:
        rest = self.implicit_product()
        if isinstance(rest, sp.MatrixBase):
            raise self.error("a matrix is not accepted as an exponent", caret)
        return [self.pow(base, exponent, caret) * rest, self.pow(base, exponent * rest, caret)]

    def exponent(self, caret: Token) -> tuple[sp.Expr, bool]:
        token = self.peek()
        self.enter(token)
        braced = self.is_op("{", "(")
        if self.is_op("+", "-"):
            self.take()
            inner, _ = self.exponent(token)
            value: Answer = -inner if token.text == "-" else inner
        elif token.kind == "num" and self.latex and len(token.text) > 1:
            raise self.ambiguous(
                f"'^{token.text}' in LaTeX",
                token,
                f"^{{{token.text}}}",
                f"^{{{token.text[0]}}}·{token.text[1:]}",
            )
        else:
            value = self.primary()
            if self.is_op("^", "**"):
                value = self.raise_to(value, self.take())
        self.depth -= 1
        if isinstance(value, sp.MatrixBase):
            raise self.error("a matrix is not accepted as an exponent", token)
        return value, braced

    def pow(self, base: sp.Expr, exponent: sp.Expr, caret: Token) -> sp.Expr:
        """``base**exponent``, refusing numbers too large to build (``9**9**9**9``)."""
        limit = self.limits.max_exponent
        if isinstance(exponent, sp.Rational) and max(abs(exponent.p), exponent.q) > limit:
            raise self.error(
                f"the exponent {exponent} is too large (at most {limit} in "
                "absolute value, ParseLimits.max_exponent)",
                caret,
            )
        if isinstance(base, sp.Rational) and isinstance(exponent, sp.Rational):
            bits = abs(float(exponent)) * max(math.log2(abs(base.p) + 1), math.log2(base.q + 1))
            if bits > self.limits.max_bits:
                raise self.error(
                    f"the power {base}^{exponent} would have about {bits:.0f} "
                    f"bits (at most {self.limits.max_bits}, ParseLimits.max_bits)",
                    caret,
                )
        result = sp.Pow(base, exponent)
        if (
            result.is_Pow
            and isinstance(result.exp, sp.Rational)
            and (max(abs(result.exp.p), result.exp.q) > limit)
        ):
            raise self.error(
                f"the power has exponent {result.exp} (at most {limit} in "
                "absolute value, ParseLimits.max_exponent)",
                caret,
            )
        return result

    def transpose(self, base: sp.MatrixBase, caret: Token) -> sp.ImmutableMatrix:
        braced = self.is_op("{")
        if braced:
            self.take()
        token = self.take()
        if token.text != "T" or (braced and not self.is_op("}")):
            raise self.error("a matrix can only be transposed (M^T, M^{\\top})", token)
        if braced:
            self.take()
        return sp.ImmutableMatrix(base.T)

    def combine(self, left: Answer, right: Answer, op: type, token: Token) -> Answer:
        try:
            result = left + right if op is sp.Add else left * right
        except (sp.ShapeError, TypeError) as exc:
            raise self.error(f"these operands do not fit ({exc})", token) from None
        return sp.ImmutableMatrix(result) if isinstance(result, sp.MatrixBase) else result

    def divide(self, left: Answer, right: Answer, token: Token) -> Answer:
        if isinstance(right, sp.MatrixBase):
            raise self.error("division by a matrix is not accepted", token)
        if right == 0:
            raise self.error("division by zero", token)
        return self.combine(left, 1 / right, sp.Mul, token)

    def group(self, opened: Token, closer: str) -> Answer:
        self.enter(opened)
        value = self.sum()
        self.expect(closer, opened)
        self.depth -= 1
        return value

    def primary(self) -> Answer:
        token = self.peek()
        if token.kind == "num":
            self.take()
            return sp.Rational(token.text.rstrip(".") or "0")
        if token.kind == "name":
            return self.named()
        if token.kind == "cmd":
            return self.command()
        if self.is_op("(", "{"):
            self.take()
            return self.group(token, ")" if token.text == "(" else "}")
        if self.is_op("|"):
            self.take()
            self.abs_depth += 1
            inner = self.group(token, "|")
            self.abs_depth -= 1
            if isinstance(inner, sp.MatrixBase):
                raise self.error("|…| of a matrix is not accepted", token)
            return sp.Abs(inner)
        if self.is_op("["):
            self.take()
            return self.matrix(token, ",", ";", "]")
        if token.kind == "end":
            raise self.error("the answer ends where an expression was expected", token)
        if token.text == "=":
            raise self.error("'=' is not accepted: write only the expression", token)
        raise self.error(
            f"unexpected {token.text!r}; expected a number, a symbol, a function or '('", token
        )

    def matrix(self, opened: Token, column: str, row: str, closer: str) -> sp.ImmutableMatrix:
        self.enter(opened)
        rows: list[list[Answer]] = [[self.sum()]]
        while True:
            token = self.take()
            if token.text == column:
                rows[-1].append(self.sum())
            elif token.text == row and not self.is_op(closer) and self.peek().text != closer:
                rows.append([self.sum()])
            elif token.text == row:
                continue
            elif token.text == closer:
                break
            else:
                raise self.error(
                    f"expected {column!r}, {row!r} or {closer!r} in the matrix "
                    f"opened at column {opened.pos + 1}",
                    token,
                )
        self.depth -= 1
        entries = [entry for r in rows for entry in r]
        if all(isinstance(e, sp.MatrixBase) and e.cols == 1 for e in entries) and len(rows) == 1:
            rows = [list(e) for e in entries]  # [[a, b], [c, d]]: nested lists are rows
        elif any(isinstance(e, sp.MatrixBase) for e in entries):
            raise self.error("a matrix entry is itself a matrix", opened)
        elif len(rows) == 1 and column == ",":
            rows = [[e] for e in rows[0]]  # [a, b] is a column vector
        if len({len(r) for r in rows}) != 1:
            raise self.error("the rows of this matrix have different lengths", opened)
        return sp.ImmutableMatrix(rows)

    # -- LaTeX commands --
    def command(self) -> Answer:
        token = self.take()
        name = token.text[1:]
        if name in _FRACTIONS:
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
            if environment not in _MATRIX_ENVIRONMENTS:
                raise self.error(
                    f"\\begin{{{environment}}} is not accepted; accepted: "
                    + ", ".join(sorted(_MATRIX_ENVIRONMENTS)),
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
        return self.primary()

    # -- names: symbols, constants, functions --
    def named(self) -> Answer:
        token = self.peek()
        base = base_name(token.text)
        if base not in self.bases and base not in self.functions and base not in _CONSTANTS:
            self.split(token)
            token = self.peek()
        self.take()
        return self.resolve(token, base_name(token.text))

    def split(self, token: Token) -> None:
        """Read an unknown word as a product of known names (``xy`` is ``x*y``), if unique."""
        known = self.bases | set(_CONSTANTS)
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
            hint = ""
            if (digits := re.fullmatch(r"([A-Za-z]+)([0-9]+)", word)) is not None:
                letters, number = digits.groups()
                hint = (
                    f" (for a subscript write {letters}_{number}, for a product {letters}*{number})"
                )
            raise self.error(
                f"unknown name {word!r}{hint}; accepted: {self.accepted_names()}", token
            )
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

    def accepted_names(self) -> str:
        symbols = sorted({sym.name for entries in self.table.values() for sym in entries})
        shown = ", ".join(symbols[:12]) + (", …" if len(symbols) > 12 else "")
        functions = ", ".join(sorted(name for name in self.functions if name.islower()))
        return (
            f"the problem's symbols ({shown or 'none'}), the functions ({functions}) and "
            "the constants e, pi"
        )

    def resolve(self, token: Token, base: str) -> Answer:
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
        if not decorated and base in _CONSTANTS:
            return _CONSTANTS[base]
        written = base + (f"^{{({layer})}}" if layer else "") + (f"_{{{sub}}}" if sub else "")
        raise self.error(f"unknown name {written!r}; accepted: {self.accepted_names()}", token)

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
        if not braced and (base in _CONSTANTS or (base, "", "") in self.table):
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
        elif 1 in spec.arity and self.peek().kind != "end":
            args = [self.power()]  # \sin x^2 is sin(x^2)
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
        return (token.kind == "cmd" and name in self.functions | dict.fromkeys(_FRACTIONS)) or (
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
        t = sp.Dummy("t", real=True)
        first = spec.derivative(t) if spec.derivative else sp.diff(spec.build(t), t)
        derivative = first if primes == 1 else sp.diff(first, t)
        return derivative.subs(t, args[0])
