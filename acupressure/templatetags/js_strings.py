"""`{% js_strings %}`: the JavaScript's texts (acupressure/js_strings.py) in the active language.

Written as <script id="js-strings" type="application/json">, which is data, not a script, so the
Content-Security-Policy allows it; static/js/strings.js reads it with JSON.parse.
"""

from functools import cache

from django import template
from django.dispatch import receiver
from django.utils.autoreload import file_changed
from django.utils.html import json_script
from django.utils.translation import get_language

from acupressure.js_strings import evaluated

register = template.Library()


@register.simple_tag
def js_strings():
    return _js_strings_script(get_language())


# The element is the same on every page in a language, so it is built once per language, not
# with some fifty catalogue lookups on each page view (issue 20's slower pages).
@cache
def _js_strings_script(language):
    return json_script(evaluated(), "js-strings")


@receiver(file_changed, dispatch_uid="js_strings_catalogue_changed")
def _forget_on_catalogue_change(sender, file_path, **kwargs):
    # runserver reloads a recompiled catalogue (.mo) without restarting; follow it.
    if file_path.suffix == ".mo":
        _js_strings_script.cache_clear()
