"""Migration 0008: calendar addresses made before it keep working (their tokens are hashed, not
dropped), each plan gets its own unsubscribe token, and going back gives each plan a new address."""

import hashlib
import secrets

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

BEFORE = [("journal", "0007_email_verification")]
AFTER = [("journal", "0008_feed_token_hash_unsubscribe_token")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_existing_calendar_addresses_keep_working_and_going_back_works(client):
    try:
        apps = migrate(BEFORE)
        User = apps.get_model("auth", "User")
        Plan = apps.get_model("journal", "PracticePlan")
        raw = {}
        for name in ("ana", "ben", "cy"):
            user = User.objects.create(username=name, is_active=True)
            raw[name] = secrets.token_urlsafe(32)
            Plan.objects.create(user=user, feed_token=raw[name])

        apps = migrate(AFTER)
        Plan = apps.get_model("journal", "PracticePlan")
        rows = {
            row["user__username"]: row
            for row in Plan.objects.values(
                "user__username", "feed_token_hash", "feed_token_created_at", "unsubscribe_token"
            )
        }
        for name, token in raw.items():
            assert rows[name]["feed_token_hash"] == hashlib.sha256(token.encode()).hexdigest()
            assert rows[name]["feed_token_created_at"] is None
            stored = [str(value) for value in Plan.objects.filter(user__username=name).values()]
            assert not any(token in value for value in stored)
        unsubscribe_tokens = {row["unsubscribe_token"] for row in rows.values()}
        assert len(unsubscribe_tokens) == 3 and all(len(t) >= 43 for t in unsubscribe_tokens)

        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
        for token in raw.values():
            assert client.get(reverse("calendar_feed", args=[token])).status_code == 200
        for token in unsubscribe_tokens:
            assert client.get(reverse("unsubscribe", args=[token])).status_code == 200

        apps = migrate(BEFORE)
        Plan = apps.get_model("journal", "PracticePlan")
        plain = set(Plan.objects.values_list("feed_token", flat=True))
        assert len(plain) == 3 and not plain & set(raw.values())
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
