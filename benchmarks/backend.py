"""One database's run: `python -m benchmarks.backend NAME OUT.json`, in the environment that
`python -m benchmarks` prepared (DATABASE_URL pointing at a throwaway database, production-like
settings). Migrates, seeds, measures, and writes the figures as JSON."""

from __future__ import annotations

import json
import os
import sys
import time
from dataclasses import asdict
from pathlib import Path

import django

SIZES = [100, 10_000, 100_000]
SMALL, LARGE = SIZES[0], SIZES[-1]
HTTP_SIZE = 10_000  # the journal the HTTP phase reads
PROFILES = Path(__file__).resolve().parent / "profiles"


def main(name: str, out: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from acupressure.loader import load_guides

    from . import http, imports, inprocess, seed, targets
    from .pages import BASELINE, PAGES, POST_PAGE

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    load_guides()
    users = {size: seed.create_user(f"bench-{size}") for size in SIZES}
    writer = seed.create_user("bench-writer")
    seed_started = time.perf_counter()
    for size, user in users.items():
        seed.seed_sessions(user, size)
    seed_seconds = time.perf_counter() - seed_started
    if connection.vendor == "postgresql":
        # What autovacuum does soon after a bulk load in production: without statistics the
        # planner guesses row counts and picks hash joins over whole tables, and without the
        # visibility map it cannot answer from an index alone.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    print(f"  {name}: seeded {sum(SIZES):,} sessions in {seed_seconds:.0f} s", flush=True)

    in_process: dict[str, dict[str, dict]] = {}
    for page in PAGES:
        sizes = SIZES if page.logged_in else [0]
        in_process[page.name] = {
            str(size): asdict(inprocess.measure(page, users.get(size))) for size in sizes
        }
    export = next(page for page in PAGES if page.streaming)
    memory = {str(size): inprocess.export_peak_memory(export, users[size]) for size in SIZES}
    print(f"  {name}: in-process phase done", flush=True)

    load: dict[str, dict] = {}
    cookies = {
        "reader": inprocess.client_for(users[HTTP_SIZE]).cookies,
        "writer": inprocess.client_for(writer).cookies,
    }
    with http.gunicorn() as url:
        for page in (page for page in PAGES if not page.fresh):
            jar = cookies["writer" if page.name == POST_PAGE else "reader"]
            load[page.name] = asdict(
                http.run_locust(
                    url,
                    page.for_user(users[HTTP_SIZE]),
                    {key: morsel.value for key, morsel in jar.items()},
                )
            )
            print(
                f"  {name}: {page.name} {load[page.name]['requests_per_second']:.0f}/s", flush=True
            )

    import_results = imports.measure(seed.create_user)
    print(
        f"  {name}: import checks {import_results['check_rows_per_second']:,.0f} rows/s, "
        f"confirms {import_results['confirm_rows_per_second']:,.0f} rows/s",
        flush=True,
    )

    results = {
        "backend": name,
        "cores": os.cpu_count(),
        "workers": http.workers(),
        "concurrency": http.CONCURRENCY,
        "seconds_per_page": http.SECONDS_PER_PAGE,
        "sizes": SIZES,
        "http_size": HTTP_SIZE,
        "baseline": BASELINE.name,
        "seed_seconds": seed_seconds,
        "in_process": in_process,
        "export_memory": memory,
        "load": load,
        "import": import_results,
    }
    results["targets"] = targets.evaluate(results)
    results["profiles"] = targets.profile_misses(results, users, name, PROFILES)
    results["seconds"] = time.perf_counter() - started
    Path(out).write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main(*sys.argv[1:])
