"""Dagster lives in one place: ``orchestration/defs/`` (plus ``definitions.py`` and ``cli.py``).

Everything else -- ``ingest/``, ``expectations/`` and the stage packages of ``orchestration/`` --
is plain Python that imports with Dagster unavailable (README, "Layout").
"""

from __future__ import annotations

import ast
import subprocess
import sys
import textwrap
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
PLAIN_PACKAGES = ("ingest", "expectations", "orchestration")
# The only places in the code that may import Dagster.
DAGSTER_PLACES = ("orchestration/defs/", "orchestration/definitions.py", "orchestration/cli.py")

BLOCKER = textwrap.dedent(
    """
    import importlib.abc, sys

    class NoDagster(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if name == "dagster" or name.startswith(("dagster.", "dagster_")):
                raise ModuleNotFoundError(f"No module named {name!r} (blocked by the test)")
            return None

    sys.meta_path.insert(0, NoDagster())
    """
)


def plain_modules() -> list[str]:
    """Every module of the plain packages, as a dotted name."""
    modules = []
    for package in PLAIN_PACKAGES:
        for path in sorted((REPO_ROOT / package).rglob("*.py")):
            rel = path.relative_to(REPO_ROOT).as_posix()
            if rel.startswith(DAGSTER_PLACES) or path.name == "__main__.py":
                continue  # __main__ modules run when imported
            dotted = rel.removesuffix(".py").replace("/", ".").removesuffix(".__init__")
            modules.append(dotted)
    return modules


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def run_without_dagster(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", BLOCKER + textwrap.dedent(code)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=REPO_ROOT,
    )


def test_only_the_defs_package_names_dagster_in_its_imports():
    offenders = []
    for path in sorted(REPO_ROOT.glob("orchestration/**/*.py")):
        rel = path.relative_to(REPO_ROOT).as_posix()
        if rel.startswith(DAGSTER_PLACES):
            continue
        dagster = sorted(
            m for m in imported_modules(path) if m == "dagster" or m.startswith("dagster")
        )
        if dagster:
            offenders.append(f"{rel}: {', '.join(dagster)}")
    assert not offenders, "Dagster imported outside orchestration/defs/:\n" + "\n".join(offenders)


def test_every_plain_module_imports_without_dagster():
    modules = plain_modules()
    assert "orchestration.gap_method.method" in modules
    assert "orchestration.publish.publication" in modules
    assert not any(m.startswith("orchestration.defs") for m in modules)
    proc = run_without_dagster(
        f"""
        import importlib, sys
        for name in {modules!r}:
            importlib.import_module(name)
        assert not [m for m in sys.modules if m.startswith("dagster")], "dagster was imported"
        print("ok", len({modules!r}))
        """
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert proc.stdout.strip() == f"ok {len(modules)}"


def test_the_blocker_really_blocks_dagster():
    proc = run_without_dagster("import orchestration.definitions")
    assert proc.returncode != 0
    assert "blocked by the test" in proc.stderr
