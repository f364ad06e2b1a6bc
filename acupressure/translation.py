"""Which guide fields have a version per language (django-modeltranslation).

Each field listed here gets a column per language in MODELTRANSLATION_LANGUAGES (``summary_en``,
``summary_es``); reading ``point.summary`` gives the active language's text, or the English one
where a translation is missing. load_guides fills the English columns from guides.toml and the
others from content/<language>/*.toml. Text users write themselves (their own routines) is stored
the same in every language: see Routine.save, and the fallbacks below.
"""

from modeltranslation.translator import TranslationOptions, register

from .models import Point, Routine, RoutineStep, Tool


@register(Point)
class PointTranslation(TranslationOptions):
    fields = (
        "name_en",
        "folk_name",
        "other_names",
        "meridian",
        "summary",
        "popular_advice",
        "location",
        "how_to_find",
        "technique",
        "traditional_use",
        "cautions",
        "pregnancy_note",
    )


@register(Tool)
class ToolTranslation(TranslationOptions):
    fields = ("name", "summary", "what_it_is", "reaches", "how_to_start", "cautions", "evidence")


@register(Routine)
class RoutineTranslation(TranslationOptions):
    fields = ("title", "summary", "who_for", "description", "pregnancy_note")
    fallback_languages = {"default": ("en", "es")}


@register(RoutineStep)
class RoutineStepTranslation(TranslationOptions):
    fields = ("instruction",)
    # A user's steps are written in one language (replaced whole on every edit, never edited
    # per language), so any language's text stands in for a missing one.
    fallback_languages = {"default": ("en", "es")}
