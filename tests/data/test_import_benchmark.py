"""A small run of `make bench`'s import part (benchmarks/imports.py), its targets and its table."""

from benchmarks import imports, seed


def test_a_small_import_benchmark_measures_check_confirm_and_the_worst_files(guides, settings):
    settings.IMPORT_MAX_ROWS = 40
    settings.IMPORT_MAX_BYTES = 20_000
    results = imports.measure(seed.create_user)
    assert results["max_rows"] == 40
    assert results["full_rows"] > 40
    assert set(results["seconds"]) == {
        "check",
        "confirm",
        "check_all_bad",
        "worst_a",
        "worst_blank",
        "worst_full",
    }
    assert results["check_rows_per_second"] > 0
    assert results["confirm_rows_per_second"] > 0

    run = {"backend": "sqlite", "import": results}
    names = [target["name"] for target in imports.targets(run)]
    assert names == [
        "import check at 40 rows",
        "import confirm at 40 rows",
        "import refusal of the worst 20 kB file",
    ]
    text = "\n".join(imports.table([run]))
    assert "## Import" in text
    assert "| sqlite |" in text


def test_a_run_without_the_import_part_reports_no_import():
    assert imports.targets({"backend": "sqlite"}) == []
    assert imports.table([{"backend": "sqlite"}]) == []


def test_the_report_has_an_import_section_and_targets():
    from benchmarks import report, targets
    from benchmarks.pages import BASELINE, PAGES

    sizes = [2, 5, 20]
    timing = {"median_ms": 1.0, "p95_ms": 2.0, "iterations": 3, "queries": 4}
    load = {"requests_per_second": 100.0, "p50_ms": 1.0, "p95_ms": 2.0, "p99_ms": 3.0}
    seconds = {
        "check": 1.0,
        "confirm": 1.5,
        "check_all_bad": 1.0,
        "worst_a": 0.1,
        "worst_blank": 0.05,
        "worst_full": 0.2,
    }
    results = {
        "backend": "sqlite",
        "workers": 4,
        "concurrency": 2,
        "seconds_per_page": 1,
        "sizes": sizes,
        "http_size": sizes[1],
        "baseline": BASELINE.name,
        "in_process": {
            page.name: {str(size): timing for size in (sizes if page.logged_in else [0])}
            for page in PAGES
        },
        "export_memory": {str(size): 1_000_000 for size in sizes},
        "load": {page.name: {**load, "requests": 100, "errors": 0} for page in PAGES},
        "profiles": {},
        "import": {
            "max_rows": 20_000,
            "max_bytes": 5 * 1024 * 1024,
            "at_cap_bytes": 1_300_000,
            "full_rows": 79_586,
            "seconds": seconds,
            "check_rows_per_second": 20_000.0,
            "confirm_rows_per_second": 13_333.3,
            "check_all_bad_rows_per_second": 20_000.0,
        },
    }
    results["targets"] = targets.evaluate(results)
    text = report.markdown([results], wall_seconds=1)
    assert "## Import" in text
    assert "| sqlite | 20,000 | 13,333 | 1.00 | 1.50 | 20,000 | 0.100 | 0.050 | 0.200 |" in text
    assert "| sqlite | import check at 20,000 rows | ≤ 2 s | 1.00 s | PASS |" in text
    assert "| sqlite | import refusal of the worst 5 MB file | ≤ 1 s | 0.20 s | PASS |" in text
