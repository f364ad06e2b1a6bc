from django.urls import path, re_path
from rest_framework.routers import SimpleRouter

from .views import FactorViewSet, PointViewSet, SessionViewSet, insights, not_found

app_name = "api"

router = SimpleRouter()
router.register("points", PointViewSet, basename="point")
router.register("sessions", SessionViewSet, basename="session")
router.register("factors", FactorViewSet, basename="factor")

# Anything else under /api/v1/ answers a JSON 404, not the site's HTML page.
urlpatterns = [
    path("insights/", insights, name="insights"),
    *router.urls,
    re_path(r"", not_found),
]
