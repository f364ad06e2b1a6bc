"""`{% js_strings %}`: the JavaScript's texts (acupressure/js_strings.py) in the active language.

Written as <script id="js-strings" type="application/json">, which is data, not a script, so the
Content-Security-Policy allows it; static/js reads it with JSON.parse.
"""

from django import template
from django.utils.html import json_script

from acupressure.js_strings import evaluated

register = template.Library()


@register.simple_tag
def js_strings():
    return json_script(evaluated(), "js-strings")
