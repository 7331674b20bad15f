from django.urls import path

from .views import api, assign_preview, board, covers, duties, exports, fix, member, overview, raci, team_members, teams

app_name = "assignments"

urlpatterns = [
    # <str:slug>: a slug no team could have is the API's JSON 404 too, not Django's HTML page.
    path("api/teams/<str:slug>/workload/", api.team_workload_api, name="api_team_workload"),
    path(
        "api/teams/<str:slug>/tasks/<int:task_id>/suggestions/",
        api.task_suggestions_api,
        name="api_task_suggestions",
    ),
    path("api/teams/<str:slug>/preview/", api.preview_api, name="api_preview"),
    path("teams/", teams.teams, name="teams"),
    path("teams/<slug:slug>/", overview.team_overview, name="team_overview"),
    # the overview's downloads (docs/rules.md, "Exports"), for the window of ?start=&weeks=
    path("teams/<slug:slug>/export/workload.csv", exports.workload_csv, name="export_workload_csv"),
    path("teams/<slug:slug>/export/workload.xlsx", exports.workload_xlsx, name="export_workload_xlsx"),
    path("teams/<slug:slug>/export/flags.csv", exports.flags_csv, name="export_flags_csv"),
    path("teams/<slug:slug>/export/raci.csv", exports.raci_csv, name="export_raci_csv"),
    path(
        "teams/<slug:slug>/members/<int:member_id>/acknowledge/",
        overview.acknowledge_dual_role,
        name="acknowledge_dual_role",
    ),
    path(
        "teams/<slug:slug>/members/<int:member_id>/acknowledge/form/",
        overview.acknowledge_form,
        name="acknowledge_form",
    ),
    path("teams/<slug:slug>/flags/<str:kind>/", overview.flag_group, name="flag_group"),
    path(
        "teams/<slug:slug>/members/<int:member_id>/withdraw-acknowledgement/",
        overview.withdraw_acknowledgement,
        name="withdraw_acknowledgement",
    ),
    path("teams/<slug:slug>/board/", board.team_board, name="team_board"),
    # the RACI page: the matrix, a cell's form (GET, fetched into the cell; a page without JavaScript) and saving
    # it (POST), the team's RACI switch
    path("teams/<slug:slug>/raci/", raci.team_raci, name="team_raci"),
    path("teams/<slug:slug>/raci/tasks/<int:task_id>/members/<int:member_id>/", raci.raci_cell, name="raci_cell"),
    path("teams/<slug:slug>/raci/switch/", raci.raci_switch_view, name="raci_switch"),
    path("teams/<slug:slug>/board/tasks/new/", board.task_new, name="task_new"),
    path("teams/<slug:slug>/board/tasks/new/form/", board.task_form, name="task_new_form"),
    path("teams/<slug:slug>/board/tasks/<int:task_id>/edit/", board.task_edit, name="task_edit"),
    path("teams/<slug:slug>/board/tasks/<int:task_id>/edit/form/", board.task_form, name="task_edit_form"),
    path("teams/<slug:slug>/board/tasks/<int:task_id>/archive/", board.task_archive_view, name="task_archive"),
    path("teams/<slug:slug>/board/tasks/<int:task_id>/restore/", board.task_restore_view, name="task_restore"),
    path("teams/<slug:slug>/board/tasks/<int:task_id>/assign/", board.assign, name="assign"),
    path(
        "teams/<slug:slug>/board/tasks/<int:task_id>/suggestions/",
        assign_preview.task_suggestions,
        name="task_suggestions",
    ),
    path(
        "teams/<slug:slug>/board/tasks/<int:task_id>/preview/",
        assign_preview.assign_preview,
        name="assign_preview",
    ),
    path(
        "teams/<slug:slug>/board/assignments/<int:assignment_id>/share/",
        board.assignment_share,
        name="assignment_share",
    ),
    path(
        "teams/<slug:slug>/board/assignments/<int:assignment_id>/remove/",
        board.assignment_remove,
        name="assignment_remove",
    ),
    path("teams/<slug:slug>/members/", team_members.team_members, name="team_members"),
    path("teams/<slug:slug>/members/new/", team_members.member_add, name="member_add"),
    path("members/<int:member_id>/", member.member_detail, name="member"),
    path("members/<int:member_id>/edit/", member.member_edit, name="member_edit"),
    path("members/<int:member_id>/holdings/", member.holding_add, name="holding_add"),
    path("members/<int:member_id>/holdings/<int:holding_id>/end/", member.holding_end, name="holding_end"),
    path("members/<int:member_id>/time-off/", member.time_off_add, name="time_off_add"),
    path("members/<int:member_id>/holdings/<int:holding_id>/delete/", member.holding_delete, name="holding_delete"),
    path("members/<int:member_id>/time-off/<int:time_off_id>/edit/", member.time_off_edit, name="time_off_edit"),
    path(
        "members/<int:member_id>/time-off/<int:time_off_id>/delete/",
        member.time_off_delete_view,
        name="time_off_delete",
    ),
    # the member page's folded forms, fetched when opened (a page of their own without JavaScript)
    path("members/<int:member_id>/edit/form/", member.member_form, {"kind": "member"}, name="member_edit_form"),
    path("members/<int:member_id>/holdings/form/", member.member_form, {"kind": "holding"}, name="holding_add_form"),
    path(
        "members/<int:member_id>/holdings/<int:holding_id>/end/form/",
        member.member_form,
        {"kind": "end"},
        name="holding_end_form",
    ),
    path("members/<int:member_id>/time-off/form/", member.member_form, {"kind": "off"}, name="time_off_add_form"),
    path(
        "members/<int:member_id>/time-off/<int:time_off_id>/edit/form/",
        member.member_form,
        {"kind": "off-edit"},
        name="time_off_edit_form",
    ),
    path("me/", duties.my_duties, name="my_duties"),
    # behind the flags that need a person (views/fix.py)
    path("teams/<slug:slug>/fix/tasks/<int:task_id>/", fix.fix_task, name="fix_task"),
    path("teams/<slug:slug>/fix/tasks/<int:task_id>/preview/", fix.fix_task_preview, name="fix_task_preview"),
    path("teams/<slug:slug>/members/<int:member_id>/cover/", covers.arrange_cover, name="arrange_cover"),
    path("teams/<slug:slug>/covers/<int:cover_id>/remove/", covers.cover_remove, name="cover_remove"),
    path("teams/<slug:slug>/fix/members/<int:member_id>/hand-over/", fix.fix_hand_over, name="fix_hand_over"),
    path("teams/<slug:slug>/fix/assignments/<int:assignment_id>/hand-over/", fix.fix_move, name="fix_move"),
    path("teams/<slug:slug>/fix/roles/", fix.fix_role, name="fix_role"),
]
