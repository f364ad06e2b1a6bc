"""A real gunicorn (4 workers) on 127.0.0.1 against a throwaway SQLite file or PostgreSQL database."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
PG_ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres"
PG_LOAD_DB = "acupressure_load"
PASSWORD = "load-test pass phrase 9"


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).resolve().parent
    for item in items:
        if here in Path(item.fspath).resolve().parents:
            item.add_marker(pytest.mark.load)


# Static files are collected once per test run, not once per server: compressing them (brotli
# and gzip for every Pico theme) takes most of a minute, and they do not depend on the database.
_STATIC: dict[str, Path] = {}


@pytest.fixture(scope="session", autouse=True)
def shared_static_root(tmp_path_factory):
    _STATIC["root"] = tmp_path_factory.mktemp("static")
    yield _STATIC["root"]
    _STATIC.clear()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def postgres_available() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 5432), timeout=1):
            return True
    except OSError:
        return False


@dataclass
class Server:
    url: str
    env: dict
    process: subprocess.Popen
    users: list[str] = field(default_factory=list)

    def manage(self, *args: str, input: str | None = None) -> str:
        result = subprocess.run(
            [str(BIN / "python"), "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            input=input,
            check=True,
        )
        return result.stdout

    def sql(self, query: str) -> list[tuple]:
        """Run a read-only query through Django's connection (same code path for both databases)."""
        code = (
            "import json; from django.db import connection; c = connection.cursor(); "
            f"c.execute({query!r}); print('ROWS' + json.dumps(c.fetchall()))"
        )
        (line,) = [x for x in self.manage("shell", "-c", code).splitlines() if x.startswith("ROWS")]
        return [tuple(row) for row in json.loads(line[4:])]

    def workers(self) -> list[int]:
        out = subprocess.run(
            ["pgrep", "-P", str(self.process.pid)], capture_output=True, text=True
        ).stdout
        return [int(pid) for pid in out.split()]

    def client(self, username: str) -> requests.Session:
        http = requests.Session()
        http.trust_env = False  # never route loopback traffic through a proxy from the environment
        http.get(f"{self.url}/accounts/login/", timeout=30)
        response = http.post(
            f"{self.url}/accounts/login/",
            data={
                "username": username,
                "password": PASSWORD,
                "csrfmiddlewaretoken": http.cookies["csrftoken"],
            },
            allow_redirects=False,
            timeout=30,
        )
        assert response.status_code == 302, response.text[:500]
        return http


def log_session(server: Server, http: requests.Session, note: str) -> requests.Response:
    return http.post(
        f"{server.url}/journal/new/",
        data={
            "csrfmiddlewaretoken": http.cookies["csrftoken"],
            "points": ["bl23", "li4"],
            "pain_before": "7",
            "pain_after": "4",
            "area": "lower-back",
            "started_at": time.strftime("%Y-%m-%dT%H:%M", time.gmtime(time.time() - 3600)),
            "notes": note,
        },
        allow_redirects=False,
        timeout=60,
    )


def saved_id(response: requests.Response) -> int | None:
    if response.status_code != 302:
        return None
    # The journal opens with the new session and its undo button: /journal/?saved=<id>.
    match = re.search(r"/journal/\?saved=(\d+)$", response.headers["Location"])
    return int(match.group(1)) if match else None


def start_server(
    database_url: str,
    tmp_path: Path,
    users: int,
    extra_env: dict | None = None,
    *,
    workers: int = 4,
    timeout: int = 60,
) -> Server:
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DEBUG": "False",
        "SECRET_KEY": "load-test-secret-key-not-for-production-0123456789abcdef",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "False",
        "SESSION_COOKIE_SECURE": "False",
        "CSRF_COOKIE_SECURE": "False",
        "SECURE_HSTS_SECONDS": "0",
        "STATIC_ROOT": str(_STATIC["root"]),
        "LOG_LEVEL": "WARNING",
        **(extra_env or {}),
    }
    server = Server(url=f"http://127.0.0.1:{port}", env=env, process=None)  # type: ignore[arg-type]
    server.manage("migrate", "--no-input")
    server.manage("load_guides")
    if not (_STATIC["root"] / "staticfiles.json").exists():
        server.manage("collectstatic", "--no-input")
    server.users = [f"loaduser{i}" for i in range(users)]
    server.manage(
        "shell",
        "-c",
        "from django.contrib.auth import get_user_model; U = get_user_model(); "
        f"[U.objects.create_user(name, password={PASSWORD!r}) for name in {server.users!r}]",
    )
    log = (tmp_path / "gunicorn.log").open("w")  # noqa: SIM115 (open for the server's lifetime)
    server.process = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "config.wsgi",
            "-w",
            str(workers),
            "-b",
            f"127.0.0.1:{port}",
            "--timeout",
            str(timeout),
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=log,
    )
    deadline = time.monotonic() + 60
    probe = requests.Session()
    probe.trust_env = False
    while time.monotonic() < deadline:
        try:
            if probe.get(f"{server.url}/healthz", timeout=5).status_code == 200:
                return server
        except requests.RequestException:
            time.sleep(0.3)
    server.process.kill()
    raise RuntimeError("gunicorn did not start: " + (tmp_path / "gunicorn.log").read_text()[-2000:])


def stop_server(server: Server) -> None:
    server.process.send_signal(signal.SIGTERM)
    try:
        server.process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        server.process.kill()


def database_url(kind: str, tmp_path: Path) -> str:
    if kind == "sqlite":
        return f"sqlite:///{tmp_path / 'load.sqlite3'}"
    if not postgres_available():
        pytest.skip("PostgreSQL is not running on 127.0.0.1:5432")
    import psycopg

    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {PG_LOAD_DB} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {PG_LOAD_DB}")
    return f"postgres://postgres@127.0.0.1:5432/{PG_LOAD_DB}"


@pytest.fixture(params=["sqlite", "postgres"])
def server(request, tmp_path):
    server = start_server(database_url(request.param, tmp_path), tmp_path, users=20)
    server.kind = request.param
    yield server
    stop_server(server)
