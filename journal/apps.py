from django.apps import AppConfig


class JournalConfig(AppConfig):
    name = "journal"
    verbose_name = "Session journal"

    def ready(self) -> None:
        from . import signals  # noqa: F401
