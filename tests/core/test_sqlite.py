"""The audit trail is append-only on SQLite (`make run`'s database) too, in a second process: a fresh database
is migrated, an entry written, its UPDATE and DELETE refused by the triggers, the user who acted kept;
migrated back before the triggers (a row may be deleted again), given entries written before this change,
and forward: those entries get their agreement (where the row still exists) and their actor's name.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.support import ROOT

SCRIPT = r"""
import django

django.setup()

from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.db.models import ProtectedError

assert connection.vendor == "sqlite", connection.vendor
call_command("migrate", verbosity=0)

from django.contrib.auth.models import User

from core.audit import audit
from core.models import AuditEntry

user = User.objects.create_user("chuyenvien", first_name="Chuyên viên", last_name="Long An")
entry = audit(user, "admin.updated", user, changes={"email": ["", "a@b.vn"]})
assert (entry.actor_name, entry.agreement_id) == ("Chuyên viên Long An", None)
attempts = {
    "update": lambda: AuditEntry.objects.filter(pk=entry.pk).update(action="forged"),
    "delete": lambda: AuditEntry.objects.filter(pk=entry.pk).delete(),
    "raw delete": lambda: connection.cursor().execute("DELETE FROM core_auditentry"),
}
for name, attempt in attempts.items():
    try:
        with transaction.atomic():
            attempt()
    except DatabaseError as exc:
        assert "append-only" in str(exc), (name, exc)
    else:
        raise AssertionError(f"{name} was not refused")
try:
    with transaction.atomic():
        user.delete()
except ProtectedError:
    pass
else:
    raise AssertionError("a user who acted was deleted")
assert AuditEntry.objects.get(pk=entry.pk).action == "admin.updated"

import datetime as dt

from django.db.migrations.executor import MigrationExecutor

from agreements.models import Agreement, Body, Commitment, CooperationItem, Party

ubnds = list(Body.objects.filter(kind="peoples_committee").order_by("pk")[:2])
agreement = Agreement.objects.create(title="Thỏa thuận cũ", period_start=dt.date(2024, 1, 1), period_end=dt.date(2026, 1, 1))
party = Party.objects.create(agreement=agreement, body=ubnds[0], order=1)
Party.objects.create(agreement=agreement, body=ubnds[1], order=2)
item = CooperationItem.objects.create(agreement=agreement, number=1, text="Thương mại", sector_id="trade")
commitment = Commitment.objects.create(item=item, responsible_party=party, description="Hội chợ")

call_command("migrate", "core", "0001", verbosity=0)
with connection.cursor() as cursor:  # before the triggers: nothing refuses
    cursor.execute("DELETE FROM core_auditentry")
OldEntry = MigrationExecutor(connection).loader.project_state(("core", "0001_initial")).apps.get_model("core", "AuditEntry")
written = {
    "commitment": OldEntry.objects.create(actor_id=user.pk, action="commitment.added", object_type="agreements.commitment", object_id=commitment.pk),
    "agreement": OldEntry.objects.create(action="periods.opened", object_type="agreements.agreement", object_id=agreement.pk),
    "gone": OldEntry.objects.create(actor_id=user.pk, action="evidence.removed", object_type="reporting.evidence", object_id=999),
}
call_command("migrate", verbosity=0)
backfilled = {name: AuditEntry.objects.get(pk=old.pk) for name, old in written.items()}
assert backfilled["commitment"].agreement_id == agreement.pk, backfilled["commitment"].__dict__
assert backfilled["commitment"].actor_name == "Chuyên viên Long An"
assert (backfilled["agreement"].agreement_id, backfilled["agreement"].actor_name) == (agreement.pk, "")
assert backfilled["gone"].agreement_id is None and backfilled["gone"].actor_name == "Chuyên viên Long An"
entry = audit(user, "admin.updated", user)
try:
    with transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).delete()
except DatabaseError:
    print("sqlite ok")
"""


def test_the_trail_is_append_only_on_sqlite(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "coopportal.settings",
        "DEBUG": "true",
        "COOPPORTAL_VAR_DIR": str(tmp_path / "var"),
        "REDIS_URL": "",
    }
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False
    )
    assert result.returncode == 0, result.stderr[-4000:]
    assert result.stdout.strip().endswith("sqlite ok")
