"""Fetching public statistics (Kolada, SCB PxWeb) and landing them raw. No Dagster imports."""

__version__ = "0.1.0"
