r"""``symdl derive``: print the backpropagation derivation of a multilayer perceptron.

Example: ``symdl derive --sizes 2,3,1 --activations sigmoid,identity --loss mse --latex``; a layer
whose neurons have their own activations: ``--activations "relu,tanh,sigmoid;identity"``.

``--latex`` prints an ``align*`` environment to paste into a LaTeX document that loads
``amsmath``: (BP1)–(BP4) are the equations' tags, every other reason is set in the tag's
place, a page may break between two steps (each step ends with ``\displaybreak[0]``, so the
preamble needs no ``\allowdisplaybreaks``), and lines too wide for ``--width`` ems (32: the
``article`` class) are broken after a ``+`` or between factors.
"""

from __future__ import annotations

import argparse
import enum

from symdl.backpropagation.reverse_mode import backprop
from symdl.core.derivation import Layout
from symdl.core.losses import LOSSES, get_loss
from symdl.core.network import Network, read_layer_activations, read_layer_sizes

NAME = "derive"
HELP = "derive backpropagation (every error δ and every gradient) for an MLP, step by step"


class Output(enum.Enum):
    """The rendering of the derivation."""

    TEXT = "text"
    LATEX = "latex"
    MARKDOWN = "markdown"
    DOCUMENT = "document"


def configure(parser: argparse.ArgumentParser) -> None:
    """Add the options of ``symdl derive``: the network, the loss, the output format."""
    parser.add_argument(
        "--sizes", required=True, help="layer sizes, inputs first, e.g. 2,3,1 (at most 8 each)"
    )
    parser.add_argument(
        "--activations",
        required=True,
        help="one activation per layer, e.g. sigmoid,identity (or one for all); 'softmax' "
        "may end the network; a layer may give each neuron its own: semicolons between the "
        "layers, commas between a layer's neurons, e.g. 'relu,tanh;identity'",
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


def run(args: argparse.Namespace) -> int:
    """Print the derivation; 0 on success, 1 if ``--verify`` finds a wrong error, 2 on bad input."""
    try:
        sizes = _sizes(args.sizes)
        activations = read_layer_activations(args.activations, name="--activations")
        net = Network.mlp(sizes, activations if len(activations) > 1 else activations[0])
        bp = backprop(net, get_loss(args.loss))
        layout = Layout(width_em=args.width)
    except (ValueError, TypeError) as error:
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
