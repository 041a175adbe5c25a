from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from core.admin import PlainTextAdmin, ReadOnlyAdmin
from notifications.models import Digest, Notification, Preference, ReminderSettings


@admin.register(ReminderSettings)
class ReminderSettingsAdmin(PlainTextAdmin[ReminderSettings]):
    list_display = ["__str__", "report_offsets", "meeting_offsets", "commitment_offsets", "agreement_ending_days"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return not ReminderSettings.objects.exists()

    def has_delete_permission(self, request: HttpRequest, obj: ReminderSettings | None = None) -> bool:
        return False


@admin.register(Preference)
class PreferenceAdmin(PlainTextAdmin[Preference]):
    list_display = ["user", "delivery", "language"]
    list_filter = ["delivery", "language"]
    search_fields = ["user__username", "user__email"]
    raw_id_fields = ["user"]


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin[Notification]):
    list_display = ["created_at", "kind", "target", "stage", "recipient", "email_state", "attempts", "sent_at"]
    list_filter = ["kind", "email_state"]
    search_fields = ["target", "recipient__username"]
    list_select_related = ["recipient"]
    date_hierarchy = "created_at"


@admin.register(Digest)
class DigestAdmin(ReadOnlyAdmin[Digest]):
    list_display = ["day", "recipient", "email_state", "attempts", "sent_at"]
    list_filter = ["email_state"]
    list_select_related = ["recipient"]
