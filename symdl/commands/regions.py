"""``symdl regions FILE``: the exact linear regions of a ReLU network given by its weights.

The file is JSON or NumPy ``.npz``:

- JSON: ``{"weights": [W1, W2, ...], "biases": [b1, b2, ...], "activations": [...]}`` where
  ``Wl`` is a list of rows (``n_l`` rows of ``n_{l-1}`` numbers) and ``bl`` a list of ``n_l``
  numbers.  A number is an integer, a string ``"p/q"`` or ``"0.25"`` (read exactly), or a JSON
  float (only with ``--floats decimal`` or ``--floats binary``).
- ``.npz``: arrays ``W1, b1, W2, b2, ...`` (integer arrays are exact; float arrays need
  ``--floats``) and optionally ``activations``, an array of names.

``activations`` defaults to ``relu`` for every layer but the last, which is ``identity``;
accepted names: identity, relu, leaky_relu.  One input: the pieces of the output and the
linear regions on R; two inputs: the regions of the plane (``--plot FILE.png`` draws them).
"""

from __future__ import annotations

import argparse
import json
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np

from symdl.exceptions import NotSupportedError
from symdl.montufar import zaslavsky_bound
from symdl.network import FloatConversion, Network
from symdl.regions import (
    activation_regions_1d,
    pieces_1d,
    plot_regions,
    plot_regions_1d,
    regions_2d,
)

NAME = "regions"
HELP = (
    "count the linear regions of a ReLU network exactly, from a JSON or .npz file of weights "
    "(one input: pieces on R; two inputs: polygons in the plane)"
)

FLOATS = {
    "reject": FloatConversion.REJECT,
    "decimal": FloatConversion.DECIMAL,
    "binary": FloatConversion.BINARY,
}


FORMAT = """file formats:
  JSON  {"weights": [W1, W2, ...], "biases": [b1, b2, ...], "activations": [...]}
        Wl: a list of n_l rows of n_(l-1) numbers; bl: a list of n_l numbers.  A number is
        an integer, a string "p/q" or "0.25" (read exactly), or a JSON float (needs --floats).
  .npz  arrays W1, b1, W2, b2, ... (integer arrays are exact; float arrays need --floats)
        and optionally "activations", an array of names.
  activations default to relu for every layer but the last, which is identity; accepted:
  identity, relu, leaky_relu.

example:
  echo '{"weights": [[[1, 1], [1, 2]], [[1, 1]]], "biases": [[0, "-1/2"], [0]]}' > net.json
  symdl regions net.json --plot regions.png
"""


def configure(parser: argparse.ArgumentParser) -> None:
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.epilog = FORMAT
    parser.add_argument("file", help="the network: a .json or .npz file of weights and biases")
    parser.add_argument(
        "--floats",
        choices=sorted(FLOATS),
        default="reject",
        help="float weights: reject (default), decimal (0.1 -> 1/10) or binary (exact value)",
    )
    parser.add_argument(
        "--box",
        default=None,
        help="two inputs: count inside [-B, B]^2 (an exact number, e.g. 10 or 5/2); default: "
        "the whole plane, exactly",
    )
    parser.add_argument("--plot", metavar="PNG", help="draw the regions to this file")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")


def _number(value: Any, where: str) -> Any:
    if isinstance(value, bool):
        raise TypeError(f"{where} = {value!r} is a boolean; give a number")
    if isinstance(value, str):
        try:
            return Fraction(value.strip())
        except ValueError:
            raise ValueError(
                f"{where} = {value!r} is not a number; write an integer, 'p/q' or a decimal"
            ) from None
    return value


def _nested(value: Any, where: str) -> Any:
    if isinstance(value, list):
        return [_nested(v, f"{where}[{i}]") for i, v in enumerate(value)]
    return _number(value, where)


def load_network(path: Path, floats: FloatConversion) -> Network:
    """Read a network from a ``.json`` or ``.npz`` file (format in the module docstring)."""
    if path.suffix == ".json":
        data = json.loads(path.read_text())
        if not isinstance(data, dict) or "weights" not in data or "biases" not in data:
            raise ValueError(f"{path}: expected an object with 'weights' and 'biases' lists")
        weights = [_nested(W, f"weights[{i}]") for i, W in enumerate(data["weights"])]
        biases = [_nested(b, f"biases[{i}]") for i, b in enumerate(data["biases"])]
        activations = data.get("activations")
    elif path.suffix == ".npz":
        with np.load(path, allow_pickle=False) as archive:
            depth = sum(1 for key in archive.files if key.startswith("W"))
            missing = [
                k for l in range(1, depth + 1) for k in (f"W{l}", f"b{l}") if k not in archive.files
            ]
            if not depth or missing:
                raise ValueError(f"{path}: needs arrays W1, b1, W2, b2, ...; missing {missing}")
            weights = [np.atleast_2d(archive[f"W{l}"]) for l in range(1, depth + 1)]
            biases = [np.atleast_1d(archive[f"b{l}"]) for l in range(1, depth + 1)]
            activations = (
                [str(a) for a in archive["activations"]] if "activations" in archive else None
            )
    else:
        raise ValueError(f"{path}: unknown file type {path.suffix!r}; accepted: .json, .npz")
    if len(weights) != len(biases) or not weights:
        raise ValueError(f"{path}: {len(weights)} weight matrices but {len(biases)} biases")
    first = weights[0]
    n_in = len(first[0]) if isinstance(first, list) else first.shape[1]
    sizes = [n_in, *(len(b) for b in biases)]
    if activations is None:
        activations = ["relu"] * (len(weights) - 1) + ["identity"]
    return Network.mlp(sizes, list(activations), weights=weights, biases=biases, floats=floats)


def count(net: Network, box: Any = None, plot: str | None = None) -> dict[str, Any]:
    """The regions of ``net`` (one or two inputs) as a JSON-ready dictionary."""
    widths = [layer.n_out for layer in net.layers[:-1]]
    if net.n_inputs == 1:
        if plot:
            plot_regions_1d(net).savefig(plot, dpi=120)
        return {
            "inputs": 1,
            "widths": widths,
            "pieces": pieces_1d(net),
            "regions": activation_regions_1d(net),
            "serra_upper_bound": int(np.prod([w + 1 for w in widths])),
        }
    if net.n_inputs != 2:
        raise ValueError(
            f"the network has {net.n_inputs} inputs; exact region counting and drawing accept "
            f"1 or 2 inputs"
        )
    size = None if box is None else _number(box, "--box")
    regions = regions_2d(net, box=size)
    half = max(max(abs(v[0]), abs(v[1])) for r in regions for v in r.vertices)
    if plot:
        plot_regions(regions).savefig(plot, dpi=120)
    result: dict[str, Any] = {
        "inputs": 2,
        "widths": widths,
        "regions": len(regions),
        "counted_in": "the whole plane" if box is None else f"[-{box}, {box}]^2",
        "drawn_in": f"[-{half}, {half}]^2",
    }
    if len(widths) == 1:
        result["zaslavsky_bound"] = zaslavsky_bound(widths[0], 2)
    return result


def run(args: argparse.Namespace) -> int:
    try:
        net = load_network(Path(args.file), FLOATS[args.floats])
        result = count(net, args.box, args.plot)
    except (OSError, ValueError, TypeError, NotSupportedError) as error:
        hint = ""
        if isinstance(error, TypeError) and "float" in str(error):
            hint = " (on the command line: --floats decimal or --floats binary)"
        print(f"symdl regions: {error}{hint}")
        return 2
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print(", ".join(f"{key}: {value}" for key, value in result.items()))
    return 0
