from django.urls import path

from . import views

app_name = "journal"

urlpatterns = [
    path("", views.session_list, name="list"),
    path("new/", views.session_create, name="new"),
    path("<int:pk>/", views.session_detail, name="detail"),
    path("<int:pk>/edit/", views.session_edit, name="edit"),
    path("<int:pk>/follow-up/", views.session_follow_up, name="follow_up"),
    path("<int:pk>/delete/", views.session_delete, name="delete"),
    path("export.csv", views.export_csv, name="export_csv"),
    path("export.json", views.export_json, name="export_json"),
    path("import/", views.import_upload, name="import"),
    path("import/<int:pk>/", views.import_review, name="import_review"),
]
