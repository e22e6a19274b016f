"""Local replay server for the public APIs (127.0.0.1 only)."""

from ingest.replay.server import ReplayServer

__all__ = ["ReplayServer"]
