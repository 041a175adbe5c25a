# Issue 12, data safety: a body with members is not deleted with them; an agreement with reports is
# archived instead of deleted (its parties are protected by reporting's 0011); one without reports can
# still be deleted whole (RESTRICT lets its commitments go with its items).

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("agreements", "0010_text_limits"),
    ]

    operations = [
        migrations.AddField(
            model_name="agreement",
            name="archived_at",
            field=models.DateTimeField(blank=True, editable=False, null=True, verbose_name="lưu trữ lúc"),
        ),
        migrations.AlterField(
            model_name="commitment",
            name="responsible_party",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.RESTRICT,
                related_name="commitments",
                to="agreements.party",
                verbose_name="bên chủ trì",
            ),
        ),
        migrations.AlterField(
            model_name="membership",
            name="body",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="memberships",
                to="agreements.body",
                verbose_name="cơ quan",
            ),
        ),
        migrations.AddConstraint(
            model_name="agreement",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("archived_at__isnull", True), models.Q(("status", "in_force"), _negated=True), _connector="OR"
                ),
                name="agreement_archived_not_in_force",
                violation_error_message="Thỏa thuận đã lưu trữ không thể ở tình trạng đang hiệu lực.",
            ),
        ),
    ]
