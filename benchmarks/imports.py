"""The import, timed in process through its two requests: check (the upload) and confirm.

- rows per second to check and to confirm a file of realistic export rows at the row cap
  (settings.IMPORT_MAX_ROWS), and of one where every row has a problem;
- the time to answer the worst files that fit in IMPORT_MAX_BYTES: a header and millions of lines
  of "a" (or of blank rows), and a file of valid rows (about 150,000), all refused by the row cap.

Part of `make bench` (``measure`` is called by benchmarks/backend.py). To run only this part, with
the same production-like settings on throwaway databases: `python -m benchmarks.imports`
(SQLite; `BENCH_BACKENDS=sqlite,postgres` for both, as `make bench` does).
"""

from __future__ import annotations

import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

HEADER = (
    "started_at,points,seconds,pain_before,pain_after,pain_later,area,notes,routine,show_in_report"
)
REPEATS = 3
# The in-process upper bounds the issue asks for; the server's timeout is 30 s.
CHECK_GOAL_S, CONFIRM_GOAL_S, WORST_GOAL_S = 2.0, 3.0, 1.0


def export_rows(count: int, codes: list[str], *, seed: int = 9) -> list[str]:
    """``count`` rows as the CSV export writes them, an hour apart going back from yesterday."""
    from django.utils import timezone

    from journal.models import PainArea

    rng = random.Random(seed)
    start = timezone.now() - timedelta(days=1)
    rows = []
    for i in range(count):
        points = rng.sample(codes, rng.randint(1, 3))
        when = (start - timedelta(hours=i)).isoformat(timespec="seconds")
        before = rng.randint(2, 9)
        rows.append(
            f"{when},{';'.join(points)},{';'.join(str(rng.choice((30, 60, 90))) for _ in points)},"
            f"{before},{rng.randint(max(0, before - 5), before)},,{rng.choice(PainArea.values)},"
            f"{rng.choice(('', 'felt warm', 'after work'))},,no"
        )
    return rows


def fill(unit: str, max_bytes: int) -> bytes:
    """The header, then ``unit`` repeated up to exactly ``max_bytes``."""
    head = HEADER + "\n"
    return (head + unit * ((max_bytes - len(head)) // len(unit) + 1)).encode()[:max_bytes]


def full_valid_file(codes: list[str], max_bytes: int) -> tuple[bytes, int]:
    """As many valid export rows as fit in ``max_bytes``, and how many that is."""
    rows = export_rows(max_bytes // 40, codes)
    content, count = HEADER.encode(), 0
    for row in rows:
        line = b"\n" + row.encode()
        if len(content) + len(line) > max_bytes:
            break
        content += line
        count += 1
    return content, count


def _size(size: int) -> str:
    return f"{size / 1024 / 1024:g} MB" if size >= 1024 * 1024 else f"{size / 1024:.0f} kB"


def _post(client, path: str, data: dict, expect: int) -> tuple[float, object]:
    started = time.perf_counter()
    response = client.post(path, data)
    seconds = time.perf_counter() - started
    if response.status_code != expect:
        raise RuntimeError(f"POST {path} answered {response.status_code}, not {expect}")
    return seconds, response


def _upload(client, name: str, content: bytes, expect: int) -> tuple[float, object]:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return _post(client, "/journal/import/", {"file": SimpleUploadedFile(name, content)}, expect)


def measure(create_user) -> dict:
    """Median of REPEATS runs, each with a new user from ``create_user(name)``."""
    from django.conf import settings
    from django.test import Client

    from acupressure.models import Point
    from journal.models import PracticeSession

    cap, max_bytes = settings.IMPORT_MAX_ROWS, settings.IMPORT_MAX_BYTES
    codes = list(Point.objects.values_list("code", flat=True))
    at_cap = "\n".join([HEADER, *export_rows(cap, codes)]).encode()
    all_bad = "\n".join([HEADER, *(f"not a time {i},ZZ{i},,11,x,,elbow," for i in range(cap))])
    full, full_rows = full_valid_file(codes, max_bytes)
    worst = {
        "a": fill("a\n", max_bytes),
        "blank": fill(",\n", max_bytes),
        "full": full,
    }
    samples: dict[str, list[float]] = {}
    for repeat in range(REPEATS):
        user = create_user(f"bench-import-{repeat}")
        client = Client()
        client.force_login(user)
        client.get("/journal/import/")  # warm-up: the client's middleware, the templates
        timings = {}
        timings["check"], response = _upload(client, "cap.csv", at_cap, 302)
        timings["confirm"], _ = _post(client, response.url, {"action": "import"}, 302)
        created = PracticeSession.objects.filter(user=user).count()
        if created != cap:
            raise RuntimeError(f"{created} sessions imported, not {cap}")
        timings["check_all_bad"], _ = _upload(client, "bad.csv", all_bad.encode(), 302)
        for name, content in worst.items():
            timings[f"worst_{name}"], response = _upload(client, f"{name}.csv", content, 400)
            if "This file has more than" not in response.text:
                raise RuntimeError(f"the {name} file was not refused for its rows")
        for name, seconds in timings.items():
            samples.setdefault(name, []).append(seconds)
        PracticeSession.objects.filter(user=user).delete()
    medians = {name: statistics.median(values) for name, values in samples.items()}
    return {
        "max_rows": cap,
        "max_bytes": max_bytes,
        "at_cap_bytes": len(at_cap),
        "full_rows": full_rows,
        "seconds": medians,
        "check_rows_per_second": cap / medians["check"],
        "confirm_rows_per_second": cap / medians["confirm"],
        "check_all_bad_rows_per_second": cap / medians["check_all_bad"],
    }


def targets(results: dict) -> list[dict]:
    data = results.get("import")
    if not data:
        return []
    cap, seconds = data["max_rows"], data["seconds"]
    worst = max(seconds[f"worst_{name}"] for name in ("a", "blank", "full"))
    return [
        {
            "name": name,
            "page": None,
            "measured": f"{value:.2f} s",
            "goal": f"≤ {goal:.0f} s",
            "passed": value <= goal,
        }
        for name, value, goal in (
            (f"import check at {cap:,} rows", seconds["check"], CHECK_GOAL_S),
            (f"import confirm at {cap:,} rows", seconds["confirm"], CONFIRM_GOAL_S),
            (f"import refusal of the worst {_size(data['max_bytes'])} file", worst, WORST_GOAL_S),
        )
    ]


def table(runs: list[dict]) -> list[str]:
    """The import section of benchmarks/results.md."""
    runs = [run for run in runs if run.get("import")]
    if not runs:
        return []
    first = runs[0]["import"]
    size = _size(first["max_bytes"])
    lines = [
        "## Import",
        "",
        f"In process, median of {REPEATS}: a file of {first['max_rows']:,} export rows (the row "
        f"cap, {first['at_cap_bytes'] / 1e6:.1f} MB) checked and confirmed, the same number of "
        f"rows each with problems, and three {size} files (the byte cap) that the row cap "
        f"refuses: a header and lines of `a`, blank rows, and {first['full_rows']:,} valid rows.",
        "",
        "| database | check rows/s | confirm rows/s | check s | confirm s | all-bad rows/s "
        f"| {size} of `a` s | {size} blank rows s | {size} valid rows s |",
        "|---|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for run in runs:
        data, seconds = run["import"], run["import"]["seconds"]
        lines.append(
            f"| {run['backend']} | {data['check_rows_per_second']:,.0f} | "
            f"{data['confirm_rows_per_second']:,.0f} | {seconds['check']:.2f} | "
            f"{seconds['confirm']:.2f} | {data['check_all_bad_rows_per_second']:,.0f} | "
            f"{seconds['worst_a']:.3f} | {seconds['worst_blank']:.3f} | "
            f"{seconds['worst_full']:.3f} |"
        )
    return [*lines, ""]


def run(backend: str, out: str) -> None:
    """In a process that `main` prepared: migrate, load the guides, measure, write JSON."""
    import django

    django.setup()
    from django.core.management import call_command

    from acupressure.loader import load_guides

    from . import seed

    call_command("migrate", verbosity=0)
    load_guides()
    Path(out).write_text(json.dumps({"backend": backend, "import": measure(seed.create_user)}))


def main() -> None:
    """`python -m benchmarks.imports`: only the import, on throwaway databases."""
    from .__main__ import ROOT, environment, postgres_database, sqlite_database

    runs = []
    with tempfile.TemporaryDirectory(prefix="acupressure-bench-import-") as tmp:
        folder = Path(tmp)
        env = environment(folder)
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--no-input", "-v", "0"],
            cwd=ROOT,
            env={**env, "DATABASE_URL": f"sqlite:///{folder / 'static.sqlite3'}"},
            check=True,
        )
        for backend in os.environ.get("BENCH_BACKENDS", "sqlite").split(","):
            database = postgres_database() if backend == "postgres" else sqlite_database(folder)
            out = folder / f"{backend}.json"
            with database as url:
                subprocess.run(
                    [
                        sys.executable,
                        "-c",
                        f"from benchmarks.imports import run; run({backend!r}, {str(out)!r})",
                    ],
                    cwd=ROOT,
                    env={**env, "DATABASE_URL": url},
                    check=True,
                )
            runs.append(json.loads(out.read_text()))
    print("\n".join(table(runs)))
    for result in runs:
        for target in targets(result):
            verdict = "PASS" if target["passed"] else "MISS"
            print(
                f"{result['backend']}: {target['name']}: {target['measured']} "
                f"(goal {target['goal']}) {verdict}"
            )


if __name__ == "__main__":
    main()
