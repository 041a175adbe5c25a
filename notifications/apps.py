from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Nhắc việc và thông báo")

    def ready(self) -> None:
        # The workflow announces its events with signals; listening here keeps reporting unaware of us.
        from notifications import receivers  # noqa: F401
