"""Kolada KPI API client (v3, accepting v2's envelope too)."""

from ingest.kolada.client import KoladaClient

__all__ = ["KoladaClient"]
