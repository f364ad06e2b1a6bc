"""The app's settings, as production reads them from the environment, with one change for the
benchmark: static files get hashed names but are not compressed. Compressing every Pico.css theme
with brotli takes over a minute and static files are not what `make bench` measures (whitenoise
serves them before Django's views run)."""

from config.settings import *  # noqa: F403

STORAGES["staticfiles"]["BACKEND"] = (  # noqa: F405
    "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"
)
