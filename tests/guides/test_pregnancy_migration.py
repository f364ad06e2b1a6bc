"""Migration 0004: the old yes/no pregnancy flag becomes the nearest pregnancy level."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("acupressure", "0003_content_version")]
AFTER = [("acupressure", "0004_point_pregnancy_level")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def old_point(apps, code: str, avoid: bool):
    return apps.get_model("acupressure", "Point").objects.create(
        code=code,
        slug=code.lower(),
        name_en="Test",
        name_pinyin="Ceshi",
        meridian="Bladder",
        region="lower-back",
        summary="A test point.",
        location="Somewhere.",
        how_to_find="Here.\nThere.",
        technique="Press.\nBreathe.",
        hold_seconds=60,
        repetitions=3,
        traditional_use="Tests.",
        cautions="None.",
        diagram="lower-back",
        avoid_in_pregnancy=avoid,
    )


@pytest.mark.django_db(transaction=True)
def test_the_old_flag_maps_to_avoid_or_none_and_back():
    try:
        apps = migrate(BEFORE)
        old_point(apps, "AA1", avoid=True)
        old_point(apps, "AA2", avoid=False)
        apps = migrate(AFTER)
        Point = apps.get_model("acupressure", "Point")
        assert dict(Point.objects.values_list("code", "pregnancy")) == {
            "AA1": "avoid",
            "AA2": "none",
        }
        Point.objects.filter(code="AA2").update(pregnancy="ask-midwife")
        apps = migrate(BEFORE)
        Point = apps.get_model("acupressure", "Point")
        assert dict(Point.objects.values_list("code", "avoid_in_pregnancy")) == {
            "AA1": True,
            "AA2": False,
        }
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
