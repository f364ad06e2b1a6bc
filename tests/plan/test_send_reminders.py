"""manage.py send_reminders: each due reminder e-mailed once, with a one-click unsubscribe."""

from datetime import datetime, time, timedelta
from datetime import timezone as dt_timezone
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import timezone

from journal import reminders
from journal.models import PracticePlan, Weekday
from tests.factories import PublicRoutineFactory, UserFactory

UTC = dt_timezone.utc


def plan_due_now(username="maria", time_zone="Europe/London", minutes_ago=5, **extra):
    """A plan whose reminder fell ``minutes_ago`` minutes ago, in the user's zone."""
    user = UserFactory(username=username, **extra)
    user.profile.time_zone = time_zone
    user.profile.save()
    at = (timezone.now() - timedelta(minutes=minutes_ago)).astimezone(ZoneInfo(time_zone))
    return PracticePlan.objects.create(
        user=user,
        reminders_on=True,
        reminder_days=Weekday.values[at.weekday()],
        reminder_time=at.time().replace(second=0, microsecond=0),
        reminder_routine=PublicRoutineFactory(title="Five minutes for the lower back"),
    )


def run(*args) -> str:
    out = StringIO()
    call_command("send_reminders", *args, stdout=out)
    return out.getvalue()


def test_a_due_reminder_is_emailed(db):
    plan = plan_due_now()
    assert run() == "1 reminder sent.\n"
    [message] = mail.outbox
    assert message.to == [plan.user.email]
    assert message.subject == "Time for acupressure: Five minutes for the lower back"
    assert "Five minutes for the lower back" in message.body
    assert "http://127.0.0.1:8000/" in message.body


def test_running_twice_sends_once(db):
    plan_due_now()
    run()
    assert run() == "0 reminders sent.\n"
    assert len(mail.outbox) == 1


def test_the_sent_reminder_is_recorded(db):
    plan = plan_due_now()
    run()
    plan.refresh_from_db()
    assert plan.last_emailed_for is not None
    assert timezone.now() - plan.last_emailed_for < timedelta(minutes=6)


def test_two_runs_that_both_saw_the_reminder_due_send_it_once(db):
    """Two runs at the same moment read the plan before either claims it: only one may send."""
    plan = plan_due_now()
    seen_by_first = PracticePlan.objects.get(pk=plan.pk)
    seen_by_second = PracticePlan.objects.get(pk=plan.pk)
    occurrence = reminders.due_occurrence(seen_by_first, timezone.now())
    assert reminders.due_occurrence(seen_by_second, timezone.now()) == occurrence
    assert reminders.claim(seen_by_first, occurrence) is True
    assert reminders.claim(seen_by_second, occurrence) is False


def test_a_reminder_older_than_the_window_is_skipped_not_sent_late(db):
    plan_due_now(minutes_ago=20)
    assert run() == "0 reminders sent.\n"
    assert run("--window", "30") == "1 reminder sent.\n"


def test_a_reminder_not_yet_due_is_not_sent(db):
    plan_due_now(minutes_ago=-10)
    run()
    assert mail.outbox == []


@pytest.mark.parametrize("window", ["0", "-5", "1441"])
def test_window_must_be_sensible(db, window):
    with pytest.raises(CommandError, match="from 1 to 1440"):
        run("--window", window)


def test_a_user_without_an_email_address_gets_none(db):
    plan_due_now(email="")
    assert run() == "0 reminders sent.\n"
    assert mail.outbox == []


@pytest.mark.parametrize(
    "change",
    [{"reminders_on": False}, {"email_reminders": False}],
    ids=["reminders off", "e-mails off"],
)
def test_nothing_is_sent_when_switched_off(db, change):
    plan = plan_due_now()
    PracticePlan.objects.filter(pk=plan.pk).update(**change)
    run()
    assert mail.outbox == []


def test_a_deactivated_account_gets_none(db):
    plan = plan_due_now()
    plan.user.is_active = False
    plan.user.save()
    run()
    assert mail.outbox == []


def test_each_user_is_reminded_in_their_own_zone(db):
    plan_due_now("london", "Europe/London")
    plan_due_now("new-york", "America/New_York")
    plan_due_now("later", "Asia/Tokyo", minutes_ago=-30)
    run()
    assert sorted(m.to[0] for m in mail.outbox) == ["london@example.com", "new-york@example.com"]


def test_the_mail_shows_the_reminder_time_in_the_users_zone(db):
    plan = plan_due_now(time_zone="America/New_York")
    run()
    assert f"at {plan.reminder_time:%H:%M}" in mail.outbox[0].body


def test_mail_has_one_click_unsubscribe_headers_and_link(db):
    plan = plan_due_now()
    run()
    message = mail.outbox[0]
    unsubscribe_url = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert unsubscribe_url.startswith("http://127.0.0.1:8000/reminders/unsubscribe/")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe_url in message.body
    token = unsubscribe_url.split("/")[-2]
    assert token == plan.unsubscribe_token  # random, not derived from the user id
    assert reminders.plan_for_unsubscribe_token(token) == plan


def test_links_use_the_site_url_setting(db, settings):
    settings.SITE_URL = "https://journal.example"
    plan_due_now()
    run()
    body = mail.outbox[0].body
    assert "https://journal.example/accounts/settings/#plan" in body
    assert "127.0.0.1" not in body


def test_a_failed_send_is_not_recorded_so_the_next_run_tries_again(db, monkeypatch):
    plan = plan_due_now()

    def refuse(self, fail_silently=False):
        raise OSError("mail server down")

    with monkeypatch.context() as patched:
        patched.setattr("django.core.mail.EmailMessage.send", refuse)
        with pytest.raises(CommandError, match="1 failed"):
            run()
    plan.refresh_from_db()
    assert plan.last_emailed_for is None
    assert run() == "1 reminder sent.\n"


def test_dst_change_day_reminder_is_due_at_the_new_local_time(db):
    """Sunday 29 March 2026 in London: 18:30 is 17:30 UTC, not 18:30 UTC."""
    user = UserFactory()
    user.profile.time_zone = "Europe/London"
    user.profile.save()
    PracticePlan.objects.create(
        user=user, reminders_on=True, reminder_days="SU", reminder_time=time(18, 30)
    )
    at = datetime(2026, 3, 29, 17, 30, tzinfo=UTC)
    assert reminders.send_due_reminders(now=at - timedelta(minutes=1)).sent == 0
    assert reminders.send_due_reminders(now=at + timedelta(minutes=2)).sent == 1
    assert reminders.send_due_reminders(now=at + timedelta(minutes=7)).sent == 0
    assert reminders.send_due_reminders(now=at + timedelta(hours=1, minutes=2)).sent == 0
    assert len(mail.outbox) == 1


def test_a_run_with_nothing_due_does_not_connect_to_the_mail_server(db, monkeypatch):
    opened = []
    monkeypatch.setattr(
        "django.core.mail.backends.locmem.EmailBackend.open", lambda self: opened.append(1)
    )
    plan_due_now(minutes_ago=-10)
    run()
    assert opened == []
    plan_due_now("due")
    run()
    assert opened


def test_plans_are_read_in_batches_in_order(db):
    plans = [plan_due_now(f"user-{n}") for n in range(5)]
    batched = list(reminders._in_batches(PracticePlan.objects.all(), size=2))
    assert batched == sorted(plans, key=lambda plan: plan.pk)


def test_many_due_reminders_are_each_sent_once(db):
    for n in range(7):
        plan_due_now(f"user-{n}")
    run()
    run()
    assert sorted(m.to[0] for m in mail.outbox) == [f"user-{n}@example.com" for n in range(7)]
