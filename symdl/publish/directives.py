"""The directives of symdl's Sphinx extension (:mod:`symdl.sphinxext`), and their options.

Each directive computes when the documentation is built and reports every failure as a build
warning at its own location (``sphinx-build -W`` then fails): an option it cannot read, a
proof that does not hold, a verdict that differs from the one the notes expect.

What a directive computes is set apart by classes that the extension's style sheet
(``symdl-directives.css``) draws: ``symdl-proof`` (a proof's box, with ``symdl-passed`` or
``symdl-failed``), ``symdl-derivation`` (a derivation's remarks and steps),
``symdl-gradcheck`` (a gradient check), and ``symdl-verdict`` (a proof's or a check's verdict,
with ``symdl-passed``, ``symdl-failed`` or the check's outcome: ``symdl-equivalent``,
``symdl-different``, ``symdl-not-comparable``, ``symdl-unknown``).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from types import ModuleType
from typing import Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import Parser as RestructuredTextParser
from docutils.parsers.rst import directives, roles
from docutils.utils import new_document
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

import symdl
from symdl.backpropagation.graph_mode import graph_backprop
from symdl.backpropagation.graph_steps import check_derivation_size
from symdl.backpropagation.reverse_mode import backprop
from symdl.core import graph_description
from symdl.core.derivation import Derivation, Remark
from symdl.core.graph import GraphNetwork
from symdl.core.losses import get_loss
from symdl.core.network import Network, read_layer_sizes
from symdl.core.notation import latex_expr, safe_latex
from symdl.grading.answers import GradientProblem, check_gradient
from symdl.grading.lexing import AnswerSyntaxError
from symdl.grading.parsing import parse_answer, parse_expression
from symdl.grading.problem_files import (
    check_variable_names,
    problem_from_fields,
    read_constraint_groups,
    read_names,
)
from symdl.publish.proving import ProofResult, load_proof, run_proof
from symdl.publish.report import is_restructuredtext, paragraphs, safe_rst_math
from symdl.referee.verdict import Verdict

__all__ = [
    "LATEX_FORM",
    "DerivationDirective",
    "GradcheckDirective",
    "ProofDirective",
    "SymdlDirective",
]

logger = logging.getLogger("symdl.sphinxext")

#: The attribute of a derivation's math node that holds its LaTeX-builder form.
LATEX_FORM = "symdl_align"


# --- option parsers: each turns directive text into a value or raises a clear ValueError ----


def comma_list(text: str | None) -> list[str]:
    """Split an option's comma-separated text into its non-empty, stripped items.

    Examples
    --------
    >>> comma_list(" sigmoid, identity ")
    ['sigmoid', 'identity']
    """
    items = [item.strip() for item in (text or "").split(",")]
    if not items or any(not item for item in items):
        raise ValueError(f"expected a comma-separated list such as 'a, b', got {text!r}")
    return items


def layer_sizes(text: str | None) -> list[int]:
    """The ``:sizes:`` option: comma-separated positive integers, at least two of them.

    The network is bounded as every network read from text is
    (:func:`symdl.core.network.read_layer_sizes`: its widths, depth and number of parameters).

    Examples
    --------
    >>> layer_sizes("2, 3, 1")
    [2, 3, 1]
    >>> layer_sizes("2, x")
    Traceback (most recent call last):
    ...
    ValueError: sizes = '2, x': every size must be a positive integer (inputs first, e.g. ...
    """
    return read_layer_sizes(text or "", name="sizes")


def variable_names(text: str | None) -> list[str]:
    """The ``:variables:`` option: comma-separated names that an answer can write.

    A name is a letter or a word, optionally with a subscript (``x``, ``x_1``, ``alpha``);
    anything else is refused (see :func:`symdl.grading.problem_files.check_variable_names`).

    Examples
    --------
    >>> variable_names("w, x_1")
    ['w', 'x_1']
    """
    names = comma_list(text)
    check_variable_names(names)
    return names


def constraint_groups(text: str | None) -> dict[str, list[list[str]]]:
    """The ``:constraints:`` option: groups of variables, ``kind(name, name, …)``, by ``;``.

    ``simplex(y_1, y_2)``: a probability vector (entries at least 0, summing to 1);
    ``one-hot(y_1, y_2)``: one entry 1, the others 0 (see :mod:`symdl.referee.sampling`).
    Read by :func:`symdl.grading.problem_files.read_constraint_groups`, as every problem's
    constraints written in one line are.

    Examples
    --------
    >>> constraint_groups("simplex(y1, y2); one-hot(t_1, t_2)")
    {'simplex': [['y1', 'y2']], 'one_hot': [['t_1', 't_2']]}
    """
    return read_constraint_groups(text or "")


def one_word(text: str | None) -> str:
    """An option holding exactly one word (a registry key such as a loss name)."""
    word = (text or "").strip()
    if not word or len(word.split()) != 1:
        raise ValueError(f"expected one name such as 'mse', got {text!r}")
    return word


def choice(*accepted: str) -> Callable[[str | None], str]:
    """An option parser accepting one of ``accepted``."""

    def parse(text: str | None) -> str:
        word = (text or "").strip()
        if word not in accepted:
            raise ValueError(f"expected one of {', '.join(accepted)}; got {text!r}")
        return word

    return parse


# --- directives -------------------------------------------------------------------------------


class SymdlDirective(SphinxDirective):
    """The common part of symdl's directives: warnings at the directive's location."""

    #: the options without which the directive cannot work, and an example of each
    required: ClassVar[dict[str, str]] = {}

    def begin(self, required: Mapping[str, str] | None = None) -> list[nodes.Node]:
        """Check the required options and note the sources; a failure if an option is absent.

        ``required`` replaces the class's ``required`` options (for a directive that
        reads its input in another form).  An empty list means the directive can go on.
        """
        needed = self.required if required is None else required
        missing = [option for option in needed if option not in self.options]
        if not missing:
            self.note_sources()
            return []
        examples = ", ".join(f"':{option}: {needed[option]}'" for option in missing)
        return self.failure(
            f"{self.name} needs the option(s) {', '.join(missing)}; give e.g. {examples}",
            self.name.removeprefix("symdl-"),
        )

    def note_sources(self, *modules: ModuleType) -> None:
        """Re-read this document when symdl's code, or one of ``modules``, changes.

        The directives compute from symdl; without this, an incremental build would keep a
        result that the current code no longer gives.
        """
        loaded = [module for name, module in sys.modules.items() if name.split(".")[0] == "symdl"]
        for module in {*loaded, *modules}:
            path = getattr(module, "__file__", None)
            if path:
                self.env.note_dependency(path)

    def warn(self, message: str, subtype: str) -> None:
        """Emit a build warning at this directive (``-W`` turns it into an error)."""
        logger.warning(message, location=self.get_location(), type="symdl", subtype=subtype)

    def failure(self, message: str, subtype: str) -> list[nodes.Node]:
        """Warn, and show the failure in the document where the result would have been."""
        self.warn(message, subtype)
        box = nodes.error()
        box += nodes.paragraph(text=message)
        return [box]

    def math(self, latex: str) -> nodes.math_block:
        """A displayed equation holding complete LaTeX (an environment or ``\\[ \\]``)."""
        block = nodes.math_block(latex, latex, nowrap=True, number=None)
        block["docname"] = self.env.docname
        self.set_source_info(block)
        return block

    def derivation_nodes(self, derivation: Derivation) -> list[nodes.Node]:
        """A derivation: its remarks as paragraphs, each run of steps as displayed math.

        The web builders get ``aligned`` blocks (MathJax); the LaTeX builder gets ``align*``,
        which can break across pages (see :class:`~symdl.sphinxext.LatexDerivations`).  They
        are held in one ``symdl-derivation`` container, which the style sheet sets apart.
        """
        shown = nodes.container(classes=["symdl-derivation"])
        for part in runs(derivation):
            if isinstance(part, Remark):
                shown += prose(part.text)
                continue
            block = self.math("\\[" + part.latex(environment="aligned") + "\\]")
            block[LATEX_FORM] = part.latex(environment="align*")
            shown += block
        return [shown]

    def restructuredtext_nodes(self, text: str) -> list[nodes.Node]:
        """``text`` parsed as reStructuredText, whatever parser reads the page itself.

        A page in MyST Markdown runs its directives with a Markdown parser: a proof's
        statement, written in reStructuredText, would show its ``:math:`` roles as written.
        The text is parsed apart, by docutils' reStructuredText parser with the page's
        settings (so Sphinx's roles and directives are known), and its messages go to the
        page's reporter, at the directive's line.
        """
        page = self.state.document
        document = new_document(page.get("source", ""), page.settings)
        document.reporter = page.reporter
        with keeping_default_role():
            # start at the directive's line, so that a message points at it
            RestructuredTextParser().parse("\n" * (self.lineno - 1) + text, document)
        return list(document.children)


@contextmanager
def keeping_default_role() -> Iterator[None]:
    """Keep the page's default role (``default_role`` in conf.py) across a parse of other text.

    docutils' reStructuredText parser forgets the default role when it finishes a document;
    the page being read would then lose it for the rest of its text.
    """
    default_role = roles._roles.get("")
    try:
        yield
    finally:
        if default_role is not None:
            roles._roles[""] = default_role


def runs(derivation: Derivation) -> list[Remark | Derivation]:
    """The remarks of a derivation, and its runs of consecutive steps as derivations."""
    parts: list[Remark | Derivation] = []
    current: Derivation | None = None
    for item in derivation.items:
        if isinstance(item, Remark):
            parts.append(item)
            current = None
            continue
        if current is None:
            current = Derivation(derivation.title)
            parts.append(current)
        current.add(item.lhs, item.rhs, item.reason, relation=item.relation)
    return parts


def prose(text: str, *, classes: Sequence[str] = ()) -> nodes.paragraph:
    """A paragraph of prose with ``$`` inline math, the form of a derivation's text.

    The math goes to MathJax and LaTeX through :func:`symdl.core.notation.safe_latex`.
    """
    paragraph = nodes.paragraph(classes=list(classes))
    for index, piece in enumerate(text.split("$")):
        if index % 2:
            math = safe_latex(piece)  # an author's math: shown, never run
            paragraph += nodes.math(math, math)
        elif piece:
            paragraph += nodes.Text(piece)
    return paragraph


class DerivationDirective(SymdlDirective):
    """``symdl-derivation``: the backpropagation derivation of a network and a loss.

    A multilayer perceptron: options ``sizes`` (``2, 3, 1``), ``activations`` (one name per
    layer after the input, or one name for all) and ``loss`` (a key of
    :data:`symdl.core.losses.LOSSES`).  A graph network (a residual block, convolution,
    pooling, batch norm): its description in TOML (:mod:`symdl.core.graph_description`), in a
    file named by the option ``graph`` or as the directive's content, and ``loss``.  The file's
    path is relative to the document, or absolute from the source folder, as for
    ``literalinclude``; the page is read again when the file changes.  The description is
    bounded as every one is (:data:`symdl.core.graph_description.MAX_DESCRIPTION_CHARS`, and
    the sizes of :mod:`symdl.core.graph`).
    """

    required: ClassVar[dict[str, str]] = {
        "sizes": "2, 3, 1",
        "activations": "sigmoid, identity",
        "loss": "mse",
    }
    #: the options a graph network needs (its description is the file or the content)
    graph_required: ClassVar[dict[str, str]] = {"loss": "mse"}
    has_content = True
    option_spec: ClassVar[dict[str, Callable[[str], Any]]] = {
        "sizes": layer_sizes,
        "activations": comma_list,
        "loss": one_word,
        "graph": directives.path,
    }

    def run(self) -> list[nodes.Node]:
        if "graph" in self.options or self.content:
            return self.run_graph()
        missing = self.begin()
        if missing:
            return missing
        try:
            derivation = backprop_derivation(
                self.options["sizes"], self.options["activations"], self.options["loss"]
            )
        except (ValueError, TypeError, symdl.SymdlError) as error:
            return self.failure(f"symdl-derivation: {error}", "derivation")
        return self.derivation_nodes(derivation)

    def run_graph(self) -> list[nodes.Node]:
        """The derivation of the graph network that the ``graph`` file or the content gives."""
        chain = [f":{option}:" for option in ("sizes", "activations") if option in self.options]
        if "graph" in self.options:
            where = f"the graph file {self.options['graph']}"
        else:
            where = "the graph in the directive's content"
        if chain:
            return self.failure(
                f"symdl-derivation: {where} describes the whole network, and "
                f"{' and '.join(chain)} describe a multilayer perceptron: give either the "
                f"graph (:graph: or the content), or :sizes: and :activations:",
                "derivation",
            )
        if "graph" in self.options and self.content:
            return self.failure(
                "symdl-derivation: the graph is given twice, by :graph: and by the directive's "
                "content; give the file or the content",
                "derivation",
            )
        missing = self.begin(self.graph_required)
        if missing:
            return missing
        try:
            graph = read_graph_text(self.graph_text(), where)
            check_derivation_size(graph, where=where)
            bp = graph_backprop(graph, get_loss(self.options["loss"]))
            derivation = bp.derivation()
        except (ValueError, TypeError, symdl.SymdlError) as error:
            return self.failure(f"symdl-derivation: {error}", "derivation")
        return self.derivation_nodes(derivation)

    def graph_text(self) -> str:
        """The TOML description: the content, or the ``graph`` file (noted as a dependency).

        The file is read up to :data:`symdl.core.graph_description.MAX_DESCRIPTION_CHARS`
        characters (and refused beyond them), in the sources' encoding.
        """
        if "graph" not in self.options:
            return "\n".join(self.content)
        given = self.options["graph"]
        relative, path = self.env.relfn2path(given)
        self.env.note_dependency(relative)
        limit = graph_description.MAX_DESCRIPTION_CHARS
        try:
            with open(path, encoding=self.config.source_encoding) as file:
                text = file.read(limit + 1)
        except FileNotFoundError:
            raise ValueError(
                f"the graph file {given} is not found (looked for {path}); a path is relative "
                "to this document, or absolute from the source folder (as for literalinclude)"
            ) from None
        except UnicodeDecodeError as error:
            raise ValueError(
                f"the graph file {given} is not {self.config.source_encoding} text "
                f"({error.reason} at byte {error.start}); a graph description is TOML text"
            ) from None
        except OSError as error:
            raise ValueError(
                f"the graph file {given} cannot be read ({error.strerror or error})"
            ) from None
        if len(text) > limit:
            raise ValueError(
                f"the graph file {given} has more than {limit:,} characters; a graph "
                f"description has at most {limit:,} "
                "(symdl.core.graph_description.MAX_DESCRIPTION_CHARS)"
            )
        return text


def read_graph_text(text: str, where: str) -> GraphNetwork:
    """The graph network described by ``text``; an error names ``where`` the text is from.

    Examples
    --------
    >>> text = '''
    ... [inputs]
    ... x = 2
    ... [[nodes]]
    ... name = "y"
    ... op = "dens"
    ... inputs = ["x"]
    ... '''
    >>> read_graph_text(text, "the graph file net.toml")
    Traceback (most recent call last):
    ...
    ValueError: the graph file net.toml: node 'y': unknown op 'dens' (did you mean 'dense'?); ...
    """
    try:
        return graph_description.read_graph(text)
    except (ValueError, TypeError) as error:
        raise type(error)(f"{where}: {error}") from None


def mlp(sizes: Sequence[int], activations: Sequence[str]) -> Network:
    """An MLP with symbolic parameters; one activation name stands for every layer."""
    names = list(activations)
    if len(names) == 1:
        names = names * (len(sizes) - 1)
    if len(names) != len(sizes) - 1:
        raise ValueError(
            f"the sizes {', '.join(map(str, sizes))} give {len(sizes) - 1} layer(s) after the "
            f"input, so give {len(sizes) - 1} activation name(s), or one for all; "
            f"got {len(names)}: {', '.join(names)}"
        )
    return Network.mlp(sizes=list(sizes), activations=names)


def backprop_derivation(sizes: Sequence[int], activations: Sequence[str], loss: str) -> Derivation:
    """The backpropagation derivation of an MLP with symbolic parameters, for a named loss."""
    net = mlp(sizes, activations)
    derivation: Derivation = backprop(net, get_loss(loss)).derivation()
    return derivation


class ProofDirective(SymdlDirective):
    """``symdl-proof NAME``: run a proof module and show its statement, derivation and result.

    Flags ``no-statement``, ``no-derivation`` and ``no-lemmas`` leave those parts out.
    """

    required_arguments = 1
    has_content = False
    option_spec: ClassVar[dict[str, Callable[[str], Any]]] = {
        "no-statement": directives.flag,
        "no-derivation": directives.flag,
        "no-lemmas": directives.flag,
    }

    def run(self) -> list[nodes.Node]:
        name = self.arguments[0]
        try:
            package = self.config.symdl_proof_package
            module = load_proof(name, package_name=package)
        except ValueError as error:
            return self.failure(f"symdl-proof: {error}", "proof")
        except Exception as error:  # the module's own code: a failed proof, never a crash
            return self.failure(
                f"symdl-proof: the proof {name!r} cannot be imported: "
                f"{type(error).__name__}: {error}",
                "proof",
            )
        self.note_sources(module)
        result = run_proof(name, package_name=package)
        passed = "symdl-passed" if result.passed else "symdl-failed"
        box = nodes.container(classes=["symdl-proof", passed])
        box += nodes.rubric(text=result.title)
        if "no-statement" not in self.options and result.statement:
            box.extend(self.statement_nodes(result.statement))
        derivation = getattr(module, "derivation", None)
        if callable(derivation) and "no-derivation" not in self.options:
            try:
                written = derivation()
                box += prose(written.title, classes=["symdl-derivation-title"])
                box.extend(self.derivation_nodes(written))
            except Exception as error:  # the module's own code: report, never crash the build
                return [
                    box,
                    *self.failure(f"symdl-proof {name}: derivation() raised {error!r}", "proof"),
                ]
        box.extend(self.result_nodes(result))
        if not result.passed:
            failed = [f"{lemma.name}: {lemma.error}" for lemma in result.lemmas if not lemma.passed]
            reason = "; ".join(failed) or "it has no lemma"
            return [box, *self.failure(f"proof {name!r} failed: {reason}", "proof")]
        return [box]

    def statement_nodes(self, statement: str) -> list[nodes.Node]:
        """The statement parsed as reStructuredText, or as plain paragraphs if it is not.

        A statement is reStructuredText in a page of any format: in MyST Markdown too, its
        ``:math:`` roles and ``math`` blocks are typeset
        (:meth:`SymdlDirective.restructuredtext_nodes`).
        """
        with keeping_default_role():
            restructuredtext = is_restructuredtext(statement)
        if restructuredtext:
            return self.restructuredtext_nodes(safe_rst_math(statement))
        return [nodes.paragraph(text=block) for block in paragraphs(statement)]

    def result_nodes(self, result: ProofResult) -> list[nodes.Node]:
        """The verdict paragraph and, if configured, one line per lemma."""
        held = sum(lemma.passed for lemma in result.lemmas)
        verdict = "Verified" if result.passed else "FAILED"
        text = f"{verdict}: {held} of {len(result.lemmas)} lemmas hold"
        if self.config.symdl_show_timings:
            text += f" ({result.seconds:.2f} s)"
        passed = "symdl-passed" if result.passed else "symdl-failed"
        summary = nodes.paragraph(classes=["symdl-verdict", passed])
        summary += nodes.strong(text=text + ".")
        if not self.config.symdl_show_lemmas or "no-lemmas" in self.options:
            return [summary]
        items = nodes.bullet_list(classes=["symdl-lemmas"])
        for lemma in result.lemmas:
            mark = "✓" if lemma.passed else "✗"
            line = nodes.paragraph(text=f"{mark} ")
            line += nodes.literal(text=lemma.name)
            if not lemma.passed:
                line += nodes.Text(f": {lemma.error}")
            items += nodes.list_item("", line)
        return [summary, items]


class GradcheckDirective(SymdlDirective):
    """``symdl-gradcheck``: a hand-derived gradient checked against the true one.

    The problem is either a function (``function``, with its ``variables``; default: the
    ``wrt`` variable alone; ``positive`` lists the variables that are positive) or a network
    and a loss (``sizes``, ``activations``, ``loss``, as for ``symdl-derivation``).  ``wrt``
    names the variable: a variable of the function (several, separated by commas, for a
    gradient vector), or a parameter of the network (``w^{(1)}_{11}``) or a whole layer's
    (``W1``, ``b2``).  ``answer`` is the hand-derived gradient, as text (read by
    :mod:`symdl.grading.parsing`, never evaluated); ``expect`` (``correct`` or ``wrong``)
    states the verdict the notes rely on, and a different verdict is a build warning.
    ``constraints`` groups variables sampled together: ``simplex(y_1, y_2); one-hot(t_1,
    t_2)`` (:func:`constraint_groups`); ``domains`` sets sampling intervals,
    ``y = [1/10, 3]; z = [0, 1]``.

    The options that state the problem are the fields of a problem file, read by
    :func:`symdl.grading.problem_files.problem_from_fields` as ``symdl check`` reads them, with
    the same errors.  Every option is bounded (variables are names an answer can write, a
    network is at most :data:`symdl.core.network.MAX_TEXT_PARAMETERS`, the problem is built
    within :data:`symdl.grading.problem_files.BUILD_SECONDS`).
    """

    required: ClassVar[dict[str, str]] = {"wrt": "w", "answer": "2*x*(w*x - y)"}
    has_content = False
    #: the options that are fields of the problem (:func:`problem_fields`)
    fields: ClassVar[tuple[str, ...]] = (
        "function",
        "variables",
        "positive",
        "sizes",
        "activations",
        "loss",
        "wrt",
        "constraints",
        "domains",
    )
    option_spec: ClassVar[dict[str, Callable[[str], Any]]] = {
        **dict.fromkeys(fields, directives.unchanged_required),
        "answer": directives.unchanged_required,
        "expect": choice("correct", "wrong"),
    }

    def run(self) -> list[nodes.Node]:
        missing = self.begin()
        if missing:
            return missing
        try:
            problem, question = self.problem()
            verdict = check_gradient(problem, self.options["answer"])
        except (ValueError, TypeError, symdl.SymdlError) as error:
            return self.failure(f"symdl-gradcheck: {error}", "gradcheck")
        shown = nodes.container(classes=["symdl-gradcheck"])
        shown += prose(question_text(self.options, problem))
        shown += self.answer(problem, question)
        shown.extend(self.verdict_nodes(verdict))
        expected = self.options.get("expect")
        got = "correct" if verdict.correct else "wrong"
        if expected is not None and expected != got:
            return [
                shown,
                *self.failure(
                    f"symdl-gradcheck: the notes expect the answer to be {expected}, "
                    f"but symdl finds it {got}: {verdict.reason}",
                    "gradcheck",
                ),
            ]
        return [shown]

    def problem(self) -> tuple[GradientProblem, str]:
        """The gradient problem the options describe, and the LaTeX of what it asks."""
        fields = problem_fields(self.options)
        problem, _ = problem_from_fields(fields, source="the symdl-gradcheck directive")
        return problem, question_latex(fields, problem)

    def answer(self, problem: GradientProblem, question: str) -> nodes.Node:
        """The answer as displayed math, or as it was written if it cannot be read."""
        text = self.options["answer"]
        try:
            answer = parse_answer(text, symbols=problem.names)
        except AnswerSyntaxError:
            return nodes.literal_block(text, text)
        return self.math(f"\\[{question} \\overset{{?}}{{=}} {latex_expr(answer)}\\]")

    def verdict_nodes(self, verdict: Verdict) -> list[nodes.Node]:
        """The outcome and reason, then the counterexample and difference as displayed math."""
        outcome = "symdl-" + verdict.outcome.value.replace(" ", "-")
        line = nodes.paragraph(classes=["symdl-verdict", outcome])
        line += nodes.strong(text=verdict.outcome.value.capitalize())
        line += nodes.Text(f": {verdict.reason}.")
        displayed = [part for part in verdict.latex().splitlines() if part.startswith("\\[")]
        return [line, *(self.math(part) for part in displayed)]


def problem_fields(options: Mapping[str, Any]) -> dict[str, Any]:
    """The fields of a problem (as a problem file names them) that a directive's options give.

    Without ``variables``, a function's variable is the ``wrt`` one alone.

    Examples
    --------
    >>> problem_fields({"function": "w^2", "wrt": "w", "answer": "2w"})
    {'function': 'w^2', 'wrt': 'w', 'variables': 'w'}
    """
    fields = {key: options[key] for key in GradcheckDirective.fields if key in options}
    if "function" in fields and "variables" not in fields and "wrt" in fields:
        fields["variables"] = fields["wrt"]
    return fields


def wrt_latex(fields: Mapping[str, Any], problem: GradientProblem) -> str:
    """The LaTeX of the variables a problem read from ``fields`` differentiates with respect to.

    One variable (``w``), several in parentheses (``(u_{1}, u_{2})``), or a whole layer's
    parameters (``W1`` is :math:`W^{(1)}`).
    """
    wrt = str(fields["wrt"]).strip()
    if "function" not in fields and re.fullmatch(r"[Wb][1-9][0-9]*", wrt):  # a whole layer's
        return f"{wrt[0]}^{{({int(wrt[1:])})}}"
    names = read_names(wrt, key="wrt")
    shown = ", ".join(latex_expr(parse_expression(name, symbols=problem.names)) for name in names)
    return shown if len(names) == 1 else f"({shown})"


def question_text(fields: Mapping[str, Any], problem: GradientProblem) -> str:
    """What a problem read from ``fields`` asks, in words with ``$`` math (as :func:`prose`).

    Examples
    --------
    >>> fields = {"function": "w^2", "variables": "w", "wrt": "w"}
    >>> problem, _ = problem_from_fields(fields, source="an example")
    >>> question_text(fields, problem)
    'Is this the derivative with respect to $w$?'
    """
    below = wrt_latex(fields, problem)
    several = below.startswith("(")
    what = "gradient" if several or "function" not in fields else "derivative"
    if "function" in fields:
        return f"Is this the {what} with respect to ${below}$?"
    loss = get_loss(str(fields["loss"]).strip())
    return f"Is this the gradient of the {loss.title} with respect to ${below}$?"


def question_latex(fields: Mapping[str, Any], problem: GradientProblem) -> str:
    """The LaTeX of what a problem read from ``fields`` asks: ∂f/∂x, or ∂C/∂W^{(1)}."""
    below = wrt_latex(fields, problem)
    if "function" not in fields:
        return f"\\frac{{\\partial C}}{{\\partial {below}}}"
    function = latex_expr(parse_expression(fields["function"], symbols=problem.names))
    return f"\\frac{{\\partial}}{{\\partial {below}}}\\left({function}\\right)"
