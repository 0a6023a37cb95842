"""The documentation site: it builds with -W, ships MathJax, and its equations are typeset.

The browser test opens the built backprop page in headless Chromium (Debian's ``chromium``)
and reads the DOM after MathJax has run: every math element of the page must have become a
typeset ``mjx-container``, with no MathJax error node.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

DOCS = Path(__file__).parent.parent / "docs"
MATHJAX = DOCS / "node_modules" / "mathjax" / "es5" / "tex-svg-full.js"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def require(present: bool, what: str, install: str) -> None:
    """Fail in CI (where it must be installed), skip elsewhere, when ``what`` is missing."""
    if present:
        return
    if os.environ.get("CI"):
        pytest.fail(f"{what} is missing in CI: {install}")
    pytest.skip(f"{what} is not installed ({install})")


def sphinx_build(
    out: Path, *extra: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sphinx", "-W", "-q", "-b", "html", *extra, str(DOCS), str(out)],
        capture_output=True,
        text=True,
        env=env,
        timeout=900,
        check=False,
    )


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The documentation built with -W (warnings are errors).

    ``SYMDL_DOCS_HTML`` names a site already built by ``sphinx-build -W -b html docs DIR``
    (as CI does), so that it is not built twice; without it the site is built here.
    """
    built = os.environ.get("SYMDL_DOCS_HTML")
    if built:
        return Path(built).resolve()
    require(MATHJAX.is_file(), "MathJax", "run `npm ci --prefix docs`")
    out = tmp_path_factory.mktemp("html")
    build = sphinx_build(out)
    assert build.returncode == 0, build.stderr
    return out


def test_the_build_stops_when_mathjax_is_missing(tmp_path: Path) -> None:
    env = dict(os.environ, SYMDL_MATHJAX=str(tmp_path / "absent" / "tex-svg-full.js"))
    build = sphinx_build(tmp_path / "html", env=env)
    assert build.returncode != 0
    assert "MathJax is missing" in build.stderr
    assert "npm ci --prefix docs" in build.stderr


@pytest.mark.slow
def test_the_site_ships_mathjax_and_asks_no_cdn(site: Path) -> None:
    page = (site / "theory" / "backprop.html").read_text()
    assert (site / "_static" / "tex-svg-full.js").stat().st_size > 1_000_000
    assert 'src="../_static/tex-svg-full.js' in page
    assert "cdn.jsdelivr" not in page
    # no page loads anything from the network: scripts, styles and images are all local
    external = re.compile(r'<(?:script|link|img)[^>]*(?:src|href)="(?:https?:)?//', re.I)
    assert external.search('<script defer src="https://cdn.jsdelivr.net/npm/mathjax@4">')
    pages = list(site.rglob("*.html"))
    assert len(pages) >= 10
    assert [p.name for p in pages if external.search(p.read_text())] == []


def typeset(page: Path, profile: Path) -> str:
    """The page's DOM after MathJax has run in headless Chromium."""
    run = subprocess.run(
        [
            shutil.which("chromium") or "chromium",
            *CHROMIUM_FLAGS,
            f"--user-data-dir={profile}",
            "--virtual-time-budget=30000",
            "--dump-dom",
            page.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    return run.stdout


@pytest.mark.slow
@pytest.mark.browser
def test_equations_on_the_backprop_page_are_typeset(site: Path, tmp_path: Path) -> None:
    require(shutil.which("chromium") is not None, "chromium", "apt-get install chromium")
    page = site / "theory" / "backprop.html"
    source = page.read_text()
    math = len(re.findall(r'class="math notranslate nohighlight"', source))
    assert math >= 20  # the page's own formulas and the derivation computed at build time
    dom = typeset(page, tmp_path / "profile")
    assert dom.count("<mjx-container") == math
    assert dom.count('<g data-mml-node="merror"') == 0
    assert "\\(" not in dom.split("<body", 1)[1]  # no raw inline LaTeX left
    # the derivation's BP2 step is there, typeset as SVG
    assert dom.count("<svg") >= math
