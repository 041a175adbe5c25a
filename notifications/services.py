"""Every write of the notifications app: recording what is due, the daily run, events, reading."""

from __future__ import annotations

import datetime
import logging
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.contrib.auth.models import User
from django.db import connection, transaction
from django.db.models import JSONField, QuerySet
from psycopg2.extras import Json, execute_values  # type: ignore[import-untyped]

from core import clock
from notifications import delivery, messages
from notifications.models import Digest, EmailState, Notification, Preference
from notifications.recipients import Recipient, people
from notifications.reminders import Due, DueReminders

logger = logging.getLogger(__name__)


def _first_state(person: Recipient | None) -> str:
    if person is None or not person.email:
        return EmailState.NO_ADDRESS
    if person.delivery == Preference.Delivery.DIGEST:
        return EmailState.DIGEST
    return EmailState.PENDING


def record(dues: Iterable[Due], day: datetime.date) -> str:
    """One notification per (recipient, target, stage) not recorded yet; returns this run's token.

    The unique constraint decides between two runs at once (ignore_conflicts): a row either
    exists already or is inserted by exactly one of them, stamped with that run's token.
    """
    token = uuid.uuid4().hex
    fresh = would_record(dues)
    if not fresh:
        return token
    found = people(r for _due, r in fresh)
    insert_ignoring_duplicates(
        [
            {
                "recipient_id": recipient,
                "kind": due.kind,
                "target": due.target,
                "stage": due.stage,
                "agreement_id": due.agreement_id,
                "report_id": due.report_id,
                "meeting_id": due.meeting_id,
                "commitment_id": due.commitment_id,
                "document_id": due.document_id,
                "due_on": due.due_on,
                "day": day,
                "url": due.url,
                "params": due.params,
                "email_state": _first_state(found.get(recipient)),
                "run": token,
            }
            for due, recipient in fresh
        ]
    )
    return token


INSERT_PAGE = 2000


def insert_ignoring_duplicates(rows: list[dict[str, Any]]) -> None:
    """INSERT ... ON CONFLICT DO NOTHING of notifications given as field values.

    On PostgreSQL the rows go as plain tuples through psycopg2's execute_values: on a busy morning
    (23,000 rows at national scale) building 23,000 model instances and letting the ORM prepare
    every value took two thirds of the job's time.  Elsewhere (SQLite for `make run`) bulk_create.
    The model's own defaults fill what the rows leave out, so the two paths write the same rows.
    """
    if not rows:
        return
    if connection.vendor != "postgresql":
        Notification.objects.bulk_create(
            [Notification(**row) for row in rows], ignore_conflicts=True, batch_size=INSERT_PAGE
        )
        return
    fields = [f for f in Notification._meta.concrete_fields if not f.primary_key]
    defaults = {f.attname: f.get_default() for f in fields} | {"created_at": clock.now()}
    json_fields = {f.attname for f in fields if isinstance(f, JSONField)}

    def cell(row: dict[str, Any], name: str) -> Any:
        value = row[name] if name in row else defaults[name]
        return Json(value) if name in json_fields else value

    values = [tuple(cell(row, f.attname) for f in fields) for row in rows]
    quote = connection.ops.quote_name
    statement = (
        f"INSERT INTO {quote(Notification._meta.db_table)} ({', '.join(quote(str(f.column)) for f in fields)}) "  # noqa: S608 - model names only
        "VALUES %s ON CONFLICT DO NOTHING"
    )
    with connection.cursor() as cursor:
        execute_values(cursor.cursor, statement, values, page_size=INSERT_PAGE)


def created_by(token: str) -> QuerySet[Notification]:
    return Notification.objects.filter(run=token)


def would_record(dues: Iterable[Due]) -> list[tuple[Due, int]]:
    """The (due, recipient) pairs not recorded yet: what `record` inserts, and what --dry-run lists."""
    pairs = [(due, recipient) for due in dues for recipient in sorted(due.recipients)]
    if not pairs:
        return []
    existing = set(
        Notification.objects.filter(target__in={due.target for due, _r in pairs}).values_list(
            "recipient_id", "target", "stage"
        )
    )
    return [(due, r) for due, r in pairs if (r, due.target, due.stage) not in existing]


def deliver(ids: list[int] | None = None) -> delivery.Outcome:
    return delivery.deliver(
        ids=ids, build_notification=messages.notification_emails, build_digest=messages.digest_emails
    )


def waiting_emails() -> int:
    now = clock.now()
    return Notification.objects.ready_to_send(now).count() + Digest.objects.ready_to_send(now).count()


def prepare_digests(day: datetime.date) -> int:
    """Gather each digest reader's waiting notifications into the day's one digest; returns digests made."""
    made = 0
    waiting = (
        Notification.objects.filter(email_state=EmailState.DIGEST)
        .order_by()
        .values_list("recipient_id", flat=True)
        .distinct()
    )
    for user_id in list(waiting):
        with transaction.atomic():
            digest, created = Digest.objects.get_or_create(recipient_id=user_id, day=day)
            if not created:
                continue  # today's digest has gone (or is going); what came since waits for tomorrow's
            Notification.objects.filter(recipient_id=user_id, email_state=EmailState.DIGEST).update(
                digest=digest, email_state=EmailState.IN_DIGEST
            )
            made += 1
    return made


@dataclass
class DailyRun:
    day: datetime.date
    token: str = ""
    recorded_count: int = 0
    sent: int = 0
    failed: int = 0
    digests: int = 0
    dry_run: bool = False
    would_send: list[tuple[Due, int]] = field(default_factory=list)

    @cached_property
    def recorded(self) -> list[Notification]:
        """The rows this run inserted, read only when asked (the command lists them; the task counts them)."""
        return list(created_by(self.token).select_related("recipient").order_by("pk")) if self.token else []

    def summary(self) -> dict[str, Any]:
        return {
            "day": self.day.isoformat(),
            "recorded": self.recorded_count,
            "sent": self.sent,
            "failed": self.failed,
            "digests": self.digests,
        }


def run_daily(day: datetime.date | None = None, *, dry_run: bool = False, send: bool = True) -> DailyRun:
    """The 06:30 job (and `send_reminders`): record the stages due on `day`, gather the digests, then send
    what is ready here (`send`) or leave it to the senders the task queues."""
    day = day or clock.today()
    reminders = DueReminders(day)
    dues = reminders.all()
    if dry_run:
        return DailyRun(day=day, dry_run=True, would_send=would_record(dues))
    token = record(dues, day)
    result = DailyRun(day=day, token=token, recorded_count=created_by(token).count())
    result.digests = prepare_digests(day)
    if send:
        outcome = deliver()
        result.sent, result.failed = len(outcome.sent), len(outcome.failed)
    logger.info("daily reminders %s", result.summary())
    return result


def notify(
    kind: str,
    recipients: Iterable[int],
    *,
    target: str,
    stage: str,
    agreement_id: int,
    url: str,
    report_id: int | None = None,
    document_id: int | None = None,
    due_on: datetime.date | None = None,
    params: dict[str, Any] | None = None,
) -> list[int]:
    """A workflow event's notifications, inside the caller's transaction; returns the ids it created."""
    due = Due(
        kind=kind,
        target=target,
        offset=0,
        due_on=due_on or clock.today(),
        agreement_id=agreement_id,
        recipients=frozenset(recipients),
        url=url,
        report_id=report_id,
        document_id=document_id,
        params=params or {},
        event=stage,
    )
    token = record([due], clock.today())
    return list(created_by(token).values_list("pk", flat=True))


def mark_read(user: User, notifications: QuerySet[Notification]) -> int:
    return notifications.filter(recipient=user, read_at__isnull=True).update(read_at=clock.now())


def set_preferences(user: User, *, delivery: str | None = None, language: str | None = None) -> Preference:
    preference, _created = Preference.objects.get_or_create(user=user)
    changed: list[str] = []
    if delivery is not None and preference.delivery != delivery:
        preference.delivery, changed = delivery, [*changed, "delivery"]
    if language is not None and preference.language != language:
        preference.language, changed = language, [*changed, "language"]
    if changed:
        preference.save(update_fields=changed)
    return preference
