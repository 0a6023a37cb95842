"""The layout: subpackages whose imports run downward only, old paths that still work, lazy
public names, and no function that hides a module."""

from __future__ import annotations

import ast
import importlib
import pkgutil
import subprocess
import sys
import warnings
import zipfile
from pathlib import Path

import pytest

import symdl
from symdl._legacy import MOVED

ROOT = Path(__file__).parent.parent
#: The subpackages from the bottom up: each may import only those before it.
LAYERS = [
    "core", "referee", "backpropagation", "grading", "depth", "approximation", "optimization",
    "architectures", "publish", "cli",
]  # fmt: skip


def _imports(path: Path) -> set[str]:
    """The symdl subpackages that the module at ``path`` imports (at any level)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("symdl."):
            found.add(node.module.split(".")[1])
        elif isinstance(node, ast.Import):
            found |= {a.name.split(".")[1] for a in node.names if a.name.startswith("symdl.")}
    return found


@pytest.mark.parametrize("layer", LAYERS)
def test_imports_run_downward_only(layer: str) -> None:
    allowed = set(LAYERS[: LAYERS.index(layer) + 1]) | {"_lazy", "_legacy"}
    for path in (ROOT / "symdl" / layer).glob("*.py"):
        upward = {p for p in _imports(path) if p in LAYERS} - allowed
        assert not upward, f"{path.name} imports {upward}, above {layer}"


def _module_graph() -> dict[str, set[str]]:
    """Module → the symdl modules it imports, anywhere in its text (type-checking blocks and
    imports inside functions included); a package's lazy ``__init__`` table is left out."""
    modules = {}
    for path in (ROOT / "symdl").rglob("*.py"):
        name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
        modules[name.removesuffix(".__init__")] = path
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        found: set[str] = set()
        if path.name != "__init__.py":
            for node in ast.walk(ast.parse(path.read_text())):
                if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("symdl"):
                    base = str(node.module)
                    found |= {
                        f"{base}.{a.name}" if f"{base}.{a.name}" in modules else base
                        for a in node.names
                    }
                elif isinstance(node, ast.Import):
                    found |= {a.name for a in node.names if a.name.startswith("symdl")}
        graph[name] = {m for m in found if m in modules and m != name}
    return graph


def _circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    circles = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while (w := stack.pop()) != v:
                component.append(w)
            if component:
                circles.append(sorted([v, *component]))

    for v in graph:
        if v not in index:
            visit(v)
    return circles


def test_the_circle_finder_finds_a_circle() -> None:
    assert _circles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_module_imports_one_that_imports_it_back() -> None:
    assert _circles(_module_graph()) == []


def test_the_numeric_evaluator_depends_on_core_alone() -> None:
    assert _imports(ROOT / "symdl" / "core" / "numeric.py") <= {"core"}


def test_every_public_name_of_before_is_still_importable_from_symdl() -> None:
    lines = (Path(__file__).parent / "public_names.txt").read_text().splitlines()
    names = [line for line in lines if line and not line.startswith("#")]
    assert len(names) > 150
    assert set(names) <= set(symdl.__all__)
    for name in names:
        assert getattr(symdl, name) is not None, name


@pytest.mark.parametrize("package", LAYERS[:-1])
def test_no_public_name_of_a_subpackage_hides_one_of_its_modules(package: str) -> None:
    module = importlib.import_module(f"symdl.{package}")
    modules = {info.name for info in pkgutil.iter_modules(module.__path__)}
    assert not modules & set(module.__all__)
    for name in module.__all__:
        assert getattr(module, name) is not None, name


def test_old_module_paths_warn_and_alias_the_new_modules() -> None:
    for old, new in sorted(MOVED.items(), key=lambda item: item[0].count(".")):  # parents first
        sys.modules.pop(old, None)
        with pytest.warns(DeprecationWarning, match=f"{old} has moved to {new}"):
            module = importlib.import_module(old)
        target = importlib.import_module(new)
        names = getattr(target, "__all__", None) or [
            n for n in ("run", "main") if hasattr(target, n)
        ]
        assert all(getattr(module, name) is getattr(target, name) for name in names)
    # importing the old module path symdl.backprop leaves symdl.backprop callable
    from symdl.backpropagation.reverse_mode import backprop
    from symdl.core.losses import LOSSES
    from symdl.core.network import Network

    net = Network.mlp([1, 1], "identity")
    assert symdl.backprop(net, LOSSES["mse"]).gradient == backprop(net, LOSSES["mse"]).gradient


def test_old_from_imports_keep_working() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        from symdl.gradcheck import check_gradient  # noqa: F401 (the old path)
        from symdl.parsing_names import Numbers  # noqa: F401


def test_import_symdl_loads_no_plotting_library_and_no_sphinx() -> None:
    code = (
        "import sys, symdl; "
        "print(sorted(m for m in ('matplotlib', 'sphinx', 'docutils', 'sympy') "
        "if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


@pytest.mark.slow
def test_a_wheel_built_from_the_tree_holds_every_subpackage(tmp_path: Path) -> None:
    # every folder of symdl/ with an __init__.py must be in the wheel, and the proofs too
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(ROOT)],
        check=True,
    )
    (wheel,) = tmp_path.glob("symdl-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    packages = {
        p.parent.relative_to(ROOT).as_posix() for p in (ROOT / "symdl").rglob("__init__.py")
    }
    assert {f"{package}/__init__.py" for package in packages} <= names
    assert {"symdl/proofs/__init__.py", "symdl/proofs/telgarsky.py"} <= names


def test_clearer_names_and_their_old_names_are_the_same_objects() -> None:
    # δ is "the error" in Nielsen's text, but "error" also means a student's mistake here
    pairs = [
        ("DeltaVerification", "ErrorVerification"),
        ("cross_check_gradients", "check_gradients"),  # vs check_gradient, which grades
        ("check_barron_gradient_bound", "check_gradient_bound"),
        ("build_and_check_sawtooth", "verify_sawtooth"),  # vs check_sawtooth(f, k)
    ]
    for new, old in pairs:
        assert getattr(symdl, new) is getattr(symdl, old)
        assert new in symdl.__all__


def _stubs(path: Path) -> list[str]:
    """Functions of the module at ``path`` whose whole body is ``raise NotImplementedError``."""
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            body = [s for s in node.body if not isinstance(s, ast.Expr)]  # docstrings aside
            if len(body) == 1 and isinstance(body[0], ast.Raise):
                raised = body[0].exc
                name = raised.func if isinstance(raised, ast.Call) else raised
                if isinstance(name, ast.Name) and name.id == "NotImplementedError":
                    found.append(f"{path.name}:{node.name}")
    return found


def test_no_stub_method_stands_in_for_an_interface() -> None:
    # a contract between modules is an abstract method or a Protocol, never a stub to override
    stubs = [s for path in (ROOT / "symdl").rglob("*.py") for s in _stubs(path)]
    assert stubs == []
    from symdl.grading.names import NameReader

    with pytest.raises(TypeError, match="abstract"):
        NameReader("", [], {}, {}, None)  # type: ignore[abstract, arg-type]


@pytest.mark.parametrize("package", ["symdl", *(f"symdl.{p}" for p in LAYERS[:-1])])
def test_each_public_name_is_written_once_and_resolves(package: str) -> None:
    module = importlib.import_module(package)
    source = Path(str(module.__file__)).read_text()
    tree = ast.parse(source)
    # the names are the type-checking imports alone: no second list of them in the file
    listed = {
        element.value
        for node in ast.walk(tree)
        if isinstance(node, ast.List | ast.Dict | ast.Tuple | ast.Set)
        for element in ast.walk(node)
        if isinstance(element, ast.Constant) and isinstance(element.value, str)
    }
    assert listed <= {"__version__"}
    imported = [
        alias.asname or alias.name
        for node in tree.body
        if isinstance(node, ast.If) and getattr(node.test, "id", "") == "TYPE_CHECKING"
        for statement in node.body
        if isinstance(statement, ast.ImportFrom)
        for alias in statement.names
    ]
    assert len(imported) == len(set(imported)), "a public name is imported twice"
    assert [n for n in module.__all__ if n != "__version__"] == imported
    for name in imported:
        assert getattr(module, name) is not None
