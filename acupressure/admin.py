from django.contrib import admin

from .models import Point, Routine, RoutineStep, Source, Tool


@admin.register(Point)
class PointAdmin(admin.ModelAdmin):
    list_display = ["code", "name_pinyin", "name_en", "folk_name", "region", "pregnancy"]
    list_filter = ["region", "pregnancy", "meridian"]
    search_fields = ["code", "name_en", "name_pinyin", "folk_name", "other_names"]
    prepopulated_fields = {"slug": ["code"]}
    filter_horizontal = ["sources"]
    fieldsets = [
        (None, {"fields": ["code", "slug", "name_en", "name_pinyin", "folk_name", "other_names"]}),
        ("Where", {"fields": ["meridian", "region", "diagram", "location", "how_to_find"]}),
        (
            "How",
            {"fields": ["summary", "technique", "hold_seconds", "repetitions", "both_sides"]},
        ),
        (
            "Use and safety",
            {
                "fields": [
                    "traditional_use",
                    "popular_advice",
                    "cautions",
                    "pregnancy",
                    "pregnancy_note",
                ]
            },
        ),
        (None, {"fields": ["sources", "sort_order"]}),
    ]


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["key", "citation"]
    search_fields = ["key", "citation"]


class RoutineStepInline(admin.TabularInline):
    model = RoutineStep
    extra = 0
    autocomplete_fields = ["point"]
    ordering = ["position"]


@admin.register(Routine)
class RoutineAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "owner", "sort_order"]
    list_filter = [("owner", admin.EmptyFieldListFilter)]
    list_select_related = ["owner"]
    search_fields = ["title", "slug", "owner__username"]
    raw_id_fields = ["owner"]
    inlines = [RoutineStepInline]


@admin.register(Tool)
class ToolAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "illustration", "sort_order"]
    search_fields = ["name", "slug", "summary"]
    filter_horizontal = ["points", "sources"]
