"""factory-boy factories for test data."""

from __future__ import annotations

from datetime import timedelta

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from acupressure.models import DiagramView, Point, Region, Routine, RoutineStep, Source
from journal.models import Experiment, Factor, PainArea, PracticeSession, SessionPoint

PASSWORD = "correct horse battery staple"


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


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.com")
    password = factory.django.Password(PASSWORD)


class PracticeSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PracticeSession
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    started_at = factory.LazyFunction(lambda: timezone.now() - timedelta(hours=1))
    pain_before = 6
    pain_after = 4
    area = PainArea.LOWER_BACK

    @factory.post_generation
    def points(self, create, extracted, **kwargs):
        """points=[Point, …] (default: one new point); each becomes a SessionPoint."""
        if not create:
            return
        for position, point in enumerate(extracted if extracted is not None else [PointFactory()]):
            SessionPointFactory(session=self, point=point, position=position)


class SessionPointFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SessionPoint

    session = factory.SubFactory(PracticeSessionFactory, points=[])
    point = factory.SubFactory(PointFactory)
    position = 0
    seconds = 60


class RoutineFactory(factory.django.DjangoModelFactory):
    """A user's own routine; see PublicRoutineFactory for one from the guides."""

    class Meta:
        model = Routine
        skip_postgeneration_save = True

    owner = factory.SubFactory(UserFactory)
    slug = ""
    title = factory.Sequence(lambda n: f"My routine {n}")

    @factory.post_generation
    def steps(self, create, extracted, **kwargs):
        """steps=[(point, seconds) or (point, seconds, side), …] (default: one new point, 60 s)."""
        if not create:
            return
        rows = extracted if extracted is not None else [(PointFactory(), 60)]
        for position, (point, seconds, *side) in enumerate(rows, start=1):
            RoutineStepFactory(
                routine=self,
                point=point,
                seconds=seconds,
                side=side[0] if side else "",
                position=position,
            )


class PublicRoutineFactory(RoutineFactory):
    owner = None
    slug = factory.Sequence(lambda n: f"routine-{n}")
    summary = "A routine used only in tests."


class RoutineStepFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoutineStep

    routine = factory.SubFactory(RoutineFactory, steps=[])
    point = factory.SubFactory(PointFactory)
    position = factory.Sequence(lambda n: n + 1)
    seconds = 60


class ExperimentFactory(factory.django.DjangoModelFactory):
    """A running A-against-B experiment with a fixed schedule (ABBA…, balanced)."""

    class Meta:
        model = Experiment

    user = factory.SubFactory(UserFactory)
    point_a = factory.SubFactory(PointFactory)
    point_b = factory.SubFactory(PointFactory)
    planned_sessions = 4
    schedule = factory.LazyAttribute(lambda e: ("ABBA" * 10)[: e.planned_sessions])


class FactorFactory(factory.django.DjangoModelFactory):
    """A user's own factor; the built-in ones come with the migrations (Factor.objects.built_in())."""

    class Meta:
        model = Factor

    owner = factory.SubFactory(UserFactory)
    name = factory.Sequence(lambda n: f"My factor {n}")
