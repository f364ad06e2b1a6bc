"""API representations. Input is checked with the journal's own rules and messages."""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from acupressure.models import Point, Pregnancy

from ..forms.fields import (
    SECONDS_MAX_MESSAGE,
    interpolate_lazy,
    validate_encodable,
    validate_started_at,
)
from ..models import (
    NOTES_MAX_LENGTH,
    PAIN_MAX,
    PAIN_MIN,
    SECONDS_MAX,
    Factor,
    PainArea,
    PracticeSession,
    SessionFactor,
    SessionPoint,
)

MAX_POINTS_PER_SESSION = 30


class PointSerializer(serializers.ModelSerializer):
    how_to_find = serializers.ListField(
        child=serializers.CharField(), source="how_to_find_steps", read_only=True
    )
    technique = serializers.ListField(
        child=serializers.CharField(), source="technique_steps", read_only=True
    )
    cautions = serializers.ListField(
        child=serializers.CharField(), source="caution_list", read_only=True
    )
    page = serializers.SerializerMethodField(help_text="The point's page on the site.")
    pregnancy = serializers.ChoiceField(
        choices=Pregnancy.choices,
        read_only=True,
        help_text=(
            "How the guides treat this point in pregnancy: avoid, ask-midwife (ask your midwife "
            "first) or none (no special caution)."
        ),
    )
    avoid_in_pregnancy = serializers.BooleanField(
        read_only=True,
        help_text='True only when pregnancy is "avoid"; kept for older clients.',
    )
    pregnancy_note = serializers.CharField(
        read_only=True, help_text="This point's own reason, when pregnancy is not none."
    )

    class Meta:
        model = Point
        fields = [
            "code",
            "slug",
            "name_en",
            "name_pinyin",
            "folk_name",
            "meridian",
            "region",
            "summary",
            "location",
            "how_to_find",
            "technique",
            "hold_seconds",
            "repetitions",
            "both_sides",
            "traditional_use",
            "cautions",
            "pregnancy",
            "avoid_in_pregnancy",
            "pregnancy_note",
            "page",
        ]

    @extend_schema_field(OpenApiTypes.URI)
    def get_page(self, point: Point) -> str:
        return self.context["request"].build_absolute_uri(point.get_absolute_url())


def pain_field(**kwargs) -> serializers.IntegerField:
    message = interpolate_lazy(
        _("Pain is a whole number from %(min)s to %(max)s."), {"min": PAIN_MIN, "max": PAIN_MAX}
    )
    return serializers.IntegerField(
        min_value=PAIN_MIN,
        max_value=PAIN_MAX,
        error_messages={"min_value": message, "max_value": message, "invalid": message},
        **kwargs,
    )


class SessionPointSerializer(serializers.Serializer):
    code = serializers.CharField(
        max_length=12,
        validators=[validate_encodable],
        help_text="WHO code of a point in the guides, e.g. BL23 (see /api/v1/points/).",
    )
    seconds = serializers.IntegerField(
        min_value=0,
        max_value=SECONDS_MAX,
        allow_null=True,
        required=False,
        default=None,
        help_text="Seconds spent on this point, if known.",
        error_messages={
            "min_value": _("Seconds cannot be negative."),
            "max_value": SECONDS_MAX_MESSAGE,
        },
    )

    def to_representation(self, session_point: SessionPoint) -> dict:
        return {"code": session_point.point.code, "seconds": session_point.seconds}


class PracticeSessionSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    started_at = serializers.DateTimeField(
        required=False,
        help_text="When the session was; defaults to now. Not more than 5 minutes ahead.",
    )
    points = SessionPointSerializer(
        many=True,
        source="session_points",
        max_length=MAX_POINTS_PER_SESSION,
        required=False,
        help_text="The points pressed, in order; at least one, or none for a rest session.",
    )
    rest_only = serializers.BooleanField(
        required=False,
        default=False,
        help_text="True for a session of rest alone, with no pressing: then `points` is empty.",
    )
    factors = serializers.PrimaryKeyRelatedField(
        many=True,
        required=False,
        queryset=Factor.objects.none(),  # set per request in __init__
        help_text=(
            "Ids of other things around the session (a painkiller, heat, …): built-in factors "
            "and your own, from /api/v1/factors/."
        ),
        error_messages={
            # DRF fills in {pk_value}.
            "does_not_exist": _("Factor {pk_value} is not one of the built-in factors or yours."),
            "incorrect_type": _("Give factors as a list of numbers from /api/v1/factors/."),
        },
    )
    pain_before = pain_field(help_text="0 = no pain, 10 = worst imaginable.")
    pain_after = pain_field()
    pain_later = pain_field(required=False, allow_null=True, help_text="Pain an hour later.")
    area = serializers.ChoiceField(
        choices=PainArea.choices, default=PainArea.LOWER_BACK, help_text="Where it hurt."
    )
    notes = serializers.CharField(
        required=False,
        allow_blank=True,
        trim_whitespace=False,
        max_length=NOTES_MAX_LENGTH,
        validators=[validate_encodable],
        # DRF fills in {max_length}.
        error_messages={"max_length": _("Notes can be at most {max_length} characters.")},
    )
    relief = serializers.IntegerField(
        read_only=True, help_text="pain_before − pain_after; positive is better."
    )
    client_id = serializers.UUIDField(
        required=False,
        allow_null=True,
        default=None,
        help_text=(
            "Optional, on create only: a UUID your app makes for the session (e.g. with "
            "crypto.randomUUID()) so that sending it again, after a lost answer or an interrupted "
            "sync, stores it once. If you already have a session with this client_id, the answer "
            "is 200 with that session and nothing new is stored; otherwise 201. The session is "
            "checked first either way: data that breaks the rules answers 400. Unique per user: "
            "another person's client_id never clashes with yours. Ignored when updating."
        ),
        error_messages={"invalid": _("client_id must be a UUID, e.g. 3f1c2a9e-…-…")},
    )

    class Meta:
        model = PracticeSession
        fields = [
            "id",
            "url",
            "started_at",
            "points",
            "pain_before",
            "pain_after",
            "pain_later",
            "relief",
            "rest_only",
            "factors",
            "tool",
            "area",
            "notes",
            "client_id",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None and request.user.is_authenticated:
            self.fields["factors"].child_relation.queryset = Factor.objects.usable_by(request.user)

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, session: PracticeSession) -> str:
        return self.context["request"].build_absolute_uri(
            reverse("api:session-detail", kwargs={"pk": session.pk})
        )

    def validate_started_at(self, value):
        validate_started_at(value)
        return value.replace(microsecond=0)

    def validate_points(self, entries: list[dict]) -> list[tuple[Point, int | None]]:
        codes = [entry["code"].strip().upper() for entry in entries]
        points = {point.code: point for point in Point.objects.filter(code__in=codes)}
        problems = []
        for index, code in enumerate(codes):
            if code not in points:
                problems.append(
                    gettext("“%(code)s” is not a point in the guides.") % {"code": code}
                )
            elif code in codes[:index]:
                problems.append(gettext("%(code)s is listed twice.") % {"code": code})
        if problems:
            raise serializers.ValidationError(problems)
        return [
            (points[code], entry.get("seconds")) for code, entry in zip(codes, entries, strict=True)
        ]

    def validate_factors(self, factors: list[Factor]) -> list[Factor]:
        if len({factor.pk for factor in factors}) != len(factors):
            raise serializers.ValidationError(gettext("A factor is listed twice."))
        return factors

    def validate(self, attrs):
        points = attrs.get("session_points")
        session = self.instance
        rest = attrs.get("rest_only", session.rest_only if session else False)
        has_points = (
            bool(points)
            if points is not None
            else (session is not None and session.session_points.exists())
        )
        if rest and has_points:
            raise serializers.ValidationError(
                {
                    "points": gettext(
                        "A rest session has no points: send an empty list, or rest_only false."
                    )
                }
            )
        if not rest and not has_points:
            raise serializers.ValidationError(
                {
                    "points": gettext(
                        "Choose at least one point you pressed. For a rest session, "
                        "send rest_only true."
                    )
                }
            )
        if (
            session is not None
            and session.experiment_id
            and "rest_only" in attrs
            and attrs["rest_only"] != session.rest_only
        ):
            raise serializers.ValidationError(
                {
                    "rest_only": gettext(
                        "This session counts in one of your experiments, so whether it was rest "
                        "cannot be changed. If it was logged by mistake, delete it instead."
                    )
                }
            )
        locked = session is not None and session.experiment_id and points is not None
        if locked and {point.pk for point, _ in points} != {
            sp.point_id for sp in session.session_points.all()
        }:
            raise serializers.ValidationError(
                {
                    "points": gettext(
                        "This session counts in one of your experiments, so its point cannot be "
                        "changed. If it was logged by mistake, delete it instead."
                    )
                }
            )
        return attrs

    @transaction.atomic
    def create(self, validated_data) -> PracticeSession:
        points = validated_data.pop("session_points", [])
        factors = validated_data.pop("factors", [])
        validated_data.setdefault("started_at", timezone.now().replace(microsecond=0))
        session = PracticeSession.objects.create(**validated_data)
        self._save_points(session, points)
        self._save_factors(session, factors)
        return PracticeSession.objects.with_points().with_factors().get(pk=session.pk)

    @transaction.atomic
    def update(self, session: PracticeSession, validated_data) -> PracticeSession:
        validated_data.pop("client_id", None)  # the phone's id is set once, when created
        points = validated_data.pop("session_points", None)
        factors = validated_data.pop("factors", None)
        for name, value in validated_data.items():
            setattr(session, name, value)
        session.save()
        if points is not None:
            session.session_points.all().delete()
            self._save_points(session, points)
        if factors is not None:
            session.session_factors.all().delete()
            self._save_factors(session, factors)
        return PracticeSession.objects.with_points().with_factors().get(pk=session.pk)

    def _save_factors(self, session: PracticeSession, factors: list[Factor]) -> None:
        SessionFactor.objects.bulk_create(
            SessionFactor(session=session, factor=factor) for factor in factors
        )

    def _save_points(self, session: PracticeSession, points) -> None:
        SessionPoint.objects.bulk_create(
            SessionPoint(session=session, point=point, position=position, seconds=seconds)
            for position, (point, seconds) in enumerate(points)
        )


class FactorSerializer(serializers.ModelSerializer):
    built_in = serializers.BooleanField(
        read_only=True, help_text="True for the factors every user is offered."
    )

    class Meta:
        model = Factor
        fields = ["id", "name", "slug", "built_in", "archived"]
        read_only_fields = fields


class IntervalSerializer(serializers.Serializer):
    low = serializers.FloatField()
    high = serializers.FloatField()


class PointSummarySerializer(serializers.Serializer):
    code = serializers.CharField()
    slug = serializers.CharField()
    name = serializers.CharField()
    sessions = serializers.IntegerField()
    mean_relief = serializers.FloatField()
    sd = serializers.FloatField(allow_null=True)
    interval = IntervalSerializer(allow_null=True, help_text="95 % t-interval of the mean relief")
    meaningful_share = serializers.FloatField(
        help_text="Share of sessions with relief of at least 2 points or 30 % of the starting pain"
    )
    mean_pain_before = serializers.FloatField()
    last_used = serializers.DateTimeField()
    enough_data = serializers.BooleanField(help_text="At least 5 sessions: ranked on the page")


class TrendRowSerializer(serializers.Serializer):
    period = serializers.DateField()
    sessions = serializers.IntegerField()
    mean_pain_before = serializers.FloatField()
    mean_pain_after = serializers.FloatField()


class InsightsSerializer(serializers.Serializer):
    sessions = serializers.IntegerField()
    mean_relief = serializers.FloatField(allow_null=True)
    points = PointSummarySerializer(many=True)
    trend_by = serializers.ChoiceField(choices=["day", "week"])
    trend = TrendRowSerializer(many=True)
