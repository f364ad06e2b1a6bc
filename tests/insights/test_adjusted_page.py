"""The insights page and the report explain resting, other factors and adjusted relief."""

import html
import re
import statistics
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from journal import adjusted, stats
from journal.models import Factor, PracticeSession, SessionFactor, SessionPoint
from tests.factories import PointFactory, PracticeSessionFactory, UserFactory


@pytest.fixture
def points(db):
    return {
        "bl40": PointFactory(code="BL40", slug="bl40", name_pinyin="Weizhong"),
        "bl23": PointFactory(code="BL23", slug="bl23", name_pinyin="Shenshu"),
        "li4": PointFactory(code="LI4", slug="li4", name_pinyin="Hegu"),
        "gb30": PointFactory(code="GB30", slug="gb30", name_pinyin="Huantiao"),
        "ki1": PointFactory(code="KI1", slug="ki1", name_pinyin="Yongquan"),
    }


@pytest.fixture
def painkiller(db):
    return Factor.objects.get(slug="painkiller", owner=None)


def log(user, point=None, before=6, after=4, hours_ago=1, factors=(), **extra):
    session = PracticeSessionFactory(
        user=user,
        points=[point] if point else [],
        rest_only=point is None,
        pain_before=before,
        pain_after=after,
        started_at=timezone.now() - timedelta(hours=hours_ago),
        **extra,
    )
    for factor in factors:
        SessionFactor.objects.create(session=session, factor=factor)
    return session


def log_story(user, points, painkiller, sessions=36):
    """BL40 mostly after a painkiller (which gives 2 points of relief on its own), BL23 never,
    and every third session a rest. Returns {kind: [relief, …]}."""
    reliefs = {"bl40": [], "bl23": [], "rest": []}
    for i in range(sessions):
        kind = ["bl40", "bl23", "rest"][i % 3]
        took = (kind == "bl40" and i % 4 != 0) or (kind == "rest" and i % 5 == 0)
        before = 4 + (i * 7) % 6
        relief = {"bl40": 1, "bl23": 2, "rest": 1}[kind] + 2 * took + [-1, 0, 1][(i // 3) % 3]
        log(
            user,
            None if kind == "rest" else points[kind],
            before,
            before - relief,
            hours_ago=i + 1,
            factors=[painkiller] if took else [],
            pain_later=before - relief + 1 if i % 2 else None,
        )
        reliefs[kind].append(relief)
    return reliefs


def page_text(response) -> str:
    return " ".join(response.text.split())


def table_rows(response, table_id: str) -> list[list[str]]:
    """The body rows of one table, each a list of its cells' plain text."""
    table = re.search(rf'<table[^>]*id="{table_id}".*?</table>', response.text, re.S).group()
    body = table.split("<tbody>")[1]
    return [
        [
            " ".join(html.unescape(re.sub(r"<[^>]+>", " ", cell)).split())
            for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        ]
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)
    ]


def test_page_shows_raw_adjusted_rest_and_factors_for_a_telling_journal(
    logged_in, user, points, painkiller
):
    reliefs = log_story(user, points, painkiller)
    response = logged_in.get("/journal/insights/")
    text = page_text(response)

    # Raw: BL40 looks best; resting alone sits in the same table.
    assert response.context["best"].code == "BL40"
    rest = response.context["rest"]
    assert rest.sessions == 12
    assert rest.mean_relief == pytest.approx(statistics.mean(reliefs["rest"]))
    assert 'Resting alone <span class="muted">no pressing</span>' in text
    assert (
        f"Resting alone: <strong>{rest.mean_relief:.1f} points</strong> of relief on average "
        f"(12 sessions, 95&nbsp;% interval {rest.interval.low:.1f} to {rest.interval.high:.1f})"
    ) in text

    # Pressing against resting, with a Welch interval per point.
    difference = {row.point.code: row for row in response.context["rest_differences"]}["BL40"]
    assert difference.difference == pytest.approx(
        statistics.mean(reliefs["bl40"]) - statistics.mean(reliefs["rest"])
    )
    low, high = difference.interval.low, difference.interval.high
    assert table_rows(response, "rest-table")[0] == [
        "BL40",
        f"{statistics.mean(reliefs['bl40']):.1f}",
        f"{difference.difference:.1f} ({low:.1f} to {high:.1f})"
        + (" not clear yet" if difference.interval.spans_zero else ""),
    ]

    # Adjusted: BL23 comes out on top once the painkiller is accounted for, and the page says why.
    result = response.context["adjusted"]
    assert [row.label for row in result.rows][0] == "BL23"
    bl40 = next(row for row in result.rows if row.label == "BL40")
    assert bl40.estimate.raw > bl40.estimate.adjusted
    assert (
        f"BL40 looks {bl40.estimate.gap:.1f} points better than it is: 9 of its 12 sessions "
        "also had “Painkiller in the last 4 hours”, which on its own went with more relief."
    ) in text
    note = (
        "Once starting pain and the other things you noted are taken into account, BL23 rather "
        "than BL40 comes out on top."
    )
    assert text.count(note) == 2  # in the summary, and under the adjusted table
    assert '<a href="#adjusted-heading">See why</a>' in text
    interval = bl40.estimate.interval
    assert [
        f"{bl40.estimate.raw:.1f}",
        f"{bl40.estimate.adjusted:.1f} ({interval.low:.1f} to {interval.high:.1f})",
        "12",
    ] in [row[1:] for row in table_rows(response, "adjusted-table")]
    assert "most recent sessions" not in text

    # The factor table, with the adjusted effect beside the raw difference.
    (factor, effect) = response.context["factor_rows"][0]
    assert factor.name == painkiller.name
    assert factor.with_factor.sessions == 12  # 9 with BL40, 3 rest sessions
    assert effect.adjusted == pytest.approx(2, abs=0.5)
    assert '<h2 id="factors-heading">Other things you did</h2>' in text
    (row,) = table_rows(response, "factor-table")
    assert row[0] == "Painkiller in the last 4 hours"
    assert row[1].startswith(f"{factor.difference:.1f} ({factor.interval.low:.1f} to ")
    assert (
        row[2] == f"{effect.adjusted:.1f} ({effect.interval.low:.1f} to {effect.interval.high:.1f})"
    )
    assert row[3:] == [
        f"{factor.with_factor.mean_relief:.1f} (12 sessions)",
        f"{factor.without_factor.mean_relief:.1f} (24 sessions)",
    ]

    # Lasting relief, where pain an hour later was rated.
    assert "Does the relief last?" in text
    assert 'id="lasting-table"' in text


def test_not_enough_sessions_for_adjusted_figures_says_how_many_are_missing(
    logged_in, user, points
):
    for i in range(12):
        log(user, points["bl40"], 7, 4 - i % 3, hours_ago=i + 1)
    text = page_text(logged_in.get("/journal/insights/"))
    assert "Adjusted figures need at least 20 sessions in this period; you have 12." in text
    assert 'id="adjusted-table"' not in text


def test_adjusted_figures_need_a_point_with_five_sessions(logged_in, user, points):
    for i in range(20):
        point = list(points.values())[i % 5]
        log(user, point, 7, 4 - i % 3, hours_ago=i + 1)
    text = page_text(logged_in.get("/journal/insights/"))
    assert "Adjusted figures need at least one point with 5 sessions in this period." in text


def test_without_rest_sessions_the_page_suggests_an_experiment_against_resting(
    logged_in, user, points
):
    for i in range(6):
        log(user, points["bl40"], 7, 3 + i % 2, hours_ago=i + 1)
    text = page_text(logged_in.get("/journal/insights/"))
    assert "You have no rest sessions in this period." in text
    assert (
        '<a href="/journal/experiments/new/?point_a=bl40&amp;point_b=rest">'
        "test BL40 against resting for the same time</a>"
    ) in text
    assert 'id="rest-table"' not in text


def test_with_a_few_rest_sessions_the_figures_are_a_first_hint(logged_in, user, points):
    for i in range(6):
        log(user, points["bl40"], 7, 3 + i % 2, hours_ago=i + 1)
    log(user, None, 6, 5)
    log(user, None, 6, 4)
    response = logged_in.get("/journal/insights/")
    text = page_text(response)
    assert "With fewer than 5 rest sessions, treat these figures as a first hint." in text
    assert 'id="rest-table"' in text


def test_enough_rest_sessions_stop_the_suggestion(logged_in, user, points):
    for i in range(5):
        log(user, None, 6, 5 - i % 2, hours_ago=i + 1)
    response = logged_in.get("/journal/insights/")
    assert response.context["suggest_rest_experiment"] is False
    assert "against resting for the same time" not in response.text


def test_factors_with_too_few_sessions_are_named_not_compared(logged_in, user, points, painkiller):
    for i in range(6):
        log(user, points["bl40"], 7, 3, hours_ago=i + 1, factors=[painkiller] if i < 2 else [])
    response = logged_in.get("/journal/insights/")
    text = page_text(response)
    assert response.context["factor_rows"] == []
    assert "Not enough sessions yet to compare" in text
    assert '“<span class="factor-name">Painkiller in the last 4 hours</span>” (2 with it)' in text


def test_no_factors_at_all_explains_how_to_note_them(logged_in, user, points):
    log(user, points["bl40"], 7, 3)
    text = page_text(logged_in.get("/journal/insights/"))
    assert "note anything else you did under “Anything else today?”" in text


def test_a_users_own_factor_name_is_shown_escaped(logged_in, user, points):
    own = Factor.objects.create(owner=user, name="<b>tea</b> & \u202ebiscuits")
    for i in range(6):
        log(user, points["bl40"], 7, 3 + i % 2, hours_ago=i + 1, factors=[own] if i < 3 else [])
    text = logged_in.get("/journal/insights/").text
    assert "&lt;b&gt;tea&lt;/b&gt; &amp; \u202ebiscuits" in text
    assert "<b>tea</b>" not in text


def test_regression_to_the_mean_note_for_a_point_used_on_bad_days(logged_in, user, points):
    for i in range(5):
        log(user, points["gb30"], 9, 5, hours_ago=i + 1)
        log(user, points["li4"], 6, 4, hours_ago=i + 10)
    text = page_text(logged_in.get("/journal/insights/"))
    assert (
        "GB30’s sessions started from higher pain than your other sessions "
        "(9.0 against 6.0 on average)"
    ) in text
    assert "LI4’s sessions started from higher pain" not in text


def test_no_regression_note_when_starting_pain_is_alike(logged_in, user, points):
    for i, li4_start in enumerate([6, 7, 6, 7, 7]):  # 6.6 on average, against GB30's 7
        log(user, points["gb30"], 7, 5, hours_ago=i + 1)
        log(user, points["li4"], li4_start, 4, hours_ago=i + 10)
    assert "regression to the mean" not in logged_in.get("/journal/insights/").text


def test_lasting_relief_shows_only_where_pain_later_was_rated(logged_in, user, points):
    log(user, points["bl40"], 8, 3, pain_later=5)
    log(user, points["bl40"], 6, 4, pain_later=6)
    log(user, points["li4"], 7, 5)
    rows = table_rows(logged_in.get("/journal/insights/"), "lasting-table")
    assert rows == [["BL40", "3.5", "1.5", "2"]]  # right after, an hour later, sessions


def test_no_pain_later_means_no_lasting_section(logged_in, user, points):
    log(user, points["bl40"], 8, 3)
    assert "Does the relief last?" not in logged_in.get("/journal/insights/").text


def test_the_page_says_when_only_the_most_recent_sessions_were_used(logged_in, user, points):
    now = timezone.now()
    sessions = PracticeSession.objects.bulk_create(
        PracticeSession(
            user=user,
            started_at=now - timedelta(minutes=i + 1),
            pain_before=6 + i % 3,
            pain_after=3 + i % 2,
            area="lower-back",
        )
        for i in range(adjusted.MAX_SESSIONS + 1)
    )
    SessionPoint.objects.bulk_create(
        SessionPoint(session=s, point=points["bl40" if i % 2 else "li4"])
        for i, s in enumerate(sessions)
    )
    response = logged_in.get("/journal/insights/")
    assert response.context["adjusted"].capped
    assert f"Based on your {adjusted.MAX_SESSIONS:,} most recent sessions in this period." in (
        response.text
    )


def test_other_users_rest_and_factors_do_not_count(logged_in, user, points, painkiller):
    other = UserFactory()
    for i in range(25):
        log(other, None if i % 2 else points["bl40"], 9, 1, hours_ago=i + 1, factors=[painkiller])
    log(user, points["bl40"], 7, 3)
    response = logged_in.get("/journal/insights/")
    assert response.context["rest"] is None
    assert response.context["thin_factors"] == []
    assert response.context["adjusted"].sessions == 1


def test_report_shows_resting_and_the_adjusted_table(logged_in, user, points, painkiller):
    log_story(user, points, painkiller)
    response = logged_in.get("/journal/report/")
    text = page_text(response)
    assert response.context["rest"].sessions == 12
    assert "Resting alone" in text
    assert 'id="report-adjusted-table"' in text
    assert "HC3 robust standard errors" in text


def test_report_without_enough_data_says_so(logged_in, user, points):
    log(user, points["bl40"], 7, 3)
    text = page_text(logged_in.get("/journal/report/"))
    assert "Adjusted figures need at least 20 sessions in this period; you have 1." in text
    assert "No rest sessions (resting without pressing) were logged in this period" in text


def test_demo_journal_ranks_differently_raw_and_adjusted_and_says_why(client, db, guides):
    call_command("seed_demo")
    demo = UserFactory._meta.model.objects.get(username="demo")
    client.force_login(demo)
    response = client.get("/journal/insights/")
    text = page_text(response)

    raw_top = response.context["best"].code
    result = response.context["adjusted"]
    adjusted_points = [row for row in result.rows if not row.rest]
    assert raw_top == "BL40"
    assert adjusted_points[0].label != raw_top
    assert result.ranking_note in text
    assert result.reasons[0].startswith("BL40 looks")
    assert "also had “Painkiller in the last 4 hours”" in result.reasons[0]
    assert result.reasons[0] in text
    assert response.context["rest"].sessions >= 5
    assert response.context["suggest_rest_experiment"] is False
    assert len(response.context["factor_rows"]) >= 2
    assert [note.point.code for note in response.context["regression_notes"]] == ["GB30"]
    assert stats.point_summaries(demo)[0].code == "BL40"
