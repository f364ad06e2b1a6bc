"""Create (or reset) a demo user whose journal shows clear, realistic differences between points.

The journal also tells the story behind raw averages: BL40 sessions mostly follow a painkiller, so
BL40 tops the raw ranking while BL23 does better once the painkiller is taken into account; GB30
is used on bad days, so its sessions start from higher pain; and a few rest sessions give the
baseline of resting alone.
"""

from __future__ import annotations

import importlib
import random
from datetime import timedelta

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from acupressure.models import Point
from journal.experiments import make_schedule
from journal.models import (
    Experiment,
    ExperimentStatus,
    Factor,
    PainArea,
    PracticeSession,
    Profile,
    SessionFactor,
    SessionPoint,
)

DEMO_USERNAME = "demo"
DEMO_PASSWORD = "acupressure-demo"
DEMO_TIME_ZONE = "Europe/London"
# A finished fair test between two points, logged over the last three weeks.
EXPERIMENT = ("bl40", "li4", 10)

# Relief each point gives the demo user, at a starting pain of 6 with nothing else done, and how
# much it varies from session to session. Pain that starts higher falls further (START_EFFECT per
# point of starting pain above 6), as it tends to.
EFFECTS = {
    "bl23": (2.3, 0.9),
    "bl40": (1.7, 0.9),
    "gb30": (1.5, 1.0),
    "li4": (1.1, 0.9),
    "te3": (0.9, 0.9),
    "ki1": (0.4, 0.9),
}
REST_EFFECT = (0.6, 0.7)
START_EFFECT = 0.3
REST_SESSIONS = 8  # of the --sessions, spread evenly
# What the demo user pressed with: mostly fingers, a ball now and then, a few not noted.
DEMO_TOOLS = ["fingers"] * 6 + ["balls"] * 3 + ["mat", ""]

# Built-in factors (by slug): extra relief on a session with it, and how often it is ticked.
# The painkiller comes before most BL40 sessions (BL40_PAINKILLER) and few others.
FACTORS = {
    "painkiller": (1.6, 0.12),
    "heat-or-cold": (0.4, 0.25),
    "slept-badly": (-0.6, 0.15),
}
BL40_PAINKILLER = 0.75
# GB30 is kept for bad days: its sessions start this much higher.
BAD_DAY_POINT, BAD_DAY_EXTRA = "gb30", 1.5
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
        Profile.objects.update_or_create(user=user, defaults={"time_zone": DEMO_TIME_ZONE})
        user.practice_sessions.all().delete()
        user.experiments.all().delete()

        factors = built_in_factors()

        rng = random.Random(seed)
        # Tools from a generator of their own, so the sessions' points and pain stay as they were.
        tool_rng = random.Random(seed + 1)
        now = timezone.now()
        rest_every = max(1, sessions // REST_SESSIONS)
        rows, links, noted = [], [], []
        for i in range(sessions):
            started = now - timedelta(
                days=days * (sessions - i) / sessions, minutes=rng.randint(0, 600)
            )
            rest = i % rest_every == rest_every // 2
            chosen = [] if rest else rng.sample(sorted(EFFECTS), 2 if rng.random() < 0.1 else 1)
            # Pain drifts down a little over the three months, as it often does.
            usual = 7 - 1.5 * i / sessions + (BAD_DAY_EXTRA if BAD_DAY_POINT in chosen else 0)
            before = max(2, min(10, round(rng.gauss(usual, 1.2))))
            factor_slugs = pick_factors(chosen, rng, in_experiment=False)
            after = pain_after(before, relief(chosen, before, factor_slugs, rng))
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
                rest_only=rest,
                tool="" if rest else tool_rng.choice(DEMO_TOOLS),
            )
            rows.append(session)
            links.append(chosen)
            noted.append(factor_slugs)
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
            chosen = [slug_a if letter == "A" else slug_b]
            before = max(2, min(10, round(rng.gauss(6, 1))))
            factor_slugs = pick_factors(chosen, rng, in_experiment=True)
            rows.append(
                PracticeSession(
                    user=user,
                    started_at=now - timedelta(days=21 - 2 * i, hours=1),
                    pain_before=before,
                    pain_after=pain_after(before, relief(chosen, before, factor_slugs, rng)),
                    area=PainArea.LOWER_BACK,
                    experiment=experiment,
                )
            )
            links.append(chosen)
            noted.append(factor_slugs)
        PracticeSession.objects.bulk_create(rows, batch_size=2000)
        SessionPoint.objects.bulk_create(
            (
                SessionPoint(session=session, point=points[slug], position=position, seconds=60)
                for session, chosen in zip(rows, links, strict=True)
                for position, slug in enumerate(chosen)
            ),
            batch_size=2000,
        )
        SessionFactor.objects.bulk_create(
            (
                SessionFactor(session=session, factor=factors[slug])
                for session, slugs in zip(rows, noted, strict=True)
                for slug in slugs
            ),
            batch_size=2000,
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo journal ready: {len(rows)} sessions. Log in as {username} / {DEMO_PASSWORD}"
            )
        )


def built_in_factors() -> dict[str, Factor]:
    """The built-in factors the demo ticks, by slug. A test database emptied after a browser test
    has lost the rows migration 0009 created; they are put back the way that migration makes them."""
    if Factor.objects.built_in().filter(slug__in=FACTORS).count() != len(FACTORS):
        migration = importlib.import_module("journal.migrations.0009_factors_and_rest")
        migration.add_built_in_factors(apps, None)
    return {f.slug: f for f in Factor.objects.built_in().filter(slug__in=FACTORS)}


def pick_factors(chosen: list[str], rng: random.Random, *, in_experiment: bool) -> list[str]:
    """The built-in factors ticked on a session. Outside the experiment, BL40 mostly follows a
    painkiller; inside it, the schedule decides the point, so the painkiller is no more likely."""
    picked = []
    for slug, (_extra, share) in FACTORS.items():
        if slug == "painkiller" and "bl40" in chosen and not in_experiment:
            share = BL40_PAINKILLER
        if rng.random() < share:
            picked.append(slug)
    return picked


def relief(chosen: list[str], before: int, factor_slugs: list[str], rng: random.Random) -> float:
    """The session's fall in pain: the points' (or resting's) own relief, more when pain started
    high, plus whatever the other things done added."""
    if chosen:
        own = sum(rng.gauss(*EFFECTS[slug]) for slug in chosen) / len(chosen)
    else:
        own = rng.gauss(*REST_EFFECT)
    return own + START_EFFECT * (before - 6) + sum(FACTORS[slug][0] for slug in factor_slugs)


def pain_after(before: int, fall: float) -> int:
    """Pain after a fall in pain, within 0–10 and at most one point worse than before."""
    return max(0, min(10, before + 1, before - round(fall)))
