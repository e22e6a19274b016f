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


def snippet(body: bytes, limit: int = 300) -> str:
    """The start of an answer's body as one line of text, for an error message."""
    text = body[:limit].decode("utf-8", errors="replace").replace("\n", " ").replace("\r", " ")
    return text + (" …" if len(body) > limit else "")


class HttpStatusError(FetchError):
    """An HTTP error answer that is not worth retrying (4xx but 429): the status, the start of
    the body and its content type are kept, so that a client can decide what it means (e.g. a
    request refused as too large is split and asked again)."""

    def __init__(
        self, url: str, status: int, body: bytes, method: str = "GET", content_type: str = ""
    ) -> None:
        self.status = status
        self.body = body
        self.content_type = content_type
        super().__init__(url, f"HTTP {status}: {snippet(body)}", method=method)


class RequestTooLargeError(FetchError):
    """A source refused a request as too large although it cannot be split further (one id,
    or one value, in every dimension): a real error, naming the URL and the answer."""

    def __init__(self, refused: HttpStatusError, what: str) -> None:
        self.status = refused.status
        self.body = refused.body
        super().__init__(
            refused.url,
            f"HTTP {refused.status} refused a request of {what}, which cannot be split further; "
            f"the answer: {snippet(refused.body, 500)}",
            method=refused.method,
        )


class ApiRetiredError(IngestError):
    """The configured base URL points at an API version the source has retired."""

    def __init__(self, url: str, message: str) -> None:
        self.url = url
        super().__init__(message)


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
