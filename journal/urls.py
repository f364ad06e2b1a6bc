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
    path("routines/", views.routine_list, name="routine_list"),
    path("routines/new/", views.routine_create, name="routine_new"),
    path("routines/<int:pk>/", views.routine_detail, name="routine_detail"),
    path("routines/<int:pk>/edit/", views.routine_edit, name="routine_edit"),
    path("routines/<int:pk>/delete/", views.routine_delete, name="routine_delete"),
    path("routines/<int:pk>/play/", views.routine_play, name="routine_play"),
    path("experiments/", views.experiment_list, name="experiment_list"),
    path("experiments/new/", views.experiment_create, name="experiment_new"),
    path("experiments/<int:pk>/", views.experiment_detail, name="experiment_detail"),
    path("experiments/<int:pk>/abandon/", views.experiment_abandon, name="experiment_abandon"),
    path("export.csv", views.export_csv, name="export_csv"),
    path("export.json", views.export_json, name="export_json"),
    path("import/", views.import_upload, name="import"),
    path("import/<int:pk>/", views.import_review, name="import_review"),
]
