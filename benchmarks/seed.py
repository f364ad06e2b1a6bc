"""Seed a journal of a given size with bulk_create, through the app's own models."""

from __future__ import annotations

import random
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from acupressure.models import Point
from journal.models import PainArea, PracticeSession, SessionPoint

BATCH = 5000
PASSWORD = "bench pass phrase 9"


def create_user(username: str):
    return get_user_model().objects.create_user(username, f"{username}@bench.invalid", PASSWORD)


def seed_sessions(user, count: int, *, seed: int = 9) -> None:
    """``count`` sessions over the last three years, one to three points each, oldest first."""
    rng = random.Random(seed)
    point_ids = list(Point.objects.order_by("pk").values_list("pk", flat=True))
    areas = PainArea.values
    now = timezone.now()
    span = timedelta(days=3 * 365).total_seconds()
    with transaction.atomic():
        for start in range(0, count, BATCH):
            size = min(BATCH, count - start)
            sessions = []
            for _ in range(size):
                before = rng.randint(2, 9)
                sessions.append(
                    PracticeSession(
                        user=user,
                        started_at=now - timedelta(seconds=rng.random() * span + 60),
                        pain_before=before,
                        pain_after=rng.randint(max(0, before - 5), before),
                        area=rng.choice(areas),
                    )
                )
            sessions = PracticeSession.objects.bulk_create(sessions)
            SessionPoint.objects.bulk_create(
                SessionPoint(session=session, point_id=point_id, position=position, seconds=60)
                for session in sessions
                for position, point_id in enumerate(rng.sample(point_ids, rng.randint(1, 3)))
            )
