"""Errors that name the input and what was expected."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager


class IngestError(Exception):
    """Base class for ingest failures."""


class FetchError(IngestError):
    """An HTTP request failed for good (after retries); names the URL and the cause."""

    def __init__(self, url: str, cause: str, attempts: int = 1, method: str = "GET") -> None:
        self.url = url
        self.cause = cause
        self.attempts = attempts
        self.method = method
        super().__init__(f"{method} {url} failed after {attempts} attempt(s): {cause}")


class ResponseFormatError(IngestError):
    """A response body did not have the documented shape; names the URL and what was expected."""

    def __init__(self, url: str, problem: str, body: bytes | None = None) -> None:
        self.url = url
        self.problem = problem
        self.body = body  # the offending response, kept for inspection (RawLanding.reject)
        super().__init__(f"unexpected response from {url}: {problem}")


@contextmanager
def keeping_body(body: bytes) -> Iterator[None]:
    """Attach ``body`` to a ResponseFormatError raised while parsing it."""
    try:
        yield
    except ResponseFormatError as exc:
        if exc.body is None:
            exc.body = body
        raise


class CatalogueError(IngestError):
    """A row of the indicator catalogue is malformed; names file, line and field."""

    def __init__(self, path: str, line: int, field: str, problem: str) -> None:
        self.path = path
        self.line = line
        self.field = field
        super().__init__(f"{path}:{line}: field {field!r}: {problem}")
