"""The one HTTP layer: every request goes through :class:`HttpClient`.

Timeouts on every request, bounded exponential backoff with jitter (tenacity) on connection
errors, timeouts, incomplete bodies, 5xx and 429 (honouring ``Retry-After``), a client-side rate
limit per host, a descriptive User-Agent, and errors that name the URL and the cause. Any other
4xx (e.g. Kolada's 422 for too many ids, SCB's 403 for too many cells) is never retried: it is an
:class:`~ingest.errors.HttpStatusError` carrying the status and the start of the body, so the
client can decide (split the request, or fail naming the answer).
"""

from __future__ import annotations

import email.utils
import json
import logging
import threading
import time
from collections import Counter, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import requests
from tenacity import (
    RetryCallState,
    Retrying,
    retry_if_exception,
    stop_after_attempt,
    wait_random_exponential,
)

from ingest.config import HttpConfig
from ingest.errors import FetchError, HttpStatusError, ResponseFormatError

log = logging.getLogger(__name__)

TRANSIENT_STATUS = frozenset({429, 500, 502, 503, 504})
# The most of an error answer's body kept (an error body is read no further).
MAX_ERROR_BODY = 4096


class TransientHttpError(Exception):
    """A response worth retrying (5xx, 429); carries the server's Retry-After, if any."""

    def __init__(self, url: str, status: int, retry_after_s: float | None) -> None:
        self.url = url
        self.status = status
        self.retry_after_s = retry_after_s
        super().__init__(
            f"HTTP {status}" + (f" (Retry-After {retry_after_s:g}s)" if retry_after_s else "")
        )


@dataclass
class HttpStats:
    """What a client did; becomes load-manifest fields and Dagster metadata."""

    requests: int = 0
    retries: int = 0
    bytes: int = 0
    retry_after_waits_s: float = 0.0
    status_counts: Counter[int] = field(default_factory=Counter)
    urls: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "requests": self.requests,
            "retries": self.retries,
            "bytes": self.bytes,
            "retry_after_waits_s": round(self.retry_after_waits_s, 3),
            "status_counts": {str(k): v for k, v in sorted(self.status_counts.items())},
        }


class RateLimiter:
    """At most ``calls`` calls per ``period_s`` seconds per host (sliding window)."""

    def __init__(
        self,
        calls: int,
        period_s: float,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.calls = calls
        self.period_s = period_s
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()
        self._history: dict[str, deque[float]] = {}

    def acquire(self, host: str) -> float:
        """Block until a call to ``host`` is allowed; returns the seconds waited."""
        waited = 0.0
        with self._lock:
            window = self._history.setdefault(host, deque())
            while True:
                now = self._clock()
                while window and now - window[0] >= self.period_s:
                    window.popleft()
                if len(window) < self.calls:
                    window.append(now)
                    return waited
                pause = self.period_s - (now - window[0])
                self._sleep(pause)
                waited += pause


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait per a Retry-After header (seconds or HTTP-date); None if absent/bad."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - (now if now is not None else time.time()))


def _is_transient(exc: BaseException) -> bool:
    return isinstance(
        exc,
        TransientHttpError
        | requests.ConnectionError
        | requests.Timeout
        | requests.exceptions.ChunkedEncodingError,
    )


class HttpClient:
    """A ``requests`` session with the project's HTTP discipline. One per source and load."""

    def __init__(
        self,
        config: HttpConfig | None = None,
        session: requests.Session | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.config = config or HttpConfig()
        self.session = session or requests.Session()
        self.session.headers.update(
            {"User-Agent": self.config.user_agent, "Accept": "application/json"}
        )
        self.stats = HttpStats()
        self.last_headers: dict[str, str] = {}
        # Requests may run on several threads (a source's concurrency); the stats are shared.
        self._stats_lock = threading.Lock()
        self._sleep = sleep
        self._limiter = RateLimiter(self.config.calls_per_period, self.config.period_s, sleep=sleep)
        self._exp_wait = wait_random_exponential(
            multiplier=self.config.backoff_initial_s, max=self.config.backoff_max_s
        )

    def _wait(self, state: RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome else None
        if isinstance(exc, TransientHttpError) and exc.retry_after_s is not None:
            wait = min(exc.retry_after_s, self.config.max_retry_after_s)
            with self._stats_lock:
                self.stats.retry_after_waits_s += wait
            log.warning(
                "%s answered %s; waiting %.1fs as Retry-After asks", exc.url, exc.status, wait
            )
            return wait
        return self._exp_wait(state)

    def _before_sleep(self, state: RetryCallState) -> None:
        with self._stats_lock:
            self.stats.retries += 1
        exc = state.outcome.exception() if state.outcome else None
        log.warning("retrying (attempt %d failed: %s)", state.attempt_number, exc)

    def get_bytes(self, url: str, params: dict[str, str] | None = None) -> bytes:
        """GET ``url``; the complete body, or :class:`FetchError` when it fails for good."""
        return self._request("GET", url, params)

    def get_json(self, url: str, params: dict[str, str] | None = None) -> tuple[Any, bytes]:
        """GET and parse JSON; returns (document, raw body). A parse error is never swallowed."""
        body = self.get_bytes(url, params)
        return _parse_json(url, body), body

    def post(self, url: str, payload: Any) -> bytes:
        """POST ``payload`` as JSON; the raw answer (a webhook need not answer JSON)."""
        return self._request("POST", url, None, json.dumps(payload, ensure_ascii=False))

    def post_json(
        self, url: str, payload: Any, params: dict[str, str] | None = None
    ) -> tuple[Any, bytes]:
        """POST ``payload`` as JSON and parse the JSON answer; returns (document, raw body).

        Same discipline as :meth:`get_json`: timeouts, rate limit, retries on transient failures
        (the same body is sent again), errors naming the URL. PxWeb queries are read-only, so a
        retried POST is safe.
        """
        body = self._request("POST", url, params, json.dumps(payload, ensure_ascii=False))
        return _parse_json(url, body), body

    def _request(
        self,
        method: str,
        url: str,
        params: dict[str, str] | None = None,
        data: str | None = None,
    ) -> bytes:
        retrying = Retrying(
            stop=stop_after_attempt(self.config.max_attempts),
            wait=self._wait,
            retry=retry_if_exception(_is_transient),
            before_sleep=self._before_sleep,
            sleep=self._sleep,
            reraise=True,
        )
        full_url = requests.Request(method, url, params=params).prepare().url or url
        attempts = self.config.max_attempts
        try:
            body = retrying(self._attempt, full_url, method, data)
        except TransientHttpError as exc:
            raise FetchError(full_url, str(exc), attempts, method) from exc
        except requests.Timeout as exc:
            raise FetchError(
                full_url, f"timed out ({exc.__class__.__name__}: {exc})", attempts, method
            ) from exc
        except (requests.ConnectionError, requests.exceptions.ChunkedEncodingError) as exc:
            raise FetchError(
                full_url, f"{exc.__class__.__name__}: {exc}", attempts, method
            ) from exc
        with self._stats_lock:
            self.stats.urls.append(full_url)
        return body

    def _attempt(self, url: str, method: str = "GET", data: str | None = None) -> bytes:
        host = urlsplit(url).netloc
        limited = self.config.rate_limited_hosts
        if limited is None or host in limited:
            self._limiter.acquire(host)
        with self._stats_lock:
            self.stats.requests += 1
        timeout = (self.config.connect_timeout_s, self.config.read_timeout_s)
        if data is None:
            response = self.session.request(method, url, timeout=timeout, stream=True)
        else:
            response = self.session.request(
                method,
                url,
                data=data.encode("utf-8"),
                headers={"Content-Type": "application/json; charset=utf-8"},
                timeout=timeout,
                stream=True,
            )
        with response:
            return self._read(response, url, method)

    def _read(self, response: requests.Response, url: str, method: str) -> bytes:
        with self._stats_lock:
            self.stats.status_counts[response.status_code] += 1
        if response.status_code in TRANSIENT_STATUS:
            raise TransientHttpError(
                url, response.status_code, parse_retry_after(response.headers.get("Retry-After"))
            )
        if response.status_code >= 400:
            # Not retried (a 4xx but 429 answers the same again): the status and the start of
            # the body go to the caller, which may split a request refused as too large.
            raise HttpStatusError(
                url,
                response.status_code,
                _head(response, MAX_ERROR_BODY),
                method,
                response.headers.get("Content-Type", ""),
            )
        body = self._body(response, url, method)
        expected = response.headers.get("Content-Length")
        if expected is not None and expected.isdigit() and int(expected) != len(body):
            raise requests.exceptions.ChunkedEncodingError(
                f"incomplete body: {len(body)} of {expected} bytes"
            )
        with self._stats_lock:
            self.stats.bytes += len(body)
            self.last_headers = dict(response.headers)
        return body

    def _body(self, response: requests.Response, url: str, method: str) -> bytes:
        """The body, read in chunks up to ``max_response_bytes`` (a bigger one, announced or
        endless, is refused for good: retrying would fetch it again). Raises
        ChunkedEncodingError on a body shorter than announced."""
        limit = self.config.max_response_bytes
        announced = response.headers.get("Content-Length")
        if announced is not None and announced.isdigit() and int(announced) > limit:
            raise FetchError(
                url,
                f"response of {int(announced)} bytes exceeds the {limit}-byte limit",
                method=method,
            )
        body = bytearray()
        for chunk in response.iter_content(chunk_size=64 * 1024):
            body += chunk
            if len(body) > limit:
                raise FetchError(
                    url,
                    f"response exceeds the {limit}-byte limit (stopped after {len(body)} bytes)",
                    method=method,
                )
        return bytes(body)


def _head(response: requests.Response, limit: int) -> bytes:
    """At most ``limit`` bytes of the body (an error answer is never read whole)."""
    head = bytearray()
    try:
        for chunk in response.iter_content(chunk_size=1024):
            head += chunk
            if len(head) >= limit:
                break
    except (requests.ConnectionError, requests.exceptions.ChunkedEncodingError):
        pass  # the status is the answer; a broken error body is no reason to retry
    return bytes(head[:limit])


def _parse_json(url: str, body: bytes) -> Any:
    try:
        return json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ResponseFormatError(
            url, f"body is not valid JSON ({exc}); {len(body)} bytes received"
        ) from exc
