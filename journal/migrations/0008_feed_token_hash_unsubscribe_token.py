"""Calendar feed tokens are kept only as a SHA-256 hash; unsubscribe links get a random token.

Existing calendar addresses keep working: each stored token is hashed into ``feed_token_hash``
before the plain column is dropped. Each plan gets its own random ``unsubscribe_token`` (the
links in reminder e-mails sent before this migration, signed user ids, stop working).

Going back cannot restore the old addresses (only their hashes are left): each plan gets a new
random feed token, and subscribed calendars must use the new address.
"""

import hashlib
import secrets

from django.db import migrations, models

import journal.models


def hash_feed_tokens(apps, schema_editor):
    PracticePlan = apps.get_model("journal", "PracticePlan")
    # A list, not a streaming cursor: the loop updates the same table.
    for pk, feed_token in list(PracticePlan.objects.values_list("pk", "feed_token")):
        PracticePlan.objects.filter(pk=pk).update(
            feed_token_hash=hashlib.sha256(feed_token.encode()).hexdigest() if feed_token else None,
            unsubscribe_token=secrets.token_urlsafe(32),
        )


def new_plain_feed_tokens(apps, schema_editor):
    PracticePlan = apps.get_model("journal", "PracticePlan")
    for pk in list(PracticePlan.objects.values_list("pk", flat=True)):
        PracticePlan.objects.filter(pk=pk).update(feed_token=secrets.token_urlsafe(32))


class Migration(migrations.Migration):
    dependencies = [
        ("journal", "0007_email_verification"),
    ]

    operations = [
        migrations.AddField(
            model_name="practiceplan",
            name="feed_token_hash",
            field=models.CharField(
                blank=True, editable=False, max_length=64, null=True, unique=True
            ),
        ),
        migrations.AddField(
            model_name="practiceplan",
            name="feed_token_created_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        # Added empty, filled one plan at a time, then made unique: a default on AddField would
        # give every existing row the same value.
        migrations.AddField(
            model_name="practiceplan",
            name="unsubscribe_token",
            field=models.CharField(editable=False, max_length=64, null=True),
        ),
        # Loosened before it is dropped, so that going back can re-add it empty and fill it.
        migrations.AlterField(
            model_name="practiceplan",
            name="feed_token",
            field=models.CharField(editable=False, max_length=64, null=True),
        ),
        migrations.RunPython(hash_feed_tokens, new_plain_feed_tokens),
        migrations.RemoveField(
            model_name="practiceplan",
            name="feed_token",
        ),
        migrations.AlterField(
            model_name="practiceplan",
            name="unsubscribe_token",
            field=models.CharField(
                default=journal.models.new_unsubscribe_token,
                editable=False,
                max_length=64,
                unique=True,
            ),
        ),
    ]
