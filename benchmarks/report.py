"""The results of every database's run as one Markdown document (benchmarks/results.md)."""

from __future__ import annotations

import os
import platform
from datetime import UTC, datetime

from . import imports
from .pages import FRESH_GROWTH_PAGES, GROWTH_PAGES


def _ms(value: float) -> str:
    return f"{value:,.1f}" if value < 100 else f"{value:,.0f}"


def _pages_table(runs: list[dict]) -> list[str]:
    mid = str(runs[0]["http_size"])
    small, large = str(runs[0]["sizes"][0]), str(runs[0]["sizes"][-1])
    lines = [
        f"| database | page | median ms | p95 ms | × {runs[0]['baseline']} | queries at "
        f"{int(small):,} / {int(large):,} | HTTP req/s | p50 ms | p95 ms | p99 ms | errors "
        f"| % of {runs[0]['baseline']} req/s |",
        "|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for run in runs:
        base = run["in_process"][run["baseline"]]["0"]
        base_rps = run["load"][run["baseline"]]["requests_per_second"]
        for page, sizes in run["in_process"].items():
            timing = sizes.get(mid, sizes.get("0"))
            queries = (
                f"{sizes[small]['queries']} / {sizes[large]['queries']}"
                if small in sizes
                else str(timing["queries"])
            )
            load = run["load"].get(page)  # none for the first-visit rows (in process only)
            http = (
                f"{load['requests_per_second']:,.0f} | {_ms(load['p50_ms'])} | "
                f"{_ms(load['p95_ms'])} | {_ms(load['p99_ms'])} | {load['errors']} | "
                f"{load['requests_per_second'] / base_rps:.0%}"
                if load
                else "– | – | – | – | – | –"
            )
            lines.append(
                f"| {run['backend']} | {page} | {_ms(timing['median_ms'])} | "
                f"{_ms(timing['p95_ms'])} | {timing['median_ms'] / base['median_ms']:.1f} | "
                f"{queries} | {http} |"
            )
    return lines


def _growth_table(runs: list[dict]) -> list[str]:
    small, large = (str(size) for size in (runs[0]["sizes"][0], runs[0]["sizes"][-1]))
    lines = [
        f"| database | measure | at {int(small):,} | at {int(large):,} | growth |",
        "|---|---|--:|--:|--:|",
    ]
    for run in runs:
        for page in GROWTH_PAGES + FRESH_GROWTH_PAGES:
            sizes = run["in_process"][page]
            a, b = sizes[small]["median_ms"], sizes[large]["median_ms"]
            lines.append(
                f"| {run['backend']} | {page} median ms | {_ms(a)} | {_ms(b)} | {b / a:.1f}× |"
            )
        memory = run["export_memory"]
        middle = str(run["sizes"][1])
        lines.append(
            f"| {run['backend']} | export peak MB | {memory[small] / 1e6:.2f} | "
            f"{memory[large] / 1e6:.2f} | {memory[large] / memory[middle]:.2f}× of "
            f"{memory[middle] / 1e6:.2f} at {int(middle):,} |"
        )
    return lines


def _targets_table(runs: list[dict]) -> list[str]:
    lines = ["| database | target | goal | measured | result |", "|---|---|---|---|---|"]
    for run in runs:
        for target in run["targets"]:
            profile = run["profiles"].get(target["page"]) if not target["passed"] else None
            note = f" (profile: `benchmarks/profiles/{profile}`)" if profile else ""
            lines.append(
                f"| {run['backend']} | {target['name']} | {target['goal']} | "
                f"{target['measured']} | {'PASS' if target['passed'] else 'MISS'}{note} |"
            )
    return lines


def markdown(runs: list[dict], wall_seconds: float) -> str:
    first = runs[0]
    header = [
        "# `make bench` results",
        "",
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC · {os.cpu_count()} cores · "
        f"Python {platform.python_version()} · gunicorn {first['workers']} workers · "
        f"locust {first['concurrency']} users, {first['seconds_per_page']} s per page · "
        f"journals of {', '.join(f'{size:,}' for size in first['sizes'])} sessions "
        f"(pages and HTTP read the {first['http_size']:,}-session journal) · "
        f"run took {wall_seconds:.0f} s",
        "",
        "Times are medians of in-process requests (Django test client); `×` divides by "
        f"{first['baseline']} in the same run. HTTP figures come from locust against gunicorn on "
        "127.0.0.1; the last column divides by the requests/s of the baseline in the same run.",
        "",
    ]
    return "\n".join(
        [
            *header,
            *_pages_table(runs),
            "",
            "## Growth and memory",
            "",
            *_growth_table(runs),
            "",
            *imports.table(runs),
            "## Targets",
            "",
            *_targets_table(runs),
            "",
        ]
    )
