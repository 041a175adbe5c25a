# The audit trail moves from `agreements` to `core`: the table is renamed, no row is copied.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def move_content_types(apps, schema_editor):
    # Permissions and admin history follow the model to its new app instead of pointing at a stale type.
    content_type = apps.get_model("contenttypes", "ContentType")
    content_type.objects.filter(app_label="agreements", model__in=['auditentry']).update(app_label="core")


def move_content_types_back(apps, schema_editor):
    content_type = apps.get_model("contenttypes", "ContentType")
    content_type.objects.filter(app_label="core", model__in=['auditentry']).update(app_label="agreements")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("agreements", "0005_signed_document_check"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="AuditEntry",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("action", models.CharField(max_length=60, verbose_name="hành động")),
                        ("object_type", models.CharField(max_length=60, verbose_name="loại đối tượng")),
                        ("object_id", models.BigIntegerField(verbose_name="mã đối tượng")),
                        ("data", models.JSONField(blank=True, default=dict, verbose_name="chi tiết")),
                        (
                            "created_at",
                            models.DateTimeField(auto_now_add=True, db_index=True, verbose_name="thời điểm"),
                        ),
                        (
                            "actor",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="người thực hiện",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "nhật ký thao tác",
                        "verbose_name_plural": "nhật ký thao tác",
                        "ordering": ["-created_at", "-pk"],
                        "db_table": "agreements_auditentry",
                        "indexes": [
                            models.Index(fields=["object_type", "object_id"], name="agreements__object__4c21ff_idx")
                        ],
                    },
                ),
            ],
        ),
        migrations.AlterModelTable(name="auditentry", table=None),
        migrations.RenameIndex(
            model_name="auditentry", new_name="audit_object_idx", old_name="agreements__object__4c21ff_idx"
        ),
        migrations.RunPython(move_content_types, move_content_types_back),
]
