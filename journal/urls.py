from django.urls import path

from . import views

app_name = "journal"

urlpatterns = [
    path("", views.session_list, name="list"),
    path("new/", views.session_create, name="new"),
    path("insights/", views.insights, name="insights"),
    path("compare/", views.compare, name="compare"),
    path("report/", views.report, name="report"),
    path("calendar/", views.session_calendar, name="calendar"),
    path("<int:pk>/", views.session_detail, name="detail"),
    path("<int:pk>/edit/", views.session_edit, name="edit"),
    path("<int:pk>/follow-up/", views.session_follow_up, name="follow_up"),
    path("<int:pk>/delete/", views.session_delete, name="delete"),
]
