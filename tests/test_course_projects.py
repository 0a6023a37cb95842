"""The example course projects of ``docs/examples/`` build with ``-W``, as a course builds them.

Each is a small course using symdl's directives: plain Sphinx (``course_sphinx``), MyST
Markdown (``course_myst``) and the Sphinx-based Jupyter Book (``course_jupyter_book``).  The
MyST and Jupyter Book courses ship MathJax (``symdl_offline_math = True``) from their
``node_modules``: here that of the documentation (``npm ci --prefix docs``).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from sphinx.cmd.build import build_main

ROOT = Path(__file__).parent.parent
EXAMPLES = ROOT / "docs" / "examples"
MATHJAX = ROOT / "docs" / "node_modules"
STYLE_SHEET = ROOT / "symdl" / "publish" / "static" / "symdl-directives.css"


@pytest.fixture
def isolated_imports(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Undo what a course's conf.py does to sys.path, and forget its proof modules."""
    monkeypatch.setattr(sys, "path", list(sys.path))
    yield
    for name in [name for name in sys.modules if name.split(".")[0] == "course_proofs"]:
        del sys.modules[name]


def course(tmp_path: Path, name: str) -> Path:
    """A copy of the example course ``name``, with MathJax installed if it asks for it."""
    source = tmp_path / name
    shutil.copytree(EXAMPLES / name, source)
    if (source / "package.json").exists():
        if not (MATHJAX / "mathjax" / "es5" / "tex-svg-full.js").is_file():
            pytest.skip("MathJax is not installed: run `npm ci --prefix docs`")
        (source / "node_modules").symlink_to(MATHJAX, target_is_directory=True)
    return source


def sphinx_build(source: Path) -> tuple[int, str, Path]:
    """``sphinx-build -W -b html``: its exit status, its warnings and the output folder."""
    out = source / "_build" / "html"
    warnings = source / "warnings.txt"
    status = build_main(["-W", "-q", "-b", "html", "-w", str(warnings), str(source), str(out)])
    return status, warnings.read_text(), out


def pages(out: Path) -> list[str]:
    """The pages of a built site (not the theme's HTML templates among its static files)."""
    found = out.rglob("*.html")
    return sorted(path.relative_to(out).as_posix() for path in found if "_static" not in path.parts)


def check_the_course_pages(out: Path, *, page: str) -> str:
    """What every example shows, on its page of directives: the HTML of that page."""
    html = (out / page).read_text()
    # the style sheet ships with the extension and is linked from the page
    assert (out / "_static" / "symdl-directives.css").read_bytes() == STYLE_SHEET.read_bytes()
    assert re.search(r'<link [^>]*href="_static/symdl-directives\.css', html)
    # the derivation is computed, to the gradient of the 1-1 sigmoid network's weight
    (derivation,) = re.findall(
        r'<div class="symdl-derivation docutils container">(.*?)</div>\s*</section>', html, re.S
    )
    assert r"\frac{\partial C}{\partial w^{(1)}_{11}}" in derivation
    assert r"\sigma\left(z^{(1)}_{1}\right)" in derivation
    return html


def check_math_offline(out: Path, html: str) -> None:
    """MathJax is shipped and loaded from the site, and nothing of node_modules is a page."""
    script = out / "_static" / "tex-svg-full.js"
    assert script.read_bytes() == (MATHJAX / "mathjax" / "es5" / "tex-svg-full.js").read_bytes()
    assert re.search(r'<script [^>]*src="_static/tex-svg-full\.js', html)
    assert "cdn.jsdelivr" not in html
    assert not (out / "node_modules").exists()
    assert not list(out.glob("**/README.html"))


@pytest.mark.usefixtures("isolated_imports")
def test_the_plain_sphinx_course_builds(tmp_path: Path) -> None:
    status, warnings, out = sphinx_build(course(tmp_path, "course_sphinx"))
    assert (status, warnings) == (0, "")
    html = check_the_course_pages(out, page="neuron.html")
    # the two gradient checks: the right answer, and the one that forgets the factor 2
    assert '<p class="symdl-verdict symdl-equivalent"><strong>Equivalent</strong>' in html
    assert '<p class="symdl-verdict symdl-different"><strong>Different</strong>' in html
    assert "1/2 times the gradient" in html
    # symdl's own XOR proof, verified
    assert '<div class="symdl-proof symdl-passed docutils container">' in html
    assert re.search(r"Verified: (\d+) of \1 lemmas hold\.", html)


@pytest.mark.usefixtures("isolated_imports")
def test_the_myst_course_builds(tmp_path: Path) -> None:
    pytest.importorskip("myst_parser", reason="myst-parser is not installed (symdl[course])")
    status, warnings, out = sphinx_build(course(tmp_path, "course_myst"))
    assert (status, warnings) == (0, "")
    html = check_the_course_pages(out, page="neuron.html")
    check_math_offline(out, html)
    # the course's own proof: its reStructuredText statement typeset in a Markdown page
    assert "Verified: 2 of 2 lemmas hold." in html
    assert r"\(\sigma(z) = 1/(1 + e^{-z})\)" in html
    assert r"\sigma'(z) = \sigma(z)\,\bigl(1 - \sigma(z)\bigr) \le \frac{1}{4}," in html
    assert ":math:" not in html
    assert "Equivalent" in html
    assert "Different" in html
    # the pages are the course's, and no more
    assert pages(out) == [
        "genindex.html",
        "index.html",
        "neuron.html",
        "search.html",
    ]


def test_the_jupyter_book_course_builds(tmp_path: Path) -> None:
    pytest.importorskip(
        "jupyter_book", reason="jupyter-book (version 1) is not installed (symdl[course])"
    )
    source = course(tmp_path, "course_jupyter_book")
    command = "import sys; from jupyter_book.cli.main import main; sys.exit(main())"
    build = subprocess.run(
        [sys.executable, "-c", command, "build", "-W", "-q", str(source)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert build.returncode == 0, build.stdout + build.stderr
    assert "WARNING" not in build.stdout + build.stderr
    out = source / "_build" / "html"
    html = check_the_course_pages(out, page="neuron.html")
    check_math_offline(out, html)
    assert '<div class="symdl-proof symdl-passed docutils container">' in html
    # the notebook: its Markdown cell's gradient check, computed
    notebook = (out / "exercises.html").read_text()
    assert '<p class="symdl-verdict symdl-equivalent"><strong>Equivalent</strong>' in notebook
    assert r"\frac{\partial C}{\partial W^{(1)}}" in notebook
    # the pages are those of the table of contents, and no more
    assert pages(out) == [
        "exercises.html",
        "genindex.html",
        "index.html",
        "intro.html",
        "neuron.html",
        "search.html",
    ]


@pytest.mark.slow
def test_the_wheel_holds_the_style_sheet(tmp_path: Path) -> None:
    # a course installs symdl from its wheel: the extension's static files must be in it
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(ROOT)],
        check=True,
    )
    (wheel,) = tmp_path.glob("symdl-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        shipped = archive.read("symdl/publish/static/symdl-directives.css")
    assert shipped == STYLE_SHEET.read_bytes()
