from rest_framework import throttling
from rest_framework.settings import api_settings


class RatesFromSettings:
    """DRF reads the rates once, at import; reading them per request lets tests override them."""

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)


class AnonRateThrottle(RatesFromSettings, throttling.AnonRateThrottle):
    pass


class UserRateThrottle(RatesFromSettings, throttling.UserRateThrottle):
    pass
