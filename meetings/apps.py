from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = _("Họp đánh giá")

    def ready(self) -> None:
        # The yearly review report is a document kind of its own; it joins the registry here.
        from meetings import documents  # noqa: F401
