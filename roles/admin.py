from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from .models import Responsibility, Role, RoleHolding, Team, TeamMember, TimeOff, UserPreferences


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "member_count", "manager_names", "raci_enabled"]
    list_filter = ["raci_enabled"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["managers"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(member_count=Count("members", distinct=True))
            .prefetch_related("managers")
        )

    @admin.display(description=_("members"), ordering="member_count")
    def member_count(self, team):
        return team.member_count

    @admin.display(description=_("managers"))
    def manager_names(self, team):
        return ", ".join(user.get_username() for user in team.managers.all())


class RoleHoldingInline(admin.TabularInline):
    model = RoleHolding
    extra = 0
    autocomplete_fields = ["role"]


class TimeOffInline(admin.TabularInline):
    model = TimeOff
    extra = 0


@admin.register(TeamMember)
class TeamMemberAdmin(admin.ModelAdmin):
    list_display = ["full_name", "email", "team", "job_title", "weekly_capacity_hours", "roles_held", "is_active"]
    list_filter = ["team", "is_active", "role_holdings__role", "role_holdings__role__focus"]
    list_select_related = ["team"]
    search_fields = ["full_name", "email", "job_title"]
    autocomplete_fields = ["team", "user"]
    inlines = [RoleHoldingInline, TimeOffInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("role_holdings__role")

    @admin.display(description=_("roles"))
    def roles_held(self, member):
        # Every holding ever recorded; the dates are on the member's page.
        return ", ".join(sorted({holding.role.name for holding in member.role_holdings.all()}))


class ResponsibilityInline(admin.TabularInline):
    model = Responsibility
    extra = 1
    fields = ["position", "title", "description"]


@admin.register(Role)
class RoleAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "focus", "position", "responsibility_count", "holder_count"]
    list_editable = ["position"]
    list_filter = ["focus"]
    search_fields = ["name", "slug", "summary"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [ResponsibilityInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                responsibility_count=Count("responsibilities", distinct=True),
                holder_count=Count("holdings__member", distinct=True),
            )
        )

    @admin.display(description=_("responsibilities"), ordering="responsibility_count")
    def responsibility_count(self, role):
        return role.responsibility_count

    @admin.display(description=_("holders"), ordering="holder_count")
    def holder_count(self, role):
        return role.holder_count


@admin.register(Responsibility)
class ResponsibilityAdmin(admin.ModelAdmin):
    list_display = ["title", "role", "position"]
    list_filter = ["role__focus", "role"]
    list_select_related = ["role"]
    search_fields = ["title", "description", "role__name"]
    autocomplete_fields = ["role"]


@admin.register(RoleHolding)
class RoleHoldingAdmin(admin.ModelAdmin):
    list_display = ["member", "role", "focus", "team", "start_date", "end_date"]
    list_filter = ["member__team", "role__focus", "role"]
    list_select_related = ["member__team", "role"]
    search_fields = ["member__full_name", "member__email", "role__name"]
    autocomplete_fields = ["member", "role"]
    date_hierarchy = "start_date"

    @admin.display(description=_("focus"), ordering="role__focus")
    def focus(self, holding):
        return holding.role.get_focus_display()

    @admin.display(description=_("team"), ordering="member__team__name")
    def team(self, holding):
        return holding.member.team


@admin.register(TimeOff)
class TimeOffAdmin(admin.ModelAdmin):
    list_display = ["member", "start_date", "end_date", "reason"]
    list_filter = ["member__team"]
    list_select_related = ["member"]
    search_fields = ["member__full_name", "member__email", "reason"]
    autocomplete_fields = ["member"]
    date_hierarchy = "start_date"


@admin.register(UserPreferences)
class UserPreferencesAdmin(admin.ModelAdmin):
    list_display = ["user", "language"]
    list_filter = ["language"]
    list_select_related = ["user"]
    search_fields = ["user__username", "user__email"]
    autocomplete_fields = ["user"]
