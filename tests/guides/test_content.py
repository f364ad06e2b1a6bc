"""The guide content file loads completely, idempotently, and edits to it reach the database."""

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from acupressure.loader import CONTENT_FILE, ContentError, load_guides, read_content
from acupressure.models import PREGNANCY_WORDING, Point, Pregnancy, Routine, Source, Tool

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
# Every point's pregnancy level, and why (sources: Deadman 2007 and the traditional lists of points
# contraindicated in pregnancy; shared/CONTENT.md). When a source could not be confirmed, the level
# is "ask your midwife first", never "no special caution".
EXPECTED_PREGNANCY = {
    # On the traditional lists of points to avoid in pregnancy.
    "LI4": Pregnancy.AVOID,
    "BL60": Pregnancy.AVOID,
    # Lower abdomen, below the navel: traditionally avoided.
    "CV6": Pregnancy.AVOID,
    # Lower-back and sacral points: traditionally avoided; ask your midwife first (issue 15).
    "BL23": Pregnancy.ASK_MIDWIFE,
    "BL52": Pregnancy.ASK_MIDWIFE,
    "GV4": Pregnancy.ASK_MIDWIFE,
    "BL53": Pregnancy.ASK_MIDWIFE,
    # Not on the traditional lists; deep pressure near the pelvis only if the midwife agrees.
    "GB30": Pregnancy.ASK_MIDWIFE,
    # Not on the usual lists, but some practitioners avoid it (with LI4): unconfirmed, so ask.
    "LR3": Pregnancy.ASK_MIDWIFE,
    # A pregnancy caution for it could not be confirmed either way: ask.
    "BL57": Pregnancy.ASK_MIDWIFE,
    # On none of the traditional lists.
    "BL40": Pregnancy.NONE,
    "KI1": Pregnancy.NONE,
    "TE3": Pregnancy.NONE,
    "SI3": Pregnancy.NONE,
    "EX-UE7": Pregnancy.NONE,
}
# Words that only the pregnancy fields may use.
PREGNANCY_WORDS = ("pregnan", "midwife")


def content_rows() -> int:
    """Rows the content file describes: sources, points, public routines (steps go with them) and
    tools."""
    return (
        Point.objects.count()
        + Source.objects.count()
        + Routine.objects.public().count()
        + Tool.objects.count()
    )


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


def test_every_point_of_the_fact_sheet_has_a_pregnancy_level(guides):
    assert set(EXPECTED_PREGNANCY) == set(EXPECTED_POINTS)


@pytest.mark.parametrize(("code", "level"), sorted(EXPECTED_PREGNANCY.items()))
def test_each_point_has_its_pregnancy_level(guides, code, level):
    point = Point.objects.get(code=code)
    assert point.pregnancy == level
    entry = next(e for e in read_content()["points"] if e["code"] == code)
    assert entry["pregnancy"] == level, "the file states every level itself"


@pytest.mark.parametrize("code", sorted(EXPECTED_POINTS))
def test_only_the_pregnancy_fields_speak_of_pregnancy(guides, code):
    point = Point.objects.get(code=code)
    for name in [field.name for field in Point._meta.concrete_fields]:
        # pregnancy_note_en, pregnancy_note_es...: the note in each language.
        if name in ("pregnancy", "pregnancy_note") or name.startswith("pregnancy_note_"):
            continue
        text = str(getattr(point, name)).lower()
        assert not any(word in text for word in PREGNANCY_WORDS), f"{code}.{name}"


@pytest.mark.parametrize(
    "code", sorted(code for code, level in EXPECTED_PREGNANCY.items() if level == Pregnancy.NONE)
)
def test_a_point_with_no_special_caution_has_no_pregnancy_sentence(guides, code):
    point = Point.objects.get(code=code)
    assert point.pregnancy_note == ""
    assert point.pregnancy_badge == ""
    assert not any(word in " ".join(point.caution_list).lower() for word in PREGNANCY_WORDS)


@pytest.mark.parametrize(
    "code", sorted(code for code, level in EXPECTED_PREGNANCY.items() if level != Pregnancy.NONE)
)
def test_the_pregnancy_caution_and_note_agree_with_the_level(guides, code):
    point = Point.objects.get(code=code)
    wording = PREGNANCY_WORDING[point.pregnancy]
    assert point.caution_list[0] == wording.caution
    assert [line for line in point.caution_list if "pregnan" in line.lower()] == [wording.caution]
    note = point.pregnancy_note.lower()
    if point.pregnancy == Pregnancy.ASK_MIDWIFE:
        # Asking first must not read as a ban, and a ban must not read as "ask first".
        assert not any(ban in note for ban in ["do not press", "do not use", "never"]), code
        assert wording.caution.startswith("If you are or might be pregnant, ask your midwife")
    else:
        assert "midwife" not in note, code
        assert wording.caution.startswith("If you are or might be pregnant, do not press")


@pytest.mark.parametrize("code", ["BL23", "BL52", "GV4", "BL53"])
def test_lower_back_and_sacral_points_are_traditionally_avoided_ask_your_midwife(guides, code):
    point = Point.objects.get(code=code)
    assert point.pregnancy == Pregnancy.ASK_MIDWIFE
    assert "traditionally avoided in pregnancy" in point.pregnancy_note


def test_gb30_is_not_on_the_traditional_lists_deep_pressure_only_if_the_midwife_agrees(guides):
    note = Point.objects.get(code="GB30").pregnancy_note
    assert "not on the traditional lists" in note
    assert "traditionally avoided" not in note
    assert "press deeply here only if your midwife agrees" in note


def test_gb30_is_measured_from_the_bony_bump_at_the_side_of_the_hip(guides):
    gb30 = Point.objects.get(code="GB30")
    assert "hip joint" not in gb30.summary + gb30.popular_advice
    assert "a third of the way from the bony bump at the side of the hip" in gb30.summary
    assert "greater trochanter" in gb30.summary


def test_no_one_leans_on_gb30_with_an_elbow(guides):
    gb30 = Point.objects.get(code="GB30")
    assert "elbow" not in gb30.technique.lower()
    helper = next(step for step in gb30.technique_steps if "helps" in step)
    assert "light pressure with a flat palm or a thumb" in helper
    assert "stop the moment you say so" in helper


def test_no_extra_point_cites_who_2008(guides):
    extra = Point.objects.filter(code__startswith="EX-").prefetch_related("sources")
    assert extra.exists()
    for point in extra:
        keys = {source.key for source in point.sources.all()}
        assert "who-2008" not in keys, point.code
        assert "deadman-2007" in keys, point.code
        assert "Atlases differ on the exact spot" in point.location


def test_the_file_header_names_the_exception_to_who_2008():
    header = CONTENT_FILE.read_text(encoding="utf-8").split("[sources.", 1)[0]
    assert "Locations follow WHO 2008" in header
    assert "EX-UE7" in header and "Deadman 2007" in header


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


def edited_file(tmp_path, old: str, new: str):
    """The real content file with one exact edit."""
    text = CONTENT_FILE.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path = tmp_path / "guides.toml"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            'pregnancy = "none"\ndiagram = "leg-back"',
            'diagram = "leg-back"',
            "BL40: missing pregnancy",
        ),
        (
            'pregnancy = "none"\ndiagram = "leg-back"',
            'pregnancy = "maybe"\ndiagram = "leg-back"',
            "BL40: pregnancy must be one of avoid, ask-midwife, none",
        ),
        (
            'pregnancy = "none"\ndiagram = "leg-back"',
            'pregnancy = "none"\npregnancy_note = "Fine in pregnancy."\ndiagram = "leg-back"',
            "BL40: a pregnancy_note needs a pregnancy level other than none",
        ),
        (
            '  "Stop if the pain turns sharp or numbness appears.",\n]\npregnancy = "avoid"',
            '  "Not if you are pregnant.",\n]\npregnancy = "avoid"',
            "BL60: cautions mentions pregnancy",
        ),
        (
            'sources = ["deadman-2007", "nhs-back-pain"]',
            'sources = ["who-2008", "deadman-2007", "nhs-back-pain"]',
            "EX-UE7: WHO 2008 covers only the 361 meridian points",
        ),
        (
            'instruction = "The same on the right hand."',
            'instruction = "The same on the right hand. Skip if pregnant."',
            "Routine desk-hands-and-feet: pregnancy advice goes in pregnancy_note",
        ),
    ],
)
def test_the_loader_keeps_pregnancy_and_citations_in_their_place(db, tmp_path, old, new, message):
    with pytest.raises(ContentError, match=message):
        load_guides(edited_file(tmp_path, old, new))
    assert not Point.objects.exists()


def test_a_changed_pregnancy_level_updates_the_point_in_place(guides, tmp_path):
    path = edited_file(
        tmp_path,
        'pregnancy = "none"\ndiagram = "leg-back"',
        'pregnancy = "ask-midwife"\ndiagram = "leg-back"',
    )
    report = load_guides(path)
    assert report.updated == ["point BL40"]
    assert Point.objects.get(code="BL40").pregnancy == Pregnancy.ASK_MIDWIFE


def test_the_admin_too_refuses_a_pregnancy_note_on_a_point_with_no_special_caution(guides):
    point = Point.objects.get(code="TE3")
    point.pregnancy_note = "Safe in pregnancy."
    with pytest.raises(ValidationError, match="Leave this empty"):
        point.full_clean()
