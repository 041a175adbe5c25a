"""Sending e-mails exactly once in effect: claim, send, mark; retry with backoff; reclaim after a lease.

A worker claims a batch with one conditional UPDATE (only rows still ready, i.e. pending and due,
or claimed by a worker whose lease ran out) and stamps them with its own token; it sends only
the rows that carry its token afterwards.  Two workers, a job run twice, a task redelivered
after acks_late: each row is claimed by one of them.  A worker killed after claiming leaves rows
that the next run takes back once the lease has passed, so nothing due is lost.  The one window
left is a worker killed after the mail server accepted a message and before the row was marked
sent: that message goes again after the lease (at least once, never silently lost).
"""

from __future__ import annotations

import datetime
import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import F

from core import clock
from notifications.models import DeliveryRecord, Digest, EmailState, Notification

logger = logging.getLogger(__name__)

BATCH = 200

R = TypeVar("R", bound=DeliveryRecord)


@dataclass
class Outcome:
    sent: list[int]
    failed: list[int]


def claim(model: type[R], *, ids: list[int] | None = None, limit: int = BATCH) -> tuple[str, list[int]]:
    """Claim up to `limit` ready rows for this worker; returns its token and the ids it holds."""
    token = uuid.uuid4().hex
    now = clock.now()
    with transaction.atomic():
        ready = model._default_manager.ready_to_send(now)
        if ids is not None:
            ready = ready.filter(pk__in=ids)
        # SKIP LOCKED lets a second worker take the next rows instead of waiting for these.
        pks = list(ready.select_for_update(skip_locked=True).order_by("pk").values_list("pk", flat=True)[:limit])
        if not pks:
            return token, []
        model._default_manager.ready_to_send(now).filter(pk__in=pks).update(
            email_state=EmailState.SENDING, claim=token, claimed_at=now, attempts=F("attempts") + 1
        )
    return token, list(model._default_manager.filter(claim=token).order_by("pk").values_list("pk", flat=True))


def backoff(attempts: int) -> datetime.timedelta:
    return datetime.timedelta(seconds=settings.NOTIFICATIONS_RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0))


def _failed(model: type[R], pk: int, token: str, error: str) -> None:
    row = model._default_manager.filter(pk=pk, claim=token).values_list("attempts", flat=True).first()
    if row is None:
        return
    final = row >= settings.NOTIFICATIONS_MAX_ATTEMPTS
    model._default_manager.filter(pk=pk, claim=token).update(
        email_state=EmailState.FAILED if final else EmailState.PENDING,
        next_attempt_at=clock.now() + backoff(row),
        last_error=error[:2000],
    )


def send_claimed(
    model: type[R],
    token: str,
    pks: list[int],
    build: Callable[[list[int]], list[tuple[int, EmailMultiAlternatives]]],
) -> Outcome:
    """Send each claimed row's message on one connection; mark each as it goes, so a crash loses no mark."""
    outcome = Outcome(sent=[], failed=[])
    if not pks:
        return outcome
    connection = get_connection()
    try:
        # One session for the batch; if the server cannot be reached, every message fails and waits its retry.
        connection.open()
    except Exception as exc:
        logger.warning("mail server unreachable: %s", exc)
        for pk in pks:
            _failed(model, pk, token, f"{type(exc).__name__}: {exc}")
        outcome.failed.extend(pks)
        return outcome
    try:
        for pk, message in build(pks):
            message.connection = connection
            try:
                message.send()
            except Exception as exc:
                logger.warning("notification e-mail %s %s failed: %s", model.__name__, pk, exc)
                _failed(model, pk, token, f"{type(exc).__name__}: {exc}")
                outcome.failed.append(pk)
            else:
                model._default_manager.filter(pk=pk, claim=token).update(
                    email_state=EmailState.SENT, sent_at=clock.now(), last_error=""
                )
                outcome.sent.append(pk)
    finally:
        try:
            connection.close()
        except Exception:
            logger.warning("closing the mail connection failed", exc_info=True)
    return outcome


def deliver(
    *,
    ids: list[int] | None = None,
    build_notification: Callable[[list[int]], list[tuple[int, EmailMultiAlternatives]]],
    build_digest: Callable[[list[int]], list[tuple[int, EmailMultiAlternatives]]],
) -> Outcome:
    """Send every ready notification (or those of `ids`) and every ready digest, batch after batch."""
    total = Outcome(sent=[], failed=[])
    kinds: list[tuple[type[DeliveryRecord], Callable[[list[int]], list[tuple[int, EmailMultiAlternatives]]]]] = [
        (Notification, build_notification)
    ]
    if ids is None:
        kinds.append((Digest, build_digest))
    for model, build in kinds:
        while True:
            token, pks = claim(model, ids=ids if model is Notification else None)
            if not pks:
                break
            outcome = send_claimed(model, token, pks, build)
            if model is Notification:
                total.sent += outcome.sent
                total.failed += outcome.failed
    return total
