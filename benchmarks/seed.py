"""Seed a journal of a given size with bulk_create, through the app's own models."""

from __future__ import annotations

import random
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from acupressure.models import Point
from journal.models import Factor, PainArea, PracticeSession, SessionFactor, SessionPoint

BATCH = 5000
REST_SHARE = 0.1  # sessions where the user only rested (no points)
FACTOR_SHARE = 0.15  # chance of each built-in factor on a session (about 0.75 per session)
PASSWORD = "bench pass phrase 9"


def create_user(username: str):
    return get_user_model().objects.create_user(username, f"{username}@bench.invalid", PASSWORD)


def seed_sessions(user, count: int, *, seed: int = 9) -> None:
    """``count`` sessions over the last three years: one to three points each, or a rest session;
    each built-in factor ticked now and then."""
    rng = random.Random(seed)
    point_ids = list(Point.objects.order_by("pk").values_list("pk", flat=True))
    factor_ids = list(Factor.objects.built_in().order_by("pk").values_list("pk", flat=True))
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
                        rest_only=rng.random() < REST_SHARE,
                    )
                )
            sessions = PracticeSession.objects.bulk_create(sessions)
            SessionPoint.objects.bulk_create(
                SessionPoint(session=session, point_id=point_id, position=position, seconds=60)
                for session in sessions
                if not session.rest_only
                for position, point_id in enumerate(rng.sample(point_ids, rng.randint(1, 3)))
            )
            SessionFactor.objects.bulk_create(
                SessionFactor(session=session, factor_id=factor_id)
                for session in sessions
                for factor_id in factor_ids
                if rng.random() < FACTOR_SHARE
            )
