"""The built-in factors' names in each language (django-modeltranslation, as for the guide in
acupressure/translation.py). A user's own factor has one name, whatever language they wrote it
in: Factor.save keeps every language's column the same, and any language stands in for another."""

from modeltranslation.translator import TranslationOptions, register

from .models import Factor


@register(Factor)
class FactorTranslation(TranslationOptions):
    fields = ("name",)
    fallback_languages = {"default": ("en", "es")}
