"""The admin shows each tracked object's history (django-simple-history's "History" button), read-only:
a revert goes through the same rules as any write, on the team's activity page, never around them."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from simple_history.admin import SimpleHistoryAdmin

from .models import TRACKED, ChangeSet


class ReadOnlyHistoryAdmin(SimpleHistoryAdmin):
    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method != "GET":  # SIMPLE_HISTORY_REVERT_DISABLED hides the button; this refuses the POST
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


# Each tracked model keeps the admin its app gives it, with the history views added.
for model, _excluded in TRACKED.values():
    model_admin = type(admin.site._registry[model])
    admin.site.unregister(model)
    admin.site.register(model, type(model_admin.__name__, (ReadOnlyHistoryAdmin, model_admin), {}))


@admin.register(ChangeSet)
class ChangeSetAdmin(admin.ModelAdmin):
    list_display = ("at", "actor", "team_id", "reverts")
    list_filter = ("at",)
    search_fields = ("actor",)
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # history goes only by age: manage.py prune_history
