"""The public guide pages: list, search, filter, point page, safety, home, errors."""

import re

import pytest
from django.urls import reverse
from django.utils.html import escape

from acupressure.models import Point, Pregnancy
from tests.factories import PointFactory

POINT_CODES = [
    "BL23", "BL52", "GV4", "CV6", "BL53", "GB30", "BL40", "BL57",
    "BL60", "LR3", "KI1", "LI4", "TE3", "SI3", "EX-UE7",
]  # fmt: skip


def point_content(html: str) -> str:
    """The page's <main> without its site-wide safety asides: what the page says about the point."""
    main = html[html.index("<main") : html.index("</main>")]
    return re.sub(r"<aside\b.*?</aside>", "", main, flags=re.S)


def point_card(html: str, point: Point) -> str:
    """The point's card on the list page."""
    start = html.index(f'href="{point.get_absolute_url()}" class="point-card-link"')
    return html[start : html.index("</li>", start)]


def test_home_links_to_guides_and_safety(client, guides):
    response = client.get("/")
    assert response.status_code == 200
    assert reverse("acupressure:list") in response.text
    assert reverse("safety") in response.text


def test_healthz_answers_without_touching_the_database(client):
    # No `db` fixture: pytest-django makes any database access in this test an error.
    response = client.get("/healthz")
    assert response.json() == {"status": "ok"}


def test_list_groups_points_by_region_in_body_order(client, guides):
    response = client.get("/guides/")
    labels = [label for label, _ in response.context["groups"]]
    assert labels == [
        "Lower back",
        "Abdomen",
        "Hip and buttock",
        "Knee and leg",
        "Foot and ankle",
        "Hand",
    ]
    lower_back = dict(response.context["groups"])["Lower back"]
    assert [p.code for p in lower_back] == ["BL23", "BL52", "GV4"]
    assert response.context["result_count"] == Point.objects.count()


def test_every_point_in_the_list_has_a_thumbnail(client, guides):
    response = client.get("/guides/")
    assert response.text.count('class="point-thumb"') == Point.objects.count()
    assert response.text.count("<svg") >= Point.objects.count()


@pytest.mark.parametrize(
    ("query", "expected_code"),
    [("bl40", "BL40"), ("Weizhong", "BL40"), ("Bubbling Spring", "KI1"), ("sciatica", "GB30")],
)
def test_search_finds_points_by_code_name_folk_name_and_use(client, guides, query, expected_code):
    response = client.get("/guides/", {"q": query})
    codes = {p.code for _, points in response.context["groups"] for p in points}
    assert expected_code in codes
    assert response.context["result_count"] == len(codes)


def test_search_with_no_match_says_so_and_suggests_what_to_try(client, guides):
    response = client.get("/guides/", {"q": "elbow xyz"})
    assert response.context["groups"] == []
    assert "No points match" in response.text
    assert "0 points found" in response.text


def test_region_filter_shows_only_that_region(client, guides):
    response = client.get("/guides/", {"region": "hand"})
    assert [label for label, _ in response.context["groups"]] == ["Hand"]
    codes = [p.code for p in response.context["groups"][0][1]]
    assert codes == ["LI4", "TE3", "SI3", "EX-UE7"]


def test_unknown_region_is_ignored_not_an_error(client, guides):
    response = client.get("/guides/", {"region": "elbow"})
    assert response.status_code == 200
    assert response.context["result_count"] == Point.objects.count()


def test_search_and_region_combine(client, guides):
    response = client.get("/guides/", {"q": "pain", "region": "foot"})
    regions = {p.region for _, points in response.context["groups"] for p in points}
    assert regions == {"foot"}


def test_list_uses_one_query_whatever_the_number_of_points(
    client, guides, django_assert_num_queries
):
    # The points, plus the content version that keys the page cache (new points change it).
    with django_assert_num_queries(2):
        client.get("/guides/")
    PointFactory.create_batch(5)
    with django_assert_num_queries(2):
        client.get("/guides/")


def test_point_page_shows_every_field(client, guides):
    point = Point.objects.get(code="BL40")
    response = client.get("/guides/bl40/")
    assert response.status_code == 200
    html = response.text
    texts = [
        point.code,
        point.name_en,
        point.name_pinyin,
        point.folk_name,
        point.meridian,
        point.location,
        point.traditional_use,
        f"{point.hold_seconds} seconds",
        *point.how_to_find_steps,
        *point.technique_steps,
        *point.caution_list,
        *(source.citation for source in point.sources.all()),
    ]
    for text in texts:
        assert escape(text) in html, text
    assert 'class="diagram"' in html
    assert reverse("safety") in html


def test_cautions_come_before_the_technique(client, guides):
    html = client.get("/guides/bl23/").text
    assert html.index('id="cautions"') < html.index('id="technique"')


def test_pregnancy_warning_shows_only_where_it_applies(client, guides):
    li4 = client.get("/guides/li4/").text
    assert (
        "<strong>Avoid in pregnancy.</strong> If you are or might be pregnant, do not press" in li4
    )
    assert "It has long been said to bring on labour" in li4
    bl23 = client.get("/guides/bl23/").text
    assert "<strong>Pregnant? Ask your midwife first.</strong>" in bl23
    assert "Points on the lower back are traditionally avoided in pregnancy." in bl23
    te3 = client.get("/guides/te3/").text
    assert "pregnancy-warning" not in te3


@pytest.mark.parametrize("code", POINT_CODES)
def test_a_points_pregnancy_level_alone_sets_its_badge_warning_and_caution(client, guides, code):
    point = Point.objects.get(code=code)
    html = client.get(point.get_absolute_url()).text
    card = point_card(client.get("/guides/").text, point)
    content = point_content(html)
    cautions = content[
        content.index('id="cautions"') : content.index("</ul>", content.index('id="cautions"'))
    ]
    wording = point.pregnancy_wording
    if point.pregnancy == Pregnancy.NONE:
        assert wording is None
        assert "pregnan" not in content.lower() and "midwife" not in content.lower()
        assert "badge" not in card
        return
    warning = content[
        content.index("pregnancy-warning") : content.index(
            "</div>", content.index("pregnancy-warning")
        )
    ]
    assert (
        f"<strong>{wording.badge}.</strong> {wording.caution} {escape(point.pregnancy_note)}".rstrip()
        in warning
    )
    assert re.findall(r"<li>(.*?)</li>", cautions)[0] == wording.caution
    assert cautions.count("pregnant") == 1
    assert f'<span class="badge {wording.badge_class}">{wording.badge}</span>' in card
    assert content.count("pregnan") == html.count("pregnan"), "no other pregnancy sentence"


def test_unknown_point_is_a_styled_404(client, guides):
    response = client.get("/guides/xx99/")
    assert response.status_code == 404
    assert "We could not find that page" in response.text


def test_point_page_uses_a_fixed_number_of_queries(client, guides, django_assert_max_num_queries):
    # The point, its sources, its tools and its neighbours, plus the content version keying the
    # page cache.
    with django_assert_max_num_queries(5):
        client.get("/guides/bl23/")


def test_safety_page_lists_red_flags_and_sources(client, guides):
    response = client.get("/safety/")
    assert response.status_code == 200
    html = response.text
    for anchor in [
        "red-flags",
        "emergency",
        "same-day",
        "who-should-ask-first",
        "side-effects",
        "evidence",
        "myths",
        "sources",
    ]:
        assert f'id="{anchor}"' in html
    assert "361" in html
    assert "Hsieh" in html
    for point in Point.objects.filter(pregnancy=Pregnancy.AVOID):
        assert point.get_absolute_url() in html
    assert {p.code for p in response.context["pregnancy_points"]} == {"CV6", "BL60", "LI4"}
    assert {p.code for p in response.context["pregnancy_ask_points"]} == {
        "BL23", "BL52", "GV4", "BL53", "GB30", "BL57", "LR3",
    }  # fmt: skip


def test_gb30_page_measures_from_the_hip_bump_and_has_no_elbow(client, guides):
    html = client.get("/guides/gb30/").text
    assert (
        "a third of the way from the bony bump at the side of the hip (greater trochanter)" in html
    )
    assert "hip joint" not in html
    assert "elbow" not in html
    assert "and stop the moment you say so." in html


def test_ex_ue7_page_cites_deadman_not_who_and_says_atlases_differ(client, guides):
    html = client.get("/guides/ex-ue7/").text
    sources = html[html.index('id="sources"') :]
    assert "A Manual of Acupuncture" in sources
    assert "WHO Standard Acupuncture Point Locations" not in sources
    assert "Atlases differ on the exact spot" in html


def test_500_page_renders_without_a_request_context(rf):
    from acupressure.views import server_error

    response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert b"Something went wrong" in response.content
