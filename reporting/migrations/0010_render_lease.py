"""Issue 12, point 3: renders that die are recovered (the lease, the claim's owner, attempts), and the sweep's beat row."""

from typing import Any

from django.db import migrations, models


def create_sweep(apps: Any, schema_editor: Any) -> None:
    Interval = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    every_minute, _ = Interval.objects.get_or_create(every=1, period="minutes")
    PeriodicTask.objects.get_or_create(
        name="Phục hồi văn bản PDF bị treo (mỗi phút)",
        defaults={
            "task": "reporting.documents.tasks.recover_documents",
            "interval": every_minute,
            "description": "Gửi lại văn bản chưa đến được hàng đợi, tạo lại văn bản mà tiến trình tạo đã dừng, "
            "xóa thư mục tạm của các lần tạo bị ngắt.",
        },
    )


def remove_sweep(apps: Any, schema_editor: Any) -> None:
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(
        task="reporting.documents.tasks.recover_documents"
    ).delete()


class Migration(migrations.Migration):
    # After the reporting migration of issue 12 already in the tree, so that the graph has one leaf;
    # the numbers are put in order when the migrations are committed together.
    dependencies = [
        ("reporting", "0009_protect_relations"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [
        migrations.AddField(
            model_name="officialdocument",
            name="queued_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="gửi cho tiến trình nền lúc"),
        ),
        migrations.AddField(
            model_name="officialdocument",
            name="rendered_by",
            field=models.CharField(blank=True, max_length=200, verbose_name="tiến trình đang tạo"),
        ),
        migrations.AddField(
            model_name="officialdocument",
            name="lease_until",
            field=models.DateTimeField(blank=True, null=True, verbose_name="giữ quyền tạo đến"),
        ),
        migrations.AddField(
            model_name="officialdocument",
            name="attempts",
            field=models.PositiveSmallIntegerField(default=0, verbose_name="số lần bắt đầu tạo"),
        ),
        migrations.AddIndex(
            model_name="officialdocument",
            index=models.Index(
                condition=models.Q(("state__in", ["pending", "rendering"])), fields=["state"], name="document_busy"
            ),
        ),
        migrations.RunPython(create_sweep, remove_sweep),
    ]
