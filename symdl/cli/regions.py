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
import functools
import json
import math
import zipfile
from pathlib import Path
from typing import Any

import numpy as np

from symdl.core import network
from symdl.core.exact import TextLimits, exact_from_text, exact_number
from symdl.core.exceptions import NotSupportedError
from symdl.core.exceptions import shown as _shown_at
from symdl.core.network import FloatConversion, Network, read_layer_sizes
from symdl.depth.montufar import zaslavsky_bound
from symdl.depth.regions import (
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


# Bounds on a file of weights: it is text (or an archive) from outside.  Each is named in the
# error it causes; to raise one, set it in Python before the file is read.  The network's
# widths, depth and number of parameters are bounded as for every network read from text
# (symdl.core.network.MAX_TEXT_WIDTH, MAX_TEXT_DEPTH, MAX_TEXT_PARAMETERS).

#: The largest file of weights, in bytes (and the largest array of a ``.npz`` once unpacked).
MAX_FILE_BYTES = 16_000_000
#: The most characters of one number written as text ("-32/2", "0.25", "1e-3").
MAX_NUMBER_CHARS = 400
#: The largest decimal exponent of a number written as text, in absolute value ("1e400").
MAX_EXPONENT = 400
#: The most digits of an integer.
MAX_DIGITS = 400
#: The most arrays in a ``.npz`` archive.
MAX_ARRAYS = 100


def _raise_it(name: str) -> str:
    return f"symdl.cli.regions.{name}; to raise it, set it in Python before reading"


_shown = functools.partial(_shown_at, width=60)


def _text_limits() -> TextLimits:
    """The bounds on a number written as text, read when a file is read (so they can be
    raised in Python before)."""
    return TextLimits(
        max_chars=MAX_NUMBER_CHARS,
        max_digits=MAX_DIGITS,
        max_exponent=MAX_EXPONENT,
        how_to_raise=(
            "symdl.cli.regions.MAX_NUMBER_CHARS, MAX_DIGITS and MAX_EXPONENT; to raise one, "
            "set it in Python before reading"
        ),
    )


def _number(value: Any, where: str) -> Any:
    """One number of the file: an int, a float (converted later, on request) or exact text."""
    if isinstance(value, str):
        return exact_from_text(value, name=where, limits=_text_limits())
    if isinstance(value, bool):
        return exact_number(value, name=where)  # refused, with the converter's message
    if isinstance(value, int):
        if abs(value) >= 10**MAX_DIGITS:
            raise ValueError(
                f"{where}: an integer of more than {MAX_DIGITS} digits ({_raise_it('MAX_DIGITS')})"
            )
        return value
    if isinstance(value, float):
        return value
    raise TypeError(
        f"{where}={_shown(value)} is not a number; write an integer, a string 'p/q' or "
        "'0.25', or a JSON float (with --floats)"
    )


def _check_depth(depth: int, path: Path) -> None:
    """Before anything is read: the depth bound of networks read from text."""
    if depth > network.MAX_TEXT_DEPTH:
        raise ValueError(
            f"{path}: {depth} layers; a network read from text has at most "
            f"{network.MAX_TEXT_DEPTH} (symdl.core.network.MAX_TEXT_DEPTH; to raise it, set it in "
            "Python before reading)"
        )


def _row(value: Any, where: str, width: int | None) -> list[Any]:
    """A list of numbers (a row of a weight matrix, a bias), of ``width`` entries if given."""
    if not isinstance(value, list):
        raise ValueError(f"{where} = {_shown(value)}: expected a list of numbers")
    if width is not None and len(value) != width:
        raise ValueError(
            f"{where} has {len(value)} entries, but the rows before it have {width}: the rows "
            "of a weight matrix have different lengths (one number per input of the layer)"
        )
    return value


def _json_layers(data: Any, path: Path) -> tuple[list[Any], list[Any], Any]:
    """The weights, biases and activations of a JSON file, their shapes checked."""
    if not isinstance(data, dict) or "weights" not in data or "biases" not in data:
        raise ValueError(f"{path}: expected an object with 'weights' and 'biases' lists")
    weights, biases = data["weights"], data["biases"]
    for key, value in (("weights", weights), ("biases", biases)):
        if not isinstance(value, list) or not value:
            raise ValueError(
                f"{path}: {key} = {_shown(value)}: expected a list with one entry per layer "
                '(e.g. "weights": [[[1, 2], [3, 4]], [[1, 1]]], "biases": [[0, 0], [0]])'
            )
    if len(weights) != len(biases):
        raise ValueError(f"{path}: {len(weights)} weight matrices but {len(biases)} biases")
    _check_depth(len(weights), path)
    for l, W in enumerate(weights):
        where = f"weights[{l}]"
        if not isinstance(W, list) or not W or not all(isinstance(row, list) for row in W):
            raise ValueError(
                f"{where} = {_shown(W)}: a weight matrix is a list of rows, each a list of "
                "numbers (one row per unit of the layer, one number per input), e.g. [[1, 2]]"
            )
        for j, row in enumerate(W):
            _row(row, f"{where}[{j}]", len(W[0]))
        b = biases[l]
        if isinstance(b, list) and all(isinstance(v, list) and len(v) == 1 for v in b):
            biases[l] = b = [v[0] for v in b]  # a column written as rows of one number
        _row(b, f"biases[{l}]", None)
        if len(b) != len(W):
            raise ValueError(
                f"biases[{l}] has {len(b)} entries but weights[{l}] has {len(W)} rows: one "
                "bias per unit of the layer"
            )
    read_layer_sizes([len(weights[0][0]), *(len(b) for b in biases)], name=f"{path}: sizes")
    numbers_w = [
        [[_number(v, f"weights[{l}][{j}][{k}]") for k, v in enumerate(row)] for j, row in
         enumerate(W)]
        for l, W in enumerate(weights)
    ]  # fmt: skip
    numbers_b = [
        [_number(v, f"biases[{l}][{j}]") for j, v in enumerate(b)] for l, b in enumerate(biases)
    ]
    return numbers_w, numbers_b, data.get("activations")


def _npz_header(archive: zipfile.ZipFile, member: str, path: Path) -> tuple[int, ...]:
    """The shape of one array of an archive, read from its header without unpacking it."""
    info = archive.getinfo(member)
    if info.file_size > MAX_FILE_BYTES:
        raise ValueError(
            f"{path}: the array {member} unpacks to {info.file_size:,} bytes; at most "
            f"{MAX_FILE_BYTES:,} are read ({_raise_it('MAX_FILE_BYTES')})"
        )
    with archive.open(info) as file:
        version = np.lib.format.read_magic(file)
        if version == (1, 0):
            shape, _, dtype = np.lib.format.read_array_header_1_0(file)
        elif version == (2, 0):
            shape, _, dtype = np.lib.format.read_array_header_2_0(file)
        else:
            raise ValueError(f"{path}: the array {member} has the .npy version {version}")
    count = math.prod(shape)
    if dtype.kind not in "iufU" or count * dtype.itemsize > MAX_FILE_BYTES:
        raise ValueError(
            f"{path}: the array {member} ({count:,} entries of {dtype}) is not an array of "
            f"numbers or names of at most {MAX_FILE_BYTES:,} bytes "
            f"({_raise_it('MAX_FILE_BYTES')})"
        )
    return tuple(shape)


def _npz_layers(path: Path) -> tuple[list[Any], list[Any], Any]:
    """The weights, biases and activations of a ``.npz`` archive, every array bounded first."""
    with zipfile.ZipFile(path) as archive:
        members = archive.namelist()
        if len(members) > MAX_ARRAYS:
            raise ValueError(
                f"{path}: {len(members):,} arrays; at most {MAX_ARRAYS} are read "
                f"({_raise_it('MAX_ARRAYS')})"
            )
        names = {member.removesuffix(".npy"): member for member in members}
        depth = sum(1 for key in names if key.startswith("W"))
        missing = [k for l in range(1, depth + 1) for k in (f"W{l}", f"b{l}") if k not in names]
        if not depth or missing:
            raise ValueError(f"{path}: needs arrays W1, b1, W2, b2, ...; missing {missing}")
        _check_depth(depth, path)
        shapes = {
            key: _npz_header(archive, member, path)
            for key, member in names.items()
            if key == "activations" or key[:1] in "Wb"
        }
    for l in range(1, depth + 1):
        W, b = shapes[f"W{l}"], shapes[f"b{l}"]
        if len(W) not in (1, 2) or len(b) not in (1, 2) or (len(b) == 2 and b[1] != 1):
            raise ValueError(
                f"{path}: W{l} has shape {W} and b{l} shape {b}; expected a matrix (units, "
                "inputs) and a vector (units,)"
            )
    first = shapes["W1"]
    sizes = [first[1] if len(first) == 2 else first[0], *(shapes[f"b{l}"][0] for l in
             range(1, depth + 1))]  # fmt: skip
    read_layer_sizes(sizes, name=f"{path}: sizes")
    with np.load(path, allow_pickle=False) as archive:
        weights = [np.atleast_2d(archive[f"W{l}"]) for l in range(1, depth + 1)]
        biases = [np.atleast_1d(archive[f"b{l}"]).reshape(-1) for l in range(1, depth + 1)]
        activations = [str(a) for a in archive["activations"]] if "activations" in archive else None
    return weights, biases, activations


def load_network(path: Path, floats: FloatConversion) -> Network:
    """Read a network from a ``.json`` or ``.npz`` file (format in the module docstring).

    Everything is bounded before it is built: the file's size, every number written as text,
    every array of an archive (read from its header before it is unpacked), and the network's
    widths, depth and number of parameters (:func:`symdl.core.network.read_layer_sizes`).
    """
    path = Path(path)
    if path.suffix not in (".json", ".npz"):
        raise ValueError(f"{path}: unknown file type {path.suffix!r}; accepted: .json, .npz")
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise ValueError(
            f"{path}: {size:,} bytes; a file of weights has at most {MAX_FILE_BYTES:,} "
            f"({_raise_it('MAX_FILE_BYTES')})"
        )
    if path.suffix == ".json":
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except RecursionError:
            raise ValueError(
                f"{path}: lists nested too deeply; a weight matrix is a list of rows of numbers "
                "(three levels in 'weights', two in 'biases')"
            ) from None
        except ValueError as error:  # not JSON, or an integer too long to read
            raise ValueError(f"{path}: {error}") from None
        weights, biases, activations = _json_layers(data, path)
    else:
        try:
            weights, biases, activations = _npz_layers(path)
        except zipfile.BadZipFile as error:
            raise ValueError(f"{path}: not a .npz archive ({error})") from None
    first = weights[0]
    n_in = len(first[0]) if isinstance(first, list) else first.shape[1]
    sizes = [n_in, *(len(b) for b in biases)]
    if activations is None:
        activations = ["relu"] * (len(weights) - 1) + ["identity"]
    if not isinstance(activations, list) or not all(isinstance(a, str) for a in activations):
        raise ValueError(
            f"{path}: activations = {_shown(activations)}: give a list of names, one per layer"
        )
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
        print(_text(result))
    return 0


def _text(result: dict[str, Any]) -> str:
    """The count in words and the lecture's notation."""
    widths = ", ".join(str(w) for w in result["widths"]) or "none"
    n0 = result["inputs"]
    lines = [f"a ReLU network with {n0} input{'s' * (n0 > 1)} and hidden widths {widths}"]
    if n0 == 1:
        lines.append(
            f"{result['pieces']} linear pieces on ℝ, {result['regions']} activation regions"
        )
        bound = result["serra_upper_bound"]
        lines.append(
            f"at most ∏ₗ (nₗ + 1) = {bound} regions (Serra, Tjandraatmadja and "
            "Ramalingam 2018, for one input)"
        )
        return "\n".join(lines)
    where = result["counted_in"].replace("-", "−").replace("]^2", "]²")
    drawn = result["drawn_in"].replace("-", "−").replace("]^2", "]²")
    lines.append(f"{result['regions']} linear regions in {where} (drawn in {drawn})")
    if "zaslavsky_bound" in result:
        n = result["widths"][0]
        terms = " + ".join(str(math.comb(n, j)) for j in range(3))
        lines.append(
            f"at most {terms} = {result['zaslavsky_bound']} regions: {n} lines in general "
            "position cut the plane into that many (Zaslavsky 1975)"
        )
    return "\n".join(lines)
