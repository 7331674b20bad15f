"""Feed addresses in the admin: who has one, made by whom and when; deleting one turns its address off.

The secret is never shown here (it is not stored: ``tokens``), and an address is made on the pages only.
"""

from django.contrib import admin

from .models import FeedToken


@admin.register(FeedToken)
class FeedTokenAdmin(admin.ModelAdmin):
    list_display = ["__str__", "member", "team", "created_by", "created_at"]
    list_select_related = ["member", "team", "created_by"]
    list_filter = ["created_at"]
    search_fields = ["member__full_name", "member__email", "team__name", "selector"]
    fields = ["member", "team", "selector", "language", "created_by", "created_at"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
