"""The documentation site as a reader meets it.

The command-line reference describes every option of every command; the API is one page per
part of the package, without SymPy's inherited docstrings; every page links to the previous
and the next one; the install command is the same wherever it is given; no page names a file
that the repository does not hold; the region figures show every region; a wide display
fits the width of the text.

Tests marked ``slow`` read the built site: ``SYMDL_DOCS_HTML`` names one already built by
``sphinx-build -W -b html docs DIR``; without it the site is built here (a few minutes).
"""

from __future__ import annotations

import argparse
import html
import importlib
import io
import os
import pkgutil
import re
import shutil
import subprocess
import sys
import types
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).parent.parent
DOCS = ROOT / "docs"
MATHJAX = DOCS / "node_modules" / "mathjax" / "es5" / "tex-svg-full.js"
SUBPACKAGES = [
    "core", "referee", "backpropagation", "grading", "depth", "approximation", "optimization",
    "architectures", "publish",
]  # fmt: skip


def require(present: bool, what: str, install: str) -> None:
    """Fail in CI (where it must be installed), skip elsewhere, when ``what`` is missing."""
    if present:
        return
    if os.environ.get("CI"):
        pytest.fail(f"{what} is missing in CI: {install}")
    pytest.skip(f"{what} is not installed ({install})")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The documentation built with -W (warnings are errors)."""
    built = os.environ.get("SYMDL_DOCS_HTML")
    if built:
        return Path(built).resolve()
    require(MATHJAX.is_file(), "MathJax", "run `npm ci --prefix docs`")
    out = tmp_path_factory.mktemp("html")
    build = subprocess.run(
        [sys.executable, "-m", "sphinx", "-W", "-q", "-b", "html", str(DOCS), str(out)],
        capture_output=True,
        text=True,
        timeout=1200,
        check=False,
    )
    assert build.returncode == 0, build.stderr
    return out


def text_of(page: str) -> str:
    """A page's text as a reader sees it: no tags, entities decoded, spaces collapsed."""
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    blocks = r"</?(?:p|div|dl|dt|dd|li|ul|ol|h\d|pre|br|tr|td|th|section|nav|table)\b[^>]*>"
    body = re.sub(blocks, " ", body)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", body)).split())


# --- the command line -------------------------------------------------------------------------


def subcommand_parsers() -> dict[str, argparse.ArgumentParser]:
    """Every subcommand's parser, as ``symdl`` itself builds it."""
    from symdl.cli import build_parser

    parser = build_parser()
    (sub,) = (a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(sub.choices)


def test_every_option_of_every_command_has_a_help_text() -> None:
    parsers = subcommand_parsers()
    assert {"prove", "derive", "check", "grade", "regions", "barron"} <= set(parsers)
    missing = [
        f"symdl {name} {action.option_strings or action.dest}"
        for name, parser in parsers.items()
        for action in parser._actions
        if not isinstance(action, argparse._HelpAction)
        and (not action.help or action.help == argparse.SUPPRESS)
    ]
    assert missing == []


def test_options_are_described_with_help_default_and_choices() -> None:
    from symdl.cli.documentation import describe_options

    parser = argparse.ArgumentParser(prog="symdl demo")
    parser.add_argument("problem", help="the problem file")
    parser.add_argument("--time-limit", "--timeout", type=float, default=60.0, metavar="SECONDS",
                        help="stop after this long")  # fmt: skip
    parser.add_argument("--k", type=int, default=12, help="compositions (default %(default)s)")
    parser.add_argument("--form", choices=["a", "b"], default="a", help="which network")
    parser.add_argument("--only", action="append", metavar="NAME", help="this one only")
    parser.add_argument("--sizes", nargs="+", type=int, help="layer sizes")
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.add_argument("--quiet", action="store_true")
    described = {option.names[0]: option for option in describe_options(parser)}
    assert list(described) == [
        "problem", "--time-limit", "--k", "--form", "--only", "--sizes", "--json", "--quiet",
    ]  # fmt: skip
    assert described["problem"].signature == "problem"
    assert described["problem"].default is None
    limit = described["--time-limit"]
    assert limit.signature == "--time-limit SECONDS, --timeout SECONDS"
    assert (limit.help, limit.default) == ("stop after this long", "60")
    # a help that states the default already is not followed by a second statement
    assert (described["--k"].help, described["--k"].default) == ("compositions (default 12)", None)
    form = described["--form"]
    assert (form.signature, form.default, form.choices) == ("--form {a,b}", "a", ("a", "b"))
    assert described["--only"].signature == "--only NAME"
    assert described["--sizes"].signature == "--sizes SIZES [SIZES ...]"
    assert (described["--json"].signature, described["--json"].default) == ("--json", None)
    assert described["--quiet"].help == ""


def build_commands_page(tmp_path: Path) -> tuple[str, str]:
    """A one-page project with ``symdl-commands``, built in this process: HTML and warnings."""
    from sphinx.testing.util import SphinxTestApp
    from sphinx.util.console import strip_escape_sequences

    source = tmp_path / "project"
    source.mkdir()
    (source / "conf.py").write_text('extensions = ["symdl.sphinxext"]\n')
    (source / "index.rst").write_text(
        "Commands\n========\n\nSee :option:`symdl derive --latex`.\n\n.. symdl-commands::\n"
    )
    warnings = io.StringIO()
    app = SphinxTestApp("html", srcdir=source, status=io.StringIO(), warning=warnings)
    try:
        app.build()
    finally:
        app.cleanup()
    page = (source / "_build" / "html" / "index.html").read_text()
    return page, strip_escape_sequences(warnings.getvalue())


def option_entry(page: str, program: str, name: str) -> str:
    """The text of one option's description on the page, found by its anchor."""
    anchor = "cmdoption-" + re.sub(r"[^a-z0-9]+", "-", f"{program} {name}".lower()).strip("-")
    if not name.startswith("-"):
        anchor = "cmdoption-" + re.sub(r"[^a-z0-9]+", "-", f"{program} arg {name}".lower())
    start = page.find(f'id="{anchor}"')
    assert start >= 0, f"no description of {program} {name} (anchor {anchor})"
    return text_of(page[start : page.index("</dl>", start)])


def check_commands_page(page: str) -> None:
    """Every option of every command is on ``page`` with its help, default and choices."""
    for name, parser in subcommand_parsers().items():
        program = f"symdl {name}"
        assert f'id="symdl-{name}"' in page  # the command's section
        usage = parser.format_usage().removeprefix("usage: ").split()
        assert " ".join(usage) in text_of(page)
        for action in parser._actions:
            if isinstance(action, argparse._HelpAction):
                continue
            entry = option_entry(page, program, (action.option_strings or [action.dest])[0])
            # argparse's own expansion of the help's fields (%(default)s)
            words = " ".join(parser._get_formatter()._expand_help(action).split())
            assert words[1:] in entry, (program, action.dest)  # the first letter is a capital
            for option in action.option_strings:
                assert option in entry
            for choice in action.choices or ():
                assert f"{choice}" in entry
            takes_value = action.nargs != 0 and action.option_strings
            if takes_value and action.default is not None and "default" not in action.help:
                shown = action.default
                if isinstance(shown, float) and shown.is_integer():
                    shown = int(shown)
                assert f"Default: {shown}." in entry, (program, action.dest)


@pytest.mark.slow
def test_the_commands_page_describes_every_option(tmp_path: Path) -> None:
    page, warnings = build_commands_page(tmp_path)
    assert warnings == ""
    check_commands_page(page)
    # the options are link targets: the page's :option: role resolved
    assert 'href="#cmdoption-symdl-derive-latex"' in page
    # help texts are shown as written: no en dash made of an option's two hyphens
    assert "\u2013" not in text_of(page).replace("Robbins\u2013Monro", "")


@pytest.mark.slow
def test_an_option_without_help_is_a_build_warning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import symdl.cli

    def configure(parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--depth", type=int, default=3)

    command = types.ModuleType("symdl.cli.demo")
    command.NAME, command.HELP = "demo", "a command written in a hurry"  # type: ignore[attr-defined]
    command.configure = configure  # type: ignore[attr-defined]
    monkeypatch.setattr(symdl.cli, "COMMANDS", (command,))
    page, warnings = build_commands_page(tmp_path)
    assert "the option --depth DEPTH of symdl demo has no help text" in warnings
    assert "Default: 3." in option_entry(page, "symdl demo", "--depth")


# --- the install command ----------------------------------------------------------------------


def install_commands(text: str) -> list[str]:
    """The commands that install symdl itself (``pip install`` of the checkout)."""
    found = re.findall(r"(python -m pip install -e \S+|pip install [^\n#&]*)", text)
    return [" ".join(command.split()) for command in found if "." in command.split()[-1]]


def test_one_install_command_everywhere() -> None:
    pages = {
        "README.md": (ROOT / "README.md").read_text(),
        "docs/index.rst": (DOCS / "index.rst").read_text(),
        "docs/tutorial.rst": (DOCS / "tutorial.rst").read_text(),
    }
    found = {name: install_commands(text) for name, text in pages.items()}
    # the first one each page gives is the one that installs symdl, and it is the same
    assert {commands[0] for commands in found.values()} == {"python -m pip install -e ."}
    # and every other one (with the test tools) is one that the README gives too
    for commands in found.values():
        assert set(commands) <= set(found["README.md"])
    assert 'python -m pip install -e ".[test,docs]"' in found["docs/tutorial.rst"]


# --- the API pages ----------------------------------------------------------------------------


@pytest.mark.parametrize("package", SUBPACKAGES)
def test_the_api_is_one_page_per_part_of_the_package(package: str) -> None:
    page = (DOCS / "api" / f"{package}.rst").read_text()
    listed = re.findall(r"^\.\. automodule:: (\S+)", page, flags=re.M)
    documented = set(listed)
    assert len(listed) == len(documented), "a module is documented twice"
    module = importlib.import_module(f"symdl.{package}")
    modules = {
        f"symdl.{package}.{info.name}"
        for info in pkgutil.iter_modules(module.__path__)
        if not info.name.startswith("_")
    }
    assert documented == {f"symdl.{package}", *modules}
    assert f"api/{package}" in (DOCS / "api.rst").read_text()


def sympy_docstrings() -> set[str]:
    """The first line of the docstring of every method that SymPy's base classes define."""
    import sympy

    first = set()
    for cls in (sympy.Basic, sympy.Expr, sympy.Function, sympy.Symbol, sympy.MatrixBase):
        for name in dir(cls):
            doc = getattr(getattr(cls, name, None), "__doc__", None) or ""
            line = next((ln.strip() for ln in doc.splitlines() if ln.strip()), "")
            if len(line) > 30:
                first.add(" ".join(line.split()))
    return first


@pytest.mark.slow
def test_the_api_pages_hold_no_inherited_sympy_docstring(site: Path) -> None:
    inherited = sympy_docstrings()
    assert "Returns a canonical form of cls applied to arguments args." in inherited
    pages = sorted((site / "api").glob("*.html"))
    assert len(pages) == len(SUBPACKAGES) + 1  # and the command line's
    for page in pages:
        text = text_of(page.read_text())
        assert [line for line in inherited if line in text] == [], page.name
        assert page.stat().st_size < 800_000, page.name  # no page of the whole API at once


# --- navigation and references ----------------------------------------------------------------


def links(page: str) -> dict[str, str]:
    """The previous and next links of a page's top bar."""
    bar = page[page.index('<div class="related top">') :]
    bar = bar[: bar.index("</nav>")]
    found = re.findall(r'<a href="([^"]+)" title="(Previous|Next) document"', bar)
    return {kind: href for href, kind in found}


@pytest.mark.slow
def test_every_page_links_to_the_previous_and_the_next(site: Path) -> None:
    # follow the next links from the start: every page of the site, once, in order
    seen = ["index.html"]
    while True:
        here = site / seen[-1]
        page = here.read_text()
        assert page.count('<nav id="rellinks">') == 2, seen[-1]  # above and below the text
        following = links(page).get("Next")
        if following is None:
            break
        target = (here.parent / following).resolve().relative_to(site.resolve()).as_posix()
        back = links((site / target).read_text()).get("Previous")
        assert back is not None
        assert (site / target).parent.joinpath(back).resolve() == here.resolve()
        assert target not in seen
        seen.append(target)
    generated = {"genindex.html", "search.html", "py-modindex.html"}
    pages = {
        p.relative_to(site).as_posix()
        for p in site.rglob("*.html")
        if not p.relative_to(site).parts[0].startswith("_") and p.name not in generated
    }
    assert set(seen) == pages
    assert "theory/lecture.html" in seen
    assert seen.index("theory/lecture.html") == seen.index("theory/landscape.html") + 1


@pytest.mark.slow
def test_no_page_names_a_file_the_repository_does_not_hold(site: Path) -> None:
    named: dict[str, set[str]] = {}
    for page in site.rglob("*.html"):
        if page.relative_to(site).parts[0].startswith("_"):
            continue
        text = text_of(page.read_text())
        for name in re.findall(r"\b[A-Z][A-Z_]+\.(?:md|txt|rst)\b", text):
            named.setdefault(name, set()).add(page.name)
        assert "(REFERENCE)" not in text
    assert {name: pages for name, pages in named.items() if not (ROOT / name).exists()} == {}


@pytest.mark.slow
def test_the_commands_page_of_the_site(site: Path) -> None:
    check_commands_page((site / "cli.html").read_text())


@pytest.mark.slow
def test_general_width_indices_sit_under_their_superscript(site: Path) -> None:
    page = (site / "theory" / "backprop.html").read_text()
    assert re.findall(r"\{\\?[a-z]+\^\{[^{}]*\}\}_\{", page) == []


# --- figures: every region visible ------------------------------------------------------------


def region_pixels(figure: object, count: int) -> list[int]:
    """For each of the first ``count`` patches (the regions, in order), the most pixels of
    its own colour in any one panel of the figure drawn at its dpi."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    canvas = FigureCanvasAgg(figure)  # type: ignore[arg-type]
    canvas.draw()
    image = np.asarray(canvas.buffer_rgba())
    height = image.shape[0]
    best = [0] * count
    for ax in figure.axes:  # type: ignore[attr-defined]
        box = ax.get_window_extent()
        inside = image[
            int(height - box.y1) + 1 : int(height - box.y0) - 1,
            int(box.x0) + 1 : int(box.x1) - 1,
        ]
        for i, patch in enumerate(ax.patches[:count]):
            colour = np.round(np.array(patch.get_facecolor()) * 255).astype(np.uint8)
            best[i] = max(best[i], int(np.all(inside == colour, axis=-1).sum()))
    return best


def polygon_area(points: list[tuple[float, float]]) -> float:
    ends = points[1:] + points[:1]
    return abs(sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(points, ends, strict=True))) / 2


def clip(points: list[tuple[float, float]], x0: float, x1: float, y0: float, y1: float) -> list:
    """The part of a convex polygon inside a rectangle (Sutherland–Hodgman)."""
    edges: list[Callable[[tuple[float, float]], float]] = [
        lambda p: p[0] - x0, lambda p: x1 - p[0], lambda p: p[1] - y0, lambda p: y1 - p[1],
    ]  # fmt: skip
    for inside in edges:
        out = []
        for a, b in zip(points, points[1:] + points[:1], strict=True):
            if inside(a) >= 0:
                out.append(a)
            if (inside(a) >= 0) != (inside(b) >= 0):
                t = inside(a) / (inside(a) - inside(b))
                out.append((a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])))
        points = out
        if not points:
            return []
    return points


def largest_pixel_areas(figure: object, regions: list) -> list[float]:
    """For each region, its largest area, in square pixels at the figure's dpi, in any one
    panel: its vertices taken to the screen by the panel's own transform, then cut to the
    panel."""
    figure.canvas.draw()  # type: ignore[attr-defined]
    best = [0.0] * len(regions)
    for ax in figure.axes:  # type: ignore[attr-defined]
        box = ax.get_window_extent()
        for i, region in enumerate(regions):
            screen = ax.transData.transform([[float(x), float(y)] for x, y in region.vertices])
            part = clip([tuple(p) for p in screen], box.x0, box.x1, box.y0, box.y1)
            best[i] = max(best[i], polygon_area(part) if part else 0.0)
    return best


def eleven_regions() -> list:
    """The figure of the depth page: four lines in general position, 11 regions."""
    from symdl import Network
    from symdl.depth.regions import regions_2d

    net = Network.mlp(
        [2, 4, 1],
        ["relu", "identity"],
        weights=[[[1, 1], [1, 2], [1, 3], [1, 4]], [[1, 1, 1, 1]]],
        biases=[[-1, -4, -9, -16], [0]],
    )
    return regions_2d(net)


def test_every_region_of_the_depth_figure_is_visible() -> None:
    from symdl.depth.regions import plot_regions

    regions = eleven_regions()
    # the three bounded triangles, (-2,3) (-3,4) (-6,5) among them, are of area 1, 1 and 2
    bounded = sorted(r.area() for r in regions if max(abs(v) for p in r.vertices for v in p) < 20)
    assert bounded == [1, 1, 2]
    figure = plot_regions(regions, title="11 linear regions")
    pixels = region_pixels(figure, len(regions))
    assert min(pixels) >= 200, pixels  # at least a 14-pixel square of its colour, at 100 dpi
    areas = largest_pixel_areas(figure, regions)
    assert min(areas) >= 200, areas
    assert len(figure.axes) == 2  # the whole plane, and one closer view


def test_tiny_regions_at_the_edge_of_a_window_get_a_closer_view() -> None:
    from symdl.depth.montufar import folding_network
    from symdl.depth.regions import plot_regions, regions_2d, regions_in_window

    regions = regions_in_window(regions_2d(folding_network([4, 4])), (0, 1, 0, 1))
    assert len(regions) == 44
    # four of them have area 1/10752, one 10752th of the square: a speck in the whole view
    assert sorted(r.area() for r in regions)[:4] == [Fraction(1, 10752)] * 4
    figure = plot_regions(regions)
    areas = largest_pixel_areas(figure, regions)
    assert min(areas) >= 150, sorted(areas)[:6]
    assert figure.axes[0].get_title() == "all 44 regions"


def test_a_figure_whose_regions_are_all_large_has_one_panel() -> None:
    from symdl import Network
    from symdl.depth.regions import plot_regions, regions_2d

    net = Network.mlp([2, 2, 1], ["relu", "identity"], weights=[[[1, 0], [0, 1]], [[1, 1]]],
                      biases=[[0, 0], [0]])  # fmt: skip
    figure = plot_regions(regions_2d(net, box=1), title="quadrants")
    assert [ax.get_title() for ax in figure.axes] == ["quadrants"]


# --- wide displays fit the text ---------------------------------------------------------------

MEASURE = r"""
<script>
window.addEventListener('load', function () {
  MathJax.startup.promise.then(function () {
    var rows = [];
    document.querySelectorAll('mjx-container[display="true"] > svg').forEach(function (svg) {
      var room = svg.parentElement.parentElement.getBoundingClientRect().width;
      var shown = svg.getBoundingClientRect().width;
      svg.style.maxWidth = 'none';
      var natural = svg.getBoundingClientRect().width;
      svg.style.maxWidth = '';
      rows.push([room, shown, natural].map(Math.round).join(','));
    });
    var pre = document.createElement('pre');
    pre.id = 'measured';
    pre.textContent = rows.join(';');
    document.body.appendChild(pre);
  });
});
</script>
"""


def measure_displays(page: Path, profile: Path) -> list[tuple[int, int, int]]:
    """(room, shown width, natural width) of each display of ``page`` in headless Chromium."""
    probe = page.with_name("_measure_" + page.name)
    probe.write_text(page.read_text().replace("</body>", MEASURE + "</body>"))
    try:
        run = subprocess.run(
            [
                shutil.which("chromium") or "chromium",
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--window-size=1280,900",
                f"--user-data-dir={profile}",
                "--virtual-time-budget=60000",
                "--dump-dom",
                probe.as_uri(),
            ],
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
    finally:
        probe.unlink()
    found = re.search(r'<pre id="measured">(.*?)</pre>', run.stdout, flags=re.S)
    assert found, run.stderr[-2000:]
    rows = [row.split(",") for row in found.group(1).split(";") if row]
    return [(int(a), int(b), int(c)) for a, b, c in rows]


@pytest.fixture
def writable_site(site: Path, tmp_path: Path) -> Path:
    """A copy of the site, into which a measuring page may be written."""
    copy = tmp_path / "site"
    shutil.copytree(site, copy)
    return copy


@pytest.mark.slow
@pytest.mark.browser
def test_wide_derivations_fit_the_width_of_the_text(writable_site: Path, tmp_path: Path) -> None:
    require(shutil.which("chromium") is not None, "chromium", "apt-get install chromium")
    displays = measure_displays(writable_site / "theory" / "backprop.html", tmp_path / "p")
    assert len(displays) >= 10
    # some display is wider than the text, and is scaled down to fit it, still legible
    assert any(natural > room for room, _, natural in displays)
    for room, shown, natural in displays:
        assert abs(shown - min(natural, room)) <= 1  # as wide as it is, or as the text
        assert shown >= 0.55 * natural  # scaled by at most 0.55
