"""The layout names the pipeline: a pure core and outputs, thin adapters, modules of one idea."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

PACKAGE = ROOT / "generator"
PURE = ("core", "outputs")
# A hint, not a rule (issue 26): never inline a name or cut one idea in two to meet it. This
# ceiling only catches a module that has grown several ideas (the handout stage, one idea
# from data to PDF, is the longest at about 530 lines).
MAX_LINES = 600
# Modules that start processes or write files, and calls that do: none in the pure packages.
IMPURE_MODULES = {"subprocess", "multiprocessing", "shutil", "tempfile", "concurrent"}
OS_CALLS = {"fork", "system", "popen", "replace", "rename", "remove", "unlink", "rmdir",
            "mkdir", "makedirs", "chmod", "symlink", "spawnv", "execv"}
PATH_CALLS = {"write_text", "write_bytes", "mkdir", "touch", "unlink", "symlink_to", "chmod",
              "mkstemp", "mkdtemp"}
WRITE_FLAGS = {"O_WRONLY", "O_RDWR", "O_CREAT", "O_APPEND", "O_TRUNC"}


def _modules(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.py"))


def test_core_and_outputs_import_no_engine() -> None:
    modules = [".".join(p.relative_to(ROOT).with_suffix("").parts)
               for sub in PURE for p in _modules(PACKAGE / sub)]
    code = (f"import sys, importlib\nfor m in {modules!r}: importlib.import_module(m)\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in "
            "('mkdocs', 'properdocs', 'zensical', 'material')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=ROOT, check=True).stdout.strip()
    assert out == "[]", f"the pure packages import an engine: {out}"


def impure(source: str) -> list[str]:
    """What in this Python source starts a process, writes a file or leans on an adapter."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [a.name for a in node.names if a.name.split(".")[0] in IMPURE_MODULES]
        elif isinstance(node, ast.ImportFrom) and node.module:
            parts = node.module.split(".")
            if parts[0] in IMPURE_MODULES or (parts[0] == "generator" and len(parts) > 1
                                              and parts[1] in ADAPTERS):
                found.append(node.module)
        elif isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Name) and func.id == "open":
                found.append(f"line {node.lineno}: open()")
            elif isinstance(func, ast.Attribute):
                on_os = isinstance(func.value, ast.Name) and func.value.id == "os"
                flags = {n.attr for n in ast.walk(node) if isinstance(n, ast.Attribute)}
                if (func.attr in PATH_CALLS or (on_os and func.attr in OS_CALLS)
                        or (on_os and func.attr == "open" and flags & WRITE_FLAGS)):
                    found.append(f"line {node.lineno}: .{func.attr}()")
    return found


ADAPTERS = ("cli", "engines", "refcache", "safepath")  # the core must not lean on these


@pytest.mark.parametrize("path", [p for sub in PURE for p in _modules(PACKAGE / sub)],
                         ids=lambda p: str(p.relative_to(PACKAGE)))
def test_pure_packages_start_no_process_and_write_no_file(path: Path) -> None:
    found = impure(path.read_text(encoding="utf-8"))
    assert not found, f"{path.relative_to(ROOT)}: {found}"


def test_the_purity_check_finds_processes_writes_and_adapters() -> None:
    source = ("import subprocess\nimport os\nfrom pathlib import Path\n"
              "from generator.cli.build import run\n"
              "Path('x').write_text('y')\nos.replace('a', 'b')\nopen('f', 'w')\n"
              "os.open('f', os.O_WRONLY | os.O_CREAT)\n'text'.replace('a', 'b')\n")
    assert impure(source) == ["subprocess", "generator.cli.build", "line 5: .write_text()",
                              "line 6: .replace()", "line 7: open()", "line 8: .open()"]


@pytest.mark.parametrize("path", _modules(PACKAGE), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_module_has_grown_several_ideas(path: Path) -> None:
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{path.relative_to(ROOT)}: {lines} lines; split it by stage"


def test_the_folders_are_the_stages_of_the_pipeline() -> None:
    folders = sorted(p.name for p in PACKAGE.iterdir() if (p / "__init__.py").is_file())
    assert folders == ["cli", "core", "engines", "outputs"]


ENGINE_PACKAGES = ("mkdocs", "properdocs", "zensical", "material")
PLUGIN = PACKAGE / "engines" / "mkdocs_plugin.py"  # the one module that may import mkdocs
BUILD_RUN = PACKAGE / "engines" / "build_run.py"  # the engine's build API, imported on use
# mkdocs.yml is read as MkDocs reads it (INHERIT, !ENV): its YAML loader, and nothing else
CONFIG_READER = {PACKAGE / "config.py": ["mkdocs.exceptions", "mkdocs.utils.yaml"]}


def engine_imports(source: str) -> list[str]:
    names = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.append(node.module)
    return [n for n in names if n.split(".")[0] in ENGINE_PACKAGES]


@pytest.mark.parametrize("path", [p for p in _modules(PACKAGE) if p not in (PLUGIN, BUILD_RUN)],
                         ids=lambda p: str(p.relative_to(PACKAGE)))
def test_only_the_plugin_imports_an_engine(path: Path) -> None:
    """Under ProperDocs `mkdocs.*` is an alias set up in its own process only: nothing but
    the plugin and build_run.py (which imports the engine it runs, when it runs it) imports
    one; the CLI reads mkdocs.yml with MkDocs' YAML loader alone."""
    assert sorted(engine_imports(path.read_text(encoding="utf-8"))) == CONFIG_READER.get(
        path, []), path.relative_to(ROOT)


def test_the_engine_import_check_finds_imports() -> None:
    assert engine_imports("import mkdocs.config\nfrom properdocs import x\nimport os\n"
                          "from zensical.config import y\n") == [
        "mkdocs.config", "properdocs", "zensical.config"]
    assert engine_imports(PLUGIN.read_text()) != []


def test_the_command_imports_no_engine() -> None:
    modules = [".".join(p.relative_to(ROOT).with_suffix("").parts)
               for p in _modules(PACKAGE) if p != PLUGIN and p.name != "__main__.py"]
    code = (f"import sys, importlib\nfor m in {modules!r}: importlib.import_module(m)\n"
            f"print(sorted(m for m in sys.modules if m.split('.')[0] in {ENGINE_PACKAGES!r}))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=ROOT, check=True).stdout.strip()
    assert out == "[]", f"the command imports an engine: {out}"


def module_state(source: str) -> list[str]:
    """Names a module binds at its top level to an empty dict, list or set: state that fills
    while the program runs (constants are written out in full)."""
    names = []
    for node in ast.parse(source).body:
        target = node.targets[0] if isinstance(node, ast.Assign) else (
            node.target if isinstance(node, ast.AnnAssign) else None)
        value = getattr(node, "value", None)
        empty = (isinstance(value, ast.Dict | ast.List | ast.Set) and not (
            getattr(value, "keys", None) or getattr(value, "elts", None))) or (
            isinstance(value, ast.Call) and isinstance(value.func, ast.Name)
            and value.func.id in ("dict", "list", "set") and not value.args)
        if target is not None and empty:
            names.append(ast.unparse(target))
    return names


CACHE_DECORATORS = {"lru_cache", "cache"}  # functools': a cache that lives as long as the module


def module_caches(source: str) -> list[str]:
    """Functions a module defines at its top level under a functools cache decorator
    (@lru_cache, @cache, @functools.lru_cache(maxsize=8)): state that fills while the program
    runs, like module_state's."""
    names = []
    for node in ast.parse(source).body:
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for decorator in node.decorator_list:
            called = decorator.func if isinstance(decorator, ast.Call) else decorator
            name = (called.attr if isinstance(called, ast.Attribute)
                    else getattr(called, "id", None))
            if name in CACHE_DECORATORS:
                names.append(node.name)
    return names


def test_the_cache_check_finds_module_caches() -> None:
    source = ("import functools\nfrom functools import cache, lru_cache\n"
              "@lru_cache(maxsize=4)\ndef a(): ...\n@cache\ndef b(): ...\n"
              "@functools.lru_cache(maxsize=8)\ndef c(): ...\n@functools.cache\ndef d(): ...\n"
              "@lru_cache\ndef e(): ...\n@staticmethod\ndef f(): ...\n"
              "class G:\n    @cached_property\n    def h(self): ...\n")
    assert module_caches(source) == ["a", "b", "c", "d", "e"]


def test_the_state_check_finds_module_state() -> None:
    assert module_state("A = {}\nB: dict[str, int] = {}\nC = {'a': 1}\nD = set()\n"
                        "def f():\n    e = {}\n") == ["A", "B", "D"]


@pytest.mark.parametrize("path", [p for sub in PURE for p in _modules(PACKAGE / sub)],
                         ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_module_level_state_in_the_pure_packages(path: Path) -> None:
    """Caches belong to one build or one `mkdocs serve` session (issue 26), never a module."""
    source = path.read_text(encoding="utf-8")
    assert module_state(source) + module_caches(source) == [], path.relative_to(ROOT)


PROJECT = PACKAGE / "project.py"  # the one module that names the project's own folders
SWAP = PACKAGE / "cli" / "swap.py"  # the one module that names what a killed build leaves


def string_literals(source: str) -> list[str]:
    """The text of every string constant (f-string parts too), docstrings left out: a
    docstring describes a path, it does not make one."""
    tree = ast.parse(source)
    docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                  if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef
                                | ast.AsyncFunctionDef)
                  and node.body and isinstance(node.body[0], ast.Expr)}
    return [node.value for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str)
            and id(node) not in docstrings]


def project_paths(source: str) -> list[str]:
    """Literals that spell the project's caches (.cache/…)."""
    return [s for s in string_literals(source) if s.startswith(".cache")]


def killed_build_names(source: str) -> list[str]:
    """Literals that spell what a killed build leaves (.site-old, .site-building-…)."""
    return [s for s in string_literals(source) if "building-" in s or s.endswith("-old")]


def test_the_path_checks_find_literals_not_docstrings() -> None:
    source = ('"""Under .cache/, .site-old."""\nA = ".cache"\n'
              'def f(site):\n    """.cache/x"""\n    return f".{site}-old", f".{site}-building-"\n')
    assert project_paths(source) == [".cache"]
    assert killed_build_names(source) == ["-old", "-building-"]


@pytest.mark.parametrize("path", [p for p in _modules(PACKAGE) if p != PROJECT],
                         ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_project_path_literal_outside_the_project(path: Path) -> None:
    """Issue 26: every path of the project comes from the Project."""
    assert project_paths(path.read_text(encoding="utf-8")) == [], path.relative_to(ROOT)


@pytest.mark.parametrize("path", [p for p in _modules(PACKAGE) if p != SWAP],
                         ids=lambda p: str(p.relative_to(PACKAGE)))
def test_what_a_killed_build_leaves_is_named_by_the_swap_alone(path: Path) -> None:
    """The names the swap makes are the names check looks for: one function each."""
    assert killed_build_names(path.read_text(encoding="utf-8")) == [], path.relative_to(ROOT)
