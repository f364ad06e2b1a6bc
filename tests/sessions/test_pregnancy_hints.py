"""The log form's point grid: a pregnancy hint beside each point, from the point's own level."""

import re

from acupressure.models import PREGNANCY_WORDING, Point, Pregnancy


def point_labels(html: str) -> dict[str, str]:
    """Point code -> the text of its checkbox label in the log form."""
    labels = re.findall(r'<label class="point-option"[^>]*>(.*?)</label>', html, flags=re.S)
    result = {}
    for label in labels:
        text = re.sub(r"<[^>]+>", " ", label)
        code = text.split()[0]
        result[code] = " ".join(text.split())
    return result


def test_each_point_in_the_log_form_has_the_hint_of_its_level(logged_in, guides):
    labels = point_labels(logged_in.get("/journal/new/").text)
    points = list(Point.objects.all())
    assert set(labels) == {point.code for point in points}
    for point in points:
        name = f"{point.code} {point.name_pinyin}"
        if point.pregnancy == Pregnancy.NONE:
            assert labels[point.code] == name
        else:
            assert labels[point.code] == f"{name} {PREGNANCY_WORDING[point.pregnancy].badge}"
    assert labels["LI4"] == "LI4 Hegu Avoid in pregnancy"
    assert labels["BL23"] == "BL23 Shenshu Pregnant? Ask your midwife first"
    assert labels["TE3"] == "TE3 Zhongzhu"


def test_the_hints_cost_no_extra_queries(logged_in, guides, django_assert_max_num_queries):
    logged_in.get("/journal/new/")
    with django_assert_max_num_queries(12) as captured:
        logged_in.get("/journal/new/")
    point_queries = [q["sql"] for q in captured.captured_queries if "acupressure_point" in q["sql"]]
    assert len(point_queries) <= 2, point_queries
