"""Where the pipeline keeps its files, written once: the repository, the default data directory
(RUS_DATA_DIR's default) and what lives under a data directory."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_DATA_DIR = REPO_ROOT / "data"
RAW_DIR = "raw"  # the landed loads, <source>/<load_id>/
WAREHOUSE_FILE = "warehouse.duckdb"  # the working warehouse dbt builds
PUBLISHED_DIR = "published"
PUBLISHED_FILE = "rus.duckdb"  # the publication BI tools and the report read
REPORTS_DIR = "reports"


@dataclass(frozen=True)
class DataLayout:
    """The files under one data directory."""

    data_dir: Path

    @property
    def raw_dir(self) -> Path:
        return self.data_dir / RAW_DIR

    @property
    def warehouse_path(self) -> Path:
        return self.data_dir / WAREHOUSE_FILE

    @property
    def published_dir(self) -> Path:
        return self.data_dir / PUBLISHED_DIR

    @property
    def published_path(self) -> Path:
        return self.published_dir / PUBLISHED_FILE

    @property
    def reports_dir(self) -> Path:
        return self.data_dir / REPORTS_DIR
