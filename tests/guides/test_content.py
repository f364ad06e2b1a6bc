"""The guide content file loads completely, idempotently, and edits to it reach the database."""

import pytest
from django.core.management import call_command

from acupressure.loader import CONTENT_FILE, ContentError, load_guides
from acupressure.models import Point, Routine, Source

# Every point the fact sheet (shared/CONTENT.md) covers, with the popular folk name where it has one.
EXPECTED_POINTS = {
    "BL23": "Sea of Vitality",
    "BL52": "Sea of Vitality",
    "GV4": "",
    "LR3": "Bigger Rushing",
    "KI1": "Bubbling Spring",
    "CV6": "Sea of Energy",
    "BL53": "Womb and Vitals",
    "GB30": "",
    "BL40": "Commanding Middle",
    "BL57": "",
    "BL60": "",
    "LI4": "Joining the Valley",
    "TE3": "Middle Islet",
    "SI3": "",
    "EX-UE7": "",
}
REQUIRED_TEXT_FIELDS = [
    "code",
    "slug",
    "name_en",
    "name_pinyin",
    "meridian",
    "region",
    "summary",
    "location",
    "how_to_find",
    "technique",
    "traditional_use",
    "cautions",
    "diagram",
]
TRADITIONALLY_AVOIDED_IN_PREGNANCY = {"CV6", "BL53", "GB30", "BL60", "LI4"}


def content_rows() -> int:
    """Rows the content file describes: sources, points and public routines (steps go with them)."""
    return Point.objects.count() + Source.objects.count() + Routine.objects.public().count()


def test_every_point_of_the_fact_sheet_is_loaded(guides):
    assert set(Point.objects.values_list("code", flat=True)) == set(EXPECTED_POINTS)


@pytest.mark.parametrize("code", sorted(EXPECTED_POINTS))
def test_point_has_every_required_field(guides, code):
    point = Point.objects.get(code=code)
    for field in REQUIRED_TEXT_FIELDS:
        assert getattr(point, field).strip(), f"{code}.{field} is empty"
    assert point.hold_seconds >= 30
    assert 1 <= point.repetitions <= 5
    assert point.sources.exists()
    assert len(point.how_to_find_steps) >= 2
    assert len(point.technique_steps) >= 2
    assert point.caution_list


@pytest.mark.parametrize(("code", "folk_name"), sorted(EXPECTED_POINTS.items()))
def test_folk_names_sit_on_the_right_points(guides, code, folk_name):
    if folk_name:
        assert Point.objects.get(code=code).folk_name == folk_name


def test_points_traditionally_avoided_in_pregnancy_are_flagged(guides):
    flagged = set(Point.objects.filter(avoid_in_pregnancy=True).values_list("code", flat=True))
    assert flagged >= TRADITIONALLY_AVOIDED_IN_PREGNANCY


def test_loading_twice_changes_nothing(guides):
    before = list(Point.objects.order_by("code").values())
    report = load_guides()
    assert report.created == [] and report.updated == []
    assert len(report.unchanged) == content_rows()
    assert list(Point.objects.order_by("code").values()) == before


def test_editing_the_file_updates_the_row(guides, tmp_path):
    edited = tmp_path / "guides.toml"
    text = CONTENT_FILE.read_text(encoding="utf-8")
    edited.write_text(text.replace('name_en = "Kidney Shu"', 'name_en = "Kidney Transport"', 1))
    report = load_guides(edited)
    assert report.updated == ["point BL23"]
    assert Point.objects.get(code="BL23").name_en == "Kidney Transport"


def test_a_point_missing_a_field_is_rejected_and_nothing_is_written(db, tmp_path):
    broken = tmp_path / "guides.toml"
    broken.write_text(
        '[sources.a]\ncitation = "A."\n[[points]]\ncode = "BL23"\nslug = "bl23"\n',
        encoding="utf-8",
    )
    with pytest.raises(ContentError, match="BL23: missing"):
        load_guides(broken)
    assert not Source.objects.exists()


def test_malformed_toml_is_a_clear_error(db, tmp_path):
    broken = tmp_path / "guides.toml"
    broken.write_text("[[points]\n", encoding="utf-8")
    with pytest.raises(ContentError, match="guides.toml"):
        load_guides(broken)


def test_command_reports_counts(db, capsys):
    call_command("load_guides")
    assert f"{content_rows()} created, 0 updated, 0 unchanged" in capsys.readouterr().out
    call_command("load_guides")
    assert "0 created, 0 updated" in capsys.readouterr().out
