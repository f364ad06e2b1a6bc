"""Worst-case imports against gunicorn as production runs it (2 workers, 30 s timeout): the site
keeps answering, every upload gets a clean answer, no worker is killed (issue 16). Before the row
cap, two of these uploads kept both workers busy for minutes: /guides/bl23/ went unanswered, both
workers were killed at the timeout and both uploads got a 500.

Run with: pytest -m load tests/load/test_import_flood.py
"""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest
import requests

from .conftest import database_url, start_server, stop_server

MAX_BYTES = 5 * 1024 * 1024  # IMPORT_MAX_BYTES's default
MAX_ROWS = 20_000  # IMPORT_MAX_ROWS's default
HEADER = "started_at,points,seconds,pain_before,pain_after,pain_later,area,notes\n"
# Far more than a guide page takes even behind an upload; far less than the 30 s worker timeout.
GENEROUS = 10


def valid_rows(count: int) -> list[str]:
    start = datetime(2025, 1, 1, tzinfo=UTC)
    return [
        f"{(start + timedelta(minutes=i)).isoformat()},BL23;LI4,60;90,7,4,,lower-back,"
        for i in range(count)
    ]


def filled(unit: str) -> bytes:
    """The header, then ``unit`` again and again, up to exactly MAX_BYTES."""
    return (HEADER + unit * (MAX_BYTES // len(unit))).encode()[:MAX_BYTES]


WORST = filled("a\n")  # the file: 2.6 million rows of "a"
FULL = filled(valid_rows(1)[0] + "\n")  # about 90,000 valid rows


def upload(server, http: requests.Session, name: str, content: bytes) -> requests.Response:
    return http.post(
        f"{server.url}/journal/import/",
        data={"csrfmiddlewaretoken": http.cookies["csrftoken"]},
        files={"file": (name, content, "text/csv")},
        allow_redirects=False,
        timeout=60,
    )


def gunicorn_log(server) -> str:
    return (server.tmp_path / "gunicorn.log").read_text()


# Uploads an hour per person, counted in a cache both workers share (as with Redis in production).
# Each test below has its own user, and none but the last reaches the limit.
UPLOADS_PER_HOUR = 4


@pytest.fixture(scope="module")
def production_server(tmp_path_factory):
    """SQLite, with the production worker count and timeout from the issue. One server for the
    module: starting one takes minutes (collectstatic compresses every stylesheet)."""
    tmp_path = tmp_path_factory.mktemp("production")
    env = {
        "IMPORT_UPLOADS_PER_HOUR": str(UPLOADS_PER_HOUR),
        "CACHE_URL": f"filecache://{tmp_path / 'cache'}",
    }
    server = start_server(
        database_url("sqlite", tmp_path), tmp_path, users=4, extra_env=env, workers=2, timeout=30
    )
    server.tmp_path = tmp_path
    yield server
    stop_server(server)


def test_two_worst_case_uploads_at_once_leave_the_guides_answering(production_server):
    server = production_server
    clients = [server.client(name) for name in server.users[:2]]
    workers = set(server.workers())
    answers: list[tuple[object, float]] = []
    stop = threading.Event()

    def read_guides() -> None:
        visitor = requests.Session()
        visitor.trust_env = False
        while not stop.is_set():
            started = time.monotonic()
            try:
                status = visitor.get(f"{server.url}/guides/", timeout=GENEROUS).status_code
            except requests.RequestException as error:
                status = type(error).__name__
            answers.append((status, time.monotonic() - started))
            time.sleep(0.05)

    reader = threading.Thread(target=read_guides)
    reader.start()
    try:
        with ThreadPoolExecutor(max_workers=2) as pool:
            for _ in range(3):  # the same two uploads, sent again and again
                responses = list(
                    pool.map(
                        lambda job: upload(server, *job),
                        [(clients[0], "worst.csv", WORST), (clients[1], "full.csv", FULL)],
                    )
                )
                for response in responses:
                    assert response.status_code == 400, response.text[:500]
                    assert f"This file has more than {MAX_ROWS:,} rows" in response.text
                    assert "keep the first row (the column names)" in response.text
    finally:
        stop.set()
        reader.join(timeout=60)

    assert answers, "the guides were never asked for"
    assert {status for status, _ in answers} == {200}, answers
    assert max(seconds for _, seconds in answers) < GENEROUS
    assert set(server.workers()) == workers, "a worker was replaced"
    assert "WORKER TIMEOUT" not in gunicorn_log(server)
    assert server.sql("SELECT COUNT(*) FROM journal_pendingimport") == [(0,)]
    assert server.sql("SELECT COUNT(*) FROM journal_practicesession") == [(0,)]


def test_a_file_at_the_row_cap_is_checked_and_imported_within_the_timeout(production_server):
    server = production_server
    http = server.client(server.users[2])
    content = (HEADER + "\n".join(valid_rows(MAX_ROWS))).encode()
    response = upload(server, http, "cap.csv", content)
    assert response.status_code == 302, response.text[:500]
    review = http.get(server.url + response.headers["Location"], timeout=60)
    assert f"{MAX_ROWS} sessions in the file" in review.text
    confirmed = http.post(
        server.url + response.headers["Location"],
        data={"action": "import", "csrfmiddlewaretoken": http.cookies["csrftoken"]},
        allow_redirects=False,
        timeout=60,
    )
    assert confirmed.status_code == 302
    assert server.sql("SELECT COUNT(*) FROM journal_practicesession") == [(MAX_ROWS,)]
    assert server.sql("SELECT COUNT(*) FROM journal_sessionpoint") == [(2 * MAX_ROWS,)]
    assert "WORKER TIMEOUT" not in gunicorn_log(server)


def test_uploads_over_the_hourly_limit_get_a_clean_429(production_server):
    server = production_server
    http = server.client(server.users[3])
    statuses = [
        upload(server, http, "worst.csv", WORST).status_code for _ in range(UPLOADS_PER_HOUR)
    ]
    assert statuses == [400] * UPLOADS_PER_HOUR
    for _ in range(3):  # a whole 5 MB body each time, and still an answer rather than a reset
        response = upload(server, http, "worst.csv", WORST)
        assert response.status_code == 429
        assert int(response.headers["Retry-After"]) > 3500
        assert "You can send another in 60 minutes." in response.text
    assert http.get(f"{server.url}/guides/", timeout=GENEROUS).status_code == 200
