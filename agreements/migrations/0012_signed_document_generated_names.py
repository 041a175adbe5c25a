# Issue 12, point 7: a signed agreement is stored under a generated name (agreements/yyyy/mm/<random>.<ext>),
# never the one it was uploaded under; files already stored keep their paths (nothing to move).

from django.db import migrations, models

import agreements.models
import agreements.validators


class Migration(migrations.Migration):
    dependencies = [
        ("agreements", "0011_protect_relations"),
    ]

    operations = [
        migrations.AlterField(
            model_name="agreement",
            name="signed_document",
            field=models.FileField(
                blank=True,
                upload_to=agreements.models.signed_document_upload_to,
                validators=[agreements.validators.validate_signed_document],
                verbose_name="văn bản đã ký",
            ),
        ),
    ]
