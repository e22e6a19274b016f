"""ingest/ and the gap method must import with Dagster unavailable (README, "Layout")."""

from __future__ import annotations

import subprocess
import sys
import textwrap

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


def run_without_dagster(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", BLOCKER + textwrap.dedent(code)],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_ingest_and_gap_method_import_without_dagster():
    proc = run_without_dagster(
        """
        import ingest, ingest.http, ingest.catalogue, ingest.landing, ingest.kolada.load
        import ingest.replay.server, ingest.snapshot.build
        import orchestration.gap_method, orchestration.publishing
        import sys
        assert not [m for m in sys.modules if m.startswith("dagster")], "dagster was imported"
        print("ok")
        """
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "ok"


def test_the_blocker_really_blocks_dagster():
    proc = run_without_dagster("import orchestration.definitions")
    assert proc.returncode != 0
    assert "blocked by the test" in proc.stderr
