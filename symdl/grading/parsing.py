r"""A safe parser for untrusted answer text: Python-like and LaTeX forms of an expression.

A student's answer is text, and untrusted: it is never given to ``eval``, ``exec``,
``sympify`` or ``parse_expr``.  :func:`parse_expression` reads it with its own tokenizer and a
recursive-descent parser that builds SymPy objects directly, admitting only

- numbers (integers and exact decimals in the ASCII digits: ``0.25`` is :math:`1/4`),
- the problem's own symbols, written as people write them (``w_{jk}``, ``w^{(1)}_{11}``,
  ``w_11^(1)``, ``a^{[2]}``, ``\alpha``, ``σ``),
- the constants ``e`` and ``pi`` (unless the problem declares symbols of that name),
- a whitelist of functions (:data:`~symdl.grading.lexing.DEFAULT_FUNCTIONS`; ``σ``, ``\sigma`` and
  ``sigmoid`` are :class:`symdl.core.special_functions.Sigmoid`), also as ``\operatorname{…}``,
  ``\mathrm{…}`` or ``\text{…}``, with primes for first and second derivatives (``\sigma'(z)``,
  ``\sigma^{\prime}(z)``, ``\sigma^{\prime\prime}(z)``, ``\tanh^{'}(z)``),
- the operators ``+ - * / ^ **``, implicit multiplication (``2x``, ``2(a-y)``), ``|x|``,
  LaTeX's ``\frac``, ``\sqrt``, ``\cdot``, ``\left( \right)``, spacing commands, and
  vectors and matrices (``[a, b]``, ``[[a, b], [c, d]]``, ``\begin{pmatrix} … \end{pmatrix}``,
  ``^T``).

Anything else is rejected with an :class:`~symdl.grading.lexing.AnswerSyntaxError` that says what is
wrong, where, and what is accepted; no other exception leaves :func:`parse_answer`, whatever the
text.  Size is bounded (:class:`~symdl.grading.lexing.ParseLimits`) before anything large is built,
whatever the hash seed: the length of the text, the number of tokens, the nesting depth, the digits
of a number, the size of a numeric exponent, the bits of every number the answer builds
(``9**9**9**9`` and a product of 450 huge powers are refused before they are computed) and of an
integer under a root (which SymPy would factor), and the nodes of what it builds.  A constant that
is undefined (``log(0)``, ``0^(-1)``, ``tan(pi/2)``, like ``x/0``) or not real (``log(-1)``) is
refused; a comparison of constants that SymPy cannot decide (``max(σ'(1000), 1/2)``) is decided
here, with a precision raised until it is certain.  A text that can be read in two ways (``1/2x``,
``x^23`` in LaTeX, ``\tanh^{-1}``) raises :class:`~symdl.grading.lexing.AmbiguousAnswerError`
listing the readings: the parser never guesses.  :func:`~symdl.referee.constants.constant_digits`
tells a numeric comparison how many digits an answer's constants need.

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
symdl.grading.lexing.AmbiguousAnswerError: ambiguous at column 2: ...
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from fractions import Fraction

import sympy as sp

from symdl.grading.lexing import (
    DEFAULT_FUNCTIONS,
    AmbiguousAnswerError,
    AnswerSyntaxError,
    FunctionSpec,
    ParseLimits,
    Token,
    UnknownNameError,
    check_text,
    symbol_table,
    tokenize,
)
from symdl.grading.names import (
    Answer,
    NameReader,
    exact_root,
)
from symdl.referee.constants import MAX_CONSTANT_DIGITS, constant_digits, shown

__all__ = [
    "DEFAULT_FUNCTIONS",
    "MAX_CONSTANT_DIGITS",
    "AmbiguousAnswerError",
    "AnswerSyntaxError",
    "FunctionSpec",
    "ParseLimits",
    "UnknownNameError",
    "constant_digits",
    "parse_answer",
    "parse_expression",
]


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
    symbols : Mapping[str, sympy.Symbol] or Iterable[sympy.Symbol]
        The problem's symbols; a name not among them (nor a function or constant) is rejected.
        A symbol is found by its written form: ``w^{(1)}_{12}``, ``w_{1,2}^{(1)}`` and
        ``w_12^(1)`` all name ``Symbol("w^{(1)}_{12}")``.
    functions : Mapping[str, FunctionSpec]
        The whitelist of functions (default :data:`~symdl.grading.lexing.DEFAULT_FUNCTIONS`).
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
    symdl.grading.lexing.AnswerSyntaxError: unexpected '_'; expected a number, ... at column 1 ...
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
    try:
        result = parser.parse()
        parser.check_all(result, tokens[0])
    except AnswerSyntaxError:
        raise
    except RecursionError:  # a nesting that ParseLimits.max_depth does not count
        raise AnswerSyntaxError(
            "the answer is nested too deeply to read: remove some nesting", text=checked
        ) from None
    except (MemoryError, OSError):  # out of memory, a time limit (TimeoutError): not the text's
        raise
    except Exception as exc:  # whatever SymPy raises while building: never a raw exception
        raise AnswerSyntaxError(
            f"symdl could not build this answer ({type(exc).__name__}: {shown(exc, 120)}); "
            "write it in a simpler form",
            text=checked,
        ) from exc
    return result


# --- how many digits an answer's constants need ------------------------------------------------

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


class _Parser(NameReader):
    """Recursive descent over the tokens; builds SymPy objects directly, checking sizes."""

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
                        self.combine(self.divide(value, divisor, token), rest, sp.Mul, token),
                        self.divide(value, self.combine(divisor, rest, sp.Mul, token), token),
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
        start = self.peek()
        base = self.primary()
        if self.is_op("^", "**"):
            return self.raise_to(base, self.take(), start)
        return base

    def raise_to(self, base: Answer, caret: Token, start: Token) -> Answer:
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
        return self.pow(base, exponent, caret, start)

    def exponent_readings(self, base: sp.Expr, exponent: sp.Expr, caret: Token) -> list[Answer]:
        rest = self.implicit_product()
        if isinstance(rest, sp.MatrixBase):
            raise self.error("a matrix is not accepted as an exponent", caret)
        longer = self.combine(exponent, rest, sp.Mul, caret)
        return [
            self.combine(self.pow(base, exponent, caret), rest, sp.Mul, caret),
            self.pow(base, longer, caret),
        ]

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
                value = self.raise_to(value, self.take(), token)
        self.depth -= 1
        if isinstance(value, sp.MatrixBase):
            raise self.error("a matrix is not accepted as an exponent", token)
        return value, braced

    def pow(
        self, base: sp.Expr, exponent: sp.Expr, caret: Token, start: Token | None = None
    ) -> sp.Expr:
        """``base**exponent``, refusing numbers too large to build (``9**9**9**9``)."""
        start = start or caret
        self.check_constants([base, exponent], start)
        self.check_power(base, exponent, caret)
        if base is sp.E:
            self.check_exponential(exponent, caret)
        root = None
        if isinstance(base, sp.Rational) and isinstance(exponent, sp.Rational):
            root = exact_root(base, int(exponent.q)) if not exponent.is_Integer else None
        try:
            result = root**exponent.p if root is not None else sp.Pow(base, exponent)
        except (ValueError, TypeError, ArithmeticError) as exc:
            raise self.error(f"{self.span(start)} cannot be evaluated ({exc})", start) from None
        limit = self.limits.max_exponent
        if (
            result.is_Pow
            and isinstance(result.exp, sp.Rational)
            and (max(abs(result.exp.p), result.exp.q) > limit)
        ):
            raise self.error(
                f"the power has exponent {shown(result.exp)} (at most {limit} in "
                "absolute value, ParseLimits.max_exponent)",
                caret,
            )
        return self.check_value(result, start)

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
        if op is sp.Mul:
            self.check_radicals(left, right, token)
        try:
            result = left + right if op is sp.Add else left * right
        except (sp.ShapeError, TypeError) as exc:
            raise self.error(f"these operands do not fit ({exc})", token) from None
        value = sp.ImmutableMatrix(result) if isinstance(result, sp.MatrixBase) else result
        self.check_sizes(value, token)
        return value

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
            exact = Fraction(token.text.rstrip(".") or "0")  # digits only: see lexing._TOKEN
            return sp.Rational(exact.numerator, exact.denominator)
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
            return self.build(sp.Abs, [inner], token)
        if self.is_op("["):
            self.take()
            if self.peek().text == "\\begin":  # SymPy's \left[\begin{matrix}…\right]
                return self.group(token, "]")
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
