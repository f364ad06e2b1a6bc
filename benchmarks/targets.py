"""The issue's targets, checked against one run's figures, and a profile of each one missed."""

from __future__ import annotations

import re
from pathlib import Path

from . import imports
from .pages import EXPORT_PAGE, GROWTH_PAGES, GUIDE_PAGES, PAGE_RATIOS, PAGES, POST_PAGE

GUIDE_SHARE, POST_SHARE = 0.50, 0.25  # of /healthz requests per second
PAGE_GROWTH = 3.0  # time at the largest journal / time at the smallest
EXPORT_RATE = 100_000  # sessions per second of CSV, for the largest journal
# Export memory is flat when ten times the sessions (past the first chunk) costs at most this much
# more peak memory.
MEMORY_GROWTH = 1.25
PROFILE_REQUESTS = 200


def _share(results: dict, page: str) -> float:
    load = results["load"]
    return load[page]["requests_per_second"] / load[results["baseline"]]["requests_per_second"]


def _target(name: str, page: str | None, measured: str, goal: str, passed: bool) -> dict:
    return {"name": name, "page": page, "measured": measured, "goal": goal, "passed": passed}


def evaluate(results: dict) -> list[dict]:
    small, middle, large = (str(size) for size in results["sizes"])
    found = []
    for page in GUIDE_PAGES:
        share = _share(results, page)
        found.append(
            _target(
                f"{page} throughput",
                page,
                f"{share:.0%}",
                f"≥ {GUIDE_SHARE:.0%}",
                share >= GUIDE_SHARE,
            )
        )
    share = _share(results, POST_PAGE)
    found.append(
        _target(
            "POST a session throughput",
            POST_PAGE,
            f"{share:.0%}",
            f"≥ {POST_SHARE:.0%}",
            share >= POST_SHARE,
        )
    )
    in_process = results["in_process"]
    baseline = in_process[results["baseline"]]["0"]["median_ms"]
    for page, most in PAGE_RATIOS.items():
        ratio = in_process[page][middle]["median_ms"] / baseline
        found.append(
            _target(
                f"{page} at {int(middle):,} ÷ {results['baseline']}",
                page,
                f"{ratio:.0f}×",
                f"≤ {most}×",
                ratio <= most,
            )
        )
    for page in GROWTH_PAGES:
        if page == EXPORT_PAGE:
            continue
        growth = in_process[page][large]["median_ms"] / in_process[page][small]["median_ms"]
        found.append(
            _target(
                f"{page} at {int(large):,} / at {int(small):,}",
                page,
                f"{growth:.1f}×",
                f"≤ {PAGE_GROWTH:.0f}×",
                growth <= PAGE_GROWTH,
            )
        )
    rate = int(large) / (in_process[EXPORT_PAGE][large]["median_ms"] / 1000)
    found.append(
        _target(
            f"export of {int(large):,} sessions",
            EXPORT_PAGE,
            f"{rate:,.0f} sessions/s",
            f"≥ {EXPORT_RATE:,} sessions/s",
            rate >= EXPORT_RATE,
        )
    )
    growing = [
        f"{name} {sizes[small]['queries']} → {sizes[large]['queries']}"
        for name, sizes in in_process.items()
        if small in sizes and sizes[small]["queries"] != sizes[large]["queries"]
    ]
    found.append(
        _target(
            f"query count at {int(small):,} = at {int(large):,}",
            None,
            "; ".join(growing) or "all equal",
            "equal on every page",
            not growing,
        )
    )
    memory = results["export_memory"]
    growth = memory[large] / memory[middle]
    found.append(
        _target(
            f"export peak memory at {int(large):,} / at {int(middle):,}",
            "/journal/export.csv",
            f"{growth:.2f}×",
            f"≤ {MEMORY_GROWTH}×",
            growth <= MEMORY_GROWTH,
        )
    )
    found.extend(imports.targets(results))
    return found


def profile_misses(results: dict, users: dict, backend: str, folder: Path) -> dict[str, str]:
    """pyinstrument text profiles of the pages behind missed targets: {page: file name}."""
    from pyinstrument import Profiler

    from .inprocess import client_for, request

    pages = {page.name: page for page in PAGES}
    largest = users[max(users)]
    profiles = {}
    folder.mkdir(exist_ok=True)
    for target in results["targets"]:
        if target["passed"] or target["page"] is None or target["page"] in profiles:
            continue
        user = largest if pages[target["page"]].logged_in else None
        page = pages[target["page"]].for_user(user)
        client = client_for(user)
        throughput = "throughput" in target["name"]
        request(client, page)
        profiler = Profiler(interval=0.0005)
        profiler.start()
        for _ in range(PROFILE_REQUESTS if throughput else 1):
            request(client, page)
        profiler.stop()
        name = f"{backend}-{re.sub(r'[^a-z0-9]+', '-', page.name.lower()).strip('-')}.txt"
        (folder / name).write_text(profiler.output_text(unicode=True, color=False))
        profiles[page.name] = name
    return profiles
