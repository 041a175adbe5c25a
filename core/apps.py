from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Nền tảng chung")

    def ready(self) -> None:
        from core import search  # noqa: F401  # registers the SQLite fold function on each connection
