"""Many people logging at once lose nothing; killed workers and database trouble never leave half a
session or a write that was reported as saved but is missing. Run with: pytest -m load."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from .conftest import database_url, log_session, saved_id, start_server, stop_server

CLIENTS = 20
SESSIONS_EACH = 50


def orphan_sessions(server) -> int:
    ((count,),) = server.sql(
        "SELECT COUNT(*) FROM journal_practicesession s WHERE NOT EXISTS "
        "(SELECT 1 FROM journal_sessionpoint p WHERE p.session_id = s.id)"
    )
    return count


def stored_ids(server) -> set[int]:
    return {row[0] for row in server.sql("SELECT id FROM journal_practicesession")}


def test_twenty_clients_logging_fifty_sessions_each_store_exactly_1000(server):
    def run(username: str) -> tuple[list[int], list[str]]:
        http = server.client(username)
        saved, errors = [], []
        for i in range(SESSIONS_EACH):
            response = log_session(server, http, f"{username} session {i}")
            if (session_id := saved_id(response)) is None:
                errors.append(f"{response.status_code}: {response.text[:200]}")
            else:
                saved.append(session_id)
        return saved, errors

    with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
        results = list(pool.map(run, server.users))
    saved = [i for ids, _ in results for i in ids]
    errors = [e for _, errs in results for e in errs]
    assert errors == []
    assert len(saved) == len(set(saved)) == CLIENTS * SESSIONS_EACH
    ((sessions,),) = server.sql("SELECT COUNT(*) FROM journal_practicesession")
    ((points,),) = server.sql("SELECT COUNT(*) FROM journal_sessionpoint")
    assert (sessions, points) == (1000, 2000)
    assert orphan_sessions(server) == 0


def test_a_worker_killed_mid_write_leaves_no_half_sessions_and_no_false_success(server):
    reported: list[int] = []
    stop = threading.Event()

    def writer(http: requests.Session, username: str) -> None:
        n = 0
        while not stop.is_set() and n < 200:
            n += 1
            try:
                response = log_session(server, http, f"{username} {n}")
            except requests.RequestException:
                continue  # the connection died with the worker: the client was not told "saved"
            if (session_id := saved_id(response)) is not None:
                reported.append(session_id)

    # Everyone logs in before any worker is killed; only the writes race with the kill.
    clients = [(server.client(name), name) for name in server.users[:8]]
    threads = [threading.Thread(target=writer, args=client) for client in clients]
    for thread in threads:
        thread.start()
    time.sleep(1.5)
    for pid in server.workers()[:2]:
        os.kill(pid, signal.SIGKILL)
    time.sleep(1.5)
    stop.set()
    for thread in threads:
        thread.join(timeout=120)
    assert reported, "no session was saved at all"
    assert orphan_sessions(server) == 0
    assert set(reported) <= stored_ids(server)
    # gunicorn replaced the killed workers and the service goes on.
    http = server.client(server.users[0])
    assert saved_id(log_session(server, http, "after the kill")) is not None


@pytest.fixture
def sqlite_server(tmp_path):
    server = start_server(
        database_url("sqlite", tmp_path), tmp_path, users=1, extra_env={"SQLITE_BUSY_TIMEOUT": "1"}
    )
    server.path = tmp_path / "load.sqlite3"
    yield server
    stop_server(server)


def test_a_locked_sqlite_database_gives_a_retryable_page_then_saves(sqlite_server):
    server = sqlite_server
    http = server.client(server.users[0])
    lock = sqlite3.connect(server.path, timeout=5, isolation_level=None)
    lock.execute("BEGIN EXCLUSIVE")
    try:
        response = log_session(server, http, "while locked")
    finally:
        lock.execute("ROLLBACK")
        lock.close()
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"
    assert "Please try again in a moment" in response.text
    assert stored_ids(server) == set()
    retry = log_session(server, http, "after the lock")
    assert saved_id(retry) in stored_ids(server)
    assert len(stored_ids(server)) == 1


def postgres_cluster() -> str:
    return sorted(os.listdir("/etc/postgresql"))[-1]


@pytest.fixture
def postgres_server(tmp_path):
    if not os.path.isdir("/etc/postgresql"):
        pytest.skip("no local PostgreSQL cluster to restart")
    server = start_server(database_url("postgres", tmp_path), tmp_path, users=1)
    yield server
    stop_server(server)


def test_postgresql_restart_gives_retryable_errors_never_a_lost_write(postgres_server):
    server = postgres_server
    http = server.client(server.users[0])
    reported = [saved_id(log_session(server, http, "before the restart"))]
    restart = subprocess.Popen(
        [
            "pg_ctlcluster",
            "--skip-systemctl-redirect",
            postgres_cluster(),
            "main",
            "restart",
            "-m",
            "fast",
        ]
    )
    statuses = []
    deadline = time.monotonic() + 30
    while restart.poll() is None and time.monotonic() < deadline:
        try:
            response = log_session(server, http, "during the restart")
        except requests.RequestException as error:
            statuses.append(type(error).__name__)
            continue
        statuses.append(response.status_code)
        assert response.status_code in {302, 503}, response.text[:300]
        if (session_id := saved_id(response)) is not None:
            reported.append(session_id)
        time.sleep(0.05)
    assert restart.wait(timeout=60) == 0
    for _ in range(50):  # the cluster takes a moment to accept connections again
        response = log_session(server, http, "after the restart")
        if response.status_code == 302:
            break
        assert response.status_code == 503
        time.sleep(0.2)
    reported.append(saved_id(response))
    assert None not in reported
    assert set(reported) <= stored_ids(server)
    assert orphan_sessions(server) == 0
