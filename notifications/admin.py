"""The sent log, read-only: the rows are the exactly-once claims, so nobody edits them by hand. The opt-outs,
read-mostly: an admin may record one a person asked for by other means, or remove one, never rewrite one."""

from django.contrib import admin

from .models import MailOptOut, SentMessage


@admin.register(SentMessage)
class SentMessageAdmin(admin.ModelAdmin):
    list_display = ["recipient", "kind", "period", "status", "attempts", "claimed_at", "sent_at"]
    list_filter = ["kind", "status"]
    search_fields = ["recipient"]
    date_hierarchy = "claimed_at"
    readonly_fields = [field.name for field in SentMessage._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(MailOptOut)
class MailOptOutAdmin(admin.ModelAdmin):
    list_display = ["address", "kind", "created_at"]
    list_filter = ["kind"]
    search_fields = ["address"]
    date_hierarchy = "created_at"

    def has_change_permission(self, request, obj=None):
        return False  # an opt-out is an address and a kind: a different one is another row
