from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import connection, models
from django.urls import reverse
from django.utils.translation import gettext, ngettext_lazy
from django.utils.translation import gettext_lazy as _


class Region(models.TextChoices):
    """Body regions, in the order the guide lists them (top of the back down to the hands)."""

    LOWER_BACK = "lower-back", _("Lower back")
    ABDOMEN = "abdomen", _("Abdomen")
    HIP_BUTTOCK = "hip-buttock", _("Hip and buttock")
    KNEE_LEG = "knee-leg", _("Knee and leg")
    FOOT = "foot", _("Foot and ankle")
    HAND = "hand", _("Hand")


REGION_ORDER = {value: index for index, value in enumerate(Region.values)}


class Pregnancy(models.TextChoices):
    """How a point is treated in pregnancy: the one field behind every pregnancy message."""

    AVOID = "avoid", _("Avoid in pregnancy")
    ASK_MIDWIFE = "ask-midwife", _("Ask your midwife first")
    NONE = "none", _("No special caution")


@dataclass(frozen=True)
class PregnancyWording:
    """What the site says for one pregnancy level, so no page can say something else.

    ``badge`` labels point cards, titles the point page's warning and is the log form's hint;
    ``caution`` is the point's caution ("… this point."); ``routine_caution`` starts the routine
    warning ("… this point:" / "… these points:", before the list of points; see
    ``routine_caution_for``); ``routine_badge`` labels a routine card by its most cautious point.
    Each is a whole sentence, translated in the active language when shown.
    """

    badge: str
    caution: str
    routine_caution: str  # ngettext_lazy(…, "count"): one form per number of points
    routine_badge: str
    badge_class: str

    def routine_caution_for(self, count: int) -> str:
        """The routine warning's opening for ``count`` points ("… these points:")."""
        return self.routine_caution % {"count": count}


PREGNANCY_WORDING = {
    Pregnancy.AVOID: PregnancyWording(
        badge=_("Avoid in pregnancy"),
        caution=_("If you are or might be pregnant, do not press this point."),
        # Translators: followed by the list of the routine's points, e.g. "LI4 Hegu and BL60 Kunlun."
        routine_caution=ngettext_lazy(
            "If you are or might be pregnant, do not press this point:",
            "If you are or might be pregnant, do not press these points:",
            "count",
        ),
        routine_badge=_("Includes points to avoid in pregnancy"),
        badge_class="badge-warning",
    ),
    Pregnancy.ASK_MIDWIFE: PregnancyWording(
        badge=_("Pregnant? Ask your midwife first"),
        caution=_("If you are or might be pregnant, ask your midwife before you press this point."),
        # Translators: followed by the list of the routine's points, e.g. "LI4 Hegu and BL60 Kunlun."
        routine_caution=ngettext_lazy(
            "If you are or might be pregnant, ask your midwife before you press this point:",
            "If you are or might be pregnant, ask your midwife before you press these points:",
            "count",
        ),
        routine_badge=_("Pregnant? Ask your midwife first"),
        badge_class="badge-caution",
    ),
}
# Most cautious first: a routine's card shows the badge of its most cautious point.
PREGNANCY_ORDER = [Pregnancy.AVOID, Pregnancy.ASK_MIDWIFE]


class DiagramView(models.TextChoices):
    """Which drawing a point is marked on; one SVG template per view in templates/acupressure/diagrams/."""

    LOWER_BACK = "lower-back", _("Lower back, seen from behind")
    ABDOMEN = "abdomen", _("Abdomen, seen from the front")
    BUTTOCK = "buttock", _("Hips and buttocks, seen from behind")
    LEG_BACK = "leg-back", _("Back of the knee and lower leg")
    ANKLE_OUTER = "ankle-outer", _("Outer side of the right ankle")
    FOOT_TOP = "foot-top", _("Top of the right foot")
    FOOT_SOLE = "foot-sole", _("Sole of the right foot")
    HAND_BACK = "hand-back", _("Back of the right hand")


class Source(models.Model):
    """A reference the guides cite, keyed so the content file can refer to it briefly."""

    key = models.SlugField(max_length=60, unique=True)
    citation = models.TextField()
    url = models.URLField(blank=True)

    class Meta:
        ordering = ["key"]

    def __str__(self) -> str:
        return self.citation


class Point(models.Model):
    code = models.CharField("WHO code", max_length=12, unique=True)
    slug = models.SlugField(max_length=20, unique=True)
    name_en = models.CharField("English name", max_length=80)
    name_pinyin = models.CharField("Pinyin name", max_length=80)
    name_hanzi = models.CharField(
        "Chinese name",
        max_length=10,
        help_text="In simplified characters, as the WHO standard names it, e.g. 肾俞.",
    )
    name_pinyin_tones = models.CharField(
        "Pinyin with tones",
        max_length=80,
        help_text="The pinyin name with tone marks, e.g. Shènshū.",
    )
    folk_name = models.CharField(
        max_length=80, blank=True, help_text="Name used in popular self-help books, if any."
    )
    other_names = models.CharField(
        max_length=200, blank=True, help_text="Other codes or spellings, e.g. older numbering."
    )
    meridian = models.CharField(max_length=80)
    region = models.CharField(max_length=20, choices=Region.choices)
    summary = models.CharField(max_length=300, help_text="One line for the list page.")
    popular_advice = models.TextField(
        blank=True,
        help_text="How popular advice describes this spot, and what it gets right or wrong.",
    )
    location = models.TextField(help_text="Anatomical location (WHO 2008).")
    how_to_find = models.TextField(help_text="Steps by landmarks and finger-widths, one per line.")
    technique = models.TextField(help_text="How to press, one step per line.")
    hold_seconds = models.PositiveSmallIntegerField()
    repetitions = models.PositiveSmallIntegerField()
    both_sides = models.BooleanField(default=True)
    traditional_use = models.TextField()
    cautions = models.TextField(help_text="One caution per line.")
    pregnancy = models.CharField(
        max_length=12,
        choices=Pregnancy.choices,
        default=Pregnancy.NONE,
        help_text=(
            "Drives the badge, the pregnancy caution, the routine warning and the log form's hint."
        ),
    )
    pregnancy_note = models.CharField(
        max_length=300,
        blank=True,
        help_text=(
            "Why, for this point, in a sentence or two; it must agree with the level. "
            "Leave empty when the level is no special caution."
        ),
    )
    diagram = models.CharField(max_length=20, choices=DiagramView.choices)
    sources = models.ManyToManyField(Source, related_name="points")
    sort_order = models.PositiveSmallIntegerField(default=0)

    objects = models.Manager()

    class Meta:
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name_pinyin}"

    def get_absolute_url(self) -> str:
        return reverse("acupressure:point", kwargs={"slug": self.slug})

    def clean(self) -> None:
        # In the admin as in the content file: a point with no special caution says nothing.
        if self.pregnancy == Pregnancy.NONE and self.pregnancy_note.strip():
            raise ValidationError(
                {
                    "pregnancy_note": gettext(
                        "Leave this empty, or choose a pregnancy level other than none."
                    )
                }
            )

    @property
    def how_to_find_steps(self) -> list[str]:
        return _lines(self.how_to_find)

    @property
    def technique_steps(self) -> list[str]:
        return _lines(self.technique)

    @property
    def caution_list(self) -> list[str]:
        """The cautions, led by the pregnancy caution that the pregnancy level sets."""
        pregnancy = self.pregnancy_wording
        return ([str(pregnancy.caution)] if pregnancy else []) + _lines(self.cautions)

    @property
    def pregnancy_wording(self) -> PregnancyWording | None:
        return PREGNANCY_WORDING.get(self.pregnancy)

    @property
    def pregnancy_badge(self) -> str:
        """'Avoid in pregnancy', 'Pregnant? Ask your midwife first', or '' (no special caution)."""
        pregnancy = self.pregnancy_wording
        return str(pregnancy.badge) if pregnancy else ""

    @property
    def avoid_in_pregnancy(self) -> bool:
        """Read-only, for the API's older field: True only for the points to avoid."""
        return self.pregnancy == Pregnancy.AVOID

    @property
    def diagram_template(self) -> str:
        return f"acupressure/diagrams/{self.diagram}.svg"


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def format_duration(seconds: int) -> str:
    """'45 s', '5 min', '6 min 15 s': how long something takes, for people, not machines."""
    minutes, rest = divmod(seconds, 60)
    if not minutes:
        # Translators: a duration in seconds, abbreviated, e.g. "45 s".
        return gettext("%(seconds)s s") % {"seconds": rest}
    if rest:
        # Translators: a duration in minutes and seconds, abbreviated, e.g. "6 min 15 s".
        return gettext("%(minutes)s min %(seconds)s s") % {"minutes": minutes, "seconds": rest}
    # Translators: a duration in whole minutes, abbreviated, e.g. "5 min".
    return gettext("%(minutes)s min") % {"minutes": minutes}


class ToolIllustration(models.TextChoices):
    """Which drawing a tool is shown with; one SVG template per kind in
    templates/acupressure/diagrams/tools/."""

    MAT = "mat", _("A spiked mat with a small pillow")
    BELT = "belt", _("A back belt with pressure studs")
    BALLS = "balls", _("Two balls in a sock, against a wall")
    HANDHELD = "handheld", _("A cane-shaped hook and a knob tool")
    ROLLER = "roller", _("A foot roller under a bare foot")
    OILS = "oils", _("A small bottle of oil and a drop")


class Tool(models.Model):
    """A kind of tool or helper people use with acupressure (mat, belt, balls…), with its cautions.

    The guide content file lists each one; the tools page shows them in order. ``points`` are the
    guide's points the tool is suggested for: their pages link back to the tool.
    """

    slug = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=80)
    summary = models.CharField(max_length=400, help_text="One or two lines under the name.")
    what_it_is = models.TextField()
    reaches = models.TextField(help_text="Which points or areas it reaches.")
    how_to_start = models.TextField(help_text="How to start, one step per line.")
    cautions = models.TextField(help_text="Who should not use it and when to stop, one per line.")
    evidence = models.TextField(
        help_text="What research shows, and how strong it is, one paragraph per line."
    )
    illustration = models.CharField(max_length=20, choices=ToolIllustration.choices)
    points = models.ManyToManyField(Point, blank=True, related_name="tools")
    sources = models.ManyToManyField(Source, related_name="tools")
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "slug"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return f"{reverse('acupressure:tools')}#{self.slug}"

    @property
    def how_to_start_steps(self) -> list[str]:
        return _lines(self.how_to_start)

    @property
    def caution_list(self) -> list[str]:
        return _lines(self.cautions)

    @property
    def evidence_paragraphs(self) -> list[str]:
        return _lines(self.evidence)

    @property
    def illustration_template(self) -> str:
        return f"acupressure/diagrams/tools/{self.illustration}.svg"


STEP_SECONDS_MIN = 5
# A step longer than this is refused (builder, content file, admin): the safety page suggests a
# minute or two per point.
STEP_SECONDS_MAX = 600
# Above this a step gets a gentle warning on the routine's pages and in the builder.
STEP_SECONDS_LONG = 300
LONG_STEP_NOTE = _(
    "This is a long hold: a minute or two on one point is usual. "
    "Ease off if the spot gets sore or numb."
)
# What the database itself accepts: an hour, as before, so routines saved before the 10-minute
# limit still load and play. Editing one asks for a shorter step.
STEP_SECONDS_STORED_MAX = 3600


class Side(models.TextChoices):
    BOTH = "both", _("Both sides")
    LEFT = "left", _("Left side")
    RIGHT = "right", _("Right side")


class RoutineQuerySet(models.QuerySet):
    def public(self) -> RoutineQuerySet:
        return self.filter(owner__isnull=True)

    def owned_by(self, user) -> RoutineQuerySet:
        return self.filter(owner=user)

    def usable_by(self, user) -> RoutineQuerySet:
        """Routines ``user`` may follow and log: the guide's public ones and their own."""
        if not user.is_authenticated:
            return self.public()
        return self.filter(models.Q(owner__isnull=True) | models.Q(owner=user))

    def with_steps(self) -> RoutineQuerySet:
        return self.prefetch_related(
            models.Prefetch(
                "steps",
                queryset=RoutineStep.objects.select_related("point").order_by("position"),
            )
        )


class Routine(models.Model):
    """A few points in a row, each held for a set time.

    Public routines come from the guide content file and have no owner; a user's own routines
    have ``owner`` set, no slug, and are only ever fetched through that user.
    """

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="routines",
        help_text="Empty for the guide's public routines.",
    )
    slug = models.SlugField(
        max_length=60,
        blank=True,
        validators=[
            # A private routine is addressed by its number, so a public slug never looks like one.
            RegexValidator(r"^[a-z]", "A routine's slug starts with a lower-case letter.")
        ],
        help_text="Address of a public routine; empty for a user's own.",
    )
    title = models.CharField(max_length=100)
    summary = models.CharField(max_length=200, blank=True, help_text="One line for the list.")
    who_for = models.CharField("who it is for", max_length=300, blank=True)
    description = models.TextField(blank=True)
    pregnancy_note = models.TextField(
        blank=True,
        help_text=(
            "Pregnancy advice for the routine as a whole, e.g. about positions. The warning "
            "about its points comes from each point's pregnancy level."
        ),
    )
    sort_order = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = RoutineQuerySet.as_manager()

    class Meta:
        ordering = ["sort_order", "title", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["slug"],
                condition=models.Q(owner__isnull=True),
                name="routine_public_slug_unique",
            ),
            models.CheckConstraint(
                condition=models.Q(owner__isnull=False) | ~models.Q(slug=""),
                name="routine_public_has_slug",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        # A user's own routine has one text, whatever language they wrote it in: keep every
        # language's column the same (acupressure/translation.py).
        if self.owner_id is not None:
            from modeltranslation.translator import translator
            from modeltranslation.utils import build_localized_fieldname

            for name in translator.get_options_for_model(Routine).fields:
                value = self.__dict__.get(name)
                for language in settings.MODELTRANSLATION_LANGUAGES:
                    setattr(self, build_localized_fieldname(name, language), value)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        if self.is_private:
            return reverse("journal:routine_detail", kwargs={"pk": self.pk})
        return reverse("acupressure:routine", kwargs={"slug": self.slug})

    @property
    def is_private(self) -> bool:
        return self.owner_id is not None

    def get_play_url(self) -> str:
        if self.is_private:
            return reverse("journal:routine_play", kwargs={"pk": self.pk})
        return reverse("acupressure:routine_play", kwargs={"slug": self.slug})

    @property
    def reference(self) -> str:
        """How ``/journal/new/?routine=`` names this routine: the slug, or a private one's number."""
        return str(self.pk) if self.is_private else self.slug

    def get_log_url(self) -> str:
        return f"{reverse('journal:new')}?routine={self.reference}"

    # The properties below read the prefetched steps (see RoutineQuerySet.with_steps).

    @property
    def step_list(self) -> list[RoutineStep]:
        return list(self.steps.all())

    @property
    def total_seconds(self) -> int:
        return sum(step.seconds for step in self.step_list)

    @property
    def total_time(self) -> str:
        return format_duration(self.total_seconds)

    @property
    def points(self) -> list[Point]:
        """Each point once, in the order the routine first reaches it."""
        seen: dict[int, Point] = {}
        for step in self.step_list:
            seen.setdefault(step.point_id, step.point)
        return list(seen.values())

    @property
    def pregnancy_points(self) -> list[Point]:
        """The points to avoid in pregnancy."""
        return [point for point in self.points if point.pregnancy == Pregnancy.AVOID]

    @property
    def pregnancy_groups(self) -> list[tuple[PregnancyWording, list[Point]]]:
        """[(wording, its points)] for each pregnancy level the routine's points have, most
        cautious first: the routine's pregnancy warning."""
        return [
            (PREGNANCY_WORDING[level], points)
            for level in PREGNANCY_ORDER
            if (points := [point for point in self.points if point.pregnancy == level])
        ]

    @property
    def pregnancy_warnings(self) -> list[tuple[PregnancyWording, list[Point], str]]:
        """[(wording, its points, the warning's opening for that many points)]: the
        ``pregnancy_groups`` as the routine's pregnancy warning shows them."""
        return [
            (wording, points, wording.routine_caution_for(len(points)))
            for wording, points in self.pregnancy_groups
        ]

    @property
    def pregnancy_wording(self) -> PregnancyWording | None:
        """The wording of the routine's most cautious point, for its card; None if no point
        has a pregnancy caution."""
        groups = self.pregnancy_groups
        return groups[0][0] if groups else None

    @property
    def long_steps(self) -> list[RoutineStep]:
        return [step for step in self.step_list if step.is_long]

    @property
    def cautions_by_point(self) -> list[tuple[Point, list[str]]]:
        """[(point, its cautions)], leaving out a caution already listed for an earlier point."""
        shown: set[str] = set()
        grouped = []
        for point in self.points:
            fresh = [line for line in point.caution_list if line not in shown]
            shown.update(fresh)
            grouped.append((point, fresh))
        return grouped

    @property
    def point_times(self) -> list[tuple[Point, int]]:
        """[(point, seconds on it over the whole routine)], each point once."""
        totals = self.seconds_per_point()
        return [(point, totals[point.pk]) for point in self.points]

    def seconds_per_point(self) -> dict[int, int]:
        """Point id -> seconds summed over its steps (a point pressed left then right counts once)."""
        totals: dict[int, int] = {}
        for step in self.step_list:
            totals[step.point_id] = totals.get(step.point_id, 0) + step.seconds
        return totals


class RoutineStep(models.Model):
    routine = models.ForeignKey(Routine, on_delete=models.CASCADE, related_name="steps")
    point = models.ForeignKey(Point, on_delete=models.PROTECT, related_name="routine_steps")
    position = models.PositiveSmallIntegerField()
    seconds = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(STEP_SECONDS_MIN), MaxValueValidator(STEP_SECONDS_MAX)]
    )
    side = models.CharField(max_length=5, choices=Side.choices, blank=True)
    instruction = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["routine", "position"], name="routine_step_position"),
            models.CheckConstraint(
                condition=models.Q(
                    seconds__gte=STEP_SECONDS_MIN, seconds__lte=STEP_SECONDS_STORED_MAX
                ),
                name="routine_step_seconds_5_3600",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.point.code} for {self.seconds} s"

    @property
    def side_label(self) -> str:
        if self.side:
            return self.get_side_display()
        return "" if self.point.both_sides else gettext("Centre line")

    @property
    def is_long(self) -> bool:
        """Longer than a point usually needs: the pages suggest easing off."""
        return self.seconds > STEP_SECONDS_LONG

    @property
    def long_note(self) -> str:
        return LONG_STEP_NOTE if self.is_long else ""

    @property
    def diagram_id(self) -> str:
        """Unique within a routine's page, for the ids inside each step's diagram."""
        return f"step-{self.position}-{self.point.slug}"


class ContentVersion(models.Model):
    """A number that goes up whenever guide content changes (a single row).

    Cached guide pages are stored under the current number, so an edit in any process (admin,
    load_guides) retires every cached page in every gunicorn worker at once: they all read the
    number from the database, which is one primary-key lookup per page.
    """

    number = models.PositiveBigIntegerField(default=0)

    SINGLETON = 1

    def __str__(self) -> str:
        return f"Guide content version {self.number}"

    @classmethod
    def current(cls) -> int:
        # Read on every cached page, where building an ORM query costs more than the page
        # itself: plain SQL on the primary key.
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT number FROM {cls._meta.db_table} WHERE id = %s", [cls.SINGLETON]
            )
            row = cursor.fetchone()
        return row[0] if row else 0

    @classmethod
    def bump(cls) -> None:
        if not cls.objects.filter(pk=cls.SINGLETON).update(number=models.F("number") + 1):
            cls.objects.get_or_create(pk=cls.SINGLETON, defaults={"number": 1})
