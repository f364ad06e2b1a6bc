"""Tools and helpers (issue 22): the content file's tools load with cautions and sources, the tools
page shows each one, and the guides list, the home page and the ball points' pages link to it."""

import re

import pytest
from django.urls import reverse

from acupressure.loader import CONTENT_FILE, ContentError, load_guides, read_content
from acupressure.models import ContentVersion, Point, Tool, ToolIllustration

TOOLS_URL = "/guides/tools/"
# Every kind of tool the issue names, with its illustration.
EXPECTED_TOOLS = {
    "mat": ToolIllustration.MAT,
    "belt": ToolIllustration.BELT,
    "balls": ToolIllustration.BALLS,
    "handheld": ToolIllustration.HANDHELD,
    "roller": ToolIllustration.ROLLER,
    "oils": ToolIllustration.OILS,
}
# A point whose technique has you press it with a ball.
USES_A_BALL = re.compile(r"\b(tennis|massage) balls?\b|\bon (a|the) balls?\b", re.IGNORECASE)


def edited_file(tmp_path, old: str, new: str):
    """The real content file with one exact edit."""
    text = CONTENT_FILE.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path = tmp_path / "guides.toml"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


def test_the_url_is_stable():
    assert reverse("acupressure:tools") == TOOLS_URL


def test_every_tool_kind_is_loaded_with_its_illustration(guides):
    assert dict(Tool.objects.values_list("slug", "illustration")) == EXPECTED_TOOLS


@pytest.mark.parametrize("slug", sorted(EXPECTED_TOOLS))
def test_every_tool_has_cautions_a_source_and_every_section(guides, slug):
    tool = Tool.objects.get(slug=slug)
    assert len(tool.caution_list) >= 3
    assert tool.sources.exists()
    assert len(tool.how_to_start_steps) >= 3
    for field in ["name", "summary", "what_it_is", "reaches", "evidence"]:
        assert getattr(tool, field).strip(), f"{slug}.{field} is empty"


@pytest.mark.parametrize("slug", sorted(EXPECTED_TOOLS))
def test_no_tool_names_a_brand_or_links_to_a_shop(guides, slug):
    tool = Tool.objects.get(slug=slug)
    text = " ".join(str(getattr(tool, field.name)) for field in Tool._meta.concrete_fields).lower()
    assert "http" not in text and "www." not in text
    assert not any(word in text for word in ["shakti", "amazon", "buy now", "®", "™"])


def test_the_issues_cautions_are_all_there(guides):
    cautions = " ".join(" ".join(tool.caution_list) for tool in Tool.objects.all()).lower()
    for caution in [
        "thin or fragile skin",
        "rash",
        "numb or tingly from diabetes or nerve damage",
        "blood-thinning medicine",
        "bleeding disorder",
        "pregnant",
        "recent injury",
        "patch-test",
        "ask a pharmacist",
    ]:
        assert caution in cautions, caution


def test_the_mat_says_how_many_people_the_trials_had_and_how_weak_the_evidence_is(guides):
    mat = Tool.objects.get(slug="mat")
    for fact in ["40 people", "42 with", "44 people", "91 people", "fake one", "weak"]:
        assert fact in mat.evidence, fact
    keys = set(mat.sources.values_list("key", flat=True))
    assert {"hohmann-2012", "frizziero-2021", "needle-pad-2016"} <= keys


def test_the_oils_say_what_the_lavender_trials_compared(guides):
    oils = Tool.objects.get(slug="oils")
    assert "usual care only" in oils.evidence
    assert "cannot show what the oil added" in oils.evidence
    keys = set(oils.sources.values_list("key", flat=True))
    assert {"yip-tse-2004", "yip-tse-2006", "nhs-herbal-medicines"} <= keys


def test_the_balls_tool_lists_every_point_pressed_with_a_ball(guides):
    with_a_ball = {
        point.code for point in Point.objects.all() if USES_A_BALL.search(point.technique)
    }
    assert with_a_ball == {"BL23", "BL52", "BL53", "GB30", "KI1"}
    balls = Tool.objects.get(slug="balls")
    assert set(balls.points.values_list("code", flat=True)) == with_a_ball


def test_loading_twice_leaves_the_tools_unchanged(guides):
    report = load_guides()
    assert [label for label in report.unchanged if label.startswith("tool ")] == [
        f"tool {slug}" for slug in EXPECTED_TOOLS
    ]
    assert report.created == [] and report.updated == []


def test_an_edited_tool_is_updated_in_place(guides, tmp_path):
    path = edited_file(tmp_path, 'name = "Foot rollers"', 'name = "Foot rollers and sticks"')
    report = load_guides(path)
    assert report.updated == ["tool roller"]
    assert Tool.objects.get(slug="roller").name == "Foot rollers and sticks"


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            'sources = ["nhs-diabetes-feet", "nhs-anticoagulants"]',
            "sources = []",
            "Tool roller: at least one source is required",
        ),
        (
            'sources = ["nhs-diabetes-feet", "nhs-anticoagulants"]',
            'sources = ["nhs-diabetes-feet", "no-such-source"]',
            "Tool roller: unknown source or point 'no-such-source'",
        ),
        (
            'points = ["KI1"]\nsources = ["nhs-diabetes-feet"',
            'points = ["KI99"]\nsources = ["nhs-diabetes-feet"',
            "Tool roller: unknown source or point 'KI99'",
        ),
        (
            'illustration = "roller"',
            'illustration = "spoon"',
            "tool roller: .*illustration",
        ),
    ],
)
def test_the_loader_refuses_a_tool_without_sources_or_with_unknown_names(
    db, tmp_path, old, new, message
):
    with pytest.raises(ContentError, match=message):
        load_guides(edited_file(tmp_path, old, new))
    assert not Tool.objects.exists()


def test_the_loader_refuses_a_tool_without_cautions(db, tmp_path):
    content = CONTENT_FILE.read_text(encoding="utf-8")
    start = content.index('[[tools]]\nslug = "belt"')
    cautions = content.index("cautions = [", start)
    end = content.index("]\n", cautions) + 2
    path = tmp_path / "guides.toml"
    path.write_text(content[:cautions] + "cautions = []\n" + content[end:], encoding="utf-8")
    with pytest.raises(ContentError, match="Tool belt: missing cautions"):
        load_guides(path)
    assert not Tool.objects.exists()


def test_the_loader_refuses_a_blank_caution(db, tmp_path):
    path = edited_file(
        tmp_path,
        '  "If you take blood-thinning medicine (an anticoagulant) or bruise easily, roll gently.",',
        '  "  ",',
    )
    with pytest.raises(ContentError, match="Tool roller: cautions must be a list of non-empty"):
        load_guides(path)


def test_every_tool_in_the_file_is_a_kind_the_page_can_draw():
    for entry in read_content()["tools"]:
        assert entry["illustration"] in ToolIllustration.values, entry["slug"]


def test_the_page_shows_each_tool_with_its_drawing_cautions_and_sources(client, guides):
    response = client.get(TOOLS_URL)
    assert response.status_code == 200
    html = response.text
    for tool in Tool.objects.prefetch_related("sources"):
        section = html[html.index(f'<section id="{tool.slug}"') :]
        section = section[: section.index("</section>")]
        assert f'id="{tool.slug}-title">{tool.name}</h2>' in section
        assert 'role="img"' in section and 'class="diagram"' in section
        assert (
            f'id="tool-{tool.slug}-title"' in section and f'id="tool-{tool.slug}-desc"' in section
        )
        assert section.count('<div class="cautions">') == 1
        for caution in tool.caution_list:
            assert caution.replace("'", "&#x27;").replace('"', "&quot;") in section
        for source in tool.sources.all():
            assert source.citation[:40] in section
    assert f"{reverse('safety')}#myths" in html


def test_the_page_uses_a_fixed_number_of_queries(client, guides, django_assert_max_num_queries):
    # The tools, their points and their sources, plus the content version keying the page cache.
    with django_assert_max_num_queries(4):
        client.get(TOOLS_URL)


def test_the_page_lists_the_points_each_tool_reaches(client, guides):
    html = client.get(TOOLS_URL).text
    balls = html[html.index('<section id="balls"') :]
    balls = balls[: balls.index("</section>")]
    for code in ["bl23", "bl52", "bl53", "gb30", "ki1"]:
        assert f'href="/guides/{code}/"' in balls


def test_the_guides_list_links_to_the_tools(client, guides):
    assert f'href="{TOOLS_URL}"' in client.get("/guides/").text


def test_the_visitors_home_page_links_to_the_tools(client, guides):
    assert f'href="{TOOLS_URL}"' in client.get("/").text


@pytest.mark.parametrize("code", ["BL23", "BL52", "BL53", "GB30", "KI1"])
def test_a_point_pressed_with_a_ball_links_to_the_balls(client, guides, code):
    point = Point.objects.get(code=code)
    assert f'href="{TOOLS_URL}#balls"' in client.get(point.get_absolute_url()).text


def test_a_point_no_tool_reaches_has_no_tools_link(client, guides):
    html = client.get(Point.objects.get(code="BL40").get_absolute_url()).text
    assert TOOLS_URL not in html[html.index("<main") : html.index("</main>")]


def test_editing_a_tool_retires_the_cached_pages(guides):
    before = ContentVersion.current()
    tool = Tool.objects.get(slug="belt")
    tool.summary += " Edited."
    tool.save()
    assert ContentVersion.current() > before


def test_the_safety_myths_correct_as_often_as_you_like(client, guides):
    html = client.get(reverse("safety")).text
    myths = html[html.index('id="myths"') : html.index('id="sources"')]
    myth = myths[myths.index('id="myth-as-often-as-you-like"') :]
    myth = myth[: myth.index("</li>")]
    for words in ["as many times as you want", "sore or bruised", "eight sessions", "three weeks"]:
        assert words in myth, words
    assert "about three minutes on each point" in myth
    assert "a minute or so and repeating up to three times" in myth
    assert f'href="{TOOLS_URL}"' in myth


def test_the_myth_agrees_with_every_point_page(guides):
    """The myth says a minute or so per point, up to three times: so do the point pages."""
    for point in Point.objects.all():
        assert 60 <= point.hold_seconds <= 90, point.code
        assert point.repetitions <= 3, point.code
