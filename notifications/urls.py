from __future__ import annotations

from django.urls import URLPattern, path

from notifications import views

urlpatterns: list[URLPattern] = [
    path("notifications/", views.notification_list, name="notification_list"),
    path("notifications/<int:notification_id>/", views.notification_open, name="notification_open"),
    path("notifications/read/", views.notification_mark_read, name="notification_mark_read"),
    path("notifications/preferences/", views.preferences, name="notification_preferences"),
    path("agreements/<int:agreement_id>/notifications/", views.agreement_record, name="agreement_notifications"),
]
