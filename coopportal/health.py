"""GET /healthz: the state of the database and of the Celery broker, for load balancers and humans.

Anyone may ask (a load balancer is not signed in), so the answer says only ok or not per component;
why a component is down goes to the log, and is shown to staff (is_staff) signed in, who run the site.
An exception's text can name hosts, ports, users and paths that an outsider has no business reading.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from kombu import Connection

logger = logging.getLogger(__name__)


def _database_ok() -> tuple[bool, str]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any failure means "down"; the log says why
        logger.exception("Health check: the database is down")
        return False, str(exc)[:200]
    return True, "ok"


def _broker_ok() -> tuple[bool, str]:
    try:
        with Connection(
            settings.CELERY_BROKER_URL,
            transport_options=settings.CELERY_BROKER_TRANSPORT_OPTIONS,
            connect_timeout=2,
        ) as conn:
            conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=2)
    except Exception as exc:
        logger.exception("Health check: the Celery broker is down")
        return False, str(exc)[:200]
    return True, "ok"


def _is_staff(request: HttpRequest) -> bool:
    """Staff signed in; a database that is down cannot tell, and then nobody sees the details."""
    try:
        return bool(request.user.is_authenticated and request.user.is_staff)
    except Exception:
        return False


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    db_ok, db_detail = _database_ok()
    broker_ok, broker_detail = _broker_ok()
    healthy = db_ok and broker_ok
    database: dict[str, object] = {"ok": db_ok}
    broker: dict[str, object] = {"ok": broker_ok}
    if _is_staff(request):
        database["detail"], broker["detail"] = db_detail, broker_detail
    return JsonResponse(
        {"status": "ok" if healthy else "error", "database": database, "broker": broker},
        status=200 if healthy else 503,
    )
