from __future__ import annotations

from django.db import models
from django.urls import reverse


class Region(models.TextChoices):
    """Body regions, in the order the guide lists them (top of the back down to the hands)."""

    LOWER_BACK = "lower-back", "Lower back"
    ABDOMEN = "abdomen", "Abdomen"
    HIP_BUTTOCK = "hip-buttock", "Hip and buttock"
    KNEE_LEG = "knee-leg", "Knee and leg"
    FOOT = "foot", "Foot and ankle"
    HAND = "hand", "Hand"


REGION_ORDER = {value: index for index, value in enumerate(Region.values)}


class DiagramView(models.TextChoices):
    """Which drawing a point is marked on; one SVG template per view in templates/acupressure/diagrams/."""

    LOWER_BACK = "lower-back", "Lower back, seen from behind"
    ABDOMEN = "abdomen", "Abdomen, seen from the front"
    BUTTOCK = "buttock", "Hips and buttocks, seen from behind"
    LEG_BACK = "leg-back", "Back of the knee and lower leg"
    ANKLE_OUTER = "ankle-outer", "Outer side of the right ankle"
    FOOT_TOP = "foot-top", "Top of the right foot"
    FOOT_SOLE = "foot-sole", "Sole of the right foot"
    HAND_BACK = "hand-back", "Back of the right hand"


class Source(models.Model):
    """A reference the guides cite, keyed so the content file can refer to it briefly."""

    key = models.SlugField(max_length=60, unique=True)
    citation = models.TextField()
    url = models.URLField(blank=True)

    class Meta:
        ordering = ["key"]

    def __str__(self) -> str:
        return self.citation


class PointQuerySet(models.QuerySet):
    def search(self, query: str) -> PointQuerySet:
        """Points whose names, code, folk name or traditional use mention every word of ``query``."""
        matches = self
        for word in query.split():
            matches = matches.filter(
                models.Q(code__icontains=word)
                | models.Q(name_en__icontains=word)
                | models.Q(name_pinyin__icontains=word)
                | models.Q(folk_name__icontains=word)
                | models.Q(other_names__icontains=word)
                | models.Q(traditional_use__icontains=word)
            )
        return matches


class Point(models.Model):
    code = models.CharField("WHO code", max_length=12, unique=True)
    slug = models.SlugField(max_length=20, unique=True)
    name_en = models.CharField("English name", max_length=80)
    name_pinyin = models.CharField("Pinyin name", max_length=80)
    folk_name = models.CharField(
        max_length=80, blank=True, help_text="Name used in popular self-help books, if any."
    )
    other_names = models.CharField(
        max_length=200, blank=True, help_text="Other codes or spellings, e.g. older numbering."
    )
    meridian = models.CharField(max_length=80)
    region = models.CharField(max_length=20, choices=Region.choices)
    summary = models.CharField(max_length=200, help_text="One line for the list page.")
    popular_advice = models.TextField(
        blank=True,
        help_text="How popular advice describes this spot, and what it gets right or wrong.",
    )
    location = models.TextField(help_text="Anatomical location (WHO 2008).")
    how_to_find = models.TextField(help_text="Steps by landmarks and finger-widths, one per line.")
    technique = models.TextField(help_text="How to press, one step per line.")
    hold_seconds = models.PositiveSmallIntegerField()
    repetitions = models.PositiveSmallIntegerField()
    both_sides = models.BooleanField(default=True)
    traditional_use = models.TextField()
    cautions = models.TextField(help_text="One caution per line.")
    avoid_in_pregnancy = models.BooleanField(default=False)
    pregnancy_note = models.CharField(max_length=300, blank=True)
    diagram = models.CharField(max_length=20, choices=DiagramView.choices)
    sources = models.ManyToManyField(Source, related_name="points")
    sort_order = models.PositiveSmallIntegerField(default=0)

    objects = PointQuerySet.as_manager()

    class Meta:
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name_pinyin}"

    def get_absolute_url(self) -> str:
        return reverse("acupressure:point", kwargs={"slug": self.slug})

    @property
    def how_to_find_steps(self) -> list[str]:
        return _lines(self.how_to_find)

    @property
    def technique_steps(self) -> list[str]:
        return _lines(self.technique)

    @property
    def caution_list(self) -> list[str]:
        return _lines(self.cautions)

    @property
    def diagram_template(self) -> str:
        return f"acupressure/diagrams/{self.diagram}.svg"


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]
