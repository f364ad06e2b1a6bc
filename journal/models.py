from __future__ import annotations

import hashlib
import secrets
import zoneinfo
from functools import cache

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from acupressure.models import Point, Routine

PAIN_MIN, PAIN_MAX = 0, 10
NOTES_MAX_LENGTH = 2000
SECONDS_MAX = 3600


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(
            gettext("“%(value)s” is not a time zone we know. Choose one from the list.")
            % {"value": value}
        )


class Profile(models.Model):
    """Per-user preferences that Django's User model has no place for."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    time_zone = models.CharField(max_length=64, default="UTC", validators=[validate_time_zone])
    # Blank: follow the language cookie, then the browser's Accept-Language (journal/middleware.py).
    language = models.CharField(max_length=10, blank=True, choices=settings.LANGUAGES)
    # User.email holds only a confirmed address: log-in, reminders and password resets use it.
    # An address given at sign-up or in Settings waits here until its owner opens the link we
    # mailed to it (journal/verification.py). The link carries a random key; only its hash is kept.
    new_email = models.EmailField("e-mail address waiting to be confirmed", blank=True)
    new_email_key_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    new_email_sent_at = models.DateTimeField(null=True, blank=True, editable=False)

    def __str__(self) -> str:
        return f"Profile of {self.user}"


class PainArea(models.TextChoices):
    LOWER_BACK = "lower-back", _("Lower back")
    UPPER_BACK = "upper-back", _("Upper or middle back")
    NECK = "neck", _("Neck and shoulders")
    HIP_BUTTOCK = "hip-buttock", _("Hip or buttock")
    LEG = "leg", _("Down the leg (sciatica)")
    OTHER = "other", _("Somewhere else")


class SessionTool(models.TextChoices):
    """What pressed the points. The values other than "fingers" are the tools page's anchors
    (/guides/tools/#balls)."""

    # Marked with gettext_noop, so the labels stay plain English text (tests compare them with
    # the page); the log form's choices and PracticeSession.get_tool_display() translate them.
    FINGERS = "fingers", gettext_noop("Fingers or thumbs")
    BALLS = "balls", gettext_noop("Ball")
    MAT = "mat", gettext_noop("Spiked mat or pillow")
    BELT = "belt", gettext_noop("Belt with studs")
    HANDHELD = "handheld", gettext_noop("Handheld tool")
    ROLLER = "roller", gettext_noop("Foot roller")


def pain_field(verbose_name: str, **kwargs) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(
        verbose_name,
        validators=[MinValueValidator(PAIN_MIN), MaxValueValidator(PAIN_MAX)],
        **kwargs,
    )


# What journal pages, the API and the exports show of a point: its code, its link and its names.
# Its other columns (the guide text, with a column per language for each field) stay in the
# database, which makes a page of session points about a quarter cheaper to build.
POINT_FIELDS_SHOWN = frozenset(
    {"id", "code", "slug", "name_en", "name_pinyin", "name_hanzi", "name_pinyin_tones"}
)


@cache
def point_columns_not_shown(prefix: str = "") -> tuple[str, ...]:
    shown = {
        *POINT_FIELDS_SHOWN,
        *(
            f"{name}_{code}"
            for name in POINT_FIELDS_SHOWN
            for code in settings.MODELTRANSLATION_LANGUAGES
        ),
    }
    # Read on first use, not at import: modeltranslation adds the per-language columns when
    # the apps are ready.
    return tuple(
        f"{prefix}{field.name}" for field in Point._meta.concrete_fields if field.name not in shown
    )


class PracticeSessionQuerySet(models.QuerySet):
    def for_user(self, user) -> PracticeSessionQuerySet:
        return self.filter(user=user)

    def with_points(self) -> PracticeSessionQuerySet:
        # Journal pages show a point's code, names and link, never its guide text
        # (POINT_FIELDS_SHOWN).
        return (
            self.select_related("routine", "experiment__point_a", "experiment__point_b")
            .defer(*point_columns_not_shown("experiment__point_a__"))
            .defer(*point_columns_not_shown("experiment__point_b__"))
            .prefetch_related(
                models.Prefetch(
                    "session_points",
                    queryset=SessionPoint.objects.select_related("point")
                    .defer(*point_columns_not_shown("point__"))
                    .order_by("position"),
                )
            )
        )

    def with_factors(self) -> PracticeSessionQuerySet:
        """The factors of every session in one more query (``session.factors.all``)."""
        return self.prefetch_related("factors")


class PracticeSession(models.Model):
    """One sitting of acupressure: which points, and the pain before and after."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="practice_sessions"
    )
    started_at = models.DateTimeField("when")
    pain_before = pain_field("pain before")
    pain_after = pain_field("pain after")
    pain_later = pain_field("pain an hour later", null=True, blank=True)
    area = models.CharField("where it hurt", max_length=20, choices=PainArea.choices)
    notes = models.TextField(
        blank=True, validators=[MaxLengthValidator(NOTES_MAX_LENGTH)], max_length=NOTES_MAX_LENGTH
    )
    show_in_report = models.BooleanField(
        _("show this note in my clinician report"),
        default=False,
        help_text=_(
            "Tick to include the note in the printable report you can take to a clinician."
        ),
    )
    points = models.ManyToManyField(Point, through="SessionPoint", related_name="+")
    rest_only = models.BooleanField(
        _("I only rested, no pressing"),
        default=False,
        help_text=_("A rest session has no points: it shows how much pain eases with rest alone."),
    )
    factors = models.ManyToManyField("Factor", through="SessionFactor", related_name="+")
    tool = models.CharField(
        "what you pressed with",
        max_length=10,
        choices=SessionTool.choices,
        blank=True,
        help_text="Empty when not noted (sessions logged before the question was asked).",
    )
    routine = models.ForeignKey(
        Routine,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="practice_sessions",
        help_text="The routine followed, if any; kept empty if that routine is deleted later.",
    )
    experiment = models.ForeignKey(
        "Experiment",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="practice_sessions",
        help_text="The A-against-B experiment this session counts in, if any.",
    )
    client_id = models.UUIDField(
        null=True,
        blank=True,
        editable=False,
        help_text=(
            "Made by the phone for a session logged offline, so that sending it twice "
            "stores it once."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PracticeSessionQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at", "-pk"]
        indexes = [
            # Covers the aggregates of the insights (pain, rest, time) for a user's period, so
            # SQLite and PostgreSQL read the index alone, not the table (notes and all).
            models.Index(
                fields=[
                    "user",
                    "started_at",
                    "pain_before",
                    "pain_after",
                    "pain_later",
                    "rest_only",
                ],
                # PostgreSQL's index also carries the id the joins to points and factors need
                # (SQLite's always does: it is the rowid). Ignored on SQLite.
                include=["id"],
                name="session_user_started_pain",
            ),
            # The latest change to a user's journal in one probe (journal/figures.py).
            models.Index(fields=["user", "updated_at"], name="session_user_updated"),
        ]
        constraints = [
            # NULL never clashes, so sessions logged online (no client id) are unaffected.
            models.UniqueConstraint(fields=["user", "client_id"], name="session_client_id_once"),
            models.CheckConstraint(
                condition=models.Q(pain_before__gte=PAIN_MIN, pain_before__lte=PAIN_MAX),
                name="session_pain_before_0_10",
            ),
            models.CheckConstraint(
                condition=models.Q(pain_after__gte=PAIN_MIN, pain_after__lte=PAIN_MAX),
                name="session_pain_after_0_10",
            ),
            models.CheckConstraint(
                condition=models.Q(pain_later__isnull=True)
                | models.Q(pain_later__gte=PAIN_MIN, pain_later__lte=PAIN_MAX),
                name="session_pain_later_0_10",
            ),
        ]

    def __str__(self) -> str:
        return f"Session {self.pk} of {self.user} at {self.started_at:%Y-%m-%d %H:%M}"

    def get_absolute_url(self) -> str:
        return reverse("journal:detail", kwargs={"pk": self.pk})

    # Every check constraint above is a pain range that the fields' own validators check first
    # in full_clean() (and the database enforces on write). Django would validate each again with
    # a SELECT of its own, two or three per saved form, for nothing.
    RANGE_CHECKED_FIELDS = frozenset({"pain_before", "pain_after", "pain_later"})

    def validate_constraints(self, exclude=None):
        super().validate_constraints(exclude={*(exclude or ()), *self.RANGE_CHECKED_FIELDS})

    @property
    def relief(self) -> int:
        """Positive when pain went down."""
        return self.pain_before - self.pain_after

    def get_area_display(self) -> str:
        """The area's label in the language in use.

        Django's own method translates every area's label (it builds a lookup of all the choices)
        on each call, six catalogue lookups per row of the journal; this translates just one.
        """
        try:
            return str(PainArea(self.area).label)
        except ValueError:
            return self.area

    def get_tool_display(self) -> str:
        """The tool's label in the language in use (Django's own would give the English one)."""
        if self.tool in SessionTool.values:
            return gettext(SessionTool(self.tool).label)
        return self.tool


EXPERIMENT_SESSIONS_MIN, EXPERIMENT_SESSIONS_MAX, EXPERIMENT_SESSIONS_DEFAULT = 4, 40, 10


class ExperimentStatus(models.TextChoices):
    # Translators: the state of an experiment.
    ACTIVE = "active", _("Running")
    # Translators: the state of an experiment.
    COMPLETED = "completed", _("Complete")
    # Translators: the state of an experiment.
    ABANDONED = "abandoned", _("Abandoned")


class ExperimentQuerySet(models.QuerySet):
    def for_user(self, user) -> ExperimentQuerySet:
        return self.filter(user=user)

    def active(self) -> ExperimentQuerySet:
        return self.filter(status=ExperimentStatus.ACTIVE)


class Experiment(models.Model):
    """A fair test of point A against point B: a fixed number of single-point sessions in a
    random, balanced order.

    ``schedule`` holds one letter per planned session ("A" or "B"), drawn when the experiment
    starts (see ``journal.experiments.make_schedule``). The n-th session linked to the experiment
    is the n-th letter; the comparison at the end uses only the linked sessions.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="experiments"
    )
    point_a = models.ForeignKey(Point, on_delete=models.PROTECT, related_name="+")
    # Empty: the second arm is resting for the same time, with no pressing.
    point_b = models.ForeignKey(
        Point, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    planned_sessions = models.PositiveSmallIntegerField(
        "number of sessions",
        default=EXPERIMENT_SESSIONS_DEFAULT,
        validators=[
            MinValueValidator(EXPERIMENT_SESSIONS_MIN),
            MaxValueValidator(EXPERIMENT_SESSIONS_MAX),
        ],
    )
    schedule = models.CharField(max_length=EXPERIMENT_SESSIONS_MAX, editable=False)
    status = models.CharField(
        max_length=10, choices=ExperimentStatus.choices, default=ExperimentStatus.ACTIVE
    )
    started_at = models.DateTimeField(auto_now_add=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    objects = ExperimentQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(status="active"),
                name="experiment_one_active_per_user",
            ),
            models.CheckConstraint(
                condition=~models.Q(point_a=models.F("point_b")),
                name="experiment_two_different_points",
            ),
            models.CheckConstraint(
                condition=models.Q(
                    planned_sessions__gte=EXPERIMENT_SESSIONS_MIN,
                    planned_sessions__lte=EXPERIMENT_SESSIONS_MAX,
                ),
                name="experiment_sessions_4_40",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} for {self.user}"

    def get_absolute_url(self) -> str:
        return reverse("journal:experiment_detail", kwargs={"pk": self.pk})

    @property
    def rest_arm(self) -> bool:
        """Whether B is resting for the same time rather than a second point."""
        return self.point_b_id is None

    @property
    def title(self) -> str:
        """Its name on pages: "BL40 against LI4", or "BL40 against resting"."""
        if self.rest_arm:
            return gettext("%(point_a)s against resting") % {"point_a": self.point_a.code}
        return gettext("%(point_a)s against %(point_b)s") % {
            "point_a": self.point_a.code,
            "point_b": self.point_b.code,
        }

    @property
    def is_active(self) -> bool:
        return self.status == ExperimentStatus.ACTIVE

    def arm_point(self, letter: str) -> Point | None:
        """A's or B's point; None for B when B is rest."""
        return self.point_a if letter == "A" else self.point_b

    def slot(self, done: int) -> tuple[str, Point] | None:
        """The letter and point of the session after ``done`` logged ones; None when complete."""
        if done >= len(self.schedule):
            return None
        letter = self.schedule[done]
        return letter, self.arm_point(letter)


FACTOR_NAME_MAX_LENGTH = 60
FACTORS_PER_USER_MAX = 30


class FactorQuerySet(models.QuerySet):
    def built_in(self) -> FactorQuerySet:
        return self.filter(owner__isnull=True)

    def usable_by(self, user) -> FactorQuerySet:
        """The built-in factors and the user's own (archived ones included)."""
        return self.filter(models.Q(owner__isnull=True) | models.Q(owner=user))

    def offered_to(self, user) -> FactorQuerySet:
        """The factors the log form offers: built-in and the user's own, not archived."""
        return self.usable_by(user).filter(archived=False)


class Factor(models.Model):
    """Something else around a session that may change the relief: a painkiller, heat, a bad
    night. Built-in factors have no owner and a slug; a user's own are private to them."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="factors",
    )
    slug = models.SlugField(max_length=40, blank=True, help_text="Built-in factors only.")
    name = models.CharField(max_length=FACTOR_NAME_MAX_LENGTH)
    position = models.PositiveSmallIntegerField(default=0)
    archived = models.BooleanField(
        default=False, help_text="Archived factors stay on old sessions but are not offered."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = FactorQuerySet.as_manager()

    class Meta:
        ordering = [models.F("owner").asc(nulls_first=True), "position", "name", "pk"]
        constraints = [
            models.UniqueConstraint(Lower("name"), "owner", name="factor_name_unique_per_owner"),
            models.UniqueConstraint(
                fields=["slug"],
                condition=models.Q(owner__isnull=True),
                name="factor_built_in_slug_unique",
            ),
            models.CheckConstraint(condition=~models.Q(name=""), name="factor_name_not_empty"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        # A user's own factor reads the same in every language (journal/translation.py).
        if self.owner_id is not None:
            for language in settings.MODELTRANSLATION_LANGUAGES:
                setattr(self, f"name_{language}", self.__dict__.get("name"))
        super().save(*args, **kwargs)

    @property
    def built_in(self) -> bool:
        return self.owner_id is None


class SessionFactor(models.Model):
    session = models.ForeignKey(
        PracticeSession, on_delete=models.CASCADE, related_name="session_factors"
    )
    factor = models.ForeignKey(Factor, on_delete=models.CASCADE, related_name="session_factors")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["session", "factor"], name="session_factor_once")
        ]

    def __str__(self) -> str:
        return f"{self.factor} in session {self.session_id}"


class SessionPoint(models.Model):
    session = models.ForeignKey(
        PracticeSession, on_delete=models.CASCADE, related_name="session_points"
    )
    point = models.ForeignKey(Point, on_delete=models.PROTECT, related_name="session_points")
    position = models.PositiveSmallIntegerField(default=0)
    seconds = models.PositiveIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(SECONDS_MAX)]
    )

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["session", "point"], name="session_point_once"),
            models.CheckConstraint(
                condition=models.Q(seconds__isnull=True) | models.Q(seconds__lte=SECONDS_MAX),
                name="session_point_seconds_max",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.point.code} in session {self.session_id}"


class PendingImport(models.Model):
    """An uploaded file that passed the checks, waiting for the user to confirm the import.

    Kept in the database rather than the login session: the session is read on every page, and a
    few megabytes of rows there would slow every request until the user decides. Only the valid
    rows are kept (already parsed), with the report; each user has at most one, deleted on
    import or cancel, and any older than a day are removed on the next upload.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="pending_imports"
    )
    file_name = models.CharField(max_length=255)
    rows = models.JSONField(default=list)
    report = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Pending import of {self.file_name} for {self.user}"


API_TOKEN_PREFIX = "aj_"


def hash_token(raw: str) -> str:
    """Tokens are 256 random bits, so a plain SHA-256 is enough (no salt or slow hash needed)."""
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiTokenManager(models.Manager):
    def issue(self, user, name: str) -> tuple[ApiToken, str]:
        """Create a token; returns it with the secret, which is never stored or shown again."""
        raw = API_TOKEN_PREFIX + secrets.token_urlsafe(32)
        token = self.create(user=user, name=name, prefix=raw[:10], key_hash=hash_token(raw))
        return token, raw


class ApiToken(models.Model):
    """A personal API token. Only its SHA-256 is stored; the token itself is shown once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=60)
    prefix = models.CharField(max_length=16, help_text="The token's first characters, for display.")
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenManager()

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…) of {self.user}"


class Weekday(models.TextChoices):
    """Days of the week, Monday first, by their iCalendar codes (so a list is also an RRULE BYDAY)."""

    MONDAY = "MO", _("Monday")
    TUESDAY = "TU", _("Tuesday")
    WEDNESDAY = "WE", _("Wednesday")
    THURSDAY = "TH", _("Thursday")
    FRIDAY = "FR", _("Friday")
    SATURDAY = "SA", _("Saturday")
    SUNDAY = "SU", _("Sunday")


WEEKLY_GOAL_MIN, WEEKLY_GOAL_MAX, WEEKLY_GOAL_DEFAULT = 1, 21, 3


def validate_weekdays(value: str) -> None:
    codes = value.split(",") if value else []
    if any(code not in Weekday.values for code in codes) or len(set(codes)) != len(codes):
        raise ValidationError(
            gettext("“%(value)s” is not a list of days such as MO,WE,FR.") % {"value": value}
        )


def new_feed_token() -> str:
    return secrets.token_urlsafe(32)


def new_unsubscribe_token() -> str:
    return secrets.token_urlsafe(32)


class PracticePlan(models.Model):
    """How often a user means to practise, and when to remind them.

    The reminder time is wall-clock time in the user's time zone (Profile.time_zone), so it stays
    at 18:30 across daylight-saving changes. The secrets in the calendar feed's address and in the
    unsubscribe link are made and revoked in ``journal/revocation.py``. ``last_emailed_for`` is
    the scheduled time of the last reminder e-mailed, which lets ``send_reminders`` claim each
    reminder exactly once.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="practice_plan"
    )
    weekly_goal = models.PositiveSmallIntegerField(
        "sessions per week",
        default=WEEKLY_GOAL_DEFAULT,
        validators=[MinValueValidator(WEEKLY_GOAL_MIN), MaxValueValidator(WEEKLY_GOAL_MAX)],
    )
    reminders_on = models.BooleanField(_("remind me to practise"), default=False)
    reminder_days = models.CharField(
        max_length=20,
        blank=True,
        validators=[validate_weekdays],
        help_text="iCalendar day codes, Monday first, e.g. MO,WE,FR.",
    )
    reminder_time = models.TimeField(null=True, blank=True, help_text="In the user's time zone.")
    reminder_routine = models.ForeignKey(
        Routine,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The routine the reminder suggests: a public one or the user's own.",
    )
    email_reminders = models.BooleanField(_("also e-mail me"), default=True)
    # Only the SHA-256 of the feed's secret, as for API tokens: the address is shown once, when it
    # is made. None: no address yet, or it was revoked.
    feed_token_hash = models.CharField(
        max_length=64, unique=True, null=True, blank=True, editable=False
    )
    feed_token_created_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Kept as is, not hashed: every reminder e-mail must carry it, and someone who read it from
    # the database could only stop reminder e-mails, which the user sees and can undo.
    unsubscribe_token = models.CharField(
        max_length=64, unique=True, default=new_unsubscribe_token, editable=False
    )
    last_emailed_for = models.DateTimeField(null=True, blank=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    weekly_goal__gte=WEEKLY_GOAL_MIN, weekly_goal__lte=WEEKLY_GOAL_MAX
                ),
                name="plan_weekly_goal_1_21",
            ),
            models.CheckConstraint(
                condition=models.Q(reminders_on=False)
                | (~models.Q(reminder_days="") & models.Q(reminder_time__isnull=False)),
                name="plan_reminders_need_days_and_time",
            ),
        ]

    def __str__(self) -> str:
        return f"Practice plan of {self.user}"

    @property
    def days(self) -> list[str]:
        """The reminder days as iCalendar codes, Monday first."""
        return self.reminder_days.split(",") if self.reminder_days else []

    @property
    def weekday_numbers(self) -> set[int]:
        """The reminder days as Python weekday numbers (Monday is 0)."""
        return {Weekday.values.index(code) for code in self.days}

    @property
    def day_names(self) -> list[str]:
        """The reminder days' names, in the language in use."""
        return [str(Weekday(code).label) for code in self.days]


PUSH_ENDPOINT_MAX_LENGTH = 1000  # real ones are 150–450 characters (FCM, Mozilla, Apple, WNS)


class PushSubscription(models.Model):
    """One browser's Web Push subscription: where its push service takes reminders for it, and
    the browser's keys that each reminder is encrypted with (RFC 8291). Made and checked in
    ``journal/push.py``. ``last_reminded_for`` is the scheduled time of the last reminder pushed
    here, which lets ``send_reminders`` claim each reminder once per device, as
    ``PracticePlan.last_emailed_for`` does for e-mail.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="push_subscriptions"
    )
    endpoint = models.URLField(max_length=PUSH_ENDPOINT_MAX_LENGTH)
    p256dh = models.CharField("browser's public key", max_length=100)
    auth = models.CharField("browser's auth secret", max_length=50)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used = models.DateTimeField(null=True, blank=True, editable=False)
    last_reminded_for = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "endpoint"], name="push_endpoint_once_per_user")
        ]

    def __str__(self) -> str:
        return f"Push subscription of {self.user}"

    def as_subscription_info(self) -> dict:
        """In the shape of the browser's PushSubscription.toJSON(), as pywebpush takes it."""
        return {"endpoint": self.endpoint, "keys": {"p256dh": self.p256dh, "auth": self.auth}}
