"""hreflang alternates: the same page's address in every language (issue 20)."""

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils.html import format_html_join

register = template.Library()


@register.simple_tag(takes_context=True)
def language_alternates(context) -> str:
    """<link rel="alternate" hreflang> for each language with an address for this page, and
    x-default for the English one (its address has no prefix). Nothing for a page that is the
    same in every language (no prefixed version)."""
    request = context.get("request")
    if request is None:
        return ""
    here = request.build_absolute_uri(request.path)
    links = [(code, translate_url(here, code)) for code, _ in settings.LANGUAGES]
    if len({url for _, url in links}) < 2:
        return ""
    default = dict(links)[settings.LANGUAGE_CODE]
    rows = [(code.split("-")[0], url) for code, url in links] + [("x-default", default)]
    return format_html_join("\n  ", '<link rel="alternate" hreflang="{}" href="{}">', rows)
