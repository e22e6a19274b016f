"""SCB PxWeb clients (API v1 and PxWebApi 2.0), JSON-stat 2.0 parsing and the SCB raw load."""

from ingest.pxweb.client import PxWebClient
from ingest.pxweb.config import PxWebConfig
from ingest.pxweb.series import ScbSeries, parse_series_id

__all__ = ["PxWebClient", "PxWebConfig", "ScbSeries", "parse_series_id"]
