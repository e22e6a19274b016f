from __future__ import annotations

import pytest

from ingest.config import HttpConfig
from ingest.http import HttpClient, RateLimiter, parse_retry_after


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


@pytest.mark.parametrize(
    ("header", "expected"),
    [("7", 7.0), ("0", 0.0), (None, None), ("", None), ("soon", None)],
    ids=["seconds", "zero", "absent", "empty", "garbage"],
)
def test_parse_retry_after_reads_seconds_and_rejects_garbage(header, expected):
    assert parse_retry_after(header) == expected


def test_parse_retry_after_reads_an_http_date_relative_to_now():
    # 'Wed, 21 Oct 2015 07:28:00 GMT' is 1445412480 in epoch seconds; 30 s before it → 30 s wait.
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412450.0) == pytest.approx(
        30.0
    )


def test_rate_limiter_blocks_the_call_past_the_limit_until_the_window_frees():
    clock = FakeClock()
    limiter = RateLimiter(calls=3, period_s=1.0, clock=clock, sleep=clock.sleep)
    waits = [limiter.acquire("api.example.org") for _ in range(4)]
    # Three calls at t=100 fit; the fourth must wait until the first leaves the window (t=101).
    assert waits[:3] == [0.0, 0.0, 0.0]
    assert waits[3] == pytest.approx(1.0)


def test_rate_limiter_counts_hosts_separately():
    clock = FakeClock()
    limiter = RateLimiter(calls=1, period_s=10.0, clock=clock, sleep=clock.sleep)
    assert limiter.acquire("a.example.org") == 0.0
    assert limiter.acquire("b.example.org") == 0.0
    assert clock.slept == []


@pytest.mark.parametrize(
    ("field", "value"),
    [("read_timeout_s", 0), ("max_attempts", 0), ("calls_per_period", 0)],
    ids=["timeout", "attempts", "rate"],
)
def test_http_config_rejects_values_that_would_disable_a_safeguard(field, value):
    with pytest.raises(ValueError, match=field):
        HttpConfig(**{field: value})


class _Answer:
    def __init__(self) -> None:
        self.status_code, self.headers = 200, {}

    def __enter__(self) -> _Answer:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def iter_content(self, chunk_size: int = 1):
        yield b"{}"


class _Session:
    def __init__(self) -> None:
        self.headers: dict[str, str] = {}

    def request(self, method, url, **kwargs):
        return _Answer()


def test_the_rate_limit_applies_only_to_the_hosts_it_protects():
    clock = FakeClock()
    config = HttpConfig(
        calls_per_period=1,
        period_s=10.0,
        rate_limited_hosts=frozenset({"127.0.0.2"}),  # stands in for api.scb.se
    )
    client = HttpClient(config, session=_Session(), sleep=clock.sleep)
    client._limiter = RateLimiter(1, 10.0, clock=clock, sleep=clock.sleep)
    for _ in range(3):
        client.get_json("http://127.0.0.1:8765/api/v2/config")
    assert clock.slept == []  # the replay on loopback is not throttled by SCB's limit
    client.get_json("http://127.0.0.2/OV0104/v1/doris/sv/ssd/AM")
    client.get_json("http://127.0.0.2/OV0104/v1/doris/sv/ssd/AM")
    assert clock.slept == [pytest.approx(10.0)]  # the second call to SCB waits out the window
