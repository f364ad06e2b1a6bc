"""RowChecker (the import's fast row check) against ImportRowForm (the rules, as a Django form).

For any row, both accept it or not, clean it to the same values, and report the same problems, in
the same order, in the same words.
"""

from datetime import timedelta
from datetime import timezone as dt_timezone
from zoneinfo import ZoneInfo

from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from journal.forms.data import ImportRowForm
from journal.import_checks import RowChecker
from journal.models import PainArea

ZONE = ZoneInfo("America/Sao_Paulo")
CODES = frozenset({"BL23", "LI4", "GB30"})
ROUTINES = {"desk-break": 1, "7": 7}
# As importing.factor_references() gives them: built-in names and slugs, and the user's own names.
FACTORS = {"slept badly": 1, "slept-badly": 1, "hot bath": 7, "tea, then a walk": 8}
COLUMNS = (
    "started_at",
    "points",
    "seconds",
    "pain_before",
    "pain_after",
    "pain_later",
    "area",
    "notes",
    "routine",
    "show_in_report",
    "rest",
    "factors",
    "tool",
)
NOW = timezone.now()


def reference(form: ImportRowForm, row: dict) -> tuple[dict | None, list[tuple[str, str]]]:
    """What the importer made of a row when it checked each one with the form."""
    if not form.check(row):
        return None, [
            ("" if column == "__all__" else column, message)
            for column, messages in form.errors.items()
            for message in messages
        ]
    data = form.cleaned_data
    return {
        "started_at": data["started_at"].astimezone(dt_timezone.utc).isoformat(),
        **{name: data[name] for name in COLUMNS[1:]},
    }, []


def iso(delta: timedelta, **kwargs) -> str:
    return (NOW + delta).astimezone(ZONE).isoformat(**kwargs)


TIMES = st.sampled_from(
    [
        "2026-03-01T09:00:00+01:00",
        "2026-03-01T09:00",
        "2026-03-01 09:00:00.123456",
        " 2026-03-01T09:00Z ",
        "2026-03-01T09:00:00.5+01:00:30.25",
        "2026-03-01",
        "2026-02-30T09:00",
        "2026-3-1 9:00",
        "1899-12-31T23:59:59",
        "1900-01-01T00:00:00+00:00",
        "0001-01-01T00:00:00+01:00",
        "9999-12-31T23:59:59-01:00",
        "yesterday",
        "",
        "   ",
        "\0",
        "2026-03-08T00:30",  # a time that a daylight-saving change skips, somewhere
        iso(timedelta(minutes=10)),
        iso(timedelta(days=-1)),
        iso(timedelta(days=-1), timespec="microseconds"),
        iso(timedelta(days=400)),
    ]
)
POINTS = st.one_of(
    st.lists(st.sampled_from(["BL23", "li4", " GB30 ", "ZZ99", "bl23", ""]), max_size=4).map(
        lambda codes: ";".join(codes)
    ),
    st.sampled_from(["BL23,LI4", "BL23;;LI4", ";".join(["BL23"] * 31), "\0", " "]),
)
SECONDS = st.one_of(
    st.lists(
        st.sampled_from(["60", " 90 ", "", "-5", "4000", "3600", "1_0", "٣٠", "60.0", "x", "\0"]),
        max_size=4,
    ).map(lambda values: ";".join(values)),
    st.text(max_size=8),
)
PAIN = st.sampled_from(["0", "7", "10", " 7", "11", "-1", "4.5", "07", "", "x", "\0"])
AREA = st.sampled_from(
    [*PainArea.values, *PainArea.labels, " Lower back ", "NECK", "elbow", "", "\0"]
)
NOTES = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["", "x" * 2000, "x" * 2001, "a\0b", "a\ud800b", "é" * 2001, " padded "]),
)
ROUTINE = st.sampled_from(["", "desk-break", " DESK-BREAK ", "7", "8", "nope", "\0"])
SHOW = st.sampled_from(["", "yes", " No ", "y", "TRUE", "0", "maybe", "\0"])
REST = st.sampled_from(["", "yes", "no", " True ", "false", "1", "rested", "\0", "\u202eyes"])
FACTOR_CELLS = st.one_of(
    st.lists(
        st.sampled_from(
            [
                "Slept badly",
                "SLEPT-BADLY",
                " hot   bath ",
                "Tea, then a walk",
                "Someone else's",
                "",
                "\0",
                "Hot\u202ebath",
                "x" * 10_000,
            ]
        ),
        max_size=4,
    ).map(lambda names: ";".join(names)),
    st.sampled_from([";".join(["Hot bath"] * 51), ";;", " ", "Tea; then a walk"]),
    st.text(max_size=8),
)
CELLS = {
    "started_at": TIMES,
    "points": POINTS,
    "seconds": SECONDS,
    "pain_before": PAIN,
    "pain_after": PAIN,
    "pain_later": PAIN,
    "area": AREA,
    "notes": NOTES,
    "routine": ROUTINE,
    "show_in_report": SHOW,
    "rest": REST,
    "factors": FACTOR_CELLS,
}
# A column may be missing from the file (None) or present.
ROWS = st.fixed_dictionaries({}, optional={name: cells for name, cells in CELLS.items()})

# One checker for every example, as one checks a whole file: what it remembers must stay right.
SHARED = RowChecker(zone=ZONE, codes=CODES, routines=ROUTINES, factors=FACTORS)


def form() -> ImportRowForm:
    return ImportRowForm(zone=ZONE, codes=CODES, routines=ROUTINES, factors=FACTORS)


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(row=ROWS)
def test_the_fast_check_agrees_with_the_form(row):
    expected = reference(form(), row)
    assert SHARED.check(row) == expected
    assert (
        RowChecker(zone=ZONE, codes=CODES, routines=ROUTINES, factors=FACTORS).check(row)
        == expected
    )


# Rows valid but for the columns that depend on each other: rest, points, seconds, factors.
MOSTLY_VALID_ROWS = st.fixed_dictionaries(
    {
        "started_at": st.just("2026-03-01T09:00"),
        "pain_before": st.just("6"),
        "pain_after": st.just("5"),
        "area": st.just("neck"),
    },
    optional={
        "rest": st.sampled_from(["", "yes", "no", "maybe"]),
        "points": st.sampled_from(["", "BL23", "li4;GB30", " ", "ZZ99"]),
        "seconds": st.sampled_from(["", "60", "60;90", ";"]),
        "factors": FACTOR_CELLS,
    },
)


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(row=MOSTLY_VALID_ROWS)
def test_rest_points_and_factors_are_cleaned_as_the_form_cleans_them(row):
    assert SHARED.check(row) == reference(form(), row)


def test_a_valid_row_is_cleaned_like_the_form_cleans_it():
    row = {
        "started_at": "2026-03-01T09:00:00.7",
        "points": "bl23, li4",
        "seconds": "60;",
        "pain_before": "7",
        "pain_after": "4",
        "area": "Lower back",
        "notes": "'=1",
        "routine": "DESK-BREAK",
        "show_in_report": "Yes",
        "tool": "Ball",
    }
    cleaned, problems = SHARED.check(row)
    assert problems == []
    assert cleaned == {
        "started_at": "2026-03-01T12:00:00+00:00",
        "points": ["BL23", "LI4"],
        "seconds": [60, None],
        "pain_before": 7,
        "pain_after": 4,
        "pain_later": None,
        "area": "lower-back",
        "notes": "'=1",
        "routine": 1,
        "show_in_report": True,
        "rest": False,
        "factors": [],
        "tool": "balls",
    }
    assert (cleaned, problems) == reference(form(), row)


def test_problems_come_in_the_forms_order_with_seconds_per_point_last():
    row = {
        "started_at": "soon",
        "points": "BL23;LI4",
        "seconds": "60",
        "pain_before": "11",
        "area": "elbow",
        "show_in_report": "maybe",
    }
    _, problems = SHARED.check(row)
    assert [column for column, _ in problems] == [
        "started_at",
        "pain_before",
        "pain_after",
        "area",
        "show_in_report",
        "seconds",
    ]
    assert problems == reference(form(), row)[1]


def test_rest_and_factors_are_cleaned_like_the_form_cleans_them():
    row = {
        "started_at": "2026-03-01T09:00:00",
        "rest": " Yes ",
        "points": "",
        "pain_before": "6",
        "pain_after": "5",
        "area": "neck",
        "factors": "slept-badly; HOT  BATH ;Slept badly;tea,  then a walk",
    }
    cleaned, problems = SHARED.check(row)
    assert problems == []
    assert (cleaned["rest"], cleaned["points"], cleaned["seconds"]) == (True, [], [])
    # Named twice (by slug and by name) counts once; case and runs of spaces do not matter.
    assert cleaned["factors"] == [1, 7, 8]
    assert (cleaned, problems) == reference(form(), row)


def test_the_same_points_cell_is_checked_again_when_rest_differs():
    """The checker remembers a points cell per rest flag: "BL23" is fine, then not for a rest row,
    and "" is missing, then fine for a rest row."""
    checker = RowChecker(zone=ZONE, codes=CODES, routines=ROUTINES, factors=FACTORS)
    base = {"started_at": "2026-03-01T09:00", "pain_before": "6", "pain_after": "5", "area": "neck"}
    results = [
        checker.check({**base, "points": points, "rest": rest})[1]
        for points, rest in [("BL23", "no"), ("BL23", "yes"), ("", "no"), ("", "yes"), ("", "x")]
    ]
    assert results == [
        [],
        [("points", ImportRowForm.REST_WITH_POINTS)],
        [("points", "Choose at least one point you pressed.")],
        [],
        [("rest", "Write yes or no.")],
    ]
    for points, rest in [("BL23", "yes"), ("", "x")]:
        row = {**base, "points": points, "rest": rest}
        assert checker.check(row) == reference(form(), row)


def test_problems_with_rest_and_factors_come_in_the_forms_order():
    row = {
        "started_at": "soon",
        "rest": "yes",
        "points": "BL23",
        "seconds": "60",
        "pain_before": "6",
        "pain_after": "5",
        "area": "neck",
        "show_in_report": "maybe",
        "factors": "Hot bath;Someone else's;Nope",
    }
    _, problems = SHARED.check(row)
    assert problems == [
        ("started_at", "“soon” is not a date and time. Write it like 2026-11-25T18:30:00+01:00."),
        ("points", ImportRowForm.REST_WITH_POINTS),
        ("show_in_report", "Write yes or no."),
        (
            "factors",
            "“Someone else's” is not one of the built-in factors or yours. Check the spelling "
            "(factors are separated by ;), or add it on the “My factors” page first.",
        ),
        (
            "factors",
            "“Nope” is not one of the built-in factors or yours. Check the spelling "
            "(factors are separated by ;), or add it on the “My factors” page first.",
        ),
    ]
    assert problems == reference(form(), row)[1]
