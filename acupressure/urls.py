from django.urls import path

from . import views

app_name = "acupressure"

urlpatterns = [
    path("", views.point_list, name="list"),
    path("<slug:slug>/", views.point_detail, name="point"),
]
