from django.urls import path

from . import views

app_name = "assignments"

urlpatterns = [
    path("api/teams/<slug:slug>/workload/", views.team_workload_api, name="api_team_workload"),
    path("teams/<slug:slug>/", views.team_overview, name="team_overview"),
    path(
        "teams/<slug:slug>/members/<int:member_id>/acknowledge/",
        views.acknowledge_dual_role,
        name="acknowledge_dual_role",
    ),
    path(
        "teams/<slug:slug>/members/<int:member_id>/withdraw-acknowledgement/",
        views.withdraw_acknowledgement,
        name="withdraw_acknowledgement",
    ),
    path("teams/<slug:slug>/board/", views.team_board, name="team_board"),
    path("teams/<slug:slug>/board/tasks/new/", views.task_new, name="task_new"),
    path("teams/<slug:slug>/board/tasks/<int:task_id>/edit/", views.task_edit, name="task_edit"),
    path("teams/<slug:slug>/board/tasks/<int:task_id>/archive/", views.task_archive_view, name="task_archive"),
    path("teams/<slug:slug>/board/tasks/<int:task_id>/assign/", views.assign, name="assign"),
    path(
        "teams/<slug:slug>/board/assignments/<int:assignment_id>/share/",
        views.assignment_share,
        name="assignment_share",
    ),
    path(
        "teams/<slug:slug>/board/assignments/<int:assignment_id>/remove/",
        views.assignment_remove,
        name="assignment_remove",
    ),
    path("members/<int:member_id>/", views.member_detail, name="member"),
    path("members/<int:member_id>/holdings/", views.holding_add, name="holding_add"),
    path("members/<int:member_id>/holdings/<int:holding_id>/end/", views.holding_end, name="holding_end"),
    path("members/<int:member_id>/time-off/", views.time_off_add, name="time_off_add"),
    path("me/", views.my_duties, name="my_duties"),
]
