r"""``symdl derive``: print the backpropagation derivation of a multilayer perceptron or of a
graph network.

Example: ``symdl derive --sizes 2,3,1 --activations sigmoid,identity --loss mse --latex``; a layer
whose neurons have their own activations: ``--activations "relu,tanh,sigmoid;identity"``.  A
network that is not a chain (a residual block, convolution and pooling, batch norm) is read from
a file in the graph description format (:mod:`symdl.core.graph_description`):
``symdl derive --graph residual_block.toml --loss mse --latex``.

``--latex`` prints an ``align*`` environment to paste into a LaTeX document that loads
``amsmath``: (BP1)–(BP4) are the equations' tags, every other reason is set in the tag's
place, a page may break between two steps (each step ends with ``\displaybreak[0]``, so the
preamble needs no ``\allowdisplaybreaks``), and lines too wide for ``--width`` ems (32: the
``article`` class) are broken after a ``+`` or between factors.
"""

from __future__ import annotations

import argparse
import enum

from symdl.backpropagation.graph_mode import GraphBackpropagation, graph_backprop
from symdl.backpropagation.graph_steps import check_derivation_size
from symdl.backpropagation.reverse_mode import Backpropagation, backprop
from symdl.core import graph_description
from symdl.core.derivation import Layout
from symdl.core.exceptions import SymdlError
from symdl.core.graph import GraphNetwork
from symdl.core.losses import LOSSES, get_loss
from symdl.core.network import Network, read_layer_activations, read_layer_sizes

NAME = "derive"
HELP = (
    "derive backpropagation (every error δ and every gradient) for an MLP or a graph network, "
    "step by step"
)


class Output(enum.Enum):
    """The rendering of the derivation."""

    TEXT = "text"
    LATEX = "latex"
    MARKDOWN = "markdown"
    DOCUMENT = "document"


def configure(parser: argparse.ArgumentParser) -> None:
    """Add the options of ``symdl derive``: the network, the loss, the output format."""
    parser.add_argument(
        "--sizes",
        help="layer sizes, inputs first, e.g. 2,3,1 (at most 8 each); required unless --graph "
        "is given",
    )
    parser.add_argument(
        "--activations",
        help="one activation per layer, e.g. sigmoid,identity (or one for all); 'softmax' "
        "may end the network; a layer may give each neuron its own: semicolons between the "
        "layers, commas between a layer's neurons, e.g. 'relu,tanh;identity'; required with "
        "--sizes",
    )
    parser.add_argument(
        "--graph",
        metavar="FILE",
        help="a graph network (a residual block, convolution, pooling, batch norm, ...) "
        "described in a TOML file, in place of --sizes and --activations; the format is "
        "that of symdl.core.graph_description",
    )
    parser.add_argument("--loss", default="mse", help=f"a loss: {', '.join(LOSSES)}")
    form = parser.add_mutually_exclusive_group()
    form.add_argument(
        "--latex",
        dest="output",
        action="store_const",
        const=Output.LATEX,
        help="print an align* environment for a document that loads amsmath: (BP1)-(BP4) "
        "as equation tags, the other reasons in the tags' place, a page break allowed "
        "between steps (\\displaybreak[0]: no \\allowdisplaybreaks needed), long lines "
        "broken to --width",
    )
    form.add_argument(
        "--markdown",
        dest="output",
        action="store_const",
        const=Output.MARKDOWN,
        help="print Markdown with $$ math",
    )
    form.add_argument(
        "--document",
        dest="output",
        action="store_const",
        const=Output.DOCUMENT,
        help="print a standalone LaTeX document (compiles with pdflatex)",
    )
    parser.add_argument(
        "--width",
        type=float,
        default=Layout().width_em,
        metavar="EM",
        help="the text width to break --latex and --markdown lines to, in ems of the "
        "document's font (default %(default)g: LaTeX's article class)",
    )
    parser.add_argument(
        "--verify",
        action="store_true",
        help="also check every δ against the true partial derivative",
    )
    parser.set_defaults(output=Output.TEXT)


MAX_WIDTH = 8  # the derivation lists every weight: larger networks give unreadable output


def _sizes(text: str) -> list[int]:
    sizes = read_layer_sizes(text, name="--sizes")
    if max(sizes) > MAX_WIDTH:
        raise ValueError(
            f"--sizes {text!r}: every size must be between 1 and {MAX_WIDTH} (a derivation "
            "lists every weight; symdl.cli.derive.MAX_WIDTH)"
        )
    return sizes


def read_graph_file(path: str) -> GraphNetwork:
    """The graph network described in the TOML file at ``path``, for ``--graph``.

    The file is read up to :data:`symdl.core.graph_description.MAX_DESCRIPTION_CHARS`
    characters, then by :func:`symdl.core.graph_description.read_graph`, whose errors (and
    those of the file) name the file.
    """
    limit = graph_description.MAX_DESCRIPTION_CHARS
    where = f"--graph {path}"
    try:
        with open(path, encoding="utf-8") as file:
            text = file.read(limit + 1)
    except FileNotFoundError:
        raise ValueError(
            f"{where}: no such file; give the path of a graph description in TOML (the format "
            "of symdl.core.graph_description)"
        ) from None
    except UnicodeDecodeError as error:
        raise ValueError(
            f"{where}: not UTF-8 text ({error.reason} at byte {error.start}); a graph "
            "description is TOML text"
        ) from None
    except OSError as error:
        raise ValueError(f"{where}: cannot be read ({error.strerror or error})") from None
    if len(text) > limit:
        raise ValueError(
            f"{where}: more than {limit:,} characters; a graph description has at most "
            f"{limit:,} (symdl.core.graph_description.MAX_DESCRIPTION_CHARS)"
        )
    try:
        return graph_description.read_graph(text)
    except (ValueError, TypeError) as error:
        raise type(error)(f"{where}: {error}") from None


def _graph_backpropagation(args: argparse.Namespace) -> GraphBackpropagation:
    if args.sizes is not None or args.activations is not None:
        given = " and ".join(
            option
            for option, value in (("--sizes", args.sizes), ("--activations", args.activations))
            if value is not None
        )
        raise ValueError(
            f"--graph describes the whole network, and {given} describe"
            f"{'s' if ' and ' not in given else ''} a multilayer perceptron: give either "
            "--graph FILE, or --sizes and --activations"
        )
    graph = read_graph_file(args.graph)
    check_derivation_size(graph, where=f"--graph {args.graph}")
    return graph_backprop(graph, get_loss(args.loss))


def _chain_backpropagation(args: argparse.Namespace) -> Backpropagation:
    if args.sizes is None or args.activations is None:
        if args.sizes is None and args.activations is None:
            raise ValueError(
                "give the network: --sizes and --activations for a multilayer perceptron "
                "(e.g. --sizes 2,3,1 --activations sigmoid,identity), or --graph FILE for a "
                "graph network described in TOML"
            )
        missing, given = (
            ("--activations", "--sizes")
            if args.activations is None
            else ("--sizes", "--activations")
        )
        raise ValueError(
            f"{given} needs {missing} too (e.g. --sizes 2,3,1 --activations sigmoid,identity); "
            "or give --graph FILE alone for a graph network"
        )
    sizes = _sizes(args.sizes)
    activations = read_layer_activations(args.activations, name="--activations")
    net = Network.mlp(sizes, activations if len(activations) > 1 else activations[0])
    return backprop(net, get_loss(args.loss))


def run(args: argparse.Namespace) -> int:
    """Print the derivation; 0 on success, 1 if ``--verify`` finds a wrong error, 2 on bad input."""
    bp: Backpropagation | GraphBackpropagation
    try:
        if args.graph is not None:
            bp = _graph_backpropagation(args)
        else:
            bp = _chain_backpropagation(args)
        layout = Layout(width_em=args.width)
    except (ValueError, TypeError, SymdlError) as error:
        print(f"symdl derive: {error}")
        return 2
    d = bp.derivation()
    output: Output = args.output
    if output is Output.LATEX:
        print(d.latex(environment="align*", indicator=r"\mathbf{1}", layout=layout))
    elif output is Output.MARKDOWN:
        print(d.markdown(layout=layout))
    elif output is Output.DOCUMENT:
        print(d.latex_document(), end="")
    else:
        print(d)
    if args.verify:
        report = bp.verify()
        print(report)
        return 0 if report.holds else 1
    return 0
