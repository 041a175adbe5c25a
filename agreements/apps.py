from typing import Any

from django.apps import AppConfig
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


def _body_graph_changed(**kwargs: Any) -> None:
    from agreements.graph import forget_body_graph

    # After the commit: a walk read before it must not be kept under the new version.
    transaction.on_commit(forget_body_graph)


class AgreementsConfig(AppConfig):
    name = "agreements"
    verbose_name = _("Thỏa thuận hợp tác")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Walks of the succession of bodies and units are kept in the cache (agreements.graph).
        for model_name in ("Body", "AdministrativeUnit"):
            model = self.get_model(model_name)
            post_save.connect(_body_graph_changed, sender=model, dispatch_uid=f"body-graph-save-{model_name}")
            post_delete.connect(_body_graph_changed, sender=model, dispatch_uid=f"body-graph-delete-{model_name}")
