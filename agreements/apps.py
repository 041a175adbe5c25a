from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgreementsConfig(AppConfig):
    name = "agreements"
    verbose_name = _("Thỏa thuận hợp tác")
    default_auto_field = "django.db.models.BigAutoField"
