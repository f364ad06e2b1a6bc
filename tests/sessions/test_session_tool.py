"""What a session was pressed with (issue 22): one tap on the log form, shown on the session
page, in the API, and counted as one more thing noted in the insights."""

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from journal import adjusted_queries
from journal.models import ApiToken, PracticeSession, SessionTool
from journal.stats import Filters
from tests.factories import PointFactory, PracticeSessionFactory
from tests.sessions.test_rest_and_factors import session_data as form


@pytest.fixture
def point(db):
    return PointFactory(code="BL23", slug="bl23")


def test_the_log_form_offers_each_tool_and_links_to_the_tools_page(logged_in, point):
    html = logged_in.get("/journal/new/").text
    assert "Time, tool, seconds and notes" in html
    for value, label in SessionTool.choices:
        assert f'value="{value}"' in html
        assert label in html
    assert 'href="/guides/tools/"' in html


def test_a_tool_is_saved_shown_and_kept_when_editing(logged_in, user, point):
    assert logged_in.post("/journal/new/", form(tool="balls")).status_code == 302
    session = PracticeSession.objects.get(user=user)
    assert session.tool == "balls"
    page = logged_in.get(f"/journal/{session.pk}/").text
    assert "Pressed with" in page
    assert 'href="/guides/tools/#balls">Ball</a>' in page
    edit = logged_in.get(f"/journal/{session.pk}/edit/").text
    assert 'value="balls" id="id_tool_2" checked' in edit.replace("\n", "")


def test_no_tool_is_fine_and_shows_nothing(logged_in, user, point):
    assert logged_in.post("/journal/new/", form()).status_code == 302
    session = PracticeSession.objects.get(user=user)
    assert session.tool == ""
    assert "Pressed with" not in logged_in.get(f"/journal/{session.pk}/").text


@pytest.mark.parametrize("value", ["hammer", "BALLS ", "x" * 5000, "ball\x00", "\u202emat"])
def test_an_unknown_tool_is_refused_with_a_message(logged_in, user, point, value):
    response = logged_in.post("/journal/new/", form(tool=value))
    assert response.status_code == 200
    assert "Choose one of the tools listed, or “Not noted”." in response.text
    assert not PracticeSession.objects.filter(user=user).exists()


def test_the_api_reads_and_writes_the_tool(user, point):
    _, raw = ApiToken.objects.issue(user, "tests")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    data = {"points": [{"code": "BL23"}], "pain_before": 6, "pain_after": 3, "tool": "mat"}
    created = api.post("/api/v1/sessions/", data, format="json")
    assert created.status_code == 201
    assert created.json()["tool"] == "mat"
    refused = api.post("/api/v1/sessions/", {**data, "tool": "hammer"}, format="json")
    assert refused.status_code == 400
    assert "tool" in refused.json()
    schema = api.get("/api/schema/").content.decode()
    assert "handheld" in schema


def test_a_tool_counts_as_a_thing_noted_in_the_insights(user, point):
    """Six sessions with a ball, six with fingers: each tool has its row with and without."""
    for i in range(6):
        for tool, after in (("balls", 2), ("fingers", 5)):
            PracticeSessionFactory(
                user=user,
                points=[point],
                pain_before=7,
                pain_after=after + i % 2,
                tool=tool,
                started_at=timezone.now() - timedelta(hours=i + 1),
            )
    totals = adjusted_queries.session_totals(user, Filters())
    rows = {row.name: row for row in adjusted_queries.factor_summaries(user, Filters(), totals)}
    ball = rows["Used a ball"]
    assert (ball.with_factor.sessions, ball.without_factor.sessions) == (6, 6)
    assert ball.difference == pytest.approx(3.0)
    assert ball.key == "tool:balls"
    assert rows["Pressed with fingers or thumbs"].difference == pytest.approx(-3.0)
    # The model compares the other tools with fingers: a ball column, no fingers column.
    data = adjusted_queries.model_rows(user, Filters())
    assert data.factor_names == {"tool:balls": "Used a ball"}
