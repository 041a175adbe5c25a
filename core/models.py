"""The audit trail: who did what, when and why, written by every service function that changes data."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditEntry(models.Model):
    """One change, written once and never changed or deleted.

    The admin shows the trail read-only, and the database refuses any UPDATE or DELETE of its rows
    (a trigger, core/migrations/0002_audit_trail_immutable.py), whoever asks.  A user who acted is
    therefore never deleted either (`actor` is PROTECT: deleting it would be an UPDATE here):
    deactivate the account instead.  `actor_name` keeps who it was in words, as the name read then.
    """

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người thực hiện"), null=True, on_delete=models.PROTECT
    )
    actor_name = models.CharField(_("tên người thực hiện"), max_length=300, blank=True)
    action = models.CharField(_("hành động"), max_length=60)
    object_type = models.CharField(_("loại đối tượng"), max_length=60)
    object_id = models.BigIntegerField(_("mã đối tượng"))
    object_repr = models.CharField(_("tên đối tượng"), max_length=300, blank=True)
    # The agreement the change belongs to, so that an agreement's history is one indexed query.  A plain
    # number, not a foreign key: core sits below agreements and never imports it, and the trail of an
    # agreement outlives the agreement (no cascade may ever touch these rows).  Indexed with the time,
    # in the order the history is read (audit_agreement_idx).
    agreement_id = models.BigIntegerField(_("mã thỏa thuận"), null=True, blank=True)
    data = models.JSONField(_("chi tiết"), default=dict, blank=True)
    created_at = models.DateTimeField(_("thời điểm"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("nhật ký thao tác")
        verbose_name_plural = _("nhật ký thao tác")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["-created_at", "-id"], name="audit_default_order"),  # the whole trail, newest first
            models.Index(fields=["object_type", "object_id"], name="audit_object_idx"),
            models.Index(fields=["agreement_id", "-created_at", "-id"], name="audit_agreement_idx"),
        ]

    def __str__(self) -> str:
        # In the site's time, as the admin's list and the app show it (stored in UTC).
        return f"{timezone.localtime(self.created_at):%d/%m/%Y %H:%M} {self.action} {self.object_type}#{self.object_id}"


class CacheEntry(models.Model):
    """The table of Django's database cache (settings.CACHES), declared as a model of its own.

    `createcachetable` would make the same table, but only where someone remembers to run it (a
    deployment, `make run`, the production-shaped test); as a model, `migrate` creates it everywhere,
    and a test's rollback or flush empties it, so that no test reads figures another one cached.
    The columns are those `createcachetable` makes (django.core.cache.backends.db).
    """

    cache_key = models.CharField(max_length=255, primary_key=True)
    value = models.TextField()
    expires = models.DateTimeField(db_index=True)

    class Meta:
        db_table = "coopportal_cache"
        verbose_name = _("mục bộ nhớ đệm")
        verbose_name_plural = _("bộ nhớ đệm")

    def __str__(self) -> str:
        return self.cache_key
