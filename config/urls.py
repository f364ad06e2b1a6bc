from django.contrib import admin
from django.urls import include, path

from acupressure import views as guide_views

urlpatterns = [
    path("", guide_views.home, name="home"),
    path("healthz", guide_views.healthz, name="healthz"),
    path("safety/", guide_views.safety, name="safety"),
    path("guides/", include("acupressure.urls")),
    path("admin/", admin.site.urls),
]

handler404 = "acupressure.views.page_not_found"
handler500 = "acupressure.views.server_error"
