"""The analysis engine stays pure: no storage, web, notification, CLI or network imports.

Checked twice: statically (every ``import`` in every module under ``src/ciwhy/analysis``, even
ones inside functions) and at runtime (what ``import ciwhy.analysis`` actually loads).
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

ANALYSIS = Path(__file__).resolve().parents[1] / "src" / "ciwhy" / "analysis"

FORBIDDEN = (
    "ciwhy.store",
    "ciwhy.web",
    "ciwhy.notify",
    "ciwhy.cli",
    "ciwhy.ingest",
    "ciwhy.pipeline",
    "sqlalchemy",
    "httpx",
    "requests",
    "fastapi",
    "starlette",
    "urllib.request",
    "socket",
    "http.client",
)
FORBIDDEN_ROOTS = sorted({name.split(".")[0] for name in FORBIDDEN} - {"ciwhy"})


def _forbidden(module: str) -> str | None:
    for bad in FORBIDDEN:
        if module == bad or module.startswith(bad + "."):
            return bad
    return None


def _module_name(path: Path) -> str:
    rel = path.relative_to(ANALYSIS.parents[1]).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _package_of(path: Path) -> str:
    name = _module_name(path)
    return name if path.name == "__init__.py" else name.rsplit(".", 1)[0]


def imports_of(path: Path, package: str | None = None) -> set[str]:
    """Every module name an ``import`` or ``from ... import`` in the file can load."""
    tree = ast.parse(path.read_text("utf-8"), filename=str(path))
    package = package if package is not None else _package_of(path)
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            found.add(module)
            # `from urllib import request` loads urllib.request; `from ciwhy import web` too.
            found.update(f"{module}.{alias.name}" for alias in node.names if alias.name != "*")
        elif (
            isinstance(node, ast.Call)
            and getattr(node.func, "id", "") == "__import__"
            and node.args
            and isinstance(node.args[0], ast.Constant)
        ):
            found.add(str(node.args[0].value))
    return found


MODULES = sorted(ANALYSIS.rglob("*.py"))


def test_the_walk_sees_the_engine() -> None:
    names = {p.name for p in MODULES}
    assert {"__init__.py", "engine.py", "lines.py", "scanner.py", "signatures.py"} <= names
    assert "ciwhy.analysis.scanner" in imports_of(ANALYSIS / "library_index.py")
    assert "tomllib" in imports_of(ANALYSIS / "signatures.py")


def test_detector_catches_every_spelling(tmp_path: Path) -> None:
    """The checker itself must be able to fail: plant each kind of forbidden import."""
    sample = tmp_path / "sample.py"
    sample.write_text(
        "import socket\n"
        "from urllib import request\n"
        "import http.client as hc\n"
        "from .. import web\n"
        "def f():\n"
        "    from ciwhy.store import db\n"
        "    import sqlalchemy.orm\n"
        "    __import__('httpx')\n",
        "utf-8",
    )
    found = imports_of(sample, package="ciwhy.analysis")
    hits = {_forbidden(n) for n in found} - {None}
    assert hits == {
        "socket",
        "urllib.request",
        "http.client",
        "ciwhy.web",
        "ciwhy.store",
        "sqlalchemy",
        "httpx",
    }
    assert imports_of(ANALYSIS / "engine.py") >= {"ciwhy.analysis.lines", "ciwhy.models"}


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(ANALYSIS)))
def test_module_imports_nothing_impure(path: Path) -> None:
    bad = sorted(f"{m} ({_forbidden(m)})" for m in imports_of(path) if _forbidden(m))
    assert bad == [], f"{path.relative_to(ANALYSIS.parents[2])} imports {bad}"


def test_runtime_import_loads_nothing_impure() -> None:
    roots = set(FORBIDDEN_ROOTS) | {"ciwhy", "urllib", "http"}
    code = (
        "import json, sys\n"
        "import ciwhy.analysis\n"
        "from ciwhy.analysis import analyse\n"
        "analyse(b'make: *** [all] Error 2\\n')\n"
        f"roots = {sorted(roots)!r}\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in roots)))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True
    )
    loaded = json.loads(out.stdout.strip().splitlines()[-1])
    assert "ciwhy.analysis.engine" in loaded  # the probe really imported the engine
    bad = sorted(m for m in loaded if _forbidden(m))
    assert bad == [], f"importing and running ciwhy.analysis loads {bad}"
