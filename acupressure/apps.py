from django.apps import AppConfig


class AcupressureConfig(AppConfig):
    name = "acupressure"
    verbose_name = "Point guides"

    def ready(self) -> None:
        from . import caching  # noqa: F401  (connects the content-change signals)
