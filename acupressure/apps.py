from django.apps import AppConfig


class AcupressureConfig(AppConfig):
    name = "acupressure"
    verbose_name = "Point guides"
