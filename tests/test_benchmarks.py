"""A small run of the benchmark's in-process code: seeding, timing, targets and the report."""

from dataclasses import asdict

from benchmarks import inprocess, report, seed, targets
from benchmarks.pages import BASELINE, PAGES
from journal.models import PracticeSession, SessionFactor

SIZES = [2, 5, 20]


def test_seeding_makes_sessions_with_points_rest_and_factors(guides):
    user = seed.create_user("bench-seeded")
    seed.seed_sessions(user, 50)
    sessions = PracticeSession.objects.filter(user=user)
    assert sessions.count() == 50
    for session in sessions:
        points = session.session_points.count()
        assert points == 0 if session.rest_only else 1 <= points <= 3
    assert sessions.filter(rest_only=True).exists()
    assert SessionFactor.objects.filter(session__user=user).exists()


def test_a_small_run_reports_every_page_and_target(guides):
    users = {size: seed.create_user(f"bench-{size}") for size in SIZES}
    for size, user in users.items():
        seed.seed_sessions(user, size)
    in_process = {
        page.name: {
            str(size): asdict(inprocess.measure(page, users.get(size), budget=0))
            for size in (SIZES if page.logged_in else [0])
        }
        for page in PAGES
    }
    export = next(page for page in PAGES if page.streaming)
    results = {
        "backend": "sqlite",
        "workers": 4,
        "concurrency": 2,
        "seconds_per_page": 1,
        "sizes": SIZES,
        "http_size": SIZES[1],
        "baseline": BASELINE.name,
        "in_process": in_process,
        "export_memory": {
            str(size): inprocess.export_peak_memory(export, users[size]) for size in SIZES
        },
        "load": {
            page.name: {
                "requests_per_second": 100.0,
                "p50_ms": 1.0,
                "p95_ms": 2.0,
                "p99_ms": 3.0,
                "requests": 100,
                "errors": 0,
            }
            for page in PAGES
            if not page.fresh  # first visits are measured in process only
        },
        "profiles": {},
    }
    results["targets"] = targets.evaluate(results)
    text = report.markdown([results], wall_seconds=1)
    assert all(page.name in text for page in PAGES)
    assert {target["name"] for target in results["targets"]} >= {
        "/guides/ throughput",
        "POST a session throughput",
        "/journal/ at 5 ÷ /healthz",
        "/journal/insights/ at 5 ÷ /healthz",
        "/journal/calendar/ at 20 / at 2",
        "/ (logged in) at 20 / at 2",
        "/journal/<latest session>/ at 20 / at 2",
        "export of 20 sessions",
    }
    latest = PracticeSession.objects.filter(user=users[20]).latest("started_at", "pk")
    detail = next(page for page in PAGES if "{latest}" in page.path)
    assert detail.for_user(users[20]).path == f"/journal/{latest.pk}/"
    assert "PASS" in text
    assert in_process["/journal/"]["2"]["queries"] == in_process["/journal/"]["20"]["queries"]
