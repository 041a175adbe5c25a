# Issue 12, data safety: a party with reports (and so its agreement) cannot be deleted.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("agreements", "0011_protect_relations"),
        ("reporting", "0008_text_limits"),
    ]

    operations = [
        migrations.AlterField(
            model_name="progressreport",
            name="party",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="reports",
                to="agreements.party",
                verbose_name="bên báo cáo",
            ),
        ),
    ]
