from django.urls import path

from .views import data, experiments, factors, insights, plan, routines, sessions

app_name = "journal"

urlpatterns = [
    path("", sessions.session_list, name="list"),
    path("new/", sessions.session_create, name="new"),
    path("insights/", insights.insights, name="insights"),
    path("compare/", insights.compare, name="compare"),
    path("report/", insights.report, name="report"),
    path("calendar/", plan.session_calendar, name="calendar"),
    path("<int:pk>/", sessions.session_detail, name="detail"),
    path("<int:pk>/edit/", sessions.session_edit, name="edit"),
    path("<int:pk>/follow-up/", sessions.session_follow_up, name="follow_up"),
    path("<int:pk>/delete/", sessions.session_delete, name="delete"),
    path("routines/", routines.routine_list, name="routine_list"),
    path("routines/new/", routines.routine_create, name="routine_new"),
    path("routines/<int:pk>/", routines.routine_detail, name="routine_detail"),
    path("routines/<int:pk>/edit/", routines.routine_edit, name="routine_edit"),
    path("routines/<int:pk>/delete/", routines.routine_delete, name="routine_delete"),
    path("routines/<int:pk>/play/", routines.routine_play, name="routine_play"),
    path("routines/rest/", routines.rest_timer, name="rest_timer"),
    path("factors/", factors.factor_list, name="factor_list"),
    path("factors/new/", factors.factor_create, name="factor_new"),
    path("factors/<int:pk>/edit/", factors.factor_edit, name="factor_edit"),
    path("factors/<int:pk>/archive/", factors.factor_archive, name="factor_archive"),
    path("experiments/", experiments.experiment_list, name="experiment_list"),
    path("experiments/new/", experiments.experiment_create, name="experiment_new"),
    path("experiments/<int:pk>/", experiments.experiment_detail, name="experiment_detail"),
    path(
        "experiments/<int:pk>/abandon/", experiments.experiment_abandon, name="experiment_abandon"
    ),
    path("export.csv", data.export_csv, name="export_csv"),
    path("export.json", data.export_json, name="export_json"),
    path("import/", data.import_upload, name="import"),
    path("import/<int:pk>/", data.import_review, name="import_review"),
]
