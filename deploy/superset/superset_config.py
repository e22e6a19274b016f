"""Apache Superset's configuration for the analysts' local BI (`make bi`; see README.md here).

Superset finds this file through ``SUPERSET_CONFIG_PATH`` (setup.py, the Makefile and the tests
set it). Everything Superset writes - its SQLite metadata database, the secret key that encrypts
the database URIs in it, uploads - lives in one state directory: ``RUS_BI_HOME``, by default
``<repo>/data/bi/`` (under data/, so never committed).

The published DuckDB file is read-only to Superset: the database entry the dashboard bundle
creates (deploy/superset/assets/databases/) opens it with ``access_mode=read_only`` and without
file-system access, and every query gets a connection of its own (Superset's ``NullPool``), so
the file the pipeline replaces each night (os.replace) is seen at the next query.
"""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
STATE_DIR = Path(os.environ.get("RUS_BI_HOME") or REPO_ROOT / "data" / "bi").resolve()
STATE_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key(path: Path) -> str:
    """``SUPERSET_SECRET_KEY`` when set, else a random key kept in the state directory (created
    once, readable by its owner only; every later process reads the same one)."""
    if key := os.environ.get("SUPERSET_SECRET_KEY"):
        return key
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text(encoding="utf-8").strip()
    key = secrets.token_urlsafe(48)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(key + "\n")
    return key


SECRET_KEY = _secret_key(STATE_DIR / "secret_key")
DATA_DIR = str(STATE_DIR)
# SQLite: two gunicorn workers write to it (logs, filter state); wait for a lock up to 30 s.
SQLALCHEMY_DATABASE_URI = (
    f"sqlite:///{STATE_DIR / 'superset.db'}?check_same_thread=false&timeout=30"
)

# Local only: the web server listens on the loopback interface (the Makefile and the tests bind
# gunicorn to 127.0.0.1 as well).
SUPERSET_WEBSERVER_ADDRESS = "127.0.0.1"
SUPERSET_WEBSERVER_PORT = 8088
SUPERSET_WEBSERVER_TIMEOUT = int(timedelta(minutes=2).total_seconds())

# No telemetry, nothing fetched from outside: the page may load only what Superset itself serves
# (the default policy also allows Scarf's tracking pixel, map tiles and web fonts).
TALISMAN_ENABLED = True
TALISMAN_CONFIG = {
    "content_security_policy": {
        "base-uri": ["'self'"],
        "default-src": ["'self'"],
        "img-src": ["'self'", "blob:", "data:"],
        "worker-src": ["'self'", "blob:"],
        "connect-src": ["'self'"],
        "object-src": "'none'",
        "style-src": ["'self'", "'unsafe-inline'"],
        "font-src": ["'self'"],
        "script-src": ["'self'", "'strict-dynamic'"],
    },
    "content_security_policy_nonce_in": ["script-src"],
    "force_https": False,
    "session_cookie_secure": False,
}
ENABLE_CORS = False
MAPBOX_API_KEY = ""

# No example data, no scheduled reports or thumbnails (no Celery workers here).
FEATURE_FLAGS = {
    "ALERT_REPORTS": False,
    "THUMBNAILS": False,
    "ENABLE_TEMPLATE_PROCESSING": False,
}

# Query results are not cached: after a new publication the next query shows it.
DATA_CACHE_CONFIG = {"CACHE_TYPE": "NullCache"}
CACHE_CONFIG = {"CACHE_TYPE": "NullCache"}
RATELIMIT_STORAGE_URI = "memory://"

# SQL Lab: a query may run two minutes and return at most 100 000 rows.
SQLLAB_TIMEOUT = 120
SQL_MAX_ROW = 100_000

APP_NAME = "RUS-uppföljning"
# Numbers as Swedish analysts write them: 1 234,5 (the interface itself stays in English: Superset
# has no Swedish translation).
D3_FORMAT = {"decimal": ",", "thousands": "\u00a0", "grouping": [3], "currency": ["", "\u00a0kr"]}
D3_TIME_FORMAT = {
    "dateTime": "%A den %d %B %Y %X",
    "date": "%Y-%m-%d",
    "time": "%H:%M:%S",
    "periods": ["fm", "em"],
    "days": ["söndag", "måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag"],
    "shortDays": ["sön", "mån", "tis", "ons", "tor", "fre", "lör"],
    "months": [
        *("januari", "februari", "mars", "april", "maj", "juni"),
        *("juli", "augusti", "september", "oktober", "november", "december"),
    ],
    "shortMonths": [
        *("jan", "feb", "mar", "apr", "maj", "jun"),
        *("jul", "aug", "sep", "okt", "nov", "dec"),
    ],
}
LOG_LEVEL = os.environ.get("RUS_BI_LOG_LEVEL", "INFO")
BABEL_DEFAULT_LOCALE = "en"
