"""Pages timed in process with Django's test client: median, p95 and query count."""

from __future__ import annotations

import statistics
import time
import tracemalloc
from dataclasses import dataclass

from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from .pages import Page, new_session_form

# Each measurement stops at MAX_ITERATIONS or after BUDGET_SECONDS, whichever comes first, but
# never before MIN_ITERATIONS (so a slow page, like a 100,000-session export, still gets a median).
MIN_ITERATIONS, MAX_ITERATIONS, BUDGET_SECONDS = 3, 400, 1.0


@dataclass
class Timing:
    median_ms: float
    p95_ms: float
    iterations: int
    queries: int


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def request(client: Client, page: Page):
    if page.fresh:
        cache.clear()
    if page.method == "POST":
        response = client.post(page.path, new_session_form())
    else:
        response = client.get(page.path)
    if page.streaming:
        for _block in response.streaming_content:  # read and drop, as a client would
            pass
    if response.status_code != page.expect:
        raise RuntimeError(f"{page.method} {page.path} answered {response.status_code}")
    return response


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def measure(page: Page, user=None, *, budget: float = BUDGET_SECONDS) -> Timing:
    client = client_for(user)
    page = page.for_user(user)
    request(client, page)  # warm-up: templates compiled, caches filled
    with CaptureQueriesContext(connection) as queries:
        request(client, page)
    # Read now: the next request's request_started signal clears the connection's query log.
    query_count = len(queries)
    samples: list[float] = []
    deadline = time.perf_counter() + budget
    while len(samples) < MAX_ITERATIONS and (
        len(samples) < MIN_ITERATIONS or time.perf_counter() < deadline
    ):
        start = time.perf_counter()
        request(client, page)
        samples.append((time.perf_counter() - start) * 1000)
    return Timing(
        median_ms=statistics.median(samples),
        p95_ms=percentile(samples, 0.95),
        iterations=len(samples),
        queries=query_count,
    )


def export_peak_memory(page: Page, user) -> int:
    """Peak bytes allocated by Python while one whole export is produced and read."""
    client = client_for(user)
    tracemalloc.start()
    try:
        request(client, page)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
