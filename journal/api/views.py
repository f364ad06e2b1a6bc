from __future__ import annotations

import uuid
import zoneinfo
from dataclasses import asdict

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import permissions, status, viewsets
from rest_framework.decorators import api_view, permission_classes
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response

from acupressure.models import Point

from .. import queries, stats
from ..forms.insights import InsightsFilterForm
from ..forms.sessions import JournalFilterForm
from ..models import ApiToken, Factor, PainArea, PracticeSession, Profile
from .serializers import (
    FactorSerializer,
    InsightsSerializer,
    PointSerializer,
    PracticeSessionSerializer,
)


@extend_schema_view(
    list=extend_schema(summary="All points in the guides"),
    retrieve=extend_schema(summary="One point, by its slug (e.g. bl23)"),
)
class PointViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Point.objects.all()
    serializer_class = PointSerializer
    lookup_field = "slug"
    permission_classes = [permissions.AllowAny]


SESSION_FILTERS = [
    OpenApiParameter("point", str, description="Only sessions with this point (slug, e.g. bl23)."),
    OpenApiParameter("area", str, enum=PainArea.values, description="Only this pain area."),
    OpenApiParameter(
        "date_from", OpenApiTypes.DATE, description="From this day on (your time zone)."
    ),
    OpenApiParameter("date_to", OpenApiTypes.DATE, description="Up to this day (your time zone)."),
    OpenApiParameter("factor", int, description="Only sessions with this factor (its id)."),
    OpenApiParameter("rest", bool, description="true: only rest sessions (no pressing)."),
]


@extend_schema_view(
    list=extend_schema(summary="The factors you can put on a session: built-in and your own"),
    retrieve=extend_schema(summary="One factor", parameters=[OpenApiParameter("id", int, "path")]),
)
class FactorViewSet(viewsets.ReadOnlyModelViewSet):
    """Built-in factors and the requesting user's own; another user's id answers 404."""

    serializer_class = FactorSerializer
    lookup_value_regex = r"[0-9]+"
    pagination_class = None  # at most 30 own factors and a few built-in ones

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Factor.objects.none()
        return Factor.objects.usable_by(self.request.user).order_by(
            F("owner").asc(nulls_first=True), "position", "pk"
        )


SESSION_ID = [OpenApiParameter("id", int, OpenApiParameter.PATH)]


@extend_schema_view(
    list=extend_schema(summary="My sessions, newest first", parameters=SESSION_FILTERS),
    create=extend_schema(
        summary="Log a session",
        description=(
            "Answers 201 with the new session; or, when the request carries a client_id you "
            "already sent, 200 with the session stored then (nothing new is stored)."
        ),
        responses={201: PracticeSessionSerializer, 200: PracticeSessionSerializer},
    ),
    retrieve=extend_schema(summary="One of my sessions", parameters=SESSION_ID),
    update=extend_schema(summary="Replace a session", parameters=SESSION_ID),
    partial_update=extend_schema(summary="Change some fields of a session", parameters=SESSION_ID),
    destroy=extend_schema(summary="Delete a session", parameters=SESSION_ID),
)
class SessionViewSet(viewsets.ModelViewSet):
    """The requesting user's sessions only: another user's id answers 404."""

    serializer_class = PracticeSessionSerializer
    lookup_value_regex = r"[0-9]+"  # \d would also match "١" (read as 1)

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if isinstance(request.auth, ApiToken):
            # The time-zone middleware ran before the token was read; dates and date filters
            # are in the user's zone, as on the journal pages.
            _activate_time_zone(request.user)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # drf-spectacular reading the types
            return PracticeSession.objects.none()
        if self.action == "list":
            return queries.session_list(self.request.user, self._filter_form()).with_factors()
        return queries.sessions_for(self.request.user).with_points().with_factors()

    def create(self, request, *args, **kwargs):
        """A session sent again with the same client_id (a phone's retried sync) answers the
        stored one. The request is checked first, like any other: data that breaks the rules is
        refused (400) whatever its client_id. Two copies racing each other both pass the look-up;
        the database's unique constraint stops the second, which then answers the first one's
        session."""
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        client_id = serializer.validated_data.get("client_id")
        if (stored := self._sent_before(client_id)) is not None:
            return self._answer_stored(stored)
        try:
            with transaction.atomic():
                self.perform_create(serializer)
        except IntegrityError:
            if (stored := self._sent_before(client_id)) is None:
                raise
            return self._answer_stored(stored)
        return Response(
            serializer.data,
            status=status.HTTP_201_CREATED,
            headers=self.get_success_headers(serializer.data),
        )

    def _sent_before(self, client_id: uuid.UUID | None) -> PracticeSession | None:
        if client_id is None:
            return None
        return (
            queries.sessions_for(self.request.user)
            .with_points()
            .with_factors()
            .filter(client_id=client_id)
            .first()
        )

    def _answer_stored(self, session: PracticeSession) -> Response:
        return Response(self.get_serializer(session).data, status=status.HTTP_200_OK)

    def perform_create(self, serializer):
        serializer.save(user=self.request.user)

    def _filter_form(self) -> JournalFilterForm:
        """The journal page's filters. Unlike the page's form, the API refuses a parameter sent
        empty, so a client's mistake does not quietly widen the list."""
        filter_form = JournalFilterForm(self.request.query_params, user=self.request.user)
        errors = {
            name: [gettext("Leave this parameter out, or give it a value.")]
            for name in filter_form.fields
            if name in self.request.query_params and not self.request.query_params[name].strip()
        }
        rest = self.request.query_params.getlist("rest")
        if rest and (len(rest) > 1 or rest[0].strip() not in {"true", "false"}):
            errors["rest"] = [gettext("Give rest once, as true or false.")]
        if not filter_form.is_valid():
            for name, messages in filter_form.errors.get_json_data().items():
                errors.setdefault(name, [message["message"] for message in messages])
        if errors:
            raise ValidationError(errors)
        return filter_form


def _activate_time_zone(user) -> None:
    try:
        name = user.profile.time_zone
    except Profile.DoesNotExist:
        name = "UTC"
    try:
        timezone.activate(zoneinfo.ZoneInfo(name))
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        timezone.deactivate()


BOOLEAN_WORDS = {"true", "false", "1", "0"}
INSIGHT_FILTERS = [
    OpenApiParameter("range", str, enum=["30", "90", "365", "all"], description="Period in days."),
    OpenApiParameter("area", str, enum=PainArea.values, description="Only this pain area."),
    OpenApiParameter("single", bool, description="Only sessions with a single point."),
]


@extend_schema(
    summary="What works for me: relief per point, with intervals, and the pain trend",
    parameters=INSIGHT_FILTERS,
    responses=InsightsSerializer,
)
@api_view(["GET"])
def insights(request):
    """The statistics of /journal/insights/, ranked the same way (points with n < 5 last)."""
    if isinstance(request.auth, ApiToken):
        _activate_time_zone(request.user)
    params = request.query_params
    form = InsightsFilterForm(params)
    errors = {
        name: [gettext("Leave this parameter out, or give it a value.")]
        for name in ("range", "area", "single")
        if name in params and not params[name].strip()
    }
    if not form.is_valid():
        for name, messages in form.errors.get_json_data().items():
            errors.setdefault(name, [message["message"] for message in messages])
    if params.get("single", "").strip() and params["single"].lower() not in BOOLEAN_WORDS:
        errors.setdefault("single", [gettext("Use true or false.")])
    if errors:
        raise ValidationError(errors)
    filters = form.filters()
    overview = stats.overview(request.user, filters)
    trend_by = stats.trend_granularity(filters)
    data = {
        "sessions": overview["sessions"],
        "mean_relief": overview["mean_relief"],
        "points": [
            {**asdict(summary), "enough_data": summary.enough_data}
            for summary in stats.point_summaries(request.user, filters)
        ],
        "trend_by": trend_by,
        "trend": [asdict(row) for row in stats.trend(request.user, filters, by=trend_by)],
    }
    return Response(InsightsSerializer(data).data)


@extend_schema(exclude=True)
@api_view(["GET", "POST", "PUT", "PATCH", "DELETE"])
@permission_classes([permissions.AllowAny])
def not_found(request, *args, **kwargs):
    raise NotFound()
