from django.urls import path

from . import views

app_name = "acupressure"

# The routine and tool URLs come before "<slug>/": otherwise "routines" or "tools" would be looked
# up as a point.
urlpatterns = [
    path("", views.point_list, name="list"),
    path("tools/", views.tool_list, name="tools"),
    path("routines/", views.routine_list, name="routines"),
    path("routines/<slug:slug>/", views.routine_detail, name="routine"),
    path("routines/<slug:slug>/play/", views.routine_play, name="routine_play"),
    path("<slug:slug>/", views.point_detail, name="point"),
]
