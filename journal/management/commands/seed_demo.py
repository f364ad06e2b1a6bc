"""Create (or reset) a demo user whose journal shows clear, realistic differences between points."""

from __future__ import annotations

import random
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from acupressure.models import Point
from journal.experiments import make_schedule
from journal.models import (
    Experiment,
    ExperimentStatus,
    PainArea,
    PracticeSession,
    Profile,
    SessionPoint,
)

DEMO_USERNAME = "demo"
DEMO_PASSWORD = "acupressure-demo"
# A finished fair test between two points, logged over the last three weeks.
EXPERIMENT = ("bl40", "li4", 10)

# Average relief each point gives the demo user, and how much it varies from session to session.
EFFECTS = {
    "bl40": (2.6, 1.0),
    "bl23": (2.1, 1.2),
    "gb30": (1.7, 1.3),
    "li4": (1.2, 1.1),
    "te3": (0.9, 1.0),
    "ki1": (0.5, 1.0),
}
NOTES = [
    ("Stiff after a long drive.", False),
    ("Pain went down my left leg in the morning.", True),
    ("Did this lying on two tennis balls.", False),
    ("Woke at night with pain; eased after pressing.", True),
    ("Sore spot afterwards, gone by evening.", True),
]


class Command(BaseCommand):
    help = (
        "Create or reset the demo user (demo / acupressure-demo) with about 120 sessions over "
        "90 days, plus a finished 10-session experiment of BL40 against LI4."
    )

    def add_arguments(self, parser):
        parser.add_argument("--sessions", type=int, default=120)
        parser.add_argument("--days", type=int, default=90)
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--username", default=DEMO_USERNAME)

    @transaction.atomic
    def handle(self, *args, sessions: int, days: int, seed: int, username: str, **options):
        points = {p.slug: p for p in Point.objects.filter(slug__in=EFFECTS)}
        if len(points) != len(EFFECTS):
            raise CommandError("Load the guides first: manage.py load_guides")
        user, _ = get_user_model().objects.get_or_create(username=username)
        user.set_password(DEMO_PASSWORD)
        user.save()
        Profile.objects.update_or_create(user=user, defaults={"time_zone": "Europe/London"})
        user.practice_sessions.all().delete()
        user.experiments.all().delete()

        rng = random.Random(seed)
        now = timezone.now()
        rows, links = [], []
        for i in range(sessions):
            started = now - timedelta(
                days=days * (sessions - i) / sessions, minutes=rng.randint(0, 600)
            )
            chosen = rng.sample(sorted(EFFECTS), 2 if rng.random() < 0.3 else 1)
            effect = sum(rng.gauss(*EFFECTS[slug]) for slug in chosen) / len(chosen)
            # Pain drifts down a little over the three months, as it often does.
            before = max(2, min(10, round(rng.gauss(7 - 1.5 * i / sessions, 1.2))))
            after = max(0, min(10, before + 1, before - round(effect)))
            note, flagged = rng.choice(NOTES) if rng.random() < 0.15 else ("", False)
            session = PracticeSession(
                user=user,
                started_at=started,
                pain_before=before,
                pain_after=after,
                pain_later=max(0, min(10, after + rng.choice([0, 0, 1, 1, 2])))
                if rng.random() < 0.4
                else None,
                area=rng.choice([PainArea.LOWER_BACK] * 3 + [PainArea.LEG, PainArea.HIP_BUTTOCK]),
                notes=note,
                show_in_report=flagged,
            )
            rows.append(session)
            links.append(chosen)
        slug_a, slug_b, planned = EXPERIMENT
        experiment = Experiment.objects.create(
            user=user,
            point_a=points[slug_a],
            point_b=points[slug_b],
            planned_sessions=planned,
            schedule=make_schedule(planned, rng),
            status=ExperimentStatus.COMPLETED,
            ended_at=now - timedelta(days=3),
        )
        # started_at is set on creation; the demo's experiment began three weeks ago.
        Experiment.objects.filter(pk=experiment.pk).update(started_at=now - timedelta(days=22))
        for i, letter in enumerate(experiment.schedule):
            slug = slug_a if letter == "A" else slug_b
            before = max(2, min(10, round(rng.gauss(6, 1))))
            rows.append(
                PracticeSession(
                    user=user,
                    started_at=now - timedelta(days=21 - 2 * i, hours=1),
                    pain_before=before,
                    pain_after=max(0, min(10, before - round(rng.gauss(*EFFECTS[slug])))),
                    area=PainArea.LOWER_BACK,
                    experiment=experiment,
                )
            )
            links.append([slug])
        PracticeSession.objects.bulk_create(rows, batch_size=2000)
        SessionPoint.objects.bulk_create(
            (
                SessionPoint(session=session, point=points[slug], position=position, seconds=60)
                for session, chosen in zip(rows, links, strict=True)
                for position, slug in enumerate(chosen)
            ),
            batch_size=2000,
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo journal ready: {len(rows)} sessions. Log in as {username} / {DEMO_PASSWORD}"
            )
        )
