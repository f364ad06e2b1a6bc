"""`make bench`: run every database in turn, then print and write benchmarks/results.md.

Each database gets a throwaway copy (a temporary SQLite file; a PostgreSQL database with a unique
name, dropped at the end) and its own process, with production-like settings (DEBUG off).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

from .report import markdown

ROOT = Path(__file__).resolve().parent.parent
POSTGRES_ADMIN_URL = os.environ.get(
    "BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres"
)
BACKENDS = os.environ.get("BENCH_BACKENDS", "sqlite,postgres").split(",")
OUTPUT = Path(os.environ.get("BENCH_OUTPUT", ROOT / "benchmarks" / "results.md"))


@contextmanager
def sqlite_database(folder: Path):
    yield f"sqlite:///{folder / 'bench.sqlite3'}"


@contextmanager
def postgres_database():
    import psycopg

    name = f"bench_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def environment(folder: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "benchmarks.settings",
        "PYTHONPATH": str(ROOT),
        "DEBUG": "False",
        "SECRET_KEY": "bench-" + uuid.uuid4().hex,
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "SECURE_SSL_REDIRECT": "False",
        "SESSION_COOKIE_SECURE": "False",
        "CSRF_COOKIE_SECURE": "False",
        "SECURE_HSTS_SECONDS": "0",
        "STATIC_ROOT": str(folder / "static"),
        # The API list is measured, not its throttle.
        "API_USER_RATE": "100000000/minute",
        "LOG_LEVEL": "WARNING",
    }


def main() -> None:
    started = time.perf_counter()
    runs = []
    for old_profile in (ROOT / "benchmarks" / "profiles").glob("*.txt"):
        old_profile.unlink()  # the profiles of the last run's misses, not this one's
    with tempfile.TemporaryDirectory(prefix="acupressure-bench-") as tmp:
        folder = Path(tmp)
        env = environment(folder)
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--no-input", "-v", "0"],
            cwd=ROOT,
            env={**env, "DATABASE_URL": f"sqlite:///{folder / 'static.sqlite3'}"},
            check=True,
        )
        for backend in BACKENDS:
            database = postgres_database() if backend == "postgres" else sqlite_database(folder)
            out = folder / f"{backend}.json"
            print(f"{backend}:", flush=True)
            with database as url:
                subprocess.run(
                    [sys.executable, "-m", "benchmarks.backend", backend, str(out)],
                    cwd=ROOT,
                    env={**env, "DATABASE_URL": url},
                    check=True,
                )
            runs.append(json.loads(out.read_text()))
    text = markdown(runs, time.perf_counter() - started)
    OUTPUT.write_text(text)
    print(text)
    print(f"Written to {OUTPUT}")


if __name__ == "__main__":
    main()
