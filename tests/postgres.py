"""A throwaway PostgreSQL server on 127.0.0.1 for tests (Debian's postgresql, see STACK.md).

initdb refuses to run as root, so as root the cluster belongs to the ``postgres`` user and lives
under /tmp (which that user can reach). Password authentication over TCP (scram-sha-256), so the
read-only role's password really is checked.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from tests.processes import free_port

SUPERUSER = "postgres"
SUPERUSER_PASSWORD = "rus-test-admin"  # a throwaway cluster on loopback, deleted after the tests


def pg_bin_dir() -> Path:
    """Debian's newest server binaries (or $PG_BIN); a clear error when the server is missing."""
    if os.environ.get("PG_BIN"):
        return Path(os.environ["PG_BIN"])
    candidates = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4])
    )
    if candidates:
        return Path(candidates[-1]).parent
    found = shutil.which("initdb")
    if found:
        return Path(found).resolve().parent
    raise RuntimeError(
        "PostgreSQL server binaries (initdb, pg_ctl) not found; `make test` installs Debian's "
        "postgresql package (scripts/install-system-packages.sh), or set PG_BIN"
    )


@dataclass
class LocalPostgres:
    root: Path
    port: int
    bin_dir: Path

    @property
    def host(self) -> str:
        return "127.0.0.1"

    def _as_owner(self, cmd: list[str]) -> list[str]:
        return ["runuser", "-u", SUPERUSER, "--", *cmd] if os.geteuid() == 0 else cmd

    @classmethod
    def start(cls) -> LocalPostgres:
        bin_dir = pg_bin_dir()
        root = Path(tempfile.mkdtemp(prefix="rus-pg-", dir="/tmp"))
        server = cls(root, free_port(), bin_dir)
        if os.geteuid() == 0:
            shutil.chown(root, SUPERUSER, SUPERUSER)
        root.chmod(0o700)
        pwfile = root / "pw"
        pwfile.write_text(SUPERUSER_PASSWORD, encoding="utf-8")
        if os.geteuid() == 0:
            shutil.chown(pwfile, SUPERUSER, SUPERUSER)
        server._run(
            [
                str(bin_dir / "initdb"),
                "-D",
                str(root / "data"),
                "-U",
                SUPERUSER,
                f"--pwfile={pwfile}",
                "--auth-host=scram-sha-256",
                "--auth-local=trust",
                "-E",
                "UTF8",
                "--no-locale",
            ]
        )
        pwfile.unlink()
        server._run(
            [
                str(bin_dir / "pg_ctl"),
                "-D",
                str(root / "data"),
                "-l",
                str(root / "server.log"),
                "-w",
                "-o",
                f"-c listen_addresses=127.0.0.1 -p {server.port} -k {root} -c fsync=off",
                "start",
            ]
        )
        return server

    def _run(self, cmd: list[str]) -> None:
        proc = subprocess.run(self._as_owner(cmd), capture_output=True, text=True, timeout=120)
        if proc.returncode != 0:
            log = self.root / "server.log"
            tail = log.read_text(encoding="utf-8")[-2000:] if log.exists() else ""
            raise RuntimeError(f"{cmd[0]} failed: {proc.stderr or proc.stdout}\n{tail}")

    def stop(self) -> None:
        try:
            self._run(
                [str(self.bin_dir / "pg_ctl"), "-D", str(self.root / "data"), "-m", "fast", "stop"]
            )
        finally:
            shutil.rmtree(self.root, ignore_errors=True)

    def psql(
        self, query: str, user: str, password: str, database: str = "postgres"
    ) -> subprocess.CompletedProcess[str]:
        """Run ``query`` with the psql client over TCP as ``user`` (tab-separated, unaligned)."""
        env = {**os.environ, "PGPASSWORD": password, "PGCONNECT_TIMEOUT": "10"}
        return subprocess.run(
            [
                shutil.which("psql") or str(self.bin_dir / "psql"),
                "-h",
                self.host,
                "-p",
                str(self.port),
                "-U",
                user,
                "-d",
                database,
                "-X",
                "-A",
                "-t",
                "-F",
                "\t",
                "-v",
                "ON_ERROR_STOP=1",
                "-c",
                query,
            ],
            capture_output=True,
            text=True,
            env=env,
            timeout=60,
        )

    def admin(self, query: str, database: str = "postgres") -> str:
        proc = self.psql(query, SUPERUSER, SUPERUSER_PASSWORD, database)
        if proc.returncode != 0:
            raise RuntimeError(f"psql as {SUPERUSER} failed: {proc.stderr}")
        return proc.stdout
