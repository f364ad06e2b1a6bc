"""factory-boy factories for test data."""

from __future__ import annotations

import factory

from acupressure.models import DiagramView, Point, Region, Source


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source
        django_get_or_create = ["key"]

    key = factory.Sequence(lambda n: f"source-{n}")
    citation = factory.Sequence(lambda n: f"Author A. A study of pressure points, part {n}. 2020.")


class PointFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Point
        django_get_or_create = ["code"]
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"ZZ{n}")
    slug = factory.LazyAttribute(lambda point: point.code.lower())
    name_en = "Test Point"
    name_pinyin = "Ceshi"
    meridian = "Bladder"
    region = Region.LOWER_BACK
    summary = "A point used only in tests."
    location = "Somewhere on the lower back."
    how_to_find = "Put your hands on your waist.\nSlide your thumbs in."
    technique = "Press firmly.\nBreathe slowly."
    hold_seconds = 60
    repetitions = 3
    traditional_use = "Traditionally used for back stiffness."
    cautions = "Not over broken skin."
    diagram = DiagramView.LOWER_BACK

    @factory.post_generation
    def sources(self, create, extracted, **kwargs):
        if create:
            self.sources.set(extracted or [SourceFactory()])
