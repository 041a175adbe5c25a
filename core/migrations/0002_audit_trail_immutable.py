# The audit trail names its agreement, its actor and its object in words, and becomes append-only:
# the database itself refuses to change or delete an entry, whoever asks (the admin, a script, a cascade).

from collections import defaultdict

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.db.models import F

# Where each kind of row the services audit finds its agreement (the models' audit_agreement_id()).
AGREEMENT_PATHS = {
    "agreements.party": "agreement_id",
    "agreements.cooperationitem": "agreement_id",
    "agreements.commitment": "item__agreement_id",
    "reporting.reportingperiod": "agreement_id",
    "reporting.progressreport": "party__agreement_id",
    "reporting.progressentry": "report__party__agreement_id",
    "reporting.evidence": "entry__report__party__agreement_id",
    "reporting.officialdocument": "agreement_id",
    "meetings.reviewmeeting": "agreement_id",
    "meetings.meetingdecision": "meeting__agreement_id",
}

MESSAGE = (
    "Nhật ký thao tác chỉ được ghi thêm, không được sửa hay xóa "
    "(the audit trail is append-only: %s of core_auditentry refused)"
)
# PostgreSQL: one row trigger for UPDATE and DELETE.  Not TRUNCATE: emptying the whole database
# (the test runner's flush between transactional tests, a restore) truncates every table at once, and
# whoever may TRUNCATE the table owns it and could drop the trigger as well.
POSTGRES_FORWARD = [
    f"""
    CREATE FUNCTION core_auditentry_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION '{MESSAGE % "%"}', TG_OP
            USING HINT = 'A user who acted is deactivated, never deleted.';
    END;
    $$
    """,
    """
    CREATE TRIGGER core_auditentry_append_only BEFORE UPDATE OR DELETE ON core_auditentry
        FOR EACH ROW EXECUTE FUNCTION core_auditentry_refuse_change()
    """,
]
POSTGRES_BACKWARD = [
    "DROP TRIGGER IF EXISTS core_auditentry_append_only ON core_auditentry",
    "DROP FUNCTION IF EXISTS core_auditentry_refuse_change()",
]
# SQLite (`make run`): the same refusal.  Django rebuilds a SQLite table for some later changes of its
# columns, which drops its triggers: a migration that alters this table must create them again.
SQLITE_FORWARD = [
    f"""
    CREATE TRIGGER core_auditentry_no_{operation.lower()} BEFORE {operation} ON core_auditentry
    BEGIN SELECT RAISE(ABORT, '{MESSAGE % operation}'); END
    """
    for operation in ("UPDATE", "DELETE")
]
SQLITE_BACKWARD = [f"DROP TRIGGER IF EXISTS core_auditentry_no_{op}" for op in ("update", "delete")]


def backfill(apps, schema_editor):
    """Entries written before: their agreement (where the row still exists) and their actor's name."""
    entries = apps.get_model("core", "AuditEntry").objects
    entries.filter(object_type="agreements.agreement").update(agreement_id=F("object_id"))
    for label, path in AGREEMENT_PATHS.items():
        try:
            model = apps.get_model(label)
        except LookupError:  # that app is not migrated yet, so no entry can name one of its rows
            continue
        ids = set(entries.filter(object_type=label).values_list("object_id", flat=True))
        by_agreement = defaultdict(list)
        for pk, agreement_id in model.objects.filter(pk__in=ids).values_list("pk", path):
            by_agreement[agreement_id].append(pk)
        for agreement_id, pks in by_agreement.items():
            entries.filter(object_type=label, object_id__in=pks).update(agreement_id=agreement_id)
    User = apps.get_model(*settings.AUTH_USER_MODEL.split("."))
    for user in User.objects.filter(pk__in=entries.values("actor_id")):
        name = f"{user.first_name} {user.last_name}".strip() or user.username
        entries.filter(actor_id=user.pk).update(actor_name=name)


def _run(schema_editor, statements):
    for statement in statements.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement, params=None)  # no parameters: the "%" of RAISE stays as it is


def refuse_changes(apps, schema_editor):
    _run(schema_editor, {"postgresql": POSTGRES_FORWARD, "sqlite": SQLITE_FORWARD})


def allow_changes(apps, schema_editor):
    _run(schema_editor, {"postgresql": POSTGRES_BACKWARD, "sqlite": SQLITE_BACKWARD})


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="auditentry",
            name="actor_name",
            field=models.CharField(blank=True, max_length=300, verbose_name="tên người thực hiện"),
        ),
        migrations.AddField(
            model_name="auditentry",
            name="agreement_id",
            field=models.BigIntegerField(blank=True, null=True, verbose_name="mã thỏa thuận"),
        ),
        migrations.AddField(
            model_name="auditentry",
            name="object_repr",
            field=models.CharField(blank=True, max_length=300, verbose_name="tên đối tượng"),
        ),
        migrations.AlterField(
            model_name="auditentry",
            name="actor",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                to=settings.AUTH_USER_MODEL,
                verbose_name="người thực hiện",
            ),
        ),
        migrations.AddIndex(
            model_name="auditentry",
            index=models.Index(fields=["agreement_id", "-created_at", "-id"], name="audit_agreement_idx"),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
        migrations.RunPython(refuse_changes, allow_changes),
    ]
