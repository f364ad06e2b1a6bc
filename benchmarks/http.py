"""Pages under load over HTTP: gunicorn (2 × cores workers) on 127.0.0.1, locust headless."""

from __future__ import annotations

import csv
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

from .pages import Page, new_session_form

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
SECONDS_PER_PAGE = int(os.environ.get("BENCH_SECONDS", "20"))
CONCURRENCY = int(os.environ.get("BENCH_CONCURRENCY", "16"))
CSRF_SECRET = "b" * 32  # an unmasked CSRF secret: the cookie and the form field carry the same


@dataclass
class Load:
    requests_per_second: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    requests: int
    errors: int


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def workers() -> int:
    return 2 * (os.cpu_count() or 1)


@contextmanager
def gunicorn():
    """Yield the base URL of a gunicorn serving this process's environment (settings, database)."""
    port = free_port()
    process = subprocess.Popen(
        [str(BIN / "gunicorn"), "config.wsgi", "-w", str(workers()), "-b", f"127.0.0.1:{port}"],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(url + "/healthz", timeout=2):
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("gunicorn did not start") from None
                time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)


def _number(text: str) -> float:
    """Locust writes N/A for a percentile of no requests."""
    return float("nan") if text == "N/A" else float(text)


def run_locust(url: str, page: Page, cookies: dict[str, str]) -> Load:
    env = {
        **os.environ,
        "BENCH_METHOD": page.method,
        "BENCH_PATH": page.path,
        "BENCH_EXPECT": str(page.expect),
        "BENCH_COOKIES": json.dumps(cookies if page.logged_in else {}),
    }
    if page.method == "POST":
        cookies = {**cookies, "csrftoken": CSRF_SECRET}
        env["BENCH_COOKIES"] = json.dumps(cookies)
        env["BENCH_BODY"] = urlencode(
            {**new_session_form(), "csrfmiddlewaretoken": CSRF_SECRET}, doseq=True
        )
    with tempfile.TemporaryDirectory() as folder:
        prefix = Path(folder) / "locust"
        subprocess.run(
            [
                str(BIN / "locust"),
                "-f",
                str(Path(__file__).with_name("locustfile.py")),
                "--headless",
                "--only-summary",
                "--host",
                url,
                "--users",
                str(CONCURRENCY),
                "--spawn-rate",
                str(CONCURRENCY),
                "--run-time",
                f"{SECONDS_PER_PAGE}s",
                "--csv",
                str(prefix),
                "--loglevel",
                "ERROR",
            ],
            env=env,
            cwd=ROOT,
            check=False,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        with open(f"{prefix}_stats.csv", newline="") as handle:
            (row,) = [r for r in csv.DictReader(handle) if r["Name"] == "Aggregated"]
    return Load(
        requests_per_second=_number(row["Requests/s"]),
        p50_ms=_number(row["50%"]),
        p95_ms=_number(row["95%"]),
        p99_ms=_number(row["99%"]),
        requests=int(row["Request Count"]),
        errors=int(row["Failure Count"]),
    )
