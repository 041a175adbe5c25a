# Review meetings and their decisions move from `reporting` to `meetings`: tables renamed, rows kept.

import django.core.validators
import django.db.models.deletion
from django.db import migrations, models


def move_content_types(apps, schema_editor):
    # Permissions and admin history follow the model to its new app instead of pointing at a stale type.
    content_type = apps.get_model("contenttypes", "ContentType")
    content_type.objects.filter(app_label="reporting", model__in=['reviewmeeting', 'meetingdecision']).update(app_label="meetings")


def move_content_types_back(apps, schema_editor):
    content_type = apps.get_model("contenttypes", "ContentType")
    content_type.objects.filter(app_label="meetings", model__in=['reviewmeeting', 'meetingdecision']).update(app_label="reporting")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("agreements", "0006_auditentry_to_core"),
        ("reporting", "0002_official_documents"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ReviewMeeting",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        (
                            "kind",
                            models.CharField(
                                choices=[
                                    ("yearly", "Họp định kỳ hàng năm"),
                                    ("midterm", "Hội nghị sơ kết"),
                                    ("final", "Hội nghị tổng kết"),
                                ],
                                default="yearly",
                                max_length=20,
                                verbose_name="loại cuộc họp",
                            ),
                        ),
                        ("held_on", models.DateField(verbose_name="ngày họp")),
                        ("place", models.CharField(max_length=200, verbose_name="địa điểm")),
                        ("minutes", models.TextField(blank=True, verbose_name="biên bản")),
                        (
                            "agreement",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="meetings",
                                to="agreements.agreement",
                                verbose_name="thỏa thuận",
                            ),
                        ),
                        (
                            "host_party",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="hosted",
                                to="agreements.party",
                                verbose_name="bên chủ trì",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "cuộc họp đánh giá",
                        "verbose_name_plural": "cuộc họp đánh giá",
                        "ordering": ["agreement", "held_on"],
                        "db_table": "reporting_reviewmeeting",
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("agreement", "kind", "held_on"), name="meeting_unique_per_day"
                            )
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="MeetingDecision",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        (
                            "number",
                            models.PositiveSmallIntegerField(
                                validators=[django.core.validators.MinValueValidator(1)], verbose_name="số thứ tự"
                            ),
                        ),
                        ("text", models.TextField(verbose_name="nội dung kết luận")),
                        (
                            "commitment",
                            models.OneToOneField(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="source_decision",
                                to="agreements.commitment",
                                verbose_name="cam kết phát sinh",
                            ),
                        ),
                        (
                            "meeting",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="decisions",
                                to="meetings.reviewmeeting",
                                verbose_name="cuộc họp",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "kết luận cuộc họp",
                        "verbose_name_plural": "kết luận cuộc họp",
                        "ordering": ["meeting", "number"],
                        "db_table": "reporting_meetingdecision",
                        "constraints": [
                            models.UniqueConstraint(fields=("meeting", "number"), name="decision_number_unique")
                        ],
                    },
                ),
            ],
        ),
        migrations.AlterModelTable(name="reviewmeeting", table=None),
        migrations.AlterModelTable(name="meetingdecision", table=None),
        migrations.RunPython(move_content_types, move_content_types_back),
]
