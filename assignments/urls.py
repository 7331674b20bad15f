from django.urls import path

from . import views

app_name = "assignments"

urlpatterns = [
    path("api/teams/<slug:slug>/workload/", views.team_workload_api, name="api_team_workload"),
]
