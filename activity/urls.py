from django.urls import path

from . import api, views

app_name = "activity"

urlpatterns = [
    path("teams/<slug:slug>/activity/", views.team_activity, name="team_activity"),
    path("teams/<slug:slug>/activity/changes/<int:change_set_id>/", views.change_set_entries, name="change_set"),
    path("teams/<slug:slug>/activity/<str:kind>/<int:history_id>/revert/", views.revert, name="revert"),
    # the last few changes of a task (its card's folded "Recent changes")
    path("teams/<slug:slug>/activity/tasks/<int:task_id>/recent/", views.task_recent, name="task_recent"),
    # <str:slug>: the API's 404 is JSON for any path segment (assignments/views/api.py)
    path("api/teams/<str:slug>/activity/", api.team_activity_api, name="api_team_activity"),
    path("api/teams/<str:slug>/activity/<str:kind>/<int:history_id>/revert/", api.revert_api, name="api_revert"),
]
