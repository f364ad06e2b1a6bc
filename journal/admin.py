from django.contrib import admin

from .models import ApiToken, Experiment, PracticePlan, PracticeSession, Profile, SessionPoint


class SessionPointInline(admin.TabularInline):
    model = SessionPoint
    extra = 0
    autocomplete_fields = ["point"]


@admin.register(PracticeSession)
class PracticeSessionAdmin(admin.ModelAdmin):
    list_display = ["started_at", "user", "area", "pain_before", "pain_after", "pain_later"]
    list_filter = ["area"]
    list_select_related = ["user"]
    search_fields = ["user__username", "notes"]
    date_hierarchy = "started_at"
    inlines = [SessionPointInline]
    raw_id_fields = ["user", "experiment"]


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "time_zone"]
    search_fields = ["user__username"]
    raw_id_fields = ["user"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Staff can see and delete (revoke) tokens, never create them or read a secret."""

    list_display = ["name", "user", "prefix", "created_at", "last_used_at"]
    list_select_related = ["user"]
    search_fields = ["user__username", "name", "prefix"]
    fields = ["user", "name", "prefix", "created_at", "last_used_at"]
    readonly_fields = fields

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(PracticePlan)
class PracticePlanAdmin(admin.ModelAdmin):
    list_display = [
        "user",
        "weekly_goal",
        "reminders_on",
        "reminder_days",
        "reminder_time",
        "email_reminders",
        "last_emailed_for",
    ]
    list_filter = ["reminders_on", "email_reminders"]
    list_select_related = ["user"]
    search_fields = ["user__username"]
    raw_id_fields = ["user", "reminder_routine"]


@admin.register(Experiment)
class ExperimentAdmin(admin.ModelAdmin):
    """Staff may look and abandon (set the status); the schedule is drawn by the app only."""

    list_display = ["user", "point_a", "point_b", "planned_sessions", "status", "started_at"]
    list_filter = ["status"]
    list_select_related = ["user", "point_a", "point_b"]
    search_fields = ["user__username"]
    fields = ["user", "point_a", "point_b", "planned_sessions", "schedule", "status", "ended_at"]
    readonly_fields = ["user", "point_a", "point_b", "planned_sessions", "schedule"]

    def has_add_permission(self, request) -> bool:
        return False
