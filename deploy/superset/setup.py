"""Prepare the local Superset for a published DuckDB file (`make bi` runs this, then Superset).

    .venv-bi/bin/python deploy/superset/setup.py /abs/path/data/published/rus.duckdb [--port 8088]

Run with the BI environment's Python (.venv-bi, `make bi-install`). In order:

1. ``superset db upgrade``: creates or migrates Superset's SQLite metadata database in the state
   directory (``RUS_BI_HOME``, default ``data/bi/``);
2. ``superset init``: Superset's roles and permissions;
3. the local admin user: ``RUS_BI_ADMIN_USER`` / ``RUS_BI_ADMIN_PASSWORD`` (defaults ``admin`` /
   ``admin``: Superset listens on 127.0.0.1 only), created or, when it exists, given that password;
4. the asset bundle in deploy/superset/assets/ (database, datasets, charts, the dashboard
   RUS-uppföljning), with the database pointed at the given file, read-only. Superset's asset
   importer overwrites every object by its uuid, so a second run updates instead of failing or
   duplicating;
5. a query through Superset's own connection, to show which publication it reads.

Nothing here starts the web server (the Makefile and the tests do).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO_ROOT = HERE.parents[1]
ASSETS = HERE / "assets"
DATABASE_NAME = "RUS publicerad (DuckDB)"
DASHBOARD_SLUG = "rus-uppfoljning"
DEFAULT_ADMIN = ("admin", "admin")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("published_db", type=Path, help="the published rus.duckdb to read")
    parser.add_argument("--port", type=int, default=8088, help="the port, for the printed URLs")
    args = parser.parse_args(argv)

    db_path = args.published_db.resolve()
    if not db_path.is_file():
        print(f"{db_path} does not exist: run `make run` first (it publishes it)", file=sys.stderr)
        return 1
    if problem := unreadable(db_path):
        print(f"Superset's DuckDB cannot read {db_path}: {problem}", file=sys.stderr)
        print("Publish it again: `make run` writes a file DuckDB 1.x reads.", file=sys.stderr)
        return 1
    os.environ["SUPERSET_CONFIG_PATH"] = str(HERE / "superset_config.py")
    os.environ.setdefault("RUS_BI_HOME", str(REPO_ROOT / "data" / "bi"))
    os.environ.setdefault("FLASK_APP", "superset.app:create_app()")
    state = Path(os.environ["RUS_BI_HOME"]).resolve()
    state.mkdir(parents=True, exist_ok=True)
    user, password = admin_credentials()

    log = state / "setup.log"
    with log.open("w", encoding="utf-8") as out:
        for step in (["db", "upgrade"], ["init"]):
            print(f"superset {' '.join(step)} …", flush=True)
            done = subprocess.run(
                [str(Path(sys.executable).with_name("superset")), *step],
                stdout=out,
                stderr=subprocess.STDOUT,
                check=False,
            )
            if done.returncode != 0:
                print(f"superset {' '.join(step)} failed; its output is in {log}", file=sys.stderr)
                return done.returncode

    publication = configure(db_path, user, password)
    base = f"http://127.0.0.1:{args.port}"
    print(f"Superset state: {state} (metadata database superset.db, secret key, {log.name})")
    print(f"Database {DATABASE_NAME!r}: {db_path} (read-only), publication {publication}")
    print(f"Log in at {base}/login/ as {user!r} with password {password!r}")
    print(f"Dashboard: {base}/superset/dashboard/{DASHBOARD_SLUG}/")
    return 0


def unreadable(db_path: Path) -> str | None:
    """Why the DuckDB of this environment (1.4, as duckdb-engine needs) cannot read the file's
    publications, if it cannot: e.g. a file in a storage format newer than it knows."""
    import duckdb

    try:
        con = duckdb.connect(str(db_path), read_only=True)
        try:
            con.execute("select max(publication_id) from publications").fetchone()
        finally:
            con.close()
    except duckdb.Error as exc:
        return str(exc).splitlines()[0]
    return None


def admin_credentials() -> tuple[str, str]:
    return (
        os.environ.get("RUS_BI_ADMIN_USER") or DEFAULT_ADMIN[0],
        os.environ.get("RUS_BI_ADMIN_PASSWORD") or DEFAULT_ADMIN[1],
    )


def bundle(db_path: Path) -> dict[str, str]:
    """The asset bundle as Superset's importer takes it (path in the bundle -> YAML text), the
    database's URI set to ``db_path``, opened read-only."""
    import yaml

    contents: dict[str, str] = {}
    for path in sorted(ASSETS.rglob("*.yaml")):
        name = path.relative_to(ASSETS).as_posix()
        text = path.read_text(encoding="utf-8")
        if name.startswith("databases/"):
            config = yaml.safe_load(text)
            config["sqlalchemy_uri"] = database_uri(db_path)
            text = yaml.safe_dump(config, allow_unicode=True, sort_keys=False)
        contents[name] = text
    return contents


def database_uri(db_path: Path) -> str:
    """``duckdb:////abs/path/rus.duckdb?access_mode=read_only`` (duckdb-engine passes the query
    string to duckdb.connect as configuration)."""
    return f"duckdb:///{db_path}?access_mode=read_only"


def configure(db_path: Path, user: str, password: str) -> str:
    """The admin user and the bundle, in one Superset application context; returns the id of the
    publication Superset now reads."""
    import logging
    import warnings

    from flask import g
    from sqlalchemy import text
    from sqlalchemy.exc import SAWarning
    from superset.app import create_app

    # Superset's importer makes SQLAlchemy warn about its own flush events: not for the analyst.
    warnings.filterwarnings("ignore", category=SAWarning)
    os.environ.setdefault("RUS_BI_LOG_LEVEL", "WARNING")
    app = create_app()
    logging.getLogger().setLevel(logging.WARNING)
    with app.app_context():
        from superset import security_manager
        from superset.commands.importers.v1.assets import ImportAssetsCommand
        from superset.extensions import db
        from superset.models.core import Database

        admin_role = security_manager.find_role("Admin")
        account = security_manager.find_user(username=user)
        if account is None:
            account = security_manager.add_user(
                user, "RUS", "Admin", f"{user}@localhost", admin_role, password=password
            )
            if not account:
                raise SystemExit(f"could not create the Superset user {user!r}")
            print(f"created the admin user {user!r}")
        else:
            security_manager.reset_password(account.id, password)
            if admin_role not in account.roles:
                account.roles.append(admin_role)
                security_manager.update_user(account)
            print(f"the admin user {user!r} exists; password set")
        g.user = account

        ImportAssetsCommand(bundle(db_path)).run()
        print(f"imported the dashboard bundle {ASSETS.relative_to(REPO_ROOT)}")

        database = db.session.query(Database).filter_by(database_name=DATABASE_NAME).one()
        with database.get_sqla_engine() as engine, engine.connect() as con:
            return con.execute(text("select max(publication_id) from publications")).scalar_one()


if __name__ == "__main__":
    sys.exit(main())
