from django.apps import AppConfig


class JournalConfig(AppConfig):
    name = "journal"
    verbose_name = "Session journal"

    def ready(self) -> None:
        from . import push, signals  # noqa: F401 (push registers the VAPID key check)
